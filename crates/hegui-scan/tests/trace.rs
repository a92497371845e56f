//! Runtime traces and captures end to end: scenario fixtures (scripts/make-trace-fixtures.py)
//! with exactly the rules each must trigger, a trace read with an APK (static findings
//! confirmed), and a real capture made by a real client through a real mitmproxy
//! (scripts/mitm-capture.py).
#![allow(clippy::unwrap_used)] // a test failing on a fixture is the point

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../testing/skip.rs"]
mod skip;

use hegui_model::{ArtifactKind, Evidence, Report};
use hegui_scan::{ScanOptions, scan_path};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

/// The dynamic and traffic findings, as `CODE party`.
fn dynamic(r: &Report) -> BTreeSet<String> {
    r.findings
        .iter()
        .filter(|f| f.code.starts_with("DYN") || f.code.starts_with("NET"))
        .map(|f| format!("{} {}", f.code, f.party))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn scan(rel: &str) -> Report {
    let r = scan_path(&fixture(rel), &ScanOptions::default());
    assert_eq!(r.artifact.kind, ArtifactKind::Trace, "{rel}");
    r
}

#[test]
fn each_scenario_triggers_exactly_its_rules() {
    let cases: &[(&str, &[&str])] = &[
        ("trace/clean.jsonl", &[]),
        (
            "trace/pre_consent.jsonl",
            &["DYN001 sdk:umeng", "DYN001 sdk:gdt"],
        ),
        ("trace/rejected.jsonl", &["DYN002 sdk:bugly"]),
        ("trace/no_notice.jsonl", &["DYN001 app", "DYN003 app"]),
        ("trace/background.jsonl", &["DYN004 app"]),
        ("trace/frequent.jsonl", &["DYN005 sdk:umeng"]),
        ("trace/rerequest.jsonl", &["DYN006 app"]),
        ("trace/exit_after_denial.jsonl", &["DYN007 app"]),
        (
            "trace/self_start.jsonl",
            &["DYN008 app", "DYN009 sdk:umeng-push"],
        ),
        (
            "trace/traffic.jsonl",
            &["NET001 unknown", "NET002 sdk:umeng"],
        ),
        ("trace/capture.har", &["NET001 unknown"]),
        ("trace/ui_disguised_download.jsonl", &["DYN010 app"]),
        ("trace/ui_honest_download.jsonl", &[]),
        ("trace/ui_reward_face.jsonl", &["DYN011 app"]),
        ("trace/ui_id_check.jsonl", &[]),
        ("trace/ui_dump_taps.jsonl", &["DYN010 app"]),
        ("trace/ui_dumps", &["DYN011 app"]),
        ("trace/ui_personalisation_forced.jsonl", &["DYN012 app"]),
        ("trace/ui_personalisation_choice.jsonl", &[]),
    ];
    for (rel, want) in cases {
        let r = scan(rel);
        assert!(r.errors.is_empty(), "{rel}: {:?}", r.errors);
        assert_eq!(dynamic(&r), set(want), "{rel}");
    }
}

/// Notice 164 tasks 7 and 8: a tap's label comes from the screen recorded before it, also
/// from `uiautomator dump` files handed in beside the trace (`--trace DIR`).
#[test]
fn taps_are_named_by_the_screens_before_them() {
    use hegui_model::Confidence;
    let confidences = |r: &Report, code: &str| -> Vec<Confidence> {
        r.findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.confidence)
            .collect()
    };
    let r = scan("trace/ui_disguised_download.jsonl");
    assert_eq!(
        confidences(&r, "DYN010"),
        [Confidence::High, Confidence::High]
    );
    let t = r.facts.trace.as_ref().unwrap();
    let labels: Vec<&str> = t
        .downloads
        .iter()
        .filter_map(|d| d.tap.as_ref().map(|tap| tap.label.as_str()))
        .collect();
    assert_eq!(labels, ["跳过 3", "×"]);

    // Alone, the trace's tap has bounds only: a tap on an unnamed element (low).
    let alone = scan("trace/ui_dump_taps.jsonl");
    assert_eq!(confidences(&alone, "DYN010"), [Confidence::Low]);
    // With the dumps, the same tap is the close button of the screen shown 2 s before.
    let opts = ScanOptions {
        traces: vec![fixture("trace/ui_dumps")],
        ..ScanOptions::default()
    };
    let both = scan_path(&fixture("trace/ui_dump_taps.jsonl"), &opts);
    assert!(both.errors.is_empty(), "{:?}", both.errors);
    assert_eq!(confidences(&both, "DYN010"), [Confidence::High]);
    assert_eq!(confidences(&both, "DYN011"), [Confidence::Medium]);
    let t = both.facts.trace.as_ref().unwrap();
    let tap = t.downloads[0].tap.as_ref().unwrap();
    assert_eq!(
        (tap.label.as_str(), tap.screen.as_deref()),
        ("关闭", Some("window_dump-20260105-100600.xml"))
    );

    let face = scan("trace/ui_reward_face.jsonl");
    assert_eq!(
        confidences(&face, "DYN011"),
        [Confidence::High, Confidence::Medium]
    );
}

