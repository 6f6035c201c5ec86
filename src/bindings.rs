//! TypeScript bindings for the UI, generated from the Rust types (never written twice).
//! `ui/src/lib/bindings.ts` is committed; the `bindings_are_current` test fails when it is stale,
//! and `BATON_UPDATE_BINDINGS=1 cargo test --test bindings` rewrites it.

use ts_rs::TS;

use crate::{
    actions, agents, api, conversations, engine, error, handoff, knowledge, notify, operators,
    public_url, sessions, tokens, webhooks,
};

/// Path of the generated file, relative to the repository root.
pub const PATH: &str = "ui/src/lib/bindings.ts";

macro_rules! decls {
    ($($t:ty),* $(,)?) => {{
        let mut out = String::new();
        $(
            out.push_str("export ");
            out.push_str(&<$t as TS>::decl());
            out.push_str("\n\n");
        )*
        out
    }};
}

pub fn render() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by `baton::bindings`; do not edit.\n\
         // Regenerate: BATON_UPDATE_BINDINGS=1 cargo test --test bindings\n\n",
    );
    out.push_str(&decls!(
        error::FieldError,
        agents::Agent,
        agents::AgentCreate,
        agents::AgentUpdate,
        operators::Role,
        operators::Operator,
        operators::OperatorCreate,
        operators::OperatorUpdate,
        tokens::ApiToken,
        tokens::TokenCreate,
        tokens::CreatedToken,
        handoff::HandoffConfiguration,
        handoff::Settings,
        handoff::AvailabilitySlot,
        handoff::AvailabilityException,
        handoff::GenericGuidelineName,
        handoff::GenericGuideline,
        handoff::CustomGuideline,
        handoff::RoutingProfile,
        handoff::InformationKind,
        handoff::InformationField,
        handoff::HandoffConfigurationUpdate,
        handoff::SettingsUpdate,
        handoff::AvailabilitySlotInput,
        handoff::AvailabilityExceptionInput,
        handoff::GenericGuidelineInput,
        handoff::CustomGuidelineInput,
        handoff::RoutingProfileInput,
        handoff::InformationFieldInput,
        handoff::hours::HoursStatus,
        handoff::hours::HoursDraft,
        api::NoArgs,
        api::IdArgs,
        api::AgentScope,
        api::AgentUpdateArgs,
        api::OperatorUpdateArgs,
        api::HandoffConfigUpdateArgs,
        api::HoursCheckArgs,
        api::HoursPreviewArgs,
        api::KnowledgeUpdateArgs,
        api::SmtpTestArgs,
        api::VisitorSendArgs,
        engine::Author,
        engine::Priority,
        engine::GuidelineKey,
        engine::settings::EngineKind,
        engine::settings::EngineSettings,
        engine::breaker::EngineHealthState,
        engine::breaker::EngineHealth,
        engine::settings::EngineSettingsInput,
        knowledge::KnowledgeEntry,
        knowledge::KnowledgeInput,
        notify::SmtpSecurity,
        notify::SmtpSettings,
        notify::outbox::Notification,
        sessions::LoginInput,
        sessions::Session,
        conversations::Channel,
        conversations::Status,
        conversations::Attachment,
        conversations::Message,
        conversations::Conversation,
        conversations::DecisionRecord,
        conversations::VisitorEvent,
        conversations::events::LiveEvent,
        conversations::events::LiveKind,
        conversations::pipeline::ConversationStart,
        conversations::pipeline::VisitorSession,
        conversations::pipeline::VisitorMessageInput,
        conversations::pipeline::VisitorReply,
        conversations::inbox::InboxView,
        conversations::inbox::InboxQuery,
        conversations::inbox::InboxCounts,
        conversations::inbox::InboxItem,
        conversations::inbox::InboxPage,
        conversations::inbox::ConversationDetail,
        conversations::inbox::ConversationAction,
        conversations::inbox::ConversationAssign,
        conversations::inbox::ConversationText,
        conversations::inbox::ConversationHandBack,
        conversations::inbox::ConversationManualHandoff,
        conversations::inbox::ConversationTake,
        conversations::inbox::ConversationReply,
        conversations::inbox::SetupChecklist,
        conversations::timeline::TimelineKind,
        conversations::timeline::TimelineEvent,
        public_url::PublicUrl,
        public_url::PublicUrlInput,
        actions::model::ActionMethod,
        actions::model::ActionParamLocation,
        actions::model::ActionParamType,
        actions::model::ActionParameter,
        actions::model::ActionHeader,
        actions::model::ActionAuthKind,
        actions::model::ActionApiKeyLocation,
        actions::model::ActionAuth,
        actions::model::ActionAuthInput,
        actions::model::ActionOnFailure,
        actions::model::Action,
        actions::model::ActionInput,
        actions::model::ActionOutcome,
        actions::model::ActionRequestShown,
        actions::model::ActionResponseShown,
        actions::model::ActionTestArgs,
        actions::model::ActionTestResult,
        actions::model::ActionLogEntry,
        actions::model::ActionLogQuery,
        actions::model::ActionLogPage,
        api::ActionUpdateArgs,
        webhooks::model::WebhookEvent,
        webhooks::model::Webhook,
        webhooks::model::WebhookInput,
        webhooks::model::WebhookWithSecret,
        webhooks::model::WebhookDeliveryStatus,
        webhooks::model::WebhookAttempt,
        webhooks::model::WebhookDelivery,
        webhooks::model::WebhookDeliveryQuery,
        webhooks::model::WebhookDeliveryPage,
        webhooks::model::WebhookRedelivered,
        webhooks::model::WebhookTestResult,
        api::WebhookUpdateArgs,
    ));
    out.push_str(&api::typescript_commands());
    out
}
