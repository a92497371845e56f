//! Personal information in requests: the test device's own values (trace fixtures) in any
//! of the forms SDKs send them in, and PI shapes found without knowing the device.
//!
//! Values never leave this module: a hit names the kind of value, its form and where it
//! was (URL, a header, the body).

mod patterns;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use hegui_model::PiHit;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Bodies are scanned up to this size; the rest of a multi-megabyte upload is media.
pub const MAX_BODY_SCAN: usize = 1 << 20;
/// Decoded tokens tried per text, to bound the work an adversarial body can cause.
const MAX_DECODED_TOKENS: usize = 64;
/// Fixture values shorter than this match too much by chance.
const MIN_FIXTURE_LEN: usize = 6;

/// The trace vocabulary name of a fixture key (`imei` → `device_id.imei`).
pub fn fixture_kind(key: &str) -> String {
    const DEVICE_IDS: &[&str] = &[
        "imei",
        "meid",
        "imsi",
        "iccid",
        "serial",
        "android_id",
        "mac",
        "bt_mac",
        "oaid",
        "vaid",
        "aaid",
        "gaid",
        "idfa",
        "idfv",
    ];
    let k = key.to_ascii_lowercase();
    if DEVICE_IDS.contains(&k.as_str()) {
        format!("device_id.{k}")
    } else if matches!(k.as_str(), "phone" | "mobile" | "msisdn" | "line1_number") {
        "phone_number".into()
    } else {
        k
    }
}

/// Finds PI in request parts.
pub struct Scanner {
    /// Every encoded form of every fixture value, with (kind, form) per pattern.
    fixtures: Option<AhoCorasick>,
    needles: Vec<(String, &'static str)>,
    /// SHA-256 of values API calls returned (`ret.value_sha256`), by category.
    value_hashes: BTreeMap<String, String>,
}

impl Scanner {
    pub fn new(fixtures: &[(String, String)]) -> Self {
        let mut seen = HashSet::new();
        let mut patterns = Vec::new();
        let mut needles = Vec::new();
        for (key, value) in fixtures {
            let kind = fixture_kind(key);
            for (form, needle) in encodings(value.trim()) {
                if needle.len() >= MIN_FIXTURE_LEN && seen.insert(needle.clone()) {
                    patterns.push(needle);
                    needles.push((kind.clone(), form));
                }
            }
        }
        let fixtures = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Self {
            fixtures,
            needles,
            value_hashes: BTreeMap::new(),
        }
    }

    pub fn has_fixtures(&self) -> bool {
        self.fixtures.is_some()
    }

    /// Remember the hash of a value an API call returned, to spot it hashed in traffic.
    pub fn add_value_hash(&mut self, sha256_hex: &str, category: &str) {
        const CAP: usize = 10_000;
        if sha256_hex.len() == 64 && self.value_hashes.len() < CAP {
            self.value_hashes
                .entry(sha256_hex.to_ascii_lowercase())
                .or_insert_with(|| category.to_string());
        }
    }

    /// Scan one part of a request (`place`: `url`, `header:<name>`, `body`).
    pub fn scan(&self, text: &[u8], place: &str, hits: &mut Vec<PiHit>) {
        let text = &text[..text.len().min(MAX_BODY_SCAN)];
        if let Some(ac) = &self.fixtures {
            for m in ac.find_iter(text) {
                if let Some((kind, form)) = self.needles.get(m.pattern().as_usize()) {
                    add(hits, kind, form, place, true);
                }
            }
        }
        self.shapes(text, "plain", place, hits);
        if memchr::memchr(b'%', text).is_some() {
            let decoded = percent_decode(text);
            self.shapes(&decoded, "url", place, hits);
        }
        self.decoded_tokens(text, place, hits);
    }

    fn shapes(&self, text: &[u8], form: &'static str, place: &str, hits: &mut Vec<PiHit>) {
        let mut found = Vec::new();
        patterns::scan(text, &mut found);
        for kind in found {
            add(hits, kind, form, place, false);
        }
    }

