//! A batch's results (API-NOTES §4.9–4.11): the responses as JSON, the CSV report and
//! the ZIP export. The report and the export are made when asked for and handed out as
//! presigned GET URLs on the server's own storage route, like S3's.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::paging::PageRequest;
use super::{Route, Verb, route};
use crate::ServerState;
use crate::blob::Blob;
use crate::error::{ApiError, ApiResult};
use crate::faults::{ExportShape, Injected};
use crate::model::{Batch, Download, Export, Store, Study, Zip};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Get,
            "/api/v1/data-collection/batches/{batch_id}/responses",
            StatusCode::OK,
            get_responses,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/batches/{batch_id}/report/",
            StatusCode::OK,
            get_report,
        ),
        route(
            Verb::Post,
            "/api/v1/data-collection/batches/{batch_id}/export",
            StatusCode::OK,
            export_batch,
        ),
        route(
            Verb::Get,
            "/api/v1/data-collection/batches/{batch_id}/export/{export_id}",
            StatusCode::OK,
            get_export,
        ),
    ]
}

/// Routes the CLI calls that the spec does not list (API-NOTES §4.14): served, but
/// kept out of `endpoints()` and so out of the contract test.
pub(super) fn unlisted_routes() -> axum::Router<Arc<ServerState>> {
    axum::Router::new()
        .route(
            "/api/v1/data-collection/batches/{batch_id}/tasks",
            axum::routing::get(get_tasks),
        )
        .route(
            "/api/v1/data-collection/batches/{batch_id}/task-groups",
            axum::routing::get(get_task_groups),
        )
}

/// `GET …/tasks`: a JSON array of task ids, once the batch is set up.
async fn get_tasks(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    let batch = batch_or_404(&store, &batch_id)?;
    let (tasks, _) = batch
        .dataset_id
        .and_then(|id| store.dataset(id))
        .map_or_else(Default::default, |dataset| {
            crate::participants::task_groups(batch, dataset)
        });
    Ok(Json(json!(
        tasks
            .iter()
            .map(|task| task.id.to_string())
            .collect::<Vec<_>>()
    )))
}

