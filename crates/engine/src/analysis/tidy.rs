//! The tidy CSV a researcher takes home: one row per data row (item), its original
//! data columns when given, then for each choice question the consolidated answer, its
//! support, the number of answers, the item's pairwise agreement and any tie.
//!
//! It is written to a temporary file beside the destination and renamed into place, so
//! a crash or a full disk never leaves half a file under the researcher's name.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use specta::Type;

use super::{Analysis, ItemResult};

#[derive(Debug, thiserror::Error)]
pub enum TidyError {
    #[error("The tidy results could not be written: {0}")]
    Io(#[from] std::io::Error),
    #[error("The tidy results could not be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("The report has no `task_id` column, so its rows cannot be matched to answers.")]
    NoTaskIdColumn,
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
}

/// Writes the tidy CSV to `destination`, replacing it only once complete. Question
/// columns are named by `question_names` when it has the question's id (e.g. its
/// description), else by the id.
///
/// # Errors
/// When the temporary file cannot be written or renamed into place.
pub fn write_tidy_csv(
    destination: &Path,
    analysis: &Analysis,
    original: Option<&OriginalData>,
    question_names: &HashMap<String, String>,
) -> Result<TidySummary, TidyError> {
    let folder = destination
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let temporary = tempfile::Builder::new()
        .prefix(".tidy-")
        .suffix(".csv.part")
        .tempfile_in(folder)?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(temporary.as_file()));

    let choice_questions: Vec<_> = analysis
        .questions
        .iter()
        .filter(|question| question.agreement.is_some())
        .collect();
    // For each question, each item's result by task id.
    let results: Vec<HashMap<&str, &ItemResult>> = choice_questions
        .iter()
        .map(|question| {
            question
                .items
                .iter()
                .map(|item| (item.task_id.as_str(), item))
                .collect()
        })
        .collect();

    let data_columns = original.map_or(&[][..], |data| &data.columns[..]);
    let mut header = vec!["task_id".to_owned()];
    header.extend(data_columns.iter().cloned());
    for question in &choice_questions {
        let name = question_names
            .get(&question.question_id)
            .unwrap_or(&question.question_id);
        for suffix in ["answer", "support", "answers", "agreement", "tied"] {
            header.push(format!("{name} {suffix}"));
        }
    }
    write_safely(&mut writer, &header)?;

    // Rows: the original data's order, then answered items it lacks, in item order.
    let mut rows: Vec<(&str, Option<&[String]>)> = Vec::new();
    let mut listed = std::collections::HashSet::new();
    if let Some(data) = original {
        for (task, cells) in &data.rows {
            if listed.insert(task.as_str()) {
                rows.push((task, Some(cells)));
            }
        }
    }
    let data_rows = rows.len();
    let mut answered: Vec<(u32, &str)> = choice_questions
        .iter()
        .flat_map(|question| question.items.iter())
        .map(|item| (item.item, item.task_id.as_str()))
        .collect();
    answered.sort_unstable();
    answered.dedup();
    for (_, task) in answered {
        if listed.insert(task) {
            rows.push((task, None));
        }
    }
    let items_not_in_data = rows.len() - data_rows;

    let mut unanswered_rows = 0;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for (task, cells) in &rows {
        record.clear();
        record.push((*task).to_owned());
        match cells {
            Some(cells) => record.extend(cells.iter().cloned()),
            None => record.extend(data_columns.iter().map(|_| String::new())),
        }
        let mut any = false;
        for by_task in &results {
            match by_task.get(task) {
                Some(item) => {
                    any = true;
                    let label = &item.consolidated;
                    record.push(label.label.clone().unwrap_or_default());
                    record.push(decimal(label.support));
                    record.push(label.votes_cast.to_string());
                    record.push(decimal(item.agreement.percent_agreement));
                    record.push(label.tied_labels.join(" | "));
                }
                None => record.extend(std::iter::repeat_n(String::new(), 5)),
            }
        }
        unanswered_rows += u32::from(!any && !results.is_empty());
        write_safely(&mut writer, &record)?;
    }
    writer.flush()?;
    drop(writer);
    temporary.as_file().sync_all()?;
    temporary
        .persist(destination)
        .map_err(|error| TidyError::Io(error.error))?;
    Ok(TidySummary {
        rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        columns: u32::try_from(header.len()).unwrap_or(u32::MAX),
        unanswered_rows,
        items_not_in_data: u32::try_from(items_not_in_data).unwrap_or(u32::MAX),
    })
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
