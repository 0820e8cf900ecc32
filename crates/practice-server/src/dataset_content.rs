//! What a dataset holds and how an uploaded file becomes it: V3 CSV tables (API-NOTES
//! §3.9) and V4 schemas with their records (§3.2, §3.7).

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::error::FieldErrors;

/// The column that sets custom task groups in a V3 CSV.
pub(crate) const TASK_GROUP_COLUMN: &str = "META_TASK_GROUP_ID";

/// The kinds of file an upload URL can be asked for, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum FileFormat {
    Csv,
    Zip,
    Jsonl,
}

impl FileFormat {
    pub(crate) fn from_filename(filename: &str) -> Option<Self> {
        let (_, extension) = filename.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "zip" => Some(Self::Zip),
            "jsonl" => Some(Self::Jsonl),
            _ => None,
        }
    }

    /// The `Content-Type` the upload must be sent with.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Zip => "application/zip",
            Self::Jsonl => "application/x-ndjson",
        }
    }
}

// ---------------------------------------------------------------------------------------
// V3: a CSV table

/// A parsed V3 CSV: the header and the data rows, every cell kept as text. `META_`
/// columns are kept like any other: they are hidden from participants, not dropped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Table {
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn has_predetermined_grouping_id(&self) -> bool {
        self.group_column().is_some()
    }

    fn group_column(&self) -> Option<usize> {
        self.columns
            .iter()
            .position(|name| name == TASK_GROUP_COLUMN)
    }

    /// Each row's `META_TASK_GROUP_ID`, when the table has that column.
    pub(crate) fn group_keys(&self) -> Option<Vec<Option<String>>> {
        let column = self.group_column()?;
        Some(
            self.rows
                .iter()
                .map(|row| row.get(column).cloned().filter(|key| !key.is_empty()))
                .collect(),
        )
    }
}

/// Where an upload's bytes are read from. Processing reads a file in two passes (the
/// quoting check, then the parse), each from the start, and never holds it whole.
pub(crate) trait Source {
    fn open(&self) -> io::Result<Box<dyn Read + '_>>;
}

impl Source for &[u8] {
    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(*self))
    }
}

/// A stored object on disk.
impl Source for PathBuf {
    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(BufReader::new(std::fs::File::open(self)?)))
    }
}

fn unreadable(error: &io::Error) -> String {
    format!("The stored file could not be read: {error}")
}

/// The first pass: the file is not blank, and its quoting is sound.
fn prescan(source: &dyn Source) -> Result<(), String> {
    let mut reader = source.open().map_err(|error| unreadable(&error))?;
    let mut checker = QuoteChecker::default();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(unreadable(&error)),
        };
        checker.feed(&buffer[..read])?;
    }
    checker.finish()
}

#[cfg(test)]
pub(crate) fn parse_csv_table(bytes: &[u8]) -> Result<Table, String> {
    parse_csv_source(&bytes)
}

/// A CSV reader over an uploaded file, positioned after its header row.
type CsvRows<'a> = csv::Reader<Box<dyn Read + 'a>>;

/// Checks the quoting, opens a CSV reader and reads its header row, trimmed and checked,
/// as both dataset versions do before their rows.
fn open_csv<'a>(
    source: &'a dyn Source,
    flexible: bool,
) -> Result<(CsvRows<'a>, Vec<String>), String> {
    prescan(source)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(flexible)
        .from_reader(source.open().map_err(|error| unreadable(&error))?);
    let columns: Vec<String> = reader
        .headers()
        .map_err(|error| describe_csv_error(&error))?
        .iter()
        .map(|name| name.trim().to_owned())
        .collect();
    check_header(&columns)?;
    Ok((reader, columns))
}

