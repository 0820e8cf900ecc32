//! Known answers and attention checks mixed into every participant's group.
//!
//! Prolific's AI Task Builder groups tasks itself unless the data names the groups
//! (`META_TASK_GROUP_ID`). To put the same known-answer rows and a check item into every
//! group, Batchdesk writes a copy of the researcher's data in which it names the groups
//! itself: the researcher's rows in groups of `tasks_per_group`, each group joined by
//! `known_per_group` rows whose answer is known (taken in turn, so every known row is
//! used about equally) and by `checks_per_group` attention checks. The copy goes up as
//! its own dataset when the batch is set up; the researcher's file is never changed.
//!
//! Hidden columns added to the copy tell the results which item was which:
//! [`ITEM_COLUMN`] (`data`, `known` or `check`), [`ROW_COLUMN`] (`row-N`, the line of the
//! researcher's data, counting its rows from 1) and, on checks, [`CHECK_ANSWER_COLUMN`]
//! (the option value asked for) and, on checks and known rows, [`QUESTION_COLUMN`] (the
//! wording of the question they concern).
//! Values are written so that none can be mistaken for an option value of a rating
//! (the practice server reads hidden columns holding an option value as the row's truth).
//!
//! **The checks follow Prolific's attention-check policy**, which allows instructional
//! checks: the item itself tells the participant, in plain words, exactly which option
//! to choose for a named question. It is in the item (not only in the instructions
//! above), needs no knowledge or memory, and is in the same font as every other item.
//! Under that policy a participant in a study of 5 minutes or longer must fail at least
//! two checks before a failed check is grounds for rejection; see
//! `analysis::scorecard` for how the review applies it.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use specta::Type;

pub use super::design::QualityChecks;
use super::design::{Question, QuestionKind, TaskDesign};
use crate::data_step::SchemaProblem;
use crate::text;

/// The hidden column naming each item's kind in the mixed copy.
pub const ITEM_COLUMN: &str = "META_BATCHDESK_ITEM";
/// The hidden column naming the line of the researcher's data an item came from.
pub const ROW_COLUMN: &str = "META_BATCHDESK_ROW";
/// On a check: the option value the check asks for.
pub const CHECK_ANSWER_COLUMN: &str = "META_BATCHDESK_CHECK";
/// On a check or a known row: the wording of the question it concerns.
pub const QUESTION_COLUMN: &str = "META_BATCHDESK_QUESTION";
/// Prolific's column for groups the data names itself.
pub const GROUP_COLUMN: &str = "META_TASK_GROUP_ID";

/// The most known rows or checks one group may carry: beyond this the extra items
/// outweigh the work, and participants notice the repeats.
pub const MOST_PER_GROUP: u32 = 5;

/// The kind of an item in the mixed copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Data,
    Known,
    Check,
}

impl ItemKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Data => "data",
            Self::Known => "known",
            Self::Check => "check",
        }
    }

    #[must_use]
    pub fn parse(cell: &str) -> Option<Self> {
        match cell.trim() {
            "data" => Some(Self::Data),
            "known" => Some(Self::Known),
            "check" => Some(Self::Check),
            _ => None,
        }
    }
}

/// The question the checks ask about: the chosen one, else the first that offers
/// options. `None` when the design has no choice question.
#[must_use]
pub fn check_question<'a>(design: &'a TaskDesign, checks: &QualityChecks) -> Option<&'a Question> {
    let has_options = |question: &&Question| {
        matches!(
            question.kind,
            QuestionKind::MultipleChoice(_) | QuestionKind::MultipleChoiceWithFreeText(_)
        )
    };
    match &checks.check_question {
        Some(key) => design
            .questions
            .iter()
            .filter(has_options)
            .find(|question| question.key == *key),
        None => design.questions.iter().find(has_options),
    }
}

/// The sentence a check item shows in place of the data: an explicit instruction,
/// naming the question and the option to choose.
#[must_use]
pub fn check_sentence(question: &str, option_label: &str) -> String {
    format!(
        "This item checks that answers are given with care. For the question \"{}\", please choose \"{}\".",
        question.trim(),
        option_label.trim()
    )
}

