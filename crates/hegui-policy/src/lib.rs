//! Privacy-policy reader: bytes (any common Chinese encoding) in text, HTML or Markdown →
//! neutral [`PolicyFacts`]: structure, the ten elements of GB/T 35273-2020 5.5 and PIPL art.
//! 17 with evidence spans, the PI types, third parties, periods, response times and contacts
//! it declares. Parsers never judge: the `POL` and `XC` rules do.

pub mod bench;
mod decode;
mod doc;
mod elements;
mod facts;
mod lexicon;
mod markup;
mod mentions;
mod personalisation;
mod practices;
mod vocab;

use hegui_knowledge::SdkCatalog;
use hegui_model::PolicyFacts;

pub use decode::MAX_POLICY_BYTES;
pub use lexicon::{aliases as sdk_aliases, data_mentions, pi_lexicon};

/// Why a text could not be read as a policy.
#[derive(Debug)]
pub enum PolicyError {
    TooLarge(usize),
    NotText,
}

impl PolicyError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge(_) => "policy-too-large",
            Self::NotText => "not-text",
        }
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge(n) => write!(
                f,
                "{n} bytes is over the {} MiB a policy may have",
                MAX_POLICY_BYTES >> 20
            ),
            Self::NotText => write!(f, "not text (binary data or an unknown encoding)"),
        }
    }
}

/// Words that make a text a privacy policy or a user agreement.
const POLICY_TITLES: &[&str] = &[
    "隐私政策",
    "隐私保护政策",
    "隐私权政策",
    "个人信息保护政策",
    "隐私声明",
    "隐私保护指引",
    "隐私条款",
    "privacy policy",
    "privacy notice",
    "privacy statement",
];
const AGREEMENT_TITLES: &[&str] = &[
    "用户协议",
    "服务协议",
    "使用协议",
    "许可协议",
    "用户须知",
    "服务条款",
    "使用条款",
    "terms of service",
    "terms of use",
    "user agreement",
];

/// Whether these bytes look like a policy (for recognising a file by its content): text in a
/// known encoding that speaks of personal information and names a policy or agreement.
pub fn looks_like_policy(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(64 << 10)).unwrap_or(bytes);
    let Ok(decoded) = decode::decode(head) else {
        return false;
    };
    // JSON (hegui's own reports among them) speaks of policies without being one.
    if decoded.text.trim_start().starts_with(['{', '[']) {
        return false;
    }
    let lower = decoded.text.to_lowercase();
    let personal = ["个人信息", "personal information", "personal data"]
        .iter()
        .any(|w| lower.contains(w));
    let title_in = |text: &str| {
        POLICY_TITLES
            .iter()
            .chain(AGREEMENT_TITLES)
            .any(|w| text.contains(w))
    };
    // A title at the top is enough; further down it must come with PI talk.
    let head: String = lower.chars().take(300).collect();
    title_in(&head) || (personal && title_in(&lower))
}

/// Read a policy. `source` names it in the facts.
pub fn analyse(
    source: &str,
    bytes: &[u8],
    catalog: &SdkCatalog,
) -> Result<PolicyFacts, PolicyError> {
    let decoded = decode::decode(bytes)?;
    let format = markup::detect_format(&decoded.text);
    let doc = markup::read(&decoded.text, format);
    let found = mentions::find(&doc.text);
    let pi = facts::pi_types(&doc, &found);
    let pi_mentions = facts::pi_mentions(&doc, &found);
    let parties = lexicon::with_sdk_names(catalog, |names| facts::third_parties(&doc, names));
    let contacts = facts::contacts(&doc);
    let practices = practices::practices(&doc, &pi_mentions, &parties);
    let permission_groups = facts::permission_groups(&doc, &pi_mentions, &practices);
    let elements = elements::judge(&elements::Inputs {
        doc: &doc,
        pi: &pi,
        parties: &parties,
        contacts: &contacts,
        practices: &practices,
        mention_starts: found.iter().map(|f| f.range.start).collect(),
    });
    Ok(PolicyFacts {
        source: source.to_string(),
        encoding: decoded.encoding.to_string(),
        format: format.to_string(),
        language: language(&doc.text).to_string(),
        doc_type: doc_type(&doc).to_string(),
        chars: doc.char_offset(doc.text.len()),
        elements,
        headings: doc.heading_facts(),
        retention: facts::retention(&doc),
        response_times: facts::response_times(&doc),
        pi_types: pi,
        third_parties: parties,
        contacts,
        permissions: facts::permissions(&doc, &found),
        pi_mentions,
        practices,
        permission_groups,
        personalisation: personalisation::personalisation(&doc),
    })
}

