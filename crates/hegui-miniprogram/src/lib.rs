//! Mini-program extractor: a package (`.wxapkg`, PC-encrypted `V1MMWX`, ByteDance `TPKG`) or a
//! project folder → neutral [`MiniProgramFacts`]. Parsers here never judge.
//!
//! Containers and configuration first (declared privacy settings, pages, subpackages), then
//! every script (parsed with oxc) and template of the app, then the derived facts (privacy
//! flow, policy references).

mod config;
mod derive;
mod files;
mod js;
mod literals;
mod modules;
mod project;
mod sources;
mod templates;

use std::collections::HashMap;

use hegui_archive::miniapp::{
    Package, PackageError, appid_from_path, decrypt_v1mmwx, is_tpkg, is_v1mmwx, is_wxapkg,
    parse_tpkg, parse_wxapkg,
};
use hegui_model::{ArtifactKind, Endpoint, MiniProgramFacts, ScanError, SourceSite};

pub use files::{par_map_largest_first, parse_file_scripts, text as decode_text};
pub use js::{find_calls, parse_only};
pub use project::{extract_dir, is_app_dir};
pub use sources::{Sources, dir_sources, package_sources};

/// The result of reading one mini-program.
#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: MiniProgramFacts,
    pub errors: Vec<ScanError>,
    /// `http_endpoints` index by (file, URL), to count repeats instead of listing them.
    endpoint_index: HashMap<(String, String), usize>,
    /// The template of a page that names itself a privacy policy (source trees): its path
    /// and bytes, for the policy reader.
    pub policy_page: Option<(String, Vec<u8>)>,
    /// What the file readers found, before the app-wide view (modules, wrappers, parties).
    collected: modules::Collected,
    /// (kind, text, site) of text naming a privacy policy.
    policy_texts: Vec<(String, String, SourceSite)>,
}

impl Extraction {
    fn error(&mut self, code: &str, message: impl Into<String>, entry: Option<&str>) {
        self.errors.push(ScanError::new(code, message, entry));
    }

    fn package_error(&mut self, e: &PackageError, package: &str) {
        let entry = match e.entry() {
            Some(inner) => format!("{package}!/{inner}"),
            None => package.to_string(),
        };
        self.error(e.code(), e.to_string(), Some(&entry));
    }
}

/// The kind of a mini-program package, from its first bytes.
pub fn package_kind(bytes: &[u8]) -> Option<ArtifactKind> {
    if is_wxapkg(bytes) || is_v1mmwx(bytes) {
        Some(ArtifactKind::Wxapkg)
    } else if is_tpkg(bytes) {
        Some(ArtifactKind::Tpkg)
    } else {
        None
    }
}

/// Read one package. `path` names it in errors and may carry the appid of a PC-encrypted
/// package (`Applet/<appid>/…`, `<appid>-pc.wxapkg`); `appid` overrides it.
pub fn extract_package(path: &str, bytes: &[u8], appid: Option<&str>) -> Extraction {
    let mut ex = Extraction::default();
    let mut packages = Vec::new();
    read_package(path, bytes, appid, &mut ex, &mut packages);
    ex.facts.packages = packages;
    ex.finish();
    ex
}

/// Read one loose file (a script, template or HTML page) as if it were a whole app: what the
/// per-file readers find, plus the derived facts. For tests and fuzzing.
pub fn extract_file(name: &str, bytes: &[u8]) -> MiniProgramFacts {
    let mut ex = Extraction::default();
    ex.facts.platform = "wechat".into();
    ex.merge(files::read_file(name, bytes, "wx"));
    ex.finish();
    ex.facts
}

