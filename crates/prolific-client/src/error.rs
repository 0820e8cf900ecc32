//! One typed error for every way a call to Prolific can fail, each with a plain-language
//! message a researcher can act on and a stable code the app can branch on.

use std::time::Duration;

use serde_json::Value;

/// `Display` is terse technical text for logs; the app's own sentences for the
/// researcher are in its catalogue (the engine's `Coded` impls for these errors).
#[derive(Debug, thiserror::Error)]
pub enum ProlificError {
    #[error("401: the API token was refused")]
    InvalidToken,
    #[error("403: no access{}", detail_suffix(.detail))]
    NoAccess { detail: Option<String> },
    #[error("404: not found{}", detail_suffix(.detail))]
    NotFound { detail: Option<String> },
    /// A 400 or 422. For a refused task layout (`422 INVALID_BATCH_ITEMS`), `issues`
    /// says where each problem is; `fields` names the request's fields Prolific refused
    /// (empty when the refusal is about the request as a whole).
    #[error(
        "refused ({} layout issues, fields {fields:?}){}",
        .issues.len(),
        detail_suffix(.detail)
    )]
    Validation {
        detail: Option<String>,
        issues: Vec<BatchItemIssue>,
        fields: Vec<String>,
    },
    #[error("429: rate limited (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    #[error("{status}: Prolific failing")]
    ProlificFailing { status: u16 },
    #[error("network: {0}")]
    Network(#[source] reqwest::Error),
    #[error("timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    #[error("{status}: unexpected answer{}", detail_suffix(.detail))]
    Unexpected { status: u16, detail: Option<String> },
    /// A list that may hold more than was received, where acting on part of it could
    /// make something twice or leave something out (`what` names its items).
    #[error("incomplete list of {what}")]
    IncompleteList { what: &'static str },
}

impl ProlificError {
    /// A stable machine code, the same across versions, for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidToken => "prolific.invalid_token",
            Self::NoAccess { .. } => "prolific.no_access",
            Self::NotFound { .. } => "prolific.not_found",
            Self::Validation { .. } => "prolific.validation",
            Self::RateLimited { .. } => "prolific.rate_limited",
            Self::ProlificFailing { .. } => "prolific.unavailable",
            Self::Network(_) => "prolific.network",
            Self::Timeout(_) => "prolific.timeout",
            Self::Unexpected { .. } => "prolific.unexpected",
            Self::IncompleteList { .. } => "prolific.incomplete_list",
        }
    }

    pub(crate) fn from_transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Network(error)
        }
    }

    /// Classifies an error answer from its status, `Retry-After` and body.
    pub(crate) fn from_answer(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<Value>(body).ok();
        if matches!(status, 400 | 422)
            && let Some(invalid) = parsed.as_ref().and_then(invalid_batch_items)
        {
            return invalid;
        }
        let detail = parsed.as_ref().and_then(detail_of);
        match status {
            401 => Self::InvalidToken,
            403 => Self::NoAccess { detail },
            404 => Self::NotFound { detail },
            400 | 422 => Self::Validation {
                detail,
                issues: Vec::new(),
                fields: parsed.as_ref().map(refused_fields).unwrap_or_default(),
            },
            429 => Self::RateLimited { retry_after },
            500..=599 => Self::ProlificFailing { status },
            _ => Self::Unexpected { status, detail },
        }
    }
}

/// One problem in a task layout, located by zero-based page, row, column and item as
/// Prolific reports it (API-NOTES §1.6).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct BatchItemIssue {
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub row: Option<u32>,
    #[serde(default)]
    pub column: Option<u32>,
    #[serde(default)]
    pub item: Option<u32>,
    /// The item's type (`multiple_choice`, …) or the level (`page`, `row`…).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The dataset field, for `dataset_field` issues.
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub message: String,
}

impl BatchItemIssue {
    /// Where the problem is, counted from one as a researcher would:
    /// "page 1, row 2, column 1, item 3".
    pub fn location(&self) -> String {
        [
            ("page", self.page),
            ("row", self.row),
            ("column", self.column),
            ("item", self.item),
        ]
        .into_iter()
        .filter_map(|(name, index)| index.map(|index| format!("{name} {}", index + 1)))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// `{"type": "INVALID_BATCH_ITEMS", "message", "issues": [...]}`.
fn invalid_batch_items(body: &Value) -> Option<ProlificError> {
    if body.get("type")?.as_str()? != "INVALID_BATCH_ITEMS" {
        return None;
    }
    let issues = body
        .get("issues")
        .and_then(Value::as_array)
        .map(|issues| {
            issues
                .iter()
                .filter_map(|issue| serde_json::from_value(issue.clone()).ok())
                .collect()
        })
        .unwrap_or_default();
    Some(ProlificError::Validation {
        detail: body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned),
        issues,
        fields: vec!["batch_items".to_owned()],
    })
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(detail) => format!(": {detail}"),
        None => String::new(),
    }
}

