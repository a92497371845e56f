//! Class definitions and `class_data_item`.

use std::marker::PhantomData;

use crate::dex::CLASS_DEF_SIZE;
use crate::leb128::read_uleb128;
use crate::reader::u32_at;
use crate::tables::{NO_INDEX, type_list_iter};
use crate::{Dex, DexError};

/// A `class_def_item`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDef<'a> {
    /// Position of this item in the `class_defs` table.
    pub index: u32,
    /// Type index of the class.
    pub class_idx: u32,
    /// Access flags (`ACC_PUBLIC` = 0x1, `ACC_INTERFACE` = 0x200, ...).
    pub access_flags: u32,
    /// Type index of the superclass; `None` for `java.lang.Object`.
    pub superclass_idx: Option<u32>,
    /// Type indices of the directly implemented interfaces.
    pub interfaces: Vec<u32>,
    /// String index of the source file name, if recorded.
    pub source_file_idx: Option<u32>,
    /// Offset of the `annotations_directory_item`, 0 for none.
    pub annotations_off: u32,
    /// Offset of the `class_data_item`, 0 for a class without fields or methods.
    pub class_data_off: u32,
    /// Offset of the static field initial values, 0 for none.
    pub static_values_off: u32,
    pub(crate) _data: PhantomData<&'a [u8]>,
}

/// One method of a `class_data_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodedMethod {
    /// Index into the method ids (differences already accumulated).
    pub method_idx: u32,
    /// Access flags.
    pub access_flags: u32,
    /// Offset of the `code_item`, 0 for abstract or native methods.
    pub code_off: u32,
    /// Whether it came from the virtual-methods list (else the direct one).
    pub is_virtual: bool,
}

/// One field of a `class_data_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodedField {
    /// Index into the field ids (differences already accumulated).
    pub field_idx: u32,
    /// Access flags.
    pub access_flags: u32,
    /// Whether it came from the static-fields list (else the instance one).
    pub is_static: bool,
}

/// The raw fields of a class def needed by the walker, without allocating.
#[derive(Clone, Copy)]
pub(crate) struct RawClassDef {
    pub(crate) class_idx: u32,
    pub(crate) class_data_off: u32,
}

impl<'a> Dex<'a> {
    /// Number of class definitions.
    pub fn class_def_count(&self) -> u32 {
        self.class_defs.count
    }

    pub(crate) fn raw_class_def(&self, idx: u32) -> Result<RawClassDef, DexError> {
        let item = self.item(self.class_defs, idx, CLASS_DEF_SIZE, "class_defs")?;
        Ok(RawClassDef {
            class_idx: u32_at(item, 0).unwrap_or(0),
            class_data_off: u32_at(item, 24).unwrap_or(0),
        })
    }

