//! Routes for visitors (the website widget and API channels) and for the inbox.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::{
    cookie, ApiJson, ApiQuery, Authed, ClientAddr, Credential, IdPath, VisitorToken, SESSION_COOKIE,
};
use super::live;
use crate::auth::Actor;
use crate::conversations::inbox::*;
use crate::conversations::pipeline::*;
use crate::conversations::{Conversation, Message};
use crate::engine::Priority;
use crate::error::{Error, Result};
use crate::operators::Operator;
use crate::sessions::{LoginInput, Session, SESSION_DAYS};
use crate::{Baton, Id};

pub fn router() -> OpenApiRouter<Baton> {
    OpenApiRouter::new()
        .routes(routes!(visitor_start))
        .routes(routes!(visitor_messages, visitor_post))
        .routes(routes!(visitor_events))
        .routes(routes!(inbox_list))
        .routes(routes!(inbox_events))
        .routes(routes!(conversation_get))
        .routes(routes!(conversation_take))
        .routes(routes!(conversation_assign))
        .routes(routes!(conversation_reply))
        .routes(routes!(conversation_note))
        .routes(routes!(conversation_resolve))
        .routes(routes!(conversation_reopen))
        .routes(routes!(conversation_hand_back))
        .routes(routes!(conversation_handoff))
        .routes(routes!(auth_login))
        .routes(routes!(auth_logout))
        .routes(routes!(auth_me))
}

/// Start a conversation as a website visitor. No credentials: the response's `visitor_token`
/// authorizes this conversation only (send it as `X-Visitor-Token`).
#[utoipa::path(post, path = "/v1/visitor/conversations", tag = "visitor", security(()),
    request_body = ConversationStart,
    responses((status = 201, body = VisitorSession), (status = 422, body = ErrorBody)))]
async fn visitor_start(
    State(b): State<Baton>,
    ApiJson(input): ApiJson<ConversationStart>,
) -> Result<(StatusCode, Json<VisitorSession>)> {
    // The playground accepts a simulated time, which would let anyone bypass working hours:
    // it is for signed-in users only (the `visitor_start` command).
    if input.channel == Some(crate::conversations::Channel::Playground) {
        return Err(Error::invalid(
            "channel",
            "not_allowed",
            "the playground channel is only available inside Baton",
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(b.conversation_start(input).await?),
    ))
}

/// The conversation's messages, as the visitor sees them (no internal notes).
#[utoipa::path(get, path = "/v1/visitor/conversations/{id}/messages", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    responses((status = 200, body = Vec<Message>), (status = 404, body = ErrorBody)))]
async fn visitor_messages(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
) -> Result<Json<Vec<Message>>> {
    b.visitor_messages(id, &t).await.map(Json)
}

/// Send a visitor message (text and/or attachments) and get the agent's answer as typed events:
/// `reply`, `handoff_question`, `confirmation`, `out_of_hours`, `information_request`.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/messages", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = VisitorMessageInput,
    responses((status = 200, body = VisitorReply), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn visitor_post(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<VisitorMessageInput>,
) -> Result<Json<VisitorReply>> {
    b.visitor_message(id, &t, input).await.map(Json)
}

/// Server-sent events for one conversation: operator replies and status changes, live.
/// `?token=` carries the visitor token (EventSource cannot send headers).
#[utoipa::path(get, path = "/v1/visitor/conversations/{id}/events", tag = "visitor", security(()),
    params(("id" = Id, Path), ("token" = String, Query)),
    responses((status = 200, content_type = "text/event-stream", description = "events: message, visitor, updated"),
              (status = 404, body = ErrorBody)))]
