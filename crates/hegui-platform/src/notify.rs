//! Notifications about a case: an in-app message to each organisation concerned and a mail
//! (queued in `mail_outbox`, sent by [`crate::mail`]) to each of its users with an address.
//! Written in the same transaction as the change they announce, so neither is lost.

use sqlx::Row;

use crate::db::now_ms;

/// What happened to a case.
#[derive(Debug, Clone)]
pub enum News {
    /// The operator was notified: the deadline runs.
    Opened { deadline: String },
    /// The deadline is the next working day or today.
    DeadlineNear { deadline: String },
    /// The deadline passed with the case still waiting on the operator.
    Overdue { deadline: String },
    /// An escalation step was taken.
    Escalated { step_zh: String, step_en: String },
    /// The operator submitted a rectified version and statement.
    Submitted,
    /// The rectified version was compared with the case.
    Retested {
        fixed: usize,
        remaining: usize,
        new: usize,
    },
    /// The package submitted as the rectified version is another app's.
    OtherApp,
}

/// Who hears of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum To {
    Operator,
    Authority,
    Both,
}

impl News {
    pub fn kind(&self) -> &'static str {
        match self {
            News::Opened { .. } => "case.opened",
            News::DeadlineNear { .. } => "case.deadline-near",
            News::Overdue { .. } => "case.overdue",
            News::Escalated { .. } => "case.escalated",
            News::Submitted => "case.submitted",
            News::Retested { .. } => "case.retested",
            News::OtherApp => "case.other-app",
        }
    }

    fn to(&self) -> To {
        match self {
            News::Opened { .. } | News::DeadlineNear { .. } => To::Operator,
            News::Submitted | News::OtherApp => To::Authority,
            News::Overdue { .. } | News::Escalated { .. } | News::Retested { .. } => To::Both,
        }
    }

    /// (中文, English) subject lines about case `id` of app `app`.
    fn subjects(&self, id: i64, app: &str) -> (String, String) {
        match self {
            News::Opened { deadline } => (
                format!("整改通知：「{app}」案件 {id}，请于 {deadline} 前完成整改"),
                format!("Rectification notice: case {id} on {app}, rectify by {deadline}"),
            ),
            News::DeadlineNear { deadline } => (
                format!("整改期限将至：「{app}」案件 {id}，期限 {deadline}"),
                format!("Deadline near: case {id} on {app} is due {deadline}"),
            ),
            News::Overdue { deadline } => (
                format!("已逾期：「{app}」案件 {id}，整改期限 {deadline} 已过"),
                format!("Overdue: case {id} on {app} was due {deadline}"),
            ),
            News::Escalated { step_zh, step_en } => (
                format!("案件升级处置：「{app}」案件 {id}，{step_zh}"),
                format!("Case escalated: case {id} on {app}, {step_en}"),
            ),
            News::Submitted => (
                format!("已提交整改版本：「{app}」案件 {id}，待复测"),
                format!("Rectified version submitted: case {id} on {app}, awaiting re-test"),
            ),
            News::Retested {
                fixed,
                remaining,
                new,
            } => (
                format!(
                    "复测完成：「{app}」案件 {id}，已整改 {fixed} 项，仍存在 {remaining} 项，新增 {new} 项"
                ),
                format!(
                    "Re-tested: case {id} on {app}, {fixed} fixed, {remaining} remaining, {new} new"
                ),
            ),
            News::OtherApp => (
                format!("复测未进行：「{app}」案件 {id} 提交的整改包属于其他应用"),
                format!(
                    "Re-test not done: the package submitted for case {id} on {app} is another app's"
                ),
            ),
        }
    }
}

/// Tell the organisations concerned by case `case_id` what happened.
pub async fn case_news(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    news: &News,
) -> anyhow::Result<()> {
    let row = sqlx::query(
        "SELECT c.opened_by_org, a.owner_org_id, COALESCE(a.name, a.app_key) AS app \
         FROM cases c JOIN apps a ON a.id = c.app_id WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await?;
    let authority: i64 = row.try_get("opened_by_org")?;
    let operator: Option<i64> = row.try_get("owner_org_id")?;
    let app: String = row.try_get("app")?;
    let mut orgs = Vec::new();
    if matches!(news.to(), To::Authority | To::Both) {
        orgs.push(authority);
    }
    if matches!(news.to(), To::Operator | To::Both) {
        // An app nobody owns yet has no operator to tell.
        orgs.extend(operator.filter(|o| *o != authority));
    }
    let (zh, en) = news.subjects(case_id, &app);
    let body = format!("{zh}\n{en}\n\n案件 / case: {case_id}");
    let now = now_ms();
    for org in orgs {
        sqlx::query(
            "INSERT INTO messages (org_id, case_id, kind, subject_zh, subject_en, body, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(org)
        .bind(case_id)
        .bind(news.kind())
        .bind(&zh)
        .bind(&en)
        .bind(&body)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO mail_outbox (to_addr, subject, body, created_ms, next_ms) \
             SELECT email, $1, $2, $3, $3 FROM users \
             WHERE org_id = $4 AND email IS NOT NULL AND email <> ''",
        )
        .bind(format!("[hegui] {zh}"))
        .bind(&body)
        .bind(now)
        .bind(org)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
