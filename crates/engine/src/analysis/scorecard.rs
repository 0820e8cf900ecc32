//! A scorecard per participant: how far each person's work can be trusted, with the
//! evidence for every doubt, so the researcher can decide fairly (Prolific protects
//! participants from unjust rejection: Batchdesk suggests, the researcher decides).
//!
//! What is measured, per participant:
//! - **agreement with the others**: on each item and choice question where at least two
//!   other people answered and they have one most-chosen answer, whether this person
//!   chose it. A person is flagged only when their agreement is far below what is usual
//!   in this study, by a one-sided binomial test (chance of so few agreements for
//!   someone as reliable as the typical participant below 1 %): a hard item that
//!   everybody finds hard flags nobody;
//! - **time taken** against the median of everyone who finished: under 40 % of it is
//!   too fast to have read the items (with at least five finished submissions);
//! - **the same answer to everything** on a choice question (five items or more), where
//!   the others' answers on those items vary;
//! - **copied free text**: the same written answer on three items or more;
//! - **very short free text**: written answers of a word or two where the others
//!   typically write at least four times as much;
//! - **known answers** (when the researcher says which data column holds them, for
//!   which question): how many such items each person got right. Flagged when under
//!   60 % *and* far below what is usual here (the same binomial test): hard known
//!   items that trip everyone flag nobody.
//! - **attention checks** (items Batchdesk mixed into every group that tell the person
//!   which option to choose): each one failed is flagged with what was asked and what
//!   was chosen. Prolific's policy lets a single failed check ground a rejection only in
//!   studies under 5 minutes; Batchdesk drafts a rejection on failed checks only from
//!   [`CHECKS_FOR_REJECTION`] failures in any study (the stricter side: whether Prolific
//!   means the estimated or the time taken is not said), and suggests asking the person
//!   to return their submission below that.
//!
//! Participants are listed worst first: most flags, then most failed checks, then
//! lowest agreement.

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;

use super::mixed::CheckOutcome;
use super::model::{AnswerValue, ChoiceSetId, ItemId, ParticipantId, QuestionKind, ResponseSet};

/// Below this share of the median time, a submission is too fast.
const TOO_FAST_SHARE: f64 = 0.4;
/// Submissions needed before a median time means anything.
const MIN_TIMED: usize = 5;
/// The chance below which a low agreement is not bad luck.
const AGREEMENT_SIGNIFICANCE: f64 = 0.01;
/// Items a person must share with others before their agreement is judged.
const MIN_AGREEMENT_ITEMS: u32 = 4;
/// Items answered alike before "the same answer to everything" is said.
const MIN_STRAIGHT_ITEMS: usize = 5;
/// Items with the same written answer before it counts as copied.
const MIN_COPIED_ITEMS: usize = 3;
/// Known-answer items a person must have done before their accuracy is judged.
const MIN_KNOWN_ITEMS: u32 = 3;
/// Below this share right on known answers, a person may be flagged.
const KNOWN_RIGHT_SHARE: f64 = 0.6;
/// Failed attention checks before a rejection on them is drafted (see the module's notes).
pub const CHECKS_FOR_REJECTION: u32 = 2;

/// The answers known to be right: for one choice question, by task id, the option
/// value(s) that are right (lower case).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownAnswers {
    pub question_id: String,
    pub by_task: HashMap<String, Vec<String>>,
}

impl KnownAnswers {
    /// Reads a known answer as a data cell gives it: one option value, or several
    /// separated by `;` or `,`; empty means not known.
    #[must_use]
    pub fn cell(text: &str) -> Vec<String> {
        let mut values: Vec<String> = text
            .split([';', ','])
            .map(|value| value.trim().to_lowercase())
            .filter(|value| !value.is_empty())
            .collect();
        values.sort();
        values.dedup();
        values
    }
}

/// How long one participant took, from their submission.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeTaken {
    pub participant_id: String,
    pub seconds: u64,
}

/// Why a participant's work is in doubt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FlagKind {
    TooFast,
    LowAgreement,
    SameAnswerToEverything,
    CopiedText,
    VeryShortText,
    WrongKnownAnswers,
    FailedChecks,
}

/// One doubt about a participant, with its evidence in plain words.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub kind: FlagKind,
    /// For the researcher.
    pub evidence: String,
    /// The same, said to the participant, for a rejection message.
    pub to_participant: String,
}

