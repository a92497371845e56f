//! The third-party SDK catalogue and longest-prefix attribution.
//!
//! The built-in catalogue is the JSON files under `data/sdks/` (see its README for the entry
//! format). Users can add entries at run time (`--sdk-db`), in our format or in the ETIP /
//! εxodus tracker format; [`SdkCatalog::with_extra`] merges them.
//!
//! Attribution is a trie walk done with a hash map: a dotted class name is looked up at each
//! of its package boundaries, longest first, so the cost per class is its depth, whatever the
//! catalogue's size.

// ahash: these maps are read once per class of every scanned package (SipHash showed in profiles).
use ahash::AHashMap as HashMap;
use std::sync::OnceLock;

use hegui_model::{Party, PiCategory};
use serde::{Deserialize, Serialize};

mod exodus;

pub use exodus::parse_exodus;

/// Product names in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdkName {
    pub zh: String,
    pub en: String,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    pub id: String,
    pub name: SdkName,
    /// How privacy policies name it in their third-party lists (`友盟`, `优量汇`, `JPush`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub vendor: String,
    pub category: String,
    #[serde(default)]
    pub collects: Vec<PiCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// Init entry points, `dotted.Class.method`: the calls that start the SDK (and its
    /// collection). A start-up call to the SDK counts as its initialisation only through one
    /// of these when any are listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub native_libs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta_data: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mp_plugins: Vec<String>,
    /// iOS: framework bundle names (`Bugly.framework` → `Bugly`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ios_frameworks: Vec<String>,
    /// iOS: Objective-C class names or name prefixes (at least 4 characters) of the SDK,
    /// found in a binary when the SDK is linked statically.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ios_classes: Vec<String>,
}

impl Sdk {
    /// Whether `class.method` is one of this SDK's init entry points (true for any call when
    /// the entry lists none).
    pub fn is_init(&self, class: &str, method: &str) -> bool {
        self.init.is_empty()
            || self.init.iter().any(|e| {
                e.rsplit_once('.')
                    .is_some_and(|(c, m)| c == class && m == method)
            })
    }

    /// Platform support libraries are attributed but are not third parties to a regulator.
    pub fn is_framework(&self) -> bool {
        self.category == "framework"
    }

    /// This entry as a report's SDK match, with what matched.
    pub fn to_match(
        &self,
        evidence: Vec<hegui_model::SdkEvidence>,
        classes: u32,
        version: Option<String>,
    ) -> hegui_model::SdkMatch {
        hegui_model::SdkMatch {
            id: self.id.clone(),
            name: self.name.zh.clone(),
            name_en: self.name.en.clone(),
            vendor: self.vendor.clone(),
            category: self.category.clone(),
            version,
            collects: self.collects.clone(),
            policy_url: self.policy_url.clone(),
            evidence,
            classes,
        }
    }

    /// Whether a native library file name (no directories) is one of this SDK's.
    pub fn matches_native_lib(&self, file_name: &str) -> bool {
        self.native_libs
            .iter()
            .any(|pattern| glob_match(pattern, file_name))
    }
}

/// The categories an entry may have.
pub const SDK_CATEGORIES: &[&str] = &[
    "analytics",
    "attribution",
    "push",
    "vendor-push",
    "ads",
    "payment",
    "map",
    "location",
    "social",
    "login",
    "crash",
    "apm",
    "oaid",
    "anti-fraud",
    "customer-service",
    "im",
    "rtc",
    "speech",
    "identity",
    "update",
    "hotfix",
    "webview",
    "cloud",
    "framework",
];

#[derive(Deserialize)]
struct SdkFile {
    sdks: Vec<Sdk>,
}

