//! Messages to participants (`/api/v1/messages/…`).

use serde::{Deserialize, Serialize};

use super::lenient::optional_text;

/// The body of `POST /api/v1/messages/` (`SendMessage`).
#[derive(Serialize)]
pub(crate) struct NewMessage<'a> {
    pub(crate) recipient_id: &'a str,
    pub(crate) body: &'a str,
    pub(crate) study_id: &'a str,
}

/// The body of `POST /api/v1/messages/bulk/` (`SendBulkMessage`).
#[derive(Serialize)]
pub(crate) struct NewBulkMessage<'a> {
    pub(crate) ids: &'a [String],
    pub(crate) body: &'a str,
    pub(crate) study_id: &'a str,
}

/// The body of `POST /api/v1/messages/participant-group/` (`MessageParticipantGroup`).
#[derive(Serialize)]
pub(crate) struct NewGroupMessage<'a> {
    pub(crate) participant_group_id: &'a str,
    pub(crate) body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) study_id: Option<&'a str>,
}

/// `GET /api/v1/messages/`: `{"results": [...]}`.
#[derive(Deserialize)]
pub(crate) struct Messages {
    #[serde(default)]
    pub(crate) results: Vec<Message>,
}

/// A message, sent or received (`Message`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(default)]
    pub sender_id: Option<String>,
    #[serde(default)]
    pub body: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub sent_at: Option<String>,
    /// The conversation it belongs to.
    #[serde(default)]
    pub channel_id: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub data: Option<MessageData>,
}

/// What a message is about (`MessageData`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MessageData {
    #[serde(default)]
    pub study_id: Option<String>,
    /// The participant's own category for a message they wrote (`payment-issues`, …).
    #[serde(default)]
    pub category: Option<String>,
}
