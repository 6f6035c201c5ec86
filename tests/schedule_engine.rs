//! Tests for the working-hours engine (`baton::schedule`).
//!
//! Expected instants were worked out by hand from the zone's UTC offsets on the
//! dates involved; each one carries a comment with the local wall time it stands for.

use baton::schedule::*;
use chrono::{
    DateTime, Datelike, Days, NaiveDate, Offset, TimeDelta, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("bad RFC3339 {s:?}: {e}"))
        .with_timezone(&Utc)
}

fn clock(s: &str) -> Clock {
    s.parse().unwrap_or_else(|e| panic!("bad clock {s:?}: {e}"))
}

fn days(s: &str) -> DaySet {
    parse_day_span(s).unwrap_or_else(|e| panic!("bad day span {s:?}: {e}"))
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

fn weekly(span: &str, start: &str, end: &str) -> WeeklyRule {
    WeeklyRule {
        days: days(span),
        start: clock(start),
        end: clock(end),
    }
}

fn dated(d: &str, periods: &[(&str, &str)]) -> DateRule {
    DateRule {
        date: date(d),
        periods: periods.iter().map(|(s, e)| (clock(s), clock(e))).collect(),
    }
}

fn schedule(tz: Tz, weekly: &[WeeklyRule], dated: &[DateRule]) -> Schedule {
    Schedule::new(tz, weekly, dated).expect("valid schedule")
}

fn opening(s: &Schedule, at: &str) -> Option<DateTime<Utc>> {
    s.next_opening(utc(at))
}

fn closing(s: &Schedule, at: &str) -> Option<DateTime<Utc>> {
    s.next_closing(utc(at))
}

fn open(s: &Schedule, at: &str) -> bool {
    s.is_open(utc(at))
}

fn some(s: &str) -> Option<DateTime<Utc>> {
    Some(utc(s))
}

const SECOND: TimeDelta = TimeDelta::seconds(1);

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

#[test]
fn clock_parse_accepts_valid_times() {
    for (s, minutes) in [
        ("00:00", 0),
        ("00:01", 1),
        ("09:30", 570),
        ("12:00", 720),
        ("23:59", 1439),
        ("24:00", 1440),
    ] {
        let c: Clock = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(c.minutes(), minutes, "{s}");
        assert_eq!(c.to_string(), s, "display round trip");
    }
    assert_eq!(Clock::from_hm(24, 0), Some(Clock::END_OF_DAY));
    assert_eq!(Clock::from_hm(9, 5).map(Clock::minutes), Some(545));
    assert_eq!(Clock::from_hm(24, 1), None);
    assert_eq!(Clock::from_hm(23, 60), None);
    assert_eq!(Clock::from_hm(25, 0), None);
    assert_eq!(Clock::from_minutes(1440), Some(Clock::END_OF_DAY));
    assert_eq!(Clock::from_minutes(1441), None);
}

#[test]
fn clock_parse_rejects_malformed_times() {
    for s in [
        "24:01",
        "9:00",
        "09:60",
        "25:00",
        "99:99",
        "",
        "0900",
        "09-00",
        "09:0",
        "009:00",
        "09:000",
        " 09:00",
        "09:00 ",
        "+9:00",
        "-1:00",
        "09:0a",
        "٠٩:٠٠",
        "09:00:00",
        "24:00:00",
        "12h30",
    ] {
        let err = s.parse::<Clock>().expect_err(s);
        assert_eq!(
            err.to_string(),
            "must be HH:MM (00:00 to 23:59, or 24:00 as an end time)",
            "{s:?}"
        );
    }
}

#[test]
fn clock_serde_uses_hh_mm_strings() {
    let c: Clock = serde_json::from_str("\"07:45\"").expect("valid");
    assert_eq!(c.minutes(), 465);
    assert_eq!(serde_json::to_string(&c).expect("serializes"), "\"07:45\"");
    assert!(serde_json::from_str::<Clock>("\"7:45\"").is_err());
    assert!(serde_json::from_str::<Clock>("745").is_err());
}

#[test]
fn day_span_accepts_single_days_and_wrapping_ranges() {
    use Weekday::*;
    let set = |ds: &[Weekday]| ds.iter().copied().collect::<DaySet>();
    assert_eq!(days("monday"), set(&[Mon]));
    assert_eq!(days("sunday"), set(&[Sun]));
    assert_eq!(days("monday-friday"), set(&[Mon, Tue, Wed, Thu, Fri]));
    assert_eq!(days("monday-friday"), DaySet::WEEKDAYS);
    assert_eq!(days("friday-monday"), set(&[Fri, Sat, Sun, Mon]));
    assert_eq!(days("saturday-sunday"), set(&[Sat, Sun]));
    assert_eq!(days("sunday-saturday"), DaySet::ALL);
    assert_eq!(days("monday-sunday"), DaySet::ALL);
    assert_eq!(days("monday-monday"), set(&[Mon]));
    assert_eq!(days("tuesday-monday"), DaySet::ALL);
    let fri_mon = days("friday-monday");
    assert!(fri_mon.contains(Sat) && !fri_mon.contains(Wed));
    assert_eq!(fri_mon.len(), 4);
    assert_eq!(fri_mon.iter().collect::<Vec<_>>(), vec![Mon, Fri, Sat, Sun]);
}

#[test]
fn day_span_rejects_malformed_input() {
    for s in [
        "monday-funday",
        "Monday ",
        "Monday",
        "MONDAY",
        " monday",
        "monday ",
        "monday - friday",
        "monday -friday",
        "",
        "-",
        "monday-",
        "-friday",
        "mon",
        "mon-fri",
        "monday-tuesday-wednesday",
        "monday,tuesday",
        "monday–friday", // en dash
    ] {
        let err = parse_day_span(s).expect_err(s);
        assert!(err.to_string().contains("monday-friday"), "{s:?}: {err}");
    }
}

#[test]
fn schedule_new_rejects_invalid_periods() {
    let tz = chrono_tz::UTC;
    let rule = |d: DaySet, s: &str, e: &str| WeeklyRule {
        days: d,
        start: clock(s),
        end: clock(e),
    };
    assert_eq!(
        Schedule::new(tz, &[rule(DaySet::ALL, "09:00", "09:00")], &[]).err(),
        Some(ScheduleError::EmptyWeeklyPeriod {
            index: 0,
            at: clock("09:00")
        })
    );
    assert_eq!(
        Schedule::new(
            tz,
            &[
                rule(DaySet::ALL, "09:00", "10:00"),
                rule(DaySet::ALL, "24:00", "02:00")
            ],
            &[]
        )
        .err(),
        Some(ScheduleError::WeeklyStartsAtEndOfDay { index: 1 })
    );
    assert_eq!(
        Schedule::new(tz, &[rule(DaySet::EMPTY, "09:00", "10:00")], &[]).err(),
        Some(ScheduleError::EmptyDays { index: 0 })
    );
    assert_eq!(
        Schedule::new(
            tz,
            &[],
            &[dated(
                "2026-12-24",
                &[("10:00", "12:00"), ("13:00", "13:00")]
            )]
        )
        .err(),
        Some(ScheduleError::EmptyDatedPeriod {
            date: date("2026-12-24"),
            index: 1,
            at: clock("13:00")
        })
    );
    assert_eq!(
        Schedule::new(tz, &[], &[dated("2026-12-24", &[("24:00", "01:00")])]).err(),
        Some(ScheduleError::DatedStartsAtEndOfDay {
            date: date("2026-12-24"),
            index: 0
        })
    );
    // Valid edge cases: until midnight, overnight ending at midnight, 24:00 only as end.
    assert!(Schedule::new(tz, &[rule(DaySet::ALL, "00:00", "24:00")], &[]).is_ok());
    assert!(Schedule::new(tz, &[rule(DaySet::ALL, "22:00", "00:00")], &[]).is_ok());
    assert!(Schedule::new(tz, &[rule(DaySet::ALL, "22:00", "21:59")], &[]).is_ok());
}

// ---------------------------------------------------------------------------
// Basic behaviour (UTC, no DST)
// ---------------------------------------------------------------------------

#[test]
fn empty_schedule_is_never_open() {
    let s = schedule(chrono_tz::Europe::Berlin, &[], &[]);
    assert!(!open(&s, "2026-03-02T10:00:00Z"));
    assert_eq!(opening(&s, "2026-03-02T10:00:00Z"), None);
    assert_eq!(closing(&s, "2026-03-02T10:00:00Z"), None);
    // Only a past exception: nothing ahead either.
    let s = schedule(
        chrono_tz::Europe::Berlin,
        &[],
        &[dated("2020-01-01", &[("09:00", "17:00")])],
    );
    assert_eq!(opening(&s, "2026-03-02T10:00:00Z"), None);
    assert_eq!(closing(&s, "2026-03-02T10:00:00Z"), None);
}

#[test]
fn lunch_break_splits_the_day() {
    // 2026-03-02 is a Monday; the zone is UTC so local == UTC.
    let s = schedule(
        chrono_tz::UTC,
        &[
            weekly("monday-friday", "09:00", "12:00"),
            weekly("monday-friday", "13:00", "17:00"),
        ],
        &[],
    );
    assert!(!open(&s, "2026-03-02T08:59:59Z"));
    assert!(open(&s, "2026-03-02T09:00:00Z"));
    assert!(open(&s, "2026-03-02T11:59:59Z"));
    assert!(!open(&s, "2026-03-02T12:00:00Z"));
    assert!(!open(&s, "2026-03-02T12:59:59Z"));
    assert!(open(&s, "2026-03-02T13:00:00Z"));
    assert!(!open(&s, "2026-03-02T17:00:00Z"));

    assert_eq!(
        opening(&s, "2026-03-02T12:30:00Z"),
        some("2026-03-02T13:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-03-02T10:00:00Z"),
        some("2026-03-02T12:00:00Z")
    );
    // Open at 10:00: the next opening is after the lunch break.
    assert_eq!(
        opening(&s, "2026-03-02T10:00:00Z"),
        some("2026-03-02T13:00:00Z")
    );
    // Closed at 12:30: the next closing is the end of the afternoon block.
    assert_eq!(
        closing(&s, "2026-03-02T12:30:00Z"),
        some("2026-03-02T17:00:00Z")
    );
    // Exactly at a boundary: strictly after.
    assert_eq!(
        opening(&s, "2026-03-02T13:00:00Z"),
        some("2026-03-03T09:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-03-02T12:00:00Z"),
        some("2026-03-02T17:00:00Z")
    );
    // Friday evening -> Monday morning.
    assert_eq!(
        opening(&s, "2026-03-06T17:00:00Z"),
        some("2026-03-09T09:00:00Z")
    );
    // Sub-second instants.
    assert!(!s.is_open(utc("2026-03-02T08:59:59.999Z")));
    assert_eq!(
        s.next_opening(utc("2026-03-02T08:59:59.5Z")),
        some("2026-03-02T09:00:00Z")
    );
    assert_eq!(
        s.next_opening(utc("2026-03-02T09:00:00.5Z")),
        some("2026-03-02T13:00:00Z")
    );
}

#[test]
fn contiguous_periods_merge_for_next_closing() {
    let tz = chrono_tz::UTC;
    // Mon 22:00-24:00 + Tue 00:00-02:00 is one interval. 2026-03-02 is a Monday.
    let s = schedule(
        tz,
        &[
            weekly("monday", "22:00", "24:00"),
            weekly("tuesday", "00:00", "02:00"),
        ],
        &[],
    );
    assert_eq!(
        closing(&s, "2026-03-02T23:00:00Z"),
        some("2026-03-03T02:00:00Z")
    );
    assert_eq!(
        opening(&s, "2026-03-02T23:00:00Z"),
        some("2026-03-09T22:00:00Z")
    );
    assert!(open(&s, "2026-03-03T00:00:00Z"));

    // Overnight shift chained with a morning shift.
    let s = schedule(
        tz,
        &[
            weekly("monday", "20:00", "02:00"),
            weekly("tuesday", "02:00", "05:00"),
        ],
        &[],
    );
    assert_eq!(
        closing(&s, "2026-03-02T21:00:00Z"),
        some("2026-03-03T05:00:00Z")
    );

    // Whole working week: Wed noon -> Saturday 00:00.
    let s = schedule(tz, &[weekly("monday-friday", "00:00", "24:00")], &[]);
    assert_eq!(
        closing(&s, "2026-03-04T12:00:00Z"),
        some("2026-03-07T00:00:00Z")
    );
    assert_eq!(
        opening(&s, "2026-03-04T12:00:00Z"),
        some("2026-03-09T00:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-03-07T12:00:00Z"),
        some("2026-03-14T00:00:00Z")
    );
}

#[test]
fn always_open_schedules_never_close() {
    let at = [
        "2026-03-29T00:30:00Z",
        "2026-03-29T01:30:00Z",
        "2026-10-25T01:30:00Z",
        "2026-07-01T12:00:00Z",
    ];
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("monday-sunday", "00:00", "24:00")],
        &[],
    );
    // 24/7 built from overnight pieces, in a DST zone.
    let s2 = schedule(
        chrono_tz::America::New_York,
        &[
            weekly("monday-sunday", "08:00", "02:00"),
            weekly("monday-sunday", "02:00", "08:00"),
        ],
        &[],
    );
    // 24/7 with an exception that keeps it open all day (exercises the scanning path).
    let s3 = schedule(
        chrono_tz::Europe::London,
        &[weekly("monday-sunday", "00:00", "24:00")],
        &[dated("2026-12-25", &[("00:00", "24:00")])],
    );
    for s in [&s, &s2, &s3] {
        for a in at {
            assert!(open(s, a), "{a}");
            assert_eq!(closing(s, a), None, "{a}");
            assert_eq!(opening(s, a), None, "{a}");
        }
    }
}

