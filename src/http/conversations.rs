//! Routes for visitors (the website widget and API channels) and for the inbox.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::{
    cookie, ApiJson, Authed, ClientAddr, Credential, IdPath, IdsPath, VisitorToken, SESSION_COOKIE,
};
use super::live;
use crate::actions::model::{ActionAnswered, FormSubmit};
use crate::auth::Actor;
use crate::chat::model::{ButtonClick, ChannelChoice, ChannelChosen};
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
        .routes(routes!(visitor_button_click))
        .routes(routes!(visitor_channel_choose))
        .routes(routes!(visitor_handover_email))
        .routes(routes!(visitor_action_form))
        .routes(routes!(visitor_action_button))
        .routes(routes!(icon_get))
        .routes(routes!(inbox_events))
        .routes(routes!(auth_login))
        .routes(routes!(auth_logout))
        .routes(routes!(auth_me))
}

/// Start a conversation as a website visitor. No credentials: the response's `visitor_token`
/// authorizes this conversation only (send it as `X-Visitor-Token`).
#[utoipa::path(post, path = "/v1/visitor/conversations", tag = "visitor", security(()),
    request_body = ConversationStart,
    responses((status = 201, body = VisitorSession),
              (status = 404, body = ErrorBody, description = "no such agent"),
              (status = 422, body = ErrorBody)))]
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

/// The visitor clicked an action button (recorded on the conversation's timeline).
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/button-clicks", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = ButtonClick,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn visitor_button_click(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<ButtonClick>,
) -> Result<StatusCode> {
    b.visitor_button_click(id, &t, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The visitor chose a handover channel: recorded; the inbox's confirmation or the email
/// channel's form comes back.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/handover-channel", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = ChannelChoice,
    responses((status = 200, body = ChannelChosen), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "not handed over, or the channel is off"),
              (status = 422, body = ErrorBody)))]
async fn visitor_channel_choose(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<ChannelChoice>,
) -> Result<Json<ChannelChosen>> {
    b.visitor_channel_choose(id, &t, input).await.map(Json)
}

/// The email channel's form: the support address gets the visitor's details, the summary,
/// a link and the conversation id.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/handover-email", tag = "visitor", security(()),
    params(("id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = ContactFormSubmit,
    responses((status = 200, body = ContactFormResult), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the email channel is not offered"),
              (status = 422, body = ErrorBody)))]
async fn visitor_handover_email(
    State(b): State<Baton>,
    IdPath(id): IdPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<ContactFormSubmit>,
) -> Result<Json<ContactFormResult>> {
    b.visitor_handover_email(id, &t, input).await.map(Json)
}

/// The visitor sent a form action's form: the values are checked field by field (422 at
/// `values.NAME`), noted on the conversation, fed to the lead when the form says so, and
/// passed to the form's HTTP action; the agent's answer comes back.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/forms/{action_id}", tag = "visitor", security(()),
    params(("id" = Id, Path), ("action_id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    request_body = FormSubmit,
    responses((status = 200, body = ActionAnswered), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn visitor_action_form(
    State(b): State<Baton>,
    IdsPath(id, action): IdsPath,
    VisitorToken(t): VisitorToken,
    ApiJson(input): ApiJson<FormSubmit>,
) -> Result<Json<ActionAnswered>> {
    b.visitor_action_form(id, &t, action, input).await.map(Json)
}

/// The visitor clicked a button action's button: a link's click is noted; an action's is
/// run and the agent's answer comes back.
#[utoipa::path(post, path = "/v1/visitor/conversations/{id}/action-buttons/{action_id}", tag = "visitor", security(()),
    params(("id" = Id, Path), ("action_id" = Id, Path), ("X-Visitor-Token" = String, Header)),
    responses((status = 200, body = ActionAnswered), (status = 404, body = ErrorBody)))]
async fn visitor_action_button(
    State(b): State<Baton>,
    IdsPath(id, action): IdsPath,
    VisitorToken(t): VisitorToken,
) -> Result<Json<ActionAnswered>> {
    b.visitor_action_button(id, &t, action).await.map(Json)
}

/// A button icon (`lucide:NAME` or `upload:ID`), for anyone. Uploaded SVGs were sanitised;
/// they are also served with a policy that forbids scripts and outside loads.
#[utoipa::path(get, path = "/v1/icons/{icon}", tag = "chat", security(()),
    params(("icon" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", description = "the icon (SVG, PNG, JPEG or WebP)"),
              (status = 404, body = ErrorBody)))]
async fn icon_get(
    State(b): State<Baton>,
    axum::extract::Path(icon): axum::extract::Path<String>,
) -> Result<Response> {
    let (mime, bytes) = b.icon_bytes(&icon).await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".into(),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox".into(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        bytes,
    )
        .into_response())
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

/// The signed-in operator. An API token is no operator: `403`.
#[utoipa::path(get, path = "/v1/auth/me", tag = "auth", responses((status = 200, body = Operator), (status = 403, body = ErrorBody, description = "the credential is an API token, not an operator's session"), (status = 401, body = ErrorBody)))]
async fn auth_me(State(b): State<Baton>, Authed(a): Authed) -> Result<Json<Operator>> {
    match a {
        Actor::Operator { operator_id, .. } => b
            .store()
            .operator_get(operator_id)
            .await?
            .map(Json)
            .ok_or(Error::not_found("operator")),
        _ => Err(Error::Forbidden(
            "this credential is an API token, not an operator's session".into(),
        )),
    }
}
