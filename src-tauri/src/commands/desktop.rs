//! The app's place on the desktop: files opened with it, its own updates, its logs and
//! diagnostics.

use batchdesk_engine::held_files::HeldFile;
use batchdesk_engine::updates::{self, UpdateOffer, UpdateProgress, UpdateSettings};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::state::AppState;
use crate::{logs, updater};

/// The data file the system asked Batchdesk to open (behind a handle, like a dropped
/// one), taken once; `null` when none waits.
#[tauri::command]
#[specta::specta]
pub fn take_opened_file(state: State<'_, AppState>) -> Result<Option<HeldFile>, IpcError> {
    Ok(state.opened.take(&state.files))
}

/// Whether this build updates itself, and whether it checks at start.
#[tauri::command]
#[specta::specta]
pub fn update_settings(state: State<'_, AppState>) -> Result<UpdateSettings, IpcError> {
    updater::settings(&state.updates, &state.store)
}

#[tauri::command]
#[specta::specta]
pub fn set_check_updates_at_start(
    state: State<'_, AppState>,
    check: bool,
) -> Result<UpdateSettings, IpcError> {
    updates::set_check_at_start(&state.store, check)?;
    updater::settings(&state.updates, &state.store)
}

/// A newer Batchdesk with its release notes, or `null` when this is the latest.
#[tauri::command]
#[specta::specta]
pub async fn check_for_update(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<UpdateOffer>, IpcError> {
    updater::check(&app, &state.updates).await
}

/// Downloads and installs the update found, with progress, then starts Batchdesk again.
#[tauri::command]
#[specta::specta]
pub async fn install_update(
    app: AppHandle,
    state: State<'_, AppState>,
    progress: Channel<UpdateProgress>,
) -> Result<(), IpcError> {
    updater::install(&app, &state.updates, &state.store, progress).await
}

/// Opens the folder of the log files in the file manager.
#[tauri::command]
#[specta::specta]
pub fn open_logs_folder(state: State<'_, AppState>) -> Result<(), IpcError> {
    logs::open_folder(&state.data_dir)
}

/// The text "Copy diagnostics" puts on the clipboard.
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<String, IpcError> {
    Ok(state.diagnostics().await)
}
