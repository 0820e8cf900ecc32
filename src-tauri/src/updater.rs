//! Updates of Batchdesk itself, through tauri-plugin-updater: a check (at start unless the
//! researcher turned it off, or when asked), the release notes shown, and the install on
//! the researcher's click, with download progress, then a restart. The manifest and the
//! download are signed; the plugin refuses anything the configured public key did not
//! sign. Which builds have an updater and which versions count as newer is plain logic
//! in `batchdesk_engine::updates`.

use batchdesk_engine::connection::AccountMode;
use batchdesk_engine::money_lock;
use batchdesk_engine::store::Store;
use batchdesk_engine::text;
use batchdesk_engine::text::Text;
use batchdesk_engine::updates::{self, UpdateOffer, UpdateProgress, UpdateSettings, UpdateSource};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::UpdaterExt;

use crate::error::{ErrorCode, IpcError};

/// The update source of this build and the update last found, waiting for a click.
#[derive(Default)]
pub struct Updates {
    source: Option<UpdateSource>,
    found: tokio::sync::Mutex<Option<tauri_plugin_updater::Update>>,
}

impl Updates {
    /// From the config's `plugins.updater`; no source means no updater at all.
    pub fn from_config(config: &tauri::Config) -> Self {
        let source = updates::update_source(config.plugins.0.get("updater"));
        tracing::info!(
            updates = if source.is_some() { "on" } else { "off" },
            "update source"
        );
        Self {
            source,
            found: tokio::sync::Mutex::default(),
        }
    }

    pub fn available(&self) -> bool {
        self.source.is_some()
    }
}

/// The plugin, only for a build with an update source (its config would not read
/// otherwise, and a build without one must fetch nothing).
pub fn plugin<R: Runtime>(
    app_updates: &Updates,
) -> Option<tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config>> {
    app_updates
        .available()
        .then(|| tauri_plugin_updater::Builder::new().build())
}

pub fn settings(app_updates: &Updates, store: &Store) -> Result<UpdateSettings, IpcError> {
    Ok(UpdateSettings {
        available: app_updates.available(),
        check_at_start: updates::check_at_start(store)?,
        current_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

pub(crate) fn off() -> IpcError {
    IpcError::new(ErrorCode::UpdatesOff, text!("errors:updates.off"))
}

/// What went wrong while updating, said as `what` (a catalogue entry with a `reason`).
pub(crate) fn failed(what: Text, error: impl std::fmt::Display) -> IpcError {
    tracing::warn!(%error, what = %what.key, "update failed");
    IpcError::new(
        ErrorCode::UpdateFailed,
        what.with("reason", error.to_string()),
    )
}

/// Asks the update source for a newer Batchdesk; the update found waits for
/// [`install`]. `None` when this is the latest.
pub async fn check(
    app: &AppHandle,
    app_updates: &Updates,
) -> Result<Option<UpdateOffer>, IpcError> {
    if !app_updates.available() {
        return Err(off());
    }
    let updater = app
        .updater_builder()
        .version_comparator(|current, remote| {
            updates::is_update(&current.to_string(), &remote.version.to_string())
        })
        .build()
        .map_err(|error| failed(text!("errors:updates.checkFailed"), error))?;
    let found = updater
        .check()
        .await
        .map_err(|error| failed(text!("errors:updates.checkFailed"), error))?;
    let offer = found.as_ref().map(|update| UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().filter(|notes| !notes.trim().is_empty()),
        date: update.raw_json["pub_date"].as_str().map(str::to_owned),
    });
    if let Some(offer) = &offer {
        tracing::info!(version = offer.version, "an update is available");
    }
    *app_updates.found.lock().await = found;
    Ok(offer)
}

/// Downloads and installs the update found by [`check`], telling `progress`, then
/// starts Batchdesk again. Refused while a launch, publish or payment is under way (in
/// either mode), and none can start during the install.
pub async fn install(
    app: &AppHandle,
    app_updates: &Updates,
    store: &Store,
    progress: Channel<UpdateProgress>,
) -> Result<(), IpcError> {
    if !app_updates.available() {
        return Err(off());
    }
    let _no_money_action = [AccountMode::Practice, AccountMode::Prolific]
        .into_iter()
        .map(|mode| money_lock::try_acquire(store, mode))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(update) = app_updates.found.lock().await.take() else {
        return Err(IpcError::new(
            ErrorCode::UpdateFailed,
            text!("errors:updates.nothingWaiting"),
        ));
    };
    let mut downloaded: u64 = 0;
    #[allow(clippy::cast_precision_loss)]
    update
        .download_and_install(
            |chunk, total| {
                downloaded += chunk as u64;
                let _ = progress.send(UpdateProgress::Downloading {
                    downloaded: downloaded as f64,
                    total: total.map(|total| total as f64),
                });
            },
            || drop(progress.send(UpdateProgress::Installing)),
        )
        .await
        .map_err(|error| failed(text!("errors:updates.installFailed"), error))?;
    tracing::info!(version = update.version, "update installed: starting again");
    let _ = progress.send(UpdateProgress::Restarting);
    app.restart()
}
