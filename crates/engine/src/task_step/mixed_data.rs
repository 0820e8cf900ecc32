//! The copy of the researcher's data with known answers and attention checks mixed into
//! every group ([`crate::task::checks`]), made and sent when the batch is set up.
//!
//! **Never two datasets for one copy.** The copy is named by a hash of its contents and
//! written into the app's folder; the dataset made from it is journaled in the task draft
//! (`mixed`) from the moment Prolific answers the create call. Setting up again with the
//! same data and the same choices finds that dataset (following its upload if it was cut
//! short) instead of making another; changed choices make a new copy and a new dataset.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;
use tokio_util::sync::CancellationToken;

use super::{self as task_step, SetupProgress, TaskDraft, TaskStepError};
use crate::data_step;
use crate::session::Session;
use crate::step_draft::StepDraft;
use crate::task::TaskDesign;
use crate::task::checks::{self, MixError, MixSummary};
use crate::upload::{self, UploadProgress};

/// The folder, beside the store, that keeps the mixed copies.
const FOLDER: &str = "mixed-data";

/// The journal of the mixed copy and its dataset, kept in the task draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MixedDataset {
    /// Step 1's dataset, the copy's source.
    pub source_dataset_id: String,
    /// The SHA-256 of the copy's contents (hex).
    pub contents: String,
    /// The copy in the app's folder.
    pub path: String,
    /// Written as soon as Prolific answers the create call.
    pub dataset_id: Option<String>,
    pub ready: bool,
    pub summary: MixSummary,
}

/// The dataset to set the batch up on for `design`, whose choices mix known answers or
/// checks into the groups: the copy is made (or found) and sent (or followed).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn ready_dataset(
    session: &Session,
    kept: &(impl StepDraft<TaskDraft> + Clone + 'static),
    workspace_id: &str,
    source_dataset_id: &str,
    source_path: &Path,
    design: &TaskDesign,
    progress: &(impl Fn(SetupProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<MixedDataset, TaskStepError> {
    progress(SetupProgress::Mixing);
    let client = &session.client;
    let folder = session
        .store
        .path()
        .parent()
        .map_or_else(|| PathBuf::from(FOLDER), |dir| dir.join(FOLDER));
    let (path, contents, summary) = write_copy(source_path, folder, design).await?;
    let earlier = kept
        .read()?
        .mixed
        .filter(|mixed| mixed.source_dataset_id == source_dataset_id && mixed.contents == contents);
    if let Some(earlier) = &earlier
        && earlier.ready
        && earlier.dataset_id.is_some()
    {
        return Ok(earlier.clone());
    }
    let mut record = MixedDataset {
        source_dataset_id: source_dataset_id.to_owned(),
        contents,
        path: path.display().to_string(),
        dataset_id: earlier.and_then(|earlier| earlier.dataset_id),
        ready: false,
        summary,
    };
    kept.change(&mut |draft| draft.mixed = Some(record.clone()))?;

    let journal = kept.clone();
    let journaled = record.clone();
    let on_progress: upload::OnProgress = Arc::new(move |stage: UploadProgress| {
        if let UploadProgress::Created { dataset_id } = &stage {
            let mut created = journaled.clone();
            created.dataset_id = Some(dataset_id.clone());
            if let Err(error) = journal.change(&mut |draft| draft.mixed = Some(created.clone())) {
                tracing::warn!(?error, "the mixed dataset's id could not be kept");
            }
        }
    });
    let poll = task_step::setup_poll_policy(session.mode);
    progress(SetupProgress::SendingMixed {
        items: record.summary.items,
    });
    let ready = match &record.dataset_id {
        Some(dataset_id) => {
            upload::resume_upload(client, dataset_id, &path, on_progress, cancel, &poll).await
        }
        None => {
            let schema = data_step::schema_of(&path)
                .await
                .map_err(|problem| TaskStepError::Mix(MixError::Schema(problem)))?;
            let name = format!("{} (with checks)", data_step::dataset_name(source_path));
            upload::upload_typed_dataset(
                client,
                workspace_id,
                &name,
                &path,
                Some(schema),
                on_progress,
                cancel,
                &poll,
            )
            .await
        }
    }?;
    record.dataset_id = Some(ready.dataset_id);
    record.ready = true;
    kept.change(&mut |draft| draft.mixed = Some(record.clone()))?;
    Ok(record)
}

/// Writes the copy for `design` beside the store, named by its contents (an existing
/// copy of the same contents is left as it is).
async fn write_copy(
    source: &Path,
    folder: PathBuf,
    design: &TaskDesign,
) -> Result<(PathBuf, String, MixSummary), TaskStepError> {
    let source = source.to_owned();
    let design = design.clone();
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&folder).map_err(MixError::Write)?;
        let partial = folder.join(format!("partial-{}.csv", std::process::id()));
        let input = std::io::BufReader::new(std::fs::File::open(&source).map_err(MixError::Write)?);
        let output =
            std::io::BufWriter::new(std::fs::File::create(&partial).map_err(MixError::Write)?);
        let summary = checks::mix(input, output, &design, &design.checks)?;
        let contents = sha256_of(&partial)?;
        let target = folder.join(format!("{}.csv", &contents[..16]));
        std::fs::rename(&partial, &target).map_err(MixError::Write)?;
        Ok::<_, MixError>((target, contents, summary))
    })
    .await
    .map_err(|error| TaskStepError::Mix(MixError::Write(std::io::Error::other(error))))?
    .map_err(TaskStepError::Mix)
}

fn sha256_of(path: &Path) -> Result<String, MixError> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}
