//! Reads Prolific's responses as a stream into a [`ResponseSet`]:
//! - the export's `responses-by-task.jsonl` or `responses-by-submission.jsonl` (one JSON
//!   object a line holding a `responses` list; a line that is itself one response
//!   record is accepted too), and
//! - the batch responses JSON (`{"results": [...], "meta": {...}}`), read element by
//!   element without holding the document in memory.
//!
//! Unknown fields are ignored (Prolific adds fields), option values may be strings,
//! numbers or booleans, and a record missing its task, participant or question id is
//! counted as skipped rather than failing the whole file. Broken JSON is an error that
//! names its line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::model::{NewAnswer, QuestionKind, ResponseSet, ResponseSetBuilder};
use crate::text;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum ParseError {
    Io(#[from] std::io::Error),
    Line { line: u64, message: String },
    Json(String),
    Zip(String),
    NoResponsesInExport,
    AmbiguousResponsesInExport(Vec<String>),
}

impl ParseError {
    /// What the researcher reads, from the catalogue.
    #[must_use]
    pub fn text(&self) -> text::Text {
        match self {
            Self::Io(reason) => text!("errors:results.parse.io", reason = reason.to_string()),
            Self::Line { line, message } => {
                text!("errors:results.parse.line", line = line, reason = message)
            }
            Self::Json(reason) => text!("errors:results.parse.json", reason = reason),
            Self::Zip(reason) => text!("errors:results.parse.zip", reason = reason),
            Self::NoResponsesInExport => text!("errors:results.parse.noResponsesInExport"),
            Self::AmbiguousResponsesInExport(files) => text!(
                "errors:results.parse.ambiguousResponsesInExport",
                files = files.join(", ")
            ),
        }
    }

    /// The same, for an export read where the answers could be fetched instead.
    #[must_use]
    pub fn text_for_export(&self) -> text::Text {
        match self {
            Self::Io(reason) => text!(
                "errors:results.exportUnreadable.io",
                reason = reason.to_string()
            ),
            Self::Line { line, message } => text!(
                "errors:results.exportUnreadable.line",
                line = line,
                reason = message
            ),
            Self::Json(reason) => text!("errors:results.exportUnreadable.json", reason = reason),
            Self::Zip(reason) => text!("errors:results.exportUnreadable.zip", reason = reason),
            Self::NoResponsesInExport => {
                text!("errors:results.exportUnreadable.noResponsesInExport")
            }
            Self::AmbiguousResponsesInExport(files) => text!(
                "errors:results.exportUnreadable.ambiguousResponsesInExport",
                files = files.join(", ")
            ),
        }
    }
}

/// A string, number or boolean read as text, borrowed from the input when possible.
#[derive(Debug)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a string, number or boolean")
            }
            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(value)))
            }
            fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value)))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(if value { "true" } else { "false" })))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
        }
        deserializer.deserialize_any(TextVisitor(std::marker::PhantomData))
    }
}

/// The parts of an `AITaskBuilderTaskResponse` the analysis needs.
#[derive(Debug, Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    task_id: Option<Text<'a>>,
    #[serde(borrow)]
    participant_id: Option<Text<'a>>,
    #[serde(borrow)]
    response: Option<ResponseBody<'a>>,
    #[serde(default)]
    no_submission: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct ResponseBody<'a> {
    #[serde(borrow)]
    instruction_id: Option<Text<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(borrow, default)]
    answer: Option<Vec<AnswerItem<'a>>>,
}

#[derive(Debug, Deserialize)]
struct AnswerItem<'a> {
    #[serde(borrow)]
    value: Option<Text<'a>>,
    #[serde(borrow)]
    unit: Option<Text<'a>>,
    #[serde(borrow)]
    explanation: Option<Text<'a>>,
    #[serde(borrow)]
    file_name: Option<Text<'a>>,
    #[serde(borrow)]
    file_key: Option<Text<'a>>,
}

/// A JSONL line: a task's or a submission's `responses`, or one bare record.
#[derive(Debug, Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    responses: Vec<Record<'a>>,
    #[serde(borrow)]
    task_id: Option<Text<'a>>,
    #[serde(borrow)]
    participant_id: Option<Text<'a>>,
    #[serde(borrow)]
    response: Option<ResponseBody<'a>>,
    #[serde(default)]
    no_submission: Option<bool>,
}

