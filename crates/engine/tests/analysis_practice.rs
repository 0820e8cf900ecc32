//! The analysis of what the app will really analyse: a practice server runs the whole
//! flow over HTTP (dataset, batch, study, simulated participants), then its responses
//! JSON, its ZIP export's `responses-by-task.jsonl` and its CSV report are read,
//! analysed and written as a tidy CSV.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use batchdesk_engine::analysis::{
    Analysis, AnalysisOptions, OriginalData, QuestionKind, analyse, read_export_zip,
    read_responses_json, read_responses_jsonl, write_tidy_csv,
};
use batchdesk_practice::{PracticeConfig, PracticeServer, PracticeWorkspace};
use serde_json::{Value, json};

const BATCHES: &str = "/api/v1/data-collection/batches";
const TASKS: u32 = 12;
const TASKS_PER_GROUP: u32 = 2;
const ANNOTATORS: u32 = 3;

struct Api {
    server: PracticeServer,
    client: reqwest::Client,
}

impl Api {
    async fn start(disagreement: f64) -> Self {
        Self {
            server: PracticeServer::start(PracticeConfig {
                processing_delay: Duration::ZERO,
                participant_pace: Duration::ZERO,
                disagreement,
                seed: 7,
                ..PracticeConfig::default()
            })
            .await
            .unwrap(),
            client: reqwest::Client::new(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.server.base_url()))
            .header("Authorization", format!("Token {}", self.server.token()));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self.send(reqwest::Method::GET, path, None).await;
        assert!((200..300).contains(&status), "{path}: {status} {body}");
        body
    }

    /// A batch's responses read page by page (the practice server pages them) and put
    /// back together as one `{results, meta}` document, which is what is analysed.
    async fn all_responses(&self, batch: &str) -> Value {
        let mut results = Vec::new();
        for page in 1.. {
            let answer = self
                .get(&format!("{BATCHES}/{batch}/responses?page={page}"))
                .await;
            results.extend(answer["results"].as_array().unwrap().iter().cloned());
            if results.len() as u64 >= answer["meta"]["count"].as_u64().unwrap() {
                break;
            }
        }
        json!({"results": results, "meta": {"count": results.len()}})
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let (status, body) = self.send(reqwest::Method::POST, path, Some(body)).await;
        assert!((200..300).contains(&status), "{path}: {status} {body}");
        body
    }

    async fn download(&self, url: &str) -> Vec<u8> {
        self.client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    }

