//! The CSV doctor: reads a researcher's file as a stream, works out its encoding and
//! dialect, and explains in plain words what would stop Prolific from using it, with
//! one-click fixes where they are safe.
//!
//! | module | capability |
//! |---|---|
//! | `encoding` | guessing how the bytes are to be read; decoding them to UTF-8 as a stream |
//! | `records` | splitting text into rows and cells, finding broken quotes and line breaks |
//! | `dialect` | guessing the separator (comma, semicolon, tab, vertical bar) |
//! | `source` | opening a stream: progress, cancellation, sniffing then replaying its start |
//! | `line_log` | line numbers of one kind of event: all counted, the first ones kept |
//! | `text` | column letters and shortened values, as researchers read them |
//! | `repeats` | row fingerprints; finding repeated rows by sorting them (or, for the fix, as they come) |
//! | `tally` | what one pass gathers per file, column and task group |
//! | `findings` | turning the tally into plain sentences |
//! | `inspect` | the pass itself: rows read on one thread, tallied on another, then the report |
//! | `fix` | writing a corrected copy |
//! | `preview` | the first rows as participants will see them |
//!
//! Memory stays bounded whatever the file's size: rows are read a few at a time (in
//! small batches from the reading thread to the tallying one), a row keeps at most
//! 16 MiB, lists of line numbers are capped, and duplicate rows are found through
//! fingerprints only, 16 bytes a row up to a cap (see `inspect` and `repeats`).
//!
//! Modules depend one way, down the table: each uses only those above it (and the
//! shared types below); `inspect`, `fix` and `preview` are the entry points.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use specta::Type;

use crate::error_code::{Coded, ErrorCode};

mod dialect;
mod encoding;
mod findings;
mod fix;
mod inspect;
mod line_log;
mod preview;
mod records;
mod repeats;
mod source;
mod tally;
mod text;

pub use fix::{FixOptions, FixSummary, RenamedColumn, fix};
pub use inspect::{inspect, inspect_reader};
/// The column that puts rows into task groups (participants do a group at once).
pub const TASK_GROUP_COLUMN_NAME: &str = tally::TASK_GROUP_COLUMN;
pub use preview::{Preview, PreviewColumn, PreviewRow, preview};

/// How the bytes of a file are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// Excel's "Unicode text" export.
    Utf16Le,
    Utf16Be,
    /// Windows-1252, the superset of Latin-1 that older Excel versions write.
    Windows1252,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
    Pipe,
}

impl Delimiter {
    /// The character itself.
    pub fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
            Self::Pipe => b'|',
        }
    }
}

/// Which line breaks end the rows (breaks inside quoted cells do not count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LineEndings {
    /// `\n`: Linux, macOS and most scripts.
    Lf,
    /// `\r\n`: Windows and Excel.
    CrLf,
    /// `\r` alone: Macs before 2001, and Excel for Mac's "CSV (Macintosh)".
    Cr,
    /// More than one kind.
    Mixed,
    /// No line break at all (an empty file or a single line).
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Worth knowing; nothing to do.
    Note,
    /// Prolific will accept the file, but the result may not be what the researcher wants.
    Warning,
    /// Prolific would refuse the file or mangle it: fix before uploading.
    Problem,
}

/// One thing the doctor noticed, said in one or two plain sentences with what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier the UI may branch on (for example to offer a fix), in
    /// camelCase like every value on the wire (`raggedRows`).
    pub code: &'static str,
    /// Said from the catalogue (`checks:csv.…`).
    pub message: crate::text::Text,
    /// One-based line numbers the finding concerns, when it concerns lines: the line of
    /// the file where each row starts, as a text editor numbers them. At most
    /// [`MAX_LISTED_LINES`]; `count` says how many there are in all.
    #[specta(type = Vec<u32>)]
    pub lines: Vec<u64>,
    /// How many rows, cells or columns the finding concerns in all (0 when it does not
    /// count anything).
    #[specta(type = u32)]
    pub count: u64,
    /// Whether [`fix`] can repair it.
    pub fixable: bool,
}

/// The most line numbers a finding lists.
pub const MAX_LISTED_LINES: usize = 100;

/// A cell longer than this many characters is reported.
pub const LONG_CELL_CHARS: usize = 10_000;

/// What the doctor found in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub encoding: TextEncoding,
    pub delimiter: Delimiter,
    pub line_endings: LineEndings,
    /// Whether the first row holds column names (not data).
    pub has_header: bool,
    /// The line of the header row (0 when the file has no rows).
    #[specta(type = u32)]
    pub header_line: u64,
    /// Rows of data below the header, not counting empty rows.
    #[specta(type = u32)]
    pub row_count: u64,
    /// The size of the file in bytes.
    #[specta(type = u32)]
    pub file_size: u64,
    pub columns: Vec<Column>,
    /// The most serious first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The most serious finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|finding| finding.severity).max()
    }

    /// Whether a finding with this code is present.
    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|finding| finding.code == code)
    }

    pub fn finding(&self, code: &str) -> Option<&Finding> {
        self.findings.iter().find(|finding| finding.code == code)
    }
}

