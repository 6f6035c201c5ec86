//! The visitor's side of form and button actions: a submitted form (checked in the core, noted
//! on the conversation, fed to the lead when the form says so, and its HTTP action run with the
//! values as parameters) and a clicked button (its HTTP action run). Each is one guarded
//! conversation write with the agent's answer and the runs' execution-log rows.

use std::collections::BTreeMap;

use super::model::{
    ActionAnswered, ActionKind, ActionOutcome, FormFieldType, FormSubmit, NewActionLog,
};
use super::{kinds, RunValues, StoredAction};
use crate::conversations::events::LiveKind;
use crate::conversations::model::{ConversationState, NewMessage, VisitorEvent};
use crate::conversations::pipeline::actions::conversation_variables;
use crate::conversations::timeline::{NewEvent, TimelineKind};
use crate::engine::Author;
use crate::error::{Error, Result};
use crate::leads::model::LeadSource;
use crate::store::conversations::{ConversationSnapshot, ConversationWrite, LeadFeed};
use crate::tokens::hash_token;
use crate::{Baton, Id};

/// What running a form's or a button's HTTP action came to: the answer and the log row.
struct Ran {
    text: String,
    log: Option<NewActionLog>,
    note: String,
}

impl Baton {
    async fn visitor_action(
        &self,
        id: Id,
        token: &str,
        action_id: Id,
        kind: ActionKind,
    ) -> Result<(ConversationSnapshot, StoredAction)> {
        let snapshot = self
            .store()
            .conversation_snapshot(id, &hash_token(token), None)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        let what = if kind == ActionKind::Form {
            "form"
        } else {
            "button"
        };
        // Another agent's, switched off or of another type: not this conversation's to use.
        let stored = self
            .store()
            .action_get(action_id)
            .await?
            .filter(|s| {
                s.action.agent_id == snapshot.conversation.agent_id
                    && s.action.active
                    && s.action.kind == kind
            })
            .ok_or(Error::not_found(what))?;
        Ok((snapshot, stored))
    }

