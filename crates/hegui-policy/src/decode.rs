//! Bytes → text: byte-order marks, UTF-8, else GB18030 (a superset of GBK and GB2312, which
//! is what Chinese sites that are not UTF-8 serve). Binary data and oversized input are errors.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::PolicyError;

/// Largest policy read: real ones are under 1 MB; this leaves room for bloated HTML.
pub const MAX_POLICY_BYTES: usize = 8 << 20;

/// Share of control characters above which the input is not text.
const MAX_CONTROL_PER_MILLE: usize = 20;

pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, PolicyError> {
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(PolicyError::TooLarge(bytes.len()));
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (String::from_utf8_lossy(rest).into_owned(), "utf-8")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (
            UTF_16LE.decode_without_bom_handling(rest).0.into_owned(),
            "utf-16le",
        )
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (
            UTF_16BE.decode_without_bom_handling(rest).0.into_owned(),
            "utf-16be",
        )
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), "utf-8")
    } else {
        (
            GB18030.decode_without_bom_handling(bytes).0.into_owned(),
            "gb18030",
        )
    };
    if is_binary(&text) {
        return Err(PolicyError::NotText);
    }
    Ok(Decoded { text, encoding })
}

/// NUL bytes, or more control characters (or undecodable sequences) than text has.
fn is_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}' {
            control += 1;
        }
    }
    total == 0 || control * 1000 > total * MAX_CONTROL_PER_MILLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_junk() {
        let zh = "我们收集您的位置信息。";
        assert_eq!(
            decode(zh.as_bytes()).map(|d| d.encoding).ok(),
            Some("utf-8")
        );
        let (gbk, _, _) = GB18030.encode(zh);
        let d = decode(&gbk).map_err(|e| e.to_string()).expect("gbk");
        assert_eq!((d.text.as_str(), d.encoding), (zh, "gb18030"));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(zh.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).map(|d| d.text).ok().as_deref(), Some(zh));
        assert!(matches!(
            decode(b"\x00\x01\x02binary"),
            Err(PolicyError::NotText)
        ));
        let junk: Vec<u8> = (0u32..4096)
            .map(|i| ((i * 37 + 11) % 255 + 1) as u8)
            .collect();
        assert!(matches!(decode(&junk), Err(PolicyError::NotText)));
        assert!(matches!(decode(b""), Err(PolicyError::NotText)));
        let big = vec![b'a'; MAX_POLICY_BYTES + 1];
        assert!(matches!(decode(&big), Err(PolicyError::TooLarge(_))));
    }
}
