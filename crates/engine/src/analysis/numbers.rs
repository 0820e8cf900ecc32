//! Number answers (`free_text_with_unit`): read as numbers, summarised by their mean,
//! median, range and distribution, for the results overview and the tidy CSV.
//!
//! Answers in different units are never averaged together: a question's figures are
//! those of its main unit (the one most answers used), and answers in another unit, or
//! that are not numbers, are counted as left out so the researcher is told.

use serde::Serialize;
use specta::Type;

use super::model::{AnswerValue, Question};

/// At most this many distinct values are counted one by one; more are grouped in ranges.
pub const MAX_SINGLE_VALUES: usize = 12;
/// About how many ranges a spread of many values is grouped in.
const TARGET_BINS: f64 = 8.0;

/// What the answers to a number question add up to.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NumberSummary {
    /// The unit of the answers summarised (the one most answers used); `None` when the
    /// question has no units.
    pub unit: Option<String>,
    /// `unit` after a quantity of one (`star` for `stars`).
    pub unit_for_one: Option<String>,
    /// Whether the unit stands before the number (`£12`), as the question showed it.
    pub unit_before: bool,
    /// Answers summarised: numbers in `unit`.
    #[specta(type = u32)]
    pub count: u64,
    /// Answers in another unit than `unit`, not summarised.
    #[specta(type = u32)]
    pub other_units: u64,
    /// Answers that could not be read as a number, not summarised.
    #[specta(type = u32)]
    pub not_numbers: u64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// How many answers fell on each value (up to [`MAX_SINGLE_VALUES`] distinct values)
    /// or in each range, lowest first.
    pub distribution: Vec<NumberBin>,
}

/// A value (`from == to`) or a range of values and how many answers fell in it. A range
/// holds `from <= x < to`, the last one `from <= x <= to`.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NumberBin {
    pub from: f64,
    pub to: f64,
    #[specta(type = u32)]
    pub count: u64,
}

/// A number answer as typed: a plain decimal (`12`, `-3.5`, `1e3`), or with a decimal
/// comma and no point (`3,5`). `None` for anything else, and for infinities.
#[must_use]
pub fn read_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let number = text.parse::<f64>().ok().or_else(|| {
        (text.matches(',').count() == 1 && !text.contains('.'))
            .then(|| text.replace(',', ".").parse::<f64>().ok())
            .flatten()
    })?;
    number.is_finite().then_some(number)
}

/// The unit most answers to `question` used (the first seen on a tie); `None` when no
/// answer has one.
#[must_use]
pub fn main_unit(question: &Question) -> Option<&str> {
    let mut counts: Vec<(&str, u64)> = Vec::new();
    for answer in &question.answers {
        if let AnswerValue::TextWithUnit {
            unit: Some(unit), ..
        } = &answer.value
        {
            match counts.iter_mut().find(|(seen, _)| seen == &&**unit) {
                Some((_, count)) => *count += 1,
                None => counts.push((unit, 1)),
            }
        }
    }
    let most = counts.iter().map(|&(_, count)| count).max()?;
    counts
        .into_iter()
        .find(|&(_, count)| count == most)
        .map(|(unit, _)| unit)
}

/// An answer's number when it is in `unit` (both without a unit, or the same unit).
#[must_use]
pub fn number_in(value: &AnswerValue, unit: Option<&str>) -> Option<f64> {
    match value {
        AnswerValue::TextWithUnit {
            value,
            unit: answered,
        } if answered.as_deref() == unit => read_number(value),
        AnswerValue::Text(value) if unit.is_none() => read_number(value),
        _ => None,
    }
}

/// Summarises a number question's answers in its main unit.
#[must_use]
pub fn summarise(question: &Question) -> NumberSummary {
    let unit = main_unit(question);
    let mut values = Vec::with_capacity(question.answers.len());
    let (mut other_units, mut not_numbers) = (0, 0);
    for answer in &question.answers {
        match &answer.value {
            AnswerValue::TextWithUnit {
                value,
                unit: answered,
            } if answered.as_deref() != unit => {
                if read_number(value).is_some() {
                    other_units += 1;
                } else {
                    not_numbers += 1;
                }
            }
            value => match number_in(value, unit) {
                Some(number) => values.push(number),
                None => not_numbers += 1,
            },
        }
    }
    let stats = Stats::of(&mut values);
    NumberSummary {
        unit: unit.map(str::to_owned),
        unit_for_one: unit.map(unit_for_one),
        unit_before: false,
        count: values.len() as u64,
        other_units,
        not_numbers,
        mean: stats.mean,
        median: stats.median,
        min: values.first().copied(),
        max: values.last().copied(),
        distribution: distribution(&values),
    }
}

