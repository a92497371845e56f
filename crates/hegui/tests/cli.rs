//! The command line as a CI would use it: exit codes, formats, output folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn hegui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hegui"))
        .args(args)
        .output()
        .expect("run hegui")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/apk")
        .join(name)
        .display()
        .to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hegui-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn json_on_stdout_and_fail_on_gates() {
    let out = hegui(&["scan", "-q", &fixture("privacy-basic.apk")]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["schema"], "hegui-report/1");
    assert_eq!(report["app"]["id"], "com.hegui.fixture.basic");
    assert!(
        report["facts"]["android"]["permissions"]
            .as_array()
            .is_some_and(|p| p.len() == 11)
    );
    assert_eq!(
        hegui(&[
            "scan",
            "-q",
            "--fail-on",
            "high",
            &fixture("privacy-basic.apk")
        ])
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        hegui(&["scan", "-q", "--fail-on", "low", &fixture("clean.apk")])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn usage_and_unreadable_exit_codes() {
    assert_eq!(hegui(&["scan"]).status.code(), Some(2));
    assert_eq!(
        hegui(&["scan", "--format", "pdf", &fixture("clean.apk")])
            .status
            .code(),
        Some(2)
    );
    let dir = temp_dir("unreadable");
    let junk = dir.join("junk.apk");
    std::fs::write(&junk, b"this is not a package").expect("write");
    let out = hegui(&["scan", "-q", junk.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["errors"][0]["code"], "unknown-artifact");
    assert_eq!(
        hegui(&["scan", "-q", "/nonexistent/x.apk"]).status.code(),
        Some(3)
    );
}

#[test]
fn batch_into_a_folder_in_every_format() {
    let out_dir = temp_dir("batch");
    for format in ["json", "sarif", "html", "md"] {
        let dir = out_dir.join(format);
        let out = hegui(&[
            "scan",
            "-q",
            "--format",
            format,
            "--output",
            dir.to_str().expect("path"),
            &fixture("privacy-basic.apk"),
            &fixture("clean.apk"),
            &fixture("packed.apk"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .collect();
        assert_eq!(files.len(), 3, "{format}");
        for f in files {
            let text = std::fs::read_to_string(f.path()).expect("read");
            match format {
                "json" => assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok()),
                "sarif" => assert!(text.contains("\"version\": \"2.1.0\"")),
                "html" => assert!(text.contains("<html lang=\"zh-CN\">")),
                _ => assert!(text.starts_with("# ")),
            }
        }
    }
}

#[test]
fn folder_input_skips_non_packages_and_jsonl_on_stdout() {
    let dir = temp_dir("folder");
    std::fs::copy(fixture("clean.apk"), dir.join("a.bin")).expect("copy");
    std::fs::copy(fixture("packed.apk"), dir.join("b")).expect("copy");
    std::fs::write(dir.join("notes.txt"), "hello").expect("write");
    let out = hegui(&["scan", "-q", dir.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout)
        .expect("utf8")
        .lines()
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "JSON Lines, one per package found by content"
    );
}

#[test]
fn english_html_and_rules_listing() {
    let out = hegui(&[
        "scan",
        "-q",
        "--format",
        "html",
        "--lang",
        "en",
        &fixture("privacy-basic.apk"),
    ]);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains("Personal-information compliance report"));
    let rules = hegui(&["rules", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&rules.stdout).contains("AND009"));
    let explain = hegui(&["rules", "explain", "and004"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&explain.stdout).contains("## 整改建议 / How to fix"));
    assert_eq!(
        hegui(&["rules", "explain", "XYZ999"]).status.code(),
        Some(2)
    );
}
