//! The public edge's limits: how many conversations one client address may start and how
//! many visitor messages it and one conversation may post, answered `429` with `Retry-After`
//! beyond them; and which address a request comes from when Baton sits behind a reverse
//! proxy (`X-Forwarded-For`, believed only from the proxies the admin names).
//!
//! On SQLite (one process) the limits are kept in memory (GCRA by `governor`); on PostgreSQL
//! they are kept in the database (the same GCRA, one atomic statement per key), so that
//! several `baton serve` behind a load balancer share them (issue 15, scale out).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use ipnet::IpNet;

use crate::error::Error;
use crate::Id;

/// Limits per minute (`0` turns one off) and the trusted proxies. `baton serve` flags.
#[derive(Debug, Clone)]
pub struct EdgeLimits {
    /// Conversations one client address may start per minute.
    pub starts_per_minute: u32,
    /// Visitor posts (messages, contact forms, ends) one client address may send per minute.
    pub posts_per_minute: u32,
    /// Visitor posts one conversation may receive per minute, whatever the address.
    pub conversation_posts_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for EdgeLimits {
    fn default() -> Self {
        // Generous for people (a visitor types a message every few seconds; an office behind
        // one address starts many chats), tight for a script.
        EdgeLimits {
            starts_per_minute: 30,
            posts_per_minute: 120,
            conversation_posts_per_minute: 30,
            trusted_proxies: Vec::new(),
        }
    }
}

type Keyed<K, C> = RateLimiter<
    K,
    DashMapStateStore<K>,
    C,
    governor::middleware::NoOpMiddleware<<C as Clock>::Instant>,
>;

/// The limiters, shared by every request of one server.
pub struct Edge<C: Clock = DefaultClock> {
    limits: EdgeLimits,
    clock: C,
    starts: Option<Keyed<IpAddr, C>>,
    posts: Option<Keyed<IpAddr, C>>,
    conversation_posts: Option<Keyed<Id, C>>,
    /// Set on PostgreSQL: the limits live in the database, shared by every process.
    shared: Option<crate::store::Store>,
}

/// A quota of `per_minute` with the whole minute's allowance as its burst: a client may use
/// its minute at once, then one more every 60/n seconds.
fn quota(per_minute: u32) -> Option<Quota> {
    NonZeroU32::new(per_minute).map(Quota::per_minute)
}

impl Edge<DefaultClock> {
    pub fn new(limits: EdgeLimits) -> Edge {
        Edge::with_clock(limits, DefaultClock::default())
    }

    /// The limits for a server on `store`: in the database when it is PostgreSQL (several
    /// processes may share it), in memory on SQLite.
    pub fn for_store(limits: EdgeLimits, store: &crate::store::Store) -> Edge {
        match store.db() {
            crate::store::Db::Postgres(_) => Edge {
                limits,
                clock: DefaultClock::default(),
                starts: None,
                posts: None,
                conversation_posts: None,
                shared: Some(store.clone()),
            },
            _ => Edge::new(limits),
        }
    }
}

impl<C: Clock + Clone> Edge<C> {
    pub fn with_clock(limits: EdgeLimits, clock: C) -> Edge<C> {
        let keyed = |n: u32| quota(n).map(|q| RateLimiter::dashmap_with_clock(q, clock.clone()));
        Edge {
            starts: keyed(limits.starts_per_minute),
            posts: keyed(limits.posts_per_minute),
            conversation_posts: quota(limits.conversation_posts_per_minute)
                .map(|q| RateLimiter::dashmap_with_clock(q, clock.clone())),
            limits,
            clock,
            shared: None,
        }
    }

    /// The client's address: the peer, or when the peer is a trusted proxy, the last address
    /// in `X-Forwarded-For` that is not one (the first hop the proxies did not add).
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusted(peer) {
            return Some(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|a| !self.trusted(*a))
                .unwrap_or(peer),
        )
    }

    fn trusted(&self, a: IpAddr) -> bool {
        self.limits.trusted_proxies.iter().any(|n| n.contains(&a))
    }

