//! Who a study can reach, before it is published: the filters offered (Prolific's
//! standard ones and a workspace's participant groups), saved filter sets, the
//! eligibility count, and what makes a filter well formed, which a study's own filters
//! are checked against too. Classic endpoints, so every path ends with a slash.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{JsonBody, REQUIRED};
use crate::crowd::{ALLOWLIST_FILTER, BLOCKLIST_FILTER, POOL_SIZE, group_filters};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::Store;

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/eligibility-count/",
            StatusCode::OK,
            eligibility_count,
        ),
        route(Verb::Get, "/api/v1/filters/", StatusCode::OK, list_filters),
        route(
            Verb::Get,
            "/api/v1/filter-sets/",
            StatusCode::OK,
            list_filter_sets,
        ),
    ]
}

/// `POST /api/v1/eligibility-count/`: each select filter keeps a share of the pool per
/// value chosen and each range filter a share per year (age) or unit; a participant
/// group allowlist keeps the groups' members, a blocklist all but them. Counts under 25
/// read 0, as Prolific hides them. Group filters need the `workspace_id` their groups
/// belong to (the stricter reading: the spec does not say how groups are found
/// without it).
async fn eligibility_count(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let store = state.store();
    let mut errors = FieldErrors::default();
    let filters = match body.get("filters") {
        None => {
            errors.add("filters", REQUIRED);
            None
        }
        Some(Value::Array(filters)) if filters.iter().all(is_filter) => Some(filters.clone()),
        Some(Value::Array(_)) => {
            errors.add(
                "filters",
                "Each filter needs a filter_id and selected_values, selected_range or selected_filters.",
            );
            None
        }
        Some(_) => {
            errors.add("filters", "Expected a list of items.");
            None
        }
    };
    let workspace_id = body.get("workspace_id").and_then(Value::as_str);
    if let Some(filters) = &filters {
        let filters = Value::Array(filters.clone());
        if !group_filters(&filters).is_empty() {
            match workspace_id {
                Some(workspace_id) => {
                    for problem in group_filter_problems(&filters, &store, workspace_id) {
                        errors.add("filters", problem);
                    }
                }
                None => errors.add(
                    "workspace_id",
                    "Participant group filters need the workspace their groups are in.",
                ),
            }
        }
    }
    errors.into_result()?;
    let members = |filter: &Value| -> f64 {
        let named: Vec<&str> = filter["selected_values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let people: std::collections::HashSet<&str> = store
            .participant_groups
            .iter()
            .filter(|group| named.contains(&group.id.as_str()))
            .flat_map(|group| group.members.iter())
            .map(|member| member.participant_id.as_str())
            .collect();
        people.len() as f64
    };
    let mut count = POOL_SIZE as f64;
    for filter in filters.unwrap_or_default() {
        match filter["filter_id"].as_str() {
            Some(ALLOWLIST_FILTER) => count *= (members(&filter) / POOL_SIZE as f64).min(1.0),
            Some(BLOCKLIST_FILTER) => count *= 1.0 - (members(&filter) / POOL_SIZE as f64).min(1.0),
            _ => {
                if let Some(values) = filter["selected_values"].as_array() {
                    count *= (values.len() as f64 * 0.15).min(1.0);
                } else if let Some(range) = filter["selected_range"].as_object() {
                    let lower = range.get("lower").and_then(Value::as_f64).unwrap_or(18.0);
                    let upper = range.get("upper").and_then(Value::as_f64).unwrap_or(100.0);
                    count *= ((upper - lower).max(0.0) / 82.0).min(1.0);
                }
            }
        }
    }
    // Rounded, so that an allowlist of n people counts n.
    let count = count.round() as u64;
    Ok(Json(json!({ "count": if count < 25 { 0 } else { count } })))
}

/// A select, range or composite (`and`/`or`) filter, as `SelectFilter`, `RangeFilter`
/// and `CompositeFilter` have them.
pub(super) fn is_filter(filter: &Value) -> bool {
    let Some(id) = filter["filter_id"].as_str() else {
        return false;
    };
    if let Some(children) = filter["selected_filters"].as_array() {
        return matches!(id, "and" | "or") && children.iter().all(is_filter);
    }
    filter["selected_values"]
        .as_array()
        .is_some_and(|values| values.iter().all(Value::is_string))
        || filter["selected_range"].as_object().is_some_and(|range| {
            // The spec: a range has at least one bound that is given and not null.
            range
                .values()
                .all(|bound| bound.is_null() || bound.is_number() || bound.is_string())
                && range.values().any(|bound| !bound.is_null())
        })
}

/// The problems of the participant-group filters among `filters` (inside `and`/`or`
/// too): each is a select filter naming at least one group, and every group it names is
/// a live group of `workspace_id`.
pub(super) fn group_filter_problems(
    filters: &Value,
    store: &Store,
    workspace_id: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for filter in group_filters(filters) {
        let id = filter["filter_id"].as_str().unwrap_or_default();
        let Some(values) = filter["selected_values"].as_array() else {
            problems.push(format!(
                "{id} is a select filter: give the groups in selected_values."
            ));
            continue;
        };
        if values.is_empty() {
            problems.push(format!("{id} needs at least one participant group."));
        }
        for value in values {
            let group_id = value.as_str().unwrap_or_default();
            let usable = store
                .participant_group(group_id)
                .is_some_and(|group| group.is_live() && group.workspace_id == workspace_id);
            if !usable {
                problems.push(format!(
                    "{id}: there is no participant group {group_id} in this workspace (it may have been deleted)."
                ));
            }
        }
    }
    problems
}

/// `GET /api/v1/filters/`: a few of Prolific's standard filters, and with a
/// `workspace_id` the participant-group filters; paged; the one list whose schema
/// documents `_links` and `meta`.
async fn list_filters(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let filters = vec![
        json!({"filter_id": "age", "title": "Age", "description": "Participants' age in years.",
         "type": "range", "question": "What is your date of birth?", "data_type": "integer",
         "min": 18, "max": 100}),
        json!({"filter_id": "sex", "title": "Sex", "description": "Participants' sex, as they gave it.",
         "type": "select", "question": "What is your sex, as recorded on legal/official documents?",
         "choices": {"0": "Male", "1": "Female"}, "data_type": "ChoiceID"}),
        json!({"filter_id": "current-country-of-residence", "title": "Current country of residence",
         "description": "Where participants live now.", "type": "select",
         "question": "In which country do you currently reside?",
         "choices": {"0": "United Kingdom", "1": "United States", "2": "Canada"},
         "data_type": "ChoiceID"}),
        json!({"filter_id": "fluent-languages", "title": "Fluent languages",
         "description": "Languages participants are fluent in.", "type": "select",
         "question": "Which of the following languages are you fluent in?",
         "choices": {"0": "English", "1": "French", "2": "German", "3": "Spanish"},
         "data_type": "ChoiceID"}),
    ];
    let mut filters = filters;
    if let Some(workspace_id) = query.get("workspace_id") {
        filters.extend(participant_group_filters(&state, workspace_id)?);
    }
    let here = format!("{}/api/v1/filters/", state.base_url);
    Ok(asked.cut(filters)?.linked(&here, &query))
}

/// The allowlist and blocklist filters of a workspace's participant groups: select
/// filters whose choices are its groups not deleted (id → name). Only listed for a
/// `workspace_id`, which the spec says supplies the groups (the stricter side: without
/// it a client cannot see them). Their ids are our reading (see `crowd`).
fn participant_group_filters(
    state: &ServerState,
    workspace_id: &str,
) -> Result<Vec<Value>, ApiError> {
    let store = state.store();
    if store.workspace(workspace_id).is_none() {
        let mut errors = FieldErrors::default();
        errors.add("workspace_id", "No workspace of yours has this id.");
        return Err(errors.into());
    }
    let choices: Map<String, Value> = store
        .participant_groups
        .iter()
        .filter(|group| group.is_live() && group.workspace_id == workspace_id)
        .map(|group| (group.id.clone(), json!(group.name)))
        .collect();
    Ok(vec![
        json!({"filter_id": ALLOWLIST_FILTER, "title": "Participant group allowlist",
         "description": "Only members of the chosen participant groups can take part.",
         "type": "select", "choices": choices, "data_type": "ParticipantGroupID"}),
        json!({"filter_id": BLOCKLIST_FILTER, "title": "Participant group blocklist",
         "description": "Members of the chosen participant groups cannot take part.",
         "type": "select", "choices": choices, "data_type": "ParticipantGroupID"}),
    ])
}

/// `GET /api/v1/filter-sets/`: the practice workspace has none saved. Paged like any
/// list; `results` only, all its schema documents.
async fn list_filter_sets(Query(query): Query<HashMap<String, String>>) -> ApiResult {
    Ok(PageRequest::from_query(&query)?
        .cut(Vec::new())?
        .results_only())
}
