//! The one error type that crosses IPC: a stable machine code for the UI to branch on and
//! a plain-language message for the researcher. The UI never matches on message text.

use batchdesk_engine::bonuses::BonusesError;
use batchdesk_engine::connection::ConnectError;
use batchdesk_engine::credentials::VaultError;
use batchdesk_engine::csv_doctor::DoctorError;
use batchdesk_engine::data_file::DataFileError;
use batchdesk_engine::data_step::DataStepError;
use batchdesk_engine::diagnostics::RecentErrors;
use batchdesk_engine::groups::GroupError;
use batchdesk_engine::messages::MessageError;
use batchdesk_engine::money_lock::MoneyLockError;
use batchdesk_engine::monitor::MonitorError;
use batchdesk_engine::pilot::PilotError;
use batchdesk_engine::results::ResultsError;
use batchdesk_engine::store::StoreError;
use batchdesk_engine::study_actions::ActionError;
use batchdesk_engine::study_step::StudyStepError;
use batchdesk_engine::task::templates::TemplateError;
use batchdesk_engine::task_step::TaskStepError;
use batchdesk_engine::top_up::TopUpError;
use batchdesk_engine::upload::UploadError;
use batchdesk_prolific::BonusError;
use batchdesk_prolific::ProlificError;
use batchdesk_prolific::TransferError;
use serde::Serialize;
use specta::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
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

/// The codes of the last errors answered, for "Copy diagnostics" (codes only: a message
/// may name a file or a participant).
pub static RECENT_ERRORS: RecentErrors = RecentErrors::new();

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        if code != ErrorCode::Cancelled {
            RECENT_ERRORS.record(code.name());
        }
        Self {
            code,
            message: message.into(),
        }
    }
}

impl ErrorCode {
    /// The code as the UI sees it (`rate_limited`…).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{self:?}"))
    }
}

impl From<StoreError> for IpcError {
    fn from(error: StoreError) -> Self {
        tracing::error!(error = ?error, "local store failed");
        Self::new(ErrorCode::StoreFailed, error.to_string())
    }
}

impl From<ProlificError> for IpcError {
    fn from(error: ProlificError) -> Self {
        let message = error.to_string();
        Self::from_prolific(&error, message)
    }
}

impl IpcError {
    /// The code for a Prolific failure, with the message to show (which may add context).
    fn from_prolific(error: &ProlificError, message: String) -> Self {
        tracing::warn!(error = ?error, "Prolific call failed");
        let code = match error {
            ProlificError::InvalidToken => ErrorCode::InvalidToken,
            ProlificError::NoAccess { .. } => ErrorCode::NoAccess,
            ProlificError::NotFound { .. } => ErrorCode::NotFound,
            ProlificError::Validation { .. } => ErrorCode::Rejected,
            ProlificError::RateLimited { .. } => ErrorCode::RateLimited,
            ProlificError::ProlificFailing { .. } => ErrorCode::ProlificUnavailable,
            ProlificError::Network(_) => ErrorCode::Offline,
            ProlificError::Timeout(_) => ErrorCode::Timeout,
            ProlificError::Unexpected { .. } => ErrorCode::UnexpectedAnswer,
            // Prolific answered, but not all of a list: trying again later is the remedy.
            ProlificError::IncompleteList { .. } => ErrorCode::ProlificUnavailable,
        };
        Self::new(code, message)
    }
}

impl From<crate::navigation::LinkError> for IpcError {
    fn from(error: crate::navigation::LinkError) -> Self {
        use crate::navigation::LinkError;
        let code = match &error {
            LinkError::NotALink(_) | LinkError::Refused(_) => ErrorCode::LinkRefused,
            LinkError::NoBrowser { .. } => ErrorCode::BrowserUnavailable,
        };
        tracing::warn!(error = ?error, "link not opened");
        Self::new(code, error.to_string())
    }
}

