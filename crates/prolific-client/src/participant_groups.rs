//! Participant groups: a pilot's participants are put in a group, and the full study
//! keeps them out with the group as a blocklist filter. Classic endpoints: paths end
//! with `/`.
//!
//! Adding or removing members leaves the same group however often it is sent, so those
//! calls are retried like reads; a create is looked for before it is sent again, and a
//! delete is confirmed by reading the group.

use reqwest::Method;

use crate::client::segment;
use crate::models::{
    GroupMember, GroupMembers, Listed, NewParticipantGroup, ParticipantGroup, ParticipantIds,
};
use crate::transport::Safety;
use crate::{Client, ProlificError};

const GROUPS: &str = "/api/v1/participant-groups/";

fn group_path(group_id: &str) -> String {
    format!("{GROUPS}{}/", segment(group_id))
}

fn members_path(group_id: &str) -> String {
    format!("{}participants/", group_path(group_id))
}

impl Client {
    /// `POST /participant-groups/` (201): a group in a workspace with its first
    /// members. After an unclear failure it looks among the workspace's groups for the
    /// newest of this name, description and size (what the earlier attempt would have
    /// made), and only creates again if there is none.
    pub async fn create_participant_group(
        &self,
        group: &NewParticipantGroup,
    ) -> Result<ParticipantGroup, ProlificError> {
        let mut distinct = group.participant_ids.clone();
        distinct.sort();
        distinct.dedup();
        let size = u64::try_from(distinct.len()).unwrap_or(u64::MAX);
        self.create_or_find(&self.base.join(GROUPS), group, || async {
            self.participant_groups(&group.workspace_id)
                .await?
                .newest_match("participant groups in this workspace", |found| {
                    found.name == group.name
                        && found.description == group.description
                        && found.participant_count == Some(size)
                })
        })
        .await
    }

    /// `GET /participant-groups/?workspace_id=…&active=true`: the workspace's groups
    /// that are not deleted, every page.
    pub async fn participant_groups(
        &self,
        workspace_id: &str,
    ) -> Result<Listed<ParticipantGroup>, ProlificError> {
        self.list(self.join_query(
            GROUPS,
            &[("workspace_id", workspace_id), ("active", "true")],
        )?)
        .await
    }

    /// `GET /participant-groups/{id}/`: a deleted group reads too, `is_deleted` set.
    pub async fn participant_group(
        &self,
        group_id: &str,
    ) -> Result<ParticipantGroup, ProlificError> {
        self.get_json(&group_path(group_id)).await
    }

    /// `GET /participant-groups/{id}/participants/`: every member's participant id, in
    /// the order they joined. A list that may be incomplete is an error: a blocklist
    /// checked against part of it would let people through.
    pub async fn participant_group_members(
        &self,
        group_id: &str,
    ) -> Result<Vec<String>, ProlificError> {
        let members: Listed<GroupMember> =
            self.list(self.base.join(&members_path(group_id))).await?;
        Ok(members
            .whole("participant group members")?
            .into_iter()
            .map(|member| member.participant_id)
            .collect())
    }

    /// `POST /participant-groups/{id}/participants/`: adds those not yet members (the
    /// rest are ignored) and answers every member's id now.
    pub async fn add_participant_group_members(
        &self,
        group_id: &str,
        participant_ids: &[String],
    ) -> Result<Vec<String>, ProlificError> {
        self.change_members(Method::POST, group_id, participant_ids)
            .await
    }

    /// `DELETE /participant-groups/{id}/participants/`: removes those who are members
    /// (the rest are ignored) and answers every member's id now.
    pub async fn remove_participant_group_members(
        &self,
        group_id: &str,
        participant_ids: &[String],
    ) -> Result<Vec<String>, ProlificError> {
        self.change_members(Method::DELETE, group_id, participant_ids)
            .await
    }

    async fn change_members(
        &self,
        method: Method,
        group_id: &str,
        participant_ids: &[String],
    ) -> Result<Vec<String>, ProlificError> {
        let members: GroupMembers = self
            .send_json(
                Safety::Idempotent,
                method,
                &self.base.join(&members_path(group_id)),
                Some(&ParticipantIds { participant_ids }),
            )
            .await?;
        Ok(members
            .results
            .into_iter()
            .map(|member| member.participant_id)
            .collect())
    }

    /// `DELETE /participant-groups/{id}/` (204). After an unclear failure it reads the
    /// group: deleted (or gone) means the earlier attempt did it.
    pub async fn delete_participant_group(&self, group_id: &str) -> Result<(), ProlificError> {
        let url = self.base.join(&group_path(group_id));
        self.delete_or_confirm(&url, || async {
            Ok(self.participant_group(group_id).await?.is_deleted == Some(true))
        })
        .await
    }
}
