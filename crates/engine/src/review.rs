//! Reviewing participants' submissions on the researcher's word: approve (the
//! participant is paid), reject with a reason and a message of at least 100 characters
//! (Prolific's rule; the scorecard drafts one from its evidence), or ask the participant
//! to return it (Prolific writes them a message from the reasons given; if they return
//! it they are not paid and their place reopens for someone else). One participant, or a
//! selection at once, each person reviewed in turn.
//!
//! One money action at a time, journaled like every payment (`review` started and done
//! under `study/<id>`, per person), and idempotent: a submission already as decided (an
//! answer lost, a second click, a person chosen twice) is reported so and nothing is
//! sent again; a request whose answer was lost is looked up before it is sent again
//! (the client's `create_or_find`); a submission reviewed otherwise is reported, never
//! changed.
//!
//! **A second round's people are reviewed in their own study.** A study's page shows its
//! second rounds' people too (their answers are merged into its results), but each
//! submitted in the round's study: a decision about one of them goes to that study, and
//! is journaled there (`study/<round>`), as it would be from the round's own page.

use std::collections::HashSet;

use batchdesk_prolific::Client;
use batchdesk_prolific::models::{
    RejectionCategory, ReturnRequested, Review, Submission, SubmissionStatus,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::analysis::scorecard::RejectReason;
use crate::connection::{AccountMode, Connections};
use crate::error_code::Coded;
use crate::money_lock;
use crate::monitor::{FactsCache, StudyProgress, read_progress};
use crate::results::Results;
pub use crate::review_state::ReviewState;
use crate::store::Store;
use crate::study_actions::ActionError;
use crate::text::Text;

/// Prolific's minimum length for a rejection message.
pub const MIN_REJECTION_MESSAGE: usize = 100;

/// What the researcher decided for a participant's submission.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(tag = "decision", rename_all = "camelCase")]
pub enum ReviewDecision {
    Approve,
    Reject {
        reason: RejectReason,
        message: String,
    },
    /// Ask them to return it, for these reasons (at least one; Prolific writes the
    /// message to the participant from them).
    AskToReturn {
        reasons: Vec<String>,
    },
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

/// What became of one chosen person in a review of a selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PersonOutcome {
    /// Sent to Prolific now.
    Done { state: ReviewState },
    /// Already as decided (reviewed or asked before): nothing was sent.
    Already { state: ReviewState },
    /// Not done, for this reason (the error's catalogue sentence); the others went ahead.
    Refused { reason: Text },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonReviewed {
    pub participant_id: String,
    pub outcome: PersonOutcome,
}

/// A selection reviewed at once: each person's outcome, in the order chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SelectionReviewed {
    pub people: Vec<PersonReviewed>,
    /// The study as read afterwards; `None` when it could not be read.
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

/// A decision checked and put as Prolific takes it, before anything is sent.
enum Planned {
    Review(Review),
    AskToReturn(Vec<String>),
}

impl Planned {
    fn of(decision: &ReviewDecision) -> Result<Self, ActionError> {
        Ok(match decision {
            ReviewDecision::Approve => Self::Review(Review::Approve),
            ReviewDecision::Reject { reason, message } => {
                let length = message.trim().chars().count();
                if length < MIN_REJECTION_MESSAGE {
                    return Err(ActionError::MessageTooShort { length });
                }
                Self::Review(Review::Reject {
                    message: message.trim().to_owned(),
                    category: category(*reason),
                })
            }
            ReviewDecision::AskToReturn { reasons } => {
                let reasons: Vec<String> = reasons
                    .iter()
                    .map(|reason| reason.trim().to_owned())
                    .collect();
                if reasons.is_empty() || reasons.iter().any(String::is_empty) {
                    return Err(ActionError::NoReturnReason);
                }
                Self::AskToReturn(reasons)
            }
        })
    }

    /// Whether a submission in `state` is already as decided.
    fn done_in(&self, state: ReviewState) -> bool {
        match self {
            Self::Review(review) => state == ReviewState::of(&review.outcome()),
            Self::AskToReturn(_) => {
                matches!(state, ReviewState::ReturnRequested | ReviewState::Returned)
            }
        }
    }
}

/// Whether it came about now or was so before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Settled {
    Now,
    Before,
}

/// The study's submissions, read whole (a part would hide whom to review).
async fn study_submissions(
    client: &Client,
    study_id: &str,
) -> Result<Vec<Submission>, ActionError> {
    Ok(client
        .submissions(study_id, None)
        .await?
        .whole("the study's submissions")?)
}

/// The one of `participant_id`'s submissions a decision is about. A participant who
/// returned and came back has several: the one awaiting review, else the one under way,
/// else the one reviewed.
fn submission_of<'a>(
    submissions: &'a [Submission],
    participant_id: &str,
) -> Option<&'a Submission> {
    submissions
        .iter()
        .filter(|submission| submission.participant_id.as_deref() == Some(participant_id))
        .max_by_key(|submission| match submission.status {
            SubmissionStatus::AwaitingReview => 3,
            SubmissionStatus::Active => 2,
            SubmissionStatus::Approved
            | SubmissionStatus::Rejected
            | SubmissionStatus::PartiallyApproved => 1,
            _ => 0,
        })
}

