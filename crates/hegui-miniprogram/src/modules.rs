//! The app's modules taken together, once every file is read:
//! - **resolution**: which module values are the platform object (a module exporting `wx`,
//!   a getter of it) or a framework's forwarding object (Taro, uni-app), so `o().getLocation()`
//!   counts like `wx.getLocation()`;
//! - **reachability**: modules no entry point (the app script, a page, a component, a bundle
//!   file) loads through `require`/`import`;
//! - **parties**: who wrote the code (the app, a plugin, a catalogued SDK, a framework runtime).

use std::collections::{BTreeMap, HashMap, HashSet};

use hegui_knowledge::miniprogram_sdks;
use hegui_model::MiniProgramApiCall;

use crate::js::values::Val;
use crate::js::{Found, FoundUrl, ModuleInfo, Pending, WRAPPER_HINT_APIS};

/// Everything the file readers found, before the app-wide view.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub calls: Vec<Found<MiniProgramApiCall>>,
    pub pending: Vec<Pending>,
    pub urls: Vec<Found<FoundUrl>>,
    pub modules: Vec<ModuleInfo>,
}

/// How deep re-exports are followed (`a` re-exports `b` re-exports `wx`).
const MAX_HOPS: u8 = 8;
/// A module value used with this many distinct platform-only API names (`showToast`,
/// `navigateTo`, …) is a wrapper of the platform object.
const WRAPPER_HINTS_NEEDED: usize = 2;

pub(crate) struct Graph<'c> {
    modules: HashMap<&'c str, &'c ModuleInfo>,
    /// Files that hold `define`d or webpack modules (bundles: entry points themselves).
    bundles: HashSet<&'c str>,
    reachable: Option<HashSet<&'c str>>,
}

enum Resolved {
    /// The platform object, and how it was reached (`module <id>`, a framework name).
    Platform(Option<String>),
    /// Something not known to be the platform: the key to infer it by usage.
    Unknown(String),
}

impl<'c> Graph<'c> {
    /// `pages` are entry points; `reach` is false where the entry points cannot be known (a
    /// uni-app or Taro source tree, whose pages are listed in their own configuration and
    /// whose components register themselves): then everything counts as reachable.
    pub fn new(modules: &'c [ModuleInfo], pages: &[String], reach: bool) -> Self {
        let mut by_key = HashMap::new();
        for m in modules {
            by_key.entry(m.key.as_str()).or_insert(m);
        }
        let bundles = modules
            .iter()
            .filter(|m| m.kind != "file")
            .map(|m| m.file.as_str())
            .collect();
        let mut g = Graph {
            modules: by_key,
            bundles,
            reachable: None,
        };
        if reach {
            let pages: HashSet<&str> = pages
                .iter()
                .map(|p| p.trim_start_matches('/').trim_end_matches(".html"))
                .collect();
            g.reachable = g.reach(&pages);
        }
        g
    }

