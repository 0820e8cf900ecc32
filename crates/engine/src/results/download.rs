//! Fetching a study's results from Prolific into its folder: the export and the report
//! (with progress), the submissions' times, the pilots' and second rounds' answers, and
//! the answers through the API when the export cannot be read. When Prolific cannot be
//! reached, the last download is shown instead.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use batchdesk_prolific::{Client, PollPolicy};
use serde::Serialize;
use serde_json::Value;
use specta::Type;

use super::folder::{
    DownloadRecord, EXPORT, FETCHED_LAYOUT, FETCHED_RESPONSES, REPORT, SavedTime, TIMES,
    remove_if_present, write_into_place,
};
use super::loaded::Loaded;
use super::pilot_answers::{self, PilotLinks};
use super::second_round::{self, RoundLinks};
use super::{DownloadKind, Results, ResultsError, ResultsSummary};
use crate::analysis::ParseError;
use crate::clock::now_iso;
use crate::connection::Connections;
use crate::review_state::ReviewState;

/// How a download of the results is going, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum ResultsProgress {
    /// Prolific is preparing the export.
    Exporting,
    /// A file is on its way (`file` is `export` or `report`).
    #[serde(rename_all = "camelCase")]
    Downloading {
        file: DownloadKind,
        #[specta(type = u32)]
        bytes: u64,
        #[specta(type = Option<u32>)]
        total: Option<u64>,
    },
    /// Reading the answers and measuring agreement.
    Analysing,
}

/// The client's byte counts as [`ResultsProgress`], at most ten times a second.
fn transfer_progress(
    file: DownloadKind,
    progress: Arc<dyn Fn(ResultsProgress) + Send + Sync>,
) -> batchdesk_prolific::Progress {
    let last = std::sync::Mutex::new(None::<std::time::Instant>);
    Arc::new(move |bytes, total| {
        let now = std::time::Instant::now();
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let done = total.is_some_and(|total| bytes >= total);
        if done || last.is_none_or(|at| now.duration_since(at) >= Duration::from_millis(100)) {
            *last = Some(now);
            progress(ResultsProgress::Downloading { file, bytes, total });
        }
    })
}

/// Where a fresh download came from, to fetch more from the same batch.
struct Source {
    client: Client,
    batch_id: String,
}

impl Results {
    /// The study's results: downloaded afresh when `refresh` or never downloaded,
    /// otherwise the last download. When Prolific cannot be reached the last download is
    /// shown (`from_cache`).
    ///
    /// # Errors
    /// When nothing was downloaded and Prolific cannot be reached, or the files cannot be
    /// read.
    pub async fn summary(
        &self,
        connections: &Connections,
        study_id: &str,
        refresh: bool,
        progress: impl Fn(ResultsProgress) + Send + Sync + 'static,
    ) -> Result<ResultsSummary, ResultsError> {
        if !refresh {
            if let Some(loaded) = self.loaded_for(study_id).await {
                return Ok(loaded.summary.clone());
            }
            if self.is_downloaded(study_id) {
                return self.open_downloaded(study_id).await;
            }
        }
        let progress: Arc<dyn Fn(ResultsProgress) + Send + Sync> = Arc::new(progress);
        match self
            .download(connections, study_id, Arc::clone(&progress))
            .await
        {
            Ok(source) => {
                self.gather_pilots(connections, study_id, &source.batch_id)
                    .await?;
                self.gather_second_rounds(connections, study_id).await?;
                progress(ResultsProgress::Analysing);
                Ok(self.load_fresh(&source, study_id).await?.summary.clone())
            }
            Err(error) if error.is_unreachable() && self.is_downloaded(study_id) => {
                tracing::warn!(%error, "showing the last download of the results");
                Ok(self.load(study_id, true).await?.summary.clone())
            }
            Err(error) if error.is_unreachable() => Err(ResultsError::NotDownloaded),
            Err(error) => Err(error),
        }
    }

    /// Reads and analyses the last download of the study's results (no network).
    ///
    /// # Errors
    /// When nothing was downloaded, or the files cannot be read.
    pub async fn open_downloaded(&self, study_id: &str) -> Result<ResultsSummary, ResultsError> {
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        Ok(self.load(study_id, false).await?.summary.clone())
    }

