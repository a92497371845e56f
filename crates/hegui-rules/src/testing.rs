//! Test helpers: build facts in a few lines, run one rule, render findings for snapshots.

use std::fmt::Write;

use hegui_knowledge::sdk_catalog;
use hegui_model::{
    AndroidFacts, ApiAccess, ApiUse, Component, ComponentKind, DexInfo, Facts, Finding,
    IntentFilter, Party, PiCategory, SdkEvidence, SdkEvidenceKind, SdkMatch,
};

use crate::{Context, Findings, Report, RuleMeta};

/// Android facts for `com.example.app` with one DEX (so the code counts as readable).
pub fn android() -> AndroidFacts {
    AndroidFacts {
        package: "com.example.app".into(),
        target_sdk: Some(30),
        dex_files: vec![DexInfo {
            path: "classes.dex".into(),
            version: 35,
            size: 1,
            classes: 1,
            methods: 1,
            strings: 1,
        }],
        ..Default::default()
    }
}

pub fn api(api: &str, category: PiCategory, class: &str, method: &str) -> ApiUse {
    ApiUse {
        api: api.into(),
        category,
        caller_class: class.into(),
        caller_method: method.into(),
        access: ApiAccess::Invoke,
        dex: "classes.dex".into(),
        offset: 0x1234,
        string_args: Vec::new(),
        via: hegui_model::ApiVia::Direct,
        party: Party::Unknown,
        flow: None,
        reachable: None,
        entry_path: Vec::new(),
    }
}

/// A catalogued SDK as detection reports it, with `classes` classes under its first prefix.
pub fn sdk(id: &str, classes: u32) -> SdkMatch {
    let Some(entry) = sdk_catalog().get(id) else {
        panic!("test names an SDK missing from the catalogue: {id}");
    };
    let evidence = vec![SdkEvidence {
        kind: SdkEvidenceKind::Prefix,
        value: entry.prefixes.first().cloned().unwrap_or_default(),
        count: classes,
    }];
    entry.to_match(evidence, classes, None)
}

/// An exported receiver handling `actions`.
pub fn receiver(name: &str, actions: &[&str]) -> Component {
    Component {
        kind: ComponentKind::Receiver,
        name: name.into(),
        exported_attr: Some(true),
        exported: true,
        permission: None,
        enabled: None,
        process: None,
        foreground_service_type: None,
        target: None,
        intent_filters: vec![IntentFilter {
            actions: actions.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        }],
    }
}

/// A provider that is not exported, with its authority target.
pub fn provider(name: &str, target: &str) -> Component {
    Component {
        kind: ComponentKind::Provider,
        name: name.into(),
        exported_attr: Some(false),
        exported: false,
        permission: None,
        enabled: None,
        process: None,
        foreground_service_type: None,
        target: Some(target.into()),
        intent_filters: vec![],
    }
}

