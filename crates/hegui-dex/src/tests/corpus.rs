//! Optional check against real DEX files: set `HEGUI_DEX_CORPUS` to a folder
//! holding `*.dex` files (searched recursively), e.g. ones unzipped from APKs.
//! Without it this test does nothing. No corpus file is kept in the repository.

use std::path::{Path, PathBuf};

use super::Recorder;
use crate::{Dex, Limits};

fn find_dex(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            find_dex(&p, out);
        } else if p.extension().is_some_and(|x| x == "dex") {
            out.push(p);
        }
    }
}

#[test]
fn corpus_files_parse_and_walk_cleanly() {
    let Some(dir) = std::env::var_os("HEGUI_DEX_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    find_dex(Path::new(&dir), &mut files);
    assert!(!files.is_empty(), "no .dex files under {dir:?}");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let dexes = Dex::parse_container(&data, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for dex in &dexes {
            assert!(dex.checksum_ok(), "{}", path.display());
            let mut defined = 0;
            for class in dex.class_defs() {
                let class = class.unwrap();
                defined += dex.class_methods(&class).unwrap().len();
            }
            for i in 0..dex.string_count() {
                dex.string(i).unwrap();
            }
            for i in 0..dex.method_count() {
                dex.method_ref(i).unwrap();
            }
            let stats = dex.walk_code(&mut Recorder::default()).unwrap();
            assert_eq!(
                stats.bad_methods + stats.bad_classes,
                0,
                "{}",
                path.display()
            );
            assert_eq!(stats.classes, dex.class_def_count());
            if path.to_string_lossy().contains("appium-apidemos-5.0.0") {
                assert_eq!(dex.method_count(), 43541);
                assert_eq!(defined, 33456);
                assert_eq!(stats.instructions, 443_476);
            }
        }
    }
}
