//! Connecting (practice or a Prolific account) and the Account page.

use batchdesk_engine::account::{self, Choice, WorkspaceDetails, Workspaces};
use batchdesk_engine::connection::Connected;
use batchdesk_prolific::ApiToken;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Who the app is connected as; `null` before a first choice. Restores last time's
/// choice on the first call.
#[tauri::command]
#[specta::specta]
pub async fn connection_status(state: State<'_, AppState>) -> Result<Option<Connected>, IpcError> {
    Ok(state.connections.status().await?)
}

/// Starts the practice server inside the app and connects to it.
#[tauri::command]
#[specta::specta]
pub async fn start_practice(state: State<'_, AppState>) -> Result<Connected, IpcError> {
    let practice = state.connections.start_practice();
    Ok(state.monitor.connecting(practice).await?)
}

/// Checks the token with Prolific and keeps it in the OS keychain. The only time the
/// token crosses IPC; it is never sent back.
#[tauri::command]
#[specta::specta]
pub async fn connect_prolific(
    state: State<'_, AppState>,
    token: String,
) -> Result<Connected, IpcError> {
    let account = state.connections.connect(ApiToken::new(token));
    Ok(state.monitor.connecting(account).await?)
}

/// Deletes the token from the keychain (or stops the practice server).
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.monitor.stop_all();
    Ok(state.connections.sign_out().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn workspaces(state: State<'_, AppState>) -> Result<Workspaces, IpcError> {
    Ok(account::workspaces(&state.connections).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn workspace_details(
    state: State<'_, AppState>,
    workspace_id: String,
) -> Result<WorkspaceDetails, IpcError> {
    Ok(account::workspace_details(&state.connections, &workspace_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn choose_workspace(
    state: State<'_, AppState>,
    workspace_id: String,
) -> Result<(), IpcError> {
    Ok(account::choose_workspace(&state.connections, &workspace_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn choose_project(
    state: State<'_, AppState>,
    workspace_id: String,
    project_id: String,
) -> Result<(), IpcError> {
    Ok(account::choose_project(&state.connections, &workspace_id, &project_id).await?)
}

/// Creates a project in the workspace and chooses it.
#[tauri::command]
#[specta::specta]
pub async fn create_project(
    state: State<'_, AppState>,
    workspace_id: String,
    title: String,
) -> Result<Choice, IpcError> {
    Ok(account::create_project(&state.connections, &workspace_id, &title).await?)
}
