//! Datasets, uploads and batches against the practice server, over real HTTP.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::models::{
    BatchSetup, BatchUpdate, DatasetSchema, FieldType, ImportStatus, NewBatch, NewDataset,
    ProcessingStatus, SchemaField, TaskDetails,
};
use batchdesk_prolific::{
    ApiBase, ApiToken, Client, ClientOptions, Clock, PollPolicy, Progress, ProlificError,
    RetryPolicy, TransferError,
};

mod support;

use serde_json::json;
use support::RecordingClock;

async fn practice(config: PracticeConfig) -> (PracticeServer, Client) {
    let server = PracticeServer::start(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..config
    })
    .await
    .unwrap();
    let options = ClientOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::with_options(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(server.token()),
        options,
    )
    .unwrap();
    (server, client)
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

type Reports = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

fn recording_progress() -> (Progress, Reports) {
    let seen: Reports = Arc::default();
    let sink = Arc::clone(&seen);
    let progress: Progress = Arc::new(move |sent, total| sink.lock().unwrap().push((sent, total)));
    (progress, seen)
}

fn details() -> TaskDetails {
    TaskDetails {
        task_name: "Rate reviews".into(),
        task_introduction: "<p>Read each review.</p>".into(),
        task_steps: "<ol><li>Read</li><li>Rate</li></ol>".into(),
    }
}

fn free_text_layout() -> Vec<serde_json::Value> {
    vec![json!({"rows": [{"columns": [{"items": [
        {"type": "free_text", "description": "What is the tone of this review?"}
    ]}]}]})]
}

