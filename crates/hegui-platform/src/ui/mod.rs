//! The web UI: server-rendered pages (zh-CN by default, English with `?lang=en`) over the
//! same scoped queries as the API. Login, upload with progress, scans and their status,
//! apps and versions with their findings and full report, and a dashboard (queue depth,
//! scans per hour, findings by notice-164 task and by SDK).

mod casework;
mod office;
mod pages;
mod public;
mod session;
mod text;

use std::sync::OnceLock;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::Environment;
use serde_json::{Value, json};

pub use session::same;
pub use text::Lang;

use crate::Platform;
use session::Session;

pub fn router(platform: &Platform) -> Router<Platform> {
    let upload_limit = usize::try_from(platform.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 20);
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/dashboard", get(pages::dashboard))
        .route(
            "/scans",
            get(pages::scans)
                .post(pages::upload)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/scans/{id}", get(pages::scan))
        .route("/scans/{id}/report", get(pages::report))
        .route("/apps", get(pages::apps))
        .route("/apps/{id}", get(pages::app))
        .route("/cases", get(casework::cases).post(casework::open))
        .route("/cases/{id}", get(casework::case))
        .route("/cases/{id}/move", post(casework::move_case))
        .route("/cases/{id}/escalate", post(casework::escalate))
        .route(
            "/cases/{id}/rectification",
            post(casework::rectification).layer(DefaultBodyLimit::max(
                upload_limit.saturating_add(crate::api::casework::MAX_DOCUMENT_BYTES as usize),
            )),
        )
        .route(
            "/cases/{id}/documents",
            post(office::attach).layer(DefaultBodyLimit::max(
                (crate::api::casework::MAX_DOCUMENT_BYTES as usize) + (1 << 20),
            )),
        )
        .route("/documents/{id}", get(casework::document))
        .route("/notices", get(office::notices).post(office::draft))
        .route("/notices/{id}/preview", get(office::preview))
        .route("/notices/{id}/publish", post(office::publish))
        .route("/notices/{id}/export", get(office::export))
        .route("/triage", get(office::triage_page))
        .route("/triage/{id}", post(office::triage))
        .route("/messages", get(casework::inbox))
        .route("/clues", get(casework::clues).post(casework::file_clue))
        .route(
            "/complaints",
            get(public::form)
                .post(public::submit)
                .layer(DefaultBodyLimit::max(
                    (public::MAX_SCREENSHOT_BYTES as usize) * 3 + (1 << 20),
                )),
        )
        .route("/complaints/challenge", get(public::challenge))
        .route("/complaints/status", get(public::status))
        .route("/notices/{id}", get(public::notice))
}

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("templates/base.html")),
            ("login.html", include_str!("templates/login.html")),
            ("dashboard.html", include_str!("templates/dashboard.html")),
            ("scans.html", include_str!("templates/scans.html")),
            ("scan.html", include_str!("templates/scan.html")),
            ("apps.html", include_str!("templates/apps.html")),
            ("app.html", include_str!("templates/app.html")),
            ("complaint.html", include_str!("templates/complaint.html")),
            (
                "complaint_done.html",
                include_str!("templates/complaint_done.html"),
            ),
            (
                "complaint_status.html",
                include_str!("templates/complaint_status.html"),
            ),
            ("notice.html", include_str!("templates/notice.html")),
            ("cases.html", include_str!("templates/cases.html")),
            ("case.html", include_str!("templates/case.html")),
            ("messages.html", include_str!("templates/messages.html")),
            ("clues.html", include_str!("templates/clues.html")),
            ("notices.html", include_str!("templates/notices.html")),
            ("triage.html", include_str!("templates/triage.html")),
        ] {
            // The templates are ours and tested; one that fails to parse shows as an error
            // page when rendered, not a crash here.
            if let Err(e) = env.add_template(name, source) {
                eprintln!("hegui serve: template {name}: {e}");
            }
        }
        env
    })
}

/// The context every page shares: words, language, user, CSRF token.
fn common(lang: Lang, session: Option<&Session>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("t".into(), json!(text::words(lang)));
    m.insert("lang_tag".into(), json!(lang.tag()));
    m.insert(
        "other_lang".into(),
        json!(match lang.other() {
            Lang::Zh => "zh",
            Lang::En => "en",
        }),
    );
    if let Some(s) = session {
        m.insert("user".into(), json!(s.caller.username));
        m.insert("csrf".into(), json!(s.csrf));
        let kind = format!("kind_{}", s.caller.org_kind);
        m.insert("org_kind_label".into(), json!(text::word(lang, &kind)));
        m.insert(
            "regulator".into(),
            json!(matches!(s.caller.org_kind.as_str(), "ministry" | "bureau")),
        );
    }
    m
}

