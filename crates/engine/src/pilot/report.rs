//! The pilot report: what the pilot's few people did, in plain words, with what to do
//! about each finding, and the estimate and reward the full study should have.

use batchdesk_prolific::models::{Submission, SubmissionStatus};
use serde::Serialize;
use specta::Type;

use crate::analysis::model::QuestionKind;
use crate::connection::Connections;
use crate::error_code::Coded;
use crate::results::{Results, ResultsProgress, ResultsSummary, RowsQuery};
use crate::study_step;
use crate::text;
use crate::text::Text;

use super::{PilotError, load, pilot_study_id};

/// Free-text answers shown per question.
const SAMPLES: usize = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotReport {
    pub study_id: String,
    /// Prolific's status of the pilot study.
    pub status: String,
    pub places: u32,
    /// Rows of data the pilot showed.
    pub rows: u32,
    pub finished: u32,
    pub returned: u32,
    pub timed_out: u32,
    /// Still taking part (reserved or active).
    pub working: u32,
    /// Every place has a finished submission: nothing more will come.
    pub complete: bool,
    pub estimated_minutes: u32,
    pub time: Option<PilotTime>,
    pub currency: String,
    pub reward: u32,
    /// Reward per hour at the median time, minor units.
    pub hourly_at_median: Option<u32>,
    pub minimum_hourly: Option<u32>,
    pub recommended_hourly: Option<u32>,
    /// What the answers looked like (the same analysis as the results page).
    pub results: Option<ResultsSummary>,
    /// Why the answers could not be read, in plain words.
    pub results_problem: Option<Text>,
    pub samples: Vec<PilotSamples>,
    pub findings: Vec<PilotFinding>,
    /// The estimate and reward the full study should have, when they should change.
    pub suggestion: Option<PilotSuggestion>,
}

/// Minutes the finished submissions took.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotTime {
    pub submissions: u32,
    pub median_minutes: f64,
    pub fastest_minutes: f64,
    pub slowest_minutes: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotSamples {
    pub question: String,
    pub answers: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FindingSeverity {
    Good,
    Warning,
    Problem,
}

/// One thing the pilot showed, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotFinding {
    pub severity: FindingSeverity,
    /// What the pilot showed (`checks:pilot.…`).
    pub title: Text,
    /// What to do about it.
    pub advice: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PilotSuggestion {
    pub estimated_minutes: u32,
    pub reward: u32,
    /// Reward per hour at the time people took (or the estimate, when longer).
    pub hourly: u32,
}

/// Reads the pilot study's submissions and answers and says what they show.
pub async fn report(
    connections: &Connections,
    results: &Results,
) -> Result<PilotReport, PilotError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let record = load(store, mode)?;
    let study_id = pilot_study_id(store, mode, &record)?.ok_or(PilotError::NotPrepared)?;
    crate::results::link_pilot(store, mode, &record.full_batch_id, &study_id)?;
    let study = client.study(&study_id).await?;
    let draft = crate::wizard::record::load(store, mode)?.study;
    let submissions = client.submissions(&study_id, None).await?.items;
    let outcome = study_step::outcome(&study);
    let places = outcome.places.unwrap_or(0);
    let reward = study
        .reward
        .and_then(|reward| u32::try_from(reward).ok())
        .unwrap_or(0);
    let estimated_minutes = study
        .estimated_completion_time
        .and_then(|minutes| u32::try_from(minutes).ok())
        .unwrap_or(0);
    let counts = Counts::of(&submissions);
    let time = time_taken(&submissions);
    let hourly_at_median = time
        .as_ref()
        .filter(|time| time.median_minutes > 0.0)
        .map(|time| hourly(reward, time.median_minutes));

    let (summary, problem) = if counts.finished == 0 {
        (None, None)
    } else {
        match results
            .summary(connections, &study_id, true, |_: ResultsProgress| {})
            .await
        {
            Ok(summary) => (Some(summary), None),
            Err(error) => (None, Some(error.text())),
        }
    };
    let samples = match &summary {
        Some(summary) => free_text_samples(results, summary).await,
        None => Vec::new(),
    };
    let mut report = PilotReport {
        study_id,
        status: outcome.status,
        places,
        rows: record.plan.as_ref().map_or(0, |plan| plan.rows),
        finished: counts.finished,
        returned: counts.returned,
        timed_out: counts.timed_out,
        working: counts.working,
        complete: places > 0 && counts.finished >= places,
        estimated_minutes,
        time,
        currency: draft.currency.clone().unwrap_or_else(|| "GBP".to_owned()),
        reward,
        hourly_at_median,
        minimum_hourly: draft.minimum_hourly,
        recommended_hourly: draft.recommended_hourly,
        results: summary,
        results_problem: problem,
        samples,
        findings: Vec::new(),
        suggestion: None,
    };
    report.suggestion = suggestion(&report);
    report.findings = findings(&report);
    Ok(report)
}

