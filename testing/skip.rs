//! How a test that cannot run here says so. Shared by the test crates through `#[path]`
//! (as fuzz/harness.rs is): a skip must show in `cargo test` output, not pass silently.
#![allow(dead_code)] // each test crate uses part of it

use std::io::Write;

/// `test` cannot run here because of `why`; `how` makes it run. When `required` (CI, or a
/// `HEGUI_REQUIRE_*` that `.ci/run` sets) it fails instead. Written to stderr directly:
/// libtest captures `eprintln!` of a passing test, which would hide the line.
pub fn skip(test: &str, why: &str, how: &str, required: bool) {
    assert!(!required, "{test}: {why}; this run requires it ({how})");
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {why}, run with {how}");
}

/// The shared corpus (`../shared/corpus/…`) is missing: a skip by hand, a failure under CI
/// (`CI=true`), where it is checked out.
pub fn corpus_missing(test: &str, corpus: &str) {
    skip(
        test,
        &format!("{corpus} not present"),
        &format!("{corpus} checked out beside the repository (CI=true makes its absence fail)"),
        on_ci(),
    );
}

/// `CI` set to anything but empty, `0` or `false` (CI services set `CI=true`).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}
