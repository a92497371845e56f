//! DEX code → call-site facts, attributed to the calling class and method.
//!
//! Resolution work is done once per DEX table, not per instruction: every method id and field
//! id is matched against the knowledge tables up front, so the instruction walk only does
//! array look-ups.

use std::collections::{HashMap, HashSet};

use ahash::{AHashMap, AHashSet};

use hegui_dex::{CodeVisitor, Dex, DexError, InvokeKind, Site, descriptor_to_java};
use hegui_knowledge::{ApiSignature, android_apis};
use hegui_model::{
    ApiAccess, ApiUse, ApiVia, CodeLoad, DismissReason, DismissedCall, LaunchSite, LaunchTarget,
    Party, PersonalisationSwitch, PiCategory, ProviderCreate, StartupCall, StickyService,
    StringKind, StringRef, TlsOverride,
};

use crate::classes::{LANDMARKS, VersionConstant, read_classes};
use crate::flow::{self, Val};
use crate::graph::{DexGraph, Event, NONE, Tables, TextTable};
use crate::indirect::{self, INDIRECT_APIS, Indirect};
use crate::startup::{AppScope, Edge, TypeKind, startup_calls};

mod providers;
use providers::{ContentRef, UriStore};

/// How many string constants before a call are kept as its likely arguments.
const RECENT_STRINGS: usize = 4;
/// Caps so that one hostile DEX cannot flood a report.
const MAX_API_USES: usize = 20_000;
const MAX_STRINGS: usize = 2_000;
const MAX_DISMISSED: usize = 5_000;
const MAX_CODE_LOADS: usize = 2_000;
const MAX_STARTUP_EDGES: usize = 2_000_000;
/// Call-graph events kept per DEX (a hostile file cannot make the graph unbounded; past it,
/// the rest of the code is taken as reachable).
const MAX_GRAPH_EVENTS: usize = 8_000_000;

/// Launch APIs whose arguments name the target app: their package/class argument is read
/// by the local data flow instead of taking every string loaded before the call.
const NAMING_APIS: &[&str] = &[
    "getLaunchIntentForPackage",
    "setClassName",
    "setPackage",
    "<init>",
];

/// Methods that run when an object of the class is handed to the platform or a library
/// (`Runnable.run`, `Callable.call`, `Handler.handleMessage`, Kotlin lambdas, AspectJ closures).
const CALLBACKS: &[&[u8]] = &[
    b"run",
    b"call",
    b"handleMessage",
    b"invoke",
    b"doInBackground",
];

/// SMS sends: they need SEND_SMS but read nothing.
const SEND_APIS: &[(&str, &str)] = &[
    ("Landroid/telephony/SmsManager;", "sendTextMessage"),
    ("Landroid/telephony/SmsManager;", "sendMultipartTextMessage"),
    ("Landroid/telephony/SmsManager;", "sendDataMessage"),
];

/// Where one method's instructions are, for the local data-flow pass after the walk.
#[derive(Debug, Clone, Copy, Default)]
struct MethodCode {
    off: u32,
    len: u32,
    registers: u16,
    ins: u16,
}

/// An indirect call site waiting for its arguments to be read.
struct PendingIndirect {
    kind: Indirect,
    site: Site,
    callee: u32,
    code: MethodCode,
    recent: [u32; RECENT_STRINGS],
    recent_len: usize,
}

/// What one DEX yielded.
#[derive(Debug, Default)]
pub struct CodeScan {
    pub api_uses: Vec<ApiUse>,
    pub strings: Vec<StringRef>,
    pub launches: Vec<LaunchSite>,
    pub dismissed_calls: Vec<DismissedCall>,
    pub code_loads: Vec<CodeLoad>,
    pub personalisation_switches: Vec<PersonalisationSwitch>,
    pub tls_overrides: Vec<TlsOverride>,
    pub sticky_services: Vec<StickyService>,
    /// Dotted names of every class defined.
    pub classes: Vec<String>,
    /// Calls into non-platform code reached from `Application.onCreate`/`attachBaseContext`.
    pub startup_calls: Vec<StartupCall>,
    /// Static string fields named like a version (`SDK_VERSION = "3.2.1"`).
    pub version_constants: Vec<VersionConstant>,
    /// `boolean onCreate()` bodies (ContentProvider start hooks).
    pub provider_creates: Vec<ProviderCreate>,
    /// This DEX's share of the call graph (for reachability across DEX files).
    pub graph: DexGraph,
    pub methods_walked: u32,
    pub bad_methods: u32,
}

/// Launch/intent APIs whose string arguments name another app.
const LAUNCH_APIS: &[(&str, &str)] = &[
    (
        "Landroid/content/pm/PackageManager;",
        "getLaunchIntentForPackage",
    ),
    ("Landroid/content/Intent;", "setClassName"),
    ("Landroid/content/Intent;", "setPackage"),
    ("Landroid/content/Intent;", "setComponent"),
    ("Landroid/content/ComponentName;", "<init>"),
    ("Landroid/content/Context;", "startActivity"),
    ("Landroid/content/Context;", "startService"),
    ("Landroid/content/Context;", "startForegroundService"),
    ("Landroid/content/Context;", "bindService"),
    ("Landroid/content/Context;", "sendBroadcast"),
    ("Landroid/app/Activity;", "startActivity"),
    ("Landroid/app/Activity;", "startActivityForResult"),
];

