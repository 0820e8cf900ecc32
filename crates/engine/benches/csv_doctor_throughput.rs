//! How fast the CSV doctor reads a large file, and how much memory it needs.
//!
//! Generates a CSV of 1,000,000 rows × 6 columns (about 100 MB) in a temporary folder,
//! then times `inspect` and `fix` on it and reports throughput and peak memory (VmHWM,
//! Linux only). Run it in release mode:
//!
//! `cargo bench -p batchdesk-engine --bench csv_doctor_throughput`
//!
//! Settings (environment variables):
//!
//! - `CSV_DOCTOR_BENCH_ROWS`: the number of rows (5000000 for the product's target).
//! - `CSV_DOCTOR_BENCH_ROW_BYTES`: about how long a row is (default 100; rows are
//!   padded with words in their text cell). 200 with 5000000 rows makes the issue's
//!   1 GB, 5-million-row file.
//! - `CSV_DOCTOR_BENCH_FILE`: work on this file, generating it first only if it does
//!   not exist (and then keeping it), instead of a temporary one.
//! - `CSV_DOCTOR_BENCH_ONLY`: `generate`, `inspect` or `fix` to do just that, so that
//!   each measure (peak memory above all) belongs to one process.
//!
//! The side-by-side comparison with `xsv count` and pandas' `read_csv` on the same file
//! is `crates/engine/benches/compare-csv-tools.sh` (it runs this bench with
//! `CSV_DOCTOR_BENCH_ONLY=inspect`).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::peak_memory;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use batchdesk_engine::csv_doctor::{FixOptions, InspectOptions, fix, inspect};

fn setting(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn main() {
    let rows: u64 = setting("CSV_DOCTOR_BENCH_ROWS")
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000);
    let row_bytes: usize = setting("CSV_DOCTOR_BENCH_ROW_BYTES")
        .and_then(|value| value.parse().ok())
        .unwrap_or(100);
    let only = setting("CSV_DOCTOR_BENCH_ONLY");
    let wants = |step: &str| only.as_deref().is_none_or(|only| only == step);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = setting("CSV_DOCTOR_BENCH_FILE")
        .map_or_else(|| folder.path().join("large.csv"), PathBuf::from);
    if !path.exists() {
        let started = Instant::now();
        generate(&path, rows, row_bytes);
        let size = std::fs::metadata(&path).expect("the generated file").len();
        println!(
            "generated {rows} rows, {:.1} MB in {:.2} s into {}; peak memory so far {}",
            megabytes(size),
            started.elapsed().as_secs_f64(),
            path.display(),
            peak_memory()
        );
    }
    let size = std::fs::metadata(&path).expect("the file").len();

    if wants("inspect") {
        let started = Instant::now();
        let report = inspect(&path, &InspectOptions::default()).expect("inspect");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "inspect: {} rows, {:.1} MB in {:.2} s, {:.0} MB/s, {:.0} rows/s; {} findings; peak memory {}",
            report.row_count,
            megabytes(size),
            seconds,
            megabytes(size) / seconds,
            report.row_count as f64 / seconds,
            report.findings.len(),
            peak_memory()
        );
        for finding in &report.findings {
            println!(
                "  {:?} {}: {}",
                finding.severity, finding.code, finding.message
            );
        }
    }

    if wants("fix") {
        let destination = folder.path().join("fixed.csv");
        let started = Instant::now();
        let summary = fix(&path, &destination, &FixOptions::default()).expect("fix");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "fix: {:.2} s, {:.0} MB/s; {} rows written, {} duplicates dropped; peak memory {}",
            seconds,
            megabytes(size) / seconds,
            summary.rows_written,
            summary.duplicate_rows_dropped,
            peak_memory()
        );
    }
}

/// Rows like a researcher's: an id, a sentence with commas and sometimes quotes or a
/// line break (so cells need quoting), a category, a score, an image link and a
/// hidden column. About 100 bytes a row, or `row_bytes` when more (the sentence grows);
/// every 1000th row is the same one.
fn generate(path: &Path, rows: u64, row_bytes: usize) {
    const WORDS: [&str; 12] = [
        "great", "product", "arrived", "damaged", "works", "as", "expected", "café", "naïve",
        "design", "delivery", "slow",
    ];
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).expect("create"));
    writeln!(
        out,
        "id,review_text,product_name,rating,image_url,META_source"
    )
    .unwrap();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut line = String::new();
    for row in 0..rows {
        let id = row;
        // A small xorshift generator: reproducible, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let pick = |shift: u32| WORDS[((state >> shift) % WORDS.len() as u64) as usize];
        if row % 1000 == 999 {
            writeln!(
                out,
                "0,repeated row,Widget 0,1,https://images.example.org/items/0.jpg,web"
            )
            .unwrap();
            continue;
        }
        let text = match state % 10 {
            0 => format!(
                "{} {}, \"\"{}\"\" {} {}",
                pick(3),
                pick(7),
                pick(11),
                pick(15),
                pick(19)
            ),
            1 => format!("{} {}\n{} {}", pick(3), pick(7), pick(11), pick(15)),
            _ => format!(
                "{} {} {}, {} {} {}",
                pick(3),
                pick(7),
                pick(11),
                pick(15),
                pick(19),
                pick(23)
            ),
        };
        line.clear();
        let rest = format!(
            ",Widget {},{},https://images.example.org/items/{id}.jpg,web",
            (state >> 29) % 50,
            (state >> 37) % 5 + 1,
        );
        line.push_str(&format!("{id},\"{text}"));
        let mut shift = 27;
        while line.len() + rest.len() + 2 < row_bytes {
            line.push(' ');
            line.push_str(pick(shift));
            shift = (shift + 5) % 61;
        }
        line.push('"');
        line.push_str(&rest);
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}
