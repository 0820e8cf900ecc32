// Every app command is named in src/commands/names.rs (shared with the app and its tests).
include!("src/commands/names.rs");

fn main() {
    // tauri-build narrows the build script's reruns to the files it names; the list of
    // commands must rebuild the permissions too.
    println!("cargo:rerun-if-changed=src-tauri/src/commands/names.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
