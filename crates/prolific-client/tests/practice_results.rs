//! A batch's results against the practice server over real HTTP: the responses as
//! JSON, the CSV report and the ZIP export downloaded into place, and what faults on
//! the way do to them.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use batchdesk_practice::{Fault, FaultScope, Times};
use batchdesk_prolific::models::{Batch, ResponseType};
use batchdesk_prolific::{Client, TransferError};
use support::practice::{new_study, poll, quiet, ready_batch, start};

/// 4 reviews in groups of 2 (2 task groups), 3 annotators each: 6 submissions, and
/// 4 tasks × 3 annotators × 2 questions = 24 response records.
async fn answered_batch(client: &Client, dir: &Path) -> Batch {
    let batch = ready_batch(client, dir, 4, 2).await;
    let study = client
        .create_study(&new_study(&batch, "results", 3))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();
    batch
}

/// Files in `dir` other than the CSVs the helpers wrote.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("reviews-"))
        .collect()
}

#[tokio::test]
async fn responses_report_and_export_arrive_whole() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = answered_batch(&client, dir.path()).await;

    let responses = client.batch_responses(&batch.id).await.unwrap();
    assert!(!responses.possibly_truncated);
    assert_eq!(responses.items.len(), 24);
    let choices = responses
        .items
        .iter()
        .filter(|record| record.response.kind == ResponseType::MultipleChoice)
        .count();
    assert_eq!(choices, 12);
    assert!(
        responses
            .items
            .iter()
            .all(|record| record.batch_id == batch.id)
    );
    let chosen = &responses
        .items
        .iter()
        .find(|record| record.response.kind == ResponseType::MultipleChoice)
        .unwrap()
        .response
        .answer;
    let value = chosen[0]
        .value
        .as_ref()
        .and_then(|value| value.as_str())
        .unwrap();
    assert!(["positive", "negative"].contains(&value), "{value}");

    let report = dir.path().join("report.csv");
    let bytes = client
        .download_batch_report(&batch.id, &report, quiet())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    assert_eq!(bytes, text.len() as u64);
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("task_id,"), "{text}");
    // One row per task and annotator.
    assert_eq!(lines.count(), 12, "{text}");

    let export = dir.path().join("export.zip");
    let bytes = client
        .download_batch_export(&batch.id, &export, &poll(), quiet())
        .await
        .unwrap();
    let zip = std::fs::read(&export).unwrap();
    assert_eq!(bytes, zip.len() as u64);
    assert!(zip.starts_with(b"PK\x03\x04"));
    for name in [
        "responses-by-submission.jsonl",
        "responses-by-task.jsonl",
        "batch.json",
    ] {
        assert!(
            zip.windows(name.len())
                .any(|window| window == name.as_bytes()),
            "{name} in the archive"
        );
    }
    let mut left = leftovers(dir.path());
    left.sort();
    assert_eq!(
        left,
        ["export.zip", "report.csv"],
        "no temporary files left"
    );
}

#[tokio::test]
async fn passing_faults_on_results_are_retried() {
    let (server, client, clock) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = answered_batch(&client, dir.path()).await;
    let faults = server.faults();
    let results = "/api/v1/data-collection/batches/{batch_id}";
    faults.inject(
        Fault::ServerError { status: 503 },
        FaultScope::route(format!("{results}/responses")),
        Times::Next(1),
    );
    faults.inject(
        Fault::DropConnection,
        FaultScope::route(format!("{results}/report/")),
        Times::Next(1),
    );
    faults.inject(
        Fault::RateLimited {
            retry_after_seconds: Some(1),
        },
        FaultScope::route(format!("{results}/export")).method("POST"),
        Times::Next(1),
    );
    // Requesting an export is answered the same way when repeated, so even a 500 is
    // retried.
    faults.inject(
        Fault::ServerError { status: 500 },
        FaultScope::route(format!("{results}/export")).method("POST"),
        Times::Next(1),
    );
    faults.inject(
        Fault::ServerError { status: 500 },
        FaultScope::route("/practice-storage/*").method("GET"),
        Times::Next(2),
    );

    assert_eq!(
        client.batch_responses(&batch.id).await.unwrap().items.len(),
        24
    );
    client
        .download_batch_report(&batch.id, &dir.path().join("report.csv"), quiet())
        .await
        .unwrap();
    client
        .download_batch_export(&batch.id, &dir.path().join("export.zip"), &poll(), quiet())
        .await
        .unwrap();
    assert!(
        faults.active().is_empty(),
        "every fault was met: {:?}",
        faults.active()
    );
    assert_eq!(clock.slept().len(), 6, "{:?}", clock.slept());
}

#[tokio::test]
async fn a_download_that_keeps_failing_leaves_nothing_behind() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = answered_batch(&client, dir.path()).await;
    server.faults().inject(
        Fault::ServerError { status: 503 },
        FaultScope::route("/practice-storage/*").method("GET"),
        Times::Always,
    );
    let report = dir.path().join("report.csv");
    let error = client
        .download_batch_report(&batch.id, &report, quiet())
        .await
        .unwrap_err();
    assert!(
        matches!(error, TransferError::Storage { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "transfer.storage");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );

    // An unknown batch is a plain not-found, for each of the three.
    let unknown = "0192a3b5-e8f9-7a0b-8000-000000000000";
    let error = client.batch_responses(unknown).await.unwrap_err();
    assert_eq!(error.code(), "prolific.not_found");
    let error = client
        .download_batch_report(unknown, &report, quiet())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "prolific.not_found");
    let error = client
        .download_batch_export(unknown, &report, &poll(), quiet())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "prolific.not_found");
    assert!(leftovers(dir.path()).is_empty());
}
