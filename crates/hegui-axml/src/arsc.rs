//! Resource tables (`resources.arsc`).
//!
//! A table is one `RES_TABLE_TYPE` chunk (12-byte header: chunk header and
//! package count) holding the global value string pool and one chunk per
//! package. A package chunk's header holds its id, its UTF-16 name and the
//! offsets of its type-name and key-name string pools; its body holds a type
//! spec chunk per type (one flags word per entry) and one type chunk per
//! (type, configuration) pair. A type chunk's header holds the type id, flags,
//! entry count, where the entries start and a `ResTable_config`; then come the
//! entry offsets (32-bit, 16-bit when `FLAG_OFFSET16`, or index/offset pairs
//! when `FLAG_SPARSE`), then the entries: simple (one `Res_value`), complex
//! (a parent and a list of name/value pairs) or compact (key, type and data
//! packed into 8 bytes).

use crate::chunk::{
    CHUNK_HEADER_SIZE, ChunkHeader, RES_STRING_POOL_TYPE, RES_TABLE_LIBRARY_TYPE,
    RES_TABLE_OVERLAYABLE_POLICY_TYPE, RES_TABLE_OVERLAYABLE_TYPE, RES_TABLE_PACKAGE_TYPE,
    RES_TABLE_STAGED_ALIAS_TYPE, RES_TABLE_TYPE, RES_TABLE_TYPE_SPEC_TYPE, RES_TABLE_TYPE_TYPE,
    u8_at, u16_at, u32_at, utf16_field,
};
use crate::error::{Anomalies, AxmlError, Limits};
use crate::string_pool::StringPool;
use crate::value::{TYPE_DYNAMIC_REFERENCE, TYPE_REFERENCE, TYPE_STRING, Value};

const TABLE_HEADER_SIZE: usize = 12;
/// Package header without `typeIdOffset` (older tables).
const PACKAGE_HEADER_MIN: usize = 284;
const PACKAGE_HEADER_SIZE: usize = 288;
const TYPE_SPEC_HEADER_SIZE: usize = 16;
/// `ResTable_type` up to and including the config's size word.
const TYPE_HEADER_MIN: usize = 24;
const CONFIG_OFFSET: usize = 20;
/// Raw config bytes kept per type chunk.
const MAX_CONFIG_BYTES: usize = 256;

const TYPE_FLAG_SPARSE: u8 = 0x01;
const TYPE_FLAG_OFFSET16: u8 = 0x02;
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
const NO_ENTRY: u32 = 0xFFFF_FFFF;
const NO_ENTRY16: u16 = 0xFFFF;
/// Most type-chunk probes one resolution may make (bounds the work of long or
/// branching reference chains in hostile tables).
const MAX_RESOLVE_WORK: usize = 1_000_000;

/// The configuration qualifiers of one type chunk that callers usually need.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Config {
    /// ISO 639 language ("" for the default locale), e.g. "zh".
    pub language: String,
    /// ISO 3166 region or UN M.49 area code ("" when none), e.g. "CN".
    pub region: String,
    /// Screen density in dpi (0 = any).
    pub density: u16,
    /// Minimum platform version (0 = any).
    pub sdk_version: u16,
}

impl Config {
    /// Reads the fields this crate exposes from raw `ResTable_config` bytes
    /// (starting with its size word); fields the bytes do not cover stay default.
    pub fn from_raw(raw: &[u8]) -> Config {
        let field = |off: usize, len: usize| raw.get(off..off + len);
        Config {
            language: field(8, 2)
                .map(|b| unpack_locale_part(b, b'a'))
                .unwrap_or_default(),
            region: field(10, 2)
                .map(|b| unpack_locale_part(b, b'0'))
                .unwrap_or_default(),
            density: u16_at(raw, 14).unwrap_or(0),
            sdk_version: u16_at(raw, 24).unwrap_or(0),
        }
    }

    /// The locale as "lang-REGION", "lang" or "" for the default.
    pub fn locale(&self) -> String {
        match (self.language.is_empty(), self.region.is_empty()) {
            (true, true) => String::new(),
            (false, true) => self.language.clone(),
            (true, false) => format!("-{}", self.region),
            (false, false) => format!("{}-{}", self.language, self.region),
        }
    }

