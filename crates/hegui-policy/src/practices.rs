//! Data practices per sentence, the PoliGraph / CA4P view: who (we, a named SDK or third
//! party, a kind of recipient) does what (collect, use, share, entrust, disclose, transfer
//! abroad, retain) with which PI, why and on what condition. Read by clause rules over the
//! sentence; each part keeps its span so a reviewer sees where it came from.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use hegui_model::{NamedParty, PiMention, Practice, PracticeAction, PracticeActor};

use crate::doc::Doc;

/// Practices kept per policy.
const MAX_PRACTICES: usize = 3000;
/// Verbs looked at per sentence: a real sentence has a few.
const MAX_VERBS_PER_SENTENCE: usize = 24;
/// Longest condition clause kept, and longest purpose (all its clauses), in characters.
const MAX_CLAUSE_CHARS: usize = 80;
const MAX_PURPOSE_CHARS: usize = 200;

/// Verbs per action, longest first where one contains another.
const VERBS: &[(PracticeAction, &[&str])] = &[
    (
        PracticeAction::TransferAbroad,
        &[
            "传输至境外",
            "传输到境外",
            "提供至境外",
            "提供给境外",
            "跨境传输",
            "向境外提供",
            "出境",
            "transfer abroad",
            "transferred outside",
            "transfer it outside",
        ],
    ),
    (
        PracticeAction::Entrust,
        &["委托处理", "委托", "entrust", "process on our behalf"],
    ),
    (
        PracticeAction::Share,
        &[
            "共享",
            "提供给",
            "向第三方提供",
            "对外提供",
            "分享给",
            "传输给",
            "发送给",
            "转让",
            "share",
            "provide it to",
            "disclose to third",
            "sell",
        ],
    ),
    (
        PracticeAction::Disclose,
        &[
            "公开披露",
            "披露",
            "公开",
            "透露",
            "展示",
            "disclose",
            "make public",
        ],
    ),
    (
        PracticeAction::Share,
        &[
            "分享",
            "出售",
            "出租",
            "转移",
            "传送",
            "交换",
            "对外共享",
            "提供",
            "填写",
            "上传",
            "提交",
            "输入",
            "完善",
            "补充",
            "绑定",
            "同步",
        ],
    ),
    (
        PracticeAction::Collect,
        &[
            "收集", "采集", "获取", "获得", "读取", "记录", "接收", "申请", "调用", "访问",
            "collect", "gather", "obtain", "receive", "access",
        ],
    ),
    (
        PracticeAction::Retain,
        &[
            "保存", "存储", "储存", "保留", "留存", "retain", "store", "keep",
        ],
    ),
    (
        PracticeAction::Use,
        &[
            "使用", "利用", "处理", "分析", "用于", "use", "process", "analy",
        ],
    ),
];

