//! The whole researcher's flow over real HTTP, as the app drives it: dataset → upload →
//! READY → batch with every question type → setup → READY → study → publish →
//! simulated participants → responses, CSV report and ZIP export, with the counts that
//! follow from the data (24 reviews, 4 tasks a group, 3 annotators a task, 5 questions).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use common::{Api, sample, study_body, workspace_id};
use serde_json::{Value, json};

const BATCHES: &str = "/api/v1/data-collection/batches";
const TASKS: usize = 24;
const TASKS_PER_GROUP: usize = 4;
const GROUPS: usize = TASKS / TASKS_PER_GROUP;
const ANNOTATORS: usize = 3;
const PLACES: usize = GROUPS * ANNOTATORS;
const QUESTIONS: usize = 5;

fn layout() -> Value {
    json!([{ "rows": [
        { "columns": [{ "items": [
            {"type": "rich_text", "content": "<p>Read the review, then answer.</p>"},
            {"type": "multiple_choice", "description": "How does the review feel?", "answer_limit": 1,
             "options": [{"label": "Positive", "value": "pos"}, {"label": "Negative", "value": "neg"},
                         {"label": "Mixed", "value": "mixed"}]},
            {"type": "multiple_choice_with_free_text", "description": "What is wrong with it?", "answer_limit": -1,
             "options": [{"label": "Typos", "value": "typos", "heading": "Which typos?"},
                         {"label": "Off topic", "value": "off", "heading": "How is it off topic?"},
                         {"label": "Nothing", "value": "none", "heading": "Anything else?", "exclusive": true}]},
            {"type": "free_text", "description": "Summarise the review", "validation": {"type": "string", "min": 20, "max": 120}},
            {"type": "free_text_with_unit", "description": "What would you pay?", "unit_position": "prefix",
             "unit_options": [{"label": "£", "value": "gbp", "validation": {"type": "number", "min": 1, "max": 50}},
                              {"label": "$", "value": "usd"}], "default_unit": "gbp"},
            {"type": "file_upload", "description": "A screenshot of a similar product", "min_file_count": 1,
             "max_file_count": 2, "accepted_file_types": [".png", ".jpg"], "max_file_size_mb": 5}
        ]}]}
    ]}])
}

