//! The CSV doctor on the real sample files in `samples/` (see its README), on
//! generated edge cases, and through its fixes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use batchdesk_engine::csv_doctor::{
    Delimiter, DoctorError, FixOptions, InspectOptions, LineEndings, ReadProgress, Report,
    Severity, TextEncoding, fix, inspect, inspect_reader, preview,
};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn check(name: &str) -> Report {
    inspect(&sample(name), &InspectOptions::default()).unwrap()
}

fn check_bytes(bytes: &[u8]) -> Report {
    inspect_reader(bytes, &InspectOptions::default()).unwrap()
}

fn codes(report: &Report) -> BTreeSet<&'static str> {
    report.findings.iter().map(|finding| finding.code).collect()
}

fn set(codes: &[&'static str]) -> BTreeSet<&'static str> {
    codes.iter().copied().collect()
}

fn lines(report: &Report, code: &str) -> Vec<u64> {
    report
        .finding(code)
        .unwrap_or_else(|| panic!("no {code} finding in {:#?}", report.findings))
        .lines
        .clone()
}

fn message(report: &Report, code: &str) -> String {
    report.finding(code).unwrap().message.to_string()
}

fn column_names(report: &Report) -> Vec<&str> {
    report
        .columns
        .iter()
        .map(|column| column.name.as_str())
        .collect()
}

const REVIEW_COLUMNS: [&str; 4] = ["id", "review_text", "product_name", "rating"];

/// Words a researcher should never have to read.
#[test]
fn findings_on_every_sample_are_plain_words() {
    let jargon = [
        "ragged",
        "record",
        "delimiter",
        "RFC",
        "parse",
        "error",
        "panic",
        "stack",
        "byte 0x",
        "\\r",
        "\\n",
        "CRLF",
        "null",
    ];
    let names = [
        "reviews.csv",
        "reviews-excel-unicode-text.txt",
        "reviews-excel-semicolon-bom.csv",
        "reviews-windows-1252.csv",
        "pairwise-preference.csv",
        "images.csv",
        "grouped.csv",
        "broken-ragged.csv",
        "empty.csv",
        "header-only.csv",
        "mac-classic-cr.csv",
        "duplicates-and-blanks.csv",
    ];
    for name in names {
        for finding in check(name).findings {
            let said = finding.message.to_string();
            for word in jargon {
                assert!(
                    !said.contains(word),
                    "{name}: {:?} says {word:?}: {said}",
                    finding.code,
                );
            }
            let sentences = said.matches(". ").count() + 1;
            assert!(sentences <= 3, "{name}: too long: {said}");
            assert!(said.ends_with('.'), "{said}");
        }
    }
}

// ---- The samples ----

#[test]
fn clean_reviews_have_nothing_to_report() {
    let report = check("reviews.csv");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.encoding, TextEncoding::Utf8);
    assert_eq!(report.delimiter, Delimiter::Comma);
    assert_eq!(report.line_endings, LineEndings::Lf);
    assert!(report.has_header);
    assert_eq!(report.header_line, 1);
    assert_eq!(report.row_count, 24);
    assert_eq!(report.file_size, 1424);
    assert_eq!(column_names(&report), REVIEW_COLUMNS);
    let text = &report.columns[1];
    assert_eq!((text.position, text.letter.as_str()), (2, "B"));
    assert!(!text.hidden && !text.is_task_group && text.image_urls.is_none());
    assert_eq!(text.samples.len(), 5);
    assert_eq!(
        text.samples[4],
        "Stopped working after a week.\nSupport never answered."
    );
    assert_eq!(text.max_length, 53);
    assert_eq!(text.empty_cells, 0);
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let report = check("reviews-excel-unicode-text.txt");
    assert_eq!(report.encoding, TextEncoding::Utf16Le);
    assert_eq!(report.delimiter, Delimiter::Tab);
    assert_eq!(report.line_endings, LineEndings::CrLf);
    assert_eq!(report.row_count, 24);
    assert_eq!(column_names(&report), REVIEW_COLUMNS);
    assert_eq!(codes(&report), set(&["notUtf8", "notCommaSeparated"]));
    assert!(report.findings.iter().all(|finding| finding.fixable));
    assert!(message(&report, "notUtf8").contains("Unicode Text"));
    assert!(message(&report, "notCommaSeparated").contains("tabs"));
    assert_eq!(
        report.columns[1].samples[3],
        "Café-quality frothing — worth every €"
    );
}

#[test]
fn european_excel_csv_has_a_bom_semicolons_and_decimal_commas() {
    let report = check("reviews-excel-semicolon-bom.csv");
    assert_eq!(report.encoding, TextEncoding::Utf8WithBom);
    assert_eq!(report.delimiter, Delimiter::Semicolon);
    assert_eq!(report.row_count, 24);
    // The byte order mark is not part of the first name.
    assert_eq!(
        column_names(&report),
        ["id", "review_text", "product_name", "rating", "price"]
    );
    assert_eq!(
        codes(&report),
        set(&["notCommaSeparated", "byteOrderMark", "decimalCommas"])
    );
    assert_eq!(report.worst(), Some(Severity::Problem));
    assert!(message(&report, "notCommaSeparated").contains("semicolons"));
    assert!(message(&report, "decimalCommas").contains("“price”"));
    // A quoted cell keeps its semicolon.
    let path = sample("reviews-excel-semicolon-bom.csv");
    let row_8 = &preview(&path, &report, 8).unwrap().rows[7];
    assert_eq!(
        row_8.cells[1],
        "Délai de livraison trop long; produit correct"
    );
    assert!(row_8.complete);
}

#[test]
fn legacy_windows_encoding_is_decoded_and_reported() {
    let report = check("reviews-windows-1252.csv");
    assert_eq!(report.encoding, TextEncoding::Windows1252);
    assert_eq!(report.delimiter, Delimiter::Comma);
    assert_eq!(codes(&report), set(&["notUtf8"]));
    assert_eq!(
        report.finding("notUtf8").unwrap().severity,
        Severity::Problem
    );
    let samples = &report.columns[1].samples;
    assert_eq!(samples[3], "Café-quality frothing — worth every €");
    assert_eq!(
        samples[4],
        "Stopped working after a week.\nSupport never answered."
    );
}

#[test]
fn pairwise_cells_with_line_breaks_and_quotes_are_fine() {
    let report = check("pairwise-preference.csv");
    assert_eq!(codes(&report), set(&["hiddenColumns"]));
    assert_eq!(report.row_count, 30);
    assert_eq!(
        report.line_endings,
        LineEndings::CrLf,
        "LF inside cells is not a row ending"
    );
    let hidden: Vec<&str> = report
        .columns
        .iter()
        .filter(|column| column.hidden)
        .map(|column| column.name.as_str())
        .collect();
    assert_eq!(hidden, ["META_model_pair"]);
    assert!(message(&report, "hiddenColumns").contains("“META_model_pair”"));
    assert_eq!(
        report.columns[3].samples[0],
        "Photosynthesis is how plants \"eat\" sunlight, turning it into energy."
    );
}

#[test]
fn image_links_over_http_and_non_links_are_found() {
    let report = check("images.csv");
    assert_eq!(
        codes(&report),
        set(&["insecureImageUrls", "invalidImageUrls", "hiddenColumns"])
    );
    assert_eq!(lines(&report, "insecureImageUrls"), [5]);
    assert_eq!(lines(&report, "invalidImageUrls"), [9]);
    assert_eq!(
        report.finding("insecureImageUrls").unwrap().severity,
        Severity::Problem
    );
    assert!(message(&report, "invalidImageUrls").contains("“not a url”"));
    let images = report.columns[1].image_urls.unwrap();
    assert_eq!((images.https, images.http, images.not_links), (18, 1, 1));
    assert!(!images.all_https);
    assert!(report.columns[0].image_urls.is_none());
    assert!(report.columns[2].hidden);
}

#[test]
fn task_groups_are_recognised() {
    let report = check("grouped.csv");
    assert_eq!(codes(&report), set(&["customGroups", "hiddenColumns"]));
    let groups = report.finding("customGroups").unwrap();
    assert_eq!(groups.count, 5);
    assert!(
        groups
            .message
            .to_string()
            .contains("5 groups, of 4 rows each"),
        "{}",
        groups.message
    );
    let group_column = &report.columns[2];
    assert!(group_column.is_task_group && group_column.hidden);
    assert!(message(&report, "hiddenColumns").contains("“META_source”"));
    assert!(!message(&report, "hiddenColumns").contains("TASK_GROUP"));
}

#[test]
fn broken_rows_and_open_quotes_are_found_on_their_lines() {
    let report = check("broken-ragged.csv");
    assert_eq!(codes(&report), set(&["raggedRows", "unterminatedQuote"]));
    assert_eq!(lines(&report, "raggedRows"), [13, 14]);
    assert_eq!(lines(&report, "unterminatedQuote"), [13, 15]);
    let ragged = message(&report, "raggedRows");
    assert!(
        ragged.contains("line 13 has 2 and line 14 has 5"),
        "{ragged}"
    );
    assert!(ragged.contains("header's 4 columns"), "{ragged}");
    assert!(ragged.contains("comma without quotes"), "{ragged}");
    assert_eq!(report.row_count, 13);
}

#[test]
fn empty_and_header_only_files_have_nothing_to_annotate() {
    let empty = check("empty.csv");
    assert_eq!(codes(&empty), set(&["emptyFile"]));
    assert_eq!((empty.row_count, empty.file_size), (0, 0));
    assert!(!empty.has_header);
    assert_eq!(empty.line_endings, LineEndings::None);

    let header_only = check("header-only.csv");
    assert_eq!(codes(&header_only), set(&["noDataRows"]));
    assert!(header_only.has_header);
    assert_eq!(column_names(&header_only), REVIEW_COLUMNS);
}

#[test]
fn classic_mac_line_endings() {
    let report = check("mac-classic-cr.csv");
    assert_eq!(report.line_endings, LineEndings::Cr);
    assert_eq!(codes(&report), set(&["classicMacLineEndings"]));
    assert_eq!(report.row_count, 12);
    assert_eq!(column_names(&report), REVIEW_COLUMNS);
}

#[test]
fn repeated_and_blank_rows() {
    let report = check("duplicates-and-blanks.csv");
    assert_eq!(codes(&report), set(&["emptyRows", "duplicateRows"]));
    assert_eq!(lines(&report, "emptyRows"), [16, 17]);
    assert_eq!(lines(&report, "duplicateRows"), [13, 14, 15]);
    assert_eq!(report.finding("duplicateRows").unwrap().count, 3);
    assert_eq!(report.row_count, 13);
}

// ---- Generated edge cases ----

fn utf16be_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

#[test]
fn utf16_big_endian() {
    let report = check_bytes(&utf16be_with_bom("id,text\r\n1,Naïve\r\n2,\"a, b\"\r\n"));
    assert_eq!(report.encoding, TextEncoding::Utf16Be);
    assert_eq!(report.delimiter, Delimiter::Comma);
    assert_eq!(column_names(&report), ["id", "text"]);
    assert_eq!(report.columns[1].samples, ["Naïve", "a, b"]);
    assert_eq!(codes(&report), set(&["notUtf8"]));
}

#[test]
fn utf16_without_byte_order_mark() {
    let bytes: Vec<u8> = "id\ttext\n1\tx\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let report = check_bytes(&bytes);
    assert_eq!(report.encoding, TextEncoding::Utf16Le);
    assert_eq!(column_names(&report), ["id", "text"]);
}

#[test]
fn pipe_separated() {
    let report = check_bytes(b"id|text|score\n1|hello, world|3\n2|\"a|b\"|4\n");
    assert_eq!(report.delimiter, Delimiter::Pipe);
    assert_eq!(report.columns[1].samples, ["hello, world", "a|b"]);
    assert_eq!(codes(&report), set(&["notCommaSeparated"]));
    assert!(message(&report, "notCommaSeparated").contains("vertical bars"));
}

#[test]
fn quoted_line_breaks_of_every_kind_stay_in_their_cell() {
    let text = b"id,text\r\n1,\"one\r\ntwo\"\r\n2,\"three\rfour\"\r\n3,\"five\nsix\"\r\n4,end\r\n";
    let report = check_bytes(text);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.row_count, 4);
    assert_eq!(report.line_endings, LineEndings::CrLf);
    assert_eq!(report.columns[1].samples[0], "one\r\ntwo");
}

