//! Failover with real processes: a `hegui worker` killed (SIGKILL) while it holds a job;
//! another worker takes the job when the lease runs out and finishes it, exactly once.
#![cfg(feature = "platform")]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hegui_platform::store::artifact_key;
use hegui_platform::{Config, Platform, audit, auth, queue};
use sqlx::Row;

fn worker(dir: &Path, hold_ms: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hegui"))
        .args(["worker", "--workers", "1", "--lease-ms", "1000"])
        .arg("--data-dir")
        .arg(dir)
        .arg("--hold-ms")
        .arg(hold_ms.to_string())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn state(platform: &Platform, id: i64) -> (String, i64, Option<String>) {
    let row = sqlx::query("SELECT status, attempts, lease_owner FROM analyses WHERE id = $1")
        .bind(id)
        .fetch_one(&platform.db.pool)
        .await
        .unwrap();
    (
        row.try_get("status").unwrap(),
        row.try_get("attempts").unwrap(),
        row.try_get("lease_owner").unwrap(),
    )
}

async fn wait_for(
    platform: &Platform,
    id: i64,
    what: &str,
    ok: impl Fn(&(String, i64, Option<String>)) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let s = state(platform, id).await;
        if ok(&s) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_killed_workers_job_finishes_once_on_another() {
    let dir: PathBuf = std::env::temp_dir().join(format!("hegui-failover-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let platform = Platform::open(Config::new(dir.clone(), None, None))
        .await
        .unwrap();
    let package =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/apk/privacy-basic.apk");
    let sha = auth::sha256_hex(&std::fs::read(&package).unwrap());
    platform
        .store
        .put_file(&artifact_key(&sha), &package)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, 1, $2, 0)",
    )
    .bind(&sha)
    .bind(artifact_key(&sha))
    .execute(&platform.db.pool)
    .await
    .unwrap();
    let id = queue::enqueue(&platform.db, &sha, "failover", queue::PRIORITY_NORMAL, 3)
        .await
        .unwrap();

    // Worker A claims the job and holds it; it dies without a word.
    let mut a = worker(&dir, 600_000);
    let a_pid = format!(":{}:", a.id());
    wait_for(&platform, id, "worker A to claim", |(status, _, owner)| {
        status == "running" && owner.as_deref().is_some_and(|o| o.contains(&a_pid))
    })
    .await;
    a.kill().unwrap();
    a.wait().unwrap();

    // Worker B takes it over once A's lease has run out.
    let mut b = worker(&dir, 0);
    wait_for(&platform, id, "worker B to finish", |(status, _, _)| {
        status == "done"
    })
    .await;
    b.kill().unwrap();
    b.wait().unwrap();

    let (_, attempts, owner) = state(&platform, id).await;
    assert_eq!((attempts, owner), (2, None), "one attempt by A, one by B");
    let done =
        sqlx::query("SELECT actor FROM audit_log WHERE action = 'analysis.done' AND object = $1")
            .bind(format!("analysis:{id}"))
            .fetch_all(&platform.db.pool)
            .await
            .unwrap();
    assert_eq!(done.len(), 1, "the job completed exactly once");
    let by: String = done[0].try_get("actor").unwrap();
    assert!(
        !by.contains(&a_pid),
        "completed by the surviving worker, not A: {by}"
    );
    assert!(audit::verify(&platform.db).await.unwrap().broken.is_none());
    let report_key = hegui_platform::store::report_key(&sha, "failover");
    assert!(platform.store.exists(&report_key).await.unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}
