//! The decision pipeline: what happens to each visitor message, step by step, each step
//! leaving a decision record an operator can read later ("why was this handed off?"). The
//! steps themselves are in `steps.rs`; this module runs them in order and writes the outcome.

mod steps;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::events::{LiveEvent, LiveKind};
use super::gather;
use super::model::*;
use super::phrases;

pub(crate) mod actions;
mod buttons;
mod leads;
mod webhooks;
use super::timeline::{NewEvent, TimelineKind};
use crate::engine::builtin::{classify, keywords::KeywordMatcher};
use crate::engine::{
    Author, DecideInput, Engine, GuidelineKey, GuidelineSpec, PriorityInput, ProfileSpec,
    SummaryInput, Turn,
};
use crate::error::{Error, Problems, Result};
use crate::handoff::{hours, GenericGuidelineName, HandoffConfiguration};
use crate::store::conversations::{
    ConversationSnapshot, ConversationWrite, Written, KNOWLEDGE_HITS,
};
use crate::tokens::hash_token;
use crate::{Baton, Id};

pub const MESSAGE_MAX_CHARS: usize = 5000;
pub const ATTACHMENTS_MAX: usize = 10;
pub const ATTACHMENT_MAX_BYTES: u64 = 50 * 1024 * 1024;
pub const METADATA_MAX_KEYS: usize = 50;
pub const METADATA_KEY_MAX_CHARS: usize = 100;
pub const METADATA_VALUE_MAX_CHARS: usize = 1000;
pub const MIME_TYPE_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationStart {
    /// The agent to talk to (default: the default agent).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    #[serde(default)]
    #[ts(optional)]
    pub channel: Option<Channel>,
    /// The website's own visitor id, if it has one.
    #[serde(default)]
    #[ts(optional)]
    pub visitor_id: Option<String>,
    /// The visitor's IANA time zone, to tell them when people are back in their own time.
    #[serde(default)]
    #[ts(optional)]
    pub timezone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

/// A new conversation and the secret that lets this visitor (and only them) continue it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorSession {
    pub conversation: Conversation,
    pub visitor_token: String,
    /// The contact form to show as the chat opens (set to appear at start), if any.
    pub contact_form: Option<crate::leads::model::ContactFormView>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorMessageInput {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Playground only: evaluate working hours as if it were this instant.
    #[serde(default)]
    #[ts(optional)]
    pub simulated_at: Option<DateTime<Utc>>,
}

/// What the agent answered, typed, and where the conversation now stands.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorReply {
    pub message: Message,
    pub events: Vec<VisitorEvent>,
    pub status: Status,
}

/// An agent's configuration as the pipeline uses it, prepared once per version of it: the
/// configuration, the agent's description, the keyword automaton and the active guidelines.
pub(crate) struct CompiledConfig {
    cfg: HandoffConfiguration,
    description: String,
    keywords: KeywordMatcher,
    guidelines: Vec<GuidelineSpec>,
}

/// Compiled configurations per agent, with the configuration version they were built from
/// (`ConversationSnapshot::config_version`, read with the conversation on every message, so a
/// change made by any process is seen by the next message).
#[derive(Clone, Default)]
pub(crate) struct ConfigCache(Arc<Mutex<HashMap<Id, Versioned>>>);

/// A compiled configuration and the version it was compiled from.
type Versioned = (i64, Arc<CompiledConfig>);

impl ConfigCache {
    fn get(&self, agent: Id, version: i64) -> Option<Arc<CompiledConfig>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&agent)
            .filter(|(v, _)| *v == version)
            .map(|(_, c)| c.clone())
    }

    fn put(&self, agent: Id, version: i64, compiled: Arc<CompiledConfig>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(agent, (version, compiled));
    }
}

/// A handoff trigger on its way through the pipeline.
#[derive(Debug, Clone)]
struct Trigger {
    reason: String,
    key: Option<GuidelineKey>,
    keyword: Option<String>,
    /// Ask `question_message` first (guideline triggers); explicit requests and keywords don't.
    ask: bool,
    /// Information fields the visitor declined or could not give.
    skipped: Vec<String>,
}

