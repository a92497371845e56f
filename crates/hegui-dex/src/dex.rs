//! [`Dex`]: one parsed DEX file (or one section of a DEX 041 container).

use crate::header::Header;
use crate::reader::{bytes_at, u16_at, u32_at};
use crate::{DexError, Limits};

/// A table of fixed-size items: where it starts and how many items it has.
/// Checked at parse time to lie within the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Table {
    pub(crate) off: usize,
    pub(crate) count: u32,
}

pub(crate) const STRING_ID_SIZE: usize = 4;
pub(crate) const TYPE_ID_SIZE: usize = 4;
pub(crate) const PROTO_ID_SIZE: usize = 12;
pub(crate) const FIELD_ID_SIZE: usize = 8;
pub(crate) const METHOD_ID_SIZE: usize = 8;
pub(crate) const CLASS_DEF_SIZE: usize = 32;
const CALL_SITE_ID_SIZE: usize = 4;
const METHOD_HANDLE_SIZE: usize = 8;
const MAP_ITEM_SIZE: usize = 12;
const TYPE_CALL_SITE_ID_ITEM: u16 = 0x0007;
const TYPE_METHOD_HANDLE_ITEM: u16 = 0x0008;

/// One DEX file, borrowed over the input bytes.
///
/// Parsing checks the header and that every id table lies within the data;
/// everything else (strings, class data, code) is read lazily and checked when
/// read, so a damaged item makes only the call that reads it fail.
#[derive(Clone)]
pub struct Dex<'a> {
    /// The bytes offsets are relative to: the file (up to `file_size`), or for
    /// DEX 041 the whole container (up to `container_size`).
    pub(crate) data: &'a [u8],
    pub(crate) base: usize,
    pub(crate) header: Header,
    pub(crate) limits: Limits,
    pub(crate) strings: Table,
    pub(crate) types: Table,
    pub(crate) protos: Table,
    pub(crate) fields: Table,
    pub(crate) methods: Table,
    pub(crate) class_defs: Table,
    pub(crate) call_sites: Option<Table>,
    pub(crate) method_handles: Option<Table>,
}

