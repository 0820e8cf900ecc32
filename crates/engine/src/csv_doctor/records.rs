//! Splitting decoded text into rows and cells, as a stream, while keeping what a
//! researcher needs to hear about: which line each row starts on, which line breaks
//! end rows, and where a quote went wrong.
//!
//! Why not the `csv` crate's reader: it repairs bad quoting silently. On
//! `broken-ragged.csv` it reads `11,"Only two fields` + the next two lines as one valid
//! four-cell row and reports nothing, and it counts lines by `\n` only, so every row of
//! a classic-Mac (CR) file is "line 1". The doctor must say where a quote was left open
//! and which lines are short or long, so it scans with its own small state machine that
//! follows RFC 4180 (quotes around a cell, `""` inside a quoted cell) and, when a quoted
//! cell turns out to be broken, re-reads it as plain text (see [`RecordReader`]).
//!
//! The scanner works on bytes: the delimiter, the quote and line breaks are ASCII, and
//! in UTF-8 an ASCII byte never occurs inside a multi-byte character, so splitting
//! bytes is exact. Cells are decoded to text only where they are used.

use std::io::{self, Read};

use memchr::memchr3;

use super::LineEndings;

const QUOTE: u8 = b'"';

/// A row can hold at most this many bytes of cell text; past it the rest is counted
/// but not kept (the row is marked truncated). Keeps memory bounded when a quote left
/// open swallows the rest of a multi-gigabyte file.
pub(crate) const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// A quoted cell longer than this cannot be re-read if it turns out to be broken.
/// Legitimate cells are far shorter; the limit only bounds memory.
const MAX_REPLAY_BYTES: usize = 8 * 1024 * 1024;

/// How much is kept of where quotes went wrong (all are counted).
const MAX_LOGGED_QUOTE_ISSUES: usize = 100;

const CHUNK_BYTES: usize = 64 * 1024;

/// One row: its cells, as bytes, and the line it starts on.
#[derive(Debug, Default)]
pub(crate) struct Record {
    text: Vec<u8>,
    /// The end offset in `text` of each cell.
    ends: Vec<usize>,
    /// The one-based line of the file where the row starts.
    pub(crate) line: u64,
    /// The row held more than [`MAX_RECORD_BYTES`]; its cells are cut short.
    pub(crate) truncated: bool,
}

impl Record {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn field(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }

    /// Where each cell ends in [`Record::text`].
    pub(crate) fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// All the cells' text, one after the other.
    pub(crate) fn text(&self) -> &[u8] {
        &self.text
    }

    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|index| self.field(index))
    }

    /// An empty line, or a row whose cells are all empty or spaces (`,,,` from Excel).
    pub(crate) fn is_blank(&self) -> bool {
        self.text.iter().all(u8::is_ascii_whitespace)
    }

    /// Lets go of buffers that a long row grew past `bytes`, to keep reused records small.
    pub(crate) fn drop_buffers_over(&mut self, bytes: usize) {
        if self.text.capacity() > bytes || self.ends.capacity() * size_of::<usize>() > bytes {
            *self = Self::default();
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.truncated = false;
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.truncated {
            return;
        }
        let room = MAX_RECORD_BYTES.saturating_sub(self.text.len());
        if bytes.len() > room {
            self.text.extend_from_slice(&bytes[..room]);
            self.truncated = true;
        } else {
            self.text.extend_from_slice(bytes);
        }
    }

    fn end_field(&mut self) {
        self.ends.push(self.text.len());
    }

    #[cfg(test)]
    pub(crate) fn strings(&self) -> Vec<String> {
        self.fields()
            .map(|field| String::from_utf8_lossy(field).into_owned())
            .collect()
    }
}

/// How many rows ended with each kind of line break (breaks inside quoted cells are
/// not counted: Excel writes LF inside cells even in a CRLF file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineBreakCounts {
    pub(crate) lf: u64,
    pub(crate) crlf: u64,
    pub(crate) cr: u64,
}

