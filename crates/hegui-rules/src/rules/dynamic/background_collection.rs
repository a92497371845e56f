use hegui_model::AppState;

use super::{by_party, collection_evidence, confidence_of, summary};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用处于后台（按 `app_background` / `app_foreground` 与启动事件重新计算，而非采信采集工具的
    /// `fg` 标记）时仍收集个人信息，按责任方报告。
    ///
    /// PI collected while the app was in the background, by the state hegui recomputes
    /// from lifecycle events (not the producer's `fg` flag), per responsible party.
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 2 项与 T/TAF 078.1 §3.5/§3.7：无合理场景的静默、后台收集属于超范围收集；最小必要
    /// 原则（GB/T 35273 5.2）要求频率与范围以功能为限。
    ///
    /// Notice 164 item 2 and T/TAF 078.1 §3.5/§3.7: silent or background collection with no
    /// reasonable scenario is over-collection; minimisation limits scope and frequency.
    ///
    /// ## 示例 / Example
    /// seq 6 `app_background`，seq 7、8 应用读取精确位置。
    ///
    /// ## 整改建议 / How to fix
    /// 退到后台时停止定位、传感器和标识读取；导航等确需后台收集的场景须单独告知并取得同意。
    ///
    /// Stop location, sensors and identifier reads in the background; where a feature truly
    /// needs it (navigation), tell the user and ask separately.
    ///
    /// ## 依据 / References
    /// MIIT164-02, TTAF078.1-3.5, TTAF078.1-3.7, AM-4.1, GBT-5.2
    pub struct BackgroundCollection {
        code: "DYN004",
        name: "background-collection",
        title: ("后台收集个人信息", "PI collected in the background"),
        severity: Medium,
        cites: ["MIIT164-02", "TTAF078.1-3.5", "TTAF078.1-3.7", "AM-4.1", "GBT-5.2"],
        needs: [Trace],
        fix: (
            "应用进入后台后停止收集个人信息；确需后台收集的功能须单独告知并取得同意。",
            "Stop collecting in the background; tell and ask where a feature needs it."
        ),
        since: "0.5.0",
    }
}

impl BackgroundCollection {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        for (party, list) in by_party(t, |c| c.state == AppState::Background) {
            let who = ctx.party_label(party);
            let what = summary(&list);
            out.push(
                Violation::new(
                    format!("应用在后台时，{}收集了：{}。", who.zh, what.zh),
                    format!(
                        "{} collected while the app was in the background: {}.",
                        who.en, what.en
                    ),
                    party.clone(),
                    "background",
                )
                .evidence(collection_evidence(t, &list, "in the background"))
                .confidence(confidence_of(&list)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{call, render, run_trace, trace};

    #[test]
    fn background_by_lifecycle_not_by_flag() {
        let facts = trace(&[
            r#"{"type":"consent_accepted","dialog_id":"d1"}"#,
            r#"{"type":"app_start","kind":"cold","trigger":"user"}"#,
            // The producer claims foreground; the lifecycle says otherwise.
            r#"{"type":"app_background"}"#,
            &call("location.precise", "com.example.app.Tracker")
                .replace(r#""type""#, r#""fg":true,"type""#),
            r#"{"type":"app_foreground"}"#,
            &call("location.precise", "com.example.app.Tracker"),
        ]);
        let report = run_trace(
            &BackgroundCollection::META,
            BackgroundCollection::check,
            facts,
            None,
        );
        assert_eq!(report.findings.len(), 1);
        insta::assert_snapshot!("DYN004_app", render(&report.findings));
    }
}
