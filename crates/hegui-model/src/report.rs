//! The report of one artifact: the JSON contract `hegui-report/1`.

use serde::{Deserialize, Serialize};

use crate::{AndroidFacts, Finding, NotAssessed};

pub const REPORT_SCHEMA: &str = "hegui-report/1";

/// What kind of artifact was scanned. Detected from content, never from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    Apk,
    /// XAPK / APKS / APKM: a zip holding a base APK and splits.
    ApkBundle,
    Dex,
    /// iOS app archive (`Payload/*.app/`).
    Ipa,
    /// WeChat mini-program package (`.wxapkg`, plain or PC-encrypted).
    Wxapkg,
    /// ByteDance mini-program package (`TPKG`).
    Tpkg,
    /// A mini-program project folder (source tree).
    MiniProgramSource,
    /// A privacy-policy text (plain text, HTML or Markdown).
    Policy,
    /// A runtime trace (`hegui-trace/1` JSON Lines), or a capture or export imported into one
    /// (HAR, mitmproxy flows, privacy-hook spreadsheets).
    Trace,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ArtifactInfo {
    pub path: String,
    pub sha256: String,
    pub kind: ArtifactKind,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppInfo {
    /// `android`, `ios`, `wechat_miniprogram`, …
    pub platform: String,
    /// Package name / bundle id / appid.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Facts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub android: Option<AndroidFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ios: Option<crate::IosFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miniprogram: Option<crate::MiniProgramFacts>,
    /// The privacy policy: scanned on its own, given with `--policy`, or found in the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::PolicyFacts>,
    /// Where the policy came from. Set for a policy given beside the package even when its
    /// text could not be read (the reason is in `errors`): the user still said there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_origin: Option<PolicyOrigin>,
    /// A runtime trace and network captures of the app (`--trace`, `--har`, or scanned alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<crate::TraceFacts>,
    /// The app type of the 2021 rules on necessary PI (`网上购物类`), as the user gave it
    /// (`--app-type`): never guessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    /// The app's listing on a store (`--listing`, or the platform's listing feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<crate::ListingFacts>,
}

/// Where the privacy policy in `facts.policy` came from: in the package, or beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyOrigin {
    /// The scanned file is the policy.
    Scanned,
    /// A page the package bundles (`<apk>!/assets/privacy.html`) or the mini-program
    /// project's own policy page.
    Bundled,
    /// Given with the package (`--policy`).
    Supplied,
    /// The policy text of the app's store listing (`--listing`).
    Listing,
}

impl PolicyOrigin {
    /// A policy published apart from the package: the package itself may not carry it.
    pub fn is_external(self) -> bool {
        matches!(self, Self::Supplied | Self::Listing)
    }
}

/// A third-party SDK (or platform library) found in the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SdkMatch {
    /// Catalogue id; findings name it as `sdk:<id>`.
    pub id: String,
    /// Product name in zh-CN.
    pub name: String,
    /// Product name in English.
    pub name_en: String,
    /// Legal entity that publishes the SDK's privacy policy.
    pub vendor: String,
    /// `analytics`, `push`, `vendor-push`, `ads`, … or `framework` for platform libraries.
    pub category: String,
    /// SDK version, when a version constant in its code is readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// PI categories the vendor's SDK policy says it collects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collects: Vec<crate::PiCategory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    /// What matched: package prefixes (with class counts), classes, native libraries,
    /// manifest components and meta-data keys.
    pub evidence: Vec<SdkEvidence>,
    /// Classes attributed to the SDK (outside the app's own package).
    pub classes: u32,
}

impl SdkMatch {
    /// Platform support libraries are attributed but are not third parties to a regulator.
    pub fn is_framework(&self) -> bool {
        self.category == "framework"
    }
}

/// One reason an SDK is said to be present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SdkEvidence {
    pub kind: SdkEvidenceKind,
    /// The prefix, class name, library path, component class or meta-data key.
    pub value: String,
    /// How many classes matched (prefixes) or how many times it occurs.
    pub count: u32,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SdkEvidenceKind {
    /// Classes under one of the SDK's package prefixes.
    Prefix,
    /// One of the SDK's well-known classes.
    Class,
    /// A native library named like the SDK's.
    NativeLib,
    /// A manifest component (service, receiver, provider, activity) of the SDK.
    Component,
    /// A manifest `<meta-data>` key the SDK's integration guide asks for.
    MetaData,
    /// An embedded iOS framework (`Frameworks/Bugly.framework`).
    Framework,
}

/// A problem reading the artifact. The scan went on where it could.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScanError {
    /// Stable kebab-case code (`zip-bomb`, `path-traversal`, `truncated-dex`, …).
    pub code: String,
    pub message: String,
    /// The entry inside the artifact, when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
}

impl ScanError {
    pub fn new(code: &str, message: impl Into<String>, entry: Option<&str>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            entry: entry.map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    /// Catalogue / ruleset version the findings were computed with.
    pub ruleset: String,
}

/// The complete report of one artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// Always `hegui-report/1`.
    pub schema: String,
    pub tool: ToolInfo,
    pub artifact: ArtifactInfo,
    pub app: AppInfo,
    /// Problems reading the input; before the long lists, so that a reader of the JSON sees
    /// why a report is empty without scrolling past them.
    pub errors: Vec<ScanError>,
    pub facts: Facts,
    pub sdks: Vec<SdkMatch>,
    pub findings: Vec<Finding>,
    pub not_assessed: Vec<NotAssessed>,
    /// Wall time of the scan in milliseconds.
    pub elapsed_ms: u64,
}
