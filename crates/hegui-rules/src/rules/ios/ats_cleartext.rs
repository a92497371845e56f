use hegui_model::{Evidence, Party, Severity};

use super::plist_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// App Transport Security 被关闭或放宽：`NSAllowsArbitraryLoads = YES`（全局允许明文 HTTP 与弱 TLS），
    /// 或某些域名设置了 `NSExceptionAllowsInsecureHTTPLoads`；可执行文件中的 `http://` 地址作为补充证据。
    ///
    /// App Transport Security is off or loosened: `NSAllowsArbitraryLoads = YES` (cleartext
    /// HTTP and weak TLS everywhere) or `NSExceptionAllowsInsecureHTTPLoads` for some domains.
    /// `http://` URLs in the executable are added as evidence.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273-2020 6.3 要求传输敏感个人信息时加密，个人信息保护法第 51 条要求采取加密等安全措施。
    ///
    /// GB/T 35273 6.3 requires encrypting sensitive PI in transit; PIPL art. 51 requires
    /// security measures such as encryption.
    ///
    /// ## 示例 / Example
    /// `NSAppTransportSecurity = { NSAllowsArbitraryLoads = YES; }`。
    ///
    /// ## 整改建议 / How to fix
    /// 所有接口改用 HTTPS 并删除 `NSAllowsArbitraryLoads`；确需例外的域名单独列出并说明理由。
    ///
    /// Serve every endpoint over HTTPS and remove `NSAllowsArbitraryLoads`; list any domain that
    /// truly needs an exception on its own.
    ///
    /// ## 依据 / References
    /// GBT-6.3, PIPL-51
    pub struct AtsCleartext {
        code: "IOS005",
        name: "ats-cleartext",
        title: ("关闭 ATS，允许明文传输", "App Transport Security allows cleartext"),
        severity: Medium,
        cites: ["GBT-6.3", "PIPL-51"],
        needs: [IosBundle],
        fix: (
            "所有接口改用 HTTPS 并删除 NSAllowsArbitraryLoads；确需例外的域名单独列出。",
            "Use HTTPS everywhere and remove NSAllowsArbitraryLoads; list real exceptions per domain."
        ),
        since: "0.2.0",
    }
}

impl AtsCleartext {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let http: Vec<Evidence> = ios
            .urls
            .iter()
            .filter(|u| u.starts_with("http://"))
            .take(10)
            .map(|u| Evidence::Note {
                text: format!("cleartext URL in the executable: {u}"),
            })
            .collect();
        if ios.ats.allows_arbitrary_loads {
            out.push(
                Violation::new(
                    "Info.plist 设置 NSAllowsArbitraryLoads = YES，全局允许明文 HTTP 与弱 TLS。",
                    "Info.plist sets NSAllowsArbitraryLoads = YES: cleartext HTTP and weak TLS are allowed everywhere.",
                    Party::App,
                    "arbitrary-loads",
                )
                .evidence(
                    std::iter::once(plist_evidence(
                        ios,
                        "NSAppTransportSecurity.NSAllowsArbitraryLoads",
                        Some("true".into()),
                    ))
                    .chain(http.clone()),
                ),
            );
        }
        if !ios.ats.insecure_http_domains.is_empty() {
            out.push(
                Violation::new(
                    format!(
                        "以下域名允许明文 HTTP：{}。",
                        ios.ats.insecure_http_domains.join("、")
                    ),
                    format!(
                        "Cleartext HTTP is allowed for: {}.",
                        ios.ats.insecure_http_domains.join(", ")
                    ),
                    Party::App,
                    "exception-domains",
                )
                .severity(Severity::Low)
                .evidence(ios.ats.insecure_http_domains.iter().map(|d| {
                    plist_evidence(
                        ios,
                        "NSAppTransportSecurity.NSExceptionDomains",
                        Some(format!("{d}: NSExceptionAllowsInsecureHTTPLoads")),
                    )
                })),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, render, run_ios};

    #[test]
    fn arbitrary_loads_and_exceptions() {
        let mut facts = ios();
        assert!(
            run_ios(&AtsCleartext::META, AtsCleartext::check, facts.clone())
                .findings
                .is_empty()
        );
        facts.ats.allows_arbitrary_loads = true;
        facts.ats.insecure_http_domains = vec!["example.com".into()];
        facts.urls = vec![
            "http://log.example.com/t".into(),
            "https://ok.example".into(),
        ];
        let report = run_ios(&AtsCleartext::META, AtsCleartext::check, facts);
        assert_eq!(report.findings.len(), 2);
        insta::assert_snapshot!("IOS005_fail", render(&report.findings));
    }
}
