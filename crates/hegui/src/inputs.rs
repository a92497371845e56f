//! Expanding the command line's paths into the files to scan.

use std::path::{Path, PathBuf};

use hegui_archive::{Limits, Source};
use hegui_model::ArtifactKind;

/// One file to scan and whether the user named it directly.
pub struct Input {
    pub path: PathBuf,
    pub named: bool,
}

/// Files named directly are always scanned; files found in folders only when their content is
/// a supported package. Symbolic links inside folders are not followed (no loops, no escapes).
pub fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() && hegui_scan::is_app_dir(p) {
            out.push(Input {
                path: p.clone(),
                named: true,
            });
        } else if p.is_dir() {
            walk(p, &mut out, 0);
        } else {
            out.push(Input {
                path: p.clone(),
                named: true,
            });
        }
    }
    out
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
            out.push(Input { path, named: false });
        } else if ft.is_dir() {
            walk(&path, out, depth + 1);
        } else if ft.is_file() && is_package(&path) {
            out.push(Input { path, named: false });
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
