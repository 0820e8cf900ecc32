//! A study's pilot answers beside its own: kept apart (the default) or merged, as the
//! researcher chooses on the results page.
//!
//! A pilot runs on a copy of the study's batch, on the first rows of the same data, so
//! its tasks and questions have ids of their own. Its answers are placed on the study's
//! items by the data row they were given for (the same cells in every column the two
//! share) and on the study's questions by their wording and type. An answer with no
//! such place (a question reworded after the pilot, a row since removed) is left out
//! and counted, never guessed at.
//!
//! Which pilots ran for a study's batch is recorded in the store when each pilot is
//! launched; the results folder keeps its own copy with the researcher's choice
//! (`pilots.json`), so the results read the same offline.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::ResultsError;
use super::folder::{
    DownloadRecord, EXPORT, read_answers, read_note, read_original, safe_folder_name, write_note,
};
use crate::analysis::{AddedAnswers, OriginalData, QuestionKind, ResponseSet};
use crate::connection::AccountMode;
use crate::csv_doctor;
use crate::store::{Store, StoreError};
use crate::task::checks;

const FILE: &str = "pilots.json";

/// The pilots of one study, as its results folder keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PilotLinks {
    /// Pilot studies run on copies of this study's batch, oldest first.
    pub pilot_studies: Vec<String>,
    /// The researcher chose to count the pilots' answers in these results.
    pub merged: bool,
}

impl PilotLinks {
    pub fn read(folder: &Path) -> Self {
        read_note(folder, FILE)
    }

    pub fn write(&self, folder: &Path) -> std::io::Result<()> {
        write_note(folder, FILE, self)
    }
}

fn key(mode: AccountMode, full_batch_id: &str) -> String {
    format!("{}.pilots_of.{full_batch_id}", mode.key())
}

/// Records that `pilot_study_id` piloted the batch `full_batch_id` (once, in order).
///
/// # Errors
/// When the store cannot be read or written.
pub(crate) fn link_pilot(
    store: &Store,
    mode: AccountMode,
    full_batch_id: &str,
    pilot_study_id: &str,
) -> Result<(), StoreError> {
    link_once(store, &key(mode, full_batch_id), pilot_study_id)
}

/// The pilot studies run for the batch `full_batch_id`, oldest first.
///
/// # Errors
/// When the store cannot be read.
pub(crate) fn pilots_of(
    store: &Store,
    mode: AccountMode,
    full_batch_id: &str,
) -> Result<Vec<String>, StoreError> {
    store.json_setting(&key(mode, full_batch_id))
}

/// What the results page says of the study's pilots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotAnswers {
    /// Pilots run for this study's batch.
    pub pilots: u32,
    /// Of those, pilots whose answers are on this computer (downloaded).
    pub downloaded: u32,
    /// The pilots' answers are counted in these results.
    pub merged: bool,
    /// Pilot answers that have a place in this study (its item and question).
    pub answers: u32,
    /// People who gave them.
    pub people: u32,
    /// Items of this study they were given for.
    pub items: u32,
    /// Pilot answers with no place here (their question or row is not in this study).
    pub left_out: u32,
}

/// The pilots' answers moved onto this study's items and questions: `merged` holds the
/// study's set with them added when the researcher chose so.
pub(super) struct Gathered {
    pub merged: Option<ResponseSet>,
    pub answers: PilotAnswers,
}

/// One pilot's answers as its folder holds them.
pub(super) struct PilotFolder {
    pub responses: ResponseSet,
    pub question_names: HashMap<String, String>,
    pub original: Option<OriginalData>,
}

