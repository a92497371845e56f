//! `AND`: rules over static facts of Android packages.

pub mod ad_personalisation_switch;
pub mod associated_start;
pub mod cleartext_traffic;
pub mod dangerous_permission;
pub mod duplicate_sdk_category;
pub mod dynamic_code_loading;
pub mod exported_pi_component;
pub mod insecure_tls;
pub mod installed_app_list;
pub mod no_privacy_policy;
pub mod privacy_api_call;
pub mod reward_text;
pub mod sdk_init_at_startup;
pub mod sdk_inventory;
pub mod self_start;
pub mod unused_permission;

use std::collections::BTreeMap;

use hegui_model::{
    AndroidFacts, ApiUse, Evidence, LaunchSite, NativeLib, NativeRead, Party, PiCategory,
};

/// Evidence pointing at a call site: DEX file, class, method, offset and the API called.
pub(crate) fn site_evidence(
    dex: &str,
    class: &str,
    method: &str,
    offset: u32,
    api: &str,
) -> Evidence {
    Evidence::Code {
        file: dex.to_string(),
        class: class.to_string(),
        method: method.to_string(),
        offset,
        api: Some(api.to_string()),
    }
}

/// Evidence pointing at a call site.
pub(crate) fn code_evidence(u: &ApiUse) -> Evidence {
    site_evidence(&u.dex, &u.caller_class, &u.caller_method, u.offset, &u.api)
}

/// How a finding names a call site's API: the API, and for an indirect one how it was
/// reached (`Ljava/lang/Runtime;->exec (shell: pm list packages)`).
pub(crate) fn api_label(u: &ApiUse) -> String {
    let what = u.string_args.join(" ");
    match u.via {
        hegui_model::ApiVia::Direct => u.api.clone(),
        hegui_model::ApiVia::Reflection => format!("{} (reflection)", u.api),
        hegui_model::ApiVia::Shell => format!("{} (shell: {what})", u.api),
        hegui_model::ApiVia::File => format!("{} (file: {what})", u.api),
        hegui_model::ApiVia::ContentUri => format!("{} (content-uri: {what})", u.api),
    }
}

/// What native libraries' strings show they read, grouped by category and by the party
/// that ships the library.
pub(crate) fn native_reads(
    android: &AndroidFacts,
) -> BTreeMap<(PiCategory, Party), Vec<(&NativeLib, &NativeRead)>> {
    let mut groups: BTreeMap<(PiCategory, Party), Vec<(&NativeLib, &NativeRead)>> = BTreeMap::new();
    for lib in &android.native_libs {
        for read in &lib.reads {
            groups
                .entry((read.category, lib.party.clone()))
                .or_default()
                .push((lib, read));
        }
    }
    groups
}

/// How a finding names native reads, distinct and sorted, at most `max`:
/// `libfoo.so (native shell: pm list packages)`.
pub(crate) fn native_labels(reads: &[(&NativeLib, &NativeRead)], max: usize) -> Vec<String> {
    let mut shown: Vec<String> = reads
        .iter()
        .map(|(lib, read)| format!("{} (native {}: {})", lib.name, read.via, read.text))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    shown.truncate(max);
    shown
}

/// The distinct file names of the libraries behind some native reads, comma-joined.
pub(crate) fn native_lib_names(reads: &[(&NativeLib, &NativeRead)]) -> String {
    let mut names: Vec<&str> = reads.iter().map(|(lib, _)| lib.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(", ")
}

/// Evidence pointing at a string in a native library.
pub(crate) fn native_evidence(lib: &NativeLib, read: &NativeRead) -> Evidence {
    Evidence::Entry {
        path: lib.path.clone(),
        detail: Some(format!(
            "{} `{}` at offset {:#x}",
            read.via, read.text, read.offset
        )),
    }
}

/// Evidence pointing at a launch or broadcast call site.
pub(crate) fn launch_evidence(l: &LaunchSite) -> Evidence {
    site_evidence(&l.dex, &l.caller_class, &l.caller_method, l.offset, &l.api)
}

/// Evidence pointing at a manifest element.
pub(crate) fn manifest_evidence(element: &str, name: &str, detail: Option<String>) -> Evidence {
    Evidence::Manifest {
        element: element.into(),
        name: name.into(),
        detail,
    }
}

/// At most this many evidence items per finding: enough to act on, small enough to read.
pub(crate) const MAX_EVIDENCE: usize = 20;