/// The submissions a study's page can review, read under the money lock: the study's
/// own, and its second rounds' once someone not in it is chosen.
struct Reviewable {
    study_id: String,
    own: Vec<Submission>,
    /// Each second round's id and submissions, read when first needed.
    rounds: Option<Vec<(String, Vec<Submission>)>>,
}

impl Reviewable {
    async fn read(client: &Client, study_id: &str) -> Result<Self, ActionError> {
        Ok(Self {
            study_id: study_id.to_owned(),
            own: study_submissions(client, study_id).await?,
            rounds: None,
        })
    }

    /// The study `participant_id` submitted in, with its submissions: this study when
    /// they took part in it, else the second round they took part in.
    async fn of(
        &mut self,
        client: &Client,
        store: &Store,
        mode: AccountMode,
        participant_id: &str,
    ) -> Result<(&str, &[Submission]), ActionError> {
        if submission_of(&self.own, participant_id).is_some() {
            return Ok((&self.study_id, &self.own));
        }
        if self.rounds.is_none() {
            let mut rounds = Vec::new();
            for round in crate::results::second_rounds_of(store, mode, &self.study_id)? {
                let submissions = study_submissions(client, &round).await?;
                rounds.push((round, submissions));
            }
            self.rounds = Some(rounds);
        }
        self.rounds
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|(_, submissions)| submission_of(submissions, participant_id).is_some())
            .map(|(round, submissions)| (round.as_str(), submissions.as_slice()))
            .ok_or_else(|| ActionError::NoSubmission {
                participant: participant_id.to_owned(),
            })
    }
}

/// What one person needs to carry out a decision: the client, the store and the
/// results (whose record notes each outcome).
struct Reviewer<'a> {
    client: &'a Client,
    store: &'a Store,
    results: &'a Results,
}

impl Reviewer<'_> {
    /// Carries out `decision` for one participant, of `submissions` to `study_id` as
    /// read under the money lock: nothing is sent when their submission is already as
    /// decided.
    async fn one(
        &self,
        study_id: &str,
        submissions: &[Submission],
        participant_id: &str,
        decision: &ReviewDecision,
        planned: &Planned,
    ) -> Result<(Settled, ReviewState), ActionError> {
        let submission = submission_of(submissions, participant_id).ok_or_else(|| {
            ActionError::NoSubmission {
                participant: participant_id.to_owned(),
            }
        })?;
        let now = ReviewState::of_submission(submission);
        if planned.done_in(now) {
            // Done before (an answer lost, or a second click): nothing is sent again.
            self.results.note_review(study_id, participant_id, now);
            return Ok((Settled::Before, now));
        }
        match planned {
            Planned::Review(_) if now != ReviewState::AwaitingReview => {
                return Err(ActionError::NotAwaitingReview {
                    participant: participant_id.to_owned(),
                    status: now.words(&submission.status),
                });
            }
            Planned::AskToReturn(_)
                if !matches!(
                    submission.status,
                    SubmissionStatus::Active | SubmissionStatus::AwaitingReview
                ) =>
            {
                return Err(ActionError::CannotAskToReturn {
                    participant: participant_id.to_owned(),
                    status: now.words(&submission.status),
                });
            }
            _ => {}
        }
        let launch = format!("study/{study_id}");
        let detail = serde_json::json!({
            "participant": participant_id,
            "submission": submission.id,
            "decision": decision,
        })
        .to_string();
        self.store
            .journal_with(&launch, "review", "started", Some(study_id), &detail)?;
        let state = match planned {
            Planned::Review(review) => {
                let reviewed = self
                    .client
                    .review_submission(&submission.id, review)
                    .await?;
                ReviewState::of_submission(&reviewed)
            }
            Planned::AskToReturn(reasons) => {
                let asked: ReturnRequested =
                    self.client.request_return(&submission.id, reasons).await?;
                // Asked, whatever the answer's status says of the moment before.
                match ReviewState::of_request(&asked.status, asked.return_requested.as_deref()) {
                    ReviewState::Returned => ReviewState::Returned,
                    _ => ReviewState::ReturnRequested,
                }
            }
        };
        self.store
            .journal_with(&launch, "review", "done", Some(study_id), &detail)?;
        self.results.note_review(study_id, participant_id, state);
        Ok((Settled::Now, state))
    }
}

/// Approves, rejects or asks to return `participant_id`'s submission to `study_id` (or
/// to the second round of it they took part in), as decided.
///
/// # Errors
/// A rejection message under 100 characters, a request to return without a reason, no
/// submission of that participant, one already reviewed the other way (or that can no
/// longer be asked for back), another money action under way, or Prolific refusing.
pub async fn review_participant(
    connections: &Connections,
    facts: &FactsCache,
    results: &Results,
    study_id: &str,
    participant_id: &str,
    decision: &ReviewDecision,
) -> Result<ReviewOutcome, ActionError> {
    let planned = Planned::of(decision)?;
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let mut reviewable = Reviewable::read(&client, study_id).await?;
    let (submitted_in, submissions) = reviewable.of(&client, store, mode, participant_id).await?;
    let reviewer = Reviewer {
        client: &client,
        store,
        results,
    };
    let (_, state) = reviewer
        .one(
            submitted_in,
            submissions,
            participant_id,
            decision,
            &planned,
        )
        .await?;
    Ok(ReviewOutcome {
        participant_id: participant_id.to_owned(),
        state,
        progress: read_progress(&client, study_id, facts).await.ok(),
    })
}

