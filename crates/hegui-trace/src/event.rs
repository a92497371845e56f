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

/// A string of an event: borrowed from the line when it has no escapes, owned otherwise.
///
/// serde borrows a bare `Cow<str>` only with `#[serde(borrow)]` and never inside an
/// `Option`, which would allocate every string of every event; this type always asks for a
/// borrowed string first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Str<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(s: &'a str) -> Self {
        Str(Cow::Borrowed(s))
    }
}

impl Serialize for Str<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Event<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_mono_ns: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_precision: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fg: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<Src<'a>>,

    // trace_start
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<TraceApp<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixtures: Option<BTreeMap<String, FixtureValue>>,

    // process_start, app_start, consent, ipc_start, process_exit, trace_end
    /// `app_start.kind`, `consent_shown.kind`, `ipc_start.kind` (the envelope's `type` is
    /// [`Event::kind`]).
    #[serde(rename = "kind", skip_serializing_if = "Option::is_none")]
    pub kind_of: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialog_id: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preticked_checkbox: Option<bool>,
    /// `consent_shown.buttons`: what the dialog offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<ConsentButton>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detect: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,

    // permission_request / permission_result
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Str<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<PermissionResult<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale_shown: Option<bool>,

    // api_call (also `api` as a string on permission_request)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<Api<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ret: Option<Ret<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<Stack<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_ms: Option<u64>,

    // ipc_start / process_exit / ui_action
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_package: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<Str<'a>>,
    /// `ipc_start.action` (an intent action) or `ui_action.action` (`tap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Str<'a>>,
    /// `ui_action.target`: the element acted on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<UiElement>,

    // ui_snapshot
    /// The activity or page shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<UiElement>>,
    /// A reference to a screenshot kept elsewhere (an object key or file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<Str<'a>>,
    /// A `uiautomator dump` as the device wrote it, in place of `elements`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<Str<'a>>,

    // network_request
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<Str<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub req: Option<Request<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resp: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture: Option<Str<'a>>,

    // trace_end
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_dropped: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Str<'a>>,
}

/// A button of a consent dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ConsentButton {
    #[serde(default)]
    pub label: String,
    /// `accept`, `reject`, `more`, `close`.
    #[serde(default)]
    pub role: String,
}

/// One element of a screen (`ui_snapshot.elements`, `ui_action.target`), as Android's
/// accessibility tree (and `uiautomator dump`) describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct UiElement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_desc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clickable: Option<bool>,
    /// `[left,top][right,bottom]` in screen pixels, as `uiautomator dump` writes it (an
    /// array `[l,t,r,b]` is read into that form).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounds_text"
    )]
    pub bounds: Option<String>,
}

/// Bounds given as text, or as an array of four numbers.
fn bounds_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Bounds {
        Text(String),
        Numbers(Vec<i64>),
    }
    Ok(match Option::<Bounds>::deserialize(d)? {
        None => None,
        Some(Bounds::Text(t)) => Some(t),
        Some(Bounds::Numbers(n)) => match n.as_slice() {
            [l, t, r, b] => Some(format!("[{l},{t}][{r},{b}]")),
            _ => None,
        },
    })
}

impl UiElement {
    /// What the element says: its text, else its content description.
    pub fn label(&self) -> &str {
        [&self.text, &self.content_desc]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// `bounds` as (left, top, right, bottom).
    pub fn rect(&self) -> Option<(i64, i64, i64, i64)> {
        let b = self.bounds.as_deref()?;
        let nums: Vec<i64> = b
            .split(|c: char| !(c.is_ascii_digit() || c == '-'))
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        match nums.as_slice() {
            [l, t, r, b] => Some((*l, *t, *r, *b)),
            _ => None,
        }
    }
}

/// The producer of an event.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Src<'a> {
    pub tool: Str<'a>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_of: Option<Str<'a>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct TraceApp<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_name: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[serde(bound(deserialize = "'de: 'a"))]
pub struct PermissionResult<'a> {
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
    #[serde(skip_serializing_if = "is_empty")]
    pub method: Str<'a>,
}

fn is_empty(s: &Str<'_>) -> bool {
    s.is_empty()
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
                    cls: Str::from(v),
                    method: Str::default(),
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Api {
                    cls: Str::from(v.to_string()),
                    method: Str::default(),
                })
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut api = Api::default();
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    match &*key {
                        "cls" => api.cls = map.next_value::<Str<'de>>()?,
                        "method" => api.method = map.next_value::<Str<'de>>()?,
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Ret<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_sha256: Option<Str<'a>>,
}

