//! Resource tables (resources.arsc) and every lookup, for ids in the table and from the input.
#![no_main]

use hegui_axml::{EntryBody, Limits, ResourceTable, parse_arsc};
use libfuzzer_sys::fuzz_target;

const LOCALES: &[&str] = &["zh-CN", "zh-rCN", "zh", "en", ""];

fn lookups(table: &ResourceTable, id: u32) {
    let _ = table.resolve_string(id, LOCALES);
    let _ = table.resolve_file_path(id);
    let _ = table.entry_name(id);
    for (config, value) in table.values(id) {
        let _ = (
            config.locale(),
            config.is_default_locale(),
            value.to_string(),
        );
    }
    for (_, entry) in table.entries(id) {
        if let EntryBody::Map { items, .. } = &entry.body {
            for (_, raw) in items {
                let _ = table.value(*raw).to_string();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(table) = parse_arsc(data, &Limits::default()) else {
        return;
    };
    // Ids the table defines (bounded, so a table of millions of entries stays fast).
    let mut ids = Vec::new();
    for package in &table.packages {
        let _ = (package.type_strings.len(), package.key_strings.len());
        for table_type in &package.types {
            for entry in &table_type.entries {
                if ids.len() < 4096 {
                    ids.push(
                        (package.id << 24)
                            | (u32::from(table_type.id) << 16)
                            | u32::from(entry.index),
                    );
                }
            }
        }
    }
    // And a few arbitrary ones taken from the input.
    ids.extend(
        data.chunks_exact(4)
            .take(16)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
    );
    ids.extend([0, u32::MAX, 0x7f01_0000, 0x0101_0000]);
    for id in ids {
        lookups(&table, id);
    }
    for i in 0..table.strings.len().min(4096) {
        let _ = table.strings.get(i as u32);
    }
});
