//! Studies that point at a Task Builder batch (API-NOTES §7) and the submissions their
//! simulated participants make.
//!
//! Like processing, participation is worked out on read: publishing plans every place's
//! submission with the moments it is reserved, started and finished (one participant
//! every `pace`), and a submission's status is whichever of those moments have passed.
//! A pace of zero means every place is taken and finished by the next read.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::Workspace;
use crate::clock::Moment;
use crate::dropout::Ending;
use crate::kinds::Kind;

/// The statuses a study keeps; `AWAITING REVIEW` and the end of recruiting are worked
/// out from its submissions on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Stage {
    Unpublished,
    Scheduled,
    Active,
    Paused,
    Completed,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Study {
    pub(crate) id: String,
    /// The create body's fields as accepted (and as changed by PATCH), echoed on read.
    pub(crate) fields: Map<String, Value>,
    pub(crate) workspace_id: String,
    pub(crate) batch_id: Option<Uuid>,
    pub(crate) stage: Stage,
    pub(crate) date_created: Moment,
    /// When it was published, or (while `SCHEDULED`) when it will be.
    pub(crate) published_at: Option<Moment>,
    /// Funds locked at publishing, in minor units.
    pub(crate) committed: i64,
    pub(crate) submissions: Vec<Submission>,
    /// The demographic exports asked for (`demographic-export/`).
    #[serde(default, skip_serializing_if = "DemographicExports::is_empty")]
    pub(crate) demographic_exports: DemographicExports,
}

/// The demographic export's usage of a study: each different filter combination asked
/// for (Prolific allows two), and the latest request's filters.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct DemographicExports {
    pub(crate) combinations: Vec<Value>,
    pub(crate) latest: Value,
}

