//! Scans: `POST /api/v1/scans` (multipart `file`, optional `priority`) → 202 {id};
//! `GET /api/v1/scans/{id}` → {status, report when done}; `GET /api/v1/scans` → the
//! caller's latest. A caller sees the scans of its organisation (a bureau: of its
//! province's; the ministry: all); any other id answers 404, so ids leak nothing.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use serde::{Deserialize, Serialize};
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
use crate::scope::scan_visible;
use crate::sql::Sql;
use crate::store::{INTAKE_PREFIX, artifact_key, intake_key};

/// A report is read back whole to answer; larger ones are refused, not loaded.
const MAX_REPORT_BYTES: u64 = 256 << 20;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub id: i64,
    pub sha256: String,
    pub status: String,
}

/// A package received: where it was staged, its hash and size.
pub(crate) struct Received {
    pub staged: tempfile::NamedTempFile,
    pub sha256: String,
    pub size: u64,
    pub file_name: Option<String>,
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
    /// The engine's error code when nothing in the input could be read (`unknown-artifact`,
    /// `not-a-zip`, …; see docs/errors.md): the scan is `failed` at once, not retried.
    error_code: Option<String>,
    /// The last error of a failed (or retrying) analysis.
    error: Option<String>,
    /// The report, when `status` is `done`, or `failed` with an `error_code`.
    #[schema(value_type = Option<Object>)]
    report: Option<Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the answer, which is built as JSON
pub struct ScanList {
    scans: Vec<ScanView>,
}

/// Submit a package: uploaded (multipart, field `file`), or already in the object store
/// under `intake/` (JSON `{"object_key"}`); stored by SHA-256 and queued for analysis (once
/// per package and ruleset).
#[utoipa::path(
    post,
    path = "/api/v1/scans",
    tag = "scans",
    request_body(content(
        (UploadForm = "multipart/form-data"),
        (ObjectSubmission = "application/json"),
    )),
    responses(
        (status = 202, description = "Accepted and queued (or joined to its analysis)", body = Submitted),
        (status = 400, description = "No file, an empty one, or a bad priority", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "A viewer", body = super::ErrorBody),
        (status = 404, description = "No object under that key", body = super::ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn submit(
    State(platform): State<Platform>,
    caller: Caller,
    request: Request,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    if !caller.may_submit() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the viewer role reads; it does not submit",
        ));
    }
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let submitted = if is_json {
        let Json(body) = Json::<ObjectSubmission>::from_request(request, &platform)
            .await
            .map_err(|e| ApiError::new(e.status(), "bad-json", e.body_text()))?;
        submit_object(&platform, &caller, &body).await?
    } else {
        let multipart = Multipart::from_request(request, &platform)
            .await
            .map_err(|e| ApiError::new(e.status(), "bad-multipart", e.body_text()))?;
        submit_upload(&platform, &caller, multipart).await?
    };
    Ok((StatusCode::ACCEPTED, Json(submitted)))
}

/// A package already in the object store, under `intake/`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ObjectSubmission {
    /// Its key, under `intake/<the caller's organisation id>/`
    /// (`intake/12/com.example-1.2.apk`).
    pub object_key: String,
    /// `retest`, `normal` (default) or `bulk`.
    pub priority: Option<String>,
}

fn parse_priority(text: &str) -> Result<i64, ApiError> {
    match text.trim() {
        "retest" => Ok(PRIORITY_RETEST),
        "normal" | "" => Ok(PRIORITY_NORMAL),
        "bulk" => Ok(PRIORITY_BULK),
        other => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-priority",
            format!("priority {other:?}: expected retest, normal or bulk"),
        )),
    }
}

async fn submit_object(
    platform: &Platform,
    caller: &Caller,
    body: &ObjectSubmission,
) -> Result<Submitted, ApiError> {
    let priority = parse_priority(body.priority.as_deref().unwrap_or(""))?;
    let package = ingest_object(platform, caller, &body.object_key).await?;
    submit_artifact(platform, caller, &package, priority, "").await
}

/// A package named by its intake key, hashed and kept under its SHA-256 (the intake
/// object may be replaced later; the evidence must not be).
pub(crate) async fn ingest_object(
    platform: &Platform,
    caller: &Caller,
    key: &str,
) -> Result<Package, ApiError> {
    let key = intake_key(key)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad-object-key", format!("{e:#}")))?;
    // Each organisation drops its packages under intake/<its id>/; only the ministry
    // names any intake key.
    let own = format!("{INTAKE_PREFIX}{}/", caller.org_id);
    if !caller.sees_everything() && !key.starts_with(&own) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not-your-intake",
            format!("submit keys under {own}"),
        ));
    }
    if !platform.store.exists(key).await? {
        return Err(ApiError::not_found("object"));
    }
    let (sha256, size) = platform
        .store
        .hash(key, platform.config.max_upload_bytes)
        .await?;
    if size == 0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "empty-file",
            format!("{key} is empty"),
        ));
    }
    let artifact = artifact_key(&sha256);
    if !platform.store.exists(&artifact).await? {
        platform.store.copy(key, &artifact).await?;
    }
    Ok(Package {
        sha256,
        size,
        file_name: key.rsplit('/').next().map(crate::worker::safe_file_name),
    })
}

