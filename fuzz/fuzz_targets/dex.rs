//! DEX files and DEX 041 containers: tables, class data, code items and the instruction walker,
//! resolving every index the walker hands out.
#![no_main]

use hegui_dex::{CodeVisitor, Dex, DexError, InvokeKind, Limits, Site};
use libfuzzer_sys::fuzz_target;

/// Resolves every index it is given; the walker promises they are in range.
struct Resolver<'d, 'a> {
    dex: &'d Dex<'a>,
}

impl CodeVisitor for Resolver<'_, '_> {
    fn enter_method(&mut self, class_idx: u32, method_idx: u32) -> bool {
        let _ = self.dex.type_descriptor(class_idx);
        let _ = self.dex.method_ref(method_idx);
        true
    }
    fn invoke(&mut self, _site: &Site, _kind: InvokeKind, method_idx: u32) {
        assert!(method_idx < self.dex.method_count());
        if let Ok(m) = self.dex.method_ref(method_idx) {
            let _ = self.dex.proto_signature(m.proto_idx);
        }
    }
    fn invoke_custom(&mut self, _site: &Site, call_site_idx: u32) {
        // Checked only when the map lists a call_site_ids table (else passed as read).
        let count = self.dex.call_site_count();
        assert!(count == 0 || call_site_idx < count);
    }
    fn const_string(&mut self, _site: &Site, string_idx: u32) {
        assert!(string_idx < self.dex.string_count());
        let _ = self.dex.string(string_idx);
    }
    fn field_read(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
        assert!(field_idx < self.dex.field_count());
        let _ = self.dex.field_ref(field_idx);
    }
    fn field_write(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
        assert!(field_idx < self.dex.field_count());
        let _ = self.dex.field_ref(field_idx);
    }
    fn const_class(&mut self, _site: &Site, type_idx: u32) {
        assert!(type_idx < self.dex.type_count());
        let _ = self.dex.type_descriptor(type_idx);
    }
    fn new_instance(&mut self, _site: &Site, type_idx: u32) {
        assert!(type_idx < self.dex.type_count());
        let _ = self.dex.type_descriptor(type_idx);
    }
    fn malformed(&mut self, _class_idx: u32, _method_idx: Option<u32>, error: &DexError) {
        let _ = (error.code(), error.to_string());
    }
}

/// Most class-data methods looked at outside the walker (keeps pathological inputs fast).
const MAX_METHODS: usize = 1 << 16;

fuzz_target!(|data: &[u8]| {
    let _ = hegui_dex::is_dex(data);
    let limits = Limits::default();
    let Ok(sections) = Dex::parse_container(data, &limits) else {
        return;
    };
    for dex in &sections {
        let _ = (dex.version(), dex.checksum_ok(), dex.method_handle_count());
        let _ = dex.walk_code(&mut Resolver { dex });
        let mut methods = 0usize;
        for class in dex.class_defs().take(1 << 14) {
            let Ok(class) = class else { continue };
            let _ = dex.type_descriptor(class.class_idx);
            if let Some(s) = class.superclass_idx {
                let _ = dex.type_descriptor(s);
            }
            let _ = dex.class_fields(&class);
            let Ok(list) = dex.class_methods(&class) else {
                continue;
            };
            for m in list {
                methods += 1;
                if methods > MAX_METHODS {
                    break;
                }
                let _ = dex.method_ref(m.method_idx);
                if let Ok(Some(code)) = dex.code_item(m.code_off) {
                    assert_eq!(code.insns.len() % 2, 0);
                }
            }
        }
    }
});
