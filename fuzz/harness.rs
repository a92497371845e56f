//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (cargo-fuzz) and by
//! `crates/hegui-scan/tests/fuzz_replay.rs` (replays the corpora on stable in `cargo test`), so
//! the two never drift apart. Each target is a module with `pub fn run(data: &[u8])`.
#![allow(dead_code)]

/// Zip container parsing (central directory, ZIP64, local headers) and bounded inflation.
pub mod zip {

    use hegui_archive::{Budget, Limits, ZipArchive};

    pub fn run(data: &[u8]) {
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
    }
}

/// Android binary XML (AndroidManifest.xml, res/xml/*.xml) and every accessor of the tree.
pub mod axml {

    use hegui_axml::{Element, Limits, parse_xml};

    /// Attribute names a scanner asks for: framework ids, plain names, and one unknown.
    const NAMES: &[&str] = &[
        "name",
        "label",
        "exported",
        "enabled",
        "permission",
        "minSdkVersion",
        "targetSdkVersion",
        "versionCode",
        "debuggable",
        "allowBackup",
        "usesCleartextTraffic",
        "networkSecurityConfig",
        "no-such-attribute",
    ];

    fn visit(element: &Element) {
        for name in NAMES {
            let _ = element.attr(name);
            let _ = element.attr_str(name);
            let _ = element.attr_bool(name);
            let _ = element.attr_int(name);
            let _ = element.attr_plain(name);
            let _ = element.attr_ns(None, name);
            let _ = element.attr_ns(Some(hegui_axml::ANDROID_NS), name);
        }
        for attribute in &element.attributes {
            let _ = (
                attribute.as_string(),
                attribute.as_bool(),
                attribute.as_int(),
            );
            let _ = attribute.value.to_string();
            let _ = element.attr(&attribute.name);
        }
        let _ = element.children_named(&element.name).count();
        let _ = element.children_named("application").count();
    }

    pub fn run(data: &[u8]) {
        let _ = hegui_axml::is_axml(data);
        let Ok(doc) = parse_xml(data, &Limits::default()) else {
            return;
        };
        let mut seen = 0usize;
        for element in doc.root.descendants() {
            visit(element);
            seen += 1;
        }
        assert!(seen >= 1);
    }
}

/// Resource tables (resources.arsc) and every lookup, for ids in the table and from the input.
pub mod arsc {

    use hegui_axml::{EntryBody, Limits, ResourceTable, parse_arsc};

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

    pub fn run(data: &[u8]) {
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
    }
}

/// DEX files and DEX 041 containers: tables, class data, code items and the instruction walker,
/// resolving every index the walker hands out.
pub mod dex {

    use hegui_dex::{CodeVisitor, Dex, DexError, InvokeKind, Limits, Site};

    /// Resolves every index it is given; the walker promises they are in range.
    struct Resolver<'d, 'a> {
        dex: &'d Dex<'a>,
    }

    impl CodeVisitor for Resolver<'_, '_> {
        fn enter_method(&mut self, class_idx: u32, method_idx: u32) -> bool {
            let _ = self.dex.type_descriptor(class_idx);
            let _ = self.dex.method_ref(method_idx);
            true
        }
        fn invoke(&mut self, _site: &Site, _kind: InvokeKind, method_idx: u32) {
            assert!(method_idx < self.dex.method_count());
            if let Ok(m) = self.dex.method_ref(method_idx) {
                let _ = self.dex.proto_signature(m.proto_idx);
            }
        }
        fn invoke_custom(&mut self, _site: &Site, call_site_idx: u32) {
            // Checked only when the map lists a call_site_ids table (else passed as read).
            let count = self.dex.call_site_count();
            assert!(count == 0 || call_site_idx < count);
        }
        fn const_string(&mut self, _site: &Site, string_idx: u32) {
            assert!(string_idx < self.dex.string_count());
            let _ = self.dex.string(string_idx);
        }
        fn field_read(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
            assert!(field_idx < self.dex.field_count());
            let _ = self.dex.field_ref(field_idx);
        }
        fn field_write(&mut self, _site: &Site, field_idx: u32, _is_static: bool) {
            assert!(field_idx < self.dex.field_count());
            let _ = self.dex.field_ref(field_idx);
        }
        fn const_class(&mut self, _site: &Site, type_idx: u32) {
            assert!(type_idx < self.dex.type_count());
            let _ = self.dex.type_descriptor(type_idx);
        }
        fn new_instance(&mut self, _site: &Site, type_idx: u32) {
            assert!(type_idx < self.dex.type_count());
            let _ = self.dex.type_descriptor(type_idx);
        }
        fn malformed(&mut self, _class_idx: u32, _method_idx: Option<u32>, error: &DexError) {
            let _ = (error.code(), error.to_string());
        }
    }

