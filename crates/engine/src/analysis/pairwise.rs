//! Agreement between people and between labels, for one choice question at a time
//! (issue 19): how each pair of participants who answered the same items agreed on them,
//! which answers are given together on the same item (Krippendorff's coincidences, so
//! "which labels get confused with which" reads off a row), and the question's alpha (its
//! bootstrap interval, far slower, is [`super::bootstrap`]'s, worked out on demand).
//!
//! Pairs are found item by item, among the few people who answered each item (a study has
//! typically 3 to 10 per item), so the work grows with the pairs that actually met, never
//! with the square of everyone who took part: each meeting of two people on an item is one
//! 16-byte record, sorted once by pair.
//!
//! Answers are compared as whole answer sets, as [`super::agreement`] does: on a question
//! that allows several options, `{a, b}` and `{a}` differ.

use super::bootstrap;
use super::model::{AnswerValue, ChoiceSetId, ParticipantId, Question, ResponseSet};

/// How two participants agreed on the items they both answered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairAgreement {
    /// The lower-numbered of the two.
    pub first: ParticipantId,
    pub second: ParticipantId,
    /// Items both answered.
    pub shared_items: u32,
    /// Of those, the items on which they gave the same answer.
    pub agreed_items: u32,
    /// Cohen's kappa over the shared items: agreement beyond what the two people's own
    /// answer habits would give by chance. `None` when chance alone agrees on everything
    /// (both gave one and the same answer throughout).
    pub kappa: Option<f64>,
}

impl PairAgreement {
    /// The share of shared items on which the two agreed.
    #[must_use]
    pub fn agreed_share(&self) -> f64 {
        f64::from(self.agreed_items) / f64::from(self.shared_items.max(1))
    }
}

/// The chosen answer set, for a choice answer.
fn chosen(value: &AnswerValue) -> Option<u32> {
    match value {
        AnswerValue::Choice { set, .. } => Some(set.0),
        _ => None,
    }
}

fn pair_key(a: ParticipantId, b: ParticipantId) -> u64 {
    (u64::from(a.0) << 32) | u64::from(b.0)
}

/// Every pair of participants who answered at least one same item of `question`, in
/// order of `(first, second)`. Empty for a question that is not a choice.
#[must_use]
pub fn pair_agreement(question: &Question) -> Vec<PairAgreement> {
    if !question.kind.is_choice() {
        return Vec::new();
    }
    let by_item = || question.answers.chunk_by(|a, b| a.item == b.item);
    // Sized first: one record per two people on an item, and nothing more.
    let meetings_count: usize = by_item()
        .map(|answers| answers.len() * answers.len().saturating_sub(1) / 2)
        .sum();
    // (pair, the two answers in the pair's order).
    let mut meetings: Vec<(u64, u64)> = Vec::with_capacity(meetings_count);
    let mut widest_value = 0_u32;
    for answers in by_item() {
        for (at, one) in answers.iter().enumerate() {
            let Some(one_said) = chosen(&one.value) else {
                continue;
            };
            widest_value = widest_value.max(one_said);
            for other in &answers[at + 1..] {
                let Some(other_said) = chosen(&other.value) else {
                    continue;
                };
                let (first, second, first_said, second_said) =
                    if one.participant < other.participant {
                        (one.participant, other.participant, one_said, other_said)
                    } else {
                        (other.participant, one.participant, other_said, one_said)
                    };
                meetings.push((
                    pair_key(first, second),
                    (u64::from(first_said) << 32) | u64::from(second_said),
                ));
            }
        }
    }
    meetings.sort_unstable();

    // How often each of the two gave each answer, over the pair's shared items.
    let mut habits = vec![(0_u64, 0_u64); widest_value as usize + 1];
    let mut touched: Vec<usize> = Vec::new();
    meetings
        .chunk_by(|a, b| a.0 == b.0)
        .map(|shared| {
            let mut agreed = 0_u64;
            for &(_, said) in shared {
                let (first_said, second_said) = ((said >> 32) as usize, said as u32 as usize);
                agreed += u64::from(first_said == second_said);
                for (value, side) in [(first_said, 0), (second_said, 1)] {
                    let habit = &mut habits[value];
                    if *habit == (0, 0) {
                        touched.push(value);
                    }
                    if side == 0 {
                        habit.0 += 1;
                    } else {
                        habit.1 += 1;
                    }
                }
            }
            let n = shared.len() as u64;
            // Agreement by chance, times n²: sum over answers of how often each gave it.
            let chance: u64 = touched
                .drain(..)
                .map(|value| {
                    let (first, second) = std::mem::take(&mut habits[value]);
                    first * second
                })
                .sum();
            let kappa = (chance < n * n)
                .then(|| (agreed * n) as f64 - chance as f64)
                .map(|above_chance| above_chance / ((n * n) as f64 - chance as f64));
            let pair = shared[0].0;
            PairAgreement {
                first: ParticipantId((pair >> 32) as u32),
                second: ParticipantId(pair as u32),
                shared_items: u32::try_from(n).unwrap_or(u32::MAX),
                agreed_items: u32::try_from(agreed).unwrap_or(u32::MAX),
                kappa,
            }
        })
        .collect()
}

