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
use crate::chat::model::{
    BuiltinIcon, ButtonClick, ButtonGroups, ButtonGroupsInput, ChannelChoice, ChannelChosen,
    HandoverChannels, HandoverChannelsInput, IconData, IconRef, IconSearch, IconUpload,
    IconUploaded,
};
use crate::conversations::inbox::{
    ConversationAction, ConversationAssign, ConversationDetail, ConversationHandBack,
    ConversationManualHandoff, ConversationReply, ConversationTake, ConversationText, InboxPage,
    InboxQuery, SetupChecklist,
};
use crate::conversations::pipeline::{
    ConversationStart, VisitorMessageInput, VisitorReply, VisitorSession,
};
use crate::conversations::{Conversation, Message};
use crate::engine::breaker::EngineHealth;
use crate::engine::settings::{EngineSettings, EngineSettingsInput};
use crate::error::{Error, Result};
use crate::handoff::hours::{HoursDraft, HoursStatus};
use crate::handoff::{HandoffConfiguration, HandoffConfigurationUpdate};
use crate::knowledge::{KnowledgeEntry, KnowledgeInput};
use crate::leads::model::{
    ContactFormResult, ContactFormSubmit, LeadDeleted, LeadDetail, LeadPage, LeadQuery,
    VisitorEnded,
};
use crate::leads::settings::{LeadSettings, LeadSettingsInput};
use crate::notify::outbox::Notification;
use crate::notify::SmtpSettings;
use crate::operators::{Operator, OperatorCreate, OperatorUpdate};
use crate::public_url::{PublicUrl, PublicUrlInput};
use crate::tokens::{ApiToken, CreatedToken, TokenCreate};
use crate::webhooks::model::{
    Webhook, WebhookDelivery, WebhookDeliveryPage, WebhookDeliveryQuery, WebhookInput,
    WebhookRedelivered, WebhookTestResult, WebhookWithSecret,
};
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
    #[ts(optional, type = "number")]
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
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub configuration: HandoffConfigurationUpdate,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursCheckArgs {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    /// Instant to evaluate (default: now).
    #[serde(default)]
    #[ts(optional)]
    pub at: Option<DateTime<Utc>>,
    /// IANA zone of the visitor, to express the next opening in their time.
    #[serde(default)]
    #[ts(optional)]
    pub visitor_timezone: Option<String>,
}

/// `hours_check` for unsaved working hours: the preview of an editor's draft.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursPreviewArgs {
    pub draft: HoursDraft,
    /// Instant to evaluate (default: now).
    #[serde(default)]
    #[ts(optional)]
    pub at: Option<DateTime<Utc>>,
    /// IANA zone of the visitor, to express the next opening in their time.
    #[serde(default)]
    #[ts(optional)]
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

/// A contact form submitted by the app itself (the playground), with the conversation's token.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorFormArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    pub form: ContactFormSubmit,
}

/// A button click reported by the app itself (the playground).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorClickArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    pub click: ButtonClick,
}

/// A form action's form sent from the app itself (the playground).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorActionFormArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    #[ts(type = "number")]
    pub action_id: Id,
    pub form: crate::actions::model::FormSubmit,
}

/// A button action's button clicked in the app itself (the playground).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorActionButtonArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    #[ts(type = "number")]
    pub action_id: Id,
}

/// A handover channel chosen in the app itself (the playground).
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorChannelArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
    pub choice: ChannelChoice,
}

/// The app itself (the playground) ends a chat as the visitor.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorEndArgs {
    #[ts(type = "number")]
    pub conversation_id: Id,
    pub visitor_token: String,
}

/// A REST route that is a command: `#[rest(get "/v1/agents/{id}", tag = "agents")]` above a
/// command in the list. The HTTP edge (`http::rest`) serves it and documents it in the OpenAPI
/// document from this declaration, so no REST handler repeats a command by hand. Path and
/// query parameters are the argument fields of the same names; the JSON body is either the
/// remaining fields (default) or one field (`body = changes`).
#[derive(Debug, Clone)]
pub struct Route {
    pub command: &'static str,
    /// `get`, `post`, `put`, `patch` or `delete`.
    pub method: &'static str,
    /// With `{field}` placeholders, as axum and OpenAPI write them.
    pub path: &'static str,
    pub tag: &'static str,
    /// The argument field the body is; `None`: the body's fields are the arguments.
    pub body: Option<&'static str>,
    /// The success status: 200, 201 (created) or 204 (no content).
    pub status: u16,
    /// The command's doc comment.
    pub doc: &'static str,
    /// The JSON schemas of the arguments and of the result (inline), pushing the named types
    /// they use into the list of components.
    pub args: SchemaFn,
    pub result: SchemaFn,
}