#[tokio::test]
async fn a_v3_dataset_is_created_uploaded_and_made_into_a_batch() {
    let (_server, client) = practice(PracticeConfig::default()).await;
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Reviews".into(),
            workspace_id: workspace.id.clone(),
            schema: None,
        })
        .await
        .unwrap();
    assert_eq!(dataset.status, Some(ProcessingStatus::Uninitialised));
    assert!(!dataset.is_v4());
    assert_eq!(
        client.dataset_status(&dataset.id).await.unwrap(),
        ProcessingStatus::Uninitialised
    );

    let dir = batchdesk_test_support::temp_folder();
    let csv = "text,META_source\nGreat product,web\nBroke in a day,shop\nFine,web\n";
    let path = write(dir.path(), "reviews.csv", csv);
    let (progress, seen) = recording_progress();
    let receipt = client
        .upload_dataset_file(&dataset.id, &path, progress)
        .await
        .unwrap();
    assert_eq!(receipt.bytes, csv.len() as u64);
    assert_eq!(receipt.attempts, 1);
    assert_eq!(receipt.import_id, None);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.last(),
        Some(&(csv.len() as u64, Some(csv.len() as u64)))
    );

    assert_eq!(
        client.dataset_status(&dataset.id).await.unwrap(),
        ProcessingStatus::Ready
    );
    let fetched = client.dataset(&dataset.id).await.unwrap();
    assert_eq!(fetched.total_datapoint_count, Some(3));
    assert_eq!(fetched.filename.as_deref(), Some("reviews.csv"));

    let batch = client
        .create_batch(&NewBatch {
            name: "Reviews batch".into(),
            workspace_id: workspace.id.clone(),
            task_details: details(),
            dataset_id: Some(dataset.id.clone()),
            batch_items: Some(free_text_layout()),
            auto_sync_enabled: None,
        })
        .await
        .unwrap();
    assert_eq!(batch.status, Some(ProcessingStatus::Uninitialised));
    assert_eq!(batch.schema_version.as_ref().unwrap().number(), Some(1));
    assert_eq!(batch.datasets[0].id, dataset.id);

    let listed = client.batches(&workspace.id).await.unwrap();
    assert_eq!(listed.items, std::slice::from_ref(&batch));
    assert_eq!(client.batch(&batch.id).await.unwrap(), batch);

    let renamed = client
        .update_batch(
            &batch.id,
            &BatchUpdate {
                name: Some("Reviews batch (final)".into()),
                ..BatchUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Reviews batch (final)");
    assert_eq!(renamed.batch_items, batch.batch_items, "layout kept");

    client
        .setup_batch(
            &batch.id,
            &BatchSetup {
                dataset_id: None,
                tasks_per_group: Some(2),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client.batch_status(&batch.id).await.unwrap(),
        ProcessingStatus::Ready
    );
    let ready = client.batch(&batch.id).await.unwrap();
    assert_eq!(ready.total_task_count, Some(3));
    assert_eq!(ready.total_task_groups, Some(2));
}

#[tokio::test]
async fn a_v4_dataset_with_a_schema_reports_its_import() {
    let (_server, client) = practice(PracticeConfig::default()).await;
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let schema = DatasetSchema {
        strict: true,
        fields: BTreeMap::from([
            (
                "review".to_owned(),
                SchemaField {
                    kind: FieldType::Text,
                    label: Some("Review".into()),
                },
            ),
            (
                "source".to_owned(),
                SchemaField {
                    kind: FieldType::Metadata,
                    label: None,
                },
            ),
        ]),
    };
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Typed reviews".into(),
            workspace_id: workspace.id.clone(),
            schema: Some(schema.clone()),
        })
        .await
        .unwrap();
    assert!(dataset.is_v4());
    assert_eq!(dataset.schema.as_ref(), Some(&schema));

    let dir = batchdesk_test_support::temp_folder();
    let path = write(
        dir.path(),
        "reviews.jsonl",
        "{\"review\":\"Great\",\"source\":\"web\"}\n{\"review\":\"Bad\",\"source\":\"shop\"}\n{\"source\":\"x\"}\n",
    );
    let (progress, _) = recording_progress();
    let receipt = client
        .upload_dataset_file(&dataset.id, &path, progress)
        .await
        .unwrap();
    let import_id = receipt.import_id.unwrap();
    let job = client.import_job(&dataset.id, &import_id).await.unwrap();
    assert_eq!(job.status, ImportStatus::Partial);
    assert_eq!(job.accepted_count, Some(2));
    assert_eq!(job.rejected_count, Some(1));
    assert_eq!(job.errors[0].record_index, Some(2));

    // A V4 dataset has no status: Prolific's 400 comes back as a refusal.
    let error = client.dataset_status(&dataset.id).await.unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );

    let batch = client
        .create_batch(&NewBatch {
            name: "Typed batch".into(),
            workspace_id: workspace.id.clone(),
            task_details: details(),
            dataset_id: Some(dataset.id.clone()),
            batch_items: Some(vec![json!({"rows": [{"columns": [{"items": [
                {"type": "dataset_field", "field": "review"},
                {"type": "free_text", "description": "Tone?"}
            ]}]}]})]),
            auto_sync_enabled: Some(false),
        })
        .await
        .unwrap();
    assert_eq!(batch.auto_sync_enabled, Some(false));
}

