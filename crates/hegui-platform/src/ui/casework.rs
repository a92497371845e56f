//! The UI of the rectification workflow: cases (the list, one case with the moves the
//! caller may make, opening one from a version), the rectified version upload, messages,
//! clues with the month's due date. Each action calls the API's own handler with the
//! session's caller, so the rules are the same in both.

use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Value, json};

use super::pages::{error_page, redirect};
use super::session::{self, Session};
use super::text::Lang;
use super::{page, when};
use crate::Platform;
use crate::api::apps::{FindingQuery, query_findings};
use crate::api::cases::{self as case_api, CaseQuery, CaseView, NewCase, Transition};
use crate::api::casework::{self as casework_api, NewEscalation};
use crate::api::clues::{self as clue_api, ClueQuery, NewClue};
use crate::api::messages;
use crate::casework::{ESCALATION_STEPS, next_step};

pub fn state_label(lang: Lang, state: &str) -> &'static str {
    match state {
        "open" => lang.pick("已立案", "open"),
        "notified" => lang.pick("已通知整改", "notified"),
        "rectifying" => lang.pick("整改中", "rectifying"),
        "retest" => lang.pick("待复测", "re-test"),
        "closed" => lang.pick("已结案", "closed"),
        "escalated" => lang.pick("已升级处置", "escalated"),
        _ => "",
    }
}

fn finding_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "open" => lang.pick("待整改", "to rectify"),
        "fixed" => lang.pick("已整改", "fixed"),
        "remaining" => lang.pick("仍存在", "remaining"),
        _ => "",
    }
}

/// A case as the templates show it.
fn case_json(lang: Lang, case: &CaseView) -> Value {
    let mut v = serde_json::to_value(case).unwrap_or(Value::Null);
    v["state_label"] = json!(state_label(lang, &case.state));
    v["created"] = json!(when(case.created_ms));
    if let Some(findings) = v["findings"].as_array_mut() {
        for f in findings {
            let status = f["status"].as_str().unwrap_or_default().to_string();
            f["status_label"] = json!(finding_label(lang, &status));
            let title = if lang == Lang::Zh {
                f["title_zh"].clone()
            } else {
                f["title_en"].clone()
            };
            f["title"] = title;
        }
    }
    // The same rule found in many places reads best as one row with its counts.
    let mut grouped: Vec<(String, String, [usize; 3])> = Vec::new();
    for f in &case.findings {
        let title = lang.pick(&f.title_zh, &f.title_en).to_string();
        let slot = match f.status.as_str() {
            "fixed" => 1,
            "remaining" => 2,
            _ => 0,
        };
        match grouped
            .iter_mut()
            .find(|(c, t, _)| *c == f.code && *t == title)
        {
            Some((_, _, counts)) => counts[slot] += 1,
            None => {
                let mut counts = [0; 3];
                counts[slot] = 1;
                grouped.push((f.code.clone(), title, counts));
            }
        }
    }
    v["finding_rows"] = json!(
        grouped
            .iter()
            .map(|(code, title, [open, fixed, remaining])| json!({
                "code": code, "title": title, "open": open, "fixed": fixed,
                "remaining": remaining,
            }))
            .collect::<Vec<_>>()
    );
    if let Some(subs) = v["submissions"].as_array_mut() {
        for s in subs {
            let status = s["scan_status"].as_str().unwrap_or_default().to_string();
            s["scan_status_label"] = json!(match status.as_str() {
                "done" => lang.pick("检测完成", "scanned"),
                "failed" => lang.pick("检测失败", "scan failed"),
                _ => lang.pick("检测中", "scanning"),
            });
            let outcome = s["outcome"].as_str().unwrap_or_default().to_string();
            s["outcome_label"] = json!(match outcome.as_str() {
                "compared" => lang.pick("已复测比对", "re-tested"),
                "other-app" => lang.pick("非本应用的安装包", "another app's package"),
                "not-compared" => lang.pick("案件已处理，未比对", "case decided, not compared"),
                _ => lang.pick("等待检测", "waiting for the scan"),
            });
        }
    }
    // A document of an escalation step is shown with the step's name.
    if let Some(docs) = v["documents"].as_array_mut() {
        for d in docs {
            let step = d["escalation_id"].as_i64().and_then(|id| {
                case.escalations
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| lang.pick(&e.step_zh, &e.step_en).to_string())
            });
            d["step_label"] = json!(step);
        }
    }
    if let Some(events) = v["events"].as_array_mut() {
        for e in events {
            let at = e["at_ms"].as_i64().unwrap_or(0);
            e["at"] = json!(when(at));
            let to = e["to_state"].as_str().unwrap_or_default().to_string();
            e["to_label"] = json!(state_label(lang, &to));
        }
    }
    if let Some(steps) = v["escalations"].as_array_mut() {
        for s in steps {
            let label = if lang == Lang::Zh {
                s["step_zh"].clone()
            } else {
                s["step_en"].clone()
            };
            s["label"] = label;
            let at = s["created_ms"].as_i64().unwrap_or(0);
            s["at"] = json!(when(at));
        }
    }
    v
}

