//! Leads: the upsert a conversation's gathered details feed, the list, one lead with its
//! conversations, deletion, and the export's cursor.

use std::collections::BTreeMap;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use futures_util::stream::{Stream, StreamExt};

use super::conversations::LeadFeed;
use super::{now, on_db, sqlite_write, Db, Store};
use crate::conversations::model::ConversationState;
use crate::error::{Error, Result};
use crate::leads::model::{Lead, LeadConversation, LeadQuery, LeadSource};
use crate::leads::settings::LeadSettings;
use crate::outbox::model::Job;
use crate::webhooks::model::{EventBody, Triggered, WebhookEvent};
use crate::Id;

const COLUMNS: &str = "l.id, l.agent_id, l.name, l.email, l.phone, l.custom, l.source, \
    l.consent_text, l.consent_at, \
    (SELECT MIN(lc.conversation_id) FROM lead_conversations lc WHERE lc.lead_id = l.id) AS conversation_id, \
    l.created_at, l.updated_at";

macro_rules! write_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match $store.db() {
            Db::Sqlite(pool) => sqlite_write!($store, pool, conn => {
                let mut $tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }),
            Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

#[derive(sqlx::FromRow)]
struct LeadRow {
    id: Id,
    agent_id: Id,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    custom: String,
    source: String,
    consent_text: Option<String>,
    consent_at: Option<DateTime<Utc>>,
    conversation_id: Option<Id>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Stored lead settings; a document saved by an older version reads with today's defaults
/// for what it lacks.
pub(crate) fn parse_settings(text: &str) -> Result<LeadSettings> {
    serde_json::from_str(text).map_err(|_| corrupt("settings"))
}

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("a stored lead's {what} is invalid"))
}

