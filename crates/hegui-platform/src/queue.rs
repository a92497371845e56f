//! The job queue, as rows of `analyses`: one per package SHA-256 and ruleset, so the same
//! package submitted twice (or by two organisations) is analysed once.
//!
//! - **Claim**: the highest priority, oldest queued row whose time has come, or a running
//!   row whose lease ran out (its worker died). PostgreSQL takes it with
//!   `FOR UPDATE SKIP LOCKED`, so workers never wait on each other; SQLite's single writer
//!   makes the same statement atomic.
//! - **Lease**: a worker holds a job while it renews the lease (heartbeat). Results are
//!   accepted only from the lease holder, so a job finishes exactly once even when a slow
//!   worker comes back after its job was handed to another.
//! - **Retry**: a failure re-queues the job after a growing delay; after `max_attempts` it
//!   is dead-lettered (`failed`, with the last error kept).

use sqlx::Row;

use crate::db::{Backend, Db, now_ms};

/// Re-tests jump ahead of everything else, bulk campaigns go last.
pub const PRIORITY_RETEST: i64 = 100;
pub const PRIORITY_NORMAL: i64 = 50;
pub const PRIORITY_BULK: i64 = 10;

/// First retry after this long, doubling each time, at most [`MAX_BACKOFF_MS`].
pub const BASE_BACKOFF_MS: i64 = 5_000;
pub const MAX_BACKOFF_MS: i64 = 600_000;

#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub sha256: String,
    pub ruleset: String,
    /// `''`, or `listing:<id>` for a package judged with a store listing.
    pub inputs: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Queue a package for analysis, or join the analysis already there (raising its priority
/// if this submission's is higher; a dead-lettered one starts over). Returns its id.
pub async fn enqueue(
    db: &Db,
    sha256: &str,
    ruleset: &str,
    priority: i64,
    max_attempts: i64,
) -> anyhow::Result<i64> {
    enqueue_with(db, sha256, ruleset, "", priority, max_attempts).await
}

/// [`enqueue`] with what else the engine is given (`listing:<id>`): another analysis of the
/// same package.
pub async fn enqueue_with(
    db: &Db,
    sha256: &str,
    ruleset: &str,
    inputs: &str,
    priority: i64,
    max_attempts: i64,
) -> anyhow::Result<i64> {
    let higher = match db.backend {
        Backend::Postgres => "GREATEST(analyses.priority, EXCLUDED.priority)",
        Backend::Sqlite => "MAX(analyses.priority, EXCLUDED.priority)",
    };
    let sql = format!(
        "INSERT INTO analyses (artifact_sha256, ruleset, inputs, status, priority, attempts, \
         max_attempts, run_after_ms, created_ms) VALUES ($1, $2, $6, 'queued', $3, 0, $4, $5, $5) \
         ON CONFLICT (artifact_sha256, ruleset, inputs) DO UPDATE SET priority = {higher}, \
         attempts = CASE WHEN analyses.status = 'failed' THEN 0 ELSE analyses.attempts END, \
         last_error = CASE WHEN analyses.status = 'failed' THEN NULL ELSE analyses.last_error END, \
         error_code = CASE WHEN analyses.status = 'failed' THEN NULL ELSE analyses.error_code END, \
         run_after_ms = CASE WHEN analyses.status = 'failed' THEN EXCLUDED.run_after_ms \
         ELSE analyses.run_after_ms END, \
         status = CASE WHEN analyses.status = 'failed' THEN 'queued' ELSE analyses.status END \
         RETURNING id"
    );
    let row = sqlx::query(&sql)
        .bind(sha256)
        .bind(ruleset)
        .bind(priority)
        .bind(max_attempts)
        .bind(now_ms())
        .bind(inputs)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get("id")?)
}

/// Take the next job for `worker`, leased for `lease_ms`.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64) -> anyhow::Result<Option<Claimed>> {
    let _turn = db.write_turn().await;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    relaxed_commit(db, &mut tx).await?;
    // A job whose worker died on its last allowed attempt is dead, not retried forever.
    sqlx::query(
        "UPDATE analyses SET status = 'failed', lease_owner = NULL, finished_ms = $1, \
         last_error = COALESCE(last_error, 'the worker stopped renewing its lease on every attempt') \
         WHERE status = 'running' AND lease_until_ms < $1 AND attempts >= max_attempts",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // A dead worker's job first (it has waited longest), then the queue; each condition
    // has its own index, which one OR would not use.
    let mut row = None;
    for due in [
        "status = 'running' AND lease_until_ms < $3",
        "status = 'queued' AND run_after_ms <= $3",
    ] {
        row = sqlx::query(&claim_sql(db.backend, due))
            .bind(worker)
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        if row.is_some() {
            break;
        }
    }
    tx.commit().await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Claimed {
        id: row.try_get("id")?,
        sha256: row.try_get("artifact_sha256")?,
        ruleset: row.try_get("ruleset")?,
        inputs: row.try_get("inputs")?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
    }))
}

