//! The second wizard step: the task design (kept as the researcher edits it, in the
//! step's part of the wizard's record), and the Prolific batch made from it, followed to
//! `READY`. Step 1's draft is handed in as an argument ([`crate::wizard`]); this step
//! never reads it.
//!
//! **Never two batches for one design.** Making the batch is journaled in the draft:
//! the batch's name is written before the create call and its id right after, so a
//! retry after a crash, a quit or a network failure finds the batch the earlier attempt
//! made (by id, or by name in the workspace) instead of making another. The layout sent
//! is kept too: setting up the same design again reuses the batch (following it if it
//! is still being set up); a changed design updates a batch that is not set up yet, and
//! makes a new batch once the old one has tasks.

pub mod mixed_data;

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
use crate::connection::AccountMode;
use crate::csv_doctor::{Column, Preview};
use crate::data_file::{self, DataFileError};
use crate::data_step::DataDraft;
use crate::error_code::{Coded, ErrorCode};
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::step_draft::StepDraft;
use crate::task::checks::MixError;
use crate::task::layout;
use crate::task::{DataContext, DesignIssue, TaskDesign, html, rules};
use crate::text;
use crate::upload::UploadError;
use mixed_data::MixedDataset;

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
#[error("{}", self.text())]
pub enum TaskStepError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    DataFile(#[from] DataFileError),
    #[error(transparent)]
    Mix(#[from] MixError),
    #[error(transparent)]
    Upload(#[from] UploadError),
    NoDataset,
    DataChanged,
    NoDesign,
    /// A dataset uploaded by an earlier version as untyped (V3): Task Builder cannot
    /// place its columns, so participants would not see the data.
    UntypedDataset,
    NoWorkspace,
    SetupFailed {
        batch_id: String,
    },
    StillProcessing {
        batch_id: String,
    },
    Cancelled,
}

session_error_from!(TaskStepError);

impl Coded for TaskStepError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
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

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::DataFile(inner) => inner.text(),
            Self::Mix(inner) => inner.text(),
            Self::Upload(inner) => inner.text(),
            Self::NoDataset => text!("errors:taskStep.noDataset"),
            Self::DataChanged => text!("errors:taskStep.dataChanged"),
            Self::NoDesign => text!("errors:taskStep.noDesign"),
            Self::UntypedDataset => text!("errors:taskStep.untypedDataset"),
            Self::NoWorkspace => text!("errors:taskStep.noWorkspace"),
            Self::SetupFailed { .. } => text!("errors:taskStep.setupFailed"),
            Self::StillProcessing { .. } => text!("errors:taskStep.stillProcessing"),
            Self::Cancelled => text!("errors:taskStep.cancelled"),
        }
    }
}

/// The task draft as the later steps may use it, from step 1's draft as checked against
/// its file ([`crate::data_step::checked_draft`]). Never a layout without its data: a batch set
/// up on a dataset that is not step 1's ready dataset now (its file was edited and let
/// go, or another file was chosen) is left out, with `set_up_on_other_data` saying so,
/// and setting up makes a new batch on the new dataset.
#[must_use]
pub fn current_for_data(data: &DataDraft, mut draft: TaskDraft) -> TaskDraft {
    let current = data.dataset_id.as_deref().filter(|_| data.ready);
    if draft
        .batch
        .as_ref()
        .is_some_and(|batch| Some(batch.data_dataset_id()) != current)
    {
        draft.batch = None;
        draft.set_up_on_other_data = true;
    }
    draft
}

/// Reads the data the task runs on: the file step 1 will send (or sent), its columns
/// and first rows, and whether its dataset is typed.
pub async fn task_data(data: &DataDraft) -> Result<TaskData, TaskStepError> {
    let path = data.working_path.clone().ok_or(TaskStepError::NoDataset)?;
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
        typed: if data.ready { data.typed } else { true },
    })
}

/// Keeps the design as the researcher edits it and checks it against the data.
pub fn save_design(
    kept: &impl StepDraft<TaskDraft>,
    design: TaskDesign,
    data: &DataContext,
) -> Result<CheckedDesign, TaskStepError> {
    let checked = CheckedDesign {
        issues: rules::check(&design, data),
        introduction_html: html::clean(&design.introduction),
        steps_html: html::clean(&design.steps),
    };
    kept.change(&mut |draft| draft.design = Some(design.clone()))?;
    Ok(checked)
}

/// What a setup sends: the dataset, the task's words and layout, the grouping.
struct Sending {
    dataset_id: String,
    /// Step 1's dataset when `dataset_id` is a mixed copy of it.
    mixed_from: Option<String>,
    tasks_per_group: Option<u32>,
    details: TaskDetails,
    items: Vec<serde_json::Value>,
    /// All of it as JSON: the same again reuses the batch made from it.
    sent: String,
}

