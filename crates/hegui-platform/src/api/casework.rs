//! The work on a case besides its moves: `POST /api/v1/cases/{id}/escalations` (the
//! authority takes the next escalation step), `POST /api/v1/cases/{id}/documents` (a
//! decision, statement or evidence file), `POST /api/v1/cases/{id}/rectification` (the
//! operator's rectified version and statement; the worker re-tests it when scanned), and
//! `GET /api/v1/documents/{id}`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::ApiError;
use super::cases::{CaseView, is_operator, load};
use super::scans::{Package, receive, small_text, submit_artifact};
use crate::Platform;
use crate::audit::{self, Actor};
use crate::auth::Caller;
use crate::casework::{self, ESCALATION_STEPS, record_event};
use crate::db::now_ms;
use crate::notify::{self, News};
use crate::queue::PRIORITY_RETEST;
use crate::scope::case_visible;
use crate::sql::Sql;
use crate::store::artifact_key;

/// Largest document (a decision, a statement, a screenshot).
pub const MAX_DOCUMENT_BYTES: u64 = 20 << 20;
/// Longest statement or note typed in.
const MAX_TEXT_BYTES: usize = 20_000;

/// Document kinds, and whether the operator may attach them (the authority may attach all).
const DOCUMENT_KINDS: &[(&str, bool)] = &[
    ("decision", false),
    ("statement", true),
    ("evidence", true),
    ("screenshot", true),
    ("other", true),
];

#[derive(Serialize, utoipa::ToSchema)]
pub struct EscalationView {
    pub id: i64,
    /// `public_notice`, `takedown`, `penalty` or `blacklist`.
    pub step: String,
    pub ordinal: i64,
    pub step_zh: String,
    pub step_en: String,
    /// The decision's document number, as given.
    pub reference: Option<String>,
    /// What the step was: the stores asked, the penalty, … as given.
    pub detail: Option<String>,
    pub note: Option<String>,
    pub created_ms: i64,
}

