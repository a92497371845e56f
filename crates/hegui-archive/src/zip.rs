//! Central-directory zip parsing with Android's semantics.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::inflate::inflate_bounded;
use crate::{ArchiveError, Budget, Limits};

const SIG_LOCAL: u32 = 0x0403_4b50;
const SIG_CENTRAL: u32 = 0x0201_4b50;
const SIG_EOCD: u32 = 0x0605_4b50;
const SIG_ZIP64_LOCATOR: u32 = 0x0706_4b50;
const SIG_ZIP64_EOCD: u32 = 0x0606_4b50;
const EOCD_LEN: usize = 22;
const CENTRAL_LEN: usize = 46;
const LOCAL_LEN: usize = 30;
const MAX_COMMENT: usize = 0xFFFF;

/// How an entry's data is stored, per the central directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Stored,
    Deflated,
    Other(u16),
}

/// One central-directory record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// The name was not valid UTF-8 and was decoded lossily.
    pub name_lossy: bool,
    pub method: u16,
    pub flags: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    /// Offset of the local header, relative to the start of the zip (see [`ZipArchive::prefix_len`]).
    pub local_header_offset: u64,
}

impl Entry {
    pub fn compression(&self) -> Compression {
        match self.method {
            0 => Compression::Stored,
            8 => Compression::Deflated,
            m => Compression::Other(m),
        }
    }

    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

/// A parsed zip over borrowed bytes.
#[derive(Debug)]
pub struct ZipArchive<'a> {
    data: &'a [u8],
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    prefix: u64,
    cd_offset: u64,
    eocd_offset: u64,
    anomalies: Vec<String>,
}

/// True when the bytes look like a zip: a local header at the start, or an end-of-central-
/// directory record near the end (zips with data prepended, like the Janus pattern).
pub fn is_zip(data: &[u8]) -> bool {
    read_u32(data, 0) == Some(SIG_LOCAL) || find_eocd(data).is_some()
}

