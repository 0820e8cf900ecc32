//! Task Builder batches (API-NOTES §4): create, list, read, update, and set up into
//! tasks. Data-collection endpoints have no trailing slash.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::batch_items::{self, ExistingIds, LayoutContext};
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::faults::Injected;
use crate::model::{Batch, BatchSetup, Store, TaskDetails};

const BATCHES: &str = "/api/v1/data-collection/batches";

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Post, BATCHES, StatusCode::CREATED, create_batch),
        route(Verb::Get, BATCHES, StatusCode::OK, list_batches),
        route(
            Verb::Get,
            "/api/v1/data-collection/batches/{batch_id}",
            StatusCode::OK,
            get_batch,
        ),
        route(
            Verb::Patch,
            "/api/v1/data-collection/batches/{batch_id}",
            StatusCode::OK,
            update_batch,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/batches/{batch_id}/status",
            StatusCode::OK,
            get_batch_status,
        ),
        route(
            Verb::Post,
            "/api/v1/data-collection/batches/{batch_id}/setup",
            StatusCode::ACCEPTED,
            setup_batch,
        ),
        route(
            Verb::Post,
            "/api/v1/data-collection/batches/{batch_id}/duplicate",
            StatusCode::CREATED,
            duplicate_batch,
        ),
    ]
}

/// `AITaskBuilderBatch`. The create answer uses the same shape: it holds every field of
/// `AITaskBuilderBatchCreate` and more.
fn batch_json(store: &Store, batch: &Batch) -> Value {
    let plan = batch.finished_plan();
    let datasets: Vec<Value> = batch
        .dataset_id
        .and_then(|id| store.dataset(id))
        .map(|dataset| {
            json!({
                "id": dataset.id,
                "total_datapoint_count": dataset.total_datapoint_count(),
                "filename": dataset.filename().unwrap_or_default(),
            })
        })
        .into_iter()
        .collect();
    let mut answer = json!({
        "id": batch.id,
        "created_at": batch.created_at.timestamp(),
        "created_by": batch.created_by,
        "datasets": datasets,
        "name": batch.name,
        "status": batch.status(),
        "total_task_count": plan.map_or(0, |plan| plan.total_task_count),
        "total_instruction_count": batch.instruction_count(),
        "workspace_id": batch.workspace_id,
        // The batch's schema_version is an integer, unlike the dataset's string.
        "schema_version": 1,
        "task_details": batch.task_details.to_json(),
        "total_task_groups": plan.map_or(0, |plan| plan.total_task_groups),
        "batch_items": batch.batch_items,
    });
    if let Some(enabled) = batch.auto_sync_enabled {
        answer["auto_sync_enabled"] = json!(enabled);
    }
    answer
}

fn batch_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a Batch, ApiError> {
    crate::ids::parse_uuid(id)
        .and_then(|id| store.batch(id))
        .ok_or_else(|| ApiError::not_found("Batch"))
}

/// Reads `task_details`: an object whose three fields are all required.
fn task_details(fields: &mut FieldReader<'_, '_>) -> Option<TaskDetails> {
    let details = fields.optional_object("task_details")?;
    let mut nested = FieldReader::nested(details, "task_details", &mut *fields.errors);
    let task_name = nested.required_string("task_name");
    let task_introduction = nested.required_string("task_introduction");
    let task_steps = nested.required_string("task_steps");
    Some(TaskDetails {
        task_name: task_name?,
        task_introduction: task_introduction?,
        task_steps: task_steps?,
    })
}

/// Reads a `dataset_id` that must name a dataset of the batch's workspace.
fn dataset_id(
    fields: &mut FieldReader<'_, '_>,
    store: &Store,
    workspace_id: Option<&str>,
) -> Option<Uuid> {
    let id = fields.optional_uuid("dataset_id")?;
    match store.dataset(id) {
        None => {
            fields.error("dataset_id", "No dataset with this id.");
            None
        }
        Some(dataset)
            if workspace_id.is_some_and(|workspace| workspace != dataset.workspace_id) =>
        {
            fields.error("dataset_id", "The dataset belongs to another workspace.");
            None
        }
        Some(_) => Some(id),
    }
}

/// What `batch_items` in a body asks for.
enum LayoutChange<'a> {
    Unchanged,
    Clear,
    Replace(&'a [Value]),
}

fn layout_change<'a>(fields: &mut FieldReader<'a, '_>) -> LayoutChange<'a> {
    if !fields.is_present("batch_items") {
        return LayoutChange::Unchanged;
    }
    match fields.value("batch_items") {
        None => LayoutChange::Clear,
        Some(Value::Array(pages)) => LayoutChange::Replace(pages),
        Some(_) => {
            fields.error("batch_items", "Must be a list of pages, or null.");
            LayoutChange::Unchanged
        }
    }
}

fn context_for<'a>(store: &'a Store, dataset_id: Option<Uuid>) -> LayoutContext<'a> {
    LayoutContext {
        dataset_fields: dataset_id
            .and_then(|id| store.dataset(id))
            .and_then(|dataset| dataset.schema_fields()),
        existing: None,
    }
}