impl From<ConnectError> for IpcError {
    fn from(error: ConnectError) -> Self {
        match error {
            ConnectError::Prolific(error) => error.into(),
            ConnectError::Store(error) => error.into(),
            ConnectError::NotConnected => Self::new(ErrorCode::NotConnected, error.to_string()),
            ConnectError::EmptyToken => Self::new(ErrorCode::Rejected, error.to_string()),
            ConnectError::Keychain(ref vault) => {
                tracing::error!(error = ?vault, "keychain failed");
                let code = match vault {
                    VaultError::Locked(_) => ErrorCode::KeychainLocked,
                    VaultError::Unavailable(_) | VaultError::Unreadable(_) => {
                        ErrorCode::KeychainUnavailable
                    }
                };
                Self::new(code, error.to_string())
            }
            ConnectError::Practice(_) => {
                tracing::error!(error = ?error, "practice server failed");
                Self::new(ErrorCode::PracticeFailed, error.to_string())
            }
            ConnectError::Background(_) => {
                tracing::error!(error = ?error, "background task failed");
                Self::new(ErrorCode::Internal, error.to_string())
            }
        }
    }
}

impl From<DataFileError> for IpcError {
    fn from(error: DataFileError) -> Self {
        let code = match &error {
            DataFileError::Unsupported { .. } => ErrorCode::UnsupportedFile,
            DataFileError::Doctor(
                DoctorError::Read(_)
                | DoctorError::RowTooLarge { .. }
                | DoctorError::NotText { .. },
            ) => ErrorCode::FileUnreadable,
            DataFileError::Doctor(DoctorError::Write(_) | DoctorError::SameFile { .. }) => {
                ErrorCode::FileNotWritten
            }
            DataFileError::Doctor(DoctorError::Cancelled) => ErrorCode::Cancelled,
            DataFileError::Background(_) => ErrorCode::Internal,
            DataFileError::UnknownSample { .. } => ErrorCode::NotFound,
            DataFileError::SampleNotWritten(_) => ErrorCode::FileNotWritten,
            DataFileError::Held(_) => ErrorCode::UnknownFile,
        };
        tracing::warn!(error = ?error, "data file");
        Self::new(code, error.to_string())
    }
}

impl From<DataStepError> for IpcError {
    fn from(error: DataStepError) -> Self {
        match error {
            DataStepError::Connect(error) => error.into(),
            DataStepError::Store(error) => error.into(),
            DataStepError::NoWorkspace => Self::new(ErrorCode::NoWorkspace, error.to_string()),
            DataStepError::NoFile => Self::new(ErrorCode::Rejected, error.to_string()),
            DataStepError::Held(_) => Self::new(ErrorCode::UnknownFile, error.to_string()),
            DataStepError::Unreadable { .. } => {
                Self::new(ErrorCode::FileUnreadable, error.to_string())
            }
            DataStepError::NothingRejected => Self::new(ErrorCode::Rejected, error.to_string()),
            DataStepError::CopyNotWritten(_) => {
                Self::new(ErrorCode::FileNotWritten, error.to_string())
            }
            DataStepError::NoSchema(_) => {
                Self::new(ErrorCode::TypedDatasetRefused, error.to_string())
            }
            DataStepError::Upload(error) => error.into(),
        }
    }
}

impl From<UploadError> for IpcError {
    fn from(error: UploadError) -> Self {
        let code = match &error {
            UploadError::Prolific(prolific) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            UploadError::Transfer(TransferError::Prolific(prolific)) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            UploadError::Transfer(TransferError::File { .. } | TransferError::EmptyFile(_))
            | UploadError::NotCsv { .. } => ErrorCode::FileUnreadable,
            UploadError::Transfer(_) | UploadError::NotResumable { .. } => ErrorCode::UploadFailed,
            UploadError::Unreadable { .. } => ErrorCode::DatasetUnreadable,
            UploadError::StillProcessing { .. } => ErrorCode::StillProcessing,
            UploadError::Cancelled { .. } => ErrorCode::Cancelled,
            UploadError::TypedRefused { .. } => ErrorCode::TypedDatasetRefused,
            UploadError::RowsRejected { .. } => ErrorCode::RowsRejected,
        };
        tracing::warn!(error = ?error, "upload");
        Self::new(code, error.to_string())
    }
}