async fn visitor_events(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
) -> Result<Response> {
    let c = b.conversation_for_visitor(id, &t).await?;
    Ok(live::visitor_stream(&b, c.id).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    /// needs_agent, mine, unassigned, all_open (default), resolved, all
    view: Option<InboxView>,
    agent_id: Option<Id>,
    priority: Option<Priority>,
    routing_profile_id: Option<Id>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    search: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
    as_operator_id: Option<Id>,
}

/// A view of the inbox with the counts of every view.
#[utoipa::path(get, path = "/v1/inbox", tag = "inbox", params(InboxParams),
    responses((status = 200, body = InboxPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn inbox_list(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiQuery(p): ApiQuery<InboxParams>,
) -> Result<Json<InboxPage>> {
    let q = InboxQuery {
        view: p.view,
        agent_id: p.agent_id,
        priority: p.priority,
        routing_profile_id: p.routing_profile_id,
        from: p.from,
        to: p.to,
        search: p.search,
        limit: p.limit,
        cursor: p.cursor,
        as_operator_id: p.as_operator_id,
    };
    b.inbox_list(&a, q).await.map(Json)
}

/// Server-sent events for operators: new messages, handoffs and changes, live.
#[utoipa::path(get, path = "/v1/inbox/events", tag = "inbox",
    responses((status = 200, content_type = "text/event-stream", description = "events: message, visitor, updated, handoff; `signed_out` and the end of the stream when the credential is revoked or expires")))]
async fn inbox_events(State(b): State<Baton>, credential: Credential) -> Result<Response> {
    let a = credential.authenticate(&b).await?;
    a.require(crate::auth::Permission::ReadInbox)?;
    Ok(live::inbox_stream(&b, &a, credential).into_response())
}

/// A conversation with its messages (internal notes included), decision records and summary.
#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "inbox", params(("id" = Id, Path)),
    responses((status = 200, body = ConversationDetail), (status = 404, body = ErrorBody)))]
async fn conversation_get(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<ConversationDetail>> {
    b.conversation_open(&a, id).await.map(Json)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeBody {
    #[serde(default)]
    as_operator_id: Option<Id>,
    /// The colleague it is taken from (required when someone else holds it).
    #[serde(default)]
    from_operator_id: Option<Id>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    text: String,
    #[serde(default)]
    as_operator_id: Option<Id>,
    /// The colleague it is taken from (required when someone else holds it).
    #[serde(default)]
    from_operator_id: Option<Id>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    operator_id: Option<Id>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    text: String,
    #[serde(default)]
    as_operator_id: Option<Id>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandBackBody {
    #[serde(default)]
    instruction: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffBody {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    take: bool,
    #[serde(default)]
    as_operator_id: Option<Id>,
}

fn or_default<T: Default + serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    if v.is_null() {
        Ok(T::default())
    } else {
        crate::json::from_value(v)
    }
}

/// Take over: assign to me. Taking it from a colleague names them in `from_operator_id`; 409
/// if someone else holds it (or took it at the same moment).
#[utoipa::path(post, path = "/v1/conversations/{id}/take", tag = "inbox", params(("id" = Id, Path)),
    request_body(content = TakeBody, description = "optional"),
    responses((status = 200, body = Conversation), (status = 409, body = ErrorBody)))]
async fn conversation_take(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> Result<Json<Conversation>> {
    let body: TakeBody = or_default(v)?;
    b.conversation_take(
        &a,
        ConversationTake {
            id,
            as_operator_id: body.as_operator_id,
            from_operator_id: body.from_operator_id,
        },
    )
    .await
    .map(Json)
}

#[utoipa::path(post, path = "/v1/conversations/{id}/assign", tag = "inbox", params(("id" = Id, Path)),
    request_body = AssignBody, responses((status = 200, body = Conversation), (status = 422, body = ErrorBody)))]
