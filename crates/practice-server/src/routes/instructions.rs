//! The deprecated batch instructions endpoints (API-NOTES §5), for batches made without
//! `batch_items`. Every answer, refusals included, carries `Deprecation: true` and the
//! `Sunset` date so clients can warn; a batch with a layout answers 422, and a batch
//! that has been set up takes no more edits.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::JsonBody;
use crate::clock::Moment;
use crate::error::{ApiError, FieldErrors};
use crate::model::Batch;

const PATH: &str = "/api/v1/data-collection/batches/{batch_id}/instructions";
const SUNSET: &str = "Tue, 01 Sep 2026 23:59:59 GMT";

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Get, PATH, StatusCode::OK, get_instructions),
        route(Verb::Post, PATH, StatusCode::CREATED, add_instructions),
        route(Verb::Put, PATH, StatusCode::OK, replace_instructions),
    ]
}

/// Adds the deprecation headers to any answer.
fn deprecated(answer: Result<Json<Value>, ApiError>) -> Response {
    let mut response = answer.into_response();
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("deprecation"),
        HeaderValue::from_static("true"),
    );
    headers.insert(
        HeaderName::from_static("sunset"),
        HeaderValue::from_static(SUNSET),
    );
    response
}

fn unprocessable(detail: &str) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        error_code: 140_422,
        title: "Unprocessable entity",
        detail: json!(detail),
    }
}

/// The batch, if it can take legacy instructions at all.
fn legacy_batch(state: &ServerState, batch_id: &str) -> Result<Batch, ApiError> {
    let store = state.store();
    let batch = crate::ids::parse_uuid(batch_id)
        .and_then(|id| store.batch(id))
        .ok_or_else(|| ApiError::not_found("Batch"))?;
    if batch.batch_items.is_some() {
        return Err(unprocessable(
            "This batch uses batch_items; its instructions are part of the layout. Change them with PATCH /batches/{batch_id}.",
        ));
    }
    Ok(batch.clone())
}

async fn get_instructions(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> Response {
    deprecated(legacy_batch(&state, &batch_id).map(|batch| {
        let count = batch.legacy_instructions.len();
        Json(json!({"results": batch.legacy_instructions, "meta": {"count": count}}))
    }))
}

async fn add_instructions(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    body: Result<JsonBody, ApiError>,
) -> Response {
    deprecated(write(&state, &batch_id, body, false))
}

async fn replace_instructions(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    body: Result<JsonBody, ApiError>,
) -> Response {
    deprecated(write(&state, &batch_id, body, true))
}

/// POST appends; PUT replaces, keeping (by `id`) the instructions it names.
fn write(
    state: &ServerState,
    batch_id: &str,
    body: Result<JsonBody, ApiError>,
    replace: bool,
) -> Result<Json<Value>, ApiError> {
    let batch = legacy_batch(state, batch_id)?;
    let JsonBody(body) = body?;
    if batch.setup.is_some() {
        return Err(ApiError::bad_request(format!(
            "The batch has been set up ({}); its instructions can no longer change.",
            batch.status()
        )));
    }
    let Some(items) = body.get("instructions").and_then(Value::as_array) else {
        let mut errors = FieldErrors::default();
        errors.add("instructions", "A list of instructions is required.");
        return Err(errors.into());
    };
    let mut errors = FieldErrors::default();
    let mut made = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let prefix = format!("instructions.{index}");
        let Some(item) = item.as_object() else {
            errors.add(&prefix, "Must be a JSON object.");
            continue;
        };
        check(item, &prefix, &mut errors);
        let kept = item.get("id").and_then(Value::as_str).and_then(|id| {
            batch
                .legacy_instructions
                .iter()
                .find(|existing| existing["id"] == id)
        });
        if replace && item.contains_key("id") && kept.is_none() {
            errors.add(
                &format!("{prefix}.id"),
                "No instruction with this id on the batch.",
            );
        }
        made.push(stored(item, kept, &state.researcher.id, batch.id));
    }
    if made.is_empty() {
        errors.add("instructions", "At least one instruction is required.");
    }
    errors.into_result()?;
    let mut store = state.store();
    let Some(stored_batch) = store.batch_mut(batch.id) else {
        return Err(ApiError::not_found("Batch"));
    };
    if replace {
        stored_batch.legacy_instructions.clone_from(&made);
    } else {
        stored_batch
            .legacy_instructions
            .extend(made.iter().cloned());
    }
    Ok(Json(Value::Array(made)))
}

/// The rules of the request schema and docs: a known type and a description; choices
/// need an answer limit and options (with a heading each when they take free text);
/// units need options and a position.
fn check(item: &Map<String, Value>, prefix: &str, errors: &mut FieldErrors) {
    let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
    if !matches!(
        kind,
        "multiple_choice"
            | "free_text"
            | "free_text_with_unit"
            | "multiple_choice_with_free_text"
            | "file_upload"
    ) {
        errors.add(
            &format!("{prefix}.type"),
            "Must be one of: multiple_choice, free_text, free_text_with_unit, multiple_choice_with_free_text, file_upload.",
        );
    }
    if item
        .get("description")
        .and_then(Value::as_str)
        .is_none_or(|text| text.trim().is_empty())
    {
        errors.add(&format!("{prefix}.description"), "This field is required.");
    }
    if kind.starts_with("multiple_choice") {
        if !item.get("answer_limit").is_some_and(Value::is_i64) {
            errors.add(
                &format!("{prefix}.answer_limit"),
                "A valid integer is required.",
            );
        }
        match item.get("options").and_then(Value::as_array) {
            Some(options) if !options.is_empty() => {
                if kind == "multiple_choice_with_free_text"
                    && options.iter().any(|option| !option["heading"].is_string())
                {
                    errors.add(
                        &format!("{prefix}.options"),
                        "Every option of a multiple_choice_with_free_text needs a heading.",
                    );
                }
            }
            _ => errors.add(
                &format!("{prefix}.options"),
                "At least one option is required.",
            ),
        }
    }
    if kind == "free_text_with_unit" {
        if item
            .get("unit_options")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            errors.add(
                &format!("{prefix}.unit_options"),
                "At least one unit is required.",
            );
        }
        if !item.get("unit_position").is_some_and(Value::is_string) {
            errors.add(
                &format!("{prefix}.unit_position"),
                "This field is required.",
            );
        }
    }
}

/// An instruction as answered: the request's fields plus its server fields, keeping
/// the id and creation of one it replaces.
fn stored(
    item: &Map<String, Value>,
    kept: Option<&Value>,
    researcher: &str,
    batch: uuid::Uuid,
) -> Value {
    let mut instruction = Value::Object(item.clone());
    instruction["id"] = kept.map_or_else(
        || json!(crate::ids::task_builder_id()),
        |kept| kept["id"].clone(),
    );
    instruction["created_at"] = kept.map_or_else(
        || json!(Moment::now().timestamp()),
        |kept| kept["created_at"].clone(),
    );
    instruction["parent_id"] = json!(batch);
    instruction["parent_type"] = json!("batch");
    if !instruction["created_by"].is_string() {
        instruction["created_by"] = json!(researcher);
    }
    instruction
}
