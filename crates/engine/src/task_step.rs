//! The second wizard step as a draft: the task design (saved as the researcher edits,
//! per mode), and the Prolific batch made from it, followed to `READY`.
//!
//! **Never two batches for one design.** Making the batch is journaled in the draft:
//! the batch's name is written before the create call and its id right after, so a
//! retry after a crash, a quit or a network failure finds the batch the earlier attempt
//! made (by id, or by name in the workspace) instead of making another. The layout sent
//! is kept too: setting up the same design again reuses the batch (following it if it
//! is still being set up); a changed design updates a batch that is not set up yet, and
//! makes a new batch once the old one has tasks.

use std::path::Path;
use std::time::Duration;

use batchdesk_prolific::models::{
    BatchSetup, BatchUpdate, NewBatch, ProcessingStatus, TaskDetails,
};
use batchdesk_prolific::{Client, PollPolicy, ProlificError};
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::account;
use crate::connection::{AccountMode, ConnectError, Connections};
use crate::csv_doctor::{Column, Preview};
use crate::data_file::{self, DataFileError};
use crate::data_step;
use crate::error_code::{Coded, ErrorCode};
use crate::file_identity::Look;
use crate::mixed_data::{self, MixedDataset};
use crate::store::{Store, StoreError};
use crate::task::checks::MixError;
use crate::task::layout;
use crate::task::{DataContext, DesignIssue, TaskDesign, html, rules};
use crate::upload::UploadError;

/// Rows of the researcher's data offered in the participant preview.
pub const PREVIEW_ROWS: usize = 50;

/// What the task step keeps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskDraft {
    /// `None` until the researcher starts (blank or from a template).
    pub design: Option<TaskDesign>,
    /// The batch made from the design, from the moment its creation starts.
    pub batch: Option<BatchRecord>,
    /// Only in answers ([`current_for_data`]), never stored: the batch was set up on a
    /// dataset step 1 no longer has (the file changed and goes up as a new dataset, or
    /// another file was chosen), so it is left out and must be set up again.
    #[serde(default)]
    pub set_up_on_other_data: bool,
    /// The copy of the data with known answers and checks mixed in, and its dataset,
    /// when the design mixes any.
    #[serde(default)]
    pub mixed: Option<MixedDataset>,
}

/// The journal of the batch made from a design.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BatchRecord {
    /// Unique in the workspace, written before the create call.
    pub name: String,
    /// Written as soon as Prolific answers the create call.
    pub batch_id: Option<String>,
    pub dataset_id: String,
    /// Step 1's dataset when the batch runs on a copy of it with known answers and
    /// checks mixed in (`dataset_id` is then the copy's).
    #[serde(default)]
    pub source_dataset_id: Option<String>,
    /// The task details, layout and grouping sent, as JSON: the same design again
    /// reuses this batch.
    pub sent: String,
    /// Set once the batch is `READY`.
    pub ready: Option<ReadyBatch>,
    /// Set by versions before 0.2, which sent the questions through Prolific's legacy
    /// instructions endpoints when `batch_items` was refused. Those endpoints were sunset
    /// on 2026-09-01: such a batch cannot be changed, so it is never reused.
    #[serde(default)]
    pub legacy: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadyBatch {
    pub batch_id: String,
    /// Tasks Prolific made (one per row of data).
    pub total_tasks: Option<u32>,
    /// Assignments: groups of tasks one participant does in one sitting.
    pub total_groups: Option<u32>,
}

/// The data the task runs on, for the builder and the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskData {
    pub file_name: String,
    pub columns: Vec<Column>,
    /// The first rows, for the participant preview.
    pub preview: Preview,
    #[specta(type = u32)]
    pub row_count: u64,
    /// The dataset is V4, so the chosen columns are placed as laid out. False: the
    /// workspace took only a V3 dataset, and Prolific shows each row its own way.
    pub typed: bool,
    /// The data names its own groups (`META_TASK_GROUP_ID`).
    pub has_task_groups: bool,
}

