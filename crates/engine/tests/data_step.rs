//! The first wizard step's draft and upload, against the in-app practice server over real
//! HTTP: READY is kept, a second upload resumes the same dataset, another file starts
//! afresh, and practice drafts never reach the real account's.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::credentials::TokenVault;
use batchdesk_engine::data_step;
use batchdesk_engine::store::Store;
use batchdesk_engine::upload::{UploadError, UploadProgress};
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
        Arc::new(TokenVault::with_entry(
            Entry::new_with_credential(Box::new(MockCredential::default())),
            ApiBase::parse(&real.base_url()).unwrap(),
        )),
    )
    .with_practice_config(support::strict(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    }));
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

/// A partial import is not ready (setup needs every row taken): the refused rows are
/// named, kept in the draft, and a copy without them goes up as a new dataset whose rows
/// are all taken; the researcher's file is never changed.
#[tokio::test]
async fn refused_rows_are_named_and_a_copy_without_them_is_sent_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let (connections, _real) = practising(dir.path()).await;
    let file = dir.path().join("ragged.csv");
    let original = "id,text\n1,good\n2,bad,extra\n3,fine\n\n4,also,extra,cells\n5,last\n";
    std::fs::write(&file, original).unwrap();
    let path = file.display().to_string();
    data_step::choose_file(&connections, path.clone(), path.clone())
        .await
        .unwrap();
    let refused = data_step::upload(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap_err();
    let data_step::DataStepError::Upload(UploadError::RowsRejected {
        accepted, rejected, ..
    }) = &refused
    else {
        panic!("{refused:?}");
    };
    assert_eq!(*accepted, 3);
    let rows: Vec<Option<u32>> = rejected.iter().map(|row| row.row).collect();
    assert_eq!(rows, [Some(2), Some(4)], "counted as a researcher counts");
    let message = refused.to_string();
    assert!(message.contains("refused 2 rows (row 2: "), "{message}");
    assert!(message.contains("continue without them"), "{message}");
    let draft = data_step::current_draft(&connections).await.unwrap();
    assert!(!draft.ready, "a partial import is not ready");
    assert_eq!(
        draft.rejected_rows, *rejected,
        "kept for the page after a restart"
    );

    let copies = dir.path().join("fixed");
    let ready = data_step::upload_without_rejected_rows(
        &connections,
        &copies,
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(ready.rows, Some(3));
    let draft = data_step::current_draft(&connections).await.unwrap();
    assert!(draft.ready && draft.typed);
    assert!(draft.rejected_rows.is_empty());
    assert_eq!(draft.source_path.as_deref(), Some(path.as_str()));
    let copy = draft.working_path.unwrap();
    assert!(
        copy.ends_with("ragged (without 2 refused rows).csv"),
        "{copy}"
    );
    assert_eq!(
        std::fs::read_to_string(copy).unwrap(),
        "id,text\n1,good\n3,fine\n5,last\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "untouched"
    );
}
