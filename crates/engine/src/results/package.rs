//! The reproducibility package (issue 19): one ZIP with everything needed to recompute a
//! study's figures outside the app. The answers as downloaded (`raw/`), the answers as
//! counted with the order they were numbered in, the known answers, the tidy CSV, the
//! study's settings, every model option and seed (`analysis.json`), the app's own
//! figures to compare with (`app-results/`) and a README in plain words.

use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::folder::{EXPORT, FETCHED_LAYOUT, FETCHED_RESPONSES, REPORT, safe_folder_name};
use super::loaded::Loaded;
use super::pilot_answers::PilotLinks;
use super::second_round::RoundLinks;
use super::{Results, ResultsError, SavedFile};
use crate::analysis::recompute::{
    ANALYSIS_FILE, ANSWERS_FILE, AnalysisSettings, KNOWN_FILE, NUMBERING_FILE, write_answers_jsonl,
    write_known_csv,
};
use crate::connection::Connections;

const README: &str = "README.txt";
const SETTINGS: &str = "settings.json";
const TIDY: &str = "results.csv";

impl Results {
    /// Writes the study's reproducibility package to `destination` (a ZIP, replaced only
    /// once complete). The study's settings are read from Prolific when `connections`
    /// reach it, and said to be missing when not; the alpha intervals are worked out if
    /// they were not yet.
    ///
    /// # Errors
    /// When the results were never downloaded, or the package cannot be written.
    pub async fn save_package(
        &self,
        connections: Option<&Connections>,
        study_id: &str,
        destination: &Path,
    ) -> Result<SavedFile, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let intervals = self.alpha_intervals(study_id).await?;
        let card = self.scorecard(study_id).await?;
        let study = match connections {
            Some(connections) => study_settings(connections, study_id).await,
            None => None,
        };
        let folder = self.folder(study_id);
        let destination = destination.to_owned();
        let rejected: Vec<String> = card
            .states
            .iter()
            .filter(|(_, state)| **state == crate::review_state::ReviewState::Rejected)
            .map(|(id, _)| id.clone())
            .collect();
        let known_choice = card.known_answers.clone();
        tokio::task::spawn_blocking(move || -> Result<SavedFile, ResultsError> {
            let settings = json!({
                "study_id": loaded.summary.study_id,
                "downloaded_at": loaded.summary.downloaded_at,
                "study": study.as_ref().map(|(study, _)| study),
                "task": study.as_ref().map(|(_, task)| task),
                "read_from_prolific": study.is_some(),
                "questions": loaded.summary.questions,
                "items": loaded.summary.analysis.item_count,
                "participants": loaded.summary.analysis.participant_count,
                "people_per_item_median": super::methods::people_per_item(&loaded),
                "known_answers": known_choice.map(|choice| json!({
                    "column": choice.column,
                    "question_id": choice.question_id,
                    "file": KNOWN_FILE,
                })),
                "exclusions": {
                    "attention_check_answers_set_aside": loaded.checks.len(),
                    "pilot_answers": loaded.summary.pilot_answers,
                    "second_round": loaded.summary.second_round,
                    "rejected_participants": rejected,
                    "counted": "Every answer in answers.jsonl is counted: rejected participants' answers are kept unless removed there.",
                },
            });
            let mut package = tempfile::NamedTempFile::new_in(
                destination
                    .parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                    .unwrap_or_else(|| Path::new(".")),
            )?;
            write_package(
                &loaded,
                &folder,
                &settings,
                &intervals,
                package.as_file_mut(),
            )?;
            package
                .persist(&destination)
                .map_err(|error| ResultsError::Io(error.error))?;
            Ok(SavedFile {
                path: destination.display().to_string(),
                bytes: std::fs::metadata(&destination)?.len(),
                guide: None,
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

/// The study's settings and task as Prolific holds them; `None` when it cannot be reached.
async fn study_settings(
    connections: &Connections,
    study_id: &str,
) -> Option<(serde_json::Value, serde_json::Value)> {
    let (_, client) = connections.client().await.ok()?;
    let study = client.study(study_id).await.ok()?;
    let batch = match &study.data_collection_id {
        Some(batch_id) => client.batch(batch_id).await.ok(),
        None => None,
    };
    let settings = json!({
        "id": study.id,
        "name": study.name,
        "internal_name": study.internal_name,
        "description": study.description,
        "reward_minor_units": study.reward,
        "currency": study.currency_code,
        "places": study.total_available_places,
        "estimated_completion_minutes": study.estimated_completion_time,
        "maximum_allowed_minutes": study.maximum_allowed_time,
        "filters": study.filters,
        "device_compatibility": study.device_compatibility,
        "published_at": study.published_at,
    });
    let task = batch.map_or(serde_json::Value::Null, |batch| {
        json!({
            "batch_id": batch.id,
            "name": batch.task_details.as_ref().map(|task| &task.task_name),
            "introduction_html": batch.task_details.as_ref().map(|task| &task.task_introduction),
            "steps_html": batch.task_details.as_ref().map(|task| &task.task_steps),
            "batch_items": batch.batch_items,
            "task_groups": batch.total_task_groups,
        })
    });
    Some((settings, task))
}

fn write_package(
    loaded: &Loaded,
    folder: &Path,
    settings: &serde_json::Value,
    intervals: &[super::QuestionInterval],
    out: &mut std::fs::File,
) -> Result<(), ResultsError> {
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let stored = zip::write::SimpleFileOptions::default().large_file(true);
    let zip_error = |error: zip::result::ZipError| ResultsError::Io(std::io::Error::other(error));

    zip.start_file(README, options).map_err(zip_error)?;
    zip.write_all(readme(loaded).as_bytes())?;

    zip.start_file(ANSWERS_FILE, options).map_err(zip_error)?;
    write_answers_jsonl(&loaded.responses, &mut zip)?;
    zip.start_file(NUMBERING_FILE, options).map_err(zip_error)?;
    serde_json::to_writer_pretty(&mut zip, &loaded.responses.numbering())
        .map_err(std::io::Error::other)?;
    zip.start_file(KNOWN_FILE, options).map_err(zip_error)?;
    let known: std::collections::HashMap<String, crate::analysis::consensus::Known> = loaded
        .known
        .iter()
        .map(|known| (known.question_id.clone(), known.by_task.clone()))
        .collect();
    write_known_csv(&known, &mut zip).map_err(|error| std::io::Error::other(error.to_string()))?;

    zip.start_file(SETTINGS, options).map_err(zip_error)?;
    serde_json::to_writer_pretty(&mut zip, settings).map_err(std::io::Error::other)?;
    zip.start_file(ANALYSIS_FILE, options).map_err(zip_error)?;
    serde_json::to_writer_pretty(&mut zip, &AnalysisSettings::current())
        .map_err(std::io::Error::other)?;

    // The tidy CSV and its guide, as the Tidy CSV download writes them.
    let scratch = tempfile::tempdir()?;
    let tidy_path = scratch.path().join(TIDY);
    let guide_path = loaded.write_tidy_with_guide(&tidy_path)?;
    for path in [&tidy_path, &guide_path] {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        zip.start_file(name, options).map_err(zip_error)?;
        std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
    }

    zip.start_file("app-results/consensus.csv", options)
        .map_err(zip_error)?;
    write_app_consensus(loaded, &mut zip)?;
    zip.start_file("app-results/alpha.csv", options)
        .map_err(zip_error)?;
    write_app_alpha(loaded, intervals, &mut zip)?;

    // The answers as downloaded: this study's, and its pilots' and second rounds'.
    let mut studies = vec![folder.to_owned()];
    let root = folder.parent().unwrap_or(folder);
    for linked in PilotLinks::read(folder)
        .pilot_studies
        .iter()
        .chain(&RoundLinks::read(folder).studies)
    {
        studies.push(root.join(safe_folder_name(linked)));
    }
    for study in &studies {
        let name = study
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        for file in [EXPORT, REPORT, FETCHED_RESPONSES, FETCHED_LAYOUT] {
            let Ok(mut source) = std::fs::File::open(study.join(file)) else {
                continue;
            };
            // A ZIP in a ZIP gains nothing from compressing again.
            let how = if file == EXPORT { stored } else { options };
            zip.start_file(format!("raw/{name}/{file}"), how)
                .map_err(zip_error)?;
            std::io::copy(&mut source, &mut zip)?;
        }
    }
    zip.finish()
        .map_err(zip_error)?
        .flush()
        .map_err(ResultsError::Io)
}

/// Each item's consensus as the app worked it out: full precision (Rust's shortest
/// round-trip form), for comparing with a recomputation.
fn write_app_consensus(loaded: &Loaded, out: impl Write) -> Result<(), ResultsError> {
    let mut writer = csv::Writer::from_writer(out);
    let csv_error = |error: csv::Error| ResultsError::Io(std::io::Error::other(error.to_string()));
    writer
        .write_record([
            "question",
            "task",
            "label",
            "confidence",
            "mace_label",
            "mace_confidence",
            "known",
        ])
        .map_err(csv_error)?;
    for question in &loaded.summary.analysis.questions {
        for item in &question.items {
            let Some(consensus) = &item.consensus else {
                continue;
            };
            writer
                .write_record([
                    question.question_id.as_str(),
                    item.task_id.as_str(),
                    consensus.label.as_str(),
                    &consensus.confidence.to_string(),
                    consensus.mace_label.as_str(),
                    &consensus.mace_confidence.to_string(),
                    if consensus.known { "true" } else { "false" },
                ])
                .map_err(csv_error)?;
        }
    }
    writer.flush()?;
    Ok(())
}

fn write_app_alpha(
    loaded: &Loaded,
    intervals: &[super::QuestionInterval],
    out: impl Write,
) -> Result<(), ResultsError> {
    let mut writer = csv::Writer::from_writer(out);
    let csv_error = |error: csv::Error| ResultsError::Io(std::io::Error::other(error.to_string()));
    writer
        .write_record(["question", "alpha", "low", "high", "resamples"])
        .map_err(csv_error)?;
    let text = |value: Option<f64>| value.map(|value| value.to_string()).unwrap_or_default();
    for question in &loaded.summary.analysis.questions {
        let Some(agreement) = &question.agreement else {
            continue;
        };
        let interval = intervals
            .iter()
            .find(|kept| kept.question_id == question.question_id)
            .and_then(|kept| kept.interval);
        writer
            .write_record([
                question.question_id.clone(),
                text(agreement.krippendorff_alpha),
                text(interval.map(|interval| interval.low)),
                text(interval.map(|interval| interval.high)),
                interval
                    .map(|interval| interval.resamples.to_string())
                    .unwrap_or_default(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

fn readme(loaded: &Loaded) -> String {
    let settings = AnalysisSettings::current();
    format!(
        "Batchdesk reproducibility package
=================================

Study {study}, results downloaded {downloaded}, made by Batchdesk {version}.

This package holds everything needed to work out the study's figures again: the
consensus label of each item (Dawid-Skene, with MACE as a second opinion), Krippendorff's
alpha of each question with options, and its 95% bootstrap interval.

What is in it
-------------
answers.jsonl        Every answer as counted in the results, one Prolific response record
                     a line (task_id, participant_id, response). Answers to attention
                     checks are set aside; pilot and second-round answers are in when the
                     results counted them.
numbering.json       The order in which items, people and answers were first seen. The
                     figures add up numbers in that order; reading the answers in it gives
                     the app's figures to the last digit.
known-answers.csv    Items whose right answer was known (question, task, label). They pin
                     the consensus to that answer.
settings.json        The study as run: task, questions and options, people per item,
                     reward, filters, exclusions, known answers.
analysis.json        Every option of the analysis: models, iterations and tolerances, MACE's
                     priors, the bootstrap's {resamples} resamples and its seed ({seed}),
                     alpha's level of measurement (nominal).
results.csv          The tidy results, one row per data row, with its column guide.
app-results/         The figures the app showed (consensus.csv, alpha.csv), at full
                     precision, to compare with.
raw/                 The files as downloaded from Prolific (the export ZIP and the CSV
                     report) of this study and of any pilot or second round it counts.

How to recompute
----------------
With Batchdesk's source code (Rust 1.90 or later), from its folder:

    cargo run -p batchdesk-engine --example consensus_cli -- <this package> <output folder>

The package may be this ZIP file or the folder it unpacks to. The output folder then
holds consensus.csv, mace.csv, alpha.csv (with the interval), annotators.csv,
posteriors.csv and answers.csv; consensus.csv and alpha.csv match app-results/.

With other tools: answers.jsonl is in Prolific's own format, and known-answers.csv is a
plain table. Crowd-Kit (Python) gives the same Dawid-Skene labels with the options in
analysis.json (its labels matched ours on every parity test set), and
the `krippendorff` Python package gives the same alpha (nominal level). Bootstrap
intervals from another tool differ slightly, as its random numbers differ: resample the
items with replacement {resamples} times and take the 2.5th and 97.5th percentiles.
",
        study = loaded.summary.study_id,
        downloaded = loaded.summary.downloaded_at,
        version = settings.app_version,
        resamples = settings.bootstrap.resamples,
        seed = settings.bootstrap.seed,
    )
}
