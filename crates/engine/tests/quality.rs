//! The participants' scorecard against the practice server's simulated people, who
//! differ in known proportions (careful, average, fast clickers, straight-liners, bots)
//! and answer from a truth that follows each row: the scorecard should flag the careless
//! kinds and leave the others alone. Precision and recall are measured here (and quoted
//! in the README).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;
use std::path::Path;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::results::{KnownAnswersChoice, Results};
use batchdesk_engine::wizard;

const TOKEN: &str = "quality-token";
const ROWS: usize = 40;
const SENTIMENTS: [&str; 3] = ["positive", "neutral", "negative"];
/// The kinds who do careless work.
const CARELESS: [&str; 3] = ["fast_clicker", "straight_liner", "bot"];

/// A spreadsheet of `ROWS` reviews; the first 12 carry their right sentiment in a hidden
/// `META_known` column.
fn reviews(dir: &Path) -> String {
    let path = dir.join("reviews with known answers.csv");
    let mut text = String::from("id,review_text,META_known\n");
    for row in 0..ROWS {
        let known = if row < 12 { SENTIMENTS[row % 3] } else { "" };
        text.push_str(&format!(
            "{row},\"Review number {row}: the product did what it said, more or less ({})\",{known}\n",
            row * 7 % 11
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

async fn practice_api(
    connections: &Connections,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    support::practice_api(connections, TOKEN, method, path, body).await
}

/// The reviews set up as a sentiment task in sittings of 8 (5 assignments), published
/// for `people` per item; answers in once every place is taken.
async fn run_study(
    dir: &Path,
    seed: u64,
    people: u32,
    mix: serde_json::Value,
) -> (Connections, String) {
    let config = support::steady_practice(seed, TOKEN);
    let connections = support::practising(dir, config).await;
    practice_api(
        &connections,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": mix })),
    )
    .await;
    let context = support::sentiment_task_on(&connections, reviews(dir), 8).await;
    support::set_up_batch(&connections, &context).await;
    let launched = support::publish_with_people_per_item(&connections, people).await;
    assert!(launched.published);
    (connections, launched.study_id)
}

/// One study of 120 people on the server seeded `seed`: (careless, flagged, of them careless).
async fn one_study(seed: u64) -> (usize, usize, usize) {
    let dir = batchdesk_test_support::temp_folder();
    let mix = serde_json::json!({
        "careful": 10, "average": 60, "fast_clicker": 10, "straight_liner": 10, "bot": 10
    });
    let (connections, study_id) = run_study(dir.path(), seed, 24, mix).await;
    let results = Results::new(dir.path());
    let summary = results
        .summary(&connections, &study_id, true, |_| {})
        .await
        .unwrap();
    let question_id = summary.questions[0].id.clone();
    let card = results
        .set_known_answers(
            &study_id,
            Some(KnownAnswersChoice {
                column: "META_known".to_owned(),
                question_id,
            }),
        )
        .await
        .unwrap();

    let kinds = support::participant_kinds(&connections, TOKEN, &study_id).await;
    let scored: HashSet<&str> = card
        .card
        .participants
        .iter()
        .map(|score| score.participant_id.as_str())
        .collect();
    assert_eq!(scored.len(), 120, "5 assignments × 24 people");
    let careless: HashSet<&str> = kinds
        .iter()
        .filter(|(id, kind)| scored.contains(id.as_str()) && CARELESS.contains(&kind.as_str()))
        .map(|(id, _)| id.as_str())
        .collect();
    let flagged: HashSet<&str> = card
        .card
        .participants
        .iter()
        .filter(|score| !score.flags.is_empty())
        .map(|score| score.participant_id.as_str())
        .collect();
    let caught = flagged.intersection(&careless).count();
    let precision = caught as f64 / flagged.len().max(1) as f64;
    let recall = caught as f64 / careless.len().max(1) as f64;
    eprintln!(
        "scorecard: {} careless of {}, {} flagged, {caught} rightly: precision {precision:.3}, recall {recall:.3}",
        careless.len(),
        scored.len(),
        flagged.len()
    );
    for id in careless.difference(&flagged) {
        let score = card
            .card
            .participants
            .iter()
            .find(|s| s.participant_id == *id)
            .unwrap();
        eprintln!(
            "missed {}: agreed {} of {}, speed {:?}, known {} of {}",
            kinds[*id], score.agreed, score.compared, score.speed, score.known_right, score.known
        );
    }
    assert!(
        careless.len() >= 20,
        "the mix brought careless people: {}",
        careless.len()
    );
    assert!(precision >= 0.8, "precision {precision:.3}");
    assert!(recall >= 0.8, "recall {recall:.3}");

    // Known answers: careful people get most right over the study (one of them may slip
    // twice on four rows: that is chance), and none is flagged on them.
    let careful: Vec<_> = card
        .card
        .participants
        .iter()
        .filter(|score| kinds.get(&score.participant_id).map(String::as_str) == Some("careful"))
        .collect();
    let (right, known) = careful.iter().fold((0, 0), |(right, known), score| {
        (right + score.known_right, known + score.known)
    });
    assert!(
        // Far above chance (a third), whatever slips a few rows bring.
        known == 0 || right * 100 >= known * 70,
        "careful people got {right} of {known} known answers right"
    );
    for score in &careful {
        assert!(
            score.flags.iter().all(|flag| flag.kind
                != batchdesk_engine::analysis::scorecard::FlagKind::WrongKnownAnswers),
            "a careful person flagged on known answers: {score:?}"
        );
    }
    // The people who read (careful and average) get known answers right far above chance
    // (a third), pooled over the study: with four known rows each, one person's share
    // moves in quarters, so the typical (median) share is only held above chance.
    let (right, known) = card
        .card
        .participants
        .iter()
        .filter(|score| {
            matches!(
                kinds.get(&score.participant_id).map(String::as_str),
                Some("careful" | "average")
            )
        })
        .fold((0, 0), |(right, known), score| {
            (right + score.known_right, known + score.known)
        });
    assert!(
        right * 100 >= known * 60,
        "people who read got {right} of {known} known answers right"
    );
    assert!(card.card.typical_known_right.unwrap() > 1.0 / 3.0);
    (careless.len(), flagged.len(), caught)
}

#[tokio::test]
async fn the_scorecard_flags_the_careless_kinds_and_spares_the_careful() {
    // Five studies of 120 people (30 % careless: fast clickers, straight-liners, bots),
    // each on a differently seeded server.
    let (mut careless, mut flagged, mut caught) = (0, 0, 0);
    for seed in 1..=5 {
        let (c, f, k) = one_study(seed).await;
        careless += c;
        flagged += f;
        caught += k;
    }
    let precision = caught as f64 / flagged as f64;
    let recall = caught as f64 / careless as f64;
    eprintln!(
        "scorecard over 5 studies: {careless} careless, {flagged} flagged, {caught} rightly: \
         precision {precision:.3}, recall {recall:.3}"
    );
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}

#[tokio::test]
async fn a_flagged_person_is_rejected_with_the_drafted_message_once_and_a_careful_one_approved() {
    use batchdesk_engine::monitor::FactsCache;
    use batchdesk_engine::review::{self, ReviewDecision, ReviewState};
    use batchdesk_engine::study_actions::ActionError;
    use batchdesk_practice::{Fault, Times};

    let dir = batchdesk_test_support::temp_folder();
    let mix = serde_json::json!({ "average": 70, "fast_clicker": 30 });
    let (connections, study_id) = run_study(dir.path(), 3, 6, mix).await;
    let results = Results::new(dir.path());
    results
        .summary(&connections, &study_id, true, |_| {})
        .await
        .unwrap();
    let card = results.scorecard(&study_id).await.unwrap();
    let flagged =
        card.card
            .participants
            .iter()
            .find(|score| {
                score.flags.iter().any(|flag| {
                    flag.kind == batchdesk_engine::analysis::scorecard::FlagKind::TooFast
                })
            })
            .expect("a fast clicker is flagged");
    let careful = card
        .card
        .participants
        .iter()
        .find(|score| score.flags.is_empty())
        .expect("someone with nothing to note");
    assert_eq!(
        card.states[&flagged.participant_id],
        ReviewState::AwaitingReview
    );
    let draft = flagged.draft_rejection.clone().unwrap();
    let facts = FactsCache::default();

    // Too short a message is refused before anything is sent.
    let short = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &flagged.participant_id,
        &ReviewDecision::Reject {
            reason: draft.reason,
            message: "Too fast.".to_owned(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(short, ActionError::MessageTooShort { length: 9 }),
        "{short:?}"
    );

    // The drafted rejection is sent; its answer is lost; sent again, it is found done.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "POST",
        "/api/v1/submissions/{id}/transition/",
        Times::Next(1),
    )
    .await;
    let reject = ReviewDecision::Reject {
        reason: draft.reason,
        message: draft.message.clone(),
    };
    let first = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &flagged.participant_id,
        &reject,
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
            &flagged.participant_id,
            &reject,
        )
        .await
        .unwrap(),
    };
    assert_eq!(outcome.state, ReviewState::Rejected);
    let again = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &flagged.participant_id,
        &reject,
    )
    .await
    .unwrap();
    assert_eq!(again.state, ReviewState::Rejected);
    // On the server: rejected, once.
    let (_, client) = connections.client().await.unwrap();
    let theirs: Vec<_> = client
        .submissions(&study_id, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|submission| {
            submission.participant_id.as_deref() == Some(flagged.participant_id.as_str())
        })
        .collect();
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        theirs[0].status,
        batchdesk_prolific::models::SubmissionStatus::Rejected
    );
    // Approving a rejected submission is refused, not applied.
    let refused = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &flagged.participant_id,
        &ReviewDecision::Approve,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, ActionError::NotAwaitingReview { .. }),
        "{refused:?}"
    );

    let approved = review::review_participant(
        &connections,
        &facts,
        &results,
        &study_id,
        &careful.participant_id,
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    assert_eq!(approved.state, ReviewState::Approved);
    // The scorecard shows both, before any new download.
    let states = results.scorecard(&study_id).await.unwrap().states;
    assert_eq!(states[&flagged.participant_id], ReviewState::Rejected);
    assert_eq!(states[&careful.participant_id], ReviewState::Approved);
}

