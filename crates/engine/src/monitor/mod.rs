//! Watching launched studies: one poller per live study, each a [`JobHandle`] that reads
//! the study's progress, says what changed through a sink (the shell turns it into typed
//! events and OS notifications) and picks its next interval from what it saw: quick while
//! a study is being published, every few seconds while it collects, slowly while it waits
//! for the researcher, and not at all once it is over. The studies watched are kept in
//! the store per mode, so a restart resumes polling for the live ones and nothing else.

mod checks_alert;
mod launched;
mod progress;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use batchdesk_prolific::ProlificError;
use serde::{Deserialize, Serialize};
use specta::Type;

pub use checks_alert::{CHECKS_ALERT_AT_LEAST, CHECKS_ALERT_SHARE, failed_checks_alert};
pub use launched::{LaunchedStudy, launched, launched_studies};
pub use progress::{
    Amount, BatchFacts, FactsCache, MARKER, StudyMoney, StudyPhase, StudyProgress, SubmissionTally,
    batchdesk_name, now_iso, progress_of, read_progress,
};

use crate::connection::{AccountMode, Connections};
use crate::error_code::{Coded, ErrorCode};
use crate::jobs::{JobHandle, Jobs, Next};
use crate::results::Results;
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::store::StoreError;
use crate::study_step::LaunchOutcome;
use crate::text;
use crate::text::Text;
use checks_alert::ChecksReader;

/// How often pollers look, by what they last saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    /// While Prolific is publishing, or just after an action.
    pub quick: Duration,
    /// While participants are taking part.
    pub collecting: Duration,
    /// While the study waits for the researcher (paused, awaiting review, scheduled).
    pub waiting: Duration,
    /// The longest wait after failures in a row (it doubles from `collecting`).
    pub max_backoff: Duration,
    /// How long a poller keeps the quick pace after an action, whatever the phase: an
    /// action's effect can take a while to show (Prolific carries out a bulk approval in
    /// the background, so the study that awaited review completes a little later), and
    /// it must then be seen at once, not at the next slow look.
    pub after_action: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            quick: Duration::from_secs(2),
            collecting: Duration::from_secs(5),
            waiting: Duration::from_secs(60),
            max_backoff: Duration::from_secs(300),
            after_action: Duration::from_secs(30),
        }
    }
}

impl Pace {
    fn after(&self, phase: StudyPhase) -> Next {
        match phase {
            StudyPhase::Collecting => Next::After(self.collecting),
            StudyPhase::Scheduled | StudyPhase::Paused | StudyPhase::AwaitingReview => {
                Next::After(self.waiting)
            }
            StudyPhase::Draft | StudyPhase::Completed | StudyPhase::Stopped => Next::Stop,
        }
    }

    /// As [`Self::after`], quick while `quick_until` (the end of the time after an
    /// action) is ahead: a study that is over still stops.
    fn after_at(&self, phase: StudyPhase, quick_until: Option<Instant>, now: Instant) -> Next {
        match self.after(phase) {
            Next::After(wait) if quick_until.is_some_and(|until| now < until) => {
                Next::After(wait.min(self.quick))
            }
            next => next,
        }
    }
}

/// The Batches page: Batchdesk's studies, and the workspace's other batches.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BatchesOverview {
    pub studies: Vec<StudyProgress>,
    pub other_batches: Vec<WorkspaceBatch>,
}

/// A batch in the workspace that Batchdesk did not launch (made on Prolific's site).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceBatch {
    pub batch_id: String,
    pub name: String,
    pub status: String,
    pub created_at: Option<String>,
    pub task_count: Option<u32>,
    /// The batch of the New batch wizard's draft: set up here, no study yet.
    pub in_new_batch: bool,
}

/// Something the researcher should hear about even when the app is in the background.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NoticeKind {
    Published,
    AwaitingReview,
    Completed,
    NeedsAttention,
    /// Many people are giving their place back: a one-click pause is offered.
    ReturnsHigh,
    /// Many people fail the attention checks: a one-click pause is offered.
    ChecksFailing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub study_id: String,
    pub kind: NoticeKind,
    /// From the catalogue (`checks:notice.…`), like the body.
    pub title: Text,
    pub body: Text,
}

/// What pollers report.
#[derive(Clone, Debug, PartialEq)]
pub enum MonitorEvent {
    Progress(Box<StudyProgress>),
    Notice(Notice),
}

