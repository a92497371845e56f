//! How policies name PI in general (`个人信息`) and how they name SDKs (derived from the SDK
//! catalogue's names); the PI vocabulary itself is in [`crate::vocab`]. Matched with Aho-Corasick over
//! the normalised text, so the cost is one pass however many terms there are.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hegui_knowledge::SdkCatalog;
use hegui_model::PiCategory;

/// Mentions of personal information in general: data-type mentions without a category.
pub const GENERIC_PI_TERMS: &[&str] = &[
    "个人信息",
    "个人数据",
    "用户信息",
    "个人敏感信息",
    "敏感个人信息",
    "前述信息",
    "上述信息",
    "personal information",
    "personal data",
];

/// The PI vocabulary as a matcher (see [`crate::mentions`]).
pub struct PiLexicon;

pub fn pi_lexicon() -> &'static PiLexicon {
    &PiLexicon
}

/// An automaton over the terms, longest first at a place, ASCII in any case; none when they
/// cannot make one (only a pathological `--sdk-db` could do that): nothing is then found,
/// nothing fails. Every word table of the reader is searched through one of these.
pub(crate) fn matcher(terms: &[&str]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        // A DFA: built once per process, searched over every policy.
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(terms)
        .ok()
}

/// Matches of an optional automaton.
fn find_all<'t>(
    matcher: &'t Option<AhoCorasick>,
    text: &'t str,
) -> impl Iterator<Item = aho_corasick::Match> + 't {
    matcher.iter().flat_map(move |m| m.find_iter(text))
}

/// An ASCII term must stand alone: `location` is not inside `allocation`.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let term = &text[start..end];
    if !term.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return true;
    }
    !alnum(text[..start].chars().next_back()) && !alnum(text[end..].chars().next())
}

impl PiLexicon {
    /// (byte range, category) of every PI mention in the text.
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, PiCategory)> {
        crate::mentions::find(text)
            .into_iter()
            .filter_map(|f| Some((f.range, crate::vocab::PI_TYPES.get(f.ty)?.category)))
            .collect()
    }
}

