//! Mini-program containers: packages built here (plain, hostile, encrypted with the public
//! V1MMWX parameters) and, when ../shared/corpus/miniprogram exists, the real ones.

use std::path::Path;

#[path = "../../../testing/skip.rs"]
mod skip;

use aes::cipher::{BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use hegui_archive::miniapp::{
    PackageError, PackageKind, appid_from_path, decrypt_v1mmwx, is_v1mmwx, parse_tpkg, parse_wxapkg,
};
use sha2::{Digest, Sha256};

/// A `.wxapkg` holding `files`, with the index as `tweak` leaves it.
fn wxapkg_with(files: &[(&str, &[u8])], tweak: impl Fn(&mut Vec<(Vec<u8>, u32, u32)>)) -> Vec<u8> {
    let index_len: usize = 4 + files.iter().map(|(n, _)| 12 + n.len()).sum::<usize>();
    let mut offset = (14 + index_len) as u32;
    let mut index: Vec<(Vec<u8>, u32, u32)> = Vec::new();
    for (name, data) in files {
        index.push((name.as_bytes().to_vec(), offset, data.len() as u32));
        offset += data.len() as u32;
    }
    tweak(&mut index);
    let body: Vec<u8> = files.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let mut out = vec![0xBE];
    out.extend(0u32.to_be_bytes());
    out.extend((index_len as u32).to_be_bytes());
    out.extend((body.len() as u32).to_be_bytes());
    out.push(0xED);
    out.extend((index.len() as u32).to_be_bytes());
    for (name, off, size) in &index {
        out.extend((name.len() as u32).to_be_bytes());
        out.extend(name);
        out.extend(off.to_be_bytes());
        out.extend(size.to_be_bytes());
    }
    out.extend(body);
    out
}

fn wxapkg(files: &[(&str, &[u8])]) -> Vec<u8> {
    wxapkg_with(files, |_| {})
}

const FILES: &[(&str, &[u8])] = &[
    (
        "/app-config.json",
        br#"{"requiredPrivateInfos":["getLocation"]}"#,
    ),
    (
        "/app-service.js",
        b"define(\"app.js\", function(){ wx.getLocation({}) });",
    ),
    ("/pages/index/index.html", b"<html></html>"),
];

#[test]
fn plain_wxapkg_round_trip() {
    let data = wxapkg(FILES);
    let pkg = parse_wxapkg(&data).expect("parse");
    assert_eq!(pkg.kind, PackageKind::Wxapkg);
    assert!(pkg.errors.is_empty() && pkg.anomalies.is_empty(), "{pkg:?}");
    let names: Vec<&str> = pkg.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "app-config.json",
            "app-service.js",
            "pages/index/index.html"
        ]
    );
    let config = pkg.by_name("/app-config.json").expect("config");
    assert_eq!(pkg.read(config), FILES[0].1);
}

#[test]
fn hostile_wxapkg_indexes() {
    // An entry pointing past the end and one overlapping its neighbour are skipped, named.
    let data = wxapkg_with(FILES, |idx| {
        idx[1].1 = 0xFFFF_FF00;
        idx[2].1 = idx[0].1;
    });
    let pkg = parse_wxapkg(&data).expect("parse");
    let codes: Vec<(&str, Option<&str>)> =
        pkg.errors.iter().map(|e| (e.code(), e.entry())).collect();
    assert_eq!(
        codes,
        [
            ("bad-package-entry", Some("app-service.js")),
            ("bad-package-entry", Some("pages/index/index.html"))
        ]
    );
    assert_eq!(pkg.entries.len(), 1);
    // Traversal names.
    let data = wxapkg_with(FILES, |idx| {
        idx[0].0 = b"/../../etc/passwd".to_vec();
        idx[1].0 = b"/a\\b.js".to_vec();
    });
    let pkg = parse_wxapkg(&data).expect("parse");
    assert_eq!(
        pkg.errors
            .iter()
            .filter(|e| e.code() == "path-traversal")
            .count(),
        2
    );
    // A count the file cannot hold, a huge count, a huge name, a truncated header.
    let mut lying = wxapkg(FILES);
    lying[14..18].copy_from_slice(&50_000u32.to_be_bytes());
    assert_eq!(
        parse_wxapkg(&lying).expect_err("lying count").code(),
        "malformed-package"
    );
    let mut huge = wxapkg(FILES);
    huge[14..18].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        parse_wxapkg(&huge).expect_err("huge count").code(),
        "too-many-entries"
    );
    let mut long_name = wxapkg(FILES);
    long_name[18..22].copy_from_slice(&1_000_000u32.to_be_bytes());
    assert_eq!(
        parse_wxapkg(&long_name).expect_err("long name").code(),
        "malformed-package"
    );
    let data = wxapkg(FILES);
    for cut in [0, 5, 13, 20, 40] {
        let e = parse_wxapkg(&data[..cut]).expect_err("truncated");
        assert!(
            ["not-a-package", "truncated-package", "malformed-package"].contains(&e.code()),
            "{cut}: {e}"
        );
    }
    assert_eq!(
        parse_wxapkg(b"PK\x03\x04").expect_err("zip").code(),
        "not-a-package"
    );
}

