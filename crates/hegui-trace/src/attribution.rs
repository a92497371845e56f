//! Who made a call: the innermost stack frame that is neither the platform nor the hook,
//! matched against the SDK catalogue by longest prefix. Every catalogued SDK on the stack is
//! kept too: a wrapper SDK (a push aggregator) calls through another's code.

use std::hash::{BuildHasher, Hasher};

use ahash::AHashMap;

use hegui_knowledge::SdkCatalog;
use hegui_model::Party;

use crate::event::{Frame, Stack};

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
    /// The analyser's number for `party`, filled in on first use.
    pub party_id: Option<u32>,
}

/// Attribution with a cache keyed by the stack's frames: traces repeat the same stacks
/// millions of times.
pub struct Attributor<'c> {
    catalog: &'c SdkCatalog,
    package: String,
    /// Stack hash → entry.
    cache: AHashMap<u64, usize>,
    entries: Vec<Attributed>,
    hasher: ahash::RandomState,
    /// The last stack that did not parse, for the reader to report with its line.
    error: Option<String>,
}

const CACHE_CAP: usize = 1 << 16;

impl<'c> Attributor<'c> {
    pub fn new(catalog: &'c SdkCatalog) -> Self {
        Self {
            catalog,
            package: String::new(),
            cache: AHashMap::new(),
            entries: Vec::new(),
            hasher: ahash::RandomState::with_seeds(1, 2, 3, 4),
            error: None,
        }
    }

    /// The app's package: frames under it are the app's own code.
    pub fn set_package(&mut self, package: &str) {
        if self.package != package {
            self.package = package.to_string();
            self.cache.clear();
            self.entries.clear();
        }
    }

    /// The entry for a stack (computed once per distinct stack); `Err` when the stack's
    /// text does not parse as frames.
    pub fn attribute(&mut self, stack: &Stack<'_>) -> Result<usize, String> {
        let mut h = self.hasher.build_hasher();
        stack.hash_into(&mut h);
        let key = h.finish();
        if let Some(&i) = self.cache.get(&key) {
            return Ok(i);
        }
        let frames = stack
            .frames()
            .inspect_err(|e| self.error = Some(e.clone()))?;
        if self.entries.len() >= CACHE_CAP {
            self.cache.clear();
            self.entries.clear();
        }
        let i = self.entries.len();
        self.entries
            .push(compute(self.catalog, &self.package, &frames));
        self.cache.insert(key, i);
        Ok(i)
    }
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    pub fn get(&self, i: usize) -> &Attributed {
        &self.entries[i]
    }

    pub fn get_mut(&mut self, i: usize) -> &mut Attributed {
        &mut self.entries[i]
    }
}

fn is_framework(cls: &str) -> bool {
    FRAMEWORK.iter().any(|p| cls.starts_with(p))
}

fn is_hook(cls: &str) -> bool {
    HOOKS.iter().any(|p| cls.starts_with(p) || cls.contains(p))
}

/// A frame of a mini-program's JavaScript names its module (`pages/index/index.js`), not a
/// Java class.
fn is_js_module(frame: &Frame<'_>) -> bool {
    frame.native != Some(true) && frame.cls.ends_with(".js")
}

/// Who owns a mini-program module: a catalogued mini-program SDK by its module path, else
/// the app.
fn js_module_party(module: &str) -> Party {
    hegui_knowledge::miniprogram_sdks()
        .by_path(module)
        .filter(|sdk| !sdk.framework)
        .map_or(Party::App, |sdk| Party::Sdk(sdk.id.clone()))
}

fn compute(catalog: &SdkCatalog, package: &str, stack: &[Frame<'_>]) -> Attributed {
    let mut out = Attributed::default();
    for f in stack {
        let cls: &str = &f.cls;
        if cls.is_empty() || is_hook(cls) {
            continue;
        }
        if is_js_module(f) {
            if out.frame.is_none() {
                out.frame = Some(match f.line {
                    Some(line) => format!("{cls}:{line}#{}", f.method),
                    None => format!("{cls}#{}", f.method),
                });
                out.party = js_module_party(cls);
            }
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
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;
    use crate::event::Str;

    fn frame(cls: &'static str) -> Frame<'static> {
        Frame {
            cls: Str::from(cls),
            method: Str::from("m"),
            ..Default::default()
        }
    }

    #[test]
    fn mini_program_modules_are_the_app_or_a_catalogued_sdk() {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = Attributor::new(catalog);
        a.set_package("wx0123456789abcdef");
        let frames = [Frame {
            cls: Str::from("pages/index/index.js"),
            method: Str::from("onLoad"),
            line: Some(12),
            ..Default::default()
        }];
        let got = compute(catalog, "wx0123456789abcdef", &frames);
        assert_eq!(got.party, Party::App);
        assert_eq!(got.frame.as_deref(), Some("pages/index/index.js:12#onLoad"));
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
        let i = a.attribute(&Stack::Frames(stack.to_vec())).unwrap();
        let got = a.get(i).clone();
        assert_eq!(got.party, Party::Sdk("umeng".into()));
        assert_eq!(
            got.frame.as_deref(),
            Some("com.umeng.commonsdk.statistics.common.DeviceConfig#m")
        );
        assert_eq!(got.sdks, vec!["umeng".to_string()]);
        let i = a
            .attribute(&Stack::Frames(vec![frame("com.example.shop.Main")]))
            .unwrap();
        let app = a.get(i).party.clone();
        assert_eq!(app, Party::App);
        // Only platform frames (an executor callback): nobody to blame.
        let i = a
            .attribute(&Stack::Frames(vec![frame("java.lang.Thread")]))
            .unwrap();
        let none = a.get(i).party.clone();
        assert_eq!(none, Party::Unknown);
        // Obfuscated code outside the app's namespace stays unknown.
        let i = a.attribute(&Stack::Frames(vec![frame("a.b.c")])).unwrap();
        let obf = a.get(i).party.clone();
        assert_eq!(obf, Party::Unknown);
    }
}
