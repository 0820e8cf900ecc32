//! Reviewing one participant's submission on the researcher's word: approve it (the
//! participant is paid), or reject it with a reason and a message of at least 100
//! characters (Prolific's rule; the scorecard drafts one from its evidence). One money
//! action at a time, journaled like every payment, and idempotent: a review whose answer
//! was lost is found done (Prolific's transition is looked up before it is sent again),
//! and a submission already reviewed otherwise is reported, never changed.

use batchdesk_prolific::models::{RejectionCategory, Review, SubmissionStatus};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::analysis::scorecard::RejectReason;
use crate::connection::Connections;
use crate::money_lock;
use crate::monitor::{FactsCache, StudyProgress, read_progress};
use crate::results::Results;
use crate::study_actions::ActionError;

/// Prolific's minimum length for a rejection message.
pub const MIN_REJECTION_MESSAGE: usize = 100;

/// What the researcher decided for one participant's submission.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(tag = "decision", rename_all = "camelCase")]
pub enum ReviewDecision {
    Approve,
    Reject {
        reason: RejectReason,
        message: String,
    },
}

/// Where a participant's submission stands after a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReviewState {
    AwaitingReview,
    Approved,
    Rejected,
    /// Returned, timed out or anything else: nothing to review.
    Other,
}

impl ReviewState {
    #[must_use]
    pub fn of(status: &SubmissionStatus) -> Self {
        match status {
            SubmissionStatus::AwaitingReview => Self::AwaitingReview,
            SubmissionStatus::Approved | SubmissionStatus::PartiallyApproved => Self::Approved,
            SubmissionStatus::Rejected => Self::Rejected,
            _ => Self::Other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewOutcome {
    pub participant_id: String,
    pub state: ReviewState,
    /// The study as read afterwards; `None` when it could not be read (the review
    /// stands all the same).
    pub progress: Option<StudyProgress>,
}

fn category(reason: RejectReason) -> RejectionCategory {
    match reason {
        RejectReason::TooQuickly => RejectionCategory::TooQuickly,
        RejectReason::LowEffort => RejectionCategory::LowEffort,
        RejectReason::FailedInstructions => RejectionCategory::FailedInstructions,
        RejectReason::FailedCheck => RejectionCategory::FailedCheck,
        RejectReason::Other => RejectionCategory::OtherReason,
    }
}

/// Approves or rejects `participant_id`'s submission to `study_id`, as decided.
///
/// # Errors
/// A rejection message under 100 characters, no submission of that participant, one
/// already reviewed the other way, another money action under way, or Prolific refusing.
pub async fn review_participant(
    connections: &Connections,
    facts: &FactsCache,
    results: &Results,
    study_id: &str,
    participant_id: &str,
    decision: &ReviewDecision,
) -> Result<ReviewOutcome, ActionError> {
    let review = match decision {
        ReviewDecision::Approve => Review::Approve,
        ReviewDecision::Reject { reason, message } => {
            let length = message.trim().chars().count();
            if length < MIN_REJECTION_MESSAGE {
                return Err(ActionError::MessageTooShort { length });
            }
            Review::Reject {
                message: message.trim().to_owned(),
                category: category(*reason),
            }
        }
    };
    let wanted = ReviewState::of(&review.outcome());
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let submission = client
        .submissions(study_id, None)
        .await?
        .whole("the study's submissions")?
        .into_iter()
        .filter(|submission| submission.participant_id.as_deref() == Some(participant_id))
        // A participant who returned and came back has several: the one to review is
        // the one awaiting it, else the one reviewed.
        .max_by_key(|submission| match ReviewState::of(&submission.status) {
            ReviewState::AwaitingReview => 2,
            ReviewState::Approved | ReviewState::Rejected => 1,
            ReviewState::Other => 0,
        })
        .ok_or_else(|| ActionError::NoSubmission {
            participant: participant_id.to_owned(),
        })?;
    let now = ReviewState::of(&submission.status);
    if now == wanted {
        // Done before (an answer lost, or a second click): nothing is sent again.
        results.note_review(study_id, participant_id, now);
        return Ok(ReviewOutcome {
            participant_id: participant_id.to_owned(),
            state: now,
            progress: read_progress(&client, study_id, facts).await.ok(),
        });
    }
    if now != ReviewState::AwaitingReview {
        return Err(ActionError::NotAwaitingReview {
            participant: participant_id.to_owned(),
            status: submission.status.as_str().to_lowercase(),
        });
    }
    let launch = format!("study/{study_id}");
    let detail = serde_json::json!({
        "participant": participant_id,
        "submission": submission.id,
        "decision": decision,
    })
    .to_string();
    store.journal_with(&launch, "review", "started", Some(study_id), &detail)?;
    let reviewed = client.review_submission(&submission.id, &review).await?;
    store.journal_with(&launch, "review", "done", Some(study_id), &detail)?;
    let state = ReviewState::of(&reviewed.status);
    results.note_review(study_id, participant_id, state);
    Ok(ReviewOutcome {
        participant_id: participant_id.to_owned(),
        state,
        progress: read_progress(&client, study_id, facts).await.ok(),
    })
}
