//! DEX 041 containers.

use super::{Event, Recorder, sample, sample_builder};
use crate::testutil::{Builder, fix_checksum, put32};
use crate::{Dex, Limits};

/// Two sections: the sample app, then a second file with one class.
fn two_sections() -> (Vec<u8>, usize, crate::testutil::Built) {
    let (first, _) = sample(41);
    let mut b = Builder::new(41);
    b.base = first.bytes.len() as u32;
    let t = b.type_("Lsecond/Only;");
    let s = b.string("from the second section");
    let m = b.method("Lsecond/Only;", "go", "V", &[]);
    let mut code = crate::testutil::asm::const_string(0, s as u16);
    code.extend(crate::testutil::asm::return_void());
    b.classes.push(crate::testutil::ClassSpec {
        class_idx: t,
        direct: vec![crate::testutil::MethodSpec::with_code(m, 0x9, code)],
        ..Default::default()
    });
    let second = b.build();
    let split = first.bytes.len();
    let mut bytes = first.bytes.clone();
    bytes.extend_from_slice(&second.bytes);
    let total = bytes.len() as u32;
    put32(&mut bytes, 0x70, total);
    put32(&mut bytes, split + 0x70, total);
    fix_checksum(&mut bytes, 0);
    fix_checksum(&mut bytes, split);
    (bytes, split, second)
}

#[test]
fn two_sections_are_parsed_with_absolute_offsets() {
    let (bytes, split, second) = two_sections();
    let dexes = Dex::parse_container(&bytes, &Limits::default()).unwrap();
    assert_eq!(dexes.len(), 2);
    assert_eq!(dexes[0].version(), 41);
    assert_eq!(dexes[0].base_offset(), 0);
    assert_eq!(dexes[1].base_offset() as usize, split);
    assert_eq!(dexes[0].header().header_size, 0x78);
    assert_eq!(dexes[1].header().header_offset as usize, split);
    assert_eq!(dexes[1].header().container_size as usize, bytes.len());
    assert_eq!(dexes[0].header().file_size as usize, split);
    assert!(dexes[0].checksum_ok() && dexes[1].checksum_ok());

    assert_eq!(dexes[0].class_def_count(), 2);
    assert_eq!(dexes[1].class_def_count(), 1);
    assert_eq!(dexes[1].string(1).unwrap(), "from the second section");
    assert_eq!(dexes[1].method_ref(0).unwrap().class, "Lsecond/Only;");

    let mut rec = Recorder::default();
    let stats = dexes[1].walk_code(&mut rec).unwrap();
    assert_eq!(
        (stats.classes, stats.methods, stats.instructions),
        (1, 1, 2)
    );
    let site = match &rec.events[1] {
        Event::ConstString(site, 1) => *site,
        e => panic!("{e:?}"),
    };
    assert_eq!(site.file_offset, second.insns_of(0));
    assert!(site.file_offset as usize > split);
    assert_eq!(bytes[site.file_offset as usize], 0x1a);

    // The first section walks as on its own.
    let stats = dexes[0].walk_code(&mut Recorder::default()).unwrap();
    assert_eq!(
        (stats.classes, stats.methods, stats.instructions),
        (2, 3, 21)
    );

    // `parse` reads the first section only.
    let first = Dex::parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(first.class_def_count(), 2);
}

#[test]
fn single_section_container_and_older_versions() {
    let (built, _) = sample(41);
    let dexes = Dex::parse_container(&built.bytes, &Limits::default()).unwrap();
    assert_eq!(dexes.len(), 1);
    let (built, _) = sample(39);
    let dexes = Dex::parse_container(&built.bytes, &Limits::default()).unwrap();
    assert_eq!(dexes.len(), 1);
    assert_eq!(dexes[0].version(), 39);
    // A 040 file is an ordinary one.
    let (b, _) = sample_builder(40);
    let built = b.build();
    assert_eq!(
        Dex::parse_container(&built.bytes, &Limits::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn broken_containers() {
    let (bytes, split, _) = two_sections();
    let limits = Limits::default();

    // container_size past the input.
    let e = Dex::parse_container(&bytes[..bytes.len() - 1], &limits).unwrap_err();
    assert_eq!(e.code(), "truncated-dex");
    assert!(
        e.to_string()
            .contains(&format!("needs {} bytes", bytes.len())),
        "{e}"
    );

    // Second header_offset wrong.
    let mut b = bytes.clone();
    put32(&mut b, split + 0x74, 0);
    let e = Dex::parse_container(&b, &limits).unwrap_err();
    assert_eq!(e.code(), "bad-dex-container");
    assert_eq!(
        e.to_string(),
        format!(
            "bad DEX container: section at offset {split:#x}: header_offset does not match the position of the header (value 0)"
        )
    );

    // Second section not 041.
    let mut b = bytes.clone();
    b[split + 4..split + 7].copy_from_slice(b"039");
    assert_eq!(
        Dex::parse_container(&b, &limits).unwrap_err().code(),
        "bad-dex-container"
    );

    // Second section disagrees on container_size.
    let mut b = bytes.clone();
    put32(&mut b, split + 0x70, (bytes.len() - 4) as u32);
    assert_eq!(
        Dex::parse_container(&b, &limits).unwrap_err().code(),
        "bad-dex-container"
    );

    // First section's file_size past container_size.
    let mut b = bytes.clone();
    put32(&mut b, 0x20, bytes.len() as u32 + 8);
    let e = Dex::parse_container(&b, &limits).unwrap_err();
    assert_eq!(e.code(), "bad-dex-container");

    // Garbage where the second header should be.
    let mut b = bytes.clone();
    b[split] = b'X';
    assert_eq!(
        Dex::parse_container(&b, &limits).unwrap_err().code(),
        "bad-dex-magic"
    );

    // Container over the size limit.
    let small = Limits {
        max_file_size: split,
        ..Limits::default()
    };
    assert_eq!(
        Dex::parse_container(&bytes, &small).unwrap_err().code(),
        "dex-too-large"
    );
}
