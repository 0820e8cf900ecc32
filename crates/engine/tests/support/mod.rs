//! What the engine's practice-mode tests share: a practice connection on a store in a
//! test folder (the keychain replaced by keyring's mock), the wizard's steps taken, and
//! the server behind a connection called over HTTP. What other crates' tests share too
//! (samples, strict mode, calls with the server's token) is in `batchdesk-test-support`.

#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::credentials::TokenVault;
use batchdesk_engine::store::Store;
use batchdesk_engine::wizard;
use batchdesk_practice::PracticeConfig;
use batchdesk_prolific::{ApiBase, ClientOptions, RetryPolicy};
pub use batchdesk_test_support::practice::strict;
use batchdesk_test_support::practice::{self as practice, PracticeHttp};
use keyring::Entry;
use keyring::mock::MockCredential;

/// The path of a sample spreadsheet of the engine's `samples/` (see its README), as the
/// wizard takes it.
pub fn sample(name: &str) -> String {
    batchdesk_test_support::samples::path(name)
        .display()
        .to_string()
}

/// Practice mode on a store in `dir`, its in-app server started with `config` in strict
/// mode.
pub async fn practising(dir: &Path, config: PracticeConfig) -> Connections {
    practising_with(dir, config, ClientOptions::default()).await
}

/// As [`practising`], the app's client talking to the server with `options`.
pub async fn practising_with(
    dir: &Path,
    config: PracticeConfig,
    options: ClientOptions,
) -> Connections {
    let connections = unstarted(dir, config, options);
    connections.start_practice().await.unwrap();
    connections
}

/// A practice connection on a store in `dir` (its in-app server in strict mode), not
/// started yet.
pub fn unstarted(dir: &Path, config: PracticeConfig, options: ClientOptions) -> Connections {
    Connections::new(
        Store::open_in_dir(dir).unwrap(),
        Arc::new(TokenVault::with_entry(
            Entry::new_with_credential(Box::new(MockCredential::default())),
            ApiBase::prolific(),
        )),
    )
    .with_practice_config(strict(config))
    .with_practice_client_options(options)
}

/// Practice mode (started with `config`) with the review data (24 rows) uploaded and a
/// sentiment task on its `review_text` designed in groups of 4 rows (6 assignments), not
/// set up yet; with the data's context.
pub async fn sentiment_designed(
    dir: &Path,
    config: PracticeConfig,
) -> (Connections, batchdesk_engine::task::DataContext) {
    sentiment_designed_with(dir, config, ClientOptions::default()).await
}

/// As [`sentiment_designed`], the app's client talking to the server with `options`.
pub async fn sentiment_designed_with(
    dir: &Path,
    config: PracticeConfig,
    options: ClientOptions,
) -> (Connections, batchdesk_engine::task::DataContext) {
    let connections = practising_with(dir, config, options).await;
    let context = sentiment_task_on(&connections, sample("reviews.csv"), 4).await;
    (connections, context)
}

/// The data file at `path` uploaded, and a sentiment task on its `review_text` designed
/// in groups of `tasks_per_group` rows, not set up yet; the data's context.
pub async fn sentiment_task_on(
    connections: &Connections,
    path: String,
    tasks_per_group: u32,
) -> batchdesk_engine::task::DataContext {
    use batchdesk_engine::task::TaskDesign;
    use batchdesk_engine::task::design::DataRow;
    use batchdesk_engine::task::templates;

    use tokio_util::sync::CancellationToken;

    wizard::choose_file(connections, path.clone(), path)
        .await
        .unwrap();
    wizard::upload_data(connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let context = task_context(connections).await;
    let mut design: TaskDesign = templates::apply_built_in("sentiment", &context)
        .unwrap()
        .design;
    design.data_rows = vec![DataRow {
        columns: vec!["review_text".to_owned()],
    }];
    design.tasks_per_group = tasks_per_group;
    wizard::save_design(connections, design, &context)
        .await
        .unwrap();
    context
}

/// Mixes `checks` into every group of the saved design; the design must stay valid.
pub async fn mix_checks(
    connections: &Connections,
    context: &batchdesk_engine::task::DataContext,
    checks: batchdesk_engine::task::checks::QualityChecks,
) {
    use batchdesk_engine::connection::AccountMode;

    let mut design = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.task)
        .unwrap()
        .design
        .unwrap();
    design.checks = checks;
    let checked = wizard::save_design(connections, design, context)
        .await
        .unwrap();
    assert!(checked.issues.is_empty(), "{:?}", checked.issues);
}

