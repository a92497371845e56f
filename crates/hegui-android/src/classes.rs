//! Facts read from a DEX's class definitions rather than its code walk: the class names (input
//! of SDK detection), TLS callbacks that trust anything, services that ask to be restarted, and
//! version-like string constants. Independent of the walk, so it runs beside it.

use hegui_dex::{ClassDef, Dex, descriptor_to_java};
use hegui_model::{Party, StickyService, TlsOverride, TlsOverrideKind};

use crate::graph::{NONE, TextTable};

const MAX_VERSION_CONSTANTS: usize = 5_000;

/// Platform types whose subclasses or implementations mean something to a rule.
pub(crate) const LANDMARKS: [&str; 5] = [
    "Ljavax/net/ssl/X509TrustManager;",
    "Ljavax/net/ssl/X509ExtendedTrustManager;",
    "Ljavax/net/ssl/HostnameVerifier;",
    "Landroid/webkit/WebViewClient;",
    "Landroid/app/Service;",
];
const TRUST_MANAGER: usize = 0;
const EXTENDED_TRUST_MANAGER: usize = 1;
const HOSTNAME_VERIFIER: usize = 2;
const WEBVIEW_CLIENT: usize = 3;
const SERVICE: usize = 4;

/// A version-like static string constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionConstant {
    /// Dotted class name.
    pub class: String,
    pub field: String,
    pub value: String,
}

/// What the class definitions of one DEX say.
#[derive(Debug, Default)]
pub(crate) struct ClassFacts {
    /// Dotted names of every class defined.
    pub(crate) classes: Vec<String>,
    pub(crate) tls_overrides: Vec<TlsOverride>,
    /// `onReceivedSslError` overrides (index into `tls_overrides`, method id): whether they
    /// proceed is known only once the code walk has found who calls `SslErrorHandler.proceed`.
    pub(crate) ssl_error_handlers: Vec<(usize, u32)>,
    pub(crate) sticky_services: Vec<StickyService>,
    pub(crate) version_constants: Vec<VersionConstant>,
}

/// Read the class definitions of `dex`; `types` holds its type descriptors and `landmarks`
/// the type ids of [`LANDMARKS`] ([`NONE`] for those it does not reference).
pub(crate) fn read_classes(
    dex: &Dex<'_>,
    dex_name: &str,
    types: &TextTable,
    landmarks: [u32; LANDMARKS.len()],
) -> ClassFacts {
    let defs: Vec<_> = dex.class_defs().filter_map(Result::ok).collect();
    // By type id: the superclass of each class this DEX defines.
    let mut local_super = vec![NONE; dex.type_count() as usize];
    for d in &defs {
        if let (Some(slot), Some(s)) = (local_super.get_mut(d.class_idx as usize), d.superclass_idx)
        {
            *slot = s;
        }
    }
    let extends = |class: u32, landmark: usize| extends(&local_super, class, landmarks[landmark]);
    let implements = |def: &ClassDef<'_>, landmark: usize| {
        let t = landmarks[landmark];
        t != NONE && def.interfaces.contains(&t)
    };
    let mut reader = ClassReader {
        dex,
        dex_name,
        out: ClassFacts::default(),
    };
    reader.out.classes.reserve(defs.len());
    for def in &defs {
        let class_java = descriptor_to_java(types.get(def.class_idx));
        let kind =
            if implements(def, TRUST_MANAGER) || extends(def.class_idx, EXTENDED_TRUST_MANAGER) {
                Some((TlsOverrideKind::TrustManager, "checkServerTrusted"))
            } else if implements(def, HOSTNAME_VERIFIER) {
                Some((TlsOverrideKind::HostnameVerifier, "verify"))
            } else if extends(def.class_idx, WEBVIEW_CLIENT) {
                Some((TlsOverrideKind::WebViewSslError, "onReceivedSslError"))
            } else {
                None
            };
        if extends(def.class_idx, SERVICE) {
            reader.sticky_start(def, &class_java);
        }
        if def.static_values_off != 0 {
            reader.version_constants(def, &class_java);
        }
        if let Some((kind, wanted)) = kind {
            reader.tls_override(def, &class_java, kind, wanted);
        }
        reader.out.classes.push(class_java);
    }
    reader.out
}

