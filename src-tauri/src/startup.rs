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
use batchdesk_engine::error_code::Coded;
use batchdesk_engine::held_files::HeldFiles;
use batchdesk_engine::opened_files::OpenedFiles;
use batchdesk_engine::store::{Store, StoreError};
use batchdesk_engine::text;
use batchdesk_engine::wizard::Wizard;
use batchdesk_prolific::{ApiBase, BaseUrlError};
use std::sync::OnceLock;

use batchdesk_engine::monitor::{Monitor, Pace};
use batchdesk_engine::results::Results;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::webview::NewWindowResponse;
use tauri::{App, AppHandle, Manager, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

use crate::navigation;
use crate::notify;

use crate::flavour::Flavour;
use crate::state::AppState;
use batchdesk_engine::jobs::Cancellable;

/// The app's data folder, as Tauri's `app_data_dir()` resolves it (the OS data folder
/// followed by the identifier), known before the app is built. `setup` checks they agree.
pub fn app_data_dir(identifier: &str) -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(identifier))
}

/// Why the app could not start. Each message says what happened and what to do (from
/// the catalogue; shown in English in a native dialog, before the UI exists).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum StartupError {
    NoDataFolder,
    StoreTooNew(#[source] StoreError),
    Store(#[source] StoreError),
    Window(#[source] tauri::Error),
    ApiBase(#[source] BaseUrlError),
    CustomApiRefused {
        address: String,
    },
    #[error(transparent)]
    Keychain(#[from] VaultError),
}

impl StartupError {
    fn text(&self) -> text::Text {
        let variable = API_BASE_VARIABLE;
        match self {
            Self::NoDataFolder => text!("errors:startup.noDataFolder"),
            Self::StoreTooNew(StoreError::TooNew { path, found, known }) => text!(
                "errors:startup.storeTooNew",
                path = path,
                found = found,
                known = known
            ),
            Self::StoreTooNew(error) | Self::Store(error) => store_text(error),
            Self::Window(reason) => text!("errors:startup.window", reason = reason.to_string()),
            Self::ApiBase(BaseUrlError::NotAUrl(address)) => text!(
                "errors:startup.apiBase.notAUrl",
                variable = variable,
                address = address
            ),
            Self::ApiBase(BaseUrlError::InsecureRemote(address)) => text!(
                "errors:startup.apiBase.insecureRemote",
                variable = variable,
                address = address
            ),
            Self::ApiBase(BaseUrlError::UnsupportedScheme(address)) => text!(
                "errors:startup.apiBase.unsupportedScheme",
                variable = variable,
                address = address
            ),
            Self::CustomApiRefused { address } => text!(
                "errors:startup.customApiRefused",
                variable = variable,
                allow = ALLOW_CUSTOM_API_VARIABLE,
                address = address,
                prolific = ApiBase::PROLIFIC
            ),
            Self::Keychain(inner) => inner.text(),
        }
    }
}

/// A store that would not open, and what to do about it (nothing was changed).
fn store_text(error: &StoreError) -> text::Text {
    match error {
        StoreError::CreateDir { path, source } => text!(
            "errors:startup.store.createDir",
            path = path,
            source = source.to_string()
        ),
        StoreError::Open { path, source } => text!(
            "errors:startup.store.open",
            path = path,
            source = source.to_string()
        ),
        StoreError::TooNew { path, found, known } => text!(
            "errors:startup.store.tooNew",
            path = path,
            found = found,
            known = known
        ),
        StoreError::Migrate { path, source } => text!(
            "errors:startup.store.migrate",
            path = path,
            source = source.to_string()
        ),
        StoreError::Sqlite(reason) => {
            text!("errors:startup.store.sqlite", reason = reason.to_string())
        }
    }
}

/// Points the connected mode at another API (for example a standalone practice server),
/// for tests and advanced users. Documented in the README.
pub const API_BASE_VARIABLE: &str = "BATCHDESK_API_BASE_URL";

/// Lets a release build use the address in [`API_BASE_VARIABLE`] (set to `1`). Dev and
/// test builds need no permission: the e2e tests point them at practice servers.
pub const ALLOW_CUSTOM_API_VARIABLE: &str = "BATCHDESK_ALLOW_CUSTOM_API";

/// Prolific's API, unless overridden by [`API_BASE_VARIABLE`].
fn prolific_base(flavour: Flavour) -> Result<ApiBase, StartupError> {
    let base = choose_api_base(
        flavour,
        std::env::var(API_BASE_VARIABLE).ok().as_deref(),
        std::env::var(ALLOW_CUSTOM_API_VARIABLE).ok().as_deref(),
    )?;
    if !base.is_prolific() {
        tracing::warn!(base = base.as_str(), "connected mode uses another API");
    }
    Ok(base)
}

/// The API the account is reached at: Prolific's, or `requested` (the value of
/// [`API_BASE_VARIABLE`]). A release build refuses another address unless `allowed` (the
/// value of [`ALLOW_CUSTOM_API_VARIABLE`]) is `1`, so a variable set by someone else
/// cannot quietly send a researcher's token and money elsewhere.
pub fn choose_api_base(
    flavour: Flavour,
    requested: Option<&str>,
    allowed: Option<&str>,
) -> Result<ApiBase, StartupError> {
    let Some(requested) = requested.filter(|url| !url.trim().is_empty()) else {
        return Ok(ApiBase::prolific());
    };
    let base = ApiBase::parse(requested).map_err(StartupError::ApiBase)?;
    let allowed = allowed.is_some_and(|value| value.trim() == "1");
    if flavour == Flavour::Release && !base.is_prolific() && !allowed {
        return Err(StartupError::CustomApiRefused {
            address: base.as_str().to_owned(),
        });
    }
    Ok(base)
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
    let flavour = Flavour::from_identifier(&identifier);
    // The keychain entry is named by the identifier, so each flavour keeps its own token,
    // and by the API address, so each address keeps its own too.
    let vault = TokenVault::for_address(&identifier, prolific_base(flavour)?)?;
    let mut connections = Connections::new(store.clone(), Arc::new(vault))
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
    let files = Arc::new(HeldFiles::default());
    let results = Arc::new(Results::new(&data_dir));
    // Pollers read the answers of studies with attention checks to alert on failures.
    let monitor = Monitor::new(
        Arc::clone(&connections),
        notify::sink(Arc::clone(&app_handle)),
        Pace::default(),
    )
    .with_results(Arc::clone(&results));
    Ok(AppState {
        monitor: Arc::new(monitor),
        results,
        app_handle,
        wizard: Wizard::new(
            Arc::clone(&connections),
            Arc::clone(&files),
            data_dir.join("fixed"),
        ),
        pilot: Cancellable::default(),
        top_up: Cancellable::default(),
        files,
        opened: OpenedFiles::default(),
        updates: crate::updater::Updates::from_config(config),
        connections,
        store,
        flavour,
        identifier,
        data_dir,
    })
}

/// Runs inside the event loop, once the app is built.
pub fn setup(app: &App) {
    let state = app.state::<AppState>();
    let _ = state.app_handle.set(app.handle().clone());
    // A data file this start was asked to open waits for the UI to take it.
    crate::opened::from_own_start(&state);
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

/// Opens the main window as `tauri.conf.json` describes it (where it is marked
/// `"create": false`, so that it is made here), guarded so that it only ever shows the
/// app: navigation to any other address is refused, and so is every new window
/// (`target="_blank"`, `window.open`). The UI asks before a link is opened in the
/// system browser instead.
pub fn open_main_window(app: &App) -> Result<(), tauri::Error> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") else {
        tracing::error!("tauri.conf.json describes no main window");
        return Ok(());
    };
    // The dev server serves the pages only in a development build.
    let dev_url = if tauri::is_dev() {
        app.config().build.dev_url.clone()
    } else {
        None
    };
    // Built hidden and shown once the window-state plugin has put it back where the
    // researcher left it (it does so as the window is made), so it does not jump.
    let window = WebviewWindowBuilder::from_config(app, config)?
        .visible(false)
        .initialization_script(boot_script(&app.state::<AppState>()))
        .on_navigation(move |url| {
            let allowed = navigation::is_app_url(url, dev_url.as_ref());
            if !allowed {
                tracing::warn!(%url, "the window was kept from leaving the app");
            }
            allowed
        })
        .on_new_window(|url, _| {
            tracing::warn!(%url, "a new window was refused");
            NewWindowResponse::Deny
        })
        .build()?;
    window.show()?;
    tracing::info!("the window is shown");
    save_window_place_when_it_settles(&window);
    Ok(())
}

/// The facts the UI needs before its first render (`AppInfo`: above all the locale to
/// format for), given to the page before its scripts run, so the first screen does not
/// wait for a command's round trip (issue 21's first paint). The UI asks `app_info` as
/// usual when they are missing.
fn boot_script(state: &AppState) -> String {
    let facts = state
        .app_info()
        .ok()
        .and_then(|info| serde_json::to_string(&info).ok())
        .unwrap_or_else(|| "null".to_owned());
    // JSON is a JavaScript expression; the object is frozen like the rest of the page's.
    format!(
        "Object.defineProperty(window, \"__BATCHDESK_BOOT__\", {{ value: Object.freeze({{ appInfo: {facts} }}) }});"
    )
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

/// Where the window's size and position are kept: in the data folder (the plugin joins
/// this absolute path onto its config folder, which leaves it as it is), so each flavour,
/// and each e2e test with its own data folder, keeps its own.
pub fn window_state_file(data_dir: &std::path::Path) -> String {
    data_dir.join("window-state.json").display().to_string()
}

/// What of the window is remembered: its size, its place, and whether it is maximized.
pub const WINDOW_STATE: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// Writes the window's size and place once it has stopped moving for a moment, not only
/// when the app quits normally (the plugin's own save), so that a crash, a logout or a
/// killed process does not lose them.
fn save_window_place_when_it_settles(window: &tauri::WebviewWindow) {
    let app = window.app_handle().clone();
    let changes = Arc::new(AtomicU64::new(0));
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            return;
        }
        let this_change = changes.fetch_add(1, Ordering::SeqCst) + 1;
        let changes = Arc::clone(&changes);
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if changes.load(Ordering::SeqCst) == this_change
                && let Err(error) = app.save_window_state(WINDOW_STATE)
            {
                tracing::warn!(%error, "the window's size and place could not be saved");
            }
        });
    });
}

