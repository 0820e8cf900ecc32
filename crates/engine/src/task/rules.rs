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
            message: "Add at least one question for participants to answer.".to_owned(),
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
            "Give the task a title: participants see it first.",
        ));
    }
    if html::is_blank(&design.introduction) {
        issues.push(DesignIssue::details(
            "introduction",
            "Write a short introduction: what the task is for and what participants will see.",
        ));
    }
    if html::is_blank(&design.steps) {
        issues.push(DesignIssue::details(
            "steps",
            "Write the steps participants follow for each row.",
        ));
    }
}

fn check_data_rows(design: &TaskDesign, data: &DataContext, issues: &mut Vec<DesignIssue>) {
    let mut seen = HashSet::new();
    for row in &design.data_rows {
        if row.columns.is_empty() || row.columns.len() > 2 {
            issues.push(DesignIssue::data(
                "Each line of the layout shows one column, or two side by side.",
            ));
        }
        for column in &row.columns {
            if data.hidden.contains(column) {
                issues.push(DesignIssue::data(format!(
                    "\"{column}\" starts with META_, so participants never see it. Remove it from the layout."
                )));
            } else if !data.showable.contains(column) {
                issues.push(DesignIssue::data(format!(
                    "Your data has no column called \"{column}\". Remove it from the layout or choose another column."
                )));
            }
            if !seen.insert(column.as_str()) {
                issues.push(DesignIssue::data(format!(
                    "\"{column}\" is shown twice. Show each column once."
                )));
            }
        }
    }
    if design.data_rows.is_empty() && !data.showable.is_empty() {
        issues.push(DesignIssue::data(
            "Choose at least one column of your data for participants to see.",
        ));
    }
}

