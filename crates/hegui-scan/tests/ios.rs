//! iOS packages end to end: the IPA fixtures made by scripts/make-ipa-fixtures.py, and hostile
//! IPAs and Mach-O files made here.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_model::{ArtifactKind, Party, Report};
use hegui_scan::{ScanOptions, scan_bytes, scan_path};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/ipa")
        .join(name)
}

fn scan(name: &str) -> Report {
    scan_path(&fixture(name), &ScanOptions::default())
}

fn codes(r: &Report) -> BTreeSet<&str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn privacy_basic_facts() {
    let r = scan("privacy-basic.ipa");
    assert_eq!(r.artifact.kind, ArtifactKind::Ipa);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.app.platform, "ios");
    assert_eq!(r.app.id, "com.hegui.fixture.ios");
    let ios = r.facts.ios.as_ref().expect("ios facts");
    assert_eq!(
        ios.usage_descriptions["NSCameraUsageDescription"],
        "用于扫描二维码"
    );
    assert_eq!(
        ios.localized_usage_descriptions["zh-Hans"]["NSContactsUsageDescription"],
        "用于添加好友"
    );
    assert_eq!(ios.query_schemes.len(), 12);
    assert!(ios.ats.allows_arbitrary_loads);
    assert_eq!(ios.ats.insecure_http_domains, ["example.com"]);
    assert_eq!(ios.background_modes, ["location", "remote-notification"]);
    let main = ios
        .binaries
        .iter()
        .find(|b| b.role == "main")
        .expect("main");
    assert_eq!(
        main.archs,
        ["arm64", "x86_64"],
        "fat binary, arm64 read first"
    );
    assert!(!main.encrypted);
    assert!(
        main.linked_libraries
            .iter()
            .any(|l| l.ends_with("CoreLocation"))
    );
    assert!(main.entitlements.iter().any(|e| e == "aps-environment"));
    assert_eq!(ios.privacy_manifests.len(), 2);
    assert_eq!(
        ios.provisioning.as_ref().and_then(|p| p.team_id.as_deref()),
        Some("ABCDE12345")
    );
    // API uses are attributed to the bundle holding them.
    let party_of = |api: &str, binary_end: &str| {
        ios.api_uses
            .iter()
            .find(|u| u.api == api && u.binary.ends_with(binary_end))
            .map(|u| u.party.clone())
    };
    assert_eq!(party_of("CLLocationManager", "/Sample"), Some(Party::App));
    assert_eq!(
        party_of("statfs()", "/Bugly"),
        Some(Party::Sdk("bugly".into()))
    );
    assert_eq!(
        party_of("CLLocationManager", "/AMapFoundationKit"),
        Some(Party::Sdk("amap".into()))
    );
    // SDKs by framework and by statically linked classes.
    let sdks: BTreeSet<&str> = r.sdks.iter().map(|s| s.id.as_str()).collect();
    for id in ["bugly", "amap", "umeng", "jpush", "wechat-opensdk"] {
        assert!(sdks.contains(id), "{id} missing: {sdks:?}");
    }
    let bugly = r.sdks.iter().find(|s| s.id == "bugly").expect("bugly");
    assert_eq!(bugly.version.as_deref(), Some("2.5.93"));
}

#[test]
fn privacy_basic_findings() {
    let r = scan("privacy-basic.ipa");
    let got = codes(&r);
    // Every API in this fixture has its key (location's is empty: IOS002); IOS001 is shown by
    // the encrypted fixture.
    for code in [
        "IOS002", "IOS003", "IOS004", "IOS005", "IOS006", "IOS007", "IOS008",
    ] {
        assert!(got.contains(code), "{code} missing: {got:?}");
    }
    assert!(
        !got.iter().any(|c| c.starts_with("AND")),
        "Android rules do not run on an IPA: {got:?}"
    );
    // Bugly uses statfs without a privacy manifest of its own.
    assert!(r.findings.iter().any(|f| f.code == "IOS003"
        && f.party == Party::Sdk("bugly".into())
        && f.message.en.contains("DiskSpace")));
    // The empty location text is reported, and the Chinese localisation rescues contacts.
    let weak: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == "IOS002")
        .map(|f| f.message.en.as_str())
        .collect();
    assert!(
        weak.iter()
            .any(|m| m.contains("NSLocationWhenInUseUsageDescription"))
    );
    assert!(
        !weak
            .iter()
            .any(|m| m.contains("NSContactsUsageDescription")),
        "{weak:?}"
    );
}

#[test]
fn clean_app_has_no_findings() {
    let r = scan("clean.ipa");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn encrypted_binary_limits_the_analysis() {
    let r = scan("encrypted.ipa");
    let ios = r.facts.ios.as_ref().expect("ios facts");
    assert!(ios.binaries[0].encrypted);
    assert!(r.errors.is_empty(), "encryption is a fact, not an error");
    // Imports are still read; Objective-C names (ciphertext) are not invented.
    assert!(ios.api_uses.iter().any(|u| u.api == "CLLocationManager"));
    assert!(ios.api_uses.iter().all(|u| u.via != "selector"));
    // Imports are enough to see location used with no NSLocation*UsageDescription.
    assert!(codes(&r).contains("IOS001"), "{:?}", codes(&r));
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish");
    buf.into_inner()
}

const INFO: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.hostile.app</string>
<key>CFBundleExecutable</key><string>App</string></dict></plist>"#;

fn scan_ipa(exe: &[u8], extra: &[(&str, &[u8])]) -> Report {
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("Payload/App.app/Info.plist", INFO),
        ("Payload/App.app/App", exe),
    ];
    entries.extend_from_slice(extra);
    scan_bytes(
        "hostile.ipa",
        &zip(&entries),
        &ScanOptions::default(),
        Instant::now(),
    )
}

