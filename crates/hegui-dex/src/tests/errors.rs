//! Every error path, with exact codes and messages.

use super::{Recorder, sample};
use crate::testutil::{fix_checksum, put32};
use crate::{Dex, DexError, Limits};

fn parse_err(bytes: &[u8]) -> DexError {
    Dex::parse(bytes, &Limits::default()).unwrap_err()
}

/// Appends `extra` to the file, fixes `file_size`, returns its offset.
fn append(bytes: &mut Vec<u8>, extra: &[u8]) -> u32 {
    let off = bytes.len() as u32;
    bytes.extend_from_slice(extra);
    let len = bytes.len() as u32;
    put32(bytes, 0x20, len);
    fix_checksum(bytes, 0);
    off
}

#[test]
fn empty_and_short_inputs() {
    let e = parse_err(&[]);
    assert_eq!(e.code(), "truncated-dex");
    assert_eq!(
        e.to_string(),
        "truncated DEX: DEX header needs 112 bytes at offset 0x0, but the input has 0"
    );
    assert_eq!(parse_err(b"dex\n03").code(), "truncated-dex");
    assert_eq!(parse_err(b"PK\x03\x04").code(), "bad-dex-magic");
    let (built, _) = sample(35);
    for len in [8, 50, 0x6f] {
        let e = parse_err(&built.bytes[..len]);
        assert_eq!(e.code(), "truncated-dex", "{len}");
        assert!(
            e.to_string().contains(&format!("the input has {len}")),
            "{e}"
        );
    }
}

#[test]
fn bad_magic_and_version() {
    let (built, _) = sample(35);
    let mut b = built.bytes.clone();
    b[0] = b'D';
    let e = parse_err(&b);
    assert_eq!(e.code(), "bad-dex-magic");
    assert_eq!(
        e.to_string(),
        "not a DEX file: bad magic \"Dex\\n035\\x00\" at offset 0x0"
    );

    for v in [b"034", b"042", b"100", b"009"] {
        let mut b = built.bytes.clone();
        b[4..7].copy_from_slice(v);
        let e = parse_err(&b);
        assert_eq!(e.code(), "unsupported-dex-version");
        assert_eq!(
            e.to_string(),
            format!(
                "unsupported DEX version \"{}\" at offset 0x0 (supported: 035 to 041)",
                std::str::from_utf8(v).unwrap()
            )
        );
    }
    let mut b = built.bytes.clone();
    b[5] = b'x';
    assert_eq!(parse_err(&b).code(), "bad-dex-magic");
    for v in [b"035", b"036", b"037", b"038", b"039", b"040", b"041"] {
        let mut b = built.bytes.clone();
        b[4..7].copy_from_slice(v);
        let dex = Dex::parse(&b, &Limits::default()).unwrap();
        assert_eq!(
            u32::from(dex.version()),
            std::str::from_utf8(v).unwrap().parse::<u32>().unwrap()
        );
    }
}

#[test]
fn bad_endian_and_header_sizes() {
    let (built, _) = sample(35);
    let mut b = built.bytes.clone();
    put32(&mut b, 0x28, 0x7856_3412);
    let e = parse_err(&b);
    assert_eq!(e.code(), "bad-dex-endian");
    assert_eq!(
        e.to_string(),
        "unsupported DEX endian tag 0x78563412 at offset 0x28 (expected 0x12345678)"
    );

    let mut b = built.bytes.clone();
    put32(&mut b, 0x24, 0x20);
    let e = parse_err(&b);
    assert_eq!(e.code(), "bad-dex-header");
    assert_eq!(
        e.to_string(),
        "bad DEX header at offset 0x0: header_size is 32, smaller than 0x70"
    );

    let mut b = built.bytes.clone();
    put32(&mut b, 0x20, 0x40);
    let e = parse_err(&b);
    assert_eq!(e.code(), "bad-dex-header");
    assert_eq!(
        e.to_string(),
        "bad DEX header at offset 0x0: file_size is 64, smaller than header_size"
    );
}

