//! A study's submissions (listed and counted) and their bulk approval.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::lookup::study_or_404;
use crate::ServerState;
use crate::body::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::model::Store;
use crate::routes::paging::PageRequest;

/// `GET /api/v1/studies/{id}/submissions/`: oldest first, paged, `results` only.
pub(super) async fn list_submissions(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let store = state.store();
    let study = study_or_404(&store, &id)?;
    let submissions: Vec<Value> = study
        .visible_submissions()
        .map(crate::model::Submission::short_json)
        .collect();
    Ok(asked.cut(submissions)?.results_only())
}

pub(super) async fn count_submissions(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> ApiResult {
    let store = state.store();
    Ok(Json(study_or_404(&store, &id)?.counts_json()))
}

/// The most ids one bulk approval takes here (the spec's recommended maximum).
const MOST_IDS_PER_BULK_APPROVE: usize = 1000;

/// `POST /api/v1/submissions/bulk-approve/` with `{submission_ids}` or
/// `{study_id, participant_ids}`. Only submissions awaiting review can be approved; the
/// answer is a plain JSON string, as the spec has it.
pub(super) async fn bulk_approve(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let ids = |field: &str| -> Option<Vec<String>> {
        body.get(field)?
            .as_array()?
            .iter()
            .map(|id| id.as_str().map(str::to_owned))
            .collect()
    };
    let (study_filter, submission_ids, participant_ids) = match (
        ids("submission_ids"),
        body.get("study_id").and_then(Value::as_str),
        ids("participant_ids"),
    ) {
        (Some(submissions), None, None) => (None, Some(submissions), None),
        (None, Some(study), Some(participants)) => {
            (Some(study.to_owned()), None, Some(participants))
        }
        _ => {
            return Err(ApiError::bad_request(
                "Send either submission_ids (a list of ids), or study_id with participant_ids.",
            ));
        }
    };
    // The spec recommends at most about 1,000 ids a request; the stricter reading
    // refuses more, so a client must send a large study's approvals in parts.
    let count = submission_ids
        .as_ref()
        .or(participant_ids.as_ref())
        .map_or(0, Vec::len);
    if count > MOST_IDS_PER_BULK_APPROVE {
        return Err(ApiError::bad_request(format!(
            "Send at most {MOST_IDS_PER_BULK_APPROVE} ids in one request ({count} were sent)."
        )));
    }
    if let Some(study) = &study_filter {
        study_or_404(&store, study)?;
    }
    let wanted: Vec<String> = submission_ids
        .clone()
        .or(participant_ids.clone())
        .unwrap_or_default();
    // Find them all first: an unknown id refuses the request and changes nothing.
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for id in &wanted {
        let place = store
            .studies
            .iter()
            .enumerate()
            .find_map(|(study_index, study)| {
                if study_filter
                    .as_ref()
                    .is_some_and(|wanted| &study.id != wanted)
                {
                    return None;
                }
                study
                    .submissions
                    .iter()
                    .position(|submission| {
                        submission.exists()
                            && if submission_ids.is_some() {
                                &submission.id == id
                            } else {
                                &submission.participant_id == id
                            }
                    })
                    .map(|index| (study_index, index))
            });
        match place {
            Some(place) => found.push(place),
            None => unknown.push(id.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Unknown submissions: {}.",
            unknown.join(", ")
        )));
    }
    let Store {
        studies,
        workspaces,
        ..
    } = &mut *store;
    let mut approved = 0;
    for (study_index, index) in found {
        let study = &mut studies[study_index];
        if let Some(workspace) = workspaces
            .iter_mut()
            .find(|workspace| workspace.id == study.workspace_id)
            && study.approve(index, workspace)
        {
            approved += 1;
        }
    }
    Ok(Json(json!(format!(
        "The request to bulk approve has been made successfully ({approved} submissions)."
    ))))
}
