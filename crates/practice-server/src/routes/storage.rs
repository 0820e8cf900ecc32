//! The stand-in for S3: presigned upload URLs point here. Like S3 it knows nothing of the
//! Prolific token; the URL's signature and expiry are the only authority, and refusals
//! are 403s with an XML body.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::dataset_content::{self, FileFormat};
use crate::faults::Injected;
use crate::model::{DatasetContent, V3Upload};

/// Where presigned URLs point: `<base_url>/practice-storage/<file_key>?expires=…&signature=…`.
pub(crate) const PREFIX: &str = "/practice-storage/";

/// S3 takes up to 5 GB in one PUT; a practice dataset needs far less, and this keeps a
/// runaway upload from filling memory.
const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

pub(super) fn routes() -> Router<Arc<ServerState>> {
    Router::new()
        .route("/practice-storage/{*key}", put(put_object))
        .method_not_allowed_fallback(|| async {
            s3_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource; upload URLs take PUT.",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

/// The reason processing gives when a fault made it fail.
const INJECTED_FAILURE: &str = "Processing failed (a fault injected into the practice server).";

/// An S3-style error document.
pub(crate) fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{}</RequestId></Error>",
        crate::ids::task_builder_id().simple()
    );
    (status, [(CONTENT_TYPE, "application/xml")], body).into_response()
}

async fn put_object(
    State(state): State<Arc<ServerState>>,
    Path(key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    injected: Option<axum::Extension<Injected>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let injected = Injected::of(injected);
    let (Some(expires), Some(signature)) = (
        query
            .get("expires")
            .and_then(|text| text.parse::<i64>().ok()),
        query.get("signature"),
    ) else {
        return s3_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Query-string authentication requires the expires and signature parameters.",
        );
    };
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !state.signer.verify(&key, expires, content_type, signature) {
        return s3_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Send the URL unchanged, with the Content-Type header set exactly to the content_type the API returned.",
        );
    }
    if chrono::Utc::now().timestamp() >= expires {
        return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired");
    }
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(_) => {
            return s3_error(
                StatusCode::BAD_REQUEST,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size.",
            );
        }
    };

    // Find what the upload is for, let go of the lock to parse, then record the result.
    let (upload, schema) = {
        let store = state.store();
        let Some(upload) = store.uploads.get(&key).cloned() else {
            return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied");
        };
        let schema = match store
            .dataset(upload.dataset_id)
            .map(|dataset| &dataset.content)
        {
            Some(DatasetContent::V4(v4)) => Some(v4.schema.clone()),
            Some(DatasetContent::V3(_)) => None,
            None => return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied"),
        };
        (upload, schema)
    };
    let delay = state.processing_delay();
    match schema {
        None => {
            let outcome = match upload.format {
                FileFormat::Zip => Err(
                    "The practice server cannot read ZIP files; upload the CSV itself.".to_owned(),
                ),
                FileFormat::Csv | FileFormat::Jsonl => dataset_content::parse_csv_table(&bytes),
            };
            let outcome = if injected.processing_error {
                Err(INJECTED_FAILURE.to_owned())
            } else {
                outcome
            };
            let mut store = state.store();
            if let Some(DatasetContent::V3(v3)) = store
                .dataset_mut(upload.dataset_id)
                .map(|dataset| &mut dataset.content)
            {
                v3.upload = Some(V3Upload {
                    filename: upload.filename,
                    ready_at: crate::clock::Moment::now().after(delay),
                    outcome,
                });
            }
        }
        Some(schema) => {
            let outcome = if injected.processing_error {
                dataset_content::ImportOutcome::Failed {
                    reason: INJECTED_FAILURE.to_owned(),
                }
            } else {
                dataset_content::import_records(&bytes, upload.format, &schema)
            };
            let mut store = state.store();
            if let (Some(DatasetContent::V4(v4)), Some(import_id)) = (
                store
                    .dataset_mut(upload.dataset_id)
                    .map(|dataset| &mut dataset.content),
                upload.import_id,
            ) {
                v4.record_upload(import_id, delay, outcome);
            }
        }
    }
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..16]));
    (StatusCode::OK, [(ETAG, etag)]).into_response()
}
