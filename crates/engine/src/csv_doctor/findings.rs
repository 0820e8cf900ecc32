//! Turning a tally into findings: one or two plain sentences each, for a researcher who
//! knows Excel but not CSV dialects, saying what is wrong and what to do. Codes are
//! stable (the UI branches on them); wording may change freely.

use std::collections::BTreeMap;

use super::line_log::LineLog;
use super::tally::{ColumnTally, GroupTally, MAX_GROUPS_COUNTED, TASK_GROUP_COLUMN, Tally};
use super::text::{column_letter, shorten};
use super::{Delimiter, Finding, LONG_CELL_CHARS, LineEndings, Severity, TextEncoding};
use crate::text;
use crate::text::{Text, TextValue};

/// How many line numbers a sentence names before saying "and N more".
const LINES_IN_A_SENTENCE: usize = 5;

/// Every finding the tally calls for, the most serious first.
pub(crate) fn findings(tally: &Tally) -> Vec<Finding> {
    if tally.header_line.is_none() {
        return vec![empty_file(tally)];
    }
    let mut found = Vec::new();
    let checks: [fn(&Tally, &mut Vec<Finding>); 9] = [
        content,
        encoding,
        separator,
        line_endings,
        quotes,
        rows,
        header,
        special_columns,
        cells,
    ];
    for check in checks {
        check(tally, &mut found);
    }
    // Stable: within a severity, findings keep the order above.
    found.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    found
}

struct New {
    severity: Severity,
    code: &'static str,
    fixable: bool,
}

impl New {
    fn problem(code: &'static str) -> Self {
        Self {
            severity: Severity::Problem,
            code,
            fixable: false,
        }
    }

    fn warning(code: &'static str) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            fixable: false,
        }
    }

    fn note(code: &'static str) -> Self {
        Self {
            severity: Severity::Note,
            code,
            fixable: false,
        }
    }

    fn fixable(mut self) -> Self {
        self.fixable = true;
        self
    }

    fn say(self, message: Text) -> Finding {
        self.say_about(message, Vec::new(), 0)
    }

    fn say_about(self, message: Text, lines: Vec<u64>, count: u64) -> Finding {
        Finding {
            severity: self.severity,
            code: self.code,
            message,
            lines,
            count,
            fixable: self.fixable,
        }
    }

    fn say_about_lines(self, message: Text, log: &LineLog) -> Finding {
        self.say_about(message, log.lines.clone(), log.count)
    }
}

fn empty_file(tally: &Tally) -> Finding {
    let message = if tally.file_size == 0 {
        text!("checks:csv.emptyFile")
    } else {
        text!("checks:csv.onlyEmptyLines")
    };
    New::problem("emptyFile").say_about_lines(message, &tally.blank_rows)
}

fn header_lines(tally: &Tally) -> Vec<u64> {
    tally.header_line.into_iter().collect()
}

/// Whether there are rows of data, and whether the first row is a header.
fn content(tally: &Tally, found: &mut Vec<Finding>) {
    if tally.header_looks_like_data {
        let first: Vec<String> = tally
            .columns
            .iter()
            .take(3)
            .map(|column| quote(&shorten(&column.name, 30)))
            .collect();
        found.push(New::problem("noHeader").say_about(
            text!("checks:csv.noHeader", names = first),
            header_lines(tally),
            1,
        ));
    }
    if tally.rows == 0 {
        found.push(New::problem("noDataRows").say_about(
            text!("checks:csv.noDataRows"),
            header_lines(tally),
            0,
        ));
    }
    if tally.dialect.single_column && tally.rows > 0 {
        found.push(New::note("singleColumn").say(text!("checks:csv.singleColumn")));
    }
}

