//! The ten elements of GB/T 35273-2020 5.5 (Annex D) and PIPL art. 17, each judged
//! `true | "partial" | false` from phrase rules, with the sentences that decided it.

use std::collections::BTreeMap;
use std::ops::Range;

use hegui_model::{DeclaredPi, ElementValue, NamedParty, PolicyElement};

use crate::doc::Doc;
use crate::facts::sentences_with;

pub const PERIOD_WORDS: &[&str] = &[
    "保存期限",
    "保留期限",
    "存储期限",
    "保存期间",
    "保存时间",
    "保存的期限",
    "最短时间",
    "最短期限",
    "必要的期限",
    "必须的期间",
    "必需的期限",
    "必要期限",
    "所必须的期间",
    "retain",
    "retention",
    "as long as",
];
const LOCATION_WORDS: &[&str] = &[
    "境内",
    "存储在中国",
    "存放在中国",
    "存储于中国",
    "中华人民共和国境内",
    "境外",
    "stored in",
    "servers located",
    "transferred to",
];
const ENTITY_SUFFIXES: &[&str] = &[
    "有限公司",
    "有限责任公司",
    "股份公司",
    "co., ltd",
    "co.,ltd",
    "inc.",
    "llc",
    "limited",
    "gmbh",
];
const PURPOSE_WORDS: &[&str] = &[
    "用于",
    "目的",
    "以便",
    "用途",
    "为了向您提供",
    "为向您提供",
    "为了实现",
    "为实现",
    "purpose",
    "in order to",
    "we use",
    "used to",
];
const SCENARIO_OPENERS: &[&str] = &[
    "当您",
    "在您",
    "如您",
    "如果您",
    "若您",
    "when you",
    "if you",
];
const COMPLAINT_WORDS: &[&str] = &["投诉", "举报", "申诉", "complain"];
const MINOR_WORDS: &[&str] = &[
    "未成年",
    "儿童",
    "不满十四",
    "不满14",
    "14周岁",
    "十四周岁",
    "minor",
    "children",
    "child",
    "under 13",
    "under 16",
];
const UPDATE_WORDS: &[&str] = &["更新", "修订", "变更", "修改", "update", "change", "revise"];
const NOTICE_WORDS: &[&str] = &[
    "通知",
    "告知",
    "提示",
    "弹窗",
    "弹出",
    "公告",
    "推送",
    "邮件",
    "站内信",
    "显著",
    "notify",
    "notice",
    "email",
];
const POLICY_WORDS: &[&str] = &[
    "本政策",
    "隐私政策",
    "本隐私",
    "本指引",
    "本声明",
    "this policy",
    "privacy policy",
    "本协议",
];

/// Evidence kept per element.
const MAX_EVIDENCE: usize = 5;

pub struct Inputs<'a> {
    pub doc: &'a Doc,
    pub pi: &'a [DeclaredPi],
    pub parties: &'a [NamedParty],
    pub has_contact: bool,
}

