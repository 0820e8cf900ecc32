//! Faults switched on at run time, per route, over real HTTP: each kind, its scope and
//! count, odd export ZIPs, and the admin route the standalone binary offers.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::{ExportShape, Fault, FaultScope, Times};
use common::{Api, assert_error, one_question, sample, study_body, workspace_id};
use serde_json::{Value, json};

const ME: &str = "/api/v1/users/me/";
const BATCHES: &str = "/api/v1/data-collection/batches";

/// A raw GET with the token, for what `Api` does not show (headers, transport errors).
async fn raw_get(
    api: &Api,
    client: &reqwest::Client,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    client
        .get(api.url(path))
        .header("Authorization", format!("Token {}", api.server.token()))
        .send()
        .await
}

#[tokio::test]
async fn a_rate_limit_is_a_429_with_retry_after_then_passes() {
    let api = Api::start().await;
    api.server.faults().inject(
        Fault::RateLimited {
            retry_after_seconds: Some(2),
        },
        FaultScope::route(ME).method("GET"),
        Times::Next(1),
    );
    let client = reqwest::Client::new();
    let response = raw_get(&api, &client, ME).await.unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "2");
    let body: Value = response.json().await.unwrap();
    assert_error(429, &body, 429);
    let (status, _) = api.get(ME).await;
    assert_eq!(status, 200, "the fault was used up");
}

#[tokio::test]
async fn a_rate_limit_can_come_without_retry_after_and_only_on_its_route() {
    let api = Api::start().await;
    api.server.faults().inject(
        Fault::RateLimited {
            retry_after_seconds: None,
        },
        FaultScope::route("/api/v1/workspaces/*"),
        Times::Always,
    );
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let response = raw_get(&api, &client, "/api/v1/workspaces/").await.unwrap();
        assert_eq!(response.status().as_u16(), 429);
        assert!(response.headers().get("retry-after").is_none());
    }
    assert_eq!(api.get(ME).await.0, 200, "other routes are unaffected");
    api.server.faults().clear();
    assert_eq!(api.get("/api/v1/workspaces/").await.0, 200);
}

