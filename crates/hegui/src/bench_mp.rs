//! `hegui bench` for mini-programs: scan time against the floor, both in this process.
//!
//! The floor is what any scanner of a mini-program must pay before it can look at the code:
//! read the package, decrypt it (PC packages), walk its index and decode every file as text;
//! for a project folder, read every file. The scan is the whole pipeline (`scan_path`):
//! reading, parsing every script with oxc, templates, rules. A third reference is the floor
//! plus parsing every `.js` file with oxc and looking at nothing (in parallel and biggest
//! files first, as the scan does): what any tool that really parses the code pays. All run
//! interleaved `runs` times; medians are compared, and the JavaScript parsed per second of
//! scan is reported.

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

/// Bytes of text decoded from one package: the floor's work (and parsing its scripts).
fn decode_package(path: &Path, parse: bool) -> u64 {
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
    parsed.map_or(0, |pkg| decode_entries(&pkg, parse))
}

/// Every entry, scheduled as the scan schedules them (biggest first, in parallel).
fn decode_entries(pkg: &Package<'_>, parse: bool) -> u64 {
    hegui_scan::par_map_largest_first(
        &pkg.entries,
        |e| e.size as usize,
        |e| decode(&e.name, pkg.read(e), parse),
    )
    .into_iter()
    .sum()
}

fn decode(name: &str, bytes: &[u8], parse: bool) -> u64 {
    // As the scan decodes: UTF-8 checked, the lossy decoder only for what is not.
    let text = hegui_scan::decode_miniprogram_text(bytes);
    if parse {
        // Every script the scan parses: `.js`/`.ts`/`.wxs` files and the inline `<script>`
        // blocks of old packages' HTML pages.
        std::hint::black_box(hegui_scan::parse_miniprogram_file(name, bytes));
    }
    text.len() as u64
}

/// Files below a folder (symbolic links not followed, build inputs skipped).
fn files_below(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() && entry.file_name() != "node_modules" && entry.file_name() != ".git" {
            files_below(&path, depth + 1, out);
        } else if ft.is_file() {
            out.push(path);
        }
    }
}

/// Read and decode everything (and parse the scripts when `parse`).
fn floor(path: &Path, parse: bool) -> u64 {
    if !path.is_dir() {
        return decode_package(path, parse);
    }
    let mut files = Vec::new();
    files_below(path, 0, &mut files);
    let sized: Vec<_> = files
        .iter()
        .map(|p| (p, std::fs::metadata(p).map_or(0, |m| m.len() as usize)))
        .collect();
    hegui_scan::par_map_largest_first(
        &sized,
        |(_, size)| *size,
        |(p, _)| {
            if p.extension().is_some_and(|e| e == "wxapkg") {
                decode_package(p, parse)
            } else {
                std::fs::read(p).map_or(0, |b| decode(&p.to_string_lossy(), &b, parse))
            }
        },
    )
    .into_iter()
    .sum()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// One measured input.
pub struct Row {
    pub floor: Duration,
    /// The floor plus parsing the scripts.
    pub parse: Duration,
    pub scan: Duration,
    pub js_bytes: u64,
}

pub fn measure(path: &Path, runs: usize) -> Row {
    let opts = hegui_scan::ScanOptions::default();
    let mut floors = Vec::new();
    let mut parses = Vec::new();
    let mut scans = Vec::new();
    let mut js_bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(floor(path, false));
        floors.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(floor(path, true));
        parses.push(t.elapsed());
        let t = Instant::now();
        let report = hegui_scan::scan_path(path, &opts);
        scans.push(t.elapsed());
        js_bytes = report.facts.miniprogram.as_ref().map_or(0, |m| m.js_bytes);
        std::hint::black_box(report);
    }
    Row {
        floor: median(floors),
        parse: median(parses),
        scan: median(scans),
        js_bytes,
    }
}

pub fn print_header() {
    println!(
        "{:<40} {:>8} {:>8} {:>8} {:>7} {:>9} {:>7} {:>8}",
        "mini-program", "floor ms", "parse ms", "scan ms", "ratio", "vs parse", "JS MiB", "JS MB/s"
    );
}

/// Print one row; returns the ratios to the floor and to the parse reference.
pub fn print_row(name: &str, row: &Row) -> (f64, f64) {
    let ratio = row.scan.as_secs_f64() / row.floor.as_secs_f64().max(1e-6);
    let vs_parse = row.scan.as_secs_f64() / row.parse.as_secs_f64().max(1e-6);
    let mb = row.js_bytes as f64 / 1e6;
    println!(
        "{:<40} {:>8.1} {:>8.1} {:>8.1} {:>6.2}x {:>8.2}x {:>7.2} {:>8.1}",
        name,
        row.floor.as_secs_f64() * 1e3,
        row.parse.as_secs_f64() * 1e3,
        row.scan.as_secs_f64() * 1e3,
        ratio,
        vs_parse,
        row.js_bytes as f64 / (1024.0 * 1024.0),
        mb / row.scan.as_secs_f64().max(1e-9)
    );
    (ratio, vs_parse)
}
