use hegui_model::{ElementValue, POLICY_ELEMENTS, Party, Severity};

use super::{span_evidence, whole_policy};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策缺少或只部分写明 GB/T 35273-2020 5.5 与个人信息保护法第 17 条要求的十项内容之一：
    /// 运营者身份与联系方式、按业务功能列明的个人信息、目的、敏感个人信息标识、第三方/SDK 清单、
    /// 存储地点与期限、用户权利（查询、更正、删除、注销）、投诉渠道、未成年人条款、更新与通知。
    /// 缺失为中级，部分为低级；每项一条。
    ///
    /// The policy lacks, or only partly states, one of the ten elements GB/T 35273-2020 5.5
    /// and PIPL article 17 require. Missing is medium, partial is low; one finding per element.
    ///
    /// ## 为何违规 / Why it matters
    /// 认定方法 1.1、2.1 将没有收集使用规则、未逐一列出目的方式范围认定为违规；政策是用户知情同意的基础。
    ///
    /// Method items 1.1 and 2.1 name a policy without these rules a violation; the policy is
    /// what informed consent rests on.
    ///
    /// ## 示例 / Example
    /// A policy that never says where PI is stored or for how long (`storage_location_period`).
    ///
    /// ## 整改建议 / How to fix
    /// 参照 GB/T 35273-2020 附录 D 补齐该项，并写清具体内容（如“存储于中国境内，保存至账号注销后 30 日”）。
    ///
    /// Complete the element following GB/T 35273-2020 Annex D, concretely.
    ///
    /// ## 依据 / References
    /// GBT-5.5a, GBT-AnnexD, PIPL-17, AM-2.1
    pub struct ElementMissing {
        code: "POL001",
        name: "policy-element-missing",
        title: ("隐私政策缺少必备内容", "Privacy policy lacks a required element"),
        severity: Medium,
        cites: ["GBT-5.5a", "GBT-AnnexD", "PIPL-17", "AM-2.1"],
        needs: [Policy],
        fix: (
            "参照 GB/T 35273-2020 附录 D 补齐缺失或不完整的内容。",
            "Complete the missing or partial element following GB/T 35273-2020 Annex D."
        ),
        since: "0.4.0",
    }
}

impl ElementMissing {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        for name in POLICY_ELEMENTS {
            let Some(element) = policy.elements.get(*name) else {
                continue;
            };
            let label = hegui_model::element_label(name);
            let (zh, en) = (&label.zh, &label.en);
            // What the reader found lacking, when it said so.
            let (why_zh, why_en) = element
                .missing
                .as_ref()
                .map(|m| (format!("：{}", m.zh), format!(": {}", m.en)))
                .unwrap_or_default();
            let v = match element.value {
                ElementValue::Bool(true) => continue,
                ElementValue::Bool(false) => Violation::new(
                    format!("隐私政策没有写明“{zh}”{why_zh}。"),
                    format!("The policy does not state its {en}{why_en}."),
                    Party::App,
                    *name,
                )
                .evidence([whole_policy(policy)]),
                ElementValue::Partial(_) => Violation::new(
                    format!("隐私政策对“{zh}”只写了一部分{why_zh}。"),
                    format!("The policy states its {en} only in part{why_en}."),
                    Party::App,
                    *name,
                )
                .severity(Severity::Low)
                .evidence(element.evidence.iter().map(|s| span_evidence(policy, s))),
            };
            out.push(v.confidence(hegui_model::Confidence::Medium));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{policy, render, run_policy};

    #[test]
    fn missing_and_partial_elements() {
        let mut facts = policy();
        assert!(
            run_policy(&ElementMissing::META, ElementMissing::check, facts.clone())
                .findings
                .is_empty()
        );
        crate::testing::set_element(
            &mut facts,
            "storage_location_period",
            ElementValue::FALSE,
            None,
        );
        crate::testing::set_element(
            &mut facts,
            "user_rights",
            ElementValue::PARTIAL,
            Some("您可以查看您的个人信息"),
        );
        if let Some(e) = facts.elements.get_mut("user_rights") {
            e.missing = Some(hegui_model::Localized::new(
                "未说明用户如何行使：更正、删除、注销账号",
                "no way given for: correction, deletion, account cancellation",
            ));
        }
        let report = run_policy(&ElementMissing::META, ElementMissing::check, facts);
        insta::assert_snapshot!("POL001_fail", render(&report.findings));
    }
}
