//! The web UI and the website widget, served by `baton serve` at `/`.
//!
//! The files are the output of `npm --prefix ui run build` (`ui/dist`), read from disk at request
//! time, so that `cargo build` works on a fresh clone without Node and a rebuilt UI needs no
//! server restart. The directory is `BATON_UI_DIR` when set, else `ui/` next to the executable,
//! else `ui/dist` in the source tree the binary was built from. When none has an `index.html`,
//! `/` answers with a page saying how to build it.
//!
//! Everything under `/v1/` stays the API: an unknown `/v1/...` path is a JSON `404`, never the
//! app's `index.html`. Any other unknown path without a file extension is a client-side route
//! and gets `index.html` (the app routes on the URL hash, but links may still land there).
//!
//! The visitor routes (`/v1/visitor/...`) are called by the widget from the customer's own
//! website, another origin: they answer CORS preflights and allow any origin. They use a
//! per-conversation token header, never cookies, so that is safe.

use std::path::{Component, Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::error::Error;
use crate::Baton;

/// The policy of every page the UI serves: nothing from other origins, no inline scripts, never
/// inside another site's frame (clickjacking an operator's buttons).
pub const CSP: &str = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Baton: UI not built</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;\
margin:4rem auto;padding:0 1rem;color:#1c1d21}code{background:#f1f2f4;padding:2px 5px;border-radius:4px}\
</style></head><body><h1>UI not built</h1><p>The API is running, but the web UI has not been built yet. \
From the repository, run:</p><p><code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code></p>\
<p>then reload this page (no restart needed). To serve a build from elsewhere, set \
<code>BATON_UI_DIR</code>.</p></body></html>";

/// Adds the UI fallback, the JSON 405 and the visitor CORS policy to the API router (after
/// its last route: the 405 is set on the routes that exist).
pub fn mount(router: Router<Baton>) -> Router<Baton> {
    router
        // The built UI's files, gzipped for clients that take it (every visitor of a
        // customer's website loads the widget: 64 KB become 18 KB).
        .fallback_service(tower_http::compression::Compression::new(
            axum::handler::HandlerWithoutStateExt::into_service(fallback),
        ))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(visitor_cors))
}

/// Where the built UI is, if anywhere.
pub fn ui_dir() -> Option<PathBuf> {
    candidates()
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

fn candidates() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os("BATON_UI_DIR").filter(|d| !d.is_empty()) {
        return vec![PathBuf::from(dir)];
    }
    let mut out = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(exe_dir.join("ui"));
    }
    out.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ui")
            .join("dist"),
    );
    out
}

fn is_api(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path == "/healthz"
}

/// A known route asked with a method it does not have: the JSON error body like every other
/// error (axum's own answer is empty), with `Allow` kept. Set on the routes that exist when
/// it is called: [`mount`] comes after every route.
pub(crate) async fn method_not_allowed(method: Method) -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(serde_json::json!({
            "code": "method_not_allowed",
            "message": format!("this route does not answer {method}"),
            "field": null,
            "errors": [],
        })),
    )
        .into_response()
}

async fn fallback(method: Method, uri: axum::http::Uri) -> Response {
    let path = uri.path();
    if is_api(path) {
        return Error::not_found("route").into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let mut resp = serve(ui_dir().as_deref(), path).await;
    if method == Method::HEAD {
        *resp.body_mut() = axum::body::Body::empty();
    }
    resp
}

/// The response for `path` from the build in `dir` (`None`: not built).
pub async fn serve(dir: Option<&Path>, path: &str) -> Response {
    let Some(dir) = dir else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            NOT_BUILT.as_bytes().to_vec(),
        );
    };
    let rel = path.trim_start_matches('/');
    let Some(rel) = safe_relative(rel) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let file = if rel.as_os_str().is_empty() {
        dir.join("index.html")
    } else {
        dir.join(&rel)
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => file_response(&rel, bytes),
        // A missing file with an extension is a missing file; anything else is an app route.
        Err(_) if rel.extension().is_some() => (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(_) => match tokio::fs::read(dir.join("index.html")).await {
            Ok(bytes) => page(StatusCode::OK, bytes),
            Err(_) => page(
                StatusCode::SERVICE_UNAVAILABLE,
                NOT_BUILT.as_bytes().to_vec(),
            ),
        },
    }
}

/// `rel` as a relative path of plain components only (no `..`, no root, no drive).
fn safe_relative(rel: &str) -> Option<PathBuf> {
    if rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let p = PathBuf::from(rel);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(p)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file_response(rel: &Path, bytes: Vec<u8>) -> Response {
    if rel.as_os_str().is_empty() {
        return page(StatusCode::OK, bytes);
    }
    // Vite puts content-hashed files under assets/: they never change, cache them for a year.
    // Everything else (index.html, widget.js) is revalidated, so a new build shows at once.
    let cache = if rel.starts_with("assets") {
        "public, max-age=31536000, immutable"
    } else if rel == Path::new("widget.js") {
        "public, max-age=300"
    } else {
        "no-cache"
    };
    let mut resp = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type(rel)),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response();
    security_headers(&mut resp);
    resp
}