/// Words that open a purpose clause.
const PURPOSE_OPENERS: &[&str] = &[
    "用于",
    "以便",
    "为了",
    "目的是",
    "目的在于",
    "旨在",
    "以用于",
    "以实现",
    "以保障",
    "以提供",
    "以向您",
    "以确保",
    "以帮助",
    "以完成",
    "以展示",
    "以提升",
    "以改善",
    "从而",
    "为向您",
    "为您",
    "为给您",
    "为保障",
    "为保护",
    "为确保",
    "为实现",
    "为提升",
    "为改善",
    "为提供",
    "为满足",
    "为防止",
    "为遵守",
    "为便于",
    "为帮助",
    "为识别",
    "出于",
    "便于",
    "帮助我们",
    "用作",
    "有助于",
    "以此",
    "是为了",
    "来",
    "in order to",
    "so that",
    "for the purpose",
    "to provide",
    "to improve",
    "to ensure",
];
/// Verbs that open a purpose clause standing after the PI it is for, without an opener
/// ("我们会收集您的手机号码，向您发送验证码").
const PURPOSE_VERBS: &[&str] = &[
    "向您",
    "为您",
    "实现",
    "提供",
    "保障",
    "帮助",
    "进行",
    "完成",
    "识别",
    "判断",
    "提升",
    "提高",
    "确保",
    "满足",
    "保护",
    "改善",
    "优化",
    "推荐",
    "推送",
    "分析",
    "统计",
    "验证",
    "核验",
    "防止",
    "预防",
    "方便",
    "使您",
    "便于",
    "帮您",
    "给您",
    "与您",
    "安排",
    "创建",
    "注册",
    "登录",
    "判断",
    "确定",
    "评估",
    "确认",
    "核实",
    "维护",
    "检测",
    "发送",
    "控制",
    "处理",
    "展示",
    "计算",
    "匹配",
    "更新",
    "解决",
    "促成",
    "履行",
    "遵守",
    "提醒",
    "通知",
    "联系",
    "回复",
    "改进",
    "了解",
    "监测",
    "排查",
    "审核",
    "响应",
    "使得",
    "使我们",
    "让您",
    "能够",
    "能使",
    "支持",
    "开展",
    "生成",
    "校验",
];
/// Words that open a purpose clause when a purpose verb follows them (`以确认…`, `才能安排…`,
/// `来判断…`, `为提高…`).
const PURPOSE_CONNECTORS: &[&str] = &["才能", "从而", "进而", "以", "来", "为", "才", "并"];
/// Words that open a condition clause, and those that close one.
const CONDITION_OPENERS: &[&str] = &[
    "经您同意",
    "经您授权",
    "征得您的同意",
    "获得您的同意",
    "在您",
    "当您",
    "如果您",
    "如您",
    "若您",
    "您使用",
    "在使用",
    "除非",
    "with your consent",
    "when you",
    "if you",
];
/// Whether PI (a generic word is enough) is named in the clause after `at`.
fn pi_in_clause_after(lower: &str, at: usize) -> bool {
    let clause = &lower[at..clause_end(lower, at)];
    PI_WORDS.iter().any(|w| clause.contains(w)) || !crate::mentions::find(clause).is_empty()
}

/// The byte after the character at `i`.
fn after_char(s: &str, i: usize) -> usize {
    i + s[i..].chars().next().map_or(1, char::len_utf8)
}

/// Verbs by which the user hands PI over.
const USER_PROVISION: &[&str] = &[
    "提供", "填写", "上传", "提交", "输入", "完善", "补充", "绑定", "同步",
];

/// Whether the user is the subject of the verb's clause (`您需要提供`, `请您填写`,
/// `向我们提供`).
fn user_is_subject(lower: &str, verb: usize) -> bool {
    let clause_start = lower[..verb]
        .rfind(['，', ',', '；', ';', '。'])
        .map_or(0, |i| after_char(lower, i));
    let before = &lower[clause_start..verb];
    before.contains("向我们")
        || before.contains("给我们")
        || ["您", "你", "用户"].iter().any(|w| before.contains(w))
}

/// Words that deny what follows in their clause.
const NEGATIONS: &[&str] = &[
    "不会", "不得", "绝不", "不再", "不予", "不", "未经", "禁止", "never", "not ", "n't",
];
/// Kinds of recipient, as policies name them.
const RECIPIENTS: &[&str] = &[
    "第三方",
    "合作伙伴",
    "合作方",
    "关联公司",
    "关联方",
    "服务提供商",
    "服务商",
    "供应商",
    "广告主",
    "广告商",
    "SDK",
    "司法机关",
    "行政机关",
    "政府部门",
    "监管部门",
    "公安机关",
    "运营商",
    "支付机构",
    "third part",
    "partner",
    "affiliate",
    "service provider",
    "vendor",
    "advertiser",
];
/// Words that name the operator as the one acting.
const FIRST_PARTY: &[&str] = &[
    "我们",
    "我方",
    "我司",
    "本公司",
    "本平台",
    "本应用",
    "本软件",
    "本产品",
    "平台",
    "we ",
    "our ",
];

/// Generic PI words: a sentence that names none of these nor a typed mention states no
/// practice on PI (except sharing, where the recipient is the point).
const PI_WORDS: &[&str] = &["信息", "数据", "资料", "information", "data"];

