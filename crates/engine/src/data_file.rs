//! The researcher's data file, for the first wizard step: check it is a kind we read,
//! inspect it with the CSV doctor on a blocking thread (with progress, cancellable),
//! preview the first rows, and write safe fixes to a new file in the app's own folder
//! (with progress, cancellable). The researcher's original is never modified.
//!
//! Every way of bringing a file (the native dialog, a drop on the window, a sample, a
//! draft reopened after a restart) ends in [`inspect_file_cancellable`] with a path that
//! Rust itself found: the UI names files by the handles of [`HeldFiles`]
//! ([`inspect_held`], [`fix_held`]), never by path.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::csv_doctor::{
    self, DoctorError, FixOptions, FixSummary, InspectOptions, Preview, ReadProgress, Report,
};
use crate::error_code::{Coded, ErrorCode};
use crate::held_files::{self, HeldFileError, HeldFiles};
use crate::text;

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;

const ACCEPTED_EXTENSIONS: &[&str] = &["csv", "tsv", "txt"];

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum DataFileError {
    Unsupported {
        name: String,
    },
    #[error(transparent)]
    Doctor(#[from] DoctorError),
    Background(#[from] tokio::task::JoinError),
    UnknownSample {
        id: String,
    },
    SampleNotWritten(std::io::Error),
    #[error(transparent)]
    Held(#[from] HeldFileError),
}

impl Coded for DataFileError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Unsupported { .. } => ErrorCode::UnsupportedFile,
            Self::Doctor(error) => error.error_code(),
            Self::Background(_) => ErrorCode::Internal,
            Self::UnknownSample { .. } => ErrorCode::NotFound,
            Self::SampleNotWritten(_) => ErrorCode::FileNotWritten,
            Self::Held(error) => error.error_code(),
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Unsupported { name } => text!("errors:dataFile.unsupported", name = name),
            Self::Doctor(inner) => inner.text(),
            Self::Background(reason) => {
                text!("errors:dataFile.background", reason = reason.to_string())
            }
            Self::UnknownSample { id } => text!("errors:dataFile.unknownSample", id = id),
            Self::SampleNotWritten(reason) => {
                text!(
                    "errors:dataFile.sampleNotWritten",
                    reason = reason.to_string()
                )
            }
            Self::Held(inner) => inner.text(),
        }
    }
}

/// A file after inspection, as Rust keeps it: where it is, what the doctor found and the
/// first rows.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub path: PathBuf,
    pub file_name: String,
    pub report: Report,
    pub preview: Preview,
}

impl Inspection {
    /// As the UI may see it: the file behind a handle, never its path.
    pub fn held(self, files: &HeldFiles) -> InspectedFile {
        InspectedFile {
            handle: files.hold(self.path).handle,
            file_name: self.file_name,
            report: self.report,
            preview: self.preview,
        }
    }
}

/// A file after inspection, for the UI: its handle, name, findings and first rows.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InspectedFile {
    pub handle: String,
    pub file_name: String,
    pub report: Report,
    pub preview: Preview,
}

/// A fixed copy, inspected again, with what the fix changed.
#[derive(Clone, Debug)]
pub struct Fixed {
    pub file: Inspection,
    pub summary: FixSummary,
}

/// A fixed copy for the UI (its handle, never its path), with what the fix changed.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FixedFile {
    pub file: InspectedFile,
    pub summary: FixSummary,
}

/// Which pass of a fix is running: writing the copy, then checking it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FixStage {
    Writing,
    Checking,
}

/// How far a fix has got, for a progress bar: each stage goes from 0 to its file's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FixProgress {
    pub stage: FixStage,
    #[specta(type = u32)]
    pub bytes_read: u64,
    #[specta(type = Option<u32>)]
    pub total_bytes: Option<u64>,
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
            name: held_files::file_name(path),
        })
    }
}

