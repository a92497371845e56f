//! The ten elements of GB/T 35273-2020 5.5 (Annex D) and PIPL art. 17, each judged
//! `true | "partial" | false` from phrase rules, with the sentences that decided it.

use std::collections::BTreeMap;
use std::ops::Range;

use hegui_model::{
    Contact, DeclaredPi, ElementValue, Localized, NamedParty, PolicyElement, Practice,
    PracticeAction,
};

use crate::doc::Doc;
use crate::facts::sentences_with;

pub const PERIOD_WORDS: &[&str] = &[
    "必需的期间",
    "必需期间",
    "必要的期间",
    "必要期间",
    "所需的期限",
    "所需期限",
    "所需的期间",
    "必需的时间",
    "必要的时间",
    "最短时限",
    "时限内",
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
    "中国内地",
    "中国大陆",
    "mainland china",
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
const UPDATE_WORDS: &[&str] = &[
    "更新", "修订", "变更", "修改", "变化", "update", "change", "revise",
];
/// "May be updated at any time without notice": updates without a notice.
const NO_NOTICE: &[&str] = &[
    "毋须另行通知",
    "无须另行通知",
    "无需另行通知",
    "不另行通知",
    "不再另行通知",
    "不再另行",
    "without notice",
    "without prior notice",
];
const STORAGE_VERBS: &[&str] = &[
    "存储",
    "存放",
    "储存",
    "保存",
    "存于",
    "服务器",
    "store",
    "stored",
    "kept",
];
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
    "隐私权政策",
    "保护政策",
    "保护指引",
    "隐私指引",
    "隐私声明",
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
    pub contacts: &'a [Contact],
    pub practices: &'a [Practice],
    /// Byte offsets of the mentions, in order.
    pub mention_starts: Vec<usize>,
}

impl Inputs<'_> {
    fn has_contact(&self) -> bool {
        !self.contacts.is_empty() || !in_app_service(self.doc).is_empty()
    }
}

/// Sentences that offer a channel inside the app: online customer service, a feedback entry.
fn in_app_service(doc: &Doc) -> Vec<Range<usize>> {
    sentences_with(doc, IN_APP_SERVICE)
        .into_iter()
        .filter(|r| {
            let s = &doc.sentences_lower[doc.sentence_index_at(r.start).unwrap_or(0)];
            ["联系", "在线", "反馈", "提交", "咨询"]
                .iter()
                .any(|w| s.contains(w))
        })
        .collect()
}

/// The four rights: access, correction, deletion, account cancellation.
const RIGHTS: [&[&str]; 4] = [
    &["查询", "访问", "查阅", "查看", "access"],
    &["更正", "修改", "更改", "correct", "rectif"],
    &["删除", "delete", "deletion", "erase"],
    &[
        "注销",
        "close your account",
        "delete your account",
        "account deletion",
    ],
];

/// Every word list the element rules look sentences up by: searched in one pass per
/// document (see [`crate::facts::sentences_with`]).
pub const INDEXED_LISTS: &[&[&str]] = &[
    PERIOD_WORDS,
    LOCATION_WORDS,
    ENTITY_SUFFIXES,
    PURPOSE_WORDS,
    COMPLAINT_WORDS,
    MINOR_WORDS,
    UPDATE_WORDS,
    KEEPING_WORDS,
    SDK_WORD,
    SDK_TABLE_WORDS,
    IN_APP_SERVICE,
    SENSITIVE_PI_WORDS,
    GRIEVANCE_WORDS,
    DEDICATED_CONTACT,
    RIGHTS[0],
    RIGHTS[1],
    RIGHTS[2],
    RIGHTS[3],
];

/// A period stated with these and a verb of keeping.
const KEEPING_WORDS: &[&str] = &["期间", "期限", "直至", "until"];
const SDK_WORD: &[&str] = &["sdk"];
/// Column titles of an SDK table.
const SDK_TABLE_WORDS: &[&str] = &[
    "sdk名称",
    "sdk 名称",
    "sdk提供方",
    "sdk 提供方",
    "第三方名称",
    "sdk运营方",
];