/// Parses a V3 CSV as Prolific's processing would: a header row is required, every row
/// must have as many fields as the header, the text must be UTF-8. Rows whose every cell
/// is empty (`,,,`) are not datapoints. The error is the reason the dataset ends in
/// `ERROR`, in words a researcher can act on.
pub(crate) fn parse_csv_source(source: &dyn Source) -> Result<Table, String> {
    let (mut reader, columns) = open_csv(source, false)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| describe_csv_error(&error))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if rows.is_empty() {
        return Err("The file has a header row but no data rows.".to_owned());
    }
    let table = Table { columns, rows };
    if let Some(keys) = table.group_keys()
        && let Some(row) = keys.iter().position(Option::is_none)
    {
        return Err(format!(
            "Data row {} has no {TASK_GROUP_COLUMN}; every row needs one when the column is present.",
            row + 1
        ));
    }
    Ok(table)
}

/// Checks quoting as RFC 4180 has it, which the `csv` crate is lenient about: a quoted
/// field must be closed, and its closing quote must end the field. Without this a stray
/// quote silently swallows the rows after it and the file still "parses".
/// Fed the file chunk by chunk, so a large upload is checked without holding it.
struct QuoteChecker {
    state: QuoteState,
    line: usize,
    opened_on: usize,
    previous: u8,
    blank: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Default for QuoteChecker {
    fn default() -> Self {
        Self {
            state: QuoteState::FieldStart,
            line: 1,
            opened_on: 1,
            previous: 0,
            blank: true,
        }
    }
}

impl QuoteChecker {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), String> {
        use QuoteState as State;
        self.blank = self.blank && bytes.iter().all(u8::is_ascii_whitespace);
        let Self {
            state,
            line,
            opened_on,
            previous,
            ..
        } = self;
        for &byte in bytes {
            // A line ends at \n, or at a \r that no \n follows (classic Mac files).
            if byte == b'\n' || *previous == b'\r' {
                *line += 1;
            }
            *previous = byte;
            let ends_field = matches!(byte, b',' | b'\r' | b'\n');
            *state = match (*state, byte) {
                (State::FieldStart, b'"') => {
                    *opened_on = *line;
                    State::Quoted
                }
                (State::FieldStart | State::Unquoted, _) if ends_field => State::FieldStart,
                (State::FieldStart | State::Unquoted, _) => State::Unquoted,
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::QuoteInQuoted, _) if ends_field => State::FieldStart,
                (State::QuoteInQuoted, _) => {
                    return Err(format!(
                        "Line {line} has text right after a closing quote. A quote inside a quoted field must be doubled (\"\"), and a field that starts with a quote must end with one."
                    ));
                }
            };
        }
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        if self.blank {
            return Err("The file is empty.".to_owned());
        }
        if self.state == QuoteState::Quoted {
            return Err(format!(
                "The quoted field that starts on line {} is never closed.",
                self.opened_on
            ));
        }
        Ok(())
    }
}

fn check_header(columns: &[String]) -> Result<(), String> {
    if columns.is_empty() || columns.iter().all(String::is_empty) {
        return Err("The file has no header row.".to_owned());
    }
    if let Some(position) = columns.iter().position(String::is_empty) {
        return Err(format!(
            "Column {} of the header row has no name.",
            position + 1
        ));
    }
    let mut seen = HashSet::new();
    for name in columns {
        if !seen.insert(name) {
            return Err(format!("The header row names the column \"{name}\" twice."));
        }
    }
    Ok(())
}

fn describe_csv_error(error: &csv::Error) -> String {
    let line = error
        .position()
        .map(|position| format!(" (line {})", position.line()))
        .unwrap_or_default();
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => format!(
            "The file is not valid UTF-8{line}. Save it as \"CSV UTF-8\" and upload it again."
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "A row has {len} fields but the header has {expected_len}{line}. Check for unquoted commas or unclosed quotes."
        ),
        _ => format!("The file could not be read as CSV{line}: {error}"),
    }
}

// ---------------------------------------------------------------------------------------
// V4: a schema and records

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum FieldType {
    Text,
    ImageUrl,
    AudioUrl,
    VideoUrl,
    Metadata,
    TaskGroupId,
}

