//! Mini-program package containers: WeChat `.wxapkg` (plain, and the Windows-PC `V1MMWX`
//! encryption around it) and ByteDance `TPKG`. Both are an index of (name, offset, size)
//! followed by the file bytes; the index is checked, never trusted (see
//! `../shared/spec/miniprogram-formats.md` for the layouts).

mod error;
mod index;
mod tpkg;
mod v1mmwx;
mod wxapkg;

pub use error::PackageError;
pub use index::{Package, PackageEntry, PackageKind};
pub use tpkg::{is_tpkg, parse_tpkg};
pub use v1mmwx::{V1MMWX_MAGIC, appid_from_path, decrypt_v1mmwx, is_v1mmwx};
pub use wxapkg::{is_wxapkg, parse_wxapkg};

/// Most entries a package may declare (real ones hold hundreds to a few thousand files).
pub const MAX_PACKAGE_ENTRIES: u32 = 100_000;
/// Longest entry name accepted.
pub const MAX_NAME_LEN: u32 = 4096;
