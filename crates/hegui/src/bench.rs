//! `hegui bench`: scan time as a multiple of the floor, measured in one run.
//!
//! The floor is what any static scanner must pay: inflating the package's code, measured as
//! `unzip -p APK 'classes*.dex' > /dev/null` (for an IPA: its Mach-O executables). Both commands run as child processes
//! (so both pay process start-up), interleaved, `--runs` times each; medians are compared.
//! Ratios from one run are comparable across noisy machines; absolute times are not.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use hegui_archive::{Limits, Source, ZipArchive};

use crate::bench_mp;
use crate::cli::BenchArgs;
use crate::exit;
use crate::inputs::expand;

/// Peak resident set size of this process in KiB (Linux `VmHWM`).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The code entries of a package: `classes*.dex` for an APK, the Mach-O executables that a scan
/// reads for an IPA.
fn code_entries(path: &Path) -> Vec<String> {
    let report = hegui_scan::scan_path(path, &hegui_scan::ScanOptions::default());
    match &report.facts.ios {
        Some(ios) => ios.binaries.iter().map(|b| b.path.clone()).collect(),
        None => vec!["classes*.dex".to_string()],
    }
}

/// Size of the largest code entry (DEX or Mach-O), for the memory budget.
fn largest_code(path: &Path, entries: &[String]) -> u64 {
    let Ok(src) = Source::open(path, &Limits::default()) else {
        return 0;
    };
    let Ok(zip) = ZipArchive::parse(&src, &Limits::default()) else {
        return 0;
    };
    zip.entries()
        .iter()
        .filter(|e| {
            (e.name.starts_with("classes") && e.name.ends_with(".dex")) || entries.contains(&e.name)
        })
        .map(|e| e.uncompressed_size)
        .max()
        .unwrap_or(0)
}

fn time_floor(path: &Path, entries: &[String]) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let status = Command::new("unzip")
        .arg("-p")
        .arg(path)
        .args(entries)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running unzip")?;
    let elapsed = start.elapsed();
    // unzip exits 11 when no entry matched; the floor is then just process start-up.
    if !status.success() && status.code() != Some(11) && status.code() != Some(1) {
        bail!("unzip failed on {}", path.display());
    }
    Ok(elapsed)
}

fn time_hegui(exe: &Path, path: &Path) -> anyhow::Result<(Duration, u64)> {
    let start = Instant::now();
    let out = Command::new(exe)
        .args(["scan", "--quiet", "--output", "/dev/null"])
        .arg(path)
        .env("HEGUI_PRINT_PEAK_RSS", "1")
        .stdout(Stdio::null())
        .output()
        .context("running hegui scan")?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Ok((elapsed, rss))
}

