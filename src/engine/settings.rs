//! Which engine an agent uses: the built-in one (default) or an OpenAI-compatible endpoint.
//! The API key is write-only: stored for the calls, never returned nor logged.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::openai::{OpenAiConfig, OpenAiEngine};
use super::Engine;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Problems, Result};
use crate::secrets::SecretKey;
use crate::{Baton, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    Builtin,
    Openai,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct EngineSettings {
    pub kind: EngineKind,
    /// e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1` (Ollama).
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Whether an API key is stored (the key itself is never returned).
    pub has_api_key: bool,
    #[ts(type = "number")]
    pub timeout_ms: u64,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            kind: EngineKind::Builtin,
            base_url: None,
            model: None,
            has_api_key: false,
            timeout_ms: 15_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineSettingsInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub kind: EngineKind,
    #[serde(default)]
    #[ts(optional)]
    pub base_url: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub model: Option<String>,
    /// Omit to keep the stored key; an empty string removes it.
    #[serde(default)]
    #[ts(optional)]
    pub api_key: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub timeout_ms: Option<u64>,
}

/// What the store holds, key included (stays inside the core).
#[derive(Clone, sqlx::FromRow)]
pub(crate) struct StoredEngine {
    pub kind: String,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<String>,
    pub timeout_ms: i64,
    pub updated_at: DateTime<Utc>,
}

impl StoredEngine {
    fn public(&self) -> EngineSettings {
        EngineSettings {
            kind: if self.kind == "openai" {
                EngineKind::Openai
            } else {
                EngineKind::Builtin
            },
            base_url: self.base_url.clone(),
            model: self.model.clone(),
            has_api_key: self.api_key.as_deref().is_some_and(|k| !k.is_empty()),
            timeout_ms: u64::try_from(self.timeout_ms).unwrap_or(15_000),
        }
    }

    /// What the key is sealed for: this agent's endpoint at this host, so a sealed key copied
    /// to another agent, or kept after the address changed, does not open.
    pub(crate) fn key_purpose(agent: Id, base_url: Option<&str>) -> String {
        format!(
            "engine-api-key:{agent}:{}",
            base_url.and_then(host_of).unwrap_or_default()
        )
    }

    /// The model engine, its key opened with `key`.
    fn model_engine(&self, agent: Id, key: &SecretKey) -> Result<Option<Arc<OpenAiEngine>>> {
        if self.kind != "openai" {
            return Ok(None);
        }
        let api_key = match self.api_key.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(sealed) if crate::secrets::is_sealed(sealed) => Some(
                key.open(sealed, &Self::key_purpose(agent, self.base_url.as_deref()))
                    .map_err(|_| {
                        Error::Internal(
                            "the stored model API key cannot be opened (was the secret key \
                             changed?): enter it again on the AI agents page"
                                .into(),
                        )
                    })?
                    .expose()
                    .to_owned(),
            ),
            // Stored in clear by an older Baton (sealed at the next start).
            Some(clear) => Some(clear.to_owned()),
        };
        let cfg = OpenAiConfig {
            base_url: self.base_url.clone().unwrap_or_default(),
            model: self.model.clone().unwrap_or_default(),
            api_key,
            timeout: Duration::from_millis(u64::try_from(self.timeout_ms).unwrap_or(15_000)),
        };
        OpenAiEngine::new(cfg)
            .map(|e| Some(Arc::new(e)))
            .map_err(|e| Error::Internal(format!("engine settings: {e}")))
    }
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| {
        format!(
            "{}://{}:{}",
            u.scheme(),
            u.host_str().unwrap_or_default(),
            u.port_or_known_default().unwrap_or(0)
        )
    })
}

