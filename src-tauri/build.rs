fn main() {
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
