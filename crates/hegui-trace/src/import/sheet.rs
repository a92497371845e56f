//! Spreadsheet exports of privacy-hook tools (camille, PrivacySentry) → `api_call` events.
//!
//! Both tools write `.xls`; a re-save gives `.xlsx`; calamine reads either. The tool is
//! recognised by its header row. Their times carry no offset (and PrivacySentry's no year):
//! [`ImportOptions`] supplies them, they are not guessed. Their own "who called" column is
//! kept as import evidence; the party is recomputed from the stack.

use std::io::Cursor;

use calamine::{Reader, open_workbook_auto_from_rs};
use hegui_knowledge::{CamilleLabels, SentryLabels, import_labels};
use hegui_model::ScanError;

use crate::analyzer::{Analyzer, Origin};
use crate::event::{Api, Attribution, Event, Frame, Src, Str};
use crate::time;

/// What the export itself does not say.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The device's UTC offset in minutes (China: +480).
    pub tz_offset_min: i32,
    /// The year of PrivacySentry's `MM-dd` times.
    pub year: Option<i64>,
    /// The run id given to imported events.
    pub run_id: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            tz_offset_min: 480,
            year: None,
            run_id: "import".into(),
        }
    }
}

/// OOXML workbooks (zip with `[Content_Types].xml` and an `xl/` part) and BIFF `.xls`
/// (an OLE2 compound file).
pub fn looks_like_sheet(head: &[u8]) -> bool {
    const OLE2: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    if head.starts_with(OLE2) {
        return true;
    }
    head.starts_with(b"PK\x03\x04")
        && memchr::memmem::find(head, b"[Content_Types].xml").is_some()
        && memchr::memmem::find(head, b"xl/").is_some()
}

type Rows = Vec<Vec<String>>;

/// Spreadsheet parts inflated this far at most: exports are a few MiB of XML.
const MAX_SHEET_PART: u64 = 256 << 20;
const MAX_SHEET_INFLATED: u64 = 512 << 20;

/// An `.xlsx` is a zip, so it can be a bomb: every part is inflated once with our bounded
/// reader (ratio, entry and total limits) before calamine sees the file.
fn inflate_within_limits(data: &[u8], name: &str) -> Result<(), ScanError> {
    if !hegui_archive::is_zip(data) {
        return Ok(());
    }
    let limits = hegui_archive::Limits {
        max_entry_size: MAX_SHEET_PART,
        max_total_inflated: MAX_SHEET_INFLATED,
        max_entries: 10_000,
        ..hegui_archive::Limits::default()
    };
    let fail = |e: hegui_archive::ArchiveError| ScanError::new(e.code(), e.to_string(), Some(name));
    let zip = hegui_archive::ZipArchive::parse(data, &limits).map_err(fail)?;
    let budget = hegui_archive::Budget::new(&limits);
    for entry in zip.entries() {
        zip.read(entry, &limits, &budget).map_err(fail)?;
    }
    Ok(())
}

pub fn read_sheet(
    analyzer: &mut Analyzer<'_>,
    name: &str,
    data: Vec<u8>,
    opts: &ImportOptions,
) -> Result<(), ScanError> {
    let bad = |m: String| ScanError::new("sheet-unreadable", m, Some(name));
    inflate_within_limits(&data, name)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(data)).map_err(|e| bad(e.to_string()))?;
    let labels = import_labels();
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(bad(
            "a workbook without worksheets (its workbook part is missing or empty)".into(),
        ));
    }
    for sheet in names {
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| bad(format!("sheet {sheet}: {e}")))?;
        let rows: Rows = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let Some(header) = rows.first() else { continue };
        let has = |col: &str| header.iter().any(|h| h.trim() == col);
        if has("行为描述") && has("调用堆栈") {
            analyzer.begin_source(name, Some("camille"));
            camille(analyzer, name, &rows, &labels.camille, opts);
            return Ok(());
        }
        if has("别名") && has("函数名") && has("调用堆栈") && !has("调用次数") {
            analyzer.begin_source(name, Some("privacysentry"));
            sentry(analyzer, name, &rows, &labels.privacysentry, opts);
            return Ok(());
        }
    }
    Err(ScanError::new(
        "unknown-sheet-layout",
        "a spreadsheet without camille's or PrivacySentry's columns",
        Some(name),
    ))
}

/// Where row `i` (0-based, the header being row 0) is, as a spreadsheet numbers it.
fn row_at(file: &str, i: usize) -> Origin<'_> {
    Origin {
        file,
        index: i as u64 + 1,
        unit: "row",
    }
}

fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim() == name)
}

fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", |s| s.trim())
}

