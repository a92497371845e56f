//! Artifact kind from content: magic bytes and archive entries, never the file name.

use hegui_archive::{Limits, ZipArchive, is_zip};
use hegui_model::ArtifactKind;

/// The kind of an already-parsed zip.
pub fn zip_kind(zip: &ZipArchive<'_>) -> ArtifactKind {
    if zip.by_name("AndroidManifest.xml").is_some() {
        ArtifactKind::Apk
    } else if hegui_ios::is_ipa(zip) {
        ArtifactKind::Ipa
    } else if zip
        .entries()
        .iter()
        .any(|e| e.name.to_ascii_lowercase().ends_with(".apk"))
    {
        ArtifactKind::ApkBundle
    } else {
        ArtifactKind::Unknown
    }
}

pub fn detect_kind(bytes: &[u8]) -> ArtifactKind {
    if is_zip(bytes) {
        return ZipArchive::parse(bytes, &Limits::default())
            .map_or(ArtifactKind::Unknown, |z| zip_kind(&z));
    }
    if hegui_dex::is_dex(bytes) {
        return ArtifactKind::Dex;
    }
    if let Some(kind) = hegui_miniprogram::package_kind(bytes) {
        return kind;
    }
    if is_policy(bytes) {
        return ArtifactKind::Policy;
    }
    ArtifactKind::Unknown
}

/// A privacy policy or user agreement (text, HTML or Markdown), by its content.
pub fn is_policy(bytes: &[u8]) -> bool {
    hegui_policy::looks_like_policy(bytes)
}