pub fn practices(doc: &Doc, mentions: &[PiMention], parties: &[NamedParty]) -> Vec<Practice> {
    let mention_ranges: Vec<Range<usize>> = mentions
        .iter()
        .map(|m| doc.byte_offset(m.span.start)..doc.byte_offset(m.span.end))
        .collect();
    let party_ranges: Vec<(Range<usize>, &NamedParty)> = parties
        .iter()
        .map(|p| {
            (
                doc.byte_offset(p.span.start)..doc.byte_offset(p.span.end),
                p,
            )
        })
        .collect();
    let mut out = Vec::new();
    for (i, sentence) in doc.sentences.iter().enumerate() {
        if out.len() >= MAX_PRACTICES {
            break;
        }
        let Some(lower) = doc.sentences_lower.get(i) else {
            continue;
        };
        let text = &doc.text[sentence.clone()];
        // Lower-casing keeps byte offsets for ASCII and leaves CJK alone; skip the rare
        // sentence where it does not.
        if lower.len() != text.len() {
            continue;
        }
        // Mentions are in text order: the sentence's are one run of them.
        let first = mention_ranges.partition_point(|r| r.start < sentence.start);
        let pi: Vec<u32> = mention_ranges
            .iter()
            .enumerate()
            .skip(first)
            .take_while(|(_, r)| r.start < sentence.end)
            .filter(|(_, r)| r.end <= sentence.end)
            .map(|(k, _)| k as u32)
            .collect();
        let speaks_of_pi = !pi.is_empty() || PI_WORDS.iter().any(|w| lower.contains(w));
        // What does not depend on the verb, once per sentence.
        let recipients = words_in(lower, WordList::Recipients);
        let purpose = purposes(lower, &pi_in_sentence(&mention_ranges, &pi, sentence))
            .map(|r| doc.span(sentence.start + r.start..sentence.start + r.end));
        let condition = clause(lower, false)
            .map(|r| doc.span(sentence.start + r.start..sentence.start + r.end));
        let sentence_span = doc.span(sentence.clone());
        let mut seen: Vec<PracticeAction> = Vec::new();
        for (action, verb) in verbs_in(lower).into_iter().take(MAX_VERBS_PER_SENTENCE) {
            if seen.contains(&action) {
                continue;
            }
            let sharing = matches!(
                action,
                PracticeAction::Share
                    | PracticeAction::Entrust
                    | PracticeAction::Disclose
                    | PracticeAction::TransferAbroad
            );
            let provision = USER_PROVISION.iter().any(|v| lower[verb.clone()] == **v);
            // Only a verb of handing over to others takes a recipient: the user's
            // `填写`/`上传` goes to the operator whatever else the sentence names.
            let hands_over = sharing && (!provision || lower[verb.clone()] == *"提供");
            let mut recipient = hands_over
                .then(|| recipient_in(doc, sentence, &recipients, &verb, &party_ranges))
                .flatten();
            // The user handing PI to the operator (`您需要提供…`, `您填写的…`): a flow
            // from the user, which CA4P annotates as sharing and the operator's side
            // reads as collection.
            let by_user = action == PracticeAction::Share
                && recipient.is_none()
                && provision
                && user_is_subject(lower, verb.start);
            if by_user {
                recipient = Some(PracticeActor {
                    kind: "we".into(),
                    name: None,
                    sdks: Vec::new(),
                });
            }
            if !speaks_of_pi && recipient.is_none() {
                continue;
            }
            // `为您提供服务`: providing a service is not handing over PI.
            let verb_text = &lower[verb.clone()];
            if (verb_text == "提供" || verb_text == "分享")
                && !by_user
                && recipient.is_none()
                && !pi_in_clause_after(lower, verb.end)
            {
                continue;
            }
            seen.push(action);
            let at = sentence.start + verb.start;
            let actor = if by_user {
                PracticeActor {
                    kind: "user".into(),
                    name: None,
                    sdks: Vec::new(),
                }
            } else {
                actor_before(doc, sentence, lower, verb.start, &party_ranges)
            };
            let opp115 = opp115_category(action, &actor.kind).to_string();
            out.push(Practice {
                opp115,
                actor,
                action,
                verb: doc.span(at..sentence.start + verb.end),
                recipient,
                pi: pi.clone(),
                purpose: purpose.clone(),
                condition: condition.clone(),
                denied: denied_before(lower, verb.start),
                sentence: sentence_span.clone(),
            });
        }
    }
    out
}

/// Byte ranges, within the sentence, of the mentions it holds.
fn pi_in_sentence(
    ranges: &[Range<usize>],
    pi: &[u32],
    sentence: &Range<usize>,
) -> Vec<Range<usize>> {
    pi.iter()
        .filter_map(|k| ranges.get(*k as usize))
        .map(|r| r.start - sentence.start..r.end - sentence.start)
        .collect()
}

