//! A cheap pilot before the full spend: a few people take the task on the first rows, the
//! researcher reads what came back (time against the estimate, answers, returns), and
//! only then confirms the full study, adjusted.
//!
//! **How it is built on Prolific.** A batch study's places are its task groups × people
//! per item, so a pilot needs a batch of its own: the wizard's batch is duplicated
//! without its dataset (same instructions and layout), the pilot's rows (the first task
//! groups of the uploaded file) are uploaded as a new dataset, and the copy is set up on
//! them. The pilot study runs that batch with the wizard's settings but fewer people per
//! item, and is published through the same journaled, confirmed launch as any study
//! ([`crate::study_step::launch_on`]): never twice, never at a total the researcher did
//! not confirm. The full study is never touched by the pilot; it is published only by
//! the researcher's own confirmation afterwards.
//!
//! Each preparation step is recorded as soon as it has made something, so a crash or a
//! quit resumes it; making the dataset and the copy costs nothing, and a copy made by a
//! create whose answer was lost is found by its name (the client's duplicate looks).

mod exclusion;
mod report;

pub use report::{
    FindingSeverity, PilotFinding, PilotReport, PilotSamples, PilotSuggestion, PilotTime, report,
};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use batchdesk_prolific::Client;
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::batch_copy::{self, CopyError, safe_name};
use crate::connection::{AccountMode, Connections};
use crate::csv_doctor;
use crate::data_step::SchemaProblem;
use crate::error_code::{Coded, ErrorCode};
use crate::money_lock;
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::store::Store;
use crate::study::settings::{PriceQuote, StudySettings};
use crate::study::terms::Confirmation;
use crate::study_step::{
    self, LaunchOutcome, LaunchRequest, LaunchStage, LaunchTarget, ReadyTask, StudyStepError,
};
use crate::text;
use crate::upload;
use crate::wizard;

/// Task groups the pilot takes from the top of the data: enough to see more than one
/// participant's sitting, few enough to cost little.
const PILOT_GROUPS: u32 = 3;
/// The fewest people a pilot has: fewer says little about time or understanding.
const PILOT_PEOPLE: u32 = 3;

/// How big the pilot is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotPlan {
    /// Rows of data the pilot shows (the first ones of the file).
    pub rows: u32,
    /// Task groups those rows make (each person does one).
    pub task_groups: u32,
    pub people_per_item: u32,
    /// Task groups × people per item: the pilot's places.
    pub people: u32,
}

impl PilotPlan {
    /// The pilot for a batch of `full_groups` task groups of about `rows_per_group` rows.
    #[must_use]
    pub fn for_batch(full_groups: u32, rows_per_group: u32, full_rows: u32) -> Self {
        let task_groups = full_groups.clamp(1, PILOT_GROUPS);
        let people_per_item = PILOT_PEOPLE.div_ceil(task_groups).max(1);
        Self {
            rows: task_groups
                .saturating_mul(rows_per_group.max(1))
                .min(full_rows.max(1)),
            task_groups,
            people_per_item,
            people: task_groups * people_per_item,
        }
    }
}

/// What the pilot has made so far, kept per mode for the wizard's current batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PilotRecord {
    /// The wizard's batch this pilot tries out; a record for another batch is ignored.
    pub full_batch_id: String,
    pub plan: Option<PilotPlan>,
    /// The pilot's rows, written into the app's folder (the researcher's file is never
    /// changed).
    pub rows_path: Option<String>,
    pub dataset_id: Option<String>,
    pub dataset_ready: bool,
    pub batch_id: Option<String>,
    /// Task groups of the pilot batch once READY.
    pub ready_groups: Option<u32>,
    /// The participant group that keeps pilot participants out of the full study.
    #[serde(default)]
    pub exclusion_group_id: Option<String>,
    /// Pilots run before this one for the same batch ("run another pilot"): their
    /// people are kept out of the full study too.
    #[serde(default)]
    pub earlier_studies: Vec<String>,
}

