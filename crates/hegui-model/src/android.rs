//! Facts read from an Android package. Neutral observations with provenance; no verdicts.

use serde::{Deserialize, Serialize};

use crate::PiCategory;

/// Everything the Android extractor observed in one APK (or in the base + splits of a bundle).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AndroidFacts {
    pub package: String,
    /// Packages the app's own code lives in: the applicationId first, then the packages of
    /// its Application class and launcher activities where they differ and no SDK claims them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_packages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_sdk: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_sdk: Option<u32>,
    /// Application label, resolved through resources.arsc (zh-CN preferred).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Permission names exactly as declared by `uses-permission` / `uses-permission-sdk-23`.
    pub permissions: Vec<String>,
    /// The same permissions with their declaration details.
    pub permission_uses: Vec<PermissionUse>,
    /// `<permission>` elements: permissions this app defines.
    pub custom_permissions: Vec<CustomPermission>,
    pub application: ApplicationInfo,
    pub components: Vec<Component>,
    pub queries: Queries,
    pub meta_data: Vec<MetaData>,
    /// Every call site (or field read) of a privacy-relevant API, attributed to its caller.
    pub api_uses: Vec<ApiUse>,
    /// String constants of interest (URLs, package names), with where they appear.
    pub strings: Vec<StringRef>,
    /// Classes implementing TLS trust decisions, with what their bodies do.
    pub tls_overrides: Vec<TlsOverride>,
    /// Code that names another app's package or component next to an intent or launch API.
    pub launches: Vec<LaunchSite>,
    /// Indirect call sites read and not reported, with why (see [`DismissedCall`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed_calls: Vec<DismissedCall>,
    /// Calls that load code at run time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_loads: Vec<CodeLoad>,
    /// Where the code turns an ad SDK's personalised ads on or off (its switch method called,
    /// or its setting key passed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personalisation_switches: Vec<PersonalisationSwitch>,
    /// The app's short string resources that offer a reward for PI ("实名认证领红包").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reward_texts: Vec<RewardText>,
    /// Services whose `onStartCommand` asks the system to restart them when killed.
    pub sticky_services: Vec<StickyService>,
    /// Calls into third-party code made while the `Application` starts.
    #[serde(default)]
    pub startup_calls: Vec<StartupCall>,
    /// `boolean onCreate()` bodies (the ContentProvider start hook) and whether they do any
    /// work or only return a constant.
    #[serde(default)]
    pub provider_creates: Vec<ProviderCreate>,
    pub dex_files: Vec<DexInfo>,
    /// Code found in unusual places (DEX/APK/JAR inside assets, prepended DEX).
    pub nested_code: Vec<NestedCode>,
    pub signing: SigningInfo,
    pub certificates: Vec<Certificate>,
    pub native_libs: Vec<NativeLib>,
    /// HTML/text assets bundled in the package (policy pages among them).
    pub web_assets: Vec<WebAsset>,
    /// Packer / hardening stubs recognised in the package.
    pub packers: Vec<PackerMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PermissionUse {
    pub name: String,
    /// Declared with `uses-permission-sdk-23` (requested only on API 23+).
    pub sdk23: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sdk: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CustomPermission {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection_level: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApplicationInfo {
    /// `android:name` of `<application>`, fully qualified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses_cleartext_traffic: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debuggable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_backup: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_security_config: Option<NetworkSecurityConfig>,
}

/// The parsed `res/xml/…` file that `android:networkSecurityConfig` points to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkSecurityConfig {
    /// Path of the XML resource inside the package.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_cleartext_permitted: Option<bool>,
    /// Domains whose `domain-config` permits cleartext.
    pub cleartext_domains: Vec<String>,
    /// `trust-anchors` that include user-installed certificates (`src="user"`).
    pub trusts_user_certs: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Activity,
    ActivityAlias,
    Service,
    Receiver,
    Provider,
}

impl ComponentKind {
    pub fn tag(self) -> &'static str {
        match self {
            Self::Activity => "activity",
            Self::ActivityAlias => "activity-alias",
            Self::Service => "service",
            Self::Receiver => "receiver",
            Self::Provider => "provider",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Component {
    pub kind: ComponentKind,
    /// Fully qualified class name (relative names are resolved against the package).
    pub name: String,
    /// `android:exported` as written, if written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_attr: Option<bool>,
    /// Exported as Android decides: the attribute, else "has an intent filter" (providers: targetSdk < 17).
    pub exported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// Services: `android:foregroundServiceType`, as a raw value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreground_service_type: Option<String>,
    /// Providers: authorities. Aliases: target activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub intent_filters: Vec<IntentFilter>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IntentFilter {
    pub actions: Vec<String>,
    pub categories: Vec<String>,
    pub data_schemes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

/// `<queries>`: which other apps this app declares it wants to see (Android 11+ package visibility).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Queries {
    pub packages: Vec<String>,
    /// Intent actions queried (`<intent><action/>`); `android.intent.action.MAIN` sees every launcher app.
    pub intent_actions: Vec<String>,
    pub providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetaData {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The component (or "application") that carries it.
    pub scope: String,
}

/// How the code reaches a privacy-relevant API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiAccess {
    Invoke,
    FieldRead,
    /// A `content://` URI string of a PI provider (SMS, call log, contacts, calendar).
    ContentUri,
    /// A call that sends PI out of the device (an SMS send) rather than reading it.
    Send,
    /// A call that writes PI into a provider (`ContentResolver.insert/update/delete` on the
    /// contacts, call log, SMS or calendar) rather than reading it.
    Write,
}

/// The road from the code to the PI, when it is not a plain call of a privacy API.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ApiVia {
    /// The API is called (or its field read, its URI named) directly.
    #[default]
    Direct,
    /// Through reflection with constant names: `Class.forName("…TelephonyManager")` and
    /// `getMethod("getDeviceId")`; `api` is the reflected API, `string_args` the names.
    Reflection,
    /// A shell command that prints it (`pm list packages`, `getprop ro.serialno`) run through
    /// `Runtime.exec` or `ProcessBuilder`; `string_args` holds the command.
    Shell,
    /// A file the system exposes it in (`/sys/class/net/wlan0/address`), opened with
    /// `FileReader`, `FileInputStream`, `File` or `RandomAccessFile`; `string_args` holds the path.
    File,
    /// A content-provider call (`ContentResolver.query/insert/update/delete`, `CursorLoader`,
    /// `managedQuery`) whose URI argument the method's data flow ties to a PI provider's URI
    /// (`ContactsContract…CONTENT_URI`, `Uri.parse("content://sms/inbox")`, or an app field
    /// holding one); `string_args` holds the URI.
    #[serde(rename = "content-uri")]
    ContentUri,
}

impl ApiVia {
    pub fn is_direct(&self) -> bool {
        *self == ApiVia::Direct
    }
}

/// One call site of a privacy-relevant API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiUse {
    /// `Lcom/pkg/Class;->method` (or `->FIELD` for field reads).
    pub api: String,
    pub category: PiCategory,
    /// Dotted Java name of the class holding the call.
    pub caller_class: String,
    pub caller_method: String,
    pub access: ApiAccess,
    /// DEX file inside the package.
    pub dex: String,
    /// Byte offset of the instruction inside that DEX file.
    pub offset: u32,
    /// String constants seen just before the call in the same method (e.g. "android_id").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub string_args: Vec<String>,
    /// How the code reaches the PI (a direct call unless said).
    #[serde(default, skip_serializing_if = "ApiVia::is_direct")]
    pub via: ApiVia,
    /// Who is responsible for the call: the app, an SDK (by the longest package prefix of
    /// the calling class) or nobody we can name (obfuscated code).
    #[serde(default)]
    pub party: crate::Party,
    /// What the calling method does with the value, read by a small local data-flow pass
    /// (only for the APIs where that decides what the call means: the running-process and
    /// task lists, media-store queries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<ValueFlow>,
    /// Whether the calling method can run: reached from an entry point (manifest component,
    /// Application, inflated view or fragment, a class the reachable code constructs or names)
    /// through the call graph. `None` when not computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachable: Option<bool>,
    /// The shortest chain of methods from an entry point to the caller (`Class.method`),
    /// entry first, when reachable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_path: Vec<String>,
}

/// What one method does with a value it obtained (a call's result, a field it read), inside
/// that method only. Linear in code order: the last write of a register before a use is
/// taken to reach it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValueFlow {
    /// The value (or something read from it) is compared with the app's own process id
    /// (`Process.myPid()`) or package/process name (`Context.getPackageName()`, `ApplicationInfo.processName`).
    pub compared_with_own: bool,
    /// … compared with a string constant (a named package or process).
    pub compared_with_constant: bool,
    /// The value or something read from it leaves the method: stored in a field or an
    /// array, or passed to another method (comparisons excepted).
    pub escapes: bool,
    /// … is returned by the method.
    pub returned: bool,
    /// A collection value is walked (`iterator()`, `size()`, …), not just its first element read.
    #[serde(default)]
    pub iterated: bool,
    /// A content query on this URI that selects one row (`_id = ?`, `_data = ?`, an id appended).
    pub selects_one_row: bool,
}

