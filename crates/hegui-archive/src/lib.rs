//! Bounded reading of zip containers the way Android reads them.
//!
//! Android's package manager trusts the **central directory**: the compression method, sizes and
//! flags in a local file header are ignored (only its name and extra lengths are used to find the
//! data). Malware exploits readers that trust the local header (the *BadPack* trick: garbage
//! local headers, a bogus "encrypted" bit). This crate reads like Android does and refuses what
//! Android refuses, and puts explicit limits on everything an attacker controls: entry count,
//! per-entry and total inflated size, compression ratio and nesting depth. Every error carries a
//! stable kebab-case code and names the entry.
//!
//! Nothing here writes to the file system; [`sanitize_path`] makes an entry name safe to use as
//! a relative path for callers that do.

mod error;
mod inflate;
mod limits;
pub mod miniapp;
mod path;
mod source;
mod zip;

pub use error::ArchiveError;
pub use limits::{Budget, Limits};
pub use path::sanitize_path;
pub use source::Source;
pub use zip::{Compression, Entry, ZipArchive, is_zip};
