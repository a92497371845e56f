//! The one error type of this crate.

/// Everything that can be wrong with a DEX file, as far as this reader can tell.
///
/// Every variant carries the numbers needed to find the problem in the file
/// (offsets, indices, sizes), and has a stable kebab-case [`code`](DexError::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DexError {
    /// The first bytes are not `dex\n0NN\0`.
    #[error("not a DEX file: bad magic \"{}\" at offset {offset:#x}", .found.escape_ascii())]
    BadMagic {
        /// Where the header was expected.
        offset: u64,
        /// The eight bytes found there (zero-padded when the input is shorter).
        found: [u8; 8],
    },

    /// The magic is well formed but names a version this reader does not support.
    #[error(
        "unsupported DEX version \"{}\" at offset {offset:#x} (supported: 035 to 041)",
        .version.escape_ascii()
    )]
    UnsupportedVersion {
        /// Where the header starts.
        offset: u64,
        /// The three version digits as found.
        version: [u8; 3],
    },

    /// The input ends before a structure that must be there.
    #[error(
        "truncated DEX: {what} needs {needed} bytes at offset {offset:#x}, but the input has {available}"
    )]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where it starts.
        offset: u64,
        /// How many bytes it needs, counted from `offset`.
        needed: u64,
        /// How many bytes the input has in all.
        available: u64,
    },

    /// An offset (plus the size of what it points to) lies outside the DEX data.
    #[error(
        "{what} at offset {offset:#x} (size {size} bytes) lies outside the DEX data of {limit} bytes"
    )]
    OffsetOutOfRange {
        /// What the offset points to.
        what: &'static str,
        /// The offset.
        offset: u64,
        /// The number of bytes needed there.
        size: u64,
        /// The size of the data the offset must fall within.
        limit: u64,
    },

    /// The declared or actual size exceeds [`Limits::max_file_size`](crate::Limits).
    #[error("DEX too large: {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The size found.
        size: u64,
        /// The limit in force.
        limit: u64,
    },

    /// String data that cannot be read (no terminating NUL where one must be).
    #[error("bad MUTF-8 string data at offset {offset:#x}: {reason}")]
    BadMutf8 {
        /// Where the string data starts.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },

    /// An index into one of the id tables (or a similar count-bounded list) is too big.
    #[error("{what} index {index} is out of range (count {count})")]
    IndexOutOfRange {
        /// Which table.
        what: &'static str,
        /// The index.
        index: u64,
        /// The number of entries in the table.
        count: u64,
    },

    /// A LEB128 value runs past the end of the data or is longer than 5 bytes.
    #[error("bad uleb128 at offset {offset:#x}: {reason}")]
    BadLeb128 {
        /// Where the value starts.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },

    /// The endian tag is not `0x12345678` (byte-swapped files are refused).
    #[error("unsupported DEX endian tag {tag:#010x} at offset {offset:#x} (expected 0x12345678)")]
    BadEndian {
        /// Where the tag is.
        offset: u64,
        /// The tag found.
        tag: u32,
    },

    /// A header field has an impossible value.
    #[error("bad DEX header at offset {offset:#x}: {field} is {value}, {reason}")]
    BadHeader {
        /// Where the header starts.
        offset: u64,
        /// The field.
        field: &'static str,
        /// Its value.
        value: u64,
        /// Why that is wrong.
        reason: &'static str,
    },

    /// A DEX 041 container whose sections do not line up.
    #[error("bad DEX container: section at offset {offset:#x}: {reason} (value {value})")]
    BadContainer {
        /// Where the section header is.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
        /// The value in question.
        value: u64,
    },

    /// A code item declares more code units than [`Limits::max_code_units_per_method`](crate::Limits).
    #[error("code item at offset {offset:#x} has {units} code units, over the limit of {limit}")]
    CodeTooLarge {
        /// Where the code item is.
        offset: u64,
        /// The declared `insns_size`.
        units: u64,
        /// The limit in force.
        limit: u64,
    },

    /// An instruction the walker cannot decode: unused opcode, truncated
    /// instruction or payload.
    #[error("bad instruction at offset {offset:#x} (opcode {opcode:#04x}): {reason}")]
    BadInstruction {
        /// File offset of the instruction.
        offset: u64,
        /// Its opcode byte.
        opcode: u8,
        /// What is wrong.
        reason: &'static str,
    },

    /// An `encoded_value` (static field initial values) that cannot be decoded.
    #[error("bad encoded value at offset {offset:#x} (type byte {value_type:#04x}): {reason}")]
    BadEncodedValue {
        /// Where the value starts.
        offset: u64,
        /// Its type byte.
        value_type: u8,
        /// What is wrong.
        reason: &'static str,
    },

    /// The walk did more work than a well-formed file of this size can need
    /// (class data or code items shared over and over): it was stopped.
    #[error(
        "walk stopped: {used} bytes of class data and code decoded, over the budget of {budget} bytes for this file"
    )]
    WalkLimit {
        /// Bytes decoded when the walk stopped.
        used: u64,
        /// The budget for this file.
        budget: u64,
    },
}

impl DexError {
    /// A stable, kebab-case name for the kind of error, fit for reports and tests.
    pub fn code(&self) -> &'static str {
        match self {
            DexError::BadMagic { .. } => "bad-dex-magic",
            DexError::UnsupportedVersion { .. } => "unsupported-dex-version",
            DexError::Truncated { .. } => "truncated-dex",
            DexError::OffsetOutOfRange { .. } => "dex-offset-out-of-range",
            DexError::TooLarge { .. } => "dex-too-large",
            DexError::BadMutf8 { .. } => "bad-mutf8",
            DexError::IndexOutOfRange { .. } => "dex-index-out-of-range",
            DexError::BadLeb128 { .. } => "bad-leb128",
            DexError::BadEndian { .. } => "bad-dex-endian",
            DexError::BadHeader { .. } => "bad-dex-header",
            DexError::BadContainer { .. } => "bad-dex-container",
            DexError::CodeTooLarge { .. } => "dex-code-too-large",
            DexError::BadInstruction { .. } => "bad-dex-instruction",
            DexError::WalkLimit { .. } => "dex-walk-limit",
            DexError::BadEncodedValue { .. } => "dex-bad-encoded-value",
        }
    }

    pub(crate) fn out_of_range(
        what: &'static str,
        offset: usize,
        size: usize,
        limit: usize,
    ) -> Self {
        DexError::OffsetOutOfRange {
            what,
            offset: offset as u64,
            size: size as u64,
            limit: limit as u64,
        }
    }

    pub(crate) fn index(what: &'static str, index: u32, count: u32) -> Self {
        DexError::IndexOutOfRange {
            what,
            index: u64::from(index),
            count: u64::from(count),
        }
    }
}
