//! One typed error for every way a call to Prolific can fail, each with a plain-language
//! message a researcher can act on and a stable code the app can branch on.

use std::time::Duration;

use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum ProlificError {
    #[error(
        "Prolific did not accept the API token. It may have been deleted or mistyped: \
         create a new one on Prolific's API tokens page and connect again."
    )]
    InvalidToken,
    #[error("Your Prolific account does not have access to this{}.", detail_suffix(.detail))]
    NoAccess { detail: Option<String> },
    #[error("Prolific could not find this{}.", detail_suffix(.detail))]
    NotFound { detail: Option<String> },
    #[error("Prolific refused the request{}.", detail_suffix(.detail))]
    Validation { detail: Option<String> },
    #[error("Prolific is receiving too many requests. Batchdesk will try again shortly.")]
    RateLimited { retry_after: Option<Duration> },
    #[error("Prolific is having trouble right now (error {status}). Try again in a few minutes.")]
    ProlificFailing { status: u16 },
    #[error("Batchdesk could not reach Prolific. Check your internet connection and try again.")]
    Network(#[source] reqwest::Error),
    #[error("Prolific took too long to answer. Check your internet connection and try again.")]
    Timeout(#[source] reqwest::Error),
    #[error("Prolific answered in a way Batchdesk did not expect (status {status}).")]
    Unexpected { status: u16, detail: Option<String> },
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
        let detail = serde_json::from_slice::<Value>(body)
            .ok()
            .as_ref()
            .and_then(detail_of);
        match status {
            401 => Self::InvalidToken,
            403 => Self::NoAccess { detail },
            404 => Self::NotFound { detail },
            400 | 422 => Self::Validation { detail },
            429 => Self::RateLimited { retry_after },
            500..=599 => Self::ProlificFailing { status },
            _ => Self::Unexpected { status, detail },
        }
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(detail) => format!(": {}", detail.trim_end_matches('.')),
        None => String::new(),
    }
}

/// The human part of an error body, from the shapes Prolific uses (API-NOTES §1.6):
/// `error.detail` (text, list or field map), then `message`/`detail`.
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
        let cases: [(&[u8], &str); 4] = [
            (standard, "Name is required."),
            (listed, "One. Two."),
            (fields, "reward: Too low."),
            (simple, "Workspace is archived"),
        ];
        for (body, expected) in cases {
            match ProlificError::from_answer(400, None, body) {
                ProlificError::Validation { detail } => {
                    assert_eq!(detail.as_deref(), Some(expected))
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
    fn messages_are_plain_sentences() {
        let error = ProlificError::NotFound {
            detail: Some("Study not found.".into()),
        };
        assert_eq!(
            error.to_string(),
            "Prolific could not find this: Study not found."
        );
        assert!(!ProlificError::InvalidToken.to_string().contains("401"));
    }
}
