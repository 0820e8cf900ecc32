//! The first wizard step: the researcher's data file.

use batchdesk_engine::csv_doctor::ReadProgress;
use batchdesk_engine::data_file::{self, FixProgress, FixedFile, InspectedFile};
use batchdesk_engine::data_step::DataDraftView;
use batchdesk_engine::held_files::HeldFile;
use batchdesk_engine::samples::{self, SampleSpreadsheet};
use batchdesk_engine::upload::{ReadyDataset, UploadProgress};
use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};

use crate::commands::report;
use crate::dialogs;
use crate::error::IpcError;
use crate::state::AppState;

/// Opens the native file chooser (from Rust) and answers the file chosen behind a handle;
/// `null` when the researcher cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_data_file(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Result<Option<HeldFile>, IpcError> {
    Ok(dialogs::pick_data_file(&window)
        .await?
        .map(|path| state.files.hold(path)))
}

/// The sample spreadsheets offered in practice mode.
#[tauri::command]
#[specta::specta]
pub async fn sample_spreadsheets() -> Result<Vec<SampleSpreadsheet>, IpcError> {
    Ok(samples::list())
}

/// Puts a sample spreadsheet into the app's folder and answers it behind a handle, to be
/// checked like a chosen file.
#[tauri::command]
#[specta::specta]
pub async fn open_sample_spreadsheet(
    state: State<'_, AppState>,
    id: String,
) -> Result<HeldFile, IpcError> {
    Ok(samples::open_sample(
        &state.files,
        &state.data_dir.join("samples"),
        &id,
    )?)
}

/// Reads the file behind `handle` with the CSV doctor, sending progress as it goes
/// (about once per MB). The dialog, a drop on the window, a sample and a reopened draft
/// all come here with a handle; a path is refused. Cancel with `cancel_inspection`; a
/// newer check or fix cancels this one.
#[tauri::command]
#[specta::specta]
pub async fn inspect_data_file(
    state: State<'_, AppState>,
    handle: String,
    progress: Channel<ReadProgress>,
) -> Result<InspectedFile, IpcError> {
    Ok(state.wizard.inspect_file(&handle, report(progress)).await?)
}

/// Writes a fixed copy of the file behind `handle` into the app's folder and inspects
/// it, sending progress through both passes; the copy comes back behind a handle of its
/// own, the original is untouched. Cancel with `cancel_inspection`.
#[tauri::command]
#[specta::specta]
pub async fn fix_data_file(
    state: State<'_, AppState>,
    handle: String,
    progress: Channel<FixProgress>,
) -> Result<FixedFile, IpcError> {
    Ok(state.wizard.fix_file(&handle, report(progress)).await?)
}

/// Opens the file manager at a file Batchdesk holds (a fixed copy), with it selected: by
/// its handle, as the page never names a path.
#[tauri::command]
#[specta::specta]
pub fn reveal_held_file(state: State<'_, AppState>, handle: String) -> Result<(), IpcError> {
    let path = state
        .files
        .path(&handle)
        .map_err(|error| IpcError::from(data_file::DataFileError::Held(error)))?;
    crate::commands::results::show_in_folder(path.display().to_string())
}

/// Stops the check or fix of a data file in progress. Nothing is lost: the original is
/// never changed, and a fix stopped midway leaves no copy.
#[tauri::command]
#[specta::specta]
pub async fn cancel_inspection(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.wizard.cancel_inspection();
    Ok(())
}

/// The first step's draft for the current mode: the file to send (behind a handle) and
/// what became of it, checked against the file's contents.
#[tauri::command]
#[specta::specta]
pub async fn data_draft(state: State<'_, AppState>) -> Result<DataDraftView, IpcError> {
    Ok(state.wizard.data_draft().await?)
}

/// Saves the researcher's file choice (and the copy to send), both named by handle.
#[tauri::command]
#[specta::specta]
pub async fn choose_data(
    state: State<'_, AppState>,
    source: String,
    working: String,
) -> Result<DataDraftView, IpcError> {
    Ok(state.wizard.choose_data(&source, &working).await?)
}

/// Uploads the draft's file and follows it to READY, reporting each stage; resumes the
/// dataset an interrupted attempt made. Cancel with `cancel_upload`.
#[tauri::command]
#[specta::specta]
pub async fn upload_data(
    state: State<'_, AppState>,
    progress: Channel<UploadProgress>,
) -> Result<ReadyDataset, IpcError> {
    Ok(state.wizard.upload_data(report(progress)).await?)
}

/// After Prolific refused some rows: sends a copy of the file without them (made in the
/// app's folder; the researcher's file is untouched) as a new dataset, with progress.
#[tauri::command]
#[specta::specta]
pub async fn upload_without_rejected_rows(
    state: State<'_, AppState>,
    progress: Channel<UploadProgress>,
) -> Result<ReadyDataset, IpcError> {
    Ok(state
        .wizard
        .upload_without_rejected_rows(report(progress))
        .await?)
}

/// Stops the upload in progress; its dataset is kept for the next attempt.
#[tauri::command]
#[specta::specta]
pub async fn cancel_upload(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.wizard.cancel_upload();
    Ok(())
}