/// Krippendorff's coincidence matrix of a choice question: for answers `c` and `k`, how
/// often one person said `c` and another said `k` on the same item, each item with `m`
/// answers adding `1 / (m - 1)` for every ordered pair of its answers from different
/// people. Items with fewer than two answers are not pairable and are left out.
///
/// Row `c` adds up to `n_c`, the answers `c` on pairable items; divided by it, the row
/// reads "when someone answered `c`, what the others on the same item answered".
#[derive(Clone, Debug, PartialEq)]
pub struct Coincidences {
    /// The answers seen on pairable items, by increasing id.
    pub values: Vec<ChoiceSetId>,
    /// `o_ck`, row by row (`values.len()` squared).
    pub counts: Vec<f64>,
}

impl Coincidences {
    /// The coincidences of `question` (empty for a question that is not a choice).
    #[must_use]
    pub fn of(question: &Question) -> Self {
        let items = if question.kind.is_choice() {
            bootstrap::choice_item_counts(question)
        } else {
            Vec::new()
        };
        let pairable = |counts: &&Vec<(u32, u32)>| counts.iter().map(|&(_, n)| n).sum::<u32>() >= 2;
        let mut values: Vec<u32> = items
            .iter()
            .filter(pairable)
            .flat_map(|counts| counts.iter().map(|&(value, _)| value))
            .collect();
        values.sort_unstable();
        values.dedup();
        let size = values.len();
        let index = |value: u32| values.binary_search(&value).unwrap_or(0);
        let mut counts = vec![0.0; size * size];
        for item in items.iter().filter(pairable) {
            let m: u32 = item.iter().map(|&(_, n)| n).sum();
            let weight = 1.0 / f64::from(m - 1);
            for &(c, n_c) in item {
                for &(k, n_k) in item {
                    // Ordered pairs of answers from different people.
                    let pairs = if c == k {
                        f64::from(n_c) * f64::from(n_c - 1)
                    } else {
                        f64::from(n_c) * f64::from(n_k)
                    };
                    counts[index(c) * size + index(k)] += pairs * weight;
                }
            }
        }
        Self {
            values: values.into_iter().map(ChoiceSetId).collect(),
            counts,
        }
    }

    /// `o_ck` for the answers at `row` and `column` of [`Self::values`].
    #[must_use]
    pub fn get(&self, row: usize, column: usize) -> f64 {
        self.counts
            .get(row * self.values.len() + column)
            .copied()
            .unwrap_or(0.0)
    }

    /// `n_c`: the answers at `row` on pairable items.
    #[must_use]
    pub fn row_total(&self, row: usize) -> f64 {
        let size = self.values.len();
        self.counts
            .get(row * size..(row + 1) * size)
            .map_or(0.0, |cells| cells.iter().sum())
    }

    /// Krippendorff's alpha for nominal data from the matrix, `1 - D_o / D_e`; `None`
    /// when fewer than two answers are pairable or only one answer was ever given.
    #[must_use]
    pub fn alpha(&self) -> Option<f64> {
        let size = self.values.len();
        let n: f64 = self.counts.iter().sum();
        let agreeing: f64 = (0..size).map(|value| self.get(value, value)).sum();
        let squares: f64 = (0..size).map(|value| self.row_total(value).powi(2)).sum();
        // D_o = (n - agreeing) / n; D_e = (n² - Σ n_c²) / (n (n - 1)).
        let expected = n * n - squares;
        (n >= 2.0 && expected > 1e-9).then(|| 1.0 - (n - 1.0) * (n - agreeing) / expected)
    }
}

/// Agreement between people and between answers on one choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionPairwise {
    pub question_id: String,
    pub pairs: Vec<PairAgreement>,
    pub coincidences: Coincidences,
    /// Krippendorff's alpha (the same as [`super::QuestionAgreement::krippendorff_alpha`]).
    pub alpha: Option<f64>,
    /// Items with two or more answers.
    pub items_rated: u32,
}

