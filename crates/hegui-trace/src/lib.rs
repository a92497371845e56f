//! Runtime traces: the `hegui-trace/1` JSON Lines format (`shared/spec/trace-format.md`),
//! importers for HAR, mitmproxy flow files and the spreadsheets of Frida/Xposed privacy-hook
//! tools, and the analysis that turns events into facts: consent windows, foreground and
//! background, collection rates, permission history, self and associated starts, stack
//! attribution, and PI in traffic.
//!
//! Producers record; hegui judges. Nothing a producer says about consent, foreground or
//! attribution is taken on trust: it is recomputed from the events.

mod analyzer;
mod attribution;
pub mod event;
pub mod fast;
pub mod import;
mod reader;
mod run;
pub mod synthetic;
pub mod time;
pub mod traffic;
mod ui;
mod url;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use hegui_model::ScanError;

pub use analyzer::{Analyzer, Origin, TraceOptions};
pub use import::sheet::ImportOptions;
pub use reader::{read_jsonl, read_line_bounded};

/// The schema id of the format.
pub const SCHEMA: &str = "hegui-trace/1";
/// Largest HAR, flow file or spreadsheet read (JSON Lines traces are streamed, unbounded).
pub const MAX_CAPTURE_BYTES: u64 = 1 << 30;
/// Largest spreadsheet export read.
pub const MAX_SHEET_BYTES: u64 = 256 << 20;

/// What a file holds, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `hegui-trace/1` JSON Lines.
    Jsonl,
    Har,
    /// mitmproxy flow file (`mitmdump -w`).
    MitmFlows,
    /// A spreadsheet export (`.xlsx` / `.xls`) of a privacy-hook tool.
    Spreadsheet,
    /// Android `uiautomator dump` XML: one file, or a folder of them.
    UiDumps,
}

impl InputKind {
    pub fn id(self) -> &'static str {
        match self {
            Self::Jsonl => "hegui-trace",
            Self::Har => "har",
            Self::MitmFlows => "mitmproxy",
            Self::Spreadsheet => "spreadsheet",
            Self::UiDumps => "uiautomator",
        }
    }
}

/// Recognise a trace, capture or export from its first bytes (64 KiB is plenty).
pub fn sniff(head: &[u8]) -> Option<InputKind> {
    if import::har::looks_like_har(head) {
        return Some(InputKind::Har);
    }
    if import::mitm::looks_like_flows(head) {
        return Some(InputKind::MitmFlows);
    }
    if import::sheet::looks_like_sheet(head) {
        return Some(InputKind::Spreadsheet);
    }
    if import::uiautomator::looks_like_dump(head) {
        return Some(InputKind::UiDumps);
    }
    looks_like_jsonl(head).then_some(InputKind::Jsonl)
}

/// The first line is a JSON object with the envelope's `v`, `type` and `run_id`.
fn looks_like_jsonl(head: &[u8]) -> bool {
    let s = head
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .trim_ascii_start();
    if s.first() != Some(&b'{') {
        return false;
    }
    let line = &s[..memchr::memchr(b'\n', s).unwrap_or(s.len())];
    match serde_json::from_slice::<event::Event<'_>>(line.trim_ascii()) {
        Ok(ev) => ev.v.is_some() && ev.kind.is_some() && ev.seq.is_some(),
        // A first line longer than the sniffed head: judge by its keys.
        Err(_) => {
            let has = |k: &[u8]| memchr::memmem::find(line, k).is_some();
            memchr::memchr(b'\n', s).is_none()
                && has(b"\"v\"")
                && has(b"\"type\"")
                && has(b"\"run_id\"")
        }
    }
}

/// The kind of a file, from its first 64 KiB; `None` when it is none of ours (or unreadable).
pub fn sniff_path(path: &Path) -> Option<InputKind> {
    if path.is_dir() {
        return import::uiautomator::is_dump_dir(path).then_some(InputKind::UiDumps);
    }
    let mut file = File::open(path).ok()?;
    let mut head = vec![0u8; 64 << 10];
    let n = read_full(&mut file, &mut head).ok()?;
    head.truncate(n);
    sniff(&head)
}

/// Read one file of any supported kind into the analyser.
pub fn read_path(
    analyzer: &mut Analyzer<'_>,
    path: &Path,
    display: &str,
    import: &ImportOptions,
) -> Result<InputKind, ScanError> {
    let Some(kind) = sniff_path(path) else {
        return Err(ScanError::new(
            "unknown-trace",
            "not a hegui-trace/1 JSON Lines trace, HAR, mitmproxy flow file, privacy-hook spreadsheet or uiautomator dump",
            Some(display),
        ));
    };
    read_as(analyzer, path, display, kind, import)?;
    Ok(kind)
}

/// Read a file whose kind is already known ([`sniff_path`]).
pub fn read_as(
    analyzer: &mut Analyzer<'_>,
    path: &Path,
    display: &str,
    kind: InputKind,
    import: &ImportOptions,
) -> Result<(), ScanError> {
    if kind == InputKind::UiDumps {
        // One file or a folder: each dump is read, and bounded, on its own.
        return import::uiautomator::read_dumps(analyzer, path, display, import);
    }
    let io = |e: std::io::Error| ScanError::new("io-error", e.to_string(), Some(display));
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let limit = match kind {
        InputKind::Jsonl => u64::MAX,
        InputKind::Spreadsheet => MAX_SHEET_BYTES,
        InputKind::Har | InputKind::MitmFlows | InputKind::UiDumps => MAX_CAPTURE_BYTES,
    };
    if size > limit {
        return Err(ScanError::new(
            "capture-too-large",
            format!(
                "{} MiB; at most {} MiB of a {} file are read",
                size >> 20,
                limit >> 20,
                kind.id()
            ),
            Some(display),
        ));
    }
    match kind {
        InputKind::UiDumps => {} // read above
        InputKind::Jsonl => {
            read_jsonl(analyzer, display, BufReader::with_capacity(256 << 10, file))?
        }
        InputKind::Har => import::har::read_har(
            analyzer,
            display,
            BufReader::with_capacity(256 << 10, file.take(limit)),
        )?,
        InputKind::MitmFlows | InputKind::Spreadsheet => {
            let mut data = Vec::new();
            file.take(limit).read_to_end(&mut data).map_err(io)?;
            if kind == InputKind::MitmFlows {
                import::mitm::read_flows(analyzer, display, &data)?;
            } else {
                import::sheet::read_sheet(analyzer, display, data, import)?;
            }
        }
    }
    Ok(())
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
