//! Participant groups (`/api/v1/participant-groups/…`): made in a workspace, listed,
//! read, renamed, deleted, and their members listed, added and removed. Classic
//! endpoints, so every path ends with a slash. Studies use groups through the allowlist
//! and blocklist filters (see `crowd`): every change of members re-plans the places
//! of those studies that nobody has taken yet.
//!
//! Where the spec leaves it open, the stricter side:
//! - a group is made in exactly one of `workspace_id` and `organisation_id`, one of the
//!   researcher's (the practice researcher has no organisation), and is listed by
//!   exactly one of `workspace_id` and `project_id` (the spec's `filter` parameter);
//! - participant ids must be ids of participants Prolific knows: the workspace's
//!   regulars, or anyone who took part in one of the researcher's studies or is one of
//!   their test participants;
//! - adding or removing members needs at least one id;
//! - a deleted group still reads (with `is_deleted: true`, as the spec's field and its
//!   `active` filter imply), but cannot be changed, deleted again, or have its members
//!   read: any of those answers 404, as for a group that does not exist.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::clock::Moment;
use crate::crowd::pool_member;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{ParticipantGroup, Store};

const GROUPS: &str = "/api/v1/participant-groups/";
const GROUP: &str = "/api/v1/participant-groups/{id}/";
const MEMBERS: &str = "/api/v1/participant-groups/{id}/participants/";

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Post, GROUPS, StatusCode::CREATED, create),
        route(Verb::Get, GROUPS, StatusCode::OK, list),
        route(Verb::Get, GROUP, StatusCode::OK, get),
        route(Verb::Patch, GROUP, StatusCode::OK, update),
        route(Verb::Delete, GROUP, StatusCode::NO_CONTENT, delete),
        route(Verb::Get, MEMBERS, StatusCode::OK, list_members),
        route(Verb::Post, MEMBERS, StatusCode::OK, add_members),
        route(Verb::Delete, MEMBERS, StatusCode::OK, remove_members),
    ]
}

fn not_found() -> ApiError {
    ApiError::not_found("Participant group")
}

/// The group, deleted or not.
fn group_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a ParticipantGroup, ApiError> {
    store.participant_group(id).ok_or_else(not_found)
}

/// The index of a group that may still change (not deleted).
fn live_group_index(store: &Store, id: &str) -> Result<usize, ApiError> {
    store
        .participant_groups
        .iter()
        .position(|group| group.id == id && group.is_live())
        .ok_or_else(not_found)
}

/// Whether `text` is a 24-hex ObjectId, the form of Prolific's participant ids.
fn is_object_id(text: &str) -> bool {
    text.len() == 24 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

impl ServerState {
    /// Everyone Prolific knows as a participant of `workspace_id`'s researcher: its
    /// regulars, everyone who took part in a study, and the test participants.
    fn known_participants(&self, store: &Store, workspace_id: &str) -> HashSet<String> {
        let mut known: HashSet<String> = (0..self.regular_participants)
            .map(|index| pool_member(self.seed, workspace_id, index))
            .collect();
        known.extend(
            store
                .studies
                .iter()
                .flat_map(|study| study.submissions.iter())
                .filter(|submission| submission.exists())
                .map(|submission| submission.participant_id.clone()),
        );
        known.extend(
            store
                .test_participants
                .iter()
                .map(|participant| participant.id.clone()),
        );
        known
    }
}

/// Reads `participant_ids`: a list of participant ids, each kept once in the order
/// given, each one of the `known` when given. `required` also refuses an absent or
/// empty list.
fn participant_ids(
    fields: &mut FieldReader<'_, '_>,
    known: Option<&HashSet<String>>,
    required: bool,
) -> Option<Vec<String>> {
    const FIELD: &str = "participant_ids";
    let Some(value) = fields.value(FIELD) else {
        if required {
            fields.error(FIELD, REQUIRED);
        }
        return None;
    };
    let Some(items) = value.as_array() else {
        fields.error(FIELD, "Expected a list of participant ids.");
        return None;
    };
    if required && items.is_empty() {
        fields.error(FIELD, "Name at least one participant.");
        return None;
    }
    let mut ids: Vec<String> = Vec::new();
    for item in items {
        match item.as_str() {
            Some(id) if !is_object_id(id) => {
                fields.error(FIELD, format!("\"{id}\" is not a participant id."));
            }
            Some(id) if known.is_some_and(|known| !known.contains(id)) => {
                fields.error(FIELD, format!("No participant with the id {id}."));
            }
            Some(id) => {
                if !ids.iter().any(|kept| kept == id) {
                    ids.push(id.to_owned());
                }
            }
            None => fields.error(FIELD, "Each participant id is a string."),
        }
    }
    Some(ids)
}

/// `POST /api/v1/participant-groups/`: a group in one of the researcher's workspaces,
/// with its first members if given.
async fn create(State(state): State<Arc<ServerState>>, JsonBody(body): JsonBody) -> ApiResult {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = fields.required_string("name");
    let description = match fields.value("description") {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            fields.error("description", "Not a valid string.");
            None
        }
    };
    let workspace_id = fields.optional_string("workspace_id");
    let organisation_id = fields.optional_string("organisation_id");
    match (&workspace_id, &organisation_id) {
        (Some(_), Some(_)) => fields.error(
            "organisation_id",
            "Give either workspace_id or organisation_id, not both.",
        ),
        (None, None) => fields.error(
            "workspace_id",
            "Give the workspace (or organisation) to make the group in.",
        ),
        (Some(id), None) if store.workspace(id).is_none() => {
            fields.error("workspace_id", "No workspace of yours has this id.");
        }
        (None, Some(_)) => fields.error(
            "organisation_id",
            "No organisation of yours has this id; make the group in a workspace.",
        ),
        (Some(_), None) => {}
    }
    let known = workspace_id
        .as_deref()
        .map(|workspace| state.known_participants(&store, workspace))
        .unwrap_or_default();
    let members = participant_ids(&mut fields, Some(&known), false);
    errors.into_result()?;
    let (Some(name), Some(workspace_id)) = (name, workspace_id) else {
        return Err(ApiError::bad_request("The group could not be created."));
    };
    let mut group = ParticipantGroup {
        id: crate::ids::object_id(),
        name,
        description,
        workspace_id,
        members: Vec::new(),
        is_deleted: false,
    };
    group.add(&members.unwrap_or_default(), Moment::now());
    let answer = group.to_json();
    store.participant_groups.push(group);
    Ok(Json(answer))
}

