//! What the text declares: PI types, third parties, retention, response times, contacts.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::AhoCorasick;

use hegui_model::{
    Contact, DeclaredPermission, DeclaredPi, NamedParty, PermissionGroupMention, PiMention,
    ResponseTime, TextSpan,
};

use crate::doc::Doc;
use crate::lexicon::SdkNames;
use crate::mentions::Found;
use crate::vocab::PI_TYPES;

/// Words that give an address, not name the word in a list of PI ("联系地址、电话号码").
const GIVEN: &[&str] = &[
    "地址:",
    "地址为",
    "地址是",
    "注册地址",
    "办公地址",
    "通信地址",
    "位于",
    "address:",
];

/// Entries kept per list, so a hostile text cannot flood a report.
const MAX_ITEMS: usize = 500;

/// Words that turn a sentence into a denial: "我们不会收集您的通讯录".
const NEGATIONS: &[&str] = &[
    "不会收集",
    "不收集",
    "不会获取",
    "不获取",
    "不会读取",
    "不会访问",
    "不会使用",
    "do not collect",
    "does not collect",
    "will not collect",
    "never collect",
];

/// Whether the sentence at `byte` denies collection.
fn negated_at(doc: &Doc, byte: usize) -> bool {
    doc.sentence_index_at(byte)
        .and_then(|i| doc.sentences_lower.get(i))
        .is_some_and(|s| NEGATIONS.iter().any(|n| s.contains(n)))
}

/// Mentions kept per policy: a real one has a few hundred.
const MAX_MENTIONS: usize = 5000;

pub fn pi_mentions(doc: &Doc, found: &[Found]) -> Vec<PiMention> {
    found
        .iter()
        .take(MAX_MENTIONS)
        .filter_map(|f| {
            let ty = PI_TYPES.get(f.ty)?;
            Some(PiMention {
                term: doc.text.get(f.range.clone())?.to_string(),
                pi_type: ty.id.to_string(),
                category: ty.category,
                sensitive: ty.sensitive,
                denied: negated_at(doc, f.range.start),
                span: doc.span(f.range.clone()),
            })
        })
        .collect()
}

/// Spans kept per permission group.
const MAX_GROUP_SPANS: usize = 20;

/// The Android permission groups the text says the app uses: through the PI it collects
/// (not what it denies collecting), in the order first named.
pub fn permission_groups(
    doc: &Doc,
    mentions: &[PiMention],
    practices: &[hegui_model::Practice],
) -> Vec<PermissionGroupMention> {
    // A mention counts when the text collects or uses it, or names it as a permission;
    // "我们会通过短信通知您" names SMS without asking for it.
    // 0: not in a practice, 1: used or shared, 2: collected (by us, or handed over by the
    // user).
    let mut practised = vec![0u8; mentions.len()];
    for p in practices.iter().filter(|p| !p.denied) {
        let level = if p.action == hegui_model::PracticeAction::Collect || p.actor.kind == "user" {
            2
        } else {
            1
        };
        for i in &p.pi {
            if let Some(flag) = practised.get_mut(*i as usize) {
                *flag = (*flag).max(level);
            }
        }
    }
    let as_permission = |m: &PiMention| {
        let end = doc.byte_offset(m.span.end);
        let after: String = doc.text[end..]
            .chars()
            .take(8)
            .collect::<String>()
            .to_lowercase();
        after.contains("权限") || after.contains("permission") || after.contains("授权")
    };
    let mut out: Vec<PermissionGroupMention> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(group) = crate::vocab::permission_group(&m.pi_type) else {
            continue;
        };
        let needed = if crate::vocab::group_needs_collection(group) {
            2
        } else {
            1
        };
        if m.denied || !(practised.get(i).copied().unwrap_or(0) >= needed || as_permission(m)) {
            continue;
        }
        match out.iter_mut().find(|g| g.group == group) {
            Some(g) if g.spans.len() < MAX_GROUP_SPANS => g.spans.push(m.span.clone()),
            Some(_) => {}
            None => out.push(PermissionGroupMention {
                group: group.to_string(),
                spans: vec![m.span.clone()],
            }),
        }
    }
    out
}

