//! Facts about an iOS app (IPA), as read from its plists, privacy manifests and Mach-O binaries.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Party, PiCategory};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IosFacts {
    pub bundle_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_os: Option<String>,
    /// `Payload/X.app/` path of the app bundle inside the IPA.
    pub app_path: String,
    /// `NS*UsageDescription` keys of Info.plist with their (base) texts.
    pub usage_descriptions: BTreeMap<String, String>,
    /// The same keys from `*.lproj/InfoPlist.strings`: language → key → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized_usage_descriptions: BTreeMap<String, BTreeMap<String, String>>,
    /// `CFBundleURLTypes` schemes the app answers to.
    #[serde(default)]
    pub url_schemes: Vec<String>,
    /// `LSApplicationQueriesSchemes`: other apps' schemes it may probe with `canOpenURL`.
    #[serde(default)]
    pub query_schemes: Vec<String>,
    /// `UIBackgroundModes`.
    #[serde(default)]
    pub background_modes: Vec<String>,
    pub ats: AtsSettings,
    /// Every `PrivacyInfo.xcprivacy` (app, frameworks, extensions).
    #[serde(default)]
    pub privacy_manifests: Vec<PrivacyManifest>,
    /// Embedded frameworks (`Frameworks/*.framework`) and app extensions (`PlugIns/*.appex`).
    #[serde(default)]
    pub frameworks: Vec<IosBundle>,
    /// Mach-O binaries read: the main executable, frameworks, extensions.
    #[serde(default)]
    pub binaries: Vec<MachOInfo>,
    /// Privacy-relevant classes, selectors and functions referenced by the binaries.
    #[serde(default)]
    pub api_uses: Vec<IosApiUse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning: Option<Provisioning>,
    /// `http(s)://` strings in the main executable's C-string section (capped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

/// `NSAppTransportSecurity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AtsSettings {
    /// `NSAllowsArbitraryLoads`: cleartext HTTP and weak TLS allowed everywhere.
    pub allows_arbitrary_loads: bool,
    #[serde(default)]
    pub allows_arbitrary_loads_in_web_content: bool,
    /// Domains with `NSExceptionAllowsInsecureHTTPLoads` (cleartext allowed there).
    #[serde(default)]
    pub insecure_http_domains: Vec<String>,
}

/// One `PrivacyInfo.xcprivacy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrivacyManifest {
    /// Path inside the IPA.
    pub path: String,
    /// The bundle it belongs to (`app` or the framework / extension name).
    pub bundle: String,
    /// What it declares.
    pub data: PrivacyManifestData,
}

/// The declarations of a privacy manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrivacyManifestData {
    /// `NSPrivacyTracking`.
    pub tracking: bool,
    #[serde(default)]
    pub tracking_domains: Vec<String>,
    #[serde(default)]
    pub collected_data_types: Vec<CollectedDataType>,
    /// `NSPrivacyAccessedAPITypes`: required-reason API categories with their reason codes.
    #[serde(default)]
    pub accessed_api_types: Vec<AccessedApiType>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CollectedDataType {
    /// `NSPrivacyCollectedDataTypePreciseLocation`, …
    pub data_type: String,
    pub linked: bool,
    pub tracking: bool,
    #[serde(default)]
    pub purposes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccessedApiType {
    /// `NSPrivacyAccessedAPICategoryUserDefaults`, …
    pub category: String,
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// An embedded framework or app extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IosBundle {
    /// `Bugly.framework`, `Share.appex`.
    pub name: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub has_privacy_manifest: bool,
    /// Catalogued SDK this bundle is, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk: Option<String>,
}

/// What a Mach-O file says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MachOInfo {
    pub path: String,
    /// `main`, `framework`, `extension`.
    pub role: String,
    /// Architectures present (`arm64`, `x86_64`, …); the first one is the one read.
    pub archs: Vec<String>,
    /// `LC_ENCRYPTION_INFO(_64)` with cryptid 1: App Store FairPlay encryption. The encrypted
    /// range hides Objective-C names and strings; imports are still readable.
    pub encrypted: bool,
    /// `LC_LOAD_DYLIB` and friends.
    pub linked_libraries: Vec<String>,
    /// Keys of the entitlements embedded in the code signature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<String>,
    /// Objective-C classes the binary defines (ours, or a statically linked SDK's).
    pub defined_classes: u32,
}

/// A privacy-relevant class, selector or C function referenced by a binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IosApiUse {
    /// `CLLocationManager`, `-advertisingIdentifier`, `sysctlbyname()`.
    pub api: String,
    pub category: PiCategory,
    /// How it is referenced: `class`, `selector`, `function`.
    pub via: String,
    /// Path of the binary inside the IPA.
    pub binary: String,
    /// The binary's bundle: the app itself, a framework or an extension.
    pub party: Party,
    /// Info.plist keys that must exist for it (`NSLocationWhenInUseUsageDescription`…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plist_keys: Vec<String>,
    /// Required-reason API category (`NSPrivacyAccessedAPICategoryFileTimestamp`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_reason: Option<String>,
}

/// `embedded.mobileprovision`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Provisioning {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    #[serde(default)]
    pub entitlements: Vec<String>,
}