#[test]
fn always_open_with_holiday_closes_for_the_holiday() {
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("monday-sunday", "00:00", "24:00")],
        &[dated("2026-12-25", &[])],
    );
    // London is on GMT (UTC+0) in December.
    assert_eq!(
        closing(&s, "2026-12-20T12:00:00Z"),
        some("2026-12-25T00:00:00Z")
    );
    assert_eq!(
        opening(&s, "2026-12-20T12:00:00Z"),
        some("2026-12-26T00:00:00Z")
    );
    assert!(!open(&s, "2026-12-25T12:00:00Z"));
}

#[test]
fn search_horizon_is_about_400_days() {
    let s = schedule(
        chrono_tz::UTC,
        &[],
        &[dated("2027-06-01", &[("09:00", "10:00")])],
    );
    // 304 days ahead: found.
    assert_eq!(
        opening(&s, "2026-08-01T00:00:00Z"),
        some("2027-06-01T09:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-08-01T00:00:00Z"),
        some("2027-06-01T10:00:00Z")
    );
    // 516 days ahead: beyond the horizon.
    assert_eq!(opening(&s, "2026-01-01T00:00:00Z"), None);
}

#[test]
fn duplicate_exception_dates_are_merged() {
    let s = schedule(
        chrono_tz::UTC,
        &[weekly("monday-friday", "09:00", "17:00")],
        &[
            dated("2026-03-03", &[("09:00", "10:00")]),
            dated("2026-03-03", &[("11:00", "12:00")]),
        ],
    );
    assert!(open(&s, "2026-03-03T09:30:00Z"));
    assert!(!open(&s, "2026-03-03T10:30:00Z"));
    assert!(open(&s, "2026-03-03T11:30:00Z"));
    assert!(!open(&s, "2026-03-03T13:00:00Z"));
}

