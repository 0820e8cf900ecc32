//! Model-based consensus: for each choice question, the label each item most likely
//! has given how reliable each person was, with its probability.
//!
//! Two models: Dawid-Skene (here; Dawid and Skene, "Maximum Likelihood Estimation of
//! Observer Error-Rates Using the EM Algorithm", 1979), which gives each person a full
//! confusion matrix, and MACE ([`mace`]; Hovy et al., "Learning Whom to Trust with MACE",
//! 2013), which gives each person one competence: how often they answer from knowledge
//! rather than at their own whim.
//!
//! Dawid-Skene: item `j` has a hidden true class `z_j` drawn with the class priors `p`;
//! person `w` answering an item of class `c` gives answer `k` with probability
//! `e_w[c][k]` (their confusion matrix). Expectation maximisation, step for step as
//! Crowd-Kit's `DawidSkene` does it (checked against it by
//! `crates/engine/tests/parity/check.sh`):
//!
//! * **Start**: `q_jc` = the share of item `j`'s answers that are `c` (the majority
//!   vote's shares), known items pinned, then one M-step.
//! * **M-step**: `p_c` is the mean over items of `q_jc`; for each person and true class
//!   `c`, the sum of `q_jc` over the items they answered `k` is floored at
//!   [`PROBABILITY_FLOOR`] for every answer `k` they ever gave, then normalised over
//!   those answers (answers they never gave get zero).
//! * **E-step**: `q_jc ∝ max(p_c, floor) · Π_w e_w[c][y_jw]`, in log space, normalised.
//!   Known items are pinned again.
//! * **Stop** after [`ConsensusOptions::max_iterations`] E-steps (100) or once the
//!   evidence lower bound per answer (expected log joint probability plus the entropy of
//!   `q`, each `q` floored at [`PROBABILITY_FLOOR`]) rose by less than
//!   [`ConsensusOptions::tolerance`] (1e-5): Crowd-Kit's defaults.
//!
//! Known (gold) answers pin their items: such an item's `q` is one on the known class
//! from the start and after every E-step, so it teaches the confusion matrices without
//! being guessed.
//!
//! The classes are the distinct answers to the question: a multi-select answer is one
//! class, its options sorted and joined with `; ` (as [`super::consolidate`] does), so
//! `{a, b}` and `{a}` are different classes. Classes are ordered by that label (ties in
//! probability go to the first), so the result does not depend on reading order.
//! Nothing is random.
//!
//! Everything in the loops is a dense `Vec<f64>` indexed by the question's own small
//! numbers for items, people and classes: two passes over the answers per iteration (the
//! evidence bound's answer term is read off the M-step's sums).

pub mod mace;
pub mod summary;

use std::collections::HashMap;

use super::model::{AnswerValue, ItemId, ParticipantId, Question, ResponseSet};

/// Probabilities are floored here before their logarithm, so a zero in a confusion
/// matrix or a prior never makes an item's every class impossible.
pub const PROBABILITY_FLOOR: f64 = 1e-10;

/// When expectation maximisation stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConsensusOptions {
    /// Crowd-Kit's default: 100.
    pub max_iterations: u32,
    /// Stop once the mean log likelihood per item changes by less than this. Crowd-Kit's
    /// default: 1e-5. Zero runs every iteration.
    pub tolerance: f64,
}

impl Default for ConsensusOptions {
    fn default() -> Self {
        Self {
            max_iterations: 100,
            tolerance: 1e-5,
        }
    }
}

/// Which model found the consensus.
pub const DAWID_SKENE: &str = "dawid-skene";

/// The Dawid-Skene fit of one choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct DawidSkeneFit {
    /// The classes: each distinct answer's label (options sorted, joined with `; `),
    /// sorted.
    pub classes: Vec<String>,
    /// The answered items, in item order.
    pub items: Vec<ItemId>,
    /// `items.len() × classes.len()`, row by row: each item's posterior over the classes.
    pub posteriors: Vec<f64>,
    /// Whether each item's class was pinned by a known answer.
    pub pinned: Vec<bool>,
    pub priors: Vec<f64>,
    /// The people who answered, in participant order.
    pub participants: Vec<ParticipantId>,
    /// `participants.len() × classes × classes`: for each person, row `c` (true class)
    /// column `k` (their answer) is the probability they answer `k` to an item of class
    /// `c`.
    pub confusion: Vec<f64>,
    /// Each person's accuracy as their confusion matrix implies: `Σ_c p_c e[c][c]`.
    pub reliability: Vec<f64>,
    pub iterations: u32,
    /// Whether it stopped at the tolerance rather than at the iteration limit.
    pub converged: bool,
    /// Known answers naming a class nobody gave (left out: the model cannot pin to it).
    pub unmatched_known: u32,
}