impl BatchRecord {
    /// Step 1's dataset this batch was set up from (directly, or through a mixed copy).
    #[must_use]
    pub fn data_dataset_id(&self) -> &str {
        self.source_dataset_id
            .as_deref()
            .unwrap_or(&self.dataset_id)
    }
}

impl TaskData {
    pub fn context(&self) -> DataContext {
        DataContext {
            showable: self
                .columns
                .iter()
                .filter(|column| !column.hidden && !column.is_task_group)
                .map(|column| column.name.clone())
                .collect(),
            hidden: self
                .columns
                .iter()
                .filter(|column| column.hidden || column.is_task_group)
                .map(|column| column.name.clone())
                .collect(),
            has_task_groups: self.has_task_groups,
            rows: Some(self.row_count),
            profiles: self
                .columns
                .iter()
                .filter(|column| !column.hidden && !column.is_task_group)
                .map(|column| rules::ColumnProfile {
                    name: column.name.clone(),
                    image_links: column.image_urls.is_some(),
                    numbers_only: !column.samples.is_empty()
                        && column
                            .samples
                            .iter()
                            .all(|sample| sample.trim().replace(',', ".").parse::<f64>().is_ok()),
                    max_length: column.max_length,
                })
                .collect(),
            hidden_filled: self
                .columns
                .iter()
                .filter(|column| column.hidden && !column.is_task_group)
                .map(|column| {
                    let filled = self.row_count.saturating_sub(column.empty_cells);
                    (column.name.clone(), filled)
                })
                .collect(),
        }
    }
}

/// A saved design, checked, with its HTML as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckedDesign {
    pub issues: Vec<DesignIssue>,
    /// The introduction and steps as cleaned for Prolific and the preview.
    pub introduction_html: String,
    pub steps_html: String,
}

/// Where setting up has got to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum SetupProgress {
    /// Writing the copy of the data with known answers and checks in every group.
    Mixing,
    /// Sending that copy to Prolific as its own dataset.
    SendingMixed { items: u32 },
    /// Making the batch (or finding the one an earlier attempt made).
    Creating,
    /// Sending a changed design to the batch made earlier.
    Updating,
    /// Prolific is making the tasks from the rows; it gives no percentage.
    #[serde(rename_all = "camelCase")]
    SettingUp { batch_id: String },
    #[serde(rename_all = "camelCase")]
    Ready { batch_id: String },
}

/// How setting up ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum SetupOutcome {
    Ready(ReadyBatch),
    /// The design has problems (found here or by Prolific); nothing was set up.
    #[serde(rename_all = "camelCase")]
    Invalid {
        issues: Vec<DesignIssue>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum TaskStepError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    #[error(transparent)]
    DataFile(#[from] DataFileError),
    #[error("The known answers and checks could not be added to your data. {0}")]
    Mix(#[from] MixError),
    #[error(transparent)]
    Upload(#[from] UploadError),
    #[error("Upload your data in step 1 first: the task is set up on its rows.")]
    NoDataset,
    #[error(
        "Your data file changed since it was uploaded. Upload it again in step 1 (it goes \
         up as a new dataset), then set up the batch: otherwise participants would be paid \
         to judge the old rows. Nothing has been spent."
    )]
    DataChanged,
    #[error("Start the task first: blank or from a template.")]
    NoDesign,
    /// A dataset uploaded by an earlier version as untyped (V3): Task Builder cannot
    /// place its columns, so participants would not see the data.
    #[error(
        "Your data was uploaded as a classic dataset, whose columns Task Builder cannot \
         show participants. Upload the file again in step 1 (Batchdesk now makes a typed \
         dataset), then set up. Nothing has been spent."
    )]
    UntypedDataset,
    #[error("Choose a workspace on the Account page first: the batch is made in it.")]
    NoWorkspace,
    #[error(
        "Prolific could not make the tasks from your data (the batch ended in ERROR). \
         Prolific does not say why. Usually the data has a problem Prolific found only \
         now, or the layout names a column the dataset lacks. Check the data in step 1, \
         then set up again: Batchdesk makes a fresh batch."
    )]
    SetupFailed { batch_id: String },
    #[error(
        "Prolific is still making the tasks. Nothing is lost: set up again later and \
         Batchdesk carries on with the same batch."
    )]
    StillProcessing { batch_id: String },
    #[error("Setting up was cancelled. Set up again to carry on with the same batch.")]
    Cancelled,
}