#[tokio::test]
async fn people_are_remembered_in_a_group_that_a_later_audience_offers() {
    use batchdesk_engine::groups::{self, GroupTarget};

    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id) =
        run_study(dir.path(), 5, 3, serde_json::json!({ "average": 100 })).await;
    let results = Results::new(dir.path());
    results
        .summary(&connections, &study_id, true, |_| {})
        .await
        .unwrap();
    let people: Vec<String> = results
        .scorecard(&study_id)
        .await
        .unwrap()
        .card
        .participants
        .iter()
        .map(|score| score.participant_id.clone())
        .collect();
    assert!(people.len() >= 3);

    let made = groups::remember(
        &connections,
        &GroupTarget::New {
            name: "  Trusted annotators ".to_owned(),
        },
        &people[..2],
    )
    .await
    .unwrap();
    assert_eq!(
        (made.name.as_str(), made.members),
        ("Trusted annotators", Some(2))
    );
    // Adding again with one newcomer: the two stay once, the newcomer joins.
    let grown = groups::remember(
        &connections,
        &GroupTarget::Existing {
            group_id: made.id.clone(),
        },
        &people[1..3],
    )
    .await
    .unwrap();
    assert_eq!(grown.members, Some(3));
    let listed = groups::groups(&connections).await.unwrap();
    assert!(
        listed
            .iter()
            .any(|group| group.id == made.id && group.name == "Trusted annotators")
    );
    // Nobody, or a nameless new group, is refused before anything is sent.
    assert!(matches!(
        groups::remember(
            &connections,
            &GroupTarget::New {
                name: " ".to_owned()
            },
            &people[..1]
        )
        .await,
        Err(groups::GroupError::NoName)
    ));
    assert!(matches!(
        groups::remember(
            &connections,
            &GroupTarget::Existing {
                group_id: made.id.clone()
            },
            &[]
        )
        .await,
        Err(groups::GroupError::NobodyChosen)
    ));
    // The next study's audience offers the group in its allow and block lists.
    let context = wizard::study_context(&connections).await.unwrap();
    let offered = serde_json::to_string(&context.filters).unwrap();
    assert!(
        offered.contains("participant_group_blocklist") && offered.contains("Trusted annotators"),
        "{offered}"
    );
}
