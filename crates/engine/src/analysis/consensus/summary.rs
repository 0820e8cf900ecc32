//! The consensus as the results screen and the tidy CSV show it: each item's
//! Dawid-Skene label and confidence beside its majority vote (and MACE's label as a second
//! opinion), and each person's reliability, worst first.

use serde::Serialize;
use specta::Type;

use super::mace::{MaceOptions, mace};
use super::{ConsensusOptions, DAWID_SKENE, Known, dawid_skene};
use crate::analysis::model::{Question, ResponseSet};
use crate::analysis::{ItemResult, saturating_u32};

/// Below this confidence an item's consensus is called uncertain.
pub const LOW_CONFIDENCE: f64 = 0.8;

/// One item's model-based consensus.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemConsensus {
    /// The answer Dawid-Skene finds most likely (options chosen together joined with
    /// `; `, as the majority answer).
    pub label: String,
    /// Its probability under the model, from 0 to 1: given how often each person agreed
    /// with the others, how likely this label is right.
    pub confidence: f64,
    /// MACE's most likely answer and its probability: a second opinion.
    pub mace_label: String,
    pub mace_confidence: f64,
    /// The item's answer was known, so the label is that answer (confidence 1).
    pub known: bool,
}

/// One person's reliability on one question.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AnnotatorReliability {
    pub participant_id: String,
    pub answers: u32,
    /// Dawid-Skene's estimate of how often they give the right answer, from 0 to 1.
    pub reliability: f64,
    /// MACE's competence: how often they answer from knowing rather than guessing or
    /// answering the same whatever the item, from 0 to 1.
    pub competence: f64,
    /// Their confusion matrix: row `c` (the true answer, in
    /// [`QuestionConsensus::classes`] order), column `k`: how often they answer `k`.
    pub confusion: Vec<Vec<f64>>,
}

/// A choice question's model-based consensus.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionConsensus {
    /// `dawid-skene`.
    pub method: String,
    /// The answers given, sorted: the rows and columns of each confusion matrix.
    pub classes: Vec<String>,
    pub iterations: u32,
    pub converged: bool,
    /// Items whose answer was known (pinned to it).
    pub known_items: u32,
    /// Known answers that nobody gave, which the model could not use.
    pub unmatched_known: u32,
    /// Items with a majority answer where the model picked another.
    pub differs_from_majority: u32,
    /// Items whose majority vote tied, which the model settled.
    pub ties_settled: u32,
    /// Items whose consensus confidence is below [`LOW_CONFIDENCE`].
    pub uncertain_items: u32,
    /// [`LOW_CONFIDENCE`], for the words that name it: the rule is applied here only.
    pub low_confidence: f64,
    pub mean_confidence: f64,
    /// The share of items where MACE picked the same answer.
    pub mace_agreement: f64,
    /// Each person who answered, least reliable first.
    pub annotators: Vec<AnnotatorReliability>,
}

/// Fits both models to a choice question, writes each item's consensus into `items`
/// (the question's results, in item order) and returns the question's summary.
pub(crate) fn fill(
    set: &ResponseSet,
    question: &Question,
    known: Option<&Known>,
    items: &mut [ItemResult],
) -> Option<QuestionConsensus> {
    let fit = dawid_skene(set, question, known, &ConsensusOptions::default())?;
    let second = mace(set, question, known, &MaceOptions::default())?;
    let k = fit.class_count();
    let mut summary = QuestionConsensus {
        method: DAWID_SKENE.to_owned(),
        classes: fit.classes.clone(),
        iterations: fit.iterations,
        converged: fit.converged,
        known_items: saturating_u32(fit.pinned.iter().filter(|&&pinned| pinned).count()),
        unmatched_known: fit.unmatched_known,
        differs_from_majority: 0,
        ties_settled: 0,
        uncertain_items: 0,
        low_confidence: LOW_CONFIDENCE,
        mean_confidence: 0.0,
        mace_agreement: 0.0,
        annotators: Vec::new(),
    };
    let (mut confidence_sum, mut same_as_mace) = (0.0, 0_usize);
    // Both lists are in item order; the model's holds only items with a choice answer.
    let mut results = items.iter_mut();
    for (index, &item) in fit.items.iter().enumerate() {
        let Some(result) = results.find(|result| result.item == item.0) else {
            break;
        };
        let (Some((class, confidence)), Some((mace_class, mace_confidence))) =
            (fit.label(index), second.label(index))
        else {
            continue;
        };
        let label = &fit.classes[class];
        match &result.consolidated.label {
            Some(majority) if majority != label => summary.differs_from_majority += 1,
            None if !result.consolidated.tied_labels.is_empty() => summary.ties_settled += 1,
            _ => {}
        }
        summary.uncertain_items += u32::from(confidence < LOW_CONFIDENCE);
        confidence_sum += confidence;
        same_as_mace += usize::from(mace_class == class);
        result.consensus = Some(ItemConsensus {
            label: label.clone(),
            confidence,
            mace_label: second.classes[mace_class].clone(),
            mace_confidence,
            known: fit.pinned[index],
        });
    }
    let n = fit.items.len() as f64;
    summary.mean_confidence = confidence_sum / n;
    summary.mace_agreement = same_as_mace as f64 / n;
    let mut answers = vec![0_u32; set.participant_count()];
    for answer in &question.answers {
        if let Some(count) = answers.get_mut(answer.participant.0 as usize) {
            *count += 1;
        }
    }
    summary.annotators = fit
        .participants
        .iter()
        .enumerate()
        .map(|(index, &person)| AnnotatorReliability {
            participant_id: set.participant_id(person).to_owned(),
            answers: answers[person.0 as usize],
            reliability: fit.reliability[index],
            competence: second.competence[index],
            confusion: fit
                .confusion_of(index)
                .chunks_exact(k)
                .map(<[f64]>::to_vec)
                .collect(),
        })
        .collect();
    summary.annotators.sort_by(|a, b| {
        a.reliability
            .total_cmp(&b.reliability)
            .then_with(|| a.participant_id.cmp(&b.participant_id))
    });
    Some(summary)
}