/// Words of a glossary sentence ("个人敏感信息是指……包括身份证件号码、通讯录……"): the PI
/// it lists defines a term; it does not say the app collects it.
const DEFINITION_MARKERS: &[&str] = &["是指", "指的是", "：指", ":指", "定义为", "means"];

fn in_definition(doc: &Doc, byte: usize) -> bool {
    doc.sentence_index_at(byte)
        .and_then(|i| doc.sentences_lower.get(i))
        .is_some_and(|s| {
            DEFINITION_MARKERS.iter().any(|m| s.contains(m))
                && [
                    "个人信息",
                    "敏感信息",
                    "personal information",
                    "personal data",
                ]
                .iter()
                .any(|w| s.contains(w))
        })
}

/// One entry per term and category: the first mention that is neither denied nor part of
/// a definition.
pub fn pi_types(doc: &Doc, found: &[Found]) -> Vec<DeclaredPi> {
    let mut out: Vec<DeclaredPi> = Vec::new();
    for f in found {
        let Some(ty) = PI_TYPES.get(f.ty) else {
            continue;
        };
        let (range, category) = (f.range.clone(), ty.category);
        let term = &doc.text[range.clone()];
        if out.len() >= MAX_ITEMS
            || out
                .iter()
                .any(|d| d.category == category && d.term.eq_ignore_ascii_case(term))
        {
            continue;
        }
        if negated_at(doc, range.start) || in_definition(doc, range.start) {
            continue;
        }
        let sentence = doc.sentence_at(range.start).unwrap_or(range.clone());
        out.push(DeclaredPi {
            category,
            term: term.to_string(),
            span: doc.span(range.clone()),
            section: doc
                .section_at(range.start)
                .map(|h| doc.text[h.range.clone()].to_string()),
            marked: doc.is_emphasised(&range),
            sensitive: ty.sensitive,
            purpose: purpose_in(&doc.text[sentence.clone()]),
        });
    }
    out
}

/// Words that open a purpose clause, and the longest purpose kept.
const PURPOSE_MARKERS: &[&str] = &[
    "用于",
    "以便",
    "为了",
    "目的是",
    "目的为",
    "in order to",
    "to provide",
    "so that",
    "for the purpose of",
];
const MAX_PURPOSE_CHARS: usize = 80;

/// The purpose clause of a sentence: from its marker to the next clause break.
fn purpose_in(sentence: &str) -> Option<String> {
    // ASCII lower-casing keeps every byte offset of `sentence`.
    let lower = sentence.to_ascii_lowercase();
    let at = PURPOSE_MARKERS.iter().filter_map(|m| lower.find(m)).min()?;
    // Lower-casing keeps ASCII offsets and leaves CJK alone, but check the boundary anyway.
    let rest = sentence.get(at..)?;
    let end = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '。' | ';' | '；' | ',' | '，' | '.'))
        .map_or(rest.len(), |(i, _)| i);
    let clause: String = rest[..end].chars().take(MAX_PURPOSE_CHARS).collect();
    Some(clause.trim().to_string()).filter(|c| !c.is_empty())
}

pub fn third_parties(doc: &Doc, names: &SdkNames) -> Vec<NamedParty> {
    let mut out: Vec<NamedParty> = Vec::new();
    for (range, name) in names.find(&doc.text) {
        let written = &doc.text[range.clone()];
        if out.len() >= MAX_ITEMS || out.iter().any(|p| p.name.eq_ignore_ascii_case(written)) {
            continue;
        }
        out.push(NamedParty {
            name: written.to_string(),
            sdks: names.ids(name).to_vec(),
            span: doc.span(range),
        });
    }
    out
}

/// Sentences that contain any of `words` (lower-cased comparison).
/// All the words of the lists the rules ask about, in one automaton: a document is searched
/// once for all of them (overlapping matches, so a word inside another still counts).
struct WordIndex {
    ac: AhoCorasick,
    ids: HashMap<&'static str, usize>,
}

