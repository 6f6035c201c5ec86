//! The decision pipeline: what happens to each visitor message, step by step, each step
//! leaving a decision record an operator can read later ("why was this handed off?").

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
use super::timeline::{NewEvent, TimelineKind};
use crate::engine::builtin::{classify, keywords::KeywordMatcher};
use crate::engine::{
    Author, DecideInput, Engine, GuidelineKey, GuidelineSpec, PriorityInput, ProfileSpec,
    SummaryInput, Turn,
};
use crate::error::{Error, Problems, Result};
use crate::handoff::{hours, GenericGuidelineName, HandoffConfiguration};
use crate::store::conversations::{
    ConversationSnapshot, ConversationState, ConversationWrite, NewDecision, NewMessage, Written,
    KNOWLEDGE_HITS,
};
use crate::tokens::hash_token;
use crate::{Baton, Id};

pub const MESSAGE_MAX_CHARS: usize = 5000;
pub const ATTACHMENTS_MAX: usize = 10;
pub const ATTACHMENT_MAX_BYTES: u64 = 50 * 1024 * 1024;
pub const METADATA_MAX_KEYS: usize = 50;

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationStart {
    /// The agent to talk to (default: the default agent).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The website's own visitor id, if it has one.
    #[serde(default)]
    pub visitor_id: Option<String>,
    /// The visitor's IANA time zone, to tell them when people are back in their own time.
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

/// A new conversation and the secret that lets this visitor (and only them) continue it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorSession {
    pub conversation: Conversation,
    pub visitor_token: String,
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

/// Where a conversation stands when a trigger is on its way to a handoff (steps 7–10).
#[derive(Clone, Copy)]
struct Turning<'a> {
    cfg: &'a HandoffConfiguration,
    conv: &'a Conversation,
    /// The visitor-visible transcript, the new message included.
    transcript: &'a [Turn],
    /// The time the message is judged at (simulated in the playground).
    now: DateTime<Utc>,
}

