//! A second round where the first answers are uncertain ("top up"): the items whose
//! confidence is below a threshold go to more people, who did not take part before, and
//! their answers count in the first study's results.
//!
//! **How it is built on Prolific**, as a pilot is ([`crate::batch_copy`]): the rows of
//! the uncertain items (from the study's downloaded data, without the columns Batchdesk
//! added) are uploaded as a dataset, the study's batch is duplicated without its data and
//! set up on them, everyone who took part in the study is put in a participant group the
//! new study's audience blocks ([`crate::keep_out`]), and the new study (the first one's
//! settings, N people per item) is published through the journaled launch
//! ([`crate::study_step::launch_on`]): never twice, never at a total the researcher did
//! not confirm.
//!
//! **The round carries the checks.** When the study's groups carried known-answer rows
//! or attention checks ([`crate::task::checks`]), the round's groups carry the same
//! (read back from the study's data, [`crate::results::GroupExtras`]), in groups of the
//! study's size, so its people are judged as the first study's were and paid the same
//! reward for the same work; the plan counts them in its groups, price and fingerprint.
//! Their answers land on the study's own known rows and checks when merged.
//!
//! **The plan is what is confirmed.** [`plan`] names the items, the people per item and
//! the exact total from Prolific's cost calculator, with a fingerprint of all of them;
//! [`launch`] takes that fingerprint and total and refuses to spend on anything else.
//! Each preparation step is recorded per study (`<mode>.top_up.<study>`) as soon as it has
//! made something, so a crash or a retry resumes it rather than makes it again, and a
//! second launch of a round that ran answers the study it made.
//!
//! **The confidence is the consensus panel's**: the Dawid-Skene posterior of each item's
//! most likely answer ([`crate::results::ModelConfidence`]), so "items below 70 %" are
//! the items the researcher sees below 70 % there; the round's answers merged in, the
//! same model is fitted again and the items' confidence read the same way.

pub(crate) mod settings;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use batchdesk_prolific::Client;
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::account;
use crate::batch_copy::{self, CopyError, safe_name};
use crate::connection::{AccountMode, Connections};
use crate::data_step::SchemaProblem;
use crate::error_code::{Coded, ErrorCode};
use crate::keep_out::{self, GroupWords};
use crate::money_lock;
use crate::results::{GroupExtras, ItemConfidence, ModelConfidence, Results, ResultsError};
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::store::{Store, StoreError};
use crate::study::settings::{PriceQuote, StudySettings};
use crate::study::terms::{Confirmation, StudyTerms, digest};
use crate::study_step::{
    self, LaunchOutcome, LaunchRequest, LaunchStage, LaunchTarget, ReadyTask, StudyDraft,
    StudyStepError,
};
use crate::text;

/// Most people a second round adds to each item.
pub const MOST_PEOPLE: u32 = 20;

/// What the researcher asks for.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TopUpRequest {
    /// Items whose confidence is below this (0 to 1) go to the second round.
    pub threshold: f64,
    /// People added to each of them.
    pub people_per_item: u32,
}

/// One uncertain item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TopUpItem {
    pub task_id: String,
    /// Its confidence when the round was planned (0 to 1).
    pub confidence: f64,
}

/// A second round as planned: which items, for how many people, at what exact cost.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TopUpPlan {
    pub study_id: String,
    pub threshold: f64,
    pub people_per_item: u32,
    /// Items below the threshold, least confident first.
    pub items: Vec<TopUpItem>,
    /// Items whose confidence could be judged (answered choice questions).
    pub judged_items: u32,
    /// Task groups the items make (as many items each as in the study).
    pub task_groups: u32,
    /// Known-answer rows and attention checks each group carries, as the study's did
    /// (zero when it carried none).
    pub known_per_group: u32,
    pub checks_per_group: u32,
    /// Every task of the round: the items, and the known rows and checks of its groups.
    pub tasks: u32,
    /// Task groups × people per item: the round's places.
    pub places: u32,
    /// The exact price from Prolific's cost calculator, at the study's reward; `None`
    /// when no item is below the threshold.
    pub quote: Option<PriceQuote>,
    /// What a confirmation of this plan carries ([`launch`] refuses any other).
    pub fingerprint: String,
}

