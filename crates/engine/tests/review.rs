//! Reviewing participants against the practice server's simulated people: asking one to
//! return their submission (sent once, though its answer is lost and the researcher
//! tries again), and reviewing a selection at once, person by person, where one refusal
//! leaves the others' outcomes intact and a second run sends nothing twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use batchdesk_engine::analysis::scorecard::RejectReason;
use batchdesk_engine::connection::Connections;
use batchdesk_engine::monitor::FactsCache;
use batchdesk_engine::results::Results;
use batchdesk_engine::review::{self, PersonOutcome, ReviewDecision, ReviewState};
use batchdesk_engine::study_actions::ActionError;
use batchdesk_practice::{Fault, PracticeConfig, Times};

const TOKEN: &str = "review-token";
const REQUEST_RETURN: &str = "/api/v1/submissions/{id}/request-return/";

/// A message Prolific would take for a rejection (at least 100 characters).
const REJECTION: &str = "Thank you for taking part. We cannot approve this submission: \
     most answers did not match the text of the reviews they were about.";

/// The sample reviews (24 rows, in sittings of 4) published for 2 people per item, every
/// place taken at once, nobody leaving; the results downloaded. The connection (its
/// client retrying quickly), the study, its results and its 12 participants, sorted.
async fn reviewed_study(dir: &Path) -> (Connections, String, Results, Vec<String>) {
    let config = support::steady_practice(PracticeConfig::default().seed, TOKEN);
    let connections = support::practising_with(dir, config, support::quick_retries()).await;
    let context = support::sentiment_task_on(&connections, support::sample("reviews.csv"), 4).await;
    support::set_up_batch(&connections, &context).await;
    let launched = support::publish_with_people_per_item(&connections, 2).await;
    assert!(launched.published);
    let results = Results::new(dir);
    results
        .summary(&connections, &launched.study_id, true, |_| {})
        .await
        .unwrap();
    let states = results.scorecard(&launched.study_id).await.unwrap().states;
    let mut people: Vec<String> = states.keys().cloned().collect();
    people.sort();
    assert_eq!(people.len(), 12);
    assert!(
        states
            .values()
            .all(|state| *state == ReviewState::AwaitingReview)
    );
    (connections, launched.study_id, results, people)
}

/// How many times a review of `participant` was started, by the journal.
fn reviews_started(connections: &Connections, study_id: &str, participant: &str) -> usize {
    connections
        .store()
        .journal_details(&format!("study/{study_id}"))
        .unwrap()
        .into_iter()
        .filter(|entry| {
            entry.step == "review"
                && entry.state == "started"
                && entry
                    .detail
                    .as_deref()
                    .is_some_and(|detail| detail.contains(participant))
        })
        .count()
}

/// The faults waiting on the practice server (none used up by a request yet).
async fn faults_waiting(connections: &Connections) -> usize {
    support::practice_api(
        connections,
        TOKEN,
        reqwest::Method::GET,
        "/_practice/faults",
        None,
    )
    .await
    .as_array()
    .unwrap()
    .len()
}

fn ask_to_return() -> ReviewDecision {
    ReviewDecision::AskToReturn {
        reasons: vec!["Failed the attention checks".to_owned()],
    }
}

