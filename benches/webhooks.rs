//! Webhook delivery through the outbox to a receiver on loopback (an axum server in this
//! process answering 200 at once), with the attempt log written: each measured iteration queues
//! `BATCH` webhook jobs (not timed), then times the outbox worker's runs (claim, load the
//! endpoint, sign, POST through the outbound guard, finish and log each attempt) until none is
//! due. Target: at least 500 deliveries/s on a 2-core machine.
//!
//! ```text
//! cargo bench --bench webhooks                    # SQLite
//! BATON_BENCH_POSTGRES_URL=postgres://baton:baton@127.0.0.1:5432/postgres cargo bench --bench webhooks
//! ```
//!
//! With a PostgreSQL URL, a new database is created next to the one named and dropped at the
//! end. Traffic goes to loopback only, and the benchmark stops by itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use baton::auth::Actor;
use baton::outbox::{Job, JobKind};
use baton::webhooks::model::{WebhookEvent, WebhookJob};
use baton::Baton;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sqlx::{Connection, Executor};

/// Deliveries per measured iteration.
const BATCH: u64 = 160;

/// A body the size of a real handoff event (~700 bytes).
fn body(i: u64) -> String {
    serde_json::json!({
        "type": "handoff.requested",
        "timestamp": "2025-01-01T12:00:00Z",
        "data": {
            "event": "handoff.requested",
            "webhook": "crm_sync",
            "conversation": {"id": i, "agent_id": 1, "channel": "widget",
                             "link": format!("https://baton.example.com/#/inbox/{i}"),
                             "status": "needs_agent", "priority": "high",
                             "handoff_reason": "the visitor asked for a person"},
            "visitor": {"details": {"Name": "Jane Smith", "Email": "jane@example.com",
                                    "Order number": "4521"}, "language": "en"},
            "summary": "Visitor: Where is my order 4521? It was due last week.\nAgent: I can \
                        look that up for you.\nVisitor: I want to talk to a person please.",
        }
    })
    .to_string()
}

async fn receiver() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(|| async { "ok" });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{}/hooks/baton", addr.port())
}

struct Setup {
    baton: Baton,
    endpoint: i64,
    deliveries: Arc<baton::outbox::Deliveries>,
    next: std::sync::atomic::AtomicU64,
}

async fn setup(url: &str, target: &str) -> Setup {
    let baton = Baton::open(url).await.expect("open the database");
    let w = baton
        .webhook_create(
            &Actor::Local,
            serde_json::from_value(serde_json::json!({
                "name": "crm_sync", "url": target, "allow": ["127.0.0.1"],
                "events": ["handoff.requested"], "send_chat_summary": true,
            }))
            .unwrap(),
        )
        .await
        .expect("create the endpoint");
    let deliveries = Arc::new(baton.deliveries().await.unwrap());
    Setup {
        baton,
        endpoint: w.webhook.id,
        deliveries,
        next: Default::default(),
    }
}

/// Queues `BATCH` deliveries, then times the worker's runs until none is left.
async fn one_batch(s: &Setup) -> Duration {
    let now = chrono::Utc::now();
    for _ in 0..BATCH {
        let i = s.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let job = Job::Webhook(WebhookJob {
            endpoint_id: s.endpoint,
            event: WebhookEvent::HandoffRequested,
            message_id: format!("msg_bench_{i}"),
            body: body(i),
        });
        s.baton.store().job_enqueue(&job, None, now).await.unwrap();
    }
    let started = Instant::now();
    let mut done = 0;
    loop {
        let r = s
            .baton
            .outbox_run_at(chrono::Utc::now(), s.deliveries.clone())
            .await
            .unwrap();
        done += r.done;
        assert_eq!(r.failed + r.retried, 0, "a delivery failed: {r:?}");
        if r.claimed == 0 {
            break;
        }
    }
    let took = started.elapsed();
    assert_eq!(done as u64, BATCH);
    took
}

fn bench_on(c: &mut Criterion, label: &str, url: &str) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let s = rt.block_on(async {
        let target = receiver().await;
        setup(url, &target).await
    });
    let mut group = c.benchmark_group("webhook_delivery");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(15));
    let mut total = (Duration::ZERO, 0u64);
    group.bench_function(label, |b| {
        b.iter_custom(|iters| {
            let mut took = Duration::ZERO;
            for _ in 0..iters {
                took += rt.block_on(one_batch(&s));
            }
            total.0 += took;
            total.1 += iters * BATCH;
            took
        })
    });
    group.finish();
    // Every attempt was logged.
    let (jobs, attempts) = rt.block_on(async {
        let jobs = s
            .baton
            .store()
            .jobs_list(Some(JobKind::Webhook), 1)
            .await
            .unwrap();
        let attempts = s.baton.store().job_attempts(jobs[0].id).await.unwrap();
        (jobs, attempts)
    });
    assert_eq!(jobs[0].status, "done");
    assert_eq!(attempts[0].status_code, Some(200));
    println!(
        "webhook delivery on {label}: {:.0} deliveries/s over {} deliveries (attempt log written)",
        total.1 as f64 / total.0.as_secs_f64(),
        total.1
    );
    rt.block_on(s.baton.store().close());
}

fn bench_webhooks(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    bench_on(c, "sqlite", &url);
    if let Ok(admin) = std::env::var("BATON_BENCH_POSTGRES_URL") {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let name = format!("baton_bench_webhooks_{}", std::process::id());
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
        });
        let mut u = url::Url::parse(&admin).unwrap();
        u.set_path(&name);
        bench_on(c, "postgres", u.as_str());
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            let _ = conn
                .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                .await;
        });
    }
}

criterion_group!(benches, bench_webhooks);
criterion_main!(benches);