pub(crate) fn escalation_view(r: &AnyRow) -> Result<EscalationView, sqlx::Error> {
    let step: String = r.try_get("step")?;
    let (zh, en) = ESCALATION_STEPS
        .iter()
        .find(|(id, _, _)| *id == step)
        .map(|(_, zh, en)| (*zh, *en))
        .unwrap_or(("", ""));
    Ok(EscalationView {
        id: r.try_get("id")?,
        ordinal: r.try_get("ordinal")?,
        step_zh: zh.into(),
        step_en: en.into(),
        step,
        reference: r.try_get("reference")?,
        detail: r.try_get("detail")?,
        note: r.try_get("note")?,
        created_ms: r.try_get("created_ms")?,
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: i64,
    /// `decision`, `statement`, `evidence`, `screenshot` or `other`.
    pub kind: String,
    /// The escalation step it documents, if any.
    pub escalation_id: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub created_ms: i64,
}

pub(crate) fn document_view(r: &AnyRow) -> Result<DocumentView, sqlx::Error> {
    Ok(DocumentView {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        escalation_id: r.try_get("escalation_id")?,
        file_name: r.try_get("file_name")?,
        sha256: r.try_get("sha256")?,
        size: r.try_get("size")?,
        created_ms: r.try_get("created_ms")?,
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionView {
    pub id: i64,
    /// The scan of the rectified package.
    pub scan_id: i64,
    pub statement: String,
    /// The version it turned out to be, once scanned.
    pub version_id: Option<i64>,
    /// The scan's status: `queued`, `running`, `done`, `failed`.
    pub scan_status: String,
    /// `compared`, `other-app` (not the case's app) or `not-compared` (the case was
    /// decided meanwhile); none until scanned.
    pub outcome: Option<String>,
    pub created_ms: i64,
}

pub(crate) fn submission_view(r: &AnyRow) -> Result<SubmissionView, sqlx::Error> {
    Ok(SubmissionView {
        id: r.try_get("id")?,
        scan_id: r.try_get("scan_id")?,
        statement: r.try_get("statement")?,
        version_id: r.try_get("version_id")?,
        scan_status: r.try_get("status")?,
        outcome: r.try_get("outcome")?,
        created_ms: r.try_get("created_ms")?,
    })
}

fn bad(code: &'static str, m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, m)
}

fn conflict(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "bad-transition", m)
}

/// A typed text, trimmed; none when empty; refused past the limit.
fn text_field(value: Option<&str>, what: &str) -> Result<Option<String>, ApiError> {
    Ok(super::typed_text(value, what, MAX_TEXT_BYTES, "too-long")?.map(str::to_string))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewEscalation {
    /// The next step: `public_notice`, then `takedown`, `penalty`, `blacklist`.
    pub step: String,
    /// The decision's document number (文号).
    pub reference: Option<String>,
    /// What it is: the stores asked to take the app down, the penalty imposed, …
    pub detail: Option<String>,
    pub note: Option<String>,
}

/// Take the next escalation step on a case. Steps go in order (public notice, takedown
/// request to stores, administrative penalty, blacklist), none skipped; the first moves a
/// notified, rectifying or re-tested case to escalated. Attach its decision with
/// `POST /api/v1/cases/{id}/documents` (`kind=decision`, `escalation_id`).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/escalations", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewEscalation,
    responses(
        (status = 201, description = "Step recorded", body = CaseView),
        (status = 400, description = "Not a step, or not the next one", body = super::ErrorBody),
        (status = 403, description = "Not an authority", body = super::ErrorBody),
        (status = 404, description = "No such case for this caller", body = super::ErrorBody),
        (status = 409, description = "The case cannot be escalated from its state", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn escalate(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<NewEscalation>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let case = load(&platform, &caller, id).await?;
    if !caller.is_authority() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "escalation is the authority's decision",
        ));
    }
    if !matches!(
        case.state.as_str(),
        "notified" | "rectifying" | "retest" | "escalated"
    ) {
        return Err(conflict(format!("a {} case is not escalated", case.state)));
    }
    let Some(ordinal) = casework::step_ordinal(&body.step) else {
        let steps: Vec<&str> = ESCALATION_STEPS.iter().map(|s| s.0).collect();
        return Err(bad(
            "bad-step",
            format!("step {:?}: expected one of {steps:?}", body.step),
        ));
    };
    let expected = casework::next_step(case.escalations.len());
    if expected != Some(body.step.as_str()) {
        return Err(bad(
            "not-the-next-step",
            match expected {
                Some(next) => format!("the next step on this case is {next}"),
                None => "every escalation step has been taken".into(),
            },
        ));
    }
    let reference = text_field(body.reference.as_deref(), "reference")?;
    let detail = text_field(body.detail.as_deref(), "detail")?;
    let note = text_field(body.note.as_deref(), "note")?;
    let actor: Actor = (&caller).into();
    let (_, zh, en) = ESCALATION_STEPS
        .get(usize::try_from(ordinal - 1).unwrap_or(0))
        .copied()
        .unwrap_or(("", "", ""));
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    if case.state != "escalated" {
        let moved =
            sqlx::query("UPDATE cases SET state = 'escalated' WHERE id = $1 AND state = $2")
                .bind(id)
                .bind(&case.state)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if moved != 1 {
            return Err(conflict("the case moved meanwhile; reload it"));
        }
        let why = format!("{zh} / {en}");
        record_event(
            &mut tx,
            &actor,
            id,
            Some(&case.state),
            "escalated",
            Some(&why),
        )
        .await?;
    }
    // UNIQUE (case_id, step) refuses a step recorded twice at once.
    let escalation: i64 = sqlx::query(
        "INSERT INTO escalations (case_id, step, ordinal, reference, detail, note, decided_by, \
         org_id, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(id)
    .bind(&body.step)
    .bind(ordinal)
    .bind(&reference)
    .bind(&detail)
    .bind(&note)
    .bind(caller.user_id)
    .bind(caller.org_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|_| conflict("the step was recorded meanwhile; reload the case"))?
    .try_get("id")?;
    let audit_detail = serde_json::json!({
        "escalation": escalation, "step": body.step, "reference": reference, "detail": detail,
    });
    audit::record_in(
        &mut tx,
        &actor,
        "case.escalate",
        &format!("case:{id}"),
        audit_detail,
    )
    .await?;
    let news = News::Escalated {
        step_zh: zh.into(),
        step_en: en.into(),
    };
    notify::case_news(&mut tx, id, &news).await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, &caller, id).await?),
    ))
}

/// The multipart form of a document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads it as a stream
pub struct DocumentForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `decision` (authority only), `statement`, `evidence`, `screenshot`, `other`.
    kind: String,
    /// The escalation step a decision belongs to.
    escalation_id: Option<i64>,
}

