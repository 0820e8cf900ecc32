//! Task Builder datasets (API-NOTES §3).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::lenient::{SchemaVersion, lenient_enum, optional_text};

lenient_enum!(
    /// A V3 dataset's or a batch's processing state.
    ProcessingStatus {
        Uninitialised => "UNINITIALISED",
        Processing => "PROCESSING",
        Ready => "READY",
        Error => "ERROR",
    }
);

impl ProcessingStatus {
    /// Whether waiting longer can change it.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Ready | Self::Error)
    }
}

lenient_enum!(
    /// A V4 import job's state.
    ImportStatus {
        Uninitialised => "uninitialised",
        Queued => "queued",
        Processing => "processing",
        Complete => "complete",
        Partial => "partial",
        Failed => "failed",
        PendingSchema => "pending_schema",
    }
);

impl ImportStatus {
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Complete | Self::Partial | Self::Failed | Self::PendingSchema
        )
    }
}

lenient_enum!(
    /// The type of a V4 schema field.
    FieldType {
        Text => "text",
        ImageUrl => "image_url",
        AudioUrl => "audio_url",
        VideoUrl => "video_url",
        Metadata => "metadata",
        TaskGroupId => "task_group_id",
    }
);

/// A V4 dataset's schema: `{strict, fields: {key: {type, label?}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetSchema {
    /// Refuse records that lack a field (`true`) or treat the field as absent.
    #[serde(default)]
    pub strict: bool,
    pub fields: BTreeMap<String, SchemaField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaField {
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// `POST /data-collection/datasets`: with a schema the dataset is V4, without V3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewDataset {
    pub name: String,
    pub workspace_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<DatasetSchema>,
}

/// A dataset as created or fetched (`AITaskBuilderDataset`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub created_at: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub total_datapoint_count: Option<u64>,
    /// `"3"` or `"4"` (a string here, a number on batches).
    #[serde(default)]
    pub schema_version: Option<SchemaVersion>,
    /// V3 only.
    #[serde(default)]
    pub status: Option<ProcessingStatus>,
    /// V3 only.
    #[serde(default)]
    pub filename: Option<String>,
    /// V3 only: whether a `META_TASK_GROUP_ID` column exists.
    #[serde(default)]
    pub has_predetermined_grouping_id: Option<bool>,
    /// V4 only.
    #[serde(default)]
    pub schema: Option<DatasetSchema>,
    /// V4 only, newest first.
    #[serde(default)]
    pub imports: Option<Vec<ImportJob>>,
}

impl Dataset {
    /// V4 when it has a schema or says so.
    pub fn is_v4(&self) -> bool {
        self.schema.is_some()
            || self
                .schema_version
                .as_ref()
                .and_then(SchemaVersion::number)
                .is_some_and(|version| version >= 4)
    }
}

/// `{ "status": … }` from a dataset's or a batch's status endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StatusAnswer {
    pub status: ProcessingStatus,
}

/// `GET /datasets/{id}/upload-url/{filename}` (201). The URL is a credential for its
/// storage key until it expires, so `Debug` leaves out its query (the signature).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct UploadUrl {
    #[serde(default)]
    pub dataset_id: Option<String>,
    pub upload_url: String,
    #[serde(default)]
    pub http_method: Option<String>,
    /// Send exactly this as `Content-Type`: it is part of the signature.
    pub content_type: String,
    #[serde(default, deserialize_with = "optional_text")]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub file_key: Option<String>,
    /// V4 only: the import job this upload feeds.
    #[serde(default)]
    pub import_id: Option<String>,
}

impl fmt::Debug for UploadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let without_query = self
            .upload_url
            .split_once('?')
            .map_or(self.upload_url.as_str(), |(path, _)| path);
        f.debug_struct("UploadUrl")
            .field("dataset_id", &self.dataset_id)
            .field("upload_url", &format_args!("{without_query}?<signed>"))
            .field("http_method", &self.http_method)
            .field("content_type", &self.content_type)
            .field("expires_at", &self.expires_at)
            .field("file_key", &self.file_key)
            .field("import_id", &self.import_id)
            .finish()
    }
}

/// A V4 import job (`DatasetImportJob`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ImportJob {
    pub import_id: String,
    pub status: ImportStatus,
    #[serde(default)]
    pub dataset_id: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub accepted_count: Option<u64>,
    #[serde(default)]
    pub rejected_count: Option<u64>,
    #[serde(default)]
    pub errors: Vec<ImportRecordError>,
    /// Why a `failed` import failed.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A record a V4 import refused; `record_index` is zero-based, `field` `_raw` means the
/// record could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ImportRecordError {
    #[serde(default)]
    pub record_index: Option<u64>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}