    /// Whether this configuration has no locale.
    pub fn is_default_locale(&self) -> bool {
        self.language.is_empty() && self.region.is_empty()
    }
}

/// Unpacks a two-byte language or region field. Two-letter codes are stored
/// as ASCII; three-letter codes are packed into 15 bits with the high bit set,
/// five bits per letter, relative to `base` ('a' for languages, '0' for regions).
pub(crate) fn unpack_locale_part(bytes: &[u8], base: u8) -> String {
    let b0 = bytes.first().copied().unwrap_or(0);
    let b1 = bytes.get(1).copied().unwrap_or(0);
    if b0 & 0x80 != 0 {
        let first = b1 & 0x1F;
        let second = ((b1 & 0xE0) >> 5) | ((b0 & 0x03) << 3);
        let third = (b0 & 0x7C) >> 2;
        [first, second, third]
            .iter()
            .map(|&v| char::from(base.wrapping_add(v)))
            .filter(char::is_ascii_alphanumeric)
            .collect()
    } else {
        [b0, b1]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|&b| char::from(b))
            .collect()
    }
}

/// A raw `Res_value` as stored in the table; convert with [`ResourceTable::value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawValue {
    /// The `Res_value` data type.
    pub data_type: u8,
    /// The data word.
    pub data: u32,
}

/// The body of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryBody {
    /// A single value.
    Simple(RawValue),
    /// A map (style, array, plurals...): parent reference and `(name, value)` items.
    Map {
        /// Parent map resource id (0 for none).
        parent: u32,
        /// Items: attribute/key resource id and value.
        items: Vec<(u32, RawValue)>,
    },
}

/// One entry of a type chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEntry {
    /// Entry index (the low 16 bits of the resource id).
    pub index: u16,
    /// Index of the entry's name in the package's key string pool.
    pub key: u32,
    /// Entry flags (`FLAG_COMPLEX`, `FLAG_PUBLIC`, `FLAG_WEAK`, `FLAG_COMPACT`).
    pub flags: u16,
    /// The value(s).
    pub body: EntryBody,
}

/// A type spec chunk: per-entry configuration-change flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSpec {
    /// Type id (1-based).
    pub id: u8,
    /// Entry count as declared.
    pub entry_count: u32,
    /// Flags per entry (as many as the chunk holds).
    pub flags: Vec<u32>,
}

/// A type chunk: the entries of one type in one configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableType {
    /// Type id (1-based).
    pub id: u8,
    /// Type chunk flags (`FLAG_SPARSE`, `FLAG_OFFSET16`).
    pub flags: u8,
    /// Decoded configuration.
    pub config: Config,
    /// The raw `ResTable_config` bytes (at most 256 are kept).
    pub config_raw: Vec<u8>,
    /// Present entries, sorted by index.
    pub entries: Vec<TableEntry>,
}

impl TableType {
    /// The entry with index `index`, if present in this configuration.
    pub fn entry(&self, index: u16) -> Option<&TableEntry> {
        self.entries
            .binary_search_by_key(&index, |entry| entry.index)
            .ok()
            .and_then(|at| self.entries.get(at))
    }

    /// Number of non-zero configuration bytes other than the size word and the
    /// locale fields: 0 for a configuration qualified by locale only.
    fn other_qualifiers(&self) -> usize {
        let count = |from: usize, to: usize| {
            self.config_raw
                .get(from..to.min(self.config_raw.len()))
                .map_or(0, |bytes| bytes.iter().filter(|&&b| b != 0).count())
        };
        count(4, 8) + count(12, 36) + count(48, 52)
    }
}

/// One package of a resource table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Package id (0x7f for an app).
    pub id: u32,
    /// Package name.
    pub name: String,
    /// Type names ("string", "xml", ...), indexed by type id - 1.
    pub type_strings: StringPool,
    /// Entry names, indexed by [`TableEntry::key`].
    pub key_strings: StringPool,
    /// Offset added to type ids (shared libraries); usually 0.
    pub type_id_offset: u32,
    /// Type spec chunks.
    pub type_specs: Vec<TypeSpec>,
    /// Type chunks (one per type and configuration).
    pub types: Vec<TableType>,
}

