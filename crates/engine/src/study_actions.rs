//! What a researcher can do to a running study from the Batches page: pause, resume,
//! stop, add people per item (increase only, priced first) and approve every submission
//! awaiting review. Each answers the study's progress as it is afterwards.

use batchdesk_prolific::Client;
use batchdesk_prolific::models::{
    DataCollectionMetadata, Study, StudyAction, StudyUpdate, SubmissionStatus,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::account;
use crate::connection::Connections;
use crate::error_code::{Coded, ErrorCode};
use crate::money_lock::{self, MoneyLockError};
use crate::monitor::{FactsCache, StudyProgress, read_progress};
use crate::session::{SessionError, session_error_from};
use crate::text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StudyCommand {
    Pause,
    Resume,
    Stop,
}

/// What adding people per item would cost, before the researcher confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlacesQuote {
    /// New places: task groups × the extra people per item.
    pub extra_places: u32,
    pub new_total: u32,
    /// The workspace's balance now, in minor units of `currency`.
    #[specta(type = i32)]
    pub available: i64,
    /// The workspace's currency, which the amounts are in.
    pub currency: String,
    pub affordable: bool,
    /// People per item now, and after the change: what a confirmation states.
    pub current_per_item: u32,
    pub target_per_item: u32,
    /// What the extra places cost, in minor units: the total a confirmation states.
    pub extra_cost_minor: u32,
}

/// What the researcher confirmed from a [`PlacesQuote`]: the change from the people per
/// item they saw to the ones they chose, at the cost they were shown. Sending the same
/// confirmation twice changes the study once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MorePeople {
    pub expected_per_item: u32,
    pub target_per_item: u32,
    pub confirmed_cost: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApproveOutcome {
    pub approved: u32,
    /// The study as read once they were approved; `None` when it could not be read
    /// (the approval stands all the same, and the study's poller follows it). Prolific
    /// approves in the background, so this may still show some awaiting review.
    pub progress: Option<StudyProgress>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum ActionError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    OneAtATime(#[from] MoneyLockError),
    NothingToAdd,
    NoWorkspace,
    /// Amounts in minor units of `currency`.
    Unaffordable {
        extra: i64,
        available: i64,
        currency: String,
    },
    ChangedSince {
        expected: u32,
        now: u32,
    },
    /// Amounts in minor units of `currency`.
    PriceChanged {
        confirmed: u32,
        now: u32,
        currency: String,
    },
    Unpriceable,
    MessageTooShort {
        length: usize,
    },
    NoSubmission {
        participant: String,
    },
    NotAwaitingReview {
        participant: String,
        status: String,
    },
    NoReturnReason,
    CannotAskToReturn {
        participant: String,
        status: String,
    },
}

session_error_from!(ActionError);

impl Coded for ActionError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::OneAtATime(error) => error.error_code(),
            Self::NothingToAdd | Self::MessageTooShort { .. } | Self::NoReturnReason => {
                ErrorCode::Rejected
            }
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::Unaffordable { .. } => ErrorCode::InsufficientBalance,
            Self::ChangedSince { .. }
            | Self::NotAwaitingReview { .. }
            | Self::CannotAskToReturn { .. } => ErrorCode::SettingsChanged,
            Self::PriceChanged { .. } => ErrorCode::PriceChanged,
            Self::Unpriceable => ErrorCode::UnexpectedAnswer,
            Self::NoSubmission { .. } => ErrorCode::NotFound,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::OneAtATime(inner) => inner.text(),
            Self::NothingToAdd => text!("errors:studyActions.nothingToAdd"),
            Self::NoWorkspace => text!("errors:studyActions.noWorkspace"),
            Self::Unaffordable {
                extra,
                available,
                currency,
            } => text!("errors:studyActions.unaffordable")
                .with_money("extra", *extra, currency)
                .with_money("available", *available, currency),
            Self::ChangedSince { expected, now } => text!(
                "errors:studyActions.changedSince",
                now = now,
                expected = expected
            ),
            Self::PriceChanged {
                confirmed,
                now,
                currency,
            } => text!("errors:studyActions.priceChanged")
                .with_money("now", (*now).into(), currency)
                .with_money("confirmed", (*confirmed).into(), currency),
            Self::Unpriceable => text!("errors:studyActions.unpriceable"),
            Self::MessageTooShort { length } => {
                text!("errors:studyActions.messageTooShort", length = length)
            }
            Self::NoSubmission { participant } => {
                text!(
                    "errors:studyActions.noSubmission",
                    participant = participant
                )
            }
            Self::NotAwaitingReview {
                participant,
                status,
            } => text!(
                "errors:studyActions.notAwaitingReview",
                participant = participant,
                status = status
            ),
            Self::NoReturnReason => text!("errors:studyActions.noReturnReason"),
            Self::CannotAskToReturn {
                participant,
                status,
            } => text!(
                "errors:studyActions.cannotAskToReturn",
                participant = participant,
                status = status
            ),
        }
    }
}
/// Pauses, resumes or stops a study.
///
/// # Errors
/// When there is no connection or Prolific refuses (for example, stopping a draft).
pub async fn act(
    connections: &Connections,
    facts: &FactsCache,
    study_id: &str,
    command: StudyCommand,
) -> Result<StudyProgress, ActionError> {
    let (_, client) = connections.client().await?;
    let action = match command {
        StudyCommand::Pause => StudyAction::Pause,
        StudyCommand::Resume => StudyAction::Start,
        StudyCommand::Stop => StudyAction::Stop,
    };
    client.transition_study(study_id, &action, None).await?;
    Ok(read_progress(&client, study_id, facts).await?)
}

