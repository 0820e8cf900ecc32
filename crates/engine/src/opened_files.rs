//! Data files the operating system asked Batchdesk to open: a `.csv` or `.tsv` path on the
//! command line ("Open with" on Linux and Windows, or a second start of the app, which
//! hands its arguments to the first), or macOS's open-file event.
//!
//! The shell offers each such file here; the UI takes it when it is ready to show it (at
//! start, once connected, or when told one arrived) and opens the wizard's data step with
//! it, as if the researcher had dropped it on the window. Only the latest file waits: a
//! data step takes one file.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::held_files::{HeldFile, HeldFiles};

/// The extensions Batchdesk is registered to open (the bundle's file associations).
const OPENED_EXTENSIONS: [&str; 2] = ["csv", "tsv"];

/// Whether `path` names a data file Batchdesk opens when asked to by the system.
pub fn is_openable(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            OPENED_EXTENSIONS
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}

/// The data files named in a start's arguments (`args` is the whole command line: the
/// program first, as `std::env::args_os` and the single-instance plugin give it). A
/// relative path is taken from `cwd`, the folder the start was made in. Options
/// (anything starting with `-`) and other files are left alone.
pub fn data_files_in_args<I, S>(args: I, cwd: &Path) -> Vec<PathBuf>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    args.into_iter()
        .skip(1)
        .map(Into::into)
        .filter(|arg| !arg.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .filter(|path| is_openable(path))
        .map(|path| {
            if path.is_absolute() {
                path
            } else {
                cwd.join(path)
            }
        })
        .collect()
}

/// The file waiting to be opened, if any.
#[derive(Debug, Default)]
pub struct OpenedFiles {
    waiting: Mutex<Option<PathBuf>>,
}

impl OpenedFiles {
    /// Keeps the last openable file of `paths` for the UI; answers whether one was kept.
    pub fn offer(&self, paths: impl IntoIterator<Item = PathBuf>) -> bool {
        let Some(path) = paths.into_iter().filter(|path| is_openable(path)).last() else {
            return false;
        };
        tracing::info!(file = %crate::held_files::file_name(&path), "a data file was opened with Batchdesk");
        *self.slot() = Some(path);
        true
    }

    /// Whether a file waits, without taking it.
    pub fn waiting(&self) -> bool {
        self.slot().is_some()
    }

    /// Takes the waiting file, held behind a handle like a dropped one (its path stays in
    /// Rust); `None` when none waits. A file is taken once.
    pub fn take(&self, files: &HeldFiles) -> Option<HeldFile> {
        self.slot().take().map(|path| files.hold(path))
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<PathBuf>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn csv_and_tsv_paths_are_taken_from_the_arguments_and_nothing_else() {
        let cwd = Path::new("/home/ada/Downloads");
        let files = data_files_in_args(
            [
                "/opt/batchdesk/batchdesk",
                "--flag",
                "reviews.CSV",
                "/data/survey.tsv",
                "notes.txt",
                "picture.png",
                "-psn_0_12345.csv",
            ],
            cwd,
        );
        assert_eq!(
            files,
            vec![
                PathBuf::from("/home/ada/Downloads/reviews.CSV"),
                PathBuf::from("/data/survey.tsv"),
            ]
        );
        assert!(
            data_files_in_args(["/opt/batchdesk/batchdesk.csv"], cwd).is_empty(),
            "the program itself is never a file to open"
        );
    }

    #[test]
    fn the_latest_file_waits_once_behind_a_handle() {
        let dir = batchdesk_test_support::temp_folder();
        let first = dir.path().join("first.csv");
        let second = dir.path().join("second.tsv");
        std::fs::write(&first, "id\n1\n").unwrap();
        std::fs::write(&second, "id\n2\n").unwrap();
        let opened = OpenedFiles::default();
        let held = HeldFiles::default();
        assert!(!opened.offer([dir.path().join("notes.txt")]));
        assert!(!opened.waiting());
        assert!(opened.offer([first.clone()]));
        assert!(opened.offer([second.clone()]), "a later start replaces it");
        assert!(opened.waiting());
        let taken = opened.take(&held).unwrap();
        assert_eq!(taken.file_name, "second.tsv");
        assert_eq!(held.path(&taken.handle).unwrap(), second);
        assert!(opened.take(&held).is_none(), "taken once");
    }
}
