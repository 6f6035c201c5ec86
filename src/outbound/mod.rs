//! Outbound HTTP: every call Baton makes to a URL a user typed (the OpenAI-compatible engine
//! today; actions and webhooks next) goes through a [`Client`] built from a [`Policy`].
//!
//! What a caller gets, whatever it asks for:
//! - **An SSRF guard** ([`guard`]): the host is resolved and every address it resolves to is
//!   checked; loopback, private, shared, link-local (cloud metadata), unique local, multicast,
//!   unspecified, documentation and reserved addresses are refused, as are IP literals of those in
//!   any notation and IPv6 forms embedding them. The connection goes to the addresses that were
//!   checked: the check runs inside the client's resolver, so there is no second lookup for DNS
//!   rebinding to answer differently. Proxies from the environment are ignored (a proxy would
//!   resolve the name itself).
//! - **An allow-list per caller** ([`Policy::allow`]): host names or networks an admin means to
//!   reach (a LAN service); [`admin_allow_list`] reads `BATON_OUTBOUND_ALLOW`.
//! - **Bounds**: a connect timeout, a total timeout over the whole exchange (redirects and body
//!   included), and a body cap enforced while reading (a `Content-Length` over it fails before
//!   reading, a body that grows past it is dropped there).
//! - **No automatic redirects**: a policy may follow up to [`MAX_REDIRECTS`], each hop checked
//!   again; credentials are dropped when a hop leaves the origin.
//! - **No secrets in anything shown** ([`redact`]): logs and errors carry the URL with its
//!   password and secret-looking parameters masked and never carry headers' secret values.

pub mod guard;
pub mod redact;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION,
    PROXY_AUTHORIZATION,
};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;

pub use guard::{Allow, Cidr, Resolver, SystemResolver};
pub use redact::redact_url;

/// The most redirects any policy may follow.
pub const MAX_REDIRECTS: u8 = 3;

/// How one caller may call out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Hosts and networks reachable even though the guard would refuse them.
    pub allow: Vec<Allow>,
    /// Redirects followed (0 to [`MAX_REDIRECTS`]); with 0 a redirect is returned as it is.
    pub max_redirects: u8,
    pub connect_timeout: Duration,
    /// Bound on the whole exchange: every hop, and reading the body.
    pub total_timeout: Duration,
    /// Largest body [`Response::bytes`] accepts.
    pub max_body_bytes: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow: Vec::new(),
            max_redirects: 0,
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Why a URL typed into a form can never be reached under `allow`, known without a lookup: its
/// host is an address literal (in any notation the URL parser accepts: `2130706433`, `0x7f.1`,
/// `[::ffff:127.0.0.1]`) in a refused range. Checked at save time so the mistake shows next to
/// the field; host names are checked when called (they may resolve differently then).
pub fn literal_refusal(url: &url::Url, allow: &[Allow]) -> Option<String> {
    let ip = match url.host()? {
        url::Host::Ipv4(v4) => std::net::IpAddr::V4(v4),
        url::Host::Ipv6(v6) => std::net::IpAddr::V6(v6),
        url::Host::Domain(_) => return None,
    };
    let why = guard::forbidden(ip)?;
    (!guard::allowed(allow, None, ip)).then(|| {
        format!("{ip} is a {why} address, which Baton does not call unless an administrator allows it (BATON_OUTBOUND_ALLOW)")
    })
}

/// The admin's allow-list from `BATON_OUTBOUND_ALLOW` (comma-separated host names and networks,
/// e.g. `ollama.lan,192.168.1.0/24`), read once. Invalid entries are logged and skipped.
pub fn admin_allow_list() -> &'static [Allow] {
    static LIST: OnceLock<Vec<Allow>> = OnceLock::new();
    LIST.get_or_init(|| {
        let Ok(text) = std::env::var("BATON_OUTBOUND_ALLOW") else {
            return Vec::new();
        };
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|entry| match entry.parse() {
                Ok(allow) => Some(allow),
                Err(error) => {
                    tracing::warn!(%error, "BATON_OUTBOUND_ALLOW: entry skipped");
                    None
                }
            })
            .collect()
    })
}

