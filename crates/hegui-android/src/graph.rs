//! One DEX's share of the call graph, kept after the DEX bytes are gone.
//!
//! DEX files of one app must be joined by name (a class defined in `classes2.dex` is called
//! from `classes.dex`), so the graph keeps names, but compactly: every type descriptor and
//! every distinct method name once, in one text buffer, and a method as three small ids
//! (class type, name, prototype) instead of a `name(proto)` string per method. Building it
//! costs one descriptor decode per type and one per distinct method name.

use ahash::AHashMap;
use hegui_dex::Dex;

/// Marks "no such id" in the tables below.
pub(crate) const NONE: u32 = u32::MAX;

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

/// A range of a buffer.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// Strings kept in one buffer, each known by its index (one allocation, not one per string).
#[derive(Debug, Default)]
pub(crate) struct TextTable {
    text: String,
    spans: Vec<Span>,
}

impl TextTable {
    pub(crate) fn with_capacity(count: usize) -> Self {
        TextTable {
            text: String::with_capacity(count * 24),
            spans: Vec::with_capacity(count),
        }
    }

    /// Append `s`; its index is returned.
    pub(crate) fn push(&mut self, s: &str) -> u32 {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push(Span {
            start,
            len: s.len() as u32,
        });
        (self.spans.len() - 1) as u32
    }

    /// String `i` ("" when there is none).
    pub(crate) fn get(&self, i: u32) -> &str {
        self.spans
            .get(i as usize)
            .and_then(|span| self.text.get(span.range()))
            .unwrap_or("")
    }

    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }
}

/// A method id: its class's type id, its name (index into `names`) and its prototype id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MethodKey {
    pub(crate) class: u32,
    pub(crate) name: u32,
    pub(crate) proto: u32,
}

/// A class this DEX defines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DefinedClass {
    pub(crate) class: u32,
    /// Superclass type id, or [`NONE`].
    pub(crate) superclass: u32,
    /// Its methods: a range of `defined_methods`.
    methods: Span,
}

/// The method, prototype and class tables of one DEX, by their ids in it.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// Distinct method names.
    pub(crate) names: TextTable,
    /// Per prototype id: a range of `proto_types` (return type, then parameters).
    protos: Vec<Span>,
    proto_types: Vec<u32>,
    /// Per method id.
    pub(crate) methods: Vec<MethodKey>,
    pub(crate) classes: Vec<DefinedClass>,
    defined_methods: Vec<u32>,
}

impl Tables {
    /// Read the method, prototype and class tables of `dex`.
    pub(crate) fn read(dex: &Dex<'_>) -> Self {
        let mut t = Tables::default();
        // Method names are string ids: decode each distinct one once.
        let mut name_of_string = vec![NONE; dex.string_count() as usize];
        t.methods.reserve(dex.method_count() as usize);
        for m in 0..dex.method_count() {
            let Ok(id) = dex.method_id(m) else {
                t.methods.push(MethodKey {
                    class: NONE,
                    name: NONE,
                    proto: NONE,
                });
                continue;
            };
            let name = match name_of_string.get_mut(id.name_idx as usize) {
                Some(slot) if *slot != NONE => *slot,
                Some(slot) => {
                    *slot = t.names.push(&dex.string(id.name_idx).unwrap_or_default());
                    *slot
                }
                None => NONE,
            };
            t.methods.push(MethodKey {
                class: u32::from(id.class_idx),
                name,
                proto: u32::from(id.proto_idx),
            });
        }
        // Prototype ids are 16-bit in the format.
        for p in 0..dex.proto_count().min(1 << 16) {
            let start = t.proto_types.len() as u32;
            if let Ok(proto) = dex.proto_id(p as u16) {
                t.proto_types.push(proto.return_type_idx);
                if let Ok(params) = dex.proto_parameters(p as u16) {
                    t.proto_types.extend(params);
                }
            }
            let len = t.proto_types.len() as u32 - start;
            t.protos.push(Span { start, len });
        }
        for def in dex.class_defs().filter_map(Result::ok) {
            let start = t.defined_methods.len() as u32;
            if let Ok(methods) = dex.class_methods(&def) {
                t.defined_methods
                    .extend(methods.iter().map(|m| m.method_idx));
            }
            let len = t.defined_methods.len() as u32 - start;
            t.classes.push(DefinedClass {
                class: def.class_idx,
                superclass: def.superclass_idx.unwrap_or(NONE),
                methods: Span { start, len },
            });
        }
        t
    }

    pub(crate) fn proto_count(&self) -> usize {
        self.protos.len()
    }

    /// Return type then parameter types of prototype `p`.
    pub(crate) fn proto(&self, p: u32) -> &[u32] {
        self.protos
            .get(p as usize)
            .and_then(|span| self.proto_types.get(span.range()))
            .unwrap_or(&[])
    }

    pub(crate) fn class_methods(&self, class: &DefinedClass) -> &[u32] {
        self.defined_methods
            .get(class.methods.range())
            .unwrap_or(&[])
    }
}

/// One DEX's share of the call graph, with names kept so DEX files can be joined.
#[derive(Debug, Default)]
pub struct DexGraph {
    /// Type descriptors, by type id ("" for an unreadable one).
    pub(crate) types: TextTable,
    pub(crate) tables: Tables,
    /// (caller method id, event), in walk order.
    pub(crate) events: Vec<(u32, Event)>,
    /// Strings loaded by `const-string` that may name classes: string id → index into
    /// `class_names`, which holds them in descriptor form.
    class_strings: AHashMap<u32, u32>,
    class_names: TextTable,
    /// Per API use of this DEX (same order): the calling method id.
    pub(crate) api_callers: Vec<u32>,
    /// Per code load of this DEX (same order): the calling method id.
    pub(crate) load_callers: Vec<u32>,
}

impl DexGraph {
    /// The class a string names (descriptor form), if the walk recorded it.
    pub(crate) fn class_string(&self, string_idx: u32) -> Option<&str> {
        self.class_strings
            .get(&string_idx)
            .map(|&i| self.class_names.get(i))
    }

    pub(crate) fn has_class_string(&self, string_idx: u32) -> bool {
        self.class_strings.contains_key(&string_idx)
    }

    /// Record that string `string_idx` (a dotted name) may name a class.
    pub(crate) fn add_class_string(&mut self, string_idx: u32, dotted: &str) {
        if self.has_class_string(string_idx) {
            return;
        }
        let i = self
            .class_names
            .push(&format!("L{};", dotted.replace('.', "/")));
        self.class_strings.insert(string_idx, i);
    }
}
