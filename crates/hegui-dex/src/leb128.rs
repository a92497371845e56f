//! LEB128 as used by DEX: one to five bytes holding a 32-bit value.

use crate::DexError;

/// Reads an unsigned LEB128 value at `*pos` and advances `*pos` past it.
///
/// Like the Android runtime, bits beyond 32 in the fifth byte are ignored; a
/// value that runs past the end of `data`, or whose fifth byte still has the
/// continuation bit set, is an error (`bad-leb128`).
#[inline]
pub fn read_uleb128(data: &[u8], pos: &mut usize) -> Result<u32, DexError> {
    let start = *pos;
    let rest = data.get(start..).unwrap_or(&[]);
    let mut result: u32 = 0;
    for (i, &b) in rest.iter().take(5).enumerate() {
        result |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            *pos = start + i + 1;
            return Ok(result);
        }
    }
    Err(DexError::BadLeb128 {
        offset: start as u64,
        reason: if rest.len() >= 5 {
            "longer than 5 bytes"
        } else {
            "runs past the end of the data"
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Result<(u32, usize), DexError> {
        let mut pos = 0;
        read_uleb128(bytes, &mut pos).map(|v| (v, pos))
    }

    #[test]
    fn decodes_spec_examples() {
        assert_eq!(one(&[0x00]), Ok((0, 1)));
        assert_eq!(one(&[0x01]), Ok((1, 1)));
        assert_eq!(one(&[0x7f]), Ok((127, 1)));
        assert_eq!(one(&[0x80, 0x7f]), Ok((16256, 2)));
        assert_eq!(one(&[0xe5, 0x8e, 0x26]), Ok((624_485, 3)));
        assert_eq!(one(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok((u32::MAX, 5)));
        // Excess bits in the fifth byte are dropped, as the runtime does.
        assert_eq!(one(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Ok((u32::MAX, 5)));
    }

    #[test]
    fn reads_from_the_middle() {
        let data = [0xaa, 0x81, 0x01, 0x05];
        let mut pos = 1;
        assert_eq!(read_uleb128(&data, &mut pos), Ok(129));
        assert_eq!(pos, 3);
        assert_eq!(read_uleb128(&data, &mut pos), Ok(5));
        assert_eq!(pos, 4);
    }

    #[test]
    fn refuses_bad_values() {
        let e = one(&[0x80, 0x80]).unwrap_err();
        assert_eq!(e.code(), "bad-leb128");
        assert_eq!(
            e.to_string(),
            "bad uleb128 at offset 0x0: runs past the end of the data"
        );
        let e = one(&[0x80; 6]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad uleb128 at offset 0x0: longer than 5 bytes"
        );
        let mut pos = 10;
        let e = read_uleb128(&[0u8; 4], &mut pos).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad uleb128 at offset 0xa: runs past the end of the data"
        );
        assert_eq!(pos, 10, "position is left alone on error");
    }
}
