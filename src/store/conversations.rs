//! Conversations, messages and decision records.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{now, on_db, sqlite_write, Store};
use crate::conversations::model::*;
use crate::conversations::timeline::{events_of, NewEvent, TimelineEvent, TimelineKind};
use crate::engine::{Author, Priority, Turn};
use crate::error::{Error, Result};
use crate::notify::email::Email;
use crate::outbox::model as outbox;
use crate::webhooks::model::WebhookEvent;
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

/// [`on_db!`] for the busiest writes: on SQLite `$conn` is the writer connection, taken in
/// turn (see [`sqlite_write!`]); on PostgreSQL the pool.
macro_rules! on_writer {
    ($store:expr, $conn:ident => $body:expr) => {
        match $store.db() {
            super::Db::Sqlite(pool) => sqlite_write!($store, pool, $conn => $body),
            super::Db::Postgres($conn) => $body,
        }
    };
}

/// A bind value of a dynamically built query.
#[derive(Clone)]
enum P {
    I(i64),
    S(String),
    T(DateTime<Utc>),
    B(bool),
    NI(Option<i64>),
    NS(Option<String>),
    NT(Option<DateTime<Utc>>),
}

macro_rules! bind_params {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                P::I(v) => q.bind(*v),
                P::S(v) => q.bind(v.as_str()),
                P::T(v) => q.bind(*v),
                P::B(v) => q.bind(*v),
                P::NI(v) => q.bind(*v),
                P::NS(v) => q.bind(v.as_deref()),
                P::NT(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// What [`Store::conversation_write`] writes, in one transaction.
pub struct ConversationWrite<'a> {
    /// The state as read with the conversation, which `state` derives from. The write is
    /// refused (a conflict, nothing written) if the conversation's status or assignee are no
    /// longer these: someone else (an operator, another process) moved it meanwhile.
    pub before: &'a ConversationState,
    pub state: &'a ConversationState,
    /// A visitor's message to store first (the decisions are about it), and when it came.
    pub visitor: Option<(&'a NewMessage, DateTime<Utc>)>,
    pub replies: &'a [NewMessage],
    /// The stored message the decisions are about (when `visitor` is not given).
    pub message_id: Option<Id>,
    pub decisions: &'a [NewDecision],
    /// `Some(x)`: the private instruction for the AI becomes `x`.
    pub instruction: Option<Option<&'a str>>,
    /// An email to queue in the outbox with this state (the handoff notification): an email
    /// job, as if it were in `jobs`.
    pub notification: Option<&'a Email>,
    /// Jobs to queue in the outbox with this state (see [`crate::outbox`]): they run only if
    /// this write commits.
    pub jobs: &'a [outbox::Job],
    /// The operator making the change (None: the AI agent, the system or an API token), for
    /// the timeline (see [`crate::conversations::timeline::events_of`]).
    pub actor: Option<Id>,
    /// Timeline events that no state change shows (e.g. a contact left for a follow-up).
    pub events: &'a [NewEvent],
    /// Feed the conversation's lead after the write from this source (the contact form,
    /// gathering), with the consent given (its text and time), even if the gathered details
    /// did not change. Without it, a change of the gathered details feeds it as `handoff`.
    pub lead: Option<LeadFeed>,
    /// Execution-log rows of the actions run for this message, written in this transaction:
    /// the message's commit is the rows' commit (no transaction of their own), and a write
    /// that fails leaves them to the caller (see [`crate::Baton::action_run`]).
    pub action_logs: &'a [crate::actions::model::NewActionLog],
}

/// Where a write's lead details come from, and the consent given with them.
#[derive(Debug, Clone)]
pub struct LeadFeed {
    pub source: crate::leads::model::LeadSource,
    pub consent: Option<(String, DateTime<Utc>)>,
}

impl<'a> ConversationWrite<'a> {
    /// A write of `state` (derived from `before`) and nothing else.
    pub fn new(before: &'a ConversationState, state: &'a ConversationState) -> Self {
        ConversationWrite {
            before,
            state,
            visitor: None,
            replies: &[],
            message_id: None,
            decisions: &[],
            instruction: None,
            notification: None,
            jobs: &[],
            actor: None,
            lead: None,
            events: &[],
            action_logs: &[],
        }
    }

    /// The same write, made by operator `actor`.
    pub fn by(self, actor: Id) -> Self {
        ConversationWrite {
            actor: Some(actor),
            ..self
        }
    }
}

/// What [`Store::conversation_write`] stored: the visitor's message, if one was given, and the
/// agent's.
#[derive(Debug)]
pub struct Written {
    pub visitor: Option<Message>,
    pub replies: Vec<Message>,
    /// The lead the write fed (its id, and whether it is new).
    pub lead: Option<(Id, bool)>,
}

/// Knowledge base entries a decision reads.
pub const KNOWLEDGE_HITS: i64 = 3;

/// Parameters `$1`–`$3` shared by the statements of [`Store::conversation_apply`].
const SHARED_PARAMS: usize = 3;

/// `sql` with each placeholder `$N` above `$above` moved up by `by` (parameters of several
/// statements sent as one text are numbered across the text). Our statements have no other
/// `$`.
fn shift_params(sql: &str, above: usize, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) if n > above => out.push_str(&(n + by).to_string()),
            _ => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// Runs `sql` (statements, no BEGIN or COMMIT) as one transaction in one command: BEGIN
/// IMMEDIATE, the statements, COMMIT; after an error, the transaction is rolled back.
/// `interrupted` is set while the connection works: if this future is dropped half-way, the
/// connection may be left inside the transaction, and the flag has it rolled back before the
/// connection is used again (see `SqliteWriter::ready`).
async fn one_transaction(
    conn: &mut sqlx::SqliteConnection,
    interrupted: &mut bool,
    sql: &str,
    params: &[P],
) -> Result<Vec<MessageRow>> {
    let text = format!("BEGIN IMMEDIATE;\n{sql};\nCOMMIT");
    *interrupted = true;
    let result = bind_params!(sqlx::query_as::<_, MessageRow>(&text), params)
        .fetch_all(&mut *conn)
        .await;
    if result.is_err() {
        // An error only means that no transaction was open any more.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    *interrupted = false;
    Ok(result?)
}

/// At most this many writes go in one transaction.
const BATCH_MAX: usize = 32;

/// A write waiting for the SQLite writer: statements (numbered from `$1`), their parameters,
/// how many rows they return, and who waits for them.
struct Job {
    sql: String,
    params: Vec<P>,
    rows: usize,
    done: tokio::sync::oneshot::Sender<Result<Vec<MessageRow>>>,
}

/// Writes waiting for the SQLite writer (see [`Store::write_queued`]).
#[derive(Default)]
pub(crate) struct WriteQueue(std::sync::Mutex<Vec<Job>>);

impl std::fmt::Debug for WriteQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriteQueue")
    }
}

impl WriteQueue {
    fn push(&self, job: Job) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(job);
    }

    fn take(&self) -> Vec<Job> {
        let mut jobs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // A write whose caller went away before it started is not made (as if the request had
        // been cancelled a moment earlier): nothing waits for it, and a later message of the
        // same conversation may already be on its way.
        jobs.retain(|j| !j.done.is_closed());
        let n = jobs.len().min(BATCH_MAX);
        jobs.drain(..n).collect()
    }
}