#[derive(Default)]
struct Counts {
    finished: u32,
    returned: u32,
    timed_out: u32,
    working: u32,
}

impl Counts {
    fn of(submissions: &[Submission]) -> Self {
        let mut counts = Self::default();
        for submission in submissions {
            match submission.status {
                SubmissionStatus::Returned => counts.returned += 1,
                SubmissionStatus::TimedOut => counts.timed_out += 1,
                SubmissionStatus::Reserved | SubmissionStatus::Active => counts.working += 1,
                ref status if status.is_finished() => counts.finished += 1,
                _ => {}
            }
        }
        counts
    }
}

fn time_taken(submissions: &[Submission]) -> Option<PilotTime> {
    let mut minutes: Vec<f64> = submissions
        .iter()
        .filter(|submission| submission.status.is_finished())
        .filter_map(|submission| submission.time_taken)
        .filter(|seconds| *seconds > 0)
        .map(|seconds| seconds as f64 / 60.0)
        .collect();
    if minutes.is_empty() {
        return None;
    }
    minutes.sort_by(f64::total_cmp);
    let middle = minutes.len() / 2;
    let median = if minutes.len().is_multiple_of(2) {
        f64::midpoint(minutes[middle - 1], minutes[middle])
    } else {
        minutes[middle]
    };
    Some(PilotTime {
        submissions: u32::try_from(minutes.len()).unwrap_or(u32::MAX),
        median_minutes: median,
        fastest_minutes: minutes[0],
        slowest_minutes: minutes[minutes.len() - 1],
    })
}

/// Reward per hour for `reward` earned in `minutes`, minor units, rounded down.
fn hourly(reward: u32, minutes: f64) -> u32 {
    let per_hour = f64::from(reward) * 60.0 / minutes;
    if per_hour >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        per_hour.floor() as u32
    }
}

/// Whether the median time is far enough from the estimate (a fifth either way) for the
/// estimate to change: the same line the findings draw.
fn estimate_is_off(median: f64, estimated_minutes: u32) -> bool {
    let estimate = f64::from(estimated_minutes);
    median > estimate * 1.2 || median < estimate * 0.8
}

/// The estimate and reward the full study should have. The estimate becomes the median
/// time, rounded up, when it is off by more than a fifth; the reward pays Prolific's
/// recommended rate (or its minimum, when no recommendation is known) for the longer of
/// the estimate and the time people really took, and never less than today's. `None`
/// when the pilot says nothing new.
fn suggestion(report: &PilotReport) -> Option<PilotSuggestion> {
    let time = report.time.as_ref()?;
    let median = time.median_minutes;
    let estimated_minutes = if estimate_is_off(median, report.estimated_minutes) {
        (median.ceil() as u32).max(1)
    } else {
        report.estimated_minutes
    };
    let paid_minutes = median.max(f64::from(estimated_minutes));
    let target_hourly = report.recommended_hourly.or(report.minimum_hourly);
    let fair_reward = target_hourly.map_or(report.reward, |hourly| {
        (f64::from(hourly) * paid_minutes / 60.0).ceil() as u32
    });
    let reward = report.reward.max(fair_reward);
    if estimated_minutes == report.estimated_minutes && reward == report.reward {
        return None;
    }
    Some(PilotSuggestion {
        estimated_minutes,
        reward,
        hourly: hourly(reward, paid_minutes),
    })
}

