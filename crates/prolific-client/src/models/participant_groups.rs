//! Participant groups: named sets of participants in a workspace, used as allowlist or
//! blocklist filters on a study (`/api/v1/participant-groups/…`).

use serde::{Deserialize, Serialize};

use super::numbers::optional_count;

/// `POST /api/v1/participant-groups/`: a group in a workspace, with its first members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewParticipantGroup {
    pub workspace_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The first members (participant ids); may be empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participant_ids: Vec<String>,
}

/// A participant group, as made, read or listed (`ParticipantGroupResponse`,
/// `ParticipantGroup`). The spec requires none of its fields but `id` matters.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ParticipantGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// A group belongs to a workspace or an organisation.
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub organisation_id: Option<String>,
    #[serde(default)]
    pub project_id: Option<String>,
    #[serde(default, deserialize_with = "optional_count")]
    pub participant_count: Option<u64>,
    /// Prolific deletes groups softly: a deleted one still reads, marked so.
    #[serde(default)]
    pub is_deleted: Option<bool>,
}

/// One member of a group (`ParticipantGroupMembership`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct GroupMember {
    pub participant_id: String,
}

/// Every member, as answered when members are added or removed
/// (`ParticipantGroupMembershipListResponse`).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct GroupMembers {
    #[serde(default)]
    pub results: Vec<GroupMember>,
}

/// The body that adds or removes members (`ParticipantIDList`).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ParticipantIds<'a> {
    pub participant_ids: &'a [String],
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn a_group_reads_leniently_and_a_new_one_sends_only_what_is_set() {
        let group: ParticipantGroup = serde_json::from_value(json!({
            "id": "644aaabfaf6bbc363b9d47c6", "name": "Pilot", "project_id": null,
            "workspace_id": "644aaabfaf6bbc363b9d47c7", "organisation_id": null,
            "description": null, "participant_count": 12.0, "is_deleted": false,
            "feeder_studies": []
        }))
        .unwrap();
        assert_eq!(group.participant_count, Some(12));
        assert_eq!(group.is_deleted, Some(false));
        let bare: ParticipantGroup =
            serde_json::from_value(json!({"id": "644aaabfaf6bbc363b9d47c6"})).unwrap();
        assert_eq!(bare.participant_count, None);

        let new = NewParticipantGroup {
            workspace_id: "w".to_owned(),
            name: "Pilot".to_owned(),
            description: None,
            participant_ids: Vec::new(),
        };
        assert_eq!(
            serde_json::to_value(&new).unwrap(),
            json!({"workspace_id": "w", "name": "Pilot"})
        );
    }
}
