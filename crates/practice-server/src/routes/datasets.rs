//! Task Builder datasets (API-NOTES §3). Data-collection endpoints have no trailing slash.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::dataset_content::{DatasetSchema, FileFormat};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::faults::Injected;
use crate::model::{Dataset, DatasetContent, ImportJob, PendingUpload, Store, V3Content};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/data-collection/datasets",
            StatusCode::CREATED,
            create_dataset,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/datasets/{dataset_id}",
            StatusCode::OK,
            get_dataset,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/datasets/{dataset_id}/status",
            StatusCode::OK,
            get_dataset_status,
        ),
        // Yes, a GET that answers 201: each call creates a storage key (and for V4 an
        // import job).
        route(
            Verb::Get,
            "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}",
            StatusCode::CREATED,
            get_upload_url,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/datasets/{dataset_id}/imports/{import_id}",
            StatusCode::OK,
            get_import,
        ),
    ]
}

/// Finds a dataset by the id in a path; a malformed id names no dataset, so it is a 404
/// like an unknown one.
pub(super) fn dataset_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a Dataset, ApiError> {
    crate::ids::parse_uuid(id)
        .and_then(|id| store.dataset(id))
        .ok_or_else(|| ApiError::not_found("Dataset"))
}

/// `POST /datasets` with `name`, `workspace_id` and, for a V4 dataset, `schema`.
async fn create_dataset(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let name = fields.required_string("name");
    let workspace_id = fields.required_string("workspace_id");
    let schema_value = fields.value("schema");
    if let Some(id) = &workspace_id
        && store.workspace(id).is_none()
    {
        fields.error(
            "workspace_id",
            "No workspace with this id is available to you.",
        );
    }
    // V4 needs a per-workspace feature (API-NOTES §3.1). The spec documents only a 400
    // `Error` for this endpoint and not its words, so the refusal is a 400 naming the
    // `schema` field, the way the other field errors here are answered.
    if schema_value.is_some()
        && let Some(workspace) = workspace_id.as_deref().and_then(|id| store.workspace(id))
        && !workspace.typed_datasets
    {
        fields.error(
            "schema",
            "Typed datasets (a schema, V4) are not enabled for this workspace. Leave out the schema to make a V3 dataset, or ask Prolific support to enable them.",
        );
    }
    // Without a schema the dataset is V3; `"schema": null` reads as no schema.
    let schema = match schema_value {
        Some(value) => DatasetSchema::parse(value, fields.errors),
        None => None,
    };
    errors.into_result()?;
    let (Some(name), Some(workspace_id)) = (name, workspace_id) else {
        return Err(ApiError::bad_request("The dataset could not be read."));
    };
    let content = match schema {
        None => DatasetContent::V3(V3Content::default()),
        Some(schema) => DatasetContent::V4(crate::model::V4Content {
            schema,
            imports: Vec::new(),
        }),
    };
    let dataset = Dataset {
        id: crate::ids::task_builder_id(),
        name,
        created_at: Moment::now(),
        created_by: store.researcher.id.clone(),
        workspace_id,
        content,
    };
    let answer = dataset.to_json();
    store.datasets.push(dataset);
    Ok(Json(answer))
}

