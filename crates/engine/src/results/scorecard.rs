//! Each participant's scorecard from the loaded study (with the pilots' and second
//! rounds' people, their times and where their submissions stand), the known answers
//! the researcher points to, and reviews sent from here noted until the next download.
//! Answers quoted in its sentences read as participants saw them (option labels).

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;

use super::folder::{
    KNOWN, TIMES, read_saved_times, read_times, safe_folder_name, write_into_place,
};
use super::known::KnownAnswersChoice;
use super::pilot_answers::PilotLinks;
use super::second_round::RoundLinks;
use super::{Results, ResultsError, ResultsQuestion};
use crate::analysis::OptionLabel;
use crate::analysis::scorecard::{Scorecard, TimeTaken, scorecard};
use crate::review_state::ReviewState;

/// The scorecard with the known answers it used, as the results page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyScorecard {
    #[serde(flatten)]
    pub card: Scorecard,
    pub known_answers: Option<KnownAnswersChoice>,
    /// Where each participant's submission stands (this study's people and its second
    /// rounds'), as last downloaded and reviewed from here.
    pub states: HashMap<String, ReviewState>,
}

impl Results {
    /// Each participant's scorecard, worst first, from the last download (the answers
    /// as counted: with the pilots' when the researcher counted them in), with the
    /// known answers the researcher pointed to.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn scorecard(&self, study_id: &str) -> Result<StudyScorecard, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || {
            // The study's own record, read once: its times and its review states.
            let saved = read_saved_times(&folder);
            let mut states: HashMap<String, ReviewState> = saved
                .iter()
                .filter_map(|time| Some((time.participant_id.clone(), time.state?)))
                .collect();
            let mut times: Vec<TimeTaken> = saved.into_iter().map(TimeTaken::from).collect();
            let links = PilotLinks::read(&folder);
            if links.merged {
                for pilot in &links.pilot_studies {
                    times.extend(read_times(&folder.with_file_name(safe_folder_name(pilot))));
                }
            }
            // A second round's people are reviewed from here (in their own study), so
            // where their submissions stand is shown here too.
            for round in &RoundLinks::read(&folder).studies {
                let saved = read_saved_times(&folder.with_file_name(safe_folder_name(round)));
                for time in &saved {
                    if let Some(state) = time.state {
                        states.entry(time.participant_id.clone()).or_insert(state);
                    }
                }
                times.extend(saved.into_iter().map(TimeTaken::from));
            }
            // Known answers mixed into the groups at setup count until the researcher
            // says otherwise.
            let choice = KnownAnswersChoice::read_said(&folder)
                .unwrap_or_else(|| loaded.default_known.clone());
            let known = choice
                .as_ref()
                .and_then(|choice| choice.answers(loaded.original.as_ref()));
            let mut card = scorecard(
                &loaded.responses,
                &times,
                &loaded.question_names,
                known.as_ref(),
                &loaded.checks,
            );
            quote_labels(&mut card, &loaded.summary.questions);
            StudyScorecard {
                card,
                known_answers: choice,
                states,
            }
        })
        .await
        .map_err(|error| ResultsError::Io(std::io::Error::other(error)))
    }

    /// Notes a review sent from here in the study's downloaded record, so the scorecard
    /// shows it before the next download. A failure to note it is logged, not raised:
    /// the review itself was sent.
    pub fn note_review(&self, study_id: &str, participant_id: &str, state: ReviewState) {
        let folder = self.folder(study_id);
        let mut saved = read_saved_times(&folder);
        let mut changed = false;
        for time in saved
            .iter_mut()
            .filter(|time| time.participant_id == participant_id)
        {
            time.state = Some(state);
            changed = true;
        }
        if !changed {
            return;
        }
        let written = serde_json::to_vec(&saved)
            .map_err(std::io::Error::other)
            .and_then(|json| write_into_place(&folder.join(TIMES), &json[..]));
        if let Err(error) = written {
            tracing::warn!(%error, "a review could not be noted with the results");
        }
    }

    /// Says which data column holds the right answers to which choice question (or,
    /// with `None`, that none does), kept with the results; the scorecard as it then
    /// reads.
    ///
    /// # Errors
    /// When the study's results were never downloaded, or the choice cannot be saved.
    pub async fn set_known_answers(
        &self,
        study_id: &str,
        choice: Option<KnownAnswersChoice>,
    ) -> Result<StudyScorecard, ResultsError> {
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        let folder = self.folder(study_id);
        // Kept as said, `null` included: "none" stands over the batch's own known answers.
        let json = serde_json::to_vec(&choice).map_err(std::io::Error::other)?;
        write_into_place(&folder.join(KNOWN), &json[..])?;
        // The consensus pins the known items: analysed again with them.
        let from_cache = self
            .loaded_for(study_id)
            .await
            .is_some_and(|loaded| loaded.summary.from_cache);
        self.load(study_id, from_cache).await?;
        self.scorecard(study_id).await
    }
}

/// The options a choice answer holds (`value`, or values joined by `; `) as participants
/// read them, joined the same way; `None` when a part is not one of `options` or every
/// label is its value (nothing to change).
fn labelled(answer: &str, options: &[OptionLabel]) -> Option<String> {
    let labels: Vec<&str> = answer
        .split("; ")
        .map(|value| {
            options
                .iter()
                .find(|option| option.value == value)
                .map(|option| option.label.as_str())
        })
        .collect::<Option<_>>()?;
    let joined = labels.join("; ");
    (joined != answer).then_some(joined)
}