/// One participant's scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantScore {
    pub participant_id: String,
    /// Items they answered.
    pub items: u32,
    /// Items where their choice could be compared with the others' most-chosen answer.
    pub compared: u32,
    /// Of those, where they chose it.
    pub agreed: u32,
    #[specta(type = Option<u32>)]
    pub seconds: Option<u64>,
    /// Their time as a share of the median time (1.0: as long as the median).
    pub speed: Option<f64>,
    /// Items with a known answer they did, and how many of those they got right.
    pub known: u32,
    pub known_right: u32,
    /// Attention checks they answered, and how many of those they failed.
    pub checks: u32,
    pub checks_failed: u32,
    pub flags: Vec<Flag>,
    /// For someone flagged: a rejection the researcher may send, drafted from the
    /// evidence (Prolific asks for a reason and a message of at least 100 characters).
    pub draft_rejection: Option<DraftRejection>,
}

/// Why a submission would be rejected, in Prolific's categories that fit these doubts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RejectReason {
    TooQuickly,
    LowEffort,
    FailedInstructions,
    /// Failed attention checks (Prolific's `FAILED_CHECK`).
    FailedCheck,
    Other,
}

/// A rejection drafted for the researcher to read, change and send, or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DraftRejection {
    pub reason: RejectReason,
    pub message: String,
}

/// The rejection a flagged person's evidence supports, said politely, with the way to
/// ask for it to be looked at again.
fn draft_rejection(flags: &[Flag], checks_failed: u32) -> Option<DraftRejection> {
    // Too few failed checks are no grounds on their own: they are left out of the draft.
    let enough_checks = checks_failed >= CHECKS_FOR_REJECTION;
    let flags: Vec<&Flag> = flags
        .iter()
        .filter(|flag| flag.kind != FlagKind::FailedChecks || enough_checks)
        .collect();
    if flags.is_empty() {
        return None;
    }
    let reason = if enough_checks {
        RejectReason::FailedCheck
    } else if flags.iter().any(|flag| flag.kind == FlagKind::TooFast) {
        RejectReason::TooQuickly
    } else {
        RejectReason::LowEffort
    };
    let reasons: Vec<&str> = flags
        .iter()
        .map(|flag| flag.to_participant.as_str())
        .collect();
    let said = match reasons.as_slice() {
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}; and {last}", rest.join("; ")),
        [] => String::new(),
    };
    Some(DraftRejection {
        reason,
        message: format!(
            "Thank you for taking part. We are sorry, but we cannot approve this submission: \
             {said}. This tells us the task was not done with the care its instructions asked \
             for. If you think we have made a mistake, please message us through Prolific and \
             we will look at your answers again."
        ),
    })
}

/// Every participant's scorecard, worst first.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Scorecard {
    pub participants: Vec<ParticipantScore>,
    /// The median time of the finished submissions, when there were enough.
    #[specta(type = Option<u32>)]
    pub median_seconds: Option<u64>,
    /// The share of compared choices that agreed with the others, over everyone: what
    /// is usual in this study.
    pub typical_agreement: Option<f64>,
    /// The share of known answers people usually get right here, when answers are known.
    pub typical_known_right: Option<f64>,
}

