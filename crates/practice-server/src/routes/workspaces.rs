//! Workspaces, their balance and their projects (API-NOTES §8). Classic endpoints, so
//! every path ends with a slash.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

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

/// The list envelope of classic endpoints: `results`, plus the `meta.count` and
/// `_links` that the CLI reads (everything fits on one page here).
fn page(state: &ServerState, path: &str, results: Vec<Value>) -> Json<Value> {
    let here = format!("{}{path}", state.base_url);
    Json(json!({
        "results": results,
        "_links": {
            "self": {"href": here, "title": "Current"},
            "next": {"href": null, "title": "Next"},
            "previous": {"href": null, "title": "Previous"},
            "last": {"href": here, "title": "Last"},
        },
        "meta": {"count": results.len()},
    }))
}

fn workspace_or_404<'a>(workspaces: &'a [Workspace], id: &str) -> Result<&'a Workspace, ApiError> {
    workspaces
        .iter()
        .find(|workspace| workspace.id == id)
        .ok_or_else(|| ApiError::not_found("Workspace"))
}

async fn list_workspaces(State(state): State<Arc<ServerState>>) -> Json<Value> {
    let results = state
        .store()
        .workspaces
        .iter()
        .map(Workspace::short_json)
        .collect();
    page(&state, "/api/v1/workspaces/", results)
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
) -> ApiResult {
    let results = {
        let store = state.store();
        let workspace = workspace_or_404(&store.workspaces, &workspace_id)?;
        store
            .projects_of(&workspace.id)
            .map(|project| project.short_json(workspace))
            .collect()
    };
    Ok(page(
        &state,
        &format!("/api/v1/workspaces/{workspace_id}/projects/"),
        results,
    ))
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
    let naivety = match fields.value("naivety_distribution_rate") {
        None => None,
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
    };
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