/// A page: the template rendered with the shared context and the page's own.
fn page(template: &str, lang: Lang, session: Option<&Session>, own: Value) -> Response {
    let mut context = common(lang, session);
    if let Value::Object(own) = own {
        context.extend(own);
    }
    let rendered = templates()
        .get_template(template)
        .and_then(|t| t.render(Value::Object(context)));
    let mut response = match rendered {
        Ok(html) => ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(e) => {
            eprintln!("hegui serve: rendering {template}: {e:#}");
            (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response()
        }
    };
    // A language picked with ?lang= sticks for the following pages.
    if let Some(s) = session
        && s.lang_asked
        && let Ok(v) =
            session::set_cookie(session::LANG_COOKIE, lang_value(lang), 31_536_000).parse()
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

fn lang_value(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// A time for people: Beijing time (UTC+8), minutes.
fn when(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    let t = t.to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template renders with a context shaped like its page's, in both languages:
    /// a broken template or an unknown filter fails here, not in front of a user.
    #[test]
    fn every_template_renders() {
        let scan = json!({"id": 1, "status": "done", "sha256": "ab", "file_name": "a.apk",
            "created": "2026-11-26 13:00", "findings": 1, "created_ms": 0});
        let failed = json!({"id": 2, "status": "failed", "sha256": "cd", "file_name": "x.apk",
            "created": "2026-11-26 13:00", "created_ms": 0, "error_code": "unknown-artifact",
            "error": "not a supported input"});
        let finding = json!({"code": "AND001", "severity": "high", "party": "app", "engine": "hegui",
            "title": "t", "message": "m", "cites": ["MIIT164-01"]});
        let case = json!({"id": 1, "app_id": 2, "app_name": "a", "state": "retest",
            "state_label": "待复测", "deadline": "2026-12-03", "notified_on": "2026-11-26",
            "deadline_days": 5, "overdue": true,
            "findings": [{"code": "AND001", "status": "fixed"}],
            "finding_rows": [{"code": "AND001", "title": "t", "open": 0, "fixed": 2, "remaining": 1}],
            "submissions": [{"scan_id": 3, "statement": "s", "scan_status_label": "检测完成",
                "outcome": "compared", "outcome_label": "已复测比对"}],
            "escalations": [{"ordinal": 1, "label": "公开通报", "reference": "r", "at": "x"}],
            "documents": [{"id": 4, "file_name": "f.pdf", "kind": "decision", "escalation_id": 1}],
            "events": [{"at": "x", "actor": "zj", "to_label": "已通知", "note": "n"}]});
        let pages = [
            ("login.html", json!({"csrf": "c", "error": "e"})),
            (
                "dashboard.html",
                json!({"queue": {"queued": 1, "running": 0, "failed": 0},
                "hours": [{"label": "2026-11-26 13:00", "hour": "13", "count": 1, "width": 100}],
                "scans_24h": 1, "by_task": [{"id": "MIIT164-01", "title": "x", "count": 2}],
                "by_sdk": [{"id": "umeng", "name": "友盟", "count": 1}]}),
            ),
            (
                "scans.html",
                json!({"scans": [scan, failed], "may_submit": true}),
            ),
            (
                "scan.html",
                json!({"scan": scan, "findings": [finding], "app": {"id": "p"}, "app_id": 1,
                "has_report": true}),
            ),
            ("scan.html", json!({"scan": failed, "has_report": true})),
            (
                "apps.html",
                json!({"apps": [{"id": 1, "package": "p", "platform": "android",
                "versions": 1, "findings": 2}], "q": ""}),
            ),
            (
                "app.html",
                json!({"app": {"package": "p", "platform": "android"}, "versions": [
                {"id": 1, "sha256": "ab", "results": [{"engine": "hegui", "findings": 1}],
                 "sdks": [{"name": "友盟"}], "findings": [finding], "scan_id": 1}]}),
            ),
            (
                "cases.html",
                json!({"cases": [case.clone()], "overdue_only": true}),
            ),
            (
                "case.html",
                json!({"case": case, "authority": true, "operator": true,
                "moves": [{"to": "notified", "label": "通知"}], "next_step": "public_notice",
                "next_step_label": "公开通报", "may_rectify": true}),
            ),
            (
                "messages.html",
                json!({"messages": [{"subject": "s", "case_id": 1, "read": false, "at": "x"}]}),
            ),
            (
                "clues.html",
                json!({"period": {"period": "2026-02", "due": "2026-02-24", "moved": true,
                "bureaus": [{"name": "b", "province": "浙江", "clues": 0, "overdue": true}]},
                "due_note": "n", "clues": [{"id": 1, "period": "2026-02", "app_name": "a",
                "task": "MIIT164-01", "description": "d", "filed_on": "2026-02-01", "case_id": 2}],
                "tasks": [{"id": "MIIT164-01", "title": "t"}], "may_file": true}),
            ),
            (
                "complaint.html",
                json!({"problems": [{"id": "other", "label": "其他"}],
                "challenge": {"question": "2 + 3 = ?", "token": "x"}, "form_error": "e"}),
            ),
            (
                "complaint_done.html",
                json!({"reference": "TS20261126-ABC"}),
            ),
            (
                "notices.html",
                json!({"authority": true, "notices": [{"id": 1, "title": "t", "status": "published",
                "items": 2, "created": "c", "published": "p"}]}),
            ),
            (
                "triage.html",
                json!({"complaints": [{"id": 1, "app_name": "a", "store": "s", "problem_label": "p",
                "status": "received", "status_label": "已受理", "merged_into": null, "duplicates": 1, "app_id": 2,
                "description": "d", "reference": "r", "created": "c", "contact": "x",
                "screenshots": [{"id": 3, "file_name": "f.png"}]}]}),
            ),
            (
                "complaint_status.html",
                json!({"reference": "r", "asked": true, "found": {"status": "received",
                "label": "l", "created": "c", "updated": "u"}}),
            ),
            (
                "notice.html",
                json!({"notice": {"id": 1, "title": "通报", "authority": "部", "status": "draft"},
                "header": ["序号"], "rows": [["1"]], "published": "", "may_publish": true}),
            ),
        ];
        for lang in [Lang::Zh, Lang::En] {
            for (name, own) in &pages {
                let mut context = common(lang, None);
                context.insert("user".into(), json!("admin"));
                context.insert("csrf".into(), json!("c"));
                if let Value::Object(own) = own {
                    context.extend(own.clone());
                }
                let html = templates()
                    .get_template(name)
                    .and_then(|t| t.render(Value::Object(context)));
                assert!(html.is_ok(), "{name}: {html:?}");
            }
        }
    }
}