async fn get_dataset(
    State(state): State<Arc<ServerState>>,
    Path(dataset_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    Ok(Json(dataset_or_404(&store, &dataset_id)?.to_json()))
}

/// `{ "status": … }`, which only V3 datasets have; V4 readiness is per import job.
async fn get_dataset_status(
    State(state): State<Arc<ServerState>>,
    Path(dataset_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    match &dataset_or_404(&store, &dataset_id)?.content {
        DatasetContent::V3(v3) => Ok(Json(json!({ "status": v3.status() }))),
        DatasetContent::V4(_) => Err(ApiError::bad_request(
            "V4 datasets have no status; poll GET /datasets/{dataset_id}/imports/{import_id} instead.",
        )),
    }
}

/// Hands out a presigned PUT URL on the server's own storage route.
async fn get_upload_url(
    State(state): State<Arc<ServerState>>,
    Path((dataset_id, filename)): Path<(String, String)>,
    injected: Option<axum::Extension<Injected>>,
) -> ApiResult {
    // An injected fault hands out a URL that has already expired.
    let ttl = if Injected::of(injected).expire_upload_url {
        std::time::Duration::ZERO
    } else {
        state.upload_url_ttl
    };
    let mut store = state.store();
    let dataset = dataset_or_404(&store, &dataset_id)?;
    let dataset_id = dataset.id;
    let is_v4 = matches!(dataset.content, DatasetContent::V4(_));
    let format = FileFormat::from_filename(&filename)
        .filter(|format| match format {
            FileFormat::Csv => true,
            FileFormat::Zip => !is_v4,
            FileFormat::Jsonl => is_v4,
        })
        .ok_or_else(|| {
            ApiError::bad_request(if is_v4 {
                format!("Unsupported file type for \"{filename}\". V4 datasets accept .csv and .jsonl files.")
            } else {
                format!("Unsupported file type for \"{filename}\". V3 datasets accept .csv and .zip files.")
            })
        })?;

    let file_key = format!(
        "{dataset_id}/{}/{}",
        crate::ids::task_builder_id(),
        storage_safe(&filename)
    );
    let now = Utc::now();
    let expires_at = chrono::Duration::from_std(ttl)
        .ok()
        .and_then(|ttl| now.checked_add_signed(ttl))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let expires = expires_at.timestamp();
    let content_type = format.content_type();
    let signature = state.signer.sign(&file_key, expires, content_type);
    let upload_url = format!(
        "{}{}{file_key}?expires={expires}&signature={signature}",
        state.base_url,
        crate::presign::STORAGE_PREFIX
    );

    let import_id = match store
        .dataset_mut(dataset_id)
        .map(|dataset| &mut dataset.content)
    {
        Some(DatasetContent::V4(v4)) => {
            let job = ImportJob {
                id: crate::ids::task_builder_id(),
                filename: filename.clone(),
                created_at: Moment::now(),
                run: None,
            };
            let id = job.id;
            v4.imports.push(job);
            Some(id)
        }
        _ => None,
    };
    let now_seconds = now.timestamp();
    store
        .uploads
        .retain(|_, upload| upload.expires > now_seconds);
    store.uploads.insert(
        file_key.clone(),
        PendingUpload {
            dataset_id,
            import_id,
            filename,
            format,
            expires,
        },
    );

    let mut answer = json!({
        "dataset_id": dataset_id,
        "upload_url": upload_url,
        "http_method": "PUT",
        "content_type": content_type,
        "expires_at": DateTime::<Utc>::from_timestamp(expires, 0)
            .unwrap_or(expires_at)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        "file_key": file_key,
    });
    if let Some(import_id) = import_id {
        answer["import_id"] = json!(import_id);
    }
    Ok(Json(answer))
}

/// A filename reduced to characters that need no escaping in a URL path.
fn storage_safe(filename: &str) -> String {
    filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A V4 import job (`DatasetImportJob`).
async fn get_import(
    State(state): State<Arc<ServerState>>,
    Path((dataset_id, import_id)): Path<(String, String)>,
) -> ApiResult {
    let store = state.store();
    let dataset = dataset_or_404(&store, &dataset_id)?;
    let import_id: Option<Uuid> = crate::ids::parse_uuid(&import_id);
    let job = match &dataset.content {
        DatasetContent::V4(v4) => v4.imports.iter().find(|job| Some(job.id) == import_id),
        DatasetContent::V3(_) => None,
    };
    let job = job.ok_or_else(|| ApiError::not_found("Import job"))?;
    Ok(Json::<Value>(job.to_json(dataset.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_keys_keep_only_url_safe_characters() {
        assert_eq!(storage_safe("my data (v2).csv"), "my_data__v2_.csv");
        assert_eq!(storage_safe("../x/y.csv"), ".._x_y.csv");
    }
}