/// `GET /api/v1/participant-groups/?workspace_id=` (or `?project_id=`), `active=true`
/// for the groups not deleted, `false` for the deleted ones; oldest first, paged.
/// Groups belong to a workspace here, never to a project, so a project's list is empty.
async fn list(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut errors = FieldErrors::default();
    let workspace = query.get("workspace_id").filter(|id| !id.is_empty());
    let project = query.get("project_id").filter(|id| !id.is_empty());
    let store = state.store();
    match (workspace, project) {
        (None, None) => errors.add("workspace_id", "Give workspace_id or project_id."),
        (Some(_), Some(_)) => {
            errors.add("project_id", "Give workspace_id or project_id, not both.")
        }
        (Some(id), None) if store.workspace(id).is_none() => {
            errors.add("workspace_id", "No workspace of yours has this id.");
        }
        (None, Some(id)) if !store.projects.iter().any(|project| &project.id == id) => {
            errors.add("project_id", "No project of yours has this id.");
        }
        _ => {}
    }
    let active = match query.get("active").map(String::as_str) {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            errors.add("active", "Must be true or false.");
            None
        }
    };
    errors.into_result()?;
    let asked = PageRequest::from_query(&query)?;
    let groups: Vec<Value> = store
        .participant_groups
        .iter()
        .filter(|group| project.is_none() && workspace == Some(&group.workspace_id))
        .filter(|group| active.is_none_or(|active| group.is_live() == active))
        .map(ParticipantGroup::to_json)
        .collect();
    Ok(asked.cut(groups)?.results_only())
}

/// `GET /api/v1/participant-groups/{id}/`: deleted ones too, marked so.
async fn get(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
    let store = state.store();
    Ok(Json(group_or_404(&store, &id)?.to_json()))
}

/// `PATCH /api/v1/participant-groups/{id}/`: a new `name`, and `participant_ids`,
/// which replace the members. Nothing else of a group can change.
async fn update(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let index = live_group_index(&store, &id)?;
    let workspace_id = store.participant_groups[index].workspace_id.clone();
    let known = state.known_participants(&store, &workspace_id);
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = if fields.is_present("name") {
        fields.required_string("name")
    } else {
        None
    };
    let members = if fields.value("participant_ids").is_some() {
        // Replacing the members with none is allowed: it empties the group.
        participant_ids(&mut fields, Some(&known), false).or_else(|| Some(Vec::new()))
    } else {
        None
    };
    for field in body.keys() {
        if !matches!(field.as_str(), "name" | "participant_ids") {
            fields.error(field, "Only name and participant_ids can be changed.");
        }
    }
    errors.into_result()?;
    let group = &mut store.participant_groups[index];
    if let Some(name) = name {
        group.name = name;
    }
    if let Some(members) = &members {
        group.replace(members, Moment::now());
    }
    let answer = group.to_json();
    if members.is_some() {
        state.replan_for_group(&mut store, &workspace_id, &id);
    }
    Ok(Json(answer))
}

/// `DELETE /api/v1/participant-groups/{id}/`: 204. The group is kept, marked deleted;
/// its members stop counting for the studies that name it.
async fn delete(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut store = state.store();
    let index = live_group_index(&store, &id)?;
    store.participant_groups[index].is_deleted = true;
    let workspace_id = store.participant_groups[index].workspace_id.clone();
    state.replan_for_group(&mut store, &workspace_id, &id);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/participant-groups/{id}/participants/`: in the order they joined,
/// paged.
async fn list_members(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let store = state.store();
    let group = &store.participant_groups[live_group_index(&store, &id)?];
    Ok(asked.cut(group.members_json())?.results_only())
}

/// `POST` or `DELETE /api/v1/participant-groups/{id}/participants/` with
/// `participant_ids`: adds those not yet members (who must be participants Prolific
/// knows), or removes those who are (the rest are ignored), and answers every member
/// now.
fn change_members(
    state: &ServerState,
    id: &str,
    body: &serde_json::Map<String, Value>,
    adding: bool,
) -> ApiResult {
    let mut store = state.store();
    let index = live_group_index(&store, id)?;
    let workspace_id = store.participant_groups[index].workspace_id.clone();
    let known = adding.then(|| state.known_participants(&store, &workspace_id));
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(body, &mut errors);
    let ids = participant_ids(&mut fields, known.as_ref(), true);
    errors.into_result()?;
    let ids = ids.unwrap_or_default();
    let group = &mut store.participant_groups[index];
    if adding {
        group.add(&ids, Moment::now());
    } else {
        group.remove(&ids);
    }
    let answer = json!({ "results": group.members_json() });
    state.replan_for_group(&mut store, &workspace_id, id);
    Ok(Json(answer))
}

async fn add_members(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    change_members(&state, &id, &body, true)
}

async fn remove_members(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    change_members(&state, &id, &body, false)
}
