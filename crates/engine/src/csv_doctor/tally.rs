//! What one pass over the rows gathers: per file, per column and per task group,
//! with capped lists of line numbers. [`Tally::take_row`] takes the rows in file
//! order; the findings are made from the finished tally.

use std::collections::HashMap;

use memchr::memchr2;

use super::dialect::DialectGuess;
use super::encoding::{char_count, decode_cell, is_utf8};
use super::line_log::LineLog;
use super::records::{LineBreakCounts, QuoteIssue, QuoteIssueLog, Record};
use super::repeats::{MAX_ROWS_CHECKED_FOR_REPEATS, RepeatFinder, RowCountGuess, row_hash};
use super::text::{column_letter, shorten};
use super::{
    Column, Delimiter, Finding, ImageUrls, LONG_CELL_CHARS, LineEndings, MAX_LISTED_LINES, Report,
    TextEncoding,
};

/// Distinct `META_TASK_GROUP_ID` values counted (past that the count is "more than").
pub(crate) const MAX_GROUPS_COUNTED: usize = 100_000;

const SAMPLES_PER_COLUMN: usize = 5;
const SAMPLE_CHARS: usize = 200;

pub(crate) const HIDDEN_PREFIX: &str = "META_";
pub(crate) const TASK_GROUP_COLUMN: &str = "META_TASK_GROUP_ID";

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

/// Everything gathered in one pass; `findings` turns it into sentences.
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
    pub(crate) fn new(
        encoding: TextEncoding,
        dialect: DialectGuess,
        total_bytes: Option<u64>,
    ) -> Self {
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

    pub(crate) fn take_row(&mut self, record: &Record) {
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

    pub(crate) fn take_quote_issues(&mut self, log: &QuoteIssueLog) {
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

    /// Sorts out the repeated rows. Call once, after the last row.
    pub(crate) fn finish_repeats(&mut self) {
        (self.duplicates, self.repeats_checked_until) = self.repeats.finish();
    }

    /// The report, with the findings made from this tally.
    pub(crate) fn into_report(self, findings: Vec<Finding>) -> Report {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
