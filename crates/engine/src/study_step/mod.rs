//! The third wizard step: the study's settings (saved as the researcher edits, per mode),
//! the audience and its size, the exact price, a free test run, and the launch.
//!
//! **A launch that never runs twice.** Creating the study and publishing it are journaled
//! in the local store ([`crate::store::Store::journal`]): each step is written as
//! `started` before its call and `done` (with the study's id) after it. A launch that
//! stopped anywhere (a crash, a network failure, the app quit) is resumed by the same
//! call: a create that may have reached Prolific is looked for (a draft study with the
//! launch's internal name on this batch) before creating again, and a study is read
//! before it is published, so it is never published twice.

use batchdesk_prolific::models::{
    CompletionAction, CompletionCode, EligibilityQuery, FilterType, NewStudy, Study, StudyStatus,
    StudyUpdate,
};
use batchdesk_prolific::{Client, ProlificError};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::account::{self, Choice};
use crate::connection::{AccountMode, ConnectError, Connections};
use crate::data_step;
use crate::money_lock::{self, MoneyLockError};
use crate::monitor::MARKER;
use crate::store::{JournalEntry, Store, StoreError};
use crate::study::rules;
use crate::study::settings::{
    Approval, AudienceFilter, Device, Eligibility, FilterChoice, FilterKind, FilterOption,
    PriceQuote, SettingsIssue, StudyFacts, StudySettings, TestRunAvailability,
};
use crate::study::terms::{Confirmation, ShownTerms, StudyTerms, audience_filters};
use crate::task_step;

/// Filters shown up front (the rest are found by searching).
const COMMON_FILTERS: [&str; 6] = [
    "age",
    "current-country-of-residence",
    "first-language",
    "fluent-languages",
    "approval_rate",
    "approval-rate",
];

/// What the study step keeps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyDraft {
    pub settings: Option<StudySettings>,
    /// The launch in progress or done for the current batch (its journal key).
    pub launch: Option<String>,
    /// Prolific's reward advice and the currency, read when the step opened.
    pub recommended_hourly: Option<u32>,
    pub minimum_hourly: Option<u32>,
    pub currency: Option<String>,
    /// A test run was refused: why, in plain words.
    pub test_run_refused: Option<String>,
    /// The free test copies made by test runs, left out of the Batches page.
    #[serde(default)]
    pub test_studies: Vec<String>,
    /// The email Prolific registered as this account's test participant, once made: the
    /// same test participant takes every later test run.
    #[serde(default)]
    pub test_participant_email: Option<String>,
}

/// Everything the step needs to open.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyContext {
    pub settings: StudySettings,
    pub facts: StudyFacts,
    pub issues: Vec<SettingsIssue>,
    pub filters: Vec<FilterOption>,
    pub projects: Vec<Choice>,
    pub task_title: String,
    pub rows: u32,
    pub test_run: TestRunAvailability,
    /// The study this batch's launch made, if any.
    pub launched: Option<LaunchOutcome>,
}

/// Settings as saved: what they come to and what is wrong with them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckedSettings {
    pub facts: StudyFacts,
    pub issues: Vec<SettingsIssue>,
}

/// Where a launch has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LaunchStage {
    Creating,
    Publishing,
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchOutcome {
    pub study_id: String,
    /// Prolific's status (`UNPUBLISHED`, `ACTIVE`…).
    pub status: String,
    pub published: bool,
    pub places: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TestRun {
    pub study_id: String,
    /// Where the test account takes it, when Prolific says.
    pub url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StudyStepError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    #[error("Set up the batch in step 2 first: the study runs its assignments.")]
    NoBatch,
    #[error(
        "Your data changed since the batch was set up. Upload it in step 1 and set up the \
         batch again in step 2, so participants are paid to judge the rows you see. \
         Nothing has been spent."
    )]
    DataChanged,
    #[error("Some settings need fixing first: {0}")]
    Invalid(String),
    #[error(
        "Your workspace's available balance ({available}) does not cover the total \
         ({total}). Add at least {shortfall} to the workspace on Prolific, or lower the \
         reward or the people per item."
    )]
    Unaffordable {
        available: String,
        total: String,
        shortfall: String,
    },
    #[error("Choose a workspace on the Account page first: it pays for the study.")]
    NoWorkspace,
    #[error(
        "A test run needs an email for your test participant account: an address that has \
         never been used on Prolific (not the one you sign in with; a new alias works)."
    )]
    TestEmailNeeded,
    #[error(
        "The price changed since you confirmed it: publishing now costs {now}, not \
         {confirmed}. Nothing was spent: check the new total and publish again."
    )]
    PriceChanged { confirmed: String, now: String },
    #[error(
        "{email} is the email of your own Prolific account, and Prolific makes test \
         participants only with an address it has never seen. Use another one, such as a \
         new alias."
    )]
    TestEmailIsYours { email: String },
    #[error(
        "Prolific did not accept {email} for a test participant{}. Use an address that has \
         never been used on Prolific, such as a new alias.",
        detail.as_deref().map(|detail| format!(" ({detail})")).unwrap_or_default()
    )]
    TestEmailRefused {
        email: String,
        detail: Option<String>,
    },
    #[error(transparent)]
    OneAtATime(#[from] MoneyLockError),
    #[error(
        "The settings changed since you confirmed the total. Nothing was spent: check the \
         total for the settings as they are now, then publish again."
    )]
    SettingsChanged,
    #[error(
        "Batchdesk's records name two studies for this batch ({first} and {second}), so it \
         will publish neither. Open both on Prolific (Studies, then Unpublished), delete the \
         one you do not want, and tell us: this should never happen."
    )]
    TwoStudies { first: String, second: String },
    #[error(
        "Prolific did not take the new settings for the draft study ({terms}), so it was \
         not published. Nothing was spent: try again, or check the draft on Prolific."
    )]
    NotUpdated { terms: String },
    #[error(
        "Batchdesk did not keep this study's task design (it was launched before this \
         version, or from another computer). Start a new batch and choose its template \
         instead."
    )]
    NoTaskKept,
    /// A stop requested by a test between creating and publishing.
    #[error("Stopped after the study was created (test).")]
    StoppedForTest,
}

