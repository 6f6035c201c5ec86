//! Several `baton serve` processes on one PostgreSQL database: what one process publishes live
//! (a message, a state change, a handoff) and every credential change (a sign-out, a token
//! revoked, an operator changed) reach the streams of the others, through PostgreSQL's
//! `LISTEN`/`NOTIFY` on one channel. The outbox and the sign-in limits need nothing here: they
//! are rows in the shared database already.
//!
//! A notification carries the event itself, as JSON, with the sending process's id (its own
//! notifications come back to it and are skipped). PostgreSQL caps a payload at 8000 bytes: a
//! larger event goes as `missed` with its conversation, and the streams of that conversation
//! are told to fetch again (`lagged`, as for a slow client). While the listening connection is
//! down, notifications are lost; once it is back, every stream is told to fetch again.
//! On SQLite (one process) nothing of this runs.

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::mpsc;

use crate::conversations::events::{LiveEvent, LiveKind};
use crate::{Baton, Id};

/// The channel every process listens on.
pub const CHANNEL: &str = "baton_live";
/// PostgreSQL's payload limit is 8000 bytes; the rest is for the envelope.
const MAX_EVENT_BYTES: usize = 7800;

/// What one process tells the others.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub(crate) enum Note {
    Event {
        o: u64,
        e: LiveEvent,
    },
    /// An event too large to carry: its conversation's streams fetch again.
    Missed {
        o: u64,
        c: Id,
        a: Id,
    },
    /// A credential may have been revoked: streams check theirs again.
    Credentials {
        o: u64,
    },
}

/// A process's id among the others: random, fixed for the process's life.
pub(crate) fn process_id() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen()
}

/// The payload a note travels as (an event too large becomes `missed`).
pub(crate) fn payload(note: Note) -> String {
    let text = serde_json::to_string(&note).unwrap_or_default();
    if text.len() <= MAX_EVENT_BYTES {
        return text;
    }
    match note {
        Note::Event { o, e } => serde_json::to_string(&Note::Missed {
            o,
            c: e.conversation_id,
            a: e.agent_id,
        })
        .unwrap_or_default(),
        other => serde_json::to_string(&other).unwrap_or_default(),
    }
}

/// The relay's sending side, held by [`Baton`]: a queue the sender task empties, so that
/// publishing never waits on the database.
#[derive(Clone, Default)]
pub(crate) struct Relay(std::sync::Arc<std::sync::OnceLock<mpsc::UnboundedSender<Note>>>);

impl Relay {
    /// Queues the note made by `note`, only when this process relays at all (PostgreSQL,
    /// `baton serve`): on SQLite nothing is built.
    pub(crate) fn send(&self, note: impl FnOnce() -> Note) {
        if let Some(tx) = self.0.get() {
            let _ = tx.send(note());
        }
    }
}

impl Baton {
    /// Joins the other processes on this PostgreSQL database (nothing on SQLite): sends what
    /// this process publishes and relays what they publish to this process's streams, until
    /// the process ends. Started by `baton serve`.
    pub async fn cluster_worker(self) {
        let crate::store::Db::Postgres(pool) = self.store().db() else {
            return;
        };
        let pool = pool.clone();
        let (tx, rx) = mpsc::unbounded_channel();
        if self.relay.0.set(tx).is_err() {
            return; // already running
        }
        tokio::spawn(send_notes(pool.clone(), rx));
        let mut backoff = std::time::Duration::from_millis(200);
        loop {
            match self.listen(&pool).await {
                Ok(()) => backoff = std::time::Duration::from_millis(200),
                // Shutting down.
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "live relay: listening failed, retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(std::time::Duration::from_secs(10));
                }
            }
        }
    }

    /// Listens until the connection fails; what arrives goes to this process's streams.
    async fn listen(&self, pool: &PgPool) -> sqlx::Result<()> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        tracing::debug!("live relay: listening");
        loop {
            let Some(n) = listener.try_recv().await? else {
                // The connection was lost and is made again on the next call: anything sent
                // meanwhile is gone, so every stream fetches again.
                self.events().missed_everything();
                continue;
            };
            match serde_json::from_str::<Note>(n.payload()) {
                Ok(Note::Event { o, e }) if o != self.origin => self.events().publish(e),
                Ok(Note::Missed { o, c, a }) if o != self.origin => {
                    self.events().publish(LiveEvent {
                        conversation_id: c,
                        agent_id: a,
                        kind: LiveKind::Missed {},
                    })
                }
                Ok(Note::Credentials { o }) if o != self.origin => self.credentials_bump(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "live relay: a note not understood"),
            }
        }
    }
}

/// Sends the queued notes, one `pg_notify` each (in order: one sender).
async fn send_notes(pool: PgPool, mut rx: mpsc::UnboundedReceiver<Note>) {
    while let Some(note) = rx.recv().await {
        let text = payload(note);
        if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&text)
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "live relay: a note was not sent");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversations::model::{Message, Status};

    #[test]
    fn a_large_event_travels_as_missed_and_a_small_one_whole() {
        let message = |text: String| LiveEvent {
            conversation_id: 7,
            agent_id: 2,
            kind: LiveKind::Message {
                message: serde_json::from_value(serde_json::json!({
                    "id": 1, "conversation_id": 7, "author": "visitor", "operator_id": null,
                    "text": text, "attachments": [], "internal": false,
                    "created_at": "2026-12-01T10:00:00Z"
                }))
                .map(|m: Message| m)
                .unwrap(),
            },
        };
        let small = payload(Note::Event {
            o: 1,
            e: message("hello".into()),
        });
        match serde_json::from_str::<Note>(&small).unwrap() {
            Note::Event { e, .. } => match e.kind {
                LiveKind::Message { message } => assert_eq!(message.text, "hello"),
                k => panic!("{k:?}"),
            },
            n => panic!("{n:?}"),
        }
        let large = payload(Note::Event {
            o: 1,
            e: message("é".repeat(5000)),
        });
        assert!(large.len() < 8000);
        assert!(matches!(
            serde_json::from_str::<Note>(&large).unwrap(),
            Note::Missed { o: 1, c: 7, a: 2 }
        ));
        let updated = LiveEvent {
            conversation_id: 7,
            agent_id: 2,
            kind: LiveKind::Updated {
                status: Status::NeedsAgent,
                assignee_id: None,
                priority: None,
            },
        };
        assert!(payload(Note::Event { o: 3, e: updated }).contains("needs_agent"));
    }
}
