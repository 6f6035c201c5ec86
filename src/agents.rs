//! AI agents: each has its own handoff configuration. A fresh database has one default agent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Problems, Result};
use crate::{Baton, Id};

pub const NAME_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;
pub const DEFAULT_AGENT_NAME: &str = "My AI agent";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow)]
pub struct Agent {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    /// What the agent is for and how it should behave (its instructions).
    pub description: String,
    /// Main language, a BCP 47 tag such as `en` or `pt-BR`.
    pub language: String,
    /// The agent that unbound admin tokens act on when no `agent_id` is given.
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentCreate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentUpdate {
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<String>,
    /// Make this agent the default one (setting false is not allowed: pick another default instead).
    #[serde(default)]
    #[ts(optional)]
    pub is_default: Option<bool>,
}

fn check_language(p: &mut Problems, lang: &str) {
    // A BCP 47 shape check: letters, digits and hyphens, starting with a 2–3 letter code.
    let ok = lang.len() <= 35
        && lang.split('-').enumerate().all(|(i, part)| {
            !part.is_empty()
                && part.len() <= 8
                && part.chars().all(|c| c.is_ascii_alphanumeric())
                && (i > 0
                    || (2..=3).contains(&part.len())
                        && part.chars().all(|c| c.is_ascii_alphabetic()))
        });
    if !ok {
        p.push(
            "language",
            "invalid_language",
            format!("'{lang}' is not a language tag like 'en' or 'pt-BR'"),
        );
    }
}

fn check_name(p: &mut Problems, name: &str) {
    p.not_blank("name", name);
    p.max_chars("name", name.trim(), NAME_MAX_CHARS);
}

impl AgentCreate {
    pub(crate) fn validate(mut self) -> Result<AgentCreate> {
        let mut p = Problems::new();
        self.name = self.name.trim().to_owned();
        check_name(&mut p, &self.name);
        p.max_chars("description", &self.description, DESCRIPTION_MAX_CHARS);
        if let Some(l) = &self.language {
            check_language(&mut p, l);
        }
        p.into_result()?;
        Ok(self)
    }
}

impl AgentUpdate {
    pub(crate) fn validate(mut self) -> Result<AgentUpdate> {
        let mut p = Problems::new();
        if let Some(n) = &mut self.name {
            *n = n.trim().to_owned();
            check_name(&mut p, n);
        }
        if let Some(d) = &self.description {
            p.max_chars("description", d, DESCRIPTION_MAX_CHARS);
        }
        if let Some(l) = &self.language {
            check_language(&mut p, l);
        }
        if self.is_default == Some(false) {
            p.push(
                "is_default",
                "invalid",
                "there is always one default agent: make another agent the default instead",
            );
        }
        p.into_result()?;
        Ok(self)
    }
}

impl Baton {
    pub async fn agent_list(&self, actor: &Actor) -> Result<Vec<Agent>> {
        actor.require(Permission::ReadConfig)?;
        let agents = self.store().agent_list().await?;
        Ok(match actor.bound_agent() {
            Some(bound) => agents.into_iter().filter(|a| a.id == bound).collect(),
            None => agents,
        })
    }

    pub async fn agent_get(&self, actor: &Actor, id: Id) -> Result<Agent> {
        actor.require(Permission::ReadConfig)?;
        actor.require_agent(id)?;
        self.store()
            .agent_get(id)
            .await?
            .ok_or(Error::not_found("agent"))
    }

    pub async fn agent_create(&self, actor: &Actor, input: AgentCreate) -> Result<Agent> {
        actor.require(Permission::ManageAgents)?;
        let input = input.validate()?;
        self.store().agent_insert(&input, false).await
    }

    pub async fn agent_update(&self, actor: &Actor, id: Id, input: AgentUpdate) -> Result<Agent> {
        actor.require(Permission::ManageAgents)?;
        let input = input.validate()?;
        self.store()
            .agent_update(id, &input)
            .await?
            .ok_or(Error::not_found("agent"))
    }

    pub async fn agent_delete(&self, actor: &Actor, id: Id) -> Result<()> {
        actor.require(Permission::ManageAgents)?;
        self.store().agent_delete(id).await
    }

    /// Creates the default agent if the database has none (first start).
    pub async fn agent_ensure_default(&self) -> Result<Agent> {
        if let Some(id) = self.store().agent_default_id().await? {
            if let Some(a) = self.store().agent_get(id).await? {
                return Ok(a);
            }
        }
        let input = AgentCreate {
            name: DEFAULT_AGENT_NAME.into(),
            description: String::new(),
            language: None,
        };
        self.store().agent_insert(&input, true).await
    }
}
