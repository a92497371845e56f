//! Scans: `POST /api/v1/scans` (multipart `file`, optional `priority`) → 202 {id};
//! `GET /api/v1/scans/{id}` → {status, report when done}; `GET /api/v1/scans` → the
//! caller's latest. A caller sees only its own organisation's scans (ministry and admins
//! see all); any other id answers 404, so ids leak nothing.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use tokio::io::AsyncWriteExt;

use super::ApiError;
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::db::now_ms;
use crate::queue::{self, PRIORITY_BULK, PRIORITY_NORMAL, PRIORITY_RETEST};
use crate::store::artifact_key;

/// A report is read back whole to answer; larger ones are refused, not loaded.
const MAX_REPORT_BYTES: u64 = 256 << 20;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub id: i64,
    pub sha256: String,
    pub status: String,
}

/// A package received: where it was staged, its hash and size.
struct Received {
    staged: tempfile::NamedTempFile,
    sha256: String,
    size: u64,
    file_name: Option<String>,
}

/// The multipart form of a submission.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads it as a stream
pub struct UploadForm {
    /// The package (APK, XAPK, IPA, wxapkg, …).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `retest`, `normal` (default) or `bulk`.
    priority: Option<String>,
}

/// One scan: its analysis' status, and the JSON report (`hegui-report/1`) once done.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the answer, which is built as JSON
pub struct ScanView {
    id: i64,
    /// `queued`, `running`, `done` or `failed`.
    status: String,
    sha256: String,
    file_name: Option<String>,
    created_ms: i64,
    findings: Option<i64>,
    attempts: i64,
    /// The last error of a failed (or retrying) analysis.
    error: Option<String>,
    /// The report, when `status` is `done`.
    #[schema(value_type = Option<Object>)]
    report: Option<Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the answer, which is built as JSON
pub struct ScanList {
    scans: Vec<ScanView>,
}

/// Submit a package: stored by SHA-256, queued for analysis (once per package and ruleset).
#[utoipa::path(
    post,
    path = "/api/v1/scans",
    tag = "scans",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 202, description = "Accepted and queued (or joined to its analysis)", body = Submitted),
        (status = 400, description = "No file, an empty one, or a bad priority", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn submit(
    State(platform): State<Platform>,
    caller: Caller,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    let bad = |code, m: String| ApiError::new(StatusCode::BAD_REQUEST, code, m);
    let mut received = None;
    let mut priority = PRIORITY_NORMAL;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad("bad-multipart", e.body_text()))?
    {
        match field.name() {
            Some("file") => received = Some(receive(&platform, field).await?),
            Some("priority") => {
                let text = small_text(field, 64).await?;
                priority = match text.trim() {
                    "retest" => PRIORITY_RETEST,
                    "normal" => PRIORITY_NORMAL,
                    "bulk" => PRIORITY_BULK,
                    other => {
                        return Err(bad(
                            "bad-priority",
                            format!("priority {other:?}: expected retest, normal or bulk"),
                        ));
                    }
                };
            }
            _ => {} // unknown fields are ignored, as forms add their own
        }
    }
    let Some(received) = received else {
        return Err(bad(
            "no-file",
            "send the package in a multipart field named `file`".into(),
        ));
    };
    if received.size == 0 {
        return Err(bad("empty-file", "the uploaded file is empty".into()));
    }
    let key = artifact_key(&received.sha256);
    // Evidence is addressed by its hash: the same package is stored once.
    if !platform.store.exists(&key).await? {
        platform
            .store
            .put_file(&key, received.staged.path())
            .await?;
    }
    let now = now_ms();
    sqlx::query(
        "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&received.sha256)
    .bind(i64::try_from(received.size).unwrap_or(i64::MAX))
    .bind(&key)
    .bind(now)
    .execute(&platform.db.pool)
    .await?;
    let ruleset = Platform::ruleset();
    let analysis = queue::enqueue(
        &platform.db,
        &received.sha256,
        &ruleset,
        priority,
        platform.config.max_attempts,
    )
    .await?;
    let row = sqlx::query(
        "INSERT INTO scans (org_id, submitted_by, analysis_id, file_name, created_ms) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(caller.org_id)
    .bind(caller.user_id)
    .bind(analysis)
    .bind(&received.file_name)
    .bind(now)
    .fetch_one(&platform.db.pool)
    .await?;
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({
        "sha256": received.sha256,
        "size": received.size,
        "file_name": received.file_name,
        "analysis": analysis,
        "priority": priority,
    });
    audit::record(
        &platform.db,
        &(&caller).into(),
        "scan.submit",
        &format!("scan:{id}"),
        detail,
    )
    .await?;
    let status: String = sqlx::query("SELECT status FROM analyses WHERE id = $1")
        .bind(analysis)
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("status")?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Submitted {
            id,
            sha256: received.sha256,
            status,
        }),
    ))
}

