//! A bootstrap confidence interval for Krippendorff's alpha: the items are resampled with
//! replacement (the unit a study samples), alpha is computed on each resample, and the
//! middle 95 % of those values is the interval (the percentile method). Seeded, so the
//! same answers always give the same interval.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::agreement::{NominalAlpha, count_values};
use super::model::{AnswerValue, Question, ResponseSet};

/// Resamples drawn: enough for the 2.5th and 97.5th percentiles to settle to two decimals.
pub const RESAMPLES: u32 = 1000;

/// The 95 % interval of alpha over resampled items.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AlphaInterval {
    pub low: f64,
    pub high: f64,
    pub resamples: u32,
}

/// Each item's answers to a choice question as `(answer set, how many gave it)`.
#[must_use]
pub fn choice_item_counts(question: &Question) -> Vec<Vec<(u32, u32)>> {
    let mut values = Vec::new();
    question
        .answers
        .chunk_by(|a, b| a.item == b.item)
        .map(|answers| {
            values.clear();
            values.extend(answers.iter().filter_map(|answer| match answer.value {
                AnswerValue::Choice { set, .. } => Some(set.0),
                _ => None,
            }));
            let mut counts = Vec::new();
            count_values(&values, &mut counts);
            counts
        })
        .collect()
}

/// The interval for `items` (see [`choice_item_counts`]); `None` with fewer than two
/// pairable items or when no resample has an alpha.
#[must_use]
pub fn alpha_interval(
    items: &[Vec<(u32, u32)>],
    resamples: u32,
    seed: u64,
) -> Option<AlphaInterval> {
    let pairable: Vec<&Vec<(u32, u32)>> = items
        .iter()
        .filter(|counts| counts.iter().map(|&(_, count)| count).sum::<u32>() >= 2)
        .collect();
    if pairable.len() < 2 {
        return None;
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut alphas: Vec<f64> = (0..resamples)
        .filter_map(|_| {
            let mut alpha = NominalAlpha::new();
            for _ in 0..pairable.len() {
                alpha.add_item(pairable[rng.usize(..pairable.len())]);
            }
            alpha.alpha().filter(|value| value.is_finite())
        })
        .collect();
    if alphas.is_empty() {
        return None;
    }
    alphas.sort_by(f64::total_cmp);
    let at = |share: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = ((alphas.len() - 1) as f64 * share).round() as usize;
        alphas[index]
    };
    Some(AlphaInterval {
        low: at(0.025),
        high: at(0.975),
        resamples: u32::try_from(alphas.len()).unwrap_or(u32::MAX),
    })
}

/// The interval of every choice question of `set`, by question id.
#[must_use]
pub fn alpha_intervals(set: &ResponseSet, seed: u64) -> Vec<(String, Option<AlphaInterval>)> {
    set.questions()
        .iter()
        .filter(|question| question.kind.is_choice())
        .map(|question| {
            (
                question.id.clone(),
                alpha_interval(&choice_item_counts(question), RESAMPLES, seed),
            )
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_holds_the_alpha_and_narrows_with_more_items() {
        // Three people on each item: mostly all agree, now and then one differs.
        let items = |count: u32| -> Vec<Vec<(u32, u32)>> {
            (0..count)
                .map(|item| match item % 5 {
                    0 => vec![(0, 2), (1, 1)],
                    1 | 2 => vec![(0, 3)],
                    _ => vec![(1, 3)],
                })
                .collect()
        };
        let mut whole = NominalAlpha::new();
        for counts in items(40) {
            whole.add_item(&counts);
        }
        let alpha = whole.alpha().unwrap();
        let small = alpha_interval(&items(40), RESAMPLES, 7).unwrap();
        assert!(
            small.low < alpha && alpha < small.high,
            "{small:?} around {alpha}"
        );
        let large = alpha_interval(&items(400), RESAMPLES, 7).unwrap();
        assert!(large.high - large.low < small.high - small.low);
        assert_eq!(
            alpha_interval(&items(40), RESAMPLES, 7),
            Some(small),
            "seeded"
        );
        assert_eq!(alpha_interval(&[vec![(0, 2)]], RESAMPLES, 7), None);
    }
}
