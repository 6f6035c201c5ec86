//! The desktop app's own settings (`desktop.json` in the OS config directory: which database to
//! open, whether to run the visitor-facing server in-process) and that in-process server.
//!
//! Nothing here knows about Tauri: the shell loads the settings, opens the database they name,
//! attaches a [`Desktop`] to its [`Baton`] with [`Baton::with_desktop`] and starts the server with
//! [`Baton::desktop_start`]. The UI reads and saves the settings through the commands
//! `desktop_settings_get` / `desktop_settings_set`, which only the local owner (the desktop app's
//! IPC) may call; a `Baton` without a `Desktop` (the CLI, `baton serve`) refuses them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{Error, Problems, Result};
use crate::Baton;

/// Where the visitor server listens unless told otherwise: loopback only.
pub const DEFAULT_VISITOR_ADDRESS: &str = "127.0.0.1:8787";

/// How long a stopping visitor server may take to finish its open requests.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// The desktop settings file (`desktop.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DesktopSettings {
    /// A `postgres://` URL (a database shared by a team) or a `sqlite:` URL; empty = the
    /// embedded SQLite file in the OS data directory. `BATON_DATABASE_URL` wins when set.
    pub database_url: String,
    pub visitor_server: VisitorServerSettings,
}

/// The visitor-facing server (widget, visitor API, web UI) run inside the desktop app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
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
#[derive(Debug, Clone, Serialize, TS, ToSchema)]
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
            .unwrap_or_else(crate::store::default_sqlite_url)
    }

    fn redacted(mut self) -> Self {
        self.database_url = crate::outbound::redact_url(&self.database_url);
        self
    }
}

fn parse_address(address: &str) -> Option<SocketAddr> {
    address.trim().parse().ok()
}

/// Whether `address` only accepts connections from this machine.
pub fn is_loopback(address: &str) -> bool {
    parse_address(address).is_some_and(|a| a.ip().is_loopback())
}

/// The desktop app's runtime: its settings file, the database it opened and the visitor server.
#[derive(Debug)]
pub struct Desktop {
    path: PathBuf,
    database_in_use: String,
    database_from_env: bool,
    server: tokio::sync::Mutex<ServerSlot>,
}

#[derive(Debug, Default)]
struct ServerSlot {
    running: Option<Running>,
    error: Option<String>,
}

#[derive(Debug)]
struct Running {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Desktop {
    /// `path`: the settings file; `database_in_use`: the URL the app opened.
    pub fn new(path: PathBuf, database_in_use: String, database_from_env: bool) -> Desktop {
        Desktop {
            path,
            database_in_use,
            database_from_env,
            server: Default::default(),
        }
    }
}

impl Baton {
    /// This handle, for the desktop app: it answers the desktop settings commands.
    pub fn with_desktop(mut self, desktop: Desktop) -> Baton {
        self.desktop = Some(Arc::new(desktop));
        self
    }

    fn desktop(&self, actor: &Actor) -> Result<&Arc<Desktop>> {
        if *actor != Actor::Local {
            return Err(Error::Forbidden(
                "only the desktop app may read or change its settings".into(),
            ));
        }
        self.desktop.as_ref().ok_or(Error::BadRequest {
            message: "desktop settings exist in the desktop app only".into(),
            field: None,
        })
    }

    /// Starts the visitor server if `visitor_server` (the saved settings) enables it; a failure
    /// to listen is recorded in the status, not returned.
    pub async fn desktop_start(&self, visitor_server: &VisitorServerSettings) -> Result<()> {
        let desktop = self.desktop(&Actor::Local)?;
        self.visitor_server_apply(desktop, visitor_server).await;
        Ok(())
    }

    pub async fn desktop_settings_get(&self, actor: &Actor) -> Result<DesktopStatus> {
        let desktop = self.desktop(actor)?;
        self.desktop_status(desktop, DesktopSettings::load(&desktop.path)?)
            .await
    }

    /// Saves the settings; a changed visitor server toggle or address applies at once, a changed
    /// database on the next launch.
    pub async fn desktop_settings_set(
        &self,
        actor: &Actor,
        mut settings: DesktopSettings,
    ) -> Result<DesktopStatus> {
        let desktop = self.desktop(actor)?;
        settings.database_url = settings.database_url.trim().to_owned();
        settings.visitor_server.address = settings.visitor_server.address.trim().to_owned();
        // The redacted URL sent back unchanged keeps the stored password.
        let stored = DesktopSettings::load(&desktop.path).unwrap_or_default();
        if settings.database_url != stored.database_url
            && settings.database_url == crate::outbound::redact_url(&stored.database_url)
        {
            settings.database_url = stored.database_url;
        }
        settings.save(&desktop.path)?;
        self.visitor_server_apply(desktop, &settings.visitor_server)
            .await;
        self.desktop_status(desktop, settings).await
    }

