//! Starting a new batch once one is published (or whenever the researcher wants to leave
//! the current one behind). The wizard keeps one set of drafts per mode, so a new batch
//! is new drafts: the data step empty, the batch and the study settings forgotten, and
//! (for "run this task again") the task design kept. Nothing on Prolific is touched, and
//! nothing that protects money is: the published batch keeps its row in
//! `batch_launches` and its `launch_journal`, so its study stays on the Batches page and
//! is never launched a second time.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::connection::{AccountMode, Connections};
use crate::data_step::{self, DataDraft};
use crate::money_lock;
use crate::store::Store;
use crate::study_step::{self, StudyDraft, StudyStepError};
use crate::task_step::{self, TaskDraft};

/// What the new batch keeps of the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NewBatch {
    /// Nothing: an empty data step.
    Empty,
    /// The task design (title, instructions, layout, questions); new data and settings.
    SameTask,
}

/// Starts a new batch in the current mode (see [`start_in`]).
pub async fn start(connections: &Connections, keep: NewBatch) -> Result<(), StudyStepError> {
    let (mode, _) = connections.client().await?;
    start_in(connections.store(), mode, keep)
}

/// Replaces the wizard's drafts of `mode` with fresh ones, keeping the task design for
/// [`NewBatch::SameTask`]. What belongs to the account rather than to one batch stays:
/// the test copies (left out of the Batches page) and the test participant's email.
/// Refused while a launch, publish or payment runs, so a launch in flight never has its
/// drafts replaced under it.
pub fn start_in(store: &Store, mode: AccountMode, keep: NewBatch) -> Result<(), StudyStepError> {
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let task = task_step::load(store, mode)?;
    let study = study_step::load(store, mode)?;
    adopt_legacy_launch(store, mode, &task, &study)?;

    data_step::save(store, mode, &DataDraft::default())?;
    task_step::save(
        store,
        mode,
        &TaskDraft {
            design: match keep {
                NewBatch::Empty => None,
                NewBatch::SameTask => task.design,
            },
            ..TaskDraft::default()
        },
    )?;
    study_step::save(
        store,
        mode,
        &StudyDraft {
            test_studies: study.test_studies,
            test_participant_email: study.test_participant_email,
            ..StudyDraft::default()
        },
    )?;
    Ok(())
}

/// An earlier version kept a batch's launch only in the study draft. Forgetting the
/// draft must not forget the launch: it is recorded in `batch_launches` first.
fn adopt_legacy_launch(
    store: &Store,
    mode: AccountMode,
    task: &TaskDraft,
    study: &StudyDraft,
) -> Result<(), StudyStepError> {
    let batch_id = task
        .batch
        .as_ref()
        .and_then(|batch| batch.batch_id.as_deref());
    if let (Some(batch_id), Some(launch)) = (batch_id, study.launch.as_deref())
        && launch.starts_with(&format!("{batch_id}/"))
    {
        store.claim_batch_launch(mode.key(), batch_id, launch)?;
    }
    Ok(())
}
