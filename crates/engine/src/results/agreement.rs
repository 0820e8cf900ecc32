//! Agreement between people, from the last download (issue 19): for each choice question,
//! the participants who answered the same items and how often they agreed (a matrix of
//! the people who shared the most items, or of those the researcher picks), which answers
//! are given together on the same item, and alpha (with its bootstrap interval once the
//! researcher had it worked out: [`super::intervals`]). Computed once per loaded download
//! and kept with it, so picking other people is quick.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::Serialize;
use specta::Type;

use super::intervals::QuestionInterval;
use super::loaded::Loaded;
use super::{Results, ResultsError, ResultsQuestion};
use crate::analysis::ParticipantId;
use crate::analysis::bootstrap::AlphaInterval;
use crate::analysis::pairwise::{QuestionPairwise, study_pairwise};

/// How many people the matrix shows unless the researcher picks: those who shared the
/// most items with others.
pub const MATRIX_PEOPLE: usize = 30;
/// The most people the matrix shows when the researcher picks.
pub const MATRIX_PEOPLE_PICKED: usize = 100;

/// Agreement between people and between answers, per choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgreementReport {
    pub questions: Vec<QuestionPeopleAgreement>,
    /// Whether the bootstrap intervals were worked out for these answers (they are
    /// worked out when the researcher asks, then kept).
    pub intervals_worked_out: bool,
}

/// One choice question's agreement between people and between answers.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionPeopleAgreement {
    pub question_id: String,
    pub title: String,
    /// Krippendorff's alpha (nominal) and its 95 % bootstrap interval (the methods
    /// paragraph's, same seed); the interval is `None` until worked out.
    pub alpha: Option<f64>,
    pub interval: Option<AlphaInterval>,
    pub items_rated: u32,
    /// Everyone who answered an item someone else answered too, most shared first.
    pub people: Vec<PersonPairing>,
    /// The people in the matrix (ids), in its order: partners next to each other.
    pub shown: Vec<String>,
    /// The pairs among `shown` who shared at least one item.
    pub pairs: Vec<PairShown>,
    /// Pairs who shared items, among everyone.
    pub pair_count: u32,
    /// The answers of the coincidence matrix (option values; several joined by "; "),
    /// in the order of the question's options.
    pub answers: Vec<String>,
    /// Krippendorff's coincidences, row by row in the order of `answers`: how often one
    /// person gave the row's answer and another the column's on the same item (each item
    /// weighted `1 / (answers - 1)`). A row adds up to that answer's count on items
    /// answered by two or more people.
    pub coincidences: Vec<Vec<f64>>,
}

/// One participant's pairings on a question, summed over everyone they shared items with.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonPairing {
    pub participant_id: String,
    /// People they shared at least one item with.
    pub partners: u32,
    /// Items shared, counted once per partner.
    pub shared_items: u32,
    /// Of those, the ones on which the partner gave the same answer.
    pub agreed_items: u32,
}

/// Two people of the matrix who shared items.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PairShown {
    /// Indexes into `shown`; `first < second`.
    pub first: u32,
    pub second: u32,
    pub shared_items: u32,
    pub agreed_items: u32,
    /// Cohen's kappa over their shared items; `None` when both gave one same answer
    /// throughout.
    pub kappa: Option<f64>,
}

impl Results {
    /// Agreement between people on each choice question, from the last download; the
    /// matrix shows `participants` (ids; at most [`MATRIX_PEOPLE_PICKED`]) when given,
    /// otherwise the [`MATRIX_PEOPLE`] who shared the most items.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn agreement(
        &self,
        study_id: &str,
        participants: Option<Vec<String>>,
    ) -> Result<AgreementReport, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let intervals = self.kept_alpha_intervals(study_id).await?;
        tokio::task::spawn_blocking(move || {
            let pairwise = loaded
                .pairwise
                .get_or_init(|| study_pairwise(&loaded.responses));
            AgreementReport {
                questions: pairwise
                    .iter()
                    .map(|question| {
                        question_report(
                            &loaded,
                            question,
                            participants.as_deref(),
                            intervals.as_deref(),
                        )
                    })
                    .collect(),
                intervals_worked_out: intervals.is_some(),
            }
        })
        .await
        .map_err(|error| ResultsError::Io(std::io::Error::other(error)))
    }
}

