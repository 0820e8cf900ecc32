//! Where a participant's submission stands for review, as read from Prolific. Its own
//! module because both sides need it: the results keep it beside each submission's time
//! (and show it on the scorecard), and `review` changes it; `review` uses the results,
//! so the state cannot live there without a circle.

use batchdesk_prolific::models::{Submission, SubmissionStatus};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Where a participant's submission stands after a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReviewState {
    AwaitingReview,
    Approved,
    Rejected,
    /// Asked to return it; they have not yet.
    ReturnRequested,
    /// Returned (asked to, or of their own accord): not paid, the place reopened.
    Returned,
    /// Timed out, still under way, or anything else: nothing to review.
    Other,
}

impl ReviewState {
    /// The state a status alone shows (a request to return is not in it: see
    /// [`ReviewState::of_submission`]).
    #[must_use]
    pub fn of(status: &SubmissionStatus) -> Self {
        match status {
            SubmissionStatus::AwaitingReview => Self::AwaitingReview,
            SubmissionStatus::Approved | SubmissionStatus::PartiallyApproved => Self::Approved,
            SubmissionStatus::Rejected => Self::Rejected,
            SubmissionStatus::Returned => Self::Returned,
            _ => Self::Other,
        }
    }

    /// The state of a submission as read: one under way or awaiting review whose
    /// participant was asked to return it waits for them to do so.
    #[must_use]
    pub fn of_submission(submission: &Submission) -> Self {
        Self::of_request(&submission.status, submission.return_requested.as_deref())
    }

    pub(crate) fn of_request(status: &SubmissionStatus, return_requested: Option<&str>) -> Self {
        match status {
            SubmissionStatus::Active | SubmissionStatus::AwaitingReview
                if return_requested.is_some() =>
            {
                Self::ReturnRequested
            }
            status => Self::of(status),
        }
    }

    /// The state as a few words for a sentence ("…'s submission is <words>").
    pub(crate) fn words(self, status: &SubmissionStatus) -> String {
        match self {
            Self::ReturnRequested => "waiting for them to return it".to_owned(),
            _ => status.as_str().to_lowercase(),
        }
    }
}
