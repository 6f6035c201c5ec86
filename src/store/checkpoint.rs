//! SQLite checkpoints off the write path.
//!
//! In WAL mode with `synchronous = NORMAL` a commit appends its pages to the WAL and does not
//! wait for the disk; the only waits for the disk are the checkpoints, which copy the WAL back
//! into the database file between two fsyncs. SQLite runs one by itself in whichever
//! connection commits once the WAL passes 1,000 pages (every ~150 action-log rows, fewer
//! messages): that write, and the visitor or action run behind it, then waits for both fsyncs
//! (~8 ms each on the 2-core test machine's disk, where a whole action run takes ~0.3 ms).
//!
//! So the store's connections leave checkpoints to a task of their own: every
//! [`INTERVAL`] it runs a passive checkpoint (which waits for no writer and no reader; a
//! writer keeps appending meanwhile) on a connection of its own. The connections' own
//! automatic checkpoint stays on at [`SAFETY_PAGES`], far above what the task lets the WAL
//! reach, as a bound should the task fall behind. The task ends with [`Store::close`] or
//! when the last clone of the store is dropped; closing the last connection checkpoints what
//! is left, as SQLite always does.
//!
//! [`Store::close`]: super::Store::close

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::SqliteConnection;

/// How often the task checkpoints (a checkpoint with nothing new in the WAL costs nothing).
pub(crate) const INTERVAL: Duration = Duration::from_millis(500);

/// The WAL size, in pages, at which a committing connection checkpoints by itself anyway.
pub(crate) const SAFETY_PAGES: u32 = 16_384;

/// Held by every clone of the store; the task stops when it goes, or when told to.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    stop: tokio::sync::Notify,
    task: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Checkpointer {
    /// Starts the task on `conn`.
    pub(crate) fn start(conn: SqliteConnection) -> Arc<Checkpointer> {
        let me = Arc::new(Checkpointer {
            stop: tokio::sync::Notify::new(),
            task: Default::default(),
        });
        let task = tokio::spawn(run(conn, Arc::downgrade(&me)));
        *me.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
        me
    }

    /// Stops the task and waits for it (its connection closed).
    pub(crate) async fn stop(&self) {
        self.stop.notify_one();
        let task = self.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

async fn run(mut conn: SqliteConnection, owner: Weak<Checkpointer>) {
    loop {
        let stopped = {
            let Some(me) = owner.upgrade() else { break };
            tokio::select! {
                _ = me.stop.notified() => true,
                _ = tokio::time::sleep(INTERVAL) => false,
            }
        };
        if stopped || owner.strong_count() == 0 {
            break;
        }
        // PASSIVE: copies what no reader still needs, waits for nobody; "busy" only means
        // another process's checkpoint is under way.
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut conn)
            .await
        {
            tracing::debug!(%error, "SQLite checkpoint");
        }
    }
    let _ = sqlx::Connection::close(conn).await;
}

#[cfg(test)]
mod tests {
    use super::super::{Db, Store};

    /// Rows written and left in the WAL reach the database file by the task's checkpoint, with
    /// nobody committing past the automatic threshold; `close` stops the task.
    #[tokio::test]
    async fn the_task_checkpoints_the_wal_and_stops_with_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.db");
        let store = Store::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let Db::Sqlite(pool) = store.db() else {
            unreachable!()
        };
        sqlx::query("CREATE TABLE filler (t TEXT NOT NULL)")
            .execute(pool)
            .await
            .unwrap();
        // Let the task catch up with the schema, then note the file's size.
        tokio::time::sleep(super::INTERVAL * 3).await;
        let before = std::fs::metadata(&file).unwrap().len();
        for _ in 0..50 {
            sqlx::query("INSERT INTO filler (t) VALUES (hex(randomblob(4000)))")
                .execute(pool)
                .await
                .unwrap();
        }
        let mut grown = false;
        for _ in 0..20 {
            tokio::time::sleep(super::INTERVAL).await;
            if std::fs::metadata(&file).unwrap().len() >= before + 50 * 8000 {
                grown = true;
                break;
            }
        }
        assert!(
            grown,
            "the WAL was not checkpointed into {}",
            file.display()
        );
        let c = store.checkpoints.clone().unwrap();
        store.close().await;
        assert!(c.task.lock().unwrap().is_none(), "stopped and awaited");
    }
}
