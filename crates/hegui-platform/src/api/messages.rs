//! In-app messages: `GET /api/v1/messages` (the caller's organisation's, newest first) and
//! `POST /api/v1/messages/{id}/read`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::ApiError;
use crate::Platform;
use crate::auth::Caller;
use crate::db::now_ms;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    pub case_id: Option<i64>,
    /// `case.opened`, `case.deadline-near`, `case.overdue`, `case.escalated`,
    /// `case.submitted`, `case.retested`, `case.other-app`.
    pub kind: String,
    pub subject_zh: String,
    pub subject_en: String,
    pub body: String,
    pub created_ms: i64,
    pub read: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MessageList {
    pub messages: Vec<Message>,
    /// Unread messages in all.
    pub unread: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MessageQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// The newest 200 messages to the caller's organisation.
#[utoipa::path(
    get, path = "/api/v1/messages", tag = "messages", params(MessageQuery),
    responses((status = 200, description = "Messages", body = MessageList)),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<MessageQuery>,
) -> Result<Json<MessageList>, ApiError> {
    Ok(Json(
        messages(&platform, &caller, query.unread == Some(true)).await?,
    ))
}

pub(crate) async fn messages(
    platform: &Platform,
    caller: &Caller,
    unread_only: bool,
) -> Result<MessageList, ApiError> {
    let filter = if unread_only {
        " AND read_ms IS NULL"
    } else {
        ""
    };
    let messages = sqlx::query(&format!(
        "SELECT id, case_id, kind, subject_zh, subject_en, body, created_ms, read_ms \
         FROM messages WHERE org_id = $1{filter} ORDER BY id DESC LIMIT 200"
    ))
    .bind(caller.org_id)
    .fetch_all(&platform.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Message {
            id: r.try_get("id")?,
            case_id: r.try_get("case_id")?,
            kind: r.try_get("kind")?,
            subject_zh: r.try_get("subject_zh")?,
            subject_en: r.try_get("subject_en")?,
            body: r.try_get("body")?,
            created_ms: r.try_get("created_ms")?,
            read: r.try_get::<Option<i64>, _>("read_ms")?.is_some(),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let unread: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM messages WHERE org_id = $1 AND read_ms IS NULL")
            .bind(caller.org_id)
            .fetch_one(&platform.db.pool)
            .await?
            .try_get("n")?;
    Ok(MessageList { messages, unread })
}

/// Mark every message of the caller's organisation read (the inbox page was seen).
pub(crate) async fn mark_all_read(platform: &Platform, caller: &Caller) -> Result<(), ApiError> {
    sqlx::query("UPDATE messages SET read_ms = $1 WHERE org_id = $2 AND read_ms IS NULL")
        .bind(now_ms())
        .bind(caller.org_id)
        .execute(&platform.db.pool)
        .await?;
    Ok(())
}

/// Mark a message read (for everyone in the organisation).
#[utoipa::path(
    post, path = "/api/v1/messages/{id}/read", tag = "messages",
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 404, description = "No such message for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn mark_read(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let done = sqlx::query(
        "UPDATE messages SET read_ms = COALESCE(read_ms, $1) WHERE id = $2 AND org_id = $3",
    )
    .bind(now_ms())
    .bind(id)
    .bind(caller.org_id)
    .execute(&platform.db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(ApiError::not_found("message"));
    }
    Ok(StatusCode::NO_CONTENT)
}
