// Generated from the desktop shell's Rust types (src-tauri/src/bindings.rs); do not edit.
// Regenerate: BATON_UPDATE_BINDINGS=1 cargo test -p baton-desktop

import type { LeadExportQuery, NoArgs } from './bindings';

export type VisitorServerSettings = { enabled: boolean, 
/**
 * `host:port` to listen on; loopback by default.
 */
address: string, };

export type DesktopSettings = { 
/**
 * A `postgres://` URL (a database shared by a team) or a `sqlite:` URL; empty = the
 * embedded SQLite file in the OS data directory. `BATON_DATABASE_URL` wins when set.
 */
database_url: string, visitor_server: VisitorServerSettings, };

export type DesktopStatus = { 
/**
 * As saved; a database password is shown as `***` (send it back unchanged to keep it).
 */
settings: DesktopSettings, 
/**
 * The settings file.
 */
settings_path: string, 
/**
 * The database this app has open, password redacted.
 */
database_in_use: string, 
/**
 * `BATON_DATABASE_URL` chose the database (it overrides the settings).
 */
database_from_env: boolean, 
/**
 * The saved database differs from the one in use: it applies on the next launch.
 */
restart_needed: boolean, 
/**
 * `http://host:port` of the running visitor server.
 */
visitor_server_running_at: string | null, 
/**
 * Why the visitor server is not running although enabled (e.g. the address is in use).
 */
visitor_server_error: string | null, };

export type DesktopExport = { 
/**
 * False when the save dialog was dismissed or the export cancelled: then no file was
 * written (and a file chosen to be replaced is untouched).
 */
saved: boolean, 
/**
 * Where the file was saved.
 */
path?: string, 
/**
 * Rows written to the file.
 */
rows: number, };

export type ExportProgress = { written: number, total: number, };

export type DesktopCommands = {
  desktop_settings_get: { args: NoArgs; result: DesktopStatus };
  desktop_settings_set: { args: DesktopSettings; result: DesktopStatus };
  desktop_leads_export: { args: LeadExportQuery; result: DesktopExport };
  desktop_leads_export_cancel: { args: NoArgs; result: boolean };
};

/** The export's progress events (payload: `ExportProgress`). */
export const EXPORT_PROGRESS_EVENT = 'baton://export-progress';
