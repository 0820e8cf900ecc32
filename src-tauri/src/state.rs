//! What the app holds while it runs, managed by Tauri and handed to commands.

use std::path::PathBuf;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::held_files::HeldFiles;
use batchdesk_engine::jobs::Cancellable;
use batchdesk_engine::monitor::Monitor;
use batchdesk_engine::opened_files::OpenedFiles;
use batchdesk_engine::results::Results;
use batchdesk_engine::store::Store;
use batchdesk_engine::wizard::Wizard;
use serde::Serialize;
use specta::Type;

use crate::error::IpcError;
use crate::flavour::Flavour;

pub struct AppState {
    pub store: Store,
    /// The new-batch wizard's first two steps, with their cancellable runs (the check
    /// of the data file, the upload, the setup).
    pub wizard: Wizard,
    /// The pilot being prepared (its rows uploaded, its batch set up), likewise.
    pub pilot: Cancellable,
    /// The second round being prepared and launched, likewise.
    pub top_up: Cancellable,
    /// The files chosen, dropped or made, behind the handles the UI names them by.
    pub files: Arc<HeldFiles>,
    /// A data file the system asked Batchdesk to open, until the UI takes it.
    pub opened: OpenedFiles,
    /// This build's update source and the update found, if any.
    pub updates: crate::updater::Updates,
    /// Practice server or Prolific account; shared with background work.
    pub connections: Arc<Connections>,
    /// The pollers of launched studies.
    pub monitor: Arc<Monitor>,
    /// Downloaded results, kept for offline viewing.
    pub results: Arc<Results>,
    /// Set once the app is built, for background work that emits events.
    pub app_handle: Arc<std::sync::OnceLock<tauri::AppHandle>>,
    pub flavour: Flavour,
    pub identifier: String,
    pub data_dir: PathBuf,
}

/// What the app can say about itself: shown on Home and in bug reports.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub flavour: Flavour,
    pub identifier: String,
    /// Where the local store and downloads live.
    pub data_dir: String,
    /// Read from the open database, so it also proves the store answers.
    pub store_schema_version: u32,
    /// The address a Prolific token would be sent to, when it is not Prolific's usual one
    /// (`BATCHDESK_API_BASE_URL`): the token form says so before a token is pasted.
    pub unusual_api_address: Option<String>,
    /// The OS's regional locale as a BCP 47 tag ("de-DE"), which numbers, money and dates
    /// are formatted for; none when the OS names no region (the UI then uses its own).
    pub format_locale: Option<String>,
}

impl AppState {
    pub fn app_info(&self) -> Result<AppInfo, IpcError> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            flavour: self.flavour,
            identifier: self.identifier.clone(),
            data_dir: self.data_dir.display().to_string(),
            store_schema_version: self.store.schema_version()?,
            unusual_api_address: Some(self.connections.account_address())
                .filter(|address| !address.is_prolific())
                .map(|address| address.as_str().to_owned()),
            format_locale: crate::locale::format_locale(),
        })
    }
}

impl AppState {
    /// "Copy diagnostics": version, build, system, mode, data folder size and recent
    /// error codes; never a token, a participant, a file name or its contents.
    pub async fn diagnostics(&self) -> String {
        let mode = self
            .connections
            .current()
            .await
            .map(|connected| connected.mode);
        let flavour = serde_json::to_value(self.flavour)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        batchdesk_engine::diagnostics::report(&batchdesk_engine::diagnostics::Facts {
            version: env!("CARGO_PKG_VERSION"),
            flavour: &flavour,
            mode,
            data_dir: &self.data_dir,
            errors: &crate::error::RECENT_ERRORS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_info_hands_the_ui_the_format_locale() {
        let info = AppInfo {
            version: "1.0.0".into(),
            flavour: Flavour::Test,
            identifier: "io.batchdesk.desktop.test".into(),
            data_dir: "/tmp".into(),
            store_schema_version: 1,
            unusual_api_address: None,
            format_locale: Some("de-DE".into()),
        };
        let json = serde_json::to_value(&info).unwrap_or_default();
        assert_eq!(json["formatLocale"], "de-DE");
    }
}