impl From<TaskStepError> for IpcError {
    fn from(error: TaskStepError) -> Self {
        let code = match error {
            TaskStepError::Connect(error) => return error.into(),
            TaskStepError::Store(error) => return error.into(),
            TaskStepError::Prolific(error) => return error.into(),
            TaskStepError::DataFile(error) => return error.into(),
            TaskStepError::Upload(error) => return error.into(),
            TaskStepError::Mix(_) => ErrorCode::Rejected,
            TaskStepError::NoDataset | TaskStepError::DataChanged => ErrorCode::NoDataset,
            TaskStepError::NoDesign => ErrorCode::NoDesign,
            TaskStepError::UntypedDataset => ErrorCode::TypedDatasetRefused,
            TaskStepError::NoWorkspace => ErrorCode::NoWorkspace,
            TaskStepError::SetupFailed { .. } => ErrorCode::SetupFailed,
            TaskStepError::StillProcessing { .. } => ErrorCode::StillProcessing,
            TaskStepError::Cancelled => ErrorCode::Cancelled,
        };
        tracing::warn!(error = ?error, "task step");
        Self::new(code, error.to_string())
    }
}

impl From<StudyStepError> for IpcError {
    fn from(error: StudyStepError) -> Self {
        let code = match error {
            StudyStepError::Connect(error) => return error.into(),
            StudyStepError::Store(error) => return error.into(),
            StudyStepError::Prolific(error) => return error.into(),
            StudyStepError::NoBatch | StudyStepError::DataChanged => ErrorCode::NoBatch,
            StudyStepError::Invalid(_) => ErrorCode::InvalidSettings,
            StudyStepError::Unaffordable { .. } => ErrorCode::InsufficientBalance,
            StudyStepError::PriceChanged { .. } => ErrorCode::PriceChanged,
            StudyStepError::NoWorkspace => ErrorCode::NoWorkspace,
            StudyStepError::TestEmailNeeded
            | StudyStepError::TestEmailIsYours { .. }
            | StudyStepError::TestEmailRefused { .. } => ErrorCode::TestEmailRefused,
            StudyStepError::OneAtATime(ref lock) => money_lock_code(lock),
            StudyStepError::SettingsChanged | StudyStepError::NotUpdated { .. } => {
                ErrorCode::SettingsChanged
            }
            StudyStepError::TwoStudies { .. } => ErrorCode::TwoStudiesForBatch,
            StudyStepError::NoTaskKept => ErrorCode::NoTaskKept,
        };
        tracing::warn!(error = ?error, "study step");
        Self::new(code, error.to_string())
    }
}

impl From<PilotError> for IpcError {
    fn from(error: PilotError) -> Self {
        let code = match error {
            PilotError::Study(error) => return error.into(),
            PilotError::Upload(error) => return error.into(),
            PilotError::Prolific(error) => return error.into(),
            PilotError::Store(error) => return error.into(),
            PilotError::Connect(error) => return error.into(),
            PilotError::OneAtATime(ref lock) => money_lock_code(lock),
            PilotError::Rows(_) => ErrorCode::FileNotWritten,
            PilotError::SetupFailed => ErrorCode::SetupFailed,
            PilotError::NotPrepared => ErrorCode::PilotNotPrepared,
            PilotError::Cancelled => ErrorCode::Cancelled,
            PilotError::ExclusionUnavailable => ErrorCode::PilotExclusionUnavailable,
        };
        tracing::warn!(error = ?error, "pilot");
        Self::new(code, error.to_string())
    }
}

