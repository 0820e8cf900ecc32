//! Recomputing a study's figures outside the app (issue 19, reproducible reports): the
//! answers as the app counted them, written in Prolific's own record format with the
//! order the app numbered them in, the known answers that pinned items, and every model
//! option and seed ([`AnalysisSettings`]). [`recompute`] reads them back and works out
//! each choice question's consensus (Dawid-Skene and MACE), Krippendorff's alpha and its
//! bootstrap interval: the app's figures to the last bit. The reproducibility package
//! (`crate::results`) holds these files; `consensus_cli` reads it.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::bootstrap::{self, AlphaInterval};
use super::consensus::mace::{MACE, MaceFit, MaceOptions, mace};
use super::consensus::{ConsensusOptions, DAWID_SKENE, DawidSkeneFit, Known, dawid_skene};
use super::model::{AnswerValue, Numbering, ResponseSet, ResponseSetBuilder};
use super::{NominalAlpha, ParseError};

/// The package's files that the recomputation reads.
pub const ANSWERS_FILE: &str = "answers.jsonl";
pub const NUMBERING_FILE: &str = "numbering.json";
pub const KNOWN_FILE: &str = "known-answers.csv";
pub const ANALYSIS_FILE: &str = "analysis.json";

/// The seed of the bootstrap: the same answers give the same interval in every report.
pub const BOOTSTRAP_SEED: u64 = 2026;

