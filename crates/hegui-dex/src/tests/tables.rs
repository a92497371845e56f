//! Id tables, class defs and class data of the sample file.

use std::borrow::Cow;

use super::sample;
use crate::testutil::{Builder, fix_checksum, put32};
use crate::{Dex, EncodedField, EncodedMethod, Limits, MethodRef, descriptor_to_java, is_dex};

#[test]
fn header_and_counts() {
    let (built, _) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    assert_eq!(dex.version(), 35);
    let h = dex.header();
    assert_eq!(h.file_size as usize, built.bytes.len());
    assert_eq!(h.header_size, 0x70);
    assert_eq!(h.container_size, h.file_size);
    assert_eq!(h.header_offset, 0);
    assert_eq!(h.string_ids_off, 0x70);
    assert!(dex.checksum_ok());
    assert_eq!(dex.string_count(), 26);
    assert_eq!(dex.type_count(), 11);
    assert_eq!(dex.proto_count(), 7);
    assert_eq!(dex.field_count(), 2);
    assert_eq!(dex.method_count(), 7);
    assert_eq!(dex.class_def_count(), 2);
    assert_eq!(dex.call_site_count(), 1);
    assert_eq!(dex.method_handle_count(), 0);
    assert_eq!(dex.base_offset(), 0);

    let mut b = built.bytes.clone();
    b[200] ^= 1;
    let dex = Dex::parse(&b, &Limits::default()).unwrap();
    assert!(!dex.checksum_ok());
    fix_checksum(&mut b, 0);
    assert!(Dex::parse(&b, &Limits::default()).unwrap().checksum_ok());
}

#[test]
fn strings_types_methods_fields_protos() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    assert_eq!(dex.string(ids.s_imei).unwrap(), "imei");
    assert!(matches!(dex.string(ids.s_imei).unwrap(), Cow::Borrowed(_)));
    assert_eq!(dex.string_bytes(ids.s_source).unwrap(), b"Main.java");
    assert_eq!(
        dex.type_descriptor(ids.t_tm).unwrap(),
        "Landroid/telephony/TelephonyManager;"
    );
    assert_eq!(
        dex.type_descriptor(ids.t_string).unwrap(),
        "Ljava/lang/String;"
    );

    let m = dex.method_ref(ids.m_get_device_id).unwrap();
    assert_eq!(
        m,
        MethodRef {
            class_idx: ids.t_tm as u16,
            class: "Landroid/telephony/TelephonyManager;".into(),
            name: "getDeviceId".into(),
            proto_idx: 1,
        }
    );
    assert_eq!(
        dex.proto_signature(m.proto_idx).unwrap(),
        "()Ljava/lang/String;"
    );
    assert_eq!(dex.proto_shorty(m.proto_idx).unwrap(), "L");

    let helper = dex.method_ref(ids.m_helper).unwrap();
    assert_eq!(helper.name, "helper");
    assert_eq!(helper.proto_idx, ids.p_helper);
    assert_eq!(
        dex.proto_signature(helper.proto_idx).unwrap(),
        "(Ljava/lang/String;I)V"
    );
    assert_eq!(dex.proto_shorty(helper.proto_idx).unwrap(), "VLI");
    let params: Vec<_> = dex
        .proto_parameters(helper.proto_idx)
        .unwrap()
        .into_iter()
        .map(|t| dex.type_descriptor(t).unwrap())
        .collect();
    assert_eq!(params, vec!["Ljava/lang/String;", "I"]);
    let exact = dex.method_ref(ids.m_invoke_exact).unwrap();
    assert_eq!(
        dex.proto_signature(exact.proto_idx).unwrap(),
        "([Ljava/lang/Object;)Ljava/lang/Object;"
    );

    let f = dex.field_ref(ids.f_serial).unwrap();
    assert_eq!(f.class, "Landroid/os/Build;");
    assert_eq!(f.name, "SERIAL");
    assert_eq!(f.ty, "Ljava/lang/String;");
    let id = dex.field_id(ids.f_count).unwrap();
    assert_eq!(id.class_idx as u32, ids.t_main);
    assert_eq!(dex.string(id.name_idx).unwrap(), "count");
}

