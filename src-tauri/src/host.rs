//! What only the desktop app can do: read and save its settings file, run the
//! visitor-facing server inside the app, and export leads to a file the person chooses. These are the shell's own commands, answered here
//! before the core's command list; `baton serve` and the CLI have no `Desktop`, so nothing
//! reached over HTTP can touch them (the server's `/v1/rpc/desktop_settings_get` is simply an
//! unknown command).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use baton::auth::Actor;
use baton::error::{Error, Result};
use baton::leads::export::{ExportCancel, ExportControl, ExportOutcome};
use baton::leads::model::LeadExportQuery;
use baton::Baton;

use crate::export::{throttled, with_extension, DesktopExport, ExportHost};
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
    /// The running export's cancel switch (one at a time).
    export: std::sync::Mutex<Option<ExportCancel>>,
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
pub const COMMANDS: &[&str] = &[
    "desktop_settings_get",
    "desktop_settings_set",
    "desktop_leads_export",
    "desktop_leads_export_cancel",
];

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
            export: Default::default(),
        }
    }

    /// Runs the shell command `name`, or `None` when it is not one (then it is the core's);
    /// `host` is the window's save dialog and progress events.
    pub async fn dispatch(
        &self,
        name: &str,
        args: serde_json::Value,
        host: Arc<dyn ExportHost>,
    ) -> Option<Result<serde_json::Value>> {
        Some(match name {
            "desktop_settings_get" => json(self.settings_get().await),
            "desktop_settings_set" => match parse(args) {
                Ok(settings) => json(self.settings_set(settings).await),
                Err(e) => Err(e),
            },
            "desktop_leads_export" => match parse(args) {
                Ok(query) => json(self.leads_export(query, host).await),
                Err(e) => Err(e),
            },
            "desktop_leads_export_cancel" => json(Ok(self.leads_export_cancel())),
            _ => return None,
        })
    }

    /// Exports leads (`desktop_leads_export`): the query checked first (its errors show in the
    /// dialog, before any file is chosen), then the save dialog, then the core writes the
    /// file with progress to `host`; returns when it is saved, dismissed or cancelled.
    pub async fn leads_export(
        &self,
        query: LeadExportQuery,
        host: Arc<dyn ExportHost>,
    ) -> Result<DesktopExport> {
        let not_saved = DesktopExport {
            saved: false,
            path: None,
            rows: 0,
        };
        let plan = self.baton.lead_export_plan(&Actor::Local, query).await?;
        let control = ExportControl::new();
        let _running = ExportSlot::take(&self.export, control.cancel_handle())?;
        let Some(path) = host.choose_path(&plan.file_name, plan.format).await else {
            return Ok(not_saved);
        };
        // Cancel pressed while the dialog was open.
        if control.is_cancelled() {
            return Ok(not_saved);
        }
        let path = with_extension(path, plan.format);
        let control = control.on_progress(throttled(host));
        match self
            .baton
            .lead_export_to_path(&plan, &path, &control)
            .await?
        {
            ExportOutcome::Done(rows) => Ok(DesktopExport {
                saved: true,
                path: Some(path.display().to_string()),
                rows,
            }),
            ExportOutcome::Cancelled => Ok(not_saved),
        }
    }

    /// Cancels the running export (`desktop_leads_export_cancel`); whether one was running.
    pub fn leads_export_cancel(&self) -> bool {
        let slot = self.export.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().inspect(|c| c.cancel()).is_some()
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

fn json<T: serde::Serialize>(out: Result<T>) -> Result<serde_json::Value> {
    out.and_then(|s| serde_json::to_value(s).map_err(|e| Error::Internal(e.to_string())))
}

/// The running export's place in its slot, emptied when the export ends however it ends.
struct ExportSlot<'a>(&'a std::sync::Mutex<Option<ExportCancel>>);

impl<'a> ExportSlot<'a> {
    fn take(
        slot: &'a std::sync::Mutex<Option<ExportCancel>>,
        cancel: ExportCancel,
    ) -> Result<ExportSlot<'a>> {
        let mut s = slot.lock().unwrap_or_else(|e| e.into_inner());
        if s.is_some() {
            return Err(Error::Conflict {
                message: "an export is already running: wait for it or cancel it".into(),
                field: None,
            });
        }
        *s = Some(cancel);
        Ok(ExportSlot(slot))
    }
}

