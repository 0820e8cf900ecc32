//! Known answers and attention checks mixed into every group, against the practice
//! server: the batch runs on a copy of the data that names its groups, the copy goes up
//! once, the results leave the checks out and put a known row's copies together, and
//! the scorecard says who failed which check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;
use std::path::Path;

use batchdesk_engine::analysis::scorecard::{FlagKind, RejectReason};
use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::results::Results;
use batchdesk_engine::task::checks::QualityChecks;
use batchdesk_engine::task_step::SetupOutcome;
use batchdesk_engine::wizard;

const TOKEN: &str = "checks-token";
const ROWS: usize = 40;
/// Rows whose sentiment is known (the first ones).
const KNOWN: usize = 4;
const PER_GROUP: u32 = 6;
const SENTIMENTS: [&str; 3] = ["positive", "neutral", "negative"];

fn reviews(dir: &Path) -> String {
    let path = dir.join("reviews.csv");
    let mut text = String::from("id,review_text,META_known\n");
    for row in 0..ROWS {
        let known = if row < KNOWN { SENTIMENTS[row % 3] } else { "" };
        text.push_str(&format!(
            "{row},\"Review {row}: it arrived on time and did the job ({})\",{known}\n",
            row * 5 % 13
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

async fn practising(dir: &Path) -> Connections {
    let config = support::steady_practice(11, TOKEN);
    let connections = support::practising(dir, config).await;
    support::practice_api(
        &connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": {
            "careful": 30, "average": 40, "fast_clicker": 15, "straight_liner": 0, "bot": 15
        }})),
    )
    .await;
    connections
}

/// The sentiment task with one known row and three checks in every group of six.
async fn design_with_checks(
    connections: &Connections,
    dir: &Path,
) -> batchdesk_engine::task::DataContext {
    let context = support::sentiment_task_on(connections, reviews(dir), PER_GROUP).await;
    let question = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap()
        .questions[0]
        .key
        .clone();
    support::mix_checks(
        connections,
        &context,
        QualityChecks {
            known_column: Some("META_known".to_owned()),
            known_question: Some(question),
            known_per_group: 1,
            checks_per_group: 3,
            check_question: None,
        },
    )
    .await;
    context
}

