//! What Baton adds to an action call beyond the remote service's own time: choosing the
//! action for a message, filling its values, rendering the request, the address guard, the
//! call to a loopback API that answers at once, the reply template and the execution-log row
//! (SQLite). Target: p99 under 1 ms.
//!
//! ```text
//! cargo bench --bench actions            # 3,000 runs after 200 of warm-up
//! BATON_BENCH_RUNS=10000 cargo bench --bench actions
//! ```

use std::time::{Duration, Instant};

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use baton::actions::RunValues;
use baton::auth::Actor;
use baton::engine::builtin::actions::{choose, fill, ActionSpec};
use baton::Baton;
use serde_json::json;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let runs: usize = std::env::var("BATON_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let app = Router::new().route(
            "/orders/{id}",
            get(|Path(id): Path<String>| async move {
                Json(json!({"id": id, "status": "shipped", "carrier": {"tracking": "1Z999"}}))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });

        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("BATON_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        let b = Baton::open(&format!("sqlite://{}", dir.path().join("b.db").display()))
            .await
            .unwrap();
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

        let mut choose_fill = Vec::with_capacity(runs);
        let mut whole = Vec::with_capacity(runs);
        for i in 0..runs + 200 {
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
            let chosen = t.elapsed();
            assert_eq!(m.index, 0);
            let values = RunValues {
                variables: Default::default(),
                params: stored.check_params(&params).unwrap(),
            };
            let ran = b.action_run(&stored, &values, None).await.unwrap();
            assert!(ran.visitor_reply.unwrap().contains("shipped"));
            if i >= 200 {
                choose_fill.push(chosen);
                whole.push(t.elapsed());
            }
        }
        choose_fill.sort();
        whole.sort();
        for (what, d) in [
            ("choose + fill", &choose_fill),
            ("choose, fill, render, guard, loopback call, reply, log row", &whole),
        ] {
            println!(
                "actions/{what}: p50 {:?}  p99 {:?}  max {:?}  ({} runs)",
                percentile(d, 0.5),
                percentile(d, 0.99),
                d[d.len() - 1],
                d.len()
            );
        }
    });
}
