//! Load test of the visitor message path over HTTP: `baton serve` (this build's binary) on a
//! fresh database on 127.0.0.1, then visitor messages with bounded concurrency for a fixed
//! time. Target: at least 2,000 messages/s on SQLite on a 2-core machine.
//!
//! ```text
//! cargo bench --bench load                                   # SQLite, 20 s, 32 in flight
//! BATON_LOAD_DB=postgres://baton:baton@127.0.0.1:5432/postgres cargo bench --bench load
//! BATON_LOAD_SECS=60 BATON_LOAD_CONCURRENCY=64 cargo bench --bench load
//! ```
//!
//! With a PostgreSQL URL, a new database is created next to the one named and dropped at the
//! end. The agent has the benchmarks' large configuration (1,000 keywords, 50 custom
//! guidelines, 20 routing profiles, every generic guideline on, handoff active) and a
//! 10-entry knowledge base. Each conversation gets a scripted dialogue of up to 8 messages
//! (mostly questions the knowledge base answers, some that end in a handoff question), then
//! the worker moves on to its next conversation. Traffic goes to loopback only, and stops
//! after the warm-up plus the measured duration.

mod fixtures;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use baton::auth::Actor;
use baton::knowledge::KnowledgeInput;
use baton::Baton;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};

const SCRIPT: [&str; 8] = [
    "Hi! What are your opening hours on Saturday?",
    "How much does shipping cost for an order of 30 EUR?",
    "Can I change the delivery address of my order 48213?",
    "Where do I find the tracking number of my parcel?",
    "How long do refunds take after I return an item?",
    "Which payment methods do you accept?",
    "Where can I download my invoice with the VAT number?",
    "Do gift cards expire?",
];

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU time (user + system) used so far by process `pid`, from `/proc` (Linux only).
fn cpu_time(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn prepare(url: &str) {
    let b = Baton::open(url).await.expect("open the database");
    b.handoff_config_update(
        &Actor::Local,
        None,
        serde_json::from_value(fixtures::config_update()).expect("configuration"),
    )
    .await
    .expect("configure the agent");
    for (title, body) in fixtures::knowledge() {
        b.knowledge_create(
            &Actor::Local,
            KnowledgeInput {
                agent_id: None,
                title,
                body,
            },
        )
        .await
        .expect("knowledge entry");
    }
    b.store().close().await;
}

fn start_server(url: &str) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        // The visitor limits off: this measures the message path, from one address.
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--db",
            url,
            "--visitor-starts-per-minute",
            "0",
            "--visitor-posts-per-minute",
            "0",
            "--conversation-posts-per-minute",
            "0",
        ])
        .env(
            "BATON_LOG",
            std::env::var("BATON_LOAD_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start baton serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("baton serve exited before listening")
            .expect("read stdout");
        if let Some(rest) = line.strip_prefix("Baton is serving on ") {
            let addr = rest.split_whitespace().next().expect("address");
            break addr.to_owned();
        }
    };
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "load goes to loopback only, not {base}"
    );
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (server, base)
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
    events: std::collections::BTreeMap<String, usize>,
}

async fn start_conversations(client: &reqwest::Client, base: &str, n: usize) -> Vec<(i64, String)> {
    let url = format!("{base}/v1/visitor/conversations");
    let mut out = Vec::with_capacity(n);
    let mut pending = futures_util::stream::FuturesUnordered::new();
    use futures_util::StreamExt;
    for _ in 0..n {
        let (client, url) = (client.clone(), url.clone());
        pending.push(async move {
            let v: Value = client
                .post(&url)
                .json(&json!({}))
                .send()
                .await
                .expect("start conversation")
                .error_for_status()
                .expect("201")
                .json()
                .await
                .expect("json");
            (
                v["conversation"]["id"].as_i64().expect("id"),
                v["visitor_token"].as_str().expect("token").to_owned(),
            )
        });
        if pending.len() >= 16 {
            out.extend(pending.next().await);
        }
    }
    while let Some(c) = pending.next().await {
        out.push(c);
    }
    out
}

