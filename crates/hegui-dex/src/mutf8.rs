//! Modified UTF-8 ("MUTF-8") as stored in DEX string data.
//!
//! MUTF-8 differs from UTF-8 in two ways: U+0000 is written as the two bytes
//! `C0 80` (so a raw zero byte can end the string), and characters outside the
//! Basic Multilingual Plane are written as a UTF-16 surrogate pair, each half
//! encoded on its own in three bytes.

use std::borrow::Cow;

/// Decodes MUTF-8 bytes (without the terminating NUL).
///
/// Returns the input itself when it is also valid UTF-8 (the usual case: plain
/// ASCII names), else a decoded copy. Surrogate pairs become one character;
/// `C0 80` becomes U+0000. Decoding is lossy: a malformed sequence or an
/// unpaired surrogate becomes U+FFFD. Never panics.
pub fn decode_mutf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(decode_slow(bytes)),
    }
}

fn is_cont(b: Option<&u8>) -> Option<u32> {
    match b {
        Some(&b) if b & 0xc0 == 0x80 => Some(u32::from(b & 0x3f)),
        _ => None,
    }
}

/// One code point (or lone UTF-16 unit) and its length in bytes; `None` for a
/// malformed sequence (caller skips one byte).
fn next_unit(bytes: &[u8], i: usize) -> Option<(u32, usize)> {
    let b0 = u32::from(*bytes.get(i)?);
    if b0 < 0x80 {
        return Some((b0, 1));
    }
    let c1 = is_cont(bytes.get(i + 1));
    if b0 & 0xe0 == 0xc0 {
        return Some((((b0 & 0x1f) << 6) | c1?, 2));
    }
    let c2 = is_cont(bytes.get(i + 2));
    if b0 & 0xf0 == 0xe0 {
        return Some((((b0 & 0x0f) << 12) | (c1? << 6) | c2?, 3));
    }
    // Four-byte UTF-8 is not MUTF-8, but its meaning is unambiguous: accept it.
    if b0 & 0xf8 == 0xf0 {
        let c3 = is_cont(bytes.get(i + 3));
        return Some((((b0 & 0x07) << 18) | (c1? << 12) | (c2? << 6) | c3?, 4));
    }
    None
}

fn decode_slow(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut pending_high: Option<u32> = None;
    let mut i = 0;
    while i < bytes.len() {
        let Some((unit, len)) = next_unit(bytes, i) else {
            if pending_high.take().is_some() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
            out.push(char::REPLACEMENT_CHARACTER);
            i += 1;
            continue;
        };
        i += len;
        match unit {
            0xd800..=0xdbff => {
                if pending_high.replace(unit).is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
            0xdc00..=0xdfff => match pending_high.take() {
                Some(high) => {
                    let cp = 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00);
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                None => out.push(char::REPLACEMENT_CHARACTER),
            },
            _ => {
                if pending_high.take().is_some() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }
    if pending_high.is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed() {
        let s = decode_mutf8(b"Landroid/telephony/TelephonyManager;");
        assert!(matches!(s, Cow::Borrowed(_)));
        assert_eq!(s, "Landroid/telephony/TelephonyManager;");
    }

    #[test]
    fn two_and_three_byte_sequences() {
        // "é" (C3 A9) and "中" (E4 B8 AD) are the same in UTF-8 and MUTF-8.
        let s = decode_mutf8(&[0x63, 0x61, 0x66, 0xc3, 0xa9, 0xe4, 0xb8, 0xad]);
        assert!(matches!(s, Cow::Borrowed(_)));
        assert_eq!(s, "café中");
    }

    #[test]
    fn surrogate_pair_is_one_char() {
        // U+1F600 = D83D DE00 → ED A0 BD ED B8 80
        let s = decode_mutf8(&[b'a', 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, b'b']);
        assert_eq!(s, "a\u{1F600}b");
        assert_eq!(s.chars().count(), 3);
    }

    #[test]
    fn embedded_nul() {
        let s = decode_mutf8(&[b'x', 0xc0, 0x80, b'y']);
        assert_eq!(s, "x\0y");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn lossy_on_garbage() {
        // Lone high surrogate, then ASCII.
        assert_eq!(decode_mutf8(&[0xed, 0xa0, 0xbd, b'z']), "\u{FFFD}z");
        // Lone low surrogate.
        assert_eq!(decode_mutf8(&[0xed, 0xb8, 0x80]), "\u{FFFD}");
        // Two high surrogates then a low one: first is lost, second pairs.
        assert_eq!(
            decode_mutf8(&[0xed, 0xa0, 0xbd, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]),
            "\u{FFFD}\u{1F600}"
        );
        // Stray continuation byte, bad lead byte, truncated sequence.
        assert_eq!(
            decode_mutf8(&[0x80, b'a', 0xff, 0xe4, 0xb8]),
            "\u{FFFD}a\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        // High surrogate at the very end.
        assert_eq!(decode_mutf8(&[b'q', 0xed, 0xa0, 0xbd]), "q\u{FFFD}");
    }

    #[test]
    fn every_two_byte_input_decodes() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let bytes = [a, b];
                let s = decode_mutf8(&bytes);
                assert!(s.chars().count() <= 2);
            }
        }
    }
}
