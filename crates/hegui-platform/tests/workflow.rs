//! The rectification workflow end to end, on SQLite and (when `.ci/run` starts them) on
//! PostgreSQL with S3: the operator's rectified version and the automatic re-test,
//! escalation steps and their documents, public notices (review, export, the printable
//! page), recurrences on the notice list, messages and mail, the daily deadline job,
//! clues, and complaints from the public.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

use std::sync::Arc;

use base64::Engine;
use hegui_platform::Platform;
use hegui_platform::audit::Actor;
use hegui_platform::auth;
use serde_json::{Value, json};

/// The platform with mail going to a local SMTP server.
fn with_smtp(mut platform: Platform, smtp: &str) -> Platform {
    let mut config = (*platform.config).clone();
    config.smtp = Some(smtp.to_string());
    config.mail_from = "hegui@platform.test".into();
    platform.config = Arc::new(config);
    platform
}

async fn set_email(platform: &Platform, username: &str, email: &str) {
    let id: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&platform.db.pool)
            .await
            .unwrap(),
        "id",
    )
    .unwrap();
    auth::set_email(&platform.db, id, Some(email))
        .await
        .unwrap();
}

async fn post_json(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let answer = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// A case opened by the bureau on all of v1's findings, notified and acknowledged.
async fn rectifying_case(z: &Zhejiang, app_id: i64) -> (i64, i64, usize) {
    let (v1, ids) = case_findings(
        &z.client,
        &z.base,
        &z.zj,
        &format!("app={app_id}&limit=500"),
    )
    .await;
    let (status, case) = post_json(
        &z.client,
        format!("{}/api/v1/cases", z.base),
        &z.zj,
        json!({"version_id": v1, "finding_ids": ids}),
    )
    .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_i64().unwrap();
    let moved = move_case(&z.client, &z.base, &z.zj, id, "notified")
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let moved = move_case(&z.client, &z.base, &z.a, id, "rectifying")
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    (id, v1, ids.len())
}

fn subjects(mails: &[Mail], to: &str) -> Vec<String> {
    mails
        .iter()
        .filter(|m| m.to == to)
        .filter_map(|m| {
            let line = m.data.lines().find(|l| l.starts_with("Subject: "))?;
            let b64 = line
                .strip_prefix("Subject: =?UTF-8?B?")?
                .strip_suffix("?=")?;
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            String::from_utf8(bytes).ok()
        })
        .collect()
}

async fn case(z: &Zhejiang, token: &str, id: i64) -> (u16, Value) {
    get_json(&z.client, format!("{}/api/v1/cases/{id}", z.base), token).await
}

/// scan v1 → case with its deadline → the operator hands in v2 and a statement → the
/// worker re-tests it (fixed, remaining, new) → escalation to a public notice with its
/// decision document → a notice drafted, reviewed by another person, published, exported
/// and printed → the case closed → v3 repeats closed findings → recurrences on the next
/// notice. Messages and mail go to each side along the way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_from_scan_to_public_notice() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "workflow").await {
        let backend = format!("{:?}", platform.db.backend);
        let (smtp, mails) = smtp_sink().await;
        let platform = with_smtp(platform, &smtp);
        let db = platform.db.clone();
        let z = zhejiang(platform.clone()).await;
        let (client, base) = (&z.client, z.base.as_str());
        set_email(&platform, "ent-a", "operator@a.test").await;
        set_email(&platform, "zj", "cases@zj.test").await;
        let bureau_org: i64 = {
            let (_, orgs) = get_json(client, format!("{base}/api/v1/orgs"), &z.zj).await;
            orgs["orgs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["kind"] == "bureau")
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let reviewer = login_as(&db, client, base, bureau_org, "zj-review", "regulator").await;

        let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let app_id = scanned_and_owned(client, base, &z.a, &z.zj, v1).await;
        let (id, v1_id, n_findings) = rectifying_case(&z, app_id).await;

        // Notified: the operator has a message and a mail saying by when.
        let (_, inbox) = get_json(client, format!("{base}/api/v1/messages"), &z.a).await;
        let opened = inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "case.opened")
            .unwrap_or_else(|| panic!("{backend}: {inbox}"));
        let (_, shown) = case(&z, &z.a, id).await;
        let deadline = shown["deadline"].as_str().unwrap().to_string();
        assert!(opened["subject_zh"].as_str().unwrap().contains(&deadline));
        eventually("the notification mail", async || {
            subjects(&mails.lock().unwrap(), "operator@a.test")
                .iter()
                .any(|s| s.contains("整改通知") && s.contains(&deadline))
        })
        .await;

        // Another enterprise can neither see nor act on the case.
        assert_eq!(case(&z, &z.b, id).await.0, 404);
        let form = reqwest::multipart::Form::new()
            .text("statement", "not mine")
            .part(
                "file",
                reqwest::multipart::Part::bytes(vec![1, 2, 3]).file_name("x.apk"),
            );
        let foreign = client
            .post(format!("{base}/api/v1/cases/{id}/rectification"))
            .bearer_auth(&z.b)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 404, "{backend}");

        // The operator hands in v2 (the second DEX removed) with its statement.
        let form = reqwest::multipart::Form::new()
            .text("statement", "删除了违规收集设备标识的 SDK 调用")
            .part(
                "file",
                reqwest::multipart::Part::bytes(rewritten_apk("classes2.dex", &[]))
                    .file_name("v2.apk"),
            )
            .part(
                "statement_file",
                reqwest::multipart::Part::bytes(b"%PDF-1.4 statement".to_vec())
                    .file_name("整改报告.pdf"),
            );
        let handed = client
            .post(format!("{base}/api/v1/cases/{id}/rectification"))
            .bearer_auth(&z.a)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(handed.status(), 202, "{backend}");
        let handed: Value = handed.json().await.unwrap();
        assert_eq!(handed["state"], "retest");
        assert_eq!(handed["documents"][0]["kind"], "statement");
        // The worker scans it and compares it with the case by itself.
        let mut retested = Value::Null;
        eventually("the automatic re-test", async || {
            retested = case(&z, &z.zj, id).await.1;
            retested["submissions"][0]["outcome"] == "compared"
        })
        .await;
        let statuses: Vec<&str> = retested["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["status"].as_str())
            .collect();
        assert_eq!(statuses.len(), n_findings);
        assert!(
            statuses.contains(&"fixed") && statuses.contains(&"remaining"),
            "{backend}: {statuses:?}"
        );
        assert!(!statuses.contains(&"open"));
        let v2_id = retested["retest_version_id"].as_i64().unwrap();
        assert!(v2_id > v1_id);
        let (_, zj_inbox) = get_json(client, format!("{base}/api/v1/messages"), &z.zj).await;
        let kinds: Vec<&str> = zj_inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["kind"].as_str())
            .collect();
        assert!(
            kinds.contains(&"case.submitted") && kinds.contains(&"case.retested"),
            "{backend}: {kinds:?}"
        );

        // Escalation: steps in order, by the authority only, each with its documents.
        let url = format!("{base}/api/v1/cases/{id}/escalations");
        let (status, _) = post_json(client, url.clone(), &z.zj, json!({"step": "takedown"})).await;
        assert_eq!(status, 400, "{backend}: steps are not skipped");
        let (status, _) =
            post_json(client, url.clone(), &z.a, json!({"step": "public_notice"})).await;
        assert_eq!(status, 403, "{backend}: the operator does not escalate");
        let (status, escalated) = post_json(
            client,
            url.clone(),
            &z.zj,
            json!({"step": "public_notice", "reference": "浙通信管函〔2026〕12号"}),
        )
        .await;
        assert_eq!(status, 201, "{backend}: {escalated}");
        assert_eq!(escalated["state"], "escalated");
        let step_id = escalated["escalations"][0]["id"].as_i64().unwrap();
        let decision = |token: &str, kind: &str| {
            let form = reqwest::multipart::Form::new()
                .text("kind", kind.to_string())
                .text("escalation_id", step_id.to_string())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4 decision".to_vec())
                        .file_name("通报决定.pdf"),
                );
            client
                .post(format!("{base}/api/v1/cases/{id}/documents"))
                .bearer_auth(token.to_string())
                .multipart(form)
                .send()
        };
        assert_eq!(decision(&z.a, "decision").await.unwrap().status(), 403);
        let attached: Value = decision(&z.zj, "decision")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let doc = attached["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "decision")
            .unwrap();
        assert_eq!(doc["escalation_id"], step_id);
        let download = |token: &str| {
            client
                .get(format!("{base}/api/v1/documents/{}", doc["id"]))
                .bearer_auth(token.to_string())
                .send()
        };
        let got = download(&z.a).await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(
            got.headers()["content-type"],
            "application/octet-stream",
            "never rendered inline"
        );
        assert_eq!(got.bytes().await.unwrap().as_ref(), b"%PDF-1.4 decision");
        assert_eq!(download(&z.b).await.unwrap().status(), 404);
        eventually("the escalation mail", async || {
            subjects(&mails.lock().unwrap(), "operator@a.test")
                .iter()
                .any(|s| s.contains("公开通报"))
        })
        .await;

        // The notice: drafted from the escalated case, published by another person.
        let (status, draft) = post_json(
            client,
            format!("{base}/api/v1/notices"),
            &z.zj,
            json!({"title": "关于侵害用户权益行为的App的通报（2026年第1批）"}),
        )
        .await;
        assert_eq!(status, 201, "{backend}: {draft}");
        let notice = draft["id"].as_i64().unwrap();
        let item = &draft["items"][0];
        assert_eq!(item["source"], "escalation");
        assert_eq!(item["operator"], "甲公司");
        assert_eq!(item["case_id"], id);
        assert!(!item["problems"].as_str().unwrap().is_empty());
        let publish = format!("{base}/api/v1/notices/{notice}/publish");
        assert_eq!(
            post_json(client, publish.clone(), &z.zj, json!({})).await.0,
            403,
            "the author does not publish alone"
        );
        let printable = client
            .get(format!("{base}/notices/{notice}"))
            .send()
            .await
            .unwrap();
        assert_eq!(printable.status(), 404, "a draft is not public");
        let (status, published) = post_json(client, publish, &reviewer, json!({})).await;
        assert_eq!(status, 200, "{published}");
        assert_eq!(published["status"], "published");
        let page = client
            .get(format!("{base}/notices/{notice}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("发布单位") && page.contains("浙江省通信管理局"));
        assert!(page.contains(item["app_name"].as_str().unwrap()));
        let export = |format: &'static str| {
            client
                .get(format!(
                    "{base}/api/v1/notices/{notice}/export?format={format}"
                ))
                .bearer_auth(&z.zj)
                .send()
        };
        let csv = export("csv").await.unwrap().text().await.unwrap();
        assert!(csv.contains("应用名称") && csv.contains("甲公司"), "{csv}");
        let xlsx = export("xlsx").await.unwrap().bytes().await.unwrap();
        let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut book.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(sheet.contains("甲公司"));

        // Closed; v3 brings the closed case's findings back: the next notice has them.
        assert_eq!(
            move_case(client, base, &z.zj, id, "closed")
                .await
                .unwrap()
                .status(),
            200
        );
        upload_bytes(
            client,
            base,
            &z.a,
            "v3.apk",
            rewritten_apk("", &[("assets/v3.txt", b"v3")]),
        )
        .await;
        let (_, recurrences) = get_json(client, format!("{base}/api/v1/recurrences"), &z.zj).await;
        let recurring = recurrences["recurrences"].as_array().unwrap().len() as i64;
        assert!(recurring > 0, "{backend}");
        assert_eq!(recurrences["by_app"][0]["id"], app_id);
        assert_eq!(recurrences["by_app"][0]["findings"], recurring);
        assert_eq!(recurrences["by_enterprise"][0]["name"], "甲公司");
        assert_eq!(recurrences["by_enterprise"][0]["versions"], 1);
        let (status, second) = post_json(
            client,
            format!("{base}/api/v1/notices"),
            &z.zj,
            json!({"title": "第2批"}),
        )
        .await;
        assert_eq!(status, 201, "{second}");
        let items = second["items"].as_array().unwrap();
        assert!(
            items
                .iter()
                .all(|i| i["source"] == "recurrence" && i["case_id"] == id),
            "the published escalation is not repeated: {second}"
        );
        let (status, _) = post_json(
            client,
            format!("{base}/api/v1/notices/{}/publish", second["id"]),
            &reviewer,
            json!({}),
        )
        .await;
        assert_eq!(status, 200);
        let (_, after) = get_json(client, format!("{base}/api/v1/recurrences"), &z.zj).await;
        assert!(
            after["recurrences"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["proposed_for_notice"] == false),
            "published recurrences are no longer proposed"
        );
    }
}

