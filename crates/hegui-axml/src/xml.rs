//! Binary XML documents (`ResXMLTree`).
//!
//! A document is one `RES_XML_TYPE` chunk holding, in order, a string pool, an
//! optional resource map (the resource id of each attribute-name string, by
//! string index), and a flat sequence of node chunks: namespace start/end,
//! element start/end and CDATA. Every node carries a line number and a comment
//! string after the chunk header; its type-specific part (the "ext") starts at
//! the node's header size.

use crate::attrs::{ANDROID_NS, framework_attr_id, framework_attr_name};
use crate::chunk::{
    CHUNK_HEADER_SIZE, ChunkHeader, NO_INDEX, RES_STRING_POOL_TYPE, RES_XML_CDATA_TYPE,
    RES_XML_END_ELEMENT_TYPE, RES_XML_END_NAMESPACE_TYPE, RES_XML_LAST_CHUNK_TYPE,
    RES_XML_RESOURCE_MAP_TYPE, RES_XML_START_ELEMENT_TYPE, RES_XML_START_NAMESPACE_TYPE,
    RES_XML_TYPE, u8_at, u16_at, u32_at,
};
use crate::error::{Anomalies, AxmlError, Limits};
use crate::string_pool::StringPool;
use crate::value::{TYPE_STRING, Value};

/// Size of `ResXMLTree_node` (chunk header, line number, comment).
const NODE_HEADER_SIZE: usize = 16;
/// Size of `ResXMLTree_attrExt`.
const ATTR_EXT_SIZE: usize = 20;
/// Size of `ResXMLTree_attribute`.
const ATTRIBUTE_SIZE: usize = 20;

/// A parsed binary XML document.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDocument {
    /// The root element (for a manifest, `<manifest>`).
    pub root: Element,
    /// Lenient fixes the reader applied, e.g. "bogus header size on XML chunk".
    pub anomalies: Vec<String>,
    /// Namespace declarations in document order, as `(prefix, uri)`; an
    /// unreadable string is given as "".
    pub namespaces: Vec<(String, String)>,
}

/// One element.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Local name ("" when the name string could not be read).
    pub name: String,
    /// Attributes in document order.
    pub attributes: Vec<Attribute>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Source line number recorded by the compiler.
    pub line: u32,
    /// Character data directly inside this element, concatenated, if any.
    pub text: Option<String>,
}

/// One attribute.
///
/// When the resource map gives the attribute a framework id that the built-in
/// table knows, `name` and `namespace` are those of that framework attribute
/// (this is what Android uses), even if the name string in the file was
/// blanked or renamed; the document's anomalies record any such rewrite.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Resource id from the resource map, if the name string has one.
    pub resource_id: Option<u32>,
    /// The raw (source) string value, if the compiler kept one.
    pub raw: Option<String>,
    /// The typed value.
    pub value: Value,
}

impl Attribute {
    /// The value as a string: a string value or the raw string, decimal for
    /// integers, `true`/`false` for booleans, `@0x7f......` for references and
    /// the `aapt` rendering for other typed values.
    pub fn as_string(&self) -> Option<String> {
        match &self.value {
            Value::String(text) => Some(text.clone()),
            Value::Int(number) => Some(number.to_string()),
            Value::Hex(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null | Value::Other { .. } => self.raw.clone(),
            other => Some(other.to_string()),
        }
    }

    /// The value as a boolean: a boolean, an integer (non-zero is true, as
    /// Android reads it) or a string/raw "true"/"false".
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(flag) => Some(*flag),
            Value::Int(number) => Some(*number != 0),
            Value::Hex(number) => Some(*number != 0),
            Value::String(text) => parse_bool(text),
            _ => self.raw.as_deref().and_then(parse_bool),
        }
    }

    /// The value as an integer: an integer value, or a string/raw decimal
    /// (or `0x` hexadecimal) number.
    pub fn as_int(&self) -> Option<i64> {
        match &self.value {
            Value::Int(number) => Some(*number),
            Value::Hex(number) => Some(i64::from(*number)),
            Value::String(text) => parse_int(text),
            _ => self.raw.as_deref().and_then(parse_int),
        }
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else {
        text.parse().ok()
    }
}

