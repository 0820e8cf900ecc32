//! Money is spent exactly as the researcher confirmed it, once (issue 16): one regression
//! test per hole a reviewer found in the money paths, each against the in-app practice
//! server over real HTTP. The random sequences with injected faults are in
//! `money_model.rs`.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use batchdesk_engine::api_notices;
use batchdesk_engine::connection::{AccountMode, Connections};
use batchdesk_engine::money_lock::MoneyLockError;
use batchdesk_engine::monitor::FactsCache;
use batchdesk_engine::study::settings::{AudienceFilter, StudySettings};
use batchdesk_engine::study::terms::{Confirmation, ShownTerms, StudyTerms};
use batchdesk_engine::study_actions::{self, ActionError, MorePeople};
use batchdesk_engine::study_step::{self, LaunchRequest, StudyStepError};
use batchdesk_engine::wizard;
use batchdesk_practice::{Fault, PracticeConfig, PracticeWorkspace, Times};
use batchdesk_prolific::models::{Study, StudyStatus};

const TOKEN: &str = "money-paths-token";

/// Practice mode with the review data set up as a sentiment task (6 assignments);
/// participants never come.
async fn ready(dir: &Path) -> Connections {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch_with(dir, config, support::quick_retries()).await;
    wizard::study_context(&connections).await.unwrap();
    connections
}

fn saved(connections: &Connections) -> StudySettings {
    wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap()
}

async fn save(connections: &Connections, settings: StudySettings) {
    wizard::save_settings(connections, settings).await.unwrap();
}

/// What the researcher confirms: the quote for the saved settings.
async fn confirm(connections: &Connections) -> Confirmation {
    let quote = wizard::quote(connections, &saved(connections))
        .await
        .unwrap();
    Confirmation {
        total: quote.total,
        fingerprint: quote.fingerprint,
    }
}

async fn available(connections: &Connections) -> i64 {
    let (_, client) = connections.client().await.unwrap();
    client
        .workspace_balance(&PracticeWorkspace::default().id)
        .await
        .unwrap()
        .available_balance
}

/// Every study the workspace has, read in full.
async fn studies(connections: &Connections) -> Vec<Study> {
    let (_, client) = connections.client().await.unwrap();
    let mut full = Vec::new();
    for listed in client.studies(None).await.unwrap().items {
        full.push(client.study(&listed.id).await.unwrap());
    }
    full
}

fn batch_id(connections: &Connections) -> String {
    wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .batch
        .unwrap()
        .batch_id
        .unwrap()
}

/// Hole 1: a draft made by "Save as a draft" (or a test run) with other settings was
/// published as it stood, priced at the new settings.
#[tokio::test]
async fn a_draft_made_earlier_is_brought_to_the_confirmed_settings_before_it_is_published() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let draft = save_draft(&connections).await;
    let before_edit = confirm(&connections).await;

    let mut settings = saved(&connections);
    settings.reward += 25;
    settings.title = "Is this review positive?".to_owned();
    settings.filters = vec![AudienceFilter::Range {
        filter_id: "age".to_owned(),
        lower: Some(21.0),
        upper: None,
    }];
    save(&connections, settings.clone()).await;
    let start = available(&connections).await;

    // A confirmation of the old settings publishes nothing.
    let refused = wizard::launch(
        &connections,
        None,
        LaunchRequest::Publish(before_edit),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::SettingsChanged),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("Nothing was spent"),
        "{refused}"
    );
    assert_eq!(available(&connections).await, start);

    let confirmed = confirm(&connections).await;
    let published = wizard::launch(
        &connections,
        None,
        LaunchRequest::Publish(confirmed.clone()),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        published.study_id, draft.study_id,
        "the same study, updated"
    );
    let made = studies(&connections).await;
    assert_eq!(made.len(), 1);
    let terms = StudyTerms::planned(&settings, &batch_id(&connections)).unwrap();
    assert_eq!(terms.fingerprint(), confirmed.fingerprint);
    assert_eq!(terms.differences(&ShownTerms::of(&made[0])), vec![]);
    assert_eq!(made[0].reward, Some(i64::from(settings.reward)));
    assert_eq!(
        start - available(&connections).await,
        i64::from(confirmed.total),
        "exactly the confirmed total"
    );
}

