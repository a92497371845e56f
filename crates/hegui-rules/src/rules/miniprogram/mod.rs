//! `MP`: rules over static facts of mini-programs (packages and project folders).

pub mod background_location;
pub mod cleartext_endpoint;
pub mod embedded_secret;
pub mod location_purpose;
pub mod no_policy_reference;
pub mod no_privacy_flow;
pub mod over_declared;
pub mod private_info_undeclared;
pub mod sensitive_api;

use std::collections::BTreeMap;

use hegui_knowledge::{MiniProgramApi, miniprogram_apis};
use hegui_model::{Evidence, MiniProgramApiCall, MiniProgramFacts, Party, SourceSite};

/// Sites listed per finding; the facts keep them all.
pub(crate) const MAX_SITES: usize = 10;

pub(crate) fn site_evidence(site: &SourceSite, detail: impl Into<String>) -> Evidence {
    Evidence::Line {
        file: site.file.clone(),
        line: site.line,
        col: site.col,
        detail: Some(detail.into()),
    }
}

pub(crate) fn call_evidence(c: &MiniProgramApiCall) -> Evidence {
    site_evidence(&c.site(), c.api.clone())
}

/// The configuration file the declarations come from.
pub(crate) fn config_file(mp: &MiniProgramFacts) -> &'static str {
    if mp.container == "source" {
        "app.json"
    } else {
        "app-config.json"
    }
}

pub(crate) fn config_evidence(mp: &MiniProgramFacts, detail: impl Into<String>) -> Evidence {
    Evidence::Entry {
        path: config_file(mp).to_string(),
        detail: Some(detail.into()),
    }
}

/// Calls the host app answers for: its own and its SDKs' code that an entry point reaches.
/// A plugin's calls are the plugin's to declare, a framework runtime's internals are not
/// calls of the app, and code no module loads never runs.
pub(crate) fn app_side_calls(mp: &MiniProgramFacts) -> impl Iterator<Item = &MiniProgramApiCall> {
    mp.api_calls.iter().filter(|c| {
        !c.unreachable && !c.party.starts_with("plugin:") && !c.party.starts_with("framework:")
    })
}

/// Who answers for a set of calls: the app when any is its own, else the (first) SDK.
pub(crate) fn calls_party(calls: &[&MiniProgramApiCall]) -> Party {
    if calls.iter().any(|c| c.party == "app") {
        return Party::App;
    }
    calls.first().map_or(Party::App, |c| Party::parse(&c.party))
}

/// Calls of the APIs the table describes and `keep` accepts, by short name (the app's side
/// only: [`app_side_calls`]).
pub(crate) fn calls_by_api(
    mp: &MiniProgramFacts,
    keep: impl Fn(&MiniProgramApi) -> bool,
) -> BTreeMap<&str, Vec<&MiniProgramApiCall>> {
    let mut out: BTreeMap<&str, Vec<&MiniProgramApiCall>> = BTreeMap::new();
    for call in app_side_calls(mp) {
        let name = call.name();
        if miniprogram_apis().get(name).is_some_and(&keep) {
            out.entry(name).or_default().push(call);
        }
    }
    out
}

/// `requiredPrivateInfos` enforced by WeChat (calls of undeclared interfaces fail).
pub(crate) const REQUIRED_PRIVATE_INFOS_SINCE: &str = "2022-07-14";
/// The privacy guide and its consent flow enforced for every mini-program.
pub(crate) const PRIVACY_GUIDE_SINCE: &str = "2023-10-17";

/// A finding on a package whose template compiler predates the requirement (`since`): it is
/// still judged by today's rules, at info level, and says so, since the version was legal
/// when it was built and the platform itself now blocks what it lacks.
pub(crate) fn dated(
    mut v: crate::Violation,
    mp: &MiniProgramFacts,
    since: &str,
) -> crate::Violation {
    if let Some(built) = mp.compiler_date.as_deref().filter(|d| *d < since) {
        v.message.zh.push_str(&format!(
            "该包由 {built} 的模板编译器构建，早于此项要求（{since}）：按现行规则判断，不代表构建时违规。"
        ));
        v.message.en.push_str(&format!(
            " The package was built with a template compiler of {built}, before this requirement ({since}): judged by today's rules, not a breach when built."
        ));
        v.severity = Some(hegui_model::Severity::Info);
    }
    v
}

/// Evidence for the first [`MAX_SITES`] calls.
pub(crate) fn calls_evidence(calls: &[&MiniProgramApiCall]) -> Vec<Evidence> {
    calls
        .iter()
        .take(MAX_SITES)
        .map(|c| call_evidence(c))
        .collect()
}
