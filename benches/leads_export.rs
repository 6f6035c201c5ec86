//! The leads export and the lead list at 1,000,000 leads. Targets (issue 11): XLSX under 15 s
//! and under 100 MB peak RSS, CSV under 5 s, the Leads page's first view under 20 ms.
//!
//! `cargo bench --bench leads_export` generates the leads in a temporary SQLite file (set
//! `BATON_BENCH_POSTGRES_URL=postgres://…/postgres` to also run on a new PostgreSQL database
//! created there and dropped afterwards; `BATON_BENCH_LEADS` changes the number). Each lead has
//! a name, an email, a phone, a custom field, a source, and half of them a consent text and
//! time; they are spread over November 2026, which is exported whole with all 10 columns.
//!
//! 8 of the 10 cells per row hold a value on average (the consent on every other lead; the
//! conversation column is empty: the generated leads have no conversations).
//!
//! Each export runs in a child process (this binary again), so that its peak RSS (`VmHWM`) is
//! the export's alone, not the generation's. `rust_xlsxwriter` alone writes the same number of
//! cells of the same kinds without a database, in a child too: the export's ceiling.

use std::path::Path;
use std::time::{Duration, Instant};

use baton::auth::Actor;
use baton::leads::export::{ExportControl, ExportOutcome};
use baton::leads::model::LeadQuery;
use baton::Baton;
use sqlx::{Connection, Executor};

const ROUNDS: usize = 30;
/// 2026-11-01T00:00:00Z; the leads cover the 30 days from there.
const START: i64 = 1_793_491_200;
const SPAN: i64 = 30 * 86_400;

fn leads() -> i64 {
    std::env::var("BATON_BENCH_LEADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

/// The values of lead `i` as SQL over an integer column `i` and the lead count `$2`.
fn values(at: &str, consent_at: &str) -> String {
    format!(
        "$1, 'visitor-' || i, 'Lead Person ' || i, 'lead' || i || '@example.com', \
         'lead' || i || '@example.com', '+4930' || (1000000 + i), \
         '{{\"company\":\"Company ' || (i % 1000) || '\"}}', \
         CASE WHEN i % 3 = 0 THEN 'contact_form' ELSE 'gathering' END, \
         CASE WHEN i % 2 = 0 THEN 'I agree to be contacted about my request.' END, \
         CASE WHEN i % 2 = 0 THEN {consent_at} END, {at}, {at}"
    )
}

const COLUMNS: &str = "INSERT INTO leads (agent_id, visitor_id, name, email, email_key, phone, \
    custom, source, consent_text, consent_at, created_at, updated_at)";

async fn generate_sqlite(url: &str, agent: i64, n: i64) -> sqlx::Result<()> {
    let mut conn = sqlx::SqliteConnection::connect(url).await?;
    conn.execute("PRAGMA synchronous = OFF").await?;
    let mut tx = conn.begin().await?;
    let t = format!(
        "strftime('%Y-%m-%dT%H:%M:%S+00:00', {START} + (i - 1) * {SPAN} / $2, 'unixepoch')"
    );
    let sql = format!(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2) \
         {COLUMNS} SELECT {} FROM seq",
        values(&t, &t)
    );
    sqlx::query(&sql)
        .bind(agent)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    conn.execute("ANALYZE").await?;
    conn.close().await
}

async fn generate_postgres(url: &str, agent: i64, n: i64) -> sqlx::Result<()> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let t = format!("to_timestamp({START} + (i - 1) * {SPAN} / $2)");
    let sql = format!(
        "{COLUMNS} SELECT {} FROM generate_series(1::bigint, $2) AS i",
        values(&t, &t)
    );
    sqlx::query(&sql)
        .bind(agent)
        .bind(n)
        .execute(&mut conn)
        .await?;
    // What autovacuum would do shortly after a bulk load.
    conn.execute("VACUUM ANALYZE leads").await?;
    conn.close().await
}

fn stats(sample: &mut [Duration]) -> String {
    sample.sort_unstable();
    let at = |p: f64| sample[((sample.len() as f64 * p) as usize).min(sample.len() - 1)];
    format!(
        "p50 {:.2?}  p99 {:.2?}  max {:.2?}",
        at(0.5),
        at(0.99),
        sample[sample.len() - 1]
    )
}

/// Peak resident memory of this process, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system, all threads) this process has used: what the export costs
/// whatever else the machine runs.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name in parentheses: fields 14 and 15 are utime and stime in ticks.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Child: exports November to `path` and prints `rows seconds peak_mb cpu_seconds`.
async fn child_export(url: &str, format: &str, path: &Path) {
    let b = Baton::open(url).await.expect("open the database");
    let t = Instant::now();
    let plan = b
        .lead_export_plan(
            &Actor::Local,
            serde_json::from_value(serde_json::json!({
                "format": format, "from": "2026-11-01", "to": "2026-11-30"
            }))
            .expect("query"),
        )
        .await
        .expect("plan");
    let out = b
        .lead_export_to_path(&plan, path, &ExportControl::new())
        .await
        .expect("export");
    let ExportOutcome::Done(rows) = out else {
        panic!("cancelled")
    };
    println!(
        "{rows} {:.3} {:.1} {:.2}",
        t.elapsed().as_secs_f64(),
        peak_rss_mb(),
        cpu_seconds()
    );
}

