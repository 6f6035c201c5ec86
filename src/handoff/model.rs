//! The handoff configuration document: exactly the objects and field names of the
//! Human Handoff REST contract (seed 001), plus Baton's additions (`auto_priority`,
//! `max_failed_answers`, `availability_exceptions`, `information_to_gather`, guideline examples).
//!
//! `HandoffConfiguration` is what GET returns. `HandoffConfigurationUpdate` is what PUT takes:
//! it accepts every field GET returns (read-only ones are ignored), rejects unknown fields,
//! leaves omitted sections and settings unchanged, and inside a section matches items by `id`
//! (no id = new item; an existing item missing from the list is deleted).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct HandoffConfiguration {
    pub settings: Settings,
    pub availability: Vec<AvailabilitySlot>,
    pub availability_exceptions: Vec<AvailabilityException>,
    pub generic_guidelines: Vec<GenericGuideline>,
    pub custom_guidelines: Vec<CustomGuideline>,
    pub routing_profiles: Vec<RoutingProfile>,
    pub information_to_gather: Vec<InformationField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Settings {
    /// Whether human handoff is enabled.
    pub is_active: bool,
    /// Phrases that always force a handoff, no question asked.
    pub keywords: Vec<String>,
    /// Write an AI summary for the operator when a handoff happens.
    pub ai_summary_active: bool,
    /// Read-only: true when at least one routing profile is active.
    #[schema(read_only)]
    pub topic_based_routing_active: bool,
    /// Asked before a guideline-triggered handoff (max 500 characters).
    pub question_message: String,
    /// Shown after the visitor confirms (max 500 characters).
    pub confirmation_message: String,
    /// Shown when a handoff is requested outside working hours (max 500 characters).
    pub confirmation_outside_working_hours_message: String,
    /// Restrict handoff to the working hours in `availability`.
    pub working_hours_active: bool,
    /// IANA time zone of the working hours, e.g. `Europe/London`.
    pub timezone: String,
    pub send_email_notification: bool,
    /// Addresses notified of handoffs that match no routing profile (max 50).
    pub emails: Vec<String>,
    /// Let the decision engine set the conversation priority on handoff.
    pub auto_priority: bool,
    /// Hand over automatically after this many unanswered questions in a row; 0 turns it off.
    #[ts(type = "number")]
    pub max_failed_answers: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct AvailabilitySlot {
    #[ts(type = "number")]
    pub id: Id,
    /// A day (`monday`) or a range of days (`monday-friday`, wrapping ranges like `friday-monday` allowed).
    pub day_span: String,
    /// `HH:MM`, local time in `settings.timezone`.
    pub start_time: String,
    /// `HH:MM`; `24:00` means midnight. An end before the start is an overnight shift belonging to the start day.
    pub end_time: String,
}

/// A dated exception to the weekly hours: a holiday (closed) or special hours on that date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct AvailabilityException {
    #[ts(type = "number")]
    pub id: Id,
    /// `YYYY-MM-DD`, local date in `settings.timezone`.
    pub date: String,
    /// Label shown to operators, e.g. "Christmas Day" (max 100 characters).
    pub name: String,
    /// Closed all day. When false, `start_time` and `end_time` give the special hours;
    /// several entries on one date give several periods.
    pub closed: bool,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GenericGuidelineName {
    UserFrustration,
    CustomerSupportSuggestion,
    LackOfKnowledge,
    IrrelevantAdvice,
    MediaMessage,
    /// Baton's own: the visitor explicitly asks for a person.
    HumanRequest,
}

impl GenericGuidelineName {
    pub const ALL: [GenericGuidelineName; 6] = [
        GenericGuidelineName::UserFrustration,
        GenericGuidelineName::CustomerSupportSuggestion,
        GenericGuidelineName::LackOfKnowledge,
        GenericGuidelineName::IrrelevantAdvice,
        GenericGuidelineName::MediaMessage,
        GenericGuidelineName::HumanRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserFrustration => "user_frustration",
            Self::CustomerSupportSuggestion => "customer_support_suggestion",
            Self::LackOfKnowledge => "lack_of_knowledge",
            Self::IrrelevantAdvice => "irrelevant_advice",
            Self::MediaMessage => "media_message",
            Self::HumanRequest => "human_request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::UserFrustration => "The user is explicitly angry, frustrated, or dissatisfied.",
            Self::CustomerSupportSuggestion => "The AI Agent has told the user to contact customer support as the next step, or has clearly ended AI-based assistance.",
            Self::LackOfKnowledge => "The AI Agent has acknowledged it doesn't have the necessary information.",
            Self::IrrelevantAdvice => "The AI Agent has repeatedly tried to help but the user is still not satisfied.",
            Self::MediaMessage => "The user sent an image, file, or other media the AI can't process.",
            Self::HumanRequest => "The user explicitly asks to talk to a person: a human, an operator, a real agent.",
        }
    }

    /// Active on a new agent.
    pub fn active_by_default(self) -> bool {
        !matches!(self, Self::IrrelevantAdvice)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct GenericGuideline {
    pub name: GenericGuidelineName,
    /// Read-only: fixed text describing when the guideline triggers.
    #[schema(read_only)]
    pub description: String,
    pub is_active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct CustomGuideline {
    #[ts(type = "number")]
    pub id: Id,
    /// Max 100 characters.
    pub name: String,
    /// When this guideline should trigger a handoff (max 2000 characters).
    pub description: String,
    pub is_active: bool,
    /// Example visitor phrases; the built-in engine matches on them (max 50, each max 500 characters).
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct RoutingProfile {
    #[ts(type = "number")]
    pub id: Id,
    /// Topic name, max 100 characters.
    pub name: String,
    /// When this profile should match (max 2000 characters).
    pub description: String,
    pub is_active: bool,
    /// Operators who handle this topic.
    #[ts(type = "number[]")]
    pub user_ids: Vec<Id>,
    /// What visitors of this topic write, in any language (max 50, each max 500 characters):
    /// a message like one of them is routed here. An addition to the seed's contract, as
    /// custom guidelines have.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InformationKind {
    Name,
    Email,
    Phone,
    OrderNumber,
    Custom,
}

impl InformationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::OrderNumber => "order_number",
            Self::Custom => "custom",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Name,
            Self::Email,
            Self::Phone,
            Self::OrderNumber,
            Self::Custom,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A piece of information to collect from the visitor before the handoff completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct InformationField {
    #[ts(type = "number")]
    pub id: Id,
    pub kind: InformationKind,
    /// Name of the field as operators see it (required for `custom`, max 100 characters).
    pub label: String,
    /// What the agent asks the visitor (max 500 characters).
    pub prompt: String,
    pub required: bool,
}

// ---- PUT body --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffConfigurationUpdate {
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub settings: Option<SettingsUpdate>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub availability: Option<Vec<AvailabilitySlotInput>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub availability_exceptions: Option<Vec<AvailabilityExceptionInput>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub generic_guidelines: Option<Vec<GenericGuidelineInput>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub custom_guidelines: Option<Vec<CustomGuidelineInput>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub routing_profiles: Option<Vec<RoutingProfileInput>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub information_to_gather: Option<Vec<InformationFieldInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub is_active: Option<bool>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub keywords: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub ai_summary_active: Option<bool>,
    /// Read-only (derived from the routing profiles): accepted and ignored.
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub topic_based_routing_active: Option<bool>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub question_message: Option<String>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub confirmation_message: Option<String>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub confirmation_outside_working_hours_message: Option<String>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub working_hours_active: Option<bool>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub send_email_notification: Option<bool>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub emails: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional)]
    pub auto_priority: Option<bool>,
    #[serde(default, deserialize_with = "crate::json::present")]
    #[schema(nullable = false)]
    #[ts(optional, type = "number")]
    pub max_failed_answers: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySlotInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<Id>,
    pub day_span: String,
    pub start_time: String,
    pub end_time: String,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityExceptionInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<Id>,
    pub date: String,
    #[serde(default)]
    pub name: String,
    pub closed: bool,
    // Nullable as well: a closed day has none, and the UI sends back what GET gave it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub start_time: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub end_time: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenericGuidelineInput {
    /// One of the generic guideline names.
    pub name: String,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    pub is_active: bool,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomGuidelineInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<Id>,
    pub name: String,
    pub description: String,
    pub is_active: bool,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingProfileInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<Id>,
    pub name: String,
    pub description: String,
    pub is_active: bool,
    #[ts(type = "number[]")]
    pub user_ids: Vec<Id>,
    /// Example phrases; none when left out.
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InformationFieldInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<Id>,
    /// `name`, `email`, `phone`, `order_number` or `custom`.
    pub kind: String,
    #[serde(default)]
    pub label: String,
    pub prompt: String,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}