/// The daily job: a reminder the working day before the deadline and on it, overdue the
/// day after, each once, with an event and messages to both sides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_job_reminds_and_marks_overdue() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "daily").await {
        let z = zhejiang(platform.clone()).await;
        let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let app_id = scanned_and_owned(&z.client, &z.base, &z.a, &z.zj, v1).await;
        let (id, _, _) = rectifying_case(&z, app_id).await;
        let (_, shown) = case(&z, &z.zj, id).await;
        let deadline = hegui_calendar::parse_date(shown["deadline"].as_str().unwrap()).unwrap();
        let run = |day| hegui_platform::daily::run_day(&platform, day);

        let far = run(hegui_platform::cases::today()).await.unwrap();
        assert_eq!((far.reminded, far.overdue), (0, 0), "5 working days ahead");
        let on_the_day = run(deadline).await.unwrap();
        assert_eq!((on_the_day.reminded, on_the_day.overdue), (1, 0));
        assert_eq!(run(deadline).await.unwrap().reminded, 0, "once");
        let after = deadline.next_day().unwrap();
        assert_eq!(run(after).await.unwrap().overdue, 1);
        assert_eq!(run(after).await.unwrap().overdue, 0, "once");

        let (_, shown) = case(&z, &z.a, id).await;
        assert_eq!(
            shown["overdue_marked_on"].as_str().unwrap(),
            hegui_calendar::format_date(after)
        );
        let notes: Vec<&str> = shown["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["note"].as_str())
            .collect();
        assert!(notes.iter().any(|n| n.contains("reminder: the deadline")));
        assert!(notes.iter().any(|n| n.contains("overdue: the deadline")));
        for token in [&z.a, &z.zj] {
            let (_, inbox) = get_json(
                &z.client,
                format!("{}/api/v1/messages?unread=true", z.base),
                token,
            )
            .await;
            assert!(
                inbox["messages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["kind"] == "case.overdue"),
                "{inbox}"
            );
        }
        // Read once, read for the whole organisation; another organisation's is 404.
        let (_, inbox) = get_json(&z.client, format!("{}/api/v1/messages", z.base), &z.a).await;
        let first = inbox["messages"][0]["id"].as_i64().unwrap();
        let read = |token: &str| {
            z.client
                .post(format!("{}/api/v1/messages/{first}/read", z.base))
                .bearer_auth(token.to_string())
                .send()
        };
        assert_eq!(read(&z.zj).await.unwrap().status(), 404);
        assert_eq!(read(&z.a).await.unwrap().status(), 204);
        let (_, after_read) =
            get_json(&z.client, format!("{}/api/v1/messages", z.base), &z.a).await;
        assert_eq!(
            after_read["unread"].as_i64().unwrap(),
            inbox["unread"].as_i64().unwrap() - 1
        );
    }
}

