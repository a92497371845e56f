//! SDK detection and attribution: one pass over the class names, then the manifest and native
//! libraries; every SDK found carries the evidence that matched.
//!
//! Runs after the whole package (every split of a bundle) is read, because a split may hold
//! an SDK's code while the base holds its manifest entries.

use std::collections::{BTreeMap, HashMap};

use hegui_knowledge::SdkCatalog;
use hegui_model::{SdkEvidence, SdkEvidenceKind, SdkMatch};

use crate::{Extraction, VersionConstant};

/// What was seen of one SDK.
#[derive(Default)]
struct Seen {
    classes: u32,
    /// Evidence keyed by (kind, value) so repeats only count.
    evidence: BTreeMap<(SdkEvidenceKind, String), u32>,
}

impl Seen {
    fn add(&mut self, kind: SdkEvidenceKind, value: &str) {
        *self.evidence.entry((kind, value.to_string())).or_default() += 1;
    }
}

/// Fewer classes than this under an SDK's prefixes, with no entry class, manifest component,
/// meta-data key or native library, is not the SDK: it is a few helper classes another library
/// carries (Play services' copies of Firebase and Sign-In internals).
const MIN_CLASSES: u32 = 20;

/// Whether what was seen of an SDK is the SDK: 20 classes, or anything beyond its prefixes
/// (an entry class, component, meta-data key, native library). Signatures the user added
/// (`--sdk-db`, in-house SDKs) are taken as given: the minimum guards only our built-in
/// prefixes against another library's copies.
fn enough_evidence(index: usize, seen: &Seen, catalog: &SdkCatalog) -> bool {
    let user_entry = catalog
        .by_index(index)
        .is_some_and(|s| hegui_knowledge::sdk_catalog().get(&s.id).is_none());
    user_entry
        || seen.classes >= MIN_CLASSES
        || seen
            .evidence
            .keys()
            .any(|(kind, _)| *kind != SdkEvidenceKind::Prefix)
}

/// The classes of an SDK without enough evidence are a copy another library carries: they
/// go to the SDK owning the enclosing package (Play services for its copies of Sign-In's
/// classes), never to nobody.
fn reattribute_helper_copies(seen: &mut HashMap<usize, Seen>, catalog: &SdkCatalog) {
    let mut kept = std::collections::HashSet::new();
    let mut dropped = Vec::new();
    for (index, s) in seen.iter() {
        if enough_evidence(*index, s, catalog) {
            kept.insert(*index);
        } else {
            dropped.push(*index);
        }
    }
    for index in dropped {
        let Some(copy) = seen.get(&index) else {
            continue;
        };
        let moves: Vec<(usize, SdkEvidenceKind, String, u32)> = copy
            .evidence
            .iter()
            .filter_map(|((kind, value), count)| {
                let (owner, prefix) = enclosing_owner(catalog, value, &kept)?;
                let (kind, value) = match prefix {
                    Some(p) => (SdkEvidenceKind::Prefix, p),
                    None => (*kind, value.clone()),
                };
                Some((owner, kind, value, *count))
            })
            .collect();
        if moves.is_empty() {
            continue;
        }
        seen.remove(&index);
        for (owner, kind, value, count) in moves {
            let entry = seen.entry(owner).or_default();
            entry.classes += count;
            *entry.evidence.entry((kind, value)).or_default() += count;
        }
    }
}

/// The SDK owning the package around `value` (a prefix or class name), among those `kept`.
fn enclosing_owner(
    catalog: &SdkCatalog,
    value: &str,
    kept: &std::collections::HashSet<usize>,
) -> Option<(usize, Option<String>)> {
    let mut package = value.trim_end_matches('.');
    while let Some(cut) = package.rfind('.') {
        package = &package[..cut];
        if let Some((owner, prefix)) = catalog.owner_of(&format!("{package}.X"))
            && kept.contains(&owner)
        {
            return Some((owner, prefix.map(str::to_string)));
        }
    }
    None
}