/// The places and price of going from the study's people per item to `target`.
async fn plan_more_people(
    connections: &Connections,
    client: &Client,
    study: &Study,
    target: u64,
) -> Result<PlacesQuote, ActionError> {
    // Unknown places or people per item are refused, never guessed (a guess of one
    // group would price a fraction of the real cost).
    let (Some(places), Some(current), Some(reward)) = (
        study.total_available_places.filter(|places| *places > 0),
        study
            .data_collection_metadata
            .as_ref()
            .and_then(|metadata| metadata.annotators_per_task)
            .filter(|annotators| *annotators > 0),
        study.reward,
    ) else {
        return Err(ActionError::Unpriceable);
    };
    if target <= current {
        return Err(ActionError::NothingToAdd);
    }
    let groups = places / current;
    let extra_places = groups * (target - current);
    // What the study's total cost rises by: fees are rounded on a study's whole total,
    // so pricing the extra places alone can be a penny off what is taken.
    let extra_cost = client.study_cost(reward, places + extra_places).await?
        - client.study_cost(reward, places).await?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(ActionError::NoWorkspace)?;
    let balance = client.workspace_balance(&workspace).await?;
    let small = |count: u64| u32::try_from(count).unwrap_or(u32::MAX);
    Ok(PlacesQuote {
        extra_places: small(extra_places),
        new_total: small(places + extra_places),
        available: balance.available_balance,
        currency: balance.currency_code,
        affordable: extra_cost <= balance.available_balance,
        current_per_item: small(current),
        target_per_item: small(target),
        extra_cost_minor: u32::try_from(extra_cost.max(0)).unwrap_or(u32::MAX),
    })
}

fn people_per_item(study: &Study) -> Option<u64> {
    study
        .data_collection_metadata
        .as_ref()
        .and_then(|metadata| metadata.annotators_per_task)
}

/// What adding `extra_per_item` people to every item would cost.
///
/// # Errors
/// When nothing would be added, or Prolific does not answer.
pub async fn quote_more_people(
    connections: &Connections,
    study_id: &str,
    extra_per_item: u32,
) -> Result<PlacesQuote, ActionError> {
    let (_, client) = connections.client().await?;
    if extra_per_item == 0 {
        return Err(ActionError::NothingToAdd);
    }
    let study = client.study(study_id).await?;
    let current = people_per_item(&study).ok_or(ActionError::Unpriceable)?;
    plan_more_people(
        connections,
        &client,
        &study,
        current + u64::from(extra_per_item),
    )
    .await
}

