//! A second round for a study's uncertain items against the in-app practice server over
//! real HTTP: planned at an exact cost, launched once at the confirmed total on a copy of
//! the batch with only those rows, its people kept apart from the first study's, its
//! answers counted in the first study's results; and a new batch from a study's task and
//! settings ("run again with new data").

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use batchdesk_engine::analysis::Analysis;
use batchdesk_engine::bonuses::{self, BonusRow};
use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::monitor::FactsCache;
use batchdesk_engine::results::{ModelConfidence, Results};
use batchdesk_engine::review::{self, PersonOutcome, ReviewDecision, ReviewState};
use batchdesk_engine::session::SessionError;
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{LaunchOutcome, StudyStepError};
use batchdesk_engine::task::checks::QualityChecks;
use batchdesk_engine::top_up::{self, TopUpError, TopUpPlan, TopUpRequest};
use batchdesk_engine::wizard;
use batchdesk_engine::wizard::new_batch;
use batchdesk_practice::{Fault, PracticeConfig, PracticeWorkspace, Times};
use batchdesk_prolific::models::{StudyStatus, SubmissionStatus};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "top-up-token";

/// The review data (24 rows, 6 groups of 4) run by 3 people per item from a careless
/// crowd (half of them click at random), every place taken at once. The pool is small
/// enough that the same people would come back unless kept out.
async fn finished_careless_study(dir: &Path) -> (Connections, LaunchOutcome) {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        regular_participants: 40,
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    crowd(
        &connections,
        serde_json::json!({ "average": 50, "fast_clicker": 50 }),
    )
    .await;
    let study = support::publish(&connections).await;
    (connections, study)
}

async fn crowd(connections: &Connections, mix: serde_json::Value) {
    support::practice_api(
        connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": mix })),
    )
    .await;
}

/// Everyone who took part in `study_id`.
async fn participants(connections: &Connections, study_id: &str) -> HashSet<String> {
    let (_, client) = connections.client().await.unwrap();
    client
        .submissions(study_id, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|submission| submission.participant_id)
        .collect()
}

fn confirmation(plan: &TopUpPlan) -> Confirmation {
    Confirmation {
        total: plan.quote.as_ref().expect("a priced plan").total,
        fingerprint: plan.fingerprint.clone(),
    }
}

const PEOPLE: u32 = 4;

/// A threshold that leaves some items of `analysis` below it and never all: the
/// crowd's answers vary from run to run, and the model may be sure of most items.
fn request_for(analysis: &Analysis) -> TopUpRequest {
    let mut shown: Vec<f64> = panel_confidence(analysis).into_values().collect();
    shown.sort_by(f64::total_cmp);
    let lowest = shown[0];
    let threshold = shown[shown.len() / 4..]
        .iter()
        .chain(&shown)
        .copied()
        .find(|&confidence| confidence > lowest)
        .expect("items of different confidence");
    TopUpRequest {
        threshold,
        people_per_item: PEOPLE,
    }
}

/// The request a plan was made for.
fn request_of(plan: &TopUpPlan) -> TopUpRequest {
    TopUpRequest {
        threshold: plan.threshold,
        people_per_item: plan.people_per_item,
    }
}

