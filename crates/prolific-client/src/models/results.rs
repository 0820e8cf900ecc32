//! A batch's results (API-NOTES §4.9–4.11): response records as JSON, the CSV report
//! and the ZIP export, the last two handed out as presigned URLs.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::lenient::{SchemaVersion, lenient_enum, optional_text};

/// A presigned storage URL. Until it expires it is a credential for its file, so
/// `Debug` leaves out its query (the signature).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct PresignedUrl(String);

impl PresignedUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_once('?') {
            Some((path, _)) => write!(f, "{path:?}?<signed>"),
            None => write!(f, "{:?}", self.0),
        }
    }
}

lenient_enum!(
    /// The kind of question a response answers.
    ResponseType {
        MultipleChoice => "multiple_choice",
        FreeText => "free_text",
        FreeTextWithUnit => "free_text_with_unit",
        MultipleChoiceWithFreeText => "multiple_choice_with_free_text",
        FileUpload => "file_upload",
    }
);

/// One answer to one question about one task (`AITaskBuilderTaskResponse`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TaskResponse {
    pub id: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub created_at: Option<String>,
    pub batch_id: String,
    pub participant_id: String,
    #[serde(default)]
    pub submission_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    pub task_id: String,
    /// The datapoint's hidden `META_` fields.
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    #[serde(default)]
    pub schema_version: Option<SchemaVersion>,
    #[serde(default)]
    pub no_submission: Option<bool>,
    pub response: ResponseContent,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ResponseContent {
    pub instruction_id: String,
    #[serde(rename = "type")]
    pub kind: ResponseType,
    #[serde(default)]
    pub answer: Vec<Answer>,
}

/// One item of an answer: an option chosen (one item each), a text, a number with its
/// unit, a choice with its explanation, or an uploaded file's details.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Answer {
    /// Text, a number or a boolean.
    #[serde(default)]
    pub value: Option<Value>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
    #[serde(default)]
    pub file_key: Option<String>,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub file_size_mb: Option<f64>,
    #[serde(default)]
    pub content_type: Option<String>,
}

/// `GET /batches/{id}/report/`: where to download the CSV report.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ReportLink {
    pub url: PresignedUrl,
    #[serde(default, deserialize_with = "optional_text")]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub http_method: Option<String>,
}

/// Where a ZIP export stands (`BatchExportStatus`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportState {
    /// Being built; poll with its id.
    Generating { export_id: String },
    /// Ready. The URL is valid for an hour; polling again gives a fresh one.
    Complete {
        url: PresignedUrl,
        expires_at: Option<String>,
        export_id: Option<String>,
    },
    /// Building failed; requesting the export again retries.
    Failed,
    /// A status this version of Batchdesk does not know, kept as sent.
    Other(String),
}

impl ExportState {
    /// Whether polling longer can change it.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Generating { .. })
    }
}

/// The three shapes of the answer in one lenient struct, then sorted out.
#[derive(Deserialize)]
struct ExportAnswer {
    status: String,
    #[serde(default)]
    export_id: Option<String>,
    #[serde(default)]
    url: Option<PresignedUrl>,
    #[serde(default, deserialize_with = "optional_text")]
    expires_at: Option<String>,
}

impl<'de> Deserialize<'de> for ExportState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let answer = ExportAnswer::deserialize(deserializer)?;
        Ok(
            match (answer.status.to_ascii_lowercase().as_str(), answer) {
                (
                    "generating",
                    ExportAnswer {
                        export_id: Some(export_id),
                        ..
                    },
                ) => Self::Generating { export_id },
                (
                    "complete",
                    ExportAnswer {
                        url: Some(url),
                        expires_at,
                        export_id,
                        ..
                    },
                ) => Self::Complete {
                    url,
                    expires_at,
                    export_id,
                },
                ("failed", _) => Self::Failed,
                (_, answer) => Self::Other(answer.status),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn responses_read_every_answer_kind() {
        let record: TaskResponse = serde_json::from_value(json!({
            "id": "0192a3b5-e8f9-7a0b-8000-00000000000a", "created_at": "2026-11-23T10:00:00Z",
            "batch_id": "0192a3b5-e8f9-7a0b-8000-000000000001",
            "participant_id": "60bf9310e8dec401be6e9615", "submission_id": "60d9aadeb86739de712faee0",
            "correlation_id": "c", "task_id": "t1", "metadata": {"META_id": "7"},
            "schema_version": 1, "no_submission": false,
            "response": {"instruction_id": "i1", "type": "multiple_choice_with_free_text",
                         "answer": [{"value": "positive", "explanation": "It says so."},
                                    {"value": 3.5, "unit": "kg"},
                                    {"file_key": "k", "file_name": "a.png", "file_size_mb": 0.2,
                                     "content_type": "image/png"}]},
            "something_new": true
        }))
        .unwrap();
        assert_eq!(
            record.response.kind,
            ResponseType::MultipleChoiceWithFreeText
        );
        assert_eq!(record.response.answer.len(), 3);
        assert_eq!(record.response.answer[1].unit.as_deref(), Some("kg"));
        assert_eq!(record.response.answer[2].file_size_mb, Some(0.2));
        assert_eq!(record.metadata["META_id"], "7");
        let other: ResponseContent =
            serde_json::from_value(json!({"instruction_id": "i", "type": "ranking", "answer": []}))
                .unwrap();
        assert_eq!(other.kind, ResponseType::Other("ranking".into()));
    }

    #[test]
    fn each_export_shape_reads() {
        let read = |value| serde_json::from_value::<ExportState>(value).unwrap();
        assert_eq!(
            read(json!({"status": "generating", "export_id": "e1"})),
            ExportState::Generating {
                export_id: "e1".into()
            }
        );
        let complete = read(json!({"status": "complete",
            "url": "https://s3.example/x.zip?X-Amz-Signature=secret",
            "expires_at": "2026-11-23T11:00:00Z"}));
        let ExportState::Complete { url, .. } = &complete else {
            panic!("{complete:?}");
        };
        assert_eq!(
            url.as_str(),
            "https://s3.example/x.zip?X-Amz-Signature=secret"
        );
        assert!(!format!("{complete:?}").contains("secret"));
        assert_eq!(read(json!({"status": "failed"})), ExportState::Failed);
        assert_eq!(
            read(json!({"status": "queued"})),
            ExportState::Other("queued".into())
        );
        assert!(ExportState::Failed.is_final());
        assert!(
            !ExportState::Generating {
                export_id: "e".into()
            }
            .is_final()
        );
    }

    #[test]
    fn a_report_link_reads_and_hides_its_signature() {
        let link: ReportLink = serde_json::from_value(json!({
            "url": "https://s3.example/report.csv?sig=secret",
            "expires_at": "2026-11-23T11:00:00Z", "http_method": "GET"
        }))
        .unwrap();
        assert_eq!(link.http_method.as_deref(), Some("GET"));
        let shown = format!("{link:?}");
        assert!(
            shown.contains("report.csv") && !shown.contains("secret"),
            "{shown}"
        );
    }
}
