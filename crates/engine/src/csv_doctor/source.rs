//! Opening a file for reading as a stream: counting bytes for progress, honouring
//! cancellation, guessing the encoding and separator from the start of the file, and
//! then reading it from the beginning without reading anything twice (the sampled
//! start is kept in memory and replayed in front of the rest).

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::dialect::{self, DialectGuess};
use super::encoding;
use super::records::RecordReader;
use super::{Delimiter, DoctorError, NotText, ReadProgress, TextEncoding};

/// Progress is reported at most once per this many bytes read.
const PROGRESS_EVERY_BYTES: u64 = 1024 * 1024;

/// Who to tell how far reading has got, and the flag that asks it to stop.
#[derive(Clone, Copy, Default)]
pub(crate) struct Control<'a> {
    pub(crate) progress: Option<&'a dyn Fn(ReadProgress)>,
    pub(crate) cancel: Option<&'a AtomicBool>,
}

impl Control<'_> {
    pub(crate) fn check_cancelled(&self) -> Result<(), DoctorError> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(DoctorError::Cancelled),
            _ => Ok(()),
        }
    }
}

/// Marks the I/O error that stands for "cancelled" while it travels through readers.
#[derive(Debug)]
struct CancelledMarker;

impl std::fmt::Display for CancelledMarker {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("cancelled")
    }
}

impl std::error::Error for CancelledMarker {}

/// A read error, or the cancellation that travelled as one.
pub(crate) fn read_error(error: io::Error) -> DoctorError {
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<CancelledMarker>())
    {
        DoctorError::Cancelled
    } else {
        DoctorError::Read(error)
    }
}

/// Counts the raw bytes read, reports progress and stops when cancelled. Checking here,
/// at every read, keeps cancelling prompt even inside one enormous broken row.
struct Meter<'a, R> {
    inner: R,
    bytes_read: Rc<Cell<u64>>,
    reported_at: u64,
    total_bytes: Option<u64>,
    control: Control<'a>,
}

impl<R: Read> Read for Meter<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.control.check_cancelled().is_err() {
            return Err(io::Error::other(CancelledMarker));
        }
        let count = self.inner.read(out)?;
        let bytes_read = self.bytes_read.get() + count as u64;
        self.bytes_read.set(bytes_read);
        if let Some(progress) = self.control.progress
            && bytes_read - self.reported_at >= PROGRESS_EVERY_BYTES
        {
            self.reported_at = bytes_read;
            progress(ReadProgress {
                bytes_read,
                total_bytes: self.total_bytes,
            });
        }
        Ok(count)
    }
}

/// Reads until `limit` bytes or the end of the stream.
fn read_prefix(reader: &mut impl Read, limit: usize) -> io::Result<(Vec<u8>, bool)> {
    let mut prefix = Vec::with_capacity(limit.min(64 * 1024));
    reader.take(limit as u64).read_to_end(&mut prefix)?;
    let complete = prefix.len() < limit;
    Ok((prefix, complete))
}

/// What a file is, when its first bytes are the signature of a common non-text format
/// that researchers might rename or pick by mistake.
fn binary_signature(start: &[u8]) -> Option<NotText> {
    const SIGNATURES: [(&[u8], NotText); 8] = [
        (b"PK\x03\x04", NotText::Zip),
        (b"PK\x05\x06", NotText::EmptyZip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", NotText::OldOffice),
        (b"%PDF-", NotText::Pdf),
        (b"\x89PNG\r\n\x1A\n", NotText::Png),
        (b"\xFF\xD8\xFF", NotText::Jpeg),
        (b"\x1F\x8B", NotText::Gzip),
        (b"SQLite format 3\0", NotText::Database),
    ];
    SIGNATURES
        .iter()
        .find(|(signature, _)| start.starts_with(signature))
        .map(|(_, what)| *what)
}

/// Whether decoded text is more than one character in sixteen a control character
/// (other than tabs, line breaks and form feeds): binary data, which has about one in
/// nine, not a spreadsheet with a few stray characters (those are reported row by row).
fn mostly_control_characters(text: &[u8]) -> bool {
    // Characters, not bytes: UTF-8 continuation bytes do not start one.
    let characters = text
        .iter()
        .filter(|byte| !(0x80..0xC0).contains(*byte))
        .count();
    let control = text
        .iter()
        .filter(|byte| byte.is_ascii_control() && !matches!(byte, b'\t' | b'\n' | b'\r' | b'\x0C'))
        .count();
    control >= 8 && control * 16 > characters
}

/// A file opened for reading rows, with what was worked out about it.
pub(crate) struct Source<'a> {
    pub(crate) encoding: TextEncoding,
    pub(crate) dialect: DialectGuess,
    pub(crate) records: RecordReader<Box<dyn Read + 'a>>,
    bytes_read: Rc<Cell<u64>>,
    total_bytes: Option<u64>,
    control: Control<'a>,
}

impl<'a> Source<'a> {
    /// Opens `reader`, guessing the encoding and separator unless `known` says them.
    pub(crate) fn open(
        reader: impl Read + 'a,
        total_bytes: Option<u64>,
        control: Control<'a>,
        known: Option<(TextEncoding, Delimiter)>,
    ) -> Result<Self, DoctorError> {
        control.check_cancelled()?;
        let bytes_read = Rc::new(Cell::new(0));
        let mut metered = Meter {
            inner: reader,
            bytes_read: Rc::clone(&bytes_read),
            reported_at: 0,
            total_bytes,
            control,
        };
        let (mut raw_start, raw_complete) =
            read_prefix(&mut metered, encoding::SNIFF_BYTES).map_err(read_error)?;
        if let Some(what) = binary_signature(&raw_start) {
            return Err(DoctorError::NotText { what });
        }
        let encoding = match known {
            Some((encoding, _)) => encoding,
            None => encoding::sniff(&raw_start, raw_complete),
        };
        raw_start.drain(..encoding::bom_len(encoding, &raw_start));
        let mut decoded = encoding::decode_stream(encoding, Cursor::new(raw_start).chain(metered));

        let dialect = match known {
            Some((_, delimiter)) => DialectGuess {
                delimiter,
                single_column: false,
            },
            None => {
                let (text_start, text_complete) =
                    read_prefix(&mut decoded, dialect::SAMPLE_BYTES).map_err(read_error)?;
                if mostly_control_characters(&text_start) {
                    return Err(DoctorError::NotText {
                        what: NotText::Binary,
                    });
                }
                let guess = dialect::guess(&text_start, text_complete);
                decoded = Box::new(Cursor::new(text_start).chain(decoded));
                guess
            }
        };
        Ok(Self {
            encoding,
            dialect,
            records: RecordReader::new(decoded, dialect.delimiter.byte()),
            bytes_read,
            total_bytes,
            control,
        })
    }

    pub(crate) fn delimiter(&self) -> Delimiter {
        self.dialect.delimiter
    }

    /// The raw bytes read so far (all of them, once the rows are exhausted).
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read.get()
    }

    /// The size of the file, when known.
    pub(crate) fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    /// Tells the listener that everything has been read.
    pub(crate) fn report_done(&self) {
        if let Some(progress) = self.control.progress {
            progress(ReadProgress {
                bytes_read: self.bytes_read(),
                total_bytes: self.total_bytes,
            });
        }
    }
}
