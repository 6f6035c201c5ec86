//! Custom actions: HTTP requests an agent makes to the business's own API during a
//! conversation. This module has the operations on [`Baton`] (list, get, create, update,
//! delete, test, the execution log and its pruning) and [`Baton::action_run`], the one way an
//! action is run, which the pipeline step calls too.
//!
//! - [`model`]: the action, its input, the log entry (secrets are write-only: `has_secret`).
//! - [`validate`]: every limit, and the checks of a save (all invalid fields at once).
//! - [`run`]: building the request (values escaped per place), auth, the outbound call through
//!   the guard with the action's allow-list, the outcome, the reply.
//!
//! Permissions: reading (actions, logs) is `ReadConfig` (viewers too); saving, deleting and
//! testing (which really calls the endpoint) are `ManageConfig` (owners and admins).

pub mod kinds;
pub mod model;
pub mod run;
pub mod validate;
pub mod visitor;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::secrets::{self, Secret, SecretKey};
use crate::store::actions::SecretWrite;
use crate::{Baton, Id};
use model::{
    Action, ActionInput, ActionKind, ActionLogPage, ActionLogQuery, ActionOnFailure, ActionOutcome,
    ActionRequestShown, ActionTestArgs, ActionTestResult, NewActionLog,
};
pub use run::RunValues;
use validate::{Compiled, Existing, SecretChange};

/// An action as stored: what the API answers, its parsed templates, and its sealed secret
/// (which never leaves the core).
#[derive(Clone)]
pub struct StoredAction {
    pub action: Action,
    /// An HTTP action's parsed request; none for a form or a button.
    pub(crate) compiled: Option<Compiled>,
    sealed: Option<String>,
    /// The secret, opened by the first run of this loaded action and kept with it (the cache
    /// of active actions keeps loaded actions between messages): one decryption per load,
    /// not per run. It lives no longer than the loaded action, which a save replaces.
    opened: std::sync::OnceLock<Secret>,
}

impl std::fmt::Debug for StoredAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAction")
            .field("action", &self.action)
            .field("sealed", &self.sealed.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

impl StoredAction {
    pub(crate) fn new(mut action: Action, sealed: Option<String>) -> Result<StoredAction> {
        let compiled = if action.kind == ActionKind::Http {
            let c = validate::compile(
                &action.url,
                &action.headers,
                action.body.as_deref(),
                action.reply_template.as_deref(),
                &action.parameters,
                &action.allow,
            )
            .map_err(|e| Error::Internal(format!("stored action {} is invalid: {e}", action.id)))?;
            action.variables = variables_of(&c);
            Some(c)
        } else {
            None
        };
        Ok(StoredAction {
            action,
            compiled,
            sealed,
            opened: Default::default(),
        })
    }

    /// The opened secret, if the action has one (opened once, see `opened`).
    fn secret(&self, baton: &Baton) -> Result<Option<&Secret>> {
        let Some(sealed) = &self.sealed else {
            return Ok(None);
        };
        if let Some(s) = self.opened.get() {
            return Ok(Some(s));
        }
        let s = baton.secret_key()?.open(sealed, &purpose(self.host()))?;
        Ok(Some(self.opened.get_or_init(|| s)))
    }

    /// The host an HTTP action's secret is bound to (empty for a form or a button).
    pub(crate) fn host(&self) -> &str {
        self.compiled.as_ref().map_or("", |c| c.host.as_str())
    }

    /// Checks parameter values (from the test panel, the conversation or a model's tool call)
    /// against the action's declarations, typed; errors at `params.NAME`.
    pub fn check_params(
        &self,
        given: &BTreeMap<String, serde_json::Value>,
    ) -> Result<BTreeMap<String, serde_json::Value>> {
        validate::check_params(&self.action.parameters, given)
    }
}

/// The conversation variables the templates use (not parameters, not the response), in order.
fn variables_of(c: &Compiled) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let templates = std::iter::once(&c.url)
        .chain(c.headers.iter().map(|(_, t)| t))
        .chain(c.body.iter())
        .chain(c.reply.iter());
    for t in templates {
        for v in t.variables() {
            let n = v.name();
            let skip = n.starts_with("params.") || n == "response" || n.starts_with("response");
            if !skip && !out.iter().any(|o| o == n) {
                out.push(n.to_owned());
            }
        }
    }
    out
}

