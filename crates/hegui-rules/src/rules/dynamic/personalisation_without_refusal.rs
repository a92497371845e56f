use hegui_model::{Confidence, Party};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 运行记录中询问个性化广告或个性化推荐的弹窗（`consent_shown`，`kind` 为 `personalised_ads`）只提供同意类按钮，
    /// 没有“拒绝”或“关闭”（`role` 为 `reject`/`close`）的选项。这类弹窗的回答不影响隐私政策的同意状态。
    ///
    /// A dialog about personalised ads or recommendations (`consent_shown` of kind
    /// `personalised_ads`) that offers no way to say no: none of its buttons has the role
    /// `reject` or `close`. Answers to such a dialog do not change the privacy-policy consent
    /// state the other dynamic rules judge by.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 4 项整治“强制用户使用定向推送功能”；个人信息保护法第 24 条要求通过自动化决策进行信息推送、商业营销时
    /// 提供不针对个人特征的选项或便捷的拒绝方式；T/TAF 078.2 §3.4 要求提供关闭选项。
    ///
    /// Notice 164 item 4 targets forcing users into targeted push; PIPL art. 24 requires an
    /// option not based on personal characteristics, or a convenient way to refuse, for
    /// automated push and marketing; T/TAF 078.2 §3.4 requires an off switch.
    ///
    /// ## 示例 / Example
    /// seq 9 弹窗“为您推荐更感兴趣的内容”只有“开启个性化推荐”一个按钮。
    ///
    /// ## 整改建议 / How to fix
    /// 个性化推荐或广告的询问须同时提供“不开启/拒绝”选项，拒绝后仍可使用基本功能，并在设置中提供随时关闭的开关。
    ///
    /// Offer a "no" beside "turn on" in every personalisation prompt, keep the basic service
    /// after a refusal, and keep an off switch in the settings.
    ///
    /// ## 依据 / References
    /// MIIT164-04, PIPL-24, TTAF078.2-3.4
    pub struct PersonalisationWithoutRefusal {
        code: "DYN012",
        name: "personalisation-without-refusal",
        title: ("个性化推荐弹窗无拒绝选项", "Personalisation prompt with no way to refuse"),
        severity: Medium,
        cites: ["MIIT164-04", "PIPL-24", "TTAF078.2-3.4"],
        needs: [Trace],
        fix: (
            "个性化推荐或广告的询问须同时提供拒绝选项，拒绝后不影响基本功能，并在设置中提供关闭开关。",
            "Offer a refusal in every personalisation prompt, keep the basic service after it, and keep an off switch in the settings."
        ),
        since: "0.9.0",
    }
}

impl PersonalisationWithoutRefusal {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let forced: Vec<_> = t
            .personalisation_prompts
            .iter()
            .filter(|p| !p.can_refuse)
            .collect();
        let Some(first) = forced.first() else { return };
        let buttons = if first.buttons.is_empty() {
            "—".to_string()
        } else {
            first.buttons.join(" / ")
        };
        let seqs: Vec<u64> = forced.iter().map(|p| p.at.seq).collect();
        out.push(
            Violation::new(
                format!(
                    "个性化推荐/广告弹窗出现 {} 次，均未提供拒绝选项（按钮：{buttons}）。",
                    forced.len()
                ),
                format!(
                    "A personalisation prompt was shown {} with no way to refuse (buttons: {buttons}).",
                    super::times(forced.len() as u64)
                ),
                Party::App,
                "personalised_ads",
            )
            .confidence(Confidence::Medium)
            .evidence([trace_evidence(
                t,
                &seqs,
                format!("consent_shown personalised_ads, buttons: {buttons}"),
            )]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn a_prompt_with_only_a_yes() {
        let facts = trace(&[
            r#"{"type":"consent_shown","dialog_id":"p","kind":"personalised_ads","buttons":[{"label":"开启个性化推荐","role":"accept"}]}"#,
            r#"{"type":"consent_accepted","dialog_id":"p"}"#,
        ]);
        // The answer is the prompt's, not the privacy notice's.
        assert!(facts.runs[0].consent_accepted.is_none());
        assert_eq!(
            facts.personalisation_prompts[0].answer.as_deref(),
            Some("accepted")
        );
        let report = run_trace(
            &PersonalisationWithoutRefusal::META,
            PersonalisationWithoutRefusal::check,
            facts,
            None,
        );
        insta::assert_snapshot!("DYN012_only_yes", render(&report.findings));
    }

    #[test]
    fn a_prompt_with_a_no_is_not_reported() {
        let facts = trace(&[
            r#"{"type":"consent_shown","dialog_id":"p","kind":"personalised_ads","buttons":[{"label":"开启","role":"accept"},{"label":"暂不开启","role":"reject"}]}"#,
            r#"{"type":"consent_rejected","dialog_id":"p"}"#,
        ]);
        // Refusing personalisation is not rejecting the privacy policy.
        assert!(facts.runs[0].consent_rejected.is_none());
        let report = run_trace(
            &PersonalisationWithoutRefusal::META,
            PersonalisationWithoutRefusal::check,
            facts,
            None,
        );
        assert!(report.findings.is_empty());
    }
}
