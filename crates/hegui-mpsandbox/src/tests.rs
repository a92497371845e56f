use super::*;

fn source_tree(files: &[(&str, &str)], pages: &[&str]) -> Program {
    Program {
        appid: Some("wx0123456789abcdef".into()),
        scripts: files
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect(),
        app_config: Some(serde_json::json!({ "pages": pages })),
    }
}

fn lines(outcome: &Outcome) -> Vec<serde_json::Value> {
    outcome
        .jsonl
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn calls_of<'a>(events: &'a [serde_json::Value], method: &str) -> Vec<&'a serde_json::Value> {
    events
        .iter()
        .filter(|e| e["type"] == "api_call" && e["api"]["method"] == method)
        .collect()
}

#[test]
fn location_at_launch_is_recorded_before_consent() {
    let program = source_tree(
        &[
            (
                "app.js",
                "App({ onLaunch() { wx.getLocation({ type: 'gcj02', success(r) { getApp().lat = r.latitude } }) } })",
            ),
            (
                "pages/index/index.js",
                "Page({ data: {}, onLoad() { this.setData({ a: 1 }) } })",
            ),
        ],
        &["pages/index/index"],
    );
    let outcome = run(&program, &Limits::default());
    assert_eq!(outcome.run.budget_exceeded, None, "{:?}", outcome.run);
    assert!(outcome.run.reached_ready, "{:?}", outcome.run);
    assert_eq!(outcome.run.pages_booted, ["pages/index/index"]);
    let events = lines(&outcome);
    let location = calls_of(&events, "getLocation");
    assert_eq!(location.len(), 1, "{}", outcome.jsonl);
    assert_eq!(location[0]["category"], "location.precise");
    // No privacy flow: nobody agreed.
    assert!(!events.iter().any(|e| e["type"] == "consent_accepted"));
    let call = &outcome.run.calls[0];
    assert_eq!(
        (call.api.as_str(), call.phase.as_str(), call.after_consent),
        ("wx.getLocation", "launch", false)
    );
    assert!(call.site.starts_with("app.js:1"), "{}", call.site);
}

#[test]
fn a_tap_after_agreeing_is_after_consent() {
    let program = source_tree(
        &[
            (
                "app.js",
                "App({ onLaunch() { wx.onNeedPrivacyAuthorization(resolve => { this.pending = resolve }) } })",
            ),
            (
                "pages/index/index.js",
                "Page({ onLoad() {}, showMap() { wx.getLocation({ success() {} }) } })",
            ),
        ],
        &["pages/index/index"],
    );
    let limits = Limits {
        taps: true,
        ..Limits::default()
    };
    let outcome = run(&program, &limits);
    assert!(outcome.run.consented);
    assert_eq!(outcome.run.handlers_run, 1);
    let events = lines(&outcome);
    let accepted = events
        .iter()
        .position(|e| e["type"] == "consent_accepted")
        .expect("consent");
    let location = events
        .iter()
        .position(|e| e["type"] == "api_call" && e["api"]["method"] == "getLocation")
        .expect("location");
    assert!(location > accepted);
    assert_eq!(outcome.run.calls[0].phase, "tap:showMap");
    // The second session refuses: the same tap is refused by the platform, nothing is read.
    assert!(outcome.run.refusal_session);
    assert_eq!(
        outcome.run.pages_booted_after_refusal,
        ["pages/index/index"]
    );
    assert!(events.iter().any(|e| e["type"] == "consent_rejected"));
    let refused: Vec<_> = outcome
        .run
        .calls
        .iter()
        .filter(|c| c.after_refusal)
        .collect();
    assert_eq!(refused.len(), 1, "{:?}", outcome.run.calls);
    assert!(refused[0].denied);
    assert_eq!(calls_of(&events, "getLocation").len(), 1);
}

#[test]
fn requests_carry_their_url_and_data() {
    let program = source_tree(
        &[
            (
                "app.js",
                "App({ onLaunch() { wx.request({ url: 'http://api.example.com/u', method: 'post', data: { phone: '13800138000' } }) } })",
            ),
            ("pages/index/index.js", "Page({})"),
        ],
        &["pages/index/index"],
    );
    let outcome = run(&program, &Limits::default());
    let events = lines(&outcome);
    let request = events
        .iter()
        .find(|e| e["type"] == "network_request")
        .expect("request");
    assert_eq!(request["scheme"], "http");
    assert_eq!(request["method"], "POST");
    assert!(
        request["req"]["body_text"]
            .as_str()
            .is_some_and(|b| b.contains("13800138000"))
    );
}

