//! Turning a tally into findings: one or two plain sentences each, for a researcher who
//! knows Excel but not CSV dialects, saying what is wrong and what to do. Codes are
//! stable (the UI branches on them); wording may change freely.

use std::collections::BTreeMap;

use super::line_log::LineLog;
use super::tally::{ColumnTally, GroupTally, MAX_GROUPS_COUNTED, TASK_GROUP_COLUMN, Tally};
use super::text::{column_letter, shorten};
use super::{Delimiter, Finding, LONG_CELL_CHARS, LineEndings, Severity, TextEncoding};

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

    fn say(self, message: String) -> Finding {
        self.say_about(message, Vec::new(), 0)
    }

    fn say_about(self, message: String, lines: Vec<u64>, count: u64) -> Finding {
        Finding {
            severity: self.severity,
            code: self.code,
            message,
            lines,
            count,
            fixable: self.fixable,
        }
    }

    fn say_about_lines(self, message: String, log: &LineLog) -> Finding {
        self.say_about(message, log.lines.clone(), log.count)
    }
}

fn empty_file(tally: &Tally) -> Finding {
    let message = if tally.file_size == 0 {
        "The file is empty. Choose the file that holds your data, or save it again from Excel."
    } else {
        "The file holds only empty lines. Choose the file that holds your data, or save it again from Excel."
    };
    New::problem("emptyFile").say_about_lines(message.to_owned(), &tally.blank_rows)
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
            format!(
                "The first line ({}) looks like data rather than column names. Prolific reads the first line as the names of the columns: add a line at the top with a name for each column.",
                first.join(", ")
            ),
            header_lines(tally),
            1,
        ));
    }
    if tally.rows == 0 {
        found.push(New::problem("noDataRows").say_about(
            "The file has column names but no rows of data below them. Add at least one row of data under the names.".to_owned(),
            header_lines(tally),
            0,
        ));
    }
    if tally.dialect.single_column && tally.rows > 0 {
        found.push(New::note("singleColumn").say(
            "Every row holds a single value, so the file has one column. If you expected several columns, they may be separated by a character Batchdesk does not recognise: save the file from Excel as “CSV UTF-8 (Comma delimited)”.".to_owned(),
        ));
    }
}

fn encoding(tally: &Tally, found: &mut Vec<Finding>) {
    let first_column = tally
        .columns
        .first()
        .map_or(String::new(), |column| quote(&column.name));
    match tally.encoding {
        TextEncoding::Utf8 => {}
        TextEncoding::Utf8WithBom => found.push(New::warning("byteOrderMark").fixable().say(format!(
            "The file starts with an invisible marker (a “byte order mark”) that Excel adds to “CSV UTF-8” files; some systems read it as part of the first column's name, {first_column}. Use Fix to remove it."
        ))),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => found.push(New::problem("notUtf8").fixable().say(
            "The file is saved as “Unicode Text” (UTF-16), which Prolific cannot read as a CSV file. Use Fix to convert it, or save it from Excel as “CSV UTF-8 (Comma delimited)”.".to_owned(),
        )),
        TextEncoding::Windows1252 => found.push(New::problem("notUtf8").fixable().say(
            "The file is saved in an older Windows encoding (Windows-1252), so letters such as é and symbols such as € would look garbled on Prolific. Use Fix to convert it to UTF-8, or save it from Excel as “CSV UTF-8 (Comma delimited)”.".to_owned(),
        )),
    }
    if tally.nul_characters.count > 0 {
        found.push(New::warning("nulCharacters").fixable().say_about_lines(
            format!(
                "{} invisible “NUL” characters, which programs leave behind when a file is damaged or was cut off while saving. Prolific may cut the text short there: use Fix to remove them, and check {} in the preview afterwards.",
                capitalize(&subject(&tally.nul_characters, "contains", "contain")),
                this_or_those(&tally.nul_characters),
            ),
            &tally.nul_characters,
        ));
    }
    if tally.not_utf8.count > 0 {
        found.push(New::warning("mixedEncoding").fixable().say_about_lines(
            format!(
                "{} characters that do not fit the rest of the file (UTF-8), probably pasted from an older Windows program. Fix reads them as Windows characters (such as é, € and curly quotes): check those lines in the preview afterwards.",
                capitalize(&subject(&tally.not_utf8, "contains", "contain"))
            ),
            &tally.not_utf8,
        ));
    }
}

fn separator(tally: &Tally, found: &mut Vec<Finding>) {
    let delimiter = tally.delimiter();
    if delimiter == Delimiter::Comma {
        return;
    }
    let why = match delimiter {
        Delimiter::Semicolon => ", as Excel does in many European countries",
        Delimiter::Tab => ", as in Excel's “Unicode Text” files",
        Delimiter::Comma | Delimiter::Pipe => "",
    };
    found.push(New::problem("notCommaSeparated").fixable().say(format!(
        "The values are separated by {}{why}. Prolific expects commas: use Fix to convert the file, or save it from Excel as “CSV UTF-8 (Comma delimited)”.",
        delimiter.plural_name()
    )));
}

