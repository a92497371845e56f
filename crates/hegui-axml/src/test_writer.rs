//! Test-only writer: builds small binary XML documents and resource tables.

use crate::attrs::ANDROID_NS;
use crate::chunk::*;
use crate::value::{TYPE_INT_BOOLEAN, TYPE_INT_DEC, TYPE_INT_HEX, TYPE_REFERENCE, TYPE_STRING};

pub(crate) fn push_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(crate) fn push_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// A chunk: type, then `header_rest` (the header bytes after the common 8), then `body`.
pub(crate) fn chunk(ty: u16, header_rest: &[u8], body: &[u8]) -> Vec<u8> {
    let header_size = 8 + header_rest.len();
    let mut out = Vec::new();
    push_u16(&mut out, ty);
    push_u16(&mut out, header_size as u16);
    push_u32(&mut out, (header_size + body.len()) as u32);
    out.extend_from_slice(header_rest);
    out.extend_from_slice(body);
    out
}

fn encode_utf8_len(out: &mut Vec<u8>, len: usize) {
    if len > 0x7F {
        out.push(0x80 | ((len >> 8) as u8 & 0x7F));
        out.push(len as u8);
    } else {
        out.push(len as u8);
    }
}

/// A string pool with the given strings and (optionally) style spans:
/// one list of `(name string index, first char, last char)` per styled string.
pub(crate) fn string_pool(
    strings: &[String],
    utf8: bool,
    styles: &[Vec<(u32, u32, u32)>],
) -> Vec<u8> {
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        if utf8 {
            encode_utf8_len(&mut data, s.encode_utf16().count());
            encode_utf8_len(&mut data, s.len());
            data.extend_from_slice(s.as_bytes());
            data.push(0);
        } else {
            let units: Vec<u16> = s.encode_utf16().collect();
            if units.len() > 0x7FFF {
                push_u16(&mut data, 0x8000 | (units.len() >> 16) as u16);
                push_u16(&mut data, units.len() as u16);
            } else {
                push_u16(&mut data, units.len() as u16);
            }
            for unit in units {
                push_u16(&mut data, unit);
            }
            push_u16(&mut data, 0);
        }
    }
    pad4(&mut data);
    let mut style_data = Vec::new();
    let mut style_offsets = Vec::new();
    for spans in styles {
        style_offsets.push(style_data.len() as u32);
        for &(name, first, last) in spans {
            push_u32(&mut style_data, name);
            push_u32(&mut style_data, first);
            push_u32(&mut style_data, last);
        }
        push_u32(&mut style_data, NO_INDEX);
    }
    if !styles.is_empty() {
        push_u32(&mut style_data, NO_INDEX);
        push_u32(&mut style_data, NO_INDEX);
    }
    let strings_start = 28 + 4 * (offsets.len() + style_offsets.len());
    let styles_start = if styles.is_empty() {
        0
    } else {
        strings_start + data.len()
    };
    let mut header = Vec::new();
    push_u32(&mut header, strings.len() as u32);
    push_u32(&mut header, styles.len() as u32);
    push_u32(&mut header, if utf8 { 0x100 } else { 0 });
    push_u32(&mut header, strings_start as u32);
    push_u32(&mut header, styles_start as u32);
    let mut body = Vec::new();
    for o in offsets.iter().chain(style_offsets.iter()) {
        push_u32(&mut body, *o);
    }
    body.extend_from_slice(&data);
    body.extend_from_slice(&style_data);
    chunk(RES_STRING_POOL_TYPE, &header, &body)
}

/// An attribute value for [`XmlBuilder::start`].
#[derive(Clone, Copy)]
pub(crate) enum AttrValue<'a> {
    Str(&'a str),
    Bool(bool),
    Int(i32),
    Hex(u32),
    Ref(u32),
    Typed {
        raw: Option<&'a str>,
        ty: u8,
        data: u32,
    },
}

#[derive(Clone, Copy)]
pub(crate) struct Attr<'a> {
    pub ns: Option<&'a str>,
    pub name: &'a str,
    pub value: AttrValue<'a>,
}

/// `android:name="value"`-style attribute.
pub(crate) fn android<'a>(name: &'a str, value: AttrValue<'a>) -> Attr<'a> {
    Attr {
        ns: Some(ANDROID_NS),
        name,
        value,
    }
}

