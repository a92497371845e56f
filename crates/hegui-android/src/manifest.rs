//! AndroidManifest.xml (binary XML) → manifest facts.

use hegui_axml::{Element, ResourceTable, Value};
use hegui_model::{
    AndroidFacts, ApplicationInfo, Component, ComponentKind, CustomPermission, IntentFilter,
    MetaData, PermissionUse, Queries,
};

/// Locales preferred when a label has translations: the product's audience first.
pub const PREFERRED_LOCALES: &[&str] = &["zh-CN", "zh", ""];

/// Fill the manifest part of `facts` from the parsed document root.
pub fn read_manifest(root: &Element, resources: Option<&ResourceTable>, facts: &mut AndroidFacts) {
    facts.package = plain_attr(root, "package").unwrap_or_default();
    facts.version_code = root.attr_int("versionCode");
    facts.version_name = text_attr(root, "versionName", resources);
    if let Some(sdk) = root.children_named("uses-sdk").next() {
        facts.min_sdk = sdk_level(sdk, "minSdkVersion");
        facts.target_sdk = sdk_level(sdk, "targetSdkVersion");
    }
    // Android: no targetSdkVersion means target = min.
    if facts.target_sdk.is_none() {
        facts.target_sdk = facts.min_sdk;
    }
    for child in &root.children {
        match child.name.as_str() {
            "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                if let Some(name) = child.attr_str("name") {
                    if !facts.permissions.contains(&name) {
                        facts.permissions.push(name.clone());
                    }
                    facts.permission_uses.push(PermissionUse {
                        name,
                        sdk23: child.name != "uses-permission",
                        max_sdk: child
                            .attr_int("maxSdkVersion")
                            .and_then(|v| u32::try_from(v).ok()),
                    });
                }
            }
            "permission" => {
                if let Some(name) = child.attr_str("name") {
                    facts.custom_permissions.push(CustomPermission {
                        name,
                        protection_level: protection_level(child),
                    });
                }
            }
            "queries" => read_queries(child, &mut facts.queries),
            _ => {}
        }
    }
    if let Some(app) = root.children_named("application").next() {
        read_application(app, resources, facts);
    }
}

fn read_application(app: &Element, resources: Option<&ResourceTable>, facts: &mut AndroidFacts) {
    let package = facts.package.clone();
    facts.label = text_attr(app, "label", resources);
    facts.application = ApplicationInfo {
        class_name: app.attr_str("name").map(|n| qualify(&package, &n)),
        uses_cleartext_traffic: app.attr_bool("usesCleartextTraffic"),
        debuggable: app.attr_bool("debuggable"),
        allow_backup: app.attr_bool("allowBackup"),
        network_security_config: None,
    };
    let target = facts.target_sdk.unwrap_or(1);
    for child in &app.children {
        let kind = match child.name.as_str() {
            "activity" => ComponentKind::Activity,
            "activity-alias" => ComponentKind::ActivityAlias,
            "service" => ComponentKind::Service,
            "receiver" => ComponentKind::Receiver,
            "provider" => ComponentKind::Provider,
            "meta-data" => {
                push_meta(child, "application", resources, &mut facts.meta_data);
                continue;
            }
            _ => continue,
        };
        let Some(raw_name) = child.attr_str("name") else {
            continue;
        };
        let name = qualify(&package, &raw_name);
        let intent_filters: Vec<IntentFilter> = child
            .children_named("intent-filter")
            .map(read_intent_filter)
            .collect();
        let exported_attr = child.attr_bool("exported");
        let exported = exported_attr.unwrap_or(match kind {
            ComponentKind::Provider => target < 17,
            _ => !intent_filters.is_empty(),
        });
        let target_attr = match kind {
            ComponentKind::Provider => child.attr_str("authorities"),
            ComponentKind::ActivityAlias => child
                .attr_str("targetActivity")
                .map(|t| qualify(&package, &t)),
            _ => None,
        };
        for meta in child.children_named("meta-data") {
            push_meta(meta, &name, resources, &mut facts.meta_data);
        }
        facts.components.push(Component {
            kind,
            name,
            exported_attr,
            exported,
            // Providers: reading is what exposes data, so `readPermission` stands in when
            // `permission` is absent.
            permission: child.attr_str("permission").or_else(|| {
                (kind == ComponentKind::Provider)
                    .then(|| child.attr_str("readPermission"))
                    .flatten()
            }),
            enabled: child.attr_bool("enabled"),
            process: child.attr_str("process"),
            foreground_service_type: child.attr_str("foregroundServiceType"),
            target: target_attr,
            intent_filters,
        });
    }
}

fn read_intent_filter(filter: &Element) -> IntentFilter {
    let names = |tag: &str| -> Vec<String> {
        filter
            .children_named(tag)
            .filter_map(|e| e.attr_str("name"))
            .collect()
    };
    IntentFilter {
        actions: names("action"),
        categories: names("category"),
        data_schemes: filter
            .children_named("data")
            .filter_map(|d| d.attr_str("scheme"))
            .collect(),
        priority: filter.attr_int("priority"),
    }
}

fn read_queries(queries: &Element, out: &mut Queries) {
    for child in &queries.children {
        match child.name.as_str() {
            "package" => out.packages.extend(child.attr_str("name")),
            "provider" => out.providers.extend(child.attr_str("authorities")),
            "intent" => {
                for action in child.children_named("action") {
                    out.intent_actions.extend(action.attr_str("name"));
                }
            }
            _ => {}
        }
    }
}

fn push_meta(e: &Element, scope: &str, resources: Option<&ResourceTable>, out: &mut Vec<MetaData>) {
    let Some(name) = e.attr_str("name") else {
        return;
    };
    let value = text_attr(e, "value", resources).or_else(|| e.attr_str("resource"));
    out.push(MetaData {
        name,
        value,
        scope: scope.to_string(),
    });
}

/// An attribute without namespace (the manifest's `package`).
fn plain_attr(e: &Element, name: &str) -> Option<String> {
    e.attributes
        .iter()
        .find(|a| a.name == name && a.namespace.as_deref().is_none_or(str::is_empty))
        .and_then(|a| match &a.value {
            Value::String(s) => Some(s.clone()),
            _ => a.raw.clone(),
        })
}

/// A text attribute, following a resource reference through the resource table.
fn text_attr(e: &Element, name: &str, resources: Option<&ResourceTable>) -> Option<String> {
    let attr = e.attr(name)?;
    match &attr.value {
        Value::Reference(id) => resources
            .and_then(|r| r.resolve_string(*id, PREFERRED_LOCALES))
            .or_else(|| Some(format!("@0x{id:08x}"))),
        Value::String(s) => Some(s.clone()),
        _ => e.attr_str(name),
    }
}

fn sdk_level(e: &Element, name: &str) -> Option<u32> {
    e.attr_int(name).and_then(|v| u32::try_from(v).ok())
}

fn protection_level(e: &Element) -> Option<String> {
    let raw = e.attr_int("protectionLevel")?;
    let base = match raw & 0xf {
        0 => "normal",
        1 => "dangerous",
        2 => "signature",
        3 => "signatureOrSystem",
        _ => "other",
    };
    Some(if raw & !0xf != 0 {
        format!("{base}|0x{:x}", raw & !0xf)
    } else {
        base.to_string()
    })
}

/// Resolve a component name the way the package manager does.
pub fn qualify(package: &str, name: &str) -> String {
    if let Some(rest) = name.strip_prefix('.') {
        format!("{package}.{rest}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}