    /// Most class-data methods looked at outside the walker (keeps pathological inputs fast).
    const MAX_METHODS: usize = 1 << 16;

    pub fn run(data: &[u8]) {
        let _ = hegui_dex::is_dex(data);
        let limits = Limits::default();
        let Ok(sections) = Dex::parse_container(data, &limits) else {
            return;
        };
        for dex in &sections {
            let _ = (dex.version(), dex.checksum_ok(), dex.method_handle_count());
            let _ = dex.walk_code(&mut Resolver { dex });
            let mut methods = 0usize;
            for class in dex.class_defs().take(1 << 14) {
                let Ok(class) = class else { continue };
                let _ = dex.type_descriptor(class.class_idx);
                if let Some(s) = class.superclass_idx {
                    let _ = dex.type_descriptor(s);
                }
                let _ = dex.class_fields(&class);
                if let Ok(values) = dex.static_values(&class) {
                    for v in values {
                        if let hegui_dex::StaticValue::String(i) = v {
                            assert!(dex.string(i).is_ok() || i < dex.string_count());
                        }
                    }
                }
                let Ok(list) = dex.class_methods(&class) else {
                    continue;
                };
                for m in list {
                    methods += 1;
                    if methods > MAX_METHODS {
                        break;
                    }
                    let _ = dex.method_ref(m.method_idx);
                    if let Ok(Some(code)) = dex.code_item(m.code_off) {
                        assert_eq!(code.insns.len() % 2, 0);
                    }
                }
            }
        }
    }
}

/// APK Signing Block, PKCS#7 (v1 .RSA/.DSA/.EC) and v2/v3 scheme walkers.
pub mod signing {

    pub fn run(data: &[u8]) {
        hegui_android::fuzz_signing(data);
    }
}

/// The whole pipeline: detect, unzip, manifest, resources, DEX, signing, native, rules.
pub mod apk {

    use std::time::Instant;

    use hegui_archive::Limits;
    use hegui_scan::{ScanOptions, scan_bytes};

    pub fn run(data: &[u8]) {
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
    }
}

/// Property lists (XML, binary, ASCII) and `.strings` files through hegui-ios's bounded
/// reader (size and nesting limits, then the `plist` crate).
pub mod plist {
    pub fn run(data: &[u8]) {
        let _ = hegui_ios::parse_plist(data);
        let _ = hegui_ios::parse_strings(data);
    }
}

/// Mach-O files, thin and fat: load commands, symbols, Objective-C sections, code signature.
pub mod macho {
    pub fn run(data: &[u8]) {
        if let Ok(scan) = hegui_ios::scan_macho(data) {
            assert!(
                !scan.archs.is_empty(),
                "a read Mach-O names its architecture"
            );
        }
    }
}

/// Mini-program packages: `.wxapkg`, `TPKG`, and `V1MMWX` decryption with a fixed appid (the
/// fuzzer finds its way past the padding check only rarely; the index checks are the target).
pub mod miniapp {
    use hegui_archive::miniapp::{decrypt_v1mmwx, parse_tpkg, parse_wxapkg};

