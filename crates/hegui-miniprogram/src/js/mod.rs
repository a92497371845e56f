//! JavaScript, parsed with oxc (never executed), in one walk per file:
//! - platform API references: members of a platform namespace (`wx`, `tt`, `my`, `swan`,
//!   `qq`, `uni`, `Taro`) or of a value that is one (`const w = wx`, `function o(){return
//!   wx}`, an IIFE parameter bound to it), static or computed with a string;
//! - members of module values (`require(…)`, `n(4795)`, webpack's `n.n(m)()`, `import x
//!   from`): kept as [`Pending`] until every module of the app is known, when
//!   [`crate::modules`] resolves which of them are the platform object or a framework's
//!   forwarding object (Taro's `Taro.xxx`, uni-app's `uni.xxx`);
//! - the modules themselves (`define("path.js")`, webpack module functions, source files):
//!   what they export and require, for that resolution and for reachability;
//! - URL literals and how they are used (a network call with or without data, a resource, a
//!   link opened elsewhere), with constant branches (`!1 ? "http://…" : "https://…"`)
//!   folded so a dead branch is not read;
//! - credentials: literals under secret-like names, in URL query strings, cloud keys by shape
//!   (masked at once);
//! - `open-type` values in compiled templates and JS-set `openType` properties;
//! - text naming a privacy policy (`《隐私政策》`) and page paths that are one.
//!
//! Packages wrap every source module as `define("path.js", function(…){…})`: what is found
//! inside is reported against that path, lines counted from the module's start.

mod eval;
mod finder;
pub(crate) mod values;

use std::collections::{HashMap, HashSet};

use hegui_model::{EmbeddedSecret, MiniProgramApiCall, OpenTypeUse, SourceSite};
use oxc_allocator::Allocator;
use oxc_ast_visit::Visit;
use oxc_parser::Parser;
use oxc_span::SourceType;

use crate::literals::Url;
use finder::Finder;
use values::{ModKey, Val, normalise};

pub(crate) const NAMESPACES: &[&str] = &["wx", "tt", "my", "swan", "qq", "uni", "Taro"];
/// Items kept per file and kind, so a hostile bundle cannot flood a report.
pub(crate) const MAX_PER_FILE: usize = 5_000;
/// Open-type values distinctive enough to recognise in WeChat's compiled constant table
/// (`contact`, `share`, `feedback` are also ordinary class names there).
const COMPILED_OPEN_TYPES: &[&str] = &[
    "getPhoneNumber",
    "getRealtimePhoneNumber",
    "getUserInfo",
    "chooseAvatar",
    "agreePrivacyAuthorization",
    "openSetting",
    "launchApp",
    "getAuthorize",
];
/// Platform APIs that are not privacy-relevant but that only the platform object (or a
/// wrapper of it) has: a module value used with several of them is a wrapper.
pub(crate) const WRAPPER_HINT_APIS: &[&str] = &[
    "showToast",
    "showModal",
    "showLoading",
    "hideLoading",
    "showActionSheet",
    "navigateTo",
    "redirectTo",
    "switchTab",
    "navigateBack",
    "reLaunch",
    "setNavigationBarTitle",
    "getStorageSync",
    "setStorageSync",
    "removeStorageSync",
    "stopPullDownRefresh",
    "pageScrollTo",
    "createSelectorQuery",
    "previewImage",
    "request",
    "uploadFile",
    "downloadFile",
    "nextTick",
    "vibrateShort",
];

/// Something found, with the module it was found in (for its party and reachability).
#[derive(Debug)]
pub(crate) struct Found<T> {
    pub item: T,
    pub module: Option<ModKey>,
}

/// A URL found in the code and how it is used (`request`, `download`, `socket`,
/// `resource`, `link`, `url`).
#[derive(Debug)]
pub(crate) struct FoundUrl {
    pub url: Url,
    pub usage: &'static str,
    pub with_data: bool,
    pub site: SourceSite,
}

/// A member of a module value, resolved once every module is known.
#[derive(Debug)]
pub(crate) struct Pending {
    pub target: Val,
    pub name: String,
    /// A privacy-relevant API name (else only a hint that the target is a wrapper).
    pub known: bool,
    pub site: SourceSite,
    pub module: Option<ModKey>,
}

/// One module: what it exports and requires.
#[derive(Debug, Default)]
pub(crate) struct ModuleInfo {
    pub key: ModKey,
    pub file: String,
    /// `file` (a source file or a package's top-level script), `define`, `webpack`.
    pub kind: &'static str,
    /// `module.exports = X`.
    pub whole: Option<Val>,
    /// `exports.name = X`, webpack's `n.d(exports, …)`, `export default`.
    pub named: Vec<(String, Val)>,
    pub requires: Vec<ModKey>,
    /// Registers an app, page or component (`App(…)`, `Page(…)`, `Component(…)`).
    pub entry: bool,
    /// Reads the platform object by computed name (`wx[name]`): a forwarding runtime.
    pub forwards_platform: bool,
}

