//! Messages from the researcher, about a study, through Prolific: to the people chosen
//! (the scorecard's rules choose them), to a participant group the researcher made
//! ("trusted annotators"), or to everyone who took part in the study (everyone with a
//! submission sent for review or reviewed).
//!
//! A message is confirmed for the number of people it reaches ([`audience`] says how
//! many, [`send`] refuses another number), and sent once whatever the clicks or lost
//! answers, as a message sent twice reaches its readers twice:
//! - each send is journaled under `study/<id>` (step `message`) before its call
//!   (`sending`) and after (`sent`), named by a fingerprint of its audience and words;
//! - the same words to the same audience, sent before, are answered as sent without a
//!   call;
//! - a send whose answer was lost (a timeout, a dropped connection, a 5xx; or the app
//!   closed during the call) is looked for in the conversations of its first readers:
//!   found, it is sent; not found, it is not sent again (Prolific may still be carrying
//!   it out), and the researcher is told so;
//! - a send Prolific refused outright sent nothing, so it may be tried again.

use batchdesk_prolific::{Client, ProlificError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

use crate::connection::Connections;
use crate::error_code::{Coded, ErrorCode};
use crate::session::{SessionError, session_error_from};
use crate::text;

/// Whom a message goes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "to", rename_all = "camelCase")]
pub enum MessageTo {
    /// These participants of the study.
    #[serde(rename_all = "camelCase")]
    People { participant_ids: Vec<String> },
    /// Every member of one of the workspace's participant groups.
    #[serde(rename_all = "camelCase")]
    Group { group_id: String },
    /// Everyone who took part in the study: a submission sent for review, or reviewed.
    Everyone,
}

/// How many people a message would reach now, for its confirmation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessageAudience {
    pub people: u32,
}

/// A message sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessageSent {
    pub people: u32,
    /// The same words had gone to the same people before (a second click, or an
    /// answer lost then found sent): nothing was sent again.
    pub already_sent: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum MessageError {
    #[error(transparent)]
    Session(#[from] SessionError),
    NobodyChosen,
    NobodyInStudy,
    EmptyGroup,
    EmptyMessage,
    AudienceChanged {
        confirmed: u32,
        now: u32,
    },
    SendUnclear,
}

session_error_from!(MessageError);

impl Coded for MessageError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::NobodyChosen | Self::NobodyInStudy | Self::EmptyGroup | Self::EmptyMessage => {
                ErrorCode::Rejected
            }
            Self::AudienceChanged { .. } => ErrorCode::AudienceChanged,
            Self::SendUnclear => ErrorCode::MessageUnclear,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::NobodyChosen => text!("errors:messages.nobodyChosen"),
            Self::NobodyInStudy => text!("errors:messages.nobodyInStudy"),
            Self::EmptyGroup => text!("errors:messages.emptyGroup"),
            Self::EmptyMessage => text!("errors:messages.emptyMessage"),
            // The plural forms follow the number it would reach now.
            Self::AudienceChanged { confirmed: 1, now } => {
                text!("errors:messages.audienceChanged.fromOne", count = now)
            }
            Self::AudienceChanged { confirmed, now } => text!(
                "errors:messages.audienceChanged.fromMany",
                confirmed = confirmed,
                count = now
            ),
            Self::SendUnclear => text!("errors:messages.sendUnclear"),
        }
    }
}

/// "1 person", "12 people".
/// How many people `to` reaches now.
///
/// # Errors
/// Nobody to reach, no connection, or Prolific failing (a list it sent only part of
/// included: the count would be wrong).
pub async fn audience(
    connections: &Connections,
    study_id: &str,
    to: &MessageTo,
) -> Result<MessageAudience, MessageError> {
    let (_, client) = connections.client().await?;
    let readers = readers(&client, study_id, to).await?;
    Ok(MessageAudience {
        people: count(&readers),
    })
}

