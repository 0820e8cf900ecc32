//! The tidy CSV a researcher takes home: one row per data row (item), its original
//! data columns when given, then every question's columns: for a choice question the
//! majority answer, its support, the item's pairwise agreement, any tie, the number of
//! answers, the model-based consensus answer and its confidence (Dawid-Skene, see
//! [`super::consensus`]) (and the explanations, when options were explained); for free text every
//! answer joined and their number; for numbers their mean, median and unit, every answer
//! and their number; for uploads the file names and their number.
//!
//! It starts with a UTF-8 byte order mark, so Excel reads accents and currency signs
//! right, and never holds a live formula (see [`spreadsheet_safe`]). A column guide, a
//! small CSV of every column's name and what it holds ([`write_column_guide`]), is
//! saved beside it ([`column_guide_path`]).
//!
//! Both are written to a temporary file beside the destination and renamed into place,
//! so a crash or a full disk never leaves half a file under the researcher's name.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use specta::Type;

use super::model::{AnswerValue, ItemId, Question, QuestionKind, ResponseSet};
use super::numbers::{self, Stats, plain_number};
use super::parse::OptionLabel;
use super::{Analysis, ItemResult, QuestionAnalysis};
use crate::text;

/// The UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when it starts with it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How the answers of one item are joined in one cell.
pub const ANSWER_SEPARATOR: &str = " | ";

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum TidyError {
    Io(#[from] std::io::Error),
    Csv(#[from] csv::Error),
    NoTaskIdColumn,
}

impl TidyError {
    /// What the researcher reads, from the catalogue.
    #[must_use]
    pub fn text(&self) -> text::Text {
        match self {
            Self::Io(reason) => text!("errors:results.tidy.io", reason = reason.to_string()),
            Self::Csv(reason) => text!("errors:results.tidy.csv", reason = reason.to_string()),
            Self::NoTaskIdColumn => text!("errors:results.tidy.noTaskIdColumn"),
        }
    }
}

/// The researcher's data rows, each with the task id Prolific gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OriginalData {
    pub columns: Vec<String>,
    /// `(task id, cells)`, in the data's order; cells line up with `columns`.
    pub rows: Vec<(String, Vec<String>)>,
}

impl OriginalData {
    /// Reads the data columns out of Prolific's CSV report, whose rows are the original
    /// data plus answer columns, one row per (task, submission). The data columns are
    /// taken to be those before `participant_id` other than `task_id` (the practice
    /// server's layout; Prolific does not document it); each task's first row is kept.
    ///
    /// # Errors
    /// When the CSV cannot be read or has no `task_id` column.
    pub fn from_report_csv(reader: impl Read) -> Result<Self, TidyError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
        let task_column = header
            .iter()
            .position(|column| column == "task_id")
            .ok_or(TidyError::NoTaskIdColumn)?;
        let end = header
            .iter()
            .position(|column| column == "participant_id")
            .unwrap_or(header.len());
        let data_columns: Vec<usize> = (0..end).filter(|&index| index != task_column).collect();
        let mut data = Self {
            columns: data_columns
                .iter()
                .map(|&index| header[index].clone())
                .collect(),
            rows: Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        for record in reader.records() {
            let record = record?;
            let task = record.get(task_column).unwrap_or_default();
            if task.is_empty() || !seen.insert(task.to_owned()) {
                continue;
            }
            let cells = data_columns
                .iter()
                .map(|&index| record.get(index).unwrap_or_default().to_owned())
                .collect();
            data.rows.push((task.to_owned(), cells));
        }
        Ok(data)
    }
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TidySummary {
    pub rows: u32,
    pub columns: u32,
    /// Data rows nobody answered (kept, with empty answer columns).
    pub unanswered_rows: u32,
    /// Answered items missing from the original data (added at the end).
    pub items_not_in_data: u32,
    /// Every column, in order, with what it holds: the column guide's rows.
    pub guide: Vec<ColumnMeaning>,
}

/// One column of the tidy CSV and what it holds, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMeaning {
    pub column: String,
    pub meaning: String,
}

/// A question's columns: their names and meanings, and where each item's answers are,
/// to write its cells row by row (nothing is held for every item but two numbers).
struct QuestionColumns<'a> {
    guide: Vec<ColumnMeaning>,
    question: &'a Question,
    kind: ColumnsKind<'a>,
    /// The run of `question.answers` (sorted by item) of each item, by item number.
    runs: Vec<Option<(usize, usize)>>,
}

