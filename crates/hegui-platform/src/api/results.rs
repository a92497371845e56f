//! Results of other engines: `POST /api/v1/versions/{id}/results?engine=NAME` with a SARIF
//! 2.1.0 log or a hegui report as the body. The body is kept as evidence (by SHA-256) and
//! its findings are recorded on the version under the engine's name, next to hegui's own.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ApiError;
use super::apps::visible_version;
use crate::Platform;
use crate::audit;
use crate::auth::{Caller, sha256_hex};
use crate::domain::{self, FindingRow, ResultSource};

/// Largest result accepted.
pub const MAX_RESULT_BYTES: usize = 64 << 20;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The engine's name, shown with its findings (`lab-x-dynamic`). Default: the tool
    /// name the log gives. `hegui` is reserved for this platform's own scans.
    pub engine: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub result_id: i64,
    pub engine: String,
    /// `sarif` or `hegui-report`.
    pub format: String,
    pub findings: usize,
}

/// Attach another engine's results to a version.
#[utoipa::path(
    post, path = "/api/v1/versions/{id}/results", tag = "apps",
    params(("id" = i64, Path, description = "Version id"), ImportQuery),
    request_body(content = Object, description = "A SARIF 2.1.0 log or a hegui-report/1", content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded", body = Imported),
        (status = 400, description = "Neither SARIF nor a hegui report", body = super::ErrorBody),
        (status = 403, description = "The caller's role does not import results", body = super::ErrorBody),
        (status = 404, description = "No such version for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn import(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    if !caller.may_import() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "importing results takes the admin, regulator or tester role",
        ));
    }
    let version = visible_version(&platform, &caller, id).await?;
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, "bad-result", m);
    let log: Value = serde_json::from_slice(&body).map_err(|e| bad(format!("not JSON: {e}")))?;
    let (format, named, findings) = parse_result(&log).map_err(|e| bad(format!("{e:#}")))?;
    let engine = query
        .engine
        .or(named)
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty() && e.len() <= 64)
        .ok_or_else(|| bad("name the engine: ?engine=NAME (at most 64 bytes)".into()))?;
    if engine == "hegui" {
        return Err(bad(
            "`hegui` names this platform's own scans; label the import with its engine".into(),
        ));
    }
    let sha = sha256_hex(&body);
    let key = format!("imports/{}/{sha}.json", sha.get(..2).unwrap_or("00"));
    if !platform.store.exists(&key).await? {
        platform.store.put_bytes(&key, body.to_vec()).await?;
    }
    let mut tx = platform.db.pool.begin().await?;
    let source = ResultSource {
        engine: &engine,
        format,
        analysis_id: None,
        report_key: &key,
        report_sha256: &sha,
        imported_by: Some(caller.user_id),
    };
    let result =
        domain::record_result(&mut tx, version.app_id, version.id, &source, &findings).await?;
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "result.import",
        &format!("version:{id}"),
        serde_json::json!({"engine": engine, "format": format, "sha256": sha, "findings": findings.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(Imported {
            result_id: result,
            engine,
            format: format.to_string(),
            findings: findings.len(),
        }),
    ))
}

/// (format, the engine's own name, findings) of a SARIF log or a hegui report.
fn parse_result(log: &Value) -> anyhow::Result<(&'static str, Option<String>, Vec<FindingRow>)> {
    if log.get("schema").and_then(Value::as_str) == Some(hegui_model::REPORT_SCHEMA) {
        let report: hegui_model::Report = serde_json::from_value(log.clone())
            .map_err(|e| anyhow::anyhow!("a hegui report that does not read: {e}"))?;
        let name = Some(report.tool.name.clone());
        return Ok(("hegui-report", name, domain::finding_rows(&report)));
    }
    if log.get("runs").is_some() {
        let name = log
            .pointer("/runs/0/tool/driver/name")
            .and_then(Value::as_str)
            .map(str::to_string);
        return Ok(("sarif", name, domain::sarif_findings(log)?));
    }
    anyhow::bail!("neither SARIF 2.1.0 (`runs`) nor a hegui report (`schema`)")
}