impl Baton {
    pub async fn agent_engine_get(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
    ) -> Result<EngineSettings> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        Ok(self
            .store()
            .engine_get(agent)
            .await?
            .map(|s| s.public())
            .unwrap_or_default())
    }

    pub async fn agent_engine_set(
        &self,
        actor: &Actor,
        input: EngineSettingsInput,
    ) -> Result<EngineSettings> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        let mut p = Problems::new();
        let timeout = input.timeout_ms.unwrap_or(15_000);
        if !(500..=120_000).contains(&timeout) {
            p.push(
                "timeout_ms",
                "out_of_range",
                "must be between 500 and 120000 milliseconds",
            );
        }
        if input.kind == EngineKind::Openai {
            match input.base_url.as_deref().map(url::Url::parse) {
                Some(Ok(u)) if matches!(u.scheme(), "http" | "https") => {
                    let mut allow = crate::outbound::Allow::loopback();
                    allow.extend_from_slice(crate::outbound::admin_allow_list());
                    if let Some(why) = crate::outbound::literal_refusal(&u, &allow) {
                        p.push("base_url", "address_refused", why);
                    }
                }
                _ => p.push(
                    "base_url",
                    "invalid_url",
                    "an http(s) URL like https://api.openai.com/v1 is required",
                ),
            }
            if input.model.as_deref().is_none_or(|m| m.trim().is_empty()) {
                p.push("model", "required", "the model name is required");
            }
        }
        p.into_result()?;
        // The stored key belongs to the stored endpoint: pointing at another host without a
        // new key forgets it, so nobody can send it elsewhere.
        let stored = self.store().engine_get(agent).await?;
        let stored_host = stored
            .as_ref()
            .and_then(|s| s.base_url.as_deref())
            .and_then(host_of);
        let same_host =
            stored_host.is_some() && stored_host == input.base_url.as_deref().and_then(host_of);
        // Sealed before it is stored: the database never holds the key in clear.
        let sealed = match input.api_key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => Some(self.secret_key()?.seal(
                &crate::secrets::Secret::new(k),
                &StoredEngine::key_purpose(agent, input.base_url.as_deref()),
            )),
            _ => None,
        };
        let api_key = match input.api_key.as_deref() {
            None if !same_host => Some(""),
            Some(k) if !k.trim().is_empty() => sealed.as_deref(),
            other => other,
        };
        self.store()
            .engine_set(
                agent,
                input.kind,
                input.base_url.as_deref(),
                input.model.as_deref(),
                api_key,
                timeout,
            )
            .await?;
        self.engines.lock().await.remove(&agent);
        self.agent_engine_get(actor, Some(agent)).await
    }

    /// Seals the model API keys an older Baton stored in clear (run at open).
    pub(crate) async fn engine_keys_seal_stored_in_clear(&self) -> Result<usize> {
        let clear = self.store().engine_keys_in_clear().await?;
        if clear.is_empty() {
            return Ok(0);
        }
        let key = self.secret_key()?;
        for (agent, base_url, value) in &clear {
            let sealed = key.seal(
                &crate::secrets::Secret::new(value.as_str()),
                &StoredEngine::key_purpose(*agent, base_url.as_deref()),
            );
            self.store().engine_key_seal(*agent, value, &sealed).await?;
        }
        Ok(clear.len())
    }

    /// Sends one short request to the configured model; returns what it answered.
    pub async fn agent_engine_test(&self, actor: &Actor, agent_id: Option<Id>) -> Result<String> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        let stored = self.store().engine_get(agent).await?;
        let key = self.secret_key()?;
        let Some(model) = stored
            .map(|s| s.model_engine(agent, &key))
            .transpose()?
            .flatten()
        else {
            return Ok("the built-in engine needs no connection".into());
        };
        model
            .test_connection()
            .await
            .map_err(|e| Error::BadRequest {
                message: format!("the model endpoint did not answer correctly: {e}"),
                field: Some("base_url".into()),
            })
    }

    /// The state of the agent's model endpoint as this process sees it (healthy, failing
    /// since…, open until…, the last error without secrets).
    pub async fn agent_engine_health(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
    ) -> Result<super::breaker::EngineHealth> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        let engine = self.engine_for(agent).await?;
        Ok(engine
            .health()
            .unwrap_or_else(|| super::breaker::EngineHealth {
                state: super::breaker::EngineHealthState::Builtin,
                failing_since: None,
                last_error: None,
                consecutive_failures: 0,
                retry_at: None,
                checked_at: (self.engine_clock)(),
            }))
    }

    /// Tells the agent's notification addresses once, when its model endpoint's breaker opens.
    pub(crate) async fn engine_down_notify(&self, agent: Id, engine: &Engine) -> Result<()> {
        let Some(health) = engine.health() else {
            return Ok(());
        };
        let Some(cfg) = self.store().handoff_config(agent).await? else {
            return Ok(());
        };
        let name = self
            .store()
            .agent_get(agent)
            .await?
            .map(|a| a.name)
            .unwrap_or_default();
        tracing::warn!(agent, error = ?health.last_error, "the model endpoint is down; the built-in engine answers");
        if cfg.settings.emails.is_empty() {
            return Ok(());
        }
        let email =
            crate::notify::email::engine_down_email(cfg.settings.emails.clone(), &name, &health);
        self.outbox_enqueue(&crate::outbox::model::Job::Email(email), None)
            .await?;
        Ok(())
    }

    /// The engine of an agent, cached until its settings change.
    pub(crate) async fn engine_for(&self, agent: Id) -> Result<Engine> {
        let stored = self.store().engine_get(agent).await?;
        let stamp = stored.as_ref().map(|s| s.updated_at);
        let mut cache = self.engines.lock().await;
        if let Some((s, e)) = cache.get(&agent) {
            if *s == stamp {
                return Ok(e.clone());
            }
        }
        let opened = match stored.as_ref() {
            Some(s) => self
                .secret_key()
                .and_then(|key| s.model_engine(agent, &key))
                .map(Some),
            None => Ok(None),
        };
        let engine = match opened {
            Ok(Some(Some(model))) => Engine::with_model(model, self.engine_clock.clone()),
            Ok(_) => Engine::builtin(),
            Err(e) => {
                tracing::warn!(agent, error = %e, "invalid engine settings; using the built-in engine");
                Engine::builtin()
            }
        };
        cache.insert(agent, (stamp, engine.clone()));
        Ok(engine)
    }
}