/// Words of an in-app channel.
const IN_APP_SERVICE: &[&str] = &[
    "在线客服",
    "客服功能",
    "客服中心",
    "“客服”",
    "\"客服\"",
    "客户端内",
    "app内",
    "应用内",
    "意见反馈",
    "帮助与反馈",
    "反馈入口",
    "在线反馈",
    "用户反馈",
];

pub fn judge(input: &Inputs<'_>) -> BTreeMap<String, PolicyElement> {
    let doc = input.doc;
    let mut out = BTreeMap::new();
    // What is missing, for the elements of several parts; the others say it by value.
    let mut parts_missing: BTreeMap<&str, Localized> = BTreeMap::new();
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
        out.insert(
            name.to_string(),
            PolicyElement {
                value,
                evidence,
                missing: None,
            },
        );
    };

    let entity = sentences_with(doc, ENTITY_SUFFIXES);
    // A contact given: the sentences of the addresses and numbers found, or an in-app
    // channel; the word 电话 in a list of PI is not one.
    let mut contact: Vec<Range<usize>> = input
        .contacts
        .iter()
        .filter_map(|c| doc.sentence_at(doc.byte_offset(c.span.start)))
        .collect();
    contact.extend(in_app_service(doc));
    contact.dedup();
    let no_contact = contact.is_empty() || !input.has_contact();
    if entity.is_empty() != no_contact {
        parts_missing.insert(
            "controller_identity_contact",
            if entity.is_empty() {
                Localized::new(
                    "未写明运营者的法定名称（公司全称）",
                    "the operator's legal name is not given",
                )
            } else {
                Localized::new(
                    "未给出电话、邮箱、地址或应用内联系渠道",
                    "no phone, e-mail, address or in-app channel is given",
                )
            },
        );
    }
    let (v, e) = match (entity.is_empty(), no_contact) {
        (false, false) => (ElementValue::TRUE, [&entity[..1], &contact[..1]].concat()),
        (false, true) => (ElementValue::PARTIAL, entity),
        (true, false) => (ElementValue::PARTIAL, contact.clone()),
        (true, true) => (ElementValue::FALSE, Vec::new()),
    };
    put("controller_identity_contact", v, e);

    let (v, e) = pi_per_function(input);
    put("pi_per_function", v, e);

    let (v, e) = purposes(input);
    put("purposes", v, e);

    let (v, e) = sensitive_marked(input);
    put("sensitive_pi_marked", v, e);

    let (v, e) = third_parties(input);
    put("third_party_sdk_list", v, e);

    // Where PI is stored: a storage verb and a place in one sentence.
    let location: Vec<_> = sentences_with(doc, LOCATION_WORDS)
        .into_iter()
        .filter(|r| {
            // The place follows the verb: "存储在中华人民共和国境内", not "境内收集的…存储于
            // 合法合规的位置".
            let s = doc.lower[r.clone()].to_string();
            STORAGE_VERBS.iter().filter_map(|w| s.find(w)).any(|at| {
                LOCATION_WORDS.iter().any(|l| {
                    s[at..].contains(l)
                        // `在中国内地存储`: the place right before the verb.
                        || s[..at]
                            .rfind(l)
                            .is_some_and(|p| s[p + l.len()..at].chars().count() <= 3)
                })
            })
        })
        .collect();
    // A period: its own words, or "期间/期限/直至" with a verb of keeping.
    let mut period = sentences_with(doc, PERIOD_WORDS);
    let kept: Vec<_> = sentences_with(doc, KEEPING_WORDS)
        .into_iter()
        .filter(|r| {
            let s = doc.lower[r.clone()].to_string();
            ["保存", "保留", "存储", "留存", "retain", "keep"]
                .iter()
                .any(|w| s.contains(w))
                && !period.contains(r)
        })
        .collect();
    period.extend(kept);
    period.sort_by_key(|r| r.start);
    if location.is_empty() != period.is_empty() {
        parts_missing.insert(
            "storage_location_period",
            if location.is_empty() {
                Localized::new("未写明存储地点", "the storage location is not stated")
            } else {
                Localized::new("未写明保存期限", "the retention period is not stated")
            },
        );
    }
    let (v, e) = match (location.is_empty(), period.is_empty()) {
        (false, false) => (ElementValue::TRUE, [&location[..1], &period[..1]].concat()),
        (true, true) => (ElementValue::FALSE, Vec::new()),
        _ => (ElementValue::PARTIAL, [location, period].concat()),
    };
    put("storage_location_period", v, e);

    let rights = RIGHTS;
    // A right counts when the text gives it to the user ("您可以…", "您有权…"), not when
    // it only names the act ("在您注销账号后").
    let found: Vec<Vec<Range<usize>>> = rights
        .iter()
        .map(|words| {
            sentences_with(doc, words)
                .into_iter()
                .filter(|r| about_your_information(input, r) && grants_a_right(doc, r))
                .collect()
        })
        .collect();
    let present = found.iter().filter(|f| !f.is_empty()).count();
    let absent: Vec<usize> = (0..found.len()).filter(|i| found[*i].is_empty()).collect();
    if !absent.is_empty() && present > 0 {
        let names = [
            ("查询", "access"),
            ("更正", "correction"),
            ("删除", "deletion"),
            ("注销账号", "account cancellation"),
        ];
        let (zh, en): (Vec<&str>, Vec<&str>) =
            absent.iter().filter_map(|i| names.get(*i).copied()).unzip();
        parts_missing.insert(
            "user_rights",
            Localized::new(
                format!("未说明用户如何行使：{}", zh.join("、")),
                format!("no way given for: {}", en.join(", ")),
            ),
        );
    }
    let evidence = found.iter().filter_map(|f| f.first().cloned()).collect();
    let v = match present {
        4 => ElementValue::TRUE,
        0 => ElementValue::FALSE,
        _ => ElementValue::PARTIAL,
    };
    put("user_rights", v, evidence);

    let (v, e) = complaint_channel(input, &contact);
    put("complaint_channel", v, e);

    let minor_heading: Vec<_> = doc
        .headings
        .iter()
        .filter(|h| {
            let t = doc.lower[h.range.clone()].to_string();
            MINOR_WORDS.iter().any(|w| t.contains(w))
        })
        .map(|h| h.range.clone())
        .collect();
    let minor_sentences = sentences_with(doc, MINOR_WORDS);
    let minor_about_pi = minor_sentences
        .iter()
        .any(|r| mentions_pi_or_info(input, r));
    let (v, e) = if !minor_heading.is_empty() {
        (ElementValue::TRUE, minor_heading)
    } else if minor_sentences.len() >= 2 && minor_about_pi {
        (ElementValue::TRUE, minor_sentences)
    } else if minor_sentences.iter().any(|r| {
        let s = doc.lower[r.clone()].to_string();
        ["监护", "父母", "家长", "guardian", "parent"]
            .iter()
            .any(|w| s.contains(w))
    }) {
        (ElementValue::PARTIAL, minor_sentences)
    } else {
        (ElementValue::FALSE, Vec::new())
    };
    put("minors_clause", v, e);

    let updates: Vec<_> = sentences_with(doc, UPDATE_WORDS)
        .into_iter()
        .filter(|r| {
            let s = doc.lower[r.clone()].to_string();
            POLICY_WORDS.iter().any(|w| s.contains(w))
        })
        .collect();
    let noticed: Vec<_> = updates
        .iter()
        .filter(|r| {
            let s = doc.lower[(*r).clone()].to_string();
            NOTICE_WORDS.iter().any(|w| s.contains(w)) && !NO_NOTICE.iter().any(|w| s.contains(w))
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
    for (name, element) in &mut out {
        if element.value != ElementValue::TRUE {
            element.missing = parts_missing
                .remove(name.as_str())
                .or_else(|| missing_by_value(name, element.value));
        }
    }
    out
}

/// What a `partial` or `false` element lacks, by element and value.
fn missing_by_value(name: &str, value: ElementValue) -> Option<Localized> {
    let partial = value == ElementValue::PARTIAL;
    let (zh, en) = match (name, partial) {
        ("controller_identity_contact", _) => (
            "未写明运营者的法定名称和联系方式",
            "neither the operator's legal name nor a contact is given",
        ),
        ("pi_per_function", true) => (
            "个人信息未按业务功能分别列明（只笼统列出或按来源列出）",
            "PI is not listed per business function (only in general or by source)",
        ),
        ("pi_per_function", false) => ("未列出收集的个人信息", "no PI is listed"),
        ("purposes", true) => (
            "只有少数或笼统的目的，未对所收集的个人信息分别说明目的",
            "few or only general purposes; not stated for the PI collected",
        ),
        ("purposes", false) => ("未说明收集使用个人信息的目的", "no purpose is stated"),
        ("sensitive_pi_marked", true) => (
            "只有敏感个人信息的一般定义，未指明所收集的哪些信息属于敏感个人信息，也未说明标识方式",
            "sensitive PI is only defined in general; the items collected are not identified as sensitive, nor a marking announced",
        ),
        ("sensitive_pi_marked", false) => ("未提及敏感个人信息", "sensitive PI is not mentioned"),
        ("third_party_sdk_list", true) => (
            "只写了接收方类型，未列出第三方或 SDK 的名称",
            "only kinds of recipient; no third party or SDK is named",
        ),
        ("third_party_sdk_list", false) => (
            "未说明向哪些第三方提供个人信息或接入哪些 SDK",
            "no recipient of PI and no SDK is stated",
        ),
        ("storage_location_period", _) => (
            "未写明存储地点和保存期限",
            "neither storage location nor retention period is stated",
        ),
        ("user_rights", _) => (
            "未说明用户如何查询、更正、删除个人信息或注销账号",
            "no way to access, correct or delete PI or cancel the account is given",
        ),
        ("complaint_channel", true) => (
            "只有一般联系方式，没有针对个人信息问题的投诉举报渠道",
            "only a general contact; no channel to complain about PI handling",
        ),
        ("complaint_channel", false) => {
            ("没有任何联系或投诉渠道", "no contact or complaint channel")
        }
        ("minors_clause", true) => (
            "只有监护人提示，没有关于未成年人个人信息的条款",
            "only a note to guardians; no clause on minors' PI",
        ),
        ("minors_clause", false) => ("没有未成年人条款", "no clause on minors"),
        ("update_notice", true) => (
            "提到政策更新，但未说明如何通知用户（或写明不另行通知）",
            "updates mentioned, but not how users are told (or no notice at all)",
        ),
        ("update_notice", false) => ("未说明政策如何更新", "policy updates are not described"),
        _ => return None,
    };
    Some(Localized::new(zh, en))
}

fn mentions_pi_or_info(input: &Inputs<'_>, r: &Range<usize>) -> bool {
    let s = &input.doc.lower[r.clone()];
    s.contains("信息")
        || s.contains("information")
        || s.contains("data")
        || s.contains("数据")
        || mention_count(input, r) > 0
}

fn about_your_information(input: &Inputs<'_>, r: &Range<usize>) -> bool {
    let doc = input.doc;
    let s = doc.lower[r.clone()].to_string();
    mentions_pi_or_info(input, r)
        || ["账号", "账户", "帐号", "帐户", "account"]
            .iter()
            .any(|w| s.contains(w))
}

/// Byte range of a code-point span (the facts store code points).
fn byte_range(doc: &Doc, start: u32, end: u32) -> Range<usize> {
    doc.byte_offset(start)..doc.byte_offset(end)
}

/// Words of headings that name a business function or scenario ("1、注册、登录", "视频浏览").
const FUNCTION_WORDS: &[&str] = &[
    "注册", "登录", "浏览", "搜索", "支付", "下单", "购买", "交易", "客服", "评论", "发布", "上传",
    "定位", "推送", "直播", "视频", "消息", "社交", "会员", "认证", "导航", "配送", "预约", "扫码",
    "播放", "打车", "出行", "register", "sign in", "log in", "search", "payment", "purchase",
    "upload",
];

/// Whether a heading sits under the section on collecting and using PI (GB/T 35273 Annex D
/// lists functions there).
fn under_collection(doc: &Doc, head: &crate::doc::Head) -> bool {
    // The parent is the nearest heading above of a higher level; look a bounded way back.
    let at = doc
        .headings
        .partition_point(|h| h.range.start < head.range.start);
    doc.headings[..at]
        .iter()
        .rev()
        .take(MAX_HEADINGS_BACK)
        .find(|h| h.level < head.level)
        .is_some_and(|parent| {
            let t = doc.lower[parent.range.clone()].to_string();
            ["收集", "使用", "collect", "use"]
                .iter()
                .any(|w| t.contains(w))
        })
}

fn names_function(title: &str) -> bool {
    let t = title.to_lowercase();
    // A heading about the policy's structure, or about where PI comes from, is not a
    // function ("您提供的信息", "来自第三方的信息").
    let structural = [
        "如何收集",
        "我们收集",
        "收集和使用",
        "收集、使用",
        "个人信息保护",
        "隐私政策",
        "一般原则",
        "提供的信息",
        "收集的信息",
        "获取的信息",
        "产生的信息",
        "来源",
        "间接",
        "直接",
        "自动",
        "主动",
        "第三方",
        "共享",
        "转让",
        "披露",
        "存储",
        "保存",
        "cookie",
        "权利",
        "未成年",
        "儿童",
        "更新",
        "联系",
        "定义",
        "适用",
        "目录",
        "how we collect",
        "information you provide",
        "information we collect",
    ]
    .iter()
    .any(|w| t.contains(w));
    !structural && t.chars().count() <= 40
}

/// PI listed per business function: PI terms under several function headings, or in several
/// "when you use …" sentences. PI listed without functions is partial.
fn pi_per_function(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    if input.pi.is_empty() {
        return (ElementValue::FALSE, Vec::new());
    }
    // Sections that collect named PI under a heading of their own: the functions, when the
    // heading is not about the policy's structure or where PI comes from.
    let mut function_heads: Vec<Range<usize>> = Vec::new();
    for p in input.practices.iter().filter(|p| {
        !p.denied
            && !p.pi.is_empty()
            && (p.action == PracticeAction::Collect || p.actor.kind == "user")
    }) {
        let at = byte_range(doc, p.sentence.start, p.sentence.end).start;
        if let Some(h) = doc
            .section_at(at)
            .filter(|h| names_function(&doc.text[h.range.clone()]) && under_collection(doc, h))
            && !function_heads.contains(&h.range)
        {
            function_heads.push(h.range.clone());
        }
    }
    // "当您注册时，我们会收集…": a scenario, a function word, PI; the functions must differ
    // (a policy organised by source says "当您使用我们的服务时" each time).
    let mut functions_seen: Vec<&str> = Vec::new();
    let scenarios: Vec<_> = doc
        .sentences
        .iter()
        .filter(|r| {
            let s = doc.lower[(*r).clone()].to_string();
            let scenario = SCENARIO_OPENERS.iter().any(|o| s.contains(o))
                && (s.contains('时') || s.contains("when") || s.contains("功能"));
            if !scenario || mention_count(input, r) == 0 {
                return false;
            }
            match FUNCTION_WORDS
                .iter()
                .find(|w| s.contains(*w) && !functions_seen.contains(w))
            {
                Some(w) => {
                    functions_seen.push(w);
                    true
                }
                None => false,
            }
        })
        .cloned()
        .collect();
    if function_heads.len() >= MIN_SCENARIOS || scenarios.len() >= MIN_SCENARIOS {
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

/// Headings looked back over for a function heading's parent.
const MAX_HEADINGS_BACK: usize = 200;

/// Distinct functions with their PI that make a list per function.
const MIN_SCENARIOS: usize = 3;

/// Sensitive PI marked: true when the text says which items it collects are sensitive
/// ("手机号码属于个人敏感信息", "以下信息为敏感个人信息：…") or announces how it marks them
/// (bold, underline); a definition of sensitive PI in general ("某些个人信息因其特殊性可能被
/// 认为是敏感个人信息") or permissions called sensitive is partial; nothing is false.
fn sensitive_marked(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    let sensitive = sentences_with(doc, SENSITIVE_PI_WORDS);
    // "本政策中的个人敏感信息包括…" lists the policy's own items, however it is phrased.
    let is_definition = |s: &str| {
        DEFINITION_WORDS.iter().any(|w| s.contains(w))
            && !["本政策中", "本隐私政策中", "本指引中"]
                .iter()
                .any(|w| s.contains(w))
    };
    let per_item: Vec<_> = sensitive
        .iter()
        .filter(|r| {
            let s = doc.lower[(*r).clone()].to_string();
            let names_items = mention_count(input, r) > 0;
            let says_it_is = ITEM_IS_SENSITIVE.iter().any(|w| s.contains(w));
            names_items && says_it_is && !is_definition(&s)
        })
        .cloned()
        .collect();
    let announced: Vec<_> = sensitive
        .iter()
        .filter(|r| {
            let s = doc.lower[(*r).clone()].to_string();
            MARKING_WORDS.iter().any(|w| s.contains(w))
        })
        .cloned()
        .collect();
    if !per_item.is_empty() || !announced.is_empty() {
        return (ElementValue::TRUE, [per_item, announced].concat());
    }
    if !sensitive.is_empty() {
        return (ElementValue::PARTIAL, sensitive);
    }
    (ElementValue::FALSE, Vec::new())
}

/// How texts speak of sensitive PI (not "敏感信息" alone, which is also forbidden content).
const SENSITIVE_PI_WORDS: &[&str] = &[
    "敏感个人信息",
    "个人敏感信息",
    "敏感的个人信息",
    "敏感信息的个人信息",
    "属于敏感信息",
    "为敏感信息",
    "是敏感信息",
    "属于敏感",
    "sensitive personal",
];
/// Words that say an item is sensitive PI.
const ITEM_IS_SENSITIVE: &[&str] = &[
    "属于个人敏感信息",
    "属于敏感个人信息",
    "属于您的个人敏感信息",
    "属于您的敏感个人信息",
    "为个人敏感信息",
    "为敏感个人信息",
    "是个人敏感信息",
    "是敏感个人信息",
    "等个人敏感信息",
    "等敏感个人信息",
    "以下个人敏感信息",
    "以下敏感个人信息",
    "涉及个人敏感信息",
    "涉及敏感个人信息",
    "属于敏感信息",
    "为敏感信息",
    "是敏感信息",
    "属于敏感",
    "包括个人敏感信息",
    "包含个人敏感信息",
    "包含您的个人敏感信息",
    "包括您的个人敏感信息",
    "本政策中包括",
    "本隐私政策中包括",
    "is sensitive personal",
    "are sensitive personal",
];
/// A sentence with these defines sensitive PI or speaks of it in general or hypothetically.
const DEFINITION_WORDS: &[&str] = &[
    "因其特殊性",
    "可能被认为",
    "是指",
    "指的是",
    "一旦泄露",
    "一旦被泄露",
    "定义",
    "如果",
    "若",
    "如需",
    "may be considered",
    "means",
];
/// Words that announce a marking of sensitive PI.
const MARKING_WORDS: &[&str] = &[
    "加粗",
    "粗体",
    "黑体",
    "下划线",
    "突出显示",
    "特别标注",
    "特别标识",
    "以斜体",
    "in bold",
    "underlined",
];

fn mention_count(input: &Inputs<'_>, r: &Range<usize>) -> usize {
    // Mentions are in text order: two binary searches.
    let from = input.mention_starts.partition_point(|s| *s < r.start);
    let to = input.mention_starts.partition_point(|s| *s < r.end);
    to - from
}

/// Purposes: true when several practices on named PI state why; one, or purpose words
/// without a practice, is partial (an agreement that only says "to use the service").
fn purposes(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    let stated: Vec<Range<usize>> = input
        .practices
        .iter()
        .filter(|p| !p.denied && !p.pi.is_empty())
        .filter_map(|p| p.purpose.as_ref())
        .map(|s| byte_range(doc, s.start, s.end))
        .fold(Vec::new(), |mut v, r| {
            if !v.contains(&r) {
                v.push(r);
            }
            v
        });
    if stated.len() >= MIN_PURPOSES {
        return (ElementValue::TRUE, stated);
    }
    let words: Vec<_> = sentences_with(doc, PURPOSE_WORDS)
        .into_iter()
        .filter(|r| mentions_pi_or_info(input, r))
        .collect();
    if stated.is_empty() && words.is_empty() {
        (ElementValue::FALSE, Vec::new())
    } else {
        (ElementValue::PARTIAL, [stated, words].concat())
    }
}

/// Practices with a purpose that make the purposes element true: a policy that states
/// purposes does so for each kind of PI it collects.
const MIN_PURPOSES: usize = 3;

/// Third parties and SDKs: true when recipients are named (an SDK named where the text
/// speaks of SDKs or of sharing, or a share practice naming its recipient); partial when
/// only kinds of recipient receive PI; false when the text shares with nobody it names.
fn third_parties(input: &Inputs<'_>) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    // The sentence, or the heading of its section, speaks of SDKs or of handing PI over.
    let sdk_context = |r: &Range<usize>| {
        let in_sentence = doc.sentence_at(r.start).is_some_and(|s| {
            let t = doc.lower[s].to_string();
            SDK_CONTEXT.iter().any(|w| t.contains(w))
        });
        let in_heading = doc.section_at(r.start).is_some_and(|h| {
            let t = doc.lower[h.range.clone()].to_string();
            ["sdk", "第三方", "共享", "合作", "third part", "partner"]
                .iter()
                .any(|w| t.contains(w))
        });
        in_sentence || in_heading
    };
    let mut named: Vec<Range<usize>> = input
        .parties
        .iter()
        .map(|p| byte_range(doc, p.span.start, p.span.end))
        .filter(|r| sdk_context(r))
        .collect();
    // A share practice that names its recipient.
    named.extend(
        input
            .practices
            .iter()
            .filter(|p| !p.denied && p.recipient.as_ref().is_some_and(|r| r.kind == "sdk"))
            .map(|p| byte_range(doc, p.sentence.start, p.sentence.end)),
    );
    // Vendors named beside "SDK" (`小米、华为等手机厂商 Push SDK`): the catalogue knows
    // their SDKs under longer names.
    let vendors: Vec<Range<usize>> = sentences_with(doc, SDK_WORD)
        .into_iter()
        .filter(|r| {
            let t = &doc.text[r.clone()];
            VENDORS.iter().filter(|v| t.contains(*v)).count() >= 2
        })
        .collect();
    let sdk_table = sentences_with(doc, SDK_TABLE_WORDS);
    if !named.is_empty() || !vendors.is_empty() {
        return (ElementValue::TRUE, [sdk_table, named, vendors].concat());
    }
    let shares: Vec<Range<usize>> = input
        .practices
        .iter()
        .filter(|p| {
            let on_pi = !p.pi.is_empty() || p.sentence.quote.contains("个人信息");
            on_pi
                && !p.denied
                && matches!(
                    p.action,
                    PracticeAction::Share | PracticeAction::Entrust | PracticeAction::Disclose
                )
                && p.recipient
                    .as_ref()
                    .is_some_and(|r| r.kind == "third_party" || r.kind == "sdk")
        })
        .map(|p| byte_range(doc, p.sentence.start, p.sentence.end))
        .collect();
    if !shares.is_empty() || !sdk_table.is_empty() {
        (ElementValue::PARTIAL, [sdk_table, shares].concat())
    } else {
        (ElementValue::FALSE, Vec::new())
    }
}

/// Words that make a named party a recipient or an SDK rather than a brand in passing.
const SDK_CONTEXT: &[&str] = &[
    "sdk",
    "接入",
    "集成",
    "嵌入",
    "共享给",
    "提供给",
    "委托",
    "隐私政策",
    "第三方代码",
    "share with",
    "third-party sdk",
    "privacy policy",
];
/// Handset and platform vendors whose SDKs policies name by the vendor alone.
const VENDORS: &[&str] = &[
    "小米",
    "华为",
    "魅族",
    "OPPO",
    "vivo",
    "VIVO",
    "联想",
    "三星",
    "荣耀",
    "腾讯",
    "阿里",
    "百度",
    "友盟",
    "极光",
    "个推",
    "高德",
    "讯飞",
    "新浪",
    "字节跳动",
    "穿山甲",
    "Google",
    "Facebook",
];

/// Whether a sentence gives the user a right: "您可以", "您有权", a way to do it.
fn grants_a_right(doc: &Doc, r: &Range<usize>) -> bool {
    let s = doc.lower[r.clone()].to_string();
    [
        "您可以",
        "你可以",
        "您有权",
        "你有权",
        "用户可以",
        "用户有权",
        "您可",
        "你可",
        "用户可",
        "您可通过",
        "可以通过以下",
        "路径",
        "入口",
        "途径",
        "您能",
        "你能",
        "用户能",
        "申请",
        "自行",
        "手动",
        "you can",
        "you may",
        "right to",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// A complaint channel: true for a channel to complain about PI handling (a complaint or
/// report sentence that gives a way, or a dedicated PI contact); a general contact for
/// questions is partial; no channel is false.
fn complaint_channel(
    input: &Inputs<'_>,
    contact: &[Range<usize>],
) -> (ElementValue, Vec<Range<usize>>) {
    let doc = input.doc;
    let mut contact_starts: Vec<usize> = input
        .contacts
        .iter()
        .map(|c| doc.byte_offset(c.span.start))
        .collect();
    contact_starts.sort_unstable();
    let with_channel: Vec<Range<usize>> = sentences_with(doc, COMPLAINT_WORDS)
        .into_iter()
        .chain(sentences_with(doc, GRIEVANCE_WORDS))
        .filter(|r| {
            // The channel is in the sentence or in the two after it.
            let i = doc.sentence_index_at(r.start).unwrap_or(0);
            let near = doc.sentences_lower[i..(i + 3).min(doc.sentences_lower.len())].concat();
            let until = doc
                .sentences
                .get((i + 2).min(doc.sentences.len().saturating_sub(1)))
                .map_or(r.end, |x| x.end);
            let first = contact_starts.partition_point(|at| *at < r.start);
            let channel = CHANNEL_WORDS.iter().any(|w| near.contains(w))
                || contact_starts.get(first).is_some_and(|at| *at < until);
            let s = doc.lower[r.clone()].to_string();
            let about_pi = [
                "个人信息",
                "隐私",
                "本政策",
                "本指引",
                "personal",
                "privacy",
            ]
            .iter()
            .any(|w| s.contains(w))
                || doc.section_at(r.start).is_some_and(|h| {
                    let t = &doc.text[h.range.clone()];
                    ["联系", "投诉", "个人信息", "隐私", "contact"]
                        .iter()
                        .any(|w| t.contains(w))
                });
            channel && about_pi
        })
        .collect();
    let dedicated = sentences_with(doc, DEDICATED_CONTACT);
    if !with_channel.is_empty() || !dedicated.is_empty() {
        return (ElementValue::TRUE, [with_channel, dedicated].concat());
    }
    if input.has_contact() {
        let service = in_app_service(doc);
        return (ElementValue::PARTIAL, [contact.to_vec(), service].concat());
    }
    (ElementValue::FALSE, Vec::new())
}

/// Words of a grievance about PI handling: "如果您认为我们违反…", "权益受到侵害".
const GRIEVANCE_WORDS: &[&str] = &[
    "违反法律法规",
    "违反法律",
    "受到侵害",
    "侵害个人信息",
    "侵犯您的",
    "损害您的",
    "不满意",
    "未能解决",
    "权益受到",
    "tousu",
];

/// Words that name a way to reach someone.
const CHANNEL_WORDS: &[&str] = &[
    "邮箱",
    "电子邮件",
    "电话",
    "热线",
    "客服",
    "网址",
    "信箱",
    "反馈入口",
    "在线",
    "来信",
    "邮寄",
    "反馈界面",
    "用户反馈",
    "意见反馈",
    "联系方式",
    "监管部门",
    "主管部门",
    "网信",
    "消费者协会",
    "法院",
    "email",
    "phone",
    "@",
];
/// A contact set up for PI matters.
const DEDICATED_CONTACT: &[&str] = &[
    "个人信息保护负责人",
    "个人信息保护专职",
    "个人信息保护部门",
    "个人信息保护专员",
    "专门的个人信息保护",
    "专门的邮箱",
    "专门邮箱",
    "专门的反馈",
    "data protection officer",
];
