//! The sealed columns, for re-sealing every stored secret under a new key (see
//! `crate::rotation`): listed, and replaced one value at a time only if it is still what was
//! read (a save meanwhile wins).

use super::{on_db, Store};
use crate::error::Result;
use crate::Id;

/// A column holding sealed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sealed {
    /// An action's bearer token, basic password or API key (bound to its URL's host).
    ActionSecret,
    /// A model endpoint's API key (bound to its agent and endpoint).
    EngineKey,
    /// A webhook's signing secret, and the previous one during a rotation (bound to its id).
    WebhookSecret,
    WebhookPrevious,
}

impl Sealed {
    pub(crate) const ALL: [Sealed; 4] = [
        Sealed::ActionSecret,
        Sealed::EngineKey,
        Sealed::WebhookSecret,
        Sealed::WebhookPrevious,
    ];

    /// (table, row id, column, what else the purpose needs). Constants: no input reaches
    /// the SQL text.
    fn sql(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Sealed::ActionSecret => ("actions", "id", "auth_secret", "NULL"),
            Sealed::EngineKey => ("agent_engines", "agent_id", "api_key", "base_url"),
            Sealed::WebhookSecret => ("webhooks", "id", "secret", "NULL"),
            Sealed::WebhookPrevious => ("webhooks", "id", "previous_secret", "NULL"),
        }
    }
}

impl Store {
    /// Every sealed value of the column: (row id, value, what else its purpose needs).
    pub(crate) async fn sealed_values(
        &self,
        what: Sealed,
    ) -> Result<Vec<(Id, String, Option<String>)>> {
        let (table, id, column, extra) = what.sql();
        let sql = format!(
            "SELECT {id}, {column}, {extra} FROM {table} WHERE {column} LIKE 'v1:%' ORDER BY {id}"
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// Replaces one sealed value, if it is still `old`; whether it was.
    pub(crate) async fn sealed_replace(
        &self,
        what: Sealed,
        row: Id,
        old: &str,
        new: &str,
    ) -> Result<bool> {
        let (table, id, column, _) = what.sql();
        let sql = format!("UPDATE {table} SET {column} = $3 WHERE {id} = $1 AND {column} = $2");
        let n = on_db!(self.db(), pool => sqlx::query(&sql)
            .bind(row).bind(old).bind(new).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }
}
