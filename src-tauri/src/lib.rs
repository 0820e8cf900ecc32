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

/// The app's Tauri context (configuration and embedded assets): one expansion of the
/// macro, whatever the number of attempts below.
fn app_context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// How many times the app is built when the Batchdesk closed a moment ago is still
/// leaving: its single-instance name is taken, but it no longer answers.
const START_ATTEMPTS: u32 = 4;

/// Starts the app and returns when its last window has closed.
pub fn run() -> ExitCode {
    startup::init_logging();
    for attempt in 1..=START_ATTEMPTS {
        let context = app_context();
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
                return ExitCode::SUCCESS;
            }
            // A Batchdesk that was closing held the single-instance name and left without
            // answering (seen when the app is reopened right after quitting): once it has
            // gone, this start is the only one. Waiting a little is the cure, not an error.
            Err(tauri::Error::PluginInitialization(plugin, message))
                if plugin == "single-instance" && attempt < START_ATTEMPTS =>
            {
                tracing::warn!(attempt, %message, "the Batchdesk closed a moment ago is still leaving: starting again shortly");
                std::thread::sleep(std::time::Duration::from_millis(400 * u64::from(attempt)));
            }
            Err(error) => {
                startup::show_fatal_dialog(&startup::StartupError::Window(error));
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::FAILURE
}