fn key(mode: AccountMode) -> String {
    format!("{}.draft.study", mode.key())
}

pub fn load(store: &Store, mode: AccountMode) -> Result<StudyDraft, StoreError> {
    store.json_setting(&key(mode))
}

pub(crate) fn save(store: &Store, mode: AccountMode, draft: &StudyDraft) -> Result<(), StoreError> {
    store.set_json_setting(&key(mode), draft)
}

/// The batch the study runs: its id, assignments and the task's title.
#[derive(Clone, Debug)]
pub(crate) struct ReadyTask {
    pub(crate) batch_id: String,
    pub(crate) assignments: u32,
    pub(crate) title: String,
}

/// Only a batch set up on step 1's current dataset: one left from data that changed since
/// is never launched.
pub(crate) async fn ready_task(
    store: &Store,
    mode: AccountMode,
) -> Result<ReadyTask, StudyStepError> {
    let draft = task_step::current_for_data(store, mode).await?;
    let ready = match draft.batch.and_then(|batch| batch.ready) {
        Some(ready) => ready,
        None if draft.set_up_on_other_data => return Err(StudyStepError::DataChanged),
        None => return Err(StudyStepError::NoBatch),
    };
    Ok(ReadyTask {
        batch_id: ready.batch_id,
        assignments: ready.total_groups.unwrap_or(0),
        title: draft.design.map(|design| design.title).unwrap_or_default(),
    })
}

fn defaults(task: &ReadyTask, project: Option<String>, recommended: Option<u32>) -> StudySettings {
    const MINUTES: u32 = 10;
    let title = task.title.trim().to_owned();
    StudySettings {
        title: title.clone(),
        description: "You will read a few short items and answer questions about each. \
                      Please read the instructions carefully before you start."
            .to_owned(),
        internal_name: format!("{title} ({})", chrono::Utc::now().format("%Y-%m-%d")),
        estimated_minutes: MINUTES,
        max_minutes: None,
        // Pays the recommended hourly rate, rounded up to a whole penny or cent.
        reward: recommended.map_or(0, |hourly| (hourly * MINUTES).div_ceil(60)),
        people_per_item: 3,
        devices: vec![Device::Desktop, Device::Mobile, Device::Tablet],
        project_id: project,
        approval: Approval::Review,
        filters: Vec::new(),
    }
}

/// Opens the step: the saved (or default) settings with their facts, the filters on
/// offer, the projects, and the study already launched from this batch, if any.
pub async fn context(connections: &Connections) -> Result<StudyContext, StudyStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store().clone();
    let task = ready_task(&store, mode).await?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let details = account::workspace_details(connections, &workspace).await?;
    let advice = client
        .reward_recommendations(&workspace, &details.currency_code)
        .await
        .ok()
        .and_then(|advice| advice.into_iter().next());
    let to_u32 = |value: i64| u32::try_from(value).ok();
    let mut draft = load(&store, mode)?;
    draft.recommended_hourly = advice
        .as_ref()
        .and_then(|advice| to_u32(advice.recommended_reward_per_hour));
    draft.minimum_hourly = advice
        .as_ref()
        .and_then(|advice| to_u32(advice.min_reward_per_hour));
    draft.currency = Some(details.currency_code.clone());
    let settings = draft.settings.clone().unwrap_or_else(|| {
        defaults(
            &task,
            details.chosen_project.clone(),
            draft.recommended_hourly,
        )
    });
    draft.settings = Some(settings.clone());
    save(&store, mode, &draft)?;
    let checked = check(&draft, &settings, task.assignments);
    let filters = client
        .workspace_filters(&workspace)
        .await?
        .items
        .into_iter()
        .map(filter_option)
        .collect();
    let launched = match batch_launch(&store, mode, &draft, &task.batch_id, false)? {
        Some(key) => match journaled_study(&store, &key)? {
            Some(study_id) => Some(outcome(&client.study(&study_id).await?)),
            None => None,
        },
        None => None,
    };
    let rows = data_step::load(&store, mode)?.ready_rows.unwrap_or(0);
    Ok(StudyContext {
        settings,
        facts: checked.facts,
        issues: checked.issues,
        filters,
        projects: details.projects,
        task_title: task.title,
        rows,
        test_run: TestRunAvailability {
            available: draft.test_run_refused.is_none(),
            reason: draft.test_run_refused.clone(),
            participant_email: draft.test_participant_email.clone(),
        },
        launched,
    })
}

