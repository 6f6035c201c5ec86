//! Knowledge base entries: question/answer pairs and short documents the agent answers from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Problems, Result};
use crate::{Baton, Id};

pub const TITLE_MAX_CHARS: usize = 300;
pub const BODY_MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow)]
pub struct KnowledgeEntry {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number")]
    pub agent_id: Id,
    /// The question (or a document title).
    pub title: String,
    /// The answer (or the document text).
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub title: String,
    pub body: String,
}

fn check(title: &str, body: &str) -> Result<()> {
    let mut p = Problems::new();
    p.not_blank("title", title);
    p.max_chars("title", title, TITLE_MAX_CHARS);
    p.not_blank("body", body);
    p.max_chars("body", body, BODY_MAX_CHARS);
    p.into_result()
}

impl Baton {
    pub async fn knowledge_list(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
    ) -> Result<Vec<KnowledgeEntry>> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        self.store().knowledge_list(agent).await
    }

    pub async fn knowledge_create(
        &self,
        actor: &Actor,
        input: KnowledgeInput,
    ) -> Result<KnowledgeEntry> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        check(&input.title, &input.body)?;
        self.store()
            .knowledge_insert(agent, input.title.trim(), input.body.trim())
            .await
    }

    pub async fn knowledge_update(
        &self,
        actor: &Actor,
        id: Id,
        input: KnowledgeInput,
    ) -> Result<KnowledgeEntry> {
        actor.require(Permission::ManageConfig)?;
        let existing = self
            .store()
            .knowledge_get(id)
            .await?
            .ok_or(Error::not_found("knowledge entry"))?;
        actor.require_agent(existing.agent_id)?;
        check(&input.title, &input.body)?;
        self.store()
            .knowledge_update(id, input.title.trim(), input.body.trim())
            .await?
            .ok_or(Error::not_found("knowledge entry"))
    }

    pub async fn knowledge_delete(&self, actor: &Actor, id: Id) -> Result<()> {
        actor.require(Permission::ManageConfig)?;
        let existing = self
            .store()
            .knowledge_get(id)
            .await?
            .ok_or(Error::not_found("knowledge entry"))?;
        actor.require_agent(existing.agent_id)?;
        self.store().knowledge_delete(id).await.map(|_| ())
    }
}
