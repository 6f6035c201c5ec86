//! Cross-site request refusal for the browser UI's cookie sessions.
//!
//! A session cookie goes with every request the browser makes to this server, including a
//! form another site posts here (`SameSite=Strict` stops that in today's browsers, but it is
//! one setting away from a hole). So a state-changing request that carries the cookie and no
//! `Authorization` header must come from this server's own pages: a foreign `Origin`, or a
//! `Sec-Fetch-Site` other than `same-origin`/`none`, is a `403`. Bearer tokens are never sent
//! by a browser on its own, and the visitor routes use a per-conversation header token and are
//! cross-origin by design, so neither is checked.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::extract::SESSION_COOKIE;
use crate::error::Error;

pub async fn same_origin_for_cookies(req: Request, next: Next) -> Response {
    if needs_check(req.method(), req.uri().path(), req.headers()) {
        if let Err(why) = check(req.headers()) {
            return Error::Forbidden(why.into()).into_response();
        }
    }
    next.run(req).await
}

fn needs_check(method: &Method, path: &str, h: &HeaderMap) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    !safe
        && path.starts_with("/v1/")
        && !path.starts_with("/v1/visitor/")
        && h.get(header::AUTHORIZATION).is_none()
        && has_session_cookie(h)
}

fn has_session_cookie(h: &HeaderMap) -> bool {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| {
            c.trim()
                .split_once('=')
                .is_some_and(|(k, _)| k.trim() == SESSION_COOKIE)
        })
}

/// Ok when the request comes from this server's own pages, or from no browser page at all
/// (neither header: curl, a script with the cookie).
fn check(h: &HeaderMap) -> Result<(), &'static str> {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `same-site` is a sibling subdomain: another application, maybe another owner.
        if !matches!(site, "same-origin" | "none") {
            return Err("a request from another site may not use this session; sign in here");
        }
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let authority = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest);
        // Only the authority is compared: behind a TLS proxy the page is https:// while this
        // server sees plain HTTP with the same Host. `Origin: null` never matches.
        if authority.is_none() || authority != host {
            return Err("a request from another origin may not use this session; sign in here");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_cookie_requests_that_change_state_outside_the_visitor_routes_are_checked() {
        let cookie = headers(&[("cookie", "theme=dark; baton_session=abc")]);
        assert!(needs_check(
            &Method::POST,
            "/v1/conversations/1/resolve",
            &cookie
        ));
        assert!(needs_check(&Method::DELETE, "/v1/leads/1", &cookie));
        assert!(!needs_check(&Method::GET, "/v1/leads", &cookie));
        assert!(!needs_check(
            &Method::POST,
            "/v1/visitor/conversations",
            &cookie
        ));
        let bearer = headers(&[
            ("cookie", "baton_session=abc"),
            ("authorization", "Bearer t"),
        ]);
        assert!(!needs_check(
            &Method::POST,
            "/v1/conversations/1/resolve",
            &bearer
        ));
        let other = headers(&[("cookie", "baton_session_old=abc")]);
        assert!(!needs_check(
            &Method::POST,
            "/v1/conversations/1/resolve",
            &other
        ));
    }

    #[test]
    fn foreign_origins_and_sites_are_refused() {
        let ok = |p: &[(&'static str, &'static str)]| check(&headers(p)).is_ok();
        assert!(ok(&[("host", "baton.example:8787")]));
        assert!(ok(&[
            ("host", "baton.example:8787"),
            ("origin", "http://baton.example:8787"),
            ("sec-fetch-site", "same-origin"),
        ]));
        assert!(ok(&[
            ("host", "baton.example"),
            ("origin", "https://baton.example")
        ]));
        assert!(!ok(&[
            ("host", "baton.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(!ok(&[
            ("host", "baton.example:8787"),
            ("origin", "http://baton.example")
        ]));
        assert!(!ok(&[("host", "baton.example"), ("origin", "null")]));
        assert!(!ok(&[
            ("host", "baton.example"),
            ("sec-fetch-site", "cross-site")
        ]));
        assert!(!ok(&[
            ("host", "baton.example"),
            ("sec-fetch-site", "same-site")
        ]));
    }
}
