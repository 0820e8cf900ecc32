//! Workspaces, their balance and their projects (API-NOTES §8). Classic endpoints, so
//! every path ends with a slash. Both lists are paged (`paging.rs`) and answer only
//! `results`, all their schemas document.

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
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{Project, Workspace};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Get,
            "/api/v1/workspaces/",
            StatusCode::OK,
            list_workspaces,
        ),
        route(
            Verb::Post,
            "/api/v1/workspaces/",
            StatusCode::CREATED,
            create_workspace,
        ),
        route(
            Verb::Get,
            "/api/v1/workspaces/{workspace_id}/",
            StatusCode::OK,
            get_workspace,
        ),
        route(
            Verb::Get,
            "/api/v1/workspaces/{workspace_id}/balance/",
            StatusCode::OK,
            get_balance,
        ),
        route(
            Verb::Get,
            "/api/v1/workspaces/{workspace_id}/projects/",
            StatusCode::OK,
            list_projects,
        ),
        route(
            Verb::Post,
            "/api/v1/workspaces/{workspace_id}/projects/",
            StatusCode::CREATED,
            create_project,
        ),
    ]
}

fn workspace_or_404<'a>(workspaces: &'a [Workspace], id: &str) -> Result<&'a Workspace, ApiError> {
    workspaces
        .iter()
        .find(|workspace| workspace.id == id)
        .ok_or_else(|| ApiError::not_found("Workspace"))
}

async fn list_workspaces(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let workspaces = state
        .store()
        .workspaces
        .iter()
        .map(Workspace::short_json)
        .collect();
    Ok(asked.cut(workspaces)?.results_only())
}

/// `POST /api/v1/workspaces/` with a `CreateWorkspace` body; answers the `Workspace`
/// with 201. A new workspace has no money and no projects; it has the features the
/// practice workspace has.
async fn create_workspace(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let title = fields.required_string("title");
    let currency_code = match fields.optional_string("currency_code").as_deref() {
        None | Some("GBP") => "GBP",
        Some("USD") => "USD",
        Some(_) => {
            fields.error("currency_code", "Only GBP and USD are supported.");
            "GBP"
        }
    };
    let naivety = naivety_rate(&mut fields);
    errors.into_result()?;
    let (Some(title), Some(template)) = (title, store.workspaces.first()) else {
        return Err(ApiError::bad_request("The workspace could not be read."));
    };
    let workspace = Workspace {
        id: crate::ids::object_id(),
        title,
        description: String::new(),
        owner: store.researcher.clone(),
        wallet: crate::ids::object_id(),
        currency_code: currency_code.to_owned(),
        balance: 0,
        committed: 0,
        typed_datasets: template.typed_datasets,
        test_participants: template.test_participants,
        batch_layouts: template.batch_layouts,
        naivety_distribution_rate: naivety,
        time_factor_percent: template.time_factor_percent,
        crowd_mix: template.crowd_mix,
    };
    let answer = workspace.full_json(std::iter::empty());
    store.workspaces.push(workspace);
    Ok(Json(answer))
}

/// `naivety_distribution_rate`: a number from 0 to 1, or null (absent is null).
fn naivety_rate(fields: &mut FieldReader<'_, '_>) -> Option<f64> {
    match fields.value("naivety_distribution_rate") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(rate) if (0.0..=1.0).contains(&rate) => Some(rate),
            _ => {
                fields.error(
                    "naivety_distribution_rate",
                    "Must be a number between 0 and 1, or null.",
                );
                None
            }
        },
    }
}

async fn get_workspace(
    State(state): State<Arc<ServerState>>,
    Path(workspace_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    let workspace = workspace_or_404(&store.workspaces, &workspace_id)?;
    Ok(Json(workspace.full_json(store.projects_of(&workspace.id))))
}

async fn get_balance(
    State(state): State<Arc<ServerState>>,
    Path(workspace_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    Ok(Json(
        workspace_or_404(&store.workspaces, &workspace_id)?.balance_json(),
    ))
}

async fn list_projects(
    State(state): State<Arc<ServerState>>,
    Path(workspace_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let projects = {
        let store = state.store();
        let workspace = workspace_or_404(&store.workspaces, &workspace_id)?;
        store
            .projects_of(&workspace.id)
            .map(|project| project.short_json(workspace))
            .collect()
    };
    Ok(PageRequest::from_query(&query)?
        .cut(projects)?
        .results_only())
}

/// `POST …/projects/` with a `CreateProject` body; answers the `Project` with 201.
async fn create_project(
    State(state): State<Arc<ServerState>>,
    Path(workspace_id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let workspace = workspace_or_404(&store.workspaces, &workspace_id)?.clone();

    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let title = fields.required_string("title");
    let description = match fields.value("description") {
        None => Some(String::new()),
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            fields.error("description", "Not a valid string.");
            None
        }
    };
    let kind = match fields.optional_string("type").as_deref() {
        None | Some("PRIVATE") => Some("PRIVATE"),
        Some("PUBLIC") => Some("PUBLIC"),
        Some(other) => {
            fields.error(
                "type",
                format!("\"{other}\" is not a valid choice. Use PRIVATE or PUBLIC."),
            );
            None
        }
    };
    let public_details = fields.optional_object("public_details").cloned();
    let naivety = naivety_rate(&mut fields);
    let is_longitudinal = fields.optional_bool("is_longitudinal").unwrap_or(false);
    errors.into_result()?;
    let (Some(title), Some(description), Some(kind)) = (title, description, kind) else {
        return Err(ApiError::bad_request("The project could not be read."));
    };

    // A public project's details default to ENABLED; a private one has none.
    let public_details = if kind == "PUBLIC" {
        let mut details = public_details.unwrap_or_default();
        details.entry("status").or_insert_with(|| json!("ENABLED"));
        Value::Object(details)
    } else {
        Value::Null
    };
    let project = Project {
        id: crate::ids::object_id(),
        workspace_id: workspace.id.clone(),
        title,
        description,
        owner: store.researcher.id.clone(),
        kind: kind.to_owned(),
        public_details,
        naivety_distribution_rate: naivety,
        is_longitudinal,
    };
    let answer = project.full_json(&workspace);
    store.projects.push(project);
    Ok(Json(answer))
}
