//! Parses DEX files given on the command line, walks all their code, and
//! prints counts and timings: `cargo run --release --example dexwalk -- classes.dex`.

use std::time::Instant;

use hegui_dex::{CodeVisitor, Dex, DexError, InvokeKind, Limits, Site};

#[derive(Default)]
struct Counter<'a> {
    data: &'a [u8],
    invokes: u64,
    strings: u64,
    fields: u64,
    /// Sites whose byte is not an opcode of the reported kind.
    misplaced: u64,
    problems: Vec<String>,
}

impl Counter<'_> {
    fn opcode_in(&mut self, site: &Site, ops: std::ops::RangeInclusive<u8>) {
        match self.data.get(site.file_offset as usize) {
            Some(op) if ops.contains(op) => {}
            _ => self.misplaced += 1,
        }
    }
}

impl CodeVisitor for Counter<'_> {
    fn invoke(&mut self, site: &Site, kind: InvokeKind, _method_idx: u32) {
        self.invokes += 1;
        let ops = if kind == InvokeKind::Polymorphic {
            0xfa..=0xfb
        } else {
            0x6e..=0x78
        };
        self.opcode_in(site, ops);
    }
    fn const_string(&mut self, site: &Site, _string_idx: u32) {
        self.strings += 1;
        self.opcode_in(site, 0x1a..=0x1b);
    }
    fn field_read(&mut self, site: &Site, _field_idx: u32, is_static: bool) {
        self.fields += 1;
        self.opcode_in(site, if is_static { 0x60..=0x66 } else { 0x52..=0x58 });
    }
    fn malformed(&mut self, class_idx: u32, method_idx: Option<u32>, error: &DexError) {
        if self.problems.len() < 5 {
            self.problems
                .push(format!("class {class_idx} method {method_idx:?}: {error}"));
        }
    }
}

fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        let t0 = Instant::now();
        let dexes = match Dex::parse_container(&data, &Limits::default()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {} ({})", e, e.code());
                failed = true;
                continue;
            }
        };
        let parse = t0.elapsed();
        for dex in &dexes {
            let t1 = Instant::now();
            let mut defined = 0u64;
            let mut class_errors = 0u64;
            for class in dex.class_defs() {
                match class.and_then(|c| dex.class_methods(&c)) {
                    Ok(m) => defined += m.len() as u64,
                    Err(_) => class_errors += 1,
                }
            }
            let list = t1.elapsed();
            let t2 = Instant::now();
            let mut counter = Counter {
                data: dex.data(),
                ..Counter::default()
            };
            let stats = dex.walk_code(&mut counter);
            let walk = t2.elapsed();
            println!(
                "{path}: v{:03} {} bytes, checksum {}, strings {}, types {}, method_ids {}, field_ids {}, class_defs {}",
                dex.version(),
                dex.header().file_size,
                if dex.checksum_ok() { "ok" } else { "BAD" },
                dex.string_count(),
                dex.type_count(),
                dex.method_count(),
                dex.field_count(),
                dex.class_def_count(),
            );
            println!(
                "  defined methods {defined} (class errors {class_errors}), listed in {list:?}"
            );
            match stats {
                Ok(s) => println!(
                    "  walk {walk:?} (parse {parse:?}): {s:?}; invokes {}, const-strings {}, field reads {}, misplaced sites {}",
                    counter.invokes, counter.strings, counter.fields, counter.misplaced
                ),
                Err(e) => {
                    println!("  walk failed: {e} ({})", e.code());
                    failed = true;
                }
            }
            let t3 = Instant::now();
            let mut decode_errors = 0u64;
            for i in 0..dex.string_count() {
                decode_errors += u64::from(dex.string(i).is_err());
            }
            for i in 0..dex.method_count() {
                decode_errors += u64::from(dex.method_ref(i).is_err());
            }
            for i in 0..dex.field_count() {
                decode_errors += u64::from(dex.field_ref(i).is_err());
            }
            for i in 0..dex.proto_count() {
                decode_errors += u64::from(dex.proto_signature(i as u16).is_err());
            }
            println!(
                "  decoded all strings, method/field refs, signatures in {:?}: {decode_errors} errors",
                t3.elapsed()
            );
            for p in &counter.problems {
                println!("  problem: {p}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
