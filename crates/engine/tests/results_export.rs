//! Results when Prolific's export ZIP is not laid out as documented, against the in-app
//! practice server over real HTTP (its export faults switched on through
//! `/_practice/faults`): files in a folder under upper-case names are found and read as
//! usual; an export without a responses file, cut short or damaged is kept as it came,
//! the answers are fetched through the API instead and analysed alike, and the
//! researcher is told so in plain words, offline too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use batchdesk_engine::analysis::{AnalysisOptions, analyse, read_responses_jsonl};
use batchdesk_engine::connection::Connections;
use batchdesk_engine::results::{
    DownloadKind, Results, ResultsSummary, RowsPage, RowsQuery, SavedFile,
};
use batchdesk_engine::wizard;
use batchdesk_practice::PracticeConfig;
use serde_json::json;

const TOKEN: &str = "practice-token-for-odd-exports";

/// A launched study of the review data (24 rows in groups of 4) whose simulated
/// participants have all answered.
async fn answered_study(dir: &Path) -> (Connections, String) {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        disagreement: 0.3,
        seed: 11,
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    (connections, launched.study_id)
}

/// Makes the practice server's next export odd, as `shape` says.
async fn next_export_is(connections: &Connections, shape: &str) {
    let (_, client) = connections.client().await.unwrap();
    let response = reqwest::Client::new()
        .post(client.base().join("/_practice/faults"))
        .header("Authorization", format!("Token {TOKEN}"))
        .json(&json!({
            "fault": {"kind": "odd_export", "shape": shape},
            "scope": {"method": "POST", "route": "/api/v1/data-collection/batches/{batch_id}/export"},
            "times": {"next": 1}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}

async fn download(results: &Results, connections: &Connections, study: &str) -> ResultsSummary {
    results
        .summary(connections, study, true, |_| {})
        .await
        .unwrap()
}

async fn first_rows(results: &Results, study: &str) -> RowsPage {
    let query = RowsQuery {
        offset: 0,
        limit: 1000,
        participant: None,
        question_id: None,
        answer: None,
        by_item: false,
    };
    results.rows(study, &query).await.unwrap()
}

/// Everything the researcher sees of two downloads is the same, bar when they were made.
fn assert_same_results(got: &ResultsSummary, expected: &ResultsSummary) {
    assert_eq!(got.analysis, expected.analysis);
    assert_eq!(got.questions, expected.questions, "named alike");
    assert_eq!(got.data_columns, expected.data_columns);
    assert_eq!(got.shown_columns, expected.shown_columns, "shown alike");
    assert_eq!(got.row_count, expected.row_count);
}

fn assert_says_answers_were_fetched(summary: &ResultsSummary, why: &str) {
    let notice = summary.notice.as_ref().expect("a notice").to_string();
    // The reason is a sentence of its own, between what happened and what is kept.
    assert!(notice.contains(". Nothing is lost"), "{notice}");
    for words in [
        "export file could not be read",
        "fetched from Prolific directly",
        "kept as it came",
        why,
    ] {
        assert!(notice.contains(words), "{words:?} in {notice:?}");
    }
}

async fn saved(results: &Results, study: &str, kind: DownloadKind, dir: &Path) -> Vec<u8> {
    let path = dir.join(format!("saved {kind:?}"));
    results.save(study, kind, &path).await.unwrap();
    std::fs::read(path).unwrap()
}

fn zip_names(zip: Vec<u8>) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort_unstable();
    names
}

#[tokio::test]
async fn an_export_in_a_folder_under_upper_case_names_is_read_as_usual() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study) = answered_study(dir.path()).await;
    let results = Results::new(dir.path());
    let usual = download(&results, &connections, &study).await;
    assert_eq!(usual.notice, None);
    assert_eq!(usual.analysis.item_count, 24);
    assert!(
        usual.questions.iter().all(|q| q.title != q.id),
        "named from batch.json: {:?}",
        usual.questions
    );
    let usual_rows = first_rows(&results, &study).await;

    next_export_is(&connections, "in_a_folder").await;
    let foldered = download(&results, &connections, &study).await;
    let export = saved(&results, &study, DownloadKind::Export, dir.path()).await;
    assert!(
        zip_names(export).contains(&"Batch export/RESPONSES-BY-TASK.JSONL".to_owned()),
        "the odd export was the one read"
    );
    assert_eq!(foldered.notice, None, "nothing to tell");
    assert_same_results(&foldered, &usual);
    assert_eq!(first_rows(&results, &study).await, usual_rows);
    // The responses download is the file found in the folder.
    let responses = saved(&results, &study, DownloadKind::Responses, dir.path()).await;
    let set = read_responses_jsonl(&responses[..]).unwrap();
    assert_eq!(analyse(&set, &AnalysisOptions::default()), usual.analysis);
}

