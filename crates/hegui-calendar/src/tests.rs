use super::*;

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn add(start: &str, n: i64) -> String {
    format_date(Calendar::china().add_working_days(d(start), n).unwrap())
}

#[test]
fn every_shipped_year_loads_and_cites_its_notice() {
    for (year, text) in EMBEDDED {
        let mut calendar = Calendar::default();
        assert_eq!(calendar.add_json("test", text).unwrap(), *year);
        let notices = &calendar.years[year];
        assert!(
            notices[0].id.starts_with("国办发明电"),
            "{year}: {notices:?}"
        );
        assert!(notices[0].title.contains(&year.to_string()));
    }
    let years: Vec<i32> = Calendar::china().years().map(|(y, _)| y).collect();
    assert_eq!(years, (2020..=2026).collect::<Vec<_>>());
}

#[test]
fn deadlines_across_national_day() {
    // Friday 27 Sep 2024: Sunday 29 Sep is worked, 1–7 Oct are off.
    assert_eq!(add("2024-09-27", 1), "2024-09-29");
    assert_eq!(add("2024-09-27", 5), "2024-10-10");
    // 2023: Mid-Autumn and National Day together, 29 Sep – 6 Oct; 7 and 8 Oct worked.
    assert_eq!(add("2023-09-28", 1), "2023-10-07");
    assert_eq!(add("2023-09-28", 5), "2023-10-11");
}

#[test]
fn deadlines_across_spring_festival() {
    // 2025: 28 Jan – 4 Feb off; Sunday 26 Jan and Saturday 8 Feb worked.
    assert_eq!(add("2025-01-24", 1), "2025-01-26");
    assert_eq!(add("2025-01-24", 5), "2025-02-07");
    assert_eq!(add("2025-02-07", 1), "2025-02-08");
    // 2020: the COVID extension kept 31 Jan – 2 Feb off, cancelling Saturday 1 Feb's work.
    assert_eq!(add("2020-01-23", 1), "2020-02-03");
}

#[test]
fn an_adjusted_saturday_counts() {
    let china = Calendar::china();
    assert!(china.is_working_day(d("2026-02-14")).unwrap()); // Saturday, for 春节
    assert!(!china.is_working_day(d("2026-02-21")).unwrap()); // Saturday inside 春节
    assert!(!china.is_working_day(d("2026-02-16")).unwrap()); // Monday inside 春节
    assert!(china.is_working_day(d("2026-02-24")).unwrap());
    assert!(!china.is_working_day(d("2026-03-07")).unwrap()); // an ordinary Saturday
    assert_eq!(add("2024-10-11", 1), "2024-10-12");
}

#[test]
fn counting_between_agrees_with_adding() {
    let china = Calendar::china();
    for (start, n) in [
        ("2024-09-27", 5),
        ("2025-01-24", 5),
        ("2026-12-01", 20),
        ("2021-02-05", 3),
    ] {
        let end = china.add_working_days(d(start), n).unwrap();
        assert_eq!(china.working_days_between(d(start), end).unwrap(), n);
        assert_eq!(china.working_days_between(end, d(start)).unwrap(), -n);
        // Every start here is a working day, so going back lands on it.
        assert_eq!(china.add_working_days(end, -n).unwrap(), d(start));
    }
    assert_eq!(
        china
            .working_days_between(d("2024-10-01"), d("2024-10-07"))
            .unwrap(),
        0
    );
    assert_eq!(add("2024-10-08", 0), "2024-10-08");
}

#[test]
fn a_missing_year_is_an_error_not_a_guess() {
    let china = Calendar::china();
    let err = china.add_working_days(d("2026-12-28"), 5).unwrap_err();
    assert_eq!(err, CalendarError::MissingYear { year: 2027 });
    assert!(err.to_string().contains("2027"));
    assert_eq!(
        china.is_working_day(d("2019-06-03")).unwrap_err(),
        CalendarError::MissingYear { year: 2019 }
    );
    assert!(
        china
            .working_days_between(d("2026-12-01"), d("2027-01-10"))
            .is_err()
    );
    assert_eq!(
        china
            .add_working_days(d("2024-01-02"), 1_000_000)
            .unwrap_err(),
        CalendarError::TooFar(1_000_000)
    );
}

#[test]
fn a_directory_adds_a_year() {
    let dir = std::env::temp_dir().join(format!("hegui-calendar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // An invented year for the test only: 1 January off, one Saturday worked.
    std::fs::write(
        dir.join("2027.json"),
        r#"{"year":2027,"notices":[{"id":"test","title":"2027 test","published":"2026-11-01","url":"https://example.invalid"}],
            "holidays":[{"name":"元旦","name_en":"New Year's Day","days":["2027-01-01"]}],
            "adjusted_working_days":[{"date":"2027-01-09","for":"test"}]}"#,
    )
    .unwrap();
    let calendar = Calendar::with_dir(&dir).unwrap();
    assert_eq!(
        format_date(calendar.add_working_days(d("2026-12-31"), 1).unwrap()),
        "2027-01-04"
    );
    assert!(calendar.is_working_day(d("2027-01-09")).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_year_files_name_the_problem() {
    let notice = r#""notices":[{"id":"x","title":"t","published":"p","url":"u"}]"#;
    for (text, needle) in [
        (
            format!(
                r#"{{"year":2030,{notice},"holidays":[],"adjusted_working_days":[{{"date":"2030-01-07","for":"x"}}]}}"#
            ),
            "weekend",
        ),
        (
            format!(
                r#"{{"year":2030,{notice},"holidays":[{{"name":"a","name_en":"a","days":["2030-01-05"]}}],"adjusted_working_days":[{{"date":"2030-01-05","for":"x"}}]}}"#
            ),
            "both",
        ),
        (
            format!(
                r#"{{"year":2030,{notice},"holidays":[{{"name":"a","name_en":"a","days":["2030-13-01"]}}],"adjusted_working_days":[]}}"#
            ),
            "not a date",
        ),
        (
            r#"{"year":2030,"notices":[],"holidays":[],"adjusted_working_days":[]}"#.to_string(),
            "no notice",
        ),
        (r#"{"year":2030"#.to_string(), "EOF"),
    ] {
        let err = Calendar::default()
            .add_json("2030.json", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2030.json") && err.contains(needle), "{err}");
    }
}
