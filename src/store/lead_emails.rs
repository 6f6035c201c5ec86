//! Lead notifications and conversation transcripts: the `lead_emails` rows (migration 0015)
//! that say which of them a conversation got, written in the transaction that queues the
//! email job, and the scan for conversations whose transcript is due.
//!
//! A handoff email is an email job of the conversation (`jobs.kind = 'email'`, queued by the
//! write that hands it off, see `ConversationWrite::notification`) that is not the job of a
//! `lead_emails` row; it counts for the skip rule unless it failed for good.

use chrono::{DateTime, Utc};

use super::{on_db, sqlite_write, Db, Store};
use crate::error::Result;
use crate::leads::model::Lead;
use crate::leads::settings::LeadSettings;
use crate::outbox::model::Job;
use crate::Id;

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

/// Which email a `lead_emails` row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadEmailKind {
    /// The lead notification of one lead in the conversation.
    Lead,
    /// The conversation's transcript (one per conversation).
    Transcript,
}

impl LeadEmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadEmailKind::Lead => "lead",
            LeadEmailKind::Transcript => "transcript",
        }
    }
}

/// A `lead_emails` row: what a conversation was emailed about.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LeadEmailRecord {
    pub conversation_id: Id,
    /// `lead` or `transcript`.
    pub kind: String,
    /// The lead of a lead email; 0 for a transcript.
    pub lead_id: Id,
    /// `queued` (its job is `job_id`) or `skipped` (a transcript the skip rule left out).
    pub outcome: String,
    pub job_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

/// A conversation whose transcript is due, with what the skip rule needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct TranscriptDue {
    pub id: Id,
    pub resolved: bool,
    /// The visitor's last message.
    pub last_visitor_at: DateTime<Utc>,
    /// When the visitor ended the chat (the widget's "End chat"), if they did after their last
    /// message.
    pub ended_at: Option<DateTime<Utc>>,
    /// A lead email was queued for the conversation.
    pub lead_emailed: bool,
    /// A handoff email was queued or sent for it (not one that failed for good).
    pub handoff_emailed: bool,
}

/// Every status a conversation can have: listed so that the scan reads the index on
/// `(agent_id, status, last_message_at)` as one range per status.
const STATUSES: &str =
    "'ai', 'awaiting_confirmation', 'gathering_info', 'needs_agent', 'assigned', 'resolved'";

impl Store {
    /// Every agent's saved lead settings (one small row per agent that saved some).
    pub(crate) async fn lead_settings_all(&self) -> Result<Vec<(Id, LeadSettings)>> {
        let rows: Vec<(Id, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT agent_id, settings FROM lead_settings ORDER BY agent_id")
            .fetch_all(pool).await?);
        let mut out = Vec::with_capacity(rows.len());
        for (agent, text) in rows {
            match super::leads::parse_settings(&text) {
                Ok(s) => out.push((agent, s)),
                Err(e) => tracing::error!(agent, error = %e, "unreadable lead settings"),
            }
        }
        Ok(out)
    }