fn encoding(tally: &Tally, found: &mut Vec<Finding>) {
    let first_column = tally
        .columns
        .first()
        .map_or(String::new(), |column| column.name.clone());
    match tally.encoding {
        TextEncoding::Utf8 => {}
        TextEncoding::Utf8WithBom => found.push(
            New::warning("byteOrderMark")
                .fixable()
                .say(text!("checks:csv.byteOrderMark", column = first_column)),
        ),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => found.push(
            New::problem("notUtf8")
                .fixable()
                .say(text!("checks:csv.utf16")),
        ),
        TextEncoding::Windows1252 => found.push(
            New::problem("notUtf8")
                .fixable()
                .say(text!("checks:csv.windows1252")),
        ),
    }
    let nul = &tally.nul_characters;
    if nul.count > 0 {
        found.push(New::warning("nulCharacters").fixable().say_about_lines(
            text!(
                "checks:csv.nulCharacters",
                count = nul.count,
                lines = lines_starting(nul)
            ),
            nul,
        ));
    }
    let odd = &tally.not_utf8;
    if odd.count > 0 {
        found.push(New::warning("mixedEncoding").fixable().say_about_lines(
            text!(
                "checks:csv.mixedEncoding",
                count = odd.count,
                lines = lines_starting(odd)
            ),
            odd,
        ));
    }
}

fn separator(tally: &Tally, found: &mut Vec<Finding>) {
    let delimiter = tally.delimiter();
    let names = delimiters(delimiter);
    let message = match delimiter {
        Delimiter::Comma => return,
        Delimiter::Semicolon => text!("checks:csv.notCommaSeparated.semicolons", delimiter = names),
        Delimiter::Tab => text!("checks:csv.notCommaSeparated.tabs", delimiter = names),
        Delimiter::Pipe => text!("checks:csv.notCommaSeparated.other", delimiter = names),
    };
    found.push(New::problem("notCommaSeparated").fixable().say(message));
}

fn line_endings(tally: &Tally, found: &mut Vec<Finding>) {
    match tally.line_endings() {
        LineEndings::Cr => found.push(
            New::problem("classicMacLineEndings")
                .fixable()
                .say(text!("checks:csv.classicMacLineEndings")),
        ),
        LineEndings::Mixed => found.push(
            New::warning("mixedLineEndings")
                .fixable()
                .say(text!("checks:csv.mixedLineEndings")),
        ),
        LineEndings::Lf | LineEndings::CrLf | LineEndings::None => {}
    }
}

fn quotes(tally: &Tally, found: &mut Vec<Finding>) {
    let open = &tally.unterminated_quotes;
    if open.count > 0 {
        found.push(New::problem("unterminatedQuote").say_about_lines(
            text!(
                "checks:csv.unterminatedQuote",
                count = open.count,
                lines = lines_starting(open)
            ),
            open,
        ));
    }
    let after = &tally.text_after_quotes;
    if after.count > 0 {
        found.push(New::warning("strayQuotes").say_about_lines(
            text!("checks:csv.strayQuotes", lines = lines_within(after)),
            after,
        ));
    }
}

fn rows(tally: &Tally, found: &mut Vec<Finding>) {
    let ragged = &tally.ragged;
    if ragged.count > 0 {
        let lines: Vec<u64> = ragged.first.iter().map(|(line, _)| *line).collect();
        let log = LineLog {
            count: ragged.count,
            lines: lines.clone(),
        };
        let counts: Vec<usize> = ragged.first.iter().map(|(_, count)| *count).collect();
        let same_count = counts.windows(2).all(|pair| pair[0] == pair[1]);
        let columns = text!("checks:csv.count.columns", count = tally.columns.len());
        let delimiter = delimiter_one(tally.delimiter());
        // The same count everywhere reads best as one sentence; otherwise give examples.
        let message = match counts.first() {
            Some(&values) if same_count && ragged.count == counts.len() as u64 => text!(
                "checks:csv.raggedRows.same",
                count = ragged.count,
                lines = lines_starting(&log),
                values = text!("checks:csv.count.values", count = values),
                columns = columns,
                delimiter = delimiter,
            ),
            _ => {
                let examples: Vec<Text> = ragged
                    .first
                    .iter()
                    .take(LINES_IN_A_SENTENCE)
                    .map(|(line, count)| {
                        text!("checks:csv.raggedRows.example", line = line, values = count)
                    })
                    .collect();
                let more = ragged.count.saturating_sub(examples.len() as u64);
                if more > 0 {
                    text!(
                        "checks:csv.raggedRows.differentAndMore",
                        rows = ragged.count,
                        columns = columns,
                        examples = examples,
                        more = text!("checks:csv.count.moreRows", count = more),
                        delimiter = delimiter,
                    )
                } else {
                    text!(
                        "checks:csv.raggedRows.different",
                        count = ragged.count,
                        columns = columns,
                        examples = examples,
                        delimiter = delimiter,
                    )
                }
            }
        };
        found.push(New::problem("raggedRows").say_about(message, lines, ragged.count));
    }
    let blank = &tally.blank_rows;
    if blank.count > 0 {
        found.push(New::warning("emptyRows").fixable().say_about_lines(
            text!(
                "checks:csv.emptyRows",
                count = blank.count,
                lines = lines_starting(blank)
            ),
            blank,
        ));
    }
    let copies = &tally.duplicates;
    if copies.count > 0 {
        found.push(New::warning("duplicateRows").fixable().say_about_lines(
            text!(
                "checks:csv.duplicateRows",
                count = copies.count,
                lines = lines_within(copies)
            ),
            copies,
        ));
    }
    if let Some(line) = tally.repeats_checked_until {
        found.push(New::note("duplicatesPartlyChecked").say_about(
            text!("checks:csv.duplicatesPartlyChecked", line = line),
            vec![line],
            0,
        ));
    }
    let repeats = &tally.repeated_header;
    if repeats.count > 0 {
        found.push(New::warning("repeatedHeader").fixable().say_about_lines(
            text!(
                "checks:csv.repeatedHeader",
                count = repeats.count,
                lines = lines_starting(repeats)
            ),
            repeats,
        ));
    }
}

