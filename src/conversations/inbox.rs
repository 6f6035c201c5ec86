//! The inbox: what needs a person, and what operators do about it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::events::LiveKind;
use super::model::*;
use super::timeline::TimelineEvent;
use crate::auth::{Actor, Permission};
use crate::engine::Author;
use crate::error::{Error, Problems, Result};
use crate::store::conversations::ConversationWrite;
use crate::{Baton, Id};

pub const PAGE_MAX: i64 = 200;

// The inbox's query and list types are domain types, in the model (the store reads them).
pub use super::model::{InboxCounts, InboxItem, InboxQuery, InboxView};

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct InboxPage {
    pub counts: InboxCounts,
    pub items: Vec<InboxItem>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct ConversationDetail {
    pub conversation: Conversation,
    /// Every message, internal notes included.
    pub messages: Vec<Message>,
    pub decisions: Vec<DecisionRecord>,
    /// Who did what, oldest first: handoffs, routing, assignments, take-overs, hand-backs
    /// (with the instruction), resolves and reopens.
    pub timeline: Vec<TimelineEvent>,
}

/// The first-run checklist on the empty inbox: each item is read from what is stored, so it
/// ticks itself when the thing is done (by anyone, anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SetupChecklist {
    pub handoff_on: bool,
    pub working_hours_on: bool,
    /// More than one active operator.
    pub team_invited: bool,
    /// A conversation was had in the playground.
    pub playground_tried: bool,
    /// A visitor wrote through the website widget.
    pub widget_installed: bool,
}

/// Take over a conversation.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationTake {
    #[ts(type = "number")]
    pub id: Id,
    /// With an API token, the operator acting: required, and their role applies. A signed-in
    /// operator acts as themselves and leaves it out.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
    /// The colleague it is taken from, as the caller saw it. Taking a conversation someone
    /// else holds needs it (so nobody takes one from a colleague by accident); if it is held
    /// by anyone else by then (a simultaneous take), the take is a conflict.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub from_operator_id: Option<Id>,
}