impl Trigger {
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
        if !a.mime_type.contains('/') || a.mime_type.len() > 100 {
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
        if let Err(m) = crate::handoff::validate::check_timezone(tz) {
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
        p.max_chars(&format!("metadata.{k}"), k, 100);
        p.max_chars(&format!("metadata.{k}"), v, 1000);
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
        Ok(VisitorSession {
            conversation,
            visitor_token: token,
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
        let lock = {
            let mut locks = self
                .conversation_locks
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            locks.retain(|_, l| Arc::strong_count(l) > 1);
            locks.entry(id).or_default().clone()
        };
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
            let before = conversation.state(snapshot.pending.clone());
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

    /// Decides about `message` and writes the outcome: with the message itself when
    /// `with_message` (it is not stored yet), the new state, the replies, the decision records
    /// and the handoff notification, in one transaction guarded by `before`.
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
        if run.handoff {
            run.notification = self
                .handoff_notification(
                    &conversation.with_state(&run.state),
                    &run.compiled.cfg,
                    Some(message.text.as_str()).filter(|t| !t.is_empty()),
                )
                .await?;
        }
        let write = ConversationWrite {
            visitor: with_message.then_some((incoming, message.created_at)),
            replies: &run.replies,
            message_id: (!with_message).then_some(message.id),
            decisions: &run.decisions,
            notification: run.notification.as_ref(),
            events: &run.timeline,
            ..ConversationWrite::new(before, &run.state)
        };
        let written = self
            .store()
            .conversation_write(conversation.id, write)
            .await?;
        Ok((run, written))
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

    pub(crate) fn publish(&self, c: &Conversation, kind: LiveKind) {
        self.events().publish(LiveEvent {
            conversation_id: c.id,
            agent_id: c.agent_id,
            kind,
        });
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
        let at = Turning {
            cfg,
            conv,
            transcript: &transcript,
            now,
        };
        let text = message.text.as_str();
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
        };
        let mut run = Run {
            engine,
            compiled: compiled.clone(),
            notification: None,
            state: conv.state(pending.clone()),
            replies: Vec::new(),
            events: Vec::new(),
            decisions: Vec::new(),
            timeline: Vec::new(),
            handoff: false,
        };
        if run.state.language.is_none() {
            run.state.language = classify::language(text).map(str::to_owned);
        }

        // 1. With a person: store, let the assignee know (live event), the AI stays silent.
        if conv.status.with_person() {
            let t = Instant::now();
            run.rule(
                "with_person",
                "silent",
                "the conversation is with a person; the AI does not talk over the operator",
                t,
            );
            return Ok(run);
        }
        if conv.status == Status::Resolved {
            let t = Instant::now();
            run.state.status = Status::Ai;
            run.state.resolved_at = None;
            run.rule(
                "reopen",
                "reopened",
                "the visitor wrote again after the conversation was resolved",
                t,
            );
        }

        // Answers to a question we asked.
        match (conv.status, pending) {
            (Status::AwaitingConfirmation, Some(p)) => {
                let t = Instant::now();
                match classify::confirmation(text) {
                    Some(true) => {
                        run.rule("confirmation", "yes", "the visitor accepted the handoff", t);
                        let trigger = Trigger::resumed(p);
                        return self.handoff(run, &at, trigger).await;
                    }
                    Some(false) => {
                        run.rule(
                            "confirmation",
                            "no",
                            "the visitor declined the handoff; back to the AI",
                            t,
                        );
                        run.state.status = Status::Ai;
                        run.state.pending = None;
                        let reply = "No problem, I'm here to help. What else can I do for you?";
                        run.say(reply, VisitorEvent::Reply { text: reply.into() });
                        return Ok(run);
                    }
                    None => {
                        run.rule(
                            "confirmation",
                            "unclear",
                            "no clear yes or no; treated as a new message for the AI",
                            t,
                        );
                        run.state.status = Status::Ai;
                        run.state.pending = None;
                    }
                }
            }
            (Status::GatheringInfo, Some(mut p)) => {
                let t = Instant::now();
                if let Some(field) = p
                    .asked
                    .as_deref()
                    .and_then(|l| cfg.information_to_gather.iter().find(|f| f.label == l))
                {
                    match gather::extract(field, text, true) {
                        Some(v) => {
                            run.rule(
                                "gathering",
                                "collected",
                                format!("{} provided", field.label),
                                t,
                            );
                            run.state.gathered.insert(field.label.clone(), v);
                        }
                        // A clear refusal, or too many answers that are not one: go on without
                        // it rather than ask forever (the operator can ask in person).
                        None if classify::confirmation(text) == Some(false)
                            || p.attempts + 1 >= GATHER_MAX_ATTEMPTS =>
                        {
                            let why = if classify::confirmation(text) == Some(false) {
                                "the visitor declined to give"
                            } else {
                                "no valid answer after two requests for"
                            };
                            run.rule(
                                "gathering",
                                "skipped",
                                format!("{why} {}; handing off without it", field.label),
                                t,
                            );
                            p.skipped.push(field.label.clone());
                        }
                        None => {
                            run.rule(
                                "gathering",
                                "invalid",
                                format!("the answer is not a valid {}", field.label),
                                t,
                            );
                            let ask = format!("{} {}", gather::hint(field), field.prompt);
                            run.say(
                                &ask,
                                VisitorEvent::InformationRequest {
                                    field: field.label.clone(),
                                    prompt: ask.clone(),
                                },
                            );
                            p.attempts += 1;
                            run.state.pending = Some(p);
                            return Ok(run);
                        }
                    }
                }
                let trigger = Trigger::resumed(p);
                return self.gather_or_complete(run, &at, trigger).await;
            }
            // Outside working hours we offered to take a way to reach the visitor. The offer is
            // for this message only, and only while the team is still away.
            (Status::Ai, Some(p)) if p.asked.as_deref() == Some(FOLLOW_UP_CONTACT) => {
                let t = Instant::now();
                run.state.pending = None;
                let closed = cfg.settings.working_hours_active
                    && !hours::status(cfg, now, visitor_tz(conv))?.open;
                let lang = run.state.language.clone();
                let contact = gather::find_email(text)
                    .map(|e| ("Email", e))
                    .or_else(|| gather::find_contact_phone(text).map(|p| ("Phone", p)));
                let short = text.split_whitespace().count() <= 8;
                match contact {
                    Some((label, value)) if closed => {
                        run.rule(
                            "follow_up",
                            "contact_left",
                            format!(
                                "the visitor left their {} for the follow-up",
                                label.to_lowercase()
                            ),
                            t,
                        );
                        run.state.gathered.insert(label.into(), value.clone());
                        run.timeline.push(NewEvent {
                            kind: TimelineKind::ContactLeft,
                            actor_id: None,
                            operator_id: None,
                            from_operator_id: None,
                            routing_profile_id: None,
                            text: Some(value.clone()),
                        });
                        let reply = phrases::contact_noted(lang.as_deref(), &value);
                        run.say(
                            &reply,
                            VisitorEvent::Reply {
                                text: reply.clone(),
                            },
                        );
                        // A message that says more than the contact goes on through the
                        // pipeline: its question is answered, its request still counts.
                        if short {
                            return Ok(run);
                        }
                    }
                    // A short "no" declines; a longer message that starts with one is about more.
                    None if closed && short && classify::confirmation(text) == Some(false) => {
                        run.rule(
                            "follow_up",
                            "declined",
                            "the visitor prefers not to leave a contact",
                            t,
                        );
                        let reply = phrases::no_contact(lang.as_deref());
                        run.say(reply, VisitorEvent::Reply { text: reply.into() });
                        return Ok(run);
                    }
                    // Something else, or the team is back: an ordinary message.
                    _ => {}
                }
            }
            _ => {}
        }

        // 2. Keywords force a handoff, no question asked.
        let t = Instant::now();
        let mut trigger = None;
        match compiled.keywords.find(text) {
            Some(k) => {
                run.rule(
                    "keyword",
                    "triggered",
                    format!("the message contains the keyword \"{k}\""),
                    t,
                );
                trigger = Some(Trigger {
                    reason: format!("keyword \"{k}\""),
                    key: None,
                    keyword: Some(k.to_owned()),
                    ask: false,
                    skipped: Vec::new(),
                });
            }
            None if !cfg.settings.keywords.is_empty() => {
                run.rule("keyword", "none", "no handoff keyword in the message", t)
            }
            None => {}
        }

        // The agent's own answer, which also tells whether its knowledge base had one.
        let hits = match knowledge {
            Some(hits) => hits,
            None if text.is_empty() => Vec::new(),
            None => {
                self.store()
                    .knowledge_search(conv.agent_id, text, KNOWLEDGE_HITS)
                    .await?
            }
        };
        let answer = run
            .engine
            .answer(
                &compiled.description,
                instruction.as_deref(),
                history,
                text,
                &hits,
            )
            .await;
        run.record(
            "answer",
            if answer.value.found {
                "found"
            } else {
                "not_found"
            },
            if answer.value.from_instruction {
                "answered from the operator's instruction for this conversation".into()
            } else if answer.value.found {
                format!(
                    "answered from {} knowledge base entr{}",
                    hits.len(),
                    if hits.len() == 1 { "y" } else { "ies" }
                )
            } else {
                "the knowledge base has nothing on this".into()
            },
            &answer.engine,
            answer.latency_us,
        );

        // 3–4. Media and guidelines, judged by the engine.
        if trigger.is_none() {
            let guidelines = &compiled.guidelines;
            if guidelines.is_empty() {
                run.rule(
                    "guidelines",
                    "none",
                    "no guideline is active",
                    Instant::now(),
                );
            } else {
                let decision = run
                    .engine
                    .decide(&DecideInput {
                        message: text,
                        has_attachments: !message.attachments.is_empty(),
                        history,
                        guidelines,
                        answer: Some(&answer.value),
                        language: run.state.language.as_deref(),
                    })
                    .await;
                let d = decision.value;
                // Named as the operator knows them: a custom guideline by its name.
                let outcome = match d.trigger {
                    Some(GuidelineKey::Generic(g)) => g.as_str().to_owned(),
                    Some(key) => guideline_name(guidelines, key),
                    None => "none".into(),
                };
                let mut reason = d.reason.clone();
                if d.matched.len() > 1 {
                    let all: Vec<String> = d
                        .matched
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let name = guideline_name(guidelines, m.key).replace('_', " ");
                            if i == 0 {
                                name
                            } else {
                                format!("{name} ({})", m.reason)
                            }
                        })
                        .collect();
                    reason = format!("{reason}. Matched, most specific first: {}", all.join("; "));
                }
                run.record(
                    "guidelines",
                    outcome,
                    reason,
                    &decision.engine,
                    decision.latency_us,
                );
                if let Some(key) = d.trigger {
                    trigger = Some(Trigger {
                        reason: d.reason.clone(),
                        key: Some(key),
                        keyword: None,
                        ask: key != GuidelineKey::Generic(GenericGuidelineName::HumanRequest),
                        skipped: Vec::new(),
                    });
                }
            }
        }

        // 5. Unanswered questions in a row.
        let failed = if answer.value.found {
            0
        } else {
            run.state.failed_answers + 1
        };
        run.state.failed_answers = failed;
        let max = i64::from(cfg.settings.max_failed_answers);
        if trigger.is_none() && max > 0 && failed >= max {
            run.rule(
                "failed_answers",
                "triggered",
                format!("{failed} questions in a row without an answer"),
                Instant::now(),
            );
            trigger = Some(Trigger {
                reason: format!("{failed} questions in a row without an answer"),
                key: None,
                keyword: None,
                ask: false,
                skipped: Vec::new(),
            });
        }

        // 6. Handoff off: log only.
        if trigger.is_some() && !cfg.settings.is_active {
            run.rule(
                "handoff",
                "ignored",
                "human handoff is off: the trigger is only logged",
                Instant::now(),
            );
            trigger = None;
        }
        match trigger {
            Some(t) => self.handoff(run, &at, t).await,
            None => {
                run.say(
                    &answer.value.text,
                    VisitorEvent::Reply {
                        text: answer.value.text.clone(),
                    },
                );
                Ok(run)
            }
        }
    }

    /// 7–8. Working hours, then the question for guideline triggers.
    async fn handoff(&self, mut run: Run, at: &Turning<'_>, trigger: Trigger) -> Result<Run> {
        let Turning { cfg, conv, now, .. } = *at;
        let t = Instant::now();
        if cfg.settings.working_hours_active {
            let visitor_tz = visitor_tz(conv);
            let status = hours::status(cfg, now, visitor_tz)?;
            if !status.open {
                let local = status
                    .next_opening_visitor
                    .clone()
                    .or(status.next_opening_local.clone());
                let back = status
                    .next_opening
                    .zip(visitor_tz.or_else(|| cfg.settings.timezone.parse().ok()))
                    .map(|(at, tz)| {
                        format!(
                            "We are back {}.",
                            at.with_timezone(&tz).format("on %A %Y-%m-%d at %H:%M (%Z)")
                        )
                    });
                let lang = run.state.language.clone();
                let lang = lang.as_deref();
                let contact = ["Email", "Phone"]
                    .iter()
                    .find_map(|k| run.state.gathered.get(*k).cloned());
                // The owner's message the first time; after that, no canned repeat: where the
                // follow-up stands, and the offer to leave a contact until one is left.
                let text = match (conv.follow_up, &contact) {
                    (_, Some(c)) if conv.follow_up => phrases::already_noted(lang, c),
                    (true, _) => [
                        Some(phrases::still_closed(lang).to_owned()),
                        back,
                        Some(phrases::leave_contact(lang).into()),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                    (false, _) => {
                        let mut parts = vec![cfg
                            .settings
                            .confirmation_outside_working_hours_message
                            .clone()];
                        parts.extend(back);
                        if contact.is_none() {
                            parts.push(phrases::leave_contact(lang).into());
                        }
                        parts.join(" ")
                    }
                };
                run.rule(
                    "working_hours",
                    "closed",
                    format!(
                        "outside working hours; {}; marked for follow-up{}",
                        trigger.reason,
                        if contact.is_none() {
                            "; offered to take a contact"
                        } else {
                            ""
                        }
                    ),
                    t,
                );
                run.state.follow_up = true;
                run.state.status = Status::Ai;
                // Why the team should follow up, for the list and the timeline: the first
                // request's reason (later ones, e.g. unanswered questions, do not replace it).
                if !conv.follow_up {
                    run.state.handoff_reason = Some(trigger.reason.clone());
                    run.timeline.push(NewEvent {
                        kind: TimelineKind::FollowUp,
                        actor_id: None,
                        operator_id: None,
                        from_operator_id: None,
                        routing_profile_id: None,
                        text: Some(trigger.reason.clone()),
                    });
                }
                run.state.pending = contact.is_none().then(|| Pending {
                    reason: trigger.reason.clone(),
                    trigger: trigger.key,
                    keyword: trigger.keyword.clone(),
                    asked: Some(FOLLOW_UP_CONTACT.into()),
                    attempts: 0,
                    skipped: Vec::new(),
                });
                run.say(
                    &text,
                    VisitorEvent::OutOfHours {
                        text: text.clone(),
                        next_opening: status.next_opening,
                        next_opening_local: local,
                    },
                );
                return Ok(run);
            }
            run.rule("working_hours", "open", "within working hours", t);
        }
        if trigger.ask {
            run.rule(
                "question",
                "asked",
                format!("asking before handing off ({})", trigger.reason),
                Instant::now(),
            );
            run.state.status = Status::AwaitingConfirmation;
            run.state.pending = Some(Pending {
                reason: trigger.reason,
                trigger: trigger.key,
                keyword: trigger.keyword,
                asked: None,
                attempts: 0,
                skipped: trigger.skipped,
            });
            let q = cfg.settings.question_message.clone();
            run.say(&q, VisitorEvent::HandoffQuestion { text: q.clone() });
            return Ok(run);
        }
        self.gather_or_complete(run, at, trigger).await
    }

    /// 9. Information to gather, then 10. complete the handoff.
    async fn gather_or_complete(
        &self,
        mut run: Run,
        at: &Turning<'_>,
        trigger: Trigger,
    ) -> Result<Run> {
        let Turning {
            cfg, transcript, ..
        } = *at;
        let t = Instant::now();
        let visitor_text: Vec<&str> = transcript
            .iter()
            .filter(|m| m.author == Author::Visitor)
            .map(|m| m.text.as_str())
            .collect();
        for field in &cfg.information_to_gather {
            if run.state.gathered.contains_key(&field.label) {
                continue;
            }
            if let Some(v) = visitor_text
                .iter()
                .find_map(|m| gather::extract(field, m, false))
            {
                run.rule(
                    "gathering",
                    "found",
                    format!("{} taken from the conversation", field.label),
                    t,
                );
                run.state.gathered.insert(field.label.clone(), v);
            }
        }
        let missing = cfg.information_to_gather.iter().find(|f| {
            f.required
                && !run.state.gathered.contains_key(&f.label)
                && !trigger.skipped.contains(&f.label)
        });
        if let Some(field) = missing {
            run.rule(
                "gathering",
                "asking",
                format!("asking for {}", field.label),
                t,
            );
            run.state.status = Status::GatheringInfo;
            run.state.pending = Some(Pending {
                reason: trigger.reason,
                trigger: trigger.key,
                keyword: trigger.keyword,
                asked: Some(field.label.clone()),
                attempts: 0,
                skipped: trigger.skipped,
            });
            run.say(
                &field.prompt,
                VisitorEvent::InformationRequest {
                    field: field.label.clone(),
                    prompt: field.prompt.clone(),
                },
            );
            return Ok(run);
        }
        self.complete(run, at, trigger).await
    }

    async fn complete(&self, mut run: Run, at: &Turning<'_>, trigger: Trigger) -> Result<Run> {
        let Turning {
            cfg,
            conv,
            transcript,
            now,
        } = *at;
        run.state.status = Status::NeedsAgent;
        run.state.pending = None;
        run.state.handed_off_at = Some(Utc::now());
        run.state.handoff_reason = Some(trigger.reason.clone());
        run.state.follow_up = false;
        run.handoff = true;
        run.rule(
            "handoff",
            "completed",
            format!("handed off: {}", trigger.reason),
            Instant::now(),
        );
        let c = cfg.settings.confirmation_message.clone();
        run.say(&c, VisitorEvent::Confirmation { text: c.clone() });

        // Routing, then the least-loaded active operator of the matched profile.
        let profiles: Vec<ProfileSpec> = cfg
            .routing_profiles
            .iter()
            .filter(|p| p.is_active)
            .map(|p| ProfileSpec {
                id: p.id,
                name: p.name.clone(),
                description: p.description.clone(),
            })
            .collect();
        if !profiles.is_empty() {
            let route = run.engine.route(transcript, &profiles).await;
            // Names, not ids: the record is read by operators.
            let (outcome, reason) = match profiles
                .iter()
                .find(|p| Some(p.id) == route.value.profile_id)
            {
                Some(p) => ("routed", format!("to '{}': {}", p.name, route.value.reason)),
                None => ("none", route.value.reason.clone()),
            };
            run.record("routing", outcome, reason, &route.engine, route.latency_us);
            run.state.routing_profile_id = route.value.profile_id;
            if let Some(profile) = cfg
                .routing_profiles
                .iter()
                .find(|p| Some(p.id) == route.value.profile_id)
            {
                let t = Instant::now();
                let loads = self.store().operator_open_counts(&profile.user_ids).await?;
                // Fewest open conversations; ties go to the operator listed first.
                let pick = loads.iter().min_by_key(|(_, _, n)| *n);
                run.state.assignee_id = pick.map(|(id, _, _)| *id);
                match pick {
                    Some((_, name, _)) => run.rule(
                        "assignment",
                        "assigned",
                        format!(
                            "to {name}, the least busy active operator of '{}'",
                            profile.name
                        ),
                        t,
                    ),
                    None => run.rule(
                        "assignment",
                        "unassigned",
                        format!("'{}' has no active operator", profile.name),
                        t,
                    ),
                }
            }
        }

        if cfg.settings.auto_priority {
            let waiting = all_waiting_seconds(conv, now);
            let p = run
                .engine
                .priority(&PriorityInput {
                    transcript,
                    trigger: trigger.key,
                    keyword: trigger.keyword.as_deref(),
                    waiting_seconds: waiting,
                })
                .await;
            run.record(
                "priority",
                p.value.0.as_str(),
                &p.value.1,
                &p.engine,
                p.latency_us,
            );
            run.state.priority = Some(p.value.0);
        }
        if cfg.settings.ai_summary_active {
            let gathered: Vec<(String, String)> = run
                .state
                .gathered
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let s = run
                .engine
                .summarize(&SummaryInput {
                    transcript,
                    gathered: &gathered,
                    trigger: &trigger.reason,
                })
                .await;
            run.record(
                "summary",
                "written",
                "summary for the operator",
                &s.engine,
                s.latency_us,
            );
            run.state.ai_summary = Some(s.value);
        }
        Ok(run)
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