/// A parsed resource table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTable {
    /// The global value string pool.
    pub strings: StringPool,
    /// Packages in file order.
    pub packages: Vec<Package>,
    /// Lenient fixes the reader applied.
    pub anomalies: Vec<String>,
    max_reference_depth: usize,
    max_string_bytes: usize,
}

/// Parses a resource table (`resources.arsc`).
///
/// Lenient like Android: unknown chunks are skipped, a truncated table yields
/// the packages that could be read. Errors when the input is not a table, when
/// no package can be read, or when a limit is exceeded.
pub fn parse_arsc(data: &[u8], limits: &Limits) -> Result<ResourceTable, AxmlError> {
    let mut anomalies = Anomalies::new(limits.max_anomalies);
    let header = ChunkHeader::read(data, 0)
        .filter(|_| data.len() >= TABLE_HEADER_SIZE)
        .ok_or_else(|| AxmlError::TruncatedArsc {
            offset: 0,
            expected: format!(
                "a {TABLE_HEADER_SIZE}-byte table header, found {} bytes",
                data.len()
            ),
        })?;
    if header.ty != RES_TABLE_TYPE {
        return Err(AxmlError::MalformedArsc {
            offset: 0,
            expected: format!(
                "a RES_TABLE_TYPE (0x0002) chunk, found chunk type 0x{:04x}",
                header.ty
            ),
        });
    }
    let declared = header.size as usize;
    let end = if declared < TABLE_HEADER_SIZE || declared > data.len() {
        anomalies.push(format!(
            "bogus size {declared} on table chunk (input is {} bytes); read to the end of the input",
            data.len()
        ));
        data.len()
    } else {
        if declared < data.len() {
            anomalies.push(format!(
                "{} bytes after the table chunk ignored",
                data.len() - declared
            ));
        }
        declared
    };
    let header_size = usize::from(header.header_size);
    let start = if header_size == TABLE_HEADER_SIZE {
        header_size
    } else {
        anomalies.push(format!(
            "bogus header size {header_size} on table chunk; body read from offset {TABLE_HEADER_SIZE}"
        ));
        TABLE_HEADER_SIZE
    };
    let package_count = u32_at(data, 8).unwrap_or(0);

    let mut reader = TableReader {
        limits,
        anomalies,
        entries: 0,
        truncated: false,
    };
    let mut strings: Option<StringPool> = None;
    let mut packages = Vec::new();
    let mut first_error: Option<AxmlError> = None;
    let mut pos = start;
    while pos < end {
        let Some(chunk_header) =
            ChunkHeader::read(data, pos).filter(|_| end - pos >= CHUNK_HEADER_SIZE)
        else {
            reader
                .anomalies
                .push(format!("{} stray bytes at offset {pos} ignored", end - pos));
            reader.truncated = true;
            break;
        };
        let size = chunk_header.size as usize;
        if size < CHUNK_HEADER_SIZE {
            let error = AxmlError::MalformedArsc {
                offset: pos,
                expected: format!("a chunk size of at least 8 bytes, found {size}"),
            };
            reader
                .anomalies
                .push(format!("{error}; rest of the table ignored"));
            first_error.get_or_insert(error);
            break;
        }
        let (chunk_end, clamped) = match pos.checked_add(size) {
            Some(chunk_end) if chunk_end <= end => (chunk_end, false),
            _ => {
                reader.anomalies.push(format!(
                    "chunk type 0x{:04x} at offset {pos} declares {size} bytes but only {} remain",
                    chunk_header.ty,
                    end - pos
                ));
                reader.truncated = true;
                (end, true)
            }
        };
        let chunk = data.get(pos..chunk_end).unwrap_or_default();
        match chunk_header.ty {
            RES_STRING_POOL_TYPE if strings.is_none() => {
                match StringPool::parse(chunk, pos, limits, &mut reader.anomalies) {
                    Ok(pool) => strings = Some(pool),
                    Err(error @ AxmlError::LimitExceeded { .. }) => return Err(error),
                    Err(error) => {
                        reader
                            .anomalies
                            .push(format!("global string pool unreadable: {error}"));
                        first_error.get_or_insert(error);
                    }
                }
            }
            RES_TABLE_PACKAGE_TYPE => match reader.package(chunk, pos, clamped) {
                Ok(package) => packages.push(package),
                Err(error @ AxmlError::LimitExceeded { .. }) => return Err(error),
                Err(error) => {
                    reader.anomalies.push(format!("package skipped: {error}"));
                    first_error.get_or_insert(error);
                }
            },
            other => reader.anomalies.push(format!(
                "skipped chunk type 0x{other:04x} ({} bytes) at offset {pos}",
                chunk.len()
            )),
        }
        pos = chunk_end;
    }

    if packages.is_empty() {
        if reader.truncated {
            if let Some(error @ AxmlError::TruncatedArsc { .. }) = first_error {
                return Err(error);
            }
            return Err(AxmlError::TruncatedArsc {
                offset: end,
                expected: "a package chunk before the end of the input".into(),
            });
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        reader.anomalies.push("table holds no package");
    }
    if package_count as usize != packages.len() {
        reader.anomalies.push(format!(
            "table declares {package_count} packages but {} were read",
            packages.len()
        ));
    }
    if strings.is_none() {
        reader
            .anomalies
            .push("table has no readable global string pool");
    }
    Ok(ResourceTable {
        strings: strings.unwrap_or_default(),
        packages,
        anomalies: reader.anomalies.finish(),
        max_reference_depth: limits.max_reference_depth,
        max_string_bytes: limits.max_total_string_bytes,
    })
}

struct TableReader<'l> {
    limits: &'l Limits,
    anomalies: Anomalies,
    entries: usize,
    truncated: bool,
}