/// How a mixed copy came out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MixSummary {
    pub groups: u32,
    /// The researcher's rows placed in groups (known-answer rows are not among them).
    pub data_rows: u32,
    /// Rows with a known answer, used in turn across the groups.
    pub known_rows: u32,
    /// Items in the copy: every group's data, known rows and checks.
    pub items: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum MixError {
    Read(#[from] csv::Error),
    Write(#[from] std::io::Error),
    DataNamesGroups,
    NoColumn(String),
    NoKnownRows(String),
    TooFewKnownRows { have: u32, want: u32 },
    NoChoiceQuestion,
    NoDataRows,
    Schema(SchemaProblem),
    ReservedColumn(String),
}

impl MixError {
    /// What the researcher reads, from the catalogue.
    #[must_use]
    pub fn text(&self) -> text::Text {
        match self {
            Self::Read(reason) => text!("errors:taskStep.mix.read", reason = reason.to_string()),
            Self::Write(reason) => text!("errors:taskStep.mix.write", reason = reason.to_string()),
            Self::DataNamesGroups => text!("errors:taskStep.mix.dataNamesGroups"),
            Self::NoColumn(column) => text!("errors:taskStep.mix.noColumn", column = column),
            Self::NoKnownRows(column) => text!("errors:taskStep.mix.noKnownRows", column = column),
            Self::TooFewKnownRows { have, want } => {
                text!(
                    "errors:taskStep.mix.tooFewKnownRows",
                    have = have,
                    want = want
                )
            }
            Self::NoChoiceQuestion => text!("errors:taskStep.mix.noChoiceQuestion"),
            Self::NoDataRows => text!("errors:taskStep.mix.noDataRows"),
            Self::Schema(problem) => match problem {
                SchemaProblem::Unreadable(reason) => {
                    text!("errors:taskStep.mix.schema.unreadable", reason = reason)
                }
                SchemaProblem::NoColumns => text!("errors:taskStep.mix.schema.noColumns"),
                SchemaProblem::TooManyColumns { count } => {
                    text!("errors:taskStep.mix.schema.tooManyColumns", count = count)
                }
                SchemaProblem::NameLength { name } => {
                    text!("errors:taskStep.mix.schema.nameLength", name = name)
                }
                SchemaProblem::RepeatedName { name } => {
                    text!("errors:taskStep.mix.schema.repeatedName", name = name)
                }
            },
            Self::ReservedColumn(column) => {
                text!("errors:taskStep.mix.reservedColumn", column = column)
            }
        }
    }
}

/// Writes the mixed copy of the CSV read from `input` into `output`.
///
/// # Errors
/// When the data cannot be read, or the choice does not fit it (see [`MixError`]).
pub fn mix(
    input: impl Read,
    output: impl Write,
    design: &TaskDesign,
    checks: &QualityChecks,
) -> Result<MixSummary, MixError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    if header.iter().any(|name| name == GROUP_COLUMN) {
        return Err(MixError::DataNamesGroups);
    }
    for reserved in [
        ITEM_COLUMN,
        ROW_COLUMN,
        CHECK_ANSWER_COLUMN,
        QUESTION_COLUMN,
    ] {
        if header.iter().any(|name| name == reserved) {
            return Err(MixError::ReservedColumn(reserved.to_owned()));
        }
    }
    let known_index = match (&checks.known_column, checks.known_per_group) {
        (Some(column), wanted) if wanted > 0 => Some(
            header
                .iter()
                .position(|name| name == column)
                .ok_or_else(|| MixError::NoColumn(column.clone()))?,
        ),
        _ => None,
    };
    let question = if checks.checks_per_group > 0 {
        Some(check_question(design, checks).ok_or(MixError::NoChoiceQuestion)?)
    } else {
        None
    };

    let mut data = Vec::new();
    let mut known = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record?;
        let mut cells: Vec<String> = record.iter().map(str::to_owned).collect();
        cells.resize(header.len(), String::new());
        let line = index + 1;
        match known_index {
            Some(column) if !cells[column].trim().is_empty() => known.push((line, cells)),
            _ => data.push((line, cells)),
        }
    }
    if let (Some(column), true) = (&checks.known_column, known_index.is_some()) {
        if known.is_empty() {
            return Err(MixError::NoKnownRows(column.clone()));
        }
        if known.len() < checks.known_per_group as usize {
            return Err(MixError::TooFewKnownRows {
                have: u32::try_from(known.len()).unwrap_or(u32::MAX),
                want: checks.known_per_group,
            });
        }
    }
    if data.is_empty() {
        return Err(MixError::NoDataRows);
    }

    let shown = shown_text_columns(design, &header);
    // The question the known answers are for, by wording, so the results can find it.
    let known_wording = checks
        .known_question
        .as_ref()
        .and_then(|key| {
            design
                .questions
                .iter()
                .find(|question| question.key == *key)
        })
        .map_or("", |question| question.description.as_str());
    let per_group = design.tasks_per_group.max(1) as usize;
    let known_each = if known_index.is_some() {
        checks.known_per_group as usize
    } else {
        0
    };

    let mut writer = csv::Writer::from_writer(output);
    let mut out_header = header.clone();
    out_header.extend(
        [
            GROUP_COLUMN,
            ITEM_COLUMN,
            ROW_COLUMN,
            CHECK_ANSWER_COLUMN,
            QUESTION_COLUMN,
        ]
        .map(str::to_owned),
    );
    writer.write_record(&out_header)?;

    let mut items = 0_u32;
    let mut groups = 0_u32;
    for (group_index, chunk) in data.chunks(per_group).enumerate() {
        let group = format!("group-{:04}", group_index + 1);
        let mut rows: Vec<Vec<String>> = chunk
            .iter()
            .map(|(line, cells)| with_notes(cells, &group, ItemKind::Data, Some(*line), "", ""))
            .collect();
        let mut extra: Vec<Vec<String>> = Vec::new();
        for turn in 0..known_each {
            let (line, cells) = &known[(group_index * known_each + turn) % known.len()];
            extra.push(with_notes(
                cells,
                &group,
                ItemKind::Known,
                Some(*line),
                "",
                known_wording,
            ));
        }
        if let Some(question) = question {
            let options = choice_options(question);
            for turn in 0..checks.checks_per_group as usize {
                // A different option in turn, so that choosing the same option every
                // time never passes every check.
                let (label, value) = &options[(group_index + turn + 1) % options.len()];
                let mut cells = vec![String::new(); header.len()];
                let sentence = check_sentence(&question.description, label);
                for (place, &column) in shown.iter().enumerate() {
                    cells[column] = if place == 0 {
                        sentence.clone()
                    } else {
                        "(see the item beside this one)".to_owned()
                    };
                }
                extra.push(with_notes(
                    &cells,
                    &group,
                    ItemKind::Check,
                    None,
                    value,
                    &question.description,
                ));
            }
        }
        // Known rows and checks go among the data, never first: the first item is
        // the one a participant reads most carefully.
        for (turn, row) in extra.into_iter().enumerate() {
            let place = 1 + spread(group_index, turn, rows.len());
            rows.insert(place.min(rows.len()), row);
        }
        for row in &rows {
            writer.write_record(row)?;
        }
        items += u32::try_from(rows.len()).unwrap_or(u32::MAX);
        groups += 1;
    }
    writer.flush()?;
    Ok(MixSummary {
        groups,
        data_rows: u32::try_from(data.len()).unwrap_or(u32::MAX),
        known_rows: u32::try_from(known.len()).unwrap_or(u32::MAX),
        items,
    })
}

