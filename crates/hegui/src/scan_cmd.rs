//! `hegui scan`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, bail};
use hegui_model::{Lang, Report, Severity};
use hegui_report::{Format, RuleDescriptor, render, render_json_line, sarif_log};
use hegui_scan::{ScanOptions, rule_descriptors, scan_path, unreadable};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{LangArg, OutputFormat, ScanArgs, SeverityArg};
use crate::exit;
use crate::inputs::{Expanded, Input, expand};

/// The stderr line naming an input nothing could be read from, and why (the first error; the
/// report has them all).
fn failure_line(path: &Path, report: &Report) -> Option<String> {
    let first = unreadable(report)?;
    let mut line = format!(
        "hegui: {}: {}: {}",
        path.display(),
        first.code,
        first.message
    );
    if report.errors.len() > 1 {
        line.push_str(&format!(
            " (+{} more in its report)",
            report.errors.len() - 1
        ));
    }
    Some(line)
}

fn format_of(f: OutputFormat) -> Format {
    match f {
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Html => Format::Html,
        OutputFormat::Md => Format::Markdown,
    }
}

pub fn severity_of(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

pub fn lang_of(l: LangArg) -> Lang {
    match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }
}

/// Where reports go.
enum Sink {
    Stdout,
    File(PathBuf),
    Dir(PathBuf),
}

/// What each scan leaves behind once its report is written.
struct Outcome {
    worst: Option<Severity>,
    /// Why the input could not be read, as the line stderr shows.
    failure: Option<String>,
    findings: usize,
    report: Option<Report>,
}

