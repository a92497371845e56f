//! The daily job: on each new day (Beijing time) cases whose deadline is the next working
//! day or today get a reminder, and cases past their deadline while waiting on the operator
//! are marked overdue, with an event and a message. Each happens once per case; the
//! guards are in the UPDATEs, so any number of processes may run the job.

use std::time::Duration;

use hegui_calendar::{Calendar, format_date, parse_date};
use serde::Serialize;
use sqlx::Row;
use time::Date;
use tokio::sync::watch;

use crate::Platform;
use crate::audit::Actor;
use crate::cases;
use crate::casework::record_event;
use crate::notify::{self, News};

/// What one run did.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct DailyOutcome {
    /// Cases told their deadline is near.
    pub reminded: usize,
    /// Cases marked overdue.
    pub overdue: usize,
    /// Cases skipped because the calendar lacks a year (named in the log).
    pub no_calendar: usize,
}

/// Run the job for `today`.
pub async fn run_day(platform: &Platform, today: Date) -> anyhow::Result<DailyOutcome> {
    let calendar = Calendar::china();
    let actor = Actor {
        user_id: None,
        name: "daily job".into(),
    };
    let today_text = format_date(today);
    let waiting = sqlx::query(
        "SELECT id, state, deadline, reminded_on FROM cases \
         WHERE state IN ('notified', 'rectifying') AND deadline IS NOT NULL \
         AND overdue_on IS NULL ORDER BY id",
    )
    .fetch_all(&platform.db.pool)
    .await?;
    let mut out = DailyOutcome::default();
    for row in waiting {
        let id: i64 = row.try_get("id")?;
        let state: String = row.try_get("state")?;
        let deadline_text: String = row.try_get("deadline")?;
        let Ok(deadline) = parse_date(&deadline_text) else {
            // Deadlines are written by the platform; a bad one is reported, not fatal to
            // the other cases.
            eprintln!("hegui daily job: case {id}: deadline {deadline_text:?} is not a date");
            continue;
        };
        let (column, news, note) = if today > deadline {
            let note = format!(
                "已逾期：整改期限 {deadline_text} 已过 / overdue: the deadline {deadline_text} has passed"
            );
            let news = News::Overdue {
                deadline: deadline_text.clone(),
            };
            ("overdue_on", news, note)
        } else {
            if row.try_get::<Option<String>, _>("reminded_on")?.is_some() {
                continue;
            }
            match calendar.working_days_between(today, deadline) {
                Ok(n) if n <= 1 => {}
                Ok(_) => continue,
                Err(e) => {
                    eprintln!("hegui daily job: case {id}: {e}");
                    out.no_calendar += 1;
                    continue;
                }
            }
            let note = format!(
                "提醒：整改期限为 {deadline_text} / reminder: the deadline is {deadline_text}"
            );
            let news = News::DeadlineNear {
                deadline: deadline_text.clone(),
            };
            ("reminded_on", news, note)
        };
        let turn = platform.db.write_turn().await;
        let mut tx = platform.db.pool.begin().await?;
        let marked = sqlx::query(&format!(
            "UPDATE cases SET {column} = $1 WHERE id = $2 AND state = $3 AND {column} IS NULL"
        ))
        .bind(&today_text)
        .bind(id)
        .bind(&state)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked == 1 {
            record_event(&mut tx, &actor, id, Some(&state), &state, Some(&note)).await?;
            notify::case_news(&mut tx, id, &news).await?;
            tx.commit().await?;
            if column == "overdue_on" {
                out.overdue += 1;
            } else {
                out.reminded += 1;
            }
        }
        drop(turn);
    }
    Ok(out)
}

/// Run the job now and then whenever the day changes in Beijing, until `stop`.
pub async fn run(platform: Platform, check_every: Duration, mut stop: watch::Receiver<bool>) {
    let mut last: Option<Date> = None;
    loop {
        let today = cases::today();
        if last != Some(today) {
            match run_day(&platform, today).await {
                Ok(done) => {
                    last = Some(today);
                    if done.overdue + done.reminded > 0 {
                        eprintln!(
                            "hegui daily job {today}: {} reminded, {} marked overdue",
                            done.reminded, done.overdue
                        );
                    }
                }
                Err(e) => eprintln!("hegui daily job {today}: {e:#}"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(check_every) => {}
            _ = stop.changed() => return,
        }
    }
}