impl TableReader<'_> {
    fn count_entries(&mut self, n: usize, offset: usize) -> Result<(), AxmlError> {
        self.entries = self.entries.saturating_add(n);
        if self.entries > self.limits.max_table_entries {
            return Err(AxmlError::LimitExceeded {
                offset,
                what: "table entries and map items",
                limit: self.limits.max_table_entries,
            });
        }
        Ok(())
    }

    /// Reads a string pool chunk that starts at `at` inside `package`.
    fn pool_at(&mut self, package: &[u8], at: usize, base: usize) -> Option<StringPool> {
        let header = ChunkHeader::read(package, at)?;
        if header.ty != RES_STRING_POOL_TYPE {
            return None;
        }
        let end = at.checked_add(header.size as usize)?.min(package.len());
        let chunk = package.get(at..end)?;
        StringPool::parse(chunk, base + at, self.limits, &mut self.anomalies).ok()
    }

    fn package(&mut self, chunk: &[u8], base: usize, clamped: bool) -> Result<Package, AxmlError> {
        if chunk.len() < PACKAGE_HEADER_MIN {
            let expected = format!(
                "a package header of at least {PACKAGE_HEADER_MIN} bytes, found {}",
                chunk.len()
            );
            return Err(if clamped {
                AxmlError::TruncatedArsc {
                    offset: base,
                    expected,
                }
            } else {
                AxmlError::MalformedArsc {
                    offset: base,
                    expected,
                }
            });
        }
        let header_size = usize::from(u16_at(chunk, 2).unwrap_or(0));
        let id = u32_at(chunk, 8).unwrap_or(0);
        let name = utf16_field(chunk.get(12..268).unwrap_or_default());
        let type_strings_at = u32_at(chunk, 268).unwrap_or(0) as usize;
        let key_strings_at = u32_at(chunk, 276).unwrap_or(0) as usize;
        let type_id_offset = if header_size >= PACKAGE_HEADER_SIZE {
            u32_at(chunk, 284).unwrap_or(0)
        } else {
            0
        };
        let body_start = if (PACKAGE_HEADER_MIN..=chunk.len()).contains(&header_size) {
            header_size
        } else {
            let fallback = if chunk.len() >= PACKAGE_HEADER_SIZE {
                PACKAGE_HEADER_SIZE
            } else {
                PACKAGE_HEADER_MIN
            };
            self.anomalies.push(format!(
                "package at offset {base} has bogus header size {header_size}; body read from offset {}",
                base + fallback
            ));
            fallback
        };

        let mut walked_pools = Vec::new();
        let mut type_specs = Vec::new();
        let mut types = Vec::new();
        let mut pos = body_start;
        while pos < chunk.len() {
            let at = base + pos;
            let Some(header) = ChunkHeader::read(chunk, pos) else {
                self.anomalies.push(format!(
                    "{} stray bytes at offset {at} ignored",
                    chunk.len() - pos
                ));
                break;
            };
            let size = header.size as usize;
            if size < CHUNK_HEADER_SIZE {
                self.anomalies.push(format!(
                    "chunk at offset {at} has size {size}; rest of package {name:?} ignored"
                ));
                break;
            }
            let chunk_end = match pos.checked_add(size) {
                Some(chunk_end) if chunk_end <= chunk.len() => chunk_end,
                _ => {
                    self.anomalies.push(format!(
                        "chunk type 0x{:04x} at offset {at} runs past the end of its package; truncated",
                        header.ty
                    ));
                    chunk.len()
                }
            };
            let body = chunk.get(pos..chunk_end).unwrap_or_default();
            match header.ty {
                RES_STRING_POOL_TYPE => walked_pools.push(pos),
                RES_TABLE_TYPE_SPEC_TYPE => {
                    if let Some(spec) = self.type_spec(body, at)? {
                        type_specs.push(spec);
                    }
                }
                RES_TABLE_TYPE_TYPE => {
                    if let Some(table_type) = self.table_type(body, at)? {
                        types.push(table_type);
                    }
                }
                RES_TABLE_LIBRARY_TYPE
                | RES_TABLE_OVERLAYABLE_TYPE
                | RES_TABLE_OVERLAYABLE_POLICY_TYPE
                | RES_TABLE_STAGED_ALIAS_TYPE => {}
                other => self.anomalies.push(format!(
                    "skipped chunk type 0x{other:04x} ({} bytes) at offset {at}",
                    body.len()
                )),
            }
            pos = chunk_end;
        }

        let type_strings = match self.pool_at(chunk, type_strings_at, base) {
            Some(pool) => pool,
            None => {
                self.anomalies.push(format!(
                    "package {name:?}: no type string pool at its declared offset {type_strings_at}"
                ));
                walked_pools
                    .first()
                    .and_then(|&at| self.pool_at(chunk, at, base))
                    .unwrap_or_default()
            }
        };
        let key_strings = match self.pool_at(chunk, key_strings_at, base) {
            Some(pool) => pool,
            None => {
                self.anomalies.push(format!(
                    "package {name:?}: no key string pool at its declared offset {key_strings_at}"
                ));
                walked_pools
                    .get(1)
                    .and_then(|&at| self.pool_at(chunk, at, base))
                    .unwrap_or_default()
            }
        };
        Ok(Package {
            id,
            name,
            type_strings,
            key_strings,
            type_id_offset,
            type_specs,
            types,
        })
    }

    fn type_spec(&mut self, chunk: &[u8], at: usize) -> Result<Option<TypeSpec>, AxmlError> {
        let header_size = usize::from(u16_at(chunk, 2).unwrap_or(0));
        if chunk.len() < TYPE_SPEC_HEADER_SIZE {
            self.anomalies
                .push(format!("type spec at offset {at} is too small; skipped"));
            return Ok(None);
        }
        let id = u8_at(chunk, 8).unwrap_or(0);
        if id == 0 {
            self.anomalies
                .push(format!("type spec at offset {at} has type id 0; skipped"));
            return Ok(None);
        }
        let entry_count = u32_at(chunk, 12).unwrap_or(0);
        let flags_start = header_size.clamp(TYPE_SPEC_HEADER_SIZE, chunk.len());
        let room = (chunk.len() - flags_start) / 4;
        let count = (entry_count as usize).min(room);
        if count < entry_count as usize {
            self.anomalies.push(format!(
                "type spec at offset {at} declares {entry_count} entries but holds {count}"
            ));
        }
        self.count_entries(count, at)?;
        let flags = (0..count)
            .filter_map(|i| u32_at(chunk, flags_start + i * 4))
            .collect();
        Ok(Some(TypeSpec {
            id,
            entry_count,
            flags,
        }))
    }

    fn table_type(&mut self, chunk: &[u8], at: usize) -> Result<Option<TableType>, AxmlError> {
        let header_size = usize::from(u16_at(chunk, 2).unwrap_or(0));
        if header_size < TYPE_HEADER_MIN || header_size > chunk.len() {
            self.anomalies.push(format!(
                "type chunk at offset {at} has bogus header size {header_size}; skipped"
            ));
            return Ok(None);
        }
        let id = u8_at(chunk, 8).unwrap_or(0);
        if id == 0 {
            self.anomalies
                .push(format!("type chunk at offset {at} has type id 0; skipped"));
            return Ok(None);
        }
        let flags = u8_at(chunk, 9).unwrap_or(0);
        let entry_count = u32_at(chunk, 12).unwrap_or(0) as usize;
        let entries_start = u32_at(chunk, 16).unwrap_or(0) as usize;
        let config_size = u32_at(chunk, CONFIG_OFFSET).unwrap_or(0) as usize;
        let config_end = CONFIG_OFFSET
            .saturating_add(config_size)
            .min(header_size)
            .min(CONFIG_OFFSET + MAX_CONFIG_BYTES);
        let config_raw = chunk
            .get(CONFIG_OFFSET..config_end)
            .unwrap_or_default()
            .to_vec();
        let config = Config::from_raw(&config_raw);

        if entries_start > chunk.len() {
            self.anomalies.push(format!(
                "type chunk at offset {at} puts its entries at {entries_start}, past its end; skipped"
            ));
            return Ok(None);
        }
        let width = if flags & TYPE_FLAG_OFFSET16 != 0 && flags & TYPE_FLAG_SPARSE == 0 {
            2
        } else {
            4
        };
        let offsets_end = if entries_start >= header_size {
            entries_start
        } else {
            chunk.len()
        };
        let room = (offsets_end - header_size) / width;
        let mut count = entry_count.min(room);
        if flags & TYPE_FLAG_SPARSE == 0 && count > usize::from(u16::MAX) + 1 {
            count = usize::from(u16::MAX) + 1;
        }
        if count < entry_count {
            self.anomalies.push(format!(
                "type chunk at offset {at} declares {entry_count} entries but has room for {count} offsets"
            ));
        }

        let mut entries = Vec::new();
        let mut bad_entries = 0usize;
        for i in 0..count {
            let slot = header_size + i * width;
            let located = if flags & TYPE_FLAG_SPARSE != 0 {
                match (u16_at(chunk, slot), u16_at(chunk, slot + 2)) {
                    (Some(index), Some(quarter)) => Some((index, usize::from(quarter) * 4)),
                    _ => None,
                }
            } else if width == 2 {
                u16_at(chunk, slot)
                    .filter(|&quarter| quarter != NO_ENTRY16)
                    .map(|quarter| (i as u16, usize::from(quarter) * 4))
            } else {
                u32_at(chunk, slot)
                    .filter(|&offset| offset != NO_ENTRY)
                    .map(|offset| (i as u16, offset as usize))
            };
            let Some((index, offset)) = located else {
                continue;
            };
            self.count_entries(1, at)?;
            match entries_start
                .checked_add(offset)
                .and_then(|entry_at| self.entry(chunk, entry_at, index, at))
            {
                Some(entry) => {
                    if let EntryBody::Map { items, .. } = &entry.body {
                        self.count_entries(items.len(), at)?;
                    }
                    entries.push(entry);
                }
                None => bad_entries += 1,
            }
        }
        if bad_entries > 0 {
            self.anomalies.push(format!(
                "type chunk at offset {at}: {bad_entries} unreadable entries skipped"
            ));
        }
        entries.sort_by_key(|entry| entry.index);
        entries.dedup_by_key(|entry| entry.index);
        Ok(Some(TableType {
            id,
            flags,
            config,
            config_raw,
            entries,
        }))
    }

    fn entry(&mut self, chunk: &[u8], pos: usize, index: u16, at: usize) -> Option<TableEntry> {
        if pos >= chunk.len() {
            return None;
        }
        let size = u16_at(chunk, pos)?;
        let flags = u16_at(chunk, pos + 2)?;
        let word = u32_at(chunk, pos + 4)?;
        if flags & ENTRY_FLAG_COMPACT != 0 {
            return Some(TableEntry {
                index,
                key: u32::from(size),
                flags,
                body: EntryBody::Simple(RawValue {
                    data_type: (flags >> 8) as u8,
                    data: word,
                }),
            });
        }
        let size = usize::from(size);
        let body = if flags & ENTRY_FLAG_COMPLEX != 0 {
            let parent = u32_at(chunk, pos + 8)?;
            let declared = u32_at(chunk, pos + 12)? as usize;
            let items_start = pos + size.max(16);
            let room = chunk.len().saturating_sub(items_start) / 12;
            let count = declared.min(room);
            if count < declared {
                self.anomalies.push(format!(
                    "map entry {index} in type chunk at offset {at} declares {declared} items but holds {count}"
                ));
            }
            let items = (0..count)
                .filter_map(|i| {
                    let item = items_start + i * 12;
                    Some((
                        u32_at(chunk, item)?,
                        RawValue {
                            data_type: u8_at(chunk, item + 7)?,
                            data: u32_at(chunk, item + 8)?,
                        },
                    ))
                })
                .collect();
            EntryBody::Map { parent, items }
        } else {
            let value_at = pos + size.max(8);
            EntryBody::Simple(RawValue {
                data_type: u8_at(chunk, value_at + 3)?,
                data: u32_at(chunk, value_at + 4)?,
            })
        };
        Some(TableEntry {
            index,
            key: word,
            flags,
            body,
        })
    }
}