impl Coded for TaskStepError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Connect(error) => error.error_code(),
            Self::Store(error) => error.error_code(),
            Self::Prolific(error) => error.error_code(),
            Self::DataFile(error) => error.error_code(),
            Self::Upload(error) => error.error_code(),
            Self::Mix(_) => ErrorCode::Rejected,
            Self::NoDataset | Self::DataChanged => ErrorCode::NoDataset,
            Self::NoDesign => ErrorCode::NoDesign,
            Self::UntypedDataset => ErrorCode::TypedDatasetRefused,
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::SetupFailed { .. } => ErrorCode::SetupFailed,
            Self::StillProcessing { .. } => ErrorCode::StillProcessing,
            Self::Cancelled => ErrorCode::Cancelled,
        }
    }
}

fn key(mode: AccountMode) -> String {
    format!("{}.draft.task", mode.key())
}

pub fn load(store: &Store, mode: AccountMode) -> Result<TaskDraft, StoreError> {
    store.json_setting(&key(mode))
}

pub(crate) fn save(store: &Store, mode: AccountMode, draft: &TaskDraft) -> Result<(), StoreError> {
    store.set_json_setting(&key(mode), draft)
}

/// The current mode's task draft, as [`current_for_data`] answers it.
pub async fn current_draft(connections: &Connections) -> Result<TaskDraft, TaskStepError> {
    let (mode, _) = connections.client().await?;
    Ok(current_for_data(connections.store(), mode).await?)
}

/// The task draft as the later steps may use it. Never a layout without its data: a batch
/// set up on a dataset that is not step 1's ready dataset now (its file was edited and
/// let go, or another file was chosen) is left out, with `set_up_on_other_data` saying
/// so, and setting up makes a new batch on the new dataset. The data draft is checked
/// against its file first ([`data_step::checked_draft`]).
pub async fn current_for_data(store: &Store, mode: AccountMode) -> Result<TaskDraft, StoreError> {
    let data = data_step::checked_draft(store, mode, Look::Quick).await?;
    let mut draft = load(store, mode)?;
    let current = data.dataset_id.filter(|_| data.ready);
    if draft
        .batch
        .as_ref()
        .is_some_and(|batch| Some(batch.data_dataset_id()) != current.as_deref())
    {
        draft.batch = None;
        draft.set_up_on_other_data = true;
    }
    Ok(draft)
}

/// Reads the data the task runs on: the file step 1 will send (or sent), its columns
/// and first rows, and whether its dataset is typed.
pub async fn task_data(connections: &Connections) -> Result<TaskData, TaskStepError> {
    let (mode, _) = connections.client().await?;
    let draft = data_step::load(connections.store(), mode)?;
    let path = draft.working_path.clone().ok_or(TaskStepError::NoDataset)?;
    let inspected = data_file::inspect_file(path.into(), |_| {}).await?;
    let path = inspected.path.clone();
    let report = inspected.report;
    let preview = tokio::task::spawn_blocking(move || {
        crate::csv_doctor::preview(Path::new(&path), &report, PREVIEW_ROWS).map(|p| (p, report))
    })
    .await
    .map_err(DataFileError::from)?
    .map_err(DataFileError::from)?;
    let (preview, report) = preview;
    Ok(TaskData {
        file_name: inspected.file_name,
        has_task_groups: report.columns.iter().any(|column| column.is_task_group),
        columns: report.columns,
        preview,
        row_count: report.row_count,
        // Before the upload the dataset will be typed if its columns allow a schema.
        typed: if draft.ready { draft.typed } else { true },
    })
}

/// Saves the design as the researcher edits it and checks it against the data.
pub async fn save_design(
    connections: &Connections,
    design: TaskDesign,
    data: &DataContext,
) -> Result<CheckedDesign, TaskStepError> {
    let (mode, _) = connections.client().await?;
    let store = connections.store();
    let mut draft = load(store, mode)?;
    let checked = CheckedDesign {
        issues: rules::check(&design, data),
        introduction_html: html::clean(&design.introduction),
        steps_html: html::clean(&design.steps),
    };
    draft.design = Some(design);
    save(store, mode, &draft)?;
    Ok(checked)
}

