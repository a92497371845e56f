//! Mini-programs end to end: a project folder and packages made here, and the real ones in
//! ../shared/corpus/miniprogram when present.

use std::path::Path;
use std::time::Instant;

use hegui_model::ArtifactKind;
use hegui_scan::{ScanOptions, scan_bytes, scan_path};
use serde_json::{Value, json};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hegui-mp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn project_folder_is_one_app() {
    let dir = temp_dir("project");
    std::fs::write(
        dir.join("project.config.json"),
        r#"{"appid": "wx0123456789abcdef", "miniprogramRoot": "miniprogram/"}"#,
    )
    .expect("write");
    let root = dir.join("miniprogram");
    std::fs::create_dir_all(root.join("pages/index")).expect("mkdir");
    std::fs::write(
        root.join("app.json"),
        r#"{"pages": ["pages/index/index"],
            "permission": {"scope.userLocation": {"desc": "用于展示附近门店"}},
            "requiredPrivateInfos": ["getLocation"]}"#,
    )
    .expect("write");
    std::fs::write(root.join("pages/index/index.js"), "wx.getLocation({})").expect("write");
    let r = scan_path(&dir, &ScanOptions::default());
    assert_eq!(r.artifact.kind, ArtifactKind::MiniProgramSource);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.app.platform, "wechat_miniprogram");
    assert_eq!(r.app.id, "wx0123456789abcdef");
    let mp = r.facts.miniprogram.as_ref().expect("facts");
    assert_eq!(mp.container, "source");
    assert_eq!(mp.files, 2);
    assert_eq!(
        serde_json::to_value(&mp.declared).expect("json"),
        json!({"permission": {"scope.userLocation": {"desc": "用于展示附近门店"}},
               "requiredPrivateInfos": ["getLocation"]})
    );
    assert!(
        !r.findings
            .iter()
            .any(|f| f.code.starts_with("AND") || f.code.starts_with("IOS")),
        "other platforms' rules do not run"
    );
    // A folder that is not a mini-program is an error, not a crash.
    let empty = temp_dir("empty");
    let r = scan_path(&empty, &ScanOptions::default());
    assert_eq!(r.errors[0].code, "unknown-artifact");
}

#[test]
fn encrypted_package_without_appid_is_a_clear_error() {
    let mut data = b"V1MMWX".to_vec();
    data.extend(std::iter::repeat_n(0u8, 2048));
    let r = scan_bytes(
        "__APP__.wxapkg",
        &data,
        &ScanOptions::default(),
        Instant::now(),
    );
    assert_eq!(r.artifact.kind, ArtifactKind::Wxapkg);
    assert_eq!(r.errors[0].code, "appid-required", "{:?}", r.errors);
    let opts = ScanOptions {
        appid: Some("wx0123456789abcdef".into()),
        ..ScanOptions::default()
    };
    let r = scan_bytes("__APP__.wxapkg", &data, &opts, Instant::now());
    assert_eq!(r.errors[0].code, "wrong-appid", "{:?}", r.errors);
}

/// Declared configuration equal to the ground truth, exactly; file counts of packages; the
/// appid of PC packages taken from the file name.
#[test]
fn corpus_declared_config_matches_ground_truth() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/miniprogram");
    let Ok(text) = std::fs::read_to_string(dir.join("ground_truth.json")) else {
        eprintln!("note: ../shared/corpus/miniprogram not present; corpus test skipped");
        return;
    };
    let truth: Value = serde_json::from_str(&text).expect("truth");
    let mut checked = 0;
    for (rel, item) in truth["items"].as_object().expect("items") {
        let r = scan_path(&dir.join(rel), &ScanOptions::default());
        let mp = r
            .facts
            .miniprogram
            .as_ref()
            .unwrap_or_else(|| panic!("{rel}: no mini-program facts: {:?}", r.errors));
        assert_eq!(
            serde_json::to_value(&mp.declared).expect("json"),
            item["declared"],
            "{rel}: declared config"
        );
        if let Some(count) = item["file_count"].as_u64() {
            assert_eq!(u64::from(mp.files), count, "{rel}: files");
        }
        // Every API the ground truth saw is found (its counts include calls in comments, so
        // counts are printed, not compared).
        let truth_calls = item
            .get("privacy_api_calls")
            .or_else(|| item.get("tt_privacy_api_calls"))
            .and_then(Value::as_object);
        if let Some(truth_calls) = truth_calls {
            for (name, count) in truth_calls {
                let ours = mp
                    .api_calls
                    .iter()
                    .filter(|c| c.api.split_once('.').is_some_and(|(_, n)| n == name))
                    .count();
                assert!(
                    ours > 0,
                    "{rel}: {name} not found ({count} in the ground truth)"
                );
                eprintln!("{rel}: {name}: ours {ours}, ground truth {count}");
            }
        }
        if let Some(appid) = item["appid"].as_str() {
            assert_eq!(mp.appid.as_deref(), Some(appid), "{rel}");
        }
        assert!(
            !r.errors.iter().any(|e| e.code != "package-anomaly"),
            "{rel}: {:?}",
            r.errors
        );
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} items checked");
}
