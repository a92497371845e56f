//! Rectification cases: `POST /api/v1/cases`, `GET /api/v1/cases`,
//! `GET /api/v1/cases/{id}`, `POST /api/v1/cases/{id}/transitions`. An authority opens a
//! case on a version it can see, from findings of that version; the operator (the app's
//! owner) sees its cases and acknowledges them. Deadlines come from `hegui-calendar`: a year
//! without calendar data is an error, never a guess.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::ApiError;
use super::apps::visible_version;
use crate::Platform;
use crate::auth::Caller;
use crate::cases::{self, Actor};
use crate::casework::{self, record_event};
use crate::db::now_ms;
use crate::notify::{self, News};
use crate::scope::case_visible;
use crate::sql::Sql;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    pub version_id: i64,
    /// Ids of findings of that version (from `GET /api/v1/findings?version=`).
    pub finding_ids: Vec<i64>,
    /// `rectification` (default).
    pub case_type: Option<String>,
    /// Working days to rectify after notification (default: the type's, 5).
    pub deadline_days: Option<i64>,
    /// The clue the case comes from (`POST /api/v1/clues/{id}/scan`), if any.
    pub clue_id: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseFinding {
    pub fingerprint: String,
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    /// `open`, `fixed` or `remaining`.
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseEvent {
    pub at_ms: i64,
    pub actor: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseView {
    pub id: i64,
    pub app_id: i64,
    pub app_name: String,
    pub version_id: i64,
    pub case_type: String,
    /// `open`, `notified`, `rectifying`, `retest`, `closed` or `escalated`.
    pub state: String,
    pub deadline_days: i64,
    /// Day of notification (ISO, Beijing time).
    pub notified_on: Option<String>,
    /// Last day to rectify (ISO).
    pub deadline: Option<String>,
    /// Past its deadline while waiting on the operator.
    pub overdue: bool,
    /// The day the daily job marked it overdue.
    pub overdue_marked_on: Option<String>,
    /// The rectified version the last re-test compared.
    pub retest_version_id: Option<i64>,
    /// The clue the case came from.
    pub clue_id: Option<i64>,
    pub created_ms: i64,
    pub findings: Vec<CaseFinding>,
    pub events: Vec<CaseEvent>,
    /// Escalation steps taken, in order.
    pub escalations: Vec<super::casework::EscalationView>,
    /// Files attached to the case (decisions, statements, evidence).
    pub documents: Vec<super::casework::DocumentView>,
    /// The operator's rectified versions and statements.
    pub submissions: Vec<super::casework::SubmissionView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseList {
    pub cases: Vec<CaseView>,
}

fn bad(code: &'static str, m: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, m)
}

fn forbidden(m: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", m)
}

/// Open a case on a version from some of its findings.
#[utoipa::path(
    post, path = "/api/v1/cases", tag = "cases", request_body = NewCase,
    responses(
        (status = 201, description = "Opened", body = CaseView),
        (status = 400, description = "No findings, findings of another version, a bad type or deadline", body = super::ErrorBody),
        (status = 403, description = "Not an authority", body = super::ErrorBody),
        (status = 404, description = "No such version for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn open(
    State(platform): State<Platform>,
    caller: Caller,
    Json(body): Json<NewCase>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    if !caller.is_authority() {
        return Err(forbidden(
            "cases are opened by the ministry or a provincial bureau",
        ));
    }
    let version = visible_version(&platform, &caller, body.version_id).await?;
    let case_type = body.case_type.unwrap_or_else(|| "rectification".into());
    let default_days = cases::CASE_TYPES
        .iter()
        .find(|(t, _)| *t == case_type)
        .map(|(_, d)| *d)
        .ok_or_else(|| bad("bad-case-type", format!("case type {case_type:?}")))?;
    let days = body.deadline_days.unwrap_or(default_days);
    if !(1..=cases::MAX_DEADLINE_DAYS).contains(&days) {
        return Err(bad(
            "bad-deadline",
            format!(
                "a deadline of 1 to {} working days",
                cases::MAX_DEADLINE_DAYS
            ),
        ));
    }
    if body.finding_ids.is_empty() || body.finding_ids.len() > 1000 {
        return Err(bad(
            "no-findings",
            "a case is about 1 to 1000 findings".into(),
        ));
    }
    let mut findings = Vec::new();
    for id in &body.finding_ids {
        let row = sqlx::query(
            "SELECT fingerprint, code, title_zh, title_en FROM findings WHERE id = $1 AND version_id = $2",
        )
        .bind(id)
        .bind(version.id)
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| bad("not-this-version", format!("finding {id} is not of version {}", version.id)))?;
        findings.push((
            row.try_get::<String, _>("fingerprint")?,
            row.try_get::<String, _>("code")?,
            row.try_get::<String, _>("title_zh")?,
            row.try_get::<String, _>("title_en")?,
        ));
    }
    if let Some(clue) = body.clue_id
        && !super::clues::clue_visible(&platform, &caller, clue).await?
    {
        return Err(ApiError::not_found("clue"));
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO cases (app_id, version_id, opened_by_org, opened_by, case_type, deadline_days, \
         state, created_ms, clue_id) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
    )
    .bind(version.app_id)
    .bind(version.id)
    .bind(caller.org_id)
    .bind(caller.user_id)
    .bind(&case_type)
    .bind(days)
    .bind(now)
    .bind(body.clue_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for (fingerprint, code, zh, en) in &findings {
        sqlx::query(
            "INSERT INTO case_findings (case_id, fingerprint, code, title_zh, title_en, status) \
             VALUES ($1, $2, $3, $4, $5, 'open') ON CONFLICT (case_id, fingerprint) DO NOTHING",
        )
        .bind(id)
        .bind(fingerprint)
        .bind(code)
        .bind(zh)
        .bind(en)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(clue) = body.clue_id {
        let linked = sqlx::query(
            "UPDATE clues SET case_id = $1, app_id = $2 WHERE id = $3 AND case_id IS NULL",
        )
        .bind(id)
        .bind(version.app_id)
        .bind(clue)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if linked != 1 {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "clue-has-case",
                format!("clue {clue} has a case already"),
            ));
        }
    }
    record_event(&mut tx, &(&caller).into(), id, None, "open", None).await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, &caller, id).await?),
    ))
}

