//! Privacy policies end to end: on their own (recognised by content), paired with a package
//! (`--policy`), and hostile inputs. Fixtures from scripts/make-policy-fixtures.py.

use std::path::{Path, PathBuf};

use hegui_model::{ArtifactKind, ElementValue, Report};
use hegui_scan::{ScanOptions, scan_bytes, scan_path};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

fn codes(r: &Report) -> Vec<&str> {
    let mut c: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c
}

#[test]
fn complete_policy_has_every_element_and_no_finding() {
    let r = scan_path(&fixture("policy/complete.html"), &ScanOptions::default());
    assert_eq!(r.artifact.kind, ArtifactKind::Policy);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let p = r.facts.policy.as_ref().expect("policy facts");
    assert_eq!(
        (p.format.as_str(), p.language.as_str(), p.doc_type.as_str()),
        ("html", "zh", "privacy_policy")
    );
    for (name, e) in &p.elements {
        assert_eq!(e.value, ElementValue::TRUE, "{name}");
        assert!(!e.evidence.is_empty(), "{name}: evidence");
        // Offsets are code points of the normalised text; the quote is what they cover.
        for span in &e.evidence {
            assert_eq!(
                span.quote.chars().count() as u32,
                span.end - span.start,
                "{name}"
            );
        }
    }
    let names: Vec<&str> = p.third_parties.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"友盟统计") && names.contains(&"极光推送"),
        "{names:?}"
    );
    assert!(r.findings.is_empty(), "{:?}", codes(&r));
    // Without a package the consistency rules say so instead of guessing.
    assert!(
        r.not_assessed
            .iter()
            .any(|n| n.reason.en.contains("needs the app's package"))
    );
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(
        json["facts"]["policy"]["elements"]["purposes"]["value"],
        true
    );
}

#[test]
fn gaps_in_a_gbk_policy() {
    let r = scan_path(&fixture("policy/gaps.gbk.txt"), &ScanOptions::default());
    let p = r.facts.policy.as_ref().expect("policy facts");
    assert_eq!(p.encoding, "gb18030");
    assert_eq!(codes(&r), ["POL001", "POL003", "POL004", "POL005"]);
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(
        json["facts"]["policy"]["elements"]["user_rights"]["value"],
        "partial"
    );
    let pol004 = r
        .findings
        .iter()
        .find(|f| f.code == "POL004")
        .expect("POL004");
    assert!(
        serde_json::to_string(&pol004.evidence)
            .expect("json")
            .contains("30个工作日")
    );
}

#[test]
fn personalisation_needs_a_way_to_turn_it_off() {
    let forced = scan_path(
        &fixture("policy/personalised-forced.md"),
        &ScanOptions::default(),
    );
    let pol006 = forced
        .findings
        .iter()
        .find(|f| f.code == "POL006")
        .expect("POL006 where the only way out is to stop using the app");
    assert!(
        serde_json::to_string(&pol006.evidence)
            .expect("json")
            .contains("个性化推荐"),
        "{:?}",
        pol006.evidence
    );
    let offered = scan_path(
        &fixture("policy/personalised-opt-out.md"),
        &ScanOptions::default(),
    );
    assert!(offered.facts.policy.is_some());
    assert!(
        !codes(&offered).contains(&"POL006"),
        "{:?}",
        codes(&offered)
    );
}

#[test]
fn agreement_and_forced_kind() {
    let r = scan_path(&fixture("policy/agreement.md"), &ScanOptions::default());
    assert!(codes(&r).contains(&"POL002"));
    // `--kind policy` reads any text as a policy.
    let opts = ScanOptions {
        force_policy: true,
        ..ScanOptions::default()
    };
    let r = scan_bytes(
        "notes.txt",
        "我们会收集您的位置信息。".as_bytes(),
        &opts,
        std::time::Instant::now(),
    );
    assert_eq!(r.artifact.kind, ArtifactKind::Policy);
    assert!(r.facts.policy.is_some());
}