pub(crate) fn check(
    draft: &StudyDraft,
    settings: &StudySettings,
    assignments: u32,
) -> CheckedSettings {
    let facts = rules::facts(
        settings,
        assignments,
        draft.currency.as_deref().unwrap_or("GBP"),
        draft.recommended_hourly,
        draft.minimum_hourly,
    );
    CheckedSettings {
        issues: rules::check(settings, &facts),
        facts,
    }
}

/// Saves the settings as the researcher edits them; answers their facts and problems.
pub async fn save_settings(
    connections: &Connections,
    settings: StudySettings,
) -> Result<CheckedSettings, StudyStepError> {
    let (mode, _) = connections.client().await?;
    let store = connections.store();
    let task = ready_task(store, mode).await?;
    let mut draft = load(store, mode)?;
    let checked = check(&draft, &settings, task.assignments);
    draft.settings = Some(settings);
    save(store, mode, &draft)?;
    Ok(checked)
}

fn filter_option(filter: batchdesk_prolific::models::Filter) -> FilterOption {
    let number = |value: Option<serde_json::Value>| value.and_then(|value| value.as_f64());
    let kind = match filter.kind {
        Some(FilterType::Range) => FilterKind::Range,
        _ => FilterKind::Select,
    };
    let mut choices: Vec<FilterChoice> = filter
        .choices
        .unwrap_or_default()
        .into_iter()
        .map(|(id, label)| FilterChoice {
            label: label
                .as_str()
                .map_or_else(|| label.to_string(), str::to_owned),
            id,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    FilterOption {
        common: COMMON_FILTERS.contains(&filter.filter_id.as_str()),
        title: filter.title.unwrap_or_else(|| filter.filter_id.clone()),
        description: filter.description.unwrap_or_default(),
        filter_id: filter.filter_id,
        kind,
        choices,
        min: number(filter.min),
        max: number(filter.max),
    }
}

/// How many participants the audience matches (Prolific's 0 means fewer than 25).
pub async fn eligibility(
    connections: &Connections,
    filters: &[AudienceFilter],
) -> Result<Eligibility, StudyStepError> {
    let (_, client) = connections.client().await?;
    let workspace = account::workspaces(connections).await?.chosen;
    let count = client
        .eligibility_count(&EligibilityQuery {
            filters: audience_filters(filters),
            workspace_id: workspace,
        })
        .await?;
    Ok(Eligibility {
        count: Some(u32::try_from(count).unwrap_or(u32::MAX)),
        fewer_than25: count == 0,
        checking: false,
    })
}

/// The exact price from Prolific's cost calculator, next to the available balance.
pub async fn quote(
    connections: &Connections,
    settings: &StudySettings,
) -> Result<PriceQuote, StudyStepError> {
    let (mode, _) = connections.client().await?;
    let task = ready_task(connections.store(), mode).await?;
    quote_on(connections, &task, settings).await
}

/// The exact price of running `settings` on `task`'s batch (see [`quote`]).
pub(crate) async fn quote_on(
    connections: &Connections,
    task: &ReadyTask,
    settings: &StudySettings,
) -> Result<PriceQuote, StudyStepError> {
    let (_, client) = connections.client().await?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let places = task.assignments.saturating_mul(settings.people_per_item);
    let total = client
        .study_cost(i64::from(settings.reward), u64::from(places))
        .await?;
    let balance = client.workspace_balance(&workspace).await?;
    let clamp = |value: i64| u32::try_from(value.max(0)).unwrap_or(u32::MAX);
    let total = clamp(total);
    let rewards = settings.reward.saturating_mul(places);
    let available = clamp(balance.available_balance);
    Ok(PriceQuote {
        rewards,
        fees_and_tax: total.saturating_sub(rewards),
        total,
        available,
        shortfall: total.saturating_sub(available),
        currency: balance.currency_code,
        fingerprint: StudyTerms::planned(settings, &task.batch_id)
            .map(|terms| terms.fingerprint())
            .unwrap_or_default(),
    })
}

/// The launch key an earlier version kept in the draft, when it is this batch's.
fn legacy_launch_key(draft: &StudyDraft, batch_id: &str) -> Option<String> {
    draft
        .launch
        .clone()
        .filter(|key| key.starts_with(&format!("{batch_id}/")))
}

/// This batch's launch as the store records it (the source of truth). A launch an
/// earlier version kept only in the draft is adopted once. With `claim`, a batch
/// without one gets one now, atomically: two windows asking at once get the same.
fn batch_launch(
    store: &Store,
    mode: AccountMode,
    draft: &StudyDraft,
    batch_id: &str,
    claim: bool,
) -> Result<Option<String>, StoreError> {
    if let Some(key) = store.batch_launch(mode.key(), batch_id)? {
        return Ok(Some(key));
    }
    let legacy = legacy_launch_key(draft, batch_id);
    if legacy.is_none() && !claim {
        return Ok(None);
    }
    let proposed = legacy.unwrap_or_else(|| new_launch_key(batch_id));
    Ok(Some(store.claim_batch_launch(
        mode.key(),
        batch_id,
        &proposed,
    )?))
}

/// A new launch key: the batch and a time stamp, which also makes the study's
/// completion code and the marker in its internal name.
fn new_launch_key(batch_id: &str) -> String {
    format!("{batch_id}/{}", chrono::Utc::now().timestamp_millis())
}

/// The study id the journal holds for a launch, once created (and not deleted since).
pub(crate) fn journaled_study(
    store: &Store,
    launch: &str,
) -> Result<Option<String>, StudyStepError> {
    let live = live_studies(&store.journal_details(launch)?);
    match live.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [first, second, ..] => Err(StudyStepError::TwoStudies {
            first: first.clone(),
            second: second.clone(),
        }),
    }
}

/// The studies a journal says were created and not deleted, in order.
fn live_studies(journal: &[JournalEntry]) -> Vec<String> {
    let mut live: Vec<String> = Vec::new();
    for entry in journal.iter().filter(|entry| entry.state == "done") {
        let Some(id) = entry.remote_id.clone() else {
            continue;
        };
        match entry.step.as_str() {
            "create_study" if !live.contains(&id) => live.push(id),
            "delete_study" => live.retain(|kept| *kept != id),
            _ => {}
        }
    }
    live
}

/// The fingerprint of the terms last sent for `study_id` (by its create or an update).
fn last_sent_terms(journal: &[JournalEntry], study_id: &str) -> Option<String> {
    journal
        .iter()
        .rev()
        .find(|entry| {
            entry.state == "done"
                && entry.remote_id.as_deref() == Some(study_id)
                && (entry.step == "create_study" || entry.step == "update_study")
        })
        .and_then(|entry| entry.detail.clone())
}

pub(crate) fn outcome(study: &Study) -> LaunchOutcome {
    let status = study.status.clone().unwrap_or(StudyStatus::Unpublished);
    LaunchOutcome {
        study_id: study.id.clone(),
        published: status.is_published(),
        status: status.as_str().to_owned(),
        places: study
            .total_available_places
            .and_then(|places| u32::try_from(places).ok()),
    }
}

/// Options a test can set on a launch.
#[derive(Clone, Copy, Debug, Default)]
pub struct LaunchOptions {
    /// Ends the launch with [`StudyStepError::StoppedForTest`] right after the study
    /// is created and journaled, as if the app had been killed there.
    pub stop_after_created: bool,
}

/// What a launch is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchRequest {
    /// Make the draft study (or bring the one made earlier up to the settings).
    Draft,
    /// Also publish it, at exactly what the researcher confirmed.
    Publish(Confirmation),
}

