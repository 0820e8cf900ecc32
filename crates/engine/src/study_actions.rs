//! What a researcher can do to a running study from the Batches page: pause, resume,
//! stop, add people per item (increase only, priced first) and approve every submission
//! awaiting review. Each answers the study's progress as it is afterwards.

use batchdesk_prolific::models::{
    DataCollectionMetadata, StudyAction, StudyUpdate, SubmissionStatus,
};
use batchdesk_prolific::{Client, ProlificError};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::account;
use crate::connection::{ConnectError, Connections};
use crate::monitor::{FactsCache, StudyProgress, read_progress};
use crate::study::rules;

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
    pub extra_cost: String,
    pub available: String,
    pub affordable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApproveOutcome {
    pub approved: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    #[error("Add at least one more person per item.")]
    NothingToAdd,
    #[error("Choose a workspace on the Account page first: it pays for the extra places.")]
    NoWorkspace,
    #[error(
        "Adding these people costs {extra}, but the workspace has {available}. Top up the \
         workspace on Prolific first."
    )]
    Unaffordable { extra: String, available: String },
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

/// The places, annotators and price of adding `extra_per_item` people to every item.
async fn plan_more_people(
    connections: &Connections,
    client: &Client,
    study_id: &str,
    extra_per_item: u32,
) -> Result<(PlacesQuote, u64), ActionError> {
    if extra_per_item == 0 {
        return Err(ActionError::NothingToAdd);
    }
    let study = client.study(study_id).await?;
    let places = study.total_available_places.unwrap_or(0);
    let annotators = study
        .data_collection_metadata
        .as_ref()
        .and_then(|metadata| metadata.annotators_per_task)
        .unwrap_or(1)
        .max(1);
    let groups = (places / annotators).max(1);
    let new_annotators = annotators + u64::from(extra_per_item);
    let extra_places = groups * u64::from(extra_per_item);
    let reward = study.reward.unwrap_or(0);
    let extra_cost = client.study_cost(reward, extra_places).await?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(ActionError::NoWorkspace)?;
    let balance = client.workspace_balance(&workspace).await?;
    let money = |minor: i64| rules::money_from(minor, &balance.currency_code);
    let small = |count: u64| u32::try_from(count).unwrap_or(u32::MAX);
    let quote = PlacesQuote {
        extra_places: small(extra_places),
        new_total: small(places + extra_places),
        extra_cost: money(extra_cost),
        available: money(balance.available_balance),
        affordable: extra_cost <= balance.available_balance,
    };
    Ok((quote, new_annotators))
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
    Ok(
        plan_more_people(connections, &client, study_id, extra_per_item)
            .await?
            .0,
    )
}

/// Adds `extra_per_item` people to every item (Prolific's places follow), after checking
/// the balance again.
///
/// # Errors
/// When the workspace cannot pay, or Prolific refuses.
pub async fn add_people(
    connections: &Connections,
    facts: &FactsCache,
    study_id: &str,
    extra_per_item: u32,
) -> Result<StudyProgress, ActionError> {
    let (_, client) = connections.client().await?;
    let (quote, new_annotators) =
        plan_more_people(connections, &client, study_id, extra_per_item).await?;
    if !quote.affordable {
        return Err(ActionError::Unaffordable {
            extra: quote.extra_cost,
            available: quote.available,
        });
    }
    let update = StudyUpdate {
        data_collection_metadata: Some(DataCollectionMetadata {
            annotators_per_task: Some(new_annotators),
        }),
        ..StudyUpdate::default()
    };
    client.update_study(study_id, &update).await?;
    Ok(read_progress(&client, study_id, facts).await?)
}

/// Approves every submission awaiting review (participants are paid). Nothing is
/// approved unless the whole list of them was read, so "all approved" is never said of
/// part of them.
///
/// # Errors
/// When Prolific does not answer, or sends only part of the list.
/// Ids per bulk approval: Prolific's recommended maximum.
const BULK_APPROVE_PART: usize = 1000;

pub async fn approve_all(
    connections: &Connections,
    study_id: &str,
) -> Result<ApproveOutcome, ActionError> {
    let (_, client) = connections.client().await?;
    let waiting: Vec<String> = client
        .submissions(study_id, Some(&SubmissionStatus::AwaitingReview))
        .await?
        .whole("submissions awaiting review")?
        .into_iter()
        .filter(|submission| submission.status == SubmissionStatus::AwaitingReview)
        .map(|submission| submission.id)
        .collect();
    // Prolific recommends at most about 1,000 ids a request: a large study goes in parts.
    // A part that fails leaves the rest waiting; approving again picks them up.
    for part in waiting.chunks(BULK_APPROVE_PART) {
        client.bulk_approve(part).await?;
    }
    Ok(ApproveOutcome {
        approved: u32::try_from(waiting.len()).unwrap_or(u32::MAX),
    })
}
