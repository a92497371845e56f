//! HAR 1.2 (browser devtools, mitmproxy's `hardump`, Charles) → `network_request` events.
//!
//! The file is streamed: `log.entries` is visited one entry at a time, so a capture of any
//! size costs the memory of its largest entry. An entry that does not have HAR's shape is
//! reported and skipped; the rest of the capture is still read. HAR has no process, stack or
//! run: the party comes from the host (catalogue domains) and the run from the time.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::analyzer::{Analyzer, Origin};
use crate::event::{Event, Header, Request, Response, Src, Str};
use hegui_model::ScanError;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    started_date_time: Option<String>,
    request: HarRequest,
    #[serde(default)]
    response: Option<HarResponse>,
    #[serde(default, rename = "serverIPAddress")]
    server_ip: Option<String>,
    #[serde(default, rename = "_webSocketMessages")]
    websocket: Vec<WsMessage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarRequest {
    method: String,
    url: String,
    #[serde(default)]
    http_version: Option<String>,
    #[serde(default)]
    headers: Vec<NameValue>,
    #[serde(default)]
    post_data: Option<PostData>,
}

#[derive(Deserialize)]
struct NameValue {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostData {
    #[serde(default)]
    mime_type: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct HarResponse {
    #[serde(default)]
    status: Option<i64>,
}

#[derive(Deserialize)]
struct WsMessage {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    data: String,
}

/// Whether bytes look like a HAR file: a JSON object whose first key is `log`.
pub fn looks_like_har(head: &[u8]) -> bool {
    let s = head.trim_ascii_start();
    let s = s.strip_prefix(b"\xef\xbb\xbf").unwrap_or(s);
    s.first() == Some(&b'{') && s[1..].trim_ascii_start().starts_with(b"\"log\"")
}

/// Read a HAR file into the analyser.
pub fn read_har<R: Read>(
    analyzer: &mut Analyzer<'_>,
    name: &str,
    reader: R,
) -> Result<(), ScanError> {
    analyzer.begin_source(name, Some("har"));
    let mut index = 0u64;
    let mut on_entry = |value: serde_json::Value| {
        let origin = Origin {
            file: name,
            index,
            unit: "entries",
        };
        index += 1;
        match serde_json::from_value::<Entry>(value) {
            Ok(entry) => {
                for ev in events(&entry) {
                    // HAR events carry no seq, so a capture can never be out of order.
                    let _ = analyzer.feed(&ev, origin);
                }
            }
            Err(e) => analyzer.error("har-bad-entry", e.to_string(), origin),
        }
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let found = HarRoot(&mut on_entry)
        .deserialize(&mut de)
        .map_err(|e| ScanError::new("har-malformed", e.to_string(), Some(name)))?;
    if !found {
        return Err(ScanError::new(
            "har-malformed",
            "no log.entries: not a HAR file",
            Some(name),
        ));
    }
    Ok(())
}

fn events(e: &Entry) -> Vec<Event<'static>> {
    let req = &e.request;
    let parts = crate::url::split(&req.url);
    let headers: Vec<Header<'static>> = req
        .headers
        .iter()
        .map(|h| Header {
            n: Str::from(h.name.clone()),
            v: Str::from(h.value.clone()),
        })
        .collect();
    let post = req.post_data.as_ref();
    let base64_body = post.is_some_and(|p| p.encoding.as_deref() == Some("base64"));
    let text = post.and_then(|p| p.text.clone());
    let request = Request {
        headers,
        body_size: text.as_ref().map(|t| t.len() as u64),
        body_b64: if base64_body {
            text.clone().map(Str::from)
        } else {
            None
        },
        body_text: if base64_body {
            None
        } else {
            text.map(Str::from)
        },
        content_type: post.and_then(|p| p.mime_type.clone()).map(Str::from),
        ..Default::default()
    };
    let base = Event {
        v: Some(1),
        kind: Some(Str::from("network_request")),
        ts: e.started_date_time.clone().map(Str::from),
        src: Some(Src {
            tool: Str::from("har"),
            layer: Some(Str::from("import")),
            import_of: Some(Str::from("har")),
            ..Default::default()
        }),
        method: Some(Str::from(req.method.clone())),
        url: Some(Str::from(req.url.clone())),
        host: Some(Str::from(parts.host.to_string())),
        scheme: Some(Str::from(parts.scheme.to_string())),
        server_ip: e.server_ip.clone().map(Str::from),
        capture: Some(Str::from("har")),
        resp: e.response.as_ref().map(|r| Response {
            status: r.status.and_then(|s| u32::try_from(s).ok()),
        }),
        flow_id: req.http_version.clone().map(|_| Str::from("har")),
        req: Some(request),
        ..Default::default()
    };
    let mut out = vec![base.clone()];
    // Messages the client sent over a WebSocket are requests too.
    for m in e.websocket.iter().filter(|m| m.kind == "send") {
        let mut ev = base.clone();
        ev.method = Some(Str::from("WS"));
        ev.req = Some(Request {
            body_text: Some(Str::from(m.data.clone())),
            ..Default::default()
        });
        out.push(ev);
    }
    out
}

/// `{ "log": { "entries": [ … ] } }`, visited without building the document.
struct HarRoot<'f, F>(&'f mut F);
struct HarLog<'f, F>(&'f mut F);
struct Entries<'f, F>(&'f mut F);

impl<'de, F: FnMut(serde_json::Value)> DeserializeSeed<'de> for HarRoot<'_, F> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(serde_json::Value)> Visitor<'de> for HarRoot<'_, F> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<bool, M::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            if &*key == "log" {
                found |= map.next_value_seed(HarLog(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

impl<'de, F: FnMut(serde_json::Value)> DeserializeSeed<'de> for HarLog<'_, F> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(serde_json::Value)> Visitor<'de> for HarLog<'_, F> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR log object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<bool, M::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            if &*key == "entries" {
                map.next_value_seed(Entries(&mut *self.0))?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

impl<'de, F: FnMut(serde_json::Value)> DeserializeSeed<'de> for Entries<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(serde_json::Value)> Visitor<'de> for Entries<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR entries array")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(entry) = seq.next_element::<serde_json::Value>()? {
            (self.0)(entry);
        }
        Ok(())
    }
}