/// What every step reads about the message being decided: the configuration, the
/// conversation as read, the message and its transcript, and the time.
#[derive(Clone, Copy)]
struct Turning<'a> {
    cfg: &'a HandoffConfiguration,
    compiled: &'a CompiledConfig,
    conv: &'a Conversation,
    /// The visitor-visible transcript, the new message included.
    transcript: &'a [Turn],
    /// The transcript before the new message.
    history: &'a [Turn],
    message: &'a Message,
    text: &'a str,
    /// The operator's private instruction for this conversation (a hand-back).
    instruction: Option<&'a str>,
    /// The time the message is judged at (simulated in the playground).
    now: DateTime<Utc>,
    /// The agent's lead capture settings, if saved.
    leads: Option<&'a crate::leads::settings::LeadSettings>,
}

/// What a step decided about the message.
enum Step {
    /// On to the next step.
    Next,
    /// Settled: the run is the outcome.
    Done,
    /// A handoff under way goes on at working hours and the question (7–8)…
    HandOff(Trigger),
    /// … or at information gathering (9).
    Gather(Trigger),
}

impl Trigger {
    /// The handoff under way, kept between messages while the visitor is asked `asked` (an
    /// information field, the contact offer; None: the handoff question).
    fn pending(self, asked: Option<String>) -> Pending {
        Pending {
            reason: self.reason,
            trigger: self.key,
            keyword: self.keyword,
            asked,
            attempts: 0,
            skipped: self.skipped,
            action: None,
        }
    }

    /// The trigger of a handoff under way (asked, or gathering information), going on.
    fn resumed(p: Pending) -> Trigger {
        Trigger {
            reason: p.reason,
            key: p.trigger,
            keyword: p.keyword,
            ask: false,
            skipped: p.skipped,
        }
    }
}

/// `Pending::asked` while the agent waits for a contact left outside working hours.
pub const FOLLOW_UP_CONTACT: &str = "follow-up contact";

/// Invalid answers to one information request before the handoff goes on without the field.
pub const GATHER_MAX_ATTEMPTS: u32 = 2;

/// Everything one message's processing produces, written at the end in one transaction.
struct Run {
    engine: Engine,
    /// The configuration the decisions were made with.
    compiled: Arc<CompiledConfig>,
    /// The handoff email, queued with the state.
    notification: Option<crate::notify::Email>,
    state: ConversationState,
    replies: Vec<NewMessage>,
    events: Vec<VisitorEvent>,
    decisions: Vec<NewDecision>,
    /// Timeline entries no state change shows (a contact left for the follow-up).
    timeline: Vec<NewEvent>,
    handoff: bool,
    /// Execution-log rows of the actions run, written with the replies (see
    /// [`Baton::action_run`]).
    action_logs: Vec<crate::actions::model::NewActionLog>,
    /// Outbox jobs queued with the outcome (an agent-triggered webhook's delivery).
    jobs: Vec<crate::outbox::Job>,
    /// The lead to feed with the write, from gathering.
    lead_feed: Option<crate::store::conversations::LeadFeed>,
    /// Gathering completed with details: the lead email follows the write.
    lead_captured: bool,
    /// The visitor just declined or passed over a request: no new one in this reply.
    lead_quiet: bool,
}

impl Run {
    fn record(
        &mut self,
        step: &'static str,
        outcome: impl Into<String>,
        reason: impl Into<String>,
        engine: &str,
        latency_us: i64,
    ) {
        self.decisions.push(NewDecision {
            step,
            outcome: outcome.into(),
            reason: reason.into(),
            engine: engine.into(),
            latency_us,
        });
    }

    fn rule(
        &mut self,
        step: &'static str,
        outcome: impl Into<String>,
        reason: impl Into<String>,
        started: Instant,
    ) {
        let us = started.elapsed().as_micros().min(i64::MAX as u128) as i64;
        self.record(step, outcome, reason, "rules", us);
    }

    fn say(&mut self, text: &str, event: VisitorEvent) {
        self.replies.push(NewMessage {
            author: Author::Ai,
            operator_id: None,
            text: text.to_owned(),
            attachments: Vec::new(),
            internal: false,
        });
        self.events.push(event);
    }
}

