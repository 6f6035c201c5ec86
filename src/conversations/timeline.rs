//! The history of a conversation, as operators read it in the thread: who did what, when.
//!
//! Events are derived from the state change of each conversation write (see
//! [`events_of`]), so every path that moves a conversation (the pipeline, each inbox action)
//! leaves its trace without remembering to, in the same transaction as the change itself.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::model::{ConversationState, Status};
use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// Handed to a person (`text`: why).
    HandedOff,
    /// Routed to a profile.
    Routed,
    /// Assigned to `operator` (by `actor`, or automatically when there is none).
    Assigned,
    /// `operator` took it (from `from_operator`, if someone held it).
    TakenOver,
    /// Back in the queue: nobody holds it.
    Unassigned,
    /// Back to the AI (`text`: the private instruction; operators only).
    HandedBack,
    Resolved,
    Reopened,
    /// The visitor asked for a person outside working hours (written by the pipeline's
    /// working-hours step, not derived: a follow-up mark has other causes too).
    FollowUp,
    /// The visitor left a way to be reached for the follow-up (`text`: the contact).
    ContactLeft,
    /// The visitor submitted the contact form (`text`: what they submitted, consent included).
    ContactForm,
    /// Smart data gathering collected a detail (`text`: the field and its value), or the
    /// visitor declined to give one (`text`: which).
    DetailGathered,
    /// The visitor ended the chat from the widget.
    EndedByVisitor,
    /// The visitor clicked an action button (`text`: its label, group and link).
    ButtonClicked,
    /// The visitor chose a way to reach the team at a handover (`text`: the channel).
    ChannelChosen,
    /// The visitor sent a form action's form (`text`: its title and the values).
    FormSubmitted,
}

impl TimelineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::HandedOff => "handed_off",
            TimelineKind::Routed => "routed",
            TimelineKind::Assigned => "assigned",
            TimelineKind::TakenOver => "taken_over",
            TimelineKind::Unassigned => "unassigned",
            TimelineKind::HandedBack => "handed_back",
            TimelineKind::Resolved => "resolved",
            TimelineKind::Reopened => "reopened",
            TimelineKind::FollowUp => "follow_up",
            TimelineKind::ContactLeft => "contact_left",
            TimelineKind::ContactForm => "contact_form",
            TimelineKind::DetailGathered => "detail_gathered",
            TimelineKind::EndedByVisitor => "ended_by_visitor",
            TimelineKind::ButtonClicked => "button_clicked",
            TimelineKind::ChannelChosen => "channel_chosen",
            TimelineKind::FormSubmitted => "form_submitted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            TimelineKind::HandedOff,
            TimelineKind::Routed,
            TimelineKind::Assigned,
            TimelineKind::TakenOver,
            TimelineKind::Unassigned,
            TimelineKind::HandedBack,
            TimelineKind::Resolved,
            TimelineKind::Reopened,
            TimelineKind::FollowUp,
            TimelineKind::ContactLeft,
            TimelineKind::ContactForm,
            TimelineKind::DetailGathered,
            TimelineKind::EndedByVisitor,
            TimelineKind::ButtonClicked,
            TimelineKind::ChannelChosen,
            TimelineKind::FormSubmitted,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One entry of the history, with names as they were when it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct TimelineEvent {
    #[ts(type = "number")]
    pub id: Id,
    pub kind: TimelineKind,
    /// Who did it; null for the AI agent or the system (an automatic assignment, a token).
    #[ts(type = "number | null")]
    pub actor_id: Option<Id>,
    pub actor_name: Option<String>,
    /// Whom it was assigned to or who took it.
    #[ts(type = "number | null")]
    pub operator_id: Option<Id>,
    pub operator_name: Option<String>,
    /// Who held it before (a take-over or a reassignment).
    #[ts(type = "number | null")]
    pub from_operator_id: Option<Id>,
    pub from_operator_name: Option<String>,
    #[ts(type = "number | null")]
    pub routing_profile_id: Option<Id>,
    pub routing_profile_name: Option<String>,
    /// The handoff reason, the hand-back instruction, or the contact left.
    pub text: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An event before it is stored: names are looked up by the statement that stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: TimelineKind,
    pub actor_id: Option<Id>,
    pub operator_id: Option<Id>,
    pub from_operator_id: Option<Id>,
    pub routing_profile_id: Option<Id>,
    pub text: Option<String>,
}

