//! Property lists (XML and binary) and `.strings` files, bounded.

use std::collections::BTreeMap;
use std::io::Cursor;

use plist::{Dictionary, Value};

/// Larger plists are refused: real Info.plists and privacy manifests are a few KiB.
pub const MAX_PLIST_BYTES: usize = 4 << 20;

/// Parse a plist (XML, binary or ASCII), refusing oversized input.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    if bytes.len() > MAX_PLIST_BYTES {
        return Err(format!(
            "plist of {} bytes is over the {MAX_PLIST_BYTES}-byte limit",
            bytes.len()
        ));
    }
    check_depth(bytes)?;
    Value::from_reader(Cursor::new(bytes)).map_err(|e| format!("not a readable plist: {e}"))
}

/// Deeper nesting is refused before parsing: building and dropping a deeply nested value
/// recurses, and a hostile plist of a few KiB can nest tens of thousands of arrays.
pub const MAX_DEPTH: usize = 64;

fn check_depth(bytes: &[u8]) -> Result<(), String> {
    let depth = if bytes.starts_with(b"bplist00") {
        binary_depth(bytes).ok_or("malformed binary plist")?
    } else {
        text_depth(bytes)
    };
    if depth > MAX_DEPTH {
        return Err(format!(
            "plist nests {depth} levels deep, over the limit of {MAX_DEPTH}"
        ));
    }
    Ok(())
}

/// Nesting of `<array>`/`<dict>` (XML) or `(`/`{` (old-style ASCII) — an upper bound, since
/// brackets inside strings count too.
fn text_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let open = rest.starts_with(b"<array>") || rest.starts_with(b"<dict>");
        let close = rest.starts_with(b"</array>") || rest.starts_with(b"</dict>");
        match bytes[i] {
            _ if open => depth += 1,
            _ if close => depth = depth.saturating_sub(1),
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        max = max.max(depth);
        if max > MAX_DEPTH {
            return max;
        }
        i += 1;
    }
    max
}

/// Nesting depth of a binary plist's object graph from its top object (iteratively, each
/// object visited once). `None` when the structure is malformed.
fn binary_depth(bytes: &[u8]) -> Option<usize> {
    let trailer = bytes.get(bytes.len().checked_sub(32)?..)?;
    let offset_size = usize::from(trailer[6]);
    let ref_size = usize::from(trailer[7]);
    let be = |b: &[u8]| b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x));
    let num_objects = usize::try_from(be(&trailer[8..16])).ok()?;
    let top = usize::try_from(be(&trailer[16..24])).ok()?;
    let table = usize::try_from(be(&trailer[24..32])).ok()?;
    if !(1..=8).contains(&offset_size) || !(1..=8).contains(&ref_size) {
        return None;
    }
    if num_objects > bytes.len() || top >= num_objects {
        return None;
    }
    // `len` bytes at `start`, every addition checked: offsets come from the file.
    let slice = |start: usize, len: usize| bytes.get(start..start.checked_add(len)?);
    let offset_of = |obj: usize| -> Option<usize> {
        let at = table.checked_add(obj.checked_mul(offset_size)?)?;
        usize::try_from(be(slice(at, offset_size)?)).ok()
    };
    // Children (object references) of a container object.
    let children = |obj: usize| -> Option<Vec<usize>> {
        let at = offset_of(obj)?;
        let marker = *slice(at, 1)?.first()?;
        let (kind, low) = (marker >> 4, usize::from(marker & 0x0f));
        if !matches!(kind, 0xA | 0xC | 0xD) {
            return Some(Vec::new());
        }
        let (count, mut pos) = if low == 0x0f {
            let int_marker = *slice(at.checked_add(1)?, 1)?.first()?;
            if int_marker >> 4 != 1 || int_marker & 0x0f > 3 {
                return None;
            }
            let len = 1usize << (int_marker & 0x0f);
            let start = at.checked_add(2)?;
            (
                usize::try_from(be(slice(start, len)?)).ok()?,
                start.checked_add(len)?,
            )
        } else {
            (low, at.checked_add(1)?)
        };
        let refs = if kind == 0xD {
            count.checked_mul(2)?
        } else {
            count
        };
        if refs > bytes.len() {
            return None;
        }
        let mut out = Vec::with_capacity(refs);
        for _ in 0..refs {
            out.push(usize::try_from(be(slice(pos, ref_size)?)).ok()?);
            pos = pos.checked_add(ref_size)?;
        }
        Some(out)
    };
    let mut seen = vec![false; num_objects];
    let mut stack = vec![(top, 1usize)];
    let mut max = 0;
    while let Some((obj, depth)) = stack.pop() {
        max = max.max(depth);
        if max > MAX_DEPTH {
            return Some(max);
        }
        if std::mem::replace(seen.get_mut(obj)?, true) {
            continue;
        }
        for child in children(obj)? {
            if child >= num_objects {
                return None;
            }
            stack.push((child, depth + 1));
        }
    }
    Some(max)
}

/// Parse a plist whose top level must be a dictionary.
pub fn parse_dict(bytes: &[u8]) -> Result<Dictionary, String> {
    match parse(bytes)? {
        Value::Dictionary(d) => Ok(d),
        _ => Err("the plist's top level is not a dictionary".into()),
    }
}

pub fn string(d: &Dictionary, key: &str) -> Option<String> {
    d.get(key).and_then(Value::as_string).map(str::to_string)
}

pub fn bool_of(d: &Dictionary, key: &str) -> bool {
    d.get(key).and_then(Value::as_boolean).unwrap_or(false)
}

