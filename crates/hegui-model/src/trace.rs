//! Facts from runtime traces (`hegui-trace/1`) and network captures.
//!
//! Everything here is recomputed by hegui from the events: consent windows, foreground and
//! background, rates, attribution. A producer's own flags (`fg`, `consent_state`,
//! `attribution`) are never trusted. Raw PI values never appear: traffic hits name the kind
//! of value and the form it was in, not the value.

use serde::{Deserialize, Serialize};

use crate::{Party, PiCategory};

/// A trace event: its sequence number and its time (ms since the Unix epoch, device clock,
/// monotonic-corrected within a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeqTime {
    pub seq: u64,
    pub t_ms: i64,
}

/// Where a moment of a run stands with respect to the privacy notice.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPhase {
    /// Before the user accepted the policy (or with no notice at all).
    BeforeConsent,
    AfterConsent,
    /// After the user rejected the policy.
    AfterRejection,
    /// A capture with no trace around it: consent cannot be judged.
    Unknown,
}

/// Foreground or background, from lifecycle events.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AppState {
    Foreground,
    Background,
    /// No lifecycle event yet.
    Unknown,
}

/// Everything a trace (plus captures) showed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TraceFacts {
    /// The files read (trace, HAR, exports), in order.
    pub sources: Vec<String>,
    /// The app the trace is of (`trace_start.app.package`), when said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Which test-device values were given for traffic matching (`imei`, `oaid`, …); never
    /// the values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixture_kinds: Vec<String>,
    /// Events read, and lines skipped as malformed.
    pub events: u64,
    pub malformed: u64,
    /// Events the producer said it dropped, plus gaps in `seq`.
    pub dropped: u64,
    /// Events per type.
    pub event_types: std::collections::BTreeMap<String, u64>,
    /// Which tools' exports were imported (`har`, `camille`, `privacysentry`, `mitmproxy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<String>,
    pub runs: Vec<TraceRun>,
    /// Collection, aggregated per run, category, party, consent phase and app state.
    pub collections: Vec<Collection>,
    /// The highest collection rate seen per category, party and app state.
    pub rate_peaks: Vec<RatePeak>,
    pub permissions: Vec<PermissionEvent>,
    pub exits: Vec<ProcessExit>,
    /// Starts of the app not caused by the user.
    pub self_starts: Vec<SelfStart>,
    /// Starts of other apps' components.
    pub ipc_starts: Vec<IpcStart>,
    /// Downloads, installs and app-store pages the app started, with the tap before each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downloads: Vec<DownloadStart>,
    /// Screens (`ui_snapshot`) that offer a reward next to a request for PI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reward_screens: Vec<RewardScreen>,
    /// PI requested right after a tap on a reward.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reward_requests: Vec<RewardRequest>,
    /// Dialogs asking about personalised ads or recommendations (`consent_shown` of kind
    /// `personalised_ads`), with what they offered and what the user answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personalisation_prompts: Vec<PersonalisationPrompt>,
    pub network: NetworkFacts,
    /// Set when a cap on kept detail was reached; counts stay exact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// One app launch sequence (cold start → kill).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TraceRun {
    pub run_id: String,
    pub start: SeqTime,
    pub end: SeqTime,
    /// The run began with consent already given in an earlier run of the trace.
    pub consent_inherited: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_shown: Option<SeqTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_accepted: Option<SeqTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_rejected: Option<SeqTime>,
    /// The notice came with its "agree" box ticked in advance.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preticked: bool,
    /// PI-collecting calls in the run.
    pub collected: u64,
    /// A thinned-out time line for the report: consent, lifecycle, collection, requests.
    pub marks: Vec<TimelineMark>,
}

/// One point of a run's time line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimelineMark {
    pub seq: u64,
    pub t_ms: i64,
    /// `consent_shown`, `consent_accepted`, `consent_rejected`, `foreground`, `background`,
    /// `collect`, `network`, `permission_request`, `permission_denied`, `exit`, `ipc_start`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<Party>,
    /// The trace category, the permission or the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Collection of one category by one party in one consent phase and app state of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Collection {
    pub run_id: String,
    /// Trace vocabulary: `device_id.imei`, `location.precise`, …
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pi: Option<PiCategory>,
    pub party: Party,
    pub phase: ConsentPhase,
    pub state: AppState,
    /// Calls (an aggregated event counts as its `count`).
    pub count: u64,
    pub first: SeqTime,
    pub last: SeqTime,
    /// A few event numbers to cite.
    pub seqs: Vec<u64>,
    /// The APIs called (`android.telephony.TelephonyManager#getImei`).
    pub apis: Vec<String>,
    /// The stack frame that decided the party (`com.umeng.x.Y#z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
    /// Every catalogued SDK seen on the stacks (wrappers call through each other).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdks_on_stack: Vec<String>,
    /// How the party was found: `stack`, `import` (the exporting tool said so), `none`.
    pub attributed_by: String,
    /// For calls nobody could be blamed for (only platform frames: an executor callback),
    /// the thread they ran on, which often names the SDK's pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
}