fn key(mode: AccountMode) -> String {
    format!("{}.draft.pilot", mode.key())
}

pub(crate) fn load(
    store: &Store,
    mode: AccountMode,
) -> Result<PilotRecord, crate::store::StoreError> {
    store.json_setting(&key(mode))
}

pub(crate) fn save(
    store: &Store,
    mode: AccountMode,
    record: &PilotRecord,
) -> Result<(), crate::store::StoreError> {
    store.set_json_setting(&key(mode), record)
}

/// The record for `full_batch_id`: a fresh one when the kept record is another batch's.
fn record_for(
    store: &Store,
    mode: AccountMode,
    full_batch_id: &str,
) -> Result<PilotRecord, crate::store::StoreError> {
    let kept = load(store, mode)?;
    Ok(if kept.full_batch_id == full_batch_id {
        kept
    } else {
        PilotRecord {
            full_batch_id: full_batch_id.to_owned(),
            ..PilotRecord::default()
        }
    })
}

/// Where the pilot has got to, as the study step shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotView {
    pub plan: PilotPlan,
    /// The pilot batch is set up on its rows (a price can be quoted).
    pub prepared: bool,
    /// The pilot study, once created.
    pub study: Option<LaunchOutcome>,
    /// What the pilot costs (rewards, fees and tax) from Prolific's cost calculator at
    /// the full study's reward, when it could be asked; the confirmation quotes it again.
    pub total: Option<u32>,
    pub currency: Option<String>,
}

/// Preparing the pilot, step by step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum PilotProgress {
    WritingRows {
        rows: u32,
    },
    #[serde(rename_all = "camelCase")]
    Uploading {
        sent_percent: Option<u32>,
    },
    CopyingBatch,
    SettingUp,
    Ready,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum PilotError {
    #[error(transparent)]
    Study(#[from] StudyStepError),
    #[error(transparent)]
    Upload(#[from] crate::upload::UploadError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    OneAtATime(#[from] crate::money_lock::MoneyLockError),
    /// The rows could not be written (why, in the system's words).
    Rows(String),
    /// The rows cannot go up as a typed dataset.
    RowsRefused(SchemaProblem),
    SetupFailed,
    NotPrepared,
    Cancelled,
    ExclusionUnavailable,
}

session_error_from!(PilotError);

impl Coded for PilotError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Study(error) => error.error_code(),
            Self::Upload(error) => error.error_code(),
            Self::Session(error) => error.error_code(),
            Self::OneAtATime(error) => error.error_code(),
            Self::Rows(_) | Self::RowsRefused(_) => ErrorCode::FileNotWritten,
            Self::SetupFailed => ErrorCode::SetupFailed,
            Self::NotPrepared => ErrorCode::PilotNotPrepared,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::ExclusionUnavailable => ErrorCode::PilotExclusionUnavailable,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Study(inner) => inner.text(),
            Self::Upload(inner) => inner.text(),
            Self::Session(inner) => inner.text(),
            Self::OneAtATime(inner) => inner.text(),
            Self::Rows(reason) => text!("errors:pilot.rows", reason = reason),
            Self::RowsRefused(problem) => match problem {
                SchemaProblem::Unreadable(reason) => {
                    text!("errors:pilot.rowsRefused.unreadable", reason = reason)
                }
                SchemaProblem::NoColumns => text!("errors:pilot.rowsRefused.noColumns"),
                SchemaProblem::TooManyColumns { count } => {
                    text!("errors:pilot.rowsRefused.tooManyColumns", count = count)
                }
                SchemaProblem::NameLength { name } => {
                    text!("errors:pilot.rowsRefused.nameLength", name = name)
                }
                SchemaProblem::RepeatedName { name } => {
                    text!("errors:pilot.rowsRefused.repeatedName", name = name)
                }
            },
            Self::SetupFailed => text!("errors:pilot.setupFailed"),
            Self::NotPrepared => text!("errors:pilot.notPrepared"),
            Self::Cancelled => text!("errors:pilot.cancelled"),
            Self::ExclusionUnavailable => text!("errors:pilot.exclusionUnavailable"),
        }
    }
}