/// Creates the draft study from the saved settings (or finds the one an earlier attempt
/// created, and updates it when the settings changed since) and, when asked, publishes
/// it once, only on the terms and at the total the researcher confirmed. Resumes
/// whatever an earlier launch of this batch left unfinished. One money action runs at
/// a time ([`crate::money_lock`]); a second is refused.
pub async fn launch(
    connections: &Connections,
    request: LaunchRequest,
    options: LaunchOptions,
    progress: impl Fn(LaunchStage) + Send + Sync,
) -> Result<LaunchOutcome, StudyStepError> {
    let (mode, client) = connections.client().await?;
    let _one_at_a_time = money_lock::try_acquire(connections.store(), mode)?;
    launch_holding_lock(connections, mode, &client, &request, options, &progress).await
}

async fn launch_holding_lock(
    connections: &Connections,
    mode: AccountMode,
    client: &Client,
    request: &LaunchRequest,
    options: LaunchOptions,
    progress: &(impl Fn(LaunchStage) + Send + Sync),
) -> Result<LaunchOutcome, StudyStepError> {
    let store = connections.store().clone();
    let task = ready_task(&store, mode).await?;
    let draft = load(&store, mode)?;
    let settings = draft.settings.clone().ok_or(StudyStepError::NoBatch)?;
    // Kept for "run again with new data", whatever the wizard holds later.
    crate::new_batch::remember_design(&store, mode, &task.batch_id)?;
    launch_on(
        connections,
        mode,
        client,
        &LaunchTarget {
            task,
            settings,
            draft,
        },
        request,
        options,
        progress,
    )
    .await
}

/// What a launch runs: the batch, the settings, and the study draft they belong to
/// (Prolific's reward advice, for the checks). The wizard's batch, or a pilot's.
pub(crate) struct LaunchTarget {
    pub(crate) task: ReadyTask,
    pub(crate) settings: StudySettings,
    pub(crate) draft: StudyDraft,
}

