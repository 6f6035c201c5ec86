use chrono::Duration;

use super::{now, on_db, Store};
use crate::error::Result;
use crate::tokens::ApiToken;
use crate::Id;

const COLUMNS: &str = "id, name, prefix, agent_id, created_at, last_used_at, revoked_at";

impl Store {
    pub async fn token_insert(
        &self,
        name: &str,
        hash: &str,
        prefix: &str,
        agent: Option<Id>,
    ) -> Result<ApiToken> {
        let sql = format!(
            "INSERT INTO api_tokens (name, token_hash, prefix, agent_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
        );
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, ApiToken>(&sql)
            .bind(name).bind(hash).bind(prefix).bind(agent).bind(now())
            .fetch_one(pool).await?),
        )
    }

    pub async fn token_list(&self) -> Result<Vec<ApiToken>> {
        let sql = format!("SELECT {COLUMNS} FROM api_tokens ORDER BY id");
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, ApiToken>(&sql).fetch_all(pool).await?))
    }

    pub async fn token_revoke(&self, id: Id) -> Result<Option<ApiToken>> {
        let sql = format!(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING {COLUMNS}"
        );
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, ApiToken>(&sql)
            .bind(id).bind(now()).fetch_optional(pool).await?),
        )
    }

    /// A live token by hash; records its use at most once a minute to keep requests read-only.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        );
        let t = now();
        on_db!(self.db(), pool => {
            let token = sqlx::query_as::<_, ApiToken>(&sql).bind(hash).fetch_optional(pool).await?;
            if let Some(tok) = &token {
                if tok.last_used_at.is_none_or(|u| t - u > Duration::minutes(1)) {
                    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                        .bind(tok.id).bind(t).execute(pool).await?;
                }
            }
            Ok(token)
        })
    }
}
