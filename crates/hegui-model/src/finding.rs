//! Findings: what a rule concluded, with the evidence and the party responsible.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Localized;

/// How serious a finding is. Ordered: `Info < Low < Medium < High < Critical`.
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
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: &'static [Severity] = &[
        Self::Info,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.id().eq_ignore_ascii_case(s))
    }

    pub fn label(self) -> Localized {
        let (zh, en) = match self {
            Self::Info => ("提示", "info"),
            Self::Low => ("低", "low"),
            Self::Medium => ("中", "medium"),
            Self::High => ("高", "high"),
            Self::Critical => ("严重", "critical"),
        };
        Localized::new(zh, en)
    }
}

/// Who is responsible for the behaviour a finding describes.
///
/// Serialised as a string: `app`, `sdk:<id>` or `unknown`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Party {
    App,
    Sdk(String),
    #[default]
    Unknown,
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::App => f.write_str("app"),
            Self::Sdk(id) => write!(f, "sdk:{id}"),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

impl Party {
    pub fn parse(s: &str) -> Self {
        match s {
            "app" => Self::App,
            _ => match s.strip_prefix("sdk:") {
                Some(id) => Self::Sdk(id.to_string()),
                None => Self::Unknown,
            },
        }
    }
}

impl Serialize for Party {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Party {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

impl schemars::JsonSchema for Party {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Party".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(app|unknown|sdk:.+)$",
            "description": "Responsible party: `app`, `sdk:<id>` or `unknown`."
        })
    }
}

/// Where a finding was observed, precise enough to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// An element of AndroidManifest.xml.
    Manifest {
        /// Element path, e.g. `manifest/uses-permission` or `application/receiver`.
        element: String,
        /// The `android:name` (or other identifying value) of that element.
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A location in code: DEX file, class, method and instruction offset.
    Code {
        file: String,
        class: String,
        method: String,
        offset: u32,
        /// What is referenced there (API, field or string).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api: Option<String>,
    },
    /// A file inside the package.
    Entry {
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A line in a text file of the app (mini-program script, template or configuration).
    Line {
        /// The module path (the original path of a module bundled in a package).
        file: String,
        /// 1-based line and column.
        line: u32,
        col: u32,
        /// What is there (API, URL, masked value).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A span of a privacy-policy text: code-point offsets into the normalised text.
    Span {
        /// The policy file (or the package entry it came from).
        file: String,
        start: u32,
        end: u32,
        quote: String,
    },
    /// Events of a runtime trace: the file, and the `seq` numbers of the events in order.
    Trace {
        file: String,
        seqs: Vec<u64>,
        /// What the events show (`umeng read device_id.android_id before consent`).
        detail: String,
    },
    /// A request in a network capture.
    Request {
        /// The trace line or HAR entry it came from (`capture.har#entries[3]`).
        origin: String,
        method: String,
        /// Scheme, host and path; never the query (it can carry the very PI reported).
        url: String,
        detail: String,
    },
    /// A field of a store listing.
    Listing {
        /// The feed line it came from (`feed.jsonl:12`).
        source: String,
        store: String,
        /// `permissions`, `pi`, `developer`, `licence_id`, …
        field: String,
        /// The listed value, or none when the field is missing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// A free-form observation that has no better location.
    Note { text: String },
}

impl Evidence {
    /// A short, stable, version-independent key for fingerprints: no offsets, no file names
    /// that shift between builds (classes2.dex vs classes3.dex).
    pub fn stable_key(&self) -> String {
        match self {
            Self::Manifest { element, name, .. } => format!("manifest:{element}:{name}"),
            Self::Code {
                class, method, api, ..
            } => {
                format!("code:{class}->{method}:{}", api.as_deref().unwrap_or(""))
            }
            Self::Entry { path, .. } => format!("entry:{path}"),
            // Lines move between builds; the file and what is there do not.
            Self::Line { file, detail, .. } => {
                format!("line:{file}:{}", detail.as_deref().unwrap_or(""))
            }
            // The quote, not its offsets: a policy edited elsewhere keeps the finding.
            Self::Span { quote, .. } => format!("span:{quote}"),
            // Sequence numbers and origins differ run to run; what happened does not.
            Self::Trace { detail, .. } => format!("trace:{detail}"),
            Self::Request { method, url, .. } => format!("request:{method} {url}"),
            // The store and field, not the feed line: feeds are re-sent in another order.
            Self::Listing {
                store,
                field,
                value,
                ..
            } => format!("listing:{store}:{field}:{}", value.as_deref().unwrap_or("")),
            Self::Note { text } => format!("note:{text}"),
        }
    }
}

/// How sure a rule is that the finding is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// One conclusion of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Rule code, e.g. `AND001`.
    pub code: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub title: Localized,
    pub message: Localized,
    pub party: Party,
    /// Catalogue ids of the clauses this finding cites (`MIIT164-05`, `AM-3.1`, `PIPL-17`, …).
    pub cites: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub remediation: Localized,
    /// Stable across app versions: rule + party + normalised location. A repeat in a new
    /// version of an app has the same fingerprint.
    pub fingerprint: String,
    /// The PI category the finding is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pi: Option<crate::PiCategory>,
    /// A static finding that a runtime trace confirms: the trace events (`seq`) showing it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmed_by: Vec<u64>,
}

/// A catalogue clause the scan could not check, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotAssessed {
    pub cite: String,
    pub reason: Localized,
}
