//! Triage of the public's complaints (the public files them on `/complaints`, without an
//! account): `GET /api/v1/complaints`, `GET /api/v1/complaints/summary`,
//! `GET /api/v1/complaints/{id}`, `POST /api/v1/complaints/{id}/triage` (accept, reject,
//! resolve, merge into another, link to an app). Triage takes the ministry's or a
//! bureau's admin, regulator or `triage` role.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::ApiError;
use super::casework::{DocumentView, document_view};
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::db::now_ms;
use crate::scope::app_visible;
use crate::sql::Sql;

/// Complaint states: received → accepted | rejected | merged; accepted → resolved.
pub const STATUSES: &[&str] = &["received", "accepted", "merged", "rejected", "resolved"];

#[derive(Serialize, utoipa::ToSchema)]
pub struct ComplaintView {
    pub id: i64,
    pub reference: String,
    pub app_name: String,
    pub store: Option<String>,
    pub problem: String,
    pub description: String,
    pub contact: Option<String>,
    /// `received`, `accepted`, `merged`, `rejected` or `resolved`.
    pub status: String,
    pub merged_into: Option<i64>,
    pub app_id: Option<i64>,
    pub triage_note: Option<String>,
    /// Complaints merged into this one.
    pub duplicates: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub screenshots: Vec<DocumentView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ComplaintList {
    pub complaints: Vec<ComplaintView>,
}

#[derive(Serialize, utoipa::ToSchema, Default)]
pub struct ComplaintSummary {
    pub received: i64,
    pub accepted: i64,
    pub merged: i64,
    pub rejected: i64,
    pub resolved: i64,
    pub total: i64,
}

fn may_triage(caller: &Caller) -> Result<(), ApiError> {
    if caller.may_triage() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "complaints are triaged by the ministry's or a bureau's triage, regulator or admin users",
        ))
    }
}

const COLUMNS: &str = "SELECT c.id, c.reference, c.app_name, c.store, c.problem, c.description, \
     c.contact, c.status, c.merged_into, c.app_id, c.triage_note, c.created_ms, c.updated_ms, \
     (SELECT COUNT(*) FROM complaints d WHERE d.merged_into = c.id) AS duplicates \
     FROM complaints c ";

