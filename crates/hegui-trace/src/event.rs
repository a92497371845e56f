//! One line of a `hegui-trace/1` trace, read without copying.
//!
//! The event is one flat struct: the envelope plus every payload field of every type, each
//! optional. That keeps serde on its fast path (no internally tagged enums, no `flatten`,
//! which buffer the whole object), borrows every string that has no escapes, and skips the
//! fields no rule reads (`args`, `ret.summary`, `buttons`) without building them. Importers
//! build the same struct with owned strings, so one analyser serves all sources.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

type Str<'a> = Cow<'a, str>;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Event<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(rename = "type", borrow, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub ts: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_mono_ns: Option<u64>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub ts_precision: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tid: Option<i64>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub process: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub thread: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fg: Option<bool>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub src: Option<Src<'a>>,

    // trace_start
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub app: Option<TraceApp<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixtures: Option<BTreeMap<String, FixtureValue>>,

    // process_start, app_start, consent, ipc_start, process_exit, trace_end
    /// `app_start.kind`, `consent_shown.kind`, `ipc_start.kind` (the envelope's `type` is
    /// [`Event::kind`]).
    #[serde(rename = "kind", borrow, skip_serializing_if = "Option::is_none")]
    pub kind_of: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub dialog_id: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preticked_checkbox: Option<bool>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub detect: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,

    // permission_request / permission_result
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Str<'a>>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<PermissionResult<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale_shown: Option<bool>,

    // api_call (also `api` as a string on permission_request)
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub api: Option<Api<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub category: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub ret: Option<Ret<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub stack: Option<Vec<Frame<'a>>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_ms: Option<u64>,

    // ipc_start / process_exit / ui_action
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub target_package: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub component: Option<Str<'a>>,
    /// `ipc_start.action` (an intent action) or `ui_action.action` (`tap`).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub action: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub how: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub by: Option<Str<'a>>,

    // network_request
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub method: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub url: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub host: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<Str<'a>>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub req: Option<Request<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resp: Option<Response>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub capture: Option<Str<'a>>,

    // trace_end
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_dropped: Option<u64>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Str<'a>>,
}

/// The producer of an event.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Src<'a> {
    #[serde(borrow)]
    pub tool: Str<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub import_of: Option<Str<'a>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TraceApp<'a> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub version_name: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Str<'a>>,
}

/// A test-device value for traffic matching: producers write strings, sometimes numbers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum FixtureValue {
    Text(String),
    Number(serde_json::Number),
    Other(serde_json::Value),
}

impl FixtureValue {
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s.clone()),
            Self::Number(n) => Some(n.to_string()),
            Self::Other(_) => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PermissionResult<'a> {
    #[serde(borrow)]
    pub permission: Str<'a>,
    pub granted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_ask_again: Option<bool>,
}

/// `api_call.api` is `{cls, method, sig?}`; `permission_request.api` is a string
/// (`android.app.Activity#requestPermissions`). Both are read into this.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Api<'a> {
    pub cls: Str<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub method: Str<'a>,
}

impl<'a> Api<'a> {
    pub fn name(&self) -> String {
        if self.method.is_empty() {
            self.cls.to_string()
        } else {
            format!("{}#{}", self.cls, self.method)
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Api<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ApiVisitor;
        impl<'de> Visitor<'de> for ApiVisitor {
            type Value = Api<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an API object {cls, method} or a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Api {
                    cls: Cow::Borrowed(v),
                    method: Cow::Borrowed(""),
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Api {
                    cls: Cow::Owned(v.to_string()),
                    method: Cow::Borrowed(""),
                })
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut api = Api::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "cls" => api.cls = map.next_value::<BorrowedStr<'de>>()?.0,
                        "method" => api.method = map.next_value::<BorrowedStr<'de>>()?.0,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(api)
            }
        }
        d.deserialize_any(ApiVisitor)
    }
}

/// A string that borrows from the input when it can.
struct BorrowedStr<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for BorrowedStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wrap<'a>(#[serde(borrow)] Cow<'a, str>);
        Wrap::deserialize(d).map(|w| BorrowedStr(w.0))
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Ret<'a> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub value_sha256: Option<Str<'a>>,
}

/// A stack frame, innermost first.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Frame<'a> {
    #[serde(borrow)]
    pub cls: Str<'a>,
    #[serde(borrow, default)]
    pub method: Str<'a>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<bool>,
}

/// A producer's (or an exporting tool's) own view of who made a call: kept as evidence
/// for imports, recomputed from the stack when there is one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Attribution<'a> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub party: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub sdk_id: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub sdk_name: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Str<'a>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub n: Str<'a>,
    #[serde(borrow)]
    pub v: Str<'a>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Request<'a> {
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<Header<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size: Option<u64>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub body_b64: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<Str<'a>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
}

impl Event<'_> {
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }

    /// Why this line is not a usable event, if it is not. Unknown types are usable (kept and
    /// ignored), a missing envelope field is not.
    pub fn problem(&self) -> Option<String> {
        let missing = [
            ("v", self.v.is_none()),
            ("seq", self.seq.is_none()),
            ("type", self.kind.is_none()),
            ("ts", self.ts.is_none()),
            ("run_id", self.run_id.is_none()),
            ("src", self.src.is_none()),
        ];
        if let Some((name, _)) = missing.iter().find(|(_, m)| *m) {
            return Some(format!("missing envelope field `{name}`"));
        }
        if self.v != Some(1) {
            return Some(format!(
                "schema major version {} (this reader knows 1)",
                self.v.unwrap_or(0)
            ));
        }
        let need: &[(&str, bool)] = match self.kind() {
            "api_call" => &[
                ("api", self.api.is_none()),
                ("category", self.category.is_none()),
            ],
            "permission_request" => &[("permissions", self.permissions.is_none())],
            "permission_result" => &[("results", self.results.is_none())],
            "ipc_start" => &[("target_package", self.target_package.is_none())],
            "network_request" => &[("url", self.url.is_none())],
            _ => &[],
        };
        need.iter()
            .find(|(_, m)| *m)
            .map(|(name, _)| format!("{} without `{name}`", self.kind()))
    }
}

/// One JSON line (no newline).
pub fn to_json_line(event: &Event<'_>) -> String {
    serde_json::to_string(event).unwrap_or_default()
}

/// An event as `hegui trace import` writes it: numbered `seq`, a run id for captures that
/// have none, and test-device values redacted (they never leave the machine).
pub fn export_line(event: &Event<'_>, seq: u64) -> String {
    let mut ev = event.clone();
    ev.v = Some(1);
    ev.seq = Some(seq);
    if ev.run_id.is_none() {
        ev.run_id = Some(Cow::Borrowed("capture"));
    }
    if let Some(f) = &mut ev.fixtures {
        for v in f.values_mut() {
            *v = FixtureValue::Text("<redacted-on-export>".into());
        }
    }
    to_json_line(&ev)
}