pub(crate) async fn submit_upload(
    platform: &Platform,
    caller: &Caller,
    mut multipart: Multipart,
) -> Result<Submitted, ApiError> {
    let bad = |code, m: String| ApiError::new(StatusCode::BAD_REQUEST, code, m);
    let mut received = None;
    let mut priority = PRIORITY_NORMAL;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad("bad-multipart", e.body_text()))?
    {
        match field.name() {
            Some("file") => {
                received = Some(receive(platform, field, platform.config.max_upload_bytes).await?)
            }
            Some("priority") => priority = parse_priority(&small_text(field, 64).await?)?,
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
    let package = Package {
        sha256: received.sha256,
        size: received.size,
        file_name: received.file_name,
    };
    submit_artifact(platform, caller, &package, priority, "").await
}

/// A package in storage under its SHA-256.
pub(crate) struct Package {
    pub sha256: String,
    pub size: u64,
    pub file_name: Option<String>,
}

/// Record the artifact, queue its analysis (joining one already there) and record the
/// caller's scan of it.
pub(crate) async fn submit_artifact(
    platform: &Platform,
    caller: &Caller,
    package: &Package,
    priority: i64,
    inputs: &str,
) -> Result<Submitted, ApiError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO artifacts (sha256, size, object_key, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&package.sha256)
    .bind(i64::try_from(package.size).unwrap_or(i64::MAX))
    .bind(artifact_key(&package.sha256))
    .bind(now)
    .execute(&platform.db.pool)
    .await?;
    let ruleset = Platform::ruleset();
    let analysis = queue::enqueue_with(
        &platform.db,
        &package.sha256,
        &ruleset,
        inputs,
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
    .bind(&package.file_name)
    .bind(now)
    .fetch_one(&platform.db.pool)
    .await?;
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({
        "sha256": package.sha256,
        "size": package.size,
        "file_name": package.file_name,
        "analysis": analysis,
        "priority": priority,
        "inputs": inputs,
    });
    audit::record(
        &platform.db,
        &caller.into(),
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
    Ok(Submitted {
        id,
        sha256: package.sha256.clone(),
        status,
    })
}

/// A short text field, refused past `max` bytes (a form field is not a second upload).
pub(crate) async fn small_text(
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
pub(crate) async fn receive(
    platform: &Platform,
    mut field: axum::extract::multipart::Field<'_>,
    max: u64,
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
                format!("the file is larger than the {} MiB limit", max >> 20),
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
     a.status, a.report_key, a.findings, a.last_error, a.error_code, a.attempts";

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
    if let Some(code) = row.try_get::<Option<String>, _>("error_code")? {
        m.insert("error_code".into(), code.into());
    }
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
    let (mut scan, report_key) = find_scan(&platform, &caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("scan"))?;
    if let Some(key) = report_key {
        scan.insert("report".into(), load_report(&platform, &key).await?);
    }
    Ok(Json(Value::Object(scan)))
}

/// A scan the caller may see, and its report's key once done.
pub(crate) async fn find_scan(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<Option<(serde_json::Map<String, Value>, Option<String>)>, ApiError> {
    let mut q = Sql::new(&format!(
        "SELECT {SCAN_COLUMNS} FROM scans s JOIN analyses a ON a.id = s.analysis_id WHERE s.id = "
    ));
    q.int(id).push(" AND ");
    scan_visible(caller, "s", &mut q);
    let Some(row) = q.fetch_optional(&platform.db.pool).await? else {
        return Ok(None);
    };
    let scan = scan_json(&row)?;
    // An unreadable input's report is kept too: it says what was tried.
    let has_report = match scan.get("status").and_then(Value::as_str) {
        Some("done") => true,
        Some("failed") => scan.contains_key("error_code"),
        _ => false,
    };
    let key = if has_report {
        row.try_get::<Option<String>, _>("report_key")?
    } else {
        None
    };
    Ok(Some((scan, key)))
}

/// A stored report, read back (bounded).
pub(crate) async fn load_report(platform: &Platform, key: &str) -> Result<Value, ApiError> {
    let bytes = platform.store.get_bytes(key, MAX_REPORT_BYTES).await?;
    Ok(serde_json::from_slice(&bytes).map_err(anyhow::Error::from)?)
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
    let scans = list_scans(&platform, &caller, 100).await?;
    let scans: Vec<Value> = scans.into_iter().map(Value::Object).collect();
    Ok(Json(serde_json::json!({ "scans": scans })))
}

/// The latest scans the caller may see, newest first.
pub(crate) async fn list_scans(
    platform: &Platform,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<serde_json::Map<String, Value>>, ApiError> {
    let mut q = Sql::new(&format!(
        "SELECT {SCAN_COLUMNS} FROM scans s JOIN analyses a ON a.id = s.analysis_id WHERE "
    ));
    scan_visible(caller, "s", &mut q);
    q.push(" ORDER BY s.id DESC LIMIT ").int(limit);
    let rows = q.fetch_all(&platform.db.pool).await?;
    Ok(rows.iter().map(scan_json).collect::<Result<Vec<_>, _>>()?)
}
