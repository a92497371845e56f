//! XAPK / APKS / APKM: a zip of a base APK and split APKs (plus a manifest.json). The base's
//! manifest describes the app; splits add code, native libraries and resources.

use hegui_android::{Extraction, extract_bundle_part};
use hegui_archive::{ArchiveError, Budget, ZipArchive};
use hegui_model::{AndroidFacts, DexInfo, ScanError};

use crate::{ScanOptions, failed};

pub fn extract_bundle(
    zip: &ZipArchive<'_>,
    opts: &ScanOptions,
    budget: &Budget,
    depth: u32,
) -> Extraction {
    let mut parts: Vec<(String, Extraction)> = Vec::new();
    let mut errors = Vec::new();
    for entry in zip
        .entries()
        .iter()
        .filter(|e| e.name.to_ascii_lowercase().ends_with(".apk"))
    {
        if depth > opts.limits.max_depth {
            let e = ArchiveError::NestingTooDeep {
                entry: entry.name.clone(),
                limit: opts.limits.max_depth,
            };
            errors.push(ScanError {
                code: e.code().into(),
                message: e.to_string(),
                entry: Some(entry.name.clone()),
            });
            continue;
        }
        let inner = match zip.read(entry, &opts.limits, budget) {
            Ok(b) => b,
            Err(e) => {
                errors.push(ScanError {
                    code: e.code().into(),
                    message: e.to_string(),
                    entry: Some(entry.name.clone()),
                });
                continue;
            }
        };
        match ZipArchive::parse(&inner, &opts.limits) {
            Ok(inner_zip) => {
                let mut ex = extract_bundle_part(&inner_zip, &opts.limits, budget, &opts.formats);
                for e in &mut ex.errors {
                    e.entry = Some(match &e.entry {
                        Some(inner_entry) => format!("{}!/{}", entry.name, inner_entry),
                        None => entry.name.clone(),
                    });
                }
                prefix_paths(&mut ex.facts, &entry.name);
                parts.push((entry.name.clone(), ex));
            }
            Err(e) => errors.push(ScanError {
                code: e.code().into(),
                message: e.to_string(),
                entry: Some(entry.name.clone()),
            }),
        }
    }
    let mut merged = merge(parts);
    merged.errors.splice(0..0, errors);
    // Once, over every part's code, from the base's manifest.
    merged.mark_reachable();
    merged
}

/// A DEX file on its own: code facts only.
pub fn extract_lone_dex(bytes: &[u8], opts: &ScanOptions) -> Extraction {
    let mut ex = Extraction::default();
    match hegui_dex::Dex::parse_container(bytes, &opts.formats.dex) {
        Ok(sections) => {
            for dex in &sections {
                ex.facts.dex_files.push(DexInfo {
                    path: "<file>".into(),
                    version: dex.version(),
                    size: bytes.len() as u64,
                    classes: dex.class_def_count(),
                    methods: dex.method_count(),
                    strings: dex.string_count(),
                });
                match hegui_android::scan_dex(dex, "<file>", &hegui_android::AppScope::default()) {
                    Ok(scan) => {
                        ex.classes.extend(scan.classes);
                        ex.version_constants.extend(scan.version_constants);
                        ex.facts.api_uses.extend(scan.api_uses);
                        ex.facts.strings.extend(scan.strings);
                        ex.facts.launches.extend(scan.launches);
                        ex.facts.tls_overrides.extend(scan.tls_overrides);
                        ex.facts.sticky_services.extend(scan.sticky_services);
                    }
                    Err(e) => ex.errors.push(ScanError {
                        code: e.code().into(),
                        message: e.to_string(),
                        entry: None,
                    }),
                }
            }
        }
        Err(e) => ex.errors.push(ScanError {
            code: e.code().into(),
            message: e.to_string(),
            entry: None,
        }),
    }
    ex
}

fn prefix_paths(facts: &mut AndroidFacts, apk: &str) {
    let p = |s: &mut String| *s = format!("{apk}!/{s}");
    facts.dex_files.iter_mut().for_each(|d| p(&mut d.path));
    facts.api_uses.iter_mut().for_each(|u| p(&mut u.dex));
    facts.strings.iter_mut().for_each(|u| p(&mut u.dex));
    facts.launches.iter_mut().for_each(|u| p(&mut u.dex));
    facts.tls_overrides.iter_mut().for_each(|u| p(&mut u.dex));
    facts.sticky_services.iter_mut().for_each(|u| p(&mut u.dex));
    facts.startup_calls.iter_mut().for_each(|u| p(&mut u.dex));
    facts.native_libs.iter_mut().for_each(|u| p(&mut u.path));
    facts.web_assets.iter_mut().for_each(|u| p(&mut u.path));
    facts.nested_code.iter_mut().for_each(|u| p(&mut u.path));
}

/// The base APK is the one whose manifest has a package and the most code; the others are
/// splits whose code-level facts are added to it.
fn merge(mut parts: Vec<(String, Extraction)>) -> Extraction {
    let base_index = parts
        .iter()
        .enumerate()
        .max_by_key(|(_, (name, ex))| {
            (
                name.ends_with("base.apk"),
                !ex.facts.package.is_empty() && !ex.facts.permissions.is_empty(),
                ex.facts.dex_files.len(),
            )
        })
        .map(|(i, _)| i);
    let Some(base_index) = base_index else {
        return failed("empty-bundle", "the bundle holds no readable APK".into());
    };
    let (_, mut base) = parts.swap_remove(base_index);
    for (_, split) in parts {
        base.absorb_split(split);
    }
    base
}
