//! The engine's create-or-find paths and approve-all against the in-app practice server
//! over real HTTP, when a list spans pages (three to a page by default there) and when
//! it cannot be read whole (a fault makes it answer its first page whatever page is
//! asked for): what was made earlier is found past the first page, and nothing is made
//! again, or approved, on the word of part of a list.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::error_code::Coded;
use batchdesk_engine::monitor::FactsCache;
use batchdesk_engine::session::SessionError;
use batchdesk_engine::study_actions::{self, ActionError};
use batchdesk_engine::study_step::{LaunchRequest, StudyStepError};
use batchdesk_engine::task::rules::DataContext;
use batchdesk_engine::task_step::{SetupOutcome, TaskStepError};
use batchdesk_engine::wizard;
use batchdesk_practice::PracticeConfig;
use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{NewBatch, NewStudy, TaskDetails};
use serde_json::json;

const TOKEN: &str = "incomplete-lists-token";

/// Practice mode with the review data set up as a sentiment task (6 assignments), its
/// study settings at their defaults; participants finish at once.
async fn ready(dir: &Path) -> Connections {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    connections
}

/// Switches the practice server's faults through its admin route: `Some(route)` makes
/// GETs of that list answer their first page whatever page is asked for, `None` clears.
async fn lists_ignore_pages(connections: &Connections, route: Option<&str>) {
    let (_, client) = connections.client().await.unwrap();
    let url = format!(
        "{}/_practice/faults",
        client.base().as_str().trim_end_matches('/')
    );
    let http = reqwest::Client::new();
    let request = match route {
        Some(route) => http.post(url).json(&json!({
            "fault": {"kind": "ignore_page"},
            "scope": {"method": "GET", "route": route},
            "times": "always",
        })),
        None => http.delete(url),
    };
    let response = request
        .header("Authorization", format!("Token {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{response:?}");
}

fn is_incomplete_list(error: &ProlificError) -> bool {
    matches!(error, ProlificError::IncompleteList { .. })
        && error
            .text()
            .to_string()
            .starts_with("Prolific sent only part of its list")
}

async fn study_count(connections: &Connections) -> usize {
    let (_, client) = connections.client().await.unwrap();
    let listed = client.studies(None).await.unwrap();
    assert!(!listed.possibly_truncated);
    listed.items.len()
}

#[tokio::test]
async fn a_lost_study_is_found_past_the_first_page_and_not_made_again_from_part_of_the_list() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let store = connections.store();
    let (_, client) = connections.client().await.unwrap();
    let batch_id = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .batch
        .unwrap()
        .batch_id
        .unwrap();
    let settings = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    let draft_named = |internal: &str| {
        let mut study = NewStudy::for_batch(
            &batch_id,
            settings.project_id.as_deref().unwrap(),
            &settings.title,
            internal,
            3,
            i64::from(settings.reward),
            settings.estimated_minutes,
        );
        study.description = settings.description.clone();
        study
    };
    // Four other drafts first, so the lost one is on the second page.
    for number in 1..=4 {
        client
            .create_study(&draft_named(&format!("Other {number}")))
            .await
            .unwrap();
    }
    // As if the app had journaled "create started", Prolific had made the study, and
    // the answer never came back: the journal has no id for it.
    support::journal_lost_create(store, &batch_id);
    let lost = client
        .create_study(&draft_named(&format!(
            "{} [batchdesk 1234]",
            settings.internal_name
        )))
        .await
        .unwrap();
    assert_eq!(study_count(&connections).await, 5);

    lists_ignore_pages(&connections, Some("/api/v1/studies/")).await;
    let refused = wizard::launch(&connections, None, LaunchRequest::Draft, |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, StudyStepError::Session(SessionError::Prolific(error)) if is_incomplete_list(error)),
        "{refused:?}"
    );
    lists_ignore_pages(&connections, None).await;
    assert_eq!(study_count(&connections).await, 5, "nothing was made");

    let found = wizard::launch(&connections, None, LaunchRequest::Draft, |_| {})
        .await
        .unwrap();
    assert_eq!(found.study_id, lost.id, "found on the second page");
    assert_eq!(study_count(&connections).await, 5);
}