/// A document file received and stored (by SHA-256, under `documents/`).
pub(crate) struct StoredDocument {
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    pub content_type: String,
}

/// The key of a document's bytes.
pub fn document_key(sha256: &str) -> String {
    format!("documents/{}/{sha256}", sha256.get(..2).unwrap_or("00"))
}

/// Receive a document field, capped at [`MAX_DOCUMENT_BYTES`], and store it.
pub(crate) async fn store_document(
    platform: &Platform,
    field: axum::extract::multipart::Field<'_>,
) -> Result<StoredDocument, ApiError> {
    let content_type = field
        .content_type()
        .filter(|t| t.len() < 100 && t.is_ascii())
        .unwrap_or("application/octet-stream")
        .to_string();
    let received = receive(platform, field, MAX_DOCUMENT_BYTES).await?;
    if received.size == 0 {
        return Err(bad("empty-file", "the document is empty"));
    }
    let key = document_key(&received.sha256);
    if !platform.store.exists(&key).await? {
        platform
            .store
            .put_file(&key, received.staged.path())
            .await?;
    }
    Ok(StoredDocument {
        file_name: received.file_name.unwrap_or_else(|| "document".into()),
        sha256: received.sha256,
        size: received.size,
        content_type,
    })
}

/// Record a stored document against its owner.
pub(crate) async fn insert_document(
    conn: &mut sqlx::AnyConnection,
    owner: (&str, i64),
    kind: &str,
    escalation_id: Option<i64>,
    doc: &StoredDocument,
    uploaded_by: Option<i64>,
) -> Result<i64, ApiError> {
    Ok(sqlx::query(
        "INSERT INTO documents (owner_kind, owner_id, kind, escalation_id, file_name, \
         content_type, sha256, size, uploaded_by, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(owner.0)
    .bind(owner.1)
    .bind(kind)
    .bind(escalation_id)
    .bind(&doc.file_name)
    .bind(&doc.content_type)
    .bind(&doc.sha256)
    .bind(i64::try_from(doc.size).unwrap_or(i64::MAX))
    .bind(uploaded_by)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?)
}

/// Attach a file to a case: the authority any kind (a decision of an escalation step with
/// `escalation_id`), the operator a statement, evidence or screenshots.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/documents", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body(content = DocumentForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = CaseView),
        (status = 400, description = "No file, a bad kind, another case's escalation", body = super::ErrorBody),
        (status = 403, description = "Neither the authority nor the operator, or a kind the operator may not attach", body = super::ErrorBody),
        (status = 404, description = "No such case for this caller", body = super::ErrorBody),
        (status = 413, description = "Larger than 20 MiB", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn attach(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let case = load(&platform, &caller, id).await?;
    let authority = caller.is_authority();
    if !authority && !is_operator(&platform, &caller, case.app_id).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "documents are attached by the authority or the app's operator",
        ));
    }
    let (mut doc, mut kind, mut escalation) = (None, None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad("bad-multipart", e.body_text()))?
    {
        match field.name() {
            Some("file") => doc = Some(store_document(&platform, field).await?),
            Some("kind") => kind = Some(small_text(field, 32).await?),
            Some("escalation_id") => {
                let text = small_text(field, 32).await?;
                escalation = Some(
                    text.trim()
                        .parse::<i64>()
                        .map_err(|_| bad("bad-escalation", "escalation_id is a number"))?,
                );
            }
            _ => {}
        }
    }
    let doc = doc.ok_or_else(|| bad("no-file", "send the document in a field named `file`"))?;
    let kind = kind.unwrap_or_else(|| "other".into());
    let Some((_, operator_may)) = DOCUMENT_KINDS.iter().find(|(k, _)| *k == kind) else {
        return Err(bad("bad-kind", format!("document kind {kind:?}")));
    };
    if !authority && !operator_may {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("a {kind} is attached by the authority"),
        ));
    }
    if let Some(e) = escalation
        && !case.escalations.iter().any(|x| x.id == e)
    {
        return Err(bad(
            "bad-escalation",
            format!("escalation {e} is not a step of case {id}"),
        ));
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let doc_id = insert_document(
        &mut tx,
        ("case", id),
        &kind,
        escalation,
        &doc,
        Some(caller.user_id),
    )
    .await?;
    let detail = serde_json::json!({
        "document": doc_id, "kind": kind, "sha256": doc.sha256, "size": doc.size,
        "escalation": escalation,
    });
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "case.document",
        &format!("case:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, &caller, id).await?),
    ))
}

