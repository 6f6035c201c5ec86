use super::{now, on_db, Store};
use crate::engine::settings::{EngineKind, StoredEngine};
use crate::error::Result;
use crate::Id;

impl Store {
    pub(crate) async fn engine_get(&self, agent: Id) -> Result<Option<StoredEngine>> {
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, StoredEngine>(
            "SELECT kind, base_url, model, api_key, timeout_ms, updated_at FROM agent_engines WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?))
    }

    /// `api_key`: None keeps the stored key, Some("") removes it.
    pub(crate) async fn engine_set(
        &self,
        agent: Id,
        kind: EngineKind,
        base_url: Option<&str>,
        model: Option<&str>,
        api_key: Option<&str>,
        timeout_ms: u64,
    ) -> Result<()> {
        let kind = match kind {
            EngineKind::Builtin => "builtin",
            EngineKind::Openai => "openai",
        };
        on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO agent_engines (agent_id, kind, base_url, model, api_key, timeout_ms, updated_at) \
             VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7) \
             ON CONFLICT (agent_id) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url, \
             model = excluded.model, timeout_ms = excluded.timeout_ms, updated_at = excluded.updated_at, \
             api_key = CASE WHEN $5 IS NULL THEN agent_engines.api_key ELSE NULLIF($5, '') END")
            .bind(agent).bind(kind).bind(base_url).bind(model).bind(api_key)
            .bind(i64::try_from(timeout_ms).unwrap_or(15_000)).bind(now())
            .execute(pool).await.map(|_| ())?);
        Ok(())
    }

    /// Engines whose key an older Baton stored in clear: (agent, base URL, key).
    pub(crate) async fn engine_keys_in_clear(&self) -> Result<Vec<(Id, Option<String>, String)>> {
        Ok(on_db!(self.db(), pool => sqlx::query_as(
            "SELECT agent_id, base_url, api_key FROM agent_engines \
             WHERE api_key IS NOT NULL AND api_key <> '' AND api_key NOT LIKE 'v1:%'")
            .fetch_all(pool).await?))
    }

    /// Replaces a key by its sealed form, only if it is still `clear` (another process or a
    /// save may have changed it meanwhile). The settings' time is kept: nothing changed.
    pub(crate) async fn engine_key_seal(&self, agent: Id, clear: &str, sealed: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE agent_engines SET api_key = $3 WHERE agent_id = $1 AND api_key = $2")
            .bind(agent).bind(clear).bind(sealed).execute(pool).await.map(|_| ())?);
        Ok(())
    }
}
