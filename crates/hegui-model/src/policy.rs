//! Facts about a privacy-policy text: its structure, the ten elements GB/T 35273-2020 5.5 and
//! PIPL art. 17 ask for, and what it declares (every PI mention, the data practices, third
//! parties, periods, contacts). Offsets are Unicode code points into the normalised text
//! (NFKC, markup stripped); a span's `source` gives them in the document as read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::PiCategory;

/// The ten elements, in the order the report lists them.
pub const POLICY_ELEMENTS: &[&str] = &[
    "controller_identity_contact",
    "pi_per_function",
    "purposes",
    "sensitive_pi_marked",
    "third_party_sdk_list",
    "storage_location_period",
    "user_rights",
    "complaint_channel",
    "minors_clause",
    "update_notice",
];

/// How a reader names an element (Chinese, English).
pub fn element_label(name: &str) -> crate::Localized {
    let (zh, en) = match name {
        "controller_identity_contact" => ("运营者身份与联系方式", "operator identity and contact"),
        "pi_per_function" => (
            "按业务功能列明的个人信息",
            "PI listed per business function",
        ),
        "purposes" => ("收集使用目的", "purposes of collection and use"),
        "sensitive_pi_marked" => ("敏感个人信息标识", "marking of sensitive PI"),
        "third_party_sdk_list" => ("第三方与 SDK 清单", "third-party and SDK list"),
        "storage_location_period" => (
            "存储地点与保存期限",
            "storage location and retention period",
        ),
        "user_rights" => (
            "查询、更正、删除与注销",
            "access, correction, deletion and account cancellation",
        ),
        "complaint_channel" => ("投诉举报渠道", "complaint channel"),
        "minors_clause" => ("未成年人保护条款", "minors clause"),
        "update_notice" => ("政策更新与通知", "policy updates and notice"),
        other => (other, other),
    };
    crate::Localized::new(zh, en)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyFacts {
    /// Where the text came from: a file given with `--policy` or scanned directly, or the
    /// entry of a package it was found in.
    pub source: String,
    /// `utf-8`, `utf-16le`, `utf-16be`, `gb18030`.
    pub encoding: String,
    /// `text`, `html` or `markdown`.
    pub format: String,
    /// `zh` or `en`.
    pub language: String,
    /// `privacy_policy`, `user_agreement` or `user_agreement+privacy_policy`.
    pub doc_type: String,
    /// Length of the normalised text, in code points.
    pub chars: u32,
    /// The ten elements by name (see [`POLICY_ELEMENTS`]).
    pub elements: BTreeMap<String, PolicyElement>,
    /// Headings, in order.
    #[serde(default)]
    pub headings: Vec<Heading>,
    /// PI the text says is collected, by category (first mention of each term).
    #[serde(default)]
    pub pi_types: Vec<DeclaredPi>,
    /// Third parties and SDKs the text names.
    #[serde(default)]
    pub third_parties: Vec<NamedParty>,
    /// Statements of how long PI is kept.
    #[serde(default)]
    pub retention: Vec<TextSpan>,
    /// Response times promised (cancellation, complaints, requests).
    #[serde(default)]
    pub response_times: Vec<ResponseTime>,
    /// Contact channels given.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Device permissions the text says the app asks for (`相机权限`, `location permission`,
    /// `android.permission.CAMERA`), by the PI category they open.
    #[serde(default)]
    pub permissions: Vec<DeclaredPermission>,
    /// Every mention of a PI type in the text, in order (`pi_types` is their per-term
    /// summary): compound phrases (`头像、昵称`) are split into their types.
    #[serde(default)]
    pub pi_mentions: Vec<PiMention>,
    /// The data practices the sentences state: who does what with which PI, why and when.
    #[serde(default)]
    pub practices: Vec<Practice>,
    /// The Android permission groups the text says the app uses (`PHONE`, `LOCATION`, …).
    #[serde(default)]
    pub permission_groups: Vec<PermissionGroupMention>,
    /// What the text says about personalised recommendation, targeted push and ads.
    #[serde(default)]
    pub personalisation: Personalisation,
}

/// Personalisation statements (notice 164 task 4, PIPL art. 24).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Personalisation {
    /// Sentences that use PI for personalised recommendation, targeted push or ads, or a
    /// user profile for them (not the ones that deny it).
    #[serde(default)]
    pub uses: Vec<TextSpan>,
    /// Sentences that give a way to refuse or turn it off (a setting, a path, an opt-out).
    #[serde(default)]
    pub opt_outs: Vec<TextSpan>,
    /// Of `opt_outs`, those that only work by stopping the service (停止使用, 注销账号).
    #[serde(default)]
    pub conditional: Vec<TextSpan>,
}

/// A span of the document as read: code points of the decoded input (for HTML, of the text
/// node the words come from; inside a node with character references, its start).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct SourceSpan {
    pub start: u32,
    pub end: u32,
}