fn header(tally: &Tally, found: &mut Vec<Finding>) {
    let blank: Vec<&ColumnTally> = tally
        .columns
        .iter()
        .filter(|column| column.name.is_empty())
        .collect();
    if !blank.is_empty() {
        let letters: Vec<String> = blank
            .iter()
            .map(|column| column_letter(column.position))
            .collect();
        let new_names: Vec<String> = blank
            .iter()
            .map(|column| quote(&format!("column_{}", column.position)))
            .collect();
        found.push(New::problem("blankHeader").fixable().say_about(
            text!(
                "checks:csv.blankHeader",
                count = blank.len(),
                letters = letters,
                names = new_names
            ),
            header_lines(tally),
            blank.len() as u64,
        ));
    }

    let mut positions: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for column in tally
        .columns
        .iter()
        .filter(|column| !column.name.is_empty())
    {
        positions
            .entry(column.name.as_str())
            .or_default()
            .push(column.position);
    }
    let mut shared: Vec<(&str, Vec<u32>)> = positions
        .into_iter()
        .filter(|(_, positions)| positions.len() > 1)
        .collect();
    shared.sort_by_key(|(_, positions)| positions[0]);
    if let Some((name, first_positions)) = shared.first() {
        let letters = |positions: &[u32]| -> Vec<String> {
            positions
                .iter()
                .map(|position| column_letter(*position))
                .collect()
        };
        let renamed = format!("{name}_2");
        let message = if shared.len() == 1 {
            text!(
                "checks:csv.duplicateHeader.one",
                count = first_positions.len(),
                name = *name,
                letters = letters(first_positions),
                renamed = renamed,
            )
        } else {
            let each: Vec<Text> = shared
                .iter()
                .map(|(name, positions)| {
                    text!(
                        "checks:csv.duplicateHeader.columns",
                        name = *name,
                        letters = letters(positions)
                    )
                })
                .collect();
            text!(
                "checks:csv.duplicateHeader.several",
                names = each,
                renamed = renamed
            )
        };
        let copies: usize = shared
            .iter()
            .map(|(_, positions)| positions.len() - 1)
            .sum();
        found.push(New::problem("duplicateHeader").fixable().say_about(
            message,
            header_lines(tally),
            copies as u64,
        ));
    }
}

