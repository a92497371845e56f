//! The SDK view: which apps embed which SDK, and the findings each SDK (and each SDK
//! vendor) is responsible for, so SDK providers can be handled like apps.
//! `GET /api/v1/sdks`, `GET /api/v1/sdks/{id}`; scoped like everything else.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sqlx::Row;

use super::ApiError;
use crate::Platform;
use crate::auth::Caller;
use crate::scope::version_visible;
use crate::sql::Sql;

#[derive(Serialize, utoipa::ToSchema)]
pub struct SdkSummary {
    /// Catalogue id (`umeng`); findings name it as `sdk:<id>`.
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    /// Apps with a version embedding it.
    pub apps: i64,
    pub versions: i64,
    /// Current findings whose responsible party is this SDK.
    pub findings: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VendorSummary {
    pub vendor: String,
    pub sdks: Vec<String>,
    pub apps: i64,
    pub findings: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SdkOverview {
    /// Most findings first.
    pub sdks: Vec<SdkSummary>,
    pub vendors: Vec<VendorSummary>,
}

/// Findings of each SDK in the caller's scope.
async fn findings_by_sdk(
    platform: &Platform,
    caller: &Caller,
) -> Result<BTreeMap<String, i64>, ApiError> {
    let mut q = Sql::new(
        "SELECT f.sdk, COUNT(*) AS n FROM findings f JOIN versions v ON v.id = f.version_id \
         WHERE f.sdk IS NOT NULL AND ",
    );
    version_visible(caller, "v", &mut q);
    q.push(" GROUP BY f.sdk");
    let mut out = BTreeMap::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        out.insert(r.try_get::<String, _>("sdk")?, r.try_get::<i64, _>("n")?);
    }
    Ok(out)
}

/// Every SDK found in the caller's apps, and every SDK vendor.
#[utoipa::path(
    get, path = "/api/v1/sdks", tag = "sdks",
    responses((status = 200, description = "SDKs and vendors", body = SdkOverview)),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<SdkOverview>, ApiError> {
    let findings = findings_by_sdk(&platform, &caller).await?;
    let mut q = Sql::new(
        "SELECT vs.sdk_id, MAX(vs.name) AS name, MAX(vs.vendor) AS vendor, \
         MAX(vs.category) AS category, COUNT(DISTINCT v.app_id) AS apps, \
         COUNT(DISTINCT v.id) AS versions \
         FROM version_sdks vs JOIN versions v ON v.id = vs.version_id WHERE ",
    );
    version_visible(&caller, "v", &mut q);
    q.push(" GROUP BY vs.sdk_id");
    let mut sdks = Vec::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        let id: String = r.try_get("sdk_id")?;
        sdks.push(SdkSummary {
            findings: findings.get(&id).copied().unwrap_or(0),
            id,
            name: r.try_get("name")?,
            vendor: r.try_get("vendor")?,
            category: r.try_get("category")?,
            apps: r.try_get("apps")?,
            versions: r.try_get("versions")?,
        });
    }
    sdks.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.id.cmp(&b.id)));
    // Apps per vendor are counted distinct in SQL (an app embedding two SDKs of one vendor
    // counts once); findings add up, as each finding has one responsible SDK.
    let mut q = Sql::new(
        "SELECT vs.vendor, COUNT(DISTINCT v.app_id) AS apps \
         FROM version_sdks vs JOIN versions v ON v.id = vs.version_id WHERE ",
    );
    version_visible(&caller, "v", &mut q);
    q.push(" GROUP BY vs.vendor");
    let mut vendors = Vec::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        let vendor: String = r.try_get("vendor")?;
        let own: Vec<&SdkSummary> = sdks.iter().filter(|s| s.vendor == vendor).collect();
        vendors.push(VendorSummary {
            sdks: own.iter().map(|s| s.id.clone()).collect(),
            findings: own.iter().map(|s| s.findings).sum(),
            apps: r.try_get("apps")?,
            vendor,
        });
    }
    vendors.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.vendor.cmp(&b.vendor)));
    Ok(Json(SdkOverview { sdks, vendors }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SdkApp {
    pub app_id: i64,
    pub package: String,
    pub name: Option<String>,
    /// Its versions that embed the SDK.
    pub versions: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleCount {
    pub code: String,
    pub count: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SdkDetail {
    pub id: String,
    pub apps: Vec<SdkApp>,
    /// This SDK's findings by rule, most first.
    pub findings_by_rule: Vec<RuleCount>,
}

/// One SDK: the apps embedding it and its findings by rule.
#[utoipa::path(
    get, path = "/api/v1/sdks/{id}", tag = "sdks",
    params(("id" = String, Path, description = "SDK catalogue id")),
    responses(
        (status = 200, description = "The SDK", body = SdkDetail),
        (status = 404, description = "In none of the caller's apps", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<SdkDetail>, ApiError> {
    let mut q = Sql::new(
        "SELECT a.id, a.app_key, a.name, COUNT(DISTINCT v.id) AS versions \
         FROM version_sdks vs JOIN versions v ON v.id = vs.version_id \
         JOIN apps a ON a.id = v.app_id WHERE vs.sdk_id = ",
    );
    q.text(&id).push(" AND ");
    version_visible(&caller, "v", &mut q);
    q.push(" GROUP BY a.id, a.app_key, a.name ORDER BY a.id LIMIT 1000");
    let apps = q
        .fetch_all(&platform.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SdkApp {
                app_id: r.try_get("id")?,
                package: r.try_get("app_key")?,
                name: r.try_get("name")?,
                versions: r.try_get("versions")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    if apps.is_empty() {
        return Err(ApiError::not_found("SDK"));
    }
    let mut q = Sql::new(
        "SELECT f.code, COUNT(*) AS n FROM findings f JOIN versions v ON v.id = f.version_id \
         WHERE f.sdk = ",
    );
    q.text(&id).push(" AND ");
    version_visible(&caller, "v", &mut q);
    q.push(" GROUP BY f.code ORDER BY n DESC, f.code");
    let findings_by_rule = q
        .fetch_all(&platform.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RuleCount {
                code: r.try_get("code")?,
                count: r.try_get("n")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(SdkDetail {
        id,
        apps,
        findings_by_rule,
    }))
}