/// A call into code outside the app's own package, reached from `Application.onCreate` or
/// `attachBaseContext` (directly or through the app's own methods): it runs at every process
/// start, before any privacy-policy dialog can have been shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StartupCall {
    /// `com.example.App.onCreate`.
    pub entry: String,
    /// The app's own methods between the entry and the call, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// Dotted class of the method called.
    pub callee_class: String,
    pub callee_method: String,
    /// Responsible party of the callee (`sdk:<id>` for catalogued SDKs).
    #[serde(default)]
    pub party: crate::Party,
    pub dex: String,
    /// Byte offset of the invoke instruction.
    pub offset: u32,
}

/// A `boolean onCreate()` method: what a ContentProvider runs when the process starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProviderCreate {
    /// Dotted class name.
    pub class: String,
    /// False when the body only returns a constant (`return true`): nothing is initialised.
    pub does_work: bool,
    pub dex: String,
    pub offset: u32,
}

/// A string constant of interest, with where it is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StringRef {
    pub value: String,
    pub kind: StringKind,
    pub caller_class: String,
    pub caller_method: String,
    pub dex: String,
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StringKind {
    HttpUrl,
    HttpsUrl,
    /// A URL whose text names a privacy policy or agreement.
    PolicyUrl,
}

/// A call to an intent/launch API: the raw material for "associated start" (关联启动) of
/// other apps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LaunchSite {
    /// `Lcom/pkg/Class;->method` of the API called.
    pub api: String,
    /// Package-name-like string constants passed as the call's package or class argument
    /// (for the APIs that take one); for the others, those loaded before the call.
    pub packages: Vec<String>,
    /// Where the package/class argument comes from, for the APIs that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<LaunchTarget>,
    pub caller_class: String,
    pub caller_method: String,
    pub dex: String,
    pub offset: u32,
    /// Who is responsible for the code (see `ApiUse::party`).
    #[serde(default)]
    pub party: crate::Party,
}

