//! Handoff notifications, as the email jobs of the outbox (see [`crate::outbox`]), and the
//! application settings.

use chrono::{DateTime, Utc};

use super::{on_db, Store};
use crate::error::Result;
use crate::notify::email::Email;
use crate::notify::email::Notification;
use crate::outbox::model::{Job, JobKind, JobRecord};
use crate::Id;

/// The email of an email job; an unreadable payload reads as an email to nobody.
fn email_of(j: &JobRecord) -> Email {
    match Job::decode(&j.kind, &j.payload) {
        Ok(Job::Email(e)) => e,
        Ok(_) | Err(_) => Email {
            to: Vec::new(),
            subject: String::new(),
            text: String::new(),
            html: None,
        },
    }
}

impl Store {
    /// Emails waiting in the outbox, due at `at`: (job id, email, attempts so far).
    pub async fn notifications_due(
        &self,
        at: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(Id, Email, i64)>> {
        Ok(self
            .jobs_due(JobKind::Email, at, limit)
            .await?
            .into_iter()
            .map(|j| (j.id, email_of(&j), j.attempts))
            .collect())
    }

    /// The newest email jobs as notifications (`running` shows as `pending`, `done` as `sent`).
    pub async fn notification_list(&self, limit: i64) -> Result<Vec<Notification>> {
        Ok(self
            .jobs_list(Some(JobKind::Email), limit)
            .await?
            .into_iter()
            .map(|j| {
                let email = email_of(&j);
                let status = match j.status.as_str() {
                    "done" => "sent",
                    "failed" => "failed",
                    _ => "pending",
                };
                Notification {
                    id: j.id,
                    conversation_id: j.conversation_id,
                    recipients: serde_json::to_string(&email.to).unwrap_or_default(),
                    subject: email.subject,
                    status: status.into(),
                    attempts: j.attempts,
                    last_error: j.last_error,
                    next_attempt_at: j.next_attempt_at,
                    created_at: j.created_at,
                    sent_at: j.finished_at.filter(|_| status == "sent"),
                }
            })
            .collect())
    }

    pub async fn setting_get(&self, key: &str) -> Result<Option<String>> {
        Ok(
            on_db!(self.db(), pool => sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1")
            .bind(key).fetch_optional(pool).await?),
        )
    }

    /// Sets `key` to `value` only if it is still `old`.
    pub(crate) async fn setting_replace(&self, key: &str, old: &str, value: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE app_settings SET value = $3 WHERE key = $1 AND value = $2")
            .bind(key).bind(old).bind(value).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn setting_set(&self, key: &str, value: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key).bind(value).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn setting_delete(&self, key: &str) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query("DELETE FROM app_settings WHERE key = $1")
            .bind(key).execute(pool).await.map(|_| ())?);
        Ok(())
    }
}
