//! `engine::upload` over real HTTP against the in-process practice server, with its
//! fault injection: stages and byte progress, expired links, rate limits and server
//! errors while polling, dropped connections, processing errors, cancellation at each
//! stage, and resume in each state without a second dataset.
//!
//! Time: the client's clock here returns from each wait at once and moves the practice
//! server's clock on by as much, so processing finishes as if the polls had waited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_engine::upload::{
    OnProgress, ReadyDataset, UploadError, UploadProgress, resume_upload, upload_dataset,
};
use batchdesk_practice::{Fault, FaultScope, PracticeConfig, PracticeServer, Times};
use batchdesk_prolific::models::ProcessingStatus;
use batchdesk_prolific::{
    ApiBase, ApiToken, Client, ClientOptions, Clock, PollPolicy, RetryPolicy,
};
use tokio_util::sync::CancellationToken;

const DATASETS: &str = "/api/v1/data-collection/datasets";
const UPLOAD_URL: &str = "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}";
const STATUS: &str = "/api/v1/data-collection/datasets/{dataset_id}/status";
const STORAGE: &str = "/practice-storage/*";
const PROCESSING: Duration = Duration::from_secs(10);

/// Waits return at once and move both this clock and the practice server's clock on.
#[derive(Debug)]
struct AdvancingClock {
    server: Arc<PracticeServer>,
    now: Mutex<Duration>,
    slept: Mutex<Vec<Duration>>,
}

impl Clock for AdvancingClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        self.slept.lock().unwrap().push(duration);
        *self.now.lock().unwrap() += duration;
        self.server.advance_clock(duration);
        Box::pin(std::future::ready(()))
    }
}

/// The first wait cancels `token` and never ends: a cancellation between two polls.
#[derive(Debug)]
struct CancellingClock(CancellationToken);

impl Clock for CancellingClock {
    fn now(&self) -> Duration {
        Duration::ZERO
    }

    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        self.0.cancel();
        Box::pin(std::future::pending())
    }
}

struct Practice {
    server: Arc<PracticeServer>,
    client: Client,
    clock: Arc<AdvancingClock>,
    workspace_id: String,
    dir: tempfile::TempDir,
}

async fn practice() -> Practice {
    let config = support::strict(PracticeConfig {
        processing_delay: PROCESSING,
        ..PracticeConfig::default()
    });
    let workspace_id = config.workspace.id.clone();
    let server = Arc::new(PracticeServer::start(config).await.unwrap());
    let clock = Arc::new(AdvancingClock {
        server: Arc::clone(&server),
        now: Mutex::default(),
        slept: Mutex::default(),
    });
    let client = client_with(&server, Arc::clone(&clock) as Arc<dyn Clock>);
    // Counters, so tests see how many datasets were made and links asked for.
    count(&server, FaultScope::route(DATASETS).method("POST"));
    count(&server, FaultScope::route(UPLOAD_URL).method("GET"));
    Practice {
        server,
        client,
        clock,
        workspace_id,
        dir: batchdesk_test_support::temp_folder(),
    }
}