// ---------------------------------------------------------------------------
// Dated exceptions (Europe/Berlin is CET = UTC+1 in late December)
// ---------------------------------------------------------------------------

#[test]
fn holiday_is_skipped_by_next_opening() {
    let tz = chrono_tz::Europe::Berlin;
    let week = [weekly("monday-friday", "09:00", "17:00")];
    let plain = schedule(tz, &week, &[]);
    let holiday = schedule(tz, &week, &[dated("2026-12-25", &[])]);
    // Thu 2026-12-24 17:30 CET.
    let at = "2026-12-24T16:30:00Z";
    // Control: Fri 2026-12-25 09:00 CET.
    assert_eq!(opening(&plain, at), some("2026-12-25T08:00:00Z"));
    // Holiday on Friday, then the weekend: Mon 2026-12-28 09:00 CET.
    assert_eq!(opening(&holiday, at), some("2026-12-28T08:00:00Z"));
    assert!(open(&plain, "2026-12-25T10:00:00Z"));
    assert!(!open(&holiday, "2026-12-25T10:00:00Z"));
    // Closing from the closed state is the end of the next interval: Mon 17:00 CET.
    assert_eq!(closing(&holiday, at), some("2026-12-28T16:00:00Z"));
}

#[test]
fn special_hours_replace_the_weekly_rules_for_that_date() {
    let tz = chrono_tz::Europe::Berlin;
    let s = schedule(
        tz,
        &[weekly("monday-friday", "09:00", "17:00")],
        &[
            dated("2026-12-24", &[("10:00", "14:00")]),
            dated("2026-12-25", &[]),
        ],
    );
    // 09:30 CET on Thu 2026-12-24: weekly hours would be open, the exception is not.
    assert!(!open(&s, "2026-12-24T08:30:00Z"));
    // 09:00 CET -> opens 10:00 CET, closes 14:00 CET.
    assert_eq!(
        opening(&s, "2026-12-24T08:00:00Z"),
        some("2026-12-24T09:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-12-24T09:00:00Z"),
        some("2026-12-24T13:00:00Z")
    );
    assert!(open(&s, "2026-12-24T12:59:59Z"));
    assert!(!open(&s, "2026-12-24T13:00:00Z"));
    // After 14:00 CET: Friday is a holiday, then the weekend: Mon 09:00 CET.
    assert_eq!(
        opening(&s, "2026-12-24T13:00:00Z"),
        some("2026-12-28T08:00:00Z")
    );
    // The day before is untouched: Wed 2026-12-23 16:59 CET open.
    assert!(open(&s, "2026-12-23T15:59:00Z"));
}

