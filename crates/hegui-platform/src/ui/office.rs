//! The authorities' desk work in the UI: public notices (draft, preview, publish, export)
//! and complaint triage. Like the case pages, each action calls the API's own handler with
//! the session's caller.

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Value, json};

use super::pages::{error_page, redirect};
use super::session::{self, Session};
use super::{page, when};
use crate::Platform;
use crate::api::ApiError;
use crate::api::casework as casework_api;
use crate::api::complaints::{self as complaint_api, ComplaintQuery, Triage};
use crate::api::notices::{self as notice_api, ExportQuery, NewNotice};
use crate::complaints::PROBLEMS;

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf")]
    pub csrf: String,
}

pub async fn notices(State(platform): State<Platform>, session: Session) -> Response {
    match notice_api::list(State(platform), session.caller.clone()).await {
        Ok(Json(list)) => {
            let rows: Vec<Value> = list
                .notices
                .iter()
                .map(|n| {
                    json!({
                        "id": n.id, "title": n.title, "status": n.status,
                        "items": n.items.len(), "created": when(n.created_ms),
                        "published": n.published_ms.map(when),
                    })
                })
                .collect();
            page(
                "notices.html",
                session.lang,
                Some(&session),
                json!({"notices": rows, "authority": session.caller.is_authority()}),
            )
        }
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub title: String,
}

pub async fn draft(
    State(platform): State<Platform>,
    session: Session,
    Form(form): Form<DraftForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let body = NewNotice { title: form.title };
    match notice_api::draft(State(platform), session.caller.clone(), Json(body)).await {
        Ok((_, Json(n))) => redirect(&format!("/notices/{}/preview", n.id)),
        Err(e) => error_page(e),
    }
}

/// A notice as it will print, draft or published, for those who may see it.
pub async fn preview(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let notice = match notice_api::load(&platform, Some(&session.caller), id).await {
        Ok(n) => n,
        Err(e) => return error_page(e),
    };
    let rows = notice_api::rows(&notice);
    let published = notice.published_ms.map(when).unwrap_or_default();
    page(
        "notice.html",
        session.lang,
        Some(&session),
        json!({
            "notice": notice,
            "header": rows.first(),
            "rows": rows.get(1..).unwrap_or_default(),
            "published": published.get(..10).unwrap_or_default(),
            "may_publish": session.caller.is_authority(),
        }),
    )
}

pub async fn publish(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    match notice_api::publish(State(platform), session.caller.clone(), Path(id)).await {
        Ok(_) => redirect(&format!("/notices/{id}/preview")),
        Err(e) => error_page(e),
    }
}

pub async fn export(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Response {
    match notice_api::export(
        State(platform),
        session.caller.clone(),
        Path(id),
        Query(query),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct TriageFilter {
    pub status: Option<String>,
}

pub async fn triage_page(
    State(platform): State<Platform>,
    session: Session,
    Query(filter): Query<TriageFilter>,
) -> Response {
    let lang = session.lang;
    let query = ComplaintQuery {
        status: filter.status.filter(|s| !s.is_empty()),
        app: None,
    };
    let list =
        match complaint_api::list(State(platform), session.caller.clone(), Query(query)).await {
            Ok(Json(l)) => l,
            Err(e) => return error_page(e),
        };
    let rows: Vec<Value> = list
        .complaints
        .iter()
        .map(|c| {
            let problem = PROBLEMS
                .iter()
                .find(|(id, _, _)| *id == c.problem)
                .map(|(_, zh, en)| lang.pick(zh, en))
                .unwrap_or_default();
            let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
            v["problem_label"] = json!(problem);
            let (zh, en) = crate::complaints::status_label(&c.status);
            v["status_label"] = json!(lang.pick(zh, en));
            v["created"] = json!(when(c.created_ms));
            v
        })
        .collect();
    page(
        "triage.html",
        lang,
        Some(&session),
        json!({"complaints": rows}),
    )
}

#[derive(Deserialize)]
pub struct TriageForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub status: Option<String>,
    pub merge_into: Option<String>,
    pub app_id: Option<String>,
    pub note: Option<String>,
}

/// A number typed in a form, or none when left empty.
fn number(field: Option<&str>) -> Result<Option<i64>, ApiError> {
    match field.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-number",
                format!("{s:?} is not a number"),
            )
        }),
    }
}

pub async fn triage(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TriageForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let (merge_into, app_id) = match (
        number(form.merge_into.as_deref()),
        number(form.app_id.as_deref()),
    ) {
        (Ok(m), Ok(a)) => (m, a),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let body = Triage {
        status: form.status.filter(|s| !s.is_empty()),
        merge_into,
        app_id,
        note: form.note,
    };
    match complaint_api::triage(
        State(platform),
        session.caller.clone(),
        Path(id),
        Json(body),
    )
    .await
    {
        Ok(_) => redirect("/triage"),
        Err(e) => error_page(e),
    }
}

/// A document attached to a case from its page (the script sends the CSRF header).
pub async fn attach(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let multipart = match session::csrf_multipart(&session, &platform, request).await {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    match casework_api::attach(State(platform), session.caller.clone(), Path(id), multipart).await {
        Ok((status, body)) => (status, body).into_response(),
        Err(e) => e.into_response(),
    }
}
