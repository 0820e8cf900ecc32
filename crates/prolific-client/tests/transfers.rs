//! Uploads to and downloads from presigned storage URLs, against a local server.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use batchdesk_prolific::{Progress, ProlificError, TransferError};
use serde_json::json;
use support::{Reply, Seen, TOKEN, TestServer, fast_options};

type Report = (u64, Option<u64>);

const DATASET: &str = "0192a3b5-e8f9-7a0b-8000-0000000000aa";
const CONTENT_TYPE: &str = "text/csv; charset=x-practice";

fn no_progress() -> Progress {
    Arc::new(|_, _| {})
}

/// An API that hands out upload URLs to its own `/storage/key-N`, and storage that
/// answers the PUT of key N with `storage(n)`.
async fn upload_server(storage: fn(usize) -> Reply) -> TestServer {
    TestServer::start(move |seen: &Seen, nth| {
        let host = seen.header("host").unwrap().to_owned();
        if seen.path.ends_with("/upload-url/reviews.csv") {
            return Reply::Json(
                201,
                json!({"dataset_id": DATASET, "upload_url": format!("http://{host}/storage/key-{nth}?signature=s{nth}"),
                       "http_method": "PUT", "content_type": CONTENT_TYPE, "expires_at": "2026-11-23T16:00:00Z",
                       "import_id": format!("import-{nth}")}),
            );
        }
        match seen.path.strip_prefix("/storage/key-") {
            Some(n) => storage(n.parse().unwrap()),
            None => Reply::Json(404, json!({})),
        }
    })
    .await
}

fn expired() -> Reply {
    Reply::Raw(
        403,
        vec![("content-type", "application/xml".into())],
        "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".into(),
    )
}

fn file_of(size: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = batchdesk_test_support::temp_folder();
    let path = dir.path().join("reviews.csv");
    let content: Vec<u8> = (0..size).map(|i| b"abcdefghij\n"[i % 11]).collect();
    std::fs::write(&path, &content).unwrap();
    (dir, path, content)
}

#[tokio::test]
async fn an_expired_link_is_replaced_and_the_file_streams_without_the_token() {
    let server = upload_server(|n| {
        if n == 0 {
            expired()
        } else {
            Reply::Raw(200, vec![], String::new())
        }
    })
    .await;
    let (options, _) = fast_options(5);
    let client = server.client(options);
    let (_dir, path, content) = file_of(1_000_003);
    let reports: Arc<std::sync::Mutex<Vec<Report>>> = Arc::default();
    let sink = Arc::clone(&reports);
    let progress: Progress = Arc::new(move |sent, total| sink.lock().unwrap().push((sent, total)));

    let receipt = client
        .upload_dataset_file(DATASET, &path, progress)
        .await
        .unwrap();
    assert_eq!(receipt.attempts, 2);
    assert_eq!(receipt.bytes, 1_000_003);
    assert_eq!(receipt.import_id.as_deref(), Some("import-1"));

    let seen = server.seen();
    let url_requests: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.path.contains("/upload-url/"))
        .collect();
    assert_eq!(url_requests.len(), 2, "a fresh URL after the expired one");
    for request in &url_requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Token {TOKEN}").as_str())
        );
    }
    let puts: Vec<&Seen> = seen.iter().filter(|s| s.method == "PUT").collect();
    assert_eq!(puts.len(), 2);
    for put in &puts {
        assert_eq!(
            put.header("authorization"),
            None,
            "the token never goes to storage"
        );
        assert_eq!(put.header("content-type"), Some(CONTENT_TYPE));
        assert_eq!(put.header("content-length"), Some("1000003"));
    }
    assert_eq!(puts[1].path, "/storage/key-1");
    assert_eq!(puts[1].body.as_ref(), content.as_slice());

    // Streamed in chunks: progress rises to the total, on each attempt.
    let reports = reports.lock().unwrap().clone();
    assert!(reports.len() >= 8, "{}", reports.len());
    assert_eq!(reports.last(), Some(&(1_000_003, Some(1_000_003))));
    assert!(reports.iter().all(|(_, total)| *total == Some(1_000_003)));
}

