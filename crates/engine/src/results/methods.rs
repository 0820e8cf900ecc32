//! A methods paragraph a researcher can paste into a paper, from the study as Prolific
//! holds it (pay, dates, who was rejected or gave up) and its results as downloaded
//! (items, people per item, agreement with a bootstrap interval, how labels were
//! consolidated, attention checks and known answers, pilots counted in). Every number in
//! it is also given on its own, for a table.

use batchdesk_prolific::models::SubmissionStatus;
use serde::Serialize;
use specta::Type;

use super::intervals::QuestionInterval;
use super::loaded::Loaded;
use super::{Results, ResultsError};
use crate::analysis::bootstrap::AlphaInterval;
use crate::connection::Connections;
use crate::text::money_from;

/// Agreement on one choice question, for the paragraph and a table.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionAgreementFacts {
    pub question: String,
    pub alpha: Option<f64>,
    pub interval: Option<AlphaInterval>,
    pub percent_agreement: Option<f64>,
    pub items_rated: u32,
}

/// The paragraph and the facts it states.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MethodsReport {
    pub paragraph: String,
    pub items: u32,
    pub participants: u32,
    /// The median number of people who answered an item.
    pub people_per_item: Option<u32>,
    pub reward: Option<String>,
    /// Pay per hour at the median time people took.
    pub hourly_at_median: Option<String>,
    #[specta(type = Option<u32>)]
    pub median_seconds: Option<u64>,
    pub agreement: Vec<QuestionAgreementFacts>,
    pub rejected: u32,
    pub returned_or_timed_out: u32,
}

impl Results {
    /// The methods report of `study_id` from its last download; the study's pay and
    /// dates are read from Prolific when it can be reached, and left out when not.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn methods(
        &self,
        connections: &Connections,
        study_id: &str,
    ) -> Result<MethodsReport, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let card = self.scorecard(study_id).await?;
        // The agreement panel's intervals: kept once worked out, for both.
        let intervals = self.alpha_intervals(study_id).await?;
        let study = match connections.client().await {
            Ok((_, client)) => client.study(study_id).await.ok(),
            Err(_) => None,
        };
        let counted = {
            let loaded = std::sync::Arc::clone(&loaded);
            tokio::task::spawn_blocking(move || agreement_facts(&loaded, &intervals))
                .await
                .map_err(|error| ResultsError::Io(std::io::Error::other(error)))?
        };
        let states: Vec<_> = card.states.values().collect();
        let rejected = states
            .iter()
            .filter(|state| **state == &crate::review_state::ReviewState::Rejected)
            .count();
        let summary = &loaded.summary;
        let mut report = MethodsReport {
            paragraph: String::new(),
            items: summary.analysis.item_count,
            participants: summary.analysis.participant_count,
            people_per_item: people_per_item(&loaded),
            reward: None,
            hourly_at_median: None,
            median_seconds: card.card.median_seconds,
            agreement: counted,
            rejected: u32::try_from(rejected).unwrap_or(u32::MAX),
            returned_or_timed_out: 0,
        };
        let mut published = None;
        if let Some(study) = &study {
            let currency = study.currency_code.as_deref().unwrap_or("GBP");
            if let Some(reward) = study.reward.filter(|&reward| reward > 0) {
                report.reward = Some(money_from(reward, currency));
                if let Some(seconds) = report.median_seconds.filter(|&seconds| seconds > 0) {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
                    let hourly = (reward as f64 * 3600.0 / seconds as f64).round() as i64;
                    report.hourly_at_median = Some(money_from(hourly, currency));
                }
            }
            published = study.published_at.clone();
        }
        if let Ok((_, client)) = connections.client().await
            && let Ok(submissions) = client.submissions(study_id, None).await
        {
            report.returned_or_timed_out = u32::try_from(
                submissions
                    .items
                    .iter()
                    .filter(|submission| {
                        matches!(
                            submission.status,
                            SubmissionStatus::Returned | SubmissionStatus::TimedOut
                        )
                    })
                    .count(),
            )
            .unwrap_or(u32::MAX);
        }
        report.paragraph = paragraph(&report, &loaded, &card.card, published.as_deref());
        Ok(report)
    }
}

fn agreement_facts(loaded: &Loaded, intervals: &[QuestionInterval]) -> Vec<QuestionAgreementFacts> {
    loaded
        .summary
        .analysis
        .questions
        .iter()
        .filter_map(|question| {
            let agreement = question.agreement.as_ref()?;
            let title = loaded
                .summary
                .questions
                .iter()
                .find(|found| found.id == question.question_id)
                .map_or_else(|| question.question_id.clone(), |found| found.title.clone());
            Some(QuestionAgreementFacts {
                question: title,
                alpha: agreement.krippendorff_alpha,
                interval: intervals
                    .iter()
                    .find(|kept| kept.question_id == question.question_id)
                    .and_then(|kept| kept.interval),
                percent_agreement: agreement.percent_agreement,
                items_rated: agreement.items_rated,
            })
        })
        .collect()
}

