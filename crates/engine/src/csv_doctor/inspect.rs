//! One pass over a file's rows, tallying what the findings need. Memory does not grow
//! with the file past a cap: lists of line numbers keep the first [`MAX_LISTED_LINES`],
//! and repeated rows are found by keeping 16 bytes per row (a fingerprint and the
//! line), sorted at the end (see [`RepeatFinder`]).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

use memchr::memchr2;
use xxhash_rust::xxh3::xxh3_128_with_seed;

use super::dialect::DialectGuess;
use super::encoding::{char_count, decode_cell, is_utf8};
use super::findings;
use super::records::{LineBreakCounts, QuoteIssue, QuoteIssueLog, Record, RecordReader};
use super::repeats::RepeatFinder;
use super::source::{Control, Source, read_error};
use super::{
    Column, Delimiter, DoctorError, ImageUrls, InspectOptions, LONG_CELL_CHARS, LineEndings,
    MAX_LISTED_LINES, Report, TextEncoding,
};

/// Distinct rows checked for repeats. The doctor keeps 16 bytes per row read and sorts
/// out the copies whenever it holds one and a half times this many rows, so it takes
/// about 240 MB at most; 5 million rows take about 80 MB. The fix keeps a hash table of
/// distinct rows, about 32 bytes each (a 128-bit fingerprint and the table's slack).
pub(crate) const MAX_ROWS_CHECKED_FOR_REPEATS: usize = 10_000_000;

/// Distinct `META_TASK_GROUP_ID` values counted (past that the count is "more than").
pub(crate) const MAX_GROUPS_COUNTED: usize = 100_000;

const SAMPLES_PER_COLUMN: usize = 5;
const SAMPLE_CHARS: usize = 200;

pub(crate) const HIDDEN_PREFIX: &str = "META_";
pub(crate) const TASK_GROUP_COLUMN: &str = "META_TASK_GROUP_ID";

/// Checks a CSV file on disk. Reads it once, as a stream.
pub fn inspect(path: &Path, options: &InspectOptions) -> Result<Report, DoctorError> {
    let file = File::open(path).map_err(DoctorError::Read)?;
    let size = file.metadata().ok().map(|metadata| metadata.len());
    inspect_stream(file, size, options.control())
}

/// Checks CSV text from any reader (the size in the report is the number of bytes read).
pub fn inspect_reader(reader: impl Read, options: &InspectOptions) -> Result<Report, DoctorError> {
    inspect_stream(reader, None, options.control())
}

fn inspect_stream(
    reader: impl Read,
    total_bytes: Option<u64>,
    control: Control<'_>,
) -> Result<Report, DoctorError> {
    inspect_in_batches(reader, total_bytes, control, BATCH_ROWS)
}

fn inspect_in_batches(
    reader: impl Read,
    total_bytes: Option<u64>,
    control: Control<'_>,
    batch_rows: usize,
) -> Result<Report, DoctorError> {
    let mut source = Source::open(reader, total_bytes, control, None)?;
    let tally = Tally::new(source.encoding, source.dialect, total_bytes);
    let mut tally = tally_rows(&mut source.records, tally, batch_rows).map_err(read_error)?;
    tally.line_breaks = source.records.line_breaks();
    tally.take_quote_issues(source.records.quote_issues());
    tally.file_size = source.bytes_read();
    source.report_done();
    Ok(tally.into_report())
}

/// Rows handed from the reading thread to the tallying thread at a time, at most.
const BATCH_ROWS: usize = 1024;

/// A batch is also full once it holds this much cell text (one huge row is a batch).
const BATCH_BYTES: usize = 1024 * 1024;

/// Batches read but not yet tallied. With the one being read, the one being tallied
/// and a few kept for reuse, rows in transit take a few megabytes (at most about 5 MiB
/// a batch, plus the last row of each when rows are huge).
const BATCHES_WAITING: usize = 2;

/// A record buffer grown past this by a long row is dropped rather than reused, so
/// that the records of reused batches keep at most 4 MiB each (1024 × 4 KiB).
const REUSED_RECORD_BYTES: usize = 4 * 1024;

