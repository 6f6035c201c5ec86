//! The leads export from the desktop app: the native save dialog (tauri-plugin-dialog, from
//! Rust: the window never gets file-system powers), then the core writes the file
//! (`Baton::lead_export_to_path`: a temporary file renamed at the end) while progress goes to
//! the window as `baton://export-progress` events, until done or cancelled.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use baton::leads::export::ExportProgress;
use baton::leads::model::ExportFormat;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

/// The event carrying an [`ExportProgress`] (`{ written, total }`).
pub const PROGRESS_EVENT: &str = "baton://export-progress";

/// Progress events at most this often (and always the first and the last): a million rows
/// report a thousand times, more than a progress bar can show.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// How a desktop export ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesktopExport {
    /// False when the save dialog was dismissed or the export cancelled: then no file was
    /// written (and a file chosen to be replaced is untouched).
    pub saved: bool,
    /// Where the file was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub path: Option<String>,
    /// Rows written to the file.
    #[ts(type = "number")]
    pub rows: u64,
}

/// What an export needs from the window: a file chosen by the person, a place for progress.
/// The app's is [`WindowHost`]; tests use their own.
pub trait ExportHost: Send + Sync {
    /// The save dialog, suggesting `file_name`; `None` when dismissed.
    fn choose_path(
        &self,
        file_name: &str,
        format: ExportFormat,
    ) -> Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>>;
    fn progress(&self, progress: ExportProgress);
}

/// The app window's save dialog and events.
pub struct WindowHost<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> ExportHost for WindowHost<R> {
    fn choose_path(
        &self,
        file_name: &str,
        format: ExportFormat,
    ) -> Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let mut dialog = self
            .0
            .dialog()
            .file()
            .set_title("Export leads")
            .set_file_name(file_name);
        dialog = match format {
            ExportFormat::Csv => dialog.add_filter("CSV", &["csv"]),
            ExportFormat::Xlsx => dialog.add_filter("Excel workbook", &["xlsx"]),
        };
        if let Some(window) = self.0.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        // The callback form: the dialog runs on the main thread, this command's task waits.
        dialog.save_file(move |chosen| {
            let _ = tx.send(chosen.and_then(|p| p.into_path().ok()));
        });
        Box::pin(async move { rx.await.ok().flatten() })
    }

    fn progress(&self, progress: ExportProgress) {
        if let Err(e) = self.0.emit(PROGRESS_EVENT, progress) {
            tracing::warn!(error = %e, "cannot pass the export's progress to the window");
        }
    }
}

/// `path` with the format's extension when the person typed a name without one (the GTK
/// dialog's filter does not add it).
pub fn with_extension(mut path: PathBuf, format: ExportFormat) -> PathBuf {
    if path.extension().is_none() {
        path.set_extension(format.extension());
    }
    path
}

/// Passes progress on to `host`, at most every [`PROGRESS_INTERVAL`], always the start and the
/// end.
pub fn throttled(
    host: std::sync::Arc<dyn ExportHost>,
) -> impl Fn(ExportProgress) + Send + Sync + 'static {
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    move |p: ExportProgress| {
        let now = Instant::now();
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let due = match *last {
            None => true,
            Some(at) => p.written >= p.total || now.duration_since(at) >= PROGRESS_INTERVAL,
        };
        if due {
            *last = Some(now);
            drop(last);
            host.progress(p);
        }
    }
}
