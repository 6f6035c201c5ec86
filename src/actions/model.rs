//! An HTTP request action as the API answers it ([`Action`]) and takes it ([`ActionInput`]),
//! and its execution log ([`ActionLogEntry`]). Secrets are write-only: an input may carry one,
//! an answer only says `has_secret`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::validate;
use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ActionMethod {
    #[default]
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl ActionMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionMethod::Get => "GET",
            ActionMethod::Post => "POST",
            ActionMethod::Put => "PUT",
            ActionMethod::Patch => "PATCH",
            ActionMethod::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<ActionMethod> {
        [
            ActionMethod::Get,
            ActionMethod::Post,
            ActionMethod::Put,
            ActionMethod::Patch,
            ActionMethod::Delete,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }

    pub(crate) fn http(self) -> reqwest::Method {
        match self {
            ActionMethod::Get => reqwest::Method::GET,
            ActionMethod::Post => reqwest::Method::POST,
            ActionMethod::Put => reqwest::Method::PUT,
            ActionMethod::Patch => reqwest::Method::PATCH,
            ActionMethod::Delete => reqwest::Method::DELETE,
        }
    }
}

/// Where a parameter goes: a URL path segment (written in the URL as `{{params.NAME}}`), a query
/// parameter, a header or a key of the JSON body (added as `NAME` unless a template uses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionParamLocation {
    Path,
    Query,
    Header,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionParamType {
    String,
    Integer,
    Number,
    Boolean,
    Email,
    /// One of the parameter's `values`.
    Enum,
}

/// A value the agent fills in: from the conversation (built-in engine) or the model's tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionParameter {
    /// Letters, digits, `_` and `-`, starting with a letter; used as `{{params.NAME}}`.
    pub name: String,
    pub location: ActionParamLocation,
    #[serde(rename = "type")]
    pub kind: ActionParamType,
    /// The allowed values of an `enum` parameter (none for other types).
    #[serde(default)]
    pub values: Vec<String>,
    /// How to compose the value (what the model and the owner read).
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionHeader {
    pub name: String,
    /// A template (`{{conversation.id}}`); CR/LF in a value is refused when sending.
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionAuthKind {
    None,
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic base64(username:secret)`.
    Basic,
    /// The secret in the header or query parameter `key_name`.
    ApiKey,
}

impl ActionAuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionAuthKind::None => "none",
            ActionAuthKind::Bearer => "bearer",
            ActionAuthKind::Basic => "basic",
            ActionAuthKind::ApiKey => "api_key",
        }
    }

    pub fn parse(s: &str) -> Option<ActionAuthKind> {
        [
            ActionAuthKind::None,
            ActionAuthKind::Bearer,
            ActionAuthKind::Basic,
            ActionAuthKind::ApiKey,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionApiKeyLocation {
    Header,
    Query,
}

/// How the action authenticates, as answered: the secret itself is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionAuth {
    pub kind: ActionAuthKind,
    /// The basic-auth user name.
    pub username: Option<String>,
    pub key_location: Option<ActionApiKeyLocation>,
    /// The header or query parameter carrying the API key.
    pub key_name: Option<String>,
    /// Whether a secret (token, password, key) is stored.
    pub has_secret: bool,
}

impl Default for ActionAuth {
    fn default() -> Self {
        ActionAuth {
            kind: ActionAuthKind::None,
            username: None,
            key_location: None,
            key_name: None,
            has_secret: false,
        }
    }
}

/// How the action authenticates, as saved. `secret`: omitted keeps the stored one, `""` clears
/// it, a value replaces it. `Debug` never shows it.
#[derive(Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionAuthInput {
    pub kind: ActionAuthKind,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub key_location: Option<ActionApiKeyLocation>,
    #[serde(default)]
    pub key_name: Option<String>,
    /// Write-only: the bearer token, basic password or API key.
    #[serde(default)]
    pub secret: Option<String>,
}

impl fmt::Debug for ActionAuthInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionAuthInput")
            .field("kind", &self.kind)
            .field("username", &self.username)
            .field("key_location", &self.key_location)
            .field("key_name", &self.key_name)
            .field(
                "secret",
                &self
                    .secret
                    .as_ref()
                    .map(|s| if s.is_empty() { "" } else { "***" }),
            )
            .finish()
    }
}

/// What the visitor is told when the call fails, then: nothing more, or a handoff to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionOnFailure {
    #[default]
    Say,
    Handoff,
}

impl ActionOnFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionOnFailure::Say => "say",
            ActionOnFailure::Handoff => "handoff",
        }
    }
}

/// What an action does: calls an HTTP API, shows a form in the chat, or shows a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    #[default]
    Http,
    /// Form collection: a form in the chat; on submit its values are stored, may feed the
    /// lead and may run an HTTP action.
    Form,
    /// Button trigger: a button in the chat that runs an HTTP action or opens a link.
    Button,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Http => "http",
            ActionKind::Form => "form",
            ActionKind::Button => "button",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        [ActionKind::Http, ActionKind::Form, ActionKind::Button]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormFieldType {
    Text,
    Email,
    /// Parsed and kept in international format (E.164).
    Phone,
    Number,
    /// One of the field's `options`.
    Select,
    LongText,
    /// A checkbox; required means it must be ticked.
    Consent,
}

/// One field of a form action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// Letters, digits, `_` and `-`, starting with a letter: the key of its value, and the
    /// parameter of the HTTP action it feeds (`order_id`).
    pub name: String,
    /// What the visitor reads (≤ 100 characters); for a consent box, the text beside it.
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FormFieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub placeholder: String,
    /// The choices of a `select` field (none for other types).
    #[serde(default)]
    pub options: Vec<String>,
}

/// A form action: the form and what its submission does. The values are always noted on the
/// conversation; with `create_lead` they become its gathered details and feed the lead
/// (source `action_form`); with `run_action` they are that HTTP action's parameters (by name)
/// and its reply is the answer; else `success_message` is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionForm {
    /// What the agent says with the form (≤ 500 characters).
    pub intro: String,
    /// The form's heading (≤ 100 characters).
    pub title: String,
    /// 1–10 fields.
    pub fields: Vec<FormField>,
    #[serde(default = "send_label")]
    pub submit_label: String,
    #[serde(default)]
    pub create_lead: bool,
    /// The name of an HTTP action of the same agent to run with the values.
    #[serde(default)]
    pub run_action: Option<String>,
    /// Said after a submission when no action runs (≤ 500 characters).
    pub success_message: String,
}

fn send_label() -> String {
    "Send".into()
}

/// A form as the visitor gets it (what its submission does stays on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct FormView {
    pub title: String,
    pub fields: Vec<FormField>,
    pub submit_label: String,
}

impl ActionForm {
    pub fn view(&self) -> FormView {
        FormView {
            title: self.title.clone(),
            fields: self.fields.clone(),
            submit_label: self.submit_label.clone(),
        }
    }
}

/// A visitor's answers to a form action's form, by field name (text, a number, or true/false
/// for a consent box).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormSubmit {
    #[ts(type = "Record<string, unknown>")]
    pub values: BTreeMap<String, serde_json::Value>,
}

/// The agent's answer to a submitted form or a clicked button (its action's reply, the
/// form's success message, or the failure message); none for a button that opens a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionAnswered {
    pub message: Option<crate::conversations::model::Message>,
}

/// When a button action shows its button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ButtonMoment {
    /// When the visitor's message matches its description (like any action).
    #[default]
    Matched,
    /// Under the agent's first answer in a conversation.
    AfterFirstAnswer,
}

/// A button action: the button, and what a click does (opens `url`, or runs the HTTP action
/// `run_action` and says its reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionButton {
    /// What the agent says with the button when it matched (≤ 500 characters; empty: the
    /// button comes under the agent's answer alone).
    #[serde(default)]
    pub message: String,
    /// ≤ 40 characters.
    pub label: String,
    #[serde(default)]
    pub moment: ButtonMoment,
    /// An `https://` or `http://` link opened in a new tab…
    #[serde(default)]
    pub url: Option<String>,
    /// … or the name of an HTTP action of the same agent, run on a click.
    #[serde(default)]
    pub run_action: Option<String>,
}

/// An action of an agent: an HTTP request (`type: http`, the request fields), a form
/// (`form`) or a button (`button`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Action {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    #[serde(rename = "type")]
    pub kind: ActionKind,
    /// A slug unique per agent (`get_order_status`), usable as a model's tool name.
    pub name: String,
    /// When to use it and what it returns (for the model and the built-in matcher).
    pub description: String,
    /// When the agent must not use it even if it seems relevant.
    pub when_not_to_use: String,
    /// Visitor phrases that call for it (the built-in engine matches against them).
    pub examples: Vec<String>,
    pub active: bool,
    pub method: ActionMethod,
    /// A template; the scheme and host are written out.
    pub url: String,
    pub headers: Vec<ActionHeader>,
    /// A JSON body template.
    pub body: Option<String>,
    pub parameters: Vec<ActionParameter>,
    pub auth: ActionAuth,
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// Largest response accepted, in bytes.
    #[ts(type = "number")]
    pub max_response_bytes: u64,
    /// What the visitor is told on success, over the response (`{{response.plan}}`).
    pub reply_template: Option<String>,
    /// What the visitor is told when the call fails.
    pub failure_message: String,
    pub on_failure: ActionOnFailure,
    /// Private or loopback hosts and networks this action may call (`192.168.1.20`,
    /// `10.0.0.0/8`, `erp.lan`). Shown with a warning.
    pub allow: Vec<String>,
    /// The conversation variables its templates use (for the test panel's sample values).
    pub variables: Vec<String>,
    /// A form action's form.
    pub form: Option<ActionForm>,
    /// A button action's button.
    pub button: Option<ActionButton>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An action as created or saved (a save replaces every field; `auth` omitted keeps it, and
/// `auth.secret` omitted keeps the stored secret).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
    /// Default `http`.
    #[serde(default, rename = "type")]
    #[ts(as = "Option<ActionKind>", optional)]
    pub kind: ActionKind,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub when_not_to_use: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// HTTP actions: required (and `url`).
    #[serde(default)]
    #[ts(optional)]
    pub method: Option<ActionMethod>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub url: String,
    #[serde(default)]
    pub headers: Vec<ActionHeader>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub parameters: Vec<ActionParameter>,
    #[serde(default)]
    pub auth: Option<ActionAuthInput>,
    /// Default 10 000, at most 30 000.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub timeout_ms: Option<u64>,
    /// Default 1 MiB.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_response_bytes: Option<u64>,
    #[serde(default)]
    pub reply_template: Option<String>,
    #[serde(default)]
    pub failure_message: Option<String>,
    #[serde(default)]
    pub on_failure: ActionOnFailure,
    #[serde(default)]
    pub allow: Vec<String>,
    /// Form actions: the form.
    #[serde(default)]
    #[ts(optional)]
    pub form: Option<ActionForm>,
    /// Button actions: the button.
    #[serde(default)]
    #[ts(optional)]
    pub button: Option<ActionButton>,
}

fn yes() -> bool {
    true
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionOutcome {
    /// A 2xx answer the reply could be built from.
    Success,
    /// A non-2xx answer, too many redirects, or the host could not be reached.
    HttpError,
    Timeout,
    /// Refused by the address guard (or the secret-to-own-host rule): nothing was sent.
    Blocked,
    /// A 2xx answer too large, not JSON, or without what the reply template needs.
    InvalidResponse,
    /// Not run: held back by when-not-to-use (logged by the pipeline).
    Skipped,
}

impl ActionOutcome {
    pub const ALL: &'static [ActionOutcome] = &[
        ActionOutcome::Success,
        ActionOutcome::HttpError,
        ActionOutcome::Timeout,
        ActionOutcome::Blocked,
        ActionOutcome::InvalidResponse,
        ActionOutcome::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionOutcome::Success => "success",
            ActionOutcome::HttpError => "http_error",
            ActionOutcome::Timeout => "timeout",
            ActionOutcome::Blocked => "blocked",
            ActionOutcome::InvalidResponse => "invalid_response",
            ActionOutcome::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<ActionOutcome> {
        Self::ALL.iter().copied().find(|o| o.as_str() == s)
    }
}

/// A request as it was (or would be) sent, credentials shown as `***`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionRequestShown {
    pub method: ActionMethod,
    pub url: String,
    pub headers: Vec<ActionHeader>,
    pub body: Option<String>,
}

/// A response as received (secret values masked, credentials-looking headers too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionResponseShown {
    pub status: u16,
    pub headers: Vec<ActionHeader>,
    /// Pretty-printed when it is JSON; at most [`validate::LOG_BODY_MAX_BYTES`] here.
    pub body: String,
    /// The body was cut (longer than shown, or over the action's response cap).
    pub truncated: bool,
}

/// `action_test`: sample parameter values and conversation variables; really calls the
/// endpoint (a non-GET action changes things there: the UI says so first).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionTestArgs {
    #[ts(type = "number")]
    pub id: Id,
    /// Parameter values by name (strings, numbers or booleans).
    #[serde(default)]
    #[ts(type = "Record<string, unknown>")]
    pub params: BTreeMap<String, serde_json::Value>,
    /// Conversation variables by name: `conversation.id`, `lead.email`, `metadata.plan`, …
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// What a test run did and what the visitor would have been told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionTestResult {
    pub outcome: ActionOutcome,
    pub request: ActionRequestShown,
    /// None when nothing came back (blocked, timeout, unreachable).
    pub response: Option<ActionResponseShown>,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// What went wrong, in words (no secrets).
    pub error: Option<String>,
    /// The reply built from the response, or the failure message.
    pub visitor_reply: Option<String>,
    /// On failure: whether the conversation would be handed to a person.
    pub handoff: bool,
    /// The log entry this run wrote.
    #[ts(type = "number")]
    pub log_id: Id,
}

