//! The second wizard step: the researcher's task, its templates, and the batch setup.

use batchdesk_engine::task::TaskDesign;
use batchdesk_engine::task::templates::{self, AppliedTemplate, TemplateSummary};
use batchdesk_engine::task_step::{
    CheckedDesign, SetupOutcome, SetupProgress, TaskData, TaskDraft,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, State, WebviewWindow};

use crate::commands::report;
use crate::dialogs;
use crate::error::IpcError;
use crate::notify;
use crate::state::AppState;

/// The second step's draft for the current mode: the design and the batch made from it.
#[tauri::command]
#[specta::specta]
pub async fn task_draft(state: State<'_, AppState>) -> Result<TaskDraft, IpcError> {
    Ok(state.wizard.task_draft().await?)
}

/// The data the task runs on: columns, first rows for the preview, dataset kind.
#[tauri::command]
#[specta::specta]
pub async fn task_data(state: State<'_, AppState>) -> Result<TaskData, IpcError> {
    Ok(state.wizard.task_data().await?)
}

/// Saves the design and checks it; answers the problems and the cleaned HTML.
#[tauri::command]
#[specta::specta]
pub async fn save_task_design(
    state: State<'_, AppState>,
    design: TaskDesign,
) -> Result<CheckedDesign, IpcError> {
    Ok(state.wizard.save_design(design).await?)
}

/// The built-in templates.
#[tauri::command]
#[specta::specta]
pub fn task_templates() -> Vec<TemplateSummary> {
    templates::built_in()
}

/// A built-in template fitted to the data.
#[tauri::command]
#[specta::specta]
pub async fn apply_template(
    state: State<'_, AppState>,
    id: String,
) -> Result<AppliedTemplate, IpcError> {
    Ok(templates::apply_built_in(
        &id,
        &state.wizard.data_context().await?,
    )?)
}

/// Asks for a template file and opens it, fitted to the data; `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn open_task_template(
    state: State<'_, AppState>,
    window: WebviewWindow,
) -> Result<Option<AppliedTemplate>, IpcError> {
    let Some(path) = dialogs::pick_template_file(&window).await? else {
        return Ok(None);
    };
    let context = state.wizard.data_context().await?;
    Ok(Some(templates::open(path.as_ref(), &context)?))
}

/// Asks where to save the design as a template file; the path, or `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_task_template(
    window: WebviewWindow,
    name: String,
    design: TaskDesign,
) -> Result<Option<String>, IpcError> {
    let Some(path) = dialogs::choose_template_destination(&window, &name).await? else {
        return Ok(None);
    };
    templates::save(path.as_ref(), &name, &design)?;
    Ok(Some(path))
}

/// Saves `design` (the one on screen), makes the batch from it (or finds the one made
/// earlier), sets it up and follows it to READY, reporting each stage. Cancel with
/// `cancel_setup`.
#[tauri::command]
#[specta::specta]
pub async fn set_up_batch(
    app: AppHandle,
    state: State<'_, AppState>,
    design: TaskDesign,
    progress: Channel<SetupProgress>,
) -> Result<SetupOutcome, IpcError> {
    let ready = |batch: &_| notify::batch_ready(&app, batch);
    Ok(state
        .wizard
        .set_up_batch(design, report(progress), ready)
        .await?)
}

/// Stops following the setup; the batch is kept and carried on with next time.
#[tauri::command]
#[specta::specta]
pub async fn cancel_setup(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.wizard.cancel_setup();
    Ok(())
}