/// The busiest window of one category, party and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatePeak {
    pub category: String,
    pub party: Party,
    pub state: AppState,
    pub window_ms: u64,
    /// Calls inside the busiest window.
    pub peak: u64,
    pub run_id: String,
    /// The first and last event of that window.
    pub from: SeqTime,
    pub to: SeqTime,
}

/// A permission prompt or its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PermissionEvent {
    pub at: SeqTime,
    pub run_id: String,
    pub permission: String,
    /// `request`, `granted` or `denied`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub never_ask_again: bool,
    pub party: Party,
}

/// The app's process ending by its own hand (or crashing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProcessExit {
    pub at: SeqTime,
    pub run_id: String,
    /// `killProcess`, `System.exit`, `finishAffinity`, `crash`, `os`.
    pub how: String,
    pub party: Party,
}

/// A start of the app that the user did not cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SelfStart {
    pub at: SeqTime,
    pub run_id: String,
    /// `process_start` or `app_start`.
    pub event: String,
    /// The process start's reason (`broadcast`, `push`, …) or the app start's trigger.
    pub cause: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
}

/// The app (or an SDK in it) starting a component of another app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IpcStart {
    pub at: SeqTime,
    pub run_id: String,
    /// `activity`, `service`, `bind`, `broadcast`, `provider`.
    pub kind: String,
    pub target_package: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub party: Party,
    /// A user tap came just before it.
    pub user_initiated: bool,
}

/// An element the user tapped, named by the tap's own target or by the screen recorded
/// before it (`ui_snapshot`, matched by resource id or bounds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TappedElement {
    pub at: SeqTime,
    /// What the element says: its text, else its content description; empty if neither.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The screen (activity or page) it was on, when a snapshot says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
}

/// What a download-like event starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DownloadKind {
    /// `DownloadManager.enqueue`, or an `.apk` fetched.
    Download,
    /// The package installer opened, or a `PackageInstaller` session committed.
    Install,
    /// An app store's page opened (`market://`, a store's package).
    Store,
}

/// A download, install or store page the app started (notice 164 task 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DownloadStart {
    pub at: SeqTime,
    pub run_id: String,
    pub kind: DownloadKind,
    /// The API, URL (scheme, host and path) or package that shows it.
    pub what: String,
    /// The last tap within `download_after_tap_seconds` before it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tap: Option<TappedElement>,
}

/// A screen offering a reward next to a request for PI (notice 164 task 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RewardScreen {
    pub at: SeqTime,
    pub run_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
    /// The reward words found.
    pub rewards: Vec<String>,
    /// What the screen asks for.
    pub asks: Vec<crate::PiCategory>,
    /// The labels that hold them (at most 8).
    pub labels: Vec<String>,
    /// One label holds both the reward and the request ("实名认证领红包").
    pub together: bool,
}

/// PI requested right after a tap on a reward (notice 164 task 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RewardRequest {
    pub at: SeqTime,
    pub run_id: String,
    pub tap: TappedElement,
    /// The permission requested or the trace category collected.
    pub request: String,
    pub pi: crate::PiCategory,
}

/// A dialog about personalised ads or recommendations (notice 164 task 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PersonalisationPrompt {
    pub at: SeqTime,
    pub run_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_id: Option<String>,
    /// The buttons' labels, in order.
    pub buttons: Vec<String>,
    /// A button with role `reject` or `close` was offered.
    pub can_refuse: bool,
    /// `accepted` or `rejected` when the trace records the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// What the captured traffic showed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkFacts {
    pub requests: u64,
    /// Requests per host.
    pub hosts: Vec<HostSummary>,
    /// Requests that carried PI.
    pub pi_flows: Vec<PiFlow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HostSummary {
    pub host: String,
    pub requests: u64,
    pub cleartext: u64,
    /// The SDK whose servers these are (catalogue domains), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// One request that carried personal information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PiFlow {
    pub at: SeqTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Where it came from: the trace file and line, or the HAR entry.
    pub origin: String,
    pub method: String,
    pub scheme: String,
    pub host: String,
    /// The path, without query or fragment.
    pub path: String,
    /// Loopback or private network.
    pub local: bool,
    /// The SDK whose servers received it (catalogue domains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Who sent it, when the capture has a stack (SSL hooks).
    pub party: Party,
    pub phase: ConsentPhase,
    pub hits: Vec<PiHit>,
}

/// A personal value found in a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PiHit {
    /// In the trace vocabulary where it has a name (`device_id.imei`, `device_id.oaid`,
    /// `phone_number`, `location.precise`, …), else `resident_id`.
    pub kind: String,
    /// `plain`, `url`, `base64`, `hex`, `md5`, `sha1`, `sha256`.
    pub form: String,
    /// `url`, `header:<name>` or `body`.
    pub place: String,
    /// A test-device value (certain) rather than a pattern (likely).
    pub fixture: bool,
}
