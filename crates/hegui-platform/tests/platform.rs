//! The platform end to end on a real database: SQLite always, PostgreSQL as well when
//! `HEGUI_TEST_POSTGRES` names a server (`.ci/run` starts one): log in, upload a package,
//! wait for its report; tenants kept apart; the queue's leases, retries and priorities.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hegui_platform::audit::{self, Actor};
use hegui_platform::{Config, Platform, auth, queue};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_scan_and_read_the_report() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "upload").await {
        let backend = format!("{:?}", platform.db.backend);
        auth::bootstrap_admin(&platform.db, Some("admin-password".into()))
            .await
            .unwrap();
        let base = format!("http://{}", start(platform, 1).await);
        let client = reqwest::Client::new();

        let anonymous = client
            .get(format!("{base}/api/v1/scans/1"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{backend}");
        let wrong = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "admin", "password": "nope-nope"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{backend}");

        // The API describes itself, from the handlers.
        let doc: Value = client
            .get(format!("{base}/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/auth/login",
            "/api/v1/scans",
            "/api/v1/scans/{id}",
            "/api/v1/apps",
            "/api/v1/apps/{id}",
            "/api/v1/apps/{id}/owner",
            "/api/v1/versions/{id}",
            "/api/v1/versions/{id}/results",
            "/api/v1/findings",
            "/api/v1/listings",
            "/api/v1/orgs",
            "/api/v1/users",
            "/api/v1/cases",
            "/api/v1/cases/{id}/transitions",
            "/api/v1/sdks",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{path} missing from the OpenAPI document"
            );
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        let forms = &doc["paths"]["/api/v1/scans"]["post"]["requestBody"]["content"];
        assert!(forms["multipart/form-data"].is_object());
        assert!(forms["application/json"].is_object(), "submission by key");

        let token = login(&client, &base, "admin", "admin-password").await;
        let answer = upload(&client, &base, &token, "privacy-basic.apk").await;
        assert_eq!(answer.status(), 202, "{backend}");
        let submitted: Value = answer.json().await.unwrap();
        let id = submitted["id"].as_i64().unwrap();
        let scan = wait_done(&client, &base, &token, id).await;
        assert_eq!(scan["status"], "done", "{backend}: {scan}");
        let report = &scan["report"];
        assert_eq!(report["schema"], "hegui-report/1", "{backend}");
        assert_eq!(report["app"]["id"], "com.hegui.fixture.basic", "{backend}");
        assert_eq!(report["artifact"]["path"], "privacy-basic.apk", "{backend}");
        assert!(scan["findings"].as_i64().unwrap() > 0, "{backend}");

        // The same package again: a new scan, the same analysis (not run twice).
        let again: Value = upload(&client, &base, &token, "privacy-basic.apk")
            .await
            .json()
            .await
            .unwrap();
        assert_ne!(again["id"], submitted["id"]);
        assert_eq!(again["sha256"], submitted["sha256"]);
        assert_eq!(again["status"], "done", "{backend}: deduplicated");

        // Form fields other than the file are short, not a second upload.
        let form = reqwest::multipart::Form::new()
            .text("priority", "x".repeat(10_000))
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"PK".to_vec()).file_name("x.apk"),
            );
        let refused = client
            .post(format!("{base}/api/v1/scans"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "{backend}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "field-too-long");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_see_only_their_own_scans() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "tenants").await {
        let db = platform.db.clone();
        let a = auth::create_org(&db, &Actor::system(), "企业甲", "enterprise", None)
            .await
            .unwrap();
        let b = auth::create_org(&db, &Actor::system(), "企业乙", "enterprise", None)
            .await
            .unwrap();
        let ministry = auth::create_org(&db, &Actor::system(), "部", "ministry", None)
            .await
            .unwrap();
        auth::create_user(
            &db,
            &Actor::system(),
            a,
            "alice",
            "alice-password",
            "operator",
        )
        .await
        .unwrap();
        auth::create_user(&db, &Actor::system(), b, "bob", "bob-password", "operator")
            .await
            .unwrap();
        auth::create_user(
            &db,
            &Actor::system(),
            ministry,
            "mia",
            "mia-password",
            "regulator",
        )
        .await
        .unwrap();
        let base = format!("http://{}", start(platform, 0).await);
        let client = reqwest::Client::new();
        let alice = login(&client, &base, "alice", "alice-password").await;
        let bob = login(&client, &base, "bob", "bob-password").await;
        let mia = login(&client, &base, "mia", "mia-password").await;
        let scan: Value = upload(&client, &base, &alice, "clean.apk")
            .await
            .json()
            .await
            .unwrap();
        let id = scan["id"].as_i64().unwrap();
        let url = format!("{base}/api/v1/scans/{id}");
        let seen = |token: &str| client.get(&url).bearer_auth(token.to_string()).send();
        assert_eq!(seen(&alice).await.unwrap().status(), 200);
        assert_eq!(seen(&bob).await.unwrap().status(), 404);
        assert_eq!(seen(&mia).await.unwrap().status(), 200);
        let listed: Value = client
            .get(format!("{base}/api/v1/scans"))
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["scans"].as_array().unwrap().len(), 0);

        // An `admin` of an enterprise administers that enterprise, and sees no other.
        let a_admin = login_as(&db, &client, &base, a, "a-admin", "admin").await;
        assert_eq!(seen(&a_admin).await.unwrap().status(), 200);
        let b_admin = login_as(&db, &client, &base, b, "b-admin", "admin").await;
        assert_eq!(seen(&b_admin).await.unwrap().status(), 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leases_retries_and_priorities() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "queue").await {
        let db = &platform.db;
        for sha in ["bulk", "retest"] {
            sqlx::query("INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, 1, $1, 0)")
                .bind(sha)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        queue::enqueue(db, "bulk", "r1", queue::PRIORITY_BULK, 2)
            .await
            .unwrap();
        let retest = queue::enqueue(db, "retest", "r1", queue::PRIORITY_RETEST, 2)
            .await
            .unwrap();

        // Re-tests first.
        let first = queue::claim(db, "x", 1).await.unwrap().unwrap();
        assert_eq!(first.id, retest);
        // Worker x stops renewing: its lease runs out and y takes the job over.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let again = queue::claim(db, "y", 60_000).await.unwrap().unwrap();
        assert_eq!((again.id, again.attempts), (retest, 2));
        assert!(
            !queue::complete(db, retest, "x", "k", 0).await.unwrap(),
            "x lost its lease"
        );
        assert!(!queue::heartbeat(db, retest, "x", 1000).await.unwrap());
        assert!(queue::complete(db, retest, "y", "k", 0).await.unwrap());

        // A failure retries after a back-off, then dead-letters.
        let bulk = queue::claim(db, "x", 60_000).await.unwrap().unwrap();
        queue::fail(db, &bulk, "x", "first failure").await.unwrap();
        assert!(
            queue::claim(db, "x", 60_000).await.unwrap().is_none(),
            "backing off"
        );
        sqlx::query("UPDATE analyses SET run_after_ms = 0 WHERE id = $1")
            .bind(bulk.id)
            .execute(&db.pool)
            .await
            .unwrap();
        let last = queue::claim(db, "x", 60_000).await.unwrap().unwrap();
        assert_eq!(last.attempts, 2);
        queue::fail(db, &last, "x", "second failure").await.unwrap();
        let depth = queue::depth(db).await.unwrap();
        assert_eq!(depth, vec![("done".into(), 1), ("failed".into(), 1)]);
        // Submitting a dead-lettered package again starts it over.
        queue::enqueue(db, "bulk", "r1", queue::PRIORITY_NORMAL, 2)
            .await
            .unwrap();
        assert!(queue::claim(db, "z", 60_000).await.unwrap().is_some());
    }
}

/// Run a tampering statement as someone with direct database access would: past the
/// append-only triggers.
async fn tamper(platform: &Platform, statement: &str) {
    use hegui_platform::db::Backend;
    let db = &platform.db;
    let (off, on) = match db.backend {
        Backend::Sqlite => (
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete",
            "",
        ),
        Backend::Postgres => (
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "ALTER TABLE audit_log ENABLE TRIGGER USER",
        ),
    };
    sqlx::raw_sql(off).execute(&db.pool).await.unwrap();
    sqlx::raw_sql(statement).execute(&db.pool).await.unwrap();
    if !on.is_empty() {
        sqlx::raw_sql(on).execute(&db.pool).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_detects_edits_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    for (n, platform) in backends(dir.path(), "audit").await.into_iter().enumerate() {
        let db = &platform.db;
        let actor = Actor {
            user_id: Some(7),
            name: "tester".into(),
        };
        // Concurrent appends keep one chain.
        let mut writers = Vec::new();
        for i in 0..8 {
            let db = db.clone();
            let actor = actor.clone();
            writers.push(tokio::spawn(async move {
                audit::record(
                    &db,
                    &actor,
                    "test.write",
                    &format!("thing:{i}"),
                    serde_json::json!({"i": i}),
                )
                .await
                .unwrap();
            }));
        }
        for w in writers {
            w.await.unwrap();
        }
        let verdict = audit::verify(db).await.unwrap();
        assert_eq!(
            (verdict.rows, verdict.broken.clone()),
            (8, None),
            "backend {n}"
        );

        // The triggers refuse a plain edit.
        let refused = sqlx::query("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
            .execute(&db.pool)
            .await;
        assert!(refused.is_err(), "backend {n}: the log must be append-only");

        // The last row removed: only the head still knows it was written.
        tamper(&platform, "DELETE FROM audit_log WHERE seq = 8").await;
        let verdict = audit::verify(db).await.unwrap();
        assert_eq!(
            verdict.broken.as_ref().map(|b| b.0),
            Some(8),
            "backend {n}: {verdict:?}"
        );
        assert!(verdict.broken.unwrap().1.contains("removed from the end"));

        tamper(
            &platform,
            "UPDATE audit_log SET detail = '{\"i\": 99}' WHERE seq = 3",
        )
        .await;
        let verdict = audit::verify(db).await.unwrap();
        assert_eq!(
            verdict.broken.as_ref().map(|b| b.0),
            Some(3),
            "backend {n}: {verdict:?}"
        );
        assert!(verdict.broken.unwrap().1.contains("edited"));

        tamper(&platform, "DELETE FROM audit_log WHERE seq = 3").await;
        let verdict = audit::verify(db).await.unwrap();
        assert_eq!(
            verdict.broken.as_ref().map(|b| b.0),
            Some(4),
            "backend {n}: {verdict:?}"
        );
        assert!(verdict.broken.unwrap().1.contains("missing"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_past_its_time_limit_fails_the_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path().join("sqlite"), None, None);
    config.max_attempts = 1;
    let platform = Platform::open(config).await.unwrap();
    let package = fixture("privacy-basic.apk");
    let sha = auth::sha256_hex(&std::fs::read(&package).unwrap());
    let key = hegui_platform::store::artifact_key(&sha);
    platform.store.put_file(&key, &package).await.unwrap();
    sqlx::query(
        "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, 1, $2, 0)",
    )
    .bind(&sha)
    .bind(&key)
    .execute(&platform.db.pool)
    .await
    .unwrap();
    let id = queue::enqueue(&platform.db, &sha, "r1", queue::PRIORITY_NORMAL, 1)
        .await
        .unwrap();
    let mut options = hegui_platform::worker::WorkerOptions::new("t");
    options.scan_timeout = Duration::ZERO;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(hegui_platform::worker::run(
        platform.clone(),
        options,
        stop_rx,
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    let (status, error) = loop {
        let row = sqlx::query("SELECT status, last_error FROM analyses WHERE id = $1")
            .bind(id)
            .fetch_one(&platform.db.pool)
            .await
            .unwrap();
        let status: String = sqlx::Row::try_get(&row, "status").unwrap();
        if status == "failed" || Instant::now() > deadline {
            break (
                status,
                sqlx::Row::try_get::<Option<String>, _>(&row, "last_error").unwrap(),
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    stop_tx.send(true).unwrap();
    worker.await.unwrap();
    assert_eq!(status, "failed");
    assert!(error.unwrap_or_default().contains("longer than"));
}

/// Random bytes are not "done, 0 findings": the scan fails at once (no retry), with the
/// engine's error code and message in its JSON, in the list and on the scans page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_upload_fails_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "unreadable").await {
        let backend = format!("{:?}", platform.db.backend);
        auth::bootstrap_admin(&platform.db, Some("admin-password".into()))
            .await
            .unwrap();
        let base = format!("http://{}", start(platform, 1).await);
        let client = reqwest::Client::new();
        let token = login(&client, &base, "admin", "admin-password").await;
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(junk).file_name("x.apk"),
        );
        let submitted: Value = client
            .post(format!("{base}/api/v1/scans"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = submitted["id"].as_i64().unwrap();
        let scan = wait_done(&client, &base, &token, id).await;
        assert_eq!(scan["status"], "failed", "{backend}: {scan}");
        assert_eq!(scan["error_code"], "unknown-artifact", "{backend}: {scan}");
        assert!(
            scan["error"]
                .as_str()
                .unwrap()
                .contains("not a supported input"),
            "{backend}: {scan}"
        );
        assert_eq!(scan["attempts"], 1, "{backend}: not retried");
        assert_eq!(
            scan["report"]["errors"][0]["code"], "unknown-artifact",
            "{backend}: the report is kept"
        );
        let (_, list) = get_json(&client, format!("{base}/api/v1/scans"), &token).await;
        assert_eq!(
            list["scans"][0]["error_code"], "unknown-artifact",
            "{backend}"
        );
        let page = client
            .get(format!("{base}/scans"))
            .header(
                "cookie",
                ui_cookie(&client, &base, "admin", "admin-password").await,
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("<code>unknown-artifact</code>"),
            "{backend}: the scans page says why"
        );
    }
}

/// A store's feed brings a package and its listing; the findings land on the app's
/// version, queryable by rule, SDK, catalogue item and severity, each tenant seeing its
/// own; another engine's SARIF sits beside hegui's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listings_apps_findings_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "domain").await {
        let backend = format!("{:?}", platform.db.backend);
        let db = platform.db.clone();
        let sys = Actor::system();
        let code = "91350100M000100Y43";
        let ent_a =
            auth::create_org_with_code(&db, &sys, "甲公司", "enterprise", Some("浙江"), Some(code))
                .await
                .unwrap();
        let ent_b = auth::create_org(&db, &sys, "乙公司", "enterprise", Some("江苏"))
            .await
            .unwrap();
        let zj = auth::create_org(&db, &sys, "浙江省通信管理局", "bureau", Some("浙江"))
            .await
            .unwrap();
        let js = auth::create_org(&db, &sys, "江苏省通信管理局", "bureau", Some("江苏"))
            .await
            .unwrap();
        let store_org = auth::create_org(&db, &sys, "示例应用市场", "store", Some("浙江"))
            .await
            .unwrap();
        auth::bootstrap_admin(&db, Some("admin-password".into()))
            .await
            .unwrap();
        // The store's pipeline drops the package in the intake area of the object store.
        let intake = format!("intake/{store_org}/basic.apk");
        platform
            .store
            .put_file(&intake, &fixture("privacy-basic.apk"))
            .await
            .unwrap();
        let base = format!("http://{}", start(platform, 1).await);
        let client = reqwest::Client::new();
        let store = login_as(&db, &client, &base, store_org, "store", "operator").await;
        let a = login_as(&db, &client, &base, ent_a, "ent-a", "operator").await;
        let b = login_as(&db, &client, &base, ent_b, "ent-b", "operator").await;
        let zj = login_as(&db, &client, &base, zj, "zj", "regulator").await;
        let js = login_as(&db, &client, &base, js, "js", "regulator").await;
        let admin = login(&client, &base, "admin", "admin-password").await;

        // Enterprises do not send listing feeds.
        let feed_path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/listing/feed.jsonl");
        let first = std::fs::read_to_string(feed_path).unwrap();
        let mut line: Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
        line["object_key"] = json!(intake);
        line["developer"]["licence_id"] = json!(code);
        let feed = format!("{line}\n{{\"store\":\"x\"}}\n");
        let post_feed = |token: &str| {
            client
                .post(format!("{base}/api/v1/listings"))
                .bearer_auth(token)
                .body(feed.clone())
                .send()
        };
        assert_eq!(post_feed(&a).await.unwrap().status(), 403, "{backend}");
        let taken: Value = post_feed(&store).await.unwrap().json().await.unwrap();
        assert_eq!(
            taken["listings"].as_array().unwrap().len(),
            1,
            "{backend}: {taken}"
        );
        assert_eq!(taken["rejected"][0]["line"], 2, "{backend}: {taken}");
        let scan_id = taken["scans"][0].as_i64().unwrap();
        let scan = wait_done(&client, &base, &store, scan_id).await;
        assert_eq!(scan["status"], "done", "{backend}: {scan}");
        assert_eq!(scan["report"]["facts"]["listing"]["store"], "示例应用市场");

        // The listing's credit code made enterprise A the owner: A, its province's bureau
        // and the store see the app; B and another province's bureau do not.
        let (_, apps) = get_json(&client, format!("{base}/api/v1/apps"), &a).await;
        let app = &apps["apps"][0];
        assert_eq!(
            app["package"], "com.hegui.fixture.basic",
            "{backend}: {apps}"
        );
        assert_eq!(app["owner"], "甲公司");
        let app_id = app["id"].as_i64().unwrap();
        for (who, token, sees) in [
            ("store", &store, true),
            ("zj", &zj, true),
            ("b", &b, false),
            ("js", &js, false),
        ] {
            let (status, _) =
                get_json(&client, format!("{base}/api/v1/apps/{app_id}"), token).await;
            assert_eq!(status == 200, sees, "{backend}: {who} → app {status}");
            let (_, list) = get_json(&client, format!("{base}/api/v1/findings"), token).await;
            let n = list["findings"].as_array().unwrap().len();
            assert_eq!(n > 0, sees, "{backend}: {who} sees {n} findings");
        }
        let (_, detail) = get_json(&client, format!("{base}/api/v1/apps/{app_id}"), &a).await;
        let version = &detail["versions"][0];
        let version_id = version["id"].as_i64().unwrap();
        assert_eq!(
            version["signer_sha256"].as_str().unwrap().len(),
            64,
            "{backend}"
        );
        assert!(
            version["sdks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["id"] == "umeng")
        );
        assert_eq!(version["results"][0]["engine"], "hegui");

        // The SDK view: Umeng in the app, with its findings, for those who see the app.
        let (_, sdks) = get_json(&client, format!("{base}/api/v1/sdks"), &a).await;
        let umeng = sdks["sdks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "umeng")
            .cloned()
            .unwrap();
        assert_eq!(umeng["apps"], 1, "{backend}: {sdks}");
        assert!(umeng["findings"].as_i64().unwrap() > 0);
        let vendor = &sdks["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["vendor"] == umeng["vendor"])
            .cloned()
            .unwrap();
        assert!(vendor["findings"].as_i64() >= umeng["findings"].as_i64());
        let (_, detail) = get_json(&client, format!("{base}/api/v1/sdks/umeng"), &a).await;
        assert_eq!(detail["apps"][0]["package"], "com.hegui.fixture.basic");
        assert!(!detail["findings_by_rule"].as_array().unwrap().is_empty());
        let (status, _) = get_json(&client, format!("{base}/api/v1/sdks/umeng"), &b).await;
        assert_eq!(status, 404, "{backend}: B has no app with it");
        let (_, none) = get_json(&client, format!("{base}/api/v1/sdks"), &js).await;
        assert!(none["sdks"].as_array().unwrap().is_empty(), "{backend}");

        // Findings by rule, SDK, catalogue item and severity.
        let count = |query: &'static str| {
            let client = client.clone();
            let url = format!("{base}/api/v1/findings?{query}");
            let token = a.clone();
            async move {
                let (status, v) = get_json(&client, url, &token).await;
                assert_eq!(status, 200, "{query}: {v}");
                v["findings"].as_array().unwrap().len()
            }
        };
        assert_eq!(count("rule=STO003").await, 5, "{backend}");
        assert_eq!(
            count("rule=STO002").await,
            0,
            "{backend}: the licence id was given"
        );
        assert!(count("sdk=umeng").await > 0, "{backend}");
        let cited = count("cite=MIIT164-09").await;
        assert!(cited >= 5, "{backend}: {cited}");
        let all = count("").await;
        let high = count("severity=high").await;
        assert!(high > 0 && high < all, "{backend}: {high} of {all}");
        let (status, _) = get_json(
            &client,
            format!("{base}/api/v1/findings?severity=severe"),
            &a,
        )
        .await;
        assert_eq!(status, 400);

        // Another engine's SARIF, labelled with its name, beside hegui's results.
        let sarif = json!({"version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "lab-dynamic", "rules": [{"id": "DYN-X", "properties": {"cites": ["MIIT164-01"]}}]}},
            "results": [{"ruleId": "DYN-X", "level": "error", "message": {"text": "reads IMEI before consent"}}]
        }]});
        let import = |token: &str, engine: &str| {
            client
                .post(format!(
                    "{base}/api/v1/versions/{version_id}/results?engine={engine}"
                ))
                .bearer_auth(token)
                .json(&sarif)
                .send()
        };
        assert_eq!(
            import(&a, "lab-x").await.unwrap().status(),
            403,
            "an operator"
        );
        assert_eq!(
            import(&admin, "hegui").await.unwrap().status(),
            400,
            "reserved"
        );
        let imported = import(&admin, "lab-x").await.unwrap();
        assert_eq!(imported.status(), 201, "{backend}");
        let found = count("engine=lab-x").await;
        assert_eq!(found, 1, "{backend}");
        assert_eq!(count("cite=MIIT164-01&engine=lab-x").await, 1, "{backend}");
        let (_, v) = get_json(&client, format!("{base}/api/v1/versions/{version_id}"), &a).await;
        let engines: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["engine"].as_str())
            .collect();
        assert_eq!(engines, ["lab-x", "hegui"], "{backend}");

        // Owners are named by authorities over the enterprise's province only.
        let set_owner = |token: &str, org: i64| {
            client
                .put(format!("{base}/api/v1/apps/{app_id}/owner"))
                .bearer_auth(token)
                .json(&json!({"org_id": org}))
                .send()
        };
        assert_eq!(set_owner(&a, ent_a).await.unwrap().status(), 403);
        assert_eq!(
            set_owner(&js, ent_b).await.unwrap().status(),
            404,
            "js cannot see it"
        );
        assert_eq!(
            set_owner(&zj, ent_b).await.unwrap().status(),
            403,
            "B is not in 浙江"
        );
        assert_eq!(set_owner(&admin, ent_b).await.unwrap().status(), 204);
        let (status, _) = get_json(&client, format!("{base}/api/v1/apps/{app_id}"), &b).await;
        assert_eq!(status, 200, "{backend}: B owns it now");

        // Submitting by object key: only the caller's intake keys, only ones that exist.
        let missing = format!("intake/{store_org}/none.apk");
        let others = format!("intake/{ent_a}/basic.apk");
        for (key, expect) in [
            ("artifacts/00/x", 400),
            ("intake/../reports/x", 400),
            (missing.as_str(), 404),
            (others.as_str(), 403),
        ] {
            let answer = client
                .post(format!("{base}/api/v1/scans"))
                .bearer_auth(&store)
                .json(&json!({"object_key": key}))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), expect, "{backend}: {key}");
        }
        let answer = client
            .post(format!("{base}/api/v1/scans"))
            .bearer_auth(&store)
            .json(&json!({"object_key": intake, "priority": "retest"}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 202, "{backend}");
    }
}

/// Organisations and users through the API, within each admin's reach.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_within_their_reach() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "orgs").await {
        let db = platform.db.clone();
        auth::bootstrap_admin(&db, Some("admin-password".into()))
            .await
            .unwrap();
        let base = format!("http://{}", start(platform, 0).await);
        let client = reqwest::Client::new();
        let admin = login(&client, &base, "admin", "admin-password").await;
        let post = |path: &'static str, token: String, body: Value| {
            client
                .post(format!("{base}{path}"))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let bureau: Value = post(
            "/api/v1/orgs",
            admin.clone(),
            json!({"name": "浙江省通信管理局", "kind": "bureau", "province": "浙江"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let bureau = bureau["id"].as_i64().unwrap();
        let no_province = post(
            "/api/v1/orgs",
            admin.clone(),
            json!({"name": "x", "kind": "bureau"}),
        )
        .await
        .unwrap();
        assert_eq!(no_province.status(), 400);
        let created = post("/api/v1/users", admin.clone(), json!({"org_id": bureau, "username": "zj-admin", "password": "zj-admin-password", "role": "admin"})).await.unwrap();
        assert_eq!(created.status(), 201);
        let zj = login(&client, &base, "zj-admin", "zj-admin-password").await;
        // A bureau's admin creates an enterprise of its province, not of another's.
        let own = post(
            "/api/v1/orgs",
            zj.clone(),
            json!({"name": "丙公司", "kind": "enterprise", "province": "浙江"}),
        )
        .await
        .unwrap();
        assert_eq!(own.status(), 201);
        let other = post(
            "/api/v1/orgs",
            zj.clone(),
            json!({"name": "丁公司", "kind": "enterprise", "province": "江苏"}),
        )
        .await
        .unwrap();
        assert_eq!(other.status(), 403);
        let ministry = post(
            "/api/v1/orgs",
            zj.clone(),
            json!({"name": "部", "kind": "ministry"}),
        )
        .await
        .unwrap();
        assert_eq!(ministry.status(), 403);
        let (_, orgs) = get_json(&client, format!("{base}/api/v1/orgs"), &zj).await;
        let names: Vec<&str> = orgs["orgs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["name"].as_str())
            .collect();
        assert_eq!(names, ["浙江省通信管理局", "丙公司"]);
        let weak = post(
            "/api/v1/users",
            admin.clone(),
            json!({"org_id": bureau, "username": "w", "password": "short", "role": "viewer"}),
        )
        .await
        .unwrap();
        assert_eq!(weak.status(), 400);
    }
}

/// The web UI in headless Chromium (`tests/ui/walk.cjs`, playwright-core driving Debian's
/// chromium): log in, upload an APK, see its report, app page, English, dashboard.
/// Skipped when node, playwright-core or chromium is missing, unless
/// `HEGUI_REQUIRE_CHROMIUM=1` (`.ci/run` sets it and installs playwright-core).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_ui_in_chromium() {
    if chromium("the_web_ui_in_chromium").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path().join("ui"), None, None);
    config.max_attempts = 2;
    let platform = Platform::open(config).await.unwrap();
    auth::bootstrap_admin(&platform.db, Some("admin-password".into()))
        .await
        .unwrap();
    let base = format!("http://{}", start(platform, 1).await);
    let args = vec![
        base.into(),
        "admin".into(),
        "admin-password".into(),
        fixture("privacy-basic.apk").into(),
        screenshots().into(),
    ];
    browse("walk.cjs", args).await;
}

/// Browser sessions: a login form protected by a double-submit token, a session cookie,
/// and every state change refused without the session's CSRF token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ui_sessions_and_csrf() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Platform::open(Config::new(dir.path().join("s"), None, None))
        .await
        .unwrap();
    auth::bootstrap_admin(&platform.db, Some("admin-password".into()))
        .await
        .unwrap();
    let base = format!("http://{}", start(platform, 0).await);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie_of = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap().to_string())
    };
    let anonymous = client
        .get(format!("{base}/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/login");

    let form = client.get(format!("{base}/login")).send().await.unwrap();
    let login_csrf = cookie_of(&form, "hegui_login_csrf").unwrap();
    let post_login = |csrf: &str| {
        client
            .post(format!("{base}/login"))
            .header("cookie", format!("hegui_login_csrf={login_csrf}"))
            .form(&[
                ("username", "admin"),
                ("password", "admin-password"),
                ("_csrf", csrf),
            ])
            .send()
    };
    assert_eq!(post_login("forged").await.unwrap().status(), 403);
    let logged_in = post_login(&login_csrf).await.unwrap();
    assert_eq!(logged_in.status(), 303);
    let session = cookie_of(&logged_in, "hegui_session").unwrap();
    let cookie = format!("hegui_session={session}");

    let page = client
        .get(format!("{base}/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("仪表盘"), "zh-CN by default");
    let csrf = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let english = client
        .get(format!("{base}/dashboard?lang=en"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(
        cookie_of(&english, "hegui_lang").is_some(),
        "the choice is remembered"
    );
    assert!(english.text().await.unwrap().contains("Dashboard"));

    // An upload without the token is refused before it is read.
    let upload = |token: Option<&str>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(std::fs::read(fixture("clean.apk")).unwrap())
                .file_name("clean.apk"),
        );
        let mut request = client
            .post(format!("{base}/scans"))
            .header("cookie", &cookie)
            .multipart(form);
        if let Some(t) = token {
            request = request.header("x-csrf-token", t);
        }
        request.send()
    };
    assert_eq!(upload(None).await.unwrap().status(), 403);
    assert_eq!(upload(Some("forged")).await.unwrap().status(), 403);
    assert_eq!(upload(Some(&csrf)).await.unwrap().status(), 202);

    // Logging out needs the token too, and ends the session.
    let logout = |t: &str| {
        client
            .post(format!("{base}/logout"))
            .header("cookie", &cookie)
            .form(&[("_csrf", t)])
            .send()
    };
    assert_eq!(logout("forged").await.unwrap().status(), 403);
    assert_eq!(logout(&csrf).await.unwrap().status(), 303);
    let after = client
        .get(format!("{base}/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the session is gone");
}

/// A rectification case through its states: opened by a bureau from findings, notified
/// with a deadline of five working days on the real calendar, acknowledged and sent to
/// re-test by the operator, closed by the bureau; each move by its own side only, every
/// move recorded, and other enterprises see nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_from_notice_to_closing() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "cases").await {
        let backend = format!("{:?}", platform.db.backend);
        let Zhejiang {
            base,
            client,
            a,
            b,
            zj,
            ..
        } = zhejiang(platform).await;
        let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let app_id = scanned_and_owned(&client, &base, &a, &zj, v1).await;
        let (version_id, all) =
            case_findings(&client, &base, &zj, &format!("app={app_id}&severity=high")).await;
        let ids = &all[..2];

        let open = |token: &str| {
            client
                .post(format!("{base}/api/v1/cases"))
                .bearer_auth(token)
                .json(&json!({"version_id": version_id, "finding_ids": ids}))
                .send()
        };
        assert_eq!(
            open(&a).await.unwrap().status(),
            403,
            "operators do not open cases"
        );
        let opened = open(&zj).await.unwrap();
        assert_eq!(opened.status(), 201, "{backend}");
        let case: Value = opened.json().await.unwrap();
        let id = case["id"].as_i64().unwrap();
        assert_eq!(case["state"], "open");
        assert_eq!(case["findings"].as_array().unwrap().len(), 2);

        let (status, _) = get_json(&client, format!("{base}/api/v1/cases/{id}"), &b).await;
        assert_eq!(status, 404, "{backend}: another enterprise");
        let (_, listed) = get_json(&client, format!("{base}/api/v1/cases"), &b).await;
        assert!(listed["cases"].as_array().unwrap().is_empty());

        let step = |token: &str, to: &'static str| move_case(&client, &base, token, id, to);
        assert_eq!(step(&a, "notified").await.unwrap().status(), 403);
        assert_eq!(step(&b, "notified").await.unwrap().status(), 404);
        assert_eq!(
            step(&zj, "retest").await.unwrap().status(),
            409,
            "not from open"
        );
        let notified: Value = step(&zj, "notified").await.unwrap().json().await.unwrap();
        assert_eq!(notified["state"], "notified", "{backend}: {notified}");
        let today = hegui_platform::cases::today();
        let due = hegui_calendar::Calendar::china()
            .add_working_days(today, 5)
            .unwrap();
        assert_eq!(notified["notified_on"], hegui_calendar::format_date(today));
        assert_eq!(notified["deadline"], hegui_calendar::format_date(due));
        assert_eq!(notified["overdue"], false);

        assert_eq!(
            step(&zj, "rectifying").await.unwrap().status(),
            403,
            "the operator's move"
        );
        assert_eq!(step(&a, "rectifying").await.unwrap().status(), 200);
        assert_eq!(step(&a, "retest").await.unwrap().status(), 200);
        assert_eq!(
            step(&a, "closed").await.unwrap().status(),
            403,
            "the authority's move"
        );
        let closed: Value = step(&zj, "closed").await.unwrap().json().await.unwrap();
        assert_eq!(closed["state"], "closed");
        let moves: Vec<(&str, &str)> = closed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap(),
                    e["to_state"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            moves,
            [
                ("zj", "open"),
                ("zj", "notified"),
                ("ent-a", "rectifying"),
                ("ent-a", "retest"),
                ("zj", "closed")
            ],
            "{backend}"
        );
        assert_eq!(
            step(&zj, "open").await.unwrap().status(),
            409,
            "closed stays closed"
        );
        let (_, mine) = get_json(&client, format!("{base}/api/v1/cases?state=closed"), &a).await;
        assert_eq!(mine["cases"].as_array().unwrap().len(), 1, "{backend}");
    }
}

/// The loop of notice 164 end to end: v1 scanned → case → v2 (code removed) re-tested:
/// fixed, remaining and new findings told apart → case closed → v3 brings the closed
/// case's findings back → recurrences flagged with both versions, proposed for notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retest_and_recurrence() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "retest").await {
        let backend = format!("{:?}", platform.db.backend);
        let Zhejiang {
            base,
            client,
            a,
            zj,
            ..
        } = zhejiang(platform).await;
        let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let app_id = scanned_and_owned(&client, &base, &a, &zj, v1).await;
        let (v1_id, ids) =
            case_findings(&client, &base, &zj, &format!("app={app_id}&limit=500")).await;
        let case: Value = client
            .post(format!("{base}/api/v1/cases"))
            .bearer_auth(&zj)
            .json(&json!({"version_id": v1_id, "finding_ids": ids}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = case["id"].as_i64().unwrap();
        let step = |token: &str, to: &'static str| move_case(&client, &base, token, id, to);
        assert_eq!(step(&zj, "notified").await.unwrap().status(), 200);
        assert_eq!(step(&a, "rectifying").await.unwrap().status(), 200);

        // v2: the second DEX (and what its code did) removed.
        upload_bytes(
            &client,
            &base,
            &a,
            "v2.apk",
            rewritten_apk("classes2.dex", &[]),
        )
        .await;
        let (_, detail) = get_json(&client, format!("{base}/api/v1/apps/{app_id}"), &a).await;
        let v2_id = detail["versions"][0]["id"].as_i64().unwrap();
        assert_ne!(v2_id, v1_id);
        let retest = |version: i64| {
            client
                .post(format!("{base}/api/v1/cases/{id}/retest"))
                .bearer_auth(&a)
                .json(&json!({"version_id": version}))
                .send()
        };
        assert_eq!(
            retest(v1_id).await.unwrap().status(),
            400,
            "{backend}: not a rectified version"
        );
        let compared: Value = retest(v2_id).await.unwrap().json().await.unwrap();
        let count = |k: &str| compared[k].as_array().unwrap().len();
        assert_eq!(
            count("fixed") + count("remaining"),
            ids.len(),
            "{backend}: {compared}"
        );
        assert!(
            count("fixed") >= 1 && count("remaining") >= 1,
            "{backend}: {compared}"
        );
        assert_eq!(compared["case"]["state"], "retest");
        let statuses: Vec<&str> = compared["case"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["status"].as_str())
            .collect();
        assert!(
            statuses.contains(&"fixed") && !statuses.contains(&"open"),
            "{backend}"
        );
        assert_eq!(step(&zj, "closed").await.unwrap().status(), 200);

        // v3: the original code is back; every finding of the closed case that v3 has
        // again is a recurrence with both versions as evidence.
        upload_bytes(
            &client,
            &base,
            &a,
            "v3.apk",
            rewritten_apk("", &[("assets/v3.txt", b"v3")]),
        )
        .await;
        let (_, listed) = get_json(&client, format!("{base}/api/v1/recurrences"), &zj).await;
        let recurrences = listed["recurrences"].as_array().unwrap();
        assert!(recurrences.len() >= count("fixed"), "{backend}: {listed}");
        assert!(recurrences.iter().all(|r| r["case_id"] == id
            && r["earlier_version_id"] == v1_id
            && r["later_version_id"].as_i64().unwrap() > v2_id
            && r["proposed_for_notice"] == true));
        let (_, theirs) = get_json(&client, format!("{base}/api/v1/recurrences"), &a).await;
        assert_eq!(
            theirs["recurrences"].as_array().unwrap().len(),
            recurrences.len(),
            "the operator sees its own"
        );
    }
}
