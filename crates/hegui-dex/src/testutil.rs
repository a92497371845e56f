//! Test-only DEX assembler: lays out header, id tables, string data, type
//! lists, code items, class data and a map, with real offsets and checksum.

use crate::checksum::adler32;

/// A method of a class being built.
#[derive(Clone, Debug, Default)]
pub struct MethodSpec {
    pub method_idx: u32,
    pub access: u32,
    /// Instructions; `None` for an abstract or native method.
    pub code: Option<Vec<u16>>,
    /// Use the code item of the n-th method with code (in build order) instead.
    pub share_code_of: Option<usize>,
}

impl MethodSpec {
    pub fn with_code(method_idx: u32, access: u32, code: Vec<u16>) -> Self {
        MethodSpec {
            method_idx,
            access,
            code: Some(code),
            share_code_of: None,
        }
    }
    pub fn without_code(method_idx: u32, access: u32) -> Self {
        MethodSpec {
            method_idx,
            access,
            code: None,
            share_code_of: None,
        }
    }
}

/// A class being built.
#[derive(Clone, Debug, Default)]
pub struct ClassSpec {
    pub class_idx: u32,
    pub access: u32,
    pub superclass: Option<u32>,
    pub interfaces: Vec<u16>,
    pub source_file: Option<u32>,
    pub static_fields: Vec<(u32, u32)>,
    pub instance_fields: Vec<(u32, u32)>,
    pub direct: Vec<MethodSpec>,
    pub virtuals: Vec<MethodSpec>,
}

/// Where things ended up in a built file.
#[derive(Clone, Debug, Default)]
pub struct Built {
    pub bytes: Vec<u8>,
    /// (method_idx, file offset of its first instruction), per method with its own code.
    pub insns_off: Vec<(u32, u32)>,
    /// Offset of each class's class data (0 for none).
    pub class_data_off: Vec<u32>,
}

impl Built {
    pub fn insns_of(&self, method_idx: u32) -> u32 {
        self.insns_off
            .iter()
            .find(|(m, _)| *m == method_idx)
            .map(|(_, o)| *o)
            .unwrap_or_else(|| panic!("no code for method {method_idx}"))
    }
}

#[derive(Clone, Debug)]
pub struct Builder {
    pub version: u16,
    /// Offset of this section in its DEX 041 container.
    pub base: u32,
    pub strings: Vec<Vec<u8>>,
    pub types: Vec<u32>,
    pub protos: Vec<(u32, u32, Vec<u16>)>,
    pub fields: Vec<(u16, u16, u32)>,
    pub methods: Vec<(u16, u16, u32)>,
    pub classes: Vec<ClassSpec>,
    pub call_sites: u32,
}

fn uleb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn align4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

