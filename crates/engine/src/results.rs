//! A study's results on this computer: downloaded from Prolific (the ZIP export and the
//! CSV report) into `<app data>/results/<study id>/`, analysed, and kept there so they
//! stay viewable offline. The responses table is served a page at a time (one row per
//! item and person, joined with the researcher's original data row), and each download
//! the researcher asks for is written from these files.
//!
//! An export that cannot be read (no responses file in it, several that could be, cut
//! short or damaged) is kept as it came, and the answers are fetched through the API
//! instead (`GET …/batches/{id}/responses`), with a notice saying so.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use batchdesk_prolific::{Client, PollPolicy, ProlificError, TransferError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::analysis::mixed::{CheckOutcome, MixedNotes};
use crate::analysis::scorecard::{KnownAnswers, Scorecard, TimeTaken, scorecard};
use crate::analysis::{
    Analysis, AnalysisOptions, AnswerValue, BatchLayout, ExportContents, OptionLabel, OriginalData,
    ParseError, QuestionKind, ResponseSet, TidyError, analyse_with_known, batch_layout,
    column_guide_path, find_export_members, numbers, open_export_zip, read_export_zip,
    read_responses_jsonl, write_column_guide, write_tidy_csv_with_options,
};
use crate::connection::{ConnectError, Connections};
use crate::monitor::now_iso;
use crate::review::ReviewState;
use crate::store::StoreError;

mod agreement;
mod demographics;
mod intervals;
mod item_pages;
mod methods;
mod package;
mod pilot_answers;
mod second_round;
pub use crate::analysis::item_lists::{ItemList, ItemsPage, ItemsPreview};
pub use agreement::{
    AgreementReport, MATRIX_PEOPLE, MATRIX_PEOPLE_PICKED, PairShown, PersonPairing,
    QuestionPeopleAgreement,
};
pub use demographics::{
    DEMOGRAPHICS_FILE, Demographics, DemographicsError, GroupAnswers, Grouping, GroupingBreakdown,
    MERGED_GROUP, MIN_GROUP_PEOPLE, NOT_GIVEN, QuestionBreakdown,
};
pub use intervals::{QuestionInterval, answers_fingerprint};
pub use methods::{MethodsReport, QuestionAgreementFacts};
pub use pilot_answers::PilotAnswers;
pub(crate) use pilot_answers::link_pilot;
use pilot_answers::{PilotFolder, PilotLinks};
use second_round::RoundLinks;
pub(crate) use second_round::{GroupExtras, link_second_round, second_rounds_of};
pub use second_round::{ItemConfidence, MajorityShare, ModelConfidence, SecondRoundAnswers};

const EXPORT: &str = "export.zip";
const REPORT: &str = "report.csv";
const META: &str = "downloaded.json";
/// The answers fetched through the API when the export could not be read: one record a
/// line, grouped by task.
const FETCHED_RESPONSES: &str = "responses.jsonl";
/// The batch's layout fetched with them, for the questions' names.
const FETCHED_LAYOUT: &str = "layout.json";
/// How long each finished submission took, for the participants' scorecard.
const TIMES: &str = "times.json";
/// Which data column holds the right answers to which question (the researcher's word).
const KNOWN: &str = "known-answers.json";

