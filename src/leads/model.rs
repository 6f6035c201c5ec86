//! Leads as the API answers them ([`Lead`], [`LeadDetail`]) and the queries that read them.
//! Data only: the store depends on this module.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::Id;

/// Where a lead's details came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// Smart data gathering during the conversation.
    Gathering,
    /// The contact form.
    ContactForm,
    /// The handoff's information to gather, or a contact left out of working hours.
    Handoff,
    /// A form an action collects.
    ActionForm,
}

impl LeadSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadSource::Gathering => "gathering",
            LeadSource::ContactForm => "contact_form",
            LeadSource::Handoff => "handoff",
            LeadSource::ActionForm => "action_form",
        }
    }

    pub fn parse(s: &str) -> Option<LeadSource> {
        [
            LeadSource::Gathering,
            LeadSource::ContactForm,
            LeadSource::Handoff,
            LeadSource::ActionForm,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A visitor's contact details for an agent: one per visitor and agent, merged by email when
/// the same person returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Lead {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Other gathered fields (label → value).
    pub custom: BTreeMap<String, String>,
    pub source: LeadSource,
    /// The consent message the visitor agreed to, and when (null: none asked).
    pub consent_text: Option<String>,
    pub consent_at: Option<DateTime<Utc>>,
    /// The conversation the lead first came from.
    #[ts(type = "number | null")]
    pub conversation_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A conversation a lead came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct LeadConversation {
    #[ts(type = "number")]
    pub id: Id,
    pub started_at: DateTime<Utc>,
    /// `widget`, `api` or `playground`.
    pub channel: String,
}

/// A lead with every conversation it came from, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct LeadDetail {
    pub lead: Lead,
    pub conversations: Vec<LeadConversation>,
}

/// What `lead_delete` removed: the lead and its links to conversations (the conversations
/// themselves stay, with what was gathered in them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct LeadDeleted {
    #[ts(type = "number")]
    pub id: Id,
    /// Conversations no longer linked to a lead (not deleted).
    #[ts(type = "number")]
    pub conversations_unlinked: u64,
    pub message: String,
}

/// A page of the lead list (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct LeadPage {
    pub leads: Vec<Lead>,
    /// Pass as `before_id` for the next page; null on the last.
    #[ts(type = "number | null")]
    pub next_before_id: Option<Id>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadQuery {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    /// Part of the name, email or phone (case-insensitive).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// Created from this instant (inclusive).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Created before this instant (exclusive).
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    /// Leads older than this id (the previous page's `next_before_id`).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before_id: Option<Id>,
    /// Default 50, at most 200 (a 422 outside 1–200).
    #[serde(default)]
    #[ts(optional, type = "number")]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

/// An export: whole days `from`..=`to` in the business time zone (the agent's working-hours
/// zone), the columns to include (default all), CSV's byte-order mark (default on).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadExportQuery {
    pub format: ExportFormat,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// Comma-separated: `id, created_at, name, email, phone, source, consent_text,
    /// consent_at, conversation_id, custom`. Default: all.
    #[serde(default)]
    #[ts(optional)]
    pub columns: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    /// CSV only: start with a UTF-8 byte-order mark (Excel needs it for accents). Default true.
    #[serde(default)]
    #[ts(optional)]
    pub bom: Option<bool>,
}

/// A field of the contact form as the widget shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ContactFormField {
    /// `name`, `email` or `phone`: the key of the submitted value.
    pub name: String,
    pub label: String,
    pub required: bool,
}

/// The contact form as the widget and the playground render it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ContactFormView {
    pub heading: String,
    pub fields: Vec<ContactFormField>,
    pub submit_label: String,
    /// The consent message to show with a checkbox the visitor must tick (null: none).
    pub consent_message: Option<String>,
}

/// What a visitor submits with the contact form.
#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactFormSubmit {
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    /// The consent checkbox (required true when the form shows a consent message).
    #[serde(default)]
    pub consent: bool,
}

/// The answer to a contact form submission: the success message, now in the transcript.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct ContactFormResult {
    pub message: crate::conversations::model::Message,
}

/// The visitor ended the chat: the contact form to show now, if it is set to appear at the end.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorEnded {
    pub contact_form: Option<ContactFormView>,
}
