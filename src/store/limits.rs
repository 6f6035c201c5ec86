//! The visitor rate limits kept in the database (GCRA), for several `baton serve` on one
//! PostgreSQL: see `http::edge`.

use super::{on_db, Store};
use crate::error::Result;

/// The allowance's span: `per_minute` requests at once, then one every `60 000 / per_minute`
/// milliseconds (as the in-memory limiter).
const WINDOW_MS: i64 = 60_000;

impl Store {
    /// Takes one request against `key` allowed `per_minute` times a minute, atomically.
    /// `None` when allowed (and counted); `Some(ms)` to wait when refused (a refused request
    /// is not counted).
    pub async fn visitor_limit_take(
        &self,
        key: &str,
        now_ms: i64,
        per_minute: u32,
    ) -> Result<Option<u64>> {
        let interval = WINDOW_MS / i64::from(per_minute.max(1));
        let taken: Option<i64> = on_db!(self.db(), pool => sqlx::query_scalar(
            "INSERT INTO visitor_limits (key, tat) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET \
             tat = (CASE WHEN visitor_limits.tat > $2 THEN visitor_limits.tat ELSE $2 END) + $3 \
             WHERE (CASE WHEN visitor_limits.tat > $2 THEN visitor_limits.tat ELSE $2 END) + $3 \
                   <= $2 + $4 \
             RETURNING tat")
            .bind(key).bind(now_ms).bind(interval).bind(WINDOW_MS)
            .fetch_optional(pool).await?);
        if taken.is_some() {
            return Ok(None);
        }
        let tat: Option<i64> = on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT tat FROM visitor_limits WHERE key = $1")
            .bind(key).fetch_optional(pool).await?);
        // The next request fits once `tat + interval` is within the window of now.
        let wait = tat.map_or(0, |t| t + interval - (now_ms + WINDOW_MS));
        Ok(Some(u64::try_from(wait).unwrap_or(0).max(1)))
    }

    /// Forgets keys back at their full allowance (their arrival time has passed).
    pub async fn visitor_limits_prune(&self, now_ms: i64) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM visitor_limits WHERE tat <= $1")
            .bind(now_ms).execute(pool).await.map(|_| ())?);
        Ok(())
    }
}
