//! People beyond one study's answers: remembered across studies in Prolific's participant
//! groups ("trusted annotators", "do not invite again"), filled from a study's scorecard
//! (messages to them are in [`crate::messages`]). A study's audience then lets in only a
//! group's members, or keeps them out, through the group filters the account's own filter
//! list offers (the audience step lists them with the groups' names).

use batchdesk_prolific::models::NewParticipantGroup;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::account;
use crate::connection::Connections;
use crate::error_code::{Coded, ErrorCode};
use crate::session::{SessionError, session_error_from};
use crate::text;

/// A participant group as the app lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    pub id: String,
    pub name: String,
    /// Members, when Prolific said.
    #[specta(type = Option<u32>)]
    pub members: Option<u64>,
}

/// Where to put the people chosen: a group the workspace has, or a new one.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(tag = "to", rename_all = "camelCase")]
pub enum GroupTarget {
    #[serde(rename_all = "camelCase")]
    Existing {
        group_id: String,
    },
    New {
        name: String,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum GroupError {
    #[error(transparent)]
    Session(#[from] SessionError),
    NoWorkspace,
    NoName,
    NobodyChosen,
}

session_error_from!(GroupError);

impl Coded for GroupError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::NoName | Self::NobodyChosen => ErrorCode::Rejected,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::NoWorkspace => text!("errors:groups.noWorkspace"),
            Self::NoName => text!("errors:groups.noName"),
            Self::NobodyChosen => text!("errors:groups.nobodyChosen"),
        }
    }
}

/// The chosen workspace's groups, by name.
///
/// # Errors
/// No connection or workspace, or Prolific failing.
pub async fn groups(connections: &Connections) -> Result<Vec<GroupSummary>, GroupError> {
    let (_, client) = connections.client().await?;
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(GroupError::NoWorkspace)?;
    let mut listed: Vec<GroupSummary> = client
        .participant_groups(&workspace)
        .await?
        .items
        .into_iter()
        .filter(|group| group.is_deleted != Some(true))
        .map(|group| GroupSummary {
            id: group.id,
            name: group.name,
            members: group.participant_count,
        })
        .collect();
    listed.sort_by_cached_key(|group| group.name.to_lowercase());
    Ok(listed)
}

/// Adds `participant_ids` to the target group (made first when new; someone already a
/// member is left as they are): answers the group with its members now. Adding the same
/// people again changes nothing, so a retry is safe.
///
/// # Errors
/// No one chosen, a new group without a name, no connection or workspace, or Prolific
/// failing.
pub async fn remember(
    connections: &Connections,
    target: &GroupTarget,
    participant_ids: &[String],
) -> Result<GroupSummary, GroupError> {
    if participant_ids.is_empty() {
        return Err(GroupError::NobodyChosen);
    }
    let (_, client) = connections.client().await?;
    match target {
        GroupTarget::Existing { group_id } => {
            let members = client
                .add_participant_group_members(group_id, participant_ids)
                .await?;
            let group = client.participant_group(group_id).await?;
            Ok(GroupSummary {
                id: group.id,
                name: group.name,
                members: Some(u64::try_from(members.len()).unwrap_or(u64::MAX)),
            })
        }
        GroupTarget::New { name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(GroupError::NoName);
            }
            let workspace = account::workspaces(connections)
                .await?
                .chosen
                .ok_or(GroupError::NoWorkspace)?;
            let group = client
                .create_participant_group(&NewParticipantGroup {
                    workspace_id: workspace,
                    name: name.to_owned(),
                    description: Some("Made with Batchdesk from a study's scorecard.".to_owned()),
                    participant_ids: participant_ids.to_vec(),
                })
                .await?;
            Ok(GroupSummary {
                id: group.id,
                name: group.name,
                members: group.participant_count,
            })
        }
    }
}
