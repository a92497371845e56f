//! The `header_item` at the start of every DEX file (and of every section of a
//! DEX 041 container).

use crate::DexError;
use crate::reader::{bytes_at, u32_at};

/// Size of the header of versions 035 to 040.
pub const HEADER_SIZE: usize = 0x70;
/// Size of the header of version 041 (adds `container_size` and `header_offset`).
pub const HEADER_SIZE_V41: usize = 0x78;
/// The only endian tag accepted.
pub const ENDIAN_CONSTANT: u32 = 0x1234_5678;

/// The fields of `header_item`, as found in the file.
///
/// All offsets are from the start of the input (for a DEX 041 container: from
/// the start of the container, not of this section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The version from the magic, 35 to 41.
    pub version: u16,
    /// Adler-32 checksum of the rest of the file, as declared.
    pub checksum: u32,
    /// SHA-1 of the rest of the file, as declared.
    pub signature: [u8; 20],
    /// Size of the file (041: of this section, up to the next header or the end).
    pub file_size: u32,
    /// Size of the header (0x70, or 0x78 for a 041 container).
    pub header_size: u32,
    /// Always [`ENDIAN_CONSTANT`] in a file this reader accepts.
    pub endian_tag: u32,
    /// Size of the (unused) link section.
    pub link_size: u32,
    /// Offset of the (unused) link section.
    pub link_off: u32,
    /// Offset of the `map_list`.
    pub map_off: u32,
    /// Number of `string_id_item`s.
    pub string_ids_size: u32,
    /// Offset of the `string_id_item`s.
    pub string_ids_off: u32,
    /// Number of `type_id_item`s.
    pub type_ids_size: u32,
    /// Offset of the `type_id_item`s.
    pub type_ids_off: u32,
    /// Number of `proto_id_item`s.
    pub proto_ids_size: u32,
    /// Offset of the `proto_id_item`s.
    pub proto_ids_off: u32,
    /// Number of `field_id_item`s.
    pub field_ids_size: u32,
    /// Offset of the `field_id_item`s.
    pub field_ids_off: u32,
    /// Number of `method_id_item`s.
    pub method_ids_size: u32,
    /// Offset of the `method_id_item`s.
    pub method_ids_off: u32,
    /// Number of `class_def_item`s.
    pub class_defs_size: u32,
    /// Offset of the `class_def_item`s.
    pub class_defs_off: u32,
    /// Size of the data section (unused from 041 on).
    pub data_size: u32,
    /// Offset of the data section (unused from 041 on).
    pub data_off: u32,
    /// 041: size of the whole container. Older versions: equal to `file_size`.
    pub container_size: u32,
    /// 041: offset of this header in the container. Older versions: 0.
    pub header_offset: u32,
}

/// Whether `data` starts with a DEX magic: `dex\n`, three ASCII digits, NUL.
pub fn is_dex(data: &[u8]) -> bool {
    match data.first_chunk::<8>() {
        Some(m) => {
            m.starts_with(b"dex\n")
                && m[4].is_ascii_digit()
                && m[5].is_ascii_digit()
                && m[6].is_ascii_digit()
                && m[7] == 0
        }
        None => false,
    }
}

impl Header {
    /// Reads and checks the header at `base`. Checks the magic, version, endian
    /// tag and header size; the caller checks sizes against the input.
    pub(crate) fn read(data: &[u8], base: usize) -> Result<Header, DexError> {
        let truncated = |needed: usize| DexError::Truncated {
            what: "DEX header",
            offset: base as u64,
            needed: needed as u64,
            available: data.len() as u64,
        };
        let Some(magic) = data.get(base..).and_then(|d| d.first_chunk::<8>()) else {
            // Too short even for the magic: say "bad magic" if what is there
            // already differs, else "truncated".
            let rest = data.get(base..).unwrap_or(&[]);
            let expected = b"dex\n";
            let n = rest.len().min(4);
            if rest.get(..n) != expected.get(..n) {
                let mut found = [0u8; 8];
                for (d, s) in found.iter_mut().zip(rest) {
                    *d = *s;
                }
                return Err(DexError::BadMagic {
                    offset: base as u64,
                    found,
                });
            }
            return Err(truncated(HEADER_SIZE));
        };
        if !is_dex(magic) {
            return Err(DexError::BadMagic {
                offset: base as u64,
                found: *magic,
            });
        }
        let digits = [magic[4], magic[5], magic[6]];
        let version = digits
            .iter()
            .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
        if !(35..=41).contains(&version) {
            return Err(DexError::UnsupportedVersion {
                offset: base as u64,
                version: digits,
            });
        }
        let h = bytes_at(data, base, HEADER_SIZE).ok_or_else(|| truncated(HEADER_SIZE))?;
        let f = |off: usize| u32_at(h, off).unwrap_or(0);
        let endian_tag = f(0x28);
        if endian_tag != ENDIAN_CONSTANT {
            return Err(DexError::BadEndian {
                offset: base as u64 + 0x28,
                tag: endian_tag,
            });
        }
        let header_size = f(0x24);
        let bad = |field: &'static str, value: u32, reason: &'static str| DexError::BadHeader {
            offset: base as u64,
            field,
            value: u64::from(value),
            reason,
        };
        if (header_size as usize) < HEADER_SIZE {
            return Err(bad("header_size", header_size, "smaller than 0x70"));
        }
        let mut signature = [0u8; 20];
        if let Some(s) = h.get(0x0c..0x20) {
            signature.copy_from_slice(s);
        }
        let file_size = f(0x20);
        let mut header = Header {
            version,
            checksum: f(0x08),
            signature,
            file_size,
            header_size,
            endian_tag,
            link_size: f(0x2c),
            link_off: f(0x30),
            map_off: f(0x34),
            string_ids_size: f(0x38),
            string_ids_off: f(0x3c),
            type_ids_size: f(0x40),
            type_ids_off: f(0x44),
            proto_ids_size: f(0x48),
            proto_ids_off: f(0x4c),
            field_ids_size: f(0x50),
            field_ids_off: f(0x54),
            method_ids_size: f(0x58),
            method_ids_off: f(0x5c),
            class_defs_size: f(0x60),
            class_defs_off: f(0x64),
            data_size: f(0x68),
            data_off: f(0x6c),
            container_size: file_size,
            header_offset: 0,
        };
        if header.is_container() {
            let ext =
                bytes_at(data, base, HEADER_SIZE_V41).ok_or_else(|| truncated(HEADER_SIZE_V41))?;
            header.container_size = u32_at(ext, 0x70).unwrap_or(0);
            header.header_offset = u32_at(ext, 0x74).unwrap_or(0);
        }
        if header_size > file_size {
            return Err(bad("file_size", file_size, "smaller than header_size"));
        }
        Ok(header)
    }

    /// Whether this header uses the DEX 041 container layout (version 41 and a
    /// header big enough to hold `container_size` and `header_offset`).
    pub fn is_container(&self) -> bool {
        self.version >= 41 && self.header_size as usize >= HEADER_SIZE_V41
    }
}