impl LineBreakCounts {
    pub(crate) fn endings(self) -> LineEndings {
        match (self.lf > 0, self.crlf > 0, self.cr > 0) {
            (false, false, false) => LineEndings::None,
            (true, false, false) => LineEndings::Lf,
            (false, true, false) => LineEndings::CrLf,
            (false, false, true) => LineEndings::Cr,
            _ => LineEndings::Mixed,
        }
    }
}

/// Where quoting went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QuoteIssue {
    /// A quote opened a cell on this line and was never properly closed; the cell was
    /// re-read as plain text up to the end of its line.
    Unterminated { line: u64 },
    /// A quoted cell was closed and then followed by more text on this line
    /// (`"abc"def`): the quote marks inside were probably meant literally.
    TextAfterClosingQuote { line: u64 },
}

#[derive(Debug, Default)]
pub(crate) struct QuoteIssueLog {
    pub(crate) unterminated: u64,
    pub(crate) text_after_closing_quote: u64,
    /// The first [`MAX_LOGGED_QUOTE_ISSUES`] issues, in the order found.
    pub(crate) first: Vec<QuoteIssue>,
}

impl QuoteIssueLog {
    fn log(&mut self, issue: QuoteIssue) {
        match issue {
            QuoteIssue::Unterminated { .. } => self.unterminated += 1,
            QuoteIssue::TextAfterClosingQuote { .. } => self.text_after_closing_quote += 1,
        }
        if self.first.len() < MAX_LOGGED_QUOTE_ISSUES {
            self.first.push(issue);
        }
    }
}

/// Reads from a stream in chunks, with room to put bytes back in front (to re-read a
/// broken quoted cell).
struct Input<R> {
    reader: R,
    chunk: Box<[u8]>,
    pos: usize,
    len: usize,
    replay: Vec<u8>,
    replay_pos: usize,
}

impl<R: Read> Input<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            chunk: vec![0; CHUNK_BYTES].into_boxed_slice(),
            pos: 0,
            len: 0,
            replay: Vec::new(),
            replay_pos: 0,
        }
    }

    /// The bytes available now; empty only at the end of the stream.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.replay_pos < self.replay.len() {
            return Ok(&self.replay[self.replay_pos..]);
        }
        if self.pos == self.len {
            self.pos = 0;
            self.len = loop {
                match self.reader.read(&mut self.chunk) {
                    Ok(read) => break read,
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error) => return Err(error),
                }
            };
        }
        Ok(&self.chunk[self.pos..self.len])
    }

    /// Marks `count` bytes of what [`Input::fill`] returned as used.
    fn consume(&mut self, count: usize) {
        if self.replay_pos < self.replay.len() {
            self.replay_pos += count;
            if self.replay_pos == self.replay.len() {
                self.replay.clear();
                self.replay_pos = 0;
            }
        } else {
            self.pos += count;
        }
    }

    fn put_back(&mut self, mut bytes: Vec<u8>) {
        bytes.extend_from_slice(&self.replay[self.replay_pos..]);
        self.replay = bytes;
        self.replay_pos = 0;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// Just read a quote inside a quoted cell: either `""` or the closing quote.
    QuoteInQuoted,
}

/// A quoted cell being read, remembered so that it can be re-read as plain text.
struct OpenQuote {
    line: u64,
    cells_before: usize,
    text_len_before: usize,
    raw: Raw,
}

/// The raw bytes of an open quoted cell, from its opening quote on.
enum Raw {
    /// Still on its first line: only a cell that runs over a line break can need
    /// re-reading, and until then its raw bytes can be rebuilt from its text.
    NotKept,
    Kept(Vec<u8>),
    /// Longer than [`MAX_REPLAY_BYTES`]: it cannot be re-read.
    TooLong,
}

impl OpenQuote {
    fn spans_lines(&self) -> bool {
        !matches!(self.raw, Raw::NotKept)
    }

