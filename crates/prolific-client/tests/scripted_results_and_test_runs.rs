//! What the practice server cannot show yet, against a scripted server over real HTTP:
//! an export that is still generating or fails, test participants and test studies
//! (sent once, refusals typed), a project's studies and a batch's responses over pages,
//! and a delete whose answer was lost.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use batchdesk_prolific::{PollPolicy, ProlificError, TransferError};
use serde_json::json;
use support::practice::quiet;
use support::{Reply, TestServer, fast_options};

const BATCH: &str = "0192a3b5-e8f9-7a0b-8000-000000000001";
const ZIP: &[u8] = b"PK\x03\x04 not really a zip, but bytes all the same";

fn export_path() -> String {
    format!("/api/v1/data-collection/batches/{BATCH}/export")
}

fn policy() -> PollPolicy {
    PollPolicy {
        interval: Duration::from_secs(3),
        timeout: Duration::from_secs(10),
        max_consecutive_errors: 3,
    }
}

#[tokio::test]
async fn an_export_is_polled_while_generating_then_downloaded_into_place() {
    let base: Arc<OnceLock<String>> = Arc::default();
    let known = Arc::clone(&base);
    let server = TestServer::start(move |seen, nth| {
        let status_path = format!("{}/e1", export_path());
        match (seen.method.as_str(), seen.path.as_str()) {
            ("POST", path) if path == export_path() => {
                Reply::Json(202, json!({"status": "generating", "export_id": "e1"}))
            }
            ("GET", path) if path == status_path && nth < 2 => {
                Reply::Json(200, json!({"status": "generating", "export_id": "e1"}))
            }
            ("GET", path) if path == status_path => Reply::Json(
                200,
                json!({"status": "complete", "expires_at": "2026-11-23T11:00:00Z",
                       "url": format!("{}/files/export.zip?sig=x", known.get().unwrap())}),
            ),
            ("GET", "/files/export.zip") => Reply::Raw(
                200,
                vec![("content-type", "application/zip".into())],
                String::from_utf8_lossy(ZIP).into_owned(),
            ),
            _ => Reply::Json(404, json!({"detail": "Not found."})),
        }
    })
    .await;
    base.set(server.base_url.clone()).unwrap();
    let (options, clock) = fast_options(3);
    let client = server.client(options);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("export.zip");
    let bytes = client
        .download_batch_export(BATCH, &destination, &policy(), quiet())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&destination).unwrap(), ZIP);
    assert_eq!(bytes, ZIP.len() as u64);
    assert_eq!(server.count("GET", &format!("{}/e1", export_path())), 3);
    assert_eq!(clock.slept(), [Duration::from_secs(3); 2]);
    // The storage never sees the Prolific token.
    let download = server
        .seen()
        .into_iter()
        .find(|seen| seen.path == "/files/export.zip")
        .unwrap();
    assert_eq!(download.header("authorization"), None);
}

#[tokio::test]
async fn an_export_that_fails_twice_or_never_finishes_is_a_plain_error() {
    let server = TestServer::start(|seen, _| match seen.method.as_str() {
        "POST" => Reply::Json(202, json!({"status": "generating", "export_id": "e2"})),
        _ => Reply::Json(200, json!({"status": "failed"})),
    })
    .await;
    let (options, _) = fast_options(3);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("export.zip");
    let error = server
        .client(options)
        .download_batch_export(BATCH, &destination, &policy(), quiet())
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::ExportFailed), "{error:?}");
    assert_eq!(
        server.count("POST", &export_path()),
        2,
        "requested once more"
    );
    assert!(!destination.exists());

    let server = TestServer::start(|_, _| {
        Reply::Json(200, json!({"status": "generating", "export_id": "e3"}))
    })
    .await;
    let (options, clock) = fast_options(3);
    let error = server
        .client(options)
        .download_batch_export(BATCH, &destination, &policy(), quiet())
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::ExportNotReady), "{error:?}");
    assert_eq!(error.code(), "transfer.export_not_ready");
    assert_eq!(clock.slept(), [Duration::from_secs(3); 3]);
    assert!(!destination.exists());
}