#[tokio::test]
async fn dataset_to_export_with_the_right_counts() {
    let api = Api::start().await;
    let workspace = workspace_id();

    // Dataset, uploaded and processed.
    let dataset = api.create_v3_dataset().await;
    api.upload(&dataset, "reviews.csv", sample("reviews.csv"))
        .await;
    let ready = api.dataset(&dataset).await;
    assert_eq!(ready["status"], "READY");
    assert_eq!(ready["total_datapoint_count"], TASKS);

    // Batch, set up into tasks.
    let (status, batch) = api
        .post(
            BATCHES,
            json!({"name": "Review sentiment", "workspace_id": workspace, "dataset_id": dataset,
                   "task_details": {"task_name": "Rate reviews", "task_introduction": "<p>Hi</p>",
                                    "task_steps": "<ol><li>Read</li></ol>"},
                   "batch_items": layout()}),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    let batch_id = batch["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("{BATCHES}/{batch_id}/setup"),
            json!({"dataset_id": dataset, "tasks_per_group": TASKS_PER_GROUP}),
        )
        .await;
    assert_eq!(status, 202);
    let (_, batch) = api.get(&format!("{BATCHES}/{batch_id}")).await;
    assert_eq!(batch["status"], "READY");
    assert_eq!(batch["total_task_groups"], GROUPS);
    assert_eq!(batch["total_instruction_count"], QUESTIONS);

    // Study, published; with no pace every place fills by the next read.
    let mut body = study_body(&batch_id);
    body["data_collection_metadata"] = json!({"annotators_per_task": ANNOTATORS});
    let (status, study) = api.post("/api/v1/studies/", body).await;
    assert_eq!(status, 201, "{study}");
    assert_eq!(study["total_available_places"], PLACES);
    let study_id = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{study_id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, study) = api.get(&format!("/api/v1/studies/{study_id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW");
    let (_, counts) = api
        .get(&format!("/api/v1/studies/{study_id}/submissions/counts/"))
        .await;
    assert_eq!(counts["AWAITING REVIEW"], PLACES);

    // Responses: one per (submission, task of its group, question).
    let (status, first_page) = api.get(&format!("{BATCHES}/{batch_id}/responses")).await;
    assert_eq!(status, 200);
    let results = &api
        .get_all(&format!("{BATCHES}/{batch_id}/responses"))
        .await;
    assert_eq!(results.len(), PLACES * TASKS_PER_GROUP * QUESTIONS);
    assert_eq!(first_page["meta"]["count"], results.len());
    let submissions: BTreeSet<&str> = results
        .iter()
        .map(|response| response["submission_id"].as_str().unwrap())
        .collect();
    assert_eq!(submissions.len(), PLACES);
    let mut per_task: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for response in results {
        per_task
            .entry(response["task_id"].as_str().unwrap())
            .or_default()
            .insert(response["participant_id"].as_str().unwrap());
    }
    assert_eq!(per_task.len(), TASKS);
    assert!(per_task.values().all(|people| people.len() == ANNOTATORS));
    let types: BTreeSet<&str> = results
        .iter()
        .map(|response| response["response"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), QUESTIONS, "{types:?}");
    for response in results {
        let answer = response["response"]["answer"].as_array().unwrap();
        assert!(!answer.is_empty(), "{response}");
        match response["response"]["type"].as_str().unwrap() {
            "multiple_choice_with_free_text" => {
                if answer.iter().any(|item| item["value"] == "none") {
                    assert_eq!(answer.len(), 1);
                }
                assert!(answer.iter().all(|item| item["explanation"].is_string()));
            }
            "free_text" => {
                let length = answer[0]["value"].as_str().unwrap().chars().count();
                assert!((20..=120).contains(&length), "{length}");
            }
            "free_text_with_unit" => assert!(answer[0]["unit"].is_string()),
            "file_upload" => assert!(answer.len() <= 2 && answer[0]["file_key"].is_string()),
            _ => {}
        }
    }
    // The task and task-group lists the CLI reads (not in the spec) agree.
    let (status, task_ids) = api.get(&format!("{BATCHES}/{batch_id}/tasks")).await;
    assert_eq!(status, 200);
    let listed: BTreeSet<&str> = task_ids
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    let answered: BTreeSet<&str> = per_task.keys().copied().collect();
    assert_eq!(
        listed, answered,
        "every task was answered, by its listed id"
    );
    assert_eq!(listed.len(), TASKS);
    let (_, groups) = api.get(&format!("{BATCHES}/{batch_id}/task-groups")).await;
    assert_eq!(groups.as_array().unwrap().len(), GROUPS);
    let (status, _) = api
        .get(&format!("{BATCHES}/{}/tasks", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(status, 404);

    // Reading again gives the same answers.
    let again = api
        .get_all(&format!("{BATCHES}/{batch_id}/responses"))
        .await;
    assert_eq!(&again, results);

    // The CSV report, fetched from its presigned URL without the token.
    let (status, report) = api.get(&format!("{BATCHES}/{batch_id}/report/")).await;
    assert_eq!(status, 200);
    assert_eq!(report["http_method"], "GET");
    let csv = reqwest::get(report["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "task_id",
        "id",
        "review_text",
        "participant_id",
        "submission_id",
    ] {
        assert!(header.contains(&column.to_owned()), "{header:?}");
    }
    assert!(header.iter().any(|column| column.starts_with("Q1 ")));
    assert_eq!(reader.records().count(), TASKS * ANNOTATORS);

    // The ZIP export.
    let (status, export) = api
        .post(&format!("{BATCHES}/{batch_id}/export"), json!({}))
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["status"], "complete");
    let (_, polled) = api
        .get(&format!(
            "{BATCHES}/{batch_id}/export/{}",
            export["export_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(polled["status"], "complete");
    let bytes = reqwest::get(polled["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert_eq!(
        read("responses-by-submission.jsonl").lines().count(),
        PLACES
    );
    assert_eq!(read("responses-by-task.jsonl").lines().count(), TASKS);
    let summary: Value = serde_json::from_str(&read("batch.json")).unwrap();
    assert_eq!(summary["total_response_count"], results.len());
    assert_eq!(summary["id"], batch_id);

    // Review: approve everything, and the study completes.
    let ids: Vec<&str> = submissions.into_iter().collect();
    let (status, _) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({ "submission_ids": ids }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, study) = api.get(&format!("/api/v1/studies/{study_id}/")).await;
    assert_eq!(study["status"], "COMPLETED");
}

#[tokio::test]
async fn a_share_of_participants_disagree_and_none_do_when_the_share_is_zero() {
    async fn agreement(disagreement: f64) -> (usize, usize) {
        let api = Api::with(batchdesk_practice::PracticeConfig {
            processing_delay: std::time::Duration::ZERO,
            participant_pace: std::time::Duration::ZERO,
            disagreement,
            seed: 11,
            ..batchdesk_practice::PracticeConfig::default()
        })
        .await;
        let dataset = api.ready_v3_dataset("reviews.csv").await;
        let (_, batch) = api
            .post(
                BATCHES,
                json!({"name": "Agree", "workspace_id": workspace_id(), "dataset_id": dataset,
                       "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"},
                       "batch_items": layout()}),
            )
            .await;
        let batch_id = batch["id"].as_str().unwrap();
        api.post(
            &format!("{BATCHES}/{batch_id}/setup"),
            json!({"tasks_per_group": 4}),
        )
        .await;
        let mut body = study_body(batch_id);
        body["data_collection_metadata"] = json!({"annotators_per_task": 5});
        let (_, study) = api.post("/api/v1/studies/", body).await;
        api.post(
            &format!(
                "/api/v1/studies/{}/transition/",
                study["id"].as_str().unwrap()
            ),
            json!({"action": "PUBLISH"}),
        )
        .await;
        let responses = api
            .get_all(&format!("{BATCHES}/{batch_id}/responses"))
            .await;
        let mut by_task: HashMap<String, BTreeSet<String>> = HashMap::new();
        for response in &responses {
            if response["response"]["type"] == "multiple_choice" {
                by_task
                    .entry(response["task_id"].to_string())
                    .or_default()
                    .insert(response["response"]["answer"][0]["value"].to_string());
            }
        }
        let unanimous = by_task
            .values()
            .filter(|answers| answers.len() == 1)
            .count();
        (unanimous, by_task.len())
    }
    let (unanimous, tasks) = agreement(0.0).await;
    assert_eq!(unanimous, tasks, "nobody disagrees");
    let (unanimous, tasks) = agreement(0.5).await;
    assert!(
        unanimous < tasks,
        "some tasks split: {unanimous} of {tasks}"
    );
}
