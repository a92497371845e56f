//! `NET`: personal information in captured traffic.

pub mod cleartext_pi;
pub mod third_party_before_consent;
pub mod third_party_not_in_policy;

use std::collections::BTreeMap;

use hegui_model::{Evidence, PiFlow};

/// `device_id.imei (md5, body)`: what was found where, never the value.
pub(crate) fn hits_summary(flow: &PiFlow) -> String {
    flow.hits
        .iter()
        .map(|h| {
            let how = if h.fixture { "device value" } else { "pattern" };
            format!("{} ({} in {}, {how})", h.kind, h.form, h.place)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `1 request` / `3 requests`.
pub(crate) fn requests(n: usize) -> String {
    if n == 1 {
        "1 request".into()
    } else {
        format!("{n} requests")
    }
}

pub(crate) fn kinds(flows: &[&PiFlow]) -> String {
    let mut kinds: Vec<&str> = flows
        .iter()
        .flat_map(|f| f.hits.iter().map(|h| h.kind.as_str()))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds.join(", ")
}

pub(crate) fn flow_evidence(flows: &[&PiFlow]) -> Vec<Evidence> {
    flows
        .iter()
        .take(8)
        .map(|f| Evidence::Request {
            origin: f.origin.clone(),
            method: f.method.clone(),
            url: format!("{}://{}{}", f.scheme, f.host, f.path),
            detail: hits_summary(f),
        })
        .collect()
}

/// Flows grouped by a key, in a stable order.
pub(crate) fn group<'t, K: Ord>(
    flows: impl Iterator<Item = &'t PiFlow>,
    key: impl Fn(&'t PiFlow) -> K,
) -> BTreeMap<K, Vec<&'t PiFlow>> {
    let mut out: BTreeMap<K, Vec<&PiFlow>> = BTreeMap::new();
    for f in flows {
        out.entry(key(f)).or_default().push(f);
    }
    out
}

/// Certain when a test-device value matched, likely when only a pattern did.
pub(crate) fn confidence(flows: &[&PiFlow]) -> hegui_model::Confidence {
    if flows.iter().any(|f| f.hits.iter().any(|h| h.fixture)) {
        hegui_model::Confidence::High
    } else {
        hegui_model::Confidence::Medium
    }
}