#[tokio::test]
async fn a_test_participant_is_created_once_and_a_refusal_is_typed() {
    let server = TestServer::start(|seen, nth| match nth {
        0 => Reply::Raw(429, vec![("retry-after", "1".into())], String::new()),
        1 => {
            let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
            assert_eq!(body, json!({"email": "tester@example.org"}));
            Reply::Json(201, json!({"participant_id": "6278acb09062db3b35bcbeb2"}))
        }
        2 => Reply::Json(
            500,
            json!({"error": {"status": 500, "error_code": 1,
                                                "title": "Error", "detail": "Oops"}}),
        ),
        _ => Reply::Json(
            400,
            json!({"error": {"status": 400, "error_code": 140001,
            "title": "Bad request", "detail": "This feature is not enabled for your workspace."}}),
        ),
    })
    .await;
    let (options, _) = fast_options(5);
    let client = server.client(options);
    let path = "/api/v1/researchers/participants/";
    let created = client
        .create_test_participant("tester@example.org")
        .await
        .unwrap();
    assert_eq!(created.participant_id, "6278acb09062db3b35bcbeb2");
    assert_eq!(
        server.count("POST", path),
        2,
        "a 429 proves nothing was made"
    );

    // A 500 may hide a participant: not sent again.
    let error = client
        .create_test_participant("second@example.org")
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 500 }),
        "{error:?}"
    );
    assert_eq!(server.count("POST", path), 3);

    let error = client
        .create_test_participant("third@example.org")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("not enabled"), "{error}");
}

#[tokio::test]
async fn a_test_study_is_asked_for_once_without_a_trailing_slash() {
    let study = "64395e9c2332b8a59a65d51e";
    let server = TestServer::start(move |_, nth| match nth {
        0 => Reply::Json(200, json!({"study_id": "64395e9c2332b8a59a65d51f",
                                     "study_url": "https://app.prolific.com/studies/64395e9c2332b8a59a65d51f"})),
        1 => Reply::DropAfter { length: 10, sent: Vec::new() },
        _ => Reply::Json(404, json!({"detail": "Not found."})),
    })
    .await;
    let (options, _) = fast_options(5);
    let client = server.client(options);
    let path = format!("/api/v1/studies/{study}/test-study");
    let test = client.create_test_study(study).await.unwrap();
    assert_eq!(test.study_id.as_deref(), Some("64395e9c2332b8a59a65d51f"));
    let error = client.create_test_study(study).await.unwrap_err();
    assert!(matches!(error, ProlificError::Network(_)), "{error:?}");
    assert_eq!(
        server.count("POST", &path),
        2,
        "a lost answer is not sent again"
    );
    // Where the feature is missing, a plain not-found the app can explain.
    let error = client.create_test_study(study).await.unwrap_err();
    assert_eq!(error.code(), "prolific.not_found");
}

#[tokio::test]
async fn a_projects_studies_are_followed_over_pages() {
    let base: Arc<OnceLock<String>> = Arc::default();
    let known = Arc::clone(&base);
    let server = TestServer::start(move |seen, _| {
        assert_eq!(seen.query.as_deref().map(|query| query.contains("page_size=100")), Some(true));
        let first = !seen.query.as_deref().is_some_and(|query| query.contains("page=2"));
        let next = first.then(|| format!("{}/api/v1/projects/p1/studies/?page_size=100&page=2", known.get().unwrap()));
        Reply::Json(200, json!({
            "results": [{"id": if first { "s1" } else { "s2" }, "name": "Study", "status": "ACTIVE"}],
            "_links": {"next": {"href": next}},
            "meta": {"count": 2}
        }))
    })
    .await;
    base.set(server.base_url.clone()).unwrap();
    let (options, _) = fast_options(1);
    let studies = server.client(options).project_studies("p1").await.unwrap();
    let ids: Vec<&str> = studies
        .items
        .iter()
        .map(|study| study.id.as_str())
        .collect();
    assert_eq!(ids, ["s1", "s2"]);
    assert!(!studies.possibly_truncated);
}

