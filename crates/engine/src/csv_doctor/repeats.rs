//! Rows that repeat an earlier row, found by their 128-bit fingerprints ([`row_hash`]).
//!
//! While inspecting, without a hash table ([`RepeatFinder`]): each row's fingerprint
//! and line are packed into 16 bytes and pushed onto a list, and the list is sorted
//! once at the end, which puts the copies of a row next to each other, the first one
//! first. Pushing and sorting walk memory in order; a hash table of millions of rows
//! would miss the cache on nearly every insert. The fix drops each copy as it writes,
//! so it keeps the fingerprints seen in a set instead ([`SeenRows`]).
use std::collections::BinaryHeap;

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_128_with_seed;

use super::MAX_LISTED_LINES;
use super::TextEncoding;
use super::line_log::LineLog;
use super::records::Record;

/// Distinct rows checked for repeats. The doctor keeps 16 bytes per row read and sorts
/// out the copies whenever it holds one and a half times this many rows, so it takes
/// about 240 MB at most; 5 million rows take about 80 MB. The fix keeps a hash table of
/// distinct rows, about 32 bytes each (a 128-bit fingerprint and the table's slack).
pub(crate) const MAX_ROWS_CHECKED_FOR_REPEATS: usize = 10_000_000;

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

/// The low bits of an entry hold the row's line; the high 88 hold its fingerprint.
/// Two different rows share 88 bits with a chance of about n²/2⁸⁹: one in 10^13 for a
/// 5-million-row file, one in 10^12 at the limit of 10 million distinct rows.
const LINE_BITS: u32 = 40;
const LINE_MASK: u128 = (1 << LINE_BITS) - 1;

/// A line past this does not fit in an entry (a file of more than 10^12 lines).
const MAX_LINE: u64 = (1 << LINE_BITS) - 1;

/// Rows that repeat an earlier one, found among the first `limit` distinct rows.
pub(crate) struct RepeatFinder {
    /// `fingerprint | line`: after a [`Self::compact`], a sorted prefix of distinct rows
    /// (the first line of each), then the rows pushed since.
    entries: Vec<u128>,
    /// Distinct rows checked; the rows after the one that reached it are not.
    limit: usize,
    duplicates: LineLog,
    /// No more rows are checked.
    full: bool,
    checked_until: Option<u64>,
}