/// Word lists of this module that are looked up by sentence.
const PHONE_WORDS: &[&str] = &["电话", "热线", "客服", "phone", "tel"];

fn word_index() -> Option<&'static WordIndex> {
    static INDEX: OnceLock<Option<WordIndex>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut words: Vec<&'static str> = Vec::new();
            let mut ids = HashMap::new();
            let lists = crate::elements::INDEXED_LISTS.iter().chain(
                [
                    PHONE_WORDS,
                    GIVEN,
                    crate::personalisation::USE_WORDS,
                    crate::personalisation::OFF_WORDS,
                ]
                .iter(),
            );
            for w in lists.flat_map(|l| l.iter()) {
                ids.entry(*w).or_insert_with(|| {
                    words.push(*w);
                    words.len() - 1
                });
            }
            let ac = AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&words)
                .ok()?;
            Some(WordIndex { ac, ids })
        })
        .as_ref()
}

impl WordIndex {
    /// For each word: the sentences (indices, in order) it occurs in.
    fn hits(&self, doc: &Doc) -> Vec<Vec<u32>> {
        let mut hits: Vec<Vec<u32>> = vec![Vec::new(); self.ids.len()];
        for m in self.ac.find_overlapping_iter(&doc.lower) {
            let Some(i) = doc.sentence_index_at(m.start()) else {
                continue;
            };
            let inside = doc.sentences.get(i).is_some_and(|r| m.end() <= r.end);
            if let Some(h) = hits.get_mut(m.pattern().as_usize())
                && inside
                && h.last() != Some(&(i as u32))
            {
                h.push(i as u32);
            }
        }
        hits
    }
}

/// The automaton for a word list, built once per list: the lists are `'static` constants,
/// so their address names them (a list the compiler places twice costs one more entry; the
/// call sites are few, so the cache stays small).
fn automaton_for(words: &'static [&'static str]) -> Option<Arc<AhoCorasick>> {
    type Cache = Mutex<HashMap<(usize, usize), Option<Arc<AhoCorasick>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (words.as_ptr() as usize, words.len());
    let cache = CACHE.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked mid-insert: the map is still valid.
    let mut map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(key)
        .or_insert_with(|| {
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(words)
                .ok()
                .map(Arc::new)
        })
        .clone()
}

/// One pass of an automaton over the whole text, however many words; the words are lower
/// case (ASCII) or CJK, as `doc.lower` is.
pub fn sentences_with(doc: &Doc, words: &'static [&'static str]) -> Vec<Range<usize>> {
    if let Some(index) = word_index()
        && let Some(ids) = words
            .iter()
            .map(|w| index.ids.get(w).copied())
            .collect::<Option<Vec<usize>>>()
    {
        let hits = doc.word_hits.get_or_init(|| index.hits(doc));
        let mut found: Vec<u32> = ids
            .iter()
            .filter_map(|i| hits.get(*i))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        return found
            .into_iter()
            .filter_map(|i| doc.sentences.get(i as usize).cloned())
            .collect();
    }
    let Some(ac) = automaton_for(words) else {
        return Vec::new();
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for m in ac.find_iter(&doc.lower) {
        let Some(r) = doc.sentence_at(m.start()) else {
            continue;
        };
        if m.end() <= r.end && out.last() != Some(&r) {
            out.push(r);
        }
    }
    out
}

pub fn retention(doc: &Doc) -> Vec<TextSpan> {
    sentences_with(doc, crate::elements::PERIOD_WORDS)
        .into_iter()
        .take(MAX_ITEMS)
        .map(|r| doc.span(r))
        .collect()
}

/// A number written in digits or Chinese numerals (up to 999).
fn number_before(text: &str) -> Option<(usize, u32)> {
    let digits: String = text
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if !digits.is_empty() {
        return Some((text.len() - digits.len(), digits.parse().ok()?));
    }
    let zh: Vec<char> = text
        .chars()
        .rev()
        .take_while(|c| "零一二两三四五六七八九十百".contains(*c))
        .collect();
    if zh.is_empty() {
        return None;
    }
    let numeral: String = zh.iter().rev().collect();
    let value = chinese_number(&numeral)?;
    Some((text.len() - numeral.len(), value))
}

fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or((c == '两').then_some(2))
    };
    let mut total = 0;
    let mut current = 0;
    for c in s.chars() {
        match c {
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            _ => current = digit(c)?,
        }
    }
    Some(total + current)
}