/// Whether the caller acts for the enterprise that operates the app (and may act at all).
pub(crate) async fn is_operator(
    platform: &Platform,
    caller: &Caller,
    app_id: i64,
) -> Result<bool, ApiError> {
    let owner: Option<i64> = sqlx::query("SELECT owner_org_id FROM apps WHERE id = $1")
        .bind(app_id)
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("owner_org_id")?;
    Ok(owner == Some(caller.org_id) && caller.may_submit())
}

/// A case the caller may see, whole.
pub(crate) async fn load(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<CaseView, ApiError> {
    let mut q = Sql::new(CASE_SELECT);
    q.push("WHERE c.id = ").int(id).push(" AND ");
    case_visible(caller, "c", &mut q);
    let mut tx = platform.db.read_snapshot().await?;
    let row = q
        .query()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::not_found("case"))?;
    let mut views = case_views(&mut tx, &[row]).await?;
    tx.commit().await?;
    views.pop().ok_or_else(|| ApiError::not_found("case"))
}

const CASE_SELECT: &str = "SELECT c.id, c.app_id, c.version_id, c.case_type, c.state, \
     c.deadline_days, c.notified_on, c.deadline, c.created_ms, c.overdue_on, c.clue_id, \
     c.retest_version_id, COALESCE(a.name, a.app_key) AS app_name \
     FROM cases c JOIN apps a ON a.id = c.app_id ";

/// `(1, 2, 3)` of case ids, for one query of each kind of child row.
fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", ids.join(", "))
}

/// Rows grouped by their `case_id` column.
fn by_case(
    rows: Vec<sqlx::any::AnyRow>,
) -> Result<std::collections::HashMap<i64, Vec<sqlx::any::AnyRow>>, sqlx::Error> {
    let mut out: std::collections::HashMap<i64, Vec<sqlx::any::AnyRow>> = Default::default();
    for row in rows {
        out.entry(row.try_get("case_id")?).or_default().push(row);
    }
    Ok(out)
}

/// Views of case rows, their findings, events, escalations, documents and submissions
/// read with one query each for all the cases.
async fn fetch(
    conn: &mut sqlx::AnyConnection,
    sql: String,
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    sqlx::query(&sql).fetch_all(conn).await
}

