//! What happens to a case besides its state moves, shared by the API and the worker:
//! recording an event, comparing a rectified version with the case (the re-test), the
//! escalation steps and their order.

use std::collections::BTreeSet;

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{self, Actor};
use crate::db::now_ms;
use crate::notify::{self, News};

/// Escalation steps of notice 164, in the order they are taken: (id, 中文, English).
pub const ESCALATION_STEPS: &[(&str, &str, &str)] = &[
    ("public_notice", "公开通报", "public notice"),
    (
        "takedown",
        "要求应用商店下架",
        "takedown request to app stores",
    ),
    ("penalty", "行政处罚", "administrative penalty"),
    (
        "blacklist",
        "纳入不良名单或失信名单",
        "listing as a bad-faith operator (blacklist)",
    ),
];

/// The position (1-based) of an escalation step, or none if it is not one.
pub fn step_ordinal(step: &str) -> Option<i64> {
    ESCALATION_STEPS
        .iter()
        .position(|(id, _, _)| *id == step)
        .and_then(|i| i64::try_from(i + 1).ok())
}

/// The step that may be recorded after `taken` steps: steps are taken in order, none
/// skipped; none after the last.
pub fn next_step(taken: usize) -> Option<&'static str> {
    ESCALATION_STEPS.get(taken).map(|(id, _, _)| *id)
}

/// Record a move (or a note on the case, `from == Some(to)`) in the case's events and in
/// the audit log, inside the caller's transaction.
pub async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    case: i64,
    from: Option<&str>,
    to: &str,
    note: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO case_events (case_id, at_ms, user_id, actor, from_state, to_state, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(case)
    .bind(now_ms())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(from)
    .bind(to)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    let detail = serde_json::json!({"from": from, "to": to, "note": note});
    audit::record_in(
        tx,
        actor,
        "case.transition",
        &format!("case:{case}"),
        detail,
    )
    .await?;
    Ok(())
}

/// A finding of the rectified version that the case's version did not have.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewFinding {
    pub fingerprint: String,
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
}

/// The re-test: the case's findings sorted into fixed and remaining by the rectified
/// version's hegui findings, and that version's findings the original lacked.
#[derive(Debug, Default)]
pub struct Comparison {
    pub fixed: Vec<String>,
    pub remaining: Vec<String>,
    pub new: Vec<NewFinding>,
}

impl Comparison {
    pub fn summary(&self, version: i64) -> String {
        let (fixed, remaining, new) = (self.fixed.len(), self.remaining.len(), self.new.len());
        format!(
            "复测版本 {version}：已整改 {fixed} 项，仍存在 {remaining} 项，新增 {new} 项 / \
             re-test of version {version}: {fixed} fixed, {remaining} remaining, {new} new"
        )
    }
}

/// Compare case `case_id` (about `case_version`) with `rectified`, by fingerprint.
pub async fn compare(
    conn: &mut AnyConnection,
    case_id: i64,
    case_version: i64,
    rectified: i64,
) -> anyhow::Result<Comparison> {
    let fingerprints = "SELECT fingerprint, code, title_zh, title_en FROM findings \
                        WHERE version_id = $1 AND engine = 'hegui'";
    let now = sqlx::query(fingerprints)
        .bind(rectified)
        .fetch_all(&mut *conn)
        .await?;
    let before: BTreeSet<String> = sqlx::query(fingerprints)
        .bind(case_version)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>("fingerprint"))
        .collect::<Result<_, _>>()?;
    let present: BTreeSet<String> = now
        .iter()
        .map(|r| r.try_get::<String, _>("fingerprint"))
        .collect::<Result<_, _>>()?;
    let mut out = Comparison::default();
    let case_findings = sqlx::query(
        "SELECT fingerprint FROM case_findings WHERE case_id = $1 ORDER BY code, fingerprint",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &case_findings {
        let fingerprint: String = row.try_get("fingerprint")?;
        if present.contains(&fingerprint) {
            out.remaining.push(fingerprint);
        } else {
            out.fixed.push(fingerprint);
        }
    }
    for r in &now {
        let fingerprint: String = r.try_get("fingerprint")?;
        if !before.contains(&fingerprint) {
            out.new.push(NewFinding {
                fingerprint,
                code: r.try_get("code")?,
                title_zh: r.try_get("title_zh")?,
                title_en: r.try_get("title_en")?,
            });
        }
    }
    Ok(out)
}

