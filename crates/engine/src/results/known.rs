//! Which data column holds the right answers to which choice question: the
//! researcher's word, kept in the study's folder, and the answers read from the column.

use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::folder::KNOWN;
use crate::analysis::OriginalData;
use crate::analysis::scorecard::KnownAnswers;

/// The data column that holds the right answer of each row for a choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KnownAnswersChoice {
    pub column: String,
    pub question_id: String,
}

impl KnownAnswersChoice {
    /// The researcher's word: `None` when they never said (the batch's own known
    /// answers then apply), `Some(None)` when they said none.
    pub(super) fn read_said(folder: &Path) -> Option<Option<Self>> {
        serde_json::from_slice(&std::fs::read(folder.join(KNOWN)).ok()?).ok()
    }

    /// The known answers from the column's cells, by task; `None` when the data does
    /// not have the column.
    pub(super) fn answers(&self, data: Option<&OriginalData>) -> Option<KnownAnswers> {
        let data = data?;
        let column = data.columns.iter().position(|name| *name == self.column)?;
        Some(KnownAnswers {
            question_id: self.question_id.clone(),
            by_task: data
                .rows
                .iter()
                .filter_map(|(task, cells)| {
                    let right = KnownAnswers::cell(cells.get(column)?);
                    (!right.is_empty()).then(|| (task.clone(), right))
                })
                .collect(),
        })
    }
}
