//! Task Builder batches (API-NOTES §4).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datasets::ProcessingStatus;
use super::lenient::{SchemaVersion, optional_text};

/// What participants are told about the task; all three are required when sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetails {
    pub task_name: String,
    /// Basic HTML.
    pub task_introduction: String,
    /// Basic HTML.
    pub task_steps: String,
}

/// `POST /data-collection/batches`. The name should be unique in the workspace: after an
/// unclear failure the client looks for a batch of this name before creating again.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewBatch {
    pub name: String,
    pub workspace_id: String,
    pub task_details: TaskDetails,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// The layout (pages → rows → columns → items), as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_items: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_sync_enabled: Option<bool>,
}

/// `PATCH /data-collection/batches/{id}`: only the fields set are sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BatchUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_details: Option<TaskDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// `Some(None)` sends `null`, which clears the layout; `None` leaves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_items: Option<Option<Vec<Value>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_sync_enabled: Option<bool>,
}

/// `POST /data-collection/batches/{id}/setup`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchSetup {
    /// Optional when a dataset is attached already.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// Tasks per group (default 1); ignored when the data names its own groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks_per_group: Option<u32>,
}

/// A batch (`AITaskBuilderBatch`, and the create answer's shape).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Batch {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<ProcessingStatus>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub created_at: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub datasets: Vec<BatchDataset>,
    #[serde(default)]
    pub total_task_count: Option<u64>,
    #[serde(default)]
    pub total_instruction_count: Option<u64>,
    #[serde(default)]
    pub total_task_groups: Option<u64>,
    /// A number here, a string on datasets; read either way.
    #[serde(default)]
    pub schema_version: Option<SchemaVersion>,
    #[serde(default)]
    pub task_details: Option<TaskDetails>,
    /// The layout with server ids; `None` for legacy batches.
    #[serde(default)]
    pub batch_items: Option<Vec<Value>>,
    #[serde(default)]
    pub auto_sync_enabled: Option<bool>,
}

/// A dataset attached to a batch, as the batch lists it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BatchDataset {
    pub id: String,
    #[serde(default)]
    pub total_datapoint_count: Option<u64>,
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}
