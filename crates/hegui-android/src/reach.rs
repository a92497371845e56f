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

use std::collections::VecDeque;

use ahash::AHashMap;

use crate::graph::{DexGraph, Event, NONE};

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

/// The parent of a method reached from an entry point directly.
const ENTRY: u32 = u32::MAX - 1;
/// Superclass chains longer than this are taken as cycles (a hostile DEX can make one).
const MAX_DEPTH: usize = 64;

/// What reaching a method makes reachable next, packed in a `u32`: a method id, or a class
/// id with [`INSTANTIATE`] set (constructing it).
type Target = u32;
const INSTANTIATE: u32 = 1 << 31;

/// Global ids over every DEX: classes and names by text, prototypes by their class ids.
#[derive(Default)]
struct Interner<'a> {
    class_ids: AHashMap<&'a str, u32>,
    class_names: Vec<&'a str>,
    name_ids: AHashMap<&'a str, u32>,
    names: Vec<&'a str>,
    proto_ids: AHashMap<Box<[u32]>, u32>,
}

impl<'a> Interner<'a> {
    fn class(&mut self, descriptor: &'a str) -> u32 {
        if descriptor.is_empty() {
            return NONE;
        }
        let next = self.class_names.len() as u32;
        let id = *self.class_ids.entry(descriptor).or_insert(next);
        if id == next {
            self.class_names.push(descriptor);
        }
        id
    }

    fn name(&mut self, name: &'a str) -> u32 {
        let next = self.names.len() as u32;
        let id = *self.name_ids.entry(name).or_insert(next);
        if id == next {
            self.names.push(name);
        }
        id
    }

    fn proto(&mut self, classes: &[u32]) -> u32 {
        if let Some(&id) = self.proto_ids.get(classes) {
            return id;
        }
        let id = self.proto_ids.len() as u32;
        self.proto_ids.insert(classes.into(), id);
        id
    }
}

/// One DEX's local ids translated to global ones.
struct LocalIds {
    types: Vec<u32>,
    /// Per method id: global (class, name, prototype).
    methods: Vec<(u32, u32, u32)>,
    /// Per method id: the global id of the method it defines, or [`NONE`].
    defined: Vec<u32>,
}

/// Every defined method of the app, with the classes' hierarchy.
struct Program<'a> {
    ids: Interner<'a>,
    method_ids: AHashMap<(u32, u32, u32), u32>,
    method_class: Vec<u32>,
    method_name: Vec<u32>,
    /// By class id: superclass id or [`NONE`], static initialiser or [`NONE`].
    super_of: Vec<u32>,
    clinit: Vec<u32>,
    /// By class id: a range of `class_method_list`.
    class_method_ranges: Vec<(u32, u32)>,
    class_method_list: Vec<u32>,
}

impl Program<'_> {
    /// The method a call to `(class, name, proto)` runs: defined there or inherited.
    fn resolve(&self, class: u32, name: u32, proto: u32) -> Option<u32> {
        self.up_the_chain(class, |c| self.method_ids.get(&(c, name, proto)).copied())
    }

    /// The static initialiser that touching `class` runs (its own or a superclass's).
    fn static_init(&self, class: u32) -> Option<u32> {
        self.up_the_chain(class, |c| {
            self.clinit.get(c as usize).copied().filter(|&m| m != NONE)
        })
    }

    /// The first answer of `at` on `class` or up its superclass chain.
    fn up_the_chain(&self, class: u32, at: impl Fn(u32) -> Option<u32>) -> Option<u32> {
        let mut c = class;
        for _ in 0..MAX_DEPTH {
            if let Some(found) = at(c) {
                return Some(found);
            }
            c = self.superclass(c)?;
        }
        None
    }

    fn methods_of(&self, class: u32) -> &[u32] {
        self.class_method_ranges
            .get(class as usize)
            .and_then(|&(start, end)| self.class_method_list.get(start as usize..end as usize))
            .unwrap_or(&[])
    }

    /// Whether the class or a superclass defines anything: only those can be reached.
    fn is_known(&self, class: u32) -> bool {
        !self.methods_of(class).is_empty()
            || self
                .super_of
                .get(class as usize)
                .is_some_and(|&s| s != NONE)
    }

    fn superclass(&self, class: u32) -> Option<u32> {
        self.super_of
            .get(class as usize)
            .copied()
            .filter(|&s| s != NONE)
    }
}

/// Turn per-slot counts into start offsets (each slot plus all before it).
fn running_sums(counts: &mut [u32]) {
    let mut total = 0u32;
    for c in counts.iter_mut() {
        total = total.saturating_add(*c);
        *c = total;
    }
}

