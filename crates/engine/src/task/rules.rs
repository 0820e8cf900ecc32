//! Checks a design against Prolific's rules for `batch_items` (API-NOTES §4.3–4.4) and
//! the data it will run on, before anything is sent, so each problem is said in plain
//! words on the part of the form it concerns. The same rules answer the UI as the
//! researcher types and the setup before it calls Prolific.

use std::collections::HashSet;

use super::design::{
    DesignIssue, FileUpload, FreeText, FreeTextWithUnit, IssueSection, MultipleChoice, Question,
    QuestionKind, TaskDesign,
};
use super::{checks, html};
use crate::text;
use crate::text::Text;

/// What a design is checked against: the data's columns as the CSV doctor read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataContext {
    /// Columns participants may be shown (not `META_`, not the task-group column).
    pub showable: Vec<String>,
    /// Columns that exist but are never shown (`META_…`).
    pub hidden: Vec<String>,
    /// Whether the data names its own groups (`META_TASK_GROUP_ID`).
    pub has_task_groups: bool,
    /// Rows of data, when known.
    pub rows: Option<u64>,
    /// What the showable columns hold, so a template can guess which column is the one
    /// to judge. Empty when only the names are known.
    pub profiles: Vec<ColumnProfile>,
    /// Filled cells of each hidden column, when known: the rows a known-answer column
    /// gives answers for.
    pub hidden_filled: Vec<(String, u64)>,
}

/// What one showable column holds, as far as a template's guess needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnProfile {
    pub name: String,
    /// Most of its values are links to images.
    pub image_links: bool,
    /// Its first values are all numbers (a rating, a price, a row number).
    pub numbers_only: bool,
    /// The longest value, in characters.
    pub max_length: u64,
}

/// Every problem in `design`, in the order of the form. Empty means it can be set up.
pub fn check(design: &TaskDesign, data: &DataContext) -> Vec<DesignIssue> {
    let mut issues = Vec::new();
    check_details(design, &mut issues);
    check_data_rows(design, data, &mut issues);
    if design.questions.is_empty() {
        issues.push(DesignIssue {
            section: IssueSection::Questions,
            question: None,
            field: "questions".to_owned(),
            message: text!("checks:design.noQuestions"),
        });
    }
    for (index, question) in design.questions.iter().enumerate() {
        check_question(index, question, &mut issues);
    }
    check_setup(design, data, &mut issues);
    check_quality(design, data, &mut issues);
    issues
}

fn check_details(design: &TaskDesign, issues: &mut Vec<DesignIssue>) {
    if design.title.trim().is_empty() {
        issues.push(DesignIssue::details(
            "title",
            text!("checks:design.noTitle"),
        ));
    }
    if html::is_blank(&design.introduction) {
        issues.push(DesignIssue::details(
            "introduction",
            text!("checks:design.noIntroduction"),
        ));
    }
    if html::is_blank(&design.steps) {
        issues.push(DesignIssue::details(
            "steps",
            text!("checks:design.noSteps"),
        ));
    }
}

fn check_data_rows(design: &TaskDesign, data: &DataContext, issues: &mut Vec<DesignIssue>) {
    let mut seen = HashSet::new();
    for row in &design.data_rows {
        if row.columns.is_empty() || row.columns.len() > 2 {
            issues.push(DesignIssue::data(text!("checks:design.layoutLine")));
        }
        for column in &row.columns {
            if data.hidden.contains(column) {
                issues.push(DesignIssue::data(text!(
                    "checks:design.hiddenColumnShown",
                    column = column
                )));
            } else if !data.showable.contains(column) {
                issues.push(DesignIssue::data(text!(
                    "checks:design.unknownColumn",
                    column = column
                )));
            }
            if !seen.insert(column.as_str()) {
                issues.push(DesignIssue::data(text!(
                    "checks:design.columnShownTwice",
                    column = column
                )));
            }
        }
    }
    if design.data_rows.is_empty() && !data.showable.is_empty() {
        issues.push(DesignIssue::data(text!("checks:design.noColumnShown")));
    }
}

