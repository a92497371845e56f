use hegui_model::ConsentPhase;

use super::{by_party, collection_evidence, confidence_of, summary};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户在隐私政策弹窗中点击“不同意”之后，应用或 SDK 仍调用收集个人信息的接口。
    ///
    /// After the user rejected the privacy policy, the app or an SDK still called PI
    /// collection APIs.
    ///
    /// ## 为何违规 / Why it matters
    /// 《认定方法》三.2：用户明确表示不同意后仍收集个人信息，属于未经同意收集；个人信息保护法第 14 条
    /// 要求同意是自愿、明确的。
    ///
    /// The 2019 method 3.2: collecting after an explicit refusal is collection without
    /// consent; PIPL art. 14 requires consent to be voluntary and explicit.
    ///
    /// ## 示例 / Example
    /// seq 5 `consent_rejected`，seq 6 Bugly 读取 Android ID。
    ///
    /// ## 整改建议 / How to fix
    /// 拒绝后只提供无需个人信息的基本功能（或退出），不初始化任何会收集信息的 SDK。
    ///
    /// After a refusal offer only functions that need no PI (or leave), and initialise no
    /// collecting SDK.
    ///
    /// ## 依据 / References
    /// AM-3.2, MIIT164-01, GBT-5.3, PIPL-14
    pub struct CollectedAfterRejection {
        code: "DYN002",
        name: "collected-after-rejection",
        title: ("拒绝隐私政策后仍收集个人信息", "PI collected after the policy was rejected"),
        severity: High,
        cites: ["AM-3.2", "MIIT164-01", "GBT-5.3", "PIPL-14"],
        needs: [Trace],
        fix: (
            "用户拒绝后不得收集个人信息，也不初始化会收集信息的 SDK。",
            "After a refusal collect nothing and initialise no collecting SDK."
        ),
        since: "0.5.0",
    }
}

impl CollectedAfterRejection {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        for (party, list) in by_party(t, |c| c.phase == ConsentPhase::AfterRejection) {
            let who = ctx.party_label(party);
            let what = summary(&list);
            out.push(
                Violation::new(
                    format!("用户拒绝隐私政策后，{}仍收集了：{}。", who.zh, what.zh),
                    format!(
                        "{} still collected after the user rejected the policy: {}.",
                        who.en, what.en
                    ),
                    party.clone(),
                    "after-rejection",
                )
                .evidence(collection_evidence(t, &list, "after rejection"))
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
    fn collection_after_a_no() {
        let lines = [
            r#"{"type":"consent_shown","dialog_id":"d1","kind":"privacy_policy"}"#,
            r#"{"type":"consent_rejected","dialog_id":"d1"}"#,
            &call(
                "device_id.android_id",
                "com.tencent.bugly.crashreport.common.info.DeviceInfo",
            ),
        ];
        let report = run_trace(
            &CollectedAfterRejection::META,
            CollectedAfterRejection::check,
            trace(&lines),
            None,
        );
        insta::assert_snapshot!("DYN002_bugly", render(&report.findings));
        let clean = trace(&lines[..2]);
        let report = run_trace(
            &CollectedAfterRejection::META,
            CollectedAfterRejection::check,
            clean,
            None,
        );
        assert!(report.findings.is_empty());
    }
}
