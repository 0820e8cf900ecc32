//! One study's progress, read from Prolific in three calls (study, submission counts and,
//! once, its batch), in the words and numbers the Batches page shows.

use batchdesk_prolific::models::{Study, StudyStatus, SubmissionCounts};
use batchdesk_prolific::{Client, ProlificError};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Where a study is in its life, for badges, notifications and which actions apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StudyPhase {
    Draft,
    Scheduled,
    Collecting,
    Paused,
    AwaitingReview,
    Completed,
    /// Completed before every place was filled (the researcher stopped it).
    Stopped,
}

impl StudyPhase {
    fn of(status: &StudyStatus, places: u64, finished: u64) -> Self {
        match status {
            StudyStatus::Unpublished => Self::Draft,
            StudyStatus::Scheduled => Self::Scheduled,
            StudyStatus::Paused => Self::Paused,
            StudyStatus::AwaitingReview => Self::AwaitingReview,
            StudyStatus::Completed if finished < places => Self::Stopped,
            StudyStatus::Completed => Self::Completed,
            StudyStatus::Publishing | StudyStatus::Active | StudyStatus::Other(_) => {
                Self::Collecting
            }
        }
    }

    /// Whether the study has ended (completed or stopped): nobody new takes part.
    #[must_use]
    pub fn is_over(self) -> bool {
        matches!(self, Self::Completed | Self::Stopped)
    }

    /// Whether anything can still change without the researcher (so a poller is needed).
    #[must_use]
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Scheduled | Self::Collecting | Self::Paused | Self::AwaitingReview
        )
    }
}

/// Submissions by status. `other` gathers reserved, screened-out and partly approved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionTally {
    pub active: u32,
    pub awaiting_review: u32,
    pub approved: u32,
    pub rejected: u32,
    pub returned: u32,
    pub timed_out: u32,
    pub other: u32,
    pub total: u32,
}

impl SubmissionTally {
    fn from_counts(counts: &SubmissionCounts) -> Self {
        let small = |count: u64| u32::try_from(count).unwrap_or(u32::MAX);
        Self {
            active: small(counts.active),
            awaiting_review: small(counts.awaiting_review),
            approved: small(counts.approved),
            rejected: small(counts.rejected),
            returned: small(counts.returned),
            timed_out: small(counts.timed_out),
            other: small(counts.reserved + counts.screened_out + counts.partially_approved),
            total: small(counts.total),
        }
    }

    /// Submissions whose work is done and paid for (or about to be).
    #[must_use]
    pub fn finished(&self) -> u32 {
        self.awaiting_review + self.approved
    }
}

/// What a study's batch says once and for all: how many answers a full study brings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchFacts {
    pub tasks: u64,
    pub task_groups: u64,
    pub questions: u64,
}

impl BatchFacts {
    /// Reads the batch's counts.
    ///
    /// # Errors
    /// When Prolific does not answer.
    pub async fn read(client: &Client, batch_id: &str) -> Result<Self, ProlificError> {
        let batch = client.batch(batch_id).await?;
        let tasks = batch.total_task_count.unwrap_or(0);
        Ok(Self {
            tasks,
            task_groups: batch.total_task_groups.unwrap_or(tasks).max(1),
            questions: batch.total_instruction_count.unwrap_or(0),
        })
    }
}

/// An amount of money in minor units of the study's currency ([`StudyProgress::currency`]):
/// the UI formats it for the researcher's locale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    pub minor: u32,
}