pub fn put32(out: &mut [u8], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Recomputes the checksum of the section at `base` whose size is `file_size`.
pub fn fix_checksum(bytes: &mut [u8], base: usize) {
    let size = u32::from_le_bytes(bytes[base + 0x20..base + 0x24].try_into().unwrap()) as usize;
    let sum = adler32(&bytes[base + 12..base + size]);
    put32(bytes, base + 8, sum);
}

impl Builder {
    pub fn new(version: u16) -> Self {
        Builder {
            version,
            base: 0,
            strings: Vec::new(),
            types: Vec::new(),
            protos: Vec::new(),
            fields: Vec::new(),
            methods: Vec::new(),
            classes: Vec::new(),
            call_sites: 0,
        }
    }

    pub fn string_raw(&mut self, bytes: &[u8]) -> u32 {
        if let Some(i) = self.strings.iter().position(|s| s == bytes) {
            return i as u32;
        }
        self.strings.push(bytes.to_vec());
        (self.strings.len() - 1) as u32
    }

    pub fn string(&mut self, s: &str) -> u32 {
        self.string_raw(s.as_bytes())
    }

    pub fn type_(&mut self, desc: &str) -> u32 {
        let s = self.string(desc);
        if let Some(i) = self.types.iter().position(|&t| t == s) {
            return i as u32;
        }
        self.types.push(s);
        (self.types.len() - 1) as u32
    }

    pub fn proto(&mut self, ret: &str, params: &[&str]) -> u16 {
        let short = |d: &str| match d.as_bytes()[0] {
            b'[' | b'L' => 'L',
            c => c as char,
        };
        let mut shorty = String::new();
        shorty.push(short(ret));
        for p in params {
            shorty.push(short(p));
        }
        let shorty = self.string(&shorty);
        let ret = self.type_(ret);
        let params: Vec<u16> = params.iter().map(|p| self.type_(p) as u16).collect();
        self.protos.push((shorty, ret, params));
        (self.protos.len() - 1) as u16
    }

    pub fn field(&mut self, class: &str, name: &str, ty: &str) -> u32 {
        let c = self.type_(class) as u16;
        let t = self.type_(ty) as u16;
        let n = self.string(name);
        self.fields.push((c, t, n));
        (self.fields.len() - 1) as u32
    }

    pub fn method(&mut self, class: &str, name: &str, ret: &str, params: &[&str]) -> u32 {
        let c = self.type_(class) as u16;
        let p = self.proto(ret, params);
        let n = self.string(name);
        self.methods.push((c, p, n));
        (self.methods.len() - 1) as u32
    }

    pub fn build(&self) -> Built {
        let base = self.base as usize;
        let abs = |local: usize| (base + local) as u32;
        let container = self.version >= 41;
        let hsize = if container { 0x78 } else { 0x70 };
        let mut out = vec![0u8; hsize];

        let string_ids_off = out.len();
        out.resize(out.len() + 4 * self.strings.len(), 0);
        let type_ids_off = out.len();
        for &t in &self.types {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let proto_ids_off = out.len();
        out.resize(out.len() + 12 * self.protos.len(), 0);
        let field_ids_off = out.len();
        for &(c, t, n) in &self.fields {
            out.extend_from_slice(&c.to_le_bytes());
            out.extend_from_slice(&t.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        let method_ids_off = out.len();
        for &(c, p, n) in &self.methods {
            out.extend_from_slice(&c.to_le_bytes());
            out.extend_from_slice(&p.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        let class_defs_off = out.len();
        out.resize(out.len() + 32 * self.classes.len(), 0);
        let call_site_ids_off = out.len();
        out.resize(out.len() + 4 * self.call_sites as usize, 0);
        let data_off = out.len();

        for (i, s) in self.strings.iter().enumerate() {
            let off = abs(out.len());
            put32(&mut out, string_ids_off + 4 * i, off);
            let utf16 = s.iter().filter(|&&b| b & 0xc0 != 0x80).count() as u32;
            uleb(&mut out, utf16);
            out.extend_from_slice(s);
            out.push(0);
        }
        for (i, (shorty, ret, params)) in self.protos.iter().enumerate() {
            let mut params_off = 0;
            if !params.is_empty() {
                align4(&mut out);
                params_off = abs(out.len());
                out.extend_from_slice(&(params.len() as u32).to_le_bytes());
                for p in params {
                    out.extend_from_slice(&p.to_le_bytes());
                }
            }
            let at = proto_ids_off + 12 * i;
            put32(&mut out, at, *shorty);
            put32(&mut out, at + 4, *ret);
            put32(&mut out, at + 8, params_off);
        }
        let mut interfaces_off = Vec::new();
        for c in &self.classes {
            if c.interfaces.is_empty() {
                interfaces_off.push(0);
                continue;
            }
            align4(&mut out);
            interfaces_off.push(abs(out.len()));
            out.extend_from_slice(&(c.interfaces.len() as u32).to_le_bytes());
            for t in &c.interfaces {
                out.extend_from_slice(&t.to_le_bytes());
            }
        }
        // Code items.
        let mut built = Built::default();
        let mut code_items: Vec<u32> = Vec::new();
        let mut method_code_off: Vec<Vec<u32>> = Vec::new();
        for c in &self.classes {
            let mut offs = Vec::new();
            for m in c.direct.iter().chain(&c.virtuals) {
                let off = if let Some(k) = m.share_code_of {
                    code_items[k]
                } else if let Some(insns) = &m.code {
                    align4(&mut out);
                    let off = abs(out.len());
                    out.extend_from_slice(&8u16.to_le_bytes()); // registers
                    out.extend_from_slice(&1u16.to_le_bytes()); // ins
                    out.extend_from_slice(&2u16.to_le_bytes()); // outs
                    out.extend_from_slice(&0u16.to_le_bytes()); // tries
                    out.extend_from_slice(&0u32.to_le_bytes()); // debug info
                    out.extend_from_slice(&(insns.len() as u32).to_le_bytes());
                    built.insns_off.push((m.method_idx, off + 16));
                    for u in insns {
                        out.extend_from_slice(&u.to_le_bytes());
                    }
                    code_items.push(off);
                    off
                } else {
                    0
                };
                offs.push(off);
            }
            method_code_off.push(offs);
        }
        // Class data.
        for (ci, c) in self.classes.iter().enumerate() {
            let empty = c.static_fields.is_empty()
                && c.instance_fields.is_empty()
                && c.direct.is_empty()
                && c.virtuals.is_empty();
            if empty {
                built.class_data_off.push(0);
                continue;
            }
            built.class_data_off.push(abs(out.len()));
            uleb(&mut out, c.static_fields.len() as u32);
            uleb(&mut out, c.instance_fields.len() as u32);
            uleb(&mut out, c.direct.len() as u32);
            uleb(&mut out, c.virtuals.len() as u32);
            for list in [&c.static_fields, &c.instance_fields] {
                let mut prev = 0;
                for (i, &(f, acc)) in list.iter().enumerate() {
                    uleb(&mut out, if i == 0 { f } else { f.wrapping_sub(prev) });
                    uleb(&mut out, acc);
                    prev = f;
                }
            }
            let offs = &method_code_off[ci];
            let mut k = 0;
            for list in [&c.direct, &c.virtuals] {
                let mut prev = 0;
                for (i, m) in list.iter().enumerate() {
                    let idx = m.method_idx;
                    uleb(&mut out, if i == 0 { idx } else { idx.wrapping_sub(prev) });
                    uleb(&mut out, m.access);
                    uleb(&mut out, offs[k]);
                    k += 1;
                    prev = idx;
                }
            }
        }
        for (i, c) in self.classes.iter().enumerate() {
            let at = class_defs_off + 32 * i;
            put32(&mut out, at, c.class_idx);
            put32(&mut out, at + 4, c.access);
            put32(&mut out, at + 8, c.superclass.unwrap_or(crate::NO_INDEX));
            put32(&mut out, at + 12, interfaces_off[i]);
            put32(&mut out, at + 16, c.source_file.unwrap_or(crate::NO_INDEX));
            put32(&mut out, at + 24, built.class_data_off[i]);
        }
        // Map list.
        align4(&mut out);
        let map_off = out.len();
        let mut items: Vec<(u16, u32, u32)> = vec![(0x0000, 1, abs(0))];
        let tables = [
            (0x0001u16, self.strings.len(), string_ids_off),
            (0x0002, self.types.len(), type_ids_off),
            (0x0003, self.protos.len(), proto_ids_off),
            (0x0004, self.fields.len(), field_ids_off),
            (0x0005, self.methods.len(), method_ids_off),
            (0x0006, self.classes.len(), class_defs_off),
            (0x0007, self.call_sites as usize, call_site_ids_off),
        ];
        for (ty, n, off) in tables {
            if n > 0 {
                items.push((ty, n as u32, abs(off)));
            }
        }
        items.push((0x1000, 1, abs(map_off)));
        out.extend_from_slice(&(items.len() as u32).to_le_bytes());
        for (ty, n, off) in items {
            out.extend_from_slice(&ty.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&off.to_le_bytes());
        }

        // Header.
        let file_size = out.len();
        out[0..8].copy_from_slice(format!("dex\n{:03}\0", self.version).as_bytes());
        put32(&mut out, 0x20, file_size as u32);
        put32(&mut out, 0x24, hsize as u32);
        put32(&mut out, 0x28, 0x1234_5678);
        put32(&mut out, 0x34, abs(map_off));
        let table_fields = [
            (0x38, self.strings.len(), string_ids_off),
            (0x40, self.types.len(), type_ids_off),
            (0x48, self.protos.len(), proto_ids_off),
            (0x50, self.fields.len(), field_ids_off),
            (0x58, self.methods.len(), method_ids_off),
            (0x60, self.classes.len(), class_defs_off),
        ];
        for (at, n, off) in table_fields {
            put32(&mut out, at, n as u32);
            put32(&mut out, at + 4, if n == 0 { 0 } else { abs(off) });
        }
        if container {
            put32(&mut out, 0x70, abs(file_size)); // container_size: patched by callers of containers
            put32(&mut out, 0x74, self.base);
        } else {
            put32(&mut out, 0x68, (file_size - data_off) as u32);
            put32(&mut out, 0x6c, data_off as u32);
        }
        built.bytes = out;
        fix_checksum(&mut built.bytes, 0);
        built
    }
}

/// Instruction encoders.
pub mod asm {
    pub fn nop() -> Vec<u16> {
        vec![0x0000]
    }
    pub fn return_void() -> Vec<u16> {
        vec![0x000e]
    }
    pub fn const_string(a: u8, idx: u16) -> Vec<u16> {
        vec![0x1a | u16::from(a) << 8, idx]
    }
    pub fn const_string_jumbo(a: u8, idx: u32) -> Vec<u16> {
        vec![0x1b | u16::from(a) << 8, idx as u16, (idx >> 16) as u16]
    }
    pub fn const_class(a: u8, t: u16) -> Vec<u16> {
        vec![0x1c | u16::from(a) << 8, t]
    }
    pub fn new_instance(a: u8, t: u16) -> Vec<u16> {
        vec![0x22 | u16::from(a) << 8, t]
    }
    pub fn const_wide(a: u8, v: u64) -> Vec<u16> {
        vec![
            0x18 | u16::from(a) << 8,
            v as u16,
            (v >> 16) as u16,
            (v >> 32) as u16,
            (v >> 48) as u16,
        ]
    }
    /// Format 35c (invoke-kind, filled-new-array, invoke-custom).
    pub fn op35c(op: u8, args: &[u8], idx: u16) -> Vec<u16> {
        assert!(args.len() <= 5);
        let r = |i: usize| u16::from(args.get(i).copied().unwrap_or(0) & 0xf);
        vec![
            u16::from(op) | r(4) << 8 | (args.len() as u16) << 12,
            idx,
            r(0) | r(1) << 4 | r(2) << 8 | r(3) << 12,
        ]
    }
    /// Format 3rc (/range forms).
    pub fn op3rc(op: u8, first: u16, count: u8, idx: u16) -> Vec<u16> {
        vec![u16::from(op) | u16::from(count) << 8, idx, first]
    }
    /// invoke-polymorphic, format 45cc.
    pub fn invoke_polymorphic(args: &[u8], method: u16, proto: u16) -> Vec<u16> {
        let mut v = op35c(0xfa, args, method);
        v.push(proto);
        v
    }
    /// Format 21c with an 8-bit register (sget*, sput*).
    pub fn op21c(op: u8, a: u8, idx: u16) -> Vec<u16> {
        vec![u16::from(op) | u16::from(a) << 8, idx]
    }
    /// Format 22c (iget*, iput*).
    pub fn op22c(op: u8, a: u8, b: u8, idx: u16) -> Vec<u16> {
        vec![
            u16::from(op) | u16::from(a & 0xf) << 8 | u16::from(b & 0xf) << 12,
            idx,
        ]
    }
    /// Format 31t (packed-switch, sparse-switch, fill-array-data).
    pub fn op31t(op: u8, a: u8, rel: i32) -> Vec<u16> {
        vec![
            u16::from(op) | u16::from(a) << 8,
            rel as u16,
            (rel >> 16) as u16,
        ]
    }
    pub fn packed_payload(first_key: i32, targets: &[i32]) -> Vec<u16> {
        let mut v = vec![
            0x0100,
            targets.len() as u16,
            first_key as u16,
            (first_key >> 16) as u16,
        ];
        for &t in targets {
            v.extend([t as u16, (t >> 16) as u16]);
        }
        v
    }
    pub fn sparse_payload(keys: &[i32], targets: &[i32]) -> Vec<u16> {
        let mut v = vec![0x0200, keys.len() as u16];
        for &k in keys.iter().chain(targets) {
            v.extend([k as u16, (k >> 16) as u16]);
        }
        v
    }
    pub fn array_payload(width: u16, data: &[u8]) -> Vec<u16> {
        let size = data.len() as u32 / u32::from(width);
        let mut v = vec![0x0300, width, size as u16, (size >> 16) as u16];
        for pair in data.chunks(2) {
            v.push(u16::from(pair[0]) | u16::from(pair.get(1).copied().unwrap_or(0)) << 8);
        }
        v
    }
}