/// `META_` columns, the task groups and image links.
fn special_columns(tally: &Tally, found: &mut Vec<Finding>) {
    let lowercase: Vec<String> = tally
        .columns
        .iter()
        .filter(|column| {
            // Bytes, not a string slice: the fifth byte may fall inside a character.
            column
                .name
                .as_bytes()
                .get(..5)
                .is_some_and(|start| start.eq_ignore_ascii_case(b"META_"))
                && !column.hidden()
        })
        .map(|column| quote(&column.name))
        .collect();
    if !lowercase.is_empty() {
        let count = lowercase.len();
        found.push(New::warning("lowercaseMeta").say_about(
            text!("checks:csv.lowercaseMeta", count = count, names = lowercase),
            header_lines(tally),
            count as u64,
        ));
    }

    if !tally.columns.is_empty() && tally.columns.iter().all(ColumnTally::hidden) {
        found.push(New::problem("nothingVisible").say_about(
            text!("checks:csv.nothingVisible"),
            header_lines(tally),
            tally.columns.len() as u64,
        ));
    }

    let hidden: Vec<String> = tally
        .columns
        .iter()
        .filter(|column| column.hidden() && column.groups.is_none())
        .map(|column| quote(&column.name))
        .collect();
    if !hidden.is_empty() {
        let count = hidden.len();
        found.push(New::note("hiddenColumns").say_about(
            text!("checks:csv.hiddenColumns", count = count, names = hidden),
            Vec::new(),
            count as u64,
        ));
    }

    for column in &tally.columns {
        if let Some(groups) = &column.groups {
            task_groups(groups, found);
        }
        if column.holds_image_links() {
            image_links(column, found);
        }
    }
}

fn task_groups(groups: &GroupTally, found: &mut Vec<Finding>) {
    let count = groups.rows_per_group.len() as u64;
    if count > 0 {
        let smallest = groups.rows_per_group.values().min().copied().unwrap_or(0);
        let largest = groups.rows_per_group.values().max().copied().unwrap_or(0);
        let how_many = if groups.overflowed {
            text!("checks:csv.count.groupsOver", count = MAX_GROUPS_COUNTED)
        } else {
            text!("checks:csv.count.groups", count = count)
        };
        let sizes = if smallest == largest {
            text!("checks:csv.count.groupSize", count = smallest)
        } else {
            text!(
                "checks:csv.count.groupSizes",
                smallest = smallest,
                largest = largest
            )
        };
        found.push(New::note("customGroups").say_about(
            text!(
                "checks:csv.customGroups",
                column = TASK_GROUP_COLUMN,
                groups = how_many,
                sizes = sizes
            ),
            Vec::new(),
            count,
        ));
    }
    let missing = &groups.missing;
    if missing.count > 0 {
        found.push(New::warning("missingGroupId").say_about_lines(
            text!(
                "checks:csv.missingGroupId",
                count = missing.count,
                lines = lines_starting(missing),
                column = TASK_GROUP_COLUMN
            ),
            missing,
        ));
    }
}

fn image_links(column: &ColumnTally, found: &mut Vec<Finding>) {
    let name = &column.name;
    let http = &column.http_links;
    if http.count > 0 {
        found.push(New::problem("insecureImageUrls").say_about_lines(
            text!(
                "checks:csv.insecureImageUrls",
                column = name,
                count = http.count,
                lines = lines_within(http)
            ),
            http,
        ));
    }
    let other = &column.not_links;
    if other.count > 0 {
        let message = match column.first_not_link.as_deref() {
            Some(example) => text!(
                "checks:csv.invalidImageUrls.example",
                column = name,
                count = other.count,
                lines = lines_within(other),
                example = example
            ),
            None => text!(
                "checks:csv.invalidImageUrls.plain",
                column = name,
                count = other.count,
                lines = lines_within(other)
            ),
        };
        found.push(New::warning("invalidImageUrls").say_about_lines(message, other));
    }
}

fn cells(tally: &Tally, found: &mut Vec<Finding>) {
    let long = &tally.long_cells;
    if long.cells.count > 0 {
        let lines = lines_starting(&long.cells);
        let message = if long.longest_chars > 0 {
            text!(
                "checks:csv.longCells.longest",
                count = long.cells.count,
                lines = lines,
                limit = LONG_CELL_CHARS,
                longest = long.longest_chars,
                letter = column_letter(long.longest_column)
            )
        } else {
            text!(
                "checks:csv.longCells.plain",
                count = long.cells.count,
                lines = lines,
                limit = LONG_CELL_CHARS
            )
        };
        found.push(New::warning("longCells").say_about_lines(message, &long.cells));
    }
    if tally.delimiter() != Delimiter::Comma {
        let columns: Vec<&ColumnTally> = tally
            .columns
            .iter()
            .filter(|column| column.decimal_commas > 0)
            .collect();
        if let Some(first) = columns.first() {
            let names: Vec<String> = columns.iter().map(|column| quote(&column.name)).collect();
            let example = first.first_decimal_comma.clone().unwrap_or_default();
            found.push(New::note("decimalCommas").say_about(
                text!(
                    "checks:csv.decimalCommas",
                    count = columns.len(),
                    names = names,
                    example = example
                ),
                Vec::new(),
                columns.len() as u64,
            ));
        }
    }
}

