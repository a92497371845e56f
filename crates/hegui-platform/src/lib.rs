//! The hegui detection platform: packages come in through the HTTP API, are stored by
//! SHA-256, queued once per package and ruleset, analysed by workers running the hegui
//! engine, and their reports kept as evidence.
//!
//! Embedded by default (`hegui serve`: a SQLite file and a local object folder under the
//! data directory, workers in the same process); at scale the same code runs on
//! PostgreSQL (`--db postgres://…`) with any number of `hegui worker` processes.

pub mod api;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod cases;
pub mod casework;
pub mod clues;
pub mod complaints;
pub mod daily;
pub mod db;
pub mod domain;
pub mod export;
pub mod mail;
pub mod notify;
pub mod queue;
pub mod scope;
pub mod sql;
pub mod store;
pub mod ui;
pub mod worker;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Db;
use crate::store::Store;

/// Where things are and how big they may be.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `DATA_DIR/hegui.db`.
    pub db_url: String,
    /// A folder or `file://PATH`; default: `DATA_DIR/objects`.
    pub store: String,
    /// Where workers put packages while scanning them.
    pub scratch_dir: PathBuf,
    /// Largest package accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Attempts before a job is dead-lettered.
    pub max_attempts: i64,
    /// The SMTP relay notifications are mailed through (`smtp://host:port`); without one,
    /// mail waits in the outbox and in-app messages still arrive.
    pub smtp: Option<String>,
    /// The sender of notification mail.
    pub mail_from: String,
    /// Complaints one sender (by address) may file per hour on the public page.
    pub complaints_per_hour: i64,
    /// Behind a reverse proxy, the header it puts the client's address in
    /// (`X-Real-IP`, or `X-Forwarded-For`, whose last entry is taken); without it every
    /// sender would look like the proxy and share one rate limit.
    pub client_ip_header: Option<String>,
    /// Run mini-programs in the sandbox as well as reading them (`hegui scan --run`): a
    /// second tier in the same job, a fraction of a second per package.
    pub run_miniprograms: bool,
}

impl Config {
    /// The embedded defaults under `data_dir`, overridden by `db` and `store` when given.
    pub fn new(data_dir: PathBuf, db: Option<String>, store: Option<String>) -> Config {
        let db_url =
            db.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("hegui.db").display()));
        let store = store.unwrap_or_else(|| data_dir.join("objects").display().to_string());
        Config {
            scratch_dir: data_dir.join("scratch"),
            data_dir,
            db_url,
            store,
            max_upload_bytes: 4 << 30,
            max_attempts: 3,
            smtp: None,
            mail_from: "hegui@localhost".into(),
            complaints_per_hour: 5,
            client_ip_header: None,
            run_miniprograms: true,
        }
    }
}

/// Everything a request handler or worker needs; cheap to clone.
#[derive(Clone)]
pub struct Platform {
    pub db: Db,
    pub store: Store,
    pub config: Arc<Config>,
}

impl Platform {
    /// Open (and migrate) the database and the store, creating the data folders.
    pub async fn open(config: Config) -> anyhow::Result<Platform> {
        for dir in [&config.data_dir, &config.scratch_dir] {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("data folder {}: {e}", dir.display()))?;
        }
        let db = Db::connect(&config.db_url).await?;
        let store = Store::open(&config.store)?;
        Ok(Platform {
            db,
            store,
            config: Arc::new(config),
        })
    }

    /// The version of the rules a report was made with: the engine's version and a digest
    /// of its rules (code, name, severity). Packages are analysed again when it changes,
    /// never when it does not.
    pub fn ruleset() -> String {
        let ids: Vec<String> = hegui_scan::rule_descriptors()
            .iter()
            .map(|r| format!("{}:{}:{:?}", r.code, r.name, r.severity))
            .collect();
        let digest = auth::sha256_hex(ids.join(",").as_bytes());
        format!(
            "{}-{}",
            env!("CARGO_PKG_VERSION"),
            digest.get(..12).unwrap_or(&digest)
        )
    }
}

