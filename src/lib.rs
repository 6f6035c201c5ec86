//! Baton's core: human handoff for AI chat agents. The desktop shell (`src-tauri`), the HTTP
//! server (`http`) and the CLI are thin layers over the operations on [`Baton`], listed once in
//! [`api`].

pub mod agents;
pub mod api;
pub mod auth;
pub mod bindings;
pub mod cli;
pub mod error;
pub mod handoff;
pub mod http;
pub mod json;
pub mod operators;
pub mod schedule;
pub mod store;
pub mod tokens;

pub use error::{Error, Result};

/// Database identifier of every stored object (integers, as in the seed contract).
pub type Id = i64;

/// The application core: a handle on the store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Baton {
    store: store::Store,
}

impl Baton {
    /// Opens the database at `url`, applies migrations and makes sure a default agent exists.
    pub async fn open(url: &str) -> Result<Baton> {
        let baton = Baton {
            store: store::Store::connect(url).await?,
        };
        baton.agent_ensure_default().await?;
        Ok(baton)
    }

    pub fn store(&self) -> &store::Store {
        &self.store
    }
}