/// Sends `body` to `to` about `study_id`, as confirmed for `confirmed_people`, once: the
/// same words sent to the same audience before are not sent again.
///
/// # Errors
/// An empty message, nobody to reach, another number of people than confirmed, no
/// connection, Prolific refusing, or a send whose outcome cannot be told.
pub async fn send(
    connections: &Connections,
    study_id: &str,
    to: &MessageTo,
    body: &str,
    confirmed_people: u32,
) -> Result<MessageSent, MessageError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(MessageError::EmptyMessage);
    }
    let (_, client) = connections.client().await?;
    let readers = readers(&client, study_id, to).await?;
    let now = count(&readers);
    let store = connections.store();
    let launch = format!("study/{study_id}");
    let fingerprint = fingerprint(to, body);
    let journal = |state: &str, detail: &Noted| {
        store.journal_with(&launch, STEP, state, Some(&fingerprint), &detail.text())
    };
    match last_noted(connections, &launch, &fingerprint)? {
        Some((state, noted)) if state == SENT => {
            return Ok(MessageSent {
                people: noted.people,
                already_sent: true,
            });
        }
        Some((state, noted)) if state == SENDING => {
            // Its readers then, looked for as they were.
            return if reached(&client, &noted.first_readers, body).await? {
                journal(SENT, &noted)?;
                Ok(MessageSent {
                    people: noted.people,
                    already_sent: true,
                })
            } else {
                Err(MessageError::SendUnclear)
            };
        }
        _ => {}
    }
    if now != confirmed_people {
        return Err(MessageError::AudienceChanged {
            confirmed: confirmed_people,
            now,
        });
    }
    let noted = Noted {
        to: to_text(to).to_owned(),
        people: now,
        first_readers: readers.iter().take(READERS_LOOKED_AT).cloned().collect(),
    };
    journal(SENDING, &noted)?;
    let outcome = match to {
        MessageTo::Group { group_id } => {
            // Not about the study: a group gathers people of several studies, who need
            // not have taken part in this one.
            client.message_participant_group(group_id, None, body).await
        }
        MessageTo::People { .. } | MessageTo::Everyone => {
            client.send_bulk_message(study_id, &readers, body).await
        }
    };
    match outcome {
        Ok(()) => {}
        Err(error) if is_unclear(&error) => {
            if !reached(&client, &readers, body).await? {
                return Err(MessageError::SendUnclear);
            }
        }
        Err(refused) => {
            // Refused outright: nothing was sent, so it may be tried again.
            journal(REFUSED, &noted)?;
            return Err(refused.into());
        }
    }
    journal(SENT, &noted)?;
    Ok(MessageSent {
        people: now,
        already_sent: false,
    })
}

/// What the journal keeps of a send (its `detail`): the audience as chosen, how many it
/// reached, and the first readers, whose conversations tell whether it went.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Noted {
    to: String,
    people: u32,
    first_readers: Vec<String>,
}