#[derive(Deserialize)]
pub struct CasesFilter {
    pub state: Option<String>,
    pub overdue: Option<bool>,
}

pub async fn cases(
    State(platform): State<Platform>,
    session: Session,
    Query(filter): Query<CasesFilter>,
) -> Response {
    let query = CaseQuery {
        state: filter.state.filter(|s| !s.is_empty()),
        overdue: filter.overdue,
        app: None,
    };
    match case_api::list(State(platform), session.caller.clone(), Query(query)).await {
        Ok(Json(list)) => {
            let rows: Vec<Value> = list
                .cases
                .iter()
                .map(|c| case_json(session.lang, c))
                .collect();
            page(
                "cases.html",
                session.lang,
                Some(&session),
                json!({"cases": rows, "overdue_only": filter.overdue == Some(true)}),
            )
        }
        Err(e) => error_page(e),
    }
}

pub async fn case(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let caller = &session.caller;
    let case = match case_api::load(&platform, caller, id).await {
        Ok(c) => c,
        Err(e) => return error_page(e),
    };
    let operator = case_api::is_operator(&platform, caller, case.app_id)
        .await
        .unwrap_or(false);
    let authority = caller.is_authority();
    let lang = session.lang;
    // The moves this caller may make from here, as buttons.
    let mut moves = Vec::new();
    for to in crate::cases::STATES {
        let who = crate::cases::transition(&case.state, to);
        let mine = match who {
            Some(crate::cases::Actor::Authority) => authority,
            Some(crate::cases::Actor::Operator) => operator,
            Some(crate::cases::Actor::Either) => authority || operator,
            None => false,
        };
        // Escalation goes through its steps, with their records.
        if mine && *to != "escalated" {
            let label = match (case.state.as_str(), *to) {
                ("open", "notified") => lang.pick("通知企业整改", "Notify the operator"),
                ("notified", "rectifying") => lang.pick("确认收到，开始整改", "Acknowledge"),
                ("rectifying", "retest") => lang.pick("申请复测", "Ready for re-test"),
                ("retest", "rectifying") => lang.pick("退回继续整改", "Send back"),
                (_, "closed") => lang.pick("结案", "Close"),
                _ => to,
            };
            moves.push(json!({"to": to, "label": label}));
        }
    }
    let next = next_step(case.escalations.len()).filter(|_| {
        authority
            && matches!(
                case.state.as_str(),
                "notified" | "rectifying" | "retest" | "escalated"
            )
    });
    let next_label = next.and_then(|n| {
        ESCALATION_STEPS
            .iter()
            .find(|(id, _, _)| *id == n)
            .map(|(_, zh, en)| lang.pick(zh, en))
    });
    page(
        "case.html",
        lang,
        Some(&session),
        json!({
            "case": case_json(lang, &case),
            "authority": authority,
            "operator": operator,
            "moves": moves,
            "next_step": next,
            "next_step_label": next_label,
            "may_rectify": operator && case.state == "rectifying",
        }),
    )
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub version_id: i64,
    pub deadline_days: Option<i64>,
}