/// Where pollers report to.
pub type Sink = Arc<dyn Fn(MonitorEvent) + Send + Sync>;

/// The notice a change of phase deserves, if any. `before` is `None` the first time a
/// study is seen, which never notifies (the app was not watching when it happened).
#[must_use]
pub fn notice_for(before: Option<StudyPhase>, now: &StudyProgress) -> Option<Notice> {
    let before = before?;
    if before == now.phase {
        return None;
    }
    let name = if now.internal_name.is_empty() {
        now.title.clone()
    } else {
        now.internal_name.clone()
    };
    // A pilot's end is the moment to read its report and decide on the full study.
    let pilot = name.ends_with("(pilot)");
    if pilot
        && matches!(
            now.phase,
            StudyPhase::AwaitingReview | StudyPhase::Completed
        )
    {
        return Some(Notice {
            study_id: now.study_id.clone(),
            kind: if now.phase == StudyPhase::Completed {
                NoticeKind::Completed
            } else {
                NoticeKind::AwaitingReview
            },
            title: text!("checks:notice.pilotFinishedTitle"),
            body: text!("checks:notice.pilotFinished", name = name),
        });
    }
    let (kind, title, body) = match now.phase {
        StudyPhase::Collecting if matches!(before, StudyPhase::Draft | StudyPhase::Scheduled) => (
            NoticeKind::Published,
            text!("checks:notice.publishedTitle"),
            text!("checks:notice.published", name = name),
        ),
        StudyPhase::AwaitingReview => (
            NoticeKind::AwaitingReview,
            text!("checks:notice.filledTitle"),
            text!(
                "checks:notice.filled",
                name = name,
                awaiting = now.submissions.awaiting_review
            ),
        ),
        StudyPhase::Completed | StudyPhase::Stopped => (
            NoticeKind::Completed,
            text!("checks:notice.completedTitle"),
            text!("checks:notice.completed", name = name),
        ),
        _ => return None,
    };
    Some(Notice {
        study_id: now.study_id.clone(),
        kind,
        title,
        body,
    })
}

/// People who gave up (returned, or ran out of time) before the alert is raised.
const RETURNS_ALERT_AT_LEAST: u32 = 5;
/// The share of people who started and gave up before the alert is raised.
const RETURNS_ALERT_SHARE: f64 = 0.3;

/// Whether `tally` shows so many people giving up that the researcher should look.
fn returns_high(tally: &SubmissionTally) -> bool {
    let gave_up = tally.returned + tally.timed_out;
    gave_up >= RETURNS_ALERT_AT_LEAST
        && tally.total > 0
        && f64::from(gave_up) >= RETURNS_ALERT_SHARE * f64::from(tally.total)
}

/// The alert when, during collection, returns and time-outs first rise above
/// [`RETURNS_ALERT_SHARE`] of the people who started (at least
/// [`RETURNS_ALERT_AT_LEAST`]): something in the task may be wrong, and pausing stops
/// more people from meeting it. Raised once as it crosses, not on every read.
#[must_use]
pub fn returns_alert(before: Option<&StudyProgress>, now: &StudyProgress) -> Option<Notice> {
    let before = before?;
    if now.phase != StudyPhase::Collecting
        || !returns_high(&now.submissions)
        || returns_high(&before.submissions)
    {
        return None;
    }
    let name = if now.internal_name.is_empty() {
        &now.title
    } else {
        &now.internal_name
    };
    let gave_up = now.submissions.returned + now.submissions.timed_out;
    Some(Notice {
        study_id: now.study_id.clone(),
        kind: NoticeKind::ReturnsHigh,
        title: text!("checks:notice.returnsHighTitle"),
        body: text!(
            "checks:notice.returnsHigh",
            name = name,
            gaveUp = gave_up,
            started = now.submissions.total
        ),
    })
}

/// One watched study as remembered between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Watched {
    /// The phase last seen, so a restart notifies only about what changed since.
    last_phase: Option<StudyPhase>,
}

/// The studies watched in one mode, by id.
type WatchList = BTreeMap<String, Watched>;

fn watch_key(mode: AccountMode) -> String {
    format!("{}.monitor.watched", mode.key())
}

