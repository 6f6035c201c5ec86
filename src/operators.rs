//! Operators: the team members who work the inbox, with a role and an optional password
//! (argon2) for signing in to `baton serve`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Problems, Result};
use crate::fields::is_valid_email;
use crate::{Baton, Id};

pub const NAME_MAX_CHARS: usize = 100;
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Roles are what `auth` checks; they are defined there, with the permissions.
pub use crate::auth::Role;

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow)]
pub struct Operator {
    #[ts(type = "number")]
    pub id: Id,
    pub name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub is_active: bool,
    /// Whether the operator can sign in with a password.
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorCreate {
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Optional; without one the operator cannot sign in to the server yet.
    #[serde(default)]
    #[ts(optional)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorUpdate {
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<Role>,
    #[serde(default)]
    #[ts(optional)]
    pub is_active: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub password: Option<String>,
}

/// Validated operator fields, with the password already hashed.
pub(crate) struct OperatorFields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
    pub password_hash: Option<String>,
}

fn check(
    name: Option<&str>,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<(Option<String>, Option<String>, Option<String>)> {
    let mut p = Problems::new();
    let name = name.map(|n| n.trim().to_owned());
    if let Some(n) = &name {
        p.not_blank("name", n);
        p.max_chars("name", n, NAME_MAX_CHARS);
    }
    // Emails are unique regardless of case: store them lowercased.
    let email = email.map(|e| e.trim().to_lowercase());
    if let Some(e) = &email {
        if !is_valid_email(e) {
            p.push(
                "email",
                "invalid_email",
                format!("'{e}' is not an email address"),
            );
        }
    }
    if let Some(pw) = password {
        let n = pw.chars().count();
        if n < PASSWORD_MIN_CHARS {
            p.push(
                "password",
                "too_short",
                format!("must be at least {PASSWORD_MIN_CHARS} characters"),
            );
        }
        p.max_chars("password", pw, PASSWORD_MAX_CHARS);
    }
    p.into_result()?;
    let hash = password.map(hash_password).transpose()?;
    Ok((name, email, hash))
}

fn require_owner(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Operator {
            role: Role::Owner, ..
        }
        | Actor::Local
        | Actor::Token { agent_id: None, .. } => Ok(()),
        _ => Err(Error::Forbidden(
            "only an owner may grant the owner role or change an owner".into(),
        )),
    }
}

pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Baton {
    pub async fn operator_list(&self, actor: &Actor) -> Result<Vec<Operator>> {
        actor.require(Permission::ReadConfig)?;
        Ok(self
            .store()
            .operator_list()
            .await?
            .into_iter()
            .map(|o| as_seen_by(actor, o))
            .collect())
    }

    pub async fn operator_get(&self, actor: &Actor, id: Id) -> Result<Operator> {
        actor.require(Permission::ReadConfig)?;
        self.store()
            .operator_get(id)
            .await?
            .map(|o| as_seen_by(actor, o))
            .ok_or(Error::not_found("operator"))
    }

    pub async fn operator_create(&self, actor: &Actor, input: OperatorCreate) -> Result<Operator> {
        actor.require(Permission::ManageTeam)?;
        if input.role == Role::Owner {
            require_owner(actor)?;
        }
        let (name, email, password_hash) = check(
            Some(&input.name),
            Some(&input.email),
            input.password.as_deref(),
        )?;
        let fields = OperatorFields {
            name,
            email,
            role: Some(input.role),
            is_active: Some(true),
            password_hash,
        };
        self.store().operator_insert(&fields).await
    }

    pub async fn operator_update(
        &self,
        actor: &Actor,
        id: Id,
        input: OperatorUpdate,
    ) -> Result<Operator> {
        actor.require(Permission::ManageTeam)?;
        let current = self
            .store()
            .operator_get(id)
            .await?
            .ok_or(Error::not_found("operator"))?;
        // Only an owner makes owners or touches an owner's account.
        if current.role == Role::Owner || input.role == Some(Role::Owner) {
            require_owner(actor)?;
        }
        let demoted =
            input.role.is_some_and(|r| r != Role::Owner) || input.is_active == Some(false);
        if current.role == Role::Owner && demoted {
            self.keep_an_owner(id).await?;
        }
        let (name, email, password_hash) = check(
            input.name.as_deref(),
            input.email.as_deref(),
            input.password.as_deref(),
        )?;
        // A new password or a deactivation ends the operator's sessions.
        let end_sessions = password_hash.is_some() || input.is_active == Some(false);
        let fields = OperatorFields {
            name,
            email,
            role: input.role,
            is_active: input.is_active,
            password_hash,
        };
        let updated = self
            .store()
            .operator_update(id, &fields)
            .await?
            .ok_or(Error::not_found("operator"))?;
        if end_sessions {
            self.store().sessions_delete_for(id).await?;
        }
        // A role change matters to open streams too.
        self.credentials_changed();
        Ok(updated)
    }

    /// Refuses to remove the last active owner.
    async fn keep_an_owner(&self, leaving: Id) -> Result<()> {
        let others = self
            .store()
            .operator_list()
            .await?
            .into_iter()
            .any(|o| o.id != leaving && o.role == Role::Owner && o.is_active);
        if others {
            Ok(())
        } else {
            Err(Error::conflict(
                "this is the last active owner: make someone else owner first",
                Some("role"),
            ))
        }
    }

    /// Makes sure an owner exists (the desktop app's first launch): the person at the keyboard.
    pub async fn operator_ensure_owner(&self) -> Result<Operator> {
        let all = self.store().operator_list().await?;
        if let Some(owner) = all
            .into_iter()
            .find(|o| o.role == Role::Owner && o.is_active)
        {
            return Ok(owner);
        }
        let fields = OperatorFields {
            name: Some("Owner".into()),
            email: Some("owner@baton.localhost".into()),
            role: Some(Role::Owner),
            is_active: Some(true),
            password_hash: None,
        };
        self.store().operator_insert(&fields).await
    }

    pub async fn operator_delete(&self, actor: &Actor, id: Id) -> Result<()> {
        actor.require(Permission::ManageTeam)?;
        if let Some(o) = self.store().operator_get(id).await? {
            if o.role == Role::Owner {
                require_owner(actor)?;
                self.keep_an_owner(id).await?;
            }
        }
        if self.store().operator_delete(id).await? {
            self.credentials_changed();
            Ok(())
        } else {
            Err(Error::not_found("operator"))
        }
    }
}

/// An operator as `actor` may see them: a token bound to one agent configures that agent's
/// routing (ids, names, roles, active), but the team's email addresses are not its business.
fn as_seen_by(actor: &Actor, mut o: Operator) -> Operator {
    if actor.bound_agent().is_some() {
        o.email = String::new();
    }
    o
}
