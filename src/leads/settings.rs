//! An agent's lead capture settings: smart data gathering (what to collect, when and how to
//! ask), the contact form (position, heading, fields, success and consent messages) and the
//! lead and transcript emails. One document per agent, saved whole; every limit is here.
//! Data and validation only: the pipeline (`conversations/pipeline/leads.rs`) acts on it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::error::{Problems, Result};
use crate::Id;

pub const FIELDS_MAX: usize = 10;
pub const LABEL_MAX: usize = 60;
pub const HEADING_MAX: usize = 200;
pub const MESSAGE_MAX: usize = 500;
pub const CONSENT_MAX: usize = 1000;
pub const SUBMIT_LABEL_MAX: usize = 40;
pub const RECIPIENTS_MAX: usize = 10;
pub const AFTER_MESSAGES_MAX: u32 = 50;
pub const IDLE_MINUTES_MIN: u32 = 5;
pub const IDLE_MINUTES_MAX: u32 = 1440;

/// A field smart data gathering collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatherKind {
    Email,
    FirstName,
    Phone,
    /// A field of the business's own, with its label and type.
    Custom,
}

/// The type of a custom field: how an answer is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomType {
    #[default]
    Text,
    Number,
    Email,
    Phone,
    Url,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatherField {
    pub kind: GatherKind,
    /// What the field is called: the lead's column for a custom field, and how the agent
    /// names it when it asks ("your company name"). Required for custom fields; for the
    /// others empty means the default ("email address", "first name", "phone number").
    #[serde(default)]
    pub label: String,
    /// Custom fields only.
    #[serde(default)]
    pub field_type: CustomType,
}

impl GatherField {
    /// The key the field's value is kept under in the conversation's gathered details and
    /// the lead: "Email", "First name", "Phone", or the custom label.
    pub fn key(&self) -> String {
        match self.kind {
            GatherKind::Email => "Email".into(),
            GatherKind::FirstName => "First name".into(),
            GatherKind::Phone => "Phone".into(),
            GatherKind::Custom => self.label.trim().to_owned(),
        }
    }

    /// How the agent names the field when it asks.
    pub fn spoken(&self) -> String {
        let label = self.label.trim();
        if !label.is_empty() {
            return label.to_lowercase();
        }
        match self.kind {
            GatherKind::Email => "email address".into(),
            GatherKind::FirstName => "first name".into(),
            GatherKind::Phone => "phone number".into(),
            GatherKind::Custom => "details".into(),
        }
    }
}

/// When the agent asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatherWhen {
    /// After the visitor has sent `after_messages` messages.
    #[default]
    AfterMessages,
    /// As soon as the visitor shows interest (pricing, a demo, a quote, buying), or after
    /// `after_messages` messages, whichever comes first.
    Interest,
}

/// How the agent asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatherHow {
    /// The request rides on the agent's answer.
    #[default]
    Subtle,
    /// A question of its own, after the answer.
    Direct,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Gathering {
    pub enabled: bool,
    pub fields: Vec<GatherField>,
    pub when: GatherWhen,
    /// Visitor messages before the agent asks (default 3).
    pub after_messages: u32,
    pub how: GatherHow,
    /// The country a phone number without `+` is read in (ISO 3166-1 alpha-2, e.g. `DE`);
    /// null: only international numbers are accepted.
    #[serde(default)]
    #[ts(optional)]
    pub phone_country: Option<String>,
}

impl Default for Gathering {
    fn default() -> Self {
        Gathering {
            enabled: false,
            fields: vec![
                GatherField {
                    kind: GatherKind::Email,
                    label: String::new(),
                    field_type: CustomType::Text,
                },
                GatherField {
                    kind: GatherKind::FirstName,
                    label: String::new(),
                    field_type: CustomType::Text,
                },
            ],
            when: GatherWhen::AfterMessages,
            after_messages: 3,
            how: GatherHow::Subtle,
            phone_country: None,
        }
    }
}

/// When the contact form appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormPosition {
    /// As soon as the chat opens.
    AtStart,
    /// Under the agent's first answer.
    #[default]
    AfterFirstResponse,
    /// When the conversation ends (resolved, or the visitor ends the chat).
    AtEnd,
}

