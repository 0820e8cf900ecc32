//! The design as Prolific's `batch_items`, and Prolific's layout complaints back onto
//! the design.
//!
//! The layout is one page, repeated for every row of data: first the data columns the
//! researcher chose (one layout row per line, one or two columns side by side, each a
//! `dataset_field`), then one row holding the questions in order. With a V3 dataset
//! (no schema) `dataset_field` is not allowed, so only the questions are sent and
//! Prolific shows the row's data its own way. Because the shape is fixed, a location
//! Prolific reports (page, row, column, item) names exactly one line of data or one
//! question.

use batchdesk_prolific::BatchItemIssue;
use batchdesk_prolific::models::layout::{
    self as prolific, ChoiceOption as ProlificOption, LayoutColumn, LayoutItem, LayoutPage,
    LayoutRow, ValidationRule,
};

use super::design::{DesignIssue, MultipleChoice, Question, QuestionKind, TaskDesign};
use crate::text;

/// The `batch_items` for `design`. `typed` is true for a V4 dataset with a schema.
pub fn batch_items(design: &TaskDesign, typed: bool) -> Vec<LayoutPage> {
    let mut rows: Vec<LayoutRow> = if typed {
        design
            .data_rows
            .iter()
            .map(|row| LayoutRow {
                id: None,
                columns: row
                    .columns
                    .iter()
                    .map(|field| LayoutColumn {
                        id: None,
                        items: vec![LayoutItem::DatasetField {
                            field: field.clone(),
                        }],
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    rows.push(LayoutRow {
        id: None,
        columns: vec![LayoutColumn {
            id: None,
            items: design.questions.iter().map(question_item).collect(),
        }],
    });
    vec![LayoutPage {
        id: None,
        display_position: None,
        rows,
    }]
}

fn question_item(question: &Question) -> LayoutItem {
    let description = question.description.trim().to_owned();
    let helper_text = non_empty(&question.helper_text);
    match &question.kind {
        QuestionKind::MultipleChoice(choice) => {
            LayoutItem::MultipleChoice(choice_item(description, helper_text, choice, false))
        }
        QuestionKind::MultipleChoiceWithFreeText(choice) => LayoutItem::MultipleChoiceWithFreeText(
            choice_item(description, helper_text, choice, true),
        ),
        QuestionKind::FreeText(text) => LayoutItem::FreeText(prolific::FreeText {
            description,
            helper_text,
            placeholder_text_input: non_empty(&text.placeholder),
            validation: (text.min_length.is_some() || text.max_length.is_some())
                .then(|| ValidationRule::characters(text.min_length, text.max_length)),
        }),
        QuestionKind::FreeTextWithUnit(unit) => {
            let bounded = unit.min_value.is_some() || unit.max_value.is_some();
            LayoutItem::FreeTextWithUnit(prolific::FreeTextWithUnit {
                description,
                unit_options: unit
                    .units
                    .iter()
                    .map(|option| prolific::UnitOption {
                        label: option.label.trim().to_owned(),
                        value: option.value.trim().to_owned(),
                        validation: bounded
                            .then(|| ValidationRule::number(unit.min_value, unit.max_value)),
                    })
                    .collect(),
                unit_position: match unit.unit_position {
                    super::design::UnitPosition::Prefix => prolific::UnitPosition::Prefix,
                    super::design::UnitPosition::Suffix => prolific::UnitPosition::Suffix,
                },
                default_unit: unit
                    .default_unit
                    .as_deref()
                    .map(|value| value.trim().to_owned()),
                helper_text,
                placeholder_text_input: non_empty(&unit.placeholder),
            })
        }
        QuestionKind::FileUpload(upload) => LayoutItem::FileUpload(prolific::FileUpload {
            description,
            helper_text,
            accepted_file_types: upload
                .accepted_file_types
                .iter()
                .map(|kind| kind.trim().to_lowercase())
                .collect(),
            max_file_size_mb: upload.max_file_size_mb,
            min_file_count: upload.min_file_count,
            max_file_count: upload.max_file_count,
        }),
    }
}

fn choice_item(
    description: String,
    helper_text: Option<String>,
    choice: &MultipleChoice,
    explained: bool,
) -> prolific::MultipleChoice {
    prolific::MultipleChoice {
        description,
        answer_limit: choice.answer_limit,
        options: choice
            .options
            .iter()
            .map(|option| ProlificOption {
                label: option.label.trim().to_owned(),
                value: option.value.trim().to_owned(),
                exclusive: option.exclusive,
                heading: explained.then(|| option.heading.trim().to_owned()),
            })
            .collect(),
        disable_dropdown: !choice.allow_dropdown,
        helper_text,
        placeholder_text_input: non_empty(&choice.placeholder),
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Puts a problem Prolific found in the layout made by [`batch_items`] on the part of the
/// design it concerns: a line of the data layout, or a question and (when the message
/// names one) its field.
pub fn locate(issue: &BatchItemIssue, design: &TaskDesign, typed: bool) -> DesignIssue {
    let message = text!("checks:design.prolificSays", message = issue.message.trim());
    let data_lines = if typed { design.data_rows.len() } else { 0 };
    let row = issue.row.map(|row| row as usize);
    match row {
        Some(row) if row < data_lines => DesignIssue::data(message),
        Some(_) => match issue.item.map(|item| item as usize) {
            Some(item) if item < design.questions.len() => {
                DesignIssue::question(item, field_named(&issue.message), message)
            }
            _ => DesignIssue {
                question: None,
                field: "questions".to_owned(),
                ..DesignIssue::question(0, "questions", message)
            },
        },
        None => DesignIssue {
            question: None,
            field: "questions".to_owned(),
            ..DesignIssue::question(0, "questions", message)
        },
    }
}

/// The design field a Prolific message is about, from the API field it names.
fn field_named(message: &str) -> &'static str {
    const FIELDS: [(&str, &str); 11] = [
        ("default_unit", "defaultUnit"),
        ("unit_options", "units"),
        ("answer_limit", "answerLimit"),
        ("options", "options"),
        ("min_file_count", "minFileCount"),
        ("max_file_count", "maxFileCount"),
        ("max_file_size_mb", "maxFileSizeMb"),
        ("accepted_file_types", "acceptedFileTypes"),
        ("validation", "minLength"),
        ("helper_text", "helperText"),
        ("placeholder_text_input", "placeholder"),
    ];
    FIELDS
        .iter()
        .find(|(api, _)| message.contains(api))
        .map_or("description", |(_, field)| field)
}