fn question_report(
    loaded: &Loaded,
    question: &QuestionPairwise,
    picked: Option<&[String]>,
    intervals: Option<&[QuestionInterval]>,
) -> QuestionPeopleAgreement {
    let set = &loaded.responses;
    let layout = loaded
        .summary
        .questions
        .iter()
        .find(|found| found.id == question.question_id);

    let mut totals: HashMap<u32, (u32, u32, u32)> = HashMap::new();
    for pair in &question.pairs {
        for person in [pair.first, pair.second] {
            let total = totals.entry(person.0).or_default();
            total.0 += 1;
            total.1 += pair.shared_items;
            total.2 += pair.agreed_items;
        }
    }
    let mut ranked: Vec<(u32, PersonPairing)> = totals
        .iter()
        .map(|(&person, &(partners, shared_items, agreed_items))| {
            let pairing = PersonPairing {
                participant_id: set.participant_id(ParticipantId(person)).to_owned(),
                partners,
                shared_items,
                agreed_items,
            };
            (person, pairing)
        })
        .collect();
    ranked.sort_by(|(_, a), (_, b)| {
        b.shared_items
            .cmp(&a.shared_items)
            .then_with(|| a.participant_id.cmp(&b.participant_id))
    });
    let chosen: Vec<u32> = match picked {
        Some(ids) => {
            let by_id: HashMap<&str, u32> = ranked
                .iter()
                .map(|(person, pairing)| (pairing.participant_id.as_str(), *person))
                .collect();
            let mut seen = std::collections::HashSet::new();
            ids.iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .filter(|&person| seen.insert(person))
                .take(MATRIX_PEOPLE_PICKED)
                .collect()
        }
        None => ranked
            .iter()
            .take(MATRIX_PEOPLE)
            .map(|&(person, _)| person)
            .collect(),
    };
    let (shown, pairs) = matrix(question, &chosen);

    let (answers, coincidences) = confusion(loaded, question, layout);
    QuestionPeopleAgreement {
        question_id: question.question_id.clone(),
        title: layout.map_or_else(|| question.question_id.clone(), |found| found.title.clone()),
        alpha: question.alpha,
        interval: intervals
            .unwrap_or_default()
            .iter()
            .find(|kept| kept.question_id == question.question_id)
            .and_then(|kept| kept.interval),
        items_rated: question.items_rated,
        people: ranked.into_iter().map(|(_, pairing)| pairing).collect(),
        shown: shown
            .iter()
            .map(|&person| set.participant_id(ParticipantId(person)).to_owned())
            .collect(),
        pairs,
        pair_count: u32::try_from(question.pairs.len()).unwrap_or(u32::MAX),
        answers,
        coincidences,
    }
}

/// The matrix of `chosen` people: ordered so that people who shared items sit together
/// (from the first chosen, each one's partners by how much they shared, and so on), and
/// the pairs among them.
fn matrix(question: &QuestionPairwise, chosen: &[u32]) -> (Vec<u32>, Vec<PairShown>) {
    let rank: HashMap<u32, usize> = chosen
        .iter()
        .enumerate()
        .map(|(at, &person)| (person, at))
        .collect();
    let among: Vec<_> = question
        .pairs
        .iter()
        .filter(|pair| rank.contains_key(&pair.first.0) && rank.contains_key(&pair.second.0))
        .collect();
    let mut partners: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for pair in &among {
        partners
            .entry(pair.first.0)
            .or_default()
            .push((pair.shared_items, pair.second.0));
        partners
            .entry(pair.second.0)
            .or_default()
            .push((pair.shared_items, pair.first.0));
    }
    for list in partners.values_mut() {
        list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| rank[&a.1].cmp(&rank[&b.1])));
    }
    let mut order: Vec<u32> = Vec::with_capacity(chosen.len());
    let mut placed: HashMap<u32, usize> = HashMap::new();
    for &start in chosen {
        if placed.contains_key(&start) {
            continue;
        }
        let mut queue = std::collections::VecDeque::from([start]);
        placed.insert(start, order.len());
        order.push(start);
        while let Some(person) = queue.pop_front() {
            for &(_, partner) in partners.get(&person).map_or(&[][..], Vec::as_slice) {
                if let Entry::Vacant(place) = placed.entry(partner) {
                    place.insert(order.len());
                    order.push(partner);
                    queue.push_back(partner);
                }
            }
        }
    }
    let mut pairs: Vec<PairShown> = among
        .iter()
        .map(|pair| {
            let (a, b) = (placed[&pair.first.0], placed[&pair.second.0]);
            PairShown {
                first: u32::try_from(a.min(b)).unwrap_or(u32::MAX),
                second: u32::try_from(a.max(b)).unwrap_or(u32::MAX),
                shared_items: pair.shared_items,
                agreed_items: pair.agreed_items,
                kappa: pair.kappa,
            }
        })
        .collect();
    pairs.sort_by_key(|pair| (pair.first, pair.second));
    (order, pairs)
}

/// The coincidence matrix with its answers in the order of the question's options (an
/// answer of several options by its first; answers the layout does not list last).
fn confusion(
    loaded: &Loaded,
    question: &QuestionPairwise,
    layout: Option<&ResultsQuestion>,
) -> (Vec<String>, Vec<Vec<f64>>) {
    let set = &loaded.responses;
    let matrix = &question.coincidences;
    let position = |value: &str| {
        layout
            .and_then(|layout| {
                layout
                    .options
                    .iter()
                    .position(|option| option.value == value)
            })
            .unwrap_or(usize::MAX)
    };
    let mut order: Vec<(usize, String, usize)> = matrix
        .values
        .iter()
        .enumerate()
        .map(|(at, &value)| {
            let first = set
                .choice_values(value)
                .map(position)
                .min()
                .unwrap_or(usize::MAX);
            (first, set.choice_label(value), at)
        })
        .collect();
    order.sort();
    let coincidences = order
        .iter()
        .map(|&(_, _, row)| {
            order
                .iter()
                .map(|&(_, _, column)| matrix.get(row, column))
                .collect()
        })
        .collect();
    (
        order.into_iter().map(|(_, label, _)| label).collect(),
        coincidences,
    )
}
