//! Helpers shared by the platform's end-to-end tests: backends (SQLite, and PostgreSQL
//! and S3 when `.ci/run` starts them), a served platform, logins, uploads, cases.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../../../../testing/skip.rs"]
mod skip;

use hegui_platform::audit::Actor;
use hegui_platform::{Config, Platform, auth};
use serde_json::{Value, json};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/apk")
        .join(name)
}

/// Every backend the tests can reach: a fresh SQLite file with a local object folder; a
/// fresh PostgreSQL database when `HEGUI_TEST_POSTGRES` names a server; objects in a fresh
/// bucket of an S3-compatible server when `HEGUI_TEST_S3` names one (`.ci/run` starts both,
/// and exports the `AWS_*` settings the store reads).
pub async fn backends(dir: &std::path::Path, test: &str) -> Vec<Platform> {
    let mut out = Vec::new();
    say_skipped_backends(test);
    let mut config = Config::new(dir.join("sqlite"), None, None);
    config.max_attempts = 2;
    out.push(Platform::open(config).await.unwrap());
    let s3 = match std::env::var("HEGUI_TEST_S3") {
        Ok(endpoint) => Some(s3_bucket(&endpoint, test).await),
        Err(_) => None,
    };
    if let Ok(url) = std::env::var("HEGUI_TEST_POSTGRES") {
        let db = format!("hegui_test_{test}_{}", std::process::id());
        let admin = sqlx_admin(&url, &db).await;
        let mut config = Config::new(dir.join("pg"), Some(admin), s3.clone());
        config.max_attempts = 2;
        out.push(Platform::open(config).await.unwrap());
    } else if s3.is_some() {
        let mut config = Config::new(dir.join("sqlite-s3"), None, s3);
        config.max_attempts = 2;
        out.push(Platform::open(config).await.unwrap());
    }
    out
}

/// One SKIPPED line for the backends this run leaves out, named after the running test
/// (libtest names its thread so; `tag` when it runs on the main thread).
fn say_skipped_backends(tag: &str) {
    let absent: Vec<(&str, &str, &str)> = [
        (
            "PostgreSQL",
            "HEGUI_TEST_POSTGRES",
            "HEGUI_TEST_POSTGRES=postgres://USER@HOST/DB (USER may create databases)",
        ),
        (
            "S3",
            "HEGUI_TEST_S3",
            "HEGUI_TEST_S3=http://HOST:PORT with the AWS_* settings .ci/run exports",
        ),
    ]
    .into_iter()
    .filter(|(_, var, _)| std::env::var_os(var).is_none())
    .collect();
    if absent.is_empty() {
        return;
    }
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or(tag);
    let join = |i: usize, sep: &str| {
        absent
            .iter()
            .map(|a| [a.0, a.1, a.2][i])
            .collect::<Vec<_>>()
            .join(sep)
    };
    skip::skip(
        &format!("{test} on {}", join(0, " and ")),
        &format!("{} not set", join(1, " and ")),
        &format!("{}, or .ci/run (starts them)", join(2, "; ")),
        false,
    );
}

/// A new bucket on the S3-compatible server at `endpoint`, as a `--store` URL.
pub async fn s3_bucket(endpoint: &str, test: &str) -> String {
    let bucket = format!(
        "hegui-test-{}-{}",
        test.replace('_', "-"),
        std::process::id()
    );
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "bucket {bucket}: {}",
        created.status()
    );
    format!("s3://{bucket}/objects")
}

/// A new database on the PostgreSQL server at `url`, for this test run alone.
pub async fn sqlx_admin(url: &str, name: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    pool.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .unwrap();
    pool.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

pub async fn start(platform: Platform, workers: usize) -> SocketAddr {
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        hegui_platform::serve(platform, "127.0.0.1:0".parse().unwrap(), workers, |addr| {
            let _ = tx.send(addr);
        })
        .await
        .unwrap();
    });
    rx.await.unwrap()
}

pub async fn login(client: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let answer: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_string()
}

