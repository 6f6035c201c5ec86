//! The address people open Baton at, for links that leave the app (the "Open the
//! conversation" link of a handoff email). An admin sets it on the Settings page; until then
//! it is the address this process serves on (`baton serve --bind`, or the desktop app's
//! visitor server), so a link never points at a port nobody listens on.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::Baton;

/// Used when nothing is set and this process serves nothing (the CLI).
pub const FALLBACK: &str = "http://127.0.0.1:8787";
pub const URL_MAX: usize = 2000;
const SETTING: &str = "public_url";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PublicUrl {
    /// What an admin saved; null when not set.
    pub saved: Option<String>,
    /// What links use now: the saved address, else the one this process serves on.
    pub effective: String,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicUrlInput {
    /// `https://baton.example.com` (a path is allowed, e.g. behind a proxy); null or empty
    /// clears it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub url: Option<String>,
}

/// The address a server bound to `addr` is reached at from this machine: an unspecified
/// address (0.0.0.0, ::) is not one a browser can open.
pub fn from_bind(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// `raw` as a base URL (no trailing slash), or why not.
pub fn parse(raw: &str) -> Result<String> {
    let bad = |m: &str| Error::invalid("url", "invalid", m);
    let raw = raw.trim();
    if raw.chars().count() > URL_MAX {
        return Err(bad("Enter an address of at most 2000 characters"));
    }
    let u = url::Url::parse(raw)
        .map_err(|_| bad("Enter a full address, such as https://baton.example.com"))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(bad("The address must start with https:// or http://"));
    }
    if u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() {
        return Err(bad(
            "Enter the address only, without a user name, ?query or #fragment",
        ));
    }
    Ok(u.as_str().trim_end_matches('/').to_owned())
}

/// The base for links: `saved` (the setting), else where this process serves, else
/// [`FALLBACK`].
pub(crate) fn effective(
    saved: Option<&str>,
    serving: &std::sync::RwLock<Option<String>>,
) -> String {
    match saved {
        Some(s) => s.to_owned(),
        None => serving
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_else(|| FALLBACK.into()),
    }
}

/// The name of the setting holding the saved address.
pub(crate) const SETTING_KEY: &str = SETTING;

/// Where an operator opens conversation `id` in the app at `base`.
pub fn conversation_link(base: &str, id: crate::Id) -> String {
    format!("{}/#/inbox/{id}", base.trim_end_matches('/'))
}

impl Baton {
    /// Records where this process serves, the default for links.
    pub fn serving_at(&self, addr: SocketAddr) {
        *self
            .store()
            .serving()
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(from_bind(addr));
    }

    /// The base for links: the saved address, else where this process serves.
    pub async fn public_url(&self) -> Result<String> {
        Ok(self.public_url_read().await?.effective)
    }

    async fn public_url_read(&self) -> Result<PublicUrl> {
        let saved = self.store().setting_get(SETTING).await?;
        let effective = effective(saved.as_deref(), self.store().serving());
        Ok(PublicUrl { saved, effective })
    }

    pub async fn settings_public_url_get(&self, actor: &Actor) -> Result<PublicUrl> {
        actor.require(Permission::ManageTeam)?;
        self.public_url_read().await
    }

    pub async fn settings_public_url_set(
        &self,
        actor: &Actor,
        input: PublicUrlInput,
    ) -> Result<PublicUrl> {
        actor.require(Permission::ManageTeam)?;
        match input
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => self.store().setting_set(SETTING, &parse(u)?).await?,
            None => self.store().setting_delete(SETTING).await?,
        }
        self.public_url_read().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_normalised() {
        assert_eq!(
            parse(" https://baton.example.com/ ").unwrap(),
            "https://baton.example.com"
        );
        assert_eq!(
            parse("http://10.0.0.5:9000/support/").unwrap(),
            "http://10.0.0.5:9000/support"
        );
        for bad in [
            "baton.example.com",
            "ftp://x.example",
            "javascript:alert(1)",
            "https://u:p@x.example",
            "https://x.example/?a=1",
            "",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("url"), "{bad}");
        }
    }

    #[test]
    fn the_default_is_where_the_server_listens() {
        assert_eq!(
            from_bind("127.0.0.1:9123".parse().unwrap()),
            "http://127.0.0.1:9123"
        );
        assert_eq!(
            from_bind("0.0.0.0:8080".parse().unwrap()),
            "http://localhost:8080"
        );
    }
}