pub fn judge(input: &Inputs<'_>) -> BTreeMap<String, PolicyElement> {
    let doc = input.doc;
    let mut out = BTreeMap::new();
    let mut put = |name: &str, value: ElementValue, evidence: Vec<Range<usize>>| {
        let mut kept: Vec<Range<usize>> = Vec::new();
        if value != ElementValue::FALSE {
            for r in evidence {
                if kept.len() < MAX_EVIDENCE && !kept.contains(&r) {
                    kept.push(r);
                }
            }
        }
        let evidence = kept.into_iter().map(|r| doc.span(r)).collect();
        out.insert(name.to_string(), PolicyElement { value, evidence });
    };

    let entity = sentences_with(doc, ENTITY_SUFFIXES);
    let contact = sentences_with(
        doc,
        &[
            "@",
            "电话",
            "热线",
            "客服",
            "地址",
            "联系我们",
            "phone",
            "contact us",
        ],
    );
    let (v, e) = match (entity.is_empty(), contact.is_empty() || !input.has_contact) {
        (false, false) => (ElementValue::TRUE, [&entity[..1], &contact[..1]].concat()),
        (false, true) => (ElementValue::PARTIAL, entity),
        (true, false) => (ElementValue::PARTIAL, contact.clone()),
        (true, true) => (ElementValue::FALSE, Vec::new()),
    };
    put("controller_identity_contact", v, e);

    let (v, e) = pi_per_function(input);
    put("pi_per_function", v, e);

    let purposes: Vec<_> = sentences_with(doc, PURPOSE_WORDS)
        .into_iter()
        .filter(|r| mentions_pi_or_info(doc, r))
        .collect();
    put("purposes", bool_value(!purposes.is_empty()), purposes);

    let (v, e) = sensitive_marked(input);
    put("sensitive_pi_marked", v, e);

    let generic_sharing = sentences_with(
        doc,
        &[
            "第三方",
            "合作伙伴",
            "关联公司",
            "third part",
            "partners",
            "affiliates",
        ],
    );
    let named: Vec<_> = input
        .parties
        .iter()
        .map(|p| byte_range(doc, p.span.start, p.span.end))
        .collect();
    let sdk_table = sentences_with(
        doc,
        &[
            "sdk名称",
            "sdk 名称",
            "第三方sdk",
            "第三方 sdk",
            "sdk提供方",
            "sdk 提供方",
        ],
    );
    let (v, e) = if !named.is_empty() {
        (ElementValue::TRUE, [sdk_table.clone(), named].concat())
    } else if !generic_sharing.is_empty() || !sdk_table.is_empty() {
        (ElementValue::PARTIAL, [sdk_table, generic_sharing].concat())
    } else {
        (ElementValue::FALSE, Vec::new())
    };
    put("third_party_sdk_list", v, e);

    let location = sentences_with(doc, LOCATION_WORDS);
    let period = sentences_with(doc, PERIOD_WORDS);
    let (v, e) = match (location.is_empty(), period.is_empty()) {
        (false, false) => (ElementValue::TRUE, [&location[..1], &period[..1]].concat()),
        (true, true) => (ElementValue::FALSE, Vec::new()),
        _ => (ElementValue::PARTIAL, [location, period].concat()),
    };
    put("storage_location_period", v, e);

    let rights = [
        &["查询", "访问", "查阅", "查看", "access"][..],
        &["更正", "修改", "更改", "correct", "rectif"][..],
        &["删除", "delete", "deletion", "erase"][..],
        &[
            "注销",
            "close your account",
            "delete your account",
            "account deletion",
        ][..],
    ];
    let found: Vec<Vec<Range<usize>>> = rights
        .iter()
        .map(|words| {
            sentences_with(doc, words)
                .into_iter()
                .filter(|r| about_your_information(doc, r))
                .collect()
        })
        .collect();
    let present = found.iter().filter(|f| !f.is_empty()).count();
    let evidence = found.iter().filter_map(|f| f.first().cloned()).collect();
    let v = match present {
        4 => ElementValue::TRUE,
        0 => ElementValue::FALSE,
        _ => ElementValue::PARTIAL,
    };
    put("user_rights", v, evidence);

    let complaints = sentences_with(doc, COMPLAINT_WORDS);
    let (v, e) = if !complaints.is_empty() && input.has_contact {
        (ElementValue::TRUE, complaints)
    } else if input.has_contact || !complaints.is_empty() {
        (
            ElementValue::PARTIAL,
            [complaints, contact.clone()].concat(),
        )
    } else {
        (ElementValue::FALSE, Vec::new())
    };
    put("complaint_channel", v, e);

    let minor_heading: Vec<_> = doc
        .headings
        .iter()
        .filter(|h| {
            let t = doc.text[h.range.clone()].to_lowercase();
            MINOR_WORDS.iter().any(|w| t.contains(w))
        })
        .map(|h| h.range.clone())
        .collect();
    let minor_sentences = sentences_with(doc, MINOR_WORDS);
    let minor_about_pi = minor_sentences.iter().any(|r| mentions_pi_or_info(doc, r));
    let (v, e) = if !minor_heading.is_empty() {
        (ElementValue::TRUE, minor_heading)
    } else if minor_sentences.len() >= 2 && minor_about_pi {
        (ElementValue::TRUE, minor_sentences)
    } else if !minor_sentences.is_empty() {
        (ElementValue::PARTIAL, minor_sentences)
    } else {
        (ElementValue::FALSE, Vec::new())
    };
    put("minors_clause", v, e);

    let updates: Vec<_> = sentences_with(doc, UPDATE_WORDS)
        .into_iter()
        .filter(|r| {
            let s = doc.text[r.clone()].to_lowercase();
            POLICY_WORDS.iter().any(|w| s.contains(w))
        })
        .collect();
    let noticed: Vec<_> = updates
        .iter()
        .filter(|r| {
            let s = doc.text[(*r).clone()].to_lowercase();
            NOTICE_WORDS.iter().any(|w| s.contains(w))
        })
        .cloned()
        .collect();
    let (v, e) = if !noticed.is_empty() {
        (ElementValue::TRUE, noticed)
    } else if !updates.is_empty() {
        (ElementValue::PARTIAL, updates)
    } else {
        (ElementValue::FALSE, Vec::new())
    };
    put("update_notice", v, e);
    out
}

fn bool_value(b: bool) -> ElementValue {
    if b {
        ElementValue::TRUE
    } else {
        ElementValue::FALSE
    }
}

