//! A study's second rounds ("top ups"): more people on the items its first answers left
//! uncertain, run as studies of their own on copies of its batch, whose answers count in
//! the study's results.
//!
//! Their answers are placed on the study's items and questions as a pilot's are
//! ([`super::pilot_answers`]: the same data row, the same wording), and are always
//! counted in: asking for them was the point. Which rounds ran for a study is recorded
//! in the store at each round's launch; the results folder keeps its own copy
//! (`second-rounds.json`), so the results read the same offline.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::analysis::{Analysis, OriginalData, ResponseSet};
use crate::connection::AccountMode;
use crate::store::{Store, StoreError};
use crate::task::checks;

use super::folder::{read_note, write_note};
use super::pilot_answers::{
    PilotAnswers, PilotFolder, PilotLinks, gather, is_added_column, link_once,
};

const FILE: &str = "second-rounds.json";

/// The second rounds of one study, as its results folder keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RoundLinks {
    /// Second-round studies, oldest first.
    pub studies: Vec<String>,
}

impl RoundLinks {
    pub fn read(folder: &Path) -> Self {
        read_note(folder, FILE)
    }

    pub fn write(&self, folder: &Path) -> std::io::Result<()> {
        write_note(folder, FILE, self)
    }
}

fn key(mode: AccountMode, study_id: &str) -> String {
    format!("{}.second_rounds_of.{study_id}", mode.key())
}

/// Records that `round_study_id` is a second round of `study_id` (once, in order).
///
/// # Errors
/// When the store cannot be read or written.
pub(crate) fn link_second_round(
    store: &Store,
    mode: AccountMode,
    study_id: &str,
    round_study_id: &str,
) -> Result<(), StoreError> {
    link_once(store, &key(mode, study_id), round_study_id)
}

/// The second rounds run for `study_id`, oldest first.
///
/// # Errors
/// When the store cannot be read.
pub(crate) fn second_rounds_of(
    store: &Store,
    mode: AccountMode,
    study_id: &str,
) -> Result<Vec<String>, StoreError> {
    store.json_setting(&key(mode, study_id))
}

/// What the results page says of a study's second rounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SecondRoundAnswers {
    /// Second rounds run for this study.
    pub rounds: u32,
    /// Of those, rounds whose answers are on this computer (downloaded).
    pub downloaded: u32,
    /// Second-round answers counted in these results.
    pub answers: u32,
    /// People who gave them.
    pub people: u32,
    /// Items of this study they were given for.
    pub items: u32,
    /// Answers with no place here (their question or row is not in this study).
    pub left_out: u32,
}

/// The rounds' answers added to the study's `responses`: the merged set (when any
/// round was read) and what the page says of them.
pub(super) fn merge(
    links: &RoundLinks,
    rounds: &[PilotFolder],
    responses: &ResponseSet,
    original: Option<&OriginalData>,
    question_names: &HashMap<String, String>,
    mixed_in: &dyn Fn(&str) -> bool,
) -> (Option<ResponseSet>, SecondRoundAnswers) {
    let as_merged_pilots = PilotLinks {
        pilot_studies: links.studies.clone(),
        merged: true,
    };
    let gathered = gather(
        &as_merged_pilots,
        rounds,
        responses,
        original,
        question_names,
        mixed_in,
    );
    let PilotAnswers {
        pilots,
        downloaded,
        answers,
        people,
        items,
        left_out,
        ..
    } = gathered.answers;
    (
        gathered.merged,
        SecondRoundAnswers {
            rounds: pilots,
            downloaded,
            answers,
            people,
            items,
            left_out,
        },
    )
}

/// How sure the results are of each item.
pub trait ItemConfidence: Send + Sync {
    /// Each item's confidence from 0 to 1, by task id; items it cannot judge (no choice
    /// question answered) are left out.
    fn per_item(&self, responses: &ResponseSet, analysis: &Analysis) -> HashMap<String, f64>;
}