/// The median of how many people answered each item (of the first question).
pub(super) fn people_per_item(loaded: &Loaded) -> Option<u32> {
    let question = loaded.summary.analysis.questions.first()?;
    let mut counts: Vec<u32> = question
        .items
        .iter()
        .map(|item| item.agreement.answers)
        .collect();
    if counts.is_empty() {
        return None;
    }
    counts.sort_unstable();
    Some(counts[counts.len() / 2])
}

fn duration(seconds: u64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, seconds) => format!("{seconds} s"),
        (minutes, 0) => format!("{minutes} min"),
        (minutes, seconds) => format!("{minutes} min {seconds} s"),
    }
}

fn paragraph(
    report: &MethodsReport,
    loaded: &Loaded,
    card: &crate::analysis::scorecard::Scorecard,
    published: Option<&str>,
) -> String {
    let mut said = Vec::new();
    let when = published
        .and_then(|date| date.get(..10))
        .map(|date| format!(" in a study published on {date}"))
        .unwrap_or_default();
    let per_item = report
        .people_per_item
        .map(|people| format!(", each judged by {people} participants (median)"))
        .unwrap_or_default();
    said.push(format!(
        "Labels were collected on Prolific with its AI Task Builder{when}: {} items{per_item}, from {} participants in all.",
        report.items, report.participants
    ));
    if let Some(reward) = &report.reward {
        let mut pay = format!("Participants were paid {reward} per assignment");
        if let (Some(hourly), Some(seconds)) = (&report.hourly_at_median, report.median_seconds) {
            pay.push_str(&format!(
                " ({hourly} per hour at the median completion time of {})",
                duration(seconds)
            ));
        }
        pay.push('.');
        said.push(pay);
    }
    for facts in &report.agreement {
        let Some(alpha) = facts.alpha else { continue };
        let interval = facts
            .interval
            .map(|interval| {
                format!(
                    " (95% bootstrap CI {:.2} to {:.2}, {} resamples of the items)",
                    interval.low, interval.high, interval.resamples
                )
            })
            .unwrap_or_default();
        let pairwise = facts
            .percent_agreement
            .map(|share| format!("; mean pairwise agreement was {:.0}%", share * 100.0))
            .unwrap_or_default();
        said.push(format!(
            "For “{}”, Krippendorff's alpha (nominal) over {} items was {alpha:.2}{interval}{pairwise}.",
            facts.question, facts.items_rated
        ));
    }
    if !report.agreement.is_empty() {
        said.push(
            "Each item's label is the answer most participants chose (majority vote); ties are reported as ties."
                .to_owned(),
        );
    }
    let checked: Vec<_> = card
        .participants
        .iter()
        .filter(|score| score.checks > 0)
        .collect();
    if !checked.is_empty() {
        let failing = checked
            .iter()
            .filter(|score| score.checks_failed > 0)
            .count();
        let per_person = checked.iter().map(|score| score.checks).max().unwrap_or(0);
        said.push(format!(
            "Each assignment included {per_person} instructed-response attention checks; {failing} of {} participants failed at least one.",
            checked.len()
        ));
    }
    let (right, known) = card
        .participants
        .iter()
        .fold((0, 0), |(right, known), score| {
            (right + score.known_right, known + score.known)
        });
    if known > 0 {
        said.push(format!(
            "Items with known answers were mixed in; {:.0}% of the {known} answers to them were correct.",
            f64::from(right) * 100.0 / f64::from(known)
        ));
    }
    if report.rejected > 0 || report.returned_or_timed_out > 0 {
        let submissions = |count: u32| {
            if count == 1 {
                "1 submission was".to_owned()
            } else {
                format!("{count} submissions were")
            }
        };
        said.push(format!(
            "{} rejected, and {} returned or timed out (their places were offered again).",
            submissions(report.rejected),
            submissions(report.returned_or_timed_out)
        ));
    }
    if let Some(pilot) = &loaded.summary.pilot_answers
        && pilot.merged
        && pilot.answers > 0
    {
        said.push(format!(
            "Answers from a pilot ({} answers from {} participants) are included.",
            pilot.answers, pilot.people
        ));
    }
    if let Some(round) = &loaded.summary.second_round
        && round.answers > 0
    {
        said.push(format!(
            "Items whose first answers agreed least were given to more participants in a \
             second round, who had not taken part before ({} answers from {} participants \
             on {} items, included).",
            round.answers, round.people, round.items
        ));
    }
    said.join(" ")
}
