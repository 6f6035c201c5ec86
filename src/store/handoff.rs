//! Handoff configuration rows. A configuration is read in one snapshot and saved in one
//! transaction: items are matched by id (updated), new ones inserted, missing ones deleted.

use std::collections::HashMap;

use super::{now, on_db, Db, Store};
use crate::error::{Error, Result};
use crate::handoff::model::*;
use crate::Id;

#[derive(sqlx::FromRow)]
struct SettingsRow {
    is_active: bool,
    keywords: String,
    ai_summary_active: bool,
    question_message: String,
    confirmation_message: String,
    outside_hours_message: String,
    working_hours_active: bool,
    timezone: String,
    send_email_notification: bool,
    emails: String,
    auto_priority: bool,
    max_failed_answers: i64,
}

#[derive(sqlx::FromRow)]
struct SlotRow {
    id: Id,
    day_span: String,
    start_time: String,
    end_time: String,
}

#[derive(sqlx::FromRow)]
struct ExceptionRow {
    id: Id,
    date: String,
    name: String,
    closed: bool,
    start_time: Option<String>,
    end_time: Option<String>,
}

#[derive(sqlx::FromRow)]
struct GenericRow {
    name: String,
    is_active: bool,
}

#[derive(sqlx::FromRow)]
struct CustomRow {
    id: Id,
    name: String,
    description: String,
    is_active: bool,
    examples: String,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: Id,
    name: String,
    description: String,
    is_active: bool,
    examples: String,
}

#[derive(sqlx::FromRow)]
struct ProfileOperatorRow {
    profile_id: Id,
    operator_id: Id,
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    id: Id,
    kind: String,
    label: String,
    prompt: String,
    required: bool,
}

fn json_list(field: &str, text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored {field} is not a JSON list: {e}")))
}