const SSL_PROCEED: (&str, &str) = ("Landroid/webkit/SslErrorHandler;", "proceed");

/// What a method's name alone tells the start-up and provider searches.
#[derive(Clone, Copy, PartialEq)]
enum NameKind {
    Unknown,
    Callback,
    OnCreate,
    Other,
}

impl NameKind {
    fn of(name: &[u8]) -> Self {
        if CALLBACKS.contains(&name) {
            NameKind::Callback
        } else if name == b"onCreate" {
            NameKind::OnCreate
        } else {
            NameKind::Other
        }
    }
}

/// What a method id means to us.
#[derive(Clone, Copy)]
enum MethodRole {
    Boring,
    /// Index into the knowledge table's method signatures.
    Api(u32),
    Launch,
    SslProceed,
    /// Reaches PI through its arguments: a command, a file path, a reflected name.
    Indirect(Indirect),
    /// An ad SDK's personalisation switch (index into `personalisation_switches`).
    Switch(u32),
}

#[derive(Clone, Copy, PartialEq)]
enum StringClass {
    Unknown,
    Boring,
    Http,
    Https,
    Policy,
    ContentUri(PiCategory),
    PackageLike,
    /// A shell command or file path that reads an identifier (`commands`/`files` tables).
    IdentifierText,
    /// `android.intent.action.MAIN` or `android.intent.category.LAUNCHER`: an intent that
    /// matches every app with a launcher icon.
    LauncherIntent,
    /// The setting key of an ad SDK's personalisation switch (`personal_ads_type`).
    PersonalisationKey,
}

struct Resolver<'d, 'a> {
    dex: &'d Dex<'a>,
    dex_name: &'d str,
    method_roles: Vec<MethodRole>,
    field_roles: Vec<Option<u32>>,
    string_classes: Vec<StringClass>,
    class_names: AHashMap<u32, String>,
    method_names: AHashMap<u32, String>,
    recent: [u32; RECENT_STRINGS],
    recent_len: usize,
    current_method: u32,
    current_code: MethodCode,
    current_class: u32,
    /// Type id of the Application class, if this DEX defines it.
    app_type: Option<u32>,
    /// Strings its constructors load: the name of a delegate (`ApplicationLike`) among them.
    app_init_strings: HashSet<String>,
    /// Method ids of `boolean onCreate()` methods.
    provider_creates: AHashSet<u32>,
    /// API uses (by index) whose meaning depends on what their method does with the value.
    pending_flow: Vec<(usize, MethodCode, u32)>,
    /// Call-graph events (caller method id, event).
    events: Vec<(u32, Event)>,
    /// Type descriptors, by type id.
    types: &'d TextTable,
    /// Launch sites (by index) whose package argument is to be traced.
    pending_launch: Vec<(usize, MethodCode, u32)>,
    /// Indirect call sites (see `indirect.rs`): kind, site, callee, the method's code and
    /// the strings loaded just before.
    pending_indirect: Vec<PendingIndirect>,
    /// Content-provider calls waiting for their URI argument to be traced.
    pending_content: Vec<PendingIndirect>,
    /// Per method id: the PI content URIs it names (strings and provider fields), in order.
    content_refs: AHashMap<u32, Vec<ContentRef>>,
    /// Field writes in methods that name a PI URI: the field may hold the URI for calls in
    /// other methods.
    uri_stores: Vec<UriStore>,
    /// Methods that load a launcher intent's action or category, with which of the two.
    launcher_methods: AHashMap<u32, Vec<&'static str>>,
    /// Methods that make an intent explicit (`setPackage`, `setComponent`, `setClassName`).
    explicit_intent_methods: AHashSet<u32>,
    /// Methods that load a command or path reading an identifier: only their shell and file
    /// calls can read one (the arguments are constants of the same method).
    identifier_text_methods: AHashSet<u32>,
    proceed_callers: AHashSet<u32>,
    /// Per method id: what the class of the method called is.
    callee_kind: Vec<TypeKind>,
    type_kind: Vec<TypeKind>,
    current_local: bool,
    edges: Vec<Edge>,
    out: CodeScan,
}

/// (class descriptor, member name) → index of its signature in the table.
fn index_signatures(table: &[ApiSignature]) -> AHashMap<(&str, &str), usize> {
    table
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.names
                .iter()
                .map(move |n| ((s.class.as_str(), n.as_str()), i))
        })
        .collect()
}