// ---- Pieces of sentences, each its own entry ----

/// The line numbers a sentence names: the first few, then "N more".
fn line_list(log: &LineLog) -> TextValue {
    let mut shown: Vec<TextValue> = log
        .lines
        .iter()
        .take(LINES_IN_A_SENTENCE)
        .map(TextValue::from)
        .collect();
    let more = log.count.saturating_sub(shown.len() as u64);
    if more > 0 {
        shown.push(text!("checks:csv.lines.more", count = more).into());
    }
    TextValue::List(shown)
}

/// "Line 14", "Lines 14 and 92", to begin a sentence (its verb agrees in the sentence's
/// own entry, chosen by the same count).
fn lines_starting(log: &LineLog) -> Text {
    text!(
        "checks:csv.lines.start",
        count = log.count,
        lines = line_list(log)
    )
}

/// "line 14", "lines 1, 2, 3, 4, 5 and 95 more", inside a sentence.
fn lines_within(log: &LineLog) -> Text {
    text!(
        "checks:csv.lines.within",
        count = log.count,
        lines = line_list(log)
    )
}

/// "semicolons", as in "values separated by …".
fn delimiters(delimiter: Delimiter) -> Text {
    match delimiter {
        Delimiter::Comma => text!("checks:csv.delimiter.commas"),
        Delimiter::Semicolon => text!("checks:csv.delimiter.semicolons"),
        Delimiter::Tab => text!("checks:csv.delimiter.tabs"),
        Delimiter::Pipe => text!("checks:csv.delimiter.pipes"),
    }
}

/// "a semicolon", as in "a cell contains …".
fn delimiter_one(delimiter: Delimiter) -> Text {
    match delimiter {
        Delimiter::Comma => text!("checks:csv.delimiter.comma"),
        Delimiter::Semicolon => text!("checks:csv.delimiter.semicolon"),
        Delimiter::Tab => text!("checks:csv.delimiter.tab"),
        Delimiter::Pipe => text!("checks:csv.delimiter.pipe"),
    }
}

/// A name or value as it appears in a list: “name”.
fn quote(text: &str) -> String {
    format!("“{text}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(lines: &[u64], count: u64) -> LineLog {
        LineLog {
            count,
            lines: lines.to_vec(),
        }
    }

    #[test]
    fn line_references_read_naturally() {
        let within = |lines: &[u64], count| lines_within(&log(lines, count)).to_string();
        assert_eq!(within(&[14], 1), "line 14");
        assert_eq!(within(&[14, 92], 2), "lines 14 and 92");
        assert_eq!(within(&[1, 2, 3], 3), "lines 1, 2 and 3");
        assert_eq!(
            within(&[1, 2, 3, 4, 5, 6, 7], 1100),
            "lines 1, 2, 3, 4, 5 and 1,095 more"
        );
        // Plain digits: "lines 2,193, 3,277" would be ambiguous in a list.
        assert_eq!(within(&[2193, 13277], 2), "lines 2193 and 13277");
        assert_eq!(lines_starting(&log(&[3], 1)).to_string(), "Line 3");
        assert_eq!(
            lines_starting(&log(&[3, 4], 2)).to_string(),
            "Lines 3 and 4"
        );
    }

    #[test]
    fn the_verb_agrees_with_the_lines_in_the_whole_sentence() {
        let sentence = |lines: &[u64], count| {
            let log = log(lines, count);
            text!(
                "checks:csv.emptyRows",
                count = log.count,
                lines = lines_starting(&log)
            )
            .to_string()
        };
        assert!(sentence(&[3], 1).starts_with("Line 3 is empty."));
        assert!(sentence(&[3], 1).ends_with("delete that line, or use Fix to drop it."));
        assert!(sentence(&[3, 4], 2).starts_with("Lines 3 and 4 are empty."));
        assert!(sentence(&[3, 4], 2).ends_with("delete those lines, or use Fix to drop them."));
    }
}
