//! TypeScript bindings of the shell's own commands and types, generated like the core's:
//! `ui/src/lib/desktop-bindings.ts` is committed, the test below fails when it is stale and
//! `BATON_UPDATE_BINDINGS=1 cargo test -p baton-desktop` rewrites it.

use ts_rs::TS;

use baton::leads::export::ExportProgress;

use crate::export::{DesktopExport, PROGRESS_EVENT};
use crate::settings::{DesktopSettings, DesktopStatus, VisitorServerSettings};

/// Path of the generated file, relative to the repository root.
pub const PATH: &str = "ui/src/lib/desktop-bindings.ts";

pub fn render() -> String {
    let mut out = String::from(
        "// Generated from the desktop shell's Rust types (src-tauri/src/bindings.rs); do not edit.\n\
         // Regenerate: BATON_UPDATE_BINDINGS=1 cargo test -p baton-desktop\n\n\
         import type { LeadExportQuery, NoArgs } from './bindings';\n\n",
    );
    for decl in [
        VisitorServerSettings::decl(),
        DesktopSettings::decl(),
        DesktopStatus::decl(),
        DesktopExport::decl(),
        ExportProgress::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    // The same shape as the core's `Commands` map, for the commands only this shell answers.
    out.push_str("export type DesktopCommands = {\n");
    for (name, args, result) in [
        ("desktop_settings_get", "NoArgs", DesktopStatus::name()),
        (
            "desktop_settings_set",
            "DesktopSettings",
            DesktopStatus::name(),
        ),
        (
            "desktop_leads_export",
            "LeadExportQuery",
            DesktopExport::name(),
        ),
        ("desktop_leads_export_cancel", "NoArgs", "boolean".into()),
    ] {
        out.push_str(&format!(
            "  {name}: {{ args: {args}; result: {result} }};\n"
        ));
    }
    out.push_str("};\n\n");
    out.push_str(&format!(
        "/** The export's progress events (payload: `ExportProgress`). */\n\
         export const EXPORT_PROGRESS_EVENT = '{PROGRESS_EVENT}';\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn desktop_bindings_are_current() {
        let fresh = super::render();
        for name in crate::host::COMMANDS {
            assert!(fresh.contains(&format!("  {name}: {{ args: ")), "{name}");
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(super::PATH);
        if std::env::var("BATON_UPDATE_BINDINGS").is_ok() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `BATON_UPDATE_BINDINGS=1 cargo test -p baton-desktop` and commit it",
            path.display()
        );
    }
}
