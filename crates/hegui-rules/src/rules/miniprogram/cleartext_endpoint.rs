use std::collections::BTreeMap;

use hegui_model::{Confidence, Endpoint, Party, Severity};

use super::{MAX_SITES, site_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 以明文 `http://` 或 `ws://` 传输的通信，每个小程序一条，按证据强弱定级：
    /// - **高**：明文地址直接（或经 Taro/uni-app 等封装）传给 `request` / `uploadFile` /
    ///   `connectSocket`，并携带数据（`data`、`formData`、拼接的查询串、WebSocket）；
    /// - **中**：明文地址传给网络接口，但看不到随请求发送的数据；
    /// - **低**：代码中作为接口基址等常量出现、可能被使用的明文地址；
    /// - **提示**：只有本机、局域网或测试/模拟环境地址（开发遗留）。
    ///
    /// 不报告：图片、音视频等资源地址（含按 `avatarUrl`、`imageUrl` 等名称拼接的）与 `downloadFile`，在别处打开的
    /// 链接（`web-view`、`navigator`、分享卡片、H5 链接），插件与框架运行时的代码，没有任何入口
    /// （app.js、页面、组件）加载的模块，以及常量条件下走不到的分支（`!1 ? "http://…" : "https://…"`）。
    ///
    /// Cleartext `http://` / `ws://` transmission, one finding per mini-program, ranked by
    /// evidence: **high** when a cleartext URL reaches `request`/`uploadFile`/`connectSocket`
    /// (directly or through a framework wrapper) with data; **medium** when it reaches a
    /// network call with no data seen; **low** for constants that may be used; **info** when
    /// only loopback, LAN or test/mock hosts appear. Resources, downloads, links opened elsewhere, plugin and framework code, modules no entry point loads and
    /// branches a constant condition never takes are not reported.
    ///
    /// ## 为何违规 / Why it matters
    /// 小程序合规指引第 7 项：敏感个人信息未加密传输；GB/T 35273 6.3 要求传输敏感信息时加密，
    /// 个人信息保护法第 51 条要求采取加密等安全措施。明文通道上的手机号、姓名、位置和登录态可被同一网络中的人读取和篡改。
    ///
    /// Guide item 7 (sensitive PI sent unencrypted), GB/T 35273 6.3 and PIPL article 51 ask
    /// for encryption in transit; on a cleartext channel, phone numbers, names, locations and
    /// sessions can be read and altered by anyone on the network.
    ///
    /// ## 审核标准 / Reviewer's criteria
    /// 高级别须能指出数据随明文请求发出（请求的 `data` 或查询串）；只有地址、没有调用的，最多为低级别；
    /// 资源与外链不是个人信息的传输。
    ///
    /// High needs the data going out on the cleartext call (its `data` or query string); an
    /// address with no call is low at most; resources and outside links are not PI in transit.
    ///
    /// ## 示例 / Example
    /// `wx.request({url: 'http://member.example.cn/user/save', data: {phone, name, birthday}})`.
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
        title: ("使用明文 HTTP / WS 传输", "Cleartext HTTP / WS transmission"),
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

/// Host labels of test and development environments.
const DEV_LABELS: &[&str] = &[
    "test", "dev", "qa", "sit", "uat", "staging", "stage", "mock", "local", "debug",
];
/// Mock-API services of the development tools.
const MOCK_SERVICES: &[&str] = &[
    "easy-mock.com",
    "mockapi.io",
    "apifox.cn",
    "rap2api.taobao.org",
    "yapi.pro",
    "mocky.io",
];

/// How strong the evidence of a cleartext transmission is, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    DevOnly,
    Constant,
    SentWithoutData,
    SentWithData,
}

impl Tier {
    fn label(self) -> &'static str {
        match self {
            Self::DevOnly => "development host",
            Self::Constant => "constant",
            Self::SentWithoutData => "network call",
            Self::SentWithData => "network call with data",
        }
    }

    fn of(e: &Endpoint) -> Option<Self> {
        if !e.cleartext
            || e.unreachable
            // A download fetches a file; it sends no PI.
            || matches!(e.usage.as_str(), "resource" | "link" | "download")
            || e.party.starts_with("plugin:")
            || e.party.starts_with("framework:")
        {
            return None;
        }
        if e.local || is_dev_host(&e.host) {
            return Some(Self::DevOnly);
        }
        Some(match e.usage.as_str() {
            "request" | "socket" if e.with_data => Self::SentWithData,
            "request" | "socket" => Self::SentWithoutData,
            _ => Self::Constant,
        })
    }
}

fn is_dev_host(host: &str) -> bool {
    let bare = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    MOCK_SERVICES
        .iter()
        .any(|m| bare == *m || bare.ends_with(&format!(".{m}")))
        || bare
            .split(['.', '-'])
            .any(|label| DEV_LABELS.contains(&label))
}

