use hegui_model::ConsentPhase;

use super::{by_party, collection_evidence, confidence_of, summary};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户同意隐私政策之前（首次同意之前，或从未出现同意），应用或其中的 SDK 已调用收集个人信息的
    /// 接口（设备标识、位置、应用列表、剪切板等）。按责任方（应用自身或具名 SDK）各报告一次。
    ///
    /// A privacy API that collects PI (device identifiers, location, app list, clipboard …)
    /// was called before the user accepted the privacy policy. One finding per responsible
    /// party: the app's own code or a named SDK, found from the call's stack.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 1 项与《认定方法》三.1：征得同意前就开始收集个人信息属于违规收集；这是
    /// 历次通报中最常见的问题，多由 SDK 在 `Application.onCreate` 中初始化造成。
    ///
    /// Notice 164 item 1 and the 2019 method 3.1: collecting before consent is illegal
    /// collection, the most common item in MIIT's notices, usually an SDK initialised in
    /// `Application.onCreate`.
    ///
    /// ## 示例 / Example
    /// seq 4 友盟 `DeviceConfig.getAndroidId` 读取 Android ID，seq 6 才弹出隐私政策。
    ///
    /// ## 整改建议 / How to fix
    /// 把 SDK 初始化和一切个人信息读取推迟到用户点击同意之后（各 SDK 均提供“预初始化/延迟初始化”
    /// 接口，如友盟 `UMConfigure.preInit`）。
    ///
    /// Move SDK initialisation and every PI read after the user accepts (SDKs provide a
    /// pre-init / deferred-init call, e.g. Umeng's `UMConfigure.preInit`).
    ///
    /// ## 依据 / References
    /// MIIT164-01, AM-3.1, TTAF078.6-3.1, TTAF078.6-3.2, TTAF078.6-3.5, GBT-5.4a, PIPL-14
    pub struct CollectedBeforeConsent {
        code: "DYN001",
        name: "collected-before-consent",
        title: ("同意隐私政策前收集个人信息", "PI collected before consent"),
        severity: High,
        cites: ["MIIT164-01", "AM-3.1", "TTAF078.6-3.1", "TTAF078.6-3.2", "TTAF078.6-3.5", "GBT-5.4a", "PIPL-14"],
        needs: [Trace],
        fix: (
            "将 SDK 初始化与个人信息读取推迟到用户同意隐私政策之后。",
            "Defer SDK initialisation and PI reads until the user accepts the policy."
        ),
        since: "0.5.0",
    }
}

impl CollectedBeforeConsent {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        for (party, list) in by_party(t, |c| c.phase == ConsentPhase::BeforeConsent) {
            let who = ctx.party_label(party);
            let what = summary(&list);
            out.push(
                Violation::new(
                    format!("{}在用户同意隐私政策前收集了：{}。", who.zh, what.zh),
                    format!(
                        "{} collected before the user accepted the policy: {}.",
                        who.en, what.en
                    ),
                    party.clone(),
                    "before-consent",
                )
                .evidence(collection_evidence(t, &list, "before consent"))
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
    fn only_collection_before_acceptance_counts() {
        let facts = trace(&[
            r#"{"type":"app_start","kind":"cold","trigger":"automation"}"#,
            &call(
                "device_id.android_id",
                "com.umeng.commonsdk.statistics.common.DeviceConfig",
            ),
            &call(
                "permission.check",
                "com.umeng.commonsdk.statistics.common.DeviceConfig",
            ),
            r#"{"type":"consent_shown","dialog_id":"d1","kind":"privacy_policy"}"#,
            r#"{"type":"consent_accepted","dialog_id":"d1"}"#,
            &call("device_id.android_id", "com.example.app.Main"),
        ]);
        let report = run_trace(
            &CollectedBeforeConsent::META,
            CollectedBeforeConsent::check,
            facts,
            None,
        );
        assert_eq!(report.findings.len(), 1, "{}", render(&report.findings));
        insta::assert_snapshot!("DYN001_umeng", render(&report.findings));
    }
}
