//! `AND`: rules over static facts of Android packages.

pub mod associated_start;
pub mod cleartext_traffic;
pub mod dangerous_permission;
pub mod duplicate_sdk_category;
pub mod exported_pi_component;
pub mod insecure_tls;
pub mod installed_app_list;
pub mod no_privacy_policy;
pub mod privacy_api_call;
pub mod sdk_init_at_startup;
pub mod sdk_inventory;
pub mod self_start;
pub mod unused_permission;

use hegui_model::{ApiUse, Evidence, LaunchSite};

/// Evidence pointing at a call site.
pub(crate) fn code_evidence(u: &ApiUse) -> Evidence {
    Evidence::Code {
        file: u.dex.clone(),
        class: u.caller_class.clone(),
        method: u.caller_method.clone(),
        offset: u.offset,
        api: Some(u.api.clone()),
    }
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
    }
}

/// Evidence pointing at a launch or broadcast call site.
pub(crate) fn launch_evidence(l: &LaunchSite) -> Evidence {
    Evidence::Code {
        file: l.dex.clone(),
        class: l.caller_class.clone(),
        method: l.caller_method.clone(),
        offset: l.offset,
        api: Some(l.api.clone()),
    }
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