fn findings(report: &PilotReport) -> Vec<PilotFinding> {
    let currency = report.currency.as_str();
    let mut found = Vec::new();
    let mut say = |severity, title: Text, advice: Text| {
        found.push(PilotFinding {
            severity,
            title,
            advice,
        });
    };
    if report.finished == 0 {
        say(
            FindingSeverity::Warning,
            text!("checks:pilot.noneFinished"),
            text!("checks:pilot.noneFinishedAdvice"),
        );
    } else if !report.complete {
        say(
            FindingSeverity::Warning,
            text!(
                "checks:pilot.someFinished",
                finished = report.finished,
                places = report.places
            ),
            text!("checks:pilot.someFinishedAdvice"),
        );
    }
    if let Some(time) = &report.time {
        let median = time.median_minutes;
        let estimate = f64::from(report.estimated_minutes);
        if estimate_is_off(median, report.estimated_minutes) && median > estimate {
            say(
                FindingSeverity::Problem,
                text!(
                    "checks:pilot.slowerThanEstimate",
                    median = minutes_shown(median),
                    estimated = report.estimated_minutes
                ),
                text!("checks:pilot.slowerThanEstimateAdvice"),
            );
        } else if estimate_is_off(median, report.estimated_minutes) {
            say(
                FindingSeverity::Good,
                text!(
                    "checks:pilot.fasterThanEstimate",
                    median = minutes_shown(median),
                    estimated = report.estimated_minutes
                ),
                text!("checks:pilot.fasterThanEstimateAdvice"),
            );
        } else {
            say(
                FindingSeverity::Good,
                text!("checks:pilot.asEstimated", median = minutes_shown(median)),
                text!("checks:pilot.asEstimatedAdvice"),
            );
        }
    }
    if let Some(hourly) = report.hourly_at_median {
        if let Some(minimum) = report.minimum_hourly.filter(|minimum| hourly < *minimum) {
            say(
                FindingSeverity::Problem,
                text!("checks:pilot.belowMinimumPay")
                    .with_money("hourly", i64::from(hourly), currency)
                    .with_money("minimum", i64::from(minimum), currency),
                text!("checks:pilot.belowMinimumPayAdvice"),
            );
        } else if let Some(recommended) = report
            .recommended_hourly
            .filter(|recommended| hourly < *recommended)
        {
            say(
                FindingSeverity::Warning,
                text!("checks:pilot.belowRecommendedPay")
                    .with_money("hourly", i64::from(hourly), currency)
                    .with_money("recommended", i64::from(recommended), currency),
                text!("checks:pilot.belowRecommendedPayAdvice"),
            );
        }
    }
    let left = report.returned + report.timed_out;
    if left > 0 {
        say(
            FindingSeverity::Warning,
            // Two counts in one sentence: the key takes the second's form, `count` the first's.
            if report.timed_out == 1 {
                text!(
                    "checks:pilot.leftOneTimedOut",
                    count = report.returned,
                    timedOut = report.timed_out
                )
            } else {
                text!(
                    "checks:pilot.left",
                    count = report.returned,
                    timedOut = report.timed_out
                )
            },
            text!("checks:pilot.leftAdvice"),
        );
    }
    if let Some(results) = &report.results {
        let analysis = &results.analysis;
        if analysis.skipped_records > 0 {
            say(
                FindingSeverity::Problem,
                text!(
                    "checks:pilot.unmatchedRecords",
                    records = analysis.skipped_records
                ),
                text!("checks:pilot.unmatchedRecordsAdvice"),
            );
        }
        if analysis.empty_answers > 0 {
            say(
                FindingSeverity::Warning,
                text!(
                    "checks:pilot.emptyAnswers",
                    answers = analysis.empty_answers
                ),
                text!("checks:pilot.emptyAnswersAdvice"),
            );
        }
        let unanswered = report.rows.saturating_sub(analysis.item_count);
        if report.complete && unanswered > 0 {
            say(
                FindingSeverity::Problem,
                text!(
                    "checks:pilot.unansweredRows",
                    unanswered = unanswered,
                    rows = report.rows
                ),
                text!("checks:pilot.unansweredRowsAdvice"),
            );
        }
        if analysis.answer_count > 0 && analysis.skipped_records == 0 {
            say(
                FindingSeverity::Good,
                text!(
                    "checks:pilot.allRead",
                    answers = analysis.answer_count,
                    items = analysis.item_count
                ),
                text!("checks:pilot.allReadAdvice"),
            );
        }
    } else if let Some(problem) = &report.results_problem {
        say(
            FindingSeverity::Problem,
            text!("checks:pilot.unreadable"),
            problem.clone(),
        );
    }
    found
}

