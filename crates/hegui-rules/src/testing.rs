//! Test helpers: build facts in a few lines, run one rule, render findings for snapshots.

use std::fmt::Write;

use hegui_model::{
    AndroidFacts, ApiAccess, ApiUse, Component, ComponentKind, DexInfo, Facts, Finding,
    IntentFilter, PiCategory,
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
    }
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

/// Run one rule's check over the facts, as the registry would.
pub fn run(
    meta: &RuleMeta,
    check: fn(&Context<'_>, &mut Findings<'_>),
    facts: AndroidFacts,
) -> Report {
    let facts = Facts {
        android: Some(facts),
    };
    let ctx = Context::new(&facts, &[]);
    let mut report = Report::default();
    let mut out = Findings::new(meta, &mut report);
    check(&ctx, &mut out);
    out.close();
    report
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