/// Scan one DEX: API call sites, interesting strings, launch sites, TLS overrides, calls made
/// at application start-up, version constants. `scope` says which classes are the app's own.
pub fn scan_dex(dex: &Dex<'_>, dex_name: &str, scope: &AppScope) -> Result<CodeScan, DexError> {
    let apis = android_apis();
    let method_sig = index_signatures(&apis.methods);
    let field_sig = index_signatures(&apis.fields);
    let interesting_classes: AHashSet<&str> = method_sig
        .keys()
        .chain(field_sig.keys())
        .map(|(c, _)| *c)
        .chain(LAUNCH_APIS.iter().map(|(c, _)| *c))
        .chain([SSL_PROCEED.0])
        .chain(INDIRECT_APIS.iter().map(|(c, _, _)| *c))
        .chain(
            apis.personalisation_switches
                .iter()
                .filter_map(|s| s.class.as_deref()),
        )
        .collect();

    // Which type ids are classes we care about (one descriptor decode per type, kept for
    // the call graph and for naming callers).
    let mut app_type = None;
    let mut types = TextTable::with_capacity(dex.type_count() as usize);
    let mut landmarks = [NONE; LANDMARKS.len()];
    let (interesting_types, type_kind): (Vec<bool>, Vec<TypeKind>) = (0..dex.type_count())
        .map(|t| match dex.type_descriptor(t) {
            Ok(d) => {
                types.push(&d);
                if scope.app_class() == Some(d.as_ref()) {
                    app_type = Some(t);
                }
                if let Some(i) = LANDMARKS.iter().position(|l| *l == d.as_ref()) {
                    landmarks[i] = t;
                }
                (interesting_classes.contains(d.as_ref()), scope.kind_of(&d))
            }
            Err(_) => {
                types.push("");
                (false, TypeKind::Platform)
            }
        })
        .unzip();

    let mut method_roles = vec![MethodRole::Boring; dex.method_count() as usize];
    let mut provider_creates = AHashSet::new();
    let mut callbacks: HashMap<u16, Vec<u32>> = HashMap::new();
    let mut callee_kind = vec![TypeKind::Platform; dex.method_count() as usize];
    // What a method name means here, decided once per name string (names repeat: `<init>`,
    // `run`, `onCreate` are shared by many methods).
    let mut name_kinds = vec![NameKind::Unknown; dex.string_count() as usize];
    for (idx, role) in method_roles.iter_mut().enumerate() {
        let Ok(id) = dex.method_id(idx as u32) else {
            continue;
        };
        if let (Some(slot), Some(kind)) = (
            callee_kind.get_mut(idx),
            type_kind.get(usize::from(id.class_idx)),
        ) {
            *slot = *kind;
        }
        let idx = idx as u32;
        let name_kind = match name_kinds.get_mut(id.name_idx as usize) {
            Some(NameKind::Unknown) | None => {
                let kind = NameKind::of(dex.string_bytes(id.name_idx).unwrap_or_default());
                if let Some(slot) = name_kinds.get_mut(id.name_idx as usize) {
                    *slot = kind;
                }
                kind
            }
            Some(kind) => *kind,
        };
        // Callbacks of the app's own classes: constructing one at start-up runs them.
        if name_kind == NameKind::Callback
            && type_kind.get(usize::from(id.class_idx)) == Some(&TypeKind::Local)
        {
            callbacks.entry(id.class_idx).or_default().push(idx);
        }
        // `boolean onCreate()`: a ContentProvider's start hook (shorty "Z").
        if name_kind == NameKind::OnCreate
            && dex
                .proto_id(id.proto_idx)
                .and_then(|p| dex.string_bytes(p.shorty_idx))
                .ok()
                == Some(b"Z".as_slice())
        {
            provider_creates.insert(idx);
        }
        if !interesting_types
            .get(usize::from(id.class_idx))
            .copied()
            .unwrap_or(false)
        {
            continue;
        }
        let Ok(m) = dex.method_ref(idx) else { continue };
        let key = (m.class.as_ref(), m.name.as_ref());
        *role = if let Some(&i) = method_sig.get(&key) {
            MethodRole::Api(i as u32)
        } else if LAUNCH_APIS.contains(&key) {
            MethodRole::Launch
        } else if key == SSL_PROCEED {
            MethodRole::SslProceed
        } else if let Some(&(_, _, kind)) = INDIRECT_APIS.iter().find(|(c, n, _)| (*c, *n) == key) {
            MethodRole::Indirect(kind)
        } else if let Some(i) = apis
            .personalisation_switches
            .iter()
            .position(|s| s.class.as_deref() == Some(key.0) && s.method.as_deref() == Some(key.1))
        {
            MethodRole::Switch(i as u32)
        } else {
            MethodRole::Boring
        };
    }
    let mut field_roles = vec![None; dex.field_count() as usize];
    for (idx, role) in field_roles.iter_mut().enumerate() {
        let idx = idx as u32;
        let Ok(id) = dex.field_id(idx) else { continue };
        if !interesting_types
            .get(usize::from(id.class_idx))
            .copied()
            .unwrap_or(false)
        {
            continue;
        }
        if let Ok(f) = dex.field_ref(idx) {
            *role = field_sig
                .get(&(f.class.as_ref(), f.name.as_ref()))
                .map(|&i| i as u32);
        }
    }

    let mut r = Resolver {
        dex,
        dex_name,
        method_roles,
        field_roles,
        string_classes: vec![StringClass::Unknown; dex.string_count() as usize],
        class_names: AHashMap::new(),
        method_names: AHashMap::new(),
        recent: [0; RECENT_STRINGS],
        recent_len: 0,
        current_method: u32::MAX,
        current_code: MethodCode::default(),
        current_class: u32::MAX,
        app_type,
        app_init_strings: HashSet::new(),
        provider_creates,
        pending_flow: Vec::new(),
        events: Vec::new(),
        types: &types,
        pending_launch: Vec::new(),
        pending_indirect: Vec::new(),
        pending_content: Vec::new(),
        content_refs: AHashMap::new(),
        uri_stores: Vec::new(),
        launcher_methods: AHashMap::new(),
        explicit_intent_methods: AHashSet::new(),
        identifier_text_methods: AHashSet::new(),
        proceed_callers: AHashSet::new(),
        callee_kind,
        type_kind,
        current_local: false,
        edges: Vec::new(),
        out: CodeScan::default(),
    };
    // The walk on this thread; the class definitions and method tables, which do not depend
    // on it, on another.
    let (walked, (classes, tables)) = rayon::join(
        || dex.walk_code(&mut r),
        || {
            (
                read_classes(dex, dex_name, &types, landmarks),
                Tables::read(dex),
            )
        },
    );
    let stats = walked?;
    r.out.methods_walked = stats.methods;
    r.out.bad_methods = stats.bad_methods;
    r.out.classes = classes.classes;
    r.resolve_indirect(&method_sig);
    r.resolve_flows();
    r.resolve_content_calls();
    r.out.tls_overrides = classes.tls_overrides;
    for (i, method) in classes.ssl_error_handlers {
        if let Some(o) = r.out.tls_overrides.get_mut(i) {
            o.accepts_all = r.proceed_callers.contains(&method);
        }
    }
    r.out.sticky_services = classes.sticky_services;
    r.out.version_constants = classes.version_constants;
    r.out.graph.events = std::mem::take(&mut r.events);
    if let Some(app_type) = app_type {
        r.out.startup_calls = startup_calls(
            dex,
            dex_name,
            &r.edges,
            app_type,
            &r.callee_kind,
            &callbacks,
            &r.app_init_strings,
        );
    }
    let mut out = r.out;
    out.graph.types = types;
    out.graph.tables = tables;
    Ok(out)
}