impl DemographicExports {
    pub(crate) fn is_empty(&self) -> bool {
        self.combinations.is_empty()
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Submission {
    pub(crate) id: String,
    /// The place this submission fills (0-based); a rejected place is filled again by a
    /// new submission with the same place, so it answers the same task group.
    pub(crate) place: u64,
    pub(crate) participant_id: String,
    pub(crate) reserved_at: Moment,
    pub(crate) started_at: Moment,
    /// When it ends: finished, returned or timed out, as `ending` says.
    pub(crate) finished_at: Moment,
    #[serde(default)]
    pub(crate) ending: Ending,
    pub(crate) study_code: String,
    /// Set by a review; final.
    pub(crate) review: Option<Review>,
    /// How long the participant took, in seconds, as Prolific would measure it: drawn
    /// around the study's estimate, since the practice clock is compressed (one
    /// participant every `pace`). None for a returned submission.
    #[serde(default)]
    pub(crate) time_taken: Option<u64>,
    /// The participant's kind (see `kinds`), recorded when the place was planned under a
    /// crowd mix. None without one (and in states saved before kinds): the participant
    /// answers as before kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<Kind>,
    /// Bonuses paid on it, minor units, one entry per payment (a bulk bonus paid twice
    /// shows twice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) bonus_payments: Vec<i64>,
    /// The researcher asked the participant to return it (`request-return/`); set once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) return_request: Option<ReturnRequest>,
}

/// A researcher's request that a participant return their submission, and when the
/// simulated participant does so.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ReturnRequest {
    /// When it was asked for: the `return_requested` every read answers.
    pub(crate) asked_at: Moment,
    /// When the participant returns it: a quarter of a pace after being asked (so at
    /// once with a pace of zero, and after `advance_clock` otherwise), worked out on read
    /// like every other step of a submission.
    pub(crate) returns_at: Moment,
    /// The reasons given, as sent.
    pub(crate) reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Review {
    Approved,
    Rejected,
}

impl Submission {
    pub(crate) fn status(&self) -> &'static str {
        match self.review {
            Some(Review::Approved) => "APPROVED",
            Some(Review::Rejected) => "REJECTED",
            None if self.returned_on_request() => "RETURNED",
            None if self.finished_at.has_passed() => match self.ending {
                Ending::Finishes => "AWAITING REVIEW",
                Ending::Returns => "RETURNED",
                Ending::TimesOut => "TIMED-OUT",
            },
            None if self.started_at.has_passed() => "ACTIVE",
            None => "RESERVED",
        }
    }

    /// Whether the participant has shown up at all: a planned submission whose
    /// reservation lies ahead does not exist yet for anyone reading.
    pub(crate) fn exists(&self) -> bool {
        self.reserved_at.has_passed()
    }

    /// Whether it holds its place (a rejected, returned or timed-out one gave it back).
    pub(crate) fn holds_place(&self) -> bool {
        self.review != Some(Review::Rejected)
            && !self.returned_on_request()
            && (self.ending == Ending::Finishes || !self.finished_at.has_passed())
    }

    /// Whether its participant has returned it because the researcher asked them to.
    /// A review made before they did stands (though `transition` refuses one while a
    /// return is pending).
    pub(crate) fn returned_on_request(&self) -> bool {
        self.review.is_none()
            && self
                .return_request
                .as_ref()
                .is_some_and(|request| request.returns_at.has_passed())
    }

    /// Whether the researcher asked for it back and the participant has not returned
    /// it yet.
    pub(crate) fn return_pending(&self) -> bool {
        self.review.is_none() && self.return_request.is_some() && !self.returned_on_request()
    }

    /// `return_requested` as answered: when the researcher asked for it back.
    pub(crate) fn return_requested(&self) -> Option<String> {
        self.return_request
            .as_ref()
            .map(|request| request.asked_at.timestamp())
    }

    /// When its participant gives the place back: a planned return or time-out at its
    /// end, a return the researcher asked for when the participant answers the request;
    /// `None` for one who finishes and keeps it.
    pub(crate) fn leaves_at(&self) -> Option<Moment> {
        match &self.return_request {
            Some(request) if self.review.is_none() => Some(request.returns_at),
            _ => (self.ending != Ending::Finishes).then_some(self.finished_at),
        }
    }

    /// Whether nothing more happens to it: reviewed, or ended without finishing
    /// (returned or timed out). One still to be reviewed, under way or planned is not.
    pub(crate) fn is_final(&self) -> bool {
        matches!(
            self.status(),
            "APPROVED" | "REJECTED" | "RETURNED" | "TIMED-OUT"
        )
    }

    /// Whether the participant has finished the work (and entered the code).
    /// One returned on request has not: it ends `RETURNED`, without its code.
    pub(crate) fn completed(&self) -> bool {
        self.ending == Ending::Finishes
            && self.finished_at.has_passed()
            && !self.returned_on_request()
    }

    /// `Submission` and `SubmissionDetail`, the fields they share.
    pub(crate) fn detail_json(&self, study_id: &str) -> Value {
        let finished = self.completed();
        json!({
            "id": self.id,
            "participant": self.participant_id,
            "study_id": study_id,
            "status": self.status(),
            "started_at": self.started_at.timestamp(),
            "completed_at": finished.then(|| self.finished_at.timestamp()),
            "entered_code": finished.then(|| self.study_code.clone()),
            "time_taken": self.time_taken_so_far(),
        })
    }

    /// `time_taken` as answered: known once the submission has ended. The spec's
    /// submission schemas do not list the field, but it is one of the fields Prolific
    /// sorts a study's submissions by, and Prolific answers it; a client must still
    /// cope with its absence.
    fn time_taken_so_far(&self) -> Option<u64> {
        self.time_taken
            .filter(|_| self.finished_at.has_passed() && !self.returned_on_request())
    }

    /// `SubmissionShort`.
    pub(crate) fn short_json(&self) -> Value {
        let finished = self.completed();
        json!({
            "id": self.id,
            "participant_id": self.participant_id,
            "status": self.status(),
            "started_at": self.started_at.timestamp(),
            "completed_at": finished.then(|| self.finished_at.timestamp()),
            "has_siblings": false,
            "study_code": finished.then(|| self.study_code.clone()),
            "return_requested": self.return_requested(),
            "time_taken": self.time_taken_so_far(),
        })
    }
}

impl Study {
    pub(crate) fn places(&self) -> u64 {
        self.fields
            .get("total_available_places")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }

    pub(crate) fn reward(&self) -> i64 {
        self.fields
            .get("reward")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }

    /// Whether it has left the draft stage: a scheduled study counts, its funds are
    /// locked and its places planned.
    pub(crate) fn is_published(&self) -> bool {
        self.stage != Stage::Unpublished
    }