/// Reads the mode's watch list, lets `change` edit it, saves it; answers what `change`
/// answered.
fn edit_watch_list<T>(
    store: &crate::store::Store,
    mode: AccountMode,
    change: impl FnOnce(&mut WatchList) -> T,
) -> Result<T, StoreError> {
    let mut list: WatchList = store.json_setting(&watch_key(mode))?;
    let answer = change(&mut list);
    store.set_json_setting(&watch_key(mode), &list)?;
    Ok(answer)
}

/// The pollers of the running app.
pub struct Monitor {
    connections: Arc<Connections>,
    sink: Sink,
    pace: Pace,
    jobs: Mutex<Jobs<String>>,
    /// Batch facts never change once set up, so each is read once.
    facts: Arc<FactsCache>,
    /// Where pollers read the answers of studies with attention checks, when set.
    results: Option<Arc<Results>>,
}

impl Monitor {
    #[must_use]
    pub fn new(connections: Arc<Connections>, sink: Sink, pace: Pace) -> Self {
        Self {
            connections,
            sink,
            pace,
            jobs: Mutex::new(Jobs::default()),
            facts: Arc::default(),
            results: None,
        }
    }

    /// Lets pollers read the answers of studies that carry attention checks while they
    /// collect, to alert when many people fail them.
    #[must_use]
    pub fn with_results(mut self, results: Arc<Results>) -> Self {
        self.results = Some(results);
        self
    }

    /// Starts (or restarts) the poller of a study after something was done to it: it
    /// looks again soon, and quickly for a while (`Pace::after_action`) so that the
    /// action's effect is seen as soon as Prolific shows it. Remembers the study so that
    /// a restart resumes it. Must be called within the async runtime.
    ///
    /// # Errors
    /// When there is no connection or the store cannot be written.
    pub async fn watch(&self, study_id: &str) -> Result<(), MonitorError> {
        self.watch_since(study_id, None, true).await
    }

    /// Like [`Self::watch`] for a study just launched or published from a draft: its
    /// first sighting counts as a change from `Draft`, so its publication is announced.
    ///
    /// # Errors
    /// As [`Self::watch`].
    pub async fn watch_launched(&self, study_id: &str) -> Result<(), MonitorError> {
        self.watch_since(study_id, Some(StudyPhase::Draft), true)
            .await
    }

    /// Watches a study after something was done to it, for commands whose own outcome
    /// must not be lost to a failure here: that is logged, and the next visit to the
    /// study's page starts its poller again.
    pub async fn follow(&self, study_id: &str, launched: bool) {
        let watched = if launched {
            self.watch_launched(study_id).await
        } else {
            self.watch(study_id).await
        };
        if let Err(error) = watched {
            tracing::warn!(study = %study_id, %error, "the study could not be watched");
        }
    }

    /// Awaits an action on a study (a pause, more places, a review) and, once it was
    /// done, watches the study again ([`Self::follow`]) before answering.
    ///
    /// # Errors
    /// The action's own.
    pub async fn acted<T, E>(
        &self,
        study_id: &str,
        action: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let done = action.await?;
        self.follow(study_id, false).await;
        Ok(done)
    }

    /// Awaits a launch (the wizard's, a pilot's, a second round's) and follows the study
    /// it made before answering, so the study's page finds it followed.
    ///
    /// # Errors
    /// The launch's own.
    pub async fn launched<E>(
        &self,
        launch: impl Future<Output = Result<LaunchOutcome, E>>,
    ) -> Result<LaunchOutcome, E> {
        let outcome = launch.await?;
        self.follow(&outcome.study_id, true).await;
        Ok(outcome)
    }

    /// `after_action`: whether something was just done to the study, so the poller keeps
    /// the quick pace for a while (a page visit only makes sure it is watched).
    async fn watch_since(
        &self,
        study_id: &str,
        assumed: Option<StudyPhase>,
        after_action: bool,
    ) -> Result<(), MonitorError> {
        let (mode, _) = self.connections.client().await?;
        let before = edit_watch_list(self.connections.store(), mode, |list| {
            let watched = list.entry(study_id.to_owned()).or_default();
            // A draft just published is not known to be a draft any more; the assumed
            // phase is the poller's only, since stored it would keep the study from being
            // resumed should the app quit before the first look.
            if assumed.is_some() && watched.last_phase == Some(StudyPhase::Draft) {
                watched.last_phase = None;
            }
            watched.last_phase.or(assumed)
        })?;
        let quick_until = after_action.then(|| Instant::now() + self.pace.after_action);
        self.start(mode, study_id, before, self.pace.quick, quick_until);
        Ok(())
    }