#[test]
fn quote_left_open_at_the_end() {
    let report = check_bytes(b"id,text\n1,fine\n2,\"never closed\n");
    assert_eq!(codes(&report), set(&["unterminatedQuote"]));
    assert_eq!(lines(&report, "unterminatedQuote"), [3]);
    assert!(message(&report, "unterminatedQuote").starts_with("Line 3 has a quote mark"));
}

#[test]
fn text_after_a_closing_quote() {
    let report = check_bytes(b"id,text\n1,\"The \"best\" one\"\n");
    assert_eq!(codes(&report), set(&["strayQuotes"]));
    assert_eq!(lines(&report, "strayQuotes"), [2]);
}

#[test]
fn header_problems() {
    let report = check_bytes(b"id,,text,text,meta_source\n1,a,b,c,d\n");
    assert_eq!(
        codes(&report),
        set(&["blankHeader", "duplicateHeader", "lowercaseMeta"])
    );
    assert!(message(&report, "blankHeader").contains("Column B has no name"));
    assert!(message(&report, "blankHeader").contains("“column_2”"));
    let duplicate = message(&report, "duplicateHeader");
    assert!(
        duplicate.contains("2 columns are called “text” (columns C and D)"),
        "{duplicate}"
    );
    assert!(duplicate.contains("“text_2”"));
    assert!(message(&report, "lowercaseMeta").contains("“meta_source”"));
}

