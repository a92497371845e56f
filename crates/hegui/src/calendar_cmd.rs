//! `hegui calendar`: working days for rectification deadlines.

use hegui_calendar::{Calendar, format_date, parse_date};

use crate::cli::{CalendarAction, CalendarArgs};
use crate::exit;

pub fn run(args: CalendarArgs) -> anyhow::Result<u8> {
    let owned;
    let calendar = match &args.calendar_dir {
        Some(dir) => {
            owned = Calendar::with_dir(dir)?;
            &owned
        }
        None => Calendar::china(),
    };
    match args.action {
        CalendarAction::Add { date, n } => {
            let due = calendar.add_working_days(parse_date(&date)?, n)?;
            println!("{}", format_date(due));
        }
        CalendarAction::Between { start, end } => {
            let n = calendar.working_days_between(parse_date(&start)?, parse_date(&end)?)?;
            println!("{n}");
        }
        CalendarAction::Is { date } => {
            let working = calendar.is_working_day(parse_date(&date)?)?;
            println!("{}", if working { "yes" } else { "no" });
        }
        CalendarAction::Years => {
            for (year, notices) in calendar.years() {
                let cited: Vec<String> = notices
                    .iter()
                    .map(|n| format!("{} ({}) {}", n.id, n.published, n.url))
                    .collect();
                println!("{year}  {}", cited.join("; "));
            }
        }
    }
    Ok(exit::OK)
}
