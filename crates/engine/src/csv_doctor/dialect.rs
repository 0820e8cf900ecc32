//! Working out which character separates the values: comma, semicolon (European
//! Excel), tab (Excel's "Unicode text") or a vertical bar (database exports).
//!
//! Each candidate splits the first rows of the file, quotes honoured; the right one
//! splits the header into several names and gives most rows the same number of values
//! as the header. Other characters can appear in the text (a comma inside a review in a
//! semicolon file) but rarely in the header, and never consistently.

use super::Delimiter;
use super::records::{Record, RecordReader};

/// How many decoded bytes at the start of the file the choice looks at.
pub(crate) const SAMPLE_BYTES: usize = 64 * 1024;

/// How many rows of the sample are compared.
const SAMPLE_ROWS: usize = 500;

/// Candidates in order of preference when they fit equally well.
const CANDIDATES: [Delimiter; 4] = [
    Delimiter::Comma,
    Delimiter::Tab,
    Delimiter::Semicolon,
    Delimiter::Pipe,
];

/// What the sample says about the separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DialectGuess {
    pub(crate) delimiter: Delimiter,
    /// No candidate splits the header: the file has one column (or an unknown separator).
    pub(crate) single_column: bool,
}

/// How well one candidate splits the sample.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fit {
    header_fields: usize,
    /// The share of rows with as many values as the header.
    consistency: f64,
}

/// Chooses the separator from the decoded start of a file. `complete` says whether the
/// sample is the whole file; if not, its last row may be cut short and is ignored.
pub(crate) fn guess(sample: &[u8], complete: bool) -> DialectGuess {
    let mut best: Option<(Delimiter, Fit)> = None;
    for delimiter in CANDIDATES {
        let Some(fit) = fit(sample, complete, delimiter) else {
            continue;
        };
        if fit.header_fields < 2 {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, current)) => {
                fit.consistency > current.consistency + 1e-9
                    || ((fit.consistency - current.consistency).abs() <= 1e-9
                        && fit.header_fields > current.header_fields)
            }
        };
        if better {
            best = Some((delimiter, fit));
        }
    }
    match best {
        Some((delimiter, _)) => DialectGuess {
            delimiter,
            single_column: false,
        },
        None => DialectGuess {
            delimiter: Delimiter::Comma,
            single_column: true,
        },
    }
}

fn fit(sample: &[u8], complete: bool, delimiter: Delimiter) -> Option<Fit> {
    let mut reader = RecordReader::new(sample, delimiter.byte()).without_rereading();
    let mut record = Record::default();
    let mut counts = Vec::new();
    while counts.len() <= SAMPLE_ROWS {
        match reader.read_record(&mut record) {
            Ok(true) => {
                if !record.is_blank() {
                    counts.push(record.len());
                }
            }
            // Reading from memory cannot fail; an error here would only end the sample.
            Ok(false) | Err(_) => break,
        }
    }
    if !complete && counts.len() > 1 {
        counts.pop();
    }
    let (&header_fields, rows) = counts.split_first()?;
    let consistency = if rows.is_empty() {
        1.0
    } else {
        let matching = rows.iter().filter(|count| **count == header_fields).count();
        matching as f64 / rows.len() as f64
    };
    Some(Fit {
        header_fields,
        consistency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delimiter_of(text: &str) -> Delimiter {
        guess(text.as_bytes(), true).delimiter
    }

    #[test]
    fn each_separator_is_recognised() {
        assert_eq!(delimiter_of("a,b,c\n1,2,3\n"), Delimiter::Comma);
        assert_eq!(delimiter_of("a;b;c\n1;2,5;3\n"), Delimiter::Semicolon);
        assert_eq!(delimiter_of("a\tb\n1\t2\n"), Delimiter::Tab);
        assert_eq!(delimiter_of("a|b|c\n1|2|3\n"), Delimiter::Pipe);
    }

    #[test]
    fn separators_inside_quotes_and_text_do_not_mislead() {
        // Commas inside the text of a semicolon file.
        let text = "id;review;price\n1;Great, really great;9,99\n2;\"Bad; awful\";1,5\n";
        assert_eq!(delimiter_of(text), Delimiter::Semicolon);
        // Semicolons inside the text of a comma file.
        let text = "id,review\n1,Délai trop long; produit correct\n2,ok\n";
        assert_eq!(delimiter_of(text), Delimiter::Comma);
    }

    #[test]
    fn one_column_files() {
        let guessed = guess(b"name\nAda\nGrace\n", true);
        assert!(guessed.single_column);
        assert_eq!(guessed.delimiter, Delimiter::Comma);
    }

    #[test]
    fn a_cut_sample_ignores_its_last_row() {
        // The cut row looks like one value with every candidate; it must not count.
        assert_eq!(
            guess(b"a;b\n1;2\n3;4\n\"5", false).delimiter,
            Delimiter::Semicolon
        );
    }

    #[test]
    fn header_only_files() {
        assert_eq!(delimiter_of("a;b;c\n"), Delimiter::Semicolon);
        assert!(guess(b"", true).single_column);
    }
}
