//! WeChat `.wxapkg`: `0xBE`, u32 info, u32 index_len, u32 body_len, `0xED`, then the index
//! (u32 count and entries) from byte 14 and the file data. All integers big-endian.

use super::index::{PackageKind, Reader, read_index};
use super::{Package, PackageError};

const HEADER: usize = 14;

/// First and last header marks in place.
pub fn is_wxapkg(data: &[u8]) -> bool {
    data.len() >= HEADER && data[0] == 0xBE && data[13] == 0xED
}

pub fn parse_wxapkg(data: &[u8]) -> Result<Package<'_>, PackageError> {
    if !is_wxapkg(data) {
        return Err(PackageError::NotAPackage(
            "no 0xBE…0xED wxapkg header".into(),
        ));
    }
    let mut r = Reader {
        data,
        pos: 1,
        big_endian: true,
    };
    let _info = r.u32("header")?;
    let index_len = u64::from(r.u32("header")?);
    let body_len = u64::from(r.u32("header")?);
    r.pos = HEADER;
    let len = data.len() as u64;
    let index_end = HEADER as u64 + index_len;
    if index_end > len {
        return Err(PackageError::Truncated {
            what: "index",
            offset: HEADER as u64,
            needed: index_len,
            len,
        });
    }
    let count = r.u32("file count")?;
    let mut pkg = read_index(
        PackageKind::Wxapkg,
        data,
        r,
        count,
        index_end,
        Some(index_end),
    )?;
    if index_end + body_len != len {
        pkg.anomalies.push(format!(
            "header lengths give {} bytes, the file has {len}",
            index_end + body_len
        ));
    }
    Ok(pkg)
}
