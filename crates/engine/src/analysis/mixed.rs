//! Reading back a batch whose groups carried known answers and attention checks
//! ([`crate::task::checks`]): the hidden notes in the data tell which task was which.
//!
//! - **Checks are not data.** Their answers are scored (did the person choose the
//!   option the item asked for?) and then left out of the table, the agreement and the
//!   tidy CSV.
//! - **A known row's copies are one row.** Every group had its own copy (its own
//!   task), so their answers are put together on the first copy's task: the results
//!   then have one row per line of the researcher's data.

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;

use super::model::{AnswerValue, ResponseSet};
use super::tidy::OriginalData;
use crate::task::checks::{
    CHECK_ANSWER_COLUMN, GROUP_COLUMN, ITEM_COLUMN, ItemKind, QUESTION_COLUMN, ROW_COLUMN,
};

/// What the hidden notes say, by task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MixedNotes {
    /// Check tasks: the option value asked for, and the question's wording.
    checks: HashMap<String, (String, String)>,
    /// Each task of a known row, to the task its answers are put on (the first copy).
    copies: HashMap<String, String>,
    /// The researcher's column of known answers: the hidden column filled on every
    /// known row and on no other row.
    known_column: Option<String>,
    /// The wording of the question the known answers are for.
    known_question: Option<String>,
}

/// One participant's answer to one attention check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    pub participant_id: String,
    pub task_id: String,
    /// The question's wording.
    pub question: String,
    /// The option value the check asked for.
    pub wanted: String,
    /// The option values chosen (empty: not answered).
    pub given: Vec<String>,
    pub passed: bool,
}

