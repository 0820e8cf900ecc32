//! Turning the researcher's file into a `READY` Prolific dataset, with progress.
//!
//! **Stages.** [`upload_dataset`] first checks the file (a CSV or ZIP that exists and
//! is not empty), so a file that cannot be sent makes nothing on Prolific. It reports
//! each stage through one [`UploadProgress`]: `creating` (the V3 dataset is being
//! made), `created` (its id, the moment it exists), `uploading` (bytes sent of the
//! total, streamed from disk; `attempt` grows when the client starts again with a fresh
//! link after an expired link or a dropped connection), `processing` (Prolific is
//! reading the file; its status is polled) and `ready` (the dataset id and its row
//! count). `ready` is reported only when everything succeeded, as the last report.
//! Processing that ends in `ERROR` is [`UploadError::Unreadable`], which says in plain
//! words what Prolific could not read and what to do.
//!
//! **Resume.** Prolific has no endpoint that lists datasets (API-NOTES §3.8), so a
//! dataset whose id was lost cannot be found again. The caller must keep the id from the
//! `created` report (in the local store) until the upload ends. [`resume_upload`] then
//! carries on without making a second dataset: it reads the dataset's status first;
//! `READY` is done, `UNINITIALISED` uploads the file again, `PROCESSING` is followed,
//! `ERROR` is [`UploadError::Unreadable`] (a fixed copy goes into a new dataset, with
//! [`upload_dataset`]). Not known for real Prolific: whether a PUT that completed just
//! before the app stopped shows as `PROCESSING` at once (the practice server's does);
//! if not, resuming sends the file again into the same dataset (API-NOTES §3.3 leaves
//! open how a V3 dataset combines several files).
//!
//! **Cancellation.** Cancelling the token stops the work at whatever stage it is in
//! (the create call, the PUT, a status poll or the wait between polls) without waiting
//! for it, and the call ends with [`UploadError::Cancelled`]; no progress is reported
//! after that, and never `ready`. A create call cancelled in flight may still have made
//! an empty dataset on Prolific; it holds no data and is never used. A dataset cancelled
//! later is resumed with its id.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use batchdesk_prolific::models::{DatasetSchema, ImportStatus, NewDataset, ProcessingStatus};
use batchdesk_prolific::{Client, PollPolicy, Progress, ProlificError, TransferError};
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::error_code::{Coded, ErrorCode, transfer_text};
use crate::text;

/// Where an upload has got to, for the app to show (and to keep the dataset id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum UploadProgress {
    /// The dataset is being made on Prolific.
    Creating,
    /// The dataset exists: keep `dataset_id` to resume with [`resume_upload`].
    #[serde(rename_all = "camelCase")]
    Created { dataset_id: String },
    /// The file is being sent. `sent` only grows within one `attempt`; a new attempt
    /// (a fresh upload link) starts again from the beginning of the file.
    #[serde(rename_all = "camelCase")]
    Uploading {
        dataset_id: String,
        #[specta(type = u32)]
        sent: u64,
        #[specta(type = u32)]
        total: u64,
        attempt: u32,
    },
    /// Prolific is reading the file.
    #[serde(rename_all = "camelCase")]
    Processing { dataset_id: String },
    /// The dataset is ready to be used by a batch. Always the last report.
    #[serde(rename_all = "camelCase")]
    Ready {
        dataset_id: String,
        /// Rows (datapoints) Prolific read, when it says.
        #[specta(type = Option<u32>)]
        rows: Option<u64>,
    },
}

/// A dataset that is ready.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadyDataset {
    pub dataset_id: String,
    #[specta(type = Option<u32>)]
    pub rows: Option<u64>,
    /// A V4 dataset with a schema, whose columns a task layout can place.
    pub typed: bool,
}

/// Called with each stage; must be quick (it runs on the upload's path).
pub type OnProgress = Arc<dyn Fn(UploadProgress) + Send + Sync>;

