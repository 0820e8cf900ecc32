//! The study step against the in-app practice server over real HTTP: defaults from the
//! batch, the exact price from the cost calculator, the audience size, and a launch that
//! never creates a second study or publishes twice, whatever stops it half way.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::data_step::DataDraft;
use batchdesk_engine::money_lock;
use batchdesk_engine::session::SessionError;
use batchdesk_engine::study::settings::{Approval, AudienceFilter};
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{self, LaunchRequest, LaunchStage, StudyStepError};
use batchdesk_engine::task_step::{SetupOutcome, TaskDraft};
use batchdesk_engine::wizard;
use batchdesk_engine::wizard::new_batch::{self, NewBatch};
use batchdesk_practice::{Fault, PracticeConfig, PracticeWorkspace, Times};
use batchdesk_prolific::models::StudyStatus;
use tokio_util::sync::CancellationToken;

/// Practice mode with the review data set up as a sentiment task in groups of 4 (24
/// rows: 6 assignments); participants never come.
async fn ready_batch(dir: &Path, balance: i64) -> Connections {
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        workspace: PracticeWorkspace {
            balance,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    support::sentiment_batch(dir, config).await
}

async fn studies(connections: &Connections) -> Vec<batchdesk_prolific::models::Study> {
    let (_, client) = connections.client().await.unwrap();
    client.studies(None).await.unwrap().items
}

#[tokio::test]
async fn defaults_price_audience_and_a_published_study_with_the_right_places() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    let context = wizard::study_context(&connections).await.unwrap();
    assert_eq!(context.facts.assignments, 6);
    assert_eq!(context.settings.people_per_item, 3);
    assert_eq!(context.facts.places, 18);
    assert_eq!(
        context.settings.title,
        "Is this text positive, negative or neutral?"
    );
    assert!(context.settings.project_id.is_some());
    let recommended = context.facts.recommended_hourly.unwrap();
    assert!(
        context.facts.hourly_rate >= recommended,
        "the default reward pays the recommended rate"
    );
    assert_eq!(context.issues, vec![]);
    assert!(context.filters.iter().any(|filter| filter.common));

    // The quote is the cost calculator's total.
    let mut settings = context.settings.clone();
    settings.people_per_item = 2;
    settings.approval = Approval::Automatic;
    let checked = wizard::save_settings(&connections, settings.clone())
        .await
        .unwrap();
    assert_eq!(checked.facts.places, 12);
    let quote = wizard::quote(&connections, &settings).await.unwrap();
    let (_, client) = connections.client().await.unwrap();
    let calculated = client
        .study_cost(i64::from(settings.reward), 12)
        .await
        .unwrap();
    assert_eq!(i64::from(quote.total), calculated);
    assert_eq!(quote.rewards, settings.reward * 12);
    assert_eq!(quote.rewards + quote.fees_and_tax, quote.total);
    assert_eq!(quote.shortfall, 0);

    let everyone = wizard::audience_size(&connections, &[]).await.unwrap();
    let narrowed = wizard::audience_size(
        &connections,
        &[AudienceFilter::Range {
            filter_id: "age".to_owned(),
            lower: Some(18.0),
            upper: Some(30.0),
        }],
    )
    .await
    .unwrap();
    assert!(
        narrowed.count < everyone.count,
        "{narrowed:?} < {everyone:?}"
    );
    // A range left open at both ends restricts nobody: it is not sent (Prolific refuses
    // a range without a bound).
    let open = wizard::audience_size(
        &connections,
        &[AudienceFilter::Range {
            filter_id: "age".to_owned(),
            lower: None,
            upper: None,
        }],
    )
    .await
    .unwrap();
    assert_eq!(open.count, everyone.count);

    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let published = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        move |stage| {
            seen.lock().unwrap().push(stage);
        },
    )
    .await
    .unwrap();
    assert!(published.published);
    assert_eq!(published.status, "ACTIVE");
    assert_eq!(published.places, Some(12), "assignments × people per item");
    assert_eq!(
        *stages.lock().unwrap(),
        [
            LaunchStage::Creating,
            LaunchStage::Publishing,
            LaunchStage::Done
        ]
    );
    // Launching again finds the same study, published once.
    let again = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(again.study_id, published.study_id);
    assert_eq!(studies(&connections).await.len(), 1);
}