/// Clues: filed by a bureau for its own province only, with evidence; the ministry sees
/// the period's due date and which bureaus are late; a clue becomes a scan and a case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clues_from_bureaus() {
    let dir = tempfile::tempdir().unwrap();
    for platform in backends(dir.path(), "clues").await {
        let db = platform.db.clone();
        auth::bootstrap_admin(&db, Some("admin-password".into()))
            .await
            .unwrap();
        let sys = Actor::system();
        let js = auth::create_org(&db, &sys, "江苏省通信管理局", "bureau", Some("江苏"))
            .await
            .unwrap();
        let z = zhejiang(platform.clone()).await;
        let (client, base) = (&z.client, z.base.as_str());
        let js = login_as(&db, client, base, js, "js", "regulator").await;
        let ministry = login(client, base, "admin", "admin-password").await;
        let clue = json!({"app_name": "某购物", "store": "某应用市场", "task": "MIIT164-02",
            "description": "后台每 5 分钟读取一次位置"});
        let url = format!("{base}/api/v1/clues");

        let mut other = clue.clone();
        other["province"] = json!("江苏");
        assert_eq!(post_json(client, url.clone(), &z.zj, other).await.0, 403);
        assert_eq!(
            post_json(client, url.clone(), &z.a, clue.clone()).await.0,
            403
        );
        assert_eq!(
            post_json(client, url.clone(), &ministry, clue.clone())
                .await
                .0,
            403
        );
        let mut bad_task = clue.clone();
        bad_task["task"] = json!("GB35273-5.3");
        assert_eq!(post_json(client, url.clone(), &z.zj, bad_task).await.0, 400);
        let (status, filed) = post_json(client, url.clone(), &z.zj, clue.clone()).await;
        assert_eq!(status, 201, "{filed}");
        let clue_id = filed["id"].as_i64().unwrap();
        assert_eq!(filed["province"], "浙江");
        assert!(!filed["task_zh"].as_str().unwrap().is_empty());

        // Evidence, by the filing bureau; the other province sees nothing of it.
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"capture".to_vec()).file_name("抓包.pcap"),
        );
        let with_evidence: Value = client
            .post(format!("{base}/api/v1/clues/{clue_id}/documents"))
            .bearer_auth(&z.zj)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(with_evidence["documents"][0]["kind"], "evidence");
        let (status, _) = get_json(client, format!("{base}/api/v1/clues/{clue_id}"), &js).await;
        assert_eq!(status, 404);
        let (_, js_list) = get_json(client, url.clone(), &js).await;
        assert!(js_list["clues"].as_array().unwrap().is_empty());

        // The period as the ministry sees it: the due date, and 江苏 late once it passes.
        let (status, period) = get_json(
            client,
            format!("{base}/api/v1/clue-periods/current"),
            &ministry,
        )
        .await;
        assert_eq!(status, 200, "{period}");
        assert_eq!(period["period"], filed["period"]);
        let (y, m) =
            hegui_platform::clues::parse_period(period["period"].as_str().unwrap()).unwrap();
        let due = hegui_platform::clues::due(hegui_calendar::Calendar::china(), y, m).unwrap();
        assert_eq!(period["due"], hegui_calendar::format_date(due.date));
        assert_eq!(period["moved"], due.moved);
        let bureaus = period["bureaus"].as_array().unwrap();
        let find = |name: &str| bureaus.iter().find(|b| b["name"] == name).unwrap();
        assert_eq!(find("浙江省通信管理局")["clues"], 1);
        assert_eq!(find("江苏省通信管理局")["clues"], 0);
        assert_eq!(find("江苏省通信管理局")["overdue"], false, "not due yet");
        // A past period, where no bureau filed: every bureau is overdue.
        let (_, past) = get_json(
            client,
            format!("{base}/api/v1/clue-periods/2025-06"),
            &ministry,
        )
        .await;
        assert_eq!(past["due"], "2025-06-16", "the 15th was a Sunday");
        assert!(past["due_zh"].as_str().unwrap().contains("顺延"));
        assert!(
            past["bureaus"]
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["overdue"] == true)
        );
        let (_, own) = get_json(client, format!("{base}/api/v1/clue-periods/2025-06"), &js).await;
        assert_eq!(
            own["bureaus"].as_array().unwrap().len(),
            1,
            "a bureau sees itself"
        );
        assert_eq!(
            get_json(client, format!("{base}/api/v1/clue-periods/current"), &z.a)
                .await
                .0,
            403
        );

        // Clue → scan → case.
        let bytes = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("clue.apk"),
        );
        let scanned: Value = client
            .post(format!("{base}/api/v1/clues/{clue_id}/scan"))
            .bearer_auth(&z.zj)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let scan_id = scanned["scan_id"].as_i64().unwrap();
        assert_eq!(
            wait_done(client, base, &z.zj, scan_id).await["status"],
            "done"
        );
        let (_, apps) = get_json(client, format!("{base}/api/v1/apps"), &z.zj).await;
        let app_id = apps["apps"][0]["id"].as_i64().unwrap();
        let (version, ids) =
            case_findings(client, base, &z.zj, &format!("app={app_id}&limit=5")).await;
        let (status, opened) = post_json(
            client,
            format!("{base}/api/v1/cases"),
            &z.zj,
            json!({"version_id": version, "finding_ids": ids, "clue_id": clue_id}),
        )
        .await;
        assert_eq!(status, 201, "{opened}");
        assert_eq!(opened["clue_id"], clue_id);
        let (_, linked) = get_json(client, format!("{base}/api/v1/clues/{clue_id}"), &z.zj).await;
        assert_eq!(linked["case_id"], opened["id"]);
        assert_eq!(linked["app_id"], app_id);
    }
}