/// Practice mode with the review data uploaded and the sentiment task designed in
/// groups of 4, not set up yet.
async fn designed(dir: &Path) -> (Connections, DataContext) {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    };
    support::sentiment_designed(dir, config).await
}

fn other_batch(number: u32) -> NewBatch {
    NewBatch {
        name: format!("Other {number}"),
        workspace_id: PracticeConfig::default().workspace.id,
        task_details: TaskDetails {
            task_name: "Other".into(),
            task_introduction: "<p>Other.</p>".into(),
            task_steps: "<p>Other.</p>".into(),
        },
        dataset_id: None,
        batch_items: None,
        auto_sync_enabled: None,
    }
}

#[tokio::test]
async fn a_lost_batch_is_found_past_the_first_page_and_not_made_again_from_part_of_the_list() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, context) = designed(dir.path()).await;
    let (_, client) = connections.client().await.unwrap();
    let workspace = PracticeConfig::default().workspace.id;
    // Three other batches first, so the task's own is on the second page.
    for number in 1..=3 {
        client.create_batch(&other_batch(number)).await.unwrap();
    }
    let SetupOutcome::Ready(made) = support::setting_up(&connections, &context).await.unwrap()
    else {
        panic!("set up")
    };
    // As if the app died after Prolific made the batch but before its id was kept.
    let store = connections.store();
    let mut draft = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap();
    let record = draft.batch.as_mut().unwrap();
    record.batch_id = None;
    record.ready = None;
    wizard::record::update(store, AccountMode::Practice, |wizard| wizard.task = draft).unwrap();
    let batch_count = || async {
        let listed = client.batches(&workspace).await.unwrap();
        assert!(!listed.possibly_truncated);
        listed.items.len()
    };
    assert_eq!(batch_count().await, 4);

    lists_ignore_pages(&connections, Some("/api/v1/data-collection/batches")).await;
    let refused = support::setting_up(&connections, &context)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, TaskStepError::Session(SessionError::Prolific(error)) if is_incomplete_list(error)),
        "{refused:?}"
    );
    lists_ignore_pages(&connections, None).await;
    assert_eq!(batch_count().await, 4, "nothing was made");

    let SetupOutcome::Ready(found) = support::setting_up(&connections, &context).await.unwrap()
    else {
        panic!("set up")
    };
    assert_eq!(found.batch_id, made.batch_id, "found on the second page");
    assert_eq!(batch_count().await, 4);
}

#[tokio::test]
async fn approving_all_approves_nothing_unless_every_waiting_submission_was_read() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    let (_, client) = connections.client().await.unwrap();
    let counts = client.submission_counts(&launched.study_id).await.unwrap();
    assert_eq!(counts.awaiting_review, 18, "more than a page of ten");

    lists_ignore_pages(&connections, Some("/api/v1/submissions/")).await;
    let refused =
        study_actions::approve_all(&connections, &FactsCache::default(), &launched.study_id)
            .await
            .unwrap_err();
    assert!(
        matches!(&refused, ActionError::Session(SessionError::Prolific(error)) if is_incomplete_list(error)),
        "{refused:?}"
    );
    let counts = client.submission_counts(&launched.study_id).await.unwrap();
    assert_eq!((counts.approved, counts.awaiting_review), (0, 18));

    lists_ignore_pages(&connections, None).await;
    let approved =
        study_actions::approve_all(&connections, &FactsCache::default(), &launched.study_id)
            .await
            .unwrap();
    assert_eq!(approved.approved, 18);
    let counts = client.submission_counts(&launched.study_id).await.unwrap();
    assert_eq!(counts.approved, 18);
}