/// The launch itself (see [`launch`]); the caller holds the money lock.
pub(crate) async fn launch_on(
    connections: &Connections,
    mode: AccountMode,
    client: &Client,
    target: &LaunchTarget,
    request: &LaunchRequest,
    options: LaunchOptions,
    progress: &(impl Fn(LaunchStage) + Send + Sync),
) -> Result<LaunchOutcome, StudyStepError> {
    let store = connections.store().clone();
    let LaunchTarget {
        task,
        settings,
        draft,
    } = target;
    let checked = check(draft, settings, task.assignments);
    if let Some(first) = checked.issues.first() {
        return Err(StudyStepError::Invalid(first.message.clone()));
    }
    let terms = StudyTerms::planned(settings, &task.batch_id)
        .ok_or_else(|| StudyStepError::Invalid("Choose a project.".to_owned()))?;
    let fingerprint = terms.fingerprint();
    if let LaunchRequest::Publish(confirmed) = request
        && confirmed.fingerprint != fingerprint
    {
        return Err(StudyStepError::SettingsChanged);
    }
    let mut launch =
        batch_launch(&store, mode, draft, &task.batch_id, true)?.ok_or(StudyStepError::NoBatch)?;

    progress(LaunchStage::Creating);
    // At most twice: a draft on another project cannot be updated, so it is replaced
    // by a new launch once.
    let study = loop {
        let study = created_study(client, &store, &launch, settings, task, &fingerprint).await?;
        if options.stop_after_created {
            return Err(StudyStepError::StoppedForTest);
        }
        if study.status.as_ref().is_some_and(StudyStatus::is_published) {
            // Published by an earlier attempt of this launch: never sent again.
            store.journal(&launch, "publish", "done", Some(&study.id))?;
            progress(LaunchStage::Done);
            return Ok(outcome(&study));
        }
        let new = new_study(
            settings,
            task,
            &internal_name(settings, &launch),
            &completion_code(&launch),
        )?;
        match up_to_date(client, &store, &launch, study, &new, &terms, &fingerprint).await? {
            UpToDate::Yes(study) => break study,
            UpToDate::Replace(study) => {
                store.journal(&launch, "delete_study", "started", Some(&study.id))?;
                client.delete_study(&study.id).await?;
                store.journal(&launch, "delete_study", "done", Some(&study.id))?;
                let next = new_launch_key(&task.batch_id);
                if !store.replace_batch_launch(mode.key(), &task.batch_id, &launch, &next)? {
                    return Err(StudyStepError::SettingsChanged);
                }
                launch = next;
            }
        }
    };

    let LaunchRequest::Publish(confirmed) = request else {
        progress(LaunchStage::Done);
        return Ok(outcome(&study));
    };
    remove_strays(client, &store, &launch, &study, &task.batch_id).await;
    let quote = quote_on(connections, task, settings).await?;
    let money = |minor| rules::money(minor, &quote.currency);
    if quote.total != confirmed.total {
        return Err(StudyStepError::PriceChanged {
            confirmed: money(confirmed.total),
            now: money(quote.total),
        });
    }
    if quote.shortfall > 0 {
        return Err(StudyStepError::Unaffordable {
            available: money(quote.available),
            total: money(quote.total),
            shortfall: money(quote.shortfall),
        });
    }
    progress(LaunchStage::Publishing);
    let detail =
        serde_json::json!({ "fingerprint": fingerprint, "total": quote.total }).to_string();
    store.journal_with(&launch, "publish", "started", Some(&study.id), &detail)?;
    let published = client.publish_study(&study.id).await?;
    store.journal_with(&launch, "publish", "done", Some(&study.id), &detail)?;
    progress(LaunchStage::Done);
    Ok(outcome(&published))
}

/// The launch's study: the one its journal names, the one an earlier attempt whose
/// answer was lost created, or a new one. Creating is claimed in the store first, so
/// of two callers only the first ever creates; a later one looks for what it made.
async fn created_study(
    client: &Client,
    store: &Store,
    launch: &str,
    settings: &StudySettings,
    task: &ReadyTask,
    fingerprint: &str,
) -> Result<Study, StudyStepError> {
    if let Some(study_id) = journaled_study(store, launch)? {
        return Ok(client.study(&study_id).await?);
    }
    let internal_name = internal_name(settings, launch);
    // The claim is the atomic part; a journal from before claims existed counts too.
    let claimed = store.claim_step(launch, "create_study")?;
    let earlier_started = !claimed
        || store
            .journal_of(launch)?
            .iter()
            .any(|(step, _, _)| step == "create_study");
    let found = if earlier_started {
        find_created(client, &task.batch_id, &internal_name).await?
    } else {
        None
    };
    // What a found study was created with is not known: it is checked and updated.
    let (study, sent) = match found {
        Some(study) => (study, ""),
        None => {
            store.journal(launch, "create_study", "started", None)?;
            let new = new_study(settings, task, &internal_name, &completion_code(launch))?;
            (client.create_study(&new).await?, fingerprint)
        }
    };
    store.journal_with(launch, "create_study", "done", Some(&study.id), sent)?;
    Ok(study)
}

/// Whether a draft study is on the terms to publish.
enum UpToDate {
    /// It is (now).
    Yes(Study),
    /// It is on another project: it cannot be updated, only replaced.
    Replace(Study),
}

