use hegui_model::{Party, Severity};

use super::whole_policy;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 提供的文本是用户协议而不是隐私政策（高），或隐私政策只是用户协议中的一节（中）。
    ///
    /// The text is a user agreement, not a privacy policy (high), or the policy is only a
    /// section of a user agreement (medium).
    ///
    /// ## 为何违规 / Why it matters
    /// 小程序合规指引第 1 项与认定方法 1.1：应制定独立的隐私政策；GB/T 35273 5.5 要求政策单独成文、易于访问。
    ///
    /// Guide item 1 and method item 1.1 require a standalone privacy policy; GB/T 35273 5.5
    /// asks for a separate, accessible document.
    ///
    /// ## 示例 / Example
    /// A "软件使用协议" whose section 6 is "个人信息保护及隐私政策".
    ///
    /// ## 整改建议 / How to fix
    /// 制定独立的隐私政策，在首次运行时单独展示并取得同意。
    ///
    /// Publish a standalone privacy policy and present it on first run for consent.
    ///
    /// ## 依据 / References
    /// AM-1.1, MP-01, GBT-5.5a
    pub struct AgreementNotPolicy {
        code: "POL002",
        name: "agreement-not-policy",
        title: ("以用户协议代替独立的隐私政策", "A user agreement in place of a standalone policy"),
        severity: High,
        cites: ["AM-1.1", "MP-01", "GBT-5.5a"],
        needs: [Policy],
        fix: (
            "制定独立的隐私政策，首次运行时单独展示并取得同意。",
            "Publish a standalone privacy policy and present it on first run."
        ),
        since: "0.4.0",
    }
}

impl AgreementNotPolicy {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        let v = match policy.doc_type.as_str() {
            "user_agreement" => Violation::new(
                "提供的文本是用户协议，不是隐私政策。",
                "The text is a user agreement, not a privacy policy.",
                Party::App,
                "user-agreement",
            ),
            "user_agreement+privacy_policy" => Violation::new(
                "隐私政策只是用户协议中的一部分，不是独立的文件。",
                "The privacy policy is a part of a user agreement, not a document of its own.",
                Party::App,
                "embedded-policy",
            )
            .severity(Severity::Medium),
            _ => return,
        };
        out.push(v.evidence([whole_policy(policy)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{policy, run_policy};

    #[test]
    fn agreements() {
        let mut facts = policy();
        assert!(
            run_policy(
                &AgreementNotPolicy::META,
                AgreementNotPolicy::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.doc_type = "user_agreement".into();
        let r = run_policy(
            &AgreementNotPolicy::META,
            AgreementNotPolicy::check,
            facts.clone(),
        );
        assert_eq!(r.findings[0].severity, Severity::High);
        facts.doc_type = "user_agreement+privacy_policy".into();
        let r = run_policy(&AgreementNotPolicy::META, AgreementNotPolicy::check, facts);
        assert_eq!(r.findings[0].severity, Severity::Medium);
    }
}