impl Drop for ExportSlot<'_> {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton::leads::export::ExportProgress;
    use baton::leads::model::ExportFormat;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Mutex;

    /// A window whose save dialog answers `path`, recording progress; `cancel`: presses
    /// Cancel on the first progress event.
    struct FakeWindow {
        path: Option<PathBuf>,
        asked: Mutex<Vec<String>>,
        seen: Mutex<Vec<ExportProgress>>,
        cancel: Option<Arc<Desktop>>,
    }

    impl FakeWindow {
        fn new(path: Option<PathBuf>, cancel: Option<Arc<Desktop>>) -> Arc<FakeWindow> {
            Arc::new(FakeWindow {
                path,
                asked: Default::default(),
                seen: Default::default(),
                cancel,
            })
        }
    }

    impl ExportHost for FakeWindow {
        fn choose_path(
            &self,
            file_name: &str,
            _format: ExportFormat,
        ) -> Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>> {
            self.asked.lock().unwrap().push(file_name.to_owned());
            let path = self.path.clone();
            Box::pin(async move { path })
        }
        fn progress(&self, p: ExportProgress) {
            self.seen.lock().unwrap().push(p);
            if let Some(d) = &self.cancel {
                assert!(d.leads_export_cancel(), "an export is running");
            }
        }
    }

    #[tokio::test]
    async fn leads_export_saves_through_the_dialog_with_progress_and_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("b.db").display());
        let b = Baton::open(&db).await.unwrap();
        let agent = b.agent_list(&Actor::Local).await.unwrap()[0].id;
        let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
        for i in 0..5 {
            sqlx::query(
                "INSERT INTO leads (agent_id, visitor_id, name, email, custom, source, created_at, \
                 updated_at) VALUES ($1, $2, 'Anna', 'anna@example.com', '{}', 'gathering', $3, $3)",
            )
            .bind(agent)
            .bind(format!("v{i}"))
            .bind(format!("2026-11-01T0{i}:00:00+00:00"))
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
        let d = Arc::new(Desktop::new(b, dir.path().join("desktop.json"), db, false));
        let query = serde_json::json!({"format": "csv", "from": "2026-11-01", "to": "2026-11-01"});

        // A name without an extension gets the format's.
        let window = FakeWindow::new(Some(dir.path().join("november")), None);
        let out = d
            .dispatch("desktop_leads_export", query.clone(), window.clone())
            .await
            .unwrap()
            .unwrap();
        let out: DesktopExport = serde_json::from_value(out).unwrap();
        let saved = dir.path().join("november.csv");
        assert_eq!(
            out,
            DesktopExport {
                saved: true,
                path: Some(saved.display().to_string()),
                rows: 5
            }
        );
        assert_eq!(
            *window.asked.lock().unwrap(),
            ["leads-2026-11-01-to-2026-11-01.csv"]
        );
        let seen = window.seen.lock().unwrap().clone();
        assert_eq!(
            seen.first(),
            Some(&ExportProgress {
                written: 0,
                total: 5
            })
        );
        assert_eq!(
            seen.last(),
            Some(&ExportProgress {
                written: 5,
                total: 5
            })
        );
        assert_eq!(std::fs::read_to_string(&saved).unwrap().lines().count(), 6);

        // Cancel while writing: not saved, the file chosen (the one above) untouched.
        let before = std::fs::read(&saved).unwrap();
        let window = FakeWindow::new(Some(saved.clone()), Some(d.clone()));
        let out = d.leads_export(
            serde_json::from_value(query.clone()).unwrap(),
            window.clone(),
        );
        let out = out.await.unwrap();
        assert!(!out.saved, "{out:?}");
        assert_eq!(std::fs::read(&saved).unwrap(), before);
        // Nothing running any more: the slot was freed, Cancel has nothing to cancel.
        assert!(!d.leads_export_cancel());

        // The dialog dismissed: nothing written.
        let window = FakeWindow::new(None, None);
        let out = d
            .leads_export(serde_json::from_value(query).unwrap(), window.clone())
            .await
            .unwrap();
        assert!(!out.saved);
        assert!(window.seen.lock().unwrap().is_empty());

        // An invalid query fails before any dialog opens.
        let window = FakeWindow::new(Some(dir.path().join("x.csv")), None);
        let e = d
            .dispatch(
                "desktop_leads_export",
                serde_json::json!({"format": "csv", "from": "2026-11-02", "to": "2026-11-01"}),
                window.clone(),
            )
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(e.code(), "validation_failed");
        assert!(window.asked.lock().unwrap().is_empty());
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("b.db"))
            .collect();
        left.sort();
        assert_eq!(left, ["november.csv"]);
    }

    #[tokio::test]
    async fn settings_commands_run_the_visitor_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("b.db").display());
        let path = dir.path().join("desktop.json");
        let b = Baton::open(&db).await.unwrap();
        let d = Desktop::new(b, path.clone(), db.clone(), false);
        let window = FakeWindow::new(None, None);
        // Not a shell command: left to the core.
        assert!(d
            .dispatch("agent_list", serde_json::json!({}), window.clone())
            .await
            .is_none());
        // Bad arguments name their field.
        let e = d
            .dispatch(
                "desktop_settings_set",
                serde_json::json!({"database_url": 3}),
                window.clone(),
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
            .dispatch(
                "desktop_settings_set",
                serde_json::to_value(&s).unwrap(),
                window.clone(),
            )
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
