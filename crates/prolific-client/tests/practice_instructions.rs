//! The deprecated instructions endpoints against the practice server over real HTTP:
//! written and read on a batch without a layout, refused on one with a layout, and
//! Prolific's deprecation headers surfaced as one warning per endpoint.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{NewBatch, ResponseType, TaskDetails};
use serde_json::json;
use support::practice::{ready_batch, start, workspace_id};

#[tokio::test]
async fn legacy_instructions_are_written_read_and_flagged_as_deprecated() {
    let (_server, client, _) = start().await;
    let legacy = client
        .create_batch(&NewBatch {
            name: "Legacy".into(),
            workspace_id: workspace_id(),
            task_details: TaskDetails {
                task_name: "t".into(),
                task_introduction: "i".into(),
                task_steps: "s".into(),
            },
            dataset_id: None,
            batch_items: None,
            auto_sync_enabled: None,
        })
        .await
        .unwrap();
    let added = client
        .add_legacy_instructions(
            &legacy.id,
            &[
                json!({"type": "multiple_choice", "description": "Positive?", "answer_limit": 1,
                       "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]}),
                json!({"type": "free_text", "description": "Why?"}),
            ],
        )
        .await
        .unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(added[0].kind, ResponseType::MultipleChoice);
    let kept = added[1].id.clone().unwrap();

    // A replacement keeps what it names by id and drops the rest.
    let replaced = client
        .replace_legacy_instructions(
            &legacy.id,
            &[json!({"id": kept, "type": "free_text", "description": "Why, in a sentence?"})],
        )
        .await
        .unwrap();
    assert_eq!(replaced[0].id.as_deref(), Some(kept.as_str()));
    let listed = client.legacy_instructions(&legacy.id).await.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        listed.items[0].description.as_deref(),
        Some("Why, in a sentence?")
    );

    let error = client
        .add_legacy_instructions(&legacy.id, &[json!({"type": "ranking"})])
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );

    // A batch with a layout has no legacy instructions: 422.
    let dir = tempfile::tempdir().unwrap();
    let modern = ready_batch(&client, dir.path(), 2, 1).await;
    let error = client.legacy_instructions(&modern.id).await.unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );

    let warnings = client.warnings();
    let endpoints: Vec<&str> = warnings
        .iter()
        .map(|warning| warning.endpoint.as_str())
        .collect();
    let path = format!("/api/v1/data-collection/batches/{}/instructions", legacy.id);
    for method in ["GET", "POST", "PUT"] {
        assert!(
            endpoints.contains(&format!("{method} {path}").as_str()),
            "{endpoints:?}"
        );
    }
    assert!(
        warnings
            .iter()
            .all(|warning| warning.sunset.as_deref() == Some("Tue, 01 Sep 2026 23:59:59 GMT"))
    );
}
