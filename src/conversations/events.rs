//! Live events: every change a visitor or an operator should see without reloading. One
//! in-process broadcast channel; each stream filters what it may see.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use ts_rs::TS;
use utoipa::ToSchema;

use super::model::{Message, Status, VisitorEvent};
use crate::engine::Priority;
use crate::Id;

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct LiveEvent {
    #[ts(type = "number")]
    pub conversation_id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    pub kind: LiveKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveKind {
    /// A new message (internal notes reach operators only).
    Message { message: Message },
    /// What the agent said to the visitor, typed.
    Visitor { event: VisitorEvent },
    /// The conversation changed state (status, assignee, priority).
    Updated {
        status: Status,
        #[ts(type = "number | null")]
        assignee_id: Option<Id>,
        priority: Option<Priority>,
    },
    /// A new handoff: the conversation needs a person.
    Handoff {
        reason: String,
        priority: Option<Priority>,
        #[ts(type = "number | null")]
        assignee_id: Option<Id>,
        #[ts(type = "number | null")]
        routing_profile_id: Option<Id>,
    },
    /// Events were missed (another process's, too large to relay, or while the relay was
    /// down): fetch the conversation again (sent to clients as `lagged`). On conversation
    /// [`EVERY_CONVERSATION`]: every stream fetches again.
    Missed {},
}

/// The conversation id of an event about every conversation (see [`LiveKind::Missed`]).
pub const EVERY_CONVERSATION: Id = 0;

impl LiveEvent {
    /// Whether a stream of `conversation` (of `agent`) should see this event.
    pub fn concerns(&self, conversation: Option<Id>, agent: Option<Id>) -> bool {
        if self.conversation_id == EVERY_CONVERSATION {
            return true;
        }
        conversation.is_none_or(|c| c == self.conversation_id)
            && agent.is_none_or(|a| a == self.agent_id)
    }
}

impl LiveKind {
    /// Whether a visitor's stream may carry this event.
    pub fn visible_to_visitor(&self) -> bool {
        match self {
            LiveKind::Message { message } => !message.internal,
            LiveKind::Visitor { .. } | LiveKind::Updated { .. } | LiveKind::Missed {} => true,
            LiveKind::Handoff { .. } => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<LiveEvent>,
}

impl Default for EventHub {
    fn default() -> Self {
        // Slow subscribers lag (and are told so) rather than slowing down the pipeline.
        let (tx, _) = broadcast::channel(1024);
        EventHub { tx }
    }
}

impl EventHub {
    /// Every stream fetches again (events were lost on the way from another process).
    pub fn missed_everything(&self) {
        self.publish(LiveEvent {
            conversation_id: EVERY_CONVERSATION,
            agent_id: EVERY_CONVERSATION,
            kind: LiveKind::Missed {},
        });
    }

    pub fn publish(&self, event: LiveEvent) {
        // No subscriber is fine: nobody is watching.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }
}