    pub fn run(data: &[u8]) {
        for pkg in [parse_wxapkg(data), parse_tpkg(data)].into_iter().flatten() {
            for entry in &pkg.entries {
                assert_eq!(pkg.read(entry).len() as u64, entry.size);
            }
        }
        if let Ok(plain) = decrypt_v1mmwx(data, "wx0123456789abcdef") {
            let _ = parse_wxapkg(&plain);
        }
        // The whole mini-program extractor over the package and every file in it.
        let _ = hegui_miniprogram::extract_package("wx0123456789abcdef-pc.wxapkg", data, None);
    }
}

pub mod minijs {
    /// Scripts, templates and HTML pages of mini-programs: every site is 1-based, every secret
    /// masked, every URL bounded.
    pub fn run(data: &[u8]) {
        for name in ["a.js", "pages/a.wxml", "page-frame.html"] {
            let facts = hegui_miniprogram::extract_file(name, data);
            let sites = facts
                .api_calls
                .iter()
                .map(|c| (c.line, c.col))
                .chain(facts.open_types.iter().map(|o| (o.site.line, o.site.col)))
                .chain(
                    facts
                        .http_endpoints
                        .iter()
                        .map(|e| (e.site.line, e.site.col)),
                )
                .chain(facts.secrets.iter().map(|s| (s.site.line, s.site.col)));
            for (line, col) in sites {
                assert!(line >= 1 && col >= 1, "{name}: site {line}:{col}");
            }
            for s in &facts.secrets {
                assert!(s.masked.contains('…') && s.masked.chars().count() <= 16);
            }
            for e in &facts.http_endpoints {
                assert!(
                    e.url.len() <= 512 + 8,
                    "{name}: URL of {} bytes",
                    e.url.len()
                );
            }
        }
    }
}

pub mod policy {
    /// Policy texts in any encoding and markup: no panic, every span's quote is what its
    /// code-point offsets cover, and no span runs past the text.
    pub fn run(data: &[u8]) {
        let Ok(facts) = hegui_policy::analyse("p", data, hegui_knowledge::sdk_catalog()) else {
            return;
        };
        let spans = facts
            .elements
            .values()
            .flat_map(|e| e.evidence.iter())
            .chain(facts.pi_types.iter().map(|d| &d.span))
            .chain(facts.third_parties.iter().map(|t| &t.span))
            .chain(facts.retention.iter())
            .chain(facts.response_times.iter().map(|r| &r.span))
            .chain(facts.contacts.iter().map(|c| &c.span))
            .chain(facts.pi_mentions.iter().map(|m| &m.span))
            .chain(facts.practices.iter().flat_map(|p| {
                [
                    Some(&p.verb),
                    Some(&p.sentence),
                    p.purpose.as_ref(),
                    p.condition.as_ref(),
                ]
                .into_iter()
                .flatten()
            }))
            .chain(facts.permission_groups.iter().flat_map(|g| g.spans.iter()));
        // Lists are capped; a practice names only mentions that exist.
        assert!(facts.pi_mentions.len() <= 5000 && facts.practices.len() <= 3000);
        for p in &facts.practices {
            assert!(p.pi.iter().all(|i| (*i as usize) < facts.pi_mentions.len()));
        }
        for span in spans {
            if let Some(src) = span.source {
                assert!(src.start <= src.end, "{span:?}");
            }
            assert!(
                span.start <= span.end && span.end <= facts.chars,
                "{span:?}"
            );
            assert_eq!(
                span.quote.chars().count() as u32,
                span.end - span.start,
                "{span:?}"
            );
        }
    }
}

/// A trace read whole (bounded state whatever the input), and each line's fast-path parse
/// compared with serde's: the fast path may give up, never disagree.
pub mod trace_jsonl {
    use hegui_trace::event::{Event, fast_parse, to_json_line};

    pub fn run(data: &[u8]) {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
        let _ = hegui_trace::read_jsonl(&mut a, "fuzz", data);
        let (facts, errors) = a.finish();
        assert!(facts.collections.len() <= 20_000 && errors.len() <= 201);
        // Each line alone, and through one parser for all lines as the reader uses it
        // (values remembered from earlier lines must read as serde reads them here).
        let mut parser = hegui_trace::fast::LineParser::new();
        for line in data.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            for fast in [fast_parse(line), parser.parse(line)].into_iter().flatten() {
                let slow = serde_json::from_slice::<Event<'_>>(line);
                let Ok(slow) = slow else {
                    panic!("the fast path accepted a line serde rejects: {slow:?}");
                };
                assert_eq!(to_json_line(&fast), to_json_line(&slow));
            }
        }
    }
}

