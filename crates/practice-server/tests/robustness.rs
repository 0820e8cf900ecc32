//! Every route against input it must refuse: malformed JSON, bodies of the wrong shape,
//! each field of a good body replaced by values of the wrong type, and unknown ids. The
//! answer is always a 4xx in Prolific's error shape (the shared checker validates it
//! against the spec), never a 5xx or a dropped connection from a panic.

#![allow(clippy::unwrap_used)]

mod common;

use batchdesk_practice::endpoints;
use common::{Api, study_body, workspace_id};
use serde_json::{Value, json};

/// Values of every JSON type, most of which fit no field.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(""),
        json!("x".repeat(5000)),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"nested": {"deep": [1]}}),
    ]
}

#[tokio::test]
async fn refusals_are_4xx_in_prolifics_shape_for_every_route() {
    let api = Api::start().await;
    let batch = api.ready_batch(3).await;
    let dataset = api.create_v3_dataset().await;
    let (_, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    let study = study["id"].as_str().unwrap().to_owned();

    // A good body for each route that takes one, whose fields are then spoiled in turn.
    let good: Vec<(&str, &str, Value)> = vec![
        (
            "POST",
            "/api/v1/workspaces/{workspace_id}/projects/",
            json!({"title": "P"}),
        ),
        (
            "POST",
            "/api/v1/data-collection/datasets",
            json!({"name": "D", "workspace_id": workspace_id()}),
        ),
        (
            "POST",
            "/api/v1/data-collection/batches",
            json!({"name": "B", "workspace_id": workspace_id(),
            "dataset_id": dataset, "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}}),
        ),
        (
            "PATCH",
            "/api/v1/data-collection/batches/{batch_id}",
            json!({"name": "B2"}),
        ),
        (
            "POST",
            "/api/v1/data-collection/batches/{batch_id}/setup",
            json!({"tasks_per_group": 2}),
        ),
        (
            "POST",
            "/api/v1/data-collection/batches/{batch_id}/duplicate",
            json!({"name": "C", "upload_new_dataset": false}),
        ),
        ("POST", "/api/v1/studies/", study_body(&batch)),
        (
            "PATCH",
            "/api/v1/studies/{id}/",
            json!({"internal_name": "n", "reward": 120}),
        ),
        (
            "POST",
            "/api/v1/studies/{id}/transition/",
            json!({"action": "PAUSE"}),
        ),
        (
            "POST",
            "/api/v1/study-cost-calculator/",
            json!({"reward": 100, "total_available_places": 3}),
        ),
        ("POST", "/api/v1/eligibility-count/", json!({"filters": []})),
        (
            "POST",
            "/api/v1/submissions/bulk-approve/",
            json!({"submission_ids": []}),
        ),
    ];
    let fill = |template: &str| {
        template
            .replace("{workspace_id}", &workspace_id())
            .replace("{batch_id}", &batch)
            .replace("{dataset_id}", &dataset)
            .replace("{id}", &study)
    };
    for (method, template, body) in &good {
        let path = fill(template);
        for (raw, label) in [
            ("{\"name\": ", "truncated JSON"),
            ("not json", "not JSON"),
            ("[1, 2]", "an array"),
            ("\"text\"", "a string"),
        ] {
            let (status, answer) = api.call_raw(method, &path, raw).await;
            assert!(
                (400..500).contains(&status),
                "{method} {template} with {label}: {status} {answer}"
            );
        }
        for field in body.as_object().unwrap().keys() {
            for odd in odd_values() {
                let mut spoiled = body.clone();
                spoiled[field] = odd.clone();
                let (status, answer) = api.call(method, &path, Some(&spoiled)).await;
                assert!(
                    status < 500,
                    "{method} {template} with {field} = {odd}: {status} {answer}"
                );
            }
        }
    }

    // Unknown and malformed ids on every route with a parameter.
    for endpoint in endpoints() {
        if !endpoint.path.contains('{') {
            continue;
        }
        for id in [
            "64395e9c2332b8a59a65d51e",
            "0192a3b5-e8f9-7a0b-8c1d-2e3f4a5b6c7d",
            "..",
            "%00",
        ] {
            let path = endpoint
                .path
                .replace("{workspace_id}", id)
                .replace("{dataset_id}", id)
                .replace("{batch_id}", id)
                .replace("{import_id}", id)
                .replace("{export_id}", id)
                .replace("{filename}", "data.csv")
                .replace("{id}", id);
            let body = (endpoint.method != "GET" && endpoint.method != "DELETE").then(|| json!({}));
            let (status, answer) = api.call(endpoint.method, &path, body.as_ref()).await;
            assert!(
                (400..500).contains(&status),
                "{} {path}: {status} {answer}",
                endpoint.method
            );
        }
    }
}