#[tokio::test]
async fn a_launch_stopped_after_the_study_was_created_resumes_into_one_published_study() {
    const TOKEN: &str = "stopped-launch-token";
    let dir = batchdesk_test_support::temp_folder();
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections =
        support::sentiment_batch_with(dir.path(), config, support::quick_retries()).await;
    wizard::study_context(&connections).await.unwrap();
    let (_, client) = connections.client().await.unwrap();
    let workspace = PracticeConfig::default().workspace.id;
    let before = client.workspace_balance(&workspace).await.unwrap();

    // Prolific's cost calculator stops answering: the launch stops right after the study
    // is created and journaled, where it prices the study again before publishing.
    let request = support::publish_as_quoted(&connections).await;
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 500 },
        "POST",
        "/api/v1/study-cost-calculator/",
        Times::Always,
    )
    .await;
    let stopped = wizard::launch(&connections, None, request, |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(stopped, StudyStepError::Session(SessionError::Prolific(_))),
        "{stopped:?}"
    );
    support::clear_faults(&connections, TOKEN).await;
    let made = studies(&connections).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].status, Some(StudyStatus::Unpublished));

    // "Relaunch": a fresh store handle on the same file, as after a restart.
    let resumed = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(resumed.study_id, made[0].id);
    assert!(resumed.published);
    assert_eq!(studies(&connections).await.len(), 1, "exactly one study");
    let after = client.workspace_balance(&workspace).await.unwrap();
    let quote = wizard::quote(
        &connections,
        &wizard::record::load(connections.store(), AccountMode::Practice)
            .map(|wizard| wizard.study)
            .unwrap()
            .settings
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        before.available_balance - after.available_balance,
        i64::from(quote.total),
        "the money was committed once"
    );
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_found_not_made_again() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    wizard::study_context(&connections).await.unwrap();
    let store = connections.store();
    // As if the app had journaled "create started", Prolific had made the study, and
    // the answer never came back: the journal has no id for it.
    let batch_id = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .batch
        .unwrap()
        .batch_id
        .unwrap();
    let made = support::lost_create_made(&connections, &batch_id).await;

    let drafted = wizard::launch(&connections, None, LaunchRequest::Draft, |_| {})
        .await
        .unwrap();
    assert_eq!(drafted.study_id, made.id, "found, not made again");
    assert!(!drafted.published, "a draft study is not published");
    assert_eq!(studies(&connections).await.len(), 1);
    // The draft is published later, once.
    let published = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(published.study_id, made.id);
    assert!(published.published);
    assert_eq!(studies(&connections).await.len(), 1);
}

#[tokio::test]
async fn too_small_a_balance_is_refused_before_publishing_and_says_by_how_much() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 100).await;
    let context = wizard::study_context(&connections).await.unwrap();
    let quote = wizard::quote(&connections, &context.settings)
        .await
        .unwrap();
    assert!(quote.shortfall > 0);
    assert_eq!(quote.shortfall, quote.total - 100);
    let refused = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::Unaffordable { .. }),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("Add at least £"), "{refused}");
    let made = studies(&connections).await;
    assert!(
        made.iter()
            .all(|study| study.status == Some(StudyStatus::Unpublished))
    );
}

#[tokio::test]
async fn settings_problems_are_put_on_their_fields() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    let context = wizard::study_context(&connections).await.unwrap();
    let mut settings = context.settings;
    settings.reward = 1;
    settings.max_minutes = Some(5);
    settings.devices.clear();
    let checked = wizard::save_settings(&connections, settings).await.unwrap();
    let fields: Vec<&str> = checked
        .issues
        .iter()
        .map(|issue| issue.field.as_str())
        .collect();
    assert_eq!(fields, ["maxMinutes", "reward", "devices"]);
    assert!(
        checked.issues[1]
            .message
            .to_string()
            .contains("below Prolific's minimum")
    );
    let refused = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, StudyStepError::Invalid(_)));
    assert!(studies(&connections).await.is_empty(), "nothing was made");
}

#[tokio::test]
async fn a_draft_study_is_listed_and_published_later_from_the_batches_page() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    wizard::study_context(&connections).await.unwrap();
    let draft = wizard::launch(&connections, None, LaunchRequest::Draft, |_| {})
        .await
        .unwrap();
    let listed = batchdesk_engine::monitor::launched_studies(&connections)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].study_id, draft.study_id);
    assert!(!listed[0].published);
    assert!(
        !listed[0].internal_name.contains("[batchdesk"),
        "the marker is not shown"
    );
    // Publishing from the study's page shows the price first, and spends only that.
    let quote = study_step::quote_draft(&connections, &draft.study_id)
        .await
        .unwrap();
    let (_, client) = connections.client().await.unwrap();
    let made = client.study(&draft.study_id).await.unwrap();
    let calculated = client
        .study_cost(made.reward.unwrap(), made.total_available_places.unwrap())
        .await
        .unwrap();
    assert_eq!(
        i64::from(quote.total),
        calculated,
        "the cost calculator's total"
    );
    assert_eq!(quote.shortfall, 0);
    let before = client
        .workspace_balance(&PracticeWorkspace::default().id)
        .await
        .unwrap();
    let confirmed = |total| Confirmation {
        total,
        fingerprint: quote.fingerprint.clone(),
    };
    let refused =
        study_step::publish_draft(&connections, &draft.study_id, &confirmed(quote.total - 1))
            .await
            .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::PriceChanged { .. }),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("Nothing was spent"),
        "{refused}"
    );
    assert_eq!(
        studies(&connections).await[0].status,
        Some(StudyStatus::Unpublished),
        "a total other than the one confirmed publishes nothing"
    );
    let published =
        study_step::publish_draft(&connections, &draft.study_id, &confirmed(quote.total))
            .await
            .unwrap();
    assert!(published.published);
    let after = client
        .workspace_balance(&PracticeWorkspace::default().id)
        .await
        .unwrap();
    assert_eq!(
        before.available_balance - after.available_balance,
        i64::from(quote.total),
        "exactly the confirmed total"
    );
    let again = study_step::publish_draft(&connections, &draft.study_id, &confirmed(quote.total))
        .await
        .unwrap();
    assert_eq!(again.status, "ACTIVE", "read, not published twice");
    assert_eq!(
        batchdesk_engine::monitor::launched_studies(&connections)
            .await
            .unwrap()[0]
            .status,
        "ACTIVE"
    );
}