/// Preparing and launching the round, step by step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum TopUpProgress {
    WritingRows {
        rows: u32,
    },
    #[serde(rename_all = "camelCase")]
    Uploading {
        sent_percent: Option<u32>,
    },
    CopyingBatch,
    SettingUp,
    KeepingPeopleOut,
    Launching {
        stage: LaunchStage,
    },
}

/// A study's second round as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TopUpView {
    /// The second round's study, once launched.
    pub study: Option<LaunchOutcome>,
    /// The items sent to it, with their confidence then.
    pub items: Vec<TopUpItem>,
    pub people_per_item: u32,
    /// Their mean confidence when planned, and in the results as counted now, once the
    /// results on this computer count the round's answers.
    pub mean_before: Option<f64>,
    pub mean_now: Option<f64>,
    /// A round was started but not launched (it resumes on the next launch).
    pub unfinished: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum TopUpError {
    #[error(transparent)]
    Study(#[from] StudyStepError),
    #[error(transparent)]
    Results(#[from] ResultsError),
    #[error(transparent)]
    Upload(#[from] crate::upload::UploadError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    OneAtATime(#[from] money_lock::MoneyLockError),
    /// The study's downloaded rows could not be read or written (why is `ResultsError`'s).
    RowsNotWritten(#[source] ResultsError),
    /// The study's downloaded data holds none of the items.
    NoItemRows,
    /// The rows cannot go up as a typed dataset.
    RowsRefused(SchemaProblem),
    SetupFailed,
    Cancelled,
    ExclusionUnavailable,
    NothingUncertain,
    OutOfRange,
    Unpriceable,
    PlanChanged,
}

session_error_from!(TopUpError);

impl Coded for TopUpError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Study(error) => error.error_code(),
            Self::Results(error) => error.error_code(),
            Self::Upload(error) => error.error_code(),
            Self::Session(error) => error.error_code(),
            Self::OneAtATime(error) => error.error_code(),
            Self::RowsNotWritten(_) | Self::NoItemRows | Self::RowsRefused(_) => {
                ErrorCode::FileNotWritten
            }
            Self::SetupFailed => ErrorCode::SetupFailed,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::ExclusionUnavailable => ErrorCode::PilotExclusionUnavailable,
            Self::NothingUncertain => ErrorCode::NothingUncertain,
            Self::OutOfRange => ErrorCode::InvalidSettings,
            Self::Unpriceable => ErrorCode::UnexpectedAnswer,
            Self::PlanChanged => ErrorCode::TopUpPlanChanged,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Study(inner) => inner.text(),
            Self::Results(inner) | Self::RowsNotWritten(inner) => inner.text(),
            Self::Upload(inner) => inner.text(),
            Self::Session(inner) => inner.text(),
            Self::OneAtATime(inner) => inner.text(),
            Self::NoItemRows => text!("errors:topUp.noItemRows"),
            Self::RowsRefused(problem) => match problem {
                SchemaProblem::Unreadable(reason) => {
                    text!("errors:topUp.rowsRefused.unreadable", reason = reason)
                }
                SchemaProblem::NoColumns => text!("errors:topUp.rowsRefused.noColumns"),
                SchemaProblem::TooManyColumns { count } => {
                    text!("errors:topUp.rowsRefused.tooManyColumns", count = count)
                }
                SchemaProblem::NameLength { name } => {
                    text!("errors:topUp.rowsRefused.nameLength", name = name)
                }
                SchemaProblem::RepeatedName { name } => {
                    text!("errors:topUp.rowsRefused.repeatedName", name = name)
                }
            },
            Self::SetupFailed => text!("errors:topUp.setupFailed"),
            Self::Cancelled => text!("errors:topUp.cancelled"),
            Self::ExclusionUnavailable => text!("errors:topUp.exclusionUnavailable"),
            Self::NothingUncertain => text!("errors:topUp.nothingUncertain"),
            Self::OutOfRange => text!("errors:topUp.outOfRange", most = MOST_PEOPLE),
            Self::Unpriceable => text!("errors:topUp.unpriceable"),
            Self::PlanChanged => text!("errors:topUp.planChanged"),
        }
    }
}

impl From<CopyError> for TopUpError {
    fn from(error: CopyError) -> Self {
        match error {
            CopyError::Study(error) => Self::Study(error),
            CopyError::Upload(error) => Self::Upload(error),
            CopyError::Prolific(error) => error.into(),
            CopyError::Rows(problem) => Self::RowsRefused(problem),
            CopyError::SetupFailed | CopyError::NotReady => Self::SetupFailed,
            CopyError::Cancelled => Self::Cancelled,
        }
    }
}

/// What a study's second round has made so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TopUpRecord {
    /// The confirmed plan's fingerprint; a record for another plan is started afresh
    /// unless its study was made.
    fingerprint: String,
    items: Vec<TopUpItem>,
    people_per_item: u32,
    tasks_per_group: u32,
    /// The rows name their groups (known rows and checks mixed in), so the batch is set
    /// up without a number per group.
    #[serde(default)]
    mixed: bool,
    total: u32,
    rows_path: Option<String>,
    dataset_id: Option<String>,
    dataset_ready: bool,
    batch_id: Option<String>,
    ready_groups: Option<u32>,
    exclusion_group_id: Option<String>,
    /// The round's settings, fixed once made (the block on the group included), so a
    /// retry launches on exactly the same terms.
    settings: Option<StudySettings>,
}