fn client_with(server: &PracticeServer, clock: Arc<dyn Clock>) -> Client {
    Client::with_options(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(server.token()),
        ClientOptions {
            retry: RetryPolicy {
                max_attempts: 5,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(50),
                ..RetryPolicy::default()
            },
            clock,
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

const COUNTER: u32 = 1_000_000;

/// A harmless fault (no delay) with a large count: what is left of the count tells how
/// many requests in `scope` the server saw.
fn count(server: &PracticeServer, scope: FaultScope) {
    server
        .faults()
        .inject(Fault::Slow { delay_ms: 0 }, scope, Times::Next(COUNTER));
}

fn counted(server: &PracticeServer, route: &str) -> u32 {
    server
        .faults()
        .active()
        .iter()
        .find(|rule| {
            rule.fault == Fault::Slow { delay_ms: 0 } && rule.scope.route.as_deref() == Some(route)
        })
        .map(|rule| match rule.times {
            Times::Next(left) => COUNTER - left,
            Times::Always => 0,
        })
        .unwrap_or(COUNTER)
}

/// Faults other than the counters still waiting to be used.
fn unused_faults(server: &PracticeServer) -> usize {
    server
        .faults()
        .active()
        .iter()
        .filter(|rule| rule.fault != Fault::Slow { delay_ms: 0 })
        .count()
}

type Reports = Arc<Mutex<Vec<UploadProgress>>>;

fn recording() -> (OnProgress, Reports) {
    let reports: Reports = Arc::default();
    let sink = Arc::clone(&reports);
    (
        Arc::new(move |stage| sink.lock().unwrap().push(stage)),
        reports,
    )
}

fn policy() -> PollPolicy {
    PollPolicy::default()
}

/// A CSV of `rows` rows, a little over 1 KB per ten rows.
fn csv(dir: &Path, name: &str, rows: usize) -> PathBuf {
    let mut text = String::from("text,META_source\n");
    for row in 0..rows {
        text.push_str(&format!(
            "Review number {row}: the product arrived on time and works as described,shop-{}\n",
            row % 7
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

fn created_id(reports: &Reports) -> String {
    reports
        .lock()
        .unwrap()
        .iter()
        .find_map(|stage| match stage {
            UploadProgress::Created { dataset_id } => Some(dataset_id.clone()),
            _ => None,
        })
        .unwrap()
}

/// (sent, total, attempt) of each `uploading` report.
fn uploads(reports: &Reports) -> Vec<(u64, u64, u32)> {
    reports
        .lock()
        .unwrap()
        .iter()
        .filter_map(|stage| match stage {
            UploadProgress::Uploading {
                sent,
                total,
                attempt,
                ..
            } => Some((*sent, *total, *attempt)),
            _ => None,
        })
        .collect()
}

/// Within each attempt the count never goes back; the last report is the whole file.
fn assert_progress_ends_whole(reports: &Reports, total: u64) {
    let uploads = uploads(reports);
    assert!(!uploads.is_empty());
    for pair in uploads.windows(2) {
        let ((sent, _, attempt), (next_sent, _, next_attempt)) = (pair[0], pair[1]);
        assert!(
            next_attempt == attempt + 1 || (next_attempt == attempt && next_sent >= sent),
            "{uploads:?}"
        );
    }
    assert!(uploads.iter().all(|(_, all, _)| *all == total));
    assert_eq!(uploads.last().unwrap().0, total);
}

fn ready_report(reports: &Reports) -> Option<UploadProgress> {
    reports
        .lock()
        .unwrap()
        .iter()
        .find(|stage| matches!(stage, UploadProgress::Ready { .. }))
        .cloned()
}

impl Practice {
    async fn upload(
        &self,
        path: &Path,
        progress: OnProgress,
        cancel: &CancellationToken,
    ) -> Result<ReadyDataset, UploadError> {
        upload_dataset(
            &self.client,
            &self.workspace_id,
            "Product reviews",
            path,
            progress,
            cancel,
            &policy(),
        )
        .await
    }

    async fn status(&self, dataset_id: &str) -> ProcessingStatus {
        self.client.dataset_status(dataset_id).await.unwrap()
    }
}

#[tokio::test]
async fn a_file_becomes_a_ready_dataset_through_each_stage() {
    let practice = practice().await;
    // Several read chunks (256 KiB each), so progress has steps.
    let path = csv(practice.dir.path(), "reviews.csv", 8_000);
    let (progress, reports) = recording();
    let ready = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap();

    assert_eq!(ready.rows, Some(8_000));
    let id = ready.dataset_id.clone();
    let stages = reports.lock().unwrap().clone();
    assert_eq!(stages[0], UploadProgress::Creating);
    assert_eq!(
        stages[1],
        UploadProgress::Created {
            dataset_id: id.clone()
        }
    );
    assert!(matches!(stages[2], UploadProgress::Uploading { .. }));
    assert_eq!(
        stages[stages.len() - 2],
        UploadProgress::Processing {
            dataset_id: id.clone()
        }
    );
    assert_eq!(
        stages[stages.len() - 1],
        UploadProgress::Ready {
            dataset_id: id.clone(),
            rows: Some(8_000)
        }
    );
    let total = size(&path);
    assert!(total > 512 * 1024, "{total}");
    assert_progress_ends_whole(&reports, total);
    assert!(uploads(&reports).len() >= 3);
    assert!(
        uploads(&reports)
            .iter()
            .all(|(_, _, attempt)| *attempt == 1)
    );
    // Processing took 10 s of (simulated) polling at the 3 s cadence.
    assert!(!practice.clock.slept.lock().unwrap().is_empty());
    assert_eq!(practice.status(&id).await, ProcessingStatus::Ready);
    assert_eq!(counted(&practice.server, DATASETS), 1);
    assert_eq!(counted(&practice.server, UPLOAD_URL), 1);
}

#[tokio::test]
async fn an_upload_link_that_expires_early_is_replaced_with_a_fresh_one() {
    let practice = practice().await;
    practice.server.faults().inject(
        Fault::ExpireUploadUrl,
        FaultScope::route(UPLOAD_URL),
        Times::Next(1),
    );
    let path = csv(practice.dir.path(), "reviews.csv", 50);
    let (progress, reports) = recording();
    let ready = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(ready.rows, Some(50));
    assert_progress_ends_whole(&reports, size(&path));
    assert_eq!(unused_faults(&practice.server), 0);
    assert_eq!(counted(&practice.server, UPLOAD_URL), 2);
    assert_eq!(counted(&practice.server, DATASETS), 1);
}

#[tokio::test]
async fn rate_limits_and_server_errors_while_polling_still_end_ready() {
    let practice = practice().await;
    let faults = practice.server.faults();
    let status = || FaultScope::route(STATUS).method("GET");
    faults.inject(
        Fault::RateLimited {
            retry_after_seconds: Some(2),
        },
        status(),
        Times::Next(1),
    );
    faults.inject(
        Fault::RateLimited {
            retry_after_seconds: None,
        },
        status(),
        Times::Next(1),
    );
    faults.inject(Fault::ServerError { status: 503 }, status(), Times::Next(2));
    let path = csv(practice.dir.path(), "reviews.csv", 20);
    let (progress, reports) = recording();
    let ready = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(ready.rows, Some(20));
    assert!(ready_report(&reports).is_some());
    assert_eq!(unused_faults(&practice.server), 0);
    // The Retry-After was honoured exactly.
    assert!(
        practice
            .clock
            .slept
            .lock()
            .unwrap()
            .contains(&Duration::from_secs(2))
    );
}

#[tokio::test]
async fn a_connection_dropped_during_the_put_is_retried_with_a_fresh_link() {
    let practice = practice().await;
    practice.server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(STORAGE).method("PUT"),
        Times::Next(1),
    );
    let path = csv(practice.dir.path(), "reviews.csv", 3_000);
    let (progress, reports) = recording();
    let ready = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(ready.rows, Some(3_000));
    assert_progress_ends_whole(&reports, size(&path));
    assert_eq!(counted(&practice.server, UPLOAD_URL), 2);
    assert_eq!(counted(&practice.server, DATASETS), 1);
}

#[tokio::test]
async fn a_put_that_keeps_dropping_is_a_plain_error_and_resumes_into_the_same_dataset() {
    let practice = practice().await;
    practice.server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(STORAGE).method("PUT"),
        Times::Always,
    );
    let path = csv(practice.dir.path(), "reviews.csv", 30);
    let (progress, reports) = recording();
    let error = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "prolific.network", "{error:?}");
    assert!(
        error.to_string().contains("Check your internet connection"),
        "{error}"
    );
    assert!(ready_report(&reports).is_none());
    let id = created_id(&reports);
    assert_eq!(practice.status(&id).await, ProcessingStatus::Uninitialised);

    // The connection is back: resuming uploads into the same dataset.
    practice.server.faults().clear();
    count(&practice.server, FaultScope::route(DATASETS).method("POST"));
    let (progress, reports) = recording();
    let ready = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap();
    assert_eq!(ready.dataset_id, id);
    assert_eq!(ready.rows, Some(30));
    assert_progress_ends_whole(&reports, size(&path));
    assert_eq!(counted(&practice.server, DATASETS), 0);
}

#[tokio::test]
async fn processing_that_ends_in_error_is_explained_in_plain_words() {
    let practice = practice().await;
    practice.server.faults().inject(
        Fault::ProcessingError,
        FaultScope::route(STORAGE).method("PUT"),
        Times::Next(1),
    );
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let (progress, reports) = recording();
    let error = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(error, UploadError::Unreadable { .. }), "{error:?}");
    assert_eq!(error.code(), "upload.unreadable");
    let message = error.to_string();
    assert!(message.contains("\"reviews.csv\""), "{message}");
    assert!(message.contains("CSV doctor"), "{message}");
    let id = created_id(&reports);
    assert_eq!(error.dataset_id(), Some(id.as_str()));
    assert!(ready_report(&reports).is_none());
    assert_eq!(practice.status(&id).await, ProcessingStatus::Error);

    // Resuming a dataset in ERROR says the same, and uploads nothing.
    let (progress, _) = recording();
    let again = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap_err();
    assert_eq!(again.code(), "upload.unreadable");
    assert_eq!(counted(&practice.server, UPLOAD_URL), 1);
}

#[tokio::test]
async fn a_file_prolific_cannot_read_ends_in_the_same_plain_error() {
    let practice = practice().await;
    let path = practice.dir.path().join("ragged.csv");
    std::fs::write(&path, "text,label\nfine,1\ntoo,many,cells\n").unwrap();
    let (progress, _) = recording();
    let error = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "upload.unreadable", "{error:?}");
}

#[tokio::test]
async fn cancelling_before_anything_is_made_makes_nothing() {
    let practice = practice().await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let (progress, reports) = recording();
    let error = practice.upload(&path, progress, &cancel).await.unwrap_err();
    assert!(
        matches!(error, UploadError::Cancelled { dataset_id: None }),
        "{error:?}"
    );
    assert_eq!(error.code(), "upload.cancelled");
    assert!(reports.lock().unwrap().is_empty());
    assert_eq!(counted(&practice.server, DATASETS), 0);
}

#[tokio::test]
async fn cancelling_during_the_upload_stops_it_and_resume_sends_the_file_again() {
    let practice = practice().await;
    // Storage holds the PUT unread, so the upload is certainly still under way when
    // the first bytes are reported.
    practice.server.faults().inject(
        Fault::Slow {
            delay_ms: 3_600_000,
        },
        FaultScope::route(STORAGE).method("PUT"),
        Times::Next(1),
    );
    let path = csv(practice.dir.path(), "reviews.csv", 4_000);
    let cancel = CancellationToken::new();
    let reports: Reports = Arc::default();
    let (sink, stop) = (Arc::clone(&reports), cancel.clone());
    let progress: OnProgress = Arc::new(move |stage| {
        if matches!(stage, UploadProgress::Uploading { .. }) {
            stop.cancel();
        }
        sink.lock().unwrap().push(stage);
    });
    let error = practice.upload(&path, progress, &cancel).await.unwrap_err();
    let id = created_id(&reports);
    match &error {
        UploadError::Cancelled { dataset_id } => assert_eq!(dataset_id.as_deref(), Some(&*id)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "The upload was cancelled. Nothing was made ready; you can start it again."
    );
    // Nothing is reported after the cancellation.
    assert!(matches!(
        reports.lock().unwrap().last(),
        Some(UploadProgress::Uploading { .. })
    ));
    assert_eq!(uploads(&reports).len(), 1);
    assert_eq!(practice.status(&id).await, ProcessingStatus::Uninitialised);

    let (progress, reports) = recording();
    let ready = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap();
    assert_eq!(ready.dataset_id, id);
    assert_eq!(ready.rows, Some(4_000));
    assert_progress_ends_whole(&reports, size(&path));
    assert_eq!(counted(&practice.server, DATASETS), 1);
}

#[tokio::test]
async fn cancelling_during_processing_stops_polling_and_resume_follows_then_is_done() {
    let practice = practice().await;
    let path = csv(practice.dir.path(), "reviews.csv", 40);
    let cancel = CancellationToken::new();
    let cancelling = client_with(
        &practice.server,
        Arc::new(CancellingClock(cancel.clone())) as Arc<dyn Clock>,
    );
    let (progress, reports) = recording();
    let error = upload_dataset(
        &cancelling,
        &practice.workspace_id,
        "Product reviews",
        &path,
        progress,
        &cancel,
        &policy(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "upload.cancelled", "{error:?}");
    let id = created_id(&reports);
    assert_eq!(error.dataset_id(), Some(id.as_str()));
    assert_eq!(
        reports.lock().unwrap().last(),
        Some(&UploadProgress::Processing {
            dataset_id: id.clone()
        })
    );
    assert_eq!(practice.status(&id).await, ProcessingStatus::Processing);

    // Resumed while PROCESSING: followed, not sent again.
    let (progress, reports) = recording();
    let ready = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap();
    assert_eq!(ready.rows, Some(40));
    assert!(uploads(&reports).is_empty());
    assert_eq!(
        reports.lock().unwrap().clone(),
        [
            UploadProgress::Processing {
                dataset_id: id.clone()
            },
            UploadProgress::Ready {
                dataset_id: id.clone(),
                rows: Some(40)
            }
        ]
    );

    // Resumed when READY: done at once.
    let (progress, reports) = recording();
    let again = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap();
    assert_eq!(again, ready);
    assert_eq!(
        reports.lock().unwrap().clone(),
        [UploadProgress::Ready {
            dataset_id: id.clone(),
            rows: Some(40)
        }]
    );
    assert_eq!(counted(&practice.server, DATASETS), 1);
    assert_eq!(counted(&practice.server, UPLOAD_URL), 1);
}

#[tokio::test]
async fn processing_that_outlasts_the_wait_is_kept_for_later() {
    let practice = practice().await;
    practice
        .server
        .set_processing_delay(Duration::from_secs(3600));
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let (progress, reports) = recording();
    let short = PollPolicy {
        timeout: Duration::from_secs(30),
        ..PollPolicy::default()
    };
    let error = upload_dataset(
        &practice.client,
        &practice.workspace_id,
        "Product reviews",
        &path,
        progress,
        &CancellationToken::new(),
        &short,
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "upload.still_processing", "{error:?}");
    let id = created_id(&reports);
    assert_eq!(error.dataset_id(), Some(id.as_str()));
    assert!(error.to_string().contains("Nothing is lost"), "{error}");

    // Later (an hour on), resuming finds it ready.
    practice.server.advance_clock(Duration::from_secs(3600));
    let (progress, _) = recording();
    let ready = resume_upload(
        &practice.client,
        &id,
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap();
    assert_eq!(ready.rows, Some(10));
    assert_eq!(counted(&practice.server, DATASETS), 1);
}

#[tokio::test]
async fn resuming_a_dataset_that_does_not_exist_is_not_found() {
    let practice = practice().await;
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let (progress, _) = recording();
    let error = resume_upload(
        &practice.client,
        "0192a3b5-e8f9-7a0b-8000-000000000000",
        &path,
        progress,
        &CancellationToken::new(),
        &policy(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "prolific.not_found", "{error:?}");
    assert_eq!(counted(&practice.server, UPLOAD_URL), 0);
}

#[tokio::test]
async fn a_file_that_cannot_be_sent_is_refused_before_a_dataset_is_made() {
    let practice = practice().await;
    let dir = practice.dir.path();
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let tabs = dir.join("reviews.tsv");
    std::fs::write(&tabs, "text\tlabel\nfine\t1\n").unwrap();
    for (path, code) in [
        (empty, "transfer.empty_file"),
        (dir.join("missing.csv"), "transfer.file"),
        (tabs, "upload.not_csv"),
    ] {
        let (progress, reports) = recording();
        let error = practice
            .upload(&path, progress, &CancellationToken::new())
            .await
            .unwrap_err();
        assert_eq!(error.code(), code, "{error:?}");
        assert!(reports.lock().unwrap().is_empty());
    }
    assert_eq!(counted(&practice.server, DATASETS), 0);
}

#[tokio::test]
async fn links_that_keep_expiring_end_in_a_plain_error_and_the_dataset_waits() {
    let practice = practice().await;
    practice.server.faults().inject(
        Fault::ExpireUploadUrl,
        FaultScope::route(UPLOAD_URL),
        Times::Always,
    );
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let (progress, reports) = recording();
    let error = practice
        .upload(&path, progress, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "transfer.link_expired", "{error:?}");
    assert!(error.to_string().contains("clock"), "{error}");
    assert!(ready_report(&reports).is_none());
    let id = created_id(&reports);
    assert_eq!(practice.status(&id).await, ProcessingStatus::Uninitialised);
}

#[tokio::test]
async fn cancelling_while_the_dataset_is_being_made_stops_at_once() {
    let practice = practice().await;
    // The server holds the create call; the first matching slow fault is used, so this
    // one goes before the counter.
    let faults = practice.server.faults();
    faults.clear();
    let hold = Fault::Slow {
        delay_ms: 3_600_000,
    };
    faults.inject(
        hold.clone(),
        FaultScope::route(DATASETS).method("POST"),
        Times::Next(1),
    );
    count(&practice.server, FaultScope::route(DATASETS).method("POST"));
    let path = csv(practice.dir.path(), "reviews.csv", 10);
    let cancel = CancellationToken::new();
    let (progress, reports) = recording();
    let practice = Arc::new(practice);
    let uploading = tokio::spawn({
        let (practice, cancel) = (Arc::clone(&practice), cancel.clone());
        async move { practice.upload(&path, progress, &cancel).await }
    });
    // The hold is used up when the server has the request in hand.
    while practice
        .server
        .faults()
        .active()
        .iter()
        .any(|rule| rule.fault == hold)
    {
        tokio::task::yield_now().await;
    }
    cancel.cancel();
    let error = uploading.await.unwrap().unwrap_err();
    assert!(
        matches!(error, UploadError::Cancelled { dataset_id: None }),
        "{error:?}"
    );
    assert_eq!(reports.lock().unwrap().clone(), [UploadProgress::Creating]);
}

#[tokio::test]
async fn a_typed_upload_whose_file_never_arrived_is_sent_again_on_resume() {
    use batchdesk_prolific::models::{DatasetSchema, FieldType, NewDataset, SchemaField};

    let practice = practice().await;
    let path = csv(practice.dir.path(), "reviews.csv", 50);
    let field = |kind| SchemaField { kind, label: None };
    let dataset = practice
        .client
        .create_dataset(&NewDataset {
            name: "reviews".to_owned(),
            workspace_id: practice.workspace_id.clone(),
            schema: Some(DatasetSchema {
                strict: false,
                fields: [
                    ("text".to_owned(), field(FieldType::Text)),
                    ("META_source".to_owned(), field(FieldType::Metadata)),
                ]
                .into(),
            }),
        })
        .await
        .unwrap();
    // The app stopped right after asking for the upload link: an import exists, waiting
    // for a file that will never come.
    practice
        .client
        .upload_url(&dataset.id, "reviews.csv")
        .await
        .unwrap();

    let (progress, reports) = recording();
    let resumed = tokio::time::timeout(
        Duration::from_secs(60),
        resume_upload(
            &practice.client,
            &dataset.id,
            &path,
            progress,
            &CancellationToken::new(),
            &policy(),
        ),
    )
    .await
    .expect("a resume that ends, not one following an import that never will")
    .unwrap();
    assert_eq!(resumed.dataset_id, dataset.id);
    assert_eq!(resumed.rows, Some(50));
    assert_progress_ends_whole(&reports, size(&path));
}
