//! Checks the reader against real APKs when the shared corpus is present.
//!
//! The corpus is not part of the repository: the test looks for it in
//! `$HEGUI_CORPUS_DIR`, then `shared/corpus/apk` beside the repository, then
//! `/work/shared/corpus/apk`, and skips (with a SKIPPED line; under `CI=true` it fails)
//! when none exists or the `unzip` tool is missing. Entries are extracted with `unzip -p`; an APK it
//! cannot extract from is skipped (zip reading is not this crate's job).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../testing/skip.rs"]
mod skip;

use hegui_axml::{Element, Limits, Value, parse_arsc, parse_xml};

fn corpus_dir() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(dir) = std::env::var("HEGUI_CORPUS_DIR") {
        candidates.push(PathBuf::from(dir));
    }
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(beside_repo) = manifest_dir.ancestors().nth(3) {
        candidates.push(beside_repo.join("shared/corpus/apk"));
    }
    candidates.push(PathBuf::from("/work/shared/corpus/apk"));
    candidates
        .into_iter()
        .find(|dir| dir.join("ground_truth.json").is_file())
}

fn unzip_entry(apk: &Path, entry: &str) -> Option<Vec<u8>> {
    let out = Command::new("unzip")
        .arg("-p")
        .arg(apk)
        .arg(entry)
        .output()
        .ok()?;
    (out.status.success() && !out.stdout.is_empty()).then_some(out.stdout)
}

#[test]
fn corpus_manifests_match_ground_truth() {
    let Some(dir) = corpus_dir() else {
        skip::corpus_missing(
            "corpus_manifests_match_ground_truth",
            "the APK corpus (HEGUI_CORPUS_DIR or ../shared/corpus/apk)",
        );
        return;
    };
    if Command::new("unzip").arg("-v").output().is_err() {
        skip::skip(
            "corpus_manifests_match_ground_truth",
            "`unzip` not available",
            "unzip on PATH",
            skip::on_ci(),
        );
        return;
    }
    let text = std::fs::read_to_string(dir.join("ground_truth.json")).unwrap();
    let truth = json::parse(&text).unwrap();
    let limits = Limits::default();
    let mut checked = 0;
    let mut skipped = 0;
    for apk in truth.as_array().unwrap() {
        let file = apk.get("file").unwrap().as_str().unwrap();
        let path = dir.join(file);
        let Some(manifest) = unzip_entry(&path, "AndroidManifest.xml") else {
            eprintln!("note: {file}: unzip could not extract AndroidManifest.xml; skipped");
            skipped += 1;
            continue;
        };
        let doc = parse_xml(&manifest, &limits).unwrap_or_else(|e| panic!("{file}: {e}"));
        let root = &doc.root;
        assert_eq!(root.name, "manifest", "{file}");

        let package = root.attr_plain("package").and_then(|a| a.as_string());
        assert_eq!(
            package.as_deref(),
            apk.get("package").unwrap().as_str(),
            "{file}: package"
        );

        let mut permissions: Vec<String> = root
            .children
            .iter()
            .filter(|c| c.name == "uses-permission" || c.name == "uses-permission-sdk-23")
            .filter_map(|c| c.attr_str("name"))
            .collect();
        permissions.sort();
        permissions.dedup();
        let mut expected: Vec<String> = apk
            .get("permissions")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        expected.sort();
        assert_eq!(permissions, expected, "{file}: permissions");

        let as_int = |key: &str| {
            apk.get(key)
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse::<i64>().ok())
        };
        assert_eq!(
            root.attr_int("versionCode"),
            as_int("version_code"),
            "{file}: versionCode"
        );
        let sdk = root.children_named("uses-sdk").next();
        assert_eq!(
            sdk.and_then(|s| s.attr_int("minSdkVersion")),
            as_int("min_sdk"),
            "{file}: minSdk"
        );
        assert_eq!(
            sdk.and_then(|s| s.attr_int("targetSdkVersion")),
            as_int("target_sdk"),
            "{file}: targetSdk"
        );

        let app = root.children_named("application").next().unwrap();
        if let Some(components) = apk.get("components").and_then(|c| c.as_object()) {
            for (kind, count) in components {
                let found = app.children_named(kind).count() as i64;
                assert_eq!(Some(found), count.as_i64(), "{file}: {kind} count");
            }
        }

        let table = unzip_entry(&path, "resources.arsc").map(|data| parse_arsc(&data, &limits));
        let label = match app.attr("label").map(|a| &a.value) {
            Some(Value::Reference(id)) => {
                let table = table.unwrap().unwrap_or_else(|e| panic!("{file}: {e}"));
                table.resolve_string(*id, &[""])
            }
            Some(Value::String(text)) => Some(text.clone()),
            _ => None,
        };
        assert_eq!(
            label.as_deref(),
            apk.get("app_name").unwrap().as_str(),
            "{file}: app_name"
        );
        let version_name = resolve_version_name(root);
        if let Some(expected) = apk.get("version_name").and_then(|v| v.as_str())
            && !expected.starts_with('@')
        {
            assert_eq!(
                version_name.as_deref(),
                Some(expected),
                "{file}: versionName"
            );
        }
        checked += 1;
        eprintln!(
            "ok: {file}: package {}, {} permissions, label {:?}, {} anomalies",
            package.unwrap_or_default(),
            permissions.len(),
            label.unwrap_or_default(),
            doc.anomalies.len()
        );
    }
    // Only the Janus APK (DEX prepended to a zip) may defeat `unzip`.
    assert!(skipped <= 1, "{skipped} corpus APKs could not be extracted");
    assert!(checked > 0, "no corpus APK was checked");
}

