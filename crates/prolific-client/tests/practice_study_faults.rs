//! Creating and publishing a study, and reviewing a submission, when an answer is lost:
//! before the server acted (the practice server's own faults) or after it (a proxy that
//! drops the committed answer). Either way there is exactly one study, it is published
//! once and its money committed once, and a review is made once.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use batchdesk_practice::{Fault, FaultScope, PracticeConfig, PracticeServer, Times};
use batchdesk_prolific::models::{
    BatchSetup, ProcessingStatus, Review, StudyStatus, SubmissionStatus,
};
use batchdesk_prolific::{Client, ProlificError};
use support::fast_options;
use support::practice::{
    batch_with_data, client_for, new_study, poll, ready_batch, start, start_with, workspace_id,
};
use support::proxy::{AfterCommitProxy, Lost};

const STUDIES: &str = "/api/v1/studies/";
const TRANSITION: &str = "/api/v1/studies/{id}/transition/";

async fn studies_named(client: &Client, internal_name: &str) -> usize {
    client
        .studies(None)
        .await
        .unwrap()
        .items
        .iter()
        .filter(|study| study.internal_name.as_deref() == Some(internal_name))
        .count()
}

async fn available(client: &Client) -> i64 {
    client
        .workspace_balance(&workspace_id())
        .await
        .unwrap()
        .available_balance
}

/// A server with slow participants (so a published study stays ACTIVE) and a client
/// that goes through an after-commit proxy.
async fn behind_proxy() -> (PracticeServer, Client, AfterCommitProxy, tempfile::TempDir) {
    let (server, direct, _) = start_with(PracticeConfig {
        participant_pace: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let dir = batchdesk_test_support::temp_folder();
    // The batch is made directly: its list links name the server's own host.
    ready_batch(&direct, dir.path(), 4, 1).await;
    let proxy = AfterCommitProxy::start(&server.base_url()).await;
    let (options, _) = fast_options(5);
    let client = client_for(&proxy.base_url, server.token(), options);
    (server, client, proxy, dir)
}

async fn only_batch(client: &Client) -> batchdesk_prolific::models::Batch {
    client
        .batches(&workspace_id())
        .await
        .unwrap()
        .items
        .remove(0)
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_after_commit_finds_the_study_it_made() {
    for lost in [Lost::ServerError, Lost::Dropped] {
        let (_server, client, proxy, _dir) = behind_proxy().await;
        let batch = only_batch(&client).await;
        proxy.lose_answer("POST", STUDIES, lost, 1);
        let study = client
            .create_study(&new_study(&batch, "after commit", 2))
            .await
            .unwrap();
        assert_eq!(study.internal_name.as_deref(), Some("after commit"));
        assert_eq!(study.data_collection_id.as_deref(), Some(batch.id.as_str()));
        assert_eq!(proxy.count("POST", STUDIES), 1, "{lost:?}: not sent again");
        assert_eq!(studies_named(&client, "after commit").await, 1, "{lost:?}");
    }
}

#[tokio::test]
async fn a_create_that_fails_before_commit_is_sent_again_once() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 4, 1).await;
    // A draft of the same name on another batch is not mistaken for the lost one.
    let other = ready_batch(&client, dir.path(), 2, 1).await;
    client
        .create_study(&new_study(&other, "before commit", 1))
        .await
        .unwrap();
    let create = || FaultScope::route(STUDIES).method("POST");
    for fault in [
        Fault::ServerError { status: 500 },
        Fault::ServerError { status: 502 },
        Fault::DropConnection,
        Fault::RateLimited {
            retry_after_seconds: None,
        },
    ] {
        server.faults().inject(fault, create(), Times::Next(1));
    }
    let study = client
        .create_study(&new_study(&batch, "before commit", 1))
        .await
        .unwrap();
    assert_eq!(study.data_collection_id.as_deref(), Some(batch.id.as_str()));
    assert!(server.faults().active().is_empty());
    assert_eq!(
        studies_named(&client, "before commit").await,
        2,
        "one per batch"
    );
}

#[tokio::test]
async fn a_create_that_keeps_failing_unclearly_gives_up_with_a_typed_error() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 2, 1).await;
    server.faults().inject(
        Fault::ServerError { status: 503 },
        FaultScope::route(STUDIES).method("POST"),
        Times::Always,
    );
    let error = client
        .create_study(&new_study(&batch, "never", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 503 }),
        "{error:?}"
    );
    server.faults().clear();
    assert_eq!(studies_named(&client, "never").await, 0);
}

#[tokio::test]
async fn a_publish_whose_answer_is_lost_after_commit_is_not_sent_again() {
    for lost in [Lost::Dropped, Lost::ServerError] {
        let (_server, client, proxy, _dir) = behind_proxy().await;
        let batch = only_batch(&client).await;
        let draft = client
            .create_study(&new_study(&batch, "publish once", 1))
            .await
            .unwrap();
        let before = available(&client).await;
        proxy.lose_answer("POST", TRANSITION, lost, 1);
        let published = client.publish_study(&draft.id).await.unwrap();
        assert_eq!(published.status, Some(StudyStatus::Active), "{lost:?}");
        assert_eq!(proxy.count("POST", TRANSITION), 1, "{lost:?}");
        // 4 places at 100p, plus the practice fee: committed once.
        assert_eq!(before - available(&client).await, 560, "{lost:?}");
    }
}