/// Why an upload did not end with a ready dataset.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum UploadError {
    /// Creating the dataset, reading its status or following it failed.
    Prolific(#[from] ProlificError),
    /// The file could not be read or sent.
    Transfer(#[from] TransferError),
    /// Processing ended in `ERROR`.
    Unreadable {
        dataset_id: String,
        file_name: String,
    },
    /// Processing had not finished when the wait ran out.
    StillProcessing { dataset_id: String },
    /// Prolific reads `.csv` (and `.zip`) files into a dataset, not this one.
    NotCsv { file_name: String },
    /// A dataset given to resume is not one this kind of upload makes.
    NotResumable { dataset_id: String },
    /// Prolific took some rows and refused others (a `partial` import). Setting a batch up
    /// needs an import with every row taken, so this is not ready: the researcher fixes
    /// the rows or continues without them.
    RowsRejected {
        dataset_id: String,
        file_name: String,
        accepted: u64,
        rejected: Vec<RejectedRow>,
    },
    /// The workspace would not make a typed (V4) dataset. An untyped one is never made
    /// instead: Task Builder could not show participants its columns.
    TypedRefused { detail: Option<String> },
    Cancelled {
        /// The dataset, when it had been made before the cancellation.
        dataset_id: Option<String>,
    },
}

impl Coded for UploadError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Prolific(error) | Self::Transfer(TransferError::Prolific(error)) => {
                error.error_code()
            }
            Self::Transfer(TransferError::File { .. } | TransferError::EmptyFile(_))
            | Self::NotCsv { .. } => ErrorCode::FileUnreadable,
            Self::Transfer(_) | Self::NotResumable { .. } => ErrorCode::UploadFailed,
            Self::Unreadable { .. } => ErrorCode::DatasetUnreadable,
            Self::StillProcessing { .. } => ErrorCode::StillProcessing,
            Self::Cancelled { .. } => ErrorCode::Cancelled,
            Self::TypedRefused { .. } => ErrorCode::TypedDatasetRefused,
            Self::RowsRejected { .. } => ErrorCode::RowsRejected,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Prolific(inner) => inner.text(),
            Self::Transfer(inner) => transfer_text(inner),
            Self::Unreadable { file_name, .. } => {
                text!("errors:upload.unreadable", file_name = file_name)
            }
            Self::StillProcessing { .. } => text!("errors:upload.stillProcessing"),
            Self::NotCsv { file_name } => text!("errors:upload.notCsv", file_name = file_name),
            Self::NotResumable { .. } => text!("errors:upload.notResumable"),
            Self::RowsRejected {
                file_name,
                accepted,
                rejected,
                ..
            } => rows_rejected(file_name, *accepted, rejected),
            Self::TypedRefused { detail: None } => text!("errors:upload.typedRefused"),
            Self::TypedRefused {
                detail: Some(detail),
            } => text!(
                "errors:upload.typedRefusedSaying",
                detail = detail.trim().trim_end_matches('.')
            ),
            Self::Cancelled { .. } => text!("errors:upload.cancelled"),
        }
    }
}

/// A partial import, said by how many rows were refused and the first of them (all are
/// in the data draft, for step 1 to list).
fn rows_rejected(file_name: &str, accepted: u64, rejected: &[RejectedRow]) -> text::Text {
    let Some(first) = rejected.first() else {
        return text!(
            "errors:upload.rowsRejected.unlisted",
            file_name = file_name,
            accepted = accepted
        );
    };
    let reason = first.reason.trim().trim_end_matches('.');
    let said = match (first.row, &first.column) {
        (Some(row), Some(column)) => text!(
            "errors:upload.rowsRejected.rowAndColumn",
            row = row,
            column = column
        ),
        (Some(row), None) => text!("errors:upload.rowsRejected.row", row = row),
        (None, Some(column)) => text!("errors:upload.rowsRejected.column", column = column),
        (None, None) => text!("errors:upload.rowsRejected.unplaced"),
    };
    said.with("file_name", file_name)
        .with("accepted", accepted)
        .with("count", rejected.len())
        .with("reason", reason)
}

/// One row Prolific refused, as a researcher finds it in their spreadsheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RejectedRow {
    /// The row's number among the data rows (1 is the first row under the header), when
    /// Prolific says which.
    pub row: Option<u32>,
    /// The column concerned, when one is.
    pub column: Option<String>,
    pub reason: String,
}