impl Element {
    /// The attribute `android:<android_name>`.
    ///
    /// Found first by resource id (when `android_name` is in the built-in table
    /// of framework attribute ids), which is how Android itself reads manifest
    /// attributes; otherwise by name in the Android namespace, skipping an
    /// attribute whose resource id says it is a different attribute.
    pub fn attr(&self, android_name: &str) -> Option<&Attribute> {
        let known_id = framework_attr_id(android_name);
        if let Some(id) = known_id
            && let Some(found) = self.attributes.iter().find(|a| a.resource_id == Some(id))
        {
            return Some(found);
        }
        self.attributes.iter().find(|a| {
            a.name == android_name
                && a.namespace.as_deref() == Some(ANDROID_NS)
                && match (a.resource_id, known_id) {
                    (None, _) | (_, None) => true,
                    (Some(rid), Some(id)) => rid == id,
                }
        })
    }

    /// The attribute with no namespace named `name` (such as `package` on
    /// `<manifest>`).
    pub fn attr_plain(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && a.name == name)
    }

    /// The attribute in namespace `namespace` (or none) named `name`, by name only.
    pub fn attr_ns(&self, namespace: Option<&str>, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace.as_deref() == namespace && a.name == name)
    }

    /// `android:<android_name>` as a string; see [`Attribute::as_string`].
    pub fn attr_str(&self, android_name: &str) -> Option<String> {
        self.attr(android_name).and_then(Attribute::as_string)
    }

    /// `android:<android_name>` as a boolean; see [`Attribute::as_bool`].
    pub fn attr_bool(&self, android_name: &str) -> Option<bool> {
        self.attr(android_name).and_then(Attribute::as_bool)
    }

    /// `android:<android_name>` as an integer; see [`Attribute::as_int`].
    pub fn attr_int(&self, android_name: &str) -> Option<i64> {
        self.attr(android_name).and_then(Attribute::as_int)
    }

    /// Direct children with local name `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// This element and all its descendants, depth first, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = &Element> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.children.iter().rev());
            Some(next)
        })
    }
}

/// Cheap check whether `data` looks like binary XML (not text XML, not a
/// resource table).
pub fn is_axml(data: &[u8]) -> bool {
    match ChunkHeader::read(data, 0) {
        Some(header) if header.ty == RES_XML_TYPE => true,
        Some(_) => string_pool_follows(data),
        None => false,
    }
}

/// Whether a string pool chunk header with the usual 28-byte header sits at offset 8.
fn string_pool_follows(data: &[u8]) -> bool {
    u16_at(data, 8) == Some(RES_STRING_POOL_TYPE) && u16_at(data, 10) == Some(28)
}

/// Whether a plausible chunk that may start a document's body sits at `off`.
fn body_chunk_at(data: &[u8], off: usize, end: usize) -> bool {
    ChunkHeader::read(data, off).is_some_and(|header| {
        header.fits(off, end)
            && (header.ty == RES_STRING_POOL_TYPE
                || header.ty == RES_XML_RESOURCE_MAP_TYPE
                || (RES_XML_START_NAMESPACE_TYPE..=RES_XML_LAST_CHUNK_TYPE).contains(&header.ty))
    })
}

