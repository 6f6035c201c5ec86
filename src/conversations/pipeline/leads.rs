//! Lead capture in the pipeline. Smart data gathering: details the visitor writes are noticed
//! whenever they appear ("I'm Anna, anna@example.com"); after enough visitor messages, or as
//! soon as the visitor shows interest, the agent asks for the next missing field (subtle: on
//! its answer; direct: a question of its own), once per field; the answer is checked (asked
//! again once, then skipped) and a refusal ends the asking. The contact form is offered under
//! the agent's first answer when it is set to appear there. Each step leaves a `lead` record.

use std::time::Instant;

use super::{Run, Step, Turning};
use crate::conversations::gather::{self, LeadValue};
use crate::conversations::model::{Status, VisitorEvent};
use crate::conversations::phrases;
use crate::conversations::timeline::{NewEvent, TimelineKind};
use crate::engine::builtin::classify;
use crate::engine::Author;
use crate::leads::model::LeadSource;
use crate::leads::settings::{FormPosition, GatherField, GatherKind, LeadSettings};
use crate::store::conversations::LeadFeed;
use crate::Baton;

/// Answers to one gathering request that are not a valid value before the field is skipped.
pub const LEAD_MAX_ATTEMPTS: u32 = 2;

/// Whether `gathered` already holds `field` (under its key, or, for a built-in field, under
/// any label naming it: the handoff's "Email address" counts as the email).
fn known(run: &Run, field: &GatherField) -> bool {
    let key = field.key().to_lowercase();
    run.state.gathered.iter().any(|(k, v)| {
        let k = k.to_lowercase();
        !v.trim().is_empty()
            && (k == key
                || match field.kind {
                    GatherKind::Email => k.contains("email"),
                    GatherKind::Phone => k.contains("phone"),
                    GatherKind::FirstName => k.contains("name"),
                    GatherKind::Custom => false,
                })
    })
}

/// How the agent names `field` in the conversation's language.
fn spoken(field: &GatherField, lang: Option<&str>) -> String {
    if !field.label.trim().is_empty() {
        return field.spoken();
    }
    let kind = match field.kind {
        GatherKind::Email => "email",
        GatherKind::Phone => "phone",
        _ => "first_name",
    };
    phrases::field_name(lang, kind).to_owned()
}

/// Short enough to be only the answer ("anna@example.com", "sure: Anna"), not a message that
/// also asks something.
fn only_an_answer(text: &str) -> bool {
    text.split_whitespace().count() <= 5 && !text.contains('?')
}

impl Baton {
    /// Gathering on: the details of the enabled fields that the message holds, noted without
    /// asking (the field being asked for is the answer step's).
    pub(super) fn step_lead_notice(&self, run: &mut Run, at: &Turning<'_>) {
        let Some(s) = at.leads.filter(|s| s.gathering.enabled) else {
            return;
        };
        let t = Instant::now();
        if !run.state.lead.interested {
            if let Some(cue) = classify::interest(at.text) {
                run.state.lead.interested = true;
                run.rule(
                    "lead",
                    "interest",
                    format!("the visitor shows interest ({cue})"),
                    t,
                );
            }
        }
        let country = s
            .gathering
            .phone_country
            .as_deref()
            .and_then(crate::fields::phone_country);
        for field in &s.gathering.fields {
            let key = field.key();
            if known(run, field) || run.state.lead.asked.as_deref() == Some(key.as_str()) {
                continue;
            }
            if let LeadValue::Found(v) =
                gather::lead_value(field.kind, field.field_type, at.text, false, country)
            {
                self.lead_keep(run, &key, v, "noticed in the visitor's message", t);
            }
        }
    }

    fn lead_keep(&self, run: &mut Run, key: &str, value: String, how: &str, t: Instant) {
        run.rule("lead", "collected", format!("{key}: {how}"), t);
        run.timeline.push(NewEvent::note(
            TimelineKind::DetailGathered,
            format!("{key}: {value}"),
        ));
        run.state.gathered.insert(key.to_owned(), value);
        run.lead_feed.get_or_insert(LeadFeed {
            source: LeadSource::Gathering,
            consent: None,
        });
        run.state.lead.declined.retain(|d| d != key);
    }