/// The Dawid-Skene consensus's confidence, the number the consensus panel shows: the
/// probability of the item's most likely answer given how reliable each person was,
/// the lowest over an item's choice questions (an item is as uncertain as its most
/// uncertain question). Items whose answer was known are pinned at 1.
#[derive(Clone, Copy, Debug, Default)]
pub struct ModelConfidence;

impl ItemConfidence for ModelConfidence {
    fn per_item(&self, _: &ResponseSet, analysis: &Analysis) -> HashMap<String, f64> {
        let mut lowest: HashMap<String, f64> = HashMap::new();
        for question in &analysis.questions {
            for item in &question.items {
                // The model is fitted to every answered choice question; a question it
                // could not fit (no answer it can count as a class, so no consensus on
                // any of its items) still has a majority vote, and its share keeps the
                // item judged rather than silently left out of the second round.
                let confidence = match (&question.consensus, &item.consensus) {
                    (_, Some(consensus)) => Some(consensus.confidence),
                    (None, None) => item.agreement.majority_share,
                    (Some(_), None) => None,
                };
                let Some(confidence) = confidence else {
                    continue;
                };
                lowest
                    .entry(item.task_id.clone())
                    .and_modify(|known| *known = known.min(confidence))
                    .or_insert(confidence);
            }
        }
        lowest
    }
}

/// The share of people who gave the majority answer, the lowest over an item's choice
/// questions. Not what a second round picks by (that is [`ModelConfidence`]); kept for
/// comparing the two.
#[derive(Clone, Copy, Debug, Default)]
pub struct MajorityShare;

impl ItemConfidence for MajorityShare {
    fn per_item(&self, _: &ResponseSet, analysis: &Analysis) -> HashMap<String, f64> {
        let mut lowest: HashMap<String, f64> = HashMap::new();
        for question in &analysis.questions {
            for item in &question.items {
                let Some(share) = item.agreement.majority_share else {
                    continue;
                };
                lowest
                    .entry(item.task_id.clone())
                    .and_modify(|known| *known = known.min(share))
                    .or_insert(share);
            }
        }
        lowest
    }
}

/// The notes a mixed copy adds after the researcher's columns, in the order
/// [`crate::task::checks::mix`] writes them.
const NOTES: [&str; 5] = [
    checks::GROUP_COLUMN,
    checks::ITEM_COLUMN,
    checks::ROW_COLUMN,
    checks::CHECK_ANSWER_COLUMN,
    checks::QUESTION_COLUMN,
];

/// Extra rows of one group: where in the group each stood, and its cells.
type Extras = Vec<(usize, Vec<String>)>;

/// What each of a study's groups carried besides the researcher's rows: the
/// known-answer rows and attention checks Batchdesk mixed in ([`crate::task::checks`]),
/// read back from the hidden notes in its data. A second round carries the same, so its
/// people are judged as the first study's were.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GroupExtras {
    /// The researcher's rows in a full group.
    pub data_per_group: u32,
    /// Known-answer rows and checks in a group (the most any group had).
    pub known_per_group: u32,
    pub checks_per_group: u32,
    /// Each group's known rows and checks, groups in the data's order: where in its
    /// group each stood, and its cells (the data's columns).
    groups: Vec<Extras>,
}