/// `uiautomator dump` XML: parsed alone, and carried in a trace's `ui_snapshot` with a tap
/// after it (the screen names the tap).
pub mod mpsandbox {
    use std::time::Duration;

    /// Any script as a mini-program's `app.js` and as a page, run in the sandbox under small
    /// budgets: the run always ends, within its time, with a well-formed trace.
    pub fn run(data: &[u8]) {
        let source = String::from_utf8_lossy(data).into_owned();
        let program = hegui_mpsandbox::Program {
            appid: None,
            scripts: vec![
                ("app.js".into(), source.clone()),
                ("pages/a/a.js".into(), source),
            ],
            app_config: Some(serde_json::json!({ "pages": ["pages/a/a"] })),
        };
        let limits = hegui_mpsandbox::Limits {
            memory_bytes: 32 << 20,
            time: Duration::from_millis(100),
            ..hegui_mpsandbox::Limits::default()
        };
        let started = std::time::Instant::now();
        let outcome = hegui_mpsandbox::run(&program, &limits);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the budget did not hold"
        );
        let mut last = String::new();
        for line in outcome.jsonl.lines() {
            let event: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            last = event["type"].as_str().unwrap_or_default().to_string();
        }
        assert_eq!(last, "trace_end");
    }
}

pub mod uiautomator {
    use hegui_trace::import::uiautomator::parse_dump;

    pub fn run(data: &[u8]) {
        let Ok(xml) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(dump) = parse_dump(xml) {
            assert!(dump.elements.len() <= 5_000);
            for e in &dump.elements {
                let _ = e.rect();
                let _ = e.label();
            }
        }
        let snapshot = serde_json::json!({
            "v": 1, "seq": 1, "type": "ui_snapshot", "ts": "2026-01-05T10:00:01.000+08:00",
            "run_id": "r1", "src": {"tool": "fuzz"}, "screen": "fuzz", "xml": xml,
        });
        let trace = format!(
            "{}\n{}\n{}\n",
            r#"{"v":1,"seq":0,"type":"trace_start","ts":"2026-01-05T10:00:00.000+08:00","run_id":"r1","src":{"tool":"fuzz"},"app":{"package":"com.example","platform":"android"}}"#,
            snapshot,
            r#"{"v":1,"seq":2,"type":"ui_action","ts":"2026-01-05T10:00:02.000+08:00","run_id":"r1","src":{"tool":"fuzz"},"action":"tap","target":{"bounds":"[0,0][100,100]"}}"#,
        );
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
        let _ = hegui_trace::read_jsonl(&mut a, "fuzz", trace.as_bytes());
        let _ = a.finish();
    }
}

/// HAR captures through the streaming reader and the traffic scanner.
pub mod har {
    pub fn run(data: &[u8]) {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
        let _ = hegui_trace::import::har::read_har(&mut a, "fuzz.har", data);
        let (facts, _) = a.finish();
        for flow in &facts.network.pi_flows {
            assert!(!flow.hits.is_empty());
        }
    }
}

/// mitmproxy flow files: tnetstrings nested and truncated.
pub mod mitm {
    pub fn run(data: &[u8]) {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
        let _ = hegui_trace::import::mitm::read_flows(&mut a, "fuzz.mitm", data);
        let _ = a.finish();
        let _ = hegui_trace::import::parse_tnetstring(data);
    }
}

/// Store listing feeds (JSON Lines): every line parsed or refused with its line number.
pub mod listing {
    pub fn run(data: &[u8]) {
        let mut lines = 0usize;
        for listing in hegui_scan::read_feed("fuzz.jsonl", data) {
            lines += 1;
            if let Ok(listing) = listing {
                assert!(listing.facts.permissions.len() <= data.len());
            }
        }
        assert!(lines <= data.len() + 1);
    }
}