fn validate_message(input: &VisitorMessageInput) -> Result<()> {
    let mut p = Problems::new();
    if input.text.trim().is_empty() && input.attachments.is_empty() {
        p.push("text", "required", "a message needs text or an attachment");
    }
    p.max_chars("text", &input.text, MESSAGE_MAX_CHARS);
    if input.attachments.len() > ATTACHMENTS_MAX {
        p.push(
            "attachments",
            "too_many",
            format!("at most {ATTACHMENTS_MAX} attachments"),
        );
    }
    for (i, a) in input.attachments.iter().enumerate() {
        p.not_blank(&format!("attachments[{i}].name"), &a.name);
        p.max_chars(&format!("attachments[{i}].name"), &a.name, 255);
        if !a.mime_type.contains('/') || a.mime_type.chars().count() > MIME_TYPE_MAX_CHARS {
            p.push(
                format!("attachments[{i}].mime_type"),
                "invalid",
                "must be a MIME type like image/png",
            );
        }
        if a.size > ATTACHMENT_MAX_BYTES {
            p.push(
                format!("attachments[{i}].size"),
                "too_large",
                "at most 50 MiB",
            );
        }
    }
    p.into_result()
}

fn validate_start(input: &ConversationStart) -> Result<()> {
    let mut p = Problems::new();
    if let Some(v) = &input.visitor_id {
        p.max_chars("visitor_id", v, 200);
    }
    if let Some(tz) = &input.timezone {
        if let Err(m) = crate::fields::check_timezone(tz) {
            p.push("timezone", "invalid_timezone", m);
        }
    }
    if let Some(l) = &input.language {
        p.max_chars("language", l, 35);
    }
    if input.metadata.len() > METADATA_MAX_KEYS {
        p.push(
            "metadata",
            "too_many",
            format!("at most {METADATA_MAX_KEYS} keys"),
        );
    }
    for (k, v) in &input.metadata {
        p.max_chars(&format!("metadata.{k}"), k, METADATA_KEY_MAX_CHARS);
        p.max_chars(&format!("metadata.{k}"), v, METADATA_VALUE_MAX_CHARS);
    }
    p.into_result()
}

fn new_visitor_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!("v_{}", hex::encode(b))
}

impl Baton {
    /// Starts a conversation for a website visitor (no operator credentials involved).
    pub async fn conversation_start(&self, input: ConversationStart) -> Result<VisitorSession> {
        validate_start(&input)?;
        let agent = match input.agent_id {
            Some(id) => {
                self.store()
                    .agent_get(id)
                    .await?
                    .ok_or(Error::not_found("agent"))?
                    .id
            }
            None => self
                .store()
                .agent_default_id()
                .await?
                .ok_or(Error::not_found("default agent"))?,
        };
        let token = new_visitor_token();
        let visitor_id = input
            .visitor_id
            .clone()
            .unwrap_or_else(|| token[2..14].to_owned());
        let conversation = self
            .store()
            .conversation_insert(
                agent,
                input.channel.unwrap_or(Channel::Widget),
                &visitor_id,
                &hash_token(&token),
                input.timezone.as_deref(),
                &input.metadata,
                input.language.as_deref(),
            )
            .await?;
        let contact_form = self.contact_form_at_start(agent).await?;
        Ok(VisitorSession {
            conversation,
            visitor_token: token,
            contact_form,
        })
    }

    /// The conversation behind a visitor token, or 404 (never revealing whether the id exists).
    pub async fn conversation_for_visitor(&self, id: Id, token: &str) -> Result<Conversation> {
        self.store()
            .conversation_for_visitor(id, &hash_token(token))
            .await?
            .ok_or(Error::not_found("conversation"))
    }

    pub async fn visitor_messages(&self, id: Id, token: &str) -> Result<Vec<Message>> {
        let c = self.conversation_for_visitor(id, token).await?;
        self.store().messages_list(c.id, false).await
    }

