//! `hegui bench --platform`: what the platform costs around the engine.
//!
//! - **Queue**: enqueue N small jobs, then two claimers claim and complete them all; jobs/s
//!   and the claim latency's p50/p99.
//! - **Overhead**: the same package analysed M times through the platform (fetched from
//!   the store, scanned, report stored, result recorded, by two workers) against M scans of
//!   it straight from disk on two threads. Each platform job gets its own ruleset label so
//!   deduplication does not skip the work.

use std::time::{Duration, Instant};

use crate::db::Db;
use crate::store::artifact_key;
use crate::{Platform, queue, worker};

#[derive(Debug, Clone)]
pub struct QueueFigures {
    pub jobs: usize,
    pub enqueue_per_s: f64,
    pub claim_complete_per_s: f64,
    pub claim_p50: Duration,
    pub claim_p99: Duration,
}

#[derive(Debug, Clone)]
pub struct OverheadFigures {
    pub scans: usize,
    pub direct: Duration,
    pub platform: Duration,
}

impl OverheadFigures {
    /// Platform time over direct time, minus one.
    pub fn overhead(&self) -> f64 {
        self.platform.as_secs_f64() / self.direct.as_secs_f64().max(1e-9) - 1.0
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// Enqueue `jobs` jobs, then claim and complete them with `claimers` concurrent claimers.
pub async fn queue(db: &Db, jobs: usize, claimers: usize) -> anyhow::Result<QueueFigures> {
    let label = format!("bench-{}", crate::db::now_ms());
    let shas: Vec<String> = (0..jobs).map(|i| format!("{label}-{i:08}")).collect();
    for sha in &shas {
        sqlx::query(
            "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, 0, $1, 0) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha)
        .execute(&db.pool)
        .await?;
    }
    let t = Instant::now();
    for sha in &shas {
        queue::enqueue(db, sha, &label, queue::PRIORITY_BULK, 3).await?;
    }
    let enqueue = t.elapsed();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..claimers.max(1) {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let me = format!("bench-claimer-{c}");
            let mut latencies = Vec::new();
            loop {
                let t = Instant::now();
                let Some(job) = queue::claim(&db, &me, 60_000).await? else {
                    break;
                };
                latencies.push(t.elapsed());
                queue::complete(&db, job.id, &me, "bench", 0).await?;
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let drained = t.elapsed();
    latencies.sort();
    Ok(QueueFigures {
        jobs,
        enqueue_per_s: jobs as f64 / enqueue.as_secs_f64().max(1e-9),
        claim_complete_per_s: latencies.len() as f64 / drained.as_secs_f64().max(1e-9),
        claim_p50: percentile(&latencies, 0.50),
        claim_p99: percentile(&latencies, 0.99),
    })
}

/// Analyse `package` `scans` times through the platform with `workers` workers, against
/// the same number of direct scans on as many threads.
pub async fn overhead(
    platform: &Platform,
    package: &std::path::Path,
    scans: usize,
    workers: usize,
) -> anyhow::Result<OverheadFigures> {
    let bytes = tokio::fs::read(package).await?;
    let sha = crate::auth::sha256_hex(&bytes);
    let key = artifact_key(&sha);
    if !platform.store.exists(&key).await? {
        platform.store.put_file(&key, package).await?;
    }
    sqlx::query(
        "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(&key)
    .execute(&platform.db.pool)
    .await?;

    // Direct: the engine alone, `workers` threads sharing the scans.
    let path = package.to_path_buf();
    let t = Instant::now();
    let mut threads = Vec::new();
    for w in 0..workers.max(1) {
        let path = path.clone();
        let share = (w..scans).step_by(workers.max(1)).count();
        threads.push(tokio::task::spawn_blocking(move || {
            let options = hegui_scan::ScanOptions::default();
            for _ in 0..share {
                std::hint::black_box(hegui_scan::scan_path(&path, &options));
            }
        }));
    }
    for t in threads {
        t.await?;
    }
    let direct = t.elapsed();

    // Through the platform: queued, claimed, fetched, scanned, stored, recorded.
    let label = format!("bench-{}", crate::db::now_ms());
    let t = Instant::now();
    let mut ids = Vec::new();
    for i in 0..scans {
        let ruleset = format!("{label}-{i}");
        ids.push(queue::enqueue(&platform.db, &sha, &ruleset, queue::PRIORITY_NORMAL, 3).await?);
    }
    let mut template = worker::WorkerOptions::new("bench");
    template.idle_ms = 5;
    let pool = worker::Pool::start(platform, &template, workers.max(1));
    // Watching for the end costs little: a primary-key range, every 10 ms.
    let (first, last) = (
        ids.iter().min().copied().unwrap_or(0),
        ids.iter().max().copied().unwrap_or(0),
    );
    loop {
        let done: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM analyses WHERE id BETWEEN $1 AND $2 \
             AND status IN ('done', 'failed')",
        )
        .bind(first)
        .bind(last)
        .fetch_one(&platform.db.pool)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, "n"))?;
        if usize::try_from(done).unwrap_or(0) >= ids.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let through_platform = t.elapsed();
    pool.stop().await;
    Ok(OverheadFigures {
        scans,
        direct,
        platform: through_platform,
    })
}

/// `hegui bench --platform` from a synchronous caller: prints the figures.
pub fn run_blocking(
    config: crate::Config,
    jobs: usize,
    package: Option<&std::path::Path>,
    scans: usize,
) -> anyhow::Result<()> {
    crate::block_on(async {
        let platform = Platform::open(config).await?;
        let backend = format!("{:?}", platform.db.backend);
        let q = queue(&platform.db, jobs, 2).await?;
        println!("platform queue on {backend}: {} jobs, 2 claimers", q.jobs);
        println!("  enqueue           {:>10.0} jobs/s", q.enqueue_per_s);
        println!(
            "  claim + complete  {:>10.0} jobs/s",
            q.claim_complete_per_s
        );
        println!(
            "  claim latency     p50 {:.2} ms, p99 {:.2} ms",
            q.claim_p50.as_secs_f64() * 1000.0,
            q.claim_p99.as_secs_f64() * 1000.0
        );
        if let Some(package) = package {
            let o = overhead(&platform, package, scans, 2).await?;
            println!(
                "platform overhead on {backend}: {} scans of {} with 2 workers",
                o.scans,
                package.display()
            );
            println!(
                "  direct (engine only)   {:>9.1} ms",
                o.direct.as_secs_f64() * 1000.0
            );
            println!(
                "  through the platform   {:>9.1} ms",
                o.platform.as_secs_f64() * 1000.0
            );
            println!("  overhead               {:>9.1} %", o.overhead() * 100.0);
        }
        anyhow::Ok(())
    })
}