    /// A module by the key a loader names, trying the forms bundlers resolve it to.
    fn module(&self, key: &str) -> Option<&'c ModuleInfo> {
        if let Some(m) = self.modules.get(key) {
            return Some(m);
        }
        let candidates: Vec<String> = match key.strip_prefix("npm:") {
            Some(pkg) => vec![
                format!("miniprogram_npm/{pkg}/index.js"),
                format!("npm/{pkg}/index.js"),
                format!("{pkg}.js"),
            ],
            None => vec![key.trim_end_matches(".js").to_string() + "/index.js"],
        };
        candidates
            .iter()
            .find_map(|c| self.modules.get(c.as_str()).copied())
    }

    /// Modules reachable from the entry points, or `None` when nothing marks an entry (a
    /// loose file: everything counts).
    fn reach(&self, pages: &HashSet<&str>) -> Option<HashSet<&'c str>> {
        let is_page = |m: &ModuleInfo| {
            m.key
                .rsplit_once('.')
                .is_some_and(|(stem, _)| pages.contains(stem))
        };
        let entries: Vec<&'c ModuleInfo> = self
            .modules
            .values()
            .copied()
            .filter(|m| self.is_entry(m) || is_page(m))
            .collect();
        if entries.is_empty() {
            return None;
        }
        let mut seen: HashSet<&'c str> = HashSet::new();
        let mut stack = entries;
        while let Some(m) = stack.pop() {
            if !seen.insert(m.key.as_str()) {
                continue;
            }
            for r in &m.requires {
                if let Some(next) = self.module(r) {
                    stack.push(next);
                }
            }
        }
        Some(seen)
    }

    fn is_entry(&self, m: &ModuleInfo) -> bool {
        let name = m.key.rsplit('/').next().unwrap_or(&m.key);
        m.entry
            // The platform loads a plugin's code itself.
            || plugin_appid(&m.key).is_some()
            // webpack modules are loaded by ids a static reading cannot follow completely
            // (chunk loading, `n.e`): they all count.
            || m.kind == "webpack"
            || (m.kind == "file"
                && (matches!(name, "app.js" | "game.js") || self.bundles.contains(m.file.as_str())))
    }

    pub fn unreachable(&self, module: Option<&str>) -> bool {
        match (&self.reachable, module) {
            (Some(seen), Some(key)) => !seen.contains(key),
            _ => false,
        }
    }

    fn resolve(&self, v: &Val, hops: u8) -> Resolved {
        let unknown = |k: &str, part: &str| Resolved::Unknown(format!("{k}#{part}"));
        if hops > MAX_HOPS {
            return Resolved::Unknown(String::new());
        }
        let (key, part) = match v {
            Val::Platform(_) => return Resolved::Platform(None),
            Val::Module(k) => (k, None),
            Val::Default(k) => (k, Some("default")),
            Val::Named(k, n) => (k, Some(n.as_str())),
            _ => return Resolved::Unknown(String::new()),
        };
        if let Some(name) = framework_of(key) {
            return Resolved::Platform(Some(name.to_string()));
        }
        let Some(m) = self.module(key) else {
            return unknown(key, part.unwrap_or("*"));
        };
        let found = match part {
            None => m.whole.as_ref(),
            Some(p) => m
                .named
                .iter()
                .find(|(n, _)| n == p)
                .map(|(_, v)| v)
                // A CommonJS module's default export is its `module.exports`.
                .or_else(|| (p == "default").then_some(m.whole.as_ref()).flatten()),
        };
        match found.map(|v| self.resolve(v, hops + 1)) {
            Some(Resolved::Platform(None)) => Resolved::Platform(Some(format!("module {key}"))),
            Some(r @ Resolved::Platform(_)) => r,
            _ => unknown(key, part.unwrap_or("*")),
        }
    }

    /// The platform API calls made through module values: resolved ones, and those on a
    /// value used like the platform object (several platform-only API names).
    pub fn resolve_pending(
        &self,
        pending: &[Pending],
        host: &'static str,
    ) -> Vec<Found<MiniProgramApiCall>> {
        let resolved: Vec<Resolved> = pending.iter().map(|p| self.resolve(&p.target, 0)).collect();
        let mut names_by_key: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
        for (p, r) in pending.iter().zip(&resolved) {
            if let Resolved::Unknown(k) = r
                && !k.is_empty()
            {
                names_by_key.entry(k).or_default().insert(&p.name);
            }
        }
        // A wrapper: a module value used like the platform object (several platform-only
        // API names), or exported by a module that forwards the platform's API by name.
        let wrappers: HashSet<&str> = names_by_key
            .iter()
            .filter(|(key, names)| {
                let forwards = key
                    .split('#')
                    .next()
                    .and_then(|k| self.module(k))
                    .is_some_and(|m| m.forwards_platform);
                forwards
                    || names
                        .iter()
                        .filter(|n| WRAPPER_HINT_APIS.contains(n))
                        .count()
                        >= WRAPPER_HINTS_NEEDED
            })
            .map(|(k, _)| *k)
            .collect();
        let mut out = Vec::new();
        for (p, r) in pending.iter().zip(&resolved) {
            let via = match r {
                Resolved::Platform(via) => via.clone().unwrap_or_else(|| "module".into()),
                Resolved::Unknown(k) if wrappers.contains(k.as_str()) => {
                    let key = k.split('#').next().unwrap_or(k);
                    let party = self
                        .module(key)
                        .map(|m| self.party(&m.file, Some(&m.key)))
                        .unwrap_or_default();
                    match party.strip_prefix("framework:") {
                        Some(f) => f.to_string(),
                        None => format!("wrapper {key}"),
                    }
                }
                Resolved::Unknown(_) => continue,
            };
            if !p.known {
                continue;
            }
            let mut call = MiniProgramApiCall::new(format!("{host}.{}", p.name), p.site.clone());
            call.via = Some(via);
            out.push(Found {
                item: call,
                module: p.module.clone(),
            });
        }
        out
    }

    /// Who wrote the code of a module in `file`: `plugin:<appid>`, `framework:<id>`,
    /// `sdk:<id>` or `app`.
    pub fn party(&self, file: &str, module: Option<&str>) -> String {
        let info = module.and_then(|k| self.modules.get(k).copied());
        // webpack keeps module paths only in development builds (`wp:./node_modules/…`).
        let path = match module {
            Some(k) if !k.starts_with("wp:") || k.contains('/') => k,
            _ => file,
        };
        if let Some(appid) = plugin_appid(path).or_else(|| plugin_appid(file)) {
            return format!("plugin:{appid}");
        }
        if let Some(sdk) = miniprogram_sdks().by_path(path) {
            let kind = if sdk.framework { "framework" } else { "sdk" };
            return format!("{kind}:{}", sdk.id);
        }
        // A vendor chunk mixes the framework runtime with the app's npm libraries: the
        // module that forwards the platform API by name is the runtime.
        if info.is_some_and(|m| m.forwards_platform) {
            if file.ends_with("common/vendor.js") {
                return "framework:uni-app".to_string();
            }
            if file.ends_with("vendors.js") {
                return "framework:taro".to_string();
            }
        }
        "app".to_string()
    }
}