impl std::fmt::Debug for Dex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dex")
            .field("base", &self.base)
            .field("data_len", &self.data.len())
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl<'a> Dex<'a> {
    /// Parses the DEX file at the start of `data`.
    ///
    /// Accepts versions 035 to 041. For a 041 container this parses the first
    /// section only; see [`Dex::parse_container`]. Bytes after `file_size`
    /// (041: after `container_size`) are ignored.
    pub fn parse(data: &'a [u8], limits: &Limits) -> Result<Dex<'a>, DexError> {
        Self::parse_at(data, 0, limits)
    }

    /// Parses the DEX header at `base` and its tables.
    pub(crate) fn parse_at(
        data: &'a [u8],
        base: usize,
        limits: &Limits,
    ) -> Result<Dex<'a>, DexError> {
        let header = Header::read(data, base)?;
        let too_large = |size: u64| DexError::TooLarge {
            size,
            limit: limits.max_file_size as u64,
        };
        let file_size = header.file_size as usize;
        let limit = if header.is_container() {
            let container_size = header.container_size as usize;
            if container_size > limits.max_file_size {
                return Err(too_large(container_size as u64));
            }
            if container_size > data.len() {
                return Err(DexError::Truncated {
                    what: "DEX container (container_size)",
                    offset: 0,
                    needed: container_size as u64,
                    available: data.len() as u64,
                });
            }
            if header.header_offset as usize != base {
                return Err(DexError::BadContainer {
                    offset: base as u64,
                    reason: "header_offset does not match the position of the header",
                    value: u64::from(header.header_offset),
                });
            }
            let end = base.saturating_add(file_size);
            if end > container_size {
                return Err(DexError::BadContainer {
                    offset: base as u64,
                    reason: "section (file_size) extends past container_size",
                    value: u64::from(header.file_size),
                });
            }
            container_size
        } else {
            if base != 0 {
                return Err(DexError::BadContainer {
                    offset: base as u64,
                    reason: "a section after the first must be version 041 with a 0x78-byte header",
                    value: u64::from(header.version),
                });
            }
            if file_size > limits.max_file_size {
                return Err(too_large(file_size as u64));
            }
            if file_size > data.len() {
                return Err(DexError::Truncated {
                    what: "DEX file (file_size)",
                    offset: 0,
                    needed: file_size as u64,
                    available: data.len() as u64,
                });
            }
            file_size
        };
        let data = data.get(..limit).unwrap_or(data);

        let table =
            |what: &'static str, count: u32, off: u32, item: usize| -> Result<Table, DexError> {
                if count == 0 {
                    return Ok(Table { off: 0, count: 0 });
                }
                let off = off as usize;
                let size = (count as usize).saturating_mul(item);
                if bytes_at(data, off, size).is_none() {
                    return Err(DexError::out_of_range(what, off, size, data.len()));
                }
                Ok(Table { off, count })
            };
        let h = &header;
        let strings = table(
            "string_ids",
            h.string_ids_size,
            h.string_ids_off,
            STRING_ID_SIZE,
        )?;
        let types = table("type_ids", h.type_ids_size, h.type_ids_off, TYPE_ID_SIZE)?;
        let protos = table(
            "proto_ids",
            h.proto_ids_size,
            h.proto_ids_off,
            PROTO_ID_SIZE,
        )?;
        let fields = table(
            "field_ids",
            h.field_ids_size,
            h.field_ids_off,
            FIELD_ID_SIZE,
        )?;
        let methods = table(
            "method_ids",
            h.method_ids_size,
            h.method_ids_off,
            METHOD_ID_SIZE,
        )?;
        let class_defs = table(
            "class_defs",
            h.class_defs_size,
            h.class_defs_off,
            CLASS_DEF_SIZE,
        )?;

        let mut dex = Dex {
            data,
            base,
            header,
            limits: *limits,
            strings,
            types,
            protos,
            fields,
            methods,
            class_defs,
            call_sites: None,
            method_handles: None,
        };
        dex.read_map();
        Ok(dex)
    }

    /// Finds the call site and method handle tables in the map. The map is
    /// optional for this reader: a missing or damaged map only means those two
    /// tables are unknown.
    fn read_map(&mut self) {
        let off = self.header.map_off as usize;
        if off == 0 {
            return;
        }
        let Some(n) = u32_at(self.data, off) else {
            return;
        };
        let avail = self.data.len().saturating_sub(off.saturating_add(4)) / MAP_ITEM_SIZE;
        let n = (n as usize).min(avail);
        for i in 0..n {
            let at = off + 4 + i * MAP_ITEM_SIZE;
            let (Some(ty), Some(size), Some(item_off)) = (
                u16_at(self.data, at),
                u32_at(self.data, at + 4),
                u32_at(self.data, at + 8),
            ) else {
                return;
            };
            let item = match ty {
                TYPE_CALL_SITE_ID_ITEM => CALL_SITE_ID_SIZE,
                TYPE_METHOD_HANDLE_ITEM => METHOD_HANDLE_SIZE,
                _ => continue,
            };
            let t = Table {
                off: item_off as usize,
                count: size,
            };
            if bytes_at(self.data, t.off, (size as usize).saturating_mul(item)).is_none() {
                continue;
            }
            if ty == TYPE_CALL_SITE_ID_ITEM {
                self.call_sites = Some(t);
            } else {
                self.method_handles = Some(t);
            }
        }
    }

    /// The version from the magic: 35 to 41.
    pub fn version(&self) -> u16 {
        self.header.version
    }

    /// The header as found in the file.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The limits this file was parsed with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Offset of this file's header in the input (non-zero only for later
    /// sections of a DEX 041 container).
    pub fn base_offset(&self) -> u32 {
        self.base as u32
    }

    /// The bytes all offsets of this file are relative to (the whole file, or
    /// the whole DEX 041 container).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Adler-32 of this file's bytes after the checksum field, to compare with
    /// [`Header::checksum`]. (For a 041 section: of the section's bytes.)
    pub fn computed_checksum(&self) -> u32 {
        let end = self.base.saturating_add(self.header.file_size as usize);
        let bytes = self.data.get(self.base + 12..end).unwrap_or(&[]);
        crate::checksum::adler32(bytes)
    }

    /// Whether the declared checksum matches the bytes.
    pub fn checksum_ok(&self) -> bool {
        self.computed_checksum() == self.header.checksum
    }

    /// Number of `call_site_id_item`s as listed in the map (0 if the map does
    /// not list any, or cannot be read).
    pub fn call_site_count(&self) -> u32 {
        self.call_sites.map_or(0, |t| t.count)
    }

    /// Number of `method_handle_item`s as listed in the map (0 if none or unknown).
    pub fn method_handle_count(&self) -> u32 {
        self.method_handles.map_or(0, |t| t.count)
    }

    /// The bytes of item `idx` of `table`.
    #[inline]
    pub(crate) fn item(
        &self,
        table: Table,
        idx: u32,
        size: usize,
        what: &'static str,
    ) -> Result<&'a [u8], DexError> {
        if idx >= table.count {
            return Err(DexError::index(what, idx, table.count));
        }
        let off = table.off + idx as usize * size;
        bytes_at(self.data, off, size)
            .ok_or_else(|| DexError::out_of_range(what, off, size, self.data.len()))
    }
}
