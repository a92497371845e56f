//! Reading real and hostile zips. Fixtures are built here with the `zip` crate, then damaged.

use std::io::{Cursor, Write};

use hegui_archive::{Budget, Limits, ZipArchive, is_zip};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn build(files: &[(&str, &[u8], CompressionMethod)], large: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in files {
        let opts = SimpleFileOptions::default()
            .compression_method(*method)
            .large_file(large);
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

fn read_all(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, String> {
    let zip = ZipArchive::parse(bytes, limits).map_err(|e| e.code().to_string())?;
    let budget = Budget::new(limits);
    zip.entries()
        .iter()
        .map(|e| {
            zip.read(e, limits, &budget)
                .map(|d| (e.name.clone(), d.into_owned()))
                .map_err(|e| e.code().to_string())
        })
        .collect()
}

#[test]
fn reads_stored_and_deflated() {
    let text = b"hello hello hello hello".repeat(100);
    let bytes = build(
        &[
            ("a.txt", &text, CompressionMethod::Deflated),
            ("b.bin", b"xyz", CompressionMethod::Stored),
        ],
        false,
    );
    assert!(is_zip(&bytes));
    let all = read_all(&bytes, &Limits::default()).expect("read");
    assert_eq!(
        all,
        vec![
            ("a.txt".to_string(), text.clone()),
            ("b.bin".to_string(), b"xyz".to_vec())
        ]
    );
}

#[test]
fn reads_zip64_records() {
    let bytes = build(
        &[("big.txt", b"zip64 body", CompressionMethod::Deflated)],
        true,
    );
    let all = read_all(&bytes, &Limits::default()).expect("read");
    assert_eq!(all[0].1, b"zip64 body");
}

/// BadPack: the local header lies about method, sizes and encryption; Android ignores it.
#[test]
fn ignores_lying_local_header() {
    let body = b"classes".repeat(50);
    let mut bytes = build(
        &[("classes.dex", &body, CompressionMethod::Deflated)],
        false,
    );
    assert_eq!(&bytes[0..4], b"PK\x03\x04");
    bytes[6] |= 0x01; // "encrypted" flag
    bytes[8] = 0x63; // method 99 (AES)
    bytes[18..26].copy_from_slice(&[0xff; 8]); // compressed and uncompressed sizes
    let all = read_all(&bytes, &Limits::default()).expect("read");
    assert_eq!(all[0].1, body);
}

#[test]
fn tolerates_prepended_bytes() {
    let inner = build(&[("x", b"payload", CompressionMethod::Stored)], false);
    let mut bytes = b"dex\n035\0 not really a dex".to_vec();
    bytes.extend_from_slice(&inner);
    let zip = ZipArchive::parse(&bytes, &Limits::default()).expect("parse");
    assert_eq!(zip.prefix_len(), 25);
    assert_eq!(
        read_all(&bytes, &Limits::default()).expect("read")[0].1,
        b"payload"
    );
}

#[test]
fn cuts_bombs_at_the_limit() {
    let zeros = vec![0u8; 4 << 20];
    let bytes = build(&[("bomb", &zeros, CompressionMethod::Deflated)], false);
    let small = Limits {
        max_entry_size: 1 << 20,
        ..Limits::default()
    };
    assert_eq!(read_all(&bytes, &small).err().as_deref(), Some("zip-bomb"));
    let ratio = Limits {
        max_ratio: 50,
        ..Limits::default()
    };
    assert_eq!(read_all(&bytes, &ratio).err().as_deref(), Some("zip-bomb"));
    let total = Limits {
        max_total_inflated: 1 << 20,
        ..Limits::default()
    };
    assert_eq!(read_all(&bytes, &total).err().as_deref(), Some("zip-bomb"));
    // Zeros deflate at ~1030:1, so the default ratio limit already calls this a bomb.
    assert_eq!(
        read_all(&bytes, &Limits::default()).err().as_deref(),
        Some("zip-bomb")
    );
    let lenient = Limits {
        max_ratio: 5_000,
        ..Limits::default()
    };
    assert_eq!(
        read_all(&bytes, &lenient).expect("within limits")[0]
            .1
            .len(),
        4 << 20
    );
}

#[test]
fn refuses_too_many_entries() {
    let files: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![b'a'])).collect();
    let refs: Vec<(&str, &[u8], CompressionMethod)> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice(), CompressionMethod::Stored))
        .collect();
    let bytes = build(&refs, false);
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    assert_eq!(
        read_all(&bytes, &limits).err().as_deref(),
        Some("too-many-entries")
    );
}

#[test]
fn unsupported_method_names_the_entry() {
    let mut bytes = build(&[("weird.bin", b"abc", CompressionMethod::Stored)], false);
    // Patch the central directory's method (offset 10 in the record).
    let cd = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("cd");
    bytes[cd + 10] = 12; // bzip2
    let zip = ZipArchive::parse(&bytes, &Limits::default()).expect("parse");
    let err = zip.read(
        &zip.entries()[0],
        &Limits::default(),
        &Budget::new(&Limits::default()),
    );
    let err = err.expect_err("must refuse");
    assert_eq!(err.code(), "unsupported-compression");
    assert_eq!(err.entry(), Some("weird.bin"));
}

#[test]
fn not_a_zip_and_garbage() {
    assert_eq!(
        read_all(b"", &Limits::default()).err().as_deref(),
        Some("not-a-zip")
    );
    assert_eq!(
        read_all(&[7u8; 4096], &Limits::default()).err().as_deref(),
        Some("not-a-zip")
    );
}

/// Every truncation and many single-byte corruptions must give a typed error or data, never a
/// panic.
#[test]
fn never_panics_on_damage() {
    let body = b"some compressible content ".repeat(40);
    let bytes = build(
        &[
            ("a/b.txt", &body, CompressionMethod::Deflated),
            ("c", b"1234", CompressionMethod::Stored),
        ],
        true,
    );
    for cut in 0..bytes.len() {
        let _ = read_all(&bytes[..cut], &Limits::default());
    }
    for i in 0..bytes.len() {
        for v in [0x00, 0xff, 0x7f] {
            let mut m = bytes.clone();
            m[i] = v;
            let _ = read_all(&m, &Limits::default());
        }
    }
}