#[tokio::test]
async fn an_export_without_responses_or_cut_short_is_kept_and_the_answers_fetched_instead() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study) = answered_study(dir.path()).await;
    let results = Results::new(dir.path());
    let usual = download(&results, &connections, &study).await;
    let usual_rows = first_rows(&results, &study).await;

    for (shape, why) in [
        ("without_responses", "no responses file"),
        ("truncated", "ZIP archive"),
    ] {
        next_export_is(&connections, shape).await;
        let fetched = download(&results, &connections, &study).await;
        assert_says_answers_were_fetched(&fetched, why);
        assert!(!fetched.from_cache);
        assert_same_results(&fetched, &usual);
        assert_eq!(first_rows(&results, &study).await, usual_rows, "{shape}");

        // Nothing is lost: the export is kept as it came, the answers can be saved.
        let export = saved(&results, &study, DownloadKind::Export, dir.path()).await;
        match shape {
            "without_responses" => assert_eq!(zip_names(export), ["batch.json"]),
            _ => assert!(zip::ZipArchive::new(std::io::Cursor::new(export)).is_err()),
        }
        let responses = saved(&results, &study, DownloadKind::Responses, dir.path()).await;
        let set = read_responses_jsonl(&responses[..]).unwrap();
        assert_eq!(analyse(&set, &AnalysisOptions::default()), usual.analysis);
        let tidy = saved(&results, &study, DownloadKind::Tidy, dir.path()).await;
        assert_eq!(csv::Reader::from_reader(&tidy[3..]).records().count(), 24);
    }

    // Opened again later (a new start of the app), the same results and the same notice.
    let reopened = Results::new(dir.path())
        .open_downloaded(&study)
        .await
        .unwrap();
    assert_says_answers_were_fetched(&reopened, "ZIP archive");
    assert_same_results(&reopened, &usual);

    // The next export that reads is used again, and the notice goes.
    let again = download(&results, &connections, &study).await;
    assert_eq!(again.notice, None);
    assert_same_results(&again, &usual);
}

#[tokio::test]
async fn a_damaged_export_is_not_trusted_and_the_answers_are_fetched_instead() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study) = answered_study(dir.path()).await;
    let results = Results::new(dir.path());
    let usual = download(&results, &connections, &study).await;

    next_export_is(&connections, "damaged").await;
    let fetched = download(&results, &connections, &study).await;
    // The damaged file still reads as JSON with one task id changed: only its
    // checksum tells, and an extra item would show it was believed.
    assert_says_answers_were_fetched(&fetched, "checksum");
    assert_same_results(&fetched, &usual);
    let export = saved(&results, &study, DownloadKind::Export, dir.path()).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(export)).unwrap();
    let mut text = String::new();
    let read = archive
        .by_name("responses-by-task.jsonl")
        .unwrap()
        .read_to_string(&mut text);
    assert!(read.is_err(), "the damaged export is kept as it came");
}

/// A launched study of the review data whose task asks the sentiment template's choice,
/// then a free-text and a number question (stars, 1 to 5), all answered.
async fn three_question_study(dir: &Path) -> (Connections, String) {
    use batchdesk_engine::task::design::{
        DataRow, FreeText, FreeTextWithUnit, Question, QuestionKind, UnitOption, UnitPosition,
    };
    use batchdesk_engine::task::{TaskDesign, templates};
    use batchdesk_engine::task_step::SetupOutcome;
    use tokio_util::sync::CancellationToken;

    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        disagreement: 0.3,
        seed: 5,
        ..PracticeConfig::default()
    };
    let connections = support::practising(dir, config).await;
    let path = support::sample("reviews.csv");
    wizard::choose_file(&connections, path.clone(), path)
        .await
        .unwrap();
    wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let context = support::task_context(&connections).await;
    let mut design: TaskDesign = templates::apply_built_in("sentiment", &context)
        .unwrap()
        .design;
    design.data_rows = vec![DataRow {
        columns: vec!["review_text".to_owned()],
    }];
    design.tasks_per_group = 4;
    design.questions.push(Question {
        key: "why".to_owned(),
        description: "Why do you say so?".to_owned(),
        helper_text: String::new(),
        kind: QuestionKind::FreeText(FreeText {
            placeholder: String::new(),
            min_length: None,
            max_length: None,
        }),
    });
    design.questions.push(Question {
        key: "stars".to_owned(),
        description: "How many stars would you give it?".to_owned(),
        helper_text: String::new(),
        kind: QuestionKind::FreeTextWithUnit(FreeTextWithUnit {
            placeholder: String::new(),
            units: vec![UnitOption {
                label: "stars".to_owned(),
                value: "stars".to_owned(),
            }],
            unit_position: UnitPosition::Suffix,
            default_unit: Some("stars".to_owned()),
            min_value: Some(1.0),
            max_value: Some(5.0),
        }),
    });
    wizard::save_design(&connections, design, &context)
        .await
        .unwrap();
    let outcome = support::setting_up(&connections, &context).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Ready(_)), "{outcome:?}");
    wizard::study_context(&connections).await.unwrap();
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    (connections, launched.study_id)
}

