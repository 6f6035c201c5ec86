//! Working-hours engine: weekly opening hours in an IANA time zone, with dated
//! exceptions, answering "are people available now?" and "when are they back?".
//!
//! # Semantics
//!
//! * **Wall-clock semantics.** [`Schedule::is_open`] converts the instant to local
//!   time in the schedule's zone and checks whether the local wall time lies in a
//!   period of that local date, or in the after-midnight part of an overnight
//!   period that started on the previous local date. Periods are half-open
//!   `[start, end)` and have minute resolution.
//! * **Which rules apply to a date.** A [`DateRule`] for a date replaces that
//!   date's weekly rules (empty = closed all day). An overnight period belongs to
//!   the date it starts on: a weekly shift that started the day before still runs
//!   into an exception date, and an overnight period inside an exception spills
//!   into the next date. Several `DateRule`s for the same date are merged (union).
//! * **DST gaps.** Wall times that do not exist are never open: a period that
//!   starts inside a spring-forward gap opens at the first instant after the gap,
//!   and a period lying entirely inside the gap is not open that day (a skipped
//!   calendar day, as in Pacific/Apia on 2011-12-30, is never open).
//! * **DST folds.** Repeated wall times are open each time they occur, so a
//!   01:00–01:30 period is open twice on a fall-back day.
//! * **Edges.** [`Schedule::next_opening`] / [`Schedule::next_closing`] return the
//!   first instant strictly after `at` at which the schedule switches from closed
//!   to open / open to closed, consistent with `is_open` (contiguous periods and
//!   folds merge naturally; only real switches count). They look at most
//!   [`SEARCH_HORIZON_DAYS`] days ahead and return `None` beyond that, or when the
//!   answer would leave chrono's representable range.
//!
//! # Implementation
//!
//! Every weekday (and every exception date) is precompiled into two 1440-bit
//! minute masks: the minutes of periods starting that day (`own`) and the
//! after-midnight minutes of its overnight periods (`spill`). The open set of a
//! local date `D` is `own(D) | spill(D - 1)`; for dates without nearby exceptions
//! this union is precomputed per weekday, so `is_open` is one UTC-offset lookup,
//! a division and a bit test. Edge searches walk forward in stretches of constant
//! UTC offset (found by bisection on the offset, at most one day long), scanning the
//! minute masks word by word inside each stretch and re-evaluating at each offset
//! transition. This assumes a zone never changes its UTC offset twice within 24
//! hours, which holds for every zone in the bundled tz database.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// How far ahead [`Schedule::next_opening`] and [`Schedule::next_closing`] look.
pub const SEARCH_HORIZON_DAYS: i64 = 400;

const MINUTES_PER_DAY: u16 = 1440;
const MINUTES_PER_DAY_I64: i64 = 1440;
const SECS_PER_DAY: i64 = 86_400;
/// Longest stretch checked for an offset change with a single comparison.
const STRETCH_SECS: i64 = SECS_PER_DAY;
const HORIZON_SECS: i64 = SEARCH_HORIZON_DAYS * SECS_PER_DAY;
/// `NaiveDate::num_days_from_ce` of 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

const CLOCK_FORMAT_MESSAGE: &str = "must be HH:MM (00:00 to 23:59, or 24:00 as an end time)";
const DAY_SPAN_MESSAGE: &str = "must be a lowercase English day name or a range of two, \
     like \"monday\" or \"monday-friday\" (ranges may wrap, e.g. \"friday-monday\")";

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A value could not be parsed (a [`Clock`] or a day span).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    message: &'static str,
}

impl ParseError {
    /// Human-readable explanation, suitable for a field-level validation error.
    pub fn message(&self) -> &'static str {
        self.message
    }
}

