//! What runs when the process starts: calls reached from `Application.onCreate` and
//! `attachBaseContext`, following the app's own methods a few calls deep.
//!
//! The walker records, for methods of the app's own classes only, each call to a method that
//! is not part of the Android/Java platform. This module then walks those edges from the
//! Application class's lifecycle methods. The search stays inside one DEX (multidex keeps the
//! Application class and what it references in the main DEX) and three calls deep.

use std::collections::{HashMap, HashSet, VecDeque};

use hegui_dex::Dex;
use hegui_model::{Party, StartupCall};

/// How deep to follow the app's own methods from a lifecycle method.
const MAX_DEPTH: usize = 3;
/// Enough for any real Application; a hostile DEX cannot make the list unbounded.
const MAX_CALLS: usize = 1_000;
const ENTRY_METHODS: &[&str] = &["onCreate", "attachBaseContext"];

/// What a type is, for the startup search.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TypeKind {
    /// Android, Java, Kotlin and AndroidX classes: never a third party's initialisation.
    Platform,
    /// The app's own package (and its Application class).
    Local,
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
    /// `Lcom/example/app/` for package `com.example.app`.
    package_path: String,
    /// `Lcom/example/App;`.
    app_class: Option<String>,
}

impl AppScope {
    pub fn new(package: &str, app_class: Option<&str>) -> Self {
        AppScope {
            package_path: if package.is_empty() {
                String::new()
            } else {
                format!("L{}/", package.replace('.', "/"))
            },
            app_class: app_class.map(|c| format!("L{};", c.replace('.', "/"))),
        }
    }

    pub(crate) fn kind_of(&self, descriptor: &str) -> TypeKind {
        if self.app_class.as_deref() == Some(descriptor)
            || (!self.package_path.is_empty() && descriptor.starts_with(&self.package_path))
        {
            TypeKind::Local
        } else if PLATFORM.iter().any(|p| descriptor.starts_with(p)) {
            TypeKind::Platform
        } else {
            TypeKind::Other
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
            dex.method_id(m)
                .is_ok_and(|id| u32::from(id.class_idx) == app_type)
                && dex
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
                    Some(TypeKind::Local) if via.len() + 1 < MAX_DEPTH && seen.insert(callee) => {
                        let mut next = via.clone();
                        next.push(callee);
                        queue.push_back((callee, next));
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
