//! The runtime-trace vocabulary (`category` values of `hegui-trace/1`) and the thresholds the
//! dynamic rules judge with.
//!
//! Thresholds are configuration: the built-in defaults come from `data/trace.json` (the TC260
//! 48-hour rule among them) and a user file (`--thresholds`) overrides any of them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hegui_model::{Localized, PiCategory};
use serde::{Deserialize, Serialize};

/// One value of the trace `category` vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceCategory {
    pub id: String,
    /// The PI category it exposes; `None` for events that touch no PI (permission checks).
    pub pi: Option<PiCategory>,
    /// Whether an event of this category is collection (clipboard writes are not).
    #[serde(default = "yes")]
    pub collects: bool,
    pub zh: String,
    pub en: String,
}

fn yes() -> bool {
    true
}

impl TraceCategory {
    pub fn label(&self) -> Localized {
        Localized::new(&self.zh, &self.en)
    }
}

/// What the dynamic rules compare against. A user file may give any subset of the fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// No `serde(default)`: the defaults are this table itself; user files are merged onto it.
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// TC260-PG-20204A 3.2 f: after a refusal, prompts for the same permission within this
    /// many hours count as frequent …
    pub permission_rerequest_window_hours: u32,
    /// … once there are more than this many of them.
    pub max_prompts_after_denial: u32,
    /// A process exit this soon after a denied permission is "exits when refused".
    pub exit_after_denial_seconds: u32,
    /// Sliding window for collection rates.
    pub rate_window_seconds: u32,
    /// Most calls of one category by one party in one window while in the foreground …
    pub max_per_window_foreground: u32,
    /// … and in the background.
    pub max_per_window_background: u32,
    /// Per-category limits (foreground and background) where the defaults do not fit
    /// (navigation polls location every second).
    pub max_per_window_by_category: BTreeMap<String, u32>,
    /// A start of another app this soon after a user tap is taken as the user's doing.
    pub user_action_grace_seconds: u32,
    /// A download, install or store page this soon after a tap is what the tap started.
    pub download_after_tap_seconds: u32,
    /// A PI permission request or collection this soon after a tap on a reward is what the
    /// reward asked for.
    pub reward_request_window_seconds: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        table().thresholds.clone()
    }
}

impl Thresholds {
    /// The built-in values with the fields of a user's JSON file on top.
    pub fn parse_override(text: &str) -> Result<Self, String> {
        let mut merged = serde_json::to_value(Self::default()).map_err(|e| e.to_string())?;
        let user: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let (Some(base), serde_json::Value::Object(user)) = (merged.as_object_mut(), user) else {
            return Err("a thresholds file is one JSON object".into());
        };
        for (k, v) in user {
            base.insert(k, v);
        }
        serde_json::from_value(merged).map_err(|e| e.to_string())
    }

    /// The limit for one category in one state.
    pub fn max_per_window(&self, category: &str, background: bool) -> u32 {
        match self.max_per_window_by_category.get(category) {
            Some(&n) => n,
            None if background => self.max_per_window_background,
            None => self.max_per_window_foreground,
        }
    }
}

#[derive(Debug, Deserialize)]
struct TraceTable {
    #[serde(rename = "_comment")]
    _comment: String,
    #[allow(dead_code)]
    version: u32,
    categories: Vec<TraceCategory>,
    thresholds: Thresholds,
    ui: UiVocabulary,
}

/// What the labels users see say (notice 164 tasks 7 and 8): reward offers, requests for
/// identity or biometric data, download and dismiss buttons, and where an intent lands (app
/// stores, the package installer).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiVocabulary {
    #[serde(rename = "_comment", default)]
    _comment: String,
    /// Words of a reward offer (红包, 领取, 抽奖, 提现…).
    pub rewards: Vec<String>,
    /// What a screen may ask for, by the PI it is.
    pub asks: Vec<UiAsk>,
    /// Labels that say a tap downloads or installs.
    pub download: Vec<String>,
    /// Labels that say a tap closes, skips or goes back.
    pub dismiss: Vec<String>,
    /// App-store packages.
    pub stores: Vec<String>,
    /// Package-installer packages.
    pub installers: Vec<String>,
    /// Permissions whose request hands over PI.
    pub permissions: Vec<UiPermission>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiAsk {
    pub pi: PiCategory,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiPermission {
    pub name: String,
    pub pi: PiCategory,
}

/// Whether `label` holds one of `words` (case-insensitive substring; a one-character word must
/// be the whole label, so `x` matches a close button and not "exit").
pub fn label_has(label: &str, words: &[String]) -> bool {
    let lower = label.trim().to_lowercase();
    !lower.is_empty()
        && words.iter().any(|w| {
            if w.chars().count() == 1 {
                lower == *w
            } else {
                lower.contains(w.as_str())
            }
        })
}

impl UiVocabulary {
    /// The reward words `text` holds.
    pub fn rewards_in<'a>(&'a self, text: &str) -> Vec<&'a str> {
        let lower = text.to_lowercase();
        self.rewards
            .iter()
            .filter(|w| lower.contains(w.as_str()))
            .map(String::as_str)
            .collect()
    }

    /// The PI categories `text` asks for.
    pub fn asks_in(&self, text: &str) -> Vec<PiCategory> {
        let lower = text.to_lowercase();
        self.asks
            .iter()
            .filter(|a| a.words.iter().any(|w| lower.contains(w.as_str())))
            .map(|a| a.pi)
            .collect()
    }

    /// The PI a permission request hands over, for the permissions a reward may ask for.
    pub fn permission_pi(&self, permission: &str) -> Option<PiCategory> {
        self.permissions
            .iter()
            .find(|p| p.name == permission)
            .map(|p| p.pi)
    }
}

