//! A study's demographic export against the practice server over real HTTP: the CSV of
//! everyone who took part, its usage, the filter limit checked before sending, and a
//! failing export retried without using up another combination.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_practice::{Fault, FaultScope, Times};
use batchdesk_prolific::{MOST_DEMOGRAPHIC_EXPORT_FILTERS, ProlificError};
use serde_json::json;
use support::practice::{new_study, ready_batch, start};

#[tokio::test]
async fn everyone_who_took_part_comes_as_csv_and_a_retry_uses_no_second_combination() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    // 4 rows in groups of 2, 3 people each: 6 submissions.
    let batch = ready_batch(&client, dir.path(), 4, 2).await;
    let study = client
        .create_study(&new_study(&batch, "demographics", 3))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();
    let usage = client.demographic_export_history(&study.id).await.unwrap();
    assert_eq!((usage.count, usage.combinations_left()), (0, 2));

    let route = "/api/v1/studies/{id}/demographic-export/";
    server.faults().inject(
        Fault::ServerError { status: 500 },
        FaultScope::route(route).method("POST"),
        Times::Next(1),
    );
    server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(route).method("POST"),
        Times::Next(1),
    );
    let csv = client.demographic_export(&study.id, &[]).await.unwrap();
    // A header and one line per person (the practice server quotes no line breaks).
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.split(',').any(|h| h == "Participant id"), "{header}");
    assert_eq!(lines.count(), 6, "{csv}");
    let usage = client.demographic_export_history(&study.id).await.unwrap();
    assert_eq!((usage.count, usage.combinations_left()), (1, 1));

    let too_many = vec![json!({"filter_id": "age"}); MOST_DEMOGRAPHIC_EXPORT_FILTERS + 1];
    let refused = client.demographic_export(&study.id, &too_many).await;
    assert!(
        matches!(refused, Err(ProlificError::Validation { .. })),
        "{refused:?}"
    );
    let unknown = client
        .demographic_export("64395e9c2332b8a59a65d51e", &[])
        .await;
    assert!(
        matches!(unknown, Err(ProlificError::NotFound { .. })),
        "{unknown:?}"
    );
}