#[tokio::test]
async fn a_test_run_makes_a_free_copy_that_stays_off_the_batches_page() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    wizard::study_context(&connections).await.unwrap();
    let test = wizard::test_run(&connections, Some("rehearsal+one@example.org".into()))
        .await
        .unwrap();
    let listed = batchdesk_engine::monitor::launched_studies(&connections)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "the draft study, not its test copy");
    assert_ne!(listed[0].study_id, test.study_id);
    assert!(!listed[0].published);
}

#[tokio::test]
async fn a_test_run_asks_for_an_email_prolific_has_never_seen_then_reuses_its_participant() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    wizard::study_context(&connections).await.unwrap();

    // Without an email, or with the researcher's own: refused before anything is made.
    let needed = wizard::test_run(&connections, None).await.unwrap_err();
    assert!(
        matches!(needed, StudyStepError::TestEmailNeeded),
        "{needed}"
    );
    let (_, client) = connections.client().await.unwrap();
    let own = client.users_me().await.unwrap().email;
    let yours = wizard::test_run(&connections, Some(own.to_uppercase()))
        .await
        .unwrap_err();
    assert!(
        matches!(yours, StudyStepError::TestEmailIsYours { .. }),
        "{yours}"
    );
    assert!(
        studies(&connections).await.is_empty(),
        "nothing was created"
    );

    let first = wizard::test_run(&connections, Some(" tester+1@example.org ".into()))
        .await
        .unwrap();
    let context = wizard::study_context(&connections).await.unwrap();
    assert_eq!(
        context.test_run.participant_email.as_deref(),
        Some("tester+1@example.org")
    );
    // The same participant takes the next run: no email needed, none registered again
    // (Prolific would refuse the same address twice).
    let second = wizard::test_run(&connections, None).await.unwrap();
    assert_ne!(first.study_id, second.study_id);
    assert!(
        wizard::study_context(&connections)
            .await
            .unwrap()
            .test_run
            .available
    );
}