/// Scores every participant of `set`; `times` are the finished submissions' times and
/// `question_names` the questions' wording by id (for the evidence).
#[must_use]
pub fn scorecard(
    set: &ResponseSet,
    times: &[TimeTaken],
    question_names: &HashMap<String, String>,
    known: Option<&KnownAnswers>,
    checks: &[CheckOutcome],
) -> Scorecard {
    let people = set.participant_count();
    let mut scores: Vec<ParticipantScore> = (0..people)
        .map(|index| ParticipantScore {
            participant_id: set
                .participant_id(ParticipantId(u32::try_from(index).unwrap_or(u32::MAX)))
                .to_owned(),
            items: 0,
            compared: 0,
            agreed: 0,
            seconds: None,
            speed: None,
            known: 0,
            known_right: 0,
            checks: 0,
            checks_failed: 0,
            flags: Vec::new(),
            draft_rejection: None,
        })
        .collect();

    let mut items_of: Vec<Vec<ItemId>> = vec![Vec::new(); people];
    for question in set.questions() {
        for answer in &question.answers {
            items_of[answer.participant.0 as usize].push(answer.item);
        }
    }
    for (score, items) in scores.iter_mut().zip(&mut items_of) {
        items.sort_unstable();
        items.dedup();
        score.items = u32::try_from(items.len()).unwrap_or(u32::MAX);
    }

    compare_with_others(set, &mut scores);
    let typical = typical_agreement(&scores);
    if let Some(typical) = typical {
        for score in &mut scores {
            flag_low_agreement(score, typical);
        }
    }
    let median_seconds = flag_speed(times, &mut scores);
    flag_same_answers(set, question_names, &mut scores);
    flag_free_text(set, &mut scores);
    let typical_known_right = known.and_then(|known| flag_known_answers(set, known, &mut scores));
    flag_failed_checks(checks, &mut scores);
    for score in &mut scores {
        score.draft_rejection = draft_rejection(&score.flags, score.checks_failed);
    }

    scores.sort_by(|a, b| {
        b.flags
            .len()
            .cmp(&a.flags.len())
            .then_with(|| b.checks_failed.cmp(&a.checks_failed))
            .then_with(|| share(a).total_cmp(&share(b)))
            .then_with(|| a.participant_id.cmp(&b.participant_id))
    });
    Scorecard {
        participants: scores,
        median_seconds,
        typical_agreement: typical,
        typical_known_right,
    }
}

/// Counts each person's known-answer items and those right, and flags who got far fewer
/// right than is usual here. Answers the typical share right.
fn flag_known_answers(
    set: &ResponseSet,
    known: &KnownAnswers,
    scores: &mut [ParticipantScore],
) -> Option<f64> {
    let question = set
        .questions()
        .iter()
        .find(|question| question.id == known.question_id && question.kind.is_choice())?;
    for answer in &question.answers {
        let (Some(right), AnswerValue::Choice { set: chosen, .. }) =
            (known.by_task.get(set.task_id(answer.item)), &answer.value)
        else {
            continue;
        };
        if right.is_empty() {
            continue;
        }
        let mut given: Vec<String> = set.choice_values(*chosen).map(str::to_lowercase).collect();
        given.sort();
        let score = &mut scores[answer.participant.0 as usize];
        score.known += 1;
        if &given == right {
            score.known_right += 1;
        }
    }
    let mut shares: Vec<f64> = scores
        .iter()
        .filter(|score| score.known >= MIN_KNOWN_ITEMS)
        .map(|score| f64::from(score.known_right) / f64::from(score.known))
        .collect();
    let typical = median(&mut shares)?;
    for score in scores
        .iter_mut()
        .filter(|score| score.known >= MIN_KNOWN_ITEMS)
    {
        let right = f64::from(score.known_right) / f64::from(score.known);
        if right < KNOWN_RIGHT_SHARE
            && binomial_at_most(score.known_right, score.known, typical.min(MOST_RELIABLE))
                < AGREEMENT_SIGNIFICANCE
        {
            score.flags.push(Flag {
                kind: FlagKind::WrongKnownAnswers,
                evidence: format!(
                    "Right on {} of {} items whose answer is known ({:.0}%); people in this \
                     study typically get {:.0}% right.",
                    score.known_right,
                    score.known,
                    right * 100.0,
                    typical * 100.0
                ),
                to_participant: format!(
                    "you answered {} of {} items whose right answer we know correctly",
                    score.known_right, score.known
                ),
            });
        }
    }
    Some(typical)
}

