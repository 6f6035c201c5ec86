use std::path::Path;

fn main() {
    // The app embeds the built web UI (`build.frontendDist` = `ui/dist` in tauri.conf.json).
    // Without it `tauri::generate_context!` fails with an obscure error: say what to do instead.
    // No placeholder page is ever embedded, so a build can never ship without the real UI.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir)
        .parent()
        .expect("src-tauri is inside the repository");
    let dist = root.join("ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.join("index.html").is_file() {
        eprintln!(
            "\nerror: the web UI is not built ({} has no index.html).\n\
             The desktop app embeds it. Build it first, from the repository root:\n\n    \
             npm --prefix ui ci && npm --prefix ui run build\n\n\
             (or run ./scripts/desktop.sh, which does everything). `cargo build` without \
             `--workspace` builds only the core (`baton`), which does not need it.\n",
            dist.display()
        );
        std::process::exit(1);
    }

    // The configuration lives at the repository root (paths inside it resolve from there).
    // The app manifest turns `rpc` into a permission (`allow-rpc`), so a window can call only
    // the commands its capability lists (src-tauri/capabilities/).
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&["rpc"]));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {e:#}");
    }
}
