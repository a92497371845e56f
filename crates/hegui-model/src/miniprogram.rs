//! Facts about a mini-program (WeChat, ByteDance, Alipay, Baidu, uni-app builds).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramFacts {
    /// `wechat`, `bytedance`, `alipay`, `baidu` or `uniapp`.
    pub platform: String,
    /// `wx…` / `tt…` appid when the package or project names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// `source` (a project folder), `wxapkg`, `wxapkg-pc` (V1MMWX, decrypted), `tpkg`.
    pub container: String,
    /// The privacy-relevant configuration the app declares (`app.json` / `app-config.json`).
    pub declared: DeclaredConfig,
    /// Pages listed by the configuration (subpackages included).
    #[serde(default)]
    pub pages: Vec<String>,
    /// Subpackage roots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subpackages: Vec<String>,
    /// Files read (package entries or project files), with their sizes.
    pub files: u32,
    /// The packages read, for an app given as several (`__APP__` plus `_sub_.wxapkg` files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Privacy-relevant API references in the JavaScript (calls and references such as
    /// `promisify(wx.getLocation)`), found by parsing it.
    #[serde(default)]
    pub api_calls: Vec<MiniProgramApiCall>,
    /// JavaScript files parsed and their total size, for the MB/s figure.
    #[serde(default)]
    pub js_files: u32,
    #[serde(default)]
    pub js_bytes: u64,
    /// Button `open-type` values in templates: source templates (`.wxml`, `.axml`, `.ttml`,
    /// `.swan`, `.qml`) and the compiled templates packages carry.
    #[serde(default)]
    pub open_types: Vec<OpenTypeUse>,
    /// `http(s)://` and `ws(s)://` URLs in the code and templates (comments excluded), one
    /// per URL and file; `cleartext` marks `http://` and `ws://`.
    #[serde(default)]
    pub http_endpoints: Vec<Endpoint>,
    /// Whether the app runs the platform's privacy-authorization flow itself.
    #[serde(default)]
    pub privacy_flow: PrivacyFlow,
    /// Credentials written into the client (AppSecret-like literals, cloud keys), masked.
    #[serde(default)]
    pub secrets: Vec<EmbeddedSecret>,
    /// Pages, links and calls that show or open a privacy policy.
    #[serde(default)]
    pub policy_refs: Vec<PolicyRef>,
    /// Build date (`YYYY-MM-DD`) of WeChat's template compiler that made the package, from its
    /// version mark (`/*v0.5vv_20190703_syb_scopedata*/`): the package was built no earlier,
    /// and usually soon after. Rules that came later judge such a package by today's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiler_date: Option<String>,
    /// The sandbox run (`hegui scan PKG --run`): what booted and what ran out. The run's
    /// events are in the report's trace facts like any other trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<MiniProgramRun>,
}

/// A run of the package in hegui's sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramRun {
    /// `hegui-mp-sandbox`.
    pub tool: String,
    /// The page the session opened first (`entryPagePath`, else the first of `pages`).
    pub entry_page: String,
    /// The entry page got to `onReady` without an error.
    pub reached_ready: bool,
    /// Pages whose `onLoad`/`onShow`/`onReady` ran without an error, in order.
    pub pages_booted: Vec<String>,
    /// Page handlers run as taps (`--run-taps`).
    pub handlers_run: u32,
    /// The package runs the platform's privacy flow, so the simulated user agreed.
    pub consented: bool,
    /// A second session ran, on a fresh engine, in which the simulated user refused.
    #[serde(default)]
    pub refusal_session: bool,
    /// Pages that booted without an error in that second session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages_booted_after_refusal: Vec<String>,
    /// Platform APIs the package called that the sandbox answers with a bare stub.
    pub stubbed_apis: Vec<String>,
    /// `null`, or what ran out: `time` or `memory`.
    pub budget_exceeded: Option<String>,
    /// Privacy-relevant calls and requests, with where they happened (the first 200).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<MiniProgramCall>,
    /// Errors the package's code raised, first line each (the first 50).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script_errors: Vec<String>,
}

/// One privacy-relevant call the sandbox saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramCall {
    /// `wx.getLocation`, or the network API for a request.
    pub api: String,
    /// The trace category (`location.precise`…); none for a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The page that was open, if any.
    pub page: String,
    /// `load`, `launch`, `show`, `onLoad`, `onShow`, `onReady`, `tap:<handler>`, `background`.
    pub phase: String,
    /// `module:line` of the call, as the engine's stack names it.
    pub site: String,
    /// The simulated user had agreed to the privacy prompt.
    pub after_consent: bool,
    /// In the refusal session, after the user refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_refusal: bool,
    /// The platform refused the call (a privacy interface after a refusal): nothing was read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub denied: bool,
}

/// A place in a text file of the app: the module path (original path of a `define`d module)
/// and a 1-based line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceSite {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

/// One `open-type` value on a button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenTypeUse {
    /// `getPhoneNumber`, `agreePrivacyAuthorization`, … (a `{{…}}` binding is kept as written).
    pub value: String,
    #[serde(flatten)]
    pub site: SourceSite,
    /// Found in a compiled template (a package) rather than a source template.
    #[serde(default)]
    pub compiled: bool,
}