/// Parsed locale preference: (language, region), lower/upper-case insensitive.
fn parse_locale(pref: &str) -> (String, String) {
    let pref = pref.trim();
    if let Some(rest) = pref.strip_prefix("b+") {
        let mut parts = rest.split('+');
        let language = parts.next().unwrap_or_default().to_string();
        let region = parts
            .find(|part| {
                part.len() == 2 || (part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit()))
            })
            .unwrap_or_default()
            .to_string();
        return (language, region);
    }
    let mut parts = pref.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_string();
    let region = parts.next().unwrap_or_default();
    let region = match region.strip_prefix('r') {
        Some(stripped) if region.len() == 3 || region.len() == 4 => stripped,
        _ => region,
    };
    (language, region.to_string())
}

impl ResourceTable {
    /// All `(type chunk, entry)` pairs for `res_id`, across packages with its id.
    pub fn entries(&self, res_id: u32) -> Vec<(&TableType, &TableEntry)> {
        self.entries_bounded(res_id, &mut 0, usize::MAX)
    }

    /// Like [`ResourceTable::entries`], counting each type chunk probed in
    /// `work` and stopping once it passes `max_work`.
    fn entries_bounded(
        &self,
        res_id: u32,
        work: &mut usize,
        max_work: usize,
    ) -> Vec<(&TableType, &TableEntry)> {
        let package_id = res_id >> 24;
        let type_id = ((res_id >> 16) & 0xFF) as u8;
        let index = (res_id & 0xFFFF) as u16;
        let mut found = Vec::new();
        if type_id == 0 {
            return found;
        }
        for package in self
            .packages
            .iter()
            .filter(|package| package.id == package_id)
        {
            for table_type in &package.types {
                *work = work.saturating_add(1);
                if *work > max_work {
                    return found;
                }
                if table_type.id == type_id
                    && let Some(entry) = table_type.entry(index)
                {
                    found.push((table_type, entry));
                }
            }
        }
        found
    }