/// The active actions of each agent, for the pipeline (see [`Baton::actions_active`]), with
/// the agent's action version they were read at.
#[derive(Clone, Default)]
pub(crate) struct ActiveCache(Arc<Mutex<HashMap<Id, Versioned>>>);

/// An agent's active actions and the action version they were read at.
type Versioned = (i64, Arc<[StoredAction]>);

impl ActiveCache {
    fn get(&self, agent: Id, version: i64) -> Option<Arc<[StoredAction]>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&agent)
            .filter(|(v, _)| *v == version)
            .map(|(_, list)| list.clone())
    }

    fn put(&self, agent: Id, version: i64, list: Arc<[StoredAction]>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(agent, (version, list));
    }

    /// Drops what is kept for `agent` (this process changed its actions; the version would
    /// tell as well, this only spares the next message a stale look).
    fn forget(&self, agent: Id) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&agent);
    }
}

/// What the secret is sealed for: the host it may be sent to.
pub(crate) fn purpose(host: &str) -> String {
    format!("baton.action.secret.v1|{host}")
}

/// What one run did.
#[derive(Debug, Clone)]
pub struct ActionRun {
    pub outcome: ActionOutcome,
    pub request: ActionRequestShown,
    pub response: Option<model::ActionResponseShown>,
    pub duration_ms: u64,
    pub error: Option<String>,
    /// The reply built from the response, or the failure message.
    pub visitor_reply: Option<String>,
    /// On failure, whether the action hands the conversation to a person.
    pub handoff: bool,
    /// The run's execution-log row, not written yet: the pipeline writes it with the
    /// conversation's reply, in the message's transaction (see [`Baton::action_run`]).
    pub log: NewActionLog,
}

impl Baton {
    /// The key secrets are sealed with (`BATON_SECRET_KEY`, else the key file beside the
    /// database).
    pub(crate) fn secret_key(&self) -> Result<Arc<SecretKey>> {
        let file = secrets::key_file_for(self.store().sqlite_file().as_deref());
        Ok(secrets::key(&file)?)
    }

    async fn stored_action(&self, actor: &Actor, id: Id) -> Result<StoredAction> {
        let stored = self
            .store()
            .action_get(id)
            .await?
            .ok_or(Error::not_found("action"))?;
        actor.require_agent(stored.action.agent_id)?;
        Ok(stored)
    }