#[test]
fn overnight_shift_runs_into_a_holiday() {
    let tz = chrono_tz::Europe::Berlin;
    let s = schedule(
        tz,
        &[weekly("thursday", "22:00", "02:00")],
        &[dated("2026-12-25", &[])],
    );
    // Fri 2026-12-25 01:30 CET: Thursday's shift is still running.
    assert!(open(&s, "2026-12-25T00:30:00Z"));
    // Thu 22:30 CET -> closes Fri 02:00 CET.
    assert_eq!(
        closing(&s, "2026-12-24T21:30:00Z"),
        some("2026-12-25T01:00:00Z")
    );
    // Next shift: Thu 2026-12-31 22:00 CET.
    assert_eq!(
        opening(&s, "2026-12-25T01:00:00Z"),
        some("2026-12-31T21:00:00Z")
    );

    // If Thursday itself is the exception, its overnight shift does not happen.
    let s = schedule(
        tz,
        &[weekly("thursday", "22:00", "02:00")],
        &[dated("2026-12-24", &[])],
    );
    assert!(!open(&s, "2026-12-24T21:30:00Z"));
    assert!(!open(&s, "2026-12-25T00:30:00Z"));
    assert_eq!(
        opening(&s, "2026-12-24T12:00:00Z"),
        some("2026-12-31T21:00:00Z")
    );
}

#[test]
fn overnight_exception_spills_into_next_day() {
    let tz = chrono_tz::Europe::Berlin;
    let s = schedule(
        tz,
        &[weekly("monday-friday", "09:00", "17:00")],
        &[
            dated("2026-12-31", &[("20:00", "03:00")]),
            dated("2027-01-01", &[]),
        ],
    );
    // Thu 2026-12-31 13:00 CET: the exception replaces the weekly hours.
    assert!(!open(&s, "2026-12-31T12:00:00Z"));
    assert_eq!(
        opening(&s, "2026-12-31T12:00:00Z"),
        some("2026-12-31T19:00:00Z")
    );
    // 20:00 CET -> 03:00 CET on the (closed) holiday.
    assert_eq!(
        closing(&s, "2026-12-31T19:00:00Z"),
        some("2027-01-01T02:00:00Z")
    );
    assert!(open(&s, "2027-01-01T01:00:00Z"));
    assert!(!open(&s, "2027-01-01T02:00:00Z"));
    // Fri 2027-01-01 is closed, then the weekend: Mon 2027-01-04 09:00 CET.
    assert_eq!(
        opening(&s, "2027-01-01T02:00:00Z"),
        some("2027-01-04T08:00:00Z")
    );
}

// ---------------------------------------------------------------------------
// DST: Europe/London (2026-03-29 01:00 GMT -> 02:00 BST at 01:00Z;
// 2026-10-25 02:00 BST -> 01:00 GMT at 01:00Z)
// ---------------------------------------------------------------------------

#[test]
fn london_spring_forward_period_starting_in_gap_opens_at_gap_end() {
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("sunday", "01:30", "03:00")],
        &[],
    );
    // 00:00 GMT Sunday: closed; local 01:30 does not exist, the first open instant
    // is the gap end, 02:00 BST = 01:00Z.
    assert!(!open(&s, "2026-03-29T00:00:00Z"));
    assert!(!open(&s, "2026-03-29T00:59:59Z"));
    assert!(open(&s, "2026-03-29T01:00:00Z"));
    assert_eq!(
        opening(&s, "2026-03-29T00:00:00Z"),
        some("2026-03-29T01:00:00Z")
    );
    // Closes at 03:00 BST = 02:00Z (one real hour of service).
    assert_eq!(
        closing(&s, "2026-03-29T01:00:00Z"),
        some("2026-03-29T02:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-03-29T00:00:00Z"),
        some("2026-03-29T02:00:00Z")
    );
    // Next Sunday 01:30 BST = 00:30Z.
    assert_eq!(
        opening(&s, "2026-03-29T01:00:00Z"),
        some("2026-04-05T00:30:00Z")
    );
}

#[test]
fn london_spring_forward_period_inside_gap_is_skipped() {
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("sunday", "01:15", "01:45")],
        &[],
    );
    for t in [
        "2026-03-29T00:59:59Z",
        "2026-03-29T01:00:00Z",
        "2026-03-29T01:15:00Z",
        "2026-03-29T00:30:00Z",
    ] {
        assert!(!open(&s, t), "{t}");
    }
    // Next Sunday 2026-04-05 01:15 BST = 00:15Z.
    assert_eq!(
        opening(&s, "2026-03-29T00:00:00Z"),
        some("2026-04-05T00:15:00Z")
    );
    // The Sunday before (GMT) works normally: 2026-03-22 01:15 GMT.
    assert_eq!(
        opening(&s, "2026-03-22T00:00:00Z"),
        some("2026-03-22T01:15:00Z")
    );
}

#[test]
fn london_fall_back_repeated_hour_is_open_twice() {
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("sunday", "01:00", "01:30")],
        &[],
    );
    // First 01:00-01:30 (BST) = 00:00Z-00:30Z; second (GMT) = 01:00Z-01:30Z.
    assert!(open(&s, "2026-10-25T00:10:00Z"));
    assert!(!open(&s, "2026-10-25T00:40:00Z"));
    assert!(open(&s, "2026-10-25T01:10:00Z"));
    assert!(!open(&s, "2026-10-25T01:40:00Z"));
    // 00:00 BST Sunday = 23:00Z Saturday.
    assert_eq!(
        opening(&s, "2026-10-24T23:00:00Z"),
        some("2026-10-25T00:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-10-25T00:10:00Z"),
        some("2026-10-25T00:30:00Z")
    );
    assert_eq!(
        opening(&s, "2026-10-25T00:10:00Z"),
        some("2026-10-25T01:00:00Z")
    );
    assert_eq!(
        opening(&s, "2026-10-25T00:30:00Z"),
        some("2026-10-25T01:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-10-25T01:00:00Z"),
        some("2026-10-25T01:30:00Z")
    );
    // Next Sunday 01:00 GMT.
    assert_eq!(
        opening(&s, "2026-10-25T01:30:00Z"),
        some("2026-11-01T01:00:00Z")
    );
}