/// Parses a binary XML document such as a compiled `AndroidManifest.xml`.
///
/// Lenient like Android: unknown chunks are skipped, a bogus header size or
/// total size on the outer XML chunk is tolerated, lying string-pool counts are
/// capped, a truncated or unbalanced document yields what was read (with a
/// note in [`XmlDocument::anomalies`]). Errors only when no root element can be
/// recovered, or a limit is exceeded.
pub fn parse_xml(data: &[u8], limits: &Limits) -> Result<XmlDocument, AxmlError> {
    let outer = ChunkHeader::read(data, 0).ok_or_else(|| AxmlError::TruncatedAxml {
        offset: 0,
        expected: format!("an 8-byte XML chunk header, found {} bytes", data.len()),
    })?;
    let mut parser = Parser::new(data, limits);
    if outer.ty != RES_XML_TYPE {
        if string_pool_follows(data) {
            parser.anomalies.push(format!(
                "outer chunk type is 0x{:04x}, not RES_XML_TYPE (0x0003); read as XML",
                outer.ty
            ));
        } else {
            return Err(AxmlError::MalformedAxml {
                offset: 0,
                expected: format!(
                    "a RES_XML_TYPE (0x0003) chunk, found chunk type 0x{:04x}",
                    outer.ty
                ),
            });
        }
    }

    let declared = outer.size as usize;
    let end = if declared < CHUNK_HEADER_SIZE || declared > data.len() {
        parser.anomalies.push(format!(
            "bogus size {declared} on XML chunk (input is {} bytes); read to the end of the input",
            data.len()
        ));
        data.len()
    } else {
        if declared < data.len() {
            parser.anomalies.push(format!(
                "{} bytes after the XML chunk ignored",
                data.len() - declared
            ));
        }
        declared
    };

    let header_size = usize::from(outer.header_size);
    let start = if header_size == CHUNK_HEADER_SIZE {
        CHUNK_HEADER_SIZE
    } else {
        let start = if !body_chunk_at(data, CHUNK_HEADER_SIZE, end)
            && header_size > CHUNK_HEADER_SIZE
            && body_chunk_at(data, header_size, end)
        {
            header_size
        } else {
            CHUNK_HEADER_SIZE
        };
        parser.anomalies.push(format!(
            "bogus header size {header_size} on XML chunk; body read from offset {start}"
        ));
        start
    };

    parser.walk(start, end)?;
    parser.finish(end)
}

struct Parser<'a> {
    data: &'a [u8],
    limits: &'a Limits,
    anomalies: Anomalies,
    pool: Option<StringPool>,
    pool_error: Option<AxmlError>,
    res_map: &'a [u8],
    budget_left: usize,
    stack: Vec<(Element, u32)>,
    root: Option<Element>,
    skip_depth: usize,
    elements: usize,
    namespaces: Vec<(String, String)>,
    seen_node: bool,
    truncated: bool,
}

impl<'a> Parser<'a> {
    fn new(data: &'a [u8], limits: &'a Limits) -> Self {
        Parser {
            data,
            limits,
            anomalies: Anomalies::new(limits.max_anomalies),
            pool: None,
            pool_error: None,
            res_map: &[],
            budget_left: limits.max_total_string_bytes,
            stack: Vec::new(),
            root: None,
            skip_depth: 0,
            elements: 0,
            namespaces: Vec::new(),
            seen_node: false,
            truncated: false,
        }
    }

    fn walk(&mut self, start: usize, end: usize) -> Result<(), AxmlError> {
        let data = self.data;
        let mut pos = start;
        while pos < end {
            let Some(header) =
                ChunkHeader::read(data, pos).filter(|_| end - pos >= CHUNK_HEADER_SIZE)
            else {
                self.anomalies
                    .push(format!("{} stray bytes at offset {pos} ignored", end - pos));
                self.truncated = true;
                break;
            };
            let size = header.size as usize;
            if size < CHUNK_HEADER_SIZE {
                if self.root.is_some() {
                    self.anomalies.push(format!(
                        "chunk at offset {pos} has size {size}; rest of the document ignored"
                    ));
                    break;
                }
                return Err(AxmlError::MalformedAxml {
                    offset: pos,
                    expected: format!("a chunk size of at least 8 bytes, found {size}"),
                });
            }
            let chunk_end = match pos.checked_add(size) {
                Some(chunk_end) if chunk_end <= end => chunk_end,
                _ => {
                    self.anomalies.push(format!(
                        "chunk type 0x{:04x} at offset {pos} declares {size} bytes but only {} remain",
                        header.ty,
                        end - pos
                    ));
                    self.truncated = true;
                    end
                }
            };
            let chunk = data.get(pos..chunk_end).unwrap_or_default();
            self.chunk(header, chunk, pos)?;
            pos = chunk_end;
        }
        Ok(())
    }