/// An indirect call site hegui read and did not report, with why: the coverage a reviewer
/// can check against another tool's cross-references (every `queryIntentActivities`,
/// `ContentResolver.query`, `Runtime.exec` is either in `api_uses` or here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DismissedCall {
    /// `Lcom/pkg/Class;->method` of the API called.
    pub api: String,
    pub caller_class: String,
    pub caller_method: String,
    pub dex: String,
    pub offset: u32,
    pub reason: DismissReason,
}

/// Why an indirect call site is not a PI read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DismissReason {
    /// An intent query whose method does not build the launcher intent (a share target, a
    /// browser, a settings screen): it answers one question, not "which apps are installed".
    IntentNotLauncher,
    /// A launcher-intent query made explicit (`setPackage`, `setComponent`): one app's entries.
    ExplicitIntent,
    /// A provider call whose URI comes from elsewhere (a parameter, a returned intent's data):
    /// nothing in the method says which provider it reads.
    UriUnknown,
    /// A provider call on a URI that is not a PI provider's (fonts, documents, the app's own).
    UriNotPi,
    /// A command run with no constant that reads an identifier or the app list.
    CommandNotPi,
}

/// A call that loads code at run time (`DexClassLoader`, `InMemoryDexClassLoader`,
/// `PathClassLoader`, `DexFile.loadDex`): code a static scan of the package cannot see,
/// which regulators and SDK guides treat as a way to hide collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CodeLoad {
    /// `Lcom/pkg/Class;->method` of the loader API.
    pub api: String,
    pub caller_class: String,
    pub caller_method: String,
    pub dex: String,
    pub offset: u32,
    /// The path the method loads from, when a constant says (`/data/…/plugin.jar`, `.dex`,
    /// `.apk`, `.jar` strings loaded in the method).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Who is responsible for the call (see `ApiUse::party`).
    #[serde(default)]
    pub party: crate::Party,
    /// Whether an entry point reaches the calling method (see `ApiUse::reachable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachable: Option<bool>,
}

/// A use of an ad SDK's personalisation switch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PersonalisationSwitch {
    /// The SDK catalogue id whose switch it is.
    pub sdk: String,
    /// The method called (`Lcom/qq/e/…/GlobalSetting;->setPersonalizedState`) or the key.
    pub api: String,
    pub caller_class: String,
    pub caller_method: String,
    pub dex: String,
    pub offset: u32,
    /// Who makes the call; the SDK reading its own setting is not the app turning it off.
    #[serde(default)]
    pub party: crate::Party,
}

