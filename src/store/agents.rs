use super::handoff::write_config;
use super::{now, on_db, Store};
use crate::agents::{Agent, AgentCreate, AgentUpdate};
use crate::error::{Error, Result};
use crate::handoff;
use crate::Id;

const COLUMNS: &str = "id, name, description, language, is_default, created_at, updated_at";

impl Store {
    pub async fn agent_list(&self) -> Result<Vec<Agent>> {
        let sql = format!("SELECT {COLUMNS} FROM agents ORDER BY id");
        Ok(on_db!(self.db(), pool => sqlx::query_as::<_, Agent>(&sql).fetch_all(pool).await?))
    }

    pub async fn agent_get(&self, id: Id) -> Result<Option<Agent>> {
        let sql = format!("SELECT {COLUMNS} FROM agents WHERE id = $1");
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, Agent>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn agent_default_id(&self) -> Result<Option<Id>> {
        let sql = "SELECT id FROM agents WHERE is_default ORDER BY id LIMIT 1";
        Ok(on_db!(self.db(), pool => sqlx::query_scalar::<_, Id>(sql).fetch_optional(pool).await?))
    }

    /// Inserts an agent with the default handoff configuration, in one transaction.
    pub async fn agent_insert(&self, input: &AgentCreate, is_default: bool) -> Result<Agent> {
        let t = now();
        let defaults = handoff::defaults();
        let sql = format!(
            "INSERT INTO agents (name, description, language, is_default, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
        );
        let language = input.language.clone().unwrap_or_else(|| "en".into());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            let agent = sqlx::query_as::<_, Agent>(&sql)
                .bind(&input.name)
                .bind(&input.description)
                .bind(&language)
                .bind(is_default)
                .bind(t)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| Error::from_unique(e, "is_default", "there is already a default agent"))?;
            write_config!(tx, agent.id, &defaults, t);
            tx.commit().await?;
            Ok(agent)
        })
    }

    pub async fn agent_update(&self, id: Id, input: &AgentUpdate) -> Result<Option<Agent>> {
        let sql = format!(
            "UPDATE agents SET name = COALESCE($2, name), description = COALESCE($3, description), \
             language = COALESCE($4, language), updated_at = $5 WHERE id = $1 RETURNING {COLUMNS}"
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            if input.is_default == Some(true) {
                // Clear first: the partial unique index allows only one default at a time.
                let exists: Option<Id> = sqlx::query_scalar("SELECT id FROM agents WHERE id = $1")
                    .bind(id).fetch_optional(&mut *tx).await?;
                if exists.is_some() {
                    sqlx::query("UPDATE agents SET is_default = FALSE WHERE is_default AND id <> $1")
                        .bind(id).execute(&mut *tx).await?;
                    sqlx::query("UPDATE agents SET is_default = TRUE WHERE id = $1")
                        .bind(id).execute(&mut *tx).await?;
                }
            }
            let agent = sqlx::query_as::<_, Agent>(&sql)
                .bind(id)
                .bind(&input.name)
                .bind(&input.description)
                .bind(&input.language)
                .bind(now())
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(agent)
        })
    }

    /// Deletes an agent and (by cascade) its configuration and tokens. The default agent stays.
    pub async fn agent_delete(&self, id: Id) -> Result<()> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            let row: Option<bool> = sqlx::query_scalar("SELECT is_default FROM agents WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            match row {
                None => return Err(Error::not_found("agent")),
                Some(true) => return Err(Error::conflict(
                    "the default agent cannot be deleted: make another agent the default first",
                    Some("id"),
                )),
                Some(false) => {}
            }
            sqlx::query("DELETE FROM agents WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
