//! Every mention of a PI type in a text. Three ways to find one, so that phrasing the
//! vocabulary never saw is still read:
//! 1. a vocabulary term (`IMEI`, `网络设备硬件地址`), widened over a head noun that follows
//!    (`IMEI` + `信息`);
//! 2. a noun phrase of a PI stem and a head noun (`游戏对局信息`, `网络质量数据`);
//! 3. an item of an enumeration that holds a mention (`头像、昵称、所在行业`): the items of
//!    a list of PI are PI, typed by their own stem or by their neighbour.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::lexicon::matcher;
use crate::vocab::{HEADS, PI_TYPES, STEMS, VERBAL_STEMS, by_id};

/// A mention: byte range in the text and index into [`PI_TYPES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub ty: usize,
}

struct Tables {
    terms: AhoCorasick,
    term_types: Vec<usize>,
    heads: AhoCorasick,
    stems: AhoCorasick,
    stem_types: Vec<usize>,
    stem_is_verb: Vec<bool>,
}

fn tables() -> Option<&'static Tables> {
    static T: OnceLock<Option<Tables>> = OnceLock::new();
    T.get_or_init(|| {
        let mut terms = Vec::new();
        let mut term_types = Vec::new();
        for (i, ty) in PI_TYPES.iter().enumerate() {
            for term in ty.terms {
                terms.push(*term);
                term_types.push(i);
            }
        }
        let (stem_words, stem_types): (Vec<&str>, Vec<usize>) = STEMS
            .iter()
            .filter_map(|(w, id)| Some((*w, by_id(id)?)))
            .unzip();
        let stem_is_verb = stem_words
            .iter()
            .map(|w| VERBAL_STEMS.contains(w))
            .collect();
        Some(Tables {
            terms: matcher(&terms)?,
            term_types,
            heads: matcher(HEADS)?,
            stems: matcher(&stem_words)?,
            stem_types,
            stem_is_verb,
        })
    })
    .as_ref()
}

/// An ASCII term must stand alone: `location` is not inside `allocation`.
fn at_word_boundary(text: &str, range: &Range<usize>) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let term = &text[range.clone()];
    let starts = !term.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !alnum(text[..range.start].chars().next_back());
    let ends = !term.ends_with(|c: char| c.is_ascii_alphanumeric())
        || !alnum(text[range.end..].chars().next());
    starts && ends
}

/// Characters that end a list item or a noun phrase.
fn is_break(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '、' | '，'
                | ','
                | '。'
                | '；'
                | ';'
                | '：'
                | ':'
                | '('
                | ')'
                | '（'
                | '）'
                | '【'
                | '】'
                | '['
                | ']'
                | '《'
                | '》'
                | '“'
                | '”'
                | '"'
                | '\''
                | '|'
                | '/'
                | '／'
                | '*'
                | '!'
                | '！'
                | '?'
                | '？'
                | '·'
                | '•'
                | '.'
                | '\n'
        )
}

/// Words that join list items.
const JOINERS: &[&str] = &[
    "、", "/", "／", "以及", "或者", "和", "及", "与", "或", "&", ",",
];
/// Longest item taken after a comma.
const MAX_COMMA_ITEM_CHARS: usize = 6;
/// Words a list item may carry that are not part of the PI's name.
const ITEM_PREFIXES: &[&str] = &[
    "包括但不限于",
    "包括",
    "例如",
    "比如",
    "诸如",
    "如",
    "即",
    "您的",
    "你的",
    "用户的",
    "我们的",
    "其他",
    "相关",
];
const ITEM_SUFFIXES: &[&str] = &[
    "等相关信息",
    "等相关数据",
    "等个人信息",
    "等信息",
    "等数据",
    "等内容",
    "相关信息",
    "等",
    "信息",
];
/// An item holding one of these is a clause, not a PI name.
const CLAUSE_WORDS: &[&str] = &[
    "我们",
    "您",
    "你",
    "将",
    "会",
    "可能",
    "需要",
    "用于",
    "以便",
    "如果",
    "是否",
    "通过",
    "为了",
    "请",
    "无法",
    "不",
    "没有",
    "可以",
    "能够",
    "第三方",
    "公司",
    "SDK",
    "政策",
    "法律",
    "规定",
    "功能",
    "服务",
    "权限",
    "个人信息",
    "上述",
    "前述",
    "该等",
    "这些",
    "此类",
    "必要",
    "时候",
];
/// Verbs: an item holding one is a clause unless it ends in a head noun (`使用方式`).
const VERBS: &[&str] = &[
    "收集", "获取", "使用", "提供", "读取", "访问", "调用", "申请", "开启", "授权", "同意", "进行",
    "完成", "保护", "共享", "披露", "存储", "保存", "删除", "处理", "了解", "设置", "选取", "勾选",
    "选择", "对",
];
/// Verbs whose object is PI about behaviour: `您浏览的内容`, `搜索的信息`.
const BEHAVIOUR_VERBS: &[&str] = &[
    "浏览", "搜索", "点击", "观看", "访问", "播放", "阅读", "购买",
];

