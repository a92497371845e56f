//! The command line as a CI would use it: exit codes, formats, output folders.

use std::collections::BTreeSet;
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
    // The clean app with a complete published policy passes the strictest gate (the
    // one-paragraph page it ships would be judged incomplete by the policy rules).
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/policy/complete.html");
    assert_eq!(
        hegui(&[
            "scan",
            "-q",
            "--fail-on",
            "low",
            "--policy",
            &policy.to_string_lossy(),
            &fixture("clean.apk")
        ])
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

/// Unreadable inputs say why on stderr, one line each, and in their reports where a reader
/// looks first; a path that does not exist is named, not counted as a package.
#[test]
fn unreadable_inputs_are_named_with_their_reason() {
    let dir = temp_dir("reasons");
    let empty = dir.join("empty.apk");
    let junk = dir.join("x.apk");
    std::fs::write(&empty, b"").expect("write");
    std::fs::write(&junk, [0x00, 0x9f, 0x37, 0xee, 0x01, 0x02, 0xff, 0x10]).expect("write");
    let missing = dir.join("no-such-folder");
    let (empty, junk, missing) = (
        empty.to_str().expect("path"),
        junk.to_str().expect("path"),
        missing.to_str().expect("path"),
    );
    let out = hegui(&["scan", empty, junk, missing]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "hegui: {junk}: unknown-artifact: not a supported input"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("hegui: {empty}: unknown-artifact: an empty file")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "hegui: {missing}: not-found: no such file or folder"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("0 input(s) scanned, 0 finding(s), 3 input(s) unreadable"),
        "{stderr}"
    );
    // Two reports (JSON Lines), none for the missing path; `errors` before the long lists.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    for line in stdout.lines() {
        let errors = line.find("\"errors\"").expect("errors");
        assert!(errors < line.find("\"facts\"").expect("facts"), "{line}");
        assert!(errors < line.find("\"not_assessed\"").expect("not_assessed"));
    }
    // Quiet keeps the reason, drops the summary.
    let out = hegui(&["scan", "-q", junk]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown-artifact") && !stderr.contains("finding(s)"),
        "{stderr}"
    );
    // HTML and Markdown show the problem before the summary and the findings.
    for (format, errors, summary) in [
        ("html", "id=\"errors\"", "<h2>Summary"),
        ("md", "## Problems reading", "**Findings**"),
    ] {
        let out = hegui(&["scan", "-q", "--lang", "en", "-f", format, junk]);
        let text = String::from_utf8_lossy(&out.stdout);
        let at = text.find(errors).expect(format);
        assert!(at < text.find(summary).expect(format), "{format}: {text}");
    }
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

/// A folder has no package hash: its report is named after its appid, never `nohash`.
#[test]
fn a_project_folder_report_is_named_after_its_appid() {
    let project =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/miniprogram/demo-project");
    let out_dir = temp_dir("project-name");
    let out = hegui(&[
        "scan",
        "-q",
        "-o",
        out_dir.to_str().expect("path"),
        project.to_str().expect("path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["demo-project-wx0123456789abcdef.json"]);
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
    assert!(html.contains("<h1>Personal-information compliance report: "));
    assert!(!html.contains('：'), "no full-width colon in English");
    let rules = hegui(&["rules", "--lang", "en"]);
    let listing = String::from_utf8_lossy(&rules.stdout);
    assert!(listing.contains("AND009"));
    // Titles start in one column, however long the slug before them.
    let title_at = |line: &str| {
        let slug = line.split_whitespace().nth(2).expect("slug");
        let end = line.find(slug).expect("slug") + slug.len();
        end + line[end..].len() - line[end..].trim_start().len()
    };
    let columns: BTreeSet<usize> = listing
        .lines()
        .filter(|l| l.contains("  ["))
        .map(title_at)
        .collect();
    assert_eq!(columns.len(), 1, "{listing}");
    let explain = hegui(&["rules", "explain", "and004"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&explain.stdout).contains("## 整改建议 / How to fix"));
    assert_eq!(
        hegui(&["rules", "explain", "XYZ999"]).status.code(),
        Some(2)
    );
}

#[test]
fn sdk_catalogue_listing_and_show() {
    let out = hegui(&["sdks", "--category", "push", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("getui") && text.contains("jpush"), "{text}");
    assert!(!text.contains("umeng "), "analytics is not push: {text}");

    let out = hegui(&["sdks", "show", "umeng", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let entry: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(entry["id"], "umeng");
    assert!(entry["meta_data"].as_array().is_some_and(|m| !m.is_empty()));

    assert_eq!(
        hegui(&["sdks", "show", "no-such-sdk"]).status.code(),
        Some(2)
    );
    assert_eq!(
        hegui(&["sdks", "--category", "nonsense"]).status.code(),
        Some(2)
    );
}

#[test]
fn sdk_db_adds_in_house_signatures() {
    let dir = temp_dir("sdk-db");
    // A longer prefix than the built-in one claims those classes (our format)...
    let ours = dir.join("ours.json");
    std::fs::write(
        &ours,
        r#"{"sdks": [{"id": "acme-track", "name": {"zh": "Acme 统计", "en": "Acme tracking"},
            "vendor": "Acme Ltd", "category": "analytics", "collects": ["device_id"],
            "policy_url": "https://acme.example/privacy", "prefixes": ["com.umeng.analytics.pro."]}]}"#,
    )
    .expect("write");
    let out = hegui(&[
        "scan",
        "-q",
        &fixture("privacy-basic.apk"),
        "--sdk-db",
        &ours.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = report["sdks"]
        .as_array()
        .expect("sdks")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(ids.contains(&"acme-track"), "{ids:?}");
    // ...and in the ETIP/exodus shape, whose regex-looking entries are skipped with a warning.
    let exodus = dir.join("exodus.json");
    std::fs::write(
        &exodus,
        r#"{"trackers": {"1": {"id": 1, "name": "Firebase init", "code_signature": "com.google.firebase.provider.|cn.(a|b).x",
            "network_signature": "jpush\\.cn", "categories": ["Analytics"]}}}"#,
    )
    .expect("write");
    let out = hegui(&[
        "scan",
        &fixture("privacy-basic.apk"),
        "--sdk-db",
        &exodus.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cn.(a|b).x") && stderr.contains("skipped"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        report["sdks"]
            .as_array()
            .expect("sdks")
            .iter()
            .any(|s| s["id"] == "exodus-1")
    );
    // A broken file stops the scan with a usage error naming it.
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ not json").expect("write");
    let out = hegui(&[
        "scan",
        &fixture("privacy-basic.apk"),
        "--sdk-db",
        &broken.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"));
}

#[test]
fn calendar_add_prints_the_due_date_or_refuses_a_missing_year() {
    let out = hegui(&["calendar", "add", "2024-09-27", "5"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2024-10-10");
    let out = hegui(&["calendar", "add", "2026-12-28", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2027"));
    let out = hegui(&["calendar", "add", "27/09/2024", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn listing_feed_is_judged_with_its_package() {
    let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/listing/feed.jsonl");
    let feed = feed.to_string_lossy();
    let out = hegui(&[
        "scan",
        "-q",
        "--listing",
        &feed,
        &fixture("privacy-basic.apk"),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["facts"]["listing"]["store"], "示例应用市场");
    let findings = report["findings"].as_array().expect("findings");
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    // READ_CONTACTS without a purpose; no licence id; four dangerous permissions unlisted
    // plus RECORD_AUDIO listed but not requested; PI the code collects but the listing omits.
    assert_eq!(count("STO001"), 1);
    assert_eq!(count("STO002"), 1);
    assert_eq!(count("STO003"), 5);
    assert!(count("STO004") >= 5, "{}", count("STO004"));
    // The HTML report shows listing evidence: the store, the field, and what is missing.
    let out = hegui(&[
        "scan",
        "-q",
        "--format",
        "html",
        "--listing",
        &feed,
        &fixture("privacy-basic.apk"),
    ]);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("<code>licence_id</code> <em>未展示</em>"),
        "listing evidence in HTML"
    );
    // The clean app's listing is complete and true.
    let out = hegui(&["scan", "-q", "--listing", &feed, &fixture("clean.apk")]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .filter(|c| c.starts_with("STO"))
        .collect();
    assert!(codes.is_empty(), "{codes:?}");
    // A bad feed line stops the scan and names the line.
    let dir = temp_dir("listing");
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"store\":\"s\",\"package\":\"p\"}\n{\"store\":\"s\"}\n",
    )
    .expect("write");
    let out = hegui(&[
        "scan",
        "-q",
        "--listing",
        &bad.to_string_lossy(),
        &fixture("clean.apk"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.jsonl:2: a listing needs `package`"),
        "{err}"
    );
}

/// `hegui bench` on a folder of policies measures them in this process (no unzip needed).
#[test]
fn bench_on_policies_reports_policies_per_second() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/policy");
    let out = hegui(&["bench", "--runs", "1", &dir.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("policies/s"), "{text}");
    assert!(text.contains("10-30 K chars"), "{text}");
}
