//! The export's control: progress (rows written of rows to write) reaches the total and never
//! goes down; a cancelled or failed export to a path leaves nothing under the chosen name
//! (and a file already there untouched), nor its temporary file; on both databases.

use crate::common;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use baton::auth::Actor;
use baton::leads::export::{ExportControl, ExportOutcome, ExportPlan, ExportProgress};
use baton::Baton;
use serde_json::json;

const ME: &Actor = &Actor::Local;
/// 2026-11-01T00:00:00Z.
const DAY_START: i64 = 1_793_491_200;

/// `n` leads of the default agent created on 2026-11-01 (UTC), one a second, and one the day
/// after (outside the export); `corrupt_at`: that lead's custom fields are not JSON, which
/// the cursor fails on part-way.
async fn seed(url: &str, agent: i64, n: i64, corrupt_at: Option<i64>) {
    let custom = "CASE WHEN i = $3 THEN 'not json' ELSE '{\"company\":\"Ölwerk\"}' END";
    let cols = "INSERT INTO leads (agent_id, visitor_id, name, email, email_key, phone, custom, \
                source, created_at, updated_at)";
    let pick = |at: &str| {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2 + 1) \
             {cols} SELECT $1, 'v' || i, 'Lead ' || i, 'l' || i || '@example.com', \
             'l' || i || '@example.com', '=1+' || i, {custom}, 'gathering', {at}, {at} FROM n"
        )
    };
    let corrupt = corrupt_at.unwrap_or(-1);
    if url.starts_with("sqlite") {
        // Day 2 for the last one; sqlx stores SQLite times as RFC 3339 text, `+00:00`.
        let at = format!(
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', {DAY_START} + CASE WHEN i > $2 THEN 86400 ELSE i - 1 END, 'unixepoch')"
        );
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(&pick(&at))
            .bind(agent)
            .bind(n)
            .bind(corrupt)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    } else {
        let at = format!("to_timestamp({DAY_START} + CASE WHEN i > $2 THEN 86400 ELSE i - 1 END)");
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(&pick(&at).replace("SELECT 1 UNION", "SELECT 1::bigint UNION"))
            .bind(agent)
            .bind(n)
            .bind(corrupt)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
}