/// One execution, as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionLogEntry {
    #[ts(type = "number")]
    pub id: Id,
    pub created_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub agent_id: Id,
    /// None once the action is deleted (its name stays).
    #[ts(type = "number | null")]
    pub action_id: Option<Id>,
    pub action_name: String,
    #[ts(type = "number | null")]
    pub conversation_id: Option<Id>,
    /// Run from the test panel.
    pub test: bool,
    pub request: ActionRequestShown,
    pub request_truncated: bool,
    pub response_status: Option<u16>,
    pub response_headers: Vec<ActionHeader>,
    pub response_body: Option<String>,
    /// The stored body was cut (at 64 KiB, or at the action's response cap).
    pub response_truncated: bool,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub outcome: ActionOutcome,
    pub error: Option<String>,
    /// Whether the result reached the conversation (a reply was sent from it).
    pub reached_conversation: bool,
}

/// Filters of the execution log; newest first.
#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionLogQuery {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub action_id: Option<Id>,
    #[serde(default)]
    #[ts(optional)]
    pub outcome: Option<ActionOutcome>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub conversation_id: Option<Id>,
    /// From this instant (inclusive).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    /// Entries older than this id (the previous page's `next_before_id`).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before_id: Option<Id>,
    /// Default 50, at most 200 (a 422 outside 1–200).
    #[serde(default)]
    #[ts(optional, type = "number")]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ActionLogPage {
    pub entries: Vec<ActionLogEntry>,
    /// Pass as `before_id` for the next page; None on the last.
    #[ts(type = "number | null")]
    pub next_before_id: Option<Id>,
}

