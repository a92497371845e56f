//! Android's `uiautomator dump` XML: what a screen showed, as `ui_snapshot` events.
//!
//! A dump is `<hierarchy rotation="0">` holding nested `<node index text resource-id class
//! package content-desc checkable checked clickable enabled focusable focused scrollable
//! long-clickable password selected bounds="[l,t][r,b]">` elements. Labs hand in a folder of
//! them (one per screen their automation visited); each file's time comes from its name
//! (epoch milliseconds or seconds, or a `YYYYMMDD-HHMMSS` / `YYYY-MM-DDTHH-MM-SS` stamp in the
//! device's zone) or, failing that, from its modification time. A trace may also carry a dump
//! inside a `ui_snapshot` event (`xml`).

use std::path::{Path, PathBuf};

use hegui_model::ScanError;
use quick_xml::events::{BytesStart, Event as XmlEvent};

use crate::analyzer::{Analyzer, Origin};
use crate::event::{Event, Src, Str, UiElement};
use crate::import::sheet::ImportOptions;
use crate::time::{days_from_civil, format_ms};

/// Nodes kept per dump: a screen has hundreds; past this a file is not a screen.
const MAX_NODES: usize = 5_000;
/// Largest dump file read.
const MAX_DUMP_BYTES: u64 = 16 << 20;
/// Dump files read from one folder.
const MAX_DUMPS: usize = 20_000;

/// What one dump shows.
#[derive(Debug, Default, PartialEq)]
pub struct Dump {
    /// The package of the first node (the app on screen).
    pub package: Option<String>,
    pub elements: Vec<UiElement>,
}

/// The first bytes of a dump: an XML document whose root is `<hierarchy`.
pub fn looks_like_dump(head: &[u8]) -> bool {
    let s = head
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .trim_ascii_start();
    s.starts_with(b"<") && memchr::memmem::find(&s[..s.len().min(512)], b"<hierarchy").is_some()
}

/// Read a dump's nodes (flattened, in document order).
pub fn parse_dump(xml: &str) -> Result<Dump, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut dump = Dump::default();
    let mut saw_root = false;
    loop {
        match reader.read_event() {
            Ok(XmlEvent::Start(e) | XmlEvent::Empty(e)) => match e.local_name().into_inner() {
                "hierarchy" => saw_root = true,
                "node" if saw_root => {
                    if dump.elements.len() >= MAX_NODES {
                        return Err(format!("more than {MAX_NODES} nodes: not one screen"));
                    }
                    let (element, package) = node(&e)?;
                    if dump.package.is_none() {
                        dump.package = package;
                    }
                    dump.elements.push(element);
                }
                other => {
                    if !saw_root {
                        return Err(format!("root element is <{other}>, not <hierarchy>"));
                    }
                }
            },
            Ok(XmlEvent::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        }
    }
    if !saw_root {
        return Err("no <hierarchy> element: not a uiautomator dump".into());
    }
    Ok(dump)
}

/// One `<node>`'s attributes.
fn node(e: &BytesStart<'_>) -> Result<(UiElement, Option<String>), String> {
    let mut el = UiElement::default();
    let mut package = None;
    for attr in e.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::default())
            .map_err(|e| format!("bad attribute value: {e}"))?
            .into_owned();
        let kept = (!value.is_empty()).then_some(value);
        match attr.key.local_name().into_inner() {
            "text" => el.text = kept,
            "content-desc" => el.content_desc = kept,
            "resource-id" => el.resource_id = kept,
            "class" => el.class = kept,
            "bounds" => el.bounds = kept,
            "package" => package = kept,
            "clickable" => el.clickable = kept.map(|v| v == "true"),
            _ => {}
        }
    }
    Ok((el, package))
}

/// The `ui_snapshot` event of a dump shown at `t_ms`.
pub fn snapshot_event(dump: Dump, screen: &str, t_ms: i64, tz_offset_min: i32) -> Event<'static> {
    Event {
        v: Some(1),
        kind: Some(Str::from("ui_snapshot")),
        ts: Some(Str::from(format_ms(t_ms, tz_offset_min))),
        src: Some(Src {
            tool: Str::from("uiautomator"),
            layer: Some(Str::from("import")),
            import_of: Some(Str::from("uiautomator")),
            ..Default::default()
        }),
        process: dump.package.map(Str::from),
        screen: Some(Str::from(screen.to_string())),
        elements: Some(dump.elements),
        ..Default::default()
    }
}

/// The time a dump's file name gives, in epoch milliseconds: a 13-digit (ms) or 10-digit (s)
/// epoch, or a date-time stamp read in the device's zone.
pub fn time_from_name(name: &str, tz_offset_min: i32) -> Option<i64> {
    let digits: Vec<&str> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .collect();
    if let Some(ms) = digits.iter().find(|r| r.len() == 13) {
        return ms.parse().ok();
    }
    if let Some(s) = digits.iter().find(|r| r.len() == 10) {
        return s.parse::<i64>().ok().map(|s| s * 1000);
    }
    // YYYYMMDD HHMMSS, or YYYY MM DD HH MM SS, with any separators.
    let joined: String = match digits.as_slice() {
        [date, time, ..] if date.len() == 8 && time.len() >= 6 => format!("{date}{time}"),
        [y, mo, d, h, mi, s, ..] if y.len() == 4 => {
            format!("{y}{mo:0>2}{d:0>2}{h:0>2}{mi:0>2}{s:0>2}")
        }
        _ => return None,
    };
    let num = |r: std::ops::Range<usize>| joined.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, s) = (num(8..10)?, num(10..12)?, num(12..14)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let local = (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000;
    Some(local - i64::from(tz_offset_min) * 60_000)
}

/// Whether a folder holds uiautomator dumps (at least one `.xml` file that is one).
pub fn is_dump_dir(dir: &Path) -> bool {
    dump_files(dir).iter().take(8).any(|p| {
        std::fs::File::open(p).is_ok_and(|mut f| {
            let mut head = [0u8; 512];
            let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
            looks_like_dump(&head[..n])
        })
    })
}

fn dump_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect();
    files.sort();
    files
}

