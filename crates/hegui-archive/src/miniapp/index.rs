//! The index shared by `.wxapkg` and `TPKG`: `count` × (name length, name, offset, size).

use super::{MAX_NAME_LEN, MAX_PACKAGE_ENTRIES, PackageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// WeChat `.wxapkg` (big-endian index).
    Wxapkg,
    /// ByteDance / Douyin `TPKG` (little-endian index).
    Tpkg,
}

/// One file of a package, checked to lie inside the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageEntry {
    /// Path without a leading `/` (`pages/index/index.js`).
    pub name: String,
    pub offset: u64,
    pub size: u64,
}

/// A parsed package: the entries that passed the checks, and what did not.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    pub kind: PackageKind,
    data: &'a [u8],
    pub entries: Vec<PackageEntry>,
    /// Entries skipped (out of bounds, overlapping, unsafe names), each a typed error.
    pub errors: Vec<PackageError>,
    /// Oddities that are not errors (gaps between entries, a header length that disagrees).
    pub anomalies: Vec<String>,
}

impl<'a> Package<'a> {
    /// The bytes of an entry (bounds were checked when parsing).
    pub fn read(&self, entry: &PackageEntry) -> &'a [u8] {
        let start = usize::try_from(entry.offset).unwrap_or(usize::MAX);
        let end = usize::try_from(entry.offset + entry.size).unwrap_or(usize::MAX);
        self.data.get(start..end).unwrap_or(&[])
    }

    pub fn by_name(&self, name: &str) -> Option<&PackageEntry> {
        let name = name.trim_start_matches('/');
        self.entries.iter().find(|e| e.name == name)
    }
}

/// Reads integers of one endianness from the package.
pub(crate) struct Reader<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    pub big_endian: bool,
}

impl Reader<'_> {
    pub fn u32(&mut self, what: &'static str) -> Result<u32, PackageError> {
        let bytes = self.bytes(4, what)?;
        let a = [bytes[0], bytes[1], bytes[2], bytes[3]];
        Ok(if self.big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    }

    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&[u8], PackageError> {
        let out = self
            .pos
            .checked_add(n)
            .and_then(|end| self.data.get(self.pos..end))
            .ok_or(PackageError::Truncated {
                what,
                offset: self.pos as u64,
                needed: n as u64,
                len: self.data.len() as u64,
            })?;
        self.pos += n;
        Ok(out)
    }
}

/// Why an entry name is unsafe to use as a relative path, if it is.
fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("empty name")
    } else if name.contains('\0') {
        Some("NUL in name")
    } else if name.contains('\\') {
        Some("backslash in name")
    } else if name.split('/').any(|seg| seg == "..") {
        Some("`..` component")
    } else if name.as_bytes().get(1) == Some(&b':') {
        Some("drive-letter path")
    } else {
        None
    }
}

/// Read `count` index entries starting at `r.pos`, then check each against `data_start..len`.
pub(crate) fn read_index<'a>(
    kind: PackageKind,
    data: &'a [u8],
    mut r: Reader<'_>,
    count: u32,
    data_start: u64,
    index_end: Option<u64>,
) -> Result<Package<'a>, PackageError> {
    if count > MAX_PACKAGE_ENTRIES {
        return Err(PackageError::TooManyEntries {
            count: u64::from(count),
            limit: u64::from(MAX_PACKAGE_ENTRIES),
        });
    }
    // Each entry takes at least 12 bytes: a count the remaining bytes cannot hold is a lie.
    let room = data.len().saturating_sub(r.pos) as u64;
    if u64::from(count) * 12 > room {
        return Err(PackageError::Malformed(format!(
            "{count} entries cannot fit in the {room} bytes after the header"
        )));
    }
    let mut raw = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let name_len = r.u32("entry name length")?;
        if name_len > MAX_NAME_LEN {
            return Err(PackageError::Malformed(format!(
                "entry name of {name_len} bytes (limit {MAX_NAME_LEN})"
            )));
        }
        let name = String::from_utf8_lossy(r.bytes(name_len as usize, "entry name")?)
            .trim_start_matches('/')
            .to_string();
        let offset = u64::from(r.u32("entry offset")?);
        let size = u64::from(r.u32("entry size")?);
        raw.push((name, offset, size));
    }
    let index_len = r.pos as u64;
    let len = data.len() as u64;
    let mut pkg = Package {
        kind,
        data,
        entries: Vec::with_capacity(raw.len()),
        errors: Vec::new(),
        anomalies: Vec::new(),
    };
    // Entries are bounds-checked one by one below, so a disagreeing header is only odd.
    if let Some(declared) = index_end
        && declared != index_len
    {
        pkg.anomalies.push(format!(
            "the header says the index ends at byte {declared}, its entries end at {index_len}"
        ));
    }
    let mut end_of_previous = data_start.max(index_len);
    for (name, offset, size) in raw {
        if let Some(why) = unsafe_name(&name) {
            pkg.errors.push(PackageError::PathTraversal {
                entry: name,
                detail: why.into(),
            });
            continue;
        }
        let end = offset + size; // both from u32: cannot overflow u64
        if offset < data_start.max(index_len) || end > len {
            pkg.errors.push(PackageError::BadEntry {
                entry: name,
                detail: format!("bytes {offset}..{end} lie outside the data ({data_start}..{len})"),
            });
            continue;
        }
        if offset < end_of_previous {
            pkg.errors.push(PackageError::BadEntry {
                entry: name,
                detail: format!("overlaps the previous entry (starts at {offset}, previous ends at {end_of_previous})"),
            });
            continue;
        }
        if offset > end_of_previous {
            pkg.anomalies.push(format!(
                "{} bytes of gap before `{name}`",
                offset - end_of_previous
            ));
        }
        end_of_previous = end;
        pkg.entries.push(PackageEntry { name, offset, size });
    }
    if end_of_previous < len && !pkg.entries.is_empty() {
        pkg.anomalies.push(format!(
            "{} bytes after the last entry",
            len - end_of_previous
        ));
    }
    Ok(pkg)
}