#[test]
fn london_fall_back_period_spanning_the_fold_is_one_interval() {
    let s = schedule(
        chrono_tz::Europe::London,
        &[weekly("sunday", "00:30", "02:00")],
        &[],
    );
    // Opens 00:30 BST = 23:30Z Saturday; closes 02:00 GMT = 02:00Z: 2.5 real hours,
    // no spurious closing at the transition.
    assert_eq!(
        opening(&s, "2026-10-24T23:00:00Z"),
        some("2026-10-24T23:30:00Z")
    );
    assert_eq!(
        closing(&s, "2026-10-24T23:30:00Z"),
        some("2026-10-25T02:00:00Z")
    );
    assert!(open(&s, "2026-10-25T00:59:59Z"));
    assert!(open(&s, "2026-10-25T01:00:00Z"));
}

// ---------------------------------------------------------------------------
// DST: America/New_York (2026-03-08 02:00 EST -> 03:00 EDT at 07:00Z;
// 2026-11-01 02:00 EDT -> 01:00 EST at 06:00Z)
// ---------------------------------------------------------------------------

#[test]
fn new_york_spring_forward() {
    let tz = chrono_tz::America::New_York;
    let s = schedule(tz, &[weekly("sunday", "02:30", "04:00")], &[]);
    // 00:00 EST = 05:00Z. 02:30 does not exist; opens at 03:00 EDT = 07:00Z.
    assert_eq!(
        opening(&s, "2026-03-08T05:00:00Z"),
        some("2026-03-08T07:00:00Z")
    );
    assert!(!open(&s, "2026-03-08T06:59:59Z"));
    assert!(open(&s, "2026-03-08T07:00:00Z"));
    // Closes 04:00 EDT = 08:00Z.
    assert_eq!(
        closing(&s, "2026-03-08T07:00:00Z"),
        some("2026-03-08T08:00:00Z")
    );

    // Entirely inside the gap: next Sunday 2026-03-15 02:10 EDT = 06:10Z.
    let s = schedule(tz, &[weekly("sunday", "02:10", "02:50")], &[]);
    assert_eq!(
        opening(&s, "2026-03-08T05:00:00Z"),
        some("2026-03-15T06:10:00Z")
    );
}

#[test]
fn new_york_fall_back_repeated_hour_is_open_twice() {
    let s = schedule(
        chrono_tz::America::New_York,
        &[weekly("sunday", "01:00", "01:30")],
        &[],
    );
    // 00:00 EDT = 04:00Z. 01:00 EDT = 05:00Z, 01:30 EDT = 05:30Z,
    // 01:00 EST = 06:00Z, 01:30 EST = 06:30Z.
    assert_eq!(
        opening(&s, "2026-11-01T04:00:00Z"),
        some("2026-11-01T05:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-11-01T05:00:00Z"),
        some("2026-11-01T05:30:00Z")
    );
    assert_eq!(
        opening(&s, "2026-11-01T05:30:00Z"),
        some("2026-11-01T06:00:00Z")
    );
    assert_eq!(
        closing(&s, "2026-11-01T06:00:00Z"),
        some("2026-11-01T06:30:00Z")
    );
    assert!(open(&s, "2026-11-01T05:29:59Z"));
    assert!(!open(&s, "2026-11-01T05:59:59Z"));
    assert!(open(&s, "2026-11-01T06:29:59Z"));
    // Next Sunday 2026-11-08 01:00 EST = 06:00Z.
    assert_eq!(
        opening(&s, "2026-11-01T06:30:00Z"),
        some("2026-11-08T06:00:00Z")
    );
}

// ---------------------------------------------------------------------------
// DST with a 30-minute shift: Australia/Lord_Howe
// 2026-10-04 02:00 (+10:30) -> 02:30 (+11) at 2026-10-03T15:30Z;
// 2026-04-05 02:00 (+11) -> 01:30 (+10:30) at 2026-04-04T15:00Z.
// ---------------------------------------------------------------------------

#[test]
fn lord_howe_half_hour_spring_forward() {
    let tz = chrono_tz::Australia::Lord_Howe;
    let s = schedule(tz, &[weekly("sunday", "02:00", "03:00")], &[]);
    // Sun 00:00 +10:30 = Sat 13:30Z. Opens at 02:30 +11 = 15:30Z.
    assert_eq!(
        opening(&s, "2026-10-03T13:30:00Z"),
        some("2026-10-03T15:30:00Z")
    );
    assert!(!open(&s, "2026-10-03T15:29:59Z"));
    // Closes 03:00 +11 = 16:00Z: only 30 real minutes.
    assert_eq!(
        closing(&s, "2026-10-03T15:30:00Z"),
        some("2026-10-03T16:00:00Z")
    );

    let s = schedule(tz, &[weekly("sunday", "02:10", "02:20")], &[]);
    // Inside the gap: next Sunday 2026-10-11 02:10 +11 = 2026-10-10T15:10Z.
    assert_eq!(
        opening(&s, "2026-10-03T13:30:00Z"),
        some("2026-10-10T15:10:00Z")
    );
}