/// What one JavaScript file holds.
#[derive(Debug, Default)]
pub(crate) struct JsFacts {
    pub calls: Vec<Found<MiniProgramApiCall>>,
    pub pending: Vec<Pending>,
    pub urls: Vec<Found<FoundUrl>>,
    pub secrets: Vec<EmbeddedSecret>,
    pub open_types: Vec<OpenTypeUse>,
    pub modules: Vec<ModuleInfo>,
    /// (kind, text, site) of text naming a privacy policy.
    pub policy_texts: Vec<(String, String, SourceSite)>,
    /// The template compiler's build date, from its version mark.
    pub compiler_date: Option<String>,
}

/// `/*v0.5vv_20190703_syb_scopedata*/` → `2019-07-03`: the build date in the version mark
/// WeChat's template compiler leaves in the scripts it writes.
pub(crate) fn compiler_date(source: &str) -> Option<String> {
    let at = source.find("vv_")?;
    let before = source.get(at.saturating_sub(8)..at)?;
    if !before.contains("v0.") {
        return None;
    }
    let digits = source.get(at + 3..at + 11)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, md) = digits.split_at(4);
    let (m, d) = md.split_at(2);
    Some(format!("{y}-{m}-{d}"))
}

/// A cheap test before parsing: `http…` or `ws…`.
pub(crate) fn starts_like_url(text: &str) -> bool {
    let t = text.trim_start().as_bytes();
    t.len() > 8 && matches!(t.first(), Some(b'h' | b'H' | b'w' | b'W'))
}

/// Everything one JavaScript file holds (`file` names it in the facts). `base` is where the
/// code starts in that file (0-based line and column), for inline scripts; `host` is the
/// platform namespace the app runs on (`wx`, `tt`, …).
pub(crate) fn scan(file: &str, source: &str, base: (u32, u32), host: &'static str) -> JsFacts {
    // oxc spans are u32: larger sources are not parsed.
    if source.len() >= u32::MAX as usize {
        return JsFacts::default();
    }
    let allocator = Allocator::default();
    let mut ret = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if !ret.diagnostics.is_empty() {
        // ES-module syntax (`import`) in a source tree.
        let as_module = Parser::new(&allocator, source, SourceType::mjs()).parse();
        if as_module.diagnostics.len() < ret.diagnostics.len() {
            ret = as_module;
        }
    }
    let mut finder = Finder {
        file,
        source,
        line_starts: Vec::new(),
        base,
        host,
        defines: Vec::new(),
        keys: Vec::new(),
        scopes: Default::default(),
        pending_fns: HashMap::new(),
        sinks: HashMap::new(),
        named_usage: HashMap::new(),
        url_at: HashMap::new(),
        secret_spans: HashSet::new(),
        module_at: HashMap::new(),
        link_depth: 0,
        out: JsFacts::default(),
    };
    finder.scopes.enter();
    let own_key = file_module_key(file);
    finder.open_module_for_file(own_key);
    finder.visit_program(&ret.program);
    let mut out = finder.out;
    // The compiler marks only the scripts it writes (app-service.js, app-wxss.js, the page
    // frame): searching them alone spares a pass over every other file.
    let name = file.rsplit('/').next().unwrap_or(file);
    if name.starts_with("app-") || name.starts_with("page-frame") || name.ends_with(".html") {
        out.compiler_date = compiler_date(source);
    }
    for m in &mut out.modules {
        m.requires.sort();
        m.requires.dedup();
    }
    out
}

/// The key of a file as a module: its path, scripts of `.vue`/`.html` files included.
pub(crate) fn file_module_key(file: &str) -> ModKey {
    normalise(file)
}

impl Finder<'_, '_> {
    fn open_module_for_file(&mut self, key: ModKey) {
        self.module_at.insert(key.clone(), 0);
        self.out.modules.push(ModuleInfo {
            key: key.clone(),
            file: self.file.to_string(),
            kind: "file",
            ..Default::default()
        });
        self.keys.push(key);
    }
}

/// Parse a script and look at nothing: the share of a scan no JavaScript-reading tool can
/// avoid, for benchmarks. Returns the number of syntax errors.
pub fn parse_only(source: &str) -> usize {
    if source.len() >= u32::MAX as usize {
        return 0;
    }
    let allocator = Allocator::default();
    Parser::new(&allocator, source, SourceType::cjs())
        .parse()
        .diagnostics
        .len()
}

