//! Pages for the public, without an account: the complaint form (`/complaints`), its
//! challenge (`/complaints/challenge`, JSON for programs), the status of a complaint by
//! its reference number (`/complaints/status`), and published notices (`/notices/{id}`).
//!
//! These pages read nothing but the status of the one complaint whose whole reference
//! number is given, and notices already published.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::ACCEPT;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::Row;

use super::text::Lang;
use super::{page, session, when};
use crate::Platform;
use crate::api::ApiError;
use crate::api::casework::insert_document;
use crate::api::scans::{receive, small_text};
use crate::audit::{self, Actor};
use crate::complaints::{self, PROBLEMS};
use crate::db::now_ms;

/// Screenshots per complaint, and the size of each.
const MAX_SCREENSHOTS: usize = 3;
pub const MAX_SCREENSHOT_BYTES: u64 = 5 << 20;

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn problems(lang: Lang) -> Vec<Value> {
    PROBLEMS
        .iter()
        .map(|(id, zh, en)| json!({"id": id, "label": lang.pick(zh, en)}))
        .collect()
}

/// The complaint form, with a fresh challenge.
pub async fn form(State(platform): State<Platform>, headers: HeaderMap, uri: Uri) -> Response {
    let lang = session::lang(&headers, &uri);
    form_page(&platform, lang, None, StatusCode::OK).await
}

