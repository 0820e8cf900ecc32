//! Errors in the shapes Prolific answers with (see API-NOTES §1.6), and the S3-style
//! error document the storage behind presigned URLs answers with.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error answered in Prolific's standard shape:
/// `{"error": {"status", "error_code", "title", "detail"}}`.
///
/// `detail` is a string, a list of strings, or a map of field name to messages, as the
/// spec's `ErrorDetailDetail` allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub error_code: u32,
    pub title: &'static str,
    pub detail: Value,
}

impl ApiError {
    pub fn unauthenticated() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error_code: 140_100,
            title: "Not authenticated",
            detail: json!("Invalid token."),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            error_code: 140_400,
            title: "Not found",
            detail: json!(format!("{what} not found.")),
        }
    }

    /// A list's page that does not exist (below 1, past the last, not a number): 404
    /// "Invalid page.", as Prolific (Django REST framework) answers it.
    pub fn invalid_page() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            error_code: 140_400,
            title: "Not found",
            detail: json!("Invalid page."),
        }
    }

    /// A 400 whose detail is a plain sentence.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_code: 140_001,
            title: "Bad request",
            detail: json!(detail.into()),
        }
    }

    pub fn method_not_allowed() -> Self {
        Self {
            status: StatusCode::METHOD_NOT_ALLOWED,
            error_code: 140_405,
            title: "Method not allowed",
            detail: json!("This method is not allowed on this resource."),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_code: 140_001,
            title: "Bad request",
            detail: json!(errors.0),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "status": self.status.as_u16(),
                "error_code": self.error_code,
                "title": self.title,
                "detail": self.detail,
            }
        });
        (self.status, Json(body)).into_response()
    }
}

/// Per-field messages for a 400, the `{ "<field>": ["msg", …] }` form of `detail`.
/// Field names of nested objects are dotted (`task_details.task_name`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, else the 400 to answer.
    pub(crate) fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.into())
        }
    }
}

pub(crate) type ApiResult<T = Json<Value>> = Result<T, ApiError>;

/// An S3-style error document, as the storage behind presigned URLs answers.
pub(crate) fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{}</RequestId></Error>",
        crate::ids::task_builder_id().simple()
    );
    (status, [(CONTENT_TYPE, "application/xml")], body).into_response()
}