impl RepeatFinder {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            entries: Vec::new(),
            limit: limit.max(1),
            duplicates: LineLog::default(),
            full: false,
            checked_until: None,
        }
    }

    /// Makes room for the rows a file is likely to hold, so that the list is not
    /// copied over as it grows.
    pub(crate) fn expect_rows(&mut self, rows: usize) {
        let rows = rows.min(self.max_entries());
        self.entries
            .reserve(rows.saturating_sub(self.entries.len()));
    }

    /// At most one and a half times the limit: a compaction then always frees room
    /// for at least half the limit, so sorting costs stay proportional to the rows
    /// read.
    fn max_entries(&self) -> usize {
        self.limit.saturating_add(self.limit / 2)
    }

    /// One row, by its 128-bit fingerprint, in file order.
    pub(crate) fn add(&mut self, fingerprint: u128, line: u64) {
        if self.full || line > MAX_LINE {
            self.full = true;
            self.checked_until.get_or_insert(line);
            return;
        }
        self.entries
            .push((fingerprint & !LINE_MASK) | u128::from(line));
        if self.entries.len() >= self.max_entries() {
            self.compact();
        }
    }

    /// The repeated rows, and the line from which rows were no longer checked. Call
    /// once, after the last row.
    pub(crate) fn finish(&mut self) -> (LineLog, Option<u64>) {
        self.count_copies();
        self.entries = Vec::new();
        (std::mem::take(&mut self.duplicates), self.checked_until)
    }

    /// Counts the copies, and keeps only the first of each row.
    fn compact(&mut self) {
        self.count_copies();
        if self.full {
            // No more rows are checked, so the rows seen are no longer needed.
            self.entries = Vec::new();
        } else {
            self.entries.dedup_by_key(|entry| fingerprint(*entry));
        }
    }

    /// Sorts the entries, drops those read after the limit, and counts the copies.
    fn count_copies(&mut self) {
        sort_entries(&mut self.entries);
        // Fewer entries than the limit cannot hold that many distinct rows.
        if !self.full
            && self.entries.len() >= self.limit
            && count_groups(&self.entries) >= self.limit
        {
            self.cut_at_limit();
        }
        self.take_duplicates();
    }

    /// Drops the rows after the one that made the limit-th distinct row: they were
    /// read after checking stopped. Rare (over 10 million distinct rows), so it
    /// searches for that row in a few counting passes rather than keeping a list.
    fn cut_at_limit(&mut self) {
        let lines = self.entries.iter().map(|entry| line_of(*entry));
        let (mut low, mut high) = (lines.clone().min().unwrap_or(0), lines.max().unwrap_or(0));
        while low < high {
            let middle = low + (high - low) / 2;
            if groups_started_by(&self.entries, middle) >= self.limit {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        let last_checked = low;
        self.checked_until = self
            .entries
            .iter()
            .map(|entry| line_of(*entry))
            .filter(|line| *line > last_checked)
            .min();
        self.entries.retain(|entry| line_of(*entry) <= last_checked);
        self.full = true;
    }

    /// Counts the copies in the sorted entries and keeps the first lines among them.
    fn take_duplicates(&mut self) {
        // Copies found now all come after those found in earlier compactions.
        let room = MAX_LISTED_LINES.saturating_sub(self.duplicates.lines.len());
        let mut first = BinaryHeap::with_capacity(room + 1);
        for pair in self.entries.windows(2) {
            if fingerprint(pair[0]) == fingerprint(pair[1]) {
                self.duplicates.count += 1;
                if room > 0 {
                    first.push(line_of(pair[1]));
                    if first.len() > room {
                        first.pop();
                    }
                }
            }
        }
        self.duplicates.lines.extend(first.into_sorted_vec());
    }
}

/// Below this many entries a plain sort is as fast.
const RADIX_SORT_FROM: usize = 1 << 16;

/// Sorts entries: first into 256 runs by their top byte, in place (the fingerprints
/// are evenly spread), then each run on its own, half of them on a second thread.
/// The runs fit in a core's cache, where one sort of the whole list would not.
fn sort_entries(entries: &mut [u128]) {
    if entries.len() < RADIX_SORT_FROM {
        entries.sort_unstable();
        return;
    }
    let counts = partition_by_top_byte(entries);
    let (low, high) = entries.split_at_mut(counts[..128].iter().sum());
    std::thread::scope(|scope| {
        scope.spawn(|| sort_runs(low, &counts[..128]));
        sort_runs(high, &counts[128..]);
    });
}

fn top_byte(entry: u128) -> usize {
    (entry >> 120) as usize
}

/// Moves each entry to the run of its top byte (an in-place radix pass); returns the
/// length of each run.
fn partition_by_top_byte(entries: &mut [u128]) -> [usize; 256] {
    let mut counts = [0; 256];
    for entry in entries.iter() {
        counts[top_byte(*entry)] += 1;
    }
    let mut next = [0; 256];
    let mut ends = [0; 256];
    let mut start = 0;
    for byte in 0..256 {
        next[byte] = start;
        start += counts[byte];
        ends[byte] = start;
    }
    for byte in 0..256 {
        while next[byte] < ends[byte] {
            let home = top_byte(entries[next[byte]]);
            if home == byte {
                next[byte] += 1;
            } else {
                entries.swap(next[byte], next[home]);
                next[home] += 1;
            }
        }
    }
    counts
}

/// Sorts each of the runs that follow one another in `entries`.
fn sort_runs(entries: &mut [u128], counts: &[usize]) {
    let mut rest = entries;
    for count in counts {
        let (run, after) = rest.split_at_mut(*count);
        run.sort_unstable();
        rest = after;
    }
}

impl std::fmt::Debug for RepeatFinder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "RepeatFinder({} rows)", self.entries.len())
    }
}

fn fingerprint(entry: u128) -> u128 {
    entry & !LINE_MASK
}

fn line_of(entry: u128) -> u64 {
    (entry & LINE_MASK) as u64
}

fn count_groups(sorted: &[u128]) -> usize {
    let copies = sorted
        .windows(2)
        .filter(|pair| fingerprint(pair[0]) == fingerprint(pair[1]))
        .count();
    sorted.len() - copies
}