#[test]
fn lord_howe_half_hour_fall_back() {
    let tz = chrono_tz::Australia::Lord_Howe;
    // Local 01:30-01:59 happens twice: 14:30Z-15:00Z (+11) and 15:00Z-15:30Z (+10:30).
    let s = schedule(tz, &[weekly("sunday", "01:45", "02:00")], &[]);
    // Sun 00:00 +11 = Sat 13:00Z. 01:45 +11 = 14:45Z.
    assert_eq!(
        opening(&s, "2026-04-04T13:00:00Z"),
        some("2026-04-04T14:45:00Z")
    );
    // Transition at 15:00Z takes the wall clock back to 01:30: closed.
    assert_eq!(
        closing(&s, "2026-04-04T14:45:00Z"),
        some("2026-04-04T15:00:00Z")
    );
    // 01:45 +10:30 = 15:15Z, 02:00 +10:30 = 15:30Z.
    assert_eq!(
        opening(&s, "2026-04-04T15:00:00Z"),
        some("2026-04-04T15:15:00Z")
    );
    assert_eq!(
        closing(&s, "2026-04-04T15:15:00Z"),
        some("2026-04-04T15:30:00Z")
    );

    // 01:30-02:00 covers the whole repeated half hour: one interval 14:30Z-15:30Z.
    let s = schedule(tz, &[weekly("sunday", "01:30", "02:00")], &[]);
    assert_eq!(
        opening(&s, "2026-04-04T13:00:00Z"),
        some("2026-04-04T14:30:00Z")
    );
    assert_eq!(
        closing(&s, "2026-04-04T14:30:00Z"),
        some("2026-04-04T15:30:00Z")
    );
}

// ---------------------------------------------------------------------------
// Skipped calendar day: Pacific/Apia jumped from 2011-12-29 23:59:59 (-10) to
// 2011-12-31 00:00 (+14) at 2011-12-30T10:00Z. Friday 2011-12-30 never happened.
// ---------------------------------------------------------------------------

#[test]
fn apia_skipped_friday_has_no_opening() {
    let tz = chrono_tz::Pacific::Apia;
    let s = schedule(tz, &[weekly("friday", "09:00", "17:00")], &[]);
    // Thu 2011-12-29 12:00 -10 = 22:00Z.
    let at = "2011-12-29T22:00:00Z";
    assert!(!open(&s, at));
    // Next Friday that exists: 2012-01-06 09:00 +14 = 2012-01-05T19:00Z.
    assert_eq!(opening(&s, at), some("2012-01-05T19:00:00Z"));
    // ... closing at 17:00 +14 = 2012-01-06T03:00Z.
    assert_eq!(closing(&s, at), some("2012-01-06T03:00:00Z"));
    for t in [
        "2011-12-30T09:59:59Z",
        "2011-12-30T10:00:00Z",
        "2011-12-30T19:00:00Z",
        "2011-12-31T01:00:00Z",
    ] {
        assert!(!open(&s, t), "{t}");
    }

    // A Saturday rule opens right after the jump: Sat 2011-12-31 09:00 +14 = 2011-12-30T19:00Z.
    let s = schedule(tz, &[weekly("saturday", "09:00", "17:00")], &[]);
    assert_eq!(opening(&s, at), some("2011-12-30T19:00:00Z"));
}

// ---------------------------------------------------------------------------
// Overnight shifts across DST changes
// ---------------------------------------------------------------------------