    /// The visitor's answer to the field the agent asked for. `Done` when the message was only
    /// that (a thank-you or the request once more is the reply); `Next` otherwise.
    pub(super) fn step_lead_answer(&self, run: &mut Run, at: &Turning<'_>) -> Step {
        let Some(s) = at.leads.filter(|s| s.gathering.enabled) else {
            return Step::Next;
        };
        let Some(key) = run.state.lead.asked.clone() else {
            return Step::Next;
        };
        let t = Instant::now();
        let lang = run.state.language.clone();
        let lang = lang.as_deref();
        let Some(field) = s.gathering.fields.iter().find(|f| f.key() == key) else {
            // The field was removed from the settings since it was asked.
            run.state.lead.asked = None;
            return Step::Next;
        };
        if gather::refuses(at.text) {
            // A refusal is respected: no more requests in this conversation.
            run.state.lead.asked = None;
            run.state.lead.attempts = 0;
            let open: Vec<String> = s
                .gathering
                .fields
                .iter()
                .filter(|f| !known(run, f) && !run.state.lead.declined.contains(&f.key()))
                .map(GatherField::key)
                .collect();
            run.state.lead.declined.extend(open);
            run.rule(
                "lead",
                "declined",
                format!(
                    "the visitor declined to give their {}; not asked again",
                    field.spoken()
                ),
                t,
            );
            run.timeline.push(NewEvent::note(
                TimelineKind::DetailGathered,
                format!("declined: {key}"),
            ));
            run.lead_quiet = true;
            self.lead_complete(run, at);
            if only_an_answer(at.text) {
                let text = phrases::gather_declined(lang);
                run.say(text, VisitorEvent::Reply { text: text.into() });
                return Step::Done;
            }
            return Step::Next;
        }
        let country = s
            .gathering
            .phone_country
            .as_deref()
            .and_then(crate::fields::phone_country);
        match gather::lead_value(field.kind, field.field_type, at.text, true, country) {
            LeadValue::Found(v) => {
                run.state.lead.asked = None;
                run.state.lead.attempts = 0;
                self.lead_keep(run, &key, v, "the visitor's answer", t);
                if only_an_answer(at.text) {
                    let text = phrases::gather_thanks(lang);
                    run.say(text, VisitorEvent::Reply { text: text.into() });
                    return Step::Done;
                }
                Step::Next
            }
            LeadValue::Invalid if run.state.lead.attempts + 1 < LEAD_MAX_ATTEMPTS => {
                run.state.lead.attempts += 1;
                run.rule(
                    "lead",
                    "invalid",
                    format!(
                        "the answer is not a valid {}; asked once more",
                        field.spoken()
                    ),
                    t,
                );
                let text = phrases::gather_again(lang, &spoken(field, lang));
                run.say(
                    &text,
                    VisitorEvent::InformationRequest {
                        field: key.clone(),
                        prompt: text.clone(),
                    },
                );
                Step::Done
            }
            LeadValue::Invalid => {
                run.state.lead.asked = None;
                run.state.lead.attempts = 0;
                run.state.lead.declined.push(key.clone());
                run.rule(
                    "lead",
                    "skipped",
                    format!(
                        "no valid {} after two answers; not asked again",
                        field.spoken()
                    ),
                    t,
                );
                run.lead_quiet = true;
                self.lead_complete(run, at);
                let text = phrases::gather_declined(lang);
                run.say(text, VisitorEvent::Reply { text: text.into() });
                Step::Done
            }
            LeadValue::Absent => {
                // Not an answer (a new question): the request is not repeated.
                run.state.lead.asked = None;
                run.state.lead.attempts = 0;
                run.rule(
                    "lead",
                    "unanswered",
                    format!(
                        "the visitor went on without giving their {}",
                        field.spoken()
                    ),
                    t,
                );
                run.lead_quiet = true;
                Step::Next
            }
        }
    }

