//! The command list: every operation the UI can call, once. It drives the desktop shell's single
//! `rpc` IPC command, the server's `POST /v1/rpc/{command}` route and the generated TypeScript
//! `Commands` map, so no operation is written twice. REST routes call the same `Baton` methods.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use ts_rs::TS;
use utoipa::ToSchema;

use crate::actions::model::{
    Action, ActionInput, ActionLogPage, ActionLogQuery, ActionTestArgs, ActionTestResult,
};
use crate::agents::{Agent, AgentCreate, AgentUpdate};
use crate::auth::Actor;
use crate::conversations::inbox::{
    ConversationAction, ConversationAssign, ConversationDetail, ConversationHandBack,
    ConversationManualHandoff, ConversationReply, ConversationTake, ConversationText, InboxPage,
    InboxQuery, SetupChecklist,
};
use crate::conversations::pipeline::{
    ConversationStart, VisitorMessageInput, VisitorReply, VisitorSession,
};
use crate::conversations::{Conversation, Message};
use crate::desktop::{DesktopSettings, DesktopStatus};
use crate::engine::settings::{EngineSettings, EngineSettingsInput};
use crate::error::{Error, Result};
use crate::handoff::hours::{HoursDraft, HoursStatus};
use crate::handoff::{HandoffConfiguration, HandoffConfigurationUpdate};
use crate::knowledge::{KnowledgeEntry, KnowledgeInput};
use crate::notify::outbox::Notification;
use crate::notify::SmtpSettings;
use crate::operators::{Operator, OperatorCreate, OperatorUpdate};
use crate::public_url::{PublicUrl, PublicUrlInput};
use crate::tokens::{ApiToken, CreatedToken, TokenCreate};
use crate::{Baton, Id};

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdArgs {
    #[ts(type = "number")]
    pub id: Id,
}

/// Which agent to act on; omitted = the token's agent or the default agent.
#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentScope {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub changes: AgentUpdate,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub changes: OperatorUpdate,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffConfigUpdateArgs {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
    pub configuration: HandoffConfigurationUpdate,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursCheckArgs {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
    /// Instant to evaluate (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// IANA zone of the visitor, to express the next opening in their time.
    #[serde(default)]
    pub visitor_timezone: Option<String>,
}

/// `hours_check` for unsaved working hours: the preview of an editor's draft.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursPreviewArgs {
    pub draft: HoursDraft,
    /// Instant to evaluate (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// IANA zone of the visitor, to express the next opening in their time.
    #[serde(default)]
    pub visitor_timezone: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub entry: KnowledgeInput,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpTestArgs {
    pub to: String,
}

/// A visitor message sent by the app itself (the playground), with the conversation's token.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorSendArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    pub message: VisitorMessageInput,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub action: ActionInput,
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident($baton:ident, $actor:ident, $args:ident: $Args:ty) -> $Out:ty $body:block )*) => {
        /// Every command name, in declaration order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        $(
            $(#[doc = $doc])*
            pub async fn $name($baton: &Baton, $actor: &Actor, $args: $Args) -> Result<$Out> $body
        )*

        /// Runs the command `name` with JSON `args`; the single entry point of IPC and RPC.
        pub async fn dispatch(baton: &Baton, actor: &Actor, name: &str, args: serde_json::Value) -> Result<serde_json::Value> {
            match name {
                $(stringify!($name) => {
                    let args: $Args = parse_args(args)?;
                    let out: $Out = $name(baton, actor, args).await?;
                    serde_json::to_value(out).map_err(|e| Error::Internal(e.to_string()))
                })*
                _ => Err(Error::NotFound { what: "command" }),
            }
        }

        /// The TypeScript map from command name to argument and result types.
        pub fn typescript_commands() -> String {
            let mut out = String::from("export type Commands = {\n");
            $(
                out.push_str(&format!(
                    "  {}: {{ args: {}; result: {} }};\n",
                    stringify!($name),
                    <$Args as TS>::name(),
                    <$Out as TS>::name(),
                ));
            )*
            out.push_str("};\n");
            out
        }
    };
}

