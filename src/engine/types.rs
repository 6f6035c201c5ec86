//! What the decision engines see and say. Both engines (the built-in rules engine and an
//! OpenAI-compatible model) take these inputs and return these outputs, so the pipeline never
//! knows which one decided.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::actions::model::ActionParameter;
use crate::handoff::GenericGuidelineName;
use crate::Id;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    Ai,
    Operator,
    System,
}

/// One message of a conversation, as the engines see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub author: Author,
    pub text: String,
}

impl Turn {
    pub fn visitor(text: impl Into<String>) -> Self {
        Turn {
            author: Author::Visitor,
            text: text.into(),
        }
    }
    pub fn ai(text: impl Into<String>) -> Self {
        Turn {
            author: Author::Ai,
            text: text.into(),
        }
    }
}

/// Which guideline triggered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum GuidelineKey {
    Generic(GenericGuidelineName),
    Custom(#[ts(type = "number")] Id),
}

/// An active guideline, with what an engine needs to judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct GuidelineSpec {
    pub key: GuidelineKey,
    pub name: String,
    pub description: String,
    /// Example visitor phrases (custom guidelines); empty for generic ones.
    pub examples: Vec<String>,
}

/// What the agent itself could answer for the latest message, from its knowledge base or from
/// an operator's instruction for the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOutcome {
    pub text: String,
    /// False when neither the knowledge base nor the instruction had anything relevant (the
    /// "lack of knowledge" signal).
    pub found: bool,
    /// The answer comes from the operator's instruction for this conversation (set when it
    /// was handed back to the AI), not from the knowledge base.
    pub from_instruction: bool,
}

#[derive(Debug, Clone)]
pub struct DecideInput<'a> {
    /// The visitor's latest message.
    pub message: &'a str,
    pub has_attachments: bool,
    /// Earlier turns, oldest first (the latest message is not included).
    pub history: &'a [Turn],
    /// Active guidelines only.
    pub guidelines: &'a [GuidelineSpec],
    /// The agent's own answer to `message`, when it has one.
    pub answer: Option<&'a AnswerOutcome>,
    /// Conversation language, when known (BCP 47).
    pub language: Option<&'a str>,
}

/// Whether a guideline triggers, which, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The winning guideline: the first of `matched` in [`precedence`] order.
    pub trigger: Option<GuidelineKey>,
    /// 0.0–1.0.
    pub confidence: f32,
    /// Human-readable reason an operator can read later ("why was this handed off?").
    pub reason: String,
    /// Every guideline that matched, the trigger first, then in [`precedence`] order.
    #[serde(default)]
    pub matched: Vec<GuidelineMatch>,
}

/// One guideline that matched the latest message, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidelineMatch {
    pub key: GuidelineKey,
    /// 0.0–1.0.
    pub confidence: f32,
    pub reason: String,
}

impl Decision {
    pub fn none(reason: impl Into<String>) -> Self {
        Decision {
            trigger: None,
            confidence: 0.0,
            reason: reason.into(),
            matched: Vec::new(),
        }
    }

    /// The decision for these matches: sorted by [`precedence`] (ties keep their order), the
    /// first one triggers; `none` when nothing matched.
    pub fn from_matches(
        mut matched: Vec<GuidelineMatch>,
        guidelines: &[GuidelineSpec],
        none: impl Into<String>,
    ) -> Self {
        matched.sort_by_key(|m| precedence(m.key, guidelines));
        matched.dedup_by_key(|m| m.key);
        match matched.first() {
            None => Decision::none(none),
            Some(first) => Decision {
                trigger: Some(first.key),
                confidence: first.confidence,
                reason: first.reason.clone(),
                matched,
            },
        }
    }
}

/// Where a guideline stands when several match one message: the most specific reason wins.
/// An explicit request for a person first, then the custom guidelines (in their configured
/// order), frustration, media, the visitor rejecting the answers, and last the signals read
/// from the AI's own answer (lack of knowledge, a suggestion to contact support). Keywords are
/// matched before any guideline, by the pipeline. Lower sorts first.
pub fn precedence(key: GuidelineKey, guidelines: &[GuidelineSpec]) -> (u8, usize) {
    use crate::handoff::GenericGuidelineName as G;
    match key {
        GuidelineKey::Generic(G::HumanRequest) => (0, 0),
        GuidelineKey::Custom(_) => (
            1,
            guidelines
                .iter()
                .position(|g| g.key == key)
                .unwrap_or(usize::MAX),
        ),
        GuidelineKey::Generic(G::UserFrustration) => (2, 0),
        GuidelineKey::Generic(G::MediaMessage) => (3, 0),
        GuidelineKey::Generic(G::IrrelevantAdvice) => (4, 0),
        GuidelineKey::Generic(G::LackOfKnowledge) => (5, 0),
        GuidelineKey::Generic(G::CustomerSupportSuggestion) => (6, 0),
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Urgent,
}

/// A routing profile as the engines see it (active ones only).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSpec {
    pub id: Id,
    pub name: String,
    pub description: String,
    /// What visitors of this topic write (may be empty).
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteDecision {
    /// The best matching profile, or None when nothing matches well enough.
    pub profile_id: Option<Id>,
    pub reason: String,
}

/// Signals for the priority decision.
#[derive(Debug, Clone)]
pub struct PriorityInput<'a> {
    pub transcript: &'a [Turn],
    pub trigger: Option<GuidelineKey>,
    pub keyword: Option<&'a str>,
    /// Seconds since the visitor's first message.
    pub waiting_seconds: i64,
}

#[derive(Debug, Clone)]
pub struct SummaryInput<'a> {
    pub transcript: &'a [Turn],
    /// Gathered fields: (label, value).
    pub gathered: &'a [(String, String)],
    /// Why the handoff happened, in words.
    pub trigger: &'a str,
}

/// A knowledge-base passage offered to an engine as context for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeHit {
    pub id: Id,
    pub title: String,
    pub text: String,
    pub score: f32,
}

/// What the engines see of an action (a model sees it as a tool).
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub when_not_to_use: &'a str,
    pub examples: &'a [String],
    pub parameters: &'a [ActionParameter],
}

/// What the engines are asked about custom actions: the agent's active actions (tools to a
/// model) and the visitor's latest message in its conversation.
#[derive(Debug, Clone, Copy)]
pub struct ActionChoiceInput<'a> {
    pub actions: &'a [ActionSpec<'a>],
    /// The conversation before the latest message, oldest first.
    pub history: &'a [Turn],
    pub message: &'a str,
    pub language: Option<&'a str>,
}

/// The action a message calls for, with the values known so far. A required value may be
/// missing: the agent then asks the visitor for it before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionChoice {
    None,
    Call {
        /// Index into [`ActionChoiceInput::actions`].
        index: usize,
        params: std::collections::BTreeMap<String, serde_json::Value>,
        /// Why, in words, for the decision record.
        reason: String,
        /// Set when "when not to use" holds the action back: why.
        held_back: Option<String>,
    },
}

/// What an engine is given to tell the visitor an action's result (when the action has no
/// reply template of its own).
#[derive(Debug, Clone, Copy)]
pub struct ActionReplyInput<'a> {
    pub history: &'a [Turn],
    pub message: &'a str,
    pub action: &'a str,
    pub description: &'a str,
    /// The HTTP status of the action's answer.
    pub status: u16,
    /// The answer's body as logged (credentials masked, cut at the log's cap).
    pub response: &'a str,
    pub language: Option<&'a str>,
}
