//! Personalisation: where the text uses PI for personalised recommendation, targeted push or
//! ads, and where it offers a way to turn that off (notice 164 task 4, PIPL art. 24). Facts
//! only; POL006 judges them.

use hegui_model::{Personalisation, TextSpan};

use crate::doc::Doc;
use crate::facts::sentences_with;

/// Words of personalised use. Not `个性化服务` alone: policies say it of remembered settings.
pub(crate) const USE_WORDS: &[&str] = &[
    "个性化推荐",
    "个性化推送",
    "个性化广告",
    "个性化内容",
    "个性化展示",
    "定向推送",
    "精准推送",
    "精准营销",
    "精准广告",
    "程序化广告",
    "兴趣推荐",
    "用户画像",
    "personalized recommendation",
    "personalised recommendation",
    "personalized ads",
    "personalised ads",
    "personalized advertising",
    "personalised advertising",
    "targeted advertising",
    "interest-based",
];
/// Verbs that turn something off or refuse it, or point to where it is set.
pub(crate) const OFF_WORDS: &[&str] = &[
    "关闭",
    "取消",
    "退订",
    "拒绝",
    "不接收",
    "停止接收",
    "撤回",
    "进行设置",
    "设置中",
    "中设置",
    "管理",
    "自主选择",
    "选择是否",
    "opt out",
    "opt-out",
    "turn off",
    "disable",
    "unsubscribe",
    "settings",
];
/// What is turned off must be the personalisation.
const OFF_OBJECTS: &[&str] = &[
    "个性化",
    "推荐",
    "推送",
    "广告",
    "画像",
    "营销",
    "personali",
    "advert",
    "recommend",
];
/// A way out that costs the service.
const COSTS_THE_SERVICE: &[&str] = &[
    "停止使用",
    "不再使用",
    "注销",
    "卸载",
    "stop using",
    "delete your account",
];
/// Words that deny personalised use ("我们不会基于…进行个性化推荐").
const DENIALS: &[&str] = &[
    "不会",
    "不进行",
    "不使用",
    "未使用",
    "do not",
    "does not",
    "will not",
];

/// Sentences kept per list.
const MAX_SPANS: usize = 20;

pub fn personalisation(doc: &Doc) -> Personalisation {
    let lower = |r: &std::ops::Range<usize>| doc.lower.get(r.clone()).unwrap_or_default();
    let uses: Vec<TextSpan> = sentences_with(doc, USE_WORDS)
        .into_iter()
        // A sentence that says how to turn it off is not one more use.
        .filter(|r| {
            let s = lower(r);
            !DENIALS.iter().any(|w| s.contains(w)) && !OFF_WORDS.iter().any(|w| s.contains(w))
        })
        .take(MAX_SPANS)
        .map(|r| doc.span(r))
        .collect();
    let mut opt_outs = Vec::new();
    let mut conditional = Vec::new();
    for r in sentences_with(doc, OFF_WORDS) {
        let s = lower(&r);
        if !OFF_OBJECTS.iter().any(|w| s.contains(w)) || opt_outs.len() >= MAX_SPANS {
            continue;
        }
        if COSTS_THE_SERVICE.iter().any(|w| s.contains(w)) {
            conditional.push(doc.span(r.clone()));
        }
        opt_outs.push(doc.span(r));
    }
    Personalisation {
        uses,
        opt_outs,
        conditional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::read;

    #[test]
    fn uses_opt_outs_and_conditions() {
        let doc = read(
            "我们会根据您的浏览记录进行个性化推荐。您可以在“设置-隐私-个性化推荐”中关闭个性化推荐。我们不会基于敏感信息进行个性化推送。",
            "text",
        );
        let p = personalisation(&doc);
        assert_eq!(p.uses.len(), 1);
        assert_eq!(p.opt_outs.len(), 1);
        assert!(p.conditional.is_empty());

        let doc = read(
            "我们会向您推送个性化广告。如您不希望接收个性化广告，您可以停止使用我们的服务或注销账号来拒绝。",
            "text",
        );
        let p = personalisation(&doc);
        assert_eq!(
            (p.uses.len(), p.opt_outs.len(), p.conditional.len()),
            (1, 1, 1)
        );

        // A settings path is a way to turn it off.
        let doc = read(
            "我们会推送个性化广告。如您想管理个性化广告，您可以在“我的-设置-隐私设置-个性化广告推荐”中进行设置。",
            "text",
        );
        let p = personalisation(&doc);
        assert_eq!((p.uses.len(), p.opt_outs.len()), (1, 1));

        let doc = read("我们会基于用户画像进行精准营销。", "text");
        let p = personalisation(&doc);
        assert_eq!((p.uses.len(), p.opt_outs.len()), (1, 0));
    }
}