    /// Class definition `idx`. Fails if its interface list cannot be read.
    pub fn class_def(&self, idx: u32) -> Result<ClassDef<'a>, DexError> {
        let item = self.item(self.class_defs, idx, CLASS_DEF_SIZE, "class_defs")?;
        let f = |off: usize| u32_at(item, off).unwrap_or(0);
        let opt = |v: u32| (v != NO_INDEX).then_some(v);
        let interfaces = type_list_iter(self.type_list(f(12))?).collect();
        Ok(ClassDef {
            index: idx,
            class_idx: f(0),
            access_flags: f(4),
            superclass_idx: opt(f(8)),
            interfaces,
            source_file_idx: opt(f(16)),
            annotations_off: f(20),
            class_data_off: f(24),
            static_values_off: f(28),
            _data: PhantomData,
        })
    }

    /// All class definitions, in table order.
    pub fn class_defs(&self) -> impl Iterator<Item = Result<ClassDef<'a>, DexError>> + '_ {
        (0..self.class_defs.count).map(move |i| self.class_def(i))
    }

    /// The direct then virtual methods of `class`, from its `class_data_item`
    /// (empty when it has none). Method indices must be within the method ids.
    pub fn class_methods(&self, class: &ClassDef) -> Result<Vec<EncodedMethod>, DexError> {
        let mut out = Vec::new();
        let mut consumed = 0;
        // Grows with what is actually decoded, never with the declared count.
        self.for_each_method(class.class_data_off, &mut consumed, |m| out.push(m))?;
        Ok(out)
    }

    /// The static then instance fields of `class`, from its `class_data_item`.
    pub fn class_fields(&self, class: &ClassDef) -> Result<Vec<EncodedField>, DexError> {
        let mut out = Vec::new();
        if class.class_data_off == 0 {
            return Ok(out);
        }
        let mut pos = class.class_data_off as usize;
        let counts = self.class_data_counts(&mut pos)?;
        let remaining = self.data.len().saturating_sub(pos);
        out.reserve(
            (counts[0] as usize)
                .saturating_add(counts[1] as usize)
                .min(remaining / 2),
        );
        for (list, &n) in counts.iter().take(2).enumerate() {
            let mut idx: u32 = 0;
            for i in 0..n {
                let diff = read_uleb128(self.data, &mut pos)?;
                let access_flags = read_uleb128(self.data, &mut pos)?;
                idx = accumulate(idx, diff, i, "field_idx (class data)")?;
                if idx >= self.fields.count {
                    return Err(DexError::index(
                        "field_ids (class data)",
                        idx,
                        self.fields.count,
                    ));
                }
                out.push(EncodedField {
                    field_idx: idx,
                    access_flags,
                    is_static: list == 0,
                });
            }
        }
        Ok(out)
    }

    /// Reads the four counts at the start of a `class_data_item`.
    fn class_data_counts(&self, pos: &mut usize) -> Result<[u32; 4], DexError> {
        let mut counts = [0u32; 4];
        for c in &mut counts {
            *c = read_uleb128(self.data, pos)?;
        }
        Ok(counts)
    }

    /// Decodes the methods of the `class_data_item` at `off` without allocating.
    /// `f` is called once per method.
    /// `consumed` is set to the number of bytes read, also on error.
    /// Work is bounded by the bytes read: every field and method consumes at
    /// least two bytes, and reading stops at the end of the data.
    pub(crate) fn for_each_method(
        &self,
        off: u32,
        consumed: &mut usize,
        mut f: impl FnMut(EncodedMethod),
    ) -> Result<(), DexError> {
        *consumed = 0;
        if off == 0 {
            return Ok(());
        }
        let start = off as usize;
        let mut pos = start;
        let result = (|| {
            let [static_fields, instance_fields, direct, virt] =
                self.class_data_counts(&mut pos)?;
            // Skip the fields: two uleb128 values each.
            let fields = u64::from(static_fields) + u64::from(instance_fields);
            for _ in 0..fields {
                read_uleb128(self.data, &mut pos)?;
                read_uleb128(self.data, &mut pos)?;
            }
            for (is_virtual, n) in [(false, direct), (true, virt)] {
                let mut idx: u32 = 0;
                for i in 0..n {
                    let diff = read_uleb128(self.data, &mut pos)?;
                    let access_flags = read_uleb128(self.data, &mut pos)?;
                    let code_off = read_uleb128(self.data, &mut pos)?;
                    idx = accumulate(idx, diff, i, "method_idx (class data)")?;
                    if idx >= self.methods.count {
                        return Err(DexError::index(
                            "method_ids (class data)",
                            idx,
                            self.methods.count,
                        ));
                    }
                    f(EncodedMethod {
                        method_idx: idx,
                        access_flags,
                        code_off,
                        is_virtual,
                    });
                }
            }
            Ok(())
        })();
        *consumed = pos.saturating_sub(start);
        result
    }
}

/// Adds an index difference; the first entry of a list is the index itself.
fn accumulate(prev: u32, diff: u32, i: u32, what: &'static str) -> Result<u32, DexError> {
    if i == 0 {
        return Ok(diff);
    }
    prev.checked_add(diff).ok_or(DexError::IndexOutOfRange {
        what,
        index: u64::from(prev) + u64::from(diff),
        count: u64::from(u32::MAX),
    })
}
