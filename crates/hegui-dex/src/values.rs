//! `encoded_array_item`: the initial values of a class's static fields.

use crate::leb128::read_uleb128;
use crate::{ClassDef, Dex, DexError};

/// Nesting depth of arrays and annotations we follow before calling the value malformed.
const MAX_DEPTH: u32 = 8;

/// The initial value of one static field, in field order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticValue {
    /// A string constant (its string index).
    String(u32),
    /// An integer constant (byte, short, char, int or long), sign-extended.
    Int(i64),
    /// `null` or a value of another kind (float, type, method handle, array...).
    Other,
}

impl Dex<'_> {
    /// The initial values of `class`'s static fields, in the order of its static field list
    /// (fields past the end of the list have their default value). Empty when it has none.
    /// Work is bounded by the bytes of the array: every value consumes at least one byte.
    pub fn static_values(&self, class: &ClassDef) -> Result<Vec<StaticValue>, DexError> {
        let off = class.static_values_off;
        if off == 0 {
            return Ok(Vec::new());
        }
        let mut pos = off as usize;
        let size = read_uleb128(self.data, &mut pos)?;
        let remaining = self.data.len().saturating_sub(pos);
        let mut out = Vec::with_capacity((size as usize).min(remaining));
        for _ in 0..size {
            out.push(self.encoded_value(&mut pos, 0)?);
        }
        Ok(out)
    }

    fn encoded_value(&self, pos: &mut usize, depth: u32) -> Result<StaticValue, DexError> {
        let start = *pos;
        let header = *self
            .data
            .get(start)
            .ok_or_else(|| DexError::out_of_range("encoded_value", start, 1, self.data.len()))?;
        *pos += 1;
        let (value_type, arg) = (header & 0x1f, header >> 5);
        let bad = |reason| DexError::BadEncodedValue {
            offset: start as u64,
            value_type: header,
            reason,
        };
        let mut bytes = |len: usize| -> Result<&[u8], DexError> {
            let slice = self.data.get(*pos..*pos + len).ok_or_else(|| {
                DexError::out_of_range("encoded_value", *pos, len, self.data.len())
            })?;
            *pos += len;
            Ok(slice)
        };
        let len = usize::from(arg) + 1;
        match value_type {
            // byte, short, char, int, long: signed little-endian of `len` bytes (char unsigned).
            0x00 | 0x02 | 0x03 | 0x04 | 0x06 => {
                let max = match value_type {
                    0x00 => 1,
                    0x02 | 0x03 => 2,
                    0x04 => 4,
                    _ => 8,
                };
                if len > max {
                    return Err(bad("value wider than its type"));
                }
                let raw = bytes(len)?;
                let mut v: u64 = 0;
                for (i, b) in raw.iter().enumerate() {
                    v |= u64::from(*b) << (8 * i);
                }
                let shift = 64 - 8 * len as u32;
                let value = if value_type == 0x03 {
                    v as i64
                } else {
                    ((v << shift) as i64) >> shift
                };
                Ok(StaticValue::Int(value))
            }
            0x17 => {
                if len > 4 {
                    return Err(bad("string index wider than 4 bytes"));
                }
                let raw = bytes(len)?;
                let idx = raw
                    .iter()
                    .enumerate()
                    .fold(0u32, |v, (i, b)| v | (u32::from(*b) << (8 * i)));
                if idx >= self.string_count() {
                    return Err(DexError::index(
                        "string_ids (static value)",
                        idx,
                        self.string_count(),
                    ));
                }
                Ok(StaticValue::String(idx))
            }
            // float, double, method type/handle, type, field, method, enum: skip the bytes.
            0x10 | 0x11 | 0x15 | 0x16 | 0x18 | 0x19 | 0x1a | 0x1b => {
                let max = if value_type == 0x11 { 8 } else { 4 };
                if len > max {
                    return Err(bad("value wider than its type"));
                }
                bytes(len)?;
                Ok(StaticValue::Other)
            }
            0x1c | 0x1d => {
                if arg != 0 {
                    return Err(bad("value_arg must be 0 for arrays and annotations"));
                }
                if depth >= MAX_DEPTH {
                    return Err(bad("arrays or annotations nested too deeply"));
                }
                if value_type == 0x1d {
                    read_uleb128(self.data, pos)?; // type_idx
                }
                let n = read_uleb128(self.data, pos)?;
                for _ in 0..n {
                    if value_type == 0x1d {
                        read_uleb128(self.data, pos)?; // name_idx
                    }
                    self.encoded_value(pos, depth + 1)?;
                }
                Ok(StaticValue::Other)
            }
            0x1e | 0x1f => {
                if value_type == 0x1e && arg != 0 {
                    return Err(bad("value_arg must be 0 for null"));
                }
                Ok(StaticValue::Other)
            }
            _ => Err(bad("unknown value type")),
        }
    }
}
