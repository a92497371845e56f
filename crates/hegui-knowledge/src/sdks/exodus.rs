//! The ETIP / εxodus tracker export as extra catalogue entries.
//!
//! εxodus signatures are Python regexes searched anywhere in a class name, written with
//! unescaped dots (`com.facebook.ads` also matches `com.facebookXads` and
//! `org.com.facebook.adsfoo`). We do not run them as regexes: each `|` alternative that is a
//! plain dotted name becomes an anchored package prefix (or an exact class name when its last
//! segment is capitalised), which is what its author meant; anything else is skipped and
//! reported, so a hostile file cannot make matching slow or ambiguous.

use serde_json::Value;

use super::{CatalogIssue, Sdk, SdkName};

/// Convert an ETIP/εxodus export (`{"trackers": {id: tracker}}` or `{"trackers": [..]}`).
pub fn parse_exodus(value: &Value) -> Result<(Vec<Sdk>, Vec<CatalogIssue>), CatalogIssue> {
    let trackers: Vec<&Value> = match value.get("trackers") {
        Some(Value::Object(map)) => map.values().collect(),
        Some(Value::Array(list)) => list.iter().collect(),
        _ => {
            return Err(CatalogIssue {
                entry: None,
                message: "`trackers` must be an object or an array".into(),
            });
        }
    };
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for tracker in trackers {
        let name = tracker
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        let id = match tracker.get("id") {
            Some(Value::Number(n)) => format!("exodus-{n}"),
            Some(Value::String(s)) if !s.is_empty() => format!("exodus-{}", kebab(s)),
            _ => format!("exodus-{}", kebab(&name)),
        };
        let mut sdk = Sdk {
            id: id.clone(),
            name: SdkName {
                zh: name.clone(),
                en: name.clone(),
            },
            // The tracker's own name is how a policy would list it.
            aliases: vec![name.clone()],
            vendor: name.clone(),
            category: category_of(tracker.get("categories")),
            collects: Vec::new(),
            policy_url: None,
            prefixes: Vec::new(),
            classes: Vec::new(),
            init: Vec::new(),
            native_libs: Vec::new(),
            meta_data: Vec::new(),
            components: Vec::new(),
            domains: Vec::new(),
            mp_plugins: Vec::new(),
            ios_frameworks: Vec::new(),
            ios_classes: Vec::new(),
        };
        let code = tracker
            .get("code_signature")
            .and_then(Value::as_str)
            .unwrap_or("");
        for alternative in alternatives(code) {
            match literal_name(alternative, false) {
                Some(lit) if last_segment_is_class(&lit) => sdk.classes.push(lit),
                Some(lit) => sdk.prefixes.push(format!("{lit}.")),
                None => skipped.push(CatalogIssue {
                    entry: Some(id.clone()),
                    message: format!(
                        "code signature {alternative:?} is not a plain package or class name; skipped"
                    ),
                }),
            }
        }
        let network = tracker
            .get("network_signature")
            .and_then(Value::as_str)
            .unwrap_or("");
        for alternative in alternatives(network) {
            if let Some(domain) = literal_name(alternative, true) {
                sdk.domains.push(domain);
            }
        }
        if sdk.prefixes.is_empty() && sdk.classes.is_empty() {
            skipped.push(CatalogIssue {
                entry: Some(id),
                message: "no usable code signature; skipped".into(),
            });
            continue;
        }
        if name.is_empty() {
            sdk.name = SdkName {
                zh: sdk.id.clone(),
                en: sdk.id.clone(),
            };
            sdk.vendor = sdk.id.clone();
        }
        entries.push(sdk);
    }
    Ok((entries, skipped))
}

/// The top-level `|` alternatives of a regex (a `|` inside `(...)` or `[...]` or after a
/// backslash does not split), trimmed, empty ones dropped.
fn alternatives(regex: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut in_class, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, c) in regex.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.saturating_sub(1),
            '|' if !in_class && depth == 0 => {
                out.push(&regex[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&regex[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect()
}

/// `^com\.foo\.bar\.` → `com.foo.bar`; `None` if anything else than a dotted name remains.
/// Hyphens are allowed only in host names (`domain`).
fn literal_name(alternative: &str, domain: bool) -> Option<String> {
    let text = alternative
        .trim_start_matches('^')
        .trim_end_matches('$')
        .replace("\\.", ".");
    let text = text.trim_end_matches('.');
    // `.example.com` in a network signature means "any subdomain of example.com".
    let text = if domain {
        text.trim_start_matches('.')
    } else {
        text
    };
    let allowed = |c: char| {
        c.is_alphanumeric() || c == '_' || c == '.' || if domain { c == '-' } else { c == '$' }
    };
    let plain = !text.is_empty()
        && !text.starts_with('.')
        && !text.contains("..")
        && text.chars().all(allowed);
    plain.then(|| text.to_string())
}

fn last_segment_is_class(name: &str) -> bool {
    name.rsplit('.')
        .next()
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_uppercase)
        && name.contains('.')
}

fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// εxodus categories → ours (the first one that maps).
fn category_of(categories: Option<&Value>) -> String {
    let names: Vec<&str> = categories
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for name in names {
        let ours = match name.to_ascii_lowercase().as_str() {
            "advertisement" | "advertising" => "ads",
            "analytics" | "profiling" => "analytics",
            "crash reporting" => "crash",
            "location" => "location",
            "identification" => "anti-fraud",
            _ => continue,
        };
        return ours.to_string();
    }
    "analytics".to_string()
}
