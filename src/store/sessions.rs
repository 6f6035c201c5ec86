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

impl Store {
    /// Counts one sign-in attempt against `key` in a fixed window of `window_s` seconds (a
    /// window older than that starts again at one), atomically: returns the attempts in the
    /// window, this one included, and when the window started (Unix seconds).
    pub(crate) async fn login_attempt(
        &self,
        key: &str,
        now_s: i64,
        window_s: i64,
    ) -> Result<(i64, i64)> {
        Ok(on_db!(self.db(), pool => sqlx::query_as(
            "INSERT INTO login_limits (key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_limits.window_start <= $2 - $3 THEN 1 \
                        ELSE login_limits.failures + 1 END, \
             window_start = CASE WHEN login_limits.window_start <= $2 - $3 THEN $2 \
                            ELSE login_limits.window_start END \
             RETURNING failures, window_start")
            .bind(key).bind(now_s).bind(window_s).fetch_one(pool).await?))
    }

    /// Takes back one counted attempt (it was a correct password) and forgets `clear_key`.
    pub(crate) async fn login_forgive(&self, keys: &[String], clear_key: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM login_limits WHERE key = $1")
            .bind(clear_key).execute(pool).await.map(|_| ())?);
        for k in keys {
            on_db!(self.db(), pool => sqlx::query(
                "UPDATE login_limits SET failures = failures - 1 WHERE key = $1 AND failures > 0")
                .bind(k).execute(pool).await.map(|_| ())?);
        }
        Ok(())
    }

    /// Forgets windows that ended before `cutoff_s`.
    pub(crate) async fn login_prune(&self, cutoff_s: i64) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM login_limits WHERE window_start <= $1")
            .bind(cutoff_s).execute(pool).await.map(|_| ())?);
        Ok(())
    }
}
