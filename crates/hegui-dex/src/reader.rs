//! Bounds-checked little-endian reads. Every read of input bytes goes through here
//! (or through `get`), so no read can panic.

/// `len` bytes at `off`, or `None` if any of them lies outside `data`.
#[inline]
pub(crate) fn bytes_at(data: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    data.get(off..off.checked_add(len)?)
}

#[inline]
pub(crate) fn u16_at(data: &[u8], off: usize) -> Option<u16> {
    data.get(off..)?
        .first_chunk::<2>()
        .map(|b| u16::from_le_bytes(*b))
}

#[inline]
pub(crate) fn u32_at(data: &[u8], off: usize) -> Option<u32> {
    data.get(off..)?
        .first_chunk::<4>()
        .map(|b| u32::from_le_bytes(*b))
}