fn resolve_version_name(root: &Element) -> Option<String> {
    root.attr_str("versionName")
}

/// A minimal JSON reader, enough for the ground-truth file.
mod json {
    use super::BTreeMap;

    #[derive(Debug, Clone, PartialEq)]
    pub enum Json {
        Null,
        Bool(bool),
        Number(f64),
        String(String),
        Array(Vec<Json>),
        Object(BTreeMap<String, Json>),
    }

    impl Json {
        pub fn get(&self, key: &str) -> Option<&Json> {
            match self {
                Json::Object(map) => map.get(key),
                _ => None,
            }
        }
        pub fn as_str(&self) -> Option<&str> {
            match self {
                Json::String(s) => Some(s),
                _ => None,
            }
        }
        pub fn as_array(&self) -> Option<&Vec<Json>> {
            match self {
                Json::Array(items) => Some(items),
                _ => None,
            }
        }
        pub fn as_object(&self) -> Option<&BTreeMap<String, Json>> {
            match self {
                Json::Object(map) => Some(map),
                _ => None,
            }
        }
        pub fn as_i64(&self) -> Option<i64> {
            match self {
                Json::Number(n) if n.fract() == 0.0 => Some(*n as i64),
                _ => None,
            }
        }
    }

    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let value = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("trailing data at {}", p.i));
        }
        Ok(value)
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
                self.i += 1;
            }
        }

        fn eat(&mut self, b: u8) -> Result<(), String> {
            self.ws();
            if self.s.get(self.i) == Some(&b) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!("expected {:?} at {}", b as char, self.i))
            }
        }

        fn value(&mut self, depth: usize) -> Result<Json, String> {
            if depth > 64 {
                return Err("too deep".into());
            }
            self.ws();
            match self.s.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut map = BTreeMap::new();
                    self.ws();
                    if self.s.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        return Ok(Json::Object(map));
                    }
                    loop {
                        self.ws();
                        let key = self.string()?;
                        self.eat(b':')?;
                        let value = self.value(depth + 1)?;
                        map.insert(key, value);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                return Ok(Json::Object(map));
                            }
                            _ => return Err(format!("bad object at {}", self.i)),
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        return Ok(Json::Array(items));
                    }
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                return Ok(Json::Array(items));
                            }
                            _ => return Err(format!("bad array at {}", self.i)),
                        }
                    }
                }
                Some(b'"') => Ok(Json::String(self.string()?)),
                Some(b't') => self.word("true", Json::Bool(true)),
                Some(b'f') => self.word("false", Json::Bool(false)),
                Some(b'n') => self.word("null", Json::Null),
                _ => {
                    let start = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                    {
                        self.i += 1;
                    }
                    std::str::from_utf8(&self.s[start..self.i])
                        .ok()
                        .and_then(|n| n.parse().ok())
                        .map(Json::Number)
                        .ok_or_else(|| format!("bad value at {start}"))
                }
            }
        }

        fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
            if self.s[self.i..].starts_with(word.as_bytes()) {
                self.i += word.len();
                Ok(value)
            } else {
                Err(format!("bad literal at {}", self.i))
            }
        }

        fn hex4(&mut self) -> Result<u32, String> {
            let digits = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
            self.i += 4;
            u32::from_str_radix(std::str::from_utf8(digits).map_err(|e| e.to_string())?, 16)
                .map_err(|e| e.to_string())
        }

        fn string(&mut self) -> Result<String, String> {
            self.eat(b'"')?;
            let mut out = String::new();
            loop {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|&b| b != b'"' && b != b'\\') {
                    self.i += 1;
                }
                out.push_str(
                    std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?,
                );
                match self.s.get(self.i) {
                    Some(b'"') => {
                        self.i += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        let escape = *self.s.get(self.i + 1).ok_or("short escape")?;
                        self.i += 2;
                        match escape {
                            b'n' => out.push('\n'),
                            b't' => out.push('\t'),
                            b'r' => out.push('\r'),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'u' => {
                                let mut code = self.hex4()?;
                                if (0xD800..0xDC00).contains(&code)
                                    && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                                {
                                    self.i += 2;
                                    let low = self.hex4()?;
                                    code = 0x10000
                                        + ((code - 0xD800) << 10)
                                        + (low.wrapping_sub(0xDC00) & 0x3FF);
                                }
                                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                            }
                            other => out.push(other as char),
                        }
                    }
                    _ => return Err("unterminated string".into()),
                }
            }
        }
    }
}