/// Why an outbound call failed. Messages name the host, never a URL's secrets or a header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("the request body could not be encoded: {0}")]
    Body(String),
    #[error("invalid outbound policy: {0}")]
    InvalidPolicy(String),
    /// The guard refused the host: it is (or resolves to) an address of that kind, and is not
    /// allow-listed.
    #[error("{host} is not allowed: {address} is a {kind} address")]
    Refused {
        host: String,
        address: IpAddr,
        kind: &'static str,
    },
    #[error("could not resolve {host}")]
    Resolve { host: String },
    #[error("no answer in time")]
    Timeout,
    #[error("more than {limit} redirects")]
    TooManyRedirects { limit: u8 },
    #[error("a redirect without a usable http(s) Location")]
    BadRedirect,
    #[error("the response is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("could not reach {host}: {detail}")]
    Transport { host: String, detail: String },
}

/// A request to send: method, URL, headers and a body kept in memory (so a redirect can send
/// it again). `Debug` hides secrets.
#[derive(Clone)]
pub struct Request {
    method: Method,
    url: url::Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    /// Values masked wherever the URL is shown (an API key in a query parameter whose name
    /// does not look secret), as written and as encoded in a URL.
    secrets: Vec<String>,
}

impl Request {
    pub fn new(method: Method, url: url::Url) -> Request {
        Request {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            secrets: Vec::new(),
        }
    }

    pub fn get(url: url::Url) -> Request {
        Request::new(Method::GET, url)
    }

    pub fn post(url: url::Url) -> Request {
        Request::new(Method::POST, url)
    }

    /// Adds a header; values of secret-looking headers are marked sensitive.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Request {
        if redact::is_secret_header(name.as_str()) {
            value.set_sensitive(true);
        }
        self.headers.append(name, value);
        self
    }

    /// Adds a header whose value is a secret whatever its name (an API key under a custom
    /// header): never shown, and dropped when a redirect leaves the origin.
    pub fn secret_header(mut self, name: HeaderName, mut value: HeaderValue) -> Request {
        value.set_sensitive(true);
        self.headers.append(name, value);
        self
    }

    /// Masks `value` (as written, and percent- or form-encoded) wherever this request's URL is
    /// shown: in logs, `Debug` and [`Request::display_url`].
    pub fn secret(mut self, value: &str) -> Request {
        if !value.is_empty() {
            let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            let percent = form.replace('+', "%20");
            for v in [value.to_owned(), form, percent] {
                if !self.secrets.contains(&v) {
                    self.secrets.push(v);
                }
            }
        }
        self
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body_bytes(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// A JSON body, with its content type.
    pub fn json<T: serde::Serialize + ?Sized>(
        mut self,
        value: &T,
    ) -> Result<Request, OutboundError> {
        let body = serde_json::to_vec(value).map_err(|e| OutboundError::Body(e.to_string()))?;
        self.body = Some(body);
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(self)
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = Some(body.into());
        self
    }

    pub fn url(&self) -> &url::Url {
        &self.url
    }

    /// The URL, secrets masked.
    pub fn display_url(&self) -> String {
        self.mask(&redact::redact_parsed(&self.url))
    }

    /// `text` with this request's registered secrets masked.
    pub fn mask(&self, text: &str) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        redact::scrub(text, &secrets)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.display_url())
            .field("headers", &redact::Headers(&self.headers))
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A response whose body has not been read yet. Read it with [`Response::bytes`] (capped by
/// the policy) or [`Response::bytes_truncated`]; both stop at the total timeout.
pub struct Response {
    inner: reqwest::Response,
    url: url::Url,
    secrets: Vec<String>,
    deadline: Instant,
    max_body_bytes: u64,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.inner.status())
            .field("url", &self.display_url())
            .field("headers", &redact::Headers(self.inner.headers()))
            .finish()
    }
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The URL that answered (after redirects), secrets masked.
    pub fn display_url(&self) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        redact::scrub(&redact::redact_parsed(&self.url), &secrets)
    }

    /// The whole body, or [`OutboundError::TooLarge`] as soon as it is known to exceed the
    /// policy's cap (from `Content-Length`, or while reading): the rest is never read.
    pub async fn bytes(self) -> Result<Vec<u8>, OutboundError> {
        let limit = self.max_body_bytes;
        if self.inner.content_length().is_some_and(|n| n > limit) {
            return Err(OutboundError::TooLarge { limit });
        }
        let (body, more) = self.read(limit).await?;
        if more {
            return Err(OutboundError::TooLarge { limit });
        }
        Ok(body)
    }

    /// At most `max` bytes of the body (and the policy's cap), and whether there was more: for
    /// error bodies, where an excerpt is enough.
    pub async fn bytes_truncated(self, max: u64) -> Result<(Vec<u8>, bool), OutboundError> {
        let limit = max.min(self.max_body_bytes);
        self.read(limit).await
    }

    async fn read(mut self, limit: u64) -> Result<(Vec<u8>, bool), OutboundError> {
        let cap = usize::try_from(limit).unwrap_or(usize::MAX);
        let host = host_label(&self.url);
        let mut buf = Vec::new();
        loop {
            let chunk = match tokio::time::timeout_at(self.deadline, self.inner.chunk()).await {
                Err(_) => return Err(OutboundError::Timeout),
                Ok(Err(e)) => return Err(transport_error(&host, e)),
                Ok(Ok(None)) => return Ok((buf, false)),
                Ok(Ok(Some(chunk))) => chunk,
            };
            let room = cap.saturating_sub(buf.len());
            if chunk.len() > room {
                buf.extend_from_slice(chunk.get(..room).unwrap_or_default());
                // Dropping the response closes the connection: the rest is not read.
                return Ok((buf, true));
            }
            buf.extend_from_slice(&chunk);
        }
    }
}

