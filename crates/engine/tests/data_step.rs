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
use batchdesk_engine::wizard;
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
    let dir = batchdesk_test_support::temp_folder();
    let (connections, real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    let draft = wizard::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    assert_eq!(draft.working_path.as_deref(), Some(reviews.as_str()));
    assert_eq!(draft.dataset_id, None);

    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let ready = wizard::upload_data(
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
    let kept = wizard::data_draft(&connections).await.unwrap();
    assert!(kept.ready);
    assert_eq!(kept.ready_rows, Some(24));
    assert_eq!(kept.dataset_id.as_deref(), Some(ready.dataset_id.as_str()));

    // Choosing the same file again and uploading resumes: same dataset, nothing made.
    wizard::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    let again = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(again.dataset_id, ready.dataset_id);

    // Another file starts a new draft.
    let grouped = sample("grouped.csv");
    let fresh = wizard::choose_file(&connections, grouped.clone(), grouped)
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
        wizard::data_draft(&connections).await.unwrap(),
        Default::default()
    );
}

#[tokio::test]
async fn a_cancelled_upload_keeps_its_dataset_for_the_next_attempt() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    wizard::choose_file(&connections, reviews.clone(), reviews)
        .await
        .unwrap();
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    // Cancel as soon as the dataset exists: its id must already be in the draft.
    let result = wizard::upload_data(
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
    let kept = wizard::data_draft(&connections).await.unwrap();
    let dataset_id = kept.dataset_id.clone().unwrap();
    assert!(!kept.ready);
    let finished = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        finished.dataset_id, dataset_id,
        "the next attempt resumed the same dataset"
    );
}

#[tokio::test]
async fn a_dataset_the_server_no_longer_has_is_forgotten_but_the_file_choice_kept() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let reviews = sample("reviews.csv");
    wizard::choose_file(&connections, reviews.clone(), reviews.clone())
        .await
        .unwrap();
    wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(wizard::data_draft(&connections).await.unwrap().ready);

    // Leaving and restarting practice starts an empty practice server.
    connections.sign_out().await.unwrap();
    connections.start_practice().await.unwrap();
    let draft = wizard::data_draft(&connections).await.unwrap();
    assert_eq!(draft.working_path.as_deref(), Some(reviews.as_str()));
    assert_eq!(draft.dataset_id, None);
    assert!(!draft.ready);
}

#[tokio::test]
async fn uploading_before_choosing_a_file_says_to_choose_one() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let error = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
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
    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let file = dir.path().join("ragged.csv");
    let original = "id,text\n1,good\n2,bad,extra\n3,fine\n\n4,also,extra,cells\n5,last\n";
    std::fs::write(&file, original).unwrap();
    let path = file.display().to_string();
    wizard::choose_file(&connections, path.clone(), path.clone())
        .await
        .unwrap();
    let refused = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
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
    assert!(
        message.contains("refused 2 rows (the first is row 2: "),
        "{message}"
    );
    assert!(message.contains("continue without them"), "{message}");
    let draft = wizard::data_draft(&connections).await.unwrap();
    assert!(!draft.ready, "a partial import is not ready");
    assert_eq!(
        draft.rejected_rows, *rejected,
        "kept for the page after a restart"
    );

    let copies = dir.path().join("fixed");
    let ready = wizard::upload_without_rejected_rows(
        &connections,
        &copies,
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(ready.rows, Some(3));
    let draft = wizard::data_draft(&connections).await.unwrap();
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

/// A CSV of `rows` data rows, each saying `word`.
fn rows_of(word: &str, rows: usize) -> String {
    let mut text = String::from("id,review_text\n");
    for row in 1..=rows {
        text.push_str(&format!("{row},\"{word} review number {row}\"\n"));
    }
    text
}

/// Issue 16, hole 6: an upload is matched to its file by contents, not by path. A file
/// edited in place after it was uploaded lets its dataset go, says so, and goes up again
/// as a new dataset holding the new rows; choosing it again does not bring the old
/// dataset back.
#[tokio::test]
async fn a_file_edited_in_place_after_upload_goes_up_again_as_a_new_dataset() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let file = dir.path().join("reviews.csv");
    std::fs::write(&file, rows_of("old", 6)).unwrap();
    let path = file.display().to_string();
    wizard::choose_file(&connections, path.clone(), path.clone())
        .await
        .unwrap();
    let first = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(first.rows, Some(6));
    let uploaded = wizard::data_draft(&connections).await.unwrap();
    assert!(uploaded.ready && !uploaded.changed_since_upload);
    let identity = uploaded.uploaded_identity.clone().unwrap();
    assert_eq!(identity.size, std::fs::metadata(&file).unwrap().len());
    assert_eq!(identity.sha256.len(), 64);
    assert!(identity.modified.is_some());

    // The researcher fixes a typo in Excel and saves over the same file: same size.
    std::fs::write(&file, rows_of("new", 6)).unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().len(),
        identity.size,
        "an edit of the same size"
    );
    // Choosing the same path again (as the UI does after reading it) keeps nothing.
    let chosen = wizard::choose_file(&connections, path.clone(), path.clone())
        .await
        .unwrap();
    assert_eq!(chosen.dataset_id, None, "the old dataset is let go");
    assert!(!chosen.ready);
    assert!(chosen.changed_since_upload, "and the researcher is told");
    assert_eq!(chosen.working_path.as_deref(), Some(path.as_str()));

    let second = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_ne!(second.dataset_id, first.dataset_id, "a new dataset");
    let draft = wizard::data_draft(&connections).await.unwrap();
    assert!(draft.ready && !draft.changed_since_upload);
    assert_eq!(
        draft.dataset_id.as_deref(),
        Some(second.dataset_id.as_str())
    );
    assert_ne!(draft.uploaded_identity.unwrap().sha256, identity.sha256);

    // The new dataset holds the new rows.
    let (_, client) = connections.client().await.unwrap();
    let dataset = client.dataset(&second.dataset_id).await.unwrap();
    assert_eq!(dataset.total_datapoint_count, Some(6));

    // Edited again with more rows and only the step shown (no new choice): also seen.
    std::fs::write(&file, rows_of("newer", 8)).unwrap();
    let draft = wizard::data_draft(&connections).await.unwrap();
    assert!(draft.changed_since_upload && !draft.ready);
    assert_eq!(draft.dataset_id, None);
    let third = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(third.rows, Some(8));
    assert_ne!(third.dataset_id, second.dataset_id);
}

