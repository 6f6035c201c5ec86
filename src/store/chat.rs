//! Chat elements: an agent's button groups and handover channels (one row per agent, JSON
//! documents the core validated), and uploaded icons (by the hash of their bytes).

use super::{now, on_db, Store};
use crate::chat::model::{ButtonGroup, HandoverChannels};
use crate::error::{Error, Result};
use crate::Id;

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("the stored {what} are invalid"))
}

pub(crate) fn parse_groups(text: &str) -> Result<Vec<ButtonGroup>> {
    serde_json::from_str(text).map_err(|_| corrupt("button groups"))
}

impl Store {
    pub(crate) async fn button_groups(&self, agent: Id) -> Result<Vec<ButtonGroup>> {
        let text: Option<String> = on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT button_groups FROM chat_settings WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?);
        text.map_or(Ok(Vec::new()), |t| parse_groups(&t))
    }

    pub(crate) async fn button_groups_set(&self, agent: Id, groups: &[ButtonGroup]) -> Result<()> {
        let text = serde_json::to_string(groups).map_err(|e| Error::Internal(e.to_string()))?;
        let sql =
            "INSERT INTO chat_settings (agent_id, button_groups, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (agent_id) DO UPDATE SET button_groups = excluded.button_groups, \
                   updated_at = excluded.updated_at";
        on_db!(self.db(), pool => sqlx::query(sql).bind(agent).bind(&text).bind(now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub(crate) async fn handover_channels(&self, agent: Id) -> Result<Option<HandoverChannels>> {
        let text: Option<Option<String>> = on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT handover FROM chat_settings WHERE agent_id = $1")
            .bind(agent).fetch_optional(pool).await?);
        text.flatten()
            .map(|t| serde_json::from_str(&t).map_err(|_| corrupt("handover channels")))
            .transpose()
    }

    pub(crate) async fn handover_channels_set(
        &self,
        agent: Id,
        c: &HandoverChannels,
    ) -> Result<()> {
        let text = serde_json::to_string(c).map_err(|e| Error::Internal(e.to_string()))?;
        let sql = "INSERT INTO chat_settings (agent_id, handover, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (agent_id) DO UPDATE SET handover = excluded.handover, \
                   updated_at = excluded.updated_at";
        on_db!(self.db(), pool => sqlx::query(sql).bind(agent).bind(&text).bind(now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Stores an icon once (the same bytes uploaded again keep the first row).
    pub(crate) async fn icon_insert(&self, hash: &str, mime: &str, bytes: &[u8]) -> Result<()> {
        let sql = "INSERT INTO icons (id, mime_type, bytes, created_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (id) DO NOTHING";
        on_db!(self.db(), pool => sqlx::query(sql).bind(hash).bind(mime).bind(bytes).bind(now())
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub(crate) async fn icon_get(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(on_db!(self.db(), pool => sqlx::query_as(
            "SELECT mime_type, bytes FROM icons WHERE id = $1")
            .bind(hash).fetch_optional(pool).await?))
    }
}
