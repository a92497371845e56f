use hegui_model::Party;

use super::plist_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// `UIBackgroundModes` 含 `location`（应用退到后台后仍持续获取位置），或声明了“始终”定位用途说明
    /// （`NSLocationAlwaysAndWhenInUseUsageDescription`）。
    ///
    /// `UIBackgroundModes` includes `location` (the app keeps receiving locations in the
    /// background), or the "always" location purpose key is declared.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 2 项整治无合理场景在后台收集个人信息；T/TAF 078.1 §3.5 将静默后台超范围收集列为违规；
    /// TC260 指南 4.2 要求后台使用敏感功能时显著提示。导航、运动记录等场景可以合理使用，但须在隐私政策中说明。
    ///
    /// Notice 164 item 2 targets background collection without a reasonable scenario; T/TAF
    /// 078.1 §3.5 names silent background collection; TC260 4.2 asks for a visible notice.
    /// Navigation or workout tracking can justify it, stated in the policy.
    ///
    /// ## 示例 / Example
    /// `UIBackgroundModes = (location, remote-notification)`。
    ///
    /// ## 整改建议 / How to fix
    /// 没有导航、运动记录等必需场景时删除后台定位模式与“始终”定位说明；需要时在隐私政策中说明场景并提供关闭入口。
    ///
    /// Without a navigation or tracking feature, remove the background location mode and the
    /// "always" key; otherwise state the scenario in the policy and offer a switch.
    ///
    /// ## 依据 / References
    /// MIIT164-02, TTAF078.1-3.5, PG20204-4.2g-i
    pub struct BackgroundLocation {
        code: "IOS007",
        name: "background-location",
        title: ("声明后台持续定位", "Background location declared"),
        severity: Medium,
        cites: ["MIIT164-02", "TTAF078.1-3.5", "PG20204-4.2g-i"],
        needs: [IosBundle],
        fix: (
            "无导航等必需场景时删除后台定位模式与“始终”定位说明；需要时在隐私政策中说明并提供关闭入口。",
            "Remove background location unless a feature needs it; then state it in the policy and offer a switch."
        ),
        since: "0.2.0",
    }
}

impl BackgroundLocation {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let mut evidence = Vec::new();
        if ios.background_modes.iter().any(|m| m == "location") {
            evidence.push(plist_evidence(
                ios,
                "UIBackgroundModes",
                Some("location".into()),
            ));
        }
        for key in [
            "NSLocationAlwaysAndWhenInUseUsageDescription",
            "NSLocationAlwaysUsageDescription",
        ] {
            if ios.usage_descriptions.contains_key(key) {
                evidence.push(plist_evidence(ios, key, None));
            }
        }
        if evidence.is_empty() {
            return;
        }
        out.push(
            Violation::new(
                "应用声明在后台持续获取位置信息（后台定位模式或“始终”定位授权）。",
                "The app declares background location (the background mode or \"always\" authorisation).",
                Party::App,
                "background-location",
            )
            .evidence(evidence),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, render, run_ios};

    #[test]
    fn background_mode_or_always_key() {
        let mut facts = ios();
        facts.background_modes = vec!["remote-notification".into()];
        assert!(
            run_ios(
                &BackgroundLocation::META,
                BackgroundLocation::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.background_modes.push("location".into());
        let report = run_ios(&BackgroundLocation::META, BackgroundLocation::check, facts);
        insta::assert_snapshot!("IOS007_fail", render(&report.findings));
    }
}