/// Makes (or finds) the batch for the saved design, runs setup and follows it to
/// `READY`. See the module's notes on why this never makes two batches.
pub async fn set_up(
    connections: &Connections,
    data: &DataContext,
    progress: impl Fn(SetupProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<SetupOutcome, TaskStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store().clone();
    // Checked against the file: a batch is never set up on rows the file no longer has.
    let data_draft = data_step::checked_draft(&store, mode, Look::Thorough).await?;
    let dataset_id = match data_draft.dataset_id.clone().filter(|_| data_draft.ready) {
        Some(dataset_id) => dataset_id,
        None if data_draft.changed_since_upload => return Err(TaskStepError::DataChanged),
        None => return Err(TaskStepError::NoDataset),
    };
    let typed = data_draft.typed;
    let mut draft = load(&store, mode)?;
    let design = draft.design.clone().ok_or(TaskStepError::NoDesign)?;
    // Never a layout without its data: an untyped dataset cannot carry the columns.
    if !typed && !design.data_rows.is_empty() {
        return Err(TaskStepError::UntypedDataset);
    }
    let issues = rules::check(&design, data);
    if !issues.is_empty() {
        return Ok(SetupOutcome::Invalid { issues });
    }
    let details = TaskDetails {
        task_name: design.title.trim().to_owned(),
        task_introduction: html::clean(&design.introduction),
        task_steps: html::clean(&design.steps),
    };
    let items_json = as_json(&layout::batch_items(&design, typed))?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(TaskStepError::NoWorkspace)?;

    // Known answers and checks: the batch runs on a copy of the data that names its
    // groups, so the number per group is not sent.
    let source_dataset_id = dataset_id.clone();
    let (dataset_id, tasks_per_group, mixed_from) = if design.checks.mixes() {
        let source = data_draft
            .uploaded_path
            .clone()
            .ok_or(TaskStepError::NoDataset)?;
        let mixed = mixed_data::ready_dataset(
            &client,
            &store,
            mode,
            &workspace,
            &source_dataset_id,
            Path::new(&source),
            &design,
            &progress,
            cancel,
        )
        .await?;
        let mixed_id = mixed.dataset_id.clone().ok_or(TaskStepError::NoDataset)?;
        draft = load(&store, mode)?;
        (mixed_id, None, Some(source_dataset_id))
    } else {
        let tasks_per_group = (!data.has_task_groups).then_some(design.tasks_per_group);
        (dataset_id, tasks_per_group, None)
    };
    let sent = serde_json::json!({
        "details": &details, "items": &items_json, "tasks_per_group": tasks_per_group,
    })
    .to_string();

    // What the earlier attempt made, if it can be used for this design.
    let earlier = match draft
        .batch
        .clone()
        .filter(|batch| batch.dataset_id == dataset_id)
    {
        Some(record) => reusable(&client, &workspace, record, &sent).await?,
        None => None,
    };
    let batch_id = match earlier {
        Some(Earlier::Same { batch_id, status }) => {
            if status == ProcessingStatus::Ready {
                return finish(&client, &store, mode, &batch_id, &progress).await;
            }
            batch_id
        }
        Some(Earlier::Changeable { batch_id }) => {
            progress(SetupProgress::Updating);
            let update = BatchUpdate {
                task_details: Some(details.clone()),
                batch_items: Some(Some(items_json.clone())),
                ..BatchUpdate::default()
            };
            match client.update_batch(&batch_id, &update).await {
                Ok(_) => {}
                Err(ProlificError::Validation { issues, .. }) if !issues.is_empty() => {
                    return Ok(invalid(&issues, &design, typed));
                }
                Err(error) => return Err(error.into()),
            }
            journal(&store, mode, |draft| {
                if let Some(batch) = draft.batch.as_mut() {
                    batch.sent.clone_from(&sent);
                    batch.ready = None;
                }
            })?;
            batch_id
        }
        None => {
            progress(SetupProgress::Creating);
            let name = batch_name(&design.title, data_draft.source_path.as_deref());
            draft.batch = Some(BatchRecord {
                name: name.clone(),
                batch_id: None,
                dataset_id: dataset_id.clone(),
                source_dataset_id: mixed_from.clone(),
                sent: sent.clone(),
                ready: None,
                legacy: false,
            });
            save(&store, mode, &draft)?;
            let new = NewBatch {
                name,
                workspace_id: workspace.clone(),
                task_details: details.clone(),
                dataset_id: Some(dataset_id.clone()),
                batch_items: Some(items_json.clone()),
                auto_sync_enabled: None,
            };
            // The layout always travels in `batch_items`: Prolific's legacy instructions
            // endpoints, once a way round a workspace that refused layouts, were sunset on
            // 2026-09-01. A refusal is reported as it is, never worked around.
            let batch = match cancellable(cancel, client.create_batch(&new)).await? {
                Ok(batch) => batch,
                Err(ProlificError::Validation { issues, .. }) if !issues.is_empty() => {
                    // Nothing was made: the next attempt creates under the same name.
                    return Ok(invalid(&issues, &design, typed));
                }
                Err(error) => return Err(error.into()),
            };
            journal(&store, mode, |draft| {
                if let Some(record) = draft.batch.as_mut() {
                    record.batch_id = Some(batch.id.clone());
                }
            })?;
            batch.id
        }
    };

    // Setup is safe to ask for again: the client reads the status after an unclear
    // failure, and a batch already PROCESSING or READY is only followed.
    let status = cancellable(cancel, client.batch_status(&batch_id)).await??;
    if status == ProcessingStatus::Uninitialised {
        let setup = BatchSetup {
            dataset_id: Some(dataset_id),
            tasks_per_group,
        };
        cancellable(cancel, client.setup_batch(&batch_id, &setup)).await??;
    }
    progress(SetupProgress::SettingUp {
        batch_id: batch_id.clone(),
    });
    let poll = setup_poll_policy(mode);
    match cancellable(cancel, client.wait_for_batch(&batch_id, &poll)).await?? {
        ProcessingStatus::Ready => finish(&client, &store, mode, &batch_id, &progress).await,
        ProcessingStatus::Error => {
            // A batch in ERROR is not used again: the next attempt makes a new one.
            journal(&store, mode, |draft| draft.batch = None)?;
            Err(TaskStepError::SetupFailed { batch_id })
        }
        _ => Err(TaskStepError::StillProcessing { batch_id }),
    }
}

/// How often Prolific's processing (a batch setup, a dataset) is asked about: the
/// CLI's cadence on Prolific, quicker against the practice server, which answers at once.
pub(crate) fn setup_poll_policy(mode: AccountMode) -> PollPolicy {
    match mode {
        AccountMode::Practice => PollPolicy {
            interval: Duration::from_millis(500),
            ..PollPolicy::default()
        },
        AccountMode::Prolific => PollPolicy::default(),
    }
}

enum Earlier {
    /// Made from this very design: follow it, or use it as it is when READY.
    Same {
        batch_id: String,
        status: ProcessingStatus,
    },
    /// Made from an earlier version and not set up yet: update it.
    Changeable { batch_id: String },
}

/// Whether the batch in the journal can serve `sent`. A batch whose create call may
/// have run but whose id was not kept is looked for by name, in the whole list of the
/// workspace's batches only (a list that may be incomplete is an error, not "none").
async fn reusable(
    client: &Client,
    workspace: &str,
    record: BatchRecord,
    sent: &str,
) -> Result<Option<Earlier>, TaskStepError> {
    let batch_id = match record.batch_id {
        Some(batch_id) => batch_id,
        None => {
            let listed = client.batches(workspace).await?;
            match listed.newest_match("batches in this workspace", |batch| {
                batch.name == record.name
            })? {
                Some(batch) => batch.id,
                None => return Ok(None),
            }
        }
    };
    let status = match client.batch_status(&batch_id).await {
        Ok(status) => status,
        // Deleted on Prolific's side (or a practice server started afresh).
        Err(ProlificError::NotFound { .. }) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    Ok(match status {
        // Made through the sunset instructions endpoints: it cannot be changed.
        _ if record.legacy => None,
        ProcessingStatus::Error => None,
        status if record.sent == sent => Some(Earlier::Same { batch_id, status }),
        ProcessingStatus::Uninitialised => Some(Earlier::Changeable { batch_id }),
        // Set up from another version of the design: a new batch.
        _ => None,
    })
}

async fn finish(
    client: &Client,
    store: &Store,
    mode: AccountMode,
    batch_id: &str,
    progress: &(impl Fn(SetupProgress) + Send + Sync),
) -> Result<SetupOutcome, TaskStepError> {
    let batch = client.batch(batch_id).await?;
    let count = |value: Option<u64>| value.and_then(|value| u32::try_from(value).ok());
    let ready = ReadyBatch {
        batch_id: batch_id.to_owned(),
        total_tasks: count(batch.total_task_count),
        total_groups: count(batch.total_task_groups),
    };
    journal(store, mode, |draft| {
        if let Some(record) = draft.batch.as_mut() {
            record.batch_id = Some(batch_id.to_owned());
            record.ready = Some(ready.clone());
        }
    })?;
    progress(SetupProgress::Ready {
        batch_id: batch_id.to_owned(),
    });
    Ok(SetupOutcome::Ready(ready))
}

/// Typed layout entries as the JSON a batch carries.
fn as_json<T: Serialize>(entries: &[T]) -> Result<Vec<serde_json::Value>, ProlificError> {
    entries
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|error| ProlificError::Unexpected {
            status: 0,
            detail: Some(error.to_string()),
        })
}

fn invalid(
    issues: &[batchdesk_prolific::BatchItemIssue],
    design: &TaskDesign,
    typed: bool,
) -> SetupOutcome {
    SetupOutcome::Invalid {
        issues: issues
            .iter()
            .map(|issue| layout::locate(issue, design, typed))
            .collect(),
    }
}

/// Changes the stored draft, re-read first so a concurrent save of the design is kept.
pub(crate) fn journal(
    store: &Store,
    mode: AccountMode,
    change: impl FnOnce(&mut TaskDraft),
) -> Result<(), StoreError> {
    let mut draft = load(store, mode)?;
    change(&mut draft);
    save(store, mode, &draft)
}

async fn cancellable<T>(
    cancel: &CancellationToken,
    work: impl Future<Output = T> + Send,
) -> Result<T, TaskStepError> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(TaskStepError::Cancelled),
        done = work => Ok(done),
    }
}

