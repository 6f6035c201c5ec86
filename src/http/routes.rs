use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::{ApiJson, ApiQuery, Authed, IdPath};
use crate::agents::{Agent, AgentCreate, AgentUpdate};
use crate::error::Result;
use crate::handoff::hours::HoursStatus;
use crate::handoff::{HandoffConfiguration, HandoffConfigurationUpdate};
use crate::operators::{Operator, OperatorCreate, OperatorUpdate};
use crate::tokens::{ApiToken, CreatedToken, TokenCreate};
use crate::{api, Baton, Id};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Baton API",
        description = "Human handoff for AI chat agents. Authenticate with `Authorization: Bearer <token>` \
                       (create one with `baton token create`). Errors have the body \
                       `{\"code\", \"message\", \"field\", \"errors\"}`.",
        version = env!("CARGO_PKG_VERSION")
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ErrorBody)),
    tags(
        (name = "handoff", description = "Human handoff configuration (seed 001 contract)"),
        (name = "agents"), (name = "operators"), (name = "tokens"),
        (name = "rpc", description = "Every core command by name, as the desktop app calls them")
    )
)]
pub struct ApiDoc;

struct BearerAuth;
impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub fn router() -> OpenApiRouter<Baton> {
    OpenApiRouter::new()
        .routes(routes!(
            handoff_configuration_get,
            handoff_configuration_put
        ))
        .routes(routes!(agents_list, agents_create))
        .routes(routes!(agents_get, agents_update, agents_delete))
        .routes(routes!(operators_list, operators_create))
        .routes(routes!(operators_get, operators_update, operators_delete))
        .routes(routes!(tokens_list, tokens_create))
        .routes(routes!(tokens_revoke))
        .routes(routes!(hours_get))
        .routes(routes!(rpc))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgentQuery {
    /// Agent to act on; default: the token's agent, or the default agent for admin tokens.
    agent_id: Option<Id>,
}

/// Get the human handoff configuration.
#[utoipa::path(get, path = "/v1/api/human_handoff/configuration", tag = "handoff", params(AgentQuery),
    responses((status = 200, body = HandoffConfiguration), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn handoff_configuration_get(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiQuery(q): ApiQuery<AgentQuery>,
) -> Result<Json<HandoffConfiguration>> {
    b.handoff_config_get(&a, q.agent_id).await.map(Json)
}

/// Update the human handoff configuration. Accepts exactly what GET returns; omitted sections
/// stay as they are; items keep their `id` (items without one are created, missing ones deleted).
/// Any invalid field fails the whole update with 422 and changes nothing.
#[utoipa::path(put, path = "/v1/api/human_handoff/configuration", tag = "handoff", params(AgentQuery),
    request_body = HandoffConfigurationUpdate,
    responses((status = 200, body = HandoffConfiguration), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "saved by someone else meanwhile: reload"),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn handoff_configuration_put(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiQuery(q): ApiQuery<AgentQuery>,
    ApiJson(update): ApiJson<HandoffConfigurationUpdate>,
) -> Result<Json<HandoffConfiguration>> {
    b.handoff_config_update(&a, q.agent_id, update)
        .await
        .map(Json)
}

#[utoipa::path(get, path = "/v1/agents", tag = "agents",
    responses((status = 200, body = Vec<Agent>), (status = 401, body = ErrorBody)))]
async fn agents_list(State(b): State<Baton>, Authed(a): Authed) -> Result<Json<Vec<Agent>>> {
    b.agent_list(&a).await.map(Json)
}

#[utoipa::path(post, path = "/v1/agents", tag = "agents", request_body = AgentCreate,
    responses((status = 201, body = Agent), (status = 422, body = ErrorBody)))]
async fn agents_create(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiJson(input): ApiJson<AgentCreate>,
) -> Result<(StatusCode, Json<Agent>)> {
    Ok((StatusCode::CREATED, Json(b.agent_create(&a, input).await?)))
}

#[utoipa::path(get, path = "/v1/agents/{id}", tag = "agents", params(("id" = Id, Path)),
    responses((status = 200, body = Agent), (status = 404, body = ErrorBody)))]