/// Attribute without namespace.
pub(crate) fn plain<'a>(name: &'a str, value: AttrValue<'a>) -> Attr<'a> {
    Attr {
        ns: None,
        name,
        value,
    }
}

pub(crate) struct XmlBuilder {
    pub strings: Vec<String>,
    pub res_ids: Vec<u32>,
    pub nodes: Vec<u8>,
    pub utf8: bool,
    pub line: u32,
    pub styles: Vec<Vec<(u32, u32, u32)>>,
}

impl XmlBuilder {
    /// `attr_names` become the first strings of the pool, with their resource ids.
    pub(crate) fn new(utf8: bool, attr_names: &[(&str, u32)]) -> Self {
        XmlBuilder {
            strings: attr_names.iter().map(|(n, _)| n.to_string()).collect(),
            res_ids: attr_names.iter().map(|(_, id)| *id).collect(),
            nodes: Vec::new(),
            utf8,
            line: 1,
            styles: Vec::new(),
        }
    }

    pub(crate) fn idx(&mut self, s: &str) -> u32 {
        if let Some(at) = self.strings.iter().position(|known| known == s) {
            return at as u32;
        }
        self.strings.push(s.to_string());
        (self.strings.len() - 1) as u32
    }

    fn opt_idx(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NO_INDEX, |s| self.idx(s))
    }

    fn node(&mut self, ty: u16, ext: &[u8]) {
        let mut header = Vec::new();
        push_u32(&mut header, self.line);
        push_u32(&mut header, NO_INDEX);
        self.line += 1;
        let node = chunk(ty, &header, ext);
        self.nodes.extend_from_slice(&node);
    }

    /// Appends raw bytes (e.g. a foreign chunk) to the node stream.
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.nodes.extend_from_slice(bytes);
    }

    pub(crate) fn start_ns(&mut self, prefix: &str, uri: &str) {
        let mut ext = Vec::new();
        let p = self.idx(prefix);
        let u = self.idx(uri);
        push_u32(&mut ext, p);
        push_u32(&mut ext, u);
        self.node(RES_XML_START_NAMESPACE_TYPE, &ext);
    }

    pub(crate) fn end_ns(&mut self, prefix: &str, uri: &str) {
        let mut ext = Vec::new();
        let p = self.idx(prefix);
        let u = self.idx(uri);
        push_u32(&mut ext, p);
        push_u32(&mut ext, u);
        self.node(RES_XML_END_NAMESPACE_TYPE, &ext);
    }

    pub(crate) fn start(&mut self, ns: Option<&str>, name: &str, attrs: &[Attr<'_>]) {
        let mut ext = Vec::new();
        let ns_i = self.opt_idx(ns);
        let name_i = self.idx(name);
        push_u32(&mut ext, ns_i);
        push_u32(&mut ext, name_i);
        push_u16(&mut ext, 20); // attributeStart
        push_u16(&mut ext, 20); // attributeSize
        push_u16(&mut ext, attrs.len() as u16);
        push_u16(&mut ext, 0);
        push_u16(&mut ext, 0);
        push_u16(&mut ext, 0);
        for attr in attrs {
            let ns_i = self.opt_idx(attr.ns);
            let name_i = self.idx(attr.name);
            let (raw, ty, data) = match attr.value {
                AttrValue::Str(s) => {
                    let i = self.idx(s);
                    (i, TYPE_STRING, i)
                }
                AttrValue::Bool(b) => (NO_INDEX, TYPE_INT_BOOLEAN, if b { 0xFFFF_FFFF } else { 0 }),
                AttrValue::Int(i) => (NO_INDEX, TYPE_INT_DEC, i as u32),
                AttrValue::Hex(h) => (NO_INDEX, TYPE_INT_HEX, h),
                AttrValue::Ref(r) => (NO_INDEX, TYPE_REFERENCE, r),
                AttrValue::Typed { raw, ty, data } => (self.opt_idx(raw), ty, data),
            };
            push_u32(&mut ext, ns_i);
            push_u32(&mut ext, name_i);
            push_u32(&mut ext, raw);
            push_u16(&mut ext, 8);
            ext.push(0);
            ext.push(ty);
            push_u32(&mut ext, data);
        }
        self.node(RES_XML_START_ELEMENT_TYPE, &ext);
    }

    pub(crate) fn end(&mut self, ns: Option<&str>, name: &str) {
        let mut ext = Vec::new();
        let ns_i = self.opt_idx(ns);
        let name_i = self.idx(name);
        push_u32(&mut ext, ns_i);
        push_u32(&mut ext, name_i);
        self.node(RES_XML_END_ELEMENT_TYPE, &ext);
    }

    pub(crate) fn cdata(&mut self, text: &str) {
        let mut ext = Vec::new();
        let i = self.idx(text);
        push_u32(&mut ext, i);
        push_u16(&mut ext, 8);
        ext.push(0);
        ext.push(TYPE_STRING);
        push_u32(&mut ext, i);
        self.node(RES_XML_CDATA_TYPE, &ext);
    }

    /// The string pool chunk as it will be written.
    pub(crate) fn pool(&self) -> Vec<u8> {
        string_pool(&self.strings, self.utf8, &self.styles)
    }

    pub(crate) fn resource_map(&self) -> Vec<u8> {
        let mut body = Vec::new();
        for id in &self.res_ids {
            push_u32(&mut body, *id);
        }
        chunk(RES_XML_RESOURCE_MAP_TYPE, &[], &body)
    }

    pub(crate) fn build(&self) -> Vec<u8> {
        let mut body = self.pool();
        if !self.res_ids.is_empty() {
            body.extend_from_slice(&self.resource_map());
        }
        body.extend_from_slice(&self.nodes);
        chunk(RES_XML_TYPE, &[], &body)
    }
}

