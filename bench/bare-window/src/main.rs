//! A bare Tauri window showing a static page: what a Tauri app costs before it does
//! anything, for the release benchmark (`bench/release.mjs`) to compare Batchdesk with.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the bare window could not start: {error}");
        std::process::exit(1);
    }
}
