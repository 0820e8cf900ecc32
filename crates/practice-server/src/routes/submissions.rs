//! Submissions one at a time (API-NOTES §7.8): listing a study's with Prolific's paging
//! (`paging.rs`: `results` only, all the schema documents) and status filter, reading one, and reviewing one. A rejected submission gives its
//! place back; a new simulated participant takes it (the same task group) while the
//! study is active.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{Review, Stage, Store};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Get, "/api/v1/submissions/", StatusCode::OK, list),
        route(Verb::Get, "/api/v1/submissions/{id}/", StatusCode::OK, get),
        route(
            Verb::Post,
            "/api/v1/submissions/{id}/transition/",
            StatusCode::OK,
            transition,
        ),
    ]
}

const REJECTION_CATEGORIES: [&str; 12] = [
    "TOO_QUICKLY",
    "TOO_SLOWLY",
    "FAILED_INSTRUCTIONS",
    "INCOMP_LONGITUDINAL",
    "FAILED_CHECK",
    "LOW_EFFORT",
    "MALINGERING",
    "NO_CODE",
    "BAD_CODE",
    "NO_DATA",
    "UNSUPP_DEVICE",
    "OTHER",
];

/// The boolean filters of `GET /api/v1/submissions/` and the statuses each stands for.
/// "Completed" is read as "finished the work" (awaiting review or reviewed), which the
/// spec does not spell out.
const STATUS_FLAGS: &[(&str, &[&str])] = &[
    (
        "completed",
        &[
            "AWAITING REVIEW",
            "APPROVED",
            "REJECTED",
            "PARTIALLY APPROVED",
        ],
    ),
    ("returned", &["RETURNED"]),
    ("awaiting_review", &["AWAITING REVIEW"]),
    ("approved", &["APPROVED"]),
    ("active", &["ACTIVE"]),
    ("timeout", &["TIMED-OUT"]),
    ("rejected", &["REJECTED"]),
    ("screened_out", &["SCREENED OUT"]),
    (
        "completeoractive",
        &[
            "AWAITING REVIEW",
            "APPROVED",
            "REJECTED",
            "PARTIALLY APPROVED",
            "ACTIVE",
        ],
    ),
];

/// A boolean query value as the spec lists them (case-insensitive).
fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "t" => Some(true),
        "0" | "false" | "no" | "f" => Some(false),
        _ => None,
    }
}

/// `GET /api/v1/submissions/?study=` (required), `status` in the underscore form
/// (`AWAITING_REVIEW`, case-insensitive), the boolean status filters (`returned=1`…),
/// `page` and `page_size` (see `paging.rs`).
async fn list(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let mut errors = FieldErrors::default();
    let study_id = query.get("study").filter(|id| !id.is_empty());
    if study_id.is_none() {
        errors.add("study", "This query parameter is required.");
    }
    let mut flags: Vec<(&[&str], bool)> = Vec::new();
    for (name, statuses) in STATUS_FLAGS {
        if let Some(text) = query.get(*name) {
            match flag(text) {
                Some(wanted) => flags.push((statuses, wanted)),
                None => errors.add(name, "Use 1/true/yes/t or 0/false/no/f."),
            }
        }
    }
    errors.into_result()?;
    let asked = PageRequest::from_query(&query)?;
    let wanted = query
        .get("status")
        .map(|status| status.replace('_', " ").to_ascii_uppercase());
    let store = state.store();
    let study = store
        .study(study_id.map_or("", String::as_str))
        .ok_or_else(|| ApiError::not_found("Study"))?;
    let matching: Vec<Value> = study
        .visible_submissions()
        .filter(|submission| {
            let status = submission.status();
            wanted.as_deref().is_none_or(|wanted| status == wanted)
                && flags
                    .iter()
                    .all(|(statuses, wanted)| statuses.contains(&status) == *wanted)
        })
        .map(crate::model::Submission::short_json)
        .collect();
    Ok(asked.cut(matching)?.results_only())
}

/// The study and position of a visible submission.
fn find(store: &Store, id: &str) -> Option<(usize, usize)> {
    store.studies.iter().enumerate().find_map(|(study, found)| {
        found
            .submissions
            .iter()
            .position(|submission| submission.id == id && submission.exists())
            .map(|index| (study, index))
    })
}

async fn get(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
    let store = state.store();
    let (study, index) = find(&store, &id).ok_or_else(|| ApiError::not_found("Submission"))?;
    let study = &store.studies[study];
    let mut detail = study.submissions[index].detail_json(&study.id);
    detail["parent_study_id"] = Value::Null;
    detail["bonus_payments"] = json!(study.submissions[index].bonus_payments);
    detail["return_requested"] = Value::Null;
    Ok(Json(detail))
}

/// `POST /api/v1/submissions/{id}/transition/`: `APPROVE`, or `REJECT` with a message
/// of at least 100 characters and a category, of a submission awaiting review. A
/// review is final. Other actions concern participants, who are simulated here.
async fn transition(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let (study_index, index) =
        find(&store, &id).ok_or_else(|| ApiError::not_found("Submission"))?;
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let action = fields.required_string("action").unwrap_or_default();
    let review = match action.as_str() {
        "APPROVE" => Some(Review::Approved),
        "REJECT" => {
            let message = fields.optional_string("message").unwrap_or_default();
            if message.chars().count() < 100 {
                fields.error(
                    "message",
                    "A rejection needs a message of at least 100 characters for the participant.",
                );
            }
            match fields.value("rejection_category").and_then(Value::as_str) {
                Some(category) if REJECTION_CATEGORIES.contains(&category) => {}
                _ => fields.error(
                    "rejection_category",
                    format!("Must be one of: {}.", REJECTION_CATEGORIES.join(", ")),
                ),
            }
            Some(Review::Rejected)
        }
        "COMPLETE" | "RETURN" | "START" | "SCREEN_OUT" | "UNREJECT" | "UNRETURN" => None,
        "" => None,
        _ => {
            fields.error(
                "action",
                "Must be one of: APPROVE, COMPLETE, REJECT, RETURN, START, SCREEN_OUT, UNREJECT, UNRETURN.",
            );
            None
        }
    };
    errors.into_result()?;
    let Some(review) = review else {
        return Err(ApiError::bad_request(format!(
            "{action} is a participant's step; in practice the participants are simulated, so only APPROVE and REJECT apply."
        )));
    };
    let crowd = state.crowd_for(&store, &store.studies[study_index]);
    let Store {
        studies,
        workspaces,
        rng,
        ..
    } = &mut *store;
    let study = &mut studies[study_index];
    let status = study.submissions[index].status();
    if status != "AWAITING REVIEW" {
        return Err(ApiError::bad_request(format!(
            "The submission is {status}; only a submission awaiting review can be approved or rejected."
        )));
    }
    match review {
        Review::Approved => {
            if let Some(workspace) = workspaces
                .iter_mut()
                .find(|workspace| workspace.id == study.workspace_id)
            {
                study.approve(index, workspace);
            }
        }
        Review::Rejected => study.submissions[index].review = Some(review),
    }
    if review == Review::Rejected && study.current_stage() == Stage::Active {
        study.recruit(Moment::now(), &crowd, rng);
    }
    Ok(Json(study.submissions[index].detail_json(&study.id)))
}