/// A URL literal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Endpoint {
    /// Scheme, host and path; query and fragment dropped (they may carry tokens or PI).
    pub url: String,
    /// `http`, `https`, `ws` or `wss`.
    pub scheme: String,
    /// Host and port as written.
    pub host: String,
    /// `http://` or `ws://`: no transport encryption.
    pub cleartext: bool,
    /// A loopback, private-network or `localhost` address (a development leftover).
    #[serde(default)]
    pub local: bool,
    /// `request` / `socket`: passed straight to a network API (`wx.request({url})`,
    /// `wx.connectSocket`, `uploadFile`, `downloadFile`); `resource`: an image, media,
    /// font or style file; `url`: anything else (base-URL constants, links).
    pub usage: String,
    #[serde(flatten)]
    pub site: SourceSite,
    /// How many times this URL appears in this file.
    pub count: u32,
    /// Who wrote the code holding it: `app`, `sdk:<id>`, `plugin:<appid>`,
    /// `framework:<name>` (see [`MiniProgramApiCall::party`]).
    #[serde(default = "app_party", skip_serializing_if = "is_app_party")]
    pub party: String,
    /// No entry point (the app script, a page, a component, a worker) reaches the module
    /// holding it through `require`/`import`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unreachable: bool,
    /// A request built here carries data (`data`, `formData`, a query string, or a socket
    /// that sends).
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_data: bool,
}

fn app_party() -> String {
    "app".to_string()
}

fn is_app_party(p: &str) -> bool {
    p == "app"
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Evidence of the privacy-authorization flow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrivacyFlow {
    /// The app calls a privacy-flow API (`onNeedPrivacyAuthorization`,
    /// `requirePrivacyAuthorize`, `getPrivacySetting`, `openPrivacyContract`) or shows an
    /// `agreePrivacyAuthorization` button. The `usePrivacyCheck` switch alone does not count.
    pub present: bool,
    #[serde(default)]
    pub evidence: Vec<PrivacyFlowStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrivacyFlowStep {
    /// `wx.onNeedPrivacyAuthorization`, `open-type=agreePrivacyAuthorization`,
    /// `__usePrivacyCheck__`.
    pub what: String,
    /// Where; absent for a configuration switch.
    #[serde(flatten)]
    pub site: Option<SourceSite>,
}

/// A credential in the client. The value itself is never kept: only a masked form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EmbeddedSecret {
    /// `appsecret` (32 hex digits under a secret-like name), `secret` (another value under a
    /// secret-like name), `aliyun-access-key`, `tencent-secret-id`, `aws-access-key`,
    /// `private-key`.
    pub kind: String,
    /// The property or variable name it is assigned to, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First four characters, an ellipsis and the length: `9670…(32)`.
    pub masked: String,
    #[serde(flatten)]
    pub site: SourceSite,
}

/// Something that shows a privacy policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyRef {
    /// `page` (a page whose path names a policy), `url` (a link to one), `contract-api`
    /// (`openPrivacyContract`, the platform's guide).
    pub kind: String,
    /// The page path, URL or API.
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SourceSite>,
}

/// One reference to a platform API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MiniProgramApiCall {
    /// `wx.getLocation` (an alias such as `const w = wx` is resolved to `wx`).
    pub api: String,
    /// The module: the original path of a `define("…")`-wrapped module in a package, else
    /// the file.
    pub file: String,
    /// 1-based line and column within that module.
    pub line: u32,
    pub col: u32,
    /// Who wrote the code: `app`, `sdk:<id>` (a mini-program SDK of the catalogue),
    /// `plugin:<appid>` (a plugin's code, whose declarations are the plugin's duty) or
    /// `framework:<name>` (a framework runtime such as Taro or uni-app, not the app's
    /// own calls).
    #[serde(default = "app_party", skip_serializing_if = "is_app_party")]
    pub party: String,
    /// How the platform object was reached when not named directly: `taro`/`uni-app`/… (a
    /// framework's forwarding object), `module <id>` (a module proven to return or
    /// re-export it), `getter` (a function returning it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// No entry point reaches the module holding the call (see [`Endpoint::unreachable`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub unreachable: bool,
}

impl MiniProgramApiCall {
    /// A direct reference by the app at a site.
    pub fn new(api: impl Into<String>, site: SourceSite) -> Self {
        Self {
            api: api.into(),
            file: site.file,
            line: site.line,
            col: site.col,
            party: app_party(),
            via: None,
            unreachable: false,
        }
    }

    /// The API without its namespace: `getLocation` for `wx.getLocation`.
    pub fn name(&self) -> &str {
        self.api.rsplit('.').next().unwrap_or(&self.api)
    }

    pub fn site(&self) -> SourceSite {
        SourceSite {
            file: self.file.clone(),
            line: self.line,
            col: self.col,
        }
    }
}

/// `permission`, `requiredPrivateInfos`, `requiredBackgroundModes`, `plugins` and the privacy
/// check switch, exactly as declared (absent keys stay absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclaredConfig {
    /// `permission`: scope → its purpose text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<BTreeMap<String, PermissionDeclaration>>,
    #[serde(
        rename = "requiredPrivateInfos",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_private_infos: Option<Vec<String>>,
    #[serde(
        rename = "requiredBackgroundModes",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_background_modes: Option<Vec<String>>,
    /// `plugins`: alias → provider appid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugins: Option<BTreeMap<String, String>>,
    /// `usePrivacyCheck` (ByteDance) or `__usePrivacyCheck__` (WeChat).
    #[serde(rename = "usePrivacyCheck", skip_serializing_if = "Option::is_none")]
    pub use_privacy_check: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PermissionDeclaration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}