    /// Converts a raw table value, looking strings up in the global pool.
    pub fn value(&self, raw: RawValue) -> Value {
        Value::decode(raw.data_type, raw.data, |index| self.strings.get(index))
    }

    /// The type name and entry name of `res_id`, e.g. `("string", "app_name")`.
    pub fn entry_name(&self, res_id: u32) -> Option<(String, String)> {
        let package_id = res_id >> 24;
        let type_id = ((res_id >> 16) & 0xFF) as u8;
        let index = (res_id & 0xFFFF) as u16;
        let type_index = u32::from(type_id).checked_sub(1)?;
        self.packages
            .iter()
            .filter(|package| package.id == package_id)
            .find_map(|package| {
                let entry = package
                    .types
                    .iter()
                    .filter(|table_type| table_type.id == type_id)
                    .find_map(|table_type| table_type.entry(index))?;
                let type_name = package.type_strings.get(
                    type_index
                        .checked_sub(package.type_id_offset)
                        .unwrap_or(type_index),
                )?;
                let key = package.key_strings.get(entry.key)?;
                Some((type_name, key))
            })
    }

    /// Every simple value of `res_id`, one per configuration, in file order.
    /// Stops early if the decoded strings exceed [`Limits::max_total_string_bytes`].
    pub fn values(&self, res_id: u32) -> Vec<(Config, Value)> {
        let mut budget = self.max_string_bytes;
        let mut out = Vec::new();
        for (table_type, entry) in self.entries(res_id) {
            if let EntryBody::Simple(raw) = entry.body {
                let value = self.value(raw);
                if let Value::String(text) = &value {
                    match budget.checked_sub(text.len()) {
                        Some(left) => budget = left,
                        None => break,
                    }
                }
                out.push((table_type.config.clone(), value));
            }
        }
        out
    }

