//! Results analysis (issue 9): Prolific's responses read into a compact model
//! ([`model`], [`parse`]; out of the export ZIP, its files found by name, [`export`]), agreement between participants per question and per item
//! ([`agreement`]: Krippendorff's alpha for nominal data, pairwise percent agreement,
//! majority share; between people and between answers, pair by pair, in [`pairwise`]),
//! majority-vote consolidated labels with their support and option
//! counts ([`consolidate`]), model-based consensus with each person's reliability
//! ([`consensus`]: Dawid-Skene and MACE), number answers' mean, median and distribution
//! ([`numbers`]), and the tidy CSV a researcher takes home with its column guide
//! ([`tidy`]).

pub mod agreement;
pub mod bootstrap;
pub mod consensus;
pub mod consolidate;
pub mod export;
pub mod item_lists;
pub mod mixed;
pub mod model;
pub mod numbers;
pub mod pairwise;
pub mod parse;
pub mod recompute;
pub mod scorecard;
pub mod tidy;

use serde::Serialize;
use specta::Type;

use scorecard::KnownAnswers;

pub use export::{
    ExportContents, ExportMembers, ResponsesFormat, find_export_members, open_export_zip,
    read_export_zip,
};
pub use model::{
    AddedAnswers, Answer, AnswerValue, ChoiceSetId, ItemId, NewAnswer, Numbering, ParticipantId,
    Question, QuestionKind, ResponseSet, ResponseSetBuilder,
};
pub use parse::{
    BatchLayout, OptionLabel, ParseError, batch_layout, question_names, read_responses_json,
    read_responses_jsonl,
};

pub use agreement::{
    AgreementThresholds, ItemAgreement, NominalAlpha, item_agreement, nominal_alpha,
};
pub use consensus::summary::{AnnotatorReliability, ItemConsensus, QuestionConsensus};
pub use consolidate::{ConsolidatedLabel, MajorityVote, OptionCount, majority_vote};
pub use numbers::{NumberBin, NumberSummary};
pub use tidy::{
    ColumnMeaning, OriginalData, TidyError, TidySummary, column_guide_path, write_column_guide,
    write_tidy_csv, write_tidy_csv_with_options,
};

/// What to analyse with.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AnalysisOptions {
    pub thresholds: AgreementThresholds,
}

/// Everything the results screen and the tidy CSV show about a batch's responses.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// Items (tasks) with at least one answer.
    pub item_count: u32,
    pub participant_count: u32,
    #[specta(type = u32)]
    pub answer_count: u64,
    /// Records that could not be used, repeated answers (the first was kept) and empty
    /// answers, so that nothing is dropped without saying.
    #[specta(type = u32)]
    pub skipped_records: u64,
    #[specta(type = u32)]
    pub duplicate_answers: u64,
    #[specta(type = u32)]
    pub empty_answers: u64,
    pub questions: Vec<QuestionAnalysis>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionAnalysis {
    pub question_id: String,
    pub kind: QuestionKind,
    #[specta(type = u32)]
    pub answer_count: u64,
    pub items_answered: u32,
    pub participant_count: u32,
    /// For choice questions only.
    pub agreement: Option<QuestionAgreement>,
    /// Answers per option, most chosen first, then by value (choice questions only).
    pub distribution: Vec<OptionCount>,
    /// The consolidated answer and agreement of every item (choice questions only), in
    /// item order. Kept in Rust: the page gets the lists below, a page at a time.
    #[serde(skip)]
    pub items: Vec<ItemResult>,
    /// Items people disagreed on or tied (choice questions only): the first few, and
    /// how many ([`item_lists`]).
    pub flagged: item_lists::ItemsPreview,
    /// Items the model-based consensus asks to review (choice questions with a
    /// consensus): the first few, and how many.
    pub to_review: item_lists::ItemsPreview,
    /// Items the model-based consensus labelled.
    pub consensus_items: u32,
    /// Mean, median and distribution (number questions only).
    pub numbers: Option<NumberSummary>,
    /// The model-based consensus and each person's reliability (choice questions only);
    /// each item's label is in [`ItemResult::consensus`].
    pub consensus: Option<QuestionConsensus>,
}

/// Agreement for one choice question across all its items.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionAgreement {
    /// Krippendorff's alpha for nominal data; `None` when undefined (fewer than two
    /// pairable answers, or one value everywhere).
    pub krippendorff_alpha: Option<f64>,
    /// The mean over items with two or more answers of the share of agreeing pairs.
    pub percent_agreement: Option<f64>,
    /// Items with two or more answers (the ones agreement is measured on).
    pub items_rated: u32,
    #[specta(type = u32)]
    pub pairable_answers: u64,
    pub low_agreement_items: u32,
    pub tied_items: u32,
    /// True when some answer held several options: such answers are compared as whole
    /// sets (`{a, b}` differs from `{a}`), which the app should say next to alpha.
    pub answer_sets_compared_whole: bool,
}

/// One item's result for one choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    /// The item's number in the [`ResponseSet`] (see [`ResponseSet::task_id`]).
    pub item: u32,
    pub task_id: String,
    pub consolidated: ConsolidatedLabel,
    pub agreement: ItemAgreement,
    /// The label the Dawid-Skene model finds most likely, with its probability.
    pub consensus: Option<ItemConsensus>,
}

