//! Code items and the instruction walker.

use crate::opcodes::{
    FILL_ARRAY_DATA_PAYLOAD, PACKED_SWITCH_PAYLOAD, SPARSE_SWITCH_PAYLOAD, WIDTHS,
};
use crate::reader::{bytes_at, u16_at, u32_at};
use crate::{Dex, DexError};

/// Size of the fixed part of a `code_item`, before `insns`.
const CODE_ITEM_HEADER: usize = 16;
/// The walk may decode this many times the size of the data (class data plus
/// instruction bytes) before it is stopped: a well-formed file needs at most 1x.
const WALK_BUDGET_FACTOR: u64 = 8;
/// Plus this much, so that tiny files are not cut short.
const WALK_BUDGET_SLACK: u64 = 1 << 20;

/// A `code_item`: the bytecode of one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeItem<'a> {
    /// Number of registers used.
    pub registers_size: u16,
    /// Number of words of incoming arguments.
    pub ins_size: u16,
    /// Number of words of outgoing argument space.
    pub outs_size: u16,
    /// Number of `try_item`s.
    pub tries_size: u16,
    /// Offset of the debug info, 0 for none.
    pub debug_info_off: u32,
    /// The instructions: raw little-endian 16-bit code units (`2 * insns_size` bytes).
    pub insns: &'a [u8],
    /// Offset of `insns` in the input.
    pub insns_file_offset: u32,
}

impl CodeItem<'_> {
    /// Number of 16-bit code units.
    pub fn insns_size(&self) -> u32 {
        (self.insns.len() / 2) as u32
    }
}

/// Where an instruction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Site {
    /// Type index of the class whose method is walked.
    pub class_idx: u32,
    /// Method index of the method walked.
    pub method_idx: u32,
    /// Offset of the instruction in the input (for DEX 041: in the container).
    pub file_offset: u32,
}

/// The kind of an invoke instruction (`/range` forms included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvokeKind {
    /// `invoke-virtual`, `invoke-virtual/range`.
    Virtual,
    /// `invoke-super`, `invoke-super/range`.
    Super,
    /// `invoke-direct`, `invoke-direct/range`.
    Direct,
    /// `invoke-static`, `invoke-static/range`.
    Static,
    /// `invoke-interface`, `invoke-interface/range`.
    Interface,
    /// `invoke-polymorphic`, `invoke-polymorphic/range`.
    Polymorphic,
}

/// Receives what [`Dex::walk_code`] finds. Indices passed are checked to be
/// within their tables (a method with a bad index is stopped and reported
/// through [`malformed`](CodeVisitor::malformed) instead).
pub trait CodeVisitor {
    /// Called before walking each method with code; return false to skip the method.
    fn enter_method(&mut self, _class_idx: u32, _method_idx: u32) -> bool {
        true
    }
    /// The code item of the method just entered, before its instructions are walked (for
    /// visitors that read a method's instructions themselves, e.g. for local data flow).
    fn method_code(&mut self, _code: &CodeItem<'_>) {}
    /// `invoke-*` and `invoke-polymorphic` (and their `/range` forms), with the method index.
    fn invoke(&mut self, site: &Site, kind: InvokeKind, method_idx: u32);
    /// `invoke-custom` and `invoke-custom/range`, with the call site index.
    fn invoke_custom(&mut self, _site: &Site, _call_site_idx: u32) {}
    /// `const-string` and `const-string/jumbo`, with the string index.
    fn const_string(&mut self, site: &Site, string_idx: u32);
    /// `sget*` (static) and `iget*` (instance), with the field index.
    fn field_read(&mut self, site: &Site, field_idx: u32, is_static: bool);
    /// `sput*` (static) and `iput*` (instance), with the field index.
    fn field_write(&mut self, _site: &Site, _field_idx: u32, _is_static: bool) {}
    /// `const-class`, with the type index.
    fn const_class(&mut self, _site: &Site, _type_idx: u32) {}
    /// `new-instance`, with the type index.
    fn new_instance(&mut self, _site: &Site, _type_idx: u32) {}
    /// A method (`method_idx` is `Some`) or a whole class data item (`None`)
    /// could not be walked to its end. Events before the problem were delivered.
    fn malformed(&mut self, _class_idx: u32, _method_idx: Option<u32>, _error: &DexError) {}
}

/// Counts from [`Dex::walk_code`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkStats {
    /// Class definitions visited.
    pub classes: u32,
    /// Methods with code that were walked (entered).
    pub methods: u32,
    /// Instructions decoded (payloads not counted).
    pub instructions: u64,
    /// Methods whose code item or instructions were malformed (walk of the
    /// method stopped there).
    pub bad_methods: u32,
    /// Classes whose class data item was malformed (remaining methods of the
    /// class skipped).
    pub bad_classes: u32,
    /// Methods with code skipped because `enter_method` returned false.
    pub skipped_methods: u32,
}

