//! The stand-in for S3: presigned upload URLs point here. Like S3 it knows nothing of the
//! Prolific token; the URL's signature and expiry are the only authority, and refusals
//! are 403s with an XML body.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;

use crate::model::Download;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::ServerState;
use crate::dataset_content::ImportOutcome;
use crate::dataset_content::{self, FileFormat};
use crate::error::s3_error;
use crate::faults::Injected;
use crate::model::{DatasetContent, V3Upload};

/// S3 takes up to 5 GB in one PUT. The body goes to disk as it arrives, so this bounds
/// disk use, not memory.
const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

pub(super) fn routes() -> Router<Arc<ServerState>> {
    Router::new()
        .route("/practice-storage/{*key}", put(put_object).get(get_object))
        .method_not_allowed_fallback(|| async {
            s3_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource; upload URLs take PUT.",
            )
        })
}

/// A presigned GET of a report or export. Signed over the key and expiry with no
/// content type, as a GET carries none.
async fn get_object(
    State(state): State<Arc<ServerState>>,
    Path(key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = two_ways_to_authenticate(&headers) {
        return refusal;
    }
    let Some((expires, signature)) = signed_query(&query) else {
        return unsigned_refusal();
    };
    if !state.signer.verify(&key, expires, "", signature) {
        return s3_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        );
    }
    if chrono::Utc::now().timestamp() >= expires {
        return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired");
    }
    let download: Option<Download> = state.store().downloads.get(&key).cloned();
    match download {
        Some(download) => (
            StatusCode::OK,
            [(CONTENT_TYPE, download.content_type)],
            download.bytes,
        )
            .into_response(),
        None => s3_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        ),
    }
}

/// The reason processing gives when a fault made it fail.
const INJECTED_FAILURE: &str = "Processing failed (a fault injected into the practice server).";

/// The expiry and signature of a presigned URL, when both are there.
fn signed_query(query: &HashMap<String, String>) -> Option<(i64, &str)> {
    let expires = query.get("expires")?.parse::<i64>().ok()?;
    Some((expires, query.get("signature")?.as_str()))
}

/// S3's answer to a URL without its expiry or signature.
fn unsigned_refusal() -> Response {
    s3_error(
        StatusCode::FORBIDDEN,
        "AccessDenied",
        "Query-string authentication requires the expires and signature parameters.",
    )
}

/// A presigned URL authenticates the request by itself; S3 refuses one that also
/// carries an `Authorization` header (a client that sends the Prolific token there is
/// also handing the token to the storage).
fn two_ways_to_authenticate(headers: &HeaderMap) -> Option<Response> {
    headers.contains_key(axum::http::header::AUTHORIZATION).then(|| {
        s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
        )
    })
}

async fn put_object(
    State(state): State<Arc<ServerState>>,
    Path(key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    injected: Option<axum::Extension<Injected>>,
    body: Body,
) -> Response {
    let injected = Injected::of(injected);
    if let Some(refusal) = two_ways_to_authenticate(&headers) {
        return refusal;
    }
    let Some((expires, signature)) = signed_query(&query) else {
        return unsigned_refusal();
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

    // Find what the upload is for before taking a byte of it.
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

    let object = state
        .storage_dir
        .path()
        .join(crate::ids::task_builder_id().simple().to_string());
    let etag = match store_object(body, &object).await {
        Ok(etag) => etag,
        Err(refusal) => {
            let _ = tokio::fs::remove_file(&object).await;
            return refusal;
        }
    };

    // Processing reads the stored object as a stream, off the async threads.
    let format = upload.format;
    let processed = tokio::task::spawn_blocking({
        let object = object.clone();
        move || match (&schema, injected.processing_error) {
            (None, true) => Processed::V3(Err(INJECTED_FAILURE.to_owned())),
            (None, false) => Processed::V3(match format {
                FileFormat::Zip => Err(
                    "The practice server cannot read ZIP files; upload the CSV itself.".to_owned(),
                ),
                FileFormat::Csv | FileFormat::Jsonl => dataset_content::parse_csv_source(&object),
            }),
            (Some(_), true) => Processed::V4(ImportOutcome::Failed {
                reason: INJECTED_FAILURE.to_owned(),
            }),
            (Some(schema), false) => {
                Processed::V4(dataset_content::import_from(&object, format, schema))
            }
        }
    })
    .await;
    // The parsed data is what the dataset keeps; the object itself is not needed again.
    let _ = tokio::fs::remove_file(&object).await;
    let Ok(processed) = processed else {
        return s3_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "We encountered an internal error. Please try again.",
        );
    };

    let delay = state.processing_delay();
    let mut store = state.store();
    match (
        processed,
        store
            .dataset_mut(upload.dataset_id)
            .map(|dataset| &mut dataset.content),
    ) {
        (Processed::V3(outcome), Some(DatasetContent::V3(v3))) => {
            v3.upload = Some(V3Upload {
                filename: upload.filename,
                ready_at: crate::clock::Moment::now().after(delay),
                outcome: crate::blob::Blob::new(outcome),
            });
        }
        (Processed::V4(outcome), Some(DatasetContent::V4(v4))) => {
            if let Some(import_id) = upload.import_id {
                v4.record_upload(import_id, delay, outcome);
            }
        }
        _ => {}
    }
    (StatusCode::OK, [(ETAG, etag)]).into_response()
}

enum Processed {
    V3(Result<dataset_content::Table, String>),
    V4(ImportOutcome),
}

/// Writes the body to `path` chunk by chunk, so memory stays bounded whatever the size,
/// and answers S3's ETag (here: the first 16 bytes of the SHA-256, hex, quoted).
async fn store_object(body: Body, path: &std::path::Path) -> Result<String, Response> {
    let internal = || {
        s3_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "We encountered an internal error. Please try again.",
        )
    };
    let mut file = tokio::fs::File::create(path).await.map_err(|error| {
        tracing::error!(%error, "creating a storage object failed");
        internal()
    })?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| {
            s3_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP header.",
            )
        })?;
        size = size.saturating_add(chunk.len() as u64);
        if size > MAX_UPLOAD_BYTES {
            return Err(s3_error(
                StatusCode::BAD_REQUEST,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size.",
            ));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(|error| {
            tracing::error!(%error, "writing a storage object failed");
            internal()
        })?;
    }
    file.flush().await.map_err(|_| internal())?;
    Ok(format!("\"{}\"", hex::encode(&hasher.finalize()[..16])))
}