impl From<CopyError> for PilotError {
    fn from(error: CopyError) -> Self {
        match error {
            CopyError::Study(error) => Self::Study(error),
            CopyError::Upload(error) => Self::Upload(error),
            CopyError::Prolific(error) => error.into(),
            CopyError::Rows(problem) => Self::RowsRefused(problem),
            CopyError::SetupFailed | CopyError::NotReady => Self::SetupFailed,
            CopyError::Cancelled => Self::Cancelled,
        }
    }
}

/// The wizard's batch and what its pilot would be.
async fn full_batch(
    connections: &Connections,
    mode: AccountMode,
) -> Result<(ReadyTask, PilotPlan), PilotError> {
    let store = connections.store();
    let task = wizard::ready_task(&Session::current(connections).await?).await?;
    let wizard = wizard::record::load(store, mode)?;
    let design = wizard.task.design;
    let rows = wizard.data.ready_rows.unwrap_or(0);
    let per_group = match design {
        Some(design) => design.tasks_per_group,
        None => 1,
    };
    // A file with its own task groups: about rows ÷ groups rows each.
    let per_group = if task.assignments > 0 && rows > 0 {
        per_group.max(1).min(rows.div_ceil(task.assignments).max(1))
    } else {
        per_group
    };
    let plan = PilotPlan::for_batch(task.assignments, per_group, rows);
    Ok((task, plan))
}

/// The pilot of the wizard's batch: its size and how far it has got.
pub async fn view(connections: &Connections) -> Result<PilotView, PilotError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let (task, plan) = full_batch(connections, mode).await?;
    let record = record_for(store, mode, &task.batch_id)?;
    let study = match pilot_study_id(store, mode, &record)? {
        Some(study_id) => Some(study_step::outcome(&client.study(&study_id).await?)),
        None => None,
    };
    let plan = record.plan.clone().unwrap_or(plan);
    let draft = wizard::record::load(store, mode)?.study;
    let total = match draft.settings.as_ref() {
        Some(settings) => client
            .study_cost(i64::from(settings.reward), u64::from(plan.people))
            .await
            .ok()
            .and_then(|total| u32::try_from(total).ok()),
        None => None,
    };
    Ok(PilotView {
        plan,
        prepared: record.ready_groups.is_some(),
        study,
        total,
        currency: draft.currency,
    })
}

/// The pilot study's id, once its launch created one.
pub(crate) fn pilot_study_id(
    store: &Store,
    mode: AccountMode,
    record: &PilotRecord,
) -> Result<Option<String>, PilotError> {
    let Some(batch_id) = record.batch_id.as_deref() else {
        return Ok(None);
    };
    match store.batch_launch(mode.key(), batch_id)? {
        Some(launch) => Ok(study_step::journaled_study(store, &launch)?),
        None => Ok(None),
    }
}