    fn chunk(&mut self, header: ChunkHeader, chunk: &'a [u8], pos: usize) -> Result<(), AxmlError> {
        match header.ty {
            RES_STRING_POOL_TYPE if !self.seen_node => {
                match StringPool::parse(chunk, pos, self.limits, &mut self.anomalies) {
                    Ok(pool) => {
                        if self.pool.is_some() {
                            self.anomalies.push(format!(
                                "another string pool at offset {pos} replaces the previous one"
                            ));
                        }
                        self.pool = Some(pool);
                        self.pool_error = None;
                    }
                    Err(AxmlError::LimitExceeded {
                        offset,
                        what,
                        limit,
                    }) => {
                        return Err(AxmlError::LimitExceeded {
                            offset,
                            what,
                            limit,
                        });
                    }
                    Err(error) => {
                        if self.pool.is_none() {
                            self.pool_error = Some(error);
                        } else {
                            self.anomalies
                                .push(format!("unreadable extra string pool ignored: {error}"));
                        }
                    }
                }
            }
            RES_XML_RESOURCE_MAP_TYPE if !self.seen_node => {
                let header_size = usize::from(header.header_size);
                let body_start = if (CHUNK_HEADER_SIZE..=chunk.len()).contains(&header_size) {
                    header_size
                } else {
                    self.anomalies.push(format!(
                        "resource map at offset {pos} has bogus header size {header_size}"
                    ));
                    CHUNK_HEADER_SIZE
                };
                if !self.res_map.is_empty() {
                    self.anomalies.push(format!(
                        "another resource map at offset {pos} replaces the previous one"
                    ));
                }
                self.res_map = chunk.get(body_start..).unwrap_or_default();
            }
            RES_XML_START_NAMESPACE_TYPE..=RES_XML_CDATA_TYPE => {
                if !self.seen_node {
                    self.seen_node = true;
                    if self.pool.is_none() {
                        return Err(self.pool_error.take().unwrap_or(AxmlError::BadStringPool {
                            offset: pos,
                            expected: "a string pool chunk before the first XML node".into(),
                        }));
                    }
                }
                match header.ty {
                    RES_XML_START_NAMESPACE_TYPE => self.namespace(chunk, pos)?,
                    RES_XML_END_NAMESPACE_TYPE => {}
                    RES_XML_START_ELEMENT_TYPE => self.start_element(chunk, pos)?,
                    RES_XML_END_ELEMENT_TYPE => self.end_element(chunk, pos),
                    _ => self.cdata(chunk, pos)?,
                }
            }
            other => {
                self.anomalies.push(format!(
                    "skipped chunk type 0x{other:04x} ({} bytes) at offset {pos}",
                    chunk.len()
                ));
            }
        }
        Ok(())
    }

    /// The node's line number and its type-specific part, if at least `min_ext`
    /// bytes of it are present.
    fn node_ext(&mut self, chunk: &'a [u8], pos: usize, min_ext: usize) -> Option<(u32, &'a [u8])> {
        let header_size = usize::from(u16_at(chunk, 2).unwrap_or(0));
        let ext_start = if header_size >= NODE_HEADER_SIZE && header_size <= chunk.len() {
            header_size
        } else {
            self.anomalies.push(format!(
                "XML node at offset {pos} has bogus header size {header_size}; assuming {NODE_HEADER_SIZE}"
            ));
            NODE_HEADER_SIZE
        };
        let line = u32_at(chunk, 8).unwrap_or(0);
        match chunk.get(ext_start..) {
            Some(ext) if ext.len() >= min_ext => Some((line, ext)),
            _ => {
                self.anomalies.push(format!(
                    "XML node at offset {pos} is too small for its {min_ext}-byte body; skipped"
                ));
                None
            }
        }
    }

    fn charge(&mut self, bytes: usize, offset: usize) -> Result<(), AxmlError> {
        self.budget_left = self
            .budget_left
            .checked_sub(bytes)
            .ok_or(AxmlError::LimitExceeded {
                offset,
                what: "decoded string bytes",
                limit: self.limits.max_total_string_bytes,
            })?;
        Ok(())
    }

