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
//! right next to the action call. The two are interleaved (the order alternates each
//! iteration), so a moment of noise on the machine falls on both alike. Per iteration:
//!
//! - **baseline**: the bare GET: loopback TCP, hyper on both sides, the API's handler;
//! - **whole**: from the visitor's message to the reply: choose, fill, check the values, then
//!   [`Baton::action_run`] (secret, render, guard, outbound client, call, reply, log row);
//! - **added**: whole minus the baseline of the same iteration (can be below zero when the
//!   baseline was the slower one). Its p50 is what Baton adds to a typical call; its p99 also
//!   carries the noise of either measurement, so it overstates rather than hides the tail.
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
use baton::actions::RunValues;
use baton::auth::Actor;
use baton::engine::builtin::actions::{choose, fill, ActionSpec};
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
    let input = serde_json::from_value(json!({
        "name": "order_status",
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

    let mut choose_fill = Vec::with_capacity(runs);
    let mut whole = Vec::with_capacity(runs);
    let mut baseline = Vec::with_capacity(runs);
    let mut added = Vec::with_capacity(runs);
    let load_start = loadavg();
    for i in 0..runs + WARM_UP {
        let mut one = [Duration::ZERO; 3];
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
                let ran = b.action_run(&stored, &values, None).await.unwrap();
                one[2] = t.elapsed();
                assert!(ran.visitor_reply.unwrap().contains("shipped"));
            }
        }
        if i >= WARM_UP {
            baseline.push(nanos(one[0]));
            choose_fill.push(nanos(one[1]));
            whole.push(nanos(one[2]));
            added.push(nanos(one[2]) - nanos(one[0]));
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
            "whole: choose, fill, render, guard, call, reply, log row",
            &mut whole,
        ),
        ("added: whole - baseline, per iteration", &mut added),
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
            let _ = conn
                .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                .await;
        }
    });
}