/// Brings a draft study up to `terms`: unchanged when Prolific shows it on them and the
/// journal says they were the last sent; otherwise updated, and read back: a term
/// Prolific did not take is refused rather than published.
async fn up_to_date(
    client: &Client,
    store: &Store,
    launch: &str,
    study: Study,
    new: &NewStudy,
    terms: &StudyTerms,
    fingerprint: &str,
) -> Result<UpToDate, StudyStepError> {
    let differences = terms.differences(&ShownTerms::of(&study));
    if differences
        .iter()
        .any(|difference| difference.fixed_at_creation)
    {
        return Ok(UpToDate::Replace(study));
    }
    let journal = store.journal_details(launch)?;
    if differences.is_empty()
        && last_sent_terms(&journal, &study.id).as_deref() == Some(fingerprint)
    {
        return Ok(UpToDate::Yes(study));
    }
    let update = StudyUpdate {
        name: Some(new.name.clone()),
        description: Some(new.description.clone()),
        data_collection_metadata: new.data_collection_metadata.clone(),
        estimated_completion_time: Some(new.estimated_completion_time),
        maximum_allowed_time: new.maximum_allowed_time,
        reward: Some(new.reward),
        device_compatibility: new.device_compatibility.clone(),
        filters: new.filters.clone(),
        completion_codes: new.completion_codes.clone(),
        ..StudyUpdate::default()
    };
    store.journal_with(
        launch,
        "update_study",
        "started",
        Some(&study.id),
        fingerprint,
    )?;
    let updated = client.update_study(&study.id, &update).await?;
    store.journal_with(launch, "update_study", "done", Some(&study.id), fingerprint)?;
    let left = terms.differences(&ShownTerms::of(&updated));
    if !left.is_empty() {
        return Err(StudyStepError::NotUpdated {
            terms: left
                .iter()
                .map(|difference| difference.term)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(UpToDate::Yes(updated))
}

/// The study's internal name: the researcher's, then the launch's marker, so a create
/// whose answer was lost can be recognised among the workspace's drafts.
fn internal_name(settings: &StudySettings, launch: &str) -> String {
    format!(
        "{}{MARKER}{}]",
        settings.internal_name.trim(),
        launch.rsplit('/').next().unwrap_or_default()
    )
}

/// Deletes other drafts of this launch on this batch: a create that reached Prolific only
/// after the app had given up on it (a timeout, the app killed with the request on its
/// way) leaves a second draft that no journal names. Only unpublished drafts carrying
/// this launch's marker are touched, and deleting them is free; a failure here is
/// logged and does not stop the publish (a stray draft costs nothing).
async fn remove_strays(client: &Client, store: &Store, launch: &str, keep: &Study, batch_id: &str) {
    let Ok(drafts) = client.studies(Some(&StudyStatus::Unpublished)).await else {
        return;
    };
    for listed in drafts.items {
        if listed.id == keep.id || listed.internal_name != keep.internal_name {
            continue;
        }
        let Ok(stray) = client.study(&listed.id).await else {
            continue;
        };
        let unpublished = stray
            .status
            .as_ref()
            .is_none_or(|status| !status.is_published());
        if unpublished && stray.data_collection_id.as_deref() == Some(batch_id) {
            tracing::warn!(study = %stray.id, "a second draft of this launch: deleting it");
            let deleted = store
                .journal(launch, "delete_stray", "started", Some(&stray.id))
                .is_ok()
                && client.delete_study(&stray.id).await.is_ok();
            if deleted {
                let _ = store.journal(launch, "delete_stray", "done", Some(&stray.id));
            }
        }
    }
}

/// The study this launch created, if its create call reached Prolific. Every status is
/// looked at, not only drafts: a study whose create answer was lost may have been
/// published since from its own page, and it must be found, not made again. A published
/// one wins over drafts (it is the one that runs). "Not there" is concluded only from the
/// whole list (else a second study could be made): a list that may be incomplete is an
/// error.
async fn find_created(
    client: &Client,
    batch_id: &str,
    internal_name: &str,
) -> Result<Option<Study>, StudyStepError> {
    let listed = client.studies(None).await?;
    let ours = |study: &Study| {
        study.internal_name.as_deref() == Some(internal_name)
            && study
                .data_collection_id
                .as_deref()
                .is_none_or(|id| id == batch_id)
    };
    let published = listed
        .items
        .iter()
        .find(|study| ours(study) && study.status.as_ref().is_some_and(StudyStatus::is_published));
    if let Some(published) = published {
        return Ok(Some(client.study(&published.id).await?));
    }
    Ok(listed.newest_match("studies", ours)?)
}

/// The study's one completion code, made from its launch key: the same on every attempt
/// of one launch, different between launches. Task Builder participants never type it;
/// it only has to be a text (Prolific allows no null code with an action) unique in the
/// study.
fn completion_code(launch: &str) -> String {
    let stamp = launch.rsplit('/').next().unwrap_or_default();
    let number: u64 = stamp.parse().unwrap_or_default();
    format!("BD{number:X}")
}

fn new_study(
    settings: &StudySettings,
    task: &ReadyTask,
    internal_name: &str,
    completion_code: &str,
) -> Result<NewStudy, StudyStepError> {
    let project = settings
        .project_id
        .clone()
        .ok_or_else(|| StudyStepError::Invalid("Choose a project.".to_owned()))?;
    let mut study = NewStudy::for_batch(
        &task.batch_id,
        &project,
        settings.title.trim(),
        internal_name,
        u64::from(settings.people_per_item),
        i64::from(settings.reward),
        settings.estimated_minutes,
    );
    study.description = settings.description.trim().to_owned();
    study.maximum_allowed_time = Some(
        settings
            .max_minutes
            .unwrap_or_else(|| rules::default_max_minutes(settings.estimated_minutes)),
    );
    study.device_compatibility = Some(
        settings
            .devices
            .iter()
            .map(|device| device.api_name().to_owned())
            .collect(),
    );
    study.filters = Some(audience_filters(&settings.filters));
    study.completion_codes = Some(vec![CompletionCode::completed(
        completion_code,
        match settings.approval {
            Approval::Automatic => CompletionAction::AutomaticallyApprove,
            Approval::Review => CompletionAction::ManuallyReview,
        },
    )]);
    Ok(study)
}

/// A free test copy of the draft study that only the researcher's test participant can
/// take. The study is created (as a draft) first if it is not yet. The test participant
/// is registered once, with `email` (an address Prolific has never seen, so never the
/// researcher's own), and remembered; later runs reuse it and need no email.
///
/// Refusals are told apart: an email Prolific would not take is said so and changes
/// nothing; a workspace without the feature is remembered, and shown from then on.
pub async fn test_run(
    connections: &Connections,
    email: Option<String>,
) -> Result<TestRun, StudyStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let registered = load(store, mode)?.test_participant_email;
    // Checked before anything is created, so a missing or wrong email costs nothing.
    let to_register = match registered {
        Some(_) => None,
        None => {
            let email = email
                .map(|email| email.trim().to_owned())
                .filter(|email| !email.is_empty())
                .ok_or(StudyStepError::TestEmailNeeded)?;
            let own = client.users_me().await?.email;
            if own.eq_ignore_ascii_case(&email) {
                return Err(StudyStepError::TestEmailIsYours { email });
            }
            Some(email)
        }
    };
    // The test copy is made from the draft as the settings are now (updated if needed).
    let outcome = launch_holding_lock(
        connections,
        mode,
        &client,
        &LaunchRequest::Draft,
        LaunchOptions::default(),
        &|_| {},
    )
    .await?;
    let feature_off = |error: &ProlificError| -> bool {
        match error {
            ProlificError::NoAccess { .. } => true,
            // A refusal that names no field is about the workspace, not the email.
            ProlificError::Validation { fields, .. } => !fields.iter().any(|f| f == "email"),
            _ => false,
        }
    };
    if let Some(email) = to_register {
        match client.create_test_participant(&email).await {
            Ok(_) => {
                let mut draft = load(store, mode)?;
                draft.test_participant_email = Some(email);
                save(store, mode, &draft)?;
            }
            Err(ProlificError::Validation { detail, fields, .. })
                if fields.iter().any(|field| field == "email") =>
            {
                return Err(StudyStepError::TestEmailRefused { email, detail });
            }
            Err(error) if feature_off(&error) => return Err(remember_refusal(store, mode, error)?),
            Err(error) => return Err(error.into()),
        }
    }
    let launch = format!("study/{}", outcome.study_id);
    store.journal(&launch, "test_copy", "started", Some(&outcome.study_id))?;
    match client.create_test_study(&outcome.study_id).await {
        Ok(test) => {
            store.journal(&launch, "test_copy", "done", test.study_id.as_deref())?;
            let study_id = test.study_id.unwrap_or(outcome.study_id);
            let mut draft = load(store, mode)?;
            draft.test_studies.push(study_id.clone());
            save(store, mode, &draft)?;
            Ok(TestRun {
                study_id,
                url: test.study_url,
            })
        }
        Err(error) if feature_off(&error) => Err(remember_refusal(store, mode, error)?),
        Err(error) => Err(error.into()),
    }
}

/// Keeps why the workspace cannot make test runs, and answers the error to report.
fn remember_refusal(
    store: &Store,
    mode: AccountMode,
    error: ProlificError,
) -> Result<StudyStepError, StudyStepError> {
    let mut draft = load(store, mode)?;
    draft.test_run_refused = Some(format!(
        "This workspace does not have Prolific's test participants, so a test run is not \
         possible here ({error}). Preview the task in step 2 instead, or ask Prolific to \
         enable test participants for your workspace."
    ));
    save(store, mode, &draft)?;
    Ok(error.into())
}

/// A study Batchdesk made, as the Batches page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchedStudy {
    pub study_id: String,
    pub title: String,
    pub internal_name: String,
    pub status: String,
    pub published: bool,
    pub places: Option<u32>,
    pub places_taken: u32,
    pub submissions: Option<u32>,
}

/// A copy of a launch's study that is not the study itself: a test copy whose answer was
/// lost (so its id was never recorded). It carries the launch's marker, and the journal
/// names another study as the one that launch created.
fn is_unrecorded_copy(store: &Store, study: &Study) -> Result<bool, StoreError> {
    let Some(stamp) = study
        .internal_name
        .as_deref()
        .and_then(|name| name.split_once(MARKER))
        .map(|(_, stamp)| stamp.trim_end_matches(']'))
    else {
        return Ok(false);
    };
    let created = store.studies_created_by_stamp(stamp)?;
    Ok(!created.is_empty() && !created.contains(&study.id))
}

/// The studies Batchdesk made in this account (practice or Prolific), newest first.
pub async fn launched(connections: &Connections) -> Result<Vec<LaunchedStudy>, StudyStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let test_copies = load(store, mode)?.test_studies;
    let count = |value: Option<u64>| value.and_then(|value| u32::try_from(value).ok());
    let mut listed = Vec::new();
    for study in client.studies(None).await?.items {
        if !test_copies.contains(&study.id) && !is_unrecorded_copy(store, &study)? {
            listed.push(study);
        }
    }
    let mut studies: Vec<LaunchedStudy> = listed
        .into_iter()
        .filter_map(|study| {
            let internal = study.internal_name.clone()?;
            let (name, _) = internal.split_once(MARKER)?;
            let status = study.status.clone().unwrap_or(StudyStatus::Unpublished);
            Some(LaunchedStudy {
                published: status.is_published(),
                status: status.as_str().to_owned(),
                internal_name: name.to_owned(),
                title: study.name.clone(),
                places: count(study.total_available_places),
                places_taken: u32::try_from(study.places_taken).unwrap_or(u32::MAX),
                submissions: count(study.number_of_submissions),
                study_id: study.id,
            })
        })
        .collect();
    studies.reverse();
    Ok(studies)
}