    async fn desktop_status(
        &self,
        desktop: &Desktop,
        settings: DesktopSettings,
    ) -> Result<DesktopStatus> {
        let env = std::env::var("BATON_DATABASE_URL").ok();
        let wanted = settings.database_url(env.as_deref());
        let slot = desktop.server.lock().await;
        Ok(DesktopStatus {
            restart_needed: wanted != desktop.database_in_use,
            settings: settings.redacted(),
            settings_path: desktop.path.display().to_string(),
            database_in_use: crate::outbound::redact_url(&desktop.database_in_use),
            database_from_env: desktop.database_from_env,
            visitor_server_running_at: slot.running.as_ref().map(|r| format!("http://{}", r.addr)),
            visitor_server_error: slot.error.clone(),
        })
    }

    /// Makes the visitor server match `wanted`: stops it, (re)starts it, or leaves it running.
    async fn visitor_server_apply(&self, desktop: &Desktop, wanted: &VisitorServerSettings) {
        let mut slot = desktop.server.lock().await;
        let addr = parse_address(&wanted.address);
        if wanted.enabled && slot.running.as_ref().map(|r| r.addr) == addr && addr.is_some() {
            return;
        }
        slot.error = None;
        if let Some(running) = slot.running.take() {
            let _ = running.stop.send(());
            let mut task = running.task;
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                // A live stream still open: end it.
                task.abort();
                let _ = task.await;
            }
            tracing::info!(address = %running.addr, "visitor server stopped");
        }
        if !wanted.enabled {
            return;
        }
        let Some(addr) = addr else {
            slot.error = Some(format!("invalid address {:?}", wanted.address));
            return;
        };
        let listener = match crate::http::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(address = %addr, error = %e, "visitor server cannot listen");
                slot.error = Some(format!("cannot listen on {addr}: {e}"));
                return;
            }
        };
        let addr = listener.local_addr().unwrap_or(addr);
        self.serving_at(addr);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        // The server's handle has no desktop: nothing reached over HTTP can touch these settings.
        let mut served = self.clone();
        served.desktop = None;
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = crate::http::serve(served, listener, shutdown).await {
                tracing::error!(error = %e, "visitor server failed");
            }
        });
        tracing::info!(address = %addr, "visitor server listening");
        slot.running = Some(Running { addr, stop, task });
    }
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
        assert_eq!(s.database_url(None), crate::store::default_sqlite_url());
        assert_eq!(s.database_url(Some("")), crate::store::default_sqlite_url());
        s.database_url = "postgres://h/db".into();
        assert_eq!(s.database_url(None), "postgres://h/db");
        assert_eq!(s.database_url(Some("sqlite://x.db")), "sqlite://x.db");
    }

    #[tokio::test]
    async fn settings_commands_belong_to_the_desktop_and_run_the_visitor_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("b.db").display());
        let path = dir.path().join("desktop.json");
        let plain = Baton::open(&db).await.unwrap();
        // Without a desktop (CLI, `baton serve`), or for anyone but the local owner: refused.
        assert!(plain.desktop_settings_get(&Actor::Local).await.is_err());
        let b = plain.with_desktop(Desktop::new(path.clone(), db.clone(), false));
        let token = Actor::Token {
            token_id: 1,
            agent_id: None,
        };
        assert!(matches!(
            b.desktop_settings_get(&token).await,
            Err(Error::Forbidden(_))
        ));

        let st = b.desktop_settings_get(&Actor::Local).await.unwrap();
        assert_eq!(st.visitor_server_running_at, None);
        assert_eq!(st.database_in_use, db);

        // On at a free port: it answers. Moved to an address in use: the error is recorded.
        let mut s = DesktopSettings::default();
        s.visitor_server.enabled = true;
        s.visitor_server.address = "127.0.0.1:0".into();
        let st = b
            .desktop_settings_set(&Actor::Local, s.clone())
            .await
            .unwrap();
        let at = st.visitor_server_running_at.clone().expect("running");
        let port: u16 = at.rsplit(':').next().unwrap().parse().unwrap();
        assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok());

        let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        s.visitor_server.address = other.local_addr().unwrap().to_string();
        let st = b
            .desktop_settings_set(&Actor::Local, s.clone())
            .await
            .unwrap();
        assert_eq!(st.visitor_server_running_at, None);
        assert!(st.visitor_server_error.unwrap().contains("cannot listen"));
        assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err());

        // Off; the database change waits for a restart, the password stays hidden and kept.
        s.visitor_server.enabled = false;
        s.database_url = "postgres://u:secret@db.example.com/baton".into();
        let st = b
            .desktop_settings_set(&Actor::Local, s.clone())
            .await
            .unwrap();
        assert_eq!(st.visitor_server_error, None);
        assert!(st.restart_needed);
        assert_eq!(
            st.settings.database_url,
            "postgres://u:***@db.example.com/baton"
        );
        b.desktop_settings_set(&Actor::Local, st.settings)
            .await
            .unwrap();
        let saved = DesktopSettings::load(&path).unwrap();
        assert_eq!(
            saved.database_url,
            "postgres://u:secret@db.example.com/baton"
        );
    }
}
