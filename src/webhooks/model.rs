//! Webhook endpoints as the API answers them ([`Webhook`]) and takes them ([`WebhookInput`]),
//! the events they subscribe to, the outbox payload of a delivery ([`WebhookJob`]) and the
//! body it carries, and the delivery log. Data only: the store depends on this module.
//!
//! The signing secret is never in an answer, except once: [`WebhookWithSecret`] on create and
//! on rotation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::conversations::timeline::{NewEvent, TimelineKind};
use crate::Id;

/// What an endpoint is told about. `webhook.test` is sent by the test button only, and
/// `action.triggered` by the agent to the endpoint it triggers: neither is subscribed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
pub enum WebhookEvent {
    /// A conversation was handed to a person (by the agent, or manually).
    #[serde(rename = "handoff.requested")]
    HandoffRequested,
    /// An operator took a handed-off conversation from the queue.
    #[serde(rename = "handoff.completed")]
    HandoffCompleted,
    /// A conversation was assigned to an operator (by a colleague, by routing, or by taking it).
    #[serde(rename = "conversation.assigned")]
    ConversationAssigned,
    #[serde(rename = "conversation.resolved")]
    ConversationResolved,
    /// A visitor left their details (emitted once leads exist).
    #[serde(rename = "lead.created")]
    LeadCreated,
    /// The agent triggered this endpoint as an action: the visitor's message called for what
    /// its description says. Sent to that endpoint only, whatever its `events`.
    #[serde(rename = "action.triggered")]
    ActionTriggered,
    /// The test button.
    #[serde(rename = "webhook.test")]
    Test,
}

impl WebhookEvent {
    /// The events an endpoint may subscribe to.
    pub const SUBSCRIBABLE: &'static [WebhookEvent] = &[
        WebhookEvent::HandoffRequested,
        WebhookEvent::HandoffCompleted,
        WebhookEvent::ConversationAssigned,
        WebhookEvent::ConversationResolved,
        WebhookEvent::LeadCreated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::HandoffRequested => "handoff.requested",
            WebhookEvent::HandoffCompleted => "handoff.completed",
            WebhookEvent::ConversationAssigned => "conversation.assigned",
            WebhookEvent::ConversationResolved => "conversation.resolved",
            WebhookEvent::LeadCreated => "lead.created",
            WebhookEvent::ActionTriggered => "action.triggered",
            WebhookEvent::Test => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookEvent> {
        Self::SUBSCRIBABLE
            .iter()
            .copied()
            .chain([WebhookEvent::ActionTriggered, WebhookEvent::Test])
            .find(|e| e.as_str() == s)
    }
}

/// A webhook endpoint of an agent (AIBotKit's webhook action, with event subscriptions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Webhook {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    /// A slug unique per agent (`create_support_ticket`).
    pub name: String,
    /// When the agent should trigger it.
    pub description: String,
    /// Where events are POSTed.
    pub url: String,
    /// Whether deliveries carry a summary of the conversation.
    pub send_chat_summary: bool,
    /// What the visitor is told once it has been triggered.
    pub success_message: String,
    pub active: bool,
    pub events: Vec<WebhookEvent>,
    /// Private or loopback hosts and networks it may call (`192.168.1.20`, `10.0.0.0/8`,
    /// `crm.lan`). Shown with a warning.
    pub allow: Vec<String>,
    /// During a rotation: until when the previous secret still signs too.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// Why Baton turned it off (the endpoint answered 410 Gone); null otherwise.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An endpoint as created or saved (a save replaces every field; the secret is not a field:
/// it is made by Baton, and changed by rotation).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    pub url: String,
    #[serde(default)]
    #[ts(optional)]
    pub send_chat_summary: Option<bool>,
    /// Default: "Thanks, your request has been sent to our team."
    #[serde(default)]
    #[ts(optional)]
    pub success_message: Option<String>,
    /// Default true.
    #[serde(default)]
    #[ts(optional)]
    pub active: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub events: Option<Vec<WebhookEvent>>,
    #[serde(default)]
    #[ts(optional)]
    pub allow: Option<Vec<String>>,
}

/// An endpoint with its signing secret: answered once, on create and on rotation.
#[derive(Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: Webhook,
    /// `whsec_` + base64 of 24 random bytes: shown this once, store it now.
    pub secret: String,
}

impl std::fmt::Debug for WebhookWithSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookWithSecret")
            .field("webhook", &self.webhook)
            .field("secret", &"***")
            .finish()
    }
}

/// A delivery as the outbox keeps it (the payload of a `webhook` job): the endpoint, the
/// event, the message id (the `webhook-id` header, the same on every attempt and
/// redelivery) and the JSON body exactly as signed and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookJob {
    pub endpoint_id: Id,
    pub event: WebhookEvent,
    pub message_id: String,
    pub body: String,
}

/// The outbox target of an endpoint's deliveries (`jobs.target`).
pub fn target(endpoint: Id) -> String {
    format!("webhook:{endpoint}")
}

