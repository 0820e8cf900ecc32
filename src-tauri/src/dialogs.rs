//! Native dialogs. rfd's dialog must be created on the main thread (GTK, AppKit) but
//! awaited elsewhere: a blocking dialog inside `run_on_main_thread` would deadlock the
//! event loop, so the future is built there and awaited here.

use tauri::WebviewWindow;

use crate::error::{ErrorCode, IpcError};

/// Asks for the researcher's data file; `None` when they cancel.
pub async fn pick_data_file(window: &WebviewWindow) -> Result<Option<String>, IpcError> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let parent = window.clone();
    window
        .run_on_main_thread(move || {
            let picking = rfd::AsyncFileDialog::new()
                .set_title("Choose your data file")
                .add_filter(
                    "Spreadsheet data (CSV, TSV, Unicode text)",
                    &["csv", "tsv", "txt"],
                )
                .set_parent(&parent)
                .pick_file();
            // The receiver waits below; if it is gone there is nobody left to tell.
            let _ = sender.send(picking);
        })
        .map_err(dialog_failed)?;
    let picking = receiver.await.map_err(dialog_failed)?;
    Ok(picking.await.map(|file| file.path().display().to_string()))
}

fn dialog_failed(error: impl std::fmt::Display) -> IpcError {
    tracing::error!(%error, "file dialog failed");
    IpcError::new(
        ErrorCode::Internal,
        "Batchdesk could not open the file chooser. Drop the file onto this window instead.",
    )
}