/// Keep a comparison on the case: each finding marked fixed or remaining, the rectified
/// version noted, and a rectifying case moved to re-test; only if the case is still in
/// `state`. Returns whether it was.
pub async fn apply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    case_id: i64,
    state: &str,
    rectified: i64,
    comparison: &Comparison,
) -> anyhow::Result<bool> {
    let moved = sqlx::query(
        "UPDATE cases SET retest_version_id = $1, \
         state = CASE WHEN state = 'rectifying' THEN 'retest' ELSE state END \
         WHERE id = $2 AND state = $3",
    )
    .bind(rectified)
    .bind(case_id)
    .bind(state)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    for (list, status) in [
        (&comparison.fixed, "fixed"),
        (&comparison.remaining, "remaining"),
    ] {
        for fingerprint in list {
            sqlx::query(
                "UPDATE case_findings SET status = $1 WHERE case_id = $2 AND fingerprint = $3",
            )
            .bind(status)
            .bind(case_id)
            .bind(fingerprint)
            .execute(&mut **tx)
            .await?;
        }
    }
    let summary = comparison.summary(rectified);
    record_event(tx, actor, case_id, Some(state), "retest", Some(&summary)).await?;
    notify::case_news(
        tx,
        case_id,
        &News::Retested {
            fixed: comparison.fixed.len(),
            remaining: comparison.remaining.len(),
            new: comparison.new.len(),
        },
    )
    .await?;
    Ok(true)
}

/// The worker has recorded `version` of `app` from analysis `analysis`: compare it with
/// every case whose operator submitted that package as its rectified version.
pub async fn compare_submissions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    analysis: i64,
    app: i64,
    version: i64,
) -> anyhow::Result<()> {
    let waiting = sqlx::query(
        "SELECT s.id, s.case_id, c.app_id, c.version_id, c.state FROM submissions s \
         JOIN cases c ON c.id = s.case_id WHERE s.analysis_id = $1 AND s.compared_ms IS NULL",
    )
    .bind(analysis)
    .fetch_all(&mut **tx)
    .await?;
    for row in waiting {
        let submission: i64 = row.try_get("id")?;
        let case_id: i64 = row.try_get("case_id")?;
        let case_version: i64 = row.try_get("version_id")?;
        let state: String = row.try_get("state")?;
        let outcome = if row.try_get::<i64, _>("app_id")? != app {
            let note = format!(
                "提交的整改包属于其他应用（版本 {version}） / \
                 the rectified package is another app's (version {version})"
            );
            record_event(tx, actor, case_id, Some(&state), &state, Some(&note)).await?;
            notify::case_news(tx, case_id, &News::OtherApp).await?;
            "other-app"
        } else if matches!(state.as_str(), "rectifying" | "retest") {
            let comparison = compare(tx, case_id, case_version, version).await?;
            apply(tx, actor, case_id, &state, version, &comparison).await?;
            "compared"
        } else {
            // Closed or escalated meanwhile: the authority has decided already.
            "not-compared"
        };
        sqlx::query(
            "UPDATE submissions SET version_id = $1, outcome = $2, compared_ms = $3 WHERE id = $4",
        )
        .bind(version)
        .bind(outcome)
        .bind(now_ms())
        .bind(submission)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_taken_in_order() {
        assert_eq!(next_step(0), Some("public_notice"));
        assert_eq!(next_step(3), Some("blacklist"));
        assert_eq!(next_step(4), None);
        assert_eq!(step_ordinal("takedown"), Some(2));
        assert_eq!(step_ordinal("fine"), None);
    }
}