/// A schedule definition was rejected by [`Schedule::new`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A weekly rule has no days selected.
    #[error("weekly rule {index}: no days selected")]
    EmptyDays {
        /// Index of the rule in the `weekly` slice.
        index: usize,
    },
    /// A weekly rule starts and ends at the same time.
    #[error("weekly rule {index}: start and end are both {at}; a period must not be empty")]
    EmptyWeeklyPeriod {
        /// Index of the rule in the `weekly` slice.
        index: usize,
        /// The shared start/end time.
        at: Clock,
    },
    /// A weekly rule starts at 24:00.
    #[error("weekly rule {index}: 24:00 is only valid as an end time")]
    WeeklyStartsAtEndOfDay {
        /// Index of the rule in the `weekly` slice.
        index: usize,
    },
    /// A period of a dated exception starts and ends at the same time.
    #[error("exception for {date}, period {index}: start and end are both {at}; a period must not be empty")]
    EmptyDatedPeriod {
        /// The exception's date.
        date: NaiveDate,
        /// Index of the period within the exception.
        index: usize,
        /// The shared start/end time.
        at: Clock,
    },
    /// A period of a dated exception starts at 24:00.
    #[error("exception for {date}, period {index}: 24:00 is only valid as an end time")]
    DatedStartsAtEndOfDay {
        /// The exception's date.
        date: NaiveDate,
        /// Index of the period within the exception.
        index: usize,
    },
}

// ---------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------

/// Wall-clock time of day in minutes since midnight, 0..=1440. 1440 ("24:00") is
/// valid only as an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clock(u16);

impl Clock {
    /// 00:00.
    pub const MIDNIGHT: Clock = Clock(0);
    /// 24:00, only meaningful as an end time.
    pub const END_OF_DAY: Clock = Clock(MINUTES_PER_DAY);

    /// Minutes since midnight (0..=1440).
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// `h:m` with `h < 24, m < 60`, or exactly 24:00.
    pub fn from_hm(h: u8, m: u8) -> Option<Clock> {
        if (h < 24 && m < 60) || (h == 24 && m == 0) {
            Some(Clock(u16::from(h) * 60 + u16::from(m)))
        } else {
            None
        }
    }

    /// Minutes since midnight, `0..=1440`.
    pub fn from_minutes(minutes: u16) -> Option<Clock> {
        (minutes <= MINUTES_PER_DAY).then_some(Clock(minutes))
    }

    /// Hour part (0..=24).
    pub fn hour(self) -> u8 {
        (self.0 / 60) as u8
    }

    /// Minute part (0..=59).
    pub fn minute(self) -> u8 {
        (self.0 % 60) as u8
    }
}

impl FromStr for Clock {
    type Err = ParseError;

