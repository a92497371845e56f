//! Expanding the command line's paths into the files to scan.

use std::path::{Path, PathBuf};

use hegui_archive::{Limits, Source};
use hegui_model::ArtifactKind;

/// One file or folder to scan.
pub struct Input {
    pub path: PathBuf,
}

/// The command line's paths: the inputs to scan, and the paths that name nothing.
pub struct Expanded {
    pub inputs: Vec<Input>,
    /// Paths that do not exist: reported by name, never scanned or counted as packages.
    pub missing: Vec<PathBuf>,
}

/// Files named directly are always scanned; files found in folders only when their content is
/// a supported package. Symbolic links inside folders are not followed (no loops, no escapes).
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if matches!(p.try_exists(), Ok(false)) {
            missing.push(p.clone());
        } else if p.is_dir() && hegui_scan::is_app_dir(p) {
            out.push(Input { path: p.clone() });
        } else if p.is_dir() {
            walk(p, &mut out, 0);
        } else {
            out.push(Input { path: p.clone() });
        }
    }
    Expanded {
        inputs: out,
        missing,
    }
}

const MAX_DEPTH: usize = 32;

fn walk(dir: &Path, out: &mut Vec<Input>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() && hegui_scan::is_app_dir(&path) {
            // A mini-program project or one app's packages: one input, one report.
            out.push(Input { path });
        } else if ft.is_dir() {
            walk(&path, out, depth + 1);
        } else if ft.is_file() && is_package(&path) {
            out.push(Input { path });
        }
    }
}

fn is_package(path: &Path) -> bool {
    if hegui_scan::trace_kind(path).is_some() {
        return true;
    }
    Source::open(path, &Limits::default())
        .map(|s| hegui_scan::detect_kind(&s) != ArtifactKind::Unknown)
        .unwrap_or(false)
}