    /// Follows references from `res_id` to a string.
    ///
    /// Prefers the value whose configuration locale equals the first matching
    /// entry of `preferred_locales` ("zh-CN", "zh-rCN", "zh", "" for the
    /// default; exact language and region), else the default-locale value,
    /// else any; among equals, the least-qualified configuration. Reference
    /// chains are followed up to [`Limits::max_reference_depth`] and cycles
    /// are cut.
    pub fn resolve_string(&self, res_id: u32, preferred_locales: &[&str]) -> Option<String> {
        let prefs: Vec<(String, String)> =
            preferred_locales.iter().map(|p| parse_locale(p)).collect();
        let rank = |table_type: &TableType| {
            let config = &table_type.config;
            let primary = prefs
                .iter()
                .position(|(language, region)| {
                    config.language.eq_ignore_ascii_case(language)
                        && config.region.eq_ignore_ascii_case(region)
                })
                .unwrap_or(if config.is_default_locale() {
                    prefs.len()
                } else {
                    prefs.len() + 1
                });
            (primary, table_type.other_qualifiers())
        };
        self.resolve(res_id, &rank)
    }

    /// The file path (such as `res/xml/network_security_config.xml`) of an
    /// `xml`, `raw`, `layout`... resource, preferring the default configuration.
    pub fn resolve_file_path(&self, res_id: u32) -> Option<String> {
        let rank = |table_type: &TableType| {
            (
                usize::from(!table_type.config.is_default_locale()),
                table_type.other_qualifiers(),
            )
        };
        self.resolve(res_id, &rank)
    }

