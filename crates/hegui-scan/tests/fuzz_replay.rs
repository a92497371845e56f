//! Replays the fuzzing corpora and crash regressions (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same entry code as the cargo-fuzz targets in
//! `fuzz/fuzz_targets/`, on stable, as an ordinary test. See fuzz/README.md.
//!
//! The harness bodies live in `fuzz/harness.rs`, shared with the fuzz targets. `axml` and
//! `arsc` inputs go through their own harness and, wrapped in a small APK as its
//! `AndroidManifest.xml` or `resources.arsc`, through the whole pipeline too.

use std::io::{Cursor, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_archive::{Budget, Limits, ZipArchive};

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

#[path = "../../../fuzz/harness.rs"]
mod harness;

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
    let axml_target = |data: &[u8]| {
        harness::axml::run(data);
        harness::apk::run(&apk_with(&[("AndroidManifest.xml", data)]));
    };
    let arsc_target = |data: &[u8]| {
        harness::arsc::run(data);
        harness::apk::run(&apk_with(&[
            ("AndroidManifest.xml", &manifest),
            ("resources.arsc", data),
        ]));
    };
    let targets: [Target<'_>; 17] = [
        ("zip", &harness::zip::run),
        ("axml", &axml_target),
        ("arsc", &arsc_target),
        ("dex", &harness::dex::run),
        ("signing", &harness::signing::run),
        ("apk", &harness::apk::run),
        ("plist", &harness::plist::run),
        ("macho", &harness::macho::run),
        ("miniapp", &harness::miniapp::run),
        ("minijs", &harness::minijs::run),
        ("policy", &harness::policy::run),
        ("trace_jsonl", &harness::trace_jsonl::run),
        ("har", &harness::har::run),
        ("uiautomator", &harness::uiautomator::run),
        ("mpsandbox", &harness::mpsandbox::run),
        ("mitm", &harness::mitm::run),
        ("listing", &harness::listing::run),
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