#[test]
fn overnight_shift_across_dst_changes_length() {
    let london = schedule(
        chrono_tz::Europe::London,
        &[weekly("saturday", "22:00", "02:00")],
        &[],
    );
    // Spring: Sat 2026-03-28 22:00 GMT = 22:00Z; local 02:00 on Sunday is the gap end
    // (01:00Z), so the shift lasts 3 real hours.
    assert_eq!(
        opening(&london, "2026-03-28T12:00:00Z"),
        some("2026-03-28T22:00:00Z")
    );
    assert_eq!(
        closing(&london, "2026-03-28T22:00:00Z"),
        some("2026-03-29T01:00:00Z")
    );
    assert!(open(&london, "2026-03-29T00:59:59Z"));
    assert!(!open(&london, "2026-03-29T01:00:00Z"));
    // Fall: Sat 2026-10-24 22:00 BST = 21:00Z -> Sun 02:00 GMT = 02:00Z: 5 real hours.
    assert_eq!(
        opening(&london, "2026-10-24T12:00:00Z"),
        some("2026-10-24T21:00:00Z")
    );
    assert_eq!(
        closing(&london, "2026-10-24T21:00:00Z"),
        some("2026-10-25T02:00:00Z")
    );
    assert!(open(&london, "2026-10-25T00:59:59Z"));
    assert!(open(&london, "2026-10-25T01:30:00Z"));

    let ny = schedule(
        chrono_tz::America::New_York,
        &[weekly("saturday", "22:00", "02:00")],
        &[],
    );
    // Spring: Sat 2026-03-07 22:00 EST = 03:00Z Sun; 01:59:59 EST is followed by
    // 03:00 EDT at 07:00Z: 4 real hours.
    assert_eq!(
        opening(&ny, "2026-03-07T12:00:00Z"),
        some("2026-03-08T03:00:00Z")
    );
    assert_eq!(
        closing(&ny, "2026-03-08T03:00:00Z"),
        some("2026-03-08T07:00:00Z")
    );
    // Fall: Sat 2026-10-31 22:00 EDT = 02:00Z Sun -> 02:00 EST = 07:00Z: 5 real hours.
    assert_eq!(
        opening(&ny, "2026-10-31T12:00:00Z"),
        some("2026-11-01T02:00:00Z")
    );
    assert_eq!(
        closing(&ny, "2026-11-01T02:00:00Z"),
        some("2026-11-01T07:00:00Z")
    );
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

fn nasty_schedule(tz: Tz) -> Schedule {
    schedule(
        tz,
        &[
            weekly("monday-friday", "09:00", "12:00"),
            weekly("monday-friday", "13:00", "17:30"),
            weekly("friday-sunday", "22:00", "02:30"),
            weekly("sunday", "00:30", "01:45"),
            weekly("wednesday", "23:45", "24:00"),
        ],
        &[
            dated("2026-03-29", &[("01:00", "03:00")]),
            dated("2026-10-25", &[]),
            dated("1969-12-31", &[("23:00", "01:00")]),
        ],
    )
}

#[test]
fn extreme_instants_never_panic_in_any_zone() {
    let instants = [
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::MAX_UTC - TimeDelta::days(300),
        DateTime::<Utc>::MIN_UTC + TimeDelta::days(1),
        DateTime::<Utc>::UNIX_EPOCH,
        utc("1900-01-01T00:00:00Z"),
        utc("2100-12-31T23:59:59Z"),
    ];
    for &tz in chrono_tz::TZ_VARIANTS.iter() {
        let s = nasty_schedule(tz);
        for at in instants {
            let _ = s.is_open(at);
            let _ = s.next_opening(at);
            let _ = s.next_closing(at);
        }
    }
}

/// Walks minute by minute over a window and checks that `next_opening` /
/// `next_closing` agree with the first switch of `is_open` after each instant.
fn check_against_brute_force(s: &Schedule, from: &str, hours: i64) {
    let start = utc(from);
    let steps = hours * 60;
    let states: Vec<bool> = (0..=steps)
        .map(|i| s.is_open(start + TimeDelta::minutes(i)))
        .collect();
    let first_switch = |k: usize, to_open: bool| -> Option<usize> {
        (k + 1..states.len()).find(|&j| states[j] == to_open && states[j - 1] != to_open)
    };
    let end = start + TimeDelta::minutes(steps);
    for k in (0..states.len()).step_by(7) {
        let at = start + TimeDelta::minutes(k as i64);
        for to_open in [true, false] {
            let got = if to_open {
                s.next_opening(at)
            } else {
                s.next_closing(at)
            };
            match first_switch(k, to_open) {
                Some(j) => assert_eq!(
                    got,
                    Some(start + TimeDelta::minutes(j as i64)),
                    "{} at {at} (to_open = {to_open})",
                    s.timezone()
                ),
                None => assert!(
                    got.is_none_or(|t| t > end),
                    "{} at {at} (to_open = {to_open}): got {got:?}, brute force saw no switch before {end}",
                    s.timezone()
                ),
            }
        }
    }
}

#[test]
fn edges_match_minute_by_minute_brute_force_around_transitions() {
    use chrono_tz::{America, Asia, Australia, Europe, Pacific};
    let cases: [(Tz, &str); 8] = [
        (Europe::London, "2026-03-27T00:00:00Z"),
        (Europe::London, "2026-10-23T00:00:00Z"),
        (America::New_York, "2026-03-06T00:00:00Z"),
        (America::New_York, "2026-10-30T00:00:00Z"),
        (Australia::Lord_Howe, "2026-04-02T00:00:00Z"),
        (Australia::Lord_Howe, "2026-10-01T00:00:00Z"),
        (Pacific::Apia, "2011-12-27T00:00:00Z"),
        (Asia::Kathmandu, "1986-01-01T00:00:00Z"), // +05:30 -> +05:45 at 1985-12-31T18:30Z
    ];
    for (tz, from) in cases {
        check_against_brute_force(&nasty_schedule(tz), from, 96);
        let simple = schedule(
            tz,
            &[
                weekly("monday-sunday", "01:15", "02:45"),
                weekly("monday-sunday", "23:30", "00:15"),
            ],
            &[],
        );
        check_against_brute_force(&simple, from, 96);
    }
}

// ---------------------------------------------------------------------------
// Property tests: every zone, random schedules, random instants 2000-2040
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Spec {
    weekly: Vec<(u8, u16, u16)>,
    /// (days after the instant's UTC date, periods)
    dated: Vec<(i64, Vec<(u16, u16)>)>,
}

fn start_minute() -> impl Strategy<Value = u16> {
    prop_oneof![0u16..1440, (0u16..48).prop_map(|h| h * 30)]
}

fn end_minute() -> impl Strategy<Value = u16> {
    prop_oneof![1u16..=1440, (0u16..=48).prop_map(|h| h * 30)]
}

fn period() -> impl Strategy<Value = (u16, u16)> {
    (start_minute(), end_minute()).prop_map(|(s, e)| if s == e { (s, s + 1) } else { (s, e) })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec((1u8..128, period()).prop_map(|(d, (s, e))| (d, s, e)), 0..5),
        prop::collection::vec((-3i64..12, prop::collection::vec(period(), 0..3)), 0..4),
    )
        .prop_map(|(weekly, dated)| Spec { weekly, dated })
}

/// (Unix seconds in 2000..2040, snap to the zone's next offset transition?, delta from it)
fn instant() -> impl Strategy<Value = (i64, bool, i64)> {
    (
        946_684_800i64..2_208_988_800,
        any::<bool>(),
        -129_600i64..129_600,
    )
}

