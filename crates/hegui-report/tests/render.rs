//! Every format from one hand-built report; attacker-controlled text stays inert.

use hegui_model::*;
use hegui_report::{Format, RuleDescriptor, render, report_schema};

fn report() -> Report {
    Report {
        schema: REPORT_SCHEMA.into(),
        tool: ToolInfo {
            name: "hegui".into(),
            version: "0.1.0".into(),
            ruleset: "test".into(),
        },
        artifact: ArtifactInfo {
            path: "app.apk".into(),
            sha256: "ab".repeat(32),
            kind: ArtifactKind::Apk,
            size: 10,
        },
        app: AppInfo {
            platform: "android".into(),
            id: "com.example".into(),
            name: Some("<script>alert(1)</script>".into()),
            version: Some("1.0".into()),
        },
        facts: Facts::default(),
        sdks: vec![],
        findings: vec![Finding {
            code: "AND003".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            title: Localized::new("标题", "Title"),
            message: Localized::new("消息 <b>", "message <b>"),
            party: Party::Sdk("umeng".into()),
            cites: vec!["MIIT164-01".into()],
            evidence: vec![Evidence::Code {
                file: "classes.dex".into(),
                class: "com.umeng.A".into(),
                method: "b".into(),
                offset: 0x10,
                api: Some("Landroid/telephony/TelephonyManager;->getDeviceId".into()),
            }],
            remediation: Localized::new("修复", "fix"),
            fingerprint: "f".repeat(32),
            pi: None,
            confirmed_by: vec![],
        }],
        not_assessed: vec![NotAssessed {
            cite: "AM-1.2".into(),
            reason: Localized::new("需要动态", "needs a trace"),
        }],
        errors: vec![ScanError {
            code: "zip-anomaly".into(),
            message: "m".into(),
            entry: None,
        }],
        elapsed_ms: 1,
    }
}

fn rules() -> Vec<RuleDescriptor> {
    vec![RuleDescriptor {
        code: "AND003".into(),
        name: "privacy-api-call".into(),
        title_zh: "标题".into(),
        title_en: "Title".into(),
        severity: Severity::Medium,
        cites: vec!["MIIT164-01".into()],
        help: "## doc".into(),
    }]
}

#[test]
fn json_round_trips() {
    let text = render(&report(), Format::Json, Lang::Zh, &rules()).expect("json");
    let back: Report = serde_json::from_str(&text).expect("parse back");
    assert_eq!(back, report());
    let v: serde_json::Value = serde_json::from_str(&text).expect("value");
    assert_eq!(v["findings"][0]["party"], "sdk:umeng");
    assert_eq!(v["findings"][0]["evidence"][0]["kind"], "code");
}

#[test]
fn sarif_has_rules_locations_and_fingerprints() {
    let text = render(&report(), Format::Sarif, Lang::Zh, &rules()).expect("sarif");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "AND003");
    assert_eq!(
        run["tool"]["driver"]["rules"][0]["properties"]["cites"][0],
        "MIIT164-01"
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleIndex"], 0);
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "com.umeng.A.b"
    );
    assert_eq!(result["partialFingerprints"]["hegui/v1"], "f".repeat(32));
}

#[test]
fn html_escapes_package_text_and_speaks_both_languages() {
    let zh = render(&report(), Format::Html, Lang::Zh, &rules()).expect("html");
    assert!(!zh.contains("<script>alert(1)</script>"));
    assert!(zh.contains("&lt;script&gt;"));
    assert!(zh.contains("个人信息合规检测报告") && zh.contains("消息 &lt;b&gt;"));
    let en = render(&report(), Format::Html, Lang::En, &rules()).expect("html");
    assert!(en.contains("Personal-information compliance report") && en.contains("needs a trace"));
}

#[test]
fn markdown_lists_findings_and_gaps() {
    let md = render(&report(), Format::Markdown, Lang::En, &rules()).expect("md");
    assert!(md.contains("### AND003"));
    assert!(md.contains("`com.umeng.A.b` (classes.dex+0x10)"));
    assert!(md.contains("`AM-1.2`: needs a trace"));
}

#[test]
fn schema_describes_the_contract() {
    let schema: serde_json::Value = serde_json::from_str(&report_schema()).expect("schema");
    let props = &schema["properties"];
    for key in [
        "schema",
        "artifact",
        "app",
        "facts",
        "sdks",
        "findings",
        "not_assessed",
        "errors",
    ] {
        assert!(props.get(key).is_some(), "{key}");
    }
}

/// The report with an SDK inventory and findings of two parties.
fn report_with_sdks() -> Report {
    let mut r = report();
    r.sdks = vec![
        SdkMatch {
            id: "umeng".into(),
            name: "友盟+ 统计".into(),
            name_en: "Umeng Analytics".into(),
            vendor: "友盟同欣（北京）科技有限公司".into(),
            category: "analytics".into(),
            version: Some("9.6.3".into()),
            collects: vec![PiCategory::DeviceId, PiCategory::Location],
            policy_url: Some("https://example.com/policy?a=1&b=<x>".into()),
            evidence: vec![SdkEvidence {
                kind: SdkEvidenceKind::Prefix,
                value: "com.umeng.".into(),
                count: 12,
            }],
            classes: 12,
        },
        SdkMatch {
            id: "androidx".into(),
            name: "AndroidX".into(),
            name_en: "AndroidX".into(),
            vendor: "Google LLC".into(),
            category: "framework".into(),
            version: None,
            collects: vec![],
            policy_url: None,
            evidence: vec![],
            classes: 900,
        },
    ];
    let mut own = r.findings[0].clone();
    own.party = Party::App;
    own.severity = Severity::Low;
    own.message = Localized::new("应用自身", "app's own");
    r.findings.push(own);
    r
}

#[test]
fn findings_are_grouped_by_party_app_first() {
    let r = report_with_sdks();
    let groups = hegui_report::findings_by_party(&r, Lang::En);
    let parties: Vec<&str> = groups.iter().map(|g| g.party.as_str()).collect();
    assert_eq!(parties, ["app", "sdk:umeng"]);
    assert_eq!(
        groups[1].label,
        "Third-party SDK Umeng Analytics (友盟同欣（北京）科技有限公司)"
    );

    let md = render(&r, Format::Markdown, Lang::Zh, &rules()).expect("md");
    let app_at = md.find("### 应用自身代码").expect("app group");
    let sdk_at = md.find("### 第三方 SDK 友盟+ 统计").expect("sdk group");
    assert!(app_at < sdk_at);
    assert!(md.contains(
        "| 友盟+ 统计 `umeng` | 友盟同欣（北京）科技有限公司 | analytics | 9.6.3 | 12 |"
    ));
    assert!(md.contains("位置信息"));
    assert!(
        !md.contains("`androidx`"),
        "platform libraries are not listed as third parties"
    );
}

#[test]
fn html_lists_sdks_with_escaped_policy_links() {
    let r = report_with_sdks();
    let html = render(&r, Format::Html, Lang::En, &rules()).expect("html");
    assert!(html.contains("Umeng Analytics"));
    assert!(html.contains("prefix com.umeng."));
    assert!(html.contains("device identifiers"));
    assert!(html.contains("b=&lt;x&gt;"), "URL is escaped");
    assert!(html.contains("Platform libraries (1)"));
    let app_at = html
        .find("The app&#x27;s own code")
        .or_else(|| html.find("The app's own code"));
    let sdk_at = html.find("Third-party SDK Umeng Analytics");
    assert!(app_at.is_some() && sdk_at.is_some() && app_at < sdk_at);
}