/// A reply to the visitor.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationReply {
    #[ts(type = "number")]
    pub id: Id,
    pub text: String,
    /// With an API token, the operator acting: required, and their role applies. A signed-in
    /// operator acts as themselves and leaves it out.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
    /// Replying to a conversation a colleague holds takes it from them: name them here, as
    /// for [`ConversationTake`].
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub from_operator_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationAction {
    #[ts(type = "number")]
    pub id: Id,
    /// With an API token, the operator the timeline names as having done it (optional). A
    /// signed-in operator acts as themselves and leaves it out.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationAssign {
    #[ts(type = "number")]
    pub id: Id,
    /// The operator to assign to; null unassigns (back to the queue).
    #[ts(type = "number | null")]
    pub operator_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationText {
    #[ts(type = "number")]
    pub id: Id,
    pub text: String,
    /// With an API token, the operator acting: required, and their role applies. A signed-in
    /// operator acts as themselves and leaves it out.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationHandBack {
    #[ts(type = "number")]
    pub id: Id,
    /// A private instruction the AI follows in this conversation only.
    #[serde(default)]
    #[ts(optional)]
    pub instruction: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationManualHandoff {
    #[ts(type = "number")]
    pub id: Id,
    #[serde(default)]
    #[ts(optional)]
    pub reason: Option<String>,
    /// Take it myself at once.
    #[serde(default)]
    pub take: bool,
    /// With an API token and `take`, the operator who takes it: required, and their role
    /// applies. A signed-in operator acts as themselves and leaves it out.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub as_operator_id: Option<Id>,
}

pub(crate) fn cursor_of(c: &Conversation) -> String {
    format!("{}|{}", c.last_message_at.timestamp_micros(), c.id)
}

/// A cursor's shape, as the OpenAPI document states it: every string of this shape is a
/// position in the list (microseconds since 1970, up to the year 2286, and an id); nothing
/// else is taken.
pub const CURSOR_PATTERN: &str = "^[0-9]{1,16}\\|[0-9]{1,18}$";

pub(crate) fn parse_cursor(s: &str) -> Result<(DateTime<Utc>, Id)> {
    let bad = || Error::invalid("cursor", "invalid", "not a cursor from a previous page");
    let (t, id) = s.split_once('|').ok_or_else(bad)?;
    let digits =
        |x: &str, max: usize| (1..=max).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(t, 16) || !digits(id, 18) {
        return Err(bad());
    }
    let t = DateTime::from_timestamp_micros(t.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((t, id.parse().map_err(|_| bad())?))
}

/// An operator's reply or note.
pub const TEXT_MAX_CHARS: usize = 5000;
/// A manual handoff's reason: shown in the inbox and sent in the handoff email.
pub const HANDOFF_REASON_MAX_CHARS: usize = 1000;
/// A hand-back's private instruction for the AI.
pub const INSTRUCTION_MAX_CHARS: usize = 2000;

impl Baton {
    /// The operator acting: the signed-in one, or `as_operator_id` for tokens and the local app.
    async fn acting_operator(&self, actor: &Actor, as_operator: Option<Id>) -> Result<Id> {
        if let Some(id) = actor.operator_id() {
            return Ok(id);
        }
        // The desktop app is its owner's: without an explicit operator, act as the first owner.
        if let (Actor::Local, None) = (actor, as_operator) {
            if let Some(owner) = self
                .store()
                .operator_list()
                .await?
                .into_iter()
                .find(|o| o.is_active && o.role == crate::auth::Role::Owner)
            {
                return Ok(owner.id);
            }
        }
        let id = as_operator.ok_or_else(|| {
            Error::invalid(
                "as_operator_id",
                "required",
                "say which operator acts (as_operator_id)",
            )
        })?;
        match self.store().operator_get(id).await? {
            // Acting as someone obeys their role: a token cannot make a viewer reply.
            Some(o) if o.is_active && !o.role.allows(Permission::WorkInbox) => Err(Error::invalid(
                "as_operator_id",
                "not_allowed",
                format!("{} is a viewer and cannot work on conversations", o.name),
            )),
            Some(o) if o.is_active => Ok(o.id),
            _ => Err(Error::invalid(
                "as_operator_id",
                "unknown_operator",
                format!("no active operator with id {id}"),
            )),
        }
    }

    /// Refuses a token bound to another agent than the conversation's (the playground's RPC).
    pub async fn conversation_agent_check(&self, actor: &Actor, id: Id) -> Result<()> {
        if actor.bound_agent().is_some() {
            self.conversation_checked(actor, id).await?;
        }
        Ok(())
    }

    async fn conversation_checked(&self, actor: &Actor, id: Id) -> Result<Conversation> {
        let c = self
            .store()
            .conversation_get(id)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        actor.require_agent(c.agent_id)?;
        Ok(c)
    }

    pub async fn inbox_list(&self, actor: &Actor, q: InboxQuery) -> Result<InboxPage> {
        actor.require(Permission::ReadInbox)?;
        let me = match (actor.operator_id(), q.as_operator_id, actor) {
            (Some(id), _, _) => Some(id),
            (None, Some(id), _) => Some(id),
            // The desktop app acts as its owner, as the inbox actions do.
            (None, None, Actor::Local) => self.acting_operator(actor, None).await.ok(),
            (None, None, _) => None,
        };
        let agent = match actor.bound_agent() {
            Some(bound) => Some(bound),
            None => q.agent_id,
        };
        let limit = q.limit.unwrap_or(50);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(Error::invalid(
                "limit",
                "out_of_range",
                format!("between 1 and {PAGE_MAX}"),
            ));
        }
        if q.view == Some(InboxView::Mine) && me.is_none() {
            return Err(Error::invalid(
                "as_operator_id",
                "required",
                "the 'mine' view needs an operator",
            ));
        }
        let cursor = q.cursor.as_deref().map(parse_cursor).transpose()?;
        let counts = self.store().inbox_counts(agent, me).await?;
        let (items, more) = self
            .store()
            .inbox_items(&q, agent, me, cursor, limit)
            .await?;
        let next_cursor = more
            .then(|| items.last().map(|i: &InboxItem| cursor_of(&i.conversation)))
            .flatten();
        Ok(InboxPage {
            counts,
            items,
            next_cursor,
        })
    }

    pub async fn conversation_open(&self, actor: &Actor, id: Id) -> Result<ConversationDetail> {
        actor.require(Permission::ReadInbox)?;
        let conversation = self.conversation_checked(actor, id).await?;
        Ok(ConversationDetail {
            messages: self.store().messages_list(id, true).await?,
            decisions: self.store().decisions_list(id).await?,
            timeline: self.store().timeline_list(id).await?,
            conversation,
        })
    }

    pub async fn inbox_setup(&self, actor: &Actor, agent_id: Option<Id>) -> Result<SetupChecklist> {
        actor.require(Permission::ReadInbox)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        let cfg = self
            .store()
            .handoff_config(agent)
            .await?
            .ok_or(Error::not_found("agent"))?;
        let operators = self.store().operator_list().await?;
        let (playground_tried, widget_installed) =
            self.store().conversation_channels_used(agent).await?;
        Ok(SetupChecklist {
            handoff_on: cfg.settings.is_active,
            working_hours_on: cfg.settings.working_hours_active,
            team_invited: operators.iter().filter(|o| o.is_active).count() > 1,
            playground_tried,
            widget_installed,
        })
    }

    /// Take over: assign to me. A conversation a colleague holds is taken from them when the
    /// caller names them (`from_operator_id`); only a simultaneous take is a conflict.
    pub async fn conversation_take(
        &self,
        actor: &Actor,
        a: ConversationTake,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        let me = self.acting_operator(actor, a.as_operator_id).await?;
        let c = self.conversation_checked(actor, a.id).await?;
        self.take_as(&c, me, a.from_operator_id).await?;
        self.changed(a.id).await
    }

    /// Makes `c` assigned to `me` (and the AI silent), unless it already is. `from` is who the
    /// caller saw holding it.
    async fn take_as(&self, c: &Conversation, me: Id, from: Option<Id>) -> Result<()> {
        if c.status == Status::Resolved {
            return Err(Error::conflict(
                "the conversation is resolved: reopen it first",
                Some("id"),
            ));
        }
        if c.status == Status::Assigned && c.assignee_id == Some(me) {
            return Ok(());
        }
        if let Some(holder) = c.assignee_id.filter(|h| *h != me) {
            if from != Some(holder) {
                let name = self.operator_name(holder).await?;
                let message = match from {
                    None => format!(
                        "{name} holds this conversation: confirm to take it from them (from_operator_id)"
                    ),
                    Some(_) => format!("{name} took this conversation a moment ago"),
                };
                return Err(Error::conflict(message, Some("from_operator_id")));
            }
        }
        let before = c.state(None);
        let mut s = before.clone();
        s.status = Status::Assigned;
        s.assignee_id = Some(me);
        s.handed_off_at = s.handed_off_at.or(Some(Utc::now()));
        // Someone is on it now: no longer waiting in Follow up.
        s.follow_up = false;
        match self
            .store()
            .conversation_write(c.id, ConversationWrite::new(&before, &s).by(me))
            .await
        {
            // Someone else moved it between our read and our write: a simultaneous take.
            Err(Error::Conflict { .. }) => {
                let now = self.store().conversation_get(c.id).await?;
                let who = match now.as_ref().and_then(|n| n.assignee_id) {
                    Some(id) => self.operator_name(id).await?,
                    None => "another operator".into(),
                };
                Err(Error::conflict(
                    format!("{who} took this conversation at the same moment"),
                    Some("id"),
                ))
            }
            r => r.map(|_| ()),
        }
    }

    async fn operator_name(&self, id: Id) -> Result<String> {
        Ok(self
            .store()
            .operator_get(id)
            .await?
            .map(|o| o.name)
            .unwrap_or_else(|| "another operator".into()))
    }

    pub async fn conversation_assign(
        &self,
        actor: &Actor,
        a: ConversationAssign,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        let c = self.conversation_checked(actor, a.id).await?;
        if c.status == Status::Resolved {
            return Err(Error::conflict(
                "the conversation is resolved: reopen it first",
                Some("id"),
            ));
        }
        let mut state = c.state(None);
        match a.operator_id {
            Some(op) => {
                match self.store().operator_get(op).await? {
                    Some(o) if o.is_active && !o.role.allows(Permission::WorkInbox) => {
                        return Err(Error::invalid(
                            "operator_id",
                            "not_allowed",
                            format!(
                                "{} is a viewer and cannot be assigned conversations",
                                o.name
                            ),
                        ))
                    }
                    Some(o) if o.is_active => {}
                    _ => {
                        return Err(Error::invalid(
                            "operator_id",
                            "unknown_operator",
                            format!("no active operator with id {op}"),
                        ))
                    }
                }
                state.assignee_id = Some(op);
                state.status = Status::Assigned;
                state.follow_up = false;
            }
            None => {
                state.assignee_id = None;
                state.status = Status::NeedsAgent;
            }
        }
        state.handed_off_at = state.handed_off_at.or(Some(Utc::now()));
        let me = self.acting_operator(actor, None).await.ok();
        let before = c.state(None);
        let write = ConversationWrite {
            actor: me,
            ..ConversationWrite::new(&before, &state)
        };
        self.store().conversation_write(a.id, write).await?;
        self.changed(a.id).await
    }

    /// Reply to the visitor as an operator. Replying makes the conversation mine (and stops
    /// the AI): one nobody holds is taken, one a colleague holds is taken from them when the
    /// caller names them (`from_operator_id`), as a take-over would.
    pub async fn conversation_reply(&self, actor: &Actor, t: ConversationReply) -> Result<Message> {
        actor.require(Permission::WorkInbox)?;
        let me = self.acting_operator(actor, t.as_operator_id).await?;
        check_text(&t.text)?;
        let c = self.conversation_checked(actor, t.id).await?;
        if c.status == Status::Resolved {
            return Err(Error::conflict(
                "the conversation is resolved: reopen it to reply",
                Some("id"),
            ));
        }
        if c.status != Status::Assigned || c.assignee_id != Some(me) {
            self.take_as(&c, me, t.from_operator_id).await?;
            self.changed(t.id).await?;
        }
        let m = self.operator_message(&c, me, &t.text, false).await?;
        let name = self.operator_name(me).await?;
        self.publish(
            &c,
            LiveKind::Visitor {
                event: VisitorEvent::OperatorReply {
                    text: m.text.clone(),
                    operator_name: name,
                },
            },
        );
        Ok(m)
    }

    /// An internal note: operators see it, the visitor never does.
    pub async fn conversation_note(&self, actor: &Actor, t: ConversationText) -> Result<Message> {
        actor.require(Permission::WorkInbox)?;
        let me = self.acting_operator(actor, t.as_operator_id).await?;
        check_text(&t.text)?;
        let c = self.conversation_checked(actor, t.id).await?;
        self.operator_message(&c, me, &t.text, true).await
    }

    pub async fn conversation_resolve(
        &self,
        actor: &Actor,
        a: ConversationAction,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        let c = self.conversation_checked(actor, a.id).await?;
        let mut s = c.state(None);
        s.status = Status::Resolved;
        s.resolved_at = Some(Utc::now());
        s.follow_up = false;
        let before = c.state(None);
        let write = ConversationWrite {
            actor: self.acting_operator(actor, a.as_operator_id).await.ok(),
            ..ConversationWrite::new(&before, &s)
        };
        self.store().conversation_write(a.id, write).await?;
        self.changed(a.id).await
    }

    /// Reopen a resolved conversation: back in the queue (to its last assignee, if any).
    pub async fn conversation_reopen(
        &self,
        actor: &Actor,
        a: ConversationAction,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        let c = self.conversation_checked(actor, a.id).await?;
        if c.status != Status::Resolved {
            return Err(Error::conflict(
                "the conversation is not resolved",
                Some("id"),
            ));
        }
        let mut s = c.state(None);
        s.status = if s.assignee_id.is_some() {
            Status::Assigned
        } else {
            Status::NeedsAgent
        };
        s.resolved_at = None;
        let before = c.state(None);
        let write = ConversationWrite {
            actor: self.acting_operator(actor, a.as_operator_id).await.ok(),
            ..ConversationWrite::new(&before, &s)
        };
        self.store().conversation_write(a.id, write).await?;
        self.changed(a.id).await
    }

    /// Hand the conversation back to the AI, optionally with a private instruction for it.
    pub async fn conversation_hand_back(
        &self,
        actor: &Actor,
        h: ConversationHandBack,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        if let Some(i) = &h.instruction {
            let mut p = Problems::new();
            p.max_chars("instruction", i, INSTRUCTION_MAX_CHARS);
            p.into_result()?;
        }
        let c = self.conversation_checked(actor, h.id).await?;
        let mut s = c.state(None);
        s.status = Status::Ai;
        s.assignee_id = None;
        s.failed_answers = 0;
        s.resolved_at = None;
        // No longer handed off: the reason, summary, routing and priority of that handoff
        // stay in the timeline and the decision records, not on the conversation (the next
        // handoff brings its own).
        s.handoff_reason = None;
        s.ai_summary = None;
        s.routing_profile_id = None;
        s.priority = None;
        s.follow_up = false;
        let before = c.state(None);
        let write = ConversationWrite {
            actor: self.acting_operator(actor, None).await.ok(),
            instruction: Some(
                h.instruction
                    .as_deref()
                    .map(str::trim)
                    .filter(|i| !i.is_empty()),
            ),
            ..ConversationWrite::new(&before, &s)
        };
        self.store().conversation_write(h.id, write).await?;
        self.changed(h.id).await
    }

    /// Manual handoff of a conversation the AI is handling.
    pub async fn conversation_handoff(
        &self,
        actor: &Actor,
        h: ConversationManualHandoff,
    ) -> Result<Conversation> {
        actor.require(Permission::WorkInbox)?;
        if let Some(r) = &h.reason {
            let mut p = Problems::new();
            p.max_chars("reason", r, HANDOFF_REASON_MAX_CHARS);
            p.into_result()?;
        }
        let c = self.conversation_checked(actor, h.id).await?;
        if c.status.with_person() {
            return Err(Error::conflict(
                "the conversation is already with a person",
                Some("id"),
            ));
        }
        let mut s = c.state(None);
        s.status = Status::NeedsAgent;
        s.handoff_reason = Some(
            h.reason
                .clone()
                .unwrap_or_else(|| "manual handoff by an operator".into()),
        );
        s.handed_off_at = Some(Utc::now());
        s.resolved_at = None;
        if h.take {
            s.assignee_id = Some(self.acting_operator(actor, h.as_operator_id).await?);
            s.status = Status::Assigned;
        }
        let cfg = self
            .store()
            .handoff_config(c.agent_id)
            .await?
            .ok_or(Error::not_found("agent"))?;
        let last_visitor = self
            .store()
            .messages_list(c.id, false)
            .await?
            .into_iter()
            .rev()
            .find(|m| m.author == Author::Visitor)
            .map(|m| m.text);
        let email = self
            .handoff_notification(&c.with_state(&s), &cfg, last_visitor.as_deref())
            .await?;
        let before = c.state(None);
        let write = ConversationWrite {
            notification: email.as_ref(),
            actor: self.acting_operator(actor, h.as_operator_id).await.ok(),
            ..ConversationWrite::new(&before, &s)
        };
        self.store().conversation_write(h.id, write).await?;
        if email.is_some() {
            self.notifications_wake();
        }
        let c = self.changed(h.id).await?;
        self.publish(
            &c,
            LiveKind::Handoff {
                reason: c.handoff_reason.clone().unwrap_or_default(),
                priority: c.priority,
                assignee_id: c.assignee_id,
                routing_profile_id: c.routing_profile_id,
            },
        );
        Ok(c)
    }

    /// Stores an operator's message (a reply, or an internal note) and tells live listeners.
    async fn operator_message(
        &self,
        c: &Conversation,
        me: Id,
        text: &str,
        internal: bool,
    ) -> Result<Message> {
        let m = self
            .store()
            .message_insert(
                c.id,
                &NewMessage {
                    author: Author::Operator,
                    operator_id: Some(me),
                    text: text.trim().to_owned(),
                    attachments: vec![],
                    internal,
                },
            )
            .await?;
        self.publish(c, LiveKind::Message { message: m.clone() });
        Ok(m)
    }

    /// Reads the conversation back and tells live listeners it changed.
    async fn changed(&self, id: Id) -> Result<Conversation> {
        let c = self
            .store()
            .conversation_get(id)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        self.publish(
            &c,
            LiveKind::Updated {
                status: c.status,
                assignee_id: c.assignee_id,
                priority: c.priority,
            },
        );
        Ok(c)
    }
}

fn check_text(text: &str) -> Result<()> {
    let mut p = Problems::new();
    p.not_blank("text", text);
    p.max_chars("text", text, TEXT_MAX_CHARS);
    p.into_result()
}