/// An entry for [`ArscBuilder::type_chunk`].
#[derive(Clone)]
pub(crate) enum EntrySpec {
    Simple {
        key: u32,
        ty: u8,
        data: u32,
    },
    Map {
        key: u32,
        parent: u32,
        items: Vec<(u32, u8, u32)>,
    },
    Compact {
        key: u16,
        ty: u8,
        data: u32,
    },
}

/// How a type chunk lays out its entry offsets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Dense,
    Sparse,
    Offset16,
}

pub(crate) fn config_bytes(language: &str, region: &str, density: u16, sdk: u16) -> Vec<u8> {
    let mut c = vec![0u8; 64];
    c[0] = 64;
    for (i, b) in language.bytes().take(2).enumerate() {
        c[8 + i] = b;
    }
    for (i, b) in region.bytes().take(2).enumerate() {
        c[10 + i] = b;
    }
    c[14..16].copy_from_slice(&density.to_le_bytes());
    c[24..26].copy_from_slice(&sdk.to_le_bytes());
    c
}

pub(crate) struct ArscBuilder {
    pub strings: Vec<String>,
    pub utf8: bool,
    pub package_id: u32,
    pub package_name: String,
    pub type_names: Vec<String>,
    pub keys: Vec<String>,
    pub body: Vec<u8>,
}