async fn plan(b: &Baton, format: &str) -> ExportPlan {
    b.lead_export_plan(
        ME,
        serde_json::from_value(json!({"format": format, "from": "2026-11-01", "to": "2026-11-01"}))
            .unwrap(),
    )
    .await
    .unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A control recording every progress report.
fn recording() -> (ExportControl, Arc<Mutex<Vec<ExportProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let control = ExportControl::new().on_progress(move |p| log.lock().unwrap().push(p));
    (control, seen)
}

#[tokio::test]
async fn progress_reaches_the_total_and_never_goes_down() {
    for db in common::all_dbs().await {
        let label = db.label;
        let b = Baton::open(&db.url).await.unwrap();
        let agent = b.agent_list(ME).await.unwrap()[0].id;
        seed(&db.url, agent, 2500, None).await;
        let dir = tempfile::tempdir().unwrap();
        for format in ["csv", "xlsx"] {
            let plan = plan(&b, format).await;
            assert_eq!(
                plan.rows, 2500,
                "{label}: the day's leads, not the next day's"
            );
            let (control, seen) = recording();
            let path = dir.path().join(format!("leads.{format}"));
            let out = b.lead_export_to_path(&plan, &path, &control).await.unwrap();
            assert_eq!(out, ExportOutcome::Done(2500), "{label} {format}");
            let seen = seen.lock().unwrap().clone();
            assert_eq!(
                seen.first(),
                Some(&ExportProgress {
                    written: 0,
                    total: 2500
                })
            );
            assert_eq!(
                seen.last(),
                Some(&ExportProgress {
                    written: 2500,
                    total: 2500
                }),
                "{label} {format}: {seen:?}"
            );
            assert!(seen.len() >= 3, "{label}: reported along the way: {seen:?}");
            assert!(
                seen.windows(2).all(|w| w[0].written <= w[1].written),
                "{label} {format}: monotonic: {seen:?}"
            );
            assert!(seen.iter().all(|p| p.total == 2500 && p.written <= p.total));
            assert_eq!(
                control.progress(),
                ExportProgress {
                    written: 2500,
                    total: 2500
                }
            );
            assert!(std::fs::metadata(&path).unwrap().len() > 0);
            // The writer failing (a full disk) is an error too, not a short file.
            let e = b
                .lead_export_write(
                    &plan,
                    Failing {
                        written: 0,
                        limit: 10_000,
                    },
                    &ExportControl::new(),
                )
                .await
                .unwrap_err();
            assert!(e.to_string().contains("disk full"), "{label} {format}: {e}");
        }
        let csv = std::fs::read_to_string(dir.path().join("leads.csv")).unwrap();
        assert_eq!(
            csv.lines().count(),
            2501,
            "{label}: the header and every lead"
        );
        assert!(
            csv.contains(",'=1+2500,"),
            "{label}: the formula guard still applies"
        );
        assert_eq!(files(dir.path()), ["leads.csv", "leads.xlsx"], "{label}");
    }
}

#[tokio::test]
async fn a_cancelled_export_leaves_no_file_and_an_existing_one_untouched() {
    for db in common::all_dbs().await {
        let label = db.label;
        let b = Baton::open(&db.url).await.unwrap();
        let agent = b.agent_list(ME).await.unwrap()[0].id;
        seed(&db.url, agent, 5000, None).await;
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("existing.xlsx");
        std::fs::write(&existing, b"an older export").unwrap();
        for format in ["csv", "xlsx"] {
            let plan = plan(&b, format).await;
            for path in [dir.path().join(format!("new.{format}")), existing.clone()] {
                // Cancelled from the progress report, as a Cancel button would mid-way.
                let control = ExportControl::new();
                let cancel = control.cancel_handle();
                let seen = Arc::new(Mutex::new(Vec::new()));
                let log = seen.clone();
                let control = ExportControl::on_progress(control, move |p| {
                    log.lock().unwrap().push(p);
                    if p.written >= 2000 {
                        cancel.cancel();
                    }
                });
                let out = b.lead_export_to_path(&plan, &path, &control).await.unwrap();
                assert_eq!(out, ExportOutcome::Cancelled, "{label} {format}");
                let written = control.progress().written;
                assert!(
                    (2000..5000).contains(&written),
                    "{label}: stopped mid-way, at {written}"
                );
                assert_eq!(
                    files(dir.path()),
                    ["existing.xlsx"],
                    "{label} {format}: no half file, no temporary file"
                );
                assert_eq!(std::fs::read(&existing).unwrap(), b"an older export");
            }
        }
    }
}

/// A `Write + Seek` that fails once `limit` bytes were written to it.
struct Failing {
    written: usize,
    limit: usize,
}

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > self.limit {
            return Err(std::io::Error::other("disk full"));
        }
        self.written += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for Failing {
    fn seek(&mut self, _: SeekFrom) -> std::io::Result<u64> {
        Ok(self.written as u64)
    }
}

#[tokio::test]
async fn a_failing_export_leaves_no_file() {
    for db in common::all_dbs().await {
        let label = db.label;
        let b = Baton::open(&db.url).await.unwrap();
        let agent = b.agent_list(ME).await.unwrap()[0].id;
        // Lead 1500 of the day cannot be read: the cursor fails after 1499 rows were written.
        seed(&db.url, agent, 3000, Some(1500)).await;
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("existing.csv");
        std::fs::write(&existing, b"an older export").unwrap();
        for format in ["csv", "xlsx"] {
            let plan = plan(&b, format).await;
            for path in [dir.path().join(format!("new.{format}")), existing.clone()] {
                let (control, seen) = recording();
                let e = b
                    .lead_export_to_path(&plan, &path, &control)
                    .await
                    .unwrap_err();
                assert!(e.to_string().contains("custom fields"), "{label}: {e}");
                assert!(
                    seen.lock().unwrap().iter().any(|p| p.written >= 1000),
                    "{label} {format}: it failed part-way, not before the first row"
                );
                assert_eq!(files(dir.path()), ["existing.csv"], "{label} {format}");
                assert_eq!(std::fs::read(&existing).unwrap(), b"an older export");
            }
        }
        // A directory that does not exist: an error, and nothing made.
        let plan = plan(&b, "csv").await;
        let missing = dir.path().join("no-such-dir").join("leads.csv");
        assert!(b
            .lead_export_to_path(&plan, &missing, &ExportControl::new())
            .await
            .is_err());
        assert_eq!(files(dir.path()), ["existing.csv"], "{label}");
    }
}

#[tokio::test]
async fn csv_is_streamed_over_http_and_a_failure_part_way_breaks_the_transfer() {
    for db in common::all_dbs().await {
        let label = db.label;
        let s = common::TestServer::start(db).await;
        let agent = s.baton.agent_list(ME).await.unwrap()[0].id;
        seed(&s.db.url, agent, 3000, None).await;
        let get = |q: &str| {
            common::client()
                .get(s.url(&format!(
                    "/v1/leads/export?from=2026-11-01&to=2026-11-01&{q}"
                )))
                .bearer_auth(&s.token)
                .send()
        };
        // CSV: no length up front (it is not written before it is sent), every row.
        let r = get("format=csv").await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-total-count"], "3000");
        assert!(
            r.headers().get("content-length").is_none(),
            "{label}: {:?}",
            r.headers()
        );
        let body = r.text().await.unwrap();
        assert_eq!(body.lines().count(), 3001, "{label}");
        // XLSX: written first, sent with its length.
        let r = get("format=xlsx").await.unwrap();
        assert_eq!(r.status(), 200);
        let len: usize = r.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(r.bytes().await.unwrap().len(), len, "{label}");
        s.stop().await;
    }
    for db in common::all_dbs().await {
        let label = db.label;
        let s = common::TestServer::start(db).await;
        let agent = s.baton.agent_list(ME).await.unwrap()[0].id;
        // Lead 2500 cannot be read: by then more than a 64 KiB chunk was sent.
        seed(&s.db.url, agent, 3000, Some(2500)).await;
        let r = common::client()
            .get(s.url("/v1/leads/export?format=csv&from=2026-11-01&to=2026-11-01"))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "{label}: the rows before it were on their way"
        );
        assert!(
            r.bytes().await.is_err(),
            "{label}: the transfer is broken, not a short file that looks complete"
        );
        s.stop().await;
    }
}