impl FieldType {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "text" => Self::Text,
            "image_url" => Self::ImageUrl,
            // Newer docs and the CLI accept these two; the spec snapshot lists the others.
            "audio_url" => Self::AudioUrl,
            "video_url" => Self::VideoUrl,
            "metadata" => Self::Metadata,
            "task_group_id" => Self::TaskGroupId,
            _ => return None,
        })
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::ImageUrl => "image_url",
            Self::AudioUrl => "audio_url",
            Self::VideoUrl => "video_url",
            Self::Metadata => "metadata",
            Self::TaskGroupId => "task_group_id",
        }
    }

    /// Whether a `dataset_field` layout item may show this field to participants.
    pub(crate) fn is_displayable(self) -> bool {
        !matches!(self, Self::Metadata | Self::TaskGroupId)
    }

    fn is_url(self) -> bool {
        matches!(self, Self::ImageUrl | Self::AudioUrl | Self::VideoUrl)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct SchemaField {
    pub(crate) kind: FieldType,
    pub(crate) label: Option<String>,
}

/// A V4 dataset schema (`DatasetSchema`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct DatasetSchema {
    pub(crate) strict: bool,
    pub(crate) fields: BTreeMap<String, SchemaField>,
}

const MAX_SCHEMA_FIELDS: usize = 200;
const MAX_FIELD_KEY_CHARS: usize = 128;
const MAX_LABEL_CHARS: usize = 255;

impl DatasetSchema {
    /// Checks a `schema` from a request body (API-NOTES §3.2), naming errors
    /// `schema.<…>` in `errors`.
    pub(crate) fn parse(value: &Value, errors: &mut FieldErrors) -> Option<Self> {
        let Some(object) = value.as_object() else {
            errors.add("schema", "Must be a JSON object.");
            return None;
        };
        let strict = match object.get("strict") {
            Some(Value::Bool(strict)) => Some(*strict),
            None | Some(Value::Null) => {
                errors.add("schema.strict", crate::body::REQUIRED);
                None
            }
            Some(_) => {
                errors.add("schema.strict", "Must be a valid boolean.");
                None
            }
        };
        let fields = match object.get("fields") {
            Some(Value::Object(fields)) => Self::parse_fields(fields, errors),
            None | Some(Value::Null) => {
                errors.add("schema.fields", crate::body::REQUIRED);
                None
            }
            Some(_) => {
                errors.add(
                    "schema.fields",
                    "Must be a JSON object of field descriptors.",
                );
                None
            }
        };
        Some(Self {
            strict: strict?,
            fields: fields?,
        })
    }

    fn parse_fields(
        fields: &Map<String, Value>,
        errors: &mut FieldErrors,
    ) -> Option<BTreeMap<String, SchemaField>> {
        let before = errors.clone();
        if fields.is_empty() {
            errors.add("schema.fields", "A schema needs at least one field.");
        }
        if fields.len() > MAX_SCHEMA_FIELDS {
            errors.add(
                "schema.fields",
                format!("A schema has at most {MAX_SCHEMA_FIELDS} fields."),
            );
        }
        let mut parsed = BTreeMap::new();
        for (key, descriptor) in fields {
            let name = format!("schema.fields.{key}");
            let length = key.chars().count();
            if !(1..=MAX_FIELD_KEY_CHARS).contains(&length) {
                errors.add(
                    &name,
                    format!("Field keys are 1 to {MAX_FIELD_KEY_CHARS} characters long."),
                );
            }
            let Some(descriptor) = descriptor.as_object() else {
                errors.add(&name, "Must be an object with a \"type\".");
                continue;
            };
            let kind = match descriptor.get("type").and_then(Value::as_str) {
                Some(text) => FieldType::parse(text).or_else(|| {
                    errors.add(
                        &format!("{name}.type"),
                        format!("\"{text}\" is not a valid choice. Choose text, image_url, audio_url, video_url, metadata or task_group_id."),
                    );
                    None
                }),
                None => {
                    errors.add(&format!("{name}.type"), crate::body::REQUIRED);
                    None
                }
            };
            let label = match descriptor.get("label") {
                None | Some(Value::Null) => None,
                Some(Value::String(label)) if label.chars().count() <= MAX_LABEL_CHARS => {
                    Some(label.clone())
                }
                Some(Value::String(_)) => {
                    errors.add(
                        &format!("{name}.label"),
                        format!("Labels are at most {MAX_LABEL_CHARS} characters long."),
                    );
                    None
                }
                Some(_) => {
                    errors.add(&format!("{name}.label"), "Not a valid string.");
                    None
                }
            };
            if let Some(kind) = kind {
                parsed.insert(key.clone(), SchemaField { kind, label });
            }
        }
        let group_fields = parsed
            .values()
            .filter(|field| field.kind == FieldType::TaskGroupId)
            .count();
        if group_fields > 1 {
            errors.add(
                "schema.fields",
                "At most one field may have the type task_group_id.",
            );
        }
        (errors.clone() == before).then_some(parsed)
    }