/// Read one dump file, or every dump of a folder, as `ui_snapshot` events in time order. A
/// file that is not a dump is reported with its name and skipped.
pub fn read_dumps(
    analyzer: &mut Analyzer<'_>,
    path: &Path,
    display: &str,
    import: &ImportOptions,
) -> Result<(), ScanError> {
    analyzer.begin_source(display, Some("uiautomator"));
    let files = if path.is_dir() {
        dump_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    if files.len() > MAX_DUMPS {
        return Err(ScanError::new(
            "too-many-dumps",
            format!("{} dump files; at most {MAX_DUMPS} are read", files.len()),
            Some(display),
        ));
    }
    let mut snapshots: Vec<(i64, String, Dump)> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let origin = Origin {
            file: display,
            index: index as u64,
            unit: "dumps",
        };
        match read_one(file, &name, import.tz_offset_min) {
            Ok((t, dump)) => snapshots.push((t, name, dump)),
            Err(e) => analyzer.error("uiautomator-bad-dump", format!("{name}: {e}"), origin),
        }
    }
    snapshots.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for (index, (t, name, dump)) in snapshots.into_iter().enumerate() {
        let origin = Origin {
            file: display,
            index: index as u64,
            unit: "dumps",
        };
        let ev = snapshot_event(dump, &name, t, import.tz_offset_min);
        let _ = analyzer.feed(&ev, origin);
    }
    Ok(())
}

fn read_one(file: &Path, name: &str, tz_offset_min: i32) -> Result<(i64, Dump), String> {
    let meta = std::fs::metadata(file).map_err(|e| e.to_string())?;
    if meta.len() > MAX_DUMP_BYTES {
        return Err(format!(
            "{} MiB; at most {} MiB are read",
            meta.len() >> 20,
            MAX_DUMP_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let dump = parse_dump(text)?;
    let t = time_from_name(name, tz_offset_min)
        .or_else(|| {
            let modified = meta.modified().ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            i64::try_from(since.as_millis()).ok()
        })
        .ok_or("no time in the file name and no modification time")?;
    Ok((t, dump))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;

    const DUMP: &str = r#"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0"><node index="0" text="" resource-id="" class="android.widget.FrameLayout" package="com.example.app" content-desc="" checkable="false" checked="false" clickable="false" enabled="true" focusable="false" focused="false" scrollable="false" long-clickable="false" password="false" selected="false" bounds="[0,0][1080,2340]"><node index="0" text="领红包 &amp; 刷脸" resource-id="com.example.app:id/claim" class="android.widget.Button" package="com.example.app" content-desc="" checkable="false" checked="false" clickable="true" enabled="true" focusable="true" focused="false" scrollable="false" long-clickable="false" password="false" selected="false" bounds="[90,1800][990,1950]" /></node></hierarchy>"#;

    #[test]
    fn reads_a_real_format_dump() {
        assert!(looks_like_dump(DUMP.as_bytes()));
        let dump = parse_dump(DUMP).unwrap();
        assert_eq!(dump.package.as_deref(), Some("com.example.app"));
        assert_eq!(dump.elements.len(), 2);
        let button = &dump.elements[1];
        assert_eq!(button.label(), "领红包 & 刷脸");
        assert_eq!(
            button.resource_id.as_deref(),
            Some("com.example.app:id/claim")
        );
        assert_eq!(button.clickable, Some(true));
        assert_eq!(button.rect(), Some((90, 1800, 990, 1950)));
    }

    #[test]
    fn rejects_what_is_not_a_dump() {
        assert!(parse_dump("<html><body/></html>").is_err());
        assert!(parse_dump("<hierarchy><node text='a").is_err());
        assert!(parse_dump("").is_err());
        let many = format!("<hierarchy>{}</hierarchy>", "<node/>".repeat(MAX_NODES + 1));
        assert!(parse_dump(&many).unwrap_err().contains("nodes"));
    }

    #[test]
    fn times_from_file_names() {
        assert_eq!(
            time_from_name("dump_1765100000123.xml", 480),
            Some(1_765_100_000_123)
        );
        assert_eq!(
            time_from_name("1765100000.xml", 480),
            Some(1_765_100_000_000)
        );
        // 2026-12-07 18:30:05 at +08:00 is 10:30:05 UTC.
        let utc = (days_from_civil(2026, 12, 7) * 86_400 + 10 * 3600 + 30 * 60 + 5) * 1000;
        assert_eq!(time_from_name("screen-20261207-183005.xml", 480), Some(utc));
        assert_eq!(time_from_name("2026-12-07T18-30-05.xml", 480), Some(utc));
        assert_eq!(time_from_name("home.xml", 480), None);
        assert_eq!(time_from_name("20261399-250000.xml", 480), None);
    }
}
