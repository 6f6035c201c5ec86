//! Working hours of a handoff configuration, evaluated by the schedule engine.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::model::HandoffConfiguration;
use super::validate::check_timezone;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
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
        let visitor = visitor_timezone
            .map(|v| {
                check_timezone(v)
                    .map_err(|m| Error::invalid("visitor_timezone", "invalid_timezone", m))
            })
            .transpose()?;
        let cfg = self.handoff_config_get(actor, agent_id).await?;
        status(&cfg, at.unwrap_or_else(Utc::now), visitor)
    }
}
