//! What runs when the process starts: calls reached from `Application.onCreate` and
//! `attachBaseContext`, following the app's own code a few calls deep.
//!
//! "The app's own code" is everything that is neither the platform nor a catalogued SDK:
//! the applicationId's package, the other packages the app's classes form (a helper module
//! such as `com.hjq.umeng.UmengClient`), AspectJ-woven bodies. The walker records, for
//! methods of such classes, each call to a method that is not part of the platform. This
//! module walks those edges from the Application class's lifecycle methods; constructing one
//! of the app's classes also runs its callbacks (`Runnable.run`, an AspectJ closure's `run`).
//! The search stays inside one DEX (multidex keeps the Application class and what it
//! references in the main DEX) and six calls deep; a call into a catalogued SDK ends a path.

use std::collections::{HashMap, HashSet, VecDeque};

use hegui_dex::Dex;
use hegui_model::{Party, StartupCall};

/// How deep to follow the app's own methods from a lifecycle method.
const MAX_DEPTH: usize = 6;
/// Enough for any real Application; a hostile DEX cannot make the list unbounded.
const MAX_CALLS: usize = 1_000;
/// Lifecycle methods of the Application class, and of an application delegate (Tinker's
/// `ApplicationLike`, named by a string the Application's constructor passes on).
const ENTRY_METHODS: &[&str] = &["onCreate", "attachBaseContext", "onBaseContextAttached"];

/// What a type is, for the startup search.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TypeKind {
    /// Android, Java, Kotlin and AndroidX classes: never a third party's initialisation.
    Platform,
    /// The app's own code: its packages, its Application class, and any other code that is
    /// neither the platform nor a catalogued SDK.
    Local,
    /// A catalogued SDK.
    Other,
}

/// Platform namespaces, as descriptor prefixes.
const PLATFORM: &[&str] = &[
    "Ljava/",
    "Ljavax/",
    "Landroid/",
    "Landroidx/",
    "Ldalvik/",
    "Lkotlin/",
    "Lkotlinx/",
    "Lorg/json/",
    "Lorg/xml/",
    "Lorg/w3c/",
    "Lsun/",
    "Llibcore/",
];

/// Which descriptors are the app's own.
#[derive(Debug, Default, Clone)]
pub struct AppScope {
    /// `Lcom/example/app/` for each of the app's own packages.
    package_paths: Vec<String>,
    /// `Lcom/example/App;`.
    app_class: Option<String>,
}

impl AppScope {
    /// `own` are the packages of the app's own code (the applicationId first).
    pub fn new(own: &[String], app_class: Option<&str>) -> Self {
        AppScope {
            package_paths: own
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| format!("L{}/", p.replace('.', "/")))
                .collect(),
            app_class: app_class.map(|c| format!("L{};", c.replace('.', "/"))),
        }
    }

    pub(crate) fn kind_of(&self, descriptor: &str) -> TypeKind {
        if self.app_class.as_deref() == Some(descriptor)
            || self
                .package_paths
                .iter()
                .any(|p| descriptor.starts_with(p.as_str()))
        {
            TypeKind::Local
        } else if PLATFORM.iter().any(|p| descriptor.starts_with(p)) {
            TypeKind::Platform
        } else if descriptor.starts_with('L')
            && hegui_knowledge::sdk_catalog()
                .owner_of(&hegui_dex::descriptor_to_java(descriptor))
                .is_some()
        {
            TypeKind::Other
        } else {
            TypeKind::Local
        }
    }

    pub(crate) fn app_class(&self) -> Option<&str> {
        self.app_class.as_deref()
    }
}

/// One recorded call: caller method id, callee method id, file offset of the invoke.
pub(crate) type Edge = (u32, u32, u32);

/// Calls to non-local code reachable from the Application's lifecycle methods.
pub(crate) fn startup_calls(
    dex: &Dex<'_>,
    dex_name: &str,
    edges: &[Edge],
    app_type: u32,
    callee_kind: &[TypeKind],
    callbacks: &HashMap<u16, Vec<u32>>,
    delegates: &HashSet<String>,
) -> Vec<StartupCall> {
    let mut by_caller: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for &(caller, callee, offset) in edges {
        by_caller.entry(caller).or_default().push((callee, offset));
    }
    let name = |m: u32| {
        dex.method_ref(m)
            .map(|r| (hegui_dex::descriptor_to_java(&r.class), r.name.into_owned()))
            .unwrap_or_else(|_| (format!("<method {m}>"), String::new()))
    };
    let mut roots: Vec<u32> = by_caller
        .keys()
        .copied()
        .filter(|&m| {
            dex.method_id(m).is_ok_and(|id| {
                u32::from(id.class_idx) == app_type
                    || !delegates.is_empty()
                        && dex
                            .type_descriptor(u32::from(id.class_idx))
                            .is_ok_and(|d| delegates.contains(&hegui_dex::descriptor_to_java(&d)))
            }) && dex
                .method_ref(m)
                .is_ok_and(|r| ENTRY_METHODS.contains(&r.name.as_ref()))
        })
        .collect();
    roots.sort_unstable();

    let mut out = Vec::new();
    let mut reported: HashSet<(u32, u32)> = HashSet::new();
    for root in roots {
        let (root_class, root_method) = name(root);
        let entry = format!("{root_class}.{root_method}");
        let mut seen: HashSet<u32> = HashSet::from([root]);
        let mut queue: VecDeque<(u32, Vec<u32>)> = VecDeque::from([(root, Vec::new())]);
        while let Some((method, via)) = queue.pop_front() {
            let Some(calls) = by_caller.get(&method) else {
                continue;
            };
            for &(callee, offset) in calls {
                match callee_kind.get(callee as usize) {
                    Some(TypeKind::Local) if via.len() + 1 < MAX_DEPTH => {
                        // Constructing one of the app's classes runs its callbacks too.
                        let hooks = dex
                            .method_id(callee)
                            .ok()
                            .filter(|_| dex.method_ref(callee).is_ok_and(|r| r.name == "<init>"))
                            .and_then(|id| callbacks.get(&id.class_idx));
                        let mut next = via.clone();
                        next.push(callee);
                        for &hook in hooks.into_iter().flatten() {
                            if seen.insert(hook) {
                                let mut through = next.clone();
                                through.push(hook);
                                queue.push_back((hook, through));
                            }
                        }
                        if seen.insert(callee) {
                            queue.push_back((callee, next));
                        }
                    }
                    Some(TypeKind::Other) => {
                        if out.len() >= MAX_CALLS || !reported.insert((root, callee)) {
                            continue;
                        }
                        let (callee_class, callee_method) = name(callee);
                        out.push(StartupCall {
                            entry: entry.clone(),
                            via: via
                                .iter()
                                .map(|&m| {
                                    let (c, n) = name(m);
                                    format!("{c}.{n}")
                                })
                                .collect(),
                            callee_class,
                            callee_method,
                            party: Party::Unknown,
                            dex: dex_name.to_string(),
                            offset,
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    out
}