/// One column of the file, as named by the header row.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    pub name: String,
    /// Counting from 1, as a spreadsheet does.
    pub position: u32,
    /// The spreadsheet letter of the column (A, B, …, AA).
    pub letter: String,
    /// Hidden from participants because its name starts with `META_`.
    pub hidden: bool,
    /// The `META_TASK_GROUP_ID` column that groups rows into assignments.
    pub is_task_group: bool,
    /// Present when most values are links to images.
    pub image_urls: Option<ImageUrls>,
    /// Up to five of the first non-empty values, shortened to 200 characters.
    pub samples: Vec<String>,
    #[specta(type = u32)]
    pub empty_cells: u64,
    /// The longest value, in characters.
    #[specta(type = u32)]
    pub max_length: u64,
}

/// What an image-link column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageUrls {
    #[specta(type = u32)]
    pub https: u64,
    /// Links starting with `http://`, which Prolific will not show.
    #[specta(type = u32)]
    pub http: u64,
    /// Values that are not web links at all.
    #[specta(type = u32)]
    pub not_links: u64,
    pub all_https: bool,
}

/// How far reading has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadProgress {
    #[specta(type = u32)]
    pub bytes_read: u64,
    /// The file's size when known (always, for a file on disk).
    #[specta(type = Option<u32>)]
    pub total_bytes: Option<u64>,
}

/// How to run [`inspect`]: who to tell about progress, and a flag to cancel.
#[derive(Clone, Copy, Default)]
pub struct InspectOptions<'a> {
    /// Called about once per megabyte read, and once at the end.
    pub progress: Option<&'a dyn Fn(ReadProgress)>,
    /// Set it to stop; the call then returns [`DoctorError::Cancelled`] promptly.
    pub cancel: Option<&'a AtomicBool>,
}

impl<'a> InspectOptions<'a> {
    fn control(&self) -> source::Control<'a> {
        source::Control {
            progress: self.progress,
            cancel: self.cancel,
        }
    }
}

/// Why the doctor could not finish; each says what happened and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum DoctorError {
    Read(#[source] std::io::Error),
    Write(#[source] std::io::Error),
    Cancelled,
    SameFile { path: PathBuf },
    NotText { what: NotText },
    RowTooLarge { line: u64 },
}

/// What a file that is not text is, by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// A ZIP archive (an Excel workbook, .xlsx, is one).
    Zip,
    EmptyZip,
    /// An old Excel workbook (.xls) or another Office document.
    OldOffice,
    Pdf,
    Png,
    Jpeg,
    Gzip,
    /// An SQLite database.
    Database,
    /// Mostly control characters: a program's own file format.
    Binary,
}

impl Coded for DoctorError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Read(_) | Self::RowTooLarge { .. } | Self::NotText { .. } => {
                ErrorCode::FileUnreadable
            }
            Self::Write(_) | Self::SameFile { .. } => ErrorCode::FileNotWritten,
            Self::Cancelled => ErrorCode::Cancelled,
        }
    }

    fn text(&self) -> crate::text::Text {
        match self {
            Self::Read(reason) => {
                crate::text!("errors:csvDoctor.read", reason = reason.to_string())
            }
            Self::Write(reason) => {
                crate::text!("errors:csvDoctor.write", reason = reason.to_string())
            }
            Self::Cancelled => crate::text!("errors:csvDoctor.cancelled"),
            Self::SameFile { .. } => crate::text!("errors:csvDoctor.sameFile"),
            Self::NotText { what } => match what {
                NotText::Zip => crate::text!("errors:csvDoctor.notText.zip"),
                NotText::EmptyZip => crate::text!("errors:csvDoctor.notText.emptyZip"),
                NotText::OldOffice => crate::text!("errors:csvDoctor.notText.oldOffice"),
                NotText::Pdf => crate::text!("errors:csvDoctor.notText.pdf"),
                NotText::Png => crate::text!("errors:csvDoctor.notText.png"),
                NotText::Jpeg => crate::text!("errors:csvDoctor.notText.jpeg"),
                NotText::Gzip => crate::text!("errors:csvDoctor.notText.gzip"),
                NotText::Database => crate::text!("errors:csvDoctor.notText.database"),
                NotText::Binary => crate::text!("errors:csvDoctor.notText.binary"),
            },
            Self::RowTooLarge { line } => crate::text!("errors:csvDoctor.rowTooLarge", line = line),
        }
    }
}

impl DoctorError {
    /// A stable identifier for the UI (never match the message).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read(_) => "read_failed",
            Self::Write(_) => "write_failed",
            Self::Cancelled => "cancelled",
            Self::SameFile { .. } => "same_file",
            Self::RowTooLarge { .. } => "row_too_large",
            Self::NotText { .. } => "not_text",
        }
    }
}
