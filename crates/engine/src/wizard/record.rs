//! The wizard's state as one typed, versioned record per mode: the data (step 1), the
//! task design and its batch (step 2), the study settings and the test runs (step 3).
//! Kept as one JSON setting, `<mode>.wizard`, and changed in one transaction at a time.
//!
//! Earlier versions kept three drafts, `<mode>.draft.data`, `.task` and `.study`: the
//! first read of the record moves them into it, in the same transaction, and forgets
//! them, so nothing saved before is lost (a draft among them that does not read is kept
//! aside and told, as any unreadable draft is).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::connection::AccountMode;
use crate::data_step::DataDraft;
use crate::step_draft::StepDraft;
use crate::store::{SettingsTransaction, Store, StoreError};
use crate::study_step::StudyDraft;
use crate::task::design::respell_earlier_question_types;
use crate::task_step::TaskDraft;

/// The record's shape this version writes. A record of a newer shape does not read, so
/// it is kept aside rather than guessed at; one of an earlier shape is brought up to this
/// one as it is read ([`bring_up_to_date`]).
///
/// 2: the task design's question types are camelCase (`freeText`), as on the IPC; 1
/// spelt them as Prolific does (`free_text`).
pub const RECORD_VERSION: u32 = 2;

/// The wizard's state in one mode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WizardRecord {
    /// The shape it was written in ([`RECORD_VERSION`]).
    pub version: u32,
    #[serde(default)]
    pub data: DataDraft,
    #[serde(default)]
    pub task: TaskDraft,
    #[serde(default)]
    pub study: StudyDraft,
}

impl Default for WizardRecord {
    fn default() -> Self {
        Self {
            version: RECORD_VERSION,
            data: DataDraft::default(),
            task: TaskDraft::default(),
            study: StudyDraft::default(),
        }
    }
}

impl WizardRecord {
    /// The batch the wizard holds (made, or being made), if any.
    #[must_use]
    pub fn batch_id(&self) -> Option<String> {
        self.task
            .batch
            .as_ref()
            .and_then(|batch| batch.batch_id.clone())
    }

    /// The free test copies made by test runs, left out of the Batches page.
    #[must_use]
    pub fn test_studies(&self) -> Vec<String> {
        self.study.test_studies.clone()
    }
}

fn key(mode: AccountMode) -> String {
    format!("{}.wizard", mode.key())
}

/// Where earlier versions kept each step's draft.
fn earlier_key(mode: AccountMode, step: &str) -> String {
    format!("{}.draft.{step}", mode.key())
}

/// The record as kept, moving an earlier version's drafts into it the first time.
fn read(settings: &SettingsTransaction<'_>, mode: AccountMode) -> Result<WizardRecord, StoreError> {
    match settings.json::<serde_json::Value>(&key(mode))? {
        Some(kept) => read_parts(settings, mode, &kept),
        None => move_earlier_drafts(settings, mode),
    }
}

/// Each step's part of a kept record. A part that does not read is kept aside and told,
/// as a step's draft was before the record, under the name that draft had; the other
/// parts stay. A record of a newer shape is kept aside whole.
fn read_parts(
    settings: &SettingsTransaction<'_>,
    mode: AccountMode,
    kept: &serde_json::Value,
) -> Result<WizardRecord, StoreError> {
    let version = kept.get("version").and_then(serde_json::Value::as_u64);
    if version.is_none_or(|version| version > u64::from(RECORD_VERSION)) {
        let reason = format!("a wizard record of version {version:?}, from a newer Batchdesk");
        settings.keep_aside(&key(mode), &kept.to_string(), &reason)?;
        settings.delete(&key(mode))?;
        return Ok(WizardRecord::default());
    }
    let earlier = version.is_some_and(|version| version < u64::from(RECORD_VERSION));
    let mut kept = kept.clone();
    if let Some(version) = version {
        bring_up_to_date(&mut kept, version);
    }
    let mut damaged = false;
    let record = WizardRecord {
        version: RECORD_VERSION,
        data: read_part(settings, mode, &kept, "data", &mut damaged)?,
        task: read_part(settings, mode, &kept, "task", &mut damaged)?,
        study: read_part(settings, mode, &kept, "study", &mut damaged)?,
    };
    if damaged || earlier {
        settings.set_json(&key(mode), &record)?;
    }
    Ok(record)
}

