//! Zip container parsing (central directory, ZIP64, local headers) and bounded inflation.
#![no_main]

use hegui_archive::{Budget, Limits, ZipArchive};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
