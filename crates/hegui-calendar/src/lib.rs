//! The China (mainland) working-day calendar, as data.
//!
//! Rectification deadlines are counted in working days ("5 个工作日"), and China moves its
//! working days every year: the State Council General Office publishes the year's holidays
//! and the weekend days worked in exchange (调休) in a notice each autumn. This crate holds
//! one file per year transcribed from those notices (`data/YYYY.json`, each citing its
//! notice) and counts working days over them.
//!
//! A year without a file is unknown, and every function that would need it returns
//! [`CalendarError::MissingYear`]: a deadline computed from a guessed calendar is wrong
//! in exactly the weeks that matter. New years can be added without a new release
//! ([`Calendar::with_dir`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::{
    Date, Duration, Weekday, format_description::BorrowedFormatItem, macros::format_description,
};

/// The years shipped with hegui, one notice (or more) each.
const EMBEDDED: &[(i32, &str)] = &[
    (2020, include_str!("../data/2020.json")),
    (2021, include_str!("../data/2021.json")),
    (2022, include_str!("../data/2022.json")),
    (2023, include_str!("../data/2023.json")),
    (2024, include_str!("../data/2024.json")),
    (2025, include_str!("../data/2025.json")),
    (2026, include_str!("../data/2026.json")),
];

const ISO: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Counting further than this many working days is refused (about 40 years): a typo in
/// a deadline should fail fast, not walk the calendar.
pub const MAX_WORKING_DAYS: i64 = 10_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error(
        "no working-day calendar for {year}: the State Council holiday notice for {year} is not \
         loaded (add {year}.json to the calendar directory)"
    )]
    MissingYear { year: i32 },
    #[error("{source_name}: {problem}")]
    BadData {
        source_name: String,
        problem: String,
    },
    #[error("not a date (YYYY-MM-DD): {0}")]
    BadDate(String),
    #[error("{0} working days is more than the calendar counts ({MAX_WORKING_DAYS})")]
    TooFar(i64),
}

/// The notice a year's data comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Notice {
    /// Document number, e.g. `国办发明电〔2023〕7号`.
    pub id: String,
    pub title: String,
    /// Date of the notice (ISO).
    pub published: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    pub name_en: String,
    pub days: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdjustedWorkingDay {
    pub date: String,
    /// The festival the swap belongs to.
    #[serde(rename = "for")]
    pub for_holiday: String,
}

/// One year's file, as published in `data/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    pub year: i32,
    pub notices: Vec<Notice>,
    pub holidays: Vec<Holiday>,
    pub adjusted_working_days: Vec<AdjustedWorkingDay>,
}

/// What a notice says of a date that differs from the ordinary week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Off,
    Work,
}

/// Which dates are working days, for the years loaded.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, Vec<Notice>>,
    special: BTreeMap<Date, Special>,
}

/// Parse an ISO date (`2024-10-08`).
pub fn parse_date(text: &str) -> Result<Date, CalendarError> {
    Date::parse(text.trim(), ISO).map_err(|_| CalendarError::BadDate(text.to_string()))
}

/// An ISO date (`2024-10-08`).
pub fn format_date(date: Date) -> String {
    date.format(ISO).unwrap_or_else(|_| date.to_string())
}