fn key(mode: AccountMode, study_id: &str) -> String {
    format!("{}.top_up.{}", mode.key(), safe_name(study_id))
}

fn load(store: &Store, mode: AccountMode, study_id: &str) -> Result<TopUpRecord, StoreError> {
    store.json_setting(&key(mode, study_id))
}

fn save(
    store: &Store,
    mode: AccountMode,
    study_id: &str,
    record: &TopUpRecord,
) -> Result<(), StoreError> {
    store.set_json_setting(&key(mode, study_id), record)
}

/// How many of the researcher's items each of the study's task groups holds, and what
/// else the groups carried (known rows and checks), as its data says.
async fn group_shape(
    client: &Client,
    results: &Results,
    study_id: &str,
    batch_id: &str,
) -> Result<(u32, Option<GroupExtras>), TopUpError> {
    if let Some(extras) = results.group_extras(study_id).await? {
        return Ok((extras.data_per_group.max(1), Some(extras)));
    }
    let batch = client.batch(batch_id).await?;
    let per_group = match (batch.total_task_count, batch.total_task_groups) {
        (Some(tasks), Some(groups)) if groups > 0 => {
            u32::try_from(tasks.div_ceil(groups)).unwrap_or(1).max(1)
        }
        _ => 1,
    };
    Ok((per_group, None))
}

/// Plans a second round of `study_id` from its downloaded results with the consensus
/// model's confidence (see [`plan_with`]).
pub async fn plan(
    connections: &Connections,
    results: &Results,
    study_id: &str,
    request: TopUpRequest,
) -> Result<TopUpPlan, TopUpError> {
    plan_with(connections, results, study_id, request, &ModelConfidence).await
}