#[test]
fn file_size_against_input_and_limit() {
    let (built, _) = sample(35);
    let len = built.bytes.len();
    // Declared bigger than the input.
    let e = parse_err(&built.bytes[..len - 1]);
    assert_eq!(e.code(), "truncated-dex");
    assert_eq!(
        e.to_string(),
        format!(
            "truncated DEX: DEX file (file_size) needs {len} bytes at offset 0x0, but the input has {}",
            len - 1
        )
    );
    // Trailing bytes after file_size are ignored.
    let mut longer = built.bytes.clone();
    longer.extend_from_slice(&[0xff; 64]);
    let dex = Dex::parse(&longer, &Limits::default()).unwrap();
    assert_eq!(dex.data().len(), len);
    assert!(dex.checksum_ok());
    // Over the limit.
    let limits = Limits {
        max_file_size: 1000,
        ..Limits::default()
    };
    let e = Dex::parse(&built.bytes, &limits).unwrap_err();
    assert_eq!(e.code(), "dex-too-large");
    assert_eq!(
        e.to_string(),
        format!("DEX too large: {len} bytes exceeds the limit of 1000 bytes")
    );
}

#[test]
fn tables_out_of_range_and_huge_counts() {
    let (built, _) = sample(35);
    let len = built.bytes.len();
    // (size field, off field, name, item size)
    let tables = [
        (0x38, "string_ids", 4),
        (0x40, "type_ids", 4),
        (0x48, "proto_ids", 12),
        (0x50, "field_ids", 8),
        (0x58, "method_ids", 8),
        (0x60, "class_defs", 32),
    ];
    for (at, name, item) in tables {
        let mut b = built.bytes.clone();
        put32(&mut b, at + 4, 0xffff_fff0);
        let e = parse_err(&b);
        assert_eq!(e.code(), "dex-offset-out-of-range", "{name}");
        assert!(
            e.to_string()
                .starts_with(&format!("{name} at offset 0xfffffff0")),
            "{e}"
        );
        assert!(
            e.to_string()
                .ends_with(&format!("lies outside the DEX data of {len} bytes")),
            "{e}"
        );

        let mut b = built.bytes.clone();
        put32(&mut b, at, 0x4000_0000);
        let e = parse_err(&b);
        assert_eq!(e.code(), "dex-offset-out-of-range", "{name}");
        assert!(
            e.to_string()
                .contains(&format!("(size {} bytes)", 0x4000_0000u64 * item)),
            "{e}"
        );
    }
    // A zero count with a wild offset is fine: the offset is not used.
    let mut b = built.bytes.clone();
    put32(&mut b, 0x50, 0);
    put32(&mut b, 0x54, 0xdead_beef);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    assert_eq!(dex.field_count(), 0);
    assert_eq!(
        dex.field_ref(0).unwrap_err().code(),
        "dex-index-out-of-range"
    );
}

#[test]
fn index_out_of_range() {
    let (built, _) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let n = dex.method_count();
    let e = dex.method_ref(n).unwrap_err();
    assert_eq!(e.code(), "dex-index-out-of-range");
    assert_eq!(
        e.to_string(),
        format!("method_ids index {n} is out of range (count {n})")
    );
    assert_eq!(
        dex.string(u32::MAX).unwrap_err().code(),
        "dex-index-out-of-range"
    );
    assert_eq!(
        dex.type_descriptor(dex.type_count()).unwrap_err().code(),
        "dex-index-out-of-range"
    );
    assert_eq!(
        dex.proto_signature(u16::MAX).unwrap_err().code(),
        "dex-index-out-of-range"
    );
    assert_eq!(
        dex.class_def(2).unwrap_err().code(),
        "dex-index-out-of-range"
    );
}