/// Intern every DEX's names and collect the defined methods.
fn build_program<'a>(graphs: &[&'a DexGraph]) -> (Program<'a>, Vec<LocalIds>) {
    // Sized up front: growing these maps costs more than filling them.
    let total = |f: fn(&DexGraph) -> usize| graphs.iter().map(|g| f(g)).sum::<usize>();
    // Within one DEX, names and prototypes are unique already: only several DEX files need
    // them joined by text.
    let single = graphs.len() == 1;
    let mut ids = Interner {
        class_ids: AHashMap::with_capacity(total(|g| g.types.len())),
        ..Interner::default()
    };
    if !single {
        ids.name_ids.reserve(total(|g| g.tables.names.len()));
        ids.proto_ids.reserve(total(|g| g.tables.proto_count()));
    }
    let mut locals: Vec<LocalIds> = Vec::with_capacity(graphs.len());
    let mut scratch: Vec<u32> = Vec::new();
    for graph in graphs.iter().copied() {
        let tables = &graph.tables;
        let types: Vec<u32> = (0..graph.types.len() as u32)
            .map(|t| ids.class(graph.types.get(t)))
            .collect();
        let names: Vec<u32> = if single {
            ids.names = (0..tables.names.len() as u32)
                .map(|n| tables.names.get(n))
                .collect();
            (0..tables.names.len() as u32).collect()
        } else {
            (0..tables.names.len() as u32)
                .map(|n| ids.name(tables.names.get(n)))
                .collect()
        };
        let protos: Vec<u32> = if single {
            (0..tables.proto_count() as u32).collect()
        } else {
            (0..tables.proto_count() as u32)
                .map(|p| {
                    scratch.clear();
                    scratch.extend(
                        tables
                            .proto(p)
                            .iter()
                            .map(|&t| types.get(t as usize).copied().unwrap_or(NONE)),
                    );
                    ids.proto(&scratch)
                })
                .collect()
        };
        let lookup = |v: &[u32], i: u32| v.get(i as usize).copied().unwrap_or(NONE);
        let methods = tables
            .methods
            .iter()
            .map(|k| {
                (
                    lookup(&types, k.class),
                    lookup(&names, k.name),
                    lookup(&protos, k.proto),
                )
            })
            .collect();
        locals.push(LocalIds {
            types,
            methods,
            defined: vec![NONE; tables.methods.len()],
        });
    }
    let class_count = ids.class_names.len();
    let clinit_name = ids
        .names
        .iter()
        .position(|n| *n == "<clinit>")
        .map_or(NONE, |i| i as u32);
    let mut p = Program {
        ids,
        method_ids: AHashMap::with_capacity(total(|g| g.tables.methods.len())),
        method_class: Vec::new(),
        method_name: Vec::new(),
        super_of: vec![NONE; class_count],
        clinit: vec![NONE; class_count],
        class_method_ranges: Vec::new(),
        class_method_list: Vec::new(),
    };
    for (graph, local) in graphs.iter().zip(locals.iter_mut()) {
        for def in &graph.tables.classes {
            let Some(&class) = local.types.get(def.class as usize).filter(|&&c| c != NONE) else {
                continue;
            };
            if let (Some(slot), Some(&sup)) = (
                p.super_of.get_mut(class as usize),
                local.types.get(def.superclass as usize),
            ) {
                *slot = sup;
            }
            for &m in graph.tables.class_methods(def) {
                let Some(&(_, name, proto)) = local.methods.get(m as usize) else {
                    continue;
                };
                let next = p.method_class.len() as u32;
                let id = *p.method_ids.entry((class, name, proto)).or_insert(next);
                if id == next {
                    p.method_class.push(class);
                    p.method_name.push(name);
                    if name == clinit_name
                        && let Some(slot) = p.clinit.get_mut(class as usize)
                    {
                        *slot = id;
                    }
                }
                if let Some(slot) = local.defined.get_mut(m as usize) {
                    *slot = id;
                }
            }
        }
    }
    // Methods grouped by class (a counting sort over their class ids).
    let mut counts = vec![0u32; class_count + 1];
    for &c in &p.method_class {
        if let Some(n) = counts.get_mut(c as usize + 1) {
            *n += 1;
        }
    }
    running_sums(&mut counts);
    let mut fill = counts.clone();
    p.class_method_list = vec![0; p.method_class.len()];
    for (m, &c) in p.method_class.iter().enumerate() {
        if let Some(pos) = fill.get_mut(c as usize)
            && let Some(slot) = p.class_method_list.get_mut(*pos as usize)
        {
            *slot = m as u32;
            *pos += 1;
        }
    }
    p.class_method_ranges = counts.windows(2).map(|w| (w[0], w[1])).collect();
    (p, locals)
}

/// Per method: what reaching it makes reachable, as one flat list (`offsets` per method).
struct Edges {
    offsets: Vec<u32>,
    targets: Vec<Target>,
}

