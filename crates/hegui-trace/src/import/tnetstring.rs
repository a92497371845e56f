//! tnetstrings, the serialisation of mitmproxy's flow files (`mitmdump -w`):
//! `<length>:<payload><type>` with `,` bytes, `;` text, `#` integer, `^` float, `!` boolean,
//! `~` null, `]` list and `}` dictionary (alternating keys and values).

use std::collections::BTreeMap;

/// Nested deeper than this is hostile, not a flow.
const MAX_DEPTH: usize = 64;
/// Longest length prefix accepted (a 1 TB payload has 13 digits).
const MAX_LEN_DIGITS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bytes(Vec<u8>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<Value>),
    Dict(BTreeMap<String, Value>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Dict(d) => d.get(key),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<String> {
        match self {
            Self::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Self::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Self::Int(i) => Some(*i as f64),
            Self::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn list(&self) -> &[Value] {
        match self {
            Self::List(l) => l,
            _ => &[],
        }
    }
}

/// Parse one value from the front of `input`; returns it and the rest.
pub fn parse(input: &[u8]) -> Result<(Value, &[u8]), String> {
    parse_at(input, 0)
}

fn parse_at(input: &[u8], depth: usize) -> Result<(Value, &[u8]), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deeply".into());
    }
    let colon = input
        .iter()
        .take(MAX_LEN_DIGITS + 1)
        .position(|&c| c == b':')
        .ok_or("no length prefix")?;
    let digits = &input[..colon];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err("bad length prefix".into());
    }
    let len: usize = std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or("bad length prefix")?;
    let rest = &input[colon + 1..];
    if rest.len() < len + 1 {
        return Err(format!(
            "truncated: {len} bytes announced, {} left",
            rest.len().saturating_sub(1)
        ));
    }
    let (payload, tag, after) = (&rest[..len], rest[len], &rest[len + 1..]);
    let text = || std::str::from_utf8(payload).map_err(|_| "non-UTF-8 number".to_string());
    let value = match tag {
        b',' | b';' => Value::Bytes(payload.to_vec()),
        b'#' => Value::Int(text()?.parse().map_err(|_| "bad integer")?),
        b'^' => Value::Float(text()?.parse().map_err(|_| "bad float")?),
        b'!' => Value::Bool(payload == b"true"),
        b'~' => Value::Null,
        b']' => {
            let mut items = Vec::new();
            let mut p = payload;
            while !p.is_empty() {
                let (v, r) = parse_at(p, depth + 1)?;
                items.push(v);
                p = r;
            }
            Value::List(items)
        }
        b'}' => {
            let mut dict = BTreeMap::new();
            let mut p = payload;
            while !p.is_empty() {
                let (k, r) = parse_at(p, depth + 1)?;
                let (v, r) = parse_at(r, depth + 1)?;
                let key = k.text().ok_or("a dictionary key that is not a string")?;
                dict.insert(key, v);
                p = r;
            }
            Value::Dict(dict)
        }
        other => return Err(format!("unknown type tag {:?}", char::from(other))),
    };
    Ok((value, after))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values() {
        let body = b"4:host;5:a.com,4:port;3:443#3:tls;4:true!";
        let data = [format!("{}:", body.len()).as_bytes(), body, b"}xyz"].concat();
        let (v, rest) = parse(&data).unwrap();
        assert_eq!(rest, b"xyz");
        assert_eq!(
            v.get("host").and_then(Value::text).as_deref(),
            Some("a.com")
        );
        assert_eq!(v.get("port"), Some(&Value::Int(443)));
        assert_eq!(v.get("tls"), Some(&Value::Bool(true)));
        let (l, _) = parse(b"7:1:1#0:~]").unwrap();
        assert_eq!(l.list().len(), 2);
    }

    #[test]
    fn rejects_damage() {
        for bad in [
            &b"5:abc,"[..],
            b"x:abc,",
            b"3:abc?",
            b"99999999999999:a,",
            b"4:1:a,}",
            b"",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        assert!(parse(b"0:~").is_ok());
        let mut nested = b"0:]".to_vec();
        for _ in 0..100 {
            nested = [
                format!("{}:", nested.len()).into_bytes(),
                nested,
                b"]".to_vec(),
            ]
            .concat();
        }
        assert!(parse(&nested).is_err());
    }
}