#[test]
fn bad_string_data() {
    let (built, _) = sample(35);
    let string_ids = u32::from_le_bytes(built.bytes[0x3c..0x40].try_into().unwrap()) as usize;

    // uleb128 length that runs off the end.
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0x80, 0x80]);
    put32(&mut b, string_ids, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let e = dex.string(0).unwrap_err();
    assert_eq!(e.code(), "bad-leb128");
    assert_eq!(
        e.to_string(),
        format!("bad uleb128 at offset {off:#x}: runs past the end of the data")
    );

    // uleb128 of six bytes.
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0]);
    put32(&mut b, string_ids, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    assert_eq!(dex.string(0).unwrap_err().code(), "bad-leb128");

    // No NUL before the end.
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0x05, b'a', b'b']);
    put32(&mut b, string_ids, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let e = dex.string(0).unwrap_err();
    assert_eq!(e.code(), "bad-mutf8");
    assert_eq!(
        e.to_string(),
        format!(
            "bad MUTF-8 string data at offset {off:#x}: no terminating NUL before the end of the data"
        )
    );

    // No NUL within 3 bytes per declared unit.
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0x01, b'a', b'b', b'c', b'd', 0]);
    put32(&mut b, string_ids, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    assert_eq!(dex.string(0).unwrap_err().code(), "bad-mutf8");

    // Offset outside the file.
    let mut b = built.bytes.clone();
    put32(&mut b, string_ids, 0x7fff_ffff);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let e = dex.string(0).unwrap_err();
    assert_eq!(e.code(), "dex-offset-out-of-range");
    assert_eq!(
        e.to_string(),
        format!(
            "string_data_item at offset 0x7fffffff (size 1 bytes) lies outside the DEX data of {} bytes",
            b.len()
        )
    );
}

