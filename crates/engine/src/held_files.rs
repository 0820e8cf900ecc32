//! Files the researcher brought (chosen in the native dialog, dropped on the window), the
//! copies Batchdesk made of them and the bundled samples, held here behind opaque handles.
//!
//! The webview never hands Rust a path to read: it gets a random handle and the file's
//! name, and gives the handle back. A string that is not a handle this run of the app
//! gave out (a path typed by an injected script, say) names no file and is refused. Paths
//! come only from Rust itself: the native dialog, the window's native drop event, the
//! app's own folder, and the saved draft.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use specta::Type;

use crate::error_code::{Coded, ErrorCode};
use crate::text;

/// A file as the UI knows it: a handle to give back, and what to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HeldFile {
    /// Opaque and random; valid until the app quits.
    pub handle: String,
    /// The file's name only, never its folder.
    pub file_name: String,
    /// Its size in bytes when it was handed over, if it could be read.
    #[specta(type = Option<f64>)]
    pub size: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum HeldFileError {
    /// Not a handle this run gave out: a path, a made-up string, or one from before a
    /// restart.
    Unknown,
}

impl Coded for HeldFileError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Unknown => ErrorCode::UnknownFile,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Unknown => text!("errors:heldFiles.unknown"),
        }
    }
}

/// The handles given out in this run of the app.
#[derive(Debug, Default)]
pub struct HeldFiles {
    paths: Mutex<HashMap<String, PathBuf>>,
}

impl HeldFiles {
    /// Holds `path` and answers its handle. The same path keeps the same handle, so the
    /// UI can key what it shows of a file by its handle.
    pub fn hold(&self, path: impl Into<PathBuf>) -> HeldFile {
        let path = path.into();
        let mut paths = self.paths.lock().unwrap_or_else(PoisonError::into_inner);
        let known = paths
            .iter()
            .find(|(_, held)| **held == path)
            .map(|(handle, _)| handle.clone());
        let handle = known.unwrap_or_else(|| {
            let handle = format!("file-{}", uuid::Uuid::new_v4().simple());
            paths.insert(handle.clone(), path.clone());
            handle
        });
        HeldFile {
            handle,
            file_name: file_name(&path),
            size: std::fs::metadata(&path).ok().map(|metadata| metadata.len()),
        }
    }

    /// The file behind `handle`; anything else, a path above all, is refused.
    pub fn path(&self, handle: &str) -> Result<PathBuf, HeldFileError> {
        self.paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(handle)
            .cloned()
            .ok_or(HeldFileError::Unknown)
    }
}

/// The last part of `path`, for showing.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "(unnamed file)".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_held_file_is_reached_by_its_handle_and_shows_only_its_name() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("reviews.csv");
        std::fs::write(&path, "id,text\n1,good\n").unwrap();
        let files = HeldFiles::default();
        let held = files.hold(&path);
        assert_eq!(held.file_name, "reviews.csv");
        assert_eq!(held.size, Some(15));
        assert!(!held.handle.contains('/') && !held.handle.contains("reviews"));
        assert_eq!(files.path(&held.handle).unwrap(), path);
        assert_eq!(files.hold(&path).handle, held.handle, "one handle per file");
        let other = files.hold(dir.path().join("other.csv"));
        assert_ne!(other.handle, held.handle);
    }

    #[test]
    fn a_path_or_an_unknown_string_is_refused() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("reviews.csv");
        std::fs::write(&path, "id\n1\n").unwrap();
        let files = HeldFiles::default();
        files.hold(&path);
        for refused in [
            path.display().to_string(),
            "/etc/passwd".to_owned(),
            "file-00000000000000000000000000000000".to_owned(),
            String::new(),
        ] {
            let error = files.path(&refused).unwrap_err();
            assert!(matches!(error, HeldFileError::Unknown), "{refused}");
            assert!(error.to_string().contains("Choose it again"));
        }
    }
}