/// A string resource whose words offer a reward (红包, 领取, 提现…) next to a request for PI
/// (身份证, 刷脸, 通讯录…): the static trace of a notice 164 task 8 screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RewardText {
    /// The resource, `@string/<name>`.
    pub resource: String,
    /// Its configuration's locale (`zh-CN`, `zh`, or empty for the default).
    pub locale: String,
    pub text: String,
    /// The reward words it holds.
    pub rewards: Vec<String>,
    /// The PI it asks for.
    pub asks: Vec<crate::PiCategory>,
}

/// Where the package (or class) argument of a launch API comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LaunchTarget {
    /// String constants (listed in `packages`).
    Constant,
    /// The app itself: `Context.getPackageName()`, a `Class` of its own (`new ComponentName(ctx, X.class)`).
    OwnPackage,
    /// A package read from a package-manager answer (`PackageInfo.packageName`, …): another
    /// app found on the device.
    Queried,
    /// Anything else (a parameter, a field).
    Unknown,
}

/// A `Service.onStartCommand` that returns `START_STICKY` (1) or `START_REDELIVER_INTENT` (3)
/// as a constant: the system restarts the service after killing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StickyService {
    pub class: String,
    /// The constant returned: 1 (`START_STICKY`) or 3 (`START_REDELIVER_INTENT`).
    pub start_mode: u8,
    pub dex: String,
    pub offset: u32,
    /// Who is responsible for the code (see `ApiUse::party`).
    #[serde(default)]
    pub party: crate::Party,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsOverrideKind {
    /// `X509TrustManager.checkServerTrusted` implementation.
    TrustManager,
    /// `HostnameVerifier.verify` implementation.
    HostnameVerifier,
    /// `WebViewClient.onReceivedSslError` override.
    WebViewSslError,
}

/// A method that overrides a TLS trust decision, and what its body does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TlsOverride {
    pub kind: TlsOverrideKind,
    pub class: String,
    pub method: String,
    /// The body accepts unconditionally: returns without checking, returns `true`,
    /// or calls `SslErrorHandler.proceed()`.
    pub accepts_all: bool,
    pub dex: String,
    pub offset: u32,
    /// Who is responsible for the code (see `ApiUse::party`).
    #[serde(default)]
    pub party: crate::Party,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DexInfo {
    pub path: String,
    pub version: u16,
    pub size: u64,
    pub classes: u32,
    pub methods: u32,
    pub strings: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NestedCode {
    pub path: String,
    /// "dex", "apk", "jar", "zip", "prepended-dex" (a DEX before the zip: the Janus pattern).
    pub kind: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SigningInfo {
    pub v1: bool,
    pub v2: bool,
    pub v3: bool,
    pub v31: bool,
    /// Other blocks in the APK Signing Block, by name or hex id (e.g. channel blocks).
    pub extra_blocks: Vec<SigningBlockEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SigningBlockEntry {
    pub id: String,
    pub name: String,
    pub size: u64,
    /// Decoded text for channel blocks (Walle JSON, VasDolly channel).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Certificate {
    /// Which scheme carried it: "v1", "v2", "v3", "v3.1".
    pub scheme: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NativeLib {
    pub path: String,
    /// ABI directory (`arm64-v8a`, …); empty for libraries outside `lib/`.
    pub abi: String,
    pub name: String,
    pub size: u64,
    pub exports: u32,
    /// Imported symbols that touch identity or the process list (`getifaddrs`, `__system_property_get`, …).
    pub notable_imports: Vec<String>,
    /// What the library's constant strings say it reads (an identifier file or command, a
    /// serial-number property, a Java privacy API it calls back through JNI).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<NativeRead>,
    /// Java classes whose native methods the library exports (`Java_com_example_Jni_init` →
    /// `com.example.Jni`): the code that loads it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jni_classes: Vec<String>,
    /// Who ships the library: the SDK whose catalogue entry names it, else the owner of the
    /// classes its JNI exports name, else unknown.
    #[serde(default)]
    pub party: crate::Party,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One thing a native library's strings show it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NativeRead {
    pub category: PiCategory,
    /// `file` (a path it opens), `shell` (a command it runs), `property` (a system property
    /// read with `__system_property_get`), `jni` (a Java API it calls: class and method names).
    pub via: String,
    /// The string (for `jni`: `class.method`).
    pub text: String,
    /// Byte offset of the string in the library.
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebAsset {
    pub path: String,
    pub size: u64,
    /// `<title>` of an HTML page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The text names itself a privacy policy (隐私政策 / 隐私协议 / 个人信息保护 / privacy policy).
    pub mentions_privacy_policy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PackerMatch {
    /// Stable id from the knowledge table, e.g. `qihoo360-jiagu`.
    pub id: String,
    pub name: String,
    pub evidence: Vec<String>,
}
