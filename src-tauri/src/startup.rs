//! Start-up: logging, the local store, and a plain native dialog when something stops the
//! app from starting (instead of a crash with a backtrace).
//!
//! The store is opened before Tauri starts its event loop. That way a failure can be
//! shown with a blocking native dialog (rfd runs GTK dialogs on its own thread through the
//! default main context, which deadlocks once the event loop owns that context), and the
//! window, whose webview keeps its data in the same folder, is only created once the
//! folder is known to work.

use std::path::PathBuf;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::credentials::{TokenVault, VaultError};
use batchdesk_engine::held_files::HeldFiles;
use batchdesk_engine::store::{Store, StoreError};
use batchdesk_engine::task_step::DataContextCache;
use batchdesk_prolific::{ApiBase, BaseUrlError};
use std::sync::OnceLock;

use batchdesk_engine::monitor::{Monitor, Pace};
use batchdesk_engine::results::Results;
use tauri::{App, AppHandle, Manager};

use crate::notify;

use crate::flavour::Flavour;
use crate::state::{AppState, Job};

pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BATCHDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Another subscriber may already be installed (tests); that one is kept.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The app's data folder, as Tauri's `app_data_dir()` resolves it (the OS data folder
/// followed by the identifier), known before the app is built. `setup` checks they agree.
pub fn app_data_dir(identifier: &str) -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(identifier))
}

/// Why the app could not start. Each message says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "Batchdesk could not find a folder to keep its data in. Check that your home folder \
         is set up, then start Batchdesk again."
    )]
    NoDataFolder,
    #[error("{0}\n\nYour data has not been touched.")]
    StoreTooNew(#[source] StoreError),
    #[error(
        "{0}\n\nNothing was changed. Check that this folder exists and that you can write to \
         it, then start Batchdesk again."
    )]
    Store(#[source] StoreError),
    #[error(
        "Batchdesk could not open its window ({0}). Restart your computer and try again; if \
         it keeps happening, please report it."
    )]
    Window(#[source] tauri::Error),
    #[error("{API_BASE_VARIABLE} is set, but {0} Remove it or correct it, then start again.")]
    ApiBase(#[source] BaseUrlError),
    #[error(transparent)]
    Keychain(#[from] VaultError),
}

/// Points the connected mode at another API (for example a standalone practice server),
/// for tests and advanced users. Documented in the README.
pub const API_BASE_VARIABLE: &str = "BATCHDESK_API_BASE_URL";

/// Prolific's API, unless overridden by [`API_BASE_VARIABLE`].
fn prolific_base() -> Result<ApiBase, StartupError> {
    match std::env::var(API_BASE_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => {
            let base = ApiBase::parse(&url).map_err(StartupError::ApiBase)?;
            tracing::warn!(base = base.as_str(), "connected mode uses another API");
            Ok(base)
        }
        _ => Ok(ApiBase::prolific()),
    }
}

impl From<StoreError> for StartupError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::TooNew { .. } => Self::StoreTooNew(error),
            other => Self::Store(other),
        }
    }
}

/// `BATCHDESK_PRACTICE_BALANCE`: the practice workspace's starting balance in pence or
/// cents, to rehearse a balance too small to publish.
fn practice_balance() -> Option<i64> {
    let value = std::env::var("BATCHDESK_PRACTICE_BALANCE").ok()?;
    match value.trim().parse() {
        Ok(balance) => Some(balance),
        Err(_) => {
            tracing::warn!(%value, "BATCHDESK_PRACTICE_BALANCE is not a whole number; ignored");
            None
        }
    }
}

