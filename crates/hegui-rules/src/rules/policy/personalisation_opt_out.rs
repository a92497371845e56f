use hegui_model::{Confidence, Party, Severity};

use super::span_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策写明将个人信息用于个性化推荐、定向推送或个性化广告（含用户画像），却没有给出
    /// 拒绝或关闭的方式；或者唯一的方式是停止使用服务、注销账号。
    ///
    /// The policy uses PI for personalised recommendation, targeted push or personalised ads
    /// (or a profile for them) but gives no way to refuse or turn it off, or the only way is to
    /// stop using the service or close the account.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文整治任务 4（强制用户使用定向推送功能）要求提供关闭选项；个人信息保护法第 24 条
    /// 要求通过自动化决策进行信息推送、商业营销时，提供不针对个人特征的选项或便捷的拒绝方式。
    /// 以停止服务为代价的“拒绝”不是便捷的拒绝方式。
    ///
    /// Notice 164 task 4 (forced targeted push) requires an off switch; PIPL article 24 requires
    /// an option not based on personal characteristics, or a convenient way to refuse, for
    /// push and marketing by automated decision-making. Refusing by giving up the service is
    /// not convenient.
    ///
    /// ## 示例 / Example
    /// "我们会根据您的浏览记录为您进行个性化推荐" with no "您可以在设置中关闭个性化推荐" anywhere;
    /// or "如您不希望接收个性化广告，请停止使用本服务".
    ///
    /// ## 整改建议 / How to fix
    /// 在应用内提供关闭个性化推荐、个性化广告的开关，并在政策中写明路径（如“我的-设置-隐私-
    /// 个性化推荐”），关闭后仍可使用基本功能。
    ///
    /// Offer switches for personalised recommendations and ads in the app, state the path in
    /// the policy (e.g. Me > Settings > Privacy > Personalised recommendations), and keep the
    /// basic service working when they are off.
    ///
    /// ## 依据 / References
    /// MIIT164-04, PIPL-24
    pub struct PersonalisationOptOut {
        code: "POL006",
        name: "personalisation-without-opt-out",
        title: ("个性化推送未提供关闭方式", "Personalisation without a way to turn it off"),
        severity: Medium,
        cites: ["MIIT164-04", "PIPL-24"],
        needs: [Policy],
        fix: (
            "提供关闭个性化推荐、个性化广告的开关并在政策中写明路径，关闭后基本功能仍可用。",
            "Offer switches for personalised recommendations and ads, state the path in the policy, and keep the basic service working when they are off."
        ),
        since: "0.7.0",
    }
}

impl PersonalisationOptOut {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        let p = &policy.personalisation;
        if p.uses.is_empty() {
            return;
        }
        let usable = p.opt_outs.iter().any(|o| !p.conditional.contains(o));
        if usable {
            return;
        }
        let uses = p.uses.iter().take(3).map(|s| span_evidence(policy, s));
        let v = if p.conditional.is_empty() {
            Violation::new(
                "隐私政策写明将个人信息用于个性化推荐或定向推送，但没有给出拒绝或关闭的方式。",
                "The policy uses PI for personalised recommendation or targeted push but gives no way to refuse or turn it off.",
                Party::App,
                "no-opt-out",
            )
            .evidence(uses)
        } else {
            Violation::new(
                "隐私政策对个性化推荐或定向推送只给出停止使用服务、注销账号这类以放弃服务为代价的拒绝方式。",
                "The only way the policy gives to refuse personalised recommendation or targeted push is to stop using the service or close the account.",
                Party::App,
                "opt-out-costs-the-service",
            )
            .evidence(uses.chain(p.conditional.iter().take(2).map(|s| span_evidence(policy, s))))
        };
        // The text may describe the switch in words hegui does not read: a reviewer confirms.
        out.push(v.severity(Severity::Medium).confidence(Confidence::Medium));
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::TextSpan;

    use super::*;
    use crate::testing::{policy, run_policy};

    fn span(quote: &str, start: u32) -> TextSpan {
        TextSpan {
            start,
            end: start + quote.chars().count() as u32,
            quote: quote.into(),
            source: None,
        }
    }

    fn findings(p: hegui_model::Personalisation) -> Vec<String> {
        let mut facts = policy();
        facts.personalisation = p;
        run_policy(
            &PersonalisationOptOut::META,
            PersonalisationOptOut::check,
            facts,
        )
        .findings
        .iter()
        .map(|f| f.message.en.clone())
        .collect()
    }

    #[test]
    fn fires_without_a_usable_switch() {
        let uses = vec![span("我们会根据您的浏览记录进行个性化推荐。", 10)];
        let switch = span("您可以在“设置-隐私”中关闭个性化推荐。", 40);
        let quit = span("如您不希望接收个性化广告，请停止使用本服务。", 80);
        // No use: nothing to judge.
        assert!(findings(Default::default()).is_empty());
        // A use and a switch: fine.
        assert!(
            findings(hegui_model::Personalisation {
                uses: uses.clone(),
                opt_outs: vec![switch],
                conditional: Vec::new(),
            })
            .is_empty()
        );
        // A use and nothing else.
        let none = findings(hegui_model::Personalisation {
            uses: uses.clone(),
            ..Default::default()
        });
        assert_eq!(none.len(), 1);
        assert!(none[0].contains("no way to refuse"), "{none:?}");
        // A use and only a way out that costs the service.
        let costly = findings(hegui_model::Personalisation {
            uses,
            opt_outs: vec![quit.clone()],
            conditional: vec![quit],
        });
        assert_eq!(costly.len(), 1);
        assert!(costly[0].contains("stop using the service"), "{costly:?}");
    }
}
