//! Messages from the researcher to participants: to one (`POST /api/v1/messages/`), to
//! several (`POST /api/v1/messages/bulk/`), to a participant group's members
//! (`POST /api/v1/messages/participant-group/`), each answered 204; and the
//! conversation with one person, or everything since a moment
//! (`GET /api/v1/messages/?user_id=…` or `?created_after=…`). Every message sent is
//! kept (one per recipient) and saved with the practice state; simulated participants
//! never write back.
//!
//! Where the spec leaves it open, the stricter side:
//! - a message's body may not be blank;
//! - the study named must exist, and a message to one or several participants goes only
//!   to people who took part in it (the study is the reason for the message); unknown
//!   recipients are named in the 400 and nobody gets the message;
//! - a group message needs a live group (not deleted) with at least one member;
//! - `created_after` must be an ISO-8601 moment, and at most 10 `excluded_sender_ids`.
//!   Messages older than 30 days are not answered for `created_after`, as the spec
//!   says. The list is not paged: the spec gives it no paging parameters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{Message, Store, Study};

const MESSAGES: &str = "/api/v1/messages/";

/// The most sender ids `excluded_sender_ids` takes (the spec's maximum).
const MOST_EXCLUDED_SENDERS: usize = 10;

/// How far back `created_after` reaches.
const HISTORY_DAYS: i64 = 30;

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Post, MESSAGES, StatusCode::NO_CONTENT, send),
        route(
            Verb::Post,
            "/api/v1/messages/bulk/",
            StatusCode::NO_CONTENT,
            send_bulk,
        ),
        route(
            Verb::Post,
            "/api/v1/messages/participant-group/",
            StatusCode::NO_CONTENT,
            send_to_group,
        ),
        route(Verb::Get, MESSAGES, StatusCode::OK, list),
    ]
}

/// The study named in `study_id`, recording a field error when there is none.
fn named_study<'a>(
    store: &'a Store,
    fields: &mut FieldReader<'_, '_>,
    study_id: Option<&str>,
) -> Option<&'a Study> {
    let study_id = study_id?;
    let study = store.study(study_id);
    if study.is_none() {
        fields.error("study_id", format!("No study with the id {study_id}."));
    }
    study
}

/// Whether `participant_id` took part in `study` (any submission anyone can see).
fn took_part(study: &Study, participant_id: &str) -> bool {
    study
        .visible_submissions()
        .any(|submission| submission.participant_id == participant_id)
}

/// Keeps one message from the researcher to each of `recipients`, in the conversation
/// the two already have, else a new one.
pub(super) fn keep(store: &mut Store, recipients: &[String], body: &str, study_id: Option<&str>) {
    let sender_id = store.researcher.id.clone();
    let now = Moment::now();
    for recipient in recipients {
        let channel_id = store
            .messages
            .iter()
            .find(|message| message.involves(&sender_id) && message.involves(recipient))
            .map_or_else(crate::ids::object_id, |message| message.channel_id.clone());
        store.messages.push(Message {
            id: crate::ids::object_id(),
            sender_id: sender_id.clone(),
            recipient_id: recipient.clone(),
            body: body.to_owned(),
            sent_at: now,
            channel_id,
            study_id: study_id.map(str::to_owned),
        });
    }
}

