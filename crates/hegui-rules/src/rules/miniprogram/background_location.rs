use hegui_model::Party;

use super::{calls_by_api, calls_evidence, config_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// `requiredBackgroundModes` 含 `location`（小程序切到后台后仍可持续获取位置），或代码调用了
    /// `startLocationUpdateBackground`。只声明不调用同样报告（多声明）。
    ///
    /// `requiredBackgroundModes` includes `location`, or the code calls
    /// `startLocationUpdateBackground`. Declaring it without calling it is reported too.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 2 项整治无合理场景在后台收集个人信息；最小必要原则要求频率和范围与功能匹配。
    /// 导航、运动记录等场景可以合理使用，但须在隐私保护指引中说明。
    ///
    /// Notice 164 item 2 targets background collection without a reasonable scenario;
    /// minimisation asks scope and frequency to match the feature. Navigation or workout
    /// tracking can justify it, stated in the privacy guide.
    ///
    /// ## 示例 / Example
    /// `"requiredBackgroundModes": ["audio", "location"]`.
    ///
    /// ## 整改建议 / How to fix
    /// 没有后台定位的必需场景时从 `requiredBackgroundModes` 删除 `location`；需要时在指引中说明场景。
    ///
    /// Remove `location` from `requiredBackgroundModes` unless a feature needs it; otherwise
    /// state the scenario in the guide.
    ///
    /// ## 依据 / References
    /// MIIT164-02, GBT-5.2, WX-PRIV-02
    pub struct BackgroundLocation {
        code: "MP005",
        name: "mp-background-location",
        title: ("声明或使用后台持续定位", "Background location declared or used"),
        severity: Medium,
        cites: ["MIIT164-02", "GBT-5.2", "WX-PRIV-02"],
        needs: [MiniProgram],
        fix: (
            "无必需场景时删除 requiredBackgroundModes 中的 location；需要时在隐私保护指引中说明场景。",
            "Remove location from requiredBackgroundModes unless a feature needs it; then state it in the guide."
        ),
        since: "0.3.0",
    }
}

impl BackgroundLocation {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        let declared = mp
            .declared
            .required_background_modes
            .iter()
            .flatten()
            .any(|m| m == "location");
        let calls = calls_by_api(mp, |a| a.category == "location_background");
        let sites: Vec<_> = calls.values().flatten().copied().collect();
        let (zh, en) = match (declared, sites.is_empty()) {
            (false, true) => return,
            (true, false) => (
                "小程序声明并调用了后台持续定位。",
                "The mini-program declares and starts background location.",
            ),
            (true, true) => (
                "requiredBackgroundModes 声明了后台定位，但代码中没有调用 startLocationUpdateBackground（多声明）。",
                "requiredBackgroundModes declares background location, but nothing calls startLocationUpdateBackground (over-declared).",
            ),
            (false, false) => (
                "代码调用了 startLocationUpdateBackground，但 requiredBackgroundModes 没有声明 location。",
                "The code calls startLocationUpdateBackground, but requiredBackgroundModes does not declare location.",
            ),
        };
        let mut evidence = Vec::new();
        if declared {
            evidence.push(config_evidence(mp, "requiredBackgroundModes: location"));
        }
        evidence.extend(calls_evidence(&sites));
        out.push(Violation::new(zh, en, Party::App, "background-location").evidence(evidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{miniprogram, mp_call, render, run_mp};

    #[test]
    fn declared_used_or_both() {
        let mut facts = miniprogram();
        facts.declared.required_background_modes = Some(vec!["audio".into()]);
        assert!(
            run_mp(
                &BackgroundLocation::META,
                BackgroundLocation::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.declared.required_background_modes = Some(vec!["audio".into(), "location".into()]);
        let report = run_mp(
            &BackgroundLocation::META,
            BackgroundLocation::check,
            facts.clone(),
        );
        insta::assert_snapshot!("MP005_declared_only", render(&report.findings));
        facts.api_calls = vec![mp_call(
            "wx.startLocationUpdateBackground",
            "pages/run/run.js",
            40,
        )];
        let report = run_mp(&BackgroundLocation::META, BackgroundLocation::check, facts);
        assert_eq!(report.findings.len(), 1);
        assert!(
            report.findings[0]
                .message
                .en
                .contains("declares and starts")
        );
    }
}
