//! The custom-actions step of the pipeline: the visitor's message calls for one of the agent's
//! HTTP actions ("where is my order A-4521?" → the shop's order API), the values it needs are
//! taken from the conversation or asked for, it runs through [`Baton::action_run`] (the
//! outbound guard, the execution log), and its reply becomes the agent's answer; a failure
//! says the action's failure message or hands off, as the action says.

use std::time::Instant;

use super::*;
use crate::actions::model::{
    ActionKind, ActionOutcome, ActionRequestShown, ButtonMoment, NewActionLog,
};
use crate::actions::{ActionRun, RunValues, StoredAction};
use crate::engine::builtin::actions as matcher;
use crate::engine::{ActionChoice, ActionChoiceInput, ActionReplyInput, ActionSpec};

/// Why and by whom an action was chosen, and since when the step runs.
struct Chosen {
    reason: String,
    engine: String,
    t: Instant,
}

/// Invalid answers to an action's question before the agent stops asking and answers
/// without the action.
pub const ACTION_MAX_ATTEMPTS: u32 = 2;

impl Baton {
    /// Step 4, custom actions: the best matching active action of the agent, unless its "when
    /// not to use" holds it back (logged as `skipped`); a required value the conversation does
    /// not hold is asked for (and the action runs on the answer).
    pub(super) async fn step_action(&self, run: &mut Run, at: &Turning<'_>) -> Result<Step> {
        let Turning { conv, text, .. } = *at;
        let all = self.actions_active(conv.agent_id).await?;
        // A button shown under the first answer is not chosen by what the visitor says.
        let actions: Vec<&StoredAction> = all
            .iter()
            .filter(|s| {
                s.action
                    .button
                    .as_ref()
                    .is_none_or(|b| b.moment == ButtonMoment::Matched)
            })
            .collect();
        if actions.is_empty() || text.trim().is_empty() {
            return Ok(Step::Next);
        }
        let t = Instant::now();
        let specs: Vec<ActionSpec<'_>> = actions
            .iter()
            .map(|s| ActionSpec {
                name: &s.action.name,
                description: &s.action.description,
                when_not_to_use: &s.action.when_not_to_use,
                examples: &s.action.examples,
                parameters: &s.action.parameters,
            })
            .collect();
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
            // The model's choice was not used (a refused tool call, a timeout…): said, then
            // the built-in engine's choice goes on.
            run.rule(
                "action",
                "fallback",
                format!("the model's action choice was not used: {why}"),
                t,
            );
        }
        let ActionChoice::Call {
            index,
            params,
            reason,
            held_back,
        } = chosen.value
        else {
            return Ok(Step::Next);
        };
        let stored = actions[index];
        if let Some(why) = held_back {
            self.action_skipped(stored, conv.id, &why).await?;
            run.rule("action", "skipped", format!("{reason}; {why}"), t);
            return Ok(Step::Next);
        }
        let how = Chosen {
            reason,
            engine: chosen.engine,
            t,
        };
        match stored.action.kind {
            ActionKind::Http => self.action_go(run, at, stored, params, how).await,
            ActionKind::Form => Ok(form_offer(run, stored, how)),
            ActionKind::Button => Ok(button_offer(run, stored, how)),
        }
    }

    /// After the agent's first answer in a conversation: the button of each active button
    /// action set to appear then (under that answer).
    pub(super) async fn first_answer_buttons(&self, run: &mut Run, at: &Turning<'_>) {
        let first = run
            .events
            .iter()
            .any(|e| matches!(e, VisitorEvent::Reply { .. }))
            && run.state.status == Status::Ai
            && !run.handoff
            && !at.transcript.iter().any(|t| t.author == Author::Ai);
        if !first {
            return;
        }
        let Ok(all) = self.actions_active(at.conv.agent_id).await else {
            return;
        };
        for stored in all.iter() {
            let Some(b) = &stored.action.button else {
                continue;
            };
            if b.moment != ButtonMoment::AfterFirstAnswer {
                continue;
            }
            run.rule(
                "action",
                "button_shown",
                format!(
                    "the button '{}' of action '{}' comes under the first answer",
                    b.label, stored.action.name
                ),
                Instant::now(),
            );
            run.events.push(button_event(stored.action.id, b));
        }
    }

    /// The visitor's answer to the value an action asked for: used and the action run, asked
    /// again once, or given up (the message then goes on as any other).
    pub(super) async fn step_action_answer(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        mut pending: PendingAction,
    ) -> Result<Step> {
        let Turning { text, .. } = *at;
        let t = Instant::now();
        run.state.pending = None;
        let stored = match self.store().action_get(pending.action_id).await? {
            Some(s) if s.action.active => s,
            // Deleted or switched off meanwhile: nothing to run.
            _ => return Ok(Step::Next),
        };
        let Some(param) = stored
            .action
            .parameters
            .iter()
            .find(|p| p.name == pending.asked)
        else {
            return Ok(Step::Next);
        };
        match matcher::extract_answer(param, text) {
            Some(v) => {
                pending.params.insert(param.name.clone(), v);
                let how = Chosen {
                    reason: format!(
                        "the visitor gave {} for action '{}'",
                        param.name, stored.action.name
                    ),
                    engine: "builtin".into(),
                    t,
                };
                self.action_go(run, at, &stored, pending.params, how).await
            }
            None if pending.attempts + 1 < ACTION_MAX_ATTEMPTS
                && classify::confirmation(text) != Some(false) =>
            {
                pending.attempts += 1;
                let what = what_is(param);
                let q = phrases::action_needs_again(run.state.language.as_deref(), &what);
                run.rule(
                    "action",
                    "asking",
                    format!(
                        "not a valid {} for action '{}': asked again",
                        param.name, stored.action.name
                    ),
                    t,
                );
                run.state.pending = Some(Pending {
                    action: Some(pending),
                    ..Default::default()
                });
                run.say(&q, VisitorEvent::Reply { text: q.clone() });
                Ok(Step::Done)
            }
            None => {
                run.rule(
                    "action",
                    "gave_up",
                    format!(
                        "no {} for action '{}'; the message is answered without it",
                        param.name, stored.action.name
                    ),
                    t,
                );
                Ok(Step::Next)
            }
        }
    }

    /// Asks for the first missing required value, or runs the action.
    async fn action_go(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        stored: &StoredAction,
        params: BTreeMap<String, serde_json::Value>,
        how: Chosen,
    ) -> Result<Step> {
        let Chosen { reason, engine, t } = how;
        let Turning { conv, .. } = *at;
        let action = &stored.action;
        if let Some(p) = action
            .parameters
            .iter()
            .find(|p| p.required && !params.contains_key(&p.name))
        {
            let q = phrases::action_needs(run.state.language.as_deref(), &what_is(p));
            run.rule(
                "action",
                "asking",
                format!("{reason}; {} is needed: asked the visitor", p.name),
                t,
            );
            run.state.pending = Some(Pending {
                action: Some(PendingAction {
                    action_id: action.id,
                    params,
                    asked: p.name.clone(),
                    attempts: 0,
                }),
                ..Default::default()
            });
            run.say(&q, VisitorEvent::Reply { text: q.clone() });
            return Ok(Step::Done);
        }
        let params = match stored.check_params(&params) {
            Ok(p) => p,
            Err(e) => {
                run.rule(
                    "action",
                    "not_sent",
                    format!("{reason}; a value is not usable: {}", e.public_message()),
                    t,
                );
                return Ok(Step::Next);
            }
        };
        let values = RunValues {
            variables: variables(at, run),
            params,
        };
        let ran = match self.action_run(stored, &values, Some(conv.id)).await {
            Ok(r) => r,
            // Not built (a value refused where it goes): nothing was sent.
            Err(e) => {
                run.rule(
                    "action",
                    "not_sent",
                    format!("{reason}; not sent: {}", e.public_message()),
                    t,
                );
                let text = action.failure_message.clone();
                run.say(&text, VisitorEvent::Reply { text: text.clone() });
                return Ok(Step::Done);
            }
        };
        run.state.pending = None;
        let latency = t.elapsed().as_micros().min(i64::MAX as u128) as i64;
        run.record(
            "action",
            ran.outcome.as_str(),
            format!("{reason}; {}", how_it_went(action.name.as_str(), &ran)),
            &engine,
            latency,
        );
        if ran.handoff {
            run.action_logs.push(ran.log);
            return Ok(Step::HandOff(Trigger {
                reason: format!(
                    "action '{}' failed ({}); the action hands off on failure",
                    action.name,
                    ran.outcome.as_str()
                ),
                key: None,
                keyword: None,
                ask: false,
                skipped: Vec::new(),
            }));
        }
        let text = match ran.visitor_reply.clone() {
            Some(text) => text,
            // A success without a reply template: the model words it (the built-in engine
            // lists what came back).
            None => self
                .action_worded(run, at, action, &ran)
                .await
                .or_else(|| found(&ran))
                .unwrap_or_else(|| action.failure_message.clone()),
        };
        run.say(&text, VisitorEvent::Reply { text: text.clone() });
        // Written with this reply, in one transaction: it reaches the conversation with it.
        let mut log = ran.log;
        log.reached_conversation = log.outcome == ActionOutcome::Success;
        run.action_logs.push(log);
        Ok(Step::Done)
    }

    /// The model's wording of a successful run's answer; `None` with the built-in engine, or
    /// when the model failed (recorded).
    async fn action_worded(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        action: &crate::actions::model::Action,
        ran: &ActionRun,
    ) -> Option<String> {
        let response = ran.response.as_ref()?;
        let t = Instant::now();
        let worded = run
            .engine
            .action_reply(&ActionReplyInput {
                history: at.history,
                message: at.text,
                action: &action.name,
                description: &action.description,
                status: response.status,
                response: &response.body,
                language: run.state.language.as_deref(),
            })
            .await;
        if let Some(why) = &worded.fallback {
            run.rule(
                "action",
                "fallback",
                format!(
                    "the model did not word the answer ({why}); the answer's fields are listed"
                ),
                t,
            );
        }
        worded.value
    }

    /// A `skipped` entry in the execution log: the action was called for but held back.
    async fn action_skipped(
        &self,
        stored: &StoredAction,
        conversation: Id,
        why: &str,
    ) -> Result<()> {
        let a = &stored.action;
        let log = NewActionLog {
            created_at: crate::store::now(),
            agent_id: a.agent_id,
            action_id: Some(a.id),
            action_name: a.name.clone(),
            conversation_id: Some(conversation),
            test: false,
            request: ActionRequestShown {
                method: a.method,
                url: a.url.clone(),
                headers: Vec::new(),
                body: None,
            },
            request_truncated: false,
            response_status: None,
            response_headers: Vec::new(),
            response_body: None,
            response_truncated: false,
            duration_ms: 0,
            outcome: ActionOutcome::Skipped,
            error: Some(why.to_owned()),
            reached_conversation: false,
        };
        self.store().action_log_insert(&log.bounded()).await?;
        Ok(())
    }
}

