//! `hegui bench --trace-events N`: reading and judging a trace, on one core, against the
//! cost of merely parsing its JSON. Synthetic trace (hegui_trace::synthetic), in memory.

use std::time::{Duration, Instant};

use hegui_model::Facts;
use hegui_trace::{Analyzer, TraceOptions};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

pub fn run(events: usize, runs: usize) {
    let data = hegui_trace::synthetic::trace(events, 42);
    let catalog = hegui_knowledge::sdk_catalog();
    let mut split = Vec::new();
    let mut parse = Vec::new();
    let mut judge = Vec::new();
    let mut events_only = Vec::new();
    let mut findings = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let lines = data
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        std::hint::black_box(lines);
        split.push(t.elapsed());

        let t = Instant::now();
        let mut ok = 0usize;
        for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            ok += usize::from(serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok());
        }
        std::hint::black_box(ok);
        parse.push(t.elapsed());
        let t = Instant::now();
        let mut ok = 0usize;
        let mut parser = hegui_trace::fast::LineParser::new();
        for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            ok +=
                usize::from(hegui_trace::event::parse_line_with(&mut parser, line, |_| ()).is_ok());
        }
        std::hint::black_box(ok);
        events_only.push(t.elapsed());

        let t = Instant::now();
        let mut a = Analyzer::new(catalog, TraceOptions::default());
        let _ = hegui_trace::read_jsonl(&mut a, "synthetic", &data[..]);
        let (trace, _) = a.finish();
        let facts = Facts {
            trace: Some(trace),
            ..Facts::default()
        };
        let ctx = hegui_rules::Context::new(&facts, &[], catalog);
        findings = hegui_rules::run_all(&ctx, false).findings.len();
        judge.push(t.elapsed());
    }
    let (split, parse, events_only, judge) = (
        median(split),
        median(parse),
        median(events_only),
        median(judge),
    );
    let rate = |d: Duration| events as f64 / d.as_secs_f64().max(1e-9);
    let mib = data.len() as f64 / f64::from(1 << 20);
    println!("trace: {events} synthetic events, {mib:.0} MiB, median of {runs} runs, one core");
    println!(
        "{:<40} {:>10} {:>14} {:>8}",
        "stage", "ms", "events/s", "ratio"
    );
    for (name, d) in [
        ("split lines (memchr floor)", split),
        ("serde_json parse, ignore (JSON floor)", parse),
        ("parse into hegui events", events_only),
        ("hegui read + derive + rules", judge),
    ] {
        println!(
            "{name:<40} {:>10.1} {:>14.0} {:>8.2}",
            d.as_secs_f64() * 1000.0,
            rate(d),
            d.as_secs_f64() / parse.as_secs_f64().max(1e-9)
        );
    }
    println!(
        "findings: {findings}; peak RSS {} MiB",
        crate::bench::peak_rss_kb().unwrap_or(0) / 1024
    );
}
