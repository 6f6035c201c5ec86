//! The desktop app's own settings: `desktop.json` in the OS config directory, naming the
//! database to open and whether to run the visitor-facing server in-process. They belong to
//! this shell, not to the core: nothing `baton serve` or the CLI runs can read or change them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use baton::error::{Error, Problems, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the visitor server listens unless told otherwise: loopback only.
pub const DEFAULT_VISITOR_ADDRESS: &str = "127.0.0.1:8787";

/// The desktop settings file (`desktop.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct DesktopSettings {
    /// A `postgres://` URL (a database shared by a team) or a `sqlite:` URL; empty = the
    /// embedded SQLite file in the OS data directory. `BATON_DATABASE_URL` wins when set.
    pub database_url: String,
    pub visitor_server: VisitorServerSettings,
}

/// The visitor-facing server (widget, visitor API, web UI) run inside the desktop app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct VisitorServerSettings {
    pub enabled: bool,
    /// `host:port` to listen on; loopback by default.
    pub address: String,
}

impl Default for VisitorServerSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            address: DEFAULT_VISITOR_ADDRESS.to_owned(),
        }
    }
}

/// The settings and what the running app does with them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DesktopStatus {
    /// As saved; a database password is shown as `***` (send it back unchanged to keep it).
    pub settings: DesktopSettings,
    /// The settings file.
    pub settings_path: String,
    /// The database this app has open, password redacted.
    pub database_in_use: String,
    /// `BATON_DATABASE_URL` chose the database (it overrides the settings).
    pub database_from_env: bool,
    /// The saved database differs from the one in use: it applies on the next launch.
    pub restart_needed: bool,
    /// `http://host:port` of the running visitor server.
    pub visitor_server_running_at: Option<String>,
    /// Why the visitor server is not running although enabled (e.g. the address is in use).
    pub visitor_server_error: Option<String>,
}

/// The settings file in the OS config directory (`$XDG_CONFIG_HOME/baton/desktop.json` on Linux).
pub fn settings_path() -> PathBuf {
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("baton")
        .join("desktop.json")
}

impl DesktopSettings {
    /// Reads `path`; a missing file is the defaults.
    pub fn load(path: &Path) -> Result<DesktopSettings> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::Internal(format!("{}: {e}", path.display()))),
        };
        serde_json::from_str(&text)
            .map_err(|e| Error::Internal(format!("{}: invalid settings: {e}", path.display())))
    }

    /// Validates, then writes `path` (through a temporary file, so a crash never leaves half a
    /// file), creating its directory.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.validate()?;
        let io = |e: std::io::Error| Error::Internal(format!("{}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text =
            serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        // The file may hold a database password: readable by its owner only.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(io)?;
        std::io::Write::write_all(&mut file, (text + "\n").as_bytes()).map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Every invalid field at once: `database_url`, `visitor_server.address`.
    pub fn validate(&self) -> Result<()> {
        let mut p = Problems::new();
        let url = self.database_url.trim();
        if !url.is_empty() {
            if url.starts_with("sqlite:") {
                // Any path; the store creates the file.
            } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                if url::Url::parse(url).map_or(true, |u| u.host_str().is_none_or(str::is_empty)) {
                    p.push(
                        "database_url",
                        "invalid_url",
                        "not a valid PostgreSQL URL (postgres://user:password@host/database)",
                    );
                }
            } else {
                p.push(
                    "database_url",
                    "unsupported_database",
                    "use a postgres:// URL, a sqlite: URL, or leave empty for the local file",
                );
            }
        }
        if parse_address(&self.visitor_server.address).is_none() {
            p.push(
                "visitor_server.address",
                "invalid_address",
                "use an IP address and port, e.g. 127.0.0.1:8787",
            );
        }
        p.into_result()
    }

    /// The database to open: `env` (the value of `BATON_DATABASE_URL`) when set, else the saved
    /// URL, else the embedded SQLite file.
    pub fn database_url(&self, env: Option<&str>) -> String {
        env.map(str::trim)
            .filter(|u| !u.is_empty())
            .or_else(|| Some(self.database_url.trim()).filter(|u| !u.is_empty()))
            .map(str::to_owned)
            .unwrap_or_else(baton::store::default_sqlite_url)
    }

    pub(crate) fn redacted(mut self) -> Self {
        self.database_url = baton::outbound::redact_url(&self.database_url);
        self
    }
}