    /// Resumes the pollers of the current mode's live studies (after a restart or a
    /// reconnection); returns the studies resumed.
    ///
    /// # Errors
    /// When there is no connection or the store cannot be read.
    pub async fn resume(&self) -> Result<Vec<String>, MonitorError> {
        let (mode, _) = self.connections.client().await?;
        let list: WatchList = self.connections.store().json_setting(&watch_key(mode))?;
        let mut resumed = Vec::new();
        for (study_id, watched) in list {
            // A study never seen yet (`None`) was just launched: look at it too.
            if watched.last_phase.is_none_or(StudyPhase::is_live) {
                self.start(mode, &study_id, watched.last_phase, Duration::ZERO, None);
                resumed.push(study_id);
            }
        }
        Ok(resumed)
    }

    /// Awaits a connection (practice, or an account) and, once made, moves the pollers
    /// over to it ([`Self::reconnected`]) before answering.
    ///
    /// # Errors
    /// The connection's own.
    pub async fn connecting<T, E>(
        &self,
        connect: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let connected = connect.await?;
        self.reconnected().await;
        Ok(connected)
    }

    /// After connecting (at start, or to another account or mode): the pollers of what
    /// was connected before stop, and those of this connection's live studies start.
    /// Failures are logged; a study's page starts its poller again.
    pub async fn reconnected(&self) {
        self.stop_all();
        match self.resume().await {
            Ok(resumed) => tracing::info!(?resumed, "pollers resumed"),
            Err(error) => tracing::warn!(%error, "pollers could not resume"),
        }
    }

    /// The studies with a running poller.
    pub fn active(&self) -> Vec<String> {
        let mut active = self.jobs().active();
        active.sort();
        active
    }

    /// Stops every poller (signing out, switching mode).
    pub fn stop_all(&self) {
        let mut jobs = self.jobs();
        for study_id in jobs.active() {
            jobs.stop(&study_id);
        }
    }

    /// The batch facts read so far (for actions that answer a fresh progress).
    #[must_use]
    pub fn facts(&self) -> &FactsCache {
        &self.facts
    }

    /// Reads a study's progress now, and makes sure a live study has a poller.
    ///
    /// # Errors
    /// When there is no connection or Prolific does not answer.
    pub async fn progress_and_watch(&self, study_id: &str) -> Result<StudyProgress, MonitorError> {
        let progress = self.progress(study_id).await?;
        if progress.phase.is_live() && !self.active().iter().any(|id| id == study_id) {
            // Nothing was done to it: its poller keeps the pace of its phase.
            if let Err(error) = self.watch_since(study_id, None, false).await {
                tracing::warn!(study = %study_id, %error, "the study could not be watched");
            }
        }
        Ok(progress)
    }

    /// Every study Batchdesk made in this account (newest first) with its progress, the
    /// live ones watched, and the workspace's batches that are not one of them.
    ///
    /// # Errors
    /// When there is no connection or Prolific does not answer.
    pub async fn overview(&self) -> Result<BatchesOverview, MonitorError> {
        let session = Session::current(&self.connections).await?;
        let wizard = crate::wizard::record::load(&session.store, session.mode)?;
        let launched = launched(&session, &wizard.test_studies()).await?;
        let mut studies = Vec::with_capacity(launched.len());
        for study in launched {
            studies.push(self.progress_and_watch(&study.study_id).await?);
        }
        let client = &session.client;
        let drafted = wizard.batch_id();
        let ours: std::collections::HashSet<&str> = studies
            .iter()
            .filter_map(|study| study.batch_id.as_deref())
            .collect();
        let mut other_batches = Vec::new();
        if let Some(workspace) = crate::account::workspaces_of(&session).await?.chosen {
            for batch in client.batches(&workspace).await?.items {
                if ours.contains(batch.id.as_str()) {
                    continue;
                }
                other_batches.push(WorkspaceBatch {
                    status: batch
                        .status
                        .as_ref()
                        .map_or_else(|| "UNKNOWN".to_owned(), |status| status.as_str().to_owned()),
                    task_count: batch
                        .total_task_count
                        .and_then(|count| u32::try_from(count).ok()),
                    created_at: batch.created_at,
                    in_new_batch: drafted.as_deref() == Some(batch.id.as_str()),
                    name: batch.name,
                    batch_id: batch.id,
                });
            }
        }
        Ok(BatchesOverview {
            studies,
            other_batches,
        })
    }

