//! The first rows of data as participants will see them: decoded, split into the
//! columns the header names, with the `META_` columns marked hidden. Reads only as far
//! as the rows it shows.

use std::fs::File;
use std::path::Path;

use serde::Serialize;
use specta::Type;

use super::encoding::decode_cell;
use super::records::Record;
use super::source::{Control, Source, read_error};
use super::text::shorten;
use super::{DoctorError, Report};

/// A cell longer than this is shortened in the preview (with "…").
const PREVIEW_CELL_CHARS: usize = 5_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub columns: Vec<PreviewColumn>,
    pub rows: Vec<PreviewRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewColumn {
    pub name: String,
    /// Participants do not see it (its name starts with `META_`).
    pub hidden: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// The line of the file where the row starts.
    #[specta(type = u32)]
    pub line: u64,
    /// One per column: missing values are empty, extra values are left out.
    pub cells: Vec<String>,
    /// Whether the row had exactly one value per column.
    pub complete: bool,
}

/// The first `rows` rows of data of a file already inspected (its report gives the
/// encoding, separator and columns). Empty rows are skipped, as after a fix.
pub fn preview(path: &Path, report: &Report, rows: usize) -> Result<Preview, DoctorError> {
    let file = File::open(path).map_err(DoctorError::Read)?;
    let mut source = Source::open(
        file,
        None,
        Control::default(),
        Some((report.encoding, report.delimiter)),
    )?;
    let columns: Vec<PreviewColumn> = report
        .columns
        .iter()
        .map(|column| PreviewColumn {
            name: column.name.clone(),
            hidden: column.hidden,
        })
        .collect();
    let mut shown = Vec::with_capacity(rows.min(1000));
    let mut record = Record::default();
    let mut past_header = false;
    while shown.len() < rows
        && source
            .records
            .read_record(&mut record)
            .map_err(read_error)?
    {
        if record.is_blank() {
            continue;
        }
        if !past_header {
            past_header = true;
            continue;
        }
        let cells = (0..columns.len())
            .map(|index| {
                if index < record.len() {
                    shorten(&decode_cell(record.field(index)), PREVIEW_CELL_CHARS)
                } else {
                    String::new()
                }
            })
            .collect();
        shown.push(PreviewRow {
            line: record.line,
            cells,
            complete: record.len() == columns.len(),
        });
    }
    Ok(Preview {
        columns,
        rows: shown,
    })
}