async fn case_views(
    conn: &mut sqlx::AnyConnection,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<CaseView>, ApiError> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(&ids);
    let mut findings = by_case(
        fetch(
            &mut *conn,
            format!(
                "SELECT case_id, fingerprint, code, title_zh, title_en, status FROM case_findings \
             WHERE case_id IN {list} ORDER BY code, fingerprint"
            ),
        )
        .await?,
    )?;
    let mut events = by_case(
        fetch(
            &mut *conn,
            format!(
                "SELECT case_id, at_ms, actor, from_state, to_state, note FROM case_events \
             WHERE case_id IN {list} ORDER BY id"
            ),
        )
        .await?,
    )?;
    let mut escalations = by_case(
        fetch(&mut *conn, format!(
            "SELECT case_id, id, step, ordinal, reference, detail, note, created_ms FROM escalations \
             WHERE case_id IN {list} ORDER BY ordinal"
        ))
        .await?,
    )?;
    let mut documents = by_case(
        fetch(&mut *conn, format!(
            "SELECT owner_id AS case_id, id, kind, escalation_id, file_name, sha256, size, created_ms \
             FROM documents WHERE owner_kind = 'case' AND owner_id IN {list} ORDER BY id"
        ))
        .await?,
    )?;
    let mut submissions = by_case(
        fetch(&mut *conn, format!(
            "SELECT s.case_id, s.id, s.scan_id, s.statement, s.version_id, s.outcome, s.created_ms, \
             an.status FROM submissions s JOIN analyses an ON an.id = s.analysis_id \
             WHERE s.case_id IN {list} ORDER BY s.id"
        ))
        .await?,
    )?;
    let today = cases::today();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let state: String = row.try_get("state")?;
        let deadline: Option<String> = row.try_get("deadline")?;
        let due = deadline
            .as_deref()
            .and_then(|d| hegui_calendar::parse_date(d).ok());
        let findings = findings
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .map(|r| {
                Ok(CaseFinding {
                    fingerprint: r.try_get("fingerprint")?,
                    code: r.try_get("code")?,
                    title_zh: r.try_get("title_zh")?,
                    title_en: r.try_get("title_en")?,
                    status: r.try_get("status")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let events = events
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .map(|r| {
                Ok(CaseEvent {
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    from_state: r.try_get("from_state")?,
                    to_state: r.try_get("to_state")?,
                    note: r.try_get("note")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let escalations = escalations
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .map(super::casework::escalation_view)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let documents = documents
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .map(super::casework::document_view)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let submissions = submissions
            .remove(&id)
            .unwrap_or_default()
            .iter()
            .map(super::casework::submission_view)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(CaseView {
            id,
            app_id: row.try_get("app_id")?,
            app_name: row.try_get("app_name")?,
            version_id: row.try_get("version_id")?,
            case_type: row.try_get("case_type")?,
            overdue: cases::overdue(&state, due, today),
            overdue_marked_on: row.try_get("overdue_on")?,
            state,
            deadline_days: row.try_get("deadline_days")?,
            notified_on: row.try_get("notified_on")?,
            deadline,
            retest_version_id: row.try_get("retest_version_id")?,
            clue_id: row.try_get("clue_id")?,
            created_ms: row.try_get("created_ms")?,
            findings,
            events,
            escalations,
            documents,
            submissions,
        });
    }
    Ok(out)
}

/// A case, with its findings and every transition.
#[utoipa::path(
    get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 404, description = "No such case for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(load(&platform, &caller, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CaseQuery {
    pub state: Option<String>,
    /// Only cases past their deadline.
    pub overdue: Option<bool>,
    pub app: Option<i64>,
}

/// The cases the caller may see, newest first (at most 500).
#[utoipa::path(
    get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, description = "Cases", body = CaseList)),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<CaseQuery>,
) -> Result<Json<CaseList>, ApiError> {
    let mut q = Sql::new(CASE_SELECT);
    q.push("WHERE ");
    case_visible(&caller, "c", &mut q);
    if let Some(state) = &query.state {
        q.push(" AND c.state = ").text(state);
    }
    if let Some(app) = query.app {
        q.push(" AND c.app_id = ").int(app);
    }
    if query.overdue == Some(true) {
        // ISO dates compare as text.
        let today = hegui_calendar::format_date(cases::today());
        q.push(" AND c.state IN ('notified', 'rectifying') AND c.deadline < ")
            .text(&today);
    }
    q.push(" ORDER BY c.id DESC LIMIT 500");
    let mut tx = platform.db.read_snapshot().await?;
    let rows = q.query().fetch_all(&mut *tx).await?;
    let cases = case_views(&mut tx, &rows).await?;
    tx.commit().await?;
    Ok(Json(CaseList { cases }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Transition {
    /// The state to move to.
    pub to: String,
    pub note: Option<String>,
}

/// Move a case: notify (starts the deadline), acknowledge, ready for re-test, close,
/// escalate. Who may make which move is fixed (`crates/hegui-platform/src/cases.rs`).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/transitions", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body = Transition,
    responses(
        (status = 200, description = "Moved", body = CaseView),
        (status = 403, description = "Not the caller's move", body = super::ErrorBody),
        (status = 404, description = "No such case for this caller", body = super::ErrorBody),
        (status = 409, description = "Not a move from the current state", body = super::ErrorBody),
        (status = 422, description = "No calendar data to count the deadline", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn transition(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<Transition>,
) -> Result<Json<CaseView>, ApiError> {
    let case = load(&platform, &caller, id).await?;
    let Some(who) = cases::transition(&case.state, &body.to) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "bad-transition",
            format!("a case cannot go from {} to {}", case.state, body.to),
        ));
    };
    let is_operator = is_operator(&platform, &caller, case.app_id).await?;
    let allowed = match who {
        Actor::Authority => caller.is_authority(),
        Actor::Operator => is_operator,
        Actor::Either => caller.is_authority() || is_operator,
    };
    if !allowed {
        return Err(forbidden(&format!(
            "{} → {} is the {}'s move",
            case.state,
            body.to,
            match who {
                Actor::Operator => "operator",
                _ => "authority",
            }
        )));
    }
    let note = super::typed_text(body.note.as_deref(), "note", 4000, "note-too-long")?;
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let mut update = Sql::new("UPDATE cases SET state = ");
    update.text(&body.to);
    let mut due_text = None;
    if body.to == "notified" {
        let today = cases::today();
        let due = cases::deadline(hegui_calendar::Calendar::china(), today, case.deadline_days)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "no-calendar",
                    format!("cannot count the deadline: {e}"),
                )
            })?;
        update
            .push(", notified_on = ")
            .text(&hegui_calendar::format_date(today))
            .push(", deadline = ")
            .text(&hegui_calendar::format_date(due));
        due_text = Some(hegui_calendar::format_date(due));
    }
    if body.to == "closed" {
        update.push(", closed_ms = ").int(now_ms());
    }
    // The state is checked again here, so two moves at once cannot both happen.
    update
        .push(" WHERE id = ")
        .int(id)
        .push(" AND state = ")
        .text(&case.state);
    if update.execute_on(&mut tx).await? != 1 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "bad-transition",
            "the case moved meanwhile; reload it",
        ));
    }
    record_event(
        &mut tx,
        &(&caller).into(),
        id,
        Some(&case.state),
        &body.to,
        note,
    )
    .await?;
    if let Some(deadline) = &due_text {
        let news = News::Opened {
            deadline: deadline.clone(),
        };
        notify::case_news(&mut tx, id, &news).await?;
    }
    if body.to == "escalated" {
        // Escalated without naming a step yet: the steps follow on the case.
        let news = News::Escalated {
            step_zh: "升级处置".into(),
            step_en: "escalated".into(),
        };
        notify::case_news(&mut tx, id, &news).await?;
    }
    tx.commit().await?;
    drop(turn);
    Ok(Json(load(&platform, &caller, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Retest {
    /// The rectified version (a later version of the same app).
    pub version_id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RetestResult {
    pub case: CaseView,
    /// The case's findings gone from the rectified version.
    pub fixed: Vec<String>,
    /// The case's findings still there.
    pub remaining: Vec<String>,
    /// Findings of the rectified version the original version did not have.
    pub new: Vec<casework::NewFinding>,
}

/// Compare the case's findings with a rectified version's (hegui's findings, by
/// fingerprint): fixed ones are marked fixed, remaining ones stay, new ones are listed
/// apart. A case that was rectifying moves to re-test; the authority then closes it, sends
/// it back, or escalates it.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/retest", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body = Retest,
    responses(
        (status = 200, description = "Compared", body = RetestResult),
        (status = 400, description = "Not a later version of the case's app, or not scanned yet", body = super::ErrorBody),
        (status = 404, description = "No such case or version for this caller", body = super::ErrorBody),
        (status = 409, description = "The case is not being rectified or re-tested", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn retest(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<Retest>,
) -> Result<Json<RetestResult>, ApiError> {
    let case = load(&platform, &caller, id).await?;
    if !matches!(case.state.as_str(), "rectifying" | "retest") {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "bad-transition",
            format!("a {} case is not re-tested", case.state),
        ));
    }
    if !caller.is_authority() && !is_operator(&platform, &caller, case.app_id).await? {
        return Err(forbidden(
            "the authority or the app's operator asks for a re-test",
        ));
    }
    let version = visible_version(&platform, &caller, body.version_id).await?;
    if version.app_id != case.app_id || version.id == case.version_id {
        return Err(bad(
            "not-a-rectified-version",
            "re-test with another version of the same app".into(),
        ));
    }
    if !version.results.iter().any(|r| r.engine == "hegui") {
        return Err(bad(
            "not-scanned",
            "the version has no hegui result yet; wait for its scan".into(),
        ));
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let comparison = casework::compare(&mut tx, id, case.version_id, version.id).await?;
    if !casework::apply(
        &mut tx,
        &(&caller).into(),
        id,
        &case.state,
        version.id,
        &comparison,
    )
    .await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "bad-transition",
            "the case moved meanwhile; reload it",
        ));
    }
    tx.commit().await?;
    drop(turn);
    Ok(Json(RetestResult {
        case: load(&platform, &caller, id).await?,
        fixed: comparison.fixed,
        remaining: comparison.remaining,
        new: comparison.new,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Recurrence {
    pub app_id: i64,
    pub case_id: i64,
    pub fingerprint: String,
    pub code: String,
    pub earlier_version_id: i64,
    pub later_version_id: i64,
    pub proposed_for_notice: bool,
    pub created_ms: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecurrenceList {
    pub recurrences: Vec<Recurrence>,
    /// Recurring findings counted per app.
    pub by_app: Vec<RecurrenceCount>,
    /// Recurring findings counted per enterprise (the apps' operators).
    pub by_enterprise: Vec<RecurrenceCount>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecurrenceCount {
    /// The app's or the enterprise's id.
    pub id: i64,
    pub name: String,
    /// Recurring findings.
    pub findings: i64,
    /// Later versions they recurred in.
    pub versions: i64,
}

/// Problems of closed cases that came back in a later version, on apps the caller may see.
#[utoipa::path(
    get, path = "/api/v1/recurrences", tag = "cases",
    responses((status = 200, description = "Recurrences, newest first", body = RecurrenceList)),
    security(("bearer" = []))
)]
pub async fn recurrences(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<RecurrenceList>, ApiError> {
    let mut q = Sql::new(
        "SELECT r.app_id, r.case_id, r.fingerprint, r.code, r.earlier_version_id, \
         r.later_version_id, r.proposed_for_notice, r.created_ms \
         FROM recurrences r JOIN cases c ON c.id = r.case_id WHERE ",
    );
    case_visible(&caller, "c", &mut q);
    q.push(" ORDER BY r.id DESC LIMIT 500");
    let recurrences = q
        .fetch_all(&platform.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Recurrence {
                app_id: r.try_get("app_id")?,
                case_id: r.try_get("case_id")?,
                fingerprint: r.try_get("fingerprint")?,
                code: r.try_get("code")?,
                earlier_version_id: r.try_get("earlier_version_id")?,
                later_version_id: r.try_get("later_version_id")?,
                proposed_for_notice: r.try_get::<i64, _>("proposed_for_notice")? != 0,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let count = |group: &str, name: &str| {
        let mut q = Sql::new(&format!(
            "SELECT {group} AS id, {name} AS name, COUNT(*) AS findings, \
             COUNT(DISTINCT r.later_version_id) AS versions FROM recurrences r \
             JOIN cases c ON c.id = r.case_id JOIN apps a ON a.id = r.app_id \
             LEFT JOIN orgs o ON o.id = a.owner_org_id WHERE {group} IS NOT NULL AND "
        ));
        case_visible(&caller, "c", &mut q);
        q.push(&format!(
            " GROUP BY {group}, {name} ORDER BY findings DESC, id"
        ));
        q
    };
    let mut counts = Vec::new();
    for q in [
        count("a.id", "COALESCE(a.name, a.app_key)"),
        count("o.id", "o.name"),
    ] {
        counts.push(
            q.fetch_all(&platform.db.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(RecurrenceCount {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        findings: r.try_get("findings")?,
                        versions: r.try_get("versions")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?,
        );
    }
    let by_enterprise = counts.pop().unwrap_or_default();
    let by_app = counts.pop().unwrap_or_default();
    Ok(Json(RecurrenceList {
        recurrences,
        by_app,
        by_enterprise,
    }))
}