#[test]
fn data_in_the_first_row_means_no_header() {
    let report = check_bytes(b"1,https://example.org/a.jpg\n2,https://example.org/b.jpg\n");
    assert!(!report.has_header);
    assert!(report.has("noHeader"));
}

#[test]
fn only_hidden_columns_means_participants_see_nothing() {
    let report = check_bytes(b"META_a,META_b\n1,2\n");
    assert!(report.has("nothingVisible"));
}

#[test]
fn rows_without_a_group_are_reported() {
    let report = check_bytes(b"text,META_TASK_GROUP_ID\na,g1\nb,\nc,g2\nd,g2\n");
    assert_eq!(lines(&report, "missingGroupId"), [3]);
    assert!(message(&report, "customGroups").contains("2 groups, of 1 to 2 rows"));
}

#[test]
fn very_long_cells() {
    let long = "x".repeat(12_345);
    let text = format!("id,text\n1,short\n2,{long}\n");
    let report = check_bytes(text.as_bytes());
    assert_eq!(codes(&report), set(&["longCells"]));
    assert_eq!(lines(&report, "longCells"), [3]);
    assert!(message(&report, "longCells").contains("12,345 characters, in column B"));
    assert_eq!(report.columns[1].max_length, 12_345);
}

#[test]
fn mixed_line_endings_and_a_repeated_header() {
    let report = check_bytes(b"id,text\r\n1,a\n2,b\r\nid,text\n3,c\n");
    assert_eq!(report.line_endings, LineEndings::Mixed);
    assert_eq!(codes(&report), set(&["mixedLineEndings", "repeatedHeader"]));
    assert_eq!(lines(&report, "repeatedHeader"), [4]);
}