async fn form_page(
    platform: &Platform,
    lang: Lang,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let challenge = match complaints::key(&platform.db)
        .await
        .and_then(|k| complaints::challenge(&k))
    {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut response = page(
        "complaint.html",
        lang,
        None,
        json!({"problems": problems(lang), "challenge": challenge, "form_error": error}),
    );
    *response.status_mut() = status;
    response
}

/// A challenge for programs filing complaints: `{question, token}`.
pub async fn challenge(State(platform): State<Platform>) -> Result<Json<Value>, ApiError> {
    let key = complaints::key(&platform.db).await?;
    Ok(Json(json!(complaints::challenge(&key)?)))
}

/// A refusal: the form again with the reason (or JSON for programs).
async fn refuse(
    platform: &Platform,
    lang: Lang,
    json_wanted: bool,
    status: StatusCode,
    code: &'static str,
    zh: &str,
    en: &str,
) -> Response {
    if json_wanted {
        return ApiError::new(status, code, en).into_response();
    }
    form_page(platform, lang, Some(lang.pick(zh, en)), status).await
}

/// The sender's address: from the proxy's header when one is configured (the last entry of
/// `X-Forwarded-For` is the one our proxy added; earlier ones are the sender's to forge),
/// else the connection's peer.
fn client_address(platform: &Platform, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    let from_proxy = platform
        .config
        .client_ip_header
        .as_deref()
        .and_then(|name| {
            let value = headers.get(name)?.to_str().ok()?;
            let last = value.rsplit(',').next()?.trim();
            (!last.is_empty()).then(|| last.to_string())
        });
    from_proxy
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// File a complaint (multipart: `app_name`, `store`, `problem`, `description`, `contact`,
/// `challenge`, `answer`, up to three `screenshot` images of 5 MiB).
pub async fn submit(
    State(platform): State<Platform>,
    headers: HeaderMap,
    uri: Uri,
    connect: Option<axum::extract::Extension<ConnectInfo<SocketAddr>>>,
    mut multipart: Multipart,
) -> Response {
    let lang = session::lang(&headers, &uri);
    let json_wanted = wants_json(&headers);
    let refuse = |status, code, zh: &'static str, en: &'static str| {
        let platform = platform.clone();
        async move { refuse(&platform, lang, json_wanted, status, code, zh, en).await }
    };
    let key = match complaints::key(&platform.db).await {
        Ok(k) => k,
        Err(e) => return ApiError::from(e).into_response(),
    };
    // The sender's address, as a keyed hash: enough to count, useless to anyone else.
    let address = client_address(&platform, &headers, connect.map(|c| c.0.0));
    let client = match complaints::client_id(&key, &address) {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match complaints::recent(&platform.db, &client).await {
        Ok(n) if n >= platform.config.complaints_per_hour => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "提交过于频繁，请一小时后再试。",
                "Too many complaints from your address; try again in an hour.",
            )
            .await;
        }
        Ok(_) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    let mut fields = std::collections::HashMap::new();
    let mut shots = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return ApiError::new(e.status(), "bad-multipart", e.body_text()).into_response();
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "screenshot" {
            if field.file_name().is_none_or(str::is_empty) {
                continue; // an empty file input
            }
            if shots.len() >= MAX_SCREENSHOTS {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "too-many-files",
                    "最多上传 3 张截图。",
                    "At most 3 screenshots.",
                )
                .await;
            }
            match receive(&platform, field, MAX_SCREENSHOT_BYTES).await {
                Ok(r) if r.size == 0 => {}
                Ok(r) => shots.push(r),
                Err(e) => return e.into_response(),
            }
        } else if matches!(
            name.as_str(),
            "app_name" | "store" | "problem" | "description" | "contact" | "challenge" | "answer"
        ) {
            match small_text(field, 20_000).await {
                Ok(text) => {
                    fields.insert(name, text.trim().to_string());
                }
                Err(e) => return e.into_response(),
            }
        }
    }
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let nonce = match complaints::verify(&key, get("challenge"), get("answer")) {
        Ok(n) => n,
        Err(complaints::ChallengeError::Expired) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "challenge-expired",
                "验证题已过期，请重新作答。",
                "The check question expired; answer the new one.",
            )
            .await;
        }
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "challenge-failed",
                "验证题答案不正确。",
                "The answer to the check question is wrong.",
            )
            .await;
        }
    };
    let (app_name, description) = (get("app_name"), get("description"));
    if app_name.is_empty() || description.is_empty() || app_name.len() > 200 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "missing",
            "请填写应用名称和问题描述。",
            "Give the app's name and describe the problem.",
        )
        .await;
    }
    if !PROBLEMS.iter().any(|(id, _, _)| *id == get("problem")) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad-problem",
            "请选择问题类型。",
            "Pick the type of problem.",
        )
        .await;
    }
    for shot in &shots {
        // The first bytes are enough to know an image.
        let mut head = [0u8; 16];
        let read = std::fs::File::open(shot.staged.path())
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        let head = head.get(..read).unwrap_or_default();
        if !complaints::is_image(head) {
            return refuse(
                StatusCode::BAD_REQUEST,
                "not-an-image",
                "截图须为 PNG、JPEG、GIF 或 WebP 图片。",
                "Screenshots must be PNG, JPEG, GIF or WebP images.",
            )
            .await;
        }
    }
    match file_complaint(&platform, &fields, &nonce, &client, shots).await {
        Ok(reference) => {
            if json_wanted {
                return (
                    StatusCode::CREATED,
                    Json(json!({"reference": reference, "status": "received"})),
                )
                    .into_response();
            }
            let mut r = page(
                "complaint_done.html",
                lang,
                None,
                json!({"reference": reference}),
            );
            *r.status_mut() = StatusCode::CREATED;
            r
        }
        Err(Filed::ChallengeUsed) => {
            refuse(
                StatusCode::BAD_REQUEST,
                "challenge-used",
                "该验证题已使用，请重新作答。",
                "That check question was used already; answer the new one.",
            )
            .await
        }
        Err(Filed::Failed(e)) => e.into_response(),
    }
}

enum Filed {
    ChallengeUsed,
    Failed(ApiError),
}

impl<E: Into<ApiError>> From<E> for Filed {
    fn from(e: E) -> Filed {
        Filed::Failed(e.into())
    }
}

