//! The pilot against the in-app practice server over real HTTP: a copy of the batch set
//! up on the first rows, its study published once at the confirmed total while the full
//! study stays unpublished, and a report of what came back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::pilot::{self, FindingSeverity, PilotError};
use batchdesk_engine::results::Results;
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{LaunchOutcome, StudyStepError};
use batchdesk_engine::wizard;
use batchdesk_practice::{PracticeConfig, PracticeWorkspace};
use batchdesk_prolific::models::StudyStatus;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "pilot-token";

/// The review data (24 rows) as a sentiment task in groups of 4 (6 assignments), its
/// study settings at their defaults; participants take places at `pace`. The pool has
/// 20 regulars, fewer than the pilot and the full study need together, so the same people
/// would come back unless something keeps them out.
async fn ready_batch(dir: &Path, pace: Duration) -> Connections {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        regular_participants: 20,
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    connections
}

/// The pilot prepared, priced and published at its quote, as the researcher does it.
async fn publish_pilot(connections: &Connections) -> LaunchOutcome {
    pilot::prepare(connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let confirmed = confirmed_pilot_quote(connections).await;
    pilot::launch(connections, confirmed, |_| {}).await.unwrap()
}

/// The full study published at the quote for its saved settings.
async fn publish_full_study(connections: &Connections) -> LaunchOutcome {
    support::publish(connections).await
}

/// Everyone who took part in `study_id`, whatever became of their submission.
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

async fn confirmed_pilot_quote(connections: &Connections) -> Confirmation {
    let quote = pilot::quote(connections).await.unwrap();
    Confirmation {
        total: quote.total,
        fingerprint: quote.fingerprint,
    }
}

#[tokio::test]
async fn a_pilot_runs_the_first_groups_on_a_copy_and_never_publishes_the_full_study() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;

    let view = pilot::view(&connections).await.unwrap();
    assert_eq!(
        (
            view.plan.task_groups,
            view.plan.rows,
            view.plan.people_per_item,
            view.plan.people
        ),
        (3, 12, 1, 3),
        "3 of the 6 groups of 4 rows, one person each"
    );
    assert!(!view.prepared);
    assert!(view.study.is_none());
    // Nothing is priced before the pilot's batch exists.
    assert!(matches!(
        pilot::quote(&connections).await,
        Err(PilotError::NotPrepared)
    ));

    let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&steps);
    let prepared = pilot::prepare(
        &connections,
        move |step| seen.lock().unwrap().push(step),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert!(prepared.prepared);
    assert!(matches!(
        steps.lock().unwrap().last(),
        Some(pilot::PilotProgress::Ready)
    ));

    // The pilot's batch: the same task on the first 12 rows, 3 groups.
    let (_, client) = connections.client().await.unwrap();
    let full_batch = wizard::study_context(&connections).await.unwrap();
    assert!(full_batch.launched.is_none());
    let batches = client
        .batches(&support_workspace(&connections).await)
        .await
        .unwrap()
        .items;
    let copy = batches
        .iter()
        .find(|batch| batch.name.ends_with("(pilot)"))
        .expect("the pilot's batch");
    assert_eq!(
        client.batch(&copy.id).await.unwrap().total_task_groups,
        Some(3)
    );

    // Preparing again makes nothing new.
    pilot::prepare(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let again = client
        .batches(&support_workspace(&connections).await)
        .await
        .unwrap()
        .items;
    assert_eq!(again.len(), batches.len());

    // The pilot is priced for 3 places and published once, at the confirmed total.
    let quote = pilot::quote(&connections).await.unwrap();
    let reward = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap()
        .reward;
    assert_eq!(quote.rewards, reward * 3);
    let wrong = Confirmation {
        total: quote.total + 1,
        fingerprint: quote.fingerprint.clone(),
    };
    assert!(matches!(
        pilot::launch(&connections, wrong, |_| {}).await,
        Err(PilotError::Study(StudyStepError::PriceChanged { .. }))
    ));
    let confirmed = confirmed_pilot_quote(&connections).await;
    let launched = pilot::launch(&connections, confirmed.clone(), |_| {})
        .await
        .unwrap();
    assert!(launched.published);
    assert_eq!(launched.places, Some(3));
    let twice = pilot::launch(&connections, confirmed, |_| {})
        .await
        .unwrap();
    assert_eq!(
        twice.study_id, launched.study_id,
        "never a second pilot study"
    );

    let studies = client.studies(None).await.unwrap().items;
    let published: Vec<_> = studies
        .iter()
        .filter(|study| study.status.as_ref().is_some_and(StudyStatus::is_published))
        .collect();
    assert_eq!(published.len(), 1, "only the pilot is published");
    assert_eq!(published[0].id, launched.study_id);
    assert!(
        wizard::study_context(&connections)
            .await
            .unwrap()
            .launched
            .is_none(),
        "the full study is not even drafted"
    );
    let view = pilot::view(&connections).await.unwrap();
    assert_eq!(
        view.study.map(|study| study.study_id),
        Some(launched.study_id)
    );
}

async fn support_workspace(connections: &Connections) -> String {
    batchdesk_engine::account::workspaces(connections)
        .await
        .unwrap()
        .chosen
        .unwrap()
}

#[tokio::test]
async fn the_report_reads_what_the_pilot_brought_back() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    publish_pilot(&connections).await;

    let results = Results::new(dir.path());
    let report = pilot::report(&connections, &results).await.unwrap();
    assert_eq!(report.places, 3);
    assert_eq!(report.finished, 3, "{report:?}");
    assert!(report.complete);
    let summary = report.results.as_ref().expect("the answers were read");
    assert_eq!(summary.analysis.skipped_records, 0, "{summary:#?}");
    assert_eq!(
        summary.analysis.item_count, 12,
        "every pilot row was answered"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|finding| finding.severity == FindingSeverity::Good
                && finding.title.to_string().contains("answers to 12 items")),
        "{:?}",
        report.findings
    );
}

