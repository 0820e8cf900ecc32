//! Batchdesk's desktop shell: it adapts the engine crates to Tauri and nothing more.
//! Commands are one-line adapters (see `commands/`), errors cross IPC as [`IpcError`],
//! events are typed and scoped (see `events`). See ARCHITECTURE.md.

mod commands;
mod dialogs;
mod drops;
mod error;
pub mod events;
mod flavour;
mod locale;
mod logs;
mod navigation;
mod notify;
mod opened;
#[cfg(target_os = "linux")]
mod painting;
mod startup;
mod state;
mod updater;

use std::process::ExitCode;

pub use commands::{COMMAND_NAMES, ipc_builder};
pub use error::{ErrorCode, IpcError};
pub use flavour::Flavour;

/// How many times the app starts itself again when the Batchdesk closed a moment ago is
/// still leaving: its single-instance name is taken, but it no longer answers.
const START_ATTEMPTS: u32 = 4;
/// Which start this is (1 unless the app started itself again).
const START_ATTEMPT_VAR: &str = "BATCHDESK_START_ATTEMPT";

/// Starts the app and returns when its last window has closed.
pub fn run() -> ExitCode {
    // First, before anything else starts: it may replace this process.
    #[cfg(target_os = "linux")]
    painting::paint_in_software_without_a_gpu();
    let context = tauri::generate_context!();
    logs::init(startup::app_data_dir(&context.config().identifier).as_deref());
    #[cfg(target_os = "linux")]
    tracing::info!(
        gpu = painting::has_gpu(),
        without_compositing = std::env::var_os(painting::DISABLE_COMPOSITING).is_some(),
        "how WebKit paints"
    );
    let state = match startup::open_state(context.config()) {
        Ok(state) => state,
        Err(error) => {
            startup::show_fatal_dialog(&error);
            return ExitCode::FAILURE;
        }
    };
    let ipc = ipc_builder();
    let window_state = tauri_plugin_window_state::Builder::new()
        .with_state_flags(startup::WINDOW_STATE)
        .with_filename(startup::window_state_file(&state.data_dir))
        .build();
    let updater = updater::plugin(&state.updates);
    let mut builder = tauri::Builder::default()
        // First, so that a second start ends before it sets anything up. A data file it
        // was given is opened here instead.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            startup::focus_main_window(app);
            opened::from_second_start(app, args, &cwd);
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(window_state);
    if let Some(updater) = updater {
        builder = builder.plugin(updater);
    }
    let built = builder
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
            app.run(|app, event| opened::on_run_event(app, &event));
            ExitCode::SUCCESS
        }
        Err(tauri::Error::PluginInitialization(plugin, message)) if plugin == "single-instance" => {
            start_again_once_the_last_one_has_gone(&message);
            startup::show_fatal_dialog(&startup::StartupError::Window(
                tauri::Error::PluginInitialization(plugin, message),
            ));
            ExitCode::FAILURE
        }
        Err(error) => {
            startup::show_fatal_dialog(&startup::StartupError::Window(error));
            ExitCode::FAILURE
        }
    }
}

/// A Batchdesk that was closing held the single-instance name and left without answering
/// (seen when the app is reopened right after quitting). Once it has gone this start is
/// the only one, but the window system cannot be set up twice in one process: so the app
/// waits a little and replaces itself with a fresh start of the same program (same
/// process, so whatever launched it still follows it). Returns only if that cannot be
/// done (not Unix, or the attempts are used up).
fn start_again_once_the_last_one_has_gone(message: &str) {
    let attempt: u32 = std::env::var(START_ATTEMPT_VAR)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1);
    if attempt >= START_ATTEMPTS {
        return;
    }
    tracing::warn!(
        attempt,
        message,
        "the Batchdesk closed a moment ago is still leaving: starting again shortly"
    );
    std::thread::sleep(std::time::Duration::from_millis(400 * u64::from(attempt)));
    #[cfg(unix)]
    if let Ok(program) = std::env::current_exe() {
        use std::os::unix::process::CommandExt;
        let error = std::process::Command::new(program)
            .args(std::env::args_os().skip(1))
            .env(START_ATTEMPT_VAR, (attempt + 1).to_string())
            .exec();
        tracing::error!(%error, "Batchdesk could not start itself again");
    }
}