/// A form action chosen: the agent says the form's intro and the form comes under it.
fn form_offer(run: &mut Run, stored: &StoredAction, how: Chosen) -> Step {
    let Some(form) = &stored.action.form else {
        return Step::Next;
    };
    let latency = how.t.elapsed().as_micros().min(i64::MAX as u128) as i64;
    run.record(
        "action",
        "form_shown",
        format!("{}; showed the form '{}'", how.reason, form.title),
        &how.engine,
        latency,
    );
    run.say(
        &form.intro,
        VisitorEvent::Reply {
            text: form.intro.clone(),
        },
    );
    run.events.push(VisitorEvent::ActionForm {
        action_id: stored.action.id,
        form: form.view(),
    });
    Step::Done
}

/// A button action chosen: its message with the button, or (no message) the button under the
/// agent's answer, which goes on.
fn button_offer(run: &mut Run, stored: &StoredAction, how: Chosen) -> Step {
    let Some(b) = &stored.action.button else {
        return Step::Next;
    };
    let latency = how.t.elapsed().as_micros().min(i64::MAX as u128) as i64;
    run.record(
        "action",
        "button_shown",
        format!("{}; showed the button '{}'", how.reason, b.label),
        &how.engine,
        latency,
    );
    if b.message.is_empty() {
        run.events.push(button_event(stored.action.id, b));
        return Step::Next;
    }
    run.say(
        &b.message,
        VisitorEvent::Reply {
            text: b.message.clone(),
        },
    );
    run.events.push(button_event(stored.action.id, b));
    Step::Done
}