/// How many distinct rows first occur on or before `line` (in sorted entries, the
/// first of each group is a row's first occurrence).
fn groups_started_by(sorted: &[u128], line: u64) -> usize {
    let mut started = 0;
    let mut previous = None;
    for entry in sorted {
        if previous != Some(fingerprint(*entry)) && line_of(*entry) <= line {
            started += 1;
        }
        previous = Some(fingerprint(*entry));
    }
    started
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Row `kind`'s fingerprint: distinct kinds differ in the kept high bits.
    fn row(kind: u64) -> u128 {
        (u128::from(kind) << 64) | 0xFFFF_FFFF
    }

    fn find(rows: &[(u64, u64)], limit: usize) -> (LineLog, Option<u64>) {
        let mut finder = RepeatFinder::new(limit);
        for (kind, line) in rows {
            finder.add(row(*kind), *line);
        }
        finder.finish()
    }

    /// What a hash set of the rows seen finds, row by row.
    fn expected(rows: &[(u64, u64)], limit: usize) -> (LineLog, Option<u64>) {
        let (mut seen, mut copies, mut until) = (HashSet::new(), LineLog::default(), None);
        for (kind, line) in rows {
            if seen.len() < limit {
                if !seen.insert(*kind) {
                    copies.add(*line);
                }
            } else if until.is_none() {
                until = Some(*line);
            }
        }
        (copies, until)
    }

    #[test]
    fn copies_are_counted_after_the_first_of_each_row() {
        let rows = [(1, 2), (2, 3), (1, 5), (3, 6), (2, 7), (1, 8), (1, 9)];
        let (copies, until) = find(&rows, 100);
        assert_eq!(copies.count, 4);
        assert_eq!(copies.lines, vec![5, 7, 8, 9]);
        assert_eq!(until, None);
    }

    #[test]
    fn only_the_first_copies_are_listed_in_file_order() {
        // Row 0 first, then 300 copies of rows 1 and 2 interleaved, the last ones first
        // in sorted order (the same fingerprint, so sorting is by line alone).
        let mut rows = vec![(9, 1), (1, 2), (2, 3)];
        rows.extend((0..300).map(|index| (1 + index % 2, 4 + index)));
        let (copies, _) = find(&rows, 1000);
        assert_eq!(copies.count, 300);
        assert_eq!(
            copies.lines,
            (4..4 + MAX_LISTED_LINES as u64).collect::<Vec<_>>()
        );
    }

    #[test]
    fn checking_stops_after_the_limit_of_distinct_rows() {
        // The third distinct row reaches the limit: the copy of row 1 after it is not
        // checked, and its line is where checking stopped.
        let rows = [(1, 2), (1, 3), (2, 4), (3, 5), (1, 6), (4, 7)];
        let (copies, until) = find(&rows, 3);
        assert_eq!(copies.lines, vec![3]);
        assert_eq!(until, Some(6));
        // Exactly at the limit with no row after it: everything was checked.
        assert_eq!(find(&rows[..4], 3).1, None);
    }

    #[test]
    fn lines_too_large_to_keep_stop_the_check() {
        let rows = [(1, 2), (1, MAX_LINE + 1), (1, MAX_LINE + 2)];
        let (copies, until) = find(&rows, 100);
        assert_eq!(copies.count, 0);
        assert_eq!(until, Some(MAX_LINE + 1));
    }

    #[test]
    fn the_radix_sort_sorts() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for length in [0, 1, 5, RADIX_SORT_FROM - 1, RADIX_SORT_FROM, 200_000] {
            // Spread fingerprints, and a list where most entries share a top byte.
            let spread: Vec<u128> = (0..length)
                .map(|_| (u128::from(next()) << 64) | u128::from(next()))
                .collect();
            let skewed: Vec<u128> = spread
                .iter()
                .enumerate()
                .map(|(index, entry)| if index % 4 == 0 { *entry } else { *entry >> 8 })
                .collect();
            for mut entries in [spread, skewed] {
                let mut expected = entries.clone();
                expected.sort_unstable();
                sort_entries(&mut entries);
                assert_eq!(entries, expected, "{length} entries");
            }
        }
    }

    #[test]
    fn agrees_with_a_hash_set_across_compactions() {
        // Small limits make the list compact many times, and cut at the limit
        // inside a batch.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..300 {
            let kinds = 1 + next() % 60;
            let limit = 1 + (next() % 40) as usize;
            let mut line = 1;
            let rows: Vec<(u64, u64)> = (0..next() % 400)
                .map(|_| {
                    line += 1 + next() % 3;
                    (next() % kinds, line)
                })
                .collect();
            assert_eq!(find(&rows, limit), expected(&rows, limit), "case {case}");
        }
    }
}
