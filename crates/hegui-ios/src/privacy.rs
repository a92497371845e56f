//! `PrivacyInfo.xcprivacy`: Apple's privacy manifest.

use hegui_model::{AccessedApiType, CollectedDataType, PrivacyManifest, PrivacyManifestData};
use plist::{Dictionary, Value};

use crate::plists;

fn dicts<'a>(d: &'a Dictionary, key: &str) -> impl Iterator<Item = &'a Dictionary> {
    d.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_dictionary)
}

/// Read one manifest (`path` and `bundle` name where it was found).
pub fn read(bytes: &[u8], path: &str, bundle: &str) -> Result<PrivacyManifest, String> {
    let d = plists::parse_dict(bytes)?;
    Ok(PrivacyManifest {
        path: path.to_string(),
        bundle: bundle.to_string(),
        data: PrivacyManifestData {
            tracking: plists::bool_of(&d, "NSPrivacyTracking"),
            tracking_domains: plists::strings(&d, "NSPrivacyTrackingDomains"),
            collected_data_types: dicts(&d, "NSPrivacyCollectedDataTypes")
                .map(|t| CollectedDataType {
                    data_type: plists::string(t, "NSPrivacyCollectedDataType").unwrap_or_default(),
                    linked: plists::bool_of(t, "NSPrivacyCollectedDataTypeLinked"),
                    tracking: plists::bool_of(t, "NSPrivacyCollectedDataTypeTracking"),
                    purposes: plists::strings(t, "NSPrivacyCollectedDataTypePurposes"),
                })
                .collect(),
            accessed_api_types: dicts(&d, "NSPrivacyAccessedAPITypes")
                .map(|t| AccessedApiType {
                    category: plists::string(t, "NSPrivacyAccessedAPIType").unwrap_or_default(),
                    reasons: plists::strings(t, "NSPrivacyAccessedAPITypeReasons"),
                })
                .collect(),
        },
    })
}
