//! The Baton desktop app: a window over the core, on the local database.
//!
//! Deliberately thin. The webview reaches the core through one IPC command, [`rpc`], which runs
//! `baton::api::dispatch` as the local owner; every operation, its validation and its
//! permissions live in the core, shared with the HTTP server and the CLI. What only a desktop
//! app has lives here: its settings file and in-process visitor server ([`host`], answering the
//! `desktop_settings_*` commands), the leads export through the native save dialog
//! ([`export`], `desktop_leads_export*`), and live updates pushed to the window ([`live`]).

pub mod bindings;
pub mod export;
pub mod host;
pub mod keystore;
pub mod live;
pub mod settings;

use std::process::ExitCode;

use baton::auth::Actor;
use baton::error::ErrorBody;
use baton::Baton;
use serde::Serialize;
use tauri::Runtime;
use tracing_subscriber::EnvFilter;

/// A failed command, serialized exactly like the HTTP error body:
/// `{ "code", "message", "field", "errors" }`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct RpcError(ErrorBody);

impl From<baton::Error> for RpcError {
    fn from(e: baton::Error) -> Self {
        // The public message hides database and internal details: keep them in the log.
        if matches!(
            e,
            baton::Error::Database(_) | baton::Error::Migrate(_) | baton::Error::Internal(_)
        ) {
            tracing::error!(error = %e, "command failed");
        }
        RpcError(ErrorBody::from(&e))
    }
}

/// Runs the command `command` with JSON `args`: the shell's own (see [`host::COMMANDS`]), else
/// the core's (see `baton::api::COMMANDS`) as the local owner.
#[tauri::command]
async fn rpc<R: Runtime>(
    app: tauri::AppHandle<R>,
    baton: tauri::State<'_, Baton>,
    desktop: tauri::State<'_, host::Desktop>,
    command: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, RpcError> {
    let window = std::sync::Arc::new(export::WindowHost(app));
    if let Some(out) = desktop.dispatch(&command, args.clone(), window).await {
        return Ok(out?);
    }
    Ok(baton::api::dispatch(&baton, &Actor::Local, &command, args).await?)
}

/// The app on any Tauri runtime: the core and the desktop host as managed state, the one `rpc`
/// command, the dialog plugin (used from Rust only: the window has no dialog permission), and
/// the core's live events forwarded to the window.
pub fn app<R: Runtime>(
    builder: tauri::Builder<R>,
    baton: Baton,
    desktop: host::Desktop,
) -> tauri::Builder<R> {
    let events = baton.clone();
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(baton)
        .manage(desktop)
        .setup(move |app| {
            tauri::async_runtime::spawn(live::forward(events, app.handle().clone()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![rpc])
}

/// Starts the desktop app: logging, the runtime, the settings and the database, the outbox
/// worker, then the window.
pub fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("BATON_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    // One runtime for the core and for Tauri's async commands.
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("baton-desktop: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    tauri::async_runtime::set(runtime.handle().clone());

    // The desktop settings (OS config directory) name the database and the visitor server;
    // BATON_DATABASE_URL still wins. Unreadable settings are reported and the defaults used.
    let settings_path = settings::settings_path();
    let settings = settings::DesktopSettings::load(&settings_path).unwrap_or_else(|e| {
        tracing::error!(error = %e, "desktop settings unreadable: using the defaults");
        Default::default()
    });
    let env_url = std::env::var("BATON_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty());
    let url = settings.database_url(env_url.as_deref());
    // The secrets key from the OS credential store, before the database is opened (opening it
    // seals what an older Baton stored in clear).
    keystore::provide(&url);
    // The person at the keyboard owns the local database: make sure an owner operator exists,
    // so inbox actions ("take over", "mine") have someone to act as.
    let opened = runtime.block_on(async {
        let baton = Baton::open(&url).await?;
        baton.operator_ensure_owner().await?;
        let desktop =
            host::Desktop::new(baton.clone(), settings_path, url.clone(), env_url.is_some());
        // The in-process visitor server, when enabled; a bind failure shows in the settings.
        desktop.start(&settings.visitor_server).await;
        Ok::<_, baton::Error>((baton, desktop))
    });
    let (baton, desktop) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!(
                "baton-desktop: cannot open the database {}: {e}",
                baton::outbound::redact_url(&url)
            );
            return ExitCode::FAILURE;
        }
    };

    // Handoff emails go out from the outbox, as with `baton serve`.
    runtime.spawn(baton.clone().outbox_worker());

    let result = app(tauri::Builder::default(), baton, desktop)
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton-desktop: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rpc_errors_have_the_http_error_body_shape() {
        let e = baton::Error::invalid("settings.timezone", "invalid_timezone", "unknown zone");
        let body = serde_json::to_value(RpcError::from(e)).expect("serializable");
        assert_eq!(
            body,
            json!({
                "code": "validation_failed",
                "message": "1 invalid field(s): settings.timezone: unknown zone",
                "field": "settings.timezone",
                "errors": [{
                    "field": "settings.timezone",
                    "code": "invalid_timezone",
                    "message": "unknown zone",
                }],
            })
        );

        let body = serde_json::to_value(RpcError::from(baton::Error::not_found("command")))
            .expect("serializable");
        assert_eq!(
            body,
            json!({ "code": "not_found", "message": "command not found", "field": null, "errors": [] })
        );
    }
}