    /// Stores a visitor message and runs the decision pipeline on it.
    pub async fn visitor_message(
        &self,
        id: Id,
        token: &str,
        input: VisitorMessageInput,
    ) -> Result<VisitorReply> {
        validate_message(&input)?;
        let playground_only = |c: &Conversation| {
            if input.simulated_at.is_some() && c.channel != Channel::Playground {
                return Err(Error::invalid(
                    "simulated_at",
                    "playground_only",
                    "a simulated time is only accepted in the playground",
                ));
            }
            Ok(())
        };
        // One message at a time per conversation, so that decisions see each other's effects.
        let lock = self.conversation_lock_of(id);
        let _guard = match lock.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Busy with another message: check the token before waiting for it.
                playground_only(&self.conversation_for_visitor(id, token).await?)?;
                lock.lock().await
            }
        };
        // The token is checked again here, in the query that reads the conversation.
        let token_hash = hash_token(token);
        let read = || async {
            self.store()
                .conversation_snapshot(id, &token_hash, Some(input.text.trim()))
                .await?
                .ok_or(Error::not_found("conversation"))
        };
        let mut snapshot = read().await?;
        playground_only(&snapshot.conversation)?;
        let incoming = NewMessage {
            author: Author::Visitor,
            operator_id: None,
            text: input.text.trim().to_owned(),
            attachments: input.attachments.clone(),
            internal: false,
        };
        let now = input.simulated_at.unwrap_or_else(Utc::now);
        let received = crate::store::now();
        // A model may take seconds: its message is stored and shown live first, and the
        // decisions follow. The built-in engine decides in microseconds: the message, the new
        // state, the answer and the decision records are stored together, in one transaction.
        let stored = if snapshot.engine_kind.as_deref() == Some("openai") {
            let message = self.store().message_insert(id, &incoming).await?;
            self.publish(
                &snapshot.conversation,
                LiveKind::Message {
                    message: message.clone(),
                },
            );
            Some(message)
        } else {
            None
        };
        let draft = stored.clone().unwrap_or_else(|| Message {
            id: 0,
            conversation_id: id,
            author: incoming.author,
            operator_id: None,
            operator_name: None,
            text: incoming.text.clone(),
            attachments: incoming.attachments.clone(),
            internal: false,
            created_at: received,
        });
        let mut attempt = 0;
        let (conversation, run, written) = loop {
            let conversation = snapshot.conversation.clone();
            let before = snapshot.state();
            let result = self
                .decide_and_write(snapshot, &draft, &incoming, stored.is_none(), &before, now)
                .await;
            match result {
                Ok((run, written)) => break (conversation, run, written),
                // An operator took the conversation over (or handed it back, or resolved it)
                // while this message was being decided: decide again on what it is now.
                Err(Error::Conflict { .. }) if attempt < 3 => {
                    attempt += 1;
                    snapshot = read().await?;
                    if stored.is_some() {
                        // The snapshot now holds the stored message; the pipeline adds it.
                        snapshot.transcript.pop();
                    }
                }
                Err(e) => match &stored {
                    // The message is stored: never leave it unanswered.
                    Some(message) => {
                        return self
                            .pipeline_failed(&conversation, &before, message, e)
                            .await;
                    }
                    None => return Err(e),
                },
            }
        };
        let Run {
            state,
            events,
            handoff,
            notification,
            ..
        } = run;
        let stored_with_decisions = stored.is_none();
        let message = match (stored, written.visitor) {
            (Some(m), _) | (None, Some(m)) => m,
            (None, None) => return Err(Error::Internal("the message was not stored".into())),
        };
        if stored_with_decisions {
            // Not shown live yet: it was stored just now, with the decisions.
            self.publish(
                &conversation,
                LiveKind::Message {
                    message: message.clone(),
                },
            );
        }
        for m in written.replies {
            self.publish(&conversation, LiveKind::Message { message: m });
        }
        for e in &events {
            self.publish(&conversation, LiveKind::Visitor { event: e.clone() });
        }
        if state.status != conversation.status || state.assignee_id != conversation.assignee_id {
            self.publish(
                &conversation,
                LiveKind::Updated {
                    status: state.status,
                    assignee_id: state.assignee_id,
                    priority: state.priority,
                },
            );
        }
        if handoff {
            self.publish(
                &conversation,
                LiveKind::Handoff {
                    reason: state.handoff_reason.clone().unwrap_or_default(),
                    priority: state.priority,
                    assignee_id: state.assignee_id,
                    routing_profile_id: state.routing_profile_id,
                },
            );
        }
        if notification.is_some() {
            self.notifications_wake();
        }
        Ok(VisitorReply {
            message,
            events,
            status: state.status,
        })
    }

    /// The lock that keeps one visitor action at a time per conversation.
    fn conversation_lock_of(&self, id: Id) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .conversation_locks
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        locks.retain(|_, l| Arc::strong_count(l) > 1);
        locks.entry(id).or_default().clone()
    }

    /// Waits for conversation `id`'s turn (a message, a form submission) and holds it.
    pub(crate) async fn conversation_lock(&self, id: Id) -> tokio::sync::OwnedMutexGuard<()> {
        self.conversation_lock_of(id).lock_owned().await
    }

    /// Decides about `message` and writes the outcome: with the message itself when
    /// `with_message` (it is not stored yet), the new state, the replies, the decision records,
    /// the handoff notification and the run's outbox jobs, in one transaction guarded by
    /// `before`.
    async fn decide_and_write(
        &self,
        snapshot: ConversationSnapshot,
        message: &Message,
        incoming: &NewMessage,
        with_message: bool,
        before: &ConversationState,
        now: DateTime<Utc>,
    ) -> Result<(Run, Written)> {
        let conversation = snapshot.conversation.clone();
        let mut run = self.decide_message(snapshot, message, now).await?;
        if run.engine.opened_now() {
            // Best effort: the visitor's answer does not wait on, or fail with, this email.
            if let Err(e) = self
                .engine_down_notify(conversation.agent_id, &run.engine)
                .await
            {
                tracing::warn!(error = %e, "could not queue the model-down email");
            }
        }
        if run.handoff {
            let notification = self
                .handoff_notification(
                    &conversation.with_state(&run.state),
                    &run.compiled.cfg,
                    Some(message.text.as_str()).filter(|t| !t.is_empty()),
                )
                .await;
            run.notification = self.or_log_alone(notification, &run.action_logs).await?;
        }
        let write = ConversationWrite {
            visitor: with_message.then_some((incoming, message.created_at)),
            replies: &run.replies,
            message_id: (!with_message).then_some(message.id),
            decisions: &run.decisions,
            notification: run.notification.as_ref(),
            jobs: &run.jobs,
            events: &run.timeline,
            lead: run.lead_feed.clone(),
            action_logs: &run.action_logs,
            ..ConversationWrite::new(before, &run.state)
        };
        let written = self
            .store()
            .conversation_write(conversation.id, write)
            .await;
        let written = self.or_log_alone(written, &run.action_logs).await?;
        if run.lead_captured {
            if let Some((lead, _)) = written.lead {
                self.lead_captured(conversation.id, lead).await;
            } else if let Some(lead) = self.store().lead_of_conversation(conversation.id).await? {
                self.lead_captured(conversation.id, lead).await;
            }
        }
        Ok((run, written))
    }

    /// `r`, after writing `logs` on their own when it is an error: the write that was to carry
    /// them will not, and a run is never unlogged. They did not reach the conversation.
    async fn or_log_alone<T>(
        &self,
        r: Result<T>,
        logs: &[crate::actions::model::NewActionLog],
    ) -> Result<T> {
        if r.is_err() {
            for log in logs {
                let log = crate::actions::model::NewActionLog {
                    reached_conversation: false,
                    ..log.clone()
                };
                if let Err(e) = self.store().action_log_insert(&log).await {
                    tracing::error!(error = %e, action = %log.action_name, "cannot log an action run");
                }
            }
        }
        r
    }

    /// The pipeline failed after the visitor's message was stored: the visitor still gets an
    /// answer (unless a person has the conversation), the conversation is marked for
    /// follow-up, and the failure is on record.
    async fn pipeline_failed(
        &self,
        conversation: &Conversation,
        before: &ConversationState,
        message: &Message,
        error: Error,
    ) -> Result<VisitorReply> {
        tracing::error!(conversation = conversation.id, error = %error, "the decision pipeline failed");
        let state = ConversationState {
            follow_up: true,
            ..before.clone()
        };
        let with_person = conversation.status.with_person();
        let text = "Sorry, I could not process your message just now. \
                    A member of our team will follow up.";
        let mut replies = Vec::new();
        let mut events = Vec::new();
        if !with_person {
            replies.push(NewMessage {
                author: Author::Ai,
                operator_id: None,
                text: text.into(),
                attachments: Vec::new(),
                internal: false,
            });
            events.push(VisitorEvent::Reply { text: text.into() });
        }
        let decisions = [NewDecision {
            step: "error",
            outcome: "failed".into(),
            reason: format!(
                "the decision pipeline failed ({}); marked for follow-up",
                error.public_message()
            ),
            engine: "rules".into(),
            latency_us: 0,
        }];
        let write = ConversationWrite {
            replies: &replies,
            message_id: Some(message.id),
            decisions: &decisions,
            ..ConversationWrite::new(before, &state)
        };
        // If even this fails, the error that started it is the one to report.
        let Ok(written) = self
            .store()
            .conversation_write(conversation.id, write)
            .await
        else {
            return Err(error);
        };
        for m in written.replies {
            self.publish(conversation, LiveKind::Message { message: m });
        }
        for e in &events {
            self.publish(conversation, LiveKind::Visitor { event: e.clone() });
        }
        Ok(VisitorReply {
            message: message.clone(),
            events,
            status: conversation.status,
        })
    }

    /// To this process's live streams, and the other processes' on the same PostgreSQL
    /// database (see [`crate::cluster`]).
    pub(crate) fn publish(&self, c: &Conversation, kind: LiveKind) {
        let event = LiveEvent {
            conversation_id: c.id,
            agent_id: c.agent_id,
            kind,
        };
        self.relay.send(|| crate::cluster::Note::Event {
            o: self.origin,
            e: event.clone(),
        });
        self.events().publish(event);
    }

    /// The agent's configuration, compiled, from the cache when `version` is still current.
    async fn compiled_config(
        &self,
        agent: Id,
        version: Option<i64>,
    ) -> Result<Arc<CompiledConfig>> {
        if let Some(c) = version.and_then(|v| self.configs.get(agent, v)) {
            return Ok(c);
        }
        let cfg = self
            .store()
            .handoff_config(agent)
            .await?
            .ok_or(Error::not_found("agent"))?;
        let description = self
            .store()
            .agent_get(agent)
            .await?
            .ok_or(Error::not_found("agent"))?
            .description;
        let compiled = Arc::new(CompiledConfig {
            keywords: KeywordMatcher::new(&cfg.settings.keywords),
            guidelines: active_guidelines(&cfg),
            description,
            cfg,
        });
        // Read after the version: if the configuration changed in between, the next message
        // sees a newer version and compiles again.
        if let Some(v) = version {
            self.configs.put(agent, v, compiled.clone());
        }
        Ok(compiled)
    }

    async fn decide_message(
        &self,
        snapshot: ConversationSnapshot,
        message: &Message,
        now: DateTime<Utc>,
    ) -> Result<Run> {
        let ConversationSnapshot {
            conversation,
            pending,
            instruction,
            mut transcript,
            config_version,
            engine_updated_at,
            knowledge,
            lead,
            lead_settings,
            button_groups,
            ..
        } = snapshot;
        let conv = &conversation;
        let compiled = self.compiled_config(conv.agent_id, config_version).await?;
        let cfg = &compiled.cfg;
        // The snapshot was read before this message was stored.
        transcript.push(Turn {
            author: message.author,
            text: message.text.clone(),
        });
        let history: &[Turn] = transcript.split_last().map_or(&[], |(_, h)| h);
        let text = message.text.as_str();
        let at = Turning {
            cfg,
            conv,
            transcript: &transcript,
            now,
            compiled: &compiled,
            message,
            text,
            history,
            instruction: instruction.as_deref(),
            leads: lead_settings.as_ref(),
        };
        let cached_engine = {
            let engines = self.engines.lock().await;
            engines
                .get(&conv.agent_id)
                .filter(|(stamp, _)| *stamp == engine_updated_at)
                .map(|(_, e)| e.clone())
        };
        let engine = match cached_engine {
            Some(e) => e,
            None => self.engine_for(conv.agent_id).await?,
        }
        .for_message();
        let run = Run {
            engine,
            compiled: compiled.clone(),
            notification: None,
            state: ConversationState {
                lead,
                ..conv.state(pending.clone())
            },
            replies: Vec::new(),
            events: Vec::new(),
            decisions: Vec::new(),
            timeline: Vec::new(),
            handoff: false,
            action_logs: Vec::new(),
            jobs: Vec::new(),
            lead_feed: None,
            lead_captured: false,
            lead_quiet: false,
        };
        let mut run = self.decide_steps(run, &at, pending, knowledge).await?;
        self.lead_after_reply(&mut run, &at);
        self.buttons_after_reply(&mut run, &at, &button_groups)
            .await;
        self.first_answer_buttons(&mut run, &at).await;
        Ok(run)
    }

    /// The handoff after an action failed (`logs` its run's rows, taken out of `run`): the
    /// rows go back into the run for its write, or are written alone if the handoff fails.
    async fn handoff_logged(
        &self,
        run: Run,
        at: &Turning<'_>,
        t: Trigger,
        logs: Vec<crate::actions::model::NewActionLog>,
    ) -> Result<Run> {
        let mut run = self
            .or_log_alone(self.handoff(run, at, t).await, &logs)
            .await?;
        run.action_logs.extend(logs);
        Ok(run)
    }

    /// The steps of [`Baton::decide_message`], in order.
    async fn decide_steps(
        &self,
        mut run: Run,
        at: &Turning<'_>,
        pending: Option<Pending>,
        knowledge: Option<Vec<crate::engine::KnowledgeHit>>,
    ) -> Result<Run> {
        let text = at.text;
        if run.state.language.is_none() {
            run.state.language = classify::language(text).map(str::to_owned);
        }

        // The steps, in the order docs/api.md lists them (each in `steps.rs`, each leaving its
        // decision record). A step that settles the message ends the list; a trigger found on
        // the way goes on to the handoff steps (7–10).
        if self.step_with_person(&mut run, at) {
            return Ok(run);
        }
        self.step_reopen(&mut run, at);
        match self.step_pending_answer(&mut run, at, pending).await? {
            Step::Next => {}
            Step::Done => return Ok(run),
            Step::HandOff(t) => {
                let logs = std::mem::take(&mut run.action_logs);
                return self.handoff_logged(run, at, t, logs).await;
            }
            Step::Gather(t) => return self.gather_or_complete(run, at, t).await,
        }
        // Lead capture: the answer to the agent's request for a detail, then any detail the
        // message holds.
        if let Step::Done = self.step_lead_answer(&mut run, at) {
            return Ok(run);
        }
        self.step_lead_notice(&mut run, at);
        let mut trigger = self.step_keyword(&mut run, at);
        if trigger.is_none() {
            match self.step_action(&mut run, at).await? {
                Step::Next => {}
                Step::Done => return Ok(run),
                Step::HandOff(t) => {
                    let logs = std::mem::take(&mut run.action_logs);
                    return self.handoff_logged(run, at, t, logs).await;
                }
                Step::Gather(t) => return self.gather_or_complete(run, at, t).await,
            }
            if self.step_webhook(&mut run, at).await? {
                return Ok(run);
            }
        }
        let answer = self.step_answer(&mut run, at, knowledge).await?.value;
        if trigger.is_none() {
            trigger = self.step_guidelines(&mut run, at, &answer).await;
        }
        let unanswered = self.step_failed_answers(&mut run, at, &answer, trigger.is_some());
        let trigger = self.step_handoff_off(&mut run, at, trigger.or(unanswered));
        match trigger {
            Some(t) => self.handoff(run, at, t).await,
            None => {
                run.say(
                    &answer.text,
                    VisitorEvent::Reply {
                        text: answer.text.clone(),
                    },
                );
                Ok(run)
            }
        }
    }
}

