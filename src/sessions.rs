//! Operator sign-in to `baton serve`: email and password (argon2) give a session token, sent
//! back as an HttpOnly cookie for the browser UI and usable as a bearer token by scripts.

use chrono::{Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{Error, Result};
use crate::operators::{verify_password, Operator};
use crate::tokens::hash_token;
use crate::Baton;

pub const SESSION_PREFIX: &str = "bs_";
pub const SESSION_DAYS: i64 = 30;

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct Session {
    pub operator: Operator,
    /// The session token (also set as the `baton_session` cookie).
    pub token: String,
}

// A real argon2 hash: verifying against it costs what a real check costs, so an unknown email
// takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::operators::hash_password("not a password").unwrap_or_default()
});

impl Baton {
    pub async fn session_login(&self, input: LoginInput) -> Result<Session> {
        let denied = || Error::Unauthorized("wrong email or password".into());
        let found = self.store().operator_credentials(&input.email).await?;
        let Some((operator, hash)) = found else {
            let _ = verify_password(&input.password, &DUMMY_HASH);
            return Err(denied());
        };
        if !verify_password(&input.password, &hash) {
            return Err(denied());
        }
        let mut b = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let token = format!("{SESSION_PREFIX}{}", hex::encode(b));
        self.store()
            .session_insert(
                operator.id,
                &hash_token(&token),
                Utc::now() + Duration::days(SESSION_DAYS),
            )
            .await?;
        Ok(Session { operator, token })
    }

    pub async fn session_logout(&self, token: &str) -> Result<()> {
        self.store().session_delete(&hash_token(token)).await
    }

    pub async fn authenticate_session(&self, token: &str) -> Result<Actor> {
        let (operator_id, role) = self
            .store()
            .session_operator(&hash_token(token), Utc::now())
            .await?
            .ok_or_else(|| Error::Unauthorized("the session has expired: sign in again".into()))?;
        Ok(Actor::Operator { operator_id, role })
    }

    /// Any credential: an API token or a session token.
    pub async fn authenticate(&self, token: &str) -> Result<Actor> {
        if token.starts_with(SESSION_PREFIX) {
            self.authenticate_session(token).await
        } else {
            self.authenticate_token(token).await
        }
    }
}