impl Calendar {
    /// The calendar shipped with hegui (2020 onwards), read once.
    pub fn china() -> &'static Calendar {
        static CHINA: OnceLock<Calendar> = OnceLock::new();
        CHINA.get_or_init(|| {
            let mut calendar = Calendar::default();
            for (year, text) in EMBEDDED {
                // The embedded files are checked by this crate's tests; a broken one is a
                // build defect, and the year then reads as missing rather than wrong.
                let _ = calendar.add_json(&format!("embedded {year}.json"), text);
            }
            calendar
        })
    }

    /// The shipped calendar plus (or overridden by) every `YYYY.json` in `dir`: a year
    /// whose notice came out after this release.
    pub fn with_dir(dir: &Path) -> Result<Calendar, CalendarError> {
        let mut calendar = Calendar::china().clone();
        let bad = |problem: String| CalendarError::BadData {
            source_name: dir.display().to_string(),
            problem,
        };
        let entries = std::fs::read_dir(dir).map_err(|e| bad(e.to_string()))?;
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for path in files {
            let name = path.display().to_string();
            let meta = std::fs::metadata(&path).map_err(|e| bad(format!("{name}: {e}")))?;
            if meta.len() > 1 << 20 {
                return Err(CalendarError::BadData {
                    source_name: name,
                    problem: "over 1 MiB: not a year's holiday notice".into(),
                });
            }
            let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("{name}: {e}")))?;
            calendar.add_json(&name, &text)?;
        }
        Ok(calendar)
    }

    /// Add (or replace) one year from its JSON file. The file is checked: dates in ISO
    /// form, adjusted working days on a weekend, no date both off and worked.
    pub fn add_json(&mut self, source_name: &str, text: &str) -> Result<i32, CalendarError> {
        let bad = |problem: String| CalendarError::BadData {
            source_name: source_name.to_string(),
            problem,
        };
        let file: YearFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if !(2000..=2200).contains(&file.year) {
            return Err(bad(format!("year {} is out of range", file.year)));
        }
        if file.notices.is_empty() {
            return Err(bad("no notice cited: every year names its source".into()));
        }
        let mut off = BTreeSet::new();
        for holiday in &file.holidays {
            for day in &holiday.days {
                let date = parse_date(day).map_err(|e| bad(e.to_string()))?;
                // A range may start in the year before (元旦 2023 began on 2022-12-31).
                if (date.year() - file.year).abs() > 1 {
                    return Err(bad(format!(
                        "{day} ({}) is not near {}",
                        holiday.name, file.year
                    )));
                }
                off.insert(date);
            }
        }
        let mut work = BTreeSet::new();
        for adjusted in &file.adjusted_working_days {
            let date = parse_date(&adjusted.date).map_err(|e| bad(e.to_string()))?;
            if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
                return Err(bad(format!(
                    "{} is a {}: an adjusted working day is a weekend day",
                    adjusted.date,
                    date.weekday()
                )));
            }
            if off.contains(&date) {
                return Err(bad(format!(
                    "{} is both a holiday and a working day",
                    adjusted.date
                )));
            }
            work.insert(date);
        }
        // Replacing a year: drop what an earlier file said of it.
        self.special.retain(|d, _| d.year() != file.year);
        self.special
            .extend(off.into_iter().map(|d| (d, Special::Off)));
        self.special
            .extend(work.into_iter().map(|d| (d, Special::Work)));
        self.years.insert(file.year, file.notices);
        Ok(file.year)
    }

    /// The years loaded, with the notices each comes from.
    pub fn years(&self) -> impl Iterator<Item = (i32, &[Notice])> {
        self.years.iter().map(|(y, n)| (*y, n.as_slice()))
    }

    fn check_year(&self, date: Date) -> Result<(), CalendarError> {
        if self.years.contains_key(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::MissingYear { year: date.year() })
        }
    }

    /// Is `date` a working day? Weekdays are, unless a notice gives them off; weekends are
    /// not, unless a notice makes them working days.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        self.check_year(date)?;
        Ok(match self.special.get(&date) {
            Some(Special::Off) => false,
            Some(Special::Work) => true,
            None => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
        })
    }

    /// The date `n` working days after `start` (before it when `n` is negative), not
    /// counting `start` itself: a notice served on Friday 2024-09-27 with 5 working days
    /// to answer is due on 2024-10-10 (29 and 30 September, then 8–10 October).
    pub fn add_working_days(&self, start: Date, n: i64) -> Result<Date, CalendarError> {
        if n.abs() > MAX_WORKING_DAYS {
            return Err(CalendarError::TooFar(n));
        }
        let step = if n < 0 { -Duration::DAY } else { Duration::DAY };
        let mut date = start;
        let mut left = n.abs();
        while left > 0 {
            date = date
                .checked_add(step)
                .ok_or_else(|| CalendarError::BadDate(format_date(date)))?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Working days after `start` up to and including `end` (negative when `end` comes
    /// first), so that `add_working_days(a, n) == b` gives `working_days_between(a, b) == n`
    /// whenever `b` is a working day.
    pub fn working_days_between(&self, start: Date, end: Date) -> Result<i64, CalendarError> {
        let (from, to, sign) = if end >= start {
            (start, end, 1)
        } else {
            (end, start, -1)
        };
        self.check_year(from)?;
        self.check_year(to)?;
        let mut count = 0i64;
        let mut date = from;
        while date < to {
            date = date
                .checked_add(Duration::DAY)
                .ok_or_else(|| CalendarError::BadDate(format_date(date)))?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests;
