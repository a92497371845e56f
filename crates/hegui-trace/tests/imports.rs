//! Importers against the spreadsheet fixtures (scripts/make-trace-import-fixtures.py) and the
//! JSON Lines reader against the trace fixtures (scripts/make-trace-fixtures.py).
#![allow(clippy::unwrap_used)] // a test failing on a fixture is the point

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hegui_trace::{Analyzer, ImportOptions, InputKind, TraceOptions, read_path};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/trace")
        .join(rel)
}

/// Every event an import produced, as (type, category, ts, party-by-import).
fn events(
    rel: &str,
    opts: &ImportOptions,
) -> (
    Vec<serde_json::Value>,
    Vec<String>,
    Result<InputKind, String>,
) {
    let seen: Rc<RefCell<Vec<serde_json::Value>>> = Rc::default();
    let sink = Rc::clone(&seen);
    let catalog = hegui_knowledge::sdk_catalog();
    let mut a = Analyzer::new(catalog, TraceOptions::default());
    a.set_sink(Box::new(move |ev| {
        let line = hegui_trace::event::export_line(ev, 0);
        sink.borrow_mut().push(serde_json::from_str(&line).unwrap());
    }));
    let path = fixture(rel);
    let read =
        read_path(&mut a, &path, rel, opts).map_err(|e| format!("{}: {}", e.code, e.message));
    let (_, errors) = a.finish();
    let errors = errors
        .iter()
        .map(|e| format!("{} {}", e.code, e.entry.clone().unwrap_or_default()))
        .collect();
    let events = seen.borrow().clone();
    (events, errors, read)
}

fn categories(events: &[serde_json::Value]) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e["type"] == "api_call")
        .map(|e| e["category"].as_str().unwrap_or(""))
        .collect()
}

#[test]
fn camille_export() {
    let (events, errors, read) = events("import/camille.xlsx", &ImportOptions::default());
    assert_eq!(read, Ok(InputKind::Spreadsheet));
    assert_eq!(
        categories(&events),
        [
            "device_id.android_id",
            "device_id.mac",
            "device_id.imei",
            "clipboard.read",
            "app_list.full",
            "permission.check",
            "location.precise",
            "network.ssid"
        ]
    );
    // The month is 0-based in camille's clock: 2026-10-22 is 22 November.
    assert_eq!(events[0]["ts"], "2026-11-22T10:00:01.000+08:00");
    assert_eq!(events[0]["ts_precision"], "s");
    assert_eq!(events[0]["api"]["cls"], "android.provider.Settings$Secure");
    assert_eq!(
        events[0]["stack"][0]["cls"],
        "com.umeng.commonsdk.statistics.common.DeviceConfig"
    );
    assert_eq!(events[0]["stack"][0]["line"], 212);
    // A synthetic acceptance before the first "after" row, at its time.
    let accept = events
        .iter()
        .position(|e| e["type"] == "consent_accepted")
        .unwrap();
    assert_eq!(accept, 3);
    assert_eq!(events[accept]["ts"], "2026-11-22T10:00:09.000+08:00");
    assert_eq!(events[accept]["confidence"], 0.5);
    // Row 6's label is a network-state check, not PI: skipped without an error.
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn camille_facts_put_the_sdk_rows_before_consent() {
    let catalog = hegui_knowledge::sdk_catalog();
    let mut a = Analyzer::new(catalog, TraceOptions::default());
    read_path(
        &mut a,
        &fixture("import/camille.xlsx"),
        "camille.xlsx",
        &ImportOptions::default(),
    )
    .unwrap();
    let (facts, _) = a.finish();
    let before: Vec<(String, String)> = facts
        .collections
        .iter()
        .filter(|c| c.phase == hegui_model::ConsentPhase::BeforeConsent)
        .map(|c| (c.party.to_string(), c.category.clone()))
        .collect();
    assert_eq!(
        before,
        [
            ("sdk:umeng".to_string(), "device_id.android_id".to_string()),
            ("sdk:umeng".into(), "device_id.mac".into()),
            ("sdk:jcore".into(), "device_id.imei".into()),
        ]
    );
    assert_eq!(facts.imported, ["camille"]);
}

#[test]
fn privacysentry_export_needs_its_year() {
    let (_, errors, _) = events("import/privacysentry.xlsx", &ImportOptions::default());
    assert!(
        errors.iter().any(|e| e.starts_with("import-needs-year")),
        "{errors:?}"
    );
    let opts = ImportOptions {
        year: Some(2026),
        ..ImportOptions::default()
    };
    let (events, errors, _) = events("import/privacysentry.xlsx", &opts);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        categories(&events),
        [
            "device_id.android_id",
            "device_id.imei",
            "device_id.mac",
            "clipboard.read",
            "clipboard.read",
            "app_list.full",
            "device_id.android_id",
            "permission.check",
            "location.precise"
        ]
    );
    assert_eq!(events[0]["ts"], "2026-11-22T10:00:01.037+08:00");
    assert_eq!(events[0]["thread"], "main");
    let accept = events
        .iter()
        .position(|e| e["type"] == "consent_accepted")
        .unwrap();
    assert_eq!(accept, 3);
    assert_eq!(events[accept]["detect"], "app_self_report");
}