#[test]
fn class_defs_and_class_data() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let classes: Vec<_> = dex.class_defs().collect::<Result<_, _>>().unwrap();
    assert_eq!(classes.len(), 2);
    let main = &classes[0];
    assert_eq!(main.index, 0);
    assert_eq!(main.class_idx, ids.t_main);
    assert_eq!(main.access_flags, 0x1);
    assert_eq!(main.superclass_idx, Some(ids.t_object));
    assert_eq!(main.interfaces, vec![ids.t_runnable]);
    assert_eq!(main.source_file_idx, Some(ids.s_source));
    assert_eq!(main.class_data_off, built.class_data_off[0]);
    assert_eq!(main.annotations_off, 0);
    assert_eq!(main.static_values_off, 0);

    let methods = dex.class_methods(main).unwrap();
    let code = |m: u32| built.insns_of(m) - 16;
    assert_eq!(
        methods,
        vec![
            EncodedMethod {
                method_idx: ids.m_init,
                access_flags: 0x1_0001,
                code_off: code(ids.m_init),
                is_virtual: false
            },
            EncodedMethod {
                method_idx: ids.m_helper,
                access_flags: 0x9,
                code_off: code(ids.m_helper),
                is_virtual: false
            },
            EncodedMethod {
                method_idx: ids.m_run,
                access_flags: 0x1,
                code_off: code(ids.m_run),
                is_virtual: true
            },
        ]
    );
    assert_eq!(
        dex.class_fields(main).unwrap(),
        vec![EncodedField {
            field_idx: ids.f_count,
            access_flags: 0x2,
            is_static: false
        }]
    );

    let iface = &classes[1];
    assert_eq!(iface.access_flags, 0x601);
    assert!(iface.interfaces.is_empty());
    assert_eq!(iface.source_file_idx, None);
    let methods = dex.class_methods(iface).unwrap();
    assert_eq!(methods.len(), 1);
    assert_eq!(methods[0].method_idx, ids.m_iface_call);
    assert_eq!(methods[0].access_flags, 0x401);
    assert_eq!(methods[0].code_off, 0);
    assert!(methods[0].is_virtual);
    assert_eq!(dex.code_item(methods[0].code_off).unwrap(), None);

    let run = dex.code_item(code(ids.m_run)).unwrap().unwrap();
    assert_eq!(run.registers_size, 8);
    assert_eq!(run.ins_size, 1);
    assert_eq!(run.outs_size, 2);
    assert_eq!(run.tries_size, 0);
    assert_eq!(run.insns_size(), 28);
    assert_eq!(run.insns.len(), 56);
    assert_eq!(run.insns_file_offset, built.insns_of(ids.m_run));
    assert_eq!(&run.insns[..2], &[0x1a, 0x00]);
}

#[test]
fn method_index_differences_accumulate_and_reset() {
    let mut b = Builder::new(35);
    let t = b.type_("LA;");
    let ms: Vec<u32> = (0..8)
        .map(|i| b.method("LA;", &format!("m{i}"), "V", &[]))
        .collect();
    let fs: Vec<u32> = (0..6)
        .map(|i| b.field("LA;", &format!("f{i}"), "I"))
        .collect();
    b.classes.push(crate::testutil::ClassSpec {
        class_idx: t,
        static_fields: vec![(fs[1], 8), (fs[4], 8)],
        instance_fields: vec![(fs[2], 0), (fs[5], 0)],
        direct: vec![
            crate::testutil::MethodSpec::without_code(ms[2], 0x100),
            crate::testutil::MethodSpec::without_code(ms[5], 0x100),
            crate::testutil::MethodSpec::without_code(ms[7], 0x100),
        ],
        virtuals: vec![
            crate::testutil::MethodSpec::without_code(ms[1], 0x400),
            crate::testutil::MethodSpec::without_code(ms[3], 0x400),
        ],
        ..Default::default()
    });
    let built = b.build();
    // The class data holds differences: direct 2,3,2; virtual 1,2.
    let off = built.class_data_off[0] as usize;
    assert_eq!(&built.bytes[off..off + 4], &[2, 2, 3, 2]);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let class = dex.class_def(0).unwrap();
    let got: Vec<(u32, bool)> = dex
        .class_methods(&class)
        .unwrap()
        .iter()
        .map(|m| (m.method_idx, m.is_virtual))
        .collect();
    assert_eq!(
        got,
        vec![
            (ms[2], false),
            (ms[5], false),
            (ms[7], false),
            (ms[1], true),
            (ms[3], true)
        ]
    );
    let fields: Vec<(u32, bool)> = dex
        .class_fields(&class)
        .unwrap()
        .iter()
        .map(|f| (f.field_idx, f.is_static))
        .collect();
    assert_eq!(
        fields,
        vec![(fs[1], true), (fs[4], true), (fs[2], false), (fs[5], false)]
    );
}