enum ColumnsKind<'a> {
    Choice {
        explained: bool,
        /// Each item's result, by item number.
        results: Vec<Option<&'a ItemResult>>,
    },
    Number {
        unit: Option<&'a str>,
    },
    /// Every answer as text, joined, and their number.
    Joined,
}

/// Writes the tidy CSV to `destination`, replacing it only once complete. Question
/// columns are named by `question_names` when it has the question's id (e.g. its
/// description), else by the id. `analysis` is `set`'s.
///
/// # Errors
/// When the temporary file cannot be written or renamed into place.
pub fn write_tidy_csv(
    destination: &Path,
    set: &ResponseSet,
    analysis: &Analysis,
    original: Option<&OriginalData>,
    question_names: &HashMap<String, String>,
) -> Result<TidySummary, TidyError> {
    write_tidy_csv_with_options(
        destination,
        set,
        analysis,
        original,
        question_names,
        &HashMap::new(),
    )
}

/// As [`write_tidy_csv`], and the column guide of each choice question whose `options`
/// (by question id) read otherwise than their values says what participants read for
/// each value. The CSV itself holds the values, as the raw downloads do.
///
/// # Errors
/// When the temporary file cannot be written or renamed into place.
pub fn write_tidy_csv_with_options(
    destination: &Path,
    set: &ResponseSet,
    analysis: &Analysis,
    original: Option<&OriginalData>,
    question_names: &HashMap<String, String>,
    options: &HashMap<String, Vec<OptionLabel>>,
) -> Result<TidySummary, TidyError> {
    let mut used_names = HashSet::new();
    let questions: Vec<QuestionColumns> = set
        .questions()
        .iter()
        .map(|question| {
            let name = unique_name(
                question_names
                    .get(&question.id)
                    .map_or(&question.id, |name| name)
                    .trim(),
                &mut used_names,
            );
            let analysed = analysis
                .questions
                .iter()
                .find(|analysed| analysed.question_id == question.id);
            let options = options.get(&question.id).map_or(&[][..], |options| options);
            question_columns(set, question, analysed, &name, options)
        })
        .collect();

    let data_columns = original.map_or(&[][..], |data| &data.columns[..]);
    let mut guide = vec![ColumnMeaning::new(
        "task_id",
        "Prolific's id for this row of your data: the same in every download, to match \
         them up.",
    )];
    guide.extend(
        data_columns
            .iter()
            .map(|column| ColumnMeaning::new(column, "From your data, as you uploaded it.")),
    );
    guide.extend(questions.iter().flat_map(|question| question.guide.clone()));
    let header: Vec<String> = guide.iter().map(|meaning| meaning.column.clone()).collect();

    // Rows: the original data's order, then answered items it lacks, in item order.
    let mut rows: Vec<(&str, Option<&[String]>)> = Vec::new();
    let mut listed = HashSet::new();
    if let Some(data) = original {
        for (task, cells) in &data.rows {
            if listed.insert(task.as_str()) {
                rows.push((task, Some(cells)));
            }
        }
    }
    let data_rows = rows.len();
    // Every item has an answer: an item is only made by one.
    let answered = (0..u32::try_from(set.item_count()).unwrap_or(u32::MAX)).map(ItemId);
    for item in answered {
        let task = set.task_id(item);
        if listed.insert(task) {
            rows.push((task, None));
        }
    }
    let items_not_in_data = rows.len() - data_rows;

    let mut unanswered_rows = 0;
    write_csv_into_place(destination, ".tidy-", |writer| {
        write_safely(writer, &header)?;
        let mut record: Vec<String> = Vec::with_capacity(header.len());
        for (task, cells) in &rows {
            record.clear();
            record.push((*task).to_owned());
            match cells {
                Some(cells) => record.extend(
                    (0..data_columns.len())
                        .map(|index| cells.get(index).cloned().unwrap_or_default()),
                ),
                None => record.extend(data_columns.iter().map(|_| String::new())),
            }
            let item = set.item(task);
            let mut any = false;
            for question in &questions {
                any |= question.cells(set, item, &mut record);
            }
            unanswered_rows += u32::from(!any && !questions.is_empty());
            write_safely(writer, &record)?;
        }
        Ok(())
    })?;
    Ok(TidySummary {
        rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        columns: u32::try_from(header.len()).unwrap_or(u32::MAX),
        unanswered_rows,
        items_not_in_data: u32::try_from(items_not_in_data).unwrap_or(u32::MAX),
        guide,
    })
}

