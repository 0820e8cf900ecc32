//! Studies that run a Task Builder batch (API-NOTES §7), their submissions, and the
//! helpers a researcher uses before publishing (cost, eligibility, filters, filter sets,
//! reward recommendations). Classic endpoints, so every path ends with a slash.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::clock::Moment;
use crate::crowd::{ALLOWLIST_FILTER, BLOCKLIST_FILTER, group_filters};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{DemographicExports, Stage, Store, Study, total_cost};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/studies/",
            StatusCode::CREATED,
            create_study,
        ),
        route(Verb::Get, "/api/v1/studies/", StatusCode::OK, list_studies),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            get_study,
        ),
        route(
            Verb::Patch,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            update_study,
        ),
        route(
            Verb::Delete,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            delete_study,
        ),
        route(
            Verb::Post,
            "/api/v1/studies/{id}/transition/",
            StatusCode::OK,
            transition_study,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/submissions/",
            StatusCode::OK,
            list_submissions,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/submissions/counts/",
            StatusCode::OK,
            count_submissions,
        ),
        route(
            Verb::Post,
            "/api/v1/submissions/bulk-approve/",
            StatusCode::OK,
            bulk_approve,
        ),
        route(
            Verb::Post,
            "/api/v1/study-cost-calculator/",
            StatusCode::OK,
            calculate_cost,
        ),
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
        route(
            Verb::Get,
            "/api/v1/reward-recommendations/",
            StatusCode::OK,
            reward_recommendations,
        ),
    ]
}

const BATCH_METHOD: &str = "AI_TASK_BUILDER_BATCH";

fn study_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a Study, ApiError> {
    store.study(id).ok_or_else(|| ApiError::not_found("Study"))
}

/// The study to change, from the store's studies (taken apart so the workspaces and the
/// random source can be borrowed beside it).
fn study_mut_or_404<'a>(studies: &'a mut [Study], id: &str) -> Result<&'a mut Study, ApiError> {
    studies
        .iter_mut()
        .find(|study| study.id == id)
        .ok_or_else(|| ApiError::not_found("Study"))
}

/// Refuses, in Prolific's words, a cost the workspace's available balance cannot cover.
fn ensure_affordable(store: &Store, workspace_id: &str, cost: i64) -> Result<(), ApiError> {
    let workspace = store
        .workspace(workspace_id)
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    if workspace.available() < cost {
        return Err(insufficient_funds(cost, workspace.available()));
    }
    Ok(())
}

fn study_json(store: &Store, study: &Study) -> Value {
    let currency = store
        .workspace(&study.workspace_id)
        .map_or("GBP", |workspace| workspace.currency_code.as_str());
    study.to_json(currency)
}

/// A whole number that is at least `min`; JSON numbers like `100.0` count, `1.5` not.
fn whole_number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|number| number.fract() == 0.0 && number.abs() < 9.0e15)
            .map(|number| number as i64)
    })
}

fn required_whole(fields: &mut FieldReader<'_, '_>, field: &str, min: i64) -> Option<i64> {
    let Some(value) = fields.value(field) else {
        fields.error(field, REQUIRED);
        return None;
    };
    match whole_number(value) {
        Some(number) if number >= min => Some(number),
        Some(_) => {
            fields.error(
                field,
                format!("Ensure this value is greater than or equal to {min}."),
            );
            None
        }
        None => {
            fields.error(field, "A valid integer is required.");
            None
        }
    }
}

fn one_of(fields: &mut FieldReader<'_, '_>, field: &str, allowed: &[&str], required: bool) {
    match fields.value(field).map(Value::as_str) {
        None if required => fields.error(field, REQUIRED),
        None => {}
        Some(Some(text)) if allowed.contains(&text) => {}
        Some(_) => fields.error(field, format!("Must be one of: {}.", allowed.join(", "))),
    }
}

