//! Live updates for the desktop UI: the core's live events forwarded as Tauri events, so the
//! inbox changes the moment something happens instead of on a poll. The browser gets the same
//! `LiveEvent` objects from the server-sent event stream `/v1/inbox/events`.
//!
//! The core's event hub is in-process: with a database shared by several processes, changes
//! made by another process show on the next reload (as in the browser; see docs/architecture.md).

use baton::Baton;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// A `LiveEvent` (JSON), for the UI's `live.inbox`.
pub const EVENT: &str = "baton://live";
/// Events were dropped for a slow UI: reload.
pub const LAGGED: &str = "baton://live-lagged";

/// Forwards every live event until the core's hub closes. The desktop app is its owner's, who
/// may see every event (internal notes and handoffs included).
pub async fn forward<R: Runtime>(baton: Baton, app: AppHandle<R>) {
    let mut events = baton.events().subscribe();
    loop {
        let sent = match events.recv().await {
            Ok(event) => app.emit(EVENT, &event),
            Err(RecvError::Lagged(_)) => app.emit(LAGGED, ()),
            Err(RecvError::Closed) => return,
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "cannot pass a live event to the window");
        }
    }
}