/// Hole 1 through a test run: the test copy and the study published later both follow
/// the settings as they are when each is made.
#[tokio::test]
async fn a_test_run_then_a_new_reward_publishes_the_new_reward() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    wizard::test_run(&connections, Some("tester+money@example.org".to_owned()))
        .await
        .unwrap();
    let mut settings = saved(&connections);
    settings.reward += 40;
    save(&connections, settings.clone()).await;
    let published = wizard::launch(
        &connections,
        None,
        confirm_request(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    let (_, client) = connections.client().await.unwrap();
    let study = client.study(&published.study_id).await.unwrap();
    assert_eq!(study.reward, Some(i64::from(settings.reward)));
    assert!(published.published);
}

/// "Save as a draft study": the draft made (or brought up to the settings).
async fn save_draft(connections: &Connections) -> batchdesk_engine::study_step::LaunchOutcome {
    wizard::launch(connections, None, LaunchRequest::Draft, |_| {})
        .await
        .unwrap()
}

async fn confirm_request(connections: &Connections) -> LaunchRequest {
    LaunchRequest::Publish(confirm(connections).await)
}

/// Hole 2: two launches at once (a double click, a second window) could both create a
/// study for the batch.
#[tokio::test]
async fn two_launches_at_once_make_one_study_and_the_second_is_told_why() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let confirmed = confirm(&connections).await;
    let start = available(&connections).await;
    let (first, second) = tokio::join!(
        wizard::launch(
            &connections,
            None,
            LaunchRequest::Publish(confirmed.clone()),
            |_| {}
        ),
        wizard::launch(
            &connections,
            None,
            LaunchRequest::Publish(confirmed.clone()),
            |_| {}
        ),
    );
    assert!(first.unwrap().published);
    let refused = second.unwrap_err();
    assert!(
        matches!(refused, StudyStepError::OneAtATime(MoneyLockError::Busy)),
        "{refused}"
    );
    // A test run meanwhile is refused the same way (Publish stayed enabled during one).
    let (_, test) = tokio::join!(
        wizard::launch(
            &connections,
            None,
            LaunchRequest::Publish(confirmed.clone()),
            |_| {}
        ),
        wizard::test_run(&connections, Some("tester+two@example.org".to_owned())),
    );
    assert!(matches!(
        test.unwrap_err(),
        StudyStepError::OneAtATime(MoneyLockError::Busy)
    ));
    assert_eq!(studies(&connections).await.len(), 1);
    assert_eq!(
        start - available(&connections).await,
        i64::from(confirmed.total)
    );
}

