//! The app's log: on stderr as before, and in files in `<app data>/logs/` that rotate
//! daily with the last [`KEPT_LOG_FILES`] kept, so a researcher can send them with a bug
//! report ("Open the logs folder" on the Account page). What is logged never includes the
//! token (an `ApiToken` has no `Display` and a redacted `Debug`).

use std::path::{Path, PathBuf};

use batchdesk_engine::text;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, fmt};

use crate::error::{ErrorCode, IpcError};

/// How many days of logs are kept.
pub const KEPT_LOG_FILES: usize = 7;

/// The folder of the log files, inside the app's data folder.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// The daily log files: `batchdesk.<date>.log`, the oldest removed past
/// [`KEPT_LOG_FILES`].
fn rolling_file(dir: &Path) -> Option<RollingFileAppender> {
    // Made first: the appender looks for old files to remove as it starts.
    let _ = std::fs::create_dir_all(dir);
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("batchdesk")
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(dir)
        .inspect_err(|error| eprintln!("Batchdesk cannot write its log file: {error}"))
        .ok()
}

/// Starts logging (level from `BATCHDESK_LOG`, `info` otherwise) to stderr and, when the
/// data folder is known and writable, to the rotating files.
pub fn init(data_dir: Option<&Path>) {
    let filter =
        EnvFilter::try_from_env("BATCHDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file = data_dir.and_then(|dir| rolling_file(&logs_dir(dir)));
    // Another subscriber may already be installed (tests); that one is kept.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(file.map(|file| fmt::layer().with_ansi(false).with_writer(file)))
        .try_init();
}

/// Opens the logs folder in the system's file manager (tauri-plugin-opener's Rust API).
pub fn open_folder(data_dir: &Path) -> Result<(), IpcError> {
    let dir = logs_dir(data_dir);
    // The folder exists once anything was logged; made here in case nothing was yet.
    let _ = std::fs::create_dir_all(&dir);
    tauri_plugin_opener::open_path(&dir, None::<&str>).map_err(|error| {
        tracing::warn!(%error, "the logs folder could not be opened");
        IpcError::new(
            ErrorCode::Internal,
            text!(
                "errors:shell.logsFolderNotOpened",
                reason = error.to_string(),
                folder = dir.as_path(),
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_file_is_written_in_the_data_folder() {
        use std::io::Write;
        let folder = batchdesk_test_support::temp_folder();
        let dir = folder.path();
        let Some(mut file) = rolling_file(&logs_dir(dir)) else {
            panic!("no log file in {}", dir.display());
        };
        let written = file.write_all(b"a line\n").and_then(|()| file.flush());
        let names: Vec<String> = std::fs::read_dir(logs_dir(dir))
            .map(|entries| {
                entries
                    .flatten()
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(written.is_ok(), "{written:?}");
        assert!(
            names
                .iter()
                .any(|name| name.starts_with("batchdesk.") && name.ends_with(".log")),
            "{names:?}"
        );
    }
}