#[test]
fn evidence_cites_the_events() {
    let r = scan("trace/pre_consent.jsonl");
    let umeng = r
        .findings
        .iter()
        .find(|f| f.party.to_string() == "sdk:umeng")
        .unwrap();
    let Evidence::Trace { seqs, detail, .. } = &umeng.evidence[0] else {
        panic!("{:?}", umeng.evidence)
    };
    assert_eq!(seqs, &[4]);
    assert!(detail.contains("device_id.android_id"), "{detail}");
    let t = r.facts.trace.as_ref().unwrap();
    assert_eq!(t.runs[0].consent_shown.map(|s| s.seq), Some(6));
    // The DYN rules are assessed; the static ones of another source are not listed as such.
    assert!(!r.not_assessed.iter().any(|n| n.cite == "AM-3.1"));
}

#[test]
fn the_48_hour_rule_spans_runs_and_spares_late_asks() {
    let r = scan("trace/rerequest.jsonl");
    let f: Vec<_> = r.findings.iter().filter(|f| f.code == "DYN006").collect();
    assert_eq!(f.len(), 1, "READ_CONTACTS asked once after 50 h is fine");
    assert!(f[0].message.en.contains("ACCESS_FINE_LOCATION"));
    let Evidence::Trace { seqs, .. } = &f[0].evidence[0] else {
        panic!()
    };
    assert_eq!(seqs, &[7, 13, 15]);
}

#[test]
fn captures_show_where_pi_went_never_the_value() {
    let r = scan("trace/capture.har");
    let net = r.findings.iter().find(|f| f.code == "NET001").unwrap();
    assert_eq!(
        net.evidence.len(),
        2,
        "the phone number and the resident ID requests"
    );
    let json = serde_json::to_string(&r).unwrap();
    for value in ["13812345678", "110101200001011267"] {
        assert!(!json.contains(value), "{value} leaked into the report");
    }
    let kinds: Vec<&str> = r
        .facts
        .trace
        .as_ref()
        .unwrap()
        .network
        .pi_flows
        .iter()
        .flat_map(|f| f.hits.iter().map(|h| h.kind.as_str()))
        .collect();
    assert!(
        kinds.contains(&"phone_number") && kinds.contains(&"resident_id"),
        "{kinds:?}"
    );
}

#[test]
fn a_policy_decides_which_recipients_are_unlisted() {
    let opts = ScanOptions {
        policy: Some(fixture("trace/traffic_policy.txt")),
        ..ScanOptions::default()
    };
    let r = scan_path(&fixture("trace/traffic.jsonl"), &opts);
    let net3: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code == "NET003")
        .map(|f| f.party.to_string())
        .collect();
    assert_eq!(net3, ["sdk:gdt"], "the policy names Umeng, not GDT");
    // The GDT request carried md5(IMEI): a test-device value, so the hit is certain.
    let t = r.facts.trace.as_ref().unwrap();
    let gdt = t
        .network
        .pi_flows
        .iter()
        .find(|f| f.owner.as_deref() == Some("gdt"))
        .unwrap();
    assert!(
        gdt.hits
            .iter()
            .any(|h| h.kind == "device_id.imei" && h.form == "md5" && h.fixture),
        "{:?}",
        gdt.hits
    );
}

#[test]
fn damaged_traces_are_reported_not_judged_wrongly() {
    let r = scan("trace/malformed.jsonl");
    let lines: Vec<&str> = r.errors.iter().filter_map(|e| e.entry.as_deref()).collect();
    assert_eq!(lines.len(), 4, "{:?}", r.errors);
    assert!(lines[0].ends_with("malformed.jsonl:2"));
    let r = scan("trace/seq_decrease.jsonl");
    assert!(
        r.facts.trace.is_none(),
        "a trace whose seq goes back is rejected"
    );
    assert!(r.errors.iter().any(|e| e.code == "trace-seq-decreased"));
    assert!(dynamic(&r).is_empty());
}