pub(crate) fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Writes `cfg` for agent `$agent` inside the open transaction `$tx`. A macro, not a function,
/// so that the one text serves both backends' concrete transaction types.
macro_rules! write_config {
    ($tx:ident, $agent:expr, $cfg:expr, $t:expr) => {{
        let agent: $crate::Id = $agent;
        let cfg: &$crate::handoff::model::HandoffConfiguration = $cfg;
        let s = &cfg.settings;
        sqlx::query(
            "INSERT INTO handoff_settings (agent_id, is_active, keywords, ai_summary_active, \
             question_message, confirmation_message, outside_hours_message, working_hours_active, \
             timezone, send_email_notification, emails, auto_priority, max_failed_answers, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (agent_id) DO UPDATE SET is_active = excluded.is_active, \
             keywords = excluded.keywords, ai_summary_active = excluded.ai_summary_active, \
             question_message = excluded.question_message, \
             confirmation_message = excluded.confirmation_message, \
             outside_hours_message = excluded.outside_hours_message, \
             working_hours_active = excluded.working_hours_active, timezone = excluded.timezone, \
             send_email_notification = excluded.send_email_notification, emails = excluded.emails, \
             auto_priority = excluded.auto_priority, max_failed_answers = excluded.max_failed_answers, \
             updated_at = excluded.updated_at",
        )
        .bind(agent)
        .bind(s.is_active)
        .bind($crate::store::handoff::to_json(&s.keywords))
        .bind(s.ai_summary_active)
        .bind(&s.question_message)
        .bind(&s.confirmation_message)
        .bind(&s.confirmation_outside_working_hours_message)
        .bind(s.working_hours_active)
        .bind(&s.timezone)
        .bind(s.send_email_notification)
        .bind($crate::store::handoff::to_json(&s.emails))
        .bind(s.auto_priority)
        .bind(i64::from(s.max_failed_answers))
        .bind($t)
        .execute(&mut *$tx)
        .await?;

        // Existing items missing from the new list are deleted.
        for (table, keep) in [
            ("availability_slots", cfg.availability.iter().map(|x| x.id).collect::<Vec<_>>()),
            ("availability_exceptions", cfg.availability_exceptions.iter().map(|x| x.id).collect()),
            ("custom_guidelines", cfg.custom_guidelines.iter().map(|x| x.id).collect()),
            ("routing_profiles", cfg.routing_profiles.iter().map(|x| x.id).collect()),
            ("information_fields", cfg.information_to_gather.iter().map(|x| x.id).collect()),
        ] {
            let existing: Vec<$crate::Id> =
                sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE agent_id = $1"))
                    .bind(agent)
                    .fetch_all(&mut *$tx)
                    .await?;
            for id in existing.into_iter().filter(|id| !keep.contains(id)) {
                sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
            }
        }

        for (pos, x) in cfg.availability.iter().enumerate() {
            let sql = if x.id == $crate::handoff::validate::NEW_ID {
                "INSERT INTO availability_slots (agent_id, position, day_span, start_time, end_time) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id"
            } else {
                "UPDATE availability_slots SET position = $2, day_span = $3, start_time = $4, end_time = $5 \
                 WHERE agent_id = $1 AND id = $6 RETURNING id"
            };
            let q = sqlx::query_scalar::<_, $crate::Id>(sql).bind(agent).bind(pos as i64)
                .bind(&x.day_span).bind(&x.start_time).bind(&x.end_time);
            let q = if x.id == $crate::handoff::validate::NEW_ID { q } else { q.bind(x.id) };
            q.fetch_optional(&mut *$tx).await?.ok_or_else($crate::store::handoff::changed_concurrently)?;
        }

        for (pos, x) in cfg.availability_exceptions.iter().enumerate() {
            let sql = if x.id == $crate::handoff::validate::NEW_ID {
                "INSERT INTO availability_exceptions (agent_id, position, date, name, closed, start_time, end_time) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
            } else {
                "UPDATE availability_exceptions SET position = $2, date = $3, name = $4, closed = $5, \
                 start_time = $6, end_time = $7 WHERE agent_id = $1 AND id = $8 RETURNING id"
            };
            let q = sqlx::query_scalar::<_, $crate::Id>(sql).bind(agent).bind(pos as i64)
                .bind(&x.date).bind(&x.name).bind(x.closed).bind(&x.start_time).bind(&x.end_time);
            let q = if x.id == $crate::handoff::validate::NEW_ID { q } else { q.bind(x.id) };
            q.fetch_optional(&mut *$tx).await?.ok_or_else($crate::store::handoff::changed_concurrently)?;
        }

        for g in &cfg.generic_guidelines {
            sqlx::query(
                "INSERT INTO generic_guidelines (agent_id, name, is_active) VALUES ($1, $2, $3) \
                 ON CONFLICT (agent_id, name) DO UPDATE SET is_active = excluded.is_active",
            )
            .bind(agent)
            .bind(g.name.as_str())
            .bind(g.is_active)
            .execute(&mut *$tx)
            .await?;
        }

        for (pos, x) in cfg.custom_guidelines.iter().enumerate() {
            let sql = if x.id == $crate::handoff::validate::NEW_ID {
                "INSERT INTO custom_guidelines (agent_id, position, name, description, is_active, examples) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
            } else {
                "UPDATE custom_guidelines SET position = $2, name = $3, description = $4, is_active = $5, \
                 examples = $6 WHERE agent_id = $1 AND id = $7 RETURNING id"
            };
            let q = sqlx::query_scalar::<_, $crate::Id>(sql).bind(agent).bind(pos as i64)
                .bind(&x.name).bind(&x.description).bind(x.is_active).bind($crate::store::handoff::to_json(&x.examples));
            let q = if x.id == $crate::handoff::validate::NEW_ID { q } else { q.bind(x.id) };
            q.fetch_optional(&mut *$tx).await?.ok_or_else($crate::store::handoff::changed_concurrently)?;
        }

        for (pos, x) in cfg.routing_profiles.iter().enumerate() {
            let sql = if x.id == $crate::handoff::validate::NEW_ID {
                "INSERT INTO routing_profiles (agent_id, position, name, description, is_active, examples) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
            } else {
                "UPDATE routing_profiles SET position = $2, name = $3, description = $4, is_active = $5, \
                 examples = $6 WHERE agent_id = $1 AND id = $7 RETURNING id"
            };
            let q = sqlx::query_scalar::<_, $crate::Id>(sql).bind(agent).bind(pos as i64)
                .bind(&x.name).bind(&x.description).bind(x.is_active)
                .bind($crate::store::handoff::to_json(&x.examples));
            let q = if x.id == $crate::handoff::validate::NEW_ID { q } else { q.bind(x.id) };
            let profile = q.fetch_optional(&mut *$tx).await?.ok_or_else($crate::store::handoff::changed_concurrently)?;
            sqlx::query("DELETE FROM routing_profile_operators WHERE profile_id = $1")
                .bind(profile)
                .execute(&mut *$tx)
                .await?;
            for (i, op) in x.user_ids.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO routing_profile_operators (profile_id, operator_id, position) VALUES ($1, $2, $3)",
                )
                .bind(profile)
                .bind(op)
                .bind(i as i64)
                .execute(&mut *$tx)
                .await?;
            }
        }

        for (pos, x) in cfg.information_to_gather.iter().enumerate() {
            let sql = if x.id == $crate::handoff::validate::NEW_ID {
                "INSERT INTO information_fields (agent_id, position, kind, label, prompt, required) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
            } else {
                "UPDATE information_fields SET position = $2, kind = $3, label = $4, prompt = $5, required = $6 \
                 WHERE agent_id = $1 AND id = $7 RETURNING id"
            };
            let q = sqlx::query_scalar::<_, $crate::Id>(sql).bind(agent).bind(pos as i64)
                .bind(x.kind.as_str()).bind(&x.label).bind(&x.prompt).bind(x.required);
            let q = if x.id == $crate::handoff::validate::NEW_ID { q } else { q.bind(x.id) };
            q.fetch_optional(&mut *$tx).await?.ok_or_else($crate::store::handoff::changed_concurrently)?;
        }
    }};
}
pub(crate) use write_config;