fn add_record(builder: &mut ResponseSetBuilder, record: Record<'_>) {
    let (Some(task), Some(participant), Some(response)) =
        (record.task_id, record.participant_id, record.response)
    else {
        builder.skip_record();
        return;
    };
    let Some(question) = response.instruction_id else {
        builder.skip_record();
        return;
    };
    if record.no_submission == Some(true) {
        builder.skip_record();
        return;
    }
    let kind = response
        .kind
        .as_ref()
        .map_or(QuestionKind::Other, |kind| QuestionKind::from_api(&kind.0));
    let items = response.answer.unwrap_or_default();
    let (task, participant, question) = (&*task.0, &*participant.0, &*question.0);
    match kind {
        QuestionKind::MultipleChoice | QuestionKind::MultipleChoiceWithFreeText => {
            let values: Vec<&str> = items
                .iter()
                .filter_map(|item| item.value.as_ref().map(|text| &*text.0))
                .collect();
            let explanations: Vec<&str> = items
                .iter()
                .filter_map(|item| item.explanation.as_ref().map(|text| &*text.0))
                .collect();
            builder.add(
                task,
                question,
                kind,
                participant,
                NewAnswer::Choice {
                    values: &values,
                    explanations: &explanations,
                },
            );
        }
        QuestionKind::FileUpload => {
            let names: Vec<&str> = items
                .iter()
                .filter_map(|item| item.file_name.as_ref().or(item.file_key.as_ref()))
                .map(|text| &*text.0)
                .collect();
            builder.add(task, question, kind, participant, NewAnswer::Files(&names));
        }
        QuestionKind::FreeTextWithUnit => {
            let first = items.first();
            let value = first
                .and_then(|item| item.value.as_ref())
                .map_or("", |text| &*text.0);
            let unit = first
                .and_then(|item| item.unit.as_ref())
                .map(|text| &*text.0);
            builder.add(
                task,
                question,
                kind,
                participant,
                NewAnswer::TextWithUnit { value, unit },
            );
        }
        QuestionKind::FreeText | QuestionKind::Other => {
            let value = items
                .iter()
                .filter_map(|item| item.value.as_ref().map(|text| &*text.0))
                .collect::<Vec<_>>()
                .join("; ");
            builder.add(task, question, kind, participant, NewAnswer::Text(&value));
        }
    }
}

impl ResponseSetBuilder {
    /// Adds every response of a JSONL export file (`responses-by-task.jsonl` or
    /// `responses-by-submission.jsonl`), read line by line. Blank lines are skipped.
    ///
    /// # Errors
    /// When reading fails or a line is not JSON.
    pub fn add_jsonl(&mut self, mut reader: impl BufRead) -> Result<(), ParseError> {
        let mut buffer = String::new();
        let mut line_number = 0_u64;
        loop {
            buffer.clear();
            if reader.read_line(&mut buffer)? == 0 {
                return Ok(());
            }
            line_number += 1;
            let line = buffer.trim();
            if line.is_empty() {
                continue;
            }
            let parsed: Line<'_> =
                serde_json::from_str(line).map_err(|error| ParseError::Line {
                    line: line_number,
                    message: error.to_string(),
                })?;
            for record in parsed.responses {
                add_record(self, record);
            }
            if parsed.response.is_some() {
                add_record(
                    self,
                    Record {
                        task_id: parsed.task_id,
                        participant_id: parsed.participant_id,
                        response: parsed.response,
                        no_submission: parsed.no_submission,
                    },
                );
            }
        }
    }

    /// Adds every response of the batch responses JSON (`{"results": [...]}`, or a bare
    /// list of records), one record at a time.
    ///
    /// # Errors
    /// When reading fails or the document is not JSON.
    pub fn add_json(&mut self, reader: impl Read) -> Result<(), ParseError> {
        let mut deserializer = serde_json::Deserializer::from_reader(
            std::io::BufReader::with_capacity(1 << 16, reader),
        );
        Document(self)
            .deserialize(&mut deserializer)
            .and_then(|()| deserializer.end())
            .map_err(|error| match error.classify() {
                serde_json::error::Category::Io => ParseError::Io(error.into()),
                _ => ParseError::Json(error.to_string()),
            })
    }
}