/// Longest mention in bytes: a term widened by stems and a head, or a list item. Longer
/// ranges (a hostile text's) are still checked against what starts within this distance.
const MAX_MENTION_BYTES: usize = 256;

/// Longest list item or noun-phrase modifier, in characters.
const MAX_ITEM_CHARS: usize = 10;
const MAX_MODIFIER_CHARS: usize = 6;

/// Every PI mention in `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<Found> {
    let Some(t) = tables() else {
        return Vec::new();
    };
    let mut found: Vec<Found> = t
        .terms
        .find_iter(text)
        .filter(|m| at_word_boundary(text, &(m.start()..m.end())))
        .filter_map(|m| {
            let ty = *t.term_types.get(m.pattern().as_usize())?;
            Some(Found {
                range: m.start()..m.end(),
                ty,
            })
        })
        .collect();
    found.retain(|f| !names_a_feature(text, &f.range));
    widen_over_heads(text, t, &mut found);
    noun_phrases(text, t, &mut found);
    list_items(text, t, &mut found);
    found.retain(|f| !text[..f.range.start].ends_with('感'));
    found.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if out.last().is_none_or(|l| l.range.end <= f.range.start) {
            out.push(f);
        }
    }
    out
}

/// Words after a term that make it the name of a feature, not of data (`实名认证功能`,
/// `位置服务`).
const FEATURE_WORDS: &[&str] = &[
    "功能", "服务", "业务", "页面", "界面", "按钮", "模式", "插件",
];

fn names_a_feature(text: &str, range: &Range<usize>) -> bool {
    let after = text[range.end..].trim_start_matches([' ', '*']);
    FEATURE_WORDS.iter().any(|w| after.starts_with(w))
}

/// `IMEI` + `信息`, `位置` + `数据`: the head noun belongs to the mention, and so do stems
/// right before it (`游戏` + `对局信息`, `登录` + `IP地址`).
fn widen_over_heads(text: &str, t: &Tables, found: &mut [Found]) {
    for f in found.iter_mut() {
        for _ in 0..2 {
            let floor = walk_back(text, 0, f.range.start, MAX_MODIFIER_CHARS);
            let before = &text[floor..f.range.start];
            match t.stems.find_iter(before).last() {
                Some(m)
                    if m.end() == before.len()
                        && !t
                            .stem_is_verb
                            .get(m.pattern().as_usize())
                            .copied()
                            .unwrap_or(true) =>
                {
                    f.range.start = floor + m.start()
                }
                _ => break,
            }
        }
        // Only what starts right here: a head noun is at most four characters.
        let rest = &text[f.range.end..];
        let near: usize = rest.chars().take(4).map(char::len_utf8).sum();
        if let Some(m) = t.heads.find(&rest[..near])
            && m.start() == 0
        {
            f.range.end += m.end();
        }
    }
}

/// The byte offset `chars` characters before `end`, not past `floor`, stopping at a break.
fn walk_back(text: &str, floor: usize, end: usize, chars: usize) -> usize {
    let mut start = end;
    for (i, c) in text[floor..end].char_indices().rev().take(chars) {
        if is_break(c) {
            break;
        }
        start = floor + i;
    }
    start
}