/// Measures agreement and consolidates the answers of every question.
#[must_use]
pub fn analyse(set: &ResponseSet, options: &AnalysisOptions) -> Analysis {
    analyse_with_known(set, options, None)
}

/// As [`analyse`], with the answers known to be right for one question pinning its
/// items in the model-based consensus.
#[must_use]
pub fn analyse_with_known(
    set: &ResponseSet,
    options: &AnalysisOptions,
    known: Option<&KnownAnswers>,
) -> Analysis {
    let questions: Vec<QuestionAnalysis> = set
        .questions()
        .iter()
        .map(|question| {
            let known = known
                .filter(|known| known.question_id == question.id)
                .map(|known| &known.by_task);
            analyse_question(set, question, options, known)
        })
        .collect();
    Analysis {
        item_count: saturating_u32(set.item_count()),
        participant_count: saturating_u32(set.participant_count()),
        answer_count: questions.iter().map(|question| question.answer_count).sum(),
        skipped_records: set.skipped_records,
        duplicate_answers: set.duplicate_answers,
        empty_answers: set.empty_answers,
        questions,
    }
}

fn saturating_u32(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

fn analyse_question(
    set: &ResponseSet,
    question: &Question,
    options: &AnalysisOptions,
    known: Option<&consensus::Known>,
) -> QuestionAnalysis {
    let mut seen = vec![false; set.participant_count()];
    for answer in &question.answers {
        if let Some(seen) = seen.get_mut(answer.participant.0 as usize) {
            *seen = true;
        }
    }
    // Answers are sorted by item, so each item's answers are one run.
    let by_item = question.answers.chunk_by(|a, b| a.item == b.item);
    let mut analysis = QuestionAnalysis {
        question_id: question.id.clone(),
        kind: question.kind,
        answer_count: question.answers.len() as u64,
        items_answered: saturating_u32(by_item.clone().count()),
        participant_count: saturating_u32(seen.iter().filter(|&&seen| seen).count()),
        agreement: None,
        distribution: Vec::new(),
        items: Vec::new(),
        flagged: item_lists::ItemsPreview::default(),
        to_review: item_lists::ItemsPreview::default(),
        consensus_items: 0,
        numbers: (question.kind == QuestionKind::FreeTextWithUnit)
            .then(|| numbers::summarise(question)),
        consensus: None,
    };
    if !question.kind.is_choice() {
        return analysis;
    }
    let mut option_counts = vec![0_u64; set.option_value_count()];
    let mut alpha = NominalAlpha::new();
    let (mut values, mut counts) = (Vec::new(), Vec::new());
    let (mut low_agreement_items, mut tied_items) = (0_u32, 0_u32);
    let mut answer_sets_compared_whole = false;
    let mut items = Vec::with_capacity(by_item.clone().count());
    for answers in by_item {
        values.clear();
        for answer in answers {
            if let AnswerValue::Choice { set: chosen, .. } = answer.value {
                values.push(chosen.0);
                let members = set.choice_set_members(chosen);
                answer_sets_compared_whole |= members.len() > 1;
                for &member in members {
                    if let Some(count) = option_counts.get_mut(member as usize) {
                        *count += 1;
                    }
                }
            }
        }
        agreement::count_values(&values, &mut counts);
        alpha.add_item(&counts);
        let item_agreement = item_agreement(&counts, &options.thresholds);
        let consolidated = ConsolidatedLabel::from_vote(&majority_vote(&counts), |id| {
            set.choice_label(ChoiceSetId(id))
        });
        low_agreement_items += u32::from(item_agreement.low_agreement);
        tied_items += u32::from(consolidated.is_tie());
        let item = answers.first().map_or(ItemId(0), |answer| answer.item);
        items.push(ItemResult {
            item: item.0,
            task_id: set.task_id(item).to_owned(),
            consolidated,
            agreement: item_agreement,
            consensus: None,
        });
    }
    let answer_count = analysis.answer_count;
    analysis.distribution = option_counts
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count > 0)
        .map(|(value, &count)| OptionCount {
            value: set.option_value(saturating_u32(value)).to_owned(),
            count,
            share_of_answers: (answer_count > 0).then(|| count as f64 / answer_count as f64),
        })
        .collect();
    analysis
        .distribution
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    analysis.agreement = Some(QuestionAgreement {
        krippendorff_alpha: alpha.alpha(),
        percent_agreement: alpha.mean_pairwise_agreement(),
        items_rated: u32::try_from(alpha.pairable_items()).unwrap_or(u32::MAX),
        pairable_answers: alpha.pairable_answers(),
        low_agreement_items,
        tied_items,
        answer_sets_compared_whole,
    });
    analysis.consensus = consensus::summary::fill(set, question, known, &mut items);
    analysis.flagged = item_lists::preview(&items, item_lists::ItemList::Flagged);
    analysis.to_review = item_lists::preview(&items, item_lists::ItemList::ToReview);
    analysis.consensus_items =
        saturating_u32(items.iter().filter(|item| item.consensus.is_some()).count());
    analysis.items = items;
    analysis
}
