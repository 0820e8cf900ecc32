//! The one error type that crosses IPC: a stable machine code for the UI to branch on and
//! a plain-language message for the researcher. The UI never matches on message text.
//! Codes are decided where the errors are (`batchdesk_engine::error_code`): every error
//! that knows its code converts here the same way.

use batchdesk_engine::diagnostics::RecentErrors;
pub use batchdesk_engine::error_code::{Coded, ErrorCode};
use batchdesk_engine::text::Text;
use serde::Serialize;
use specta::Type;

/// The codes of the last errors answered, for "Copy diagnostics" (codes only: a message
/// may name a file or a participant).
pub static RECENT_ERRORS: RecentErrors = RecentErrors::new();

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    /// What the researcher reads: a catalogue entry the UI says in their language.
    pub message: Text,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: Text) -> Self {
        if code != ErrorCode::Cancelled {
            RECENT_ERRORS.record(code.name());
        }
        Self { code, message }
    }
}

/// Any error that knows its code, with its message as the researcher reads it.
impl<E: Coded> From<E> for IpcError {
    fn from(error: E) -> Self {
        let code = error.error_code();
        if is_fault(code) {
            tracing::error!(code = %code.name(), error = ?error, "failed");
        } else {
            tracing::warn!(code = %code.name(), error = ?error, "refused");
        }
        Self::new(code, error.text())
    }
}

/// A failure of this computer or of Batchdesk itself (logged as an error), rather than
/// a refusal, a choice or Prolific's answer (logged as a warning).
fn is_fault(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::StoreFailed
            | ErrorCode::KeychainUnavailable
            | ErrorCode::KeychainLocked
            | ErrorCode::PracticeFailed
            | ErrorCode::Internal
    )
}

#[cfg(test)]
mod tests {
    use std::io;

    use batchdesk_engine::text;

    use batchdesk_engine::bonuses::BonusesError;
    use batchdesk_engine::connection::ConnectError;
    use batchdesk_engine::credentials::VaultError;
    use batchdesk_engine::csv_doctor::{DoctorError, NotText};
    use batchdesk_engine::data_file::DataFileError;
    use batchdesk_engine::data_step::DataStepError;
    use batchdesk_engine::groups::GroupError;
    use batchdesk_engine::held_files::HeldFileError;
    use batchdesk_engine::messages::MessageError;
    use batchdesk_engine::money_lock::MoneyLockError;
    use batchdesk_engine::monitor::MonitorError;
    use batchdesk_engine::pilot::PilotError;
    use batchdesk_engine::results::{DemographicsError, ResultsError};
    use batchdesk_engine::session::SessionError;
    use batchdesk_engine::store::{Store, StoreError};
    use batchdesk_engine::study_actions::ActionError;
    use batchdesk_engine::study_step::StudyStepError;
    use batchdesk_engine::task::templates::TemplateError;
    use batchdesk_engine::task_step::TaskStepError;
    use batchdesk_engine::top_up::TopUpError;
    use batchdesk_engine::upload::UploadError;
    use batchdesk_practice::StartError;
    use batchdesk_prolific::{ProlificError, TransferError};

    use super::*;
    use crate::navigation::{LinkError, external_link};

    type Tried<T> = Result<T, Box<dyn std::error::Error>>;

    /// An error converted as a command converts it, beside the message it must keep.
    fn answered<E: Coded>(error: E) -> (IpcError, String) {
        let message = error.to_string();
        (IpcError::from(error), message)
    }

    /// A real failure of the local store: its file cannot be made inside a file.
    fn store_error() -> Tried<StoreError> {
        let dir = tempfile::tempdir()?;
        let not_a_folder = dir.path().join("file");
        std::fs::write(&not_a_folder, "")?;
        Ok(Store::open(&not_a_folder.join("batchdesk.db"))
            .err()
            .ok_or("a store opened inside a file")?)
    }

    /// A real refused connection: nothing listens on the port.
    async fn network_error() -> Tried<reqwest::Error> {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")?;
        let address = closed.local_addr()?;
        drop(closed);
        Ok(reqwest::get(format!("http://{address}/"))
            .await
            .err()
            .ok_or("a closed port answered")?)
    }