async fn worker(
    client: reqwest::Client,
    base: String,
    conversations: Arc<Vec<(i64, String)>>,
    first: usize,
    step: usize,
    measuring: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> Tally {
    let mut tally = Tally::default();
    let mut k = first;
    'outer: loop {
        let (id, token) = &conversations[k % conversations.len()];
        let url = format!("{base}/v1/visitor/conversations/{id}/messages");
        for text in SCRIPT {
            if stop.load(Ordering::Relaxed) {
                break 'outer;
            }
            let t = Instant::now();
            let res = client
                .post(&url)
                .header("x-visitor-token", token)
                .json(&json!({ "text": text }))
                .send()
                .await;
            let body: Option<Value> = match res {
                Ok(r) if r.status().is_success() => r.json().await.ok(),
                _ => None,
            };
            let elapsed = t.elapsed();
            if !measuring.load(Ordering::Relaxed) {
                continue;
            }
            match body {
                Some(v) => {
                    tally.latencies.push(elapsed);
                    let kinds = v["events"].as_array().map_or_else(Vec::new, |e| {
                        e.iter()
                            .filter_map(|e| e["type"].as_str().map(str::to_owned))
                            .collect()
                    });
                    for kind in kinds {
                        *tally.events.entry(kind).or_default() += 1;
                    }
                    if v["events"].as_array().is_some_and(|e| e.is_empty()) {
                        *tally.events.entry("(silent)".into()).or_default() += 1;
                    }
                }
                None => tally.errors += 1,
            }
        }
        k += step;
    }
    tally
}

async fn run(label: &str, url: &str) {
    let secs: u64 = env("BATON_LOAD_SECS", 20).min(600);
    let warmup: u64 = env("BATON_LOAD_WARMUP_SECS", 3).min(60);
    let concurrency: usize = env("BATON_LOAD_CONCURRENCY", 32).clamp(1, 512);
    let conversation_count: usize = env("BATON_LOAD_CONVERSATIONS", 8000).clamp(1, 200_000);

    prepare(url).await;
    let (server, base) = start_server(url);
    let server_pid = server.0.id().to_string();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client");
    let t = Instant::now();
    let conversations = Arc::new(start_conversations(&client, &base, conversation_count).await);
    let created = t.elapsed();
    println!(
        "{label}: {} conversations started in {created:.2?} ({:.0}/s)",
        conversations.len(),
        conversations.len() as f64 / created.as_secs_f64()
    );

    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            tokio::spawn(worker(
                client.clone(),
                base.clone(),
                conversations.clone(),
                w,
                concurrency,
                measuring.clone(),
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(warmup)).await;
    let (server_cpu, own_cpu) = (cpu_time(&server_pid), cpu_time("self"));
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let server_cpu = cpu_time(&server_pid)
        .zip(server_cpu)
        .map(|(b, a)| b.saturating_sub(a));
    let own_cpu = cpu_time("self")
        .zip(own_cpu)
        .map(|(b, a)| b.saturating_sub(a));
    stop.store(true, Ordering::Relaxed);
    let mut all = Tally::default();
    for w in workers {
        let t = w.await.expect("worker");
        all.latencies.extend(t.latencies);
        all.errors += t.errors;
        for (k, n) in t.events {
            *all.events.entry(k).or_default() += n;
        }
    }
    drop(server);

    let lat = &mut all.latencies;
    lat.sort_unstable();
    let at = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1))];
    println!(
        "{label}: {} messages in {elapsed:.1?} with {concurrency} in flight: {:.0} messages/s, {} errors",
        lat.len(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        all.errors
    );
    if !lat.is_empty() {
        println!(
            "{label}: latency p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  max {:.2?}",
            at(0.5),
            at(0.9),
            at(0.99),
            lat[lat.len() - 1]
        );
    }
    if let (Some(server), Some(own)) = (server_cpu, own_cpu) {
        let n = lat.len().max(1) as f64;
        println!(
            "{label}: CPU: server {:.0}% of a core ({:.0} µs per message), load generator {:.0}%",
            100.0 * server.as_secs_f64() / elapsed.as_secs_f64(),
            server.as_secs_f64() * 1e6 / n,
            100.0 * own.as_secs_f64() / elapsed.as_secs_f64(),
        );
    }
    println!("{label}: replies {:?}", all.events);
}

#[tokio::main]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --benches` compiles and lists this; the load test runs under `cargo bench`.
        return;
    }
    let db = std::env::var("BATON_LOAD_DB").unwrap_or_else(|_| "sqlite".into());
    if db == "sqlite" {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("load.db").display());
        run("sqlite", &url).await;
    } else {
        let name = format!("baton_bench_load_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&db).await.expect("connect");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create database");
        let mut url = url::Url::parse(&db).expect("postgres url");
        url.set_path(&name);
        run("postgres", url.as_str()).await;
        conn.execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
            .await
            .expect("drop database");
    }
}