pub fn run(args: ScanArgs) -> anyhow::Result<u8> {
    let Expanded { inputs, missing } = expand(&args.paths);
    // A path that names nothing is an unreadable input, said at once, not a package.
    for p in &missing {
        eprintln!("hegui: {}: not-found: no such file or folder", p.display());
    }
    if inputs.is_empty() {
        if !missing.is_empty() {
            return Ok(exit::UNREADABLE);
        }
        bail!("no supported package found under the given paths");
    }
    let format = format_of(args.format);
    let lang = lang_of(args.lang);
    let several = inputs.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    let sink = match &args.output {
        None => {
            if several && format == Format::Html {
                bail!("--format html with several inputs needs --output DIR");
            }
            Sink::Stdout
        }
        Some(p) if p.is_dir() || several || p.to_string_lossy().ends_with('/') => {
            fs::create_dir_all(p)
                .with_context(|| format!("cannot create output folder {}", p.display()))?;
            Sink::Dir(p.clone())
        }
        Some(p) => Sink::File(p.clone()),
    };
    if let Some(jobs) = args.jobs {
        // Ignore the error of a pool already built: the default pool then serves.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let app_type = match &args.app_type {
        None => None,
        Some(key) => match hegui_knowledge::app_type(key) {
            Some(t) => Some(t.app_type.clone()),
            None => {
                let known: Vec<String> = hegui_knowledge::app_types()
                    .iter()
                    .map(|t| format!("{} {} ({})", t.no, t.app_type, t.app_type_en))
                    .collect();
                anyhow::bail!(
                    "unknown --app-type {key:?}; the 39 types are:\n  {}",
                    known.join("\n  ")
                );
            }
        },
    };
    if let Some(p) = &args.policy
        && !p.is_file()
    {
        anyhow::bail!("--policy {}: no such file", p.display());
    }
    for p in args.trace.iter().chain(&args.har) {
        if !p.is_file() {
            anyhow::bail!("{}: no such file", p.display());
        }
    }
    let thresholds = match &args.thresholds {
        None => None,
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("--thresholds {}: {e}", p.display()))?;
            let t = hegui_knowledge::Thresholds::parse_override(&text)
                .map_err(|e| anyhow::anyhow!("--thresholds {}: {e}", p.display()))?;
            Some(std::sync::Arc::new(t))
        }
    };
    let import = crate::trace_cmd::import_options(&args.trace_tz, args.trace_year)?;
    let listings = match &args.listing {
        None => std::sync::Arc::from(Vec::new()),
        Some(p) => read_listings(p)?,
    };
    let opts = ScanOptions {
        preview: args.preview,
        traces: args.trace.clone(),
        captures: args.har.clone(),
        thresholds,
        import,
        sdk_catalog: crate::sdks_cmd::load_catalog(&args.sdk_db, args.quiet)?,
        appid: args.appid.clone(),
        policy: args.policy.clone(),
        force_policy: args.kind == Some(crate::cli::KindArg::Policy),
        app_type,
        listings,
        run: args.run.then(|| hegui_scan::RunLimits {
            taps: args.run_taps,
            time: std::time::Duration::from_secs(args.run_seconds.clamp(1, 600)),
            ..hegui_scan::RunLimits::default()
        }),
        ..ScanOptions::default()
    };
    let rules = rule_descriptors();
    let progress = progress_bar(inputs.len() as u64, args.quiet);
    let stdout = Mutex::new(std::io::stdout());
    // SARIF on stdout for several inputs is one log with a run per input: keep the reports.
    let keep = matches!(sink, Sink::Stdout) && (format != Format::Json || !several);

    let outcomes: Vec<anyhow::Result<Outcome>> = inputs
        .par_iter()
        .map(|input| {
            progress.set_message(input.path.display().to_string());
            let report = scan_path(&input.path, &opts);
            let outcome = Outcome {
                worst: report.findings.iter().map(|f| f.severity).max(),
                failure: failure_line(&input.path, &report),
                findings: report.findings.len(),
                report: None,
            };
            let result = match &sink {
                Sink::Dir(dir) => {
                    write_into(dir, input, &report, format, lang, &rules).map(|_| outcome)
                }
                Sink::Stdout if !keep => {
                    let line = render_json_line(&report)?;
                    let mut out = stdout
                        .lock()
                        .map_err(|_| anyhow::anyhow!("stdout lock poisoned"))?;
                    writeln!(out, "{line}")?;
                    Ok(outcome)
                }
                _ => Ok(Outcome {
                    report: Some(report),
                    ..outcome
                }),
            };
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();

    let mut kept = Vec::new();
    let mut worst = None;
    let mut failures = Vec::new();
    let mut total_findings = 0;
    for outcome in outcomes {
        let o = outcome?;
        worst = worst.max(o.worst);
        failures.extend(o.failure);
        total_findings += o.findings;
        kept.extend(o.report);
    }
    match &sink {
        Sink::Stdout if keep => {
            let text = if format == Format::Sarif && kept.len() > 1 {
                sarif_log(&kept.iter().collect::<Vec<_>>(), &rules)?
            } else {
                kept.iter()
                    .map(|r| render(r, format, lang, &rules))
                    .collect::<Result<Vec<_>, _>>()?
                    .join("\n")
            };
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
        }
        Sink::File(path) => {
            let text = kept
                .iter()
                .map(|r| render(r, format, lang, &rules))
                .collect::<Result<Vec<_>, _>>()?
                .join("\n");
            fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
        _ => {}
    }
    // Failures are said even with --quiet: a CI log must show why the exit code is 3.
    for line in &failures {
        eprintln!("{line}");
    }
    let unreadable_count = failures.len() + missing.len();
    if !args.quiet {
        eprintln!(
            "hegui: {} input(s) scanned, {} finding(s){}",
            inputs.len() - failures.len(),
            total_findings,
            if unreadable_count > 0 {
                format!(", {unreadable_count} input(s) unreadable (named above)")
            } else {
                String::new()
            }
        );
    }
    if std::env::var_os("HEGUI_PRINT_PEAK_RSS").is_some() {
        eprintln!("peak_rss_kb={}", crate::bench::peak_rss_kb().unwrap_or(0));
    }
    let failing = args
        .fail_on
        .map(severity_of)
        .is_some_and(|t| worst.is_some_and(|w| w >= t));
    Ok(if unreadable_count > 0 {
        exit::UNREADABLE
    } else if failing {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if quiet || len < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed_precise} ETA {eta} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// Write one report into the output folder under a name derived from the input's file name
/// (never from archive content) and its hash, so nothing lands outside the folder.
fn write_into(
    dir: &Path,
    input: &Input,
    report: &Report,
    format: Format,
    lang: Lang,
    rules: &[RuleDescriptor],
) -> anyhow::Result<()> {
    let stem = safe_name(
        &input
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "artifact".into()),
    );
    let path = dir.join(format!(
        "{stem}-{}.{}",
        name_suffix(input, report),
        format.extension()
    ));
    let text = render(report, format, lang, rules)?;
    fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A name as one harmless file-name component.
fn safe_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe.trim_start_matches('.').to_string()
}

/// What tells reports with the same stem apart: the package's hash; for a folder (which has
/// none) its appid, else a hash of the folder's path, so two projects never share a file.
fn name_suffix(input: &Input, report: &Report) -> String {
    if let Some(hash) = report.artifact.sha256.get(..12) {
        return hash.to_string();
    }
    let appid = safe_name(&report.app.id);
    if !appid.is_empty() {
        return appid.chars().take(64).collect();
    }
    let path = input
        .path
        .canonicalize()
        .unwrap_or_else(|_| input.path.clone());
    format!("{:012x}", fnv1a(path.to_string_lossy().as_bytes()) >> 16)
}

/// FNV-1a, 64 bits: a stable hash for a file name (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every listing of a feed; a bad line stops the scan with its line number.
fn read_listings(path: &std::path::Path) -> anyhow::Result<std::sync::Arc<[hegui_scan::Listing]>> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("--listing {}: {e}", path.display()))?;
    let name = path.display().to_string();
    let listings = hegui_scan::read_feed(&name, std::io::BufReader::new(file))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--listing {e}"))?;
    if listings.is_empty() {
        anyhow::bail!("--listing {name}: no listing in the file");
    }
    Ok(listings.into())
}
