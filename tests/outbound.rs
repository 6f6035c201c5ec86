//! The outbound HTTP module against loopback test servers and a fake resolver: the SSRF guard
//! (literals in every notation, names resolving to forbidden addresses, redirects), the
//! allow-list, one lookup per connection, the body cap, timeouts and secret hygiene.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

use baton::outbound::{Allow, Client, OutboundError, Policy, Request, Resolver};

/// Names mapped to addresses; counts lookups.
#[derive(Default)]
struct FakeResolver {
    names: HashMap<String, Vec<IpAddr>>,
    lookups: AtomicUsize,
}

impl FakeResolver {
    fn with(names: &[(&str, &str)]) -> Arc<FakeResolver> {
        let mut map: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for (name, ip) in names {
            map.entry((*name).to_owned())
                .or_default()
                .push(ip.parse().expect("ip"));
        }
        Arc::new(FakeResolver {
            names: map,
            lookups: AtomicUsize::new(0),
        })
    }
}

impl Resolver for FakeResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send + 'a>> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let found = self.names.get(host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host"))
        })
    }
}

/// A loopback server; records each request's path and headers; counts bytes it streamed.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<(String, HeaderMap)>>>,
    streamed: Arc<AtomicUsize>,
}

impl Server {
    async fn start() -> Server {
        let seen: Arc<Mutex<Vec<(String, HeaderMap)>>> = Default::default();
        let streamed: Arc<AtomicUsize> = Default::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (rec, count) = (seen.clone(), streamed.clone());
        let app = Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
            let (rec, count) = (rec.clone(), count.clone());
            async move {
                rec.lock()
                    .expect("lock")
                    .push((uri.to_string(), headers.clone()));
                respond(uri, count, addr).await
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            addr,
            seen,
            streamed,
        }
    }

    fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }

    fn url(&self, host: &str, path: &str) -> url::Url {
        url::Url::parse(&format!("http://{host}:{}{path}", self.addr.port())).expect("url")
    }
}

async fn respond(uri: axum::http::Uri, streamed: Arc<AtomicUsize>, addr: SocketAddr) -> Response {
    let port = addr.port();
    let redirect = |to: String| (StatusCode::FOUND, [("location", to)]).into_response();
    match uri.path() {
        "/ok" => "hello".into_response(),
        "/to-private" => redirect("http://10.0.0.1/".into()),
        "/to-rebind" => redirect(format!("http://rebind.test:{port}/secret-target")),
        "/to-loopback-literal" => redirect(format!("http://127.0.0.1:{port}/secret-target")),
        "/to-mapped" => redirect(format!("http://[::ffff:127.0.0.1]:{port}/secret-target")),
        "/to-ok" => redirect("/ok".into()),
        "/to-other" => redirect(format!("http://other.test:{port}/ok")),
        "/loop" => redirect("/loop".into()),
        "/to-file" => redirect("file:///etc/passwd".into()),
        "/hang" => std::future::pending().await,
        "/forever" => {
            // An endless body, a little at a time, counting what it produced.
            let stream = futures_util::stream::unfold(streamed, |count| async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                count.fetch_add(8192, Ordering::SeqCst);
                Some((Ok::<_, io::Error>(vec![b'x'; 8192]), count))
            });
            Body::from_stream(stream).into_response()
        }
        "/declared-huge" => {
            // Claims 100 MB, sends 1 KiB, then nothing.
            let stream = futures_util::stream::unfold(0u8, |n| async move {
                if n == 0 {
                    Some((Ok::<_, io::Error>(vec![b'x'; 1024]), 1))
                } else {
                    std::future::pending().await
                }
            });
            Response::builder()
                .header("content-length", "100000000")
                .body(Body::from_stream(stream))
                .expect("response")
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn client(policy: Policy, resolver: &Arc<FakeResolver>) -> Client {
    Client::with_resolver(policy, resolver.clone()).expect("client")
}

fn loopback_allowed() -> Policy {
    Policy {
        allow: Allow::loopback(),
        ..Policy::default()
    }
}

fn refused(result: Result<baton::outbound::Response, OutboundError>) -> OutboundError {
    match result {
        Err(e @ OutboundError::Refused { .. }) => e,
        other => panic!("expected Refused, got {other:?}"),
    }
}

#[tokio::test]
async fn refuses_every_forbidden_literal_without_connecting() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[]);
    let client = client(Policy::default(), &resolver);
    let port = server.addr.port();
    for host in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.10",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "192.0.2.1",
        "198.51.100.1",
        "203.0.113.1",
        "240.0.0.1",
        "255.255.255.255",
        "[::1]",
        "[::]",
        "[fc00::1]",
        "[fd00::1]",
        "[fe80::1]",
        "[ff02::1]",
        "[2001:db8::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:169.254.169.254]",
        "[::127.0.0.1]",
        "2130706433",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "0x7f000001",
        "127.1",
        "0",
    ] {
        let url = url::Url::parse(&format!("http://{host}:{port}/ok")).expect(host);
        let err = refused(client.fetch(Request::get(url)).await);
        assert!(err.to_string().contains("is not allowed"), "{host}: {err}");
    }
    assert!(server.paths().is_empty(), "{:?}", server.paths());
    assert_eq!(resolver.lookups.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn refuses_a_name_that_resolves_to_a_forbidden_address() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[
        ("evil.test", "127.0.0.1"),
        ("mixed.test", "8.8.8.8"),
        ("mixed.test", "127.0.0.1"),
        ("meta.test", "169.254.169.254"),
        ("ula.test", "fd00::1"),
    ]);
    let client = client(Policy::default(), &resolver);
    for host in [
        "evil.test",
        "EVIL.test.",
        "mixed.test",
        "meta.test",
        "ula.test",
    ] {
        let err = refused(client.fetch(Request::get(server.url(host, "/ok"))).await);
        assert!(
            err.to_string()
                .contains(&host.to_ascii_lowercase().trim_end_matches('.').to_string()),
            "{err}"
        );
    }
    assert!(server.paths().is_empty());
    // The system resolver: localhost is loopback too.
    let system = Client::new(Policy::default()).expect("client");
    refused(
        system
            .fetch(Request::get(server.url("localhost", "/ok")))
            .await,
    );
    assert!(server.paths().is_empty());
}

