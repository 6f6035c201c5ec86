//! The public edge on a real socket (issue 15, point 1): slow or silent connections are
//! closed, idle keep-alive connections too, a body that stops is cut off, connections beyond
//! the cap wait, and visitor starts and posts beyond their limits get `429` with
//! `Retry-After`, per client address (behind a trusted proxy, the forwarded one).

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use baton::http::edge::EdgeLimits;
use baton::http::ServeLimits;
use baton::Baton;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Server {
    addr: SocketAddr,
    _db: common::TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(limits: ServeLimits) -> Server {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let listener = baton::http::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(baton::http::serve_with(
        b,
        listener,
        async {
            let _ = rx.await;
        },
        limits,
    ));
    Server {
        addr,
        _db: db,
        stop: Some(tx),
        task,
    }
}

impl Server {
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

fn short(header_ms: u64, body_ms: u64) -> ServeLimits {
    ServeLimits {
        header_timeout: Duration::from_millis(header_ms),
        body_timeout: Duration::from_millis(body_ms),
        ..ServeLimits::default()
    }
}

/// Reads until the server closes the connection (bounded: a server that never closes fails
/// the test); what it sent, and when it closed.
async fn until_closed(c: &mut TcpStream, bound: Duration) -> (String, Instant) {
    let mut got = Vec::new();
    let read = tokio::time::timeout(bound, c.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "still open after {bound:?}");
    (String::from_utf8_lossy(&got).into_owned(), Instant::now())
}

#[tokio::test]
async fn silent_slow_and_idle_connections_are_closed() {
    let s = start(short(400, 400)).await;
    let bound = Duration::from_secs(10);

    // Nothing at all.
    let t = Instant::now();
    let mut silent = TcpStream::connect(s.addr).await.unwrap();
    let (_, closed) = until_closed(&mut silent, bound).await;
    assert!(closed - t >= Duration::from_millis(400));

    // Half the headers.
    let t = Instant::now();
    let mut half = TcpStream::connect(s.addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let (_, closed) = until_closed(&mut half, bound).await;
    assert!(closed - t >= Duration::from_millis(400));

    // A keep-alive connection, idle after its answer.
    let mut idle = TcpStream::connect(s.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (got, _) = until_closed(&mut idle, bound).await;
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(got.ends_with("ok"), "{got}");

    // A body that stops after 10 of 1,000 bytes: cut off, with an answer or without.
    let t = Instant::now();
    let mut body = TcpStream::connect(s.addr).await.unwrap();
    body.write_all(
        b"POST /v1/visitor/conversations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"channel\"",
    )
    .await
    .unwrap();
    let (got, closed) = until_closed(&mut body, bound).await;
    assert!(closed - t >= Duration::from_millis(400));
    assert!(
        got.is_empty() || got.starts_with("HTTP/1.1 4"),
        "no conversation started: {got}"
    );
    s.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_one_to_close() {
    let s = start(ServeLimits {
        max_connections: 2,
        header_timeout: Duration::from_secs(60),
        ..ServeLimits::default()
    })
    .await;
    let a = TcpStream::connect(s.addr).await.unwrap();
    let _b = TcpStream::connect(s.addr).await.unwrap();
    let mut third = TcpStream::connect(s.addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    // Not served while two are open (the kernel queues it). A bound, not a wait for luck:
    // served would be within milliseconds.
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf)).await;
    assert!(early.is_err(), "served beyond the cap");
    drop(a);
    let (got, _) = until_closed(&mut third, Duration::from_secs(10)).await;
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    s.stop().await;
}

async fn start_conversation(
    s: &Server,
    forwarded_for: Option<&str>,
) -> (u16, Option<String>, Value) {
    let mut r = common::client()
        .post(format!("http://{}/v1/visitor/conversations", s.addr))
        .json(&json!({"channel": "widget"}));
    if let Some(f) = forwarded_for {
        r = r.header("x-forwarded-for", f);
    }
    let r = r.send().await.unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        r.status().as_u16(),
        retry,
        r.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn visitor_starts_and_posts_beyond_their_limits_get_429_with_retry_after() {
    let s = start(ServeLimits {
        visitors: EdgeLimits {
            starts_per_minute: 3,
            posts_per_minute: 100,
            conversation_posts_per_minute: 2,
            trusted_proxies: Vec::new(),
        },
        ..ServeLimits::default()
    })
    .await;
    let mut first = None;
    for _ in 0..3 {
        let (st, _, v) = start_conversation(&s, None).await;
        assert_eq!(st, 201, "{v}");
        first.get_or_insert(v);
    }
    let (st, retry, v) = start_conversation(&s, None).await;
    assert_eq!(st, 429, "{v}");
    assert_eq!(v["code"], "too_many_requests");
    let secs: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=20).contains(&secs), "{secs}");
    // A forged X-Forwarded-For from a client that is no trusted proxy changes nothing.
    let (st, _, _) = start_conversation(&s, Some("203.0.113.50")).await;
    assert_eq!(st, 429);

    // Per conversation: the third post within the minute is refused, and not stored.
    let first = first.unwrap();
    let id = first["conversation"]["id"].as_i64().unwrap();
    let token = first["visitor_token"].as_str().unwrap();
    let post = |text: &'static str| {
        common::client()
            .post(format!(
                "http://{}/v1/visitor/conversations/{id}/messages",
                s.addr
            ))
            .header("x-visitor-token", token)
            .json(&json!({"text": text}))
            .send()
    };
    assert_eq!(post("hello").await.unwrap().status(), 200);
    assert_eq!(post("are you there").await.unwrap().status(), 200);
    let r = post("hello??").await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let messages: Value = common::client()
        .get(format!(
            "http://{}/v1/visitor/conversations/{id}/messages",
            s.addr
        ))
        .header("x-visitor-token", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !messages
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["text"] == "hello??"),
        "{messages}"
    );
    s.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance() {
    let s = start(ServeLimits {
        visitors: EdgeLimits {
            starts_per_minute: 1,
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            ..EdgeLimits::default()
        },
        ..ServeLimits::default()
    })
    .await;
    assert_eq!(start_conversation(&s, Some("198.51.100.1")).await.0, 201);
    assert_eq!(start_conversation(&s, Some("198.51.100.1")).await.0, 429);
    // Another visitor behind the same proxy.
    assert_eq!(start_conversation(&s, Some("198.51.100.2")).await.0, 201);
    // What the client itself put first is not believed: the proxy appended the real address.
    assert_eq!(
        start_conversation(&s, Some("198.51.100.9, 198.51.100.1"))
            .await
            .0,
        429
    );
    s.stop().await;
}

/// The database's limiter (the one several processes share): the same allowance as the
/// in-memory one, on both databases, with an explicit clock.
#[tokio::test]
async fn the_database_limiter_allows_a_minute_at_once_then_one_every_interval() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let s = b.store();
        let t0 = 1_800_000_000_000_i64;
        for i in 0..3 {
            assert_eq!(
                s.visitor_limit_take("start:a", t0, 3).await.unwrap(),
                None,
                "{i}"
            );
        }
        // The fourth waits for the next cell: 20 s, and is not counted.
        assert_eq!(
            s.visitor_limit_take("start:a", t0, 3).await.unwrap(),
            Some(20_000)
        );
        assert_eq!(
            s.visitor_limit_take("start:a", t0 + 19_000, 3)
                .await
                .unwrap(),
            Some(1_000)
        );
        // Another key is not affected.
        assert_eq!(s.visitor_limit_take("start:b", t0, 3).await.unwrap(), None);
        assert_eq!(
            s.visitor_limit_take("start:a", t0 + 20_000, 3)
                .await
                .unwrap(),
            None
        );
        assert!(s
            .visitor_limit_take("start:a", t0 + 20_000, 3)
            .await
            .unwrap()
            .is_some());
        // A minute later the whole allowance is back, and pruning forgets the key.
        s.visitor_limits_prune(t0 + 80_000).await.unwrap();
        for _ in 0..3 {
            assert_eq!(
                s.visitor_limit_take("start:a", t0 + 80_000, 3)
                    .await
                    .unwrap(),
                None
            );
        }
        assert!(s
            .visitor_limit_take("start:a", t0 + 80_000, 3)
            .await
            .unwrap()
            .is_some());
    }
}
