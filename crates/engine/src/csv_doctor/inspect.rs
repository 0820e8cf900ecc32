//! One pass over a file's rows: read on one thread, tallied on another (see
//! [`Tally`]), then turned into a report with its findings. Memory does not grow with
//! the file past a cap: rows travel in small batches that are reused, lists of line
//! numbers keep the first [`super::MAX_LISTED_LINES`], and repeated rows are found by
//! keeping 16 bytes per row (see [`super::repeats::RepeatFinder`]).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

use super::findings;
use super::records::{Record, RecordReader};
use super::source::{Control, Source, read_error};
use super::tally::Tally;
use super::{DoctorError, InspectOptions, Report};

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
    tally.finish_repeats();
    let findings = findings::findings(&tally);
    Ok(tally.into_report(findings))
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
                .any(|finding| finding.code == "duplicateRows")
        );
        for batch_rows in [1, 2, 3, 64] {
            assert_eq!(report(batch_rows), whole, "{batch_rows} rows a batch");
        }
    }
}