    /// The stage now: a scheduled study whose moment has come is active.
    pub(crate) fn current_stage(&self) -> Stage {
        match (self.stage, self.published_at) {
            (Stage::Scheduled, Some(at)) if at.has_passed() => Stage::Active,
            (stage, _) => stage,
        }
    }

    /// When it was published, once it has been (not while it waits for its schedule).
    pub(crate) fn published_moment(&self) -> Option<Moment> {
        self.published_at.filter(Moment::has_passed)
    }

    /// The submissions anyone can see now.
    pub(crate) fn visible_submissions(&self) -> impl Iterator<Item = &Submission> {
        self.submissions
            .iter()
            .filter(|submission| submission.exists())
    }

    /// The status as Prolific shows it. An active study whose places are all taken and
    /// finished waits for review; once none of its submissions awaits review (every one
    /// was approved or rejected, or ended without finishing: returned or timed out, which
    /// nobody reviews) it is completed.
    pub(crate) fn status(&self) -> &'static str {
        match self.current_stage() {
            Stage::Unpublished => "UNPUBLISHED",
            Stage::Scheduled => "SCHEDULED",
            Stage::Paused => "PAUSED",
            Stage::Completed => "COMPLETED",
            Stage::Active => {
                let finished = self
                    .visible_submissions()
                    .filter(|submission| submission.holds_place() && submission.completed())
                    .count() as u64;
                let places = self.places();
                if places == 0 || finished < places {
                    "ACTIVE"
                } else if self.submissions.iter().all(Submission::is_final) {
                    "COMPLETED"
                } else {
                    "AWAITING REVIEW"
                }
            }
        }
    }

    /// `estimated_completion_time`, in minutes.
    pub(crate) fn estimate_minutes(&self) -> f64 {
        self.fields
            .get("estimated_completion_time")
            .and_then(Value::as_f64)
            .unwrap_or(1.0)
    }

    /// `maximum_allowed_time` in minutes, or where the study has none, the least
    /// Prolific allows for its estimate t: 2 + 2t + 2√t.
    pub(crate) fn allowed_minutes(&self) -> f64 {
        let estimate = self.estimate_minutes();
        self.fields
            .get("maximum_allowed_time")
            .and_then(Value::as_f64)
            .unwrap_or(2.0 + 2.0 * estimate + 2.0 * estimate.sqrt())
    }

    /// What one approved submission costs: its reward with fees and VAT.
    fn per_place(&self) -> i64 {
        total_cost(self.reward(), 1)
    }

    /// Approves a submission awaiting review and pays for it from the funds locked at
    /// publishing. False when it is not awaiting review, or its participant was asked to
    /// return it and has not yet (see `transition`).
    pub(crate) fn approve(&mut self, index: usize, workspace: &mut Workspace) -> bool {
        let Some(submission) = self.submissions.get_mut(index) else {
            return false;
        };
        if submission.status() != "AWAITING REVIEW" || submission.return_pending() {
            return false;
        }
        submission.review = Some(Review::Approved);
        let amount = self.per_place().min(self.committed);
        self.committed -= amount;
        workspace.pay(amount);
        true
    }

    /// On stopping: funds locked for places nobody holds go back to the workspace;
    /// those for submissions still to be reviewed stay locked.
    pub(crate) fn release_unused(&mut self, workspace: &mut Workspace) {
        let pending = self
            .submissions
            .iter()
            .filter(|submission| submission.holds_place() && submission.review.is_none())
            .count() as i64;
        let keep = self.per_place().saturating_mul(pending).min(self.committed);
        workspace.release(self.committed - keep);
        self.committed = keep;
    }

    /// Drops planned submissions nobody has reserved yet (pausing or stopping).
    pub(crate) fn stop_recruiting(&mut self) {
        self.submissions.retain(Submission::exists);
    }

