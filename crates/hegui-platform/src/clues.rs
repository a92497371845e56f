//! Clue periods: provincial bureaus enter violation clues into the national system before
//! the 15th of each month. A period is named by the month of its due date (`2026-03`); the
//! due date is the 15th, moved to the next working day when the 15th is a weekend or a
//! holiday. A clue belongs to the first period whose due date is on or after the day it is
//! filed.

use hegui_calendar::{Calendar, CalendarError};
use time::{Date, Month};

/// A period's due date and whether it was moved off the 15th.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub date: Date,
    pub moved: bool,
}

/// `YYYY-MM` → (year, month).
pub fn parse_period(text: &str) -> Option<(i32, Month)> {
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Some((y.parse().ok()?, month))
}

pub fn format_period(year: i32, month: Month) -> String {
    format!("{year:04}-{:02}", u8::from(month))
}

/// The due date of the period `year`-`month`.
pub fn due(calendar: &Calendar, year: i32, month: Month) -> Result<Due, CalendarError> {
    let fifteenth = Date::from_calendar_date(year, month, 15)
        .map_err(|e| CalendarError::BadDate(format!("{year}-{month}: {e}")))?;
    let mut date = fifteenth;
    // A month has working days; the bound only guards against a broken calendar.
    for _ in 0..31 {
        if calendar.is_working_day(date)? {
            return Ok(Due {
                date,
                moved: date != fifteenth,
            });
        }
        date = date
            .next_day()
            .ok_or_else(|| CalendarError::BadDate(format!("after {date}")))?;
    }
    Err(CalendarError::BadDate(format!(
        "no working day after {fifteenth}"
    )))
}

/// The period a clue filed on `day` belongs to.
pub fn period_for(calendar: &Calendar, day: Date) -> Result<(i32, Month), CalendarError> {
    let (year, month) = (day.year(), day.month());
    if day <= due(calendar, year, month)?.date {
        return Ok((year, month));
    }
    Ok(match month {
        Month::December => (year + 1, Month::January),
        m => (year, m.next()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use hegui_calendar::parse_date;

    fn due_of(period: &str) -> (String, bool) {
        let (y, m) = parse_period(period).unwrap();
        let d = due(Calendar::china(), y, m).unwrap();
        (hegui_calendar::format_date(d.date), d.moved)
    }

    /// The 15th on a working day stays; on a weekend or holiday it moves to the next
    /// working day of the real schedule.
    #[test]
    fn due_dates_on_the_real_calendar() {
        // 2026-01-15 is a Thursday.
        assert_eq!(due_of("2026-01"), ("2026-01-15".into(), false));
        // 2026-02-15 is a Sunday, and 2026-02-15..23 is the Spring Festival holiday
        // (2026-02-14, a Saturday, is a make-up working day, but it is before the 15th).
        assert_eq!(due_of("2026-02"), ("2026-02-24".into(), true));
        // 2025-06-15 is a Sunday: Monday the 16th.
        assert_eq!(due_of("2025-06"), ("2025-06-16".into(), true));
        // 2024-09-15 is a Sunday inside the Mid-Autumn holiday (15–17): the 18th.
        assert_eq!(due_of("2024-09"), ("2024-09-18".into(), true));
        // 2027 has no calendar yet: an error, not a guess.
        assert!(due(Calendar::china(), 2027, Month::March).is_err());
    }

    #[test]
    fn clues_belong_to_the_next_due_date() {
        let c = Calendar::china();
        let p = |d: &str| {
            let (y, m) = period_for(c, parse_date(d).unwrap()).unwrap();
            format_period(y, m)
        };
        assert_eq!(p("2026-01-15"), "2026-01");
        assert_eq!(p("2026-01-16"), "2026-02");
        // Filed on the moved due date itself: still on time.
        assert_eq!(p("2026-02-24"), "2026-02");
        assert_eq!(p("2025-12-31"), "2026-01");
        assert!(parse_period("2026-13").is_none());
        assert!(parse_period("26-01").is_none());
    }
}