/// Launches the second round `plan` describes, as the researcher confirmed it.
async fn launch_as_planned(
    connections: &Connections,
    results: &Results,
    study_id: &str,
    plan: &TopUpPlan,
) -> LaunchOutcome {
    top_up::launch(
        connections,
        results,
        study_id,
        request_of(plan),
        confirmation(plan),
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap()
}

/// Downloads the study's results and plans its second round.
async fn planned(connections: &Connections, results: &Results, study_id: &str) -> TopUpPlan {
    planned_with_analysis(connections, results, study_id)
        .await
        .0
}

/// The plan, and the analysis the results page (its consensus panel) shows.
async fn planned_with_analysis(
    connections: &Connections,
    results: &Results,
    study_id: &str,
) -> (TopUpPlan, Analysis) {
    let summary = results
        .summary(connections, study_id, true, |_| {})
        .await
        .unwrap();
    let plan = top_up::plan(
        connections,
        results,
        study_id,
        request_for(&summary.analysis),
    )
    .await
    .unwrap();
    (plan, summary.analysis)
}

/// Each item's confidence as the consensus panel shows it: the Dawid-Skene
/// posterior, the lowest over the item's choice questions.
fn panel_confidence(analysis: &Analysis) -> HashMap<String, f64> {
    let mut lowest: HashMap<String, f64> = HashMap::new();
    for question in &analysis.questions {
        for item in &question.items {
            let shown = item.consensus.as_ref().expect("a consensus").confidence;
            let known = lowest.entry(item.task_id.clone()).or_insert(shown);
            *known = known.min(shown);
        }
    }
    lowest
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    values.iter().sum::<f64>() / values.len() as f64
}

#[tokio::test]
async fn uncertain_items_go_to_new_people_and_their_answers_raise_the_agreement() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, first) = finished_careless_study(dir.path()).await;
    let results = Results::new(dir.path());
    let (plan, analysis) = planned_with_analysis(&connections, &results, &first.study_id).await;

    // The items below the threshold are those the consensus panel shows below it, at
    // the panel's confidence (not the share of people agreeing): the careless crowd
    // leaves some below, never all.
    let panel = panel_confidence(&analysis);
    let mut below: Vec<&String> = panel
        .iter()
        .filter(|(_, confidence)| **confidence < plan.threshold)
        .map(|(task, _)| task)
        .collect();
    below.sort();
    let mut picked: Vec<&String> = plan.items.iter().map(|item| &item.task_id).collect();
    picked.sort();
    assert_eq!(picked, below);
    for item in &plan.items {
        assert!((item.confidence - panel[&item.task_id]).abs() < 1e-12);
    }
    assert!(!plan.items.is_empty(), "{plan:?}");
    assert!(plan.items.len() < 24, "{plan:?}");
    assert_eq!(plan.judged_items, 24);
    assert!(
        plan.items
            .iter()
            .all(|item| item.confidence < plan.threshold)
    );
    assert!(
        plan.items
            .windows(2)
            .all(|pair| pair[0].confidence <= pair[1].confidence),
        "least confident first"
    );
    let items = u32::try_from(plan.items.len()).unwrap();
    assert_eq!(
        plan.task_groups,
        items.div_ceil(4),
        "4 items a group, as the study"
    );
    assert_eq!(plan.places, plan.task_groups * 4);
    let reward = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap()
        .reward;
    let quote = plan.quote.clone().unwrap();
    assert_eq!(
        quote.rewards,
        reward * plan.places,
        "the same reward per group"
    );
    assert!(
        quote.total > quote.rewards,
        "fees and tax on top: {quote:?}"
    );

    // A confirmation of another total spends nothing.
    let wrong = Confirmation {
        total: quote.total + 1,
        ..confirmation(&plan)
    };
    assert!(matches!(
        top_up::launch(
            &connections,
            &results,
            &first.study_id,
            request_of(&plan),
            wrong,
            |_| {},
            &CancellationToken::new()
        )
        .await,
        Err(TopUpError::PlanChanged)
    ));

    // The second round's people are careful.
    crowd(&connections, serde_json::json!({ "careful": 100 })).await;
    let round = launch_as_planned(&connections, &results, &first.study_id, &plan).await;
    assert!(round.published);
    assert_eq!(round.places, Some(plan.places));
    let (_, client) = connections.client().await.unwrap();
    let copy = client
        .study(&round.study_id)
        .await
        .unwrap()
        .data_collection_id
        .unwrap();
    assert_eq!(
        client.batch(&copy).await.unwrap().total_task_count,
        Some(u64::from(items)),
        "only the uncertain rows"
    );

    let first_people = participants(&connections, &first.study_id).await;
    let round_people = participants(&connections, &round.study_id).await;
    assert_eq!(round_people.len(), plan.places as usize);
    assert!(
        first_people.is_disjoint(&round_people),
        "nobody judges an item twice"
    );

    // Until the round's answers are downloaded, there is no "now" to set beside the
    // confidence the items were chosen with.
    let waiting = top_up::view(&connections, &results, &first.study_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        waiting.mean_now, None,
        "no second-round answers counted yet"
    );

    // The first study's results count the second round's answers.
    let summary = results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let said = summary.second_round.clone().expect("a second round");
    assert_eq!(said.rounds, 1);
    assert_eq!(said.items, items);
    assert_eq!(said.people, plan.places);
    assert_eq!(said.left_out, 0);
    let now = results
        .item_confidence(&first.study_id, &ModelConfidence)
        .await
        .unwrap();
    let before = mean(plan.items.iter().map(|item| item.confidence));
    let after = mean(plan.items.iter().map(|item| now[&item.task_id]));
    assert!(after > before, "model confidence {before} then {after}");
    // Recomputed the same way: as the consensus panel shows the merged results.
    let merged = panel_confidence(&summary.analysis);
    for item in &plan.items {
        assert!((now[&item.task_id] - merged[&item.task_id]).abs() < 1e-12);
    }
    let view = top_up::view(&connections, &results, &first.study_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        view.study.map(|study| study.study_id),
        Some(round.study_id.clone())
    );
    assert_eq!(view.mean_now, Some(after));

    // The same confirmation again answers the same round; nothing is made twice.
    let again = launch_as_planned(&connections, &results, &first.study_id, &plan).await;
    assert_eq!(again.study_id, round.study_id);
    let published = client
        .studies(None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|study| study.status.as_ref().is_some_and(StudyStatus::is_published))
        .count();
    assert_eq!(published, 2, "the study and its one second round");
}