/// A PI stem followed by a head noun: `游戏对局信息`, `设备状态信息`.
fn noun_phrases(text: &str, t: &Tables, found: &mut Vec<Found>) {
    let mut covered: Vec<Range<usize>> = found.iter().map(|f| f.range.clone()).collect();
    covered.sort_by_key(|r| r.start);
    let mut added = Vec::new();
    for head in t.heads.find_iter(text) {
        let i = covered.partition_point(|r| r.end <= head.start());
        if covered.get(i).is_some_and(|r| r.start < head.end()) {
            continue;
        }
        // The modifier stops at the end of an earlier mention and at `的`.
        let floor = i
            .checked_sub(1)
            .and_then(|j| covered.get(j))
            .map_or(0, |r| r.end);
        let mut start = walk_back(text, floor, head.start(), MAX_MODIFIER_CHARS);
        // `软件的信息` is a phrase when a noun stem stands right before the `的`.
        let mut modifier_end = head.start();
        if text[start..head.start()].ends_with('的') {
            modifier_end -= '的'.len_utf8();
            let noun_stem = t
                .stems
                .find_iter(&text[start..modifier_end])
                .last()
                .is_some_and(|m| {
                    let stem = &text[start + m.start()..start + m.end()];
                    start + m.end() == modifier_end
                    && (BEHAVIOUR_VERBS.contains(&stem)
                        || !t.stem_is_verb.get(m.pattern().as_usize()).copied().unwrap_or(true))
                    // `识别您身份的信息` is any PI, not identity documents.
                    && !text[start..modifier_end].ends_with("身份")
                });
            if !noun_stem {
                continue;
            }
        }
        if let Some(de) = text[start..modifier_end].rfind('的') {
            start += de + '的'.len_utf8();
        }
        let modifier = &text[start..modifier_end];
        // The stem nearest the head names the type; stems right before it belong too.
        let stems: Vec<_> = t.stems.find_iter(modifier).collect();
        let Some(last) = stems.last() else { continue };
        let Some(&ty) = t.stem_types.get(last.pattern().as_usize()) else {
            continue;
        };
        let mut from = last.start();
        for s in stems.iter().rev().skip(1) {
            if s.end() == from {
                from = s.start();
            } else {
                break;
            }
        }
        // A verb between the stem and the head makes it a clause (`使用记录` is fine,
        // `设备上收集的信息` is not).
        let between = &modifier[last.end()..];
        if CLAUSE_WORDS
            .iter()
            .chain(VERBS)
            .any(|w| between.contains(w))
        {
            continue;
        }
        added.push(Found {
            range: start + from..head.end(),
            ty,
        });
    }
    found.extend(added);
}

/// The items of an enumeration that holds mentions, both ways from each mention.
fn list_items(text: &str, t: &Tables, found: &mut Vec<Found>) {
    found.sort_by_key(|f| f.range.start);
    let mut added: Vec<Found> = Vec::new();
    // Every range taken so far, by start, so an overlap costs a look at the few ranges that
    // start just before (a mention is short), not a pass over all of them.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    for f in found.iter() {
        let end = taken.entry(f.range.start).or_insert(f.range.end);
        *end = (*end).max(f.range.end);
    }
    let is_taken = |taken: &BTreeMap<usize, usize>, item: &Range<usize>| {
        taken
            .range(item.start.saturating_sub(MAX_MENTION_BYTES)..item.end)
            .any(|(s, e)| *s < item.end && item.start < *e)
    };
    for k in 0..found.len() {
        let Some(f) = found.get(k).cloned() else {
            break;
        };
        if PI_TYPES
            .get(f.ty)
            .is_none_or(|t| crate::vocab::names_a_capability(t.id))
        {
            continue;
        }
        // Forward: `A、B、C`.
        let (mut at, mut ty) = (f.range.end, f.ty);
        while let Some(item) = next_item(text, at) {
            if is_taken(&taken, &item) {
                break;
            }
            ty = stem_type(text, &item, t).unwrap_or(ty);
            at = item.end;
            taken.insert(item.start, item.end);
            added.push(Found { range: item, ty });
        }
        // Backward: the items before the first mention of a list.
        let (mut at, mut ty) = (f.range.start, f.ty);
        while let Some(item) = previous_item(text, at) {
            if is_taken(&taken, &item) {
                break;
            }
            ty = stem_type(text, &item, t).unwrap_or(ty);
            at = item.start;
            taken.insert(item.start, item.end);
            added.push(Found { range: item, ty });
        }
    }
    found.extend(added);
}

fn stem_type(text: &str, item: &Range<usize>, t: &Tables) -> Option<usize> {
    let m = t.stems.find_iter(&text[item.clone()]).last()?;
    t.stem_types.get(m.pattern().as_usize()).copied()
}

/// Skip markup leftovers and spaces: `**`, ` `.
fn skip_filler(text: &str, mut at: usize, forward: bool) -> usize {
    loop {
        let c = if forward {
            text[at..].chars().next()
        } else {
            text[..at].chars().next_back()
        };
        match c {
            Some(c @ (' ' | '*' | '\u{3000}')) => {
                if forward {
                    at += c.len_utf8();
                } else {
                    at -= c.len_utf8();
                }
            }
            _ => return at,
        }
    }
}

