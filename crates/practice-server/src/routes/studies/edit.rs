//! Changing a study (anything on a draft; after publishing a few fields, places only
//! upwards, paid for from the balance) and deleting a draft.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::json;

use super::fields::{
    annotators_per_task, check_group_filters, check_optional_types, completion_codes, with_defaults,
};
use super::funds::ensure_affordable;
use super::lookup::{study_json, study_mut_or_404, study_or_404};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{Stage, Store, total_cost};

/// Fields that can change once a study is published (API-NOTES §7.4).
const AFTER_PUBLISH: &[&str] = &[
    "internal_name",
    "total_available_places",
    "access_details",
    "data_collection_metadata",
    "submissions_config",
];

/// `PATCH /api/v1/studies/{id}/`: anything on a draft; after publishing only a few
/// fields, and places (directly, or through `annotators_per_task`) only upwards.
pub(super) async fn update_study(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let study = study_or_404(&store, &id)?.clone();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    for field in ["id", "status"] {
        if fields.is_present(field) {
            fields.error(field, "This field is read only.");
        }
    }
    if study.is_published() {
        for field in body.keys() {
            if !AFTER_PUBLISH.contains(&field.as_str())
                && !["id", "status"].contains(&field.as_str())
            {
                fields.error(
                    field,
                    "This field cannot be changed once the study is published.",
                );
            }
        }
    }
    if fields.is_present("reward") {
        fields.required_whole("reward", 0);
    }
    for field in ["name", "description"] {
        if fields.is_present(field) {
            fields.required_string(field);
        }
    }
    if fields.is_present("prolific_id_option") {
        fields.one_of(
            "prolific_id_option",
            &["question", "url_parameters", "not_required"],
            true,
        );
    }
    if let Some(minutes) = fields.value("estimated_completion_time")
        && !minutes.as_f64().is_some_and(|minutes| minutes >= 1.0)
    {
        fields.error(
            "estimated_completion_time",
            "Must be a number of minutes, at least 1.",
        );
    }
    if fields.is_present("completion_codes") {
        completion_codes(&mut fields, String::new());
    }
    // What the study runs on is chosen at creation: a draft that should run another
    // batch is a new study.
    for field in ["data_collection_method", "data_collection_id", "project"] {
        if fields.is_present(field) && fields.value(field) != study.fields.get(field) {
            fields.error(
                field,
                "This cannot be changed; create another study instead.",
            );
        }
    }
    check_optional_types(&mut fields);
    check_group_filters(&mut fields, &store, &study.workspace_id);
    let groups = study.batch_id.map(|batch| total_groups(&store, batch));
    let current_annotators = study.fields["data_collection_metadata"]["annotators_per_task"]
        .as_u64()
        .unwrap_or(1);
    let mut places = study.places();
    if fields.is_present("data_collection_metadata") {
        let annotators = annotators_per_task(&mut fields);
        if study.is_published() && annotators < current_annotators {
            fields.error(
                "data_collection_metadata.annotators_per_task",
                "Once the study is published this can only be increased.",
            );
        }
        if let Some(groups) = groups {
            places = groups.saturating_mul(annotators);
        }
    }
    if fields.is_present("total_available_places") {
        match fields.required_whole("total_available_places", 1)
            .and_then(|places| u64::try_from(places).ok())
        {
            Some(wanted) if groups.is_some() && wanted != places => fields.error(
                "total_available_places",
                "A Task Builder study's places are its task groups × annotators_per_task; change annotators_per_task instead.",
            ),
            Some(wanted) if study.is_published() && wanted < study.places() => fields.error(
                "total_available_places",
                "Once the study is published places can only be increased.",
            ),
            Some(wanted) => places = wanted,
            None => {}
        }
    }
    errors.into_result()?;

    let added_cost =
        total_cost(study.reward(), places) - total_cost(study.reward(), study.places());
    if study.is_published() && added_cost > 0 {
        ensure_affordable(&store, &study.workspace_id, added_cost)?;
    }
    let crowd = state.crowd_for(&store, &study);
    let Store {
        studies,
        workspaces,
        rng,
        ..
    } = &mut *store;
    let stored = study_mut_or_404(studies, &id)?;
    for (field, value) in body {
        stored.fields.insert(field, value);
    }
    with_defaults(&mut stored.fields);
    stored
        .fields
        .insert("total_available_places".to_owned(), json!(places));
    if study.is_published() && added_cost > 0 {
        if let Some(workspace) = workspaces
            .iter_mut()
            .find(|workspace| workspace.id == study.workspace_id)
        {
            workspace.committed += added_cost;
        }
        stored.committed += added_cost;
        // More places reopen a completed study and recruit for them.
        if stored.stage == Stage::Completed {
            stored.stage = Stage::Active;
        }
        if matches!(stored.current_stage(), Stage::Active | Stage::Scheduled) {
            stored.recruit(Moment::now(), &crowd, rng);
        }
    }
    let stored = stored.clone();
    Ok(Json(study_json(&store, &stored)))
}

fn total_groups(store: &Store, batch_id: uuid::Uuid) -> u64 {
    store
        .batch(batch_id)
        .and_then(crate::model::Batch::finished_plan)
        .map_or(1, |plan| plan.total_task_groups)
}

/// `DELETE /api/v1/studies/{id}/`: drafts only.
pub(super) async fn delete_study(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> ApiResult {
    let mut store = state.store();
    let study = study_or_404(&store, &id)?;
    if study.stage != Stage::Unpublished {
        return Err(ApiError::bad_request(format!(
            "Only unpublished studies can be deleted; this one is {}.",
            study.status()
        )));
    }
    store.studies.retain(|study| study.id != id);
    Ok(Json(json!({})))
}
