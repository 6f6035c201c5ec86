//! Working hours of a handoff configuration, evaluated by the schedule engine.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::model::{
    AvailabilityExceptionInput, AvailabilitySlotInput, HandoffConfiguration,
    HandoffConfigurationUpdate, SettingsUpdate,
};
use super::validate::apply_update;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::fields::check_timezone;
use crate::schedule::{parse_day_span, Clock, DateRule, Schedule, WeeklyRule};
use crate::{Baton, Id};

/// Builds the schedule of a (validated) configuration.
pub fn schedule_of(cfg: &HandoffConfiguration) -> Result<Schedule> {
    let bad = |what: String| Error::Internal(format!("stored working hours are invalid: {what}"));
    let tz = check_timezone(&cfg.settings.timezone).map_err(bad)?;
    let clock = |s: &str| Clock::from_str(s).map_err(|e| bad(format!("{s}: {e}")));
    let weekly = cfg
        .availability
        .iter()
        .map(|s| {
            Ok(WeeklyRule {
                days: parse_day_span(&s.day_span).map_err(|e| bad(e.to_string()))?,
                start: clock(&s.start_time)?,
                end: clock(&s.end_time)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut dated: Vec<DateRule> = Vec::new();
    for x in &cfg.availability_exceptions {
        let date =
            NaiveDate::parse_from_str(&x.date, "%Y-%m-%d").map_err(|e| bad(e.to_string()))?;
        let period = match (&x.start_time, &x.end_time) {
            (Some(s), Some(e)) if !x.closed => Some((clock(s)?, clock(e)?)),
            _ => None,
        };
        match dated.iter_mut().find(|d| d.date == date) {
            Some(d) => d.periods.extend(period),
            None => dated.push(DateRule {
                date,
                periods: period.into_iter().collect(),
            }),
        }
    }
    Schedule::new(tz, &weekly, &dated).map_err(|e| bad(e.to_string()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct HoursStatus {
    /// Whether handoff is limited to working hours at all. When false, people count as available.
    pub working_hours_active: bool,
    /// The business time zone.
    pub timezone: String,
    /// The instant evaluated.
    pub at: DateTime<Utc>,
    /// Available now for a handoff.
    pub open: bool,
    /// When people are next available (null when open without limits, or no hours are set).
    pub next_opening: Option<DateTime<Utc>>,
    /// When the current (or next) working period ends.
    pub next_closing: Option<DateTime<Utc>>,
    /// `next_opening` as local time in the business time zone, RFC 3339 with offset.
    pub next_opening_local: Option<String>,
    /// `next_opening` in the visitor's time zone, when one was given.
    pub next_opening_visitor: Option<String>,
}

pub fn status(
    cfg: &HandoffConfiguration,
    at: DateTime<Utc>,
    visitor: Option<Tz>,
) -> Result<HoursStatus> {
    let s = &cfg.settings;
    if !s.working_hours_active {
        return Ok(HoursStatus {
            working_hours_active: false,
            timezone: s.timezone.clone(),
            at,
            open: true,
            next_opening: None,
            next_closing: None,
            next_opening_local: None,
            next_opening_visitor: None,
        });
    }
    let schedule = schedule_of(cfg)?;
    let open = schedule.is_open(at);
    let next_opening = if open {
        None
    } else {
        schedule.next_opening(at)
    };
    let tz = schedule.timezone();
    Ok(HoursStatus {
        working_hours_active: true,
        timezone: s.timezone.clone(),
        at,
        open,
        next_opening,
        next_closing: schedule.next_closing(at),
        next_opening_local: next_opening.map(|t| t.with_timezone(&tz).to_rfc3339()),
        next_opening_visitor: next_opening
            .zip(visitor)
            .map(|(t, v)| t.with_timezone(&v).to_rfc3339()),
    })
}

/// Working hours not saved yet (an editor's draft), to preview before saving: the hours part of
/// a handoff configuration, in the PUT body's shapes.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursDraft {
    pub working_hours_active: bool,
    /// IANA time zone of the hours.
    pub timezone: String,
    pub availability: Vec<AvailabilitySlotInput>,
    #[serde(default)]
    pub availability_exceptions: Vec<AvailabilityExceptionInput>,
}

/// The configuration a draft would make, validated exactly as a save would validate it (errors
/// name the same fields: `settings.timezone`, `availability[0].start_time`, ...). Item ids are
/// irrelevant to a preview and ignored.
pub fn draft_configuration(draft: HoursDraft) -> Result<HandoffConfiguration> {
    let update = HandoffConfigurationUpdate {
        settings: Some(SettingsUpdate {
            working_hours_active: Some(draft.working_hours_active),
            timezone: Some(draft.timezone),
            ..SettingsUpdate::default()
        }),
        availability: Some(
            draft
                .availability
                .into_iter()
                .map(|s| AvailabilitySlotInput { id: None, ..s })
                .collect(),
        ),
        availability_exceptions: Some(
            draft
                .availability_exceptions
                .into_iter()
                .map(|x| AvailabilityExceptionInput { id: None, ..x })
                .collect(),
        ),
        ..HandoffConfigurationUpdate::default()
    };
    apply_update(&super::defaults(), update, &Default::default())
}

fn visitor_zone(visitor_timezone: Option<&str>) -> Result<Option<Tz>> {
    visitor_timezone
        .map(|v| {
            check_timezone(v).map_err(|m| Error::invalid("visitor_timezone", "invalid_timezone", m))
        })
        .transpose()
}

impl Baton {
    /// Are people available for a handoff at `at` (default now), and if not, when are they back?
    pub async fn hours_check(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
        at: Option<DateTime<Utc>>,
        visitor_timezone: Option<&str>,
    ) -> Result<HoursStatus> {
        actor.require(Permission::ReadConfig)?;
        let visitor = visitor_zone(visitor_timezone)?;
        let cfg = self.handoff_config_get(actor, agent_id).await?;
        status(&cfg, at.unwrap_or_else(Utc::now), visitor)
    }

    /// [`Baton::hours_check`] for working hours that are not saved: what the preview shows
    /// while they are being edited. Nothing is read or written.
    pub fn hours_preview(
        &self,
        actor: &Actor,
        draft: HoursDraft,
        at: Option<DateTime<Utc>>,
        visitor_timezone: Option<&str>,
    ) -> Result<HoursStatus> {
        actor.require(Permission::ReadConfig)?;
        let visitor = visitor_zone(visitor_timezone)?;
        let cfg = draft_configuration(draft)?;
        status(&cfg, at.unwrap_or_else(Utc::now), visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(day_span: &str, start: &str, end: &str) -> AvailabilitySlotInput {
        AvailabilitySlotInput {
            id: Some(42), // ids of saved items are ignored
            day_span: day_span.into(),
            start_time: start.into(),
            end_time: end.into(),
        }
    }

    fn draft() -> HoursDraft {
        HoursDraft {
            working_hours_active: true,
            timezone: "Europe/London".into(),
            availability: vec![slot("monday-friday", "09:00", "17:00")],
            availability_exceptions: Vec::new(),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("instant").to_utc()
    }

    #[test]
    fn a_draft_is_evaluated_like_saved_hours() {
        // Monday 2026-03-02 10:00 in London (UTC+0 in March).
        let monday = at("2026-03-02T10:00:00Z");
        let cfg = draft_configuration(draft()).expect("valid");
        let s = status(&cfg, monday, Some(Tz::Asia__Tokyo)).expect("status");
        assert!(s.open);
        assert_eq!(s.next_closing, Some(at("2026-03-02T17:00:00Z")));

        // The same draft with that Monday as a holiday: closed until Tuesday 09:00.
        let mut closed = draft();
        closed
            .availability_exceptions
            .push(AvailabilityExceptionInput {
                id: Some(7),
                date: "2026-03-02".into(),
                name: "Holiday".into(),
                closed: true,
                start_time: None,
                end_time: None,
            });
        let s = status(
            &draft_configuration(closed).expect("valid"),
            monday,
            Some(Tz::Asia__Tokyo),
        )
        .expect("status");
        assert!(!s.open);
        assert_eq!(s.next_opening, Some(at("2026-03-03T09:00:00Z")));
        assert_eq!(
            s.next_opening_visitor.as_deref(),
            Some("2026-03-03T18:00:00+09:00")
        );

        // Another time zone moves the same hours.
        let mut tokyo = draft();
        tokyo.timezone = "Asia/Tokyo".into();
        let s = status(&draft_configuration(tokyo).expect("valid"), monday, None).expect("status");
        assert!(!s.open); // 19:00 in Tokyo
        assert_eq!(s.next_opening, Some(at("2026-03-03T00:00:00Z")));
    }

    #[test]
    fn an_invalid_draft_names_its_fields() {
        let mut bad = draft();
        bad.timezone = "europe/london".into();
        bad.availability.push(slot("someday", "25:00", "17:00"));
        let Err(Error::Validation(problems)) = draft_configuration(bad) else {
            panic!("expected a validation error");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"settings.timezone"), "{fields:?}");
        assert!(fields.contains(&"availability[1].day_span"), "{fields:?}");
        assert!(fields.contains(&"availability[1].start_time"), "{fields:?}");
    }
}