impl TryFrom<LeadRow> for Lead {
    type Error = Error;
    fn try_from(r: LeadRow) -> Result<Lead> {
        Ok(Lead {
            id: r.id,
            agent_id: r.agent_id,
            name: r.name,
            email: r.email,
            phone: r.phone,
            custom: serde_json::from_str(&r.custom).map_err(|_| corrupt("custom fields"))?,
            source: LeadSource::parse(&r.source).ok_or_else(|| corrupt("source"))?,
            consent_text: r.consent_text,
            consent_at: r.consent_at,
            conversation_id: r.conversation_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A lead's contact details as a conversation's gathered information holds them: a field
/// whose label names the name, the email or the phone; the other fields are custom.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub custom: BTreeMap<String, String>,
}

impl Contact {
    pub(crate) fn of(gathered: &BTreeMap<String, String>) -> Contact {
        let mut c = Contact::default();
        for (label, value) in gathered {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let key = label.to_lowercase();
            let slot = if key.contains("email") {
                &mut c.email
            } else if key.contains("phone") {
                &mut c.phone
            } else if key.contains("name") {
                &mut c.name
            } else {
                c.custom.insert(label.clone(), value.to_owned());
                continue;
            };
            if slot.is_none() {
                *slot = Some(value.to_owned());
            }
        }
        c
    }

    pub(crate) fn is_lead(&self) -> bool {
        self.name.is_some() || self.email.is_some() || self.phone.is_some()
    }
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: Id,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    custom: String,
}

#[derive(sqlx::FromRow)]
struct Owner {
    agent_id: Id,
    visitor_id: String,
}

const FIND: &str = "SELECT id, name, email, phone, custom FROM leads WHERE agent_id = $1 \
    AND (email_key = $2 OR visitor_id = $3) \
    ORDER BY CASE WHEN email_key = $2 THEN 0 ELSE 1 END, id LIMIT 1";

impl Store {
    /// The lead conversation `id` is linked to (the first, if several).
    pub(crate) async fn lead_of_conversation(&self, id: Id) -> Result<Option<Id>> {
        Ok(on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT MIN(lead_id) FROM lead_conversations WHERE conversation_id = $1")
            .bind(id).fetch_one(pool).await?))
    }

    /// An agent's saved lead capture settings, if any.
    pub(crate) async fn lead_settings(&self, agent: Id) -> Result<Option<LeadSettings>> {
        let text: Option<String> = on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT settings FROM lead_settings WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?);
        text.map(|t| parse_settings(&t)).transpose()
    }

    pub(crate) async fn lead_settings_set(&self, agent: Id, s: &LeadSettings) -> Result<()> {
        let text = serde_json::to_string(s).map_err(|e| Error::Internal(e.to_string()))?;
        let sql = "INSERT INTO lead_settings (agent_id, settings, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (agent_id) DO UPDATE SET settings = excluded.settings, \
                   updated_at = excluded.updated_at";
        on_db!(self.db(), pool => sqlx::query(sql).bind(agent).bind(&text).bind(now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Creates or updates the lead of conversation `id` from its gathered details (see
    /// [`Contact::of`]): the lead of the same email at this agent, else of the same visitor,
    /// else a new one, with the `lead.created` webhook jobs queued in its transaction. The
    /// conversation is linked to it. Whether a lead was created.
    pub(crate) async fn lead_feed(
        &self,
        id: Id,
        state: &ConversationState,
        how: &LeadFeed,
    ) -> Result<Option<(Id, bool)>> {
        let contact = Contact::of(&state.gathered);
        if !contact.is_lead() {
            return Ok(None);
        }
        let Some(owner): Option<Owner> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT agent_id, visitor_id FROM conversations WHERE id = $1")
            .bind(id).fetch_optional(pool).await?)
        else {
            return Ok(None);
        };
        let key = contact.email.as_ref().map(|e| e.to_lowercase());
        let at = now();
        // The webhook jobs are made before the transaction (they read the endpoints and the
        // public address through the pool, which on an in-memory database is the one
        // connection the transaction holds), and queued only if the lead turns out new.
        let found: Option<Existing> = on_db!(self.db(), pool => sqlx::query_as(FIND)
            .bind(owner.agent_id).bind(&key).bind(&owner.visitor_id).fetch_optional(pool).await?);
        let jobs = if found.is_none() {
            let triggered = [Triggered {
                event: WebhookEvent::LeadCreated,
                operator_id: None,
            }];
            let mut jobs = self.webhook_jobs(id, &triggered, state, &[], at).await?;
            for job in &mut jobs {
                if let Job::Webhook(w) = job {
                    let mut body: EventBody = serde_json::from_str(&w.body)
                        .map_err(|e| Error::Internal(e.to_string()))?;
                    if let Some(v) = body.data.visitor.as_mut() {
                        v.name.clone_from(&contact.name);
                        v.email.clone_from(&contact.email);
                        v.phone.clone_from(&contact.phone);
                    }
                    w.body =
                        serde_json::to_string(&body).map_err(|e| Error::Internal(e.to_string()))?;
                }
            }
            jobs
        } else {
            Vec::new()
        };
        let to_json = |m: &BTreeMap<String, String>| {
            serde_json::to_string(m).map_err(|e| Error::Internal(e.to_string()))
        };
        let created = write_tx!(self, tx => {
            let found: Option<Existing> = sqlx::query_as(FIND)
                .bind(owner.agent_id).bind(&key).bind(&owner.visitor_id)
                .fetch_optional(&mut *tx).await?;
            let (lead, created) = match found {
                Some(e) => {
                    let mut custom: BTreeMap<String, String> =
                        serde_json::from_str(&e.custom).map_err(|_| corrupt("custom fields"))?;
                    custom.extend(contact.custom.clone());
                    let name = contact.name.clone().or(e.name.clone());
                    let email = contact.email.clone().or(e.email.clone());
                    let phone = contact.phone.clone().or(e.phone.clone());
                    let custom = to_json(&custom)?;
                    if (&name, &email, &phone, &custom) != (&e.name, &e.email, &e.phone, &e.custom) {
                        sqlx::query("UPDATE leads SET name = $2, email = $3, email_key = $4, phone = $5, \
                                     custom = $6, updated_at = $7 WHERE id = $1")
                            .bind(e.id).bind(&name).bind(&email)
                            .bind(email.as_ref().map(|e| e.to_lowercase()))
                            .bind(&phone).bind(&custom).bind(at)
                            .execute(&mut *tx).await?;
                    }
                    if let Some((text, when)) = &how.consent {
                        sqlx::query("UPDATE leads SET consent_text = $2, consent_at = $3, updated_at = $4 \
                                     WHERE id = $1")
                            .bind(e.id).bind(text).bind(when).bind(at)
                            .execute(&mut *tx).await?;
                    }
                    (e.id, false)
                }
                None => {
                    let lead: Id = sqlx::query_scalar(
                        "INSERT INTO leads (agent_id, visitor_id, name, email, email_key, phone, custom, \
                         source, consent_text, consent_at, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $9, $9) RETURNING id")
                        .bind(owner.agent_id).bind(&owner.visitor_id).bind(&contact.name)
                        .bind(&contact.email).bind(&key).bind(&contact.phone)
                        .bind(to_json(&contact.custom)?).bind(how.source.as_str()).bind(at)
                        .bind(how.consent.as_ref().map(|c| c.0.clone()))
                        .bind(how.consent.as_ref().map(|c| c.1))
                        .fetch_one(&mut *tx).await?;
                    for job in &jobs {
                        sqlx::query("INSERT INTO jobs (kind, payload, conversation_id, status, attempts, \
                                     next_attempt_at, created_at, target) \
                                     VALUES ($1, $2, $3, 'pending', 0, $4, $4, $5)")
                            .bind(job.kind().as_str()).bind(job.payload()?).bind(id).bind(at)
                            .bind(job.target())
                            .execute(&mut *tx).await?;
                    }
                    (lead, true)
                }
            };
            sqlx::query("INSERT INTO lead_conversations (lead_id, conversation_id, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(lead).bind(id).bind(at).execute(&mut *tx).await?;
            (lead, created)
        });
        if created.1 && !jobs.is_empty() {
            self.jobs_queued();
        }
        Ok(Some(created))
    }

    /// An agent's leads matching `q`, newest first, at most `limit`: a walk down the index
    /// `(agent_id, id)` from `before_id` (a bound the index seeks to, so a deep page costs
    /// what the first does).
    pub(crate) async fn lead_list(
        &self,
        agent: Id,
        q: &LeadQuery,
        limit: i64,
    ) -> Result<Vec<Lead>> {
        let search = q
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let escaped = s
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            });
        let sql = format!(
            "SELECT {COLUMNS} FROM leads l WHERE l.agent_id = $1 \
             AND ($2 IS NULL OR LOWER(COALESCE(l.name, '')) LIKE $2 ESCAPE '\\' \
                  OR COALESCE(l.email_key, '') LIKE $2 ESCAPE '\\' \
                  OR COALESCE(l.phone, '') LIKE $2 ESCAPE '\\') \
             AND ($3 IS NULL OR l.created_at >= $3) AND ($4 IS NULL OR l.created_at < $4) \
             AND l.id < COALESCE($5, 9223372036854775807) ORDER BY l.id DESC LIMIT $6"
        );
        let rows: Vec<LeadRow> = on_db!(self.db(), pool => sqlx::query_as(&sql)
            .bind(agent).bind(search).bind(q.from).bind(q.to).bind(q.before_id).bind(limit)
            .fetch_all(pool).await?);
        rows.into_iter().map(Lead::try_from).collect()
    }

    pub(crate) async fn lead_get(&self, id: Id) -> Result<Option<Lead>> {
        let sql = format!("SELECT {COLUMNS} FROM leads l WHERE l.id = $1");
        let row: Option<LeadRow> = on_db!(self.db(), pool => sqlx::query_as(&sql)
            .bind(id).fetch_optional(pool).await?);
        row.map(Lead::try_from).transpose()
    }

    pub(crate) async fn lead_conversations(&self, id: Id) -> Result<Vec<LeadConversation>> {
        let rows: Vec<(Id, DateTime<Utc>, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT c.id, c.created_at, c.channel FROM lead_conversations lc \
             JOIN conversations c ON c.id = lc.conversation_id WHERE lc.lead_id = $1 ORDER BY c.id")
            .bind(id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, started_at, channel)| LeadConversation {
                id,
                started_at,
                channel,
            })
            .collect())
    }

    /// Deletes a lead and its links to conversations; how many conversations were linked.
    pub(crate) async fn lead_delete(&self, id: Id) -> Result<Option<u64>> {
        Ok(write_tx!(self, tx => {
            let linked: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM lead_conversations WHERE lead_id = $1")
                .bind(id).fetch_one(&mut *tx).await?;
            let deleted = sqlx::query("DELETE FROM leads WHERE id = $1")
                .bind(id).execute(&mut *tx).await?.rows_affected();
            (deleted > 0).then_some(u64::try_from(linked).unwrap_or(0))
        }))
    }

    /// How many leads of `agent` were created in `[from, to)`.
    pub(crate) async fn lead_count(
        &self,
        agent: Id,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<i64> {
        Ok(on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM leads WHERE agent_id = $1 AND created_at >= $2 AND created_at < $3")
            .bind(agent).bind(from).bind(to).fetch_one(pool).await?))
    }

    /// The leads of `agent` created in `[from, to)`, oldest first, read from a database cursor
    /// as the consumer pulls them (never the whole set in memory).
    /// The export's cursor: the agent's leads created in `[from, to)`, oldest first, as
    /// driver rows the export's writer decodes ([`ExportRow::lead`]); the conversation looked
    /// up only when the export writes it.
    pub(crate) fn lead_export_cursor(
        &self,
        agent: Id,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        with_conversation: bool,
    ) -> Pin<Box<dyn Stream<Item = Result<ExportRow>> + Send + '_>> {
        let sql = export_sql(with_conversation);
        match self.db() {
            Db::Sqlite(pool) => Box::pin(
                sqlx::query(sql)
                    .bind(agent)
                    .bind(from)
                    .bind(to)
                    .fetch(pool)
                    .map(|r| Ok(ExportRow::Sqlite(r?))),
            ),
            Db::Postgres(pool) => Box::pin(
                sqlx::query(sql)
                    .bind(agent)
                    .bind(from)
                    .bind(to)
                    .fetch(pool)
                    .map(|r| Ok(ExportRow::Postgres(r?))),
            ),
        }
    }
}

/// The export's query: the columns [`export_lead`] reads, in its order.
fn export_sql(with_conversation: bool) -> &'static str {
    const WITH: &str = "SELECT l.id, l.name, l.email, l.phone, l.custom, l.source, \
        l.consent_text, l.consent_at, l.created_at, \
        (SELECT MIN(lc.conversation_id) FROM lead_conversations lc WHERE lc.lead_id = l.id) \
        FROM leads l \
        WHERE l.agent_id = $1 AND l.created_at >= $2 AND l.created_at < $3 ORDER BY l.created_at, l.id";
    const WITHOUT: &str = "SELECT l.id, l.name, l.email, l.phone, l.custom, l.source, \
        l.consent_text, l.consent_at, l.created_at \
        FROM leads l \
        WHERE l.agent_id = $1 AND l.created_at >= $2 AND l.created_at < $3 ORDER BY l.created_at, l.id";
    if with_conversation {
        WITH
    } else {
        WITHOUT
    }
}

