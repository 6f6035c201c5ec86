//! The notification outbox: handoff emails are queued in the database with the handoff and sent
//! by a worker, so an SMTP server that is down never blocks or loses a handoff; failed sends
//! are recorded and retried with backoff.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::email::{handoff_email, test_email, validate, HandoffEmail, Mailer, SmtpSettings};
use crate::auth::{Actor, Permission};
use crate::error::{Error, FieldError, Result};
use crate::{Baton, Id};

/// Attempts before a notification is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema, sqlx::FromRow)]
pub struct Notification {
    #[ts(type = "number")]
    pub id: Id,
    #[ts(type = "number | null")]
    pub conversation_id: Option<Id>,
    pub recipients: String,
    pub subject: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    #[ts(type = "number")]
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Backoff after `attempts` failures: 30 s, 1 min, 2 min … capped at 1 h.
pub fn backoff(attempts: i64) -> Duration {
    let secs = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    Duration::seconds(secs.min(3600))
}

impl Baton {
    /// The handoff email of `conv` (as it stands once handed off), when the agent's settings
    /// ask for one: to the matched routing profile's active operators, else to
    /// `settings.emails`. It is queued by the write that hands the conversation off
    /// ([`crate::store::conversations::ConversationWrite::notification`]), so a handoff and its
    /// email are stored together or not at all.
    pub(crate) async fn handoff_notification(
        &self,
        conv: &crate::conversations::model::Conversation,
        cfg: &crate::handoff::HandoffConfiguration,
        visitor_excerpt: Option<&str>,
    ) -> Result<Option<crate::notify::Email>> {
        if !cfg.settings.send_email_notification {
            return Ok(None);
        }
        let profile = cfg
            .routing_profiles
            .iter()
            .find(|p| Some(p.id) == conv.routing_profile_id);
        let mut to: Vec<String> = Vec::new();
        if let Some(p) = profile {
            for op in self.store().operator_list().await? {
                if op.is_active && p.user_ids.contains(&op.id) {
                    to.push(op.email);
                }
            }
        }
        if to.is_empty() {
            to = cfg.settings.emails.clone();
        }
        if to.is_empty() {
            return Ok(None);
        }
        let agent = self
            .store()
            .agent_get(conv.agent_id)
            .await?
            .ok_or(Error::not_found("agent"))?;
        let base = self.public_url().await?;
        let link = format!("{}/#/inbox/{}", base.trim_end_matches('/'), conv.id);
        let gathered: Vec<(String, String)> = conv
            .gathered
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Some(handoff_email(
            to,
            &HandoffEmail {
                agent_name: &agent.name,
                conversation_id: conv.id,
                reason: conv.handoff_reason.as_deref().unwrap_or("handoff"),
                priority: conv.priority.map(|p| p.as_str()),
                summary: conv.ai_summary.as_deref(),
                gathered: &gathered,
                routing_profile: profile.map(|p| p.name.as_str()),
                link: &link,
                visitor_excerpt,
            },
        )))
    }

    /// Wakes the notification worker (after a write that queued a notification committed).
    pub(crate) fn notifications_wake(&self) {
        self.notifier.notify_one();
    }

    /// Sends every due notification once; returns how many were sent. Called by the worker of
    /// `baton serve` (and by tests, deterministically).
    pub async fn notifications_run_due(&self) -> Result<usize> {
        let due = self.store().notifications_due(Utc::now(), 50).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let settings = self.smtp_settings().await?;
        let mailer = match settings.as_ref().map(Mailer::new) {
            Some(Ok(m)) => Some(m),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "SMTP settings are invalid");
                None
            }
            None => None,
        };
        let mut sent = 0;
        let now = Utc::now();
        for (id, email, attempts) in due {
            if !self
                .store()
                .notification_claim(id, now, now + Duration::minutes(5))
                .await?
            {
                continue; // another worker has it
            }
            let result = match &mailer {
                Some(m) => m.send(&email).await.map_err(|e| e.to_string()),
                None => Err("SMTP is not configured (Settings → Email)".to_owned()),
            };
            match result {
                Ok(()) => {
                    self.store().notification_sent(id).await?;
                    sent += 1;
                }
                Err(e) => {
                    let attempts = attempts + 1;
                    let give_up = attempts >= MAX_ATTEMPTS;
                    tracing::warn!(notification = id, attempts, error = %e, "handoff email not sent");
                    self.store()
                        .notification_failed(
                            id,
                            attempts,
                            &e,
                            Utc::now() + backoff(attempts),
                            give_up,
                        )
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    /// Runs the outbox until the process ends: on every new notification and every 15 s.
    pub async fn notifications_worker(self) {
        loop {
            if let Err(e) = self.notifications_run_due().await {
                tracing::error!(error = %e, "notification worker");
            }
            let _ =
                tokio::time::timeout(std::time::Duration::from_secs(15), self.notifier.notified())
                    .await;
        }
    }

    pub async fn notification_list(&self, actor: &Actor) -> Result<Vec<Notification>> {
        actor.require(Permission::ManageTeam)?;
        self.store().notification_list(100).await
    }

    async fn smtp_settings(&self) -> Result<Option<SmtpSettings>> {
        Ok(self
            .store()
            .setting_get("smtp")
            .await?
            .and_then(|s| serde_json::from_str(&s).ok()))
    }

    /// SMTP settings with the password redacted.
    pub async fn settings_smtp_get(&self, actor: &Actor) -> Result<Option<SmtpSettings>> {
        actor.require(Permission::ManageTeam)?;
        Ok(self.smtp_settings().await?.map(|s| s.redacted()))
    }

    pub async fn settings_smtp_set(
        &self,
        actor: &Actor,
        settings: SmtpSettings,
    ) -> Result<SmtpSettings> {
        actor.require(Permission::ManageTeam)?;
        let stored = self.smtp_settings().await?;
        // "***" means "keep the stored password", but only for the same server.
        let settings = match &stored {
            Some(s) if s.host == settings.host && s.port == settings.port => {
                settings.restore_redacted(s)
            }
            _ if settings.password.as_deref() == Some(super::email::REDACTED_PASSWORD) => {
                return Err(Error::invalid(
                    "password",
                    "required",
                    "enter the password again for the new server",
                ));
            }
            _ => settings,
        };
        validate(&settings).map_err(|errs| {
            Error::Validation(
                errs.into_iter()
                    .map(|(f, m)| FieldError::new(f, "invalid", m))
                    .collect(),
            )
        })?;
        let json = serde_json::to_string(&settings).map_err(|e| Error::Internal(e.to_string()))?;
        self.store().setting_set("smtp", &json).await?;
        Ok(settings.redacted())
    }

    /// Sends a test email now, with the stored settings.
    pub async fn settings_smtp_test(&self, actor: &Actor, to: String) -> Result<()> {
        actor.require(Permission::ManageTeam)?;
        if !crate::handoff::validate::is_valid_email(to.trim()) {
            return Err(Error::invalid(
                "to",
                "invalid_email",
                "not an email address",
            ));
        }
        let settings = self.smtp_settings().await?.ok_or_else(|| {
            Error::invalid("smtp", "not_configured", "save the SMTP settings first")
        })?;
        let mailer =
            Mailer::new(&settings).map_err(|e| Error::invalid("smtp", "invalid", e.to_string()))?;
        mailer
            .send(&test_email(vec![to.trim().to_owned()]))
            .await
            .map_err(|e| Error::BadRequest {
                message: format!("the test email was not sent: {e}"),
                field: Some("smtp".into()),
            })
    }
}
