//! Commands about the app itself.

use tauri::State;

use crate::error::IpcError;
use crate::state::{AppInfo, AppState};

/// Version, build flavour, data folder and local store schema.
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    state.app_info()
}