    /// Checks one visitor request; `Err` is the 429 to answer. Every limit that applies is
    /// taken: a refused post still counts against its address (a script does not get to probe
    /// for free).
    pub async fn check(&self, what: Visitor, client: Option<IpAddr>) -> Result<(), Error> {
        let wait = match &self.shared {
            Some(store) => self.check_shared(store, what, client).await,
            None => self.check_here(what, client),
        };
        match wait {
            None => Ok(()),
            Some(w) => Err(Error::TooManyRequests {
                message: "too many requests from this visitor: wait a moment and try again".into(),
                // Whole seconds, rounded up, at least one: the header cannot say less.
                retry_after_secs: (w.as_secs() + u64::from(w.subsec_nanos() > 0)).max(1),
            }),
        }
    }

    /// The limits that apply to a request, with their keys and figures.
    fn keys(&self, what: Visitor, client: Option<IpAddr>) -> Vec<(String, u32)> {
        let l = &self.limits;
        let mut keys = Vec::new();
        match (what, client) {
            (Visitor::Start, Some(a)) if l.starts_per_minute > 0 => {
                keys.push((format!("start:{a}"), l.starts_per_minute));
            }
            (Visitor::Post(_), Some(a)) if l.posts_per_minute > 0 => {
                keys.push((format!("post:{a}"), l.posts_per_minute));
            }
            _ => {}
        }
        if let Visitor::Post(c) = what {
            if l.conversation_posts_per_minute > 0 {
                keys.push((format!("conversation:{c}"), l.conversation_posts_per_minute));
            }
        }
        keys
    }

    /// The longest wait among the database's limits. A database that fails lets the request
    /// through (it will meet the same database and answer its own error), said in the log.
    async fn check_shared(
        &self,
        store: &crate::store::Store,
        what: Visitor,
        client: Option<IpAddr>,
    ) -> Option<std::time::Duration> {
        let now = chrono::Utc::now().timestamp_millis();
        let mut wait = None::<u64>;
        for (key, per_minute) in self.keys(what, client) {
            match store.visitor_limit_take(&key, now, per_minute).await {
                Ok(Some(ms)) => wait = Some(wait.map_or(ms, |w| w.max(ms))),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "visitor limits: the database failed"),
            }
        }
        wait.map(std::time::Duration::from_millis)
    }

    fn check_here(&self, what: Visitor, client: Option<IpAddr>) -> Option<std::time::Duration> {
        let now = self.clock.now();
        let mut wait = None::<std::time::Duration>;
        let mut note = |r: Result<(), governor::NotUntil<C::Instant>>| {
            if let Err(n) = r {
                let w = n.wait_time_from(now);
                wait = Some(wait.map_or(w, |x| x.max(w)));
            }
        };
        match what {
            Visitor::Start => {
                if let (Some(l), Some(a)) = (&self.starts, client) {
                    note(l.check_key(&a));
                }
            }
            Visitor::Post(conversation) => {
                if let (Some(l), Some(a)) = (&self.posts, client) {
                    note(l.check_key(&a));
                }
                if let Some(l) = &self.conversation_posts {
                    note(l.check_key(&conversation));
                }
            }
        }
        wait
    }

    /// Forgets the state of keys that are back at their full allowance (memory stays bounded
    /// by the clients of the last minute).
    pub async fn forget_idle(&self) {
        if let Some(store) = &self.shared {
            let now = chrono::Utc::now().timestamp_millis();
            if let Err(e) = store.visitor_limits_prune(now).await {
                tracing::warn!(error = %e, "visitor limits: pruning failed");
            }
        }
        if let Some(l) = &self.starts {
            l.retain_recent();
        }
        if let Some(l) = &self.posts {
            l.retain_recent();
        }
        if let Some(l) = &self.conversation_posts {
            l.retain_recent();
        }
    }
}

/// The visitor requests that are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    Start,
    Post(Id),
}

/// Which limited request this is, from its method and path.
pub fn visitor_request(method: &Method, path: &str) -> Option<Visitor> {
    if *method != Method::POST {
        return None;
    }
    let rest = path.strip_prefix("/v1/visitor/conversations")?;
    if rest.is_empty() || rest == "/" {
        return Some(Visitor::Start);
    }
    let (id, _) = rest.strip_prefix('/')?.split_once('/')?;
    id.parse().ok().map(Visitor::Post)
}

/// The client address a request came from (after the trusted proxies), for the limits here
/// and the sign-in limits.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