    /// The visitor sent a form action's form: the values are checked (422 at `values.NAME`),
    /// noted on the timeline, with `create_lead` made the conversation's gathered details (the
    /// lead's source `action_form`), and passed to the form's HTTP action if it has one, whose
    /// reply is the answer (else the form's success message).
    pub async fn visitor_action_form(
        &self,
        id: Id,
        token: &str,
        action_id: Id,
        input: FormSubmit,
    ) -> Result<ActionAnswered> {
        let _guard = self.conversation_lock(id).await;
        let (snapshot, stored) = self
            .visitor_action(id, token, action_id, ActionKind::Form)
            .await?;
        let form = stored.action.form.clone().ok_or(Error::not_found("form"))?;
        let values = kinds::check_submission(&form, &input.values)?;
        let before = snapshot.state();
        let mut state = before.clone();
        let mut consent = None;
        if form.create_lead {
            for (f, v) in &values {
                match f.kind {
                    FormFieldType::Consent => {
                        consent = Some((f.label.clone(), crate::store::now()));
                    }
                    // The lead's own fields by type, whatever the label says.
                    FormFieldType::Email => drop(state.gathered.insert("Email".into(), v.clone())),
                    FormFieldType::Phone => drop(state.gathered.insert("Phone".into(), v.clone())),
                    _ => drop(state.gathered.insert(f.label.clone(), v.clone())),
                }
            }
        }
        let said: Vec<String> = values
            .iter()
            .map(|(f, v)| format!("{}: {v}", f.label))
            .collect();
        let ran = match &form.run_action {
            None => Ran {
                text: form.success_message.clone(),
                log: None,
                note: String::new(),
            },
            Some(name) => {
                let params: BTreeMap<String, serde_json::Value> = values
                    .iter()
                    .filter(|(f, _)| f.kind != FormFieldType::Consent)
                    .map(|(f, v)| (f.name.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                let text = said.join("; ");
                self.run_for_visitor(
                    &snapshot,
                    &state,
                    name,
                    params,
                    &text,
                    &form.success_message,
                )
                .await?
            }
        };
        let events = [NewEvent::note(
            TimelineKind::FormSubmitted,
            format!("{}: {}{}", form.title, said.join(" · "), ran.note),
        )];
        let lead = form.create_lead.then_some(LeadFeed {
            source: LeadSource::ActionForm,
            consent,
        });
        self.answer_write(&snapshot, &before, &state, ran, &events, lead)
            .await
    }

    /// The visitor clicked a button action's button: a link's click is noted (the link opens
    /// in the visitor's browser); an action's is run and its reply is the answer.
    pub async fn visitor_action_button(
        &self,
        id: Id,
        token: &str,
        action_id: Id,
    ) -> Result<ActionAnswered> {
        let _guard = self.conversation_lock(id).await;
        let (snapshot, stored) = self
            .visitor_action(id, token, action_id, ActionKind::Button)
            .await?;
        let button = stored
            .action
            .button
            .clone()
            .ok_or(Error::not_found("button"))?;
        let before = snapshot.state();
        let Some(name) = &button.run_action else {
            let events = [NewEvent::note(
                TimelineKind::ButtonClicked,
                format!(
                    "“{}” (action {}) → {}",
                    button.label,
                    stored.action.name,
                    button.url.as_deref().unwrap_or("")
                ),
            )];
            let write = ConversationWrite {
                events: &events,
                ..ConversationWrite::new(&before, &before)
            };
            self.store().conversation_write(id, write).await?;
            return Ok(ActionAnswered { message: None });
        };
        let latest = snapshot
            .transcript
            .iter()
            .rev()
            .find(|t| t.author == Author::Visitor)
            .map(|t| t.text.clone())
            .unwrap_or_default();
        let ran = self
            .run_for_visitor(&snapshot, &before, name, BTreeMap::new(), &latest, "")
            .await?;
        let events = [NewEvent::note(
            TimelineKind::ButtonClicked,
            format!(
                "“{}” (action {}){}",
                button.label, stored.action.name, ran.note
            ),
        )];
        self.answer_write(&snapshot, &before, &before, ran, &events, None)
            .await
    }

    /// Runs the HTTP action `name` for the conversation with `params`; the answer is its reply
    /// (or, with no reply template, `fallback`, else what came back), its failure message on
    /// failure. A failure's handoff is not made here: the failure message is said.
    async fn run_for_visitor(
        &self,
        snapshot: &ConversationSnapshot,
        state: &ConversationState,
        name: &str,
        params: BTreeMap<String, serde_json::Value>,
        text: &str,
        fallback: &str,
    ) -> Result<Ran> {
        let conv = &snapshot.conversation;
        let Some(http) = self.action_by_name(conv.agent_id, name).await? else {
            return Ok(Ran {
                text: crate::actions::validate::DEFAULT_FAILURE_MESSAGE.into(),
                log: None,
                note: format!("; the action '{name}' is gone"),
            });
        };
        // Only the parameters the action declares; the rest of the form is on the timeline.
        let declared: BTreeMap<String, serde_json::Value> = params
            .into_iter()
            .filter(|(k, _)| http.action.parameters.iter().any(|p| &p.name == k))
            .collect();
        let params = match http.check_params(&declared) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Ran {
                    text: http.action.failure_message.clone(),
                    log: None,
                    note: format!("; '{name}' not run: {}", e.public_message()),
                })
            }
        };
        let values = RunValues {
            variables: conversation_variables(conv, text, &snapshot.transcript, state),
            params,
        };
        let run = match self.action_run(&http, &values, Some(conv.id)).await {
            Ok(r) => r,
            Err(e) => {
                return Ok(Ran {
                    text: http.action.failure_message.clone(),
                    log: None,
                    note: format!("; '{name}' not sent: {}", e.public_message()),
                })
            }
        };
        let ok = run.outcome == ActionOutcome::Success;
        let text = match (&run.visitor_reply, ok) {
            (Some(t), _) => t.clone(),
            (None, true) if !fallback.is_empty() => fallback.to_owned(),
            (None, true) => "Done.".to_owned(),
            (None, false) => http.action.failure_message.clone(),
        };
        let mut log = run.log;
        log.reached_conversation = ok;
        Ok(Ran {
            text,
            log: Some(log),
            note: format!("; ran '{name}': {}", run.outcome.as_str()),
        })
    }

    /// The answer, the timeline entry, the lead and the run's log row in one write; the row
    /// is written alone if that write fails (a run is never unlogged).
    async fn answer_write(
        &self,
        snapshot: &ConversationSnapshot,
        before: &ConversationState,
        state: &ConversationState,
        ran: Ran,
        events: &[NewEvent],
        lead: Option<LeadFeed>,
    ) -> Result<ActionAnswered> {
        let conv = &snapshot.conversation;
        let replies = [NewMessage {
            author: Author::Ai,
            operator_id: None,
            text: ran.text.clone(),
            attachments: Vec::new(),
            internal: false,
        }];
        let logs: Vec<NewActionLog> = ran.log.into_iter().collect();
        let write = ConversationWrite {
            replies: &replies,
            events,
            lead,
            action_logs: &logs,
            ..ConversationWrite::new(before, state)
        };
        let written = match self.store().conversation_write(conv.id, write).await {
            Ok(w) => w,
            Err(e) => {
                for log in &logs {
                    let _ = self.store().action_log_insert(log).await;
                }
                return Err(e);
            }
        };
        let message = written
            .replies
            .first()
            .cloned()
            .ok_or_else(|| Error::Internal("the answer was not stored".into()))?;
        let conversation = conv.with_state(state);
        self.publish(
            &conversation,
            LiveKind::Message {
                message: message.clone(),
            },
        );
        self.publish(
            &conversation,
            LiveKind::Visitor {
                event: VisitorEvent::Reply { text: ran.text },
            },
        );
        if let Some((lead, _)) = written.lead {
            self.lead_captured(conv.id, lead).await;
        }
        Ok(ActionAnswered {
            message: Some(message),
        })
    }
}
