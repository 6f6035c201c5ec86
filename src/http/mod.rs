//! `baton serve`: the REST API (seed 001 contract and more), the RPC route shared with the
//! desktop shell, and the OpenAPI document, all thin handlers over [`Baton`].

mod conversations;
pub mod error;
pub mod extract;
mod leads;
mod live;
mod origin;
mod rest;
mod routes;
pub mod ui;

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Baton;

/// Largest accepted request body. A maximal configuration (5,000 keywords of 100 characters)
/// is about 0.6 MB.
pub const BODY_LIMIT_BYTES: usize = 4 * 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().1
}

/// Every API route and its OpenAPI document: the hand-written routes (visitor API, live
/// streams, sign-in, RPC) and the REST routes generated from the command list.
fn api_router() -> (Router<Baton>, utoipa::openapi::OpenApi) {
    let (router, mut api) = OpenApiRouter::with_openapi(routes::ApiDoc::openapi())
        .merge(routes::router())
        .merge(conversations::router())
        .merge(leads::router())
        .split_for_parts();
    rest::document(&mut api);
    (router.merge(rest::router()), api)
}

pub fn router(baton: Baton) -> Router {
    let (router, api) = api_router();
    ui::mount(router)
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || async move { axum::Json(api) }),
        )
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .with_state(baton)
        .layer(axum::middleware::from_fn(origin::same_origin_for_cookies))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            // Spans carry method, path and request id only: never headers or bodies, which may
            // hold tokens and personal data.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// How long open requests may take to finish once shutdown has begun. Live streams
/// (server-sent events) never finish on their own: without a bound a server with a browser
/// watching would never stop. Their clients reconnect to the next server.
pub const DRAIN_FOR: Duration = Duration::from_secs(5);

/// Serves on an already bound listener until `shutdown` resolves, then drains open requests
/// for at most [`DRAIN_FOR`].
pub async fn serve(
    baton: Baton,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (begun, draining) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        let _ = begun.send(());
    };
    // With the peer address, for the sign-in limits.
    let server = axum::serve(
        listener,
        router(baton).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal)
    .into_future();
    let deadline = async move {
        match draining.await {
            Ok(()) => tokio::time::sleep(DRAIN_FOR).await,
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        done = server => done,
        () = deadline => {
            tracing::info!("shut down: open live streams closed");
            Ok(())
        }
    }
}

pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