/// `class` is in one of the app's own packages (a vendor's demo app under its SDK's prefix included).
fn in_own(own: &[String], class: &str) -> bool {
    own.iter().any(|package| {
        !package.is_empty()
            && class.starts_with(package.as_str())
            && class.as_bytes().get(package.len()) == Some(&b'.')
    })
}

/// Find the SDKs in `ex` and attribute every code fact to its party.
pub fn identify_sdks(ex: &mut Extraction, catalog: &SdkCatalog) {
    let package = ex.facts.package.clone();
    let own = if ex.facts.own_packages.is_empty() {
        vec![package.clone()]
    } else {
        ex.facts.own_packages.clone()
    };
    let mut seen: HashMap<usize, Seen> = HashMap::new();

    for class in &ex.classes {
        if in_own(&own, class) {
            continue;
        }
        let Some((index, prefix)) = catalog.owner_of(class) else {
            continue;
        };
        let entry = seen.entry(index).or_default();
        entry.classes += 1;
        match prefix {
            Some(prefix) => entry.add(SdkEvidenceKind::Prefix, prefix),
            // Inner classes count under their outer class's name.
            None => entry.add(
                SdkEvidenceKind::Class,
                class.split('$').next().unwrap_or(class),
            ),
        }
    }
    for component in &ex.facts.components {
        if in_own(&own, &component.name) {
            continue;
        }
        if let Some(index) = catalog.owner_of_component(&component.name) {
            seen.entry(index)
                .or_default()
                .add(SdkEvidenceKind::Component, &component.name);
        }
    }
    for meta in &ex.facts.meta_data {
        if let Some(index) = catalog.owner_of_meta_data(&meta.name) {
            seen.entry(index)
                .or_default()
                .add(SdkEvidenceKind::MetaData, &meta.name);
        }
    }
    let with_libs: Vec<usize> = (0..catalog.len())
        .filter(|&i| {
            catalog
                .by_index(i)
                .is_some_and(|s| !s.native_libs.is_empty())
        })
        .collect();
    for lib in &ex.facts.native_libs {
        let file_name = lib.path.rsplit('/').next().unwrap_or(&lib.path);
        for &index in &with_libs {
            if catalog
                .by_index(index)
                .is_some_and(|s| s.matches_native_lib(file_name))
            {
                seen.entry(index)
                    .or_default()
                    .add(SdkEvidenceKind::NativeLib, &lib.path);
            }
        }
    }
    let versions = versions_by_sdk(&ex.version_constants, catalog, &own);
    reattribute_helper_copies(&mut seen, catalog);

    let mut found: Vec<SdkMatch> = seen
        .into_iter()
        .filter(|(index, seen)| enough_evidence(*index, seen, catalog))
        .filter_map(|(index, seen)| {
            let sdk = catalog.by_index(index)?;
            let evidence = seen
                .evidence
                .into_iter()
                .map(|((kind, value), count)| SdkEvidence { kind, value, count })
                .collect();
            let version = versions.get(&index).map(|v| v.value.clone());
            Some(sdk.to_match(evidence, seen.classes, version))
        })
        .collect();
    found.sort_by(|a, b| {
        (a.is_framework(), std::cmp::Reverse(a.classes), &a.id).cmp(&(
            b.is_framework(),
            std::cmp::Reverse(b.classes),
            &b.id,
        ))
    });
    ex.sdks = found;

    for api in &mut ex.facts.api_uses {
        api.party = catalog.attribute_own(&own, &api.caller_class);
    }
    for call in &mut ex.facts.startup_calls {
        call.party = catalog.attribute_own(&own, &call.callee_class);
    }
    for switch in &mut ex.facts.personalisation_switches {
        switch.party = catalog.attribute_own(&own, &switch.caller_class);
    }
    for load in &mut ex.facts.code_loads {
        load.party = catalog.attribute_own(&own, &load.caller_class);
    }
    for launch in &mut ex.facts.launches {
        launch.party = catalog.attribute_own(&own, &launch.caller_class);
    }
    for tls in &mut ex.facts.tls_overrides {
        tls.party = catalog.attribute_own(&own, &tls.class);
    }
    for service in &mut ex.facts.sticky_services {
        service.party = catalog.attribute_own(&own, &service.class);
    }
    // A native library belongs to the SDK whose catalogue entry names it, else to whoever
    // owns the classes its JNI exports bind to (the code that loads it).
    for lib in &mut ex.facts.native_libs {
        let file_name = lib.path.rsplit('/').next().unwrap_or(&lib.path);
        lib.party = with_libs
            .iter()
            .filter_map(|&i| catalog.by_index(i))
            .find(|s| s.matches_native_lib(file_name))
            .map(|s| hegui_model::Party::Sdk(s.id.clone()))
            .or_else(|| {
                lib.jni_classes
                    .iter()
                    .map(|class| catalog.attribute_own(&own, class))
                    .find(|p| *p != hegui_model::Party::Unknown)
            })
            .unwrap_or(hegui_model::Party::Unknown);
    }
}