/// A call stack, innermost frame first. Read lazily: the JSON text is kept and parsed only
/// when the attribution cache has not seen that exact text, since traces repeat the same few
/// stacks millions of times.
#[derive(Debug, Clone)]
pub enum Stack<'a> {
    /// The JSON array as written (serde_json's raw value, or the fast reader's slice).
    Raw(Cow<'a, str>),
    Frames(Vec<Frame<'a>>),
}

impl Default for Stack<'_> {
    fn default() -> Self {
        Stack::Frames(Vec::new())
    }
}

impl<'a> Stack<'a> {
    pub fn is_empty(&self) -> bool {
        match self {
            Stack::Raw(r) => r.trim_start_matches('[').trim_start().starts_with(']'),
            Stack::Frames(f) => f.is_empty(),
        }
    }

    /// The frames, parsed if need be.
    pub fn frames(&self) -> Result<Cow<'_, [Frame<'_>]>, String> {
        match self {
            Stack::Raw(r) => serde_json::from_str::<Vec<Frame<'_>>>(r)
                .map(Cow::Owned)
                .map_err(|e| format!("stack: {e}")),
            Stack::Frames(f) => Ok(Cow::Borrowed(f.as_slice())),
        }
    }

    /// Hash of what identifies the stack (its text, or its frames' classes and methods).
    pub fn hash_into<H: std::hash::Hasher>(&self, h: &mut H) {
        use std::hash::Hash;
        match self {
            Stack::Raw(r) => r.hash(h),
            Stack::Frames(f) => {
                for frame in f {
                    frame.cls.hash(h);
                    frame.method.hash(h);
                }
            }
        }
    }
}

impl From<Vec<Frame<'static>>> for Stack<'static> {
    fn from(f: Vec<Frame<'static>>) -> Self {
        Stack::Frames(f)
    }
}

impl Serialize for Stack<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.frames() {
            Ok(f) => f.serialize(s),
            Err(_) => s.collect_seq(std::iter::empty::<Frame<'_>>()),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Stack<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // serde_json hands the array over as its text (no escapes to undo in a raw value).
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('[') {
            Ok(Stack::Raw(Cow::Borrowed(text)))
        } else {
            Err(de::Error::invalid_type(
                de::Unexpected::Other(text.get(..40).unwrap_or(text)),
                &"a sequence of stack frames",
            ))
        }
    }
}

/// A stack frame, innermost first.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Frame<'a> {
    pub cls: Str<'a>,
    #[serde(default)]
    pub method: Str<'a>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<bool>,
}

/// A producer's (or an exporting tool's) own view of who made a call: kept as evidence
/// for imports, recomputed from the stack when there is one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Attribution<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_id: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_name: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Str<'a>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Header<'a> {
    pub n: Str<'a>,
    pub v: Str<'a>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub struct Request<'a> {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<Header<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_b64: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// The fast path alone (`None`: it gave up). For the differential fuzz target.
pub fn fast_parse(line: &[u8]) -> Option<Event<'_>> {
    crate::fast::parse(line)
}

/// Parse one line into an event (stacks stay raw until attribution needs them).
pub fn parse_line(line: &[u8]) -> Result<Event<'_>, String> {
    if let Some(ev) = crate::fast::parse(line) {
        return Ok(ev);
    }
    serde_json::from_slice::<Event<'_>>(line).map_err(|e| e.to_string())
}

/// [`parse_line`] for the lines of one file, one after another, handing the event to `use_it`
/// where it was built (an event is large; moving it costs more than reading most fields). The
/// parser remembers values it has validated (see [`crate::fast::LineParser`]).
pub fn parse_line_with<R>(
    parser: &mut crate::fast::LineParser,
    line: &[u8],
    use_it: impl FnOnce(&Event<'_>) -> R,
) -> Result<R, String> {
    let mut ev = Event::default();
    if parser.parse_into(line, &mut ev) {
        return Ok(use_it(&ev));
    }
    match serde_json::from_slice::<Event<'_>>(line) {
        Ok(ev) => Ok(use_it(&ev)),
        Err(e) => Err(e.to_string()),
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
        ev.run_id = Some(Str::from("capture"));
    }
    if let Some(f) = &mut ev.fixtures {
        for v in f.values_mut() {
            *v = FixtureValue::Text("<redacted-on-export>".into());
        }
    }
    to_json_line(&ev)
}