#[test]
fn one_column() {
    let report = check_bytes(b"sentence\nThe cat sat.\nIt rained.\n");
    assert_eq!(codes(&report), set(&["singleColumn"]));
    assert_eq!(report.columns.len(), 1);
}

/// A file that is UTF-8 for longer than the part used to guess the encoding, then has
/// one line in Windows-1252.
fn mostly_utf8_with_one_legacy_line() -> Vec<u8> {
    let mut bytes = b"id,text\n".to_vec();
    for row in 0..20_000 {
        bytes.extend_from_slice(format!("{row},Café number {row}\n").as_bytes());
    }
    bytes.extend_from_slice(b"20000,Caf\xE9 \x80\n");
    bytes
}

#[test]
fn legacy_bytes_after_the_sampled_start_are_found() {
    let bytes = mostly_utf8_with_one_legacy_line();
    assert!(bytes.len() > 256 * 1024);
    let report = check_bytes(&bytes);
    assert_eq!(report.encoding, TextEncoding::Utf8);
    assert_eq!(codes(&report), set(&["mixedEncoding"]));
    assert_eq!(lines(&report, "mixedEncoding"), [20_002]);
}

#[test]
fn a_stray_legacy_line_near_the_start_does_not_garble_the_rest() {
    let mut bytes = "id,text\n1,Café\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"2,Caf\xE9 \x80\n");
    bytes.extend_from_slice("3,Naïve\n4,Délai\n".as_bytes());
    let report = check_bytes(&bytes);
    assert_eq!(report.encoding, TextEncoding::Utf8);
    assert_eq!(lines(&report, "mixedEncoding"), [3]);
    assert_eq!(
        report.columns[1].samples,
        ["Café", "Café €", "Naïve", "Délai"]
    );
}

// ---- Streaming ----

/// Gives out one byte per read: every chunk boundary falls everywhere once.
struct OneByteAtATime<'a>(&'a [u8]);