/// The items of `study_id` whose `confidence` is below the threshold, the task groups
/// they make, and the exact price of `people_per_item` more people on each at the
/// study's reward. Spends nothing.
pub async fn plan_with(
    connections: &Connections,
    results: &Results,
    study_id: &str,
    request: TopUpRequest,
    confidence: &dyn ItemConfidence,
) -> Result<TopUpPlan, TopUpError> {
    if !(1..=MOST_PEOPLE).contains(&request.people_per_item)
        || !(0.0..=1.0).contains(&request.threshold)
    {
        return Err(TopUpError::OutOfRange);
    }
    let (_, client) = connections.client().await?;
    let study = client.study(study_id).await?;
    let batch_id = study
        .data_collection_id
        .clone()
        .ok_or(StudyStepError::NoBatch)?;
    let judged = results.item_confidence(study_id, confidence).await?;
    let mut items: Vec<TopUpItem> = judged
        .iter()
        .filter(|(_, confidence)| **confidence < request.threshold)
        .map(|(task_id, confidence)| TopUpItem {
            task_id: task_id.clone(),
            confidence: *confidence,
        })
        .collect();
    items.sort_by(|a, b| {
        a.confidence
            .total_cmp(&b.confidence)
            .then_with(|| a.task_id.cmp(&b.task_id))
    });
    let (tasks_per_group, extras) = group_shape(&client, results, study_id, &batch_id).await?;
    let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
    let task_groups = count.div_ceil(tasks_per_group);
    let extra_rows = extras
        .as_ref()
        .map_or(0, |extras| extras.rows_in(task_groups));
    let (known_per_group, checks_per_group) = extras.as_ref().map_or((0, 0), |extras| {
        (extras.known_per_group, extras.checks_per_group)
    });
    let places = task_groups.saturating_mul(request.people_per_item);
    let quote = if items.is_empty() {
        None
    } else {
        let settings = settings::derived(&study, request.people_per_item, String::new())
            .ok_or(TopUpError::Unpriceable)?;
        let task = ReadyTask {
            batch_id,
            assignments: task_groups,
            title: study.name.clone(),
        };
        let session = Session::current(connections).await?;
        Some(study_step::quote(&session, &task, &settings).await?)
    };
    let fingerprint = plan_fingerprint(
        study_id,
        &items,
        request.people_per_item,
        tasks_per_group,
        count.saturating_add(extra_rows),
        quote.as_ref().map_or(0, |quote| quote.total),
        study.reward.unwrap_or_default(),
    );
    Ok(TopUpPlan {
        study_id: study_id.to_owned(),
        threshold: request.threshold,
        people_per_item: request.people_per_item,
        judged_items: u32::try_from(judged.len()).unwrap_or(u32::MAX),
        items,
        task_groups,
        known_per_group,
        checks_per_group,
        tasks: count.saturating_add(extra_rows),
        places,
        quote,
        fingerprint,
    })
}

fn plan_fingerprint(
    study_id: &str,
    items: &[TopUpItem],
    people: u32,
    tasks_per_group: u32,
    all_tasks: u32,
    total: u32,
    reward: i64,
) -> String {
    let mut tasks: Vec<&str> = items.iter().map(|item| item.task_id.as_str()).collect();
    tasks.sort_unstable();
    digest(
        &serde_json::json!({
            "study": study_id, "tasks": tasks, "people": people,
            "per_group": tasks_per_group, "all_tasks": all_tasks, "total": total,
            "reward": reward,
        })
        .to_string(),
    )
}

/// The study a round's launch made, if any.
fn launched_study(
    store: &Store,
    mode: AccountMode,
    record: &TopUpRecord,
) -> Result<Option<String>, TopUpError> {
    let Some(batch_id) = record.batch_id.as_deref() else {
        return Ok(None);
    };
    match store.batch_launch(mode.key(), batch_id)? {
        Some(launch) => Ok(study_step::journaled_study(store, &launch)?),
        None => Ok(None),
    }
}