impl<'a> ZipArchive<'a> {
    pub fn parse(data: &'a [u8], limits: &Limits) -> Result<Self, ArchiveError> {
        if data.len() < EOCD_LEN {
            return Err(ArchiveError::NotAZip(format!("only {} bytes", data.len())));
        }
        let eocd = find_eocd(data).ok_or_else(|| {
            ArchiveError::NotAZip("no end-of-central-directory record".to_string())
        })?;
        let mut anomalies = Vec::new();
        let field16 = |off: usize| read_u16(data, eocd + off).unwrap_or(0);
        let mut total = u64::from(field16(10));
        let mut cd_size = u64::from(read_u32(data, eocd + 12).unwrap_or(0));
        let mut cd_offset = u64::from(read_u32(data, eocd + 16).unwrap_or(0));
        // The offset the central directory must end at if nothing is prepended.
        let mut cd_end_expected = eocd as u64;

        if let Some(z64) = read_zip64(data, eocd)? {
            total = z64.total;
            cd_size = z64.cd_size;
            cd_offset = z64.cd_offset;
            cd_end_expected = z64.record_offset;
        }
        if total > limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                count: total,
                limit: limits.max_entries,
            });
        }
        // Bytes before the zip proper (self-extractors, the Janus DEX-before-zip pattern).
        let prefix = cd_end_expected.checked_sub(cd_offset.saturating_add(cd_size)).ok_or_else(|| {
            ArchiveError::Truncated(format!(
                "central directory at {cd_offset}+{cd_size} runs past its end record at {cd_end_expected}"
            ))
        })?;
        if prefix > 0 {
            anomalies.push(format!("{prefix} bytes precede the zip data"));
        }
        let cd_start = cd_offset + prefix;
        let cd = slice(data, cd_start, cd_size).ok_or_else(|| {
            ArchiveError::Truncated(format!(
                "central directory {cd_start}+{cd_size} beyond end of file"
            ))
        })?;

        let mut entries = Vec::with_capacity(usize::try_from(total.min(65_536)).unwrap_or(0));
        let mut index = HashMap::with_capacity(entries.capacity());
        let mut pos = 0usize;
        while pos < cd.len() {
            if entries.len() as u64 >= limits.max_entries {
                return Err(ArchiveError::TooManyEntries {
                    count: entries.len() as u64 + 1,
                    limit: limits.max_entries,
                });
            }
            let (entry, len) = parse_central(cd, pos)?;
            pos += len;
            if index.contains_key(&entry.name) {
                // Android refuses duplicate names; we keep the first and say so.
                anomalies.push(format!("duplicate entry name `{}`", entry.name));
                continue;
            }
            index.insert(entry.name.clone(), entries.len());
            entries.push(entry);
        }
        if entries.len() as u64 != total {
            anomalies.push(format!(
                "end record announces {total} entries, central directory holds {}",
                entries.len()
            ));
        }
        Ok(Self {
            data,
            entries,
            index,
            prefix,
            cd_offset: cd_start,
            eocd_offset: eocd as u64,
            anomalies,
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn by_name(&self, name: &str) -> Option<&Entry> {
        self.index.get(name).and_then(|&i| self.entries.get(i))
    }

    /// Bytes before the zip data (0 for an ordinary zip).
    pub fn prefix_len(&self) -> u64 {
        self.prefix
    }

    /// Bytes before the first local header: prepended data that zip readers skip but other
    /// loaders may not (the Janus pattern puts a DEX there).
    pub fn leading_len(&self) -> u64 {
        self.entries
            .iter()
            .map(|e| e.local_header_offset)
            .min()
            .unwrap_or(0)
            .saturating_add(self.prefix)
    }

    /// Absolute offset of the central directory (the APK Signing Block ends right before it).
    pub fn central_directory_offset(&self) -> u64 {
        self.cd_offset
    }

    pub fn eocd_offset(&self) -> u64 {
        self.eocd_offset
    }

    /// The whole input.
    pub fn bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Oddities Android tolerates or refuses that a report should mention.
    pub fn anomalies(&self) -> &[String] {
        &self.anomalies
    }

    /// The stored (possibly compressed) bytes of an entry, located like Android does: the
    /// local header supplies only the name and extra lengths.
    pub fn raw_data(&self, entry: &Entry) -> Result<&'a [u8], ArchiveError> {
        let corrupt = |detail: String| ArchiveError::CorruptEntry {
            entry: entry.name.clone(),
            detail,
        };
        let lho = entry.local_header_offset.saturating_add(self.prefix);
        let header = slice(self.data, lho, LOCAL_LEN as u64)
            .ok_or_else(|| corrupt(format!("local header at {lho} beyond end of file")))?;
        if read_u32(header, 0) != Some(SIG_LOCAL) {
            return Err(corrupt(format!("no local header signature at {lho}")));
        }
        let name_len = u64::from(read_u16(header, 26).unwrap_or(0));
        let extra_len = u64::from(read_u16(header, 28).unwrap_or(0));
        let start = lho + LOCAL_LEN as u64 + name_len + extra_len;
        slice(self.data, start, entry.compressed_size).ok_or_else(|| {
            corrupt(format!(
                "data {start}+{} beyond end of file",
                entry.compressed_size
            ))
        })
    }

    /// The entry's content, inflated within `limits`; stored entries are borrowed, not copied.
    pub fn read(
        &self,
        entry: &Entry,
        limits: &Limits,
        budget: &Budget,
    ) -> Result<Cow<'a, [u8]>, ArchiveError> {
        let raw = self.raw_data(entry)?;
        match entry.compression() {
            Compression::Stored => {
                if raw.len() as u64 > limits.max_entry_size {
                    return Err(ArchiveError::EntryTooLarge {
                        entry: entry.name.clone(),
                        limit: limits.max_entry_size,
                    });
                }
                Ok(Cow::Borrowed(raw))
            }
            Compression::Deflated => {
                inflate_bounded(raw, entry.uncompressed_size, &entry.name, limits, budget)
                    .map(Cow::Owned)
            }
            Compression::Other(method) => Err(ArchiveError::UnsupportedCompression {
                entry: entry.name.clone(),
                method,
            }),
        }
    }

    /// Read an entry by name.
    pub fn read_by_name(
        &self,
        name: &str,
        limits: &Limits,
        budget: &Budget,
    ) -> Option<Result<Cow<'a, [u8]>, ArchiveError>> {
        self.by_name(name).map(|e| self.read(e, limits, budget))
    }
}

struct Zip64 {
    total: u64,
    cd_size: u64,
    cd_offset: u64,
    record_offset: u64,
}

