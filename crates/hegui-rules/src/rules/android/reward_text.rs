use hegui_model::{Confidence, Evidence, Party, PiCategory, RewardText, Severity};

use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 安装包的字符串资源（默认语言与中文）中，有短文本把奖励字样（红包、领取、奖励、抽奖、提现、现金、
    /// 优惠券、积分…）与身份证号、人脸、指纹、通讯录、位置等请求写在一起，如“实名认证领 10 元红包”
    /// “刷脸领取奖励”。这是静态候选（低置信度）：文本存在不等于界面一定展示；运行时的屏幕与点击由
    /// DYN011 判断。超过 60 字的文本视为说明文字（如政策摘要），不报告。
    ///
    /// A short string resource of the package (default and Chinese locales) that puts a reward
    /// (红包, 领取, 奖励, 抽奖, 提现, 现金, 优惠券, 积分…) together with a request for an ID number,
    /// face, fingerprint, contacts or location, such as "实名认证领 10 元红包" ("verify your
    /// identity, get a ¥10 red packet"). A static candidate (low confidence): a string in the
    /// package need not be shown; DYN011 judges the screens and taps of a run. Texts longer
    /// than 60 characters are prose (policy summaries) and are not reported.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 8 项整治“欺骗误导用户提供个人信息”，T/TAF 078.3 §3 不得以积分、奖励、优惠等方式诱导
    /// 用户提供身份证号码、人脸等个人信息；个人信息保护法第 28、29 条要求处理敏感个人信息取得单独同意。
    ///
    /// Notice 164 item 8 targets deceiving users into providing PI; T/TAF 078.3 §3 forbids
    /// luring users with points, rewards or discounts into giving ID numbers or faces; PIPL
    /// arts. 28–29 require separate consent for sensitive PI.
    ///
    /// ## 示例 / Example
    /// `res/values-zh-rCN/strings.xml`: `<string name="verify_bonus">完成刷脸认证即可领取 88 元红包</string>`。
    ///
    /// ## 整改建议 / How to fix
    /// 不以奖励换取身份证号、人脸、指纹、通讯录等个人信息；确需核验时单独说明目的并取得单独同意。
    /// 若该文本并未展示（遗留资源），删除它。
    ///
    /// Offer nothing in exchange for ID numbers, faces, fingerprints or contacts; where a check
    /// is needed, explain why and ask separately. Remove the text if it is a leftover.
    ///
    /// ## 依据 / References
    /// MIIT164-08, TTAF078.3-3, PIPL-28, PIPL-29
    pub struct RewardTextOffer {
        code: "AND016",
        name: "reward-text-asks-pi",
        title: ("文案以奖励换取个人信息", "Package text offers a reward for personal information"),
        severity: Low,
        cites: ["MIIT164-08", "TTAF078.3-3", "PIPL-28", "PIPL-29"],
        needs: [AndroidManifest],
        fix: (
            "不以奖励换取身份证号、人脸、指纹、通讯录等个人信息；确需核验时单独说明目的并取得单独同意。",
            "Offer nothing in exchange for ID numbers, faces, fingerprints or contacts; ask separately where a check is needed."
        ),
        since: "0.9.0",
    }
}

/// How many texts one finding quotes; the rest are counted.
const MAX_QUOTED: usize = 8;

fn asks_label(texts: &[&RewardText]) -> (String, String) {
    let mut asks: Vec<PiCategory> = Vec::new();
    for ask in texts.iter().flat_map(|t| &t.asks) {
        if !asks.contains(ask) {
            asks.push(*ask);
        }
    }
    let zh: Vec<String> = asks.iter().map(|p| p.label().zh).collect();
    let en: Vec<String> = asks.iter().map(|p| p.label().en).collect();
    (zh.join("、"), en.join(", "))
}

impl RewardTextOffer {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let texts: Vec<&RewardText> = android.reward_texts.iter().collect();
        let Some(first) = texts.first() else { return };
        let (asks_zh, asks_en) = asks_label(&texts);
        let more = texts.len().saturating_sub(1);
        let (more_zh, more_en) = if more == 0 {
            (String::new(), String::new())
        } else {
            (
                format!("等 {} 条", texts.len()),
                format!(" and {more} more"),
            )
        };
        let evidence = texts.iter().take(MAX_QUOTED).map(|t| Evidence::Entry {
            path: "resources.arsc".into(),
            detail: Some(match t.locale.as_str() {
                "" => format!("{}: {}", t.resource, t.text),
                locale => format!("{} ({locale}): {}", t.resource, t.text),
            }),
        });
        out.push(
            Violation::new(
                format!(
                    "字符串资源“{}”{more_zh}以奖励换取{asks_zh}（静态候选，需结合界面确认）。",
                    first.text
                ),
                format!(
                    "The string \"{}\"{more_en} offers a reward for {asks_en} (a static candidate: confirm on screen).",
                    first.text
                ),
                Party::App,
                first.resource.clone(),
            )
            .severity(Severity::Low)
            .confidence(Confidence::Low)
            .evidence(evidence),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, run};

    fn text(resource: &str, text: &str, asks: Vec<PiCategory>) -> RewardText {
        RewardText {
            resource: resource.into(),
            locale: "zh-CN".into(),
            text: text.into(),
            rewards: vec!["红包".into()],
            asks,
        }
    }

    #[test]
    fn reward_texts_make_one_low_confidence_finding() {
        let mut facts = android();
        facts.reward_texts = vec![
            text(
                "@string/face_bonus",
                "刷脸认证领 88 元红包",
                vec![PiCategory::Biometrics],
            ),
            text(
                "@string/id_bonus",
                "实名认证再领红包",
                vec![PiCategory::Identity],
            ),
        ];
        let report = run(&RewardTextOffer::META, RewardTextOffer::check, facts);
        assert_eq!(report.findings.len(), 1);
        let f = &report.findings[0];
        assert_eq!(f.confidence, Confidence::Low);
        assert_eq!(f.evidence.len(), 2);
        assert!(
            f.message.zh.contains("刷脸认证领 88 元红包"),
            "{}",
            f.message.zh
        );
        assert!(f.message.en.contains("1 more"), "{}", f.message.en);
    }

    #[test]
    fn no_reward_texts_no_finding() {
        let report = run(&RewardTextOffer::META, RewardTextOffer::check, android());
        assert!(report.findings.is_empty());
    }
}