/// Hole 2: the store names the batch's launch once, whoever asks first, and a journal
/// that somehow holds two studies for one launch publishes neither.
#[tokio::test]
async fn a_journal_naming_two_studies_for_one_batch_publishes_neither() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let draft = save_draft(&connections).await;
    let store = connections.store();
    let batch = batch_id(&connections);
    let launch = store.batch_launch("practice", &batch).unwrap().unwrap();
    assert_eq!(
        store
            .claim_batch_launch("practice", &batch, "another/launch")
            .unwrap(),
        launch,
        "a second claim gets the first launch"
    );
    store
        .journal(&launch, "create_study", "done", Some("a-second-study"))
        .unwrap();
    let refused = wizard::launch(
        &connections,
        None,
        confirm_request(&connections).await,
        |_| {},
    )
    .await
    .unwrap_err();
    match &refused {
        StudyStepError::TwoStudies { first, second } => {
            assert_eq!(
                (first.as_str(), second.as_str()),
                (draft.study_id.as_str(), "a-second-study")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        studies(&connections)
            .await
            .iter()
            .all(|study| study.status == Some(StudyStatus::Unpublished))
    );
}

/// Hole 3: "Publish this draft" must publish the draft as it was priced and confirmed;
/// a change of its terms at the same total is refused too.
#[tokio::test]
async fn a_draft_changed_after_its_quote_is_not_published_from_its_page() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let draft = save_draft(&connections).await;
    let quote = study_step::quote_draft(&connections, &draft.study_id)
        .await
        .unwrap();
    // Someone renames it on Prolific meanwhile: same price, other terms.
    let (_, client) = connections.client().await.unwrap();
    client
        .update_study(
            &draft.study_id,
            &batchdesk_prolific::models::StudyUpdate {
                name: Some("Renamed elsewhere".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let confirmed = Confirmation {
        total: quote.total,
        fingerprint: quote.fingerprint.clone(),
    };
    let refused = study_step::publish_draft(&connections, &draft.study_id, &confirmed)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StudyStepError::SettingsChanged),
        "{refused}"
    );
    let requote = study_step::quote_draft(&connections, &draft.study_id)
        .await
        .unwrap();
    assert_eq!(requote.total, quote.total);
    let published = study_step::publish_draft(
        &connections,
        &draft.study_id,
        &Confirmation {
            total: requote.total,
            fingerprint: requote.fingerprint,
        },
    )
    .await
    .unwrap();
    assert!(published.published);
}

/// Hole 4: "Add people" added to the count it read: a change that worked but whose
/// answer was lost, then a second click, paid twice.
#[tokio::test]
async fn adding_people_after_a_lost_answer_pays_once() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let live = wizard::launch(
        &connections,
        None,
        confirm_request(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    let quote = study_actions::quote_more_people(&connections, &live.study_id, 1)
        .await
        .unwrap();
    assert_eq!((quote.current_per_item, quote.target_per_item), (3, 4));
    let confirmed = MorePeople {
        expected_per_item: quote.current_per_item,
        target_per_item: quote.target_per_item,
        confirmed_cost: quote.extra_cost_minor,
    };
    let start = available(&connections).await;
    // Every answer to the change is lost: each attempt is carried out, none is heard.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "PATCH",
        "/api/v1/studies/{id}/",
        Times::Always,
    )
    .await;
    let facts = FactsCache::default();
    let lost = study_actions::add_people(&connections, &facts, &live.study_id, confirmed).await;
    assert!(lost.is_err(), "{lost:?}");
    support::clear_faults(&connections, TOKEN).await;
    // The researcher clicks again with the same confirmation: nothing more is added.
    let progress = study_actions::add_people(&connections, &facts, &live.study_id, confirmed)
        .await
        .unwrap();
    assert_eq!(progress.places, quote.new_total);
    assert_eq!(
        start - available(&connections).await,
        i64::from(quote.extra_cost_minor),
        "paid once"
    );
    // A confirmation made before the change (3 → 5) is refused, not applied on top.
    let stale = MorePeople {
        expected_per_item: 3,
        target_per_item: 5,
        confirmed_cost: quote.extra_cost_minor * 2,
    };
    let refused = study_actions::add_people(&connections, &facts, &live.study_id, stale)
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            ActionError::ChangedSince {
                expected: 3,
                now: 4
            }
        ),
        "{refused}"
    );
    // A cost other than the one confirmed is refused.
    let next = study_actions::quote_more_people(&connections, &live.study_id, 1)
        .await
        .unwrap();
    let wrong_cost = MorePeople {
        expected_per_item: next.current_per_item,
        target_per_item: next.target_per_item,
        confirmed_cost: next.extra_cost_minor - 1,
    };
    let refused = study_actions::add_people(&connections, &facts, &live.study_id, wrong_cost)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, ActionError::PriceChanged { .. }),
        "{refused}"
    );
    assert_eq!(
        start - available(&connections).await,
        i64::from(quote.extra_cost_minor)
    );
}

