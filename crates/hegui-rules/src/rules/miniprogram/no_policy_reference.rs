use hegui_model::{Confidence, Evidence, Party};

use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 小程序包内找不到隐私政策：没有路径含 privacy / yinsi / 隐私 等字样的页面，没有指向隐私政策的链接，
    /// 也没有调用 `openPrivacyContract` 打开平台上的隐私保护指引。只在小程序确实使用了隐私接口时报告。
    ///
    /// Nothing in the package shows a privacy policy: no page whose path names one, no link to
    /// one, no `openPrivacyContract` call. Reported only when the mini-program uses privacy
    /// interfaces.
    ///
    /// ## 为何违规 / Why it matters
    /// 小程序合规指引第 1 项：未制定独立的隐私政策；认定方法 1.1：没有隐私政策。
    /// 政策也可能只在管理后台配置或由服务器下发的页面展示，本工具在包内看不到，因此置信度低，需人工确认。
    ///
    /// Guide item 1 (no standalone privacy policy) and method item 1.1. The policy may live only
    /// in the admin console or on a server-rendered page the package does not hold, hence low
    /// confidence: confirm by hand.
    ///
    /// ## 示例 / Example
    /// A shop mini-program with `pages/index`, `pages/cart`, `pages/me` and no policy page or link.
    ///
    /// ## 整改建议 / How to fix
    /// 提供独立的隐私政策页面（或 `wx.openPrivacyContract`），在“我的”或登录页放置入口，并在首次使用时提示阅读。
    ///
    /// Provide a standalone privacy-policy page (or `wx.openPrivacyContract`), link it from the
    /// profile and login pages, and prompt the user to read it on first use.
    ///
    /// ## 依据 / References
    /// MP-01, AM-1.1
    pub struct NoPolicyReference {
        code: "MP009",
        name: "no-policy-reference",
        title: ("包内找不到隐私政策页面或链接", "No privacy policy page or link in the package"),
        severity: Medium,
        cites: ["MP-01", "AM-1.1"],
        needs: [MiniProgram],
        fix: (
            "提供独立的隐私政策页面或调用 openPrivacyContract，并在显著位置放置入口。",
            "Provide a privacy-policy page or call openPrivacyContract, linked from a visible place."
        ),
        since: "0.3.0",
    }
}

impl NoPolicyReference {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        let uses_pi = super::app_side_calls(mp).any(|c| {
            hegui_knowledge::miniprogram_apis()
                .get(c.name())
                .is_some_and(|a| a.kind == "api" && a.category != "none")
        });
        if !mp.policy_refs.is_empty() || !uses_pi {
            return;
        }
        out.push(
            Violation::new(
                format!(
                    "在 {} 个页面和全部代码中没有找到隐私政策页面、链接或 openPrivacyContract 调用；若隐私政策只在管理后台配置或由服务器下发，请人工确认。",
                    mp.pages.len()
                ),
                format!(
                    "None of the {} pages, links or calls shows a privacy policy; if it is configured only in the admin console or served by the server, confirm by hand.",
                    mp.pages.len()
                ),
                Party::App,
                "no-policy-reference",
            )
            .confidence(Confidence::Low)
            .evidence([Evidence::Note {
                text: format!(
                    "{} pages, {} files read",
                    mp.pages.len(),
                    mp.files
                ),
            }]),
        );
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::PolicyRef;

    use super::*;
    use crate::testing::{miniprogram, mp_call, render, run_mp};

    #[test]
    fn only_when_pi_is_used_and_nothing_shows_a_policy() {
        let mut facts = miniprogram();
        assert!(
            run_mp(
                &NoPolicyReference::META,
                NoPolicyReference::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.api_calls = vec![mp_call("wx.getLocation", "app.js", 3)];
        let report = run_mp(
            &NoPolicyReference::META,
            NoPolicyReference::check,
            facts.clone(),
        );
        insta::assert_snapshot!("MP009_fail", render(&report.findings));
        facts.policy_refs = vec![PolicyRef {
            kind: "page".into(),
            value: "pages/privacy/privacy".into(),
            site: None,
        }];
        assert!(
            run_mp(&NoPolicyReference::META, NoPolicyReference::check, facts)
                .findings
                .is_empty()
        );
    }
}