    /// Downloads the export and the report into the study's folder.
    async fn download(
        &self,
        connections: &Connections,
        study_id: &str,
        progress: Arc<dyn Fn(ResultsProgress) + Send + Sync>,
    ) -> Result<Source, ResultsError> {
        let (_, client) = connections.client().await?;
        let study = client.study(study_id).await?;
        let batch_id = study.data_collection_id.ok_or(ResultsError::NoBatch)?;
        let folder = self.folder(study_id);
        std::fs::create_dir_all(&folder)?;
        let policy = PollPolicy {
            interval: Duration::from_secs(1),
            ..PollPolicy::default()
        };
        progress(ResultsProgress::Exporting);
        client
            .download_batch_export(
                &batch_id,
                &folder.join(EXPORT),
                &policy,
                transfer_progress(DownloadKind::Export, Arc::clone(&progress)),
            )
            .await?;
        client
            .download_batch_report(
                &batch_id,
                &folder.join(REPORT),
                transfer_progress(DownloadKind::Report, progress),
            )
            .await?;
        save_times(&client, study_id, &folder).await?;
        DownloadRecord {
            downloaded_at: now_iso(),
            ..DownloadRecord::default()
        }
        .write(&folder)?;
        // Answers fetched for an earlier export belong to that one. Removed only now: until
        // the new record is written, the last download stays readable as it was.
        for earlier in [FETCHED_RESPONSES, FETCHED_LAYOUT] {
            remove_if_present(&folder.join(earlier))?;
        }
        Ok(Source { client, batch_id })
    }

    /// Notes in the study's folder which pilots ran for its batch, and downloads the
    /// answers of any not on this computer yet. A pilot that cannot be downloaded now is
    /// left for the next download: the study's own results do not wait for it.
    async fn gather_pilots(
        &self,
        connections: &Connections,
        study_id: &str,
        batch_id: &str,
    ) -> Result<(), ResultsError> {
        let (mode, _) = connections.client().await?;
        let pilot_studies = pilot_answers::pilots_of(connections.store(), mode, batch_id)?;
        if pilot_studies.is_empty() {
            return Ok(());
        }
        let folder = self.folder(study_id);
        let mut links = PilotLinks::read(&folder);
        if links.pilot_studies != pilot_studies {
            links.pilot_studies = pilot_studies;
            links.write(&folder)?;
        }
        if let Err(error) = self.download_pilots(connections, &links).await {
            tracing::warn!(%error, "a pilot's answers could not be downloaded now");
        }
        Ok(())
    }

    /// Notes in the study's folder which second rounds ran for it, and downloads their
    /// answers afresh (a round may still be collecting). A round that cannot be
    /// downloaded now keeps its last download: the study's own results do not wait.
    async fn gather_second_rounds(
        &self,
        connections: &Connections,
        study_id: &str,
    ) -> Result<(), ResultsError> {
        let (mode, _) = connections.client().await?;
        let studies = second_round::second_rounds_of(connections.store(), mode, study_id)?;
        if studies.is_empty() {
            return Ok(());
        }
        let folder = self.folder(study_id);
        let mut links = RoundLinks::read(&folder);
        if links.studies != studies {
            links.studies = studies;
            links.write(&folder)?;
        }
        for round in &links.studies {
            let quiet: Arc<dyn Fn(ResultsProgress) + Send + Sync> = Arc::new(|_| {});
            if let Err(error) = self.download(connections, round, quiet).await {
                tracing::warn!(%error, "a second round's answers could not be downloaded now");
            }
        }
        Ok(())
    }

    async fn download_pilots(
        &self,
        connections: &Connections,
        links: &PilotLinks,
    ) -> Result<(), ResultsError> {
        for pilot in &links.pilot_studies {
            if !self.is_downloaded(pilot) {
                let quiet: Arc<dyn Fn(ResultsProgress) + Send + Sync> = Arc::new(|_| {});
                self.download(connections, pilot, quiet).await?;
            }
        }
        Ok(())
    }

