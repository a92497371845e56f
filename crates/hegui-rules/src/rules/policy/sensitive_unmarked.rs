use hegui_model::{ElementValue, Party};

use super::span_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策声明收集敏感个人信息（身份证号、人脸、位置、支付信息、通讯录……），但从未标识哪些属于
    /// 敏感个人信息（没有说明，也没有加粗等显著标识）。
    ///
    /// The policy declares sensitive PI (ID numbers, face, location, payment data,
    /// contacts…) but never identifies it as sensitive, in words or by emphasis.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273 5.5a 要求在隐私政策中对敏感个人信息进行显著标识；个人信息保护法第 30 条要求告知处理
    /// 敏感个人信息的必要性及对个人权益的影响。
    ///
    /// GB/T 35273 5.5a asks for sensitive PI to be marked; PIPL article 30 asks for its
    /// necessity and impact to be told.
    ///
    /// ## 示例 / Example
    /// “我们会收集您的身份证号码和面部特征” with no word on sensitivity and no emphasis.
    ///
    /// ## 整改建议 / How to fix
    /// 以加粗等方式标识敏感个人信息，并说明处理的必要性与影响。
    ///
    /// Mark sensitive PI (e.g. in bold) and state why it is needed and how it affects the user.
    ///
    /// ## 依据 / References
    /// GBT-5.5a, PIPL-30
    pub struct SensitiveUnmarked {
        code: "POL005",
        name: "sensitive-pi-unmarked",
        title: ("敏感个人信息未作标识", "Sensitive PI never marked"),
        severity: Medium,
        cites: ["GBT-5.5a", "PIPL-30"],
        needs: [Policy],
        fix: (
            "以加粗等方式标识敏感个人信息，并说明处理的必要性与影响。",
            "Mark sensitive PI and state why it is needed and its impact."
        ),
        since: "0.4.0",
    }
}

impl SensitiveUnmarked {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        let unmarked = policy
            .elements
            .get("sensitive_pi_marked")
            .is_some_and(|e| e.value == ElementValue::FALSE);
        let sensitive: Vec<_> = policy
            .pi_types
            .iter()
            .filter(|d| d.sensitive && !d.marked)
            .collect();
        if !unmarked
            || sensitive.is_empty()
            || policy.pi_types.iter().any(|d| d.sensitive && d.marked)
        {
            return;
        }
        let terms: Vec<&str> = sensitive.iter().map(|d| d.term.as_str()).collect();
        out.push(
            Violation::new(
                format!(
                    "隐私政策声明收集敏感个人信息（{}），但没有标识其为敏感个人信息。",
                    terms.join("、")
                ),
                format!(
                    "The policy declares sensitive PI ({}) but never marks it as sensitive.",
                    terms.join(", ")
                ),
                Party::App,
                "sensitive-unmarked",
            )
            .evidence(
                sensitive
                    .iter()
                    .take(10)
                    .map(|d| span_evidence(policy, &d.span)),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::PiCategory;

    use super::*;
    use crate::testing::{declared_pi, policy, run_policy, set_element};

    #[test]
    fn declared_sensitive_but_unmarked() {
        let count = |facts: &hegui_model::PolicyFacts| {
            run_policy(
                &SensitiveUnmarked::META,
                SensitiveUnmarked::check,
                facts.clone(),
            )
            .findings
            .len()
        };
        let mut facts = policy();
        facts.pi_types = vec![declared_pi(PiCategory::Identity, "身份证号码")];
        assert_eq!(count(&facts), 0);
        set_element(&mut facts, "sensitive_pi_marked", ElementValue::FALSE, None);
        assert_eq!(count(&facts), 1);
        facts.pi_types[0].marked = true;
        assert_eq!(count(&facts), 0);
        // A name is identity but not sensitive PI: nothing to mark.
        let mut name = declared_pi(PiCategory::Identity, "姓名");
        name.sensitive = false;
        facts.pi_types = vec![name];
        assert_eq!(count(&facts), 0);
    }
}