/// An event a conversation write causes (see [`triggered`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Triggered {
    pub event: WebhookEvent,
    /// The operator it is about (assigned, or taking it).
    pub operator_id: Option<Id>,
}

/// The webhook events of a conversation write, derived from its timeline events (so every
/// path that hands off, assigns or resolves emits them, in the write's transaction):
/// handed off → `handoff.requested`; taken from the queue → `handoff.completed` and
/// `conversation.assigned`; assigned or taken from a colleague → `conversation.assigned`;
/// resolved → `conversation.resolved`.
pub fn triggered(events: &[NewEvent]) -> Vec<Triggered> {
    let mut out = Vec::new();
    for e in events {
        let mut push = |event| {
            out.push(Triggered {
                event,
                operator_id: e.operator_id,
            })
        };
        match e.kind {
            TimelineKind::HandedOff => push(WebhookEvent::HandoffRequested),
            TimelineKind::TakenOver => {
                if e.from_operator_id.is_none() {
                    push(WebhookEvent::HandoffCompleted);
                }
                push(WebhookEvent::ConversationAssigned);
            }
            TimelineKind::Assigned => push(WebhookEvent::ConversationAssigned),
            TimelineKind::Resolved => push(WebhookEvent::ConversationResolved),
            TimelineKind::Routed
            | TimelineKind::Unassigned
            | TimelineKind::HandedBack
            | TimelineKind::Reopened
            | TimelineKind::FollowUp
            | TimelineKind::ContactLeft
            | TimelineKind::ContactForm
            | TimelineKind::DetailGathered
            | TimelineKind::EndedByVisitor
            | TimelineKind::ButtonClicked
            | TimelineKind::ChannelChosen
            | TimelineKind::FormSubmitted => {}
        }
    }
    out
}

/// The JSON body of a delivery: `{type, timestamp, data}` (Standard Webhooks' shape).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventBody {
    #[serde(rename = "type")]
    pub kind: WebhookEvent,
    /// When it happened (RFC 3339).
    pub timestamp: DateTime<Utc>,
    pub data: EventData,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventData {
    pub event: WebhookEvent,
    /// The endpoint's name.
    pub webhook: String,
    /// The conversation it is about (none for `webhook.test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<VisitorRef>,
    /// The operator an assignment or a take-over is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorRef>,
    /// With "send chat summary" only: the AI summary, else the last turns of the transcript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConversationRef {
    pub id: Id,
    pub agent_id: Id,
    /// `widget`, `api` or `playground`.
    pub channel: String,
    /// Where an operator opens it.
    pub link: String,
    pub status: String,
    pub priority: Option<String>,
    /// Why it was handed off.
    pub handoff_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VisitorRef {
    /// What was gathered before the handoff (label → value).
    pub details: BTreeMap<String, String>,
    pub language: Option<String>,
    /// `action.triggered` and `lead.created`: the visitor's name, email and phone as the conversation holds
    /// them (gathered, else said in a message), as actions' `lead.*` variables are found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OperatorRef {
    pub id: Id,
    pub name: Option<String>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first attempt.
    Pending,
    /// Failed, and will be tried again at `next_attempt_at`.
    Retrying,
    /// An attempt is under way.
    Sending,
    /// Answered with a 2xx.
    Delivered,
    /// Every attempt of the schedule failed: nothing more happens unless redelivered.
    Exhausted,
    /// Given up before the schedule ended: the endpoint answered 410 Gone, was disabled or
    /// deleted, or the address is blocked.
    Failed,
}

impl WebhookDeliveryStatus {
    pub const ALL: &'static [WebhookDeliveryStatus] = &[
        WebhookDeliveryStatus::Pending,
        WebhookDeliveryStatus::Retrying,
        WebhookDeliveryStatus::Sending,
        WebhookDeliveryStatus::Delivered,
        WebhookDeliveryStatus::Exhausted,
        WebhookDeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => "pending",
            WebhookDeliveryStatus::Retrying => "retrying",
            WebhookDeliveryStatus::Sending => "sending",
            WebhookDeliveryStatus::Delivered => "delivered",
            WebhookDeliveryStatus::Exhausted => "exhausted",
            WebhookDeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookDeliveryStatus> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }

    /// This status as a condition over a job's columns (`max` attempts in a round).
    pub(crate) fn condition(self, max: i64) -> String {
        match self {
            WebhookDeliveryStatus::Pending => "status = 'pending' AND attempts = retry_from".into(),
            WebhookDeliveryStatus::Retrying => {
                "status = 'pending' AND attempts > retry_from".into()
            }
            WebhookDeliveryStatus::Sending => "status = 'running'".into(),
            WebhookDeliveryStatus::Delivered => "status = 'done'".into(),
            WebhookDeliveryStatus::Exhausted => {
                format!("status = 'failed' AND attempts - retry_from >= {max}")
            }
            WebhookDeliveryStatus::Failed => {
                format!("status = 'failed' AND attempts - retry_from < {max}")
            }
        }
    }

    /// The status of a job in `status` after `round` attempts of its round (of `max`).
    pub(crate) fn of(status: &str, round: i64, max: i64) -> WebhookDeliveryStatus {
        match status {
            "pending" if round == 0 => WebhookDeliveryStatus::Pending,
            "pending" => WebhookDeliveryStatus::Retrying,
            "running" => WebhookDeliveryStatus::Sending,
            "done" => WebhookDeliveryStatus::Delivered,
            _ if round >= max => WebhookDeliveryStatus::Exhausted,
            _ => WebhookDeliveryStatus::Failed,
        }
    }
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookAttempt {
    /// 1, 2, … (numbered on across redeliveries).
    #[ts(type = "number")]
    pub attempt: i64,
    pub started_at: DateTime<Utc>,
    /// Null while it runs.
    pub finished_at: Option<DateTime<Utc>>,
    /// Answered with a 2xx in time.
    pub ok: Option<bool>,
    pub status_code: Option<u16>,
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
    /// The start of the answer's body (at most 2 KiB).
    pub response: Option<String>,
    pub error: Option<String>,
}

/// One event sent (or to be sent) to an endpoint, with every attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookDelivery {
    /// The delivery's id (for `webhook_redeliver`).
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub webhook_id: Id,
    /// The test button's (`webhook.test`): sent once, never again.
    pub test: bool,
    pub event: WebhookEvent,
    /// The `webhook-id` header: the same on every attempt and redelivery.
    pub message_id: String,
    #[ts(type = "number | null")]
    pub conversation_id: Option<Id>,
    pub status: WebhookDeliveryStatus,
    /// When a pending or retrying delivery is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The JSON body exactly as signed and sent.
    pub body: String,
    pub attempts: Vec<WebhookAttempt>,
}