/// `GET …/task-groups`: a JSON array of task-group ids, once the batch is set up.
async fn get_task_groups(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> ApiResult {
    let store = state.store();
    let batch = batch_or_404(&store, &batch_id)?;
    let (_, groups) = batch
        .dataset_id
        .and_then(|id| store.dataset(id))
        .map_or_else(Default::default, |dataset| {
            crate::participants::task_groups(batch, dataset)
        });
    Ok(Json(json!(
        (0..groups.len())
            .map(|index| crate::participants::group_id(batch, index).to_string())
            .collect::<Vec<_>>()
    )))
}

/// How long a download URL stays valid: an hour, as Prolific's export says.
const DOWNLOAD_TTL_SECONDS: i64 = 3600;

fn batch_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a Batch, ApiError> {
    crate::ids::parse_uuid(id)
        .and_then(|id| store.batch(id))
        .ok_or_else(|| ApiError::not_found("Batch"))
}

/// The responses of every finished submission of the studies that run this batch.
fn batch_responses(state: &ServerState, store: &Store, batch: &Batch) -> Vec<Value> {
    let studies: Vec<&Study> = store
        .studies
        .iter()
        .filter(|study| study.batch_id == Some(batch.id))
        .collect();
    crate::participants::responses(
        batch,
        batch.dataset_id.and_then(|id| store.dataset(id)),
        &studies,
        state.seed,
        state.disagreement_percent,
    )
}

/// `GET …/responses`: `{ results, meta: { count } }`, paged (`paging.rs`; the spec lists
/// no paging parameters here, and is silent on whether Prolific pages: the stricter
/// side).
async fn get_responses(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let store = state.store();
    let batch = batch_or_404(&store, &batch_id)?;
    let asked = PageRequest::from_query(&query)?;
    Ok(asked.cut(batch_responses(&state, &store, batch))?.counted())
}

/// Stores `bytes` for download and answers its presigned URL and expiry.
fn publish_download(
    state: &ServerState,
    store: &mut Store,
    name: &str,
    content_type: &'static str,
    bytes: Vec<u8>,
) -> (String, String) {
    let key = format!("downloads/{}/{name}", crate::ids::task_builder_id());
    let now = Utc::now();
    let expires = now.timestamp() + DOWNLOAD_TTL_SECONDS;
    let signature = state.signer.sign(&key, expires, "");
    store
        .downloads
        .retain(|_, download| download.expires > now.timestamp());
    store.downloads.insert(
        key.clone(),
        Download {
            content_type,
            bytes,
            expires,
        },
    );
    let expires_at = chrono::DateTime::from_timestamp(expires, 0).unwrap_or(now);
    (
        format!(
            "{}{}{key}?expires={expires}&signature={signature}",
            state.base_url,
            crate::presign::STORAGE_PREFIX
        ),
        crate::clock::timestamp(expires_at),
    )
}

/// `GET …/report/`: a CSV of the original data with one column per question, one row
/// per (task, submission) answered; a task nobody has answered yet keeps one row with
/// empty answers.
async fn get_report(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
) -> ApiResult {
    let mut store = state.store();
    let batch = batch_or_404(&store, &batch_id)?.clone();
    let csv = report_csv(&state, &store, &batch)
        .map_err(|_| ApiError::bad_request("The report could not be written."))?;
    let (url, expires_at) = publish_download(&state, &mut store, "report.csv", "text/csv", csv);
    Ok(Json(
        json!({"url": url, "expires_at": expires_at, "http_method": "GET"}),
    ))
}

fn report_csv(state: &ServerState, store: &Store, batch: &Batch) -> Result<Vec<u8>, csv::Error> {
    let dataset = batch.dataset_id.and_then(|id| store.dataset(id));
    let (tasks, _) = dataset.map_or_else(Default::default, |dataset| {
        crate::participants::task_groups(batch, dataset)
    });
    let instructions = crate::participants::instructions(batch);
    let responses = batch_responses(state, store, batch);
    let mut columns: Vec<String> = Vec::new();
    for task in &tasks {
        for name in task.fields.keys() {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
    }
    let question_columns: Vec<String> = instructions
        .iter()
        .enumerate()
        .map(|(index, instruction)| {
            let description = instruction["description"].as_str().unwrap_or("Question");
            format!("Q{} {description}", index + 1)
        })
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["task_id".to_owned()];
    header.extend(columns.iter().cloned());
    header.extend(["participant_id".to_owned(), "submission_id".to_owned()]);
    header.extend(question_columns);
    writer.write_record(&header)?;
    for task in &tasks {
        let task_id = task.id.to_string();
        let mut by_submission: Vec<(String, String, Vec<String>)> = Vec::new();
        for response in responses
            .iter()
            .filter(|response| response["task_id"] == task_id)
        {
            let submission = response["submission_id"].as_str().unwrap_or_default();
            let position = by_submission
                .iter()
                .position(|(id, _, _)| id == submission)
                .unwrap_or_else(|| {
                    by_submission.push((
                        submission.to_owned(),
                        response["participant_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        vec![String::new(); instructions.len()],
                    ));
                    by_submission.len() - 1
                });
            let column = instructions.iter().position(|instruction| {
                instruction["id"] == response["response"]["instruction_id"]
            });
            if let Some(column) = column {
                by_submission[position].2[column] = answer_text(&response["response"]["answer"]);
            }
        }
        if by_submission.is_empty() {
            by_submission.push((
                String::new(),
                String::new(),
                vec![String::new(); instructions.len()],
            ));
        }
        for (submission, participant, answers) in by_submission {
            let mut record = vec![task_id.clone()];
            record.extend(columns.iter().map(|column| cell(task.fields.get(column))));
            record.extend([participant, submission]);
            record.extend(answers);
            writer.write_record(&record)?;
        }
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// An answer as one cell: choices joined with `; `, a unit after its value, an
/// explanation after a colon, files by name.
fn answer_text(answer: &Value) -> String {
    answer
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let mut text = item
                .get("value")
                .map(|value| cell(Some(value)))
                .or_else(|| item["file_name"].as_str().map(str::to_owned))
                .unwrap_or_default();
            if let Some(unit) = item["unit"].as_str() {
                text = format!("{text} {unit}");
            }
            if let Some(explanation) = item["explanation"].as_str() {
                text = format!("{text}: {explanation}");
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `POST …/export`: the ZIP is made at once, so the answer is `complete` with its URL
/// (the spec allows the POST to answer `complete` straight away); the job is kept so
/// `GET …/export/{export_id}` can be polled, and a fresh URL is signed on each poll.
/// An injected fault may make it an odd ZIP ([`ExportShape`]).
async fn export_batch(
    State(state): State<Arc<ServerState>>,
    Path(batch_id): Path<String>,
    injected: Option<axum::Extension<Injected>>,
) -> ApiResult {
    let mut store = state.store();
    let batch = batch_or_404(&store, &batch_id)?.clone();
    let shape = Injected::of(injected).odd_export;
    let zip = export_zip(&state, &store, &batch, shape).map_err(|error| {
        ApiError::bad_request(format!("The export could not be written: {error}"))
    })?;
    let export_id = crate::ids::task_builder_id();
    let (url, expires_at) = publish_download(
        &state,
        &mut store,
        "export.zip",
        "application/zip",
        zip.clone(),
    );
    store.exports.insert(
        export_id,
        Export {
            batch_id: batch.id,
            zip: Blob::new(Zip(zip)),
        },
    );
    Ok(Json(json!({
        "status": "complete",
        "url": url,
        "expires_at": expires_at,
        "export_id": export_id,
    })))
}

async fn get_export(
    State(state): State<Arc<ServerState>>,
    Path((batch_id, export_id)): Path<(String, String)>,
) -> ApiResult {
    let mut store = state.store();
    let batch = batch_or_404(&store, &batch_id)?.id;
    let zip = crate::ids::parse_uuid(&export_id)
        .and_then(|id| store.exports.get(&id))
        .filter(|export| export.batch_id == batch)
        .map(|export| export.zip.0.clone())
        .ok_or_else(|| ApiError::not_found("Export"))?;
    let (url, expires_at) =
        publish_download(&state, &mut store, "export.zip", "application/zip", zip);
    Ok(Json(
        json!({"status": "complete", "url": url, "expires_at": expires_at}),
    ))
}

type BoxError = Box<dyn std::error::Error>;

/// One file of the export: its name in the archive and its content.
type ExportFile = (String, Vec<u8>);

/// The export as Prolific documents it, or laid out as `shape` says.
fn export_zip(
    state: &ServerState,
    store: &Store,
    batch: &Batch,
    shape: Option<ExportShape>,
) -> Result<Vec<u8>, BoxError> {
    let files = export_files(state, store, batch)?;
    match shape {
        None => zip_files(&files, zip::CompressionMethod::Deflated),
        Some(shape) => odd_zip(files, shape),
    }
}

/// `responses-by-submission.jsonl`, `responses-by-task.jsonl` and `batch.json`.
fn export_files(
    state: &ServerState,
    store: &Store,
    batch: &Batch,
) -> Result<Vec<ExportFile>, BoxError> {
    let responses = batch_responses(state, store, batch);
    let mut by_submission: Map<String, Value> = Map::new();
    let mut by_task: Map<String, Value> = Map::new();
    for response in &responses {
        for (map, key) in [
            (&mut by_submission, response["submission_id"].as_str()),
            (&mut by_task, response["task_id"].as_str()),
        ] {
            let entry = map
                .entry(key.unwrap_or_default().to_owned())
                .or_insert_with(|| json!([]));
            if let Some(list) = entry.as_array_mut() {
                list.push(response.clone());
            }
        }
    }
    let mut submission_lines = Vec::new();
    for (submission_id, responses) in &by_submission {
        let participant = responses[0]["participant_id"].clone();
        writeln!(
            submission_lines,
            "{}",
            json!({"submission_id": submission_id, "participant_id": participant, "responses": responses})
        )?;
    }
    let mut task_lines = Vec::new();
    for (task_id, responses) in &by_task {
        writeln!(
            task_lines,
            "{}",
            json!({"task_id": task_id, "responses": responses})
        )?;
    }
    let plan = batch.finished_plan();
    let summary = json!({
        "id": batch.id,
        "name": batch.name,
        "workspace_id": batch.workspace_id,
        "status": batch.status(),
        "task_details": batch.task_details.to_json(),
        "batch_items": batch.batch_items,
        "total_task_count": plan.map_or(0, |plan| plan.total_task_count),
        "total_task_groups": plan.map_or(0, |plan| plan.total_task_groups),
        "total_response_count": responses.len(),
        "exported_at": crate::clock::timestamp(Utc::now()),
    });
    Ok(vec![
        (BY_SUBMISSION.to_owned(), submission_lines),
        (BY_TASK.to_owned(), task_lines),
        (
            "batch.json".to_owned(),
            serde_json::to_string_pretty(&summary)?.into_bytes(),
        ),
    ])
}

const BY_SUBMISSION: &str = "responses-by-submission.jsonl";
const BY_TASK: &str = "responses-by-task.jsonl";

fn zip_files(files: &[ExportFile], method: zip::CompressionMethod) -> Result<Vec<u8>, BoxError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut folders: Vec<&str> = Vec::new();
    for (name, content) in files {
        // Archivers list a folder once, before its files.
        if let Some((folder, _)) = name.rsplit_once('/')
            && !folders.contains(&folder)
        {
            zip.add_directory(folder, options)?;
            folders.push(folder);
        }
        zip.start_file(name.as_str(), options)?;
        zip.write_all(content)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The export laid out otherwise, or broken, as `shape` says.
fn odd_zip(mut files: Vec<ExportFile>, shape: ExportShape) -> Result<Vec<u8>, BoxError> {
    const FOLDER: &str = "Batch export";
    match shape {
        ExportShape::InAFolder => {
            for (name, _) in &mut files {
                *name = format!("{FOLDER}/{}", name.to_uppercase());
            }
            zip_files(&files, zip::CompressionMethod::Deflated)
        }
        ExportShape::WithoutResponses => {
            files.retain(|(name, _)| name != BY_SUBMISSION && name != BY_TASK);
            zip_files(&files, zip::CompressionMethod::Deflated)
        }
        ExportShape::Truncated => {
            let mut zip = zip_files(&files, zip::CompressionMethod::Deflated)?;
            zip.truncate(zip.len() / 2);
            Ok(zip)
        }
        ExportShape::Damaged => {
            // Stored, not deflated, so one character can be changed in place.
            let mut zip = zip_files(&files, zip::CompressionMethod::Stored)?;
            change_first_task_id(&mut zip)?;
            Ok(zip)
        }
    }
}

/// Changes the first hex digit of the first task id in `responses-by-task.jsonl`: the
/// JSON stays valid, the member's checksum no longer matches.
fn change_first_task_id(zip: &mut [u8]) -> Result<(), BoxError> {
    let (start, end) = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&*zip))?;
        let member = archive.by_name(BY_TASK)?;
        let start = usize::try_from(member.data_start().ok_or("no data start")?)?;
        (start, start + usize::try_from(member.compressed_size())?)
    };
    let key = br#""task_id":""#;
    let data = &mut zip[start..end];
    let at = data
        .windows(key.len())
        .position(|window| window == key)
        .ok_or("no task id to change")?
        + key.len();
    data[at] = if data[at] == b'0' { b'1' } else { b'0' };
    Ok(())
}
