//! Conversations, messages and decision records.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{now, on_db, Store};
use crate::conversations::model::*;
use crate::engine::{Author, Priority};
use crate::error::{Error, Result};
use crate::Id;

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: Id,
    agent_id: Id,
    channel: String,
    visitor_id: String,
    visitor_timezone: Option<String>,
    metadata: String,
    language: Option<String>,
    status: String,
    assignee_id: Option<Id>,
    priority: Option<String>,
    routing_profile_id: Option<Id>,
    handoff_reason: Option<String>,
    ai_summary: Option<String>,
    gathered: String,
    failed_answers: i64,
    follow_up: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_message_at: DateTime<Utc>,
    handed_off_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
}

pub(crate) const CONVERSATION_COLUMNS: &str = "c.id, c.agent_id, c.channel, c.visitor_id, \
    c.visitor_timezone, c.metadata, c.language, c.status, c.assignee_id, c.priority, \
    c.routing_profile_id, c.handoff_reason, c.ai_summary, c.gathered, c.failed_answers, \
    c.follow_up, c.created_at, c.updated_at, c.last_message_at, c.handed_off_at, c.resolved_at";

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("stored {what} is invalid"))
}

impl TryFrom<ConversationRow> for Conversation {
    type Error = Error;
    fn try_from(r: ConversationRow) -> Result<Self> {
        Ok(Conversation {
            id: r.id,
            agent_id: r.agent_id,
            channel: Channel::parse(&r.channel).ok_or_else(|| corrupt("channel"))?,
            visitor_id: r.visitor_id,
            visitor_timezone: r.visitor_timezone,
            metadata: serde_json::from_str(&r.metadata).map_err(|_| corrupt("metadata"))?,
            language: r.language,
            status: Status::parse(&r.status).ok_or_else(|| corrupt("status"))?,
            assignee_id: r.assignee_id,
            priority: r.priority.as_deref().and_then(Priority::parse),
            routing_profile_id: r.routing_profile_id,
            handoff_reason: r.handoff_reason,
            ai_summary: r.ai_summary,
            gathered: serde_json::from_str(&r.gathered).map_err(|_| corrupt("gathered"))?,
            follow_up: r.follow_up,
            failed_answers: r.failed_answers,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_message_at: r.last_message_at,
            handed_off_at: r.handed_off_at,
            resolved_at: r.resolved_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Id,
    conversation_id: Id,
    author: String,
    operator_id: Option<Id>,
    text: String,
    attachments: String,
    internal: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<MessageRow> for Message {
    type Error = Error;
    fn try_from(r: MessageRow) -> Result<Self> {
        Ok(Message {
            id: r.id,
            conversation_id: r.conversation_id,
            author: Author::parse(&r.author).ok_or_else(|| corrupt("author"))?,
            operator_id: r.operator_id,
            text: r.text,
            attachments: serde_json::from_str(&r.attachments)
                .map_err(|_| corrupt("attachments"))?,
            internal: r.internal,
            created_at: r.created_at,
        })
    }
}

const MESSAGE_COLUMNS: &str =
    "id, conversation_id, author, operator_id, text, attachments, internal, created_at";
const DECISION_COLUMNS: &str =
    "id, conversation_id, message_id, step, outcome, reason, engine, latency_us, created_at";

/// A decision record before it is stored.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub step: &'static str,
    pub outcome: String,
    pub reason: String,
    pub engine: String,
    pub latency_us: i64,
}

/// A message before it is stored.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub author: Author,
    pub operator_id: Option<Id>,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub internal: bool,
}

/// The mutable state of a conversation, as the pipeline and the inbox change it.
#[derive(Debug, Clone)]
pub struct ConversationState {
    pub status: Status,
    pub assignee_id: Option<Id>,
    pub priority: Option<Priority>,
    pub routing_profile_id: Option<Id>,
    pub handoff_reason: Option<String>,
    pub ai_summary: Option<String>,
    pub gathered: BTreeMap<String, String>,
    pub pending: Option<Pending>,
    pub failed_answers: i64,
    pub follow_up: bool,
    pub language: Option<String>,
    pub handed_off_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub async fn conversation_insert(
        &self,
        agent: Id,
        channel: Channel,
        visitor_id: &str,
        token_hash: &str,
        visitor_timezone: Option<&str>,
        metadata: &BTreeMap<String, String>,
        language: Option<&str>,
    ) -> Result<Conversation> {
        let t = now();
        let meta = serde_json::to_string(metadata).map_err(|e| Error::Internal(e.to_string()))?;
        let id: Id = on_db!(self.db(), pool => sqlx::query_scalar(
            "INSERT INTO conversations (agent_id, channel, visitor_id, visitor_token_hash, visitor_timezone, \
             metadata, language, status, created_at, updated_at, last_message_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'ai', $8, $8, $8) RETURNING id")
            .bind(agent).bind(channel.as_str()).bind(visitor_id).bind(token_hash)
            .bind(visitor_timezone).bind(meta).bind(language).bind(t)
            .fetch_one(pool).await?);
        self.conversation_get(id)
            .await?
            .ok_or(Error::not_found("conversation"))
    }

    pub async fn conversation_get(&self, id: Id) -> Result<Option<Conversation>> {
        let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = $1");
        let row: Option<ConversationRow> = on_db!(self.db(), pool =>
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        row.map(Conversation::try_from).transpose()
    }

    /// The conversation if `token_hash` is its visitor's token.
    pub async fn conversation_for_visitor(
        &self,
        id: Id,
        token_hash: &str,
    ) -> Result<Option<Conversation>> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = $1 AND c.visitor_token_hash = $2"
        );
        let row: Option<ConversationRow> = on_db!(self.db(), pool =>
            sqlx::query_as(&sql).bind(id).bind(token_hash).fetch_optional(pool).await?);
        row.map(Conversation::try_from).transpose()
    }

    pub async fn conversation_pending(&self, id: Id) -> Result<Option<Pending>> {
        let raw: Option<Option<String>> = on_db!(self.db(), pool =>
            sqlx::query_scalar("SELECT pending FROM conversations WHERE id = $1").bind(id).fetch_optional(pool).await?);
        Ok(raw.flatten().and_then(|s| serde_json::from_str(&s).ok()))
    }

    pub async fn conversation_instruction(&self, id: Id) -> Result<Option<String>> {
        let raw: Option<Option<String>> = on_db!(self.db(), pool =>
            sqlx::query_scalar("SELECT ai_instruction FROM conversations WHERE id = $1").bind(id).fetch_optional(pool).await?);
        Ok(raw.flatten())
    }

    pub async fn message_insert(&self, conversation: Id, m: &NewMessage) -> Result<Message> {
        let t = now();
        let attachments =
            serde_json::to_string(&m.attachments).map_err(|e| Error::Internal(e.to_string()))?;
        let sql = format!(
            "INSERT INTO messages (conversation_id, author, operator_id, text, attachments, internal, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {MESSAGE_COLUMNS}"
        );
        let row: MessageRow = on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            let row: MessageRow = sqlx::query_as(&sql)
                .bind(conversation).bind(m.author.as_str()).bind(m.operator_id).bind(&m.text)
                .bind(attachments).bind(m.internal).bind(t)
                .fetch_one(&mut *tx).await?;
            if !m.internal {
                sqlx::query("UPDATE conversations SET last_message_at = $2, updated_at = $2 WHERE id = $1")
                    .bind(conversation).bind(t).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            row
        });
        row.try_into()
    }