impl NewEvent {
    /// An entry no state change shows, by the AI agent or the visitor, saying `text`.
    pub fn note(kind: TimelineKind, text: impl Into<String>) -> Self {
        NewEvent {
            text: Some(text.into()),
            ..NewEvent::new(kind, None)
        }
    }

    fn new(kind: TimelineKind, actor_id: Option<Id>) -> Self {
        NewEvent {
            kind,
            actor_id,
            operator_id: None,
            from_operator_id: None,
            routing_profile_id: None,
            text: None,
        }
    }
}

/// What happened between `before` and `after`, done by `actor` (an operator; None for the AI
/// agent or the system). `instruction` is the hand-back instruction written with it.
pub fn events_of(
    before: &ConversationState,
    after: &ConversationState,
    actor: Option<Id>,
    instruction: Option<&str>,
) -> Vec<NewEvent> {
    use TimelineKind as K;
    let mut out = Vec::new();
    let was_with_person = before.status.with_person();
    let with_person = after.status.with_person();
    let was_resolved = before.status == Status::Resolved;
    let resolved = after.status == Status::Resolved;

    if was_resolved && !resolved {
        out.push(NewEvent::new(K::Reopened, actor));
    }
    // A handoff: from the AI to a person; or from resolved, when it is a new handoff (the
    // visitor wrote again and the same message handed off: a new handoff time) rather than an
    // operator's reopen.
    let new_handoff = after.handed_off_at != before.handed_off_at;
    if with_person && (!was_with_person && !was_resolved || was_resolved && new_handoff) {
        out.push(NewEvent {
            text: after.handoff_reason.clone(),
            ..NewEvent::new(K::HandedOff, actor)
        });
        if let Some(p) = after.routing_profile_id {
            out.push(NewEvent {
                routing_profile_id: Some(p),
                ..NewEvent::new(K::Routed, None)
            });
        }
    }
    if with_person && before.assignee_id != after.assignee_id {
        match after.assignee_id {
            Some(op) if actor == Some(op) => out.push(NewEvent {
                operator_id: Some(op),
                from_operator_id: before.assignee_id,
                ..NewEvent::new(K::TakenOver, actor)
            }),
            Some(op) => out.push(NewEvent {
                operator_id: Some(op),
                from_operator_id: before.assignee_id,
                ..NewEvent::new(K::Assigned, actor)
            }),
            None => out.push(NewEvent {
                from_operator_id: before.assignee_id,
                ..NewEvent::new(K::Unassigned, actor)
            }),
        }
    }
    // Back to the AI; or a new instruction for it, whatever the conversation was doing.
    if was_with_person && !with_person && !resolved || instruction.is_some() {
        out.push(NewEvent {
            from_operator_id: before.assignee_id,
            text: instruction.map(str::to_owned),
            ..NewEvent::new(K::HandedBack, actor)
        });
    }
    if resolved && !was_resolved {
        out.push(NewEvent::new(K::Resolved, actor));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: Status, assignee: Option<Id>) -> ConversationState {
        ConversationState {
            status,
            assignee_id: assignee,
            priority: None,
            routing_profile_id: None,
            handoff_reason: None,
            ai_summary: None,
            gathered: Default::default(),
            pending: None,
            failed_answers: 0,
            follow_up: false,
            language: None,
            handed_off_at: None,
            resolved_at: None,
            lead: Default::default(),
        }
    }

    fn kinds(v: &[NewEvent]) -> Vec<TimelineKind> {
        v.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn an_automatic_handoff_records_why_where_and_to_whom() {
        let before = state(Status::Ai, None);
        let mut after = state(Status::NeedsAgent, Some(7));
        after.handoff_reason = Some("the visitor asked for a person".into());
        after.routing_profile_id = Some(3);
        let e = events_of(&before, &after, None, None);
        assert_eq!(
            kinds(&e),
            [
                TimelineKind::HandedOff,
                TimelineKind::Routed,
                TimelineKind::Assigned
            ]
        );
        assert_eq!(e[0].text.as_deref(), Some("the visitor asked for a person"));
        assert_eq!(e[1].routing_profile_id, Some(3));
        assert_eq!((e[2].operator_id, e[2].actor_id), (Some(7), None));
    }

    #[test]
    fn taking_from_a_colleague_names_both() {
        let e = events_of(
            &state(Status::NeedsAgent, Some(1)),
            &state(Status::Assigned, Some(2)),
            Some(2),
            None,
        );
        assert_eq!(kinds(&e), [TimelineKind::TakenOver]);
        assert_eq!(
            (e[0].operator_id, e[0].from_operator_id),
            (Some(2), Some(1))
        );
    }

    #[test]
    fn reassigning_by_someone_else_is_an_assignment() {
        let e = events_of(
            &state(Status::Assigned, Some(1)),
            &state(Status::Assigned, Some(2)),
            Some(9),
            None,
        );
        assert_eq!(kinds(&e), [TimelineKind::Assigned]);
        assert_eq!(e[0].actor_id, Some(9));
    }

    #[test]
    fn hand_back_keeps_the_instruction_and_resolve_reopen_are_recorded() {
        let e = events_of(
            &state(Status::Assigned, Some(1)),
            &state(Status::Ai, None),
            Some(1),
            Some("COD costs +10 zł"),
        );
        assert_eq!(kinds(&e), [TimelineKind::HandedBack]);
        assert_eq!(e[0].text.as_deref(), Some("COD costs +10 zł"));

        let e = events_of(
            &state(Status::Assigned, Some(1)),
            &state(Status::Resolved, Some(1)),
            Some(1),
            None,
        );
        assert_eq!(kinds(&e), [TimelineKind::Resolved]);
        let e = events_of(
            &state(Status::Resolved, Some(1)),
            &state(Status::Assigned, Some(1)),
            Some(1),
            None,
        );
        assert_eq!(kinds(&e), [TimelineKind::Reopened]);
    }

    #[test]
    fn nothing_changed_records_nothing() {
        let s = state(Status::Ai, None);
        assert!(events_of(&s, &s, None, None).is_empty());
        let s = state(Status::Assigned, Some(4));
        assert!(events_of(&s, &s, Some(4), None).is_empty());
    }

    #[test]
    fn a_follow_up_mark_alone_is_not_an_event() {
        // A failed pipeline marks for follow-up too: only the working-hours step says why.
        let mut after = state(Status::Ai, None);
        after.follow_up = true;
        assert!(events_of(&state(Status::Ai, None), &after, None, None).is_empty());
    }

    #[test]
    fn a_visitor_reopening_with_a_new_handoff_records_it() {
        let mut before = state(Status::Resolved, Some(1));
        before.handed_off_at = Some("2026-11-01T10:00:00Z".parse().unwrap());
        let mut after = state(Status::NeedsAgent, Some(2));
        after.handed_off_at = Some("2026-12-01T10:00:00Z".parse().unwrap());
        after.handoff_reason = Some("again".into());
        after.routing_profile_id = Some(5);
        let e = events_of(&before, &after, None, None);
        assert_eq!(
            kinds(&e),
            [
                TimelineKind::Reopened,
                TimelineKind::HandedOff,
                TimelineKind::Routed,
                TimelineKind::Assigned
            ]
        );
        // An operator's reopen keeps the handoff time: no new handoff.
        let mut reopened = state(Status::Assigned, Some(1));
        reopened.handed_off_at = before.handed_off_at;
        let e = events_of(&before, &reopened, Some(1), None);
        assert_eq!(kinds(&e), [TimelineKind::Reopened]);
    }

    #[test]
    fn an_instruction_is_recorded_whatever_the_status() {
        let e = events_of(
            &state(Status::Resolved, None),
            &state(Status::Ai, None),
            Some(3),
            Some("COD +10 zł"),
        );
        assert_eq!(
            kinds(&e),
            [TimelineKind::Reopened, TimelineKind::HandedBack]
        );
        let e = events_of(
            &state(Status::Ai, None),
            &state(Status::Ai, None),
            Some(3),
            Some("COD +10 zł"),
        );
        assert_eq!(kinds(&e), [TimelineKind::HandedBack]);
    }
}