fn language(text: &str) -> &'static str {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars().take(20_000) {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese text has far fewer characters than an English one has letters.
    if cjk * 4 >= latin { "zh" } else { "en" }
}

/// A privacy policy, a user agreement, or an agreement with a policy inside: by the title
/// (the first lines) and the headings.
fn doc_type(doc: &doc::Doc) -> &'static str {
    let has = |s: &str, words: &[&str]| {
        let s = s.to_lowercase();
        words.iter().any(|w| s.contains(w))
    };
    let title: String = doc
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let policy_heading = doc.headings.iter().any(|h| {
        has(&doc.text[h.range.clone()], POLICY_TITLES)
            || has(&doc.text[h.range.clone()], &["隐私", "个人信息"])
    });
    match (has(&title, POLICY_TITLES), has(&title, AGREEMENT_TITLES)) {
        (true, false) => "privacy_policy",
        (_, true) if policy_heading || has(&title, POLICY_TITLES) => {
            "user_agreement+privacy_policy"
        }
        (_, true) => "user_agreement",
        (false, false) => {
            let policy = POLICY_TITLES
                .iter()
                .map(|w| doc.text.matches(w).count())
                .sum::<usize>();
            let agreement = AGREEMENT_TITLES
                .iter()
                .map(|w| doc.text.matches(w).count())
                .sum::<usize>();
            if agreement > policy {
                "user_agreement"
            } else {
                "privacy_policy"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_by_content() {
        assert!(looks_like_policy(
            "示例隐私政策\n我们收集位置信息。".as_bytes()
        ));
        assert!(looks_like_policy(b"<html><title>Privacy Policy</title>"));
        assert!(!looks_like_policy("我们的产品介绍".as_bytes()));
        // A report that quotes a policy is JSON, not a policy.
        assert!(!looks_like_policy(
            "{\"facts\": {\"policy\": \"隐私政策 个人信息\"}}".as_bytes()
        ));
        assert!(!looks_like_policy(b"\x00\x01binary"));
    }
}

#[cfg(test)]
mod hostile {
    /// The largest policy accepted, dense with everything the reader looks for (lists of PI,
    /// practices, periods, contacts, SDK names): linear work, capped lists.
    #[test]
    fn a_dense_policy_at_the_size_limit_is_bounded() {
        let unit = "隐私政策：我们收集您的手机号码、昵称、头像、IMEI、网络设备硬件地址（MAC），用于提供服务并与友盟共享；\
                    我们将在15个工作日内完成答复，联系电话400-123-4567，邮箱a@b.cn。\n";
        let text = unit.repeat(super::MAX_POLICY_BYTES / unit.len());
        assert!(text.len() <= super::MAX_POLICY_BYTES);
        let started = std::time::Instant::now();
        let facts = super::analyse("dense.txt", text.as_bytes(), hegui_knowledge::sdk_catalog())
            .expect("read");
        let took = started.elapsed();
        eprintln!(
            "dense 8 MiB policy: {took:?}, {} mentions",
            facts.pi_mentions.len()
        );
        assert!(facts.pi_mentions.len() <= 5000 && facts.practices.len() <= 3000);
        assert!(took.as_secs() < 60, "bounded time: {took:?}");
    }

    /// Texts built to defeat one step each: no sentence breaks, a word repeated, markup
    /// repeated. Each is read in bounded time.
    #[test]
    fn adversarial_repetitions_are_linear() {
        let size = 2 << 20;
        let cases: Vec<(&str, String)> = vec![
            ("one line of terms", "IMEI ".repeat(size / 5)),
            ("one line of verbs", "共享".repeat(size / 6)),
            (
                "purposes without commas",
                format!("我们收集信息{}", "为提供".repeat(size / 9)),
            ),
            ("sdk names in paths", "Bugly/".repeat(size / 6)),
            ("markdown headings", "# a\n".repeat(size / 4)),
            ("bold lines", "**a**\n".repeat(size / 6)),
            ("periods", "1天内回复".repeat(size / 13)),
            ("numbers", "13912345678 ".repeat(size / 12)),
            ("permission names", "android.permission.".repeat(size / 19)),
            (
                "html spaces",
                format!("<html><body>{}", "a  ".repeat(size / 3)),
            ),
        ];
        for (name, text) in cases {
            let started = std::time::Instant::now();
            let facts =
                super::analyse(name, text.as_bytes(), hegui_knowledge::sdk_catalog()).expect(name);
            let took = started.elapsed();
            eprintln!("{name}: {took:?}");
            assert!(facts.pi_mentions.len() <= 5000, "{name}");
            assert!(took.as_secs() < 20, "{name}: {took:?}");
        }
    }
}