/// Sets how long simulated participants take, against the estimate (100 = as long).
async fn participants_take(connections: &Connections, percent: u32) {
    support::practice_api(
        connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "time_factor_percent": percent })),
    )
    .await;
}

#[tokio::test]
async fn after_a_slow_pilot_the_full_study_pays_for_the_real_time_and_leaves_the_pilots_people_out()
{
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    // The task really takes three times the 10 minutes estimated.
    participants_take(&connections, 300).await;
    let pilot_study = publish_pilot(&connections).await;

    let results = Results::new(dir.path());
    let report = pilot::report(&connections, &results).await.unwrap();
    let time = report.time.clone().expect("times were read");
    assert!(
        (20.0..=45.0).contains(&time.median_minutes),
        "about 30 minutes: {time:?}"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|finding| finding.severity == FindingSeverity::Problem
                && finding
                    .title
                    .to_string()
                    .contains("not the 10 you estimated")),
        "{:?}",
        report.findings
    );
    assert!(
        report
            .findings
            .iter()
            .any(|finding| finding.severity == FindingSeverity::Problem
                && finding
                    .title
                    .to_string()
                    .contains("below Prolific's minimum")),
        "the hourly pay at the real time is below the minimum: {:?}",
        report.findings
    );
    let suggestion = report
        .suggestion
        .clone()
        .expect("a new estimate and reward");
    assert!(suggestion.estimated_minutes >= 20);
    let recommended = report.recommended_hourly.unwrap();
    assert!(suggestion.hourly >= recommended - 1, "{suggestion:?}");
    assert!(suggestion.hourly >= report.minimum_hourly.unwrap());

    let before = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    let choice = pilot::ContinueChoice {
        adopt_suggestion: true,
        exclude_pilot_people: true,
    };
    let settings = pilot::continue_to_full_study(&connections, &results, &choice)
        .await
        .unwrap();
    assert_eq!(settings.estimated_minutes, suggestion.estimated_minutes);
    assert_eq!(settings.reward, suggestion.reward);
    assert!(settings.reward > before.reward);
    assert_eq!(settings.filters.len(), before.filters.len() + 1);
    // Applying again adds no second block.
    let again = pilot::continue_to_full_study(&connections, &results, &choice)
        .await
        .unwrap();
    assert_eq!(again.filters, settings.filters);

    // The full study, published as any study, at its own confirmed total.
    let launched = publish_full_study(&connections).await;
    assert!(launched.published);
    let pilot_people = participants(&connections, &pilot_study.study_id).await;
    let full_people = participants(&connections, &launched.study_id).await;
    assert_eq!(pilot_people.len(), 3);
    assert!(
        full_people.len() >= 18,
        "the full study filled: {}",
        full_people.len()
    );
    assert!(
        pilot_people.is_disjoint(&full_people),
        "no pilot participant took the full study"
    );
}