impl RejectedRow {
    fn from_import(error: &batchdesk_prolific::models::ImportRecordError) -> Self {
        Self {
            // Prolific counts records from zero; a researcher counts rows from one.
            row: error
                .record_index
                .and_then(|index| u32::try_from(index.saturating_add(1)).ok()),
            column: error.field.clone().filter(|field| field != "_raw"),
            reason: error
                .reason
                .clone()
                .unwrap_or_else(|| "Prolific did not say why.".to_owned()),
        }
    }
}

impl UploadError {
    /// A stable machine code for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Prolific(error) => error.code(),
            Self::Transfer(error) => error.code(),
            Self::Unreadable { .. } => "upload.unreadable",
            Self::StillProcessing { .. } => "upload.still_processing",
            Self::NotCsv { .. } => "upload.not_csv",
            Self::NotResumable { .. } => "upload.not_resumable",
            Self::TypedRefused { .. } => "upload.typed_refused",
            Self::RowsRejected { .. } => "upload.rows_rejected",
            Self::Cancelled { .. } => "upload.cancelled",
        }
    }

    /// The dataset concerned, when the error knows it.
    pub fn dataset_id(&self) -> Option<&str> {
        match self {
            Self::Unreadable { dataset_id, .. }
            | Self::RowsRejected { dataset_id, .. }
            | Self::StillProcessing { dataset_id }
            | Self::NotResumable { dataset_id } => Some(dataset_id),
            Self::Cancelled { dataset_id } => dataset_id.as_deref(),
            Self::Prolific(_)
            | Self::Transfer(_)
            | Self::NotCsv { .. }
            | Self::TypedRefused { .. } => None,
        }
    }
}

/// Creates a V3 dataset called `name` in `workspace_id`, uploads `path` into it and
/// follows it to `READY`. The id is reported (`created`) as soon as the dataset exists;
/// keep it to [`resume_upload`] after a failure, a cancellation or a restart.
pub async fn upload_dataset(
    client: &Client,
    workspace_id: &str,
    name: &str,
    path: &Path,
    progress: OnProgress,
    cancel: &CancellationToken,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    upload_typed_dataset(
        client,
        workspace_id,
        name,
        path,
        None,
        progress,
        cancel,
        poll,
    )
    .await
}

/// As [`upload_dataset`], but with a `schema` the dataset is made as V4, so that a task
/// layout can place its columns. A workspace that refuses schema datasets (the typed
/// dataset feature is not enabled for every workspace) gets [`UploadError::TypedRefused`]:
/// never an untyped dataset in its place, whose data participants could not see.
#[allow(clippy::too_many_arguments)]
pub async fn upload_typed_dataset(
    client: &Client,
    workspace_id: &str,
    name: &str,
    path: &Path,
    schema: Option<DatasetSchema>,
    progress: OnProgress,
    cancel: &CancellationToken,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    // A file that cannot be sent is refused before anything is made on Prolific.
    check_file(path).await?;
    let reporter = Reporter::new(progress, cancel.clone());
    reporter.report(UploadProgress::Creating);
    let new = NewDataset {
        name: name.to_owned(),
        workspace_id: workspace_id.to_owned(),
        schema,
    };
    let dataset = match unless_cancelled(cancel, None, client.create_dataset(&new)).await? {
        Ok(dataset) => dataset,
        Err(ProlificError::Validation { detail, .. } | ProlificError::NoAccess { detail })
            if new.schema.is_some() =>
        {
            tracing::warn!(?detail, "typed dataset refused; nothing uploaded");
            return Err(UploadError::TypedRefused { detail });
        }
        Err(error) => return Err(error.into()),
    };
    let dataset_id = dataset.id;
    reporter.report(UploadProgress::Created {
        dataset_id: dataset_id.clone(),
    });
    send_and_follow(
        client,
        &dataset_id,
        new.schema.is_some(),
        path,
        &reporter,
        poll,
    )
    .await
}