impl<'a> Resolver<'_, 'a> {
    fn class_name(&mut self, type_idx: u32) -> String {
        if let Some(n) = self.class_names.get(&type_idx) {
            return n.clone();
        }
        let name = match self.types.get(type_idx) {
            "" => format!("<type {type_idx}>"),
            d => descriptor_to_java(d),
        };
        self.class_names.insert(type_idx, name.clone());
        name
    }

    fn method_name(&mut self, method_idx: u32) -> String {
        if let Some(n) = self.method_names.get(&method_idx) {
            return n.clone();
        }
        let name = self
            .dex
            .method_ref(method_idx)
            .map(|m| m.name.into_owned())
            .unwrap_or_else(|_| format!("<method {method_idx}>"));
        self.method_names.insert(method_idx, name.clone());
        name
    }

    fn api_name(&self, method_idx: u32) -> String {
        self.dex
            .method_ref(method_idx)
            .map(|m| format!("{}->{}", m.class, m.name))
            .unwrap_or_default()
    }

    fn recent_strings(&self) -> Vec<String> {
        self.recent[..self.recent_len]
            .iter()
            .filter_map(|&s| self.dex.string(s).ok().map(|s| s.into_owned()))
            .collect()
    }

    fn classify_string(&mut self, idx: u32) -> StringClass {
        let Some(slot) = self.string_classes.get(idx as usize).copied() else {
            return StringClass::Boring;
        };
        if slot != StringClass::Unknown {
            return slot;
        }
        let class = match self.dex.string_bytes(idx) {
            Ok(bytes) => classify_bytes(bytes),
            Err(_) => StringClass::Boring,
        };
        if let Some(s) = self.string_classes.get_mut(idx as usize) {
            *s = class;
        }
        class
    }

    fn record_api(
        &mut self,
        site: &Site,
        api: String,
        category: PiCategory,
        access: ApiAccess,
        args: Vec<String>,
        via: ApiVia,
    ) {
        if self.out.api_uses.len() >= MAX_API_USES {
            return;
        }
        let caller_class = self.class_name(site.class_idx);
        let caller_method = self.method_name(site.method_idx);
        // The running-process/task lists and media URIs mean different things depending on
        // what the method does with them: trace those after the walk.
        if via == ApiVia::Direct
            && matches!(category, PiCategory::InstalledApps | PiCategory::Media)
        {
            self.pending_flow
                .push((self.out.api_uses.len(), self.current_code, site.file_offset));
        }
        self.out.graph.api_callers.push(site.method_idx);
        self.out.api_uses.push(ApiUse {
            api,
            category,
            caller_class,
            caller_method,
            access,
            dex: self.dex_name.to_string(),
            offset: site.file_offset,
            string_args: args,
            via,
            party: Party::Unknown,
            flow: None,
            reachable: None,
            entry_path: Vec::new(),
        });
    }

    /// Note an indirect call site read and not reported, with why.
    fn dismiss(&mut self, site: &Site, callee: u32, reason: DismissReason) {
        if self.out.dismissed_calls.len() >= MAX_DISMISSED {
            return;
        }
        let call = DismissedCall {
            api: self.api_name(callee),
            caller_class: self.class_name(site.class_idx),
            caller_method: self.method_name(site.method_idx),
            dex: self.dex_name.to_string(),
            offset: site.file_offset,
            reason,
        };
        self.out.dismissed_calls.push(call);
    }

    /// A use of an ad SDK's personalisation switch (table index `i`).
    fn record_switch(&mut self, site: &Site, i: usize, api: String) {
        let Some(sdk) = android_apis().personalisation_switches.get(i) else {
            return;
        };
        if self.out.personalisation_switches.len() >= MAX_CODE_LOADS {
            return;
        }
        let use_ = PersonalisationSwitch {
            sdk: sdk.sdk.clone(),
            api,
            caller_class: self.class_name(site.class_idx),
            caller_method: self.method_name(site.method_idx),
            dex: self.dex_name.to_string(),
            offset: site.file_offset,
            party: Party::Unknown,
        };
        self.out.personalisation_switches.push(use_);
    }

    /// A class loader built at run time, with the code paths its method names.
    fn record_code_load(&mut self, site: &Site, callee: u32) {
        if self.out.code_loads.len() >= MAX_CODE_LOADS {
            return;
        }
        let paths = self
            .recent_strings()
            .into_iter()
            .filter(|s| looks_like_code_path(s))
            .collect();
        let load = CodeLoad {
            api: self.api_name(callee),
            caller_class: self.class_name(site.class_idx),
            caller_method: self.method_name(site.method_idx),
            dex: self.dex_name.to_string(),
            offset: site.file_offset,
            paths,
            party: Party::Unknown,
            reachable: None,
        };
        self.out.graph.load_callers.push(site.method_idx);
        self.out.code_loads.push(load);
    }

    fn event(&mut self, caller: u32, event: Event) {
        if self.events.len() < MAX_GRAPH_EVENTS {
            self.events.push((caller, event));
        }
    }

    /// The bytes of a method recorded during the walk.
    fn code_bytes(&self, code: MethodCode) -> &'a [u8] {
        let start = code.off as usize;
        self.dex
            .data()
            .get(start..start.saturating_add(code.len as usize))
            .unwrap_or(&[])
    }

    /// Run the local data flow for the call sites that asked for it.
    fn resolve_flows(&mut self) {
        for (index, code, site) in std::mem::take(&mut self.pending_flow) {
            let bytes = self.code_bytes(code);
            let pos = site.saturating_sub(code.off) as usize;
            let result = flow::value_flow(self.dex, bytes, code.registers, code.ins, pos);
            if let Some(u) = self.out.api_uses.get_mut(index) {
                u.flow = Some(result);
            }
        }
        let pending_launch = std::mem::take(&mut self.pending_launch);
        // Class names the DEX defines: a launch naming one starts the app's own component.
        let classes = std::mem::take(&mut self.out.classes);
        let defined: AHashSet<&str> = if pending_launch.is_empty() {
            AHashSet::new()
        } else {
            classes.iter().map(String::as_str).collect()
        };
        for (index, code, site) in pending_launch {
            let bytes = self.code_bytes(code);
            let pos = site.saturating_sub(code.off) as usize;
            let args = flow::call_args(bytes, code.registers, code.ins, pos);
            let (target, packages) = self.launch_target(args.get(1..).unwrap_or(&[]), &defined);
            if let Some(l) = self.out.launches.get_mut(index) {
                l.target = Some(target);
                l.packages = packages;
            }
        }
        drop(defined);
        self.out.classes = classes;
    }

    /// Read the arguments of the indirect call sites and record those that reach PI.
    fn resolve_indirect(&mut self, method_sig: &AHashMap<(&str, &str), usize>) {
        let apis = android_apis();
        let reflected = |class: &str, name: &str| {
            method_sig
                .get(&(class, name))
                .and_then(|&i| apis.methods.get(i))
                // APIs that need a particular argument (`getString(…, "android_id")`) are
                // not judged from their name alone.
                .filter(|s| s.args.is_empty())
                .map(|s| s.category)
        };
        for p in std::mem::take(&mut self.pending_indirect) {
            if p.kind == Indirect::IntentQuery {
                self.intent_query(&p);
                continue;
            }
            if matches!(p.kind, Indirect::Shell | Indirect::File)
                && !self.identifier_text_methods.contains(&p.site.method_idx)
            {
                if p.kind == Indirect::Shell {
                    self.dismiss(&p.site, p.callee, DismissReason::CommandNotPi);
                }
                continue;
            }
            let bytes = self.code_bytes(p.code);
            let pos = p.site.file_offset.saturating_sub(p.code.off) as usize;
            let args = flow::call_args(bytes, p.code.registers, p.code.ins, pos);
            let recent: Vec<String> = p.recent[..p.recent_len.min(RECENT_STRINGS)]
                .iter()
                .filter_map(|&s| self.dex.string(s).ok().map(|s| s.into_owned()))
                .collect();
            let Some(found) = indirect::resolve(p.kind, self.dex, apis, &args, &recent, reflected)
            else {
                if p.kind == Indirect::Shell {
                    self.dismiss(&p.site, p.callee, DismissReason::CommandNotPi);
                }
                continue;
            };
            let api = found.api.unwrap_or_else(|| self.api_name(p.callee));
            self.record_api(
                &p.site,
                api,
                found.category,
                ApiAccess::Invoke,
                found.args,
                found.via,
            );
        }
    }

    /// A package-manager intent query lists every installed app with a launcher icon when its
    /// method builds the launcher intent (`ACTION_MAIN`, `CATEGORY_LAUNCHER`). A query whose
    /// intent is not known (an explicit package, a share target, a settings screen) is not
    /// reported: it answers one question about one intent, not "which apps are installed".
    fn intent_query(&mut self, p: &PendingIndirect) {
        // The category decides: `ACTION_MAIN` alone may come with another category (ApiDemos
        // lists its own samples with `CATEGORY_SAMPLE_CODE`).
        let Some(seen) = self
            .launcher_methods
            .get(&p.site.method_idx)
            .filter(|seen| seen.contains(&LAUNCHER_CATEGORY))
        else {
            self.dismiss(&p.site, p.callee, DismissReason::IntentNotLauncher);
            return;
        };
        let args: Vec<String> = seen.iter().map(|s| s.to_string()).collect();
        // `setPackage(getPackageName())`: the app's own launcher activities (AndroidX's
        // shortcut parser), or one named app's.
        if self.explicit_intent_methods.contains(&p.site.method_idx) {
            self.dismiss(&p.site, p.callee, DismissReason::ExplicitIntent);
            return;
        }
        // The result flows like a package list (what the method keeps or compares).
        self.current_code = p.code;
        let api = self.api_name(p.callee);
        self.record_api(
            &p.site,
            api,
            PiCategory::InstalledApps,
            ApiAccess::Invoke,
            args,
            ApiVia::Direct,
        );
    }

    /// What the package/class arguments of a launch API name.
    fn launch_target(
        &mut self,
        args: &[Val],
        defined: &AHashSet<&str>,
    ) -> (LaunchTarget, Vec<String>) {
        let mut packages = Vec::new();
        let mut own = false;
        let mut queried = false;
        for &v in args {
            match v {
                Val::Str(s) => {
                    if self.classify_string(s) == StringClass::PackageLike
                        && let Ok(text) = self.dex.string(s)
                    {
                        if defined.contains(text.as_ref()) {
                            own = true;
                        } else {
                            packages.push(text.into_owned());
                        }
                    }
                }
                // `new ComponentName(ctx, Foo.class)`: a class of this package.
                Val::Class(_) => own = true,
                v if flow::names_own(self.dex, v) => own = true,
                v if flow::is_queried_package(self.dex, v) => queried = true,
                _ => {}
            }
        }
        let target = if own {
            LaunchTarget::OwnPackage
        } else if !packages.is_empty() {
            LaunchTarget::Constant
        } else if queried {
            LaunchTarget::Queried
        } else {
            LaunchTarget::Unknown
        };
        (target, packages)
    }
}

