//! HTTP request actions and their execution log. The secret is stored sealed (see `secrets`);
//! the log keeps only what was shown, credentials masked.

use chrono::{DateTime, Utc};

use super::{on_db, sqlite_write, Db, Store};
use crate::actions::model::{
    ActionApiKeyLocation, ActionAuth, ActionAuthKind, ActionHeader, ActionKind, ActionLogEntry,
    ActionLogQuery, ActionMethod, ActionOnFailure, ActionOutcome, ActionParameter,
    ActionRequestShown, NewActionLog,
};
use crate::actions::validate::Valid;
use crate::actions::StoredAction;
use crate::error::{Error, Result};
use crate::Id;

const COLUMNS: &str =
    "id, agent_id, name, description, when_not_to_use, examples, active, method, \
    url, headers, body, parameters, auth_kind, auth_username, auth_key_location, auth_key_name, \
    auth_secret, timeout_ms, max_response_bytes, reply_template, failure_message, on_failure, \
    allow, kind, spec, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Id,
    agent_id: Id,
    name: String,
    description: String,
    when_not_to_use: String,
    examples: String,
    active: bool,
    method: String,
    url: String,
    headers: String,
    body: Option<String>,
    parameters: String,
    auth_kind: String,
    auth_username: Option<String>,
    auth_key_location: Option<String>,
    auth_key_name: Option<String>,
    auth_secret: Option<String>,
    timeout_ms: i64,
    max_response_bytes: i64,
    reply_template: Option<String>,
    failure_message: String,
    on_failure: String,
    allow: String,
    kind: String,
    spec: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("a stored action's {what} is invalid"))
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|_| corrupt(what))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

impl ActionRow {
    fn into_stored(self) -> Result<StoredAction> {
        let key_location = match self.auth_key_location.as_deref() {
            None => None,
            Some("header") => Some(ActionApiKeyLocation::Header),
            Some("query") => Some(ActionApiKeyLocation::Query),
            Some(_) => return Err(corrupt("auth")),
        };
        let auth = ActionAuth {
            kind: ActionAuthKind::parse(&self.auth_kind).ok_or_else(|| corrupt("auth"))?,
            username: self.auth_username,
            key_location,
            key_name: self.auth_key_name,
            has_secret: self.auth_secret.is_some(),
        };
        let kind = ActionKind::parse(&self.kind).ok_or_else(|| corrupt("type"))?;
        let spec = self.spec.as_deref();
        let form = match (kind, spec) {
            (ActionKind::Form, Some(t)) => Some(json(t, "form")?),
            (ActionKind::Form, None) => return Err(corrupt("form")),
            _ => None,
        };
        let button = match (kind, spec) {
            (ActionKind::Button, Some(t)) => Some(json(t, "button")?),
            (ActionKind::Button, None) => return Err(corrupt("button")),
            _ => None,
        };
        let headers: Vec<ActionHeader> = json(&self.headers, "headers")?;
        let parameters: Vec<ActionParameter> = json(&self.parameters, "parameters")?;
        StoredAction::new(
            crate::actions::model::Action {
                id: self.id,
                agent_id: self.agent_id,
                kind,
                name: self.name,
                description: self.description,
                when_not_to_use: self.when_not_to_use,
                examples: json(&self.examples, "examples")?,
                active: self.active,
                method: ActionMethod::parse(&self.method).ok_or_else(|| corrupt("method"))?,
                url: self.url,
                headers,
                body: self.body,
                parameters,
                auth,
                timeout_ms: u64::try_from(self.timeout_ms).map_err(|_| corrupt("timeout"))?,
                max_response_bytes: u64::try_from(self.max_response_bytes)
                    .map_err(|_| corrupt("response cap"))?,
                reply_template: self.reply_template,
                failure_message: self.failure_message,
                on_failure: if self.on_failure == "handoff" {
                    ActionOnFailure::Handoff
                } else {
                    ActionOnFailure::Say
                },
                allow: json(&self.allow, "allow-list")?,
                variables: Vec::new(),
                form,
                button,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            self.auth_secret,
        )
    }
}

/// What a save does to the stored secret column.
pub(crate) enum SecretWrite {
    Keep,
    Set(Option<String>),
}

fn key_location(auth: &ActionAuth) -> Option<&'static str> {
    auth.key_location.map(|l| match l {
        ActionApiKeyLocation::Header => "header",
        ActionApiKeyLocation::Query => "query",
    })
}