/// On PostgreSQL, let a worker's transaction commit without waiting for its WAL flush
/// (`synchronous_commit = off`): a server crash can then forget the last few claims or
/// completions, which only means those jobs run again (leases expire, reports are
/// rewritten with the same content), and saves a disk flush per job (measured 2–10 ms on
/// our machines). Submissions keep the default.
pub async fn relaxed_commit(
    db: &Db,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> anyhow::Result<()> {
    if db.backend == Backend::Postgres {
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Take the best row matching `due` (the condition is repeated outside the subquery, so
/// a row another writer took in between is not taken twice).
fn claim_sql(backend: Backend, due: &str) -> String {
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    format!(
        "UPDATE analyses SET status = 'running', attempts = attempts + 1, lease_owner = $1, \
         lease_until_ms = $2, started_ms = $3 \
         WHERE id = (SELECT id FROM analyses WHERE {due} ORDER BY priority DESC, id LIMIT 1 {lock}) \
         AND {due} \
         RETURNING id, artifact_sha256, ruleset, inputs, attempts, max_attempts"
    )
}

/// Renew the lease. `false`: the job is no longer this worker's (its lease ran out and
/// another worker took it); stop and throw the work away.
pub async fn heartbeat(db: &Db, id: i64, worker: &str, lease_ms: i64) -> anyhow::Result<bool> {
    let _turn = db.write_turn().await;
    let done = sqlx::query(
        "UPDATE analyses SET lease_until_ms = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'running'",
    )
    .bind(now_ms() + lease_ms)
    .bind(id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Record the result. `false`: the lease was lost and the result not taken.
pub async fn complete(
    db: &Db,
    id: i64,
    worker: &str,
    report_key: &str,
    findings: i64,
) -> anyhow::Result<bool> {
    let _turn = db.write_turn().await;
    complete_on(&db.pool, id, worker, report_key, findings).await
}

/// [`complete`] inside the caller's transaction (with its audit entry, say).
pub async fn complete_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    worker: &str,
    report_key: &str,
    findings: i64,
) -> anyhow::Result<bool> {
    complete_on(&mut **tx, id, worker, report_key, findings).await
}

async fn complete_on<'e>(
    on: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
    worker: &str,
    report_key: &str,
    findings: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE analyses SET status = 'done', report_key = $1, findings = $2, \
         finished_ms = $3, lease_owner = NULL, lease_until_ms = NULL, last_error = NULL, \
         error_code = NULL \
         WHERE id = $4 AND lease_owner = $5 AND status = 'running'",
    )
    .bind(report_key)
    .bind(findings)
    .bind(now_ms())
    .bind(id)
    .bind(worker)
    .execute(on)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The input could not be read (the engine's `code` and `message`): fail the job at once,
/// keeping its report, since another attempt would read the same bytes the same way.
/// `false`: the lease was lost and the result not taken.
pub async fn reject_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    worker: &str,
    report_key: &str,
    code: &str,
    message: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE analyses SET status = 'failed', report_key = $1, findings = 0, \
         finished_ms = $2, lease_owner = NULL, lease_until_ms = NULL, last_error = $3, \
         error_code = $4 \
         WHERE id = $5 AND lease_owner = $6 AND status = 'running'",
    )
    .bind(report_key)
    .bind(now_ms())
    .bind(message)
    .bind(code)
    .bind(id)
    .bind(worker)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The delay before attempt `attempts + 1`.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    BASE_BACKOFF_MS
        .saturating_mul(1i64 << doublings)
        .min(MAX_BACKOFF_MS)
}

/// Give the job back after an error: queued again after a delay, or dead-lettered when
/// it has had all its attempts.
pub async fn fail(db: &Db, job: &Claimed, worker: &str, error: &str) -> anyhow::Result<()> {
    let _turn = db.write_turn().await;
    let now = now_ms();
    sqlx::query(
        "UPDATE analyses SET \
         status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
         finished_ms = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END, \
         run_after_ms = $2, lease_owner = NULL, lease_until_ms = NULL, last_error = $3, \
         error_code = NULL \
         WHERE id = $4 AND lease_owner = $5 AND status = 'running'",
    )
    .bind(now)
    .bind(now + backoff_ms(job.attempts))
    .bind(error)
    .bind(job.id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Jobs per status, for the dashboard and the benchmark.
pub async fn depth(db: &Db) -> anyhow::Result<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM analyses GROUP BY status ORDER BY status")
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_its_cap() {
        assert_eq!(super::backoff_ms(1), 5_000);
        assert_eq!(super::backoff_ms(2), 10_000);
        assert_eq!(super::backoff_ms(4), 40_000);
        assert_eq!(super::backoff_ms(60), super::MAX_BACKOFF_MS);
    }
}
