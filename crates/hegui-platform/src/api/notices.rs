//! Public notices (公开通报): `POST /api/v1/notices` drafts one from the caller's escalated
//! cases (those at the public-notice step or beyond) and the recurrences proposed for
//! notice; a reviewer other than its author may drop items
//! (`DELETE /api/v1/notices/{id}/items/{ordinal}`) and publishes it
//! (`POST /api/v1/notices/{id}/publish`). It exports as CSV or XLSX
//! (`GET /api/v1/notices/{id}/export?format=`) and prints as a page with the issuing
//! authority (`/notices/{id}` once published, for anyone).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::ApiError;
use crate::Platform;
use crate::audit;
use crate::auth::Caller;
use crate::casework::ESCALATION_STEPS;
use crate::db::now_ms;
use crate::export;
use crate::scope::{case_visible, org_set};
use crate::sql::Sql;

/// The action required of an app whose case reached an escalation step.
fn action_for_step(step: &str) -> &'static str {
    match step {
        "takedown" => "责令限期整改；已要求应用商店下架",
        "penalty" => "依法予以行政处罚",
        "blacklist" => "纳入电信业务经营不良名单或失信名单",
        _ => "责令限期整改，逾期未整改的依法依规处置",
    }
}

const RECURRENCE_ACTION: &str = "新版本再次出现已整改问题，责令立即整改，依法依规从严处置";

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewNotice {
    /// 如「关于侵害用户权益行为的App的通报（2026年第5批）」.
    pub title: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeItem {
    pub ordinal: i64,
    pub app_id: i64,
    pub app_name: String,
    /// The enterprise that operates it.
    pub operator: Option<String>,
    pub version: Option<String>,
    /// The problems, 「；」-separated.
    pub problems: String,
    /// The action required.
    pub action: String,
    /// `escalation` or `recurrence`.
    pub source: String,
    pub case_id: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub title: String,
    /// The issuing authority.
    pub authority: String,
    /// `draft` or `published`.
    pub status: String,
    pub created_ms: i64,
    pub published_ms: Option<i64>,
    pub items: Vec<NoticeItem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeList {
    pub notices: Vec<NoticeView>,
}

fn forbidden(m: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", m)
}

/// A notice by id: the caller's organisations' (the ministry: any), or any published one
/// when `caller` is none (the public page).
pub(crate) async fn load(
    platform: &Platform,
    caller: Option<&Caller>,
    id: i64,
) -> Result<NoticeView, ApiError> {
    let mut q = Sql::new(
        "SELECT n.id, n.title, n.authority, n.status, n.created_ms, n.published_ms FROM notices n \
         WHERE n.id = ",
    );
    q.int(id);
    match caller {
        Some(c) if !c.sees_everything() => {
            q.push(" AND n.org_id IN ");
            org_set(c, &mut q);
        }
        Some(_) => {}
        None => {
            q.push(" AND n.status = 'published'");
        }
    }
    let row = q
        .fetch_optional(&platform.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    let items = sqlx::query(
        "SELECT ordinal, app_id, app_name, operator, version, problems, action, source, case_id \
         FROM notice_items WHERE notice_id = $1 ORDER BY ordinal",
    )
    .bind(id)
    .fetch_all(&platform.db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(NoticeItem {
            ordinal: r.try_get("ordinal")?,
            app_id: r.try_get("app_id")?,
            app_name: r.try_get("app_name")?,
            operator: r.try_get("operator")?,
            version: r.try_get("version")?,
            problems: r.try_get("problems")?,
            action: r.try_get("action")?,
            source: r.try_get("source")?,
            case_id: r.try_get("case_id")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(NoticeView {
        id,
        title: row.try_get("title")?,
        authority: row.try_get("authority")?,
        status: row.try_get("status")?,
        created_ms: row.try_get("created_ms")?,
        published_ms: row.try_get("published_ms")?,
        items,
    })
}

/// Draft items: escalated cases at the public-notice step or beyond, and recurrences
/// proposed for notice, on cases the caller may see and not in a published notice yet.
async fn draft_items(platform: &Platform, caller: &Caller) -> Result<Vec<NoticeItem>, ApiError> {
    let pool = &platform.db.pool;
    let mut items = Vec::new();
    let mut q = Sql::new(
        "SELECT c.id, c.app_id, COALESCE(a.name, a.app_key) AS app_name, o.name AS operator, \
         v.version, (SELECT MAX(e.ordinal) FROM escalations e WHERE e.case_id = c.id) AS step \
         FROM cases c JOIN apps a ON a.id = c.app_id LEFT JOIN orgs o ON o.id = a.owner_org_id \
         JOIN versions v ON v.id = COALESCE(c.retest_version_id, c.version_id) \
         WHERE c.state = 'escalated' AND EXISTS (SELECT 1 FROM escalations e WHERE e.case_id = c.id) \
         AND NOT EXISTS (SELECT 1 FROM notice_items i JOIN notices n ON n.id = i.notice_id \
         WHERE i.case_id = c.id AND i.source = 'escalation' AND n.status = 'published') AND ",
    );
    case_visible(caller, "c", &mut q);
    q.push(" ORDER BY c.id");
    for r in q.fetch_all(pool).await? {
        let case: i64 = r.try_get("id")?;
        let step: i64 = r.try_get("step")?;
        let step_id = usize::try_from(step - 1)
            .ok()
            .and_then(|i| ESCALATION_STEPS.get(i))
            .map(|s| s.0)
            .unwrap_or("public_notice");
        let problems = sqlx::query(
            "SELECT title_zh FROM case_findings WHERE case_id = $1 AND status <> 'fixed' \
             ORDER BY code, fingerprint",
        )
        .bind(case)
        .fetch_all(pool)
        .await?;
        items.push(NoticeItem {
            ordinal: 0,
            app_id: r.try_get("app_id")?,
            app_name: r.try_get("app_name")?,
            operator: r.try_get("operator")?,
            version: r.try_get("version")?,
            problems: distinct_titles(&problems)?,
            action: action_for_step(step_id).into(),
            source: "escalation".into(),
            case_id: Some(case),
        });
    }
    let mut q = Sql::new(
        "SELECT r.case_id, r.app_id, COALESCE(a.name, a.app_key) AS app_name, o.name AS operator, \
         v.version, cf.title_zh FROM recurrences r JOIN cases c ON c.id = r.case_id \
         JOIN apps a ON a.id = r.app_id LEFT JOIN orgs o ON o.id = a.owner_org_id \
         JOIN versions v ON v.id = r.later_version_id \
         JOIN case_findings cf ON cf.case_id = r.case_id AND cf.fingerprint = r.fingerprint \
         WHERE r.proposed_for_notice = 1 AND ",
    );
    case_visible(caller, "c", &mut q);
    q.push(" ORDER BY r.case_id, r.later_version_id, cf.code");
    // One item per case and later version.
    let mut grouped: BTreeMap<(i64, Option<String>), (NoticeItem, Vec<String>)> = BTreeMap::new();
    for r in q.fetch_all(pool).await? {
        let case: i64 = r.try_get("case_id")?;
        let version: Option<String> = r.try_get("version")?;
        let title: String = r.try_get("title_zh")?;
        let key = (case, version.clone());
        if !grouped.contains_key(&key) {
            let item = NoticeItem {
                ordinal: 0,
                app_id: r.try_get("app_id")?,
                app_name: r.try_get("app_name")?,
                operator: r.try_get("operator")?,
                version,
                problems: String::new(),
                action: RECURRENCE_ACTION.into(),
                source: "recurrence".into(),
                case_id: Some(case),
            };
            grouped.insert(key.clone(), (item, Vec::new()));
        }
        if let Some((_, titles)) = grouped.get_mut(&key)
            && !titles.contains(&title)
        {
            titles.push(title);
        }
    }
    for (_, (mut item, titles)) in grouped {
        item.problems = titles.join("；");
        items.push(item);
    }
    for (i, item) in items.iter_mut().enumerate() {
        item.ordinal = i64::try_from(i + 1).unwrap_or(i64::MAX);
    }
    Ok(items)
}

fn distinct_titles(rows: &[sqlx::any::AnyRow]) -> Result<String, sqlx::Error> {
    let mut titles: Vec<String> = Vec::new();
    for r in rows {
        let t: String = r.try_get("title_zh")?;
        if !titles.contains(&t) {
            titles.push(t);
        }
    }
    Ok(titles.join("；"))
}

/// Draft a notice from the caller's escalated cases and recurrences.
#[utoipa::path(
    post, path = "/api/v1/notices", tag = "notices", request_body = NewNotice,
    responses(
        (status = 201, description = "Drafted", body = NoticeView),
        (status = 400, description = "No title, or nothing to put in a notice", body = super::ErrorBody),
        (status = 403, description = "Not an authority", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn draft(
    State(platform): State<Platform>,
    caller: Caller,
    Json(body): Json<NewNotice>,
) -> Result<(StatusCode, Json<NoticeView>), ApiError> {
    if !caller.is_authority() {
        return Err(forbidden("notices are issued by the ministry or a bureau"));
    }
    let title = body.title.trim();
    if title.is_empty() || title.len() > 500 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-title",
            "a title of 1 to 500 bytes",
        ));
    }
    let items = draft_items(&platform, &caller).await?;
    if items.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "nothing-to-notice",
            "no escalated case at the public-notice step and no recurrence is waiting",
        ));
    }
    let authority: String = sqlx::query("SELECT name FROM orgs WHERE id = $1")
        .bind(caller.org_id)
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("name")?;
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO notices (title, org_id, authority, status, created_by, created_ms) \
         VALUES ($1, $2, $3, 'draft', $4, $5) RETURNING id",
    )
    .bind(title)
    .bind(caller.org_id)
    .bind(&authority)
    .bind(caller.user_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for item in &items {
        sqlx::query(
            "INSERT INTO notice_items (notice_id, ordinal, app_id, app_name, operator, version, \
             problems, action, source, case_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(item.ordinal)
        .bind(item.app_id)
        .bind(&item.app_name)
        .bind(&item.operator)
        .bind(&item.version)
        .bind(&item.problems)
        .bind(&item.action)
        .bind(&item.source)
        .bind(item.case_id)
        .execute(&mut *tx)
        .await?;
    }
    let detail = serde_json::json!({"title": title, "items": items.len()});
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "notice.draft",
        &format!("notice:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok((
        StatusCode::CREATED,
        Json(load(&platform, Some(&caller), id).await?),
    ))
}

/// The caller's organisations' notices (the ministry: all), newest first.
#[utoipa::path(
    get, path = "/api/v1/notices", tag = "notices",
    responses((status = 200, description = "Notices", body = NoticeList)),
    security(("bearer" = []))
)]
pub async fn list(
    State(platform): State<Platform>,
    caller: Caller,
) -> Result<Json<NoticeList>, ApiError> {
    let mut q = Sql::new("SELECT n.id FROM notices n WHERE ");
    if caller.sees_everything() {
        q.push("1 = 1");
    } else {
        q.push("n.org_id IN ");
        org_set(&caller, &mut q);
    }
    q.push(" ORDER BY n.id DESC LIMIT 200");
    let mut notices = Vec::new();
    for r in q.fetch_all(&platform.db.pool).await? {
        notices.push(load(&platform, Some(&caller), r.try_get("id")?).await?);
    }
    Ok(Json(NoticeList { notices }))
}

