//! Privacy-relevant iOS APIs: what a class, selector or C function reads, the Info.plist key
//! it needs and the required-reason category a privacy manifest must declare for it.

use std::collections::HashMap;
use std::sync::OnceLock;

use hegui_model::PiCategory;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IosApiKind {
    Class,
    Selector,
    Function,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosApi {
    pub name: String,
    pub kind: IosApiKind,
    pub category: PiCategory,
    #[serde(default)]
    pub plist_keys: Vec<String>,
    #[serde(default)]
    pub required_reason: Option<String>,
    /// The App Tracking Transparency prompt itself.
    #[serde(default)]
    pub att: bool,
    /// Reads the advertising identifier (IDFA).
    #[serde(default)]
    pub idfa: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct IosApiTable {
    pub apis: Vec<IosApi>,
    /// Name → entries with that name (a class and a selector may share one).
    #[serde(skip)]
    index: HashMap<String, Vec<usize>>,
}

impl IosApiTable {
    /// The entry for a class, selector or function name.
    pub fn find(&self, kind: IosApiKind, name: &str) -> Option<&IosApi> {
        self.index
            .get(name)?
            .iter()
            .filter_map(|&i| self.apis.get(i))
            .find(|a| a.kind == kind)
    }
}

pub fn ios_apis() -> &'static IosApiTable {
    static T: OnceLock<IosApiTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: IosApiTable = crate::load("ios_apis", include_str!("../data/ios_apis.json"));
        for (i, a) in t.apis.iter().enumerate() {
            t.index.entry(a.name.clone()).or_default().push(i);
        }
        t
    })
}

/// The categories Apple's "required reason API" list defines (privacy-manifest vocabulary).
pub const REQUIRED_REASON_CATEGORIES: &[&str] = &[
    "NSPrivacyAccessedAPICategoryFileTimestamp",
    "NSPrivacyAccessedAPICategorySystemBootTime",
    "NSPrivacyAccessedAPICategoryDiskSpace",
    "NSPrivacyAccessedAPICategoryActiveKeyboards",
    "NSPrivacyAccessedAPICategoryUserDefaults",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        let t = ios_apis();
        assert!(t.apis.len() > 40);
        let mut keys: Vec<(IosApiKind, &str)> =
            t.apis.iter().map(|a| (a.kind, a.name.as_str())).collect();
        keys.sort_unstable_by_key(|(k, n)| (*k as u8, *n));
        keys.dedup();
        assert_eq!(keys.len(), t.apis.len(), "duplicate (kind, name)");
        for a in &t.apis {
            if let Some(r) = &a.required_reason {
                assert!(
                    REQUIRED_REASON_CATEGORIES.contains(&r.as_str()),
                    "{}",
                    a.name
                );
            }
            for k in &a.plist_keys {
                assert!(k.starts_with("NS") || k.starts_with("NFC"), "{k}");
            }
        }
        let loc = t
            .find(IosApiKind::Class, "CLLocationManager")
            .expect("location");
        assert_eq!(loc.category, PiCategory::Location);
        assert!(
            t.find(IosApiKind::Selector, "advertisingIdentifier")
                .is_some_and(|a| a.idfa)
        );
    }
}
