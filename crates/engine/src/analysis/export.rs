//! Reads Prolific's export ZIP. Its members are found by what their names say, not by
//! exact names: Prolific documents a flat archive (`responses-by-task.jsonl`,
//! `responses-by-submission.jsonl`, `batch.json`), but a folder around the files, another
//! case or `_` for `-` must not make a good export unreadable. An archive that does not
//! say clearly which file holds the responses is refused, so the caller can fetch them
//! another way rather than guess.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};

use super::model::{ResponseSet, ResponseSetBuilder};
use super::parse::{BatchLayout, ParseError, batch_layout};

/// What the analysis takes from Prolific's export ZIP.
#[derive(Debug)]
pub struct ExportContents {
    pub responses: ResponseSet,
    /// Each question's description by its id, from `batch.json` (empty if absent), for
    /// naming columns.
    pub question_names: HashMap<String, String>,
    /// The rest of what `batch.json` says (its question names are `question_names`).
    pub layout: BatchLayout,
}

/// How a responses member is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponsesFormat {
    /// One JSON object a line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// One JSON document (`.json`): `{"results": [...]}` or a list of records.
    Json,
}

/// The export's members the analysis reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportMembers {
    /// The member holding the responses, by its full name in the archive.
    pub responses: String,
    pub responses_format: ResponsesFormat,
    /// `batch.json`, for the questions' names, when there is one to go by.
    pub batch: Option<String>,
}

/// Opens the export as a ZIP archive.
///
/// # Errors
/// When it is not a ZIP archive (cut short, damaged, or something else).
pub fn open_export_zip<R: Read + Seek>(reader: R) -> Result<zip::ZipArchive<R>, ParseError> {
    zip::ZipArchive::new(reader).map_err(|error| ParseError::Zip(error.to_string()))
}

/// Finds the responses file and `batch.json` in the export, in any folder and any case.
/// `responses-by-task.jsonl` is preferred, then `responses-by-submission.jsonl`, then any
/// other JSON or JSON Lines file whose name says it holds responses.
///
/// # Errors
/// When no member looks like the responses, or several look equally like them.
pub fn find_export_members<R: Read + Seek>(
    archive: &zip::ZipArchive<R>,
) -> Result<ExportMembers, ParseError> {
    let files: Vec<(String, String)> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter_map(|path| Some((simple_file_name(&path)?, path.into_owned())))
        .collect();
    let best = files
        .iter()
        .filter_map(|(name, path)| Some((responses_rank(name)?, path)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(rank, _)| rank)
        .ok_or(ParseError::NoResponsesInExport)?;
    let candidates: Vec<&String> = files
        .iter()
        .filter(|(name, _)| responses_rank(name) == Some(best))
        .map(|(_, path)| path)
        .collect();
    let [responses] = candidates[..] else {
        return Err(ParseError::AmbiguousResponsesInExport(
            candidates.into_iter().cloned().collect(),
        ));
    };
    let batches: Vec<&String> = files
        .iter()
        .filter(|(name, _)| name == "batch.json")
        .map(|(_, path)| path)
        .collect();
    Ok(ExportMembers {
        responses_format: format_of(responses),
        batch: batch_beside(&batches, responses).cloned(),
        responses: responses.clone(),
    })
}

/// Reads the export ZIP: its responses file streamed out of the archive (see
/// [`find_export_members`]) and the questions' descriptions from `batch.json`.
///
/// # Errors
/// When the archive cannot be read, does not say which file holds the responses, or a
/// file in it is damaged or not JSON.
pub fn read_export_zip(archive: impl Read + Seek) -> Result<ExportContents, ParseError> {
    let mut archive = open_export_zip(archive)?;
    let members = find_export_members(&archive)?;
    let mut builder = ResponseSetBuilder::new();
    {
        let file = member(&mut archive, &members.responses)?;
        let reader = BufReader::with_capacity(1 << 16, file);
        match members.responses_format {
            ResponsesFormat::JsonLines => builder.add_jsonl(reader)?,
            ResponsesFormat::Json => builder.add_json(reader)?,
        }
    }
    let mut layout = match &members.batch {
        Some(name) => batch_layout(member(&mut archive, name)?)?,
        None => BatchLayout::default(),
    };
    Ok(ExportContents {
        responses: builder.finish(),
        question_names: std::mem::take(&mut layout.question_names),
        layout,
    })
}

/// One member of the archive, to read.
///
/// # Errors
/// When the member cannot be opened (damaged, or compressed in a way not supported).
pub fn member<'a, R: Read + Seek>(
    archive: &'a mut zip::ZipArchive<R>,
    name: &str,
) -> Result<zip::read::ZipFile<'a, R>, ParseError> {
    archive
        .by_name(name)
        .map_err(|error| ParseError::Zip(error.to_string()))
}