impl From<TopUpError> for IpcError {
    fn from(error: TopUpError) -> Self {
        let code = match error {
            TopUpError::Study(error) => return error.into(),
            TopUpError::Results(error) => return error.into(),
            TopUpError::Upload(error) => return error.into(),
            TopUpError::Prolific(error) => return error.into(),
            TopUpError::Store(error) => return error.into(),
            TopUpError::Connect(error) => return error.into(),
            TopUpError::OneAtATime(ref lock) => money_lock_code(lock),
            TopUpError::Rows(_) => ErrorCode::FileNotWritten,
            TopUpError::SetupFailed => ErrorCode::SetupFailed,
            TopUpError::Cancelled => ErrorCode::Cancelled,
            TopUpError::ExclusionUnavailable => ErrorCode::PilotExclusionUnavailable,
            TopUpError::NothingUncertain => ErrorCode::NothingUncertain,
            TopUpError::OutOfRange => ErrorCode::InvalidSettings,
            TopUpError::Unpriceable => ErrorCode::UnexpectedAnswer,
            TopUpError::PlanChanged => ErrorCode::TopUpPlanChanged,
        };
        tracing::warn!(error = ?error, "second round");
        Self::new(code, error.to_string())
    }
}

impl From<TemplateError> for IpcError {
    fn from(error: TemplateError) -> Self {
        let code = match &error {
            TemplateError::UnknownBuiltIn(_) => ErrorCode::Internal,
            TemplateError::Read { .. } => ErrorCode::FileUnreadable,
            TemplateError::Write { .. } => ErrorCode::FileNotWritten,
            TemplateError::NotATemplate { .. } | TemplateError::TooNew { .. } => {
                ErrorCode::TemplateUnreadable
            }
        };
        tracing::warn!(error = ?error, "task template");
        Self::new(code, error.to_string())
    }
}

impl From<MonitorError> for IpcError {
    fn from(error: MonitorError) -> Self {
        match error {
            MonitorError::Connect(error) => error.into(),
            MonitorError::Store(error) => error.into(),
            MonitorError::Prolific(error) => error.into(),
            MonitorError::Other(message) => Self::new(ErrorCode::Internal, message),
        }
    }
}

fn money_lock_code(error: &MoneyLockError) -> ErrorCode {
    match error {
        MoneyLockError::Busy => ErrorCode::MoneyActionBusy,
        MoneyLockError::Io { .. } => ErrorCode::StoreFailed,
    }
}

impl From<MoneyLockError> for IpcError {
    fn from(error: MoneyLockError) -> Self {
        Self::new(money_lock_code(&error), error.to_string())
    }
}

impl From<ActionError> for IpcError {
    fn from(error: ActionError) -> Self {
        let code = match error {
            ActionError::Connect(error) => return error.into(),
            ActionError::Prolific(error) => return error.into(),
            ActionError::NothingToAdd => ErrorCode::Rejected,
            ActionError::NoWorkspace => ErrorCode::NoWorkspace,
            ActionError::Unaffordable { .. } => ErrorCode::InsufficientBalance,
            ActionError::Store(error) => return error.into(),
            ActionError::OneAtATime(ref lock) => money_lock_code(lock),
            ActionError::ChangedSince { .. } => ErrorCode::SettingsChanged,
            ActionError::PriceChanged { .. } => ErrorCode::PriceChanged,
            ActionError::Unpriceable => ErrorCode::UnexpectedAnswer,
            ActionError::MessageTooShort { .. } => ErrorCode::Rejected,
            ActionError::NoSubmission { .. } => ErrorCode::NotFound,
            ActionError::NotAwaitingReview { .. } | ActionError::CannotAskToReturn { .. } => {
                ErrorCode::SettingsChanged
            }
            ActionError::NoReturnReason => ErrorCode::Rejected,
        };
        Self::new(code, error.to_string())
    }
}