impl ColumnMeaning {
    fn new(column: impl Into<String>, meaning: impl Into<String>) -> Self {
        Self {
            column: column.into(),
            meaning: meaning.into(),
        }
    }
}

/// `name`, or `name (2)`, `name (3)`… when an earlier question had the same name.
fn unique_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = name.to_owned();
    let mut number = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{name} ({number})");
        number += 1;
    }
    candidate
}

/// The columns of one question, by its kind.
fn question_columns<'a>(
    set: &ResponseSet,
    question: &'a Question,
    analysed: Option<&'a QuestionAnalysis>,
    name: &str,
    options: &[OptionLabel],
) -> QuestionColumns<'a> {
    let column =
        |what: &str, meaning: String| ColumnMeaning::new(format!("{name} [{what}]"), meaning);
    let count_meaning = || "How many people answered this question for this row.".to_owned();
    let joined = format!("joined with \"{}\"", ANSWER_SEPARATOR.trim());
    // Answers are sorted by item, so each item's answers are one run.
    let mut runs = vec![None; set.item_count()];
    let mut start = 0;
    for answers in question.answers.chunk_by(|a, b| a.item == b.item) {
        if let Some(run) = answers
            .first()
            .and_then(|answer| runs.get_mut(answer.item.0 as usize))
        {
            *run = Some((start, start + answers.len()));
        }
        start += answers.len();
    }
    let (guide, kind) = match question.kind {
        QuestionKind::MultipleChoice | QuestionKind::MultipleChoiceWithFreeText => {
            let explained = question.kind == QuestionKind::MultipleChoiceWithFreeText;
            let mut guide = vec![
                column(
                    "majority answer",
                    format!(
                        "The answer most people gave for this row. Empty on a tie (see the \
                         tied answers) or when nobody answered. Options chosen together read \
                         as one answer, joined with \";\".{}",
                        option_words(options)
                    ),
                ),
                column(
                    "support",
                    "The share of this row's answers that gave the majority answer, from 0 to \
                     1 (1: everyone gave it; 0.6667: two people in three)."
                        .to_owned(),
                ),
                column(
                    "agreement",
                    "How often two people who answered this row gave the same answer, from 0 \
                     (never) to 1 (always). Empty with fewer than two answers."
                        .to_owned(),
                ),
                column(
                    "tied answers",
                    format!(
                        "When the most given answers got the same number of votes: those \
                         answers, {joined}. No answer is picked for a tie: you decide. Empty \
                         otherwise."
                    ),
                ),
                column("number of answers", count_meaning()),
                column(
                    "consensus answer",
                    "The answer the Dawid-Skene model finds most likely for this row: it \
                     weighs each person's answers by how reliable they were on the other rows \
                     (how often they agreed with the others), so a reliable person can outvote \
                     two careless ones, and it settles ties. A row whose answer was known \
                     holds that answer."
                        .to_owned(),
                ),
                column(
                    "consensus confidence",
                    "How sure the model is of the consensus answer, from 0 to 1: 0.93 means \
                     that, given how often each person agreed with the others, the model \
                     thinks this answer is right 93 times in 100. 1 for a known answer."
                        .to_owned(),
                ),
            ];
            if explained {
                guide.push(column(
                    "explanations",
                    format!("What people wrote to explain their choice, {joined}."),
                ));
            }
            let mut results = vec![None; set.item_count()];
            for item in analysed.map_or(&[][..], |analysed| &analysed.items[..]) {
                if let Some(result) = results.get_mut(item.item as usize) {
                    *result = Some(item);
                }
            }
            (guide, ColumnsKind::Choice { explained, results })
        }
        QuestionKind::FreeTextWithUnit => {
            let unit = numbers::main_unit(question);
            let mixed = question.answers.iter().any(|answer| {
                matches!(&answer.value, AnswerValue::TextWithUnit { unit: answered, .. }
                    if answered.as_deref() != unit)
            });
            let averaged = match (unit, mixed) {
                (Some(unit), true) => format!(
                    " Only answers in {unit} are counted in it (most answers used that unit); \
                     answers in another unit are listed but not averaged."
                ),
                (Some(unit), false) => format!(" In {unit}."),
                (None, _) => String::new(),
            };
            let guide = vec![
                column(
                    "mean",
                    format!("The average of this row's answers.{averaged}"),
                ),
                column(
                    "median",
                    format!(
                        "The middle value of this row's answers (as many are above it as \
                         below).{averaged}"
                    ),
                ),
                column(
                    "unit",
                    "The unit of the mean and the median; empty when the question has no \
                     units."
                        .to_owned(),
                ),
                column(
                    "answers",
                    format!("Every answer given for this row, with its unit, {joined}."),
                ),
                column("number of answers", count_meaning()),
            ];
            (guide, ColumnsKind::Number { unit })
        }
        QuestionKind::FileUpload => (
            vec![
                column(
                    "files",
                    format!(
                        "The names of the files people uploaded for this row: one person's \
                         files joined with \";\", people {joined}."
                    ),
                ),
                column("number of answers", count_meaning()),
            ],
            ColumnsKind::Joined,
        ),
        QuestionKind::FreeText | QuestionKind::Other => (
            vec![
                column(
                    "answers",
                    format!("Every answer given for this row, one after another, {joined}."),
                ),
                column("number of answers", count_meaning()),
            ],
            ColumnsKind::Joined,
        ),
    };
    QuestionColumns {
        guide,
        question,
        kind,
        runs,
    }
}