struct ClassReader<'d, 'a> {
    dex: &'d Dex<'a>,
    dex_name: &'d str,
    out: ClassFacts,
}

impl ClassReader<'_, '_> {
    /// Record the `wanted` method of a TLS callback class, and whether it accepts anything.
    fn tls_override(
        &mut self,
        def: &ClassDef<'_>,
        class_java: &str,
        kind: TlsOverrideKind,
        wanted: &str,
    ) {
        let dex = self.dex;
        let Ok(methods) = dex.class_methods(def) else {
            return;
        };
        for m in methods {
            if !dex.method_ref(m.method_idx).is_ok_and(|r| r.name == wanted) {
                continue;
            }
            let Ok(Some(code)) = dex.code_item(m.code_off) else {
                continue;
            };
            let accepts_all = match kind {
                TlsOverrideKind::TrustManager => returns_without_work(code.insns),
                TlsOverrideKind::HostnameVerifier => returns_constant_true(code.insns),
                TlsOverrideKind::WebViewSslError => {
                    self.out
                        .ssl_error_handlers
                        .push((self.out.tls_overrides.len(), m.method_idx));
                    false
                }
            };
            self.out.tls_overrides.push(TlsOverride {
                kind,
                class: class_java.to_string(),
                method: wanted.to_string(),
                accepts_all,
                dex: self.dex_name.to_string(),
                offset: code.insns_file_offset,
                party: Party::Unknown,
            });
        }
    }

    /// Record static string fields whose name says "version" and whose value looks like one.
    fn version_constants(&mut self, def: &ClassDef<'_>, class_java: &str) {
        if self.out.version_constants.len() >= MAX_VERSION_CONSTANTS {
            return;
        }
        let dex = self.dex;
        let (Ok(fields), Ok(values)) = (dex.class_fields(def), dex.static_values(def)) else {
            return;
        };
        let statics = fields.iter().filter(|f| f.is_static);
        for (field, value) in statics.zip(values) {
            let hegui_dex::StaticValue::String(string_idx) = value else {
                continue;
            };
            let Ok(fref) = dex.field_ref(field.field_idx) else {
                continue;
            };
            if !fref.name.to_ascii_lowercase().contains("version") {
                continue;
            }
            let Ok(text) = dex.string(string_idx) else {
                continue;
            };
            if looks_like_version(&text) {
                self.out.version_constants.push(VersionConstant {
                    class: class_java.to_string(),
                    field: fref.name.into_owned(),
                    value: text.into_owned(),
                });
            }
        }
    }

    /// Record a service whose `onStartCommand` returns START_STICKY / START_REDELIVER_INTENT.
    fn sticky_start(&mut self, def: &ClassDef<'_>, class_java: &str) {
        let dex = self.dex;
        let Ok(methods) = dex.class_methods(def) else {
            return;
        };
        for m in methods {
            if !dex
                .method_ref(m.method_idx)
                .is_ok_and(|r| r.name == "onStartCommand")
            {
                continue;
            }
            let Ok(Some(code)) = dex.code_item(m.code_off) else {
                continue;
            };
            if let Some(start_mode) = returned_start_mode(code.insns) {
                self.out.sticky_services.push(StickyService {
                    class: class_java.to_string(),
                    start_mode,
                    dex: self.dex_name.to_string(),
                    offset: code.insns_file_offset,
                    party: Party::Unknown,
                });
            }
        }
    }
}

/// Type `class` extends type `ancestor`, following superclasses defined in the same DEX.
fn extends(supers: &[u32], class: u32, ancestor: u32) -> bool {
    if ancestor == NONE {
        return false;
    }
    let mut current = class;
    for _ in 0..32 {
        match supers.get(current as usize) {
            Some(&parent) if parent == ancestor => return true,
            Some(&parent) if parent != NONE => current = parent,
            _ => return false,
        }
    }
    false
}