#[tokio::test]
async fn asking_to_return_is_sent_once_though_its_answer_is_lost_and_the_researcher_tries_again() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id, results, people) = reviewed_study(dir.path()).await;
    let facts = FactsCache::default();
    let asked = &people[0];

    // No reason: refused before anything is sent.
    let refused = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        asked,
        &ReviewDecision::AskToReturn {
            reasons: vec![" ".to_owned()],
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, ActionError::NoReturnReason),
        "{refused:?}"
    );

    // Prolific asks the participant, and the answer is lost on the way back.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "POST",
        REQUEST_RETURN,
        Times::Next(1),
    )
    .await;
    let first = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        asked,
        &ask_to_return(),
    )
    .await;
    support::clear_faults(&connections, TOKEN).await;
    let outcome = match first {
        Ok(outcome) => outcome,
        Err(_) => review::review_participant(
            &connections,
            &facts,
            &results,
            &study_id,
            asked,
            &ask_to_return(),
        )
        .await
        .unwrap(),
    };
    assert!(
        matches!(
            outcome.state,
            ReviewState::ReturnRequested | ReviewState::Returned
        ),
        "{outcome:?}"
    );

    // The researcher asks again: a request sent now would meet a server error, which
    // is still waiting afterwards, so nothing was sent.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 500 },
        "POST",
        REQUEST_RETURN,
        Times::Next(1),
    )
    .await;
    let again = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        asked,
        &ask_to_return(),
    )
    .await
    .unwrap();
    assert_eq!(again.state, ReviewState::Returned, "returned by now");
    assert_eq!(faults_waiting(&connections).await, 1);
    support::clear_faults(&connections, TOKEN).await;
    assert_eq!(reviews_started(&connections, &study_id, asked), 1);

    // On Prolific: one message to them; their place went to someone new.
    let (_, client) = connections.client().await.unwrap();
    assert_eq!(client.messages_with(asked).await.unwrap().len(), 1);
    let counts = client.submission_counts(&study_id).await.unwrap();
    assert_eq!((counts.returned, counts.awaiting_review), (1, 12));
    assert_eq!(
        again.progress.map(|progress| progress.submissions.returned),
        Some(1)
    );
    // The scorecard shows it before the next download; paying them is refused.
    let states = results.scorecard(&study_id).await.unwrap().states;
    assert_eq!(states[asked], ReviewState::Returned);
    let refused = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        asked,
        &ReviewDecision::Approve,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, ActionError::NotAwaitingReview { .. }),
        "{refused:?}"
    );
    // Someone already approved cannot be asked for it back.
    review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &people[1],
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    let refused = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &people[1],
        &ask_to_return(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, ActionError::CannotAskToReturn { .. }),
        "{refused:?}"
    );
    assert!(client.messages_with(&people[1]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_selection_is_reviewed_person_by_person_and_one_failure_keeps_the_others() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id, results, people) = reviewed_study(dir.path()).await;
    let facts = FactsCache::default();
    let (_, client) = connections.client().await.unwrap();
    let submission_of = |participant: &str| {
        let participant = participant.to_owned();
        let client = client.clone();
        let study_id = study_id.clone();
        async move {
            client
                .submissions(&study_id, None)
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|submission| submission.participant_id.as_deref() == Some(&participant))
                .unwrap()
        }
    };
    let select = |indices: &[usize]| -> Vec<String> {
        indices.iter().map(|index| people[*index].clone()).collect()
    };

    // Approve four, one of them approved already, one named twice, one not in the study,
    // and Prolific failing for one of them (its transition always answers 500).
    review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &people[1],
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    let failing = submission_of(&people[2]).await.id;
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 500 },
        "POST",
        &format!("/api/v1/submissions/{failing}/transition/"),
        Times::Always,
    )
    .await;
    let mut chosen = select(&[0, 1, 2, 3, 0]);
    chosen.insert(2, "someone-else".to_owned());
    let approved = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &chosen,
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    support::clear_faults(&connections, TOKEN).await;
    let outcomes: Vec<(&str, &PersonOutcome)> = approved
        .people
        .iter()
        .map(|person| (person.participant_id.as_str(), &person.outcome))
        .collect();
    assert_eq!(
        outcomes.len(),
        5,
        "each once, in the order chosen: {outcomes:?}"
    );
    let done = PersonOutcome::Done {
        state: ReviewState::Approved,
    };
    assert_eq!(outcomes[0], (people[0].as_str(), &done));
    assert_eq!(
        outcomes[1],
        (
            people[1].as_str(),
            &PersonOutcome::Already {
                state: ReviewState::Approved
            }
        )
    );
    assert!(
        matches!(outcomes[2], ("someone-else", PersonOutcome::Refused { reason }) if reason.to_string().contains("no submission")),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[3].1, PersonOutcome::Refused { .. }),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[4], (people[3].as_str(), &done));
    assert!(approved.progress.is_some());

    // Once Prolific answers again, the same selection approves the one left and sends
    // nothing for the others.
    let again = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &select(&[0, 1, 2, 3]),
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    let kinds: Vec<bool> = again
        .people
        .iter()
        .map(|person| matches!(person.outcome, PersonOutcome::Done { .. }))
        .collect();
    assert_eq!(kinds, [false, false, true, false]);
    for index in [0, 1, 3] {
        assert_eq!(reviews_started(&connections, &study_id, &people[index]), 1);
    }
    let counts = client.submission_counts(&study_id).await.unwrap();
    assert_eq!(counts.approved, 4);

    // A rejection: one message for all, checked before anyone is touched.
    let short = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &select(&[4, 5]),
        &ReviewDecision::Reject {
            reason: RejectReason::LowEffort,
            message: "Too fast.".to_owned(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(short, ActionError::MessageTooShort { .. }),
        "{short:?}"
    );
    let rejected = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &select(&[4, 0, 5]),
        &ReviewDecision::Reject {
            reason: RejectReason::LowEffort,
            message: REJECTION.to_owned(),
        },
    )
    .await
    .unwrap();
    let outcomes: Vec<&PersonOutcome> = rejected
        .people
        .iter()
        .map(|person| &person.outcome)
        .collect();
    let rejected_now = PersonOutcome::Done {
        state: ReviewState::Rejected,
    };
    assert_eq!(outcomes[0], &rejected_now);
    assert!(
        matches!(outcomes[1], PersonOutcome::Refused { reason } if reason.to_string().contains("approved")),
        "approved before: {outcomes:?}"
    );
    assert_eq!(outcomes[2], &rejected_now);

    // Asked to return, two at once; the first answer is lost, and the selection is sent
    // again: each is asked once, with one message each.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "POST",
        REQUEST_RETURN,
        Times::Next(1),
    )
    .await;
    let returning = select(&[6, 7]);
    let asked = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &returning,
        &ask_to_return(),
    )
    .await
    .unwrap();
    support::clear_faults(&connections, TOKEN).await;
    for person in &asked.people {
        assert!(
            matches!(
                person.outcome,
                PersonOutcome::Done {
                    state: ReviewState::ReturnRequested | ReviewState::Returned
                }
            ),
            "{person:?}"
        );
    }
    let again = review::review_participants(
        &connections,
        &facts,
        &results,
        &study_id,
        &returning,
        &ask_to_return(),
    )
    .await
    .unwrap();
    for person in &again.people {
        assert_eq!(
            person.outcome,
            PersonOutcome::Already {
                state: ReviewState::Returned
            }
        );
        assert_eq!(
            reviews_started(&connections, &study_id, &person.participant_id),
            1
        );
        assert_eq!(
            client
                .messages_with(&person.participant_id)
                .await
                .unwrap()
                .len(),
            1
        );
    }

    // The scorecard shows every outcome before the next download.
    let states = results.scorecard(&study_id).await.unwrap().states;
    let shown: Vec<ReviewState> = (0..8).map(|index| states[&people[index]]).collect();
    assert_eq!(
        shown,
        [
            ReviewState::Approved,
            ReviewState::Approved,
            ReviewState::Approved,
            ReviewState::Approved,
            ReviewState::Rejected,
            ReviewState::Rejected,
            ReviewState::Returned,
            ReviewState::Returned,
        ]
    );
    // Nothing was refused that needs trying: the study's places are all finished again.
    let counts = client.submission_counts(&study_id).await.unwrap();
    assert_eq!((counts.returned, counts.rejected), (2, 2));
}
