//! Every kind of list, longer than a page, read whole from the practice server over real
//! HTTP (it answers three items a page by default and at most ten, and besides `results`
//! only what each list's schema documents); and lists that cannot be read whole are
//! flagged, so that a create whose answer was lost is never made again on their word.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_practice::{Fault, FaultScope, PracticeServer, Times};
use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{NewBatch, StudyStatus, TaskDetails};
use serde_json::json;
use support::practice::{new_study, project_id, ready_batch, start, workspace_id};

const STUDIES: &str = "/api/v1/studies/";
const BATCHES: &str = "/api/v1/data-collection/batches";

/// The client has no call that makes a workspace; the test makes them directly.
async fn make_workspace(server: &PracticeServer, title: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/workspaces/", server.base_url()))
        .header("Authorization", format!("Token {}", server.token()))
        .json(&json!({ "title": title }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}

fn empty_batch(name: &str) -> NewBatch {
    NewBatch {
        name: name.to_owned(),
        workspace_id: workspace_id(),
        task_details: TaskDetails {
            task_name: "Rate reviews".into(),
            task_introduction: "<p>Read each review.</p>".into(),
            task_steps: "<ol><li>Read</li><li>Rate</li></ol>".into(),
        },
        dataset_id: None,
        batch_items: None,
        auto_sync_enabled: None,
    }
}

#[tokio::test]
async fn workspaces_of_more_than_a_page_are_read_whole() {
    let (server, client, _) = start().await;
    for number in 1..=7 {
        make_workspace(&server, &format!("Lab {number}")).await;
    }
    let listed = client.workspaces().await.unwrap();
    assert!(!listed.possibly_truncated);
    let titles: Vec<&str> = listed.items.iter().map(|w| w.title.as_str()).collect();
    assert_eq!(titles.len(), 8);
    assert_eq!(titles[0], "Practice workspace");
    assert_eq!(titles[7], "Lab 7");
}

#[tokio::test]
async fn projects_of_more_than_a_page_are_read_whole() {
    let (_server, client, _) = start().await;
    for number in 1..=6 {
        client
            .create_project(&workspace_id(), &format!("Pilot {number}"))
            .await
            .unwrap();
    }
    let listed = client.projects(&workspace_id()).await.unwrap();
    assert!(!listed.possibly_truncated);
    assert_eq!(listed.items.len(), 7);
    assert_eq!(listed.items[0].id, project_id());
    assert_eq!(listed.items[6].title, "Pilot 6");
}

#[tokio::test]
async fn studies_of_more_than_a_page_are_read_whole() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 4, 1).await;
    for number in 1..=7 {
        client
            .create_study(&new_study(&batch, &format!("draft {number}"), 1))
            .await
            .unwrap();
    }
    let all = client.studies(None).await.unwrap();
    assert!(!all.possibly_truncated);
    let names: Vec<&str> = all
        .items
        .iter()
        .filter_map(|study| study.internal_name.as_deref())
        .collect();
    assert_eq!(names.len(), 7);
    assert_eq!(names[6], "draft 7");
    let drafts = client
        .studies(Some(&StudyStatus::Unpublished))
        .await
        .unwrap();
    assert_eq!(drafts.items.len(), 7);
    assert!(!drafts.possibly_truncated);
}

#[tokio::test]
async fn submissions_come_whole_even_when_pages_are_smaller_than_asked_for() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    // Twelve places: the client asks 100 a page, the practice server gives ten.
    let batch = ready_batch(&client, dir.path(), 6, 1).await;
    let study = client
        .create_study(&new_study(&batch, "twelve", 2))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();
    let all = client.submissions(&study.id, None).await.unwrap();
    assert!(!all.possibly_truncated);
    assert_eq!(all.items.len(), 12, "a short page is not the last");
    let of_study = client.study_submissions(&study.id).await.unwrap();
    assert!(!of_study.possibly_truncated);
    assert_eq!(of_study.items.len(), 12);
}

#[tokio::test]
async fn batches_and_their_responses_of_more_than_a_page_are_read_whole() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    // Two questions for each of 4 tasks, answered by 2 people each: 16 responses.
    let batch = ready_batch(&client, dir.path(), 4, 1).await;
    let study = client
        .create_study(&new_study(&batch, "answered", 2))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();
    let responses = client.batch_responses(&batch.id).await.unwrap();
    assert!(!responses.possibly_truncated);
    assert_eq!(responses.items.len(), 16);

    for number in 1..=5 {
        client
            .create_batch(&empty_batch(&format!("Empty {number}")))
            .await
            .unwrap();
    }
    let batches = client.batches(&workspace_id()).await.unwrap();
    assert!(!batches.possibly_truncated);
    let names: Vec<&str> = batches.items.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names.len(), 6);
    assert_eq!(names[5], "Empty 5");
}

#[tokio::test]
async fn filters_are_followed_by_their_links_and_filter_sets_read_whole() {
    let (_server, client, _) = start().await;
    let filters = client.filters().await.unwrap();
    assert!(!filters.possibly_truncated);
    assert_eq!(filters.items.len(), 4);
    let sets = client.filter_sets(&workspace_id()).await.unwrap();
    assert!(!sets.possibly_truncated);
    assert!(sets.items.is_empty());
}

#[tokio::test]
async fn a_lost_study_is_not_made_again_when_the_drafts_cannot_all_be_read() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 4, 1).await;
    for number in 1..=4 {
        client
            .create_study(&new_study(&batch, &format!("draft {number}"), 1))
            .await
            .unwrap();
    }
    // The list answers its first page whatever page is asked for: only three of the
    // four drafts can be read, and the client cannot tell what it missed.
    server.faults().inject(
        Fault::IgnorePage,
        FaultScope::route(STUDIES).method("GET"),
        Times::Always,
    );
    let listed = client.studies(None).await.unwrap();
    assert_eq!(listed.items.len(), 3);
    assert!(listed.possibly_truncated);

    server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(STUDIES).method("POST"),
        Times::Next(1),
    );
    let error = client
        .create_study(&new_study(&batch, "lost", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::IncompleteList { .. }),
        "{error:?}"
    );
    server.faults().clear();
    assert_eq!(
        client.studies(None).await.unwrap().items.len(),
        4,
        "nothing was sent again on the word of part of a list"
    );
}

#[tokio::test]
async fn a_batch_list_whose_count_exceeds_its_pages_is_flagged_and_not_searched() {
    let (server, client, _) = start().await;
    for number in 1..=4 {
        client
            .create_batch(&empty_batch(&format!("Empty {number}")))
            .await
            .unwrap();
    }
    server.faults().inject(
        Fault::IgnorePage,
        FaultScope::route(BATCHES).method("GET"),
        Times::Always,
    );
    // `meta.count` says four; the pages only ever give the first three.
    let listed = client.batches(&workspace_id()).await.unwrap();
    assert_eq!(listed.items.len(), 3);
    assert!(listed.possibly_truncated);

    server.faults().inject(
        Fault::DropConnection,
        FaultScope::route(BATCHES).method("POST"),
        Times::Next(1),
    );
    let error = client.create_batch(&empty_batch("Lost")).await.unwrap_err();
    assert_eq!(error.code(), "prolific.incomplete_list", "{error:?}");
    assert!(error.to_string().contains("list of batches"), "{error}");
    server.faults().clear();
    assert_eq!(
        client.batches(&workspace_id()).await.unwrap().items.len(),
        4
    );
}
