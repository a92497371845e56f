//! The UI's pages. Every query goes through the same scoped functions as the API.

use axum::Form;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::Row;

use super::session::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE, Session, cookie, same, set_cookie};
use super::text::{Lang, word};
use super::{page, when};
use crate::Platform;
use crate::api::ApiError;
use crate::api::apps::{AppQuery, FindingQuery, app_detail, list_apps, query_findings};
use crate::api::scans::{find_scan, list_scans, load_report, submit_upload};
use crate::auth::{self, Caller, random_hex, sha256_hex};
use crate::db::now_ms;
use crate::scope::{scan_visible, version_visible};
use crate::sql::Sql;

/// An API error as a plain page.
pub(super) fn error_page(e: ApiError) -> Response {
    (e.status, e.message).into_response()
}

pub(super) fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

pub async fn home(session: Option<Session>) -> Response {
    redirect(if session.is_some() {
        "/dashboard"
    } else {
        "/login"
    })
}

/// The login form, with a fresh double-submit CSRF value.
pub async fn login_page(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    login_form(session::lang(&headers, &uri), None)
}

fn login_form(lang: Lang, error: Option<&str>) -> Response {
    let Ok(csrf) = random_hex(16) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no randomness").into_response();
    };
    let mut response = page(
        "login.html",
        lang,
        None,
        json!({"csrf": csrf, "error": error}),
    );
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(rename = "_csrf")]
    csrf: String,
}

pub async fn login(
    State(platform): State<Platform>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = session::lang(&headers, &uri);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !same(expected, &form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            "CSRF check failed; reload the login page",
        )
            .into_response();
    }
    match auth::login(&platform.db, form.username.trim(), &form.password).await {
        Ok(Some(token)) => {
            let mut response = redirect("/dashboard");
            let lifetime = auth::TOKEN_LIFETIME_MS / 1000;
            for cookie in [
                set_cookie(SESSION_COOKIE, &token, lifetime),
                set_cookie(LOGIN_CSRF_COOKIE, "", 0),
            ] {
                if let Ok(v) = cookie.parse() {
                    response.headers_mut().append(SET_COOKIE, v);
                }
            }
            response
        }
        Ok(None) => login_form(lang, Some(word(lang, "login_failed"))),
        Err(e) => error_page(ApiError::from(e)),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

pub async fn logout(
    State(platform): State<Platform>,
    session: Session,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let gone = sqlx::query("DELETE FROM tokens WHERE token_sha256 = $1")
        .bind(sha256_hex(session.token.as_bytes()))
        .execute(&platform.db.pool)
        .await;
    if let Err(e) = gone {
        return error_page(ApiError::from(e));
    }
    let mut response = redirect("/login");
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

pub async fn dashboard(State(platform): State<Platform>, session: Session) -> Response {
    match dashboard_data(&platform, &session.caller, session.lang).await {
        Ok(data) => page("dashboard.html", session.lang, Some(&session), data),
        Err(e) => error_page(e),
    }
}

async fn dashboard_data(
    platform: &Platform,
    caller: &Caller,
    lang: Lang,
) -> Result<Value, ApiError> {
    let pool = &platform.db.pool;
    let mut queue = json!({"queued": 0, "running": 0, "done": 0, "failed": 0});
    for r in sqlx::query("SELECT status, COUNT(*) AS n FROM analyses GROUP BY status")
        .fetch_all(pool)
        .await?
    {
        let status: String = r.try_get("status")?;
        queue[status] = json!(r.try_get::<i64, _>("n")?);
    }
    // Scans per hour over the last 24 hours, oldest first.
    const HOUR: i64 = 3_600_000;
    let now = now_ms();
    let first_hour = now.div_euclid(HOUR) - 23;
    let mut q = Sql::new("SELECT s.created_ms FROM scans s WHERE s.created_ms >= ");
    q.int(first_hour * HOUR).push(" AND ");
    scan_visible(caller, "s", &mut q);
    let mut counts = [0i64; 24];
    for r in q.fetch_all(pool).await? {
        let at: i64 = r.try_get("created_ms")?;
        if let Some(slot) = usize::try_from(at.div_euclid(HOUR) - first_hour)
            .ok()
            .and_then(|i| counts.get_mut(i))
        {
            *slot += 1;
        }
    }
    let peak = counts.iter().copied().max().unwrap_or(0).max(1);
    let hours: Vec<Value> = counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let start = (first_hour + i as i64) * HOUR;
            let label = when(start);
            let hour = label.get(11..13).unwrap_or_default().to_string();
            json!({"label": label, "hour": hour, "count": n, "width": n * 100 / peak})
        })
        .collect();
    let mut q = Sql::new(
        "SELECT c.cite, COUNT(*) AS n FROM finding_cites c JOIN findings f \
         ON f.result_id = c.result_id AND f.ordinal = c.ordinal \
         JOIN versions v ON v.id = f.version_id WHERE c.cite LIKE 'MIIT164-%' AND ",
    );
    version_visible(caller, "v", &mut q);
    q.push(" GROUP BY c.cite ORDER BY c.cite");
    let mut by_task = Vec::new();
    for r in q.fetch_all(pool).await? {
        let id: String = r.try_get("cite")?;
        let title = hegui_knowledge::clause(&id)
            .map(|c| lang.pick(&c.zh, &c.en).to_string())
            .unwrap_or_default();
        by_task.push(json!({"id": id, "title": title, "count": r.try_get::<i64, _>("n")?}));
    }
    let mut q = Sql::new(
        "SELECT f.sdk, COUNT(*) AS n, (SELECT MAX(vs.name) FROM version_sdks vs \
         WHERE vs.sdk_id = f.sdk) AS name FROM findings f JOIN versions v ON v.id = f.version_id \
         WHERE f.sdk IS NOT NULL AND ",
    );
    version_visible(caller, "v", &mut q);
    q.push(" GROUP BY f.sdk ORDER BY n DESC, f.sdk LIMIT 20");
    let mut by_sdk = Vec::new();
    for r in q.fetch_all(pool).await? {
        let id: String = r.try_get("sdk")?;
        let name: Option<String> = r.try_get("name")?;
        by_sdk.push(json!({"id": id, "name": name.unwrap_or_else(|| id.clone()), "count": r.try_get::<i64, _>("n")?}));
    }
    let scans_24h: i64 = counts.iter().sum();
    Ok(json!({
        "queue": queue, "hours": hours, "scans_24h": scans_24h,
        "by_task": by_task, "by_sdk": by_sdk,
        "workflow": workflow_figures(platform, caller).await?,
    }))
}