/// Changes the study from the people per item the researcher saw to the ones they chose,
/// at the cost they confirmed. Idempotent: a study already at the target (an earlier
/// attempt whose answer was lost) is left alone, and a study at neither is refused, so
/// one confirmation never pays twice. One money action at a time.
///
/// # Errors
/// When the study or the price changed since, the workspace cannot pay, or Prolific refuses.
pub async fn add_people(
    connections: &Connections,
    facts: &FactsCache,
    study_id: &str,
    confirmed: MorePeople,
) -> Result<StudyProgress, ActionError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let launch = format!("study/{study_id}");
    let study = client.study(study_id).await?;
    let now = people_per_item(&study).ok_or(ActionError::Unpriceable)?;
    let target = u64::from(confirmed.target_per_item);
    if now == target {
        return Ok(read_progress(&client, study_id, facts).await?);
    }
    if now != u64::from(confirmed.expected_per_item) {
        return Err(ActionError::ChangedSince {
            expected: confirmed.expected_per_item,
            now: u32::try_from(now).unwrap_or(u32::MAX),
        });
    }
    let quote = plan_more_people(connections, &client, &study, target).await?;
    if quote.extra_cost_minor != confirmed.confirmed_cost {
        return Err(ActionError::PriceChanged {
            confirmed: confirmed.confirmed_cost,
            now: quote.extra_cost_minor,
            currency: quote.currency,
        });
    }
    if !quote.affordable {
        return Err(ActionError::Unaffordable {
            extra: quote.extra_cost_minor.into(),
            available: quote.available,
            currency: quote.currency,
        });
    }
    let update = StudyUpdate {
        data_collection_metadata: Some(DataCollectionMetadata {
            annotators_per_task: Some(target),
        }),
        ..StudyUpdate::default()
    };
    let detail = serde_json::json!({
        "from": now, "to": target, "cost": confirmed.confirmed_cost
    })
    .to_string();
    store.journal_with(&launch, "add_people", "started", Some(study_id), &detail)?;
    client.update_study(study_id, &update).await?;
    store.journal_with(&launch, "add_people", "done", Some(study_id), &detail)?;
    Ok(read_progress(&client, study_id, facts).await?)
}

/// Ids per bulk approval: Prolific's recommended maximum.
const BULK_APPROVE_PART: usize = 1000;

/// Approves every submission awaiting review (participants are paid), and answers the
/// study as it is then. Nothing is approved unless the whole list of them was read, so
/// "all approved" is never said of part of them.
///
/// # Errors
/// When Prolific does not answer, or sends only part of the list.
pub async fn approve_all(
    connections: &Connections,
    facts: &FactsCache,
    study_id: &str,
) -> Result<ApproveOutcome, ActionError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let launch = format!("study/{study_id}");
    let waiting: Vec<String> = client
        .submissions(study_id, Some(&SubmissionStatus::AwaitingReview))
        .await?
        .whole("submissions awaiting review")?
        .into_iter()
        .filter(|submission| submission.status == SubmissionStatus::AwaitingReview)
        // Someone asked to return theirs is not paid for it (Prolific would refuse).
        .filter(|submission| submission.return_requested.is_none())
        .map(|submission| submission.id)
        .collect();
    // Prolific recommends at most about 1,000 ids a request: a large study goes in parts.
    // A part that fails leaves the rest waiting; approving again picks them up.
    // Journaled like every payment; approving is idempotent on Prolific's side (an
    // approved submission no longer awaits review), so a retry pays nobody twice.
    for part in waiting.chunks(BULK_APPROVE_PART) {
        let detail = serde_json::json!({ "submissions": part.len() }).to_string();
        store.journal_with(&launch, "approve", "started", Some(study_id), &detail)?;
        client.bulk_approve(part).await?;
        store.journal_with(&launch, "approve", "done", Some(study_id), &detail)?;
    }
    // The payment is done: a failure to read the study afterwards must not hide it.
    let progress = match read_progress(&client, study_id, facts).await {
        Ok(progress) => Some(progress),
        Err(error) => {
            tracing::warn!(study = %study_id, %error, "the study could not be read after approving");
            None
        }
    };
    Ok(ApproveOutcome {
        approved: u32::try_from(waiting.len()).unwrap_or(u32::MAX),
        progress,
    })
}
