//! Android privacy APIs and permissions.

use std::collections::HashMap;
use std::sync::OnceLock;

use hegui_model::PiCategory;
use serde::Deserialize;

/// Methods (or fields) of one class that expose one PI category.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiSignature {
    /// DEX descriptor, e.g. `Landroid/telephony/TelephonyManager;`.
    pub class: String,
    pub names: Vec<String>,
    pub category: PiCategory,
    /// String constants that must be passed for the call to count (e.g. `android_id`).
    #[serde(default)]
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UriSignature {
    pub prefix: String,
    pub category: PiCategory,
}

/// Identifiers read without a privacy API: a command or file path containing every string of
/// `all` reads `category` (`pm list packages`, `/sys/class/net/wlan0/address`).
#[derive(Debug, Clone, Deserialize)]
pub struct TextPattern {
    pub all: Vec<String>,
    pub category: PiCategory,
}

impl TextPattern {
    pub fn matches(&self, text: &str) -> bool {
        !self.all.is_empty() && self.all.iter().all(|part| text.contains(part.as_str()))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AndroidApis {
    pub methods: Vec<ApiSignature>,
    pub fields: Vec<ApiSignature>,
    pub uri_strings: Vec<UriSignature>,
    /// Shell commands (`Runtime.exec`, `ProcessBuilder`) that read PI.
    #[serde(default)]
    pub commands: Vec<TextPattern>,
    /// Files that hold PI.
    #[serde(default)]
    pub files: Vec<TextPattern>,
    /// How the app turns off an ad SDK's personalised ads (notice 164 task 4): a method it
    /// calls, or a setting key it passes (`personal_ads_type`), from each SDK's public docs.
    #[serde(default)]
    pub personalisation_switches: Vec<PersonalisationSwitchSignature>,
}

/// One ad SDK's personalisation switch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalisationSwitchSignature {
    /// The SDK catalogue id.
    pub sdk: String,
    /// Class descriptor and method of a switch the app calls …
    #[serde(default)]
    pub class: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    /// … or a setting key it passes as a string.
    #[serde(default)]
    pub key: Option<String>,
}

impl AndroidApis {
    /// The category a shell command reads, if any.
    pub fn command_category(&self, command: &str) -> Option<PiCategory> {
        self.commands
            .iter()
            .find(|p| p.matches(command))
            .map(|p| p.category)
    }

    /// The category a file path holds, if any.
    pub fn file_category(&self, path: &str) -> Option<PiCategory> {
        self.files
            .iter()
            .find(|p| p.matches(path))
            .map(|p| p.category)
    }
}

pub fn android_apis() -> &'static AndroidApis {
    static TABLE: OnceLock<AndroidApis> = OnceLock::new();
    TABLE.get_or_init(|| crate::load("android_apis", include_str!("../data/android_apis.json")))
}

/// What a permission unlocks and how its use shows in code.
#[derive(Debug, Clone, Deserialize)]
pub struct PermissionInfo {
    pub name: String,
    /// `dangerous` (runtime), `special`, `normal` or `signature`.
    pub level: String,
    #[serde(default)]
    pub group: Option<String>,
    /// API level that introduced it.
    #[serde(default)]
    pub added: Option<u32>,
    pub categories: Vec<PiCategory>,
    /// Categories of API call sites that show the permission is used.
    #[serde(default)]
    pub used_by: Vec<PiCategory>,
    /// Manifest broadcast actions that are also a use.
    #[serde(default)]
    pub actions: Vec<String>,
    /// False where use cannot be seen statically.
    #[serde(default = "yes")]
    pub assess_use: bool,
    pub zh: String,
    pub en: String,
}

fn yes() -> bool {
    true
}

impl PermissionInfo {
    pub fn is_dangerous(&self) -> bool {
        self.level == "dangerous"
    }
}

#[derive(Debug, Default, Deserialize)]
struct PermissionTable {
    permissions: Vec<PermissionInfo>,
}

pub fn permissions() -> &'static [PermissionInfo] {
    static TABLE: OnceLock<PermissionTable> = OnceLock::new();
    &TABLE
        .get_or_init(|| {
            crate::load(
                "android_permissions",
                include_str!("../data/android_permissions.json"),
            )
        })
        .permissions
}

/// Look up a permission by its full name.
pub fn permission_info(name: &str) -> Option<&'static PermissionInfo> {
    static INDEX: OnceLock<HashMap<&'static str, &'static PermissionInfo>> = OnceLock::new();
    INDEX
        .get_or_init(|| permissions().iter().map(|p| (p.name.as_str(), p)).collect())
        .get(name)
        .copied()
}
