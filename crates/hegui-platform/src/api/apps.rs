//! Apps, versions and findings, scoped to the caller (see [`crate::scope`]):
//! `GET /api/v1/apps`, `GET /api/v1/apps/{id}`, `PUT /api/v1/apps/{id}/owner`,
//! `GET /api/v1/versions/{id}`, `GET /api/v1/findings`. Ids outside the caller's scope
//! answer 404, like ids that do not exist.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::ApiError;
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::scope::{app_visible, may_manage_org, version_visible};
use crate::sql::Sql;

/// Most rows one request returns.
pub const MAX_ROWS: i64 = 500;

#[derive(Serialize, utoipa::ToSchema)]
pub struct AppView {
    pub id: i64,
    /// `android`, `ios`, `wechat_miniprogram`, …
    pub platform: String,
    /// Package name, bundle id or appid.
    pub package: String,
    pub name: Option<String>,
    pub owner_org_id: Option<i64>,
    pub owner: Option<String>,
    pub versions: i64,
    /// Current findings over all its versions and engines.
    pub findings: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AppList {
    pub apps: Vec<AppView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AppQuery {
    /// Part of the package name or app name.
    pub q: Option<String>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

const APP_COLUMNS: &str = "a.id, a.platform, a.app_key, a.name, a.owner_org_id, o.name AS owner, \
     (SELECT COUNT(*) FROM versions v WHERE v.app_id = a.id) AS versions, \
     (SELECT COUNT(*) FROM findings f WHERE f.app_id = a.id) AS findings";

fn app_view(r: &AnyRow) -> Result<AppView, sqlx::Error> {
    Ok(AppView {
        id: r.try_get("id")?,
        platform: r.try_get("platform")?,
        package: r.try_get("app_key")?,
        name: r.try_get("name")?,
        owner_org_id: r.try_get("owner_org_id")?,
        owner: r.try_get("owner")?,
        versions: r.try_get("versions")?,
        findings: r.try_get("findings")?,
    })
}

pub(crate) fn limit(asked: Option<i64>) -> i64 {
    asked.unwrap_or(100).clamp(1, MAX_ROWS)
}

/// The apps the caller may see, most recently created first.
#[utoipa::path(
    get, path = "/api/v1/apps", tag = "apps", params(AppQuery),
    responses(
        (status = 200, description = "Apps in the caller's scope", body = AppList),
        (status = 401, description = "No valid token", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<AppQuery>,
) -> Result<Json<AppList>, ApiError> {
    Ok(Json(AppList {
        apps: list_apps(&platform, &caller, &query).await?,
    }))
}

pub async fn list_apps(
    platform: &Platform,
    caller: &Caller,
    query: &AppQuery,
) -> Result<Vec<AppView>, ApiError> {
    let mut q = Sql::new(&format!(
        "SELECT {APP_COLUMNS} FROM apps a LEFT JOIN orgs o ON o.id = a.owner_org_id WHERE "
    ));
    app_visible(caller, "a", &mut q);
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        q.push(" AND (a.app_key LIKE ")
            .text(&pattern)
            .push(" OR a.name LIKE ")
            .text(&pattern)
            .push(")");
    }
    q.push(" ORDER BY a.id DESC LIMIT ").int(limit(query.limit));
    let rows = q.fetch_all(&platform.db.pool).await?;
    Ok(rows.iter().map(app_view).collect::<Result<_, _>>()?)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub id: i64,
    pub app_id: i64,
    pub version: Option<String>,
    pub sha256: String,
    /// SHA-256 of the signing certificate (Android).
    pub signer_sha256: Option<String>,
    pub created_ms: i64,
    pub results: Vec<ResultView>,
    pub sdks: Vec<SdkView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResultView {
    pub id: i64,
    /// `hegui`, or the name another engine's import was labelled with.
    pub engine: String,
    /// `hegui-report` or `sarif`.
    pub format: String,
    pub findings: i64,
    pub created_ms: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SdkView {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AppDetail {
    pub app: AppView,
    /// The versions the caller may see, newest first.
    pub versions: Vec<VersionView>,
}

/// An app and its versions, each with its engines' results and its SDKs.
#[utoipa::path(
    get, path = "/api/v1/apps/{id}", tag = "apps",
    params(("id" = i64, Path, description = "App id")),
    responses(
        (status = 200, description = "The app", body = AppDetail),
        (status = 404, description = "No such app for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<AppDetail>, ApiError> {
    Ok(Json(app_detail(&platform, &caller, id).await?))
}

pub async fn app_detail(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<AppDetail, ApiError> {
    let mut q = Sql::new(&format!(
        "SELECT {APP_COLUMNS} FROM apps a LEFT JOIN orgs o ON o.id = a.owner_org_id WHERE a.id = "
    ));
    q.int(id).push(" AND ");
    app_visible(caller, "a", &mut q);
    let app = q
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("app"))?;
    let app = app_view(&app)?;
    let mut q = Sql::new("SELECT v.id FROM versions v WHERE v.app_id = ");
    q.int(id).push(" AND ");
    version_visible(caller, "v", &mut q);
    q.push(" ORDER BY v.id DESC LIMIT ").int(MAX_ROWS);
    let mut versions = Vec::new();
    for row in q.fetch_all(&platform.db.pool).await? {
        versions.push(version_view(platform, row.try_get("id")?).await?);
    }
    Ok(AppDetail { app, versions })
}

async fn version_view(platform: &Platform, id: i64) -> Result<VersionView, ApiError> {
    let pool = &platform.db.pool;
    let v = sqlx::query(
        "SELECT id, app_id, version, artifact_sha256, signer_sha256, created_ms FROM versions WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let results = sqlx::query(
        "SELECT id, engine, format, findings, created_ms FROM results WHERE version_id = $1 \
         ORDER BY id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(ResultView {
            id: r.try_get("id")?,
            engine: r.try_get("engine")?,
            format: r.try_get("format")?,
            findings: r.try_get("findings")?,
            created_ms: r.try_get("created_ms")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let sdks = sqlx::query(
        "SELECT sdk_id, name, vendor, category FROM version_sdks WHERE version_id = $1 ORDER BY sdk_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(SdkView {
            id: r.try_get("sdk_id")?,
            name: r.try_get("name")?,
            vendor: r.try_get("vendor")?,
            category: r.try_get("category")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(VersionView {
        id: v.try_get("id")?,
        app_id: v.try_get("app_id")?,
        version: v.try_get("version")?,
        sha256: v.try_get("artifact_sha256")?,
        signer_sha256: v.try_get("signer_sha256")?,
        created_ms: v.try_get("created_ms")?,
        results,
        sdks,
    })
}

/// The version row if the caller may see it, else 404.
pub(crate) async fn visible_version(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<VersionView, ApiError> {
    let mut q = Sql::new("SELECT v.id FROM versions v WHERE v.id = ");
    q.int(id).push(" AND ");
    version_visible(caller, "v", &mut q);
    if q.fetch_optional(&platform.db.pool).await?.is_none() {
        return Err(ApiError::not_found("version"));
    }
    version_view(platform, id).await
}

/// A version: its results and SDKs.
#[utoipa::path(
    get, path = "/api/v1/versions/{id}", tag = "apps",
    params(("id" = i64, Path, description = "Version id")),
    responses(
        (status = 200, description = "The version", body = VersionView),
        (status = 404, description = "No such version for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show_version(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<VersionView>, ApiError> {
    Ok(Json(visible_version(&platform, &caller, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct FindingQuery {
    pub app: Option<i64>,
    pub version: Option<i64>,
    /// Rule code (`AND001`).
    pub rule: Option<String>,
    /// SDK catalogue id (`umeng`): findings whose party is that SDK.
    pub sdk: Option<String>,
    /// Catalogue item cited (`MIIT164-05`).
    pub cite: Option<String>,
    /// This severity or worse: `info`, `low`, `medium`, `high`, `critical`.
    pub severity: Option<String>,
    pub engine: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FindingView {
    pub id: i64,
    pub app_id: i64,
    pub version_id: i64,
    pub engine: String,
    pub code: String,
    pub severity: String,
    /// `app`, `sdk:<id>` or `unknown`.
    pub party: String,
    pub pi: Option<String>,
    pub fingerprint: String,
    pub title_zh: String,
    pub title_en: String,
    pub message_zh: String,
    pub message_en: String,
    pub cites: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FindingList {
    pub findings: Vec<FindingView>,
}

/// Current findings in the caller's scope, filtered, worst first.
#[utoipa::path(
    get, path = "/api/v1/findings", tag = "apps", params(FindingQuery),
    responses(
        (status = 200, description = "Findings", body = FindingList),
        (status = 400, description = "An unknown severity", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn findings(
    State(platform): State<Platform>,
    caller: Caller,
    Query(query): Query<FindingQuery>,
) -> Result<Json<FindingList>, ApiError> {
    Ok(Json(FindingList {
        findings: query_findings(&platform, &caller, &query).await?,
    }))
}

pub async fn query_findings(
    platform: &Platform,
    caller: &Caller,
    query: &FindingQuery,
) -> Result<Vec<FindingView>, ApiError> {
    let mut q = Sql::new(
        "SELECT f.id, f.app_id, f.version_id, f.engine, f.code, f.severity, f.party, f.pi, \
         f.fingerprint, f.title_zh, f.title_en, f.message_zh, f.message_en, f.cites \
         FROM findings f JOIN versions v ON v.id = f.version_id WHERE ",
    );
    version_visible(caller, "v", &mut q);
    if let Some(app) = query.app {
        q.push(" AND f.app_id = ").int(app);
    }
    if let Some(version) = query.version {
        q.push(" AND f.version_id = ").int(version);
    }
    if let Some(rule) = &query.rule {
        q.push(" AND f.code = ").text(rule);
    }
    if let Some(sdk) = &query.sdk {
        q.push(" AND f.sdk = ").text(sdk);
    }
    if let Some(engine) = &query.engine {
        q.push(" AND f.engine = ").text(engine);
    }
    if let Some(cite) = &query.cite {
        q.push(
            " AND EXISTS (SELECT 1 FROM finding_cites c WHERE c.result_id = f.result_id \
             AND c.ordinal = f.ordinal AND c.cite = ",
        )
        .text(cite)
        .push(")");
    }
    if let Some(severity) = &query.severity {
        let s = hegui_model::Severity::parse(severity).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-severity",
                format!("severity {severity:?}: expected info, low, medium, high or critical"),
            )
        })?;
        q.push(" AND f.severity_rank >= ")
            .int(crate::domain::severity_rank(s));
    }
    q.push(" ORDER BY f.severity_rank DESC, f.id LIMIT ")
        .int(limit(query.limit));
    let rows = q.fetch_all(&platform.db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let cites: String = r.try_get("cites")?;
        out.push(FindingView {
            id: r.try_get("id")?,
            app_id: r.try_get("app_id")?,
            version_id: r.try_get("version_id")?,
            engine: r.try_get("engine")?,
            code: r.try_get("code")?,
            severity: r.try_get("severity")?,
            party: r.try_get("party")?,
            pi: r.try_get("pi")?,
            fingerprint: r.try_get("fingerprint")?,
            title_zh: r.try_get("title_zh")?,
            title_en: r.try_get("title_en")?,
            message_zh: r.try_get("message_zh")?,
            message_en: r.try_get("message_en")?,
            cites: cites
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(out)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OwnerBody {
    /// The enterprise that operates the app.
    pub org_id: i64,
}

/// Name the enterprise that owns an app (an authority's act: the ministry, or the bureau of
/// the enterprise's province). The owner then sees every version of the app.
#[utoipa::path(
    put, path = "/api/v1/apps/{id}/owner", tag = "apps",
    params(("id" = i64, Path, description = "App id")),
    request_body = OwnerBody,
    responses(
        (status = 204, description = "Owner set"),
        (status = 403, description = "Not an authority over that enterprise", body = super::ErrorBody),
        (status = 404, description = "No such app or enterprise", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn set_owner(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<OwnerBody>,
) -> Result<StatusCode, ApiError> {
    let forbidden = || {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the ministry, or the bureau of the enterprise's province, names an app's owner",
        )
    };
    if !caller.is_authority() {
        return Err(forbidden());
    }
    app_detail(&platform, &caller, id).await?;
    let org = sqlx::query("SELECT kind, province FROM orgs WHERE id = $1")
        .bind(body.org_id)
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let kind: String = org.try_get("kind")?;
    let province: Option<String> = org.try_get("province")?;
    if kind != "enterprise" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "not-enterprise",
            "an app's owner is an enterprise",
        ));
    }
    if !may_manage_org(&caller, body.org_id, province.as_deref()) {
        return Err(forbidden());
    }
    let mut tx = platform.db.pool.begin().await?;
    sqlx::query("UPDATE apps SET owner_org_id = $1 WHERE id = $2")
        .bind(body.org_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "app.owner",
        &format!("app:{id}"),
        serde_json::json!({"org": body.org_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