impl DawidSkeneFit {
    #[must_use]
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// One item's posterior (by its position in [`Self::items`]).
    #[must_use]
    pub fn posterior(&self, index: usize) -> &[f64] {
        let k = self.class_count();
        self.posteriors
            .get(index * k..(index + 1) * k)
            .unwrap_or(&[])
    }

    /// One item's most likely class and its probability; ties go to the class that
    /// sorts first.
    #[must_use]
    pub fn label(&self, index: usize) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (class, &probability) in self.posterior(index).iter().enumerate() {
            if best.is_none_or(|(_, top)| probability > top) {
                best = Some((class, probability));
            }
        }
        best
    }

    /// One person's confusion matrix (by their position in [`Self::participants`]).
    #[must_use]
    pub fn confusion_of(&self, index: usize) -> &[f64] {
        let k = self.class_count();
        self.confusion
            .get(index * k * k..(index + 1) * k * k)
            .unwrap_or(&[])
    }
}

/// Known answers by task id: the option values, lower-cased and sorted (as
/// [`super::scorecard::KnownAnswers::cell`] reads them). An empty list is not known.
pub type Known = HashMap<String, Vec<String>>;

/// The question's answers as small dense numbers.
pub(super) struct Compact {
    pub(super) classes: Vec<String>,
    pub(super) items: Vec<ItemId>,
    /// Where each item's answers start in `people`/`answers`; one more than the items.
    pub(super) starts: Vec<usize>,
    pub(super) people: Vec<u32>,
    pub(super) answers: Vec<u32>,
    pub(super) participants: Vec<ParticipantId>,
    /// `participants × classes`: whether the person ever gave that answer.
    pub(super) given: Vec<bool>,
    /// The known class of each item, if any.
    pub(super) pinned: Vec<Option<u32>>,
    pub(super) unmatched_known: u32,
}

impl Compact {
    /// The majority vote's shares, known items pinned: `items × classes`.
    pub(super) fn vote_shares(&self) -> Vec<f64> {
        let k = self.classes.len();
        let mut q = vec![0.0; self.items.len() * k];
        for (item, row) in q.chunks_exact_mut(k).enumerate() {
            let (start, end) = (self.starts[item], self.starts[item + 1]);
            for &answer in &self.answers[start..end] {
                row[answer as usize] += 1.0;
            }
            let total = (end - start) as f64;
            row.iter_mut().for_each(|share| *share /= total);
            pin(row, self.pinned[item]);
        }
        q
    }
}

