//! `hegui bench` for privacy policies: policies read per second on one core, in this
//! process, against the floor of decoding the same bytes as text. Policies of 10–30 K
//! characters (the usual size) are reported apart; the largest input's time and the peak
//! memory show that size stays bounded.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A file whose content is a privacy policy (text, HTML or Markdown).
pub fn is_policy(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let mut head = vec![0u8; 64 << 10];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    head.truncate(n);
    crate::looks_like_policy(&head)
}

struct Input {
    path: PathBuf,
    bytes: Vec<u8>,
    chars: usize,
}

/// Measure and print; `peak_rss_kb` reads the process's peak memory (the caller knows how).
pub fn run(paths: &[PathBuf], runs: usize, peak_rss_kb: fn() -> Option<u64>) {
    let inputs: Vec<Input> = paths
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let chars = String::from_utf8_lossy(&bytes).chars().count();
            Some(Input {
                path: p.clone(),
                bytes,
                chars,
            })
        })
        .collect();
    let catalog = hegui_knowledge::sdk_catalog();
    // Warm the tables (built once per process) outside the timing.
    if let Some(first) = inputs.first() {
        let _ = crate::analyse("warm-up", &first.bytes, catalog);
    }
    let mut per_input = vec![Duration::MAX; inputs.len()];
    let mut floor = Duration::ZERO;
    let mut total = Duration::ZERO;
    for _ in 0..runs.max(1) {
        let (mut f, mut t) = (Duration::ZERO, Duration::ZERO);
        for (i, input) in inputs.iter().enumerate() {
            let start = Instant::now();
            std::hint::black_box(String::from_utf8_lossy(&input.bytes).chars().count());
            f += start.elapsed();
            let start = Instant::now();
            let facts = crate::analyse(&input.path.to_string_lossy(), &input.bytes, catalog);
            let took = start.elapsed();
            std::hint::black_box(&facts);
            t += took;
            if let Some(best) = per_input.get_mut(i) {
                *best = (*best).min(took);
            }
        }
        floor = if floor.is_zero() { f } else { floor.min(f) };
        total = if total.is_zero() { t } else { total.min(t) };
    }
    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    let usual: Vec<(usize, Duration)> = inputs
        .iter()
        .zip(&per_input)
        .filter(|(i, _)| (10_000..=30_000).contains(&i.chars))
        .map(|(i, d)| (i.chars, *d))
        .collect();
    let usual_time: Duration = usual.iter().map(|(_, d)| *d).sum();
    let chars: usize = inputs.iter().map(|i| i.chars).sum();
    println!(
        "policies: {} ({:.1} M characters), best of {} run(s), one core",
        inputs.len(),
        chars as f64 / 1e6,
        runs.max(1)
    );
    println!(
        "  all:          {:>8.0} policies/s, {:>6.2} M characters/s; {:.1}x the floor (decoding the bytes as text)",
        rate(inputs.len(), total),
        chars as f64 / 1e6 / total.as_secs_f64().max(1e-9),
        total.as_secs_f64() / floor.as_secs_f64().max(1e-9)
    );
    println!(
        "  10-30 K chars: {:>7.0} policies/s over {} policies",
        rate(usual.len(), usual_time),
        usual.len()
    );
    if let Some((input, took)) = inputs
        .iter()
        .zip(&per_input)
        .max_by_key(|(i, _)| i.bytes.len())
    {
        println!(
            "  largest: {} ({} KiB) in {:.1} ms; peak memory {:.1} MiB",
            input.path.display(),
            input.bytes.len() >> 10,
            took.as_secs_f64() * 1e3,
            peak_rss_kb().unwrap_or(0) as f64 / 1024.0
        );
    }
}
