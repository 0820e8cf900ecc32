//! `POST /api/v1/studies/`: a draft study on a batch set up into tasks.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};

use super::fields::{
    annotators_per_task, check_group_filters, check_optional_types, completion_codes, with_defaults,
};
use super::lookup::study_json;
use crate::ServerState;
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{DemographicExports, Stage, Store, Study};

const BATCH_METHOD: &str = "AI_TASK_BUILDER_BATCH";

/// `POST /api/v1/studies/`: a draft (`UNPUBLISHED`) study.
pub(super) async fn create_study(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    fields.required_string("name");
    fields.required_string("description");
    fields.one_of(
        "prolific_id_option",
        &["question", "url_parameters", "not_required"],
        true,
    );
    match fields.value("estimated_completion_time").map(Value::as_f64) {
        None => fields.error("estimated_completion_time", REQUIRED),
        Some(Some(minutes)) if minutes >= 1.0 => {}
        Some(_) => fields.error(
            "estimated_completion_time",
            "Must be a number of minutes, at least 1.",
        ),
    }
    let reward = fields.required_whole("reward", 0);
    check_optional_types(&mut fields);
    if fields.is_present("filters") && fields.value("filter_set_id").is_some() {
        fields.error(
            "filter_set_id",
            "Use either filters or filter_set_id, not both.",
        );
    }

    // The project decides the workspace (and so the balance that pays).
    let project = match fields.optional_string("project") {
        Some(id) => {
            let project = store.projects.iter().find(|project| project.id == id);
            if project.is_none() {
                fields.error("project", "No project with this id.");
            }
            project
        }
        None => store.projects.first(),
    };
    let workspace_id = project.map(|project| project.workspace_id.clone());
    let project_id = project.map(|project| project.id.clone());
    if let Some(workspace_id) = &workspace_id {
        check_group_filters(&mut fields, &store, workspace_id);
    }

    let method = fields
        .value("data_collection_method")
        .and_then(Value::as_str);
    let mut places = None;
    let mut batch_id = None;
    let mut annotators = None;
    match method {
        Some(BATCH_METHOD) => {
            // The spec: the method excludes both an external URL and access details.
            for field in ["external_study_url", "access_details"] {
                if fields.value(field).is_some() {
                    fields.error(
                        field,
                        "A Task Builder study has no external URL or access details; leave it out.",
                    );
                }
            }
            let per_task = annotators_per_task(&mut fields);
            annotators = Some(per_task);
            if let Some(workspace_id) = &workspace_id
                && let Some((id, groups)) = batch_groups(&mut fields, &store, workspace_id)
            {
                batch_id = Some(id);
                // Places are worked out from the batch; a value sent is not used.
                places = Some(groups.saturating_mul(per_task));
            }
        }
        Some("AI_TASK_BUILDER_COLLECTION") => fields.error(
            "data_collection_method",
            "The practice server runs batch studies only (AI_TASK_BUILDER_BATCH).",
        ),
        Some(_) => fields.error(
            "data_collection_method",
            "Must be one of: AI_TASK_BUILDER_BATCH, AI_TASK_BUILDER_COLLECTION.",
        ),
        None => {
            if fields.value("external_study_url").is_none() {
                fields.error("external_study_url", REQUIRED);
            }
            places = fields
                .required_whole("total_available_places", 1)
                .and_then(|places| u64::try_from(places).ok());
        }
    }
    let code = format!("C{:07X}", store.rng.next_u64() >> 36);
    let codes = completion_codes(&mut fields, code);
    errors.into_result()?;
    let (Some(workspace_id), Some(project_id), Some(places), Some(reward)) =
        (workspace_id, project_id, places, reward)
    else {
        return Err(ApiError::bad_request("The study could not be created."));
    };

    let id = crate::ids::object_id();
    let mut accepted: Map<String, Value> = body;
    accepted.insert("project".to_owned(), json!(project_id));
    accepted.insert("reward".to_owned(), json!(reward));
    accepted.insert("total_available_places".to_owned(), json!(places));
    accepted.insert("completion_codes".to_owned(), codes);
    if let Some(batch_id) = batch_id {
        accepted.insert(
            "data_collection_metadata".to_owned(),
            json!({"annotators_per_task": annotators.unwrap_or(1)}),
        );
        // Participants open Task Builder itself; the spec's Study still has the field.
        accepted.insert(
            "external_study_url".to_owned(),
            json!(format!(
                "{}/practice-task-builder/{batch_id}",
                state.base_url
            )),
        );
    }
    with_defaults(&mut accepted);
    let study = Study {
        id,
        fields: accepted,
        workspace_id,
        batch_id,
        stage: Stage::Unpublished,
        date_created: Moment::now(),
        published_at: None,
        committed: 0,
        submissions: Vec::new(),
        demographic_exports: DemographicExports::default(),
    };
    let answer = study_json(&store, &study);
    store.studies.push(study);
    Ok(Json(answer))
}

/// The batch a study points at, which must be `READY`, and its task groups.
fn batch_groups(
    fields: &mut FieldReader<'_, '_>,
    store: &Store,
    workspace_id: &str,
) -> Option<(uuid::Uuid, u64)> {
    let id = fields.optional_uuid("data_collection_id");
    if !fields.is_present("data_collection_id") {
        fields.error("data_collection_id", REQUIRED);
    }
    let batch = store.batch(id?);
    let Some(batch) = batch.filter(|batch| batch.workspace_id == workspace_id) else {
        fields.error(
            "data_collection_id",
            "No batch with this id in the study's workspace.",
        );
        return None;
    };
    let Some(plan) = batch.finished_plan() else {
        fields.error(
            "data_collection_id",
            format!(
                "The batch is {}; it must be READY (set up into tasks) before a study can use it.",
                batch.status()
            ),
        );
        return None;
    };
    Some((batch.id, plan.total_task_groups))
}
