#![allow(clippy::unwrap_used)]

use crate::test_writer::*;
use crate::value::{TYPE_DIMENSION, TYPE_FLOAT, TYPE_REFERENCE, TYPE_STRING};
use crate::*;

const A_NAME: u32 = 0x0101_0003;
const A_LABEL: u32 = 0x0101_0001;

fn ids() -> Vec<(&'static str, u32)> {
    vec![
        ("name", A_NAME),
        ("label", A_LABEL),
        ("versionCode", 0x0101_021b),
        ("versionName", 0x0101_021c),
        ("minSdkVersion", 0x0101_020c),
        ("targetSdkVersion", 0x0101_0270),
        ("debuggable", 0x0101_000f),
        ("allowBackup", 0x0101_0280),
        ("exported", 0x0101_0010),
        ("networkSecurityConfig", 0x0101_0527),
        ("protectionLevel", 0x0101_0009),
    ]
}

/// A manifest with namespace, attributes of every common kind and CDATA.
fn sample_builder(utf8: bool) -> XmlBuilder {
    let mut b = XmlBuilder::new(utf8, &ids());
    b.start_ns("android", ANDROID_NS);
    b.start(
        None,
        "manifest",
        &[
            plain("package", AttrValue::Str("com.example.app")),
            android("versionCode", AttrValue::Int(42)),
            android("versionName", AttrValue::Str("1.2.3")),
        ],
    );
    b.start(
        None,
        "uses-sdk",
        &[
            android("minSdkVersion", AttrValue::Int(21)),
            android("targetSdkVersion", AttrValue::Int(34)),
        ],
    );
    b.end(None, "uses-sdk");
    for perm in ["android.permission.INTERNET", "android.permission.CAMERA"] {
        b.start(
            None,
            "uses-permission",
            &[android("name", AttrValue::Str(perm))],
        );
        b.end(None, "uses-permission");
    }
    b.start(
        None,
        "permission",
        &[
            android("name", AttrValue::Str("com.example.app.C2D")),
            android("protectionLevel", AttrValue::Hex(0x2)),
        ],
    );
    b.end(None, "permission");
    b.start(
        None,
        "application",
        &[
            android("label", AttrValue::Ref(0x7f01_0000)),
            android("debuggable", AttrValue::Bool(true)),
            android("allowBackup", AttrValue::Bool(false)),
            android("networkSecurityConfig", AttrValue::Ref(0x7f02_0000)),
        ],
    );
    b.start(
        None,
        "activity",
        &[
            android("name", AttrValue::Str(".Main")),
            android("exported", AttrValue::Bool(true)),
        ],
    );
    b.cdata("hello ");
    b.cdata("world");
    b.end(None, "activity");
    b.end(None, "application");
    b.end(None, "manifest");
    b.end_ns("android", ANDROID_NS);
    b
}

fn sample_manifest(utf8: bool) -> Vec<u8> {
    sample_builder(utf8).build()
}

fn perms(root: &Element) -> Vec<String> {
    root.children_named("uses-permission")
        .filter_map(|p| p.attr_str("name"))
        .collect()
}

fn check_sample(doc: &XmlDocument) {
    let root = &doc.root;
    assert_eq!(root.name, "manifest");
    assert_eq!(root.namespace, None);
    assert_eq!(root.line, 2);
    assert_eq!(
        root.attr_plain("package")
            .and_then(Attribute::as_string)
            .as_deref(),
        Some("com.example.app")
    );
    assert_eq!(root.attr_int("versionCode"), Some(42));
    assert_eq!(root.attr_str("versionCode").as_deref(), Some("42"));
    assert_eq!(root.attr_str("versionName").as_deref(), Some("1.2.3"));
    let version_name = root.attr("versionName").unwrap();
    assert_eq!(version_name.resource_id, Some(0x0101_021c));
    assert_eq!(version_name.raw.as_deref(), Some("1.2.3"));
    assert_eq!(version_name.namespace.as_deref(), Some(ANDROID_NS));
    let sdk = root.children_named("uses-sdk").next().unwrap();
    assert_eq!(sdk.attr_int("minSdkVersion"), Some(21));
    assert_eq!(sdk.attr_int("targetSdkVersion"), Some(34));
    assert_eq!(
        perms(root),
        vec!["android.permission.INTERNET", "android.permission.CAMERA"]
    );
    let permission = root.children_named("permission").next().unwrap();
    assert_eq!(
        permission.attr("protectionLevel").unwrap().value,
        Value::Hex(2)
    );
    assert_eq!(permission.attr_int("protectionLevel"), Some(2));
    let app = root.children_named("application").next().unwrap();
    assert_eq!(
        app.attr("label").unwrap().value,
        Value::Reference(0x7f01_0000)
    );
    assert_eq!(app.attr_str("label").as_deref(), Some("@0x7f010000"));
    assert_eq!(app.attr_bool("debuggable"), Some(true));
    assert_eq!(app.attr_str("debuggable").as_deref(), Some("true"));
    assert_eq!(app.attr_bool("allowBackup"), Some(false));
    assert_eq!(app.attr_bool("exported"), None);
    let activity = app.children_named("activity").next().unwrap();
    assert_eq!(activity.attr_str("name").as_deref(), Some(".Main"));
    assert_eq!(activity.attr_bool("exported"), Some(true));
    assert_eq!(activity.text.as_deref(), Some("hello world"));
    assert_eq!(activity.line, 12);
    assert_eq!(root.children.len(), 5);
    assert_eq!(root.descendants().count(), 7);
    assert_eq!(
        doc.namespaces,
        vec![("android".to_string(), ANDROID_NS.to_string())]
    );
}

