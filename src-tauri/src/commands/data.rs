//! The first wizard step: the researcher's data file.

use batchdesk_engine::csv_doctor::Progress;
use batchdesk_engine::data_file::{self, FixedFile, InspectedFile};
use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};

use crate::dialogs;
use crate::error::IpcError;
use crate::state::AppState;

/// Opens the native file chooser; `null` when the researcher cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_data_file(window: WebviewWindow) -> Result<Option<String>, IpcError> {
    dialogs::pick_data_file(&window).await
}

/// Reads the file with the CSV doctor, sending progress as it goes (about once per MB).
#[tauri::command]
#[specta::specta]
pub async fn inspect_data_file(
    path: String,
    progress: Channel<Progress>,
) -> Result<InspectedFile, IpcError> {
    // A closed channel means the page went away; the inspection finishes regardless.
    Ok(data_file::inspect_file(path.into(), move |step| drop(progress.send(step))).await?)
}

/// Writes a fixed copy into the app's folder and inspects it; the original is untouched.
#[tauri::command]
#[specta::specta]
pub async fn fix_data_file(
    state: State<'_, AppState>,
    path: String,
) -> Result<FixedFile, IpcError> {
    Ok(data_file::fix_file(path.into(), state.data_dir.join("fixed")).await?)
}