async fn conversation_assign(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<Json<Conversation>> {
    b.conversation_assign(
        &a,
        ConversationAssign {
            id,
            operator_id: body.operator_id,
        },
    )
    .await
    .map(Json)
}

/// Reply to the visitor as an operator. Takes the conversation if nobody holds it, or from the
/// colleague named in `from_operator_id`.
#[utoipa::path(post, path = "/v1/conversations/{id}/reply", tag = "inbox", params(("id" = Id, Path)),
    request_body = ReplyBody, responses((status = 201, body = Message), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn conversation_reply(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<(StatusCode, Json<Message>)> {
    let m = b
        .conversation_reply(
            &a,
            ConversationReply {
                id,
                text: body.text,
                as_operator_id: body.as_operator_id,
                from_operator_id: body.from_operator_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// An internal note, visible to operators only.
#[utoipa::path(post, path = "/v1/conversations/{id}/notes", tag = "inbox", params(("id" = Id, Path)),
    request_body = TextBody, responses((status = 201, body = Message)))]
async fn conversation_note(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<TextBody>,
) -> Result<(StatusCode, Json<Message>)> {
    let m = b
        .conversation_note(
            &a,
            ConversationText {
                id,
                text: body.text,
                as_operator_id: body.as_operator_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[utoipa::path(post, path = "/v1/conversations/{id}/resolve", tag = "inbox", params(("id" = Id, Path)),
    responses((status = 200, body = Conversation)))]
async fn conversation_resolve(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<Conversation>> {
    b.conversation_resolve(
        &a,
        ConversationAction {
            id,
            as_operator_id: None,
        },
    )
    .await
    .map(Json)
}

#[utoipa::path(post, path = "/v1/conversations/{id}/reopen", tag = "inbox", params(("id" = Id, Path)),
    responses((status = 200, body = Conversation), (status = 409, body = ErrorBody)))]
async fn conversation_reopen(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<Conversation>> {
    b.conversation_reopen(
        &a,
        ConversationAction {
            id,
            as_operator_id: None,
        },
    )
    .await
    .map(Json)
}

/// Hand back to the AI, optionally with a private instruction it follows in this conversation.
#[utoipa::path(post, path = "/v1/conversations/{id}/hand-back", tag = "inbox", params(("id" = Id, Path)),
    request_body(content = HandBackBody, description = "optional"), responses((status = 200, body = Conversation)))]
async fn conversation_hand_back(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> Result<Json<Conversation>> {
    let body: HandBackBody = or_default(v)?;
    b.conversation_hand_back(
        &a,
        ConversationHandBack {
            id,
            instruction: body.instruction,
        },
    )
    .await
    .map(Json)
}

/// Manual handoff of a conversation the AI is handling.
#[utoipa::path(post, path = "/v1/conversations/{id}/handoff", tag = "inbox", params(("id" = Id, Path)),
    request_body(content = HandoffBody, description = "optional"), responses((status = 200, body = Conversation), (status = 409, body = ErrorBody)))]
async fn conversation_handoff(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> Result<Json<Conversation>> {
    let body: HandoffBody = or_default(v)?;
    b.conversation_handoff(
        &a,
        ConversationManualHandoff {
            id,
            reason: body.reason,
            take: body.take,
            as_operator_id: body.as_operator_id,
        },
    )
    .await
    .map(Json)
}

fn session_cookie(value: &str, max_age: i64) -> String {
    format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}")
}

/// Sign in as an operator. Sets the `baton_session` cookie and returns the session token.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", security(()), request_body = LoginInput,
    responses((status = 200, body = Session), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody, description = "too many failed sign-ins (per email, per client address); see Retry-After")))]
async fn auth_login(
    State(b): State<Baton>,
    ClientAddr(client): ClientAddr,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Response> {
    let s = b.session_login(input, client).await?;
    let cookie = session_cookie(&s.token, SESSION_DAYS * 86_400);
    Ok(([(header::SET_COOKIE, cookie)], Json(s)).into_response())
}

#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", security(()), responses((status = 204)))]
async fn auth_logout(
    State(b): State<Baton>,
    parts: axum::http::request::Parts,
) -> Result<Response> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    if let Some(t) = bearer.or_else(|| cookie(&parts, SESSION_COOKIE)) {
        b.session_logout(&t).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie("", 0))],
    )
        .into_response())
}

/// The signed-in operator.
#[utoipa::path(get, path = "/v1/auth/me", tag = "auth", responses((status = 200, body = Operator), (status = 401, body = ErrorBody)))]
async fn auth_me(State(b): State<Baton>, Authed(a): Authed) -> Result<Json<Operator>> {
    match a {
        Actor::Operator { operator_id, .. } => b
            .store()
            .operator_get(operator_id)
            .await?
            .map(Json)
            .ok_or(Error::not_found("operator")),
        _ => Err(Error::BadRequest {
            message: "this credential is not an operator session".into(),
            field: None,
        }),
    }
}
