use std::collections::BTreeMap;

use hegui_model::{Confidence, Endpoint, Party, Severity};

use super::{MAX_SITES, site_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 代码或模板中以明文 `http://` 或 `ws://` 访问的服务器地址（注释不算）：直接传给
    /// `request` / `uploadFile` / `downloadFile` / `connectSocket` 的，和作为接口基址等常量出现的。
    /// 图片、音视频、字体等资源地址不报告。每个主机一条。
    ///
    /// Server addresses reached over cleartext `http://` or `ws://` in code or templates
    /// (comments excluded): those passed straight to a network API and those kept as base-URL
    /// constants. Image, media and font URLs are left out. One finding per host.
    ///
    /// ## 为何违规 / Why it matters
    /// 小程序合规指引第 7 项：敏感个人信息未加密传输；GB/T 35273 6.3 要求传输敏感信息时加密，
    /// 个人信息保护法第 51 条要求采取加密等安全措施。明文通道上的登录态、手机号、位置可被同一网络中的人读取和篡改。
    /// 局域网和本机地址多为开发遗留，级别较低。
    ///
    /// Guide item 7 (sensitive PI sent unencrypted), GB/T 35273 6.3 and PIPL article 51 ask
    /// for encryption in transit; on a cleartext channel, sessions, phone numbers and
    /// locations can be read and altered by anyone on the network. LAN and loopback addresses
    /// are usually development leftovers and rank lower.
    ///
    /// ## 示例 / Example
    /// `var WxApiRoot = 'http://api.example.com/wx/';` in `config/api.js`.
    ///
    /// ## 整改建议 / How to fix
    /// 所有接口改用 `https://` / `wss://`，并删除开发环境地址。
    ///
    /// Move every endpoint to `https://` / `wss://` and remove development addresses.
    ///
    /// ## 依据 / References
    /// MP-07, GBT-6.3, PIPL-51
    pub struct CleartextEndpoint {
        code: "MP007",
        name: "cleartext-endpoint",
        title: ("使用明文 HTTP / WS 通信地址", "Cleartext HTTP / WS endpoint"),
        severity: Medium,
        cites: ["MP-07", "GBT-6.3", "PIPL-51"],
        needs: [MiniProgram],
        fix: (
            "所有接口改用 https:// 或 wss://，删除开发环境地址。",
            "Use https:// or wss:// for every endpoint and remove development addresses."
        ),
        since: "0.3.0",
    }
}

impl CleartextEndpoint {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        let mut by_host: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
        for e in &mp.http_endpoints {
            if e.cleartext && e.usage != "resource" {
                by_host.entry(e.host.as_str()).or_default().push(e);
            }
        }
        for (host, endpoints) in by_host {
            let sent = endpoints
                .iter()
                .any(|e| matches!(e.usage.as_str(), "request" | "socket"));
            let local = endpoints.iter().all(|e| e.local);
            let (zh, en) = if sent {
                (
                    format!("网络请求直接以明文协议发往 {host}。"),
                    format!("Network calls go to {host} over a cleartext protocol."),
                )
            } else {
                (
                    format!("代码中有明文协议地址 {host}（作为常量或链接出现）。"),
                    format!("The code holds the cleartext address {host} (as a constant or link)."),
                )
            };
            let (zh, en) = if local {
                (
                    format!("{zh}这是本机或局域网地址，多为开发遗留。"),
                    format!(
                        "{en} It is a loopback or LAN address, usually a development leftover."
                    ),
                )
            } else {
                (zh, en)
            };
            let evidence = endpoints
                .iter()
                .take(MAX_SITES)
                .map(|e| site_evidence(&e.site, format!("{} ({})", e.url, e.usage)));
            let mut v = Violation::new(zh, en, Party::App, host).evidence(evidence);
            if local {
                v = v.severity(Severity::Low);
            }
            if !sent {
                v = v.confidence(Confidence::Medium);
            }
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{miniprogram, mp_site, render, run_mp};

    fn endpoint(url: &str, host: &str, usage: &str, local: bool) -> Endpoint {
        Endpoint {
            url: url.into(),
            scheme: url.split(':').next().unwrap_or_default().into(),
            host: host.into(),
            cleartext: !url.starts_with("https") && !url.starts_with("wss"),
            local,
            usage: usage.into(),
            site: mp_site("config/api.js", 3),
            count: 1,
        }
    }

    #[test]
    fn cleartext_hosts_not_resources() {
        let mut facts = miniprogram();
        facts.http_endpoints = vec![
            endpoint(
                "http://api.example.com/wx/",
                "api.example.com",
                "request",
                false,
            ),
            endpoint("http://localhost:8080/wx/", "localhost:8080", "url", true),
            endpoint(
                "http://cdn.example.com/a.png",
                "cdn.example.com",
                "resource",
                false,
            ),
            endpoint(
                "https://secure.example.com/",
                "secure.example.com",
                "request",
                false,
            ),
        ];
        let report = run_mp(&CleartextEndpoint::META, CleartextEndpoint::check, facts);
        assert_eq!(report.findings.len(), 2);
        insta::assert_snapshot!("MP007_fail", render(&report.findings));
    }
}
