use thiserror::Error;

/// A problem reading a container. `code()` is stable and documented in docs/errors.md.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ArchiveError {
    #[error("not a zip archive: {0}")]
    NotAZip(String),
    #[error("truncated archive: {0}")]
    Truncated(String),
    #[error("malformed archive: {0}")]
    Malformed(String),
    #[error("too many entries: {count} (limit {limit})")]
    TooManyEntries { count: u64, limit: u64 },
    #[error("entry `{entry}`: inflated size exceeds the limit of {limit} bytes (zip bomb?)")]
    EntryTooLarge { entry: String, limit: u64 },
    #[error("entry `{entry}`: compression ratio above {ratio}:1 (zip bomb)")]
    ZipBomb { entry: String, ratio: u64 },
    #[error(
        "archive inflates to more than the total limit of {limit} bytes (zip bomb) at entry `{entry}`"
    )]
    TotalTooLarge { entry: String, limit: u64 },
    #[error("entry `{entry}`: unsupported compression method {method}")]
    UnsupportedCompression { entry: String, method: u16 },
    #[error("entry `{entry}`: corrupt compressed data: {detail}")]
    CorruptEntry { entry: String, detail: String },
    #[error("entry `{entry}`: path escapes the output folder ({detail})")]
    PathTraversal { entry: String, detail: String },
    #[error("archives nested deeper than {limit} levels at `{entry}`")]
    NestingTooDeep { entry: String, limit: u32 },
    #[error("file is larger than the limit of {limit} bytes ({size} bytes)")]
    FileTooLarge { size: u64, limit: u64 },
    #[error("cannot read `{path}`: {detail}")]
    Io { path: String, detail: String },
}

impl ArchiveError {
    /// Stable kebab-case code for reports and exit-code decisions.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAZip(_) => "not-a-zip",
            Self::Truncated(_) => "truncated-archive",
            Self::Malformed(_) => "malformed-archive",
            Self::TooManyEntries { .. } => "too-many-entries",
            Self::EntryTooLarge { .. } | Self::ZipBomb { .. } | Self::TotalTooLarge { .. } => {
                "zip-bomb"
            }
            Self::UnsupportedCompression { .. } => "unsupported-compression",
            Self::CorruptEntry { .. } => "corrupt-entry",
            Self::PathTraversal { .. } => "path-traversal",
            Self::NestingTooDeep { .. } => "nesting-too-deep",
            Self::FileTooLarge { .. } => "file-too-large",
            Self::Io { .. } => "io-error",
        }
    }

    /// The entry the error is about, if any.
    pub fn entry(&self) -> Option<&str> {
        match self {
            Self::EntryTooLarge { entry, .. }
            | Self::ZipBomb { entry, .. }
            | Self::TotalTooLarge { entry, .. }
            | Self::UnsupportedCompression { entry, .. }
            | Self::CorruptEntry { entry, .. }
            | Self::PathTraversal { entry, .. }
            | Self::NestingTooDeep { entry, .. } => Some(entry),
            _ => None,
        }
    }

    /// Every code this type can produce, for documentation and uniqueness tests.
    pub const CODES: &'static [&'static str] = &[
        "not-a-zip",
        "truncated-archive",
        "malformed-archive",
        "too-many-entries",
        "zip-bomb",
        "unsupported-compression",
        "corrupt-entry",
        "path-traversal",
        "nesting-too-deep",
        "file-too-large",
        "io-error",
    ];
}