/// A short text field, refused past `max` bytes (a form field is not a second upload).
async fn small_text(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError::new(e.status(), "bad-multipart", e.body_text()))?
    {
        if bytes.len() + chunk.len() > max {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "field-too-long",
                format!("a form field longer than {max} bytes"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-multipart",
            "a form field that is not UTF-8",
        )
    })
}

/// Stream the file field to the scratch folder, hashing as it goes, refusing it once it
/// passes the size cap.
async fn receive(
    platform: &Platform,
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<Received, ApiError> {
    let file_name = field
        .file_name()
        .map(crate::worker::safe_file_name)
        .filter(|n| !n.is_empty());
    let staged = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(&platform.config.scratch_dir)
        .map_err(anyhow::Error::from)?;
    let mut out = tokio::fs::File::create(staged.path())
        .await
        .map_err(anyhow::Error::from)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let max = platform.config.max_upload_bytes;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError::new(e.status(), "upload-interrupted", e.body_text()))?
    {
        size += chunk.len() as u64;
        if size > max {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the package is larger than the {} MiB limit", max >> 20),
            ));
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await.map_err(anyhow::Error::from)?;
    }
    out.flush().await.map_err(anyhow::Error::from)?;
    Ok(Received {
        staged,
        sha256: hex::encode(hasher.finalize()),
        size,
        file_name,
    })
}

const SCAN_COLUMNS: &str = "s.id, s.org_id, s.file_name, s.created_ms, a.artifact_sha256, \
     a.status, a.report_key, a.findings, a.last_error, a.attempts";

fn scan_json(row: &AnyRow) -> Result<serde_json::Map<String, Value>, sqlx::Error> {
    let mut m = serde_json::Map::new();
    m.insert("id".into(), row.try_get::<i64, _>("id")?.into());
    m.insert("status".into(), row.try_get::<String, _>("status")?.into());
    m.insert(
        "sha256".into(),
        row.try_get::<String, _>("artifact_sha256")?.into(),
    );
    m.insert(
        "file_name".into(),
        row.try_get::<Option<String>, _>("file_name")?.into(),
    );
    m.insert(
        "created_ms".into(),
        row.try_get::<i64, _>("created_ms")?.into(),
    );
    m.insert(
        "findings".into(),
        row.try_get::<Option<i64>, _>("findings")?.into(),
    );
    m.insert("attempts".into(), row.try_get::<i64, _>("attempts")?.into());
    if let Some(error) = row.try_get::<Option<String>, _>("last_error")? {
        m.insert("error".into(), error.into());
    }
    Ok(m)
}

/// A scan: status, and the report when done.
#[utoipa::path(
    get,
    path = "/api/v1/scans/{id}",
    tag = "scans",
    params(("id" = i64, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The scan", body = ScanView),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 404, description = "No such scan for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let row = sqlx::query(&format!(
        "SELECT {SCAN_COLUMNS} FROM scans s JOIN analyses a ON a.id = s.analysis_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&platform.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("scan"))?;
    let org: i64 = row.try_get("org_id")?;
    if org != caller.org_id && !caller.sees_everything() {
        return Err(ApiError::not_found("scan"));
    }
    let mut scan = scan_json(&row)?;
    if scan.get("status").and_then(Value::as_str) == Some("done")
        && let Some(key) = row.try_get::<Option<String>, _>("report_key")?
    {
        let bytes = platform.store.get_bytes(&key, MAX_REPORT_BYTES).await?;
        let report: Value = serde_json::from_slice(&bytes).map_err(anyhow::Error::from)?;
        scan.insert("report".into(), report);
    }
    Ok(Json(Value::Object(scan)))
}

/// The caller's latest 100 scans (everyone's for the ministry and admins).
#[utoipa::path(
    get,
    path = "/api/v1/scans",
    tag = "scans",
    responses(
        (status = 200, description = "Latest scans, newest first", body = ScanList),
        (status = 401, description = "No valid token", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let rows = if caller.sees_everything() {
        sqlx::query(&format!(
            "SELECT {SCAN_COLUMNS} FROM scans s JOIN analyses a ON a.id = s.analysis_id \
             ORDER BY s.id DESC LIMIT 100"
        ))
        .fetch_all(&platform.db.pool)
        .await?
    } else {
        sqlx::query(&format!(
            "SELECT {SCAN_COLUMNS} FROM scans s JOIN analyses a ON a.id = s.analysis_id \
             WHERE s.org_id = $1 ORDER BY s.id DESC LIMIT 100"
        ))
        .bind(caller.org_id)
        .fetch_all(&platform.db.pool)
        .await?
    };
    let scans = rows
        .iter()
        .map(|r| scan_json(r).map(Value::Object))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(serde_json::json!({ "scans": scans })))
}