#[test]
fn utf16_manifest_reads_exactly() {
    let data = sample_manifest(false);
    assert!(is_axml(&data));
    let doc = parse_xml(&data, &Limits::default()).unwrap();
    check_sample(&doc);
    assert!(doc.anomalies.is_empty(), "{:?}", doc.anomalies);
}

#[test]
fn utf8_manifest_reads_the_same() {
    let utf16 = parse_xml(&sample_manifest(false), &Limits::default()).unwrap();
    let utf8 = parse_xml(&sample_manifest(true), &Limits::default()).unwrap();
    check_sample(&utf8);
    assert_eq!(utf8, utf16);
}

#[test]
fn long_strings_use_two_length_forms() {
    // UTF-8: > 127 UTF-16 units and > 127 bytes, with multi-byte characters.
    let long8: String = "中文abc".repeat(60);
    // UTF-16: > 0x7FFF units needs the two-word length.
    let long16: String = "x".repeat(40_000);
    for (utf8, text) in [(true, &long8), (false, &long16), (false, &long8)] {
        let mut b = XmlBuilder::new(utf8, &ids());
        b.start(None, "root", &[android("name", AttrValue::Str(text))]);
        b.end(None, "root");
        let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
        assert_eq!(
            doc.root.attr_str("name").as_deref(),
            Some(text.as_str()),
            "utf8={utf8}"
        );
    }
}

#[test]
fn style_span_section_is_tolerated() {
    let mut b = sample_builder(false);
    b.styles = vec![vec![(0, 0, 2)], vec![(1, 1, 3), (0, 0, 0)]];
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    check_sample(&doc);
    let mut b = sample_builder(true);
    b.styles = vec![vec![(0, 0, 2)]];
    check_sample(&parse_xml(&b.build(), &Limits::default()).unwrap());
}

#[test]
fn attribute_found_by_resource_id_when_name_is_blank() {
    let mut b = XmlBuilder::new(false, &[("", A_NAME), ("label", A_LABEL)]);
    b.start(
        None,
        "uses-permission",
        &[Attr {
            ns: Some(ANDROID_NS),
            name: "",
            value: AttrValue::Str("android.permission.READ_SMS"),
        }],
    );
    b.end(None, "uses-permission");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    let attr = doc.root.attr("name").unwrap();
    assert_eq!(attr.name, "name");
    assert_eq!(attr.resource_id, Some(A_NAME));
    assert_eq!(
        doc.root.attr_str("name").as_deref(),
        Some("android.permission.READ_SMS")
    );
    assert!(
        doc.anomalies
            .iter()
            .any(|a| a.contains("does not match resource id 0x01010003")),
        "{:?}",
        doc.anomalies
    );
}

#[test]
fn attribute_found_by_resource_id_when_name_and_namespace_are_garbage() {
    let mut b = XmlBuilder::new(true, &[("\u{1}x\u{7f}garbage", A_NAME), ("label", A_LABEL)]);
    b.start(
        None,
        "uses-permission",
        &[
            // Decoy: no namespace, named "name": Android ignores it.
            plain("name", AttrValue::Str("decoy.NO_NAMESPACE")),
            Attr {
                ns: Some("http://evil.example/ns"),
                name: "\u{1}x\u{7f}garbage",
                value: AttrValue::Str("android.permission.SEND_SMS"),
            },
        ],
    );
    b.end(None, "uses-permission");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    assert_eq!(
        doc.root.attr_str("name").as_deref(),
        Some("android.permission.SEND_SMS")
    );
    let attr = doc.root.attr("name").unwrap();
    assert_eq!(attr.namespace.as_deref(), Some(ANDROID_NS));
    assert_eq!(
        doc.root
            .attr_plain("name")
            .and_then(Attribute::as_string)
            .as_deref(),
        Some("decoy.NO_NAMESPACE")
    );
}

#[test]
fn attribute_named_like_another_but_with_a_different_id_is_not_it() {
    // android:name string, but the resource map says it is android:label.
    let mut b = XmlBuilder::new(false, &[("name", A_LABEL)]);
    b.start(
        None,
        "activity",
        &[android("name", AttrValue::Str("Shown label"))],
    );
    b.end(None, "activity");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    assert_eq!(doc.root.attr("name"), None);
    assert_eq!(doc.root.attr_str("label").as_deref(), Some("Shown label"));
}

#[test]
fn attribute_without_resource_map_found_by_name_in_android_namespace() {
    let mut b = XmlBuilder::new(false, &[]);
    b.start(
        None,
        "activity",
        &[
            android(
                "exported",
                AttrValue::Typed {
                    raw: Some("true"),
                    ty: 0x03,
                    data: 0,
                },
            ),
            android("isolatedProcess", AttrValue::Bool(true)),
            Attr {
                ns: Some("http://schemas.android.com/apk/res-auto"),
                name: "enabled",
                value: AttrValue::Bool(false),
            },
        ],
    );
    b.end(None, "activity");
    let data = b.build();
    let doc = parse_xml(&data, &Limits::default()).unwrap();
    let root = &doc.root;
    // The typed string index 0 is "activity": the typed value wins over raw.
    assert_eq!(root.attr_str("exported").as_deref(), Some("activity"));
    assert_eq!(root.attr("exported").unwrap().raw.as_deref(), Some("true"));
    assert_eq!(root.attr_bool("isolatedProcess"), Some(true));
    // Unknown namespace: kept as is, not taken for android:enabled.
    assert_eq!(root.attr("enabled"), None);
    let other = root
        .attr_ns(Some("http://schemas.android.com/apk/res-auto"), "enabled")
        .unwrap();
    assert_eq!(other.value, Value::Bool(false));
    assert_eq!(other.resource_id, None);
}