/// What the task step reads of the wizard's uploaded data, as it opens (no cache).
pub async fn task_data(connections: &Connections) -> batchdesk_engine::task_step::TaskData {
    wizard::task_data(
        connections,
        &batchdesk_engine::task_step::DataContextCache::default(),
    )
    .await
    .unwrap()
}

/// The data context a design is checked and set up against.
pub async fn task_context(connections: &Connections) -> batchdesk_engine::task::DataContext {
    task_data(connections).await.context()
}

/// Sets the designed batch up, to READY.
pub async fn set_up_batch(
    connections: &Connections,
    context: &batchdesk_engine::task::DataContext,
) {
    use batchdesk_engine::task_step::SetupOutcome;

    let outcome = setting_up(connections, context).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Ready(_)), "{outcome:?}");
}

/// Sets up the wizard's batch from its saved design on `context`, as Continue does (no
/// design handed over, no progress heard, never cancelled): its outcome or its error.
pub async fn setting_up(
    connections: &Connections,
    context: &batchdesk_engine::task::DataContext,
) -> Result<batchdesk_engine::task_step::SetupOutcome, batchdesk_engine::task_step::TaskStepError> {
    wizard::set_up(
        connections,
        context,
        None,
        |_| {},
        &tokio_util::sync::CancellationToken::new(),
    )
    .await
}

/// Publishes the study of the wizard's saved settings at their quote, as confirmed.
pub async fn publish(connections: &Connections) -> batchdesk_engine::study_step::LaunchOutcome {
    wizard::launch(
        connections,
        None,
        publish_as_quoted(connections).await,
        |_| {},
    )
    .await
    .unwrap()
}

/// Sets how many people answer each item in the wizard's saved settings, then publishes
/// the study at its quote, as confirmed.
pub async fn publish_with_people_per_item(
    connections: &Connections,
    people_per_item: u32,
) -> batchdesk_engine::study_step::LaunchOutcome {
    use batchdesk_engine::connection::AccountMode;

    wizard::study_context(connections).await.unwrap();
    let mut settings = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    settings.people_per_item = people_per_item;
    wizard::save_settings(connections, settings).await.unwrap();
    publish(connections).await
}

/// A practice server for tests of the answers rather than the pace: it answers at once,
/// everyone who starts finishes (no returns, no time-outs), and the workspace can pay
/// for any study.
pub fn steady_practice(seed: u64, token: &str) -> PracticeConfig {
    PracticeConfig {
        seed,
        token: Some(token.to_owned()),
        return_share: 0.0,
        timeout_share: 0.0,
        workspace: batchdesk_practice::PracticeWorkspace {
            balance: 10_000_000,
            ..batchdesk_practice::PracticeWorkspace::default()
        },
        ..practice::instant()
    }
}

/// As [`sentiment_designed`], and the batch set up (READY).
pub async fn sentiment_batch(dir: &Path, config: PracticeConfig) -> Connections {
    sentiment_batch_with(dir, config, ClientOptions::default()).await
}

/// As [`sentiment_batch`], the app's client talking to the server with `options`.
pub async fn sentiment_batch_with(
    dir: &Path,
    config: PracticeConfig,
    options: ClientOptions,
) -> Connections {
    let (connections, context) = sentiment_designed_with(dir, config, options).await;
    set_up_batch(&connections, &context).await;
    connections
}

