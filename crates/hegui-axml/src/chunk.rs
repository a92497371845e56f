//! Little-endian readers and the common chunk header (`ResChunk_header`).
//!
//! Every chunk in a compiled resource file starts with the same 8 bytes:
//! a `u16` type, a `u16` header size and a `u32` total size (header included).

pub(crate) const RES_STRING_POOL_TYPE: u16 = 0x0001;
pub(crate) const RES_TABLE_TYPE: u16 = 0x0002;
pub(crate) const RES_XML_TYPE: u16 = 0x0003;
pub(crate) const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
pub(crate) const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
pub(crate) const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
pub(crate) const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
pub(crate) const RES_XML_CDATA_TYPE: u16 = 0x0104;
pub(crate) const RES_XML_LAST_CHUNK_TYPE: u16 = 0x017f;
pub(crate) const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
pub(crate) const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
pub(crate) const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
pub(crate) const RES_TABLE_TYPE_SPEC_TYPE: u16 = 0x0202;
pub(crate) const RES_TABLE_LIBRARY_TYPE: u16 = 0x0203;
pub(crate) const RES_TABLE_OVERLAYABLE_TYPE: u16 = 0x0204;
pub(crate) const RES_TABLE_OVERLAYABLE_POLICY_TYPE: u16 = 0x0205;
pub(crate) const RES_TABLE_STAGED_ALIAS_TYPE: u16 = 0x0206;

/// Size of the common chunk header.
pub(crate) const CHUNK_HEADER_SIZE: usize = 8;

/// "No string" / "no entry" marker used by string references.
pub(crate) const NO_INDEX: u32 = 0xFFFF_FFFF;

pub(crate) fn u8_at(data: &[u8], off: usize) -> Option<u8> {
    data.get(off).copied()
}

pub(crate) fn u16_at(data: &[u8], off: usize) -> Option<u16> {
    let end = off.checked_add(2)?;
    let bytes: [u8; 2] = data.get(off..end)?.try_into().ok()?;
    Some(u16::from_le_bytes(bytes))
}

pub(crate) fn u32_at(data: &[u8], off: usize) -> Option<u32> {
    let end = off.checked_add(4)?;
    let bytes: [u8; 4] = data.get(off..end)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

/// A chunk header as read from the input (not yet validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChunkHeader {
    pub ty: u16,
    pub header_size: u16,
    pub size: u32,
}

impl ChunkHeader {
    pub(crate) fn read(data: &[u8], off: usize) -> Option<ChunkHeader> {
        Some(ChunkHeader {
            ty: u16_at(data, off)?,
            header_size: u16_at(data, off.checked_add(2)?)?,
            size: u32_at(data, off.checked_add(4)?)?,
        })
    }

    /// Whether this header is self-consistent and its chunk lies within
    /// `off..end` of the input.
    pub(crate) fn fits(&self, off: usize, end: usize) -> bool {
        let hs = usize::from(self.header_size);
        let size = self.size as usize;
        hs >= CHUNK_HEADER_SIZE
            && size >= hs
            && off
                .checked_add(size)
                .is_some_and(|chunk_end| chunk_end <= end)
    }
}

/// Decodes a fixed-size, NUL-terminated UTF-16LE field (such as a package name).
pub(crate) fn utf16_field(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| {
            u16::from_le_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ])
        })
        .take_while(|&unit| unit != 0)
        .collect();
    String::from_utf16_lossy(&units)
}