pub fn response_times(doc: &Doc) -> Vec<ResponseTime> {
    let mut out = Vec::new();
    let mut starts = std::collections::HashSet::new();
    for unit in [
        "个工作日",
        "工作日",
        "个自然日",
        "日内",
        "天内",
        "working days",
        "business days",
        "days",
    ] {
        for (at, _) in doc.text.match_indices(unit) {
            let before = doc.text[..at].trim_end();
            let Some((start, days)) = number_before(before) else {
                continue;
            };
            if days == 0 || starts.contains(&start) {
                continue;
            }
            if out.len() >= MAX_ITEMS {
                break;
            }
            let sentence = doc.sentence_at(at).unwrap_or(start..at + unit.len());
            // A promise to act: "15个工作日内完成/回复", not "注销后30日内删除" (a deletion period).
            let after_end = sentence.end.max(at + unit.len());
            let after: String = doc.lower[at + unit.len()..after_end]
                .chars()
                .take(12)
                .collect();
            let acts = [
                "完成", "处理", "回复", "答复", "响应", "受理", "审核", "办理", "反馈", "respond",
                "reply", "process", "complete",
            ];
            if !acts.iter().any(|w| after.contains(w)) {
                continue;
            }
            let s = doc.lower[sentence.clone()].to_string();
            let topic = if s.contains("注销")
                || s.contains("delete your account")
                || s.contains("close your account")
            {
                "cancellation"
            } else if s.contains("投诉") || s.contains("举报") || s.contains("complain") {
                "complaint"
            } else if ["回复", "答复", "处理", "响应", "respond", "reply"]
                .iter()
                .any(|w| s.contains(w))
            {
                "request"
            } else {
                continue;
            };
            starts.insert(start);
            out.push((
                start,
                ResponseTime {
                    topic: topic.into(),
                    days,
                    working_days: unit.contains("工作日")
                        || unit.contains("working")
                        || unit.contains("business"),
                    span: doc.span(start..at + unit.len()),
                },
            ));
        }
    }
    out.sort_by_key(|r| r.0);
    out.into_iter().map(|r| r.1).take(MAX_ITEMS).collect()
}