/// Rewrites a record (or the three drafts before it, as version 0) kept in `version`
/// into this version's shape, before its parts are read.
fn bring_up_to_date(record: &mut serde_json::Value, version: u64) {
    if version < 2
        && let Some(design) = record.pointer_mut("/task/design")
    {
        respell_earlier_question_types(design);
    }
}

/// One part, or its default after keeping it aside when it does not read.
fn read_part<T: DeserializeOwned + Default>(
    settings: &SettingsTransaction<'_>,
    mode: AccountMode,
    kept: &serde_json::Value,
    name: &str,
    damaged: &mut bool,
) -> Result<T, StoreError> {
    let Some(value) = kept.get(name).filter(|value| !value.is_null()) else {
        return Ok(T::default());
    };
    match serde_json::from_value(value.clone()) {
        Ok(part) => Ok(part),
        Err(error) => {
            let text = value.to_string();
            settings.keep_aside(&earlier_key(mode, name), &text, &error.to_string())?;
            *damaged = true;
            Ok(T::default())
        }
    }
}

/// The record made from an earlier version's three drafts, which are then forgotten.
fn move_earlier_drafts(
    settings: &SettingsTransaction<'_>,
    mode: AccountMode,
) -> Result<WizardRecord, StoreError> {
    let steps = ["data", "task", "study"];
    let earlier = steps.map(|step| earlier_key(mode, step));
    let mut kept = serde_json::Map::new();
    for (step, key) in steps.iter().zip(&earlier) {
        if let Some(draft) = settings.json::<serde_json::Value>(key)? {
            kept.insert((*step).to_owned(), draft);
        }
    }
    let mut kept = serde_json::Value::Object(kept);
    bring_up_to_date(&mut kept, 0);
    // A draft that does not read is kept aside under its own name by `read_part`.
    let mut damaged = false;
    let record = WizardRecord {
        version: RECORD_VERSION,
        data: read_part(settings, mode, &kept, "data", &mut damaged)?,
        task: read_part(settings, mode, &kept, "task", &mut damaged)?,
        study: read_part(settings, mode, &kept, "study", &mut damaged)?,
    };
    if record != WizardRecord::default() {
        settings.set_json(&key(mode), &record)?;
    }
    for old in &earlier {
        settings.delete(old)?;
    }
    Ok(record)
}

/// The wizard's record in `mode`.
pub fn load(store: &Store, mode: AccountMode) -> Result<WizardRecord, StoreError> {
    store.settings_transaction(|settings| read(settings, mode))
}

/// Changes the record as it is kept now, in one transaction; answers what `change` does.
pub fn update<R>(
    store: &Store,
    mode: AccountMode,
    change: impl FnOnce(&mut WizardRecord) -> R,
) -> Result<R, StoreError> {
    store.settings_transaction(|settings| {
        let mut record = read(settings, mode)?;
        let answer = change(&mut record);
        record.version = RECORD_VERSION;
        settings.set_json(&key(mode), &record)?;
        Ok(answer)
    })
}

/// One step's part of the record, handed to that step.
#[derive(Clone)]
pub struct Part<T: 'static> {
    store: Store,
    mode: AccountMode,
    pick: fn(&mut WizardRecord) -> &mut T,
}

impl<T: Clone + Send + Sync> StepDraft<T> for Part<T> {
    fn read(&self) -> Result<T, StoreError> {
        let mut record = load(&self.store, self.mode)?;
        Ok((self.pick)(&mut record).clone())
    }

    fn change(&self, change: &mut dyn FnMut(&mut T)) -> Result<T, StoreError> {
        update(&self.store, self.mode, |record| {
            let part = (self.pick)(record);
            change(part);
            part.clone()
        })
    }
}

