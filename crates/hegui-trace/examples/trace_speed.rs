//! Profile target: read and derive a synthetic trace, nothing else.
//! `cargo run --release -p hegui-trace --example trace_speed -- 300000`

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300_000);
    let data = hegui_trace::synthetic::trace(n, 42);
    let catalog = hegui_knowledge::sdk_catalog();
    let t = std::time::Instant::now();
    let mut a = hegui_trace::Analyzer::new(catalog, hegui_trace::TraceOptions::default());
    let _ = hegui_trace::read_jsonl(&mut a, "synthetic", &data[..]);
    let (facts, errors) = a.finish();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n} events, {} MiB: {:.0} events/s ({} collections, {} errors)",
        data.len() >> 20,
        n as f64 / secs,
        facts.collections.len(),
        errors.len()
    );
}
