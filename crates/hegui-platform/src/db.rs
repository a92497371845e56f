//! The database: SQLite (embedded default) or PostgreSQL, through sqlx's `Any` driver with
//! runtime queries, so one code path serves both. Placeholders are written `$1, $2, …`,
//! which both backends accept; times are Unix milliseconds; migrations are per backend and
//! embedded in the binary.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One migration per backend and version: (version, description, SQL).
type Embedded = &'static [(i64, &'static str, &'static str)];

const SQLITE: Embedded = &[
    (
        1,
        "core",
        include_str!("../migrations/sqlite/0001_core.sql"),
    ),
    (
        2,
        "audit",
        include_str!("../migrations/sqlite/0002_audit.sql"),
    ),
    (
        3,
        "indexes",
        include_str!("../migrations/sqlite/0003_indexes.sql"),
    ),
    (
        4,
        "domain",
        include_str!("../migrations/sqlite/0004_domain.sql"),
    ),
    (
        5,
        "cases",
        include_str!("../migrations/sqlite/0005_cases.sql"),
    ),
    (
        6,
        "workflow",
        include_str!("../migrations/sqlite/0006_workflow.sql"),
    ),
    (
        7,
        "error_code",
        include_str!("../migrations/sqlite/0007_error_code.sql"),
    ),
];
const POSTGRES: Embedded = &[
    (
        1,
        "core",
        include_str!("../migrations/postgres/0001_core.sql"),
    ),
    (
        2,
        "audit",
        include_str!("../migrations/postgres/0002_audit.sql"),
    ),
    (
        3,
        "indexes",
        include_str!("../migrations/postgres/0003_indexes.sql"),
    ),
    (
        4,
        "domain",
        include_str!("../migrations/postgres/0004_domain.sql"),
    ),
    (
        5,
        "cases",
        include_str!("../migrations/postgres/0005_cases.sql"),
    ),
    (
        6,
        "workflow",
        include_str!("../migrations/postgres/0006_workflow.sql"),
    ),
    (
        7,
        "error_code",
        include_str!("../migrations/postgres/0007_error_code.sql"),
    ),
];

#[derive(Debug)]
struct EmbeddedMigrations(Embedded);

impl MigrationSource<'static> for EmbeddedMigrations {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time; writers of this process queue here instead of
    /// meeting SQLite's lock and sleeping in its busy handler (which measured 2–10 ms a
    /// job with two workers). None on PostgreSQL, whose rows lock on their own.
    write_turn: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
}

impl Db {
    /// Wait for this process's turn to write (SQLite); hold the guard for the write.
    /// A read-only transaction whose queries all see one snapshot: a case and its findings,
    /// events and submissions read while a worker commits a re-test must not mix the
    /// before and the after. PostgreSQL needs REPEATABLE READ for that; SQLite's deferred
    /// transaction takes its snapshot at the first read (WAL).
    pub async fn read_snapshot(&self) -> sqlx::Result<sqlx::Transaction<'_, sqlx::Any>> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_turn {
            Some(turn) => Some(turn.lock().await),
            None => None,
        }
    }

    /// Connect and bring the schema up to date. `sqlite://PATH` (created if missing) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("database URL {url:?}: expected sqlite://PATH or postgres://…");
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite has one writer; a few readers beside it.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(30));
        let options = if backend == Backend::Sqlite {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; \
                         PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| anyhow::anyhow!("database {}: {e}", redact(&url)))?;
        let migrations = match backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        Migrator::new(EmbeddedMigrations(migrations))
            .await?
            .run(&pool)
            .await
            .map_err(|e| anyhow::anyhow!("database {}: migrating: {e}", redact(&url)))?;
        let write_turn =
            (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Db {
            pool,
            backend,
            write_turn,
        })
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::redact("postgres://hegui:s3cret@db:5432/hegui"),
            "postgres://hegui:***@db:5432/hegui"
        );
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