/// The most telling version constant of each SDK: a field named exactly like a version
/// (`SDK_VERSION`, `VERSION_NAME`, `VERSION`) beats one that merely contains the word, and a
/// class nearer the SDK's root beats a deeper one.
fn versions_by_sdk<'a>(
    constants: &'a [VersionConstant],
    catalog: &SdkCatalog,
    own: &[String],
) -> HashMap<usize, &'a VersionConstant> {
    let rank = |c: &VersionConstant| {
        let field = c.field.to_ascii_uppercase();
        let name_rank = match field.as_str() {
            "SDK_VERSION" | "SDK_VERSION_NAME" | "VERSION_NAME" => 0,
            "VERSION" | "SDKVERSION" | "SDK_VER" => 1,
            _ if field.contains("SDK") => 2,
            _ => 3,
        };
        (name_rank, c.class.matches('.').count(), c.class.len())
    };
    let mut best: HashMap<usize, &VersionConstant> = HashMap::new();
    for c in constants {
        if in_own(own, &c.class) {
            continue;
        }
        // Platform libraries and build metadata (BuildConfig of other modules) say nothing.
        if c.class.ends_with(".BuildConfig") && !c.field.contains("SDK") {
            continue;
        }
        let Some((index, _)) = catalog.owner_of(&c.class) else {
            continue;
        };
        match best.get(&index) {
            Some(current) if rank(current) <= rank(c) => {}
            _ => {
                best.insert(index, c);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identify(package: &str, classes: &[String]) -> Vec<String> {
        let mut ex = Extraction::default();
        ex.facts.package = package.to_string();
        ex.classes = classes.to_vec();
        identify_sdks(&mut ex, hegui_knowledge::sdk_catalog());
        ex.sdks.into_iter().map(|s| s.id).collect()
    }

    fn classes(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}C{i}")).collect()
    }

    /// iFlytek's ad SDK is not its speech SDK: the two collect different PI (the reviewer's
    /// missed unused RECORD_AUDIO came from taking one for the other).
    #[test]
    fn vendor_products_are_told_apart() {
        let found = identify("com.example.app", &classes("com.iflytek.voiceads.", 25));
        assert_eq!(found, vec!["iflytek-ads".to_string()]);
        let found = identify("com.example.app", &classes("com.iflytek.cloud.", 25));
        assert_eq!(found, vec!["iflytek".to_string()]);
    }

    /// A few helper classes under an SDK's prefix are not the SDK; its entry class is.
    #[test]
    fn a_handful_of_classes_is_not_an_sdk() {
        assert!(identify("com.example.app", &classes("com.iflytek.voiceads.", 3)).is_empty());
        let mut with_entry = classes("com.iflytek.voiceads.", 3);
        with_entry.push("com.iflytek.voiceads.IFLYNativeAd".into());
        assert_eq!(
            identify("com.example.app", &with_entry),
            vec!["iflytek-ads".to_string()]
        );
    }

    /// A vendor's own demo app under its SDK's prefix is the app, not the SDK.
    #[test]
    fn the_apps_own_packages_are_not_an_sdk() {
        assert!(
            identify(
                "com.iflytek.voiceads",
                &classes("com.iflytek.voiceads.", 25)
            )
            .is_empty()
        );
    }
}