/// A form or button action's spec as stored.
fn spec_of(v: &Valid) -> Result<Option<String>> {
    match (&v.form, &v.button) {
        (Some(f), _) => to_json(f).map(Some),
        (None, Some(b)) => to_json(b).map(Some),
        (None, None) => Ok(None),
    }
}

const NAME_TAKEN: &str = "this agent already has an action with that name";

impl Store {
    pub(crate) async fn action_insert(
        &self,
        agent: Id,
        v: &Valid,
        sealed: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<StoredAction> {
        let sql = format!(
            "INSERT INTO actions (agent_id, name, description, when_not_to_use, examples, active, \
             method, url, headers, body, parameters, auth_kind, auth_username, auth_key_location, \
             auth_key_name, auth_secret, timeout_ms, max_response_bytes, reply_template, \
             failure_message, on_failure, allow, created_at, updated_at, kind, spec) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21, $22, $23, $23, $24, $25) RETURNING {COLUMNS}"
        );
        let (examples, headers, parameters, allow) = (
            to_json(&v.examples)?,
            to_json(&v.headers)?,
            to_json(&v.parameters)?,
            to_json(&v.allow)?,
        );
        let spec = spec_of(v)?;
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, ActionRow>(&sql)
            .bind(agent).bind(&v.name).bind(&v.description).bind(&v.when_not_to_use)
            .bind(&examples).bind(v.active).bind(v.method.as_str()).bind(&v.url)
            .bind(&headers).bind(&v.body).bind(&parameters).bind(v.auth.kind.as_str())
            .bind(&v.auth.username).bind(key_location(&v.auth)).bind(&v.auth.key_name)
            .bind(&sealed).bind(v.timeout_ms as i64).bind(v.max_response_bytes as i64)
            .bind(&v.reply_template).bind(&v.failure_message).bind(v.on_failure.as_str())
            .bind(&allow).bind(at).bind(v.kind.as_str()).bind(&spec)
            .fetch_one(pool).await
            .map_err(|e| Error::from_unique(e, "name", NAME_TAKEN))?);
        row.into_stored()
    }