async fn file_complaint(
    platform: &Platform,
    fields: &std::collections::HashMap<String, String>,
    nonce: &str,
    client: &str,
    shots: Vec<crate::api::scans::Received>,
) -> Result<String, Filed> {
    let get = |k: &str| fields.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let reference = complaints::reference(crate::cases::today()).map_err(ApiError::from)?;
    let mut stored = Vec::new();
    for shot in shots {
        let key = crate::api::casework::document_key(&shot.sha256);
        if !platform.store.exists(&key).await.map_err(ApiError::from)? {
            platform
                .store
                .put_file(&key, shot.staged.path())
                .await
                .map_err(ApiError::from)?;
        }
        stored.push(crate::api::casework::StoredDocument {
            file_name: shot.file_name.unwrap_or_else(|| "screenshot".into()),
            sha256: shot.sha256,
            size: shot.size,
            content_type: "image".into(),
        });
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let now = now_ms();
    // The challenge column is UNIQUE: a token answers once.
    let inserted = sqlx::query(
        "INSERT INTO complaints (reference, app_name, store, problem, description, contact, \
         status, client, challenge, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $9, $9) \
         ON CONFLICT (challenge) DO NOTHING RETURNING id",
    )
    .bind(&reference)
    .bind(get("app_name"))
    .bind(get("store"))
    .bind(get("problem"))
    .bind(get("description"))
    .bind(get("contact"))
    .bind(client)
    .bind(nonce)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = inserted else {
        return Err(Filed::ChallengeUsed);
    };
    let id: i64 = row.try_get("id")?;
    for doc in &stored {
        insert_document(&mut tx, ("complaint", id), "screenshot", None, doc, None).await?;
    }
    let actor = Actor {
        user_id: None,
        name: "public".into(),
    };
    let detail = json!({"reference": reference, "screenshots": stored.len()});
    audit::record_in(
        &mut tx,
        &actor,
        "complaint.file",
        &format!("complaint:{id}"),
        detail,
    )
    .await
    .map_err(ApiError::from)?;
    tx.commit().await?;
    drop(turn);
    Ok(reference)
}

#[derive(Deserialize)]
pub struct StatusQuery {
    pub reference: Option<String>,
}

/// The status of one complaint, by its whole reference number; nothing else about it.
pub async fn status(
    State(platform): State<Platform>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<StatusQuery>,
) -> Response {
    let lang = session::lang(&headers, &uri);
    let reference = query
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && r.len() <= 40);
    let found = match reference {
        Some(r) => sqlx::query(
            "SELECT status, created_ms, updated_ms FROM complaints WHERE reference = $1",
        )
        .bind(r)
        .fetch_optional(&platform.db.pool)
        .await
        .map_err(ApiError::from),
        None => Ok(None),
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let status: Option<(String, i64, i64)> = found.and_then(|r| {
        Some((
            r.try_get("status").ok()?,
            r.try_get("created_ms").ok()?,
            r.try_get("updated_ms").ok()?,
        ))
    });
    if wants_json(&headers) {
        return match (&status, reference) {
            (Some((s, _, updated)), Some(r)) => {
                Json(json!({"reference": r, "status": s, "updated_ms": updated})).into_response()
            }
            _ => ApiError::not_found("complaint").into_response(),
        };
    }
    let label = |s: &str| {
        let (zh, en) = complaints::status_label(s);
        lang.pick(zh, en)
    };
    let context = json!({
        "reference": reference,
        "asked": reference.is_some(),
        "found": status.as_ref().map(|(s, created, updated)| json!({
            "status": s, "label": label(s), "created": when(*created), "updated": when(*updated),
        })),
    });
    let mut r = page("complaint_status.html", lang, None, context);
    if reference.is_some() && status.is_none() {
        *r.status_mut() = StatusCode::NOT_FOUND;
    }
    r
}

/// A published notice, printable, with its issuing authority.
pub async fn notice(
    State(platform): State<Platform>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let lang = session::lang(&headers, &uri);
    let notice = match crate::api::notices::load(&platform, None, id).await {
        Ok(n) => n,
        Err(e) => return (e.status, e.message).into_response(),
    };
    let rows = crate::api::notices::rows(&notice);
    let published = notice.published_ms.map(when).unwrap_or_default();
    page(
        "notice.html",
        lang,
        None,
        json!({
            "notice": notice,
            "header": rows.first(),
            "rows": rows.get(1..).unwrap_or_default(),
            "published": published.get(..10).unwrap_or_default(),
        }),
    )
}