fn parse_args<T: serde::de::DeserializeOwned>(args: serde_json::Value) -> Result<T> {
    // `null` (or no body) means no arguments.
    if args.is_null() {
        crate::json::from_value(serde_json::Value::Object(Default::default()))
    } else {
        crate::json::from_value(args)
    }
}

commands! {
    /// All agents (an agent-scoped token sees its own).
    agent_list(b, a, _x: NoArgs) -> Vec<Agent> { b.agent_list(a).await }
    agent_get(b, a, x: IdArgs) -> Agent { b.agent_get(a, x.id).await }
    agent_create(b, a, x: AgentCreate) -> Agent { b.agent_create(a, x).await }
    agent_update(b, a, x: AgentUpdateArgs) -> Agent { b.agent_update(a, x.id, x.changes).await }
    agent_delete(b, a, x: IdArgs) -> () { b.agent_delete(a, x.id).await }
    operator_list(b, a, _x: NoArgs) -> Vec<Operator> { b.operator_list(a).await }
    operator_get(b, a, x: IdArgs) -> Operator { b.operator_get(a, x.id).await }
    operator_create(b, a, x: OperatorCreate) -> Operator { b.operator_create(a, x).await }
    operator_update(b, a, x: OperatorUpdateArgs) -> Operator { b.operator_update(a, x.id, x.changes).await }
    operator_delete(b, a, x: IdArgs) -> () { b.operator_delete(a, x.id).await }
    /// The handoff configuration of an agent (seed 001 contract).
    handoff_config_get(b, a, x: AgentScope) -> HandoffConfiguration { b.handoff_config_get(a, x.agent_id).await }
    /// Validate and save a handoff configuration; all or nothing.
    handoff_config_update(b, a, x: HandoffConfigUpdateArgs) -> HandoffConfiguration {
        b.handoff_config_update(a, x.agent_id, x.configuration).await
    }
    /// Open or closed now (or at `at`), and the next opening.
    hours_check(b, a, x: HoursCheckArgs) -> HoursStatus {
        b.hours_check(a, x.agent_id, x.at, x.visitor_timezone.as_deref()).await
    }
    /// The same for working hours that are not saved yet (validated like a save; nothing stored).
    hours_preview(b, a, x: HoursPreviewArgs) -> HoursStatus {
        b.hours_preview(a, x.draft, x.at, x.visitor_timezone.as_deref())
    }
    token_list(b, a, _x: NoArgs) -> Vec<ApiToken> { b.token_list(a).await }
    token_create(b, a, x: TokenCreate) -> CreatedToken { b.token_create(a, x).await }
    token_revoke(b, a, x: IdArgs) -> ApiToken { b.token_revoke(a, x.id).await }
    engine_get(b, a, x: AgentScope) -> EngineSettings { b.agent_engine_get(a, x.agent_id).await }
    engine_set(b, a, x: EngineSettingsInput) -> EngineSettings { b.agent_engine_set(a, x).await }
    /// Check the model endpoint ("test connection").
    engine_test(b, a, x: AgentScope) -> String { b.agent_engine_test(a, x.agent_id).await }
    knowledge_list(b, a, x: AgentScope) -> Vec<KnowledgeEntry> { b.knowledge_list(a, x.agent_id).await }
    knowledge_create(b, a, x: KnowledgeInput) -> KnowledgeEntry { b.knowledge_create(a, x).await }
    knowledge_update(b, a, x: KnowledgeUpdateArgs) -> KnowledgeEntry { b.knowledge_update(a, x.id, x.entry).await }
    knowledge_delete(b, a, x: IdArgs) -> () { b.knowledge_delete(a, x.id).await }
    /// Start a conversation as a visitor (the playground uses channel `playground`).
    visitor_start(b, a, x: ConversationStart) -> VisitorSession {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_start(x).await
    }
    visitor_send(b, a, x: VisitorSendArgs) -> VisitorReply {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.visitor_message(x.conversation_id, &x.visitor_token, x.message).await
    }
    inbox_list(b, a, x: InboxQuery) -> InboxPage { b.inbox_list(a, x).await }
    /// The first-run checklist of an agent, read from what is stored.
    inbox_setup(b, a, x: AgentScope) -> SetupChecklist { b.inbox_setup(a, x.agent_id).await }
    conversation_open(b, a, x: IdArgs) -> ConversationDetail { b.conversation_open(a, x.id).await }
    conversation_take(b, a, x: ConversationTake) -> Conversation { b.conversation_take(a, x).await }
    conversation_assign(b, a, x: ConversationAssign) -> Conversation { b.conversation_assign(a, x).await }
    conversation_reply(b, a, x: ConversationReply) -> Message { b.conversation_reply(a, x).await }
    conversation_note(b, a, x: ConversationText) -> Message { b.conversation_note(a, x).await }
    conversation_resolve(b, a, x: ConversationAction) -> Conversation { b.conversation_resolve(a, x).await }
    conversation_reopen(b, a, x: ConversationAction) -> Conversation { b.conversation_reopen(a, x).await }
    conversation_hand_back(b, a, x: ConversationHandBack) -> Conversation { b.conversation_hand_back(a, x).await }
    conversation_handoff(b, a, x: ConversationManualHandoff) -> Conversation { b.conversation_handoff(a, x).await }
    settings_smtp_get(b, a, _x: NoArgs) -> Option<SmtpSettings> { b.settings_smtp_get(a).await }
    settings_smtp_set(b, a, x: SmtpSettings) -> SmtpSettings { b.settings_smtp_set(a, x).await }
    settings_smtp_test(b, a, x: SmtpTestArgs) -> () { b.settings_smtp_test(a, x.to).await }
    /// The address links in emails use: the saved one, else where the server listens.
    settings_public_url_get(b, a, _x: NoArgs) -> PublicUrl { b.settings_public_url_get(a).await }
    settings_public_url_set(b, a, x: PublicUrlInput) -> PublicUrl { b.settings_public_url_set(a, x).await }
    notification_list(b, a, _x: NoArgs) -> Vec<Notification> { b.notification_list(a).await }
    /// The desktop app's settings (database, in-process visitor server) and what runs now.
    /// Desktop app only: refused over HTTP.
    desktop_settings_get(b, a, _x: NoArgs) -> DesktopStatus { b.desktop_settings_get(a).await }
    /// Save them: the visitor server restarts at once, a new database is used after a restart.
    desktop_settings_set(b, a, x: DesktopSettings) -> DesktopStatus { b.desktop_settings_set(a, x).await }
    /// HTTP request actions of an agent (secrets never returned: `auth.has_secret`).
    action_list(b, a, x: AgentScope) -> Vec<Action> { b.action_list(a, x.agent_id).await }
    action_get(b, a, x: IdArgs) -> Action { b.action_get(a, x.id).await }
    action_create(b, a, x: ActionInput) -> Action { b.action_create(a, x).await }
    /// Save every field; `auth.secret` omitted keeps the stored secret, `""` clears it.
    action_update(b, a, x: ActionUpdateArgs) -> Action { b.action_update(a, x.id, x.action).await }
    action_delete(b, a, x: IdArgs) -> () { b.action_delete(a, x.id).await }
    /// Run an action with sample values: really calls the endpoint, and logs it as a test.
    action_test(b, a, x: ActionTestArgs) -> ActionTestResult { b.action_test(a, x).await }
    /// The execution log, newest first, filtered by action, outcome, conversation and date.
    action_log_list(b, a, x: ActionLogQuery) -> ActionLogPage { b.action_log_list(a, x).await }
}