/// The catalogue with its look-up indexes.
#[derive(Debug, Default)]
pub struct SdkCatalog {
    sdks: Vec<Sdk>,
    /// Prefix (with its trailing dot) or full class name → SDK index.
    by_prefix: HashMap<String, usize>,
    by_class: HashMap<String, usize>,
    by_meta_data: HashMap<String, usize>,
    by_component: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    by_ios_framework: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
    /// iOS class-name prefixes by their first four characters, longest first in each bucket.
    ios_class_prefixes: HashMap<String, Vec<(String, usize)>>,
}

/// Why an extra catalogue file was refused, or what in it was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// The entry (id or name) concerned, if any.
    pub entry: Option<String>,
    pub message: String,
}

impl std::fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "{e}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl SdkCatalog {
    /// Build the indexes. Later entries with an id already present replace the earlier one,
    /// so a user file can correct a built-in entry.
    pub fn new(entries: Vec<Sdk>) -> Self {
        let mut sdks: Vec<Sdk> = Vec::with_capacity(entries.len());
        let mut by_id = HashMap::new();
        for sdk in entries {
            match by_id.get(&sdk.id) {
                Some(&i) => sdks[i] = sdk,
                None => {
                    by_id.insert(sdk.id.clone(), sdks.len());
                    sdks.push(sdk);
                }
            }
        }
        let mut catalog = SdkCatalog {
            by_id,
            ..Default::default()
        };
        for (i, sdk) in sdks.iter().enumerate() {
            for p in &sdk.prefixes {
                catalog.by_prefix.insert(p.clone(), i);
            }
            for c in &sdk.classes {
                catalog.by_class.insert(c.clone(), i);
            }
            for k in &sdk.meta_data {
                catalog.by_meta_data.insert(k.clone(), i);
            }
            for c in &sdk.components {
                catalog.by_component.insert(c.clone(), i);
            }
            for f in &sdk.ios_frameworks {
                catalog.by_ios_framework.insert(f.clone(), i);
            }
            for d in &sdk.domains {
                let d = d.trim_start_matches("*.").trim_start_matches('.');
                catalog.by_domain.insert(d.to_ascii_lowercase(), i);
            }
            for c in &sdk.ios_classes {
                let head: String = c.chars().take(4).collect();
                catalog
                    .ios_class_prefixes
                    .entry(head)
                    .or_default()
                    .push((c.clone(), i));
            }
        }
        for bucket in catalog.ios_class_prefixes.values_mut() {
            bucket.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        catalog.sdks = sdks;
        catalog
    }

    /// The built-in catalogue plus `extra` entries (which win on equal ids and prefixes).
    pub fn with_extra(extra: Vec<Sdk>) -> Self {
        let mut all = builtin_entries();
        all.extend(extra);
        Self::new(all)
    }

    pub fn len(&self) -> usize {
        self.sdks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sdks.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Sdk> {
        self.sdks.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Sdk> {
        self.by_id.get(id).and_then(|&i| self.sdks.get(i))
    }

    /// Index of an SDK, for callers that count per SDK without hashing ids.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn by_index(&self, index: usize) -> Option<&Sdk> {
        self.sdks.get(index)
    }

    /// The SDK whose servers a host name belongs to: the longest catalogue domain that is the
    /// host or a parent of it (`alog.umeng.com` → `umeng.com`).
    pub fn owner_of_host(&self, host: &str) -> Option<usize> {
        let host = host.trim_end_matches('.');
        let mut rest = host;
        loop {
            if let Some(&i) = self.by_domain.get(rest) {
                return Some(i);
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return None,
            }
        }
    }

    /// The SDK owning a dotted class name (by well-known class name, else by the longest
    /// matching package prefix), with the prefix that matched (`None` for a class match).
    pub fn owner_of(&self, class: &str) -> Option<(usize, Option<&str>)> {
        if let Some(&i) = self.by_class.get(class) {
            return Some((i, None));
        }
        // Inner classes belong where their outer class does.
        let outer = class.split('$').next().unwrap_or(class);
        if outer.len() != class.len()
            && let Some(&i) = self.by_class.get(outer)
        {
            return Some((i, None));
        }
        let dots = outer.rmatch_indices('.').map(|(i, _)| i);
        for end in dots {
            let prefix = &outer[..=end];
            if let Some((key, &i)) = self.by_prefix.get_key_value(prefix) {
                return Some((i, Some(key.as_str())));
            }
        }
        None
    }

    /// The SDK shipping an iOS framework of this name (`Bugly` for `Bugly.framework`).
    pub fn owner_of_ios_framework(&self, name: &str) -> Option<usize> {
        self.by_ios_framework.get(name).copied()
    }

    /// The SDK owning an Objective-C class, by the longest matching class-name prefix.
    pub fn owner_of_ios_class(&self, class: &str) -> Option<(usize, &str)> {
        // Prefixes have at least four characters: one bucket look-up, then a short scan.
        let end = class.char_indices().nth(4).map_or(class.len(), |(i, _)| i);
        self.ios_class_prefixes
            .get(class.get(..end)?)?
            .iter()
            .find(|(p, _)| class.starts_with(p.as_str()))
            .map(|(p, i)| (*i, p.as_str()))
    }

    /// The SDK whose integration guide names this manifest `<meta-data>` key.
    pub fn owner_of_meta_data(&self, key: &str) -> Option<usize> {
        self.by_meta_data.get(key).copied()
    }

    /// The SDK owning a manifest component (its explicit list first, then by class name).
    pub fn owner_of_component(&self, class: &str) -> Option<usize> {
        self.by_component
            .get(class)
            .copied()
            .or_else(|| self.owner_of(class).map(|(i, _)| i))
    }

    /// Like [`attribute`](Self::attribute), with every package the app's own code lives in
    /// (`own[0]` is the applicationId).
    pub fn attribute_own(&self, own: &[String], class: &str) -> Party {
        let inside = |ns: &str| {
            !ns.is_empty() && class.starts_with(ns) && class.as_bytes().get(ns.len()) == Some(&b'.')
        };
        if own.iter().any(|ns| inside(ns)) {
            return Party::App;
        }
        self.attribute(own.first().map_or("", String::as_str), class)
    }

    /// Who is responsible for code in `class` of the app `package`:
    /// the app's own package → `app`; a catalogued SDK → `sdk:<id>`; the app vendor's other
    /// packages (same first two segments) → `app`; obfuscated names (`a.b.c`) → `unknown`;
    /// any other third party → `sdk:<first three package segments>`.
    pub fn attribute(&self, package: &str, class: &str) -> Party {
        let in_namespace = |ns: &str| {
            !ns.is_empty() && class.starts_with(ns) && class.as_bytes().get(ns.len()) == Some(&b'.')
        };
        if in_namespace(package) {
            return Party::App;
        }
        if let Some(sdk) = self.owner_of(class).and_then(|(i, _)| self.sdks.get(i)) {
            return Party::Sdk(sdk.id.clone());
        }
        let segments: Vec<&str> = class.split('.').collect();
        let vendor: Vec<&str> = package.split('.').take(2).collect();
        if vendor.len() == 2 && segments.len() > 2 && segments[..2] == vendor[..] {
            return Party::App;
        }
        let packages = segments.len().saturating_sub(1);
        if packages == 0 || segments[..packages].iter().all(|s| s.len() <= 2) {
            return Party::Unknown;
        }
        Party::Sdk(segments[..packages.min(3)].join("."))
    }

    /// Problems that make an entry unusable or ambiguous (used by tests and `--sdk-db`).
    pub fn check(&self) -> Vec<CatalogIssue> {
        let mut issues = Vec::new();
        let mut owners: HashMap<&str, &str> = HashMap::new();
        for sdk in &self.sdks {
            let mut say = |message: String| {
                issues.push(CatalogIssue {
                    entry: Some(sdk.id.clone()),
                    message,
                })
            };
            if sdk.id.is_empty()
                || !sdk
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                say("id must be kebab-case ASCII".into());
            }
            if sdk.name.zh.trim().is_empty() || sdk.name.en.trim().is_empty() {
                say("name.zh and name.en are required".into());
            }
            if sdk.vendor.trim().is_empty() {
                say("vendor is required".into());
            }
            if !SDK_CATEGORIES.contains(&sdk.category.as_str()) {
                say(format!("unknown category {:?}", sdk.category));
            }
            if let Some(url) = &sdk.policy_url
                && !url.starts_with("https://")
                && !url.starts_with("http://")
            {
                say(format!("policy_url {url:?} is not a web address"));
            }
            if sdk.prefixes.is_empty() && sdk.classes.is_empty() && sdk.native_libs.is_empty() {
                say("no prefixes, classes or native_libs: it could never be detected".into());
            }
            for p in &sdk.prefixes {
                if !p.ends_with('.') || p.len() < 3 || !is_dotted_name(&p[..p.len() - 1]) {
                    say(format!(
                        "prefix {p:?} must be a dotted package ending in '.'"
                    ));
                }
                if let Some(other) = owners.insert(p.as_str(), sdk.id.as_str())
                    && other != sdk.id
                {
                    say(format!("prefix {p:?} is also claimed by {other}"));
                }
            }
            for c in &sdk.classes {
                if !is_dotted_name(c) {
                    say(format!("class {c:?} must be a dotted class name"));
                }
            }
            for c in &sdk.ios_classes {
                if c.len() < 4 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
                    say(format!(
                        "iOS class prefix {c:?} must be 4+ identifier characters"
                    ));
                }
            }
        }
        issues
    }
}

