//! Packer / hardening recognition: a fact, because it limits what static analysis sees.

use std::collections::HashSet;

use hegui_archive::ZipArchive;
use hegui_knowledge::packers;
use hegui_model::{AndroidFacts, PackerMatch};

pub fn detect(facts: &AndroidFacts, zip: &ZipArchive<'_>, classes: &[String]) -> Vec<PackerMatch> {
    let class_set: HashSet<&str> = classes.iter().map(String::as_str).collect();
    let file_names: Vec<(&str, &str)> = zip
        .entries()
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.name.rsplit('/').next().unwrap_or(&e.name),
            )
        })
        .collect();
    let app_class = facts.application.class_name.as_deref();
    let mut out = Vec::new();
    for packer in packers() {
        let mut evidence = Vec::new();
        for class in &packer.classes {
            if app_class == Some(class.as_str()) {
                evidence.push(format!("application class {class}"));
            } else if class_set.contains(class.as_str()) {
                evidence.push(format!("class {class}"));
            }
        }
        for (path, base) in &file_names {
            let lib_hit = packer.libs.iter().any(|l| l == base)
                || (base.ends_with(".so")
                    && packer
                        .lib_prefixes
                        .iter()
                        .any(|p| base.starts_with(p.as_str())));
            if lib_hit || packer.files.iter().any(|f| f == path) {
                evidence.push(format!("file {path}"));
            }
        }
        if !evidence.is_empty() {
            evidence.truncate(10);
            out.push(PackerMatch {
                id: packer.id.clone(),
                name: packer.name.clone(),
                evidence,
            });
        }
    }
    out
}
