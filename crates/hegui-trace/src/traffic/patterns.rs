//! PI shapes found without knowing the device: mainland mobile numbers, resident ID numbers
//! (with their check digit), IMEIs (with Luhn), MAC addresses, and identifiers or
//! coordinates under a telling key (`oaid=`, `"lat":`).
//!
//! Checksums keep the false positives down: a random 15-digit number passes Luhn one time
//! in ten, an 18-digit one the ID check one time in eleven and the date check rarely.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One shape found: its kind in the trace vocabulary.
pub type Found = &'static str;

pub fn scan(text: &[u8], out: &mut Vec<Found>) {
    digit_runs(text, out);
    macs(text, out);
    keyed(text, out);
}

fn push(out: &mut Vec<Found>, kind: Found) {
    if !out.contains(&kind) {
        out.push(kind);
    }
}

fn digit_runs(b: &[u8], out: &mut Vec<Found>) {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = &b[start..i];
        let before_ok = start == 0 || !b[start - 1].is_ascii_alphanumeric();
        let next = b.get(i).copied();
        let after_ok = next.is_none_or(|c| !c.is_ascii_alphanumeric());
        if !before_ok {
            continue;
        }
        if run.len() == 17 && matches!(next, Some(b'X' | b'x')) {
            let after_x = b.get(i + 1).is_none_or(|c| !c.is_ascii_alphanumeric());
            if after_x && resident_id(run, 10) {
                push(out, "resident_id");
            }
            continue;
        }
        if !after_ok {
            continue;
        }
        match run.len() {
            11 if mobile(run) => push(out, "phone_number"),
            13 if run.starts_with(b"86") && mobile(&run[2..]) => push(out, "phone_number"),
            15 if luhn(run) && !all_same(run) => push(out, "device_id.imei"),
            18 if resident_id(&run[..17], i64::from(run[17] - b'0')) => push(out, "resident_id"),
            _ => {}
        }
    }
}

/// Mainland mobile numbers: 11 digits, `1` then `3`–`9`.
fn mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

fn all_same(d: &[u8]) -> bool {
    d.iter().all(|&c| c == d[0])
}

pub fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in d.iter().rev().enumerate() {
        let mut v = u32::from(c - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// GB 11643: 17 digits (area, birth date, order) and an ISO 7064 MOD 11-2 check (10 = X).
pub fn resident_id(d17: &[u8], check: i64) -> bool {
    const WEIGHTS: [i64; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    if d17.len() != 17 || d17[0] == b'0' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        d17[r]
            .iter()
            .fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'))
    };
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: i64 = d17
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| i64::from(c - b'0') * w)
        .sum();
    (12 - sum % 11) % 11 == check
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn macs(b: &[u8], out: &mut Vec<Found>) {
    if b.len() < 17 {
        return;
    }
    let mut i = 0;
    while i + 17 <= b.len() {
        let sep = b[i + 2];
        if !(is_hex(b[i]) && is_hex(b[i + 1]) && matches!(sep, b':' | b'-')) {
            i += 1;
            continue;
        }
        let w = &b[i..i + 17];
        let shaped = (0..6).all(|g| is_hex(w[g * 3]) && is_hex(w[g * 3 + 1]))
            && (0..5).all(|g| w[g * 3 + 2] == sep);
        let before_ok = i == 0 || !(is_hex(b[i - 1]) || b[i - 1] == sep);
        let after_ok = b.get(i + 17).is_none_or(|&c| !(is_hex(c) || c == sep));
        if shaped && before_ok && after_ok && !placeholder_mac(w) {
            push(out, "device_id.mac");
            i += 17;
        } else {
            i += 1;
        }
    }
}

/// Values the platform hands out instead of the real address.
fn placeholder_mac(w: &[u8]) -> bool {
    let hex: Vec<u8> = w
        .iter()
        .filter(|c| is_hex(**c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex.iter().all(|&c| c == b'0') || hex.iter().all(|&c| c == b'f') || hex == b"020000000000"
}

/// Keys whose value, when it has the right shape, is the named PI.
const KEYS: &[(&str, Key)] = &[
    ("oaid", Key::AdId("device_id.oaid")),
    ("idfa", Key::AdId("device_id.idfa")),
    ("gaid", Key::AdId("device_id.gaid")),
    ("adid", Key::AdId("device_id.gaid")),
    ("vaid", Key::AdId("device_id.vaid")),
    ("aaid", Key::AdId("device_id.aaid")),
    ("android_id", Key::AndroidId),
    ("androidid", Key::AndroidId),
    ("imsi", Key::Imsi),
    ("iccid", Key::Iccid),
    ("latitude", Key::Lat),
    ("lat", Key::Lat),
    ("longitude", Key::Lng),
    ("lng", Key::Lng),
    ("lon", Key::Lng),
];

#[derive(Clone, Copy)]
enum Key {
    AdId(&'static str),
    AndroidId,
    Imsi,
    Iccid,
    Lat,
    Lng,
}

/// The key automaton; `None` only if the builder refused a fixed table (never in practice).
fn keys() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(KEYS.iter().map(|(k, _)| k))
            .ok()
    })
    .as_ref()
}

fn keyed(b: &[u8], out: &mut Vec<Found>) {
    let Some(ac) = keys() else { return };
    for m in ac.find_iter(b) {
        let (start, mut i) = (m.start(), m.end());
        if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
            continue;
        }
        // `key=value`, `"key":"value"`, `key: value`.
        let mut skipped = 0;
        while i < b.len() && skipped < 4 && matches!(b[i], b'"' | b'\'' | b':' | b'=' | b' ') {
            i += 1;
            skipped += 1;
        }
        if skipped == 0 {
            continue;
        }
        let v_start = i;
        while i < b.len()
            && i - v_start < 80
            && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'.'))
        {
            i += 1;
        }
        let value = &b[v_start..i];
        let Some((_, key)) = KEYS.get(m.pattern().as_usize()) else {
            continue;
        };
        let kind = match *key {
            Key::AdId(kind) if uuid(value) || hex_len(value, 16) || hex_len(value, 64) => kind,
            Key::AndroidId if hex_len(value, 16) => "device_id.android_id",
            Key::Imsi if value.len() == 15 && value.starts_with(b"460") && digits(value) => {
                "device_id.imsi"
            }
            Key::Iccid if (19..=20).contains(&value.len()) && value.starts_with(b"8986") => {
                "device_id.iccid"
            }
            Key::Lat if coordinate(value, 90.0) => "location.precise",
            Key::Lng if coordinate(value, 180.0) => "location.precise",
            _ => continue,
        };
        push(out, kind);
    }
}

