//! Runtime traces and captures: scanned on their own (`hegui scan run.jsonl`) or read with
//! a package (`--trace`, `--har`). Traces are streamed from disk, never loaded whole.

use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_model::{AppInfo, ArtifactKind, Report, ScanError};
use hegui_trace::{Analyzer, InputKind, TraceOptions};
use sha2::{Digest, Sha256};

use crate::{ScanOptions, empty_report, judge};

/// Scan a trace (or capture, or export) given as the artifact itself.
pub(crate) fn scan_trace(
    path: &Path,
    display: &str,
    kind: InputKind,
    opts: &ScanOptions,
    started: Instant,
) -> Report {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut report = empty_report(display, "", size, ArtifactKind::Trace);
    // Hash on one core while the other reads the events.
    let (sha, ()) = rayon::join(
        || sha256_file(path),
        || attach(&mut report, Some((path, display, kind)), opts, None),
    );
    report.artifact.sha256 = sha.unwrap_or_default();
    if let Some(p) = &opts.policy {
        crate::attach_policy(&mut report, p, opts);
    }
    if let Some(t) = &report.facts.trace {
        report.app = AppInfo {
            platform: t.platform.clone().unwrap_or_else(|| "trace".into()),
            id: t.package.clone().unwrap_or_default(),
            name: None,
            version: t.version.clone(),
        };
    }
    judge(&mut report, opts);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

fn sha256_file(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).ok()?;
    Some(hex::encode(h.finalize()))
}

/// Read the artifact (when it is a trace) and every `--trace` and `--har` file into one
/// analysis: traces first, so that captures without run ids fall into the runs by time.
pub(crate) fn attach(
    report: &mut Report,
    main: Option<(&Path, &str, InputKind)>,
    opts: &ScanOptions,
    run: Option<&crate::sandbox::RunTrace>,
) {
    // (path, name, kind when already known)
    type Input = (PathBuf, String, Option<InputKind>);
    let mut traces: Vec<Input> = Vec::new();
    let mut captures: Vec<Input> = Vec::new();
    if let Some((p, d, kind)) = main {
        let slot = if matches!(kind, InputKind::Har | InputKind::MitmFlows) {
            &mut captures
        } else {
            &mut traces
        };
        slot.push((p.to_path_buf(), d.to_string(), Some(kind)));
    }
    for p in &opts.traces {
        traces.push((p.clone(), p.display().to_string(), None));
    }
    for p in &opts.captures {
        captures.push((p.clone(), p.display().to_string(), None));
    }
    if traces.is_empty() && captures.is_empty() && run.is_none() {
        return;
    }
    let thresholds = opts.thresholds();
    let mut analyzer = Analyzer::new(opts.catalog(), TraceOptions::from_thresholds(thresholds));
    let mut errors: Vec<ScanError> = Vec::new();
    // A trace whose seq goes backwards is not one ordered recording: nothing is judged.
    let mut rejected = false;
    // The sandbox's run first: it is the package's own, the files given with it follow.
    if let Some(run) = run
        && let Err(e) = hegui_trace::read_jsonl(&mut analyzer, &run.display, run.jsonl.as_bytes())
    {
        errors.push(e);
    }
    for (path, display, kind) in traces.iter().chain(&captures) {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
            Some(k) => hegui_trace::read_as(&mut analyzer, path, display, *k, &opts.import),
            None => hegui_trace::read_path(&mut analyzer, path, display, &opts.import).map(drop),
        }));
        match read {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                rejected |= e.code == "trace-seq-decreased";
                errors.push(e);
            }
            Err(_) => errors.push(ScanError::new(
                "internal-error",
                "the trace reader failed on this file; please report it",
                Some(display),
            )),
        }
    }
    let (facts, read_errors) = analyzer.finish();
    report.errors.extend(read_errors);
    report.errors.extend(errors);
    if !rejected && (facts.events > 0 || !facts.sources.is_empty()) {
        report.facts.trace = Some(facts);
    }
}
