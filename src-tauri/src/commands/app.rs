//! Commands about the app itself.

use batchdesk_engine::api_notices::{self, ApiNotice};
use tauri::State;

use crate::error::IpcError;
use crate::navigation;
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

/// Opens a link in the system browser (or mail app), once the researcher has agreed:
/// http, https and mailto links only. The app's own window never leaves the app.
#[tauri::command]
#[specta::specta]
pub fn open_in_browser(url: String) -> Result<(), IpcError> {
    Ok(navigation::open_in_browser(&url)?)
}
