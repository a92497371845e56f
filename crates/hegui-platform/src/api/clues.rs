//! Violation clues from provincial bureaus: `POST /api/v1/clues` (a bureau, for its own
//! province), `GET /api/v1/clues`, `GET /api/v1/clues/{id}`, evidence files
//! (`POST /api/v1/clues/{id}/documents`), turning a clue into a scan
//! (`POST /api/v1/clues/{id}/scan`; the case then names `clue_id`), and each month's due
//! date with the bureaus that are late (`GET /api/v1/clue-periods/{period}`, `current`).

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::ApiError;
use super::casework::{DocumentView, document_view, insert_document, store_document};
use super::scans::submit_upload;
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::cases;
use crate::clues::{self, format_period, parse_period};
use crate::db::now_ms;
use crate::scope::org_set;
use crate::sql::Sql;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewClue {
    pub app_name: String,
    /// The store it was found in.
    pub store: Option<String>,
    /// The app on the platform, if it is known there.
    pub app_id: Option<i64>,
    /// The notice-164 task the problem falls under: `MIIT164-01` … `MIIT164-10`.
    pub task: String,
    pub description: String,
    /// The filing bureau's province; another province is refused (403).
    pub province: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ClueView {
    pub id: i64,
    pub org_id: i64,
    pub province: String,
    /// The month whose due date it counts towards (`YYYY-MM`).
    pub period: String,
    pub app_name: String,
    pub app_id: Option<i64>,
    pub store: Option<String>,
    pub task: String,
    pub task_zh: String,
    pub description: String,
    /// The day it was filed (Beijing time).
    pub filed_on: String,
    pub scan_id: Option<i64>,
    pub case_id: Option<i64>,
    pub documents: Vec<DocumentView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ClueList {
    pub clues: Vec<ClueView>,
}

fn forbidden(m: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", m)
}

fn bad(code: &'static str, m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, m)
}

fn no_calendar(e: hegui_calendar::CalendarError) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "no-calendar",
        format!("{e}"),
    )
}

/// `clues c` rows the caller may see: the ministry all; a bureau its province's.
fn clue_scope(caller: &Caller, q: &mut Sql) {
    if caller.sees_everything() {
        q.push("1 = 1");
    } else if caller.org_kind == "bureau" {
        q.push("c.org_id IN ");
        org_set(caller, q);
    } else {
        q.push("1 = 0");
    }
}

