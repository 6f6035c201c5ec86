//! The contact form: what the widget shows ([`view`]), a visitor's submission (checked here,
//! in the core, whatever the widget checked), and the visitor ending the chat (the form, when
//! it is set to appear at the end).
//!
//! A submission is one conversation write: the details into the conversation's gathered
//! information, the success message as the agent's reply, a `contact_form` timeline entry
//! (what the inbox shows), and the lead fed with the source `contact_form` and the consent
//! (the text agreed to and the time). Then the lead email (if on) is queued.

use chrono::Utc;

use super::model::{ContactFormField, ContactFormResult, ContactFormSubmit, ContactFormView};
use super::model::{LeadSource, VisitorEnded};
use super::settings::{FieldMode, FormPosition, LeadSettings};
use crate::conversations::events::LiveKind;
use crate::conversations::model::{NewMessage, VisitorEvent};
use crate::conversations::timeline::{NewEvent, TimelineKind};
use crate::engine::Author;
use crate::error::{Error, Problems, Result};
use crate::store::conversations::{ConversationWrite, LeadFeed};
use crate::tokens::hash_token;
use crate::{Baton, Id};

pub const NAME_MAX: usize = 100;
pub const PHONE_MAX: usize = 40;

/// The form as the widget renders it.
pub fn view(s: &LeadSettings) -> ContactFormView {
    let f = &s.contact_form;
    let fields = [
        ("name", "Name", f.name),
        ("email", "Email", f.email),
        ("phone", "Phone", f.phone),
    ]
    .into_iter()
    .filter(|(_, _, m)| *m != FieldMode::Off)
    .map(|(name, label, m)| ContactFormField {
        name: name.into(),
        label: label.into(),
        required: m == FieldMode::Required,
    })
    .collect();
    ContactFormView {
        heading: f.heading.clone(),
        fields,
        submit_label: f.submit_label.clone(),
        consent_message: f.consent.then(|| f.consent_message.clone()),
    }
}

/// The form to show as a chat opens, if it is on and set to appear at start.
pub fn at_start(s: &LeadSettings) -> Option<ContactFormView> {
    (s.contact_form.enabled && s.contact_form.position == FormPosition::AtStart).then(|| view(s))
}

/// The submitted values, checked against the form: (name, email, phone in E.164).
pub(crate) type Checked = (Option<String>, Option<String>, Option<String>);

pub(crate) fn check(s: &LeadSettings, input: &ContactFormSubmit) -> Result<Checked> {
    let f = &s.contact_form;
    let mut p = Problems::new();
    let value = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mut field = |name: &str, mode: FieldMode, v: &Option<String>, max: usize| {
        let v = value(v);
        match (mode, &v) {
            (FieldMode::Off, Some(_)) => {
                p.push(name, "not_in_form", "this form does not ask for it");
                None
            }
            (FieldMode::Required, None) => {
                p.push(name, "required", "required");
                None
            }
            (_, Some(text)) if text.chars().count() > max => {
                p.push(name, "too_long", format!("at most {max} characters"));
                None
            }
            (_, Some(text)) if text.chars().any(|c| c.is_control()) => {
                p.push(name, "invalid", "must not contain control characters");
                None
            }
            _ => v,
        }
    };
    let name = field("name", f.name, &input.name, NAME_MAX);
    let email = field(
        "email",
        f.email,
        &input.email,
        crate::fields::EMAIL_MAX_CHARS,
    );
    let phone = field("phone", f.phone, &input.phone, PHONE_MAX);
    let email = match email {
        Some(e) if !crate::fields::is_valid_email(&e) => {
            p.push("email", "invalid_email", "not an email address");
            None
        }
        e => e.map(|e| e.to_lowercase()),
    };
    let country = s
        .gathering
        .phone_country
        .as_deref()
        .and_then(crate::fields::phone_country);
    let phone = match phone {
        Some(n) => match crate::fields::phone_e164(&n, country) {
            Some(e164) => Some(e164),
            None => {
                p.push(
                    "phone",
                    "invalid_phone",
                    if country.is_some() {
                        "not a valid phone number"
                    } else {
                        "not a valid phone number (include the country code, e.g. +44…)"
                    },
                );
                None
            }
        },
        None => None,
    };
    if f.consent && !input.consent {
        p.push("consent", "required", "please agree to continue");
    }
    if name.is_none() && email.is_none() && phone.is_none() && p.is_empty() {
        p.push("email", "required", "fill in at least one field");
    }
    p.into_result()?;
    Ok((name, email, phone))
}

impl Baton {
    async fn visitor_lead_settings(&self, agent: Id) -> Result<LeadSettings> {
        Ok(self.store().lead_settings(agent).await?.unwrap_or_default())
    }

    /// The form a new conversation of `agent` opens with, if any.
    pub(crate) async fn contact_form_at_start(&self, agent: Id) -> Result<Option<ContactFormView>> {
        Ok(at_start(&self.visitor_lead_settings(agent).await?))
    }