/// A web-UI session of `user`: the `Cookie` header value (login form, CSRF cookie, session).
pub async fn ui_cookie(client: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let cookie_of = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap().to_string())
    };
    let form = client.get(format!("{base}/login")).send().await.unwrap();
    let csrf = cookie_of(&form, "hegui_login_csrf").unwrap();
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let logged_in = no_redirect
        .post(format!("{base}/login"))
        .header("cookie", format!("hegui_login_csrf={csrf}"))
        .form(&[("username", user), ("password", password), ("_csrf", &csrf)])
        .send()
        .await
        .unwrap();
    format!(
        "hegui_session={}",
        cookie_of(&logged_in, "hegui_session").unwrap()
    )
}

/// A new user of `org` with `role`, logged in.
pub async fn login_as(
    db: &hegui_platform::db::Db,
    client: &reqwest::Client,
    base: &str,
    org: i64,
    user: &str,
    role: &str,
) -> String {
    let password = format!("{user}-password");
    auth::create_user(db, &Actor::system(), org, user, &password, role)
        .await
        .unwrap();
    login(client, base, user, &password).await
}

pub async fn upload(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    file: &str,
) -> reqwest::Response {
    let bytes = std::fs::read(fixture(file)).unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file.to_string()),
    );
    client
        .post(format!("{base}/api/v1/scans"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn wait_done(client: &reqwest::Client, base: &str, token: &str, id: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let scan: Value = client
            .get(format!("{base}/api/v1/scans/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        match scan["status"].as_str() {
            Some("done" | "failed") => return scan,
            _ if Instant::now() > deadline => panic!("scan {id} not done: {scan}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

pub async fn get_json(client: &reqwest::Client, url: String, token: &str) -> (u16, Value) {
    let answer = client.get(url).bearer_auth(token).send().await.unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// privacy-basic.apk rewritten: without `drop`, and with `extra` entries added.
pub fn rewritten_apk(drop: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(fixture("privacy-basic.apk")).unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if name == drop {
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    for (name, data) in extra {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

pub async fn upload_bytes(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> i64 {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let answer: Value = client
        .post(format!("{base}/api/v1/scans"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = answer["id"].as_i64().unwrap();
    let scan = wait_done(client, base, token, id).await;
    assert_eq!(scan["status"], "done", "{scan}");
    id
}

/// Two enterprises of 浙江 (甲 will operate the app, 乙 does not) and the province's
/// bureau, logged in, with the platform serving.
pub struct Zhejiang {
    pub base: String,
    pub client: reqwest::Client,
    pub a: String,
    pub b: String,
    pub zj: String,
}

pub async fn zhejiang(platform: Platform) -> Zhejiang {
    let db = platform.db.clone();
    let sys = Actor::system();
    let ent_a = auth::create_org(&db, &sys, "甲公司", "enterprise", Some("浙江"))
        .await
        .unwrap();
    let ent_b = auth::create_org(&db, &sys, "乙公司", "enterprise", Some("浙江"))
        .await
        .unwrap();
    let bureau = auth::create_org(&db, &sys, "浙江省通信管理局", "bureau", Some("浙江"))
        .await
        .unwrap();
    let base = format!("http://{}", start(platform, 1).await);
    let client = reqwest::Client::new();
    Zhejiang {
        a: login_as(&db, &client, &base, ent_a, "ent-a", "operator").await,
        b: login_as(&db, &client, &base, ent_b, "ent-b", "operator").await,
        zj: login_as(&db, &client, &base, bureau, "zj", "regulator").await,
        base,
        client,
    }
}

/// The operator uploads its package; the bureau names the operator the app's owner.
/// Returns the app's id.
pub async fn scanned_and_owned(
    client: &reqwest::Client,
    base: &str,
    operator: &str,
    bureau: &str,
    package: Vec<u8>,
) -> i64 {
    upload_bytes(client, base, operator, "v1.apk", package).await;
    let (_, apps) = get_json(client, format!("{base}/api/v1/apps"), bureau).await;
    let app_id = apps["apps"][0]["id"].as_i64().unwrap();
    let (_, orgs) = get_json(client, format!("{base}/api/v1/orgs"), operator).await;
    let operator_org = orgs["orgs"][0]["id"].as_i64().unwrap();
    let owner = client
        .put(format!("{base}/api/v1/apps/{app_id}/owner"))
        .bearer_auth(bureau)
        .json(&json!({"org_id": operator_org}))
        .send()
        .await
        .unwrap();
    assert_eq!(owner.status(), 204);
    app_id
}

/// The version and ids of the findings a `GET /api/v1/findings?{query}` returns.
pub async fn case_findings(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
) -> (i64, Vec<i64>) {
    let (_, found) = get_json(client, format!("{base}/api/v1/findings?{query}"), token).await;
    let findings = found["findings"].as_array().unwrap();
    let version = findings[0]["version_id"].as_i64().unwrap();
    let ids = findings.iter().map(|f| f["id"].as_i64().unwrap()).collect();
    (version, ids)
}

/// Ask to move case `id` to `to`, with a note.
pub fn move_case(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    id: i64,
    to: &str,
) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + use<> {
    client
        .post(format!("{base}/api/v1/cases/{id}/transitions"))
        .bearer_auth(token)
        .json(&json!({"to": to, "note": format!("→ {to}")}))
        .send()
}

/// One mail the test SMTP server received: the recipient and the message text.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub data: String,
}

/// A local SMTP server that accepts every message and keeps it: `smtp://ADDR` for the
/// platform's config, and the mails received.
pub async fn smtp_sink() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Mail>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mails = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut conn = BufReader::new(stream);
                let mut to = String::new();
                conn.get_mut()
                    .write_all(b"220 sink ready\r\n")
                    .await
                    .unwrap();
                loop {
                    let mut line = String::new();
                    if conn.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let command = line.trim_end().to_ascii_uppercase();
                    let answer: &[u8] = if command.starts_with("EHLO") {
                        b"250-sink\r\n250 AUTH PLAIN\r\n"
                    } else if command.starts_with("RCPT TO:") {
                        to = line.trim_end()[8..].trim_matches(['<', '>']).to_string();
                        b"250 ok\r\n"
                    } else if command == "DATA" {
                        conn.get_mut().write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            if conn.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        kept.lock().unwrap().push(Mail {
                            to: to.clone(),
                            data,
                        });
                        b"250 queued\r\n"
                    } else if command == "QUIT" {
                        let _ = conn.get_mut().write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    conn.get_mut().write_all(answer).await.unwrap();
                }
            });
        }
    });
    (format!("smtp://{addr}"), mails)
}

/// Wait (up to 30 s) until `check` holds.
pub async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// node with playwright-core and Chromium, if this machine has them: (NODE_PATH,
/// the Chromium binary). Without them the browser tests skip (saying so), unless
/// `HEGUI_REQUIRE_CHROMIUM` is set (`.ci/run` sets it).
pub fn chromium(test: &str) -> Option<(PathBuf, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let modules = std::env::var("HEGUI_NODE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/ui-test/node_modules"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = modules.join("playwright-core").is_dir()
        && std::path::Path::new(&chromium).exists()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok();
    if !ready {
        skip::skip(
            test,
            &format!(
                "node, playwright-core ({}) or {chromium} missing",
                modules.display()
            ),
            "node, Chromium (CHROMIUM=/path) and `npm install playwright-core@1.49.1` in \
             target/ui-test (or HEGUI_NODE_PATH), or .ci/run (installs them)",
            std::env::var_os("HEGUI_REQUIRE_CHROMIUM").is_some(),
        );
        return None;
    }
    Some((modules, chromium))
}

/// Run a browser script (`tests/ui/NAME`) with `args`, on a blocking thread (the server
/// runs on this runtime's); its last stdout line is JSON with `ok: true`.
pub async fn browse(script: &str, args: Vec<std::ffi::OsString>) -> Value {
    let Some((modules, chromium)) = chromium(script) else {
        return json!({"skipped": true});
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/ui")
        .join(script);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .args(args)
            .env("NODE_PATH", &modules)
            .env("CHROMIUM", &chromium)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(
        out.status.success(),
        "the browser walk failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], true);
    summary
}

/// Where browser tests put their screenshots.
pub fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ui-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