#[test]
fn bad_class_data_is_counted_not_fatal() {
    let (built, ids) = sample(35);
    let class_defs = u32::from_le_bytes(built.bytes[0x64..0x68].try_into().unwrap()) as usize;
    let mut b = built.bytes.clone();
    // Iface's class data: counts 0,0,0 then a uleb128 that runs off the end.
    let off = append(&mut b, &[0, 0, 0, 0x80]);
    put32(&mut b, class_defs + 32 + 24, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let class = dex.class_def(1).unwrap();
    assert_eq!(dex.class_methods(&class).unwrap_err().code(), "bad-leb128");
    let mut rec = Recorder::default();
    let stats = dex.walk_code(&mut rec).unwrap();
    assert_eq!(stats.bad_classes, 1);
    assert_eq!(stats.methods, 3, "Main is still walked");
    assert_eq!(
        rec.events.last(),
        Some(&super::Event::Malformed(ids.t_iface, None, "bad-leb128"))
    );
}

#[test]
fn huge_counts_in_class_data_fail_fast() {
    let (built, _) = sample(35);
    let class_defs = u32::from_le_bytes(built.bytes[0x64..0x68].try_into().unwrap()) as usize;
    // 0 fields, 0xffffffff direct methods, then three valid methods' worth of bytes.
    let mut b = built.bytes.clone();
    let off = append(
        &mut b,
        &[
            0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0,
        ],
    );
    put32(&mut b, class_defs + 24, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let class = dex.class_def(0).unwrap();
    let e = dex.class_methods(&class).unwrap_err();
    assert_eq!(e.code(), "bad-leb128");
    // Method index past the table.
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0, 0, 1, 0, 100, 0, 0]);
    put32(&mut b, class_defs + 24, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let class = dex.class_def(0).unwrap();
    let e = dex.class_methods(&class).unwrap_err();
    assert_eq!(e.code(), "dex-index-out-of-range");
    assert_eq!(
        e.to_string(),
        format!(
            "method_ids (class data) index 100 is out of range (count {})",
            dex.method_count()
        )
    );
    // Index difference that overflows u32.
    let mut b = built.bytes.clone();
    let off = append(
        &mut b,
        &[0, 0, 2, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0],
    );
    put32(&mut b, class_defs + 24, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let class = dex.class_def(0).unwrap();
    assert_eq!(
        dex.class_methods(&class).unwrap_err().code(),
        "dex-index-out-of-range"
    );
}

#[test]
fn bad_interfaces_list() {
    let (built, _) = sample(35);
    let class_defs = u32::from_le_bytes(built.bytes[0x64..0x68].try_into().unwrap()) as usize;
    let mut b = built.bytes.clone();
    let off = append(&mut b, &[0xff, 0xff, 0xff, 0x7f, 1, 0]);
    put32(&mut b, class_defs + 12, off);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    let e = dex.class_def(0).unwrap_err();
    assert_eq!(e.code(), "dex-offset-out-of-range");
    assert!(
        e.to_string()
            .contains(&format!("type_list entries at offset {:#x}", off + 4)),
        "{e}"
    );
    let results: Vec<_> = dex.class_defs().collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_err() && results[1].is_ok());
}

#[test]
fn bad_code_items() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let len = built.bytes.len() as u32;
    let e = dex.code_item(len - 8).unwrap_err();
    assert_eq!(e.code(), "dex-offset-out-of-range");
    assert_eq!(
        e.to_string(),
        format!(
            "code_item at offset {:#x} (size 16 bytes) lies outside the DEX data of {len} bytes",
            len - 8
        )
    );
    assert_eq!(dex.code_item(0).unwrap(), None);

    // insns_size bigger than the rest of the file.
    let code_off = built.insns_of(ids.m_run) - 16;
    let mut b = built.bytes.clone();
    put32(&mut b, code_off as usize + 12, 0x10_0000);
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    assert_eq!(
        dex.code_item(code_off).unwrap_err().code(),
        "dex-offset-out-of-range"
    );
    let stats = dex.walk_code(&mut Recorder::default()).unwrap();
    assert_eq!((stats.methods, stats.bad_methods), (3, 1));

    // Over the per-method limit.
    let limits = Limits {
        max_code_units_per_method: 30,
        ..Limits::default()
    };
    let dex = Dex::parse(&built.bytes, &limits).unwrap();
    let e = dex
        .code_item(built.insns_of(ids.m_helper) - 16)
        .unwrap_err();
    assert_eq!(e.code(), "dex-code-too-large");
    assert!(
        e.to_string()
            .contains("has 35 code units, over the limit of 30"),
        "{e}"
    );
    let stats = dex.walk_code(&mut Recorder::default()).unwrap();
    assert_eq!(
        (stats.methods, stats.bad_methods, stats.instructions),
        (3, 1, 2 + 9)
    );
}

#[test]
fn every_error_code_is_distinct_and_kebab_case() {
    let all = [
        DexError::BadMagic {
            offset: 0,
            found: [0; 8],
        },
        DexError::UnsupportedVersion {
            offset: 0,
            version: *b"099",
        },
        DexError::Truncated {
            what: "x",
            offset: 0,
            needed: 1,
            available: 0,
        },
        DexError::OffsetOutOfRange {
            what: "x",
            offset: 0,
            size: 0,
            limit: 0,
        },
        DexError::TooLarge { size: 0, limit: 0 },
        DexError::BadMutf8 {
            offset: 0,
            reason: "x",
        },
        DexError::IndexOutOfRange {
            what: "x",
            index: 0,
            count: 0,
        },
        DexError::BadLeb128 {
            offset: 0,
            reason: "x",
        },
        DexError::BadEndian { offset: 0, tag: 0 },
        DexError::BadHeader {
            offset: 0,
            field: "x",
            value: 0,
            reason: "x",
        },
        DexError::BadContainer {
            offset: 0,
            reason: "x",
            value: 0,
        },
        DexError::CodeTooLarge {
            offset: 0,
            units: 0,
            limit: 0,
        },
        DexError::BadInstruction {
            offset: 0,
            opcode: 0,
            reason: "x",
        },
        DexError::WalkLimit { used: 0, budget: 0 },
    ];
    let mut codes: Vec<_> = all.iter().map(DexError::code).collect();
    for c in &codes {
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
            "{c}"
        );
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
}