pub fn run(args: BenchArgs) -> anyhow::Result<u8> {
    if let Some(n) = args.trace_events {
        crate::bench_trace::run(n, args.runs.max(1));
        return Ok(exit::OK);
    }
    #[cfg(feature = "platform")]
    if args.platform {
        let dir = std::env::temp_dir().join(format!("hegui-bench-{}", std::process::id()));
        let config = hegui_platform::Config::new(dir.clone(), args.db.clone(), None);
        let result = hegui_platform::bench::run_blocking(
            config,
            args.jobs,
            args.paths.first().map(PathBuf::as_path),
            args.scans,
        );
        let _ = std::fs::remove_dir_all(&dir);
        result?;
        return Ok(exit::OK);
    }
    let exe = std::env::current_exe().context("locating the hegui binary")?;
    let expanded = expand(&args.paths);
    if let Some(p) = expanded.missing.first() {
        bail!("{}: no such file or folder", p.display());
    }
    let inputs: Vec<PathBuf> = expanded.inputs.into_iter().map(|i| i.path).collect();
    let runs = args.runs.max(1);
    let (policies, inputs): (Vec<PathBuf>, Vec<PathBuf>) = inputs
        .into_iter()
        .partition(|p| hegui_policy::bench::is_policy(p));
    if !policies.is_empty() {
        hegui_policy::bench::run(&policies, runs, peak_rss_kb);
        if inputs.is_empty() {
            return Ok(exit::OK);
        }
        println!();
    }
    let (miniprograms, files): (Vec<PathBuf>, Vec<PathBuf>) = inputs
        .into_iter()
        .partition(|p| bench_mp::is_miniprogram(p));
    if !miniprograms.is_empty() {
        bench_miniprograms(&miniprograms, runs);
        if files.is_empty() {
            return Ok(exit::OK);
        }
        println!();
    }
    if Command::new("unzip")
        .arg("-v")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        bail!("`unzip` is needed for the floor measurement (apt-get install unzip)");
    }
    println!(
        "{:<44} {:>9} {:>9} {:>7} {:>9} {:>11} {:>7}",
        "package", "floor ms", "hegui ms", "ratio", "peak MiB", "budget MiB", "sdk %"
    );
    let mut ratios = Vec::new();
    let mut sdk_shares = Vec::new();
    let mut over_budget = 0;
    for file in &files {
        let entries = code_entries(file);
        let mut floor = Vec::new();
        let mut scan = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            floor.push(time_floor(file, &entries)?);
            let (t, rss) = time_hegui(&exe, file)?;
            scan.push(t);
            peak = peak.max(rss);
        }
        let (f, s) = (median(floor), median(scan));
        let share = sdk_stage_share(file, runs);
        sdk_shares.push(share);
        let ratio = s.as_secs_f64() / f.as_secs_f64().max(1e-6);
        let budget_kb = 2 * largest_code(file, &entries) / 1024 + 64 * 1024;
        if peak > budget_kb {
            over_budget += 1;
        }
        ratios.push(ratio);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!(
            "{:<44} {:>9.1} {:>9.1} {:>6.2}x {:>9.1} {:>11.1} {:>6.1}%",
            name,
            f.as_secs_f64() * 1e3,
            s.as_secs_f64() * 1e3,
            ratio,
            peak as f64 / 1024.0,
            budget_kb as f64 / 1024.0,
            share * 100.0
        );
    }
    ratios.sort_by(f64::total_cmp);
    let med = ratios.get(ratios.len() / 2).copied().unwrap_or(0.0);
    println!(
        "\nmedian ratio hegui/floor: {med:.2}x over {} package(s), {runs} run(s) each; {} over the memory budget (2 x largest DEX + 64 MiB)",
        files.len(),
        over_budget
    );
    sdk_shares.sort_by(f64::total_cmp);
    println!(
        "SDK detection and attribution, share of the in-process pipeline time: median {:.1}%, max {:.1}%",
        sdk_shares.get(sdk_shares.len() / 2).copied().unwrap_or(0.0) * 100.0,
        sdk_shares.last().copied().unwrap_or(0.0) * 100.0
    );
    Ok(exit::OK)
}

/// Mini-programs: in-process scan against the in-process floor (read, decrypt, decode).
fn bench_miniprograms(paths: &[PathBuf], runs: usize) {
    bench_mp::print_header();
    let mut ratios = Vec::new();
    let mut vs_parse = Vec::new();
    let (mut js, mut scan_secs) = (0u64, 0f64);
    for path in paths {
        let row = bench_mp::measure(path, runs);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (ratio, parse) = bench_mp::print_row(&name, &row);
        ratios.push(ratio);
        vs_parse.push(parse);
        js += row.js_bytes;
        scan_secs += row.scan.as_secs_f64();
    }
    ratios.sort_by(f64::total_cmp);
    vs_parse.sort_by(f64::total_cmp);
    println!(
        "\nmedian ratio scan/floor: {:.2}x, scan/(floor + oxc parse): {:.2}x over {} mini-program(s), {runs} run(s) each; JavaScript parsed: {:.1} MB/s overall",
        ratios.get(ratios.len() / 2).copied().unwrap_or(0.0),
        vs_parse.get(vs_parse.len() / 2).copied().unwrap_or(0.0),
        paths.len(),
        js as f64 / 1e6 / scan_secs.max(1e-9)
    );
}

/// Median share of the SDK stage in the in-process pipeline (extract + SDKs + rules).
fn sdk_stage_share(path: &Path, runs: usize) -> f64 {
    let Ok(bytes) = std::fs::read(path) else {
        return 0.0;
    };
    let opts = hegui_scan::ScanOptions::default();
    let mut shares: Vec<f64> = (0..runs)
        .map(|_| {
            let t = hegui_scan::stage_times(&bytes, &opts);
            let total = (t.extract + t.sdks + t.rules).as_secs_f64().max(1e-9);
            t.sdks.as_secs_f64() / total
        })
        .collect();
    shares.sort_by(f64::total_cmp);
    shares.get(shares.len() / 2).copied().unwrap_or(0.0)
}
