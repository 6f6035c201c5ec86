//! What Baton adds to an action call beyond the remote service's own time: choosing the
//! action for a message, filling its values, rendering the request, the address guard, its
//! outbound client, the reply template and the execution-log row. Target: p99 under 1 ms,
//! against a loopback API that answers at once.
//!
//! ```text
//! cargo bench --bench actions            # 3,000 runs after 300 of warm-up, SQLite
//! BATON_BENCH_RUNS=10000 cargo bench --bench actions
//! BATON_BENCH_POSTGRES_URL=postgres://baton:baton@127.0.0.1:5432/postgres cargo bench --bench actions
//! ```
//!
//! How "added" is measured: the remote service's own time cannot be read off Baton's call, so
//! every iteration also sends the same request (same URL, same bearer header, body read to the
//! end) with a bare `reqwest` client keeping its connection alive, to the same loopback API,
//! right next to the action call. The log row is not written by the call: the pipeline puts it
//! in the message's own transaction (the one that stores the visitor's message, the decision
//! records and the reply, which every message makes, action or not), so what it adds is the
//! difference between that write with the row and the same write without it; each iteration
//! makes both, right next to each other. The pairs are interleaved (the order alternates each
//! iteration), so a moment of noise on the machine falls on both alike. Per iteration:
//!
//! - **baseline**: the bare GET: loopback TCP, hyper on both sides, the API's handler;
//! - **call**: choose, fill, check the values, then [`Baton::action_run`] (secret, render,
//!   guard, outbound client, call, reply, the log row built);
//! - **write** / **write + log row**: a message's conversation write (the visitor's message,
//!   two decision records, the state, the reply) without and with the run's log row;
//! - **added**: (call - baseline) + (write with the row - write without it), all four of the
//!   same iteration: what Baton adds to the call, log row included. Either difference can be
//!   below zero when the other side was the slower one; the p99 carries the noise of four
//!   measurements (two of them commits), so it overstates rather than hides the tail. The two
//!   parts are shown on their own too;
//! - **control**: the write without the row made a second time, minus the first: the noise of
//!   the method (two commits' difference) with no row at all. A log-row tail no wider than the
//!   control's is the commits' variance, not the row's.
//!
//! - **added to the message**: the tails compared as tails are, p99 against p99: a visitor
//!   message that runs the action through Baton (call, then the write with the row) against
//!   the same message without Baton's part (the bare call, then the write without the row).
//!   Its control compares the write without the row made again against the first.
//!
//! With PostgreSQL the pass is made twice: as configured (every commit waits for its WAL
//! flush, as every message's write does), then with `synchronous_commit = off` on the bench's
//! database, where the flush's variance, which both writes of a pair have, is gone and the
//! difference is the row's own cost (its statement work and WAL bytes).
//!
//! The API runs in this process, on the same runtime: its handler's time is in both figures
//! and cancels out. The machine's load average is printed at the start and the end; with
//! other builds running the tail is theirs too, so the figures record it.
//!
//! With a PostgreSQL URL, a new database is created next to the one named and dropped at the
//! end. Traffic goes to loopback only.

use std::time::{Duration, Instant};

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use baton::actions::model::ActionOutcome;
use baton::actions::RunValues;
use baton::auth::Actor;
use baton::conversations::model::{NewDecision, NewMessage};
use baton::conversations::pipeline::ConversationStart;
use baton::conversations::Channel;
use baton::engine::builtin::actions::{choose, fill, ActionSpec};
use baton::engine::Author;
use baton::store::conversations::ConversationWrite;
use baton::Baton;
use serde_json::json;
use sqlx::{Connection, Executor};

