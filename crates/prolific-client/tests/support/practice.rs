//! A practice server with a client for it, and the steps that bring a batch to
//! `READY`, shared by the tests of studies, submissions and results.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::models::{
    Batch, BatchSetup, NewBatch, NewDataset, NewStudy, ProcessingStatus, TaskDetails,
};
use batchdesk_prolific::{ApiBase, ApiToken, Client, ClientOptions, PollPolicy, Progress};
use serde_json::json;

use super::{RecordingClock, fast_options};

pub fn workspace_id() -> String {
    PracticeConfig::default().workspace.id
}

pub fn project_id() -> String {
    PracticeConfig::default().workspace.default_project_id
}

/// Processing and participants take no time; the client's retry waits are recorded,
/// not slept.
pub async fn start() -> (PracticeServer, Client, Arc<RecordingClock>) {
    start_with(PracticeConfig {
        participant_pace: Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await
}

pub async fn start_with(config: PracticeConfig) -> (PracticeServer, Client, Arc<RecordingClock>) {
    let server = batchdesk_test_support::practice::start(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..config
    })
    .await;
    let (options, clock) = fast_options(5);
    let client = client_for(&server.base_url(), server.token(), options);
    (server, client, clock)
}

pub fn client_for(base_url: &str, token: &str, options: ClientOptions) -> Client {
    Client::with_options(
        ApiBase::parse(base_url).unwrap(),
        &ApiToken::new(token),
        options,
    )
    .unwrap()
}

pub fn quiet() -> Progress {
    Arc::new(|_, _| {})
}

pub fn poll() -> PollPolicy {
    PollPolicy {
        interval: Duration::from_secs(3),
        timeout: Duration::from_secs(60),
        max_consecutive_errors: 3,
    }
}

/// Two questions: a single choice (positive/negative) and a free text.
pub fn layout() -> Vec<serde_json::Value> {
    vec![json!({"rows": [{"columns": [{"items": [
        {"type": "multiple_choice", "description": "Is this review positive?", "answer_limit": 1,
         "options": [{"label": "Positive", "value": "positive"},
                     {"label": "Negative", "value": "negative"}]},
        {"type": "free_text", "description": "Why?"}
    ]}]}]})]
}

/// A V3 dataset of `rows` reviews, uploaded and `READY`, in a new batch not yet set up.
pub async fn batch_with_data(client: &Client, dir: &Path, rows: usize) -> Batch {
    let dataset = client
        .create_dataset(&NewDataset {
            name: format!("Reviews {rows}"),
            workspace_id: workspace_id(),
            schema: None,
        })
        .await
        .unwrap();
    let mut csv = String::from("text,META_id\n");
    for row in 0..rows {
        csv.push_str(&format!("Review number {row},{row}\n"));
    }
    let path = dir.join(format!("reviews-{}.csv", dataset.id));
    std::fs::write(&path, csv).unwrap();
    client
        .upload_dataset_file(&dataset.id, &path, quiet())
        .await
        .unwrap();
    assert_eq!(
        client.wait_for_dataset(&dataset.id, &poll()).await.unwrap(),
        ProcessingStatus::Ready
    );
    client
        .create_batch(&NewBatch {
            name: format!("Batch for {}", dataset.id),
            workspace_id: workspace_id(),
            task_details: TaskDetails {
                task_name: "Rate reviews".into(),
                task_introduction: "<p>Read each review.</p>".into(),
                task_steps: "<ol><li>Read</li><li>Rate</li></ol>".into(),
            },
            dataset_id: Some(dataset.id.clone()),
            batch_items: Some(layout()),
            auto_sync_enabled: None,
        })
        .await
        .unwrap()
}

/// [`batch_with_data`], set up into groups of `tasks_per_group` and `READY`.
pub async fn ready_batch(client: &Client, dir: &Path, rows: usize, tasks_per_group: u32) -> Batch {
    let batch = batch_with_data(client, dir, rows).await;
    client
        .setup_batch(
            &batch.id,
            &BatchSetup {
                dataset_id: None,
                tasks_per_group: Some(tasks_per_group),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client.wait_for_batch(&batch.id, &poll()).await.unwrap(),
        ProcessingStatus::Ready
    );
    client.batch(&batch.id).await.unwrap()
}

/// A study of `batch` in the practice project: 100p per participant, 5 minutes.
pub fn new_study(batch: &Batch, internal_name: &str, annotators: u64) -> NewStudy {
    let mut study = NewStudy::for_batch(
        &batch.id,
        &project_id(),
        "Rate some reviews",
        internal_name,
        annotators,
        100,
        5,
    );
    study.description = "<p>Read short reviews and say how they feel.</p>".into();
    study
}
