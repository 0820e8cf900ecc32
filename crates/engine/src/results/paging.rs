//! The responses table, a page at a time: one row per item and person (or per item,
//! with each question's majority answer), joined with the researcher's data row, and
//! filtered by participant or answer.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::loaded::{Loaded, NO_PERSON};
use super::{Results, ResultsError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow {
    pub task_id: String,
    pub participant_id: String,
    pub data: Vec<String>,
    pub answers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RowsQuery {
    pub offset: u32,
    pub limit: u32,
    /// Part of a participant id, case-insensitive.
    pub participant: Option<String>,
    /// With `answer`: only rows where this question's answer holds that option.
    pub question_id: Option<String>,
    pub answer: Option<String>,
    /// One row per item holding each question's majority answer and its support (the
    /// participant filter does not apply), instead of one row per item and person.
    #[serde(default)]
    pub by_item: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RowsPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ResultRow>,
}

impl Results {
    /// One page of the responses table, filtered.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn rows(&self, study_id: &str, query: &RowsQuery) -> Result<RowsPage, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        Ok(loaded.page(query))
    }
}

impl Loaded {
    fn page(&self, query: &RowsQuery) -> RowsPage {
        let participant = query
            .participant
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_lowercase);
        let answer_filter = query
            .question_id
            .as_deref()
            .zip(query.answer.as_deref())
            .and_then(|(question, answer)| {
                let index = self
                    .summary
                    .questions
                    .iter()
                    .position(|known| known.id == question)?;
                Some((index, answer))
            });
        let by_item = query.by_item;
        let participant = participant.filter(|_| !by_item);
        let source = if by_item { &self.items } else { &self.rows };
        let keep = |&&(item, person): &&(u32, u32)| {
            if by_item {
                return answer_filter.is_none_or(|(question, wanted)| {
                    self.consolidated[question]
                        .get(&item)
                        .and_then(|(label, _)| label.as_deref())
                        .is_some_and(|label| holds_option(label, wanted))
                });
            }
            participant.as_ref().is_none_or(|wanted| {
                self.responses
                    .participant_id(crate::analysis::ParticipantId(person))
                    .to_lowercase()
                    .contains(wanted.as_str())
            }) && answer_filter.is_none_or(|(question, wanted)| {
                self.answers[question]
                    .get(&(item, person))
                    .is_some_and(|text| holds_option(text, wanted))
            })
        };
        let unfiltered = participant.is_none() && answer_filter.is_none();
        let offset = query.offset as usize;
        let limit = query.limit.min(1000) as usize;
        let (total, chosen): (usize, Vec<(u32, u32)>) = if unfiltered {
            let end = (offset + limit).min(source.len());
            (
                source.len(),
                source.get(offset..end).unwrap_or_default().to_vec(),
            )
        } else {
            let matching: Vec<&(u32, u32)> = source.iter().filter(keep).collect();
            let chosen = matching
                .iter()
                .skip(offset)
                .take(limit)
                .map(|&&row| row)
                .collect();
            (matching.len(), chosen)
        };
        let rows = chosen
            .into_iter()
            .map(|(item, person)| self.row(item, person))
            .collect();
        RowsPage {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            offset: query.offset,
            rows,
        }
    }

    fn row(&self, item: u32, person: u32) -> ResultRow {
        let task_id = self
            .responses
            .task_id(crate::analysis::ItemId(item))
            .to_owned();
        let data = self
            .data_by_task
            .get(&task_id)
            .and_then(|&index| self.original.as_ref()?.rows.get(index))
            .map(|(_, cells)| cells.clone())
            .unwrap_or_else(|| vec![String::new(); self.summary.data_columns.len()]);
        if person == NO_PERSON {
            return ResultRow {
                participant_id: String::new(),
                data,
                answers: self
                    .consolidated
                    .iter()
                    .map(|by_item| {
                        by_item
                            .get(&item)
                            .map(|(_, text)| text.clone())
                            .unwrap_or_default()
                    })
                    .collect(),
                task_id,
            };
        }
        ResultRow {
            participant_id: self
                .responses
                .participant_id(crate::analysis::ParticipantId(person))
                .to_owned(),
            data,
            answers: self
                .answers
                .iter()
                .map(|answers| answers.get(&(item, person)).cloned().unwrap_or_default())
                .collect(),
            task_id,
        }
    }
}

/// Whether a table answer holds `option` (answers list their options joined by `; `).
fn holds_option(text: &str, option: &str) -> bool {
    text == option || text.split("; ").any(|part| part == option)
}