    /// Runs a batch of `TASKS` reviews with a single choice, a multi-select with
    /// explanations, a free-text and a number question through to finished submissions.
    async fn finished_batch(&self) -> String {
        let workspace = PracticeWorkspace::default();
        let dataset = self
            .post(
                "/api/v1/data-collection/datasets",
                json!({"name": "Reviews", "workspace_id": workspace.id}),
            )
            .await;
        let dataset = dataset["id"].as_str().unwrap().to_owned();
        let upload = self
            .get(&format!(
                "/api/v1/data-collection/datasets/{dataset}/upload-url/reviews.csv"
            ))
            .await;
        let mut csv = String::from("id,review_text\n");
        for row in 1..=TASKS {
            csv.push_str(&format!("{row},\"Review number {row}, quite good\"\n"));
        }
        let put = self
            .client
            .put(upload["upload_url"].as_str().unwrap())
            .header("Content-Type", upload["content_type"].as_str().unwrap())
            .body(csv)
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success());
        let batch = self
            .post(
                BATCHES,
                json!({"name": "Reviews", "workspace_id": workspace.id, "dataset_id": dataset,
                       "task_details": {"task_name": "Rate", "task_introduction": "<p>Hi</p>",
                                        "task_steps": "<p>Rate</p>"},
                       "batch_items": [{"rows": [{"columns": [{"items": [
                           {"type": "multiple_choice", "description": "How does it feel?", "answer_limit": 1,
                            "options": [{"label": "Positive", "value": "pos"}, {"label": "Negative", "value": "neg"},
                                        {"label": "Mixed", "value": "mixed"}]},
                           {"type": "multiple_choice_with_free_text", "description": "What is wrong?", "answer_limit": -1,
                            "options": [{"label": "Typos", "value": "typos", "heading": "Which?"},
                                        {"label": "Off topic", "value": "off", "heading": "How?"},
                                        {"label": "Nothing", "value": "none", "heading": "Else?", "exclusive": true}]},
                           {"type": "free_text", "description": "Summarise it"},
                           {"type": "free_text_with_unit", "description": "How many stars?",
                            "unit_position": "suffix", "default_unit": "stars",
                            "unit_options": [{"label": "stars", "value": "stars",
                                              "validation": {"type": "number", "min": 1, "max": 5}}]}
                       ]}]}]}]}),
            )
            .await;
        let batch = batch["id"].as_str().unwrap().to_owned();
        self.post(
            &format!("{BATCHES}/{batch}/setup"),
            json!({"dataset_id": dataset, "tasks_per_group": TASKS_PER_GROUP}),
        )
        .await;
        assert_eq!(
            self.get(&format!("{BATCHES}/{batch}")).await["status"],
            "READY"
        );
        let study = self
            .post(
                "/api/v1/studies/",
                json!({
                    "name": "Rate reviews", "internal_name": "Practice run",
                    "description": "<p>Rate some reviews.</p>",
                    "data_collection_method": "AI_TASK_BUILDER_BATCH", "data_collection_id": batch,
                    "data_collection_metadata": {"annotators_per_task": ANNOTATORS},
                    "project": workspace.default_project_id,
                    "prolific_id_option": "question", "estimated_completion_time": 5, "reward": 100,
                    "device_compatibility": ["desktop"], "peripheral_requirements": [], "filters": [],
                    "submissions_config": {"max_submissions_per_participant": 1}
                }),
            )
            .await;
        let study = study["id"].as_str().unwrap().to_owned();
        self.post(
            &format!("/api/v1/studies/{study}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
        batch
    }
}

fn zip_file(zip: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn check_counts(analysis: &Analysis) {
    assert_eq!(analysis.item_count, TASKS);
    assert_eq!(
        analysis.participant_count,
        TASKS / TASKS_PER_GROUP * ANNOTATORS
    );
    assert_eq!(analysis.answer_count, u64::from(TASKS * ANNOTATORS * 4));
    assert_eq!(
        (analysis.skipped_records, analysis.duplicate_answers),
        (0, 0)
    );
    let kinds: Vec<QuestionKind> = analysis.questions.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::MultipleChoice,
            QuestionKind::MultipleChoiceWithFreeText,
            QuestionKind::FreeText,
            QuestionKind::FreeTextWithUnit,
        ]
    );
    // Every question got an answer from every person on every item.
    for question in &analysis.questions {
        assert_eq!(question.answer_count, u64::from(TASKS * ANNOTATORS));
        assert_eq!(question.items_answered, TASKS);
    }
    // Simulated participants answer numbers within the question's bounds.
    let stars = analysis.questions[3].numbers.as_ref().unwrap();
    assert_eq!(stars.unit.as_deref(), Some("stars"));
    assert_eq!(stars.unit_for_one.as_deref(), Some("star"));
    assert_eq!(
        stars.count,
        u64::from(TASKS * ANNOTATORS),
        "every answer a number"
    );
    assert!(
        stars.min.unwrap() >= 1.0 && stars.max.unwrap() <= 5.0,
        "{stars:?}"
    );
    let (mean, median) = (stars.mean.unwrap(), stars.median.unwrap());
    assert!((1.0..=5.0).contains(&mean) && (1.0..=5.0).contains(&median));
    for question in &analysis.questions[..2] {
        let agreement = question.agreement.as_ref().unwrap();
        assert_eq!(agreement.items_rated, TASKS);
        assert_eq!(question.items.len() as u32, TASKS);
        assert!(
            question
                .items
                .iter()
                .all(|item| item.consolidated.votes_cast == ANNOTATORS)
        );
    }
}

