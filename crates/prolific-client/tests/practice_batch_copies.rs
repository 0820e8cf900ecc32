//! Copies of a batch and its tasks and task groups, against the practice server over
//! real HTTP; a copy whose answer is lost after the server made it is not made twice.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_prolific::{ProlificError, preview_url};
use support::fast_options;
use support::practice::{client_for, ready_batch, start, workspace_id};
use support::proxy::{AfterCommitProxy, Lost};

#[tokio::test]
async fn a_batch_lists_its_tasks_and_groups_and_is_copied_with_or_without_its_data() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    // 4 reviews in groups of 2.
    let batch = ready_batch(&client, dir.path(), 4, 2).await;
    assert_eq!(client.batch_tasks(&batch.id).await.unwrap().len(), 4);
    let groups = client.batch_task_groups(&batch.id).await.unwrap();
    assert_eq!(groups.len(), 2);
    assert!(preview_url(&batch.id, &groups[0]).ends_with("?preview=true"));

    let copy = client
        .duplicate_batch(&batch.id, None, false)
        .await
        .unwrap();
    assert_eq!(copy.name, format!("{} (Copy)", batch.name));
    assert_ne!(copy.id, batch.id);
    assert_eq!(
        copy.datasets[0].id, batch.datasets[0].id,
        "the dataset is shared"
    );
    let empty = client
        .duplicate_batch(&batch.id, Some("Fresh data"), true)
        .await
        .unwrap();
    assert_eq!(empty.name, "Fresh data");
    assert!(empty.datasets.is_empty());
    assert_eq!(
        client.batches(&workspace_id()).await.unwrap().items.len(),
        3
    );

    let error = client
        .duplicate_batch("0192a3b5-e8f9-7a0b-8000-000000000000", None, false)
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn a_copy_whose_answer_is_lost_after_commit_is_found_not_made_again() {
    let (server, direct, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&direct, dir.path(), 2, 1).await;
    let proxy = AfterCommitProxy::start(&server.base_url()).await;
    let (options, _) = fast_options(5);
    let client = client_for(&proxy.base_url, server.token(), options);
    let path = "/api/v1/data-collection/batches/{id}/duplicate";
    proxy.lose_answer("POST", path, Lost::ServerError, 1);
    let copy = client
        .duplicate_batch(&batch.id, Some("Second round"), false)
        .await
        .unwrap();
    assert_eq!(copy.name, "Second round");
    assert_eq!(proxy.count("POST", path), 1);
    assert_eq!(
        client.batches(&workspace_id()).await.unwrap().items.len(),
        2
    );
}
