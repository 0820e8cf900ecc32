//! The stable codes of errors, decided where the errors are. Every error the app can
//! answer with implements [`Coded`] (`error_code`) next to its definition, so the shell turns any of them
//! into its one IPC error without knowing their variants. A code is what the UI may branch
//! on (`rateLimited`…); its wire name never changes once released. The message is the
//! error's `text`, a catalogue entry the UI says in the researcher's language (its English
//! is the error's `Display`).
//!
//! To add a code: add its variant here with a line on when it is used, return it from the
//! `error_code` of the error that means it, and give it a real error value in the table test
//! of the shell (`src-tauri/src/error.rs`), which fails to build until every code has one.

use batchdesk_prolific::{
    BatchItemIssue, BonusError, MOST_BONUSES_PER_REQUEST, ProlificError, TransferError,
};
use serde::Serialize;
use specta::Type;

use crate::text;
use crate::text::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Type, strum::VariantArray)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The local database could not be read or written.
    StoreFailed,
    /// Prolific did not accept the API token.
    InvalidToken,
    /// The pilot's batch is not set up yet (prepare it first).
    PilotNotPrepared,
    /// The account's filters do not include the participant-group blocklist.
    PilotExclusionUnavailable,
    /// No item is below the confidence asked for: a second round has nothing to do.
    NothingUncertain,
    /// A second round's items or price changed since they were confirmed.
    TopUpPlanChanged,
    /// The design of a study to run again was not kept on this computer.
    NoTaskKept,
    /// The account cannot reach this workspace, project or object.
    NoAccess,
    NotFound,
    /// Prolific (or our own checks) refused what was sent.
    Rejected,
    RateLimited,
    /// Prolific answered with a server error.
    ProlificUnavailable,
    /// No connection to Prolific.
    Offline,
    Timeout,
    /// Prolific answered something we could not read.
    UnexpectedAnswer,
    /// Choose Practice or connect an account first.
    NotConnected,
    /// No OS keychain (Secret Service) could be reached; the token is never put in a file.
    KeychainUnavailable,
    /// The OS keychain is locked.
    KeychainLocked,
    /// The practice server inside the app could not start.
    PracticeFailed,
    /// A data file of a kind Batchdesk does not read (not CSV, TSV or Unicode text).
    UnsupportedFile,
    /// A data file that could not be read.
    FileUnreadable,
    /// Not a handle to a file this run of the app holds (a path, or one from before a
    /// restart): the file is chosen again.
    UnknownFile,
    /// A file Batchdesk could not write (a fixed copy, a download).
    FileNotWritten,
    /// The researcher cancelled.
    Cancelled,
    /// The price changed between the confirmation and the publish: nothing was spent.
    PriceChanged,
    /// The settings changed since the researcher confirmed the total (or the study does
    /// not match them): nothing was spent.
    SettingsChanged,
    /// A payment was asked for and its outcome is unknown: it is not sent again.
    PaymentUnclear,
    /// A message was asked for and whether it went is unknown: it is not sent again.
    MessageUnclear,
    /// A message would reach another number of people than confirmed: nothing was sent.
    AudienceChanged,
    /// Another launch, publish or payment is under way; nothing was sent for this one.
    MoneyActionBusy,
    /// Batchdesk's records name two studies for one batch: neither is published.
    TwoStudiesForBatch,
    /// A test run needs an email Prolific will take for a test participant.
    TestEmailRefused,
    /// Prolific refused some rows of the data (they are in the data draft): fix them or
    /// continue without them.
    RowsRejected,
    /// No typed dataset can be made (the workspace refuses them, or the file's columns
    /// do not fit): nothing is uploaded, as participants could not see untyped data.
    TypedDatasetRefused,
    /// Sending a file to Prolific's storage failed (it can be tried again).
    UploadFailed,
    /// Prolific could not read the uploaded data.
    DatasetUnreadable,
    /// Prolific is still processing the data; it can be followed later.
    StillProcessing,
    /// No workspace is chosen to work in.
    NoWorkspace,
    /// The data is not uploaded yet (step 1 comes first).
    NoDataset,
    /// The task is not started yet (blank or from a template).
    NoDesign,
    /// Prolific could not set the batch up (it ended in ERROR).
    SetupFailed,
    /// A template file that is not one, or is from a newer Batchdesk.
    TemplateUnreadable,
    /// The batch is not set up yet (step 2 comes first).
    NoBatch,
    /// The study settings have a problem (shown on its field).
    InvalidSettings,
    /// The workspace's balance does not cover the study.
    InsufficientBalance,
    /// No results were downloaded for this study yet, and Prolific cannot be reached.
    NotDownloaded,
    /// Results that could not be read (a damaged export or report).
    ResultsUnreadable,
    /// A link of a kind Batchdesk does not open (only http, https and mailto).
    LinkRefused,
    /// The system browser could not be started for a link.
    BrowserUnavailable,
    /// This build has no update source (a dev or test build, or no key configured).
    UpdatesOff,
    /// Checking for, downloading or installing an update failed; nothing was changed.
    UpdateFailed,
    /// A bug in Batchdesk.
    Internal,
}

