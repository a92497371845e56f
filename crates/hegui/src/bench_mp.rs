//! `hegui bench` for mini-programs: scan time against the floor, both in this process.
//!
//! The floor is what any scanner of a mini-program must pay before it can look at the code:
//! read the package, decrypt it (PC packages), walk its index and decode every file as text;
//! for a project folder, read every file. The scan is the whole pipeline (`scan_path`):
//! reading, parsing every script with oxc, templates, rules. Both run interleaved `runs`
//! times; medians are compared, and the JavaScript parsed per second of scan is reported.

use std::path::Path;
use std::time::{Duration, Instant};

use hegui_archive::miniapp::{
    Package, appid_from_path, decrypt_v1mmwx, is_tpkg, is_v1mmwx, is_wxapkg, parse_tpkg,
    parse_wxapkg,
};

/// A mini-program input: a package file or a project / packages folder.
pub fn is_miniprogram(path: &Path) -> bool {
    if path.is_dir() {
        return hegui_scan::is_app_dir(path);
    }
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = head.get(..n).unwrap_or_default();
    is_wxapkg(head) || is_v1mmwx(head) || is_tpkg(head)
}

/// Bytes of text decoded from one package: the floor's work.
fn decode_package(path: &Path) -> u64 {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let plain;
    let data: &[u8] = if is_v1mmwx(&bytes) {
        let appid = appid_from_path(&path.to_string_lossy()).unwrap_or_default();
        match decrypt_v1mmwx(&bytes, &appid) {
            Ok(p) => {
                plain = p;
                &plain
            }
            Err(_) => return 0,
        }
    } else {
        &bytes
    };
    let parsed = if is_tpkg(data) {
        parse_tpkg(data)
    } else {
        parse_wxapkg(data)
    };
    parsed.map_or(0, |pkg| decode_entries(&pkg))
}

fn decode_entries(pkg: &Package<'_>) -> u64 {
    pkg.entries
        .iter()
        .map(|e| String::from_utf8_lossy(pkg.read(e)).len() as u64)
        .sum()
}

/// Every file below a folder, read and decoded (symbolic links not followed).
fn decode_dir(dir: &Path, depth: usize) -> u64 {
    if depth > 32 {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut total = 0;
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() && entry.file_name() != "node_modules" && entry.file_name() != ".git" {
            total += decode_dir(&path, depth + 1);
        } else if ft.is_file() {
            total += if path.extension().is_some_and(|e| e == "wxapkg") {
                decode_package(&path)
            } else {
                std::fs::read(&path).map_or(0, |b| String::from_utf8_lossy(&b).len() as u64)
            };
        }
    }
    total
}

fn floor(path: &Path) -> u64 {
    if path.is_dir() {
        decode_dir(path, 0)
    } else {
        decode_package(path)
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// One measured input.
pub struct Row {
    pub floor: Duration,
    pub scan: Duration,
    pub js_bytes: u64,
}

pub fn measure(path: &Path, runs: usize) -> Row {
    let opts = hegui_scan::ScanOptions::default();
    let mut floors = Vec::new();
    let mut scans = Vec::new();
    let mut js_bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(floor(path));
        floors.push(t.elapsed());
        let t = Instant::now();
        let report = hegui_scan::scan_path(path, &opts);
        scans.push(t.elapsed());
        js_bytes = report.facts.miniprogram.as_ref().map_or(0, |m| m.js_bytes);
        std::hint::black_box(report);
    }
    Row {
        floor: median(floors),
        scan: median(scans),
        js_bytes,
    }
}

pub fn print_header() {
    println!(
        "{:<44} {:>9} {:>9} {:>7} {:>8} {:>9}",
        "mini-program", "floor ms", "scan ms", "ratio", "JS MiB", "JS MB/s"
    );
}

/// Print one row; returns the ratio.
pub fn print_row(name: &str, row: &Row) -> f64 {
    let ratio = row.scan.as_secs_f64() / row.floor.as_secs_f64().max(1e-6);
    let mb = row.js_bytes as f64 / 1e6;
    println!(
        "{:<44} {:>9.1} {:>9.1} {:>6.2}x {:>8.2} {:>9.1}",
        name,
        row.floor.as_secs_f64() * 1e3,
        row.scan.as_secs_f64() * 1e3,
        ratio,
        row.js_bytes as f64 / (1024.0 * 1024.0),
        mb / row.scan.as_secs_f64().max(1e-9)
    );
    ratio
}
