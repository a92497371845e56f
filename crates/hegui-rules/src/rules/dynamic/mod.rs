//! `DYN`: what the app did while it ran, judged from a runtime trace.

pub mod associated_start;
pub mod background_collection;
pub mod collected_after_rejection;
pub mod collected_before_consent;
pub mod disguised_download;
pub mod exit_after_denial;
pub mod frequent_collection;
pub mod no_notice;
pub mod permission_rerequest;
pub mod personalisation_without_refusal;
pub mod reward_for_pi;
pub mod self_start;

use std::collections::BTreeMap;

use hegui_knowledge::trace_category;
use hegui_model::{Collection, Evidence, Localized, Party, TraceFacts};

/// `once`, `twice`, `3 times`.
pub(crate) fn times(n: u64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// Whether a trace category is collection of PI (a permission check or a clipboard write
/// is not).
pub(crate) fn collects(category: &str) -> bool {
    trace_category(category).is_some_and(|c| c.collects && c.pi.is_some())
}

pub(crate) fn category_label(category: &str) -> Localized {
    trace_category(category).map_or_else(|| Localized::new(category, category), |c| c.label())
}

/// The trace file events are cited from.
pub(crate) fn trace_file(t: &TraceFacts) -> String {
    t.sources.first().cloned().unwrap_or_default()
}

pub(crate) fn trace_evidence(t: &TraceFacts, seqs: &[u64], detail: String) -> Evidence {
    Evidence::Trace {
        file: trace_file(t),
        seqs: seqs.iter().take(8).copied().collect(),
        detail,
    }
}

/// Collections that pass `keep`, grouped by party (collection only, not checks).
pub(crate) fn by_party(
    t: &TraceFacts,
    keep: impl Fn(&Collection) -> bool,
) -> BTreeMap<&Party, Vec<&Collection>> {
    let mut out: BTreeMap<&Party, Vec<&Collection>> = BTreeMap::new();
    for c in t
        .collections
        .iter()
        .filter(|c| collects(&c.category) && keep(c))
    {
        out.entry(&c.party).or_default().push(c);
    }
    out
}

/// `Android ID ×3、IMEI ×1` / `Android ID ×3, IMEI ×1`, categories merged across runs.
pub(crate) fn summary(list: &[&Collection]) -> Localized {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for c in list {
        *counts.entry(c.category.as_str()).or_default() += c.count;
    }
    let parts: Vec<(Localized, u64)> = counts
        .into_iter()
        .map(|(cat, n)| (category_label(cat), n))
        .collect();
    Localized::new(
        parts
            .iter()
            .map(|(l, n)| format!("{} ×{n}", l.zh))
            .collect::<Vec<_>>()
            .join("、"),
        parts
            .iter()
            .map(|(l, n)| format!("{} ×{n}", l.en))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// One evidence item per collection: its events, API and deciding frame.
pub(crate) fn collection_evidence(
    t: &TraceFacts,
    list: &[&Collection],
    what: &str,
) -> Vec<Evidence> {
    list.iter()
        .take(10)
        .map(|c| {
            let mut detail = format!(
                "{} {} ×{} {what} (run {})",
                c.party, c.category, c.count, c.run_id
            );
            if let Some(api) = c.apis.first() {
                detail.push_str(&format!("; {api}"));
            }
            if let Some(frame) = &c.frame {
                detail.push_str(&format!(" from {frame}"));
            }
            trace_evidence(t, &c.seqs, detail)
        })
        .collect()
}

/// Stack-attributed findings are certain about the party; imported ones less so.
pub(crate) fn confidence_of(list: &[&Collection]) -> hegui_model::Confidence {
    if list.iter().all(|c| c.attributed_by == "stack") {
        hegui_model::Confidence::High
    } else {
        hegui_model::Confidence::Medium
    }
}
