//! Who is acting, and what they may do. Every core operation takes an [`Actor`] and checks a
//! [`Permission`] here, so the HTTP server, the CLI and the desktop shell enforce the same rules.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::{Baton, Id};

/// An operator's role: `owner` everything; `admin` all but API tokens and owners; `agent`
/// works the inbox and reads the configuration; `viewer` reads only (enforced by `Actor::allows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Agent,
    Viewer,
}

impl Role {
    /// What an operator of this role may do.
    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Admin => !matches!(p, ManageTokens),
            Role::Agent => matches!(p, ReadConfig | ReadInbox | WorkInbox),
            Role::Viewer => matches!(p, ReadConfig | ReadInbox),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!(
                "unknown role '{other}': expected owner, admin, agent or viewer"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The local owner: the CLI and the desktop app on their own database.
    Local,
    /// An API token. A token bound to an agent acts on that agent only.
    Token { token_id: Id, agent_id: Option<Id> },
    /// A signed-in operator.
    Operator { operator_id: Id, role: Role },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadConfig,
    ManageConfig,
    ManageAgents,
    ManageTeam,
    ManageTokens,
    /// See conversations in the inbox.
    ReadInbox,
    /// Take over, reply, assign, resolve, hand back.
    WorkInbox,
}

impl Actor {
    pub fn allows(&self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Actor::Local => true,
            Actor::Token { agent_id: None, .. } => true,
            // An agent-scoped token reads and configures its agent, nothing else.
            Actor::Token {
                agent_id: Some(_), ..
            } => matches!(p, ReadConfig | ManageConfig),
            Actor::Operator { role, .. } => role.allows(p),
        }
    }

    pub fn require(&self, p: Permission) -> Result<()> {
        if self.allows(p) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this {} may not {}",
                self.kind(),
                match p {
                    Permission::ReadConfig => "read the configuration",
                    Permission::ManageConfig => "change the configuration",
                    Permission::ManageAgents => "manage agents",
                    Permission::ManageTeam => "manage operators",
                    Permission::ManageTokens => "manage API tokens",
                    Permission::ReadInbox => "read conversations",
                    Permission::WorkInbox => "work on conversations (take over, reply, resolve)",
                }
            )))
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Actor::Local => "user",
            Actor::Token { agent_id: None, .. } => "token",
            Actor::Token { .. } => "agent-scoped token",
            Actor::Operator { .. } => "operator",
        }
    }

    pub fn operator_id(&self) -> Option<Id> {
        match self {
            Actor::Operator { operator_id, .. } => Some(*operator_id),
            _ => None,
        }
    }

    pub fn bound_agent(&self) -> Option<Id> {
        match self {
            Actor::Token { agent_id, .. } => *agent_id,
            _ => None,
        }
    }

    pub fn require_agent(&self, agent: Id) -> Result<()> {
        match self.bound_agent() {
            Some(bound) if bound != agent => Err(Error::Forbidden(format!(
                "this token is bound to agent {bound} and cannot act on agent {agent}"
            ))),
            _ => Ok(()),
        }
    }
}

impl Baton {
    /// The agent an operation acts on: a bound token's own agent, else the one asked for,
    /// else the default agent.
    pub async fn resolve_agent(&self, actor: &Actor, requested: Option<Id>) -> Result<Id> {
        if let Some(bound) = actor.bound_agent() {
            if let Some(r) = requested {
                actor.require_agent(r)?;
            }
            return Ok(bound);
        }
        match requested {
            Some(id) => match self.store().agent_get(id).await? {
                Some(a) => Ok(a.id),
                None => Err(Error::not_found("agent")),
            },
            None => self
                .store()
                .agent_default_id()
                .await?
                .ok_or(Error::not_found("default agent")),
        }
    }
}