/// The sentence's purposes: every clause an opener starts, and the clause right after the
/// PI when it starts with a purpose verb; one span from the first to the last.
fn purposes(lower: &str, pi: &[Range<usize>]) -> Option<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(r) = lower.get(from..).and_then(|rest| clause(rest, true)) {
        found.push(from + r.start..from + r.end);
        from += r.end.max(r.start + 1);
    }
    for c in PURPOSE_CONNECTORS {
        for (at, _) in lower.match_indices(c) {
            let next = &lower[at + c.len()..];
            if PURPOSE_VERBS.iter().any(|v| next.starts_with(v)) {
                found.push(at..clause_end(lower, at + c.len()));
            }
        }
    }
    let generic_end = ["信息", "数据"]
        .iter()
        .filter_map(|w| lower.rfind(w).map(|at| at + w.len()))
        .max();
    if let Some(last_pi) = pi.iter().map(|r| r.end).max().or(generic_end) {
        // Right after the PI: `使用您的账号信息与您核验身份`.
        let next = lower[last_pi..].trim_start_matches(['*', ' ', '）', ')']);
        if PURPOSE_VERBS.iter().any(|v| next.starts_with(v)) {
            let start = lower.len() - next.len();
            found.push(start..clause_end(lower, start));
        }
        let after = &lower[last_pi..];
        if let Some(comma) = after.find(['，', ',']) {
            let start = last_pi + comma + after[comma..].chars().next().map_or(1, char::len_utf8);
            let next = &lower[start..];
            if PURPOSE_VERBS.iter().any(|v| next.starts_with(v)) {
                found.push(start..clause_end(lower, start));
            }
        }
    }
    let start = found.iter().map(|r| r.start).min()?;
    let mut end = found.iter().map(|r| r.end).max()?;
    // Purposes go on over clauses joined to the last one: `，或者安排…`, `，并保护…`.
    loop {
        let rest = &lower[end..];
        let Some(sep) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '，' | ',' | '、'))
        else {
            break;
        };
        let mut next = &rest[sep.len_utf8()..];
        if let Some(joiner) = ["或者", "或", "并且", "并", "以及", "同时", "和"]
            .iter()
            .find(|j| next.starts_with(*j))
        {
            next = &next[joiner.len()..];
        }
        if !PURPOSE_VERBS.iter().any(|v| next.starts_with(v)) {
            break;
        }
        end = clause_end(lower, lower.len() - next.len());
    }
    let cut: usize = lower[start..end]
        .chars()
        .take(MAX_PURPOSE_CHARS)
        .map(char::len_utf8)
        .sum();
    Some(start..start + cut)
}

/// Where the clause that starts at `from` ends.
fn clause_end(lower: &str, from: usize) -> usize {
    // A clause runs to its break, or to the longest purpose kept.
    let rest = &lower[from..];
    let reach: usize = rest
        .chars()
        .take(MAX_PURPOSE_CHARS)
        .map(char::len_utf8)
        .sum();
    rest[..reach]
        .find(['，', ',', '。', '；', ';', '：', ':', '\n'])
        .map_or(from + reach, |e| from + e)
}

/// The verb automaton and the action of each of its patterns.
fn verb_table() -> Option<&'static (AhoCorasick, Vec<PracticeAction>)> {
    static T: OnceLock<Option<(AhoCorasick, Vec<PracticeAction>)>> = OnceLock::new();
    T.get_or_init(|| {
        let (words, actions): (Vec<&str>, Vec<PracticeAction>) = VERBS
            .iter()
            .flat_map(|(action, words)| words.iter().map(move |w| (*w, *action)))
            .unzip();
        Some((crate::lexicon::matcher(&words)?, actions))
    })
    .as_ref()
}

/// The OPP-115 category of a practice (Wilson et al. 2016): what the operator collects and
/// uses, what third parties receive or collect, how long PI is kept, where it goes abroad.
fn opp115_category(action: PracticeAction, actor: &str) -> &'static str {
    match action {
        PracticeAction::Retain => "data_retention",
        PracticeAction::TransferAbroad => "international_and_specific_audiences",
        PracticeAction::Share | PracticeAction::Entrust | PracticeAction::Disclose
            if actor != "user" =>
        {
            "third_party_sharing_collection"
        }
        _ if actor == "sdk" || actor == "third_party" => "third_party_sharing_collection",
        _ => "first_party_collection_use",
    }
}