/// Brings the main window forward: what a second start of the app does instead of
/// opening a second app on the same data (which could launch the same batch twice).
pub fn focus_main_window(app: &AppHandle) {
    tracing::info!("Batchdesk was started again: focusing the window already open");
    let Some(window) = app.get_webview_window("main") else {
        tracing::warn!("no window to bring forward");
        return;
    };
    // Each step waits for the window's thread: without the last line below in the log,
    // one of them never came back.
    for (step, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(error) = result {
            tracing::warn!(%error, step, "the window could not be brought forward");
        }
    }
    tracing::info!("the window already open was brought forward");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_failure_says_what_happened_and_what_to_do() {
        // A file where the data folder should be.
        let folder = batchdesk_test_support::temp_folder();
        let blocker = folder.path().join("batchdesk");
        std::fs::write(&blocker, "").unwrap_or_default();
        let error = Store::open_in_dir(&blocker).err();
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
    fn another_api_address_is_refused_in_release_builds_unless_allowed() {
        let practice = "http://127.0.0.1:4100";
        let Err(error) = choose_api_base(Flavour::Release, Some(practice), None) else {
            panic!("a release build sent the token to another address");
        };
        assert!(
            matches!(&error, StartupError::CustomApiRefused { address } if address.starts_with(practice)),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("http://127.0.0.1:4100"), "{message}");
        assert!(
            message.contains("BATCHDESK_ALLOW_CUSTOM_API=1"),
            "{message}"
        );
        assert!(
            choose_api_base(Flavour::Release, Some(practice), Some("0")).is_err(),
            "only 1 allows it"
        );

        for (flavour, allowed) in [
            (Flavour::Release, Some("1")),
            (Flavour::Dev, None),
            (Flavour::Test, None),
        ] {
            let base = choose_api_base(flavour, Some(practice), allowed)
                .unwrap_or_else(|error| panic!("{flavour:?}: {error}"));
            assert!(!base.is_prolific());
        }
    }

    #[test]
    fn prolific_itself_needs_no_permission() {
        for requested in [
            None,
            Some(""),
            Some("  "),
            Some("https://api.prolific.com/"),
        ] {
            let base = choose_api_base(Flavour::Release, requested, None)
                .unwrap_or_else(|error| panic!("{requested:?}: {error}"));
            assert!(base.is_prolific(), "{requested:?}");
        }
        let error = choose_api_base(Flavour::Test, Some("http://example.org"), None);
        assert!(matches!(error, Err(StartupError::ApiBase(_))), "{error:?}");
    }

    #[test]
    fn the_data_folder_ends_with_the_identifier() {
        let dir = app_data_dir("io.batchdesk.desktop.test");
        assert!(dir.is_some_and(|dir| dir.ends_with("io.batchdesk.desktop.test")));
    }
}