/// The first study's results hold the round's people; a decision about one of them,
/// taken there, goes to the round's study, where they submitted.
#[tokio::test]
async fn a_second_round_persons_review_and_bonus_from_the_first_studys_page_go_to_the_round() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, first) = finished_careless_study(dir.path()).await;
    let results = Results::new(dir.path());
    let plan = planned(&connections, &results, &first.study_id).await;
    let round = launch_as_planned(&connections, &results, &first.study_id, &plan).await;
    results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let mut round_people: Vec<String> = participants(&connections, &round.study_id)
        .await
        .into_iter()
        .collect();
    round_people.sort();
    let mut first_people: Vec<String> = participants(&connections, &first.study_id)
        .await
        .into_iter()
        .collect();
    first_people.sort();
    let facts = FactsCache::default();

    // One of the round's people, approved from the first study's page.
    let approved = review::review_participant(
        &connections,
        &facts,
        &results,
        &first.study_id,
        &round_people[0],
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    assert_eq!(approved.state, ReviewState::Approved);
    let (_, client) = connections.client().await.unwrap();
    let status_in = |study: String, person: String| {
        let client = client.clone();
        async move {
            client
                .submissions(&study, None)
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|submission| submission.participant_id.as_deref() == Some(person.as_str()))
                .map(|submission| submission.status)
        }
    };
    assert_eq!(
        status_in(round.study_id.clone(), round_people[0].clone()).await,
        Some(SubmissionStatus::Approved)
    );

    // A selection of both studies' people: each reviewed in their own study.
    let chosen = vec![first_people[0].clone(), round_people[1].clone()];
    let selection = review::review_participants(
        &connections,
        &facts,
        &results,
        &first.study_id,
        &chosen,
        &ReviewDecision::Approve,
    )
    .await
    .unwrap();
    for person in &selection.people {
        assert_eq!(
            person.outcome,
            PersonOutcome::Done {
                state: ReviewState::Approved
            },
            "{selection:?}"
        );
    }
    assert_eq!(
        status_in(first.study_id.clone(), first_people[0].clone()).await,
        Some(SubmissionStatus::Approved)
    );
    assert_eq!(
        status_in(round.study_id.clone(), round_people[1].clone()).await,
        Some(SubmissionStatus::Approved)
    );
    // The first study's page shows where they stand.
    let card = results.scorecard(&first.study_id).await.unwrap();
    assert_eq!(
        card.states.get(&round_people[0]),
        Some(&ReviewState::Approved)
    );

    // A bonus for one of the round's people is set up and paid on the round's study.
    let quote = bonuses::set_up(
        &connections,
        &first.study_id,
        &[BonusRow {
            participant_id: round_people[0].clone(),
            amount: 50,
        }],
    )
    .await
    .unwrap();
    assert_eq!(quote.study_id, round.study_id);
    let paid = bonuses::pay(
        &connections,
        &first.study_id,
        &quote.bulk_bonus_id,
        quote.total,
    )
    .await
    .unwrap();
    assert!(!paid.already_paid);
    let listed = client
        .submissions(&round.study_id, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|submission| submission.participant_id.as_deref() == Some(round_people[0].as_str()))
        .unwrap();
    assert_eq!(
        client.submission(&listed.id).await.unwrap().bonus_payments,
        Some(vec![50])
    );
    // People of both studies at once: refused before anything is set up.
    let mixed = bonuses::set_up(
        &connections,
        &first.study_id,
        &[
            BonusRow {
                participant_id: first_people[1].clone(),
                amount: 50,
            },
            BonusRow {
                participant_id: round_people[1].clone(),
                amount: 50,
            },
        ],
    )
    .await;
    assert!(
        matches!(mixed, Err(bonuses::BonusesError::SeveralStudies)),
        "{mixed:?}"
    );
}

