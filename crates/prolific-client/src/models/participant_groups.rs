//! Participant groups: saved sets of participant ids, used as allowlist or blocklist
//! filters on studies.

use serde::{Deserialize, Serialize};

use super::numbers::optional_whole;

/// `POST /participant-groups/`: a group in a workspace, with its first members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewParticipantGroup {
    pub workspace_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub participant_ids: Vec<String>,
}

/// A participant group as Prolific answers it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ParticipantGroup {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default, deserialize_with = "optional_whole")]
    pub participant_count: Option<i64>,
    #[serde(default)]
    pub is_deleted: Option<bool>,
}

/// One member of a group.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct Membership {
    pub participant_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct Memberships {
    #[serde(default)]
    pub results: Vec<Membership>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ParticipantIds<'a> {
    pub participant_ids: &'a [String],
}