const WARM_UP: usize = 300;

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// The `p` quantile (nearest rank) of sorted nanoseconds.
fn pct(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn show(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    format!("{sign}{:?}", Duration::from_nanos(nanos.unsigned_abs()))
}

fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

async fn bench_on(label: &str, url: &str, runs: usize) {
    let app = Router::new().route(
        "/orders/{id}",
        get(|Path(id): Path<String>| async move {
            Json(json!({"id": id, "status": "shipped", "carrier": {"tracking": "1Z999"}}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let b = Baton::open(url).await.unwrap();
    // A pass of its own on the same database (PostgreSQL's second) needs a name of its own.
    static PASS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let pass = PASS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let input = serde_json::from_value(json!({
        "name": format!("order_status_{pass}"),
        "description": "Looks up the shipping status and tracking number of an order.",
        "examples": ["where is my package"],
        "method": "GET",
        "url": format!("{base}/orders/{{{{params.order_id}}}}"),
        "parameters": [{"name": "order_id", "location": "path", "type": "string",
                        "description": "The order number", "required": true}],
        "auth": {"kind": "bearer", "secret": "sk-bench"},
        "reply_template": "Order {{params.order_id}}: {{response.status}}, tracking {{response.carrier.tracking}}.",
        "failure_message": "Sorry.",
        "allow": ["127.0.0.1"],
    }))
    .unwrap();
    let created = b.action_create(&Actor::Local, input).await.unwrap();
    let stored = b.action_load(created.id).await.unwrap();
    let a = &stored.action;
    let message = "Hi! Where is my order A-4521?";
    let bare = reqwest::Client::new();
    let bare_url = format!("{base}/orders/A-4521");

    // The conversation the writes go to, and what a message that ran the action writes.
    let session = b
        .conversation_start(ConversationStart {
            channel: Some(Channel::Playground),
            ..Default::default()
        })
        .await
        .unwrap();
    let conv = b
        .conversation_open(&Actor::Local, session.conversation.id)
        .await
        .unwrap()
        .conversation;
    let state = conv.state(None);
    let text = |author, text: &str| NewMessage {
        author,
        operator_id: None,
        text: text.into(),
        attachments: Vec::new(),
        internal: false,
    };
    let visitor = text(Author::Visitor, message);
    let decisions = [
        NewDecision {
            step: "language",
            outcome: "en".into(),
            reason: "detected from the message".into(),
            engine: "rules".into(),
            latency_us: 12,
        },
        NewDecision {
            step: "action",
            outcome: "success".into(),
            reason: "ran action 'order_status': GET /orders/A-4521 → HTTP 200 in 0 ms".into(),
            engine: "builtin".into(),
            latency_us: 200,
        },
    ];

    let mut choose_fill = Vec::with_capacity(runs);
    let mut call = Vec::with_capacity(runs);
    let mut baseline = Vec::with_capacity(runs);
    let mut call_added = Vec::with_capacity(runs);
    let mut write = Vec::with_capacity(runs);
    let mut write_log = Vec::with_capacity(runs);
    let mut log_added = Vec::with_capacity(runs);
    let mut control = Vec::with_capacity(runs);
    let mut added = Vec::with_capacity(runs);
    let mut with_baton = Vec::with_capacity(runs);
    let mut without = Vec::with_capacity(runs);
    let mut without_again = Vec::with_capacity(runs);
    let load_start = loadavg();
    for i in 0..runs + WARM_UP {
        // baseline, choose + fill, call, write, write + log row, write (control)
        let mut one = [Duration::ZERO; 6];
        let mut ran = None;
        for turn in 0..2 {
            if (turn + i) % 2 == 0 {
                let t = Instant::now();
                let body = bare
                    .get(&bare_url)
                    .bearer_auth("sk-bench")
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                one[0] = t.elapsed();
                assert!(!body.is_empty());
            } else {
                let t = Instant::now();
                let specs = [ActionSpec {
                    name: &a.name,
                    description: &a.description,
                    when_not_to_use: &a.when_not_to_use,
                    examples: &a.examples,
                    parameters: &a.parameters,
                }];
                let m = choose(message, &specs).expect("chosen");
                let params = fill(&a.parameters, message, &[]);
                one[1] = t.elapsed();
                assert_eq!(m.index, 0);
                let values = RunValues {
                    variables: Default::default(),
                    params: stored.check_params(&params).unwrap(),
                };
                let r = b.action_run(&stored, &values, Some(conv.id)).await.unwrap();
                one[2] = t.elapsed();
                ran = Some(r);
            }
        }
        let ran = ran.expect("ran");
        let reply_text = ran.visitor_reply.clone().unwrap();
        assert!(reply_text.contains("shipped"));
        let mut log = ran.log;
        // As the pipeline writes it (see `action_go`): with the reply that came from it.
        log.reached_conversation = log.outcome == ActionOutcome::Success;
        let logs = [log];
        let replies = [text(Author::Ai, &reply_text)];
        // Without the row, with it, and without it again (the control), in turn.
        for turn in 0..3 {
            let which = (turn + i) % 3;
            let w = ConversationWrite {
                visitor: Some((&visitor, chrono::Utc::now())),
                replies: &replies,
                decisions: &decisions,
                action_logs: if which == 1 { &logs } else { &[] },
                ..ConversationWrite::new(&state, &state)
            };
            let t = Instant::now();
            b.store().conversation_write(conv.id, w).await.unwrap();
            one[3 + which] = t.elapsed();
        }
        if i >= WARM_UP {
            let [base, cf, whole, plain, logged, again] = one.map(nanos);
            control.push(again - plain);
            baseline.push(base);
            choose_fill.push(cf);
            call.push(whole);
            call_added.push(whole - base);
            write.push(plain);
            write_log.push(logged);
            log_added.push(logged - plain);
            added.push(whole - base + logged - plain);
            with_baton.push(whole + logged);
            without.push(base + plain);
            without_again.push(base + again);
        }
    }
    let load_end = loadavg();
    println!(
        "actions on {label}: {runs} runs after {WARM_UP} of warm-up; load average {load_start} at the start, {load_end} at the end"
    );
    for (what, d) in [
        ("choose + fill", &mut choose_fill),
        (
            "baseline: the same GET, bare reqwest, keep-alive",
            &mut baseline,
        ),
        (
            "call: choose, fill, render, guard, call, reply, log row built",
            &mut call,
        ),
        ("call - baseline, per iteration", &mut call_added),
        ("write: the message's conversation write", &mut write),
        (
            "write + log row: the same with the run's log row",
            &mut write_log,
        ),
        (
            "log row: (write + log row) - write, per iteration",
            &mut log_added,
        ),
        (
            "control: write - the same write, per iteration (the method's noise)",
            &mut control,
        ),
        (
            "added: (call - baseline) + log row, per iteration",
            &mut added,
        ),
    ] {
        d.sort_unstable();
        println!(
            "  {what}: p50 {}  p90 {}  p99 {}  max {}",
            show(pct(d, 0.5)),
            show(pct(d, 0.9)),
            show(pct(d, 0.99)),
            show(d[d.len() - 1]),
        );
    }
    // The tail compared as tails are: the p99 of a message that runs the action through Baton
    // (the call, then the write with its log row) against the p99 of the same message without
    // Baton's part (the bare call, then the write without the row); the control compares the
    // second against itself (the other write without the row): the method's own noise.
    for d in [&mut with_baton, &mut without, &mut without_again] {
        d.sort_unstable();
    }
    let q = |d: &[i64], p| pct(d, p);
    println!(
        "  with Baton (call + write with the row): p50 {}  p99 {}",
        show(q(&with_baton, 0.5)),
        show(q(&with_baton, 0.99))
    );
    println!(
        "  without (bare call + write): p50 {}  p99 {}",
        show(q(&without, 0.5)),
        show(q(&without, 0.99))
    );
    println!(
        "  added to the message: p50 {}  p99 {}   (control: p50 {}  p99 {})",
        show(q(&with_baton, 0.5) - q(&without, 0.5)),
        show(q(&with_baton, 0.99) - q(&without, 0.99)),
        show(q(&without_again, 0.5) - q(&without, 0.5)),
        show(q(&without_again, 0.99) - q(&without, 0.99)),
    );
    b.store().close().await;
    server.abort();
}

fn main() {
    let runs: usize = std::env::var("BATON_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    std::env::set_var(
        "BATON_SECRET_KEY",
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("b.db").display());
        bench_on("sqlite", &url, runs).await;
        if let Ok(admin) = std::env::var("BATON_BENCH_POSTGRES_URL") {
            let name = format!("baton_bench_actions_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let mut u = url::Url::parse(&admin).unwrap();
            u.set_path(&name);
            bench_on("postgres", u.as_str(), runs).await;
            // The same without waiting for the WAL flush at each commit: the flush is the
            // message's (one per write, with the row or without), and its variance is most of
            // the difference of two writes; without it, what is left is the row's own cost.
            conn.execute(format!("ALTER DATABASE {name} SET synchronous_commit = off").as_str())
                .await
                .unwrap();
            bench_on(
                "postgres, commits not flushed (synchronous_commit = off)",
                u.as_str(),
                runs,
            )
            .await;
            let _ = conn
                .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                .await;
        }
    });
}