/// Read one package into `ex` (several packages of one app accumulate).
pub(crate) fn read_package(
    path: &str,
    bytes: &[u8],
    appid: Option<&str>,
    ex: &mut Extraction,
    packages: &mut Vec<String>,
) {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    let decrypted;
    let (plain, container): (&[u8], &str) = if is_v1mmwx(bytes) {
        let key = appid.map(str::to_string).or_else(|| appid_from_path(path));
        match decrypt_v1mmwx(bytes, key.as_deref().unwrap_or("")) {
            Ok(p) => {
                decrypted = p;
                if ex.facts.appid.is_none() {
                    ex.facts.appid = key;
                }
                (&decrypted, "wxapkg-pc")
            }
            Err(e) => {
                ex.package_error(&e, &name);
                return;
            }
        }
    } else if is_tpkg(bytes) {
        (bytes, "tpkg")
    } else {
        (bytes, "wxapkg")
    };
    let parsed = if container == "tpkg" {
        parse_tpkg(plain)
    } else {
        parse_wxapkg(plain)
    };
    let pkg = match parsed {
        Ok(pkg) => pkg,
        Err(e) => {
            ex.package_error(&e, &name);
            return;
        }
    };
    for e in &pkg.errors {
        ex.package_error(e, &name);
    }
    for a in &pkg.anomalies {
        ex.error("package-anomaly", a.clone(), Some(&name));
    }
    if ex.facts.container.is_empty() {
        ex.facts.container = container.to_string();
        ex.facts.platform = if container == "tpkg" {
            "bytedance"
        } else {
            "wechat"
        }
        .to_string();
    }
    ex.facts.files += pkg.entries.len() as u32;
    packages.push(name.clone());
    read_package_config(&pkg, &name, ex);
    let host = modules::host_namespace(&ex.facts.platform);
    // Files are read in parallel, merged in index order (reports stay deterministic).
    let found: Vec<files::FileFacts> = files::par_map_largest_first(
        &pkg.entries,
        |entry| entry.size as usize,
        |entry| files::read_file(&entry.name, pkg.read(entry), host),
    );
    for f in found {
        ex.merge(f);
    }
}

impl Extraction {
    /// The app-wide view once every file is read: calls through wrappers resolved, parties
    /// and reachability given, calls for another platform's branches dropped; then the
    /// derived facts.
    pub(crate) fn finish(&mut self) {
        let collected = std::mem::take(&mut self.collected);
        // A native app's entry points are known (its configuration, `App`/`Page`/
        // `Component` calls, bundle files); a uni-app source tree's, or a source tree
        // without `app.json` (Taro's pages are in `app.config.ts`), are not.
        let reach = self.facts.platform != "uniapp"
            && !(self.facts.container == "source" && self.facts.pages.is_empty());
        let graph = modules::Graph::new(&collected.modules, &self.facts.pages, reach);
        let platform = self.facts.platform.clone();
        let host = modules::host_namespace(&platform);
        let through_wrappers = graph.resolve_pending(&collected.pending, host);
        // One party per module (many calls share one).
        let mut parties: HashMap<(String, Option<String>), String> = HashMap::new();
        let mut party_of = |file: &str, module: Option<&str>| {
            parties
                .entry((file.to_string(), module.map(str::to_string)))
                .or_insert_with(|| graph.party(file, module))
                .clone()
        };
        let mut calls: Vec<_> = collected
            .calls
            .into_iter()
            .filter(|c| {
                let ns = c.item.api.split('.').next().unwrap_or("");
                modules::runs_on(ns, &platform)
            })
            .chain(through_wrappers)
            .map(|c| {
                let mut call = c.item;
                call.party = party_of(&call.file, c.module.as_deref());
                call.unreachable = graph.unreachable(c.module.as_deref());
                call
            })
            .collect();
        calls.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        calls.dedup_by(|a, b| a.api == b.api && a.site() == b.site());
        self.facts.api_calls = calls;
        for u in collected.urls {
            let party = party_of(&u.item.site.file, u.module.as_deref());
            let unreachable = graph.unreachable(u.module.as_deref());
            self.add_endpoint(u.item, party, unreachable);
        }
        let texts = std::mem::take(&mut self.policy_texts);
        derive::finish(&mut self.facts, &texts);
    }

    /// One entry per (file, URL): later sites only count, and a network-API use wins.
    fn add_endpoint(&mut self, found: js::FoundUrl, party: String, unreachable: bool) {
        let js::FoundUrl {
            url,
            usage,
            with_data,
            site,
        } = found;
        let key = (site.file.clone(), url.url.clone());
        if let Some(&i) = self.endpoint_index.get(&key) {
            if let Some(e) = self.facts.http_endpoints.get_mut(i) {
                e.count = e.count.saturating_add(1);
                e.unreachable &= unreachable;
                if usage_rank(usage) > usage_rank(&e.usage) {
                    e.usage = usage.to_string();
                    e.site = site;
                }
                e.with_data |= with_data;
            }
            return;
        }
        self.endpoint_index
            .insert(key, self.facts.http_endpoints.len());
        self.facts.http_endpoints.push(Endpoint {
            cleartext: matches!(url.scheme, "http" | "ws"),
            scheme: url.scheme.to_string(),
            url: url.url,
            host: url.host,
            local: url.local,
            usage: usage.to_string(),
            site,
            count: 1,
            party,
            unreachable,
            with_data,
        });
    }
}

/// Which use of a URL says most about it when one file uses it several ways.
fn usage_rank(usage: &str) -> u8 {
    match usage {
        "request" | "socket" => 3,
        "download" => 2,
        "url" => 1,
        _ => 0,
    }
}