impl ErrorCode {
    /// Every code, for the test that each has a real error behind it.
    #[must_use]
    pub fn all() -> &'static [Self] {
        <Self as strum::VariantArray>::VARIANTS
    }

    /// The code as the UI sees it (`rateLimited`…).
    #[must_use]
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{self:?}"))
    }
}

/// An error that knows its stable code. Implemented next to each error type; an error
/// wrapping another takes the code of the one it wraps. (Not `code`: Prolific's errors
/// have an inherent `code` of their own, for logs.)
pub trait Coded: std::error::Error {
    fn error_code(&self) -> ErrorCode;

    /// What the researcher reads: an entry of the catalogue (`crate::text`) and its
    /// values. An error's `Display` is this entry's English.
    fn text(&self) -> Text;
}

// Prolific's client knows nothing of the app's codes, so its errors get theirs here.

impl Coded for ProlificError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::NoAccess { .. } => ErrorCode::NoAccess,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Validation { .. } => ErrorCode::Rejected,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::ProlificFailing { .. } => ErrorCode::ProlificUnavailable,
            Self::Network(_) => ErrorCode::Offline,
            Self::Timeout(_) => ErrorCode::Timeout,
            Self::Unexpected { .. } => ErrorCode::UnexpectedAnswer,
            // Prolific answered, but not all of a list: trying again later is the remedy.
            Self::IncompleteList { .. } => ErrorCode::ProlificUnavailable,
        }
    }

    fn text(&self) -> Text {
        match self {
            Self::InvalidToken => text!("errors:prolific.invalidToken"),
            Self::NoAccess { detail: None } => text!("errors:prolific.noAccess"),
            Self::NoAccess {
                detail: Some(detail),
            } => text!(
                "errors:prolific.noAccessSaying",
                detail = sentence_end(detail)
            ),
            Self::NotFound { detail: None } => text!("errors:prolific.notFound"),
            Self::NotFound {
                detail: Some(detail),
            } => text!(
                "errors:prolific.notFoundSaying",
                detail = sentence_end(detail)
            ),
            Self::Validation { issues, detail, .. } => match (issues.first(), detail) {
                (Some(issue), _) => layout_refused(issue),
                (None, None) => text!("errors:prolific.refused"),
                (None, Some(detail)) => {
                    text!(
                        "errors:prolific.refusedSaying",
                        detail = sentence_end(detail)
                    )
                }
            },
            Self::RateLimited { .. } => text!("errors:prolific.rateLimited"),
            Self::ProlificFailing { status } => text!("errors:prolific.failing", status = status),
            Self::Network(_) => text!("errors:prolific.network"),
            Self::Timeout(_) => text!("errors:prolific.timeout"),
            Self::Unexpected { status, .. } => text!("errors:prolific.unexpected", status = status),
            Self::IncompleteList { what } => incomplete_list(what),
        }
    }
}

/// Prolific's own words, ended where the catalogue's sentence ends them.
fn sentence_end(detail: &str) -> &str {
    detail.trim().trim_end_matches('.')
}

/// A refused task layout, said by its first problem and where it is (every problem is
/// also in the error, for the task step to place on the design).
fn layout_refused(issue: &BatchItemIssue) -> Text {
    let problem = sentence_end(&issue.message);
    // Counted from one, as a researcher counts pages and rows.
    let place = |index: Option<u32>| index.map(|index| index + 1);
    match (
        place(issue.page),
        place(issue.row),
        place(issue.column),
        place(issue.item),
    ) {
        (Some(page), Some(row), Some(column), Some(item)) => text!(
            "errors:prolific.layoutRefused.item",
            page = page,
            row = row,
            column = column,
            item = item,
            problem = problem
        ),
        (Some(page), Some(row), Some(column), None) => text!(
            "errors:prolific.layoutRefused.column",
            page = page,
            row = row,
            column = column,
            problem = problem
        ),
        (Some(page), Some(row), None, _) => text!(
            "errors:prolific.layoutRefused.row",
            page = page,
            row = row,
            problem = problem
        ),
        (Some(page), None, _, _) => text!(
            "errors:prolific.layoutRefused.page",
            page = page,
            problem = problem
        ),
        (None, ..) => text!("errors:prolific.layoutRefused.anywhere", problem = problem),
    }
}