/// Minutes as the findings say them: whole from ten on, else to a tenth.
fn minutes_shown(minutes: f64) -> f64 {
    if minutes >= 10.0 {
        minutes.round()
    } else {
        (minutes * 10.0).round() / 10.0
    }
}

/// A few answers of each free-text question, as participants wrote them.
async fn free_text_samples(results: &Results, summary: &ResultsSummary) -> Vec<PilotSamples> {
    let mut samples = Vec::new();
    for (index, question) in summary.questions.iter().enumerate() {
        if !matches!(
            question.kind,
            QuestionKind::FreeText | QuestionKind::FreeTextWithUnit
        ) {
            continue;
        }
        let query = RowsQuery {
            offset: 0,
            limit: 50,
            participant: None,
            question_id: None,
            answer: None,
            by_item: false,
        };
        let Ok(page) = results.rows(&summary.study_id, &query).await else {
            continue;
        };
        let answers: Vec<String> = page
            .rows
            .iter()
            .filter_map(|row| row.answers.get(index))
            .filter(|answer| !answer.trim().is_empty())
            .take(SAMPLES)
            .cloned()
            .collect();
        samples.push(PilotSamples {
            question: question.title.clone(),
            answers,
        });
    }
    samples
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    fn report(estimated: u32, reward: u32, median: f64) -> PilotReport {
        PilotReport {
            study_id: "s".to_owned(),
            status: "AWAITING REVIEW".to_owned(),
            places: 3,
            rows: 12,
            finished: 3,
            returned: 0,
            timed_out: 0,
            working: 0,
            complete: true,
            estimated_minutes: estimated,
            time: Some(PilotTime {
                submissions: 3,
                median_minutes: median,
                fastest_minutes: median,
                slowest_minutes: median,
            }),
            currency: "GBP".to_owned(),
            reward,
            hourly_at_median: Some(hourly(reward, median)),
            minimum_hourly: Some(600),
            recommended_hourly: Some(900),
            results: None,
            results_problem: None,
            samples: Vec::new(),
            findings: Vec::new(),
            suggestion: None,
        }
    }

    #[test]
    fn a_task_that_takes_three_times_the_estimate_gets_a_longer_estimate_and_fair_pay() {
        let slow = report(10, 150, 30.0);
        assert_eq!(hourly(150, 30.0), 300);
        let suggested = suggestion(&slow).expect("a suggestion");
        assert_eq!(suggested.estimated_minutes, 30);
        assert_eq!(suggested.reward, 450, "£9 an hour for 30 minutes");
        let said = findings(&slow);
        assert!(said.iter().any(|finding| {
            finding.severity == FindingSeverity::Problem
                && finding
                    .title
                    .to_string()
                    .contains("below Prolific's minimum of £6.00")
        }));
    }

    #[test]
    fn a_pilot_on_estimate_and_fairly_paid_suggests_nothing() {
        let fine = report(10, 150, 9.5);
        assert_eq!(suggestion(&fine), None);
        assert!(
            findings(&fine)
                .iter()
                .all(|finding| finding.severity == FindingSeverity::Good)
        );
    }

    #[test]
    fn a_task_a_little_slower_than_estimated_keeps_its_estimate_and_pays_for_the_real_time() {
        let close = report(10, 150, 11.2);
        let suggested = suggestion(&close).expect("a fairer reward");
        assert_eq!(
            suggested.estimated_minutes, 10,
            "within a fifth: the estimate holds"
        );
        assert_eq!(
            suggested.reward, 168,
            "£9 an hour for 11.2 minutes, rounded up"
        );
    }

    #[test]
    fn a_faster_task_keeps_its_reward_with_a_shorter_estimate() {
        let quick = report(10, 150, 4.2);
        let suggested = suggestion(&quick).expect("a suggestion");
        assert_eq!((suggested.estimated_minutes, suggested.reward), (5, 150));
    }
}
