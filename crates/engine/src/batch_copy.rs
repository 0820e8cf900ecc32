//! A copy of a batch on rows of its own: the rows uploaded as a typed dataset, the batch
//! duplicated without its data (same instructions and layout), and the copy set up on
//! the rows. What a pilot and a second round ("top up") are run on. All of it is free;
//! each step hands back what it made the moment it exists (`keep_*` callbacks), so the
//! caller records it and a crash or a retry resumes rather than makes it again.

use std::path::Path;
use std::sync::Arc;

use batchdesk_prolific::Client;
use batchdesk_prolific::models::{BatchSetup, ProcessingStatus};
use tokio_util::sync::CancellationToken;

use crate::account;
use crate::connection::{AccountMode, Connections};
use crate::data_step::{self, SchemaProblem};
use crate::study_step::StudyStepError;
use crate::task_step;
use crate::upload::{self, UploadProgress};

/// Why a copy could not be made; each user turns it into its own error, whose words the
/// researcher reads (this `Display` is for logs).
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Study(#[from] StudyStepError),
    #[error(transparent)]
    Upload(#[from] upload::UploadError),
    #[error(transparent)]
    Prolific(#[from] batchdesk_prolific::ProlificError),
    #[error("the rows cannot make a typed dataset: {0:?}")]
    Rows(SchemaProblem),
    /// The copy ended in ERROR: it is not used again.
    #[error("the copy of the batch ended in ERROR")]
    SetupFailed,
    /// The copy did not become READY (it may yet): try again.
    #[error("the copy of the batch is not READY yet")]
    NotReady,
    #[error("cancelled")]
    Cancelled,
}

/// Uploads `rows_path` as a typed dataset named `name`, or carries on the upload an
/// earlier attempt made (`earlier`). `keep_id` is called with the dataset's id as soon as
/// Prolific made it; `progress` with the percentage sent, when known.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn upload_rows(
    connections: &Connections,
    client: &Client,
    mode: AccountMode,
    rows_path: &Path,
    name: &str,
    earlier: Option<&str>,
    keep_id: Arc<dyn Fn(&str) + Send + Sync>,
    progress: Arc<dyn Fn(Option<u32>) + Send + Sync>,
    cancel: &CancellationToken,
) -> Result<upload::ReadyDataset, CopyError> {
    let on_progress: upload::OnProgress = Arc::new(move |step: UploadProgress| {
        if let UploadProgress::Created { dataset_id } = &step {
            keep_id(dataset_id);
        }
        let sent_percent = match step {
            UploadProgress::Uploading { sent, total, .. } if total > 0 => {
                u32::try_from(sent.saturating_mul(100) / total).ok()
            }
            _ => None,
        };
        progress(sent_percent);
    });
    let poll = task_step::setup_poll_policy(mode);
    if let Some(dataset_id) = earlier {
        return Ok(upload::resume_upload(
            client,
            dataset_id,
            rows_path,
            on_progress,
            cancel,
            &poll,
        )
        .await?);
    }
    let workspace = account::workspaces(connections)
        .await
        .map_err(StudyStepError::from)?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let schema = data_step::schema_of(rows_path)
        .await
        .map_err(CopyError::Rows)?;
    Ok(upload::upload_typed_dataset(
        client,
        &workspace,
        name,
        rows_path,
        Some(schema),
        on_progress,
        cancel,
        &poll,
    )
    .await?)
}

/// Duplicates `original` without its data, as `name` (unique: a copy whose answer was
/// lost is found by its name, and must not be taken for another).
pub(crate) async fn copy_batch(
    client: &Client,
    original: &str,
    name: &str,
    cancel: &CancellationToken,
) -> Result<String, CopyError> {
    let copy = cancellable(cancel, client.duplicate_batch(original, Some(name), true)).await??;
    Ok(copy.id)
}

/// Sets `copy` up on `dataset_id` (unless an earlier attempt did) and waits until it is
/// READY: answers its task groups. A copy that ended in ERROR is [`CopyError::SetupFailed`]
/// and must not be used again.
pub(crate) async fn set_up_copy(
    client: &Client,
    mode: AccountMode,
    copy: &str,
    dataset_id: &str,
    tasks_per_group: Option<u32>,
    cancel: &CancellationToken,
) -> Result<Option<u32>, CopyError> {
    let status = cancellable(cancel, client.batch_status(copy)).await??;
    if status == ProcessingStatus::Uninitialised {
        let setup = BatchSetup {
            dataset_id: Some(dataset_id.to_owned()),
            tasks_per_group,
        };
        cancellable(cancel, client.setup_batch(copy, &setup)).await??;
    }
    let poll = task_step::setup_poll_policy(mode);
    let waited = tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(CopyError::Cancelled),
        status = client.wait_for_batch(copy, &poll) => status?,
    };
    match waited {
        ProcessingStatus::Ready => {}
        ProcessingStatus::Error => return Err(CopyError::SetupFailed),
        _ => return Err(CopyError::NotReady),
    }
    let batch = client.batch(copy).await?;
    Ok(batch
        .total_task_groups
        .and_then(|groups| u32::try_from(groups).ok()))
}

/// `work`, unless the researcher cancels first. A call cut short this way may still
/// have been carried out; what it made is found or made again next time (all free).
pub(crate) async fn cancellable<T>(
    cancel: &CancellationToken,
    work: impl Future<Output = T> + Send,
) -> Result<T, CopyError> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(CopyError::Cancelled),
        done = work => Ok(done),
    }
}

/// Keeps ids to safe file-name characters.
pub(crate) fn safe_name(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