impl GroupExtras {
    /// The extras of the study whose data is `original` (as downloaded, checks and
    /// every copy of a known row still in it); `None` when nothing was mixed in.
    pub fn read(original: &OriginalData) -> Option<Self> {
        let column = |name: &str| original.columns.iter().position(|column| column == name);
        let (group_at, item_at) = (column(checks::GROUP_COLUMN)?, column(checks::ITEM_COLUMN)?);
        let mut order: Vec<&str> = Vec::new();
        // Each group's count of the researcher's rows, and its extras.
        let mut groups: HashMap<&str, (u32, Extras)> = HashMap::new();
        for (_, cells) in &original.rows {
            let group = cells.get(group_at).map_or("", String::as_str);
            let kind = cells
                .get(item_at)
                .and_then(|cell| checks::ItemKind::parse(cell));
            let entry = groups.entry(group).or_insert_with(|| {
                order.push(group);
                (0, Vec::new())
            });
            let place = entry.0 as usize + entry.1.len();
            match kind {
                Some(checks::ItemKind::Known | checks::ItemKind::Check) => {
                    entry.1.push((place, cells.clone()));
                }
                _ => entry.0 += 1,
            }
        }
        let kind_of = |cells: &[String]| {
            cells
                .get(item_at)
                .and_then(|cell| checks::ItemKind::parse(cell))
        };
        let most = |wanted: checks::ItemKind| {
            groups
                .values()
                .map(|(_, extras)| {
                    extras
                        .iter()
                        .filter(|(_, cells)| kind_of(cells) == Some(wanted))
                        .count()
                })
                .max()
                .unwrap_or(0)
        };
        let extras = Self {
            data_per_group: groups.values().map(|(data, _)| *data).max().unwrap_or(0),
            known_per_group: u32::try_from(most(checks::ItemKind::Known)).unwrap_or(u32::MAX),
            checks_per_group: u32::try_from(most(checks::ItemKind::Check)).unwrap_or(u32::MAX),
            groups: order
                .iter()
                .map(|group| {
                    groups
                        .remove(group)
                        .map(|(_, extras)| extras)
                        .unwrap_or_default()
                })
                .collect(),
        };
        (extras.data_per_group > 0 && extras.groups.iter().any(|extras| !extras.is_empty()))
            .then_some(extras)
    }

    /// The extra rows a round of `groups` groups carries: the study's groups' in turn.
    #[must_use]
    pub fn rows_in(&self, groups: u32) -> u32 {
        (0..groups as usize)
            .map(|group| self.of_group(group).len())
            .sum::<usize>()
            .try_into()
            .unwrap_or(u32::MAX)
    }

    fn of_group(&self, group: usize) -> &[(usize, Vec<String>)] {
        if self.groups.is_empty() {
            return &[];
        }
        &self.groups[group % self.groups.len()]
    }
}

