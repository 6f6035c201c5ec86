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

/// Sign-in attempts allowed within [`LOGIN_WINDOW`]: per email address from one client
/// address (the pair), per client address across emails, and per email address from every
/// client together. Counted in the database before the password is checked (so parallel
/// guesses cannot slip past the count) and taken back when the password was right.
///
/// Why pairs: a stranger guessing Ada's password from their own address stops themselves, not
/// Ada, who signs in from hers. The email-wide limit, far higher, is what a guesser spread over
/// many addresses meets; it can lock Ada out too, which is the price of stopping them.
pub const LOGIN_MAX_FAILURES: i64 = 5;
pub const LOGIN_CLIENT_MAX_FAILURES: i64 = 20;
pub const LOGIN_EMAIL_MAX_FAILURES: i64 = 100;
pub const LOGIN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

impl Baton {
    /// Signs an operator in. `client` is where the attempt comes from (the peer address on
    /// `baton serve`): failed attempts are limited per email and per client.
    pub async fn session_login(
        &self,
        input: LoginInput,
        client: Option<std::net::IpAddr>,
    ) -> Result<Session> {
        let denied = || Error::Unauthorized("wrong email or password".into());
        let email = input.email.trim().to_lowercase();
        let client = client.map_or_else(|| "-".to_owned(), |c| c.to_string());
        let pair = format!("pair:{email}|{client}");
        let shared = [format!("client:{client}"), format!("email:{email}")];
        let window = i64::try_from(LOGIN_WINDOW.as_secs()).unwrap_or(900);
        let now = Utc::now().timestamp();
        self.store().login_prune(now - window).await?;
        // Every key is counted, then any over its limit refuses: the attempt counts either way.
        let mut wait = None::<i64>;
        for (key, max) in [
            (&pair, LOGIN_MAX_FAILURES),
            (&shared[0], LOGIN_CLIENT_MAX_FAILURES),
            (&shared[1], LOGIN_EMAIL_MAX_FAILURES),
        ] {
            let (n, started) = self.store().login_attempt(key, now, window).await?;
            if n > max {
                let left = (started + window - now).max(1);
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        if let Some(wait) = wait {
            let wait = u64::try_from(wait).unwrap_or(1);
            return Err(Error::TooManyRequests {
                message: format!(
                    "too many failed sign-ins: try again in {} min",
                    wait.div_ceil(60)
                ),
                retry_after_secs: wait,
            });
        }
        let found = self.store().operator_credentials(&input.email).await?;
        let Some((operator, hash)) = found else {
            let _ = verify_password(&input.password, &DUMMY_HASH);
            return Err(denied());
        };
        if !verify_password(&input.password, &hash) {
            return Err(denied());
        }
        self.store().login_forgive(&shared, &pair).await?;
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
        self.relay
            .send(|| crate::cluster::Note::Credentials { o: self.origin });
        self.credentials_bump();
    }

    /// This process's streams check their credential again.
    pub(crate) fn credentials_bump(&self) {
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