/// Inspects the file behind `handle` (see [`inspect_file_cancellable`]); a handle this
/// run did not give out, such as a path, is refused before anything is read.
pub async fn inspect_held(
    files: &HeldFiles,
    handle: &str,
    progress: impl Fn(ReadProgress) + Send + 'static,
    cancel: CancellationToken,
) -> Result<InspectedFile, DataFileError> {
    let path = files.path(handle)?;
    let inspection = inspect_file_cancellable(path, progress, cancel).await?;
    Ok(inspection.held(files))
}

/// Writes a fixed copy of the file behind `handle` into `fixed_dir` (see
/// [`fix_file_cancellable`]); the copy gets a handle of its own.
pub async fn fix_held(
    files: &HeldFiles,
    handle: &str,
    fixed_dir: PathBuf,
    progress: impl Fn(FixProgress) + Send + 'static,
    cancel: CancellationToken,
) -> Result<FixedFile, DataFileError> {
    let source = files.path(handle)?;
    let fixed = fix_file_cancellable(source, fixed_dir, progress, cancel).await?;
    Ok(FixedFile {
        file: fixed.file.held(files),
        summary: fixed.summary,
    })
}

/// Inspects and previews `path` on a blocking thread, reporting progress as it reads.
pub async fn inspect_file(
    path: PathBuf,
    progress: impl Fn(ReadProgress) + Send + 'static,
) -> Result<Inspection, DataFileError> {
    inspect_file_cancellable(path, progress, CancellationToken::new()).await
}

/// [`inspect_file`], stopping with [`DoctorError::Cancelled`] soon after `cancel` fires
/// (within a megabyte of reading).
pub async fn inspect_file_cancellable(
    path: PathBuf,
    progress: impl Fn(ReadProgress) + Send + 'static,
    cancel: CancellationToken,
) -> Result<Inspection, DataFileError> {
    check_extension(&path)?;
    tokio::task::spawn_blocking(move || {
        let stop = Stop::new(cancel);
        inspect_now(&path, &stop.watching(&progress), &stop.flag)
    })
    .await?
}

/// Writes a fixed copy of `source` into `fixed_dir` (never over an existing file) and
/// inspects the copy.
pub async fn fix_file(source: PathBuf, fixed_dir: PathBuf) -> Result<Fixed, DataFileError> {
    fix_file_cancellable(source, fixed_dir, |_| {}, CancellationToken::new()).await
}

/// [`fix_file`] with progress through both passes (writing, then checking the copy),
/// stopping soon after `cancel` fires. A cancelled fix leaves no copy behind.
pub async fn fix_file_cancellable(
    source: PathBuf,
    fixed_dir: PathBuf,
    progress: impl Fn(FixProgress) + Send + 'static,
    cancel: CancellationToken,
) -> Result<Fixed, DataFileError> {
    check_extension(&source)?;
    tokio::task::spawn_blocking(move || -> Result<Fixed, DataFileError> {
        let stop = Stop::new(cancel);
        std::fs::create_dir_all(&fixed_dir).map_err(DoctorError::Write)?;
        let destination = free_name(&fixed_dir, &source);
        let writing = |step: ReadProgress| progress(staged(FixStage::Writing, step));
        let writing = stop.watching(&writing);
        let options = FixOptions {
            progress: Some(&writing),
            cancel: Some(&stop.flag),
            ..FixOptions::default()
        };
        let summary = csv_doctor::fix(&source, &destination, &options)?;
        let checking = |step: ReadProgress| progress(staged(FixStage::Checking, step));
        let file =
            inspect_now(&destination, &stop.watching(&checking), &stop.flag).inspect_err(|_| {
                // Cancelled (or failed) while checking: nobody will use this copy.
                drop(std::fs::remove_file(&destination));
            })?;
        Ok(Fixed { file, summary })
    })
    .await?
}

fn staged(stage: FixStage, step: ReadProgress) -> FixProgress {
    FixProgress {
        stage,
        bytes_read: step.bytes_read,
        total_bytes: step.total_bytes,
    }
}

/// The doctor stops when a flag is raised (it looks at every read); the flag is raised
/// when the token has fired, checked before reading and at each progress report (about
/// once per megabyte), on the reading thread itself.
struct Stop {
    token: CancellationToken,
    flag: AtomicBool,
}

