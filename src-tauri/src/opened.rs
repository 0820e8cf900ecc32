//! Data files the system asks Batchdesk to open: on the command line of the first start,
//! from a second start (the single-instance plugin hands its arguments to this one), or
//! through macOS's open-file event. Each is kept in `AppState::opened`; the UI takes it
//! (`take_opened_file`) when it starts or when [`FileOpened`] says one arrived, and opens
//! the wizard's data step with it.

use std::path::{Path, PathBuf};

use batchdesk_engine::opened_files::data_files_in_args;
use tauri::{AppHandle, Manager};

use crate::events::{FileOpened, ScopedEvent};
use crate::state::AppState;

/// The window the opened files are shown in.
const MAIN_WINDOW: &str = "main";

/// The files on this start's own command line, kept for the UI to take once it is up.
pub fn from_own_start(state: &AppState) {
    let cwd = std::env::current_dir().unwrap_or_default();
    state
        .opened
        .offer(data_files_in_args(std::env::args_os(), &cwd));
}

/// A second start of the app, with its arguments and the folder it was made in.
pub fn from_second_start(app: &AppHandle, args: Vec<String>, cwd: &str) {
    offer(app, data_files_in_args(args, Path::new(cwd)));
}

/// Keeps the last of `paths` that Batchdesk opens, and tells the window one is waiting.
pub fn offer(app: &AppHandle, paths: impl IntoIterator<Item = PathBuf>) {
    let state = app.state::<AppState>();
    if !state.opened.offer(paths) {
        return;
    }
    let told = FileOpened {
        window: MAIN_WINDOW.to_owned(),
    };
    if let Some(window) = app.get_webview_window(MAIN_WINDOW)
        && let Err(error) = told.emit(&window)
    {
        tracing::warn!(%error, "could not tell the window about an opened file");
    }
}

/// macOS hands files opened with the app (Finder's "Open With", a double-click) to the
/// running app as an event with `file://` URLs.
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub fn on_run_event(app: &AppHandle, event: &tauri::RunEvent) {
    if let tauri::RunEvent::Opened { urls } = event {
        offer(app, urls.iter().filter_map(|url| url.to_file_path().ok()));
    }
}

#[cfg(not(any(target_os = "macos", target_os = "ios")))]
pub fn on_run_event(_app: &AppHandle, _event: &tauri::RunEvent) {}