/// A string that names code to load: a path or file name ending in `.dex`, `.jar`, `.apk` or
/// `.zip`, or an absolute path.
fn looks_like_code_path(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    // A bare extension (`".dex"`) names no file.
    let named = lower.len() > 4 && !lower.starts_with('.');
    (named
        && [".dex", ".jar", ".apk", ".zip"]
            .iter()
            .any(|ext| lower.ends_with(ext)))
        || (s.starts_with('/') && !s.contains(' '))
}

/// The body only returns a constant (`const/4`, `const/16` or `const`, then `return`),
/// optionally after `nop`s: `boolean onCreate() { return true; }`.
fn returns_constant(insns: &[u8]) -> bool {
    let units: Vec<u16> = insns
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .skip_while(|&u| u == 0)
        .collect();
    let (reg, rest) = match units.as_slice() {
        [first, rest @ ..] if first & 0xff == 0x12 => ((first >> 8) & 0x0f, rest),
        [first, _, rest @ ..] if first & 0xff == 0x13 => (first >> 8, rest),
        [first, _, _, rest @ ..] if first & 0xff == 0x14 => (first >> 8, rest),
        _ => return false,
    };
    rest.first()
        .is_some_and(|&ret| ret & 0xff == 0x0f && (ret >> 8) == reg)
}

