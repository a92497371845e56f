//! mitmproxy flow files (`mitmdump -w`) → `network_request` events, read natively: binary
//! bodies survive (HAR would have to re-encode them) and no Python is needed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hegui_model::ScanError;

use super::tnetstring::{self, Value};
use crate::analyzer::{Analyzer, Origin};
use crate::event::{Event, Header, Request, Response, Src, Str};

/// Whether bytes start like a mitmproxy flow file: a tnetstring (`<len>:`) whose first key
/// is itself a tnetstring, with a flow's keys in sight.
pub fn looks_like_flows(head: &[u8]) -> bool {
    let prefix = |b: &[u8]| {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        ((1..=12).contains(&digits) && b.get(digits) == Some(&b':')).then_some(digits + 1)
    };
    let Some(first) = prefix(head) else {
        return false;
    };
    let has = |k: &[u8]| memchr::memmem::find(head, k).is_some();
    prefix(&head[first..]).is_some()
        && has(b"7:version;")
        && (has(b"7:request;") || has(b"11:client_conn;"))
}

pub fn read_flows(analyzer: &mut Analyzer<'_>, name: &str, data: &[u8]) -> Result<(), ScanError> {
    analyzer.begin_source(name, Some("mitmproxy"));
    let mut rest = data;
    let mut index = 0u64;
    while !rest.trim_ascii_start().is_empty() {
        let origin = Origin {
            file: name,
            index,
            unit: "flows",
        };
        let (flow, after) = tnetstring::parse(rest).map_err(|e| {
            ScanError::new("mitm-malformed", format!("flow {index}: {e}"), Some(name))
        })?;
        rest = after;
        index += 1;
        if flow.get("type").and_then(Value::text).as_deref() != Some("http") {
            continue;
        }
        match event(&flow) {
            Some(ev) => {
                let _ = analyzer.feed(&ev, origin);
            }
            None => analyzer.error("mitm-bad-flow", "an http flow without a request", origin),
        }
    }
    Ok(())
}

fn event(flow: &Value) -> Option<Event<'static>> {
    let req = flow.get("request")?;
    let text = |k: &str| req.get(k).and_then(Value::text);
    let headers: Vec<Header<'static>> = req
        .get("headers")
        .map(Value::list)
        .unwrap_or_default()
        .iter()
        .filter_map(|pair| match pair.list() {
            [n, v] => Some(Header {
                n: Str::from(n.text()?),
                v: Str::from(v.text()?),
            }),
            _ => None,
        })
        .collect();
    // In reverse-proxy and transparent modes `host` is the upstream address; the name the
    // client asked for is the authority or the Host header (mitmproxy's `pretty_host`).
    let header_host = headers
        .iter()
        .find(|h| h.n.eq_ignore_ascii_case("host"))
        .map(|h| h.v.to_string());
    let host_port = text("authority")
        .filter(|a| !a.is_empty())
        .or(header_host)
        .or_else(|| text("host"))?;
    let host = host_port
        .rsplit_once(':')
        .filter(|(_, p)| p.bytes().all(|c| c.is_ascii_digit()))
        .map_or(host_port.as_str(), |(h, _)| h)
        .to_string();
    let scheme = text("scheme").unwrap_or_else(|| "http".into());
    let path = text("path").unwrap_or_else(|| "/".into());
    let port = req.get("port").and_then(Value::number).map(|p| p as u32);
    let url = format!("{scheme}://{host_port}{path}");
    let body = req
        .get("content")
        .and_then(Value::bytes)
        .filter(|b| !b.is_empty());
    let (body_text, body_b64) = match body.map(std::str::from_utf8) {
        Some(Ok(t)) => (Some(Str::from(t.to_string())), None),
        Some(Err(_)) => (None, body.map(|b| Str::from(STANDARD.encode(b)))),
        None => (None, None),
    };
    let started = req
        .get("timestamp_start")
        .and_then(Value::number)
        .map(|s| crate::time::format_ms((s * 1000.0) as i64, 0));
    Some(Event {
        v: Some(1),
        kind: Some(Str::from("network_request")),
        ts: started.map(Str::from),
        src: Some(Src {
            tool: Str::from("mitmproxy"),
            layer: Some(Str::from("proxy")),
            import_of: Some(Str::from("mitmproxy")),
            ..Default::default()
        }),
        flow_id: flow.get("id").and_then(Value::text).map(Str::from),
        method: text("method").map(Str::from),
        url: Some(Str::from(url)),
        host: Some(Str::from(host)),
        port,
        scheme: Some(Str::from(scheme)),
        capture: Some(Str::from("mitmproxy")),
        req: Some(Request {
            body_size: body.map(|b| b.len() as u64),
            headers,
            body_text,
            body_b64,
            ..Default::default()
        }),
        resp: flow.get("response").map(|r| Response {
            status: r
                .get("status_code")
                .and_then(Value::number)
                .map(|s| s as u32),
        }),
        ..Default::default()
    })
}
