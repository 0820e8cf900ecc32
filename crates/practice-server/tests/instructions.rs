//! The sunset instructions endpoints and batch duplication over real HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, assert_error, workspace_id};
use serde_json::{Value, json};

const BATCHES: &str = "/api/v1/data-collection/batches";

async fn legacy_batch(api: &Api, dataset: Option<&str>) -> String {
    let mut body = json!({"name": "Legacy", "workspace_id": workspace_id(),
                          "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}});
    if let Some(dataset) = dataset {
        body["dataset_id"] = json!(dataset);
    }
    let (status, batch) = api.post(BATCHES, body).await;
    assert_eq!(status, 201, "{batch}");
    batch["id"].as_str().unwrap().to_owned()
}

fn question() -> Value {
    json!({"type": "multiple_choice", "description": "Sentiment?", "answer_limit": 1,
           "options": [{"label": "Positive", "value": "pos"}, {"label": "Negative", "value": "neg"}]})
}

/// A request with the raw response, to see headers.
async fn send(
    api: &Api,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = reqwest::Client::new()
        .request(method, api.url(path))
        .header("Authorization", format!("Token {}", api.server.token()));
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.unwrap()
}

fn assert_deprecated(response: &reqwest::Response) {
    assert_eq!(response.headers()["deprecation"], "true");
    assert_eq!(
        response.headers()["sunset"],
        "Tue, 01 Sep 2026 23:59:59 GMT"
    );
}

/// Sunset on 2026-09-01: every call is refused with 410 in the standard error shape,
/// the deprecation headers still sent, and nothing is changed.
#[tokio::test]
async fn the_sunset_instructions_endpoints_answer_gone_and_change_nothing() {
    let api = Api::start().await;
    let batch = legacy_batch(&api, None).await;
    let path = format!("{BATCHES}/{batch}/instructions");
    let body = json!({"instructions": [question()]});
    for (method, body) in [
        (reqwest::Method::GET, None),
        (reqwest::Method::POST, Some(body.clone())),
        (reqwest::Method::PUT, Some(body)),
    ] {
        let response = send(&api, method.clone(), &path, body).await;
        assert_deprecated(&response);
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_error(status, &answer, 410);
        assert!(
            answer["error"]["detail"]
                .as_str()
                .unwrap()
                .contains("batch_items"),
            "{method}: {answer}"
        );
    }
    let (_, batch) = api.get(&format!("{BATCHES}/{batch}")).await;
    assert!(
        batch["batch_items"].is_null() || batch["batch_items"] == json!([]),
        "{batch}"
    );
}

#[tokio::test]
async fn a_duplicate_shares_the_dataset_unless_asked_and_gets_fresh_ids() {
    let api = Api::start().await;
    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let (_, original) = api
        .post(
            BATCHES,
            json!({"name": "Original", "workspace_id": workspace_id(), "dataset_id": dataset,
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"},
                   "batch_items": [{"rows": [{"columns": [{"items": [question()]}]}]}]}),
        )
        .await;
    let id = original["id"].as_str().unwrap();
    api.post(
        &format!("{BATCHES}/{id}/setup"),
        json!({"tasks_per_group": 4}),
    )
    .await;

    let (status, copy) = api
        .post(&format!("{BATCHES}/{id}/duplicate"), json!({}))
        .await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["name"], "Original (Copy)");
    assert_ne!(copy["id"], original["id"]);
    assert_eq!(copy["status"], "UNINITIALISED");
    assert_eq!(copy["datasets"][0]["id"], dataset);
    assert_eq!(copy["task_details"], original["task_details"]);
    let item = &copy["batch_items"][0]["rows"][0]["columns"][0]["items"][0];
    assert_eq!(item["description"], "Sentiment?");
    assert_ne!(
        item["id"],
        original["batch_items"][0]["rows"][0]["columns"][0]["items"][0]["id"]
    );

    let (status, bare) = api
        .post(
            &format!("{BATCHES}/{id}/duplicate"),
            json!({"name": "Fresh data", "upload_new_dataset": true}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(bare["name"], "Fresh data");
    assert_eq!(bare["datasets"], json!([]));
    // A copy waiting for its data still names its questions, as answers refer to them.
    assert!(bare["batch_items"][0]["rows"][0]["columns"][0]["items"][0]["id"].is_string());

    let (status, answer) = api
        .post(
            &format!("{BATCHES}/{id}/duplicate"),
            json!({"upload_new_dataset": "yes"}),
        )
        .await;
    assert_error(status, &answer, 400);
    let (status, answer) = api
        .post(
            &format!("{BATCHES}/{}/duplicate", uuid::Uuid::now_v7()),
            json!({}),
        )
        .await;
    assert_error(status, &answer, 404);
}
