//! `hegui trace validate` and `hegui trace import`.

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use hegui_trace::{Analyzer, ImportOptions, TraceOptions};

use crate::cli::{TraceAction, TraceArgs};
use crate::exit;

/// `+08:00` → 480.
pub fn import_options(tz: &str, year: Option<i64>) -> anyhow::Result<ImportOptions> {
    let bad = || anyhow::anyhow!("time zone {tz:?}: expected ±HH:MM, e.g. +08:00");
    let (sign, rest) = match tz.as_bytes().first() {
        Some(b'+') => (1, &tz[1..]),
        Some(b'-') => (-1, &tz[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok(ImportOptions {
        tz_offset_min: sign * (h * 60 + m),
        year,
        ..ImportOptions::default()
    })
}

pub fn run(args: TraceArgs) -> anyhow::Result<u8> {
    match args.action {
        TraceAction::Validate { file, tz, year } => validate(&file, &import_options(&tz, year)?),
        TraceAction::Import {
            file,
            output,
            tz,
            year,
        } => import(&file, output.as_deref(), &import_options(&tz, year)?),
    }
}

fn validate(file: &Path, import: &ImportOptions) -> anyhow::Result<u8> {
    let catalog = hegui_knowledge::sdk_catalog();
    let mut analyzer = Analyzer::new(catalog, TraceOptions::default());
    let display = file.display().to_string();
    let read = hegui_trace::read_path(&mut analyzer, file, &display, import);
    let (facts, errors) = analyzer.finish();
    let kind = match &read {
        Ok(k) => k.id(),
        Err(_) => "unreadable",
    };
    println!(
        "{display}: {kind}, {} events, {} runs",
        facts.events,
        facts.runs.len()
    );
    for (t, n) in &facts.event_types {
        println!("  {t:<20} {n}");
    }
    if facts.dropped > 0 {
        println!(
            "  {} events dropped (seq gaps or trace_end.events_dropped)",
            facts.dropped
        );
    }
    for e in &errors {
        println!("error: {}", describe(e, &display));
    }
    if let Err(e) = &read {
        println!("error: {}", describe(e, &display));
        return Ok(exit::UNREADABLE);
    }
    Ok(if errors.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

fn import(file: &Path, output: Option<&Path>, import: &ImportOptions) -> anyhow::Result<u8> {
    let out: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // Shared with the sink; the first write error is kept and reported after the read.
    let out = Rc::new(RefCell::new((out, None::<std::io::Error>)));
    let writer = Rc::clone(&out);
    let catalog = hegui_knowledge::sdk_catalog();
    let mut analyzer = Analyzer::new(catalog, TraceOptions::default());
    let mut seq = 0u64;
    analyzer.set_sink(Box::new(move |ev| {
        let line = hegui_trace::event::export_line(ev, seq);
        seq += 1;
        let mut w = writer.borrow_mut();
        if w.1.is_none()
            && let Err(e) = writeln!(w.0, "{line}")
        {
            w.1 = Some(e);
        }
    }));
    let display = file.display().to_string();
    let read = hegui_trace::read_path(&mut analyzer, file, &display, import);
    let (_, errors) = analyzer.finish();
    for e in &errors {
        eprintln!("warning: {}", describe(e, &display));
    }
    let mut w = out.borrow_mut();
    if let Some(e) = w.1.take() {
        anyhow::bail!("writing the trace: {e}");
    }
    w.0.flush()?;
    match read {
        Ok(_) => Ok(exit::OK),
        Err(e) => {
            eprintln!("error: {}", describe(&e, &display));
            Ok(exit::UNREADABLE)
        }
    }
}

/// `file:line: message (code)`: where a reading problem is, what it is, and its stable code.
fn describe(e: &hegui_model::ScanError, display: &str) -> String {
    format!(
        "{}: {} ({})",
        e.entry.as_deref().unwrap_or(display),
        e.message,
        e.code
    )
}