impl From<BonusesError> for IpcError {
    fn from(error: BonusesError) -> Self {
        let code = match &error {
            BonusesError::Connect(_) => ErrorCode::NotConnected,
            BonusesError::Prolific(prolific)
            | BonusesError::Bonus(BonusError::Prolific(prolific)) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            BonusesError::Store(_) => ErrorCode::StoreFailed,
            BonusesError::OneAtATime(lock) => money_lock_code(lock),
            BonusesError::Bonus(BonusError::PaymentUnclear { .. })
            | BonusesError::PaymentUnclear => ErrorCode::PaymentUnclear,
            BonusesError::Bonus(_)
            | BonusesError::NothingToPay
            | BonusesError::NoCurrency
            | BonusesError::SeveralStudies => ErrorCode::Rejected,
            BonusesError::NoWorkspace => ErrorCode::NoWorkspace,
            BonusesError::UnknownSetUp | BonusesError::TotalChanged { .. } => {
                ErrorCode::PriceChanged
            }
            BonusesError::Unaffordable { .. } => ErrorCode::InsufficientBalance,
        };
        tracing::warn!(error = ?error, "bonuses");
        Self::new(code, error.to_string())
    }
}

impl From<GroupError> for IpcError {
    fn from(error: GroupError) -> Self {
        let code = match &error {
            GroupError::Connect(_) => ErrorCode::NotConnected,
            GroupError::Prolific(prolific) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            GroupError::NoWorkspace => ErrorCode::NoWorkspace,
            GroupError::NoName | GroupError::NobodyChosen => ErrorCode::Rejected,
        };
        Self::new(code, error.to_string())
    }
}

impl From<MessageError> for IpcError {
    fn from(error: MessageError) -> Self {
        let code = match &error {
            MessageError::Connect(_) => ErrorCode::NotConnected,
            MessageError::Prolific(prolific) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            MessageError::Store(_) => ErrorCode::StoreFailed,
            MessageError::NobodyChosen
            | MessageError::NobodyInStudy
            | MessageError::EmptyGroup
            | MessageError::EmptyMessage => ErrorCode::Rejected,
            MessageError::AudienceChanged { .. } => ErrorCode::AudienceChanged,
            MessageError::SendUnclear => ErrorCode::MessageUnclear,
        };
        tracing::warn!(error = ?error, "message");
        Self::new(code, error.to_string())
    }
}

impl From<ResultsError> for IpcError {
    fn from(error: ResultsError) -> Self {
        let code = match &error {
            ResultsError::Connect(_) => ErrorCode::NotConnected,
            ResultsError::Prolific(prolific)
            | ResultsError::Transfer(TransferError::Prolific(prolific)) => {
                return Self::from_prolific(prolific, error.to_string());
            }
            ResultsError::Transfer(_) => ErrorCode::FileNotWritten,
            ResultsError::Parse(_) | ResultsError::ExportUnreadable(_) => {
                ErrorCode::ResultsUnreadable
            }
            ResultsError::Tidy(_) | ResultsError::Io(_) => ErrorCode::FileNotWritten,
            ResultsError::NoBatch => ErrorCode::NoBatch,
            ResultsError::NotDownloaded => ErrorCode::NotDownloaded,
            ResultsError::Store(_) => ErrorCode::StoreFailed,
            ResultsError::Demographics(_) => ErrorCode::ResultsUnreadable,
        };
        tracing::warn!(error = ?error, "results");
        Self::new(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let error = IpcError::from(ProlificError::InvalidToken);
        let json = serde_json::to_value(&error).unwrap_or_default();
        assert_eq!(json["code"], "invalid_token");
        assert_eq!(json["message"], ProlificError::InvalidToken.to_string());
    }

    #[test]
    fn a_refused_request_to_return_has_a_stable_code_and_a_plain_message() {
        let no_reason = IpcError::from(ActionError::NoReturnReason);
        assert_eq!(no_reason.code, ErrorCode::Rejected);
        let too_late = IpcError::from(ActionError::CannotAskToReturn {
            participant: "p1".to_owned(),
            status: "approved".to_owned(),
        });
        assert_eq!(too_late.code, ErrorCode::SettingsChanged);
        assert!(
            too_late.message.starts_with("p1's submission is approved"),
            "{too_late}"
        );
    }
}