/// A notice and its items.
#[utoipa::path(
    get, path = "/api/v1/notices/{id}", tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, description = "The notice", body = NoticeView),
        (status = 404, description = "No such notice for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<NoticeView>, ApiError> {
    Ok(Json(load(&platform, Some(&caller), id).await?))
}

/// A draft that `caller` may edit or publish.
async fn editable_draft(
    platform: &Platform,
    caller: &Caller,
    id: i64,
) -> Result<NoticeView, ApiError> {
    let notice = load(platform, Some(caller), id).await?;
    if !caller.is_authority() {
        return Err(forbidden("notices are reviewed by the authority"));
    }
    if notice.status != "draft" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "published",
            "a published notice is not changed",
        ));
    }
    Ok(notice)
}

/// Drop an item from a draft (the review).
#[utoipa::path(
    delete, path = "/api/v1/notices/{id}/items/{ordinal}", tag = "notices",
    params(("id" = i64, Path, description = "Notice id"), ("ordinal" = i64, Path, description = "Item number")),
    responses(
        (status = 200, description = "Dropped", body = NoticeView),
        (status = 404, description = "No such notice or item", body = super::ErrorBody),
        (status = 409, description = "Published already", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn drop_item(
    State(platform): State<Platform>,
    caller: Caller,
    Path((id, ordinal)): Path<(i64, i64)>,
) -> Result<Json<NoticeView>, ApiError> {
    editable_draft(&platform, &caller, id).await?;
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM notice_items WHERE notice_id = $1 AND ordinal = $2")
        .bind(id)
        .bind(ordinal)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone != 1 {
        return Err(ApiError::not_found("item"));
    }
    let detail = serde_json::json!({"dropped": ordinal});
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "notice.review",
        &format!("notice:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok(Json(load(&platform, Some(&caller), id).await?))
}

/// Publish a reviewed draft: by an authority user other than its author (four eyes).
/// Recurrences it names are no longer proposed.
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/publish", tag = "notices",
    params(("id" = i64, Path, description = "Notice id")),
    responses(
        (status = 200, description = "Published", body = NoticeView),
        (status = 400, description = "No items left", body = super::ErrorBody),
        (status = 403, description = "The author, or not an authority", body = super::ErrorBody),
        (status = 409, description = "Published already", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn publish(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<NoticeView>, ApiError> {
    let notice = editable_draft(&platform, &caller, id).await?;
    let author: i64 = sqlx::query("SELECT created_by FROM notices WHERE id = $1")
        .bind(id)
        .fetch_one(&platform.db.pool)
        .await?
        .try_get("created_by")?;
    if author == caller.user_id {
        return Err(forbidden(
            "a notice is published by a reviewer other than its author",
        ));
    }
    if notice.items.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "empty-notice",
            "the notice has no items left",
        ));
    }
    let turn = platform.db.write_turn().await;
    let mut tx = platform.db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE notices SET status = 'published', reviewed_by = $1, published_ms = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(caller.user_id)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "published",
            "published meanwhile",
        ));
    }
    sqlx::query(
        "UPDATE recurrences SET proposed_for_notice = 0 WHERE proposed_for_notice = 1 AND EXISTS \
         (SELECT 1 FROM notice_items i WHERE i.notice_id = $1 AND i.source = 'recurrence' \
          AND i.case_id = recurrences.case_id)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({"items": notice.items.len()});
    audit::record_in(
        &mut tx,
        &(&caller).into(),
        "notice.publish",
        &format!("notice:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    drop(turn);
    Ok(Json(load(&platform, Some(&caller), id).await?))
}

/// The table of a notice, header first.
pub(crate) fn rows(notice: &NoticeView) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "序号".to_string(),
        "应用名称".into(),
        "运营者".into(),
        "版本".into(),
        "主要问题".into(),
        "处置要求".into(),
        "来源".into(),
    ]];
    for i in &notice.items {
        rows.push(vec![
            i.ordinal.to_string(),
            i.app_name.clone(),
            i.operator.clone().unwrap_or_default(),
            i.version.clone().unwrap_or_default(),
            i.problems.clone(),
            i.action.clone(),
            if i.source == "recurrence" {
                "问题复现".into()
            } else {
                "整改不到位".into()
            },
        ]);
    }
    rows
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

/// The notice as a spreadsheet.
#[utoipa::path(
    get, path = "/api/v1/notices/{id}/export", tag = "notices",
    params(("id" = i64, Path, description = "Notice id"), ExportQuery),
    responses(
        (status = 200, description = "CSV or XLSX", content_type = "text/csv"),
        (status = 400, description = "Another format", body = super::ErrorBody),
        (status = 404, description = "No such notice for this caller", body = super::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn export(
    State(platform): State<Platform>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let notice = load(&platform, Some(&caller), id).await?;
    let rows = rows(&notice);
    let attachment = |ext: &str| format!("attachment; filename=\"notice-{id}.{ext}\"");
    match query.format.as_deref().unwrap_or("csv") {
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, attachment("csv")),
            ],
            export::csv(&rows),
        )
            .into_response()),
        "xlsx" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (header::CONTENT_DISPOSITION, attachment("xlsx")),
            ],
            export::xlsx("通报", &rows)?,
        )
            .into_response()),
        other => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-format",
            format!("format {other:?}: csv or xlsx"),
        )),
    }
}
