//! How fast the results analysis reads and aggregates a large export, and how much
//! memory it needs.
//!
//! Writes a `responses-by-task.jsonl` of about 1,000,000 response records in a temporary
//! folder (33,334 items × 10 annotators × 3 choice questions: a single choice of 3
//! options, a single choice of 5 with more disagreement, and a multi-select of 4), each
//! record shaped like Prolific's (ids, metadata, timestamps). Then times reading it into
//! the model, the analysis with agreement, and the tidy CSV, and reports the wall time
//! and peak memory (VmHWM, Linux only). Run it in release mode:
//!
//! `cargo bench -p batchdesk-engine --bench analysis`
//!
//! `ANALYSIS_BENCH_ITEMS`, `ANALYSIS_BENCH_ANNOTATORS` change the size.
//! `ANALYSIS_BENCH_APP=1` instead measures the app's own path on the same records: the
//! export ZIP opened from the results folder, analysed, and the responses table indexed
//! (one row per item and person) with its first page and a filtered page served.
//! Target: read + analyse under 3 s and under 1 GB peak on a 2-core machine.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Lcg, peak_memory};

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use batchdesk_engine::analysis::{AnalysisOptions, analyse, read_responses_jsonl, write_tidy_csv};
use batchdesk_engine::results::{Results, RowsQuery};

