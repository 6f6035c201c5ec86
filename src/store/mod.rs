//! Storage on SQLite (the embedded default) or PostgreSQL (teams), chosen by URL scheme.
//!
//! Queries are written once with `$N` placeholders, which both drivers accept, and compiled
//! for each backend by [`on_db!`]; where the dialects differ a query matches on the backend
//! explicitly. Each backend has its own migrations (`migrations/sqlite`, `migrations/postgres`),
//! applied at connect time and never edited once landed.

pub(crate) mod actions;
mod agents;
pub(crate) mod chat;
pub mod conversations;
mod engines;
mod handoff;
mod jobs;
mod knowledge;
pub mod lead_emails;
pub(crate) mod leads;
mod limits;
mod notifications;
mod operators;
pub(crate) mod sealed;
mod sessions;
mod tokens;
pub(crate) mod webhooks;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::ConnectOptions;

use crate::error::{Error, Result};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool the store holds; `$pool` is bound to the
/// concrete pool type in each arm, so one text compiles to two typed implementations.
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// SQLite takes one writer at a time: the busiest writes (messages, conversation state)
    /// queue here, in order, instead of polling SQLite's lock with sleeps in its busy handler,
    /// and go through this one connection of their own (none for an in-memory database, which
    /// has a single connection), whose page cache only its own writes invalidate.
    writer: std::sync::Arc<tokio::sync::Mutex<Option<SqliteWriter>>>,
    /// Writes waiting for the writer, committed together (group commit).
    queue: std::sync::Arc<conversations::WriteQueue>,
    own_writer: bool,
    /// Woken when a write queued outbox jobs (the outbox worker waits on it).
    jobs: std::sync::Arc<tokio::sync::Notify>,
    /// Where this process serves, the default public address for links (see `public_url`);
    /// kept here because the write path builds links into the events it queues.
    serving: std::sync::Arc<std::sync::RwLock<Option<String>>>,
}

/// The store's own SQLite connection for the busiest writes (see `Store::writer`).
#[derive(Debug)]
pub(crate) struct SqliteWriter {
    conn: SqliteConnection,
    /// A write was interrupted (its future dropped while the connection worked) and may have
    /// left a transaction open: it is rolled back before the connection is used again.
    interrupted: bool,
}

impl SqliteWriter {
    /// The connection, outside any transaction, and the flag to set while a write that could
    /// be interrupted half-way is under way.
    pub(crate) async fn ready(&mut self) -> (&mut SqliteConnection, &mut bool) {
        if self.interrupted {
            // Runs after whatever the connection was still doing; an error only means that
            // no transaction was open.
            let _ = sqlx::query("ROLLBACK").execute(&mut self.conn).await;
            self.interrupted = false;
        }
        (&mut self.conn, &mut self.interrupted)
    }
}

/// Runs `$body` with `$conn` bound to a `&mut SqliteConnection` that may write, in turn with
/// every other such write: the store's writer connection, or one from `$pool` when it has
/// none. (A macro, so that one text serves the owned and the pooled connection.)
macro_rules! sqlite_write {
    ($store:expr, $pool:expr, $conn:ident => $body:expr) => {{
        let mut writer = $store.writer().lock().await;
        match writer.as_mut() {
            Some(w) => {
                let ($conn, _) = w.ready().await;
                $body
            }
            None => {
                let mut pooled = $pool.acquire().await?;
                let $conn: &mut sqlx::SqliteConnection = &mut pooled;
                $body
            }
        }
    }};
}
pub(crate) use sqlite_write;

impl Store {
    /// Connects to `url` (`sqlite://path`, `sqlite::memory:`, `postgres://…`) and migrates.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = Store::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect_without_migrating(url: &str) -> Result<Store> {
        let writer: std::sync::Arc<tokio::sync::Mutex<Option<SqliteWriter>>> = Default::default();
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // In WAL mode NORMAL is crash-safe (no corruption); a power loss may drop the
                // last transactions, which FULL would have kept at the cost of an fsync per commit.
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if let Some(parent) = sqlite_file(url).and_then(|p| p.parent().map(PathBuf::from)) {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(&parent).map_err(|e| {
                        Error::Internal(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
            }
            // An in-memory database lives per connection: keep exactly one. Otherwise a few
            // readers (two cores are plenty busy with four) and the writer.
            let memory = url.contains(":memory:");
            let pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { 4 })
                // A SQLite connection cannot drop like a network one: no ping (a round
                // trip to the connection's thread) before every use.
                .test_before_acquire(false)
                .connect_with(opts.clone())
                .await?;
            if !memory {
                *writer.lock().await = Some(SqliteWriter {
                    conn: opts.connect().await?,
                    interrupted: false,
                });
            }
            Db::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Db::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?,
            )
        } else {
            return Err(Error::BadRequest {
                message: format!(
                    "unsupported database URL '{}': use sqlite://PATH or postgres://…",
                    redact_url(url)
                ),
                field: Some("db".into()),
            });
        };
        let own_writer = writer.lock().await.is_some();
        Ok(Store {
            db,
            writer,
            queue: Default::default(),
            own_writer,
            jobs: Default::default(),
            serving: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// The SQLite database file, when the store is one on disk (files kept beside it, such as
    /// the secret key, go in its directory).
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match &self.db {
            Db::Sqlite(pool) => {
                let options = pool.connect_options();
                let file = options.get_filename();
                let name = file.to_string_lossy();
                (!name.is_empty() && !name.contains(":memory:")).then(|| file.to_path_buf())
            }
            Db::Postgres(_) => None,
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// What the outbox worker waits on: notified whenever jobs were queued.
    pub fn jobs_notifier(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.jobs.clone()
    }

    /// Wakes the outbox worker: jobs were queued (after the commit).
    pub(crate) fn jobs_queued(&self) {
        self.jobs.notify_one();
    }

    /// Where this process serves (see `public_url`).
    pub(crate) fn serving(&self) -> &std::sync::RwLock<Option<String>> {
        &self.serving
    }

    pub(crate) fn queue(&self) -> &conversations::WriteQueue {
        &self.queue
    }

    /// Whether the store has a writer connection of its own (SQLite files).
    pub(crate) fn has_writer(&self) -> bool {
        self.own_writer
    }

    /// The SQLite writer (see `writer` and [`sqlite_write!`]).
    pub(crate) fn writer(&self) -> &std::sync::Arc<tokio::sync::Mutex<Option<SqliteWriter>>> {
        &self.writer
    }

    pub async fn close(&self) {
        if let Some(writer) = self.writer.lock().await.take() {
            let _ = sqlx::Connection::close(writer.conn).await;
        }
        on_db!(&self.db, pool => pool.close().await)
    }
}

/// The embedded default: `baton.db` in the OS data directory (e.g. `~/.local/share/baton`).
pub fn default_sqlite_url() -> String {
    let dir = dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("baton");
    format!("sqlite://{}", dir.join("baton.db").display())
}

/// The SQLite file a database URL names (none for PostgreSQL or an in-memory database).
pub fn sqlite_file_of(url: &str) -> Option<PathBuf> {
    sqlite_file(url)
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// A database URL fit for logs and error messages: the one URL masking, in `outbound::redact`.
pub use crate::outbound::redact_url;

pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    // Microsecond precision: what both databases store, so values round-trip exactly.
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}