fn classify_bytes(bytes: &[u8]) -> StringClass {
    let lower_starts =
        |p: &[u8]| bytes.len() >= p.len() && bytes[..p.len()].eq_ignore_ascii_case(p);
    if lower_starts(b"http://") || lower_starts(b"https://") {
        if is_policy_url(bytes) {
            return StringClass::Policy;
        }
        return if lower_starts(b"https://") {
            StringClass::Https
        } else {
            StringClass::Http
        };
    }
    if lower_starts(b"content://") {
        return android_apis()
            .uri_strings
            .iter()
            .find(|u| lower_starts(u.prefix.as_bytes()))
            .map_or(StringClass::Boring, |u| StringClass::ContentUri(u.category));
    }
    if let Ok(text) = std::str::from_utf8(bytes)
        && (android_apis().command_category(text).is_some()
            || android_apis().file_category(text).is_some())
    {
        return StringClass::IdentifierText;
    }
    if bytes == LAUNCHER_ACTION.as_bytes() || bytes == LAUNCHER_CATEGORY.as_bytes() {
        return StringClass::LauncherIntent;
    }
    if switch_by_key(bytes).is_some() {
        return StringClass::PersonalisationKey;
    }
    if looks_like_package(bytes) {
        return StringClass::PackageLike;
    }
    StringClass::Boring
}

/// The personalisation switch whose setting key `bytes` is.
fn switch_by_key(bytes: &[u8]) -> Option<usize> {
    android_apis()
        .personalisation_switches
        .iter()
        .position(|s| s.key.as_deref().is_some_and(|k| k.as_bytes() == bytes))
}

const LAUNCHER_ACTION: &str = "android.intent.action.MAIN";
/// Calls that make an intent name its target.
const EXPLICIT_INTENT_APIS: &[&str] = &[
    "Landroid/content/Intent;->setPackage",
    "Landroid/content/Intent;->setComponent",
    "Landroid/content/Intent;->setClassName",
];
const LAUNCHER_CATEGORY: &str = "android.intent.category.LAUNCHER";