    pub(crate) fn to_json(&self) -> Value {
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .map(|(key, field)| {
                let mut descriptor = json!({ "type": field.kind.as_str() });
                if let Some(label) = &field.label {
                    descriptor["label"] = json!(label);
                }
                (key.clone(), descriptor)
            })
            .collect();
        json!({ "strict": self.strict, "fields": fields })
    }

    pub(crate) fn group_field(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|(_, field)| field.kind == FieldType::TaskGroupId)
            .map(|(key, _)| key.as_str())
    }

    /// Checks one record against the schema, keeping only the schema's fields.
    fn check_record(&self, record: &Map<String, Value>) -> Result<Map<String, Value>, RecordError> {
        let mut kept = Map::new();
        for (key, field) in &self.fields {
            let value = record
                .get(key)
                .filter(|value| !value.is_null() && value.as_str() != Some(""));
            let Some(value) = value else {
                if self.strict {
                    return Err(RecordError::field(
                        key,
                        "A value is required (the schema is strict).",
                    ));
                }
                continue;
            };
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) if !field.kind.is_url() => number.to_string(),
                Value::Bool(boolean) if !field.kind.is_url() => boolean.to_string(),
                _ => {
                    return Err(RecordError::field(
                        key,
                        format!(
                            "Expected a {} value.",
                            if field.kind.is_url() {
                                "URL string"
                            } else {
                                "text"
                            }
                        ),
                    ));
                }
            };
            if field.kind.is_url() && !(text.starts_with("https://") || text.starts_with("http://"))
            {
                return Err(RecordError::field(key, "Expected an absolute http(s) URL."));
            }
            kept.insert(key.clone(), Value::String(text));
        }
        Ok(kept)
    }
}

/// One rejected record of an import (`ImportJobError`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RecordError {
    pub(crate) record_index: Option<usize>,
    pub(crate) field: Option<String>,
    pub(crate) reason: String,
}

impl RecordError {
    fn field(field: &str, reason: impl Into<String>) -> Self {
        Self {
            record_index: None,
            field: Some(field.to_owned()),
            reason: reason.into(),
        }
    }

    /// A whole-record failure, marked with the spec's special field `_raw`.
    fn raw(reason: impl Into<String>) -> Self {
        Self {
            record_index: None,
            field: Some("_raw".to_owned()),
            reason: reason.into(),
        }
    }

    fn at(mut self, index: usize) -> Self {
        self.record_index = Some(index);
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({ "record_index": self.record_index, "field": self.field, "reason": self.reason })
    }
}

/// What processing one V4 upload produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) enum ImportOutcome {
    /// At least one record was accepted; `errors` lists the rejected ones.
    Accepted {
        records: Vec<Map<String, Value>>,
        errors: Vec<RecordError>,
    },
    /// Nothing was ingested.
    Failed { reason: String },
}