#[tokio::test]
async fn a_storage_failure_is_retried_with_a_fresh_link_then_reported_plainly() {
    let server = upload_server(|n| match n {
        0 => Reply::Raw(503, vec![], String::new()),
        _ => Reply::Raw(200, vec![], String::new()),
    })
    .await;
    let (options, clock) = fast_options(5);
    let (_dir, path, _) = file_of(10);
    let receipt = server
        .client(options)
        .upload_dataset_file(DATASET, &path, no_progress())
        .await
        .unwrap();
    assert_eq!(receipt.attempts, 2);
    assert_eq!(clock.slept().len(), 1);

    let server = upload_server(|_| {
        Reply::Raw(
            403,
            vec![],
            "<Error><Code>SignatureDoesNotMatch</Code><Message>The signature does not match.</Message></Error>".into(),
        )
    })
    .await;
    let (options, _) = fast_options(5);
    let error = server
        .client(options)
        .upload_dataset_file(DATASET, &path, no_progress())
        .await
        .unwrap_err();
    match &error {
        TransferError::Storage {
            status: 403,
            detail,
        } => {
            assert_eq!(detail.as_deref(), Some("The signature does not match."))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.count("PUT", "/storage/key-0"),
        1,
        "a refusal is not retried"
    );
    assert_eq!(
        error.to_string(),
        "storage refused the transfer (403): The signature does not match"
    );
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_download_lands_whole_and_without_the_token() {
    let body: String = (0..50_000).map(|i| format!("{i},")).collect();
    let served = body.clone();
    let server = TestServer::start(move |_, _| Reply::Raw(200, vec![], served.clone())).await;
    let (options, _) = fast_options(3);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("report.csv");
    let received = server
        .client(options)
        .download(
            &format!("{}/report?signature=x", server.base_url),
            &destination,
            no_progress(),
        )
        .await
        .unwrap();
    assert_eq!(received, body.len() as u64);
    assert_eq!(std::fs::read_to_string(&destination).unwrap(), body);
    assert_eq!(listing(dir.path()), ["report.csv"]);
    assert_eq!(server.seen()[0].header("authorization"), None);
}

#[tokio::test]
async fn a_download_that_drops_midway_leaves_nothing_behind() {
    let server = TestServer::start(|_, _| Reply::DropAfter {
        length: 100_000,
        sent: vec![b'x'; 30_000],
    })
    .await;
    let (options, _) = fast_options(2);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("export.zip");
    let error = server
        .client(options)
        .download(
            &format!("{}/export.zip", server.base_url),
            &destination,
            no_progress(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            TransferError::Prolific(ProlificError::Network(_)) | TransferError::Incomplete { .. }
        ),
        "{error:?}"
    );
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn a_cancelled_download_leaves_nothing_behind() {
    let server = TestServer::start(|_, _| Reply::StallAfter {
        length: 100_000,
        sent: vec![b'x'; 10_000],
    })
    .await;
    let (options, _) = fast_options(2);
    let client = server.client(options);
    let dir = batchdesk_test_support::temp_folder();
    let destination = dir.path().join("export.zip");
    let (started, mut first_bytes) = tokio::sync::mpsc::unbounded_channel::<u64>();
    let progress: Progress = Arc::new(move |received, _| {
        let _ = started.send(received);
    });
    let url = format!("{}/export.zip", server.base_url);
    tokio::select! {
        outcome = client.download(&url, &destination, progress) => panic!("finished: {outcome:?}"),
        Some(_) = first_bytes.recv() => {}
    }
    // The download future is dropped here, mid-body.
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn a_download_over_plain_http_to_another_computer_is_refused() {
    let server = TestServer::start(|_, _| Reply::Raw(200, vec![], String::new())).await;
    let (options, _) = fast_options(1);
    let dir = batchdesk_test_support::temp_folder();
    let error = server
        .client(options)
        .download(
            "http://example.org/report.csv",
            &dir.path().join("r.csv"),
            no_progress(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, TransferError::InsecureUrl), "{error:?}");
    assert!(listing(dir.path()).is_empty());
}
