//! The agent-triggered webhooks step of the pipeline (AIBotKit's webhook action): an active
//! endpoint with a description is an action the agent takes when the visitor's message calls
//! for what the description says ("I'd like a callback about my invoice" → the CRM's ticket
//! hook). Its `action.triggered` delivery goes into the outbox with the message's own write
//! (`Run::jobs`; the store records the trigger beside it), the visitor is told the endpoint's
//! success message, and an endpoint is triggered at most once per conversation.

use std::time::Instant;

use super::*;
use crate::engine::{ActionChoice, ActionChoiceInput, ActionSpec};

/// The endpoint the engine chose, and why.
struct Chosen {
    index: usize,
    reason: String,
}
use crate::outbox::Job;
use crate::webhooks::model::{
    ConversationRef, EventBody, EventData, VisitorRef, WebhookEvent, WebhookJob,
};

/// The visitor's name, email and phone as the conversation holds them.
#[derive(Debug, Default, PartialEq)]
struct Lead {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl Baton {
    /// After custom actions: the active endpoint with a description that the message calls
    /// for (the built-in action matcher over its name and description). True when it settled
    /// the message (triggered: the success message is the answer); an endpoint already
    /// triggered in this conversation is recorded and the message goes on.
    pub(super) async fn step_webhook(&self, run: &mut Run, at: &Turning<'_>) -> Result<bool> {
        let Turning {
            conv,
            text,
            transcript,
            ..
        } = *at;
        if text.trim().is_empty() {
            return Ok(false);
        }
        let endpoints = self.store().webhook_actions(conv.agent_id, conv.id).await?;
        if endpoints.is_empty() {
            return Ok(false);
        }
        let t = Instant::now();
        let specs: Vec<ActionSpec<'_>> = endpoints
            .iter()
            .map(|(w, _)| ActionSpec {
                name: &w.name,
                description: &w.description,
                when_not_to_use: "",
                examples: &[],
                parameters: &[],
            })
            .collect();
        // The agent's engine decides, as for HTTP actions: the built-in matcher, or the model
        // with the endpoints as tools (without parameters).
        let chosen = run
            .engine
            .choose_action(&ActionChoiceInput {
                actions: &specs,
                history: at.history,
                message: text,
                language: run.state.language.as_deref(),
            })
            .await;
        if let Some(why) = &chosen.fallback {
            run.rule(
                "webhook",
                "fallback",
                format!("the model's webhook choice was not used: {why}"),
                t,
            );
        }
        let chooser = chosen.engine;
        let ActionChoice::Call { index, reason, .. } = chosen.value else {
            return Ok(false);
        };
        let m = Chosen { index, reason };
        let (endpoint, triggered) = &endpoints[m.index];
        if *triggered {
            run.rule(
                "webhook",
                "already_triggered",
                format!(
                    "{}; webhook '{}' was already triggered in this conversation (once per \
                     conversation), so the message is answered as usual",
                    m.reason, endpoint.name
                ),
                t,
            );
            return Ok(false);
        }

        let lead = lead(at, &run.state.gathered);
        // The record names who chose it (and, with a summary, who wrote that).
        let mut engine = chooser.clone();
        let summary = if endpoint.send_chat_summary {
            let mut gathered = run.state.gathered_pairs();
            for (label, value) in [
                ("Name", &lead.name),
                ("Email", &lead.email),
                ("Phone", &lead.phone),
            ] {
                if let Some(v) = value
                    .as_ref()
                    .filter(|v| !gathered.iter().any(|g| g.1 == **v))
                {
                    gathered.push((label.to_owned(), v.clone()));
                }
            }
            let why = format!("the visitor's request called for '{}'", endpoint.name);
            let s = run
                .engine
                .summarize(&SummaryInput {
                    transcript,
                    gathered: &gathered,
                    trigger: &why,
                })
                .await;
            if s.engine != chooser {
                engine = format!("{chooser}; summary: {}", s.engine);
            }
            Some(s.value)
        } else {
            None
        };
        let base = self.public_url().await?;
        let body = EventBody {
            kind: WebhookEvent::ActionTriggered,
            timestamp: crate::store::now(),
            data: EventData {
                event: WebhookEvent::ActionTriggered,
                webhook: endpoint.name.clone(),
                conversation: Some(ConversationRef {
                    id: conv.id,
                    agent_id: conv.agent_id,
                    channel: conv.channel.as_str().to_owned(),
                    link: crate::public_url::conversation_link(&base, conv.id),
                    status: run.state.status.as_str().to_owned(),
                    priority: run.state.priority.map(|p| p.as_str().to_owned()),
                    handoff_reason: run.state.handoff_reason.clone(),
                }),
                visitor: Some(VisitorRef {
                    details: run.state.gathered.clone(),
                    language: run.state.language.clone(),
                    name: lead.name,
                    email: lead.email,
                    phone: lead.phone,
                }),
                operator: None,
                summary,
            },
        };
        let with_summary = body.data.summary.is_some();
        let body = serde_json::to_string(&body).map_err(|e| Error::Internal(e.to_string()))?;
        run.jobs.push(Job::Webhook(WebhookJob {
            endpoint_id: endpoint.id,
            event: WebhookEvent::ActionTriggered,
            message_id: crate::webhooks::sign::new_message_id(),
            body,
        }));
        let latency = t.elapsed().as_micros().min(i64::MAX as u128) as i64;
        run.record(
            "webhook",
            "triggered",
            format!(
                "{}; queued action.triggered to webhook '{}'{}",
                m.reason,
                endpoint.name,
                if with_summary {
                    " with the chat summary"
                } else {
                    ""
                }
            ),
            &engine,
            latency,
        );
        let text = endpoint.success_message.clone();
        run.say(&text, VisitorEvent::Reply { text: text.clone() });
        Ok(true)
    }
}

/// The visitor's name, email and phone: a gathered field whose label names it, else the
/// newest visitor message that says it (as custom actions find their `lead.*` variables).
fn lead(at: &Turning<'_>, gathered: &BTreeMap<String, String>) -> Lead {
    let said: Vec<&str> = at
        .transcript
        .iter()
        .filter(|t| t.author == Author::Visitor)
        .map(|t| t.text.as_str())
        .collect();
    let field = |key: &str| {
        gathered
            .iter()
            .find(|(k, _)| k.to_lowercase().contains(key))
            .map(|(_, v)| v.clone())
    };
    let newest = |find: fn(&str) -> Option<String>| said.iter().rev().find_map(|t| find(t));
    Lead {
        name: field("name").or_else(|| newest(gather::find_name)),
        email: field("email").or_else(|| newest(gather::find_email)),
        phone: field("phone").or_else(|| newest(gather::find_contact_phone)),
    }
}