#[tokio::test]
async fn an_email_prolific_refuses_is_explained_and_not_taken_for_a_missing_feature() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    wizard::study_context(&connections).await.unwrap();
    let (_, client) = connections.client().await.unwrap();
    client
        .create_test_participant("taken@example.org")
        .await
        .unwrap();

    let refused = wizard::test_run(&connections, Some("taken@example.org".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::TestEmailRefused { .. }),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("never been used on Prolific"),
        "{refused}"
    );
    let context = wizard::study_context(&connections).await.unwrap();
    assert!(
        context.test_run.available,
        "the workspace still has test runs"
    );
    assert_eq!(context.test_run.participant_email, None);
    wizard::test_run(&connections, Some("fresh@example.org".into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_workspace_without_test_participants_is_remembered_as_such() {
    let dir = batchdesk_test_support::temp_folder();
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        workspace: PracticeWorkspace {
            test_participants: false,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir.path(), config).await;
    wizard::study_context(&connections).await.unwrap();
    let refused = wizard::test_run(&connections, Some("fresh@example.org".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::Session(SessionError::Prolific(_))),
        "{refused}"
    );
    let context = wizard::study_context(&connections).await.unwrap();
    assert!(!context.test_run.available);
    assert!(
        context
            .test_run
            .reason
            .unwrap()
            .contains("does not have Prolific's test participants")
    );
}

/// Publishes the ready batch as quoted; answers the published study's id, the batch's id
/// and its launch key.
async fn publish_ready_batch(connections: &Connections) -> (String, String, String) {
    wizard::study_context(connections).await.unwrap();
    let published = wizard::launch(
        connections,
        None,
        support::publish_as_quoted(connections).await,
        |_| {},
    )
    .await
    .unwrap();
    assert!(published.published);
    let store = connections.store();
    let batch_id = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .batch
        .unwrap()
        .batch_id
        .unwrap();
    let launch = store.batch_launch("practice", &batch_id).unwrap().unwrap();
    (published.study_id, batch_id, launch)
}

#[tokio::test]
async fn a_new_batch_after_publishing_starts_empty_and_leaves_the_published_study_alone() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    let store = connections.store().clone();
    let (study_id, batch_id, launch) = publish_ready_batch(&connections).await;
    let journal = store.journal_details(&launch).unwrap();
    assert!(!journal.is_empty());
    let mut study_draft = wizard::record::load(&store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap();
    study_draft.test_participant_email = Some("tester@example.org".to_owned());
    study_draft.test_studies = vec!["a-test-copy".to_owned()];
    wizard::record::update(&store, AccountMode::Practice, |wizard| {
        wizard.study = study_draft
    })
    .unwrap();

    new_batch::start(&connections, NewBatch::Empty)
        .await
        .unwrap();

    assert_eq!(
        wizard::record::load(&store, AccountMode::Practice)
            .map(|wizard| wizard.data)
            .unwrap(),
        DataDraft::default(),
        "the data step is empty"
    );
    assert_eq!(
        wizard::record::load(&store, AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap(),
        TaskDraft::default(),
        "no design and no batch"
    );
    let study = wizard::record::load(&store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap();
    assert_eq!(study.settings, None);
    assert_eq!(study.launch, None);
    assert_eq!(study.test_studies, vec!["a-test-copy".to_owned()]);
    assert_eq!(
        study.test_participant_email.as_deref(),
        Some("tester@example.org")
    );
    assert!(matches!(
        wizard::study_context(&connections).await,
        Err(StudyStepError::NoBatch)
    ));

    // The published batch is untouched: its launch, its journal and its running study.
    assert_eq!(
        store.batch_launch("practice", &batch_id).unwrap(),
        Some(launch.clone())
    );
    assert_eq!(store.journal_details(&launch).unwrap(), journal);
    let listed = batchdesk_engine::monitor::launched_studies(&connections)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].study_id, study_id);
    assert_eq!(listed[0].status, "ACTIVE");
    assert_eq!(studies(&connections).await.len(), 1);
}

#[tokio::test]
async fn running_the_task_again_keeps_the_design_and_makes_a_new_batch_and_study() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    let store = connections.store().clone();
    let design = wizard::record::load(&store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap();
    let (first_study, first_batch, first_launch) = publish_ready_batch(&connections).await;

    new_batch::start(&connections, NewBatch::SameTask)
        .await
        .unwrap();
    let task = wizard::record::load(&store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap();
    assert_eq!(task.design.as_ref(), Some(&design), "the design is kept");
    assert_eq!(task.batch, None);
    assert_eq!(
        wizard::record::load(&store, AccountMode::Practice)
            .map(|wizard| wizard.data)
            .unwrap(),
        DataDraft::default()
    );

    // New data, the same task: a second batch and a second study, the first left as it was.
    let path = support::sample("reviews.csv");
    wizard::choose_file(&connections, path.clone(), path)
        .await
        .unwrap();
    wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let context = support::task_context(&connections).await;
    let outcome = support::setting_up(&connections, &context).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Ready(_)), "{outcome:?}");
    let opened = wizard::study_context(&connections).await.unwrap();
    assert_eq!(opened.launched, None, "the new batch has no study yet");
    let (second_study, second_batch, second_launch) = publish_ready_batch(&connections).await;
    assert_ne!(second_batch, first_batch);
    assert_ne!(second_study, first_study);
    assert_ne!(second_launch, first_launch);
    assert_eq!(
        store.batch_launch("practice", &first_batch).unwrap(),
        Some(first_launch)
    );
    assert_eq!(studies(&connections).await.len(), 2);
}

#[tokio::test]
async fn a_new_batch_waits_for_a_launch_under_way() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), 1_000_000).await;
    let store = connections.store().clone();
    let before = wizard::record::load(&store, AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap();
    let launching = money_lock::try_acquire(&store, AccountMode::Practice).unwrap();
    assert!(matches!(
        new_batch::start(&connections, NewBatch::Empty).await,
        Err(StudyStepError::OneAtATime(_))
    ));
    assert_eq!(
        wizard::record::load(&store, AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap(),
        before
    );
    drop(launching);
    new_batch::start(&connections, NewBatch::Empty)
        .await
        .unwrap();
    assert_eq!(
        wizard::record::load(&store, AccountMode::Practice)
            .map(|wizard| wizard.task)
            .unwrap(),
        TaskDraft::default()
    );
}
