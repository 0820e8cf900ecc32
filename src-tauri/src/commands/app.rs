//! Commands about the app itself.

use batchdesk_engine::api_notices::{self, ApiNotice};
use tauri::State;

use crate::error::IpcError;
use crate::state::{AppInfo, AppState};

/// Version, build flavour, data folder and local store schema.
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    state.app_info()
}

/// Endpoints Prolific has marked as going away since the last look, each told once ever.
#[tauri::command]
#[specta::specta]
pub async fn take_api_notices(state: State<'_, AppState>) -> Result<Vec<ApiNotice>, IpcError> {
    Ok(api_notices::take_new(&state.connections).await?)
}