/// An HTTP client for one caller's [`Policy`]. Cheap to clone; keeps its connections.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    policy: Arc<Policy>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client resolving host names with the system resolver.
    pub fn new(policy: Policy) -> Result<Client, OutboundError> {
        Client::with_resolver(policy, Arc::new(SystemResolver))
    }

    /// A client resolving host names with `resolver` (tests use a fixed map).
    pub fn with_resolver(
        policy: Policy,
        resolver: Arc<dyn Resolver>,
    ) -> Result<Client, OutboundError> {
        if policy.max_redirects > MAX_REDIRECTS {
            return Err(OutboundError::InvalidPolicy(format!(
                "at most {MAX_REDIRECTS} redirects"
            )));
        }
        if policy.connect_timeout.is_zero() || policy.total_timeout.is_zero() {
            return Err(OutboundError::InvalidPolicy(
                "timeouts must be greater than zero".into(),
            ));
        }
        let policy = Arc::new(policy);
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(Guarded {
                resolver,
                policy: policy.clone(),
            }))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(policy.connect_timeout)
            .user_agent(concat!("baton/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                OutboundError::InvalidPolicy(format!("HTTP client: {}", chain(&e.without_url())))
            })?;
        Ok(Client { http, policy })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Sends `request` under the policy, following redirects it allows, and returns the
    /// response with its body unread.
    pub async fn fetch(&self, request: Request) -> Result<Response, OutboundError> {
        let started = Instant::now();
        let deadline = started + self.policy.total_timeout;
        // The logged line's URL is only worked out (redacted, secrets masked) when it is
        // logged.
        if !tracing::enabled!(tracing::Level::DEBUG) {
            return self.exchange(request, deadline).await;
        }
        let shown = request.display_url();
        let method = request.method.clone();
        let result = self.exchange(request, deadline).await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(response) => tracing::debug!(
                %method, url = %shown, final_url = %response.display_url(),
                status = response.status().as_u16(), latency_ms, "outbound request"
            ),
            Err(error) => tracing::debug!(
                %method, url = %shown, latency_ms, %error, "outbound request failed"
            ),
        }
        result
    }

    async fn exchange(
        &self,
        mut request: Request,
        deadline: Instant,
    ) -> Result<Response, OutboundError> {
        let mut hops = 0u8;
        loop {
            check_url(&request.url, &self.policy.allow)?;
            tracing::trace!(
                method = %request.method, url = %request.display_url(),
                headers = ?redact::Headers(&request.headers), "outbound hop"
            );
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(OutboundError::Timeout);
            }
            let host = host_label(&request.url);
            let mut builder = self
                .http
                .request(request.method.clone(), request.url.clone())
                .headers(request.headers.clone())
                .timeout(remaining);
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            let response = match tokio::time::timeout_at(deadline, builder.send()).await {
                Err(_) => return Err(OutboundError::Timeout),
                Ok(Err(e)) => return Err(send_error(&host, e)),
                Ok(Ok(response)) => response,
            };
            let status = response.status();
            if !status.is_redirection() || self.policy.max_redirects == 0 {
                return Ok(Response {
                    inner: response,
                    url: request.url,
                    secrets: request.secrets,
                    deadline,
                    max_body_bytes: self.policy.max_body_bytes,
                });
            }
            if hops >= self.policy.max_redirects {
                return Err(OutboundError::TooManyRedirects {
                    limit: self.policy.max_redirects,
                });
            }
            hops += 1;
            let next = response
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| request.url.join(l).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or(OutboundError::BadRedirect)?;
            request = redirected(request, next, status);
        }
    }
}