/// Reads rows on this thread and tallies them on another: reading (finding cells) and
/// tallying (checking cells, fingerprinting rows) take about as long as each other,
/// so with two cores the pass takes about half the time.
fn tally_rows<R: Read>(
    records: &mut RecordReader<R>,
    mut tally: Tally,
    batch_rows: usize,
) -> io::Result<Tally> {
    let (filled, to_tally) = mpsc::sync_channel::<Batch>(BATCHES_WAITING);
    let (tallied, to_reuse) = mpsc::sync_channel::<Batch>(BATCHES_WAITING + 2);
    thread::scope(|scope| {
        let tallier = scope.spawn(move || {
            for batch in to_tally {
                for record in batch.rows() {
                    tally.take_row(record);
                }
                // Fails only when the reader has stopped; the batch is then dropped.
                let _ = tallied.try_send(batch);
            }
            tally
        });
        let read = send_batches(records, &filled, &to_reuse, batch_rows);
        drop(filled);
        let tally = tallier
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.map(|()| tally)
    })
}

/// Reads all rows into batches and sends them to be tallied.
fn send_batches<R: Read>(
    records: &mut RecordReader<R>,
    filled: &SyncSender<Batch>,
    to_reuse: &Receiver<Batch>,
    batch_rows: usize,
) -> io::Result<()> {
    loop {
        let mut batch = to_reuse.try_recv().unwrap_or_default();
        batch.fill(records, batch_rows)?;
        if batch.len == 0 || filled.send(batch).is_err() {
            return Ok(());
        }
    }
}

/// Rows read, on their way to be tallied; the records are reused.
#[derive(Default)]
struct Batch {
    records: Vec<Record>,
    len: usize,
}

impl Batch {
    /// Reads rows until the batch is full or the rows run out (then `len` is short).
    fn fill<R: Read>(&mut self, reader: &mut RecordReader<R>, max_rows: usize) -> io::Result<()> {
        self.len = 0;
        let mut bytes = 0;
        while self.len < max_rows && bytes < BATCH_BYTES {
            if self.len == self.records.len() {
                self.records.push(Record::default());
            }
            let record = &mut self.records[self.len];
            record.drop_buffers_over(REUSED_RECORD_BYTES);
            if !reader.read_record(record)? {
                break;
            }
            bytes += record.text().len();
            self.len += 1;
        }
        Ok(())
    }

    fn rows(&self) -> &[Record] {
        &self.records[..self.len]
    }
}

/// Line numbers of one kind of event: all counted, the first ones kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineLog {
    pub(crate) count: u64,
    pub(crate) lines: Vec<u64>,
}

impl LineLog {
    pub(crate) fn add(&mut self, line: u64) {
        self.count += 1;
        if self.lines.len() < MAX_LISTED_LINES {
            self.lines.push(line);
        }
    }
}

/// Rows whose number of values differs from the header's.
#[derive(Debug, Default)]
pub(crate) struct RaggedLog {
    pub(crate) count: u64,
    /// (line, number of values) of the first ones.
    pub(crate) first: Vec<(u64, usize)>,
}

/// Cells longer than [`LONG_CELL_CHARS`].
#[derive(Debug, Default)]
pub(crate) struct LongCellLog {
    pub(crate) cells: LineLog,
    pub(crate) longest_chars: u64,
    pub(crate) longest_column: u32,
}

#[derive(Debug, Default)]
pub(crate) struct GroupTally {
    pub(crate) rows_per_group: HashMap<String, u64>,
    /// More distinct groups than [`MAX_GROUPS_COUNTED`].
    pub(crate) overflowed: bool,
    pub(crate) missing: LineLog,
}

/// What one column holds.
#[derive(Debug, Default)]
pub(crate) struct ColumnTally {
    pub(crate) name: String,
    pub(crate) position: u32,
    pub(crate) non_empty: u64,
    pub(crate) empty: u64,
    pub(crate) max_chars: u64,
    pub(crate) samples: Vec<String>,
    pub(crate) https_links: u64,
    pub(crate) http_links: LineLog,
    pub(crate) image_links: u64,
    pub(crate) not_links: LineLog,
    pub(crate) first_not_link: Option<String>,
    pub(crate) decimal_commas: u64,
    pub(crate) first_decimal_comma: Option<String>,
    pub(crate) groups: Option<GroupTally>,
}

/// Passes the row fingerprint through as the table's hash (it is already well mixed).
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u128(&mut self, value: u128) {
        // The low half is enough to pick a bucket; equality still compares all 128 bits.
        self.0 = value as u64;
    }
}

pub(crate) type RowHashes = HashSet<u128, BuildHasherDefault<PassThrough>>;