pub type SchemaFn = fn(
    &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>;

fn schema_of<T: utoipa::ToSchema>(
    components: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    T::schemas(components);
    let schema = T::schema();
    let name = T::name();
    // Derived types are named components; containers and primitives are not.
    let generic = [
        "Vec",
        "Option",
        "TupleUnit",
        "String",
        "str",
        "bool",
        "i64",
        "u64",
        "i32",
        "f64",
    ];
    if !generic.contains(&name.as_ref()) {
        components.push((name.into_owned(), schema.clone()));
    }
    schema
}

impl Route {
    fn new(
        command: &'static str,
        method: &'static str,
        path: &'static str,
        args: SchemaFn,
        result: SchemaFn,
    ) -> Route {
        Route {
            command,
            method,
            path,
            tag: "rpc",
            body: None,
            status: 200,
            doc: doc_of(command),
            args,
            result,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub action: ActionInput,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdateArgs {
    #[ts(type = "number")]
    pub id: Id,
    pub webhook: WebhookInput,
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $(#[rest($method:ident $path:literal $(, $opt:ident = $val:expr)*)])? $name:ident($baton:ident, $actor:ident, $args:ident: $Args:ty) -> $Out:ty $body:block )*) => {
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

        /// A command's doc comment.
        fn doc_of(name: &str) -> &'static str {
            match name {
                $(stringify!($name) => concat!($($doc, "\n",)* ""),)*
                _ => "",
            }
        }

        /// The commands that are REST routes too, in declaration order.
        pub fn routes() -> Vec<Route> {
            let mut out = Vec::new();
            $($(
                #[allow(unused_mut)]
                let mut r = Route::new(stringify!($name), stringify!($method), $path, schema_of::<$Args>, schema_of::<$Out>);
                $( r.$opt = $val.into(); )*
                out.push(r);
            )?)*
            out
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
    #[rest(get "/v1/agents", tag = "agents")]
    agent_list(b, a, _x: NoArgs) -> Vec<Agent> { b.agent_list(a).await }
    /// One agent.
    #[rest(get "/v1/agents/{id}", tag = "agents")]
    agent_get(b, a, x: IdArgs) -> Agent { b.agent_get(a, x.id).await }
    /// Create an agent.
    #[rest(post "/v1/agents", tag = "agents", status = 201u16)]
    agent_create(b, a, x: AgentCreate) -> Agent { b.agent_create(a, x).await }
    /// Change an agent; omitted fields stay as they are.
    #[rest(patch "/v1/agents/{id}", tag = "agents", body = Some("changes"))]
    agent_update(b, a, x: AgentUpdateArgs) -> Agent { b.agent_update(a, x.id, x.changes).await }
    /// Delete an agent (not the default one).
    #[rest(delete "/v1/agents/{id}", tag = "agents", status = 204u16)]
    agent_delete(b, a, x: IdArgs) -> () { b.agent_delete(a, x.id).await }
    /// The team: every operator with their role.
    #[rest(get "/v1/operators", tag = "operators")]
    operator_list(b, a, _x: NoArgs) -> Vec<Operator> { b.operator_list(a).await }
    /// One operator.
    #[rest(get "/v1/operators/{id}", tag = "operators")]
    operator_get(b, a, x: IdArgs) -> Operator { b.operator_get(a, x.id).await }
    /// Add an operator (email unique).
    #[rest(post "/v1/operators", tag = "operators", status = 201u16)]
    operator_create(b, a, x: OperatorCreate) -> Operator { b.operator_create(a, x).await }
    /// Change an operator; omitted fields stay as they are.
    #[rest(patch "/v1/operators/{id}", tag = "operators", body = Some("changes"))]
    operator_update(b, a, x: OperatorUpdateArgs) -> Operator { b.operator_update(a, x.id, x.changes).await }
    /// Remove an operator (never the last owner).
    #[rest(delete "/v1/operators/{id}", tag = "operators", status = 204u16)]
    operator_delete(b, a, x: IdArgs) -> () { b.operator_delete(a, x.id).await }
    /// The handoff configuration of an agent (seed 001 contract).
    #[rest(get "/v1/api/human_handoff/configuration", tag = "handoff")]
    handoff_config_get(b, a, x: AgentScope) -> HandoffConfiguration { b.handoff_config_get(a, x.agent_id).await }
    /// Validate and save a handoff configuration; all or nothing. Accepts exactly what the get
    /// returns; omitted sections stay as they are; items keep their `id` (items without one are
    /// created, missing ones deleted). Any invalid field fails the whole update with 422 and
    /// changes nothing; 409 when someone else saved meanwhile (reload).
    #[rest(put "/v1/api/human_handoff/configuration", tag = "handoff", body = Some("configuration"))]
    handoff_config_update(b, a, x: HandoffConfigUpdateArgs) -> HandoffConfiguration {
        b.handoff_config_update(a, x.agent_id, x.configuration).await
    }
    /// Open or closed now (or at `at`), and the next opening.
    #[rest(get "/v1/hours", tag = "handoff")]
    hours_check(b, a, x: HoursCheckArgs) -> HoursStatus {
        b.hours_check(a, x.agent_id, x.at, x.visitor_timezone.as_deref()).await
    }
    /// The same for working hours that are not saved yet (validated like a save; nothing stored).
    hours_preview(b, a, x: HoursPreviewArgs) -> HoursStatus {
        b.hours_preview(a, x.draft, x.at, x.visitor_timezone.as_deref())
    }
    /// The API tokens (never their secrets).
    #[rest(get "/v1/tokens", tag = "tokens")]
    token_list(b, a, _x: NoArgs) -> Vec<ApiToken> { b.token_list(a).await }
    /// Create a token. The secret is in the response, once; only its hash is stored.
    #[rest(post "/v1/tokens", tag = "tokens", status = 201u16)]
    token_create(b, a, x: TokenCreate) -> CreatedToken { b.token_create(a, x).await }
    /// Revoke a token: it stops working at once, live streams included.
    #[rest(delete "/v1/tokens/{id}", tag = "tokens")]
    token_revoke(b, a, x: IdArgs) -> ApiToken { b.token_revoke(a, x.id).await }
    engine_get(b, a, x: AgentScope) -> EngineSettings { b.agent_engine_get(a, x.agent_id).await }
    engine_set(b, a, x: EngineSettingsInput) -> EngineSettings { b.agent_engine_set(a, x).await }
    /// Check the model endpoint ("test connection").
    engine_test(b, a, x: AgentScope) -> String { b.agent_engine_test(a, x.agent_id).await }
    /// The model endpoint's state in this process: healthy, failing since…, or not called
    /// until… (its circuit breaker), with the last error.
    engine_health(b, a, x: AgentScope) -> EngineHealth { b.agent_engine_health(a, x.agent_id).await }
    knowledge_list(b, a, x: AgentScope) -> Vec<KnowledgeEntry> { b.knowledge_list(a, x.agent_id).await }
    knowledge_create(b, a, x: KnowledgeInput) -> KnowledgeEntry { b.knowledge_create(a, x).await }
    knowledge_update(b, a, x: KnowledgeUpdateArgs) -> KnowledgeEntry { b.knowledge_update(a, x.id, x.entry).await }
    knowledge_delete(b, a, x: IdArgs) -> () { b.knowledge_delete(a, x.id).await }
    /// Start a conversation as a visitor (the playground uses channel `playground`).
    visitor_start(b, a, x: ConversationStart) -> VisitorSession {
        a.require(crate::auth::Permission::ReadConfig)?;
        // A token bound to an agent plays with that agent only.
        let agent_id = Some(b.resolve_agent(a, x.agent_id).await?);
        b.conversation_start(ConversationStart { agent_id, ..x }).await
    }
    visitor_send(b, a, x: VisitorSendArgs) -> VisitorReply {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_message(x.conversation_id, &x.visitor_token, x.message).await
    }
    /// Submit the contact form as the visitor (the playground).
    visitor_form_submit(b, a, x: VisitorFormArgs) -> ContactFormResult {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_form_submit(x.conversation_id, &x.visitor_token, x.form).await
    }
    /// End the chat as the visitor (the playground): the contact form if it shows at the end.
    visitor_end(b, a, x: VisitorEndArgs) -> VisitorEnded {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_end(x.conversation_id, &x.visitor_token).await
    }
    /// Report a button click as the visitor (the playground).
    visitor_button_click(b, a, x: VisitorClickArgs) -> () {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_button_click(x.conversation_id, &x.visitor_token, x.click).await
    }
    /// Send a form action's form as the visitor (the playground).
    visitor_action_form(b, a, x: VisitorActionFormArgs) -> crate::actions::model::ActionAnswered {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_action_form(x.conversation_id, &x.visitor_token, x.action_id, x.form).await
    }
    /// Click a button action's button as the visitor (the playground).
    visitor_action_button(b, a, x: VisitorActionButtonArgs) -> crate::actions::model::ActionAnswered {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_action_button(x.conversation_id, &x.visitor_token, x.action_id).await
    }
    /// Choose a handover channel as the visitor (the playground).
    visitor_channel_choose(b, a, x: VisitorChannelArgs) -> ChannelChosen {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_channel_choose(x.conversation_id, &x.visitor_token, x.choice).await
    }
    /// Send the email channel's form as the visitor (the playground).
    visitor_handover_email(b, a, x: VisitorFormArgs) -> ContactFormResult {
        a.require(crate::auth::Permission::ReadConfig)?;
        b.conversation_agent_check(a, x.conversation_id).await?;
        b.visitor_handover_email(x.conversation_id, &x.visitor_token, x.form).await
    }
    /// A view of the inbox with the counts of every view.
    #[rest(get "/v1/inbox", tag = "inbox")]
    inbox_list(b, a, x: InboxQuery) -> InboxPage { b.inbox_list(a, x).await }
    /// The first-run checklist of an agent, read from what is stored.
    inbox_setup(b, a, x: AgentScope) -> SetupChecklist { b.inbox_setup(a, x.agent_id).await }
    /// A conversation with its messages (internal notes included), decision records, timeline
    /// and summary.
    #[rest(get "/v1/conversations/{id}", tag = "inbox")]
    conversation_open(b, a, x: IdArgs) -> ConversationDetail { b.conversation_open(a, x.id).await }
    /// Take over: assign to me. Taking it from a colleague names them in `from_operator_id`; 409
    /// if someone else holds it (or took it at the same moment).
    #[rest(post "/v1/conversations/{id}/take", tag = "inbox")]
    conversation_take(b, a, x: ConversationTake) -> Conversation { b.conversation_take(a, x).await }
    /// Assign to an operator (`operator_id`), or unassign (null).
    #[rest(post "/v1/conversations/{id}/assign", tag = "inbox")]
    conversation_assign(b, a, x: ConversationAssign) -> Conversation { b.conversation_assign(a, x).await }
    /// Reply to the visitor as an operator. Takes the conversation if nobody holds it, or from
    /// the colleague named in `from_operator_id`.
    #[rest(post "/v1/conversations/{id}/reply", tag = "inbox", status = 201u16)]
    conversation_reply(b, a, x: ConversationReply) -> Message { b.conversation_reply(a, x).await }
    /// An internal note, visible to operators only.
    #[rest(post "/v1/conversations/{id}/notes", tag = "inbox", status = 201u16)]
    conversation_note(b, a, x: ConversationText) -> Message { b.conversation_note(a, x).await }
    /// Mark resolved.
    #[rest(post "/v1/conversations/{id}/resolve", tag = "inbox")]
    conversation_resolve(b, a, x: ConversationAction) -> Conversation { b.conversation_resolve(a, x).await }
    /// Reopen a resolved conversation.
    #[rest(post "/v1/conversations/{id}/reopen", tag = "inbox")]
    conversation_reopen(b, a, x: ConversationAction) -> Conversation { b.conversation_reopen(a, x).await }
    /// Hand back to the AI, optionally with a private instruction it follows in this
    /// conversation.
    #[rest(post "/v1/conversations/{id}/hand-back", tag = "inbox")]
    conversation_hand_back(b, a, x: ConversationHandBack) -> Conversation { b.conversation_hand_back(a, x).await }
    /// Manual handoff of a conversation the AI is handling.
    #[rest(post "/v1/conversations/{id}/handoff", tag = "inbox")]
    conversation_handoff(b, a, x: ConversationManualHandoff) -> Conversation { b.conversation_handoff(a, x).await }
    settings_smtp_get(b, a, _x: NoArgs) -> Option<SmtpSettings> { b.settings_smtp_get(a).await }
    settings_smtp_set(b, a, x: SmtpSettings) -> SmtpSettings { b.settings_smtp_set(a, x).await }
    settings_smtp_test(b, a, x: SmtpTestArgs) -> () { b.settings_smtp_test(a, x.to).await }
    /// The address links in emails use: the saved one, else where the server listens.
    settings_public_url_get(b, a, _x: NoArgs) -> PublicUrl { b.settings_public_url_get(a).await }
    settings_public_url_set(b, a, x: PublicUrlInput) -> PublicUrl { b.settings_public_url_set(a, x).await }
    notification_list(b, a, _x: NoArgs) -> Vec<Notification> { b.notification_list(a).await }
    /// HTTP request actions of an agent (secrets never returned: `auth.has_secret`).
    #[rest(get "/v1/actions", tag = "actions")]
    action_list(b, a, x: AgentScope) -> Vec<Action> { b.action_list(a, x.agent_id).await }
    #[rest(get "/v1/actions/{id}", tag = "actions")]
    action_get(b, a, x: IdArgs) -> Action { b.action_get(a, x.id).await }
    #[rest(post "/v1/actions", tag = "actions", status = 201u16)]
    action_create(b, a, x: ActionInput) -> Action { b.action_create(a, x).await }
    /// Save every field; `auth.secret` omitted keeps the stored secret, `""` clears it.
    #[rest(put "/v1/actions/{id}", tag = "actions", body = Some("action"))]
    action_update(b, a, x: ActionUpdateArgs) -> Action { b.action_update(a, x.id, x.action).await }
    #[rest(delete "/v1/actions/{id}", tag = "actions", status = 204u16)]
    action_delete(b, a, x: IdArgs) -> () { b.action_delete(a, x.id).await }
    /// Run an action with sample values: really calls the endpoint, and logs it as a test.
    #[rest(post "/v1/actions/{id}/test", tag = "actions")]
    action_test(b, a, x: ActionTestArgs) -> ActionTestResult { b.action_test(a, x).await }
    /// The execution log, newest first, filtered by action, outcome, conversation and date.
    #[rest(get "/v1/action-logs", tag = "actions")]
    action_log_list(b, a, x: ActionLogQuery) -> ActionLogPage { b.action_log_list(a, x).await }
    /// Webhook endpoints of an agent (signing secrets never returned).
    #[rest(get "/v1/webhooks", tag = "webhooks")]
    webhook_list(b, a, x: AgentScope) -> Vec<Webhook> { b.webhook_list(a, x.agent_id).await }
    #[rest(get "/v1/webhooks/{id}", tag = "webhooks")]
    webhook_get(b, a, x: IdArgs) -> Webhook { b.webhook_get(a, x.id).await }
    /// Create an endpoint. Its signing secret (`whsec_…`) is in the response, once.
    #[rest(post "/v1/webhooks", tag = "webhooks", status = 201u16)]
    webhook_create(b, a, x: WebhookInput) -> WebhookWithSecret { b.webhook_create(a, x).await }
    /// Save every field (the secret stays: rotate it instead).
    #[rest(put "/v1/webhooks/{id}", tag = "webhooks", body = Some("webhook"))]
    webhook_update(b, a, x: WebhookUpdateArgs) -> Webhook { b.webhook_update(a, x.id, x.webhook).await }
    /// Delete an endpoint, its delivery log and the deliveries not yet made.
    #[rest(delete "/v1/webhooks/{id}", tag = "webhooks", status = 204u16)]
    webhook_delete(b, a, x: IdArgs) -> () { b.webhook_delete(a, x.id).await }
    /// A new signing secret, in the response once; the previous one keeps signing for 24 h
    /// (both signatures are sent).
    #[rest(post "/v1/webhooks/{id}/rotate-secret", tag = "webhooks")]
    webhook_rotate_secret(b, a, x: IdArgs) -> WebhookWithSecret { b.webhook_rotate_secret(a, x.id).await }
    /// Send a `webhook.test` event now, signed as every delivery: status, time and answer.
    #[rest(post "/v1/webhooks/{id}/test", tag = "webhooks")]
    webhook_test(b, a, x: IdArgs) -> WebhookTestResult { b.webhook_test(a, x.id).await }
    /// The delivery log of an endpoint, newest first, with every attempt.
    #[rest(get "/v1/webhooks/{id}/deliveries", tag = "webhooks")]
    webhook_delivery_list(b, a, x: WebhookDeliveryQuery) -> WebhookDeliveryPage { b.webhook_delivery_list(a, x).await }
    /// Send a delivery again: the same message id and body, a new round of retries.
    #[rest(post "/v1/webhook-deliveries/{id}/redeliver", tag = "webhooks")]
    webhook_redeliver(b, a, x: IdArgs) -> WebhookDelivery { b.webhook_redeliver(a, x.id).await }
    /// Send every failed and exhausted delivery of an endpoint again.
    #[rest(post "/v1/webhooks/{id}/redeliver-failed", tag = "webhooks")]
    webhook_redeliver_failed(b, a, x: IdArgs) -> WebhookRedelivered { b.webhook_redeliver_failed(a, x.id).await }
    /// Leads of an agent, newest first: search over name, email and phone, creation time
    /// from/to, pages by `before_id` (limit default 50, at most 200).
    /// An agent's lead capture settings: smart data gathering, the contact form, lead and
    /// transcript emails (the defaults, all off, until saved).
    #[rest(get "/v1/lead-settings", tag = "leads")]
    lead_settings_get(b, a, x: AgentScope) -> LeadSettings { b.lead_settings_get(a, x.agent_id).await }
    /// Save an agent's lead capture settings whole.
    #[rest(put "/v1/lead-settings", tag = "leads")]
    lead_settings_set(b, a, x: LeadSettingsInput) -> LeadSettings { b.lead_settings_set(a, x).await }
    #[rest(get "/v1/leads", tag = "leads")]
    lead_list(b, a, x: LeadQuery) -> LeadPage { b.lead_list(a, x).await }
    /// One lead with the conversations it came from (id, start, channel).
    #[rest(get "/v1/leads/{id}", tag = "leads")]
    lead_get(b, a, x: IdArgs) -> LeadDetail { b.lead_get(a, x.id).await }
    /// Delete a lead: its details, consent and links to conversations; the conversations stay.
    #[rest(delete "/v1/leads/{id}", tag = "leads")]
    lead_delete(b, a, x: IdArgs) -> LeadDeleted { b.lead_delete(a, x.id).await }
    /// An agent's action button groups (up to 5, each 1–3 buttons and a trigger).
    #[rest(get "/v1/button-groups", tag = "chat")]
    button_groups_get(b, a, x: AgentScope) -> ButtonGroups { b.button_groups_get(a, x.agent_id).await }
    /// Save an agent's button groups whole (send each group's `id` back to keep it).
    #[rest(put "/v1/button-groups", tag = "chat")]
    button_groups_set(b, a, x: ButtonGroupsInput) -> ButtonGroups { b.button_groups_set(a, x).await }
    /// The built-in button icons whose name or keywords contain `search`.
    #[rest(get "/v1/icons", tag = "chat")]
    icon_list(b, a, x: IconSearch) -> Vec<BuiltinIcon> { b.icon_list(a, x) }
    /// Upload a button icon (SVG, PNG, JPEG or WebP, at most 1 MiB, judged by content; an
    /// SVG is sanitised and what was removed is listed).
    #[rest(post "/v1/icons", tag = "chat")]
    icon_upload(b, a, x: IconUpload) -> IconUploaded { b.icon_upload(a, x).await }
    /// An icon as a data: URL (for the desktop app).
    icon_data(b, a, x: IconRef) -> IconData { b.icon_data(a, x).await }
    /// An agent's handover channels: the inbox, email, WhatsApp, Telegram, Instagram,
    /// Messenger (the inbox alone until saved).
    #[rest(get "/v1/handover-channels", tag = "chat")]
    handover_channels_get(b, a, x: AgentScope) -> HandoverChannels { b.handover_channels_get(a, x.agent_id).await }
    /// Save an agent's handover channels (at least one on).
    #[rest(put "/v1/handover-channels", tag = "chat")]
    handover_channels_set(b, a, x: HandoverChannelsInput) -> HandoverChannels { b.handover_channels_set(a, x).await }
}
