//! Replays the platform's fuzzing corpora (`fuzz/corpus/{sarif,challenge}/`, and crash
//! regressions under `fuzz/regressions/`) through the same entry code as the cargo-fuzz
//! targets, on stable, as an ordinary test. See fuzz/README.md.
#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../../fuzz/harness_platform.rs"]
mod harness_platform;

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for kind in ["corpus", "regressions"] {
        if let Ok(read) = std::fs::read_dir(fuzz.join(kind).join(target)) {
            files.extend(read.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    files
}

/// A fuzz target: its name and its entry.
type Target<'a> = (&'a str, &'a dyn Fn(&[u8]));

#[test]
fn platform_fuzz_corpora_replay_without_panics() {
    let targets: [Target<'_>; 2] = [
        ("sarif", &harness_platform::sarif::run),
        ("challenge", &harness_platform::challenge::run),
    ];
    let mut failures = Vec::new();
    for (target, run) in targets {
        let files = inputs(target);
        assert!(!files.is_empty(), "no corpus for fuzz target {target}");
        for path in files {
            let data = std::fs::read(&path).unwrap();
            if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
                failures.push(format!("{target}: {}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "inputs that panic: {failures:#?}");
}
