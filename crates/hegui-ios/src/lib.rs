//! iOS extractor: IPA bytes → neutral [`IosFacts`]. Parsers here never judge.
//!
//! [`extract_ipa`] reads the app bundle's Info.plist (binary or XML) and localised
//! `InfoPlist.strings`, every `PrivacyInfo.xcprivacy`, the embedded frameworks and app
//! extensions, the provisioning profile, and every Mach-O executable (fat or thin): imports,
//! Objective-C class and selector names, linked libraries, encryption, entitlements.
//! [`identify_sdks`] then names the SDKs and attributes each API use.

mod bundle;
mod macho;
mod plists;
mod privacy;
mod sdks;

use hegui_archive::{ArchiveError, Budget, Limits, ZipArchive};
use hegui_model::{IosFacts, ScanError, SdkMatch};

pub use bundle::{app_path, is_ipa};
pub use macho::{MachOScan, scan as scan_macho};
pub use plists::{parse as parse_plist, parse_strings};
pub use sdks::identify_sdks;

/// The result of reading one IPA.
#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: IosFacts,
    /// Filled by [`identify_sdks`].
    pub sdks: Vec<SdkMatch>,
    pub errors: Vec<ScanError>,
    /// Objective-C classes defined per binary path (input of SDK detection).
    pub defined_classes: Vec<(String, Vec<String>)>,
}

impl Extraction {
    fn error(&mut self, code: &str, message: impl Into<String>, entry: Option<&str>) {
        self.errors.push(ScanError::new(code, message, entry));
    }

    fn archive_error(&mut self, e: &ArchiveError) {
        self.error(e.code(), e.to_string(), e.entry());
    }
}

/// Read everything we know how to read from an IPA.
pub fn extract_ipa(zip: &ZipArchive<'_>, limits: &Limits, budget: &Budget) -> Extraction {
    let mut ex = Extraction::default();
    for entry in zip.entries() {
        if let Err(e) = hegui_archive::sanitize_path(&entry.name) {
            ex.archive_error(&e);
        }
    }
    let Some(app) = bundle::app_path(zip) else {
        ex.error(
            "missing-info-plist",
            "no Payload/*.app/Info.plist: not an iOS app archive",
            None,
        );
        return ex;
    };
    bundle::read(zip, &app, limits, budget, &mut ex);
    ex
}
