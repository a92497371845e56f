use hegui_model::{Confidence, Evidence, Party, PolicyOrigin, Severity, StringKind};

use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 安装包内既没有隐私政策页面（assets 或 res/raw 中自称“隐私政策/个人信息保护”等的页面），
    /// 代码中也没有指向隐私政策或用户协议的网址。
    /// 若随安装包另行提供了已发布的隐私政策（`--policy` 或应用商店上架信息），则不再称“没有隐私政策”，
    /// 只提示安装包本身未内置也未链接该政策（低风险，需核实 App 内能否看到）。
    ///
    /// The package holds no privacy-policy page (no page in assets or res/raw presenting itself
    /// as a privacy policy) and its code names no privacy-policy or agreement URL.
    /// When the published policy is given beside the package (`--policy`, or the store
    /// listing's text), the rule does not say there is none: it notes, at low severity, that
    /// the package neither bundles nor links it, so whether the app shows it needs checking.
    ///
    /// An SDK configuration endpoint whose path names a policy (`…/openapi/policy_conf`) is not
    /// taken for a policy URL unless it also says "privacy". A reviewer counts a finding as true
    /// when no bundled page and no URL in the code is a privacy policy or user agreement.
    ///
    /// ## 为何违规 / Why it matters
    /// 认定方法一.1：“App 中没有隐私政策”即属未公开收集使用规则；GB/T 35273-2020 5.5 和个人信息保护法第 17 条要求以隐私政策告知处理规则。
    /// 政策也可能从服务器下发且网址不含标识词，因此本规则置信度为中，需结合动态检测确认。
    ///
    /// AM-2019 1.1 treats an app with no privacy policy as not publishing its rules; GB/T 35273
    /// 5.5 and PIPL art. 17 require one. A policy may come from a server under an unremarkable
    /// URL, so confidence is medium until a dynamic test confirms.
    ///
    /// ## 示例 / Example
    /// 包内无 `assets/privacy.html`，DEX 中也无 `https://…/privacy…` 字符串。
    ///
    /// ## 整改建议 / How to fix
    /// 制定独立的隐私政策，首次启动时以弹窗提示用户阅读，并在应用内提供不超过 4 次点击可达的入口。
    ///
    /// Publish a standalone privacy policy, show it in a pop-up at first launch and keep it
    /// reachable within four taps.
    ///
    /// ## 依据 / References
    /// AM-1.1, GBT-5.5a, PIPL-17
    pub struct NoPrivacyPolicy {
        code: "AND009",
        name: "no-privacy-policy",
        title: ("安装包内未发现隐私政策", "No privacy policy in the package"),
        severity: High,
        cites: ["AM-1.1", "GBT-5.5a", "PIPL-17"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "制定独立的隐私政策，首次运行时以弹窗等方式提示用户阅读，并在应用内提供便捷入口。",
            "Publish a standalone privacy policy, prompt users to read it at first run and keep it easy to reach in the app."
        ),
        since: "0.1.0",
    }
}

impl NoPrivacyPolicy {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let bundled = android.web_assets.iter().any(|w| w.mentions_privacy_policy);
        let linked = android
            .strings
            .iter()
            .any(|s| s.kind == StringKind::PolicyUrl);
        if bundled || linked {
            return;
        }
        let (pages, dex) = (android.web_assets.len(), android.dex_files.len());
        let searched = Evidence::Note {
            text: "searched: assets/ and res/raw/ pages; URL constants in code".into(),
        };
        let external = ctx
            .facts
            .policy_origin
            .is_some_and(PolicyOrigin::is_external);
        let violation = if external {
            // A published policy exists; what is unknown is whether the app shows it.
            Violation::new(
                format!(
                    "已另行提供隐私政策，但安装包未内置也未链接该政策（{pages} 个页面文件、{dex} 个 DEX 中均未发现）：请核实 App 首次运行时是否提示阅读、应用内能否访问。"
                ),
                format!(
                    "A privacy policy was given beside the package, but the package neither bundles nor links it (none among {pages} bundled pages and {dex} DEX file(s)): check that the app shows it at first run and keeps it reachable."
                ),
                Party::App,
                "policy-not-in-package",
            )
            .severity(Severity::Low)
            .confidence(Confidence::Low)
        } else {
            Violation::new(
                format!("在 {pages} 个页面文件和 {dex} 个 DEX 中均未发现隐私政策页面或隐私政策网址。"),
                format!(
                    "No privacy-policy page among {pages} bundled pages and no policy URL in {dex} DEX file(s)."
                ),
                Party::App,
                "no-policy",
            )
            .confidence(Confidence::Medium)
        };
        out.push(violation.evidence([searched]));
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, StringRef, WebAsset};

    use super::*;
    use crate::testing::{android, render, run, run_facts_pub};

    #[test]
    fn flags_missing_policy() {
        let report = run(&NoPrivacyPolicy::META, NoPrivacyPolicy::check, android());
        assert_eq!(report.findings.len(), 1);
        insta::assert_snapshot!("AND009_fail", render(&report.findings));
    }

    #[test]
    fn a_policy_given_beside_the_package_is_not_called_missing() {
        let facts = |origin| Facts {
            android: Some(android()),
            policy_origin: Some(origin),
            ..Facts::default()
        };
        let report = run_facts_pub(
            &NoPrivacyPolicy::META,
            NoPrivacyPolicy::check,
            &facts(PolicyOrigin::Supplied),
        );
        let [finding] = &report.findings[..] else {
            panic!("one finding: {:?}", report.findings)
        };
        assert_eq!(finding.severity, Severity::Low);
        assert!(finding.message.en.contains("given beside the package"));
        insta::assert_snapshot!("AND009_supplied", render(&report.findings));
        let listing = run_facts_pub(
            &NoPrivacyPolicy::META,
            NoPrivacyPolicy::check,
            &facts(PolicyOrigin::Listing),
        );
        assert_eq!(listing.findings[0].severity, Severity::Low);
    }

    #[test]
    fn bundled_page_or_url_is_enough() {
        let mut facts = android();
        facts.web_assets = vec![WebAsset {
            path: "assets/privacy.html".into(),
            size: 10,
            title: Some("隐私政策".into()),
            mentions_privacy_policy: true,
        }];
        assert!(
            run(&NoPrivacyPolicy::META, NoPrivacyPolicy::check, facts)
                .findings
                .is_empty()
        );
        let mut facts = android();
        facts.strings = vec![StringRef {
            value: "https://x.example/privacy.html".into(),
            kind: StringKind::PolicyUrl,
            caller_class: "a.B".into(),
            caller_method: "c".into(),
            dex: "classes.dex".into(),
            offset: 1,
        }];
        assert!(
            run(&NoPrivacyPolicy::META, NoPrivacyPolicy::check, facts)
                .findings
                .is_empty()
        );
    }
}