/// The label vocabulary of the UI rules.
pub fn ui_vocabulary() -> &'static UiVocabulary {
    &table().ui
}

impl Default for TraceTable {
    fn default() -> Self {
        Self {
            _comment: String::new(),
            version: 1,
            categories: Vec::new(),
            thresholds: Thresholds {
                permission_rerequest_window_hours: 48,
                max_prompts_after_denial: 1,
                exit_after_denial_seconds: 10,
                rate_window_seconds: 60,
                max_per_window_foreground: 10,
                max_per_window_background: 3,
                max_per_window_by_category: BTreeMap::new(),
                user_action_grace_seconds: 2,
                download_after_tap_seconds: 5,
                reward_request_window_seconds: 10,
            },
            ui: UiVocabulary::default(),
        }
    }
}

fn table() -> &'static TraceTable {
    static TABLE: OnceLock<TraceTable> = OnceLock::new();
    TABLE.get_or_init(|| crate::load("trace", include_str!("../data/trace.json")))
}

/// Every category of the trace vocabulary.
pub fn trace_categories() -> &'static [TraceCategory] {
    &table().categories
}

/// A category by its id (`device_id.imei`); unknown ids are kept by readers and ignored by rules.
pub fn trace_category(id: &str) -> Option<&'static TraceCategory> {
    trace_categories().iter().find(|c| c.id == id)
}

/// How the spreadsheet exports of privacy-hook tools label what they saw, mapped to the
/// trace vocabulary (`data/trace_import_labels.json`, written from the tools' public output
/// formats).
#[derive(Debug, Default, Deserialize)]
pub struct ImportLabels {
    #[serde(default)]
    pub camille: CamilleLabels,
    #[serde(default)]
    pub privacysentry: SentryLabels,
}

/// camille (Frida): one sheet, one row per hooked call.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CamilleLabels {
    pub sheet: String,
    pub columns: Vec<String>,
    pub columns_legacy: Vec<String>,
    /// Added to the month it writes (JavaScript's 0-based `getMonth()`).
    pub month_offset: i64,
    /// 行为描述 → category.
    pub labels: BTreeMap<String, String>,
    pub label_prefixes: BTreeMap<String, String>,
    /// 操作行为 → category, when 行为描述 matched nothing.
    pub action_labels: BTreeMap<String, String>,
    /// Hooked API (`cls.method`) → category that overrides the label's.
    pub api_refinements: BTreeMap<String, String>,
    pub arg_refinements: BTreeMap<String, ArgRefinement>,
    /// Labels that are not PI collection, with why.
    pub unmapped: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArgRefinement {
    /// 0-based argument index.
    pub arg: usize,
    /// Argument value (JSON-decoded) → category.
    pub values: BTreeMap<String, String>,
}

/// PrivacySentry (ASM + runtime proxies): a detail sheet and a count sheet.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SentryLabels {
    pub sheets: Vec<String>,
    pub columns: Vec<String>,
    pub count_columns: Vec<String>,
    /// The row the app writes when the user accepts the policy.
    pub consent_marker_row: String,
    pub hook_frame_prefixes: Vec<String>,
    /// 函数名 key → category.
    pub functions: BTreeMap<String, String>,
    /// 别名 description → category.
    pub aliases: BTreeMap<String, String>,
    pub alias_prefixes: BTreeMap<String, String>,
    pub alias_suffixes: BTreeMap<String, String>,
    pub unmapped: BTreeMap<String, String>,
}

pub fn import_labels() -> &'static ImportLabels {
    static TABLE: OnceLock<ImportLabels> = OnceLock::new();
    TABLE.get_or_init(|| {
        crate::load(
            "trace_import_labels",
            include_str!("../data/trace_import_labels.json"),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;

    #[test]
    fn vocabulary_and_thresholds_load() {
        assert!(trace_categories().len() > 40);
        assert_eq!(
            trace_category("device_id.oaid").and_then(|c| c.pi),
            Some(PiCategory::AdvertisingId)
        );
        assert!(!trace_category("clipboard.write").is_some_and(|c| c.collects));
        let t = Thresholds::default();
        assert_eq!(t.permission_rerequest_window_hours, 48);
        assert_eq!(t.max_per_window("location.precise", true), 60);
        assert_eq!(t.max_per_window("clipboard.read", true), 3);
    }

    #[test]
    fn a_user_file_overrides_some_fields() {
        let t = Thresholds::parse_override(r#"{"max_per_window_foreground": 5}"#).unwrap();
        assert_eq!(t.max_per_window_foreground, 5);
        assert_eq!(t.permission_rerequest_window_hours, 48);
        assert!(Thresholds::parse_override(r#"{"nope": 1}"#).is_err());
        assert!(Thresholds::parse_override("[]").is_err());
    }

    #[test]
    fn import_labels_name_known_categories() {
        let labels = import_labels();
        assert_eq!(labels.camille.columns.len(), 7);
        assert!(labels.privacysentry.functions.len() > 20);
        let all = labels
            .camille
            .labels
            .values()
            .chain(labels.camille.label_prefixes.values())
            .chain(labels.camille.action_labels.values())
            .chain(labels.privacysentry.functions.values())
            .chain(labels.privacysentry.aliases.values());
        for category in all {
            assert!(trace_category(category).is_some(), "{category}");
        }
    }
}
