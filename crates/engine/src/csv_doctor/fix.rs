//! One-click fixes: a corrected copy of the file, never a change to the original.
//!
//! The copy is UTF-8 without a byte order mark, separated by commas, with LF line
//! breaks, without NUL characters, and cells quoted as RFC 4180 says (only where needed), written by the `csv`
//! crate. It is written to a temporary file beside the destination and renamed into
//! place only when complete, so a crash or a cancel never leaves half a file behind.
//! What the doctor cannot repair safely (rows with the wrong number of values, broken
//! quotes) is carried over as it is; inspecting the copy shows what is left.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use specta::Type;

use super::encoding::{decode_cell, is_utf8};
use super::records::Record;
use super::repeats::{MAX_ROWS_CHECKED_FOR_REPEATS, SeenRows, row_hash};
use super::source::{Control, Source, read_error};
use super::{Delimiter, DoctorError, LineEndings, ReadProgress, TextEncoding};

/// Which repairs to make. Converting to UTF-8, commas and LF always happens.
#[derive(Clone, Copy)]
pub struct FixOptions<'a> {
    /// Leave out rows whose cells are all empty. Empty lines above the header are always
    /// left out: the header must be the first line.
    pub drop_empty_rows: bool,
    /// Name columns without a name `column_3` (after their position) and number
    /// repeated names `rating_2`, `rating_3`.
    pub fix_column_names: bool,
    /// Leave out rows that are exact copies of an earlier row, or of the header.
    pub drop_duplicate_rows: bool,
    /// Called about once per megabyte read, and once at the end.
    pub progress: Option<&'a dyn Fn(ReadProgress)>,
    /// Set it to stop; nothing is written then.
    pub cancel: Option<&'a AtomicBool>,
}

impl Default for FixOptions<'_> {
    /// Every repair: what the one-click "Fix" button does.
    fn default() -> Self {
        Self {
            drop_empty_rows: true,
            fix_column_names: true,
            drop_duplicate_rows: true,
            progress: None,
            cancel: None,
        }
    }
}

/// What the fix did, for a "what changed" summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FixSummary {
    pub encoding_was: TextEncoding,
    pub delimiter_was: Delimiter,
    pub line_endings_were: LineEndings,
    /// Rows of data written below the header.
    #[specta(type = u32)]
    pub rows_written: u64,
    #[specta(type = u32)]
    pub empty_rows_dropped: u64,
    #[specta(type = u32)]
    pub duplicate_rows_dropped: u64,
    #[specta(type = u32)]
    pub repeated_headers_dropped: u64,
    pub renamed_columns: Vec<RenamedColumn>,
    #[specta(type = u32)]
    pub bytes_written: u64,
}

/// A column whose name the fix gave or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RenamedColumn {
    /// Counting from 1.
    pub position: u32,
    pub from: String,
    pub to: String,
}

/// Writes a corrected copy of `source` to `destination` (which must be another file).
pub fn fix(
    source: &Path,
    destination: &Path,
    fixes: &FixOptions,
) -> Result<FixSummary, DoctorError> {
    if is_same_file(source, destination) {
        return Err(DoctorError::SameFile {
            path: destination.to_path_buf(),
        });
    }
    let file = File::open(source).map_err(DoctorError::Read)?;
    let size = file.metadata().ok().map(|metadata| metadata.len());
    let control = Control {
        progress: fixes.progress,
        cancel: fixes.cancel,
    };
    let mut input = Source::open(file, size, control, None)?;

    let folder = match destination.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut partial = tempfile::Builder::new()
        .prefix(".batchdesk-fix-")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(DoctorError::Write)?;
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(partial.as_file_mut());
    let mut summary = copy_rows(&mut input, &mut writer, fixes)?;
    writer.flush().map_err(DoctorError::Write)?;
    drop(writer);
    control.check_cancelled()?;
    let file = partial.as_file();
    file.sync_all().map_err(DoctorError::Write)?;
    summary.bytes_written = file.metadata().map_err(DoctorError::Write)?.len();
    partial
        .persist(destination)
        .map_err(|error| DoctorError::Write(error.error))?;
    input.report_done();
    Ok(summary)
}

fn is_same_file(source: &Path, destination: &Path) -> bool {
    match (fs::canonicalize(source), fs::canonicalize(destination)) {
        (Ok(source), Ok(destination)) => source == destination,
        // The destination does not exist yet: it cannot be the source.
        _ => false,
    }
}

fn write_error(error: csv::Error) -> DoctorError {
    DoctorError::Write(std::io::Error::other(error))
}