/// Step 1's part: the data file and its dataset.
pub fn data(store: &Store, mode: AccountMode) -> Part<DataDraft> {
    Part {
        store: store.clone(),
        mode,
        pick: |record| &mut record.data,
    }
}

/// Step 2's part: the task design and the batch made from it.
pub fn task(store: &Store, mode: AccountMode) -> Part<TaskDraft> {
    Part {
        store: store.clone(),
        mode,
        pick: |record| &mut record.task,
    }
}

/// Step 3's part: the study settings, the launch an earlier version kept, test runs.
pub fn study(store: &Store, mode: AccountMode) -> Part<StudyDraft> {
    Part {
        store: store.clone(),
        mode,
        pick: |record| &mut record.study,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::study::settings::{Approval, Device};

    /// Drafts as version 0.x saved them: three settings, the first without a format.
    #[test]
    fn an_earlier_versions_three_drafts_move_into_the_record_whole() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        store
            .set_setting(
                "practice.draft.data",
                r#"{"sourcePath":"/home/r/reviews.csv","workingPath":"/home/r/reviews.csv",
                    "datasetId":"ds1","uploadedPath":"/home/r/reviews.csv",
                    "readyRows":12,"ready":true}"#,
            )
            .unwrap();
        store
            .set_setting(
                "practice.draft.task",
                r#"{"format":1,"value":{"design":null,"batch":{"name":"Reviews (Batchdesk)",
                    "batchId":"b1","datasetId":"ds1","sent":"{}","ready":
                    {"batchId":"b1","totalTasks":12,"totalGroups":4}}}}"#,
            )
            .unwrap();
        store
            .set_setting(
                "practice.draft.study",
                r#"{"format":1,"value":{"settings":null,"launch":"b1/1700000000000",
                    "recommendedHourly":900,"minimumHourly":600,"currency":"GBP",
                    "testRunRefused":null,"testStudies":["t1"],
                    "testParticipantEmail":"tester@example.org"}}"#,
            )
            .unwrap();
        store
            .set_json_setting("prolific.draft.study", &StudyDraft::default())
            .unwrap();

        let record = load(&store, AccountMode::Practice).unwrap();
        assert_eq!(record.data.dataset_id.as_deref(), Some("ds1"));
        assert_eq!(record.data.ready_rows, Some(12));
        assert!(record.data.ready);
        let batch = record.task.batch.clone().unwrap();
        assert_eq!(batch.batch_id.as_deref(), Some("b1"));
        assert_eq!(batch.ready.unwrap().total_groups, Some(4));
        assert_eq!(record.study.launch.as_deref(), Some("b1/1700000000000"));
        assert_eq!(record.study.test_studies, vec!["t1".to_owned()]);
        assert_eq!(
            record.study.test_participant_email.as_deref(),
            Some("tester@example.org")
        );
        assert_eq!(record.study.recommended_hourly, Some(900));

        // Moved, not copied: the old drafts are gone and the record is what is kept.
        for step in ["data", "task", "study"] {
            assert_eq!(
                store.setting(&format!("practice.draft.{step}")).unwrap(),
                None
            );
        }
        assert!(store.setting("practice.wizard").unwrap().is_some());
        assert_eq!(load(&store, AccountMode::Practice).unwrap(), record);
        // The other mode's drafts are its own.
        assert!(store.setting("prolific.draft.study").unwrap().is_some());
        assert!(store.take_unreadable_notices().unwrap().is_empty());
    }

    /// A task design as version 1 kept it: every question type in Prolific's snake_case.
    const DESIGN_OF_VERSION_1: &str = r#"{"title":"Reviews","introduction":"","steps":"",
        "dataRows":[{"columns":["text"]}],"tasksPerGroup":2,"questions":[
        {"key":"q1","description":"Mood?","helperText":"","kind":{"type":"multiple_choice",
          "options":[{"label":"Good","value":"good","exclusive":false,"heading":""}],
          "answerLimit":1,"allowDropdown":true,"placeholder":""}},
        {"key":"q2","description":"Why?","helperText":"","kind":{
          "type":"multiple_choice_with_free_text","options":[{"label":"Typos",
          "value":"typos","exclusive":false,"heading":"Which?"}],"answerLimit":-1,
          "allowDropdown":false,"placeholder":""}},
        {"key":"q3","description":"Sum up","helperText":"","kind":{"type":"free_text",
          "placeholder":"","minLength":null,"maxLength":200}},
        {"key":"q4","description":"Weight?","helperText":"","kind":{
          "type":"free_text_with_unit","placeholder":"","units":[{"label":"kg","value":"kg"}],
          "unitPosition":"suffix","defaultUnit":"kg","minValue":0.0,"maxValue":null}},
        {"key":"q5","description":"A photo","helperText":"","kind":{"type":"file_upload",
          "acceptedFileTypes":[".jpg"],"maxFileSizeMb":5,"minFileCount":1,"maxFileCount":2}}]}"#;

    /// Study settings as version 1 kept them (their values read the same today).
    const SETTINGS_OF_VERSION_1: &str = r#"{"title":"Rate reviews","description":"Read",
        "internalName":"reviews","estimatedMinutes":5,"maxMinutes":null,"reward":100,
        "peoplePerItem":3,"devices":["desktop","mobile"],"projectId":null,
        "approval":"review","filters":[
        {"kind":"select","filterId":"current-country-of-residence","values":["1"]},
        {"kind":"range","filterId":"age","lower":18.0,"upper":null}]}"#;

    fn question_types(design: &crate::task::design::TaskDesign) -> Vec<String> {
        design
            .questions
            .iter()
            .map(|question| serde_json::to_value(&question.kind).unwrap()["type"].to_string())
            .collect()
    }

    const TODAYS_TYPES: [&str; 5] = [
        "\"multipleChoice\"",
        "\"multipleChoiceWithFreeText\"",
        "\"freeText\"",
        "\"freeTextWithUnit\"",
        "\"fileUpload\"",
    ];

    #[test]
    fn a_version_1_record_reads_whole_and_is_kept_in_todays_spelling() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let record_of_version_1 = format!(
            r#"{{"format":1,"value":{{"version":1,"data":{{"datasetId":"ds1","ready":true}},
                "task":{{"design":{DESIGN_OF_VERSION_1},"batch":null}},
                "study":{{"settings":{SETTINGS_OF_VERSION_1},"testStudies":["t1"]}}}}}}"#
        );
        store
            .set_setting("practice.wizard", &record_of_version_1)
            .unwrap();

        let record = load(&store, AccountMode::Practice).unwrap();
        assert!(store.take_unreadable_notices().unwrap().is_empty());
        assert_eq!(record.version, RECORD_VERSION);
        assert_eq!(record.data.dataset_id.as_deref(), Some("ds1"));
        let design = record.task.design.clone().unwrap();
        assert_eq!(question_types(&design), TODAYS_TYPES);
        assert_eq!(design.questions[2].description, "Sum up");
        let settings = record.study.settings.clone().unwrap();
        assert_eq!(settings.devices, [Device::Desktop, Device::Mobile]);
        assert_eq!(settings.approval, Approval::Review);
        assert_eq!(settings.filters.len(), 2);
        assert_eq!(record.study.test_studies, vec!["t1".to_owned()]);

        // Kept in this version's shape at once, so it is not read the old way again.
        let kept = store.setting("practice.wizard").unwrap().unwrap();
        let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
        assert_eq!(kept["value"]["version"], serde_json::json!(RECORD_VERSION));
        assert_eq!(
            kept["value"]["task"]["design"]["questions"][2]["kind"]["type"],
            serde_json::json!("freeText")
        );
        assert_eq!(load(&store, AccountMode::Practice).unwrap(), record);
    }

    #[test]
    fn an_earlier_versions_task_draft_moves_in_todays_spelling() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        store
            .set_setting(
                "practice.draft.task",
                &format!(r#"{{"format":1,"value":{{"design":{DESIGN_OF_VERSION_1}}}}}"#),
            )
            .unwrap();
        store
            .set_setting(
                "practice.draft.study",
                &format!(r#"{{"settings":{SETTINGS_OF_VERSION_1}}}"#),
            )
            .unwrap();

        let record = load(&store, AccountMode::Practice).unwrap();
        assert!(store.take_unreadable_notices().unwrap().is_empty());
        assert_eq!(
            question_types(&record.task.design.clone().unwrap()),
            TODAYS_TYPES
        );
        assert_eq!(record.study.settings.unwrap().approval, Approval::Review);
        assert_eq!(store.setting("practice.draft.task").unwrap(), None);
    }

    #[test]
    fn an_unreadable_earlier_draft_is_kept_aside_and_the_others_still_move() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        store
            .set_setting("practice.draft.task", "{\"design\":")
            .unwrap();
        store
            .set_json_setting(
                "practice.draft.study",
                &StudyDraft {
                    test_studies: vec!["t9".into()],
                    ..StudyDraft::default()
                },
            )
            .unwrap();
        let record = load(&store, AccountMode::Practice).unwrap();
        assert_eq!(record.study.test_studies, vec!["t9".to_owned()]);
        assert_eq!(record.task, TaskDraft::default());
        let told = store.take_unreadable_notices().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].starts_with("practice.draft.task.unreadable."));
        assert_eq!(
            store.setting(&told[0]).unwrap().as_deref(),
            Some("{\"design\":")
        );
    }

    #[test]
    fn a_record_from_a_newer_batchdesk_is_kept_aside_not_guessed_at() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let newer = format!(r#"{{"data":{{}},"version":{}}}"#, RECORD_VERSION + 1);
        store
            .set_setting(
                "practice.wizard",
                &format!(r#"{{"format":1,"value":{newer}}}"#),
            )
            .unwrap();
        assert_eq!(
            load(&store, AccountMode::Practice).unwrap(),
            WizardRecord::default()
        );
        let told = store.take_unreadable_notices().unwrap();
        assert!(told[0].starts_with("practice.wizard.unreadable."));
        assert_eq!(
            store.setting(&told[0]).unwrap().as_deref(),
            Some(newer.as_str())
        );
    }

    #[test]
    fn a_part_that_does_not_read_is_kept_aside_and_the_others_stay() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let mode = AccountMode::Practice;
        data(&store, mode)
            .change(&mut |draft| draft.dataset_id = Some("ds".into()))
            .unwrap();
        let kept = store.setting("practice.wizard").unwrap().unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&kept).unwrap();
        value["value"]["study"] = serde_json::json!({ "settings": { "title": 12 } });
        store
            .set_setting("practice.wizard", &value.to_string())
            .unwrap();

        let record = load(&store, mode).unwrap();
        assert_eq!(record.data.dataset_id.as_deref(), Some("ds"));
        assert_eq!(record.study, StudyDraft::default());
        let told = store.take_unreadable_notices().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].starts_with("practice.draft.study.unreadable."));
        assert_eq!(
            store.setting(&told[0]).unwrap().as_deref(),
            Some(r#"{"settings":{"title":12}}"#)
        );
        load(&store, mode).unwrap();
        assert!(
            store.take_unreadable_notices().unwrap().is_empty(),
            "told once"
        );
    }

    #[test]
    fn each_step_changes_its_own_part_and_keeps_the_others() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let mode = AccountMode::Practice;
        data(&store, mode)
            .change(&mut |draft| draft.dataset_id = Some("ds".into()))
            .unwrap();
        study(&store, mode)
            .change(&mut |draft| draft.currency = Some("GBP".into()))
            .unwrap();
        task(&store, mode)
            .change(&mut |draft| draft.set_up_on_other_data = false)
            .unwrap();
        let record = load(&store, mode).unwrap();
        assert_eq!(record.data.dataset_id.as_deref(), Some("ds"));
        assert_eq!(record.study.currency.as_deref(), Some("GBP"));
    }
}