/// Whether a contact form field is shown, and whether it must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldMode {
    Off,
    #[default]
    Optional,
    Required,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContactForm {
    pub enabled: bool,
    pub position: FormPosition,
    pub heading: String,
    pub name: FieldMode,
    pub email: FieldMode,
    pub phone: FieldMode,
    pub submit_label: String,
    /// Said after a submission with a name; `{user_name}` is replaced by it.
    pub success_message_with_name: String,
    /// Said after a submission without a name.
    pub success_message: String,
    /// Show the consent message with a checkbox the visitor must tick.
    pub consent: bool,
    pub consent_message: String,
}

impl Default for ContactForm {
    fn default() -> Self {
        ContactForm {
            enabled: false,
            position: FormPosition::AfterFirstResponse,
            heading: "We need your details to help you better.".into(),
            name: FieldMode::Optional,
            email: FieldMode::Required,
            phone: FieldMode::Off,
            submit_label: "Send".into(),
            success_message_with_name:
                "Thank you for sharing your details with us. How can we help you, {user_name}?"
                    .into(),
            success_message: "Thank you for sharing your details with us. How can we help you?"
                .into(),
            consent: false,
            consent_message: "I agree that my details are stored to answer my request.".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LeadEmails {
    /// An email when a lead is captured (contact form submitted, gathering completed).
    pub lead_notification: bool,
    pub lead_recipients: Vec<String>,
    /// A transcript after a conversation ends (resolved, or idle for `idle_minutes`).
    pub transcript: bool,
    pub transcript_recipients: Vec<String>,
    /// Minutes without a visitor message after which a conversation has ended (default 30).
    pub idle_minutes: u32,
    /// Skip the transcript when a lead or handoff email was already sent for the conversation.
    pub skip_transcript: bool,
}

impl Default for LeadEmails {
    fn default() -> Self {
        LeadEmails {
            lead_notification: false,
            lead_recipients: Vec::new(),
            transcript: false,
            transcript_recipients: Vec::new(),
            idle_minutes: 30,
            skip_transcript: false,
        }
    }
}

/// Everything an agent does to capture leads. Fields left out take their defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LeadSettings {
    pub gathering: Gathering,
    pub contact_form: ContactForm,
    pub emails: LeadEmails,
}

/// The settings to save for an agent (default: the default agent).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadSettingsInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub settings: LeadSettings,
}

impl LeadSettings {
    /// The contact form's success message for `name` (none or blank: the one without it).
    pub fn success_message(&self, name: Option<&str>) -> String {
        let f = &self.contact_form;
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => f.success_message_with_name.replace("{user_name}", n),
            None => f.success_message.clone(),
        }
    }
}