/// Reads a JSONL export (`responses-by-task.jsonl` or `responses-by-submission.jsonl`).
///
/// # Errors
/// When reading fails or a line is not JSON.
pub fn read_responses_jsonl(reader: impl BufRead) -> Result<ResponseSet, ParseError> {
    let mut builder = ResponseSetBuilder::new();
    builder.add_jsonl(reader)?;
    Ok(builder.finish())
}

/// Reads the batch responses JSON (`GET …/batches/{id}/responses`).
///
/// # Errors
/// When reading fails or the document is not JSON.
pub fn read_responses_json(reader: impl Read) -> Result<ResponseSet, ParseError> {
    let mut builder = ResponseSetBuilder::new();
    builder.add_json(reader)?;
    Ok(builder.finish())
}

/// The whole responses document: an object whose `results` are streamed, or a list.
struct Document<'b>(&'b mut ResponseSetBuilder);

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object with `results`, or a list of responses")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'_, str>>()? {
            if key == "results" {
                map.next_value_seed(Records(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Records(self.0).visit_seq(seq)
    }
}

/// A list of response records, each added as soon as it is read.
struct Records<'b>(&'b mut ResponseSetBuilder);

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // `any`, so that `"results": null` reads as no records.
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of responses")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Record<'de>>()? {
            add_record(self.0, record);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// What the analysis takes from a batch's layout (`batch.json` in the export, or
/// `GET …/batches/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchLayout {
    /// Each question's `description` by its `id`.
    pub question_names: HashMap<String, String>,
    /// The data fields participants were shown (`dataset_field` items), in the order
    /// they saw them. Empty when the layout shows none (a dataset without a schema, whose
    /// row Prolific shows its own way).
    pub shown_fields: Vec<String>,
    /// Number questions whose unit stands before the number (`£ 12`), by id.
    pub prefix_units: std::collections::HashSet<String>,
    /// Each choice question's options by its `id`, in the layout's order: the value its
    /// answers carry and the label participants read.
    pub options: HashMap<String, Vec<OptionLabel>>,
}

/// One option of a choice question: the `value` an answer carries (and the downloads
/// keep), and the `label` participants read when they chose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OptionLabel {
    pub value: String,
    pub label: String,
}

/// A layout's option list as [`OptionLabel`]s: an option without a value is left out,
/// one without a label reads as its value. Values given as numbers or booleans are read
/// as answers read them (as text).
fn option_labels(options: &[serde_json::Value]) -> Vec<OptionLabel> {
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    };
    options
        .iter()
        .filter_map(|option| {
            let value = text(&option["value"])?;
            let label = text(&option["label"])
                .filter(|label| !label.trim().is_empty())
                .unwrap_or_else(|| value.clone());
            Some(OptionLabel { value, label })
        })
        .collect()
}

/// Reads a batch's layout: the items of its `batch_items` pages.
///
/// # Errors
/// When the document is not JSON.
pub fn batch_layout(batch_json: impl Read) -> Result<BatchLayout, ParseError> {
    let batch: serde_json::Value = serde_json::from_reader(std::io::BufReader::new(batch_json))
        .map_err(|error| ParseError::Json(error.to_string()))?;
    let children = |value: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
        value[key].as_array().cloned().unwrap_or_default()
    };
    let mut layout = BatchLayout::default();
    for page in children(&batch, "batch_items") {
        for row in children(&page, "rows") {
            for column in children(&row, "columns") {
                for item in children(&column, "items") {
                    if item["type"] == "dataset_field"
                        && let Some(field) = item["field"].as_str()
                        && !layout.shown_fields.iter().any(|shown| shown == field)
                    {
                        layout.shown_fields.push(field.to_owned());
                    }
                    let Some(id) = item["id"].as_str() else {
                        continue;
                    };
                    if let Some(description) = item["description"].as_str() {
                        layout
                            .question_names
                            .insert(id.to_owned(), description.to_owned());
                    }
                    if item["unit_position"] == "prefix" {
                        layout.prefix_units.insert(id.to_owned());
                    }
                    if let Some(options) = item["options"].as_array() {
                        layout.options.insert(id.to_owned(), option_labels(options));
                    }
                }
            }
        }
    }
    Ok(layout)
}

/// Each question's `description` by its `id`, from a batch's JSON (see [`batch_layout`]).
///
/// # Errors
/// When the document is not JSON.
pub fn question_names(batch_json: impl Read) -> Result<HashMap<String, String>, ParseError> {
    Ok(batch_layout(batch_json)?.question_names)
}