const QUESTIONS: [(&str, &[&str], u64); 3] = [
    (
        "7f9c2a10-0000-4000-8000-000000000001",
        &["pos", "neg", "mixed"],
        15,
    ),
    (
        "7f9c2a10-0000-4000-8000-000000000002",
        &["1", "2", "3", "4", "5"],
        35,
    ),
    (
        "7f9c2a10-0000-4000-8000-000000000003",
        &["typos", "off_topic", "rude", "spam"],
        20,
    ),
];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let items = env_number("ANALYSIS_BENCH_ITEMS", 33_334);
    let annotators = env_number("ANALYSIS_BENCH_ANNOTATORS", 10);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("responses-by-task.jsonl");
    let started = Instant::now();
    let records = generate(&path, items, annotators);
    let size = std::fs::metadata(&path).expect("the generated file").len();
    println!(
        "generated {records} response records ({items} items × {annotators} annotators × {} questions), {:.0} MB in {:.2} s; peak memory so far {}",
        QUESTIONS.len(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        peak_memory()
    );

    if std::env::var_os("ANALYSIS_BENCH_APP").is_some() {
        app_path(folder.path(), &path, records);
        return;
    }

    let started = Instant::now();
    let file = BufReader::with_capacity(1 << 20, File::open(&path).expect("the file"));
    let set = read_responses_jsonl(file).expect("read");
    let read_seconds = started.elapsed().as_secs_f64();
    println!(
        "read: {read_seconds:.2} s, {:.0} MB/s, {:.0} records/s; peak memory {}",
        size as f64 / 1e6 / read_seconds,
        records as f64 / read_seconds,
        peak_memory()
    );

    let analysed = Instant::now();
    let analysis = analyse(&set, &AnalysisOptions::default());
    let analyse_seconds = analysed.elapsed().as_secs_f64();
    let total = started.elapsed().as_secs_f64();
    assert_eq!(analysis.answer_count, records);
    println!(
        "analyse (agreement, labels, counts): {analyse_seconds:.2} s; read + analyse: {total:.2} s; peak memory {}",
        peak_memory()
    );
    for question in &analysis.questions {
        let agreement = question.agreement.as_ref().expect("choice questions");
        println!(
            "  {}: alpha {:.3}, pairwise {:.3}, {} items rated, {} low agreement, {} ties",
            question.question_id,
            agreement.krippendorff_alpha.unwrap_or(f64::NAN),
            agreement.percent_agreement.unwrap_or(f64::NAN),
            agreement.items_rated,
            agreement.low_agreement_items,
            agreement.tied_items
        );
    }

    let tidy = folder.path().join("tidy.csv");
    let started = Instant::now();
    let summary = write_tidy_csv(&tidy, &set, &analysis, None, &HashMap::new()).expect("tidy");
    println!(
        "tidy CSV: {} rows in {:.2} s; peak memory {}",
        summary.rows,
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
}

/// The Results screen's path: `Results::open_downloaded` over an export ZIP holding the
/// records, then pages of the responses table.
fn app_path(folder: &Path, jsonl: &Path, records: u64) {
    let results = Results::new(folder);
    let study = "bench-study";
    let study_folder = results.folder(study);
    std::fs::create_dir_all(&study_folder).expect("the results folder");
    let mut zip = zip::ZipWriter::new(File::create(study_folder.join("export.zip")).expect("zip"));
    zip.start_file(
        "responses-by-task.jsonl",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip entry");
    std::io::copy(&mut File::open(jsonl).expect("jsonl"), &mut zip).expect("zip copy");
    zip.finish().expect("zip finish");
    std::fs::remove_file(jsonl).expect("remove the loose file");
    println!("export ZIP written; peak memory so far {}", peak_memory());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let started = Instant::now();
        let summary = results.open_downloaded(study).await.expect("open");
        let opened = started.elapsed().as_secs_f64();
        assert_eq!(summary.analysis.answer_count, records);
        println!(
            "open the download (unzip, read, analyse, index {} table rows): {opened:.2} s; peak memory {}",
            summary.row_count,
            peak_memory()
        );
        let query = |offset, question_id: Option<String>, answer: Option<String>| RowsQuery {
            offset,
            limit: 200,
            participant: None,
            question_id,
            answer,
            by_item: false,
        };
        let started = Instant::now();
        let page = results.rows(study, &query(150_000, None, None)).await.expect("page");
        println!(
            "a page of {} rows from the middle: {:.1} ms",
            page.rows.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        let question = &summary.analysis.questions[0];
        let started = Instant::now();
        let filtered = results
            .rows(
                study,
                &query(
                    0,
                    Some(question.question_id.clone()),
                    Some(question.distribution[0].value.clone()),
                ),
            )
            .await
            .expect("filtered page");
        println!(
            "a filtered page ({} of {} rows match): {:.1} ms; peak memory {}",
            filtered.rows.len(),
            filtered.total,
            started.elapsed().as_secs_f64() * 1000.0,
            peak_memory()
        );
    });
}

/// Writes the export one task per line and answers the number of records.
fn generate(path: &Path, items: u64, annotators: u64) -> u64 {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).expect("create"));
    let mut rng = Lcg(42);
    let participants = 10_000_u64.max(annotators);
    let mut records = 0;
    let mut line = String::new();
    for item in 0..items {
        let task = format!("0193a5b2-{:04x}-7000-8000-{item:012x}", item % 0xFFFF);
        line.clear();
        line.push_str(&format!("{{\"task_id\":\"{task}\",\"responses\":["));
        let consensus: Vec<u64> = QUESTIONS
            .iter()
            .map(|(_, options, _)| rng.below(options.len() as u64))
            .collect();
        let mut first = true;
        for annotator in 0..annotators {
            let participant = (item * annotators + annotator) % participants;
            for (question_index, (question, options, disagreement)) in QUESTIONS.iter().enumerate()
            {
                let mut value = consensus[question_index];
                if rng.below(100) < *disagreement {
                    value = rng.below(options.len() as u64);
                }
                let mut answer = format!("{{\"value\":\"{}\"}}", options[value as usize]);
                // The multi-select question: sometimes a second option.
                if question_index == 2 && rng.below(4) == 0 {
                    let extra =
                        (value + 1 + rng.below(options.len() as u64 - 1)) % options.len() as u64;
                    answer.push_str(&format!(",{{\"value\":\"{}\"}}", options[extra as usize]));
                }
                if !first {
                    line.push(',');
                }
                first = false;
                line.push_str(&format!(
                    "{{\"id\":\"0193a5b2-0000-7000-9000-{records:012x}\",\"created_at\":\"2026-11-23T10:{:02}:00.000000Z\",\
                     \"batch_id\":\"0193a5b2-0000-7000-8000-00000000ba7c\",\"participant_id\":\"{participant:024x}\",\
                     \"submission_id\":\"{:024x}\",\"correlation_id\":\"{task}\",\"task_id\":\"{task}\",\
                     \"metadata\":{{\"META_source\":\"bench\"}},\"schema_version\":1,\"no_submission\":false,\
                     \"response\":{{\"instruction_id\":\"{question}\",\"type\":\"multiple_choice\",\"answer\":[{answer}]}}}}",
                    records % 60,
                    participant * 7 + 1
                ));
                records += 1;
            }
        }
        line.push_str("]}\n");
        out.write_all(line.as_bytes()).expect("write");
    }
    out.flush().expect("flush");
    records
}
