//! The app's own words: string resources that offer a reward for personal information.
//!
//! Notice 164 task 8 forbids luring users into handing over an ID number, a face, a
//! fingerprint or their contacts with rewards. A string resource such as "实名认证领 10 元红包"
//! is the static trace of such a screen; the run-time screen itself is judged from traces
//! (`ui_snapshot`). Only short strings count: a label, not the policy prose that mentions
//! withdrawals and real-name checks in one paragraph.

use hegui_axml::{EntryBody, ResourceTable};
use hegui_knowledge::UiVocabulary;
use hegui_model::RewardText;

/// Longer texts are prose (policy summaries, help pages), not a button or a banner.
const MAX_LABEL_CHARS: usize = 60;
/// `Res_value::TYPE_STRING`.
const TYPE_STRING: u8 = 0x03;
/// Enough for any real app; a table built to flood the report stops here.
const MAX_TEXTS: usize = 200;

/// String resources (default and Chinese locales) that put a reward word and a PI ask together.
pub fn reward_texts(table: &ResourceTable, vocab: &UiVocabulary) -> Vec<RewardText> {
    let mut out: Vec<RewardText> = Vec::new();
    for package in &table.packages {
        let Some(string_type) = type_id(package, "string") else {
            continue;
        };
        for chunk in package.types.iter().filter(|t| t.id == string_type) {
            let language = chunk.config.language.as_str();
            if !(language.is_empty() || language.eq_ignore_ascii_case("zh")) {
                continue;
            }
            for entry in &chunk.entries {
                let EntryBody::Simple(raw) = entry.body else {
                    continue;
                };
                if raw.data_type != TYPE_STRING {
                    continue;
                }
                let Some(text) = table.strings.get(raw.data) else {
                    continue;
                };
                let Some(found) = judge(&text, vocab) else {
                    continue;
                };
                let name = package.key_strings.get(entry.key).unwrap_or_default();
                let resource = format!("@string/{name}");
                // The same label in zh and the default locale is one finding, not two.
                if out.iter().any(|t| t.resource == resource && t.text == text) {
                    continue;
                }
                if out.len() >= MAX_TEXTS {
                    return out;
                }
                let locale = match chunk.config.region.as_str() {
                    "" => language.to_string(),
                    region => format!("{language}-{region}"),
                };
                out.push(RewardText {
                    resource,
                    locale,
                    text,
                    ..found
                });
            }
        }
    }
    out
}

/// The reward and the asks a label holds, if it holds both.
fn judge(text: &str, vocab: &UiVocabulary) -> Option<RewardText> {
    if text.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let rewards = vocab.rewards_in(text);
    if rewards.is_empty() {
        return None;
    }
    let asks = vocab.asks_in(text);
    if asks.is_empty() {
        return None;
    }
    Some(RewardText {
        resource: String::new(),
        locale: String::new(),
        text: String::new(),
        rewards: rewards.into_iter().map(str::to_string).collect(),
        asks,
    })
}

/// The 1-based id of the type called `name` in `package`.
fn type_id(package: &hegui_axml::Package, name: &str) -> Option<u8> {
    (0..package.type_strings.len()).find_map(|i| {
        let index = u32::try_from(i).ok()?;
        let found = package.type_strings.get(index)?;
        let id = index.checked_add(1)?.checked_add(package.type_id_offset)?;
        (found == name).then(|| u8::try_from(id).ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hegui_model::PiCategory;

    #[test]
    fn a_label_needs_both_a_reward_and_an_ask() {
        let vocab = hegui_knowledge::ui_vocabulary();
        let face = judge("刷脸认证领 88 元红包", vocab).map(|t| t.asks);
        assert_eq!(face, Some(vec![PiCategory::Biometrics]));
        assert!(judge("实名认证", vocab).is_none());
        assert!(judge("领取优惠券", vocab).is_none());
        let prose = "根据法律法规要求，您在提现时需要完成实名认证，我们会收集您的姓名和身份证号码，\
                     用于核验您的身份并防止洗钱等违法行为，如您拒绝提供将无法完成提现。";
        assert!(judge(prose, vocab).is_none());
    }
}