fn read_zip64(data: &[u8], eocd: usize) -> Result<Option<Zip64>, ArchiveError> {
    let Some(loc) = eocd.checked_sub(20) else {
        return Ok(None);
    };
    if read_u32(data, loc) != Some(SIG_ZIP64_LOCATOR) {
        return Ok(None);
    }
    let rec_rel = read_u64(data, loc + 8)
        .ok_or_else(|| ArchiveError::Truncated("zip64 locator".to_string()))?;
    // The locator's offset is relative to the zip start; with prepended bytes the record sits
    // just before the locator, which is where we look if the stated offset is wrong.
    let record_offset =
        if slice(data, rec_rel, 56).is_some_and(|r| read_u32(r, 0) == Some(SIG_ZIP64_EOCD)) {
            rec_rel
        } else {
            let guess = (loc as u64).saturating_sub(56);
            if slice(data, guess, 56).is_some_and(|r| read_u32(r, 0) == Some(SIG_ZIP64_EOCD)) {
                guess
            } else {
                return Err(ArchiveError::Malformed(format!(
                    "zip64 end record not found at {rec_rel}"
                )));
            }
        };
    let rec = slice(data, record_offset, 56)
        .ok_or_else(|| ArchiveError::Truncated("zip64 end record".to_string()))?;
    let field = |o: usize| read_u64(rec, o).unwrap_or(0);
    Ok(Some(Zip64 {
        total: field(32),
        cd_size: field(40),
        cd_offset: field(48),
        record_offset,
    }))
}

fn parse_central(cd: &[u8], pos: usize) -> Result<(Entry, usize), ArchiveError> {
    let head = cd.get(pos..pos + CENTRAL_LEN).ok_or_else(|| {
        ArchiveError::Truncated(format!("central directory record at +{pos} cut short"))
    })?;
    if read_u32(head, 0) != Some(SIG_CENTRAL) {
        return Err(ArchiveError::Malformed(format!(
            "bad central directory signature at +{pos}"
        )));
    }
    let u16_at = |o| read_u16(head, o).unwrap_or(0);
    let u32_at = |o| read_u32(head, o).unwrap_or(0);
    let name_len = usize::from(u16_at(28));
    let extra_len = usize::from(u16_at(30));
    let comment_len = usize::from(u16_at(32));
    let total_len = CENTRAL_LEN + name_len + extra_len + comment_len;
    let record = cd.get(pos..pos + total_len).ok_or_else(|| {
        ArchiveError::Truncated(format!("central directory record at +{pos} cut short"))
    })?;
    let name_bytes = record
        .get(CENTRAL_LEN..CENTRAL_LEN + name_len)
        .unwrap_or(&[]);
    let (name, name_lossy) = match std::str::from_utf8(name_bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (String::from_utf8_lossy(name_bytes).into_owned(), true),
    };
    let extra = record
        .get(CENTRAL_LEN + name_len..CENTRAL_LEN + name_len + extra_len)
        .unwrap_or(&[]);
    let mut entry = Entry {
        name,
        name_lossy,
        flags: u16_at(8),
        method: u16_at(10),
        crc32: u32_at(16),
        compressed_size: u64::from(u32_at(20)),
        uncompressed_size: u64::from(u32_at(24)),
        local_header_offset: u64::from(u32_at(42)),
    };
    apply_zip64_extra(&mut entry, extra);
    Ok((entry, total_len))
}

/// ZIP64 extended information (0x0001) holds 64-bit values for the fields set to 0xFFFFFFFF,
/// in a fixed order.
fn apply_zip64_extra(entry: &mut Entry, mut extra: &[u8]) {
    while extra.len() >= 4 {
        let id = read_u16(extra, 0).unwrap_or(0);
        let len = usize::from(read_u16(extra, 2).unwrap_or(0));
        let Some(body) = extra.get(4..4 + len) else {
            return;
        };
        if id == 0x0001 {
            let mut at = 0;
            let mut next = |field: &mut u64| {
                if *field == 0xFFFF_FFFF
                    && let Some(v) = read_u64(body, at)
                {
                    *field = v;
                    at += 8;
                }
            };
            next(&mut entry.uncompressed_size);
            next(&mut entry.compressed_size);
            next(&mut entry.local_header_offset);
            return;
        }
        extra = extra.get(4 + len..).unwrap_or(&[]);
    }
}

/// The last EOCD signature whose comment fits in the file, searched within the last 64 KiB.
fn find_eocd(data: &[u8]) -> Option<usize> {
    let last = data.len().checked_sub(EOCD_LEN)?;
    let first = last.saturating_sub(MAX_COMMENT);
    (first..=last).rev().find(|&i| {
        read_u32(data, i) == Some(SIG_EOCD)
            && read_u16(data, i + 20).is_some_and(|c| i + EOCD_LEN + usize::from(c) <= data.len())
    })
}

fn slice(data: &[u8], start: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(start).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    data.get(start..end)
}

pub(crate) fn read_u16(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(o..o.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn read_u32(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(o..o.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub(crate) fn read_u64(d: &[u8], o: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        d.get(o..o.checked_add(8)?)?.try_into().ok()?,
    ))
}
