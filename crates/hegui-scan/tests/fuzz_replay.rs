//! Replays the fuzzing corpora and crash regressions (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same entry code as the cargo-fuzz targets in
//! `fuzz/fuzz_targets/`, on stable, as an ordinary test. See fuzz/README.md.
//!
//! The harness bodies are duplicated from the fuzz targets on purpose: the fuzz crate is its
//! own workspace and needs nightly features, this test must run in `cargo test`.
//! `hegui-axml` is not a dependency of this crate, so the `axml` and `arsc` inputs are
//! replayed through the whole pipeline instead, wrapped in a small APK as its
//! `AndroidManifest.xml` or `resources.arsc`.

use std::io::{Cursor, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_archive::{Budget, Limits, ZipArchive};
use hegui_dex::{CodeVisitor, Dex, DexError, InvokeKind, Site};
use hegui_scan::{ScanOptions, scan_bytes};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Every file of `corpus/<target>/` and `regressions/<target>/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

// ---- the harnesses (kept in step with fuzz/fuzz_targets/*.rs) ----

fn zip_target(data: &[u8]) {
    let limits = Limits {
        max_entry_size: 16 << 20,
        max_total_inflated: 64 << 20,
        ..Limits::default()
    };
    let _ = hegui_archive::is_zip(data);
    let Ok(zip) = ZipArchive::parse(data, &limits) else {
        return;
    };
    let _ = (zip.prefix_len(), zip.leading_len(), zip.anomalies().len());
    let _ = (zip.central_directory_offset(), zip.eocd_offset());
    let budget = Budget::new(&limits);
    for entry in zip.entries() {
        let _ = (entry.compression(), entry.is_dir());
        let _ = hegui_archive::sanitize_path(&entry.name);
        let _ = zip.by_name(&entry.name);
        if let Ok(bytes) = zip.read(entry, &limits, &budget) {
            assert!(bytes.len() as u64 <= limits.max_entry_size);
        }
    }
    assert!(
        budget.used()
            <= limits
                .max_total_inflated
                .saturating_add(limits.max_entry_size)
    );
}

struct Resolver<'d, 'a> {
    dex: &'d Dex<'a>,
}

impl CodeVisitor for Resolver<'_, '_> {
    fn enter_method(&mut self, class_idx: u32, method_idx: u32) -> bool {
        let _ = self.dex.type_descriptor(class_idx);
        let _ = self.dex.method_ref(method_idx);
        true
    }
    fn invoke(&mut self, _site: &Site, _kind: InvokeKind, method_idx: u32) {
        assert!(method_idx < self.dex.method_count());
        if let Ok(m) = self.dex.method_ref(method_idx) {
            let _ = self.dex.proto_signature(m.proto_idx);
        }
    }
    fn invoke_custom(&mut self, _site: &Site, call_site_idx: u32) {
        let count = self.dex.call_site_count();
        assert!(count == 0 || call_site_idx < count);
    }
    fn const_string(&mut self, _site: &Site, string_idx: u32) {
        assert!(string_idx < self.dex.string_count());
        let _ = self.dex.string(string_idx);
    }
    fn field_read(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
        assert!(field_idx < self.dex.field_count());
        let _ = self.dex.field_ref(field_idx);
    }
    fn field_write(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
        assert!(field_idx < self.dex.field_count());
        let _ = self.dex.field_ref(field_idx);
    }
    fn const_class(&mut self, _site: &Site, type_idx: u32) {
        assert!(type_idx < self.dex.type_count());
        let _ = self.dex.type_descriptor(type_idx);
    }
    fn new_instance(&mut self, _site: &Site, type_idx: u32) {
        assert!(type_idx < self.dex.type_count());
        let _ = self.dex.type_descriptor(type_idx);
    }
    fn malformed(&mut self, _class_idx: u32, _method_idx: Option<u32>, error: &DexError) {
        let _ = (error.code(), error.to_string());
    }
}

fn dex_target(data: &[u8]) {
    const MAX_METHODS: usize = 1 << 16;
    let _ = hegui_dex::is_dex(data);
    let Ok(sections) = Dex::parse_container(data, &hegui_dex::Limits::default()) else {
        return;
    };
    for dex in &sections {
        let _ = (dex.version(), dex.checksum_ok(), dex.method_handle_count());
        let _ = dex.walk_code(&mut Resolver { dex });
        let mut methods = 0usize;
        for class in dex.class_defs().take(1 << 14) {
            let Ok(class) = class else { continue };
            let _ = dex.type_descriptor(class.class_idx);
            if let Some(s) = class.superclass_idx {
                let _ = dex.type_descriptor(s);
            }
            let _ = dex.class_fields(&class);
            let Ok(list) = dex.class_methods(&class) else {
                continue;
            };
            for m in list {
                methods += 1;
                if methods > MAX_METHODS {
                    break;
                }
                let _ = dex.method_ref(m.method_idx);
                if let Ok(Some(code)) = dex.code_item(m.code_off) {
                    assert_eq!(code.insns.len() % 2, 0);
                }
            }
        }
    }
}

fn signing_target(data: &[u8]) {
    hegui_android::fuzz_signing(data);
}

fn apk_target(data: &[u8]) {
    let opts = ScanOptions {
        limits: Limits {
            max_file_size: 64 << 20,
            max_entry_size: 16 << 20,
            max_total_inflated: 64 << 20,
            ..Limits::default()
        },
        ..ScanOptions::default()
    };
    let report = scan_bytes("fuzz", data, &opts, Instant::now());
    if let Some(e) = report.errors.iter().find(|e| e.code == "internal-error") {
        panic!("internal-error: {}", e.message);
    }
}

/// A stored zip holding `files`, for replaying a lone manifest or table through the pipeline.
fn apk_with(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in files {
        zip.start_file(*name, stored).expect("start zip entry");
        zip.write_all(data).expect("write zip entry");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// The manifest of a fixture, so that a fuzzed `resources.arsc` gets references to resolve.
fn fixture_manifest() -> Vec<u8> {
    let apk = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/apk/privacy-basic.apk"),
    )
    .expect("read fixture APK");
    let limits = Limits::default();
    let zip = ZipArchive::parse(&apk, &limits).expect("fixture is a zip");
    zip.read_by_name("AndroidManifest.xml", &limits, &Budget::new(&limits))
        .expect("fixture has a manifest")
        .expect("fixture manifest reads")
        .into_owned()
}

/// A fuzz target's name and its harness.
type Target<'a> = (&'static str, &'a dyn Fn(&[u8]));

#[test]
fn fuzz_corpora_and_regressions_replay_without_panics() {
    let started = Instant::now();
    let manifest = fixture_manifest();
    let axml_target = |data: &[u8]| apk_target(&apk_with(&[("AndroidManifest.xml", data)]));
    let arsc_target = |data: &[u8]| {
        apk_target(&apk_with(&[
            ("AndroidManifest.xml", &manifest),
            ("resources.arsc", data),
        ]))
    };
    let targets: [Target<'_>; 6] = [
        ("zip", &zip_target),
        ("axml", &axml_target),
        ("arsc", &arsc_target),
        ("dex", &dex_target),
        ("signing", &signing_target),
        ("apk", &apk_target),
    ];
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for (target, harness) in targets {
        let mut replayed = 0usize;
        for path in &inputs(target) {
            let data = match std::fs::read(path) {
                Ok(data) => data,
                // A running fuzzer may replace a corpus file between listing and reading.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("read {}: {e}", path.display()),
            };
            replayed += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| harness(&data))) {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                failures.push(format!("{target}: {}: {what}", path.display()));
            }
        }
        counts.push((target, replayed));
    }
    eprintln!(
        "replayed {counts:?} in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let empty: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(t, _)| *t)
        .collect();
    assert!(
        empty.is_empty(),
        "no corpus files for fuzz targets {empty:?} under {}",
        fuzz_dir().display()
    );
    assert!(
        failures.is_empty(),
        "{} fuzz input(s) panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