/// Counts each person's attention checks and flags every one failed, with what the
/// check asked for and what was chosen.
fn flag_failed_checks(checks: &[CheckOutcome], scores: &mut [ParticipantScore]) {
    let mut by_person: HashMap<&str, Vec<&CheckOutcome>> = HashMap::new();
    for outcome in checks {
        by_person
            .entry(outcome.participant_id.as_str())
            .or_default()
            .push(outcome);
    }
    for score in scores.iter_mut() {
        let Some(outcomes) = by_person.get(score.participant_id.as_str()) else {
            continue;
        };
        score.checks = u32::try_from(outcomes.len()).unwrap_or(u32::MAX);
        let failed: Vec<&&CheckOutcome> =
            outcomes.iter().filter(|outcome| !outcome.passed).collect();
        score.checks_failed = u32::try_from(failed.len()).unwrap_or(u32::MAX);
        if failed.is_empty() {
            continue;
        }
        let said: Vec<String> = failed
            .iter()
            .map(|outcome| {
                let given = if outcome.given.is_empty() {
                    "nothing".to_owned()
                } else {
                    format!("“{}”", outcome.given.join("; "))
                };
                format!("asked for “{}”, chose {given}", outcome.wanted)
            })
            .collect();
        // The checks of a design all ask about one question: it is named once.
        let question = failed
            .first()
            .map(|outcome| format!(" on “{}”", outcome.question))
            .unwrap_or_default();
        let grounds = if score.checks_failed >= CHECKS_FOR_REJECTION {
            "Under Prolific's policy this is grounds for rejection (reason: failed attention checks)."
        } else {
            "One failed check is no grounds for rejection here: ask them to return the submission, or keep it."
        };
        score.flags.push(Flag {
            kind: FlagKind::FailedChecks,
            evidence: format!(
                "Failed {} of {} attention checks{question} ({}). {grounds}",
                score.checks_failed,
                score.checks,
                said.join("; ")
            ),
            to_participant: format!(
                "you did not choose the option that {} of the {} check items in your task asked for",
                score.checks_failed, score.checks
            ),
        });
    }
}

fn share(score: &ParticipantScore) -> f64 {
    if score.compared == 0 {
        1.0
    } else {
        f64::from(score.agreed) / f64::from(score.compared)
    }
}

/// For each choice answer, whether it is the most-chosen answer of the *other* people
/// on the same item (leave-one-out, so nobody agrees with themselves).
fn compare_with_others(set: &ResponseSet, scores: &mut [ParticipantScore]) {
    for question in set.questions().iter().filter(|q| q.kind.is_choice()) {
        for item_answers in question.answers.chunk_by(|a, b| a.item == b.item) {
            let mut votes: HashMap<ChoiceSetId, u32> = HashMap::new();
            for answer in item_answers {
                if let AnswerValue::Choice { set: choice, .. } = &answer.value {
                    *votes.entry(*choice).or_default() += 1;
                }
            }
            for answer in item_answers {
                let AnswerValue::Choice { set: mine, .. } = &answer.value else {
                    continue;
                };
                let mut others = votes.clone();
                if let Some(count) = others.get_mut(mine) {
                    *count -= 1;
                }
                let cast: u32 = others.values().sum();
                if cast < 2 {
                    continue;
                }
                let top = others.values().copied().max().unwrap_or(0);
                let mut leaders = others.iter().filter(|(_, count)| **count == top);
                let (Some((leader, _)), None) = (leaders.next(), leaders.next()) else {
                    // The others are split: nothing to agree with.
                    continue;
                };
                let score = &mut scores[answer.participant.0 as usize];
                score.compared += 1;
                if leader == mine {
                    score.agreed += 1;
                }
            }
        }
    }
}

/// The median of people's agreement shares (those with enough comparisons): robust to
/// the careless few it is meant to find.
fn typical_agreement(scores: &[ParticipantScore]) -> Option<f64> {
    let mut shares: Vec<f64> = scores
        .iter()
        .filter(|score| score.compared >= MIN_AGREEMENT_ITEMS)
        .map(share)
        .collect();
    median(&mut shares)
}

fn flag_low_agreement(score: &mut ParticipantScore, typical: f64) {
    if score.compared < MIN_AGREEMENT_ITEMS {
        return;
    }
    let chance = binomial_at_most(score.agreed, score.compared, typical.min(MOST_RELIABLE));
    if chance < AGREEMENT_SIGNIFICANCE {
        score.flags.push(Flag {
            kind: FlagKind::LowAgreement,
            evidence: format!(
                "Chose what the others chose most on {} of {} items; people in this study \
                 typically do on {:.0}%. So few agreements would happen by chance less \
                 than once in a hundred.",
                score.agreed,
                score.compared,
                typical * 100.0
            ),
            to_participant: format!(
                "your answers matched what most other participants chose on only {} of {} \
                 items",
                score.agreed, score.compared
            ),
        });
    }
}

/// The most reliable anyone is taken to be when judging others against what is usual:
/// where everyone else agreed perfectly, one slip must not look like carelessness.
const MOST_RELIABLE: f64 = 0.95;