/// A row's fingerprint for finding repeats. Only these bits (or 88 of them, with the
/// line, in [`RepeatFinder`]) are kept per row, not the row. The fix drops a row whose
/// fingerprint was seen before, so it must not collide by accident: with 128 bits, two
/// different rows in a 5-million-row file share one with a chance of about one in
/// 10^25 (64 bits would be one in a million).
pub(crate) fn row_hash(record: &Record) -> u128 {
    // The cells' text in one run (one fast hash, not one call per cell), seeded with
    // where the cells end, so that `a,bc` and `ab,c` differ.
    let mut seed = record.len() as u64;
    for end in record.ends() {
        seed = (seed.rotate_left(29) ^ *end as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    xxh3_128_with_seed(record.text(), seed)
}

/// Guesses how many rows a file holds from the length of its first rows.
#[derive(Debug)]
pub(crate) struct RowCountGuess {
    /// Text bytes per source byte (UTF-16 takes two bytes for each ASCII character).
    text_per_source_byte: f64,
    total_bytes: Option<u64>,
    text_bytes: u64,
}

impl RowCountGuess {
    /// Rows read before the guess is made.
    const ROWS_BEFORE_GUESSING: u64 = 4096;

    pub(crate) fn new(encoding: TextEncoding, total_bytes: Option<u64>) -> Self {
        let text_per_source_byte = match encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 0.5,
            TextEncoding::Utf8 | TextEncoding::Utf8WithBom | TextEncoding::Windows1252 => 1.0,
        };
        Self {
            text_per_source_byte,
            total_bytes,
            text_bytes: 0,
        }
    }

    /// Takes one row; gives the guess once, when enough rows have been seen.
    pub(crate) fn take(&mut self, record: &Record, rows_so_far: u64) -> Option<usize> {
        if rows_so_far > Self::ROWS_BEFORE_GUESSING {
            return None;
        }
        // Cell text plus a separator or line break per cell, and quotes now and then.
        self.text_bytes += (record.text().len() + record.len() + 1) as u64;
        if rows_so_far < Self::ROWS_BEFORE_GUESSING {
            return None;
        }
        let total_bytes = self.total_bytes?;
        let bytes_per_row = (self.text_bytes as f64 / rows_so_far as f64).max(1.0);
        Some((total_bytes as f64 * self.text_per_source_byte / bytes_per_row) as usize)
    }
}

/// The hashes of the rows seen so far, for finding exact repeats while writing.
pub(crate) struct SeenRows {
    pub(crate) hashes: RowHashes,
    guess: RowCountGuess,
}

impl SeenRows {
    pub(crate) fn new(encoding: TextEncoding, total_bytes: Option<u64>) -> Self {
        Self {
            hashes: RowHashes::default(),
            guess: RowCountGuess::new(encoding, total_bytes),
        }
    }

    /// Once, early on, makes room for the number of rows the file is likely to hold:
    /// growing the table step by step would copy it over and over, and for a moment
    /// hold the old table and the new one, twice the memory.
    pub(crate) fn size_for(&mut self, record: &Record, rows_so_far: u64) {
        if let Some(expected) = self.guess.take(record, rows_so_far) {
            let expected = expected.min(MAX_ROWS_CHECKED_FOR_REPEATS);
            self.hashes
                .reserve(expected.saturating_sub(self.hashes.len()));
        }
    }
}

impl std::fmt::Debug for SeenRows {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "SeenRows({} rows)", self.hashes.len())
    }
}

/// Everything gathered in one pass; [`findings`] turns it into sentences.
#[derive(Debug)]
pub(crate) struct Tally {
    pub(crate) encoding: TextEncoding,
    pub(crate) dialect: DialectGuess,
    pub(crate) file_size: u64,
    pub(crate) line_breaks: LineBreakCounts,
    pub(crate) unterminated_quotes: LineLog,
    pub(crate) text_after_quotes: LineLog,
    pub(crate) header_line: Option<u64>,
    pub(crate) header_looks_like_data: bool,
    header_hash: u128,
    pub(crate) columns: Vec<ColumnTally>,
    pub(crate) rows: u64,
    pub(crate) blank_rows: LineLog,
    pub(crate) ragged: RaggedLog,
    pub(crate) duplicates: LineLog,
    pub(crate) repeated_header: LineLog,
    repeats: RepeatFinder,
    rows_guess: RowCountGuess,
    /// The line from which rows were no longer checked for repeats, if any.
    pub(crate) repeats_checked_until: Option<u64>,
    pub(crate) long_cells: LongCellLog,
    pub(crate) not_utf8: LineLog,
    /// Rows holding NUL characters (U+0000).
    pub(crate) nul_characters: LineLog,
}

