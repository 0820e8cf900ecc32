//! Submissions one at a time (API-NOTES §7.8): listing a study's with Prolific's paging
//! (`paging.rs`: `results` only, all the schema documents) and status filter, reading one, and reviewing one. A rejected submission gives its
//! place back; a new simulated participant takes it (the same task group) while the
//! study is active.
//!
//! Asking a participant to return their submission (`request-return/`, experimental in
//! the spec): Prolific writes them a message from the reasons given; the simulated
//! participant returns it a quarter of a pace later (at once with a pace of zero), is not
//! paid, and the place reopens for someone else as after any return. Where the spec is
//! silent, the stricter side:
//! - at least one reason, none blank;
//! - only a submission still under way (`ACTIVE`) or awaiting review can be asked for;
//!   anything else is a 400 saying why;
//! - asking again answers the first request's `return_requested` and sends no second
//!   message, whatever the reasons and whatever the submission's status since;
//! - while a requested return is pending the submission cannot be approved or rejected
//!   (`transition`, and bulk approval skips it), so a place is never both paid and
//!   reopened.

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
use crate::model::{ReturnRequest, Review, Stage, Store};

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
        route(
            Verb::Post,
            "/api/v1/submissions/{id}/request-return/",
            StatusCode::OK,
            request_return,
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
    detail["return_requested"] = json!(study.submissions[index].return_requested());
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
    // Stricter than the spec says: the participant was asked to return it, and a
    // review now would pay for (or reject) a place that is about to reopen.
    if study.submissions[index].return_pending() {
        return Err(ApiError::bad_request(
            "The participant was asked to return this submission and has not yet; it cannot be reviewed meanwhile.",
        ));
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

/// The reasons of a return request: a list of at least one reason, none blank (the spec
/// requires the list only; the stricter side refuses an empty one and blank reasons).
fn return_reasons(body: &serde_json::Map<String, Value>) -> Result<Vec<String>, ApiError> {
    const FIELD: &str = "request_return_reasons";
    let mut errors = FieldErrors::default();
    let mut reasons = Vec::new();
    match body.get(FIELD) {
        None | Some(Value::Null) => errors.add(FIELD, crate::body::REQUIRED),
        Some(Value::Array(items)) if items.is_empty() => {
            errors.add(FIELD, "Give at least one reason.");
        }
        Some(Value::Array(items)) => {
            for (number, item) in items.iter().enumerate() {
                match item.as_str().map(str::trim) {
                    Some("") => errors.add(FIELD, format!("Reason {} is blank.", number + 1)),
                    Some(reason) => reasons.push(reason.to_owned()),
                    None => errors.add(FIELD, format!("Reason {} is not text.", number + 1)),
                }
            }
        }
        Some(_) => errors.add(FIELD, "Must be a list of reasons."),
    }
    errors.into_result()?;
    Ok(reasons)
}

/// The message Prolific writes to the participant around the reasons (our own words).
fn return_message(study_name: &str, reasons: &[String]) -> String {
    let listed: Vec<String> = reasons.iter().map(|reason| format!("- {reason}")).collect();
    let these = if reasons.len() == 1 {
        "this reason"
    } else {
        "these reasons"
    };
    format!(
        "The researcher of \"{study_name}\" asks you to return your submission, for {these}:\n{}\n\
         If you return it, you are not paid for it and your place goes to someone else.",
        listed.join("\n")
    )
}

/// `ReturnRequestedResponse`.
fn return_json(id: &str, status: &str, participant: &str, requested: Option<String>) -> Value {
    json!({
        "id": id,
        "status": status,
        "participant": participant,
        "return_requested": requested,
    })
}

/// `POST /api/v1/submissions/{id}/request-return/` with `request_return_reasons`: asks
/// the participant to return an active submission or one awaiting review (see the
/// module's notes for the rules). The answer gives the status when asked, which the
/// simulated participant changes to `RETURNED` by the next read with a pace of zero.
async fn request_return(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let (study_index, index) =
        find(&store, &id).ok_or_else(|| ApiError::not_found("Submission"))?;
    let reasons = return_reasons(&body)?;
    let submission = &store.studies[study_index].submissions[index];
    if submission.return_request.is_some() {
        // Asked before: the same moment, and no second message.
        return Ok(Json(return_json(
            &submission.id,
            submission.status(),
            &submission.participant_id,
            submission.return_requested(),
        )));
    }
    let status = submission.status();
    if !matches!(status, "ACTIVE" | "AWAITING REVIEW") {
        return Err(ApiError::bad_request(format!(
            "The submission is {status}; only a submission under way or awaiting review can be asked to be returned."
        )));
    }
    let crowd = state.crowd_for(&store, &store.studies[study_index]);
    let now = Moment::now();
    let study = &mut store.studies[study_index];
    let study_id = study.id.clone();
    let study_name = study
        .fields
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("the study")
        .to_owned();
    let submission = &mut study.submissions[index];
    submission.return_request = Some(ReturnRequest {
        asked_at: now,
        returns_at: now.after(crowd.pace / 4),
        reasons: reasons.clone(),
    });
    let answer = return_json(
        &submission.id,
        status,
        &submission.participant_id,
        submission.return_requested(),
    );
    let participant = submission.participant_id.clone();
    // The place reopens once the participant has returned it.
    if study.current_stage() == Stage::Active {
        let Store { studies, rng, .. } = &mut *store;
        studies[study_index].recruit(now, &crowd, rng);
    }
    super::messages::keep(
        &mut store,
        &[participant],
        &return_message(&study_name, &reasons),
        Some(&study_id),
    );
    Ok(Json(answer))
}
