//! Rotating the secrets key: every stored secret (actions' credentials, model API keys,
//! webhook signing secrets, the SMTP password) opened with the current key and sealed again
//! with a new one, each value replaced only if it is still what was read. A value that opens
//! with the new key already (a rotation run again after a stop) is left as it is; one that
//! opens with neither is counted and left, to be entered again. `baton secrets rotate` runs it
//! with the servers stopped, then puts the new key where the old one was.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::secrets::{is_sealed, SecretKey};
use crate::store::sealed::Sealed;
use crate::Baton;

/// What a rotation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rotated {
    /// Values sealed again under the new key.
    pub resealed: usize,
    /// Values already under the new key.
    pub already: usize,
    /// Values neither key opens (kept; enter them again): where they are.
    pub unreadable: Vec<String>,
}

impl Baton {
    /// Seals every stored secret again under `new` (see the module).
    pub async fn secrets_rotate(&self, new: &SecretKey) -> Result<Rotated> {
        let old = self.secret_key()?;
        let mut out = Rotated::default();
        let mut one = |sealed: &str, purpose: &str, what: String| -> Option<String> {
            if new.open(sealed, purpose).is_ok() {
                out.already += 1;
                return None;
            }
            match old.open(sealed, purpose) {
                Ok(plain) => Some(new.seal(&plain, purpose)),
                Err(_) => {
                    out.unreadable.push(what);
                    None
                }
            }
        };
        let mut replaced = Vec::new();
        for what in Sealed::ALL {
            for (id, sealed, extra) in self.store().sealed_values(what).await? {
                let (purpose, name) = match what {
                    Sealed::ActionSecret => {
                        let Some(a) = self.store().action_get(id).await? else {
                            continue;
                        };
                        (
                            crate::actions::purpose(a.host()),
                            format!("action '{}'", a.action.name),
                        )
                    }
                    Sealed::EngineKey => (
                        crate::engine::settings::StoredEngine::key_purpose(id, extra.as_deref()),
                        format!("the model API key of agent {id}"),
                    ),
                    Sealed::WebhookSecret | Sealed::WebhookPrevious => (
                        crate::store::webhooks::secret_purpose(id),
                        format!("the signing secret of webhook {id}"),
                    ),
                };
                if let Some(resealed) = one(&sealed, &purpose, name) {
                    replaced.push((what, id, sealed, resealed));
                }
            }
        }
        // The SMTP password is a field of the SMTP settings document.
        let smtp = self.store().setting_get("smtp").await?;
        let mut smtp_new = None;
        if let Some(raw) = &smtp {
            if let Ok(mut s) = serde_json::from_str::<crate::notify::SmtpSettings>(raw) {
                if let Some(p) = s.password.clone().filter(|p| is_sealed(p)) {
                    let purpose = crate::notify::outbox::smtp_password_purpose(&s);
                    if let Some(resealed) = one(&p, &purpose, "the SMTP password".into()) {
                        s.password = Some(resealed);
                        smtp_new = Some(
                            serde_json::to_string(&s)
                                .map_err(|e| Error::Internal(e.to_string()))?,
                        );
                    }
                }
            }
        }
        for (what, id, old_value, new_value) in replaced {
            if self
                .store()
                .sealed_replace(what, id, &old_value, &new_value)
                .await?
            {
                out.resealed += 1;
            }
        }
        if let (Some(raw), Some(new_raw)) = (&smtp, &smtp_new) {
            self.store().setting_replace("smtp", raw, new_raw).await?;
            out.resealed += 1;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Actor;
    use serde_json::json;

    #[tokio::test]
    async fn every_stored_secret_is_sealed_again_under_the_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("baton.db").display());
        let b = Baton::open(&url).await.unwrap();
        let me = &Actor::Local;
        b.action_create(
            me,
            serde_json::from_value(json!({
                "name": "orders", "method": "GET", "url": "https://api.shop.example/orders",
                "auth": {"kind": "bearer", "secret": "tok-123"}
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        b.agent_engine_set(
            me,
            serde_json::from_value(json!({
                "kind": "openai", "base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini",
                "api_key": "sk-test-key"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        b.settings_smtp_set(
            me,
            serde_json::from_value(json!({
                "host": "smtp.example.com", "port": 587, "security": "starttls",
                "username": "baton", "password": "smtp-pass", "from": "baton@example.com"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        b.webhook_create(
            me,
            serde_json::from_value(json!({"name": "crm", "url": "https://crm.example.com/hook"}))
                .unwrap(),
        )
        .await
        .unwrap();
        let old = b.secret_key().unwrap();
        let new = SecretKey::generate();

        let r = b.secrets_rotate(&new).await.unwrap();
        assert_eq!(r.resealed, 4, "{r:?}");
        assert!(r.unreadable.is_empty());
        // Every sealed value opens with the new key only, to what it was.
        let mut opened = Vec::new();
        for what in Sealed::ALL {
            for (id, sealed, extra) in b.store().sealed_values(what).await.unwrap() {
                let purpose = match what {
                    Sealed::ActionSecret => crate::actions::purpose(
                        b.store().action_get(id).await.unwrap().unwrap().host(),
                    ),
                    Sealed::EngineKey => {
                        crate::engine::settings::StoredEngine::key_purpose(id, extra.as_deref())
                    }
                    _ => crate::store::webhooks::secret_purpose(id),
                };
                assert!(
                    old.open(&sealed, &purpose).is_err(),
                    "{what:?} still opens with the old key"
                );
                opened.push(new.open(&sealed, &purpose).unwrap().expose().to_owned());
            }
        }
        assert_eq!(opened.len(), 3);
        assert_eq!(&opened[..2], ["tok-123", "sk-test-key"]);
        assert!(opened[2].starts_with("whsec_"));
        let smtp: crate::notify::SmtpSettings =
            serde_json::from_str(&b.store().setting_get("smtp").await.unwrap().unwrap()).unwrap();
        let p = smtp.password.clone().unwrap();
        let purpose = crate::notify::outbox::smtp_password_purpose(&smtp);
        assert_eq!(new.open(&p, &purpose).unwrap().expose(), "smtp-pass");

        // Run again (a rotation stopped and restarted): nothing is sealed twice.
        let again = b.secrets_rotate(&new).await.unwrap();
        assert_eq!((again.resealed, again.already), (0, 4), "{again:?}");
        // A value neither key opens is named, and kept.
        let third = SecretKey::generate();
        let stray = third.seal(&crate::secrets::Secret::new("lost"), "nothing");
        let (id, current, _) = b
            .store()
            .sealed_values(Sealed::WebhookSecret)
            .await
            .unwrap()[0]
            .clone();
        assert!(b
            .store()
            .sealed_replace(Sealed::WebhookSecret, id, &current, &stray)
            .await
            .unwrap());
        let r = b.secrets_rotate(&new).await.unwrap();
        assert_eq!((r.resealed, r.already), (0, 3), "{r:?}");
        assert_eq!(
            r.unreadable,
            [format!("the signing secret of webhook {id}")]
        );
    }
}