fn digits(v: &[u8]) -> bool {
    v.iter().all(u8::is_ascii_digit)
}

fn hex_len(v: &[u8], n: usize) -> bool {
    v.len() == n && v.iter().all(|c| is_hex(*c)) && !v.iter().all(|&c| c == b'0')
}

fn uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                is_hex(c)
            }
        })
        && v.iter().any(|&c| c != b'0' && c != b'-')
}

/// A decimal degree precise enough to place a person (four decimals ≈ 11 m).
fn coordinate(v: &[u8], limit: f64) -> bool {
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    let Some((_, frac)) = s.split_once('.') else {
        return false;
    };
    frac.len() >= 4
        && frac.bytes().all(|c| c.is_ascii_digit())
        && s.parse::<f64>().is_ok_and(|x| x.abs() <= limit && x != 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Found> {
        let mut v = Vec::new();
        scan(s.as_bytes(), &mut v);
        v
    }

    #[test]
    fn numbers_with_their_checks() {
        assert_eq!(kinds("mobile=13812345678&x=1"), ["phone_number"]);
        assert_eq!(kinds("tel:+8613812345678"), ["phone_number"]);
        assert!(kinds("ts=12812345678").is_empty(), "second digit 2");
        assert!(kinds("h=ab13812345678cd").is_empty(), "inside a hex token");
        assert_eq!(kinds("imei=490154203237518"), ["device_id.imei"]);
        assert!(kinds("imei=490154203237519").is_empty(), "Luhn fails");
        assert_eq!(kinds("id=11010519491231002X"), ["resident_id"]);
        assert_eq!(
            kinds("{\"idcard\":\"110101199001011237\"}"),
            ["resident_id"]
        );
        assert!(kinds("id=110101199001011238").is_empty(), "bad check digit");
        assert!(kinds("n=123456789012345678").is_empty());
    }

    #[test]
    fn macs_but_not_placeholders() {
        assert_eq!(kinds("mac=3C:22:FB:12:34:56"), ["device_id.mac"]);
        assert_eq!(kinds("\"mac\":\"3c-22-fb-12-34-56\""), ["device_id.mac"]);
        assert!(kinds("mac=02:00:00:00:00:00").is_empty());
        assert!(kinds("ip=fe80::3c22:fb12:3456").is_empty());
    }

    #[test]
    fn identifiers_need_a_key() {
        let uuid = "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d";
        assert!(kinds(&format!("request_id={uuid}")).is_empty());
        assert_eq!(kinds(&format!("oaid={uuid}")), ["device_id.oaid"]);
        assert_eq!(
            kinds(&format!("{{\"idfa\": \"{}\"}}", uuid.to_uppercase())),
            ["device_id.idfa"]
        );
        assert_eq!(
            kinds("android_id=9774d56d682e549c"),
            ["device_id.android_id"]
        );
        assert!(kinds("xandroid_id=9774d56d682e549c").is_empty());
        assert_eq!(kinds("lat=39.908823&lng=116.397470"), ["location.precise"]);
        assert!(kinds("lat=39.9&lng=116.4").is_empty(), "city-level");
        assert!(kinds("platform=android").is_empty());
    }
}
