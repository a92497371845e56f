//! Who made a call: the innermost stack frame that is neither the platform nor the hook,
//! matched against the SDK catalogue by longest prefix. Every catalogued SDK on the stack is
//! kept too: a wrapper SDK (a push aggregator) calls through another's code.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use hegui_knowledge::SdkCatalog;
use hegui_model::Party;

use crate::event::Frame;

/// Platform namespaces: a frame here is never the one responsible.
const FRAMEWORK: &[&str] = &[
    "java.",
    "javax.",
    "android.",
    "androidx.",
    "com.android.",
    "dalvik.",
    "libcore.",
    "kotlin.",
    "kotlinx.",
    "sun.",
    "jdk.",
    "org.apache.harmony.",
    "com.google.android.collect.",
];

/// Frames the hooking tool itself adds.
const HOOKS: &[&str] = &[
    "de.robv.android.xposed.",
    "com.saurik.substrate.",
    "re.frida.",
    "com.swift.sandhook.",
    "org.lsposed.",
    "top.canyie.pine.",
    "me.weishu.epic.",
    "LSPHooker_",
    "EdHooker_",
];

/// The verdict for one stack.
#[derive(Debug, Clone, Default)]
pub struct Attributed {
    pub party: Party,
    /// `cls#method` of the frame that decided.
    pub frame: Option<String>,
    /// Catalogued SDKs anywhere on the stack, innermost first.
    pub sdks: Vec<String>,
}

/// Attribution with a cache keyed by the stack's frames: traces repeat the same stacks
/// millions of times.
pub struct Attributor<'c> {
    catalog: &'c SdkCatalog,
    package: String,
    cache: HashMap<u64, Attributed>,
}

const CACHE_CAP: usize = 1 << 16;

impl<'c> Attributor<'c> {
    pub fn new(catalog: &'c SdkCatalog) -> Self {
        Self {
            catalog,
            package: String::new(),
            cache: HashMap::new(),
        }
    }

    /// The app's package: frames under it are the app's own code.
    pub fn set_package(&mut self, package: &str) {
        if self.package != package {
            self.package = package.to_string();
            self.cache.clear();
        }
    }

    pub fn attribute(&mut self, stack: &[Frame<'_>]) -> &Attributed {
        let mut h = DefaultHasher::new();
        for f in stack {
            f.cls.hash(&mut h);
            f.method.hash(&mut h);
        }
        let key = h.finish();
        if self.cache.len() >= CACHE_CAP && !self.cache.contains_key(&key) {
            self.cache.clear();
        }
        let (catalog, package) = (self.catalog, self.package.as_str());
        self.cache
            .entry(key)
            .or_insert_with(|| compute(catalog, package, stack))
    }
}

fn is_framework(cls: &str) -> bool {
    FRAMEWORK.iter().any(|p| cls.starts_with(p))
}

fn is_hook(cls: &str) -> bool {
    HOOKS.iter().any(|p| cls.starts_with(p) || cls.contains(p))
}

fn compute(catalog: &SdkCatalog, package: &str, stack: &[Frame<'_>]) -> Attributed {
    let mut out = Attributed::default();
    for f in stack {
        let cls = f.cls.as_ref();
        if cls.is_empty() || is_hook(cls) {
            continue;
        }
        if let Some((i, _)) = catalog.owner_of(cls)
            && let Some(sdk) = catalog.by_index(i)
            && !sdk.is_framework()
            && !out.sdks.contains(&sdk.id)
        {
            out.sdks.push(sdk.id.clone());
        }
        if out.frame.is_some() || is_framework(cls) {
            continue;
        }
        out.frame = Some(format!("{cls}#{}", f.method));
        out.party = catalog.attribute(package, cls);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn frame(cls: &'static str) -> Frame<'static> {
        Frame {
            cls: Cow::Borrowed(cls),
            method: Cow::Borrowed("m"),
            ..Default::default()
        }
    }

    #[test]
    fn innermost_non_framework_frame_decides() {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = Attributor::new(catalog);
        a.set_package("com.example.shop");
        let stack = [
            frame("android.provider.Settings$Secure"),
            frame("de.robv.android.xposed.XposedBridge"),
            frame("com.umeng.commonsdk.statistics.common.DeviceConfig"),
            frame("com.example.shop.App"),
        ];
        let got = a.attribute(&stack).clone();
        assert_eq!(got.party, Party::Sdk("umeng".into()));
        assert_eq!(
            got.frame.as_deref(),
            Some("com.umeng.commonsdk.statistics.common.DeviceConfig#m")
        );
        assert_eq!(got.sdks, vec!["umeng".to_string()]);
        let app = a.attribute(&[frame("com.example.shop.Main")]).party.clone();
        assert_eq!(app, Party::App);
        // Only platform frames (an executor callback): nobody to blame.
        let none = a.attribute(&[frame("java.lang.Thread")]).party.clone();
        assert_eq!(none, Party::Unknown);
        // Obfuscated code outside the app's namespace stays unknown.
        let obf = a.attribute(&[frame("a.b.c")]).party.clone();
        assert_eq!(obf, Party::Unknown);
    }
}
