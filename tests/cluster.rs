//! Two `baton serve` processes on one PostgreSQL database, as behind a load balancer: an
//! operator's live stream on one process gets a visitor's message posted to the other, a
//! message too large for a notification arrives as "fetch again", and signing out on one
//! process ends the stream on the other at once (not at the next periodic check, a minute
//! later); the visitor rate limits hold for the two together. PostgreSQL only: on SQLite
//! there is one process.

use crate::common;

use std::process::Stdio;
use std::time::Duration;

use baton::auth::Actor;
use baton::operators::{OperatorCreate, Role};
use baton::Baton;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A `baton serve` on `url`; its address once it says it is serving.
async fn serve(url: &str) -> (Child, String) {
    serve_with(url, &[]).await
}

async fn serve_with(url: &str, env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["--db", url, "serve", "--bind", "127.0.0.1:0"])
        .env("BATON_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start baton serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.strip_prefix("Baton is serving on http://") {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        panic!("baton serve ended before serving");
    })
    .await
    .expect("baton serve started");
    // Keep its stdout drained.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, format!("http://{addr}"))
}

/// The next server-sent event (name, data), at most `wait`.
async fn next_event(
    body: &mut reqwest::Response,
    buf: &mut String,
    wait: Duration,
) -> Option<(String, String)> {
    tokio::time::timeout(wait, async {
        loop {
            if let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = String::new();
                let mut any = false;
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().to_owned();
                        any = true;
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.trim_start());
                        any = true;
                    }
                }
                if any {
                    return Some((name, data));
                }
                continue; // a keep-alive comment
            }
            match body.chunk().await {
                Ok(Some(chunk)) => buf.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
        }
    })
    .await
    .expect("an event in time")
}

#[tokio::test]
async fn two_processes_on_one_postgres_share_live_events_and_revocations() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let b = Baton::open(&db.url).await.unwrap();
    b.operator_create(
        &Actor::Local,
        OperatorCreate {
            name: "Ola".into(),
            email: "ola@example.com".into(),
            role: Role::Agent,
            password: Some("a long enough password".into()),
        },
    )
    .await
    .unwrap();
    let (_a, base_a) = serve(&db.url).await;
    let (_b, base_b) = serve(&db.url).await;
    let http = common::client();

    // The operator signs in on B and follows the inbox there.
    let session: Value = http
        .post(format!("{base_b}/v1/auth/login"))
        .json(&json!({"email": "ola@example.com", "password": "a long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let stream = http
        .get(format!("{base_b}/v1/inbox/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut body = stream;
    let mut buf = String::new();

    // A visitor talks to A.
    let start: Value = http
        .post(format!("{base_a}/v1/visitor/conversations"))
        .json(&json!({"channel": "api"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = start["conversation"]["id"].as_i64().unwrap();
    let visitor = start["visitor_token"].as_str().unwrap().to_owned();
    let say = |text: String| {
        http.post(format!("{base_a}/v1/visitor/conversations/{id}/messages"))
            .header("X-Visitor-Token", &visitor)
            .json(&json!({ "text": text }))
            .send()
    };
    assert!(say("Hello from the other process".into())
        .await
        .unwrap()
        .status()
        .is_success());
    let mut seen = None;
    while let Some((name, data)) = next_event(&mut body, &mut buf, Duration::from_secs(20)).await {
        if name == "message" && data.contains("Hello from the other process") {
            seen = Some(data);
            break;
        }
    }
    let data: Value = serde_json::from_str(&seen.expect("the message reached B")).unwrap();
    assert_eq!(data["conversation_id"], id);

    // Too large for a notification: B's streams are told to fetch again.
    // 4,500 characters (within a message's limit), 11,700 bytes.
    let long = "€€€€ ".repeat(900);
    assert!(say(long).await.unwrap().status().is_success());
    let mut lagged = false;
    while let Some((name, data)) = next_event(&mut body, &mut buf, Duration::from_secs(20)).await {
        assert!(
            !(name == "message" && data.contains("€€€€ €€€€")),
            "a message that large does not travel whole"
        );
        if name == "lagged" {
            lagged = true;
            break;
        }
    }
    assert!(lagged, "B was told to fetch again");

    // Signing out on A ends B's stream now (its own check would come a minute later).
    let out = http
        .post(format!("{base_a}/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success());
    let mut ended = false;
    while let Some((name, _)) = next_event(&mut body, &mut buf, Duration::from_secs(20)).await {
        if name == "signed_out" {
            ended = true;
            break;
        }
    }
    assert!(ended, "the stream on B said signed_out");
    assert!(
        next_event(&mut body, &mut buf, Duration::from_secs(20))
            .await
            .is_none(),
        "and ended"
    );
}

#[tokio::test]
async fn the_visitor_limits_hold_for_all_processes_together() {
    let Some(db) = common::postgres().await else {
        return;
    };
    // Two starts a minute per address, four posts a minute per conversation.
    let env = [
        ("BATON_VISITOR_STARTS_PER_MINUTE", "2"),
        ("BATON_VISITOR_POSTS_PER_MINUTE", "0"),
        ("BATON_CONVERSATION_POSTS_PER_MINUTE", "4"),
    ];
    let (_a, base_a) = serve_with(&db.url, &env).await;
    let (_b, base_b) = serve_with(&db.url, &env).await;
    let http = common::client();
    let start = |base: &str| {
        http.post(format!("{base}/v1/visitor/conversations"))
            .json(&json!({"channel": "api"}))
            .send()
    };
    // One start on each process uses the address's two; the third is refused on either,
    // with the wait until the next one (a minute's allowance over two: up to 30 s).
    let first: Value = start(&base_a).await.unwrap().json().await.unwrap();
    assert_eq!(start(&base_b).await.unwrap().status(), 201);
    for base in [&base_a, &base_b] {
        let refused = start(base).await.unwrap();
        assert_eq!(refused.status(), 429, "{base}");
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=30).contains(&wait), "Retry-After {wait}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "too_many_requests", "{body}");
    }

    // One conversation's four posts, spread over both processes, then no more on either.
    let id = first["conversation"]["id"].as_i64().unwrap();
    let visitor = first["visitor_token"].as_str().unwrap().to_owned();
    let say = |base: &str, n: usize| {
        http.post(format!("{base}/v1/visitor/conversations/{id}/messages"))
            .header("X-Visitor-Token", &visitor)
            .json(&json!({ "text": format!("message {n}") }))
            .send()
    };
    for n in 0..4 {
        let base = if n % 2 == 0 { &base_a } else { &base_b };
        assert!(
            say(base, n).await.unwrap().status().is_success(),
            "post {n}"
        );
    }
    assert_eq!(say(&base_a, 4).await.unwrap().status(), 429);
    assert_eq!(say(&base_b, 5).await.unwrap().status(), 429);
}
