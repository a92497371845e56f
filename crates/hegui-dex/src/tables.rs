//! The id tables: strings, types, prototypes, fields and methods.

use std::borrow::Cow;

use crate::dex::{FIELD_ID_SIZE, METHOD_ID_SIZE, PROTO_ID_SIZE, STRING_ID_SIZE, TYPE_ID_SIZE};
use crate::leb128::read_uleb128;
use crate::mutf8::decode_mutf8;
use crate::reader::{u16_at, u32_at};
use crate::{Dex, DexError};

/// The "no index" value of 32-bit index fields.
pub const NO_INDEX: u32 = 0xffff_ffff;

/// A `method_id_item` as stored: raw indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodId {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Prototype index.
    pub proto_idx: u16,
    /// String index of the name.
    pub name_idx: u32,
}

/// A `field_id_item` as stored: raw indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Type index of the field's type.
    pub type_idx: u16,
    /// String index of the name.
    pub name_idx: u32,
}

/// A `proto_id_item` as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtoId {
    /// String index of the shorty descriptor.
    pub shorty_idx: u32,
    /// Type index of the return type.
    pub return_type_idx: u32,
    /// Offset of the parameter `type_list`, 0 for none.
    pub parameters_off: u32,
}

/// A method reference with its names decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MethodRef<'a> {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Descriptor of the defining class, e.g. `Landroid/telephony/TelephonyManager;`.
    pub class: Cow<'a, str>,
    /// Method name, e.g. `getDeviceId`.
    pub name: Cow<'a, str>,
    /// Prototype index (see [`Dex::proto_signature`]).
    pub proto_idx: u16,
}

/// A field reference with its names decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldRef<'a> {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Descriptor of the defining class.
    pub class: Cow<'a, str>,
    /// Field name.
    pub name: Cow<'a, str>,
    /// Descriptor of the field's type.
    pub ty: Cow<'a, str>,
}

impl<'a> Dex<'a> {
    /// Number of strings.
    pub fn string_count(&self) -> u32 {
        self.strings.count
    }

    /// Number of types.
    pub fn type_count(&self) -> u32 {
        self.types.count
    }

    /// Number of prototypes.
    pub fn proto_count(&self) -> u32 {
        self.protos.count
    }

    /// Number of field references.
    pub fn field_count(&self) -> u32 {
        self.fields.count
    }

    /// Number of method references (`method_ids_size`).
    pub fn method_count(&self) -> u32 {
        self.methods.count
    }

    /// Offset of the `string_data_item` of string `idx`.
    pub fn string_data_off(&self, idx: u32) -> Result<u32, DexError> {
        let item = self.item(self.strings, idx, STRING_ID_SIZE, "string_ids")?;
        Ok(u32_at(item, 0).unwrap_or(0))
    }

