use chrono::{DateTime, Utc};

use super::{now, on_db, Store};
use crate::error::{Error, Result};
use crate::notify::outbox::Notification;
use crate::notify::Email;
use crate::Id;

#[derive(sqlx::FromRow)]
struct DueRow {
    id: Id,
    recipients: String,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    attempts: i64,
}

const COLUMNS: &str = "id, conversation_id, recipients, subject, status, attempts, last_error, \
                       next_attempt_at, created_at, sent_at";

impl Store {
    pub async fn notification_enqueue(
        &self,
        conversation: Option<Id>,
        email: &Email,
    ) -> Result<Id> {
        let t = now();
        let to = serde_json::to_string(&email.to).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(on_db!(self.db(), pool => sqlx::query_scalar(
            "INSERT INTO notifications (conversation_id, recipients, subject, body_text, body_html, status, \
             attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) RETURNING id")
            .bind(conversation).bind(to).bind(&email.subject).bind(&email.text).bind(&email.html).bind(t)
            .fetch_one(pool).await?))
    }

    pub async fn notifications_due(
        &self,
        at: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(Id, Email, i64)>> {
        let rows: Vec<DueRow> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, recipients, subject, body_text, body_html, attempts FROM notifications \
             WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2")
            .bind(at).bind(limit).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| {
                let to: Vec<String> = serde_json::from_str(&r.recipients).unwrap_or_default();
                (
                    r.id,
                    Email {
                        to,
                        subject: r.subject,
                        text: r.body_text,
                        html: r.body_html,
                    },
                    r.attempts,
                )
            })
            .collect())
    }

    /// Claims a due notification for one sender: pushes its next attempt out by `lease` so
    /// another worker (the desktop app and a server on one database) does not send it too.
    pub async fn notification_claim(
        &self,
        id: Id,
        at: DateTime<Utc>,
        lease: DateTime<Utc>,
    ) -> Result<bool> {
        let n = on_db!(self.db(), pool => sqlx::query(
            "UPDATE notifications SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2")
            .bind(id).bind(at).bind(lease).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    pub async fn notification_sent(&self, id: Id) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE notifications SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE id = $1")
            .bind(id).bind(now()).execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn notification_failed(
        &self,
        id: Id,
        attempts: i64,
        error: &str,
        next: DateTime<Utc>,
        give_up: bool,
    ) -> Result<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE notifications SET status = $2, attempts = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1")
            .bind(id).bind(if give_up { "failed" } else { "pending" }).bind(attempts).bind(error).bind(next)
            .execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn notification_list(&self, limit: i64) -> Result<Vec<Notification>> {
        let sql = format!("SELECT {COLUMNS} FROM notifications ORDER BY id DESC LIMIT $1");
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, Notification>(&sql).bind(limit).fetch_all(pool).await?),
        )
    }

    pub async fn setting_get(&self, key: &str) -> Result<Option<String>> {
        Ok(
            on_db!(self.db(), pool => sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1")
            .bind(key).fetch_optional(pool).await?),
        )
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