/// Every problem of `s`, by field (`gathering.fields[1].label`, …).
pub fn validate(s: &LeadSettings) -> Result<()> {
    let mut p = Problems::new();
    let g = &s.gathering;
    if g.enabled && g.fields.is_empty() {
        p.push(
            "gathering.fields",
            "required",
            "choose at least one field to collect",
        );
    }
    if g.fields.len() > FIELDS_MAX {
        p.push(
            "gathering.fields",
            "too_many",
            format!("at most {FIELDS_MAX} fields"),
        );
    }
    let mut keys = std::collections::BTreeSet::new();
    for (i, f) in g.fields.iter().enumerate() {
        let at = format!("gathering.fields[{i}].label");
        p.max_chars(&at, &f.label, LABEL_MAX);
        if f.kind == GatherKind::Custom && f.label.trim().is_empty() {
            p.push(&at, "required", "a custom field needs a label");
        }
        let key = f.key().to_lowercase();
        if !key.is_empty() && !keys.insert(key) {
            p.push(&at, "duplicate", "this field is already in the list");
        }
    }
    if !(1..=AFTER_MESSAGES_MAX).contains(&g.after_messages) {
        p.push(
            "gathering.after_messages",
            "out_of_range",
            format!("between 1 and {AFTER_MESSAGES_MAX}"),
        );
    }
    if let Some(c) = &g.phone_country {
        if crate::fields::phone_country(c).is_none() {
            p.push(
                "gathering.phone_country",
                "invalid",
                "a two-letter country code such as DE, US or PL",
            );
        }
    }
    let f = &s.contact_form;
    p.max_chars("contact_form.heading", &f.heading, HEADING_MAX);
    p.max_chars(
        "contact_form.submit_label",
        &f.submit_label,
        SUBMIT_LABEL_MAX,
    );
    p.max_chars(
        "contact_form.success_message_with_name",
        &f.success_message_with_name,
        MESSAGE_MAX,
    );
    p.max_chars(
        "contact_form.success_message",
        &f.success_message,
        MESSAGE_MAX,
    );
    p.max_chars(
        "contact_form.consent_message",
        &f.consent_message,
        CONSENT_MAX,
    );
    if f.enabled {
        if [f.name, f.email, f.phone]
            .iter()
            .all(|m| *m == FieldMode::Off)
        {
            p.push(
                "contact_form.email",
                "required",
                "the form needs at least one field",
            );
        }
        p.not_blank("contact_form.heading", &f.heading);
        p.not_blank("contact_form.submit_label", &f.submit_label);
        p.not_blank("contact_form.success_message", &f.success_message);
        p.not_blank(
            "contact_form.success_message_with_name",
            &f.success_message_with_name,
        );
        if f.consent {
            p.not_blank("contact_form.consent_message", &f.consent_message);
        }
    }
    let e = &s.emails;
    for (field, list, on) in [
        (
            "emails.lead_recipients",
            &e.lead_recipients,
            e.lead_notification,
        ),
        (
            "emails.transcript_recipients",
            &e.transcript_recipients,
            e.transcript,
        ),
    ] {
        if on && list.is_empty() {
            p.push(field, "required", "add at least one address");
        }
        if list.len() > RECIPIENTS_MAX {
            p.push(
                field,
                "too_many",
                format!("at most {RECIPIENTS_MAX} addresses"),
            );
        }
        for (i, a) in list.iter().enumerate() {
            if !crate::fields::is_valid_email(a.trim()) {
                p.push(
                    format!("{field}[{i}]"),
                    "invalid_email",
                    "not an email address",
                );
            }
        }
    }
    if !(IDLE_MINUTES_MIN..=IDLE_MINUTES_MAX).contains(&e.idle_minutes) {
        p.push(
            "emails.idle_minutes",
            "out_of_range",
            format!("between {IDLE_MINUTES_MIN} and {IDLE_MINUTES_MAX} minutes"),
        );
    }
    p.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_each_limit_names_its_field() {
        validate(&LeadSettings::default()).unwrap();
        let mut s = LeadSettings::default();
        s.gathering.enabled = true;
        s.gathering.fields.push(GatherField {
            kind: GatherKind::Custom,
            label: " ".into(),
            field_type: CustomType::Number,
        });
        s.gathering.fields.push(GatherField {
            kind: GatherKind::Email,
            label: String::new(),
            field_type: CustomType::Text,
        });
        s.gathering.after_messages = 0;
        s.gathering.phone_country = Some("XX".into());
        s.contact_form.enabled = true;
        s.contact_form.name = FieldMode::Off;
        s.contact_form.email = FieldMode::Off;
        s.contact_form.phone = FieldMode::Off;
        s.emails.transcript = true;
        s.emails.lead_recipients = vec!["not-an-address".into()];
        s.emails.idle_minutes = 2;
        let err = validate(&s).unwrap_err();
        let fields: Vec<String> = match err {
            crate::error::Error::Validation(errors) => {
                errors.into_iter().map(|e| e.field).collect()
            }
            e => panic!("{e:?}"),
        };
        for want in [
            "gathering.fields[2].label",
            "gathering.fields[3].label",
            "gathering.after_messages",
            "gathering.phone_country",
            "contact_form.email",
            "emails.transcript_recipients",
            "emails.lead_recipients[0]",
            "emails.idle_minutes",
        ] {
            assert!(fields.iter().any(|f| f == want), "{want} in {fields:?}");
        }
    }

    #[test]
    fn the_success_message_names_the_visitor_when_it_can() {
        let s = LeadSettings::default();
        assert!(s.success_message(Some("Anna")).ends_with("you, Anna?"));
        assert!(s.success_message(Some("  ")).ends_with("help you?"));
        assert!(s.success_message(None).ends_with("help you?"));
    }
}