/// The multipart form of a rectification.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads it as a stream
pub struct RectificationForm {
    /// The rectified package.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The rectification statement (整改报告): what was changed.
    statement: String,
    /// The statement as a signed document, optionally.
    #[schema(value_type = Option<String>, format = Binary)]
    statement_file: Option<Vec<u8>>,
}

/// The operator hands in its rectified version and statement: the package is scanned at
/// re-test priority and the case moves to re-test; when the scan is recorded, the worker
/// compares it with the case (fixed, remaining, new) and tells both sides.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/rectification", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body(content = RectificationForm, content_type = "multipart/form-data"),
    responses(
        (status = 202, description = "Submitted; the re-test follows its scan", body = CaseView),
        (status = 400, description = "No package or no statement", body = super::ErrorBody),
        (status = 403, description = "Not the app's operator", body = super::ErrorBody),
        (status = 404, description = "No such case for this caller", body = super::ErrorBody),
        (status = 409, description = "The case is not being rectified", body = super::ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn rectification(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let case = load(&platform, &caller, id).await?;
    if !is_operator(&platform, &caller, case.app_id).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the app's operator submits its rectified version",
        ));
    }
    if case.state != "rectifying" {
        return Err(conflict(format!(
            "a {} case takes no rectified version (acknowledge the notice first)",
            case.state
        )));
    }
    let (mut package, mut statement, mut statement_doc) = (None, None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad("bad-multipart", e.body_text()))?
    {
        match field.name() {
            Some("file") => {
                package = Some(receive(&platform, field, platform.config.max_upload_bytes).await?)
            }
            Some("statement") => statement = Some(small_text(field, MAX_TEXT_BYTES).await?),
            // A form's empty optional file input sends a part with no name and no bytes.
            Some("statement_file") if field.file_name().is_some_and(|n| !n.is_empty()) => {
                statement_doc = Some(store_document(&platform, field).await?)
            }
            _ => {}
        }
    }
    let received = package.filter(|p| p.size > 0).ok_or_else(|| {
        bad(
            "no-file",
            "send the rectified package in a field named `file`",
        )
    })?;
    let statement = text_field(statement.as_deref(), "statement")?
        .ok_or_else(|| bad("no-statement", "say what was rectified in `statement`"))?;
    let key = artifact_key(&received.sha256);
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
    let scan = submit_artifact(&platform, &caller, &package, PRIORITY_RETEST, "").await?;
    let actor: Actor = (&caller).into();
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let analysis: i64 = sqlx::query("SELECT analysis_id FROM scans WHERE id = $1")
        .bind(scan.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("analysis_id")?;
    // The worker may finish the scan while this is recorded. Locking the analysis row
    // orders the two: either it finished first (its status reads `done` here and the
    // comparison is made below) or it waits for this commit and finds the submission.
    // SQLite needs no lock: the write turn already serialises writers.
    let lock = match platform.db.backend {
        crate::db::Backend::Postgres => " FOR UPDATE",
        crate::db::Backend::Sqlite => "",
    };
    let analysed: String = sqlx::query(&format!("SELECT status FROM analyses WHERE id = $1{lock}"))
        .bind(analysis)
        .fetch_one(&mut *tx)
        .await?
        .try_get("status")?;
    let moved =
        sqlx::query("UPDATE cases SET state = 'retest' WHERE id = $1 AND state = 'rectifying'")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if moved != 1 {
        return Err(conflict("the case moved meanwhile; reload it"));
    }
    sqlx::query(
        "INSERT INTO submissions (case_id, scan_id, analysis_id, statement, submitted_by, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(scan.id)
    .bind(analysis)
    .bind(&statement)
    .bind(caller.user_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if let Some(doc) = &statement_doc {
        insert_document(
            &mut tx,
            ("case", id),
            "statement",
            None,
            doc,
            Some(caller.user_id),
        )
        .await?;
    }
    let note = format!(
        "已提交整改版本（检测任务 {0}） / rectified version submitted (scan {0})",
        scan.id
    );
    record_event(
        &mut tx,
        &actor,
        id,
        Some("rectifying"),
        "retest",
        Some(&note),
    )
    .await?;
    notify::case_news(&mut tx, id, &News::Submitted).await?;
    // A package the platform has analysed already is not analysed again: compare now.
    let done = sqlx::query(
        "SELECT v.id, v.app_id FROM analyses an JOIN versions v ON v.artifact_sha256 = an.artifact_sha256 \
         WHERE an.id = $1 ORDER BY (v.app_id = $2) DESC LIMIT 1",
    )
    .bind(analysis)
    .bind(case.app_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(v) = done.filter(|_| analysed == "done") {
        let system = Actor {
            user_id: None,
            name: "re-test".into(),
        };
        let (version, app): (i64, i64) = (v.try_get("id")?, v.try_get("app_id")?);
        casework::compare_submissions(&mut tx, &system, analysis, app, version).await?;
    }
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::ACCEPTED,
        Json(load(&platform, &caller, id).await?),
    ))
}

/// A document's bytes, to those who may see its case, clue or complaint. Served as a
/// download, never rendered inline: the file came from outside.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}", tag = "cases",
    params(("id" = i64, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "No such document for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn download(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let row = sqlx::query(
        "SELECT owner_kind, owner_id, file_name, sha256, size FROM documents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&platform.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("document"))?;
    let owner_kind: String = row.try_get("owner_kind")?;
    let owner_id: i64 = row.try_get("owner_id")?;
    let visible = match owner_kind.as_str() {
        "case" => {
            let mut q = Sql::new("SELECT c.id FROM cases c WHERE c.id = ");
            q.int(owner_id).push(" AND ");
            case_visible(&caller, "c", &mut q);
            q.fetch_optional(&platform.db.pool).await?.is_some()
        }
        "clue" => super::clues::clue_visible(&platform, &caller, owner_id).await?,
        "complaint" => caller.may_triage(),
        _ => false,
    };
    if !visible {
        return Err(ApiError::not_found("document"));
    }
    let sha256: String = row.try_get("sha256")?;
    let bytes = platform
        .store
        .get_bytes(&document_key(&sha256), MAX_DOCUMENT_BYTES)
        .await?;
    let name: String = row.try_get("file_name")?;
    // An ASCII fallback name and the real one, RFC 5987-encoded.
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        )
        .header("X-Content-Type-Options", "nosniff")
        .body(Body::from(bytes))
        .map_err(|e| anyhow::anyhow!("document {id}: {e}").into())
}
