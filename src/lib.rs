//! Baton's core: human handoff for AI chat agents. The desktop shell (`src-tauri`), the HTTP
//! server (`http`) and the CLI are thin layers over the operations on [`Baton`], listed once in
//! [`api`].

pub mod actions;
pub mod agents;
pub mod api;
pub mod auth;
pub mod bindings;
pub mod chat;
pub mod cli;
pub mod cluster;
pub mod conversations;
pub mod engine;
pub mod error;
pub mod fields;
pub mod handoff;
pub mod http;
pub mod json;
pub mod knowledge;
pub mod leads;
pub mod notify;
pub mod operators;
pub mod outbound;
pub mod outbox;
pub mod public_url;
pub mod rotation;
pub mod schedule;
pub mod secrets;
pub mod sessions;
pub mod store;
pub mod template;
pub mod text;
pub mod tokens;
pub mod webhooks;

pub use error::{Error, Result};

/// Database identifier of every stored object (integers, as in the seed contract).
pub type Id = i64;

/// The application core: a handle on the store. Cheap to clone.
#[derive(Clone)]
pub struct Baton {
    store: store::Store,
    events: conversations::events::EventHub,
    /// Engines per agent, with the settings timestamp they were built from.
    engines: EngineCache,
    /// The time the engines' circuit breakers go by (a test's clock in tests).
    engine_clock: engine::breaker::Clock,
    /// Handoff configurations per agent, compiled for the decision pipeline.
    configs: conversations::pipeline::ConfigCache,
    /// Active actions per agent, for the pipeline (see `Baton::actions_active`).
    actions: actions::ActiveCache,
    /// One visitor message at a time per conversation.
    /// Wakes the notification worker when something is queued.
    notifier: std::sync::Arc<tokio::sync::Notify>,
    /// Bumped when a credential may have been revoked (see `Baton::credentials_changed`).
    credentials: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
    conversation_locks: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<Id, std::sync::Arc<tokio::sync::Mutex<()>>>>,
    >,
    /// This process among the others on the same PostgreSQL database, and what it tells them
    /// (see [`cluster`]).
    origin: u64,
    relay: cluster::Relay,
}

type EngineCache = std::sync::Arc<
    tokio::sync::Mutex<
        std::collections::HashMap<Id, (Option<chrono::DateTime<chrono::Utc>>, engine::Engine)>,
    >,
>;

impl std::fmt::Debug for Baton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Baton")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Baton {
    /// Opens the database at `url`, applies migrations and makes sure a default agent exists.
    pub async fn open(url: &str) -> Result<Baton> {
        // The classifier's lexicons compile once, here rather than in the first visitor's wait.
        engine::builtin::classify::warm_up();
        let store = store::Store::connect(url).await?;
        let baton = Baton {
            // Every write that queues a job wakes the worker, whichever path made it.
            notifier: store.jobs_notifier(),
            store,
            events: Default::default(),
            engines: Default::default(),
            engine_clock: engine::breaker::wall_clock(),
            configs: Default::default(),
            actions: Default::default(),
            credentials: std::sync::Arc::new(tokio::sync::watch::channel(0).0),
            conversation_locks: Default::default(),
            origin: cluster::process_id(),
            relay: Default::default(),
        };
        baton.agent_ensure_default().await?;
        // Credentials an older Baton stored in clear are sealed now (no migration can: the key
        // is not in the database).
        let engines = baton.engine_keys_seal_stored_in_clear().await?;
        let smtp = baton.smtp_password_seal_stored_in_clear().await?;
        if engines > 0 || smtp {
            tracing::info!(engines, smtp, "sealed credentials stored in clear");
        }
        Ok(baton)
    }

    /// This core with the model endpoints' circuit breakers on `clock` (tests move it by hand
    /// instead of waiting out a cool-down).
    pub fn with_engine_clock(mut self, clock: engine::breaker::Clock) -> Baton {
        self.engine_clock = clock;
        self.engines = Default::default();
        self
    }

    pub fn store(&self) -> &store::Store {
        &self.store
    }

    pub fn events(&self) -> &conversations::events::EventHub {
        &self.events
    }
}