#[cfg(test)]
pub(crate) fn import_records(
    bytes: &[u8],
    format: FileFormat,
    schema: &DatasetSchema,
) -> ImportOutcome {
    import_from(&bytes, format, schema)
}

/// Reads a V4 upload (CSV or JSONL) against the schema.
pub(crate) fn import_from(
    source: &dyn Source,
    format: FileFormat,
    schema: &DatasetSchema,
) -> ImportOutcome {
    let parsed = match format {
        FileFormat::Jsonl => read_jsonl(source),
        FileFormat::Csv => read_csv_records(source),
        FileFormat::Zip => Err("V4 datasets take .csv or .jsonl files.".to_owned()),
    };
    let raw_records = match parsed {
        Ok(records) => records,
        Err(reason) => return ImportOutcome::Failed { reason },
    };
    if raw_records.is_empty() {
        return ImportOutcome::Failed {
            reason: "The file holds no records.".to_owned(),
        };
    }
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in raw_records.into_iter().enumerate() {
        match raw.and_then(|record| schema.check_record(&record)) {
            Ok(record) => records.push(record),
            Err(error) => errors.push(error.at(index)),
        }
    }
    if records.is_empty() {
        let first = errors
            .first()
            .map(|error| error.reason.clone())
            .unwrap_or_default();
        return ImportOutcome::Failed {
            reason: format!("No record was accepted. The first problem: {first}"),
        };
    }
    ImportOutcome::Accepted { records, errors }
}

type RawRecord = Result<Map<String, Value>, RecordError>;

/// One JSON object per non-blank line; a line that is not one is rejected on its own.
fn read_jsonl(source: &dyn Source) -> Result<Vec<RawRecord>, String> {
    let reader = BufReader::new(source.open().map_err(|error| unreadable(&error))?);
    let mut records = Vec::new();
    for line in reader.lines() {
        let line = match line {
            Ok(line) => line,
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                return Err("The file is not valid UTF-8.".to_owned());
            }
            Err(error) => return Err(unreadable(&error)),
        };
        if line.trim().is_empty() {
            continue;
        }
        records.push(match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(record)) => Ok(record),
            Ok(_) => Err(RecordError::raw("Each line must be a JSON object.")),
            Err(error) => Err(RecordError::raw(format!("Malformed JSON: {error}"))),
        });
    }
    Ok(records)
}

/// A V4 CSV: header names are the field keys; a ragged or non-UTF-8 row is rejected on
/// its own, but a file without a readable header fails whole.
fn read_csv_records(source: &dyn Source) -> Result<Vec<RawRecord>, String> {
    // Flexible: V4 rejects a ragged row on its own rather than the whole file.
    let (mut reader, columns) = open_csv(source, true)?;
    let mut records = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|error| describe_csv_error(&error))?;
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        records.push(csv_record(&columns, &record));
    }
    Ok(records)
}