/// Carries on with a dataset made earlier by [`upload_dataset`], whose id the caller
/// kept: its status decides what is left to do, and no second dataset is made.
pub async fn resume_upload(
    client: &Client,
    dataset_id: &str,
    path: &Path,
    progress: OnProgress,
    cancel: &CancellationToken,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    let reporter = Reporter::new(progress, cancel.clone());
    let known = Some(dataset_id.to_owned());
    let dataset = unless_cancelled(cancel, known.clone(), client.dataset(dataset_id)).await??;
    if dataset.is_v4() {
        // Imports are listed newest first; the newest is the last upload's.
        return match dataset.imports.unwrap_or_default().into_iter().next() {
            Some(job) if job.status.is_final() => {
                import_ended(client, dataset_id, job, path, &reporter).await
            }
            Some(job) if job.status != ImportStatus::Uninitialised => {
                follow_import(client, dataset_id, &job.import_id, path, &reporter, poll).await
            }
            // No upload yet, or one whose file never arrived: an import is made when its
            // upload link is asked for and stays `uninitialised` until the file lands,
            // so an app stopped while sending leaves one that would never end. The file
            // goes up again, with a fresh link.
            _ => {
                check_file(path).await?;
                send_and_follow(client, dataset_id, true, path, &reporter, poll).await
            }
        };
    }
    match dataset.status {
        Some(ProcessingStatus::Uninitialised) => {
            check_file(path).await?;
            send_and_follow(client, dataset_id, false, path, &reporter, poll).await
        }
        Some(ProcessingStatus::Processing) => {
            follow(client, dataset_id, path, &reporter, poll).await
        }
        Some(ProcessingStatus::Ready) => ready(client, dataset_id, false, &reporter).await,
        Some(ProcessingStatus::Error) => Err(unreadable(dataset_id, path)),
        _ => Err(UploadError::NotResumable {
            dataset_id: dataset_id.to_owned(),
        }),
    }
}

async fn send_and_follow(
    client: &Client,
    dataset_id: &str,
    typed: bool,
    path: &Path,
    reporter: &Reporter,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    let cancel = reporter.cancel.clone();
    let known = Some(dataset_id.to_owned());
    let sending =
        Box::pin(client.upload_dataset_file(dataset_id, path, reporter.byte_progress(dataset_id)));
    let receipt = unless_cancelled(&cancel, known, sending).await??;
    match receipt.import_id.filter(|_| typed) {
        Some(import_id) => {
            follow_import(client, dataset_id, &import_id, path, reporter, poll).await
        }
        None => follow(client, dataset_id, path, reporter, poll).await,
    }
}

/// Follows a V4 import job to its end.
async fn follow_import(
    client: &Client,
    dataset_id: &str,
    import_id: &str,
    path: &Path,
    reporter: &Reporter,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    reporter.report(UploadProgress::Processing {
        dataset_id: dataset_id.to_owned(),
    });
    let known = Some(dataset_id.to_owned());
    let waiting = client.wait_for_import(dataset_id, import_id, poll);
    let job = unless_cancelled(&reporter.cancel, known, waiting).await??;
    if job.status.is_final() {
        import_ended(client, dataset_id, job, path, reporter).await
    } else {
        Err(UploadError::StillProcessing {
            dataset_id: dataset_id.to_owned(),
        })
    }
}

/// A finished import: `complete` is ready; `partial` names the refused rows; `failed` or
/// `pending_schema` means the data could not be read as the schema says.
async fn import_ended(
    client: &Client,
    dataset_id: &str,
    job: batchdesk_prolific::models::ImportJob,
    path: &Path,
    reporter: &Reporter,
) -> Result<ReadyDataset, UploadError> {
    match job.status {
        ImportStatus::Complete => ready(client, dataset_id, true, reporter).await,
        // Setup needs an import with every row taken (the spec's rule for V4 setup), so
        // a partial one is not ready, whatever share of the rows it took.
        ImportStatus::Partial => {
            let rejected: Vec<RejectedRow> =
                job.errors.iter().map(RejectedRow::from_import).collect();
            tracing::warn!(rejected = rejected.len(), "some rows were refused");
            Err(UploadError::RowsRejected {
                dataset_id: dataset_id.to_owned(),
                file_name: file_name(path),
                accepted: job.accepted_count.unwrap_or_default(),
                rejected,
            })
        }
        _ => Err(unreadable(dataset_id, path)),
    }
}