/// Open and overdue cases, unread messages, and (for triage) complaints.
async fn workflow_figures(platform: &Platform, caller: &Caller) -> Result<Value, ApiError> {
    let pool = &platform.db.pool;
    let today = hegui_calendar::format_date(crate::cases::today());
    let mut q = Sql::new(
        "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN c.state IN ('notified', 'rectifying') \
         AND c.deadline < ",
    );
    q.text(&today).push(
        " THEN 1 ELSE 0 END), 0) AS overdue FROM cases c \
         WHERE c.state NOT IN ('closed') AND ",
    );
    crate::scope::case_visible(caller, "c", &mut q);
    let row = q
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ApiError::not_found("cases"))?;
    let unread = crate::api::messages::messages(platform, caller, true)
        .await?
        .unread;
    let complaints = if caller.may_triage() {
        Some(crate::api::complaints::counts(platform).await?)
    } else {
        None
    };
    Ok(json!({
        "open_cases": row.try_get::<i64, _>("open")?,
        "overdue_cases": row.try_get::<i64, _>("overdue")?,
        "unread": unread,
        "complaints": complaints,
    }))
}

pub async fn scans(State(platform): State<Platform>, session: Session) -> Response {
    let scans = match list_scans(&platform, &session.caller, 200).await {
        Ok(s) => s,
        Err(e) => return error_page(e),
    };
    let scans: Vec<Value> = scans
        .into_iter()
        .map(|mut s| {
            let created = s.get("created_ms").and_then(Value::as_i64).unwrap_or(0);
            s.insert("created".into(), json!(when(created)));
            Value::Object(s)
        })
        .collect();
    let may_submit = session.caller.may_submit();
    page(
        "scans.html",
        session.lang,
        Some(&session),
        json!({"scans": scans, "may_submit": may_submit}),
    )
}

