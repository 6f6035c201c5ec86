//! API tokens. A token is shown once at creation; only its SHA-256 is stored (tokens are
//! 256 random bits, so a slow password hash would add nothing but latency per request).

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Problems, Result};
use crate::{Baton, Id};

pub const TOKEN_PREFIX: &str = "baton_";
pub const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow)]
pub struct ApiToken {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    /// The first characters of the token, to recognise it; the rest is never stored.
    pub prefix: String,
    /// The agent the token is bound to; null for an admin token.
    #[ts(type = "number | null")]
    pub agent_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    pub name: String,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
}

/// Returned once, at creation: the only time the secret is available.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct CreatedToken {
    pub token: String,
    pub info: ApiToken,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

impl Baton {
    pub async fn token_create(&self, actor: &Actor, input: TokenCreate) -> Result<CreatedToken> {
        actor.require(Permission::ManageTokens)?;
        let mut p = Problems::new();
        let name = input.name.trim().to_owned();
        p.not_blank("name", &name);
        p.max_chars("name", &name, NAME_MAX_CHARS);
        p.into_result()?;
        if let Some(agent) = input.agent_id {
            if self.store().agent_get(agent).await?.is_none() {
                return Err(Error::invalid(
                    "agent_id",
                    "unknown_agent",
                    format!("no agent with id {agent}"),
                ));
            }
        }
        let token = generate();
        let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let info = self
            .store()
            .token_insert(&name, &hash_token(&token), &prefix, input.agent_id)
            .await?;
        Ok(CreatedToken { token, info })
    }

    pub async fn token_list(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        actor.require(Permission::ManageTokens)?;
        self.store().token_list().await
    }

    pub async fn token_revoke(&self, actor: &Actor, id: Id) -> Result<ApiToken> {
        actor.require(Permission::ManageTokens)?;
        let revoked = self
            .store()
            .token_revoke(id)
            .await?
            .ok_or(Error::not_found("token"))?;
        self.credentials_changed();
        Ok(revoked)
    }

    /// The actor behind a bearer token; revoked and unknown tokens are rejected alike.
    pub async fn authenticate_token(&self, token: &str) -> Result<Actor> {
        let unauthorized = || Error::Unauthorized("invalid or revoked API token".into());
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Err(unauthorized());
        }
        let found = self
            .store()
            .token_by_hash(&hash_token(token))
            .await?
            .ok_or_else(unauthorized)?;
        Ok(Actor::Token {
            token_id: found.id,
            agent_id: found.agent_id,
        })
    }
}
