//! Routes for visitors (the website widget and API channels) and for the inbox.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::{
    cookie, ApiJson, Authed, ClientAddr, Credential, IdPath, VisitorToken, SESSION_COOKIE,
};
use super::live;
use crate::auth::Actor;
use crate::conversations::pipeline::*;
use crate::conversations::Message;
use crate::error::{Error, Result};
use crate::leads::model::{ContactFormResult, ContactFormSubmit, VisitorEnded};
use crate::operators::Operator;
use crate::sessions::{LoginInput, Session, SESSION_DAYS};
use crate::{Baton, Id};

pub fn router() -> OpenApiRouter<Baton> {
    OpenApiRouter::new()
        .routes(routes!(visitor_start))
        .routes(routes!(visitor_messages, visitor_post))
        .routes(routes!(visitor_events))
        .routes(routes!(visitor_form_submit))
        .routes(routes!(visitor_end))
        .routes(routes!(inbox_events))
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

/// Submit the contact form: the details become the conversation's lead (with the consent
/// text and time when the form asks for consent) and the success message is the answer.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/contact-form", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = ContactFormSubmit,
    responses((status = 200, body = ContactFormResult), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the agent has no contact form"),
              (status = 422, body = ErrorBody)))]
async fn visitor_form_submit(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<ContactFormSubmit>,
) -> Result<Json<ContactFormResult>> {
    b.visitor_form_submit(id, &t, input).await.map(Json)
}

/// The visitor ends the chat: the contact form to show, when it is set to appear at the end.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/end", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    responses((status = 200, body = VisitorEnded), (status = 404, body = ErrorBody)))]
async fn visitor_end(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
) -> Result<Json<VisitorEnded>> {
    b.visitor_end(id, &t).await.map(Json)
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

/// Server-sent events for operators: new messages, handoffs and changes, live.
#[utoipa::path(get, path = "/v1/inbox/events", tag = "inbox",
    responses((status = 200, content_type = "text/event-stream", description = "events: message, visitor, updated, handoff; `signed_out` and the end of the stream when the credential is revoked or expires")))]
async fn inbox_events(State(b): State<Baton>, credential: Credential) -> Result<Response> {
    let a = credential.authenticate(&b).await?;
    a.require(crate::auth::Permission::ReadInbox)?;
    Ok(live::inbox_stream(&b, &a, credential).into_response())
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

/// The signed-in operator. An API token is no operator: `400`.
#[utoipa::path(get, path = "/v1/auth/me", tag = "auth", responses((status = 200, body = Operator), (status = 400, body = ErrorBody, description = "the credential is an API token, not an operator's session"), (status = 401, body = ErrorBody)))]
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