#[tokio::test]
async fn the_tidy_csv_of_a_choice_a_text_and_a_number_question_has_all_three_with_a_bom_and_a_guide()
 {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study) = three_question_study(dir.path()).await;
    let results = Results::new(dir.path());
    let summary = download(&results, &connections, &study).await;
    assert_eq!(summary.questions.len(), 3);
    // The table leads with what participants saw: the review text only.
    let shown: Vec<&str> = summary
        .shown_columns
        .iter()
        .map(|&index| summary.data_columns[index as usize].as_str())
        .collect();
    assert_eq!(shown, ["review_text"]);
    // The number question is summarised, with its unit for one.
    let stars = summary.analysis.questions[2].numbers.as_ref().unwrap();
    assert_eq!(
        (stars.unit.as_deref(), stars.unit_for_one.as_deref()),
        (Some("stars"), Some("star"))
    );
    assert!(stars.mean.is_some_and(|mean| (1.0..=5.0).contains(&mean)));
    let rows = first_rows(&results, &study).await;
    for row in &rows.rows {
        let answer = &row.answers[2];
        assert!(
            answer == "1 star" || (answer.ends_with(" stars") && !answer.starts_with("1 ")),
            "{answer}"
        );
        assert!(
            !row.answers[1].is_empty(),
            "a free-text answer on every row"
        );
    }

    let destination = dir.path().join("Reviews - results.csv");
    let saved: SavedFile = results
        .save(&study, DownloadKind::Tidy, &destination)
        .await
        .unwrap();
    let bytes = std::fs::read(&destination).unwrap();
    assert_eq!(saved.bytes, bytes.len() as u64);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM, for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let choice = &summary.questions[0].title;
    for column in [
        format!("{choice} [majority answer]"),
        format!("{choice} [support]"),
        format!("{choice} [agreement]"),
        format!("{choice} [tied answers]"),
        "Why do you say so? [answers]".to_owned(),
        "Why do you say so? [number of answers]".to_owned(),
        "How many stars would you give it? [mean]".to_owned(),
        "How many stars would you give it? [median]".to_owned(),
        "How many stars would you give it? [answers]".to_owned(),
    ] {
        assert!(header.contains(&column), "{column} in {header:?}");
    }
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 24, "one row per data row");
    let at = |name: &str| header.iter().position(|column| column == name).unwrap();
    let (text, mean) = (
        at("Why do you say so? [answers]"),
        at("How many stars would you give it? [mean]"),
    );
    for record in &records {
        assert!(!record[text].is_empty(), "{record:?}");
        assert!(record[mean].parse::<f64>().is_ok(), "{record:?}");
    }

    // The column guide is beside it, named after it, and explains every column.
    let guide = saved.guide.expect("a column guide");
    assert_eq!(
        Path::new(&guide),
        dir.path().join("Reviews - results - column guide.csv")
    );
    let guide = std::fs::read(&guide).unwrap();
    assert!(guide.starts_with(b"\xEF\xBB\xBF"));
    let mut guide = csv::Reader::from_reader(&guide[3..]);
    let explained: Vec<String> = guide
        .records()
        .map(|row| row.unwrap()[0].to_owned())
        .take(header.len())
        .collect();
    assert_eq!(explained, header);
    // Other downloads have no guide.
    let report = results
        .save(&study, DownloadKind::Report, &dir.path().join("report.csv"))
        .await
        .unwrap();
    assert_eq!(report.guide, None);
}
