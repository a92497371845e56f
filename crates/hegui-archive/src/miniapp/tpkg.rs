//! ByteDance `TPKG`: magic, u32 version (2), u32 reserved, u32 count, then the index and the
//! file data. All integers little-endian; names have no leading `/`.

use super::index::{PackageKind, Reader, read_index};
use super::{Package, PackageError};

pub fn is_tpkg(data: &[u8]) -> bool {
    data.starts_with(b"TPKG")
}

pub fn parse_tpkg(data: &[u8]) -> Result<Package<'_>, PackageError> {
    if !is_tpkg(data) {
        return Err(PackageError::NotAPackage("no TPKG magic".into()));
    }
    let mut r = Reader {
        data,
        pos: 4,
        big_endian: false,
    };
    let version = r.u32("header")?;
    let _reserved = r.u32("header")?;
    let count = r.u32("file count")?;
    let mut pkg = read_index(PackageKind::Tpkg, data, r, count, 0, None)?;
    if version != 2 {
        pkg.anomalies
            .push(format!("TPKG version {version} (2 expected)"));
    }
    Ok(pkg)
}
