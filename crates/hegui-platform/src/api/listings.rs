//! A store's listing feed: `POST /api/v1/listings` with JSON Lines (one listing a line,
//! see docs/listing.md). Each line is kept as the store sent it; a line naming a package in
//! the object store (`object_key` under `intake/`) queues that package for analysis with
//! its listing, so the STO rules compare the two. Bad lines are reported by number and the
//! rest are taken.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use sqlx::Row;

use super::ApiError;
use super::scans::{ingest_object, submit_artifact};
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::db::now_ms;
use crate::queue::PRIORITY_BULK;

/// Largest feed taken in one request; send bigger feeds in parts.
pub const MAX_FEED_BYTES: usize = 64 << 20;

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedAccepted {
    /// Listing ids, in line order, of the lines taken.
    pub listings: Vec<i64>,
    /// Scans queued for lines with a package.
    pub scans: Vec<i64>,
    pub rejected: Vec<RejectedLine>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RejectedLine {
    /// 1-based line number.
    pub line: usize,
    pub error: String,
}

/// Take a store's listing feed (the caller's organisation is the store).
#[utoipa::path(
    post, path = "/api/v1/listings", tag = "listings",
    request_body(content = String, description = "JSON Lines, one listing a line", content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "Lines taken and rejected", body = FeedAccepted),
        (status = 403, description = "Not a store (or the ministry)", body = super::ErrorBody),
        (status = 413, description = "Larger than 64 MiB", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn intake(
    State(platform): State<Platform>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<FeedAccepted>, ApiError> {
    if !matches!(caller.org_kind.as_str(), "store" | "ministry") || !caller.may_submit() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "listing feeds come from app stores",
        ));
    }
    let mut out = FeedAccepted {
        listings: Vec::new(),
        scans: Vec::new(),
        rejected: Vec::new(),
    };
    for (i, line) in body.split(|b| *b == b'\n').enumerate() {
        let number = i + 1;
        let reject = |error: String| RejectedLine {
            line: number,
            error,
        };
        let Ok(text) = std::str::from_utf8(line) else {
            out.rejected.push(reject("not UTF-8".into()));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let listing = match hegui_scan::parse_listing(&format!("line {number}"), text) {
            Ok(l) => l,
            Err(e) => {
                out.rejected.push(reject(e.to_string()));
                continue;
            }
        };
        // The object is checked before the listing is kept, so a rejected line leaves
        // nothing behind.
        let package = match &listing.object_key {
            Some(key) => match ingest_object(&platform, &caller, key).await {
                Ok(p) => Some(p),
                Err(e) => {
                    out.rejected.push(reject(format!("{key}: {}", e.message)));
                    continue;
                }
            },
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO listings (org_id, store, package, version, developer, licence_id, line, \
             object_key, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(caller.org_id)
        .bind(&listing.facts.store)
        .bind(&listing.facts.package)
        .bind(&listing.facts.version)
        .bind(&listing.facts.developer)
        .bind(&listing.facts.licence_id)
        .bind(text)
        .bind(&listing.object_key)
        .bind(now_ms())
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("id")?;
        out.listings.push(id);
        if let Some(package) = package {
            let inputs = format!("listing:{id}");
            let scan =
                submit_artifact(&platform, &caller, &package, PRIORITY_BULK, &inputs).await?;
            sqlx::query("UPDATE listings SET scan_id = $1 WHERE id = $2")
                .bind(scan.id)
                .bind(id)
                .execute(&platform.db.pool)
                .await?;
            out.scans.push(scan.id);
        }
    }
    audit::record(
        &platform.db,
        &(&caller).into(),
        "listing.intake",
        &format!("org:{}", caller.org_id),
        serde_json::json!({
            "listings": out.listings.len(), "scans": out.scans.len(), "rejected": out.rejected.len(),
        }),
    )
    .await?;
    Ok(Json(out))
}
