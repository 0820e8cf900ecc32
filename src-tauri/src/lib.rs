//! Batchdesk's desktop shell: it adapts the engine crates to Tauri and nothing more.
//! Commands are one-line adapters (see `commands/`), errors cross IPC as [`IpcError`],
//! events are typed and scoped (see `events`). See ARCHITECTURE.md.

mod commands;
mod dialogs;
mod drops;
mod error;
pub mod events;
mod flavour;
mod navigation;
mod notify;
mod startup;
mod state;

use std::process::ExitCode;

pub use commands::ipc_builder;
pub use error::{ErrorCode, IpcError};
pub use flavour::Flavour;

/// Starts the app and returns when its last window has closed.
pub fn run() -> ExitCode {
    startup::init_logging();
    let context = tauri::generate_context!();
    let state = match startup::open_state(context.config()) {
        Ok(state) => state,
        Err(error) => {
            startup::show_fatal_dialog(&error);
            return ExitCode::FAILURE;
        }
    };
    let ipc = ipc_builder();
    let built = tauri::Builder::default()
        // First, so that a second start ends before it sets anything up.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            startup::focus_main_window(app);
        }))
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .invoke_handler(ipc.invoke_handler())
        // Dropped files are taken from the native event here, never from the webview.
        .on_window_event(drops::on_window_event)
        .setup(move |app| {
            ipc.mount_events(app);
            startup::setup(app);
            startup::open_main_window(app)?;
            Ok(())
        })
        .build(context);
    match built {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(error) => {
            startup::show_fatal_dialog(&startup::StartupError::Window(error));
            ExitCode::FAILURE
        }
    }
}
