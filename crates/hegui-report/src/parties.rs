//! The operator's view of a report: findings grouped by who is responsible, and the SDK
//! inventory as a table. Shared by the HTML and Markdown renderers.

use hegui_model::{Finding, Lang, Localized, Party, Report, SdkMatch};
use serde::Serialize;

/// Findings of one responsible party.
#[derive(Debug, Serialize)]
pub struct PartyGroup<'r> {
    /// `app`, `sdk:<id>` or `unknown`.
    pub party: String,
    /// How the party is named, in the report's language.
    pub label: String,
    pub findings: Vec<&'r Finding>,
}

/// How a party is named: the app, a detected SDK by name and operator, another third-party
/// package, or unattributed code.
pub fn party_label(report: &Report, party: &Party) -> Localized {
    match party {
        Party::App => Localized::new("应用自身代码", "The app's own code"),
        Party::Unknown => {
            Localized::new("无法归属的（混淆）代码", "Unattributed (obfuscated) code")
        }
        Party::Sdk(id) => match report.sdks.iter().find(|s| &s.id == id) {
            Some(s) if s.is_framework() => Localized::new(
                format!("平台支持库 {}", s.name),
                format!("Platform library {}", s.name_en),
            ),
            Some(s) => Localized::new(
                format!("第三方 SDK {}（{}）", s.name, s.vendor),
                format!("Third-party SDK {} ({})", s.name_en, s.vendor),
            ),
            None => Localized::new(format!("第三方代码 {id}"), format!("Third-party code {id}")),
        },
    }
}

/// Findings grouped by party: the app first, then SDKs and other third parties by their most
/// severe finding, unattributed code last. Order inside a group is the report's.
pub fn findings_by_party(report: &Report, lang: Lang) -> Vec<PartyGroup<'_>> {
    let mut groups: Vec<(Party, Vec<&Finding>)> = Vec::new();
    for f in &report.findings {
        match groups.iter_mut().find(|(p, _)| *p == f.party) {
            Some((_, list)) => list.push(f),
            None => groups.push((f.party.clone(), vec![f])),
        }
    }
    let rank = |party: &Party, findings: &[&Finding]| {
        let worst = findings.iter().map(|f| f.severity).max();
        let class = match party {
            Party::App => 0,
            Party::Sdk(_) => 1,
            Party::Unknown => 2,
        };
        (class, std::cmp::Reverse(worst))
    };
    groups.sort_by_key(|a| rank(&a.0, &a.1));
    groups
        .into_iter()
        .map(|(party, findings)| PartyGroup {
            label: party_label(report, &party).get(lang).to_string(),
            party: party.to_string(),
            findings,
        })
        .collect()
}

/// One SDK row, with everything localised.
#[derive(Debug, Serialize)]
pub struct SdkRow<'r> {
    pub sdk: &'r SdkMatch,
    pub name: &'r str,
    pub collects: Vec<String>,
    /// `12 × prefix com.umeng.`, `meta-data UMENG_APPKEY`, …
    pub evidence: Vec<String>,
}

/// Third-party SDKs first (as detection ordered them), platform libraries after.
pub fn sdk_rows(report: &Report, lang: Lang) -> Vec<SdkRow<'_>> {
    report
        .sdks
        .iter()
        .map(|sdk| SdkRow {
            sdk,
            name: if lang == Lang::Zh {
                &sdk.name
            } else {
                &sdk.name_en
            },
            collects: sdk
                .collects
                .iter()
                .map(|c| c.label().get(lang).to_string())
                .collect(),
            evidence: sdk
                .evidence
                .iter()
                .map(|e| {
                    let kind = serde_json::to_value(e.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    if e.count > 1 {
                        format!("{} × {kind} {}", e.count, e.value)
                    } else {
                        format!("{kind} {}", e.value)
                    }
                })
                .collect(),
        })
        .collect()
}