/// A place among `len` rows for the `turn`-th extra item of group `group`: fixed for the
/// same data, so the same copy is written again after a restart.
fn spread(group: usize, turn: usize, len: usize) -> usize {
    (group * 7 + turn * 5 + 3) % len.max(1)
}

/// A row with the hidden notes after its cells: its group, kind and line, and for a
/// check the option asked for; the question concerned, for a check or a known row.
fn with_notes(
    cells: &[String],
    group: &str,
    kind: ItemKind,
    line: Option<usize>,
    asked: &str,
    question: &str,
) -> Vec<String> {
    let mut row = cells.to_vec();
    row.push(group.to_owned());
    row.push(kind.as_str().to_owned());
    row.push(line.map(|line| format!("row-{line}")).unwrap_or_default());
    row.push(asked.to_owned());
    row.push(question.to_owned());
    row
}

/// The options of a choice question, as (label, value), the exclusive ones ("none of
/// these") left out when others exist.
fn choice_options(question: &Question) -> Vec<(String, String)> {
    let options = match &question.kind {
        QuestionKind::MultipleChoice(choice) | QuestionKind::MultipleChoiceWithFreeText(choice) => {
            &choice.options
        }
        _ => return Vec::new(),
    };
    let plain: Vec<(String, String)> = options
        .iter()
        .filter(|option| !option.exclusive)
        .map(|option| (option.label.clone(), option.value.clone()))
        .collect();
    if plain.is_empty() {
        options
            .iter()
            .map(|option| (option.label.clone(), option.value.clone()))
            .collect()
    } else {
        plain
    }
}

