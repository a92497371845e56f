//! iOS SDKs: embedded frameworks by name, statically linked SDKs by their Objective-C class
//! names; API uses attributed to the bundle that holds them.

use std::collections::{BTreeMap, HashMap};

use hegui_knowledge::SdkCatalog;
use hegui_model::{Party, SdkEvidence, SdkEvidenceKind, SdkMatch};

use crate::Extraction;

#[derive(Default)]
struct Seen {
    classes: u32,
    evidence: BTreeMap<(SdkEvidenceKind, String), u32>,
}

/// Name the SDKs in `ex` and attribute framework code to them.
pub fn identify_sdks(ex: &mut Extraction, catalog: &SdkCatalog) {
    let mut seen: HashMap<usize, Seen> = HashMap::new();
    let mut framework_party: HashMap<String, Party> = HashMap::new();
    for fw in &mut ex.facts.frameworks {
        let stem = fw
            .name
            .rsplit_once('.')
            .map_or(fw.name.as_str(), |(s, _)| s);
        if let Some(index) = catalog.owner_of_ios_framework(stem) {
            let entry = seen.entry(index).or_default();
            *entry
                .evidence
                .entry((SdkEvidenceKind::Framework, fw.path.clone()))
                .or_default() += 1;
            if let Some(sdk) = catalog.by_index(index) {
                fw.sdk = Some(sdk.id.clone());
                framework_party.insert(fw.path.clone(), Party::Sdk(sdk.id.clone()));
            }
        }
    }
    for (_, classes) in &ex.defined_classes {
        for class in classes {
            if let Some((index, prefix)) = catalog.owner_of_ios_class(class) {
                let entry = seen.entry(index).or_default();
                entry.classes += 1;
                *entry
                    .evidence
                    .entry((SdkEvidenceKind::Class, prefix.to_string()))
                    .or_default() += 1;
            }
        }
    }
    for use_ in &mut ex.facts.api_uses {
        if let Some((_, party)) = framework_party
            .iter()
            .find(|(path, _)| use_.binary.starts_with(path.as_str()))
        {
            use_.party = party.clone();
        }
    }
    let mut found: Vec<SdkMatch> = seen
        .into_iter()
        .filter_map(|(index, seen)| {
            let sdk = catalog.by_index(index)?;
            let version = ex
                .facts
                .frameworks
                .iter()
                .find(|f| f.sdk.as_deref() == Some(sdk.id.as_str()))
                .and_then(|f| f.version.clone());
            let evidence = seen
                .evidence
                .into_iter()
                .map(|((kind, value), count)| SdkEvidence { kind, value, count })
                .collect();
            Some(sdk.to_match(evidence, seen.classes, version))
        })
        .collect();
    found.sort_by(|a, b| (a.is_framework(), &a.id).cmp(&(b.is_framework(), &b.id)));
    ex.sdks = found;
}