/// Never a layout without its data: a batch set up on the dataset of a file that was
/// edited since is neither shown as ready nor launched, setting up says why, and once the
/// new dataset is up a new batch is set up on it.
#[tokio::test]
async fn a_batch_set_up_on_the_old_data_is_set_up_again_on_the_new_dataset() {
    use batchdesk_engine::study_step::StudyStepError;
    use batchdesk_engine::task::design::DataRow;
    use batchdesk_engine::task::templates;
    use batchdesk_engine::task_step::{SetupOutcome, TaskStepError};

    let dir = batchdesk_test_support::temp_folder();
    let (connections, _real) = practising(dir.path()).await;
    let file = dir.path().join("reviews.csv");
    std::fs::write(&file, rows_of("old", 8)).unwrap();
    let path = file.display().to_string();
    wizard::choose_file(&connections, path.clone(), path.clone())
        .await
        .unwrap();
    let first = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let context = support::task_context(&connections).await;
    let mut design = templates::apply_built_in("sentiment", &context)
        .unwrap()
        .design;
    design.data_rows = vec![DataRow {
        columns: vec!["review_text".to_owned()],
    }];
    design.tasks_per_group = 4;
    wizard::save_design(&connections, design, &context)
        .await
        .unwrap();
    let set_up = support::setting_up(&connections, &context).await.unwrap();
    let SetupOutcome::Ready(old_batch) = set_up else {
        panic!("{set_up:?}")
    };
    wizard::study_context(&connections).await.unwrap();

    std::fs::write(&file, rows_of("new", 8)).unwrap();
    let task = wizard::task_draft(&connections).await.unwrap();
    assert_eq!(task.batch, None, "the old batch is not offered");
    assert!(task.set_up_on_other_data);
    let error = wizard::study_context(&connections).await.unwrap_err();
    assert!(matches!(error, StudyStepError::DataChanged), "{error:?}");
    let error = support::setting_up(&connections, &context)
        .await
        .unwrap_err();
    assert!(matches!(error, TaskStepError::DataChanged), "{error:?}");
    assert!(error.to_string().contains("Upload it again in step 1"));

    let second = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_ne!(second.dataset_id, first.dataset_id);
    let set_up = support::setting_up(&connections, &context).await.unwrap();
    let SetupOutcome::Ready(new_batch) = set_up else {
        panic!("{set_up:?}")
    };
    assert_ne!(new_batch.batch_id, old_batch.batch_id, "a new batch");
    let task = wizard::task_draft(&connections).await.unwrap();
    assert!(!task.set_up_on_other_data);
    assert_eq!(
        task.batch.unwrap().dataset_id,
        second.dataset_id,
        "set up on the new dataset"
    );
    wizard::study_context(&connections).await.unwrap();
}
