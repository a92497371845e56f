//! String pools (`ResStringPool_header` and the strings after it).
//!
//! Layout: the 8-byte chunk header, then `stringCount`, `styleCount`, `flags`,
//! `stringsStart` and `stylesStart` (28 header bytes in all); then one `u32`
//! offset per string and one per style; the string data begins at
//! `stringsStart` (relative to the chunk) and each offset is relative to it.
//!
//! UTF-16 strings: a length in code units (one `u16`, or two when the high
//! bit of the first is set), the units, a NUL unit. UTF-8 strings: the UTF-16
//! length and then the UTF-8 byte length (each one byte, or two when the high
//! bit of the first is set), the bytes, a NUL byte.
//!
//! Strings are decoded on demand, so a pool whose offsets all point at one huge
//! string costs nothing until strings are asked for.

use crate::chunk::{u8_at, u16_at, u32_at};
use crate::error::{Anomalies, AxmlError, Limits};

const POOL_HEADER_SIZE: usize = 28;
const UTF8_FLAG: u32 = 0x100;

/// A string pool kept as its raw chunk bytes; strings decode on demand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringPool {
    bytes: Vec<u8>,
    header_size: usize,
    /// How many offsets the pool really holds room for (capped).
    capacity: usize,
    declared_count: u32,
    style_count: u32,
    utf8: bool,
    strings_start: usize,
}

impl StringPool {
    /// Reads a string pool chunk. `chunk` holds the chunk bytes (already
    /// clamped to the input); `offset` is its position in the input, for messages.
    pub(crate) fn parse(
        chunk: &[u8],
        offset: usize,
        limits: &Limits,
        anomalies: &mut Anomalies,
    ) -> Result<StringPool, AxmlError> {
        let bad = |expected: String| AxmlError::BadStringPool { offset, expected };
        let header_size = usize::from(u16_at(chunk, 2).unwrap_or(0));
        if chunk.len() < POOL_HEADER_SIZE {
            return Err(bad(format!(
                "a {POOL_HEADER_SIZE}-byte string pool header, found {} bytes",
                chunk.len()
            )));
        }
        if header_size < POOL_HEADER_SIZE || header_size > chunk.len() {
            return Err(bad(format!(
                "a header size between {POOL_HEADER_SIZE} and the chunk size {}, found {header_size}",
                chunk.len()
            )));
        }
        let declared_count = u32_at(chunk, 8).unwrap_or(0);
        let style_count = u32_at(chunk, 12).unwrap_or(0);
        let flags = u32_at(chunk, 16).unwrap_or(0);
        let declared_start = u32_at(chunk, 20).unwrap_or(0) as usize;
        let utf8 = flags & UTF8_FLAG != 0;
        if flags & !(UTF8_FLAG | 0x1) != 0 {
            anomalies.push(format!(
                "string pool at offset {offset} has unknown flag bits 0x{flags:08x}; ignored"
            ));
        }

        let room = (chunk.len() - header_size) / 4;
        let strings_start = if declared_start >= header_size && declared_start < chunk.len() {
            declared_start
        } else if declared_count == 0 {
            chunk.len()
        } else {
            let guess = (declared_count as usize)
                .saturating_add(style_count as usize)
                .saturating_mul(4)
                .saturating_add(header_size)
                .min(chunk.len());
            anomalies.push(format!(
                "string pool at offset {offset}: stringsStart {declared_start} lies outside the chunk; assuming {guess}"
            ));
            guess
        };
        let offset_room = (strings_start.saturating_sub(header_size) / 4).min(room);
        let mut capacity = declared_count as usize;
        if capacity > offset_room {
            anomalies.push(format!(
                "string pool at offset {offset} declares {declared_count} strings but has room for {offset_room} offsets; capped"
            ));
            capacity = offset_room;
        }
        if capacity > limits.max_string_pool_strings {
            return Err(AxmlError::LimitExceeded {
                offset,
                what: "string pool string count",
                limit: limits.max_string_pool_strings,
            });
        }
        // Tolerate a declared count that is too small: strings whose offsets fit
        // before the string data are still readable on demand.
        let spare = offset_room.min(limits.max_string_pool_strings);
        Ok(StringPool {
            bytes: chunk.to_vec(),
            header_size,
            capacity: capacity
                .max(spare.saturating_sub(style_count as usize))
                .min(spare),
            declared_count,
            style_count,
            utf8,
            strings_start,
        })
    }

    /// Number of strings the pool declares (possibly capped to what fits).
    pub fn len(&self) -> usize {
        (self.declared_count as usize).min(self.capacity)
    }

    /// Whether the pool declares no strings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of styles the pool declares.
    pub fn style_count(&self) -> u32 {
        self.style_count
    }

    /// Whether strings are stored as UTF-8 (otherwise UTF-16).
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// Whether `index` lies beyond the declared string count (the pool lied
    /// about its count, but the offset is still readable).
    pub(crate) fn beyond_declared(&self, index: u32) -> bool {
        index >= self.declared_count
    }

    /// The string at `index`, or `None` when it cannot be read.
    pub fn get(&self, index: u32) -> Option<String> {
        let index = index as usize;
        if index >= self.capacity {
            return None;
        }
        let rel = u32_at(
            &self.bytes,
            self.header_size.checked_add(index.checked_mul(4)?)?,
        )? as usize;
        let pos = self.strings_start.checked_add(rel)?;
        if self.utf8 {
            decode_utf8(&self.bytes, pos)
        } else {
            decode_utf16(&self.bytes, pos)
        }
    }
}

fn decode_utf16(bytes: &[u8], pos: usize) -> Option<String> {
    let first = u16_at(bytes, pos)?;
    let (len, start) = if first & 0x8000 != 0 {
        let second = u16_at(bytes, pos.checked_add(2)?)?;
        (
            (usize::from(first & 0x7FFF) << 16) | usize::from(second),
            pos.checked_add(4)?,
        )
    } else {
        (usize::from(first), pos.checked_add(2)?)
    };
    let end = start.checked_add(len.checked_mul(2)?)?;
    let raw = bytes.get(start..end)?;
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|pair| {
            u16::from_le_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ])
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

fn utf8_length(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let first = u8_at(bytes, pos)?;
    if first & 0x80 != 0 {
        let second = u8_at(bytes, pos.checked_add(1)?)?;
        Some((
            (usize::from(first & 0x7F) << 8) | usize::from(second),
            pos.checked_add(2)?,
        ))
    } else {
        Some((usize::from(first), pos.checked_add(1)?))
    }
}

fn decode_utf8(bytes: &[u8], pos: usize) -> Option<String> {
    let (_utf16_len, after_first) = utf8_length(bytes, pos)?;
    let (len, start) = utf8_length(bytes, after_first)?;
    let end = start.checked_add(len)?;
    let raw = bytes.get(start..end)?;
    Some(String::from_utf8_lossy(raw).into_owned())
}