fn check_question(index: usize, question: &Question, issues: &mut Vec<DesignIssue>) {
    let mut problem =
        |field: &str, message: String| issues.push(DesignIssue::question(index, field, message));
    if question.description.trim().is_empty() {
        problem(
            "description",
            "Write the question participants answer.".to_owned(),
        );
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

fn check_choice(choice: &MultipleChoice, explained: bool, problem: &mut impl FnMut(&str, String)) {
    let count = choice.options.len();
    if count < 2 {
        problem(
            "options",
            "Give participants at least two options to choose from.".to_owned(),
        );
    }
    check_labels_and_values(
        choice
            .options
            .iter()
            .map(|option| (option.label.as_str(), option.value.as_str())),
        "option",
        problem,
    );
    if explained {
        for (position, option) in choice.options.iter().enumerate() {
            if option.heading.trim().is_empty() {
                problem(
                    "options",
                    format!(
                        "Option {} needs a title for its explanation box (for example \"Why?\").",
                        position + 1
                    ),
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
        problem(
            "answerLimit",
            "Choose whether participants pick one answer, any number, or up to a number."
                .to_owned(),
        );
    } else if usize::try_from(limit).is_ok_and(|limit| limit > count) {
        problem(
            "answerLimit",
            format!(
                "Participants can pick up to {limit} answers, but there are only {count} options. Lower the limit or add options."
            ),
        );
    }
    if limit == 1 && exclusive > 0 {
        problem(
            "options",
            "A \"none of these\" option only makes sense when participants can pick several answers. Turn it off, or allow several answers.".to_owned(),
        );
    }
    if count > 0 && exclusive == count {
        problem(
            "options",
            "At least one option must not be a \"none of these\" option.".to_owned(),
        );
    }
}

/// Labels and results values present, values unique (the results could not tell two
/// options apart otherwise).
fn check_labels_and_values<'a>(
    entries: impl Iterator<Item = (&'a str, &'a str)>,
    noun: &str,
    problem: &mut impl FnMut(&str, String),
) {
    let field = format!("{noun}s");
    let mut values = HashSet::new();
    for (position, (label, value)) in entries.enumerate() {
        let number = position + 1;
        if label.trim().is_empty() {
            problem(&field, format!("The {noun} {number} has no text."));
        }
        if value.trim().is_empty() {
            problem(
                &field,
                format!("The {noun} {number} has no value for the results."),
            );
        } else if !values.insert(value.trim()) {
            problem(
                &field,
                format!(
                    "Two {noun}s record the same value \"{value}\" in the results; give each its own."
                ),
            );
        }
    }
}

fn check_free_text(text: &FreeText, problem: &mut impl FnMut(&str, String)) {
    if let (Some(min), Some(max)) = (text.min_length, text.max_length)
        && min > max
    {
        problem(
            "minLength",
            format!("The shortest answer ({min} characters) is longer than the longest ({max})."),
        );
    }
    if text.max_length == Some(0) {
        problem(
            "maxLength",
            "Allow at least one character, or leave the longest answer empty for no limit."
                .to_owned(),
        );
    }
}

fn check_unit(unit: &FreeTextWithUnit, problem: &mut impl FnMut(&str, String)) {
    if unit.units.is_empty() {
        problem(
            "units",
            "Add at least one unit (for example \"minutes\").".to_owned(),
        );
    }
    check_labels_and_values(
        unit.units
            .iter()
            .map(|option| (option.label.as_str(), option.value.as_str())),
        "unit",
        problem,
    );
    if let Some(default) = &unit.default_unit
        && !unit.units.iter().any(|option| &option.value == default)
    {
        problem(
            "defaultUnit",
            "The unit chosen at first is not one of the units. Choose one of them, or none."
                .to_owned(),
        );
    }
    let finite = |value: Option<f64>| value.is_none_or(f64::is_finite);
    if !finite(unit.min_value) || !finite(unit.max_value) {
        problem(
            "minValue",
            "The smallest and largest values must be numbers.".to_owned(),
        );
    } else if let (Some(min), Some(max)) = (unit.min_value, unit.max_value)
        && min > max
    {
        problem(
            "minValue",
            format!("The smallest value ({min}) is larger than the largest ({max})."),
        );
    }
}

fn check_upload(upload: &FileUpload, problem: &mut impl FnMut(&str, String)) {
    if upload.accepted_file_types.is_empty() {
        problem(
            "acceptedFileTypes",
            "Choose at least one kind of file participants may upload.".to_owned(),
        );
    }
    for kind in &upload.accepted_file_types {
        let valid = kind.len() > 1
            && kind.starts_with('.')
            && kind[1..].chars().all(|c| c.is_ascii_alphanumeric());
        if !valid {
            problem(
                "acceptedFileTypes",
                format!("\"{kind}\" is not a file ending. Write it with a dot, such as \".png\"."),
            );
        }
    }
    if upload.max_file_size_mb == 0 {
        problem(
            "maxFileSizeMb",
            "The largest file size must be at least 1 MB.".to_owned(),
        );
    }
    if upload.max_file_count == 0 {
        problem("maxFileCount", "Allow at least one file.".to_owned());
    } else if upload.min_file_count > upload.max_file_count {
        problem(
            "minFileCount",
            format!(
                "Participants must upload at least {} files but at most {}. Make the first number smaller.",
                upload.min_file_count, upload.max_file_count
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
            "Each participant must do at least one row.",
        ));
    } else if let Some(rows) = data.rows
        && u64::from(design.tasks_per_group) > rows
    {
        issues.push(DesignIssue::setup(
            "tasksPerGroup",
            format!(
                "Your data has {rows} rows, fewer than the {} each participant would do. Choose {rows} or fewer.",
                design.tasks_per_group
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
            "Your data names its own groups (META_TASK_GROUP_ID), so Batchdesk cannot add known answers or checks to them. Remove that column, or turn these off.",
        ));
        return;
    }
    let most = checks::MOST_PER_GROUP;
    if quality.known_per_group > most || quality.checks_per_group > most {
        issues.push(DesignIssue::setup(
            "checks",
            format!("Add at most {most} known-answer rows and {most} checks to each group."),
        ));
    }
    if quality.known_per_group > 0 {
        match &quality.known_column {
            None => issues.push(DesignIssue::setup(
                "checks.knownColumn",
                "Choose the hidden column that holds the known answers.",
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
                        format!("Your data has no hidden column \"{column}\". Known answers go in a column whose name starts with META_, so participants never see them."),
                    ));
                } else if filled == Some(0) {
                    issues.push(DesignIssue::setup(
                        "checks.knownColumn",
                        format!("No row has an answer in \"{column}\"."),
                    ));
                } else if let Some(filled) = filled
                    && filled < u64::from(quality.known_per_group)
                {
                    issues.push(DesignIssue::setup(
                        "checks.knownPerGroup",
                        format!("Only {filled} rows have a known answer: add at most {filled} to each group."),
                    ));
                } else if let (Some(filled), Some(rows)) = (filled, data.rows)
                    && filled >= rows
                {
                    issues.push(DesignIssue::setup(
                        "checks.knownColumn",
                        format!("Every row has an answer in \"{column}\", so no rows are left to be labelled. Known answers are for a few rows only."),
                    ));
                }
            }
        }
    }
    if quality.checks_per_group > 0 && checks::check_question(design, quality).is_none() {
        issues.push(DesignIssue::setup(
            "checks.checksPerGroup",
            "Attention checks ask participants to choose a given option, so they need a question with options. Add one, or turn the checks off.",
        ));
    }
}
