//! The JSON Lines reader: bounded lines, one bad line costs that line, never the trace.

use std::io::{self, BufRead};

use hegui_model::ScanError;

use crate::analyzer::{Analyzer, Origin};

/// Read one line into `buf` (without the newline), at most `max` bytes. Returns the bytes
/// consumed (0 at the end) and whether the line was longer than `max` (the rest skipped).
pub fn read_line_bounded<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    buf.clear();
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], i + 1),
            None => (available, 0),
        };
        if !too_long {
            if buf.len() + chunk.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = if done > 0 { done } else { chunk.len() };
        consumed += used;
        r.consume(used);
        if done > 0 {
            return Ok((consumed, too_long));
        }
    }
}

/// Stream a `hegui-trace/1` file into the analyser. `Err` only for a fatal problem (I/O, a
/// decreasing `seq`); malformed lines are reported through the analyser and skipped.
pub fn read_jsonl<R: BufRead>(
    analyzer: &mut Analyzer<'_>,
    name: &str,
    mut reader: R,
) -> Result<(), ScanError> {
    analyzer.begin_source(name, None);
    let max = analyzer.options().max_line;
    let max_events = analyzer.options().max_events;
    let io = |e: io::Error| ScanError::new("io-error", e.to_string(), Some(name));
    let mut buf = Vec::with_capacity(4096);
    let mut parser = crate::fast::LineParser::new();
    let mut line_no = 0u64;
    loop {
        // A line whole in the reader's buffer is parsed where it lies; others are copied.
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        if available.is_empty() {
            return Ok(());
        }
        line_no += 1;
        let origin = Origin {
            file: name,
            index: line_no,
            unit: "line",
        };
        if let Some(nl) = memchr::memchr(b'\n', available).filter(|&nl| nl <= max) {
            one_line(analyzer, &mut parser, &available[..nl], origin)?;
            reader.consume(nl + 1);
        } else {
            let (_, too_long) = read_line_bounded(&mut reader, &mut buf, max).map_err(io)?;
            if too_long {
                analyzer.error(
                    "trace-line-too-long",
                    format!("a line over the {} KiB limit", max >> 10),
                    origin,
                );
            } else {
                one_line(analyzer, &mut parser, &buf, origin)?;
            }
        }
        if max_events > 0 && analyzer.events_read() >= max_events {
            analyzer.error(
                "trace-too-many-events",
                format!("stopped after {max_events} events (the configured limit)"),
                origin,
            );
            return Ok(());
        }
    }
}

fn one_line(
    analyzer: &mut Analyzer<'_>,
    parser: &mut crate::fast::LineParser,
    line: &[u8],
    origin: Origin<'_>,
) -> Result<(), ScanError> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(());
    }
    // Parsing is most of a trace's cost: see event::parse_line.
    let fed = crate::event::parse_line_with(parser, line, |ev| match ev.problem() {
        Some(p) => {
            analyzer.error("trace-bad-event", p, origin);
            Ok(())
        }
        None => analyzer.feed(ev, origin),
    });
    match fed {
        Ok(result) => result,
        Err(e) => {
            analyzer.error("trace-malformed-line", e, origin);
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_the_next_line_survives() {
        let data = format!("{}\nok\n\nlast", "x".repeat(100));
        let mut r = io::BufReader::with_capacity(16, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 50).unwrap(),
            (101, true)
        );
        assert_eq!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), (3, false));
        assert_eq!(buf, b"ok");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), (1, false));
        assert_eq!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), (4, false));
        assert_eq!(buf, b"last");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), (0, false));
    }
}