/// Where a study's money is. Publishing sets the study's whole cost aside from the
/// workspace's balance (every place's reward with Prolific's fees and VAT); approving a
/// submission pays its place's share; what a study ends without using goes back to the
/// balance. `paid + awaiting_review + open_places + returned` is `set_aside`.
///
/// Prolific gives the study's total cost, its places, its reward and its submissions by
/// status, not where each penny is: these are worked out from them, and where that does
/// not say, the cautious reading is taken (money is never said to be back in the balance
/// while it may still be spent). So:
/// - each place's share is the total divided by the places, rounded up for the money
///   paid or still held (what is returned takes the rounding);
/// - a returned or timed-out place is offered to someone else while the study runs, so
///   its money stays set aside; only a study that is over gives back its unused places
///   (a stopped study's, and a rejected place nobody took again);
/// - a partly approved or screened-out submission counts as a paid place (it was paid
///   something, and that money is not back);
/// - people still taking part in a stopped study may finish and are paid: their places
///   stay held.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyMoney {
    /// Taken from the balance for this study when it was published (nothing for a
    /// draft): the study's total cost.
    pub set_aside: Amount,
    /// Paid to participants (with the fees) for approved submissions.
    pub paid: Amount,
    /// Still set aside for submissions awaiting review: paid when they are approved.
    pub awaiting_review: Amount,
    /// Still set aside for places not finished: people taking part now, and places
    /// still to fill (those given back by people who returned or timed out included).
    pub open_places: Amount,
    /// Given back to the balance: the places a study that is over did not use.
    pub returned: Amount,
    /// Whether Prolific did not give the study's total cost, so these are its rewards
    /// alone: the fees and VAT on top are not known, and the real amounts are higher.
    pub rewards_only: bool,
}

impl StudyMoney {
    /// The money of a study of `places` places costing `total` (minor units) in all, in
    /// `phase`, with `counts`.
    #[must_use]
    pub fn of(
        phase: StudyPhase,
        places: u64,
        total: i64,
        counts: &SubmissionCounts,
        rewards_only: bool,
    ) -> Self {
        let amount = |minor: i64| Amount {
            minor: minor_units(minor),
        };
        // A draft has nothing set aside. A scheduled study is taken to have its cost set
        // aside already: Prolific checks the balance when scheduling and does not say
        // whether it locks the funds then or at publishing, so the cautious reading.
        let total = if phase == StudyPhase::Draft {
            0
        } else {
            total.max(0)
        };
        // The money of the first `count` places, rounded up, never more than the total.
        let share = |count: u64| -> i64 {
            if places == 0 {
                return if count == 0 { 0 } else { total };
            }
            let count = i128::from(count.min(places));
            let minor = (i128::from(total) * count + i128::from(places) - 1) / i128::from(places);
            i64::try_from(minor).unwrap_or(i64::MAX).min(total)
        };
        let paid_places = counts
            .approved
            .saturating_add(counts.partially_approved)
            .saturating_add(counts.screened_out);
        let reviewed_or_waiting = paid_places.saturating_add(counts.awaiting_review);
        let held_places = if phase.is_over() {
            // Over: only people still at work may yet be paid.
            reviewed_or_waiting
                .saturating_add(counts.active)
                .saturating_add(counts.reserved)
        } else {
            places
        };
        let paid = share(paid_places);
        let awaiting = share(reviewed_or_waiting) - paid;
        let open = share(held_places.max(reviewed_or_waiting)) - paid - awaiting;
        Self {
            set_aside: amount(total),
            paid: amount(paid),
            awaiting_review: amount(awaiting),
            open_places: amount(open),
            returned: amount(total - paid - awaiting - open),
            rewards_only,
        }
    }
}

/// A signed amount in minor units as one an IPC type carries (nothing below zero).
fn minor_units(minor: i64) -> u32 {
    u32::try_from(minor.max(0)).unwrap_or(u32::MAX)
}

/// One study's progress, as last read. Money is in minor units of `currency`, which the
/// UI formats for the researcher's locale.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyProgress {
    pub study_id: String,
    pub batch_id: Option<String>,
    pub title: String,
    pub internal_name: String,
    pub status: String,
    pub phase: StudyPhase,
    pub places: u32,
    pub places_taken: u32,
    pub submissions: SubmissionTally,
    /// One per question per item per person, counted from finished submissions (each
    /// answers every question of one task group).
    pub answers_received: u32,
    /// Items × people per item × questions; `None` when the batch is unknown.
    pub answers_expected: Option<u32>,
    /// What the whole study costs (every place's reward with Prolific's fees and VAT).
    pub total_cost: u32,
    /// Where that money is: set aside, paid, awaiting review, returned.
    pub money: StudyMoney,
    pub reward_per_person: u32,
    /// The study's currency ("GBP"), which its amounts are in.
    pub currency: String,
    pub created_at: Option<String>,
    pub published_at: Option<String>,
    pub checked_at: String,
    pub can_pause: bool,
    pub can_resume: bool,
    pub can_stop: bool,
    pub can_add_places: bool,
    pub can_approve: bool,
}

pub use crate::study_step::launch::MARKER;