    pub async fn messages_list(
        &self,
        conversation: Id,
        include_internal: bool,
    ) -> Result<Vec<Message>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND (internal = FALSE OR $2) ORDER BY id"
        );
        let rows: Vec<MessageRow> = on_db!(self.db(), pool =>
            sqlx::query_as(&sql).bind(conversation).bind(include_internal).fetch_all(pool).await?);
        rows.into_iter().map(Message::try_from).collect()
    }

    /// Writes the new state, the agent's messages and the decision records in one transaction.
    pub async fn conversation_apply(
        &self,
        id: Id,
        state: &ConversationState,
        replies: &[NewMessage],
        message_id: Option<Id>,
        decisions: &[NewDecision],
    ) -> Result<Vec<Message>> {
        let t = now();
        let gathered =
            serde_json::to_string(&state.gathered).map_err(|e| Error::Internal(e.to_string()))?;
        let pending = state
            .pending
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let msg_sql = format!(
            "INSERT INTO messages (conversation_id, author, operator_id, text, attachments, internal, created_at) \
             VALUES ($1, $2, $3, $4, '[]', $5, $6) RETURNING {MESSAGE_COLUMNS}"
        );
        let rows: Vec<MessageRow> = on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE conversations SET status = $2, assignee_id = $3, priority = $4, routing_profile_id = $5, \
                 handoff_reason = $6, ai_summary = $7, gathered = $8, pending = $9, failed_answers = $10, \
                 follow_up = $11, language = $12, handed_off_at = $13, resolved_at = $14, updated_at = $15 WHERE id = $1")
                .bind(id).bind(state.status.as_str()).bind(state.assignee_id)
                .bind(state.priority.map(|p| p.as_str())).bind(state.routing_profile_id)
                .bind(&state.handoff_reason).bind(&state.ai_summary).bind(&gathered).bind(&pending)
                .bind(state.failed_answers).bind(state.follow_up).bind(&state.language)
                .bind(state.handed_off_at).bind(state.resolved_at).bind(t)
                .execute(&mut *tx).await?;
            let mut rows = Vec::with_capacity(replies.len());
            for m in replies {
                let row: MessageRow = sqlx::query_as(&msg_sql)
                    .bind(id).bind(m.author.as_str()).bind(m.operator_id).bind(&m.text).bind(m.internal).bind(t)
                    .fetch_one(&mut *tx).await?;
                rows.push(row);
            }
            if !replies.is_empty() {
                sqlx::query("UPDATE conversations SET last_message_at = $2 WHERE id = $1")
                    .bind(id).bind(t).execute(&mut *tx).await?;
            }
            for d in decisions {
                sqlx::query(
                    "INSERT INTO decision_records (conversation_id, message_id, step, outcome, reason, engine, latency_us, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(id).bind(message_id).bind(d.step).bind(&d.outcome).bind(&d.reason)
                    .bind(&d.engine).bind(d.latency_us).bind(t)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            rows
        });
        rows.into_iter().map(Message::try_from).collect()
    }

    pub async fn decisions_list(&self, conversation: Id) -> Result<Vec<DecisionRecord>> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decision_records WHERE conversation_id = $1 ORDER BY id");
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, DecisionRecordRow>(&sql).bind(conversation).fetch_all(pool).await?)
            .into_iter()
            .map(DecisionRecord::from)
            .collect())
    }

    /// Assigns the conversation to `operator` only if it is still in one of `from` and not
    /// assigned to someone else: of two operators taking it at once, exactly one wins.
    pub async fn conversation_take(&self, id: Id, operator: Id, force: bool) -> Result<bool> {
        let t = now();
        let n = on_db!(self.db(), pool => sqlx::query(
            "UPDATE conversations SET status = 'assigned', assignee_id = $2, pending = NULL, updated_at = $3, \
             handed_off_at = COALESCE(handed_off_at, $3) \
             WHERE id = $1 AND status <> 'resolved' AND (assignee_id IS NULL OR assignee_id = $2 OR $4)")
            .bind(id).bind(operator).bind(t).bind(force)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Open conversations per active operator among `operators` (for least-loaded assignment).
    pub async fn operator_open_counts(&self, operators: &[Id]) -> Result<Vec<(Id, i64)>> {
        let mut out = Vec::with_capacity(operators.len());
        for &op in operators {
            let n: Option<i64> = on_db!(self.db(), pool => sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM conversations WHERE assignee_id = $1 AND status IN ('needs_agent', 'assigned')) \
                 FROM operators WHERE id = $1 AND is_active")
                .bind(op).fetch_optional(pool).await?);
            if let Some(n) = n {
                out.push((op, n));
            }
        }
        Ok(out)
    }
}

