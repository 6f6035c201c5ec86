//! The inbox view (one page of 50 with the five view counts) from a database of 1,000,000
//! conversations, each with a last message. Target: under 20 ms on SQLite.
//!
//! `cargo bench --bench inbox` generates the database in a temporary SQLite file (set
//! `BATON_BENCH_POSTGRES_URL=postgres://…/postgres` to also run it on a new PostgreSQL database
//! created there and dropped afterwards; `BATON_BENCH_CONVERSATIONS` changes the size). The
//! status mix is 95% resolved, 2% with the AI, 1% needing an agent (unassigned), 1% needing
//! an agent already routed to an operator, 1% assigned; 20 operators share the assigned ones.
//! Every view is timed `ROUNDS` times through `Baton::inbox_list` as a signed-in operator;
//! p50/p99/max are printed, and the counts and page queries separately.

use std::time::{Duration, Instant};

use baton::auth::Actor;
use baton::conversations::inbox::{InboxQuery, InboxView};
use baton::operators::{OperatorCreate, Role};
use baton::Baton;
use sqlx::{Connection, Executor};

const ROUNDS: usize = 30;
const OPERATORS: i64 = 20;

fn conversations() -> i64 {
    std::env::var("BATON_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

/// The status, assignee and last message of conversation `i`, as SQL over an integer column `i`.
const STATUS: &str = "CASE WHEN i % 100 < 95 THEN 'resolved' WHEN i % 100 < 97 THEN 'ai' \
    WHEN i % 100 < 99 THEN 'needs_agent' ELSE 'assigned' END";
const ASSIGNEE: &str = "CASE WHEN i % 100 < 95 AND i % 2 = 0 THEN $2 + (i / 100) % $3 \
    WHEN i % 100 >= 98 THEN $2 + (i / 100) % $3 ELSE NULL END";

async fn generate_sqlite(url: &str, n: i64, first_operator: i64) -> sqlx::Result<()> {
    let mut conn = sqlx::SqliteConnection::connect(url).await?;
    conn.execute("PRAGMA synchronous = OFF").await?;
    let mut tx = conn.begin().await?;
    // Activity is spread over ~4 months, not in id order.
    let sql = format!(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1) \
         INSERT INTO conversations (agent_id, channel, visitor_id, visitor_token_hash, metadata, \
           status, assignee_id, gathered, failed_answers, follow_up, created_at, updated_at, \
           last_message_at, handed_off_at, resolved_at) \
         SELECT 1, 'widget', 'visitor-' || i, hex(randomblob(16)), '{{}}', {STATUS}, {ASSIGNEE}, \
           '{{}}', 0, 0, t, t, t, NULL, CASE WHEN i % 100 < 95 THEN t END \
         FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%f+00:00', 1735689600 + (i * 7919) % 10000000, \
           'unixepoch') AS t FROM seq)"
    );
    sqlx::query(&sql)
        .bind(n)
        .bind(first_operator)
        .bind(OPERATORS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO messages (conversation_id, author, text, attachments, internal, created_at) \
         SELECT id, 'visitor', 'Where is my order ' || id || '? It was due last week.', '[]', 0, \
         last_message_at FROM conversations",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    conn.close().await
}

async fn generate_postgres(url: &str, n: i64, first_operator: i64) -> sqlx::Result<()> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    let sql = format!(
        "INSERT INTO conversations (agent_id, channel, visitor_id, visitor_token_hash, metadata, \
           status, assignee_id, gathered, failed_answers, follow_up, created_at, updated_at, \
           last_message_at, handed_off_at, resolved_at) \
         SELECT 1, 'widget', 'visitor-' || i, md5(i::text), '{{}}', {STATUS}, {ASSIGNEE}, \
           '{{}}', 0, FALSE, t, t, t, NULL, CASE WHEN i % 100 < 95 THEN t END \
         FROM (SELECT i, to_timestamp(1735689600 + (i * 7919) % 10000000) AS t \
               FROM generate_series(1::bigint, $1) AS i) s"
    );
    sqlx::query(&sql)
        .bind(n)
        .bind(first_operator)
        .bind(OPERATORS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO messages (conversation_id, author, text, attachments, internal, created_at) \
         SELECT id, 'visitor', 'Where is my order ' || id || '? It was due last week.', '[]', FALSE, \
         last_message_at FROM conversations",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // What autovacuum would do shortly after a bulk load.
    conn.execute("VACUUM ANALYZE conversations").await?;
    conn.execute("VACUUM ANALYZE messages").await?;
    conn.close().await
}

fn stats(sample: &mut [Duration]) -> String {
    sample.sort_unstable();
    let at = |p: f64| sample[((sample.len() as f64 * p) as usize).min(sample.len() - 1)];
    format!(
        "p50 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}",
        at(0.5),
        at(0.99),
        sample[sample.len() - 1]
    )
}

async fn run(label: &str, url: &str, postgres: bool) {
    let n = conversations();
    let b = Baton::open(url).await.expect("open the database");
    let mut ops = Vec::new();
    for k in 0..OPERATORS {
        let op = b
            .operator_create(
                &Actor::Local,
                OperatorCreate {
                    name: format!("Operator {k}"),
                    email: format!("op{k}@example.com"),
                    role: Role::Agent,
                    password: None,
                },
            )
            .await
            .expect("create an operator");
        ops.push(op.id);
    }
    let t = Instant::now();
    if postgres {
        generate_postgres(url, n, ops[0]).await
    } else {
        generate_sqlite(url, n, ops[0]).await
    }
    .expect("generate conversations");
    println!(
        "{label}: generated {n} conversations and messages in {:.1?}",
        t.elapsed()
    );

    let me = Actor::Operator {
        operator_id: ops[3],
        role: Role::Agent,
    };
    let views = [
        InboxView::NeedsAgent,
        InboxView::AllOpen,
        InboxView::Mine,
        InboxView::Unassigned,
        InboxView::Resolved,
        InboxView::All,
    ];
    for view in views {
        let q = || InboxQuery {
            view: Some(view),
            limit: Some(50),
            ..Default::default()
        };
        let first = b.inbox_list(&me, q()).await.expect("inbox_list");
        assert_eq!(first.items.len().min(50), first.items.len());
        let (mut total, mut counts, mut items) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let page = b.inbox_list(&me, q()).await.expect("inbox_list");
            total.push(t.elapsed());
            std::hint::black_box(page);
            let t = Instant::now();
            let c = b
                .store()
                .inbox_counts(None, Some(ops[3]))
                .await
                .expect("counts");
            counts.push(t.elapsed());
            std::hint::black_box(c);
            let t = Instant::now();
            let i = b
                .store()
                .inbox_items(&q(), None, Some(ops[3]), None, 50)
                .await
                .expect("items");
            items.push(t.elapsed());
            std::hint::black_box(i);
        }
        println!(
            "{label} {:<12} inbox_list {}   (counts p50 {:.2?}, page p50 {:.2?}; {} items, next page: {})",
            format!("{view:?}"),
            stats(&mut total),
            counts[counts.len() / 2],
            items[items.len() / 2],
            first.items.len(),
            first.next_cursor.is_some(),
        );
    }
    println!(
        "{label} counts: {:?}",
        b.store()
            .inbox_counts(None, Some(ops[3]))
            .await
            .expect("counts")
    );
    b.store().close().await;
}

#[tokio::main]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --benches`: nothing to smoke-test cheaply here.
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // BATON_BENCH_INBOX_DB=path keeps the generated SQLite database there (to inspect plans).
    let file = std::env::var("BATON_BENCH_INBOX_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("inbox.db"));
    let url = format!("sqlite://{}", file.display());
    run("sqlite", &url, false).await;

    if let Ok(admin) = std::env::var("BATON_BENCH_POSTGRES_URL") {
        let name = format!("baton_bench_inbox_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create database");
        let mut url = url::Url::parse(&admin).expect("postgres url");
        url.set_path(&name);
        run("postgres", url.as_str(), true).await;
        conn.execute(format!("DROP DATABASE {name}").as_str())
            .await
            .expect("drop database");
    }
}
