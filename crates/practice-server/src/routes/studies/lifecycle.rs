//! A study's transitions (API-NOTES §7.6): publish now or at a set time (its cost set
//! aside from the balance), cancel a scheduled publish, pause, start again, stop.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::funds::ensure_affordable;
use super::lookup::{study_json, study_mut_or_404, study_or_404};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{Stage, Store, total_cost};
use crate::routes::audience::group_filter_problems;

/// `POST /api/v1/studies/{id}/transition/` with `{"action": …}` (API-NOTES §7.6).
pub(super) async fn transition_study(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let study = study_or_404(&store, &id)?.clone();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let action = fields.required_string("action");
    let publish_at = fields.optional_string("publish_at");
    if let Some(text) = &publish_at
        && chrono::DateTime::parse_from_rfc3339(text).is_err()
    {
        fields.error("publish_at", "Must be an ISO-8601 date-time.");
    }
    errors.into_result()?;
    let action = action.unwrap_or_default();
    let status = study.status();
    let illegal = || {
        ApiError::bad_request(format!(
            "The study is {status}; the action {action} cannot be applied to it."
        ))
    };
    let next = match (action.as_str(), study.current_stage()) {
        ("PUBLISH", Stage::Unpublished) => Stage::Active,
        ("SCHEDULE_PUBLISH", Stage::Unpublished) => Stage::Scheduled,
        ("CANCEL_PUBLISH", Stage::Scheduled) => Stage::Unpublished,
        ("PAUSE", Stage::Active) if status == "ACTIVE" => Stage::Paused,
        ("START", Stage::Paused) => Stage::Active,
        ("STOP", Stage::Active | Stage::Paused) => Stage::Completed,
        ("PUBLISH" | "SCHEDULE_PUBLISH" | "CANCEL_PUBLISH" | "PAUSE" | "START" | "STOP", _) => {
            return Err(illegal());
        }
        _ => {
            let mut errors = FieldErrors::default();
            errors.add(
                "action",
                "Must be one of: PUBLISH, SCHEDULE_PUBLISH, CANCEL_PUBLISH, PAUSE, START, STOP.",
            );
            return Err(errors.into());
        }
    };

    let now = Moment::now();
    // A scheduled study goes live at `publish_at`, from the body or else the study.
    // Prolific does not say what it does with a moment already past; the practice
    // server refuses it, so a schedule always means "later".
    let goes_live = if next == Stage::Scheduled {
        let text = publish_at
            .clone()
            .or_else(|| {
                study
                    .fields
                    .get("publish_at")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .ok_or_else(|| {
                ApiError::bad_request(
                    "SCHEDULE_PUBLISH needs publish_at, in the body or on the study.",
                )
            })?;
        let at = chrono::DateTime::parse_from_rfc3339(&text)
            .map(|at| Moment::at(at.with_timezone(&chrono::Utc)))
            .map_err(|_| ApiError::bad_request("publish_at must be an ISO-8601 date-time."))?;
        if at.has_passed() {
            return Err(ApiError::bad_request(
                "publish_at must be in the future to schedule publishing; publish now instead.",
            ));
        }
        at
    } else {
        now
    };

    // Scheduling checks and locks the funds as publishing does, so the study cannot
    // fail for want of them when its moment comes.
    let publishing = matches!(next, Stage::Active | Stage::Scheduled) && !study.is_published();
    // The batch may have been set up again since the draft was made: it must be READY
    // now, and the places follow its task groups as they are.
    let mut places = study.places();
    if publishing && let Some(batch_id) = study.batch_id {
        let batch = store
            .batch(batch_id)
            .ok_or_else(|| ApiError::bad_request("The study's batch no longer exists."))?;
        let Some(plan) = batch.finished_plan() else {
            return Err(ApiError::bad_request(format!(
                "The study's batch is {}; it must be READY to publish.",
                batch.status()
            )));
        };
        let annotators = study.fields["data_collection_metadata"]["annotators_per_task"]
            .as_u64()
            .unwrap_or(1);
        places = plan.total_task_groups.saturating_mul(annotators);
    }
    let cost = total_cost(study.reward(), places);
    if publishing {
        // A group named when the draft was made may have been deleted since.
        if let Some(filters) = study.fields.get("filters") {
            let problems = group_filter_problems(filters, &store, &study.workspace_id);
            if !problems.is_empty() {
                let mut errors = FieldErrors::default();
                problems
                    .into_iter()
                    .for_each(|problem| errors.add("filters", problem));
                return Err(errors.into());
            }
        }
        ensure_affordable(&store, &study.workspace_id, cost)?;
    }
    let crowd = state.crowd_for(&store, &study);
    let Store {
        studies,
        workspaces,
        rng,
        ..
    } = &mut *store;
    let stored = study_mut_or_404(studies, &id)?;
    let mut workspace = workspaces
        .iter_mut()
        .find(|workspace| workspace.id == study.workspace_id);
    if publishing {
        stored
            .fields
            .insert("total_available_places".to_owned(), json!(places));
        if let Some(workspace) = workspace.as_deref_mut() {
            workspace.committed += cost;
        }
        stored.committed = cost;
        stored.published_at = Some(goes_live);
    }
    if let Some(publish_at) = publish_at {
        stored
            .fields
            .insert("publish_at".to_owned(), json!(publish_at));
    }
    match next {
        Stage::Active | Stage::Scheduled => {
            stored.recruit(goes_live, &crowd, rng);
        }
        Stage::Paused => stored.stop_recruiting(),
        Stage::Completed => {
            stored.stop_recruiting();
            if let Some(workspace) = workspace {
                stored.release_unused(workspace);
            }
        }
        Stage::Unpublished => {
            // Cancelled before its moment: nobody has come, the funds go back.
            stored.submissions.clear();
            stored.published_at = None;
            if let Some(workspace) = workspace {
                workspace.release(stored.committed);
            }
            stored.committed = 0;
        }
    }
    stored.stage = next;
    let stored = stored.clone();
    Ok(Json(study_json(&store, &stored)))
}