    fn resolve(&self, res_id: u32, rank: &dyn Fn(&TableType) -> (usize, usize)) -> Option<String> {
        let mut path = Vec::new();
        let mut work = 0usize;
        self.resolve_inner(res_id, rank, &mut path, &mut work)
    }

    fn resolve_inner(
        &self,
        res_id: u32,
        rank: &dyn Fn(&TableType) -> (usize, usize),
        path: &mut Vec<u32>,
        work: &mut usize,
    ) -> Option<String> {
        if path.len() > self.max_reference_depth || path.contains(&res_id) {
            return None;
        }
        let mut candidates: Vec<((usize, usize), RawValue)> = self
            .entries_bounded(res_id, work, MAX_RESOLVE_WORK)
            .into_iter()
            .filter_map(|(table_type, entry)| match entry.body {
                EntryBody::Simple(raw) => Some((rank(table_type), raw)),
                EntryBody::Map { .. } => None,
            })
            .collect();
        candidates.sort_by_key(|(key, _)| *key);
        path.push(res_id);
        let mut found = None;
        for (_, raw) in candidates {
            if *work > MAX_RESOLVE_WORK {
                break;
            }
            found = match raw.data_type {
                TYPE_STRING => self.strings.get(raw.data),
                TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE if raw.data != 0 => {
                    self.resolve_inner(raw.data, rank, path, work)
                }
                _ => None,
            };
            if found.is_some() {
                break;
            }
        }
        path.pop();
        found
    }
}