/// The spans of `text` between curly quotes (“…”), where the scorecard's sentences quote
/// an answer or a question.
fn quoted_spans(text: &str) -> Vec<&str> {
    text.split('“')
        .skip(1)
        .filter_map(|after| after.split_once('”').map(|(span, _)| span))
        .collect()
}

/// Writes the answers the scorecard's sentences quote (for the researcher, to the
/// participant, and in the drafted rejection) as participants read them: an answer
/// quoted beside a choice question's title, made of that question's option values,
/// becomes its labels. A participant never saw `not_enough_info`, only "Not enough
/// information", so a message to them must say the latter.
fn quote_labels(card: &mut Scorecard, questions: &[ResultsQuestion]) {
    for score in &mut card.participants {
        let mut said_again: Vec<(String, String)> = Vec::new();
        for flag in &mut score.flags {
            let quoted = quoted_spans(&flag.evidence);
            let Some(question) = questions.iter().find(|question| {
                !question.options.is_empty() && quoted.contains(&&*question.title)
            }) else {
                continue;
            };
            let swaps: Vec<(String, String)> = quoted
                .iter()
                .filter(|span| **span != question.title)
                .filter_map(|span| {
                    let labels = labelled(span, &question.options)?;
                    Some((format!("“{span}”"), format!("“{labels}”")))
                })
                .collect();
            let before = flag.to_participant.clone();
            for (value, label) in &swaps {
                flag.evidence = flag.evidence.replace(value, label);
                flag.to_participant = flag.to_participant.replace(value, label);
            }
            if flag.to_participant != before {
                said_again.push((before, flag.to_participant.clone()));
            }
        }
        if let Some(draft) = &mut score.draft_rejection {
            for (before, after) in &said_again {
                draft.message = draft.message.replace(before, after);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::analysis::QuestionKind;
    use crate::analysis::scorecard::{
        DraftRejection, Flag, FlagKind, ParticipantScore, RejectReason,
    };

    fn option(value: &str, label: &str) -> OptionLabel {
        OptionLabel {
            value: value.to_owned(),
            label: label.to_owned(),
        }
    }

    fn verdict() -> ResultsQuestion {
        ResultsQuestion {
            id: "q1".to_owned(),
            title: "Does the source support the claim?".to_owned(),
            kind: QuestionKind::MultipleChoice,
            options: vec![
                option("supported", "Supported"),
                option("not_enough_info", "Not enough information"),
            ],
        }
    }

    #[test]
    fn an_answer_reads_as_its_labels_when_every_value_is_an_option() {
        let options = verdict().options;
        assert_eq!(
            labelled("not_enough_info", &options).as_deref(),
            Some("Not enough information")
        );
        assert_eq!(
            labelled("not_enough_info; supported", &options).as_deref(),
            Some("Not enough information; Supported")
        );
        assert_eq!(labelled("maybe", &options), None, "an unknown value");
        assert_eq!(labelled("supported; maybe", &options), None);
        assert_eq!(
            labelled("same", &[option("same", "same")]),
            None,
            "nothing to change"
        );
        assert_eq!(
            quoted_spans("Answered “a; b” to all 5 items of “Q?”; on 3."),
            ["a; b", "Q?"]
        );
    }

    #[test]
    fn the_scorecard_quotes_the_options_participants_read_in_its_evidence_and_draft() {
        let to_participant = "you gave the answer “not_enough_info” to every item, also where \
                              the item clearly called for another";
        let copied = "you wrote the same answer (“not_enough_info”) on 4 items";
        let mut card = Scorecard {
            participants: vec![ParticipantScore {
                participant_id: "p1".to_owned(),
                items: 8,
                compared: 8,
                agreed: 1,
                seconds: None,
                speed: None,
                known: 0,
                known_right: 0,
                checks: 0,
                checks_failed: 0,
                flags: vec![
                    Flag {
                        kind: FlagKind::SameAnswerToEverything,
                        evidence: "Answered “not_enough_info” to all 8 items of “Does the \
                                   source support the claim?”; on 6 of them most others \
                                   chose another answer."
                            .to_owned(),
                        to_participant: to_participant.to_owned(),
                    },
                    // Written text that happens to be a value is what they wrote: kept.
                    Flag {
                        kind: FlagKind::CopiedText,
                        evidence: "Wrote “not_enough_info” on 4 items.".to_owned(),
                        to_participant: copied.to_owned(),
                    },
                ],
                draft_rejection: Some(DraftRejection {
                    reason: RejectReason::LowEffort,
                    message: format!(
                        "Thank you. We cannot approve it: {to_participant}; and {copied}."
                    ),
                }),
            }],
            median_seconds: None,
            typical_agreement: None,
            typical_known_right: None,
        };
        quote_labels(&mut card, &[verdict()]);
        let score = &card.participants[0];
        assert_eq!(
            score.flags[0].evidence,
            "Answered “Not enough information” to all 8 items of “Does the source support \
             the claim?”; on 6 of them most others chose another answer."
        );
        let said = "you gave the answer “Not enough information” to every item, also where \
                    the item clearly called for another";
        assert_eq!(score.flags[0].to_participant, said);
        assert_eq!(
            score.flags[1].evidence,
            "Wrote “not_enough_info” on 4 items."
        );
        assert_eq!(score.flags[1].to_participant, copied);
        assert_eq!(
            score.draft_rejection.as_ref().unwrap().message,
            format!("Thank you. We cannot approve it: {said}; and {copied}.")
        );
    }
}