    /// Counts the pilots' answers in the study's results (`merged`), or keeps them apart,
    /// as the researcher chooses; the choice is kept with the results. Merging downloads
    /// any pilot's answers not on this computer yet.
    ///
    /// # Errors
    /// When the study's results were never downloaded, a pilot's cannot be downloaded,
    /// or the choice cannot be saved.
    pub async fn count_pilot_answers(
        &self,
        connections: &Connections,
        study_id: &str,
        merged: bool,
    ) -> Result<ResultsSummary, ResultsError> {
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        let folder = self.folder(study_id);
        let mut links = PilotLinks::read(&folder);
        if merged {
            self.download_pilots(connections, &links).await?;
        }
        links.merged = merged;
        links.write(&folder)?;
        let from_cache = self
            .loaded_for(study_id)
            .await
            .is_some_and(|loaded| loaded.summary.from_cache);
        Ok(self.load(study_id, from_cache).await?.summary.clone())
    }

    /// Reads and analyses a fresh download. When its export cannot be read, the answers
    /// are fetched through the API instead and those are analysed.
    async fn load_fresh(
        &self,
        source: &Source,
        study_id: &str,
    ) -> Result<Arc<Loaded>, ResultsError> {
        match self.load(study_id, false).await {
            Err(ResultsError::ExportUnreadable(problem)) => {
                tracing::warn!(
                    %problem,
                    "the export could not be read; fetching the answers through the API"
                );
                self.fetch_answers(source, study_id, &problem).await?;
                self.load(study_id, false).await
            }
            loaded => loaded,
        }
    }

    /// Fetches the batch's answers and layout through the API into the study's folder,
    /// and records why, so the results read from them from now on (offline too).
    async fn fetch_answers(
        &self,
        source: &Source,
        study_id: &str,
        problem: &ParseError,
    ) -> Result<(), ResultsError> {
        let records = source
            .client
            .batch_response_records(&source.batch_id)
            .await?;
        if records.possibly_truncated {
            tracing::warn!("Prolific said the batch holds more answers than it sent");
        }
        let batch = source.client.batch(&source.batch_id).await?;
        let lines = records_by_task(records.items).map_err(std::io::Error::other)?;
        let layout = serde_json::to_vec(&serde_json::json!({ "batch_items": batch.batch_items }))
            .map_err(std::io::Error::other)?;
        let folder = self.folder(study_id);
        let mut record = DownloadRecord::read(&folder);
        record.export_unreadable = Some(problem.to_string());
        record.fetched_possibly_truncated = records.possibly_truncated;
        tokio::task::spawn_blocking(move || -> Result<(), ResultsError> {
            write_into_place(&folder.join(FETCHED_RESPONSES), &lines[..])?;
            write_into_place(&folder.join(FETCHED_LAYOUT), &layout[..])?;
            // Last, so the record never points at answers not yet written.
            record.write(&folder)
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

/// The records one a line, grouped by task as the export's `responses-by-task.jsonl` is
/// (a stable sort keeps each task's answers in Prolific's order), so the analysis numbers
/// items and people alike whichever source it read.
fn records_by_task(mut records: Vec<Value>) -> serde_json::Result<Vec<u8>> {
    let task_of = |record: &Value| record["task_id"].as_str().unwrap_or_default().to_owned();
    records.sort_by_cached_key(task_of);
    let mut lines = Vec::new();
    for record in &records {
        serde_json::to_writer(&mut lines, record)?;
        lines.push(b'\n');
    }
    Ok(lines)
}

/// Keeps how long each finished submission took (from the study's submissions) beside
/// its answers, so the scorecard reads it offline too.
async fn save_times(client: &Client, study_id: &str, folder: &Path) -> Result<(), ResultsError> {
    let times: Vec<SavedTime> = client
        .submissions(study_id, None)
        .await?
        .items
        .into_iter()
        .filter(|submission| submission.status.is_finished())
        .filter_map(|submission| {
            Some(SavedTime {
                state: Some(ReviewState::of_submission(&submission)),
                participant_id: submission.participant_id?,
                seconds: u64::try_from(submission.time_taken?).ok()?,
            })
        })
        .collect();
    let json = serde_json::to_vec(&times).map_err(std::io::Error::other)?;
    write_into_place(&folder.join(TIMES), &json[..])?;
    Ok(())
}