/// The upload form's request (multipart, CSRF in a header): answered like the API, 202
/// with the scan id, for the page's script to follow.
pub async fn upload(
    State(platform): State<Platform>,
    session: Session,
    request: Request,
) -> Response {
    let multipart = match session::csrf_multipart(&session, &platform, request).await {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    if !session.caller.may_submit() {
        return (StatusCode::FORBIDDEN, "the viewer role does not submit").into_response();
    }
    match submit_upload(&platform, &session.caller, multipart).await {
        Ok(submitted) => (StatusCode::ACCEPTED, axum::Json(submitted)).into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn scan(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let found = match find_scan(&platform, &session.caller, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return error_page(ApiError::not_found("scan")),
        Err(e) => return error_page(e),
    };
    let (mut scan, report_key) = found;
    let created = scan.get("created_ms").and_then(Value::as_i64).unwrap_or(0);
    scan.insert("created".into(), json!(when(created)));
    let mut own = json!({"scan": scan, "has_report": report_key.is_some()});
    if let Some(key) = report_key {
        let report = match load_report(&platform, &key).await {
            Ok(r) => r,
            Err(e) => return error_page(e),
        };
        let lang = if session.lang == Lang::En { "en" } else { "zh" };
        let findings: Vec<Value> = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                json!({
                    "code": f["code"], "severity": f["severity"], "party": f["party"],
                    "title": f["title"][lang], "message": f["message"][lang], "cites": f["cites"],
                })
            })
            .collect();
        own["findings"] = json!(findings);
        own["app"] = report["app"].clone();
        let sha = report["artifact"]["sha256"].as_str().unwrap_or_default();
        match app_of(&platform, &session.caller, sha).await {
            Ok(app_id) => own["app_id"] = json!(app_id),
            Err(e) => return error_page(e),
        }
    }
    page("scan.html", session.lang, Some(&session), own)
}

/// The app of a package, if the caller may see its version.
async fn app_of(platform: &Platform, caller: &Caller, sha: &str) -> Result<Option<i64>, ApiError> {
    let mut q = Sql::new("SELECT v.app_id FROM versions v WHERE v.artifact_sha256 = ");
    q.text(sha).push(" AND ");
    version_visible(caller, "v", &mut q);
    q.push(" LIMIT 1");
    match q.fetch_optional(&platform.db.pool).await? {
        Some(r) => Ok(Some(r.try_get("app_id")?)),
        None => Ok(None),
    }
}

/// The full HTML report of a scan, in a sandbox: it is built from attacker-controlled
/// packages, so it runs no script and loads nothing.
pub async fn report(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let key = match find_scan(&platform, &session.caller, id).await {
        Ok(Some((_, Some(key)))) => key,
        Ok(_) => return error_page(ApiError::not_found("report")),
        Err(e) => return error_page(e),
    };
    let value = match load_report(&platform, &key).await {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let report: hegui_model::Report = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("report: {e}")).into_response();
        }
    };
    let lang = match session.lang {
        Lang::Zh => hegui_model::Lang::Zh,
        Lang::En => hegui_model::Lang::En,
    };
    match hegui_report::render_html(&report, lang, &hegui_scan::rule_descriptors()) {
        Ok(html) => (
            [
                (CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                ),
            ],
            html,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("report: {e}")).into_response(),
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn apps(
    State(platform): State<Platform>,
    session: Session,
    Query(search): Query<SearchQuery>,
) -> Response {
    let query = AppQuery {
        q: search.q.clone(),
        limit: Some(200),
    };
    match list_apps(&platform, &session.caller, &query).await {
        Ok(apps) => page(
            "apps.html",
            session.lang,
            Some(&session),
            json!({"apps": apps, "q": search.q.unwrap_or_default()}),
        ),
        Err(e) => error_page(e),
    }
}

pub async fn app(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    match app_page(&platform, &session, id).await {
        Ok(data) => page("app.html", session.lang, Some(&session), data),
        Err(e) => error_page(e),
    }
}

async fn app_page(platform: &Platform, session: &Session, id: i64) -> Result<Value, ApiError> {
    let caller = &session.caller;
    let detail = app_detail(platform, caller, id).await?;
    let zh = session.lang == Lang::Zh;
    let mut versions = Vec::new();
    for v in &detail.versions {
        let query = FindingQuery {
            version: Some(v.id),
            limit: Some(crate::api::apps::MAX_ROWS),
            ..FindingQuery::default()
        };
        let findings: Vec<Value> = query_findings(platform, caller, &query)
            .await?
            .into_iter()
            .map(|f| {
                json!({
                    "code": f.code, "severity": f.severity, "engine": f.engine, "party": f.party,
                    "title": if zh { f.title_zh } else { f.title_en },
                    "message": if zh { f.message_zh } else { f.message_en },
                    "cites": f.cites,
                })
            })
            .collect();
        let mut q = Sql::new(
            "SELECT s.id FROM scans s JOIN analyses a ON a.id = s.analysis_id \
             WHERE a.status = 'done' AND a.artifact_sha256 = ",
        );
        q.text(&v.sha256).push(" AND ");
        scan_visible(caller, "s", &mut q);
        q.push(" ORDER BY s.id DESC LIMIT 1");
        let scan_id: Option<i64> = match q.fetch_optional(&platform.db.pool).await? {
            Some(r) => Some(r.try_get("id")?),
            None => None,
        };
        let mut version = serde_json::to_value(v).map_err(anyhow::Error::from)?;
        version["findings"] = json!(findings);
        version["scan_id"] = json!(scan_id);
        versions.push(version);
    }
    Ok(json!({"app": detail.app, "versions": versions, "authority": caller.is_authority()}))
}