impl ArscBuilder {
    pub(crate) fn new(
        utf8: bool,
        package_id: u32,
        package_name: &str,
        type_names: &[&str],
    ) -> Self {
        ArscBuilder {
            strings: Vec::new(),
            utf8,
            package_id,
            package_name: package_name.to_string(),
            type_names: type_names.iter().map(|s| s.to_string()).collect(),
            keys: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(crate) fn string(&mut self, s: &str) -> u32 {
        if let Some(at) = self.strings.iter().position(|known| known == s) {
            return at as u32;
        }
        self.strings.push(s.to_string());
        (self.strings.len() - 1) as u32
    }

    pub(crate) fn key(&mut self, s: &str) -> u32 {
        if let Some(at) = self.keys.iter().position(|known| known == s) {
            return at as u32;
        }
        self.keys.push(s.to_string());
        (self.keys.len() - 1) as u32
    }

    pub(crate) fn type_spec(&mut self, type_id: u8, entry_count: u32) {
        let mut header = vec![type_id, 0];
        push_u16(&mut header, 0);
        push_u32(&mut header, entry_count);
        let mut body = Vec::new();
        for _ in 0..entry_count {
            push_u32(&mut body, 0);
        }
        let c = chunk(RES_TABLE_TYPE_SPEC_TYPE, &header, &body);
        self.body.extend_from_slice(&c);
    }

    pub(crate) fn type_chunk(
        &mut self,
        type_id: u8,
        config: Vec<u8>,
        layout: Layout,
        entries: &[Option<EntrySpec>],
    ) {
        let mut entry_data = Vec::new();
        let mut offsets = Vec::new();
        let mut present = 0u32;
        for (i, entry) in entries.iter().enumerate() {
            let Some(entry) = entry else {
                match layout {
                    Layout::Dense => push_u32(&mut offsets, NO_INDEX),
                    Layout::Offset16 => push_u16(&mut offsets, 0xFFFF),
                    Layout::Sparse => {}
                }
                continue;
            };
            present += 1;
            let off = entry_data.len();
            match layout {
                Layout::Dense => push_u32(&mut offsets, off as u32),
                Layout::Offset16 => push_u16(&mut offsets, (off / 4) as u16),
                Layout::Sparse => {
                    push_u16(&mut offsets, i as u16);
                    push_u16(&mut offsets, (off / 4) as u16);
                }
            }
            match entry {
                EntrySpec::Simple { key, ty, data } => {
                    push_u16(&mut entry_data, 8);
                    push_u16(&mut entry_data, 0);
                    push_u32(&mut entry_data, *key);
                    push_u16(&mut entry_data, 8);
                    entry_data.push(0);
                    entry_data.push(*ty);
                    push_u32(&mut entry_data, *data);
                }
                EntrySpec::Map { key, parent, items } => {
                    push_u16(&mut entry_data, 16);
                    push_u16(&mut entry_data, 1);
                    push_u32(&mut entry_data, *key);
                    push_u32(&mut entry_data, *parent);
                    push_u32(&mut entry_data, items.len() as u32);
                    for (name, ty, data) in items {
                        push_u32(&mut entry_data, *name);
                        push_u16(&mut entry_data, 8);
                        entry_data.push(0);
                        entry_data.push(*ty);
                        push_u32(&mut entry_data, *data);
                    }
                }
                EntrySpec::Compact { key, ty, data } => {
                    push_u16(&mut entry_data, *key);
                    push_u16(&mut entry_data, 0x0008 | (u16::from(*ty) << 8));
                    push_u32(&mut entry_data, *data);
                }
            }
        }
        pad4(&mut offsets);
        let (flags, count) = match layout {
            Layout::Dense => (0u8, entries.len() as u32),
            Layout::Sparse => (1u8, present),
            Layout::Offset16 => (2u8, entries.len() as u32),
        };
        let header_size = 8 + 12 + config.len();
        let mut header = vec![type_id, flags];
        push_u16(&mut header, 0);
        push_u32(&mut header, count);
        push_u32(&mut header, (header_size + offsets.len()) as u32);
        header.extend_from_slice(&config);
        let mut body = offsets;
        body.extend_from_slice(&entry_data);
        let c = chunk(RES_TABLE_TYPE_TYPE, &header, &body);
        self.body.extend_from_slice(&c);
    }

    pub(crate) fn package(&self) -> Vec<u8> {
        let type_pool = string_pool(&self.type_names, self.utf8, &[]);
        let key_pool = string_pool(&self.keys, self.utf8, &[]);
        let mut header = Vec::new();
        push_u32(&mut header, self.package_id);
        let mut name = [0u8; 256];
        for (i, unit) in self.package_name.encode_utf16().take(127).enumerate() {
            name[i * 2..i * 2 + 2].copy_from_slice(&unit.to_le_bytes());
        }
        header.extend_from_slice(&name);
        push_u32(&mut header, 288);
        push_u32(&mut header, self.type_names.len() as u32);
        push_u32(&mut header, (288 + type_pool.len()) as u32);
        push_u32(&mut header, self.keys.len() as u32);
        push_u32(&mut header, 0);
        let mut body = type_pool;
        body.extend_from_slice(&key_pool);
        body.extend_from_slice(&self.body);
        chunk(RES_TABLE_PACKAGE_TYPE, &header, &body)
    }

    pub(crate) fn build(&self) -> Vec<u8> {
        let mut header = Vec::new();
        push_u32(&mut header, 1);
        let mut body = string_pool(&self.strings, self.utf8, &[]);
        body.extend_from_slice(&self.package());
        chunk(RES_TABLE_TYPE, &header, &body)
    }
}