fn response_record(task: &str, extra: &str) -> serde_json::Value {
    json!({"id": format!("r-{task}"), "batch_id": BATCH, "participant_id": "p1", "task_id": task,
           "response": {"instruction_id": "q1", "type": "free_text", "answer": [{"value": "ok"}]},
           "added_by_prolific_later": extra})
}

#[tokio::test]
async fn a_batchs_responses_are_followed_over_pages_and_a_short_list_is_flagged() {
    let base: Arc<OnceLock<String>> = Arc::default();
    let known = Arc::clone(&base);
    let server = TestServer::start(move |seen, _| {
        let first = seen.query.is_none();
        let next = first.then(|| {
            format!(
                "{}/api/v1/data-collection/batches/{BATCH}/responses?page=2",
                known.get().unwrap()
            )
        });
        let task = if first { "t1" } else { "t2" };
        Reply::Json(
            200,
            json!({
                "results": [response_record(task, "kept")],
                "_links": {"next": {"href": next}},
                // One more than the two pages hold.
                "meta": {"count": 3}
            }),
        )
    })
    .await;
    base.set(server.base_url.clone()).unwrap();
    let (options, _) = fast_options(1);
    let client = server.client(options);
    let typed = client.batch_responses(BATCH).await.unwrap();
    let tasks: Vec<&str> = typed.items.iter().map(|r| r.task_id.as_str()).collect();
    assert_eq!(tasks, ["t1", "t2"]);
    assert!(typed.possibly_truncated);
    let records = client.batch_response_records(BATCH).await.unwrap();
    assert_eq!(records.items.len(), 2);
    assert_eq!(records.items[1]["added_by_prolific_later"], "kept");
    assert!(records.possibly_truncated);
    let path = format!("/api/v1/data-collection/batches/{BATCH}/responses");
    assert_eq!(server.count("GET", &path), 4, "two pages, twice");
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_confirmed_by_reading() {
    let study = "64395e9c2332b8a59a65d51e";
    let server = TestServer::start(|seen, _| match seen.method.as_str() {
        "DELETE" => Reply::Raw(502, vec![], "<html>Bad gateway</html>".into()),
        _ => Reply::Json(404, json!({"detail": "Not found."})),
    })
    .await;
    let (options, _) = fast_options(5);
    server.client(options).delete_study(study).await.unwrap();
    assert_eq!(
        server.count("DELETE", &format!("/api/v1/studies/{study}/")),
        1
    );
}

#[tokio::test]
async fn a_report_link_refused_by_the_storage_is_replaced_once() {
    let base: Arc<OnceLock<String>> = Arc::default();
    let known = Arc::clone(&base);
    let report = format!("/api/v1/data-collection/batches/{BATCH}/report/");
    let asked = report.clone();
    let server = TestServer::start(move |seen, nth| match seen.path.as_str() {
        path if path == asked => Reply::Json(
            200,
            json!({"url": format!("{}/files/report-{nth}.csv?sig=x", known.get().unwrap()),
                   "expires_at": "2026-11-23T11:00:00Z", "http_method": "GET"}),
        ),
        "/files/report-0.csv" => Reply::Raw(
            403,
            vec![("content-type", "application/xml".into())],
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".into(),
        ),
        "/files/report-1.csv" => Reply::Raw(200, vec![], "task_id,text\nt1,Great\n".into()),
        _ => Reply::Json(404, json!({"detail": "Not found."})),
    })
    .await;
    base.set(server.base_url.clone()).unwrap();
    let (options, _) = fast_options(3);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("report.csv");
    server
        .client(options)
        .download_batch_report(BATCH, &destination, quiet())
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&destination).unwrap(),
        "task_id,text\nt1,Great\n"
    );
    assert_eq!(server.count("GET", &report), 2);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}