/// An array of strings (other members ignored).
pub fn strings(d: &Dictionary, key: &str) -> Vec<String> {
    d.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_string)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The XML plist inside a CMS envelope (`embedded.mobileprovision`): from `<?xml` to
/// `</plist>`. Signature checking is the installer's job; we need the declarations.
pub fn embedded_xml(bytes: &[u8]) -> Option<&[u8]> {
    let start = memchr::memmem::find(bytes, b"<?xml")?;
    let end_tag = b"</plist>";
    let end = memchr::memmem::find(bytes.get(start..)?, end_tag)? + start + end_tag.len();
    bytes.get(start..end)
}

/// `InfoPlist.strings`: old-style `"key" = "value";` pairs (UTF-8 or UTF-16 with BOM), or a
/// binary/XML plist dictionary (what Xcode may ship). Comments are skipped.
pub fn parse_strings(bytes: &[u8]) -> BTreeMap<String, String> {
    if bytes.starts_with(b"bplist") || bytes.starts_with(b"<?xml") {
        return parse_dict(bytes)
            .map(|d| {
                d.into_iter()
                    .filter_map(|(k, v)| v.as_string().map(|s| (k, s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
    }
    let text = decode_text(bytes);
    let mut out = BTreeMap::new();
    let mut tokens = StringsTokens {
        chars: text.chars().peekable(),
    };
    // key = value ;
    while let Some(key) = tokens.next_token() {
        let Some(eq) = tokens.next_token() else { break };
        if eq != "=" {
            continue;
        }
        let Some(value) = tokens.next_token() else {
            break;
        };
        out.insert(key, value);
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |le: bool, body: &[u8]| {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(true, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(false, rest),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Tokens of a `.strings` file: quoted strings (with escapes), bare words, `=` and `;`
/// (the `;` is skipped). Comments (`/* */`, `//`) are skipped.
struct StringsTokens<I: Iterator<Item = char>> {
    chars: std::iter::Peekable<I>,
}

impl<I: Iterator<Item = char>> StringsTokens<I> {
    fn next_token(&mut self) -> Option<String> {
        loop {
            let c = *self.chars.peek()?;
            if c.is_whitespace() || c == ';' {
                self.chars.next();
                continue;
            }
            if c == '/' {
                self.chars.next();
                match self.chars.peek() {
                    Some('*') => {
                        self.chars.next();
                        let mut prev = ' ';
                        for c in self.chars.by_ref() {
                            if prev == '*' && c == '/' {
                                break;
                            }
                            prev = c;
                        }
                    }
                    Some('/') => {
                        for c in self.chars.by_ref() {
                            if c == '\n' {
                                break;
                            }
                        }
                    }
                    _ => return Some("/".into()),
                }
                continue;
            }
            if c == '=' {
                self.chars.next();
                return Some("=".into());
            }
            if c == '"' {
                self.chars.next();
                let mut s = String::new();
                while let Some(c) = self.chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match self.chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(other) => s.push(other),
                            None => break,
                        },
                        c => s.push(c),
                    }
                }
                return Some(s);
            }
            let mut s = String::new();
            while let Some(&c) = self.chars.peek() {
                if c.is_whitespace() || c == '=' || c == ';' || c == '"' {
                    break;
                }
                s.push(c);
                self.chars.next();
            }
            if s.is_empty() {
                self.chars.next();
                continue;
            }
            return Some(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_files_in_both_encodings() {
        let text = "/* comment */\n\"NSCameraUsageDescription\" = \"扫码 \\\"登录\\\"\";\n// line\nNSContactsUsageDescription = \"好友\";";
        let utf8 = parse_strings(text.as_bytes());
        assert_eq!(utf8["NSCameraUsageDescription"], "扫码 \"登录\"");
        assert_eq!(utf8["NSContactsUsageDescription"], "好友");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(parse_strings(&utf16), utf8);
        assert!(parse_strings(b"\"unterminated").is_empty());
    }

    #[test]
    fn embedded_plist_and_limits() {
        let cms = b"\x30\x80junk<?xml version=\"1.0\"?><plist><dict/></plist>tail";
        assert_eq!(
            embedded_xml(cms),
            Some(&b"<?xml version=\"1.0\"?><plist><dict/></plist>"[..])
        );
        assert!(parse(&vec![b' '; MAX_PLIST_BYTES + 1]).is_err());
        assert!(parse_dict(b"not a plist").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!(
            "<?xml version=\"1.0\"?><plist>{}{}</plist>",
            "<array>".repeat(100_000),
            "</array>".repeat(100_000)
        );
        let err = parse(deep.as_bytes()).expect_err("too deep");
        assert!(err.contains("levels deep"), "{err}");
        // A binary plist nesting 1,000 one-element arrays: objects 0..999, object i holds i+1.
        let n = 1000usize;
        let mut body = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for i in 0..n {
            offsets.push(body.len() as u16);
            if i + 1 < n {
                body.push(0xA1);
                body.extend(((i + 1) as u16).to_be_bytes());
            } else {
                body.push(0x08); // false
            }
        }
        let table = body.len();
        for o in offsets {
            body.extend(o.to_be_bytes());
        }
        body.extend([0u8; 6]);
        body.extend([2u8, 2u8]);
        body.extend((n as u64).to_be_bytes());
        body.extend(0u64.to_be_bytes());
        body.extend((table as u64).to_be_bytes());
        let err = parse(&body).expect_err("too deep");
        assert!(err.contains("levels deep"), "{err}");
        // Shallow plists still parse.
        let mut shallow = Vec::new();
        Value::Array(vec![Value::Array(vec![Value::Boolean(true)])])
            .to_writer_binary(&mut shallow)
            .expect("write");
        assert!(parse(&shallow).is_ok());
    }
}
