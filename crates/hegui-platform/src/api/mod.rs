//! The REST API (`/api/v1/…`): JSON in and out, bearer tokens, errors as
//! `{"error": {"code", "message"}}` with a matching HTTP status.

pub mod apps;
pub(crate) mod cases;
pub(crate) mod casework;
pub(crate) mod clues;
pub(crate) mod complaints;
mod listings;
mod login;
pub(crate) mod messages;
pub(crate) mod notices;
mod orgs;
mod results;
pub mod scans;
mod sdks;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::Platform;
use crate::auth::{Caller, caller_for_token};

/// A form carrying one document and a few fields.
const DOCUMENT_FORM_LIMIT: usize = (casework::MAX_DOCUMENT_BYTES as usize) + (1 << 20);

pub fn router(platform: Platform) -> Router {
    let upload_limit = usize::try_from(platform.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        // Room for the multipart envelope around the file.
        .saturating_add(1 << 20);
    Router::new()
        .route("/api/v1/auth/login", post(login::login))
        .route(
            "/api/v1/scans",
            post(scans::submit)
                .get(scans::list)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/api/v1/scans/{id}", get(scans::show))
        .route("/api/v1/apps", get(apps::list))
        .route("/api/v1/apps/{id}", get(apps::show))
        .route("/api/v1/apps/{id}/owner", put(apps::set_owner))
        .route("/api/v1/versions/{id}", get(apps::show_version))
        .route(
            "/api/v1/versions/{id}/results",
            post(results::import).layer(DefaultBodyLimit::max(results::MAX_RESULT_BYTES)),
        )
        .route("/api/v1/findings", get(apps::findings))
        .route(
            "/api/v1/listings",
            post(listings::intake).layer(DefaultBodyLimit::max(listings::MAX_FEED_BYTES)),
        )
        .route("/api/v1/orgs", get(orgs::list_orgs).post(orgs::create_org))
        .route("/api/v1/users", post(orgs::create_user))
        .route("/api/v1/cases", post(cases::open).get(cases::list))
        .route("/api/v1/cases/{id}", get(cases::show))
        .route("/api/v1/cases/{id}/transitions", post(cases::transition))
        .route("/api/v1/cases/{id}/retest", post(cases::retest))
        .route("/api/v1/cases/{id}/escalations", post(casework::escalate))
        .route(
            "/api/v1/cases/{id}/documents",
            post(casework::attach).layer(DefaultBodyLimit::max(DOCUMENT_FORM_LIMIT)),
        )
        .route(
            "/api/v1/cases/{id}/rectification",
            post(casework::rectification).layer(DefaultBodyLimit::max(
                upload_limit.saturating_add(DOCUMENT_FORM_LIMIT),
            )),
        )
        .route("/api/v1/documents/{id}", get(casework::download))
        .route("/api/v1/recurrences", get(cases::recurrences))
        .route("/api/v1/messages", get(messages::list))
        .route("/api/v1/messages/{id}/read", post(messages::mark_read))
        .route("/api/v1/clues", post(clues::file).get(clues::list))
        .route("/api/v1/clues/{id}", get(clues::show))
        .route(
            "/api/v1/clues/{id}/documents",
            post(clues::attach).layer(DefaultBodyLimit::max(DOCUMENT_FORM_LIMIT * 5)),
        )
        .route(
            "/api/v1/clues/{id}/scan",
            post(clues::scan).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/api/v1/clue-periods/{period}", get(clues::period))
        .route("/api/v1/complaints", get(complaints::list))
        .route("/api/v1/complaints/summary", get(complaints::summary))
        .route("/api/v1/complaints/{id}", get(complaints::show))
        .route("/api/v1/complaints/{id}/triage", post(complaints::triage))
        .route("/api/v1/notices", post(notices::draft).get(notices::list))
        .route("/api/v1/notices/{id}", get(notices::show))
        .route(
            "/api/v1/notices/{id}/items/{ordinal}",
            delete(notices::drop_item),
        )
        .route("/api/v1/notices/{id}/publish", post(notices::publish))
        .route("/api/v1/notices/{id}/export", get(notices::export))
        .route("/api/v1/sdks", get(sdks::list))
        .route("/api/v1/sdks/{id}", get(sdks::show))
        .route("/api/openapi.json", get(openapi_json))
        .route("/healthz", get(|| async { "ok" }))
        .merge(crate::ui::router(&platform))
        .with_state(platform)
}

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "hegui platform API", description = "合规 hegui: submit packages, read their reports."),
    paths(
        login::login, scans::submit, scans::show, scans::list,
        apps::list, apps::show, apps::set_owner, apps::show_version, apps::findings,
        results::import, listings::intake, orgs::create_org, orgs::list_orgs, orgs::create_user,
        cases::open, cases::list, cases::show, cases::transition, cases::retest,
        cases::recurrences, sdks::list, sdks::show,
        casework::escalate, casework::attach, casework::rectification, casework::download,
        messages::list, messages::mark_read,
        clues::file, clues::list, clues::show, clues::attach, clues::scan, clues::period,
        complaints::list, complaints::summary, complaints::show, complaints::triage,
        notices::draft, notices::list, notices::show, notices::drop_item, notices::publish,
        notices::export,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Log in"),
        (name = "scans", description = "Submit packages and read reports"),
        (name = "apps", description = "Apps, versions, findings; other engines' results"),
        (name = "listings", description = "App stores' listing feeds"),
        (name = "orgs", description = "Organisations and users"),
        (name = "cases", description = "Rectification cases, deadlines in working days"),
        (name = "sdks", description = "Which apps embed which SDK; findings per SDK and vendor"),
        (name = "messages", description = "In-app notifications"),
        (name = "clues", description = "Provincial bureaus' monthly violation clues"),
        (name = "complaints", description = "Triage of the public's complaints (filed on /complaints)"),
        (name = "notices", description = "Public notices: drafted, reviewed, published, exported"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    Json(ApiDoc::openapi())
}

/// The body of every error answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the answer, which is built as JSON
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the answer, which is built as JSON
pub struct ErrorDetail {
    /// Stable, for programs: `unauthorized`, `not-found`, `too-large`, …
    code: String,
    /// For people.
    message: String,
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("{what} not found"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// Anything unexpected is a 500 with its message (logged too); details of the database
/// are not secrets here, but passwords never reach an error message.
impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        eprintln!("hegui serve: {e:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("{e:#}"),
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::from(anyhow::Error::from(e))
    }
}

/// A typed text (a note, a statement): trimmed, none when empty, refused with `code` past
/// `max` bytes.
pub(crate) fn typed_text<'a>(
    value: Option<&'a str>,
    what: &str,
    max: usize,
    code: &'static str,
) -> Result<Option<&'a str>, ApiError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.len() > max {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            code,
            format!("{what}: at most {max} bytes"),
        ));
    }
    Ok(Some(v))
}

/// The caller, from `Authorization: Bearer TOKEN`; 401 without a valid one.
impl FromRequestParts<Platform> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, ApiError> {
        let unauthorized =
            |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m.to_string());
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| unauthorized("log in first: Authorization: Bearer TOKEN"))?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthorized("expected Authorization: Bearer TOKEN"))?;
        caller_for_token(&platform.db, token)
            .await?
            .ok_or_else(|| unauthorized("the token is unknown or has expired"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    /// Every `$ref` of the OpenAPI document names a schema it defines, and every route of
    /// the workflow is documented: clients generated from it must compile.
    #[test]
    fn the_openapi_document_is_whole() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap();
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{r} is not defined"
            );
        }
        for path in [
            "/api/v1/cases/{id}/escalations",
            "/api/v1/cases/{id}/rectification",
            "/api/v1/clue-periods/{period}",
            "/api/v1/complaints/{id}/triage",
            "/api/v1/notices/{id}/export",
            "/api/v1/messages",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
        }
    }
}