fn button_event(action_id: Id, b: &crate::actions::model::ActionButton) -> VisitorEvent {
    VisitorEvent::ActionButton {
        action_id,
        label: b.label.clone(),
        url: b.url.clone(),
    }
}

/// How the visitor is asked for a value: its description ("the order number"), else its name.
fn what_is(p: &crate::actions::model::ActionParameter) -> String {
    let d = p.description.trim().trim_end_matches('.');
    if d.is_empty() {
        p.name.replace(['_', '-'], " ")
    } else {
        let mut c = d.chars();
        match c.next() {
            // "The order number" reads "the order number" inside a sentence.
            Some(first) if c.clone().next().is_some_and(char::is_lowercase) => {
                first.to_lowercase().chain(c).collect()
            }
            _ => d.to_owned(),
        }
    }
}

/// The template variables of this conversation and message.
fn variables(at: &Turning<'_>, run: &Run) -> BTreeMap<String, String> {
    conversation_variables(at.conv, at.text, at.transcript, &run.state)
}

/// The template variables of a conversation in `state`, its latest visitor words `text`.
pub(crate) fn conversation_variables(
    conv: &Conversation,
    text: &str,
    transcript: &[Turn],
    state: &ConversationState,
) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert("conversation.id".into(), conv.id.to_string());
    v.insert("conversation.user_id".into(), conv.visitor_id.clone());
    v.insert("conversation.channel".into(), conv.channel.as_str().into());
    v.insert("message.content".into(), text.to_owned());
    let sentiment = if classify::frustration(text).is_some() {
        "negative"
    } else {
        "neutral"
    };
    v.insert("message.sentiment".into(), sentiment.into());
    v.insert("agent.id".into(), conv.agent_id.to_string());
    if let Some(l) = &state.language {
        v.insert("language".into(), l.clone());
    }
    if let Some(c) = conv.metadata.get("country") {
        v.insert("country".into(), c.clone());
    }
    for (k, value) in &conv.metadata {
        v.insert(format!("metadata.{k}"), value.clone());
    }
    let said: Vec<&str> = transcript
        .iter()
        .filter(|t| t.author == Author::Visitor)
        .map(|t| t.text.as_str())
        .collect();
    let gathered = |key: &str| {
        state
            .gathered
            .iter()
            .find(|(k, _)| k.to_lowercase().contains(key))
            .map(|(_, v)| v.clone())
    };
    if let Some(e) =
        gathered("email").or_else(|| said.iter().rev().find_map(|t| gather::find_email(t)))
    {
        v.insert("lead.email".into(), e);
    }
    if let Some(n) =
        gathered("name").or_else(|| said.iter().rev().find_map(|t| gather::find_name(t)))
    {
        v.insert("lead.name".into(), n);
    }
    if let Some(p) = gathered("phone").or_else(|| {
        said.iter()
            .rev()
            .find_map(|t| gather::find_contact_phone(t))
    }) {
        v.insert("lead.phone".into(), p);
    }
    v
}