/// The researcher's name for a study Batchdesk made; `None` for other studies.
#[must_use]
pub fn batchdesk_name(study: &Study) -> Option<&str> {
    study
        .internal_name
        .as_deref()?
        .split_once(MARKER)
        .map(|(name, _)| name)
}

/// Puts a study, its submission counts and its batch's facts into one progress.
#[must_use]
pub fn progress_of(
    study: &Study,
    counts: &SubmissionCounts,
    facts: Option<BatchFacts>,
    checked_at: String,
) -> StudyProgress {
    let small = |count: u64| u32::try_from(count).unwrap_or(u32::MAX);
    let submissions = SubmissionTally::from_counts(counts);
    let places = study.total_available_places.unwrap_or(0);
    let finished = u64::from(submissions.finished());
    let status = study.status.clone().unwrap_or(StudyStatus::Unpublished);
    let phase = StudyPhase::of(&status, places, finished);
    let currency = study.currency_code.as_deref().unwrap_or("GBP");
    let reward = study.reward.unwrap_or(0).max(0);
    // Prolific's total includes its fees and VAT; without it, the rewards alone.
    let given = study.total_cost.filter(|&total| total > 0);
    let total = given.unwrap_or(reward.saturating_mul(i64::try_from(places).unwrap_or(0)));
    let annotators = study
        .data_collection_metadata
        .as_ref()
        .and_then(|metadata| metadata.annotators_per_task)
        .unwrap_or(1);
    let (answers_received, answers_expected) = match facts {
        Some(facts) if facts.questions > 0 => {
            let tasks_per_group = facts.tasks.div_ceil(facts.task_groups);
            let received = (finished * tasks_per_group * facts.questions)
                .min(facts.tasks * annotators * facts.questions);
            (
                small(received),
                Some(small(facts.tasks * annotators * facts.questions)),
            )
        }
        _ => (0, None),
    };
    let published = status.is_published();
    StudyProgress {
        study_id: study.id.clone(),
        batch_id: study.data_collection_id.clone(),
        title: study.name.clone(),
        internal_name: batchdesk_name(study)
            .or(study.internal_name.as_deref())
            .unwrap_or_default()
            .to_owned(),
        status: status.as_str().to_owned(),
        phase,
        places: small(places),
        places_taken: small(study.places_taken),
        submissions,
        answers_received,
        answers_expected,
        total_cost: minor_units(total),
        money: StudyMoney::of(phase, places, total, counts, given.is_none()),
        reward_per_person: minor_units(reward),
        currency: currency.to_owned(),
        created_at: study.date_created.clone(),
        published_at: study.published_at.clone(),
        checked_at,
        can_pause: phase == StudyPhase::Collecting,
        can_resume: phase == StudyPhase::Paused,
        can_stop: matches!(phase, StudyPhase::Collecting | StudyPhase::Paused),
        can_add_places: published && phase.is_live(),
        can_approve: submissions.awaiting_review > 0,
    }
}

/// Batch facts by batch id: they never change once a batch is set up, so each is read
/// once.
pub type FactsCache = std::sync::Mutex<std::collections::HashMap<String, BatchFacts>>;

/// Reads a study's progress now: the study, its submission counts (once published) and,
/// the first time, its batch's facts.
///
/// # Errors
/// When Prolific does not answer.
pub async fn read_progress(
    client: &Client,
    study_id: &str,
    cache: &FactsCache,
) -> Result<StudyProgress, ProlificError> {
    let study = client.study(study_id).await?;
    let published = study.status.as_ref().is_some_and(StudyStatus::is_published);
    let counts = if published {
        client.submission_counts(study_id).await?
    } else {
        SubmissionCounts::default()
    };
    let mut facts = None;
    if let Some(batch_id) = study.data_collection_id.as_deref() {
        let lock = || {
            cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        facts = lock().get(batch_id).copied();
        if facts.is_none() {
            // Unknown facts only leave the expected answers blank; the next round retries.
            facts = BatchFacts::read(client, batch_id).await.ok();
            if let Some(read) = facts {
                lock().insert(batch_id.to_owned(), read);
            }
        }
    }
    Ok(progress_of(&study, &counts, facts, now_iso()))
}

/// The time as the app writes it down, still reachable here (it now lives in `clock`).
pub use crate::clock::now_iso;
