//! Store listing feeds (JSON Lines, one listing a line) read into [`ListingFacts`].
//!
//! A line:
//! ```json
//! {"store": "示例应用市场", "package": "com.example.app", "name": "示例", "version": "1.2.0",
//!  "developer": {"name": "示例科技有限公司", "licence_id": "91350100M000100Y43"},
//!  "permissions": [{"name": "android.permission.CAMERA", "purpose": "扫描二维码"}],
//!  "pi": [{"item": "手机号", "purpose": "注册登录"}],
//!  "policy_url": "https://example.com/privacy", "policy_text": "…",
//!  "object_key": "intake/12/com.example.app-1.2.0.apk"}
//! ```
//! `permissions` and `pi` may also be plain string lists; `developer` may be a plain name
//! with `licence_id` beside it. A missing field is kept as missing: the rules judge that.

use std::io::BufRead;

use hegui_knowledge::permission_info;
use hegui_model::{ListedPermission, ListedPi, ListingFacts, PiCategory};
use serde::Deserialize;

/// Longest feed line read: a listing with its whole policy text fits many times over.
pub const MAX_LISTING_LINE: usize = 4 << 20;

/// One listing with what is not a fact about the listing page itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub facts: ListingFacts,
    /// The policy text the listing carries, analysed as the app's policy when none is given.
    pub policy_text: Option<String>,
    /// Where the package is in the platform's object store.
    pub object_key: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListingError {
    #[error("{at}: not a listing: {message}")]
    Json { at: String, message: String },
    #[error("{at}: a listing needs `{field}`")]
    Missing { at: String, field: &'static str },
    #[error("{at}: line longer than {MAX_LISTING_LINE} bytes")]
    TooLong { at: String },
    #[error("{at}: {message}")]
    Io { at: String, message: String },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Developer {
    Name(String),
    Full {
        #[serde(default)]
        name: Option<String>,
        #[serde(
            default,
            alias = "licence",
            alias = "license_id",
            alias = "credit_code"
        )]
        licence_id: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Item {
    Text(String),
    Full {
        #[serde(alias = "item", alias = "label")]
        name: String,
        #[serde(default)]
        purpose: Option<String>,
    },
}

impl Item {
    fn into_parts(self) -> (String, Option<String>) {
        match self {
            Self::Text(name) => (name, None),
            Self::Full { name, purpose } => (name, purpose),
        }
    }
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    store: Option<String>,
    #[serde(default, alias = "appid", alias = "bundle_id")]
    package: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    developer: Option<Developer>,
    #[serde(
        default,
        alias = "licence",
        alias = "license_id",
        alias = "credit_code"
    )]
    licence_id: Option<String>,
    #[serde(default)]
    permissions: Option<Vec<Item>>,
    #[serde(default, alias = "personal_information")]
    pi: Option<Vec<Item>>,
    #[serde(default)]
    policy_url: Option<String>,
    #[serde(default)]
    policy_text: Option<String>,
    #[serde(default)]
    object_key: Option<String>,
}

/// Read one feed line; `source` names it in errors and evidence (`feed.jsonl:12`).
pub fn parse_listing(source: &str, line: &str) -> Result<Listing, ListingError> {
    if line.len() > MAX_LISTING_LINE {
        return Err(ListingError::TooLong { at: source.into() });
    }
    let raw: Line = serde_json::from_str(line).map_err(|e| ListingError::Json {
        at: source.into(),
        message: e.to_string(),
    })?;
    let required = |v: Option<String>, field| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or(ListingError::Missing {
                at: source.into(),
                field,
            })
    };
    let store = required(raw.store, "store")?;
    let package = required(raw.package, "package")?;
    let (developer, mut licence_id) = match raw.developer {
        None => (None, None),
        Some(Developer::Name(n)) => (Some(n), None),
        Some(Developer::Full { name, licence_id }) => (name, licence_id),
    };
    licence_id = licence_id.or(raw.licence_id);
    let permissions_shown = raw.permissions.is_some();
    let permissions = raw
        .permissions
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            let (name, purpose) = item.into_parts();
            let categories = permission_categories(&name);
            ListedPermission {
                name,
                purpose,
                categories,
            }
        })
        .collect();
    let pi_shown = raw.pi.as_ref().is_some_and(|v| !v.is_empty());
    let pi = raw
        .pi
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            let (text, _) = item.into_parts();
            let categories = text_categories(&text);
            ListedPi { text, categories }
        })
        .collect();
    let policy_text = raw.policy_text.filter(|t| !t.trim().is_empty());
    Ok(Listing {
        facts: ListingFacts {
            source: source.into(),
            store,
            package,
            name: raw.name,
            version: raw.version,
            developer,
            licence_id,
            permissions_shown,
            permissions,
            pi_shown,
            pi,
            policy_url: raw.policy_url.filter(|u| !u.trim().is_empty()),
            policy_text_shown: policy_text.is_some(),
        },
        policy_text,
        object_key: raw.object_key.filter(|k| !k.trim().is_empty()),
    })
}