/// The chance of at most `k` successes in `n` trials of probability `p`. Summed term by
/// term with the recurrence between neighbouring terms (`n` is a person's item count:
/// small), in logarithms so a long run does not underflow.
fn binomial_at_most(k: u32, n: u32, p: f64) -> f64 {
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return if k >= n { 1.0 } else { 0.0 };
    }
    let (ln_p, ln_q) = (p.ln(), (1.0 - p).ln());
    // ln of C(n, 0) p^0 q^n, then each next term from the one before.
    let mut ln_term = f64::from(n) * ln_q;
    let mut total = ln_term.exp();
    for i in 0..k.min(n) {
        ln_term += (f64::from(n - i) / f64::from(i + 1)).ln() + ln_p - ln_q;
        total += ln_term.exp();
    }
    total.min(1.0)
}

fn flag_speed(times: &[TimeTaken], scores: &mut [ParticipantScore]) -> Option<u64> {
    let by_person: HashMap<&str, u64> = times
        .iter()
        .filter(|time| time.seconds > 0)
        .map(|time| (time.participant_id.as_str(), time.seconds))
        .collect();
    for score in scores.iter_mut() {
        score.seconds = by_person.get(score.participant_id.as_str()).copied();
    }
    let mut all: Vec<f64> = by_person.values().map(|&seconds| seconds as f64).collect();
    if all.len() < MIN_TIMED {
        return None;
    }
    let median_time = median(&mut all)?;
    for score in scores.iter_mut() {
        let Some(seconds) = score.seconds else {
            continue;
        };
        let speed = seconds as f64 / median_time;
        score.speed = Some(speed);
        if speed < TOO_FAST_SHARE {
            score.flags.push(Flag {
                kind: FlagKind::TooFast,
                evidence: format!(
                    "Took {}; the median is {} ({:.0}% of it).",
                    duration(seconds),
                    duration(median_time.round() as u64),
                    speed * 100.0
                ),
                to_participant: format!(
                    "you completed it in {}, while most participants took about {}: too \
                     short to read the items with care",
                    duration(seconds),
                    duration(median_time.round() as u64)
                ),
            });
        }
    }
    Some(median_time.round() as u64)
}

/// One answer given to every item of a choice question, where the others' answers on
/// those same items were not all that one answer.
fn flag_same_answers(
    set: &ResponseSet,
    question_names: &HashMap<String, String>,
    scores: &mut [ParticipantScore],
) {
    for question in set.questions().iter().filter(|q| q.kind.is_choice()) {
        // Per person: the items answered and the one answer, while it stays one.
        let mut given: HashMap<ParticipantId, (Vec<ItemId>, Option<ChoiceSetId>, bool)> =
            HashMap::new();
        for answer in &question.answers {
            let AnswerValue::Choice { set: choice, .. } = &answer.value else {
                continue;
            };
            let entry =
                given
                    .entry(answer.participant)
                    .or_insert((Vec::new(), Some(*choice), true));
            entry.0.push(answer.item);
            entry.2 &= entry.1 == Some(*choice);
        }
        for (person, (items, choice, always)) in given {
            let Some(choice) = choice.filter(|_| always && items.len() >= MIN_STRAIGHT_ITEMS)
            else {
                continue;
            };
            // The items where most of the others (more than half) chose another answer:
            // a constant answer is careless only where the data called for others. A
            // study whose rows mostly share one answer flags nobody.
            let clearly_other = items
                .iter()
                .filter(|item| {
                    let mut votes: HashMap<ChoiceSetId, u32> = HashMap::new();
                    for other in question
                        .answers
                        .iter()
                        .filter(|other| other.item == **item && other.participant != person)
                    {
                        if let AnswerValue::Choice { set, .. } = &other.value {
                            *votes.entry(*set).or_default() += 1;
                        }
                    }
                    let cast: u32 = votes.values().sum();
                    votes
                        .iter()
                        .any(|(set, count)| *set != choice && cast >= 2 && 2 * *count > cast)
                })
                .count();
            if clearly_other < 2 || 4 * clearly_other < items.len() {
                continue;
            }
            scores[person.0 as usize].flags.push(Flag {
                kind: FlagKind::SameAnswerToEverything,
                evidence: format!(
                    "Answered “{}” to all {} items of “{}”; on {clearly_other} of them most \
                     others chose another answer.",
                    set.choice_label(choice),
                    items.len(),
                    question_names.get(&question.id).unwrap_or(&question.id)
                ),
                to_participant: format!(
                    "you gave the answer “{}” to every item, also where the item clearly \
                     called for another",
                    set.choice_label(choice)
                ),
            });
        }
    }
}