    /// The `COMPLETED` code participants enter.
    pub(crate) fn completed_code(&self) -> String {
        self.fields
            .get("completion_codes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|code| code["code_type"] == "COMPLETED")
            .and_then(|code| code["code"].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// Places taken (by submissions that hold one) and all submissions made.
    fn counts(&self) -> (u64, u64) {
        let visible: Vec<&Submission> = self.visible_submissions().collect();
        let taken = visible
            .iter()
            .filter(|submission| submission.holds_place())
            .count();
        (taken as u64, visible.len() as u64)
    }

    /// `Study`: the accepted fields plus what the server works out.
    pub(crate) fn to_json(&self, currency_code: &str) -> Value {
        let mut study = Value::Object(self.fields.clone());
        let (places_taken, submissions) = self.counts();
        study["id"] = json!(self.id);
        study["status"] = json!(self.status());
        study["is_ready_to_publish"] = json!(true);
        study["date_created"] = json!(self.date_created.timestamp());
        study["published_at"] = json!(self.published_moment().map(|at| at.timestamp()));
        study["places_taken"] = json!(places_taken);
        study["number_of_submissions"] = json!(submissions);
        study["total_cost"] = json!(total_cost(self.reward(), self.places()));
        study["currency_code"] = json!(currency_code);
        study["presentment_currency_code"] = json!(currency_code);
        study
    }

    /// `StudyShort`.
    pub(crate) fn short_json(&self) -> Value {
        let (places_taken, submissions) = self.counts();
        json!({
            "id": self.id,
            "name": self.fields.get("name"),
            "internal_name": self.fields.get("internal_name").cloned().unwrap_or(Value::Null),
            "status": self.status(),
            "estimated_completion_time": self.fields.get("estimated_completion_time"),
            "total_available_places": self.places(),
            "places_taken": places_taken,
            "number_of_submissions": submissions,
            "reward": self.reward(),
            "total_cost": total_cost(self.reward(), self.places()),
            "published_at": self.published_moment().map(|at| at.timestamp()),
            "publish_at": self.fields.get("publish_at").cloned().unwrap_or(Value::Null),
            "date_created": self.date_created.timestamp(),
            "is_ready_to_publish": true,
        })
    }

    /// `SubmissionsCountResponse`.
    pub(crate) fn counts_json(&self) -> Value {
        let mut counts: Map<String, Value> = [
            "ACTIVE",
            "APPROVED",
            "AWAITING REVIEW",
            "REJECTED",
            "RESERVED",
            "RETURNED",
            "TIMED-OUT",
            "PARTIALLY APPROVED",
            "SCREENED OUT",
        ]
        .into_iter()
        .map(|status| (status.to_owned(), json!(0)))
        .collect();
        let mut total = 0_u64;
        for submission in self.visible_submissions() {
            total += 1;
            if let Some(count) = counts.get_mut(submission.status()) {
                *count = json!(count.as_u64().unwrap_or(0) + 1);
            }
        }
        counts.insert("TOTAL".to_owned(), json!(total));
        Value::Object(counts)
    }
}

/// What a study costs in minor units: rewards, Prolific's service fee of a third of the
/// rewards, and VAT at 20% of the fee, so 1.4 × rewards, rounded up.
pub(crate) fn total_cost(reward: i64, places: u64) -> i64 {
    let rewards = reward.saturating_mul(i64::try_from(places).unwrap_or(i64::MAX));
    rewards.saturating_mul(7).saturating_add(4) / 5
}

/// The fee and the VAT charged on top of `rewards` (minor units), at the rates of
/// `total_cost`: together exactly `total_cost(rewards, 1) - rewards`, the VAT a fifth of
/// the fee (so a sixth of both), rounded down, the fee taking the rest.
pub(crate) fn fees_and_vat(rewards: i64) -> (i64, i64) {
    let on_top = total_cost(rewards, 1) - rewards;
    let vat = on_top / 6;
    (on_top - vat, vat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_is_rewards_plus_fee_and_vat() {
        assert_eq!(total_cost(100, 10), 1_400);
        assert_eq!(total_cost(1, 1), 2, "rounded up");
        assert_eq!(total_cost(0, 50), 0);
    }

    #[test]
    fn fees_and_vat_add_up_to_the_cost_above_the_rewards() {
        assert_eq!(fees_and_vat(150), (50, 10));
        assert_eq!(fees_and_vat(100), (34, 6));
        assert_eq!(fees_and_vat(1), (1, 0));
        assert_eq!(fees_and_vat(0), (0, 0));
        for rewards in 0..5_000 {
            let (fees, vat) = fees_and_vat(rewards);
            assert_eq!(rewards + fees + vat, total_cost(rewards, 1), "{rewards}");
            assert!(vat >= 0 && fees >= vat, "{rewards}: {fees} {vat}");
        }
    }
}