pub(super) fn compact(set: &ResponseSet, question: &Question, known: Option<&Known>) -> Compact {
    // Classes: the distinct choice sets, ordered by label.
    let mut class_of_set = vec![u32::MAX; set.choice_set_count()];
    let mut used: Vec<u32> = Vec::new();
    for answer in &question.answers {
        if let AnswerValue::Choice { set: chosen, .. } = answer.value
            && let Some(slot) = class_of_set.get_mut(chosen.0 as usize)
            && *slot == u32::MAX
        {
            *slot = 0;
            used.push(chosen.0);
        }
    }
    let mut labelled: Vec<(String, u32)> = used
        .iter()
        .map(|&id| (set.choice_label(super::ChoiceSetId(id)), id))
        .collect();
    labelled.sort();
    for (class, (_, id)) in labelled.iter().enumerate() {
        class_of_set[*id as usize] = class as u32;
    }
    let classes: Vec<String> = labelled.into_iter().map(|(label, _)| label).collect();
    // Known answers compared as scorecard does: lower-cased, sorted option values.
    let known_class: HashMap<String, u32> = classes
        .iter()
        .enumerate()
        .map(|(class, label)| {
            let mut values: Vec<String> = label.split("; ").map(str::to_lowercase).collect();
            values.sort();
            (values.join("; "), class as u32)
        })
        .collect();

    let mut person_index = vec![u32::MAX; set.participant_count()];
    let mut participants = Vec::new();
    for answer in &question.answers {
        if let Some(slot) = person_index.get_mut(answer.participant.0 as usize)
            && *slot == u32::MAX
        {
            *slot = 0;
            participants.push(answer.participant);
        }
    }
    participants.sort_unstable();
    for (index, person) in participants.iter().enumerate() {
        person_index[person.0 as usize] = index as u32;
    }

    let mut compact = Compact {
        classes,
        items: Vec::new(),
        starts: vec![0],
        people: Vec::with_capacity(question.answers.len()),
        answers: Vec::with_capacity(question.answers.len()),
        participants,
        given: Vec::new(),
        pinned: Vec::new(),
        unmatched_known: 0,
    };
    let k = compact.classes.len();
    compact.given = vec![false; compact.participants.len() * k];
    // Answers are sorted by item, so each item's answers are one run.
    for run in question.answers.chunk_by(|a, b| a.item == b.item) {
        let before = compact.answers.len();
        for answer in run {
            if let AnswerValue::Choice { set: chosen, .. } = answer.value {
                let (person, class) = (
                    person_index[answer.participant.0 as usize],
                    class_of_set[chosen.0 as usize],
                );
                compact.given[person as usize * k + class as usize] = true;
                compact.people.push(person);
                compact.answers.push(class);
            }
        }
        if compact.answers.len() == before {
            continue;
        }
        let item = run[0].item;
        compact.items.push(item);
        compact.starts.push(compact.answers.len());
        let pinned = known
            .and_then(|known| known.get(set.task_id(item)))
            .filter(|values| !values.is_empty())
            .and_then(|values| {
                let class = known_class.get(&values.join("; ")).copied();
                compact.unmatched_known += u32::from(class.is_none());
                class
            });
        compact.pinned.push(pinned);
    }
    compact
}

/// Fits Dawid-Skene to one choice question; `None` for other questions or without
/// answers.
#[must_use]
pub fn dawid_skene(
    set: &ResponseSet,
    question: &Question,
    known: Option<&Known>,
    options: &ConsensusOptions,
) -> Option<DawidSkeneFit> {
    if !question.kind.is_choice() {
        return None;
    }
    let data = compact(set, question, known);
    let (n, k, w) = (
        data.items.len(),
        data.classes.len(),
        data.participants.len(),
    );
    if n == 0 || k == 0 {
        return None;
    }
    let mut q = data.vote_shares();
    let mut priors = vec![0.0; k];
    // The M-step's sums of `q` per (person, true class, answer), and their normalised
    // rows: the confusion matrices.
    let mut sums = vec![0.0; w * k * k];
    let mut confusion = vec![0.0; w * k * k];
    m_step(&data, &q, &mut priors, &mut sums, &mut confusion);
    // log e, laid out by (person, answer, class) so one answer's classes are together.
    let mut log_e = vec![0.0; w * k * k];
    let mut log_p = vec![0.0; k];
    let mut joint = vec![0.0; k];
    let mut previous = f64::NEG_INFINITY;
    let (mut iterations, mut converged) = (0, false);
    while iterations < options.max_iterations {
        iterations += 1;
        logarithms(&priors, &confusion, k, &mut log_p, &mut log_e);
        // E-step, with the entropy of the new posteriors for the evidence bound.
        let mut entropy = 0.0;
        for (item, row) in q.chunks_exact_mut(k).enumerate() {
            joint.copy_from_slice(&log_p);
            for index in data.starts[item]..data.starts[item + 1] {
                let at = (data.people[index] as usize * k + data.answers[index] as usize) * k;
                for (sum, &log) in joint.iter_mut().zip(&log_e[at..at + k]) {
                    *sum += log;
                }
            }
            let top = joint.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut total = 0.0;
            for (share, &log) in row.iter_mut().zip(&joint) {
                *share = (log - top).exp();
                total += *share;
            }
            row.iter_mut().for_each(|share| *share /= total);
            pin(row, data.pinned[item]);
            for &share in row.iter() {
                let floored = share.max(PROBABILITY_FLOOR);
                entropy -= floored * floored.ln();
            }
        }
        m_step(&data, &q, &mut priors, &mut sums, &mut confusion);
        logarithms(&priors, &confusion, k, &mut log_p, &mut log_e);
        // Σ over answers of Σ_c q_jc (ln e_w[c][y] + ln p_c), read off the sums.
        let mut expected = 0.0;
        for (cell, &sum) in sums.iter().enumerate() {
            if sum > 0.0 {
                let (person, class, answer) = (cell / (k * k), cell / k % k, cell % k);
                expected += sum * (log_e[(person * k + answer) * k + class] + log_p[class]);
            }
        }
        let bound = (expected + entropy) / data.answers.len() as f64;
        if bound - previous < options.tolerance {
            converged = true;
            break;
        }
        previous = bound;
    }
    let reliability = (0..w)
        .map(|person| {
            (0..k)
                .map(|class| priors[class] * confusion[(person * k + class) * k + class])
                .sum()
        })
        .collect();
    Some(DawidSkeneFit {
        classes: data.classes,
        items: data.items,
        posteriors: q,
        pinned: data.pinned.iter().map(Option::is_some).collect(),
        priors,
        participants: data.participants,
        confusion,
        reliability,
        iterations,
        converged,
        unmatched_known: data.unmatched_known,
    })
}

