//! A worker: claims a job, fetches the package from storage into its scratch folder, runs
//! the hegui engine on it (on a blocking thread), stores the JSON report by package and
//! ruleset, and records the result, renewing its lease all the while.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::Row;
use tokio::sync::watch;

use crate::Platform;
use crate::audit::{self, Actor};
use crate::domain;
use crate::queue::{self, Claimed};
use crate::store::{artifact_key, report_key};

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names this worker in leases (host and process by default).
    pub id: String,
    pub lease_ms: i64,
    /// How long to sleep when the queue is empty.
    pub idle_ms: u64,
    /// Wait this long after claiming each job before working on it: for failover drills
    /// (kill a worker while it holds a job and watch another finish it). 0 in service.
    pub hold_ms: u64,
    /// A scan still running after this long fails the attempt (so a package that makes
    /// the engine spin is retried, then dead-lettered, instead of holding its lease
    /// forever). The engine's thread cannot be interrupted and finishes on its own.
    pub scan_timeout: Duration,
}

impl WorkerOptions {
    pub fn new(label: &str) -> WorkerOptions {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        WorkerOptions {
            id: format!("{host}:{}:{label}", std::process::id()),
            lease_ms: 60_000,
            idle_ms: 500,
            hold_ms: 0,
            scan_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// A set of workers in this process, named `template.id` plus a number.
pub struct Pool {
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Pool {
    pub fn start(platform: &Platform, template: &WorkerOptions, count: usize) -> Pool {
        let (stop, stop_rx) = watch::channel(false);
        let tasks = (0..count)
            .map(|n| {
                let options = WorkerOptions {
                    id: format!("{}{n}", template.id),
                    ..template.clone()
                };
                tokio::spawn(run(platform.clone(), options, stop_rx.clone()))
            })
            .collect();
        Pool { stop, tasks }
    }

    /// Ask every worker to stop after its current job, and wait for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Run until `stop` turns true. Errors of one job are recorded on the job; errors of the
/// queue itself (database gone) are retried after a pause.
pub async fn run(platform: Platform, options: WorkerOptions, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match queue::claim(&platform.db, &options.id, options.lease_ms).await {
            Ok(Some(job)) => process(&platform, &options, job).await,
            Ok(None) => idle(&mut stop, options.idle_ms).await,
            Err(e) => {
                eprintln!("hegui worker {}: claiming a job: {e:#}", options.id);
                idle(&mut stop, options.idle_ms.max(2_000)).await;
            }
        }
    }
}

async fn idle(stop: &mut watch::Receiver<bool>, ms: u64) {
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_millis(ms)) => {}
        _ = stop.changed() => {}
    }
}

async fn process(platform: &Platform, options: &WorkerOptions, job: Claimed) {
    let lost = Arc::new(AtomicBool::new(false));
    let beat = tokio::spawn(heartbeat(
        platform.clone(),
        job.id,
        options.id.clone(),
        options.lease_ms,
        lost.clone(),
    ));
    if options.hold_ms > 0 {
        tokio::time::sleep(Duration::from_millis(options.hold_ms)).await;
    }
    let result = analyse(platform, &job, options.scan_timeout).await;
    beat.abort();
    if lost.load(Ordering::SeqCst) {
        // Another worker has the job now; its result is the one kept.
        return;
    }
    let db = &platform.db;
    let outcome = match result {
        Ok(done) => record_done(platform, options, &job, &done).await,
        Err(e) => queue::fail(db, &job, &options.id, &format!("{e:#}")).await,
    };
    if let Err(e) = outcome {
        eprintln!(
            "hegui worker {}: recording job {}: {e:#}",
            options.id, job.id
        );
    }
}

/// Record a finished analysis and its audit entry, in one transaction: both or neither.
async fn record_done(
    platform: &Platform,
    options: &WorkerOptions,
    job: &Claimed,
    done: &Analysed,
) -> anyhow::Result<()> {
    let findings = i64::try_from(done.findings.len()).unwrap_or(i64::MAX);
    let _turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    queue::relaxed_commit(&platform.db, &mut tx).await?;
    let actor = Actor {
        user_id: None,
        name: format!("worker {}", options.id),
    };
    if let Some((code, message)) = &done.unreadable {
        // Nothing in the input could be read: a failed scan saying why, not "done, 0 findings".
        let key = &done.report_key;
        if queue::reject_in(&mut tx, job.id, &options.id, key, code, message).await? {
            let detail = serde_json::json!({
                "sha256": job.sha256, "ruleset": job.ruleset, "inputs": job.inputs,
                "report": key, "error_code": code,
            });
            let object = format!("analysis:{}", job.id);
            audit::record_in(&mut tx, &actor, "analysis.unreadable", &object, detail).await?;
        }
    } else if queue::complete_in(&mut tx, job.id, &options.id, &done.report_key, findings).await? {
        let detail = serde_json::json!({
            "sha256": job.sha256, "ruleset": job.ruleset, "inputs": job.inputs,
            "report": done.report_key, "findings": findings,
        });
        let object = format!("analysis:{}", job.id);
        audit::record_in(&mut tx, &actor, "analysis.done", &object, detail).await?;
        if let Some(version) = &done.version {
            let (app, version) = domain::upsert_version(&mut tx, &job.sha256, version).await?;
            let source = domain::ResultSource {
                engine: "hegui",
                format: "hegui-report",
                analysis_id: Some(job.id),
                report_key: &done.report_key,
                report_sha256: &done.report_sha256,
                imported_by: None,
            };
            domain::record_result(&mut tx, app, version, &source, &done.findings).await?;
            domain::flag_recurrences(&mut tx, app, version).await?;
            crate::casework::compare_submissions(&mut tx, &actor, job.id, app, version).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn heartbeat(
    platform: Platform,
    id: i64,
    worker: String,
    lease_ms: i64,
    lost: Arc<AtomicBool>,
) {
    let every = Duration::from_millis(u64::try_from(lease_ms / 3).unwrap_or(1_000).max(100));
    loop {
        tokio::time::sleep(every).await;
        match queue::heartbeat(&platform.db, id, &worker, lease_ms).await {
            Ok(true) => {}
            Ok(false) => {
                lost.store(true, Ordering::SeqCst);
                return;
            }
            // A database blip: try again; the lease has slack for a few misses.
            Err(e) => eprintln!("hegui worker {worker}: renewing job {id}: {e:#}"),
        }
    }
}

/// The file name of the analysis's first scan, made safe to use as a file name here.
async fn first_file_name(platform: &Platform, analysis: i64) -> anyhow::Result<Option<String>> {
    let row = sqlx::query(
        "SELECT file_name FROM scans WHERE analysis_id = $1 AND file_name IS NOT NULL ORDER BY id LIMIT 1",
    )
    .bind(analysis)
    .fetch_optional(&platform.db.pool)
    .await?;
    let name: Option<String> = match row {
        Some(r) => r.try_get("file_name")?,
        None => None,
    };
    Ok(name.map(|n| safe_file_name(&n)).filter(|n| !n.is_empty()))
}

/// A submitted name as one harmless path component: no separators, no leading dots,
/// printable, bounded.
pub fn safe_file_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// What a finished analysis leaves: the stored report and what it says about the version.
struct Analysed {
    /// The engine's error code and message when nothing in the input could be read.
    unreadable: Option<(String, String)>,
    report_key: String,
    report_sha256: String,
    version: Option<domain::VersionFacts>,
    findings: Vec<domain::FindingRow>,
}

/// Fetch, scan, store the report.
async fn analyse(
    platform: &Platform,
    job: &Claimed,
    scan_timeout: Duration,
) -> anyhow::Result<Analysed> {
    let scratch = tempfile::Builder::new()
        .prefix("job-")
        .tempdir_in(&platform.config.scratch_dir)?;
    // The name it was first submitted under: the engine reads some facts from it (a
    // PC-encrypted mini-program's appid), and reports show it.
    let name = first_file_name(platform, job.id)
        .await?
        .unwrap_or_else(|| job.sha256.clone());
    let package = scratch.path().join(&name);
    platform
        .store
        .get_to_file(
            &artifact_key(&job.sha256),
            &package,
            platform.config.max_upload_bytes,
        )
        .await?;
    let options = hegui_scan::ScanOptions {
        listings: inputs_listings(platform, &job.inputs).await?,
        // Only mini-programs are run; other packages ignore it.
        run: platform
            .config
            .run_miniprograms
            .then(hegui_scan::RunLimits::default),
        ..hegui_scan::ScanOptions::default()
    };
    let started = std::time::Instant::now();
    let scan = tokio::task::spawn_blocking(move || hegui_scan::scan_path(&package, &options));
    let too_long = || anyhow::anyhow!("the scan ran longer than {} s", scan_timeout.as_secs());
    let mut report = tokio::time::timeout(scan_timeout, scan)
        .await
        .map_err(|_| too_long())??;
    // A scan that finished between the deadline and the timer's first check is still late.
    if started.elapsed() > scan_timeout {
        return Err(too_long());
    }
    report.artifact.path = name;
    let json = hegui_report::render_json(&report).map_err(|e| anyhow::anyhow!("report: {e}"))?;
    let report_sha256 = crate::auth::sha256_hex(json.as_bytes());
    let key = match job.inputs.as_str() {
        "" => report_key(&job.sha256, &job.ruleset),
        inputs => report_key(
            &job.sha256,
            &format!("{}+{}", job.ruleset, inputs.replace(':', "-")),
        ),
    };
    platform.store.put_bytes(&key, json.into_bytes()).await?;
    Ok(Analysed {
        unreadable: hegui_scan::unreadable(&report).map(|e| (e.code.clone(), e.message.clone())),
        report_key: key,
        report_sha256,
        version: domain::version_facts(&report),
        findings: domain::finding_rows(&report),
    })
}

/// The store listing a job is judged with (`listing:<id>`), read back from its feed line.
async fn inputs_listings(
    platform: &Platform,
    inputs: &str,
) -> anyhow::Result<Arc<[hegui_scan::Listing]>> {
    let Some(id) = inputs.strip_prefix("listing:") else {
        return Ok(Arc::from(Vec::new()));
    };
    let id: i64 = id
        .parse()
        .map_err(|_| anyhow::anyhow!("job inputs {inputs:?}: not a listing id"))?;
    let line: String = sqlx::query("SELECT line FROM listings WHERE id = $1")
        .bind(id)
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("line")?;
    let listing = hegui_scan::parse_listing(&format!("listing:{id}"), &line)?;
    Ok(Arc::from(vec![listing]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn submitted_names_cannot_leave_the_scratch_folder() {
        use super::safe_file_name;
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\x.apk"), "x.apk");
        assert_eq!(safe_file_name(".."), "");
        assert_eq!(
            safe_file_name("wx1234567890abcdef.wxapkg"),
            "wx1234567890abcdef.wxapkg"
        );
        assert_eq!(safe_file_name("a\nb.apk"), "ab.apk");
    }
}