/// iOS facts for `com.example.ios` with a readable main executable.
pub fn ios() -> hegui_model::IosFacts {
    hegui_model::IosFacts {
        bundle_id: "com.example.ios".into(),
        app_path: "Payload/A.app/".into(),
        binaries: vec![hegui_model::MachOInfo {
            path: "Payload/A.app/A".into(),
            role: "main".into(),
            archs: vec!["arm64".into()],
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A reference from the main executable to an iOS API.
pub fn ios_api(
    api: &str,
    category: PiCategory,
    keys: &[&str],
    party: Party,
) -> hegui_model::IosApiUse {
    hegui_model::IosApiUse {
        api: api.into(),
        category,
        via: "class".into(),
        binary: "Payload/A.app/A".into(),
        party,
        plist_keys: keys.iter().map(|k| k.to_string()).collect(),
        required_reason: None,
    }
}

/// Run one rule over iOS facts.
pub fn run_ios(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: hegui_model::IosFacts,
) -> Report {
    let facts = Facts {
        android: None,
        ios: Some(facts),
        miniprogram: None,
        policy: None,
        policy_origin: None,
        app_type: None,
        listing: None,
        trace: None,
    };
    run_facts(meta, check, &facts, &[])
}

/// Run one rule's check over the facts, as the registry would.
pub fn run(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: AndroidFacts,
) -> Report {
    run_with_sdks(meta, check, facts, &[])
}

/// [`run`] with the SDKs detection would have found.
pub fn run_with_sdks(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: AndroidFacts,
    sdks: &[SdkMatch],
) -> Report {
    let facts = Facts {
        android: Some(facts),
        ios: None,
        miniprogram: None,
        policy: None,
        policy_origin: None,
        app_type: None,
        listing: None,
        trace: None,
    };
    run_facts(meta, check, &facts, sdks)
}

/// Run one rule's check over any facts (several platforms' facts, a policy…).
pub fn run_facts_pub(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: &Facts,
) -> Report {
    run_facts(meta, check, facts, &[])
}

/// [`run_facts_pub`] with the SDKs detection would have found.
pub fn run_facts_with_sdks(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: &Facts,
    sdks: &[SdkMatch],
) -> Report {
    run_facts(meta, check, facts, sdks)
}

/// A complete privacy policy: every element present, nothing declared.
pub fn policy() -> hegui_model::PolicyFacts {
    hegui_model::PolicyFacts {
        source: "privacy.html".into(),
        encoding: "utf-8".into(),
        format: "html".into(),
        language: "zh".into(),
        doc_type: "privacy_policy".into(),
        chars: 5000,
        elements: hegui_model::POLICY_ELEMENTS
            .iter()
            .map(|e| {
                (
                    e.to_string(),
                    hegui_model::PolicyElement {
                        value: hegui_model::ElementValue::TRUE,
                        evidence: Vec::new(),
                        missing: None,
                    },
                )
            })
            .collect(),
        ..Default::default()
    }
}

/// A PI type a policy declares, unmarked and without a purpose.
pub fn declared_pi(category: PiCategory, term: &str) -> hegui_model::DeclaredPi {
    hegui_model::DeclaredPi {
        category,
        term: term.into(),
        span: hegui_model::TextSpan {
            start: 1,
            end: 1 + term.chars().count() as u32,
            quote: term.into(),
            source: None,
        },
        section: None,
        marked: false,
        sensitive: category.is_sensitive(),
        purpose: None,
    }
}

/// Set one element of a policy, with a quote as evidence.
pub fn set_element(
    policy: &mut hegui_model::PolicyFacts,
    name: &str,
    value: hegui_model::ElementValue,
    quote: Option<&str>,
) {
    policy.elements.insert(
        name.to_string(),
        hegui_model::PolicyElement {
            value,
            evidence: quote
                .map(|q| hegui_model::TextSpan {
                    start: 100,
                    end: 100 + q.chars().count() as u32,
                    quote: q.to_string(),
                    source: None,
                })
                .into_iter()
                .collect(),
            missing: None,
        },
    );
}

/// Run one rule over policy facts alone.
pub fn run_policy(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: hegui_model::PolicyFacts,
) -> Report {
    let facts = Facts {
        policy: Some(facts),
        ..Facts::default()
    };
    run_facts(meta, check, &facts, &[])
}

/// Run one rule's check over any facts, as the registry would.
fn run_facts(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: &Facts,
    sdks: &[SdkMatch],
) -> Report {
    let ctx = Context::new(facts, sdks, sdk_catalog());
    let mut report = Report::default();
    let mut out = Findings::new(meta, &mut report);
    check(&ctx, &mut out);
    out.close();
    report
}

/// WeChat mini-program facts for `wx0123456789abcdef`, read from a project folder.
pub fn miniprogram() -> hegui_model::MiniProgramFacts {
    hegui_model::MiniProgramFacts {
        platform: "wechat".into(),
        appid: Some("wx0123456789abcdef".into()),
        container: "source".into(),
        pages: vec!["pages/index/index".into()],
        files: 10,
        ..Default::default()
    }
}

/// A reference to a platform API (`wx.getLocation`) at `file:line`.
pub fn mp_call(api: &str, file: &str, line: u32) -> hegui_model::MiniProgramApiCall {
    hegui_model::MiniProgramApiCall::new(api, mp_site(file, line))
}

/// A place in a mini-program file.
pub fn mp_site(file: &str, line: u32) -> hegui_model::SourceSite {
    hegui_model::SourceSite {
        file: file.into(),
        line,
        col: 5,
    }
}

/// Run one rule over mini-program facts.
pub fn run_mp(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: hegui_model::MiniProgramFacts,
) -> Report {
    let facts = Facts {
        android: None,
        ios: None,
        miniprogram: Some(facts),
        policy: None,
        policy_origin: None,
        app_type: None,
        listing: None,
        trace: None,
    };
    run_facts(meta, check, &facts, &[])
}

/// Trace facts from JSON Lines written in a test: one event per line, `seq` and `ts` filled
/// in (one second apart from 2026-11-22T10:00:00+08:00 unless the line sets `ts`), the rest
/// as given. Lines without `run_id` get `r1`.
pub fn trace(lines: &[&str]) -> hegui_model::TraceFacts {
    let mut text = String::from(
        r#"{"v":1,"seq":0,"type":"trace_start","ts":"2026-11-22T10:00:00.000+08:00","run_id":"r1","src":{"tool":"test"},"app":{"package":"com.example.app","platform":"android"},"fixtures":{"android_id":"9774d56d682e549c","phone_number":"13812345678"}}"#,
    );
    text.push('\n');
    for (i, line) in lines.iter().enumerate() {
        let mut v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let o = v
            .as_object_mut()
            .unwrap_or_else(|| panic!("{line}: not an object"));
        o.insert("v".into(), 1.into());
        o.insert("seq".into(), (i as u64 + 1).into());
        o.entry("ts")
            .or_insert_with(|| format!("2026-11-22T10:00:{:02}.000+08:00", (i + 1).min(59)).into());
        o.entry("run_id").or_insert_with(|| "r1".into());
        o.insert("src".into(), serde_json::json!({"tool": "test"}));
        text.push_str(&v.to_string());
        text.push('\n');
    }
    let catalog = sdk_catalog();
    let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
    hegui_trace::read_jsonl(&mut a, "test.jsonl", text.as_bytes())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let (facts, errors) = a.finish();
    assert!(errors.is_empty(), "{errors:?}");
    facts
}

/// An API call event by `class` (innermost non-framework frame) reading `category`.
pub fn call(category: &str, class: &str) -> String {
    format!(
        r#"{{"type":"api_call","api":{{"cls":"android.provider.Settings$Secure","method":"getString"}},"category":"{category}","stack":[{{"cls":"android.provider.Settings$Secure","method":"getString"}},{{"cls":"{class}","method":"run"}}]}}"#
    )
}

/// Run one rule over trace facts (and an optional policy).
pub fn run_trace(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    trace: hegui_model::TraceFacts,
    policy: Option<hegui_model::PolicyFacts>,
) -> Report {
    let facts = Facts {
        trace: Some(trace),
        policy,
        ..Facts::default()
    };
    run_facts(meta, check, &facts, &[])
}

/// A readable rendering of findings for snapshots.
pub fn render(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let _ = writeln!(
            s,
            "{} [{}] party={} fingerprint={}",
            f.code,
            f.severity.id(),
            f.party,
            f.fingerprint
        );
        let _ = writeln!(s, "  zh: {}", f.message.zh);
        let _ = writeln!(s, "  en: {}", f.message.en);
        for e in &f.evidence {
            let _ = writeln!(
                s,
                "  evidence: {}",
                serde_json::to_string(e).unwrap_or_default()
            );
        }
    }
    s
}

/// A complete listing: the developer verified, permissions with purposes, PI described.
pub fn listing() -> hegui_model::ListingFacts {
    hegui_model::ListingFacts {
        source: "feed.jsonl:1".into(),
        store: "示例应用市场".into(),
        package: "com.example.app".into(),
        name: Some("示例".into()),
        version: Some("1.0".into()),
        developer: Some("示例科技有限公司".into()),
        licence_id: Some("91350100M000100Y43".into()),
        permissions_shown: true,
        permissions: vec![hegui_model::ListedPermission {
            name: "android.permission.CAMERA".into(),
            purpose: Some("扫描二维码".into()),
            categories: vec![PiCategory::Camera],
        }],
        pi_shown: true,
        pi: vec![hegui_model::ListedPi {
            text: "手机号".into(),
            categories: vec![PiCategory::PhoneNumber],
        }],
        policy_url: Some("https://example.com/privacy".into()),
        policy_text_shown: false,
    }
}