/// Writes the rows of `tasks` from `original` into `target` as a CSV (through a
/// temporary file, so a half-written copy is never taken for the rows): the
/// researcher's columns only, in the data's order. With `extras`, the rows are put in
/// groups of the study's size, each carrying a group's known rows and checks where the
/// study's group had them, with the notes that tell them apart (the data then names
/// its groups). Answers the researcher's rows written.
pub(super) fn write_rows(
    original: &OriginalData,
    tasks: &HashSet<String>,
    extras: Option<&GroupExtras>,
    target: &Path,
) -> std::io::Result<u32> {
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let kept: Vec<usize> = original
        .columns
        .iter()
        .enumerate()
        .filter(|(_, name)| !is_added_column(name))
        .map(|(at, _)| at)
        .collect();
    let notes: Vec<Option<usize>> = NOTES
        .iter()
        .map(|name| original.columns.iter().position(|column| column == name))
        .collect();
    let researchers = |cells: &[String]| -> Vec<String> {
        kept.iter()
            .map(|&at| cells.get(at).cloned().unwrap_or_default())
            .collect()
    };
    let chosen: Vec<&Vec<String>> = original
        .rows
        .iter()
        .filter(|(task, _)| tasks.contains(task))
        .map(|(_, cells)| cells)
        .collect();
    let partial = target.with_extension("csv.partial");
    let mut writer = csv::Writer::from_path(&partial).map_err(std::io::Error::other)?;
    let mut header: Vec<&str> = kept
        .iter()
        .map(|&at| original.columns[at].as_str())
        .collect();
    if extras.is_some() {
        header.extend(NOTES);
    }
    writer
        .write_record(&header)
        .map_err(std::io::Error::other)?;
    match extras {
        None => {
            for cells in &chosen {
                writer
                    .write_record(researchers(cells))
                    .map_err(std::io::Error::other)?;
            }
        }
        Some(extras) => {
            let note = |cells: &[String], which: usize| -> String {
                notes[which]
                    .and_then(|at| cells.get(at))
                    .cloned()
                    .unwrap_or_default()
            };
            let per_group = extras.data_per_group.max(1) as usize;
            for (index, chunk) in chosen.chunks(per_group).enumerate() {
                let group = format!("round-group-{:04}", index + 1);
                let mut rows: Vec<Vec<String>> = chunk
                    .iter()
                    .map(|cells| {
                        let mut row = researchers(cells);
                        row.extend([
                            group.clone(),
                            checks::ItemKind::Data.as_str().to_owned(),
                            note(cells, 2),
                            String::new(),
                            String::new(),
                        ]);
                        row
                    })
                    .collect();
                for (place, cells) in extras.of_group(index) {
                    let mut row = researchers(cells);
                    row.push(group.clone());
                    row.extend((1..NOTES.len()).map(|which| note(cells, which)));
                    rows.insert((*place).min(rows.len()), row);
                }
                for row in &rows {
                    writer.write_record(row).map_err(std::io::Error::other)?;
                }
            }
        }
    }
    writer.flush()?;
    drop(writer);
    std::fs::rename(&partial, target)?;
    Ok(u32::try_from(chosen.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Two people who always agree and a third who always differs: the model trusts
    /// the two, so a 2-to-1 item is near certain, though only two thirds agree.
    #[test]
    fn the_confidence_is_the_consensus_models_not_the_majority_share() {
        use crate::analysis::model::{NewAnswer, QuestionKind, ResponseSetBuilder};
        use crate::analysis::{AnalysisOptions, analyse};

        let mut builder = ResponseSetBuilder::new();
        let mut choose = |task: &str, person: &str, value: &str| {
            builder.add(
                task,
                "q1",
                QuestionKind::MultipleChoice,
                person,
                NewAnswer::Choice {
                    values: &[value],
                    explanations: &[],
                },
            );
        };
        for item in 0..12 {
            let (right, wrong) = if item % 2 == 0 {
                ("a", "b")
            } else {
                ("b", "a")
            };
            let task = format!("t{item}");
            choose(&task, "careful-1", right);
            choose(&task, "careful-2", right);
            choose(&task, "contrary", wrong);
        }
        let set = builder.finish();
        let analysis = analyse(&set, &AnalysisOptions::default());
        let model = ModelConfidence.per_item(&set, &analysis);
        let shares = MajorityShare.per_item(&set, &analysis);
        assert_eq!(model.len(), 12);
        for item in &analysis.questions[0].items {
            let shown = item.consensus.as_ref().unwrap().confidence;
            assert!((model[&item.task_id] - shown).abs() < f64::EPSILON);
            assert!(shown > 0.9, "{shown}");
            assert!((shares[&item.task_id] - 2.0 / 3.0).abs() < 1e-9);
        }
        assert!(
            model.values().all(|&confidence| confidence >= 0.7),
            "no item below 70 %, where the majority share puts all of them"
        );
    }

    #[test]
    fn the_rows_written_keep_the_researchers_columns_and_leave_out_batchdesks_notes() {
        let original = OriginalData {
            columns: vec![
                "text".to_owned(),
                "META_TASK_GROUP_ID".to_owned(),
                "META_BATCHDESK_ITEM".to_owned(),
                "META_truth".to_owned(),
            ],
            rows: vec![
                (
                    "t1".to_owned(),
                    vec!["a".into(), "g1".into(), "1".into(), "pos".into()],
                ),
                (
                    "t2".to_owned(),
                    vec!["b".into(), "g1".into(), "2".into(), "neg".into()],
                ),
                (
                    "t3".to_owned(),
                    vec!["c".into(), "g2".into(), "3".into(), "neg".into()],
                ),
            ],
        };
        let dir = batchdesk_test_support::temp_folder();
        let target = dir.path().join("rows.csv");
        let tasks: HashSet<String> = ["t3".to_owned(), "t1".to_owned()].into();
        assert_eq!(write_rows(&original, &tasks, None, &target).unwrap(), 2);
        let text = std::fs::read_to_string(&target).unwrap();
        assert_eq!(text, "text,META_truth\na,pos\nc,neg\n");
    }
}