    pub(crate) async fn action_update(
        &self,
        id: Id,
        v: &Valid,
        secret: SecretWrite,
        at: DateTime<Utc>,
    ) -> Result<Option<StoredAction>> {
        let sql = format!(
            "UPDATE actions SET name = $2, description = $3, when_not_to_use = $4, examples = $5, \
             active = $6, method = $7, url = $8, headers = $9, body = $10, parameters = $11, \
             auth_kind = $12, auth_username = $13, auth_key_location = $14, auth_key_name = $15, \
             auth_secret = CASE WHEN $16 THEN auth_secret ELSE $17 END, timeout_ms = $18, \
             max_response_bytes = $19, reply_template = $20, failure_message = $21, \
             on_failure = $22, allow = $23, updated_at = $24, kind = $25, spec = $26 \
             WHERE id = $1 RETURNING {COLUMNS}"
        );
        let (keep, sealed) = match secret {
            SecretWrite::Keep => (true, None),
            SecretWrite::Set(s) => (false, s),
        };
        let (examples, headers, parameters, allow) = (
            to_json(&v.examples)?,
            to_json(&v.headers)?,
            to_json(&v.parameters)?,
            to_json(&v.allow)?,
        );
        let spec = spec_of(v)?;
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, ActionRow>(&sql)
            .bind(id).bind(&v.name).bind(&v.description).bind(&v.when_not_to_use)
            .bind(&examples).bind(v.active).bind(v.method.as_str()).bind(&v.url)
            .bind(&headers).bind(&v.body).bind(&parameters).bind(v.auth.kind.as_str())
            .bind(&v.auth.username).bind(key_location(&v.auth)).bind(&v.auth.key_name)
            .bind(keep).bind(&sealed).bind(v.timeout_ms as i64).bind(v.max_response_bytes as i64)
            .bind(&v.reply_template).bind(&v.failure_message).bind(v.on_failure.as_str())
            .bind(&allow).bind(at).bind(v.kind.as_str()).bind(&spec)
            .fetch_optional(pool).await
            .map_err(|e| Error::from_unique(e, "name", NAME_TAKEN))?);
        row.map(ActionRow::into_stored).transpose()
    }

    pub(crate) async fn action_get(&self, id: Id) -> Result<Option<StoredAction>> {
        let sql = format!("SELECT {COLUMNS} FROM actions WHERE id = $1");
        let row = on_db!(self.db(), pool => sqlx::query_as::<_, ActionRow>(&sql)
            .bind(id).fetch_optional(pool).await?);
        row.map(ActionRow::into_stored).transpose()
    }

    /// The agent's action version: changed by triggers with every insert, update and delete
    /// of one of its actions, in that write's transaction (migration 0013); 0 before any.
    pub(crate) async fn actions_version(&self, agent: Id) -> Result<i64> {
        let v = on_db!(self.db(), pool => sqlx::query_scalar::<_, i64>(
            "SELECT version FROM action_versions WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?);
        Ok(v.unwrap_or(0))
    }

    pub(crate) async fn action_list(&self, agent: Id) -> Result<Vec<StoredAction>> {
        let sql = format!("SELECT {COLUMNS} FROM actions WHERE agent_id = $1 ORDER BY name, id");
        let rows = on_db!(self.db(), pool => sqlx::query_as::<_, ActionRow>(&sql)
            .bind(agent).fetch_all(pool).await?);
        rows.into_iter().map(ActionRow::into_stored).collect()
    }

    pub async fn action_delete(&self, id: Id) -> Result<bool> {
        let n = on_db!(self.db(), pool => sqlx::query("DELETE FROM actions WHERE id = $1")
            .bind(id).execute(pool).await?.rows_affected());
        Ok(n > 0)
    }

    /// Writes a run's log row and returns its id once the row is committed: visible to every
    /// connection and kept if Baton stops the next moment. What it is not promised is the disk:
    /// on SQLite (WAL, `synchronous = NORMAL`) the commit does not wait for an fsync, and the
    /// row goes to the writer connection, in turn with every other write (no polling of
    /// SQLite's lock); on PostgreSQL the row's transaction commits with `synchronous_commit =
    /// off`, set for that transaction only. Either way a power loss or an operating-system
    /// crash (on PostgreSQL also a crash of its server) in the moment after the run may lose
    /// the last rows (up to about 0.6 s of them on PostgreSQL: three `wal_writer_delay`s),
    /// never corrupt or half-write one. Conversation writes keep their full durability.
    pub async fn action_log_insert(&self, log: &NewActionLog) -> Result<Id> {
        macro_rules! columns {
            () => {
                "INSERT INTO action_logs (created_at, agent_id, action_id, action_name, \
                 conversation_id, is_test, request_method, request_url, request_headers, \
                 request_body, request_truncated, response_status, response_headers, \
                 response_body, response_truncated, duration_ms, outcome, error, \
                 reached_conversation) "
            };
        }
        macro_rules! values {
            () => {
                "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                 $18, $19"
            };
        }
        let request_headers = to_json(&log.request.headers)?;
        let response_headers = to_json(&log.response_headers)?;
        let duration = i64::try_from(log.duration_ms).unwrap_or(i64::MAX);
        macro_rules! insert {
            ($sql:expr, $conn:expr) => {
                sqlx::query_scalar::<_, Id>($sql)
                    .bind(log.created_at)
                    .bind(log.agent_id)
                    .bind(log.action_id)
                    .bind(&log.action_name)
                    .bind(log.conversation_id)
                    .bind(log.test)
                    .bind(log.request.method.as_str())
                    .bind(&log.request.url)
                    .bind(&request_headers)
                    .bind(&log.request.body)
                    .bind(log.request_truncated)
                    .bind(log.response_status.map(i64::from))
                    .bind(&response_headers)
                    .bind(&log.response_body)
                    .bind(log.response_truncated)
                    .bind(duration)
                    .bind(log.outcome.as_str())
                    .bind(&log.error)
                    .bind(log.reached_conversation)
                    .fetch_one($conn)
                    .await?
            };
        }
        Ok(match self.db() {
            Db::Sqlite(pool) => {
                const SQL: &str = concat!(columns!(), "VALUES (", values!(), ") RETURNING id");
                sqlite_write!(self, pool, conn => insert!(SQL, &mut *conn))
            }
            Db::Postgres(pool) => {
                // One statement, so one round trip: the setting is local to the statement's
                // transaction and read when it commits.
                const SQL: &str = concat!(
                    columns!(),
                    "SELECT ",
                    values!(),
                    " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit \
                     RETURNING id"
                );
                insert!(SQL, pool)
            }
        })
    }

    /// An agent's log entries matching `q`, newest first, at most `limit`.
    pub async fn action_log_list(
        &self,
        agent: Id,
        q: &ActionLogQuery,
        limit: i64,
    ) -> Result<Vec<ActionLogEntry>> {
        // Each filter is skipped when its parameter is NULL, so one text serves every query.
        let sql = "SELECT id, created_at, agent_id, action_id, action_name, conversation_id, \
             is_test, request_method, request_url, request_headers, request_body, \
             request_truncated, response_status, response_headers, response_body, \
             response_truncated, duration_ms, outcome, error, reached_conversation \
             FROM action_logs WHERE agent_id = $1 \
             AND ($2 IS NULL OR action_id = $2) AND ($3 IS NULL OR outcome = $3) \
             AND ($4 IS NULL OR conversation_id = $4) AND ($5 IS NULL OR created_at >= $5) \
             AND ($6 IS NULL OR created_at < $6) AND ($7 IS NULL OR id < $7) \
             ORDER BY id DESC LIMIT $8";
        let outcome = q.outcome.map(ActionOutcome::as_str);
        let rows = on_db!(self.db(), pool => sqlx::query_as::<_, LogRow>(sql)
            .bind(agent).bind(q.action_id).bind(outcome).bind(q.conversation_id)
            .bind(q.from).bind(q.to).bind(q.before_id).bind(limit)
            .fetch_all(pool).await?);
        rows.into_iter().map(LogRow::into_entry).collect()
    }

    /// Deletes log entries written before `before`; how many.
    pub async fn action_logs_prune(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(on_db!(self.db(), pool => sqlx::query(
            "DELETE FROM action_logs WHERE created_at < $1")
            .bind(before).execute(pool).await?.rows_affected()))
    }
}

#[derive(sqlx::FromRow)]
struct LogRow {
    id: Id,
    created_at: DateTime<Utc>,
    agent_id: Id,
    action_id: Option<Id>,
    action_name: String,
    conversation_id: Option<Id>,
    is_test: bool,
    request_method: String,
    request_url: String,
    request_headers: String,
    request_body: Option<String>,
    request_truncated: bool,
    response_status: Option<i64>,
    response_headers: String,
    response_body: Option<String>,
    response_truncated: bool,
    duration_ms: i64,
    outcome: String,
    error: Option<String>,
    reached_conversation: bool,
}

impl LogRow {
    fn into_entry(self) -> Result<ActionLogEntry> {
        let bad = || Error::Internal("a stored action log entry is invalid".into());
        Ok(ActionLogEntry {
            id: self.id,
            created_at: self.created_at,
            agent_id: self.agent_id,
            action_id: self.action_id,
            action_name: self.action_name,
            conversation_id: self.conversation_id,
            test: self.is_test,
            request: ActionRequestShown {
                method: ActionMethod::parse(&self.request_method).ok_or_else(bad)?,
                url: self.request_url,
                headers: serde_json::from_str(&self.request_headers).map_err(|_| bad())?,
                body: self.request_body,
            },
            request_truncated: self.request_truncated,
            response_status: self.response_status.and_then(|s| u16::try_from(s).ok()),
            response_headers: serde_json::from_str(&self.response_headers).map_err(|_| bad())?,
            response_body: self.response_body,
            response_truncated: self.response_truncated,
            duration_ms: u64::try_from(self.duration_ms).unwrap_or(0),
            outcome: ActionOutcome::parse(&self.outcome).ok_or_else(bad)?,
            error: self.error,
            reached_conversation: self.reached_conversation,
        })
    }
}