/// One mention of a PI type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PiMention {
    /// The words as written (`网卡（MAC）地址`, `IMEI`).
    pub term: String,
    /// The fine type from hegui's PI vocabulary (`imei`, `base_station`, `friend_list`, …).
    pub pi_type: String,
    /// The catalogue category the type belongs to (what package facts are compared with).
    pub category: PiCategory,
    /// Sensitive PI in the sense of GB/T 35273-2020 Annex B / PIPL art. 28.
    pub sensitive: bool,
    /// The sentence denies collecting it ("我们不会收集您的通讯录").
    #[serde(default)]
    pub denied: bool,
    /// In the normalised text, with `source`: in the document as read.
    pub span: TextSpan,
}

/// What a practice does with PI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PracticeAction {
    Collect,
    Use,
    Share,
    Entrust,
    Disclose,
    TransferAbroad,
    Retain,
}

/// Who acts in a practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PracticeActor {
    /// `we` (the operator), `third_party` (named or a kind of recipient), `sdk` (a named
    /// SDK) or `user`.
    pub kind: String,
    /// The words naming it, when written (`友盟`, `关联公司`, `合作伙伴`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<TextSpan>,
    /// SDK catalogue ids, when the name is an SDK's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdks: Vec<String>,
}

/// One data practice stated by a sentence (the PoliGraph / CA4P tuple).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Practice {
    pub actor: PracticeActor,
    pub action: PracticeAction,
    /// The verb that states it (`收集`, `共享`, `委托`).
    pub verb: TextSpan,
    /// To whom, for share / entrust / disclose / transfer abroad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<PracticeActor>,
    /// Indices into `pi_mentions` of the PI the sentence names.
    #[serde(default)]
    pub pi: Vec<u32>,
    /// The purpose clause (`用于…`, `为了…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<TextSpan>,
    /// The condition (`经您同意`, `在您使用…功能时`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<TextSpan>,
    /// The sentence denies the practice ("我们不会向第三方共享").
    #[serde(default)]
    pub denied: bool,
    /// The whole sentence.
    pub sentence: TextSpan,
    /// The OPP-115 category the practice falls in (`first_party_collection_use`,
    /// `third_party_sharing_collection`, `data_retention`,
    /// `international_and_specific_audiences`), so Chinese and English policies compare.
    #[serde(default)]
    pub opp115: String,
}

/// An Android permission group the policy says the app uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PermissionGroupMention {
    /// `PHONE`, `LOCATION`, `STORAGE`, `CAMERA`, `MICROPHONE`, `CONTACTS`, `CALENDAR`, `SMS`
    /// or `SENSORS`.
    pub group: String,
    /// Every place it is named (the first 20).
    pub spans: Vec<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclaredPermission {
    pub category: PiCategory,
    /// The words as written.
    pub term: String,
    pub span: TextSpan,
}

/// `true`, `"partial"` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ElementValue {
    Bool(bool),
    Partial(PartialMark),
}

/// The string `"partial"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartialMark {
    Partial,
}

impl ElementValue {
    pub const TRUE: Self = Self::Bool(true);
    pub const FALSE: Self = Self::Bool(false);
    pub const PARTIAL: Self = Self::Partial(PartialMark::Partial);

    /// `"true"`, `"partial"`, `"false"`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Bool(true) => "true",
            Self::Bool(false) => "false",
            Self::Partial(_) => "partial",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyElement {
    pub value: ElementValue,
    #[serde(default)]
    pub evidence: Vec<TextSpan>,
    /// For `partial` and `false`: what the text lacks for `true`, in words a reviewer can
    /// check ("只写了接收方类型，未列出第三方或 SDK 的名称").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<crate::Localized>,
}

/// A span of the normalised text: code-point offsets and the text itself, and where it is
/// in the document as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TextSpan {
    pub start: u32,
    pub end: u32,
    pub quote: String,
    /// Code-point offsets in the decoded input (see [`SourceSpan`]), so a viewer of the
    /// original page or an annotation can be aligned with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Heading {
    pub level: u8,
    pub start: u32,
    pub title: String,
}

/// One kind of PI the policy declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclaredPi {
    pub category: PiCategory,
    /// The term as written (`设备标识符`, `IMEI`, `location`).
    pub term: String,
    pub span: TextSpan,
    /// The heading of the section it is declared in (the business function, when the policy
    /// is organised by function).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Emphasised (bold or highlighted) where declared: how sensitive PI is marked.
    #[serde(default)]
    pub marked: bool,
    /// Sensitive PI by the term (GB/T 35273 Annex B): `身份证号码` is, `姓名` is not, though
    /// both are identity.
    #[serde(default)]
    pub sensitive: bool,
    /// The purpose stated in the same sentence ("用于创建账号", "in order to …"), when there is
    /// one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NamedParty {
    /// The name as written.
    pub name: String,
    /// The SDK catalogue ids the name may mean (a brand such as `友盟` names several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdks: Vec<String>,
    pub span: TextSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResponseTime {
    /// `cancellation`, `complaint` or `request`.
    pub topic: String,
    /// Working days (`15个工作日`), or calendar days converted when the text says days.
    pub days: u32,
    /// The text counts working days.
    pub working_days: bool,
    pub span: TextSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Contact {
    /// `email`, `phone`, `address`.
    pub kind: String,
    pub value: String,
    pub span: TextSpan,
}