/// Open a case on a version from all its findings.
pub async fn open(
    State(platform): State<Platform>,
    session: Session,
    Form(form): Form<OpenForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let query = FindingQuery {
        version: Some(form.version_id),
        limit: Some(1000),
        ..FindingQuery::default()
    };
    let ids = match query_findings(&platform, &session.caller, &query).await {
        Ok(f) => f.into_iter().map(|f| f.id).collect(),
        Err(e) => return error_page(e),
    };
    let body = NewCase {
        version_id: form.version_id,
        finding_ids: ids,
        case_type: None,
        deadline_days: form.deadline_days,
        clue_id: None,
    };
    match case_api::open(State(platform), session.caller.clone(), Json(body)).await {
        Ok((_, Json(case))) => redirect(&format!("/cases/{}", case.id)),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub to: String,
    pub note: Option<String>,
}

pub async fn move_case(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let body = Transition {
        to: form.to,
        note: form.note,
    };
    match case_api::transition(
        State(platform),
        session.caller.clone(),
        Path(id),
        Json(body),
    )
    .await
    {
        Ok(_) => redirect(&format!("/cases/{id}")),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct EscalateForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub step: String,
    pub reference: Option<String>,
    pub detail: Option<String>,
}

pub async fn escalate(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<EscalateForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let body = NewEscalation {
        step: form.step,
        reference: form.reference,
        detail: form.detail,
        note: None,
    };
    match casework_api::escalate(
        State(platform),
        session.caller.clone(),
        Path(id),
        Json(body),
    )
    .await
    {
        Ok(_) => redirect(&format!("/cases/{id}")),
        Err(e) => error_page(e),
    }
}

/// The rectified version and statement, sent by the page's script with the CSRF header.
pub async fn rectification(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let multipart = match session::csrf_multipart(&session, &platform, request).await {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    match casework_api::rectification(State(platform), session.caller.clone(), Path(id), multipart)
        .await
    {
        Ok((status, body)) => (status, body).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A document, downloaded with the session.
pub async fn document(
    State(platform): State<Platform>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    match casework_api::download(State(platform), session.caller.clone(), Path(id)).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

/// The organisation's messages; those shown are marked read.
pub async fn inbox(State(platform): State<Platform>, session: Session) -> Response {
    let list = match messages::messages(&platform, &session.caller, false).await {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    let lang = session.lang;
    let rows: Vec<Value> = list
        .messages
        .iter()
        .map(|m| {
            json!({
                "subject": lang.pick(&m.subject_zh, &m.subject_en),
                "case_id": m.case_id, "kind": m.kind, "read": m.read, "at": when(m.created_ms),
            })
        })
        .collect();
    if let Err(e) = messages::mark_all_read(&platform, &session.caller).await {
        return error_page(e);
    }
    page(
        "messages.html",
        lang,
        Some(&session),
        json!({"messages": rows}),
    )
}

pub async fn clues(State(platform): State<Platform>, session: Session) -> Response {
    let caller = &session.caller;
    let lang = session.lang;
    let period = match clue_api::period_view(&platform, caller, "current").await {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let list = match clue_api::list(
        State(platform.clone()),
        caller.clone(),
        Query(ClueQuery { period: None }),
    )
    .await
    {
        Ok(Json(l)) => l,
        Err(e) => return error_page(e),
    };
    let tasks: Vec<Value> = hegui_knowledge::catalogue()
        .iter()
        .filter(|c| c.id.starts_with("MIIT164-"))
        .map(|c| {
            let title: String = lang.pick(&c.zh, &c.en).chars().take(40).collect();
            json!({"id": c.id, "title": title})
        })
        .collect();
    page(
        "clues.html",
        lang,
        Some(&session),
        json!({
            "period": period,
            "due_note": lang.pick(&period.due_zh, &period.due_en),
            "clues": list.clues,
            "tasks": tasks,
            "may_file": caller.org_kind == "bureau" && caller.is_authority(),
            "ministry": caller.sees_everything(),
        }),
    )
}

#[derive(Deserialize)]
pub struct ClueForm {
    #[serde(rename = "_csrf")]
    pub csrf: String,
    pub app_name: String,
    pub store: Option<String>,
    pub task: String,
    pub description: String,
}

pub async fn file_clue(
    State(platform): State<Platform>,
    session: Session,
    Form(form): Form<ClueForm>,
) -> Response {
    if !session.csrf_ok(Some(&form.csrf)) {
        return session::csrf_refused();
    }
    let body = NewClue {
        app_name: form.app_name,
        store: form.store,
        app_id: None,
        task: form.task,
        description: form.description,
        province: None,
    };
    match clue_api::file(State(platform), session.caller.clone(), Json(body)).await {
        Ok(_) => redirect("/clues"),
        Err(e) => error_page(e),
    }
}