/// `a.b.C`: Java identifiers joined by dots.
fn is_dotted_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            seg.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

/// A file-name pattern with `*` wildcards (matching any run of characters).
fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    if parts.is_empty() {
        return rest.is_empty();
    }
    for (i, part) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        if last {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

const BUILTIN_FILES: &[(&str, &str)] = &[
    ("cn-majors", include_str!("../data/sdks/cn-majors.json")),
    (
        "cn-independents",
        include_str!("../data/sdks/cn-independents.json"),
    ),
    ("global", include_str!("../data/sdks/global.json")),
    ("framework", include_str!("../data/sdks/framework.json")),
];

fn builtin_entries() -> Vec<Sdk> {
    BUILTIN_FILES
        .iter()
        .flat_map(|(name, text)| {
            crate::load::<Option<SdkFile>>(name, text)
                .map(|f| f.sdks)
                .unwrap_or_default()
        })
        .collect()
}

/// The built-in catalogue.
pub fn sdk_catalog() -> &'static SdkCatalog {
    static T: OnceLock<SdkCatalog> = OnceLock::new();
    T.get_or_init(|| SdkCatalog::new(builtin_entries()))
}

/// Parse a user catalogue file: our format (`{"sdks": [...]}` or a bare array) or the
/// ETIP/εxodus tracker export (`{"trackers": ...}`). Returns the entries and what was skipped.
pub fn parse_sdk_db(text: &str) -> Result<(Vec<Sdk>, Vec<CatalogIssue>), CatalogIssue> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| CatalogIssue {
        entry: None,
        message: format!("not valid JSON: {e}"),
    })?;
    if value.get("trackers").is_some() {
        return parse_exodus(&value);
    }
    let list = match value.get("sdks") {
        Some(list) => list.clone(),
        None => value,
    };
    let entries: Vec<Sdk> = serde_json::from_value(list).map_err(|e| CatalogIssue {
        entry: None,
        message: format!("not an SDK catalogue (expected {{\"sdks\": [...]}} or an ETIP/exodus tracker export): {e}"),
    })?;
    let problems = SdkCatalog::new(entries.clone()).check();
    if let Some(first) = problems.into_iter().next() {
        return Err(first);
    }
    Ok((entries, Vec::new()))
}

#[cfg(test)]
mod tests;