fn read_package_config(pkg: &Package<'_>, name: &str, ex: &mut Extraction) {
    let Some(entry) = pkg.by_name("app-config.json") else {
        return;
    };
    match config::parse(pkg.read(entry)) {
        Ok(c) => {
            ex.facts.declared = c.declared;
            ex.facts.pages = c.pages;
            ex.facts.subpackages = c.subpackages;
            if c.appid.is_some() {
                ex.facts.appid = c.appid;
            }
        }
        Err(e) => ex.error(
            "bad-app-config",
            e,
            Some(&format!("{name}!/app-config.json")),
        ),
    }
}

#[cfg(test)]
mod wrapper_tests {
    //! Shapes of real bundler output (written here from the bundlers' documented module
    //! formats), one file each: which calls reach the platform object and how.

    fn calls(name: &str, src: &str) -> Vec<(String, String, Option<String>)> {
        crate::extract_file(name, src.as_bytes())
            .api_calls
            .into_iter()
            .map(|c| (c.api, c.party, c.via))
            .collect()
    }

    #[test]
    fn webpack4_development_harmony_modules() {
        // Parenthesised module functions, `__webpack_require__.n(m).a`, and a module that
        // exports the platform object through `__webpack_require__.d`.
        let src = r#"(wx["webpackJsonp"] = wx["webpackJsonp"] || []).push([["pages/a"], {
"./src/api.js": (function(module, __webpack_exports__, __webpack_require__) {
  __webpack_require__.d(__webpack_exports__, "a", function() { return wx; });
}),
"./src/wx.js": (function(module) { module.exports = wx; }),
"./src/pages/a.jsx": (function(module, __webpack_exports__, __webpack_require__) {
  var _api = __webpack_require__("./src/api.js");
  var _wx_default = __webpack_require__.n(__webpack_require__("./src/wx.js"));
  _api[/* default */ "a"].getLocation({});
  _wx_default.a.chooseAddress({});
})
}]);"#;
        assert_eq!(
            calls("pages/a.js", src),
            [
                (
                    "wx.getLocation".to_string(),
                    "app".to_string(),
                    Some("module wp:./src/api.js".to_string())
                ),
                (
                    "wx.chooseAddress".to_string(),
                    "app".to_string(),
                    Some("module wp:./src/wx.js".to_string())
                ),
            ]
        );
    }

    #[test]
    fn named_imports_of_a_framework_and_getters() {
        let src = "import { getLocation } from '@tarojs/taro';\nimport Taro from '@tarojs/taro';\nfunction w() { return wx; }\ngetLocation({});\nTaro.chooseContact({});\nw().getClipboardData({});\nconst t = require('@tarojs/taro');\nt.getWeRunData({});";
        let got = calls("pages/b.js", src);
        let apis: Vec<(&str, Option<&str>)> =
            got.iter().map(|c| (c.0.as_str(), c.2.as_deref())).collect();
        assert_eq!(
            apis,
            [
                ("wx.getLocation", Some("taro")),
                // The imported `Taro` hides the namespace: resolved as the framework.
                ("wx.chooseContact", Some("taro")),
                ("wx.getClipboardData", None),
                ("wx.getWeRunData", Some("taro")),
            ]
        );
    }

    #[test]
    fn var_injection_of_a_forwarding_runtime() {
        // uni-app's `(function(uni){…}.call(this, require(1).default))` and a runtime module
        // that forwards `wx[name]`; its own direct call is the framework's.
        let src = r#"(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["common/vendor"], {
1: function(t, e, n) { function r(k) { return wx[k]; } e.default = { x: r }; wx.getSystemInfoSync(); },
20: function(module, exports, __webpack_require__) {
  (function(uni) { uni.getLocation({}); }.call(this, __webpack_require__(1)["default"]));
}
}]);"#;
        let got = calls("common/vendor.js", src);
        assert!(
            got.contains(&(
                "wx.getLocation".to_string(),
                "app".to_string(),
                Some("uni-app".to_string())
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "wx.getSystemInfoSync".to_string(),
                "framework:uni-app".to_string(),
                None
            )),
            "{got:?}"
        );
    }

    #[test]
    fn an_object_that_merely_shares_a_name_is_not_the_platform() {
        // `map.getLocation()` on a local object and a module used with one API name only.
        let src = "const m = require('./map.js');\nm.getLocation({});\nconst map = { getLocation() {} };\nmap.getLocation();";
        assert!(calls("pages/c.js", src).is_empty());
    }
}