#[test]
fn raw_values_convert() {
    let mut b = XmlBuilder::new(false, &ids());
    b.start(
        None,
        "x",
        &[
            android(
                "versionCode",
                AttrValue::Typed {
                    raw: Some(" 77 "),
                    ty: 0,
                    data: 0,
                },
            ),
            android(
                "debuggable",
                AttrValue::Typed {
                    raw: Some("TRUE"),
                    ty: 0,
                    data: 0,
                },
            ),
            android(
                "minSdkVersion",
                AttrValue::Typed {
                    raw: None,
                    ty: TYPE_FLOAT,
                    data: 1.5f32.to_bits(),
                },
            ),
            android(
                "targetSdkVersion",
                AttrValue::Typed {
                    raw: None,
                    ty: TYPE_DIMENSION,
                    data: (16 << 8) | 1,
                },
            ),
            android("exported", AttrValue::Int(-1)),
        ],
    );
    b.end(None, "x");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    let root = &doc.root;
    assert_eq!(root.attr_int("versionCode"), Some(77));
    assert_eq!(root.attr_bool("debuggable"), Some(true));
    assert_eq!(root.attr("minSdkVersion").unwrap().value, Value::Float(1.5));
    assert_eq!(
        root.attr_str("targetSdkVersion").as_deref(),
        Some("16.0dip")
    );
    assert_eq!(root.attr_int("exported"), Some(-1));
    assert_eq!(root.attr_bool("exported"), Some(true));
}