/// Prepares the round the researcher confirmed (free, resumed where an earlier attempt
/// stopped) and publishes its study once, at exactly the confirmed total. A round that
/// already ran answers its study again.
pub async fn launch(
    connections: &Connections,
    results: &Results,
    study_id: &str,
    request: TopUpRequest,
    confirmed: Confirmation,
    progress: impl Fn(TopUpProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<LaunchOutcome, TopUpError> {
    let progress: Arc<dyn Fn(TopUpProgress) + Send + Sync> = Arc::new(progress);
    let session = Session::current(connections).await?;
    let Session { mode, client, .. } = &session;
    let (mode, client) = (*mode, client.clone());
    let store = connections.store().clone();
    let _one_at_a_time = money_lock::try_acquire(&store, mode)?;
    let mut record = load(&store, mode, study_id)?;
    if record.fingerprint != confirmed.fingerprint {
        if launched_study(&store, mode, &record)?.is_some() {
            // The round ran: a confirmation of another plan does not run a second one.
            return Err(TopUpError::PlanChanged);
        }
        let planned = plan(connections, results, study_id, request).await?;
        if planned.items.is_empty() {
            return Err(TopUpError::NothingUncertain);
        }
        let total = planned.quote.as_ref().map(|quote| quote.total);
        if planned.fingerprint != confirmed.fingerprint || total != Some(confirmed.total) {
            return Err(TopUpError::PlanChanged);
        }
        // A round prepared for another plan is left (its copies are free and unused).
        let batch_id = client
            .study(study_id)
            .await?
            .data_collection_id
            .ok_or(StudyStepError::NoBatch)?;
        let (tasks_per_group, extras) = group_shape(&client, results, study_id, &batch_id).await?;
        record = TopUpRecord {
            fingerprint: planned.fingerprint,
            items: planned.items,
            people_per_item: planned.people_per_item,
            tasks_per_group,
            mixed: extras.is_some(),
            total: confirmed.total,
            ..TopUpRecord::default()
        };
        save(&store, mode, study_id, &record)?;
    } else if record.total != confirmed.total {
        return Err(TopUpError::PlanChanged);
    }
    let round = Round {
        connections,
        client: &client,
        store: &store,
        mode,
        study_id,
        progress: &progress,
        cancel,
    };
    let target = round.prepare(results, &mut record).await?;
    let fingerprint = StudyTerms::planned(&target.settings, &target.task.batch_id)
        .map(|terms| terms.fingerprint())
        .unwrap_or_default();
    let stage_progress = |stage| progress(TopUpProgress::Launching { stage });
    let outcome = study_step::launch_on(
        &session,
        &target,
        &LaunchRequest::Publish(Confirmation {
            total: confirmed.total,
            fingerprint,
        }),
        &stage_progress,
    )
    .await?;
    crate::results::link_second_round(&store, mode, study_id, &outcome.study_id)?;
    Ok(outcome)
}

/// One round's preparation, with what every step needs.
struct Round<'a> {
    connections: &'a Connections,
    client: &'a Client,
    store: &'a Store,
    mode: AccountMode,
    study_id: &'a str,
    progress: &'a Arc<dyn Fn(TopUpProgress) + Send + Sync>,
    cancel: &'a CancellationToken,
}

impl Round<'_> {
    fn keep(&self, record: &TopUpRecord) -> Result<(), StoreError> {
        save(self.store, self.mode, self.study_id, record)
    }

    /// The rows, their dataset, the batch's copy set up on them, the people kept out,
    /// and the settings: each made once and recorded.
    async fn prepare(
        &self,
        results: &Results,
        record: &mut TopUpRecord,
    ) -> Result<LaunchTarget, TopUpError> {
        let study = self.client.study(self.study_id).await?;
        let original_batch = study
            .data_collection_id
            .clone()
            .ok_or(StudyStepError::NoBatch)?;
        let rows_path = self.rows(results, record).await?;
        let dataset_id = self.dataset(record, &rows_path).await?;
        let batch_id = self.copy(record, &original_batch).await?;
        if record.ready_groups.is_none() {
            (self.progress)(TopUpProgress::SettingUp);
            // Rows that name their groups are grouped as named.
            let per_group = (!record.mixed).then_some(record.tasks_per_group.max(1));
            match batch_copy::set_up_copy(
                self.client,
                self.mode,
                &batch_id,
                &dataset_id,
                per_group,
                self.cancel,
            )
            .await
            {
                Ok(groups) => {
                    let items = u32::try_from(record.items.len()).unwrap_or(u32::MAX);
                    record.ready_groups = Some(
                        groups.unwrap_or_else(|| items.div_ceil(record.tasks_per_group.max(1))),
                    );
                    self.keep(record)?;
                }
                Err(CopyError::SetupFailed) => {
                    // A batch in ERROR is not used again: the next attempt copies afresh.
                    record.batch_id = None;
                    self.keep(record)?;
                    return Err(TopUpError::SetupFailed);
                }
                Err(error) => return Err(error.into()),
            }
        }
        let settings = match record.settings.clone() {
            Some(settings) => settings,
            None => {
                let group = self.keep_people_out(record, &study).await?;
                let internal = format!(
                    "{} (second round)",
                    study.internal_name.as_deref().unwrap_or(&study.name).trim()
                );
                let mut settings = settings::derived(&study, record.people_per_item, internal)
                    .ok_or(TopUpError::Unpriceable)?;
                keep_out::block(&mut settings, &group);
                record.settings = Some(settings.clone());
                self.keep(record)?;
                settings
            }
        };
        let currency = study
            .currency_code
            .clone()
            .or_else(|| study.presentment_currency_code.clone());
        Ok(LaunchTarget {
            task: ReadyTask {
                batch_id,
                assignments: record.ready_groups.unwrap_or(0),
                title: study.name.clone(),
            },
            settings,
            draft: StudyDraft {
                currency,
                ..StudyDraft::default()
            },
        })
    }

    async fn rows(
        &self,
        results: &Results,
        record: &mut TopUpRecord,
    ) -> Result<PathBuf, TopUpError> {
        if let Some(path) = record
            .rows_path
            .clone()
            .filter(|path| Path::new(path).is_file())
        {
            return Ok(PathBuf::from(path));
        }
        let rows = u32::try_from(record.items.len()).unwrap_or(u32::MAX);
        (self.progress)(TopUpProgress::WritingRows { rows });
        let folder = self.store.path().parent().map_or_else(
            || PathBuf::from("second-rounds"),
            |dir| dir.join("second-rounds"),
        );
        let target = folder.join(format!(
            "{}-{}.csv",
            safe_name(self.study_id),
            safe_name(&record.fingerprint)
        ));
        let tasks: HashSet<String> = record
            .items
            .iter()
            .map(|item| item.task_id.clone())
            .collect();
        let written = results
            .write_item_rows(self.study_id, tasks, target.clone())
            .await
            .map_err(TopUpError::RowsNotWritten)?;
        if written == 0 {
            return Err(TopUpError::NoItemRows);
        }
        record.rows_path = Some(target.to_string_lossy().into_owned());
        self.keep(record)?;
        Ok(target)
    }

    async fn dataset(
        &self,
        record: &mut TopUpRecord,
        rows_path: &Path,
    ) -> Result<String, TopUpError> {
        if let (Some(id), true) = (&record.dataset_id, record.dataset_ready) {
            return Ok(id.clone());
        }
        let (store, mode, study_id) = (self.store.clone(), self.mode, self.study_id.to_owned());
        let keep_id = Arc::new(move |dataset_id: &str| {
            let mut kept = load(&store, mode, &study_id).unwrap_or_default();
            kept.dataset_id = Some(dataset_id.to_owned());
            if let Err(error) = save(&store, mode, &study_id, &kept) {
                tracing::error!(%error, "could not keep the second round dataset's id");
            }
        });
        let progress = Arc::clone(self.progress);
        let sent =
            Arc::new(move |sent_percent| progress(TopUpProgress::Uploading { sent_percent }));
        let ready = batch_copy::upload_rows(
            self.connections,
            self.client,
            self.mode,
            rows_path,
            &format!(
                "Second round of {}",
                crate::held_files::file_name(rows_path)
            ),
            record.dataset_id.as_deref(),
            keep_id,
            sent,
            self.cancel,
        )
        .await?;
        *record = TopUpRecord {
            dataset_id: Some(ready.dataset_id.clone()),
            dataset_ready: true,
            ..load(self.store, self.mode, self.study_id)?
        };
        self.keep(record)?;
        Ok(ready.dataset_id)
    }

    async fn copy(&self, record: &mut TopUpRecord, original: &str) -> Result<String, TopUpError> {
        if let Some(batch_id) = record.batch_id.clone() {
            return Ok(batch_id);
        }
        (self.progress)(TopUpProgress::CopyingBatch);
        let batch = batch_copy::cancellable(self.cancel, self.client.batch(original)).await??;
        // Named for this plan: a copy whose answer was lost is found by its name, and
        // must not be taken for another plan's.
        let short: String = record.fingerprint.chars().take(6).collect();
        let name = format!("{} (second round {short})", batch.name);
        let copy = batch_copy::copy_batch(self.client, original, &name, self.cancel).await?;
        record.batch_id = Some(copy.clone());
        self.keep(record)?;
        Ok(copy)
    }

    /// Everyone who took part in the study (and in its earlier rounds) in one group.
    async fn keep_people_out(
        &self,
        record: &mut TopUpRecord,
        study: &batchdesk_prolific::models::Study,
    ) -> Result<String, TopUpError> {
        (self.progress)(TopUpProgress::KeepingPeopleOut);
        let workspace = account::workspaces(self.connections)
            .await?
            .chosen
            .ok_or(StudyStepError::NoWorkspace)?;
        if !keep_out::blocklist_offered(self.client, &workspace).await? {
            return Err(TopUpError::ExclusionUnavailable);
        }
        let mut studies = vec![self.study_id.to_owned()];
        studies.extend(crate::results::second_rounds_of(
            self.store,
            self.mode,
            self.study_id,
        )?);
        let people = keep_out::people_of(self.client, &studies).await?;
        let name = study
            .internal_name
            .as_deref()
            .unwrap_or(&study.name)
            .trim()
            .to_owned();
        let existing = record.exclusion_group_id.clone();
        keep_out::fill_group(
            self.client,
            &workspace,
            existing.as_deref(),
            people,
            GroupWords {
                name: format!("Took part in {name}"),
                description: "Kept out of this study's second round (made by Batchdesk)."
                    .to_owned(),
            },
            |made| -> Result<(), TopUpError> {
                record.exclusion_group_id = Some(made.to_owned());
                Ok(self.keep(record)?)
            },
        )
        .await
    }
}

/// The study's second round as its page shows it; `None` when none was started.
pub async fn view(
    connections: &Connections,
    results: &Results,
    study_id: &str,
) -> Result<Option<TopUpView>, TopUpError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let record = load(store, mode, study_id)?;
    if record.fingerprint.is_empty() {
        return Ok(None);
    }
    let study = match launched_study(store, mode, &record)? {
        Some(round) => Some(study_step::outcome(&client.study(&round).await?)),
        None => None,
    };
    let mean = |values: Vec<f64>| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let mean_before = mean(record.items.iter().map(|item| item.confidence).collect());
    // "Now" only once the results count the round's answers: before that it would be the
    // confidence the items were chosen with, shown as if it were news.
    let mean_now = if results.is_downloaded(study_id)
        && results.counts_second_round_answers(study_id).await?
    {
        let now = results.item_confidence(study_id, &ModelConfidence).await?;
        mean(
            record
                .items
                .iter()
                .filter_map(|item| now.get(&item.task_id).copied())
                .collect(),
        )
    } else {
        None
    };
    Ok(Some(TopUpView {
        unfinished: study.as_ref().is_none_or(|study| !study.published),
        study,
        items: record.items,
        people_per_item: record.people_per_item,
        mean_before,
        mean_now,
    }))
}