impl Tally {
    fn new(encoding: TextEncoding, dialect: DialectGuess, total_bytes: Option<u64>) -> Self {
        Self {
            encoding,
            dialect,
            file_size: 0,
            line_breaks: LineBreakCounts::default(),
            unterminated_quotes: LineLog::default(),
            text_after_quotes: LineLog::default(),
            header_line: None,
            header_looks_like_data: false,
            header_hash: 0,
            columns: Vec::new(),
            rows: 0,
            blank_rows: LineLog::default(),
            ragged: RaggedLog::default(),
            duplicates: LineLog::default(),
            repeated_header: LineLog::default(),
            repeats: RepeatFinder::new(MAX_ROWS_CHECKED_FOR_REPEATS),
            rows_guess: RowCountGuess::new(encoding, total_bytes),
            repeats_checked_until: None,
            long_cells: LongCellLog::default(),
            not_utf8: LineLog::default(),
            nul_characters: LineLog::default(),
        }
    }

    pub(crate) fn delimiter(&self) -> Delimiter {
        self.dialect.delimiter
    }

    fn take_row(&mut self, record: &Record) {
        if record.is_blank() {
            self.blank_rows.add(record.line);
            return;
        }
        // Only a raw UTF-8 file can hold invalid bytes; decoded text is always valid.
        if matches!(
            self.encoding,
            TextEncoding::Utf8 | TextEncoding::Utf8WithBom
        ) && !is_utf8(record.text())
        {
            self.not_utf8.add(record.line);
        }
        if record.text().contains(&0) {
            self.nul_characters.add(record.line);
        }
        if self.header_line.is_none() {
            self.take_header(record);
            return;
        }
        self.rows += 1;
        if record.len() != self.columns.len() {
            self.ragged.count += 1;
            if self.ragged.first.len() < MAX_LISTED_LINES {
                self.ragged.first.push((record.line, record.len()));
            }
        }
        if let Some(rows) = self.rows_guess.take(record, self.rows) {
            self.repeats.expect_rows(rows);
        }
        let hash = row_hash(record);
        if hash == self.header_hash {
            self.repeated_header.add(record.line);
        } else {
            self.repeats.add(hash, record.line);
        }
        for (column, cell) in self.columns.iter_mut().zip(record.fields()) {
            column.take_cell(cell, record.line, &mut self.long_cells);
        }
        if record.truncated {
            // A row cut at 16 MiB certainly holds an overlong cell.
            self.long_cells.cells.add(record.line);
        }
    }

    fn take_header(&mut self, record: &Record) {
        self.header_line = Some(record.line);
        self.header_hash = row_hash(record);
        self.columns = record
            .fields()
            .enumerate()
            .map(|(index, field)| {
                let name = decode_cell(field).trim().to_owned();
                let groups = (name == TASK_GROUP_COLUMN).then(GroupTally::default);
                ColumnTally {
                    name,
                    position: u32::try_from(index + 1).unwrap_or(u32::MAX),
                    groups,
                    ..ColumnTally::default()
                }
            })
            .collect();
        self.header_looks_like_data = self
            .columns
            .iter()
            .any(|column| looks_like_number(&column.name) || link_kind(&column.name).is_some());
    }

    fn take_quote_issues(&mut self, log: &QuoteIssueLog) {
        for issue in &log.first {
            match issue {
                QuoteIssue::Unterminated { line } => self.unterminated_quotes.lines.push(*line),
                QuoteIssue::TextAfterClosingQuote { line } => {
                    self.text_after_quotes.lines.push(*line);
                }
            }
        }
        self.unterminated_quotes.count = log.unterminated;
        self.text_after_quotes.count = log.text_after_closing_quote;
    }

    pub(crate) fn line_endings(&self) -> LineEndings {
        self.line_breaks.endings()
    }

    fn into_report(mut self) -> Report {
        (self.duplicates, self.repeats_checked_until) = self.repeats.finish();
        let findings = findings::findings(&self);
        let columns = self.columns.iter().map(ColumnTally::to_column).collect();
        Report {
            encoding: self.encoding,
            delimiter: self.delimiter(),
            line_endings: self.line_endings(),
            has_header: self.header_line.is_some() && !self.header_looks_like_data,
            header_line: self.header_line.unwrap_or(0),
            row_count: self.rows,
            file_size: self.file_size,
            columns,
            findings,
        }
    }
}