/// Makes the pilot's batch: its rows written, uploaded as a dataset, the wizard's batch
/// copied without its data and set up on them. Free; resumes what an earlier attempt
/// made. Refused while a money action runs.
pub async fn prepare(
    connections: &Connections,
    progress: impl Fn(PilotProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<PilotView, PilotError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store().clone();
    let one_at_a_time = money_lock::try_acquire(&store, mode)?;
    let (task, plan) = full_batch(connections, mode).await?;
    let mut record = record_for(&store, mode, &task.batch_id)?;
    if record.ready_groups.is_some() {
        drop(one_at_a_time);
        return view(connections).await;
    }
    let plan = record.plan.clone().unwrap_or(plan);
    record.plan = Some(plan.clone());
    save(&store, mode, &record)?;
    let progress: Arc<dyn Fn(PilotProgress) + Send + Sync> = Arc::new(progress);

    // 1. The rows.
    let rows_path = match record
        .rows_path
        .clone()
        .filter(|path| Path::new(path).is_file())
    {
        Some(path) => PathBuf::from(path),
        None => {
            progress(PilotProgress::WritingRows { rows: plan.rows });
            let source = wizard::record::load(&store, mode)?
                .data
                .uploaded_path
                .ok_or(StudyStepError::NoBatch)?;
            let folder = store
                .path()
                .parent()
                .map_or_else(|| PathBuf::from("pilots"), |dir| dir.join("pilots"));
            let target = folder.join(format!("{}.csv", safe_name(&task.batch_id)));
            let rows = plan.rows;
            let written = target.clone();
            tokio::task::spawn_blocking(move || {
                write_first_rows(Path::new(&source), &written, rows)
            })
            .await
            .map_err(|error| PilotError::Rows(error.to_string()))?
            .map_err(|error| PilotError::Rows(error.to_string()))?;
            record.rows_path = Some(target.to_string_lossy().into_owned());
            save(&store, mode, &record)?;
            target
        }
    };

    // 2. Its dataset.
    let dataset_id = match (&record.dataset_id, record.dataset_ready) {
        (Some(id), true) => id.clone(),
        (earlier, _) => {
            let ready = upload_rows(
                connections,
                &client,
                mode,
                &rows_path,
                earlier.as_deref(),
                Arc::clone(&progress),
                cancel,
            )
            .await?;
            record = load(&store, mode)?;
            record.dataset_id = Some(ready.dataset_id.clone());
            record.dataset_ready = true;
            save(&store, mode, &record)?;
            ready.dataset_id
        }
    };

    // 3 and 4.
    finish_prepare(
        connections,
        &client,
        &store,
        mode,
        &task,
        record,
        &dataset_id,
        &*progress,
        cancel,
    )
    .await
}

/// Step 2: the pilot's rows up as a typed dataset, or the upload an earlier attempt
/// made carried on. The dataset's id is kept the moment it exists.
async fn upload_rows(
    connections: &Connections,
    client: &Client,
    mode: AccountMode,
    rows_path: &Path,
    earlier: Option<&str>,
    progress: Arc<dyn Fn(PilotProgress) + Send + Sync>,
    cancel: &CancellationToken,
) -> Result<upload::ReadyDataset, PilotError> {
    let store = connections.store().clone();
    let keep_id = Arc::new(move |dataset_id: &str| {
        let mut kept = load(&store, mode).unwrap_or_default();
        kept.dataset_id = Some(dataset_id.to_owned());
        if let Err(error) = save(&store, mode, &kept) {
            tracing::error!(%error, "could not keep the pilot dataset's id");
        }
    });
    let sent = Arc::new(move |sent_percent| progress(PilotProgress::Uploading { sent_percent }));
    Ok(batch_copy::upload_rows(
        connections,
        client,
        mode,
        rows_path,
        &format!("Pilot of {}", crate::held_files::file_name(rows_path)),
        earlier,
        keep_id,
        sent,
        cancel,
    )
    .await?)
}

/// Steps 3 and 4: the batch copied without its data, and set up on the pilot's rows.
#[allow(clippy::too_many_arguments)]
async fn finish_prepare(
    connections: &Connections,
    client: &Client,
    store: &Store,
    mode: AccountMode,
    task: &ReadyTask,
    mut record: PilotRecord,
    dataset_id: &str,
    progress: &(dyn Fn(PilotProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<PilotView, PilotError> {
    let batch_id = match record.batch_id.clone() {
        Some(batch_id) => batch_id,
        None => {
            progress(PilotProgress::CopyingBatch);
            // Each pilot's copy has a name of its own: a copy whose answer was lost is
            // looked for by name, and must not be taken for an earlier pilot's.
            let number = match record.earlier_studies.len() {
                0 => String::new(),
                earlier => format!(" {}", earlier + 1),
            };
            let original = batch_copy::cancellable(cancel, client.batch(&task.batch_id)).await??;
            let name = format!("{} (pilot{number})", original.name);
            let copy = batch_copy::copy_batch(client, &task.batch_id, &name, cancel).await?;
            record.batch_id = Some(copy.clone());
            save(store, mode, &record)?;
            copy
        }
    };
    progress(PilotProgress::SettingUp);
    let tasks_per_group = wizard::record::load(store, mode)?
        .task
        .design
        .map(|design| design.tasks_per_group);
    match batch_copy::set_up_copy(client, mode, &batch_id, dataset_id, tasks_per_group, cancel)
        .await
    {
        Ok(groups) => record.ready_groups = groups,
        Err(batch_copy::CopyError::SetupFailed) => {
            // A batch in ERROR is not used again: the next attempt copies afresh.
            record.batch_id = None;
            save(store, mode, &record)?;
            return Err(PilotError::SetupFailed);
        }
        Err(error) => return Err(error.into()),
    }
    if record.ready_groups.is_none() {
        record.ready_groups = record.plan.as_ref().map(|plan| plan.task_groups);
    }
    save(store, mode, &record)?;
    progress(PilotProgress::Ready);
    view(connections).await
}

/// Copies the header and the first rows of `source` into `target` (through a temporary
/// file, so a half-written copy is never taken for the pilot's rows). With a
/// `META_TASK_GROUP_ID` column the rows of whole groups are taken, in order, until
/// `rows` rows are reached.
fn write_first_rows(source: &Path, target: &Path, rows: u32) -> std::io::Result<()> {
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(source)
        .map_err(std::io::Error::other)?;
    let headers = reader.headers().map_err(std::io::Error::other)?.clone();
    let group_column = headers
        .iter()
        .position(|name| name.trim_start_matches('\u{feff}') == csv_doctor::TASK_GROUP_COLUMN_NAME);
    let partial = target.with_extension("csv.partial");
    let mut writer = csv::Writer::from_path(&partial).map_err(std::io::Error::other)?;
    writer
        .write_record(&headers)
        .map_err(std::io::Error::other)?;
    let mut groups: Vec<String> = Vec::new();
    for (taken, record) in (0_u32..).zip(reader.records()) {
        let record = record.map_err(std::io::Error::other)?;
        if let Some(column) = group_column {
            // Whole groups: a new group starts only while rows are still wanted.
            let group = record.get(column).unwrap_or_default().to_owned();
            if !groups.contains(&group) {
                if taken >= rows {
                    break;
                }
                groups.push(group);
            }
        } else if taken >= rows {
            break;
        }
        writer
            .write_record(&record)
            .map_err(std::io::Error::other)?;
    }
    writer.flush()?;
    drop(writer);
    std::fs::rename(&partial, target)
}

/// The pilot study's settings: the wizard's, with the pilot's people per item and a name
/// that says it is the pilot.
fn pilot_settings(full: &StudySettings, plan: &PilotPlan) -> StudySettings {
    StudySettings {
        people_per_item: plan.people_per_item,
        internal_name: format!("{} (pilot)", full.internal_name.trim()),
        ..full.clone()
    }
}

/// The pilot's launch target, once prepared.
async fn pilot_target(
    connections: &Connections,
    mode: AccountMode,
) -> Result<LaunchTarget, PilotError> {
    let store = connections.store();
    let (task, _) = full_batch(connections, mode).await?;
    let record = record_for(store, mode, &task.batch_id)?;
    let (Some(batch_id), Some(groups), Some(plan)) = (
        record.batch_id.clone(),
        record.ready_groups,
        record.plan.clone(),
    ) else {
        return Err(PilotError::NotPrepared);
    };
    let draft = wizard::record::load(store, mode)?.study;
    let full = draft.settings.clone().ok_or(StudyStepError::NoBatch)?;
    Ok(LaunchTarget {
        task: ReadyTask {
            batch_id,
            assignments: groups,
            title: task.title,
        },
        settings: pilot_settings(&full, &plan),
        draft,
    })
}

/// The exact price of the pilot, with the fingerprint its confirmation must carry.
pub async fn quote(connections: &Connections) -> Result<PriceQuote, PilotError> {
    let session = Session::current(connections).await?;
    let target = pilot_target(connections, session.mode).await?;
    Ok(study_step::quote(&session, &target.task, &target.settings).await?)
}

/// Publishes the pilot study at exactly what the researcher confirmed, once.
pub async fn launch(
    connections: &Connections,
    confirmed: Confirmation,
    progress: impl Fn(LaunchStage) + Send + Sync,
) -> Result<LaunchOutcome, PilotError> {
    let session = Session::current(connections).await?;
    let mode = session.mode;
    let _one_at_a_time = money_lock::try_acquire(connections.store(), mode)?;
    let target = pilot_target(connections, mode).await?;
    let outcome = study_step::launch_on(
        &session,
        &target,
        &LaunchRequest::Publish(confirmed),
        &progress,
    )
    .await?;
    // The full study's results can then offer the pilot's answers (also recorded when
    // the report is read, should this answer be lost).
    let record = load(connections.store(), mode)?;
    crate::results::link_pilot(
        connections.store(),
        mode,
        &record.full_batch_id,
        &outcome.study_id,
    )?;
    Ok(outcome)
}

/// Leaves the pilot that ran for a new one on the same batch (after fixing the settings
/// the first one showed a problem with): the next "Price the pilot" makes a fresh copy and
/// a fresh pilot study, at a total confirmed again. The earlier pilot's study stays as it
/// is (on the Batches page), and its people stay kept out of the full study.
pub async fn run_another(connections: &Connections) -> Result<PilotView, PilotError> {
    let (mode, _) = connections.client().await?;
    let store = connections.store().clone();
    let one_at_a_time = money_lock::try_acquire(&store, mode)?;
    let (task, _) = full_batch(connections, mode).await?;
    let record = record_for(&store, mode, &task.batch_id)?;
    let mut earlier_studies = record.earlier_studies.clone();
    if let Some(study_id) = pilot_study_id(&store, mode, &record)?
        && !earlier_studies.contains(&study_id)
    {
        earlier_studies.push(study_id);
    }
    save(
        &store,
        mode,
        &PilotRecord {
            full_batch_id: task.batch_id,
            exclusion_group_id: record.exclusion_group_id,
            earlier_studies,
            ..PilotRecord::default()
        },
    )?;
    drop(one_at_a_time);
    view(connections).await
}

/// What the researcher chose after reading the pilot report.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContinueChoice {
    /// Take the report's suggested estimate and reward for the full study.
    pub adopt_suggestion: bool,
    /// Keep the pilot's participants out of the full study.
    pub exclude_pilot_people: bool,
}

/// Applies the researcher's choice to the full study's saved settings and answers
/// them: the full study is then quoted, confirmed and published as any study, never by
/// this call. Excluding the pilot's people puts everyone who took the pilot into a
/// participant group (made once, kept up to date) and the full study's audience blocks
/// that group.
pub async fn continue_to_full_study(
    connections: &Connections,
    results: &crate::results::Results,
    choice: &ContinueChoice,
) -> Result<StudySettings, PilotError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store().clone();
    let draft = wizard::record::load(&store, mode)?.study;
    let mut settings = draft.settings.clone().ok_or(StudyStepError::NoBatch)?;
    if choice.adopt_suggestion {
        let report = report(connections, results).await?;
        if let Some(suggestion) = report.suggestion {
            settings.estimated_minutes = suggestion.estimated_minutes;
            settings.reward = suggestion.reward;
            // A maximum time below the new estimate would be refused: Batchdesk's
            // default follows the estimate.
            if settings
                .max_minutes
                .is_some_and(|max| max < suggestion.estimated_minutes.saturating_mul(2))
            {
                settings.max_minutes = None;
            }
        }
    }
    exclusion::apply(
        connections,
        &client,
        &store,
        mode,
        &mut settings,
        choice.exclude_pilot_people,
    )
    .await?;
    wizard::record::update(&store, mode, |wizard| {
        wizard.study.settings = Some(settings.clone());
    })?;
    Ok(settings)
}