/// The human part of an error body, from the shapes Prolific uses (API-NOTES §1.6):
/// `error.detail` (text, list or field map), then `message`/`detail`.
/// The fields named in a refusal's `error.detail` when it is a map of field → messages.
fn refused_fields(body: &Value) -> Vec<String> {
    body.pointer("/error/detail")
        .and_then(Value::as_object)
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

fn detail_of(body: &Value) -> Option<String> {
    let text = |value: &Value| -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Value::Object(fields) => Some(
                fields
                    .iter()
                    .map(|(field, messages)| {
                        let messages = match messages {
                            Value::Array(items) => items
                                .iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(" "),
                            other => other.as_str().unwrap_or_default().to_owned(),
                        };
                        format!("{field}: {messages}")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            _ => None,
        }
    };
    body.pointer("/error/detail")
        .and_then(text)
        .or_else(|| body.get("message").and_then(text))
        .or_else(|| body.get("detail").and_then(text))
        .filter(|detail| !detail.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_error_shape() {
        let standard = br#"{"error":{"status":400,"error_code":140001,"title":"Bad request","detail":"Name is required."}}"#;
        let listed =
            br#"{"error":{"status":400,"error_code":1,"title":"t","detail":["One.","Two."]}}"#;
        let fields = br#"{"error":{"status":400,"error_code":1,"title":"t","detail":{"reward":["Too low."]}}}"#;
        let simple = br#"{"message":"Workspace is archived","detail":"x"}"#;
        let cases: [(&[u8], &str, &[&str]); 4] = [
            (standard, "Name is required.", &[]),
            (listed, "One. Two.", &[]),
            (fields, "reward: Too low.", &["reward"]),
            (simple, "Workspace is archived", &[]),
        ];
        for (body, expected, named) in cases {
            match ProlificError::from_answer(400, None, body) {
                ProlificError::Validation { detail, fields, .. } => {
                    assert_eq!(detail.as_deref(), Some(expected));
                    assert_eq!(fields, named);
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn classifies_by_status() {
        assert_eq!(
            ProlificError::from_answer(401, None, b"").code(),
            "prolific.invalid_token"
        );
        assert_eq!(
            ProlificError::from_answer(403, None, b"not json").code(),
            "prolific.no_access"
        );
        assert_eq!(
            ProlificError::from_answer(404, None, b"{}").code(),
            "prolific.not_found"
        );
        assert_eq!(
            ProlificError::from_answer(422, None, b"{}").code(),
            "prolific.validation"
        );
        assert_eq!(
            ProlificError::from_answer(503, None, b"").code(),
            "prolific.unavailable"
        );
        assert_eq!(
            ProlificError::from_answer(418, None, b"").code(),
            "prolific.unexpected"
        );
        match ProlificError::from_answer(429, Some(Duration::from_secs(7)), b"") {
            ProlificError::RateLimited { retry_after } => {
                assert_eq!(retry_after, Some(Duration::from_secs(7)))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_invalid_batch_items_with_locations() {
        let body = br#"{"type":"INVALID_BATCH_ITEMS","message":"batch_items is invalid (2 issues).",
            "issues":[{"page":0,"row":1,"column":0,"item":2,"type":"multiple_choice","message":"answer_limit is larger than the number of options."},
                      {"page":1,"row":0,"column":0,"item":0,"type":"dataset_field","field":"text","message":"No such field","extra":true}]}"#;
        let error = ProlificError::from_answer(422, None, body);
        let ProlificError::Validation { detail, issues, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(
            detail.as_deref(),
            Some("batch_items is invalid (2 issues).")
        );
        assert_eq!(issues.len(), 2);
        assert_eq!(
            (
                issues[0].page,
                issues[0].row,
                issues[0].column,
                issues[0].item
            ),
            (Some(0), Some(1), Some(0), Some(2))
        );
        assert_eq!(issues[1].field.as_deref(), Some("text"));
        assert_eq!(issues[0].location(), "page 1, row 2, column 1, item 3");
        assert_eq!(
            issues[0].message,
            "answer_limit is larger than the number of options."
        );
        assert_eq!(
            error.to_string(),
            "refused (2 layout issues, fields [\"batch_items\"]): batch_items is invalid (2 issues)."
        );
        assert_eq!(error.code(), "prolific.validation");
    }

    #[test]
    fn the_display_is_for_logs_with_the_status_and_prolifics_words() {
        let error = ProlificError::NotFound {
            detail: Some("Study not found.".into()),
        };
        assert_eq!(error.to_string(), "404: not found: Study not found.");
        assert!(ProlificError::InvalidToken.to_string().starts_with("401"));
    }
}