impl ColumnTally {
    fn take_cell(&mut self, cell: &[u8], line: u64, long_cells: &mut LongCellLog) {
        let value = cell.trim_ascii();
        if let Some(groups) = &mut self.groups {
            groups.take(value, line);
        }
        if value.is_empty() {
            self.empty += 1;
            return;
        }
        self.non_empty += 1;
        // A cell has at most as many characters as bytes: count only when it matters.
        if cell.len() as u64 > self.max_chars || cell.len() > LONG_CELL_CHARS {
            let chars = char_count(cell) as u64;
            self.max_chars = self.max_chars.max(chars);
            if chars > LONG_CELL_CHARS as u64 {
                long_cells.cells.add(line);
                if chars > long_cells.longest_chars {
                    long_cells.longest_chars = chars;
                    long_cells.longest_column = self.position;
                }
            }
        }
        if self.samples.len() < SAMPLES_PER_COLUMN {
            self.samples
                .push(shorten(&decode_cell(value), SAMPLE_CHARS));
        }
        match link_kind(value) {
            Some(kind) => {
                match kind {
                    LinkKind::Https => self.https_links += 1,
                    LinkKind::Http => self.http_links.add(line),
                }
                if has_image_extension(value) {
                    self.image_links += 1;
                }
            }
            None => {
                self.not_links.add(line);
                if self.first_not_link.is_none() {
                    self.first_not_link = Some(shorten(&decode_cell(value), 60));
                }
            }
        }
        if looks_like_decimal_comma(value) {
            self.decimal_commas += 1;
            if self.first_decimal_comma.is_none() {
                self.first_decimal_comma = Some(decode_cell(value).into_owned());
            }
        }
    }

    pub(crate) fn hidden(&self) -> bool {
        self.name.starts_with(HIDDEN_PREFIX)
    }

    pub(crate) fn links(&self) -> u64 {
        self.https_links + self.http_links.count
    }

    /// Most values are links to images: by their file type, or by the column's name.
    pub(crate) fn holds_image_links(&self) -> bool {
        if self.non_empty == 0 {
            return false;
        }
        let mostly = |count: u64| count * 2 >= self.non_empty;
        let name = self.name.to_ascii_lowercase();
        let named_for_images = ["image", "img", "photo", "picture", "pic_"]
            .iter()
            .any(|word| name.contains(word));
        mostly(self.image_links) || (named_for_images && mostly(self.links()))
    }

    fn to_column(&self) -> Column {
        Column {
            name: self.name.clone(),
            position: self.position,
            letter: column_letter(self.position),
            hidden: self.hidden(),
            is_task_group: self.groups.is_some(),
            image_urls: self.holds_image_links().then_some(ImageUrls {
                https: self.https_links,
                http: self.http_links.count,
                not_links: self.not_links.count,
                all_https: self.http_links.count == 0 && self.not_links.count == 0,
            }),
            samples: self.samples.clone(),
            empty_cells: self.empty,
            max_length: self.max_chars,
        }
    }
}