/// URL text that names a privacy policy or user agreement (English, pinyin or Chinese).
fn is_policy_url(url: &[u8]) -> bool {
    const MARKERS: &[&str] = &[
        "privacy",
        "policy",
        "yinsi",
        "agreement",
        "隐私",
        "protocol",
        "legal",
        "terms",
    ];
    let text = String::from_utf8_lossy(url).to_lowercase();
    // SDK configuration endpoints (QQ's `…/openapi/policy_conf`) name a policy but serve
    // settings; only an explicit privacy word keeps them.
    let config = ["policy_conf", "policyconf", "policy/conf", "policy_config"]
        .iter()
        .any(|c| text.contains(c));
    let privacy = ["privacy", "yinsi", "隐私"]
        .iter()
        .any(|m| text.contains(m));
    MARKERS.iter().any(|m| text.contains(m)) && (!config || privacy)
}

/// `a.b` or `a.b.c` of lowercase identifiers: could be an Android package name.
fn looks_like_package(b: &[u8]) -> bool {
    if b.len() < 5 || b.len() > 120 || !b.contains(&b'.') {
        return false;
    }
    let mut segments = 0;
    for seg in b.split(|&c| c == b'.') {
        let Some(&first) = seg.first() else {
            return false;
        };
        if !first.is_ascii_alphabetic()
            || !seg.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            return false;
        }
        segments += 1;
    }
    segments >= 2
}

impl CodeVisitor for Resolver<'_, '_> {
    fn method_code(&mut self, code: &hegui_dex::CodeItem<'_>) {
        self.current_code = MethodCode {
            off: code.insns_file_offset,
            len: code.insns.len() as u32,
            registers: code.registers_size,
            ins: code.ins_size,
        };
        if self.provider_creates.contains(&self.current_method) {
            let class = self.class_name(self.current_class);
            self.out.provider_creates.push(ProviderCreate {
                class,
                does_work: !returns_constant(code.insns),
                dex: self.dex_name.to_string(),
                offset: code.insns_file_offset,
            });
        }
    }

    fn enter_method(&mut self, class_idx: u32, method_idx: u32) -> bool {
        self.current_method = method_idx;
        self.current_class = class_idx;
        self.current_local = self.type_kind.get(class_idx as usize) == Some(&TypeKind::Local);
        self.recent_len = 0;
        true
    }

    fn new_instance(&mut self, site: &Site, type_idx: u32) {
        self.event(site.method_idx, Event::Instantiate(type_idx));
    }

    fn const_class(&mut self, site: &Site, type_idx: u32) {
        self.event(site.method_idx, Event::Instantiate(type_idx));
    }

    fn field_write(&mut self, site: &Site, field_idx: u32, is_static: bool) {
        if is_static && let Ok(id) = self.dex.field_id(field_idx) {
            self.event(site.method_idx, Event::Static(u32::from(id.class_idx)));
        }
        if self.content_refs.contains_key(&site.method_idx) {
            self.uri_stores.push(UriStore {
                code: self.current_code,
                method: site.method_idx,
                offset: site.file_offset,
                field: field_idx,
            });
        }
    }

    fn invoke(&mut self, site: &Site, _kind: InvokeKind, method_idx: u32) {
        self.event(site.method_idx, Event::Call(method_idx));
        if self.current_local
            && self.edges.len() < MAX_STARTUP_EDGES
            && self.callee_kind.get(method_idx as usize) != Some(&TypeKind::Platform)
        {
            self.edges
                .push((site.method_idx, method_idx, site.file_offset));
        }
        let role = self
            .method_roles
            .get(method_idx as usize)
            .copied()
            .unwrap_or(MethodRole::Boring);
        match role {
            MethodRole::Boring => {}
            MethodRole::Api(sig) => {
                let Some(signature) = android_apis().methods.get(sig as usize) else {
                    return;
                };
                let args = self.recent_strings();
                if !signature.args.is_empty() && !args.iter().any(|a| signature.args.contains(a)) {
                    return;
                }
                let api = self.api_name(method_idx);
                let access = if SEND_APIS
                    .iter()
                    .any(|(c, n)| signature.class == *c && api.ends_with(&format!("->{n}")))
                {
                    ApiAccess::Send
                } else {
                    ApiAccess::Invoke
                };
                self.record_api(site, api, signature.category, access, args, ApiVia::Direct);
            }
            MethodRole::Launch => {
                let packages: Vec<String> = self.recent[..self.recent_len]
                    .iter()
                    .filter(|&&s| {
                        self.string_classes.get(s as usize) == Some(&StringClass::PackageLike)
                    })
                    .filter_map(|&s| self.dex.string(s).ok().map(|s| s.into_owned()))
                    .collect();
                let caller_class = self.class_name(site.class_idx);
                let caller_method = self.method_name(site.method_idx);
                let api = self.api_name(method_idx);
                if EXPLICIT_INTENT_APIS.contains(&api.as_str()) {
                    self.explicit_intent_methods.insert(site.method_idx);
                }
                if NAMING_APIS.iter().any(|n| api.ends_with(&format!("->{n}"))) {
                    self.pending_launch.push((
                        self.out.launches.len(),
                        self.current_code,
                        site.file_offset,
                    ));
                }
                self.out.launches.push(LaunchSite {
                    api,
                    packages,
                    target: None,
                    caller_class,
                    caller_method,
                    dex: self.dex_name.to_string(),
                    offset: site.file_offset,
                    party: Party::Unknown,
                });
            }
            MethodRole::SslProceed => {
                self.proceed_callers.insert(site.method_idx);
            }
            MethodRole::Indirect(Indirect::CodeLoad) => self.record_code_load(site, method_idx),
            MethodRole::Switch(i) => {
                let api = self.api_name(method_idx);
                self.record_switch(site, i as usize, api);
            }
            MethodRole::Indirect(kind) => {
                let pending = PendingIndirect {
                    kind,
                    site: *site,
                    callee: method_idx,
                    code: self.current_code,
                    recent: self.recent,
                    recent_len: self.recent_len,
                };
                if matches!(kind, Indirect::Provider { .. }) {
                    self.pending_content.push(pending);
                } else {
                    self.pending_indirect.push(pending);
                }
            }
        }
    }

