//! The network security config XML that `android:networkSecurityConfig` points to.

use hegui_archive::{Budget, Limits, ZipArchive};
use hegui_axml::{Element, ResourceTable, Value};
use hegui_model::NetworkSecurityConfig;

use crate::FormatLimits;

pub fn read(
    app: &Element,
    resources: Option<&ResourceTable>,
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    formats: &FormatLimits,
) -> Option<NetworkSecurityConfig> {
    let attr = app.attr("networkSecurityConfig")?;
    let path = match &attr.value {
        Value::Reference(id) => resources.and_then(|r| r.resolve_file_path(*id)),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let Some(path) = path else {
        return Some(NetworkSecurityConfig {
            error: Some("reference does not resolve to a file".into()),
            ..Default::default()
        });
    };
    let mut config = NetworkSecurityConfig {
        path: path.clone(),
        ..Default::default()
    };
    let doc = match zip.read_by_name(&path, limits, budget) {
        None => {
            config.error = Some(format!("{path} is not in the package"));
            return Some(config);
        }
        Some(Err(e)) => {
            config.error = Some(e.to_string());
            return Some(config);
        }
        Some(Ok(bytes)) => match hegui_axml::parse_xml(&bytes, &formats.xml) {
            Ok(doc) => doc,
            Err(e) => {
                config.error = Some(e.to_string());
                return Some(config);
            }
        },
    };
    for child in &doc.root.children {
        match child.name.as_str() {
            "base-config" => {
                config.base_cleartext_permitted = plain_bool(child, "cleartextTrafficPermitted");
                config.trusts_user_certs |= trusts_user(child);
            }
            "domain-config" => walk_domain_config(child, &mut config, 0),
            "debug-overrides" => {}
            _ => {}
        }
    }
    Some(config)
}

fn walk_domain_config(e: &Element, config: &mut NetworkSecurityConfig, depth: usize) {
    if depth > 16 {
        return;
    }
    if plain_bool(e, "cleartextTrafficPermitted") == Some(true) {
        config.cleartext_domains.extend(
            e.children_named("domain")
                .filter_map(|d| d.text.as_deref())
                .map(|t| t.trim().to_string()),
        );
    }
    config.trusts_user_certs |= trusts_user(e);
    for nested in e.children_named("domain-config") {
        walk_domain_config(nested, config, depth + 1);
    }
}

fn trusts_user(e: &Element) -> bool {
    e.children_named("trust-anchors")
        .flat_map(|t| t.children_named("certificates"))
        .any(|c| plain_str(c, "src").as_deref() == Some("user"))
}

/// Network security config attributes have no namespace.
fn plain_str(e: &Element, name: &str) -> Option<String> {
    let a = e.attributes.iter().find(|a| a.name == name)?;
    match &a.value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => a.raw.clone(),
    }
}

fn plain_bool(e: &Element, name: &str) -> Option<bool> {
    match plain_str(e, name)?.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}
