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
}