    /// A real timeout: the server takes the connection and never answers.
    async fn timeout_error() -> Tried<reqwest::Error> {
        let silent = std::net::TcpListener::bind("127.0.0.1:0")?;
        let address = silent.local_addr()?;
        let error = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(50))
            .build()?
            .get(format!("http://{address}/"))
            .send()
            .await
            .err()
            .ok_or("a silent server answered")?;
        drop(silent);
        assert!(error.is_timeout(), "{error:?}");
        Ok(error)
    }

    fn keychain_locked() -> VaultError {
        VaultError::from(keyring::Error::NoStorageAccess("locked".into()))
    }

    /// A real error that means `code`, as a command would answer it. The match has no
    /// catch-all arm, so a new code does not build until it has its example here.
    async fn example(code: ErrorCode) -> Tried<(IpcError, String)> {
        Ok(match code {
            ErrorCode::StoreFailed => answered(store_error()?),
            // Prolific's client errors reach a command inside the engine's (their own
            // Display is technical text for logs).
            ErrorCode::InvalidToken => {
                answered(ConnectError::Prolific(ProlificError::InvalidToken))
            }
            ErrorCode::PilotNotPrepared => answered(PilotError::NotPrepared),
            ErrorCode::PilotExclusionUnavailable => answered(PilotError::ExclusionUnavailable),
            ErrorCode::NothingUncertain => answered(TopUpError::NothingUncertain),
            ErrorCode::TopUpPlanChanged => answered(TopUpError::PlanChanged),
            ErrorCode::NoTaskKept => answered(StudyStepError::NoTaskKept),
            ErrorCode::NoAccess => answered(GroupError::Session(SessionError::Prolific(
                ProlificError::NoAccess {
                    detail: Some("workspace".to_owned()),
                },
            ))),
            ErrorCode::NotFound => answered(DataFileError::UnknownSample {
                id: "nope".to_owned(),
            }),
            ErrorCode::Rejected => answered(GroupError::NoName),
            ErrorCode::RateLimited => {
                answered(SessionError::Prolific(ProlificError::RateLimited {
                    retry_after: None,
                }))
            }
            ErrorCode::ProlificUnavailable => answered(TaskStepError::Session(
                SessionError::Prolific(ProlificError::IncompleteList { what: "studies" }),
            )),
            ErrorCode::Offline => answered(ConnectError::Prolific(ProlificError::Network(
                network_error().await?,
            ))),
            ErrorCode::Timeout => answered(SessionError::Prolific(ProlificError::Timeout(
                timeout_error().await?,
            ))),
            ErrorCode::UnexpectedAnswer => answered(ActionError::Unpriceable),
            ErrorCode::NotConnected => answered(ConnectError::NotConnected),
            ErrorCode::KeychainUnavailable => answered(ConnectError::Keychain(VaultError::from(
                keyring::Error::PlatformFailure("no secret service".into()),
            ))),
            // Results once answered every connection failure as `notConnected`.
            ErrorCode::KeychainLocked => answered(ResultsError::Session(SessionError::Connect(
                ConnectError::Keychain(keychain_locked()),
            ))),
            ErrorCode::PracticeFailed => answered(ConnectError::Practice(StartError::CrowdMix(
                "nobody".to_owned(),
            ))),
            ErrorCode::UnsupportedFile => answered(DataFileError::Unsupported {
                name: "answers.xlsx".to_owned(),
            }),
            ErrorCode::FileUnreadable => answered(DataFileError::Doctor(DoctorError::NotText {
                what: NotText::Zip,
            })),
            ErrorCode::UnknownFile => answered(DataStepError::Held(HeldFileError::Unknown)),
            ErrorCode::FileNotWritten => answered(ResultsError::Io(io::Error::other("disk full"))),
            ErrorCode::Cancelled => answered(UploadError::Cancelled { dataset_id: None }),
            ErrorCode::PriceChanged => answered(StudyStepError::PriceChanged {
                confirmed: 1000,
                now: 1200,
                currency: "GBP".to_owned(),
            }),
            ErrorCode::SettingsChanged => answered(StudyStepError::SettingsChanged),
            ErrorCode::PaymentUnclear => answered(BonusesError::PaymentUnclear),
            ErrorCode::MessageUnclear => answered(MessageError::SendUnclear),
            ErrorCode::AudienceChanged => answered(MessageError::AudienceChanged {
                confirmed: 3,
                now: 4,
            }),
            ErrorCode::MoneyActionBusy => answered(PilotError::OneAtATime(MoneyLockError::Busy)),
            ErrorCode::TwoStudiesForBatch => answered(StudyStepError::TwoStudies {
                first: "s1".to_owned(),
                second: "s2".to_owned(),
            }),
            ErrorCode::TestEmailRefused => answered(StudyStepError::TestEmailNeeded),
            ErrorCode::RowsRejected => answered(UploadError::RowsRejected {
                dataset_id: "d1".to_owned(),
                file_name: "data.csv".to_owned(),
                accepted: 9,
                rejected: Vec::new(),
            }),
            ErrorCode::TypedDatasetRefused => answered(UploadError::TypedRefused { detail: None }),
            ErrorCode::UploadFailed => answered(UploadError::Transfer(TransferError::LinkExpired)),
            ErrorCode::DatasetUnreadable => answered(UploadError::Unreadable {
                dataset_id: "d1".to_owned(),
                file_name: "data.csv".to_owned(),
            }),
            ErrorCode::StillProcessing => answered(TaskStepError::StillProcessing {
                batch_id: "b1".to_owned(),
            }),
            ErrorCode::NoWorkspace => answered(BonusesError::NoWorkspace),
            ErrorCode::NoDataset => answered(TaskStepError::DataChanged),
            ErrorCode::NoDesign => answered(TaskStepError::NoDesign),
            ErrorCode::SetupFailed => answered(TopUpError::SetupFailed),
            ErrorCode::TemplateUnreadable => answered(TemplateError::TooNew {
                file: "task.json".to_owned(),
                version: 99,
            }),
            ErrorCode::NoBatch => answered(ResultsError::NoBatch),
            ErrorCode::InvalidSettings => answered(TopUpError::OutOfRange),
            ErrorCode::InsufficientBalance => answered(ActionError::Unaffordable {
                extra: 500,
                available: 100,
                currency: "GBP".to_owned(),
            }),
            ErrorCode::NotDownloaded => answered(ResultsError::NotDownloaded),
            ErrorCode::ResultsUnreadable => answered(ResultsError::Demographics(
                DemographicsError::NoParticipantColumn,
            )),
            ErrorCode::LinkRefused => answered(
                external_link("javascript:alert(1)")
                    .err()
                    .ok_or("a script was let through")?,
            ),
            ErrorCode::BrowserUnavailable => answered(LinkError::NoBrowser {
                link: "https://example.org/".to_owned(),
                reason: "no browser".to_owned(),
            }),
            ErrorCode::UpdatesOff => {
                let error = crate::updater::off();
                let message = error.message.to_string();
                (error, message)
            }
            ErrorCode::UpdateFailed => {
                let error = crate::updater::failed(text!("errors:updates.checkFailed"), "offline");
                let message = error.message.to_string();
                (error, message)
            }
            ErrorCode::Internal => answered(TemplateError::UnknownBuiltIn("nope".to_owned())),
        })
    }

    #[tokio::test]
    async fn every_code_has_a_real_error_and_keeps_its_message() -> Tried<()> {
        for &code in ErrorCode::all() {
            let (answer, message) = example(code).await?;
            assert_eq!(answer.code, code, "{message}");
            // The catalogue's English says what the error's own Display says, in full.
            assert_eq!(answer.message.to_string(), message);
            assert!(
                text::known(&answer.message.key),
                "{code:?}: {}",
                answer.message.key
            );
            assert!(
                !message.is_empty() && !message.contains("{{"),
                "{code:?}: {message}"
            );
        }
        Ok(())
    }

    #[test]
    fn wrapped_errors_answer_with_the_code_of_what_they_wrap() -> Tried<()> {
        let (locked, message) = answered(BonusesError::Session(SessionError::Connect(
            ConnectError::Keychain(keychain_locked()),
        )));
        assert_eq!(locked.code, ErrorCode::KeychainLocked);
        assert!(message.contains("keychain is locked"), "{message}");

        let (store, message) = answered(MonitorError::Launched(StudyStepError::Session(
            SessionError::Store(store_error()?),
        )));
        assert_eq!(store.code, ErrorCode::StoreFailed);
        assert_eq!(store.message.to_string(), message);
        assert!(message.contains("local database"), "{message}");

        let (refused, _) = answered(MessageError::Session(SessionError::Connect(
            ConnectError::EmptyToken,
        )));
        assert_eq!(refused.code, ErrorCode::Rejected);
        Ok(())
    }

    #[test]
    fn serialises_as_code_and_message() {
        let error = IpcError::from(ProlificError::InvalidToken);
        let json = serde_json::to_value(&error).unwrap_or_default();
        assert_eq!(json["code"], "invalidToken");
        // The message crosses as a catalogue entry and its values, for the UI to say.
        assert_eq!(json["message"]["key"], *error.message.key);
        assert!(json["message"]["params"].is_object(), "{json}");
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
            too_late
                .message
                .to_string()
                .starts_with("p1's submission is approved"),
            "{too_late}"
        );
    }
}