/// `POST /batches`: 201 with the batch, 400 for bad fields, 422 for a bad layout.
async fn create_batch(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Response> {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = fields.required_string("name");
    let workspace_id = fields.required_string("workspace_id");
    if let Some(id) = &workspace_id
        && store.workspace(id).is_none()
    {
        fields.error(
            "workspace_id",
            "No workspace with this id is available to you.",
        );
    }
    if fields.value("task_details").is_none() {
        fields.error("task_details", REQUIRED);
    }
    let details = task_details(&mut fields);
    let dataset_id = dataset_id(&mut fields, &store, workspace_id.as_deref());
    let layout = layout_change(&mut fields);
    let auto_sync_enabled = fields.optional_bool("auto_sync_enabled");
    errors.into_result().map_err(IntoResponse::into_response)?;
    let (Some(name), Some(workspace_id), Some(task_details)) = (name, workspace_id, details) else {
        return Err(ApiError::bad_request("The batch could not be read.").into_response());
    };

    // A workspace without layouts (a practice setting) refuses them the way Prolific
    // answers a field it does not take: a 400 whose detail names `batch_items`.
    if matches!(layout, LayoutChange::Replace(_))
        && store
            .workspace(&workspace_id)
            .is_some_and(|workspace| !workspace.batch_layouts)
    {
        return Err(ApiError::bad_request(
            "batch_items is not available for this workspace. Create the batch without it and add instructions instead.",
        )
        .into_response());
    }
    let batch_items = match layout {
        LayoutChange::Replace(pages) => Some(
            batch_items::validate(pages, context_for(&store, dataset_id))
                .map_err(IntoResponse::into_response)?,
        ),
        LayoutChange::Clear | LayoutChange::Unchanged => None,
    };
    let batch = Batch {
        id: crate::ids::task_builder_id(),
        name,
        created_at: Moment::now(),
        created_by: store.researcher.id.clone(),
        workspace_id,
        dataset_id,
        task_details,
        batch_items,
        legacy_instructions: Vec::new(),
        auto_sync_enabled,
        setup: None,
    };
    let answer = batch_json(&store, &batch);
    store.batches.push(batch);
    Ok(Json(answer))
}

/// `GET /batches?workspace_id=…`: `{ results, meta: { count } }`, oldest first, paged
/// (`paging.rs`; the spec lists no paging parameters here, and is silent on whether
/// Prolific pages: the stricter side).
async fn list_batches(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let store = state.store();
    let mut errors = FieldErrors::default();
    match query.get("workspace_id").map(String::as_str) {
        None | Some("") => errors.add("workspace_id", REQUIRED),
        Some(id) if store.workspace(id).is_none() => {
            errors.add(
                "workspace_id",
                "No workspace with this id is available to you.",
            );
        }
        Some(_) => {}
    }
    errors.into_result()?;
    let asked = PageRequest::from_query(&query)?;
    let workspace_id = query
        .get("workspace_id")
        .map(String::as_str)
        .unwrap_or_default();
    let batches: Vec<Value> = store
        .batches
        .iter()
        .filter(|batch| batch.workspace_id == workspace_id)
        .map(|batch| batch_json(&store, batch))
        .collect();
    Ok(asked.cut(batches)?.counted())
}

async fn get_batch(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    let batch = batch_or_404(&store, &batch_id)?;
    Ok(Json(batch_json(&store, batch)))
}

async fn get_batch_status(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    Ok(Json(
        json!({ "status": batch_or_404(&store, &batch_id)?.status() }),
    ))
}

/// `PATCH /batches/{id}`: every field optional. `batch_items` replaces the layout
/// following the id rules (kept ids stay, entries without one are new, left-out ones go);
/// `null` clears it.
async fn update_batch(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Response> {
    let mut store = state.store();
    let batch = batch_or_404(&store, &batch_id)
        .map_err(IntoResponse::into_response)?
        .clone();

    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = fields.optional_string("name");
    let details = task_details(&mut fields);
    let dataset_id = dataset_id(&mut fields, &store, Some(&batch.workspace_id));
    let layout = layout_change(&mut fields);
    let auto_sync_enabled = fields.optional_bool("auto_sync_enabled");
    errors.into_result().map_err(IntoResponse::into_response)?;

    let dataset_after = dataset_id.or(batch.dataset_id);
    let existing = batch
        .batch_items
        .as_deref()
        .map(ExistingIds::of)
        .unwrap_or_default();
    let context = LayoutContext {
        existing: Some(&existing),
        ..context_for(&store, dataset_after)
    };
    let batch_items = match layout {
        LayoutChange::Replace(pages) => {
            Some(batch_items::validate(pages, context).map_err(IntoResponse::into_response)?)
        }
        LayoutChange::Clear => None,
        // A new dataset must still have every field the kept layout shows.
        LayoutChange::Unchanged => match &batch.batch_items {
            Some(pages) if dataset_after != batch.dataset_id => {
                Some(batch_items::validate(pages, context).map_err(IntoResponse::into_response)?)
            }
            other => other.clone(),
        },
    };

    let Some(stored) = crate::ids::parse_uuid(&batch_id).and_then(|id| store.batch_mut(id)) else {
        return Err(ApiError::not_found("Batch").into_response());
    };
    if let Some(name) = name {
        stored.name = name;
    }
    if let Some(details) = details {
        stored.task_details = details;
    }
    stored.dataset_id = dataset_after;
    stored.batch_items = batch_items;
    if auto_sync_enabled.is_some() {
        stored.auto_sync_enabled = auto_sync_enabled;
    }
    let stored = stored.clone();
    Ok(Json(batch_json(&store, &stored)))
}

/// `POST /batches/{id}/duplicate`: a new, unset-up batch with the same details and
/// layout (fresh ids), sharing the dataset unless `upload_new_dataset` is true. The
/// dataset need not be READY.
async fn duplicate_batch(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let original = batch_or_404(&store, &batch_id)?.clone();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = fields.optional_string("name");
    let without_dataset = fields.optional_bool("upload_new_dataset").unwrap_or(false);
    errors.into_result()?;
    let dataset_id = if without_dataset {
        None
    } else {
        original.dataset_id
    };
    // The copy's layout gets ids of its own: validated as new against its dataset.
    let batch_items = match &original.batch_items {
        Some(pages) => {
            let fresh: Vec<Value> = pages.iter().map(without_ids).collect();
            match batch_items::validate(&fresh, context_for(&store, dataset_id)) {
                Ok(pages) => Some(pages),
                // Without its dataset a layout of dataset fields cannot be checked yet
                // (setup checks it against the new one); it still gets its ids.
                Err(_) => Some(batch_items::with_fresh_ids(&fresh)),
            }
        }
        None => None,
    };
    let batch = Batch {
        id: crate::ids::task_builder_id(),
        name: name.unwrap_or_else(|| format!("{} (Copy)", original.name)),
        created_at: Moment::now(),
        created_by: store.researcher.id.clone(),
        workspace_id: original.workspace_id.clone(),
        dataset_id,
        task_details: original.task_details.clone(),
        batch_items,
        legacy_instructions: original
            .legacy_instructions
            .iter()
            .map(|instruction| {
                let mut copy = instruction.clone();
                copy["id"] = json!(crate::ids::task_builder_id());
                copy
            })
            .collect(),
        auto_sync_enabled: original.auto_sync_enabled,
        setup: None,
    };
    let answer = batch_json(&store, &batch);
    store.batches.push(batch);
    Ok(Json(answer))
}

/// A layout entry and its children without their server ids.
fn without_ids(value: &Value) -> Value {
    match value {
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .filter(|(key, _)| key.as_str() != "id")
                .map(|(key, child)| (key.clone(), without_ids(child)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}

/// `POST /batches/{id}/setup`: 202 with `{}`, then `PROCESSING` until the configured
/// delay has passed, then `READY` with the task and group counts.
async fn setup_batch(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    injected: Option<axum::Extension<Injected>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let batch = batch_or_404(&store, &batch_id)?.clone();

    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let dataset_id = dataset_id(&mut fields, &store, Some(&batch.workspace_id));
    let tasks_per_group = match fields.optional_integer("tasks_per_group") {
        None => 1,
        Some(count) => u64::try_from(count)
            .ok()
            .filter(|count| *count >= 1)
            .unwrap_or_else(|| {
                fields.error("tasks_per_group", "Must be a whole number of at least 1.");
                1
            }),
    };
    errors.into_result()?;

    if batch.status() == "PROCESSING" {
        return Err(ApiError::bad_request(
            "The batch is already being set up; wait for its status to be READY.",
        ));
    }
    let Some(dataset_id) = dataset_id.or(batch.dataset_id) else {
        return Err(ApiError::bad_request(
            "The batch has no dataset. Attach one, or send dataset_id with the setup request.",
        ));
    };
    if let Some(pages) = &batch.batch_items
        && Some(dataset_id) != batch.dataset_id
    {
        let existing = ExistingIds::of(pages);
        let context = LayoutContext {
            existing: Some(&existing),
            ..context_for(&store, Some(dataset_id))
        };
        if let Err(invalid) = batch_items::validate(pages, context) {
            return Err(ApiError::bad_request(format!(
                "The batch's layout does not fit this dataset. {}",
                invalid.message()
            )));
        }
    }
    let plan = store
        .dataset(dataset_id)
        .ok_or_else(|| ApiError::bad_request("The batch's dataset no longer exists."))?
        .task_plan(tasks_per_group)
        .map_err(ApiError::bad_request)?;

    let delay = state.processing_delay();
    let stored = store
        .batch_mut(batch.id)
        .ok_or_else(|| ApiError::not_found("Batch"))?;
    stored.dataset_id = Some(dataset_id);
    stored.setup = Some(BatchSetup {
        ready_at: Moment::now().after(delay),
        plan,
        fails: Injected::of(injected).processing_error,
    });
    Ok(Json(Value::Object(Map::new())))
}