fn tpkg(files: &[(&str, &[u8])]) -> Vec<u8> {
    let index_len: usize = 16 + files.iter().map(|(n, _)| 12 + n.len()).sum::<usize>();
    let mut out = b"TPKG".to_vec();
    out.extend(2u32.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend((files.len() as u32).to_le_bytes());
    let mut offset = index_len as u32;
    for (name, data) in files {
        out.extend((name.len() as u32).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend(offset.to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        offset += data.len() as u32;
    }
    for (_, data) in files {
        out.extend(*data);
    }
    out
}

#[test]
fn tpkg_round_trip() {
    let data = tpkg(&[
        ("app-config.json", b"{}"),
        ("pages/a/index.js", b"tt.getLocation()"),
    ]);
    let pkg = parse_tpkg(&data).expect("parse");
    assert_eq!(pkg.kind, PackageKind::Tpkg);
    assert!(pkg.errors.is_empty() && pkg.anomalies.is_empty(), "{pkg:?}");
    assert_eq!(pkg.read(&pkg.entries[1]), b"tt.getLocation()");
    // An entry whose offset points into the index is refused.
    let mut bad = data.clone();
    bad[16 + 4 + 15..16 + 4 + 15 + 4].copy_from_slice(&4u32.to_le_bytes());
    let pkg = parse_tpkg(&bad).expect("parse");
    assert_eq!(pkg.errors.len(), 1);
}

/// Encrypt a plain package the way the Windows client does (spec §2), for the tests.
fn encrypt_v1mmwx(plain: &[u8], appid: &str) -> Vec<u8> {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(appid.as_bytes(), b"saltiest", 1000, &mut key);
    let mut head = [0u8; 1024];
    head[..1023].copy_from_slice(&plain[..1023]);
    head[1023] = 0x01;
    let enc = cbc::Encryptor::<aes::Aes256>::new(&key.into(), b"the iv: 16 bytes".into())
        .encrypt_padded_mut::<NoPadding>(&mut head, 1024)
        .expect("encrypt")
        .to_vec();
    let xor = appid.as_bytes()[appid.len() - 2];
    let mut out = b"V1MMWX".to_vec();
    out.extend(enc);
    out.extend(plain[1023..].iter().map(|b| b ^ xor));
    out
}

#[test]
fn v1mmwx_decrypts_with_the_right_appid_only() {
    let big: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let plain = wxapkg(&[("/app-config.json", b"{}"), ("/app-service.js", &big)]);
    let appid = "wx0123456789abcdef";
    let enc = encrypt_v1mmwx(&plain, appid);
    assert!(is_v1mmwx(&enc));
    assert_eq!(decrypt_v1mmwx(&enc, appid).expect("decrypt"), plain);
    let wrong = decrypt_v1mmwx(&enc, "wx0123456789abcdee").expect_err("wrong appid");
    assert_eq!(wrong.code(), "wrong-appid");
    assert_eq!(
        decrypt_v1mmwx(&enc, "").expect_err("none"),
        PackageError::AppidRequired
    );
    assert_eq!(
        decrypt_v1mmwx(&enc[..500], appid)
            .expect_err("short")
            .code(),
        "truncated-package"
    );
}

/// The real packages: decrypted plaintext hashes and file counts as the ground truth has them.
#[test]
fn corpus_packages_match_ground_truth() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/miniprogram");
    let Ok(text) = std::fs::read_to_string(dir.join("ground_truth.json")) else {
        skip::corpus_missing(
            "corpus_packages_match_ground_truth",
            "../shared/corpus/miniprogram",
        );
        return;
    };
    let truth: serde_json::Value = serde_json::from_str(&text).expect("truth");
    let mut checked = 0;
    for (rel, item) in truth["items"].as_object().expect("items") {
        let Some(expected_count) = item["file_count"].as_u64() else {
            continue;
        };
        let data = std::fs::read(dir.join(rel)).expect("read package");
        let plain = if is_v1mmwx(&data) {
            let appid = appid_from_path(rel).expect("appid in the file name");
            assert_eq!(Some(appid.as_str()), item["appid"].as_str());
            let plain = decrypt_v1mmwx(&data, &appid).expect("decrypt");
            assert_eq!(
                hex::encode(Sha256::digest(&plain)),
                item["plaintext_sha256"].as_str().expect("hash"),
                "{rel}"
            );
            plain
        } else {
            data
        };
        let pkg = if plain.starts_with(b"TPKG") {
            parse_tpkg(&plain)
        } else {
            parse_wxapkg(&plain)
        }
        .expect("parse");
        assert!(pkg.errors.is_empty(), "{rel}: {:?}", pkg.errors);
        assert_eq!(pkg.entries.len() as u64, expected_count, "{rel}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} packages checked");
}
