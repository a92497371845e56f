//! Third-party SDK inventory by package prefix (the SDK issue deepens this).

use std::collections::BTreeMap;

use hegui_knowledge::sdk_table;
use hegui_model::SdkMatch;

/// SDKs whose classes are present, with how many classes each contributes.
pub fn inventory(classes: &[String]) -> Vec<SdkMatch> {
    let table = sdk_table();
    let mut found: BTreeMap<&str, (u32, Vec<String>)> = BTreeMap::new();
    for class in classes {
        let Some(sdk) = table.owner_of(class) else {
            continue;
        };
        let entry = found.entry(sdk.id.as_str()).or_default();
        entry.0 += 1;
        if let Some(prefix) = sdk.prefixes.iter().find(|p| class.starts_with(p.as_str()))
            && !entry.1.contains(prefix)
        {
            entry.1.push(prefix.clone());
        }
    }
    found
        .into_iter()
        .filter_map(|(id, (classes, matched_prefixes))| {
            let sdk = table.get(id)?;
            Some(SdkMatch {
                id: sdk.id.clone(),
                name: sdk.name.clone(),
                vendor: sdk.vendor.clone(),
                category: sdk.category.clone(),
                matched_prefixes,
                classes,
            })
        })
        .collect()
}
