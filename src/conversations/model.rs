//! Conversations between a visitor and an agent (AI or person), their messages, and the
//! decision records that explain what the agent did.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::engine::{Author, GuidelineKey, Priority};
use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Widget,
    Api,
    Playground,
}

/// Where a conversation stands. `needs_agent` is "needs agent intervention": handed off and
/// waiting for a person to take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ai,
    AwaitingConfirmation,
    GatheringInfo,
    NeedsAgent,
    Assigned,
    Resolved,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s).ok_or_else(|| format!("unknown value '{s}'"))
            }
        }
    };
}

str_enum!(Channel { Widget = "widget", Api = "api", Playground = "playground" });
str_enum!(Status {
    Ai = "ai",
    AwaitingConfirmation = "awaiting_confirmation",
    GatheringInfo = "gathering_info",
    NeedsAgent = "needs_agent",
    Assigned = "assigned",
    Resolved = "resolved",
});
str_enum!(Author { Visitor = "visitor", Ai = "ai", Operator = "operator", System = "system" });
str_enum!(Priority { Low = "low", Medium = "medium", High = "high", Urgent = "urgent" });

impl Status {
    /// With a person (or waiting for one): the AI stays silent.
    pub fn with_person(self) -> bool {
        matches!(self, Status::NeedsAgent | Status::Assigned)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub name: String,
    pub mime_type: String,
    #[ts(type = "number")]
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Message {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub author: Author,
    #[ts(type = "number | null")]
    pub operator_id: Option<Id>,
    /// The operator's name, for messages read back (a visitor reloading the page sees who
    /// answered); null for others and in the answer of a write.
    #[serde(default)]
    pub operator_name: Option<String>,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// An internal note: visible to operators only.
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Conversation {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    pub channel: Channel,
    pub visitor_id: String,
    pub visitor_timezone: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub language: Option<String>,
    pub status: Status,
    /// The operator it is assigned to; null while with the AI or unassigned.
    #[ts(type = "number | null")]
    pub assignee_id: Option<Id>,
    pub priority: Option<Priority>,
    #[ts(type = "number | null")]
    pub routing_profile_id: Option<Id>,
    pub handoff_reason: Option<String>,
    pub ai_summary: Option<String>,
    /// Information gathered before the handoff (label → value).
    pub gathered: BTreeMap<String, String>,
    /// Marked for follow-up (e.g. a handoff asked for outside working hours).
    pub follow_up: bool,
    #[ts(type = "number")]
    pub failed_answers: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub handed_off_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// One step of the decision pipeline, kept so an operator can read why something happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct DecisionRecord {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub conversation_id: Id,
    #[ts(type = "number | null")]
    pub message_id: Option<Id>,
    pub step: String,
    pub outcome: String,
    pub reason: String,
    /// `builtin`, `openai:<model>`, or `builtin (fallback: …)`.
    pub engine: String,
    #[ts(type = "number")]
    pub latency_us: i64,
    pub created_at: DateTime<Utc>,
}

/// What the visitor sees as the agent's answer, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorEvent {
    Reply {
        text: String,
    },
    /// The handoff question; answer yes or no.
    HandoffQuestion {
        text: String,
    },
    /// The handoff is done: a person will take over.
    Confirmation {
        text: String,
    },
    OutOfHours {
        text: String,
        next_opening: Option<DateTime<Utc>>,
        /// The next opening in the visitor's time zone (or the business one), RFC 3339.
        next_opening_local: Option<String>,
    },
    InformationRequest {
        field: String,
        prompt: String,
    },
    OperatorReply {
        text: String,
        operator_name: String,
    },
    /// Show the contact form (under the reply it comes with).
    ContactForm {
        form: crate::leads::model::ContactFormView,
    },
    /// An action button group under the reply it comes with (links open in a new tab; a
    /// click is reported to `…/button-clicks`).
    Buttons {
        group_id: String,
        buttons: Vec<crate::chat::model::ButtonView>,
    },
    /// The agent handed over: the transition message and a button per enabled channel
    /// (the choice is reported to `…/handover-channel`).
    HandoverChannels {
        text: String,
        channels: Vec<crate::chat::model::ChannelOption>,
    },
    /// A form action's form under the reply it comes with (sent to
    /// `…/forms/{action_id}`).
    ActionForm {
        #[ts(type = "number")]
        action_id: Id,
        form: crate::actions::model::FormView,
    },
    /// A button action's button under the reply it comes with: a link opened in a new tab,
    /// or (`url` null) a click sent to `…/action-buttons/{action_id}`, which runs its action.
    ActionButton {
        #[ts(type = "number")]
        action_id: Id,
        label: String,
        url: Option<String>,
    },
}

/// What lead capture has done in a conversation, kept between messages: the field smart data
/// gathering asked for and waits on, the fields asked once (never asked twice), declined
/// (a refusal is respected) or skipped, and the contact form shown or submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LeadState {
    /// The gathering field (its key, e.g. `Email`) the agent's last message asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<String>,
    /// Answers to `asked` that were not a valid value so far.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempts: u32,
    /// Every field asked for once, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked_fields: Vec<String>,
    /// Fields the visitor declined, or could not give (not asked again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<String>,
    /// The visitor showed interest (pricing, a demo, a quote, buying).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interested: bool,
    /// Gathering has nothing left to ask; the lead was captured (if any detail was given).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub completed: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub form_shown: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub form_submitted: bool,
    /// The visitor ended the chat from the widget.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// State carried between visitor messages while a handoff is in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Pending {
    /// Why the handoff was triggered, in words.
    pub reason: String,
    pub trigger: Option<GuidelineKey>,
    pub keyword: Option<String>,
    /// The information field (label) last asked for.
    pub asked: Option<String>,
    /// Answers to `asked` that were not valid so far.
    #[serde(default)]
    pub attempts: u32,
    /// Fields the visitor declined or could not give: the handoff goes on without them.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// An action waiting for a value we asked the visitor for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<PendingAction>,
}

/// An action the visitor's message called for, waiting for a required parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PendingAction {
    pub action_id: Id,
    /// The values known so far, by parameter name.
    #[serde(default)]
    pub params: BTreeMap<String, serde_json::Value>,
    /// The parameter asked for.
    pub asked: String,
    /// Answers to `asked` that were not a valid value so far.
    #[serde(default)]
    pub attempts: u32,
}

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
    /// What lead capture has done; written only when it changed (a write that did not read
    /// it keeps the default in both `before` and the new state, and leaves it alone).
    pub lead: LeadState,
}