fn check_question(index: usize, question: &Question, issues: &mut Vec<DesignIssue>) {
    let mut problem =
        |field: &str, message: Text| issues.push(DesignIssue::question(index, field, message));
    if question.description.trim().is_empty() {
        problem("description", text!("checks:design.noQuestionText"));
    }
    match &question.kind {
        QuestionKind::MultipleChoice(choice) => check_choice(choice, false, &mut problem),
        QuestionKind::MultipleChoiceWithFreeText(choice) => {
            check_choice(choice, true, &mut problem);
        }
        QuestionKind::FreeText(text) => check_free_text(text, &mut problem),
        QuestionKind::FreeTextWithUnit(unit) => check_unit(unit, &mut problem),
        QuestionKind::FileUpload(upload) => check_upload(upload, &mut problem),
    }
}

fn check_choice(choice: &MultipleChoice, explained: bool, problem: &mut impl FnMut(&str, Text)) {
    let count = choice.options.len();
    if count < 2 {
        problem("options", text!("checks:design.tooFewOptions"));
    }
    check_labels_and_values(
        choice
            .options
            .iter()
            .map(|option| (option.label.as_str(), option.value.as_str())),
        Listed::Options,
        problem,
    );
    if explained {
        for (position, option) in choice.options.iter().enumerate() {
            if option.heading.trim().is_empty() {
                problem(
                    "options",
                    text!("checks:design.optionNoHeading", number = position + 1),
                );
            }
        }
    }
    let limit = choice.answer_limit;
    let exclusive = choice
        .options
        .iter()
        .filter(|option| option.exclusive)
        .count();
    if limit == 0 || limit < -1 {
        problem("answerLimit", text!("checks:design.noAnswerLimit"));
    } else if usize::try_from(limit).is_ok_and(|limit| limit > count) {
        problem(
            "answerLimit",
            text!(
                "checks:design.answerLimitAboveOptions",
                limit = i64::from(limit),
                options = count
            ),
        );
    }
    if limit == 1 && exclusive > 0 {
        problem("options", text!("checks:design.exclusiveWithOneAnswer"));
    }
    if count > 0 && exclusive == count {
        problem("options", text!("checks:design.allExclusive"));
    }
}

/// Which list of a question's choices is checked: its options or its units.
#[derive(Clone, Copy)]
enum Listed {
    Options,
    Units,
}

/// Labels and results values present, values unique (the results could not tell two
/// options apart otherwise).
fn check_labels_and_values<'a>(
    entries: impl Iterator<Item = (&'a str, &'a str)>,
    listed: Listed,
    problem: &mut impl FnMut(&str, Text),
) {
    let field = match listed {
        Listed::Options => "options",
        Listed::Units => "units",
    };
    let mut values = HashSet::new();
    for (position, (label, value)) in entries.enumerate() {
        let number = position + 1;
        if label.trim().is_empty() {
            problem(
                field,
                match listed {
                    Listed::Options => text!("checks:design.optionNoText", number = number),
                    Listed::Units => text!("checks:design.unitNoText", number = number),
                },
            );
        }
        if value.trim().is_empty() {
            problem(
                field,
                match listed {
                    Listed::Options => text!("checks:design.optionNoValue", number = number),
                    Listed::Units => text!("checks:design.unitNoValue", number = number),
                },
            );
        } else if !values.insert(value.trim()) {
            problem(
                field,
                match listed {
                    Listed::Options => text!("checks:design.optionsShareValue", value = value),
                    Listed::Units => text!("checks:design.unitsShareValue", value = value),
                },
            );
        }
    }
}

fn check_free_text(text: &FreeText, problem: &mut impl FnMut(&str, Text)) {
    if let (Some(min), Some(max)) = (text.min_length, text.max_length)
        && min > max
    {
        problem(
            "minLength",
            text!("checks:design.shortestAboveLongest", min = min, max = max),
        );
    }
    if text.max_length == Some(0) {
        problem("maxLength", text!("checks:design.noCharacters"));
    }
}

fn check_unit(unit: &FreeTextWithUnit, problem: &mut impl FnMut(&str, Text)) {
    if unit.units.is_empty() {
        problem("units", text!("checks:design.noUnits"));
    }
    check_labels_and_values(
        unit.units
            .iter()
            .map(|option| (option.label.as_str(), option.value.as_str())),
        Listed::Units,
        problem,
    );
    if let Some(default) = &unit.default_unit
        && !unit.units.iter().any(|option| &option.value == default)
    {
        problem("defaultUnit", text!("checks:design.defaultUnitUnknown"));
    }
    let finite = |value: Option<f64>| value.is_none_or(f64::is_finite);
    if !finite(unit.min_value) || !finite(unit.max_value) {
        problem("minValue", text!("checks:design.valuesNotNumbers"));
    } else if let (Some(min), Some(max)) = (unit.min_value, unit.max_value)
        && min > max
    {
        problem(
            "minValue",
            text!("checks:design.smallestAboveLargest", min = min, max = max),
        );
    }
}