/// The framework a module key or file names (`npm:@tarojs/taro`, `taro.js`).
fn framework_of(key: &str) -> Option<&'static str> {
    miniprogram_sdks()
        .by_path(key)
        .filter(|s| s.framework)
        .map(|s| s.id.as_str())
}

/// `plugin-private://wx50b5…/index.js`, `plugin://wx…/`, `__plugin__/wx…/`: the plugin's appid.
fn plugin_appid(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("plugin-private://")
        .or_else(|| path.strip_prefix("plugin://"))
        .or_else(|| path.split_once("__plugin__/").map(|(_, r)| r))?;
    let appid = rest.split('/').next()?;
    (!appid.is_empty()).then_some(appid)
}

/// The namespace of the platform the app runs on.
pub(crate) fn host_namespace(platform: &str) -> &'static str {
    match platform {
        "bytedance" => "tt",
        "alipay" => "my",
        "baidu" => "swan",
        "qq" => "qq",
        "uniapp" => "uni",
        _ => "wx",
    }
}

/// Whether a call on namespace `ns` can run on the app's platform: `my.getLocation` in a
/// WeChat package is a branch for Alipay, not evidence. Framework namespaces (`uni`, `Taro`)
/// run everywhere; a uni-app source tree builds for any platform.
pub(crate) fn runs_on(ns: &str, platform: &str) -> bool {
    let host = host_namespace(platform);
    platform == "uniapp"
        || ns == host
        || matches!(ns, "uni" | "Taro")
        || (host == "qq" && ns == "wx")
}