/// (action, byte range in the sentence) of each verb, in order; a longer verb owns the
/// words it covers (`委托处理`, not `处理`).
fn verbs_in(lower: &str) -> Vec<(PracticeAction, Range<usize>)> {
    let Some((ac, actions)) = verb_table() else {
        return Vec::new();
    };
    ac.find_iter(lower)
        .filter_map(|m| Some((*actions.get(m.pattern().as_usize())?, m.start()..m.end())))
        .collect()
}

fn openers(purpose: bool) -> Option<&'static AhoCorasick> {
    static PURPOSE: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static CONDITION: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    if purpose {
        PURPOSE
            .get_or_init(|| crate::lexicon::matcher(PURPOSE_OPENERS))
            .as_ref()
    } else {
        CONDITION
            .get_or_init(|| crate::lexicon::matcher(CONDITION_OPENERS))
            .as_ref()
    }
}

/// The clause from an opener to the next clause break: the purpose (`用于…`) or condition
/// (`在您…时`). A purpose opener must not be part of another word (`来` of `未来`).
fn clause(lower: &str, purpose: bool) -> Option<Range<usize>> {
    let m = openers(purpose)?.find_iter(lower).find(|m| {
        !purpose
            || &lower[m.start()..m.end()] != "来"
            || lower[..m.start()].ends_with(['您', '你', '以'])
    })?;
    let (start, opener_end) = (m.start(), m.end());
    let rest = &lower[opener_end..];
    let mut end = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '，' | ',' | '。' | '；' | ';' | '：' | ':' | '\n'))
        .map_or(lower.len(), |(i, _)| opener_end + i);
    // A condition ends at its `时` / `后` when the clause runs on.
    if !purpose && let Some(p) = lower[start..end].find(['时', '后']) {
        end = start + p + '时'.len_utf8();
    }
    let chars = lower[start..end].chars().count();
    if chars > MAX_CLAUSE_CHARS {
        let cut: usize = lower[start..]
            .chars()
            .take(MAX_CLAUSE_CHARS)
            .map(char::len_utf8)
            .sum();
        end = start + cut;
    }
    // A purpose says something after its opener; a condition may be the opener alone
    // (`经您同意，`).
    (end > opener_end || (!purpose && end > start)).then_some(start..end)
}

/// Whether a negation stands in the verb's clause before it.
fn denied_before(lower: &str, verb: usize) -> bool {
    let clause_start = lower[..verb]
        .rfind(['，', ',', '；', ';', '。'])
        .map_or(0, |i| after_char(lower, i));
    let before = lower.get(clause_start..verb).unwrap_or_default();
    NEGATIONS.iter().any(|n| before.contains(n))
}

/// The one acting: a named party or a kind of recipient as the subject before the verb,
/// else the operator.
fn actor_before(
    doc: &Doc,
    sentence: &Range<usize>,
    lower: &str,
    verb: usize,
    parties: &[(Range<usize>, &NamedParty)],
) -> PracticeActor {
    let verb_at = sentence.start + verb;
    let clause_start = lower[..verb]
        .rfind(['，', ',', '；', ';', '。'])
        .map_or(sentence.start, |i| sentence.start + after_char(lower, i));
    // A party named in the verb's clause before it is the subject ("友盟SDK会收集…").
    if let Some((r, p)) = parties
        .iter()
        .rev()
        .find(|(r, _)| clause_start <= r.start && r.end <= verb_at)
    {
        return PracticeActor {
            kind: "sdk".into(),
            name: Some(doc.span(r.clone())),
            sdks: p.sdks.clone(),
        };
    }
    let clause = &lower[clause_start - sentence.start..verb];
    let first = words_in(clause, WordList::FirstParty)
        .last()
        .map(|r| r.start);
    let other = words_in(clause, WordList::Recipients).last().cloned();
    match (first, other) {
        (f, Some(r))
            if f.is_none_or(|f| r.start > f) && !clause[..r.start].ends_with(['向', '给']) =>
        {
            let start = clause_start + r.start;
            PracticeActor {
                kind: "third_party".into(),
                name: Some(doc.span(start..start + r.len())),
                sdks: Vec::new(),
            }
        }
        _ => PracticeActor {
            kind: "we".into(),
            name: None,
            sdks: Vec::new(),
        },
    }
}

#[derive(Clone, Copy)]
enum WordList {
    Recipients,
    FirstParty,
}

