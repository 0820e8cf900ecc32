//! Native dialogs. rfd's dialog must be created on the main thread (GTK, AppKit) but
//! awaited elsewhere: a blocking dialog inside `run_on_main_thread` would deadlock the
//! event loop, so the future is built there and awaited here.

use std::path::PathBuf;

use batchdesk_engine::results::DownloadKind;
use batchdesk_engine::text;
use tauri::WebviewWindow;

use crate::error::{ErrorCode, IpcError};

/// Asks for the researcher's data file; `None` when they cancel. The path stays in Rust:
/// the UI gets a handle to it.
pub async fn pick_data_file(window: &WebviewWindow) -> Result<Option<PathBuf>, IpcError> {
    let picked = on_main_thread(window, |dialog| {
        Box::pin(
            dialog
                .set_title("Choose your data file")
                .add_filter(
                    "Spreadsheet data (CSV, TSV, Unicode text)",
                    &["csv", "tsv", "txt"],
                )
                .pick_file(),
        )
    })
    .await?;
    Ok(picked.map(|file| file.path().to_owned()))
}

/// Asks for a task template file; `None` when they cancel.
pub async fn pick_template_file(window: &WebviewWindow) -> Result<Option<String>, IpcError> {
    on_main_thread(window, |dialog| {
        Box::pin(
            dialog
                .set_title("Open a task template")
                .add_filter("Batchdesk task template", &["json"])
                .pick_file(),
        )
    })
    .await
    .map(as_path_text)
}

/// Asks where to save a task template; `None` when they cancel.
pub async fn choose_template_destination(
    window: &WebviewWindow,
    name: &str,
) -> Result<Option<String>, IpcError> {
    let file_name = format!("{}.json", safe_file_stem(name));
    on_main_thread(window, move |dialog| {
        Box::pin(
            dialog
                .set_title("Save the task as a template")
                .add_filter("Batchdesk task template", &["json"])
                .set_file_name(file_name)
                .save_file(),
        )
    })
    .await
    .map(as_path_text)
}

/// Asks where to save one of a study's downloads; `None` when they cancel.
pub async fn choose_results_destination(
    window: &WebviewWindow,
    title: &str,
    kind: DownloadKind,
) -> Result<Option<String>, IpcError> {
    let file_name = kind.suggested_name(&safe_file_stem(title));
    let (label, extensions) = kind.filter();
    on_main_thread(window, move |dialog| {
        Box::pin(
            dialog
                .set_title("Save the results")
                .add_filter(label, extensions)
                .set_file_name(file_name)
                .save_file(),
        )
    })
    .await
    .map(as_path_text)
}

/// A name usable as a file name on every system: no path separators or reserved marks.
fn safe_file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let stem = stem.trim().trim_matches('.');
    if stem.is_empty() {
        "task template".to_owned()
    } else {
        stem.to_owned()
    }
}

/// A dialog waiting for the researcher's answer.
type Asking = std::pin::Pin<Box<dyn Future<Output = Option<rfd::FileHandle>> + Send>>;

/// Builds the dialog on the main thread, parented to the window, and awaits its answer.
async fn on_main_thread<F>(
    window: &WebviewWindow,
    build: F,
) -> Result<Option<rfd::FileHandle>, IpcError>
where
    F: FnOnce(rfd::AsyncFileDialog) -> Asking + Send + 'static,
{
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let parent = window.clone();
    window
        .run_on_main_thread(move || {
            let asking = build(rfd::AsyncFileDialog::new().set_parent(&parent));
            // The receiver waits below; if it is gone there is nobody left to tell.
            let _ = sender.send(asking);
        })
        .map_err(dialog_failed)?;
    let asking = receiver.await.map_err(dialog_failed)?;
    Ok(asking.await)
}

/// Where the researcher pointed a native dialog, for the commands that open or save there.
fn as_path_text(file: Option<rfd::FileHandle>) -> Option<String> {
    file.map(|file| file.path().display().to_string())
}

fn dialog_failed(error: impl std::fmt::Display) -> IpcError {
    tracing::error!(%error, "file dialog failed");
    IpcError::new(ErrorCode::Internal, text!("errors:shell.fileChooserFailed"))
}