/// Platform API references in one JavaScript file (`file` names it in the facts), direct
/// ones only (wrappers need the whole app: see [`crate::extract_file`]).
pub fn find_calls(file: &str, source: &str) -> Vec<MiniProgramApiCall> {
    scan(file, source, (0, 0), "wx")
        .calls
        .into_iter()
        .map(|c| c.item)
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_aliases_computed_and_modules() {
        let src = "define(\"pages/a.js\", function(require){\n  wx.getLocation({});\n  const w = wx;\n  w['chooseImage']();\n  promisify(wx.getPhoneNumber);\n  wx.navigateTo({});\n});\ntt.getSystemInfo();";
        let calls = find_calls("app-service.js", src);
        let got: Vec<(&str, &str, u32, u32)> = calls
            .iter()
            .map(|c| (c.api.as_str(), c.file.as_str(), c.line, c.col))
            .collect();
        assert_eq!(
            got,
            [
                ("wx.getLocation", "pages/a.js", 2, 3),
                ("wx.chooseImage", "pages/a.js", 4, 3),
                ("wx.getPhoneNumber", "pages/a.js", 5, 13),
                ("tt.getSystemInfo", "app-service.js", 8, 1),
            ]
        );
        // Broken JavaScript gives what could be parsed, never a panic.
        let _ = find_calls("x.js", "wx.getLocation(( {");
        assert!(find_calls("x.js", "").is_empty());
    }

    #[test]
    fn urls_and_their_use() {
        let src = "var base = 'http://localhost:8080/wx/';\n// wx.request({url: 'http://commented.example.com/'})\nwx.request({url: 'http://api.example.com/v1?token=1', data: {}});\nwx.connectSocket({url: `ws://im.example.com/${id}`});\nwx.uploadFile({url: 'https://up.example.com' + path});\nvar img = \"http://cdn.example.com/a.png\";";
        let facts = scan("app.js", src, (0, 0), "wx");
        let got: Vec<(&str, &str, u32)> = facts
            .urls
            .iter()
            .map(|u| (u.item.url.url.as_str(), u.item.usage, u.item.site.line))
            .collect();
        assert_eq!(
            got,
            [
                ("http://localhost:8080/wx/", "url", 1),
                ("http://api.example.com/v1", "request", 3),
                ("ws://im.example.com/", "socket", 4),
                ("https://up.example.com", "request", 5),
                ("http://cdn.example.com/a.png", "resource", 6),
            ]
        );
    }

    #[test]
    fn urls_opened_elsewhere_are_links() {
        let src = "wx.navigateTo({url: '/pages/web/index?u=' + encodeURIComponent('http://h5.example.com/a')});\nwx.setClipboardData({data: 'http://share.example.com/x'});\nvar api = 'http://api.example.com/';";
        let facts = scan("app.js", src, (0, 0), "wx");
        let got: Vec<(&str, &str)> = facts
            .urls
            .iter()
            .map(|u| (u.item.url.host.as_str(), u.item.usage))
            .collect();
        assert_eq!(
            got,
            [
                ("h5.example.com", "link"),
                ("share.example.com", "link"),
                ("api.example.com", "url")
            ]
        );
    }

    #[test]
    fn secrets_are_masked() {
        let src = "App({globalData: {appid: 'wx0123456789abcdef', secret: '9670a1b2c3d4e5f60718293a4b5c6d7e'}});\nconfig.appSecret = '22d3a1b2c3d4e5f60718293a4b5c6d7e';\nconst k = 'LTAI5tAbCdEfGhIjKlMn';\nvar secret = 'not a secret at all';";
        let facts = scan("app.js", src, (0, 0), "wx");
        let got: Vec<(&str, Option<&str>, &str, u32)> = facts
            .secrets
            .iter()
            .map(|s| {
                (
                    s.kind.as_str(),
                    s.name.as_deref(),
                    s.masked.as_str(),
                    s.site.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("appsecret", Some("secret"), "9670…(32)", 1),
                ("appsecret", Some("appSecret"), "22d3…(32)", 2),
                ("aliyun-access-key", Some("k"), "LTAI…(20)", 3),
            ]
        );
        let json = format!("{:?}", facts.secrets);
        assert!(!json.contains("9670a1b2"), "the value must never be kept");
    }

    #[test]
    fn compiled_open_types() {
        let wcc = "var z=[];function Z(a){z.push(a)}\nZ([3,'getPhoneNumber'])\nZ([3,'contact'])\nZ([1,'getUserInfo'])";
        let tt = "s(r,{openType:\"agreePrivacyAuthorization\",id:\"agree-btn\"})";
        let values = |src| -> Vec<(String, bool)> {
            scan("page-frame.js", src, (0, 0), "wx")
                .open_types
                .into_iter()
                .map(|o| (o.value, o.compiled))
                .collect()
        };
        assert_eq!(values(wcc), [("getPhoneNumber".to_string(), true)]);
        assert_eq!(
            values(tt),
            [("agreePrivacyAuthorization".to_string(), true)]
        );
    }

    #[test]
    fn compiler_version_mark() {
        assert_eq!(
            compiler_date("var a;\t/*v0.5vv_20190703_syb_scopedata*/global.__wcc_version__"),
            Some("2019-07-03".into())
        );
        assert_eq!(compiler_date("var vv_2019 = 1"), None);
        assert_eq!(compiler_date("/*v0.6vv_2017*/"), None);
    }

    #[test]
    fn inline_script_base() {
        let facts = scan(
            "page-frame.html",
            "wx.getLocation()\n  wx.chooseImage()",
            (9, 8),
            "wx",
        );
        let got: Vec<(u32, u32)> = facts
            .calls
            .iter()
            .map(|c| (c.item.line, c.item.col))
            .collect();
        assert_eq!(got, [(10, 9), (11, 3)]);
    }
}
