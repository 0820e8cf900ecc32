//! The deprecated instructions endpoints and batch duplication over real HTTP.

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

#[tokio::test]
async fn legacy_instructions_are_added_listed_and_replaced_with_deprecation_headers() {
    let api = Api::start().await;
    let batch = legacy_batch(&api, None).await;
    let path = format!("{BATCHES}/{batch}/instructions");

    let response = send(
        &api,
        reqwest::Method::POST,
        &path,
        Some(json!({"instructions": [question()]})),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_deprecated(&response);
    let created: Value = response.json().await.unwrap();
    let first = created[0].clone();
    assert_eq!(first["parent_id"], batch);
    assert_eq!(first["parent_type"], "batch");
    assert!(
        first["id"].is_string()
            && first["created_at"].is_string()
            && first["created_by"].is_string()
    );

    let free_text = json!({"type": "free_text", "description": "Why?"});
    api.post(&path, json!({"instructions": [free_text]})).await;
    let response = send(&api, reqwest::Method::GET, &path, None).await;
    assert_deprecated(&response);
    let listed: Value = response.json().await.unwrap();
    assert_eq!(listed["meta"]["count"], 2);
    let (_, batch_read) = api.get(&format!("{BATCHES}/{batch}")).await;
    assert_eq!(batch_read["total_instruction_count"], 2);

    // PUT replaces: the one named by id is kept (with its id), the other is removed.
    let mut kept = first.clone();
    kept["description"] = json!("How does it feel?");
    let response = send(
        &api,
        reqwest::Method::PUT,
        &path,
        Some(
            json!({"instructions": [kept, {"type": "free_text", "description": "Anything else?"}]}),
        ),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_deprecated(&response);
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced[0]["id"], first["id"]);
    assert_eq!(replaced[0]["description"], "How does it feel?");
    let (_, listed) = api.get(&path).await;
    assert_eq!(listed["meta"]["count"], 2);
    assert_eq!(listed["results"][1]["description"], "Anything else?");
}

#[tokio::test]
async fn bad_instructions_are_400_and_still_deprecated() {
    let api = Api::start().await;
    let batch = legacy_batch(&api, None).await;
    let path = format!("{BATCHES}/{batch}/instructions");
    for (body, field) in [
        (json!({}), "instructions"),
        (json!({"instructions": []}), "instructions"),
        (
            json!({"instructions": [{"type": "slider", "description": "d"}]}),
            "instructions.0.type",
        ),
        (
            json!({"instructions": [{"type": "free_text"}]}),
            "instructions.0.description",
        ),
        (
            json!({"instructions": [{"type": "multiple_choice", "description": "d", "options": [{"label": "a", "value": 1}]}]}),
            "instructions.0.answer_limit",
        ),
        (
            json!({"instructions": [{"type": "multiple_choice_with_free_text", "description": "d", "answer_limit": 1, "options": [{"label": "a", "value": 1}]}]}),
            "instructions.0.options",
        ),
        (
            json!({"instructions": [{"type": "free_text_with_unit", "description": "d"}]}),
            "instructions.0.unit_options",
        ),
    ] {
        let response = send(&api, reqwest::Method::POST, &path, Some(body.clone())).await;
        assert_deprecated(&response);
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"][field].is_array(),
            "{body} → {answer}"
        );
    }
    let (status, answer) = api.post_raw(&path, "{\"instructions\": [").await;
    assert_error(status, &answer, 400);
    let (status, answer) = api
        .call(
            "PUT",
            &path,
            Some(&json!({"instructions": [{"id": uuid::Uuid::now_v7(), "type": "free_text", "description": "d"}]})),
        )
        .await;
    assert_error(status, &answer, 400);
    let unknown = format!("{BATCHES}/{}/instructions", uuid::Uuid::now_v7());
    let (status, answer) = api.get(&unknown).await;
    assert_error(status, &answer, 404);
}

#[tokio::test]
async fn a_batch_with_a_layout_refuses_with_422_and_a_set_up_batch_takes_no_edits() {
    let api = Api::start().await;
    let (_, batch) = api
        .post(
            BATCHES,
            json!({"name": "Layout", "workspace_id": workspace_id(),
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"},
                   "batch_items": [{"rows": [{"columns": [{"items": [question()]}]}]}]}),
        )
        .await;
    let path = format!("{BATCHES}/{}/instructions", batch["id"].as_str().unwrap());
    let response = send(
        &api,
        reqwest::Method::POST,
        &path,
        Some(json!({"instructions": [question()]})),
    )
    .await;
    assert_deprecated(&response);
    let status = response.status().as_u16();
    assert_error(status, &response.json().await.unwrap(), 422);
    let (status, answer) = api.get(&path).await;
    assert_error(status, &answer, 422);

    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let batch = legacy_batch(&api, Some(&dataset)).await;
    let path = format!("{BATCHES}/{batch}/instructions");
    let (status, _) = api.post(&path, json!({"instructions": [question()]})).await;
    assert_eq!(status, 201);
    api.post(
        &format!("{BATCHES}/{batch}/setup"),
        json!({"tasks_per_group": 4}),
    )
    .await;
    let (status, answer) = api.post(&path, json!({"instructions": [question()]})).await;
    assert_error(status, &answer, 400);
    // The legacy question is what the participants answer.
    let mut study = common::study_body(&batch);
    study["data_collection_metadata"] = json!({"annotators_per_task": 1});
    let (_, study) = api.post("/api/v1/studies/", study).await;
    api.post(
        &format!(
            "/api/v1/studies/{}/transition/",
            study["id"].as_str().unwrap()
        ),
        json!({"action": "PUBLISH"}),
    )
    .await;
    let (_, responses) = api.get(&format!("{BATCHES}/{batch}/responses")).await;
    assert_eq!(responses["meta"]["count"], 24);
    assert_eq!(
        responses["results"][0]["response"]["type"],
        "multiple_choice"
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