impl CleartextEndpoint {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        let mut ranked: Vec<(Tier, &Endpoint)> = mp
            .http_endpoints
            .iter()
            .filter_map(|e| Tier::of(e).map(|t| (t, e)))
            .collect();
        // Strongest evidence first; the order of the facts within a tier.
        ranked.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
        let Some(&(top, _)) = ranked.first() else {
            return;
        };
        let mut hosts: BTreeMap<&str, ()> = BTreeMap::new();
        for (t, e) in &ranked {
            if *t == top {
                hosts.insert(e.host.as_str(), ());
            }
        }
        let hosts: Vec<&str> = hosts.into_keys().collect();
        let list = hosts.join(", ");
        let others = ranked.iter().filter(|(t, _)| *t != top).count();
        let (zh, en, severity, confidence) = match top {
            Tier::SentWithData => (
                format!("网络请求以明文协议把数据发往 {list}。"),
                format!("Network calls send data to {list} over a cleartext protocol."),
                Severity::High,
                Confidence::High,
            ),
            Tier::SentWithoutData => (
                format!("网络请求以明文协议发往 {list}（未见随请求发送的数据）。"),
                format!(
                    "Network calls go to {list} over a cleartext protocol (no data seen going with them)."
                ),
                Severity::Medium,
                Confidence::High,
            ),
            Tier::Constant => (
                format!("代码中有可能被使用的明文地址：{list}。"),
                format!("The code holds cleartext addresses that may be used: {list}."),
                Severity::Low,
                Confidence::Medium,
            ),
            Tier::DevOnly => (
                format!("代码中只有本机、局域网或测试环境的明文地址（开发遗留）：{list}。"),
                format!(
                    "Only loopback, LAN or test-environment cleartext addresses appear (development leftovers): {list}."
                ),
                Severity::Info,
                Confidence::Medium,
            ),
        };
        let (zh, en) = if others > 0 {
            (
                format!("{zh}另有 {others} 处证据较弱的明文地址列在证据中。"),
                format!("{en} {others} weaker cleartext addresses are listed in the evidence."),
            )
        } else {
            (zh, en)
        };
        let top_endpoints: Vec<&Endpoint> = ranked
            .iter()
            .filter(|(t, _)| *t == top)
            .map(|(_, e)| *e)
            .collect();
        let party = if top_endpoints.iter().any(|e| e.party == "app") {
            Party::App
        } else {
            top_endpoints
                .first()
                .map_or(Party::App, |e| Party::parse(&e.party))
        };
        let evidence = ranked.iter().take(MAX_SITES).map(|(t, e)| {
            let data = if e.with_data { ", with data" } else { "" };
            site_evidence(
                &e.site,
                format!("{} ({}{data}; {})", e.url, e.usage, t.label()),
            )
        });
        out.push(
            Violation::new(zh, en, party, "cleartext")
                .evidence(evidence)
                .severity(severity)
                .confidence(confidence),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{miniprogram, mp_site, render, run_mp};

    fn endpoint(url: &str, usage: &str) -> Endpoint {
        let host = url
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_default();
        Endpoint {
            url: url.into(),
            scheme: url.split(':').next().unwrap_or_default().into(),
            host: host.into(),
            cleartext: !url.starts_with("https") && !url.starts_with("wss"),
            local: host.starts_with("192.168.") || host.starts_with("localhost"),
            usage: usage.into(),
            site: mp_site("config/api.js", 3),
            count: 1,
            party: "app".into(),
            unreachable: false,
            with_data: false,
        }
    }

    fn run(endpoints: Vec<Endpoint>) -> Vec<hegui_model::Finding> {
        let mut facts = miniprogram();
        facts.http_endpoints = endpoints;
        run_mp(&CleartextEndpoint::META, CleartextEndpoint::check, facts).findings
    }

    #[test]
    fn one_finding_ranked_by_the_strongest_evidence() {
        let mut sent = endpoint("http://member.example.cn/user/save", "request");
        sent.with_data = true;
        let findings = run(vec![
            endpoint("http://192.168.1.20:8080/api", "url"),
            endpoint("http://localhost:3000/api", "url"),
            endpoint("http://old.example.cn/api", "url"),
            sent,
            endpoint("http://cdn.example.com/a", "resource"),
            endpoint("http://partner.example.com/h5", "link"),
            endpoint("https://secure.example.com/", "request"),
        ]);
        assert_eq!(findings.len(), 1, "one finding per app");
        assert_eq!(findings[0].severity, Severity::High);
        insta::assert_snapshot!("MP007_fail", render(&findings));
    }

    #[test]
    fn weaker_evidence_ranks_lower_and_non_transmissions_are_silent() {
        let severity = |endpoints| run(endpoints).first().map(|f| f.severity);
        assert_eq!(
            severity(vec![endpoint("http://api.example.cn/list", "request")]),
            Some(Severity::Medium)
        );
        assert_eq!(
            severity(vec![endpoint("http://api.example.cn/", "url")]),
            Some(Severity::Low)
        );
        assert_eq!(
            severity(vec![
                endpoint("http://192.168.1.3:8080/", "url"),
                endpoint("http://api.test.example.cn/", "request"),
            ]),
            Some(Severity::Info)
        );
        let mut dead = endpoint("http://mock.example.cn/user", "request");
        dead.with_data = true;
        dead.unreachable = true;
        let mut plugin = endpoint("http://plugin.example.cn/", "request");
        plugin.party = "plugin:wx50b5593e81dd937a".into();
        assert_eq!(
            severity(vec![
                dead,
                plugin,
                endpoint("http://img.example.cn/a", "resource"),
                endpoint("http://partner.example.com/", "link"),
            ]),
            None
        );
    }

    #[test]
    fn an_sdk_transmission_is_the_sdk_s() {
        let mut e = endpoint("http://log.stat.example.cn/d", "request");
        e.with_data = true;
        e.party = "sdk:ald-stat".into();
        let findings = run(vec![e]);
        assert_eq!(findings[0].party, Party::Sdk("ald-stat".into()));
    }
}