/// Places each pilot's answers on this study (`responses`, with its data `original`
/// and question names), and merges them when `links.merged`. `pilots` are the pilots
/// whose answers could be read, in order. Tasks `mixed_in` says are known-answer rows or
/// checks take answers but are not counted among the items.
pub(super) fn gather(
    links: &PilotLinks,
    pilots: &[PilotFolder],
    responses: &ResponseSet,
    original: Option<&OriginalData>,
    question_names: &HashMap<String, String>,
    mixed_in: &dyn Fn(&str) -> bool,
) -> Gathered {
    let mut counted = AddedAnswers::default();
    let mut people: HashSet<String> = HashSet::new();
    let mut items: HashSet<String> = HashSet::new();
    let mut merged: Option<ResponseSet> = None;
    for pilot in pilots {
        let tasks = task_places(original, pilot.original.as_ref());
        let questions = question_places(responses, question_names, pilot);
        for question in pilot.responses.questions() {
            for answer in &question.answers {
                let task = tasks.get(pilot.responses.task_id(answer.item));
                match task {
                    Some(task) if questions.contains_key(&question.id) => {
                        counted.added += 1;
                        people.insert(
                            pilot
                                .responses
                                .participant_id(answer.participant)
                                .to_owned(),
                        );
                        if !mixed_in(task) {
                            items.insert(task.clone());
                        }
                    }
                    _ => counted.left_out += 1,
                }
            }
        }
        if links.merged {
            let place = |task: &str, question: &str| {
                Some((tasks.get(task)?.clone(), questions.get(question)?.clone()))
            };
            let (with_pilot, _) = merged
                .as_ref()
                .unwrap_or(responses)
                .with_answers_of(&pilot.responses, place);
            merged = Some(with_pilot);
        }
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let count64 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Gathered {
        merged,
        answers: PilotAnswers {
            pilots: count(links.pilot_studies.len()),
            downloaded: count(pilots.len()),
            merged: links.merged,
            answers: count64(counted.added),
            people: count(people.len()),
            items: count(items.len()),
            left_out: count64(counted.left_out),
        },
    }
}

/// The study's task for each pilot task: the study's row with the same cells in every
/// column of the researcher's both data have (the groups and notes Batchdesk added
/// differ between copies of the same row). A pilot row the study's data does not hold
/// has no place.
fn task_places(
    study: Option<&OriginalData>,
    pilot: Option<&OriginalData>,
) -> HashMap<String, String> {
    let (Some(study), Some(pilot)) = (study, pilot) else {
        return HashMap::new();
    };
    let shared: Vec<(usize, usize)> = study
        .columns
        .iter()
        .enumerate()
        .filter(|(_, column)| !is_added_column(column))
        .filter_map(|(at, column)| {
            let in_pilot = pilot.columns.iter().position(|other| other == column)?;
            Some((at, in_pilot))
        })
        .collect();
    if shared.is_empty() {
        return HashMap::new();
    }
    let mut by_cells: HashMap<Vec<&str>, &str> = HashMap::new();
    for (task, cells) in &study.rows {
        let key = shared
            .iter()
            .map(|&(at, _)| cells.get(at).map_or("", String::as_str))
            .collect();
        // Two identical rows: the first holds the place (either is the same data).
        by_cells.entry(key).or_insert(task.as_str());
    }
    pilot
        .rows
        .iter()
        .filter_map(|(task, cells)| {
            let key: Vec<&str> = shared
                .iter()
                .map(|&(_, at)| cells.get(at).map_or("", String::as_str))
                .collect();
            Some((task.clone(), (*by_cells.get(&key)?).to_owned()))
        })
        .collect()
}

/// The study's question for each pilot question: the one worded the same, of the same
/// type where the study has answers to tell it. A wording two of the study's questions
/// share is ambiguous, and has no place.
fn question_places(
    study: &ResponseSet,
    study_names: &HashMap<String, String>,
    pilot: &PilotFolder,
) -> HashMap<String, String> {
    let mut by_name: HashMap<&str, Option<&str>> = HashMap::new();
    for (id, name) in study_names {
        by_name
            .entry(name.as_str())
            .and_modify(|known| *known = None)
            .or_insert(Some(id.as_str()));
    }
    let study_kind = |id: &str| -> Option<QuestionKind> {
        study
            .questions()
            .iter()
            .find(|question| question.id == id)
            .map(|question| question.kind)
    };
    pilot
        .responses
        .questions()
        .iter()
        .filter_map(|question| {
            let name = pilot.question_names.get(&question.id)?;
            let id = (*by_name.get(name.as_str())?)?;
            if study_kind(id).is_some_and(|kind| kind != question.kind) {
                return None;
            }
            Some((question.id.clone(), id.to_owned()))
        })
        .collect()
}

/// Whether a data column is one Batchdesk or Prolific added (the groups' ids, the
/// notes on mixed-in checks), not the researcher's data.
pub(super) fn is_added_column(name: &str) -> bool {
    let name = name.trim_start_matches('\u{feff}');
    name == csv_doctor::TASK_GROUP_COLUMN_NAME
        || [
            checks::ITEM_COLUMN,
            checks::ROW_COLUMN,
            checks::CHECK_ANSWER_COLUMN,
            checks::QUESTION_COLUMN,
        ]
        .contains(&name)
        || name.starts_with("META_BATCHDESK_")
}

/// Adds `study_id` to the list of studies kept under `key` in the store (a pilot's or
/// a second round's link), once, in order.
pub(super) fn link_once(
    store: &crate::store::Store,
    key: &str,
    study_id: &str,
) -> Result<(), StoreError> {
    let mut studies: Vec<String> = store.json_setting(key)?;
    if !studies.iter().any(|known| known == study_id) {
        studies.push(study_id.to_owned());
        store.set_json_setting(key, &studies)?;
    }
    Ok(())
}

/// The answers of each of `studies` (pilots or second rounds) that were downloaded
/// beside this study's folder. One whose files cannot be read is passed over (and not
/// counted as downloaded): the study's own results never fail because of another's.
pub(super) fn read_pilot_folders(folder: &Path, studies: &[String]) -> Vec<PilotFolder> {
    let Some(root) = folder.parent() else {
        return Vec::new();
    };
    studies
        .iter()
        .filter_map(|study_id| {
            let pilot = root.join(safe_folder_name(study_id));
            if !pilot.join(EXPORT).is_file() {
                return None;
            }
            let read = || -> Result<PilotFolder, ResultsError> {
                let export = read_answers(&pilot, &DownloadRecord::read(&pilot))?;
                Ok(PilotFolder {
                    responses: export.responses,
                    question_names: export.question_names,
                    original: read_original(&pilot)?,
                })
            };
            read()
                .inspect_err(
                    |error| tracing::warn!(%error, study_id, "a pilot's answers could not be read"),
                )
                .ok()
        })
        .collect()
}
