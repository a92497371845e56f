//! Reachability: which methods can run, from the app's entry points, over every DEX.
//!
//! A rapid-type-analysis style search at method granularity. Entry points are the manifest's
//! components and Application class (and any class named in `<meta-data>`), plus classes the
//! system builds from layouts and fragments (a superclass chain ending in `android.view.`,
//! `android.widget.`, `android.app.Fragment` or AndroidX's `Fragment`/`Preference`).
//! Constructing a class (`new-instance`, `const-class`, or its name as a string: reflection)
//! makes every method it defines (and inherits) reachable: the callbacks the platform or a
//! library will invoke on it (`Runnable.run`, listeners, `Handler.handleMessage`, JavaScript
//! interfaces). A direct, static or virtual call reaches the method it names, or the nearest
//! definition up the superclass chain; touching a class reaches its static initialiser.
//!
//! Index-based: methods and classes get dense global ids, adjacency is a flat list per DEX,
//! and the search keeps one parent id per method for the shortest entry path.

use std::collections::{HashMap, VecDeque};

use ahash::AHashMap;

/// What a method does that can make more code reachable.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    /// Calls this method id.
    Call(u32),
    /// Constructs (or takes the `Class` of) this type id.
    Instantiate(u32),
    /// Touches a static member of this type id.
    Static(u32),
    /// Loads this string id (a class name handed to reflection, perhaps).
    Str(u32),
}

/// One DEX's share of the call graph, with strings resolved so DEX files can be joined.
#[derive(Debug, Default)]
pub struct DexGraph {
    /// Type descriptors, by type id.
    pub(crate) types: Vec<String>,
    /// Per method id: its class's type id and `name(proto)`.
    pub(crate) methods: Vec<(u32, String)>,
    /// Classes defined: type id, superclass type id, method ids defined.
    pub(crate) defined: Vec<(u32, Option<u32>, Vec<u32>)>,
    /// (caller method id, event), in walk order.
    pub(crate) events: Vec<(u32, Event)>,
    /// Strings loaded by `const-string` that name classes (dotted), by string id.
    pub(crate) strings: HashMap<u32, String>,
    /// Per API use of this DEX (same order): the calling method id.
    pub(crate) api_callers: Vec<u32>,
}

/// Platform superclasses whose subclasses the system instantiates from XML.
const INFLATED: &[&str] = &[
    "Landroid/view/",
    "Landroid/widget/",
    "Landroid/app/Fragment;",
    "Landroid/preference/",
    "Landroid/webkit/WebView;",
    "Landroidx/fragment/app/Fragment;",
    "Landroidx/preference/Preference;",
];

const ENTRY: u32 = u32::MAX;
/// A local method id that defines nothing.
const NONE: u32 = u32::MAX;

struct Global<'a> {
    class_ids: AHashMap<&'a str, u32>,
    /// (class id, signature id) → method id, for defined methods.
    method_ids: AHashMap<(u32, u32), u32>,
    /// Per method: its class id and signature id.
    method_class: Vec<u32>,
    method_sig: Vec<u32>,
    /// Per method: its events, translated to global ids.
    calls: Vec<Vec<Target>>,
    super_of: AHashMap<u32, u32>,
    class_methods: AHashMap<u32, Vec<u32>>,
    class_names: Vec<&'a str>,
}

#[derive(Clone, Copy)]
enum Target {
    /// A call: class id and signature id (resolved up the superclass chain when reached).
    Call(u32, u32),
    Instantiate(u32),
    Static(u32),
}

impl<'a> Global<'a> {
    fn class(&mut self, desc: &'a str) -> u32 {
        let next = self.class_names.len() as u32;
        let id = *self.class_ids.entry(desc).or_insert(next);
        if id == next {
            self.class_names.push(desc);
        }
        id
    }
}