/// Opens what the app needs before it has a window.
pub fn open_state(config: &tauri::Config) -> Result<AppState, StartupError> {
    let app_handle: Arc<OnceLock<AppHandle>> = Arc::default();
    let identifier = config.identifier.clone();
    let data_dir = app_data_dir(&identifier).ok_or(StartupError::NoDataFolder)?;
    let store = Store::open_in_dir(&data_dir)?;
    tracing::info!(path = %store.path().display(), "local store open");
    // The keychain entry is named by the identifier, so each flavour keeps its own token.
    let vault = TokenVault::for_service(&identifier)?;
    let mut connections = Connections::new(store.clone(), Arc::new(vault), prolific_base()?)
        .with_practice_state_dir(data_dir.join("practice"));
    if let Some(balance) = practice_balance() {
        connections = connections.with_practice_balance(balance);
    }
    // The standalone practice server's variables also place the in-app one.
    let port = std::env::var("BATCHDESK_PRACTICE_PORT")
        .ok()
        .and_then(|port| port.trim().parse().ok());
    let token = std::env::var("BATCHDESK_PRACTICE_TOKEN").ok();
    connections = connections.with_practice_address(port, token);
    if let Some(pace) = std::env::var("BATCHDESK_PRACTICE_PACE_MS")
        .ok()
        .and_then(|pace| pace.trim().parse().ok())
    {
        connections = connections.with_practice_pace(std::time::Duration::from_millis(pace));
    }
    #[cfg(feature = "strict-practice")]
    {
        tracing::info!("practice server in strict mode: request bodies checked against the spec");
        connections = connections.with_practice_request_check(
            batchdesk_engine::connection::RequestCheck(Arc::new(|method, template, body| {
                batchdesk_openapi_contract::request_problems(method, template, body)
            })),
        );
    }
    let connections = Arc::new(connections);
    let monitor = Monitor::new(
        Arc::clone(&connections),
        notify::sink(Arc::clone(&app_handle)),
        Pace::default(),
    );
    Ok(AppState {
        monitor: Arc::new(monitor),
        results: Results::new(&data_dir),
        app_handle,
        upload: Job::default(),
        setup: Job::default(),
        inspection: Job::default(),
        data_context: DataContextCache::default(),
        files: HeldFiles::default(),
        connections,
        store,
        flavour: Flavour::from_identifier(&identifier),
        identifier,
        data_dir,
    })
}

/// Runs inside the event loop, once the app is built.
pub fn setup(app: &App) {
    let state = app.state::<AppState>();
    let _ = state.app_handle.set(app.handle().clone());
    // Resume the connection, then the pollers of the studies that were live at quit.
    let connections = Arc::clone(&state.connections);
    let monitor = Arc::clone(&state.monitor);
    tauri::async_runtime::spawn(async move {
        if matches!(connections.status().await, Ok(Some(_))) {
            monitor.reconnected().await;
        }
    });
    match app.path().app_data_dir() {
        Ok(dir) if dir == state.data_dir => {}
        other => tracing::error!(
            expected = %state.data_dir.display(),
            tauri = ?other,
            "Tauri resolves a different data folder than Batchdesk opened"
        ),
    }
}

/// A blocking native dialog, shown before the event loop starts (see the module comment).
pub fn show_fatal_dialog(error: &StartupError) {
    let message = error.to_string();
    tracing::error!(error = ?error, "{message}");
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Batchdesk cannot start")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_failure_says_what_happened_and_what_to_do() {
        let blocker =
            std::env::temp_dir().join(format!("batchdesk-startup-{}", std::process::id()));
        std::fs::write(&blocker, "").unwrap_or_default();
        let error = Store::open_in_dir(&blocker).err();
        let _ = std::fs::remove_file(&blocker);
        let message = error
            .map(|error| StartupError::from(error).to_string())
            .unwrap_or_default();
        assert!(
            message.contains("could not create its data folder"),
            "{message}"
        );
        assert!(
            message.contains("Check that this folder exists"),
            "{message}"
        );
    }

    #[test]
    fn a_database_from_a_newer_version_is_left_untouched() {
        let error = StartupError::from(StoreError::TooNew {
            path: "/data/batchdesk.sqlite3".into(),
            found: 9,
            known: 1,
        });
        let message = error.to_string();
        assert!(message.contains("newer version of Batchdesk"), "{message}");
        assert!(
            message.ends_with("Your data has not been touched."),
            "{message}"
        );
    }

    #[test]
    fn the_data_folder_ends_with_the_identifier() {
        let dir = app_data_dir("io.batchdesk.desktop.test");
        assert!(dir.is_some_and(|dir| dir.ends_with("io.batchdesk.desktop.test")));
    }
}
