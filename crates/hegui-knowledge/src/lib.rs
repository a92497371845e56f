//! Embedded data tables, parsed once on first use.
//!
//! The tables are JSON files under `data/`, written by us from public facts (the Android SDK
//! reference, vendors' SDK documentation, the regulation texts). Their loaders are infallible
//! at run time because a test parses every table: a broken table fails CI, not a scan.

mod android;
mod catalogue;
mod ios;
mod miniprogram;
mod packers;
mod sdks;
mod trace;

pub use android::{
    AndroidApis, ApiSignature, PermissionInfo, PersonalisationSwitchSignature, TextPattern,
    android_apis, permission_info, permissions,
};
pub use catalogue::{AppType, Clause, app_type, app_types, catalogue, clause};
pub use ios::{IosApi, IosApiKind, IosApiTable, REQUIRED_REASON_CATEGORIES, ios_apis};
pub use miniprogram::{
    MiniProgramApi, MiniProgramApiTable, MiniProgramSdk, MiniProgramSdkTable, miniprogram_apis,
    miniprogram_sdks,
};
pub use packers::{Packer, packers};
pub use sdks::{
    CatalogIssue, SDK_CATEGORIES, Sdk, SdkCatalog, SdkName, parse_exodus, parse_sdk_db, sdk_catalog,
};
pub use trace::{
    ArgRefinement, CamilleLabels, ImportLabels, SentryLabels, Thresholds, TraceCategory, UiAsk,
    UiPermission, UiVocabulary, import_labels, label_has, trace_categories, trace_category,
    ui_vocabulary,
};

/// Parse the tables a package scan needs, in the order it needs them. A scanner calls this on
/// an otherwise idle thread while another inflates the package: the tables are parsed once
/// per process, and then without delaying the scan.
pub fn warm_package_tables() {
    let _ = sdk_catalog();
    let _ = android_apis();
    let _ = permissions();
    let _ = packers();
    let _ = catalogue();
}

/// Parse an embedded table. A parse failure is a build defect caught by the tests below, so
/// at run time we fall back to an empty table rather than abort a scan.
pub(crate) fn load<T: serde::de::DeserializeOwned + Default>(name: &str, text: &str) -> T {
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            debug_assert!(false, "embedded table {name} is invalid: {e}");
            T::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_table_parses_strictly() {
        let tables = [
            ("android_apis", include_str!("../data/android_apis.json")),
            (
                "android_permissions",
                include_str!("../data/android_permissions.json"),
            ),
            ("packers", include_str!("../data/packers.json")),
            ("catalogue", include_str!("../data/catalogue.json")),
            ("ios_apis", include_str!("../data/ios_apis.json")),
            (
                "miniprogram_apis",
                include_str!("../data/miniprogram_apis.json"),
            ),
            (
                "miniprogram_sdks",
                include_str!("../data/miniprogram_sdks.json"),
            ),
            ("trace", include_str!("../data/trace.json")),
            (
                "trace_import_labels",
                include_str!("../data/trace_import_labels.json"),
            ),
        ];
        for (name, text) in tables {
            let v: Result<serde_json::Value, _> = serde_json::from_str(text);
            assert!(v.is_ok(), "{name}: {v:?}");
        }
        assert!(super::android_apis().methods.len() > 30);
        assert!(super::permissions().len() > 30);
        assert!(super::sdk_catalog().len() > 150);
        assert!(super::packers().len() >= 8);
        assert!(super::catalogue().len() > 150);
    }
}