/// What participants read for each option value, for the column guide (` Each answer
/// is an option's value; participants read: a = "Answer A is better", …`); nothing
/// when every option reads as its value.
fn option_words(options: &[OptionLabel]) -> String {
    if options.iter().all(|option| option.label == option.value) {
        return String::new();
    }
    let each: Vec<String> = options
        .iter()
        .map(|option| format!("{} = \"{}\"", option.value, option.label))
        .collect();
    format!(
        " Each answer is an option's value; participants read: {}.",
        each.join(", ")
    )
}

impl QuestionColumns<'_> {
    /// Adds the item's cells to `record` (empty ones when it has no answer to this
    /// question); whether it had any.
    fn cells(&self, set: &ResponseSet, item: Option<ItemId>, record: &mut Vec<String>) -> bool {
        let run = item.and_then(|item| self.runs.get(item.0 as usize).copied().flatten());
        let Some((start, end)) = run else {
            record.extend(self.guide.iter().map(|_| String::new()));
            return false;
        };
        let answers = &self.question.answers[start..end];
        let joined = |texts: &mut dyn Iterator<Item = String>| {
            let mut cell = String::new();
            for (index, text) in texts.enumerate() {
                if index > 0 {
                    cell.push_str(ANSWER_SEPARATOR);
                }
                cell.push_str(&text);
            }
            cell
        };
        match &self.kind {
            ColumnsKind::Choice { explained, results } => {
                match item.and_then(|item| results.get(item.0 as usize).copied().flatten()) {
                    Some(result) => {
                        let label = &result.consolidated;
                        record.push(label.label.clone().unwrap_or_default());
                        record.push(decimal(label.support));
                        record.push(decimal(result.agreement.percent_agreement));
                        record.push(label.tied_labels.join(ANSWER_SEPARATOR));
                    }
                    None => record.extend(std::iter::repeat_n(String::new(), 4)),
                }
                record.push(answers.len().to_string());
                match item
                    .and_then(|item| results.get(item.0 as usize).copied().flatten())
                    .and_then(|result| result.consensus.as_ref())
                {
                    Some(consensus) => {
                        record.push(consensus.label.clone());
                        record.push(decimal(Some(consensus.confidence)));
                    }
                    None => record.extend(std::iter::repeat_n(String::new(), 2)),
                }
                if *explained {
                    record.push(joined(
                        &mut answers
                            .iter()
                            .filter_map(|answer| match &answer.value {
                                AnswerValue::Choice {
                                    explanations: Some(explanations),
                                    ..
                                } => Some(explanations.iter()),
                                _ => None,
                            })
                            .flatten()
                            .filter(|text| !text.trim().is_empty())
                            .map(|text| text.to_string()),
                    ));
                }
            }
            ColumnsKind::Number { unit } => {
                let mut values: Vec<f64> = answers
                    .iter()
                    .filter_map(|answer| numbers::number_in(&answer.value, *unit))
                    .collect();
                let stats = Stats::of(&mut values);
                record.push(stats.mean.map(plain_number).unwrap_or_default());
                record.push(stats.median.map(plain_number).unwrap_or_default());
                record.push(unit.unwrap_or_default().to_owned());
                record.push(joined(
                    &mut answers.iter().map(|answer| set.answer_text(&answer.value)),
                ));
                record.push(answers.len().to_string());
            }
            ColumnsKind::Joined => {
                record.push(joined(
                    &mut answers.iter().map(|answer| set.answer_text(&answer.value)),
                ));
                record.push(answers.len().to_string());
            }
        }
        true
    }
}