impl Stop {
    fn new(token: CancellationToken) -> Self {
        let flag = AtomicBool::new(token.is_cancelled());
        Self { token, flag }
    }

    /// `progress`, then a look at the token.
    fn watching<'a>(&'a self, progress: &'a dyn Fn(ReadProgress)) -> impl Fn(ReadProgress) + 'a {
        move |step| {
            progress(step);
            if self.token.is_cancelled() {
                self.flag.store(true, Ordering::Relaxed);
            }
        }
    }
}

fn inspect_now(
    path: &Path,
    progress: &dyn Fn(ReadProgress),
    cancel: &AtomicBool,
) -> Result<Inspection, DataFileError> {
    let options = InspectOptions {
        progress: Some(progress),
        cancel: Some(cancel),
    };
    let report = csv_doctor::inspect(path, &options)?;
    let preview = csv_doctor::preview(path, &report, PREVIEW_ROWS)?;
    Ok(Inspection {
        path: path.to_owned(),
        file_name: held_files::file_name(path),
        report,
        preview,
    })
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
            .join("samples")
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
        let dir = batchdesk_test_support::temp_folder();
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
        assert!(!first.file.report.has("notCommaSeparated"));
        assert_eq!(
            std::fs::read(&source).unwrap(),
            before,
            "the original is untouched"
        );
    }

    /// A CSV of about `megabytes` MB, so that progress is reported several times.
    fn large_csv(folder: &Path, megabytes: usize) -> PathBuf {
        let path = folder.join("large.csv");
        let mut text = String::from("id,text\n");
        let mut row = 0;
        while text.len() < megabytes * 1024 * 1024 {
            text.push_str(&format!("{row},\"Row number {row}, with a comma\"\n"));
            row += 1;
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    #[tokio::test]
    async fn an_inspection_cancelled_midway_stops_and_says_so() {
        let dir = batchdesk_test_support::temp_folder();
        let path = large_csv(dir.path(), 4);
        let cancel = CancellationToken::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (record, stop) = (Arc::clone(&seen), cancel.clone());
        // The researcher presses Cancel once the first megabyte has been read.
        let error = inspect_file_cancellable(
            path,
            move |progress| {
                record.lock().unwrap().push(progress.bytes_read);
                stop.cancel();
            },
            cancel,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(error, DataFileError::Doctor(DoctorError::Cancelled)),
            "{error:?}"
        );
        let seen = seen.lock().unwrap();
        let size = 4 * 1024 * 1024;
        assert!(
            seen.iter().all(|bytes| *bytes < size),
            "stopped before the end: {seen:?}"
        );
    }

    #[tokio::test]
    async fn an_inspection_cancelled_before_it_starts_reads_nothing() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let error = inspect_file_cancellable(sample("reviews.csv"), |_| {}, cancel)
            .await
            .unwrap_err();
        assert!(matches!(
            error,
            DataFileError::Doctor(DoctorError::Cancelled)
        ));
    }

    #[tokio::test]
    async fn a_fix_reports_writing_then_checking_up_to_each_file_size() {
        let dir = batchdesk_test_support::temp_folder();
        let source = large_csv(dir.path(), 3);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let fixed = fix_file_cancellable(
            source.clone(),
            dir.path().join("fixed"),
            move |step| record.lock().unwrap().push(step),
            CancellationToken::new(),
        )
        .await
        .unwrap();
        let seen = seen.lock().unwrap();
        let source_size = std::fs::metadata(&source).unwrap().len();
        let writing: Vec<_> = seen
            .iter()
            .filter(|step| step.stage == FixStage::Writing)
            .collect();
        let checking: Vec<_> = seen
            .iter()
            .filter(|step| step.stage == FixStage::Checking)
            .collect();
        assert!(writing.len() >= 3 && checking.len() >= 3, "{seen:?}");
        let first_check = seen
            .iter()
            .position(|step| step.stage == FixStage::Checking)
            .unwrap();
        assert!(
            seen[..first_check]
                .iter()
                .all(|step| step.stage == FixStage::Writing),
            "all the writing comes first"
        );
        assert_eq!(writing.last().unwrap().bytes_read, source_size);
        assert_eq!(writing.last().unwrap().total_bytes, Some(source_size));
        let last = checking.last().unwrap();
        assert_eq!(last.bytes_read, fixed.file.report.file_size);
        assert_eq!(last.total_bytes, Some(fixed.file.report.file_size));
    }

    #[tokio::test]
    async fn a_cancelled_fix_leaves_no_copy_and_the_original_as_it_was() {
        let dir = batchdesk_test_support::temp_folder();
        let source = large_csv(dir.path(), 3);
        let before = std::fs::read(&source).unwrap();
        let fixed_dir = dir.path().join("fixed");
        for stage in [FixStage::Writing, FixStage::Checking] {
            let cancel = CancellationToken::new();
            let stop = cancel.clone();
            let error = fix_file_cancellable(
                source.clone(),
                fixed_dir.clone(),
                move |step| {
                    if step.stage == stage {
                        stop.cancel();
                    }
                },
                cancel,
            )
            .await
            .unwrap_err();
            assert!(
                matches!(error, DataFileError::Doctor(DoctorError::Cancelled)),
                "{stage:?}: {error:?}"
            );
            let left: Vec<_> = std::fs::read_dir(&fixed_dir).unwrap().collect();
            assert!(left.is_empty(), "{stage:?}: {left:?}");
        }
        assert_eq!(std::fs::read(&source).unwrap(), before);
    }

    #[tokio::test]
    async fn a_file_deleted_after_it_was_chosen_is_explained() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("reviews.csv");
        std::fs::copy(sample("reviews.csv"), &path).unwrap();
        // Chosen (the path is what the dialog or a drop gives), then deleted.
        std::fs::remove_file(&path).unwrap();
        let error = inspect_file(path.clone(), |_| {}).await.unwrap_err();
        assert!(matches!(error, DataFileError::Doctor(DoctorError::Read(_))));
        assert!(
            error.to_string().contains("Check that it still exists"),
            "{error}"
        );
        let error = fix_file(path, dir.path().join("fixed")).await.unwrap_err();
        assert!(error.to_string().contains("Check that it still exists"));
        assert_eq!(
            std::fs::read_dir(dir.path().join("fixed")).unwrap().count(),
            0
        );
    }

    /// The UI names files by handle only: a path given in place of one reads nothing,
    /// and a fixed copy is handed back behind a handle of its own.
    #[tokio::test]
    async fn files_are_reached_by_handle_and_a_path_is_refused() {
        let dir = batchdesk_test_support::temp_folder();
        let files = HeldFiles::default();
        let source = sample("reviews-excel-semicolon-bom.csv");
        for path in [source.display().to_string(), "/etc/passwd".to_owned()] {
            let error = inspect_held(&files, &path, |_| {}, CancellationToken::new())
                .await
                .unwrap_err();
            assert!(
                matches!(error, DataFileError::Held(HeldFileError::Unknown)),
                "{error:?}"
            );
            let error = fix_held(
                &files,
                &path,
                dir.path().to_path_buf(),
                |_| {},
                CancellationToken::new(),
            )
            .await
            .unwrap_err();
            assert!(matches!(error, DataFileError::Held(HeldFileError::Unknown)));
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let chosen = files.hold(&source);
        let inspected = inspect_held(&files, &chosen.handle, |_| {}, CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(inspected.handle, chosen.handle);
        assert_eq!(inspected.file_name, "reviews-excel-semicolon-bom.csv");
        let fixed = fix_held(
            &files,
            &chosen.handle,
            dir.path().to_path_buf(),
            |_| {},
            CancellationToken::new(),
        )
        .await
        .unwrap();
        assert_ne!(fixed.file.handle, chosen.handle);
        assert_eq!(
            files.path(&fixed.file.handle).unwrap(),
            dir.path().join("reviews-excel-semicolon-bom (fixed).csv")
        );
    }
}
