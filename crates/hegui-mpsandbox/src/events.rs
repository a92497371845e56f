//! The sandbox's records as a `hegui-trace/1` run.

use hegui_model::{MiniProgramCall, MiniProgramRun};
use serde::Deserialize;
use serde_json::{Value, json};

/// `src.tool` of the runs the sandbox writes.
pub const TOOL: &str = "hegui-mp-sandbox";
/// Calls listed in the run summary (the trace holds them all).
const MAX_LISTED_CALLS: usize = 200;

/// One record from the prelude.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Record {
    pub kind: String,
    pub ns: String,
    pub name: String,
    pub t: f64,
    pub page: String,
    pub phase: String,
    pub file: String,
    pub line: u32,
    pub args: Vec<String>,
    pub url: Option<String>,
    pub method: Option<String>,
    pub data: Option<String>,
    /// The platform refused the call (a privacy interface after the user refused).
    pub denied: bool,
}

/// The trace vocabulary's category for a catalogue category (`location_precise` →
/// `location.precise`); categories with no counterpart there are not collection events.
fn trace_category(catalogue: &str) -> Option<&'static str> {
    Some(match catalogue {
        "location_precise" | "location_background" => "location.precise",
        "location_coarse" | "location_city" => "location.coarse",
        "phone_number" => "phone_number",
        "contacts_read" => "contacts",
        "clipboard_read" => "clipboard.read",
        "camera" | "camera_scan" | "microphone_camera" => "camera",
        "microphone" => "microphone",
        "biometric_face" | "biometric_local" => "biometric",
        "photos_videos" | "media" => "media.photos",
        "calendar" => "calendar",
        "sensors" | "motion_sensor" => "sensor.motion",
        "wifi" => "network.ssid",
        "bluetooth" | "beacon" => "location.bt_scan",
        _ => return None,
    })
}

/// The trace category of a recorded call, if it collects PI.
pub fn category_of(record: &Record) -> Option<&'static str> {
    let api = hegui_knowledge::miniprogram_apis().get(&record.name)?;
    trace_category(&api.category)
}

/// Wall-clock time of a virtual instant: the run starts at a fixed moment.
fn ts(ms: f64) -> String {
    let total = if ms.is_finite() && ms > 0.0 {
        (ms as u64).min(86_399_999 - 36_000_000)
    } else {
        0
    };
    let at = 36_000_000 + total; // 10:00:00.000
    format!(
        "2026-01-01T{:02}:{:02}:{:02}.{:03}+08:00",
        at / 3_600_000,
        at / 60_000 % 60,
        at / 1000 % 60,
        at % 1000
    )
}

/// Argument summaries keep their shape, not long numbers (phone, ID, card numbers): runs of
/// seven or more digits keep their first three and last two.
fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run >= 7 {
            out.extend(&chars[i..i + 3]);
            out.extend(std::iter::repeat_n('*', run - 5));
            out.extend(&chars[i + run - 2..i + run]);
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn site(r: &Record) -> String {
    if r.file.is_empty() {
        String::new()
    } else {
        format!("{}:{}", r.file, r.line)
    }
}

fn host_of(url: &str) -> (String, String, u32) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty() => {
            (h.to_string(), p.parse().unwrap_or(0))
        }
        _ => (
            authority.to_string(),
            match scheme {
                "http" | "ws" => 80,
                _ => 443,
            },
        ),
    };
    (scheme.to_ascii_lowercase(), host, port)
}