#[test]
fn a_trace_confirms_static_findings_of_the_package() {
    let dir = std::env::temp_dir().join(format!("hegui-trace-confirm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("run.jsonl");
    let src = r#""src":{"tool":"test"}"#;
    let lines = [
        format!(
            r#"{{"v":1,"seq":0,"type":"trace_start","ts":"2026-11-22T10:00:00.000+08:00","run_id":"r1",{src},"app":{{"package":"com.hegui.fixture.basic","platform":"android"}}}}"#
        ),
        format!(
            r#"{{"v":1,"seq":1,"type":"app_start","ts":"2026-11-22T10:00:00.100+08:00","run_id":"r1",{src},"kind":"cold","trigger":"automation"}}"#
        ),
        format!(
            r#"{{"v":1,"seq":2,"type":"api_call","ts":"2026-11-22T10:00:00.200+08:00","run_id":"r1",{src},"api":{{"cls":"android.telephony.TelephonyManager","method":"getDeviceId"}},"category":"device_id.imei","stack":[{{"cls":"android.telephony.TelephonyManager","method":"getDeviceId"}},{{"cls":"com.umeng.commonsdk.statistics.common.DeviceConfig","method":"getImei"}}]}}"#
        ),
        format!(
            r#"{{"v":1,"seq":3,"type":"consent_shown","ts":"2026-11-22T10:00:01.000+08:00","run_id":"r1",{src},"dialog_id":"d","kind":"privacy_policy"}}"#
        ),
    ];
    std::fs::write(&trace, lines.join("\n")).unwrap();
    let opts = ScanOptions {
        traces: vec![trace],
        ..ScanOptions::default()
    };
    let r = scan_path(&fixture("apk/privacy-basic.apk"), &opts);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(r.artifact.kind, ArtifactKind::Apk);
    let confirmed: BTreeSet<String> = r
        .findings
        .iter()
        .filter(|f| !f.confirmed_by.is_empty())
        .map(|f| format!("{} {} {:?}", f.code, f.party, f.confirmed_by))
        .collect();
    assert_eq!(
        confirmed,
        set(&["AND003 sdk:umeng [2]", "AND011 sdk:umeng [2]"]),
        "the umeng IMEI read confirms its static call site and its startup init, nothing else"
    );
    assert!(dynamic(&r).contains("DYN001 sdk:umeng"));
}

/// The mitmdump binary: `HEGUI_MITMDUMP`, a venv `.ci/run` made, or PATH.
fn mitmdump() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HEGUI_MITMDUMP") {
        return Some(PathBuf::from(p));
    }
    let venv =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/mitmproxy-venv/bin/mitmdump");
    if venv.is_file() {
        return Some(venv);
    }
    Command::new("mitmdump")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("mitmdump"))
}

#[test]
fn a_real_capture_through_mitmproxy() {
    let Some(mitmdump) = mitmdump() else {
        skip::skip(
            "a_real_capture_through_mitmproxy",
            "no mitmdump found",
            "HEGUI_MITMDUMP=/path/to/mitmdump, mitmdump on PATH, or .ci/run (installs it)",
            std::env::var_os("HEGUI_REQUIRE_MITMPROXY").is_some(),
        );
        return;
    };
    let out = std::env::temp_dir().join(format!("hegui-mitm-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/mitm-capture.py");
    let run = Command::new("python3")
        .arg(script)
        .arg("--mitmdump")
        .arg(&mitmdump)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("python3");
    assert!(
        run.status.success(),
        "mitm-capture failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(run.stdout.trim_ascii()).expect("summary line");
    // HAR (mitmproxy's own exporter) and the native flow file, each with the trace.
    for capture in ["capture.har", "flows.mitm"] {
        let opts = ScanOptions {
            traces: vec![out.join("run.jsonl")],
            ..ScanOptions::default()
        };
        let r = scan_path(&out.join(capture), &opts);
        assert!(r.errors.is_empty(), "{capture}: {:?}", r.errors);
        let got = dynamic(&r);
        for want in ["NET001 unknown", "NET001 sdk:umeng", "NET002 sdk:umeng"] {
            assert!(got.contains(want), "{capture}: {want} missing from {got:?}");
        }
        let t = r.facts.trace.as_ref().unwrap();
        assert_eq!(t.network.requests, 5, "{capture}");
        let kinds: BTreeSet<&str> = t
            .network
            .pi_flows
            .iter()
            .flat_map(|f| f.hits.iter().map(|h| h.kind.as_str()))
            .collect();
        for k in [
            "phone_number",
            "device_id.android_id",
            "device_id.imei",
            "resident_id",
            "device_id.oaid",
        ] {
            assert!(kinds.contains(k), "{capture}: {k} not found in {kinds:?}");
        }
        let json = serde_json::to_string(&r).unwrap();
        let phone = summary["fixtures"]["phone_number"]
            .as_str()
            .unwrap_or("13812345678");
        assert!(
            !json.contains(phone),
            "{capture}: the phone number leaked into the report"
        );
    }
    std::fs::remove_dir_all(&out).ok();
}