#[tokio::test]
async fn the_practice_servers_responses_export_and_report_analyse_alike() {
    let api = Api::start(0.2).await;
    let batch = api.finished_batch().await;

    let responses = api.all_responses(&batch).await;
    let from_json = read_responses_json(responses.to_string().as_bytes()).unwrap();
    let from_json = analyse(&from_json, &AnalysisOptions::default());
    check_counts(&from_json);

    let export = api
        .post(&format!("{BATCHES}/{batch}/export"), json!({}))
        .await;
    let zip = api.download(export["url"].as_str().unwrap()).await;
    let export = read_export_zip(std::io::Cursor::new(zip.clone())).unwrap();
    let mut names: Vec<&str> = export.question_names.values().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "How does it feel?",
            "How many stars?",
            "Summarise it",
            "What is wrong?"
        ]
    );
    assert_eq!(
        analyse(&export.responses, &AnalysisOptions::default()),
        analyse(
            &read_responses_jsonl(zip_file(&zip, "responses-by-task.jsonl").as_bytes()).unwrap(),
            &AnalysisOptions::default()
        ),
        "read straight out of the archive"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut by_task = String::new();
    archive
        .by_name("responses-by-task.jsonl")
        .unwrap()
        .read_to_string(&mut by_task)
        .unwrap();
    let from_export = analyse(
        &read_responses_jsonl(by_task.as_bytes()).unwrap(),
        &AnalysisOptions::default(),
    );
    check_counts(&from_export);
    // Items come in a different order in the two sources; their results do not differ.
    for (json_question, export_question) in from_json.questions[..2]
        .iter()
        .zip(&from_export.questions[..2])
    {
        // Sums in a different item order may differ in the last bit.
        let (json_agreement, export_agreement) = (
            json_question.agreement.clone().unwrap(),
            export_question.agreement.clone().unwrap(),
        );
        for (a, b) in [
            (
                json_agreement.krippendorff_alpha,
                export_agreement.krippendorff_alpha,
            ),
            (
                json_agreement.percent_agreement,
                export_agreement.percent_agreement,
            ),
        ] {
            assert!((a.unwrap() - b.unwrap()).abs() < 1e-12, "{a:?} vs {b:?}");
        }
        assert_eq!(
            (
                json_agreement.items_rated,
                json_agreement.low_agreement_items,
                json_agreement.tied_items
            ),
            (
                export_agreement.items_rated,
                export_agreement.low_agreement_items,
                export_agreement.tied_items
            )
        );
        let by_task: HashMap<&str, _> = export_question
            .items
            .iter()
            .map(|item| (item.task_id.as_str(), (&item.consolidated, &item.agreement)))
            .collect();
        for item in &json_question.items {
            assert_eq!(
                by_task[item.task_id.as_str()],
                (&item.consolidated, &item.agreement)
            );
        }
    }
    let mut by_submission = String::new();
    archive
        .by_name("responses-by-submission.jsonl")
        .unwrap()
        .read_to_string(&mut by_submission)
        .unwrap();
    let from_submissions = read_responses_jsonl(by_submission.as_bytes()).unwrap();
    assert_eq!(from_submissions.item_count() as u32, TASKS);

    // The report supplies the original data columns for the tidy CSV.
    let report = api.get(&format!("{BATCHES}/{batch}/report/")).await;
    let report = api.download(report["url"].as_str().unwrap()).await;
    let original = OriginalData::from_report_csv(&report[..]).unwrap();
    assert_eq!(original.columns, ["id", "review_text"]);
    assert_eq!(original.rows.len() as u32, TASKS);
    let folder = batchdesk_test_support::temp_folder();
    let tidy = folder.path().join("results.csv");
    let summary = write_tidy_csv(
        &tidy,
        &export.responses,
        &from_export,
        Some(&original),
        &export.question_names,
    )
    .unwrap();
    let bytes = std::fs::read(&tidy).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "opens in Excel as UTF-8"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header[..4],
        [
            "task_id",
            "id",
            "review_text",
            "How does it feel? [majority answer]"
        ]
    );
    for column in [
        "How does it feel? [support]",
        "How does it feel? [agreement]",
        "How does it feel? [tied answers]",
        "What is wrong? [explanations]",
        "Summarise it [answers]",
        "Summarise it [number of answers]",
        "How many stars? [mean]",
        "How many stars? [median]",
        "How many stars? [answers]",
    ] {
        assert!(
            header.iter().any(|name| name == column),
            "{column} in {header:?}"
        );
    }
    assert_eq!(summary.rows, TASKS);
    assert_eq!((summary.unanswered_rows, summary.items_not_in_data), (0, 0));
    assert_eq!(
        summary.columns,
        3 + 7 + 8 + 2 + 5,
        "task id, 2 data columns, a choice, an explained choice (each with its consensus), a text and a number question"
    );
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let (text, count, mean) = (
        column("Summarise it [answers]"),
        column("Summarise it [number of answers]"),
        column("How many stars? [mean]"),
    );
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(row[text].split(" | ").count() as u32, ANNOTATORS, "{row:?}");
        assert_eq!(row[count], ANNOTATORS.to_string());
        let mean: f64 = row[mean].parse().unwrap();
        assert!((1.0..=5.0).contains(&mean), "{row:?}");
    }
}

#[tokio::test]
async fn participants_who_never_disagree_give_perfect_single_choice_agreement() {
    let api = Api::start(0.0).await;
    let batch = api.finished_batch().await;
    let responses = api.all_responses(&batch).await;
    let analysis = analyse(
        &read_responses_json(responses.to_string().as_bytes()).unwrap(),
        &AnalysisOptions::default(),
    );
    let sentiment = analysis.questions[0].agreement.as_ref().unwrap();
    assert_eq!(sentiment.percent_agreement, Some(1.0));
    // Every item agrees; alpha is 1 if the items' answers differ, undefined if not.
    assert!(matches!(sentiment.krippendorff_alpha, Some(1.0) | None));
    assert_eq!(sentiment.low_agreement_items, 0);
    assert!(
        analysis.questions[0]
            .items
            .iter()
            .all(|item| item.consolidated.support == Some(1.0))
    );
}