/// The sessions (`run_id`, records) as JSON Lines, and the calls listed in `run.calls`.
pub fn trace(
    appid: Option<&str>,
    sessions: &[(&str, &[Record])],
    run: &mut MiniProgramRun,
) -> String {
    let mut lines: Vec<Value> = Vec::new();
    let mut push = |mut event: Value, t: f64, run_id: &str| {
        if let Some(o) = event.as_object_mut() {
            o.insert("v".into(), json!(1));
            o.insert("seq".into(), json!(lines.len()));
            o.insert("ts".into(), json!(ts(t)));
            o.insert("run_id".into(), json!(run_id));
            o.insert(
                "src".into(),
                json!({"tool": TOOL, "version": env!("CARGO_PKG_VERSION")}),
            );
        }
        lines.push(event);
    };
    let first = sessions.first().map_or("mp-sandbox", |(id, _)| *id);
    push(
        json!({
            "type": "trace_start", "trace_id": TOOL, "schema": "hegui-trace/1",
            "app": {"package": appid.unwrap_or("miniprogram"), "platform": "wechat_miniprogram"},
            "fixtures": crate::profile::fixtures(),
        }),
        0.0,
        first,
    );
    let mut flow = 0u32;
    // Sessions follow one another on the clock: each starts a minute after the last ended.
    let mut offset = 0.0;
    let mut end = 0.0;
    for (run_id, records) in sessions {
        let mut consented = false;
        let mut refused = false;
        push(
            json!({"type": "app_start", "kind": "cold", "trigger": "automation"}),
            offset,
            run_id,
        );
        for r in records.iter() {
            let t = offset + r.t;
            end = t;
            match r.kind.as_str() {
                "consent" | "refusal" => {
                    consented = r.kind == "consent";
                    refused = !consented;
                    push(
                        json!({"type": "consent_shown", "dialog_id": "mp-privacy", "kind": "privacy_policy",
                        "buttons": [{"label": "同意", "role": "accept"}, {"label": "拒绝", "role": "reject"}],
                        "detect": "app_self_report"}),
                        t,
                        run_id,
                    );
                    let answer = if consented {
                        json!({"type": "consent_accepted", "dialog_id": "mp-privacy", "button_label": "同意", "detect": "app_self_report"})
                    } else {
                        json!({"type": "consent_rejected", "dialog_id": "mp-privacy", "button_label": "拒绝", "detect": "app_self_report"})
                    };
                    push(answer, t, run_id);
                }
                "background" => push(
                    json!({"type": "app_background", "activity": r.page}),
                    t,
                    run_id,
                ),
                "call" => {
                    let listed = |category: Option<&str>| MiniProgramCall {
                        api: format!("{}.{}", r.ns, r.name),
                        category: category.map(str::to_string),
                        page: r.page.clone(),
                        phase: r.phase.clone(),
                        site: site(r),
                        after_consent: consented,
                        after_refusal: refused,
                        denied: r.denied,
                    };
                    if let Some(url) = r.url.as_deref().filter(|u| !u.is_empty()) {
                        flow += 1;
                        let (scheme, host, port) = host_of(url);
                        let body = r.data.clone().unwrap_or_default();
                        push(
                            json!({"type": "network_request", "flow_id": format!("mp-{flow}"),
                            "method": r.method.clone().unwrap_or_else(|| "GET".into()),
                            "url": url, "host": host, "port": port, "scheme": scheme,
                            "req": {"body_size": body.len(), "body_text": body},
                            "capture": "ssl_hook"}),
                            t,
                            run_id,
                        );
                        if run.calls.len() < MAX_LISTED_CALLS {
                            run.calls.push(listed(None));
                        }
                        continue;
                    }
                    let Some(category) = category_of(r) else {
                        continue;
                    };
                    if run.calls.len() < MAX_LISTED_CALLS {
                        run.calls.push(listed(Some(category)));
                    }
                    // A call the platform refused read nothing: listed, not a collection.
                    if r.denied {
                        continue;
                    }
                    let args: Vec<Value> = r
                        .args
                        .iter()
                        .enumerate()
                        .map(|(i, a)| json!({"i": i, "type": "json", "summary": mask_numbers(&a.chars().take(256).collect::<String>())}))
                        .collect();
                    // The calling module as the stack: hegui-trace gives it to the app or to the
                    // mini-program SDK owning that path, and names it in the evidence.
                    let method = if r.page.is_empty() {
                        r.phase.clone()
                    } else {
                        format!("{} {}", r.page, r.phase)
                    };
                    let module = if r.file.is_empty() {
                        "app.js"
                    } else {
                        r.file.as_str()
                    };
                    push(
                        json!({"type": "api_call", "api": {"cls": r.ns, "method": r.name},
                        "category": category, "args": args, "outcome": "returned",
                        "stack": [{"cls": module, "method": method, "line": r.line}]}),
                        t,
                        run_id,
                    );
                }
                _ => {}
            }
        }
        offset = end + 60_000.0;
    }
    let last = sessions.last().map_or("mp-sandbox", |(id, _)| *id);
    push(
        json!({"type": "trace_end", "reason": "session_end"}),
        end,
        last,
    );
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_is_a_wall_clock_from_ten() {
        assert_eq!(ts(0.0), "2026-01-01T10:00:00.000+08:00");
        assert_eq!(ts(61_005.0), "2026-01-01T10:01:01.005+08:00");
        assert_eq!(ts(f64::NAN), "2026-01-01T10:00:00.000+08:00");
    }

    #[test]
    fn long_numbers_are_masked_in_arguments() {
        assert_eq!(
            mask_numbers(r#"{"phone":"13800138000","n":42}"#),
            r#"{"phone":"138******00","n":42}"#
        );
    }

    #[test]
    fn hosts_and_ports_from_urls() {
        assert_eq!(
            host_of("http://api.example.com:8080/x?y"),
            ("http".into(), "api.example.com".into(), 8080)
        );
        assert_eq!(
            host_of("https://api.example.com/x"),
            ("https".into(), "api.example.com".into(), 443)
        );
    }
}