/// The delivery log of an endpoint, newest first.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookDeliveryQuery {
    /// The endpoint.
    #[ts(type = "number")]
    pub id: Id,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<WebhookDeliveryStatus>,
    /// Deliveries older than this id (the previous page's `next_before_id`).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before_id: Option<Id>,
    /// Default 50, at most 200 (a 422 outside 1–200).
    #[serde(default)]
    #[ts(optional, type = "number")]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookDeliveryPage {
    pub deliveries: Vec<WebhookDelivery>,
    /// Pass as `before_id` for the next page; null on the last.
    #[ts(type = "number | null")]
    pub next_before_id: Option<Id>,
}

/// What `webhook_redeliver_failed` queued again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookRedelivered {
    /// The deliveries queued again (exhausted or failed ones).
    #[ts(type = "number[]")]
    pub delivery_ids: Vec<Id>,
}

/// What the test button's `webhook.test` event did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookTestResult {
    /// Its entry in the delivery log (marked `test`).
    #[ts(type = "number")]
    pub delivery_id: Id,
    /// Answered with a 2xx within 15 s.
    pub ok: bool,
    /// Null when nothing came back (blocked, timeout, unreachable).
    pub status_code: Option<u16>,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The start of the answer's body (at most 2 KiB).
    pub response: Option<String>,
    /// What went wrong, in words.
    pub error: Option<String>,
    /// The `webhook-id` it was sent with.
    pub message_id: String,
    /// The JSON body as sent.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: TimelineKind, op: Option<Id>, from: Option<Id>) -> NewEvent {
        NewEvent {
            kind,
            actor_id: None,
            operator_id: op,
            from_operator_id: from,
            routing_profile_id: None,
            text: None,
        }
    }

    #[test]
    fn events_follow_the_timeline() {
        let got: Vec<&str> = triggered(&[
            ev(TimelineKind::HandedOff, None, None),
            ev(TimelineKind::Routed, None, None),
            ev(TimelineKind::TakenOver, Some(3), None),
            ev(TimelineKind::TakenOver, Some(4), Some(3)),
            ev(TimelineKind::Assigned, Some(5), Some(4)),
            ev(TimelineKind::Unassigned, None, Some(5)),
            ev(TimelineKind::Resolved, None, None),
            ev(TimelineKind::Reopened, None, None),
        ])
        .into_iter()
        .map(|t| t.event.as_str())
        .collect();
        assert_eq!(
            got,
            [
                "handoff.requested",
                "handoff.completed",
                "conversation.assigned",
                "conversation.assigned",
                "conversation.assigned",
                "conversation.resolved"
            ]
        );
    }

    #[test]
    fn names_round_trip_through_serde() {
        for e in WebhookEvent::SUBSCRIBABLE
            .iter()
            .chain([&WebhookEvent::ActionTriggered, &WebhookEvent::Test])
        {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(*e));
            assert_eq!(
                serde_json::to_string(e).unwrap(),
                format!("\"{}\"", e.as_str())
            );
        }
        for s in WebhookDeliveryStatus::ALL {
            assert_eq!(WebhookDeliveryStatus::parse(s.as_str()), Some(*s));
        }
    }
}
