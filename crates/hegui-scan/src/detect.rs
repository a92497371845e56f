//! Artifact kind from content: magic bytes and archive entries, never the file name.

use hegui_archive::{Limits, ZipArchive, is_zip};
use hegui_model::ArtifactKind;

pub fn detect_kind(bytes: &[u8]) -> ArtifactKind {
    if is_zip(bytes)
        && let Ok(zip) = ZipArchive::parse(bytes, &Limits::default())
    {
        if zip.by_name("AndroidManifest.xml").is_some() {
            return ArtifactKind::Apk;
        }
        let apks = zip
            .entries()
            .iter()
            .filter(|e| e.name.to_ascii_lowercase().ends_with(".apk"))
            .count();
        if apks > 0 {
            return ArtifactKind::ApkBundle;
        }
        return ArtifactKind::Unknown;
    }
    if hegui_dex::is_dex(bytes) {
        return ArtifactKind::Dex;
    }
    ArtifactKind::Unknown
}