#[test]
fn package_with_its_policy() {
    let opts = ScanOptions {
        policy: Some(fixture("policy/complete.html")),
        ..ScanOptions::default()
    };
    let r = scan_path(&fixture("apk/privacy-basic.apk"), &opts);
    assert!(r.facts.android.is_some() && r.facts.policy.is_some());
    let xc: Vec<(&str, String)> = r
        .findings
        .iter()
        .filter(|f| f.code.starts_with("XC"))
        .map(|f| (f.code.as_str(), f.party.to_string()))
        .collect();
    // The policy declares device identifiers and location, not the clipboard or contacts.
    assert!(xc.contains(&("XC001", "app".into())), "{xc:?}");
    // 友盟 and 极光推送 are listed (JCore ships with JPush); Getui and Firebase are not.
    assert!(xc.contains(&("XC002", "sdk:getui".into())), "{xc:?}");
    assert!(
        !xc.iter()
            .any(|(c, p)| *c == "XC002"
                && (p == "sdk:umeng" || p == "sdk:jpush" || p == "sdk:jcore")),
        "{xc:?}"
    );
    let opts = ScanOptions {
        policy: Some(fixture("policy/missing.html")),
        ..ScanOptions::default()
    };
    let r = scan_path(&fixture("apk/privacy-basic.apk"), &opts);
    assert!(
        r.errors.iter().any(|e| e.code == "io-error"),
        "{:?}",
        r.errors
    );
}

#[test]
fn hostile_policies_are_bounded() {
    let opts = ScanOptions {
        force_policy: true,
        ..ScanOptions::default()
    };
    let started = std::time::Instant::now();
    let big = "个人信息".repeat(3 << 20);
    let r = scan_bytes("big.txt", big.as_bytes(), &opts, started);
    assert_eq!(r.errors[0].code, "policy-too-large");
    let junk: Vec<u8> = (0u32..100_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let r = scan_bytes("junk.bin", &junk, &opts, started);
    assert_eq!(r.errors[0].code, "not-text");
    // Deep nesting and unclosed markup: the reader keeps no tree.
    let nested = format!(
        "<html><body>{}隐私政策 个人信息 手机号码",
        "<div><b>".repeat(200_000)
    );
    let r = scan_bytes("nested.html", nested.as_bytes(), &opts, started);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(started.elapsed().as_secs() < 30, "bounded time");
}

/// A mini-program project's own policy page is read as its policy.
#[test]
fn miniprogram_policy_page() {
    let dir = std::env::temp_dir().join(format!("hegui-policy-mp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pages/privacy")).expect("mkdir");
    std::fs::write(
        dir.join("app.json"),
        r#"{"pages": ["pages/index/index", "pages/privacy/privacy"]}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("pages/privacy/privacy.wxml"),
        "<view class=\"title\">隐私政策</view><view>我们会收集您的位置信息，用于推荐附近门店。</view><view>如有投诉请联系 privacy@example.com。</view>",
    )
    .expect("write");
    let r = scan_path(&dir, &ScanOptions::default());
    let p = r.facts.policy.as_ref().expect("policy from the page");
    assert!(
        p.source.ends_with("pages/privacy/privacy.wxml"),
        "{}",
        p.source
    );
    assert!(
        p.pi_types
            .iter()
            .any(|d| d.category == hegui_model::PiCategory::Location)
    );
}

/// `--app-type` turns on the necessary-PI comparison; without it, it is not assessed.
#[test]
fn app_type_is_given_not_guessed() {
    let r = scan_path(&fixture("apk/privacy-basic.apk"), &ScanOptions::default());
    assert!(!r.findings.iter().any(|f| f.code == "XC004"));
    assert!(
        r.not_assessed
            .iter()
            .any(|n| n.reason.en.contains("--app-type"))
    );
    let opts = ScanOptions {
        app_type: Some("网上购物类".into()),
        ..ScanOptions::default()
    };
    let r = scan_path(&fixture("apk/privacy-basic.apk"), &opts);
    assert_eq!(r.facts.app_type.as_deref(), Some("网上购物类"));
    assert!(
        r.findings.iter().any(|f| f.code == "XC004"),
        "contacts and location are not necessary for shopping"
    );
}
