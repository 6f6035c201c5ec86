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

/// Failed sign-ins allowed per email address, and per client address, within [`LOGIN_WINDOW`].
pub const LOGIN_MAX_FAILURES: usize = 5;
pub const LOGIN_CLIENT_MAX_FAILURES: usize = 20;
pub const LOGIN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Recent failed sign-ins, per email address and per client address (in memory: a restart
/// forgets them, which only gives a guesser a few more tries per restart).
#[derive(Clone, Default)]
pub(crate) struct LoginThrottle(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<std::time::Instant>>>>,
);

impl LoginThrottle {
    /// Refuses when `key` has `max` failures in the window, saying when to try again.
    fn check(&self, key: &str, max: usize) -> Result<()> {
        let now = std::time::Instant::now();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Forget old entries now and then, so the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, v| v.last().is_some_and(|t| now - *t < LOGIN_WINDOW));
        }
        let Some(failures) = map.get_mut(key) else {
            return Ok(());
        };
        failures.retain(|t| now - *t < LOGIN_WINDOW);
        if failures.len() < max {
            return Ok(());
        }
        let oldest = failures[failures.len() - max];
        let wait = LOGIN_WINDOW.saturating_sub(now - oldest).as_secs().max(1);
        Err(Error::TooManyRequests {
            message: format!(
                "too many failed sign-ins: try again in {} min",
                wait.div_ceil(60)
            ),
            retry_after_secs: wait,
        })
    }

    fn failed(&self, key: String) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key).or_default().push(std::time::Instant::now());
    }

    fn succeeded(&self, key: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

impl Baton {
    /// Signs an operator in. `client` is where the attempt comes from (the peer address on
    /// `baton serve`): failed attempts are limited per email and per client.
    pub async fn session_login(
        &self,
        input: LoginInput,
        client: Option<std::net::IpAddr>,
    ) -> Result<Session> {
        let denied = || Error::Unauthorized("wrong email or password".into());
        let email_key = format!("email:{}", input.email.trim().to_lowercase());
        let client_key = client.map(|c| format!("client:{c}"));
        self.login_throttle.check(&email_key, LOGIN_MAX_FAILURES)?;
        if let Some(k) = &client_key {
            self.login_throttle.check(k, LOGIN_CLIENT_MAX_FAILURES)?;
        }
        let fail = || {
            self.login_throttle.failed(email_key.clone());
            if let Some(k) = &client_key {
                self.login_throttle.failed(k.clone());
            }
            denied()
        };
        let found = self.store().operator_credentials(&input.email).await?;
        let Some((operator, hash)) = found else {
            let _ = verify_password(&input.password, &DUMMY_HASH);
            return Err(fail());
        };
        if !verify_password(&input.password, &hash) {
            return Err(fail());
        }
        self.login_throttle.succeeded(&email_key);
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
        self.store().session_delete(&hash_token(token)).await?;
        self.credentials_changed();
        Ok(())
    }

    /// Tells live streams to check their credential again (a session ended, a token was
    /// revoked, an operator changed or left).
    pub(crate) fn credentials_changed(&self) {
        self.credentials.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Changes whenever a credential may have stopped being valid (see
    /// [`Baton::credentials_changed`]).
    pub fn credentials_watch(&self) -> tokio::sync::watch::Receiver<u64> {
        self.credentials.subscribe()
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