pub fn contacts(doc: &Doc) -> Vec<Contact> {
    let mut out: Vec<Contact> = Vec::new();
    let text = &doc.text;
    let email_char = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| email_char(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at + 1..]
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        let value = text[start..end].trim_end_matches('.');
        let domain = value.split('@').nth(1).unwrap_or("");
        if start < at && domain.contains('.') && out.len() < MAX_ITEMS {
            out.push(Contact {
                kind: "email".into(),
                value: value.to_string(),
                span: doc.span(start..start + value.len()),
            });
        }
    }
    for sentence in sentences_with(doc, PHONE_WORDS) {
        let s = &text[sentence.clone()];
        let mut i = 0;
        while i < s.len() {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if c.is_ascii_digit()
                || (c == '+' && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
            {
                let run = s[i..]
                    .char_indices()
                    .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+'))
                    .last()
                    .map_or(i, |(j, c)| i + j + c.len_utf8());
                let value = s[i..run].trim();
                let digits = value.chars().filter(char::is_ascii_digit).count();
                if (7..=15).contains(&digits) && out.len() < MAX_ITEMS {
                    let start = sentence.start + i;
                    out.push(Contact {
                        kind: "phone".into(),
                        value: value.to_string(),
                        span: doc.span(start..start + value.len()),
                    });
                }
                i = run.max(i + 1);
            } else {
                i += c.len_utf8();
            }
        }
    }
    // Service numbers need no keyword: 400/800 lines, 95xxx short codes, mobile numbers.
    let digits_of = |v: &str| v.replace(['-', ' '], "");
    let mut known: std::collections::HashSet<String> = out
        .iter()
        .filter(|c| c.kind == "phone")
        .map(|c| digits_of(&c.value))
        .collect();
    for (start, value) in service_numbers(text) {
        if out.len() >= MAX_ITEMS {
            break;
        }
        if known.insert(digits_of(value)) {
            out.push(Contact {
                kind: "phone".into(),
                value: value.to_string(),
                span: doc.span(start..start + value.len()),
            });
        }
    }
    // An address given, not the word in a list of PI ("联系地址、电话号码").
    for sentence in sentences_with(doc, GIVEN) {
        let s = &text[sentence.clone()];
        let has_place = ["省", "市", "区", "路", "街", "号", "road", "street"]
            .iter()
            .any(|w| s.contains(w));
        // A web address (`设置页面地址:<https://…>`) is not a postal one.
        let web = s.contains("http") || s.contains("www.");
        if has_place && !web && out.len() < MAX_ITEMS && !s.contains('@') {
            out.push(Contact {
                kind: "address".into(),
                value: s.to_string(),
                span: doc.span(sentence),
            });
        }
    }
    out
}

/// (byte offset, number) of each service number in the text: `400-155-5300`, `4001555300`,
/// `800…`, `95590`, an 11-digit mobile number; a digit run of another length is not one.
fn service_numbers(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || (bytes[end] == b'-' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        let run = &text[i..end];
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        let followed_by_alnum = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
        let service = (digits.len() == 10
            && (digits.starts_with("400") || digits.starts_with("800")))
            || (digits.len() == 5 && digits.starts_with("95") && !run.contains('-'))
            || (digits.len() == 11
                && digits.starts_with('1')
                && digits
                    .as_bytes()
                    .get(1)
                    .is_some_and(|d| (b'3'..=b'9').contains(d)));
        if service && !followed_by_alnum {
            out.push((i, run));
        }
        i = end.max(i + 1);
    }
    out
}