    /// The pool string `index`, or `None` for "no string" or an unreadable one.
    fn string(
        &mut self,
        index: u32,
        offset: usize,
        what: &str,
    ) -> Result<Option<String>, AxmlError> {
        if index == NO_INDEX {
            return Ok(None);
        }
        let Some(pool) = self.pool.as_ref() else {
            return Ok(None);
        };
        let beyond = pool.beyond_declared(index);
        match pool.get(index) {
            Some(text) => {
                if beyond {
                    self.anomalies.push(format!(
                        "{what} at offset {offset} uses string {index}, beyond the pool's declared count"
                    ));
                }
                self.charge(text.len(), offset)?;
                Ok(Some(text))
            }
            None => {
                self.anomalies.push(format!(
                    "{what} at offset {offset} refers to unreadable string {index}"
                ));
                Ok(None)
            }
        }
    }

    fn resource_id(&self, name_index: u32) -> Option<u32> {
        let at = (name_index as usize).checked_mul(4)?;
        u32_at(self.res_map, at).filter(|&id| id != 0)
    }

    fn namespace(&mut self, chunk: &'a [u8], pos: usize) -> Result<(), AxmlError> {
        let Some((_, ext)) = self.node_ext(chunk, pos, 8) else {
            return Ok(());
        };
        let prefix = self.string(u32_at(ext, 0).unwrap_or(NO_INDEX), pos, "namespace prefix")?;
        let uri = self.string(u32_at(ext, 4).unwrap_or(NO_INDEX), pos, "namespace URI")?;
        self.namespaces
            .push((prefix.unwrap_or_default(), uri.unwrap_or_default()));
        Ok(())
    }

    fn start_element(&mut self, chunk: &'a [u8], pos: usize) -> Result<(), AxmlError> {
        let Some((line, ext)) = self.node_ext(chunk, pos, ATTR_EXT_SIZE) else {
            return Ok(());
        };
        self.elements = self.elements.saturating_add(1);
        if self.elements > self.limits.max_elements {
            return Err(AxmlError::LimitExceeded {
                offset: pos,
                what: "element count",
                limit: self.limits.max_elements,
            });
        }
        if self.skip_depth > 0 || (self.root.is_some() && self.stack.is_empty()) {
            if self.skip_depth == 0 {
                self.anomalies.push(format!(
                    "second root element at offset {pos} ignored (Android stops at the end of the first)"
                ));
            }
            self.skip_depth = self.skip_depth.saturating_add(1);
            return Ok(());
        }
        let depth = self.stack.len() + 1;
        if depth > self.limits.max_depth {
            return Err(AxmlError::TooDeep {
                offset: pos,
                depth,
                limit: self.limits.max_depth,
            });
        }

        let ns_index = u32_at(ext, 0).unwrap_or(NO_INDEX);
        let name_index = u32_at(ext, 4).unwrap_or(NO_INDEX);
        let attr_start = usize::from(u16_at(ext, 8).unwrap_or(0));
        let attr_size = usize::from(u16_at(ext, 10).unwrap_or(0));
        let attr_count = usize::from(u16_at(ext, 12).unwrap_or(0));

        let namespace = self.string(ns_index, pos, "element namespace")?;
        let name = self.string(name_index, pos, "element name")?;
        let name = name.unwrap_or_else(|| {
            self.anomalies
                .push(format!("element at offset {pos} has no readable name"));
            String::new()
        });

        let stride = if attr_size < ATTRIBUTE_SIZE {
            if attr_count > 0 {
                self.anomalies.push(format!(
                    "element at offset {pos} declares attribute size {attr_size}; using {ATTRIBUTE_SIZE}"
                ));
            }
            ATTRIBUTE_SIZE
        } else {
            attr_size
        };
        let mut attributes = Vec::new();
        for i in 0..attr_count {
            let record = attr_start
                .checked_add(i.saturating_mul(stride))
                .and_then(|at| ext.get(at..at.checked_add(ATTRIBUTE_SIZE)?));
            let Some(record) = record else {
                self.anomalies.push(format!(
                    "element at offset {pos} declares {attr_count} attributes but only {i} fit in its chunk"
                ));
                break;
            };
            attributes.push(self.attribute(record, pos)?);
        }

        self.stack.push((
            Element {
                namespace,
                name,
                attributes,
                children: Vec::new(),
                line,
                text: None,
            },
            name_index,
        ));
        Ok(())
    }