async fn follow(
    client: &Client,
    dataset_id: &str,
    path: &Path,
    reporter: &Reporter,
    poll: &PollPolicy,
) -> Result<ReadyDataset, UploadError> {
    reporter.report(UploadProgress::Processing {
        dataset_id: dataset_id.to_owned(),
    });
    let known = Some(dataset_id.to_owned());
    let waiting = client.wait_for_dataset(dataset_id, poll);
    match unless_cancelled(&reporter.cancel, known, waiting).await?? {
        ProcessingStatus::Ready => ready(client, dataset_id, false, reporter).await,
        ProcessingStatus::Error => Err(unreadable(dataset_id, path)),
        _ => Err(UploadError::StillProcessing {
            dataset_id: dataset_id.to_owned(),
        }),
    }
}

/// Reads the row count and reports `ready`, unless cancelled first.
async fn ready(
    client: &Client,
    dataset_id: &str,
    typed: bool,
    reporter: &Reporter,
) -> Result<ReadyDataset, UploadError> {
    let known = Some(dataset_id.to_owned());
    let dataset =
        unless_cancelled(&reporter.cancel, known.clone(), client.dataset(dataset_id)).await??;
    if reporter.cancel.is_cancelled() {
        return Err(UploadError::Cancelled { dataset_id: known });
    }
    let done = ReadyDataset {
        dataset_id: dataset_id.to_owned(),
        rows: dataset.total_datapoint_count,
        typed,
    };
    reporter.report(UploadProgress::Ready {
        dataset_id: done.dataset_id.clone(),
        rows: done.rows,
    });
    Ok(done)
}

/// The checks the upload would fail on, made first: a CSV (or ZIP) file that exists
/// and is not empty.
async fn check_file(path: &Path) -> Result<(), UploadError> {
    let sendable = path
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("csv") || extension.eq_ignore_ascii_case("zip")
        });
    if !sendable {
        return Err(UploadError::NotCsv {
            file_name: file_name(path),
        });
    }
    let metadata = tokio::fs::metadata(path)
        .await
        .map_err(|source| TransferError::File {
            path: path.to_owned(),
            source,
        })?;
    if metadata.len() == 0 {
        return Err(TransferError::EmptyFile(path.to_owned()).into());
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn unreadable(dataset_id: &str, path: &Path) -> UploadError {
    UploadError::Unreadable {
        dataset_id: dataset_id.to_owned(),
        file_name: file_name(path),
    }
}

/// Runs `work` unless `cancel` fires first, in which case `work` is dropped at once.
async fn unless_cancelled<T>(
    cancel: &CancellationToken,
    dataset_id: Option<String>,
    work: impl Future<Output = T> + Send,
) -> Result<T, UploadError> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(UploadError::Cancelled { dataset_id }),
        done = work => {
            if cancel.is_cancelled() {
                Err(UploadError::Cancelled { dataset_id })
            } else {
                Ok(done)
            }
        }
    }
}

/// Hands reports to the caller, and stops once the work is cancelled.
struct Reporter {
    progress: OnProgress,
    cancel: CancellationToken,
}

impl Reporter {
    fn new(progress: OnProgress, cancel: CancellationToken) -> Self {
        Self { progress, cancel }
    }

    fn report(&self, stage: UploadProgress) {
        if !self.cancel.is_cancelled() {
            (self.progress)(stage);
        }
    }

    /// The client's byte counter as `uploading` reports. A count lower than the last
    /// one means the client started again with a fresh link: a new attempt.
    fn byte_progress(&self, dataset_id: &str) -> Progress {
        let progress = Arc::clone(&self.progress);
        let cancel = self.cancel.clone();
        let dataset_id = dataset_id.to_owned();
        // (last count, attempt, stopped); reports arrive one at a time from the body
        // stream, but the lock keeps the attempt and the report in step regardless.
        let state = Mutex::new((0_u64, 1_u32, false));
        Arc::new(move |sent, total| {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let (last, attempt, stopped) = &mut *state;
            if *stopped || cancel.is_cancelled() {
                *stopped = true;
                return;
            }
            if sent < *last {
                *attempt += 1;
            }
            *last = sent;
            progress(UploadProgress::Uploading {
                dataset_id: dataset_id.clone(),
                sent,
                total: total.unwrap_or(sent),
                attempt: *attempt,
            });
        })
    }
}