/// 24 reviews, the first 4 with their sentiment known in a hidden column.
fn reviews_with_known(dir: &Path) -> String {
    let path = dir.join("reviews with known answers.csv");
    let mut text = String::from("id,review_text,META_known\n");
    for row in 0..24 {
        let known = if row < 4 {
            ["positive", "neutral", "negative"][row % 3]
        } else {
            ""
        };
        text.push_str(&format!(
            "{row},\"Review {row}: it came on time and mostly worked ({})\",{known}\n",
            row * 5 % 13
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The study's groups carried a known-answer row and two attention checks each; its
/// second round's groups carry the same, priced and fingerprinted with them, and the
/// round's people are judged by them on the first study's page.
#[tokio::test]
async fn the_second_round_carries_the_studys_known_rows_and_checks_in_its_cost() {
    let dir = batchdesk_test_support::temp_folder();
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        regular_participants: 60,
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::practising(dir.path(), config).await;
    let context = support::sentiment_task_on(&connections, reviews_with_known(dir.path()), 4).await;
    let question = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap()
        .questions[0]
        .key
        .clone();
    support::mix_checks(
        &connections,
        &context,
        QualityChecks {
            known_column: Some("META_known".to_owned()),
            known_question: Some(question),
            known_per_group: 1,
            checks_per_group: 2,
            check_question: None,
        },
    )
    .await;
    support::set_up_batch(&connections, &context).await;
    wizard::study_context(&connections).await.unwrap();
    crowd(
        &connections,
        serde_json::json!({ "average": 50, "fast_clicker": 50 }),
    )
    .await;
    let first = support::publish(&connections).await;
    let results = Results::new(dir.path());
    results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let summary = results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let request = request_for(&summary.analysis);
    let plan = top_up::plan(&connections, &results, &first.study_id, request)
        .await
        .unwrap();

    assert!(!plan.items.is_empty(), "{plan:?}");
    assert_eq!((plan.known_per_group, plan.checks_per_group), (1, 2));
    let items = u32::try_from(plan.items.len()).unwrap();
    assert_eq!(
        plan.task_groups,
        items.div_ceil(4),
        "4 of the researcher's rows a group"
    );
    assert_eq!(
        plan.tasks,
        items + plan.task_groups * 3,
        "and 3 checks and known rows"
    );
    let reward = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap()
        .reward;
    let quote = plan.quote.clone().unwrap();
    assert_eq!(plan.places, plan.task_groups * request.people_per_item);
    assert_eq!(
        quote.rewards,
        reward * plan.places,
        "the study's reward a group"
    );

    crowd(&connections, serde_json::json!({ "careful": 100 })).await;
    let round = top_up::launch(
        &connections,
        &results,
        &first.study_id,
        request,
        confirmation(&plan),
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(round.places, Some(plan.places));
    let (_, client) = connections.client().await.unwrap();
    let copy = client
        .study(&round.study_id)
        .await
        .unwrap()
        .data_collection_id
        .unwrap();
    let batch = client.batch(&copy).await.unwrap();
    assert_eq!(batch.total_task_count, Some(u64::from(plan.tasks)));
    assert_eq!(batch.total_task_groups, Some(u64::from(plan.task_groups)));

    // Merged: the round's answers to the items count on those items, and its people's
    // checks and known rows are scored as the first study's people's are.
    let summary = results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let said = summary.second_round.expect("a second round");
    assert_eq!(said.items, items, "the checks and known rows are not items");
    assert_eq!(said.left_out, 0);
    let card = results.scorecard(&first.study_id).await.unwrap();
    let round_people = participants(&connections, &round.study_id).await;
    assert_eq!(round_people.len(), plan.places as usize);
    for person in &round_people {
        let score = card
            .card
            .participants
            .iter()
            .find(|score| &score.participant_id == person)
            .unwrap_or_else(|| panic!("{person} is on the first study's scorecard"));
        assert_eq!(score.checks, 2, "{score:?}");
        assert_eq!(score.checks_failed, 0, "careful people pass: {score:?}");
        assert_eq!(score.known, 1, "{score:?}");
    }
}

#[tokio::test]
async fn a_round_stopped_after_its_study_was_created_resumes_without_a_second_study() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, first) = finished_careless_study(dir.path()).await;
    let results = Results::new(dir.path());
    let plan = planned(&connections, &results, &first.study_id).await;
    // Prolific refuses to publish: the round stops after its study was created.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 500 },
        "POST",
        "/api/v1/studies/{id}/transition/",
        Times::Always,
    )
    .await;
    let stopped = top_up::launch(
        &connections,
        &results,
        &first.study_id,
        request_of(&plan),
        confirmation(&plan),
        |_| {},
        &CancellationToken::new(),
    )
    .await;
    assert!(
        matches!(
            stopped,
            Err(TopUpError::Study(StudyStepError::Session(
                SessionError::Prolific(_)
            )))
        ),
        "{stopped:?}"
    );
    support::clear_faults(&connections, TOKEN).await;
    let (_, client) = connections.client().await.unwrap();
    let made = client.studies(None).await.unwrap().items;
    assert_eq!(
        made.len(),
        2,
        "the study and the round's, created: {made:?}"
    );
    assert!(
        made.iter()
            .any(|study| study.status == Some(StudyStatus::Unpublished)),
        "the round's study is not published"
    );
    let batches_before = client
        .batches(&workspace(&connections).await)
        .await
        .unwrap()
        .items
        .len();

    // The app starts again with fresh results in memory, and the researcher retries.
    let results = Results::new(dir.path());
    let round = launch_as_planned(&connections, &results, &first.study_id, &plan).await;
    assert!(round.published);
    let studies = client.studies(None).await.unwrap().items;
    assert_eq!(studies.len(), 2, "the study and one round: {studies:?}");
    assert_eq!(
        client
            .batches(&workspace(&connections).await)
            .await
            .unwrap()
            .items
            .len(),
        batches_before,
        "no second copy of the batch"
    );
}

#[tokio::test]
async fn a_plan_without_uncertain_items_costs_nothing_and_cannot_be_launched() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, first) = finished_careless_study(dir.path()).await;
    let results = Results::new(dir.path());
    results
        .summary(&connections, &first.study_id, true, |_| {})
        .await
        .unwrap();
    let none = TopUpRequest {
        threshold: 0.0,
        people_per_item: 2,
    };
    let plan = top_up::plan(&connections, &results, &first.study_id, none)
        .await
        .unwrap();
    assert!(plan.items.is_empty());
    assert!(plan.quote.is_none());
    let launched = top_up::launch(
        &connections,
        &results,
        &first.study_id,
        none,
        Confirmation {
            total: 0,
            fingerprint: plan.fingerprint,
        },
        |_| {},
        &CancellationToken::new(),
    )
    .await;
    assert!(
        matches!(launched, Err(TopUpError::NothingUncertain)),
        "{launched:?}"
    );
    let too_many = TopUpRequest {
        threshold: 0.7,
        people_per_item: top_up::MOST_PEOPLE + 1,
    };
    assert!(matches!(
        top_up::plan(&connections, &results, &first.study_id, too_many).await,
        Err(TopUpError::OutOfRange)
    ));
}