/// Child: `rust_xlsxwriter` alone, constant memory, the same cells as the export of `n`
/// generated leads (a number, dates, strings; the same empty ones); prints
/// `cells seconds peak_mb`.
fn child_xlsx_alone(n: u32, path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let t = Instant::now();
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let sheet = book.add_worksheet_with_constant_memory().expect("sheet");
    let base = chrono::DateTime::from_timestamp(START, 0)
        .expect("time")
        .naive_utc();
    let mut cells = 0u64;
    for i in 1..=n {
        let at = base + chrono::Duration::seconds(i64::from(i) * SPAN / i64::from(n));
        let row = i;
        sheet.write_number(row, 0, f64::from(i)).expect("cell");
        sheet
            .write_datetime_with_format(row, 1, at, &date)
            .expect("cell");
        sheet
            .write_string(row, 2, format!("Lead Person {i}"))
            .expect("cell");
        sheet
            .write_string(row, 3, format!("lead{i}@example.com"))
            .expect("cell");
        sheet
            .write_string(row, 4, format!("+4930{}", 1_000_000 + i))
            .expect("cell");
        sheet.write_string(row, 5, "gathering").expect("cell");
        if i % 2 == 0 {
            sheet
                .write_string(row, 6, "I agree to be contacted about my request.")
                .expect("cell");
            sheet
                .write_datetime_with_format(row, 7, at, &date)
                .expect("cell");
        }
        // Column 8 (the conversation) is empty in the generated leads too.
        sheet
            .write_string(row, 9, format!("company: Company {}", i % 1000))
            .expect("cell");
        cells += if i % 2 == 0 { 9 } else { 7 };
    }
    book.save(path).expect("save");
    println!(
        "{cells} {:.3} {:.1} {:.2}",
        t.elapsed().as_secs_f64(),
        peak_rss_mb(),
        cpu_seconds()
    );
}

/// Runs this binary as a child with `args`; its printed `count seconds peak_mb cpu_seconds`.
fn child(args: &[&str]) -> (u64, f64, f64, f64) {
    let exe = std::env::current_exe().expect("this binary");
    let out = std::process::Command::new(exe)
        .arg("--bench")
        .args(args)
        .output()
        .expect("run the child");
    assert!(
        out.status.success(),
        "child {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let mut next = || it.next().expect("child output").to_owned();
    (
        next().parse().expect("count"),
        next().parse().expect("seconds"),
        next().parse().expect("peak"),
        next().parse().expect("cpu"),
    )
}

async fn run(label: &str, url: &str, postgres: bool, dir: &Path) {
    let n = leads();
    let b = Baton::open(url).await.expect("open the database");
    let agent = b.agent_list(&Actor::Local).await.expect("agents")[0].id;
    let t = Instant::now();
    if postgres {
        generate_postgres(url, agent, n).await
    } else {
        generate_sqlite(url, agent, n).await
    }
    .expect("generate leads");
    println!("{label}: generated {n} leads in {:.1?}", t.elapsed());

    // The Leads page's first view: the newest 50 (what the UI asks for first).
    let q = || LeadQuery {
        limit: Some(50),
        ..Default::default()
    };
    let first = b.lead_list(&Actor::Local, q()).await.expect("lead_list");
    assert_eq!(first.leads.len(), 50);
    let mut sample = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        std::hint::black_box(b.lead_list(&Actor::Local, q()).await.expect("lead_list"));
        sample.push(t.elapsed());
    }
    println!("{label} first view (50 newest): {}", stats(&mut sample));
    // A page deep down the list (the virtualised list scrolled far).
    let deep = || LeadQuery {
        limit: Some(50),
        before_id: Some(n / 10),
        ..Default::default()
    };
    let mut sample = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        std::hint::black_box(b.lead_list(&Actor::Local, deep()).await.expect("lead_list"));
        sample.push(t.elapsed());
    }
    println!("{label} a page at 90% down: {}", stats(&mut sample));
    b.store().close().await;

    for format in ["csv", "xlsx"] {
        let path = dir.join(format!("{label}.{format}"));
        let (rows, secs, peak, cpu) =
            child(&["--export", url, format, path.to_str().expect("path")]);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "{label} {format}: {rows} rows in {secs:.2} s, CPU {cpu:.2} s ({:.0} rows/s, \
             {:.0} cells/s), peak RSS {peak:.0} MB, file {:.0} MB",
            rows as f64 / secs,
            rows as f64 * 8.0 / secs,
            size as f64 / 1e6
        );
        let _ = std::fs::remove_file(&path);
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches`: nothing to smoke-test cheaply here.
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--export") {
        child_export(&args[i + 1], &args[i + 2], Path::new(&args[i + 3])).await;
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--xlsx-alone") {
        child_xlsx_alone(args[i + 1].parse().expect("n"), Path::new(&args[i + 2]));
        return;
    }
    println!(
        "load average at start: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let n = leads();
    let alone = dir.path().join("alone.xlsx");
    let (cells, secs, peak, cpu) = child(&[
        "--xlsx-alone",
        &n.to_string(),
        alone.to_str().expect("path"),
    ]);
    println!(
        "rust_xlsxwriter alone: {n} rows, {cells} cells in {secs:.2} s, CPU {cpu:.2} s \
         ({:.0} rows/s, {:.0} cells/s), peak RSS {peak:.0} MB",
        n as f64 / secs,
        cells as f64 / secs
    );
    let _ = std::fs::remove_file(&alone);

    // BATON_BENCH_LEADS_DB=path keeps the generated SQLite database there (to profile).
    let file = std::env::var("BATON_BENCH_LEADS_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("leads.db"));
    let url = format!("sqlite://{}", file.display());
    run("sqlite", &url, false, dir.path()).await;

    if let Ok(admin) = std::env::var("BATON_BENCH_POSTGRES_URL") {
        let name = format!("baton_bench_leads_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create database");
        let mut url = url::Url::parse(&admin).expect("postgres url");
        url.set_path(&name);
        run("postgres", url.as_str(), true, dir.path()).await;
        conn.execute(format!("DROP DATABASE {name}").as_str())
            .await
            .expect("drop database");
    }
    println!(
        "load average at end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
}
