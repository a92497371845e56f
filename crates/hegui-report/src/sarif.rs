//! SARIF 2.1.0 for code-scanning tools.

use hegui_model::{Evidence, Finding, Report, Severity};
use serde_json::{Value, json};

use crate::{RenderError, RuleDescriptor};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub-style numeric severity for ordering.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rule_descriptor(r: &RuleDescriptor) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": format!("{} / {}", r.title_zh, r.title_en) },
        "fullDescription": { "text": r.title_en },
        "help": { "text": r.help, "markdown": r.help },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "tags": r.cites,
            "security-severity": security_severity(r.severity),
            "cites": r.cites,
        }
    })
}

fn locations(report: &Report, f: &Finding) -> Vec<Value> {
    let artifact = json!({ "uri": report.artifact.path });
    let mut out: Vec<Value> = f
        .evidence
        .iter()
        .map(|e| match e {
            Evidence::Code { file, class, method, offset, api } => json!({
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": { "byteOffset": offset, "byteLength": 0 },
                },
                "logicalLocations": [{
                    "fullyQualifiedName": format!("{class}.{method}"),
                    "name": method,
                    "kind": "function",
                }],
                "message": { "text": format!("{file}: {}", api.as_deref().unwrap_or("")) },
            }),
            Evidence::Manifest { element, name, .. } => json!({
                "physicalLocation": { "artifactLocation": artifact },
                "logicalLocations": [{ "fullyQualifiedName": format!("AndroidManifest.xml/{element}[{name}]"), "kind": "element" }],
            }),
            Evidence::Entry { path, .. } => json!({
                "physicalLocation": { "artifactLocation": artifact },
                "logicalLocations": [{ "fullyQualifiedName": path, "kind": "module" }],
            }),
            // The module inside the package or project: code scanning shows file and line.
            Evidence::Line { file, line, col, detail } => json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": file, "uriBaseId": "SRCROOT" },
                    "region": { "startLine": line, "startColumn": col },
                },
                "logicalLocations": [{ "fullyQualifiedName": report.artifact.path, "kind": "package" }],
                "message": { "text": detail.as_deref().unwrap_or("") },
            }),
            // SARIF counts characters too (UTF-16 units, equal for the BMP text of policies).
            Evidence::Span { file, start, end, quote } => json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": file },
                    "region": { "charOffset": start, "charLength": end.saturating_sub(*start), "snippet": { "text": quote } },
                },
                "message": { "text": quote },
            }),
            // The trace file is the artifact; events have no line of their own to point at.
            Evidence::Trace { file, seqs, detail } => json!({
                "physicalLocation": { "artifactLocation": { "uri": file } },
                "logicalLocations": [{ "fullyQualifiedName": format!("seq {}", join_seqs(seqs)), "kind": "event" }],
                "message": { "text": detail },
            }),
            Evidence::Request { origin, method, url, detail } => json!({
                "physicalLocation": { "artifactLocation": { "uri": origin } },
                "logicalLocations": [{ "fullyQualifiedName": format!("{method} {url}"), "kind": "request" }],
                "message": { "text": detail },
            }),
            Evidence::Listing { source, store, field, value } => json!({
                "physicalLocation": { "artifactLocation": { "uri": source } },
                "logicalLocations": [{ "fullyQualifiedName": format!("{store}/{field}"), "kind": "listing" }],
                "message": { "text": value.clone().unwrap_or_else(|| format!("{field}: missing")) },
            }),
            Evidence::Note { text } => json!({
                "physicalLocation": { "artifactLocation": artifact },
                "message": { "text": text },
            }),
        })
        .collect();
    if out.is_empty() {
        out.push(json!({ "physicalLocation": { "artifactLocation": artifact } }));
    }
    out
}

fn run(report: &Report, rules: &[RuleDescriptor]) -> Value {
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.code == f.code);
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": format!("{}\n{}", f.message.zh, f.message.en) },
                "locations": locations(report, f),
                "partialFingerprints": { "hegui/v1": f.fingerprint },
                "properties": {
                    "party": f.party.to_string(),
                    "severity": f.severity.id(),
                    "cites": f.cites,
                    "remediation": f.remediation,
                    "confirmedBy": f.confirmed_by,
                },});
            if let (Some(i), Some(obj)) = (index, result.as_object_mut()) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            result
        })
        .collect();
    json!({
        "tool": { "driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "informationUri": "https://github.com/hegui-project/hegui",
            "rules": rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
        }},
        "artifacts": [{ "location": { "uri": report.artifact.path }, "hashes": { "sha-256": report.artifact.sha256 } }],
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
            "toolExecutionNotifications": report.errors.iter().map(|e| json!({
                "level": "warning",
                "message": { "text": e.message },
                "descriptor": { "id": e.code },
            })).collect::<Vec<_>>(),
        }],
        "properties": { "app": report.app, "not_assessed": report.not_assessed.len() },
    })
}

/// A SARIF log with one run per report.
pub fn sarif_log(reports: &[&Report], rules: &[RuleDescriptor]) -> Result<String, RenderError> {
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": reports.iter().map(|r| run(r, rules)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&log).map_err(|e| RenderError(e.to_string()))
}

pub fn render_sarif(report: &Report, rules: &[RuleDescriptor]) -> Result<String, RenderError> {
    sarif_log(&[report], rules)
}

fn join_seqs(seqs: &[u64]) -> String {
    seqs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