/// Leaves the practice study draft and the launch journal as an app does when its
/// "create study" call for `batch_id` was sent but its answer never came back (the
/// journal has no study id).
pub fn journal_lost_create(store: &Store, batch_id: &str) {
    use batchdesk_engine::connection::AccountMode;

    let launch = format!("{batch_id}/1234");
    let mut draft = wizard::record::load(store, AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap();
    draft.launch = Some(launch.clone());
    wizard::record::update(store, AccountMode::Practice, |wizard| wizard.study = draft).unwrap();
    store
        .journal(&launch, "create_study", "started", None)
        .unwrap();
}

/// As [`journal_lost_create`], and the study that lost create made on Prolific (the draft
/// of the saved settings, with the launch's marker in its internal name), answered.
pub async fn lost_create_made(
    connections: &Connections,
    batch_id: &str,
) -> batchdesk_prolific::models::Study {
    use batchdesk_engine::connection::AccountMode;

    journal_lost_create(connections.store(), batch_id);
    let settings = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    let (_, client) = connections.client().await.unwrap();
    let mut lost = batchdesk_prolific::models::NewStudy::for_batch(
        batch_id,
        settings.project_id.as_deref().unwrap(),
        &settings.title,
        &format!("{} [batchdesk 1234]", settings.internal_name),
        3,
        i64::from(settings.reward),
        settings.estimated_minutes,
    );
    lost.description = settings.description.clone();
    client.create_study(&lost).await.unwrap()
}

/// A publish request confirmed as the researcher does it: the quote for the saved
/// settings, its total and fingerprint.
pub async fn publish_as_quoted(
    connections: &Connections,
) -> batchdesk_engine::study_step::LaunchRequest {
    use batchdesk_engine::connection::AccountMode;
    use batchdesk_engine::study::terms::Confirmation;
    use batchdesk_engine::study_step::LaunchRequest;

    let settings = wizard::record::load(connections.store(), AccountMode::Practice)
        .map(|wizard| wizard.study)
        .unwrap()
        .settings
        .unwrap();
    let quote = wizard::quote(connections, &settings).await.unwrap();
    LaunchRequest::Publish(Confirmation {
        total: quote.total,
        fingerprint: quote.fingerprint,
    })
}

/// Client options that retry as the app does, without its long waits: a test can
/// inject many faults and still finish in CI time.
pub fn quick_retries() -> ClientOptions {
    ClientOptions {
        total_timeout: std::time::Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 4,
            max_elapsed: std::time::Duration::from_secs(10),
            base_delay: std::time::Duration::from_millis(2),
            max_delay: std::time::Duration::from_millis(10),
            max_retry_after: std::time::Duration::from_secs(60),
        },
        ..ClientOptions::default()
    }
}

/// Injects `fault` into the practice server behind `connections` through its admin
/// route (`token` is the server's), for `times` requests matching `method` and `route`.
pub async fn inject_fault(
    connections: &Connections,
    token: &str,
    fault: batchdesk_practice::Fault,
    method: &str,
    route: &str,
    times: batchdesk_practice::Times,
) {
    practice_http(connections, token)
        .await
        .inject_fault(fault, method, route, times)
        .await;
}

/// Which kind of simulated person (careful, careless…) each participant of the study
/// is, from the practice server's own records: participant id → kind.
pub async fn participant_kinds(
    connections: &Connections,
    token: &str,
    study_id: &str,
) -> std::collections::HashMap<String, String> {
    practice_api(
        connections,
        token,
        reqwest::Method::GET,
        &format!("/_practice/studies/{study_id}/participants"),
        None,
    )
    .await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| {
            (
                person["participant_id"].as_str().unwrap().to_owned(),
                person["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Calls the practice server behind `connections` (its API or a `/_practice/` control)
/// with the server's `token`; answers the JSON it sent, failing the test on an error.
pub async fn practice_api(
    connections: &Connections,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    practice_http(connections, token)
        .await
        .ok(method, path, body.as_ref())
        .await
}

/// Clears every fault of the practice server behind `connections`.
pub async fn clear_faults(connections: &Connections, token: &str) {
    practice_http(connections, token).await.clear_faults().await;
}

/// The practice server behind `connections`, called with its `token`.
async fn practice_http(connections: &Connections, token: &str) -> PracticeHttp {
    let (_, client) = connections.client().await.unwrap();
    PracticeHttp::new(client.base().as_str(), token)
}

/// Copies the folder `from` (a case's template: the app's folder and the practice
/// server's saved work) to `to`, so that a model-based case starts in milliseconds.
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Ends the inner future after it has been polled `polls_left` times, as a killed app
/// does (`None`), or answers what it answered (`Some`).
pub struct KillAfter<F: std::future::Future> {
    pub inner: std::pin::Pin<Box<F>>,
    pub polls_left: u8,
}

impl<F: std::future::Future> std::future::Future for KillAfter<F> {
    type Output = Option<F::Output>;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        if self.polls_left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.polls_left -= 1;
        self.inner.as_mut().poll(context).map(Some)
    }
}

/// What `read` answers, read again while it fails: the faults injected for the app
/// apply to a test's own reads too (they are plain HTTP), and a read a fault spoiled is
/// made again, using the fault up, as the app's next attempt would.
pub async fn read_past_faults<T, E, Fut>(read: impl Fn() -> Fut) -> T
where
    Fut: std::future::Future<Output = Result<T, E>>,
{
    for _ in 0..50 {
        if let Ok(value) = read().await {
            return value;
        }
    }
    panic!("the practice server could not be read 50 times in a row");
}
