//! Participant groups: named sets of participants in a workspace, which studies use as
//! allowlist or blocklist filters (see `crowd`).
//!
//! Prolific deletes a group softly: it keeps answering with `is_deleted: true` and can be
//! listed with `active=false`. A deleted group is read-only here, its members no longer
//! count for any filter, and a study can no longer name it.

use serde_json::{Value, json};

use crate::clock::Moment;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ParticipantGroup {
    /// A 24-hex ObjectId.
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Groups are made in a workspace here: the practice researcher has no organisation.
    pub(crate) workspace_id: String,
    /// In the order they joined; each participant once.
    pub(crate) members: Vec<Member>,
    pub(crate) is_deleted: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Member {
    pub(crate) participant_id: String,
    pub(crate) added_at: Moment,
}

impl ParticipantGroup {
    /// Whether filters and changes may use it.
    pub(crate) fn is_live(&self) -> bool {
        !self.is_deleted
    }

    pub(crate) fn has_member(&self, participant_id: &str) -> bool {
        self.members
            .iter()
            .any(|member| member.participant_id == participant_id)
    }

    /// Adds those not already members, at `now`; the rest are ignored, as Prolific does.
    pub(crate) fn add(&mut self, participant_ids: &[String], now: Moment) {
        for id in participant_ids {
            if !self.has_member(id) {
                self.members.push(Member {
                    participant_id: id.clone(),
                    added_at: now,
                });
            }
        }
    }

    /// Removes those that are members; the rest are ignored.
    pub(crate) fn remove(&mut self, participant_ids: &[String]) {
        self.members
            .retain(|member| !participant_ids.contains(&member.participant_id));
    }

    /// Makes the members exactly `participant_ids`: those already in keep the moment
    /// they joined.
    pub(crate) fn replace(&mut self, participant_ids: &[String], now: Moment) {
        self.remove(
            &self
                .members
                .iter()
                .map(|member| member.participant_id.clone())
                .filter(|id| !participant_ids.contains(id))
                .collect::<Vec<_>>(),
        );
        self.add(participant_ids, now);
    }

    /// `ParticipantGroupResponse` (and `ParticipantGroup`, the listed shape, which has
    /// the same fields). The practice server does not run completion-code actions, so
    /// no study feeds a group.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "project_id": null,
            "workspace_id": self.workspace_id,
            "organisation_id": null,
            "description": self.description,
            "participant_count": self.members.len(),
            "is_deleted": self.is_deleted,
            "feeder_studies": [],
        })
    }

    /// `ParticipantGroupMembership`s, in the order members joined.
    pub(crate) fn members_json(&self) -> Vec<Value> {
        self.members
            .iter()
            .map(|member| {
                json!({
                    "participant_id": member.participant_id,
                    "datetime_created": member.added_at.timestamp(),
                })
            })
            .collect()
    }
}