    fn can_rebuild_raw(&self, record: &Record) -> bool {
        !record.truncated && !matches!(self.raw, Raw::TooLong)
    }

    /// The raw bytes so far. Inside quotes the only change from raw bytes to text is
    /// `""` → `"`, so doubling the quotes again gives back the exact bytes.
    fn rebuild_raw(&self, record: &Record) -> Option<Vec<u8>> {
        if record.truncated {
            return None;
        }
        match &self.raw {
            Raw::Kept(raw) => Some(raw.clone()),
            Raw::TooLong => None,
            Raw::NotKept => {
                let text = &record.text[self.text_len_before..];
                let mut raw = Vec::with_capacity(text.len() + 2);
                raw.push(QUOTE);
                for byte in text {
                    if *byte == QUOTE {
                        raw.push(QUOTE);
                    }
                    raw.push(*byte);
                }
                Some(raw)
            }
        }
    }

    /// A line break inside the cell (already added to the record's text).
    fn crossed_line(&mut self, record: &Record) {
        if matches!(self.raw, Raw::NotKept) {
            self.raw = self.rebuild_raw(record).map_or(Raw::TooLong, Raw::Kept);
        }
        self.limit();
    }

    fn keep(&mut self, bytes: &[u8]) {
        if let Raw::Kept(raw) = &mut self.raw {
            raw.extend_from_slice(bytes);
        }
        self.limit();
    }

    fn limit(&mut self) {
        if matches!(&self.raw, Raw::Kept(raw) if raw.len() > MAX_REPLAY_BYTES) {
            self.raw = Raw::TooLong;
        }
    }
}

enum Step {
    NeedMore,
    RecordDone,
    /// The open quoted cell is broken: re-read it as plain text.
    Reread,
}

/// Which bytes stop a run of ordinary cell text.
struct StopBytes {
    unquoted: [u8; 3],
    quoted: [u8; 3],
}

impl StopBytes {
    fn new(delimiter: u8) -> Self {
        Self {
            unquoted: [delimiter, b'\r', b'\n'],
            quoted: [QUOTE, b'\r', b'\n'],
        }
    }
}

fn run_length(bytes: &[u8], [first, second, third]: [u8; 3]) -> usize {
    // memchr tests many bytes at a time: most of a file is long runs of cell text.
    memchr3(first, second, third, bytes).unwrap_or(bytes.len())
}

/// The scanner's state between chunks (separate from [`Input`] so that a chunk can be
/// borrowed from the input while the state changes).
struct Scanner {
    delimiter: u8,
    stops: StopBytes,
    reread_broken_quotes: bool,
    state: State,
    line: u64,
    /// The last byte inside a quoted cell was CR: an LF right after it is the same
    /// line break.
    cr_in_cell: bool,
    /// The last row ended with CR: an LF right after it makes the break CRLF.
    cr_ended_row: bool,
    row_started: bool,
    literal_quote_next: bool,
    open_quote: Option<OpenQuote>,
    line_breaks: LineBreakCounts,
    quote_issues: QuoteIssueLog,
}

impl Scanner {
    fn end_row(&mut self, line_break: u8) {
        self.line += 1;
        if line_break == b'\r' {
            self.cr_ended_row = true;
        } else {
            self.line_breaks.lf += 1;
        }
    }

    fn close_quote(&mut self) {
        self.open_quote = None;
    }