pub(crate) fn changed_concurrently() -> Error {
    Error::conflict(
        "the configuration was changed by someone else while saving; reload it and try again",
        None,
    )
}

impl Store {
    pub async fn handoff_config(&self, agent: Id) -> Result<Option<HandoffConfiguration>> {
        on_db!(self.db(), pool => {
            // One transaction so that all sections come from the same snapshot.
            let mut tx = pool.begin().await?;
            let settings: Option<SettingsRow> = sqlx::query_as(
                "SELECT is_active, keywords, ai_summary_active, question_message, confirmation_message, \
                 outside_hours_message, working_hours_active, timezone, send_email_notification, emails, \
                 auto_priority, max_failed_answers FROM handoff_settings WHERE agent_id = $1",
            )
            .bind(agent)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(settings) = settings else { return Ok(None) };
            let slots: Vec<SlotRow> = sqlx::query_as(
                "SELECT id, day_span, start_time, end_time FROM availability_slots \
                 WHERE agent_id = $1 ORDER BY position, id",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let exceptions: Vec<ExceptionRow> = sqlx::query_as(
                "SELECT id, date, name, closed, start_time, end_time FROM availability_exceptions \
                 WHERE agent_id = $1 ORDER BY position, id",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let generic: Vec<GenericRow> = sqlx::query_as(
                "SELECT name, is_active FROM generic_guidelines WHERE agent_id = $1",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let custom: Vec<CustomRow> = sqlx::query_as(
                "SELECT id, name, description, is_active, examples FROM custom_guidelines \
                 WHERE agent_id = $1 ORDER BY position, id",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let profiles: Vec<ProfileRow> = sqlx::query_as(
                "SELECT id, name, description, is_active, examples FROM routing_profiles \
                 WHERE agent_id = $1 ORDER BY position, id",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let members: Vec<ProfileOperatorRow> = sqlx::query_as(
                "SELECT o.profile_id, o.operator_id FROM routing_profile_operators o \
                 JOIN routing_profiles p ON p.id = o.profile_id WHERE p.agent_id = $1 \
                 ORDER BY o.profile_id, o.position",
            ).bind(agent).fetch_all(&mut *tx).await?;
            let info: Vec<InfoRow> = sqlx::query_as(
                "SELECT id, kind, label, prompt, required FROM information_fields \
                 WHERE agent_id = $1 ORDER BY position, id",
            ).bind(agent).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            assemble(settings, slots, exceptions, generic, custom, profiles, members, info).map(Some)
        })
    }

    /// Saves a validated configuration (see `handoff::validate`) in one transaction.
    /// The version of an agent's configuration (its last save), for optimistic concurrency.
    pub async fn handoff_config_version(
        &self,
        agent: Id,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT updated_at FROM handoff_settings WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?))
    }

    /// Saves `cfg` if the configuration is still at `expected` (what it was validated against);
    /// otherwise someone saved in between and this is a conflict, with nothing written.
    pub async fn handoff_config_save(
        &self,
        agent: Id,
        cfg: &HandoffConfiguration,
        expected: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        let t = now();
        match self.db() {
            // IMMEDIATE takes the write lock up front, so concurrent saves queue instead of
            // failing half-way with SQLITE_BUSY.
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let now: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT updated_at FROM handoff_settings WHERE agent_id = $1",
                )
                .bind(agent)
                .fetch_optional(&mut *tx)
                .await?;
                if now != expected {
                    return Err(changed_concurrently());
                }
                write_config!(tx, agent, cfg, t);
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Serialize saves of one agent's configuration.
                let now: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT updated_at FROM handoff_settings WHERE agent_id = $1 FOR UPDATE",
                )
                .bind(agent)
                .fetch_optional(&mut *tx)
                .await?;
                if now != expected {
                    return Err(changed_concurrently());
                }
                write_config!(tx, agent, cfg, t);
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    s: SettingsRow,
    slots: Vec<SlotRow>,
    exceptions: Vec<ExceptionRow>,
    generic: Vec<GenericRow>,
    custom: Vec<CustomRow>,
    profiles: Vec<ProfileRow>,
    members: Vec<ProfileOperatorRow>,
    info: Vec<InfoRow>,
) -> Result<HandoffConfiguration> {
    let active: HashMap<String, bool> =
        generic.into_iter().map(|g| (g.name, g.is_active)).collect();
    let mut by_profile: HashMap<Id, Vec<Id>> = HashMap::new();
    for m in members {
        by_profile
            .entry(m.profile_id)
            .or_default()
            .push(m.operator_id);
    }
    let routing_profiles: Vec<RoutingProfile> = profiles
        .into_iter()
        .map(|p| {
            Ok(RoutingProfile {
                user_ids: by_profile.remove(&p.id).unwrap_or_default(),
                examples: json_list("examples", &p.examples)?,
                id: p.id,
                name: p.name,
                description: p.description,
                is_active: p.is_active,
            })
        })
        .collect::<Result<_>>()?;
    Ok(HandoffConfiguration {
        settings: Settings {
            is_active: s.is_active,
            keywords: json_list("keywords", &s.keywords)?,
            ai_summary_active: s.ai_summary_active,
            topic_based_routing_active: routing_profiles.iter().any(|p| p.is_active),
            question_message: s.question_message,
            confirmation_message: s.confirmation_message,
            confirmation_outside_working_hours_message: s.outside_hours_message,
            working_hours_active: s.working_hours_active,
            timezone: s.timezone,
            send_email_notification: s.send_email_notification,
            emails: json_list("emails", &s.emails)?,
            auto_priority: s.auto_priority,
            max_failed_answers: u32::try_from(s.max_failed_answers).unwrap_or(0),
        },
        availability: slots
            .into_iter()
            .map(|r| AvailabilitySlot {
                id: r.id,
                day_span: r.day_span,
                start_time: r.start_time,
                end_time: r.end_time,
            })
            .collect(),
        availability_exceptions: exceptions
            .into_iter()
            .map(|r| AvailabilityException {
                id: r.id,
                date: r.date,
                name: r.name,
                closed: r.closed,
                start_time: r.start_time,
                end_time: r.end_time,
            })
            .collect(),
        // Every known guideline is listed, in a fixed order; rows only record the switch.
        generic_guidelines: GenericGuidelineName::ALL
            .into_iter()
            .map(|name| GenericGuideline {
                name,
                description: name.description().into(),
                is_active: active
                    .get(name.as_str())
                    .copied()
                    .unwrap_or_else(|| name.active_by_default()),
            })
            .collect(),
        custom_guidelines: custom
            .into_iter()
            .map(|r| {
                Ok(CustomGuideline {
                    examples: json_list("examples", &r.examples)?,
                    id: r.id,
                    name: r.name,
                    description: r.description,
                    is_active: r.is_active,
                })
            })
            .collect::<Result<_>>()?,
        routing_profiles,
        information_to_gather: info
            .into_iter()
            .map(|r| InformationField {
                id: r.id,
                kind: InformationKind::parse(&r.kind).unwrap_or(InformationKind::Custom),
                label: r.label,
                prompt: r.prompt,
                required: r.required,
            })
            .collect(),
    })
}
