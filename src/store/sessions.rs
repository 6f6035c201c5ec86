use chrono::{DateTime, Utc};

use super::{now, on_db, Store};
use crate::auth::Role;
use crate::error::Result;
use crate::Id;

impl Store {
    pub async fn session_insert(
        &self,
        operator: Id,
        hash: &str,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO operator_sessions (operator_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(operator).bind(hash).bind(now()).bind(expires).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn session_delete(&self, hash: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1")
            .bind(hash).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn sessions_delete_for(&self, operator: Id) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
            .bind(operator).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// The active operator behind a live session.
    pub async fn session_operator(
        &self,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<(Id, Role)>> {
        let row: Option<(Id, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT o.id, o.role FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND o.is_active")
            .bind(hash).bind(at).fetch_optional(pool).await?);
        Ok(row.and_then(|(id, role)| role.parse().ok().map(|r| (id, r))))
    }
}