/// The run in words, for the decision record: what was called, what came back, how long.
fn how_it_went(name: &str, ran: &ActionRun) -> String {
    let status = ran
        .response
        .as_ref()
        .map_or_else(|| "no answer".to_owned(), |r| format!("HTTP {}", r.status));
    let mut out = format!(
        "ran action '{name}': {} {} → {status} in {} ms",
        ran.request.method.as_str(),
        ran.request.url,
        ran.duration_ms
    );
    if let Some(e) = &ran.error {
        out.push_str(&format!(" ({e})"));
    }
    out
}

/// Without a reply template: the top-level values of a JSON answer, plainly.
fn found(ran: &ActionRun) -> Option<String> {
    if ran.outcome != ActionOutcome::Success {
        return None;
    }
    let body = &ran.response.as_ref()?.body;
    let serde_json::Value::Object(m) = serde_json::from_str::<serde_json::Value>(body).ok()? else {
        return None;
    };
    let parts: Vec<String> = m
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some(format!("{}: {s}", k.replace('_', " "))),
            serde_json::Value::Number(n) => Some(format!("{}: {n}", k.replace('_', " "))),
            serde_json::Value::Bool(b) => Some(format!("{}: {b}", k.replace('_', " "))),
            _ => None,
        })
        .take(6)
        .collect();
    (!parts.is_empty()).then(|| format!("Here is what I found: {}.", parts.join(", ")))
}