#[tokio::test]
async fn without_the_exclusion_the_pool_is_shared_so_the_block_is_what_keeps_them_out() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    let pilot_study = publish_pilot(&connections).await;
    let results = Results::new(dir.path());
    let choice = pilot::ContinueChoice {
        adopt_suggestion: false,
        exclude_pilot_people: false,
    };
    let settings = pilot::continue_to_full_study(&connections, &results, &choice)
        .await
        .unwrap();
    assert!(settings.filters.is_empty());
    let launched = publish_full_study(&connections).await;
    let pilot_people = participants(&connections, &pilot_study.study_id).await;
    let full_people = participants(&connections, &launched.study_id).await;
    assert!(
        !pilot_people.is_disjoint(&full_people),
        "the practice pool is small enough that someone comes back: {pilot_people:?}"
    );
}

#[tokio::test]
async fn another_pilot_after_a_fix_is_priced_and_published_afresh_and_both_pilots_people_stay_out()
{
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    pilot::prepare(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let first_confirmed = confirmed_pilot_quote(&connections).await;
    let first = pilot::launch(&connections, first_confirmed.clone(), |_| {})
        .await
        .unwrap();

    // The pilot showed the pay was too low: the reward goes up, and a second pilot runs.
    let mut settings = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    settings.reward += 50;
    wizard::save_settings(&connections, settings).await.unwrap();
    let view = pilot::run_another(&connections).await.unwrap();
    assert!(
        !view.prepared && view.study.is_none(),
        "a fresh pilot: {view:?}"
    );
    // The first pilot's confirmation does not publish the second.
    pilot::prepare(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(matches!(
        pilot::launch(&connections, first_confirmed, |_| {}).await,
        Err(PilotError::Study(StudyStepError::SettingsChanged))
    ));
    let second_confirmed = confirmed_pilot_quote(&connections).await;
    let second = pilot::launch(&connections, second_confirmed, |_| {})
        .await
        .unwrap();
    assert_ne!(second.study_id, first.study_id);
    assert!(second.published);

    let results = Results::new(dir.path());
    let choice = pilot::ContinueChoice {
        adopt_suggestion: false,
        exclude_pilot_people: true,
    };
    pilot::continue_to_full_study(&connections, &results, &choice)
        .await
        .unwrap();
    let launched = publish_full_study(&connections).await;
    let mut pilots = participants(&connections, &first.study_id).await;
    pilots.extend(participants(&connections, &second.study_id).await);
    let full = participants(&connections, &launched.study_id).await;
    assert_eq!(pilots.len(), 6);
    assert!(pilots.is_disjoint(&full), "no one from either pilot");
}

#[tokio::test]
async fn the_pilots_answers_are_kept_apart_until_the_researcher_counts_them_in_the_full_results() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    let pilot_study = publish_pilot(&connections).await;
    let results = Results::new(dir.path());
    let choice = pilot::ContinueChoice {
        adopt_suggestion: false,
        exclude_pilot_people: true,
    };
    pilot::continue_to_full_study(&connections, &results, &choice)
        .await
        .unwrap();
    let full = publish_full_study(&connections).await;

    // Kept apart by default: the full study's own 24 items × 3 people, and the pilot
    // offered (its 3 people's 12 answers, each on one of the full study's rows).
    let apart = results
        .summary(&connections, &full.study_id, true, |_| {})
        .await
        .unwrap();
    let offered = apart.pilot_answers.clone().expect("the pilot is offered");
    assert_eq!(
        (offered.pilots, offered.downloaded, offered.merged),
        (1, 1, false)
    );
    assert_eq!(
        (
            offered.answers,
            offered.people,
            offered.items,
            offered.left_out
        ),
        (12, 3, 12, 0),
        "{offered:?}"
    );
    assert_eq!(apart.row_count, 72);
    assert_eq!(apart.analysis.participant_count, 18);
    let most_votes = |summary: &batchdesk_engine::results::ResultsSummary| {
        summary.analysis.questions[0]
            .items
            .iter()
            .map(|item| item.consolidated.votes_cast)
            .max()
    };
    assert_eq!(most_votes(&apart), Some(3));

    // Counted in: the pilot's people join on the same items; the table, agreement and
    // the tidy CSV read them.
    let merged = results
        .count_pilot_answers(&connections, &full.study_id, true)
        .await
        .unwrap();
    assert!(merged.pilot_answers.as_ref().unwrap().merged);
    assert_eq!(merged.row_count, 84);
    assert_eq!(merged.analysis.participant_count, 21);
    assert_eq!(merged.analysis.item_count, 24, "no item of the pilot's own");
    assert_eq!(most_votes(&merged), Some(4));
    // The question keeps the labels participants read, as without the pilot's answers.
    assert_eq!(merged.questions[0].options, apart.questions[0].options);
    assert!(
        merged.questions[0]
            .options
            .iter()
            .any(|option| option.value == "positive" && option.label == "Positive"),
        "{:?}",
        merged.questions[0].options
    );
    let pilot_people = participants(&connections, &pilot_study.study_id).await;
    let page = results
        .rows(
            &full.study_id,
            &batchdesk_engine::results::RowsQuery {
                offset: 0,
                limit: 200,
                participant: None,
                question_id: None,
                answer: None,
                by_item: false,
            },
        )
        .await
        .unwrap();
    let in_table: HashSet<String> = page
        .rows
        .iter()
        .map(|row| row.participant_id.clone())
        .collect();
    assert!(pilot_people.is_subset(&in_table), "{pilot_people:?}");
    // Every item of the pilot's rows reads 4 answers in the tidy CSV's count.
    let tidy = dir.path().join("tidy.csv");
    results
        .save(
            &full.study_id,
            batchdesk_engine::results::DownloadKind::Tidy,
            &tidy,
        )
        .await
        .unwrap();
    let text = std::fs::read_to_string(&tidy).unwrap();
    let mut lines = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = lines.headers().unwrap().clone();
    let votes = header
        .iter()
        .position(|name| name.ends_with("[number of answers]"))
        .unwrap_or_else(|| panic!("a count column: {header:?}"));
    let counts: Vec<u32> = lines
        .records()
        .map(|record| record.unwrap()[votes].parse().unwrap())
        .collect();
    assert_eq!(
        counts.iter().filter(|&&count| count == 4).count(),
        12,
        "{counts:?}"
    );

    // The choice is kept with the results: the same after a restart, offline.
    let reopened = Results::new(dir.path())
        .open_downloaded(&full.study_id)
        .await
        .unwrap();
    assert_eq!(reopened.row_count, 84);

    // And it can be undone.
    let apart_again = results
        .count_pilot_answers(&connections, &full.study_id, false)
        .await
        .unwrap();
    assert_eq!(apart_again.row_count, 72);
    assert_eq!(most_votes(&apart_again), Some(3));
}