pub(crate) fn parse_address(address: &str) -> Option<SocketAddr> {
    address.trim().parse().ok()
}

/// Whether `address` only accepts connections from this machine.
pub fn is_loopback(address: &str) -> bool {
    parse_address(address).is_some_and(|a| a.ip().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_fields(e: Error) -> Vec<String> {
        e.field_errors().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_saved_one_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baton/desktop.json");
        let s = DesktopSettings::load(&path).unwrap();
        assert_eq!(s, DesktopSettings::default());
        assert_eq!(s.visitor_server.address, "127.0.0.1:8787");
        assert!(!s.visitor_server.enabled);

        let s = DesktopSettings {
            database_url: "postgres://baton:secret@db.example.com/baton".into(),
            visitor_server: VisitorServerSettings {
                enabled: true,
                address: "0.0.0.0:9000".into(),
            },
        };
        s.save(&path).unwrap();
        assert_eq!(DesktopSettings::load(&path).unwrap(), s);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the password is for the owner's eyes only");
        }
        // Fields left out take their defaults.
        std::fs::write(&path, r#"{"visitor_server":{"enabled":true}}"#).unwrap();
        let s = DesktopSettings::load(&path).unwrap();
        assert!(s.visitor_server.enabled);
        assert_eq!(s.visitor_server.address, DEFAULT_VISITOR_ADDRESS);
        assert_eq!(s.database_url, "");
    }

    #[test]
    fn invalid_settings_name_their_fields_and_are_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desktop.json");
        let s = DesktopSettings {
            database_url: "mysql://localhost/baton".into(),
            visitor_server: VisitorServerSettings {
                enabled: true,
                address: "localhost".into(),
            },
        };
        let e = s.save(&path).unwrap_err();
        assert_eq!(e.code(), "validation_failed");
        assert_eq!(
            invalid_fields(e),
            ["database_url", "visitor_server.address"]
        );
        assert!(!path.exists());

        for ok in [
            "",
            "sqlite:///tmp/x.db",
            "sqlite::memory:",
            "postgres://u:p@h/db",
            "postgresql://h:5432/db",
        ] {
            let s = DesktopSettings {
                database_url: ok.into(),
                ..Default::default()
            };
            assert!(s.validate().is_ok(), "{ok}");
        }
        for bad in ["postgres://", "http://h/db", "baton.db"] {
            let s = DesktopSettings {
                database_url: bad.into(),
                ..Default::default()
            };
            assert_eq!(
                invalid_fields(s.validate().unwrap_err()),
                ["database_url"],
                "{bad}"
            );
        }
        for (addr, ok) in [
            ("127.0.0.1:8787", true),
            ("[::1]:80", true),
            ("0.0.0.0:8787", true),
            ("127.0.0.1", false),
            ("127.0.0.1:99999", false),
            ("", false),
        ] {
            let s = DesktopSettings {
                visitor_server: VisitorServerSettings {
                    enabled: false,
                    address: addr.into(),
                },
                ..Default::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "{addr}");
        }
        assert!(is_loopback("127.0.0.1:8787"));
        assert!(is_loopback("[::1]:8787"));
        assert!(!is_loopback("0.0.0.0:8787"));
    }

    #[test]
    fn the_environment_wins_then_the_settings_then_the_local_file() {
        let mut s = DesktopSettings::default();
        assert_eq!(s.database_url(None), baton::store::default_sqlite_url());
        assert_eq!(s.database_url(Some("")), baton::store::default_sqlite_url());
        s.database_url = "postgres://h/db".into();
        assert_eq!(s.database_url(None), "postgres://h/db");
        assert_eq!(s.database_url(Some("sqlite://x.db")), "sqlite://x.db");
    }
}