    fn step(&mut self, bytes: &[u8], record: &mut Record) -> (usize, Step) {
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if self.cr_ended_row {
                self.cr_ended_row = false;
                if byte == b'\n' {
                    self.line_breaks.crlf += 1;
                    at += 1;
                    continue;
                }
                self.line_breaks.cr += 1;
            }
            match self.state {
                State::FieldStart => {
                    self.row_started = true;
                    if byte == QUOTE && !self.literal_quote_next {
                        self.open_quote = Some(OpenQuote {
                            line: self.line,
                            cells_before: record.ends.len(),
                            text_len_before: record.text.len(),
                            raw: Raw::NotKept,
                        });
                        self.state = State::Quoted;
                        at += 1;
                    } else if byte == self.delimiter {
                        record.end_field();
                        at += 1;
                    } else if byte == b'\r' || byte == b'\n' {
                        record.end_field();
                        self.end_row(byte);
                        return (at + 1, Step::RecordDone);
                    } else {
                        // Also a quote re-read as plain text: it is the first byte of
                        // the unquoted cell.
                        self.literal_quote_next = false;
                        record.push(&bytes[at..=at]);
                        self.state = State::Unquoted;
                        at += 1;
                    }
                }
                State::Unquoted => {
                    let run = run_length(&bytes[at..], self.stops.unquoted);
                    record.push(&bytes[at..at + run]);
                    at += run;
                    let Some(&stop) = bytes.get(at) else { break };
                    at += 1;
                    record.end_field();
                    if stop == self.delimiter {
                        self.state = State::FieldStart;
                    } else {
                        self.end_row(stop);
                        return (at, Step::RecordDone);
                    }
                }
                State::Quoted => {
                    let run = run_length(&bytes[at..], self.stops.quoted);
                    if run > 0 {
                        record.push(&bytes[at..at + run]);
                        if let Some(open) = &mut self.open_quote {
                            open.keep(&bytes[at..at + run]);
                        }
                        self.cr_in_cell = false;
                        at += run;
                    }
                    let Some(&stop) = bytes.get(at) else { break };
                    at += 1;
                    if stop == QUOTE {
                        if let Some(open) = &mut self.open_quote {
                            open.keep(&[QUOTE]);
                        }
                        self.cr_in_cell = false;
                        self.state = State::QuoteInQuoted;
                    } else {
                        // A line break inside the cell: part of its text.
                        if stop == b'\r' || !self.cr_in_cell {
                            self.line += 1;
                        }
                        self.cr_in_cell = stop == b'\r';
                        record.push(&[stop]);
                        if let Some(open) = &mut self.open_quote {
                            if open.spans_lines() {
                                open.keep(&[stop]);
                            } else {
                                open.crossed_line(record);
                            }
                        }
                    }
                }
                State::QuoteInQuoted => {
                    if byte == QUOTE {
                        // `""`: one quote inside the cell.
                        record.push(&[QUOTE]);
                        if let Some(open) = &mut self.open_quote {
                            open.keep(&[QUOTE]);
                        }
                        self.state = State::Quoted;
                        at += 1;
                    } else if byte == self.delimiter {
                        self.close_quote();
                        record.end_field();
                        self.state = State::FieldStart;
                        at += 1;
                    } else if byte == b'\r' || byte == b'\n' {
                        self.close_quote();
                        record.end_field();
                        self.end_row(byte);
                        return (at + 1, Step::RecordDone);
                    } else if byte == b' ' || byte == b'\t' {
                        // Spaces after a closing quote are a common slip; they are kept
                        // in the cell, like other readers do, without a finding.
                        self.close_quote();
                        self.state = State::Unquoted;
                    } else if self.can_reread(record) {
                        // A quoted cell ran over line breaks and "closed" with text right
                        // after it: the opening quote was almost certainly never closed
                        // and this quote opened the next cell.
                        return (at, Step::Reread);
                    } else {
                        self.quote_issues
                            .log(QuoteIssue::TextAfterClosingQuote { line: self.line });
                        self.close_quote();
                        self.state = State::Unquoted;
                    }
                }
            }
        }
        (at, Step::NeedMore)
    }

    fn can_reread(&self, record: &Record) -> bool {
        self.reread_broken_quotes
            && !record.truncated
            && self
                .open_quote
                .as_ref()
                .is_some_and(|open| matches!(open.raw, Raw::Kept(_)))
    }

    /// Undoes the open quoted cell and returns its raw bytes, to be read again with its
    /// opening quote as plain text.
    fn start_reread(&mut self, record: &mut Record) -> Option<Vec<u8>> {
        let open = self.open_quote.take()?;
        let raw = match open.raw {
            Raw::Kept(raw) => raw,
            Raw::NotKept | Raw::TooLong => open.rebuild_raw(record)?,
        };
        self.quote_issues
            .log(QuoteIssue::Unterminated { line: open.line });
        record.text.truncate(open.text_len_before);
        record.ends.truncate(open.cells_before);
        self.line = open.line;
        self.literal_quote_next = true;
        self.cr_in_cell = false;
        self.state = State::FieldStart;
        Some(raw)
    }

    /// At the end of the stream: finishes the last row, if there is one.
    fn finish(&mut self, record: &mut Record) -> (bool, Option<Vec<u8>>) {
        if self.cr_ended_row {
            self.cr_ended_row = false;
            self.line_breaks.cr += 1;
        }
        match self.state {
            State::Quoted => {
                let open_line = self.open_quote.as_ref().map_or(self.line, |open| open.line);
                if self.reread_broken_quotes
                    && self
                        .open_quote
                        .as_ref()
                        .is_some_and(|open| open.can_rebuild_raw(record))
                {
                    return (true, self.start_reread(record));
                }
                self.quote_issues
                    .log(QuoteIssue::Unterminated { line: open_line });
                self.close_quote();
                record.end_field();
            }
            State::FieldStart if !self.row_started => return (false, None),
            State::FieldStart | State::Unquoted | State::QuoteInQuoted => {
                self.close_quote();
                record.end_field();
            }
        }
        self.state = State::FieldStart;
        self.row_started = false;
        (true, None)
    }
}