/// Sends `request` with a client built for `policy` (callers that send often keep a [`Client`]).
pub async fn fetch(request: Request, policy: Policy) -> Result<Response, OutboundError> {
    Client::new(policy)?.fetch(request).await
}

/// The request for the next hop: 303 (and 301/302 after a POST) becomes a GET without a body;
/// credentials stay behind when the hop leaves the origin.
fn redirected(mut request: Request, next: url::Url, status: StatusCode) -> Request {
    let to_get = status == StatusCode::SEE_OTHER
        || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
            && request.method == Method::POST);
    if to_get {
        if request.method != Method::HEAD {
            request.method = Method::GET;
        }
        request.body = None;
        request.headers.remove(CONTENT_TYPE);
    }
    if next.origin() != request.url.origin() {
        for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
            request.headers.remove(name);
        }
        let secret: Vec<HeaderName> = request
            .headers
            .iter()
            .filter(|(n, v)| redact::is_secret_header(n.as_str()) || v.is_sensitive())
            .map(|(n, _)| n.clone())
            .collect();
        for name in secret {
            request.headers.remove(name);
        }
    }
    request.url = next;
    request
}

/// The checks made before connecting: an http(s) URL with a host, and an IP literal (the URL
/// parser has read any notation into the address) that the guard accepts. Host names are
/// checked when they are resolved, by [`Guarded`].
fn check_url(url: &url::Url, allow: &[Allow]) -> Result<(), OutboundError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(OutboundError::InvalidUrl(
            "only http:// and https:// URLs can be called".into(),
        ));
    }
    let ip = match url.host() {
        None => return Err(OutboundError::InvalidUrl("the URL has no host".into())),
        Some(url::Host::Domain(_)) => return Ok(()),
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
    };
    check_ip(&host_label(url), None, ip, allow)
}

fn check_ip(
    shown: &str,
    host: Option<&str>,
    ip: IpAddr,
    allow: &[Allow],
) -> Result<(), OutboundError> {
    match guard::forbidden(ip) {
        Some(kind) if !guard::allowed(allow, host, ip) => Err(OutboundError::Refused {
            host: shown.to_owned(),
            address: ip,
            kind,
        }),
        _ => Ok(()),
    }
}

/// Resolves a host name and checks every address; returns them all or refuses the host (a name
/// with one forbidden address is refused whole).
pub async fn resolve_checked(
    resolver: &dyn Resolver,
    host: &str,
    allow: &[Allow],
) -> Result<Vec<IpAddr>, OutboundError> {
    let name = guard::normalize_host(host);
    // A name the URL parser would read as an address is judged as that address.
    let literal = match url::Host::parse(&name) {
        Ok(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Ok(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        _ => None,
    };
    let ips = match literal {
        Some(ip) => vec![ip],
        None => resolver
            .lookup(&name)
            .await
            .map_err(|_| OutboundError::Resolve { host: name.clone() })?,
    };
    if ips.is_empty() {
        return Err(OutboundError::Resolve { host: name });
    }
    for ip in &ips {
        check_ip(&name, Some(&name), *ip, allow)?;
    }
    Ok(ips)
}

/// reqwest's resolver: the only lookup made for a connection, so the addresses connected to
/// are the ones checked.
struct Guarded {
    resolver: Arc<dyn Resolver>,
    policy: Arc<Policy>,
}

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let resolver = self.resolver.clone();
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = resolve_checked(&*resolver, &host, &policy.allow).await?;
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// How a host is named in messages: `host` or `host:port` (no user info, path or query).
fn host_label(url: &url::Url) -> String {
    let host = match url.host() {
        Some(url::Host::Ipv6(v6)) => format!("[{v6}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

fn send_error(host: &str, e: reqwest::Error) -> OutboundError {
    // A refusal from the resolver comes back wrapped in the connect error.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if let Some(outbound) = s.downcast_ref::<OutboundError>() {
            return outbound.clone();
        }
        source = s.source();
    }
    transport_error(host, e)
}

fn transport_error(host: &str, e: reqwest::Error) -> OutboundError {
    if e.is_timeout() {
        return OutboundError::Timeout;
    }
    OutboundError::Transport {
        host: host.to_owned(),
        detail: chain(&e.without_url()),
    }
}

/// An error and its sources joined with ": " (given without its URL, which may hold secrets).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}
