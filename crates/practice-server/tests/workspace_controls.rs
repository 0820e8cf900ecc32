//! Workspace controls for tests and rehearsals: the balance (too little to publish) and
//! the per-workspace features (typed datasets, test participants), set through the
//! server's API in Rust and through `/_practice/workspace` over HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use batchdesk_practice::{PracticeConfig, PracticeWorkspace, WorkspaceSettings};
use common::{Api, assert_error, study_body, workspace_id};
use serde_json::json;

const CONTROL: &str = "/_practice/workspace";

fn schema() -> serde_json::Value {
    json!({"strict": true, "fields": {"text": {"type": "text"}}})
}

#[tokio::test]
async fn the_control_endpoint_reads_and_changes_the_workspace() {
    let api = Api::start().await;
    let (status, settings) = api.get(CONTROL).await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(
        settings,
        json!({"balance": 100_000, "available_balance": 100_000,
               "typed_datasets": true, "test_participants": true, "batch_layouts": true,
               "time_factor_percent": 100})
    );
    let (status, settings) = api
        .patch(CONTROL, json!({"balance": 50, "typed_datasets": false}))
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["balance"], 50);
    assert_eq!(settings["typed_datasets"], false);
    assert_eq!(settings["test_participants"], true, "left as it was");
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    assert_eq!(balance["total_balance"], 50);

    let (status, body) = api.patch(CONTROL, json!({"balance": -1})).await;
    assert_error(status, &body, 400);
    let (status, body) = api.patch(CONTROL, json!({"colour": "red"})).await;
    assert_error(status, &body, 400);
    let (status, body) = api.get_without_token(CONTROL).await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn too_little_balance_set_at_run_time_refuses_publishing() {
    let api = Api::start().await;
    let batch = api.ready_batch(3).await;
    let (_, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    let id = study["id"].as_str().unwrap();
    let settings = api.server.set_balance(100).unwrap();
    assert_eq!(
        settings,
        WorkspaceSettings {
            balance: 100,
            available_balance: 100,
            typed_datasets: true,
            test_participants: true,
            batch_layouts: true,
            time_factor_percent: 100,
            crowd_mix: None,
        }
    );
    let (status, body) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_error(status, &body, 400);
    api.server.set_balance(1_000_000).unwrap();
    let (status, study) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{study}");
}

#[tokio::test]
async fn a_workspace_without_typed_datasets_refuses_a_schema_and_takes_v3() {
    let api = Api::with(PracticeConfig {
        workspace: PracticeWorkspace {
            typed_datasets: false,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    })
    .await;
    let (status, body) = api
        .post(
            "/api/v1/data-collection/datasets",
            json!({"name": "Typed", "workspace_id": workspace_id(), "schema": schema()}),
        )
        .await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["schema"].is_array(), "{body}");
    api.create_v3_dataset().await;
    // Switched on at run time, the same request is taken.
    api.server.set_typed_datasets(true).unwrap();
    api.create_v4_dataset(schema()).await;
    api.server.set_typed_datasets(false).unwrap();
    let (status, body) = api
        .post(
            "/api/v1/data-collection/datasets",
            json!({"name": "Typed", "workspace_id": workspace_id(), "schema": schema()}),
        )
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn a_workspace_without_layouts_refuses_batch_items_and_the_sunset_instructions_too() {
    let api = Api::start().await;
    api.server
        .control_workspace(&batchdesk_practice::WorkspaceControls {
            batch_layouts: Some(false),
            ..Default::default()
        })
        .unwrap();
    let details =
        json!({"task_name": "t", "task_introduction": "<p>i</p>", "task_steps": "<p>s</p>"});
    let item = json!({"type": "free_text", "description": "Why?"});
    let (status, body) = api
        .post(
            "/api/v1/data-collection/batches",
            json!({"name": "with layout", "workspace_id": workspace_id(), "task_details": details,
                   "batch_items": [{"rows": [{"columns": [{"items": [item]}]}]}]}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("batch_items"), "{body}");
    let (status, batch) = api
        .post(
            "/api/v1/data-collection/batches",
            json!({"name": "without", "workspace_id": workspace_id(), "task_details": details}),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    let id = batch["id"].as_str().unwrap();
    let (status, made) = api
        .post(
            &format!("/api/v1/data-collection/batches/{id}/instructions"),
            json!({"instructions": [item]}),
        )
        .await;
    // The legacy way round it is gone since its sunset (2026-09-01).
    assert_eq!(status, 410, "{made}");
}
