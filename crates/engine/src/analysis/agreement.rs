//! How much participants agree: Krippendorff's alpha for nominal data across a
//! question's items, pairwise percent agreement, and per item the pairwise agreement and
//! the majority share.
//!
//! Alpha follows the coincidence-matrix formulation of Krippendorff, "Computing
//! Krippendorff's Alpha-Reliability" (2011): only items with two or more answers are
//! pairable; each pairable item with `m` answers adds `1 / (m - 1)` to the coincidence of
//! every ordered pair of answers from different people, so missing answers and varying
//! numbers of people per item are handled. For nominal data this reduces to
//!
//! ```text
//! alpha = 1 - (n - 1) * sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1)
//!                      / (n^2 - sum_c n_c^2)
//! ```
//!
//! with `n_uc` the answers of value `c` for item `u`, `n_c` their totals over pairable
//! items and `n` all pairable answers. When every pairable answer is the same value the
//! expected disagreement is zero and alpha is undefined (`None`), not 1.
//!
//! A multiple-choice question that allows several options is compared **answer set by
//! answer set**: `{a, b}` and `{a}` are two different nominal values (partial overlap
//! counts as disagreement).

use serde::Serialize;
use specta::Type;

/// When an item's answers count as low agreement. An item is flagged when its majority
/// share or its pairwise agreement is below these (only items with two or more answers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgreementThresholds {
    /// Default 0.6: fewer than three in five chose the most common answer.
    pub min_majority_share: f64,
    /// Default 0.3: fewer than about one pair of people in three gave the same answer
    /// (a 2-to-1 split among three people, 1/3, is not flagged; a three-way split is).
    pub min_pairwise_agreement: f64,
}

impl Default for AgreementThresholds {
    fn default() -> Self {
        Self {
            min_majority_share: 0.6,
            min_pairwise_agreement: 0.3,
        }
    }
}

/// How the answers to one item agree.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemAgreement {
    /// How many people answered.
    pub answers: u32,
    /// The share of pairs of people who gave the same answer; `None` with fewer than two
    /// answers.
    pub percent_agreement: Option<f64>,
    /// The share of answers that are the most common one; `None` with no answers.
    pub majority_share: Option<f64>,
    pub low_agreement: bool,
}

/// Agreement of one item from how many people gave each answer (`counts`: one
/// `(answer, people)` entry per distinct answer, in any order).
#[must_use]
pub fn item_agreement(counts: &[(u32, u32)], thresholds: &AgreementThresholds) -> ItemAgreement {
    let answers: u32 = counts.iter().map(|&(_, count)| count).sum();
    let m = f64::from(answers);
    let percent_agreement = (answers >= 2).then(|| {
        let agreeing_pairs: f64 = counts
            .iter()
            .map(|&(_, count)| f64::from(count) * (f64::from(count) - 1.0))
            .sum();
        agreeing_pairs / (m * (m - 1.0))
    });
    let majority_share = (answers >= 1)
        .then(|| f64::from(counts.iter().map(|&(_, count)| count).max().unwrap_or(0)) / m);
    let low_agreement = answers >= 2
        && (majority_share.is_some_and(|share| share < thresholds.min_majority_share)
            || percent_agreement.is_some_and(|share| share < thresholds.min_pairwise_agreement));
    ItemAgreement {
        answers,
        percent_agreement,
        majority_share,
        low_agreement,
    }
}

/// Sums what Krippendorff's nominal alpha needs, one item at a time.
#[derive(Clone, Debug, Default)]
pub struct NominalAlpha {
    /// `sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1)`: the off-diagonal coincidences.
    observed_disagreement: f64,
    /// `n_c`, indexed by value.
    value_totals: Vec<u64>,
    /// `n`.
    pairable_answers: u64,
    pairable_items: u64,
    /// Sum of the items' pairwise agreement, for its mean.
    pairwise_sum: f64,
}

impl NominalAlpha {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one item: `(value, how many people gave it)` for each distinct value. Items
    /// with fewer than two answers are not pairable and change nothing.
    pub fn add_item(&mut self, counts: &[(u32, u32)]) {
        let answers: u64 = counts.iter().map(|&(_, count)| u64::from(count)).sum();
        if answers < 2 {
            return;
        }
        let squares: u64 = counts
            .iter()
            .map(|&(_, count)| u64::from(count) * u64::from(count))
            .sum();
        let m = answers as f64;
        self.observed_disagreement += (answers * answers - squares) as f64 / (m - 1.0);
        self.pairwise_sum += (squares - answers) as f64 / (m * (m - 1.0));
        self.pairable_answers += answers;
        self.pairable_items += 1;
        for &(value, count) in counts {
            let index = value as usize;
            if self.value_totals.len() <= index {
                self.value_totals.resize(index + 1, 0);
            }
            self.value_totals[index] += u64::from(count);
        }
    }

    /// Krippendorff's alpha; `None` when fewer than two answers are pairable or every
    /// pairable answer is the same value (no expected disagreement).
    #[must_use]
    pub fn alpha(&self) -> Option<f64> {
        let n = self.pairable_answers as f64;
        let squares: f64 = self
            .value_totals
            .iter()
            .map(|&total| (total as f64) * (total as f64))
            .sum();
        let expected_disagreement = n * n - squares;
        (self.pairable_answers >= 2 && expected_disagreement > 0.0)
            .then(|| 1.0 - (n - 1.0) * self.observed_disagreement / expected_disagreement)
    }

    /// The mean over pairable items of the share of agreeing pairs of people.
    #[must_use]
    pub fn mean_pairwise_agreement(&self) -> Option<f64> {
        (self.pairable_items > 0).then(|| self.pairwise_sum / self.pairable_items as f64)
    }

    #[must_use]
    pub fn pairable_items(&self) -> u64 {
        self.pairable_items
    }

    #[must_use]
    pub fn pairable_answers(&self) -> u64 {
        self.pairable_answers
    }
}

/// Krippendorff's alpha for nominal data over reliability data given item by item:
/// each item lists the values people gave it (a missing answer is simply left out).
#[must_use]
pub fn nominal_alpha<I, V>(items: I) -> Option<f64>
where
    I: IntoIterator<Item = V>,
    V: AsRef<[u32]>,
{
    let mut alpha = NominalAlpha::new();
    let mut counts = Vec::new();
    for values in items {
        count_values(values.as_ref(), &mut counts);
        alpha.add_item(&counts);
    }
    alpha.alpha()
}

/// `(value, count)` for each distinct value, into `counts` (cleared first).
pub fn count_values(values: &[u32], counts: &mut Vec<(u32, u32)>) {
    counts.clear();
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    for value in sorted {
        match counts.last_mut() {
            Some((last, count)) if *last == value => *count += 1,
            _ => counts.push((value, 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_agreement_counts_pairs_and_the_majority() {
        let thresholds = AgreementThresholds::default();
        let split = item_agreement(&[(0, 2), (1, 1)], &thresholds);
        assert_eq!(split.answers, 3);
        assert!((split.percent_agreement.unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((split.majority_share.unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!(!split.low_agreement);
        let three_ways = item_agreement(&[(0, 1), (1, 1), (2, 1)], &thresholds);
        assert_eq!(three_ways.percent_agreement, Some(0.0));
        assert!(three_ways.low_agreement);
        let alone = item_agreement(&[(0, 1)], &thresholds);
        assert_eq!(alone.percent_agreement, None);
        assert_eq!(alone.majority_share, Some(1.0));
        assert!(!alone.low_agreement, "one answer cannot disagree");
        assert_eq!(item_agreement(&[], &thresholds).majority_share, None);
    }
}