fn check_upload(upload: &FileUpload, problem: &mut impl FnMut(&str, Text)) {
    if upload.accepted_file_types.is_empty() {
        problem("acceptedFileTypes", text!("checks:design.noFileTypes"));
    }
    for kind in &upload.accepted_file_types {
        let valid = kind.len() > 1
            && kind.starts_with('.')
            && kind[1..].chars().all(|c| c.is_ascii_alphanumeric());
        if !valid {
            problem(
                "acceptedFileTypes",
                text!("checks:design.notAFileEnding", kind = kind),
            );
        }
    }
    if upload.max_file_size_mb == 0 {
        problem("maxFileSizeMb", text!("checks:design.noFileSize"));
    }
    if upload.max_file_count == 0 {
        problem("maxFileCount", text!("checks:design.noFiles"));
    } else if upload.min_file_count > upload.max_file_count {
        problem(
            "minFileCount",
            text!(
                "checks:design.fileCountsCrossed",
                min = upload.min_file_count,
                max = upload.max_file_count
            ),
        );
    }
}

fn check_setup(design: &TaskDesign, data: &DataContext, issues: &mut Vec<DesignIssue>) {
    if data.has_task_groups {
        // The data decides the groups; the number is not sent.
        return;
    }
    if design.tasks_per_group == 0 {
        issues.push(DesignIssue::setup(
            "tasksPerGroup",
            text!("checks:design.noRowsPerParticipant"),
        ));
    } else if let Some(rows) = data.rows
        && u64::from(design.tasks_per_group) > rows
    {
        issues.push(DesignIssue::setup(
            "tasksPerGroup",
            text!(
                "checks:design.fewerRowsThanAGroup",
                rows = rows,
                perGroup = design.tasks_per_group
            ),
        ));
    }
}

/// Known-answer rows and attention checks: they must fit the data and the questions
/// (`checks` in the form's fields).
fn check_quality(design: &TaskDesign, data: &DataContext, issues: &mut Vec<DesignIssue>) {
    let quality = &design.checks;
    if !quality.mixes() {
        return;
    }
    if data.has_task_groups {
        issues.push(DesignIssue::setup(
            "checks",
            text!("checks:design.checksWithOwnGroups"),
        ));
        return;
    }
    let most = checks::MOST_PER_GROUP;
    if quality.known_per_group > most || quality.checks_per_group > most {
        issues.push(DesignIssue::setup(
            "checks",
            text!("checks:design.tooManyChecks", most = most),
        ));
    }
    if quality.known_per_group > 0 {
        match &quality.known_column {
            None => issues.push(DesignIssue::setup(
                "checks.knownColumn",
                text!("checks:design.noKnownColumn"),
            )),
            Some(column) => {
                let filled = data
                    .hidden_filled
                    .iter()
                    .find(|(name, _)| name == column)
                    .map(|(_, filled)| *filled);
                if !data.hidden.contains(column) {
                    issues.push(DesignIssue::setup(
                        "checks.knownColumn",
                        text!("checks:design.knownColumnMissing", column = column),
                    ));
                } else if filled == Some(0) {
                    issues.push(DesignIssue::setup(
                        "checks.knownColumn",
                        text!("checks:design.knownColumnEmpty", column = column),
                    ));
                } else if let Some(filled) = filled
                    && filled < u64::from(quality.known_per_group)
                {
                    issues.push(DesignIssue::setup(
                        "checks.knownPerGroup",
                        text!("checks:design.fewKnownAnswers", filled = filled),
                    ));
                } else if let (Some(filled), Some(rows)) = (filled, data.rows)
                    && filled >= rows
                {
                    issues.push(DesignIssue::setup(
                        "checks.knownColumn",
                        text!("checks:design.knownColumnFull", column = column),
                    ));
                }
            }
        }
    }
    if quality.checks_per_group > 0 && checks::check_question(design, quality).is_none() {
        issues.push(DesignIssue::setup(
            "checks.checksPerGroup",
            text!("checks:design.checksNeedChoice"),
        ));
    }
}
