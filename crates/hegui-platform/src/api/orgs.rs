//! Organisations and users: `GET/POST /api/v1/orgs`, `POST /api/v1/users`.
//!
//! The ministry's admin creates any organisation; a bureau's admin creates enterprises,
//! labs and stores in its own province. An admin adds users to the organisations it may
//! manage (its own; a bureau's admin also its province's).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::ApiError;
use crate::Platform;
use crate::auth::{self, Caller};
use crate::scope::may_manage_org;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    pub name: String,
    /// `ministry`, `bureau`, `lab`, `enterprise` or `store`.
    pub kind: String,
    /// Required for bureaus; the province of an enterprise, lab or store.
    pub province: Option<String>,
    /// Unified social credit code (enterprises): store listings under this code are theirs.
    pub credit_code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub province: Option<String>,
    pub credit_code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrgList {
    pub orgs: Vec<OrgView>,
}

fn forbidden(m: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", m)
}

fn bad(code: &'static str, m: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, m)
}

/// Create an organisation.
#[utoipa::path(
    post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrg,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "A bad kind, a bureau without province, a name taken", body = super::ErrorBody),
        (status = 403, description = "Not the caller's to create", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn create_org(
    State(platform): State<Platform>,
    caller: Caller,
    Json(body): Json<NewOrg>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if caller.role != "admin" {
        return Err(forbidden("creating organisations takes the admin role"));
    }
    let province = body
        .province
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if !caller.sees_everything() {
        let own_province = caller.org_kind == "bureau"
            && caller.province.is_some()
            && province == caller.province.as_deref();
        if !own_province || !matches!(body.kind.as_str(), "enterprise" | "lab" | "store") {
            return Err(forbidden(
                "the ministry creates organisations; a bureau, enterprises, labs and stores of its province",
            ));
        }
    }
    if !auth::ORG_KINDS.contains(&body.kind.as_str()) {
        return Err(bad(
            "bad-kind",
            format!(
                "kind {:?}: expected one of {:?}",
                body.kind,
                auth::ORG_KINDS
            ),
        ));
    }
    if body.kind == "bureau" && province.is_none() {
        return Err(bad("no-province", "a bureau has a province".into()));
    }
    let name = unused_name(&platform, NameKind::Org, &body.name).await?;
    let id = auth::create_org_with_code(
        &platform.db,
        &(&caller).into(),
        &name,
        &body.kind,
        province,
        body.credit_code.as_deref().filter(|c| !c.trim().is_empty()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The organisations the caller may manage.
#[utoipa::path(
    get, path = "/api/v1/orgs", tag = "orgs",
    responses((status = 200, description = "Organisations", body = OrgList)),
    security(("bearer" = []))
)]
pub async fn list_orgs(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<OrgList>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, name, kind, province, credit_code FROM orgs ORDER BY id LIMIT 10000",
    )
    .fetch_all(&platform.db.pool)
    .await?;
    let mut orgs = Vec::new();
    for r in rows {
        let org = OrgView {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            province: r.try_get("province")?,
            credit_code: r.try_get("credit_code")?,
        };
        if may_manage_org(&caller, org.id, org.province.as_deref()) {
            orgs.push(org);
        }
    }
    Ok(Json(OrgList { orgs }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub org_id: i64,
    pub username: String,
    /// At least 8 characters.
    pub password: String,
    /// `admin`, `regulator`, `tester`, `operator`, `viewer` or `triage` (complaints).
    pub role: String,
    /// Where notifications are mailed; none for in-app messages only.
    pub email: Option<String>,
}

/// Create a user in an organisation the caller's admin manages.
#[utoipa::path(
    post, path = "/api/v1/users", tag = "orgs", request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "A bad role, a short password, a name taken", body = super::ErrorBody),
        (status = 403, description = "Not the caller's organisation to manage", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn create_user(
    State(platform): State<Platform>,
    caller: Caller,
    Json(body): Json<NewUser>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if caller.role != "admin" {
        return Err(forbidden("creating users takes the admin role"));
    }
    let org = sqlx::query("SELECT province FROM orgs WHERE id = $1")
        .bind(body.org_id)
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let province: Option<String> = org.try_get("province")?;
    if !may_manage_org(&caller, body.org_id, province.as_deref()) {
        return Err(ApiError::not_found("organisation"));
    }
    if !auth::ROLES.contains(&body.role.as_str()) {
        return Err(bad(
            "bad-role",
            format!("role {:?}: expected one of {:?}", body.role, auth::ROLES),
        ));
    }
    if body.password.chars().count() < 8 {
        return Err(bad(
            "weak-password",
            "a password has at least 8 characters".into(),
        ));
    }
    let email = body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(email) = email
        && crate::mail::check_address(email).is_err()
    {
        return Err(bad("bad-email", format!("{email:?} is not a mail address")));
    }
    let username = unused_name(&platform, NameKind::User, &body.username).await?;
    let id = auth::create_user(
        &platform.db,
        &(&caller).into(),
        body.org_id,
        &username,
        &body.password,
        &body.role,
    )
    .await?;
    auth::set_email(&platform.db, id, email).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

enum NameKind {
    Org,
    User,
}

/// A new organisation's or user's name, trimmed, of a sensible length and not yet taken.
async fn unused_name(platform: &Platform, kind: NameKind, name: &str) -> Result<String, ApiError> {
    let (sql, max, what) = match kind {
        NameKind::Org => (
            "SELECT id FROM orgs WHERE name = $1",
            200,
            "organisation name",
        ),
        NameKind::User => ("SELECT id FROM users WHERE username = $1", 100, "username"),
    };
    let name = name.trim();
    if name.is_empty() || name.len() > max {
        return Err(bad("bad-name", format!("a {what} of 1 to {max} bytes")));
    }
    let taken = sqlx::query(sql)
        .bind(name)
        .fetch_optional(&platform.db.pool)
        .await?
        .is_some();
    if taken {
        return Err(bad("name-taken", format!("the {what} {name:?} is taken")));
    }
    Ok(name.to_string())
}
