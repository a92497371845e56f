//! Side by side: hegui's SDK detection vs the εxodus method, on the same APKs.
//!
//! The εxodus method, reimplemented for comparison only (not part of the product): list the
//! class names of every DEX (dexdump's "Class descriptor" lines, dotted), then for every
//! tracker search its `code_signature` in every name with Python `re.search` semantics
//! (unanchored, `.` matches any character, `\.` a dot, `^` anchors, `|` separates
//! alternatives — the only regex syntax the tracker list uses).
//!
//! ```text
//! cargo run --release -p hegui-scan --example exodus_compare -- \
//!     ../shared/corpus/apk ../shared/corpus/peers/exodus_trackers.json
//! ```
//!
//! A tracker and an SDK are "the same" when most classes the tracker matched are attributed
//! to that SDK by hegui.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hegui_archive::{Budget, Limits, ZipArchive};
use hegui_dex::{Dex, descriptor_to_java};
use hegui_scan::{ScanOptions, scan_path};
use serde_json::Value;

struct Tracker {
    name: String,
    alternatives: Vec<Pattern>,
}

/// One `|` alternative, compiled once: `None` is `.` (any byte).
struct Pattern {
    anchored: bool,
    tokens: Vec<Option<u8>>,
}

impl Pattern {
    fn compile(alternative: &str) -> Self {
        let anchored = alternative.starts_with('^');
        let mut tokens = Vec::new();
        let mut bytes = alternative.trim_start_matches('^').bytes();
        while let Some(b) = bytes.next() {
            match b {
                b'\\' => tokens.push(bytes.next()),
                b'.' => tokens.push(None),
                b => tokens.push(Some(b)),
            }
        }
        Pattern { anchored, tokens }
    }

    /// Python `re.search` for the subset the tracker list uses.
    fn search(&self, text: &[u8]) -> bool {
        let n = self.tokens.len();
        let matches_at = |start: usize| {
            text.get(start..start + n).is_some_and(|window| {
                self.tokens
                    .iter()
                    .zip(window)
                    .all(|(t, c)| t.is_none_or(|t| t == *c))
            })
        };
        if self.anchored {
            matches_at(0)
        } else {
            (0..=text.len().saturating_sub(n)).any(matches_at)
        }
    }
}

fn load_trackers(path: &Path) -> Vec<Tracker> {
    let text = std::fs::read_to_string(path).expect("read tracker list");
    let value: Value = serde_json::from_str(&text).expect("tracker JSON");
    let list: Vec<&Value> = match &value["trackers"] {
        Value::Object(map) => map.values().collect(),
        Value::Array(list) => list.iter().collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .filter_map(|t| {
            let sig = t["code_signature"].as_str().unwrap_or("");
            let alternatives: Vec<Pattern> = sig
                .split('|')
                .filter(|a| !a.is_empty())
                .map(Pattern::compile)
                .collect();
            (!alternatives.is_empty()).then(|| Tracker {
                name: t["name"].as_str().unwrap_or("?").to_string(),
                alternatives,
            })
        })
        .collect()
}

/// Dotted class names of every `classes*.dex` (what dexdump lists).
fn class_names(apk: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(apk) else {
        return Vec::new();
    };
    let limits = Limits::default();
    let Ok(zip) = ZipArchive::parse(&bytes, &limits) else {
        return Vec::new();
    };
    let budget = Budget::new(&limits);
    let mut names = Vec::new();
    for entry in zip.entries() {
        if !(entry.name.starts_with("classes") && entry.name.ends_with(".dex")) {
            continue;
        }
        let Ok(data) = zip.read(entry, &limits, &budget) else {
            continue;
        };
        let Ok(sections) = Dex::parse_container(&data, &hegui_dex::Limits::default()) else {
            continue;
        };
        for dex in &sections {
            for def in dex.class_defs().flatten() {
                if let Ok(d) = dex.type_descriptor(def.class_idx) {
                    names.push(descriptor_to_java(&d));
                }
            }
        }
    }
    names
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let (Some(dir), Some(list)) = (args.first(), args.get(1)) else {
        eprintln!("usage: exodus_compare APK_DIR exodus_trackers.json");
        std::process::exit(2);
    };
    let trackers = load_trackers(list);
    let catalog = hegui_knowledge::sdk_catalog();
    let mut apks: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "apk"))
        .collect();
    apks.sort();
    let (mut both, mut only_exodus, mut only_hegui) = (0, 0, 0);
    println!("| APK | both | only εxodus | only hegui | εxodus ms | hegui ms (whole scan) |");
    println!("|---|---|---|---|---:|---:|");
    for apk in &apks {
        let started = Instant::now();
        let classes = class_names(apk);
        let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in &trackers {
            let hits: Vec<&str> = classes
                .iter()
                .filter(|c| t.alternatives.iter().any(|a| a.search(c.as_bytes())))
                .map(String::as_str)
                .collect();
            if !hits.is_empty() {
                found.insert(t.name.as_str(), hits);
            }
        }
        let exodus_time = started.elapsed();

        let started = Instant::now();
        let report = scan_path(apk, &ScanOptions::default());
        let hegui_time: Duration = started.elapsed();
        let package = report.app.id.clone();
        let ours: BTreeSet<&str> = report
            .sdks
            .iter()
            .filter(|s| !s.is_framework())
            .map(|s| s.id.as_str())
            .collect();

        let mut matched_ours = BTreeSet::new();
        let (mut b, mut e) = (Vec::new(), Vec::new());
        for (tracker, hits) in &found {
            let mut owners: BTreeMap<String, usize> = BTreeMap::new();
            for class in hits {
                if let hegui_model::Party::Sdk(id) = catalog.attribute(&package, class) {
                    *owners.entry(id).or_default() += 1;
                }
            }
            let owner = owners
                .into_iter()
                .max_by_key(|(_, n)| *n)
                .map(|(id, _)| id)
                .filter(|id| ours.contains(id.as_str()));
            match owner {
                Some(id) => {
                    b.push(format!("{tracker}={id}"));
                    matched_ours.insert(id);
                }
                None => e.push(format!("{tracker} ({} classes)", hits.len())),
            }
        }
        let h: Vec<&str> = ours
            .iter()
            .filter(|id| !matched_ours.contains(**id))
            .copied()
            .collect();
        both += b.len();
        only_exodus += e.len();
        only_hegui += h.len();
        println!(
            "| {} | {} | {} | {} | {:.1} | {:.1} |",
            apk.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            b.join(", "),
            e.join(", "),
            h.join(", "),
            exodus_time.as_secs_f64() * 1e3,
            hegui_time.as_secs_f64() * 1e3
        );
    }
    println!(
        "\nTotal: both {both}, only εxodus {only_exodus}, only hegui {only_hegui} ({} trackers loaded)",
        trackers.len()
    );
}