/// The mean and median of some numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

impl Stats {
    /// Sorts `values` (ascending) and measures them.
    pub fn of(values: &mut [f64]) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        values.sort_by(f64::total_cmp);
        let length = values.len();
        let middle = length / 2;
        let median = if length % 2 == 1 {
            values[middle]
        } else {
            f64::midpoint(values[middle - 1], values[middle])
        };
        // Summed from the smallest up, so a mean of many close values keeps its digits.
        let mean = values.iter().sum::<f64>() / length as f64;
        Self {
            mean: Some(mean),
            median: Some(median),
        }
    }
}

/// Counts of sorted `values`: one per value when there are few distinct ones, else in
/// about [`TARGET_BINS`] ranges of a round width.
fn distribution(values: &[f64]) -> Vec<NumberBin> {
    let (Some(&low), Some(&high)) = (values.first(), values.last()) else {
        return Vec::new();
    };
    let mut singles: Vec<NumberBin> = Vec::new();
    for &value in values {
        if let Some(bin) = singles.last_mut().filter(|bin| bin.from == value) {
            bin.count += 1;
        } else if singles.len() > MAX_SINGLE_VALUES {
            break;
        } else {
            singles.push(NumberBin {
                from: value,
                to: value,
                count: 1,
            });
        }
    }
    if singles.len() <= MAX_SINGLE_VALUES {
        return singles;
    }
    let all_whole = values.iter().all(|value| value.fract() == 0.0);
    let mut width = round_width((high - low) / TARGET_BINS);
    if all_whole {
        width = width.max(1.0).ceil();
    }
    let start = (low / width).floor() * width;
    let bins = (((high - start) / width).floor() as usize + 1).max(1);
    let mut counts = vec![0_u64; bins];
    for &value in values {
        let index = (((value - start) / width).floor() as usize).min(bins - 1);
        counts[index] += 1;
    }
    let mut out: Vec<NumberBin> = counts
        .into_iter()
        .enumerate()
        .map(|(index, count)| NumberBin {
            from: start + width * index as f64,
            to: start + width * (index + 1) as f64,
            count,
        })
        .collect();
    // The top range ends at the highest answer when a rounding put it past the last edge.
    if let Some(last) = out.last_mut() {
        last.to = last.to.max(high);
    }
    out
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `raw`.
fn round_width(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let power = 10_f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|step| step * power)
        .find(|&width| width >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// A unit after a quantity of one, for units written as English plurals: `stars` →
/// `star`, `inches` → `inch`, `feet` → `foot`. Anything else is left as it is (`kg`,
/// `£`, `glass`, `bonus`).
#[must_use]
pub fn unit_for_one(unit: &str) -> String {
    let lower = unit.to_lowercase();
    let cut = if lower == "feet" {
        return if unit.starts_with('F') {
            "Foot"
        } else {
            "foot"
        }
        .to_owned();
    } else if ["ches", "shes", "sses", "xes", "zes"]
        .iter()
        .any(|ending| lower.ends_with(ending))
    {
        2
    } else if lower.ends_with('s')
        && lower.chars().count() > 2
        && !["ss", "us", "is", "'s"]
            .iter()
            .any(|ending| lower.ends_with(ending))
        && lower.chars().all(|c| c.is_alphabetic() || c == ' ')
    {
        1
    } else {
        0
    };
    let keep = unit.chars().count().saturating_sub(cut);
    unit.chars().take(keep).collect()
}

/// A number with its unit as a person reads it: `12 kg`, `1 star`, `3 stars`, or before
/// it when `before` (`£12`, or `USD 12` for a unit of letters).
#[must_use]
pub fn with_unit(value: &str, unit: Option<&str>, before: bool) -> String {
    let Some(unit) = unit.filter(|unit| !unit.trim().is_empty()) else {
        return value.to_owned();
    };
    if before {
        let glued = unit.chars().all(|c| !c.is_alphanumeric());
        return if glued {
            format!("{unit}{value}")
        } else {
            format!("{unit} {value}")
        };
    }
    let one = read_number(value).is_some_and(|number| number.abs() == 1.0);
    if one {
        format!("{value} {}", unit_for_one(unit))
    } else {
        format!("{value} {unit}")
    }
}

/// A number for a spreadsheet cell: at most four decimals, no trailing zeros (`12.5`,
/// `13`, `-0.3333`).
#[must_use]
pub fn plain_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Answer, QuestionKind};
    use crate::analysis::{ItemId, ParticipantId};

    fn question(answers: &[(&str, Option<&str>)]) -> Question {
        Question {
            id: "q".to_owned(),
            kind: QuestionKind::FreeTextWithUnit,
            answers: answers
                .iter()
                .enumerate()
                .map(|(index, &(value, unit))| Answer {
                    item: ItemId(0),
                    participant: ParticipantId(u32::try_from(index).unwrap_or(0)),
                    value: AnswerValue::TextWithUnit {
                        value: value.into(),
                        unit: unit.map(Into::into),
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn numbers_are_read_plainly_or_with_a_decimal_comma() {
        assert_eq!(read_number(" 12 "), Some(12.0));
        assert_eq!(read_number("-3.5"), Some(-3.5));
        assert_eq!(read_number("3,5"), Some(3.5));
        assert_eq!(read_number("1,000.5"), None);
        assert_eq!(read_number("inf"), None);
        assert_eq!(read_number("twelve"), None);
    }

    #[test]
    fn a_summary_keeps_to_the_main_unit_and_says_what_it_left_out() {
        let summary = summarise(&question(&[
            ("1", Some("stars")),
            ("4", Some("stars")),
            ("5", Some("stars")),
            ("2", Some("points")),
            ("lots", Some("stars")),
        ]));
        assert_eq!(summary.unit.as_deref(), Some("stars"));
        assert_eq!(
            (summary.count, summary.other_units, summary.not_numbers),
            (3, 1, 1)
        );
        assert_eq!(summary.mean, Some(10.0 / 3.0));
        assert_eq!(summary.median, Some(4.0));
        assert_eq!((summary.min, summary.max), (Some(1.0), Some(5.0)));
        let values: Vec<(f64, u64)> = summary
            .distribution
            .iter()
            .map(|bin| (bin.from, bin.count))
            .collect();
        assert_eq!(values, [(1.0, 1), (4.0, 1), (5.0, 1)]);
        assert!(summary.distribution.iter().all(|bin| bin.from == bin.to));
    }

    #[test]
    fn many_values_are_grouped_in_round_ranges_that_hold_every_answer() {
        let answers: Vec<String> = (0..=100).map(|value| value.to_string()).collect();
        let answers: Vec<(&str, Option<&str>)> =
            answers.iter().map(|value| (value.as_str(), None)).collect();
        let summary = summarise(&question(&answers));
        assert_eq!(summary.median, Some(50.0));
        assert_eq!(summary.mean, Some(50.0));
        let bins = &summary.distribution;
        assert!(bins.len() <= 12, "{bins:?}");
        assert_eq!(bins.iter().map(|bin| bin.count).sum::<u64>(), 101);
        assert_eq!(bins[0].from, 0.0);
        assert!(bins.windows(2).all(|pair| pair[0].to == pair[1].from));
        assert!(bins.last().is_some_and(|bin| bin.to >= 100.0));
        let even = summarise(&question(&[("1", None), ("2", None)]));
        assert_eq!(even.median, Some(1.5));
        assert_eq!(summarise(&question(&[])).mean, None);
    }

    #[test]
    fn one_star_reads_in_the_singular_and_a_currency_stands_before() {
        assert_eq!(with_unit("1", Some("stars"), false), "1 star");
        assert_eq!(with_unit("1.0", Some("stars"), false), "1.0 star");
        assert_eq!(with_unit("2", Some("stars"), false), "2 stars");
        assert_eq!(with_unit("1", Some("inches"), false), "1 inch");
        assert_eq!(with_unit("1", Some("feet"), false), "1 foot");
        assert_eq!(with_unit("1", Some("kg"), false), "1 kg");
        assert_eq!(with_unit("1", Some("glass"), false), "1 glass");
        assert_eq!(with_unit("1", Some("Hours"), false), "1 Hour");
        assert_eq!(with_unit("12", Some("£"), true), "£12");
        assert_eq!(with_unit("12", Some("USD"), true), "USD 12");
        assert_eq!(with_unit("12", None, true), "12");
        assert_eq!(unit_for_one("bus"), "bus");
    }

    #[test]
    fn cells_show_at_most_four_decimals_without_trailing_zeros() {
        assert_eq!(plain_number(12.0), "12");
        assert_eq!(plain_number(12.5), "12.5");
        assert_eq!(plain_number(-1.0 / 3.0), "-0.3333");
        assert_eq!(plain_number(-0.00001), "0");
    }
}