pub(crate) async fn clue_visible(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<bool, ApiError> {
    let mut q = Sql::new("SELECT c.id FROM clues c WHERE c.id = ");
    q.int(id).push(" AND ");
    clue_scope(caller, &mut q);
    Ok(q.fetch_optional(&platform.db.pool).await?.is_some())
}

const CLUE_COLUMNS: &str = "SELECT c.id, c.org_id, c.province, c.period, c.app_name, c.app_id, \
     c.store, c.task, c.description, c.filed_on, c.scan_id, c.case_id FROM clues c WHERE ";

async fn clue_view(platform: &Platform, r: &AnyRow) -> Result<ClueView, ApiError> {
    let id: i64 = r.try_get("id")?;
    let task: String = r.try_get("task")?;
    let documents = sqlx::query(
        "SELECT id, kind, escalation_id, file_name, sha256, size, created_ms FROM documents \
         WHERE owner_kind = 'clue' AND owner_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&platform.db.pool)
    .await?
    .iter()
    .map(document_view)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(ClueView {
        id,
        org_id: r.try_get("org_id")?,
        province: r.try_get("province")?,
        period: r.try_get("period")?,
        app_name: r.try_get("app_name")?,
        app_id: r.try_get("app_id")?,
        store: r.try_get("store")?,
        task_zh: hegui_knowledge::clause(&task)
            .map(|c| c.zh.clone())
            .unwrap_or_default(),
        task,
        description: r.try_get("description")?,
        filed_on: r.try_get("filed_on")?,
        scan_id: r.try_get("scan_id")?,
        case_id: r.try_get("case_id")?,
        documents,
    })
}

async fn load(platform: &Platform, caller: &Caller, id: i64) -> Result<ClueView, ApiError> {
    let mut q = Sql::new(CLUE_COLUMNS);
    q.push("c.id = ").int(id).push(" AND ");
    clue_scope(caller, &mut q);
    let row = q
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("clue"))?;
    clue_view(platform, &row).await
}

/// File a clue. Only a provincial bureau files, for its own province; the clue counts
/// towards the first period whose due date (the 15th, or the next working day) is on or
/// after today.
#[utoipa::path(
    post, path = "/api/v1/clues", tag = "clues", request_body = NewClue,
    responses(
        (status = 201, description = "Filed", body = ClueView),
        (status = 400, description = "A missing field or an unknown task", body = super::ErrorBody),
        (status = 403, description = "Not a bureau, or another province", body = super::ErrorBody),
        (status = 422, description = "No calendar data to count the due date", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn file(
    State(platform): State<Platform>,
    caller: Caller,
    Json(body): Json<NewClue>,
) -> Result<(StatusCode, Json<ClueView>), ApiError> {
    let (true, Some(province)) = (
        caller.org_kind == "bureau" && caller.is_authority(),
        caller.province.clone(),
    ) else {
        return Err(forbidden("clues are filed by a provincial bureau"));
    };
    if body
        .province
        .as_deref()
        .is_some_and(|p| p.trim() != province)
    {
        return Err(forbidden(&format!(
            "a bureau files clues for its own province ({province}) only"
        )));
    }
    let app_name = body.app_name.trim();
    let description = body.description.trim();
    if app_name.is_empty() || description.is_empty() {
        return Err(bad(
            "missing",
            "a clue names the app and describes the problem",
        ));
    }
    if app_name.len() > 200 || description.len() > 20_000 {
        return Err(bad(
            "too-long",
            "app name up to 200 bytes, description up to 20000",
        ));
    }
    if !body.task.starts_with("MIIT164-") || hegui_knowledge::clause(&body.task).is_none() {
        return Err(bad(
            "bad-task",
            format!("task {:?}: expected MIIT164-01 … MIIT164-10", body.task),
        ));
    }
    if let Some(app) = body.app_id {
        let mut q = Sql::new("SELECT a.id FROM apps a WHERE a.id = ");
        q.int(app).push(" AND ");
        crate::scope::app_visible(&caller, "a", &mut q);
        if q.fetch_optional(&platform.db.pool).await?.is_none() {
            return Err(ApiError::not_found("app"));
        }
    }
    let today = cases::today();
    let (year, month) =
        clues::period_for(hegui_calendar::Calendar::china(), today).map_err(no_calendar)?;
    let period = format_period(year, month);
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO clues (org_id, province, period, app_name, app_id, store, task, description, \
         filed_by, filed_on, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(caller.org_id)
    .bind(&province)
    .bind(&period)
    .bind(app_name)
    .bind(body.app_id)
    .bind(
        body.store
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    )
    .bind(&body.task)
    .bind(description)
    .bind(caller.user_id)
    .bind(hegui_calendar::format_date(today))
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let detail = serde_json::json!({"period": period, "task": body.task, "app": app_name});
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "clue.file",
        &format!("clue:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, &caller, id).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ClueQuery {
    /// `YYYY-MM`.
    pub period: Option<String>,
}

/// Clues the caller may see (the ministry: all; a bureau: its province's), newest first.
#[utoipa::path(
    get, path = "/api/v1/clues", tag = "clues", params(ClueQuery),
    responses((status = 200, description = "Clues", body = ClueList)),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<ClueQuery>,
) -> Result<Json<ClueList>, ApiError> {
    let mut q = Sql::new(CLUE_COLUMNS);
    clue_scope(&caller, &mut q);
    if let Some(period) = &query.period {
        q.push(" AND c.period = ").text(period);
    }
    q.push(" ORDER BY c.id DESC LIMIT 500");
    let mut clues = Vec::new();
    for row in q.fetch_all(&platform.db.pool).await? {
        clues.push(clue_view(&platform, &row).await?);
    }
    Ok(Json(ClueList { clues }))
}

/// A clue, with its evidence files.
#[utoipa::path(
    get, path = "/api/v1/clues/{id}", tag = "clues",
    params(("id" = i64, Path, description = "Clue id")),
    responses(
        (status = 200, description = "The clue", body = ClueView),
        (status = 404, description = "No such clue for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ClueView>, ApiError> {
    Ok(Json(load(&platform, &caller, id).await?))
}

/// Attach evidence files to a clue (multipart `file`, repeated; 20 MiB each), by the
/// bureau that filed it.
#[utoipa::path(
    post, path = "/api/v1/clues/{id}/documents", tag = "clues",
    params(("id" = i64, Path, description = "Clue id")),
    request_body(content = super::casework::DocumentForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = ClueView),
        (status = 404, description = "No such clue for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn attach(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<ClueView>), ApiError> {
    let clue = load(&platform, &caller, id).await?;
    if clue.org_id != caller.org_id || !caller.is_authority() {
        return Err(forbidden(
            "evidence is attached by the bureau that filed the clue",
        ));
    }
    let mut stored = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad("bad-multipart", e.body_text()))?
    {
        if field.name() == Some("file") {
            stored.push(store_document(&platform, field).await?);
        }
    }
    if stored.is_empty() {
        return Err(bad("no-file", "send evidence in fields named `file`"));
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    for doc in &stored {
        insert_document(
            &mut tx,
            ("clue", id),
            "evidence",
            None,
            doc,
            Some(caller.user_id),
        )
        .await?;
    }
    let detail = serde_json::json!({"files": stored.len()});
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "clue.document",
        &format!("clue:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, &caller, id).await?),
    ))
}

/// Scan the app a clue is about (multipart `file`, as `POST /api/v1/scans`); the scan is
/// kept on the clue. Open the case with `POST /api/v1/cases` and `clue_id`.
#[utoipa::path(
    post, path = "/api/v1/clues/{id}/scan", tag = "clues",
    params(("id" = i64, Path, description = "Clue id")),
    request_body(content = super::scans::UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 202, description = "Scan queued and kept on the clue", body = ClueView),
        (status = 403, description = "Not an authority", body = super::ErrorBody),
        (status = 404, description = "No such clue for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn scan(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<ClueView>), ApiError> {
    load(&platform, &caller, id).await?;
    if !caller.is_authority() {
        return Err(forbidden("a clue is scanned by the authority"));
    }
    let submitted = submit_upload(&platform, &caller, multipart).await?;
    sqlx::query("UPDATE clues SET scan_id = $1 WHERE id = $2")
        .bind(submitted.id)
        .bind(id)
        .execute(&platform.db.pool)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(load(&platform, &caller, id).await?),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BureauStatus {
    pub org_id: i64,
    pub name: String,
    pub province: Option<String>,
    /// Clues counted towards the period.
    pub clues: i64,
    /// The first was filed on or before the due date.
    pub on_time: bool,
    /// The due date has passed and the bureau filed nothing on time.
    pub overdue: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PeriodView {
    pub period: String,
    /// The due date: the 15th, or the next working day.
    pub due: String,
    /// The 15th is not a working day, so the due date moved.
    pub moved: bool,
    /// Said for people, in Chinese and English.
    pub due_zh: String,
    pub due_en: String,
    pub today: String,
    /// Each bureau the caller may see (the ministry: all), and whether it is late.
    pub bureaus: Vec<BureauStatus>,
}

/// A period's due date and where each bureau stands. `current` is the period clues filed
/// today count towards.
#[utoipa::path(
    get, path = "/api/v1/clue-periods/{period}", tag = "clues",
    params(("period" = String, Path, description = "`YYYY-MM` or `current`")),
    responses(
        (status = 200, description = "The period", body = PeriodView),
        (status = 400, description = "Not YYYY-MM", body = super::ErrorBody),
        (status = 403, description = "Neither the ministry nor a bureau", body = super::ErrorBody),
        (status = 422, description = "No calendar data for that month", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn period(
    State(platform): State<Platform>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<Json<PeriodView>, ApiError> {
    Ok(Json(period_view(&platform, &caller, &period).await?))
}

pub(crate) async fn period_view(
    platform: &Platform,
    caller: &Caller,
    period: &str,
) -> Result<PeriodView, ApiError> {
    if !matches!(caller.org_kind.as_str(), "ministry" | "bureau") {
        return Err(forbidden("clue periods are the regulators' business"));
    }
    let calendar = hegui_calendar::Calendar::china();
    let today = cases::today();
    let (year, month) = if period == "current" {
        clues::period_for(calendar, today).map_err(no_calendar)?
    } else {
        parse_period(period).ok_or_else(|| bad("bad-period", "a period is YYYY-MM"))?
    };
    let period = format_period(year, month);
    let due = clues::due(calendar, year, month).map_err(no_calendar)?;
    let due_text = hegui_calendar::format_date(due.date);
    let (due_zh, due_en) = if due.moved {
        (
            format!("本期线索报送截止日为 {due_text}：15 日为非工作日，顺延至其后第一个工作日。"),
            format!(
                "Clues for this period are due {due_text}: the 15th is not a working day, so the date moves to the next working day."
            ),
        )
    } else {
        (
            format!("本期线索报送截止日为 {due_text}（每月 15 日）。"),
            format!("Clues for this period are due {due_text} (the 15th of the month)."),
        )
    };
    let mut q = Sql::new(
        "SELECT o.id, o.name, o.province, \
         (SELECT COUNT(*) FROM clues c WHERE c.org_id = o.id AND c.period = ",
    );
    q.text(&period).push(
        ") AS clues, (SELECT MIN(c.filed_on) FROM clues c WHERE c.org_id = o.id AND c.period = ",
    );
    q.text(&period)
        .push(") AS first_filed FROM orgs o WHERE o.kind = 'bureau'");
    if !caller.sees_everything() {
        q.push(" AND o.id = ").int(caller.org_id);
    }
    q.push(" ORDER BY o.province, o.id");
    let past_due = today > due.date;
    let mut bureaus = Vec::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        let first: Option<String> = r.try_get("first_filed")?;
        // ISO dates compare as text.
        let on_time = first.as_deref().is_some_and(|f| f <= due_text.as_str());
        bureaus.push(BureauStatus {
            org_id: r.try_get("id")?,
            name: r.try_get("name")?,
            province: r.try_get("province")?,
            clues: r.try_get("clues")?,
            on_time,
            overdue: past_due && !on_time,
        });
    }
    Ok(PeriodView {
        period,
        due: due_text,
        moved: due.moved,
        due_zh,
        due_en,
        today: hegui_calendar::format_date(today),
        bureaus,
    })
}
