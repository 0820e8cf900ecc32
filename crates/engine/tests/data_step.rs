//! The first wizard step's draft and upload, against the in-app practice server over real
//! HTTP: READY is kept, a second upload resumes the same dataset, another file starts
//! afresh, and practice drafts never reach the real account's.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::credentials::TokenVault;
use batchdesk_engine::data_step;
use batchdesk_engine::store::Store;
use batchdesk_engine::upload::UploadProgress;
use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::{ApiBase, ApiToken};
use keyring::Entry;
use keyring::mock::MockCredential;
use tokio_util::sync::CancellationToken;

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .display()
        .to_string()
}

async fn practising(dir: &Path) -> (Connections, PracticeServer) {
    let real = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let connections = Connections::new(
        Store::open_in_dir(dir).unwrap(),
        Arc::new(TokenVault::with_entry(Entry::new_with_credential(
            Box::new(MockCredential::default()),
        ))),
        ApiBase::parse(&real.base_url()).unwrap(),
    )
    .with_practice_config(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    });
    connections.start_practice().await.unwrap();
    (connections, real)
}

#[tokio::test]
async fn an_upload_is_kept_resumed_and_started_afresh_for_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let (connections, real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    let draft = data_step::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    assert_eq!(draft.working_path.as_deref(), Some(reviews.as_str()));
    assert_eq!(draft.dataset_id, None);

    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let ready = data_step::upload(
        &connections,
        move |step| seen.lock().unwrap().push(step),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(ready.rows, Some(24));
    assert!(matches!(
        stages.lock().unwrap().last(),
        Some(UploadProgress::Ready { .. })
    ));
    let kept = data_step::current_draft(&connections).await.unwrap();
    assert!(kept.ready);
    assert_eq!(kept.ready_rows, Some(24));
    assert_eq!(kept.dataset_id.as_deref(), Some(ready.dataset_id.as_str()));

    // Choosing the same file again and uploading resumes: same dataset, nothing made.
    data_step::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    let again = data_step::upload(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(again.dataset_id, ready.dataset_id);

    // Another file starts a new draft.
    let grouped = sample("grouped.csv");
    let fresh = data_step::choose_file(&connections, grouped.clone(), grouped)
        .await
        .unwrap();
    assert_eq!(fresh.dataset_id, None);
    assert!(!fresh.ready);

    // The real account has its own (empty) draft.
    connections
        .connect(ApiToken::new(real.token()))
        .await
        .unwrap();
    assert_eq!(
        data_step::current_draft(&connections).await.unwrap(),
        Default::default()
    );
}

#[tokio::test]
async fn a_cancelled_upload_keeps_its_dataset_for_the_next_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let (connections, _real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    data_step::choose_file(&connections, reviews.clone(), reviews)
        .await
        .unwrap();
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    // Cancel as soon as the dataset exists: its id must already be in the draft.
    let result = data_step::upload(
        &connections,
        move |step| {
            if matches!(step, UploadProgress::Created { .. }) {
                stop.cancel();
            }
        },
        &cancel,
    )
    .await;
    assert!(
        result.is_err(),
        "a cancelled upload does not report success"
    );
    let kept = data_step::current_draft(&connections).await.unwrap();
    let dataset_id = kept.dataset_id.clone().unwrap();
    assert!(!kept.ready);
    let finished = data_step::upload(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        finished.dataset_id, dataset_id,
        "the next attempt resumed the same dataset"
    );
}

#[tokio::test]
async fn a_dataset_the_server_no_longer_has_is_forgotten_but_the_file_choice_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (connections, _real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    data_step::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    data_step::upload(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(data_step::current_draft(&connections).await.unwrap().ready);

    // Leaving and restarting practice starts an empty practice server.
    connections.sign_out().await.unwrap();
    connections.start_practice().await.unwrap();
    let draft = data_step::current_draft(&connections).await.unwrap();
    assert_eq!(draft.working_path.as_deref(), Some(reviews.as_str()));
    assert_eq!(draft.dataset_id, None);
    assert!(!draft.ready);
}

#[tokio::test]
async fn uploading_before_choosing_a_file_says_to_choose_one() {
    let dir = tempfile::tempdir().unwrap();
    let (connections, _real) = practising(dir.path()).await;
    let error = data_step::upload(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, data_step::DataStepError::NoFile),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("Choose or drop your data file first")
    );
}