fn src(tool: &'static str) -> Option<Src<'static>> {
    Some(Src {
        tool: Str::from(tool),
        layer: Some(Str::from("import")),
        import_of: Some(Str::from(tool)),
        version: None,
    })
}

fn base(
    seq: u64,
    ts: String,
    kind: &'static str,
    tool: &'static str,
    opts: &ImportOptions,
) -> Event<'static> {
    Event {
        v: Some(1),
        seq: Some(seq),
        kind: Some(Str::from(kind)),
        ts: Some(Str::from(ts)),
        run_id: Some(Str::from(opts.run_id.clone())),
        src: src(tool),
        ..Default::default()
    }
}

/// `Y-M-D H:m:s` (camille: unpadded, month from JavaScript's 0-based getter) or
/// `MM-dd HH:mm:ss.SSS` (PrivacySentry, no year).
fn local_time(date: (i64, i64, i64), clock: &str, opts: &ImportOptions) -> Option<String> {
    let (y, mo, d) = date;
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut parts = hms.split(':').map(|p| p.trim().parse::<i64>().ok());
    let (h, mi, s) = (parts.next()??, parts.next()??, parts.next()??);
    let ms: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let local = ((time::days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
    let utc_ms = (local - i64::from(opts.tz_offset_min) * 60) * 1000 + ms;
    Some(time::format_ms(utc_ms, opts.tz_offset_min))
}

/// `com.a.B.m(B.java:12)` / `at com.a.B.m(Native Method)` / `com.a.B.m() 1,841`.
fn frame(line: &str) -> Option<Frame<'static>> {
    let line = line.trim().trim_end_matches("<-").trim();
    let line = line.strip_prefix("at ").unwrap_or(line);
    let (head, tail) = line.split_once('(').unwrap_or((line, ""));
    let (cls, method) = head.trim().rsplit_once('.')?;
    if cls.is_empty() || cls.contains(' ') {
        return None;
    }
    let number = tail
        .rsplit([':', ' ', ')'])
        .find_map(|p| p.replace(',', "").parse::<i64>().ok());
    Some(Frame {
        cls: Str::from(cls.to_string()),
        method: Str::from(method.to_string()),
        line: number,
        native: tail.contains("Native Method").then_some(true),
    })
}

fn camille(
    analyzer: &mut Analyzer<'_>,
    name: &str,
    rows: &Rows,
    labels: &CamilleLabels,
    opts: &ImportOptions,
) {
    let header = &rows[0];
    let col = |n: &str| column(header, n);
    let (consent, at, subject, action, label, args, stack) = (
        col("隐私政策状态"),
        col("时间点"),
        col("行为主体"),
        col("操作行为"),
        col("行为描述"),
        col("传入参数"),
        col("调用堆栈"),
    );
    let mut accepted = false;
    for (i, row) in rows.iter().enumerate().skip(1) {
        let origin = row_at(name, i);
        let stamp = cell(row, at);
        let ts = stamp.split_once(' ').and_then(|(date, clock)| {
            let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
            let (y, m, day) = (d.next()??, d.next()??, d.next()??);
            local_time((y, m + labels.month_offset, day), clock, opts)
        });
        let Some(ts) = ts else {
            analyzer.error("import-bad-time", format!("时间点 {stamp:?}"), origin);
            continue;
        };
        let seq = (i as u64) * 2;
        if !accepted && cell(row, consent).ends_with('后') {
            accepted = true;
            let mut ev = base(seq - 1, ts.clone(), "consent_accepted", "camille", opts);
            ev.detect = Some(Str::from("import"));
            ev.confidence = Some(0.5);
            let _ = analyzer.feed(&ev, origin);
        }
        let lines: Vec<&str> = cell(row, stack)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("java.lang.Exception"))
            .collect();
        let mut frames: Vec<Frame<'static>> = lines.iter().filter_map(|l| frame(l)).collect();
        // The first frame is the hooked API itself (Frida replaced it).
        let hooked = (!frames.is_empty()).then(|| frames.remove(0));
        let description = cell(row, label);
        let category = labels
            .labels
            .get(description)
            .or_else(|| {
                labels
                    .label_prefixes
                    .iter()
                    .find(|(p, _)| description.starts_with(p.as_str()))
                    .map(|(_, c)| c)
            })
            .or_else(|| labels.action_labels.get(cell(row, action)));
        let Some(mut category) = category.cloned() else {
            if !labels.unmapped.contains_key(description) {
                analyzer.error(
                    "import-unknown-label",
                    format!("行为描述 {description:?} has no category"),
                    origin,
                );
            }
            continue;
        };
        if let Some(h) = &hooked
            && let Some(c) = labels
                .api_refinements
                .get(&format!("{}.{}", h.cls, h.method))
        {
            category = c.clone();
        }
        if let Some(refine) = labels.arg_refinements.get(description) {
            let arg = cell(row, args)
                .lines()
                .nth(refine.arg)
                .and_then(|l| l.split_once('：').map(|(_, v)| v.trim()))
                .map(|v| serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_string()));
            if let Some(c) = arg.and_then(|a| refine.values.get(&a)) {
                category = c.clone();
            }
        }
        let mut ev = base(seq, ts, "api_call", "camille", opts);
        ev.ts_precision = Some(Str::from("s"));
        ev.category = Some(Str::from(category));
        ev.api = hooked.map(|h| Api {
            cls: h.cls,
            method: h.method,
        });
        ev.stack = Some(frames.into());
        let who = cell(row, subject);
        if !who.is_empty() {
            ev.attribution = Some(Attribution {
                party: Some(Str::from(if who == "APP本身" { "app" } else { "sdk" })),
                sdk_name: Some(Str::from(who.to_string())),
                method: Some(Str::from("import")),
                sdk_id: None,
            });
        }
        let _ = analyzer.feed(&ev, origin);
    }
}