fn flag_free_text(set: &ResponseSet, scores: &mut [ParticipantScore]) {
    let texts = |kind: QuestionKind| kind == QuestionKind::FreeText;
    let mut words_of: HashMap<ParticipantId, Vec<usize>> = HashMap::new();
    let mut copies: HashMap<ParticipantId, HashMap<String, usize>> = HashMap::new();
    for question in set.questions().iter().filter(|q| texts(q.kind)) {
        for answer in &question.answers {
            let AnswerValue::Text(text) = &answer.value else {
                continue;
            };
            let normal = text.trim().to_lowercase();
            if normal.is_empty() {
                continue;
            }
            words_of
                .entry(answer.participant)
                .or_default()
                .push(normal.split_whitespace().count());
            *copies
                .entry(answer.participant)
                .or_default()
                .entry(normal)
                .or_default() += 1;
        }
    }
    for (person, by_text) in &copies {
        if let Some((text, count)) = by_text
            .iter()
            .filter(|(_, count)| **count >= MIN_COPIED_ITEMS)
            .max_by_key(|(_, count)| **count)
        {
            scores[person.0 as usize].flags.push(Flag {
                kind: FlagKind::CopiedText,
                evidence: format!("Wrote “{}” on {count} items.", shorten(text)),
                to_participant: format!(
                    "you wrote the same answer (“{}”) on {count} items",
                    shorten(text)
                ),
            });
        }
    }
    let mut typical_words: Vec<f64> = words_of
        .values()
        .filter_map(|words| median(&mut words.iter().map(|&w| w as f64).collect::<Vec<_>>()))
        .collect();
    let Some(typical) = median(&mut typical_words) else {
        return;
    };
    for (person, words) in &words_of {
        let Some(theirs) = median(&mut words.iter().map(|&w| w as f64).collect::<Vec<_>>()) else {
            continue;
        };
        if theirs <= 2.0 && typical >= 4.0 * theirs && words.len() >= 2 {
            scores[person.0 as usize].flags.push(Flag {
                kind: FlagKind::VeryShortText,
                evidence: format!(
                    "Wrote {} typically; others typically write {}.",
                    plural_words(theirs),
                    plural_words(typical)
                ),
                to_participant: "your written answers were a word or two where the task \
                                 asked for an explanation"
                    .to_owned(),
            });
        }
    }
}