#[tokio::test]
async fn an_allow_listed_host_or_network_is_reached() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[("ollama.lan", "127.0.0.1"), ("other.lan", "127.0.0.1")]);
    // By network.
    let by_net = client(loopback_allowed(), &resolver);
    let response = by_net
        .fetch(Request::get(server.url("127.0.0.1", "/ok")))
        .await
        .expect("allowed");
    assert_eq!(response.bytes().await.expect("body"), b"hello");
    by_net
        .fetch(Request::get(server.url("ollama.lan", "/ok")))
        .await
        .expect("allowed by network");
    // By exact address.
    let exact = Policy {
        allow: vec!["127.0.0.1".parse().expect("allow")],
        ..Policy::default()
    };
    client(exact, &resolver)
        .fetch(Request::get(server.url("127.0.0.1", "/ok")))
        .await
        .expect("allowed by address");
    // By host name: that name only.
    let by_name = Policy {
        allow: vec!["ollama.lan".parse().expect("allow")],
        ..Policy::default()
    };
    let by_name = client(by_name, &resolver);
    by_name
        .fetch(Request::get(server.url("ollama.lan", "/ok")))
        .await
        .expect("allowed by name");
    refused(
        by_name
            .fetch(Request::get(server.url("other.lan", "/ok")))
            .await,
    );
    refused(
        by_name
            .fetch(Request::get(server.url("127.0.0.1", "/ok")))
            .await,
    );
    assert_eq!(server.paths(), ["/ok", "/ok", "/ok", "/ok"]);
}

#[tokio::test]
async fn one_lookup_per_connection_and_the_checked_address_is_used() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[("public.test", "127.0.0.1")]);
    let policy = Policy {
        allow: vec!["public.test".parse().expect("allow")],
        ..Policy::default()
    };
    let response = client(policy, &resolver)
        .fetch(Request::get(server.url("public.test", "/ok")))
        .await
        .expect("allowed");
    assert_eq!(response.status(), 200);
    assert_eq!(resolver.lookups.load(Ordering::SeqCst), 1);
    assert_eq!(server.paths(), ["/ok"]);
}