/// A member's file name without its folders, lower case, with `_` and spaces read as
/// `-`. `None` for folders and for the resource forks macOS adds when zipping.
fn simple_file_name(path: &str) -> Option<String> {
    if path.ends_with('/') || path.ends_with('\\') {
        return None;
    }
    if path
        .split(['/', '\\'])
        .any(|part| part.eq_ignore_ascii_case("__MACOSX"))
    {
        return None;
    }
    let name = path.rsplit(['/', '\\']).next()?;
    if name.starts_with("._") {
        return None;
    }
    Some(name.to_lowercase().replace(['_', ' '], "-"))
}

/// How surely a (simplified) file name holds the responses: lower is surer, `None` not
/// at all.
fn responses_rank(name: &str) -> Option<u8> {
    match name {
        "responses-by-task.jsonl" => Some(0),
        "responses-by-submission.jsonl" => Some(1),
        _ if name.contains("response") && is_json(name) => Some(2),
        _ => None,
    }
}

fn is_json(name: &str) -> bool {
    [".jsonl", ".ndjson", ".json"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

fn format_of(path: &str) -> ResponsesFormat {
    if path.to_lowercase().ends_with(".json") {
        ResponsesFormat::Json
    } else {
        ResponsesFormat::JsonLines
    }
}

/// The `batch.json` to take the questions' names from: the only one, or else the one in
/// the responses' own folder.
fn batch_beside<'a>(batches: &[&'a String], responses: &str) -> Option<&'a String> {
    if let [only] = batches {
        return Some(only);
    }
    let folder = |path: &str| {
        path.rsplit_once(['/', '\\'])
            .map(|(folder, _)| folder.to_owned())
    };
    batches
        .iter()
        .copied()
        .find(|batch| folder(batch) == folder(responses))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::{Cursor, Write};

    use super::*;

    const LINE: &str = r#"{"task_id": "t1", "responses": [{"task_id": "t1", "participant_id": "p1", "response": {"instruction_id": "q1", "type": "multiple_choice", "answer": [{"value": "pos"}]}}]}"#;

    fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in members {
            if name.ends_with('/') {
                zip.add_directory(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                continue;
            }
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn members_of(members: &[(&str, &str)]) -> Result<ExportMembers, ParseError> {
        find_export_members(&open_export_zip(Cursor::new(zip_of(members))).unwrap())
    }

    #[test]
    fn members_are_found_in_a_folder_in_any_case() {
        let found = members_of(&[
            ("Export 2026/", ""),
            ("Export 2026/Batch.JSON", "{}"),
            ("Export 2026/RESPONSES_BY_SUBMISSION.JSONL", LINE),
            ("Export 2026/Responses-By-Task.jsonl", LINE),
            ("__MACOSX/Export 2026/._Responses-By-Task.jsonl", "junk"),
        ])
        .unwrap();
        assert_eq!(
            found,
            ExportMembers {
                responses: "Export 2026/Responses-By-Task.jsonl".to_owned(),
                responses_format: ResponsesFormat::JsonLines,
                batch: Some("Export 2026/Batch.JSON".to_owned()),
            }
        );
    }

    #[test]
    fn another_responses_name_is_read_by_its_extension() {
        let found = members_of(&[("data/batch_responses.json", r#"{"results": []}"#)]).unwrap();
        assert_eq!(found.responses, "data/batch_responses.json");
        assert_eq!(found.responses_format, ResponsesFormat::Json);
        assert_eq!(found.batch, None);
    }

    #[test]
    fn no_responses_or_several_alike_are_refused_with_their_names() {
        let missing = members_of(&[("batch.json", "{}"), ("notes.txt", "")]).unwrap_err();
        assert!(
            matches!(missing, ParseError::NoResponsesInExport),
            "{missing}"
        );
        let ambiguous = members_of(&[
            ("a/responses-by-task.jsonl", LINE),
            ("b/responses-by-task.jsonl", LINE),
        ])
        .unwrap_err();
        let message = ambiguous.to_string();
        assert!(
            message.contains("a/responses-by-task.jsonl")
                && message.contains("b/responses-by-task.jsonl"),
            "{message}"
        );
    }

    #[test]
    fn the_batch_beside_the_responses_names_the_questions() {
        let batch = |description: &str| {
            format!(
                r#"{{"batch_items": [{{"rows": [{{"columns": [{{"items": [{{"id": "q1", "description": "{description}"}}]}}]}}]}}]}}"#
            )
        };
        let (mine, theirs) = (batch("Mine"), batch("Theirs"));
        let contents = read_export_zip(Cursor::new(zip_of(&[
            ("old/batch.json", &theirs),
            ("new/batch.json", &mine),
            ("new/responses-by-task.jsonl", LINE),
        ])))
        .unwrap();
        assert_eq!(contents.question_names["q1"], "Mine");
        assert_eq!(contents.responses.item_count(), 1);
    }
}