/// Reads `completion_codes`: absent means the default code. When given, each code must
/// follow the spec's rules for codes (`CreateStudy.completion_codes[].code`):
/// - `code`, `code_type` and `actions` are all present (the schema requires them);
/// - a `null` code is allowed only for the participant (the default actor), only as the
///   participant's one code, and only with no actions;
/// - no two codes of a study are the same.
///
/// And, for a Task Builder study, exactly one `COMPLETED` code whose actions approve or
/// send to review.
fn completion_codes(fields: &mut FieldReader<'_, '_>, rng_code: String) -> Value {
    let Some(value) = fields.value("completion_codes") else {
        return json!([{
            "code": rng_code,
            "code_type": "COMPLETED",
            "actions": [{"action": "MANUALLY_REVIEW"}],
            "actor": "participant",
        }]);
    };
    let Some(codes) = value.as_array() else {
        fields.error("completion_codes", "Expected a list of items.");
        return Value::Null;
    };
    for problem in completion_code_problems(codes) {
        fields.error("completion_codes", problem);
    }
    let completed: Vec<&Value> = codes
        .iter()
        .filter(|code| code["code_type"] == "COMPLETED")
        .collect();
    let reviewed = |code: &&Value| {
        code["actions"].as_array().is_some_and(|actions| {
            actions.iter().any(|action| {
                matches!(
                    action["action"].as_str(),
                    Some("MANUALLY_REVIEW" | "AUTOMATICALLY_APPROVE")
                )
            })
        })
    };
    if completed.len() != 1 || !completed.iter().all(reviewed) {
        fields.error(
            "completion_codes",
            "A Task Builder study needs exactly one COMPLETED code whose action is MANUALLY_REVIEW or AUTOMATICALLY_APPROVE.",
        );
    }
    value.clone()
}

/// What the spec's prose forbids in a list of completion codes, one sentence each.
fn completion_code_problems(codes: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    let actor = |code: &Value| code["actor"].as_str().unwrap_or("participant").to_owned();
    let participant_codes = codes
        .iter()
        .filter(|code| actor(code) == "participant")
        .count();
    let mut seen = std::collections::BTreeSet::new();
    for (index, code) in codes.iter().enumerate() {
        let place = index + 1;
        for field in ["code", "code_type", "actions"] {
            if code.get(field).is_none() {
                problems.push(format!("Code {place}: {field} is required."));
            }
        }
        match &code["code"] {
            Value::Null if code.get("code").is_some() => {
                let has_actions = code["actions"].as_array().is_some_and(|a| !a.is_empty());
                if actor(code) != "participant" || participant_codes > 1 || has_actions {
                    problems.push(format!(
                        "Code {place}: a null code is allowed only as the participant's one code, with no actions."
                    ));
                }
            }
            Value::String(text) if !seen.insert(text.clone()) => {
                problems.push(format!(
                    "Code {place}: \"{text}\" is used twice; codes must be unique in a study."
                ));
            }
            _ => {}
        }
    }
    problems
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

fn annotators_per_task(fields: &mut FieldReader<'_, '_>) -> u64 {
    let Some(metadata) = fields.optional_object("data_collection_metadata") else {
        return 1;
    };
    match metadata.get("annotators_per_task") {
        None | Some(Value::Null) => 1,
        Some(value) => match whole_number(value).and_then(|count| u64::try_from(count).ok()) {
            Some(count) if count >= 1 => count,
            _ => {
                fields.error(
                    "data_collection_metadata.annotators_per_task",
                    "Must be a whole number of at least 1.",
                );
                1
            }
        },
    }
}

/// The optional fields of `CreateStudy`, when present, have their types (a study's
/// fields are echoed back, so nothing of the wrong type may be stored).
fn check_optional_types(fields: &mut FieldReader<'_, '_>) {
    for field in [
        "internal_name",
        "metadata",
        "content_warning_details",
        "filter_set_id",
    ] {
        if fields.value(field).is_some_and(|value| !value.is_string()) {
            fields.error(field, "Not a valid string.");
        }
    }
    if let Some(minutes) = fields.value("maximum_allowed_time") {
        match (
            minutes.as_f64(),
            fields
                .value("estimated_completion_time")
                .and_then(Value::as_f64),
        ) {
            (Some(minutes), _) if minutes <= 0.0 => {
                fields.error("maximum_allowed_time", "Must be a number of minutes.");
            }
            // The spec's floor for the time allowed: 2 + 2t + 2√t minutes for an
            // estimate of t minutes.
            (Some(minutes), Some(estimate))
                if minutes < 2.0 + 2.0 * estimate + 2.0 * estimate.sqrt() =>
            {
                fields.error(
                    "maximum_allowed_time",
                    "Must be at least 2 + 2t + 2√t minutes for an estimate of t minutes.",
                );
            }
            (Some(_), _) => {}
            (None, _) => fields.error("maximum_allowed_time", "Must be a number of minutes."),
        }
    }
    for (field, allowed) in [
        ("device_compatibility", &["desktop", "tablet", "mobile"][..]),
        (
            "peripheral_requirements",
            &["audio", "camera", "download", "microphone"][..],
        ),
        ("content_warnings", &["sensitive", "explicit"][..]),
    ] {
        if let Some(value) = fields.value(field) {
            let fits = value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|item| item.as_str().is_some_and(|item| allowed.contains(&item)))
            });
            if !fits {
                fields.error(field, format!("Must be a list of: {}.", allowed.join(", ")));
            }
        }
    }
    if let Some(filters) = fields.value("filters")
        && !filters
            .as_array()
            .is_some_and(|filters| filters.iter().all(is_filter))
    {
        fields.error(
            "filters",
            "Expected a list of filters, each with a filter_id and selected_values, selected_range or selected_filters.",
        );
    }
    for field in ["study_labels", "access_details"] {
        if fields.value(field).is_some_and(|value| !value.is_array()) {
            fields.error(field, "Expected a list of items.");
        }
    }
    if fields.is_present("submissions_config") {
        fields.optional_object("submissions_config");
    }
}

