//! The new-batch service: the wizard's three steps over one record per mode
//! ([`record::WizardRecord`]: data, task design and batch, study settings). Each call
//! takes a [`Session`], reads what the step needs from the record, and hands it to the
//! step as arguments with the step's own part to keep; no step reads another's part.
//! Where the UI acts on what the researcher has just typed, one call saves and acts:
//! [`set_up`] takes the design, [`launch`] the settings.
//!
//! One batch, from file to launch:
//! `choose_file` → `upload_data` (step 1's part: the dataset) → `task_data`,
//! `save_design` → `set_up` (step 1's dataset checked against its file, step 2's part:
//! the batch) → `study_context`, `save_settings`, `quote` (the batch set up, step 3's
//! part: the settings) → `launch` (the journaled launch, [`crate::study_step::launch`]).

pub mod new_batch;
pub mod record;
mod service;

pub use service::Wizard;

use std::path::Path;

use tokio_util::sync::CancellationToken;

use crate::connection::Connections;
use crate::data_step::{self, DataDraft, DataDraftView, DataStepError};
use crate::file_identity::Look;
use crate::held_files::HeldFiles;
use crate::money_lock;
use crate::session::Session;
use crate::step_draft::StepDraft;
use crate::study::settings::{AudienceFilter, Eligibility, PriceQuote, StudySettings};
use crate::study_step::{
    self, CheckedSettings, LaunchOutcome, LaunchRequest, LaunchStage, LaunchTarget, ReadyTask,
    StudyContext, StudyStepError, TestRun,
};
use crate::task::{DataContext, TaskDesign};
use crate::task_step::{
    self, CheckedDesign, DataContextCache, SetupOutcome, SetupProgress, TaskData, TaskDraft,
    TaskStepError,
};
use crate::upload::{ReadyDataset, UploadProgress};

/// Step 1's draft, checked against its file and against Prolific (a dataset gone there
/// is forgotten).
pub async fn data_draft(connections: &Connections) -> Result<DataDraft, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::current_draft(&session, &data_part(&session)).await
}

/// [`data_draft`] with the file to send behind a handle.
pub async fn data_draft_view(
    connections: &Connections,
    files: &HeldFiles,
) -> Result<DataDraftView, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::current_view(&session, &data_part(&session), files).await
}

/// Keeps the researcher's choice of file and of the copy to send.
pub async fn choose_file(
    connections: &Connections,
    source_path: String,
    working_path: String,
) -> Result<DataDraft, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::choose_file(&data_part(&session), source_path, working_path).await
}

/// [`choose_file`] with files the UI names by handle.
pub async fn choose_held(
    connections: &Connections,
    files: &HeldFiles,
    source: &str,
    working: &str,
) -> Result<DataDraftView, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::choose_held(&data_part(&session), files, source, working).await
}

/// Uploads step 1's file and follows it to READY ([`data_step::upload`]).
pub async fn upload_data(
    connections: &Connections,
    progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<ReadyDataset, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::upload(&session, &data_part(&session), progress, cancel).await
}