#[test]
fn mutf8_strings_in_a_file() {
    let mut b = Builder::new(35);
    // U+1F600 as a surrogate pair, and an embedded NUL.
    let emoji = b.string_raw(&[b'a', 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);
    let nul = b.string_raw(&[b'x', 0xc0, 0x80, b'y']);
    let bad = b.string_raw(&[0xed, 0xa0, 0xbd, b'!']);
    let built = b.build();
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let s = dex.string(emoji).unwrap();
    assert_eq!(s, "a\u{1F600}");
    assert_eq!(s.chars().count(), 2);
    assert_eq!(dex.string(nul).unwrap(), "x\0y");
    assert_eq!(dex.string(bad).unwrap(), "\u{FFFD}!");
    assert_eq!(dex.string_bytes(nul).unwrap(), &[b'x', 0xc0, 0x80, b'y']);
}

#[test]
fn empty_file_with_only_a_header() {
    let mut bytes = vec![0u8; 0x70];
    bytes[..8].copy_from_slice(b"dex\n039\0");
    put32(&mut bytes, 0x20, 0x70);
    put32(&mut bytes, 0x24, 0x70);
    put32(&mut bytes, 0x28, 0x1234_5678);
    fix_checksum(&mut bytes, 0);
    let dex = Dex::parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(dex.version(), 39);
    assert_eq!(dex.string_count(), 0);
    assert_eq!(dex.class_defs().count(), 0);
    assert!(dex.checksum_ok());
    let stats = dex.walk_code(&mut super::Recorder::default()).unwrap();
    assert_eq!(stats, crate::WalkStats::default());
}

#[test]
fn magic_and_java_names() {
    assert!(is_dex(b"dex\n035\0rest"));
    assert!(is_dex(b"dex\n041\0"));
    assert!(is_dex(b"dex\n999\0"));
    assert!(!is_dex(b"dex\n035"));
    assert!(!is_dex(b"dex\n03a\0"));
    assert!(!is_dex(b"dey\n035\0"));
    assert!(!is_dex(b"dex\n0351"));
    assert!(!is_dex(b""));

    assert_eq!(descriptor_to_java("Lcom/a/B$C;"), "com.a.B$C");
    assert_eq!(
        descriptor_to_java("Landroid/telephony/TelephonyManager;"),
        "android.telephony.TelephonyManager"
    );
    assert_eq!(descriptor_to_java("LFoo;"), "Foo");
    assert_eq!(descriptor_to_java("I"), "int");
    assert_eq!(descriptor_to_java("V"), "void");
    assert_eq!(descriptor_to_java("[J"), "long[]");
    assert_eq!(
        descriptor_to_java("[[Ljava/lang/String;"),
        "java.lang.String[][]"
    );
    assert_eq!(descriptor_to_java("L;"), "L;");
    assert_eq!(descriptor_to_java("Q"), "Q");
    assert_eq!(descriptor_to_java(""), "");
    assert_eq!(descriptor_to_java("[["), "[[");
}