/// Every option of the analysis, as `analysis.json` records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisSettings {
    /// The Batchdesk version that worked out the figures.
    pub app_version: String,
    pub consensus: ConsensusSettings,
    pub agreement: AgreementSettings,
    pub bootstrap: BootstrapSettings,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsensusSettings {
    /// The models fitted: the label is the first's, the second is a second opinion.
    pub methods: Vec<String>,
    pub dawid_skene: DawidSkeneSettings,
    pub mace: MaceSettings,
    /// What a class is: each distinct answer, options sorted and joined with `; `.
    pub classes: String,
    /// Items whose answer is known are pinned to it (confidence 1).
    pub known_answers_pin_items: bool,
    /// Both models start from the majority vote, so nothing in them is random.
    pub initialisation: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DawidSkeneSettings {
    pub max_iterations: u32,
    /// Stops once the mean log likelihood per item changes by less than this.
    pub tolerance: f64,
    pub probability_floor: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaceSettings {
    pub max_iterations: u32,
    pub tolerance: f64,
    pub competence_prior: f64,
    pub strategy_prior: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementSettings {
    pub coefficient: String,
    pub level_of_measurement: String,
    /// Answers of several options are compared as whole sets: `{a, b}` and `{a}` differ.
    pub answer_sets_compared_whole: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSettings {
    pub resamples: u32,
    pub seed: u64,
    pub confidence: f64,
    pub method: String,
    pub generator: String,
}

impl AnalysisSettings {
    /// The settings this version of the app uses.
    #[must_use]
    pub fn current() -> Self {
        let ds = ConsensusOptions::default();
        let second = MaceOptions::default();
        Self {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            consensus: ConsensusSettings {
                methods: vec![DAWID_SKENE.to_owned(), MACE.to_owned()],
                dawid_skene: DawidSkeneSettings {
                    max_iterations: ds.max_iterations,
                    tolerance: ds.tolerance,
                    probability_floor: super::consensus::PROBABILITY_FLOOR,
                },
                mace: MaceSettings {
                    max_iterations: second.max_iterations,
                    tolerance: second.tolerance,
                    competence_prior: second.competence_prior,
                    strategy_prior: second.strategy_prior,
                },
                classes:
                    "each distinct answer; options chosen together sorted and joined with \"; \""
                        .to_owned(),
                known_answers_pin_items: true,
                initialisation: "majority vote (no random starts)".to_owned(),
            },
            agreement: AgreementSettings {
                coefficient: "Krippendorff's alpha".to_owned(),
                level_of_measurement: "nominal".to_owned(),
                answer_sets_compared_whole: true,
            },
            bootstrap: BootstrapSettings {
                resamples: bootstrap::RESAMPLES,
                seed: BOOTSTRAP_SEED,
                confidence: 0.95,
                method: "percentile; items resampled with replacement, as many as were rated"
                    .to_owned(),
                generator: "fastrand 2 (wyrand), seeded".to_owned(),
            },
        }
    }

    #[must_use]
    pub fn dawid_skene_options(&self) -> ConsensusOptions {
        ConsensusOptions {
            max_iterations: self.consensus.dawid_skene.max_iterations,
            tolerance: self.consensus.dawid_skene.tolerance,
        }
    }

    #[must_use]
    pub fn mace_options(&self) -> MaceOptions {
        let settings = self.consensus.mace;
        MaceOptions {
            max_iterations: settings.max_iterations,
            tolerance: settings.tolerance,
            competence_prior: settings.competence_prior,
            strategy_prior: settings.strategy_prior,
        }
    }
}

/// Writes every answer of `set` as one Prolific response record a line (`task_id`,
/// `participant_id`, `response` with `instruction_id`, `type` and `answer`), question
/// by question in the set's order, so any tool that reads Prolific's export reads it.
///
/// # Errors
/// When writing fails.
pub fn write_answers_jsonl(set: &ResponseSet, mut out: impl Write) -> std::io::Result<()> {
    for question in set.questions() {
        for answer in &question.answers {
            let given: Vec<serde_json::Value> = match &answer.value {
                AnswerValue::Choice {
                    set: chosen,
                    explanations,
                } => {
                    let explanations = explanations.as_deref().unwrap_or_default();
                    let values: Vec<&str> = set.choice_values(*chosen).collect();
                    values
                        .iter()
                        .enumerate()
                        .map(|(at, value)| match explanations.get(at) {
                            Some(text) => {
                                serde_json::json!({ "value": value, "explanation": &**text })
                            }
                            None => serde_json::json!({ "value": value }),
                        })
                        .chain(
                            explanations
                                .iter()
                                .skip(values.len())
                                .map(|text| serde_json::json!({ "explanation": &**text })),
                        )
                        .collect()
                }
                AnswerValue::Text(text) => vec![serde_json::json!({ "value": &**text })],
                AnswerValue::TextWithUnit { value, unit } => {
                    vec![serde_json::json!({ "value": &**value, "unit": unit.as_deref() })]
                }
                AnswerValue::Files(names) => names
                    .iter()
                    .map(|name| serde_json::json!({ "file_name": &**name }))
                    .collect(),
            };
            let record = serde_json::json!({
                "task_id": set.task_id(answer.item),
                "participant_id": set.participant_id(answer.participant),
                "response": {
                    "instruction_id": question.id,
                    "type": question.kind.api_name(),
                    "answer": given,
                },
            });
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Writes the known answers (`question,task,label`; several options joined with `; `).
///
/// # Errors
/// When writing fails.
pub fn write_known_csv(known: &HashMap<String, Known>, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["question", "task", "label"])?;
    let mut rows: Vec<(&String, &String, String)> = known
        .iter()
        .flat_map(|(question, by_task)| {
            by_task
                .iter()
                .map(move |(task, values)| (question, task, values.join("; ")))
        })
        .collect();
    rows.sort();
    for (question, task, label) in rows {
        writer.write_record([question.as_str(), task.as_str(), label.as_str()])?;
    }
    writer.flush()?;
    Ok(())
}

/// Reads `question,task,label` rows; a label of several options separates them with `;`.
///
/// # Errors
/// When the CSV cannot be read.
pub fn read_known_csv(input: impl Read) -> csv::Result<HashMap<String, Known>> {
    let mut known: HashMap<String, Known> = HashMap::new();
    for record in csv::Reader::from_reader(input).records() {
        let record = record?;
        let (Some(question), Some(task), Some(label)) =
            (record.get(0), record.get(1), record.get(2))
        else {
            continue;
        };
        known
            .entry(question.to_owned())
            .or_default()
            .insert(task.to_owned(), super::scorecard::KnownAnswers::cell(label));
    }
    Ok(known)
}

/// Why a package could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the package is not a readable ZIP file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the package has no {0}: is it a Batchdesk reproducibility package?")]
    Missing(&'static str),
    #[error("{file} could not be read: {message}")]
    Unreadable { file: &'static str, message: String },
    #[error(transparent)]
    Answers(#[from] ParseError),
}

/// What a recomputation needs: the answers as counted, the known answers by question,
/// and the analysis settings.
#[derive(Debug)]
pub struct RecomputeInput {
    pub set: ResponseSet,
    pub known: HashMap<String, Known>,
    pub settings: AnalysisSettings,
}

/// One file of a package, from a folder or a ZIP.
fn package_file(path: &Path, name: &'static str) -> Result<Option<Vec<u8>>, PackageError> {
    if path.is_dir() {
        return match std::fs::read(path.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        };
    }
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(std::fs::File::open(path)?))?;
    let Ok(mut member) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    member.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Whether `path` (a folder or a ZIP) is a reproducibility package.
#[must_use]
pub fn is_package(path: &Path) -> bool {
    package_file(path, ANALYSIS_FILE).is_ok_and(|file| file.is_some())
}

impl RecomputeInput {
    /// Reads a reproducibility package: the ZIP the app saved, or that ZIP unpacked.
    ///
    /// # Errors
    /// When a file the recomputation needs is missing or cannot be read.
    pub fn open_package(path: &Path) -> Result<Self, PackageError> {
        let unreadable = |file: &'static str| {
            move |error: serde_json::Error| PackageError::Unreadable {
                file,
                message: error.to_string(),
            }
        };
        let settings: AnalysisSettings = serde_json::from_slice(
            &package_file(path, ANALYSIS_FILE)?.ok_or(PackageError::Missing(ANALYSIS_FILE))?,
        )
        .map_err(unreadable(ANALYSIS_FILE))?;
        let numbering: Numbering = match package_file(path, NUMBERING_FILE)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(unreadable(NUMBERING_FILE))?,
            None => Numbering::default(),
        };
        let answers =
            package_file(path, ANSWERS_FILE)?.ok_or(PackageError::Missing(ANSWERS_FILE))?;
        let set = read_numbered(&numbering, &answers[..])?;
        let known = match package_file(path, KNOWN_FILE)? {
            Some(bytes) => {
                read_known_csv(&bytes[..]).map_err(|error| PackageError::Unreadable {
                    file: KNOWN_FILE,
                    message: error.to_string(),
                })?
            }
            None => HashMap::new(),
        };
        Ok(Self {
            set,
            known,
            settings,
        })
    }
}

/// Reads answers written by [`write_answers_jsonl`], numbered as `numbering` says.
///
/// # Errors
/// When a line is not JSON.
pub fn read_numbered(
    numbering: &Numbering,
    answers: impl BufRead,
) -> Result<ResponseSet, ParseError> {
    let mut builder = ResponseSetBuilder::new();
    builder.number_first(numbering);
    builder.add_jsonl(answers)?;
    Ok(builder.finish())
}

/// One item's consensus, as the results page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecomputedItem {
    pub task_id: String,
    pub label: String,
    pub confidence: f64,
    pub mace_label: String,
    pub mace_confidence: f64,
    pub known: bool,
}

/// One choice question's figures.
#[derive(Clone, Debug)]
pub struct RecomputedQuestion {
    pub question_id: String,
    pub alpha: Option<f64>,
    pub interval: Option<AlphaInterval>,
    /// The items the models labelled, in item order.
    pub items: Vec<RecomputedItem>,
    pub dawid_skene: Option<DawidSkeneFit>,
    pub mace: Option<MaceFit>,
}

/// The consensus, alpha and interval of every choice question of `input`, with its
/// settings: what the app shows for the same answers.
#[must_use]
pub fn recompute(input: &RecomputeInput) -> Vec<RecomputedQuestion> {
    let set = &input.set;
    let ds_options = input.settings.dawid_skene_options();
    let mace_options = input.settings.mace_options();
    set.questions()
        .iter()
        .filter(|question| question.kind.is_choice())
        .map(|question| {
            let known = input.known.get(&question.id);
            let fit = dawid_skene(set, question, known, &ds_options);
            let second = mace(set, question, known, &mace_options);
            let mut items = Vec::new();
            if let (Some(fit), Some(second)) = (&fit, &second) {
                for (index, &item) in fit.items.iter().enumerate() {
                    let (Some((class, confidence)), Some((mace_class, mace_confidence))) =
                        (fit.label(index), second.label(index))
                    else {
                        continue;
                    };
                    items.push(RecomputedItem {
                        task_id: set.task_id(item).to_owned(),
                        label: fit.classes[class].clone(),
                        confidence,
                        mace_label: second.classes[mace_class].clone(),
                        mace_confidence,
                        known: fit.pinned[index],
                    });
                }
            }
            let counts = bootstrap::choice_item_counts(question);
            let mut alpha = NominalAlpha::new();
            for item in &counts {
                alpha.add_item(item);
            }
            RecomputedQuestion {
                question_id: question.id.clone(),
                alpha: alpha.alpha(),
                interval: bootstrap::alpha_interval(
                    &counts,
                    input.settings.bootstrap.resamples,
                    input.settings.bootstrap.seed,
                ),
                items,
                dawid_skene: fit,
                mace: second,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::{NewAnswer, QuestionKind};

    #[test]
    fn answers_written_and_read_back_with_their_numbering_are_numbered_as_before() {
        // People and answers first seen in an order the records written question by
        // question, item by item, would not give.
        let mut builder = ResponseSetBuilder::new();
        for (task, question, person, values) in [
            ("t2", "other", "zoe", &["b", "a"][..]),
            ("t1", "q", "amy", &["c"][..]),
            ("t2", "q", "amy", &["b"][..]),
            ("t1", "q", "zoe", &["a", "b"][..]),
        ] {
            builder.add(
                task,
                question,
                QuestionKind::MultipleChoice,
                person,
                NewAnswer::Choice {
                    values,
                    explanations: &[],
                },
            );
        }
        let set = builder.finish();
        let mut written = Vec::new();
        write_answers_jsonl(&set, &mut written).unwrap();

        let read = read_numbered(&set.numbering(), &written[..]).unwrap();
        assert_eq!(read.numbering(), set.numbering());
        for (one, other) in read.questions().iter().zip(set.questions()) {
            assert_eq!(one.id, other.id);
            assert_eq!(one.answers, other.answers);
        }
        let unnumbered = read_numbered(&Numbering::default(), &written[..]).unwrap();
        assert_ne!(
            unnumbered.numbering(),
            set.numbering(),
            "the numbering is needed"
        );
    }
}
