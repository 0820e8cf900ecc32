//! The alert when many people fail the attention checks during collection: a check may
//! be unclear, or careless people are taking part, and pausing stops more of them from
//! being paid for it. The answers are read (as the results page reads them) every few
//! finished submissions, only while the study collects, and only for a study whose
//! batch carried checks; the alert is raised once.

use std::sync::{Arc, Mutex, PoisonError};

use super::{Notice, NoticeKind, StudyPhase, StudyProgress};
use crate::analysis::scorecard::Scorecard;
use crate::connection::Connections;
use crate::results::Results;
use crate::text;

/// People whose checks are known before their share is judged.
pub const CHECKS_ALERT_AT_LEAST: usize = 5;
/// The share of them who failed a check that raises the alert.
pub const CHECKS_ALERT_SHARE: f64 = 0.25;
/// Finished submissions between two readings of the answers.
const LOOK_EVERY: u32 = 5;

/// The alert for `card`, when enough people failed a check; `name` is the study's.
#[must_use]
pub fn failed_checks_alert(study_id: &str, name: &str, card: &Scorecard) -> Option<Notice> {
    let checked = card
        .participants
        .iter()
        .filter(|score| score.checks > 0)
        .count();
    let failing = card
        .participants
        .iter()
        .filter(|score| score.checks_failed > 0)
        .count();
    #[allow(clippy::cast_precision_loss)]
    let high =
        checked >= CHECKS_ALERT_AT_LEAST && failing as f64 >= CHECKS_ALERT_SHARE * checked as f64;
    high.then(|| Notice {
        study_id: study_id.to_owned(),
        kind: NoticeKind::ChecksFailing,
        title: text!("checks:notice.checksFailingTitle"),
        body: text!(
            "checks:notice.checksFailing",
            name = name,
            failing = failing,
            checked = checked
        ),
    })
}

/// What one poller remembers between rounds about the checks of its study.
#[derive(Debug, Default)]
pub(super) struct ChecksWatch {
    /// Finished submissions when the answers were last read.
    looked_at: u32,
    /// Nothing more to do: the alert was raised, or the study has no checks.
    done: bool,
}

/// The reader of answers a poller may use (the app's results, shared).
#[derive(Clone)]
pub(super) struct ChecksReader {
    pub(super) results: Arc<Results>,
    pub(super) watch: Arc<Mutex<ChecksWatch>>,
}

impl ChecksReader {
    /// Reads the answers when enough new people finished, and answers the alert when it
    /// is due. A failure to read is logged and tried again at the next step.
    pub(super) async fn look(
        &self,
        connections: &Connections,
        progress: &StudyProgress,
    ) -> Option<Notice> {
        if progress.phase != StudyPhase::Collecting {
            return None;
        }
        let finished = progress.submissions.awaiting_review
            + progress.submissions.approved
            + progress.submissions.rejected;
        {
            let watch = self.watch.lock().unwrap_or_else(PoisonError::into_inner);
            if watch.done || finished < watch.looked_at + LOOK_EVERY {
                return None;
            }
        }
        let study_id = &progress.study_id;
        let read = async {
            self.results
                .summary(connections, study_id, true, |_| {})
                .await?;
            self.results.scorecard(study_id).await
        };
        let card = match read.await {
            Ok(card) => card.card,
            Err(error) => {
                tracing::warn!(study = %study_id, %error, "the answers could not be read for the checks");
                return None;
            }
        };
        let mut watch = self.watch.lock().unwrap_or_else(PoisonError::into_inner);
        watch.looked_at = finished;
        if card.participants.iter().all(|score| score.checks == 0) {
            // A study without checks: its answers are not read again.
            watch.done = true;
            return None;
        }
        let name = if progress.internal_name.is_empty() {
            &progress.title
        } else {
            &progress.internal_name
        };
        let alert = failed_checks_alert(study_id, name, &card);
        watch.done = alert.is_some();
        alert
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::scorecard::ParticipantScore;

    fn person(checks: u32, failed: u32) -> ParticipantScore {
        ParticipantScore {
            participant_id: format!("p{checks}{failed}"),
            items: 6,
            compared: 0,
            agreed: 0,
            seconds: None,
            speed: None,
            known: 0,
            known_right: 0,
            checks,
            checks_failed: failed,
            flags: Vec::new(),
            draft_rejection: None,
        }
    }

    fn card(people: Vec<ParticipantScore>) -> Scorecard {
        Scorecard {
            participants: people,
            median_seconds: None,
            typical_agreement: None,
            typical_known_right: None,
        }
    }

    #[test]
    fn a_quarter_failing_among_five_or_more_raises_the_alert() {
        let calm = card(vec![
            person(2, 0),
            person(2, 0),
            person(2, 0),
            person(2, 1),
            person(2, 0),
        ]);
        assert_eq!(failed_checks_alert("s", "Reviews", &calm), None);
        let few = card(vec![person(2, 2), person(2, 2), person(2, 0), person(2, 0)]);
        assert_eq!(
            failed_checks_alert("s", "Reviews", &few),
            None,
            "too few to judge"
        );
        let many = card(vec![
            person(2, 2),
            person(2, 1),
            person(2, 0),
            person(2, 0),
            person(2, 0),
        ]);
        let alert = failed_checks_alert("s", "Reviews", &many).unwrap();
        assert_eq!(alert.kind, NoticeKind::ChecksFailing);
        assert!(
            alert.body.to_string().contains("2 of the 5 people"),
            "{}",
            alert.body
        );
        let unchecked = card(vec![person(0, 0); 6]);
        assert_eq!(failed_checks_alert("s", "Reviews", &unchecked), None);
    }
}