fn offset_secs(tz: Tz, ts: i64) -> i64 {
    let dt = DateTime::from_timestamp(ts, 0).expect("in range");
    i64::from(
        tz.offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

/// First offset transition of `tz` within 400 days after `from`.
fn next_transition(tz: Tz, from: i64) -> Option<i64> {
    let o = offset_secs(tz, from);
    let mut lo = from;
    for _ in 0..400 {
        let hi = lo + 86_400;
        if offset_secs(tz, hi) != o {
            let mut hi = hi;
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_secs(tz, mid) == o {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return Some(hi);
        }
        lo = hi;
    }
    None
}

fn build(tz: Tz, spec: &Spec, at: DateTime<Utc>) -> Schedule {
    let clock = |m: u16| Clock::from_minutes(m).expect("generated in range");
    let weekly: Vec<WeeklyRule> = spec
        .weekly
        .iter()
        .map(|&(d, s, e)| WeeklyRule {
            days: DaySet::from_bits(d).expect("7 bits"),
            start: clock(s),
            end: clock(e),
        })
        .collect();
    let base = at.date_naive();
    let dated: Vec<DateRule> = spec
        .dated
        .iter()
        .map(|(offset, periods)| DateRule {
            date: if *offset >= 0 {
                base + Days::new(offset.unsigned_abs())
            } else {
                base - Days::new(offset.unsigned_abs())
            },
            periods: periods.iter().map(|&(s, e)| (clock(s), clock(e))).collect(),
        })
        .collect();
    Schedule::new(tz, &weekly, &dated).expect("generated schedules are valid")
}

/// Straightforward reference implementation of the wall-clock semantics, used as
/// an oracle for `is_open`: local date and minute via chrono, then the rules of
/// that date plus the overnight spill of the previous date.
fn reference_is_open(tz: Tz, spec: &Spec, base: NaiveDate, at: DateTime<Utc>) -> bool {
    let local = at.with_timezone(&tz).naive_local();
    let minute = (local.hour() * 60 + local.minute()) as u16;
    let periods_for = |d: NaiveDate| -> Vec<(u16, u16)> {
        let exceptions: Vec<&(i64, Vec<(u16, u16)>)> = spec
            .dated
            .iter()
            .filter(|(offset, _)| (d - base).num_days() == *offset)
            .collect();
        if exceptions.is_empty() {
            let bit = 1u8 << d.weekday().num_days_from_monday();
            spec.weekly
                .iter()
                .filter(|w| w.0 & bit != 0)
                .map(|w| (w.1, w.2))
                .collect()
        } else {
            exceptions
                .iter()
                .flat_map(|(_, p)| p.iter().copied())
                .collect()
        }
    };
    let today = periods_for(local.date());
    let yesterday = local.date().pred_opt().map(periods_for).unwrap_or_default();
    today.iter().any(|&(s, e)| {
        if e > s {
            s <= minute && minute < e
        } else {
            minute >= s
        }
    }) || yesterday.iter().any(|&(s, e)| e <= s && minute < e)
}

fn check_invariants(
    tz: Tz,
    spec: &Spec,
    (ts, snap, delta): (i64, bool, i64),
) -> Result<(), TestCaseError> {
    let ts = if snap {
        next_transition(tz, ts).map_or(ts, |t| t + delta)
    } else {
        ts
    };
    let at = DateTime::from_timestamp(ts, 0).expect("in range");
    let s = build(tz, spec, at);
    let open_at = s.is_open(at);
    let horizon = at + TimeDelta::days(401);
    let opening = s.next_opening(at);
    let closing = s.next_closing(at);

    let samples = |a: DateTime<Utc>, b: DateTime<Utc>| {
        let span = (b - a).num_seconds();
        let mut v: Vec<DateTime<Utc>> = (1..8)
            .map(|k| a + TimeDelta::seconds(span * k / 8))
            .collect();
        v.push(a + SECOND);
        v.push(a + TimeDelta::minutes(1));
        v.push(b - TimeDelta::minutes(1));
        v.retain(|t| *t > a && *t < b);
        v
    };

    let base = at.date_naive();
    let mut probes = vec![
        at,
        at + TimeDelta::minutes(37),
        at + TimeDelta::hours(5),
        at + TimeDelta::hours(26),
    ];
    for t in [opening, closing].into_iter().flatten() {
        probes.extend([t, t - SECOND]);
    }
    for x in probes {
        prop_assert_eq!(
            s.is_open(x),
            reference_is_open(tz, spec, base, x),
            "{} at {}: is_open({}) disagrees with the reference",
            tz,
            at,
            x
        );
    }

    if let Some(t) = opening {
        prop_assert!(
            t > at && t <= horizon,
            "{tz} at {at}: opening {t} out of range"
        );
        prop_assert!(s.is_open(t), "{tz} at {at}: not open at next_opening {t}");
        prop_assert!(
            !s.is_open(t - SECOND),
            "{tz} at {at}: already open just before next_opening {t}"
        );
        if !open_at {
            for x in samples(at, t) {
                prop_assert!(
                    !s.is_open(x),
                    "{tz} at {at}: open at {x} before next_opening {t}"
                );
            }
        }
    }
    if let Some(t) = closing {
        prop_assert!(
            t > at && t <= horizon,
            "{tz} at {at}: closing {t} out of range"
        );
        prop_assert!(!s.is_open(t), "{tz} at {at}: open at next_closing {t}");
        prop_assert!(
            s.is_open(t - SECOND),
            "{tz} at {at}: not open just before next_closing {t}"
        );
        if open_at {
            for x in samples(at, t) {
                prop_assert!(
                    s.is_open(x),
                    "{tz} at {at}: closed at {x} before next_closing {t}"
                );
            }
        }
    }
    // The two answers interleave: open -> closing comes before the next opening;
    // closed -> the next opening comes before the closing that ends it.
    match (open_at, opening, closing) {
        (true, Some(o), Some(c)) => prop_assert!(
            c < o,
            "{tz} at {at}: open, closing {c} not before opening {o}"
        ),
        (false, Some(o), Some(c)) => prop_assert!(
            o < c,
            "{tz} at {at}: closed, opening {o} not before closing {c}"
        ),
        (true, Some(o), None) => {
            prop_assert!(false, "{tz} at {at}: open, opening {o} but no closing")
        }
        (false, None, Some(c)) => {
            prop_assert!(false, "{tz} at {at}: closed, closing {c} but no opening")
        }
        _ => {}
    }
    // From the edges themselves the answers continue consistently.
    if let (false, Some(o)) = (open_at, opening) {
        if let Some(c) = s
            .next_closing(o)
            .filter(|c| *c <= at + TimeDelta::days(400))
        {
            prop_assert!(
                Some(c) == closing,
                "{tz} at {at}: next_closing({o}) = {c}, expected {closing:?}"
            );
        }
    }
    Ok(())
}

const CASES_PER_ZONE: u32 = 20;

#[test]
fn prop_every_zone_random_schedules() {
    let strategy = (spec(), instant());
    for (i, &tz) in chrono_tz::TZ_VARIANTS.iter().enumerate() {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&(i as u64 + 0x5eed).to_le_bytes());
        let config = Config {
            cases: CASES_PER_ZONE,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        if let Err(e) = runner.run(&strategy, |(spec, inst)| check_invariants(tz, &spec, inst)) {
            panic!("{tz}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 800, failure_persistence: None, ..Config::default() })]

    #[test]
    fn prop_random_zone_random_schedule(
        zone in 0..chrono_tz::TZ_VARIANTS.len(),
        spec in spec(),
        inst in instant(),
    ) {
        let tz = chrono_tz::TZ_VARIANTS[zone];
        check_invariants(tz, &spec, inst)?;
    }
}
