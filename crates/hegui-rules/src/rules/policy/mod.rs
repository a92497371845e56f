//! `POL`: rules over a privacy policy's text; `XC`: the policy against the package.

pub mod agreement_not_policy;
pub mod beyond_necessary;
pub mod element_missing;
pub mod no_complaint_channel;
pub mod personalisation_opt_out;
pub mod pi_not_declared;
pub mod response_too_slow;
pub mod sdk_not_listed;
pub mod sensitive_unmarked;
pub mod stale_permission;

use std::collections::BTreeMap;

use hegui_model::{Evidence, Party, PiCategory, PolicyFacts, TextSpan};

use crate::Context;

/// Evidence at a span of the policy.
pub(crate) fn span_evidence(policy: &PolicyFacts, span: &TextSpan) -> Evidence {
    Evidence::Span {
        file: policy.source.clone(),
        start: span.start,
        end: span.end,
        quote: span.quote.clone(),
    }
}

/// Evidence that the policy says nothing: its source and size.
pub(crate) fn whole_policy(policy: &PolicyFacts) -> Evidence {
    Evidence::Note {
        text: format!(
            "{} ({} characters, {}, {})",
            policy.source, policy.chars, policy.language, policy.doc_type
        ),
    }
}

/// PI category of a mini-program API's table category.
fn miniprogram_category(category: &str) -> Option<PiCategory> {
    use PiCategory::*;
    Some(match category {
        c if c.starts_with("location") => Location,
        "phone_number" => PhoneNumber,
        "contacts_read" => Contacts,
        "address_contact" | "profile_nickname_avatar" => Profile,
        "clipboard_read" => Clipboard,
        "camera" | "camera_scan" => Camera,
        "microphone" | "microphone_camera" => Microphone,
        "photos_videos" | "files" => Media,
        "device_info" => DeviceInfo,
        "network_info" => NetworkInfo,
        "wifi" => WifiInfo,
        "bluetooth" | "beacon" => Bluetooth,
        "sensors" | "motion_sensor" => Sensors,
        "health_steps" => Health,
        "biometric_face" | "biometric_local" => Biometrics,
        "account_identifier" => Accounts,
        "transaction" | "invoice" => Payment,
        "user_behaviour" => Screen,
        _ => return None,
    })
}

/// Observed collection: (category, party) → evidence, from whichever platform was read.
pub(crate) fn observed_collection(
    ctx: &Context<'_>,
) -> Option<BTreeMap<(PiCategory, Party), Vec<Evidence>>> {
    let mut out: BTreeMap<(PiCategory, Party), Vec<Evidence>> = BTreeMap::new();
    if let Some(a) = ctx.android() {
        // Requested dangerous permissions count where no call site shows the category (the
        // code may be packed, reflective or in a native library).
        let mut by_permission: Vec<(PiCategory, Evidence)> = Vec::new();
        for name in &a.permissions {
            let Some(info) =
                hegui_knowledge::permission_info(name).filter(|i| i.level == "dangerous")
            else {
                continue;
            };
            for c in &info.categories {
                if !a.api_uses.iter().any(|u| u.category == *c) {
                    by_permission.push((
                        *c,
                        Evidence::Manifest {
                            element: "manifest/uses-permission".into(),
                            name: name.clone(),
                            detail: None,
                        },
                    ));
                }
            }
        }
        for (c, e) in by_permission {
            out.entry((c, Party::App)).or_default().push(e);
        }
        for u in &a.api_uses {
            out.entry((u.category, u.party.clone()))
                .or_default()
                .push(Evidence::Code {
                    file: u.dex.clone(),
                    class: u.caller_class.clone(),
                    method: u.caller_method.clone(),
                    offset: u.offset,
                    api: Some(u.api.clone()),
                });
        }
    } else if let Some(ios) = ctx.ios() {
        for u in &ios.api_uses {
            out.entry((u.category, u.party.clone()))
                .or_default()
                .push(Evidence::Entry {
                    path: u.binary.clone(),
                    detail: Some(u.api.clone()),
                });
        }
    } else if let Some(mp) = ctx.miniprogram() {
        for c in &mp.api_calls {
            let Some(cat) = hegui_knowledge::miniprogram_apis()
                .get(c.name())
                .filter(|a| a.kind == "api")
                .and_then(|a| miniprogram_category(&a.category))
            else {
                continue;
            };
            out.entry((cat, Party::App))
                .or_default()
                .push(crate::rules::miniprogram::call_evidence(c));
        }
    } else {
        return None;
    }
    Some(out)
}
