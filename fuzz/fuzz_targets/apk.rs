//! The whole pipeline: detect, unzip, manifest, resources, DEX, signing, native, rules.
#![no_main]

use std::time::Instant;

use hegui_archive::Limits;
use hegui_scan::{ScanOptions, scan_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
    // scan_bytes turns a panic into an "internal-error" entry; make it a crash again.
    if let Some(e) = report.errors.iter().find(|e| e.code == "internal-error") {
        panic!("internal-error: {}", e.message);
    }
});
