//! Studies against the practice server over real HTTP: a draft on a READY batch,
//! reading, listing, editing, the transition table, deleting, the balance publishing
//! commits, and the refusals a researcher can meet.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{
    CompletionAction, CompletionCode, DataCollectionMetadata, StudyAction, StudyStatus, StudyUpdate,
};
use support::practice::{new_study, ready_batch, start, workspace_id};

/// The practice server's fee: a total of 1.4 × rewards, rounded.
fn cost(reward: i64, places: u64) -> i64 {
    (reward * places as i64 * 7 + 4) / 5
}

fn validation_detail(error: ProlificError) -> String {
    match error {
        ProlificError::Validation { detail, .. } => detail.unwrap_or_default(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_batch_study_is_drafted_edited_published_paused_restarted_and_stopped() {
    let (server, client, _) = start().await;
    // Participants arrive slowly, so the study stays ACTIVE while it is driven.
    server.set_participant_pace(std::time::Duration::from_secs(3600));
    let dir = batchdesk_test_support::temp_folder();
    // 6 reviews in groups of 2: 3 task groups; 2 annotators: 6 places.
    let batch = ready_batch(&client, dir.path(), 6, 2).await;
    let mut new = new_study(&batch, "lifecycle", 2);
    new.completion_codes = Some(vec![CompletionCode::completed(
        "LIFECYCLE1",
        CompletionAction::AutomaticallyApprove,
    )]);
    let draft = client.create_study(&new).await.unwrap();
    assert_eq!(draft.status, Some(StudyStatus::Unpublished));
    assert_eq!(draft.total_available_places, Some(6));
    assert_eq!(draft.data_collection_id.as_deref(), Some(batch.id.as_str()));
    assert_eq!(draft.reward, Some(100));
    assert_eq!(draft.currency_code.as_deref(), Some("GBP"));
    let codes = draft.completion_codes.clone().unwrap();
    assert_eq!(
        codes[0].actions[0].action,
        CompletionAction::AutomaticallyApprove
    );

    assert_eq!(client.study(&draft.id).await.unwrap(), draft);
    let drafts = client
        .studies(Some(&StudyStatus::Unpublished))
        .await
        .unwrap();
    assert_eq!(drafts.items.len(), 1);
    assert_eq!(drafts.items[0].internal_name.as_deref(), Some("lifecycle"));
    assert!(
        client
            .studies(Some(&StudyStatus::Active))
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // On a draft anything may change; three annotators make nine places.
    let edited = client
        .update_study(
            &draft.id,
            &StudyUpdate {
                reward: Some(120),
                data_collection_metadata: Some(DataCollectionMetadata {
                    annotators_per_task: Some(3),
                }),
                ..StudyUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.reward, edited.total_available_places),
        (Some(120), Some(9))
    );

    let balance = client.workspace_balance(&workspace_id()).await.unwrap();
    let published = client.publish_study(&draft.id).await.unwrap();
    assert_eq!(published.status, Some(StudyStatus::Active));
    let after = client.workspace_balance(&workspace_id()).await.unwrap();
    assert_eq!(
        balance.available_balance - after.available_balance,
        cost(120, 9)
    );

    // After publishing the reward is fixed.
    let error = client
        .update_study(
            &draft.id,
            &StudyUpdate {
                reward: Some(10),
                ..StudyUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert!(validation_detail(error).contains("reward"));

    let steps = [
        (StudyAction::Pause, StudyStatus::Paused),
        (StudyAction::Start, StudyStatus::Active),
        (StudyAction::Stop, StudyStatus::Completed),
    ];
    for (action, status) in steps {
        let study = client
            .transition_study(&draft.id, &action, None)
            .await
            .unwrap();
        assert_eq!(study.status, Some(status), "{action:?}");
    }
    // A completed study cannot be published again, nor deleted.
    let error = client.publish_study(&draft.id).await.unwrap_err();
    assert!(validation_detail(error).contains("COMPLETED"));
    let error = client.delete_study(&draft.id).await.unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_draft_is_scheduled_cancelled_and_deleted() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 2, 1).await;
    let draft = client
        .create_study(&new_study(&batch, "scheduled", 1))
        .await
        .unwrap();
    let scheduled = client
        .transition_study(
            &draft.id,
            &StudyAction::SchedulePublish,
            Some("2030-01-01T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(scheduled.status, Some(StudyStatus::Scheduled));
    assert_eq!(
        scheduled.publish_at.as_deref(),
        Some("2030-01-01T09:00:00Z")
    );
    let cancelled = client
        .transition_study(&draft.id, &StudyAction::CancelPublish, None)
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(StudyStatus::Unpublished));

    client.delete_study(&draft.id).await.unwrap();
    let error = client.study(&draft.id).await.unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    assert!(client.studies(None).await.unwrap().items.is_empty());
}

#[tokio::test]
async fn refusals_are_typed_and_say_what_to_fix() {
    let (server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 4, 1).await;

    // Scheduling without a date.
    let draft = client
        .create_study(&new_study(&batch, "refusals", 1))
        .await
        .unwrap();
    let error = client
        .transition_study(&draft.id, &StudyAction::SchedulePublish, None)
        .await
        .unwrap_err();
    assert!(validation_detail(error).contains("publish_at"));
    // Pausing a draft is not in the transition table.
    let error = client
        .transition_study(&draft.id, &StudyAction::Pause, None)
        .await
        .unwrap_err();
    assert!(validation_detail(error).contains("UNPUBLISHED"));

    // A reward the balance cannot cover: Prolific's 400, nothing committed.
    let mut dear = new_study(&batch, "too dear", 1);
    dear.reward = 1_000_000;
    let dear = client.create_study(&dear).await.unwrap();
    let before = client.workspace_balance(&workspace_id()).await.unwrap();
    let error = client.publish_study(&dear.id).await.unwrap_err();
    assert!(
        validation_detail(error).contains("funds"),
        "plain about money"
    );
    assert_eq!(
        client.workspace_balance(&workspace_id()).await.unwrap(),
        before
    );
    assert_eq!(
        client.study(&dear.id).await.unwrap().status,
        Some(StudyStatus::Unpublished)
    );

    // A batch that is not set up cannot carry a study.
    let mut unready = new_study(&batch, "unready", 1);
    unready.data_collection_id = "0192a3b5-e8f9-7a0b-8000-000000000000".into();
    let error = client.create_study(&unready).await.unwrap_err();
    assert!(validation_detail(error).contains("data_collection_id"));

    // An unknown study, and an id that tries to leave its path segment.
    for id in ["64395e9c2332b8a59a65d51e", "../users/me"] {
        let error = client.study(id).await.unwrap_err();
        assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    }
    let error = client
        .submission_counts("64395e9c2332b8a59a65d51e")
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    drop(server);
}

#[tokio::test]
async fn filters_eligibility_cost_and_reward_advice() {
    let (_server, client, _) = start().await;
    let filters = client.filters().await.unwrap();
    assert!(!filters.possibly_truncated);
    let age = filters
        .items
        .iter()
        .find(|filter| filter.filter_id == "age")
        .unwrap();
    assert_eq!(
        age.kind,
        Some(batchdesk_prolific::models::FilterType::Range)
    );
    assert!(
        client
            .filter_sets(&workspace_id())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    use batchdesk_prolific::models::{EligibilityQuery, StudyFilter};
    let everyone = client
        .eligibility_count(&EligibilityQuery {
            filters: vec![],
            workspace_id: Some(workspace_id()),
        })
        .await
        .unwrap();
    let adults_in_the_uk = client
        .eligibility_count(&EligibilityQuery {
            filters: vec![
                StudyFilter::range("age", Some(18.0), Some(40.0)),
                StudyFilter::select("current-country-of-residence", &["0"]),
            ],
            workspace_id: Some(workspace_id()),
        })
        .await
        .unwrap();
    assert!(
        adults_in_the_uk > 0 && adults_in_the_uk < everyone,
        "{adults_in_the_uk} of {everyone}"
    );

    assert_eq!(client.study_cost(150, 10).await.unwrap(), cost(150, 10));
    let error = client.study_cost(150, 0).await.unwrap_err();
    assert!(validation_detail(error).contains("total_available_places"));

    let advice = client
        .reward_recommendations(&workspace_id(), "GBP")
        .await
        .unwrap();
    assert_eq!(advice[0].currency, "GBP");
    assert!(advice[0].recommended_reward_per_hour >= advice[0].min_reward_per_hour);
    let error = client
        .reward_recommendations(&workspace_id(), "EUR")
        .await
        .unwrap_err();
    assert!(validation_detail(error).contains("currency"));
}
