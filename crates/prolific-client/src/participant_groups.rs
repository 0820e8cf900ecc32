//! Participant groups (`/participant-groups/`): made once, members added as they come.
//! Adding members that are already in is ignored by Prolific, so it is safe to repeat.

use reqwest::Method;

use crate::client::segment;
use crate::models::{Memberships, NewParticipantGroup, ParticipantGroup, ParticipantIds};
use crate::transport::Safety;
use crate::{Client, ProlificError};

const GROUPS: &str = "/api/v1/participant-groups/";

impl Client {
    /// `POST /participant-groups/` (201). Not repeated after an unclear failure: a group
    /// made twice is an unused group, which blocks or admits nobody by itself.
    pub async fn create_participant_group(
        &self,
        group: &NewParticipantGroup,
    ) -> Result<ParticipantGroup, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::POST,
            &self.base.join(GROUPS),
            Some(group),
        )
        .await
    }

    /// `GET /participant-groups/{id}/`.
    pub async fn participant_group(
        &self,
        group_id: &str,
    ) -> Result<ParticipantGroup, ProlificError> {
        self.get_json(&format!("{GROUPS}{}/", segment(group_id)))
            .await
    }

    /// `GET /participant-groups/{id}/participants/`: the members' ids.
    pub async fn participant_group_members(
        &self,
        group_id: &str,
    ) -> Result<Vec<String>, ProlificError> {
        let members: Memberships = self
            .get_json(&format!("{GROUPS}{}/participants/", segment(group_id)))
            .await?;
        Ok(members
            .results
            .into_iter()
            .map(|member| member.participant_id)
            .collect())
    }

    /// `POST /participant-groups/{id}/participants/`: adds members (ones already in are
    /// ignored), so it is retried like a read.
    pub async fn add_participant_group_members(
        &self,
        group_id: &str,
        participant_ids: &[String],
    ) -> Result<(), ProlificError> {
        let _: Memberships = self
            .send_json(
                Safety::Idempotent,
                Method::POST,
                &self
                    .base
                    .join(&format!("{GROUPS}{}/participants/", segment(group_id))),
                Some(&ParticipantIds { participant_ids }),
            )
            .await?;
        Ok(())
    }
}
