//! Messages to participants: to one, to several, or to a participant group's members,
//! each about a study; and the conversation with one person. Classic endpoints: paths
//! end with `/`.
//!
//! A message sent twice reaches its reader twice, so a send is never repeated after a
//! failure that leaves open whether it went (a timeout, a dropped connection, a 5xx):
//! the error is handed back, and [`Client::messages_with`] shows what was sent. Only
//! failures that prove nothing was sent (no connection made, 429) are retried.

use crate::client::encode;
use crate::models::{Message, Messages, NewBulkMessage, NewGroupMessage, NewMessage};
use crate::transport::Failure;
use crate::{Client, ProlificError};

const MESSAGES: &str = "/api/v1/messages/";

impl Client {
    /// `POST /messages/` (204): `body` to one participant, about `study_id`.
    pub async fn send_message(
        &self,
        recipient_id: &str,
        study_id: &str,
        body: &str,
    ) -> Result<(), ProlificError> {
        self.send_once(
            MESSAGES,
            &encode(&NewMessage {
                recipient_id,
                body,
                study_id,
            })?,
        )
        .await
    }

    /// `POST /messages/bulk/` (204): `body` to each of `participant_ids`, about
    /// `study_id`.
    pub async fn send_bulk_message(
        &self,
        study_id: &str,
        participant_ids: &[String],
        body: &str,
    ) -> Result<(), ProlificError> {
        self.send_once(
            "/api/v1/messages/bulk/",
            &encode(&NewBulkMessage {
                ids: participant_ids,
                body,
                study_id,
            })?,
        )
        .await
    }

    /// `POST /messages/participant-group/` (204): `body` to every member of the group,
    /// about `study_id` when given.
    pub async fn message_participant_group(
        &self,
        participant_group_id: &str,
        study_id: Option<&str>,
        body: &str,
    ) -> Result<(), ProlificError> {
        self.send_once(
            "/api/v1/messages/participant-group/",
            &encode(&NewGroupMessage {
                participant_group_id,
                body,
                study_id,
            })?,
        )
        .await
    }

    /// `GET /messages/?user_id=…`: the messages between the researcher and `user_id`,
    /// as Prolific answers them (the list has no pages).
    pub async fn messages_with(&self, user_id: &str) -> Result<Vec<Message>, ProlificError> {
        let url = self.join_query(MESSAGES, &[("user_id", user_id)])?;
        let messages: Messages = self
            .call_json(reqwest::Method::GET, &url, None::<&()>)
            .await?;
        Ok(messages.results)
    }

    async fn send_once(&self, path: &str, body: &[u8]) -> Result<(), ProlificError> {
        self.post_once(&self.base.join(path), Some(body))
            .await
            .map(drop)
            .map_err(Failure::into_api_error)
    }
}