impl Store {
    /// Group commit: the write joins the queue, and whoever gets the writer next commits
    /// everything queued by then in one transaction (a single write: one round trip to the
    /// connection's thread; several: BEGIN, each write's prepared statements, COMMIT). Under
    /// load, writes that arrive while a transaction is being committed share the next one, and
    /// with it the fixed costs of a transaction (the write lock, the full-text index flush, the
    /// WAL frames of the pages they all touch). A batch that fails is retried write by write,
    /// so that a failing write fails alone. The batch runs in a task of its own: a caller that
    /// goes away does not interrupt the others' transaction.
    async fn write_queued(
        &self,
        sql: String,
        params: Vec<P>,
        rows: usize,
    ) -> Result<Vec<MessageRow>> {
        let (done, mut result) = tokio::sync::oneshot::channel();
        self.queue().push(Job {
            sql,
            params,
            rows,
            done,
        });
        loop {
            tokio::select! {
                biased;
                r = &mut result => {
                    return r.unwrap_or_else(|_| {
                        Err(Error::Internal("the write was abandoned".into()))
                    });
                }
                writer = self.writer().clone().lock_owned() => {
                    let jobs = self.queue().take();
                    if !jobs.is_empty() {
                        // Detached: it runs to the end even if this future is dropped.
                        let _ = tokio::spawn(commit_batch(writer, jobs)).await;
                    }
                }
            }
        }
    }
}

