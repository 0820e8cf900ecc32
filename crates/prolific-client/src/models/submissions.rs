//! Submissions: one participant's go at a study (API-NOTES §7.8).

use serde::{Deserialize, Serialize};

use super::lenient::{lenient_enum, optional_text};
use super::numbers::{optional_whole, optional_whole_list};

lenient_enum!(
    /// A submission's status, with the spaces and dashes Prolific sends.
    SubmissionStatus {
        Reserved => "RESERVED",
        Active => "ACTIVE",
        AwaitingReview => "AWAITING REVIEW",
        Approved => "APPROVED",
        Rejected => "REJECTED",
        Returned => "RETURNED",
        TimedOut => "TIMED-OUT",
        ScreenedOut => "SCREENED OUT",
        PartiallyApproved => "PARTIALLY APPROVED",
        Unknown => "UNKNOWN",
    }
);

impl SubmissionStatus {
    /// Whether the submission holds a finished go at the task (its time says
    /// something): sent for review, or reviewed.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            Self::AwaitingReview | Self::Approved | Self::Rejected | Self::PartiallyApproved
        )
    }

    /// The form the `status` filter of `GET /submissions/` takes: underscores for
    /// spaces (`AWAITING_REVIEW`).
    pub fn as_filter(&self) -> String {
        self.as_str().replace(' ', "_")
    }
}

lenient_enum!(
    /// Why a submission is rejected (required with `REJECT`).
    RejectionCategory {
        TooQuickly => "TOO_QUICKLY",
        TooSlowly => "TOO_SLOWLY",
        FailedInstructions => "FAILED_INSTRUCTIONS",
        IncompLongitudinal => "INCOMP_LONGITUDINAL",
        FailedCheck => "FAILED_CHECK",
        LowEffort => "LOW_EFFORT",
        Malingering => "MALINGERING",
        NoCode => "NO_CODE",
        BadCode => "BAD_CODE",
        NoData => "NO_DATA",
        UnsuppDevice => "UNSUPP_DEVICE",
        OtherReason => "OTHER",
    }
);

/// A submission, as listed (`SubmissionShort`) or fetched (`Submission`, which names the
/// participant `participant`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Submission {
    pub id: String,
    #[serde(default, alias = "participant")]
    pub participant_id: Option<String>,
    pub status: SubmissionStatus,
    #[serde(default)]
    pub study_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub completed_at: Option<String>,
    /// The completion code the study gave (`SubmissionShort`).
    #[serde(default)]
    pub study_code: Option<String>,
    /// The code the participant entered (`Submission`).
    #[serde(default)]
    pub entered_code: Option<String>,
    #[serde(default)]
    pub has_siblings: Option<bool>,
    #[serde(default, deserialize_with = "optional_text")]
    pub return_requested: Option<String>,
    /// Seconds.
    #[serde(default, deserialize_with = "optional_whole")]
    pub time_taken: Option<i64>,
    /// Minor units.
    #[serde(default, deserialize_with = "optional_whole")]
    pub reward: Option<i64>,
    /// Bonuses paid on it, minor units, one per payment (a bulk bonus paid twice shows
    /// twice). Only a submission read on its own has them (`Client::submission`); `None`
    /// when the answer does not say, or says something that cannot be read whole.
    #[serde(default, deserialize_with = "optional_whole_list")]
    pub bonus_payments: Option<Vec<i64>>,
}

/// What asking a participant to return their submission answers
/// (`ReturnRequestedResponse`): the submission's status when asked, and when the return
/// was first asked for.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ReturnRequested {
    pub id: String,
    pub status: SubmissionStatus,
    #[serde(default)]
    pub participant: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub return_requested: Option<String>,
}

impl ReturnRequested {
    /// The same facts read from the submission itself (how a request whose answer was
    /// lost is found made).
    #[must_use]
    pub fn of(submission: Submission) -> Self {
        Self {
            id: submission.id,
            status: submission.status,
            participant: submission.participant_id,
            return_requested: submission.return_requested,
        }
    }
}

/// The body of `POST /submissions/{id}/request-return/`.
#[derive(Serialize)]
pub(crate) struct ReturnRequestBody<'a> {
    pub(crate) request_return_reasons: &'a [String],
}