/// The header positions of the data columns the layout shows as text (image columns
/// cannot carry a sentence). Without a layout, every column but the hidden ones.
fn shown_text_columns(design: &TaskDesign, header: &[String]) -> Vec<usize> {
    let named: Vec<&String> = design
        .data_rows
        .iter()
        .flat_map(|row| row.columns.iter())
        .collect();
    let position = |name: &str| header.iter().position(|column| column == name);
    if named.is_empty() {
        return header
            .iter()
            .enumerate()
            .filter(|(_, name)| !name.starts_with("META_"))
            .map(|(index, _)| index)
            .collect();
    }
    named.iter().filter_map(|name| position(name)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::task::design::{ChoiceOption, DataRow, MultipleChoice};

    fn design(tasks_per_group: u32) -> TaskDesign {
        let option = |label: &str, value: &str| ChoiceOption {
            label: label.to_owned(),
            value: value.to_owned(),
            exclusive: false,
            heading: String::new(),
        };
        TaskDesign {
            title: "Sentiment".to_owned(),
            data_rows: vec![DataRow {
                columns: vec!["text".to_owned()],
            }],
            questions: vec![Question {
                key: "q1".to_owned(),
                description: "How does the review feel?".to_owned(),
                helper_text: String::new(),
                kind: QuestionKind::MultipleChoice(MultipleChoice {
                    options: vec![
                        option("Positive", "positive"),
                        option("Negative", "negative"),
                        option("Mixed", "mixed"),
                    ],
                    answer_limit: 1,
                    allow_dropdown: false,
                    placeholder: String::new(),
                }),
            }],
            tasks_per_group,
            ..TaskDesign::default()
        }
    }

    fn data() -> String {
        let mut csv = "id,text,META_label\n".to_owned();
        for row in 1..=10 {
            let label = if row % 4 == 0 { "negative" } else { "" };
            csv.push_str(&format!("{row},review {row},{label}\n"));
        }
        csv
    }

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn every_group_gets_its_known_rows_and_checks_among_the_data() {
        let checks = QualityChecks {
            known_column: Some("META_label".to_owned()),
            known_question: Some("q1".to_owned()),
            known_per_group: 1,
            checks_per_group: 2,
            check_question: None,
        };
        let mut out = Vec::new();
        let summary = mix(data().as_bytes(), &mut out, &design(3), &checks).unwrap();
        // Rows 4 and 8 are known; 8 data rows in groups of 3 make 3 groups.
        assert_eq!(
            summary,
            MixSummary {
                groups: 3,
                data_rows: 8,
                known_rows: 2,
                items: 8 + 3 * 3
            }
        );
        let (header, rows) = read(&out);
        let column = |name: &str| header.iter().position(|column| column == name).unwrap();
        let (group, item, line, answer) = (
            column(GROUP_COLUMN),
            column(ITEM_COLUMN),
            column(ROW_COLUMN),
            column(CHECK_ANSWER_COLUMN),
        );
        for name in ["group-0001", "group-0002", "group-0003"] {
            let members: Vec<&Vec<String>> = rows.iter().filter(|row| row[group] == name).collect();
            let kinds = |kind: &str| members.iter().filter(|row| row[item] == kind).count();
            assert_eq!(kinds("known"), 1, "{name}");
            assert_eq!(kinds("check"), 2, "{name}");
            assert_eq!(members[0][item], "data", "{name} starts with data");
        }
        // Known rows are used in turn, and their copies keep their line.
        let known_lines: Vec<&str> = rows
            .iter()
            .filter(|row| row[item] == "known")
            .map(|row| row[line].as_str())
            .collect();
        assert_eq!(known_lines, ["row-4", "row-8", "row-4"]);
        // A check tells, in the shown column, which option to choose; the two checks of
        // a group ask for different options.
        let first_group_checks: Vec<&Vec<String>> = rows
            .iter()
            .filter(|row| row[group] == "group-0001" && row[item] == "check")
            .collect();
        assert_ne!(first_group_checks[0][answer], first_group_checks[1][answer]);
        let sentence = &first_group_checks[0][column("text")];
        assert!(sentence.contains("How does the review feel?"), "{sentence}");
        let wanted = &first_group_checks[0][answer];
        let label = if wanted == "positive" {
            "Positive"
        } else if wanted == "negative" {
            "Negative"
        } else {
            "Mixed"
        };
        assert!(sentence.contains(&format!("\"{label}\"")), "{sentence}");
        // No note looks like a rating's option value.
        assert!(rows.iter().all(|row| row[line].parse::<f64>().is_err()));
    }

    #[test]
    fn checks_alone_and_choices_that_do_not_fit_the_data() {
        let only_checks = QualityChecks {
            checks_per_group: 1,
            ..QualityChecks::default()
        };
        let mut out = Vec::new();
        let summary = mix(data().as_bytes(), &mut out, &design(5), &only_checks).unwrap();
        assert_eq!(
            (summary.groups, summary.data_rows, summary.items),
            (2, 10, 12)
        );

        let too_many = QualityChecks {
            known_column: Some("META_label".to_owned()),
            known_per_group: 3,
            ..QualityChecks::default()
        };
        assert!(matches!(
            mix(data().as_bytes(), Vec::new(), &design(5), &too_many),
            Err(MixError::TooFewKnownRows { have: 2, want: 3 })
        ));
        let grouped = "text,META_TASK_GROUP_ID\na,1\n";
        assert!(matches!(
            mix(grouped.as_bytes(), Vec::new(), &design(5), &only_checks),
            Err(MixError::DataNamesGroups)
        ));
        let mut free_text = design(5);
        free_text.questions[0].kind = QuestionKind::FreeText(crate::task::design::FreeText {
            placeholder: String::new(),
            min_length: None,
            max_length: None,
        });
        assert!(matches!(
            mix(data().as_bytes(), Vec::new(), &free_text, &only_checks),
            Err(MixError::NoChoiceQuestion)
        ));
    }

    #[test]
    fn the_same_data_makes_the_same_copy() {
        let checks = QualityChecks {
            known_column: Some("META_label".to_owned()),
            known_per_group: 2,
            checks_per_group: 1,
            ..QualityChecks::default()
        };
        let (mut first, mut second) = (Vec::new(), Vec::new());
        mix(data().as_bytes(), &mut first, &design(4), &checks).unwrap();
        mix(data().as_bytes(), &mut second, &design(4), &checks).unwrap();
        assert_eq!(first, second);
    }
}