    /// Reads a study's progress now, with the batch facts cached.
    ///
    /// # Errors
    /// When there is no connection or Prolific does not answer.
    pub async fn progress(&self, study_id: &str) -> Result<StudyProgress, MonitorError> {
        let (mode, client) = self.connections.client().await?;
        let progress = read_progress(&client, study_id, &self.facts).await?;
        self.seen(mode, &progress);
        Ok(progress)
    }

    /// Remembers the phase of a watched study read outside its poller (its page, the
    /// Batches page), so that a restart resumes only what is still live and announces
    /// only what changed since the researcher last saw it: a study seen completed on
    /// its page before its poller looked again is not resumed, nor announced, after a
    /// restart. A running poller keeps its own last phase, so its notice still comes.
    fn seen(&self, mode: AccountMode, progress: &StudyProgress) {
        let store = self.connections.store();
        let key = watch_key(mode);
        let changed = store.json_setting::<WatchList>(&key).map(|mut list| {
            let watched = list.get_mut(&progress.study_id)?;
            if watched.last_phase == Some(progress.phase) {
                return None;
            }
            watched.last_phase = Some(progress.phase);
            Some(list)
        });
        let saved = match changed {
            Ok(Some(list)) => store.set_json_setting(&key, &list),
            Ok(None) => Ok(()),
            Err(error) => Err(error),
        };
        if let Err(error) = saved {
            tracing::warn!(%error, "the watched studies could not be saved");
        }
    }

    fn jobs(&self) -> std::sync::MutexGuard<'_, Jobs<String>> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn start(
        &self,
        mode: AccountMode,
        study_id: &str,
        before: Option<StudyPhase>,
        first: Duration,
        quick_until: Option<Instant>,
    ) {
        let poller = Poller {
            mode,
            study_id: study_id.to_owned(),
            quick_until,
            last_phase: Arc::new(Mutex::new(before)),
            last_sent: Arc::default(),
            failures: Arc::default(),
            connections: Arc::clone(&self.connections),
            sink: Arc::clone(&self.sink),
            facts: Arc::clone(&self.facts),
            pace: self.pace,
            checks: self.results.as_ref().map(|results| ChecksReader {
                results: Arc::clone(results),
                watch: Arc::default(),
            }),
        };
        let handle = JobHandle::spawn(first, move || poller.clone().round());
        self.jobs().start(study_id.to_owned(), handle);
    }
}

/// One study's poller: what a round needs, cloned into each round's future.
#[derive(Clone)]
struct Poller {
    mode: AccountMode,
    study_id: String,
    /// Until when it looks quickly whatever the phase (just after an action).
    quick_until: Option<Instant>,
    last_phase: Arc<Mutex<Option<StudyPhase>>>,
    last_sent: Arc<Mutex<Option<StudyProgress>>>,
    failures: Arc<Mutex<u32>>,
    connections: Arc<Connections>,
    sink: Sink,
    facts: Arc<FactsCache>,
    pace: Pace,
    checks: Option<ChecksReader>,
}

impl Poller {
    async fn round(self) -> Next {
        let client = match self.connections.client().await {
            Ok((mode, client)) if mode == self.mode => client,
            // Signed out or switched mode: this study is not ours to watch now.
            _ => return Next::Stop,
        };
        match read_progress(&client, &self.study_id, &self.facts).await {
            Ok(progress) => {
                *self.failures.lock().unwrap_or_else(PoisonError::into_inner) = 0;
                let before = self
                    .last_phase
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .replace(progress.phase);
                if let Some(notice) = notice_for(before, &progress) {
                    (self.sink)(MonitorEvent::Notice(notice));
                }
                if before != Some(progress.phase) {
                    self.remember(progress.phase);
                }
                let previous = self
                    .last_sent
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                if let Some(alert) = returns_alert(previous.as_ref(), &progress) {
                    (self.sink)(MonitorEvent::Notice(alert));
                }
                if let Some(checks) = &self.checks
                    && let Some(alert) = checks.look(&self.connections, &progress).await
                {
                    (self.sink)(MonitorEvent::Notice(alert));
                }
                let phase = progress.phase;
                if self.changed(&progress) {
                    (self.sink)(MonitorEvent::Progress(Box::new(progress)));
                }
                self.pace.after_at(phase, self.quick_until, Instant::now())
            }
            Err(ProlificError::NotFound { .. }) => {
                self.forget();
                Next::Stop
            }
            Err(error) => {
                let failures = {
                    let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
                    *failures += 1;
                    *failures
                };
                tracing::warn!(study = %self.study_id, %error, failures, "polling a study failed");
                if matches!(
                    error,
                    ProlificError::InvalidToken | ProlificError::NoAccess { .. }
                ) && failures == 1
                {
                    (self.sink)(MonitorEvent::Notice(Notice {
                        study_id: self.study_id.clone(),
                        kind: NoticeKind::NeedsAttention,
                        title: text!("checks:notice.cannotFollowTitle"),
                        body: error.text(),
                    }));
                }
                let backoff = self.pace.collecting.saturating_mul(1 << failures.min(6));
                Next::After(backoff.min(self.pace.max_backoff))
            }
        }
    }