/// Reads the export's rows of a SQLite file on the calling thread, through a read-only
/// connection of its own, handing each lead to `each` until it says stop (`false`). One
/// snapshot: the statement's read transaction. Blocking: the caller is the export's writer
/// thread, which then needs no rows handed over from another thread (sqlx's worker sends
/// each row through a channel: at a million rows that hand-off was most of the time).
pub(crate) fn lead_export_read_sqlite(
    file: &std::path::Path,
    agent: Id,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    with_conversation: bool,
    mut each: impl FnMut(&ExportLead<'_>) -> Result<bool>,
) -> Result<()> {
    use rusqlite::{types::ValueRef, OpenFlags};
    fn db(e: rusqlite::Error) -> Error {
        Error::Internal(format!("reading the leads to export: {e}"))
    }
    fn text(v: ValueRef<'_>) -> Result<Option<&str>> {
        v.as_str_or_null().map_err(|_| corrupt("text"))
    }
    fn time(v: ValueRef<'_>) -> Result<Option<DateTime<Utc>>> {
        text(v)?
            .map(|s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| corrupt("time"))
            })
            .transpose()
    }
    // sqlx stores a time as RFC 3339 text; the same text compares in the same order.
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db)?;
    let mut stmt = conn.prepare(export_sql(with_conversation)).map_err(db)?;
    let mut rows = stmt
        .query(rusqlite::params![agent, stamp(from), stamp(to)])
        .map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let v = |i: usize| r.get_ref(i).map_err(db);
        let lead = ExportLead {
            id: v(0)?.as_i64().map_err(|_| corrupt("id"))?,
            name: text(v(1)?)?,
            email: text(v(2)?)?,
            phone: text(v(3)?)?,
            custom: text(v(4)?)?.ok_or_else(|| corrupt("custom fields"))?,
            source: text(v(5)?)?
                .and_then(LeadSource::parse)
                .ok_or_else(|| corrupt("source"))?,
            consent_text: text(v(6)?)?,
            consent_at: time(v(7)?)?,
            created_at: time(v(8)?)?.ok_or_else(|| corrupt("time"))?,
            conversation_id: if with_conversation {
                v(9)?
                    .as_i64_or_null()
                    .map_err(|_| corrupt("conversation"))?
            } else {
                None
            },
        };
        if !each(&lead)? {
            break;
        }
    }
    Ok(())
}