fn mentions_pi_or_info(doc: &Doc, r: &Range<usize>) -> bool {
    let text = &doc.text[r.clone()];
    let s = text.to_lowercase();
    s.contains("信息")
        || s.contains("information")
        || s.contains("data")
        || s.contains("数据")
        || !crate::lexicon::pi_lexicon().find(text).is_empty()
}

fn about_your_information(doc: &Doc, r: &Range<usize>) -> bool {
    let s = doc.text[r.clone()].to_lowercase();
    mentions_pi_or_info(doc, r) || s.contains("账号") || s.contains("账户") || s.contains("account")
}

/// Byte range of a code-point span (the facts store code points).
fn byte_range(doc: &Doc, start: u32, end: u32) -> Range<usize> {
    doc.byte_offset(start)..doc.byte_offset(end)
}

/// Words of headings that name a business function or scenario ("1、注册、登录", "视频浏览").
const FUNCTION_WORDS: &[&str] = &[
    "注册",
    "登录",
    "浏览",
    "搜索",
    "支付",
    "下单",
    "购买",
    "交易",
    "客服",
    "分享",
    "评论",
    "发布",
    "上传",
    "定位",
    "推送",
    "直播",
    "视频",
    "消息",
    "社交",
    "会员",
    "认证",
    "导航",
    "配送",
    "预约",
    "扫码",
    "播放",
    "打车",
    "出行",
    "安全保障",
    "安全",
    "功能",
    "场景",
    "业务",
    "服务",
    "register",
    "sign in",
    "log in",
    "search",
    "payment",
    "purchase",
    "share",
    "upload",
    "feature",
];

fn names_function(title: &str) -> bool {
    let t = title.to_lowercase();
    // A heading about the policy's own structure is not a function.
    let structural = [
        "如何收集",
        "我们收集",
        "个人信息保护",
        "隐私政策",
        "一般原则",
        "how we collect",
    ]
    .iter()
    .any(|w| t.contains(w));
    !structural && FUNCTION_WORDS.iter().any(|w| t.contains(w))
}

/// PI listed per business function: PI terms under several function headings, or in several
/// "when you use …" sentences. PI listed without functions is partial.
fn pi_per_function(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    if input.pi.is_empty() {
        return (ElementValue::FALSE, Vec::new());
    }
    let mut function_heads: Vec<Range<usize>> = Vec::new();
    for d in input.pi {
        let at = byte_range(doc, d.span.start, d.span.end).start;
        if let Some(h) = doc
            .section_at(at)
            .filter(|h| names_function(&doc.text[h.range.clone()]))
            && !function_heads.contains(&h.range)
        {
            function_heads.push(h.range.clone());
        }
    }
    let scenarios: Vec<_> = doc
        .sentences
        .iter()
        .filter(|r| {
            let s = doc.text[(*r).clone()].to_lowercase();
            SCENARIO_OPENERS.iter().any(|o| s.contains(o))
                && (s.contains('时') || s.contains("when") || s.contains("功能"))
                && !crate::lexicon::pi_lexicon()
                    .find(&doc.text[(*r).clone()])
                    .is_empty()
        })
        .cloned()
        .collect();
    if function_heads.len() >= 2 || scenarios.len() >= 2 {
        (ElementValue::TRUE, [function_heads, scenarios].concat())
    } else {
        let first = input
            .pi
            .iter()
            .map(|d| byte_range(doc, d.span.start, d.span.end))
            .filter_map(|r| doc.sentence_at(r.start))
            .take(3)
            .collect();
        (ElementValue::PARTIAL, first)
    }
}

/// Sensitive PI named and marked: a sentence that says which PI is sensitive, or emphasis on
/// one. Only a definition, or only a general "bold clauses matter" notice, is partial.
fn sensitive_marked(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    let sensitive = sentences_with(
        doc,
        &[
            "敏感个人信息",
            "个人敏感信息",
            "敏感信息",
            "sensitive personal",
            "sensitive information",
            "sensitive data",
        ],
    );
    let listing: Vec<_> = sensitive
        .iter()
        .filter(|r| {
            let s = &doc.text[(*r).clone()];
            !crate::lexicon::pi_lexicon().find(s).is_empty()
                && (doc
                    .emphasis
                    .iter()
                    .any(|e| e.start < r.end && r.start < e.end)
                    || ["包括", "如", "例如", "标", "：", ":", "属于", "include"]
                        .iter()
                        .any(|w| s.contains(w)))
        })
        .cloned()
        .collect();
    if !listing.is_empty() {
        return (ElementValue::TRUE, listing);
    }
    // A general "bold clauses matter" notice without a word on sensitive PI marks nothing.
    if !sensitive.is_empty() {
        let marking = sentences_with(doc, &["粗体", "加粗", "黑体", "下划线", "in bold"]);
        return (ElementValue::PARTIAL, [sensitive, marking].concat());
    }
    (ElementValue::FALSE, Vec::new())
}
