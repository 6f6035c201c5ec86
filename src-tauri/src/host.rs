//! What only the desktop app can do: read and save its settings file, and run the
//! visitor-facing server inside the app. These are the shell's own commands, answered here
//! before the core's command list; `baton serve` and the CLI have no `Desktop`, so nothing
//! reached over HTTP can touch them (the server's `/v1/rpc/desktop_settings_get` is simply an
//! unknown command).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use baton::error::{Error, Result};
use baton::Baton;

use crate::settings::{parse_address, DesktopSettings, DesktopStatus, VisitorServerSettings};

/// How long a stopping visitor server may take to finish its open requests.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// The desktop app's runtime: the core it opened, its settings file, the database it opened and
/// the visitor server.
#[derive(Debug)]
pub struct Desktop {
    baton: Baton,
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

/// The shell's commands, in the order of the generated `DesktopCommands` map.
pub const COMMANDS: &[&str] = &["desktop_settings_get", "desktop_settings_set"];

impl Desktop {
    /// `path`: the settings file; `database_in_use`: the URL `baton` was opened on.
    pub fn new(
        baton: Baton,
        path: PathBuf,
        database_in_use: String,
        database_from_env: bool,
    ) -> Desktop {
        Desktop {
            baton,
            path,
            database_in_use,
            database_from_env,
            server: Default::default(),
        }
    }

    /// Runs the shell command `name`, or `None` when it is not one (then it is the core's).
    pub async fn dispatch(
        &self,
        name: &str,
        args: serde_json::Value,
    ) -> Option<Result<serde_json::Value>> {
        let out = match name {
            "desktop_settings_get" => self.settings_get().await,
            "desktop_settings_set" => match parse(args) {
                Ok(settings) => self.settings_set(settings).await,
                Err(e) => Err(e),
            },
            _ => return None,
        };
        Some(out.and_then(|s| serde_json::to_value(s).map_err(|e| Error::Internal(e.to_string()))))
    }

    /// Starts the visitor server if `visitor_server` (the saved settings) enables it; a failure
    /// to listen is recorded in the status, not returned.
    pub async fn start(&self, visitor_server: &VisitorServerSettings) {
        self.visitor_server_apply(visitor_server).await;
    }

    /// The settings and what runs now (`desktop_settings_get`).
    pub async fn settings_get(&self) -> Result<DesktopStatus> {
        self.status(DesktopSettings::load(&self.path)?).await
    }

    /// Saves the settings (`desktop_settings_set`); a changed visitor server toggle or address
    /// applies at once, a changed database on the next launch.
    pub async fn settings_set(&self, mut settings: DesktopSettings) -> Result<DesktopStatus> {
        settings.database_url = settings.database_url.trim().to_owned();
        settings.visitor_server.address = settings.visitor_server.address.trim().to_owned();
        // The redacted URL sent back unchanged keeps the stored password.
        let stored = DesktopSettings::load(&self.path).unwrap_or_default();
        if settings.database_url != stored.database_url
            && settings.database_url == baton::outbound::redact_url(&stored.database_url)
        {
            settings.database_url = stored.database_url;
        }
        settings.save(&self.path)?;
        self.visitor_server_apply(&settings.visitor_server).await;
        self.status(settings).await
    }

    async fn status(&self, settings: DesktopSettings) -> Result<DesktopStatus> {
        let env = std::env::var("BATON_DATABASE_URL").ok();
        let wanted = settings.database_url(env.as_deref());
        let slot = self.server.lock().await;
        Ok(DesktopStatus {
            restart_needed: wanted != self.database_in_use,
            settings: settings.redacted(),
            settings_path: self.path.display().to_string(),
            database_in_use: baton::outbound::redact_url(&self.database_in_use),
            database_from_env: self.database_from_env,
            visitor_server_running_at: slot.running.as_ref().map(|r| format!("http://{}", r.addr)),
            visitor_server_error: slot.error.clone(),
        })
    }

    /// Makes the visitor server match `wanted`: stops it, (re)starts it, or leaves it running.
    async fn visitor_server_apply(&self, wanted: &VisitorServerSettings) {
        let mut slot = self.server.lock().await;
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
        let listener = match baton::http::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(address = %addr, error = %e, "visitor server cannot listen");
                slot.error = Some(format!("cannot listen on {addr}: {e}"));
                return;
            }
        };
        let addr = listener.local_addr().unwrap_or(addr);
        self.baton.serving_at(addr);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        // The server gets the core only: this `Desktop` is not reachable from it.
        let served = self.baton.clone();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = baton::http::serve(served, listener, shutdown).await {
                tracing::error!(error = %e, "visitor server failed");
            }
        });
        tracing::info!(address = %addr, "visitor server listening");
        slot.running = Some(Running { addr, stop, task });
    }
}

fn parse<T: serde::de::DeserializeOwned>(args: serde_json::Value) -> Result<T> {
    baton::json::from_value(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settings_commands_run_the_visitor_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("b.db").display());
        let path = dir.path().join("desktop.json");
        let b = Baton::open(&db).await.unwrap();
        let d = Desktop::new(b, path.clone(), db.clone(), false);
        // Not a shell command: left to the core.
        assert!(d
            .dispatch("agent_list", serde_json::json!({}))
            .await
            .is_none());
        // Bad arguments name their field.
        let e = d
            .dispatch(
                "desktop_settings_set",
                serde_json::json!({"database_url": 3}),
            )
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(e.code(), "validation_failed");

        let st = d.settings_get().await.unwrap();
        assert_eq!(st.visitor_server_running_at, None);
        assert_eq!(st.database_in_use, db);

        // On at a free port: it answers. Moved to an address in use: the error is recorded.
        let mut s = DesktopSettings::default();
        s.visitor_server.enabled = true;
        s.visitor_server.address = "127.0.0.1:0".into();
        let st = d.settings_set(s.clone()).await.unwrap();
        let at = st.visitor_server_running_at.clone().expect("running");
        let port: u16 = at.rsplit(':').next().unwrap().parse().unwrap();
        assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok());
        // It is the core over HTTP, and the shell's commands are unknown there.
        let r = reqwest::Client::new()
            .post(format!("{at}/v1/rpc/desktop_settings_get"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());

        let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        s.visitor_server.address = other.local_addr().unwrap().to_string();
        let st = d.settings_set(s.clone()).await.unwrap();
        assert_eq!(st.visitor_server_running_at, None);
        assert!(st.visitor_server_error.unwrap().contains("cannot listen"));
        assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err());

        // Off; the database change waits for a restart, the password stays hidden and kept.
        s.visitor_server.enabled = false;
        s.database_url = "postgres://u:secret@db.example.com/baton".into();
        let st = d
            .dispatch("desktop_settings_set", serde_json::to_value(&s).unwrap())
            .await
            .unwrap()
            .unwrap();
        let st: DesktopStatus = serde_json::from_value(st).unwrap();
        assert_eq!(st.visitor_server_error, None);
        assert!(st.restart_needed);
        assert_eq!(
            st.settings.database_url,
            "postgres://u:***@db.example.com/baton"
        );
        d.settings_set(st.settings).await.unwrap();
        let saved = DesktopSettings::load(&path).unwrap();
        assert_eq!(
            saved.database_url,
            "postgres://u:secret@db.example.com/baton"
        );
    }
}
