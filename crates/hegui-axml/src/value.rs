//! Typed values (`Res_value`).

use std::fmt;

pub(crate) const TYPE_NULL: u8 = 0x00;
pub(crate) const TYPE_REFERENCE: u8 = 0x01;
pub(crate) const TYPE_ATTRIBUTE: u8 = 0x02;
pub(crate) const TYPE_STRING: u8 = 0x03;
pub(crate) const TYPE_FLOAT: u8 = 0x04;
pub(crate) const TYPE_DIMENSION: u8 = 0x05;
pub(crate) const TYPE_FRACTION: u8 = 0x06;
pub(crate) const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
pub(crate) const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
pub(crate) const TYPE_INT_DEC: u8 = 0x10;
pub(crate) const TYPE_INT_HEX: u8 = 0x11;
pub(crate) const TYPE_INT_BOOLEAN: u8 = 0x12;
pub(crate) const TYPE_FIRST_COLOR: u8 = 0x1c;
pub(crate) const TYPE_LAST_COLOR: u8 = 0x1f;

/// A typed attribute or resource value.
///
/// `Dimension`, `Fraction` and `Color` keep the raw 32-bit data; [`fmt::Display`]
/// renders them the way `aapt` does (`16.0dip`, `50.0%`, `#ff00ff00`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string (`TYPE_STRING`), already looked up in the string pool.
    String(String),
    /// A resource reference such as `@0x7f0b0013` (also dynamic references).
    Reference(u32),
    /// A theme attribute reference such as `?0x01010036` (also dynamic attributes).
    Attribute(u32),
    /// `TYPE_INT_BOOLEAN`.
    Bool(bool),
    /// `TYPE_INT_DEC`, sign-extended.
    Int(i64),
    /// `TYPE_INT_HEX`.
    Hex(u32),
    /// `TYPE_FLOAT`.
    Float(f32),
    /// `TYPE_DIMENSION` (complex unit encoding).
    Dimension(u32),
    /// `TYPE_FRACTION` (complex unit encoding).
    Fraction(u32),
    /// One of the `TYPE_INT_COLOR_*` types.
    Color(u32),
    /// `TYPE_NULL` (undefined or empty).
    Null,
    /// Any other type, or a string whose pool entry could not be read.
    Other {
        /// The `Res_value` data type byte.
        data_type: u8,
        /// The raw data word.
        data: u32,
    },
}

impl Value {
    /// Builds a value from a `Res_value` type and data word; `lookup` resolves
    /// string-pool indices for `TYPE_STRING`.
    pub(crate) fn decode(
        data_type: u8,
        data: u32,
        lookup: impl FnOnce(u32) -> Option<String>,
    ) -> Value {
        match data_type {
            TYPE_NULL => Value::Null,
            TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => Value::Reference(data),
            TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => Value::Attribute(data),
            TYPE_STRING => match lookup(data) {
                Some(text) => Value::String(text),
                None => Value::Other { data_type, data },
            },
            TYPE_FLOAT => Value::Float(f32::from_bits(data)),
            TYPE_DIMENSION => Value::Dimension(data),
            TYPE_FRACTION => Value::Fraction(data),
            TYPE_INT_DEC => Value::Int(i64::from(data as i32)),
            TYPE_INT_HEX => Value::Hex(data),
            TYPE_INT_BOOLEAN => Value::Bool(data != 0),
            TYPE_FIRST_COLOR..=TYPE_LAST_COLOR => Value::Color(data),
            _ => Value::Other { data_type, data },
        }
    }

    /// The string, when this is a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The referenced resource id, when this is a [`Value::Reference`].
    pub fn as_reference(&self) -> Option<u32> {
        match self {
            Value::Reference(id) => Some(*id),
            _ => None,
        }
    }
}

/// Multipliers for the four radix encodings of complex (dimension/fraction) values.
const RADIX_MULTIPLIERS: [f32; 4] = [
    1.0 / 256.0,
    1.0 / 32_768.0,
    1.0 / 8_388_608.0,
    1.0 / 2_147_483_648.0,
];

/// Converts a complex (dimension or fraction) data word to its float magnitude.
pub(crate) fn complex_to_float(data: u32) -> f32 {
    let mantissa = (data & 0xFFFF_FF00) as i32 as f32;
    let radix = ((data >> 4) & 0x3) as usize;
    mantissa * RADIX_MULTIPLIERS.get(radix).copied().unwrap_or(1.0)
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(text) => f.write_str(text),
            Value::Reference(id) => write!(f, "@0x{id:08x}"),
            Value::Attribute(id) => write!(f, "?0x{id:08x}"),
            Value::Bool(flag) => write!(f, "{flag}"),
            Value::Int(number) => write!(f, "{number}"),
            Value::Hex(number) => write!(f, "0x{number:x}"),
            Value::Float(number) => write!(f, "{number}"),
            Value::Dimension(data) => {
                let unit = match data & 0xF {
                    0 => "px",
                    1 => "dip",
                    2 => "sp",
                    3 => "pt",
                    4 => "in",
                    5 => "mm",
                    _ => "(unknown unit)",
                };
                write!(f, "{:?}{unit}", complex_to_float(*data))
            }
            Value::Fraction(data) => {
                let unit = if data & 0xF == 1 { "%p" } else { "%" };
                write!(f, "{:?}{unit}", complex_to_float(*data) * 100.0)
            }
            Value::Color(argb) => write!(f, "#{argb:08x}"),
            Value::Null => Ok(()),
            Value::Other { data_type, data } => write!(f, "(type 0x{data_type:02x})0x{data:x}"),
        }
    }
}