fn error_codes(r: &Report) -> Vec<&str> {
    r.errors.iter().map(|e| e.code.as_str()).collect()
}

/// A 64-bit Mach-O header with `ncmds`/`sizeofcmds` as given, followed by `body`.
fn macho(ncmds: u32, sizeofcmds: u32, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    for word in [0xfeed_facf_u32, 0x0100_000c, 0, 2, ncmds, sizeofcmds, 0, 0] {
        v.extend(word.to_le_bytes());
    }
    v.extend_from_slice(body);
    v
}

#[test]
fn hostile_binaries_are_errors_naming_the_file() {
    // Load commands past the end of the file.
    let r = scan_ipa(&macho(3, 4096, &[0; 16]), &[]);
    assert!(r.facts.ios.is_some());
    // A segment claiming a million sections.
    let mut seg = Vec::new();
    seg.extend(0x19_u32.to_le_bytes());
    seg.extend(72_u32.to_le_bytes());
    seg.extend([0u8; 56]);
    seg.extend(1_000_000_u32.to_le_bytes());
    seg.extend(0_u32.to_le_bytes());
    let r2 = scan_ipa(&macho(1, 72, &seg), &[]);
    // A fat header whose slice lies past the end, and one with a huge count.
    let mut fat = Vec::new();
    for word in [0xcafe_babe_u32, 1, 0x0100_000c, 0, 0x10_0000, 0x10_0000, 14] {
        fat.extend(word.to_be_bytes());
    }
    let r3 = scan_ipa(&fat, &[]);
    let mut many = Vec::new();
    for word in [0xcafe_babe_u32, u32::MAX] {
        many.extend(word.to_be_bytes());
    }
    let r4 = scan_ipa(&many, &[]);
    // Truncated header.
    let r5 = scan_ipa(&[0xcf, 0xfa, 0xed, 0xfe, 0x0c], &[]);
    for r in [&r2, &r3, &r4, &r5] {
        let bad: Vec<_> = r.errors.iter().filter(|e| e.code == "bad-macho").collect();
        assert_eq!(bad.len(), 1, "{:?}", r.errors);
        assert_eq!(bad[0].entry.as_deref(), Some("Payload/App.app/App"));
    }
    for r in [&r, &r2, &r3, &r4, &r5] {
        assert!(!error_codes(r).contains(&"internal-error"));
        assert_eq!(r.app.id, "com.hostile.app", "the plist facts survive");
    }
}

#[test]
fn hostile_plists_and_paths() {
    // Deeply nested arrays (a plist "bomb") and an oversized plist: clear errors, no panic.
    let mut nested =
        String::from("<?xml version=\"1.0\"?><plist><dict><key>NSPrivacyTracking</key>");
    nested.push_str(&"<array>".repeat(50_000));
    nested.push_str(&"</array>".repeat(50_000));
    nested.push_str("</dict></plist>");
    // Incompressible, so the zip ratio check lets it through to the plist size check.
    let huge: Vec<u8> = (0..5u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let r = scan_ipa(
        &macho(0, 0, &[]),
        &[
            ("Payload/App.app/PrivacyInfo.xcprivacy", nested.as_bytes()),
            ("Payload/App.app/Frameworks/X.framework/Info.plist", &huge),
            ("Payload/App.app/../../etc/passwd", b"x"),
        ],
    );
    let codes = error_codes(&r);
    assert!(codes.contains(&"bad-privacy-manifest"), "{codes:?}");
    assert!(codes.contains(&"bad-plist"), "{codes:?}");
    assert!(codes.contains(&"path-traversal"), "{codes:?}");
    assert!(!codes.contains(&"internal-error"));
    // An IPA without an app bundle is not an IPA.
    let r = scan_bytes(
        "x.ipa",
        &zip(&[("Payload/readme.txt", b"hi")]),
        &ScanOptions::default(),
        Instant::now(),
    );
    assert_ne!(r.artifact.kind, ArtifactKind::Ipa);
}

#[test]
fn ipa_reports_render_in_every_format() {
    let r = scan("privacy-basic.ipa");
    let rules = hegui_scan::rule_descriptors();
    for format in [
        hegui_report::Format::Json,
        hegui_report::Format::Sarif,
        hegui_report::Format::Html,
        hegui_report::Format::Markdown,
    ] {
        let text = hegui_report::render(&r, format, hegui_model::Lang::Zh, &rules).expect("render");
        assert!(text.contains("com.hegui.fixture.ios"), "{format:?}");
    }
    let html = hegui_report::render(
        &r,
        hegui_report::Format::Html,
        hegui_model::Lang::Zh,
        &rules,
    )
    .expect("html");
    assert!(html.contains("权限用途说明") && html.contains("Bugly.framework"));
}

/// The field names other tools rely on (`facts.ios.*`, as the iOS issue names them).
#[test]
fn ios_json_contract() {
    let r = scan("privacy-basic.ipa");
    let v = serde_json::to_value(&r).expect("json");
    let ios = &v["facts"]["ios"];
    assert_eq!(ios["bundle_id"], "com.hegui.fixture.ios");
    assert_eq!(
        ios["usage_descriptions"]["NSCameraUsageDescription"],
        "用于扫描二维码"
    );
    let manifest = &ios["privacy_manifests"][0];
    assert!(manifest["path"].is_string() && manifest["data"].is_object());
    assert!(ios["frameworks"].as_array().is_some_and(|f| !f.is_empty()));
    let api = &ios["api_uses"][0];
    assert!(api["api"].is_string() && api["category"].is_string() && api["binary"].is_string());
    assert_eq!(ios["ats"]["allows_arbitrary_loads"], true);
    assert!(
        ios["query_schemes"]
            .as_array()
            .is_some_and(|q| q.len() == 12)
    );
}
