//! Facts read from an app store's listing of an app: what the store page shows users.

use serde::{Deserialize, Serialize};

use crate::PiCategory;

/// One listing of an app on a distribution platform, as the store's feed states it.
///
/// Absent fields mean the listing does not show that item; the `STO` rules judge that.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListingFacts {
    /// Where the listing came from (`feed.jsonl:12`).
    pub source: String,
    /// The store's name (`华为应用市场`).
    pub store: String,
    /// Package name, bundle id or appid the listing is for.
    pub package: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The developer or operator shown on the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    /// The developer's licence: unified social credit code (统一社会信用代码) or
    /// registration number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_id: Option<String>,
    /// Whether the listing shows a permission list at all (`false`: the field is missing,
    /// which differs from an app shown as asking for nothing).
    pub permissions_shown: bool,
    pub permissions: Vec<ListedPermission>,
    /// Whether the listing describes the personal information the app collects.
    pub pi_shown: bool,
    pub pi: Vec<ListedPi>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    /// Whether the listing carries the policy text itself.
    #[serde(default)]
    pub policy_text_shown: bool,
}

/// A permission as the listing shows it, with the purpose given for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListedPermission {
    /// As listed: a permission name (`android.permission.CAMERA`) or a label (`相机`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The PI categories the permission opens, when recognised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<PiCategory>,
}

/// An item of the listing's description of PI collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListedPi {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<PiCategory>,
}