    /// Whether `progress` differs from the last one reported (other than when it was
    /// read), so that an unchanged study sends no event.
    fn changed(&self, progress: &StudyProgress) -> bool {
        let mut last = self
            .last_sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let same = last.as_ref().is_some_and(|last| {
            StudyProgress {
                checked_at: progress.checked_at.clone(),
                ..last.clone()
            } == *progress
        });
        if !same {
            *last = Some(progress.clone());
        }
        !same
    }

    fn remember(&self, phase: StudyPhase) {
        self.edit_list(|list| {
            list.insert(
                self.study_id.clone(),
                Watched {
                    last_phase: Some(phase),
                },
            );
        });
    }

    fn forget(&self) {
        self.edit_list(|list| {
            list.remove(&self.study_id);
        });
    }

    /// A poller cannot report a store failure to anyone: it is logged.
    fn edit_list(&self, change: impl FnOnce(&mut WatchList)) {
        if let Err(error) = edit_watch_list(self.connections.store(), self.mode, change) {
            tracing::warn!(%error, "the watched studies could not be saved");
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum MonitorError {
    #[error(transparent)]
    Session(#[from] SessionError),
    /// Reading which studies were launched from here failed.
    #[error(transparent)]
    Launched(#[from] crate::study_step::StudyStepError),
}

session_error_from!(MonitorError);

impl Coded for MonitorError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::Launched(error) => error.error_code(),
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::Launched(inner) => inner.text(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use batchdesk_prolific::models::{Study, SubmissionCounts};

    fn study(status: &str, places: u64) -> Study {
        serde_json::from_value(serde_json::json!({
            "id": "s1",
            "name": "Is this review positive?",
            "internal_name": "Reviews pilot [batchdesk 1234]",
            "status": status,
            "reward": 150,
            "total_available_places": places,
            "places_taken": places,
            "total_cost": 1800,
            "currency_code": "GBP",
            "data_collection_id": "b1",
            "data_collection_metadata": { "annotators_per_task": 3 },
        }))
        .unwrap()
    }

    fn counts(awaiting: u64, approved: u64) -> SubmissionCounts {
        SubmissionCounts {
            awaiting_review: awaiting,
            approved,
            total: awaiting + approved,
            ..SubmissionCounts::default()
        }
    }

    const FACTS: BatchFacts = BatchFacts {
        tasks: 24,
        task_groups: 6,
        questions: 2,
    };

    #[test]
    fn progress_counts_answers_and_where_the_money_is() {
        let progress = progress_of(&study("ACTIVE", 18), &counts(3, 2), Some(FACTS), now_iso());
        assert_eq!(progress.phase, StudyPhase::Collecting);
        assert_eq!(
            progress.internal_name, "Reviews pilot",
            "the marker is not shown"
        );
        // Five finished submissions of four tasks and two questions each.
        assert_eq!(progress.answers_received, 40);
        assert_eq!(progress.answers_expected, Some(24 * 3 * 2));
        // £18.00 for 18 places, all set aside: two approved are paid (£2.00), three
        // await review (£3.00), thirteen places are still open; nothing is back.
        assert_eq!(progress.total_cost, 1800);
        assert_eq!(progress.currency, "GBP");
        let money = &progress.money;
        assert_eq!(money.set_aside.minor, 1800);
        assert_eq!(money.paid.minor, 200);
        assert_eq!(money.awaiting_review.minor, 300);
        assert_eq!(money.open_places.minor, 1300);
        assert_eq!(money.returned.minor, 0);
        assert!(!money.rewards_only);
        assert!(progress.can_pause && progress.can_stop && progress.can_approve);
        assert!(!progress.can_resume);
    }

    fn money_of(phase: StudyPhase, places: u64, total: i64, counts: &SubmissionCounts) -> [u32; 5] {
        let money = StudyMoney::of(phase, places, total, counts, false);
        let sum = money.paid.minor
            + money.awaiting_review.minor
            + money.open_places.minor
            + money.returned.minor;
        assert_eq!(
            sum, money.set_aside.minor,
            "the parts make the whole: {money:?}"
        );
        [
            money.set_aside.minor,
            money.paid.minor,
            money.awaiting_review.minor,
            money.open_places.minor,
            money.returned.minor,
        ]
    }

    #[test]
    fn money_awaiting_review_is_set_aside_not_paid() {
        // Nine places at £25.20 in all, every one awaiting review: nothing is paid yet.
        let filled = counts(9, 0);
        assert_eq!(
            money_of(StudyPhase::AwaitingReview, 9, 2520, &filled),
            [2520, 0, 2520, 0, 0]
        );
        // Approved: all paid.
        assert_eq!(
            money_of(StudyPhase::Completed, 9, 2520, &counts(0, 9)),
            [2520, 2520, 0, 0, 0]
        );
        // A draft has nothing set aside.
        assert_eq!(
            money_of(StudyPhase::Draft, 9, 2520, &SubmissionCounts::default()),
            [0; 5]
        );
    }

    #[test]
    fn money_comes_back_only_once_a_study_is_over() {
        // Returned and timed-out places are offered again while the study runs.
        let leavers = SubmissionCounts {
            returned: 3,
            timed_out: 1,
            active: 2,
            approved: 4,
            total: 10,
            ..SubmissionCounts::default()
        };
        assert_eq!(
            money_of(StudyPhase::Collecting, 9, 2520, &leavers),
            [2520, 1120, 0, 1400, 0]
        );
        // Stopped: the two still at work may finish and are paid; three places go back.
        assert_eq!(
            money_of(StudyPhase::Stopped, 9, 2520, &leavers),
            [2520, 1120, 0, 560, 840]
        );
    }

    #[test]
    fn money_rounds_against_what_is_returned() {
        // £10.00 for three places: each is £3.333…; paid and held round up.
        let one_paid = counts(0, 1);
        assert_eq!(
            money_of(StudyPhase::Stopped, 3, 1000, &one_paid),
            [1000, 334, 0, 0, 666]
        );
        let two = counts(1, 1);
        assert_eq!(
            money_of(StudyPhase::Stopped, 3, 1000, &two),
            [1000, 334, 333, 0, 333]
        );
    }

    #[test]
    fn without_a_total_cost_the_money_is_the_rewards_alone_and_says_so() {
        let mut unpriced = study("ACTIVE", 18);
        unpriced.total_cost = None;
        let progress = progress_of(&unpriced, &counts(0, 0), Some(FACTS), now_iso());
        assert!(progress.money.rewards_only);
        assert_eq!(progress.money.set_aside.minor, 2700);
    }

    #[test]
    fn a_completed_study_with_empty_places_was_stopped() {
        let stopped = progress_of(
            &study("COMPLETED", 18),
            &counts(0, 4),
            Some(FACTS),
            now_iso(),
        );
        assert_eq!(stopped.phase, StudyPhase::Stopped);
        let done = progress_of(
            &study("COMPLETED", 18),
            &counts(0, 18),
            Some(FACTS),
            now_iso(),
        );
        assert_eq!(done.phase, StudyPhase::Completed);
        assert!(!done.can_add_places && !done.can_stop && !done.phase.is_live());
    }

    #[test]
    fn unknown_batch_facts_leave_expected_answers_blank() {
        let progress = progress_of(&study("PAUSED", 18), &counts(1, 0), None, now_iso());
        assert_eq!(progress.answers_expected, None);
        assert_eq!(progress.phase, StudyPhase::Paused);
        assert!(progress.can_resume && !progress.can_pause);
    }

    #[test]
    fn polling_is_quick_while_collecting_slow_while_waiting_and_stops_at_the_end() {
        let pace = Pace::default();
        assert_eq!(
            pace.after(StudyPhase::Collecting),
            Next::After(pace.collecting)
        );
        assert_eq!(
            pace.after(StudyPhase::AwaitingReview),
            Next::After(pace.waiting)
        );
        assert_eq!(pace.after(StudyPhase::Paused), Next::After(pace.waiting));
        assert_eq!(pace.after(StudyPhase::Completed), Next::Stop);
        assert_eq!(pace.after(StudyPhase::Stopped), Next::Stop);
        assert_eq!(pace.after(StudyPhase::Draft), Next::Stop);
    }

    #[test]
    fn just_after_an_action_polling_is_quick_whatever_the_phase() {
        let pace = Pace::default();
        let now = Instant::now();
        let until = Some(now + pace.after_action);
        assert_eq!(
            pace.after_at(StudyPhase::AwaitingReview, until, now),
            Next::After(pace.quick)
        );
        assert_eq!(
            pace.after_at(StudyPhase::AwaitingReview, until, now + pace.after_action),
            Next::After(pace.waiting),
            "then the pace of the phase again"
        );
        assert_eq!(
            pace.after_at(StudyPhase::AwaitingReview, None, now),
            Next::After(pace.waiting)
        );
        assert_eq!(pace.after_at(StudyPhase::Completed, until, now), Next::Stop);
    }

    #[test]
    fn many_people_giving_up_raises_one_alert_as_it_crosses() {
        let with = |returned: u64, timed_out: u64, awaiting: u64| {
            progress_of(
                &study("ACTIVE", 18),
                &SubmissionCounts {
                    returned,
                    timed_out,
                    awaiting_review: awaiting,
                    total: returned + timed_out + awaiting,
                    ..SubmissionCounts::default()
                },
                Some(FACTS),
                now_iso(),
            )
        };
        let calm = with(2, 1, 10);
        let worse = with(4, 2, 10);
        let worse_still = with(6, 2, 10);
        assert_eq!(returns_alert(None, &worse), None, "first sight is not news");
        assert_eq!(returns_alert(Some(&calm), &calm), None);
        let Some(alert) = returns_alert(Some(&calm), &worse) else {
            panic!("6 of 16 gave up: an alert is due");
        };
        assert_eq!(alert.kind, NoticeKind::ReturnsHigh);
        assert!(
            alert
                .body
                .to_string()
                .contains("6 of the 16 people who started"),
            "{}",
            alert.body
        );
        assert_eq!(returns_alert(Some(&worse), &worse_still), None, "said once");
        // Few people, or a small share, is not an alarm.
        assert_eq!(returns_alert(Some(&calm), &with(3, 1, 2)), None);
        assert_eq!(returns_alert(Some(&calm), &with(5, 0, 40)), None);
    }

    #[test]
    fn notices_come_with_changes_of_phase_only() {
        let now = |status: &str, awaiting: u64| {
            progress_of(
                &study(status, 18),
                &counts(awaiting, 0),
                Some(FACTS),
                now_iso(),
            )
        };
        let kind = |before, progress: &StudyProgress| notice_for(before, progress).map(|n| n.kind);
        let collecting = now("ACTIVE", 0);
        assert_eq!(
            kind(Some(StudyPhase::Draft), &collecting),
            Some(NoticeKind::Published)
        );
        assert_eq!(kind(None, &collecting), None, "first sight is not news");
        assert_eq!(kind(Some(StudyPhase::Collecting), &collecting), None);
        assert_eq!(
            kind(Some(StudyPhase::Paused), &collecting),
            None,
            "resuming is the researcher's own doing"
        );
        let filled = now("AWAITING REVIEW", 18);
        let notice = notice_for(Some(StudyPhase::Collecting), &filled).unwrap();
        assert_eq!(notice.kind, NoticeKind::AwaitingReview);
        assert!(
            notice
                .body
                .to_string()
                .contains("18 submissions await your review"),
            "{}",
            notice.body
        );
        assert!(notice.body.to_string().contains("Reviews pilot"));

        // A pilot's end says what to do next.
        let mut pilot = now("AWAITING REVIEW", 3);
        pilot.internal_name = "Reviews (pilot)".to_owned();
        let notice = notice_for(Some(StudyPhase::Collecting), &pilot).unwrap();
        assert_eq!(notice.title.to_string(), "Pilot finished");
        assert!(
            notice.body.to_string().contains("Read the pilot's report"),
            "{}",
            notice.body
        );
    }
}