    pub async fn action_list(&self, actor: &Actor, agent_id: Option<Id>) -> Result<Vec<Action>> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        let list = self.store().action_list(agent).await?;
        Ok(list.into_iter().map(|s| s.action).collect())
    }

    /// The agent's active actions, in name order, as the pipeline chooses among them. Kept
    /// per agent with the agent's action version (`action_versions`, changed by triggers with
    /// every insert, update and delete of an action, whichever process makes it), which is
    /// read on every call: one primary-key read instead of the list, its JSON and its templates
    /// parsed again. The version is read before the list, so a list is never kept under a
    /// version newer than itself: an edit committed in between only costs one more read.
    pub async fn actions_active(&self, agent_id: Id) -> Result<Arc<[StoredAction]>> {
        let version = self.store().actions_version(agent_id).await?;
        if let Some(list) = self.actions.get(agent_id, version) {
            return Ok(list);
        }
        let list: Arc<[StoredAction]> = self
            .store()
            .action_list(agent_id)
            .await?
            .into_iter()
            .filter(|a| a.action.active)
            .collect();
        self.actions.put(agent_id, version, list.clone());
        Ok(list)
    }

    pub async fn action_get(&self, actor: &Actor, id: Id) -> Result<Action> {
        actor.require(Permission::ReadConfig)?;
        Ok(self.stored_action(actor, id).await?.action)
    }

    pub async fn action_create(&self, actor: &Actor, input: ActionInput) -> Result<Action> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        let valid = validate::validate(input, None)?;
        self.check_runs(agent, &valid).await?;
        let sealed = match &valid.secret {
            SecretChange::Set(s) => Some(self.secret_key()?.seal(s, &purpose(&valid.host))),
            SecretChange::Keep | SecretChange::Clear => None,
        };
        let stored = self
            .store()
            .action_insert(agent, &valid, sealed, crate::store::now())
            .await?;
        self.actions.forget(agent);
        Ok(stored.action)
    }

    /// Saves every field; `auth` omitted keeps the stored auth, `auth.secret` omitted keeps the
    /// stored secret, `""` clears it. A kept secret needs the URL's host unchanged.
    pub async fn action_update(&self, actor: &Actor, id: Id, input: ActionInput) -> Result<Action> {
        actor.require(Permission::ManageConfig)?;
        let existing = self.stored_action(actor, id).await?;
        if let Some(agent) = input.agent_id {
            if agent != existing.action.agent_id {
                return Err(Error::invalid(
                    "agent_id",
                    "immutable",
                    "an action stays with its agent: create it on the other agent instead",
                ));
            }
        }
        let valid = validate::validate(
            input,
            Some(Existing {
                auth: &existing.action.auth,
                host: existing.host(),
            }),
        )?;
        self.check_runs(existing.action.agent_id, &valid).await?;
        let write = match &valid.secret {
            SecretChange::Keep => SecretWrite::Keep,
            SecretChange::Clear => SecretWrite::Set(None),
            SecretChange::Set(s) => {
                SecretWrite::Set(Some(self.secret_key()?.seal(s, &purpose(&valid.host))))
            }
        };
        let saved = self
            .store()
            .action_update(id, &valid, write, crate::store::now())
            .await?;
        self.actions.forget(existing.action.agent_id);
        saved.map(|s| s.action).ok_or(Error::not_found("action"))
    }

    /// A form or button that runs an action names an HTTP action of the same agent.
    async fn check_runs(&self, agent: Id, v: &validate::Valid) -> Result<()> {
        let (field, name) = match (&v.form, &v.button) {
            (Some(f), _) => ("form.run_action", f.run_action.as_deref()),
            (None, Some(b)) => ("button.run_action", b.run_action.as_deref()),
            _ => return Ok(()),
        };
        let Some(name) = name else { return Ok(()) };
        let list = self.store().action_list(agent).await?;
        match list.iter().find(|a| a.action.name == name) {
            Some(a) if a.action.kind == ActionKind::Http => Ok(()),
            Some(_) => Err(Error::invalid(
                field,
                "not_http",
                format!("'{name}' is not an HTTP request action"),
            )),
            None => Err(Error::invalid(
                field,
                "unknown_action",
                format!("this agent has no action named '{name}'"),
            )),
        }
    }

    /// The HTTP action a form or a button runs, if it has one and it is still there.
    pub(crate) async fn action_by_name(
        &self,
        agent: Id,
        name: &str,
    ) -> Result<Option<StoredAction>> {
        Ok(self
            .store()
            .action_list(agent)
            .await?
            .into_iter()
            .find(|a| a.action.name == name && a.action.kind == ActionKind::Http))
    }

    pub async fn action_delete(&self, actor: &Actor, id: Id) -> Result<()> {
        actor.require(Permission::ManageConfig)?;
        let existing = self.stored_action(actor, id).await?;
        self.store().action_delete(id).await?;
        self.actions.forget(existing.action.agent_id);
        Ok(())
    }

    /// The test panel: runs the action with sample parameters and conversation variables,
    /// really calling the endpoint, and logs the run as a test.
    pub async fn action_test(
        &self,
        actor: &Actor,
        args: ActionTestArgs,
    ) -> Result<ActionTestResult> {
        actor.require(Permission::ManageConfig)?;
        let stored = self.stored_action(actor, args.id).await?;
        let params = validate::check_params(&stored.action.parameters, &args.params)?;
        validate::check_variables(&stored.action.parameters, &args.variables)?;
        let mut variables = args.variables;
        variables
            .entry("agent.id".into())
            .or_insert_with(|| stored.action.agent_id.to_string());
        let values = RunValues { variables, params };
        let run = self
            .action_run_at(&stored, &values, None, true, crate::store::now())
            .await?;
        // No conversation to write it with: the test's row is committed on its own.
        let log_id = self.store().action_log_insert(&run.log).await?;
        Ok(ActionTestResult {
            outcome: run.outcome,
            request: run.request,
            response: run.response,
            duration_ms: run.duration_ms,
            error: run.error,
            visitor_reply: run.visitor_reply,
            handoff: run.handoff,
            log_id,
        })
    }

    /// Runs a stored action with `values` (parameters already checked with the action's
    /// declarations) for `conversation`. A request that cannot be built (a value missing or
    /// refused in its place) is an error naming the field, and nothing is sent; every request
    /// that is built comes back with its log row in [`ActionRun::log`], whatever its outcome,
    /// which the caller must write: the pipeline puts it in the message's transaction (one
    /// commit for both, see `ConversationWrite::action_logs`), and writes it alone if that
    /// write fails, so a run is never unlogged.
    pub async fn action_run(
        &self,
        stored: &StoredAction,
        values: &RunValues,
        conversation: Option<Id>,
    ) -> Result<ActionRun> {
        self.action_run_at(stored, values, conversation, false, crate::store::now())
            .await
    }

    async fn action_run_at(
        &self,
        stored: &StoredAction,
        values: &RunValues,
        conversation: Option<Id>,
        test: bool,
        at: DateTime<Utc>,
    ) -> Result<ActionRun> {
        let action = &stored.action;
        let Some(compiled) = &stored.compiled else {
            return Err(Error::conflict(
                format!(
                    "'{}' is a {} action: it sends no request of its own (try it in the \
                     Playground)",
                    action.name,
                    action.kind.as_str()
                ),
                None,
            ));
        };
        let secret = stored.secret(self)?;
        let built = run::build(action, compiled, secret, values)?;
        let request = built.shown.clone();
        let mut exchange = match run::client(action, compiled) {
            Ok(client) => run::execute(&client, built, action.max_response_bytes).await,
            Err(e) => return Err(Error::Internal(format!("action client: {e}"))),
        };
        let visitor_reply = run::reply(action, compiled, values, &mut exchange);
        let failed = exchange.outcome != ActionOutcome::Success;
        let log = NewActionLog {
            created_at: at,
            agent_id: action.agent_id,
            action_id: Some(action.id),
            action_name: action.name.clone(),
            conversation_id: conversation,
            test,
            request: request.clone(),
            request_truncated: false,
            response_status: exchange.response.as_ref().map(|r| r.status),
            response_headers: exchange
                .response
                .as_ref()
                .map(|r| r.headers.clone())
                .unwrap_or_default(),
            response_body: exchange.response.as_ref().map(|r| r.body.clone()),
            response_truncated: exchange.response.as_ref().is_some_and(|r| r.truncated),
            duration_ms: exchange.duration_ms,
            outcome: exchange.outcome,
            error: exchange.error.clone(),
            reached_conversation: false,
        }
        .bounded();
        if failed {
            tracing::info!(
                action = %action.name, outcome = exchange.outcome.as_str(),
                error = exchange.error.as_deref().unwrap_or(""), "action run failed"
            );
        }
        Ok(ActionRun {
            outcome: exchange.outcome,
            request,
            response: exchange.response,
            duration_ms: exchange.duration_ms,
            error: exchange.error,
            visitor_reply,
            handoff: failed && action.on_failure == ActionOnFailure::Handoff,
            log,
        })
    }

    /// The execution log of an agent (or one action), filtered, newest first.
    pub async fn action_log_list(&self, actor: &Actor, q: ActionLogQuery) -> Result<ActionLogPage> {
        actor.require(Permission::ReadConfig)?;
        let agent = match q.action_id {
            Some(id) => {
                let stored = self.stored_action(actor, id).await?;
                if let Some(requested) = q.agent_id {
                    if requested != stored.action.agent_id {
                        return Err(Error::invalid(
                            "action_id",
                            "other_agent",
                            "this action belongs to another agent",
                        ));
                    }
                }
                stored.action.agent_id
            }
            None => self.resolve_agent(actor, q.agent_id).await?,
        };
        let limit =
            crate::fields::page_limit(q.limit, validate::LOG_PAGE_DEFAULT, validate::LOG_PAGE_MAX)?;
        let mut entries = self
            .store()
            .action_log_list(agent, &q, i64::from(limit) + 1)
            .await?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next_before_id = if more {
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(ActionLogPage {
            entries,
            next_before_id,
        })
    }

    /// Deletes the execution log entries older than `retention_days` at `now` (what the
    /// server's worker calls; tests pass any clock); how many were deleted.
    pub async fn action_log_prune_at(
        &self,
        now: DateTime<Utc>,
        retention_days: u32,
    ) -> Result<u64> {
        let before = now - Duration::days(i64::from(retention_days));
        self.store().action_logs_prune(before).await
    }

    /// The stored action with its secret, for the pipeline step (which then calls
    /// [`Baton::action_run`]).
    pub async fn action_load(&self, id: Id) -> Result<StoredAction> {
        self.store()
            .action_get(id)
            .await?
            .ok_or(Error::not_found("action"))
    }
}