/// Complaints: a public page without an account, a challenge, a rate limit, a reference
/// number that shows the status and nothing else; triage merges and links them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_from_the_public() {
    let dir = tempfile::tempdir().unwrap();
    for mut platform in backends(dir.path(), "complaints").await {
        let mut config = (*platform.config).clone();
        config.complaints_per_hour = 3;
        config.client_ip_header = Some("X-Forwarded-For".into());
        platform.config = Arc::new(config);
        let db = platform.db.clone();
        let z = zhejiang(platform.clone()).await;
        let (client, base) = (&z.client, z.base.as_str());
        let triage_org: i64 = {
            let (_, orgs) = get_json(client, format!("{base}/api/v1/orgs"), &z.zj).await;
            orgs["orgs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["kind"] == "bureau")
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let triage = login_as(&db, client, base, triage_org, "triage", "triage").await;

        let page = client
            .get(format!("{base}/complaints"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("投诉") && page.contains(" = ?"));
        let answered = async || {
            let c: Value = client
                .get(format!("{base}/complaints/challenge"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let q = c["question"].as_str().unwrap();
            let (a, rest) = q.split_once(" + ").unwrap();
            let b = rest.trim_end_matches(" = ?");
            let sum = a.parse::<u32>().unwrap() + b.parse::<u32>().unwrap();
            (c["token"].as_str().unwrap().to_string(), sum)
        };
        let file = |token: String, answer: String, screenshot: Option<Vec<u8>>| {
            let mut form = reqwest::multipart::Form::new()
                .text("app_name", "某购物")
                .text("store", "某应用市场")
                .text("problem", "forced-permission")
                .text("description", "不给通讯录权限就闪退")
                .text("contact", "someone@example.cn")
                .text("challenge", token)
                .text("answer", answer);
            if let Some(bytes) = screenshot {
                form = form.part(
                    "screenshot",
                    reqwest::multipart::Part::bytes(bytes).file_name("shot.png"),
                );
            }
            client
                .post(format!("{base}/complaints"))
                .header("accept", "application/json")
                // The proxy appends the sender's address; what the sender put first is ignored.
                .header("x-forwarded-for", "10.9.9.9, 203.0.113.7")
                .multipart(form)
                .send()
        };
        let (token, sum) = answered().await;
        let wrong = file(token.clone(), (sum + 1).to_string(), None)
            .await
            .unwrap();
        assert_eq!(wrong.status(), 400);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let first = file(token.clone(), sum.to_string(), Some(png))
            .await
            .unwrap();
        assert_eq!(first.status(), 201);
        let first: Value = first.json().await.unwrap();
        let reference = first["reference"].as_str().unwrap().to_string();
        let replay = file(token, sum.to_string(), None).await.unwrap();
        assert_eq!(replay.status(), 400, "a challenge answers once");
        let (token, sum) = answered().await;
        let html = file(token, sum.to_string(), Some(b"<script>".to_vec()))
            .await
            .unwrap();
        assert_eq!(html.status(), 400, "screenshots are images");
        let (token, sum) = answered().await;
        let second: Value = file(token, sum.to_string(), None)
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // Three filed from this address in the hour (two kept, one refused earlier did
        // not count): one more is allowed, then the limit.
        let (token, sum) = answered().await;
        assert_eq!(
            file(token, sum.to_string(), None).await.unwrap().status(),
            201
        );
        let (token, sum) = answered().await;
        assert_eq!(
            file(token, sum.to_string(), None).await.unwrap().status(),
            429,
            "rate-limited"
        );
        // Another sender behind the same proxy has its own limit.
        let (token, sum) = answered().await;
        let form = reqwest::multipart::Form::new()
            .text("app_name", "某视频")
            .text("problem", "other")
            .text("description", "自动续费")
            .text("challenge", token)
            .text("answer", sum.to_string());
        let other = client
            .post(format!("{base}/complaints"))
            .header("accept", "application/json")
            .header("x-forwarded-for", "203.0.113.8")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 201, "each sender its own limit");

        // The status page reads the status of the one complaint named, and nothing else.
        let status = |reference: String| {
            client
                .get(format!("{base}/complaints/status"))
                .query(&[("reference", reference)])
                .header("accept", "application/json")
                .send()
        };
        let shown: Value = status(reference.clone())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(shown["status"], "received");
        assert!(shown.get("description").is_none() && shown.get("contact").is_none());
        let unknown = status("TS20261126-AAAAAAAAAA".into()).await.unwrap();
        assert_eq!(unknown.status(), 404);
        let prefix = status(reference[..12].to_string()).await.unwrap();
        assert_eq!(prefix.status(), 404, "the whole reference or nothing");
        let anonymous = client
            .get(format!("{base}/api/v1/complaints"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);

        // Triage: an enterprise may not; the triage user merges the duplicate, accepts
        // and links the first to the app.
        let list = format!("{base}/api/v1/complaints");
        assert_eq!(get_json(client, list.clone(), &z.a).await.0, 403);
        let (_, listed) = get_json(client, list.clone(), &triage).await;
        let complaints = listed["complaints"].as_array().unwrap();
        assert_eq!(complaints.len(), 4);
        let id_of = |r: &str| {
            complaints.iter().find(|c| c["reference"] == r).unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let (first_id, second_id) = (
            id_of(&reference),
            id_of(second["reference"].as_str().unwrap()),
        );
        assert_eq!(
            complaints.iter().find(|c| c["id"] == first_id).unwrap()["screenshots"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
        let app_id = scanned_and_owned(client, base, &z.a, &z.zj, v1).await;
        let triage_url = |id: i64| format!("{base}/api/v1/complaints/{id}/triage");
        let (s, _) = post_json(
            client,
            triage_url(first_id),
            &z.a,
            json!({"status": "accepted"}),
        )
        .await;
        assert_eq!(s, 403);
        let (s, accepted) = post_json(
            client,
            triage_url(first_id),
            &triage,
            json!({"status": "accepted", "app_id": app_id, "note": "已核实"}),
        )
        .await;
        assert_eq!(s, 200, "{accepted}");
        assert_eq!(accepted["app_id"], app_id);
        let (s, _) = post_json(
            client,
            triage_url(second_id),
            &triage,
            json!({"merge_into": second_id}),
        )
        .await;
        assert_eq!(s, 400, "not its own duplicate");
        let (s, merged) = post_json(
            client,
            triage_url(second_id),
            &triage,
            json!({"merge_into": first_id}),
        )
        .await;
        assert_eq!(s, 200, "{merged}");
        assert_eq!(merged["status"], "merged");
        let (_, primary) = get_json(
            client,
            format!("{base}/api/v1/complaints/{first_id}"),
            &triage,
        )
        .await;
        assert_eq!(primary["duplicates"], 1);
        let (_, summary) = get_json(client, format!("{list}/summary"), &triage).await;
        assert_eq!(
            (
                summary["total"].as_i64(),
                summary["accepted"].as_i64(),
                summary["merged"].as_i64()
            ),
            (Some(4), Some(1), Some(1))
        );
        let shown: Value = status(reference).await.unwrap().json().await.unwrap();
        assert_eq!(shown["status"], "accepted");
    }
}

/// A bureau and an operator take a case through the Chinese web UI in headless Chromium
/// (`tests/ui/case_walk.cjs`); screenshots go to `target/ui-screenshots/case-*.png`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_in_the_web_ui_in_chromium() {
    if chromium("a_case_in_the_web_ui_in_chromium").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let platform = backends(dir.path(), "case_ui").await.remove(0);
    let db = platform.db.clone();
    let z = zhejiang(platform).await;
    let v1 = std::fs::read(fixture("privacy-basic.apk")).unwrap();
    let app_id = scanned_and_owned(&z.client, &z.base, &z.a, &z.zj, v1).await;
    let v2 = dir.path().join("v2.apk");
    std::fs::write(&v2, rewritten_apk("classes2.dex", &[])).unwrap();
    let decision = dir.path().join("处置决定书.pdf");
    std::fs::write(&decision, b"%PDF-1.4 decision").unwrap();
    let bureau: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT id FROM orgs WHERE kind = 'bureau'")
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        "id",
    )
    .unwrap();
    login_as(&db, &z.client, &z.base, bureau, "zj-review", "regulator").await;
    let args = vec![
        z.base.clone().into(),
        app_id.to_string().into(),
        "zj".into(),
        "zj-password".into(),
        "ent-a".into(),
        "ent-a-password".into(),
        v2.into(),
        screenshots().into(),
        "zj-review".into(),
        "zj-review-password".into(),
        decision.into(),
    ];
    let summary = browse("case_walk.cjs", args).await;
    assert!(summary["deadline"].as_str().unwrap().starts_with("20"));
}