pub(super) fn pin(row: &mut [f64], class: Option<u32>) {
    if let Some(class) = class {
        for (index, share) in row.iter_mut().enumerate() {
            *share = if index == class as usize { 1.0 } else { 0.0 };
        }
    }
}

/// `ln max(p, floor)` and `ln e` (answers a person never gave are never looked up).
fn logarithms(priors: &[f64], confusion: &[f64], k: usize, log_p: &mut [f64], log_e: &mut [f64]) {
    for (log, &prior) in log_p.iter_mut().zip(priors) {
        *log = prior.max(PROBABILITY_FLOOR).ln();
    }
    for (cell, &probability) in confusion.iter().enumerate() {
        let (person, class, answer) = (cell / (k * k), cell / k % k, cell % k);
        log_e[(person * k + answer) * k + class] = probability.max(f64::MIN_POSITIVE).ln();
    }
}

/// Priors and confusion matrices from the current posteriors, as Crowd-Kit's M-step:
/// each person's sums floored for the answers they gave, normalised over those answers.
fn m_step(data: &Compact, q: &[f64], priors: &mut [f64], sums: &mut [f64], confusion: &mut [f64]) {
    let k = data.classes.len();
    let n = data.items.len();
    priors.fill(0.0);
    sums.fill(0.0);
    for (item, row) in q.chunks_exact(k).enumerate() {
        for (prior, &share) in priors.iter_mut().zip(row) {
            *prior += share;
        }
        for index in data.starts[item]..data.starts[item + 1] {
            let person = data.people[index] as usize;
            let answer = data.answers[index] as usize;
            for (class, &share) in row.iter().enumerate() {
                sums[(person * k + class) * k + answer] += share;
            }
        }
    }
    priors.iter_mut().for_each(|prior| *prior /= n as f64);
    for (row_index, (row, sums)) in confusion
        .chunks_exact_mut(k)
        .zip(sums.chunks_exact(k))
        .enumerate()
    {
        let given = &data.given[(row_index / k) * k..(row_index / k + 1) * k];
        let mut total = 0.0;
        for ((cell, &sum), &given) in row.iter_mut().zip(sums).zip(given) {
            *cell = if given {
                sum.max(PROBABILITY_FLOOR)
            } else {
                0.0
            };
            total += *cell;
        }
        row.iter_mut().for_each(|cell| *cell /= total);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::model::one_choice_question as set_of;

    fn label_of(fit: &DawidSkeneFit, set: &ResponseSet, task: &str) -> (String, f64) {
        let item = set.item(task).unwrap();
        let index = fit.items.iter().position(|&it| it == item).unwrap();
        let (class, probability) = fit.label(index).unwrap();
        (fit.classes[class].clone(), probability)
    }

    /// `good` and `good2` give the truth everywhere; `bad` answers `a` to everything.
    fn reliable_and_unreliable() -> Vec<(String, String, String)> {
        let mut answers = Vec::new();
        for index in 0..12 {
            let task = format!("t{index}");
            let right = if index % 2 == 0 { "a" } else { "b" };
            answers.push((task.clone(), "good".to_owned(), right.to_owned()));
            answers.push((task.clone(), "good2".to_owned(), right.to_owned()));
            answers.push((task, "bad".to_owned(), "a".to_owned()));
        }
        // The tie: the reliable person says b, the unreliable one a.
        answers.push(("tie".to_owned(), "good".to_owned(), "b".to_owned()));
        answers.push(("tie".to_owned(), "bad".to_owned(), "a".to_owned()));
        answers
    }

    #[test]
    fn the_reliable_person_wins_where_the_majority_ties() {
        let owned = reliable_and_unreliable();
        let answers: Vec<(&str, &str, &str)> = owned
            .iter()
            .map(|(t, p, v)| (t.as_str(), p.as_str(), v.as_str()))
            .collect();
        let set = set_of(&answers);
        let fit = dawid_skene(
            &set,
            &set.questions()[0],
            None,
            &ConsensusOptions::default(),
        )
        .unwrap();
        assert_eq!(fit.classes, ["a", "b"]);
        let (label, confidence) = label_of(&fit, &set, "tie");
        assert_eq!(label, "b");
        assert!(confidence > 0.9, "confidence {confidence}");
        let reliability = |name: &str| {
            let index = fit
                .participants
                .iter()
                .position(|&p| set.participant_id(p) == name)
                .unwrap();
            fit.reliability[index]
        };
        assert!(reliability("good") > 0.95);
        assert!(reliability("bad") < 0.6);
        assert!(fit.converged);
        for index in 0..fit.items.len() {
            let sum: f64 = fit.posterior(index).iter().sum();
            assert!((sum - 1.0).abs() < 1e-12);
        }
        let good = fit
            .participants
            .iter()
            .position(|&p| set.participant_id(p) == "good")
            .unwrap();
        let matrix = fit.confusion_of(good);
        assert_eq!(matrix.len(), 4);
        assert!(matrix[0] > 0.95 && matrix[3] > 0.95);
    }

    #[test]
    fn a_known_answer_pins_its_item() {
        let set = set_of(&[
            ("t1", "p1", "a"),
            ("t1", "p2", "a"),
            ("t1", "p3", "b"),
            ("t2", "p1", "b"),
            ("t2", "p2", "b"),
            ("t3", "p1", "A"),
        ]);
        let known: Known = [
            ("t1".to_owned(), vec!["b".to_owned()]),
            ("t3".to_owned(), vec!["x".to_owned()]),
        ]
        .into_iter()
        .collect();
        let fit = dawid_skene(
            &set,
            &set.questions()[0],
            Some(&known),
            &ConsensusOptions::default(),
        )
        .unwrap();
        assert_eq!(fit.classes, ["A", "a", "b"]);
        let (label, confidence) = label_of(&fit, &set, "t1");
        assert_eq!((label.as_str(), confidence), ("b", 1.0));
        assert_eq!(fit.pinned, [true, false, false]);
        assert_eq!(fit.unmatched_known, 1, "x is nobody's answer");
        // Without the known answer, the majority's a wins.
        let free = dawid_skene(
            &set,
            &set.questions()[0],
            None,
            &ConsensusOptions::default(),
        )
        .unwrap();
        assert_eq!(label_of(&free, &set, "t1").0, "a");
    }

    #[test]
    fn it_is_deterministic_and_starts_from_the_majority() {
        let set = set_of(&[
            ("t1", "p1", "a"),
            ("t1", "p2", "b"),
            ("t1", "p3", "b"),
            ("t2", "p2", "a"),
        ]);
        let one = ConsensusOptions {
            max_iterations: 0,
            tolerance: 0.0,
        };
        let start = dawid_skene(&set, &set.questions()[0], None, &one).unwrap();
        assert_eq!(start.posterior(0), [1.0 / 3.0, 2.0 / 3.0]);
        let options = ConsensusOptions::default();
        let a = dawid_skene(&set, &set.questions()[0], None, &options).unwrap();
        let b = dawid_skene(&set, &set.questions()[0], None, &options).unwrap();
        assert_eq!(a, b);
        assert!(a.posteriors.iter().all(|p| p.is_finite()));
    }
}