impl Noted {
    fn text(&self) -> String {
        // Plain strings and a number: this cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

const STEP: &str = "message";
const SENDING: &str = "sending";
const SENT: &str = "sent";
const REFUSED: &str = "refused";

/// The participant ids `to` reaches now, each once.
async fn readers(
    client: &Client,
    study_id: &str,
    to: &MessageTo,
) -> Result<Vec<String>, MessageError> {
    let mut ids = match to {
        MessageTo::People { participant_ids } => {
            let ids: Vec<String> = participant_ids
                .iter()
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
                .collect();
            if ids.is_empty() {
                return Err(MessageError::NobodyChosen);
            }
            ids
        }
        MessageTo::Group { group_id } => {
            let members = client.participant_group_members(group_id).await?;
            if members.is_empty() {
                return Err(MessageError::EmptyGroup);
            }
            members
        }
        MessageTo::Everyone => {
            let ids: Vec<String> = client
                .submissions(study_id, None)
                .await?
                .whole("the study's submissions")?
                .into_iter()
                .filter(|submission| submission.status.is_finished())
                .filter_map(|submission| submission.participant_id)
                .collect();
            if ids.is_empty() {
                return Err(MessageError::NobodyInStudy);
            }
            ids
        }
    };
    // In the order given (the first are looked for after a lost answer), each once.
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

fn count(readers: &[String]) -> u32 {
    u32::try_from(readers.len()).unwrap_or(u32::MAX)
}

/// Names a send by what makes two sends the same: the audience as chosen (the people,
/// in any order; the group; everyone) and the words.
fn fingerprint(to: &MessageTo, body: &str) -> String {
    let mut hasher = Sha256::new();
    match to {
        MessageTo::People { participant_ids } => {
            let mut ids: Vec<&str> = participant_ids.iter().map(|id| id.trim()).collect();
            ids.sort_unstable();
            ids.dedup();
            hasher.update(b"people\0");
            for id in ids {
                hasher.update(id.as_bytes());
                hasher.update(b"\0");
            }
        }
        MessageTo::Group { group_id } => {
            hasher.update(b"group\0");
            hasher.update(group_id.as_bytes());
            hasher.update(b"\0");
        }
        MessageTo::Everyone => hasher.update(b"everyone\0"),
    }
    hasher.update(body.as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What the journal notes of the audience, for a person reading it.
fn to_text(to: &MessageTo) -> &str {
    match to {
        MessageTo::People { .. } => "people",
        MessageTo::Group { group_id } => group_id,
        MessageTo::Everyone => "everyone",
    }
}

/// The journal's last word on the send named `fingerprint`, with what it noted.
fn last_noted(
    connections: &Connections,
    launch: &str,
    fingerprint: &str,
) -> Result<Option<(String, Noted)>, MessageError> {
    Ok(connections
        .store()
        .journal_details(launch)?
        .into_iter()
        .rev()
        .find(|entry| entry.step == STEP && entry.remote_id.as_deref() == Some(fingerprint))
        .map(|entry| {
            let noted = entry
                .detail
                .as_deref()
                .and_then(|detail| serde_json::from_str(detail).ok())
                .unwrap_or_default();
            (entry.state, noted)
        }))
}

/// A failure after which Prolific may have sent the message: no answer, or a server
/// error. Refusals (a 4xx) and rate limits sent nothing.
fn is_unclear(error: &ProlificError) -> bool {
    matches!(
        error,
        ProlificError::Network(_)
            | ProlificError::Timeout(_)
            | ProlificError::ProlificFailing { .. }
            | ProlificError::Unexpected { .. }
    )
}

/// How many readers' conversations are read to find a message whose answer was lost:
/// one send reaches all its readers at once, so the first few tell.
const READERS_LOOKED_AT: usize = 3;

/// Whether the conversation of one of the first readers holds `body`.
async fn reached(client: &Client, readers: &[String], body: &str) -> Result<bool, MessageError> {
    for reader in readers.iter().take(READERS_LOOKED_AT) {
        let conversation = client.messages_with(reader).await?;
        if conversation
            .iter()
            .any(|message| message.body.trim() == body)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_send_is_the_same_for_the_same_people_in_any_order_and_the_same_words() {
        let people = |ids: &[&str]| MessageTo::People {
            participant_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
        };
        let hello = fingerprint(&people(&["a", "b"]), "Hello");
        assert_eq!(hello, fingerprint(&people(&["b", "a", "a"]), "Hello"));
        assert_ne!(hello, fingerprint(&people(&["a"]), "Hello"));
        assert_ne!(hello, fingerprint(&people(&["a", "b"]), "Hello!"));
        assert_ne!(hello, fingerprint(&MessageTo::Everyone, "Hello"));
        let group = |id: &str| MessageTo::Group {
            group_id: id.to_owned(),
        };
        assert_ne!(
            fingerprint(&group("g1"), "Hello"),
            fingerprint(&group("g2"), "Hello")
        );
        assert_eq!(hello.len(), 64);
    }

    #[test]
    fn the_audience_reads_in_plain_words() {
        let changed = MessageError::AudienceChanged {
            confirmed: 1,
            now: 3,
        };
        assert_eq!(
            changed.to_string(),
            "You confirmed a message to 1 person, but it would now reach 3 people. Nothing \
             was sent: check the number and confirm again."
        );
    }
}