/// Reads rows one at a time from UTF-8 (or byte-compatible) text.
///
/// A quoted cell that runs over line breaks and then proves broken (text right after
/// its closing quote, or the end of the file inside it) is read again as plain text
/// up to the end of its line, so that the rows after it come out as the researcher
/// sees them in a text editor, and the open quote is reported on its own line.
pub(crate) struct RecordReader<R> {
    input: Input<R>,
    scanner: Scanner,
}

impl<R: Read> RecordReader<R> {
    pub(crate) fn new(reader: R, delimiter: u8) -> Self {
        Self {
            input: Input::new(reader),
            scanner: Scanner {
                delimiter,
                stops: StopBytes::new(delimiter),
                reread_broken_quotes: true,
                state: State::FieldStart,
                line: 1,
                cr_in_cell: false,
                cr_ended_row: false,
                row_started: false,
                literal_quote_next: false,
                open_quote: None,
                line_breaks: LineBreakCounts::default(),
                quote_issues: QuoteIssueLog::default(),
            },
        }
    }

    /// Reads a sample as it stands, without re-reading broken quotes: used to compare
    /// delimiters on the first part of a file, where the end of the sample may cut a
    /// quoted cell in two.
    pub(crate) fn without_rereading(mut self) -> Self {
        self.scanner.reread_broken_quotes = false;
        self
    }

    /// Reads the next row into `record`; `false` at the end of the text.
    pub(crate) fn read_record(&mut self, record: &mut Record) -> io::Result<bool> {
        record.clear();
        record.line = self.scanner.line;
        self.scanner.row_started = false;
        self.scanner.state = State::FieldStart;
        loop {
            let bytes = self.input.fill()?;
            if bytes.is_empty() {
                let (found, reread) = self.scanner.finish(record);
                match reread {
                    Some(raw) => {
                        self.input.put_back(raw);
                        continue;
                    }
                    None => return Ok(found),
                }
            }
            let (used, step) = self.scanner.step(bytes, record);
            self.input.consume(used);
            match step {
                Step::NeedMore => {}
                Step::RecordDone => {
                    self.scanner.row_started = false;
                    return Ok(true);
                }
                Step::Reread => {
                    if let Some(raw) = self.scanner.start_reread(record) {
                        self.input.put_back(raw);
                    }
                }
            }
        }
    }