fn plural_words(count: f64) -> String {
    let count = count.round() as u64;
    if count == 1 {
        "1 word".to_owned()
    } else {
        format!("{count} words")
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn duration(seconds: u64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        f64::midpoint(values[middle - 1], values[middle])
    } else {
        values[middle]
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::model::{NewAnswer, ResponseSetBuilder};

    /// `items` × `people` answers to one choice question, each person's choice on each
    /// item as `choose` says.
    fn crowd(
        items: usize,
        people: usize,
        choose: impl Fn(usize, usize) -> &'static str,
    ) -> ResponseSet {
        let mut builder = ResponseSetBuilder::new();
        for item in 0..items {
            for person in 0..people {
                builder.add(
                    &format!("t{item}"),
                    "q",
                    QuestionKind::MultipleChoice,
                    &format!("p{person}"),
                    NewAnswer::Choice {
                        values: &[choose(item, person)],
                        explanations: &[],
                    },
                );
            }
        }
        builder.finish()
    }

    #[test]
    fn the_binomial_tail_matches_known_values() {
        // P(X <= 3), X ~ Bin(20, 0.2) = 0.41144886…; P(X <= 0), Bin(10, 0.4) = 0.6^10.
        assert!((binomial_at_most(3, 20, 0.2) - 0.411_448_86).abs() < 1e-7);
        assert!((binomial_at_most(0, 10, 0.4) - 0.6_f64.powi(10)).abs() < 1e-12);
        assert!((binomial_at_most(10, 10, 0.4) - 1.0).abs() < 1e-12);
        assert!((binomial_at_most(5, 10, 0.5) - 0.623_046_875).abs() < 1e-12);
    }

    /// Ten people on twelve items of one three-option question: eight choose the
    /// truth (`a`) nearly always, one answers at random, one always says `c`; the
    /// random one is also fast, and the one writing "ok" copies it.
    fn study() -> (ResponseSet, Vec<TimeTaken>) {
        let mut builder = ResponseSetBuilder::new();
        let options = ["a", "b", "c"];
        for item in 0..12 {
            let task = format!("t{item}");
            for person in 0..10 {
                let who = format!("p{person}");
                let choice = match person {
                    8 => options[(item * 7 + 1) % 3],
                    9 => "c",
                    // Careful people slip once each, on different items.
                    _ if item == person => "b",
                    _ => "a",
                };
                builder.add(
                    &task,
                    "q",
                    QuestionKind::MultipleChoice,
                    &who,
                    NewAnswer::Choice {
                        values: &[choice],
                        explanations: &[],
                    },
                );
                let text = if person == 7 {
                    "ok".to_owned()
                } else {
                    format!("the review {item} reads as a clear opinion from person {person}")
                };
                builder.add(
                    &task,
                    "why",
                    QuestionKind::FreeText,
                    &who,
                    NewAnswer::Text(&text),
                );
            }
        }
        let times = (0..10)
            .map(|person| TimeTaken {
                participant_id: format!("p{person}"),
                seconds: if person == 8 { 60 } else { 600 + person * 10 },
            })
            .collect();
        (builder.finish(), times)
    }

    #[test]
    fn careless_work_is_flagged_with_its_evidence_and_careful_work_is_not() {
        let (set, times) = study();
        let names = HashMap::from([("q".to_owned(), "How does it feel?".to_owned())]);
        let card = scorecard(&set, &times, &names, None, &[]);
        let flags = |id: &str| -> Vec<FlagKind> {
            card.participants
                .iter()
                .find(|score| score.participant_id == id)
                .map(|score| score.flags.iter().map(|flag| flag.kind).collect())
                .unwrap_or_default()
        };
        assert_eq!(flags("p8"), [FlagKind::LowAgreement, FlagKind::TooFast]);
        let straight = card
            .participants
            .iter()
            .find(|s| s.participant_id == "p9")
            .unwrap();
        assert!(
            straight.flags.iter().any(|flag| flag.kind == FlagKind::SameAnswerToEverything
                && flag.evidence == "Answered “c” to all 12 items of “How does it feel?”; on 12 of them most others chose another answer."),
            "{straight:?}"
        );
        assert!(flags("p9").contains(&FlagKind::LowAgreement));
        assert_eq!(flags("p7"), [FlagKind::CopiedText, FlagKind::VeryShortText]);
        for careful in ["p0", "p1", "p2", "p3", "p4", "p5", "p6"] {
            assert_eq!(flags(careful), [], "{careful}");
        }
        // Worst first.
        let order: Vec<&str> = card
            .participants
            .iter()
            .map(|s| s.participant_id.as_str())
            .collect();
        assert!(
            order[..3].contains(&"p8") && order[..3].contains(&"p9") && order[..3].contains(&"p7")
        );
        assert_eq!(card.median_seconds, Some(635));
        let fast = card
            .participants
            .iter()
            .find(|s| s.participant_id == "p8")
            .unwrap();
        assert_eq!(
            fast.flags[1].evidence,
            "Took 1 min; the median is 10 min 35 s (9% of it)."
        );
        assert!(card.typical_agreement.unwrap() > 0.85);
        let draft = fast
            .draft_rejection
            .as_ref()
            .expect("a draft for the flagged");
        assert_eq!(draft.reason, RejectReason::TooQuickly);
        assert!(draft.message.chars().count() >= 100, "{}", draft.message);
        assert!(
            draft.message.contains("matched what most other participants chose on only 4 of 12 items; and you completed it in 1 min, while most participants took about 10 min 35 s"),
            "{}",
            draft.message
        );
        let careful = card
            .participants
            .iter()
            .find(|s| s.participant_id == "p0")
            .unwrap();
        assert_eq!(careful.draft_rejection, None);
    }

    #[test]
    fn a_hard_item_everyone_disagrees_on_flags_nobody() {
        // Half the items split the crowd evenly (a different half of the people each
        // time); on the rest all agree.
        let set = crowd(8, 6, |item, person| {
            if item % 2 == 0 && (person + item / 2) % 2 == 0 {
                "b"
            } else {
                "a"
            }
        });
        let card = scorecard(&set, &[], &HashMap::new(), None, &[]);
        assert!(
            card.participants.iter().all(|score| score.flags.is_empty()),
            "{card:#?}"
        );
        assert_eq!(card.median_seconds, None, "no times, no speed judged");
    }

    #[test]
    fn known_answers_count_right_and_flag_who_gets_far_fewer_right_than_usual() {
        let (set, times) = study();
        // The first six items' answers are known: `a`, as the careful people think.
        let known = KnownAnswers {
            question_id: "q".to_owned(),
            by_task: (0..6)
                .map(|item| (format!("t{item}"), KnownAnswers::cell(" A ")))
                .collect(),
        };
        let card = scorecard(&set, &times, &HashMap::new(), Some(&known), &[]);
        let score = |id: &str| {
            card.participants
                .iter()
                .find(|s| s.participant_id == id)
                .unwrap()
        };
        // p0 slipped on item 0: 5 of 6.
        assert_eq!((score("p0").known, score("p0").known_right), (6, 5));
        assert_eq!((score("p6").known, score("p6").known_right), (6, 6));
        assert_eq!((score("p9").known, score("p9").known_right), (6, 0));
        assert!(score("p9").flags.iter().any(|flag| {
            flag.kind == FlagKind::WrongKnownAnswers
                && flag
                    .evidence
                    .starts_with("Right on 0 of 6 items whose answer is known (0%)")
        }));
        assert!(score("p0").flags.is_empty());
        assert!(card.typical_known_right.unwrap() > 0.8);
        assert_eq!(KnownAnswers::cell("b; A,"), ["a", "b"]);
    }

    #[test]
    fn one_answer_to_everything_is_fine_where_the_rows_call_for_it() {
        // Seven of eight rows are plainly `a`; everyone says so, and one person also
        // says `a` on the eighth, where the others say `b`.
        let set = crowd(
            8,
            6,
            |item, person| if item == 7 && person > 0 { "b" } else { "a" },
        );
        let card = scorecard(&set, &[], &HashMap::new(), None, &[]);
        assert!(
            card.participants.iter().all(|score| score.flags.is_empty()),
            "{card:#?}"
        );
    }

    #[test]
    fn one_failed_check_is_said_but_only_two_ground_a_rejection() {
        let set = crowd(8, 6, |_, _| "a");
        let check = |person: &str, task: &str, passed: bool| CheckOutcome {
            participant_id: person.to_owned(),
            task_id: task.to_owned(),
            question: "How does it feel?".to_owned(),
            wanted: "negative".to_owned(),
            given: vec![if passed { "negative" } else { "positive" }.to_owned()],
            passed,
        };
        let checks = [
            check("p0", "c1", true),
            check("p0", "c2", true),
            check("p1", "c1", false),
            check("p1", "c2", true),
            check("p2", "c1", false),
            check("p2", "c2", false),
        ];
        let card = scorecard(&set, &[], &HashMap::new(), None, &checks);
        let score = |id: &str| {
            card.participants
                .iter()
                .find(|s| s.participant_id == id)
                .unwrap()
        };
        assert!(score("p0").flags.is_empty());
        assert_eq!((score("p1").checks, score("p1").checks_failed), (2, 1));
        let once = &score("p1").flags[0];
        assert_eq!(once.kind, FlagKind::FailedChecks);
        assert!(
            once.evidence.contains("no grounds for rejection"),
            "{}",
            once.evidence
        );
        assert!(
            once.evidence
                .contains("Failed 1 of 2 attention checks on “How does it feel?” (asked for “negative”, chose “positive”)"),
            "{}",
            once.evidence
        );
        assert_eq!(score("p1").draft_rejection, None);
        let twice = score("p2").draft_rejection.as_ref().unwrap();
        assert_eq!(twice.reason, RejectReason::FailedCheck);
        assert!(
            twice.message.contains("2 of the 2 check items"),
            "{}",
            twice.message
        );
        assert_eq!(card.participants[0].participant_id, "p2", "worst first");
    }
}
