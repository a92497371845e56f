//! `IOS`: rules over static facts of iOS apps (IPA).

pub mod ats_cleartext;
pub mod background_location;
pub mod idfa_without_att;
pub mod query_schemes;
pub mod required_reason_undeclared;
pub mod sdk_inventory;
pub mod usage_description_missing;
pub mod usage_description_weak;

use hegui_model::{Evidence, IosApiUse, IosFacts};

/// Evidence at the binary that references an API.
pub(crate) fn binary_evidence(u: &IosApiUse) -> Evidence {
    Evidence::Entry {
        path: u.binary.clone(),
        detail: Some(format!("{} ({})", u.api, u.via)),
    }
}

/// Evidence at an Info.plist key.
pub(crate) fn plist_evidence(ios: &IosFacts, key: &str, detail: Option<String>) -> Evidence {
    Evidence::Entry {
        path: format!("{}Info.plist", ios.app_path),
        detail: Some(match detail {
            Some(d) => format!("{key}: {d}"),
            None => key.to_string(),
        }),
    }
}

/// The text a Chinese user sees for a usage-description key: the Simplified (else any)
/// Chinese localisation, else the Info.plist value. Returns (text, where it came from).
pub(crate) fn shown_text<'a>(ios: &'a IosFacts, key: &str) -> Option<(&'a str, String)> {
    let zh = [
        "zh-Hans", "zh_CN", "zh-CN", "zh", "zh-Hant", "zh_TW", "zh-HK",
    ];
    for lang in zh {
        if let Some(text) = ios
            .localized_usage_descriptions
            .get(lang)
            .and_then(|m| m.get(key))
        {
            return Some((
                text,
                format!("{}{lang}.lproj/InfoPlist.strings", ios.app_path),
            ));
        }
    }
    ios.usage_descriptions
        .get(key)
        .map(|t| (t.as_str(), format!("{}Info.plist", ios.app_path)))
}
