//! The pilot against the in-app practice server over real HTTP: a copy of the batch set
//! up on the first rows, its study published once at the confirmed total while the full
//! study stays unpublished, and a report of what came back.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::pilot::{self, FindingSeverity, PilotError};
use batchdesk_engine::results::Results;
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{self, StudyStepError};
use batchdesk_practice::{PracticeConfig, PracticeWorkspace};
use batchdesk_prolific::models::StudyStatus;
use tokio_util::sync::CancellationToken;

/// The review data (24 rows) as a sentiment task in groups of 4 (6 assignments), its
/// study settings at their defaults; participants take places at `pace`.
async fn ready_batch(dir: &Path, pace: Duration) -> Connections {
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    study_step::context(&connections).await.unwrap();
    connections
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
    let dir = tempfile::tempdir().unwrap();
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
    let full_batch = study_step::context(&connections).await.unwrap();
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
    let reward = study_step::load(connections.store(), AccountMode::Practice)
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
        study_step::context(&connections)
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
    let dir = tempfile::tempdir().unwrap();
    let connections = ready_batch(dir.path(), Duration::ZERO).await;
    pilot::prepare(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let confirmed = confirmed_pilot_quote(&connections).await;
    pilot::launch(&connections, confirmed, |_| {})
        .await
        .unwrap();

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
                && finding.title.contains("answers to 12 items")),
        "{:?}",
        report.findings
    );
}
