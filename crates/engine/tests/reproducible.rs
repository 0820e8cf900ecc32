//! Reproducible reports (issue 19) on a study run on the practice server: the
//! reproducibility package holds what it says, and recomputing from it (what
//! `consensus_cli` does with it) gives the app's consensus, alpha and interval to the
//! last bit. And the agreement panel's bootstrap interval: worked out only when asked,
//! kept in the study's folder, read back while the answers stay the same and worked out
//! again when new answers come in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Read;
use std::path::Path;

use batchdesk_engine::analysis::recompute::{RecomputeInput, recompute};
use batchdesk_engine::connection::Connections;
use batchdesk_engine::monitor::FactsCache;
use batchdesk_engine::results::{KnownAnswersChoice, QuestionInterval, Results};
use batchdesk_engine::study_actions::{self, MorePeople};

const TOKEN: &str = "reproducible-token";
const ROWS: usize = 40;
const TRUTHS: [&str; 5] = ["positive", "positive", "positive", "neutral", "negative"];

/// `ROWS` reviews, each with its truth in a hidden `META_truth` column (the simulated
/// people answer from it), and one in four known to the researcher (`META_known`).
fn reviews(dir: &Path) -> String {
    let path = dir.join("reviews with their truth.csv");
    let mut text = String::from("id,review_text,META_truth,META_known\n");
    for row in 0..ROWS {
        let truth = TRUTHS[(row * 7 + row / 5) % TRUTHS.len()];
        text.push_str(&format!(
            "{row},\"Review number {row}: it arrived, and it was {}\",{truth},{}\n",
            row * 7 % 11,
            if row % 4 == 0 { truth } else { "" }
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A sentiment study in sittings of 10 rows, `people` per row, from a crowd of `mix`,
/// published and its results downloaded.
async fn run_study(
    dir: &Path,
    people: u32,
    mix: serde_json::Value,
) -> (Connections, Results, String) {
    let config = support::steady_practice(23, TOKEN);
    let connections = support::practising(dir, config).await;
    support::practice_api(
        &connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": mix })),
    )
    .await;
    let context = support::sentiment_task_on(&connections, reviews(dir), 10).await;
    support::set_up_batch(&connections, &context).await;
    let launched = support::publish_with_people_per_item(&connections, people).await;
    assert!(launched.published);
    let results = Results::new(dir);
    results
        .summary(&connections, &launched.study_id, true, |_| {})
        .await
        .unwrap();
    (connections, results, launched.study_id)
}

fn unzip(package: &Path, into: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(package).unwrap()).unwrap();
    archive.extract(into).unwrap();
}

fn member(package: &Path, name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(package).unwrap()).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[tokio::test]
async fn the_package_recomputes_the_apps_consensus_alpha_and_interval_to_the_last_bit() {
    let dir = batchdesk_test_support::temp_folder();
    // Few people per item, many careless: items the models are unsure of.
    let careless = serde_json::json!({ "average": 40, "fast_clicker": 30, "straight_liner": 30 });
    let (connections, results, study) = run_study(dir.path(), 3, careless).await;
    // A hidden column holds some known answers: they pin their items in the consensus.
    let question_id = results.open_downloaded(&study).await.unwrap().questions[0]
        .id
        .clone();
    results
        .set_known_answers(
            &study,
            Some(KnownAnswersChoice {
                column: "META_known".to_owned(),
                question_id: question_id.clone(),
            }),
        )
        .await
        .unwrap();
    let summary = results
        .summary(&connections, &study, false, |_| {})
        .await
        .unwrap();
    let app_intervals = results.alpha_intervals(&study).await.unwrap();

    let package = dir.path().join("package.zip");
    let keep = std::env::var_os("BATCHDESK_KEEP_PACKAGE");
    let saved = results
        .save_package(Some(&connections), &study, &package)
        .await
        .unwrap();
    assert_eq!(saved.bytes, std::fs::metadata(&package).unwrap().len());
    if let Some(keep) = keep {
        std::fs::copy(&package, keep).unwrap();
    }

    // The package says what it holds and how to recompute.
    let readme = String::from_utf8(member(&package, "README.txt")).unwrap();
    assert!(readme.contains("cargo run -p batchdesk-engine --example consensus_cli"));
    let settings: serde_json::Value =
        serde_json::from_slice(&member(&package, "settings.json")).unwrap();
    assert_eq!(settings["read_from_prolific"], true);
    assert!(settings["study"]["reward_minor_units"].as_i64().unwrap() > 0);
    assert!(settings["study"]["filters"].is_array());
    assert_eq!(settings["questions"][0]["id"], question_id.as_str());
    assert_eq!(settings["people_per_item_median"], 3);
    assert_eq!(settings["known_answers"]["column"], "META_known");
    assert!(settings["task"]["batch_items"].is_array());
    let analysis: serde_json::Value =
        serde_json::from_slice(&member(&package, "analysis.json")).unwrap();
    assert_eq!(analysis["bootstrap"]["seed"], 2026);
    assert_eq!(analysis["bootstrap"]["resamples"], 1000);
    assert_eq!(analysis["agreement"]["level_of_measurement"], "nominal");
    assert_eq!(analysis["consensus"]["dawid_skene"]["max_iterations"], 100);
    assert_eq!(analysis["app_version"], env!("CARGO_PKG_VERSION"));
    // The answers as downloaded, byte for byte.
    let export = std::fs::read(results.folder(&study).join("export.zip")).unwrap();
    let folder_name = results
        .folder(&study)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        member(&package, &format!("raw/{folder_name}/export.zip")),
        export
    );
    let tidy = String::from_utf8(member(&package, "results.csv")).unwrap();
    assert_eq!(tidy.lines().count(), ROWS + 1, "a row per data row");

    // Recomputed from the ZIP and from the folder it unpacks to: the app's figures.
    let unpacked = dir.path().join("unpacked");
    unzip(&package, &unpacked);
    for path in [&package, &unpacked] {
        let input = RecomputeInput::open_package(path).unwrap();
        assert!(!input.known.is_empty(), "the known answers came along");
        let figures = recompute(&input);
        assert_eq!(figures.len(), 1, "the one choice question");
        let figures = &figures[0];
        let app = &summary.analysis.questions[0];
        assert_eq!(figures.question_id, app.question_id);
        let app_alpha = app.agreement.as_ref().unwrap().krippendorff_alpha.unwrap();
        assert_eq!(figures.alpha.unwrap().to_bits(), app_alpha.to_bits());
        let app_interval = app_intervals[0].interval.unwrap();
        let interval = figures.interval.unwrap();
        assert_eq!(interval.low.to_bits(), app_interval.low.to_bits());
        assert_eq!(interval.high.to_bits(), app_interval.high.to_bits());
        assert_eq!(interval.resamples, app_interval.resamples);
        let app_items: Vec<_> = app
            .items
            .iter()
            .filter_map(|item| Some((item.task_id.clone(), item.consensus.clone()?)))
            .collect();
        assert_eq!(figures.items.len(), app_items.len());
        assert!(
            figures.items.iter().any(|item| item.known),
            "known items pinned"
        );
        assert!(
            figures.items.iter().any(|item| item.confidence < 0.999),
            "some items uncertain, so the bits say something: {:?}",
            figures
                .items
                .iter()
                .map(|item| item.confidence)
                .collect::<Vec<_>>()
        );
        for (item, (task, consensus)) in figures.items.iter().zip(&app_items) {
            assert_eq!(&item.task_id, task);
            assert_eq!(item.label, consensus.label, "{task}");
            assert_eq!(
                item.confidence.to_bits(),
                consensus.confidence.to_bits(),
                "{task}"
            );
            assert_eq!(item.mace_label, consensus.mace_label, "{task}");
            assert_eq!(
                item.mace_confidence.to_bits(),
                consensus.mace_confidence.to_bits(),
                "{task}"
            );
            assert_eq!(item.known, consensus.known, "{task}");
        }
    }
    // The app's own figures in the package are those it showed.
    let app_csv = String::from_utf8(member(&package, "app-results/consensus.csv")).unwrap();
    assert_eq!(
        app_csv.lines().count(),
        summary.analysis.questions[0].items.len() + 1
    );
}

/// The kept file's intervals, changed to `low` (the fingerprint left as it was).
fn tamper_with_kept(folder: &Path, low: f64) {
    let path = folder.join("alpha-intervals.json");
    let mut kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    kept["questions"][0]["interval"]["low"] = serde_json::json!(low);
    std::fs::write(&path, serde_json::to_vec(&kept).unwrap()).unwrap();
}

fn low_of(intervals: &[QuestionInterval]) -> f64 {
    intervals[0].interval.unwrap().low
}

#[tokio::test]
async fn the_interval_is_worked_out_when_asked_kept_and_worked_out_again_for_new_answers() {
    let dir = batchdesk_test_support::temp_folder();
    let mix = serde_json::json!({
        "careful": 20, "average": 50, "fast_clicker": 15, "straight_liner": 15
    });
    let (connections, results, study) = run_study(dir.path(), 3, mix).await;

    // The panel opens with alpha and the matrices, without the interval.
    let report = results.agreement(&study, None).await.unwrap();
    assert!(!report.intervals_worked_out);
    assert!(report.questions[0].alpha.is_some());
    assert_eq!(report.questions[0].interval, None);
    assert_eq!(results.kept_alpha_intervals(&study).await.unwrap(), None);

    // Asked for: worked out, kept, and shown from then on.
    let worked_out = results.alpha_intervals(&study).await.unwrap();
    let interval = worked_out[0].interval.expect("an interval");
    assert!(interval.low <= report.questions[0].alpha.unwrap());
    let report = results.agreement(&study, None).await.unwrap();
    assert!(report.intervals_worked_out);
    assert_eq!(report.questions[0].interval, Some(interval));
    let methods = results.methods(&connections, &study).await.unwrap();
    assert_eq!(methods.agreement[0].interval, Some(interval));

    // Read back from the study's folder, by a fresh start of the app too: a kept value
    // (changed here to tell it apart) is what comes back.
    tamper_with_kept(&results.folder(&study), -0.25);
    assert_eq!(
        low_of(&results.alpha_intervals(&study).await.unwrap()),
        -0.25
    );
    let reopened = Results::new(dir.path());
    assert_eq!(
        low_of(
            &reopened
                .kept_alpha_intervals(&study)
                .await
                .unwrap()
                .unwrap()
        ),
        -0.25
    );

    // New answers: two more people per item, downloaded again.
    let quote = study_actions::quote_more_people(&connections, &study, 2)
        .await
        .unwrap();
    study_actions::add_people(
        &connections,
        &FactsCache::default(),
        &study,
        MorePeople {
            expected_per_item: quote.current_per_item,
            target_per_item: quote.target_per_item,
            confirmed_cost: quote.extra_cost_minor,
        },
    )
    .await
    .unwrap();
    let before = results.open_downloaded(&study).await.unwrap();
    let after = results
        .summary(&connections, &study, true, |_| {})
        .await
        .unwrap();
    assert!(
        after.analysis.answer_count > before.analysis.answer_count,
        "new answers: {} then {}",
        before.analysis.answer_count,
        after.analysis.answer_count
    );
    let report = results.agreement(&study, None).await.unwrap();
    assert!(
        !report.intervals_worked_out,
        "the kept interval was of other answers"
    );
    assert_eq!(report.questions[0].interval, None);
    let again = results.alpha_intervals(&study).await.unwrap();
    assert_ne!(low_of(&again), -0.25, "worked out again");
    assert!(again[0].interval.unwrap().low > -1.0);
    assert_eq!(
        results.kept_alpha_intervals(&study).await.unwrap(),
        Some(again)
    );
}