    /// Strict `HH:MM`: two digits, a colon, two digits; 00:00..=23:59 or 24:00.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = ParseError {
            message: CLOCK_FORMAT_MESSAGE,
        };
        let &[h1, h2, b':', m1, m2] = s.as_bytes() else {
            return Err(err);
        };
        let digit = |b: u8| b.is_ascii_digit().then(|| b - b'0');
        match (digit(h1), digit(h2), digit(m1), digit(m2)) {
            (Some(h1), Some(h2), Some(m1), Some(m2)) => {
                Clock::from_hm(h1 * 10 + h2, m1 * 10 + m2).ok_or(err)
            }
            _ => Err(err),
        }
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl serde::Serialize for Clock {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Clock {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// DaySet
// ---------------------------------------------------------------------------

/// Set of weekdays (bitmask, Monday = bit 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct DaySet(u8);

impl DaySet {
    /// No days.
    pub const EMPTY: DaySet = DaySet(0);
    /// Monday through Sunday.
    pub const ALL: DaySet = DaySet(0x7f);
    /// Monday through Friday.
    pub const WEEKDAYS: DaySet = DaySet(0x1f);

    /// Set from a bitmask (Monday = bit 0); `None` if bit 7 is set.
    pub fn from_bits(bits: u8) -> Option<DaySet> {
        (bits & 0x80 == 0).then_some(DaySet(bits))
    }

    /// The bitmask (Monday = bit 0).
    pub fn bits(self) -> u8 {
        self.0
    }

    /// A set with one day.
    pub fn single(d: Weekday) -> DaySet {
        DaySet(day_bit(d))
    }

    /// Whether `d` is in the set.
    pub fn contains(self, d: Weekday) -> bool {
        self.0 & day_bit(d) != 0
    }

    /// Whether the set has no days.
    pub fn is_empty(self) -> bool {
        self.0 & 0x7f == 0
    }

    /// Number of days in the set.
    pub fn len(self) -> usize {
        (self.0 & 0x7f).count_ones() as usize
    }

    /// Adds `d`.
    pub fn insert(&mut self, d: Weekday) {
        self.0 |= day_bit(d);
    }

    /// The set with `d` added.
    #[must_use]
    pub fn with(self, d: Weekday) -> DaySet {
        DaySet(self.0 | day_bit(d))
    }

    /// Union of both sets.
    #[must_use]
    pub fn union(self, other: DaySet) -> DaySet {
        DaySet(self.0 | other.0)
    }

    /// The days in the set, Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        ALL_WEEKDAYS.into_iter().filter(move |d| self.contains(*d))
    }
}

impl FromIterator<Weekday> for DaySet {
    fn from_iter<I: IntoIterator<Item = Weekday>>(iter: I) -> Self {
        iter.into_iter().fold(DaySet::EMPTY, DaySet::with)
    }
}

const ALL_WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn day_bit(d: Weekday) -> u8 {
    1 << d.num_days_from_monday()
}

fn parse_day_name(s: &str) -> Option<Weekday> {
    Some(match s {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Parse a seed-contract day span: `"monday"` or `"monday-friday"`. Ranges wrap
/// (`"friday-monday"` = fri, sat, sun, mon); `"monday-monday"` is just monday.
/// Only lowercase English day names; no surrounding or inner whitespace.
pub fn parse_day_span(s: &str) -> Result<DaySet, ParseError> {
    let err = || ParseError {
        message: DAY_SPAN_MESSAGE,
    };
    let (first, last) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let first = parse_day_name(first).ok_or_else(err)?;
    let last = parse_day_name(last).ok_or_else(err)?;
    let mut set = DaySet::single(first);
    let mut d = first;
    while d != last {
        d = d.succ();
        set.insert(d);
    }
    Ok(set)
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// A weekly period: on each day in `days`, open from `start` to `end` local wall time.
/// `end <= start` (e.g. 22:00–02:00) is an overnight shift that belongs to the day it
/// starts on. `end == 24:00` means until midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeeklyRule {
    /// Days the period starts on.
    pub days: DaySet,
    /// Local start time (not 24:00).
    pub start: Clock,
    /// Local end time; `<= start` means the next day.
    pub end: Clock,
}

/// A dated exception: on `date`, the weekly rules for that date are replaced by
/// `periods` (empty = closed all day, e.g. a holiday).
/// An overnight shift that started the previous day still runs into an exception
/// date (it belongs to the day it started). Overnight periods inside an exception
/// spill into the next day.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateRule {
    /// Local date the exception applies to.
    pub date: NaiveDate,
    /// `(start, end)` periods, same conventions as [`WeeklyRule`].
    pub periods: Vec<(Clock, Clock)>,
}

// ---------------------------------------------------------------------------
// Minute masks
// ---------------------------------------------------------------------------

const MASK_WORDS: usize = 23; // 23 * 64 = 1472 >= 1440
type Mask = [u64; MASK_WORDS];
const EMPTY_MASK: Mask = [0; MASK_WORDS];

/// Sets minutes `[from, to)` (clamped to `0..1440`).
fn mask_set_range(mask: &mut Mask, from: u16, to: u16) {
    let to = usize::from(to.min(MINUTES_PER_DAY));
    let mut i = usize::from(from);
    while i < to {
        let word = i / 64;
        let bit = i % 64;
        let n = (64 - bit).min(to - i);
        let bits = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << bit
        };
        if let Some(w) = mask.get_mut(word) {
            *w |= bits;
        }
        i += n;
    }
}

fn mask_or(a: &Mask, b: &Mask) -> Mask {
    let mut out = *a;
    for (o, x) in out.iter_mut().zip(b) {
        *o |= *x;
    }
    out
}

fn mask_is_empty(mask: &Mask) -> bool {
    mask.iter().all(|w| *w == 0)
}

fn full_mask() -> Mask {
    let mut m = EMPTY_MASK;
    mask_set_range(&mut m, 0, MINUTES_PER_DAY);
    m
}

/// Bit for minute-of-day `m` (any `m >= 1440` reads as closed).
fn mask_bit(mask: &Mask, m: usize) -> bool {
    m < usize::from(MINUTES_PER_DAY) && mask.get(m / 64).is_some_and(|w| (w >> (m % 64)) & 1 == 1)
}

/// First minute in `[from, to)` (with `to <= 1440`) whose bit equals `want`.
fn mask_find(mask: &Mask, from: usize, to: usize, want: bool) -> Option<usize> {
    let mut i = from;
    while i < to {
        let word_index = i / 64;
        let word = *mask.get(word_index)?;
        let word = if want { word } else { !word };
        let rest = word >> (i % 64);
        if rest != 0 {
            let pos = i + rest.trailing_zeros() as usize;
            return (pos < to).then_some(pos);
        }
        i = (word_index + 1) * 64;
    }
    None
}

/// Adds one period to a day's `own` / `spill` masks. Caller validated it.
fn add_period(own: &mut Mask, spill: &mut Mask, start: Clock, end: Clock) {
    if end > start {
        mask_set_range(own, start.0, end.0);
    } else {
        mask_set_range(own, start.0, MINUTES_PER_DAY);
        mask_set_range(spill, 0, end.0);
    }
}

#[derive(Clone, Debug)]
struct Exception {
    /// Days since 1970-01-01 of the local date.
    day: i64,
    own: Mask,
    spill: Mask,
}

fn weekday_index(day: i64) -> usize {
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    (day.saturating_add(3)).rem_euclid(7) as usize
}

fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

// ---------------------------------------------------------------------------
// Schedule
// ---------------------------------------------------------------------------

/// Precompiled working hours in one time zone. Cheap to query and to clone.
#[derive(Clone, Debug)]
pub struct Schedule {
    tz: Tz,
    weekly_own: [Mask; 7],
    weekly_spill: [Mask; 7],
    /// `weekly_own[w] | weekly_spill[w - 1]`: open set of a date without exceptions.
    combined: [Mask; 7],
    /// Sorted by `day`, unique.
    exceptions: Vec<Exception>,
    never_open: bool,
    always_open: bool,
    /// Without weekly rules: a Unix time after which the schedule is closed for good.
    closed_forever_after: Option<i64>,
}

impl Schedule {
    /// Compiles a schedule. Errors if a period has `start == end` or
    /// `start == 24:00`, or a weekly rule has no days. Never panics.
    pub fn new(
        tz: Tz,
        weekly: &[WeeklyRule],
        dated: &[DateRule],
    ) -> Result<Schedule, ScheduleError> {
        let mut weekly_own = [EMPTY_MASK; 7];
        let mut weekly_spill = [EMPTY_MASK; 7];
        for (index, rule) in weekly.iter().enumerate() {
            if rule.days.is_empty() {
                return Err(ScheduleError::EmptyDays { index });
            }
            if rule.start == Clock::END_OF_DAY {
                return Err(ScheduleError::WeeklyStartsAtEndOfDay { index });
            }
            if rule.start == rule.end {
                return Err(ScheduleError::EmptyWeeklyPeriod {
                    index,
                    at: rule.start,
                });
            }
            for d in rule.days.iter() {
                let w = d.num_days_from_monday() as usize;
                if let (Some(own), Some(spill)) = (weekly_own.get_mut(w), weekly_spill.get_mut(w)) {
                    add_period(own, spill, rule.start, rule.end);
                }
            }
        }

        let mut exceptions: Vec<Exception> = Vec::with_capacity(dated.len());
        for rule in dated {
            let mut own = EMPTY_MASK;
            let mut spill = EMPTY_MASK;
            for (index, &(start, end)) in rule.periods.iter().enumerate() {
                if start == Clock::END_OF_DAY {
                    return Err(ScheduleError::DatedStartsAtEndOfDay {
                        date: rule.date,
                        index,
                    });
                }
                if start == end {
                    return Err(ScheduleError::EmptyDatedPeriod {
                        date: rule.date,
                        index,
                        at: start,
                    });
                }
                add_period(&mut own, &mut spill, start, end);
            }
            exceptions.push(Exception {
                day: epoch_day(rule.date),
                own,
                spill,
            });
        }
        exceptions.sort_by_key(|e| e.day);
        exceptions.dedup_by(|later, earlier| {
            if later.day == earlier.day {
                earlier.own = mask_or(&earlier.own, &later.own);
                earlier.spill = mask_or(&earlier.spill, &later.spill);
                true
            } else {
                false
            }
        });

        let mut combined = [EMPTY_MASK; 7];
        for (w, slot) in combined.iter_mut().enumerate() {
            *slot = mask_or(&weekly_own[w], &weekly_spill[(w + 6) % 7]);
        }

        let never_open = weekly_own.iter().all(mask_is_empty)
            && exceptions
                .iter()
                .all(|e| mask_is_empty(&e.own) && mask_is_empty(&e.spill));
        // Without weekly rules nothing is open after the last exception's spill day;
        // two extra days of margin cover any UTC offset.
        let closed_forever_after = if weekly_own.iter().all(mask_is_empty) {
            exceptions
                .last()
                .map(|e| e.day.saturating_add(4).saturating_mul(SECS_PER_DAY))
        } else {
            None
        };
        let full = full_mask();
        let always_open = exceptions.is_empty() && combined.iter().all(|m| *m == full);

        Ok(Schedule {
            tz,
            weekly_own,
            weekly_spill,
            combined,
            exceptions,
            never_open,
            always_open,
            closed_forever_after,
        })
    }

    /// The schedule's time zone.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// Whether the schedule is open at `at` (see the module docs for DST rules).
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        if self.never_open {
            return false;
        }
        if self.always_open {
            return true;
        }
        let offset = self.offset_of_naive(&at.naive_utc());
        let local = at.timestamp().saturating_add(offset);
        self.open_at_minute(local.div_euclid(60))
    }

    /// If closed at `at`: the first instant after `at` when it opens. If open: the
    /// start of the next open interval after the current one ends. `None` if there
    /// is no opening within [`SEARCH_HORIZON_DAYS`] days (e.g. no rules).
    pub fn next_opening(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_edge(at, true)
            .and_then(|ts| DateTime::from_timestamp(ts, 0))
    }

    /// If open: the instant the current open interval ends (contiguous periods
    /// merge; `None` for an always-open schedule). If closed: the end of the next
    /// open interval. `None` if there is none within [`SEARCH_HORIZON_DAYS`] days.
    pub fn next_closing(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_edge(at, false)
            .and_then(|ts| DateTime::from_timestamp(ts, 0))
    }

    // -- internals ----------------------------------------------------------

    fn offset_of_naive(&self, utc: &chrono::NaiveDateTime) -> i64 {
        i64::from(
            self.tz
                .offset_from_utc_datetime(utc)
                .fix()
                .local_minus_utc(),
        )
    }

    /// UTC offset in seconds at Unix time `ts`; `None` outside chrono's range.
    fn offset_at(&self, ts: i64) -> Option<i64> {
        let dt = DateTime::from_timestamp(ts, 0)?;
        Some(self.offset_of_naive(&dt.naive_utc()))
    }

    fn exception(&self, day: i64) -> Option<&Exception> {
        self.exceptions
            .binary_search_by_key(&day, |e| e.day)
            .ok()
            .and_then(|i| self.exceptions.get(i))
    }

    /// Whether exceptions can affect local date `day` (its own or the previous date).
    fn exceptions_near(&self, day: i64) -> bool {
        match (self.exceptions.first(), self.exceptions.last()) {
            (Some(first), Some(last)) => day >= first.day && day <= last.day.saturating_add(1),
            _ => false,
        }
    }

    /// The open set of local date `day`.
    fn day_mask(&self, day: i64) -> Mask {
        let w = weekday_index(day);
        if !self.exceptions_near(day) {
            return self.combined[w];
        }
        let today = self.exception(day);
        let yesterday = self.exception(day.saturating_sub(1));
        if today.is_none() && yesterday.is_none() {
            return self.combined[w];
        }
        let own = today.map_or(&self.weekly_own[w], |e| &e.own);
        let spill = yesterday.map_or(&self.weekly_spill[(w + 6) % 7], |e| &e.spill);
        mask_or(own, spill)
    }

    /// Whether local minute `minute` (minutes since 1970-01-01 00:00 local) is open.
    fn open_at_minute(&self, minute: i64) -> bool {
        let day = minute.div_euclid(MINUTES_PER_DAY_I64);
        let m = minute.rem_euclid(MINUTES_PER_DAY_I64) as usize;
        let w = weekday_index(day);
        if !self.exceptions_near(day) {
            return mask_bit(&self.combined[w], m);
        }
        let today = self.exception(day);
        let yesterday = self.exception(day.saturating_sub(1));
        if today.is_none() && yesterday.is_none() {
            return mask_bit(&self.combined[w], m);
        }
        let own = today.map_or(&self.weekly_own[w], |e| &e.own);
        let spill = yesterday.map_or(&self.weekly_spill[(w + 6) % 7], |e| &e.spill);
        mask_bit(own, m) || mask_bit(spill, m)
    }

    /// First local minute in `[from, to)` whose openness equals `want`.
    fn find_minute(&self, from: i64, to: i64, want: bool) -> Option<i64> {
        let mut g = from;
        while g < to {
            let day = g.div_euclid(MINUTES_PER_DAY_I64);
            let day_start = day.saturating_mul(MINUTES_PER_DAY_I64);
            let lo = (g - day_start) as usize;
            let hi = to.saturating_sub(day_start).min(MINUTES_PER_DAY_I64) as usize;
            let mask = self.day_mask(day);
            if let Some(pos) = mask_find(&mask, lo, hi, want) {
                return Some(day_start.saturating_add(pos as i64));
            }
            g = day_start.saturating_add(MINUTES_PER_DAY_I64);
        }
        None
    }

    /// First second in `(lo, hi]` whose offset differs from `offset`, given that
    /// `lo` has `offset` and `hi` does not.
    fn bisect_transition(&self, mut lo: i64, mut hi: i64, offset: i64) -> Option<i64> {
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.offset_at(mid)? == offset {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(hi)
    }

    /// Unix time of the first switch strictly after `at` to open (`to_open`) or
    /// to closed, within the search horizon.
    fn next_edge(&self, at: DateTime<Utc>, to_open: bool) -> Option<i64> {
        if self.never_open || self.always_open {
            return None;
        }
        let start = at.timestamp();
        let horizon = start.checked_add(HORIZON_SECS)?;
        let mut t = start;
        let mut offset = self.offset_of_naive(&at.naive_utc());
        let mut state = self.open_at_minute(t.saturating_add(offset).div_euclid(60));
        let horizon = match self.closed_forever_after {
            Some(limit) if limit < horizon => limit,
            _ => horizon,
        };
        while t < horizon {
            // Stretch [t, end) with constant offset.
            let probe = t.saturating_add(STRETCH_SECS).min(horizon);
            let probe_offset = self.offset_at(probe)?;
            let (end, end_offset) = if probe_offset == offset {
                (probe, probe_offset)
            } else {
                let tr = self.bisect_transition(t, probe, offset)?;
                (tr, self.offset_at(tr)?)
            };

            // Local minutes whose start lies in (t, end) under `offset`.
            let mut minute = t.saturating_add(offset).div_euclid(60);
            let limit = end.saturating_add(offset).saturating_add(59).div_euclid(60);
            while let Some(m) = self.find_minute(minute.saturating_add(1), limit, !state) {
                state = !state;
                if state == to_open {
                    let ts = m.saturating_mul(60).saturating_sub(offset);
                    return (ts <= horizon).then_some(ts);
                }
                minute = m;
            }

            // At `end`: an offset transition (local time jumps) or a minute boundary.
            let new_state = self.open_at_minute(end.saturating_add(end_offset).div_euclid(60));
            if new_state != state {
                state = new_state;
                if state == to_open {
                    return Some(end);
                }
            }
            t = end;
            offset = end_offset;
        }
        None
    }
}
