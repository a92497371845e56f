use super::{confidence, flow_evidence, group, kinds, requests};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 通过明文 HTTP（或 `ws://`）发往公网主机的请求中含个人信息：测试机的设备值（IMEI、Android ID、
    /// OAID、手机号等，含 URL 编码、Base64、十六进制、MD5/SHA-1/SHA-256 形式），或可校验的个人信息
    /// 形态（手机号、带校验位的身份证号、通过 Luhn 校验的 IMEI、MAC 地址、带键名的标识与坐标）。
    /// 局域网与本机地址不报告。按主机报告。
    ///
    /// A request over plain HTTP (or `ws://`) to a public host carried PI: the test
    /// device's own values (plain, URL-encoded, Base64, hex, MD5/SHA-1/SHA-256) or checkable
    /// PI shapes (mobile numbers, resident IDs with their check digit, Luhn-valid IMEIs, MAC
    /// addresses, keyed identifiers and coordinates). LAN and loopback hosts are left out.
    /// One finding per host.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273 6.3 要求传输个人敏感信息时加密；个人信息保护法第 51 条要求采取加密等安全措施。明文
    /// 传输的信息可被同一网络中的任何人读取和篡改。
    ///
    /// GB/T 35273 6.3 requires encryption of sensitive PI in transit and PIPL art. 51
    /// security measures; cleartext can be read and altered by anyone on the network.
    ///
    /// ## 示例 / Example
    /// `GET http://api.example-shop.cn/v1/login?mobile=13812345678`。
    ///
    /// ## 整改建议 / How to fix
    /// 所有接口改用 HTTPS（TLS 1.2 以上）并校验证书；设备标识不要以可逆形式上传。
    ///
    /// Serve every endpoint over HTTPS (TLS 1.2+) with certificate validation; do not send
    /// identifiers in reversible form.
    ///
    /// ## 依据 / References
    /// GBT-6.3, PIPL-51
    pub struct CleartextPi {
        code: "NET001",
        name: "pi-in-cleartext",
        title: ("明文传输个人信息", "PI sent in cleartext"),
        severity: High,
        cites: ["GBT-6.3", "PIPL-51"],
        needs: [Traffic],
        fix: (
            "所有接口使用 HTTPS 并校验证书。",
            "Use HTTPS with certificate validation for every endpoint."
        ),
        since: "0.5.0",
    }
}

impl CleartextPi {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let cleartext = t
            .network
            .pi_flows
            .iter()
            .filter(|f| matches!(f.scheme.as_str(), "http" | "ws") && !f.local);
        for (host, flows) in group(cleartext, |f| f.host.as_str()) {
            let party = flows[0].party.clone();
            let what = kinds(&flows);
            out.push(
                Violation::new(
                    format!(
                        "{} 个明文 HTTP 请求把个人信息（{what}）发往 {host}。",
                        flows.len()
                    ),
                    format!(
                        "{} sent PI ({what}) to {host} over cleartext HTTP.",
                        requests(flows.len())
                    ),
                    party,
                    host.to_string(),
                )
                .evidence(flow_evidence(&flows))
                .confidence(confidence(&flows)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn cleartext_with_pi_to_public_hosts_only() {
        let facts = trace(&[
            r#"{"type":"network_request","method":"GET","url":"http://api.example-shop.cn/v1/login?mobile=13812345678","scheme":"http","host":"api.example-shop.cn"}"#,
            r#"{"type":"network_request","method":"GET","url":"https://api.example-shop.cn/v1/login?mobile=13812345678","scheme":"https","host":"api.example-shop.cn"}"#,
            r#"{"type":"network_request","method":"GET","url":"http://192.168.1.10/cfg?mobile=13812345678"}"#,
            r#"{"type":"network_request","method":"GET","url":"http://cdn.example-shop.cn/logo.png"}"#,
        ]);
        let report = run_trace(&CleartextPi::META, CleartextPi::check, facts, None);
        insta::assert_snapshot!("NET001_login", render(&report.findings));
    }
}
