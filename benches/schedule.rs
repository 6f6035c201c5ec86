//! Working-hours engine benchmarks: `is_open`, `next_opening`, `next_closing` on a
//! realistic Europe/Berlin schedule (10 weekly periods, 20 dated exceptions).

use std::hint::black_box;

use baton::schedule::{parse_day_span, Clock, DateRule, Schedule, WeeklyRule};
use chrono::{DateTime, Days, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

fn clock(s: &str) -> Clock {
    s.parse().expect("valid clock")
}

fn weekly(span: &str, start: &str, end: &str) -> WeeklyRule {
    WeeklyRule {
        days: parse_day_span(span).expect("valid day span"),
        start: clock(start),
        end: clock(end),
    }
}

fn berlin_schedule() -> Schedule {
    // 10 weekly periods, including a lunch break and an overnight shift.
    let rules = [
        weekly("monday", "08:00", "12:00"),
        weekly("monday", "13:00", "18:00"),
        weekly("tuesday", "08:00", "12:00"),
        weekly("tuesday", "13:00", "18:00"),
        weekly("wednesday", "08:00", "12:00"),
        weekly("wednesday", "13:00", "18:00"),
        weekly("thursday", "08:00", "20:00"),
        weekly("friday", "08:00", "16:00"),
        weekly("friday", "22:00", "02:00"),
        weekly("saturday", "10:00", "14:00"),
    ];
    // 20 dated exceptions over 2026: holidays plus a few special-hours days.
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    let dated: Vec<DateRule> = (0..20u64)
        .map(|i| DateRule {
            date: start + Days::new(i * 18),
            periods: if i % 4 == 0 {
                vec![(clock("10:00"), clock("14:00"))]
            } else {
                Vec::new()
            },
        })
        .collect();
    Schedule::new(chrono_tz::Europe::Berlin, &rules, &dated).expect("valid schedule")
}

fn instants() -> [DateTime<Utc>; 5] {
    [
        "2026-03-04T10:30:00Z", // Wednesday, open
        "2026-03-04T11:30:00Z", // Wednesday lunch break (12:30 CET)
        "2026-03-28T23:30:00Z", // Saturday night, around the spring-forward change
        "2026-10-24T23:30:00Z", // night before the fall-back change
        "2026-12-25T09:00:00Z", // holiday season
    ]
    .map(|s| s.parse().expect("valid instant"))
}

fn bench_schedule(c: &mut Criterion) {
    let schedule = berlin_schedule();
    let at = instants();

    c.bench_function("is_open/berlin_10_periods_20_exceptions", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for t in &at {
                n += u32::from(black_box(&schedule).is_open(black_box(*t)));
            }
            n
        })
    });
    c.bench_function("is_open/single_instant", |b| {
        b.iter(|| black_box(&schedule).is_open(black_box(at[0])))
    });
    c.bench_function("next_opening/5_instants", |b| {
        b.iter(|| {
            at.iter()
                .map(|t| black_box(&schedule).next_opening(black_box(*t)))
                .filter(Option::is_some)
                .count()
        })
    });
    c.bench_function("next_closing/5_instants", |b| {
        b.iter(|| {
            at.iter()
                .map(|t| black_box(&schedule).next_closing(black_box(*t)))
                .filter(Option::is_some)
                .count()
        })
    });

    // Worst case: nothing opens within the horizon, the whole 400 days are scanned.
    let never = Schedule::new(
        chrono_tz::Europe::Berlin,
        &[],
        &[DateRule {
            date: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
            periods: vec![(clock("09:00"), clock("10:00"))],
        }],
    )
    .expect("valid schedule");
    let always = Schedule::new(
        chrono_tz::Europe::Berlin,
        &[weekly("monday-sunday", "00:00", "24:00")],
        &[DateRule {
            date: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
            periods: vec![(clock("00:00"), clock("24:00"))],
        }],
    )
    .expect("valid schedule");
    c.bench_function("next_closing/always_open_full_400_day_scan", |b| {
        b.iter(|| black_box(&always).next_closing(black_box(at[0])))
    });
    c.bench_function("next_opening/single_old_exception_400_day_scan", |b| {
        b.iter(|| black_box(&never).next_opening(black_box(at[0])))
    });
    c.bench_function("schedule_new/berlin_10_periods_20_exceptions", |b| {
        b.iter(berlin_schedule)
    });
}

criterion_group!(benches, bench_schedule);
criterion_main!(benches);