#[tokio::test]
async fn running_a_study_again_starts_the_wizard_with_its_task_and_settings_and_no_data() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, first) = finished_careless_study(dir.path()).await;
    let store = connections.store();
    let design = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap();
    let settings = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    // The wizard moves on to another batch before the researcher comes back.
    new_batch::start_in(store, AccountMode::Practice, new_batch::NewBatch::Empty).unwrap();

    new_batch::start_from_study(&connections, &first.study_id)
        .await
        .unwrap();
    assert_eq!(
        wizard::record::load(store, AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap()
            .design,
        Some(design)
    );
    assert!(
        wizard::record::load(store, AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap()
            .batch
            .is_none()
    );
    let prefilled = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    assert_eq!(prefilled.title, settings.title);
    assert_eq!(prefilled.reward, settings.reward);
    assert_eq!(prefilled.estimated_minutes, settings.estimated_minutes);
    assert_eq!(prefilled.people_per_item, settings.people_per_item);
    assert_eq!(prefilled.project_id, settings.project_id);
    assert_eq!(prefilled.devices, settings.devices);
    assert_eq!(prefilled.approval, settings.approval);
    let data = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.data)
        .unwrap();
    assert!(data.uploaded_path.is_none() && data.ready_rows.is_none());
}

async fn workspace(connections: &Connections) -> String {
    batchdesk_engine::account::workspaces(connections)
        .await
        .unwrap()
        .chosen
        .unwrap()
}