/// One row of the export's cursor in the driver's own form. The export decodes it on its
/// writer thread, borrowing the text from the row: a million rows notice a copy of every
/// string and a parsed map per lead on the cursor's thread.
pub(crate) enum ExportRow {
    Sqlite(sqlx::sqlite::SqliteRow),
    Postgres(sqlx::postgres::PgRow),
}

/// A lead as the export writes it, borrowed from its [`ExportRow`].
pub(crate) struct ExportLead<'r> {
    pub id: Id,
    pub name: Option<&'r str>,
    pub email: Option<&'r str>,
    pub phone: Option<&'r str>,
    /// The other details as stored: a JSON object of label → value.
    pub custom: &'r str,
    pub source: LeadSource,
    pub consent_text: Option<&'r str>,
    pub consent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// `None` also when the cursor did not look it up.
    pub conversation_id: Option<Id>,
}

impl ExportRow {
    pub(crate) fn lead(&self) -> Result<ExportLead<'_>> {
        match self {
            ExportRow::Sqlite(r) => export_lead(r),
            ExportRow::Postgres(r) => export_lead(r),
        }
    }
}

fn export_lead<'r, R>(r: &'r R) -> Result<ExportLead<'r>>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    &'r str: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Id: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let source: &str = r.try_get(5)?;
    Ok(ExportLead {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        email: r.try_get(2)?,
        phone: r.try_get(3)?,
        custom: r.try_get(4)?,
        source: LeadSource::parse(source).ok_or_else(|| corrupt("source"))?,
        consent_text: r.try_get(6)?,
        consent_at: r.try_get(7)?,
        created_at: r.try_get(8)?,
        conversation_id: if r.len() > 9 { r.try_get(9)? } else { None },
    })
}