impl ConversationState {
    /// The gathered details as (label, value) pairs, as the summary and webhooks take them.
    pub fn gathered_pairs(&self) -> Vec<(String, String)> {
        self.gathered
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

impl Conversation {
    /// The conversation as it will be once `s` is written.
    pub fn with_state(&self, s: &ConversationState) -> Conversation {
        Conversation {
            status: s.status,
            assignee_id: s.assignee_id,
            priority: s.priority,
            routing_profile_id: s.routing_profile_id,
            handoff_reason: s.handoff_reason.clone(),
            ai_summary: s.ai_summary.clone(),
            gathered: s.gathered.clone(),
            follow_up: s.follow_up,
            failed_answers: s.failed_answers,
            language: s.language.clone(),
            handed_off_at: s.handed_off_at,
            resolved_at: s.resolved_at,
            ..self.clone()
        }
    }

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
            lead: LeadState::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboxView {
    NeedsAgent,
    Mine,
    Unassigned,
    AllOpen,
    /// Open conversations marked for follow-up (a person was asked for outside working hours).
    FollowUp,
    Resolved,
    All,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxQuery {
    #[serde(default)]
    #[ts(optional)]
    pub view: Option<InboxView>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    #[serde(default)]
    #[ts(optional)]
    pub priority: Option<Priority>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub routing_profile_id: Option<Id>,
    /// Conversations with activity at or after this instant.
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// … and before this one.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    /// Full-text search in the messages.
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
    /// For callers that are not an operator themselves (API tokens, the desktop app): whose
    /// "mine" view.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
}

#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow,
)]
pub struct InboxCounts {
    #[ts(type = "number")]
    pub needs_agent: i64,
    #[ts(type = "number")]
    pub mine: i64,
    #[ts(type = "number")]
    pub unassigned: i64,
    #[ts(type = "number")]
    pub all_open: i64,
    #[ts(type = "number")]
    pub follow_up: i64,
    #[ts(type = "number")]
    pub resolved: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct InboxItem {
    pub conversation: Conversation,
    /// The last message's text (not internal notes).
    pub last_message: Option<String>,
    /// What the list shows: the visitor's own last words (not the agent's canned answers),
    /// else the last message.
    pub preview: Option<String>,
    /// With a search: the part of the newest matching message around the first match, cut at
    /// word boundaries with an ellipsis.
    pub snippet: Option<String>,
}