/// [`QuestionPairwise`] of one question.
#[must_use]
pub fn question_pairwise(question: &Question) -> QuestionPairwise {
    let items = bootstrap::choice_item_counts(question);
    let coincidences = Coincidences::of(question);
    QuestionPairwise {
        question_id: question.id.clone(),
        pairs: pair_agreement(question),
        alpha: coincidences.alpha(),
        items_rated: u32::try_from(
            items
                .iter()
                .filter(|counts| counts.iter().map(|&(_, n)| n).sum::<u32>() >= 2)
                .count(),
        )
        .unwrap_or(u32::MAX),
        coincidences,
    }
}

/// [`QuestionPairwise`] of every choice question of `set`, in the set's order.
#[must_use]
pub fn study_pairwise(set: &ResponseSet) -> Vec<QuestionPairwise> {
    set.questions()
        .iter()
        .filter(|question| question.kind.is_choice())
        .map(question_pairwise)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::analysis::agreement::NominalAlpha;
    use crate::analysis::model::one_choice_question as answers;
    use crate::analysis::model::{NewAnswer, QuestionKind, ResponseSetBuilder};

    fn pair<'a>(
        set: &ResponseSet,
        pairs: &'a [PairAgreement],
        a: &str,
        b: &str,
    ) -> &'a PairAgreement {
        pairs
            .iter()
            .find(|pair| {
                let names = [
                    set.participant_id(pair.first),
                    set.participant_id(pair.second),
                ];
                names == [a, b] || names == [b, a]
            })
            .expect("the pair")
    }

    #[test]
    fn pairs_count_shared_items_agreements_and_kappa() {
        // Ann and Bob share four items and agree on three; Cy shares only item 4 with
        // them; Dee answered alone.
        let set = answers(&[
            ("t1", "ann", "yes"),
            ("t1", "bob", "yes"),
            ("t2", "ann", "yes"),
            ("t2", "bob", "no"),
            ("t3", "ann", "no"),
            ("t3", "bob", "no"),
            ("t4", "ann", "no"),
            ("t4", "bob", "no"),
            ("t4", "cy", "yes"),
            ("t5", "dee", "yes"),
        ]);
        let pairs = pair_agreement(&set.questions()[0]);
        assert_eq!(pairs.len(), 3, "ann–bob, ann–cy, bob–cy; nobody with Dee");
        let ann_bob = pair(&set, &pairs, "ann", "bob");
        assert_eq!((ann_bob.shared_items, ann_bob.agreed_items), (4, 3));
        assert_eq!(ann_bob.agreed_share(), 0.75);
        // By hand: Ann said yes 2, no 2; Bob yes 1, no 3. p_o = 3/4,
        // p_e = (2·1 + 2·3) / 16 = 1/2, kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
        assert!((ann_bob.kappa.unwrap() - 0.5).abs() < 1e-12);
        let ann_cy = pair(&set, &pairs, "ann", "cy");
        assert_eq!((ann_cy.shared_items, ann_cy.agreed_items), (1, 0));
        // One item each, different answers: p_e = 0, kappa = 0.
        assert_eq!(ann_cy.kappa, Some(0.0));
        assert!(pairs.iter().all(|pair| pair.first < pair.second));
    }

    #[test]
    fn kappa_is_undefined_when_both_always_gave_the_same_one_answer() {
        let set = answers(&[
            ("t1", "ann", "yes"),
            ("t1", "bob", "yes"),
            ("t2", "ann", "yes"),
            ("t2", "bob", "yes"),
        ]);
        let pairs = pair_agreement(&set.questions()[0]);
        assert_eq!((pairs[0].shared_items, pairs[0].agreed_items), (2, 2));
        assert_eq!(pairs[0].kappa, None);
    }

    #[test]
    fn coincidences_match_krippendorffs_worked_example() {
        // Worked by hand: u1 = {a, a, b}, u2 = {a, a, a}, u3 = {b, c}, u4 = {c}.
        let set = answers(&[
            ("u1", "p1", "a"),
            ("u1", "p2", "a"),
            ("u1", "p3", "b"),
            ("u2", "p1", "a"),
            ("u2", "p2", "a"),
            ("u2", "p3", "a"),
            ("u3", "p1", "b"),
            ("u3", "p2", "c"),
            ("u4", "p1", "c"),
        ]);
        let matrix = Coincidences::of(&set.questions()[0]);
        assert_eq!(matrix.values.len(), 3);
        let name = |row: usize| set.choice_label(matrix.values[row]);
        let at = |c: &str, k: &str| {
            let row = (0..3).find(|&row| name(row) == c).unwrap();
            let column = (0..3).find(|&column| name(column) == k).unwrap();
            matrix.get(row, column)
        };
        // u1 (m = 3): a–a 2 ordered pairs, a–b 2, b–a 2, each / 2. u2 (m = 3): a–a 6 / 2.
        // u3 (m = 2): b–c 1, c–b 1. u4: one answer, left out.
        assert_eq!(at("a", "a"), 1.0 + 3.0);
        assert_eq!(at("a", "b"), 1.0);
        assert_eq!(at("b", "a"), 1.0);
        assert_eq!(at("b", "c"), 1.0);
        assert_eq!(at("c", "b"), 1.0);
        assert_eq!(at("b", "b"), 0.0);
        assert_eq!(at("c", "c"), 0.0);
        // Rows add up to the pairable answers of each value: a 5, b 2, c 1.
        let row = |c: &str| (0..3).find(|&row| name(row) == c).unwrap();
        assert_eq!(matrix.row_total(row("a")), 5.0);
        assert_eq!(matrix.row_total(row("b")), 2.0);
        assert_eq!(matrix.row_total(row("c")), 1.0);
        // alpha = 1 - (n - 1) (n - Σ o_cc) / (n² - Σ n_c²) = 1 - 7 · 4 / (64 - 30) = 3/17.
        assert!((matrix.alpha().unwrap() - 3.0 / 17.0).abs() < 1e-12);
        let mut sums = NominalAlpha::new();
        for counts in bootstrap::choice_item_counts(&set.questions()[0]) {
            sums.add_item(&counts);
        }
        assert!(
            (sums.alpha().unwrap() - 3.0 / 17.0).abs() < 1e-12,
            "the same alpha as agreement.rs"
        );
    }

    #[test]
    fn the_coincidences_give_agreement_rs_alpha_on_varied_data() {
        // Items with 2 to 6 answers among 4 options, missing answers and lone answers.
        let mut rows = Vec::new();
        let people = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
        let options = ["a", "b", "c", "d"];
        let tasks: Vec<String> = (0..60).map(|item| format!("t{item}")).collect();
        let mut state = 7_u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 33) % bound) as usize
        };
        for task in &tasks {
            let truth = next(4);
            let raters = 1 + next(6);
            for person in people.iter().skip(next(2)).take(raters) {
                let option = if next(3) == 0 { next(4) } else { truth };
                rows.push((task.as_str(), *person, options[option]));
            }
        }
        let set = answers(&rows);
        let matrix = Coincidences::of(&set.questions()[0]);
        let mut alpha = NominalAlpha::new();
        for counts in bootstrap::choice_item_counts(&set.questions()[0]) {
            alpha.add_item(&counts);
        }
        let (from_matrix, from_sums) = (matrix.alpha().unwrap(), alpha.alpha().unwrap());
        assert!(
            (from_matrix - from_sums).abs() < 1e-9,
            "{from_matrix} vs {from_sums}"
        );
        let whole = question_pairwise(&set.questions()[0]);
        assert_eq!(whole.alpha, Some(from_matrix));
        // Every pair's shared items add up to the pairs of people on each item.
        let meetings: u32 = bootstrap::choice_item_counts(&set.questions()[0])
            .iter()
            .map(|counts| {
                let m: u32 = counts.iter().map(|&(_, n)| n).sum();
                m * m.saturating_sub(1) / 2
            })
            .sum();
        assert_eq!(
            whole
                .pairs
                .iter()
                .map(|pair| pair.shared_items)
                .sum::<u32>(),
            meetings
        );
    }

    #[test]
    fn every_pair_on_an_item_is_found_whatever_the_order() {
        let set = answers(&[
            ("t1", "cy", "a"),
            ("t1", "ann", "a"),
            ("t1", "bob", "b"),
            ("t2", "bob", "b"),
            ("t2", "cy", "a"),
        ]);
        let pairs = pair_agreement(&set.questions()[0]);
        assert_eq!(pairs.len(), 3);
        let bob_cy = pair(&set, &pairs, "bob", "cy");
        assert_eq!((bob_cy.shared_items, bob_cy.agreed_items), (2, 0));
        let ann_cy = pair(&set, &pairs, "ann", "cy");
        assert_eq!((ann_cy.shared_items, ann_cy.agreed_items), (1, 1));
    }

    #[test]
    fn questions_that_are_not_choices_have_no_pairs() {
        let mut builder = ResponseSetBuilder::new();
        for person in ["ann", "bob"] {
            builder.add(
                "t1",
                "why",
                QuestionKind::FreeText,
                person,
                NewAnswer::Text("because"),
            );
        }
        let set = builder.finish();
        assert!(pair_agreement(&set.questions()[0]).is_empty());
        assert!(Coincidences::of(&set.questions()[0]).values.is_empty());
        assert!(study_pairwise(&set).is_empty());
    }
}