/// What publishing a draft study would cost now: Prolific's cost calculator for its
/// reward and places, against the workspace's balance, with the fingerprint of the
/// draft's terms as Prolific shows them. A draft whose places Prolific does not give
/// cannot be priced, so it is refused rather than priced at nothing.
pub async fn quote_draft(
    connections: &Connections,
    study_id: &str,
) -> Result<PriceQuote, StudyStepError> {
    let (_, client) = connections.client().await?;
    let study = client.study(study_id).await?;
    draft_quote(connections, &client, &study).await
}

async fn draft_quote(
    connections: &Connections,
    client: &Client,
    study: &Study,
) -> Result<PriceQuote, StudyStepError> {
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let (Some(places), Some(reward)) = (
        study.total_available_places.filter(|places| *places > 0),
        study.reward,
    ) else {
        return Err(StudyStepError::Invalid(
            "Prolific did not say how many places this draft has or what it pays, so its \
             price cannot be worked out. Open it on Prolific to check it."
                .to_owned(),
        ));
    };
    let total = client.study_cost(reward, places).await?;
    let balance = client.workspace_balance(&workspace).await?;
    let minor = |value: i64| u32::try_from(value.max(0)).unwrap_or(u32::MAX);
    let rewards = reward.saturating_mul(i64::try_from(places).unwrap_or(i64::MAX));
    Ok(PriceQuote {
        rewards: minor(rewards),
        fees_and_tax: minor(total - rewards),
        total: minor(total),
        available: minor(balance.available_balance),
        shortfall: minor(total - balance.available_balance),
        currency: balance.currency_code,
        fingerprint: draft_fingerprint(study),
    })
}

