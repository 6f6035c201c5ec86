use axum::extract::{Path, State};
use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::{ApiJson, Authed};
use crate::error::Result;
use crate::{api, Baton};

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

/// The RPC route; the REST routes that are commands come from the command list (`rest.rs`).
pub fn router() -> OpenApiRouter<Baton> {
    OpenApiRouter::new().routes(routes!(rpc))
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
