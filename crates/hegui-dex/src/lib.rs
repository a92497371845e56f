//! Reader for Android DEX files (Dalvik executables), written from the public
//! "Dalvik Executable format" and "Dalvik bytecode" specifications.
//!
//! # What it reads
//!
//! * The header of DEX versions 035 to 041, and DEX 041 containers (several
//!   DEX sections in one file, [`Dex::parse_container`]).
//! * The id tables: strings (MUTF-8, decoded to UTF-8 on request), types,
//!   prototypes, fields, methods; class definitions and their class data.
//! * Code items, and an instruction walker ([`Dex::walk_code`]) that decodes
//!   the width of every Dalvik instruction, skips switch and array payloads, and
//!   reports invokes, `const-string`, field reads and writes, `const-class` and
//!   `new-instance` to a [`CodeVisitor`], with the file offset of each.
//!
//! Everything is borrowed from the input; nothing is decoded until asked for,
//! and the walker passes indices only (no string is decoded, nothing is
//! allocated per instruction).
//!
//! # What it refuses
//!
//! The input is treated as hostile. Every offset, size and count is checked
//! before use, so no input makes it panic, loop without end, or allocate more
//! than the input can justify. It refuses (with a [`DexError`] that has a stable
//! [`code`](DexError::code)):
//!
//! * a bad magic, a version other than 035-041, a byte-swapped endian tag, a
//!   header or file size that does not add up, an input shorter than the
//!   declared `file_size` (or `container_size`);
//! * id tables that do not lie within the file (so huge counts are refused up
//!   front), and any index past the end of its table;
//! * unreadable LEB128, string data without its terminating NUL.
//!
//! Damage below the table level (a bad class data item, code item or
//! instruction) fails only the call that reads it; the walker counts it, tells
//! the visitor, and goes on with the next method. Strings that are not valid
//! MUTF-8 are decoded lossily (U+FFFD), not refused.
//!
//! Not read: annotations, debug info, try/catch handlers, encoded values, the
//! link section, and the checksum and signature are not enforced (see
//! [`Dex::checksum_ok`]). ODEX, VDEX and compact DEX (`cdex`) are not DEX files
//! for this crate.
//!
//! # Limits
//!
//! [`Limits`] caps the file size (256 MiB by default) and the number of code
//! units of one method (2^20 by default). The walker also stops (`dex-walk-limit`)
//! if it has to decode more than 8 times the file size plus 1 MiB, which only
//! items shared many times over can cause.

mod checksum;
mod classes;
mod code;
mod container;
mod dex;
mod error;
mod header;
mod leb128;
mod mutf8;
mod opcodes;
mod reader;
mod tables;
mod values;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
/// A DEX assembler for tests (this crate's and, with the `testutil` feature, its users').
#[cfg(any(test, feature = "testutil"))]
#[allow(clippy::unwrap_used, clippy::panic, missing_docs)]
pub mod testutil;

pub use classes::{ClassDef, EncodedField, EncodedMethod};
pub use code::{CodeItem, CodeVisitor, InvokeKind, Site, WalkStats};
pub use dex::Dex;
pub use error::DexError;
pub use header::{ENDIAN_CONSTANT, HEADER_SIZE, HEADER_SIZE_V41, Header, is_dex};
pub use leb128::read_uleb128;
pub use mutf8::decode_mutf8;
pub use opcodes::{
    FILL_ARRAY_DATA_PAYLOAD, PACKED_SWITCH_PAYLOAD, SPARSE_SWITCH_PAYLOAD, insn_width,
};
pub use tables::{FieldId, FieldRef, MethodId, MethodRef, NO_INDEX, ProtoId};
pub use values::StaticValue;

/// Caps on what one DEX file may make this crate do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest DEX file (or DEX 041 container) accepted, in bytes. Default 256 MiB.
    pub max_file_size: usize,
    /// Largest `insns_size` of one code item, in 16-bit code units. Default 2^20.
    pub max_code_units_per_method: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 256 << 20,
            max_code_units_per_method: 1 << 20,
        }
    }
}

/// Converts a type descriptor to the Java name: `Lcom/a/B$C;` → `com.a.B$C`,
/// `[I` → `int[]`, `[[Ljava/lang/String;` → `java.lang.String[][]`.
/// Anything that is not a valid descriptor is returned unchanged.
pub fn descriptor_to_java(desc: &str) -> String {
    let element = desc.trim_start_matches('[');
    let dims = desc.len() - element.len();
    let base = match element {
        "V" => "void",
        "Z" => "boolean",
        "B" => "byte",
        "S" => "short",
        "C" => "char",
        "I" => "int",
        "J" => "long",
        "F" => "float",
        "D" => "double",
        _ => match element.strip_prefix('L').and_then(|e| e.strip_suffix(';')) {
            Some(name) if !name.is_empty() => {
                let mut out = name.replace('/', ".");
                for _ in 0..dims {
                    out.push_str("[]");
                }
                return out;
            }
            _ => return desc.to_string(),
        },
    };
    let mut out = String::with_capacity(base.len() + 2 * dims);
    out.push_str(base);
    for _ in 0..dims {
        out.push_str("[]");
    }
    out
}