fn page(status: StatusCode, html: Vec<u8>) -> Response {
    let mut resp = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response();
    security_headers(&mut resp);
    resp
}

fn security_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // For browsers that predate `frame-ancestors`; on every file, `/index.html` included.
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// CORS for the visitor routes, which the widget calls from the customer's website.
async fn visitor_cors(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/v1/visitor/") {
        return next.run(req).await;
    }
    if req.method() == Method::OPTIONS {
        let mut resp = StatusCode::NO_CONTENT.into_response();
        let h = resp.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type, x-visitor-token"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        return resp;
    }
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use tower::ServiceExt;

    async fn body(resp: Response) -> String {
        let b = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
        String::from_utf8_lossy(&b).into_owned()
    }

    fn built() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("index.html"),
            "<!doctype html><title>app</title>",
        )
        .expect("write");
        std::fs::create_dir(dir.path().join("assets")).expect("mkdir");
        std::fs::write(dir.path().join("assets/index-abc123.js"), "console.log(1)").expect("write");
        std::fs::write(dir.path().join("widget.js"), "/* widget */").expect("write");
        dir
    }

    #[tokio::test]
    async fn serves_index_assets_and_spa_routes_with_headers() {
        let dir = built();
        let d = Some(dir.path());

        let r = serve(d, "/").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(r.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(r.headers()[header::X_FRAME_OPTIONS], "DENY");
        assert!(body(r).await.contains("<title>app</title>"));

        // The same page by its file name: framed by nobody either.
        let r = serve(d, "/index.html").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::X_FRAME_OPTIONS], "DENY");
        assert!(r.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));

        let r = serve(d, "/assets/index-abc123.js").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert!(r.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or_default()
            .contains("immutable"));

        let r = serve(d, "/widget.js").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "public, max-age=300");

        // A client-side route gets the app; a missing asset does not.
        let r = serve(d, "/inbox/42").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(body(r).await.contains("<title>app</title>"));
        assert_eq!(
            serve(d, "/assets/gone-123.js").await.status(),
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn refuses_paths_outside_the_build() {
        let dir = built();
        for p in ["/../Cargo.toml", "/assets/../../x", "/a\\..\\b"] {
            assert_eq!(
                serve(Some(dir.path()), p).await.status(),
                StatusCode::NOT_FOUND,
                "{p}"
            );
        }
    }

    #[tokio::test]
    async fn says_how_to_build_when_not_built() {
        let r = serve(None, "/").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let text = body(r).await;
        assert!(text.contains("UI not built"));
        assert!(text.contains("npm --prefix ui ci &amp;&amp; npm --prefix ui run build"));
    }

    async fn app() -> (Router, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let baton = Baton::open(&url).await.expect("open");
        (crate::http::router(baton), dir)
    }

    #[tokio::test]
    async fn unknown_api_paths_are_json_404s() {
        let (router, _dir) = app().await;
        for (method, path) in [
            ("GET", "/v1/nope"),
            ("POST", "/v1/nope/deeper"),
            ("GET", "/v1"),
        ] {
            let req = Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .expect("request");
            let resp = router.clone().oneshot(req).await.expect("response");
            assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{method} {path}");
            assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
            let v: serde_json::Value = serde_json::from_str(&body(resp).await).expect("json");
            assert_eq!(v["code"], "not_found");
        }
        // Other paths belong to the UI; other methods there are not allowed.
        let req = Request::builder()
            .method("POST")
            .uri("/somewhere")
            .body(Body::empty())
            .expect("request");
        let resp = router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn a_wrong_method_is_a_json_405_with_allow() {
        let (app, _dir) = app().await;
        let r = app
            .oneshot(
                Request::builder()
                    .method(Method::DELETE)
                    .uri("/v1/openapi.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(r.headers()[header::ALLOW].to_str().unwrap().contains("GET"));
        let v: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
        assert_eq!(v["code"], "method_not_allowed");
    }

    #[tokio::test]
    async fn visitor_routes_allow_other_origins() {
        let (router, _dir) = app().await;
        let req = Request::builder()
            .method("OPTIONS")
            .uri("/v1/visitor/conversations")
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .expect("request");
        let resp = router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::NO_CONTENT);
        assert_eq!(resp.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert!(resp.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
            .to_str()
            .unwrap_or_default()
            .contains("x-visitor-token"));

        let req = Request::builder()
            .method("POST")
            .uri("/v1/visitor/conversations")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"channel":"widget"}"#))
            .expect("request");
        let resp = router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::CREATED);
        assert_eq!(resp.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");

        // Operator routes are same-origin only.
        let req = Request::builder()
            .uri("/v1/agents")
            .body(Body::empty())
            .expect("request");
        let resp = router.oneshot(req).await.expect("response");
        assert!(resp
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none());
    }
}