#[tokio::test]
async fn redirects_are_not_followed_unless_allowed_and_each_hop_is_checked() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[
        ("public.test", "127.0.0.1"),
        ("other.test", "127.0.0.1"),
        ("rebind.test", "127.0.0.1"),
    ]);
    let allow = vec!["public.test".parse().expect("allow")];
    // max_redirects 0: the redirect itself comes back.
    let none = client(
        Policy {
            allow: allow.clone(),
            ..Policy::default()
        },
        &resolver,
    );
    let response = none
        .fetch(Request::get(server.url("public.test", "/to-private")))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::FOUND);

    let follow = client(
        Policy {
            allow: allow.clone(),
            max_redirects: 3,
            ..Policy::default()
        },
        &resolver,
    );
    // To a private literal, to a name resolving to loopback, to loopback literals.
    for path in [
        "/to-private",
        "/to-rebind",
        "/to-loopback-literal",
        "/to-mapped",
    ] {
        let err = refused(
            follow
                .fetch(Request::get(server.url("public.test", path)))
                .await,
        );
        assert!(!err.to_string().contains("secret-target"), "{err}");
    }
    assert!(
        !server.paths().iter().any(|p| p.contains("secret-target")),
        "{:?}",
        server.paths()
    );
    // An allowed hop is followed.
    let response = follow
        .fetch(Request::get(server.url("public.test", "/to-ok")))
        .await
        .expect("followed");
    assert_eq!(response.status(), 200);
    assert!(response.display_url().ends_with("/ok"));
    // Too many, and not http(s).
    assert_eq!(
        follow
            .fetch(Request::get(server.url("public.test", "/loop")))
            .await
            .unwrap_err(),
        OutboundError::TooManyRedirects { limit: 3 }
    );
    assert_eq!(
        follow
            .fetch(Request::get(server.url("public.test", "/to-file")))
            .await
            .unwrap_err(),
        OutboundError::BadRedirect
    );
    assert!(Client::with_resolver(
        Policy {
            max_redirects: 4,
            ..Policy::default()
        },
        resolver.clone()
    )
    .is_err());
}

#[tokio::test]
async fn credentials_stay_behind_when_a_redirect_leaves_the_origin() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[("public.test", "127.0.0.1"), ("other.test", "127.0.0.1")]);
    let policy = Policy {
        allow: vec![
            "public.test".parse().expect("allow"),
            "other.test".parse().expect("allow"),
        ],
        max_redirects: 1,
        ..Policy::default()
    };
    let request = Request::get(server.url("public.test", "/to-other"))
        .header(
            reqwest::header::AUTHORIZATION,
            "Bearer CANARY-AUTH".parse().expect("value"),
        )
        .header(
            "x-api-key".parse().expect("name"),
            "CANARY-KEY".parse().expect("value"),
        );
    let response = client(policy, &resolver)
        .fetch(request)
        .await
        .expect("followed");
    assert_eq!(response.status(), 200);
    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].1.get("authorization").is_some());
    assert!(seen[1].1.get("authorization").is_none(), "{:?}", seen[1].1);
    assert!(seen[1].1.get("x-api-key").is_none(), "{:?}", seen[1].1);
}