/// Hole 5: the pointer from a batch to its launch lived in a JSON draft that reset to
/// empty on a parse failure, so a damaged draft could start a second study.
#[tokio::test]
async fn an_unreadable_study_draft_is_reported_and_never_starts_a_second_study() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let draft = save_draft(&connections).await;
    let store = connections.store();
    // The study step's part of the wizard's record, damaged; the other parts are intact.
    let kept = store.setting("practice.wizard").unwrap().unwrap();
    let mut record: serde_json::Value = serde_json::from_str(&kept).unwrap();
    record["value"]["study"] = serde_json::json!({ "settings": { "title": 12 } });
    store
        .set_setting("practice.wizard", &record.to_string())
        .unwrap();

    let context = wizard::study_context(&connections).await.unwrap();
    assert_eq!(
        context.launched.map(|launched| launched.study_id),
        Some(draft.study_id.clone()),
        "the batch still knows its study"
    );
    let again = save_draft(&connections).await;
    assert_eq!(again.study_id, draft.study_id);
    assert_eq!(studies(&connections).await.len(), 1, "no second study");

    let notices = api_notices::take_new(&connections).await.unwrap();
    let told = notices
        .iter()
        .find(|notice| notice.message.to_string().contains("the study settings"))
        .unwrap_or_else(|| panic!("{notices:?}"));
    assert_eq!(
        store.setting(&told.endpoint).unwrap().as_deref(),
        Some(r#"{"settings":{"title":12}}"#),
        "the unreadable draft was kept"
    );
    assert!(
        api_notices::take_new(&connections)
            .await
            .unwrap()
            .is_empty(),
        "told once"
    );
}

/// Found by the model-based test: a create whose answer was lost, the study then
/// published from its own page; the next launch looked only among drafts, did not find
/// it, and made and published a second study.
#[tokio::test]
async fn a_lost_create_published_from_its_page_is_found_by_the_next_launch() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let batch = batch_id(&connections);
    let made = support::lost_create_made(&connections, &batch).await;
    let quote = study_step::quote_draft(&connections, &made.id)
        .await
        .unwrap();
    let confirmed = Confirmation {
        total: quote.total,
        fingerprint: quote.fingerprint,
    };
    study_step::publish_draft(&connections, &made.id, &confirmed)
        .await
        .unwrap();
    let start = available(&connections).await;

    let again = wizard::launch(
        &connections,
        None,
        confirm_request(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(again.study_id, made.id, "found, not made again");
    assert_eq!(studies(&connections).await.len(), 1);
    assert_eq!(available(&connections).await, start, "nothing more spent");
}

/// Hole 1, the other way out: a draft made on another project cannot be updated to the
/// new one (a study's project is fixed when it is made), so it is deleted and a new
/// study is made on the confirmed project; never is the old one published.
#[tokio::test]
async fn a_draft_on_another_project_is_replaced_before_publishing() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready(dir.path()).await;
    let draft = save_draft(&connections).await;
    let (_, client) = connections.client().await.unwrap();
    let project = client
        .create_project(&PracticeWorkspace::default().id, "Second project")
        .await
        .unwrap();
    let mut settings = saved(&connections);
    settings.project_id = Some(project.id.clone());
    save(&connections, settings).await;
    let start = available(&connections).await;
    let confirmed = confirm(&connections).await;
    let published = wizard::launch(
        &connections,
        None,
        LaunchRequest::Publish(confirmed.clone()),
        |_| {},
    )
    .await
    .unwrap();
    assert_ne!(published.study_id, draft.study_id, "a new study");
    assert!(
        matches!(
            client.study(&draft.study_id).await,
            Err(batchdesk_prolific::ProlificError::NotFound { .. })
        ),
        "the old draft was deleted"
    );
    let made = studies(&connections).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].project.as_deref(), Some(project.id.as_str()));
    assert_eq!(
        start - available(&connections).await,
        i64::from(confirmed.total)
    );
    // The batch now names the new launch: the next launch finds the published study.
    let again = wizard::launch(
        &connections,
        None,
        LaunchRequest::Publish(confirmed),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(again.study_id, published.study_id);
}
