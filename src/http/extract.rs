//! Extractors whose failures are core errors, so that every rejection gets the JSON error body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;

use crate::auth::Actor;
use crate::error::Error;
use crate::{Baton, Id};

/// The caller, from `Authorization: Bearer <token>` or the session cookie.
pub struct Authed(pub Actor);

/// The credential a request came with, kept to check it again later (live streams).
#[derive(Clone)]
pub enum Credential {
    /// The browser UI's session cookie (a session token, nothing else).
    Cookie(String),
    /// `Authorization: Bearer` with an API token or a session token.
    Bearer(String),
}

impl Credential {
    fn of(parts: &Parts) -> Result<Credential, Error> {
        // The browser UI signs in with a session cookie; everything else uses a bearer token.
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            if let Some(session) = cookie(parts, SESSION_COOKIE) {
                return Ok(Credential::Cookie(session));
            }
        }
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| {
                Error::Unauthorized("missing Authorization: Bearer <token> header".into())
            })?
            .to_str()
            .map_err(|_| Error::Unauthorized("malformed Authorization header".into()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                Error::Unauthorized("the Authorization header must be 'Bearer <token>'".into())
            })?;
        Ok(Credential::Bearer(token.to_owned()))
    }

    /// The actor behind the credential, now.
    pub async fn authenticate(&self, baton: &Baton) -> Result<Actor, Error> {
        match self {
            Credential::Cookie(session) => baton.authenticate_session(session).await,
            Credential::Bearer(token) => baton.authenticate(token).await,
        }
    }
}

impl FromRequestParts<Baton> for Credential {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &Baton) -> Result<Self, Error> {
        Credential::of(parts)
    }
}

impl FromRequestParts<Baton> for Authed {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, baton: &Baton) -> Result<Self, Error> {
        Credential::of(parts)?.authenticate(baton).await.map(Authed)
    }
}

/// The address the request came from, when the server knows it (`baton serve` does).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        // The edge layer's answer (after the trusted proxies), else the peer.
        if let Some(c) = parts.extensions.get::<super::edge::ClientIp>() {
            return Ok(ClientAddr(c.0));
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

pub const SESSION_COOKIE: &str = "baton_session";

/// The value of cookie `name`, if the request has it.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A visitor's conversation token: `X-Visitor-Token` header, or `?token=` (for EventSource,
/// which cannot send headers).
pub struct VisitorToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for VisitorToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        if let Some(v) = parts
            .headers
            .get("x-visitor-token")
            .and_then(|v| v.to_str().ok())
        {
            return Ok(VisitorToken(v.trim().to_owned()));
        }
        parts
            .uri
            .query()
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| VisitorToken(v.to_owned()))
            .ok_or_else(|| Error::Unauthorized("missing X-Visitor-Token header".into()))
    }
}

/// A JSON body; unknown fields and type errors are reported with their path.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = json_bytes(req, state).await?;
        // An empty body reads as `null`: "no arguments" for RPC, a clear type error elsewhere.
        let bytes: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        crate::json::from_slice(bytes).map(ApiJson)
    }
}

/// A JSON body that may be absent (`None` for an empty body): unlike [`ApiJson`], a body of
/// `null` is told apart from no body.
pub struct OptionalJson(pub Option<serde_json::Value>);

impl<S: Send + Sync> FromRequest<S> for OptionalJson {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = json_bytes(req, state).await?;
        if bytes.is_empty() {
            return Ok(OptionalJson(None));
        }
        crate::json::from_slice(&bytes).map(|v| OptionalJson(Some(v)))
    }
}

/// The body's bytes, refused unless it is JSON (or empty) and within the size limit.
async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    // JSON only: a cross-site form can send text/plain with the session cookie, but not
    // application/json without a CORS preflight, which this server never grants.
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let is_json = content_type
        .as_deref()
        .is_some_and(|t| t == "application/json" || t.ends_with("+json"));
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|n| n != "0");
    if has_body && content_type.is_some() && !is_json {
        return Err(Error::BadRequest {
            message: "send the body as JSON with Content-Type: application/json".into(),
            field: None,
        });
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge(format!(
                "request body is larger than {} bytes",
                super::BODY_LIMIT_BYTES
            ))
        } else {
            Error::BadRequest {
                message: format!("cannot read request body: {}", e.body_text()),
                field: None,
            }
        }
    })?;
    if !bytes.is_empty() && !is_json {
        return Err(Error::BadRequest {
            message: "send the body as JSON with Content-Type: application/json".into(),
            field: None,
        });
    }
    Ok(bytes)
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| Error::BadRequest {
                message: format!("invalid query string: {}", e.body_text()),
                field: None,
            })
    }
}

/// A numeric id in the path.
pub struct IdPath(pub Id);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| Error::BadRequest {
                message: e.body_text(),
                field: Some("id".into()),
            })?;
        raw.parse::<Id>()
            .map(IdPath)
            .map_err(|_| Error::BadRequest {
                message: format!("'{raw}' is not a numeric id"),
                field: Some("id".into()),
            })
    }
}

/// Two numeric ids in the path (`…/conversations/{id}/forms/{action_id}`).
pub struct IdsPath(pub Id, pub Id);

impl<S: Send + Sync> FromRequestParts<S> for IdsPath {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| Error::BadRequest {
                message: e.body_text(),
                field: Some("id".into()),
            })?;
        let num = |raw: &str, field: &str| {
            raw.parse::<Id>().map_err(|_| Error::BadRequest {
                message: format!("'{raw}' is not a numeric id"),
                field: Some(field.into()),
            })
        };
        Ok(IdsPath(num(&a, "id")?, num(&b, "action_id")?))
    }
}