/// Middleware: resolves the client address and applies the visitor limits.
pub async fn limit(edge: Arc<Edge>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = edge.client(peer, req.headers());
    req.extensions_mut().insert(ClientIp(client));
    if let Some(what) = visitor_request(req.method(), req.uri().path()) {
        if let Err(e) = edge.check(what, client).await {
            return e.into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    fn edge(
        starts: u32,
        posts: u32,
        per_conversation: u32,
    ) -> (Edge<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        let e = Edge::with_clock(
            EdgeLimits {
                starts_per_minute: starts,
                posts_per_minute: posts,
                conversation_posts_per_minute: per_conversation,
                trusted_proxies: vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()],
            },
            clock.clone(),
        );
        (e, clock)
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn retry_after(e: Error) -> u64 {
        match e {
            Error::TooManyRequests {
                retry_after_secs, ..
            } => retry_after_secs,
            e => panic!("{e:?}"),
        }
    }

    #[tokio::test]
    async fn a_minute_at_once_then_one_every_60_over_n_seconds() {
        let (e, clock) = edge(3, 0, 0);
        let a = ip("203.0.113.7");
        for _ in 0..3 {
            e.check(Visitor::Start, a).await.unwrap();
        }
        // The fourth waits for the next cell: 20 s.
        assert_eq!(
            retry_after(e.check(Visitor::Start, a).await.unwrap_err()),
            20
        );
        // Another address is not affected.
        e.check(Visitor::Start, ip("203.0.113.8")).await.unwrap();
        clock.advance(Duration::from_secs(19));
        assert_eq!(
            retry_after(e.check(Visitor::Start, a).await.unwrap_err()),
            1
        );
        clock.advance(Duration::from_secs(1));
        e.check(Visitor::Start, a).await.unwrap();
        assert!(e.check(Visitor::Start, a).await.is_err());
    }

    #[tokio::test]
    async fn posts_are_limited_per_address_and_per_conversation() {
        let (e, _) = edge(0, 4, 2);
        let a = ip("198.51.100.1");
        e.check(Visitor::Post(1), a).await.unwrap();
        e.check(Visitor::Post(1), a).await.unwrap();
        // The conversation's limit, from any address.
        assert!(e.check(Visitor::Post(1), ip("198.51.100.2")).await.is_err());
        // The address's limit across conversations (the refused post above did not count
        // against this address, but the two accepted ones did).
        e.check(Visitor::Post(2), a).await.unwrap();
        e.check(Visitor::Post(3), a).await.unwrap();
        assert!(e.check(Visitor::Post(4), a).await.is_err());
        // Off (0): starts are never limited.
        for _ in 0..100 {
            e.check(Visitor::Start, a).await.unwrap();
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let (e, _) = edge(1, 1, 1);
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("192.0.2.9, 203.0.113.5, 10.1.2.3"),
        );
        // From a stranger: the header is the stranger's word, ignored.
        assert_eq!(e.client(ip("198.51.100.7"), &h), ip("198.51.100.7"));
        // From the proxy: the last address the proxies did not add (192.0.2.9 could be forged
        // by the client itself; 203.0.113.5 is who connected to the first proxy).
        assert_eq!(e.client(ip("10.0.0.1"), &h), ip("203.0.113.5"));
        // A proxy without the header, or with nothing but proxies in it: the proxy itself.
        assert_eq!(e.client(ip("::1"), &HeaderMap::new()), ip("::1"));
        let mut only = HeaderMap::new();
        only.append(
            "x-forwarded-for",
            HeaderValue::from_static("10.9.9.9, garbage"),
        );
        assert_eq!(e.client(ip("10.0.0.1"), &only), ip("10.0.0.1"));
    }

    #[test]
    fn the_limited_routes() {
        let post = Method::POST;
        assert_eq!(
            visitor_request(&post, "/v1/visitor/conversations"),
            Some(Visitor::Start)
        );
        assert_eq!(
            visitor_request(&post, "/v1/visitor/conversations/42/messages"),
            Some(Visitor::Post(42))
        );
        assert_eq!(
            visitor_request(&post, "/v1/visitor/conversations/42/contact-form"),
            Some(Visitor::Post(42))
        );
        assert_eq!(
            visitor_request(&Method::GET, "/v1/visitor/conversations/42/messages"),
            None
        );
        assert_eq!(visitor_request(&post, "/v1/conversations/42/resolve"), None);
        assert_eq!(
            visitor_request(&post, "/v1/visitor/conversations/x/messages"),
            None
        );
    }
}