fn copy_rows<W: std::io::Write>(
    input: &mut Source<'_>,
    writer: &mut csv::Writer<W>,
    fixes: &FixOptions,
) -> Result<FixSummary, DoctorError> {
    let mut summary = FixSummary {
        encoding_was: input.encoding,
        delimiter_was: input.delimiter(),
        line_endings_were: LineEndings::None,
        rows_written: 0,
        empty_rows_dropped: 0,
        duplicate_rows_dropped: 0,
        repeated_headers_dropped: 0,
        renamed_columns: Vec::new(),
        bytes_written: 0,
    };
    let mut record = Record::default();
    let mut header_hash: Option<u128> = None;
    let mut seen = SeenRows::new(input.encoding, input.total_bytes());
    while input.records.read_record(&mut record).map_err(read_error)? {
        if record.truncated {
            return Err(DoctorError::RowTooLarge { line: record.line });
        }
        if record.is_blank() && (fixes.drop_empty_rows || header_hash.is_none()) {
            summary.empty_rows_dropped += 1;
            continue;
        }
        let Some(header_hash) = header_hash else {
            header_hash = Some(row_hash(&record));
            let names: Vec<String> = record
                .fields()
                .map(|field| without_nul(&decode_cell(field)))
                .collect();
            let names = if fixes.fix_column_names {
                let repaired = repaired_names(&names);
                summary.renamed_columns = renamed(&names, &repaired);
                repaired
            } else {
                names
            };
            writer.write_record(&names).map_err(write_error)?;
            continue;
        };
        if fixes.drop_duplicate_rows && !record.is_blank() {
            let hash = row_hash(&record);
            if hash == header_hash {
                summary.repeated_headers_dropped += 1;
                continue;
            }
            seen.size_for(&record, summary.rows_written);
            // Past the limit rows are kept: memory stays bounded, nothing is lost.
            if seen.hashes.len() < MAX_ROWS_CHECKED_FOR_REPEATS && !seen.hashes.insert(hash) {
                summary.duplicate_rows_dropped += 1;
                continue;
            }
        }
        write_row(writer, &record)?;
        summary.rows_written += 1;
    }
    summary.line_endings_were = input.records.line_breaks().endings();
    Ok(summary)
}

fn write_row<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    record: &Record,
) -> Result<(), DoctorError> {
    let text = record.text();
    if is_utf8(text) && !text.contains(&0) {
        writer.write_record(record.fields()).map_err(write_error)
    } else {
        let cells: Vec<String> = record
            .fields()
            .map(|field| without_nul(&decode_cell(field)))
            .collect();
        writer.write_record(&cells).map_err(write_error)
    }
}

/// The text without NUL characters (left by damaged files; see the `nul_characters`
/// finding).
fn without_nul(text: &str) -> String {
    text.replace('\0', "")
}

/// Column names with blanks named after their position (`column_3`) and repeats
/// numbered (`rating_2`), never clashing with another column's name.
pub(crate) fn repaired_names(names: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = names
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    let mut kept: HashSet<String> = HashSet::new();
    let mut repaired = Vec::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        let trimmed = name.trim();
        let new_name = if trimmed.is_empty() {
            unused(&format!("column_{}", index + 1), &taken)
        } else if kept.contains(trimmed) {
            unused(trimmed, &taken)
        } else {
            kept.insert(trimmed.to_owned());
            repaired.push(name.clone());
            continue;
        };
        taken.insert(new_name.clone());
        kept.insert(new_name.clone());
        repaired.push(new_name);
    }
    repaired
}

/// `base` if no column has that name, else `base_2`, `base_3`…
fn unused(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..)
        .map(|number| format!("{base}_{number}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_owned())
}

fn renamed(before: &[String], after: &[String]) -> Vec<RenamedColumn> {
    before
        .iter()
        .zip(after)
        .enumerate()
        .filter(|(_, (from, to))| from != to)
        .map(|(index, (from, to))| RenamedColumn {
            position: u32::try_from(index + 1).unwrap_or(u32::MAX),
            from: from.clone(),
            to: to.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn blank_names_are_named_after_their_position() {
        assert_eq!(
            repaired_names(&names(&["id", "", "text", " "])),
            names(&["id", "column_2", "text", "column_4"])
        );
    }

    #[test]
    fn repeated_names_are_numbered_without_clashing() {
        assert_eq!(
            repaired_names(&names(&["rating", "rating", "rating_2", "rating"])),
            names(&["rating", "rating_3", "rating_2", "rating_4"])
        );
        // A blank column whose natural name is taken by another column.
        assert_eq!(
            repaired_names(&names(&["column_2", ""])),
            names(&["column_2", "column_2_2"])
        );
    }

    #[test]
    fn renames_are_listed() {
        let before = names(&["a", "", "a"]);
        let after = repaired_names(&before);
        let list = renamed(&before, &after);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].position, 2);
        assert_eq!(list[0].to, "column_2");
        assert_eq!(list[1].to, "a_2");
    }
}