impl Read for OneByteAtATime<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), out.first_mut()) {
            (Some((byte, rest)), Some(slot)) => {
                *slot = *byte;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn reading_byte_by_byte_gives_the_same_report() {
    for name in [
        "broken-ragged.csv",
        "reviews-excel-unicode-text.txt",
        "mac-classic-cr.csv",
        "pairwise-preference.csv",
        "reviews-windows-1252.csv",
    ] {
        let bytes = std::fs::read(sample(name)).unwrap();
        let whole = check(name);
        let trickled = inspect_reader(OneByteAtATime(&bytes), &InspectOptions::default()).unwrap();
        assert_eq!(whole, trickled, "{name}");
    }
}

#[test]
fn progress_is_reported_up_to_the_whole_file() {
    let folder = batchdesk_test_support::temp_folder();
    let path = folder.path().join("big.csv");
    std::fs::write(&path, mostly_utf8_with_one_legacy_line().repeat(4)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let seen = Mutex::new(Vec::<ReadProgress>::new());
    let record = |progress: ReadProgress| seen.lock().unwrap().push(progress);
    let options = InspectOptions {
        progress: Some(&record),
        cancel: None,
    };
    let report = inspect(&path, &options).unwrap();
    assert_eq!(report.file_size, size);
    let seen = seen.into_inner().unwrap();
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(
        seen.windows(2)
            .all(|pair| pair[0].bytes_read <= pair[1].bytes_read)
    );
    assert!(
        seen.iter()
            .all(|progress| progress.total_bytes == Some(size))
    );
    assert_eq!(seen.last().unwrap().bytes_read, size);
}

#[test]
fn a_cancelled_check_stops() {
    let cancel = AtomicBool::new(true);
    let options = InspectOptions {
        progress: None,
        cancel: Some(&cancel),
    };
    let error = inspect(&sample("reviews.csv"), &options).unwrap_err();
    assert!(matches!(error, DoctorError::Cancelled));
    assert_eq!(error.code(), "cancelled");
}

#[test]
fn cancelling_midway_through_a_large_file() {
    let bytes = mostly_utf8_with_one_legacy_line().repeat(8);
    let cancel = AtomicBool::new(false);
    // Cancel from the progress callback, as a UI thread would between two updates.
    let stop = |_: ReadProgress| cancel.store(true, Ordering::Relaxed);
    let options = InspectOptions {
        progress: Some(&stop),
        cancel: Some(&cancel),
    };
    let error = inspect_reader(&bytes[..], &options).unwrap_err();
    assert!(matches!(error, DoctorError::Cancelled));
}

#[test]
fn cancelling_while_decoding_utf16() {
    let mut text = String::from("id\ttext\r\n");
    for row in 0..100_000 {
        text.push_str(&format!("{row}\tNaïve café number {row}\r\n"));
    }
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let cancel = AtomicBool::new(false);
    let stop = |_: ReadProgress| cancel.store(true, Ordering::Relaxed);
    let options = InspectOptions {
        progress: Some(&stop),
        cancel: Some(&cancel),
    };
    let error = inspect_reader(&bytes[..], &options).unwrap_err();
    assert!(matches!(error, DoctorError::Cancelled), "{error:?}");
    // And without cancelling, the whole file is read.
    let report = check_bytes(&bytes);
    assert_eq!(report.row_count, 100_000);
    assert_eq!(report.encoding, TextEncoding::Utf16Le);
}

#[test]
fn a_missing_file_is_explained() {
    let error = inspect(Path::new("/no/such/file.csv"), &InspectOptions::default()).unwrap_err();
    assert_eq!(error.code(), "read_failed");
    assert!(error.to_string().starts_with("The file could not be read"));
}

// ---- Preview ----

#[test]
fn preview_shows_the_first_rows_as_participants_see_them() {
    let path = sample("pairwise-preference.csv");
    let report = check("pairwise-preference.csv");
    let shown = preview(&path, &report, 3).unwrap();
    assert_eq!(shown.columns.len(), 5);
    assert!(shown.columns[4].hidden && !shown.columns[0].hidden);
    assert_eq!(shown.rows.len(), 3);
    assert_eq!(shown.rows[0].line, 2);
    assert_eq!(shown.rows[1].line, 4, "the first row spans two lines");
    assert_eq!(
        shown.rows[0].cells[2],
        "Plants use light to make sugar.\nThey take in CO2 and release O2."
    );
}

#[test]
fn preview_decodes_legacy_files_and_evens_out_broken_rows() {
    let report = check("reviews-excel-unicode-text.txt");
    let shown = preview(&sample("reviews-excel-unicode-text.txt"), &report, 4).unwrap();
    assert_eq!(
        shown.rows[3].cells[1],
        "Café-quality frothing — worth every €"
    );

    let report = check("broken-ragged.csv");
    let shown = preview(&sample("broken-ragged.csv"), &report, 100).unwrap();
    let short = shown.rows.iter().find(|row| row.line == 13).unwrap();
    assert_eq!(short.cells, ["11", "\"Only two fields", "", ""]);
    assert!(!short.complete);
    let long = shown.rows.iter().find(|row| row.line == 14).unwrap();
    assert_eq!(long.cells.len(), 4);
}

#[test]
fn preview_skips_empty_rows() {
    let report = check("duplicates-and-blanks.csv");
    let shown = preview(&sample("duplicates-and-blanks.csv"), &report, 100).unwrap();
    assert_eq!(shown.rows.len(), 13);
}

// ---- Fixes ----

struct Fixed {
    _folder: tempfile::TempDir,
    path: PathBuf,
    summary: batchdesk_engine::csv_doctor::FixSummary,
    report: Report,
}

fn fix_file(source: &Path) -> Fixed {
    let before = std::fs::read(source).unwrap();
    let folder = batchdesk_test_support::temp_folder();
    let path = folder.path().join("fixed.csv");
    let summary = fix(source, &path, &FixOptions::default()).unwrap();
    assert_eq!(
        std::fs::read(source).unwrap(),
        before,
        "the source must stay untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["fixed.csv"], "no temporary file may remain");
    let report = inspect(&path, &InspectOptions::default()).unwrap();
    assert_eq!(summary.bytes_written, report.file_size);
    Fixed {
        _folder: folder,
        path,
        summary,
        report,
    }
}

/// Every row of data, decoded, as the preview gives them.
fn all_rows(path: &Path) -> Vec<Vec<String>> {
    let report = inspect(path, &InspectOptions::default()).unwrap();
    preview(path, &report, usize::MAX)
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.cells)
        .collect()
}

fn without_repeats(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    rows.into_iter()
        .filter(|row| seen.insert(row.clone()))
        .collect()
}

#[test]
fn fixing_each_fixable_sample_leaves_no_problem_and_keeps_the_content() {
    for name in [
        "reviews.csv",
        "reviews-excel-unicode-text.txt",
        "reviews-excel-semicolon-bom.csv",
        "reviews-windows-1252.csv",
        "pairwise-preference.csv",
        "grouped.csv",
        "mac-classic-cr.csv",
        "duplicates-and-blanks.csv",
    ] {
        let source = sample(name);
        let fixed = fix_file(&source);
        let report = &fixed.report;
        assert_eq!(report.encoding, TextEncoding::Utf8, "{name}");
        assert_eq!(report.delimiter, Delimiter::Comma, "{name}");
        assert_eq!(report.line_endings, LineEndings::Lf, "{name}");
        assert!(
            report
                .findings
                .iter()
                .all(|finding| !finding.fixable && finding.severity != Severity::Problem),
            "{name}: {:#?}",
            report.findings
        );
        let original = check(name);
        assert_eq!(column_names(report), column_names(&original), "{name}");
        assert_eq!(
            all_rows(&fixed.path),
            without_repeats(all_rows(&source)),
            "{name}"
        );
        assert_eq!(fixed.summary.rows_written, report.row_count, "{name}");
        assert_eq!(fixed.summary.encoding_was, original.encoding);
        assert_eq!(fixed.summary.delimiter_was, original.delimiter);
        assert_eq!(fixed.summary.line_endings_were, original.line_endings);
    }
}

#[test]
fn fixed_files_are_plain_comma_separated_text() {
    let fixed = fix_file(&sample("reviews-excel-semicolon-bom.csv"));
    let text = std::fs::read_to_string(&fixed.path).unwrap();
    assert!(text.starts_with(
        "id,review_text,product_name,rating,price\n1,\"Great product, exactly what I needed!\",Widget Pro,5,\"97,73\"\n"
    ));
    assert!(text.contains("\n6,\"The \"\"premium\"\" finish peels off\",Widget Pro,2,\"50,94\"\n"));
    assert!(
        text.contains(
            "5,\"Stopped working after a week.\nSupport never answered.\",Basic Widget,1,"
        )
    );

    let fixed = fix_file(&sample("reviews-windows-1252.csv"));
    let text = std::fs::read_to_string(&fixed.path).unwrap();
    assert!(text.contains("Café-quality frothing — worth every €"));
}

#[test]
fn fixing_drops_blank_and_repeated_rows() {
    let fixed = fix_file(&sample("duplicates-and-blanks.csv"));
    assert_eq!(fixed.summary.empty_rows_dropped, 2);
    assert_eq!(fixed.summary.duplicate_rows_dropped, 3);
    assert_eq!(fixed.summary.rows_written, 10);
    assert!(
        fixed.report.findings.is_empty(),
        "{:#?}",
        fixed.report.findings
    );
}

#[test]
fn fixing_names_blank_and_repeated_columns() {
    let folder = batchdesk_test_support::temp_folder();
    let source = folder.path().join("names.csv");
    std::fs::write(
        &source,
        "\n\nid,,text,text\n1,a,b,c\nid,,text,text\n2,d,e,f\n",
    )
    .unwrap();
    let destination = folder.path().join("names-fixed.csv");
    let summary = fix(&source, &destination, &FixOptions::default()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&destination).unwrap(),
        "id,column_2,text,text_2\n1,a,b,c\n2,d,e,f\n"
    );
    assert_eq!(summary.renamed_columns.len(), 2);
    assert_eq!(summary.renamed_columns[1].from, "text");
    assert_eq!(summary.renamed_columns[1].to, "text_2");
    assert_eq!(summary.repeated_headers_dropped, 1);
    assert_eq!(summary.empty_rows_dropped, 2);
    let report = inspect(&destination, &InspectOptions::default()).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn fixes_can_be_chosen_one_by_one() {
    let folder = batchdesk_test_support::temp_folder();
    let destination = folder.path().join("kept.csv");
    let only_convert = FixOptions {
        drop_empty_rows: false,
        fix_column_names: false,
        drop_duplicate_rows: false,
        ..FixOptions::default()
    };
    let summary = fix(
        &sample("duplicates-and-blanks.csv"),
        &destination,
        &only_convert,
    )
    .unwrap();
    assert_eq!(summary.rows_written, 15);
    let report = inspect(&destination, &InspectOptions::default()).unwrap();
    assert_eq!(codes(&report), set(&["emptyRows", "duplicateRows"]));
}

#[test]
fn fixing_legacy_bytes_in_a_utf8_file() {
    let folder = batchdesk_test_support::temp_folder();
    let source = folder.path().join("mixed.csv");
    std::fs::write(&source, mostly_utf8_with_one_legacy_line()).unwrap();
    let fixed = fix_file(&source);
    assert!(
        fixed.report.findings.is_empty(),
        "{:#?}",
        fixed.report.findings
    );
    let text = std::fs::read_to_string(&fixed.path).unwrap();
    assert!(text.ends_with("20000,Café €\n"));
}

#[test]
fn what_the_fix_cannot_repair_is_carried_over() {
    let fixed = fix_file(&sample("broken-ragged.csv"));
    assert_eq!(codes(&fixed.report), set(&["raggedRows"]));
    assert_eq!(lines(&fixed.report, "raggedRows"), [13, 14]);
}

#[test]
fn the_fix_never_overwrites_its_source() {
    let folder = batchdesk_test_support::temp_folder();
    let source = folder.path().join("data.csv");
    std::fs::write(&source, "a;b\n1;2\n").unwrap();
    let error = fix(&source, &source, &FixOptions::default()).unwrap_err();
    assert!(matches!(error, DoctorError::SameFile { .. }));
    assert_eq!(std::fs::read_to_string(&source).unwrap(), "a;b\n1;2\n");
}

#[test]
fn a_cancelled_fix_leaves_nothing_behind() {
    let folder = batchdesk_test_support::temp_folder();
    let source = folder.path().join("big.csv");
    std::fs::write(&source, mostly_utf8_with_one_legacy_line().repeat(8)).unwrap();
    let output = folder.path().join("out");
    std::fs::create_dir(&output).unwrap();
    let cancel = AtomicBool::new(false);
    let stop = |_: ReadProgress| cancel.store(true, Ordering::Relaxed);
    let options = FixOptions {
        progress: Some(&stop),
        cancel: Some(&cancel),
        ..FixOptions::default()
    };
    let error = fix(&source, &output.join("fixed.csv"), &options).unwrap_err();
    assert!(matches!(error, DoctorError::Cancelled));
    assert_eq!(std::fs::read_dir(&output).unwrap().count(), 0);
}

#[test]
fn an_existing_destination_is_replaced_whole() {
    let folder = batchdesk_test_support::temp_folder();
    let destination = folder.path().join("fixed.csv");
    std::fs::write(
        &destination,
        "old content that is much longer than the new one\n".repeat(50),
    )
    .unwrap();
    fix(
        &sample("header-only.csv"),
        &destination,
        &FixOptions::default(),
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&destination).unwrap(),
        "id,review_text,product_name,rating\n"
    );
}

// ---- Bad input (the issue's list; empty, header only, open quotes, mixed line
// endings and a missing file are above; a file deleted after it was chosen is in
// `data_file`) ----

fn not_text(bytes: &[u8]) -> String {
    let error = inspect_reader(bytes, &InspectOptions::default()).unwrap_err();
    assert!(matches!(error, DoctorError::NotText { .. }), "{error:?}");
    assert_eq!(error.code(), "not_text");
    error.to_string()
}

#[test]
fn a_zip_or_workbook_renamed_csv_is_refused_in_plain_words() {
    // The start of an .xlsx workbook: a ZIP archive.
    let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    xlsx.extend(b"[Content_Types].xml");
    xlsx.extend((0..4000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8));
    let message = not_text(&xlsx);
    assert!(message.contains("ZIP archive"), "{message}");
    assert!(message.contains("Save As"), "{message}");
    assert!(not_text(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").contains(".xls"));
    assert!(not_text(b"%PDF-1.7\n%\xE2\xE3").contains("PDF"));
    assert!(not_text(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR").contains("image"));

    // Through a file named .csv, and through the fix: refused, nothing written.
    let folder = batchdesk_test_support::temp_folder();
    let renamed = folder.path().join("reviews.csv");
    std::fs::write(&renamed, &xlsx).unwrap();
    let error = inspect(&renamed, &InspectOptions::default()).unwrap_err();
    assert_eq!(error.code(), "not_text");
    let output = folder.path().join("out");
    std::fs::create_dir(&output).unwrap();
    let error = fix(&renamed, &output.join("fixed.csv"), &FixOptions::default()).unwrap_err();
    assert_eq!(error.code(), "not_text");
    assert_eq!(std::fs::read_dir(&output).unwrap().count(), 0);
}

#[test]
fn binary_data_without_a_known_signature_is_refused() {
    // Pseudo-random bytes, as in a program's own file format.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let message = not_text(&bytes);
    assert!(message.contains("binary data"), "{message}");
}

#[test]
fn nul_characters_are_reported_on_their_lines_and_fixed_away() {
    let bytes = b"id,text\n1,fine\n2,cut\0off\n3,also fine\n4,\0\0\0\n";
    let report = check_bytes(bytes);
    assert_eq!(codes(&report), set(&["nulCharacters"]));
    assert_eq!(lines(&report, "nulCharacters"), [3, 5]);
    let said = message(&report, "nulCharacters");
    assert!(
        said.starts_with("Lines 3 and 5 contain invisible “NUL” characters"),
        "{said}"
    );
    assert!(report.finding("nulCharacters").unwrap().fixable);
    assert_eq!(report.row_count, 4);

    let folder = batchdesk_test_support::temp_folder();
    let source = folder.path().join("nul.csv");
    std::fs::write(&source, bytes).unwrap();
    let fixed = fix_file(&source);
    assert_eq!(
        std::fs::read_to_string(&fixed.path).unwrap(),
        "id,text\n1,fine\n2,cutoff\n3,also fine\n4,\n"
    );
    assert!(
        fixed.report.findings.is_empty(),
        "{:?}",
        fixed.report.findings
    );
}

#[test]
fn a_utf16_file_with_nul_characters_is_text_not_binary() {
    // UTF-16 is full of zero bytes; only decoded NUL characters count.
    let mut bytes = vec![0xFF, 0xFE];
    let text = "id\ttext\r\n1\tcafé\r\n2\tbad\u{0}cell\r\n";
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let report = check_bytes(&bytes);
    assert_eq!(report.encoding, TextEncoding::Utf16Le);
    assert_eq!(lines(&report, "nulCharacters"), [3]);
}

/// A 3 GB file: the header and 2 MB of rows, then (sparse, so nothing is written to
/// disk) zero bytes up to 3,000,000,000. Its size is past what 32-bit signed numbers
/// hold and about what a researcher's largest export would be.
#[test]
fn a_3_gb_file_is_read_as_a_stream_with_its_size_and_can_be_stopped() {
    const SIZE: u64 = 3_000_000_000;
    let folder = batchdesk_test_support::temp_folder();
    let path = folder.path().join("huge.csv");
    let mut text = String::from("id,text\n");
    let mut row = 0;
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(&format!("{row},Row number {row}\n"));
        row += 1;
    }
    std::fs::write(&path, &text).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(SIZE)
        .unwrap();

    // The researcher watches the bar move past 8 MB of 3 GB, then cancels.
    let seen = Mutex::new(Vec::<ReadProgress>::new());
    let cancel = AtomicBool::new(false);
    let watch = |progress: ReadProgress| {
        if progress.bytes_read >= 8 * 1024 * 1024 {
            cancel.store(true, Ordering::Relaxed);
        }
        seen.lock().unwrap().push(progress);
    };
    let options = InspectOptions {
        progress: Some(&watch),
        cancel: Some(&cancel),
    };
    let error = inspect(&path, &options).unwrap_err();
    assert!(matches!(error, DoctorError::Cancelled), "{error:?}");
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter()
            .all(|progress| progress.total_bytes == Some(SIZE))
    );
    let last = seen.last().unwrap().bytes_read;
    assert!((8 * 1024 * 1024..9 * 1024 * 1024).contains(&last), "{last}");
    // About once per megabyte: the bar moved.
    assert!(seen.len() >= 8, "{seen:?}");
}

/// Found by `cargo fuzz` (fuzz/fuzz_targets/csv_doctor.rs): the check for `meta_` in
/// other than capitals cut a column name after its fifth byte, which was inside “€”.
#[test]
fn a_column_name_with_a_long_character_near_its_start() {
    let report = check_bytes("id,revi€w,meta€,Meta_x\n1,a,b,c\n".as_bytes());
    assert_eq!(column_names(&report), ["id", "revi€w", "meta€", "Meta_x"]);
    assert_eq!(lines(&report, "lowercaseMeta"), [1]);
    assert!(message(&report, "lowercaseMeta").starts_with("Column “Meta_x” starts"));
}
