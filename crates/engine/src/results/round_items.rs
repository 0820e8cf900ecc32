//! What a second round needs of its study's results: each item's confidence, the
//! researcher's data rows of chosen items written out, and the known rows and checks
//! the study's groups carried.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::folder::read_original;
use super::second_round::{self, GroupExtras, ItemConfidence};
use super::{Results, ResultsError};

impl Results {
    /// Each item's confidence in the study's results as counted (second rounds in), by
    /// task id.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn item_confidence(
        &self,
        study_id: &str,
        confidence: &dyn ItemConfidence,
    ) -> Result<HashMap<String, f64>, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        Ok(confidence.per_item(&loaded.responses, &loaded.summary.analysis))
    }

    /// Whether the study's results as downloaded count any second-round answers: until
    /// they do, its items' confidence is still the one they were chosen with.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn counts_second_round_answers(&self, study_id: &str) -> Result<bool, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        Ok(loaded
            .summary
            .second_round
            .as_ref()
            .is_some_and(|round| round.answers > 0))
    }

    /// Writes the researcher's data rows of `tasks` (the study's task ids) into
    /// `target`, as the study's data has them, without the columns Batchdesk or
    /// Prolific added; in groups carrying the study's known rows and checks when its
    /// groups carried them ([`GroupExtras`]). Answers the researcher's rows written.
    ///
    /// # Errors
    /// When the study's data was not downloaded, or the file cannot be written.
    pub(crate) async fn write_item_rows(
        &self,
        study_id: &str,
        tasks: HashSet<String>,
        target: PathBuf,
    ) -> Result<u32, ResultsError> {
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || -> Result<u32, ResultsError> {
            let original = read_original(&folder)?.ok_or(ResultsError::NotDownloaded)?;
            let extras = GroupExtras::read(&original);
            Ok(second_round::write_rows(
                &original,
                &tasks,
                extras.as_ref(),
                &target,
            )?)
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// The known-answer rows and attention checks the study's groups carried (as its
    /// downloaded data's hidden notes say), which its second rounds carry too; `None`
    /// when nothing was mixed in.
    ///
    /// # Errors
    /// When the study's data was not downloaded or cannot be read.
    pub(crate) async fn group_extras(
        &self,
        study_id: &str,
    ) -> Result<Option<GroupExtras>, ResultsError> {
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || -> Result<Option<GroupExtras>, ResultsError> {
            let original = read_original(&folder)?.ok_or(ResultsError::NotDownloaded)?;
            Ok(GroupExtras::read(&original))
        })
        .await
        .map_err(std::io::Error::other)?
    }
}