async fn commit_batch(
    mut writer: tokio::sync::OwnedMutexGuard<Option<super::SqliteWriter>>,
    jobs: Vec<Job>,
) {
    let Some(w) = writer.as_mut() else {
        for job in jobs {
            let _ = job
                .done
                .send(Err(Error::Internal("the store is closed".into())));
        }
        return;
    };
    let (conn, interrupted) = w.ready().await;
    if let [_] = jobs.as_slice() {
        for job in jobs {
            let r = one_transaction(conn, interrupted, &job.sql, &job.params).await;
            let _ = job.done.send(r);
        }
        return;
    }
    // One transaction, each write's statements (prepared once per shape) in turn.
    *interrupted = true;
    let mut stored: Vec<Vec<MessageRow>> = Vec::with_capacity(jobs.len());
    let mut failed = sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .is_err();
    for job in &jobs {
        if failed {
            break;
        }
        match bind_params!(sqlx::query_as::<_, MessageRow>(&job.sql), &job.params)
            .fetch_all(&mut *conn)
            .await
        {
            Ok(rows) if rows.len() == job.rows => stored.push(rows),
            _ => failed = true,
        }
    }
    if !failed {
        failed = sqlx::query("COMMIT").execute(&mut *conn).await.is_err();
    }
    if failed {
        // An error only means that no transaction was open any more.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    *interrupted = false;
    if failed {
        // Each write on its own, to tell which one failed.
        for job in jobs {
            let r = one_transaction(conn, interrupted, &job.sql, &job.params).await;
            let _ = job.done.send(r);
        }
    } else {
        for (job, rows) in jobs.into_iter().zip(stored) {
            let _ = job.done.send(Ok(rows));
        }
    }
}

/// Accented letters and what message search on PostgreSQL folds them to: the index
/// (`translate(text, FROM, TO)`, migration 0004) and the query words ([`pg_fold`]) the same way.
pub(crate) const PG_FOLD: (&str, &str) = (
    "àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆčČďĎđĐèÈéÉêÊëËēĒėĖęĘěĚìÌíÍîÎïÏīĪįĮłŁñÑńŃňŇòÒóÓôÔõÕöÖøØōŌőŐŕŔřŘśŚšŠşŞťŤţŢùÙúÚûÛüÜūŪůŮűŰýÝÿŸźŹżŻžŽß",
    "aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiillnnnnnnoooooooooooooooorrrrssssssttttuuuuuuuuuuuuuuyyyyzzzzzzs",
);

/// A search word as PostgreSQL's message index holds it (see [`PG_FOLD`]).
fn pg_fold(word: &str) -> String {
    let (from, to) = PG_FOLD;
    word.chars()
        .map(|c| match from.chars().position(|f| f == c) {
            Some(i) => to.chars().nth(i).unwrap_or(c),
            None => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The INSERT of a write's action log rows (see [`ConversationWrite::action_logs`]), its
/// parameters added to `params` by `own`; `None` without rows.
fn action_logs_insert(
    logs: &[crate::actions::model::NewActionLog],
    params: &mut Vec<P>,
    own: impl Fn(&mut Vec<P>, P) -> String,
) -> Result<Option<String>> {
    if logs.is_empty() {
        return Ok(None);
    }
    let json = |e: serde_json::Error| Error::Internal(e.to_string());
    let mut rows = Vec::with_capacity(logs.len());
    for l in logs {
        let values = [
            P::T(l.created_at),
            P::I(l.agent_id),
            P::NI(l.action_id),
            P::S(l.action_name.clone()),
            P::NI(l.conversation_id),
            P::B(l.test),
            P::S(l.request.method.as_str().into()),
            P::S(l.request.url.clone()),
            P::S(serde_json::to_string(&l.request.headers).map_err(json)?),
            P::NS(l.request.body.clone()),
            P::B(l.request_truncated),
            P::NI(l.response_status.map(i64::from)),
            P::S(serde_json::to_string(&l.response_headers).map_err(json)?),
            P::NS(l.response_body.clone()),
            P::B(l.response_truncated),
            P::I(i64::try_from(l.duration_ms).unwrap_or(i64::MAX)),
            P::S(l.outcome.as_str().into()),
            P::NS(l.error.clone()),
            P::B(l.reached_conversation),
        ];
        let placed: Vec<String> = values.into_iter().map(|v| own(params, v)).collect();
        rows.push(format!("({})", placed.join(", ")));
    }
    Ok(Some(format!(
        "INSERT INTO action_logs (created_at, agent_id, action_id, action_name, \
         conversation_id, is_test, request_method, request_url, request_headers, request_body, \
         request_truncated, response_status, response_headers, response_body, \
         response_truncated, duration_ms, outcome, error, reached_conversation) VALUES {}",
        rows.join(", ")
    )))
}

/// The guard of [`Store::conversation_write`] failing, as a conflict.
fn state_conflict(e: Error) -> Error {
    match &e {
        Error::Database(sqlx::Error::Database(db))
            if db.kind() == sqlx::error::ErrorKind::NotNullViolation
                && db.message().contains("updated_at") =>
        {
            Error::conflict(
                "the conversation changed meanwhile (taken over, handed back or resolved): reload it",
                Some("id"),
            )
        }
        Error::Database(sqlx::Error::Database(db))
            if db.kind() == sqlx::error::ErrorKind::UniqueViolation
                && db.message().contains("webhook_triggers") =>
        {
            Error::conflict(
                "the agent triggered this webhook in this conversation meanwhile",
                Some("id"),
            )
        }
        _ => e,
    }
}

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
    /// Only where the query joins the operators (reading a conversation back).
    #[sqlx(default)]
    operator_name: Option<String>,
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
            operator_name: r.operator_name,
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

/// What [`Store::conversation_snapshot`] reads.
#[derive(Debug, Clone)]
pub struct ConversationSnapshot {
    pub conversation: Conversation,
    pub pending: Option<Pending>,
    pub instruction: Option<String>,
    /// The messages the visitor sees (no internal notes), oldest first.
    pub transcript: Vec<Turn>,
    /// Changes with every save of the agent's handoff configuration and every change of its
    /// description (triggers of migration 0003); None when the agent has no configuration.
    pub config_version: Option<i64>,
    /// The agent's engine (`builtin`, `openai`); None when it has no engine settings (built-in).
    pub engine_kind: Option<String>,
    /// When the agent's engine settings last changed; None when it has none.
    pub engine_updated_at: Option<DateTime<Utc>>,
    /// The knowledge base's best entries for the text given to
    /// [`Store::conversation_snapshot`], read in the same query (None when no text was given
    /// or it has no word to search for).
    pub knowledge: Option<Vec<crate::engine::KnowledgeHit>>,
    /// What lead capture has done in the conversation.
    pub lead: crate::conversations::model::LeadState,
    /// The agent's lead capture settings, if saved.
    pub lead_settings: Option<crate::leads::settings::LeadSettings>,
    /// The agent's action button groups (active or not).
    pub button_groups: Vec<crate::chat::model::ButtonGroup>,
}

impl ConversationSnapshot {
    /// The conversation's state as read: what a write of the pipeline derives from.
    pub fn state(&self) -> ConversationState {
        ConversationState {
            lead: self.lead.clone(),
            ..self.conversation.state(self.pending.clone())
        }
    }
}

#[derive(sqlx::FromRow)]
struct SnapshotRow {
    #[sqlx(flatten)]
    c: ConversationRow,
    pending: Option<String>,
    ai_instruction: Option<String>,
    config_version: Option<i64>,
    engine_kind: Option<String>,
    engine_updated_at: Option<DateTime<Utc>>,
    transcript: String,
    knowledge: Option<String>,
    lead_state: String,
    lead_settings: Option<String>,
    button_groups: Option<String>,
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
        let id: Id = on_writer!(self, conn => sqlx::query_scalar(
            "INSERT INTO conversations (agent_id, channel, visitor_id, visitor_token_hash, visitor_timezone, \
             metadata, language, status, created_at, updated_at, last_message_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'ai', $8, $8, $8) RETURNING id")
            .bind(agent).bind(channel.as_str()).bind(visitor_id).bind(token_hash)
            .bind(visitor_timezone).bind(meta).bind(language).bind(t)
            .fetch_one(conn).await?);
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

    /// Everything the decision pipeline reads about a conversation, in one query: the
    /// conversation if `token_hash` is its visitor's token, its pending question, the private
    /// instruction, its transcript, and what tells whether cached copies of the agent's
    /// configuration and engine are still current.
    ///
    /// With `knowledge_for`, the same query also searches the agent's knowledge base for that
    /// text (the visitor's new message): one round trip for everything a decision reads.
    pub async fn conversation_snapshot(
        &self,
        id: Id,
        token_hash: &str,
        knowledge_for: Option<&str>,
    ) -> Result<Option<ConversationSnapshot>> {
        let knowledge_query = knowledge_for.and_then(|t| self.knowledge_query(t));
        let knowledge = match knowledge_query {
            Some(_) => self.knowledge_hits_json(
                "(SELECT agent_id FROM conversations WHERE id = $1)",
                "$3",
                KNOWLEDGE_HITS,
            ),
            None => "NULL".into(),
        };
        // The transcript comes as one JSON array of [author, text], oldest first.
        let transcript = match self.db() {
            super::Db::Sqlite(_) => {
                "(SELECT json_group_array(json_array(m.author, m.text) ORDER BY m.id) \
                 FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE)"
            }
            super::Db::Postgres(_) => {
                "(SELECT COALESCE(json_agg(json_build_array(m.author, m.text) ORDER BY m.id), '[]'::json)::text \
                 FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE)"
            }
        };
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, c.pending, c.ai_instruction, s.version AS config_version, \
             e.kind AS engine_kind, e.updated_at AS engine_updated_at, {transcript} AS transcript, \
             {knowledge} AS knowledge, c.lead_state, ls.settings AS lead_settings, \
             cs.button_groups AS button_groups \
             FROM conversations c LEFT JOIN handoff_settings s ON s.agent_id = c.agent_id \
             LEFT JOIN agent_engines e ON e.agent_id = c.agent_id \
             LEFT JOIN lead_settings ls ON ls.agent_id = c.agent_id \
             LEFT JOIN chat_settings cs ON cs.agent_id = c.agent_id \
             WHERE c.id = $1 AND c.visitor_token_hash = $2"
        );
        let row: Option<SnapshotRow> = on_db!(self.db(), pool => {
            let q = sqlx::query_as(&sql).bind(id).bind(token_hash);
            match &knowledge_query {
                Some(k) => q.bind(k.as_str()),
                None => q,
            }
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            let turns: Vec<(String, String)> =
                serde_json::from_str(&r.transcript).map_err(|_| corrupt("transcript"))?;
            Ok(ConversationSnapshot {
                conversation: r.c.try_into()?,
                pending: r.pending.and_then(|s| serde_json::from_str(&s).ok()),
                instruction: r.ai_instruction,
                transcript: turns
                    .into_iter()
                    .map(|(author, text)| {
                        Ok(Turn {
                            author: Author::parse(&author).ok_or_else(|| corrupt("author"))?,
                            text,
                        })
                    })
                    .collect::<Result<_>>()?,
                config_version: r.config_version,
                engine_kind: r.engine_kind,
                engine_updated_at: r.engine_updated_at,
                knowledge: r
                    .knowledge
                    .as_deref()
                    .map(super::knowledge::hits_from_json)
                    .transpose()?,
                // A state this version cannot read starts over rather than failing the visitor.
                lead: serde_json::from_str(&r.lead_state).unwrap_or_default(),
                lead_settings: r
                    .lead_settings
                    .as_deref()
                    .map(super::leads::parse_settings)
                    .transpose()?,
                button_groups: r
                    .button_groups
                    .as_deref()
                    .map(super::chat::parse_groups)
                    .transpose()?
                    .unwrap_or_default(),
            })
        })
        .transpose()
    }

    /// Stores a message; a visible one also moves the conversation's last activity.
    pub async fn message_insert(&self, conversation: Id, m: &NewMessage) -> Result<Message> {
        let t = now();
        let attachments =
            serde_json::to_string(&m.attachments).map_err(|e| Error::Internal(e.to_string()))?;
        let sql = format!(
            "INSERT INTO messages (conversation_id, author, operator_id, text, attachments, internal, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {MESSAGE_COLUMNS}"
        );
        let row: MessageRow = on_writer!(self, conn => {
            let mut tx = sqlx::Acquire::begin(conn).await?;
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
        let sql =
            "SELECT m.id, m.conversation_id, m.author, m.operator_id, o.name AS operator_name, \
             m.text, m.attachments, m.internal, m.created_at \
             FROM messages m LEFT JOIN operators o ON o.id = m.operator_id \
             WHERE m.conversation_id = $1 AND (m.internal = FALSE OR $2) ORDER BY m.id";
        let rows: Vec<MessageRow> = on_db!(self.db(), pool =>
            sqlx::query_as(sql).bind(conversation).bind(include_internal).fetch_all(pool).await?);
        rows.into_iter().map(Message::try_from).collect()
    }

    /// Writes the new state, the messages, the decision records, and the notification of one
    /// step of a conversation, in one transaction. Status and assignee are written only when
    /// they changed (both are indexed, and writing even an unchanged value rewrites the
    /// entries of every index on them). Fails with [`Error::Conflict`] (and writes nothing)
    /// when the conversation's status or assignee are no longer those of `w.before`.
    ///
    /// A write that changes the gathered information feeds the conversation's lead right
    /// after (see [`Store::lead_feed`]): in a transaction of its own, because the write's
    /// statements go as one text through the group commit on SQLite, and the lead's upsert
    /// reads before it writes. The gathered information is stored, so a lead that failed
    /// here is made by the next write that changes it; the failure is logged, never the
    /// visitor's.
    pub async fn conversation_write(&self, id: Id, w: ConversationWrite<'_>) -> Result<Written> {
        let feed = (w.lead.is_some() || w.state.gathered != w.before.gathered).then(|| {
            let how = w.lead.clone().unwrap_or(LeadFeed {
                source: crate::leads::model::LeadSource::Handoff,
                consent: None,
            });
            (w.state.clone(), how)
        });
        let (visitor, replies) = self.apply(id, w).await.map_err(state_conflict)?;
        let mut lead = None;
        if let Some((state, how)) = feed {
            match self.lead_feed(id, &state, &how).await {
                Ok(fed) => lead = fed,
                Err(e) => tracing::error!(conversation = id, error = %e, "could not save the lead"),
            }
        }
        Ok(Written {
            visitor,
            replies,
            lead,
        })
    }

    async fn apply(
        &self,
        id: Id,
        w: ConversationWrite<'_>,
    ) -> Result<(Option<Message>, Vec<Message>)> {
        let json = |e: serde_json::Error| Error::Internal(e.to_string());
        let state = w.state;
        let gathered = serde_json::to_string(&state.gathered).map_err(json)?;
        let pending = state
            .pending
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(json)?;
        let sqlite = matches!(self.db(), super::Db::Sqlite(_));
        // Each statement numbers its parameters itself: $1 the conversation, $2 the time and
        // $3 the message the decisions are about (shared by all), then its own from $4.
        let at = now();
        let mut shared = [P::I(id), P::T(at), P::NI(w.message_id)];
        let own = |params: &mut Vec<P>, p: P| {
            params.push(p);
            format!("${}", SHARED_PARAMS + params.len())
        };
        let insert_message = |params: &mut Vec<P>, m: &NewMessage, at: &str| -> Result<String> {
            let attachments = serde_json::to_string(&m.attachments).map_err(json)?;
            let (a, o, x, j, i) = (
                own(params, P::S(m.author.as_str().into())),
                own(params, P::NI(m.operator_id)),
                own(params, P::S(m.text.clone())),
                own(params, P::S(attachments)),
                own(params, P::B(m.internal)),
            );
            Ok(format!(
                "INSERT INTO messages (conversation_id, author, operator_id, text, attachments, internal, created_at) \
                 VALUES ($1, {a}, {o}, {x}, {j}, {i}, {at}) RETURNING {MESSAGE_COLUMNS}"
            ))
        };
        let mut statements: Vec<(String, Vec<P>)> = Vec::new();

        // The visitor's message, with the time it arrived.
        let visitor = w.visitor.is_some();
        if let Some((m, received)) = w.visitor {
            let mut params = Vec::new();
            let at = own(&mut params, P::T(received));
            statements.push((insert_message(&mut params, m, &at)?, params));
        }

        // The decision records, about the visitor's message: on SQLite, where everything goes
        // as one text, the newest message of the conversation (this transaction holds the
        // only write lock); on PostgreSQL its id, read back before this statement runs.
        if !w.decisions.is_empty() {
            let message = if visitor && sqlite {
                "(SELECT MAX(id) FROM messages WHERE conversation_id = $1)"
            } else {
                "$3"
            };
            let mut params = Vec::new();
            let rows: Vec<String> = w
                .decisions
                .iter()
                .map(|d| {
                    let (s, o, r, e, l) = (
                        own(&mut params, P::S(d.step.into())),
                        own(&mut params, P::S(d.outcome.clone())),
                        own(&mut params, P::S(d.reason.clone())),
                        own(&mut params, P::S(d.engine.clone())),
                        own(&mut params, P::I(d.latency_us)),
                    );
                    format!("($1, {message}, {s}, {o}, {r}, {e}, {l}, $2)")
                })
                .collect();
            statements.push((
                format!(
                    "INSERT INTO decision_records (conversation_id, message_id, step, outcome, reason, engine, latency_us, created_at) \
                     VALUES {}",
                    rows.join(", ")
                ),
                params,
            ));
        }

        // The state, and the action log rows: on PostgreSQL the rows go in the same statement
        // (a data-modifying WITH, run whatever the UPDATE does), so they cost no round trip of
        // their own; on SQLite the whole write is one text anyway.
        let mut params = Vec::new();
        let logs = action_logs_insert(w.action_logs, &mut params, own)?;
        let mut set: Vec<String> = Vec::new();
        if w.before.status != state.status {
            let p = own(&mut params, P::S(state.status.as_str().into()));
            set.push(format!("status = {p}"));
        }
        if w.before.assignee_id != state.assignee_id {
            let p = own(&mut params, P::NI(state.assignee_id));
            set.push(format!("assignee_id = {p}"));
        }
        for (column, value) in [
            ("priority", P::NS(state.priority.map(|p| p.as_str().into()))),
            ("routing_profile_id", P::NI(state.routing_profile_id)),
            ("handoff_reason", P::NS(state.handoff_reason.clone())),
            ("ai_summary", P::NS(state.ai_summary.clone())),
            ("gathered", P::S(gathered)),
            ("pending", P::NS(pending)),
            ("failed_answers", P::I(state.failed_answers)),
            ("follow_up", P::B(state.follow_up)),
            ("language", P::NS(state.language.clone())),
            ("handed_off_at", P::NT(state.handed_off_at)),
            ("resolved_at", P::NT(state.resolved_at)),
        ] {
            let p = own(&mut params, value);
            set.push(format!("{column} = {p}"));
        }
        if w.before.lead != state.lead {
            let lead = serde_json::to_string(&state.lead).map_err(json)?;
            let p = own(&mut params, P::S(lead));
            set.push(format!("lead_state = {p}"));
        }
        // The guard: `updated_at` (NOT NULL) becomes NULL, which fails the statement and the
        // transaction, when status or assignee moved since `before` was read. One statement on
        // both backends, and a failed write in a group commit fails alone (see `write_queued`).
        let (b_status, b_assignee) = (
            own(&mut params, P::S(w.before.status.as_str().into())),
            own(&mut params, P::NI(w.before.assignee_id)),
        );
        let same = if sqlite { "IS" } else { "IS NOT DISTINCT FROM" };
        set.push(format!(
            "updated_at = CASE WHEN status = {b_status} AND assignee_id {same} {b_assignee} THEN $2 END"
        ));
        if let Some(instruction) = w.instruction {
            let p = own(&mut params, P::NS(instruction.map(str::to_owned)));
            set.push(format!("ai_instruction = {p}"));
        }
        // Visible messages move the last activity: the agent's (now), else the visitor's.
        if !w.replies.iter().all(|m| m.internal) {
            set.push("last_message_at = $2".into());
        } else if let Some((m, received)) = w.visitor.filter(|(m, _)| !m.internal) {
            let _ = m;
            let p = own(&mut params, P::T(received));
            set.push(format!("last_message_at = {p}"));
        }
        let update = format!("UPDATE conversations SET {} WHERE id = $1", set.join(", "));
        let text = match logs {
            None => update,
            Some(logs) if sqlite => format!("{logs};\n{update}"),
            Some(logs) => format!("WITH action_logged AS ({logs}) {update}"),
        };
        statements.push((text, params));

        // The agent's messages.
        for m in w.replies {
            let mut params = Vec::new();
            statements.push((insert_message(&mut params, m, "$2")?, params));
        }

        // The timeline: what this change did, with the names as they are now.
        let instruction = w.instruction.flatten();
        let mut events = events_of(w.before, state, w.actor, instruction);
        events.extend(w.events.iter().cloned());
        if !events.is_empty() {
            let mut params = Vec::new();
            let name = |table: &str, p: &str| format!("(SELECT name FROM {table} WHERE id = {p})");
            let rows: Vec<String> = events
                .iter()
                .map(|e| {
                    let k = own(&mut params, P::S(e.kind.as_str().into()));
                    let a = own(&mut params, P::NI(e.actor_id));
                    let o = own(&mut params, P::NI(e.operator_id));
                    let f = own(&mut params, P::NI(e.from_operator_id));
                    let r = own(&mut params, P::NI(e.routing_profile_id));
                    let t = own(&mut params, P::NS(e.text.clone()));
                    format!(
                        "($1, {k}, {a}, {}, {o}, {}, {f}, {}, {r}, {}, {t}, $2)",
                        name("operators", &a),
                        name("operators", &o),
                        name("operators", &f),
                        name("routing_profiles", &r)
                    )
                })
                .collect();
            statements.push((
                format!(
                    "INSERT INTO conversation_events (conversation_id, kind, actor_id, actor_name, operator_id, \
                     operator_name, from_operator_id, from_operator_name, routing_profile_id, routing_profile_name, \
                     text, created_at) VALUES {}",
                    rows.join(", ")
                ),
                params,
            ));
        }

        // The webhook events of this change (handed off, taken, assigned, resolved), for the
        // endpoints subscribed to them: derived here so that every path that moves a
        // conversation emits them, and queued in this transaction, so a refused write emits
        // nothing.
        let triggered = crate::webhooks::model::triggered(&events);
        let webhook_jobs = if triggered.is_empty() {
            Vec::new()
        } else {
            let mut new_turns: Vec<&NewMessage> = w.visitor.iter().map(|(m, _)| *m).collect();
            new_turns.extend(w.replies.iter());
            self.webhook_jobs(id, &triggered, state, &new_turns, at)
                .await?
        };

        // The outbox jobs (the notification and the webhook events among them), queued with
        // the state they tell about.
        let notification = w.notification.map(|e| outbox::Job::Email(e.clone()));
        let jobs: Vec<&outbox::Job> = notification
            .iter()
            .chain(w.jobs)
            .chain(&webhook_jobs)
            .collect();
        let queued = !jobs.is_empty();
        if queued {
            let mut params = Vec::new();
            let mut rows = Vec::with_capacity(jobs.len());
            for job in jobs {
                let (k, p, t) = (
                    own(&mut params, P::S(job.kind().as_str().into())),
                    own(&mut params, P::S(job.payload()?)),
                    own(&mut params, P::NS(job.target())),
                );
                rows.push(format!("({k}, {p}, $1, 'pending', 0, $2, $2, {t})"));
            }
            statements.push((
                format!(
                    "INSERT INTO jobs (kind, payload, conversation_id, status, attempts, next_attempt_at, \
                     created_at, target) VALUES {}",
                    rows.join(", ")
                ),
                params,
            ));
        }

        // An endpoint the agent triggers is triggered once per conversation: its row goes in
        // with the delivery, so a second trigger (another process deciding this conversation
        // at the same time) fails this write on the primary key, as a conflict (see
        // `state_conflict`), and the message is decided again on what is stored.
        let triggers: Vec<Id> = w
            .jobs
            .iter()
            .filter_map(|j| match j {
                outbox::Job::Webhook(h) if h.event == WebhookEvent::ActionTriggered => {
                    Some(h.endpoint_id)
                }
                _ => None,
            })
            .collect();
        if !triggers.is_empty() {
            let mut params = Vec::new();
            let rows: Vec<String> = triggers
                .iter()
                .map(|t| format!("({}, $1, $2)", own(&mut params, P::I(*t))))
                .collect();
            statements.push((
                format!(
                    "INSERT INTO webhook_triggers (webhook_id, conversation_id, created_at) VALUES {}",
                    rows.join(", ")
                ),
                params,
            ));
        }

        let mut rows: Vec<MessageRow> = match self.db() {
            super::Db::Sqlite(pool) => {
                // SQLite runs the statements of one query text in order: the whole transaction
                // in one round trip to the connection's thread, so the write lock is held for
                // the work alone. There, parameters are numbered across the whole text.
                let mut sql = String::new();
                let mut all: Vec<P> = shared.into();
                for (text, params) in statements {
                    if !sql.is_empty() {
                        sql.push_str(";\n");
                    }
                    sql.push_str(&shift_params(
                        &text,
                        SHARED_PARAMS,
                        all.len() - SHARED_PARAMS,
                    ));
                    all.extend(params);
                }
                if !self.has_writer() {
                    // An in-memory database: its one pooled connection.
                    let mut conn = pool.acquire().await?;
                    one_transaction(&mut conn, &mut false, &sql, &all).await?
                } else {
                    let rows = usize::from(visitor) + w.replies.len();
                    self.write_queued(sql, all, rows).await?
                }
            }
            super::Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let mut rows = Vec::with_capacity(w.replies.len() + 1);
                for (sql, params) in &statements {
                    let q = bind_params!(sqlx::query_as::<_, MessageRow>(sql), &shared);
                    let stored = bind_params!(q, params).fetch_all(&mut *tx).await?;
                    if visitor && rows.is_empty() {
                        if let Some(m) = stored.first() {
                            shared[2] = P::NI(Some(m.id));
                        }
                    }
                    rows.extend(stored);
                }
                tx.commit().await?;
                rows
            }
        };
        if queued {
            self.jobs_queued();
        }
        let message = if visitor && !rows.is_empty() {
            Some(rows.remove(0).try_into()?)
        } else {
            None
        };
        Ok((
            message,
            rows.into_iter()
                .map(Message::try_from)
                .collect::<Result<_>>()?,
        ))
    }

    pub async fn decisions_list(&self, conversation: Id) -> Result<Vec<DecisionRecord>> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decision_records WHERE conversation_id = $1 ORDER BY id");
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, DecisionRecordRow>(&sql).bind(conversation).fetch_all(pool).await?)
            .into_iter()
            .map(DecisionRecord::from)
            .collect())
    }

    /// Whether the agent has had a playground conversation, and a widget one.
    pub async fn conversation_channels_used(&self, agent: Id) -> Result<(bool, bool)> {
        let (p, w): (bool, bool) = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM conversations WHERE agent_id = $1 AND channel = 'playground'), \
             EXISTS (SELECT 1 FROM conversations WHERE agent_id = $1 AND channel = 'widget')")
            .bind(agent).fetch_one(pool).await?);
        Ok((p, w))
    }

    /// The conversation's history, oldest first.
    pub async fn timeline_list(&self, conversation: Id) -> Result<Vec<TimelineEvent>> {
        let rows: Vec<TimelineRow> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, kind, actor_id, actor_name, operator_id, operator_name, from_operator_id, \
             from_operator_name, routing_profile_id, routing_profile_name, text, created_at \
             FROM conversation_events WHERE conversation_id = $1 ORDER BY id")
            .bind(conversation).fetch_all(pool).await?);
        rows.into_iter()
            .map(|r| {
                Ok(TimelineEvent {
                    id: r.id,
                    kind: TimelineKind::parse(&r.kind).ok_or_else(|| corrupt("timeline kind"))?,
                    actor_id: r.actor_id,
                    actor_name: r.actor_name,
                    operator_id: r.operator_id,
                    operator_name: r.operator_name,
                    from_operator_id: r.from_operator_id,
                    from_operator_name: r.from_operator_name,
                    routing_profile_id: r.routing_profile_id,
                    routing_profile_name: r.routing_profile_name,
                    text: r.text,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// Open conversations per active operator among `operators` who can reply (not viewers), for
    /// least-loaded assignment: (id, name, open conversations), in the order given.
    pub async fn operator_open_counts(&self, operators: &[Id]) -> Result<Vec<(Id, String, i64)>> {
        let mut out = Vec::with_capacity(operators.len());
        for &op in operators {
            let row: Option<(String, i64)> = on_db!(self.db(), pool => sqlx::query_as(
                "SELECT name, (SELECT COUNT(*) FROM conversations WHERE assignee_id = $1 AND status IN ('needs_agent', 'assigned')) \
                 FROM operators WHERE id = $1 AND is_active AND role <> 'viewer'")
                .bind(op).fetch_optional(pool).await?);
            if let Some((name, n)) = row {
                out.push((op, name, n));
            }
        }
        Ok(out)
    }
}

#[derive(sqlx::FromRow)]
struct TimelineRow {
    id: Id,
    kind: String,
    actor_id: Option<Id>,
    actor_name: Option<String>,
    operator_id: Option<Id>,
    operator_name: Option<String>,
    from_operator_id: Option<Id>,
    from_operator_name: Option<String>,
    routing_profile_id: Option<Id>,
    routing_profile_name: Option<String>,
    text: Option<String>,
    created_at: DateTime<Utc>,
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

#[derive(sqlx::FromRow)]
struct ItemRow {
    #[sqlx(flatten)]
    c: ConversationRow,
    last_message: Option<String>,
    visitor_message: Option<String>,
    snippet: Option<String>,
}

impl Store {
    /// The five view counts in one query. needs_agent, all_open and resolved add up the few
    /// rows of `conversation_counts` (kept by triggers, migrations 0003 and 0004); mine and unassigned
    /// count small index ranges (an operator's open conversations, the unassigned queue).
    pub async fn inbox_counts(
        &self,
        agent: Option<Id>,
        me: Option<Id>,
    ) -> Result<crate::conversations::model::InboxCounts> {
        let of_agent = if agent.is_some() {
            "agent_id = $1"
        } else {
            "$1 IS NULL"
        };
        let sql = format!(
            "SELECT \
             CAST(COALESCE((SELECT SUM(n) FROM conversation_counts WHERE status = 'needs_agent' AND {of_agent}), 0) AS BIGINT) AS needs_agent, \
             (SELECT COUNT(*) FROM conversations WHERE assignee_id = $2 AND status IN ('needs_agent', 'assigned') AND {of_agent}) AS mine, \
             (SELECT COUNT(*) FROM conversations WHERE status = 'needs_agent' AND assignee_id IS NULL AND {of_agent}) AS unassigned, \
             CAST(COALESCE((SELECT SUM(n) FROM conversation_counts WHERE status <> 'resolved' AND {of_agent}), 0) AS BIGINT) AS all_open, \
             (SELECT COUNT(*) FROM conversations WHERE follow_up AND status <> 'resolved' AND {of_agent}) AS follow_up, \
             CAST(COALESCE((SELECT SUM(n) FROM conversation_counts WHERE status = 'resolved' AND {of_agent}), 0) AS BIGINT) AS resolved"
        );
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, crate::conversations::model::InboxCounts>(&sql)
            .bind(agent).bind(me.unwrap_or(-1)).fetch_one(pool).await?),
        )
    }

    /// One page of a view, newest activity first; `more` says whether another page follows.
    pub async fn inbox_items(
        &self,
        q: &crate::conversations::model::InboxQuery,
        agent: Option<Id>,
        me: Option<Id>,
        cursor: Option<(DateTime<Utc>, Id)>,
        limit: i64,
    ) -> Result<(Vec<crate::conversations::model::InboxItem>, bool)> {
        use crate::conversations::model::{InboxItem, InboxView};
        const OPEN: &[&str] = &[
            "ai",
            "awaiting_confirmation",
            "gathering_info",
            "needs_agent",
            "assigned",
        ];
        const ALL: &[&str] = &[
            "ai",
            "awaiting_confirmation",
            "gathering_info",
            "needs_agent",
            "assigned",
            "resolved",
        ];
        let mut f = Filter::new();
        let statuses: &[&str] = match q.view.unwrap_or(InboxView::AllOpen) {
            InboxView::NeedsAgent => &["needs_agent"],
            InboxView::Mine => {
                f.push("c.assignee_id = ?", P::I(me.unwrap_or(-1)));
                &["needs_agent", "assigned"]
            }
            InboxView::Unassigned => {
                f.clauses.push("c.assignee_id IS NULL".into());
                &["needs_agent"]
            }
            InboxView::AllOpen => OPEN,
            InboxView::FollowUp => {
                f.clauses.push("c.follow_up".into());
                OPEN
            }
            InboxView::Resolved => &["resolved"],
            InboxView::All => ALL,
        };
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
            // The first comparison lets the page start from the cursor in the index.
            f.clauses.push(format!(
                "c.last_message_at <= ${a} AND (c.last_message_at < ${a} OR c.id < ${b})"
            ));
        }
        let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let mut snippet = "NULL".to_owned();
        let mut search_words: Vec<String> = Vec::new();
        if let Some(s) = search {
            // SQLite's index folds accents itself (`remove_diacritics`); PostgreSQL's with
            // `PG_FOLD`.
            let fold = match self.db() {
                super::Db::Sqlite(_) => crate::engine::builtin::text::fold,
                super::Db::Postgres(_) => pg_fold,
            };
            let words: Vec<String> = fold(s)
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
            // The newest matching message of each conversation, for its snippet.
            let n = f.params.len();
            snippet = match self.db() {
                // The IN list does not depend on the row: SQLite runs the full-text match once
                // per statement, then walks each conversation's messages newest first.
                super::Db::Sqlite(_) => format!(
                    "(SELECT m.text FROM messages m WHERE m.conversation_id = c.id \
                     AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${n}) \
                     ORDER BY m.id DESC LIMIT 1)"
                ),
                super::Db::Postgres(_) => format!(
                    "(SELECT m.text FROM messages m WHERE m.conversation_id = c.id \
                     AND m.search @@ to_tsquery('simple', ${n}) ORDER BY m.id DESC LIMIT 1)"
                ),
            };
            search_words = words;
        }
        let limit_param = f.next();
        let order = "ORDER BY c.last_message_at DESC, c.id DESC";
        let filter = f.sql();
        // Newest activity first, from the index on (status, last_message_at): for views of
        // several statuses, one page per status, each read in index order and stopped there,
        // then merged (statuses are a closed set: a CHECK constraint). A search starts from
        // the matching messages instead.
        // An operator's own conversations and those marked for follow-up are few: read them
        // from their own index, then sorted.
        let few = matches!(q.view, Some(InboxView::Mine | InboxView::FollowUp));
        let page = if statuses.len() == 1 || few || search.is_some() {
            let status = match statuses {
                [one] => format!("c.status = '{one}'"),
                _ => {
                    let list: Vec<String> = statuses.iter().map(|s| format!("'{s}'")).collect();
                    format!("c.status IN ({})", list.join(", "))
                }
            };
            format!(
                "SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE {status} AND {filter} \
                 {order} LIMIT ${limit_param}"
            )
        } else {
            let arms: Vec<String> = statuses
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        "SELECT * FROM (SELECT {CONVERSATION_COLUMNS} FROM conversations c \
                         WHERE c.status = '{s}' AND {filter} {order} LIMIT ${limit_param}) AS s{i}"
                    )
                })
                .collect();
            arms.join(" UNION ALL ")
        };
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, \
             (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE ORDER BY m.id DESC LIMIT 1) AS last_message, \
             (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE AND m.author = 'visitor' ORDER BY m.id DESC LIMIT 1) AS visitor_message, \
             {snippet} AS snippet \
             FROM ({page}) AS c {order} LIMIT ${limit_param}"
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
                    preview: r.visitor_message.or_else(|| r.last_message.clone()),
                    snippet: r
                        .snippet
                        .map(|t| crate::text::snippet_around(&t, &search_words)),
                    last_message: r.last_message,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, more))
    }
}