#[tokio::test]
async fn server_errors_500_in_prolific_shape_and_502_503_as_a_gateway_would() {
    let api = Api::start().await;
    let scope = || FaultScope::route(BATCHES).method("GET");
    for status in [500, 502, 503] {
        api.server
            .faults()
            .inject(Fault::ServerError { status }, scope(), Times::Next(1));
    }
    let client = reqwest::Client::new();
    let list = format!("{BATCHES}?workspace_id={}", workspace_id());
    let first = raw_get(&api, &client, &list).await.unwrap();
    assert_eq!(first.status().as_u16(), 500);
    let body: Value = first.json().await.unwrap();
    assert_error(500, &body, 500);
    for status in [502, 503] {
        let response = raw_get(&api, &client, &list).await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(response.headers()["content-type"], "text/html");
        assert!(response.text().await.unwrap().contains(&status.to_string()));
    }
    // A POST to the same path was never in scope.
    let (status, _) = api
        .post(
            BATCHES,
            json!({"name": "Unaffected", "workspace_id": workspace_id(),
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(api.get(&list).await.0, 200);
}

#[tokio::test]
async fn the_storage_route_fails_like_s3() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    api.server.faults().inject(
        Fault::ServerError { status: 503 },
        FaultScope::route("/practice-storage/*").method("PUT"),
        Times::Next(1),
    );
    let answer = api.upload_url(&id, "reviews.csv").await;
    let url = answer["upload_url"].as_str().unwrap();
    let (status, text) = api.put_upload(url, "text/csv", sample("reviews.csv")).await;
    assert_eq!(status, 503);
    assert!(text.contains("<Code>SlowDown</Code>"), "{text}");
    assert_eq!(api.dataset(&id).await["status"], "UNINITIALISED");
    // Retrying the same URL works once the fault is used up.
    let (status, _) = api.put_upload(url, "text/csv", sample("reviews.csv")).await;
    assert_eq!(status, 200);
    assert_eq!(api.dataset(&id).await["status"], "READY");
}

#[tokio::test]
async fn a_slow_answer_outlasts_a_short_client_timeout() {
    let api = Api::start().await;
    api.server.faults().inject(
        Fault::Slow { delay_ms: 2_000 },
        FaultScope::route(ME),
        Times::Next(1),
    );
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = raw_get(&api, &impatient, ME).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    // Used up: the next call is answered at once, even by the impatient client.
    let response = raw_get(&api, &impatient, ME).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn a_slow_answer_still_arrives_and_can_combine_with_an_error() {
    let api = Api::start().await;
    let faults = api.server.faults();
    faults.inject(
        Fault::Slow { delay_ms: 150 },
        FaultScope::route(ME),
        Times::Next(1),
    );
    faults.inject(
        Fault::ServerError { status: 502 },
        FaultScope::route(ME),
        Times::Next(1),
    );
    let started = std::time::Instant::now();
    let (status, _) = api.get(ME).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, 502);
}

#[tokio::test]
async fn a_dropped_connection_gives_no_answer_and_the_next_request_works() {
    let api = Api::start().await;
    api.server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(ME).method("GET"),
        Times::Next(1),
    );
    let client = reqwest::Client::new();
    let error = raw_get(&api, &client, ME).await.unwrap_err();
    assert!(!error.is_timeout() && error.status().is_none(), "{error:?}");
    let response = raw_get(&api, &client, ME).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn an_upload_url_can_expire_early() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    api.server
        .faults()
        .inject(Fault::ExpireUploadUrl, FaultScope::any(), Times::Next(1));
    // Other requests do not use the fault up.
    assert_eq!(api.get(ME).await.0, 200);
    let expired = api.upload_url(&id, "reviews.csv").await;
    let expires_at =
        chrono::DateTime::parse_from_rfc3339(expired["expires_at"].as_str().unwrap()).unwrap();
    assert!(expires_at <= chrono::Utc::now());
    let (status, text) = api
        .put_upload(
            expired["upload_url"].as_str().unwrap(),
            "text/csv",
            sample("reviews.csv"),
        )
        .await;
    assert_eq!(status, 403);
    assert!(text.contains("Request has expired"), "{text}");
    // A fresh URL works.
    api.upload(&id, "reviews.csv", sample("reviews.csv")).await;
    assert_eq!(api.dataset(&id).await["status"], "READY");
}

#[tokio::test]
async fn processing_can_end_in_error_for_v3_v4_and_batch_setup() {
    let api = Api::start().await;
    let faults = api.server.faults();

    faults.inject(Fault::ProcessingError, FaultScope::any(), Times::Next(1));
    let v3 = api.create_v3_dataset().await;
    api.upload(&v3, "reviews.csv", sample("reviews.csv")).await;
    assert_eq!(api.dataset(&v3).await["status"], "ERROR");

    faults.inject(
        Fault::ProcessingError,
        FaultScope::route("/practice-storage/*"),
        Times::Next(1),
    );
    let v4 = api
        .create_v4_dataset(json!({"strict": false, "fields": {"text": {"type": "text"}}}))
        .await;
    let upload = api
        .upload(&v4, "records.jsonl", b"{\"text\": \"a\"}\n".to_vec())
        .await;
    let (_, job) = api
        .get(&format!(
            "/api/v1/data-collection/datasets/{v4}/imports/{}",
            upload["import_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(job["status"], "failed", "{job}");

    let ready = api.ready_v3_dataset("reviews.csv").await;
    let (_, batch) = api
        .post(
            BATCHES,
            json!({"name": "Fails", "workspace_id": workspace_id(), "dataset_id": ready,
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}}),
        )
        .await;
    let batch = batch["id"].as_str().unwrap();
    faults.inject(
        Fault::ProcessingError,
        FaultScope::route("/api/v1/data-collection/batches/{batch_id}/setup"),
        Times::Next(1),
    );
    let (status, _) = api
        .post(
            &format!("{BATCHES}/{batch}/setup"),
            json!({"tasks_per_group": 1}),
        )
        .await;
    assert_eq!(status, 202);
    let (_, status) = api.get(&format!("{BATCHES}/{batch}/status")).await;
    assert_eq!(status["status"], "ERROR");
    // Setting up again (the fault used up) recovers.
    let (status, _) = api
        .post(
            &format!("{BATCHES}/{batch}/setup"),
            json!({"tasks_per_group": 1}),
        )
        .await;
    assert_eq!(status, 202);
    let (_, status) = api.get(&format!("{BATCHES}/{batch}/status")).await;
    assert_eq!(status["status"], "READY");
}

#[tokio::test]
async fn the_admin_route_needs_the_token_and_switches_faults_it_cannot_suffer() {
    let api = Api::start().await;
    let (status, body) = api
        .post_without_token(
            "/_practice/faults",
            json!({"fault": {"kind": "drop_connection"}}),
        )
        .await;
    assert_error(status, &body, 401);

    // Everything fails with a 503…
    let (status, active) = api
        .post(
            "/_practice/faults",
            json!({"fault": {"kind": "server_error", "status": 503}}),
        )
        .await;
    assert_eq!(status, 201, "{active}");
    assert_eq!(active.as_array().unwrap().len(), 1);
    assert_eq!(api.get(ME).await.0, 503);
    // …but the admin route still answers, lists and clears.
    let (status, listed) = api.get("/_practice/faults").await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["fault"]["kind"], "server_error");
    assert_eq!(listed[0]["times"], "always");
    let (status, _) = api.call("DELETE", "/_practice/faults", None).await;
    assert_eq!(status, 204);
    assert_eq!(api.get(ME).await.0, 200);

    let (status, added) = api
        .post(
            "/_practice/faults",
            json!({"fault": {"kind": "rate_limited", "retry_after_seconds": 1},
                   "scope": {"method": "GET", "route": ME}, "times": {"next": 1}}),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(api.get(ME).await.0, 429);
    assert_eq!(api.get(ME).await.0, 200);

    let (status, body) = api
        .post(
            "/_practice/faults",
            json!({"fault": {"kind": "meteor_strike"}}),
        )
        .await;
    assert_error(status, &body, 400);
}

/// A batch whose study has filled (participants are instant here), for its export.
async fn answered_batch(api: &Api) -> String {
    let batch = api.ready_batch_with(3, Some(one_question())).await;
    let (status, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    assert_eq!(status, 201, "{study}");
    let study = study["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{study}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    batch
}

/// Requests the batch's export and downloads it.
async fn export_bytes(api: &Api, batch: &str) -> Vec<u8> {
    let (status, export) = api
        .post(&format!("{BATCHES}/{batch}/export"), json!({}))
        .await;
    assert_eq!(status, 200, "{export}");
    let response = reqwest::get(export["url"].as_str().unwrap()).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.bytes().await.unwrap().to_vec()
}

fn archive(zip: Vec<u8>) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap()
}

fn names(zip: Vec<u8>) -> Vec<String> {
    let mut names: Vec<String> = archive(zip)
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort_unstable();
    names
}

#[tokio::test]
async fn an_export_can_come_in_a_folder_without_responses_cut_short_or_damaged() {
    use std::io::Read;

    let api = Api::start().await;
    let batch = answered_batch(&api).await;
    let odd = |shape| {
        api.server.faults().inject(
            Fault::OddExport { shape },
            FaultScope::route(format!("{BATCHES}/{{batch_id}}/export")).method("POST"),
            Times::Next(1),
        );
    };
    let documented = export_bytes(&api, &batch).await;
    assert_eq!(
        names(documented.clone()),
        [
            "batch.json",
            "responses-by-submission.jsonl",
            "responses-by-task.jsonl"
        ]
    );

    odd(ExportShape::InAFolder);
    let in_a_folder = export_bytes(&api, &batch).await;
    assert_eq!(
        names(in_a_folder.clone()),
        [
            "Batch export/",
            "Batch export/BATCH.JSON",
            "Batch export/RESPONSES-BY-SUBMISSION.JSONL",
            "Batch export/RESPONSES-BY-TASK.JSONL"
        ]
    );
    let read = |zip: Vec<u8>, name: &str| -> std::io::Result<String> {
        let mut text = String::new();
        archive(zip)
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .map(|_| text)
    };
    assert_eq!(
        read(in_a_folder, "Batch export/RESPONSES-BY-TASK.JSONL").unwrap(),
        read(documented.clone(), "responses-by-task.jsonl").unwrap(),
        "the same responses under another name"
    );

    odd(ExportShape::WithoutResponses);
    assert_eq!(names(export_bytes(&api, &batch).await), ["batch.json"]);

    odd(ExportShape::Truncated);
    let truncated = export_bytes(&api, &batch).await;
    assert!(truncated.len() < documented.len());
    assert!(zip::ZipArchive::new(std::io::Cursor::new(truncated)).is_err());

    odd(ExportShape::Damaged);
    let damaged = export_bytes(&api, &batch).await;
    assert!(
        read(damaged.clone(), "batch.json").is_ok(),
        "the rest reads"
    );
    let error = read(damaged, "responses-by-task.jsonl").unwrap_err();
    assert!(error.to_string().contains("checksum"), "{error}");

    // The faults are used up: the next export is as documented again.
    assert_eq!(names(export_bytes(&api, &batch).await).len(), 3);
}

#[tokio::test]
async fn a_list_can_be_made_to_ignore_the_page_asked_for() {
    let api = Api::start().await;
    for number in 1..=5 {
        let (status, _) = api
            .post(
                "/api/v1/workspaces/",
                json!({"title": format!("Lab {number}")}),
            )
            .await;
        assert_eq!(status, 201);
    }
    let (_, first) = api.get("/api/v1/workspaces/").await;
    let (_, second) = api.get("/api/v1/workspaces/?page=2").await;
    assert_ne!(first, second);

    api.server.faults().inject(
        Fault::IgnorePage,
        FaultScope::route("/api/v1/workspaces/").method("GET"),
        Times::Next(1),
    );
    // Used up only by a request that asks for a page.
    let (_, unpaged) = api.get("/api/v1/workspaces/").await;
    assert_eq!(unpaged, first);
    let (_, ignored) = api.get("/api/v1/workspaces/?page=2").await;
    assert_eq!(ignored, first, "page 2 answered as page 1");
    let (_, honoured) = api.get("/api/v1/workspaces/?page=2").await;
    assert_eq!(honoured, second, "the fault is used up");
}