/// Sends step 1's file again without the rows Prolific refused.
pub async fn upload_without_rejected_rows(
    connections: &Connections,
    folder: &Path,
    progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<ReadyDataset, DataStepError> {
    let session = Session::current(connections).await?;
    data_step::upload_without_rejected_rows(
        &session,
        &data_part(&session),
        folder,
        progress,
        cancel,
    )
    .await
}

/// Step 2's draft as the later steps may use it: never a batch set up on data step 1 no
/// longer has ([`task_step::current_for_data`]).
pub async fn task_draft(connections: &Connections) -> Result<TaskDraft, TaskStepError> {
    let session = Session::current(connections).await?;
    current_task(&session).await
}

/// The data the task runs on (columns, first rows, dataset kind), remembered in `cache`
/// for checking the design as it is typed.
pub async fn task_data(
    connections: &Connections,
    cache: &DataContextCache,
) -> Result<TaskData, TaskStepError> {
    let session = Session::current(connections).await?;
    let data = data_part(&session).read()?;
    let read = task_step::task_data(&data).await?;
    cache.keep(&data, &read).await;
    Ok(read)
}

/// What the design is checked against: step 1's working file, read once per file.
pub async fn data_context(
    connections: &Connections,
    cache: &DataContextCache,
) -> Result<DataContext, TaskStepError> {
    let session = Session::current(connections).await?;
    cache.get(&data_part(&session).read()?).await
}

/// Keeps the design as the researcher edits it; answers its problems (against `context`,
/// step 1's data: [`data_context`]) and cleaned HTML.
pub async fn save_design(
    connections: &Connections,
    design: TaskDesign,
    context: &DataContext,
) -> Result<CheckedDesign, TaskStepError> {
    let session = Session::current(connections).await?;
    task_step::save_design(&task_part(&session), design, context)
}

/// Keeps `design` (when given: the one on screen) and sets the batch up from it on step
/// 1's dataset, checked thoroughly against its file ([`task_step::set_up`]); `context`
/// is what the design is checked against ([`data_context`]).
pub async fn set_up(
    connections: &Connections,
    context: &DataContext,
    design: Option<TaskDesign>,
    progress: impl Fn(SetupProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<SetupOutcome, TaskStepError> {
    let session = Session::current(connections).await?;
    let task = task_part(&session);
    if let Some(design) = design {
        task.change(&mut |draft| draft.design = Some(design.clone()))?;
    }
    let data = data_step::checked_draft(&data_part(&session), Look::Thorough).await?;
    task_step::set_up(&session, &task, &data, context, progress, cancel).await
}

/// Everything step 3 needs to open ([`study_step::context`]).
pub async fn study_context(connections: &Connections) -> Result<StudyContext, StudyStepError> {
    let session = Session::current(connections).await?;
    let (task, rows) = ready_task_and_rows(&session).await?;
    study_step::context(&session, &study_part(&session), &task, rows).await
}

/// Keeps the settings as the researcher edits them; answers their facts and problems.
pub async fn save_settings(
    connections: &Connections,
    settings: StudySettings,
) -> Result<CheckedSettings, StudyStepError> {
    let session = Session::current(connections).await?;
    let task = ready_task(&session).await?;
    study_step::save_settings(&study_part(&session), &task, settings)
}

/// How many participants the audience matches.
pub async fn audience_size(
    connections: &Connections,
    filters: &[AudienceFilter],
) -> Result<Eligibility, StudyStepError> {
    let session = Session::current(connections).await?;
    study_step::eligibility(&session, filters).await
}

/// The exact price of `settings` on the wizard's batch, next to the balance.
pub async fn quote(
    connections: &Connections,
    settings: &StudySettings,
) -> Result<PriceQuote, StudyStepError> {
    let session = Session::current(connections).await?;
    let task = ready_task(&session).await?;
    study_step::quote(&session, &task, settings).await
}

/// Keeps `settings` (when given: the ones on screen), then launches the wizard's batch
/// on the kept settings: a draft study, or published at exactly what the researcher
/// confirmed ([`study_step::launch_on`]). One money action at a time.
pub async fn launch(
    connections: &Connections,
    settings: Option<StudySettings>,
    request: LaunchRequest,
    progress: impl Fn(LaunchStage) + Send + Sync,
) -> Result<LaunchOutcome, StudyStepError> {
    let session = Session::current(connections).await?;
    // Taken first, as a second launch (a double click, a second window) must find it.
    let _one_at_a_time = money_lock::try_acquire(&session.store, session.mode)?;
    let task = ready_task(&session).await?;
    let study = study_part(&session);
    if let Some(settings) = settings {
        study_step::save_settings(&study, &task, settings)?;
    }
    remember_design(&session, &task)?;
    let draft = study.read()?;
    let settings = draft.settings.clone().ok_or(StudyStepError::NoBatch)?;
    let target = LaunchTarget {
        task,
        settings,
        draft,
    };
    study_step::launch_on(&session, &target, &request, &progress).await
}

/// A free test copy of the wizard's study for the researcher's test participant.
pub async fn test_run(
    connections: &Connections,
    email: Option<String>,
) -> Result<TestRun, StudyStepError> {
    let session = Session::current(connections).await?;
    let task = ready_task(&session).await?;
    remember_design(&session, &task)?;
    study_step::test_run(&session, &study_part(&session), &task, email).await
}

/// The batch step 2 set up on step 1's current data, for the study step, the pilot and
/// the launch.
pub async fn ready_task(session: &Session) -> Result<ReadyTask, StudyStepError> {
    Ok(ready_task_and_rows(session).await?.0)
}

/// [`ready_task`] and the rows of step 1's dataset.
async fn ready_task_and_rows(session: &Session) -> Result<(ReadyTask, u32), StudyStepError> {
    let data = data_step::checked_draft(&data_part(session), Look::Quick).await?;
    let task = task_step::current_for_data(&data, task_part(session).read()?);
    Ok((study_step::ready_task(&task)?, data.ready_rows.unwrap_or(0)))
}

async fn current_task(session: &Session) -> Result<TaskDraft, TaskStepError> {
    let data = data_step::checked_draft(&data_part(session), Look::Quick).await?;
    Ok(task_step::current_for_data(
        &data,
        task_part(session).read()?,
    ))
}

/// Keeps the task design under its batch, for "run again with new data" whatever the
/// wizard holds later.
fn remember_design(session: &Session, task: &ReadyTask) -> Result<(), StudyStepError> {
    let design = task_part(session).read()?.design;
    new_batch::remember_design(&session.store, session.mode, &task.batch_id, design)?;
    Ok(())
}

fn data_part(session: &Session) -> record::Part<DataDraft> {
    record::data(&session.store, session.mode)
}

fn task_part(session: &Session) -> record::Part<TaskDraft> {
    record::task(&session.store, session.mode)
}

fn study_part(session: &Session) -> record::Part<study_step::StudyDraft> {
    record::study(&session.store, session.mode)
}
