//! Participant groups against the practice server over real HTTP, in strict mode (each
//! request body checked against the spec first): a pilot's participants put in a group,
//! the group found among the workspace's filters and used as a blocklist on the full
//! study, which none of them joins; members read, added and removed; the group deleted;
//! a create whose answer was lost not made twice; and the time each submission took.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;

use batchdesk_practice::{Fault, FaultScope, PracticeConfig, Times};
use batchdesk_prolific::models::{NewParticipantGroup, StudyFilter, StudyStatus, SubmissionStatus};
use batchdesk_prolific::{Client, ProlificError};
use support::practice::{new_study, ready_batch, start_with, workspace_id};

const BLOCKLIST: &str = "participant_group_blocklist";

/// A practice server in strict mode whose pool has 40 regulars, so that studies of a
/// few dozen places share people.
async fn strict_small_pool() -> (batchdesk_practice::PracticeServer, Client) {
    let (server, client, _) =
        start_with(batchdesk_test_support::practice::strict(PracticeConfig {
            regular_participants: 40,
            ..batchdesk_test_support::practice::instant()
        }))
        .await;
    (server, client)
}

/// A published study of `places` places (one task group) with `filters`, filled; the
/// participants of its submissions.
async fn filled_study(
    client: &Client,
    internal_name: &str,
    places: u64,
    filters: Vec<StudyFilter>,
) -> HashSet<String> {
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(client, dir.path(), 2, 2).await;
    let mut new = new_study(&batch, internal_name, places);
    new.filters = Some(filters);
    let study = client.create_study(&new).await.unwrap();
    let published = client.publish_study(&study.id).await.unwrap();
    assert_eq!(published.status, Some(StudyStatus::AwaitingReview));
    let submissions = client
        .study_submissions(&study.id)
        .await
        .unwrap()
        .whole("submissions")
        .unwrap();
    assert_eq!(submissions.len() as u64, places);
    for submission in &submissions {
        assert_eq!(submission.status, SubmissionStatus::AwaitingReview);
        // study_body-like studies estimate 5 minutes; the workspace factor is 100%.
        let seconds = submission.time_taken.unwrap();
        assert!((60..=1_500).contains(&seconds), "{submission:?}");
    }
    submissions
        .into_iter()
        .map(|submission| submission.participant_id.unwrap())
        .collect()
}

fn pilot_group(participant_ids: Vec<String>) -> NewParticipantGroup {
    NewParticipantGroup {
        workspace_id: workspace_id(),
        name: "Pilot participants".to_owned(),
        description: Some("Took the pilot".to_owned()),
        participant_ids,
    }
}

#[tokio::test]
async fn a_pilots_participants_are_kept_out_of_the_full_study_by_a_blocklist_group() {
    let (_server, client) = strict_small_pool().await;
    let pilot = filled_study(&client, "pilot", 15, Vec::new()).await;
    let group = client
        .create_participant_group(&pilot_group(pilot.iter().cloned().collect()))
        .await
        .unwrap();
    assert_eq!(group.name, "Pilot participants");
    assert_eq!(group.workspace_id.as_deref(), Some(workspace_id().as_str()));
    assert_eq!(group.participant_count, Some(15));
    assert_eq!(group.is_deleted, Some(false));
    assert_eq!(client.participant_group(&group.id).await.unwrap(), group);
    let members: HashSet<String> = client
        .participant_group_members(&group.id)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(members, pilot);

    // The app finds the filter among those the workspace offers, never by a guess.
    let filters = client
        .workspace_filters(&workspace_id())
        .await
        .unwrap()
        .whole("filters")
        .unwrap();
    let blocklist = filters
        .iter()
        .find(|filter| filter.filter_id == BLOCKLIST)
        .unwrap();
    assert_eq!(
        blocklist.choices.as_ref().unwrap()[&group.id],
        "Pilot participants"
    );
    let plain = client.filters().await.unwrap().whole("filters").unwrap();
    assert!(plain.iter().all(|filter| filter.filter_id != BLOCKLIST));

    let full = filled_study(
        &client,
        "full",
        25,
        vec![StudyFilter::select(BLOCKLIST, &[group.id.as_str()])],
    )
    .await;
    assert!(full.is_disjoint(&pilot), "{full:?} {pilot:?}");
    // Without the group, 26 of the 40 regulars must include some of the pilot's 15.
    let unfiltered = filled_study(&client, "unfiltered", 26, Vec::new()).await;
    assert!(!unfiltered.is_disjoint(&pilot));
}

#[tokio::test]
async fn members_are_added_and_removed_and_the_group_deleted() {
    let (_server, client) = strict_small_pool().await;
    let people: Vec<String> = filled_study(&client, "pilot", 4, Vec::new())
        .await
        .into_iter()
        .collect();
    let group = client
        .create_participant_group(&pilot_group(people[..1].to_vec()))
        .await
        .unwrap();
    let now = client
        .add_participant_group_members(&group.id, &people[..3])
        .await
        .unwrap();
    assert_eq!(now, people[..3], "those already in are ignored");
    let now = client
        .remove_participant_group_members(&group.id, &people[1..2])
        .await
        .unwrap();
    assert_eq!(now, [people[0].clone(), people[2].clone()]);
    assert_eq!(
        client.participant_group_members(&group.id).await.unwrap(),
        now
    );
    let listed = client
        .participant_groups(&workspace_id())
        .await
        .unwrap()
        .whole("groups")
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].participant_count, Some(2));

    client.delete_participant_group(&group.id).await.unwrap();
    assert_eq!(
        client
            .participant_group(&group.id)
            .await
            .unwrap()
            .is_deleted,
        Some(true)
    );
    assert!(
        client
            .participant_groups(&workspace_id())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // A deleted group cannot be a study's filter.
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&client, dir.path(), 2, 2).await;
    let mut new = new_study(&batch, "after", 2);
    new.filters = Some(vec![StudyFilter::select(BLOCKLIST, &[group.id.as_str()])]);
    match client.create_study(&new).await {
        Err(ProlificError::Validation { detail, .. }) => {
            assert!(detail.unwrap_or_default().contains("filters"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_group_whose_create_answer_was_lost_is_found_not_made_twice() {
    let (server, client) = strict_small_pool().await;
    let people: Vec<String> = filled_study(&client, "pilot", 3, Vec::new())
        .await
        .into_iter()
        .collect();
    server.faults().inject(
        Fault::AnswerLost,
        FaultScope::route("/api/v1/participant-groups/").method("POST"),
        Times::Next(1),
    );
    let group = client
        .create_participant_group(&pilot_group(people.clone()))
        .await
        .unwrap();
    assert_eq!(group.participant_count, Some(3));
    let listed = client
        .participant_groups(&workspace_id())
        .await
        .unwrap()
        .whole("groups")
        .unwrap();
    assert_eq!(listed, [group]);
}