#[tokio::test]
async fn a_bad_layout_is_refused_with_located_issues() {
    let (_server, client) = practice(PracticeConfig::default()).await;
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let error = client
        .create_batch(&NewBatch {
            name: "Broken".into(),
            workspace_id: workspace.id,
            task_details: details(),
            dataset_id: None,
            batch_items: Some(vec![json!({"rows": [{"columns": [{"items": [
                {"type": "rich_text", "content": "Hello"},
                {"type": "multiple_choice", "description": "Pick", "answer_limit": 3,
                 "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]}
            ]}]}]})]),
            auto_sync_enabled: None,
        })
        .await
        .unwrap_err();
    let ProlificError::Validation { issues, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        (
            issues[0].page,
            issues[0].row,
            issues[0].column,
            issues[0].item
        ),
        (Some(0), Some(0), Some(0), Some(1))
    );
    assert_eq!(issues[0].kind.as_deref(), Some("multiple_choice"));
    assert_eq!(issues[0].location(), "page 1, row 1, column 1, item 2");
    assert!(!issues[0].message.trim().is_empty(), "{error:?}");
}

#[tokio::test]
async fn an_upload_link_that_is_always_expired_ends_in_a_plain_error() {
    let (server, client) = practice(PracticeConfig {
        upload_url_ttl: Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await;
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Expiring".into(),
            workspace_id: workspace.id,
            schema: None,
        })
        .await
        .unwrap();
    let dir = batchdesk_test_support::temp_folder();
    let path = write(dir.path(), "data.csv", "text\nhello\n");
    let (progress, _) = recording_progress();
    let error = client
        .upload_dataset_file(&dataset.id, &path, progress)
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::LinkExpired), "{error:?}");
    assert_eq!(error.code(), "transfer.link_expired");
    // Nothing was stored: the dataset is still waiting for its file.
    assert_eq!(
        client.dataset_status(&dataset.id).await.unwrap(),
        ProcessingStatus::Uninitialised
    );
    drop(server);
}

#[tokio::test]
async fn an_empty_or_missing_file_is_refused_before_anything_is_sent() {
    let (_server, client) = practice(PracticeConfig::default()).await;
    let dir = batchdesk_test_support::temp_folder();
    let empty = write(dir.path(), "empty.csv", "");
    let (progress, _) = recording_progress();
    let error = client
        .upload_dataset_file(
            "0192a3b5-e8f9-7a0b-8000-000000000000",
            &empty,
            progress.clone(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::EmptyFile(_)), "{error:?}");
    let error = client
        .upload_dataset_file(
            "0192a3b5-e8f9-7a0b-8000-000000000000",
            &dir.path().join("missing.csv"),
            progress,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::File { .. }), "{error:?}");
    assert!(error.to_string().contains("missing.csv"), "{error}");
}

#[tokio::test]
async fn polling_waits_for_processing_and_gives_up_at_its_time_limit() {
    let (server, _) = practice(PracticeConfig::default()).await;
    let clock = Arc::new(RecordingClock::default());
    let client = Client::with_options(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(server.token()),
        ClientOptions {
            clock: Arc::clone(&clock) as Arc<dyn Clock>,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let new = NewDataset {
        name: "Polled".into(),
        workspace_id: workspace.id,
        schema: None,
    };
    let dir = batchdesk_test_support::temp_folder();
    let path = write(dir.path(), "data.csv", "text\nhello\n");
    let (progress, _) = recording_progress();
    let policy = PollPolicy {
        interval: Duration::from_secs(3),
        timeout: Duration::from_secs(10),
        max_consecutive_errors: 3,
    };

    // Processing is instant: the first poll sees READY, and nothing is waited for.
    let ready = client.create_dataset(&new).await.unwrap();
    client
        .upload_dataset_file(&ready.id, &path, progress.clone())
        .await
        .unwrap();
    assert_eq!(
        client.wait_for_dataset(&ready.id, &policy).await.unwrap(),
        ProcessingStatus::Ready
    );
    assert!(clock.slept().is_empty());

    // Processing takes an hour: polls at 0, 3, 6 and 9 s, then the wait ends.
    server.set_processing_delay(Duration::from_secs(3600));
    let slow = client.create_dataset(&new).await.unwrap();
    client
        .upload_dataset_file(&slow.id, &path, progress)
        .await
        .unwrap();
    assert_eq!(
        client.wait_for_dataset(&slow.id, &policy).await.unwrap(),
        ProcessingStatus::Processing
    );
    assert_eq!(clock.slept(), [Duration::from_secs(3); 3]);

    // A dataset that does not exist is not polled through.
    let error = client
        .wait_for_dataset("0192a3b5-e8f9-7a0b-8000-000000000000", &policy)
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    assert_eq!(clock.slept().len(), 3);
}