/// Makes (or finds) the batch for the kept design on step 1's dataset (`data`, checked
/// thoroughly against its file), runs setup and follows it to `READY`. See the module's
/// notes on why this never makes two batches.
pub async fn set_up(
    session: &Session,
    kept: &(impl StepDraft<TaskDraft> + Clone + 'static),
    data: &DataDraft,
    context: &DataContext,
    progress: impl Fn(SetupProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<SetupOutcome, TaskStepError> {
    // Never a batch set up on rows the file no longer has.
    let dataset_id = match data.dataset_id.clone().filter(|_| data.ready) {
        Some(dataset_id) => dataset_id,
        None if data.changed_since_upload => return Err(TaskStepError::DataChanged),
        None => return Err(TaskStepError::NoDataset),
    };
    let design = kept.read()?.design.ok_or(TaskStepError::NoDesign)?;
    // Never a layout without its data: an untyped dataset cannot carry the columns.
    if !data.typed && !design.data_rows.is_empty() {
        return Err(TaskStepError::UntypedDataset);
    }
    let issues = rules::check(&design, context);
    if !issues.is_empty() {
        return Ok(SetupOutcome::Invalid { issues });
    }
    let workspace = account::workspaces_of(session)
        .await?
        .chosen
        .ok_or(TaskStepError::NoWorkspace)?;
    let sending = what_to_send(
        session, kept, data, dataset_id, &design, context, &workspace, &progress, cancel,
    )
    .await?;
    let batch_id = match batch_for(
        session, kept, data, &design, &sending, &workspace, &progress, cancel,
    )
    .await?
    {
        BatchFor::Ready(batch_id) => {
            return finish(&session.client, kept, &batch_id, &progress).await;
        }
        BatchFor::Refused(outcome) => return Ok(outcome),
        BatchFor::ToSetUp(batch_id) => batch_id,
    };
    run_setup(session, kept, &sending, batch_id, &progress, cancel).await
}

/// The dataset the batch runs on and what is sent with it. With known answers and checks,
/// a copy of the data that names its groups (so the number per group is not sent).
#[allow(clippy::too_many_arguments)]
async fn what_to_send(
    session: &Session,
    kept: &(impl StepDraft<TaskDraft> + Clone + 'static),
    data: &DataDraft,
    dataset_id: String,
    design: &TaskDesign,
    context: &DataContext,
    workspace: &str,
    progress: &(impl Fn(SetupProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<Sending, TaskStepError> {
    let details = TaskDetails {
        task_name: design.title.trim().to_owned(),
        task_introduction: html::clean(&design.introduction),
        task_steps: html::clean(&design.steps),
    };
    let items = as_json(&layout::batch_items(design, data.typed))?;
    let (dataset_id, tasks_per_group, mixed_from) = if design.checks.mixes() {
        let source = data.uploaded_path.clone().ok_or(TaskStepError::NoDataset)?;
        let mixed = mixed_data::ready_dataset(
            session,
            kept,
            workspace,
            &dataset_id,
            Path::new(&source),
            design,
            progress,
            cancel,
        )
        .await?;
        let mixed_id = mixed.dataset_id.clone().ok_or(TaskStepError::NoDataset)?;
        (mixed_id, None, Some(dataset_id))
    } else {
        let tasks_per_group = (!context.has_task_groups).then_some(design.tasks_per_group);
        (dataset_id, tasks_per_group, None)
    };
    let sent = serde_json::json!({
        "details": &details, "items": &items, "tasks_per_group": tasks_per_group,
    })
    .to_string();
    Ok(Sending {
        dataset_id,
        mixed_from,
        tasks_per_group,
        details,
        items,
        sent,
    })
}

/// The batch a setup runs on.
enum BatchFor {
    /// Made from this very design and already `READY`.
    Ready(String),
    /// Made (now or earlier) and to be set up or followed.
    ToSetUp(String),
    /// Prolific refused the design; nothing was made.
    Refused(SetupOutcome),
}

/// The batch an earlier attempt made, if it can serve `sending` (updated when the design
/// changed and it is not set up yet), or a new one, journaled before and after the call.
#[allow(clippy::too_many_arguments)]
async fn batch_for(
    session: &Session,
    kept: &impl StepDraft<TaskDraft>,
    data: &DataDraft,
    design: &TaskDesign,
    sending: &Sending,
    workspace: &str,
    progress: &(impl Fn(SetupProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<BatchFor, TaskStepError> {
    let client = &session.client;
    let earlier = match kept
        .read()?
        .batch
        .filter(|batch| batch.dataset_id == sending.dataset_id)
    {
        Some(record) => reusable(client, workspace, record, &sending.sent).await?,
        None => None,
    };
    match earlier {
        Some(Earlier::Same {
            batch_id,
            status: ProcessingStatus::Ready,
        }) => Ok(BatchFor::Ready(batch_id)),
        Some(Earlier::Same { batch_id, .. }) => Ok(BatchFor::ToSetUp(batch_id)),
        Some(Earlier::Changeable { batch_id }) => {
            progress(SetupProgress::Updating);
            update_earlier(client, kept, design, data.typed, sending, batch_id).await
        }
        None => {
            progress(SetupProgress::Creating);
            create(session, kept, data, design, sending, workspace, cancel).await
        }
    }
}

/// Sends a changed design to the batch made earlier, which is not set up yet.
async fn update_earlier(
    client: &Client,
    kept: &impl StepDraft<TaskDraft>,
    design: &TaskDesign,
    typed: bool,
    sending: &Sending,
    batch_id: String,
) -> Result<BatchFor, TaskStepError> {
    let update = BatchUpdate {
        task_details: Some(sending.details.clone()),
        batch_items: Some(Some(sending.items.clone())),
        ..BatchUpdate::default()
    };
    match client.update_batch(&batch_id, &update).await {
        Ok(_) => {}
        Err(ProlificError::Validation { issues, .. }) if !issues.is_empty() => {
            return Ok(BatchFor::Refused(invalid(&issues, design, typed)));
        }
        Err(error) => return Err(error.into()),
    }
    kept.change(&mut |draft| {
        if let Some(batch) = draft.batch.as_mut() {
            batch.sent.clone_from(&sending.sent);
            batch.ready = None;
        }
    })?;
    Ok(BatchFor::ToSetUp(batch_id))
}

/// Makes a new batch: its unique name journaled before the call, its id right after.
async fn create(
    session: &Session,
    kept: &impl StepDraft<TaskDraft>,
    data: &DataDraft,
    design: &TaskDesign,
    sending: &Sending,
    workspace: &str,
    cancel: &CancellationToken,
) -> Result<BatchFor, TaskStepError> {
    let name = batch_name(&design.title, data.source_path.as_deref());
    let record = BatchRecord {
        name: name.clone(),
        batch_id: None,
        dataset_id: sending.dataset_id.clone(),
        source_dataset_id: sending.mixed_from.clone(),
        sent: sending.sent.clone(),
        ready: None,
        legacy: false,
    };
    kept.change(&mut |draft| draft.batch = Some(record.clone()))?;
    let new = NewBatch {
        name,
        workspace_id: workspace.to_owned(),
        task_details: sending.details.clone(),
        dataset_id: Some(sending.dataset_id.clone()),
        batch_items: Some(sending.items.clone()),
        auto_sync_enabled: None,
    };
    // The layout always travels in `batch_items`: Prolific's legacy instructions
    // endpoints, once a way round a workspace that refused layouts, were sunset on
    // 2026-09-01. A refusal is reported as it is, never worked around.
    let batch = match cancellable(cancel, session.client.create_batch(&new)).await? {
        Ok(batch) => batch,
        Err(ProlificError::Validation { issues, .. }) if !issues.is_empty() => {
            // Nothing was made: the next attempt creates under the same name.
            return Ok(BatchFor::Refused(invalid(&issues, design, data.typed)));
        }
        Err(error) => return Err(error.into()),
    };
    kept.change(&mut |draft| {
        if let Some(record) = draft.batch.as_mut() {
            record.batch_id = Some(batch.id.clone());
        }
    })?;
    Ok(BatchFor::ToSetUp(batch.id))
}

/// Sets the batch up on its dataset (unless it is already) and follows it to `READY`.
/// Safe to ask for again: the client reads the status after an unclear failure, and a
/// batch already PROCESSING or READY is only followed.
async fn run_setup(
    session: &Session,
    kept: &impl StepDraft<TaskDraft>,
    sending: &Sending,
    batch_id: String,
    progress: &(impl Fn(SetupProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<SetupOutcome, TaskStepError> {
    let client = &session.client;
    let status = cancellable(cancel, client.batch_status(&batch_id)).await??;
    if status == ProcessingStatus::Uninitialised {
        let setup = BatchSetup {
            dataset_id: Some(sending.dataset_id.clone()),
            tasks_per_group: sending.tasks_per_group,
        };
        cancellable(cancel, client.setup_batch(&batch_id, &setup)).await??;
    }
    progress(SetupProgress::SettingUp {
        batch_id: batch_id.clone(),
    });
    let poll = setup_poll_policy(session.mode);
    match cancellable(cancel, client.wait_for_batch(&batch_id, &poll)).await?? {
        ProcessingStatus::Ready => finish(client, kept, &batch_id, progress).await,
        ProcessingStatus::Error => {
            // A batch in ERROR is not used again: the next attempt makes a new one.
            kept.change(&mut |draft| draft.batch = None)?;
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
    kept: &impl StepDraft<TaskDraft>,
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
    kept.change(&mut |draft| {
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
    /// Remembers the context of the data just read from step 1's working file.
    pub async fn keep(&self, data: &DataDraft, read: &TaskData) {
        if let Some(path) = data.working_path.clone() {
            *self.current.lock().await = Some((path, read.context()));
        }
    }

    /// The context of step 1's working file, read again when the file changed.
    pub async fn get(&self, data: &DataDraft) -> Result<DataContext, TaskStepError> {
        let path = data.working_path.clone().ok_or(TaskStepError::NoDataset)?;
        let mut current = self.current.lock().await;
        if let Some((known, context)) = current.as_ref()
            && *known == path
        {
            return Ok(context.clone());
        }
        let context = task_data(data).await?.context();
        *current = Some((path, context.clone()));
        Ok(context)
    }
}