async fn view(platform: &Platform, r: &AnyRow) -> Result<ComplaintView, ApiError> {
    let id: i64 = r.try_get("id")?;
    let screenshots = sqlx::query(
        "SELECT id, kind, escalation_id, file_name, sha256, size, created_ms FROM documents \
         WHERE owner_kind = 'complaint' AND owner_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&platform.db.pool)
    .await?
    .iter()
    .map(document_view)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(ComplaintView {
        id,
        reference: r.try_get("reference")?,
        app_name: r.try_get("app_name")?,
        store: r.try_get("store")?,
        problem: r.try_get("problem")?,
        description: r.try_get("description")?,
        contact: r.try_get("contact")?,
        status: r.try_get("status")?,
        merged_into: r.try_get("merged_into")?,
        app_id: r.try_get("app_id")?,
        triage_note: r.try_get("triage_note")?,
        duplicates: r.try_get("duplicates")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        screenshots,
    })
}

async fn load(platform: &Platform, id: i64) -> Result<ComplaintView, ApiError> {
    let row = sqlx::query(&format!("{COLUMNS} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("complaint"))?;
    view(platform, &row).await
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ComplaintQuery {
    pub status: Option<String>,
    /// Part of the app's name.
    pub app: Option<String>,
}

/// Complaints, newest first (at most 500).
#[utoipa::path(
    get, path = "/api/v1/complaints", tag = "complaints", params(ComplaintQuery),
    responses(
        (status = 200, description = "Complaints", body = ComplaintList),
        (status = 403, description = "Not a triage user", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<ComplaintQuery>,
) -> Result<Json<ComplaintList>, ApiError> {
    may_triage(&caller)?;
    let mut q = Sql::new(COLUMNS);
    q.push("WHERE 1 = 1");
    if let Some(status) = &query.status {
        q.push(" AND c.status = ").text(status);
    }
    if let Some(app) = query
        .app
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        q.push(" AND c.app_name LIKE ").text(&format!("%{app}%"));
    }
    q.push(" ORDER BY c.id DESC LIMIT 500");
    let mut complaints = Vec::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        complaints.push(view(&platform, &r).await?);
    }
    Ok(Json(ComplaintList { complaints }))
}

/// Complaints counted by status (the dashboard's figures).
#[utoipa::path(
    get, path = "/api/v1/complaints/summary", tag = "complaints",
    responses(
        (status = 200, description = "Counts", body = ComplaintSummary),
        (status = 403, description = "Not a triage user", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn summary(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<ComplaintSummary>, ApiError> {
    may_triage(&caller)?;
    Ok(Json(counts(&platform).await?))
}

pub(crate) async fn counts(platform: &Platform) -> Result<ComplaintSummary, ApiError> {
    let mut s = ComplaintSummary::default();
    for r in sqlx::query("SELECT status, COUNT(*) AS n FROM complaints GROUP BY status")
        .fetch_all(&platform.db.pool)
        .await?
    {
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("status")?.as_str() {
            "received" => s.received = n,
            "accepted" => s.accepted = n,
            "merged" => s.merged = n,
            "rejected" => s.rejected = n,
            "resolved" => s.resolved = n,
            _ => {}
        }
        s.total += n;
    }
    Ok(s)
}

/// A complaint, with its screenshots.
#[utoipa::path(
    get, path = "/api/v1/complaints/{id}", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    responses(
        (status = 200, description = "The complaint", body = ComplaintView),
        (status = 403, description = "Not a triage user", body = super::ErrorBody),
        (status = 404, description = "No such complaint", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ComplaintView>, ApiError> {
    may_triage(&caller)?;
    Ok(Json(load(&platform, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Triage {
    /// `accepted`, `rejected`, `resolved`, or `merged` (with `merge_into`).
    pub status: Option<String>,
    /// The complaint this one duplicates.
    pub merge_into: Option<i64>,
    /// The app on the platform it is about.
    pub app_id: Option<i64>,
    pub note: Option<String>,
}

/// Triage a complaint: accept, reject, resolve, merge into a duplicate, link to an app.
#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/triage", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = Triage,
    responses(
        (status = 200, description = "Triaged", body = ComplaintView),
        (status = 400, description = "A bad status or merge", body = super::ErrorBody),
        (status = 403, description = "Not a triage user", body = super::ErrorBody),
        (status = 404, description = "No such complaint or app", body = super::ErrorBody),
        (status = 409, description = "Not a move from its status", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn triage(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<Triage>,
) -> Result<Json<ComplaintView>, ApiError> {
    may_triage(&caller)?;
    let complaint = load(&platform, id).await?;
    let bad = |code, m: String| ApiError::new(StatusCode::BAD_REQUEST, code, m);
    let status = match (&body.status, body.merge_into) {
        (None, Some(_)) | (Some(_), Some(_)) => {
            if body.status.as_deref().is_some_and(|s| s != "merged") {
                return Err(bad(
                    "bad-merge",
                    "merge_into goes with status merged".into(),
                ));
            }
            Some("merged".to_string())
        }
        (Some(s), None) if s == "merged" => {
            return Err(bad("bad-merge", "say which complaint in merge_into".into()));
        }
        (s, None) => s.clone(),
    };
    if let Some(s) = &status {
        if !STATUSES.contains(&s.as_str()) || s == "received" {
            return Err(bad("bad-status", format!("status {s:?}")));
        }
        let allowed = matches!(
            (complaint.status.as_str(), s.as_str()),
            ("received", "accepted" | "rejected" | "merged")
                | ("accepted", "resolved" | "merged" | "rejected")
        );
        if !allowed {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "bad-transition",
                format!("a {} complaint cannot become {s}", complaint.status),
            ));
        }
    }
    if let Some(target) = body.merge_into {
        if target == id {
            return Err(bad(
                "bad-merge",
                "a complaint is not its own duplicate".into(),
            ));
        }
        let t = load(&platform, target).await?;
        if t.status == "merged" {
            return Err(bad(
                "bad-merge",
                format!(
                    "complaint {target} is merged itself; merge into {:?}",
                    t.merged_into
                ),
            ));
        }
    }
    if let Some(app) = body.app_id {
        let mut q = Sql::new("SELECT a.id FROM apps a WHERE a.id = ");
        q.int(app).push(" AND ");
        app_visible(&caller, "a", &mut q);
        if q.fetch_optional(&platform.db.pool).await?.is_none() {
            return Err(ApiError::not_found("app"));
        }
    }
    let note = super::typed_text(body.note.as_deref(), "note", 4000, "too-long")?;
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let mut update = Sql::new("UPDATE complaints SET updated_ms = ");
    update
        .int(now_ms())
        .push(", triaged_by = ")
        .int(caller.user_id);
    if let Some(s) = &status {
        update.push(", status = ").text(s);
    }
    if let Some(t) = body.merge_into {
        update.push(", merged_into = ").int(t);
    }
    if let Some(a) = body.app_id {
        update.push(", app_id = ").int(a);
    }
    if let Some(n) = note {
        update.push(", triage_note = ").text(n);
    }
    update
        .push(" WHERE id = ")
        .int(id)
        .push(" AND status = ")
        .text(&complaint.status);
    if update.execute_on(&mut tx).await? != 1 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "bad-transition",
            "the complaint changed meanwhile; reload it",
        ));
    }
    let detail = serde_json::json!({
        "status": status, "merge_into": body.merge_into, "app": body.app_id, "note": note,
    });
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "complaint.triage",
        &format!("complaint:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok(Json(load(&platform, id).await?))
}