/// Reachability of every API use: `(reachable, entry path)` per graph, per use.
pub(crate) fn reachability<'a>(
    graphs: &[&'a DexGraph],
    entry_classes: &[String],
) -> Vec<Vec<(bool, Vec<String>)>> {
    let mut g = Global {
        class_ids: AHashMap::new(),
        method_ids: AHashMap::new(),
        method_class: Vec::new(),
        method_sig: Vec::new(),
        calls: Vec::new(),
        super_of: AHashMap::new(),
        class_methods: AHashMap::new(),
        class_names: Vec::new(),
    };
    let mut sigs: AHashMap<&'a str, u32> = AHashMap::new();
    let mut sig_names: Vec<&'a str> = Vec::new();
    let mut sig_id = |s: &'a str, sig_names: &mut Vec<&'a str>| -> u32 {
        let next = sig_names.len() as u32;
        let id = *sigs.entry(s).or_insert(next);
        if id == next {
            sig_names.push(s);
        }
        id
    };
    // Per graph: local type id → global class id, local method id → (class id, signature id),
    // computed once per id so that events translate by indexing.
    let mut type_maps: Vec<Vec<u32>> = Vec::new();
    let mut method_maps: Vec<Vec<(u32, u32)>> = Vec::new();
    for graph in graphs.iter().copied() {
        let types: Vec<u32> = graph.types.iter().map(|d| g.class(d.as_str())).collect();
        let methods: Vec<(u32, u32)> = graph
            .methods
            .iter()
            .map(|(t, sig)| {
                (
                    types.get(*t as usize).copied().unwrap_or(u32::MAX),
                    sig_id(sig.as_str(), &mut sig_names),
                )
            })
            .collect();
        type_maps.push(types);
        method_maps.push(methods);
    }
    // Per graph: local method id → global defined method id (if defined).
    let mut local_defined: Vec<Vec<u32>> = Vec::new();
    for ((graph, types), methods_map) in graphs.iter().zip(&type_maps).zip(&method_maps) {
        let mut map = vec![NONE; graph.methods.len()];
        for (class_t, super_t, methods) in &graph.defined {
            let Some(&class) = types.get(*class_t as usize) else {
                continue;
            };
            if let Some(&sup) = super_t.and_then(|s| types.get(s as usize)) {
                g.super_of.insert(class, sup);
            }
            for &m in methods {
                let Some(&(_, sig)) = methods_map.get(m as usize) else {
                    continue;
                };
                let id = *g.method_ids.entry((class, sig)).or_insert_with(|| {
                    let id = g.method_class.len() as u32;
                    g.method_class.push(class);
                    g.method_sig.push(sig);
                    g.calls.push(Vec::new());
                    g.class_methods.entry(class).or_default().push(id);
                    id
                });
                if let Some(slot) = map.get_mut(m as usize) {
                    *slot = id;
                }
            }
        }
        local_defined.push(map);
    }
    for (((graph, map), types), methods_map) in graphs
        .iter()
        .zip(&local_defined)
        .zip(&type_maps)
        .zip(&method_maps)
    {
        for &(caller, event) in &graph.events {
            let Some(&from) = map.get(caller as usize).filter(|&&m| m != NONE) else {
                continue;
            };
            let target = match event {
                Event::Call(m) => match methods_map.get(m as usize) {
                    Some(&(class, sig)) if class != u32::MAX => Target::Call(class, sig),
                    _ => continue,
                },
                Event::Instantiate(t) => match types.get(t as usize) {
                    Some(&c) => Target::Instantiate(c),
                    None => continue,
                },
                Event::Static(t) => match types.get(t as usize) {
                    Some(&c) => Target::Static(c),
                    None => continue,
                },
                Event::Str(s) => {
                    let Some(name) = graph.strings.get(&s) else {
                        continue;
                    };
                    let desc = format!("L{};", name.replace('.', "/"));
                    match g.class_ids.get(desc.as_str()) {
                        Some(&c) => Target::Instantiate(c),
                        None => continue,
                    }
                }
            };
            if let Some(list) = g.calls.get_mut(from as usize) {
                list.push(target);
            }
        }
    }

    // The search.
    let n = g.method_class.len();
    let mut parent = vec![None::<u32>; n];
    let mut instantiated = vec![false; g.class_names.len()];
    let mut queue: VecDeque<u32> = VecDeque::new();
    let clinit = sig_id("<clinit>()V", &mut sig_names);
    let _ = &sigs;
    let find = |g: &Global, class: u32, sig: u32| -> Option<u32> {
        let mut c = class;
        for _ in 0..64 {
            if let Some(&m) = g.method_ids.get(&(c, sig)) {
                return Some(m);
            }
            c = *g.super_of.get(&c)?;
        }
        None
    };
    let reach = |m: u32, from: u32, parent: &mut Vec<Option<u32>>, queue: &mut VecDeque<u32>| {
        if let Some(slot) = parent.get_mut(m as usize)
            && slot.is_none()
        {
            *slot = Some(from);
            queue.push_back(m);
        }
    };
    let instantiate = |class: u32,
                       from: u32,
                       g: &Global,
                       instantiated: &mut Vec<bool>,
                       parent: &mut Vec<Option<u32>>,
                       queue: &mut VecDeque<u32>| {
        let mut c = class;
        for _ in 0..64 {
            match instantiated.get_mut(c as usize) {
                Some(seen) if !*seen => *seen = true,
                _ => return,
            }
            for &m in g.class_methods.get(&c).into_iter().flatten() {
                reach(m, from, parent, queue);
            }
            match g.super_of.get(&c) {
                Some(&s) => c = s,
                None => return,
            }
        }
    };
    let mut entries: Vec<u32> = entry_classes
        .iter()
        .filter_map(|c| {
            g.class_ids
                .get(format!("L{};", c.replace('.', "/")).as_str())
                .copied()
        })
        .collect();
    // Classes the system inflates from XML.
    for (&class, _) in g.class_methods.iter() {
        let mut c = class;
        for _ in 0..64 {
            let Some(&s) = g.super_of.get(&c) else { break };
            let name = g.class_names.get(s as usize).copied().unwrap_or("");
            if INFLATED.iter().any(|p| name.starts_with(p)) {
                entries.push(class);
                break;
            }
            c = s;
        }
    }
    entries.sort_unstable();
    entries.dedup();
    for class in entries {
        instantiate(class, ENTRY, &g, &mut instantiated, &mut parent, &mut queue);
    }
    while let Some(m) = queue.pop_front() {
        let count = g.calls.get(m as usize).map_or(0, Vec::len);
        for k in 0..count {
            let Some(&t) = g.calls.get(m as usize).and_then(|l| l.get(k)) else {
                break;
            };
            match t {
                Target::Call(class, sig) => {
                    if let Some(callee) = find(&g, class, sig) {
                        reach(callee, m, &mut parent, &mut queue);
                    }
                    if let Some(init) = find(&g, class, clinit) {
                        reach(init, m, &mut parent, &mut queue);
                    }
                }
                Target::Instantiate(c) => {
                    instantiate(c, m, &g, &mut instantiated, &mut parent, &mut queue)
                }
                Target::Static(c) => {
                    if let Some(init) = find(&g, c, clinit) {
                        reach(init, m, &mut parent, &mut queue);
                    }
                }
            }
        }
    }

    let path = |m: u32| -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(m);
        for _ in 0..64 {
            let Some(c) = cur else { break };
            if c == ENTRY {
                break;
            }
            let class = g
                .method_class
                .get(c as usize)
                .and_then(|&k| g.class_names.get(k as usize));
            let sig = g
                .method_sig
                .get(c as usize)
                .and_then(|&k| sig_names.get(k as usize));
            if let (Some(class), Some(sig)) = (class, sig) {
                let name = sig.split('(').next().unwrap_or(sig);
                out.push(format!("{}.{name}", hegui_dex::descriptor_to_java(class)));
            }
            cur = parent.get(c as usize).copied().flatten();
        }
        out.reverse();
        out
    };
    graphs
        .iter()
        .zip(&local_defined)
        .map(|(graph, map)| {
            graph
                .api_callers
                .iter()
                .map(
                    |&caller| match map.get(caller as usize).filter(|&&m| m != NONE) {
                        Some(&m) if parent.get(m as usize).copied().flatten().is_some() => {
                            (true, path(m))
                        }
                        Some(_) => (false, Vec::new()),
                        // Not a defined method (cannot happen for walked code): say reachable.
                        None => (true, Vec::new()),
                    },
                )
                .collect()
        })
        .collect()
}
