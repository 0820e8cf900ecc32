//! One study's results read from its folder and analysed (its pilots' and second
//! rounds' answers counted in as the researcher chose, mixed-in checks scored and left
//! out), kept in memory for the table, the scorecard and the figures.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::folder::{DownloadRecord, read_answers, read_original};
use super::known::KnownAnswersChoice;
use super::pilot_answers::{self, PilotLinks, read_pilot_folders};
use super::second_round::{self, RoundLinks};
use super::{Results, ResultsError, ResultsQuestion, ResultsSummary};
use crate::analysis::mixed::{CheckOutcome, MixedNotes};
use crate::analysis::scorecard::KnownAnswers;
use crate::analysis::{
    Analysis, AnalysisOptions, AnswerValue, BatchLayout, OriginalData, ResponseSet,
    analyse_with_known, column_guide_path, numbers, write_column_guide,
    write_tidy_csv_with_options,
};

/// One study's results, loaded in memory for the table.
pub(super) struct Loaded {
    pub(super) summary: ResultsSummary,
    pub(super) responses: ResponseSet,
    pub(super) original: Option<OriginalData>,
    pub(super) question_names: HashMap<String, String>,
    /// True when the answers were fetched through the API, the export being unreadable.
    pub(super) answers_fetched: bool,
    /// `(item, participant)` of each table row, in the data's order.
    pub(super) rows: Vec<(u32, u32)>,
    /// `(item, NO_PERSON)` of each item, in the data's order, for the by-item table.
    pub(super) items: Vec<(u32, u32)>,
    /// Each question's majority answer by item: the label (for filtering) and the text
    /// shown (with its support, or the tie, or for other questions the answer count).
    pub(super) consolidated: Vec<HashMap<u32, (Option<String>, String)>>,
    /// Each question's answers as text, by row.
    pub(super) answers: Vec<HashMap<(u32, u32), String>>,
    /// The original data's cells by task id.
    pub(super) data_by_task: HashMap<String, usize>,
    /// Every answer to an attention check Batchdesk mixed into the groups.
    pub(super) checks: Vec<CheckOutcome>,
    /// The known answers mixed into the groups at setup, if any.
    pub(super) default_known: Option<KnownAnswersChoice>,
    /// Agreement between people per choice question, worked out when first asked for.
    pub(super) pairwise: std::sync::OnceLock<Vec<crate::analysis::pairwise::QuestionPairwise>>,
    /// The answers' fingerprint, which the kept bootstrap intervals are keyed by.
    pub(super) fingerprint: std::sync::OnceLock<String>,
    /// The known answers that pinned items in the consensus, for the reproducibility
    /// package.
    pub(super) known: Option<KnownAnswers>,
}

impl Results {
    pub(super) async fn loaded_for(&self, study_id: &str) -> Option<Arc<Loaded>> {
        self.loaded
            .lock()
            .await
            .as_ref()
            .filter(|loaded| loaded.summary.study_id == study_id)
            .cloned()
    }

    /// Reads and analyses the study's folder, and keeps it in memory for the table.
    pub(super) async fn load(
        &self,
        study_id: &str,
        from_cache: bool,
    ) -> Result<Arc<Loaded>, ResultsError> {
        let folder = self.folder(study_id);
        let study = study_id.to_owned();
        let loaded = tokio::task::spawn_blocking(move || read_folder(&folder, &study, from_cache))
            .await
            .map_err(std::io::Error::other)??;
        let loaded = Arc::new(loaded);
        *self.loaded.lock().await = Some(Arc::clone(&loaded));
        Ok(loaded)
    }

    pub(super) async fn loaded_or_read(&self, study_id: &str) -> Result<Arc<Loaded>, ResultsError> {
        if let Some(loaded) = self.loaded_for(study_id).await {
            return Ok(loaded);
        }
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        self.load(study_id, false).await
    }
}