/// Where the column guide of a tidy CSV saved at `destination` goes: beside it, named
/// after it (`results.csv` → `results - column guide.csv`).
#[must_use]
pub fn column_guide_path(destination: &Path) -> PathBuf {
    let name = destination
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = match name.len().checked_sub(4) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".csv") => {
            &name[..cut]
        }
        _ => name.as_str(),
    };
    let stem = if stem.is_empty() { "results" } else { stem };
    destination.with_file_name(format!("{stem} - column guide.csv"))
}

/// Writes the column guide (`Column`, `What it holds`, one row per column of the tidy
/// CSV, then a few notes on the file as a whole) to `destination`, with a BOM.
///
/// # Errors
/// When the temporary file cannot be written or renamed into place.
pub fn write_column_guide(destination: &Path, guide: &[ColumnMeaning]) -> Result<(), TidyError> {
    let notes = [
        (
            "Rows",
            "One row per row of your data, in your data's order. Rows nobody answered are kept, \
             with empty answer columns; answered rows missing from your data come last.",
        ),
        (
            "Text starting with = + - @",
            "Shown with an apostrophe before it, so that a spreadsheet treats it as text and \
             never runs it as a formula: answers come from strangers.",
        ),
        (
            "Decimals",
            "Written with a point (0.6667), whatever your computer's settings.",
        ),
    ];
    write_csv_into_place(destination, ".guide-", |writer| {
        write_safely(writer, &["Column".to_owned(), "What it holds".to_owned()])?;
        for meaning in guide {
            write_safely(writer, &[meaning.column.clone(), meaning.meaning.clone()])?;
        }
        write_safely(writer, &[String::new(), String::new()])?;
        for (about, note) in notes {
            write_safely(writer, &[about.to_owned(), note.to_owned()])?;
        }
        Ok(())
    })
}

/// Writes a CSV through `write` into a temporary file beside `destination`, starting
/// with a BOM, then renames it into place once complete.
fn write_csv_into_place(
    destination: &Path,
    prefix: &str,
    write: impl FnOnce(&mut csv::Writer<&mut std::io::BufWriter<&std::fs::File>>) -> csv::Result<()>,
) -> Result<(), TidyError> {
    let folder = destination
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let temporary = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".csv.part")
        .tempfile_in(folder)?;
    let mut buffer = std::io::BufWriter::new(temporary.as_file());
    buffer.write_all(BOM)?;
    {
        let mut writer = csv::Writer::from_writer(&mut buffer);
        write(&mut writer)?;
        writer.flush()?;
    }
    buffer.flush()?;
    drop(buffer);
    temporary.as_file().sync_all()?;
    temporary
        .persist(destination)
        .map_err(|error| TidyError::Io(error.error))?;
    Ok(())
}

/// A share with four decimals, or an empty cell when undefined.
fn decimal(value: Option<f64>) -> String {
    value.map_or_else(String::new, |value| format!("{value:.4}"))
}

/// Writes a row with every cell made safe to open in a spreadsheet (see [`spreadsheet_safe`]).
fn write_safely<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    cells: &[String],
) -> csv::Result<()> {
    let safe: Vec<std::borrow::Cow<'_, str>> =
        cells.iter().map(|cell| spreadsheet_safe(cell)).collect();
    writer.write_record(safe.iter().map(|cell| cell.as_bytes()))
}

/// A cell that Excel, LibreOffice or Sheets would run as a formula (it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return: answers and data come from strangers) gets a
/// leading apostrophe, which spreadsheets show as text. Plain numbers such as `-1.5`
/// are left alone.
pub(crate) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+44 20 7946 0000"), "'+44 20 7946 0000");
        assert_eq!(spreadsheet_safe("\t=1"), "'\t=1");
        assert_eq!(spreadsheet_safe("-1.5"), "-1.5");
        assert_eq!(spreadsheet_safe("+3"), "+3");
        assert_eq!(spreadsheet_safe("positive"), "positive");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