#[tokio::test]
async fn a_body_over_the_cap_is_cut_off_without_reading_the_rest() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[]);
    let cap = 64 * 1024;
    let policy = Policy {
        max_body_bytes: cap,
        total_timeout: Duration::from_secs(20),
        ..loopback_allowed()
    };
    let client = client(policy, &resolver);
    // An endless body: the read stops at the cap, long before the timeout.
    let started = std::time::Instant::now();
    let response = client
        .fetch(Request::get(server.url("127.0.0.1", "/forever")))
        .await
        .expect("response");
    assert_eq!(
        response.bytes().await.unwrap_err(),
        OutboundError::TooLarge { limit: cap }
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // The connection is closed: the server stops producing soon after.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let produced = server.streamed.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let later = server.streamed.load(Ordering::SeqCst);
    assert!(
        later < 16 * 1024 * 1024,
        "the server produced {later} bytes"
    );
    assert!(
        later - produced <= 2 * 8192,
        "still producing: {produced} → {later}"
    );

    // A declared length over the cap fails at once, without waiting for the body.
    let started = std::time::Instant::now();
    let response = client
        .fetch(Request::get(server.url("127.0.0.1", "/declared-huge")))
        .await
        .expect("response");
    assert_eq!(
        response.bytes().await.unwrap_err(),
        OutboundError::TooLarge { limit: cap }
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // An excerpt reads what it needs and says there was more.
    let response = client
        .fetch(Request::get(server.url("127.0.0.1", "/forever")))
        .await
        .expect("response");
    let (excerpt, more) = response.bytes_truncated(1000).await.expect("excerpt");
    assert_eq!(excerpt.len(), 1000);
    assert!(more);
}

#[tokio::test]
async fn the_total_timeout_bounds_the_exchange() {
    let server = Server::start().await;
    let resolver = FakeResolver::with(&[]);
    let policy = Policy {
        total_timeout: Duration::from_millis(300),
        ..loopback_allowed()
    };
    let client = client(policy, &resolver);
    let started = std::time::Instant::now();
    let err = client
        .fetch(Request::get(server.url("127.0.0.1", "/hang")))
        .await
        .unwrap_err();
    assert_eq!(err, OutboundError::Timeout);
    // Reading a body that never ends also stops at the deadline.
    let response = client
        .fetch(Request::get(server.url("127.0.0.1", "/declared-huge")))
        .await
        .expect("response");
    assert_eq!(
        response.bytes_truncated(10_000_000).await.unwrap_err(),
        OutboundError::Timeout
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// Captures everything logged, at every level, while it is the default subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn canary_secrets_never_appear_in_logs_errors_or_display() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start().await;
    let resolver = FakeResolver::with(&[("public.test", "127.0.0.1"), ("evil.test", "10.0.0.1")]);
    let policy = Policy {
        allow: vec!["public.test".parse().expect("allow")],
        max_redirects: 1,
        ..Policy::default()
    };
    let client = client(policy, &resolver);
    let port = server.addr.port();
    let request = |host: &str, path: &str| {
        let url = format!(
            "http://user:CANARY-PASSWORD@{host}:{port}{path}?q=visible&api_key=CANARY-QUERY&access_token=CANARY-TOKEN"
        );
        Request::get(url::Url::parse(&url).expect("url"))
            .header(
                reqwest::header::AUTHORIZATION,
                "Bearer CANARY-AUTH".parse().expect("value"),
            )
            .header(
                "x-webhook-secret".parse().expect("name"),
                "CANARY-HEADER".parse().expect("value"),
            )
    };
    let mut shown = Vec::new();
    shown.push(format!("{:?}", request("public.test", "/ok")));
    shown.push(request("public.test", "/ok").display_url());
    let response = client
        .fetch(request("public.test", "/to-ok"))
        .await
        .expect("ok");
    shown.push(format!("{response:?}"));
    shown.push(response.display_url());
    for (host, path) in [
        ("evil.test", "/ok"),
        ("nowhere.test", "/ok"),
        ("public.test", "/to-private"),
        ("public.test", "/hang-not-found"),
    ] {
        match client.fetch(request(host, path)).await {
            Ok(r) => shown.push(format!("{r:?}")),
            Err(e) => shown.push(format!("{e} {e:?}")),
        }
    }
    // A refused connection is a transport error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("addr").port();
    drop(closed);
    let url = format!("http://u:CANARY-PASSWORD@public.test:{closed_port}/?token=CANARY-TOKEN");
    let err = client
        .fetch(Request::get(url::Url::parse(&url).expect("url")))
        .await
        .unwrap_err();
    assert!(matches!(err, OutboundError::Transport { .. }), "{err:?}");
    shown.push(format!("{err} {err:?}"));

    let logs = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(logs.contains("outbound request"), "nothing logged: {logs}");
    assert!(logs.contains("q=visible"), "{logs}");
    assert!(logs.contains("***"), "{logs}");
    let all = format!("{}\n{logs}", shown.join("\n"));
    assert!(all.contains("public.test"), "{all}");
    assert!(!all.contains("CANARY"), "a secret leaked:\n{all}");
    // The secrets did reach the server: masking is for display only.
    let seen = server.seen.lock().expect("lock").clone();
    assert!(seen[0].0.contains("api_key=CANARY-QUERY"));
    assert!(seen[0].1.get("authorization").is_some());
}