/// Byte ranges of the words of a list in `lower`, in order (one automaton pass).
fn words_in(lower: &str, list: WordList) -> Vec<Range<usize>> {
    static RECIPIENT_AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static FIRST_PARTY_AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let ac = match list {
        WordList::Recipients => RECIPIENT_AC.get_or_init(|| crate::lexicon::matcher(RECIPIENTS)),
        WordList::FirstParty => FIRST_PARTY_AC.get_or_init(|| crate::lexicon::matcher(FIRST_PARTY)),
    };
    ac.iter()
        .flat_map(|ac| ac.find_iter(lower))
        .map(|m| m.start()..m.end())
        .collect()
}

/// The recipient of a share: a named party or a kind of recipient in the sentence, not
/// the subject.
fn recipient_in(
    doc: &Doc,
    sentence: &Range<usize>,
    found: &[Range<usize>],
    verb: &Range<usize>,
    parties: &[(Range<usize>, &NamedParty)],
) -> Option<PracticeActor> {
    let inside: Vec<&(Range<usize>, &NamedParty)> = parties
        .iter()
        .filter(|(r, _)| sentence.start <= r.start && r.end <= sentence.end)
        .collect();
    if let Some((r, _)) = inside.first() {
        let sdks = inside.iter().flat_map(|(_, p)| p.sdks.clone()).collect();
        return Some(PracticeActor {
            kind: "sdk".into(),
            name: Some(doc.span(r.clone())),
            sdks,
        });
    }
    // Prefer a recipient after the verb ("共享给合作伙伴"), else one before it ("向第三方
    // 提供").
    let after = found.iter().find(|r| r.start >= verb.end);
    let before = found.iter().rev().find(|r| r.end <= verb.start);
    let r = after.or(before)?;
    let start = sentence.start + r.start;
    Some(PracticeActor {
        kind: "third_party".into(),
        name: Some(doc.span(start..start + r.len())),
        sdks: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::read;

    fn practices_of(text: &str) -> Vec<Practice> {
        let doc = read(text, "text");
        let found = crate::mentions::find(&doc.text);
        let mentions = crate::facts::pi_mentions(&doc, &found);
        practices(&doc, &mentions, &[])
    }

    #[test]
    fn tuples_with_purpose_condition_and_recipient() {
        let p = practices_of(
            "当您注册账号时，我们会收集您的手机号码，用于创建账号和验证身份。我们不会向第三方共享您的位置信息。经您同意，我们会将设备信息提供给合作伙伴。",
        );
        let summary: Vec<(PracticeAction, &str, bool, usize)> = p
            .iter()
            .map(|p| (p.action, p.actor.kind.as_str(), p.denied, p.pi.len()))
            .collect();
        assert_eq!(
            summary,
            [
                (PracticeAction::Collect, "we", false, 1),
                (PracticeAction::Use, "we", false, 1),
                (PracticeAction::Share, "we", true, 1),
                (PracticeAction::Share, "we", false, 1),
            ]
        );
        assert_eq!(
            p[0].purpose.as_ref().map(|s| s.quote.as_str()),
            Some("用于创建账号和验证身份")
        );
        assert_eq!(
            p[0].condition.as_ref().map(|s| s.quote.as_str()),
            Some("当您注册账号时")
        );
        let to = p[3].recipient.as_ref().and_then(|r| r.name.as_ref());
        assert_eq!(to.map(|s| s.quote.as_str()), Some("合作伙伴"));
        assert_eq!(
            p[3].condition.as_ref().map(|s| s.quote.as_str()),
            Some("经您同意")
        );
    }

    #[test]
    fn the_user_providing_pi_is_a_flow_to_the_operator() {
        let p = practices_of("注册时您需要提供手机号码。我们会将订单信息提供给物流服务商。");
        assert_eq!(p[0].actor.kind, "user");
        assert_eq!(p[0].recipient.as_ref().map(|r| r.kind.as_str()), Some("we"));
        assert_eq!(p[1].actor.kind, "we");
        assert_eq!(
            p[1].recipient.as_ref().map(|r| r.kind.as_str()),
            Some("third_party")
        );
    }

    #[test]
    fn a_third_party_as_the_subject() {
        let p = practices_of("第三方SDK会收集您的设备标识符。");
        assert_eq!(p[0].actor.kind, "third_party");
        assert_eq!(p[0].action, PracticeAction::Collect);
    }
}