    /// Base64 and hex tokens are decoded once and scanned again; 64-hex tokens are also
    /// looked up among the hashes of values the app's calls returned.
    fn decoded_tokens(&self, text: &[u8], place: &str, hits: &mut Vec<PiHit>) {
        let mut tried = 0;
        for token in text
            // `=` separates `key=value`; as Base64 padding it is not needed to decode.
            .split(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-')))
            .filter(|t| t.len() >= 12)
        {
            if tried >= MAX_DECODED_TOKENS {
                break;
            }
            if token.len() == 64
                && token.iter().all(u8::is_ascii_hexdigit)
                && let Some(category) = std::str::from_utf8(token)
                    .ok()
                    .and_then(|t| self.value_hashes.get(&t.to_ascii_lowercase()))
            {
                add(hits, category, "sha256", place, true);
                continue;
            }
            let (decoded, form) = if token.len() % 2 == 0 && token.iter().all(u8::is_ascii_hexdigit)
            {
                (hex::decode(token).ok(), "hex")
            } else {
                let t = token;
                (
                    STANDARD_NO_PAD
                        .decode(t)
                        .or_else(|_| URL_SAFE_NO_PAD.decode(t))
                        .ok(),
                    "base64",
                )
            };
            let Some(decoded) = decoded.filter(|d| mostly_text(d)) else {
                continue;
            };
            tried += 1;
            self.shapes(&decoded, form, place, hits);
        }
    }
}

fn mostly_text(d: &[u8]) -> bool {
    !d.is_empty()
        && d.iter()
            .filter(|c| c.is_ascii_graphic() || **c == b' ')
            .count()
            * 10
            >= d.len() * 9
}

fn add(hits: &mut Vec<PiHit>, kind: &str, form: &str, place: &str, fixture: bool) {
    // One hit per kind and place; a certain (fixture) hit replaces a likely one.
    if let Some(h) = hits.iter_mut().find(|h| h.kind == kind && h.place == place) {
        if fixture && !h.fixture {
            h.fixture = true;
            h.form = form.to_string();
        }
        return;
    }
    hits.push(PiHit {
        kind: kind.to_string(),
        form: form.to_string(),
        place: place.to_string(),
        fixture,
    });
}

/// The forms a value travels in: as is (and in the other letter case), percent-encoded,
/// Base64, hex, and MD5 / SHA-1 / SHA-256 digests in both cases. A MAC address also
/// without its separators.
fn encodings(value: &str) -> Vec<(&'static str, String)> {
    if value.is_empty() {
        return Vec::new();
    }
    let mut variants = vec![value.to_string()];
    let compact: String = value.chars().filter(|c| !matches!(c, ':' | '-')).collect();
    for v in [
        value.to_lowercase(),
        value.to_uppercase(),
        compact.to_lowercase(),
        compact.to_uppercase(),
    ] {
        if !variants.contains(&v) {
            variants.push(v);
        }
    }
    let mut out = Vec::new();
    for v in &variants {
        out.push(("plain", v.clone()));
        let url = percent_encode(v);
        if url != *v {
            out.push(("url", url));
        }
        out.push(("base64", STANDARD_NO_PAD.encode(v)));
        out.push(("base64", URL_SAFE_NO_PAD.encode(v)));
        let hex = hex::encode(v);
        out.push(("hex", hex.to_uppercase()));
        out.push(("hex", hex));
        for (form, digest) in [
            ("md5", hex::encode(Md5::digest(v.as_bytes()))),
            ("sha1", hex::encode(Sha1::digest(v.as_bytes()))),
            ("sha256", hex::encode(Sha256::digest(v.as_bytes()))),
        ] {
            out.push((form, digest.to_uppercase()));
            out.push((form, digest));
        }
    }
    out
}

fn percent_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%xx` and `+` decoded; malformed escapes kept as they are.
pub fn percent_decode(b: &[u8]) -> Cow<'_, [u8]> {
    if !b.iter().any(|&c| c == b'%' || c == b'+') {
        return Cow::Borrowed(b);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
}

fn hex_val(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &Scanner, text: &str) -> Vec<(String, String, bool)> {
        let mut hits = Vec::new();
        s.scan(text.as_bytes(), "body", &mut hits);
        hits.into_iter()
            .map(|h| (h.kind, h.form, h.fixture))
            .collect()
    }

    #[test]
    fn fixture_values_in_every_form() {
        let s = Scanner::new(&[
            ("android_id".into(), "9774d56d682e549c".into()),
            ("mac".into(), "3c:22:fb:12:34:56".into()),
        ]);
        let aid = "9774d56d682e549c";
        for (text, form) in [
            (aid.to_string(), "plain"),
            (aid.to_uppercase(), "plain"),
            (STANDARD_NO_PAD.encode(aid), "base64"),
            (hex::encode(aid), "hex"),
            (hex::encode(Md5::digest(aid)), "md5"),
            (hex::encode(Sha1::digest(aid)).to_uppercase(), "sha1"),
            (hex::encode(Sha256::digest(aid)), "sha256"),
        ] {
            let got = scan(&s, &format!("{{\"x\":\"{text}\"}}"));
            assert!(
                got.contains(&("device_id.android_id".into(), form.into(), true)),
                "{form}: {got:?}"
            );
        }
        let mac_md5 = hex::encode(Md5::digest("3C22FB123456"));
        assert_eq!(
            scan(&s, &mac_md5),
            [("device_id.mac".into(), "md5".into(), true)]
        );
        assert!(scan(&s, "nothing here").is_empty());
    }

    #[test]
    fn shapes_in_plain_url_and_encoded_text() {
        let s = Scanner::new(&[]);
        assert_eq!(
            scan(&s, "m=13812345678"),
            [("phone_number".into(), "plain".into(), false)]
        );
        let b64 = STANDARD_NO_PAD.encode("{\"mobile\":\"13812345678\"}");
        assert_eq!(
            scan(&s, &format!("d={b64}")),
            [("phone_number".into(), "base64".into(), false)]
        );
        assert_eq!(
            scan(
                &s,
                "q=%7B%22oaid%22%3A%22a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d%22%7D"
            ),
            [("device_id.oaid".into(), "url".into(), false)]
        );
    }

    #[test]
    fn returned_value_hashes_are_recognised() {
        let mut s = Scanner::new(&[]);
        let h = hex::encode(Sha256::digest("secret-value"));
        s.add_value_hash(&h, "device_id.oaid");
        assert_eq!(
            scan(&s, &format!("x={h}")),
            [("device_id.oaid".into(), "sha256".into(), true)]
        );
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(&*percent_decode(b"a%20b+c%zz%4"), b"a b c%zz%4");
    }
}
