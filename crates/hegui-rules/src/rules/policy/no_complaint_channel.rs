use hegui_model::{ElementValue, Party};

use super::whole_policy;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策既没有个人信息投诉、举报渠道，也没有可用于个人信息问题的联系方式。
    ///
    /// The policy gives neither a complaint channel for PI issues nor any contact for them.
    ///
    /// ## 为何违规 / Why it matters
    /// 认定方法 6.5：未建立并公布个人信息安全投诉、举报渠道；GB/T 35273 8.8 要求投诉管理机制；
    /// 小程序合规指引第 9 项同此。
    ///
    /// Method item 6.5, GB/T 35273 8.8 and guide item 9 require a published complaint channel.
    ///
    /// ## 示例 / Example
    /// A policy that ends with "如有疑问请联系我们" and no address, phone or e-mail.
    ///
    /// ## 整改建议 / How to fix
    /// 公布投诉举报渠道（电话、邮箱、在线表单）与受理时限（不超过 15 个工作日）。
    ///
    /// Publish a complaint channel (phone, e-mail, form) and a response time of at most 15
    /// working days.
    ///
    /// ## 依据 / References
    /// AM-6.5, GBT-8.8, MP-09
    pub struct NoComplaintChannel {
        code: "POL003",
        name: "no-complaint-channel",
        title: ("隐私政策未提供投诉渠道", "No complaint channel in the policy"),
        severity: Medium,
        cites: ["AM-6.5", "GBT-8.8", "MP-09"],
        needs: [Policy],
        fix: (
            "公布投诉举报渠道与受理时限（不超过 15 个工作日）。",
            "Publish a complaint channel and a response time of at most 15 working days."
        ),
        since: "0.4.0",
    }
}

impl NoComplaintChannel {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        let absent = policy
            .elements
            .get("complaint_channel")
            .is_some_and(|e| e.value == ElementValue::FALSE);
        if absent {
            out.push(
                Violation::new(
                    "隐私政策没有投诉举报渠道，也没有个人信息问题的联系方式。",
                    "The policy gives no complaint channel and no contact for PI issues.",
                    Party::App,
                    "no-complaint-channel",
                )
                .evidence([whole_policy(policy)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{policy, run_policy, set_element};

    #[test]
    fn only_when_absent() {
        let mut facts = policy();
        assert!(
            run_policy(
                &NoComplaintChannel::META,
                NoComplaintChannel::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        set_element(&mut facts, "complaint_channel", ElementValue::FALSE, None);
        assert_eq!(
            run_policy(&NoComplaintChannel::META, NoComplaintChannel::check, facts)
                .findings
                .len(),
            1
        );
    }
}
