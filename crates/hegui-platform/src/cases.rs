//! Rectification cases: the loop of MIIT notice 164. An authority opens a case on an app
//! version from selected findings; notifying the operator starts a deadline of N working
//! days (5 by default) counted with the China working-day calendar; the operator
//! acknowledges and rectifies; a re-test closes the case or escalates it.
//!
//! This module is the state machine and the deadline arithmetic; `api::cases` stores and
//! scopes them.

use hegui_calendar::{Calendar, CalendarError};
use time::{Date, OffsetDateTime, UtcOffset};

/// Case states, in the order a case normally goes through them.
pub const STATES: &[&str] = &[
    "open",
    "notified",
    "rectifying",
    "retest",
    "closed",
    "escalated",
];

/// Case types and their default deadline in working days.
pub const CASE_TYPES: &[(&str, i64)] = &[
    // Notice 164: five working days to rectify after notification.
    ("rectification", 5),
];

/// Longest deadline a case may be given, in working days.
pub const MAX_DEADLINE_DAYS: i64 = 60;

/// Who may move a case from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The ministry or the bureau handling the case.
    Authority,
    /// The enterprise that operates the app.
    Operator,
    /// Either of them.
    Either,
}

/// Who may make the move `from` → `to`; none if the move is not allowed at all.
pub fn transition(from: &str, to: &str) -> Option<Actor> {
    Some(match (from, to) {
        ("open", "notified") => Actor::Authority,
        // The operator acknowledges the notice and starts rectifying.
        ("notified", "rectifying") => Actor::Operator,
        // A rectified version is ready for the re-test.
        ("rectifying", "retest") => Actor::Either,
        // The re-test decides: closed, back to rectifying, or escalated.
        ("retest", "closed") | ("retest", "rectifying") => Actor::Authority,
        ("notified" | "rectifying" | "retest", "escalated") => Actor::Authority,
        ("open" | "escalated", "closed") => Actor::Authority,
        _ => return None,
    })
}

/// Whether a case in `state` is waiting on the operator, so its deadline runs.
pub fn deadline_runs(state: &str) -> bool {
    matches!(state, "notified" | "rectifying")
}

/// Today in Beijing (UTC+8), where deadlines are counted.
pub fn today() -> Date {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// The last day to rectify: `days` working days after the day of notification.
pub fn deadline(calendar: &Calendar, notified_on: Date, days: i64) -> Result<Date, CalendarError> {
    calendar.add_working_days(notified_on, days)
}

/// Whether a case whose deadline is `deadline` is overdue on `today`.
pub fn overdue(state: &str, deadline: Option<Date>, today: Date) -> bool {
    deadline_runs(state) && deadline.is_some_and(|d| today > d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use hegui_calendar::parse_date;

    #[test]
    fn moves_and_who_makes_them() {
        assert_eq!(transition("open", "notified"), Some(Actor::Authority));
        assert_eq!(transition("notified", "rectifying"), Some(Actor::Operator));
        assert_eq!(transition("rectifying", "retest"), Some(Actor::Either));
        assert_eq!(transition("retest", "closed"), Some(Actor::Authority));
        assert_eq!(transition("open", "closed"), Some(Actor::Authority));
        assert_eq!(
            transition("closed", "open"),
            None,
            "a closed case stays closed"
        );
        assert_eq!(
            transition("open", "retest"),
            None,
            "no re-test before notice"
        );
        for s in STATES {
            assert_eq!(transition(s, s), None);
        }
    }

    /// Deadlines on the real schedule: notified on the Friday before National Day 2024,
    /// five working days run through the holiday and the 调休 Saturday after it.
    #[test]
    fn deadlines_cross_holidays() {
        let calendar = Calendar::china();
        let notified = parse_date("2024-09-27").unwrap();
        // 9-29 (Sun) is a make-up working day; 10-1..7 holiday; 10-12 (Sat) a make-up day.
        let due = deadline(calendar, notified, 5).unwrap();
        assert_eq!(hegui_calendar::format_date(due), "2024-10-10");
        assert!(overdue(
            "rectifying",
            Some(due),
            parse_date("2024-10-11").unwrap()
        ));
        assert!(!overdue("rectifying", Some(due), due));
        // Spring Festival 2026: notified Thursday 2026-02-12; Saturday the 14th is a 调休
        // working day, the 15th–23rd the holiday: 13, 14, 24, 25, 26.
        let due = deadline(calendar, parse_date("2026-02-12").unwrap(), 5).unwrap();
        assert_eq!(hegui_calendar::format_date(due), "2026-02-26");
        assert!(!overdue(
            "closed",
            Some(due),
            parse_date("2025-01-01").unwrap()
        ));
    }
}