    /// A visitor submits the contact form of conversation `id` (authorised by its visitor
    /// token). 422 naming the field when a value is missing or invalid, 409 when the agent
    /// has no contact form.
    pub async fn visitor_form_submit(
        &self,
        id: Id,
        token: &str,
        input: ContactFormSubmit,
    ) -> Result<ContactFormResult> {
        let _guard = self.conversation_lock(id).await;
        let snapshot = self
            .store()
            .conversation_snapshot(id, &hash_token(token), None)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        let s = snapshot.lead_settings.clone().unwrap_or_default();
        if !s.contact_form.enabled {
            return Err(Error::Conflict {
                message: "this agent has no contact form".into(),
                field: None,
            });
        }
        let (name, email, phone) = check(&s, &input)?;
        let before = snapshot.state();
        let mut state = before.clone();
        let mut summary = Vec::new();
        for (key, v) in [("Name", &name), ("Email", &email), ("Phone", &phone)] {
            if let Some(v) = v {
                state.gathered.insert(key.into(), v.clone());
                summary.push(v.clone());
            }
        }
        let consent = s
            .contact_form
            .consent
            .then(|| (s.contact_form.consent_message.clone(), Utc::now()));
        summary.push(if consent.is_some() {
            "consent given".into()
        } else {
            "no consent asked".into()
        });
        state.lead.form_shown = true;
        state.lead.form_submitted = true;
        let text = s.success_message(name.as_deref());
        let replies = [NewMessage {
            author: Author::Ai,
            operator_id: None,
            text: text.clone(),
            attachments: Vec::new(),
            internal: false,
        }];
        let events = [NewEvent::note(
            TimelineKind::ContactForm,
            summary.join(" · "),
        )];
        let write = ConversationWrite {
            replies: &replies,
            events: &events,
            lead: Some(LeadFeed {
                source: LeadSource::ContactForm,
                consent,
            }),
            ..ConversationWrite::new(&before, &state)
        };
        let written = self.store().conversation_write(id, write).await?;
        let conversation = snapshot.conversation.with_state(&state);
        let message = written
            .replies
            .first()
            .cloned()
            .ok_or_else(|| Error::Internal("the success message was not stored".into()))?;
        self.publish(
            &conversation,
            LiveKind::Message {
                message: message.clone(),
            },
        );
        self.publish(
            &conversation,
            LiveKind::Visitor {
                event: VisitorEvent::Reply { text },
            },
        );
        if let Some((lead, _)) = written.lead {
            self.lead_captured(id, lead).await;
        }
        Ok(ContactFormResult { message })
    }

    /// The visitor ends the chat from the widget: on the timeline, and the contact form to
    /// show now if it is set to appear at the end (and was not submitted).
    pub async fn visitor_end(&self, id: Id, token: &str) -> Result<VisitorEnded> {
        let _guard = self.conversation_lock(id).await;
        let snapshot = self
            .store()
            .conversation_snapshot(id, &hash_token(token), None)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        let s = snapshot.lead_settings.clone().unwrap_or_default();
        let before = snapshot.state();
        let mut state = before.clone();
        let show = s.contact_form.enabled
            && s.contact_form.position == FormPosition::AtEnd
            && !state.lead.form_submitted;
        if state.lead.ended && !show {
            return Ok(VisitorEnded { contact_form: None });
        }
        state.lead.ended = true;
        if show {
            state.lead.form_shown = true;
        }
        let events = if before.lead.ended {
            Vec::new()
        } else {
            vec![NewEvent::note(
                TimelineKind::EndedByVisitor,
                "the visitor ended the chat",
            )]
        };
        let write = ConversationWrite {
            events: &events,
            ..ConversationWrite::new(&before, &state)
        };
        self.store().conversation_write(id, write).await?;
        Ok(VisitorEnded {
            contact_form: show.then(|| view(&s)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::settings::FieldMode;

    fn settings() -> LeadSettings {
        let mut s = LeadSettings::default();
        s.contact_form.enabled = true;
        s.contact_form.name = FieldMode::Required;
        s.contact_form.phone = FieldMode::Optional;
        s.contact_form.consent = true;
        s.gathering.phone_country = Some("GB".into());
        s
    }

    fn fields(e: Error) -> Vec<String> {
        match e {
            Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_submission_is_checked_in_the_core() {
        let s = settings();
        let ok = ContactFormSubmit {
            name: Some(" Anna ".into()),
            email: Some("Anna@Example.com".into()),
            phone: Some("020 7946 0958".into()),
            consent: true,
        };
        assert_eq!(
            check(&s, &ok).unwrap(),
            (
                Some("Anna".into()),
                Some("anna@example.com".into()),
                Some("+442079460958".into())
            )
        );
        let bad = ContactFormSubmit {
            name: None,
            email: Some("anna@".into()),
            phone: Some("12".into()),
            consent: false,
        };
        assert_eq!(
            fields(check(&s, &bad).unwrap_err()),
            ["name", "email", "phone", "consent"]
        );
        let mut off = settings();
        off.contact_form.phone = FieldMode::Off;
        let e = check(&off, &ok).unwrap_err();
        assert_eq!(fields(e), ["phone"]);
    }

    #[test]
    fn the_view_lists_the_fields_in_the_form() {
        let v = view(&settings());
        let names: Vec<(&str, bool)> = v
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(names, [("name", true), ("email", true), ("phone", false)]);
        assert!(v.consent_message.is_some());
        assert!(at_start(&settings()).is_none());
    }
}
