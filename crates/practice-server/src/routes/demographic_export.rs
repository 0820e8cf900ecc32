//! A study's demographic export (API-NOTES §7.9): who took part, as CSV, and how much of
//! the export's allowance the study has used. The deprecated `GET …/export/` is not
//! served (404), so nothing can come to rely on it.
//!
//! The rules, from the spec's prose, with the stricter reading where it is unclear:
//! - at most [`MOST_FILTERS_PER_EXPORT`] filters in one export;
//! - at most [`MOST_COMBINATIONS`] different filter combinations per study; the same
//!   combination may be downloaded again as often as wanted. Unclear, so stricter: an
//!   export without filters is a combination too, and two lists of the same filters in
//!   another order are two combinations;
//! - a filter must be one the study applied (the export adds "responses to the specified
//!   filters which were applied to the study"); unclear whether others are refused or
//!   ignored, so refused;
//! - unclear for a draft, which nobody has taken: refused.
//!
//! The answer is the CSV itself (`text/csv`). The spec documents the 200 as an empty
//! JSON object, the placeholder it also gives the deprecated export, which answered CSV;
//! its prose says the endpoint downloads "demographic CSV data".

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::JsonBody;
use crate::demographics;
use crate::error::{ApiError, ApiResult};
use crate::model::Study;

/// Prolific's limit on filters in one export.
pub(crate) const MOST_FILTERS_PER_EXPORT: usize = 15;
/// Prolific's limit on different filter combinations per study.
pub(crate) const MOST_COMBINATIONS: usize = 2;

/// The basic columns, in the order of the spec's list of fields (its words, written as
/// Prolific's CSV headers are).
pub(crate) const COLUMNS: &[&str] = &[
    "Submission id",
    "Participant id",
    "Status",
    "Started at",
    "Completed at",
    "Time taken",
    "Age",
    "Sex",
    "Ethnicity simplified",
    "First language",
    "Country of residence",
    "Nationality",
    "Country of birth",
    "Student status",
    "Employment status",
    "Reviewed at",
    "Completion code",
    "Total approvals",
];

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/studies/{id}/demographic-export/",
            StatusCode::OK,
            export,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/demographic-export-history/",
            StatusCode::OK,
            history,
        ),
    ]
}

fn study_mut<'a>(studies: &'a mut [Study], id: &str) -> Result<&'a mut Study, ApiError> {
    studies
        .iter_mut()
        .find(|study| study.id == id)
        .ok_or_else(|| ApiError::not_found("Study"))
}

/// `POST /api/v1/studies/{id}/demographic-export/` with `{filters?}`.
async fn export(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let filters = match body.get("filters") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(filters)) => filters.clone(),
        Some(_) => return Err(ApiError::bad_request("filters must be a list of filters.")),
    };
    if filters.len() > MOST_FILTERS_PER_EXPORT {
        return Err(ApiError::bad_request(format!(
            "You may select up to {MOST_FILTERS_PER_EXPORT} filters per export."
        )));
    }
    let mut store = state.store();
    let study = study_mut(&mut store.studies, &id)?;
    if !study.is_published() {
        return Err(ApiError::bad_request(
            "This study has not been published, so nobody has taken part yet.",
        ));
    }
    let applied = study.fields.get("filters").cloned().unwrap_or(json!([]));
    let applied: Vec<&str> = applied
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|filter| filter["filter_id"].as_str())
        .collect();
    if let Some(unknown) = filters
        .iter()
        .filter_map(|filter| filter["filter_id"].as_str())
        .find(|filter_id| !applied.contains(filter_id))
    {
        return Err(ApiError::bad_request(format!(
            "The filter {unknown} was not applied to this study."
        )));
    }
    let combination = Value::Array(filters.clone());
    let usage = &mut study.demographic_exports;
    if !usage.combinations.contains(&combination) {
        if usage.combinations.len() >= MOST_COMBINATIONS {
            return Err(ApiError::bad_request(format!(
                "You are limited to {MOST_COMBINATIONS} different filter export requests for this study."
            )));
        }
        usage.combinations.push(combination.clone());
    }
    usage.latest = combination;
    let csv = csv_of(study, state.seed, &filters).map_err(|error| {
        ApiError::bad_request(format!("The export could not be written: {error}"))
    })?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}

/// Everyone who has taken a place, one row each, with a column per filter asked for.
fn csv_of(study: &Study, seed: u64, filters: &[Value]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let filter_ids: Vec<&str> = filters
        .iter()
        .filter_map(|filter| filter["filter_id"].as_str())
        .collect();
    writer.write_record(COLUMNS.iter().copied().chain(filter_ids.iter().copied()))?;
    for submission in study.visible_submissions() {
        let detail = submission.detail_json(&study.id);
        let text = |field: &str| match &detail[field] {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let person = demographics::of(seed, &submission.participant_id);
        let basic = [
            text("id"),
            text("participant"),
            text("status"),
            text("started_at"),
            text("completed_at"),
            text("time_taken"),
            person.age,
            person.sex.to_owned(),
            person.ethnicity.to_owned(),
            person.first_language.to_owned(),
            person.country_of_residence.to_owned(),
            person.nationality.to_owned(),
            person.country_of_birth.to_owned(),
            person.student_status.to_owned(),
            person.employment_status.to_owned(),
            String::new(),
            text("entered_code"),
            person.total_approvals.to_string(),
        ];
        // Whoever took part passed the study's filters: their answer is what was allowed.
        let answers = filters.iter().map(filter_answer);
        writer.write_record(basic.into_iter().chain(answers))?;
    }
    let bytes = writer.into_inner().map_err(|error| error.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn filter_answer(filter: &Value) -> String {
    if let Some(values) = filter["selected_values"].as_array() {
        return values
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; ");
    }
    if let Some(range) = filter["selected_range"].as_object() {
        return range
            .get("lower")
            .map(ToString::to_string)
            .unwrap_or_default();
    }
    String::new()
}

/// `GET /api/v1/studies/{id}/demographic-export-history/`.
async fn history(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
    let store = state.store();
    let study = store
        .study(&id)
        .ok_or_else(|| ApiError::not_found("Study"))?;
    let usage = &study.demographic_exports;
    let latest = match &usage.latest {
        Value::Array(filters) => filters.clone(),
        _ => Vec::new(),
    };
    Ok(axum::Json(json!({
        "count": usage.combinations.len(),
        "filters": latest,
    })))
}
