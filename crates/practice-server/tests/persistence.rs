//! Practice work saved to a state directory survives a restart: each completed change is
//! on disk before its answer (a server that stops without shutting down loses nothing),
//! the clock and the simulated participants carry on where they were, and a state file
//! that cannot be read is set aside instead of stopping the server.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, one_question, study_body, workspace_id};
use serde_json::{Value, json};

const STUDIES: &str = "/api/v1/studies/";
const BATCHES: &str = "/api/v1/data-collection/batches";

fn config(dir: &Path) -> PracticeConfig {
    PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(60),
        state_dir: Some(dir.to_owned()),
        seed: 3,
        ..PracticeConfig::default()
    }
}

async fn projects(api: &Api) -> Vec<String> {
    api.get_all(&format!("/api/v1/workspaces/{}/projects/", workspace_id()))
        .await
        .iter()
        .map(|project| project["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn create_project(api: &Api, title: &str) {
    let (status, project) = api
        .post(
            &format!("/api/v1/workspaces/{}/projects/", workspace_id()),
            json!({"title": title}),
        )
        .await;
    assert_eq!(status, 201, "{project}");
}

/// A presigned download, as a client fetches it (no token).
async fn download(url: &str) -> Vec<u8> {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.bytes().await.unwrap().to_vec()
}

async fn get(api: &Api, path: &str) -> Value {
    let (status, body) = api.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[tokio::test]
async fn a_restart_on_the_same_state_dir_finds_the_practice_work() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    create_project(&api, "Kept").await;
    let batch = api.ready_batch_with(3, Some(one_question())).await;
    let (_, study) = api.post(STUDIES, study_body(&batch)).await;
    let study_id = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("{STUDIES}{study_id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    // The first participant has finished, the second is at work.
    api.server.advance_clock(Duration::from_secs(90));
    let submissions_before = get(&api, &format!("{STUDIES}{study_id}/submissions/")).await;
    assert_eq!(submissions_before["results"].as_array().unwrap().len(), 2);
    let (status, export) = api
        .post(&format!("{BATCHES}/{batch}/export"), json!({}))
        .await;
    assert_eq!(status, 200, "{export}");
    let export_id = export["export_id"].as_str().unwrap().to_owned();
    let zip_before = download(export["url"].as_str().unwrap()).await;
    assert!(zip_before.starts_with(b"PK"), "a ZIP");
    // A typed dataset with a finished import, and a test participant.
    let typed = api
        .create_v4_dataset(json!({"strict": true, "fields": {"text": {"type": "text"}}}))
        .await;
    api.upload(
        &typed,
        "data.jsonl",
        b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n".to_vec(),
    )
    .await;
    let typed_before = api.dataset(&typed).await;
    assert_eq!(typed_before["imports"][0]["status"], "complete");
    let (status, _) = api
        .post(
            "/api/v1/researchers/participants/",
            json!({"email": "tester@example.org"}),
        )
        .await;
    assert_eq!(status, 201);
    api.server.set_balance(80_000).unwrap();
    let balance_before = get(
        &api,
        &format!("/api/v1/workspaces/{}/balance/", workspace_id()),
    )
    .await;
    let batch_before = get(&api, &format!("{BATCHES}/{batch}")).await;
    let responses_before = get(&api, &format!("{BATCHES}/{batch}/responses")).await;
    assert_eq!(
        responses_before["meta"]["count"], 3,
        "one group of 3 answered"
    );
    let Api { server, .. } = api;
    server.shutdown().await;

    // Started with another seed and share: the saved ones still draw the answers.
    let api = Api::with(PracticeConfig {
        seed: 99,
        disagreement: 0.9,
        ..config(dir.path())
    })
    .await;
    assert_eq!(
        get(&api, &format!("{BATCHES}/{batch}/responses")).await,
        responses_before
    );
    assert!(projects(&api).await.contains(&"Kept".to_owned()));
    let batch_after = get(&api, &format!("{BATCHES}/{batch}")).await;
    assert_eq!(batch_after, batch_before);
    assert_eq!(batch_after["status"], "READY");
    let dataset = batch_after["datasets"][0]["id"].as_str().unwrap();
    assert_eq!(api.dataset(dataset).await["status"], "READY");
    assert_eq!(batch_after["total_task_count"], 24, "{batch_after}");
    assert_eq!(
        get(
            &api,
            &format!("/api/v1/workspaces/{}/balance/", workspace_id())
        )
        .await,
        balance_before
    );
    assert_eq!(balance_before["total_balance"], 80_000);
    assert_eq!(api.dataset(&typed).await, typed_before);
    // The test participant is known: the same email is refused as already registered.
    let (status, _) = api
        .post(
            "/api/v1/researchers/participants/",
            json!({"email": "tester@example.org"}),
        )
        .await;
    assert_eq!(status, 400);
    let study = get(&api, &format!("{STUDIES}{study_id}/")).await;
    assert_eq!(study["status"], "ACTIVE", "{study}");
    assert_eq!(
        get(&api, &format!("{STUDIES}{study_id}/submissions/")).await,
        submissions_before,
        "the same people, at the same point"
    );
    let export = get(&api, &format!("{BATCHES}/{batch}/export/{export_id}")).await;
    assert_eq!(export["status"], "complete");
    assert_eq!(download(export["url"].as_str().unwrap()).await, zip_before);

    // The study keeps going: everyone finishes as time passes.
    api.server.advance_clock(Duration::from_secs(24 * 3600));
    let study = get(&api, &format!("{STUDIES}{study_id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW", "{study}");
    let responses = get(&api, &format!("{BATCHES}/{batch}/responses")).await;
    // 8 groups × 2 annotators, 3 tasks each, one question.
    assert_eq!(responses["meta"]["count"], 48);
}

#[tokio::test]
async fn each_change_is_saved_before_its_answer_without_a_shutdown() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    create_project(&api, "Before the crash").await;
    let dataset = api.create_v3_dataset().await;
    // Dropped without `shutdown`: no save at the end.
    drop(api);
    let api = Api::with(config(dir.path())).await;
    assert!(
        projects(&api)
            .await
            .contains(&"Before the crash".to_owned())
    );
    assert_eq!(api.dataset(&dataset).await["status"], "UNINITIALISED");
}

#[tokio::test]
async fn a_moved_clock_is_kept_so_time_never_goes_back() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    let batch = api.ready_batch(3).await;
    let (_, study) = api.post(STUDIES, study_body(&batch)).await;
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    // Moved on with no change after it, then dropped without a shutdown.
    api.server.advance_clock(Duration::from_secs(24 * 3600));
    drop(api);
    let api = Api::with(config(dir.path())).await;
    let study = get(&api, &format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW", "{study}");
}

fn blobs(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut found: Vec<_> = std::fs::read_dir(dir.join("blobs"))
        .map(|entries| {
            entries
                .map(|entry| {
                    let entry = entry.unwrap();
                    (
                        entry.file_name().to_string_lossy().into_owned(),
                        entry.metadata().unwrap().modified().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[tokio::test]
async fn uploaded_rows_are_written_once_apart_from_the_state() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let first = blobs(dir.path());
    assert_eq!(first.len(), 1, "{first:?}");
    let state = std::fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(
        !state.contains("exactly what I needed"),
        "rows are not in the state"
    );
    // Another change rewrites the state, not the rows.
    create_project(&api, "Small change").await;
    assert_eq!(blobs(dir.path()), first);
    // A new upload replaces the data: its rows are written, the old ones removed.
    api.upload(&dataset, "reviews.csv", common::sample("reviews.csv"))
        .await;
    let second = blobs(dir.path());
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(second[0].0, first[0].0);
    drop(api);

    let api = Api::with(config(dir.path())).await;
    let restored = api.dataset(&dataset).await;
    assert_eq!(restored["status"], "READY");
    assert_eq!(restored["total_datapoint_count"], 24);
}

#[tokio::test]
async fn a_state_whose_rows_are_missing_is_set_aside_with_its_blobs() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    api.ready_v3_dataset("reviews.csv").await;
    drop(api);
    let blob = blobs(dir.path()).remove(0).0;
    std::fs::remove_file(dir.path().join("blobs").join(&blob)).unwrap();
    let api = Api::with(config(dir.path())).await;
    assert_eq!(projects(&api).await, vec!["Practice project".to_owned()]);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|name| name.starts_with("state.json.unreadable-")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|name| name.starts_with("blobs.unreadable-")),
        "{names:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_changes_are_all_saved() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::with(config(dir.path())).await;
    let titles: Vec<String> = (0..24).map(|number| format!("Parallel {number}")).collect();
    futures_util::future::join_all(titles.iter().map(|title| create_project(&api, title))).await;
    drop(api);
    let api = Api::with(config(dir.path())).await;
    let kept = projects(&api).await;
    for title in &titles {
        assert!(kept.contains(title), "{title} missing from {kept:?}");
    }
}

#[tokio::test]
async fn without_a_state_dir_nothing_is_kept() {
    let dir = batchdesk_test_support::temp_folder();
    let api = Api::start().await;
    create_project(&api, "Gone").await;
    api.server.shutdown().await;
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    let api = Api::start().await;
    assert!(!projects(&api).await.contains(&"Gone".to_owned()));
}

#[tokio::test]
async fn an_unreadable_state_file_is_set_aside_and_the_server_starts_fresh() {
    let dir = batchdesk_test_support::temp_folder();
    std::fs::write(dir.path().join("state.json"), b"{\"format\": 0, \"broken").unwrap();
    let api = Api::with(config(dir.path())).await;
    assert_eq!(projects(&api).await, vec!["Practice project".to_owned()]);
    let aside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("state.json.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(dir.path().join(&aside[0])).unwrap(),
        b"{\"format\": 0, \"broken"
    );
    // The fresh state is saved and read again.
    create_project(&api, "Fresh").await;
    drop(api);
    let api = Api::with(config(dir.path())).await;
    assert!(projects(&api).await.contains(&"Fresh".to_owned()));
}

#[tokio::test]
async fn a_state_file_of_another_format_is_set_aside_too() {
    let dir = batchdesk_test_support::temp_folder();
    std::fs::write(dir.path().join("state.json"), br#"{"format": 999}"#).unwrap();
    let api = Api::with(config(dir.path())).await;
    assert_eq!(projects(&api).await, vec!["Practice project".to_owned()]);
    assert!(!dir.path().join("state.json").exists());
}
