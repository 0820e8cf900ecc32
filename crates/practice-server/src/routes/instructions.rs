//! The legacy batch instructions endpoints (API-NOTES §5), which Prolific sunset on
//! 2026-09-01 in favour of a batch's `batch_items`. After a sunset an endpoint may stop
//! answering at all; the spec says nothing of what it answers then, so the stricter
//! reading is taken: every call is refused, `410 Gone` in the standard error shape, still
//! with the `Deprecation` and `Sunset` headers so that a client can tell why. A batch's
//! questions are set through its layout only.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Route, Verb, route};
use crate::error::ApiError;

const PATH: &str = "/api/v1/data-collection/batches/{batch_id}/instructions";
const SUNSET: &str = "Tue, 01 Sep 2026 23:59:59 GMT";

pub(super) fn routes() -> Vec<Route> {
    // Their "success" is the refusal: that is what the contract test checks them for.
    vec![
        route(Verb::Get, PATH, StatusCode::GONE, gone),
        route(Verb::Post, PATH, StatusCode::GONE, gone),
        route(Verb::Put, PATH, StatusCode::GONE, gone),
    ]
}

async fn gone() -> Response {
    let mut response = ApiError {
        status: StatusCode::GONE,
        error_code: 140_410,
        title: "Gone",
        detail: json!(
            "The batch instructions endpoints were sunset on 1 September 2026. Set a batch's questions in its batch_items (PATCH /api/v1/data-collection/batches/{batch_id})."
        ),
    }
    .into_response();
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