/// The scorecard with the known answers it used, as the results page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyScorecard {
    #[serde(flatten)]
    pub card: Scorecard,
    pub known_answers: Option<KnownAnswersChoice>,
    /// Where each participant's submission stands (this study's people and its second
    /// rounds'), as last downloaded and reviewed from here.
    pub states: HashMap<String, ReviewState>,
}

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
    fn read_said(folder: &Path) -> Option<Option<Self>> {
        serde_json::from_slice(&std::fs::read(folder.join(KNOWN)).ok()?).ok()
    }

    /// The known answers from the column's cells, by task; `None` when the data does
    /// not have the column.
    fn answers(&self, data: Option<&OriginalData>) -> Option<KnownAnswers> {
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResultsQuestion {
    pub id: String,
    pub title: String,
    pub kind: QuestionKind,
    /// A choice question's options as the layout gives them: the value each answer
    /// carries (and the table, counts and downloads hold) and the label participants
    /// read, for showing. Empty for other questions, or when the layout is not known.
    pub options: Vec<OptionLabel>,
}

/// The analysed results of one study, from its last download.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResultsSummary {
    pub study_id: String,
    pub downloaded_at: String,
    /// True when Prolific could not be reached and the last download is shown.
    pub from_cache: bool,
    pub data_columns: Vec<String>,
    /// The data columns participants saw, as indexes into `data_columns`, in the order
    /// they saw them (the layout's data fields; without any, every column but the
    /// hidden `META_` ones).
    pub shown_columns: Vec<u32>,
    pub questions: Vec<ResultsQuestion>,
    /// Rows of the responses table: one per item and person.
    pub row_count: u32,
    pub analysis: Analysis,
    /// Something the researcher should know about where these answers came from, in
    /// plain words: set when Prolific's export could not be read and the answers were
    /// fetched from Prolific directly.
    pub notice: Option<String>,
    /// The pilots run before this study, and whether their answers are counted here.
    /// `None` when the study had no pilot.
    pub pilot_answers: Option<PilotAnswers>,
    /// The second rounds run for this study's uncertain items, whose answers are counted
    /// here. `None` when it had none.
    pub second_round: Option<SecondRoundAnswers>,
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DownloadKind {
    Report,
    Export,
    Responses,
    Tidy,
    /// Everything needed to recompute the figures, as one ZIP.
    Package,
}

impl DownloadKind {
    /// The file name offered in the save dialog.
    #[must_use]
    pub fn suggested_name(self, title: &str) -> String {
        match self {
            Self::Report => format!("{title} - Prolific report.csv"),
            Self::Export => format!("{title} - Prolific export.zip"),
            Self::Responses => format!("{title} - responses.jsonl"),
            Self::Tidy => format!("{title} - results.csv"),
            Self::Package => format!("{title} - reproducibility package.zip"),
        }
    }

    /// The save dialog's filter: a label and extensions.
    #[must_use]
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Report | Self::Tidy => ("CSV spreadsheet", &["csv"]),
            Self::Export | Self::Package => ("ZIP archive", &["zip"]),
            Self::Responses => ("JSON Lines", &["jsonl", "json"]),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: String,
    #[specta(type = u32)]
    pub bytes: u64,
    /// The column guide saved beside the tidy CSV, explaining each of its columns.
    pub guide: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("{0} Download the results again while connected to fetch the answers directly.")]
    ExportUnreadable(ParseError),
    #[error(transparent)]
    Tidy(#[from] TidyError),
    #[error("The results could not be saved on this computer: {0}")]
    Io(#[from] std::io::Error),
    #[error("This study has no Task Builder batch, so it has no results to show.")]
    NoBatch,
    #[error(
        "No results have been downloaded for this study yet, and Prolific cannot be reached \
         now. Connect and try again."
    )]
    NotDownloaded,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Demographics(#[from] DemographicsError),
}

impl ResultsError {
    /// Whether the last download may be shown instead (Prolific unreachable or refusing
    /// for a while), rather than the error.
    fn is_unreachable(&self) -> bool {
        match self {
            Self::Connect(_) => true,
            Self::Prolific(error) | Self::Transfer(TransferError::Prolific(error)) => matches!(
                error,
                ProlificError::Network(_)
                    | ProlificError::Timeout(_)
                    | ProlificError::ProlificFailing { .. }
                    | ProlificError::RateLimited { .. }
            ),
            _ => false,
        }
    }
}

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

#[derive(Debug, Default, Serialize, Deserialize)]
struct DownloadRecord {
    downloaded_at: String,
    /// Why the export could not be read, when the answers were fetched through the API
    /// instead (kept in `FETCHED_RESPONSES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    export_unreadable: Option<String>,
    /// With `export_unreadable`: Prolific said it holds more answers than it sent.
    #[serde(default)]
    fetched_possibly_truncated: bool,
}

/// A small JSON note kept in a study's folder (its download record, its pilots' and
/// second rounds' links); a missing or unreadable one reads as the default.
fn read_note<T: serde::de::DeserializeOwned + Default>(folder: &Path, name: &str) -> T {
    std::fs::read(folder.join(name))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn write_note<T: Serialize>(folder: &Path, name: &str, note: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec(note).map_err(std::io::Error::other)?;
    std::fs::write(folder.join(name), json)
}

/// Adds `study_id` to the list of studies kept under `key` in the store (a pilot's or
/// a second round's link), once, in order.
fn link_once(store: &crate::store::Store, key: &str, study_id: &str) -> Result<(), StoreError> {
    let mut studies: Vec<String> = store.json_setting(key)?;
    if !studies.iter().any(|known| known == study_id) {
        studies.push(study_id.to_owned());
        store.set_json_setting(key, &studies)?;
    }
    Ok(())
}

impl DownloadRecord {
    /// The study folder's record; a missing or unreadable one is an empty record.
    fn read(folder: &Path) -> Self {
        read_note(folder, META)
    }

    fn write(&self, folder: &Path) -> Result<(), ResultsError> {
        Ok(write_note(folder, META, self)?)
    }

    fn answers_fetched(&self) -> bool {
        self.export_unreadable.is_some()
    }

    /// What the researcher is told when the answers did not come from the export.
    fn notice(&self) -> Option<String> {
        let problem = self.export_unreadable.as_deref()?;
        let mut notice = format!(
            "Prolific's export file could not be read, so the answers shown were fetched \
             from Prolific directly. {problem} Nothing is lost: the export file is kept as \
             it came and can still be saved."
        );
        if self.fetched_possibly_truncated {
            notice.push_str(
                " Prolific said it holds more answers than it sent, so some may be missing: \
                 download the results again later.",
            );
        }
        Some(notice)
    }
}

/// Where a fresh download came from, to fetch more from the same batch.
struct Source {
    client: Client,
    batch_id: String,
}

/// One study's results, loaded in memory for the table.
struct Loaded {
    summary: ResultsSummary,
    responses: ResponseSet,
    original: Option<OriginalData>,
    question_names: HashMap<String, String>,
    /// True when the answers were fetched through the API, the export being unreadable.
    answers_fetched: bool,
    /// `(item, participant)` of each table row, in the data's order.
    rows: Vec<(u32, u32)>,
    /// `(item, NO_PERSON)` of each item, in the data's order, for the by-item table.
    items: Vec<(u32, u32)>,
    /// Each question's majority answer by item: the label (for filtering) and the text
    /// shown (with its support, or the tie, or for other questions the answer count).
    consolidated: Vec<HashMap<u32, (Option<String>, String)>>,
    /// Each question's answers as text, by row.
    answers: Vec<HashMap<(u32, u32), String>>,
    /// The original data's cells by task id.
    data_by_task: HashMap<String, usize>,
    /// Every answer to an attention check Batchdesk mixed into the groups.
    checks: Vec<CheckOutcome>,
    /// The known answers mixed into the groups at setup, if any.
    default_known: Option<KnownAnswersChoice>,
    /// Agreement between people per choice question, worked out when first asked for.
    pairwise: std::sync::OnceLock<Vec<crate::analysis::pairwise::QuestionPairwise>>,
    /// The answers' fingerprint, which the kept bootstrap intervals are keyed by.
    fingerprint: std::sync::OnceLock<String>,
    /// The known answers that pinned items in the consensus, for the reproducibility
    /// package.
    known: Option<KnownAnswers>,
}

/// The results kept on this computer, and the one study's results in memory.
pub struct Results {
    root: PathBuf,
    loaded: tokio::sync::Mutex<Option<Arc<Loaded>>>,
}

impl Results {
    /// Results live in `<data_dir>/results/`.
    #[must_use]
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("results"),
            loaded: tokio::sync::Mutex::new(None),
        }
    }

    /// The folder the study's downloads are kept in.
    #[must_use]
    pub fn folder(&self, study_id: &str) -> PathBuf {
        self.root.join(safe_folder_name(study_id))
    }

    /// Whether results of this study were downloaded before.
    #[must_use]
    pub fn is_downloaded(&self, study_id: &str) -> bool {
        self.folder(study_id).join(EXPORT).is_file()
    }

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

    async fn loaded_for(&self, study_id: &str) -> Option<Arc<Loaded>> {
        self.loaded
            .lock()
            .await
            .as_ref()
            .filter(|loaded| loaded.summary.study_id == study_id)
            .cloned()
    }

    /// Reads and analyses the study's folder, and keeps it in memory for the table.
    async fn load(&self, study_id: &str, from_cache: bool) -> Result<Arc<Loaded>, ResultsError> {
        let folder = self.folder(study_id);
        let study = study_id.to_owned();
        let loaded = tokio::task::spawn_blocking(move || read_folder(&folder, &study, from_cache))
            .await
            .map_err(std::io::Error::other)??;
        let loaded = Arc::new(loaded);
        *self.loaded.lock().await = Some(Arc::clone(&loaded));
        Ok(loaded)
    }

    async fn loaded_or_read(&self, study_id: &str) -> Result<Arc<Loaded>, ResultsError> {
        if let Some(loaded) = self.loaded_for(study_id).await {
            return Ok(loaded);
        }
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        self.load(study_id, false).await
    }

    /// One page of the responses table, filtered.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn rows(&self, study_id: &str, query: &RowsQuery) -> Result<RowsPage, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        Ok(loaded.page(query))
    }

    /// Each participant's scorecard, worst first, from the last download (the answers
    /// as counted: with the pilots' when the researcher counted them in), with the
    /// known answers the researcher pointed to.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn scorecard(&self, study_id: &str) -> Result<StudyScorecard, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || {
            // The study's own record, read once: its times and its review states.
            let saved = read_saved_times(&folder);
            let mut states: HashMap<String, ReviewState> = saved
                .iter()
                .filter_map(|time| Some((time.participant_id.clone(), time.state?)))
                .collect();
            let mut times: Vec<TimeTaken> = saved.into_iter().map(TimeTaken::from).collect();
            let links = PilotLinks::read(&folder);
            if links.merged {
                for pilot in &links.pilot_studies {
                    times.extend(read_times(&folder.with_file_name(safe_folder_name(pilot))));
                }
            }
            // A second round's people are reviewed from here (in their own study), so
            // where their submissions stand is shown here too.
            for round in &RoundLinks::read(&folder).studies {
                let saved = read_saved_times(&folder.with_file_name(safe_folder_name(round)));
                for time in &saved {
                    if let Some(state) = time.state {
                        states.entry(time.participant_id.clone()).or_insert(state);
                    }
                }
                times.extend(saved.into_iter().map(TimeTaken::from));
            }
            // Known answers mixed into the groups at setup count until the researcher
            // says otherwise.
            let choice = KnownAnswersChoice::read_said(&folder)
                .unwrap_or_else(|| loaded.default_known.clone());
            let known = choice
                .as_ref()
                .and_then(|choice| choice.answers(loaded.original.as_ref()));
            let mut card = scorecard(
                &loaded.responses,
                &times,
                &loaded.question_names,
                known.as_ref(),
                &loaded.checks,
            );
            quote_labels(&mut card, &loaded.summary.questions);
            StudyScorecard {
                card,
                known_answers: choice,
                states,
            }
        })
        .await
        .map_err(|error| ResultsError::Io(std::io::Error::other(error)))
    }

    /// Notes a review sent from here in the study's downloaded record, so the scorecard
    /// shows it before the next download. A failure to note it is logged, not raised:
    /// the review itself was sent.
    pub fn note_review(&self, study_id: &str, participant_id: &str, state: ReviewState) {
        let folder = self.folder(study_id);
        let mut saved = read_saved_times(&folder);
        let mut changed = false;
        for time in saved
            .iter_mut()
            .filter(|time| time.participant_id == participant_id)
        {
            time.state = Some(state);
            changed = true;
        }
        if !changed {
            return;
        }
        let written = serde_json::to_vec(&saved)
            .map_err(std::io::Error::other)
            .and_then(|json| write_into_place(&folder.join(TIMES), &json[..]));
        if let Err(error) = written {
            tracing::warn!(%error, "a review could not be noted with the results");
        }
    }

    /// Says which data column holds the right answers to which choice question (or,
    /// with `None`, that none does), kept with the results; the scorecard as it then
    /// reads.
    ///
    /// # Errors
    /// When the study's results were never downloaded, or the choice cannot be saved.
    pub async fn set_known_answers(
        &self,
        study_id: &str,
        choice: Option<KnownAnswersChoice>,
    ) -> Result<StudyScorecard, ResultsError> {
        if !self.is_downloaded(study_id) {
            return Err(ResultsError::NotDownloaded);
        }
        let folder = self.folder(study_id);
        // Kept as said, `null` included: "none" stands over the batch's own known answers.
        let json = serde_json::to_vec(&choice).map_err(std::io::Error::other)?;
        write_into_place(&folder.join(KNOWN), &json[..])?;
        // The consensus pins the known items: analysed again with them.
        let from_cache = self
            .loaded_for(study_id)
            .await
            .is_some_and(|loaded| loaded.summary.from_cache);
        self.load(study_id, from_cache).await?;
        self.scorecard(study_id).await
    }

    /// Writes one of the downloads to `destination` (replacing it only once complete).
    ///
    /// # Errors
    /// When the results were never downloaded, or the file cannot be written.
    pub async fn save(
        &self,
        study_id: &str,
        kind: DownloadKind,
        destination: &Path,
    ) -> Result<SavedFile, ResultsError> {
        if kind == DownloadKind::Package {
            return self.save_package(None, study_id, destination).await;
        }
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        let destination = destination.to_owned();
        let written = tokio::task::spawn_blocking(
            move || -> Result<(PathBuf, Option<PathBuf>), ResultsError> {
                match kind {
                    DownloadKind::Report => copy_into_place(&folder.join(REPORT), &destination)?,
                    DownloadKind::Export => copy_into_place(&folder.join(EXPORT), &destination)?,
                    DownloadKind::Responses if loaded.answers_fetched => {
                        copy_into_place(&folder.join(FETCHED_RESPONSES), &destination)?;
                    }
                    DownloadKind::Responses => {
                        extract_responses(&folder.join(EXPORT), &destination)?
                    }
                    DownloadKind::Package => {
                        return Err(ResultsError::Io(std::io::Error::other(
                            "the reproducibility package is written by save_package",
                        )));
                    }
                    DownloadKind::Tidy => {
                        let guide = loaded.write_tidy_with_guide(&destination)?;
                        return Ok((destination, Some(guide)));
                    }
                }
                Ok((destination, None))
            },
        )
        .await
        .map_err(std::io::Error::other)??;
        let (written, guide) = written;
        let bytes = std::fs::metadata(&written)?.len();
        Ok(SavedFile {
            path: written.display().to_string(),
            bytes,
            guide: guide.map(|guide| guide.display().to_string()),
        })
    }
}