/// A researcher's decision on a submission awaiting review. Final once made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Review {
    Approve,
    /// `message` (at least 100 characters) is shown to the participant.
    Reject {
        message: String,
        category: RejectionCategory,
    },
}

impl Review {
    /// The status a submission has once this review is applied.
    pub fn outcome(&self) -> SubmissionStatus {
        match self {
            Self::Approve => SubmissionStatus::Approved,
            Self::Reject { .. } => SubmissionStatus::Rejected,
        }
    }
}

/// The body of `POST /submissions/{id}/transition/`.
#[derive(Serialize)]
pub(crate) struct ReviewBody<'a> {
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejection_category: Option<&'a RejectionCategory>,
}

impl<'a> From<&'a Review> for ReviewBody<'a> {
    fn from(review: &'a Review) -> Self {
        match review {
            Review::Approve => Self {
                action: "APPROVE",
                message: None,
                rejection_category: None,
            },
            Review::Reject { message, category } => Self {
                action: "REJECT",
                message: Some(message),
                rejection_category: Some(category),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn both_submission_shapes_read() {
        let short: Submission = serde_json::from_value(json!({
            "id": "60d9aadeb86739de712faee0", "participant_id": "60bf9310e8dec401be6e9615",
            "status": "AWAITING REVIEW", "started_at": "2021-05-20T11:03:00.457Z",
            "completed_at": null, "has_siblings": false, "study_code": "ABC123",
            "return_requested": null
        }))
        .unwrap();
        assert_eq!(short.status, SubmissionStatus::AwaitingReview);
        assert_eq!(short.completed_at, None);
        let full: Submission = serde_json::from_value(json!({
            "id": "60d9aadeb86739de712faee0", "participant": "60bf9310e8dec401be6e9615",
            "study_id": "60aca280709ee40ec37d4885", "status": "TIMED-OUT",
            "started_at": "2021-05-20T11:03:00.457Z", "entered_code": null, "strata": {}
        }))
        .unwrap();
        assert_eq!(full.participant_id, short.participant_id);
        assert_eq!(full.status, SubmissionStatus::TimedOut);
        assert_eq!(
            SubmissionStatus::AwaitingReview.as_filter(),
            "AWAITING_REVIEW"
        );
    }

    #[test]
    fn a_return_request_is_sent_with_its_reasons_and_its_answer_read() {
        let reasons = vec!["Did not finish".to_owned()];
        assert_eq!(
            serde_json::to_value(ReturnRequestBody {
                request_return_reasons: &reasons
            })
            .unwrap(),
            json!({"request_return_reasons": ["Did not finish"]})
        );
        let answer: ReturnRequested = serde_json::from_value(json!({
            "id": "60d9aadeb86739de712faee0", "status": "AWAITING REVIEW",
            "participant": "60bf9310e8dec401be6e9615",
            "return_requested": "2026-08-01T10:00:00.000000Z"
        }))
        .unwrap();
        assert_eq!(answer.status, SubmissionStatus::AwaitingReview);
        assert_eq!(
            answer.return_requested.as_deref(),
            Some("2026-08-01T10:00:00.000000Z")
        );
        let never: ReturnRequested = serde_json::from_value(json!({
            "id": "60d9aadeb86739de712faee0", "status": "ACTIVE", "return_requested": null
        }))
        .unwrap();
        assert_eq!((never.participant, never.return_requested), (None, None));
    }

    #[test]
    fn a_review_is_sent_with_its_reason() {
        let reject = Review::Reject {
            message: "m".repeat(100),
            category: RejectionCategory::LowEffort,
        };
        assert_eq!(
            serde_json::to_value(ReviewBody::from(&reject)).unwrap(),
            json!({"action": "REJECT", "message": "m".repeat(100), "rejection_category": "LOW_EFFORT"})
        );
        assert_eq!(
            serde_json::to_value(ReviewBody::from(&Review::Approve)).unwrap(),
            json!({"action": "APPROVE"})
        );
        assert_eq!(reject.outcome(), SubmissionStatus::Rejected);
    }
}