/// Every data-type mention: categorised terms and general ones (`个人信息`, category `None`).
pub fn data_mentions(text: &str) -> Vec<(std::ops::Range<usize>, Option<PiCategory>)> {
    static GENERIC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let generic = GENERIC.get_or_init(|| matcher(GENERIC_PI_TERMS));
    let mut out: Vec<_> = pi_lexicon()
        .find(text)
        .into_iter()
        .map(|(r, c)| (r, Some(c)))
        .collect();
    out.extend(find_all(generic, text).map(|m| (m.start()..m.end(), None)));
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Latin words of SDK names that name a vendor or a kind of SDK, not one SDK.
const NOT_AN_SDK_NAME: &[&str] = &[
    "android",
    "google",
    "tencent",
    "alibaba",
    "baidu",
    "huawei",
    "xiaomi",
    "meizu",
    "vivo",
    "oppo",
    "honor",
    "apple",
    "analytics",
    "mobile",
    "services",
    "service",
    "library",
    "libraries",
    "push",
    "share",
    "login",
    "payment",
    "maps",
    "cloud",
    "messaging",
    "platform",
    "manager",
    "open",
    "core",
    "base",
    "common",
    "action",
    "auth",
    "authentication",
    "integrity",
    "verification",
    "verify",
    "performance",
    "crash",
    "reporting",
    "location",
    "live",
    "video",
    "audio",
    "face",
    "voice",
    "speech",
    "image",
    "camera",
    "scan",
    "browser",
    "engine",
    "network",
    "security",
    "update",
    "updates",
    "reviews",
    "delivery",
    "feature",
    "features",
    "components",
    "standard",
    "support",
    "tools",
    "utils",
    "client",
    "connect",
    "account",
    "identity",
    "data",
    "device",
    "detection",
    "recognition",
    "monitor",
    "monitoring",
    "message",
    "messages",
    "notification",
    "notifications",
    "ads",
    "advertising",
    "marketing",
    "with",
    "from",
    "into",
    "oaid",
    "gaid",
    "idfa",
    "imei",
    // Ordinary words that name SDKs only inside a longer name.
    "search",
    "center",
    "feedback",
    "visual",
    "studio",
    "news",
    "game",
    "games",
    "chat",
    "music",
    "photo",
    "wallet",
    "store",
    "market",
    "health",
    "sports",
    "weather",
    "reader",
    "player",
    "media",
    "social",
    "online",
    "smart",
    "global",
    "mini",
    "program",
    "token",
];

/// How policies name each catalogued SDK: the catalogue's `aliases` (written for this) and
/// the distinctive Latin words of its names.
pub struct SdkNames {
    matcher: Option<AhoCorasick>,
    /// For each name: the SDK ids it may mean.
    ids: Vec<Vec<String>>,
    /// For each name: derived from an SDK's display name rather than written as an alias,
    /// so it must appear as the name writes it (`Feedback`, not `feedback@…`).
    exact_case: Vec<bool>,
    names: Vec<String>,
}

pub fn sdk_names(catalog: &SdkCatalog) -> SdkNames {
    let mut names: Vec<String> = Vec::new();
    let mut ids: Vec<Vec<String>> = Vec::new();
    let mut exact_case: Vec<bool> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for sdk in catalog.iter().filter(|s| !s.is_framework()) {
        let curated = sdk.aliases.iter().map(|a| (a.clone(), false));
        let derived = aliases(&sdk.name.zh, &sdk.name.en)
            .into_iter()
            .map(|a| (a, true));
        for (alias, derived) in curated.chain(derived).collect::<Vec<_>>() {
            let key = alias.to_ascii_lowercase();
            match index.get(&key).copied() {
                Some(i) => {
                    if let Some(v) = ids.get_mut(i)
                        && !v.contains(&sdk.id)
                    {
                        v.push(sdk.id.clone());
                    }
                    // A curated alias is trusted in any case.
                    if !derived && let Some(e) = exact_case.get_mut(i) {
                        *e = false;
                    }
                }
                None => {
                    index.insert(key, names.len());
                    names.push(alias);
                    ids.push(vec![sdk.id.clone()]);
                    exact_case.push(derived);
                }
            }
        }
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    SdkNames {
        matcher: matcher(&refs),
        ids,
        exact_case,
        names,
    }
}

/// Run `f` with the SDK-name matcher of `catalog`: built once for the built-in catalogue,
/// per call for a catalogue extended with `--sdk-db`.
pub fn with_sdk_names<T>(catalog: &SdkCatalog, f: impl FnOnce(&SdkNames) -> T) -> T {
    static BUILT_IN: OnceLock<SdkNames> = OnceLock::new();
    if std::ptr::eq(catalog, hegui_knowledge::sdk_catalog()) {
        f(BUILT_IN.get_or_init(|| sdk_names(catalog)))
    } else {
        f(&sdk_names(catalog))
    }
}

/// Distinctive Latin words (four letters or more) of an SDK's names, minus vendor and
/// category words. Chinese names come from the catalogue's `aliases`: word boundaries
/// cannot tell a brand from an ordinary word there.
pub fn aliases(zh: &str, en: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in [zh, en] {
        for token in name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+')) {
            let token = token.trim_matches(|c: char| c == '-');
            let latin = token.chars().filter(char::is_ascii_alphabetic).count();
            let lower = token.to_ascii_lowercase();
            let generic = NOT_AN_SDK_NAME.contains(&lower.as_str()) || lower == "sdk";
            if latin >= 4 && !generic && !out.iter().any(|o| o.eq_ignore_ascii_case(token)) {
                out.push(token.to_string());
            }
        }
    }
    out
}

/// Whether a match sits inside an e-mail address or a URL (`feedback@…`, `…/center`):
/// words there are not names given to a reader.
fn in_address(text: &str, start: usize, end: usize) -> bool {
    // An address is short: look at most this far each way (hostile text can be one long run).
    const REACH: usize = 64;
    let address_char = |c: &char| c.is_ascii_alphanumeric() || "@.:/_-%?=&#~+".contains(*c);
    let mut before: Vec<char> = text[..start]
        .chars()
        .rev()
        .take(REACH)
        .take_while(address_char)
        .collect();
    before.reverse();
    let before: String = before.into_iter().collect();
    let after: String = text[end..]
        .chars()
        .take(REACH)
        .take_while(address_char)
        .collect();
    let around = format!("{before}{after}");
    around.contains('@')
        || around.contains("://")
        || around.contains("www.")
        // A host name or path: `sdk.example.com`, `example.com/center`.
        || (after.starts_with('.') && after.len() > 1)
        || before.ends_with('.')
        || before.ends_with('/')
}

impl SdkNames {
    /// (byte range, name index) of every SDK name in the text.
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        find_all(&self.matcher, text)
            .filter(|m| at_word_boundary(text, m.start(), m.end()))
            .filter(|m| !in_address(text, m.start(), m.end()))
            .filter(|m| {
                let i = m.pattern().as_usize();
                let written = &text[m.start()..m.end()];
                !self.exact_case.get(i).copied().unwrap_or(false)
                    || self.names.get(i).is_some_and(|n| n == written)
                    || written.chars().all(|c| !c.is_ascii_lowercase())
            })
            .map(|m| (m.start()..m.end(), m.pattern().as_usize()))
            .collect()
    }

    pub fn ids(&self, name: usize) -> &[String] {
        self.ids.get(name).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi_terms_and_word_boundaries() {
        let found =
            pi_lexicon().find("我们收集IMEI、位置信息和剪切板; allocation of the Location data");
        let cats: Vec<PiCategory> = found.iter().map(|f| f.1).collect();
        use PiCategory::*;
        assert_eq!(cats, [DeviceId, Location, Clipboard, Location]);
    }

    #[test]
    fn sdk_aliases() {
        assert_eq!(
            aliases("友盟+ U-App 统计分析", "Umeng U-App Analytics"),
            ["U-App", "Umeng"]
        );
        assert_eq!(aliases("腾讯 Bugly", "Tencent Bugly"), ["Bugly"]);
        assert!(
            aliases(
                "腾讯广告用户行为数据上报 SDK",
                "Tencent Ads Action SDK (GDTAction)"
            )
            .contains(&"GDTAction".to_string())
        );
        let names = sdk_names(hegui_knowledge::sdk_catalog());
        let text = "我们接入了Umeng SDK与腾讯Bugly。";
        let ids: Vec<&str> = names
            .find(text)
            .iter()
            .flat_map(|(_, i)| names.ids(*i))
            .map(String::as_str)
            .collect();
        assert!(ids.contains(&"bugly") && ids.contains(&"umeng"), "{ids:?}");
        // Words in contact addresses and URLs are not SDK names, nor ordinary words that a
        // name only contains.
        let text = "联系我们：feedback@example.com，设置页 https://passport.example.com/center ，搜索 search。";
        assert!(names.find(text).is_empty(), "{:?}", names.find(text));
        // A real name inside an address is not a mention either; beside one it is.
        let text = "下载：https://sdk.example.com/Umeng/x 与 www.umeng.com；我们接入了Umeng。";
        let found: Vec<&str> = names
            .find(text)
            .iter()
            .map(|(r, _)| &text[r.clone()])
            .collect();
        assert_eq!(found, ["Umeng"]);
    }
}