/// The visitor's time zone, when they gave a valid one.
fn visitor_tz(conv: &Conversation) -> Option<chrono_tz::Tz> {
    conv.visitor_timezone
        .as_deref()
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok())
}

fn all_waiting_seconds(conv: &Conversation, now: DateTime<Utc>) -> i64 {
    (now - conv.created_at).num_seconds().max(0)
}

/// A guideline as operators know it: a generic one by its name (`lack_of_knowledge`), a
/// custom one by the name it was given.
fn guideline_name(guidelines: &[GuidelineSpec], key: GuidelineKey) -> String {
    match key {
        GuidelineKey::Generic(g) => g.as_str().to_owned(),
        GuidelineKey::Custom(id) => guidelines
            .iter()
            .find(|g| g.key == key)
            .map_or_else(|| format!("custom guideline {id}"), |g| g.name.clone()),
    }
}

/// The active guidelines of a configuration, as the engines see them.
pub fn active_guidelines(cfg: &HandoffConfiguration) -> Vec<GuidelineSpec> {
    let mut out: Vec<GuidelineSpec> = cfg
        .generic_guidelines
        .iter()
        .filter(|g| g.is_active)
        .map(|g| GuidelineSpec {
            key: GuidelineKey::Generic(g.name),
            name: g.name.as_str().to_owned(),
            description: g.description.clone(),
            examples: Vec::new(),
        })
        .collect();
    out.extend(
        cfg.custom_guidelines
            .iter()
            .filter(|g| g.is_active)
            .map(|g| GuidelineSpec {
                key: GuidelineKey::Custom(g.id),
                name: g.name.clone(),
                description: g.description.clone(),
                examples: g.examples.clone(),
            }),
    );
    out
}