/// A list Prolific sent only part of, named by what its items are (`Listed::whole`).
fn incomplete_list(what: &str) -> Text {
    match what {
        "studies" => text!("errors:prolific.incompleteList.studies"),
        "draft studies" => text!("errors:prolific.incompleteList.draftStudies"),
        "filters" => text!("errors:prolific.incompleteList.filters"),
        "groups" => text!("errors:prolific.incompleteList.groups"),
        "participant group members" => text!("errors:prolific.incompleteList.groupMembers"),
        "participant groups in this workspace" => {
            text!("errors:prolific.incompleteList.groupsInWorkspace")
        }
        "batches in this workspace" => text!("errors:prolific.incompleteList.batches"),
        "projects in this workspace" => text!("errors:prolific.incompleteList.projects"),
        "submissions" | "the study's submissions" => {
            text!("errors:prolific.incompleteList.submissions")
        }
        "submissions awaiting review" => {
            text!("errors:prolific.incompleteList.submissionsAwaitingReview")
        }
        _ => text!("errors:prolific.incompleteList.other"),
    }
}

/// What the researcher reads when a file could not be moved to or from Prolific. (Its
/// code depends on the move: an upload's or a download's error decides it.)
#[must_use]
pub fn transfer_text(error: &TransferError) -> Text {
    match error {
        TransferError::Prolific(inner) => inner.text(),
        TransferError::File { path, source } => text!(
            "errors:prolific.transfer.file",
            path = path,
            reason = source.to_string()
        ),
        TransferError::EmptyFile(path) => text!("errors:prolific.transfer.emptyFile", path = path),
        TransferError::Storage {
            status,
            detail: None,
        } => text!("errors:prolific.transfer.storage", status = status),
        TransferError::Storage {
            status,
            detail: Some(detail),
        } => text!(
            "errors:prolific.transfer.storageSaying",
            status = status,
            detail = sentence_end(detail)
        ),
        TransferError::LinkExpired => text!("errors:prolific.transfer.linkExpired"),
        TransferError::Incomplete { received, expected } => text!(
            "errors:prolific.transfer.incomplete",
            received = received,
            expected = expected
        ),
        TransferError::InsecureUrl => text!("errors:prolific.transfer.insecureUrl"),
        TransferError::ExportFailed => text!("errors:prolific.transfer.exportFailed"),
        TransferError::ExportNotReady => text!("errors:prolific.transfer.exportNotReady"),
    }
}

impl Coded for BonusError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Prolific(prolific) => prolific.error_code(),
            Self::PaymentUnclear { .. } => ErrorCode::PaymentUnclear,
            Self::CurrencyMismatch { .. }
            | Self::NoBonuses
            | Self::TooManyBonuses { .. }
            | Self::InvalidRecipient { .. } => ErrorCode::Rejected,
        }
    }

    fn text(&self) -> Text {
        match self {
            Self::Prolific(inner) => inner.text(),
            Self::PaymentUnclear { .. } => text!("errors:prolific.bonus.paymentUnclear"),
            Self::CurrencyMismatch {
                study_currency: Some(study_currency),
                bonus_currency,
            } => text!(
                "errors:prolific.bonus.currencyMismatch",
                study_currency = study_currency,
                bonus_currency = bonus_currency
            ),
            Self::CurrencyMismatch {
                study_currency: None,
                bonus_currency,
            } => text!(
                "errors:prolific.bonus.studyCurrencyUnknown",
                bonus_currency = bonus_currency
            ),
            Self::NoBonuses => text!("errors:prolific.bonus.none"),
            Self::TooManyBonuses { count } => text!(
                "errors:prolific.bonus.tooMany",
                count = count,
                most = MOST_BONUSES_PER_REQUEST
            ),
            Self::InvalidRecipient { id } => {
                text!("errors:prolific.bonus.invalidRecipient", id = id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The names lists are read under (by `Listed::whole`, `Listed::newest_match` and
    /// `IncompleteList`) in the client's and the engine's sources.
    fn list_names() -> Vec<String> {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut names = Vec::new();
        for dir in ["crates/prolific-client/src", "crates/engine/src"] {
            let mut pending = vec![workspace.join(dir)];
            while let Some(dir) = pending.pop() {
                for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{error}")) {
                    let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
                    if path.is_dir() {
                        pending.push(path);
                        continue;
                    }
                    let code = std::fs::read_to_string(&path).unwrap_or_default();
                    for opening in [".whole(\"", "newest_match(\"", "what: \""] {
                        for (at, _) in code.match_indices(opening) {
                            let rest = &code[at + opening.len()..];
                            names.push(rest[..rest.find('"').unwrap_or(0)].to_owned());
                        }
                    }
                }
            }
        }
        names
    }

    #[test]
    fn every_list_read_whole_has_its_own_sentence() {
        let names = list_names();
        assert!(names.len() > 5, "found only {names:?}: the scan is wrong");
        let generic = incomplete_list("not a list");
        for name in names {
            assert_ne!(incomplete_list(&name), generic, "{name}");
        }
    }
}