/// A log entry to write.
#[derive(Debug, Clone)]
pub struct NewActionLog {
    pub created_at: DateTime<Utc>,
    pub agent_id: Id,
    pub action_id: Option<Id>,
    pub action_name: String,
    pub conversation_id: Option<Id>,
    pub test: bool,
    pub request: ActionRequestShown,
    pub request_truncated: bool,
    pub response_status: Option<u16>,
    pub response_headers: Vec<ActionHeader>,
    pub response_body: Option<String>,
    pub response_truncated: bool,
    pub duration_ms: u64,
    pub outcome: ActionOutcome,
    pub error: Option<String>,
    pub reached_conversation: bool,
}

/// `text` cut to at most `max` bytes at a character boundary, and whether it was cut.
pub(crate) fn cut(text: &str, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text.to_owned(), false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_owned(), true)
}

impl NewActionLog {
    /// Applies the log's size bounds to the bodies.
    pub(crate) fn bounded(mut self) -> NewActionLog {
        if let Some(body) = &self.request.body {
            let (b, cut_) = cut(body, validate::LOG_BODY_MAX_BYTES);
            self.request.body = Some(b);
            self.request_truncated |= cut_;
        }
        if let Some(body) = &self.response_body {
            let (b, cut_) = cut(body, validate::LOG_BODY_MAX_BYTES);
            self.response_body = Some(b);
            self.response_truncated |= cut_;
        }
        self
    }
}