    /// Nothing left to ask: gathering is complete, and a lead with any detail is captured
    /// (its email is sent after the write).
    fn lead_complete(&self, run: &mut Run, at: &Turning<'_>) {
        let Some(s) = at.leads else { return };
        if run.state.lead.completed {
            return;
        }
        let open = s.gathering.fields.iter().any(|f| {
            let k = f.key();
            !known(run, f)
                && !run.state.lead.declined.contains(&k)
                && !run.state.lead.asked_fields.contains(&k)
        });
        if open || run.state.lead.asked.is_some() {
            return;
        }
        run.state.lead.completed = true;
        if s.gathering.fields.iter().any(|f| known(run, f)) {
            run.lead_captured = true;
        }
    }

    /// After the agent's answer (the run's last event is a reply and the conversation stays
    /// with the AI): the request for the next missing field when it is time, and the contact
    /// form under the first answer.
    pub(super) fn lead_after_reply(&self, run: &mut Run, at: &Turning<'_>) {
        let Some(s) = at.leads else { return };
        let replying = matches!(run.events.last(), Some(VisitorEvent::Reply { .. }))
            && run.state.status == Status::Ai
            && run.state.pending.is_none()
            && !run.handoff;
        if !replying {
            return;
        }
        self.lead_ask(run, at, s);
        self.lead_form_after_first(run, at, s);
    }

    fn lead_ask(&self, run: &mut Run, at: &Turning<'_>, s: &LeadSettings) {
        let g = &s.gathering;
        if !g.enabled || run.state.lead.completed || run.state.lead.asked.is_some() {
            return;
        }
        self.lead_complete(run, at);
        if run.state.lead.completed || run.lead_quiet {
            return;
        }
        let t = Instant::now();
        let sent = at
            .transcript
            .iter()
            .filter(|m| m.author == Author::Visitor)
            .count();
        let when = if sent >= g.after_messages as usize {
            format!("after {sent} visitor messages")
        } else if g.when == crate::leads::settings::GatherWhen::Interest
            && run.state.lead.interested
        {
            "the visitor showed interest".to_owned()
        } else {
            return;
        };
        let Some(field) = g.fields.iter().find(|f| {
            let k = f.key();
            !known(run, f)
                && !run.state.lead.declined.contains(&k)
                && !run.state.lead.asked_fields.contains(&k)
        }) else {
            return;
        };
        let key = field.key();
        let lang = run.state.language.clone();
        let what = spoken(field, lang.as_deref());
        let how = match g.how {
            crate::leads::settings::GatherHow::Subtle => {
                let ask = phrases::gather_subtle(lang.as_deref(), &what);
                if let (Some(m), Some(VisitorEvent::Reply { text })) =
                    (run.replies.last_mut(), run.events.last_mut())
                {
                    m.text = format!("{} {ask}", m.text.trim_end());
                    text.clone_from(&m.text);
                }
                "subtle, on the answer"
            }
            crate::leads::settings::GatherHow::Direct => {
                let ask = phrases::gather_direct(lang.as_deref(), &what);
                run.say(
                    &ask,
                    VisitorEvent::InformationRequest {
                        field: key.clone(),
                        prompt: ask.clone(),
                    },
                );
                "direct, a question of its own"
            }
        };
        run.rule(
            "lead",
            "asked",
            format!("asked for the {} ({how}; {when})", field.spoken()),
            t,
        );
        run.state.lead.asked = Some(key.clone());
        run.state.lead.asked_fields.push(key);
    }

    fn lead_form_after_first(&self, run: &mut Run, at: &Turning<'_>, s: &LeadSettings) {
        let f = &s.contact_form;
        let lead = &run.state.lead;
        if !f.enabled
            || f.position != FormPosition::AfterFirstResponse
            || lead.form_shown
            || lead.form_submitted
            || at.history.iter().any(|m| m.author == Author::Ai)
        {
            return;
        }
        let t = Instant::now();
        run.events.push(VisitorEvent::ContactForm {
            form: crate::leads::form::view(s),
        });
        run.state.lead.form_shown = true;
        run.rule(
            "lead",
            "form_shown",
            "the contact form, under the agent's first answer",
            t,
        );
    }
}