/// The list item after a mention ending at `end`, when a joiner follows it.
fn next_item(text: &str, end: usize) -> Option<Range<usize>> {
    let at = skip_filler(text, end, true);
    let rest = &text[at..];
    let joiner = JOINERS.iter().find(|j| rest.starts_with(*j))?;
    let start = skip_filler(text, at + joiner.len(), true);
    let len: usize = text[start..]
        .chars()
        .take_while(|c| !is_break(*c))
        .take(MAX_ITEM_CHARS + 1)
        .map(char::len_utf8)
        .sum();
    let mut item = start..start + len;
    if text[item.clone()].chars().count() > MAX_ITEM_CHARS {
        return None;
    }
    // A comma joins clauses as often as items: after one, only a short item that another
    // joiner follows (`姓名,性别,手机号码`).
    if *joiner == "," {
        let short = text[item.clone()].chars().count() <= MAX_COMMA_ITEM_CHARS;
        let continues = text[item.end..].starts_with([',', '、']);
        if !short || !continues {
            return None;
        }
    }
    // `A、B等`: a joiner word inside the item ends it (`B和C` is two items).
    for j in ["以及", "或者", "和", "及", "与", "或", "等"] {
        if let Some(p) = text[item.clone()].find(j).filter(|p| *p > 0) {
            item.end = item.start + p;
        }
    }
    clean_item(text, item)
}

/// The list item before a mention starting at `start`, when a joiner precedes it.
fn previous_item(text: &str, start: usize) -> Option<Range<usize>> {
    let at = skip_filler(text, start, false);
    let before = &text[..at];
    let joiner = ["、", "/", "／", "和", "及", "与", "或"]
        .iter()
        .find(|j| before.ends_with(*j))?;
    let end = skip_filler(text, at - joiner.len(), false);
    let begin = walk_back(text, 0, end, 2 * MAX_ITEM_CHARS);
    let mut item = begin..end;
    // `收集您的A、B`: only what follows the last `的` or list opener is the item.
    for opener in ["的", "包括", "如", "例如", "即"] {
        if let Some(p) = text[item.clone()].rfind(opener) {
            item.start += p + opener.len();
        }
    }
    clean_item(text, item)
}

/// An item without its carrier words, or none when it is a clause or a generic word.
fn clean_item(text: &str, mut item: Range<usize>) -> Option<Range<usize>> {
    loop {
        let s = &text[item.clone()];
        if let Some(p) = ITEM_PREFIXES.iter().find(|p| s.starts_with(*p)) {
            item.start += p.len();
        } else if let Some(p) = ITEM_SUFFIXES
            .iter()
            .find(|p| s.ends_with(*p) && s.len() > p.len())
        {
            item.end -= p.len();
        } else {
            break;
        }
    }
    let s = &text[item.clone()];
    let chars = s.chars().count();
    let cjk_or_alnum = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '-');
    let fits = (1..=MAX_ITEM_CHARS).contains(&chars)
        && cjk_or_alnum
        && !CLAUSE_WORDS.iter().any(|w| s.contains(w))
        && !s.ends_with(['时', '后', '前', '的'])
        && (HEADS.iter().any(|h| s.ends_with(h)) || !VERBS.iter().any(|w| s.contains(w)))
        && !s.chars().all(|c| c.is_ascii_digit())
        && (chars >= 2 || s.is_ascii());
    fits.then_some(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(&str, &'static str)> {
        find(text)
            .into_iter()
            .map(|f| (&text[f.range], PI_TYPES[f.ty].id))
            .collect()
    }

    #[test]
    fn terms_heads_phrases_and_lists() {
        assert_eq!(
            read("我们收集IMEI信息、网络设备硬件地址（MAC）和游戏对局信息。"),
            [
                ("IMEI信息", "imei"),
                ("网络设备硬件地址", "mac_address"),
                ("MAC", "mac_address"),
                ("游戏对局信息", "usage")
            ]
        );
        // Items the vocabulary does not know, read from their list: typed by their stem,
        // else by their neighbour.
        assert_eq!(
            read("包括姓名、昵称、所在行业、学校、订单状态等"),
            [
                ("姓名", "name"),
                ("昵称", "nickname_avatar"),
                ("所在行业", "education_work"),
                ("学校", "education_work"),
                ("订单状态", "transaction")
            ]
        );
        assert_eq!(
            read("硬盘、 CPU"),
            [("硬盘", "device_info"), ("CPU", "device_info")]
        );
        // A clause after a joiner is not an item.
        assert_eq!(
            read("我们收集位置信息和您使用服务时的操作"),
            [("位置信息", "location")]
        );
        assert_eq!(
            read("我们可能会收集您使用的设备、日志信息。"),
            [("设备", "device_info"), ("日志信息", "log")]
        );
        // Generic words are not PI types.
        assert!(read("我们会保护您的个人信息和相关信息").is_empty());
    }
}