fn read_folder(folder: &Path, study_id: &str, from_cache: bool) -> Result<Loaded, ResultsError> {
    let record = DownloadRecord::read(folder);
    let export = read_answers(folder, &record)?;
    let mut original = read_original(folder)?;
    // Known answers and checks mixed into the groups, as the data's hidden notes say.
    let notes = original.as_ref().map(MixedNotes::read).unwrap_or_default();
    let links = PilotLinks::read(folder);
    let pilots = read_pilot_folders(folder, &links.pilot_studies);
    let mixed_in = |task: &str| notes.is_mixed_in(task);
    let gathered = pilot_answers::gather(
        &links,
        &pilots,
        &export.responses,
        original.as_ref(),
        &export.question_names,
        &mixed_in,
    );
    let responses = gathered.merged.unwrap_or(export.responses);
    let round_links = RoundLinks::read(folder);
    let (responses, second_round) = if round_links.studies.is_empty() {
        (responses, None)
    } else {
        let rounds = read_pilot_folders(folder, &round_links.studies);
        let (merged, said) = second_round::merge(
            &round_links,
            &rounds,
            &responses,
            original.as_ref(),
            &export.question_names,
            &mixed_in,
        );
        (merged.unwrap_or(responses), Some(said))
    };
    let (responses, checks) = if notes.is_empty() {
        (responses, Vec::new())
    } else {
        let checks = notes.check_outcomes(&responses, &export.question_names);
        if let Some(data) = original.as_mut() {
            notes.arrange_data(data);
        }
        (notes.arrange(&responses), checks)
    };
    let pilot_answers = (!links.pilot_studies.is_empty()).then_some(gathered.answers);
    let default_known = notes
        .known_answers(&export.question_names)
        .map(|(column, question_id)| KnownAnswersChoice {
            column,
            question_id,
        });
    // Known answers pin their items in the model-based consensus, as the scorecard
    // counts them: the researcher's choice, else the batch's own.
    let known = KnownAnswersChoice::read_said(folder)
        .unwrap_or_else(|| default_known.clone())
        .and_then(|choice| choice.answers(original.as_ref()));
    let mut analysis = analyse_with_known(&responses, &AnalysisOptions::default(), known.as_ref());
    for question in &mut analysis.questions {
        if let Some(numbers) = &mut question.numbers {
            numbers.unit_before = export.layout.prefix_units.contains(&question.question_id);
        }
    }
    let questions: Vec<ResultsQuestion> = responses
        .questions()
        .iter()
        .map(|question| ResultsQuestion {
            id: question.id.clone(),
            title: export
                .question_names
                .get(&question.id)
                .cloned()
                .unwrap_or_else(|| question.id.clone()),
            kind: question.kind,
            options: export
                .layout
                .options
                .get(&question.id)
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let answers: Vec<HashMap<(u32, u32), String>> = responses
        .questions()
        .iter()
        .map(|question| {
            question
                .answers
                .iter()
                .map(|answer| {
                    (
                        (answer.item.0, answer.participant.0),
                        table_text(
                            &responses,
                            &answer.value,
                            export.layout.prefix_units.contains(&question.id),
                        ),
                    )
                })
                .collect()
        })
        .collect();
    let data_by_task: HashMap<String, usize> = original
        .as_ref()
        .map(|data| {
            data.rows
                .iter()
                .enumerate()
                .map(|(index, (task, _))| (task.clone(), index))
                .collect()
        })
        .unwrap_or_default();
    // Rows in the order of the researcher's data (items not in it last), then by person.
    let mut rows: Vec<(u32, u32)> = answers.iter().flat_map(|map| map.keys().copied()).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.sort_by_cached_key(|&(item, person)| {
        let task = responses.task_id(crate::analysis::ItemId(item));
        (
            data_by_task.get(task).copied().unwrap_or(usize::MAX),
            item,
            person,
        )
    });
    let mut items: Vec<(u32, u32)> = rows.iter().map(|&(item, _)| (item, NO_PERSON)).collect();
    items.dedup();
    let consolidated = consolidate(&responses, &analysis, &answers);
    let data_columns = original
        .as_ref()
        .map(|data| data.columns.clone())
        .unwrap_or_default();
    let shown_columns = shown_columns(&data_columns, &export.layout);
    Ok(Loaded {
        summary: ResultsSummary {
            study_id: study_id.to_owned(),
            downloaded_at: record.downloaded_at.clone(),
            from_cache,
            data_columns,
            shown_columns,
            questions,
            row_count: u32::try_from(rows.len()).unwrap_or(u32::MAX),
            analysis,
            notice: record.notice(),
            pilot_answers,
            second_round,
        },
        responses,
        original,
        question_names: export.question_names,
        answers_fetched: record.answers_fetched(),
        rows,
        items,
        consolidated,
        answers,
        data_by_task,
        checks,
        default_known,
        pairwise: std::sync::OnceLock::new(),
        fingerprint: std::sync::OnceLock::new(),
        known,
    })
}

/// Marks a by-item row: no one person's answers.
pub(super) const NO_PERSON: u32 = u32::MAX;

/// Each question's majority answer per item, as the by-item table shows it; for a
/// number question the mean of the item's answers in its main unit, with their count.
fn consolidate(
    set: &ResponseSet,
    analysis: &Analysis,
    answers: &[HashMap<(u32, u32), String>],
) -> Vec<HashMap<u32, (Option<String>, String)>> {
    analysis
        .questions
        .iter()
        .zip(answers)
        .zip(set.questions())
        .map(|((question, answers), asked)| {
            if question.agreement.is_some() {
                return question
                    .items
                    .iter()
                    .map(|result| {
                        let label = &result.consolidated;
                        let text = match &label.label {
                            Some(winner) => {
                                format!("{winner} ({} of {})", label.leader_votes, label.votes_cast)
                            }
                            None if !label.tied_labels.is_empty() => {
                                format!("tie: {}", label.tied_labels.join(" / "))
                            }
                            None => String::new(),
                        };
                        (result.item, (label.label.clone(), text))
                    })
                    .collect();
            }
            let answer_count = |count: usize| {
                if count == 1 {
                    "1 answer".to_owned()
                } else {
                    format!("{count} answers")
                }
            };
            if let Some(summary) = &question.numbers {
                let unit = summary.unit.as_deref();
                return asked
                    .answers
                    .chunk_by(|a, b| a.item == b.item)
                    .filter_map(|item_answers| {
                        let item = item_answers.first()?.item.0;
                        let mut values: Vec<f64> = item_answers
                            .iter()
                            .filter_map(|answer| numbers::number_in(&answer.value, unit))
                            .collect();
                        let count = answer_count(item_answers.len());
                        let text = match numbers::Stats::of(&mut values).mean {
                            Some(mean) => format!(
                                "mean {} ({count})",
                                numbers::with_unit(
                                    &numbers::plain_number(mean),
                                    unit,
                                    summary.unit_before
                                )
                            ),
                            None => count,
                        };
                        Some((item, (None, text)))
                    })
                    .collect();
            }
            let mut per_item: HashMap<u32, usize> = HashMap::new();
            for &(item, _) in answers.keys() {
                *per_item.entry(item).or_default() += 1;
            }
            per_item
                .into_iter()
                .map(|(item, count)| (item, (None, answer_count(count))))
                .collect()
        })
        .collect()
}

/// The data columns participants saw, as indexes into `columns`: the layout's data
/// fields in their order, or without any every column but the hidden `META_` ones.
fn shown_columns(columns: &[String], layout: &BatchLayout) -> Vec<u32> {
    let index = |position: usize| u32::try_from(position).unwrap_or(u32::MAX);
    let shown: Vec<u32> = layout
        .shown_fields
        .iter()
        .filter_map(|field| columns.iter().position(|column| column == field))
        .map(index)
        .collect();
    if !shown.is_empty() {
        return shown;
    }
    columns
        .iter()
        .enumerate()
        .filter(|(_, column)| !column.starts_with("META_"))
        .map(|(position, _)| index(position))
        .collect()
}

/// An answer as the table shows it: as [`ResponseSet::answer_text`], but a number reads
/// with its unit as a person writes it (`1 star`, `£12`; `unit_before` when the question
/// shows its unit first).
fn table_text(set: &ResponseSet, value: &AnswerValue, unit_before: bool) -> String {
    match value {
        AnswerValue::TextWithUnit { value, unit } => {
            numbers::with_unit(value, unit.as_deref(), unit_before)
        }
        value => set.answer_text(value),
    }
}

impl Loaded {
    /// Writes the tidy CSV to `destination` and its column guide beside it (the guide's path).
    pub(super) fn write_tidy_with_guide(
        &self,
        destination: &Path,
    ) -> Result<PathBuf, ResultsError> {
        let layout_options = self
            .summary
            .questions
            .iter()
            .map(|question| (question.id.clone(), question.options.clone()))
            .collect();
        let tidy = write_tidy_csv_with_options(
            destination,
            &self.responses,
            &self.summary.analysis,
            self.original.as_ref(),
            &self.question_names,
            &layout_options,
        )?;
        let guide = column_guide_path(destination);
        write_column_guide(&guide, &tidy.guide)?;
        Ok(guide)
    }
}