#[derive(sqlx::FromRow)]
struct DecisionRecordRow {
    id: Id,
    conversation_id: Id,
    message_id: Option<Id>,
    step: String,
    outcome: String,
    reason: String,
    engine: String,
    latency_us: i64,
    created_at: DateTime<Utc>,
}

impl From<DecisionRecordRow> for DecisionRecord {
    fn from(r: DecisionRecordRow) -> Self {
        DecisionRecord {
            id: r.id,
            conversation_id: r.conversation_id,
            message_id: r.message_id,
            step: r.step,
            outcome: r.outcome,
            reason: r.reason,
            engine: r.engine,
            latency_us: r.latency_us,
            created_at: r.created_at,
        }
    }
}

impl Conversation {
    pub fn state(&self, pending: Option<Pending>) -> ConversationState {
        ConversationState {
            status: self.status,
            assignee_id: self.assignee_id,
            priority: self.priority,
            routing_profile_id: self.routing_profile_id,
            handoff_reason: self.handoff_reason.clone(),
            ai_summary: self.ai_summary.clone(),
            gathered: self.gathered.clone(),
            pending,
            failed_answers: self.failed_answers,
            follow_up: self.follow_up,
            language: self.language.clone(),
            handed_off_at: self.handed_off_at,
            resolved_at: self.resolved_at,
        }
    }
}

/// A bind value of a dynamically built query.
enum P {
    I(i64),
    S(String),
    T(DateTime<Utc>),
}

/// WHERE clauses with numbered placeholders, built once for both backends.
struct Filter {
    clauses: Vec<String>,
    params: Vec<P>,
}

impl Filter {
    fn new() -> Self {
        Filter {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }
    fn push(&mut self, clause: &str, p: P) {
        self.params.push(p);
        self.clauses
            .push(clause.replace('?', &format!("${}", self.params.len())));
    }
    fn next(&self) -> usize {
        self.params.len() + 1
    }
    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "TRUE".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

macro_rules! bind_params {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                P::I(v) => q.bind(*v),
                P::S(v) => q.bind(v.clone()),
                P::T(v) => q.bind(*v),
            };
        }
        q
    }};
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    #[sqlx(flatten)]
    c: ConversationRow,
    last_message: Option<String>,
}