/// A select, range or composite (`and`/`or`) filter, as `SelectFilter`, `RangeFilter`
/// and `CompositeFilter` have them.
fn is_filter(filter: &Value) -> bool {
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
fn group_filter_problems(filters: &Value, store: &Store, workspace_id: &str) -> Vec<String> {
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

/// Refuses (on `filters`) group filters that name groups the study cannot use.
fn check_group_filters(fields: &mut FieldReader<'_, '_>, store: &Store, workspace_id: &str) {
    if let Some(filters) = fields.value("filters") {
        for problem in group_filter_problems(filters, store, workspace_id) {
            fields.error("filters", problem);
        }
    }
}

/// A `null` means "not given": it is dropped, and the fields every study has get their
/// defaults, so a stored study never holds a `null` where the spec wants a list.
fn with_defaults(fields: &mut Map<String, Value>) {
    fields.retain(|_, value| !value.is_null());
    for (field, default) in [
        ("internal_name", Value::Null),
        ("device_compatibility", json!([])),
        ("peripheral_requirements", json!([])),
        ("filters", json!([])),
        (
            "submissions_config",
            json!({"max_submissions_per_participant": 1, "max_concurrent_submissions": -1}),
        ),
        ("study_labels", json!([])),
        ("content_warnings", json!([])),
        ("metadata", Value::Null),
    ] {
        fields.entry(field.to_owned()).or_insert(default);
    }
}

/// `POST /api/v1/studies/`: a draft (`UNPUBLISHED`) study.
async fn create_study(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    fields.required_string("name");
    fields.required_string("description");
    one_of(
        &mut fields,
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
    let reward = required_whole(&mut fields, "reward", 0);
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
            places = required_whole(&mut fields, "total_available_places", 1)
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

fn total_groups(store: &Store, batch_id: uuid::Uuid) -> u64 {
    store
        .batch(batch_id)
        .and_then(crate::model::Batch::finished_plan)
        .map_or(1, |plan| plan.total_task_groups)
}

/// `GET /api/v1/studies/`, optionally `?state=` one status (`AWAITING REVIEW` with its
/// space; `UNKNOWN` matches nothing); oldest first, paged, `results` only.
async fn list_studies(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let store = state.store();
    let wanted = query.get("state").map(String::as_str);
    let studies: Vec<Value> = store
        .studies
        .iter()
        .filter(|study| wanted.is_none_or(|wanted| study.status() == wanted))
        .map(Study::short_json)
        .collect();
    Ok(asked.cut(studies)?.results_only())
}

async fn get_study(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
    let store = state.store();
    let study = study_or_404(&store, &id)?;
    Ok(Json(study_json(&store, study)))
}

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
async fn update_study(
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
        required_whole(&mut fields, "reward", 0);
    }
    for field in ["name", "description"] {
        if fields.is_present(field) {
            fields.required_string(field);
        }
    }
    if fields.is_present("prolific_id_option") {
        one_of(
            &mut fields,
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
        match required_whole(&mut fields, "total_available_places", 1)
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

/// `DELETE /api/v1/studies/{id}/`: drafts only.
async fn delete_study(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
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

/// Prolific's answer when the balance cannot cover a study.
fn insufficient_funds(needed: i64, available: i64) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        error_code: 140_001,
        title: "Bad request",
        detail: json!(format!(
            "You do not have enough funds to publish this study. It costs {needed} and {available} is available (minor units); top up your workspace balance."
        )),
    }
}

/// `POST /api/v1/studies/{id}/transition/` with `{"action": …}` (API-NOTES §7.6).
async fn transition_study(
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

/// `GET /api/v1/studies/{id}/submissions/`: oldest first, paged, `results` only.
async fn list_submissions(
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

async fn count_submissions(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> ApiResult {
    let store = state.store();
    Ok(Json(study_or_404(&store, &id)?.counts_json()))
}

/// `POST /api/v1/submissions/bulk-approve/` with `{submission_ids}` or
/// `{study_id, participant_ids}`. Only submissions awaiting review can be approved; the
/// answer is a plain JSON string, as the spec has it.
/// The most ids one bulk approval takes here (the spec's recommended maximum).
const MOST_IDS_PER_BULK_APPROVE: usize = 1000;

async fn bulk_approve(
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

/// `POST /api/v1/study-cost-calculator/`.
async fn calculate_cost(JsonBody(body): JsonBody) -> ApiResult {
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let reward = required_whole(&mut fields, "reward", 0);
    let places = required_whole(&mut fields, "total_available_places", 1);
    errors.into_result()?;
    let (Some(reward), Some(places)) = (reward, places) else {
        return Err(ApiError::bad_request(
            "reward and total_available_places are needed.",
        ));
    };
    Ok(Json(json!({
        "total_cost": total_cost(reward, u64::try_from(places).unwrap_or(0)),
    })))
}

/// The practice pool: how many simulated participants there are before any filter.
const POOL: u64 = 41_873;

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
    let mut count = POOL as f64;
    for filter in filters.unwrap_or_default() {
        match filter["filter_id"].as_str() {
            Some(ALLOWLIST_FILTER) => count *= (members(&filter) / POOL as f64).min(1.0),
            Some(BLOCKLIST_FILTER) => count *= 1.0 - (members(&filter) / POOL as f64).min(1.0),
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

/// `GET /api/v1/reward-recommendations/?workspace_id=&currency=GBP|USD`: per hour, in
/// minor units; newest first.
async fn reward_recommendations(Query(query): Query<HashMap<String, String>>) -> ApiResult {
    let mut errors = FieldErrors::default();
    if query.get("workspace_id").is_none_or(String::is_empty) {
        errors.add("workspace_id", REQUIRED);
    }
    let currency = query.get("currency").map(String::as_str);
    let (minimum, recommended) = match currency {
        Some("GBP") => (600, 900),
        Some("USD") => (800, 1_200),
        Some(_) => {
            errors.add("currency", "Only GBP and USD are supported.");
            (0, 0)
        }
        None => {
            errors.add("currency", REQUIRED);
            (0, 0)
        }
    };
    errors.into_result()?;
    Ok(Json(json!([{
        "currency": currency,
        "min_reward_per_hour": minimum,
        "recommended_reward_per_hour": recommended,
    }])))
}