fn line_endings(tally: &Tally, found: &mut Vec<Finding>) {
    match tally.line_endings() {
        LineEndings::Cr => found.push(New::problem("classicMacLineEndings").fixable().say(
            "The file uses the line breaks of old Macs (Excel's “CSV (Macintosh)” format), which many systems read as one single line. Use Fix to convert them, or save the file from Excel as “CSV UTF-8 (Comma delimited)”.".to_owned(),
        )),
        LineEndings::Mixed => found.push(New::warning("mixedLineEndings").fixable().say(
            "The rows end with different kinds of line breaks, which happens when files made on different computers are pasted together. Use Fix to make them all the same.".to_owned(),
        )),
        LineEndings::Lf | LineEndings::CrLf | LineEndings::None => {}
    }
}

fn quotes(tally: &Tally, found: &mut Vec<Finding>) {
    let open = &tally.unterminated_quotes;
    if open.count > 0 {
        found.push(New::problem("unterminatedQuote").say_about_lines(
            format!(
                "{} a quote mark (\") that opens a cell but never closes it, so the lines after it would run together. Add the missing closing quote, or remove the stray one, in a text editor.",
                capitalize(&subject(open, "has", "have"))
            ),
            open,
        ));
    }
    let after = &tally.text_after_quotes;
    if after.count > 0 {
        found.push(New::warning("strayQuotes").say_about_lines(
            format!(
                "On {}, a cell in quotes is followed by more text (as in \"The \"best\" one\"), so some quote marks will disappear. Inside a cell in quotes, write each quote mark twice (\"\").",
                lines_phrase(after)
            ),
            after,
        ));
    }
}

