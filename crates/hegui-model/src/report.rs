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
}

/// A third-party SDK found in the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SdkMatch {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    /// Package prefixes that matched, with the number of classes under each.
    pub matched_prefixes: Vec<String>,
    pub classes: u32,
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
    pub facts: Facts,
    pub sdks: Vec<SdkMatch>,
    pub findings: Vec<Finding>,
    pub not_assessed: Vec<NotAssessed>,
    pub errors: Vec<ScanError>,
    /// Wall time of the scan in milliseconds.
    pub elapsed_ms: u64,
}