    /// The raw MUTF-8 bytes of string `idx`, without the terminating NUL.
    ///
    /// The NUL must come within three bytes per declared UTF-16 unit (the most
    /// MUTF-8 can need), else the string is `bad-mutf8`; this bounds the scan.
    pub fn string_bytes(&self, idx: u32) -> Result<&'a [u8], DexError> {
        let off = self.string_data_off(idx)? as usize;
        if off >= self.data.len() {
            return Err(DexError::out_of_range(
                "string_data_item",
                off,
                1,
                self.data.len(),
            ));
        }
        let mut pos = off;
        let utf16_len = read_uleb128(self.data, &mut pos)?;
        let rest = self.data.get(pos..).unwrap_or(&[]);
        let max = (utf16_len as usize).saturating_mul(3).saturating_add(1);
        let window = rest.get(..max.min(rest.len())).unwrap_or(rest);
        match window.iter().position(|&b| b == 0) {
            Some(n) => Ok(window.get(..n).unwrap_or(&[])),
            None => Err(DexError::BadMutf8 {
                offset: off as u64,
                reason: if window.len() == rest.len() {
                    "no terminating NUL before the end of the data"
                } else {
                    "no terminating NUL within 3 bytes per declared UTF-16 unit"
                },
            }),
        }
    }

    /// String `idx`, decoded from MUTF-8 (borrowed when it is plain UTF-8).
    pub fn string(&self, idx: u32) -> Result<Cow<'a, str>, DexError> {
        self.string_bytes(idx).map(decode_mutf8)
    }

    /// String index of the descriptor of type `idx`.
    pub fn type_descriptor_idx(&self, idx: u32) -> Result<u32, DexError> {
        let item = self.item(self.types, idx, TYPE_ID_SIZE, "type_ids")?;
        Ok(u32_at(item, 0).unwrap_or(0))
    }

    /// The descriptor of type `idx`, e.g. `Landroid/telephony/TelephonyManager;`.
    pub fn type_descriptor(&self, idx: u32) -> Result<Cow<'a, str>, DexError> {
        self.string(self.type_descriptor_idx(idx)?)
    }

    /// The raw `method_id_item` `idx`.
    pub fn method_id(&self, idx: u32) -> Result<MethodId, DexError> {
        let item = self.item(self.methods, idx, METHOD_ID_SIZE, "method_ids")?;
        Ok(MethodId {
            class_idx: u16_at(item, 0).unwrap_or(0),
            proto_idx: u16_at(item, 2).unwrap_or(0),
            name_idx: u32_at(item, 4).unwrap_or(0),
        })
    }

    /// Method reference `idx` with class descriptor and name decoded.
    pub fn method_ref(&self, idx: u32) -> Result<MethodRef<'a>, DexError> {
        let id = self.method_id(idx)?;
        Ok(MethodRef {
            class_idx: id.class_idx,
            class: self.type_descriptor(u32::from(id.class_idx))?,
            name: self.string(id.name_idx)?,
            proto_idx: id.proto_idx,
        })
    }

    /// The raw `field_id_item` `idx`.
    pub fn field_id(&self, idx: u32) -> Result<FieldId, DexError> {
        let item = self.item(self.fields, idx, FIELD_ID_SIZE, "field_ids")?;
        Ok(FieldId {
            class_idx: u16_at(item, 0).unwrap_or(0),
            type_idx: u16_at(item, 2).unwrap_or(0),
            name_idx: u32_at(item, 4).unwrap_or(0),
        })
    }

    /// Field reference `idx` with class, name and type decoded.
    pub fn field_ref(&self, idx: u32) -> Result<FieldRef<'a>, DexError> {
        let id = self.field_id(idx)?;
        Ok(FieldRef {
            class_idx: id.class_idx,
            class: self.type_descriptor(u32::from(id.class_idx))?,
            name: self.string(id.name_idx)?,
            ty: self.type_descriptor(u32::from(id.type_idx))?,
        })
    }

    /// The raw `proto_id_item` `idx`.
    pub fn proto_id(&self, idx: u16) -> Result<ProtoId, DexError> {
        let item = self.item(self.protos, u32::from(idx), PROTO_ID_SIZE, "proto_ids")?;
        Ok(ProtoId {
            shorty_idx: u32_at(item, 0).unwrap_or(0),
            return_type_idx: u32_at(item, 4).unwrap_or(0),
            parameters_off: u32_at(item, 8).unwrap_or(0),
        })
    }

    /// The shorty descriptor of prototype `idx`, e.g. `VLI`.
    pub fn proto_shorty(&self, idx: u16) -> Result<Cow<'a, str>, DexError> {
        self.string(self.proto_id(idx)?.shorty_idx)
    }

    /// The parameter type indices of prototype `idx`.
    pub fn proto_parameters(&self, idx: u16) -> Result<Vec<u32>, DexError> {
        let list = self.type_list(self.proto_id(idx)?.parameters_off)?;
        Ok(type_list_iter(list).collect())
    }

    /// The full signature of prototype `idx`, e.g. `(Ljava/lang/String;I)V`.
    pub fn proto_signature(&self, idx: u16) -> Result<String, DexError> {
        let proto = self.proto_id(idx)?;
        let list = self.type_list(proto.parameters_off)?;
        let mut sig = String::from("(");
        for t in type_list_iter(list) {
            sig.push_str(&self.type_descriptor(t)?);
        }
        sig.push(')');
        sig.push_str(&self.type_descriptor(proto.return_type_idx)?);
        Ok(sig)
    }

    /// The entries (2 bytes each) of the `type_list` at `off`; empty for offset 0.
    pub(crate) fn type_list(&self, off: u32) -> Result<&'a [u8], DexError> {
        if off == 0 {
            return Ok(&[]);
        }
        let off = off as usize;
        let size = u32_at(self.data, off)
            .ok_or_else(|| DexError::out_of_range("type_list", off, 4, self.data.len()))?;
        let bytes = (size as usize).saturating_mul(2);
        crate::reader::bytes_at(self.data, off.saturating_add(4), bytes).ok_or_else(|| {
            DexError::out_of_range("type_list entries", off + 4, bytes, self.data.len())
        })
    }
}

/// The type indices in the entries returned by [`Dex::type_list`].
pub(crate) fn type_list_iter(list: &[u8]) -> impl Iterator<Item = u32> + '_ {
    list.chunks_exact(2)
        .filter_map(|c| c.first_chunk::<2>())
        .map(|b| u32::from(u16::from_le_bytes(*b)))
}