fn set_u16(data: &mut [u8], at: usize, v: u16) {
    data[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn set_u32(data: &mut [u8], at: usize, v: u32) {
    data[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn bogus_header_size_on_outer_chunk_is_tolerated() {
    for bogus in [0u16, 4, 9, 0x1234, 0xFFFF] {
        let mut data = sample_manifest(false);
        set_u16(&mut data, 2, bogus);
        let doc = parse_xml(&data, &Limits::default()).unwrap();
        check_sample(&doc);
        assert!(
            doc.anomalies
                .iter()
                .any(|a| a.contains("bogus header size")),
            "{bogus}: {:?}",
            doc.anomalies
        );
    }
}

#[test]
fn header_size_pointing_at_the_body_is_followed() {
    // Outer header claims 16 bytes and the body really starts at 16.
    let b = sample_builder(false);
    let mut body = vec![0xAAu8; 8];
    body.extend_from_slice(&b.pool());
    body.extend_from_slice(&b.resource_map());
    body.extend_from_slice(&b.nodes);
    let mut data = Vec::new();
    push_u16(&mut data, 3);
    push_u16(&mut data, 16);
    push_u32(&mut data, (8 + body.len()) as u32);
    data.extend_from_slice(&body);
    check_sample(&parse_xml(&data, &Limits::default()).unwrap());
}

#[test]
fn bogus_total_size_on_outer_chunk_is_tolerated() {
    for bogus in [0u32, 7, 0xFFFF_FFFF] {
        let mut data = sample_manifest(false);
        set_u32(&mut data, 4, bogus);
        let doc = parse_xml(&data, &Limits::default()).unwrap();
        check_sample(&doc);
        assert!(
            doc.anomalies.iter().any(|a| a.contains("bogus size")),
            "{:?}",
            doc.anomalies
        );
    }
}

#[test]
fn wrong_outer_chunk_type_is_tolerated_when_a_pool_follows() {
    let mut data = sample_manifest(false);
    set_u16(&mut data, 0, 0x0000);
    assert!(is_axml(&data));
    check_sample(&parse_xml(&data, &Limits::default()).unwrap());
}

#[test]
fn unknown_chunks_are_skipped() {
    let mut b = XmlBuilder::new(false, &ids());
    b.start(None, "manifest", &[]);
    b.raw(&chunk(0x7777, &[1, 2, 3, 4], &[9; 12]));
    b.raw(&chunk(0x0150, &[0; 8], &[]));
    b.raw(&string_pool(&["late".to_string()], false, &[]));
    b.start(
        None,
        "uses-permission",
        &[android("name", AttrValue::Str("p.ONE"))],
    );
    b.end(None, "uses-permission");
    b.end(None, "manifest");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    assert_eq!(perms(&doc.root), vec!["p.ONE"]);
    assert!(
        doc.anomalies.iter().any(|a| a.contains("0x7777")),
        "{:?}",
        doc.anomalies
    );
}

/// Offset of the string pool's stringCount in a built document.
const POOL_COUNT_AT: usize = 8 + 8;

#[test]
fn lying_string_count_is_tolerated() {
    for count in [0xFFFF_FFFFu32, 0x1000_0000, 1, 0] {
        let mut data = sample_manifest(false);
        set_u32(&mut data, POOL_COUNT_AT, count);
        let doc = parse_xml(&data, &Limits::default()).unwrap();
        check_sample(&doc);
    }
}

#[test]
fn lying_style_count_and_flags_are_tolerated() {
    let mut data = sample_manifest(true);
    set_u32(&mut data, POOL_COUNT_AT + 4, 0x00FF_FFFF); // styleCount
    set_u32(&mut data, POOL_COUNT_AT + 8, 0x100 | 0xF0F0_0000 | 1); // flags: UTF-8 plus junk
    let doc = parse_xml(&data, &Limits::default()).unwrap();
    check_sample(&doc);
    assert!(
        doc.anomalies
            .iter()
            .any(|a| a.contains("unknown flag bits"))
    );
}

#[test]
fn bogus_strings_start_is_tolerated() {
    let mut data = sample_manifest(false);
    set_u32(&mut data, POOL_COUNT_AT + 12, 0xFFFF_FF00);
    let doc = parse_xml(&data, &Limits::default()).unwrap();
    check_sample(&doc);
    assert!(doc.anomalies.iter().any(|a| a.contains("stringsStart")));
}

#[test]
fn second_root_and_stray_end_are_ignored() {
    let mut b = XmlBuilder::new(false, &ids());
    b.end(None, "nothing");
    b.start(None, "manifest", &[]);
    b.end(None, "manifest");
    b.start(None, "evil", &[]);
    b.start(None, "inner", &[]);
    b.end(None, "inner");
    b.end(None, "evil");
    b.cdata("trailing");
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    assert_eq!(doc.root.name, "manifest");
    assert!(doc.root.children.is_empty());
    assert!(doc.anomalies.iter().any(|a| a.contains("second root")));
    assert!(doc.anomalies.iter().any(|a| a.contains("unmatched end")));
}

#[test]
fn unclosed_elements_are_closed() {
    let mut b = XmlBuilder::new(false, &ids());
    b.start(None, "manifest", &[]);
    b.start(None, "application", &[]);
    b.start(None, "activity", &[android("name", AttrValue::Str(".A"))]);
    let doc = parse_xml(&b.build(), &Limits::default()).unwrap();
    let app = doc.root.children_named("application").next().unwrap();
    assert_eq!(
        app.children_named("activity")
            .next()
            .unwrap()
            .attr_str("name")
            .as_deref(),
        Some(".A")
    );
    assert!(
        doc.anomalies.iter().any(|a| a.contains("3 unclosed")),
        "{:?}",
        doc.anomalies
    );
}

#[test]
fn attributes_that_overrun_their_chunk_are_capped() {
    let mut b = XmlBuilder::new(false, &ids());
    b.start(
        None,
        "x",
        &[
            android("name", AttrValue::Str("a")),
            android("label", AttrValue::Str("b")),
        ],
    );
    b.end(None, "x");
    let mut data = b.build();
    // attributeCount of the start element: its ext starts 16 bytes into the node.
    let node_at = data.len() - 24 - (16 + 20 + 40);
    assert_eq!(
        u16::from_le_bytes([data[node_at], data[node_at + 1]]),
        0x0102
    );
    set_u16(&mut data, node_at + 16 + 12, 500);
    let doc = parse_xml(&data, &Limits::default()).unwrap();
    assert_eq!(doc.root.attributes.len(), 2);
    assert!(
        doc.anomalies
            .iter()
            .any(|a| a.contains("declares 500 attributes but only 2 fit"))
    );
}

fn nested(depth: usize) -> Vec<u8> {
    let mut b = XmlBuilder::new(false, &[]);
    for _ in 0..depth {
        b.start(None, "n", &[]);
    }
    for _ in 0..depth {
        b.end(None, "n");
    }
    b.build()
}

#[test]
fn depth_limit() {
    let limits = Limits::default();
    let doc = parse_xml(&nested(256), &limits).unwrap();
    assert_eq!(doc.root.descendants().count(), 256);
    let err = parse_xml(&nested(257), &limits).unwrap_err();
    assert_eq!(err.code(), "axml-too-deep");
    assert_eq!(
        err,
        AxmlError::TooDeep {
            offset: err.offset(),
            depth: 257,
            limit: 256
        }
    );
    let small = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert_eq!(
        parse_xml(&nested(4), &small).unwrap_err().code(),
        "axml-too-deep"
    );
    assert!(parse_xml(&nested(3), &small).is_ok());
}

#[test]
fn error_truncated_axml() {
    let err = parse_xml(&[3, 0, 8, 0], &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "truncated-axml");
    assert_eq!(err.offset(), 0);
    assert!(
        err.to_string()
            .contains("expected an 8-byte XML chunk header"),
        "{err}"
    );
    // Cut inside the string pool: no element can be read.
    let data = sample_manifest(false);
    let err = parse_xml(&data[..40], &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "truncated-axml");
    assert_eq!(
        parse_xml(&[], &Limits::default()).unwrap_err().code(),
        "truncated-axml"
    );
}

#[test]
fn error_malformed_axml() {
    let text = b"<?xml version=\"1.0\"?><manifest/>";
    assert!(!is_axml(text));
    let err = parse_xml(text, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "malformed-axml");
    assert!(err.to_string().contains("RES_XML_TYPE"), "{err}");
    // A zero-sized chunk before any element cannot be stepped over.
    let mut b = XmlBuilder::new(false, &[]);
    b.raw(&[0x02, 0x01, 0x10, 0x00, 0, 0, 0, 0]);
    b.start(None, "x", &[]);
    let err = parse_xml(&b.build(), &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "malformed-axml");
    // Only a pool, no element.
    let b = XmlBuilder::new(false, &[("name", A_NAME)]);
    assert_eq!(
        parse_xml(&b.build(), &Limits::default())
            .unwrap_err()
            .code(),
        "malformed-axml"
    );
}

#[test]
fn error_bad_string_pool() {
    let mut data = sample_manifest(false);
    set_u16(&mut data, 8 + 2, 8); // pool header size below 28
    let err = parse_xml(&data, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "bad-string-pool");
    assert_eq!(err.offset(), 8);
    // No pool at all before the first node.
    let mut body = Vec::new();
    body.extend_from_slice(&sample_builder(false).nodes);
    let data = chunk(0x0003, &[], &body);
    assert_eq!(
        parse_xml(&data, &Limits::default()).unwrap_err().code(),
        "bad-string-pool"
    );
}

#[test]
fn error_limit_exceeded() {
    let data = sample_manifest(false);
    let few = Limits {
        max_elements: 3,
        ..Limits::default()
    };
    let err = parse_xml(&data, &few).unwrap_err();
    assert_eq!(err.code(), "limit-exceeded");
    assert!(err.to_string().contains("element count"), "{err}");
    let tiny = Limits {
        max_total_string_bytes: 40,
        ..Limits::default()
    };
    assert_eq!(
        parse_xml(&data, &tiny).unwrap_err().code(),
        "limit-exceeded"
    );
    let pool = Limits {
        max_string_pool_strings: 3,
        ..Limits::default()
    };
    assert_eq!(
        parse_xml(&data, &pool).unwrap_err().code(),
        "limit-exceeded"
    );
    let arsc = sample_table(false).build();
    let entries = Limits {
        max_table_entries: 4,
        ..Limits::default()
    };
    assert_eq!(
        parse_arsc(&arsc, &entries).unwrap_err().code(),
        "limit-exceeded"
    );
}

#[test]
fn error_arsc_codes() {
    let err = parse_arsc(&sample_manifest(false), &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "malformed-arsc");
    assert!(err.to_string().contains("RES_TABLE_TYPE"), "{err}");
    assert_eq!(
        parse_arsc(&[2, 0, 12, 0, 0], &Limits::default())
            .unwrap_err()
            .code(),
        "truncated-arsc"
    );
    let data = sample_table(false).build();
    // Cut inside the package header.
    let pool_len = string_pool(&sample_table(false).strings, false, &[]).len();
    let err = parse_arsc(&data[..12 + pool_len + 100], &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "truncated-arsc");
    assert_eq!(err.offset(), 12 + pool_len);
    // A complete but undersized package chunk is malformed, not truncated.
    let mut table = chunk(0x0002, &[1, 0, 0, 0], &chunk(0x0200, &[0; 8], &[0; 16]));
    let err = parse_arsc(&table, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "malformed-arsc");
    assert_eq!(err.offset(), 12);
    table.truncate(20);
    assert_eq!(
        parse_arsc(&table, &Limits::default()).unwrap_err().code(),
        "truncated-arsc"
    );
}

#[test]
fn every_error_code_is_distinct_and_stable() {
    let s = String::new;
    let all = [
        AxmlError::TruncatedAxml {
            offset: 1,
            expected: s(),
        },
        AxmlError::MalformedAxml {
            offset: 1,
            expected: s(),
        },
        AxmlError::TooDeep {
            offset: 1,
            depth: 2,
            limit: 1,
        },
        AxmlError::TruncatedArsc {
            offset: 1,
            expected: s(),
        },
        AxmlError::MalformedArsc {
            offset: 1,
            expected: s(),
        },
        AxmlError::BadStringPool {
            offset: 1,
            expected: s(),
        },
        AxmlError::LimitExceeded {
            offset: 1,
            what: "x",
            limit: 1,
        },
    ];
    let codes: Vec<&str> = all.iter().map(AxmlError::code).collect();
    assert_eq!(
        codes,
        [
            "truncated-axml",
            "malformed-axml",
            "axml-too-deep",
            "truncated-arsc",
            "malformed-arsc",
            "bad-string-pool",
            "limit-exceeded"
        ]
    );
    assert!(
        all.iter()
            .all(|e| e.offset() == 1 && e.to_string().contains("offset 1"))
    );
}

#[test]
fn framework_table_is_sorted_unique_and_has_the_required_ids() {
    assert!(FRAMEWORK_ATTRS.windows(2).all(|w| w[0].1 < w[1].1));
    let required = [
        ("name", 0x01010003),
        ("label", 0x01010001),
        ("icon", 0x01010002),
        ("permission", 0x01010006),
        ("exported", 0x01010010),
        ("enabled", 0x0101000e),
        ("process", 0x01010011),
        ("priority", 0x0101001c),
        ("value", 0x01010024),
        ("resource", 0x01010025),
        ("debuggable", 0x0101000f),
        ("allowBackup", 0x01010280),
        ("scheme", 0x01010027),
        ("host", 0x01010028),
        ("port", 0x01010029),
        ("path", 0x0101002a),
        ("pathPrefix", 0x0101002b),
        ("pathPattern", 0x0101002c),
        ("mimeType", 0x01010026),
        ("minSdkVersion", 0x0101020c),
        ("targetSdkVersion", 0x01010270),
        ("maxSdkVersion", 0x01010271),
        ("versionCode", 0x0101021b),
        ("versionName", 0x0101021c),
        ("protectionLevel", 0x01010009),
        ("usesCleartextTraffic", 0x010104ec),
        ("networkSecurityConfig", 0x01010527),
        ("authorities", 0x01010018),
        ("targetActivity", 0x01010202),
        ("foregroundServiceType", 0x01010599),
    ];
    for (name, id) in required {
        assert_eq!(framework_attr_id(name), Some(id), "{name}");
        assert_eq!(framework_attr_name(id), Some(name));
    }
}

/// Byte-level abuse: no input may panic or hang.
fn abuse(data: &[u8]) {
    let limits = Limits::default();
    for len in 0..=data.len() {
        let _ = parse_xml(&data[..len], &limits);
        let _ = parse_arsc(&data[..len], &limits);
        let _ = is_axml(&data[..len]);
    }
    let mut copy = data.to_vec();
    for at in 0..data.len() {
        for mutation in [0xFFu8, 0x80, 0x01, 0x7F] {
            let original = copy[at];
            copy[at] ^= mutation;
            exercise(&copy, &limits);
            copy[at] = original;
        }
    }
    for at in (0..data.len().saturating_sub(3)).step_by(2) {
        for word in [0xFFFF_FFFFu32, 0x7FFF_FFFF, 0x8000, 0x10, 0] {
            let original: [u8; 4] = copy[at..at + 4].try_into().unwrap();
            set_u32(&mut copy, at, word);
            exercise(&copy, &limits);
            copy[at..at + 4].copy_from_slice(&original);
        }
    }
}

fn exercise(data: &[u8], limits: &Limits) {
    if let Ok(doc) = parse_xml(data, limits) {
        for element in doc.root.descendants() {
            for name in ["name", "label", "exported", "versionCode", "nonexistent"] {
                let _ = (
                    element.attr_str(name),
                    element.attr_bool(name),
                    element.attr_int(name),
                );
            }
        }
    }
    if let Ok(table) = parse_arsc(data, limits) {
        for id in [
            0x7f01_0000u32,
            0x7f01_0001,
            0x7f01_0002,
            0x7f01_0004,
            0x7f02_0000,
            0x7f03_0000,
        ] {
            let _ = table.entry_name(id);
            let _ = table.values(id);
            let _ = table.resolve_string(id, &["zh-CN", "zh", ""]);
            let _ = table.resolve_file_path(id);
        }
    }
}

#[test]
fn mutations_and_truncations_never_panic_axml() {
    abuse(&sample_manifest(false));
    abuse(&sample_manifest(true));
}

#[test]
fn mutations_and_truncations_never_panic_arsc() {
    abuse(&sample_table(false).build());
    let mut b = ArscBuilder::new(true, 0x7f, "p", &["string"]);
    let s = b.string("v");
    let k = b.key("k");
    b.type_spec(1, 2);
    b.type_chunk(
        1,
        config_bytes("", "", 0, 0),
        Layout::Sparse,
        &[
            None,
            Some(EntrySpec::Simple {
                key: k,
                ty: TYPE_STRING,
                data: s,
            }),
        ],
    );
    b.type_chunk(
        1,
        config_bytes("de", "", 0, 0),
        Layout::Offset16,
        &[Some(EntrySpec::Compact {
            key: k as u16,
            ty: TYPE_STRING,
            data: s,
        })],
    );
    abuse(&b.build());
}

/// Deterministic multi-byte random mutations (xorshift), a small in-tree fuzz pass.
fn random_mutations(data: &[u8], iterations: usize) {
    let limits = Limits::default();
    let mut seed = 0x2545_F491_4F6C_DD1Du64 ^ data.len() as u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..iterations {
        let mut d = data.to_vec();
        for _ in 0..1 + next() % 6 {
            let at = next() as usize % d.len();
            match next() % 4 {
                0 => d[at] = next() as u8,
                1 if at + 4 <= d.len() => {
                    let words = [0u32, 0xFFFF_FFFF, 0x7FFF_FFFF, 8, 0x1_0000, 28];
                    set_u32(&mut d, at, words[next() as usize % words.len()]);
                }
                2 => d.truncate(at.max(1)),
                _ => {
                    let from = next() as usize % d.len();
                    let len = (next() as usize % 64).min(d.len() - from);
                    let copy = d[from..from + len].to_vec();
                    d.splice(at..at, copy);
                }
            }
        }
        exercise(&d, &limits);
    }
}

#[test]
fn random_mutations_never_panic() {
    random_mutations(&sample_manifest(false), 3000);
    random_mutations(&sample_manifest(true), 3000);
    random_mutations(&sample_table(false).build(), 3000);
}

#[test]
fn truncated_documents_report_or_recover() {
    let data = sample_manifest(false);
    for len in 0..data.len() {
        match parse_xml(&data[..len], &Limits::default()) {
            Ok(doc) => {
                assert_eq!(doc.root.name, "manifest");
                assert!(!doc.anomalies.is_empty(), "cut at {len} without a note");
            }
            Err(e) => assert!(
                ["truncated-axml", "bad-string-pool", "malformed-axml"].contains(&e.code()),
                "cut at {len}: {e}"
            ),
        }
    }
}

// ---------------------------------------------------------------- ARSC

const APP_NAME: u32 = 0x7f01_0000;
const ALIAS: u32 = 0x7f01_0001;
const CYCLE_A: u32 = 0x7f01_0002;
const GREETING: u32 = 0x7f01_0004;
const NSC: u32 = 0x7f02_0000;
const THEME: u32 = 0x7f03_0000;

fn sample_table(utf8: bool) -> ArscBuilder {
    let mut b = ArscBuilder::new(utf8, 0x7f, "com.example.app", &["string", "xml", "style"]);
    let example = b.string("Example");
    let zh = b.string("示例");
    let hello = b.string("Hello");
    let hello_hd = b.string("Hello HD");
    let nihao = b.string("你好");
    let path = b.string("res/xml/network_security_config.xml");
    let path24 = b.string("res/xml-v24/network_security_config.xml");
    let keys: Vec<u32> = ["app_name", "alias", "cycle_a", "cycle_b", "greeting"]
        .iter()
        .map(|k| b.key(k))
        .collect();
    let nsc_key = b.key("network_security_config");
    let theme_key = b.key("AppTheme");
    let simple = |key: u32, ty: u8, data: u32| Some(EntrySpec::Simple { key, ty, data });

    b.type_spec(1, 5);
    // Density-qualified first in file order: must lose to the plain default.
    b.type_chunk(
        1,
        config_bytes("", "", 480, 0),
        Layout::Dense,
        &[
            None,
            None,
            None,
            None,
            simple(keys[4], TYPE_STRING, hello_hd),
        ],
    );
    b.type_chunk(
        1,
        config_bytes("", "", 0, 0),
        Layout::Dense,
        &[
            simple(keys[0], TYPE_STRING, example),
            simple(keys[1], TYPE_REFERENCE, APP_NAME),
            simple(keys[2], TYPE_REFERENCE, CYCLE_A + 1),
            simple(keys[3], TYPE_REFERENCE, CYCLE_A),
            simple(keys[4], TYPE_STRING, hello),
        ],
    );
    b.type_chunk(
        1,
        config_bytes("zh", "CN", 0, 0),
        Layout::Dense,
        &[simple(keys[0], TYPE_STRING, zh)],
    );
    b.type_chunk(
        1,
        config_bytes("zh", "", 0, 0),
        Layout::Dense,
        &[None, None, None, None, simple(keys[4], TYPE_STRING, nihao)],
    );
    b.type_spec(2, 1);
    b.type_chunk(
        2,
        config_bytes("", "", 0, 24),
        Layout::Dense,
        &[simple(nsc_key, TYPE_STRING, path24)],
    );
    b.type_chunk(
        2,
        config_bytes("", "", 0, 0),
        Layout::Dense,
        &[simple(nsc_key, TYPE_STRING, path)],
    );
    b.type_spec(3, 1);
    b.type_chunk(
        3,
        config_bytes("", "", 0, 0),
        Layout::Dense,
        &[Some(EntrySpec::Map {
            key: theme_key,
            parent: 0x0103_0005,
            items: vec![
                (0x0101_0000, TYPE_REFERENCE, 0x7f03_0001),
                (A_LABEL, TYPE_STRING, example),
            ],
        })],
    );
    b
}

fn cfg(language: &str, region: &str, density: u16, sdk_version: u16) -> Config {
    Config {
        language: language.into(),
        region: region.into(),
        density,
        sdk_version,
    }
}

fn check_table(table: &ResourceTable) {
    assert_eq!(table.packages.len(), 1);
    let package = &table.packages[0];
    assert_eq!(package.id, 0x7f);
    assert_eq!(package.name, "com.example.app");
    assert_eq!(package.type_specs.len(), 3);
    assert_eq!(package.type_specs[0].flags.len(), 5);
    assert_eq!(package.types.len(), 7);

    assert_eq!(
        table.entry_name(APP_NAME),
        Some(("string".into(), "app_name".into()))
    );
    assert_eq!(
        table.entry_name(NSC),
        Some(("xml".into(), "network_security_config".into()))
    );
    assert_eq!(
        table.entry_name(THEME),
        Some(("style".into(), "AppTheme".into()))
    );
    assert_eq!(table.entry_name(0x7f01_0009), None);
    assert_eq!(table.entry_name(0x0101_0000), None);
    assert_eq!(table.entry_name(0x7f00_0000), None);

    assert_eq!(
        table.values(APP_NAME),
        vec![
            (cfg("", "", 0, 0), Value::String("Example".into())),
            (cfg("zh", "CN", 0, 0), Value::String("示例".into())),
        ]
    );
    assert_eq!(
        table.values(ALIAS),
        vec![(cfg("", "", 0, 0), Value::Reference(APP_NAME))]
    );
    assert_eq!(
        table
            .resolve_string(APP_NAME, &["zh-CN", "zh", ""])
            .as_deref(),
        Some("示例")
    );
    assert_eq!(
        table.resolve_string(APP_NAME, &["zh-rCN"]).as_deref(),
        Some("示例")
    );
    assert_eq!(
        table.resolve_string(APP_NAME, &["zh_cn"]).as_deref(),
        Some("示例")
    );
    assert_eq!(
        table.resolve_string(APP_NAME, &["fr-FR", ""]).as_deref(),
        Some("Example")
    );
    assert_eq!(
        table.resolve_string(APP_NAME, &[]).as_deref(),
        Some("Example")
    );
    assert_eq!(
        table.resolve_string(APP_NAME, &[""]).as_deref(),
        Some("Example")
    );
    assert_eq!(
        table.resolve_string(ALIAS, &["zh-CN", "zh", ""]).as_deref(),
        Some("示例")
    );
    assert_eq!(
        table.resolve_string(ALIAS, &[""]).as_deref(),
        Some("Example")
    );
    assert_eq!(table.resolve_string(CYCLE_A, &[""]), None);
    assert_eq!(
        table
            .resolve_string(GREETING, &["zh-CN", "zh", ""])
            .as_deref(),
        Some("你好")
    );
    assert_eq!(
        table.resolve_string(GREETING, &["en"]).as_deref(),
        Some("Hello")
    );
    assert_eq!(table.resolve_string(0x7f01_0077, &[""]), None);
    assert_eq!(
        table.resolve_file_path(NSC).as_deref(),
        Some("res/xml/network_security_config.xml")
    );
    assert_eq!(table.resolve_string(THEME, &[""]), None);

    let theme = table.entries(THEME);
    assert_eq!(theme.len(), 1);
    assert_eq!(
        theme[0].1.body,
        EntryBody::Map {
            parent: 0x0103_0005,
            items: vec![
                (
                    0x0101_0000,
                    RawValue {
                        data_type: TYPE_REFERENCE,
                        data: 0x7f03_0001
                    }
                ),
                (
                    A_LABEL,
                    RawValue {
                        data_type: TYPE_STRING,
                        data: 0
                    }
                ),
            ],
        }
    );
    assert_eq!(
        table.value(RawValue {
            data_type: TYPE_STRING,
            data: 0
        }),
        Value::String("Example".into())
    );
    let nsc_types: Vec<&Config> = table.entries(NSC).iter().map(|(t, _)| &t.config).collect();
    assert_eq!(nsc_types, vec![&cfg("", "", 0, 24), &cfg("", "", 0, 0)]);
}

#[test]
fn table_utf16_reads_exactly() {
    let table = parse_arsc(&sample_table(false).build(), &Limits::default()).unwrap();
    check_table(&table);
    assert!(table.anomalies.is_empty(), "{:?}", table.anomalies);
    assert!(!table.strings.is_utf8());
    assert_eq!(table.strings.len(), 7);
}

#[test]
fn table_utf8_reads_the_same() {
    let table = parse_arsc(&sample_table(true).build(), &Limits::default()).unwrap();
    check_table(&table);
    assert!(table.strings.is_utf8());
}

#[test]
fn table_sparse_offset16_and_compact_entries() {
    let mut b = ArscBuilder::new(false, 0x7f, "p", &["string"]);
    let one = b.string("one");
    let two = b.string("two");
    let ka = b.key("a");
    let kb = b.key("b");
    b.type_spec(1, 3);
    b.type_chunk(
        1,
        config_bytes("", "", 0, 0),
        Layout::Sparse,
        &[
            None,
            None,
            Some(EntrySpec::Simple {
                key: kb,
                ty: TYPE_STRING,
                data: two,
            }),
        ],
    );
    b.type_chunk(
        1,
        config_bytes("de", "", 0, 0),
        Layout::Offset16,
        &[
            Some(EntrySpec::Compact {
                key: ka as u16,
                ty: TYPE_STRING,
                data: one,
            }),
            None,
            None,
        ],
    );
    let table = parse_arsc(&b.build(), &Limits::default()).unwrap();
    assert_eq!(
        table.entry_name(0x7f01_0002),
        Some(("string".into(), "b".into()))
    );
    assert_eq!(
        table.resolve_string(0x7f01_0002, &[""]).as_deref(),
        Some("two")
    );
    assert_eq!(
        table.entry_name(0x7f01_0000),
        Some(("string".into(), "a".into()))
    );
    assert_eq!(
        table.values(0x7f01_0000),
        vec![(cfg("de", "", 0, 0), Value::String("one".into()))]
    );
    assert_eq!(
        table.resolve_string(0x7f01_0000, &["fr"]).as_deref(),
        Some("one")
    );
    assert_eq!(table.values(0x7f01_0001), vec![]);
}

#[test]
fn table_tolerates_unknown_chunks_and_bad_sizes() {
    let mut b = sample_table(false);
    b.body.extend_from_slice(&chunk(0x0999, &[0; 4], &[1; 8]));
    let mut data = b.build();
    set_u32(&mut data, 4, 0xFFFF_FFFF); // table size lies
    set_u32(&mut data, 8, 9); // package count lies
    let table = parse_arsc(&data, &Limits::default()).unwrap();
    check_table(&table);
    assert!(
        table.anomalies.iter().any(|a| a.contains("0x0999")),
        "{:?}",
        table.anomalies
    );
    assert!(
        table
            .anomalies
            .iter()
            .any(|a| a.contains("declares 9 packages"))
    );
}

#[test]
fn table_truncated_mid_package_keeps_what_was_read() {
    let data = sample_table(false).build();
    // Drop the last type chunk (the style map) partially.
    let table = parse_arsc(&data[..data.len() - 10], &Limits::default()).unwrap();
    assert_eq!(
        table.resolve_string(APP_NAME, &["zh-CN"]).as_deref(),
        Some("示例")
    );
    assert!(!table.anomalies.is_empty());
}

#[test]
fn locale_parts_unpack() {
    use crate::arsc::unpack_locale_part;
    assert_eq!(unpack_locale_part(b"zh", b'a'), "zh");
    assert_eq!(unpack_locale_part(&[0, 0], b'a'), "");
    // "fil" packed: f=5, i=8, l=11 -> first in byte 1 low bits.
    let (f, i, l) = (5u8, 8u8, 11u8);
    let b1 = f | ((i & 0x07) << 5);
    let b0 = 0x80 | (l << 2) | (i >> 3);
    assert_eq!(unpack_locale_part(&[b0, b1], b'a'), "fil");
    // Region "419" packed with base '0'.
    let (x, y, z) = (4u8, 1u8, 9u8);
    assert_eq!(
        unpack_locale_part(&[0x80 | (z << 2) | (y >> 3), x | ((y & 0x07) << 5)], b'0'),
        "419"
    );
    let raw = config_bytes("en", "US", 320, 21);
    assert_eq!(Config::from_raw(&raw), cfg("en", "US", 320, 21));
    assert_eq!(Config::from_raw(&raw[..12]), cfg("en", "US", 0, 0));
    assert_eq!(cfg("en", "US", 0, 0).locale(), "en-US");
}

#[test]
fn reference_chains_are_depth_limited() {
    // A chain of 40 references ending in a string: longer than the default depth of 32.
    let mut b = ArscBuilder::new(false, 0x7f, "p", &["string"]);
    let end = b.string("end");
    let mut entries = Vec::new();
    for i in 0..40u32 {
        let key = b.key(&format!("k{i}"));
        entries.push(Some(EntrySpec::Simple {
            key,
            ty: TYPE_REFERENCE,
            data: 0x7f01_0000 + i + 1,
        }));
    }
    let key = b.key("last");
    entries.push(Some(EntrySpec::Simple {
        key,
        ty: TYPE_STRING,
        data: end,
    }));
    b.type_spec(1, 41);
    b.type_chunk(1, config_bytes("", "", 0, 0), Layout::Dense, &entries);
    let table = parse_arsc(&b.build(), &Limits::default()).unwrap();
    assert_eq!(table.resolve_string(0x7f01_0000, &[""]), None);
    assert_eq!(
        table.resolve_string(0x7f01_0000 + 10, &[""]).as_deref(),
        Some("end")
    );
    let deep = Limits {
        max_reference_depth: 64,
        ..Limits::default()
    };
    let table = parse_arsc(&b.build(), &deep).unwrap();
    assert_eq!(
        table.resolve_string(0x7f01_0000, &[""]).as_deref(),
        Some("end")
    );
}