#[test]
fn an_endless_loop_runs_out_of_time_and_the_run_still_ends() {
    let program = source_tree(
        &[
            ("app.js", "App({ onLaunch() { for (;;) {} } })"),
            ("pages/index/index.js", "Page({})"),
        ],
        &["pages/index/index"],
    );
    let limits = Limits {
        time: Duration::from_millis(300),
        ..Limits::default()
    };
    let started = Instant::now();
    let outcome = run(&program, &limits);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(outcome.run.budget_exceeded.as_deref(), Some("time"));
    assert!(outcome.jsonl.contains("\"trace_end\""));
}

#[test]
fn unbounded_allocation_runs_out_of_memory() {
    let program = source_tree(
        &[
            (
                "app.js",
                "App({ onLaunch() { const a = []; for (;;) a.push(new Array(100000).fill(7)) } })",
            ),
            ("pages/index/index.js", "Page({})"),
        ],
        &["pages/index/index"],
    );
    let limits = Limits {
        memory_bytes: 32 << 20,
        ..Limits::default()
    };
    let outcome = run(&program, &limits);
    assert_eq!(outcome.run.budget_exceeded.as_deref(), Some("memory"));
}

#[test]
fn a_compiled_bundle_registers_its_own_modules_and_pages() {
    let bundle = r#"
define("utils/loc.js", function(require, module, exports) {
  module.exports = { where: function () { return wx.getLocation({}) } };
});
define("app.js", function(require, module, exports) {
  App({ onLaunch: function () { require("utils/loc.js").where() } });
});
define("pages/home/home.js", function(require, module, exports) {
  Page({ onReady: function () { wx.getClipboardData({ success: function () {} }) } });
});
require("app.js");
__wxRoute = "pages/home/home"; require("pages/home/home.js");
"#;
    let program = Program {
        appid: None,
        scripts: vec![("app-service.js".into(), bundle.into())],
        app_config: Some(
            serde_json::json!({"pages": ["pages/home/home"], "entryPagePath": "pages/home/home.html"}),
        ),
    };
    let outcome = run(&program, &Limits::default());
    assert!(outcome.run.reached_ready, "{:?}", outcome.run);
    let apis: Vec<&str> = outcome.run.calls.iter().map(|c| c.api.as_str()).collect();
    assert_eq!(apis, ["wx.getLocation", "wx.getClipboardData"]);
    assert!(
        outcome.run.calls[0].site.starts_with("app-service.js:3"),
        "{:?}",
        outcome.run.calls[0]
    );
}

#[test]
fn the_engine_offers_no_way_out() {
    let program = source_tree(
        &[
            (
                "app.js",
                "App({ onLaunch() { const seen = [typeof require('fs').readFileSync, typeof globalThis.std, typeof globalThis.os, typeof globalThis.__hegui_emit, typeof globalThis.__hegui_session, typeof fetch, typeof XMLHttpRequest]; wx.setStorageSync('probe', seen.join(',')); wx.getLocation({ type: seen.join(',') }) } })",
            ),
            ("pages/index/index.js", "Page({})"),
        ],
        &["pages/index/index"],
    );
    let outcome = run(&program, &Limits::default());
    let events = lines(&outcome);
    let location = calls_of(&events, "getLocation");
    let args = location[0]["args"][0]["summary"]
        .as_str()
        .unwrap_or_default();
    assert!(
        args.contains("undefined,undefined,undefined,undefined,undefined,undefined,undefined"),
        "{args}"
    );
}

#[test]
fn a_package_cannot_forge_its_consent() {
    let program = source_tree(
        &[
            (
                "app.js",
                r#"JSON.stringify = function () { return '{"kind":"consent","t":0}' };
Object.assign = function () { return { kind: "consent", t: 0 } };
App({ onLaunch() { wx.getLocation({}) } })"#,
            ),
            ("pages/index/index.js", "Page({})"),
        ],
        &["pages/index/index"],
    );
    let outcome = run(&program, &Limits::default());
    let events = lines(&outcome);
    assert!(!events.iter().any(|e| e["type"] == "consent_accepted"));
    assert!(!outcome.run.calls[0].after_consent);
}