    fn attribute(&mut self, record: &[u8], pos: usize) -> Result<Attribute, AxmlError> {
        let ns_index = u32_at(record, 0).unwrap_or(NO_INDEX);
        let name_index = u32_at(record, 4).unwrap_or(NO_INDEX);
        let raw_index = u32_at(record, 8).unwrap_or(NO_INDEX);
        let data_type = u8_at(record, 15).unwrap_or(0);
        let data = u32_at(record, 16).unwrap_or(0);

        let resource_id = self.resource_id(name_index);
        let mut namespace = self.string(ns_index, pos, "attribute namespace")?;
        let mut name = self
            .string(name_index, pos, "attribute name")?
            .unwrap_or_default();
        if let Some(canonical) = resource_id.and_then(framework_attr_name) {
            if name != canonical {
                self.anomalies.push(format!(
                    "attribute at offset {pos}: name {name:?} does not match resource id 0x{:08x}; read as android:{canonical}",
                    resource_id.unwrap_or(0)
                ));
                name = canonical.to_string();
            }
            if namespace.as_deref() != Some(ANDROID_NS) {
                self.anomalies.push(format!(
                    "attribute android:{canonical} at offset {pos} has namespace {namespace:?}; read as the Android namespace"
                ));
                namespace = Some(ANDROID_NS.to_string());
            }
        }
        let raw = self.string(raw_index, pos, "attribute raw value")?;
        let value = if data_type == TYPE_STRING {
            match self.string(data, pos, "attribute string value")? {
                Some(text) => Value::String(text),
                None => Value::Other { data_type, data },
            }
        } else {
            Value::decode(data_type, data, |_| None)
        };
        Ok(Attribute {
            namespace,
            name,
            resource_id,
            raw,
            value,
        })
    }

    fn end_element(&mut self, chunk: &'a [u8], pos: usize) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        let name_index = self
            .node_ext(chunk, pos, 8)
            .and_then(|(_, ext)| u32_at(ext, 4));
        match self.stack.pop() {
            Some((element, open_index)) => {
                if name_index.is_some_and(|index| index != open_index) {
                    self.anomalies.push(format!(
                        "end element at offset {pos} does not match the open <{}>",
                        element.name
                    ));
                }
                self.attach(element);
            }
            None => self
                .anomalies
                .push(format!("unmatched end element at offset {pos} ignored")),
        }
    }

    fn cdata(&mut self, chunk: &'a [u8], pos: usize) -> Result<(), AxmlError> {
        let Some((_, ext)) = self.node_ext(chunk, pos, 4) else {
            return Ok(());
        };
        if self.skip_depth > 0 {
            return Ok(());
        }
        let text = self.string(u32_at(ext, 0).unwrap_or(NO_INDEX), pos, "character data")?;
        match (text, self.stack.last_mut()) {
            (Some(text), Some((element, _))) => {
                element.text.get_or_insert_with(String::new).push_str(&text);
            }
            (Some(_), None) => self.anomalies.push(format!(
                "character data outside the root at offset {pos} ignored"
            )),
            (None, _) => {}
        }
        Ok(())
    }

    fn attach(&mut self, element: Element) {
        match self.stack.last_mut() {
            Some((parent, _)) => parent.children.push(element),
            None => {
                if self.root.is_none() {
                    self.root = Some(element);
                }
            }
        }
    }

    fn finish(mut self, end: usize) -> Result<XmlDocument, AxmlError> {
        if !self.stack.is_empty() {
            self.anomalies.push(format!(
                "document ended with {} unclosed element(s); closed them",
                self.stack.len()
            ));
            while let Some((element, _)) = self.stack.pop() {
                self.attach(element);
            }
        }
        match self.root.take() {
            Some(root) => Ok(XmlDocument {
                root,
                anomalies: self.anomalies.finish(),
                namespaces: self.namespaces,
            }),
            None if self.truncated => Err(AxmlError::TruncatedAxml {
                offset: end,
                expected: "a root element before the end of the input".into(),
            }),
            None => match self.pool_error.take() {
                Some(error) if self.pool.is_none() => Err(error),
                _ => Err(AxmlError::MalformedAxml {
                    offset: end,
                    expected: "a root element (no start element chunk was found)".into(),
                }),
            },
        }
    }
}