/// A name unique in the workspace that the researcher recognises on Prolific.
fn batch_name(title: &str, source: Option<&str>) -> String {
    let file = source
        .and_then(|path| Path::new(path).file_name())
        .map(|name| format!(", {}", name.to_string_lossy()))
        .unwrap_or_default();
    format!(
        "{}{file} (Batchdesk, {})",
        title.trim(),
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// The data context of the current working file, kept between calls so that checking
/// the design as the researcher types does not read the file again each time.
#[derive(Default)]
pub struct DataContextCache {
    current: tokio::sync::Mutex<Option<(String, DataContext)>>,
}

impl DataContextCache {
    /// Remembers the context of the data just read.
    pub async fn keep(&self, connections: &Connections, data: &TaskData) {
        if let Ok((mode, _)) = connections.client().await
            && let Ok(draft) = data_step::load(connections.store(), mode)
            && let Some(path) = draft.working_path
        {
            *self.current.lock().await = Some((path, data.context()));
        }
    }

    /// The context of the current working file, read again when the file changed.
    pub async fn get(&self, connections: &Connections) -> Result<DataContext, TaskStepError> {
        let (mode, _) = connections.client().await?;
        let path = data_step::load(connections.store(), mode)?
            .working_path
            .ok_or(TaskStepError::NoDataset)?;
        let mut current = self.current.lock().await;
        if let Some((known, context)) = current.as_ref()
            && *known == path
        {
            return Ok(context.clone());
        }
        let context = task_data(connections).await?.context();
        *current = Some((path, context.clone()));
        Ok(context)
    }
}
