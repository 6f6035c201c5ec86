//! `baton serve`: the REST API (seed 001 contract and more), the RPC route shared with the
//! desktop shell, and the OpenAPI document, all thin handlers over [`Baton`].

mod conversations;
pub mod edge;
pub mod error;
mod exact;
pub mod extract;
mod leads;
mod live;
mod origin;
mod rest;
mod routes;
pub mod ui;

use std::future::Future;
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

/// The document as served (`/v1/openapi.json`, `docs/openapi.json`): [`openapi`] with what
/// the validators check said where JSON Schema can say it ([`exact`]).
pub fn openapi_json() -> serde_json::Value {
    document_json(&openapi())
}

fn document_json(api: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut v = serde_json::to_value(api).expect("the document is JSON");
    exact::document(&mut v);
    v
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
    rest::complete_errors(&mut api);
    (router.merge(rest::router()), api)
}

pub fn router(baton: Baton) -> Router {
    router_with(
        baton,
        std::sync::Arc::new(edge::Edge::new(edge::EdgeLimits::default())),
    )
}

/// The router with the given visitor limits (`baton serve` flags).
pub fn router_with(baton: Baton, edge: std::sync::Arc<edge::Edge>) -> Router {
    let (router, api) = api_router();
    // Serialised once: it never changes while the server runs.
    let api = axum::body::Bytes::from(document_json(&api).to_string());
    let router = router
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    api,
                )
            }),
        )
        .route("/healthz", axum::routing::get(|| async { "ok" }));
    ui::mount(router)
        .with_state(baton)
        .layer(axum::middleware::from_fn(origin::same_origin_for_cookies))
        .layer(axum::middleware::from_fn(move |req, next| {
            edge::limit(edge.clone(), req, next)
        }))
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

/// The connection limits of [`serve_with`] (`baton serve` flags).
#[derive(Debug, Clone)]
pub struct ServeLimits {
    /// A request's headers must arrive within this, counted from the connection's start or
    /// the end of its previous response: also how long an idle keep-alive connection stays.
    pub header_timeout: Duration,
    /// A request's body must arrive within this.
    pub body_timeout: Duration,
    /// Connections open at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    pub visitors: edge::EdgeLimits,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
            visitors: edge::EdgeLimits::default(),
        }
    }
}

/// Serves on an already bound listener until `shutdown` resolves, then drains open requests
/// for at most [`DRAIN_FOR`], with the default [`ServeLimits`].
pub async fn serve(
    baton: Baton,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(baton, listener, shutdown, ServeLimits::default()).await
}

/// [`serve`] with the given limits.
pub async fn serve_with(
    baton: Baton,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: ServeLimits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let edge = std::sync::Arc::new(edge::Edge::for_store(
        limits.visitors.clone(),
        baton.store(),
    ));
    let app = router_with(baton, edge.clone()).layer(
        tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_timeout),
    );
    let forget = tokio::spawn({
        let edge = edge.clone();
        async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                edge.forget_idle().await;
            }
        }
    });
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    // Every connection holds a receiver; shutdown drops the sender, and each connection
    // finishes its request in flight and closes (graceful); `closed` resolves when all have.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: say so, breathe, go on.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                app.clone().oneshot(req)
            });
        let mut stop = stop_rx.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    return;
                }
                _ = stop.changed() => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    drop(listener);
    forget.abort();
    drop(stop_tx);
    drop(stop_rx);
    // Live streams (server-sent events) never finish on their own: bounded by DRAIN_FOR.
    let all_closed = async {
        // Every connection holds a slot until it closes.
        let _ = slots
            .acquire_many(limits.max_connections.max(1) as u32)
            .await;
    };
    if tokio::time::timeout(DRAIN_FOR, all_closed).await.is_err() {
        tracing::info!("shut down: open live streams closed");
    }
    Ok(())
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