fn csv_record(columns: &[String], record: &csv::ByteRecord) -> RawRecord {
    if record.len() != columns.len() {
        return Err(RecordError::raw(format!(
            "The row has {} fields but the header has {}.",
            record.len(),
            columns.len()
        )));
    }
    columns
        .iter()
        .zip(record.iter())
        .map(|(column, cell)| match std::str::from_utf8(cell) {
            Ok(text) => Ok((column.clone(), Value::String(text.to_owned()))),
            Err(_) => Err(RecordError::raw("The row is not valid UTF-8.")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_clean_csv_keeps_every_row_and_its_meta_columns() {
        let table = parse_csv_table(b"id,text,META_source\n1,\"a, b\",web\n2,\"two\nlines\",web\n")
            .unwrap();
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1][1], "two\nlines");
        assert_eq!(table.columns, ["id", "text", "META_source"]);
        assert_eq!(table.rows[0], ["1", "a, b", "web"]);
        assert!(!table.has_predetermined_grouping_id());
    }

    #[test]
    fn a_bom_and_crlf_and_blank_rows_are_tolerated() {
        let table = parse_csv_table(b"\xEF\xBB\xBFid,text\r\n1,a\r\n,\r\n\r\n2,b\r\n").unwrap();
        assert_eq!(table.columns, ["id", "text"]);
        assert_eq!(table.rows.len(), 2);
    }

    #[test]
    fn unreadable_files_are_refused_with_a_reason() {
        for (bytes, words) in [
            (&b""[..], "empty"),
            (b"  \n", "empty"),
            (b"id,text\n", "no data rows"),
            (b"id,text\n1,a,extra\n", "fields"),
            (b"id,text\n1,caf\xE9\n", "UTF-8"),
            (b"id,,text\n1,2,3\n", "no name"),
            (b"id,id\n1,2\n", "twice"),
            (b"id,META_TASK_GROUP_ID\n1,g1\n2,\n", "META_TASK_GROUP_ID"),
            (b"id,text\n1,\"open\n2,b\n", "never closed"),
            (b"id,text\n1,\"a\"b,c\n", "after a closing quote"),
        ] {
            let error = parse_csv_table(bytes).unwrap_err();
            assert!(error.contains(words), "{error:?} should mention {words:?}");
        }
    }

    #[test]
    fn doubled_quotes_bare_quotes_and_classic_mac_lines_are_fine() {
        let table = parse_csv_table(b"id,text\r1,\"say \"\"hi\"\"\"\r2,5\" tall\r").unwrap();
        assert_eq!(table.rows[0][1], "say \"hi\"");
        assert_eq!(table.rows[1][1], "5\" tall");
        let error = prescan(&(b"a\rb\r\"c\"x\r" as &[u8])).unwrap_err();
        assert!(error.starts_with("Line 3 "), "{error}");
    }

    #[test]
    fn the_quoting_check_gives_the_same_answer_whatever_the_chunks() {
        for file in [
            b"id,text\r\n1,\"a\r\nb\"\r\n2,\"c\"x\r\n" as &[u8],
            b"id,text\n1,\"never closed\n2,b\n",
            b"id,text\r1,\"say \"\"hi\"\"\"\r",
            b"  \n\t",
        ] {
            let whole = prescan(&file);
            let mut checker = QuoteChecker::default();
            let bytewise = file
                .chunks(1)
                .try_for_each(|byte| checker.feed(byte))
                .and_then(|()| checker.finish());
            assert_eq!(whole, bytewise, "{}", String::from_utf8_lossy(file));
        }
    }

    #[test]
    fn a_stored_file_is_read_as_a_stream_from_disk() {
        let directory = batchdesk_test_support::temp_folder();
        let path = directory.path().join("object");
        std::fs::write(&path, "id,text\n1,a\n2,b\n").unwrap();
        let table = parse_csv_source(&path).unwrap();
        assert_eq!(table.rows.len(), 2);
        let schema =
            schema(json!({"strict": false, "fields": {"text": {"type": "text"}}})).unwrap();
        std::fs::write(&path, "{\"text\": \"a\"}\n\n{\"text\": \"b\"}\r\n").unwrap();
        let ImportOutcome::Accepted { records, errors } =
            import_from(&path, FileFormat::Jsonl, &schema)
        else {
            panic!("the JSONL file was refused")
        };
        assert_eq!((records.len(), errors.len()), (2, 0));
        let missing = directory.path().join("gone");
        assert!(
            parse_csv_source(&missing)
                .unwrap_err()
                .contains("could not be read")
        );
    }

    #[test]
    fn a_task_group_column_gives_each_row_its_group() {
        let table = parse_csv_table(b"id,META_TASK_GROUP_ID\n1,g1\n2,g1\n3,g2\n").unwrap();
        assert!(table.has_predetermined_grouping_id());
        assert_eq!(
            table.group_keys().unwrap(),
            [Some("g1".into()), Some("g1".into()), Some("g2".into())]
        );
    }

    fn schema(value: Value) -> Result<DatasetSchema, FieldErrors> {
        let mut errors = FieldErrors::default();
        match DatasetSchema::parse(&value, &mut errors) {
            Some(schema) if errors.is_empty() => Ok(schema),
            _ => Err(errors),
        }
    }

    #[test]
    fn schemas_follow_the_documented_rules() {
        let good = schema(json!({"strict": true, "fields": {
            "prompt": {"type": "text", "label": "Prompt"},
            "group": {"type": "task_group_id"}
        }}))
        .unwrap();
        assert_eq!(good.group_field(), Some("group"));
        assert_eq!(good.to_json()["fields"]["prompt"]["label"], "Prompt");

        for bad in [
            json!({"fields": {"a": {"type": "text"}}}),
            json!({"strict": false, "fields": {}}),
            json!({"strict": false, "fields": {"a": {"type": "number"}}}),
            json!({"strict": false, "fields": {"a": {"type": "task_group_id"}, "b": {"type": "task_group_id"}}}),
            json!({"strict": false, "fields": {"a": {"type": "text", "label": "x".repeat(256)}}}),
            json!({"strict": false, "fields": {"k".repeat(129): {"type": "text"}}}),
            json!("text"),
        ] {
            assert!(schema(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn jsonl_imports_accept_good_records_and_report_bad_ones() {
        let schema = schema(json!({"strict": true, "fields": {
            "prompt": {"type": "text"}, "image": {"type": "image_url"}
        }}))
        .unwrap();
        let file = b"{\"prompt\": \"a\", \"image\": \"https://x/1.png\"}\n\n{\"prompt\": \"b\"}\nnot json\n{\"prompt\": 3, \"image\": \"ftp://x\"}\n";
        let ImportOutcome::Accepted { records, errors } =
            import_records(file, FileFormat::Jsonl, &schema)
        else {
            panic!("expected a partial import");
        };
        assert_eq!(records.len(), 1);
        let summary: Vec<_> = errors
            .iter()
            .map(|error| (error.record_index, error.field.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (Some(1), Some("image")),
                (Some(2), Some("_raw")),
                (Some(3), Some("image"))
            ]
        );
    }

    #[test]
    fn csv_imports_map_headers_to_fields_and_lax_schemas_allow_gaps() {
        let schema = schema(json!({"strict": false, "fields": {
            "prompt": {"type": "text"}, "note": {"type": "metadata"}
        }}))
        .unwrap();
        let outcome = import_records(
            b"prompt,note,extra\na,,x\nb,n,y\n",
            FileFormat::Csv,
            &schema,
        );
        let ImportOutcome::Accepted { records, errors } = outcome else {
            panic!("expected records");
        };
        assert!(errors.is_empty());
        assert_eq!(
            records[0],
            json!({"prompt": "a"}).as_object().unwrap().clone()
        );
        assert_eq!(records[1]["note"], "n");
    }

    #[test]
    fn imports_with_nothing_usable_fail() {
        let schema =
            schema(json!({"strict": true, "fields": {"prompt": {"type": "text"}}})).unwrap();
        assert!(matches!(
            import_records(b"", FileFormat::Jsonl, &schema),
            ImportOutcome::Failed { .. }
        ));
        assert!(matches!(
            import_records(b"{\"other\": 1}\n", FileFormat::Jsonl, &schema),
            ImportOutcome::Failed { .. }
        ));
        assert!(matches!(
            import_records(b"\xff\xfe", FileFormat::Jsonl, &schema),
            ImportOutcome::Failed { .. }
        ));
    }

    #[test]
    fn extensions_pick_the_format_and_its_content_type() {
        assert_eq!(FileFormat::from_filename("data.CSV"), Some(FileFormat::Csv));
        assert_eq!(
            FileFormat::from_filename("a.b.jsonl"),
            Some(FileFormat::Jsonl)
        );
        assert_eq!(FileFormat::from_filename("data.txt"), None);
        assert_eq!(FileFormat::from_filename("csv"), None);
        assert_eq!(FileFormat::Jsonl.content_type(), "application/x-ndjson");
    }
}