#[tokio::test]
async fn known_rows_and_checks_go_into_every_group_and_are_read_back_apart() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    let context = design_with_checks(&connections, dir.path()).await;

    let SetupOutcome::Ready(ready) = support::setting_up(&connections, &context).await.unwrap()
    else {
        panic!("not set up");
    };
    // 36 unknown rows in groups of 6 make 6 groups, each with 1 known row and 3 checks.
    assert_eq!(ready.total_groups, Some(6));
    assert_eq!(ready.total_tasks, Some(36 + 6 * 4));
    let draft = wizard::task_draft(&connections).await.unwrap();
    assert!(!draft.set_up_on_other_data, "the batch is on step 1's data");
    let mixed = draft.mixed.clone().unwrap();
    let batch = draft.batch.clone().unwrap();
    assert_eq!(Some(&batch.dataset_id), mixed.dataset_id.as_ref());
    let data = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.data)
        .unwrap();
    assert_eq!(batch.source_dataset_id, data.dataset_id);

    // Setting up again sends nothing new: the same copy, its dataset and the batch.
    let SetupOutcome::Ready(again) = support::setting_up(&connections, &context).await.unwrap()
    else {
        panic!("not set up");
    };
    assert_eq!(again.batch_id, ready.batch_id);
    let draft = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap();
    assert_eq!(draft.mixed.unwrap().dataset_id, mixed.dataset_id);

    let launched = support::publish_with_people_per_item(&connections, 5).await;
    assert!(launched.published);
    let study_id = launched.study_id;

    let results = Results::new(dir.path());
    let summary = results
        .summary(&connections, &study_id, true, |_| {})
        .await
        .unwrap();
    // The checks are not data, and a known row's copies are one row: the 4 known rows
    // went round the 6 groups (two of them twice), so 36 + 4 items; 5 people did each
    // group's 6 data rows (2 in the last) and its known row.
    let rows = results
        .rows(
            &study_id,
            &batchdesk_engine::results::RowsQuery {
                offset: 0,
                limit: 1000,
                participant: None,
                question_id: None,
                answer: None,
                by_item: false,
            },
        )
        .await
        .unwrap();
    let tasks: HashSet<&str> = rows.rows.iter().map(|row| row.task_id.as_str()).collect();
    assert_eq!(tasks.len(), 36 + 4, "{} items", tasks.len());
    assert_eq!(summary.row_count, 5 * (36 + 6));
    assert!(
        rows.rows.iter().all(|row| row
            .data
            .iter()
            .all(|cell| !cell.contains("checks that answers"))),
        "no check in the table"
    );

    let card = results.scorecard(&study_id).await.unwrap();
    let kinds = support::participant_kinds(&connections, TOKEN, &study_id).await;
    assert_eq!(card.card.participants.len(), 30);
    // The known answers mixed in count without being chosen again in the results.
    let known = card.known_answers.clone().unwrap();
    assert_eq!(known.column, "META_known");
    assert_eq!(known.question_id, summary.questions[0].id);
    assert!(card.card.participants.iter().all(|score| score.known == 1));
    // Saying "none" stands over them.
    let none = results.set_known_answers(&study_id, None).await.unwrap();
    assert_eq!(none.known_answers, None);
    assert!(none.card.participants.iter().all(|score| score.known == 0));
    // About 9 of the 30 click at random (three options): each fails two or more of
    // their three checks three times in four, so some always do.
    let mut careless_failing_two = 0;
    for score in &card.card.participants {
        assert_eq!(score.checks, 3, "{score:?}");
        let kind = kinds[&score.participant_id].as_str();
        let flagged = score
            .flags
            .iter()
            .any(|flag| flag.kind == FlagKind::FailedChecks);
        assert_eq!(flagged, score.checks_failed > 0);
        if score.checks_failed >= 2 {
            let draft = score.draft_rejection.as_ref().unwrap();
            assert_eq!(draft.reason, RejectReason::FailedCheck);
            assert!(draft.message.chars().count() >= 100);
            if kind != "careful" && kind != "average" {
                careless_failing_two += 1;
            }
        } else if let Some(draft) = &score.draft_rejection {
            // One failed check is no grounds: the draft rests on other evidence.
            assert_ne!(draft.reason, RejectReason::FailedCheck);
        }
        if kind == "careful" {
            // People who read follow an item that says what to choose.
            assert!(
                score.checks_failed == 0,
                "a careful person failed a check: {score:?}"
            );
        }
    }
    assert!(
        careless_failing_two > 0,
        "people who click at random fail two of three checks most of the time"
    );

    // The methods paragraph states what was done, with the numbers on their own too.
    results
        .set_known_answers(&study_id, Some(known.clone()))
        .await
        .unwrap();
    let methods = results.methods(&connections, &study_id).await.unwrap();
    assert_eq!((methods.items, methods.participants), (40, 30));
    assert_eq!(methods.people_per_item, Some(5));
    let said = &methods.paragraph;
    for needle in [
        "40 items, each judged by 5 participants (median), from 30 participants in all",
        "per hour at the median completion time of",
        "Krippendorff's alpha (nominal) over 40 items was",
        "95% bootstrap CI",
        "majority vote",
        "Each assignment included 3 instructed-response attention checks;",
        "Items with known answers were mixed in",
    ] {
        assert!(said.contains(needle), "{needle:?} not in: {said}");
    }
    let interval = methods.agreement[0].interval.unwrap();
    let alpha = methods.agreement[0].alpha.unwrap();
    assert!(
        interval.low <= alpha && alpha <= interval.high,
        "{interval:?} {alpha}"
    );
    assert!(methods.reward.unwrap().starts_with('£'));
}

#[tokio::test]
async fn choices_that_do_not_fit_the_data_are_said_before_anything_is_sent() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    let context = support::sentiment_task_on(&connections, reviews(dir.path()), PER_GROUP).await;
    let mut design = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap();
    design.checks = QualityChecks {
        known_column: Some("META_known".to_owned()),
        known_per_group: 9,
        ..QualityChecks::default()
    };
    let checked = wizard::save_design(&connections, design.clone(), &context)
        .await
        .unwrap();
    let said: Vec<String> = checked
        .issues
        .iter()
        .map(|issue| issue.message.to_string())
        .collect();
    assert!(
        said.iter().any(|message| message.contains("at most 5")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|message| message.contains("Only 4 rows")),
        "{said:?}"
    );
    design.checks.known_column = Some("review_text".to_owned());
    design.checks.known_per_group = 1;
    let checked = wizard::save_design(&connections, design, &context)
        .await
        .unwrap();
    assert!(
        checked.issues[0]
            .message
            .to_string()
            .contains("no hidden column"),
        "{:?}",
        checked.issues
    );
    let outcome = support::setting_up(&connections, &context).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Invalid { .. }));
    assert!(
        wizard::record::load(connections.store(), AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap()
            .mixed
            .is_none(),
        "no copy was made"
    );
}
