//! Facts about a mini-program (WeChat, ByteDance, Alipay, Baidu, uni-app builds).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramFacts {
    /// `wechat`, `bytedance`, `alipay`, `baidu` or `uniapp`.
    pub platform: String,
    /// `wx…` / `tt…` appid when the package or project names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// `source` (a project folder), `wxapkg`, `wxapkg-pc` (V1MMWX, decrypted), `tpkg`.
    pub container: String,
    /// The privacy-relevant configuration the app declares (`app.json` / `app-config.json`).
    pub declared: DeclaredConfig,
    /// Pages listed by the configuration (subpackages included).
    #[serde(default)]
    pub pages: Vec<String>,
    /// Subpackage roots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subpackages: Vec<String>,
    /// Files read (package entries or project files), with their sizes.
    pub files: u32,
    /// The packages read, for an app given as several (`__APP__` plus `_sub_.wxapkg` files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Privacy-relevant API references in the JavaScript (calls and references such as
    /// `promisify(wx.getLocation)`), found by parsing it.
    #[serde(default)]
    pub api_calls: Vec<MiniProgramApiCall>,
    /// JavaScript files parsed and their total size, for the MB/s figure.
    #[serde(default)]
    pub js_files: u32,
    #[serde(default)]
    pub js_bytes: u64,
}

/// One reference to a platform API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramApiCall {
    /// `wx.getLocation` (an alias such as `const w = wx` is resolved to `wx`).
    pub api: String,
    /// The module: the original path of a `define("…")`-wrapped module in a package, else
    /// the file.
    pub file: String,
    /// 1-based line and column within that module.
    pub line: u32,
    pub col: u32,
}

/// `permission`, `requiredPrivateInfos`, `requiredBackgroundModes`, `plugins` and the privacy
/// check switch, exactly as declared (absent keys stay absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclaredConfig {
    /// `permission`: scope → its purpose text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<BTreeMap<String, PermissionDeclaration>>,
    #[serde(
        rename = "requiredPrivateInfos",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_private_infos: Option<Vec<String>>,
    #[serde(
        rename = "requiredBackgroundModes",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_background_modes: Option<Vec<String>>,
    /// `plugins`: alias → provider appid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugins: Option<BTreeMap<String, String>>,
    /// `usePrivacyCheck` (ByteDance) or `__usePrivacyCheck__` (WeChat).
    #[serde(rename = "usePrivacyCheck", skip_serializing_if = "Option::is_none")]
    pub use_privacy_check: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PermissionDeclaration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}