impl<'a> Dex<'a> {
    /// The `code_item` at `code_off`; `None` for offset 0 (abstract or native method).
    pub fn code_item(&self, code_off: u32) -> Result<Option<CodeItem<'a>>, DexError> {
        if code_off == 0 {
            return Ok(None);
        }
        let off = code_off as usize;
        let head = bytes_at(self.data, off, CODE_ITEM_HEADER).ok_or_else(|| {
            DexError::out_of_range("code_item", off, CODE_ITEM_HEADER, self.data.len())
        })?;
        let f16 = |o: usize| u16_at(head, o).unwrap_or(0);
        let insns_size = u32_at(head, 12).unwrap_or(0);
        if insns_size > self.limits.max_code_units_per_method {
            return Err(DexError::CodeTooLarge {
                offset: off as u64,
                units: u64::from(insns_size),
                limit: u64::from(self.limits.max_code_units_per_method),
            });
        }
        let insns_off = off + CODE_ITEM_HEADER;
        let len = (insns_size as usize).saturating_mul(2);
        let insns = bytes_at(self.data, insns_off, len).ok_or_else(|| {
            DexError::out_of_range("code_item insns", insns_off, len, self.data.len())
        })?;
        Ok(Some(CodeItem {
            registers_size: f16(0),
            ins_size: f16(2),
            outs_size: f16(4),
            tries_size: f16(6),
            debug_info_off: u32_at(head, 8).unwrap_or(0),
            insns,
            insns_file_offset: insns_off as u32,
        }))
    }

    /// Walks the instructions of every method with code of every class, in
    /// table order, and reports invokes, string constants, field accesses and
    /// type references to `visitor`.
    ///
    /// A malformed class data item or code item, or an undecodable instruction,
    /// stops only that class or method: it is counted in the stats and reported
    /// to [`CodeVisitor::malformed`]. The walk fails as a whole only if the
    /// class table cannot be read, or if it has to decode more than 8 times the
    /// size of the file plus 1 MiB (`dex-walk-limit`: items shared many times
    /// over, which no compiler produces).
    pub fn walk_code<V: CodeVisitor>(&self, visitor: &mut V) -> Result<WalkStats, DexError> {
        let mut stats = WalkStats::default();
        let budget = (self.data.len() as u64)
            .saturating_mul(WALK_BUDGET_FACTOR)
            .saturating_add(WALK_BUDGET_SLACK);
        let mut used: u64 = 0;
        for i in 0..self.class_defs.count {
            let class = self.raw_class_def(i)?;
            stats.classes = stats.classes.saturating_add(1);
            let mut consumed = 0;
            let result = self.for_each_method(class.class_data_off, &mut consumed, |m| {
                if m.code_off == 0 || used > budget {
                    return;
                }
                if !visitor.enter_method(class.class_idx, m.method_idx) {
                    stats.skipped_methods = stats.skipped_methods.saturating_add(1);
                    return;
                }
                stats.methods = stats.methods.saturating_add(1);
                let walked = self.code_item(m.code_off).and_then(|code| {
                    let Some(code) = code else { return Ok(0) };
                    used += (CODE_ITEM_HEADER + code.insns.len()) as u64;
                    if used > budget {
                        return Ok(0);
                    }
                    visitor.method_code(&code);
                    self.walk_insns(
                        class.class_idx,
                        m.method_idx,
                        &code,
                        visitor,
                        &mut stats.instructions,
                    )
                });
                if let Err(e) = walked {
                    stats.bad_methods = stats.bad_methods.saturating_add(1);
                    visitor.malformed(class.class_idx, Some(m.method_idx), &e);
                }
            });
            used += consumed as u64;
            if used > budget {
                return Err(DexError::WalkLimit { used, budget });
            }
            if let Err(e) = result {
                stats.bad_classes = stats.bad_classes.saturating_add(1);
                visitor.malformed(class.class_idx, None, &e);
            }
        }
        Ok(stats)
    }

    /// Walks one method's instructions (without calling `enter_method`).
    /// Returns the number of instructions decoded, or the first problem.
    pub fn walk_method<V: CodeVisitor>(
        &self,
        class_idx: u32,
        method_idx: u32,
        code: &CodeItem<'_>,
        visitor: &mut V,
    ) -> Result<u64, DexError> {
        let mut n = 0;
        self.walk_insns(class_idx, method_idx, code, visitor, &mut n)?;
        Ok(n)
    }

    fn walk_insns<V: CodeVisitor>(
        &self,
        class_idx: u32,
        method_idx: u32,
        code: &CodeItem<'_>,
        v: &mut V,
        count: &mut u64,
    ) -> Result<u64, DexError> {
        let insns = code.insns;
        let base = code.insns_file_offset;
        let n = insns.len();
        let bad = |pos: usize, opcode: u8, reason: &'static str| DexError::BadInstruction {
            offset: u64::from(base) + pos as u64,
            opcode,
            reason,
        };
        let check = |idx: u32, count: u32, what: &'static str| {
            if idx < count {
                Ok(idx)
            } else {
                Err(DexError::index(what, idx, count))
            }
        };
        let mut pos = 0usize;
        while let Some(unit) = u16_at(insns, pos) {
            let op = (unit & 0xff) as u8;
            if matches!(
                unit,
                PACKED_SWITCH_PAYLOAD | SPARSE_SWITCH_PAYLOAD | FILL_ARRAY_DATA_PAYLOAD
            ) {
                let units = payload_units(insns, pos, unit)
                    .ok_or_else(|| bad(pos, op, "payload header runs past the end of the code"))?;
                pos = usize::try_from(units)
                    .ok()
                    .and_then(|u| u.checked_mul(2))
                    .and_then(|b| pos.checked_add(b))
                    .filter(|&end| end <= n)
                    .ok_or_else(|| bad(pos, op, "payload runs past the end of the code"))?;
                continue;
            }
            let width = usize::from(WIDTHS[usize::from(op)]);
            if width == 0 {
                return Err(bad(pos, op, "unused opcode"));
            }
            let end = pos + width * 2;
            if end > n {
                return Err(bad(pos, op, "instruction runs past the end of the code"));
            }
            *count += 1;
            let site = Site {
                class_idx,
                method_idx,
                file_offset: base.wrapping_add(pos as u32),
            };
            let b16 = u32::from(u16_at(insns, pos + 2).unwrap_or(0));
            match op {
                0x1a => v.const_string(
                    &site,
                    check(b16, self.strings.count, "string_ids (const-string)")?,
                ),
                0x1b => {
                    let idx = u32_at(insns, pos + 2).unwrap_or(0);
                    v.const_string(
                        &site,
                        check(idx, self.strings.count, "string_ids (const-string/jumbo)")?,
                    );
                }
                0x1c => v.const_class(
                    &site,
                    check(b16, self.types.count, "type_ids (const-class)")?,
                ),
                0x22 => v.new_instance(
                    &site,
                    check(b16, self.types.count, "type_ids (new-instance)")?,
                ),
                0x52..=0x58 => v.field_read(
                    &site,
                    check(b16, self.fields.count, "field_ids (iget)")?,
                    false,
                ),
                0x59..=0x5f => v.field_write(
                    &site,
                    check(b16, self.fields.count, "field_ids (iput)")?,
                    false,
                ),
                0x60..=0x66 => v.field_read(
                    &site,
                    check(b16, self.fields.count, "field_ids (sget)")?,
                    true,
                ),
                0x67..=0x6d => v.field_write(
                    &site,
                    check(b16, self.fields.count, "field_ids (sput)")?,
                    true,
                ),
                0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb => {
                    let kind = match op {
                        0x6e | 0x74 => InvokeKind::Virtual,
                        0x6f | 0x75 => InvokeKind::Super,
                        0x70 | 0x76 => InvokeKind::Direct,
                        0x71 | 0x77 => InvokeKind::Static,
                        0x72 | 0x78 => InvokeKind::Interface,
                        _ => InvokeKind::Polymorphic,
                    };
                    v.invoke(
                        &site,
                        kind,
                        check(b16, self.methods.count, "method_ids (invoke)")?,
                    );
                }
                0xfc | 0xfd => {
                    let idx = match self.call_sites {
                        Some(t) => check(b16, t.count, "call_site_ids (invoke-custom)")?,
                        None => b16,
                    };
                    v.invoke_custom(&site, idx);
                }
                _ => {}
            }
            pos = end;
        }
        Ok(*count)
    }
}

/// Size in code units of the payload pseudo-instruction at `pos` whose first
/// unit is `ident`; `None` if its header is cut off.
fn payload_units(insns: &[u8], pos: usize, ident: u16) -> Option<u64> {
    let size16 = |o: usize| u16_at(insns, pos + o).map(u64::from);
    match ident {
        PACKED_SWITCH_PAYLOAD => Some(size16(2)? * 2 + 4),
        SPARSE_SWITCH_PAYLOAD => Some(size16(2)? * 4 + 2),
        FILL_ARRAY_DATA_PAYLOAD => {
            let element_width = size16(2)?;
            let size = u64::from(u32_at(insns, pos + 4)?);
            Some((size * element_width).div_ceil(2) + 4)
        }
        _ => None,
    }
}