/// The answers and the questions' names: from the export, or from the answers fetched
/// through the API when the export could not be read.
fn read_answers(folder: &Path, record: &DownloadRecord) -> Result<ExportContents, ResultsError> {
    if record.answers_fetched() {
        return read_fetched_answers(folder);
    }
    read_export_zip(BufReader::new(File::open(folder.join(EXPORT))?))
        .map_err(ResultsError::ExportUnreadable)
}

fn read_fetched_answers(folder: &Path) -> Result<ExportContents, ResultsError> {
    let responses =
        read_responses_jsonl(BufReader::new(File::open(folder.join(FETCHED_RESPONSES))?))?;
    let mut layout = batch_layout(File::open(folder.join(FETCHED_LAYOUT))?)?;
    Ok(ExportContents {
        responses,
        question_names: std::mem::take(&mut layout.question_names),
        layout,
    })
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

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        done => done,
    }
}

/// The researcher's data as the folder's report gives it; `None` when no report was
/// downloaded.
fn read_original(folder: &Path) -> Result<Option<OriginalData>, ResultsError> {
    match File::open(folder.join(REPORT)) {
        Ok(file) => Ok(Some(OriginalData::from_report_csv(BufReader::new(file))?)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
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

#[derive(Serialize, Deserialize)]
struct SavedTime {
    participant_id: String,
    seconds: u64,
    /// Where the submission stood at the download, and after each review since.
    #[serde(default)]
    state: Option<ReviewState>,
}

fn read_saved_times(folder: &Path) -> Vec<SavedTime> {
    std::fs::read(folder.join(TIMES))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<SavedTime>>(&bytes).ok())
        .unwrap_or_default()
}

/// The times kept by [`save_times`]; none when a download from before them is read.
fn read_times(folder: &Path) -> Vec<TimeTaken> {
    read_saved_times(folder)
        .into_iter()
        .map(TimeTaken::from)
        .collect()
}

impl From<SavedTime> for TimeTaken {
    fn from(time: SavedTime) -> Self {
        Self {
            participant_id: time.participant_id,
            seconds: time.seconds,
        }
    }
}

/// The answers of each of `studies` (pilots or second rounds) that were downloaded
/// beside this study's folder. One whose files cannot be read is passed over (and not
/// counted as downloaded): the study's own results never fail because of another's.
fn read_pilot_folders(folder: &Path, studies: &[String]) -> Vec<PilotFolder> {
    let Some(root) = folder.parent() else {
        return Vec::new();
    };
    studies
        .iter()
        .filter_map(|study_id| {
            let pilot = root.join(safe_folder_name(study_id));
            if !pilot.join(EXPORT).is_file() {
                return None;
            }
            let read = || -> Result<PilotFolder, ResultsError> {
                let export = read_answers(&pilot, &DownloadRecord::read(&pilot))?;
                Ok(PilotFolder {
                    responses: export.responses,
                    question_names: export.question_names,
                    original: read_original(&pilot)?,
                })
            };
            read()
                .inspect_err(
                    |error| tracing::warn!(%error, study_id, "a pilot's answers could not be read"),
                )
                .ok()
        })
        .collect()
}

/// Study ids are Prolific's hex ids; anything else is kept to safe characters.
fn safe_folder_name(study_id: &str) -> String {
    study_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Marks a by-item row: no one person's answers.
const NO_PERSON: u32 = u32::MAX;

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
    fn write_tidy_with_guide(&self, destination: &Path) -> Result<PathBuf, ResultsError> {
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

/// The options a choice answer holds (`value`, or values joined by `; `) as participants
/// read them, joined the same way; `None` when a part is not one of `options` or every
/// label is its value (nothing to change).
fn labelled(answer: &str, options: &[OptionLabel]) -> Option<String> {
    let labels: Vec<&str> = answer
        .split("; ")
        .map(|value| {
            options
                .iter()
                .find(|option| option.value == value)
                .map(|option| option.label.as_str())
        })
        .collect::<Option<_>>()?;
    let joined = labels.join("; ");
    (joined != answer).then_some(joined)
}

/// The spans of `text` between curly quotes (“…”), where the scorecard's sentences quote
/// an answer or a question.
fn quoted_spans(text: &str) -> Vec<&str> {
    text.split('“')
        .skip(1)
        .filter_map(|after| after.split_once('”').map(|(span, _)| span))
        .collect()
}

/// Writes the answers the scorecard's sentences quote (for the researcher, to the
/// participant, and in the drafted rejection) as participants read them: an answer
/// quoted beside a choice question's title, made of that question's option values,
/// becomes its labels. A participant never saw `not_enough_info`, only "Not enough
/// information", so a message to them must say the latter.
fn quote_labels(card: &mut Scorecard, questions: &[ResultsQuestion]) {
    for score in &mut card.participants {
        let mut said_again: Vec<(String, String)> = Vec::new();
        for flag in &mut score.flags {
            let quoted = quoted_spans(&flag.evidence);
            let Some(question) = questions.iter().find(|question| {
                !question.options.is_empty() && quoted.contains(&&*question.title)
            }) else {
                continue;
            };
            let swaps: Vec<(String, String)> = quoted
                .iter()
                .filter(|span| **span != question.title)
                .filter_map(|span| {
                    let labels = labelled(span, &question.options)?;
                    Some((format!("“{span}”"), format!("“{labels}”")))
                })
                .collect();
            let before = flag.to_participant.clone();
            for (value, label) in &swaps {
                flag.evidence = flag.evidence.replace(value, label);
                flag.to_participant = flag.to_participant.replace(value, label);
            }
            if flag.to_participant != before {
                said_again.push((before, flag.to_participant.clone()));
            }
        }
        if let Some(draft) = &mut score.draft_rejection {
            for (before, after) in &said_again {
                draft.message = draft.message.replace(before, after);
            }
        }
    }
}

/// Whether a table answer holds `option` (answers list their options joined by `; `).
fn holds_option(text: &str, option: &str) -> bool {
    text == option || text.split("; ").any(|part| part == option)
}

fn copy_into_place(source: &Path, destination: &Path) -> std::io::Result<()> {
    write_into_place(destination, File::open(source)?)
}

/// The raw responses file of the export, as it is.
fn extract_responses(export: &Path, destination: &Path) -> Result<(), ResultsError> {
    let mut archive = open_export_zip(BufReader::new(File::open(export)?))?;
    let members = find_export_members(&archive)?;
    let responses = crate::analysis::export::member(&mut archive, &members.responses)?;
    write_into_place(destination, responses)?;
    Ok(())
}

/// Writes `destination` through a temporary file beside it, renamed into place once
/// complete, so a failure never leaves half a file under the researcher's name.
fn write_into_place(destination: &Path, mut content: impl std::io::Read) -> std::io::Result<()> {
    let folder = destination
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    std::io::copy(&mut content, &mut temporary)?;
    temporary
        .persist(destination)
        .map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::analysis::scorecard::{
        DraftRejection, Flag, FlagKind, ParticipantScore, RejectReason,
    };

    fn option(value: &str, label: &str) -> OptionLabel {
        OptionLabel {
            value: value.to_owned(),
            label: label.to_owned(),
        }
    }

    fn verdict() -> ResultsQuestion {
        ResultsQuestion {
            id: "q1".to_owned(),
            title: "Does the source support the claim?".to_owned(),
            kind: QuestionKind::MultipleChoice,
            options: vec![
                option("supported", "Supported"),
                option("not_enough_info", "Not enough information"),
            ],
        }
    }

    #[test]
    fn an_answer_reads_as_its_labels_when_every_value_is_an_option() {
        let options = verdict().options;
        assert_eq!(
            labelled("not_enough_info", &options).as_deref(),
            Some("Not enough information")
        );
        assert_eq!(
            labelled("not_enough_info; supported", &options).as_deref(),
            Some("Not enough information; Supported")
        );
        assert_eq!(labelled("maybe", &options), None, "an unknown value");
        assert_eq!(labelled("supported; maybe", &options), None);
        assert_eq!(
            labelled("same", &[option("same", "same")]),
            None,
            "nothing to change"
        );
        assert_eq!(
            quoted_spans("Answered “a; b” to all 5 items of “Q?”; on 3."),
            ["a; b", "Q?"]
        );
    }

    #[test]
    fn the_scorecard_quotes_the_options_participants_read_in_its_evidence_and_draft() {
        let to_participant = "you gave the answer “not_enough_info” to every item, also where \
                              the item clearly called for another";
        let copied = "you wrote the same answer (“not_enough_info”) on 4 items";
        let mut card = Scorecard {
            participants: vec![ParticipantScore {
                participant_id: "p1".to_owned(),
                items: 8,
                compared: 8,
                agreed: 1,
                seconds: None,
                speed: None,
                known: 0,
                known_right: 0,
                checks: 0,
                checks_failed: 0,
                flags: vec![
                    Flag {
                        kind: FlagKind::SameAnswerToEverything,
                        evidence: "Answered “not_enough_info” to all 8 items of “Does the \
                                   source support the claim?”; on 6 of them most others \
                                   chose another answer."
                            .to_owned(),
                        to_participant: to_participant.to_owned(),
                    },
                    // Written text that happens to be a value is what they wrote: kept.
                    Flag {
                        kind: FlagKind::CopiedText,
                        evidence: "Wrote “not_enough_info” on 4 items.".to_owned(),
                        to_participant: copied.to_owned(),
                    },
                ],
                draft_rejection: Some(DraftRejection {
                    reason: RejectReason::LowEffort,
                    message: format!(
                        "Thank you. We cannot approve it: {to_participant}; and {copied}."
                    ),
                }),
            }],
            median_seconds: None,
            typical_agreement: None,
            typical_known_right: None,
        };
        quote_labels(&mut card, &[verdict()]);
        let score = &card.participants[0];
        assert_eq!(
            score.flags[0].evidence,
            "Answered “Not enough information” to all 8 items of “Does the source support \
             the claim?”; on 6 of them most others chose another answer."
        );
        let said = "you gave the answer “Not enough information” to every item, also where \
                    the item clearly called for another";
        assert_eq!(score.flags[0].to_participant, said);
        assert_eq!(
            score.flags[1].evidence,
            "Wrote “not_enough_info” on 4 items."
        );
        assert_eq!(score.flags[1].to_participant, copied);
        assert_eq!(
            score.draft_rejection.as_ref().unwrap().message,
            format!("Thank you. We cannot approve it: {said}; and {copied}.")
        );
    }
}