impl Edges {
    fn of(&self, m: u32) -> &[Target] {
        let m = m as usize;
        match (self.offsets.get(m), self.offsets.get(m + 1)) {
            (Some(&a), Some(&b)) => self.targets.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// One DEX's events as edges between global methods. Calls are resolved up the superclass
/// chain here, once per method named (not each time a caller is reached); events that can
/// reach nothing the app defines (calls into the platform) are dropped.
fn dex_edges(
    graph: &DexGraph,
    local: &LocalIds,
    p: &Program<'_>,
    mut emit: impl FnMut(u32, Target),
) {
    let mut calls: Vec<Option<[u32; 2]>> = vec![None; local.methods.len()];
    let mut inits: Vec<Option<u32>> = vec![None; local.types.len()];
    let class_of_type = |t: u32| local.types.get(t as usize).copied().filter(|&c| c != NONE);
    for &(caller, event) in &graph.events {
        let Some(&from) = local.defined.get(caller as usize).filter(|&&m| m != NONE) else {
            continue;
        };
        match event {
            Event::Call(m) => {
                let Some(slot) = calls.get_mut(m as usize) else {
                    continue;
                };
                let resolved = *slot.get_or_insert_with(|| match local.methods.get(m as usize) {
                    Some(&(class, name, proto)) if class != NONE && p.is_known(class) => [
                        p.resolve(class, name, proto).unwrap_or(NONE),
                        p.static_init(class).unwrap_or(NONE),
                    ],
                    _ => [NONE; 2],
                });
                for target in resolved {
                    if target < INSTANTIATE {
                        emit(from, target);
                    }
                }
            }
            Event::Instantiate(t) => {
                if let Some(c) = class_of_type(t).filter(|&c| p.is_known(c) && c < INSTANTIATE) {
                    emit(from, c | INSTANTIATE);
                }
            }
            Event::Static(t) => {
                let Some(slot) = inits.get_mut(t as usize) else {
                    continue;
                };
                let init = *slot.get_or_insert_with(|| {
                    class_of_type(t)
                        .and_then(|c| p.static_init(c))
                        .unwrap_or(NONE)
                });
                if init < INSTANTIATE {
                    emit(from, init);
                }
            }
            Event::Str(s) => {
                if let Some(&c) = graph
                    .class_string(s)
                    .and_then(|d| p.ids.class_ids.get(d))
                    .filter(|&&c| p.is_known(c) && c < INSTANTIATE)
                {
                    emit(from, c | INSTANTIATE);
                }
            }
        }
    }
}

/// Every DEX's edges, grouped by caller. The walk emits a method's events together, so the
/// edges usually arrive grouped already and are stored as they come; a caller met twice (a
/// class defined in two DEX files) falls back to a counting sort.
fn build_edges(graphs: &[&DexGraph], locals: &[LocalIds], p: &Program<'_>) -> Edges {
    let n = p.method_class.len();
    let mut starts = vec![NONE; n];
    let mut ends = vec![0u32; n];
    let mut targets: Vec<Target> = Vec::new();
    let mut current = NONE;
    let mut grouped = true;
    for (graph, local) in graphs.iter().zip(locals) {
        dex_edges(graph, local, p, |from, target| {
            if from != current {
                match starts.get_mut(from as usize) {
                    Some(start) if *start == NONE => *start = targets.len() as u32,
                    _ => grouped = false,
                }
                current = from;
            }
            targets.push(target);
            if let Some(end) = ends.get_mut(from as usize) {
                *end = targets.len() as u32;
            }
        });
    }
    if grouped {
        // Re-lay the runs in method order so that `offsets` describes them.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut ordered = Vec::with_capacity(targets.len());
        offsets.push(0);
        for (&start, &end) in starts.iter().zip(&ends) {
            if start != NONE {
                ordered.extend_from_slice(targets.get(start as usize..end as usize).unwrap_or(&[]));
            }
            offsets.push(ordered.len() as u32);
        }
        return Edges {
            offsets,
            targets: ordered,
        };
    }
    let mut pairs: Vec<(u32, Target)> = Vec::new();
    for (graph, local) in graphs.iter().zip(locals) {
        dex_edges(graph, local, p, |from, target| pairs.push((from, target)));
    }
    let mut offsets = vec![0u32; n + 1];
    for &(from, _) in &pairs {
        if let Some(c) = offsets.get_mut(from as usize + 1) {
            *c += 1;
        }
    }
    running_sums(&mut offsets);
    let mut fill = offsets.clone();
    let mut targets = vec![NONE; pairs.len()];
    for (from, target) in pairs {
        if let Some(pos) = fill.get_mut(from as usize)
            && let Some(slot) = targets.get_mut(*pos as usize)
        {
            *slot = target;
            *pos += 1;
        }
    }
    Edges { offsets, targets }
}

/// The search's state: one parent per reached method, the classes constructed so far.
struct Search<'p, 'a> {
    program: &'p Program<'a>,
    parent: Vec<u32>,
    instantiated: Vec<bool>,
    queue: VecDeque<u32>,
}

impl Search<'_, '_> {
    fn reach(&mut self, m: u32, from: u32) {
        if let Some(slot) = self.parent.get_mut(m as usize)
            && *slot == NONE
        {
            *slot = from;
            self.queue.push_back(m);
        }
    }

    /// Constructing a class makes every method it defines or inherits reachable.
    fn instantiate(&mut self, class: u32, from: u32) {
        let program = self.program;
        let mut c = class;
        for _ in 0..MAX_DEPTH {
            match self.instantiated.get_mut(c as usize) {
                Some(seen) if !*seen => *seen = true,
                _ => return,
            }
            for &m in program.methods_of(c) {
                self.reach(m, from);
            }
            match program.superclass(c) {
                Some(s) => c = s,
                None => return,
            }
        }
    }

    fn reached(&self, m: u32) -> bool {
        self.parent.get(m as usize).is_some_and(|&p| p != NONE)
    }

    /// Entry point first, `m` last: `class.method` names, dotted.
    fn path(&self, m: u32) -> Vec<String> {
        let p = self.program;
        let mut out = Vec::new();
        let mut cur = m;
        for _ in 0..MAX_DEPTH {
            if cur == ENTRY || cur == NONE {
                break;
            }
            let class = p
                .method_class
                .get(cur as usize)
                .and_then(|&k| p.ids.class_names.get(k as usize));
            let name = p
                .method_name
                .get(cur as usize)
                .and_then(|&k| p.ids.names.get(k as usize));
            if let (Some(class), Some(name)) = (class, name) {
                out.push(format!("{}.{name}", hegui_dex::descriptor_to_java(class)));
            }
            cur = self.parent.get(cur as usize).copied().unwrap_or(NONE);
        }
        out.reverse();
        out
    }
}

/// Classes the search starts from: the named entry classes and those inflated from XML.
fn entry_classes(p: &Program<'_>, named: &[String]) -> Vec<u32> {
    let mut entries: Vec<u32> = named
        .iter()
        .filter_map(|c| {
            p.ids
                .class_ids
                .get(format!("L{};", c.replace('.', "/")).as_str())
                .copied()
        })
        .collect();
    for class in 0..p.class_method_ranges.len() as u32 {
        if p.methods_of(class).is_empty() {
            continue;
        }
        let mut c = class;
        for _ in 0..MAX_DEPTH {
            let Some(s) = p.superclass(c) else { break };
            let name = p.ids.class_names.get(s as usize).copied().unwrap_or("");
            if INFLATED.iter().any(|prefix| name.starts_with(prefix)) {
                entries.push(class);
                break;
            }
            c = s;
        }
    }
    entries.sort_unstable();
    entries.dedup();
    entries
}

/// `(reachable, entry path)` of one call site.
type Reached = (bool, Vec<String>);

/// Reachability of every API use and code load: `(reachable, entry path)` per graph, per
/// site, API uses first.
pub(crate) fn reachability(
    graphs: &[&DexGraph],
    entry_class_names: &[String],
) -> Vec<(Vec<Reached>, Vec<Reached>)> {
    let (program, locals) = build_program(graphs);
    let edges = build_edges(graphs, &locals, &program);
    let mut search = Search {
        program: &program,
        parent: vec![NONE; program.method_class.len()],
        instantiated: vec![false; program.ids.class_names.len()],
        queue: VecDeque::new(),
    };
    for class in entry_classes(&program, entry_class_names) {
        search.instantiate(class, ENTRY);
    }
    while let Some(m) = search.queue.pop_front() {
        for &target in edges.of(m) {
            if target & INSTANTIATE != 0 {
                search.instantiate(target & !INSTANTIATE, m);
            } else {
                search.reach(target, m);
            }
        }
    }
    graphs
        .iter()
        .zip(&locals)
        .map(|(graph, local)| {
            let of = |callers: &[u32]| -> Vec<Reached> {
                callers
                    .iter()
                    .map(|&caller| match local.defined.get(caller as usize) {
                        Some(&m) if m != NONE && search.reached(m) => (true, search.path(m)),
                        Some(&m) if m != NONE => (false, Vec::new()),
                        // Not a defined method (cannot happen for walked code): say reachable.
                        _ => (true, Vec::new()),
                    })
                    .collect()
            };
            (of(&graph.api_callers), of(&graph.load_callers))
        })
        .collect()
}