/// Every listing of a feed, or the error of each bad line; blank lines are skipped.
pub fn read_feed(
    name: &str,
    reader: impl BufRead,
) -> impl Iterator<Item = Result<Listing, ListingError>> {
    let name = name.to_string();
    let mut lines = reader.split(b'\n').enumerate();
    std::iter::from_fn(move || {
        loop {
            let (i, line) = lines.next()?;
            let source = format!("{name}:{}", i + 1);
            let bytes = match line {
                Ok(b) => b,
                Err(e) => {
                    return Some(Err(ListingError::Io {
                        at: source,
                        message: e.to_string(),
                    }));
                }
            };
            if bytes.len() > MAX_LISTING_LINE {
                return Some(Err(ListingError::TooLong { at: source }));
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                return Some(Err(ListingError::Json {
                    at: source,
                    message: "not UTF-8".into(),
                }));
            };
            if text.trim().is_empty() {
                continue;
            }
            return Some(parse_listing(&source, text));
        }
    })
}

/// Words Chinese stores and Android's permission dialogs use for each permission group.
const GROUP_WORDS: &[(&str, &[&str])] = &[
    ("location", &["位置", "定位"]),
    ("camera", &["相机", "摄像头", "拍照", "拍摄"]),
    ("microphone", &["麦克风", "录音", "录制音频"]),
    ("contacts", &["通讯录", "联系人"]),
    ("sms", &["短信", "彩信"]),
    ("phone", &["电话", "设备信息", "手机状态", "设备标识"]),
    ("call_log", &["通话记录"]),
    ("calendar", &["日历", "日程"]),
    ("storage", &["存储", "照片", "相册", "媒体", "文件"]),
    ("sensors", &["传感器"]),
    ("activity", &["身体活动", "运动健身"]),
    ("nearby", &["附近设备", "蓝牙"]),
];

/// Categories a listed permission opens: by its name, or by the words of its label (a
/// permission's own Chinese name, its group's usual words, or PI terms).
fn permission_categories(name: &str) -> Vec<PiCategory> {
    let name = name.trim();
    if let Some(info) = permission_info(name) {
        return info.categories.clone();
    }
    let groups: Vec<&str> = GROUP_WORDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| name.contains(w)))
        .map(|(group, _)| *group)
        .collect();
    let mut out = text_categories(name);
    for p in hegui_knowledge::permissions() {
        let named = !p.zh.is_empty() && name.contains(p.zh.as_str());
        let in_group = p.group.as_deref().is_some_and(|g| groups.contains(&g));
        if p.is_dangerous() && (named || in_group) {
            out.extend(p.categories.iter().copied());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn text_categories(text: &str) -> Vec<PiCategory> {
    let mut out: Vec<PiCategory> = PiCategory::from_id(text.trim()).into_iter().collect();
    out.extend(
        hegui_policy::pi_lexicon()
            .find(text)
            .into_iter()
            .map(|(_, c)| c),
    );
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn full_line() {
        let l = parse_listing(
            "feed.jsonl:1",
            r#"{"store":"示例市场","package":"com.example","version":"1.0",
               "developer":{"name":"示例公司","licence_id":"91350100M000100Y43"},
               "permissions":[{"name":"android.permission.ACCESS_FINE_LOCATION","purpose":"附近门店"},"相机"],
               "pi":[{"item":"手机号码","purpose":"登录"}],"policy_text":"隐私政策……",
               "object_key":"intake/a.apk"}"#,
        )
        .unwrap();
        assert_eq!(l.facts.developer.as_deref(), Some("示例公司"));
        assert!(l.facts.permissions_shown && l.facts.pi_shown && l.facts.policy_text_shown);
        assert_eq!(
            l.facts.permissions[0].categories,
            vec![PiCategory::Location]
        );
        assert_eq!(l.facts.permissions[1].purpose, None);
        assert_eq!(
            l.facts.permissions[1].categories,
            vec![PiCategory::Camera],
            "相机 is a label"
        );
        assert!(l.facts.pi[0].categories.contains(&PiCategory::PhoneNumber));
        assert_eq!(l.object_key.as_deref(), Some("intake/a.apk"));
    }

    #[test]
    fn labels_by_group_words() {
        assert!(permission_categories("获取精确位置").contains(&PiCategory::Location));
        assert!(permission_categories("读取电话状态").contains(&PiCategory::DeviceId));
        assert!(permission_categories("允许应用发出振动").is_empty());
    }

    #[test]
    fn missing_is_kept_missing() {
        let l = parse_listing("f:1", r#"{"store":"s","package":"p","developer":"d"}"#).unwrap();
        assert!(!l.facts.permissions_shown && !l.facts.pi_shown);
        assert_eq!(l.facts.licence_id, None);
        let l = parse_listing("f:1", r#"{"store":"s","package":"p","permissions":[]}"#).unwrap();
        assert!(
            l.facts.permissions_shown,
            "an empty list is shown, just empty"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let feed = "{\"store\":\"s\",\"package\":\"p\"}\n\n{\"store\":\"s\"}\nnot json\n";
        let got: Vec<_> = read_feed("feed.jsonl", feed.as_bytes()).collect();
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok());
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "feed.jsonl:3: a listing needs `package`"
        );
        assert!(
            got[2]
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("feed.jsonl:4: not a listing")
        );
    }
}