impl MixedNotes {
    /// The notes in the report's data; empty for data Batchdesk did not mix.
    #[must_use]
    pub fn read(data: &OriginalData) -> Self {
        let column = |name: &str| data.columns.iter().position(|column| column == name);
        let (Some(item), Some(row)) = (column(ITEM_COLUMN), column(ROW_COLUMN)) else {
            return Self::default();
        };
        let (answer, question) = (column(CHECK_ANSWER_COLUMN), column(QUESTION_COLUMN));
        let cell = |cells: &[String], index: Option<usize>| {
            index
                .and_then(|index| cells.get(index))
                .map(|cell| cell.trim().to_owned())
                .unwrap_or_default()
        };
        let mut notes = Self::default();
        let mut first_copy: HashMap<String, String> = HashMap::new();
        // Hidden columns of the researcher's that may hold the known answers, until a
        // row shows otherwise.
        let mut candidates: Vec<usize> = data
            .columns
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                name.starts_with("META_")
                    && !name.starts_with("META_BATCHDESK_")
                    && *name != GROUP_COLUMN
            })
            .map(|(index, _)| index)
            .collect();
        for (task, cells) in &data.rows {
            let kind = cells.get(item).and_then(|cell| ItemKind::parse(cell));
            let filled = |index: &usize| {
                cells
                    .get(*index)
                    .is_some_and(|cell| !cell.trim().is_empty())
            };
            match kind {
                Some(ItemKind::Known) => candidates.retain(filled),
                Some(ItemKind::Data) => candidates.retain(|index| !filled(index)),
                _ => {}
            }
            match kind {
                Some(ItemKind::Check) => {
                    notes
                        .checks
                        .insert(task.clone(), (cell(cells, answer), cell(cells, question)));
                }
                Some(ItemKind::Known) => {
                    let wording = cell(cells, question);
                    if !wording.is_empty() {
                        notes.known_question = Some(wording);
                    }
                    let line = cell(cells, Some(row));
                    let first = first_copy.entry(line).or_insert_with(|| task.clone());
                    notes.copies.insert(task.clone(), first.clone());
                }
                _ => {}
            }
        }
        if !notes.copies.is_empty() {
            notes.known_column = candidates.first().map(|&index| data.columns[index].clone());
        }
        notes
    }

    /// The column of known answers and the question (by id) they are for, as the
    /// batch was set up, when both can be told.
    #[must_use]
    pub fn known_answers(
        &self,
        question_names: &HashMap<String, String>,
    ) -> Option<(String, String)> {
        let column = self.known_column.clone()?;
        let wording = self.known_question.as_deref()?;
        let question = question_names
            .iter()
            .filter(|(_, name)| name.trim() == wording)
            .map(|(id, _)| id.clone())
            .min()?;
        Some((column, question))
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty() && self.copies.is_empty()
    }

    #[must_use]
    pub fn is_check(&self, task: &str) -> bool {
        self.checks.contains_key(task)
    }

    /// Whether a task is a known-answer row or a check (mixed in, not the researcher's
    /// own row of data).
    #[must_use]
    pub fn is_mixed_in(&self, task: &str) -> bool {
        self.is_check(task) || self.copies.contains_key(task)
    }

    /// The task a task's answers belong on: itself, its known row's first copy, or
    /// `None` for a check.
    #[must_use]
    pub fn place(&self, task: &str) -> Option<String> {
        if self.is_check(task) {
            return None;
        }
        Some(
            self.copies
                .get(task)
                .cloned()
                .unwrap_or_else(|| task.to_owned()),
        )
    }

    /// Whether a task is a known row's later copy (its answers are on the first copy's).
    #[must_use]
    pub fn is_later_copy(&self, task: &str) -> bool {
        self.copies.get(task).is_some_and(|first| first != task)
    }

    /// Every answer given to a check: the question the check names (by wording, else
    /// the choice question answered on it).
    #[must_use]
    pub fn check_outcomes(
        &self,
        set: &ResponseSet,
        question_names: &HashMap<String, String>,
    ) -> Vec<CheckOutcome> {
        let mut outcomes = Vec::new();
        let named = |wording: &str| {
            set.questions().iter().find(|question| {
                question.kind.is_choice()
                    && question_names
                        .get(&question.id)
                        .is_some_and(|name| name.trim() == wording)
            })
        };
        for (task, (wanted, wording)) in &self.checks {
            let Some(item) = set.item(task) else {
                continue;
            };
            let question = named(wording).or_else(|| {
                set.questions().iter().find(|question| {
                    question.kind.is_choice()
                        && question.answers.iter().any(|answer| answer.item == item)
                })
            });
            let Some(question) = question else {
                continue;
            };
            for answer in question.answers.iter().filter(|answer| answer.item == item) {
                let given: Vec<String> = match &answer.value {
                    AnswerValue::Choice { set: chosen, .. } => {
                        set.choice_values(*chosen).map(str::to_owned).collect()
                    }
                    _ => Vec::new(),
                };
                let passed = given.len() == 1 && given[0].trim().eq_ignore_ascii_case(wanted);
                outcomes.push(CheckOutcome {
                    participant_id: set.participant_id(answer.participant).to_owned(),
                    task_id: task.clone(),
                    question: wording.clone(),
                    wanted: wanted.clone(),
                    given,
                    passed,
                });
            }
        }
        outcomes
            .sort_by(|a, b| (&a.participant_id, &a.task_id).cmp(&(&b.participant_id, &b.task_id)));
        outcomes
    }

    /// The answers with the checks left out and each known row's copies put together.
    #[must_use]
    pub fn arrange(&self, set: &ResponseSet) -> ResponseSet {
        set.rearranged(|task, question| Some((self.place(task)?, question.to_owned())))
    }

    /// The data with the checks and the known rows' later copies left out.
    pub fn arrange_data(&self, data: &mut OriginalData) {
        data.rows
            .retain(|(task, _)| !self.is_check(task) && !self.is_later_copy(task));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::model::{NewAnswer, QuestionKind, ResponseSetBuilder};

    #[test]
    fn checks_are_scored_then_left_out_and_known_copies_come_together() {
        let data = OriginalData {
            columns: [
                "text",
                "META_known",
                ITEM_COLUMN,
                ROW_COLUMN,
                CHECK_ANSWER_COLUMN,
                QUESTION_COLUMN,
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: vec![
                (
                    "t1".into(),
                    ["a", "", "data", "row-1", "", ""]
                        .map(str::to_owned)
                        .to_vec(),
                ),
                (
                    "k1".into(),
                    ["b", "negative", "known", "row-2", "", "How does it feel?"]
                        .map(str::to_owned)
                        .to_vec(),
                ),
                (
                    "k2".into(),
                    ["b", "negative", "known", "row-2", "", "How does it feel?"]
                        .map(str::to_owned)
                        .to_vec(),
                ),
                (
                    "c1".into(),
                    [
                        "please choose",
                        "",
                        "check",
                        "",
                        "negative",
                        "How does it feel?",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                ),
            ],
        };
        let notes = MixedNotes::read(&data);
        let mut builder = ResponseSetBuilder::new();
        let choose = |builder: &mut ResponseSetBuilder, task: &str, person: &str, value: &str| {
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
        choose(&mut builder, "t1", "p1", "positive");
        choose(&mut builder, "k1", "p1", "negative");
        choose(&mut builder, "c1", "p1", "negative");
        choose(&mut builder, "k2", "p2", "negative");
        choose(&mut builder, "c1", "p2", "positive");
        let set = builder.finish();
        let names = HashMap::from([("q1".to_owned(), "How does it feel?".to_owned())]);

        assert_eq!(
            notes.known_answers(&names),
            Some(("META_known".to_owned(), "q1".to_owned()))
        );
        let outcomes = notes.check_outcomes(&set, &names);
        let passed: Vec<(&str, bool)> = outcomes
            .iter()
            .map(|outcome| (outcome.participant_id.as_str(), outcome.passed))
            .collect();
        assert_eq!(passed, [("p1", true), ("p2", false)]);
        assert_eq!(outcomes[1].given, ["positive"]);

        let arranged = notes.arrange(&set);
        assert_eq!(arranged.item_count(), 2, "t1 and the known row, once");
        assert!(arranged.item("c1").is_none());
        let known = arranged.item("k1").unwrap();
        let votes = arranged.questions()[0]
            .answers
            .iter()
            .filter(|answer| answer.item == known)
            .count();
        assert_eq!(votes, 2, "both copies' answers are on the first copy");

        let mut data = data;
        notes.arrange_data(&mut data);
        let tasks: Vec<&str> = data.rows.iter().map(|(task, _)| task.as_str()).collect();
        assert_eq!(tasks, ["t1", "k1"]);
    }
}
