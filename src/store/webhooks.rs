//! Webhook endpoints (the signing secrets stored sealed, see `secrets`), and the webhook jobs
//! a conversation write queues with itself (see [`Store::webhook_jobs`]).

use chrono::{DateTime, Utc};

use super::{on_db, sqlite_write, Db, Store};
use crate::conversations::model::{ConversationState, NewMessage};
use crate::engine::Author;
use crate::error::{Error, Result};
use crate::outbox::model::Job;
use crate::secrets::{Secret, SecretKey};
use crate::webhooks::model::{
    ConversationRef, EventBody, EventData, OperatorRef, Triggered, VisitorRef, Webhook,
    WebhookEvent, WebhookJob,
};
use crate::webhooks::validate::Valid;
use crate::Id;

const COLUMNS: &str = "id, agent_id, name, description, url, send_chat_summary, \
    success_message, active, events, allow, secret, previous_secret, previous_expires_at, \
    disabled_reason, created_at, updated_at";

const NAME_TAKEN: &str = "this agent already has a webhook with that name";

/// Turns of the transcript a summary without an AI summary is made of, and the characters
/// kept of each.
const DIGEST_TURNS: i64 = 12;
const DIGEST_TURN_CHARS: usize = 300;

/// What the secret is sealed for: this endpoint, so a sealed value copied to another row does
/// not open.
pub(crate) fn secret_purpose(id: Id) -> String {
    format!("baton.webhook.secret.v1|{id}")
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: Id,
    agent_id: Id,
    name: String,
    description: String,
    url: String,
    send_chat_summary: bool,
    success_message: String,
    active: bool,
    events: String,
    allow: String,
    secret: String,
    previous_secret: Option<String>,
    previous_expires_at: Option<DateTime<Utc>>,
    disabled_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// An endpoint as stored: what the API answers, and its sealed secrets (which never leave
/// the core).
#[derive(Clone)]
pub struct StoredWebhook {
    pub webhook: Webhook,
    pub(crate) sealed: String,
    pub(crate) previous: Option<String>,
}

impl std::fmt::Debug for StoredWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredWebhook")
            .field("webhook", &self.webhook)
            .finish_non_exhaustive()
    }
}

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("a stored webhook's {what} is invalid"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

impl WebhookRow {
    fn into_stored(self) -> Result<StoredWebhook> {
        Ok(StoredWebhook {
            webhook: Webhook {
                id: self.id,
                agent_id: self.agent_id,
                name: self.name,
                description: self.description,
                url: self.url,
                send_chat_summary: self.send_chat_summary,
                success_message: self.success_message,
                active: self.active,
                events: serde_json::from_str(&self.events).map_err(|_| corrupt("events"))?,
                allow: serde_json::from_str(&self.allow).map_err(|_| corrupt("allow-list"))?,
                previous_secret_expires_at: self
                    .previous_secret
                    .as_ref()
                    .and(self.previous_expires_at),
                disabled_reason: self.disabled_reason,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            sealed: self.secret,
            previous: self.previous_secret,
        })
    }
}

/// Runs `$body` in one transaction on a writing connection, `$tx` bound to it (see
/// `store::jobs`).
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

/// One endpoint subscribed to a conversation's agent, as a write reads it.
#[derive(sqlx::FromRow)]
struct Subscriber {
    id: Id,
    name: String,
    events: String,
    send_chat_summary: bool,
    agent_id: Id,
    channel: String,
    public_url: Option<String>,
}

fn author_label(a: Author) -> &'static str {
    match a {
        Author::Visitor => "Visitor",
        Author::Ai => "Agent",
        Author::Operator => "Operator",
        Author::System => "System",
    }
}

impl Store {
    /// Inserts an endpoint with its secret sealed for its id, in one transaction.
    pub(crate) async fn webhook_insert(
        &self,
        agent: Id,
        v: &Valid,
        key: &SecretKey,
        secret: &Secret,
        at: DateTime<Utc>,
    ) -> Result<StoredWebhook> {
        let insert = "INSERT INTO webhooks (agent_id, name, description, url, send_chat_summary, \
             success_message, active, events, allow, secret, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $10) RETURNING id";
        let seal = "UPDATE webhooks SET secret = $2 WHERE id = $1";
        let (events, allow) = (to_json(&v.events)?, to_json(&v.allow)?);
        let id: Id = write_tx!(self, tx => {
            let id: Id = sqlx::query_scalar(insert)
                .bind(agent).bind(&v.name).bind(&v.description).bind(&v.url)
                .bind(v.send_chat_summary).bind(&v.success_message).bind(v.active)
                .bind(&events).bind(&allow).bind(at)
                .fetch_one(&mut *tx).await
                .map_err(|e| Error::from_unique(e, "name", NAME_TAKEN))?;
            sqlx::query(seal).bind(id).bind(key.seal(secret, &secret_purpose(id)))
                .execute(&mut *tx).await?;
            id
        });
        self.webhook_get(id)
            .await?
            .ok_or(Error::not_found("webhook"))
    }

    /// Saves every field; turning it on again clears why Baton turned it off.
    pub(crate) async fn webhook_update(
        &self,
        id: Id,
        v: &Valid,
        at: DateTime<Utc>,
    ) -> Result<Option<StoredWebhook>> {
        let sql = format!(
            "UPDATE webhooks SET name = $2, description = $3, url = $4, send_chat_summary = $5, \
             success_message = $6, active = $7, events = $8, allow = $9, updated_at = $10, \
             disabled_reason = CASE WHEN $7 THEN NULL ELSE disabled_reason END \
             WHERE id = $1 RETURNING {COLUMNS}"
        );
        let (events, allow) = (to_json(&v.events)?, to_json(&v.allow)?);
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, WebhookRow>(&sql)
            .bind(id).bind(&v.name).bind(&v.description).bind(&v.url)
            .bind(v.send_chat_summary).bind(&v.success_message).bind(v.active)
            .bind(&events).bind(&allow).bind(at)
            .fetch_optional(pool).await
            .map_err(|e| Error::from_unique(e, "name", NAME_TAKEN))?);
        row.map(WebhookRow::into_stored).transpose()
    }

    /// Replaces the secret with `sealed`; the current one keeps signing until `until`.
    pub(crate) async fn webhook_rotate(
        &self,
        id: Id,
        sealed: &str,
        until: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<Option<StoredWebhook>> {
        let sql = format!(
            "UPDATE webhooks SET previous_secret = secret, previous_expires_at = $3, secret = $2, \
             updated_at = $4 WHERE id = $1 RETURNING {COLUMNS}"
        );
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, WebhookRow>(&sql)
            .bind(id).bind(sealed).bind(until).bind(at).fetch_optional(pool).await?);
        row.map(WebhookRow::into_stored).transpose()
    }

    /// Turns an endpoint off, saying why (it answered 410 Gone).
    pub(crate) async fn webhook_disable(
        &self,
        id: Id,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE webhooks SET active = FALSE, disabled_reason = $2, updated_at = $3 WHERE id = $1")
            .bind(id).bind(reason).bind(at).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn webhook_get(&self, id: Id) -> Result<Option<StoredWebhook>> {
        let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1");
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, WebhookRow>(&sql)
            .bind(id).fetch_optional(pool).await?);
        row.map(WebhookRow::into_stored).transpose()
    }

    pub(crate) async fn webhook_list(&self, agent: Id) -> Result<Vec<StoredWebhook>> {
        let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE agent_id = $1 ORDER BY name, id");
        let rows = on_db!(self.db(), pool => sqlx::query_as::<_, WebhookRow>(&sql)
            .bind(agent).fetch_all(pool).await?);
        rows.into_iter().map(WebhookRow::into_stored).collect()
    }

    /// Deletes an endpoint and its delivery log (its jobs), in one transaction.
    pub(crate) async fn webhook_delete(&self, id: Id) -> Result<bool> {
        let target = crate::webhooks::model::target(id);
        Ok(write_tx!(self, tx => {
            sqlx::query("DELETE FROM jobs WHERE target = $1").bind(&target).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&mut *tx).await?
                .rows_affected() > 0
        }))
    }

    /// The endpoints the agent of a conversation may trigger (active, with a description of
    /// when to), each with whether it was already triggered in `conversation`.
    pub(crate) async fn webhook_actions(
        &self,
        agent: Id,
        conversation: Id,
    ) -> Result<Vec<(Webhook, bool)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            webhook: WebhookRow,
            triggered: bool,
        }
        let sql = format!(
            "SELECT {COLUMNS}, EXISTS (SELECT 1 FROM webhook_triggers t \
             WHERE t.webhook_id = webhooks.id AND t.conversation_id = $2) AS triggered \
             FROM webhooks WHERE agent_id = $1 AND active AND description <> '' ORDER BY id"
        );
        let rows = on_db!(self.db(), pool => sqlx::query_as::<_, Row>(&sql)
            .bind(agent).bind(conversation).fetch_all(pool).await?);
        rows.into_iter()
            .map(|r| Ok((r.webhook.into_stored()?.webhook, r.triggered)))
            .collect()
    }

    /// Deletes the finished deliveries (delivered, exhausted or failed) that finished before
    /// `before`, their attempts with them (`ON DELETE CASCADE`); how many.
    pub(crate) async fn webhook_deliveries_prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let sql = "DELETE FROM jobs WHERE kind = $1 AND status IN ('done', 'failed') \
                   AND finished_at < $2";
        let kind = crate::outbox::JobKind::Webhook.as_str();
        Ok(write_tx!(self, tx => {
            sqlx::query(sql).bind(kind).bind(before).execute(&mut *tx).await?.rows_affected()
        }))
    }

    /// The webhook jobs a write of conversation `id` to `state` queues in its own transaction:
    /// one per event in `triggered` and active endpoint of the conversation's agent subscribed
    /// to it. `new_turns` are the messages the write stores (for a summary from the
    /// transcript); `at` is the write's time.
    pub(crate) async fn webhook_jobs(
        &self,
        id: Id,
        triggered: &[Triggered],
        state: &ConversationState,
        new_turns: &[&NewMessage],
        at: DateTime<Utc>,
    ) -> Result<Vec<Job>> {
        let subscribers: Vec<Subscriber> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT w.id, w.name, w.events, w.send_chat_summary, c.agent_id, c.channel, \
             (SELECT value FROM app_settings WHERE key = $2) AS public_url \
             FROM conversations c JOIN webhooks w ON w.agent_id = c.agent_id AND w.active \
             WHERE c.id = $1 ORDER BY w.id")
            .bind(id).bind(crate::public_url::SETTING_KEY).fetch_all(pool).await?);
        let mut wanted: Vec<(&Subscriber, Triggered)> = Vec::new();
        for s in &subscribers {
            let events: Vec<WebhookEvent> =
                serde_json::from_str(&s.events).map_err(|_| corrupt("events"))?;
            for t in triggered {
                if events.contains(&t.event) {
                    wanted.push((s, *t));
                }
            }
        }
        let Some((first, _)) = wanted.first() else {
            return Ok(Vec::new());
        };
        let base = crate::public_url::effective(first.public_url.as_deref(), self.serving());
        let summary = if wanted.iter().any(|(s, _)| s.send_chat_summary) {
            Some(match &state.ai_summary {
                Some(s) => s.clone(),
                None => self.transcript_digest(id, new_turns).await?,
            })
        } else {
            None
        };
        let mut names: Vec<(Id, Option<String>)> = Vec::new();
        for (_, t) in &wanted {
            if let Some(op) = t
                .operator_id
                .filter(|op| !names.iter().any(|(i, _)| i == op))
            {
                let name: Option<String> = on_db!(self.db(), pool => sqlx::query_scalar(
                    "SELECT name FROM operators WHERE id = $1").bind(op).fetch_optional(pool).await?);
                names.push((op, name));
            }
        }
        let conversation = ConversationRef {
            id,
            agent_id: first.agent_id,
            channel: first.channel.clone(),
            link: crate::public_url::conversation_link(&base, id),
            status: state.status.as_str().to_owned(),
            priority: state.priority.map(|p| p.as_str().to_owned()),
            handoff_reason: state.handoff_reason.clone(),
        };
        let visitor = VisitorRef {
            details: state.gathered.clone(),
            language: state.language.clone(),
            name: None,
            email: None,
            phone: None,
        };
        wanted
            .into_iter()
            .map(|(s, t)| {
                let operator = t.operator_id.map(|op| OperatorRef {
                    id: op,
                    name: names
                        .iter()
                        .find(|(i, _)| *i == op)
                        .and_then(|(_, n)| n.clone()),
                });
                let body = EventBody {
                    kind: t.event,
                    timestamp: at,
                    data: EventData {
                        event: t.event,
                        webhook: s.name.clone(),
                        conversation: Some(conversation.clone()),
                        visitor: Some(visitor.clone()),
                        operator,
                        summary: s.send_chat_summary.then(|| summary.clone()).flatten(),
                    },
                };
                Ok(Job::Webhook(WebhookJob {
                    endpoint_id: s.id,
                    event: t.event,
                    message_id: crate::webhooks::sign::new_message_id(),
                    body: to_json(&body)?,
                }))
            })
            .collect()
    }

    /// The last turns of the visible transcript (with the ones a write is storing), one line
    /// each: the summary of a conversation without an AI summary.
    async fn transcript_digest(&self, id: Id, new_turns: &[&NewMessage]) -> Result<String> {
        let mut turns: Vec<(String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT author, text FROM messages WHERE conversation_id = $1 AND internal = FALSE \
             ORDER BY id DESC LIMIT $2")
            .bind(id).bind(DIGEST_TURNS).fetch_all(pool).await?);
        turns.reverse();
        for m in new_turns.iter().filter(|m| !m.internal) {
            turns.push((m.author.as_str().to_owned(), m.text.clone()));
        }
        let skip = turns.len().saturating_sub(DIGEST_TURNS as usize);
        Ok(turns
            .into_iter()
            .skip(skip)
            .map(|(author, text)| {
                let who = Author::parse(&author).map_or("Someone", author_label);
                let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                format!(
                    "{who}: {}",
                    crate::text::clip_words(&one_line, DIGEST_TURN_CHARS)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"))
    }
}