/// Permissions named: a PI term right before `权限` / `permission`, or a manifest name.
pub fn permissions(doc: &Doc, found: &[Found]) -> Vec<DeclaredPermission> {
    let mut out: Vec<DeclaredPermission> = Vec::new();
    let text = &doc.text;
    for f in found {
        let (range, Some(category)) = (f.range.clone(), PI_TYPES.get(f.ty).map(|t| t.category))
        else {
            continue;
        };
        let after = text[range.end..].trim_start_matches([' ', '(', '（']);
        let after_lower: String = after.chars().take(20).collect::<String>().to_lowercase();
        let names_permission = after.starts_with("权限")
            || after.starts_with("等权限")
            || after.starts_with("访问权限")
            || after.starts_with("读取权限")
            || after_lower.starts_with("permission")
            || after_lower.starts_with("access permission");
        if names_permission && out.len() < MAX_ITEMS && !out.iter().any(|p| p.category == category)
        {
            out.push(DeclaredPermission {
                category,
                term: text[range.clone()].to_string(),
                span: doc.span(range),
            });
        }
    }
    for (at, _) in text.match_indices("android.permission.") {
        // A permission name is short; a longer run is not one.
        let len: usize = text[at..]
            .chars()
            .take(100)
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            .map(char::len_utf8)
            .sum();
        let name = &text[at..at + len];
        let Some(info) = hegui_knowledge::permission_info(name) else {
            continue;
        };
        for category in &info.categories {
            if out.len() < MAX_ITEMS && !out.iter().any(|p| p.category == *category) {
                out.push(DeclaredPermission {
                    category: *category,
                    term: name.to_string(),
                    span: doc.span(at..at + len),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::read;

    #[test]
    fn numbers_times_contacts() {
        assert_eq!(chinese_number("十五"), Some(15));
        assert_eq!(chinese_number("三十"), Some(30));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("一百二十"), Some(120));
        let doc = read(
            "我们将在十五个工作日内完成注销。投诉将在30天内回复。联系电话：400-123-4567，邮箱 privacy@example.com。地址：北京市海淀区中关村大街1号。",
            "text",
        );
        let times = response_times(&doc);
        let times: Vec<(&str, u32, bool)> = times
            .iter()
            .map(|r| (r.topic.as_str(), r.days, r.working_days))
            .collect();
        assert_eq!(
            times,
            [("cancellation", 15, true), ("complaint", 30, false)]
        );
        let kinds = contacts(&doc);
        let kinds: Vec<(&str, &str)> = kinds
            .iter()
            .map(|c| (c.kind.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(kinds[0], ("email", "privacy@example.com"));
        assert_eq!(kinds[1], ("phone", "400-123-4567"));
        assert_eq!(kinds[2].0, "address");
        let numbers: Vec<&str> =
            service_numbers("热线4001555300；95590；2019年12345678901234；13912345678")
                .into_iter()
                .map(|(_, n)| n)
                .collect();
        assert_eq!(numbers, ["4001555300", "95590", "13912345678"]);
    }

    #[test]
    fn purposes_per_declared_pi() {
        let doc = read(
            "当您注册时，我们会收集您的手机号码，用于创建账号和验证身份。我们收集设备信息。",
            "text",
        );
        let pi = pi_types(&doc, &crate::mentions::find(&doc.text));
        assert_eq!(pi[0].purpose.as_deref(), Some("用于创建账号和验证身份"));
        assert_eq!(pi[1].purpose, None);
    }

    #[test]
    fn permissions_named() {
        let doc = read(
            "我们会申请相机权限用于扫码。我们会请求您的位置信息权限。我们使用 android.permission.READ_CONTACTS。我们会收集日历。",
            "text",
        );
        let cats: Vec<_> = permissions(&doc, &crate::mentions::find(&doc.text))
            .iter()
            .map(|p| p.category)
            .collect();
        use hegui_model::PiCategory::*;
        assert_eq!(cats, [Camera, Location, Contacts]);
    }

    #[test]
    fn the_word_index_finds_what_a_direct_search_finds() {
        let doc = read(
            "我们仅在实现目的所必需的期间内保存您的个人信息，存储在中国境内。\n如需投诉，请拨打客服电话。\n             您可以查询、更正、删除您的个人信息，或申请注销账号。本政策更新时我们会通知您。Contact us by phone.",
            "text",
        );
        for list in crate::elements::INDEXED_LISTS
            .iter()
            .chain([PHONE_WORDS, GIVEN].iter())
        {
            let direct: Vec<Range<usize>> = doc
                .sentences
                .iter()
                .zip(&doc.sentences_lower)
                .filter(|(_, s)| list.iter().any(|w| s.contains(w)))
                .map(|(r, _)| r.clone())
                .collect();
            assert_eq!(sentences_with(&doc, list), direct, "{list:?}");
        }
    }

    #[test]
    fn definitions_are_not_declarations() {
        let doc = read(
            "个人敏感信息是指一旦泄露可能危害人身安全的信息，包括身份证件号码、通讯录、行踪轨迹。我们会收集您的手机号码。",
            "text",
        );
        let cats: Vec<_> = pi_types(&doc, &crate::mentions::find(&doc.text))
            .iter()
            .map(|d| d.category)
            .collect();
        assert_eq!(cats, [hegui_model::PiCategory::PhoneNumber]);
    }

    #[test]
    fn denials_are_not_declarations() {
        let doc = read("我们会收集您的位置信息。我们不会收集您的通讯录。", "text");
        let cats: Vec<_> = pi_types(&doc, &crate::mentions::find(&doc.text))
            .iter()
            .map(|d| d.category)
            .collect();
        assert_eq!(cats, [hegui_model::PiCategory::Location]);
    }
}
