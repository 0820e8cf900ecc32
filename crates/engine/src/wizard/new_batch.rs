//! Starting a new batch once one is published (or whenever the researcher wants to leave
//! the current one behind). The wizard keeps one set of drafts per mode, so a new batch
//! is new drafts: the data step empty, the batch and the study settings forgotten, and
//! (for "run this task again") the task design kept. Nothing on Prolific is touched, and
//! nothing that protects money is: the published batch keeps its row in
//! `batch_launches` and its `launch_journal`, so its study stays on the Batches page and
//! is never launched a second time.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::record::{self, WizardRecord};
use crate::connection::{AccountMode, Connections};
use crate::keep_out;
use crate::money_lock;
use crate::store::{Store, StoreError};
use crate::study::settings::{AudienceFilter, StudySettings};
use crate::study_step::{StudyDraft, StudyStepError};
use crate::task::TaskDesign;
use crate::task::design::respell_earlier_question_types;
use crate::task_step::TaskDraft;

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
    let design = match keep {
        NewBatch::Empty => None,
        NewBatch::SameTask => record::load(store, mode)?.task.design,
    };
    replace_drafts(store, mode, design, None)
}

/// The wizard's drafts replaced by fresh ones holding `design` and `settings`; the
/// caller holds the money lock.
fn replace_drafts(
    store: &Store,
    mode: AccountMode,
    design: Option<TaskDesign>,
    settings: Option<StudySettings>,
) -> Result<(), StudyStepError> {
    let earlier = record::load(store, mode)?;
    adopt_legacy_launch(store, mode, &earlier.task, &earlier.study)?;
    record::update(store, mode, |record| {
        let study = std::mem::take(&mut record.study);
        *record = WizardRecord {
            task: TaskDraft {
                design,
                ..TaskDraft::default()
            },
            study: StudyDraft {
                settings,
                test_studies: study.test_studies,
                test_participant_email: study.test_participant_email,
                ..StudyDraft::default()
            },
            ..WizardRecord::default()
        };
    })?;
    Ok(())
}

fn design_key(mode: AccountMode, batch_id: &str) -> String {
    format!("{}.design_of.{batch_id}", mode.key())
}

/// Keeps the wizard's task design under its batch when the batch is launched, so the
/// study can be run again with new data after the wizard moved on.
pub(crate) fn remember_design(
    store: &Store,
    mode: AccountMode,
    batch_id: &str,
    design: Option<TaskDesign>,
) -> Result<(), StoreError> {
    if let Some(design) = design {
        store.set_json_setting(&design_key(mode, batch_id), &Some(design))?;
    }
    Ok(())
}

/// The design kept under `batch_id`, its question types spelt today's way when an
/// earlier Batchdesk kept it (`free_text`, see [`respell_earlier_question_types`]). One
/// that does not read is kept aside and told, as any unreadable draft is.
fn kept_design(
    store: &Store,
    mode: AccountMode,
    batch_id: &str,
) -> Result<Option<TaskDesign>, StoreError> {
    let key = design_key(mode, batch_id);
    store.settings_transaction(|settings| {
        let Some(mut kept) = settings.json::<Option<serde_json::Value>>(&key)?.flatten() else {
            return Ok(None);
        };
        respell_earlier_question_types(&mut kept);
        match serde_json::from_value(kept.clone()) {
            Ok(design) => Ok(Some(design)),
            Err(error) => {
                settings.keep_aside(&key, &kept.to_string(), &error.to_string())?;
                settings.delete(&key)?;
                Ok(None)
            }
        }
    })
}

/// "Run again with new data": a new batch in the wizard with the task design and the
/// study settings of `study_id` (as Prolific has them: title, description, time, reward,
/// people per item, devices, project, approval and audience, without the blocks on
/// earlier participants made for that study), and an empty data step for a new file.
/// Nothing on Prolific is touched; the earlier batch and its study stay as they are.
pub async fn start_from_study(
    connections: &Connections,
    study_id: &str,
) -> Result<(), StudyStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let study = client.study(study_id).await?;
    let batch_id = study
        .data_collection_id
        .clone()
        .ok_or(StudyStepError::NoBatch)?;
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let kept = kept_design(store, mode, &batch_id)?;
    let current = record::load(store, mode)?.task;
    let in_wizard = current
        .batch
        .as_ref()
        .and_then(|batch| batch.batch_id.as_deref())
        == Some(batch_id.as_str());
    let design = kept
        .or_else(|| current.design.clone().filter(|_| in_wizard))
        .ok_or(StudyStepError::NoTaskKept)?;
    let people = study
        .data_collection_metadata
        .as_ref()
        .and_then(|metadata| metadata.annotators_per_task)
        .and_then(|people| u32::try_from(people).ok())
        .unwrap_or(3);
    let internal_name = format!(
        "{} ({})",
        study.name.trim(),
        chrono::Utc::now().format("%Y-%m-%d")
    );
    let mut settings = crate::top_up::settings::derived(&study, people, internal_name)
        .ok_or(StudyStepError::NoTaskKept)?;
    settings.filters.retain(|filter| {
        !matches!(filter, AudienceFilter::Select { filter_id, .. }
            if filter_id == keep_out::BLOCKLIST_FILTER)
    });
    replace_drafts(store, mode, Some(design), Some(settings))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::task::design::QuestionKind;

    #[test]
    fn a_design_kept_by_an_earlier_version_reads_in_todays_spelling() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let mode = AccountMode::Practice;
        store
            .set_setting(
                &design_key(mode, "b1"),
                r#"{"format":1,"value":{"title":"Reviews","introduction":"","steps":"",
                    "dataRows":[],"tasksPerGroup":1,"questions":[{"key":"q1",
                    "description":"Sum up","helperText":"","kind":{"type":"free_text",
                    "placeholder":"","minLength":5,"maxLength":null}}]}}"#,
            )
            .unwrap();
        let design = kept_design(&store, mode, "b1").unwrap().unwrap();
        assert!(matches!(
            &design.questions[0].kind,
            QuestionKind::FreeText(text) if text.min_length == Some(5)
        ));
        assert!(store.take_unreadable_notices().unwrap().is_empty());

        // Today's spelling reads as it is; none kept is none.
        remember_design(&store, mode, "b2", Some(design.clone())).unwrap();
        assert_eq!(kept_design(&store, mode, "b2").unwrap(), Some(design));
        assert_eq!(kept_design(&store, mode, "b3").unwrap(), None);
    }

    #[test]
    fn a_kept_design_that_does_not_read_is_kept_aside_and_told() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let mode = AccountMode::Practice;
        let key = design_key(mode, "b1");
        store.set_setting(&key, r#"{"title":12}"#).unwrap();
        assert_eq!(kept_design(&store, mode, "b1").unwrap(), None);
        let told = store.take_unreadable_notices().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].starts_with(&format!("{key}.unreadable.")));
        assert_eq!(store.setting(&key).unwrap(), None);
    }
}