/// `hegui serve`: the API on `listen` and `workers` workers in this process, until Ctrl-C.
/// `ready` is told the bound address (port 0 picks a free one).
pub async fn serve(
    platform: Platform,
    listen: SocketAddr,
    workers: usize,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let pool = worker::Pool::start(&platform, &worker::WorkerOptions::new("w"), workers);
    let background = Background::start(&platform)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("listening on {listen}: {e}"))?;
    ready(listener.local_addr()?);
    let app = api::router(platform);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    pool.stop().await;
    background.stop().await;
    Ok(())
}

/// The server's own background work: the daily deadline job and the mailer.
struct Background {
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Background {
    fn start(platform: &Platform) -> anyhow::Result<Background> {
        let (stop, watch) = tokio::sync::watch::channel(false);
        let mut tasks = vec![tokio::spawn(daily::run(
            platform.clone(),
            std::time::Duration::from_secs(600),
            watch.clone(),
        ))];
        if let Some(url) = &platform.config.smtp {
            let smtp = mail::Smtp::parse(url, &platform.config.mail_from)?;
            tasks.push(tokio::spawn(mail::run(
                platform.clone(),
                smtp,
                std::time::Duration::from_secs(2),
                watch,
            )));
        }
        Ok(Background { stop, tasks })
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// `hegui worker`: workers only, against a shared database and store, until Ctrl-C.
pub async fn work(
    platform: Platform,
    workers: usize,
    template: worker::WorkerOptions,
) -> anyhow::Result<()> {
    let pool = worker::Pool::start(&platform, &template, workers.max(1));
    let _ = tokio::signal::ctrl_c().await;
    pool.stop().await;
    Ok(())
}

/// Run the platform's async work from a synchronous caller (the CLI).
pub fn block_on<T>(
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(work)
}

/// The environment variable that sets the first `admin`'s password.
pub const ADMIN_PASSWORD_ENV: &str = "HEGUI_ADMIN_PASSWORD";

/// `hegui serve` from a synchronous caller: its own runtime, the first admin created on
/// first start (password from [`ADMIN_PASSWORD_ENV`] or generated and printed once).
pub fn serve_blocking(config: Config, listen: SocketAddr, workers: usize) -> anyhow::Result<()> {
    block_on(async {
        let platform = Platform::open(config).await?;
        let chosen = std::env::var(ADMIN_PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty());
        if let Some(password) = auth::bootstrap_admin(&platform.db, chosen).await? {
            eprintln!(
                "hegui serve: created user `admin` with password {password}\n\
                 (shown once; set {ADMIN_PASSWORD_ENV} before the first start to choose it)"
            );
        }
        eprintln!(
            "hegui serve: database {}, objects in {}",
            db::redact(&platform.config.db_url),
            platform.store.location
        );
        serve(platform, listen, workers, |addr| {
            eprintln!("hegui serve: listening on http://{addr}");
        })
        .await
    })
}

/// `hegui worker` from a synchronous caller; worker ids are `template.id` plus a number.
pub fn work_blocking(
    config: Config,
    workers: usize,
    template: worker::WorkerOptions,
) -> anyhow::Result<()> {
    block_on(async {
        let platform = Platform::open(config).await?;
        eprintln!(
            "hegui worker: {workers} worker(s) on {}, objects in {}",
            db::redact(&platform.config.db_url),
            platform.store.location
        );
        work(platform, workers, template).await
    })
}

/// `hegui audit verify` from a synchronous caller.
pub fn verify_audit_blocking(config: Config) -> anyhow::Result<audit::Verdict> {
    // Checking a log that is not there would make an empty one and call it intact.
    if let Some(path) = config.db_url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        anyhow::ensure!(
            std::path::Path::new(path).exists(),
            "no platform database at {path} (give --data-dir or --db)"
        );
    }
    block_on(async {
        let db = db::Db::connect(&config.db_url).await?;
        audit::verify(&db).await
    })
}
