//! Static findings that a runtime trace confirms: the call a static rule saw in the code
//! was made while the app ran, by the same party. The finding keeps its severity; it gains
//! the trace events (`confirmed_by`) that a reviewer can check.

use hegui_model::{ConsentPhase, Finding, Party, TraceFacts};

const MAX_CONFIRMING: usize = 5;

/// Mark each static finding the trace confirms.
pub fn confirm(findings: &mut [Finding], trace: &TraceFacts) {
    for f in findings.iter_mut() {
        let family = f.code.trim_end_matches(|c: char| c.is_ascii_digit());
        if !matches!(family, "AND" | "IOS" | "MP") {
            continue;
        }
        let mut seqs = match f.code.as_str() {
            // Starts that the code makes possible, seen happening.
            "AND005" => trace.self_starts.iter().map(|s| s.at.seq).collect(),
            "AND006" => trace
                .ipc_starts
                .iter()
                .filter(|s| same_party(&f.party, &s.party))
                .map(|s| s.at.seq)
                .collect(),
            // Cleartext allowed by configuration, and PI actually sent in clear.
            "AND007" | "IOS005" | "MP007" => trace
                .network
                .pi_flows
                .iter()
                .filter(|p| matches!(p.scheme.as_str(), "http" | "ws") && !p.local)
                .map(|p| p.at.seq)
                .collect(),
            // An SDK initialised at startup, seen collecting before consent.
            "AND011" => trace
                .collections
                .iter()
                .filter(|c| c.party == f.party && c.phase == ConsentPhase::BeforeConsent)
                .flat_map(|c| c.seqs.iter().copied())
                .collect(),
            _ => match f.pi {
                Some(pi) => trace
                    .collections
                    .iter()
                    .filter(|c| c.pi == Some(pi) && c.party == f.party)
                    .flat_map(|c| c.seqs.iter().copied())
                    .collect(),
                None => Vec::new(),
            },
        };
        seqs.sort_unstable();
        seqs.dedup();
        seqs.truncate(MAX_CONFIRMING);
        f.confirmed_by = seqs;
    }
}

/// An unattributed event can confirm anyone's finding; a named party only its own.
fn same_party(finding: &Party, event: &Party) -> bool {
    *event == Party::Unknown || finding == event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{call, trace};
    use hegui_model::{Confidence, Localized, PiCategory, Severity};

    fn finding(code: &str, party: Party, pi: Option<PiCategory>) -> Finding {
        Finding {
            code: code.into(),
            severity: Severity::Medium,
            confidence: Confidence::High,
            title: Localized::new("", ""),
            message: Localized::new("", ""),
            party,
            cites: vec![],
            evidence: vec![],
            remediation: Localized::new("", ""),
            fingerprint: String::new(),
            pi,
            confirmed_by: vec![],
        }
    }

    #[test]
    fn same_category_and_party_confirms() {
        let t = trace(&[&call(
            "device_id.android_id",
            "com.umeng.commonsdk.statistics.common.DeviceConfig",
        )]);
        let umeng = Party::Sdk("umeng".into());
        let mut fs = vec![
            finding("AND003", umeng.clone(), Some(PiCategory::AndroidId)),
            finding("AND003", Party::App, Some(PiCategory::AndroidId)),
            finding("AND003", umeng.clone(), Some(PiCategory::Location)),
            finding("AND011", umeng, None),
            finding("DYN001", Party::App, Some(PiCategory::AndroidId)),
        ];
        confirm(&mut fs, &t);
        let got: Vec<bool> = fs.iter().map(|f| !f.confirmed_by.is_empty()).collect();
        assert_eq!(got, [true, false, false, true, false]);
    }
}