impl Store {
    pub async fn conversation_set_instruction(
        &self,
        id: Id,
        instruction: Option<&str>,
    ) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("UPDATE conversations SET ai_instruction = $2 WHERE id = $1")
            .bind(id).bind(instruction).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// The five view counts in one query.
    pub async fn inbox_counts(
        &self,
        agent: Option<Id>,
        me: Option<Id>,
    ) -> Result<crate::conversations::inbox::InboxCounts> {
        let sql = "SELECT \
            COALESCE(SUM(CASE WHEN status = 'needs_agent' THEN 1 ELSE 0 END), 0) AS needs_agent, \
            COALESCE(SUM(CASE WHEN assignee_id = $2 AND status IN ('needs_agent', 'assigned') THEN 1 ELSE 0 END), 0) AS mine, \
            COALESCE(SUM(CASE WHEN status = 'needs_agent' AND assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned, \
            COALESCE(SUM(CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END), 0) AS all_open, \
            COALESCE(SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) AS resolved \
            FROM conversations WHERE ($1 IS NULL OR agent_id = $1)";
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, crate::conversations::inbox::InboxCounts>(sql)
            .bind(agent).bind(me.unwrap_or(-1)).fetch_one(pool).await?),
        )
    }

    /// One page of a view, newest activity first; `more` says whether another page follows.
    pub async fn inbox_items(
        &self,
        q: &crate::conversations::inbox::InboxQuery,
        agent: Option<Id>,
        me: Option<Id>,
        cursor: Option<(DateTime<Utc>, Id)>,
        limit: i64,
    ) -> Result<(Vec<crate::conversations::inbox::InboxItem>, bool)> {
        use crate::conversations::inbox::{InboxItem, InboxView};
        let mut f = Filter::new();
        match q.view.unwrap_or(InboxView::AllOpen) {
            InboxView::NeedsAgent => f.clauses.push("c.status = 'needs_agent'".into()),
            InboxView::Mine => {
                f.push("c.assignee_id = ?", P::I(me.unwrap_or(-1)));
                f.clauses
                    .push("c.status IN ('needs_agent', 'assigned')".into());
            }
            InboxView::Unassigned => f
                .clauses
                .push("c.status = 'needs_agent' AND c.assignee_id IS NULL".into()),
            InboxView::AllOpen => f.clauses.push("c.status <> 'resolved'".into()),
            InboxView::Resolved => f.clauses.push("c.status = 'resolved'".into()),
            InboxView::All => {}
        }
        if let Some(a) = agent {
            f.push("c.agent_id = ?", P::I(a));
        }
        if let Some(p) = q.priority {
            f.push("c.priority = ?", P::S(p.as_str().into()));
        }
        if let Some(r) = q.routing_profile_id {
            f.push("c.routing_profile_id = ?", P::I(r));
        }
        if let Some(t) = q.from {
            f.push("c.last_message_at >= ?", P::T(t));
        }
        if let Some(t) = q.to {
            f.push("c.last_message_at < ?", P::T(t));
        }
        if let Some((t, id)) = cursor {
            let (a, b) = (f.next(), f.next() + 1);
            f.params.push(P::T(t));
            f.params.push(P::I(id));
            f.clauses.push(format!(
                "(c.last_message_at < ${a} OR (c.last_message_at = ${a} AND c.id < ${b}))"
            ));
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let words: Vec<String> = crate::engine::builtin::text::fold(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(16)
                .map(str::to_owned)
                .collect();
            if words.is_empty() {
                return Ok((Vec::new(), false));
            }
            match self.db() {
                super::Db::Sqlite(_) => f.push(
                    "c.id IN (SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid WHERE messages_fts MATCH ?)",
                    P::S(words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" AND ")),
                ),
                super::Db::Postgres(_) => f.push(
                    "c.id IN (SELECT m.conversation_id FROM messages m WHERE m.search @@ to_tsquery('simple', ?))",
                    P::S(words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")),
                ),
            }
        }
        let limit_param = f.next();
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, \
             (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE ORDER BY m.id DESC LIMIT 1) AS last_message \
             FROM conversations c WHERE {} ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${limit_param}",
            f.sql()
        );
        let rows: Vec<ItemRow> = on_db!(self.db(), pool => {
            let q = bind_params!(sqlx::query_as::<_, ItemRow>(&sql), &f.params);
            q.bind(limit + 1).fetch_all(pool).await?
        });
        let more = rows.len() as i64 > limit;
        let items = rows
            .into_iter()
            .take(limit as usize)
            .map(|r| {
                Ok(InboxItem {
                    conversation: r.c.try_into()?,
                    last_message: r.last_message,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, more))
    }
}