#[tokio::test]
async fn a_publish_that_fails_before_commit_is_sent_again_and_publishes_once() {
    let (server, client, _) = start_with(PracticeConfig {
        participant_pace: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 4, 1).await;
    let draft = client
        .create_study(&new_study(&batch, "publish retried", 1))
        .await
        .unwrap();
    let before = available(&client).await;
    let publish = || FaultScope::route(TRANSITION).method("POST");
    server
        .faults()
        .inject(Fault::DropConnection, publish(), Times::Next(1));
    server.faults().inject(
        Fault::ServerError { status: 500 },
        publish(),
        Times::Next(1),
    );
    let published = client.publish_study(&draft.id).await.unwrap();
    assert_eq!(published.status, Some(StudyStatus::Active));
    assert!(server.faults().active().is_empty());
    assert_eq!(before - available(&client).await, 560);
}

#[tokio::test]
async fn a_publish_refused_while_the_status_read_fails_reports_the_read_error() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 2, 1).await;
    let draft = client
        .create_study(&new_study(&batch, "unknown state", 1))
        .await
        .unwrap();
    server.faults().inject(
        Fault::ServerError { status: 500 },
        FaultScope::route(TRANSITION),
        Times::Next(1),
    );
    // The read that would tell whether the publish happened keeps failing: the client
    // stops with that error rather than publishing blindly.
    server.faults().inject(
        Fault::ServerError { status: 503 },
        FaultScope::route("/api/v1/studies/{id}/").method("GET"),
        Times::Always,
    );
    let error = client.publish_study(&draft.id).await.unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 503 }),
        "{error:?}"
    );
    server.faults().clear();
    assert_eq!(
        client.study(&draft.id).await.unwrap().status,
        Some(StudyStatus::Unpublished)
    );
}

#[tokio::test]
async fn a_review_whose_answer_is_lost_after_commit_is_made_once() {
    let (server, direct, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&direct, dir.path(), 3, 1).await;
    let study = direct
        .create_study(&new_study(&batch, "reviewed", 1))
        .await
        .unwrap();
    direct.publish_study(&study.id).await.unwrap();
    let submissions = direct.submissions(&study.id, None).await.unwrap().items;

    let proxy = AfterCommitProxy::start(&server.base_url()).await;
    let (options, _) = fast_options(5);
    let client = client_for(&proxy.base_url, server.token(), options);
    let path = "/api/v1/submissions/{id}/transition/";
    proxy.lose_answer("POST", path, Lost::Dropped, 1);
    let approved = client
        .review_submission(&submissions[0].id, &Review::Approve)
        .await
        .unwrap();
    assert_eq!(approved.status, SubmissionStatus::Approved);
    assert_eq!(proxy.count("POST", path), 1);

    // Lost before the server acted: sent again.
    server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(path),
        Times::Next(1),
    );
    let approved = client
        .review_submission(&submissions[1].id, &Review::Approve)
        .await
        .unwrap();
    assert_eq!(approved.status, SubmissionStatus::Approved);
    assert_eq!(proxy.count("POST", path), 3);
    let counts = client.submission_counts(&study.id).await.unwrap();
    assert_eq!((counts.approved, counts.awaiting_review), (2, 1));
}

#[tokio::test]
async fn reads_ride_out_rate_limits_server_errors_and_drops_but_not_slowness() {
    let (server, client, clock) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 2, 1).await;
    let study = client
        .create_study(&new_study(&batch, "reads", 1))
        .await
        .unwrap();
    let read = || FaultScope::route("/api/v1/studies/{id}/").method("GET");
    for fault in [
        Fault::RateLimited {
            retry_after_seconds: Some(3),
        },
        Fault::ServerError { status: 502 },
        Fault::DropConnection,
    ] {
        server.faults().inject(fault, read(), Times::Next(1));
    }
    let slept_before = clock.slept().len();
    assert_eq!(client.study(&study.id).await.unwrap().id, study.id);
    let slept = clock.slept()[slept_before..].to_vec();
    assert_eq!(slept.len(), 3);
    assert_eq!(slept[0], Duration::from_secs(3), "Retry-After honoured");

    // A server slower than the client's patience: a plain timeout, not a hang.
    server.faults().inject(
        Fault::Slow { delay_ms: 60_000 },
        FaultScope::route("/api/v1/studies/{id}/submissions/counts/"),
        Times::Always,
    );
    let (mut options, _) = fast_options(2);
    options.total_timeout = Duration::from_millis(200);
    let impatient = client_for(&server.base_url(), server.token(), options);
    let error = impatient.submission_counts(&study.id).await.unwrap_err();
    assert!(matches!(error, ProlificError::Timeout(_)), "{error:?}");
}

#[tokio::test]
async fn a_setup_that_ends_in_error_cannot_carry_a_study() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = batch_with_data(&client, dir.path(), 2).await;
    server.faults().inject(
        Fault::ProcessingError,
        FaultScope::route("/api/v1/data-collection/batches/{batch_id}/setup"),
        Times::Next(1),
    );
    client
        .setup_batch(&batch.id, &BatchSetup::default())
        .await
        .unwrap();
    assert_eq!(
        client.wait_for_batch(&batch.id, &poll()).await.unwrap(),
        ProcessingStatus::Error
    );
    let error = client
        .create_study(&new_study(&batch, "on a broken batch", 1))
        .await
        .unwrap_err();
    let ProlificError::Validation { detail, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        detail.as_deref().unwrap_or_default().contains("READY"),
        "{error}"
    );
    assert_eq!(studies_named(&client, "on a broken batch").await, 0);
}