fn rows(tally: &Tally, found: &mut Vec<Finding>) {
    let ragged = &tally.ragged;
    if ragged.count > 0 {
        let columns = tally.columns.len();
        let lines: Vec<u64> = ragged.first.iter().map(|(line, _)| *line).collect();
        let log = LineLog {
            count: ragged.count,
            lines: lines.clone(),
        };
        let counts: Vec<usize> = ragged.first.iter().map(|(_, count)| *count).collect();
        let same_count = counts.windows(2).all(|pair| pair[0] == pair[1]);
        let header_columns = plural(columns as u64, "column", "columns");
        // The same count everywhere reads best as one sentence; otherwise give examples.
        let first_sentence = match counts.first() {
            Some(&values) if same_count && ragged.count == counts.len() as u64 => format!(
                "{} {} {} but the header has {header_columns}.",
                capitalize(&lines_phrase(&log)),
                if ragged.count == 1 { "has" } else { "have" },
                plural(values as u64, "value", "values"),
            ),
            _ => {
                let examples: Vec<String> = ragged
                    .first
                    .iter()
                    .take(LINES_IN_A_SENTENCE)
                    .map(|(line, count)| format!("line {line} has {count}"))
                    .collect();
                let more = ragged.count.saturating_sub(examples.len() as u64);
                let more = if more > 0 {
                    format!(", and {} more", plural(more, "row", "rows"))
                } else {
                    String::new()
                };
                format!(
                    "{} a different number of values from the header's {header_columns}: {}{more}.",
                    capitalize(&plural(ragged.count, "row has", "rows have")),
                    join_and(&examples),
                )
            }
        };
        found.push(New::problem("raggedRows").say_about(
            format!(
                "{first_sentence} This often happens when a cell contains a {} without quotes around it, or when a quote mark is missing. Open the file in Excel or a text editor and check those lines.",
                tally.delimiter().singular_name()
            ),
            lines,
            ragged.count,
        ));
    }
    if tally.blank_rows.count > 0 {
        found.push(New::warning("emptyRows").fixable().say_about_lines(
            format!(
                "{} empty. Prolific would show participants empty items: delete {}, or use Fix to drop {}.",
                capitalize(&subject(&tally.blank_rows, "is", "are")),
                this_or_those(&tally.blank_rows),
                it_or_them(&tally.blank_rows),
            ),
            &tally.blank_rows,
        ));
    }
    if tally.duplicates.count > 0 {
        let copies = &tally.duplicates;
        found.push(New::warning("duplicateRows").fixable().say_about_lines(
            format!(
                "{} exactly ({}), so participants would judge the same item more than once. Delete the copies, or use Fix to drop them.",
                capitalize(&format!(
                    "{} {}",
                    plural(copies.count, "row", "rows"),
                    if copies.count == 1 { "repeats an earlier row" } else { "repeat earlier rows" }
                )),
                lines_phrase(copies)
            ),
            copies,
        ));
    }
    if let Some(line) = tally.repeats_checked_until {
        found.push(New::note("duplicatesPartlyChecked").say_about(
            format!(
                "The file is very large, so rows from line {line} on were not checked for exact copies of earlier rows."
            ),
            vec![line],
            0,
        ));
    }
    if tally.repeated_header.count > 0 {
        let repeats = &tally.repeated_header;
        found.push(New::warning("repeatedHeader").fixable().say_about_lines(
            format!(
                "{} the column names again, which happens when two files are pasted together. Delete {}, or use Fix to drop {}.",
                capitalize(&subject(repeats, "repeats", "repeat")),
                this_or_those(repeats),
                it_or_them(repeats),
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
        let (subject, pronoun) = if blank.len() == 1 {
            (format!("Column {} has", letters.join("")), "it")
        } else {
            (format!("Columns {} have", join_and(&letters)), "them")
        };
        found.push(New::problem("blankHeader").fixable().say_about(
            format!(
                "{subject} no name in the header row. Prolific needs a name for every column: type one in the first row, or use Fix to name {pronoun} {}.",
                join_and(&new_names)
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
        let letters = |positions: &[u32]| -> String {
            join_and(
                &positions
                    .iter()
                    .map(|position| column_letter(*position))
                    .collect::<Vec<_>>(),
            )
        };
        let message = if shared.len() == 1 {
            format!(
                "{} columns are called {} (columns {}). Prolific needs every column name to be different: rename the copies, or use Fix to call the second one {}.",
                capitalize(&count_word(first_positions.len())),
                quote(name),
                letters(first_positions),
                quote(&format!("{name}_2")),
            )
        } else {
            let each: Vec<String> = shared
                .iter()
                .map(|(name, positions)| {
                    format!("{} (columns {})", quote(name), letters(positions))
                })
                .collect();
            format!(
                "Several columns share a name: {}. Prolific needs every column name to be different: rename the copies, or use Fix to number them ({}).",
                join_and(&each),
                quote(&format!("{name}_2")),
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
        let (subject, verb, it) = if lowercase.len() == 1 {
            (format!("Column {}", lowercase.join("")), "starts", "it")
        } else {
            (format!("Columns {}", join_and(&lowercase)), "start", "them")
        };
        found.push(New::warning("lowercaseMeta").say_about(
            format!(
                "{subject} {verb} with “meta_” in other than capital letters, so participants will see {it}: Prolific hides only columns whose names start with “META_”. Rename {it} if {it} should be hidden."
            ),
            header_lines(tally),
            lowercase.len() as u64,
        ));
    }

    if !tally.columns.is_empty() && tally.columns.iter().all(ColumnTally::hidden) {
        found.push(New::problem("nothingVisible").say_about(
            "Every column name starts with META_, so participants would see no data at all. Remove META_ from the names of the columns participants should see.".to_owned(),
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
        let message = if hidden.len() == 1 {
            format!(
                "Participants will not see column {}, because its name starts with META_. It stays in your results.",
                hidden.join("")
            )
        } else {
            format!(
                "Participants will not see columns {}, because their names start with META_. They stay in your results.",
                join_and(&hidden)
            )
        };
        found.push(New::note("hiddenColumns").say_about(message, Vec::new(), hidden.len() as u64));
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
            format!("more than {} groups", number(MAX_GROUPS_COUNTED as u64))
        } else {
            plural(count, "group", "groups")
        };
        let sizes = if smallest == largest {
            format!("of {} each", plural(smallest, "row", "rows"))
        } else {
            format!("of {} to {} rows", number(smallest), number(largest))
        };
        found.push(New::note("customGroups").say_about(
            format!(
                "Column {TASK_GROUP_COLUMN} puts the rows into {how_many}, {sizes}. Each participant does a whole group at once, and Prolific uses these groups instead of a fixed number of rows per participant."
            ),
            Vec::new(),
            count,
        ));
    }
    if groups.missing.count > 0 {
        found.push(New::warning("missingGroupId").say_about_lines(
            format!(
                "{} no value in {TASK_GROUP_COLUMN}, so Prolific cannot tell which group {} to. Fill in a group for every row.",
                capitalize(&subject(&groups.missing, "has", "have")),
                if groups.missing.count == 1 { "it belongs" } else { "they belong" },
            ),
            &groups.missing,
        ));
    }
}

fn image_links(column: &ColumnTally, found: &mut Vec<Finding>) {
    let name = quote(&column.name);
    let http = &column.http_links;
    if http.count > 0 {
        found.push(New::problem("insecureImageUrls").say_about_lines(
            format!(
                "Column {name} has {} starting with http:// ({}). Prolific shows images only from secure links: change them to https:// (and check that the images still open), or move the images to a site that supports https.",
                plural(http.count, "image link", "image links"),
                lines_phrase(http)
            ),
            http,
        ));
    }
    let other = &column.not_links;
    if other.count > 0 {
        let example = column
            .first_not_link
            .as_deref()
            .map(|value| format!(", such as {}", quote(value)))
            .unwrap_or_default();
        found.push(New::warning("invalidImageUrls").say_about_lines(
            format!(
                "Column {name} holds image links, but {} something else{example}. Participants would see a broken image there: correct {} or remove {}.",
                subject(other, "holds", "hold"),
                if other.count == 1 { "that cell" } else { "those cells" },
                if other.count == 1 { "that row" } else { "those rows" },
            ),
            other,
        ));
    }
}

fn cells(tally: &Tally, found: &mut Vec<Finding>) {
    let long = &tally.long_cells;
    if long.cells.count > 0 {
        let longest = if long.longest_chars > 0 {
            format!(
                " (the longest has {} characters, in column {})",
                number(long.longest_chars),
                column_letter(long.longest_column)
            )
        } else {
            String::new()
        };
        found.push(New::warning("longCells").say_about_lines(
            format!(
                "{} a cell longer than {} characters{longest}. Participants would have to read through very long text; a cell this long can also mean a quote mark was left open.",
                capitalize(&subject(&long.cells, "has", "have")),
                number(LONG_CELL_CHARS as u64),
            ),
            &long.cells,
        ));
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
                format!(
                    "{} {} numbers with a decimal comma (for example {}). They stay exactly as written when the file is converted to commas, because those values are put in quotes.",
                    if columns.len() == 1 { "Column" } else { "Columns" },
                    format_args!("{} {}", join_and(&names), if columns.len() == 1 { "writes" } else { "write" }),
                    quote(&example),
                ),
                Vec::new(),
                columns.len() as u64,
            ));
        }
    }
}

// ---- Wording helpers ----

/// `1234567` → `1,234,567`.
pub(crate) fn number(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `1 row`, `3 rows`.
fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", number(count))
    }
}

/// "two", "three"… for small counts, digits otherwise.
fn count_word(count: usize) -> String {
    const WORDS: [&str; 9] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    ];
    WORDS
        .get(count)
        .map_or_else(|| number(count as u64), |word| (*word).to_owned())
}

/// "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "line 14", "lines 14 and 92", "lines 14, 92, 105, 200, 310 and 95 more".
pub(crate) fn lines_phrase(log: &LineLog) -> String {
    let shown: Vec<String> = log
        .lines
        .iter()
        .take(LINES_IN_A_SENTENCE)
        // Plain digits: "lines 2,193, 3,277" would be ambiguous in a list.
        .map(u64::to_string)
        .collect();
    let more = log.count.saturating_sub(shown.len() as u64);
    match (shown.len(), more) {
        (0, _) => String::new(),
        (1, 0) => format!("line {}", shown.join("")),
        (_, 0) => format!("lines {}", join_and(&shown)),
        (_, more) => format!("lines {} and {} more", shown.join(", "), number(more)),
    }
}

/// "line 14 has" / "lines 14 and 92 have".
fn subject(log: &LineLog, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        lines_phrase(log),
        if log.count == 1 { one } else { many }
    )
}

fn this_or_those(log: &LineLog) -> &'static str {
    if log.count == 1 {
        "that line"
    } else {
        "those lines"
    }
}

fn it_or_them(log: &LineLog) -> &'static str {
    if log.count == 1 { "it" } else { "them" }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A name or value as it appears in a sentence: “name”.
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
    fn numbers_and_lists_read_naturally() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1_234_567), "1,234,567");
        assert_eq!(lines_phrase(&log(&[14], 1)), "line 14");
        assert_eq!(lines_phrase(&log(&[14, 92], 2)), "lines 14 and 92");
        assert_eq!(lines_phrase(&log(&[1, 2, 3], 3)), "lines 1, 2 and 3");
        assert_eq!(
            lines_phrase(&log(&[1, 2, 3, 4, 5, 6, 7], 100)),
            "lines 1, 2, 3, 4, 5 and 95 more"
        );
        assert_eq!(
            lines_phrase(&log(&[2193, 13277], 2)),
            "lines 2193 and 13277"
        );
        assert_eq!(subject(&log(&[3], 1), "is", "are"), "line 3 is");
        assert_eq!(capitalize("lines 3 and 4 are"), "Lines 3 and 4 are");
        assert_eq!(plural(1, "row", "rows"), "1 row");
        assert_eq!(plural(1200, "row", "rows"), "1,200 rows");
        assert_eq!(count_word(2), "two");
    }
}