async fn agents_get(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<Agent>> {
    b.agent_get(&a, id).await.map(Json)
}

#[utoipa::path(patch, path = "/v1/agents/{id}", tag = "agents", params(("id" = Id, Path)),
    request_body = AgentUpdate,
    responses((status = 200, body = Agent), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn agents_update(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<AgentUpdate>,
) -> Result<Json<Agent>> {
    b.agent_update(&a, id, input).await.map(Json)
}

#[utoipa::path(delete, path = "/v1/agents/{id}", tag = "agents", params(("id" = Id, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn agents_delete(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<StatusCode> {
    b.agent_delete(&a, id).await.map(|_| StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/operators", tag = "operators",
    responses((status = 200, body = Vec<Operator>), (status = 401, body = ErrorBody)))]
async fn operators_list(State(b): State<Baton>, Authed(a): Authed) -> Result<Json<Vec<Operator>>> {
    b.operator_list(&a).await.map(Json)
}

#[utoipa::path(post, path = "/v1/operators", tag = "operators", request_body = OperatorCreate,
    responses((status = 201, body = Operator), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn operators_create(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiJson(input): ApiJson<OperatorCreate>,
) -> Result<(StatusCode, Json<Operator>)> {
    Ok((
        StatusCode::CREATED,
        Json(b.operator_create(&a, input).await?),
    ))
}

#[utoipa::path(get, path = "/v1/operators/{id}", tag = "operators", params(("id" = Id, Path)),
    responses((status = 200, body = Operator), (status = 404, body = ErrorBody)))]
async fn operators_get(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<Operator>> {
    b.operator_get(&a, id).await.map(Json)
}

#[utoipa::path(patch, path = "/v1/operators/{id}", tag = "operators", params(("id" = Id, Path)),
    request_body = OperatorUpdate,
    responses((status = 200, body = Operator), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn operators_update(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<OperatorUpdate>,
) -> Result<Json<Operator>> {
    b.operator_update(&a, id, input).await.map(Json)
}

#[utoipa::path(delete, path = "/v1/operators/{id}", tag = "operators", params(("id" = Id, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn operators_delete(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<StatusCode> {
    b.operator_delete(&a, id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<ApiToken>), (status = 403, body = ErrorBody)))]
async fn tokens_list(State(b): State<Baton>, Authed(a): Authed) -> Result<Json<Vec<ApiToken>>> {
    b.token_list(&a).await.map(Json)
}

/// Create a token. The secret is in the response, once; only its hash is stored.
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens", request_body = TokenCreate,
    responses((status = 201, body = CreatedToken), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tokens_create(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiJson(input): ApiJson<TokenCreate>,
) -> Result<(StatusCode, Json<CreatedToken>)> {
    Ok((StatusCode::CREATED, Json(b.token_create(&a, input).await?)))
}

#[utoipa::path(delete, path = "/v1/tokens/{id}", tag = "tokens", params(("id" = Id, Path)),
    responses((status = 200, body = ApiToken), (status = 404, body = ErrorBody)))]
async fn tokens_revoke(
    State(b): State<Baton>,
    Authed(a): Authed,
    IdPath(id): IdPath,
) -> Result<Json<ApiToken>> {
    b.token_revoke(&a, id).await.map(Json)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoursQuery {
    agent_id: Option<Id>,
    /// RFC 3339 instant to evaluate; default now.
    at: Option<DateTime<Utc>>,
    /// The visitor's IANA time zone, to express the next opening in their time.
    visitor_timezone: Option<String>,
}

/// Whether people are available for a handoff, and when they are next.
#[utoipa::path(get, path = "/v1/hours", tag = "handoff", params(HoursQuery),
    responses((status = 200, body = HoursStatus), (status = 422, body = ErrorBody)))]
async fn hours_get(
    State(b): State<Baton>,
    Authed(a): Authed,
    ApiQuery(q): ApiQuery<HoursQuery>,
) -> Result<Json<HoursStatus>> {
    b.hours_check(&a, q.agent_id, q.at, q.visitor_timezone.as_deref())
        .await
        .map(Json)
}

/// Run a core command by name (see the `Commands` map in the generated TypeScript bindings).
/// The body is the command's arguments object; the response is its result.
#[utoipa::path(post, path = "/v1/rpc/{command}", tag = "rpc",
    params(("command" = String, Path, description = "Command name, e.g. agent_list")),
    request_body(content = Object, description = "The command's arguments"),
    responses((status = 200, description = "The command's result"), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn rpc(
    State(b): State<Baton>,
    Authed(a): Authed,
    Path(command): Path<String>,
    ApiJson(args): ApiJson<serde_json::Value>,
) -> Result<Json<serde_json::Value>> {
    api::dispatch(&b, &a, &command, args).await.map(Json)
}