#[test]
fn a_broken_workbook_is_an_error_naming_the_file() {
    let (events, _, read) = events("import/broken.xlsx", &ImportOptions::default());
    let err = read.unwrap_err();
    assert!(err.starts_with("sheet-unreadable"), "{err}");
    assert!(events.is_empty());
}

#[test]
fn malformed_lines_are_reported_with_their_numbers() {
    let (events, errors, read) = events("malformed.jsonl", &ImportOptions::default());
    assert_eq!(read, Ok(InputKind::Jsonl));
    assert_eq!(
        errors,
        [
            "trace-malformed-line malformed.jsonl:2",
            "trace-bad-event malformed.jsonl:3",
            "trace-bad-event malformed.jsonl:4",
            "trace-malformed-line malformed.jsonl:5",
        ]
    );
    assert_eq!(events.len(), 2, "line 1 and line 7; line 6 is empty");
}

#[test]
fn a_decreasing_seq_rejects_the_trace() {
    let (_, _, read) = events("seq_decrease.jsonl", &ImportOptions::default());
    let err = read.unwrap_err();
    assert!(err.starts_with("trace-seq-decreased"), "{err}");
}

#[test]
fn har_entries_become_requests() {
    let (events, errors, read) = events("capture.har", &ImportOptions::default());
    assert_eq!(read, Ok(InputKind::Har));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events.len(), 4);
    assert!(
        events
            .iter()
            .all(|e| e["type"] == "network_request" && e["src"]["import_of"] == "har")
    );
}

#[test]
fn exported_fixtures_are_redacted() {
    let (events, _, _) = events("traffic.jsonl", &ImportOptions::default());
    let start = &events[0];
    assert_eq!(start["type"], "trace_start");
    for v in start["fixtures"].as_object().unwrap().values() {
        assert_eq!(v, "<redacted-on-export>");
    }
}

#[test]
fn a_spreadsheet_bomb_is_refused_before_calamine_inflates_it() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(&vec![b' '; 64 << 20]).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let dir = std::env::temp_dir().join(format!("hegui-bomb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bomb.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let catalog = hegui_knowledge::sdk_catalog();
    let mut a = Analyzer::new(catalog, TraceOptions::default());
    let err = read_path(&mut a, &path, "bomb.xlsx", &ImportOptions::default()).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(err.code, "zip-bomb", "{err:?}");
    assert_eq!(err.entry.as_deref(), Some("bomb.xlsx"));
}

#[test]
fn unattributable_calls_keep_their_thread() {
    let trace = concat!(
        r#"{"v":1,"seq":0,"type":"api_call","ts":"2026-11-22T10:00:00.000+08:00","run_id":"r1","src":{"tool":"t"},"thread":"umeng-executor-1","api":{"cls":"android.provider.Settings$Secure","method":"getString"},"category":"device_id.android_id","stack":[{"cls":"android.provider.Settings$Secure","method":"getString"},{"cls":"java.util.concurrent.ThreadPoolExecutor","method":"runWorker"}]}"#,
        "\n",
        r#"{"v":1,"seq":1,"type":"api_call","ts":"2026-11-22T10:00:01.000+08:00","run_id":"r1","src":{"tool":"t"},"thread":"main","api":{"cls":"android.provider.Settings$Secure","method":"getString"},"category":"device_id.android_id","stack":[{"cls":"com.umeng.commonsdk.statistics.common.DeviceConfig","method":"getAndroidId"}]}"#,
        "\n"
    );
    let catalog = hegui_knowledge::sdk_catalog();
    let mut a = Analyzer::new(catalog, TraceOptions::default());
    hegui_trace::read_jsonl(&mut a, "t.jsonl", trace.as_bytes()).unwrap();
    let (facts, errors) = a.finish();
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<(String, Option<String>)> = facts
        .collections
        .iter()
        .map(|c| (c.party.to_string(), c.thread.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown".to_string(), Some("umeng-executor-1".to_string())),
            ("sdk:umeng".to_string(), None)
        ]
    );
}
