//! Reading JSON request bodies into the checks Prolific makes, with its 400 shape
//! (`detail` as a map of field to messages) instead of axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{ApiError, FieldErrors};

/// A JSON object body. An empty body reads as `{}`, so endpoints whose body is optional
/// (batch setup) accept a bare POST.
#[derive(Debug, Default)]
pub(crate) struct JsonBody(pub(crate) Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(object)) => Ok(Self(object)),
            Ok(_) => Err(ApiError::bad_request(
                "The request body must be a JSON object.",
            )),
            Err(error) => Err(ApiError::bad_request(format!("JSON parse error - {error}"))),
        }
    }
}

pub(crate) const REQUIRED: &str = "This field is required.";

/// Checks fields of one JSON object, collecting every problem before answering.
/// `'a` is the body's lifetime (values read from it may outlive the reader); `'e` that
/// of the error list.
pub(crate) struct FieldReader<'a, 'e> {
    object: &'a Map<String, Value>,
    prefix: String,
    pub(crate) errors: &'e mut FieldErrors,
}

impl<'a, 'e> FieldReader<'a, 'e> {
    pub(crate) fn new(object: &'a Map<String, Value>, errors: &'e mut FieldErrors) -> Self {
        Self {
            object,
            prefix: String::new(),
            errors,
        }
    }

    /// A reader for a nested object whose errors are named `prefix.field`.
    pub(crate) fn nested(
        object: &'a Map<String, Value>,
        prefix: &str,
        errors: &'e mut FieldErrors,
    ) -> Self {
        Self {
            object,
            prefix: format!("{prefix}."),
            errors,
        }
    }

    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub(crate) fn error(&mut self, field: &str, message: impl Into<String>) {
        let name = self.name(field);
        self.errors.add(&name, message);
    }

    /// The raw value, with JSON `null` read as absent.
    pub(crate) fn value(&self, field: &str) -> Option<&'a Value> {
        self.object.get(field).filter(|value| !value.is_null())
    }

    pub(crate) fn is_present(&self, field: &str) -> bool {
        self.object.contains_key(field)
    }

    /// A required, non-blank string.
    pub(crate) fn required_string(&mut self, field: &str) -> Option<String> {
        match self.value(field) {
            None => {
                self.error(field, REQUIRED);
                None
            }
            Some(value) => self.string_value(field, value),
        }
    }

    /// An optional string; when present it must not be blank.
    pub(crate) fn optional_string(&mut self, field: &str) -> Option<String> {
        let value = self.value(field)?;
        self.string_value(field, value)
    }

    fn string_value(&mut self, field: &str, value: &Value) -> Option<String> {
        match value.as_str() {
            Some(text) if text.trim().is_empty() => {
                self.error(field, "This field may not be blank.");
                None
            }
            Some(text) => Some(text.to_owned()),
            None => {
                self.error(field, "Not a valid string.");
                None
            }
        }
    }

    pub(crate) fn optional_bool(&mut self, field: &str) -> Option<bool> {
        let value = self.value(field)?;
        let boolean = value.as_bool();
        if boolean.is_none() {
            self.error(field, "Must be a valid boolean.");
        }
        boolean
    }

    pub(crate) fn optional_integer(&mut self, field: &str) -> Option<i64> {
        let value = self.value(field)?;
        let integer = value.as_i64();
        if integer.is_none() {
            self.error(field, "A valid integer is required.");
        }
        integer
    }

    pub(crate) fn optional_uuid(&mut self, field: &str) -> Option<Uuid> {
        let text = self.optional_string(field)?;
        let parsed = crate::ids::parse_uuid(&text);
        if parsed.is_none() {
            self.error(field, "Must be a valid UUID.");
        }
        parsed
    }

    /// An optional JSON object.
    pub(crate) fn optional_object(&mut self, field: &str) -> Option<&'a Map<String, Value>> {
        let value = self.value(field)?;
        let object = value.as_object();
        if object.is_none() {
            self.error(field, "Must be a JSON object.");
        }
        object
    }

    /// A whole number of at least `min`; a 400 on `field` when it is missing or is not one.
    pub(crate) fn required_whole(&mut self, field: &str, min: i64) -> Option<i64> {
        let Some(value) = self.value(field) else {
            self.error(field, REQUIRED);
            return None;
        };
        match whole_number(value) {
            Some(number) if number >= min => Some(number),
            Some(_) => {
                self.error(
                    field,
                    format!("Ensure this value is greater than or equal to {min}."),
                );
                None
            }
            None => {
                self.error(field, "A valid integer is required.");
                None
            }
        }
    }

    /// One of `allowed` (or absent, unless `required`); a 400 on `field` otherwise.
    pub(crate) fn one_of(&mut self, field: &str, allowed: &[&str], required: bool) {
        match self.value(field).map(Value::as_str) {
            None if required => self.error(field, REQUIRED),
            None => {}
            Some(Some(text)) if allowed.contains(&text) => {}
            Some(_) => self.error(field, format!("Must be one of: {}.", allowed.join(", "))),
        }
    }
}

/// A whole number; JSON numbers like `100.0` count, `1.5` not.
pub(crate) fn whole_number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|number| number.fract() == 0.0 && number.abs() < 9.0e15)
            .map(|number| number as i64)
    })
}
