//! A study's results on this computer: downloaded from Prolific (the ZIP export and the
//! CSV report) into `<app data>/results/<study id>/`, analysed, and kept there so they
//! stay viewable offline. The responses table is served a page at a time (one row per
//! item and person, joined with the researcher's original data row), and each download
//! the researcher asks for is written from these files.
//!
//! An export that cannot be read (no responses file in it, several that could be, cut
//! short or damaged) is kept as it came, and the answers are fetched through the API
//! instead (`GET …/batches/{id}/responses`), with a notice saying so.
//!
//! | module | job |
//! |---|---|
//! | `folder` | the files kept in a study's folder: names, notes, reading them, writing into place |
//! | `known` | which data column holds the right answers, as the researcher said |
//! | `pilot_answers`, `second_round` | pilots' and second rounds' answers counted in (or kept apart) |
//! | `loaded` | one study read from its folder and analysed, kept in memory |
//! | `download` | fetching from Prolific: export, report, times, pilots and rounds, answers through the API |
//! | `paging` | the responses table, a filtered page at a time |
//! | `scorecard` | each participant's scorecard, known answers and reviews noted |
//! | `save` | the downloads the researcher saves |
//! | `item_pages` | the flagged and to-review item lists, a page at a time |
//! | `round_items` | what a second round needs of a study: confidence, data rows, extras |
//! | `agreement`, `intervals`, `methods`, `demographics`, `package` | figures and reports from the loaded study |
//!
//! Dependencies point one way: `folder` uses no sibling; `known` and `pilot_answers`
//! use only it; `second_round` uses `pilot_answers`; `loaded` uses those; the rest use
//! `loaded` and what is below it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use batchdesk_prolific::{ProlificError, TransferError};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::analysis::{Analysis, OptionLabel, ParseError, QuestionKind, TidyError};
use crate::error_code::{Coded, ErrorCode, transfer_text};
use crate::session::{SessionError, session_error_from};
use crate::text;
use crate::text::Text;

mod agreement;
mod demographics;
mod download;
mod folder;
mod intervals;
mod item_pages;
mod known;
mod loaded;
mod methods;
mod package;
mod paging;
mod pilot_answers;
mod round_items;
mod save;
mod scorecard;
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
pub use download::ResultsProgress;
pub use intervals::{QuestionInterval, answers_fingerprint};
pub use known::KnownAnswersChoice;
use loaded::Loaded;
pub use methods::{MethodsReport, QuestionAgreementFacts};
pub use paging::{ResultRow, RowsPage, RowsQuery};
pub use pilot_answers::PilotAnswers;
pub(crate) use pilot_answers::link_pilot;
pub use scorecard::StudyScorecard;
pub(crate) use second_round::{GroupExtras, link_second_round, second_rounds_of};
pub use second_round::{ItemConfidence, MajorityShare, ModelConfidence, SecondRoundAnswers};

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
    pub notice: Option<Text>,
    /// The pilots run before this study, and whether their answers are counted here.
    /// `None` when the study had no pilot.
    pub pilot_answers: Option<PilotAnswers>,
    /// The second rounds run for this study's uncertain items, whose answers are counted
    /// here. `None` when it had none.
    pub second_round: Option<SecondRoundAnswers>,
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
#[error("{}", self.text())]
pub enum ResultsError {
    #[error(transparent)]
    Session(#[from] SessionError),
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    ExportUnreadable(ParseError),
    #[error(transparent)]
    Tidy(#[from] TidyError),
    Io(#[from] std::io::Error),
    NoBatch,
    NotDownloaded,
    #[error(transparent)]
    Demographics(#[from] DemographicsError),
}

session_error_from!(ResultsError);

impl Coded for ResultsError {
    fn error_code(&self) -> ErrorCode {
        match self {
            // A locked keychain is not the same as no connection.
            Self::Session(error) => error.error_code(),
            Self::Transfer(TransferError::Prolific(error)) => error.error_code(),
            Self::Demographics(error) => error.error_code(),
            Self::Parse(_) | Self::ExportUnreadable(_) => ErrorCode::ResultsUnreadable,
            Self::Transfer(_) | Self::Tidy(_) | Self::Io(_) => ErrorCode::FileNotWritten,
            Self::NoBatch => ErrorCode::NoBatch,
            Self::NotDownloaded => ErrorCode::NotDownloaded,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::Transfer(inner) => transfer_text(inner),
            Self::Parse(inner) => inner.text(),
            Self::ExportUnreadable(inner) => inner.text_for_export(),
            Self::Tidy(inner) => inner.text(),
            Self::Io(reason) => text!("errors:results.io", reason = reason.to_string()),
            Self::NoBatch => text!("errors:results.noBatch"),
            Self::NotDownloaded => text!("errors:results.notDownloaded"),
            Self::Demographics(inner) => inner.text(),
        }
    }
}

impl ResultsError {
    /// Whether the last download may be shown instead (Prolific unreachable or refusing
    /// for a while), rather than the error.
    fn is_unreachable(&self) -> bool {
        match self {
            Self::Session(SessionError::Connect(_)) => true,
            Self::Session(SessionError::Prolific(error))
            | Self::Transfer(TransferError::Prolific(error)) => matches!(
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
        self.root.join(folder::safe_folder_name(study_id))
    }

    /// Whether results of this study were downloaded before.
    #[must_use]
    pub fn is_downloaded(&self, study_id: &str) -> bool {
        self.folder(study_id).join(folder::EXPORT).is_file()
    }
}