/// `POST /api/v1/messages/` with `recipient_id`, `body` and `study_id`: 204.
async fn send(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let recipient = fields.required_string("recipient_id");
    let text = fields.required_string("body");
    let study_id = fields.required_string("study_id");
    let study = named_study(&store, &mut fields, study_id.as_deref());
    if let (Some(study), Some(recipient)) = (study, &recipient)
        && !took_part(study, recipient)
    {
        fields.error(
            "recipient_id",
            format!("{recipient} did not take part in this study."),
        );
    }
    errors.into_result()?;
    let (Some(recipient), Some(text)) = (recipient, text) else {
        return Err(ApiError::bad_request("The message could not be read."));
    };
    keep(&mut store, &[recipient], &text, study_id.as_deref());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/messages/bulk/` with `ids` (participants), `body` and `study_id`: 204.
/// Each participant gets the message once, however often named.
async fn send_bulk(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let text = fields.required_string("body");
    let study_id = fields.required_string("study_id");
    let study = named_study(&store, &mut fields, study_id.as_deref());
    let mut recipients: Vec<String> = Vec::new();
    match fields.value("ids").map(Value::as_array) {
        None => fields.error("ids", REQUIRED),
        Some(None) => fields.error("ids", "Expected a list of participant ids."),
        Some(Some(ids)) if ids.is_empty() => fields.error("ids", "Name at least one participant."),
        Some(Some(ids)) => {
            for id in ids {
                match id.as_str() {
                    None => fields.error("ids", "Each participant id is a string."),
                    Some(id) if study.is_some_and(|study| !took_part(study, id)) => {
                        fields.error("ids", format!("{id} did not take part in this study."));
                    }
                    Some(id) => {
                        if !recipients.iter().any(|kept| kept == id) {
                            recipients.push(id.to_owned());
                        }
                    }
                }
            }
        }
    }
    errors.into_result()?;
    let Some(text) = text else {
        return Err(ApiError::bad_request("The message could not be read."));
    };
    keep(&mut store, &recipients, &text, study_id.as_deref());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/messages/participant-group/` with `participant_group_id`, `body` and
/// optionally `study_id`: every member of the group gets the message; 204.
async fn send_to_group(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let group_id = fields.required_string("participant_group_id");
    let text = fields.required_string("body");
    let study_id = fields.optional_string("study_id");
    named_study(&store, &mut fields, study_id.as_deref());
    let mut recipients = Vec::new();
    if let Some(group_id) = &group_id {
        match store
            .participant_group(group_id)
            .filter(|group| group.is_live())
        {
            None => fields.error(
                "participant_group_id",
                format!("No participant group with the id {group_id}."),
            ),
            Some(group) if group.members.is_empty() => fields.error(
                "participant_group_id",
                "The group has no members to send the message to.",
            ),
            Some(group) => {
                recipients = group
                    .members
                    .iter()
                    .map(|member| member.participant_id.clone())
                    .collect();
            }
        }
    }
    errors.into_result()?;
    let Some(text) = text else {
        return Err(ApiError::bad_request("The message could not be read."));
    };
    keep(&mut store, &recipients, &text, study_id.as_deref());
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/messages/?user_id=…` (the conversation with that person) and/or
/// `created_after=…` (messages since then, within the last 30 days), without those from
/// `excluded_sender_ids`; oldest first, `{"results": […]}`.
async fn list(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut errors = FieldErrors::default();
    let user_id = query.get("user_id").filter(|id| !id.trim().is_empty());
    let created_after = match query.get("created_after") {
        None => None,
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(at) => Some(at.with_timezone(&chrono::Utc)),
            Err(_) => {
                errors.add(
                    "created_after",
                    "Give a moment in ISO-8601, like 2026-12-01T09:30:00Z.",
                );
                None
            }
        },
    };
    if user_id.is_none() && !query.contains_key("created_after") {
        errors.add("user_id", "Give user_id, or created_after.");
    }
    let excluded: Vec<&str> = query
        .get("excluded_sender_ids")
        .map(|ids| {
            ids.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if excluded.len() > MOST_EXCLUDED_SENDERS {
        errors.add(
            "excluded_sender_ids",
            format!("Name at most {MOST_EXCLUDED_SENDERS} senders."),
        );
    }
    errors.into_result()?;
    let since = created_after.map(|at| {
        let oldest = Moment::now().minus_days(HISTORY_DAYS);
        Moment::at(at).max(oldest)
    });
    let store = state.store();
    let results: Vec<Value> = store
        .messages
        .iter()
        .filter(|message| user_id.is_none_or(|user| message.involves(user)))
        .filter(|message| since.is_none_or(|since| message.sent_at > since))
        .filter(|message| !excluded.contains(&message.sender_id.as_str()))
        .map(Message::to_json)
        .collect();
    Ok(Json(json!({ "results": results })))
}