    pub(crate) fn line_breaks(&self) -> LineBreakCounts {
        self.scanner.line_breaks
    }

    pub(crate) fn quote_issues(&self) -> &QuoteIssueLog {
        &self.scanner.quote_issues
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Gives out at most `step` bytes per read, to test chunk boundaries everywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let count = self.step.min(out.len()).min(self.bytes.len());
            out[..count].copy_from_slice(&self.bytes[..count]);
            self.bytes = &self.bytes[count..];
            Ok(count)
        }
    }

    struct Scanned {
        rows: Vec<(u64, Vec<String>)>,
        line_breaks: LineBreakCounts,
        issues: Vec<QuoteIssue>,
    }

    fn scan_with(text: &[u8], delimiter: u8, step: usize) -> Scanned {
        let mut reader = RecordReader::new(Trickle { bytes: text, step }, delimiter);
        let mut record = Record::default();
        let mut rows = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            rows.push((record.line, record.strings()));
        }
        Scanned {
            rows,
            line_breaks: reader.line_breaks(),
            issues: reader.quote_issues().first.clone(),
        }
    }

    /// Scans whole, then one byte at a time, and checks both agree.
    fn scan(text: &str) -> Scanned {
        let whole = scan_with(text.as_bytes(), b',', usize::MAX);
        let trickled = scan_with(text.as_bytes(), b',', 1);
        assert_eq!(whole.rows, trickled.rows, "chunking changed the rows");
        assert_eq!(whole.line_breaks, trickled.line_breaks);
        assert_eq!(whole.issues, trickled.issues);
        whole
    }

    fn row(line: u64, cells: &[&str]) -> (u64, Vec<String>) {
        (line, cells.iter().map(|cell| (*cell).to_owned()).collect())
    }

    #[test]
    fn plain_rows_with_each_kind_of_line_break() {
        for (text, counts) in [
            ("a,b\n1,2\n", (2, 0, 0)),
            ("a,b\r\n1,2\r\n", (0, 2, 0)),
            ("a,b\r1,2\r", (0, 0, 2)),
            ("a,b\r\n1,2\n3,4\r5,6", (1, 1, 1)),
        ] {
            let scanned = scan(text);
            assert_eq!(scanned.rows[0], row(1, &["a", "b"]));
            assert_eq!(scanned.rows[1], row(2, &["1", "2"]));
            let breaks = scanned.line_breaks;
            assert_eq!((breaks.lf, breaks.crlf, breaks.cr), counts, "{text:?}");
        }
    }

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let scanned = scan("id,text\n1,\"a, \"\"b\"\"\r\nc\"\n2,\"\"\n");
        assert_eq!(
            scanned.rows,
            vec![
                row(1, &["id", "text"]),
                row(2, &["1", "a, \"b\"\r\nc"]),
                row(4, &["2", ""]),
            ]
        );
        // The CRLF inside the cell is not a row ending.
        assert_eq!(scanned.line_breaks.lf, 3);
        assert_eq!(scanned.line_breaks.crlf, 0);
        assert!(scanned.issues.is_empty());
    }

    #[test]
    fn blank_lines_and_trailing_delimiters_are_rows() {
        let scanned = scan("a,b\n\n1,\n,,\n");
        assert_eq!(
            scanned.rows,
            vec![
                row(1, &["a", "b"]),
                row(2, &[""]),
                row(3, &["1", ""]),
                row(4, &["", "", ""]),
            ]
        );
    }

    #[test]
    fn last_row_without_line_break() {
        let scanned = scan("a,b\n1,\"2\"");
        assert_eq!(scanned.rows[1], row(2, &["1", "2"]));
        assert_eq!(scanned.line_breaks.lf, 1);
    }

    #[test]
    fn quote_left_open_at_the_end_is_reread_as_text() {
        let scanned = scan("a,b,c\n1,\"open,x\n");
        assert_eq!(scanned.rows[1], row(2, &["1", "\"open", "x"]));
        assert_eq!(scanned.issues, vec![QuoteIssue::Unterminated { line: 2 }]);
    }

    #[test]
    fn quote_left_open_before_other_rows_is_found_on_its_line() {
        // As in broken-ragged.csv: the quote on line 2 is never closed; the quote on
        // line 4 opens a cell that is never closed either.
        let text = "a,b,c\n1,\"two\n2,x,y,z\n3,\"open,w\n";
        let scanned = scan(text);
        assert_eq!(
            scanned.rows,
            vec![
                row(1, &["a", "b", "c"]),
                row(2, &["1", "\"two"]),
                row(3, &["2", "x", "y", "z"]),
                row(4, &["3", "\"open", "w"]),
            ]
        );
        assert_eq!(
            scanned.issues,
            vec![
                QuoteIssue::Unterminated { line: 2 },
                QuoteIssue::Unterminated { line: 4 }
            ]
        );
    }

    #[test]
    fn a_reread_cell_gives_back_its_exact_bytes() {
        // The raw bytes of the open cell are rebuilt from its text at the line break;
        // doubled quotes must come back doubled.
        let scanned = scan("a,b\n1,\"say \"\"hi\"\"\r\n2,x\n");
        assert_eq!(
            scanned.rows,
            vec![
                row(1, &["a", "b"]),
                row(2, &["1", "\"say \"\"hi\"\""]),
                row(3, &["2", "x"]),
            ]
        );
        assert_eq!(scanned.line_breaks.crlf, 1);
        assert_eq!(scanned.issues, vec![QuoteIssue::Unterminated { line: 2 }]);
    }

    #[test]
    fn text_after_a_closing_quote_on_the_same_line() {
        let scanned = scan("a,b\n1,\"The \"premium\" one\"\n2,x\n");
        assert_eq!(scanned.rows[1], row(2, &["1", "The premium\" one\""]));
        assert_eq!(scanned.rows[2], row(3, &["2", "x"]));
        assert_eq!(
            scanned.issues,
            vec![QuoteIssue::TextAfterClosingQuote { line: 2 }]
        );
    }

    #[test]
    fn spaces_after_a_closing_quote_are_tolerated() {
        let scanned = scan("a,b\n\"x\ny\" ,2\n");
        assert_eq!(scanned.rows[1], row(2, &["x\ny ", "2"]));
        assert!(scanned.issues.is_empty());
    }

    #[test]
    fn other_delimiters() {
        let scanned = scan_with(b"a|b\n\"1|2\"|3\n", b'|', 1);
        assert_eq!(scanned.rows[1], row(2, &["1|2", "3"]));
        let scanned = scan_with(b"a\tb\r\n1\t\"x\ty\"\r\n", b'\t', 3);
        assert_eq!(scanned.rows[1], row(2, &["1", "x\ty"]));
    }

    #[test]
    fn without_rereading_a_cut_sample_keeps_the_open_cell() {
        let mut reader = RecordReader::new(&b"a,b\n1,\"x\ny"[..], b',').without_rereading();
        let mut record = Record::default();
        assert!(reader.read_record(&mut record).unwrap());
        assert!(reader.read_record(&mut record).unwrap());
        assert_eq!(record.strings(), vec!["1", "x\ny"]);
        assert!(!reader.read_record(&mut record).unwrap());
    }

    #[test]
    fn empty_text_has_no_rows() {
        assert!(scan("").rows.is_empty());
        assert_eq!(scan("\n").rows, vec![row(1, &[""])]);
    }

    #[test]
    fn blank_detection() {
        let scanned = scan("\n , ,\nx,\n");
        let mut reader = RecordReader::new(&b"\n , ,\nx,\n"[..], b',');
        let mut record = Record::default();
        let mut blanks = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            blanks.push(record.is_blank());
        }
        assert_eq!(blanks, vec![true, true, false]);
        assert_eq!(scanned.rows.len(), 3);
    }
}
