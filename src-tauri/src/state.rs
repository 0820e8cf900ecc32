//! What the app holds while it runs, managed by Tauri and handed to commands.

use std::path::PathBuf;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::store::Store;
use serde::Serialize;
use specta::Type;

use crate::error::IpcError;
use crate::flavour::Flavour;

pub struct AppState {
    pub store: Store,
    /// Practice server or Prolific account; shared with background work.
    pub connections: Arc<Connections>,
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
}

impl AppState {
    pub fn app_info(&self) -> Result<AppInfo, IpcError> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            flavour: self.flavour,
            identifier: self.identifier.clone(),
            data_dir: self.data_dir.display().to_string(),
            store_schema_version: self.store.schema_version()?,
        })
    }
}