    /// The agent's business time zone as saved with its working hours, if any.
    pub(crate) async fn business_timezone(&self, agent: Id) -> Result<Option<String>> {
        Ok(on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT timezone FROM handoff_settings WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?))
    }

    /// The lead most recently linked to conversation `id`.
    pub(crate) async fn conversation_lead(&self, id: Id) -> Result<Option<Lead>> {
        let lead: Option<Id> = on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT lead_id FROM lead_conversations WHERE conversation_id = $1 \
             ORDER BY created_at DESC, lead_id DESC LIMIT 1")
            .bind(id).fetch_optional(pool).await?);
        match lead {
            Some(l) => self.lead_get(l).await,
            None => Ok(None),
        }
    }

    /// What conversation `id` was emailed about by lead notifications and transcripts.
    pub async fn lead_emails_of(&self, id: Id) -> Result<Vec<LeadEmailRecord>> {
        Ok(on_db!(self.db(), pool => sqlx::query_as(
            "SELECT conversation_id, kind, lead_id, outcome, job_id, created_at FROM lead_emails \
             WHERE conversation_id = $1 ORDER BY created_at, kind, lead_id")
            .bind(id).fetch_all(pool).await?))
    }

    /// Records that conversation `id` got the email `kind` (about `lead`; 0 for a transcript)
    /// and queues `job` with it, in one transaction; `job` None records a skipped transcript.
    /// False (nothing queued) when it was recorded before: each is decided once, also when
    /// two processes decide at the same time.
    pub(crate) async fn lead_email_mark(
        &self,
        id: Id,
        kind: LeadEmailKind,
        lead: Id,
        job: Option<&Job>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let payload = job.map(Job::payload).transpose()?;
        let outcome = if job.is_some() { "queued" } else { "skipped" };
        let marked = write_tx!(self, tx => {
            let inserted = sqlx::query(
                "INSERT INTO lead_emails (conversation_id, kind, lead_id, outcome, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .bind(id).bind(kind.as_str()).bind(lead).bind(outcome).bind(at)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if inserted {
                if let (Some(job), Some(payload)) = (job, &payload) {
                    let job_id: Id = sqlx::query_scalar(
                        "INSERT INTO jobs (kind, payload, conversation_id, status, attempts, \
                         next_attempt_at, created_at, target) \
                         VALUES ($1, $2, $3, 'pending', 0, $4, $4, $5) RETURNING id")
                        .bind(job.kind().as_str()).bind(payload).bind(id).bind(at)
                        .bind(job.target())
                        .fetch_one(&mut *tx).await?;
                    sqlx::query(
                        "UPDATE lead_emails SET job_id = $4 \
                         WHERE conversation_id = $1 AND kind = $2 AND lead_id = $3")
                        .bind(id).bind(kind.as_str()).bind(lead).bind(job_id)
                        .execute(&mut *tx).await?;
                }
            }
            inserted
        });
        if marked && job.is_some() {
            self.jobs_queued();
        }
        Ok(marked)
    }

    /// Up to `limit` conversations of `agent` whose transcript is due: no transcript decided
    /// yet, a visitor message, last activity since `since`, and resolved or without a visitor
    /// message after `idle_cutoff`; the longest-quiet first.
    ///
    /// Reads the index on `(agent_id, status, last_message_at)` for the window since `since`,
    /// the primary key of `lead_emails` for each, and the visitor's last message from the
    /// newest end of the index on `messages (conversation_id, id)` (usually one or two steps).
    pub(crate) async fn transcripts_due(
        &self,
        agent: Id,
        since: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
        ended_cutoff: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<TranscriptDue>> {
        let sql = format!(
            "SELECT d.id, d.resolved, d.last_visitor_at, \
             CASE WHEN d.ended_at >= d.last_visitor_at THEN d.ended_at END AS ended_at, \
             EXISTS (SELECT 1 FROM lead_emails e WHERE e.conversation_id = d.id AND e.kind = 'lead' \
                     AND e.outcome = 'queued') AS lead_emailed, \
             EXISTS (SELECT 1 FROM jobs j WHERE j.conversation_id = d.id AND j.kind = 'email' \
                     AND j.status <> 'failed' \
                     AND NOT EXISTS (SELECT 1 FROM lead_emails e WHERE e.job_id = j.id)) AS handoff_emailed \
             FROM (SELECT c.id, c.status = 'resolved' AS resolved, c.last_message_at, \
                   (SELECT m.created_at FROM messages m WHERE m.conversation_id = c.id \
                    AND m.author = 'visitor' ORDER BY m.id DESC LIMIT 1) AS last_visitor_at, \
                   (SELECT MAX(v.created_at) FROM conversation_events v WHERE v.conversation_id = c.id \
                    AND v.kind = 'ended_by_visitor') AS ended_at \
                   FROM conversations c \
                   WHERE c.agent_id = $1 AND c.status IN ({STATUSES}) AND c.last_message_at >= $2 \
                   AND NOT EXISTS (SELECT 1 FROM lead_emails t WHERE t.conversation_id = c.id \
                                   AND t.kind = 'transcript' AND t.lead_id = 0)) d \
             WHERE d.last_visitor_at IS NOT NULL AND (d.resolved OR d.last_visitor_at <= $3 \
                   OR (d.ended_at >= d.last_visitor_at AND d.ended_at <= $5)) \
             ORDER BY d.last_message_at, d.id LIMIT $4"
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql)
            .bind(agent).bind(since).bind(idle_cutoff).bind(limit).bind(ended_cutoff)
            .fetch_all(pool).await?))
    }
}