    fn const_string(&mut self, site: &Site, string_idx: u32) {
        if self.app_type == Some(site.class_idx)
            && self.method_name(site.method_idx) == "<init>"
            && self.classify_string(string_idx) == StringClass::PackageLike
            && let Ok(name) = self.dex.string(string_idx)
        {
            self.app_init_strings.insert(name.into_owned());
        }
        if self.recent_len < RECENT_STRINGS {
            self.recent[self.recent_len] = string_idx;
            self.recent_len += 1;
        } else {
            self.recent.rotate_left(1);
            self.recent[RECENT_STRINGS - 1] = string_idx;
        }
        let class = self.classify_string(string_idx);
        if class == StringClass::IdentifierText {
            self.identifier_text_methods.insert(site.method_idx);
        }
        if class == StringClass::LauncherIntent
            && let Ok(text) = self.dex.string_bytes(string_idx)
        {
            let name = if text == LAUNCHER_ACTION.as_bytes() {
                LAUNCHER_ACTION
            } else {
                LAUNCHER_CATEGORY
            };
            let seen = self.launcher_methods.entry(site.method_idx).or_default();
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        if class == StringClass::PersonalisationKey
            && let Ok(bytes) = self.dex.string_bytes(string_idx)
            && let Some(i) = switch_by_key(bytes)
        {
            let key = String::from_utf8_lossy(bytes).into_owned();
            self.record_switch(site, i, key);
        }
        if class == StringClass::PackageLike {
            // Perhaps a class name handed to reflection.
            self.event(site.method_idx, Event::Str(string_idx));
            if !self.out.graph.has_class_string(string_idx)
                && let Ok(text) = self.dex.string(string_idx)
            {
                self.out.graph.add_class_string(string_idx, &text);
            }
        }
        let kind = match class {
            StringClass::Http => StringKind::HttpUrl,
            StringClass::Https => StringKind::HttpsUrl,
            StringClass::Policy => StringKind::PolicyUrl,
            StringClass::ContentUri(category) => {
                let value = self
                    .dex
                    .string(string_idx)
                    .map(|s| s.into_owned())
                    .unwrap_or_default();
                self.record_api(
                    site,
                    value,
                    category,
                    ApiAccess::ContentUri,
                    Vec::new(),
                    ApiVia::Direct,
                );
                self.note_content_ref(site, Val::Str(string_idx));
                return;
            }
            _ => return,
        };
        if self.out.strings.len() >= MAX_STRINGS {
            return;
        }
        let Ok(value) = self.dex.string(string_idx) else {
            return;
        };
        let value = value.into_owned();
        let caller_class = self.class_name(site.class_idx);
        let caller_method = self.method_name(site.method_idx);
        self.out.strings.push(StringRef {
            value,
            kind,
            caller_class,
            caller_method,
            dex: self.dex_name.to_string(),
            offset: site.file_offset,
        });
    }

    fn field_read(&mut self, site: &Site, field_idx: u32, is_static: bool) {
        if is_static && let Ok(id) = self.dex.field_id(field_idx) {
            self.event(site.method_idx, Event::Static(u32::from(id.class_idx)));
        }
        let Some(Some(sig)) = self.field_roles.get(field_idx as usize).copied() else {
            return;
        };
        let Some(signature) = android_apis().fields.get(sig as usize) else {
            return;
        };
        let api = self
            .dex
            .field_ref(field_idx)
            .map(|f| format!("{}->{}", f.class, f.name))
            .unwrap_or_default();
        let is_uri = api.ends_with("URI");
        self.record_api(
            site,
            api,
            signature.category,
            ApiAccess::FieldRead,
            Vec::new(),
            ApiVia::Direct,
        );
        if is_uri {
            self.note_content_ref(site, Val::Field(field_idx));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trivial_bodies() {
        assert!(returns_constant(&[0x12, 0x10, 0x0f, 0x00]));
        assert!(returns_constant(&[0x13, 0x02, 0x01, 0x00, 0x0f, 0x02]));
        // const/4 v0, #1 ; invoke-static {} ; return v0
        assert!(!returns_constant(&[
            0x12, 0x10, 0x71, 0x00, 0x05, 0x00, 0x00, 0x00, 0x0f, 0x00
        ]));
    }

    #[test]
    fn classifies_strings() {
        assert!(classify_bytes(b"https://x.example/privacy.html") == StringClass::Policy);
        assert!(
            classify_bytes(b"https://openmobile.qq.com/openapi/policy_conf") == StringClass::Https
        );
        assert!(classify_bytes(b"http://api.example/collect") == StringClass::Http);
        assert!(classify_bytes(b"content://sms/inbox") == StringClass::ContentUri(PiCategory::Sms));
        assert!(classify_bytes(b"com.tencent.mm") == StringClass::PackageLike);
        assert!(classify_bytes(b"hello world") == StringClass::Boring);
        assert!(classify_bytes(b"1.2.3") == StringClass::Boring);
    }
}
