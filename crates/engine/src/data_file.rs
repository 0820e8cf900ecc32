//! The researcher's data file, for the first wizard step: check it is a kind we read,
//! inspect it with the CSV doctor on a blocking thread (with progress), preview the first
//! rows, and write safe fixes to a new file in the app's own folder. The researcher's
//! original is never modified.

use std::path::{Path, PathBuf};

use serde::Serialize;
use specta::Type;

use crate::csv_doctor::{
    self, DoctorError, FixOptions, FixSummary, InspectOptions, Preview, Progress, Report,
};

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;

const ACCEPTED_EXTENSIONS: &[&str] = &["csv", "tsv", "txt"];

#[derive(Debug, thiserror::Error)]
pub enum DataFileError {
    #[error(
        "Batchdesk reads spreadsheets saved as CSV (.csv), tab-separated (.tsv) or Excel \
         \"Unicode text\" (.txt) files, and \"{name}\" is not one of those. In Excel, use File → \
         Save As and choose \"CSV UTF-8\", then bring that file."
    )]
    Unsupported { name: String },
    #[error(transparent)]
    Doctor(#[from] DoctorError),
    #[error("Batchdesk could not finish reading the file: {0}")]
    Background(#[from] tokio::task::JoinError),
}

/// A file after inspection: what the doctor found and the first rows.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InspectedFile {
    pub path: String,
    pub file_name: String,
    pub report: Report,
    pub preview: Preview,
}

/// A fixed copy, inspected again, with what the fix changed.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FixedFile {
    pub file: InspectedFile,
    pub summary: FixSummary,
}

/// Refuses files the doctor does not read, by their extension, before opening them.
pub fn check_extension(path: &Path) -> Result<(), DataFileError> {
    let accepted = path
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            ACCEPTED_EXTENSIONS
                .iter()
                .any(|accepted| extension.eq_ignore_ascii_case(accepted))
        });
    if accepted {
        Ok(())
    } else {
        Err(DataFileError::Unsupported {
            name: file_name(path),
        })
    }
}

/// Inspects and previews `path` on a blocking thread, reporting progress as it reads.
pub async fn inspect_file(
    path: PathBuf,
    progress: impl Fn(Progress) + Send + 'static,
) -> Result<InspectedFile, DataFileError> {
    check_extension(&path)?;
    tokio::task::spawn_blocking(move || inspect_now(&path, &progress)).await?
}

/// Writes a fixed copy of `source` into `fixed_dir` (never over an existing file) and
/// inspects the copy.
pub async fn fix_file(source: PathBuf, fixed_dir: PathBuf) -> Result<FixedFile, DataFileError> {
    check_extension(&source)?;
    tokio::task::spawn_blocking(move || -> Result<FixedFile, DataFileError> {
        std::fs::create_dir_all(&fixed_dir).map_err(DoctorError::Write)?;
        let destination = free_name(&fixed_dir, &source);
        let summary = csv_doctor::fix(&source, &destination, &FixOptions::default())?;
        let file = inspect_now(&destination, &|_| {})?;
        Ok(FixedFile { file, summary })
    })
    .await?
}

fn inspect_now(path: &Path, progress: &dyn Fn(Progress)) -> Result<InspectedFile, DataFileError> {
    let options = InspectOptions {
        progress: Some(progress),
        ..InspectOptions::default()
    };
    let report = csv_doctor::inspect(path, &options)?;
    let preview = csv_doctor::preview(path, &report, PREVIEW_ROWS)?;
    Ok(InspectedFile {
        path: path.display().to_string(),
        file_name: file_name(path),
        report,
        preview,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// `<stem> (fixed).csv`, then `<stem> (fixed 2).csv`… whichever does not exist yet.
fn free_name(dir: &Path, source: &Path) -> PathBuf {
    let stem = source
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".to_owned());
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                "fixed".to_owned()
            } else {
                format!("fixed {n}")
            };
            dir.join(format!("{stem} ({suffix}).csv"))
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| dir.join(format!("{stem} (fixed).csv")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::sync::{Arc, Mutex};

    fn sample(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data")
            .join(name)
    }

    #[test]
    fn only_spreadsheet_exports_are_accepted() {
        for ok in ["a.csv", "b.TSV", "c.txt", "/x/y/reviews.Csv"] {
            assert!(check_extension(Path::new(ok)).is_ok(), "{ok}");
        }
        for refused in ["book.xlsx", "notes", "data.csv.zip", "image.png"] {
            let error = check_extension(Path::new(refused)).unwrap_err();
            assert!(error.to_string().contains("Save As"), "{refused}: {error}");
        }
    }

    #[tokio::test]
    async fn inspects_with_progress_and_previews() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let file = inspect_file(sample("reviews.csv"), move |progress| {
            record.lock().unwrap().push(progress.bytes_read);
        })
        .await
        .unwrap();
        assert_eq!(file.file_name, "reviews.csv");
        assert_eq!(file.report.row_count, 24);
        assert!(!file.preview.rows.is_empty() && file.preview.rows.len() <= PREVIEW_ROWS);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.last().copied(), Some(file.report.file_size));
    }

    #[tokio::test]
    async fn fixes_into_a_new_file_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let source = sample("reviews-excel-semicolon-bom.csv");
        let before = std::fs::read(&source).unwrap();
        let first = fix_file(source.clone(), dir.path().to_path_buf())
            .await
            .unwrap();
        let second = fix_file(source.clone(), dir.path().to_path_buf())
            .await
            .unwrap();
        assert!(
            first
                .file
                .path
                .ends_with("reviews-excel-semicolon-bom (fixed).csv")
        );
        assert!(
            second
                .file
                .path
                .ends_with("reviews-excel-semicolon-bom (fixed 2).csv")
        );
        assert!(!first.file.report.has("not_comma_separated"));
        assert_eq!(
            std::fs::read(&source).unwrap(),
            before,
            "the original is untouched"
        );
    }
}