fn sentry(
    analyzer: &mut Analyzer<'_>,
    name: &str,
    rows: &Rows,
    labels: &SentryLabels,
    opts: &ImportOptions,
) {
    let header = &rows[0];
    let (at, alias, function, stack) = (
        header.iter().position(|h| h.starts_with("调用时间")),
        column(header, "别名"),
        column(header, "函数名"),
        column(header, "调用堆栈"),
    );
    let Some(year) = opts.year else {
        analyzer.error(
            "import-needs-year",
            "PrivacySentry's times have no year: give it (--trace-year)",
            row_at(name, 0),
        );
        return;
    };
    for (i, row) in rows.iter().enumerate().skip(1) {
        let origin = row_at(name, i);
        let stamp = cell(row, at);
        let ts = stamp.split_once(' ').and_then(|(date, clock)| {
            let (m, d) = date.split_once('-')?;
            local_time((year, m.parse().ok()?, d.parse().ok()?), clock, opts)
        });
        let Some(ts) = ts else {
            analyzer.error("import-bad-time", format!("调用时间 {stamp:?}"), origin);
            continue;
        };
        let seq = i as u64;
        let alias_text = cell(row, alias);
        if alias_text == labels.consent_marker_row {
            let mut ev = base(seq, ts, "consent_accepted", "privacysentry", opts);
            ev.detect = Some(Str::from("app_self_report"));
            let _ = analyzer.feed(&ev, origin);
            continue;
        }
        let function_text = cell(row, function);
        let (key, thread) = match function_text.split_once("线程名") {
            Some((k, t)) => (
                k.trim().trim_end_matches('-').trim(),
                Some(t.trim_start_matches([':', '：', ' ']).trim()),
            ),
            None => (function_text, None),
        };
        let Some(category) = sentry_category(labels, key, alias_text) else {
            if !labels.unmapped.contains_key(alias_text) && !labels.unmapped.contains_key(key) {
                analyzer.error(
                    "import-unknown-label",
                    format!("函数名 {key:?} / 别名 {alias_text:?} has no category"),
                    origin,
                );
            }
            continue;
        };
        let frames: Vec<Frame<'static>> = cell(row, stack)
            .lines()
            .filter_map(frame)
            .filter(|f| {
                let full = format!("{}.{}", f.cls, f.method);
                !labels
                    .hook_frame_prefixes
                    .iter()
                    .any(|p| full.starts_with(p.as_str()))
            })
            .collect();
        let (cls, method) = key.split_once('-').unwrap_or(("", key));
        let mut ev = base(seq, ts, "api_call", "privacysentry", opts);
        ev.category = Some(Str::from(category));
        ev.thread = thread.map(|t| Str::from(t.to_string()));
        ev.api = Some(Api {
            cls: Str::from(cls.to_string()),
            method: Str::from(method.to_string()),
        });
        ev.stack = Some(frames.into());
        let _ = analyzer.feed(&ev, origin);
    }
}

/// By function key (exact, then without a runtime suffix), then by the alias text.
fn sentry_category(labels: &SentryLabels, key: &str, alias: &str) -> Option<String> {
    if let Some(c) = labels.functions.get(key) {
        return Some(c.clone());
    }
    let trimmed = key.rsplit_once(['-', '_']).map_or(key, |(head, _)| head);
    if let Some(c) = labels.functions.get(trimmed) {
        return Some(c.clone());
    }
    let mut description = alias.trim_start_matches("命中缓存--");
    if let Some((d, _)) = description.split_once("--参数") {
        description = d;
    }
    let description = description.trim_end_matches("-无权限");
    labels
        .aliases
        .get(description)
        .or_else(|| {
            labels
                .alias_prefixes
                .iter()
                .find(|(p, _)| description.starts_with(p.as_str()))
                .map(|(_, c)| c)
        })
        .or_else(|| {
            labels
                .alias_suffixes
                .iter()
                .find(|(s, _)| description.ends_with(s.as_str()))
                .map(|(_, c)| c)
        })
        .cloned()
}