/// A `const/4 vA, #1|#3` immediately followed by `return vA`: the method returns
/// START_STICKY or START_REDELIVER_INTENT. Scans code units, not decoded instructions, so a
/// payload could in theory match; the pattern is two specific units in a row.
fn returned_start_mode(insns: &[u8]) -> Option<u8> {
    let units: Vec<u16> = insns
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    units.windows(2).find_map(|w| {
        let (constant, ret) = (w[0], w[1]);
        let reg = (constant >> 8) & 0x0f;
        let literal = (constant >> 12) & 0x0f;
        let is_const4 = constant & 0xff == 0x12;
        let returns_it = ret & 0xff == 0x0f && (ret >> 8) == reg;
        (is_const4 && returns_it && (literal == 1 || literal == 3)).then_some(literal as u8)
    })
}

/// The body is `return-void`, optionally after `nop`s: a trust check that checks nothing.
fn returns_without_work(insns: &[u8]) -> bool {
    let units: Vec<u16> = insns
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let meaningful: Vec<u16> = units.into_iter().skip_while(|&u| u == 0x0000).collect();
    meaningful.first().is_some_and(|&u| u & 0xff == 0x0e)
}

/// The body is `const/4 vA, #1` (or `const/16 vA, #1`) then `return vA`.
fn returns_constant_true(insns: &[u8]) -> bool {
    let units: Vec<u16> = insns
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    match units.as_slice() {
        [first, ret, ..] if first & 0xff == 0x12 => {
            let reg = (first >> 8) & 0x0f;
            let lit = (first >> 12) & 0x0f;
            lit == 1 && ret & 0xff == 0x0f && (ret >> 8) == reg
        }
        [first, lit, ret, ..] if first & 0xff == 0x13 => {
            let reg = first >> 8;
            *lit == 1 && ret & 0xff == 0x0f && (ret >> 8) == reg
        }
        _ => false,
    }
}

/// `3.2.1`, `v9.6.0.1-beta`, `4.0.2_20230101`: digits and dots first, a short tail allowed.
fn looks_like_version(s: &str) -> bool {
    let core = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let numeric: String = core
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    // `0.0.0` is a build placeholder, not a version.
    s.len() <= 40
        && numeric.split('.').filter(|p| !p.is_empty()).count() >= 2
        && numeric.bytes().any(|b| (b'1'..=b'9').contains(&b))
        && !numeric.starts_with('.')
        && !numeric.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trivial_bodies() {
        assert!(returns_without_work(&[0x0e, 0x00]));
        assert!(returns_without_work(&[0x00, 0x00, 0x0e, 0x00]));
        assert!(!returns_without_work(&[0x22, 0x00, 0x01, 0x00, 0x0e, 0x00]));
        // const/4 v0, #1 ; return v0
        assert!(returns_constant_true(&[0x12, 0x10, 0x0f, 0x00]));
        // const/4 v0, #0 ; return v0
        assert!(!returns_constant_true(&[0x12, 0x00, 0x0f, 0x00]));
        // ... ; const/4 v1, #1 ; return v1
        assert_eq!(
            returned_start_mode(&[0x0e, 0x00, 0x12, 0x11, 0x0f, 0x01]),
            Some(1)
        );
        assert_eq!(returned_start_mode(&[0x12, 0x30, 0x0f, 0x00]), Some(3));
        assert_eq!(returned_start_mode(&[0x12, 0x20, 0x0f, 0x00]), None);
    }

    #[test]
    fn follows_superclasses_defined_here() {
        // 0 extends 1 extends 2; 3 is not defined here.
        let supers = [1, 2, NONE, NONE];
        assert!(extends(&supers, 0, 2));
        assert!(!extends(&supers, 0, 3));
        assert!(!extends(&supers, 0, NONE));
        // A cycle (hostile DEX) ends.
        assert!(!extends(&[1, 0], 0, 5));
    }

    #[test]
    fn version_like_strings() {
        for v in ["3.2.1", "v9.6.0.1-beta", "4.0.2_20230101", "10.1"] {
            assert!(looks_like_version(v), "{v}");
        }
        for v in ["", "3", "release", ".1.2", "1..2", "https://x/1.2", "0.0.0"] {
            assert!(!looks_like_version(v), "{v}");
        }
    }
}
