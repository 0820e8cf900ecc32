//! The launch: a study created from settings on a ready batch, and published once, on
//! the terms and at the total the researcher confirmed. Shared by the wizard, the pilot
//! and the second round.
//!
//! **A launch that never runs twice.** Creating the study and publishing it are journaled
//! in the local store ([`crate::store::Store::journal`]): each step is written as
//! `started` before its call and `done` (with the study's id) after it. A launch that
//! stopped anywhere (a crash, a network failure, the app quit) is resumed by the same
//! call: a create that may have reached Prolific is looked for (a draft study with the
//! launch's internal name on this batch) before creating again, and a study is read
//! before it is published, so it is never published twice.

use batchdesk_prolific::Client;
use batchdesk_prolific::models::{
    CompletionAction, CompletionCode, NewStudy, Study, StudyStatus, StudyUpdate,
};
use serde::Serialize;
use specta::Type;

use super::{ReadyTask, StudyDraft, StudyStepError, check, quote};
use crate::connection::AccountMode;
use crate::session::Session;
use crate::store::{JournalEntry, Store, StoreError};
use crate::study::rules;
use crate::study::settings::{Approval, StudySettings};
use crate::study::terms::{Confirmation, ShownTerms, StudyTerms, audience_filters};

/// What the internal name of a study Batchdesk made carries before its launch's stamp,
/// so its studies are told apart from others in the account.
pub const MARKER: &str = " [batchdesk ";

/// Where a launch has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
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

/// What a launch is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchRequest {
    /// Make the draft study (or bring the one made earlier up to the settings).
    Draft,
    /// Also publish it, at exactly what the researcher confirmed.
    Publish(Confirmation),
}

impl From<Option<Confirmation>> for LaunchRequest {
    /// A confirmed total publishes; none makes the draft only.
    fn from(confirmed: Option<Confirmation>) -> Self {
        confirmed.map_or(Self::Draft, Self::Publish)
    }
}

/// What a launch runs: the batch, the settings, and the study draft they belong to
/// (Prolific's reward advice, for the checks; a launch an earlier version kept only
/// there). The wizard's batch, a pilot's or a second round's.
pub struct LaunchTarget {
    pub task: ReadyTask,
    pub settings: StudySettings,
    pub draft: StudyDraft,
}

/// Creates the draft study from `target`'s settings (or finds the one an earlier attempt
/// created, and updates it when the settings changed since) and, when asked, publishes
/// it once, only on the terms and at the total the researcher confirmed. Resumes
/// whatever an earlier launch of this batch left unfinished. The caller holds the money
/// lock ([`crate::money_lock`]).
pub async fn launch_on(
    session: &Session,
    target: &LaunchTarget,
    request: &LaunchRequest,
    progress: &(impl Fn(LaunchStage) + Send + Sync),
) -> Result<LaunchOutcome, StudyStepError> {
    let Session {
        mode,
        client,
        store,
    } = session;
    let mode = *mode;
    let LaunchTarget {
        task,
        settings,
        draft,
    } = target;
    let checked = check(draft, settings, task.assignments);
    if let Some(first) = checked.issues.first() {
        return Err(StudyStepError::Invalid(first.message.clone()));
    }
    let terms =
        StudyTerms::planned(settings, &task.batch_id).ok_or_else(|| StudyStepError::NoProject)?;
    let fingerprint = terms.fingerprint();
    if let LaunchRequest::Publish(confirmed) = request
        && confirmed.fingerprint != fingerprint
    {
        return Err(StudyStepError::SettingsChanged);
    }
    let mut launch =
        batch_launch(store, mode, draft, &task.batch_id, true)?.ok_or(StudyStepError::NoBatch)?;

    progress(LaunchStage::Creating);
    // At most twice: a draft on another project cannot be updated, so it is replaced
    // by a new launch once.
    let study = loop {
        let study = created_study(client, store, &launch, settings, task, &fingerprint).await?;
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
        match up_to_date(client, store, &launch, study, &new, &terms, &fingerprint).await? {
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
    remove_strays(client, store, &launch, &study, &task.batch_id).await;
    let quote = quote(session, task, settings).await?;
    super::payable_as_confirmed(&quote, confirmed.total)?;
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
            terms: left.iter().map(|difference| difference.term).collect(),
        });
    }
    Ok(UpToDate::Yes(updated))
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
pub(super) fn batch_launch(
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
pub fn journaled_study(store: &Store, launch: &str) -> Result<Option<String>, StudyStepError> {
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

pub fn outcome(study: &Study) -> LaunchOutcome {
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
        .ok_or_else(|| StudyStepError::NoProject)?;
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