impl GroupTally {
    fn take(&mut self, value: &[u8], line: u64) {
        if value.is_empty() {
            self.missing.add(line);
            return;
        }
        let key = decode_cell(value);
        if let Some(rows) = self.rows_per_group.get_mut(key.as_ref()) {
            *rows += 1;
        } else if self.rows_per_group.len() < MAX_GROUPS_COUNTED {
            self.rows_per_group.insert(key.into_owned(), 1);
        } else {
            self.overflowed = true;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkKind {
    Https,
    Http,
}

/// Whether a value is a web link, and a secure one.
pub(crate) fn link_kind(value: impl AsRef<[u8]>) -> Option<LinkKind> {
    let value = value.as_ref();
    let starts = |prefix: &[u8]| {
        value.len() > prefix.len() && value[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    let kind = if starts(b"https://") {
        LinkKind::Https
    } else if starts(b"http://") {
        LinkKind::Http
    } else {
        return None;
    };
    // A link has no spaces in it ("http://example.org is down" is a sentence).
    (!has_whitespace(value)).then_some(kind)
}

/// Whether any byte is ASCII whitespace. Tests blocks of bytes without stopping at
/// each one, which the compiler turns into vector instructions.
fn has_whitespace(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|block| {
        block
            .iter()
            .fold(false, |found, byte| found | byte.is_ascii_whitespace())
    })
}

/// Whether a link's path ends like an image file (`…/cat.JPG?size=2`).
fn has_image_extension(link: &[u8]) -> bool {
    const EXTENSIONS: [&[u8]; 11] = [
        b".jpg", b".jpeg", b".png", b".gif", b".webp", b".bmp", b".svg", b".tif", b".tiff",
        b".avif", b".heic",
    ];
    let end = memchr2(b'?', b'#', link).unwrap_or(link.len());
    let path = &link[..end];
    EXTENSIONS.iter().any(|extension| {
        path.len() > extension.len()
            && path[path.len() - extension.len()..].eq_ignore_ascii_case(extension)
    })
}

/// `12`, `-3.5`, `97,73`: what a data row holds and a column name does not.
pub(crate) fn looks_like_number(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|byte| byte.is_ascii_digit())
        && fraction.is_none_or(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// `97,73`: a number written with a decimal comma.
fn looks_like_decimal_comma(value: &[u8]) -> bool {
    let digits = value.strip_prefix(b"-").unwrap_or(value);
    if !digits.first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let Some(comma) = digits.iter().position(|byte| *byte == b',') else {
        return false;
    };
    let (whole, fraction) = (&digits[..comma], &digits[comma + 1..]);
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.iter().all(u8::is_ascii_digit)
        && fraction.iter().all(u8::is_ascii_digit)
}

/// The spreadsheet letter of a column: 1 → A, 27 → AA.
pub(crate) fn column_letter(position: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = position;
    while rest > 0 {
        let index = (rest - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(index).unwrap_or(0)));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// At most `limit` characters, with "…" when cut.
pub(crate) fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    #[test]
    fn the_report_does_not_depend_on_how_rows_are_batched() {
        // Copies, a blank row, a short row, an open quote and long rows that fill a
        // batch by bytes, across batch boundaries.
        let mut text = String::from("id,text,link\n");
        for row in 0..500 {
            let cell = if row % 97 == 0 {
                "x".repeat(300_000)
            } else {
                format!("t{}", row % 40)
            };
            text.push_str(&format!(
                "{},{cell},https://a.org/{}.jpg\n",
                row % 20,
                row % 4
            ));
            match row {
                10 => text.push('\n'),
                20 => text.push_str("1,short\n"),
                30 => text.push_str("2,\"open,x\n"),
                _ => {}
            }
        }
        let report = |batch_rows| {
            inspect_in_batches(text.as_bytes(), None, Control::default(), batch_rows)
                .expect("inspect")
        };
        let whole = report(BATCH_ROWS);
        assert!(
            whole
                .findings
                .iter()
                .any(|finding| finding.code == "duplicate_rows")
        );
        for batch_rows in [1, 2, 3, 64] {
            assert_eq!(report(batch_rows), whole, "{batch_rows} rows a batch");
        }
    }

    #[test]
    fn links_and_images() {
        assert_eq!(link_kind("https://a.org/x.jpg"), Some(LinkKind::Https));
        assert_eq!(link_kind("HTTP://a.org/x.jpg"), Some(LinkKind::Http));
        assert_eq!(link_kind("not a url"), None);
        assert_eq!(link_kind("https://"), None);
        // Whitespace is found in any block of a long value, and at its very end.
        let long = format!("https://a.org/{}", "x".repeat(40));
        assert_eq!(link_kind(&long), Some(LinkKind::Https));
        assert_eq!(link_kind(format!("{long} is down")), None);
        assert_eq!(link_kind(format!("{long}\t")), None);
        assert_eq!(link_kind(format!("{long}x\r")), None);
        assert!(has_image_extension(b"https://a.org/cat.JPG?w=2"));
        assert!(!has_image_extension(b"https://a.org/page.html"));
    }

    #[test]
    fn numbers_and_decimal_commas() {
        for number in ["1", "-3.5", "97,73", "+2"] {
            assert!(looks_like_number(number), "{number}");
        }
        for text in ["id", "1a", "", "3.", "v2"] {
            assert!(!looks_like_number(text), "{text}");
        }
        assert!(looks_like_decimal_comma(b"97,73"));
        assert!(!looks_like_decimal_comma(b"1,000,000"));
        assert!(!looks_like_decimal_comma(b"a,b"));
    }

    #[test]
    fn letters_and_shortening() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(703), "AAA");
        assert_eq!(shorten("Café au lait", 4), "Café…");
        assert_eq!(shorten("Café", 4), "Café");
    }
}
