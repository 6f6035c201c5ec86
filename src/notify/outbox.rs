//! Handoff notifications: the handoff email of a conversation, queued as an email job of the
//! outbox ([`crate::outbox`]) by the write that hands the conversation off, so an SMTP server
//! that is down never blocks or loses a handoff; failed sends are recorded and retried on the
//! email retry policy. Also the SMTP settings and their test email.

use super::email::{handoff_email, test_email, validate, HandoffEmail, Mailer, SmtpSettings};
use crate::auth::{Actor, Permission};
use crate::error::{Error, FieldError, Result};
use crate::Baton;

pub use super::email::Notification;

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
        let link = crate::public_url::conversation_link(&base, conv.id);
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

    /// Wakes the outbox worker (after a write that queued a notification committed).
    pub(crate) fn notifications_wake(&self) {
        self.outbox_wake();
    }

    /// Runs the due jobs of the outbox once (emails today); returns how many were delivered.
    /// Called by tests, deterministically; `baton serve` runs [`Baton::outbox_worker`].
    pub async fn notifications_run_due(&self) -> Result<usize> {
        Ok(self.outbox_run_due().await?.done)
    }

    /// The outbox worker ([`Baton::outbox_worker`]), under its former name.
    pub async fn notifications_worker(self) {
        self.outbox_worker().await
    }

    pub async fn notification_list(&self, actor: &Actor) -> Result<Vec<Notification>> {
        actor.require(Permission::ManageTeam)?;
        self.store().notification_list(100).await
    }

    /// The SMTP settings with the password opened (it is stored sealed, see
    /// [`smtp_password_purpose`]).
    pub(crate) async fn smtp_settings(&self) -> Result<Option<SmtpSettings>> {
        let Some(mut s) = self
            .store()
            .setting_get("smtp")
            .await?
            .and_then(|s| serde_json::from_str::<SmtpSettings>(&s).ok())
        else {
            return Ok(None);
        };
        if let Some(p) = s
            .password
            .as_deref()
            .filter(|p| crate::secrets::is_sealed(p))
        {
            let opened = self
                .secret_key()?
                .open(p, &smtp_password_purpose(&s))
                .map_err(|_| {
                    Error::Internal(
                        "the stored SMTP password cannot be opened (was the secret key \
                         changed?): enter it again in Settings"
                            .into(),
                    )
                })?;
            s.password = Some(opened.expose().to_owned());
        }
        Ok(Some(s))
    }

    /// Seals an SMTP password an older Baton stored in clear (run at open).
    pub(crate) async fn smtp_password_seal_stored_in_clear(&self) -> Result<bool> {
        let Some(raw) = self.store().setting_get("smtp").await? else {
            return Ok(false);
        };
        let Ok(s) = serde_json::from_str::<SmtpSettings>(&raw) else {
            return Ok(false);
        };
        if s.password
            .as_deref()
            .is_none_or(|p| p.is_empty() || crate::secrets::is_sealed(p))
        {
            return Ok(false);
        }
        let sealed = self.smtp_sealed(s)?;
        self.store().setting_replace("smtp", &raw, &sealed).await?;
        Ok(true)
    }

    /// The settings as stored: the password sealed.
    pub(crate) fn smtp_sealed(&self, mut s: SmtpSettings) -> Result<String> {
        if let Some(p) = s.password.as_deref().filter(|p| !p.is_empty()) {
            let sealed = self
                .secret_key()?
                .seal(&crate::secrets::Secret::new(p), &smtp_password_purpose(&s));
            s.password = Some(sealed);
        }
        serde_json::to_string(&s).map_err(|e| Error::Internal(e.to_string()))
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
        let json = self.smtp_sealed(settings.clone())?;
        self.store().setting_set("smtp", &json).await?;
        Ok(settings.redacted())
    }

    /// Sends a test email now, with the stored settings.
    pub async fn settings_smtp_test(&self, actor: &Actor, to: String) -> Result<()> {
        actor.require(Permission::ManageTeam)?;
        if !crate::fields::is_valid_email(to.trim()) {
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

/// What the SMTP password is sealed for: that server (a sealed password kept after the host
/// changed does not open for the new one).
pub(crate) fn smtp_password_purpose(s: &SmtpSettings) -> String {
    format!("smtp-password:{}:{}", s.host, s.port)
}