#[cfg(test)]
mod tests {
    use super::{pg_fold, shift_params, PG_FOLD};

    #[test]
    fn a_queued_write_whose_caller_went_away_is_not_made() {
        let queue = super::WriteQueue::default();
        let mut waiting = Vec::new();
        for i in 0..3 {
            let (done, result) = tokio::sync::oneshot::channel();
            queue.push(super::Job {
                sql: format!("job {i}"),
                params: Vec::new(),
                rows: 0,
                done,
            });
            waiting.push(result);
        }
        drop(waiting.remove(1));
        let taken: Vec<String> = queue.take().into_iter().map(|j| j.sql).collect();
        assert_eq!(taken, ["job 0", "job 2"]);
        assert!(queue.take().is_empty());
    }

    #[test]
    fn postgres_search_folds_query_words_like_its_index() {
        let migration = include_str!("../../migrations/postgres/0004_write_path_and_search.sql");
        let (from, to) = PG_FOLD;
        assert_eq!(from.chars().count(), to.chars().count());
        assert!(
            migration.contains(&format!("translate(text, '{from}', '{to}')")),
            "the index and the query fold accents differently"
        );
        assert_eq!(pg_fold("Café"), "cafe");
        assert_eq!(pg_fold("ŁÓDŹ"), "lodz");
        assert_eq!(pg_fold("straße"), "strase");
    }

    #[test]
    fn shifts_own_parameters_only() {
        assert_eq!(
            shift_params(
                "UPDATE t SET a = $4, b = $12 WHERE id = $1 AND t = $3",
                3,
                10
            ),
            "UPDATE t SET a = $14, b = $22 WHERE id = $1 AND t = $3"
        );
        assert_eq!(
            shift_params("VALUES ($1, $2, '[]')", 3, 7),
            "VALUES ($1, $2, '[]')"
        );
        assert_eq!(shift_params("VALUES ($1, $2)", 0, 7), "VALUES ($8, $9)");
        assert_eq!(shift_params("x = $5", 3, 0), "x = $5");
    }
}