/// The fingerprint of a draft's terms as Prolific shows them, places included: what a
/// quote from the study's page names, and what publishing it checks again.
pub fn draft_fingerprint(study: &Study) -> String {
    let shown = ShownTerms::of(study);
    let text = serde_json::to_string(&(shown, study.total_available_places)).unwrap_or_default();
    crate::study::terms::digest(&text)
}

/// Publishes a draft study at what the researcher confirmed (from [`quote_draft`]): the
/// study is read and priced again first, and a different total or different terms (the
/// reward, the places, the audience… or Prolific's fees changed) are refused, so nothing
/// is spent that was not confirmed. Journaled like a launch: an answer lost after
/// publishing is found, never sent twice. One money action at a time.
pub async fn publish_draft(
    connections: &Connections,
    study_id: &str,
    confirmed: &Confirmation,
) -> Result<LaunchOutcome, StudyStepError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let launch = format!("study/{study_id}");
    let study = client.study(study_id).await?;
    if study.status.as_ref().is_some_and(StudyStatus::is_published) {
        store.journal(&launch, "publish", "done", Some(study_id))?;
        return Ok(outcome(&study));
    }
    let quote = draft_quote(connections, &client, &study).await?;
    let money = |minor: u32| rules::money(minor, &quote.currency);
    if quote.fingerprint != confirmed.fingerprint {
        return Err(StudyStepError::SettingsChanged);
    }
    if quote.total != confirmed.total {
        return Err(StudyStepError::PriceChanged {
            confirmed: money(confirmed.total),
            now: money(quote.total),
        });
    }
    if quote.shortfall > 0 {
        return Err(StudyStepError::Unaffordable {
            available: money(quote.available),
            total: money(quote.total),
            shortfall: money(quote.shortfall),
        });
    }
    let detail =
        serde_json::json!({ "fingerprint": quote.fingerprint, "total": quote.total }).to_string();
    store.journal_with(&launch, "publish", "started", Some(study_id), &detail)?;
    let published = client.publish_study(study_id).await?;
    store.journal_with(&launch, "publish", "done", Some(study_id), &detail)?;
    Ok(outcome(&published))
}