/// The same decision for each of `participant_ids` (in that order, each once): one
/// person at a time, each journaled, those already as decided skipped. A refusal for one
/// person (reviewed otherwise, no submission, Prolific refusing) is their outcome, and
/// the others go ahead. A rejection's message is the same for everyone.
///
/// # Errors
/// Only what stops everyone before anyone is reviewed: a rejection message under 100
/// characters, a request to return without a reason, no connection, another money
/// action under way, or the study's submissions not read whole.
pub async fn review_participants(
    connections: &Connections,
    facts: &FactsCache,
    results: &Results,
    study_id: &str,
    participant_ids: &[String],
    decision: &ReviewDecision,
) -> Result<SelectionReviewed, ActionError> {
    let planned = Planned::of(decision)?;
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let mut reviewable = Reviewable::read(&client, study_id).await?;
    let reviewer = Reviewer {
        client: &client,
        store,
        results,
    };
    let mut seen = HashSet::new();
    let mut people = Vec::new();
    for participant_id in participant_ids {
        if !seen.insert(participant_id.as_str()) {
            continue;
        }
        let done = match reviewable.of(&client, store, mode, participant_id).await {
            Ok((submitted_in, submissions)) => {
                reviewer
                    .one(
                        submitted_in,
                        submissions,
                        participant_id,
                        decision,
                        &planned,
                    )
                    .await
            }
            Err(error) => Err(error),
        };
        let outcome = match done {
            Ok((Settled::Now, state)) => PersonOutcome::Done { state },
            Ok((Settled::Before, state)) => PersonOutcome::Already { state },
            Err(error) => {
                tracing::warn!(study = %study_id, participant = %participant_id, %error, "one of a selection was not reviewed");
                PersonOutcome::Refused {
                    reason: error.text(),
                }
            }
        };
        people.push(PersonReviewed {
            participant_id: participant_id.clone(),
            outcome,
        });
    }
    Ok(SelectionReviewed {
        people,
        progress: read_progress(&client, study_id, facts).await.ok(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_request_to_return_needs_a_reason_and_none_blank() {
        for reasons in [vec![], vec!["Did not finish".to_owned(), "  ".to_owned()]] {
            let refused = Planned::of(&ReviewDecision::AskToReturn { reasons });
            assert!(matches!(refused, Err(ActionError::NoReturnReason)));
        }
        let Ok(Planned::AskToReturn(reasons)) = Planned::of(&ReviewDecision::AskToReturn {
            reasons: vec![" Did not finish ".to_owned()],
        }) else {
            panic!("a reason is enough");
        };
        assert_eq!(reasons, ["Did not finish"]);
    }

    #[test]
    fn a_submission_asked_for_back_waits_for_its_participant() {
        let read = |status: &str, requested: Option<&str>| {
            ReviewState::of_request(&SubmissionStatus::from(status), requested)
        };
        let moment = Some("2026-08-01T10:00:00Z");
        assert_eq!(
            read("AWAITING REVIEW", moment),
            ReviewState::ReturnRequested
        );
        assert_eq!(read("ACTIVE", moment), ReviewState::ReturnRequested);
        assert_eq!(read("RETURNED", moment), ReviewState::Returned);
        assert_eq!(read("APPROVED", moment), ReviewState::Approved);
        assert_eq!(read("AWAITING REVIEW", None), ReviewState::AwaitingReview);
        assert_eq!(read("ACTIVE", None), ReviewState::Other);
        let asking = Planned::AskToReturn(vec!["x".to_owned()]);
        assert!(
            asking.done_in(ReviewState::Returned) && asking.done_in(ReviewState::ReturnRequested)
        );
        assert!(!asking.done_in(ReviewState::AwaitingReview));
        assert!(Planned::Review(Review::Approve).done_in(ReviewState::Approved));
    }

    #[test]
    fn decisions_cross_to_the_ui_tagged() {
        let asked: ReviewDecision = serde_json::from_value(serde_json::json!({
            "decision": "askToReturn", "reasons": ["Did not finish"]
        }))
        .unwrap();
        assert_eq!(
            asked,
            ReviewDecision::AskToReturn {
                reasons: vec!["Did not finish".to_owned()]
            }
        );
        assert_eq!(
            serde_json::to_value(PersonOutcome::Refused {
                reason: crate::text!("errors:studyActions.noReturnReason")
            })
            .unwrap(),
            serde_json::json!({
                "kind": "refused",
                "reason": {"key": "errors:studyActions.noReturnReason", "params": {}}
            })
        );
    }
}
