//! Task Builder datasets (API-NOTES §3): V3 (a CSV whose status the dataset carries) and
//! V4 (a schema, with one import job per upload).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::blob::Blob;
use crate::clock::Moment;
use crate::dataset_content::{DatasetSchema, FileFormat, ImportOutcome, SchemaField, Table};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Dataset {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) created_at: Moment,
    pub(crate) created_by: String,
    pub(crate) workspace_id: String,
    pub(crate) content: DatasetContent,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) enum DatasetContent {
    V3(V3Content),
    V4(V4Content),
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct V3Content {
    /// The latest completed upload; a later upload replaces the data of an earlier one.
    pub(crate) upload: Option<V3Upload>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct V3Upload {
    pub(crate) filename: String,
    /// When processing "finishes": the dataset reads `PROCESSING` until then.
    pub(crate) ready_at: Moment,
    /// Saved in a file of its own: the rows can be many.
    pub(crate) outcome: Blob<Result<Table, String>>,
}

impl V3Content {
    pub(crate) fn status(&self) -> &'static str {
        match &self.upload {
            None => "UNINITIALISED",
            Some(upload) if !upload.ready_at.has_passed() => "PROCESSING",
            Some(upload) if upload.outcome.is_ok() => "READY",
            Some(_) => "ERROR",
        }
    }

    /// The table, once processing has finished well.
    pub(crate) fn ready_table(&self) -> Option<&Table> {
        let upload = self.upload.as_ref()?;
        if !upload.ready_at.has_passed() {
            return None;
        }
        (*upload.outcome).as_ref().ok()
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct V4Content {
    pub(crate) schema: DatasetSchema,
    /// Oldest first; shown newest first.
    pub(crate) imports: Vec<ImportJob>,
}

impl V4Content {
    /// Records an upload for `import_id`. Imports of one dataset are processed one after
    /// another, so this one waits (`queued`) for any earlier one still in progress.
    pub(crate) fn record_upload(
        &mut self,
        import_id: Uuid,
        delay: Duration,
        outcome: ImportOutcome,
    ) {
        let uploaded_at = Moment::now();
        let starts_at = self
            .imports
            .iter()
            .filter(|job| job.id != import_id)
            .filter_map(|job| job.run.as_ref().map(|run| run.ready_at))
            .fold(uploaded_at, Moment::max);
        if let Some(job) = self.imports.iter_mut().find(|job| job.id == import_id) {
            job.run = Some(ImportRun {
                uploaded_at,
                starts_at,
                ready_at: starts_at.after(delay),
                outcome: Blob::new(outcome),
            });
        }
    }

    /// Records of every import that has finished and accepted some.
    pub(crate) fn accepted_records(&self) -> impl Iterator<Item = &serde_json::Map<String, Value>> {
        self.imports
            .iter()
            .filter_map(ImportJob::finished_outcome)
            .flat_map(|outcome| match outcome {
                ImportOutcome::Accepted { records, .. } => records.as_slice(),
                ImportOutcome::Failed { .. } => &[],
            })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ImportJob {
    pub(crate) id: Uuid,
    pub(crate) filename: String,
    pub(crate) created_at: Moment,
    pub(crate) run: Option<ImportRun>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ImportRun {
    pub(crate) uploaded_at: Moment,
    pub(crate) starts_at: Moment,
    pub(crate) ready_at: Moment,
    /// Saved in a file of its own: the records can be many.
    pub(crate) outcome: Blob<ImportOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportStatus {
    Uninitialised,
    Queued,
    Processing,
    Complete,
    Partial,
    Failed,
}

impl ImportStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Uninitialised => "uninitialised",
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::Failed => "failed",
        }
    }
}

impl ImportJob {
    pub(crate) fn status(&self) -> ImportStatus {
        match &self.run {
            None => ImportStatus::Uninitialised,
            Some(run) if !run.starts_at.has_passed() => ImportStatus::Queued,
            Some(run) if !run.ready_at.has_passed() => ImportStatus::Processing,
            Some(run) => match &*run.outcome {
                ImportOutcome::Accepted { errors, .. } if errors.is_empty() => {
                    ImportStatus::Complete
                }
                ImportOutcome::Accepted { .. } => ImportStatus::Partial,
                ImportOutcome::Failed { .. } => ImportStatus::Failed,
            },
        }
    }

    fn finished_outcome(&self) -> Option<&ImportOutcome> {
        let run = self.run.as_ref()?;
        run.ready_at.has_passed().then_some(&*run.outcome)
    }

    /// `DatasetImportJob`, with the fields its status calls for.
    pub(crate) fn to_json(&self, dataset_id: Uuid) -> Value {
        let status = self.status();
        let updated_at = match (&self.run, status) {
            (None, _) => self.created_at,
            (Some(run), ImportStatus::Queued) => run.uploaded_at,
            (Some(run), ImportStatus::Processing) => run.starts_at,
            (Some(run), _) => run.ready_at,
        };
        let mut job = json!({
            "dataset_id": dataset_id,
            "import_id": self.id,
            "type": "file_upload",
            "filename": self.filename,
            "created_at": self.created_at.timestamp(),
            "updated_at": updated_at.timestamp(),
            "status": status.as_str(),
        });
        match self.finished_outcome() {
            Some(ImportOutcome::Accepted { records, errors }) => {
                job["accepted_count"] = json!(records.len());
                if !errors.is_empty() {
                    job["rejected_count"] = json!(errors.len());
                    job["errors"] = errors.iter().map(|error| error.to_json()).collect();
                }
            }
            Some(ImportOutcome::Failed { reason }) => job["reason"] = json!(reason),
            None => {}
        }
        job
    }
}

/// An upload URL handed out and not yet used up: what a PUT to its key feeds.
#[derive(Debug, Clone)]
pub(crate) struct PendingUpload {
    pub(crate) dataset_id: Uuid,
    pub(crate) import_id: Option<Uuid>,
    pub(crate) filename: String,
    pub(crate) format: FileFormat,
    /// When the URL stops working (Unix seconds); kept entries are dropped after it.
    pub(crate) expires: i64,
}

/// The tasks and task groups a setup makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct TaskPlan {
    pub(crate) total_task_count: u64,
    pub(crate) total_task_groups: u64,
    pub(crate) tasks_per_group: u64,
}

impl Dataset {
    pub(crate) fn schema_version(&self) -> &'static str {
        match self.content {
            DatasetContent::V3(_) => "3",
            DatasetContent::V4(_) => "4",
        }
    }

    /// The fields a `dataset_field` layout item may name: only a V4 dataset has them.
    pub(crate) fn schema_fields(&self) -> Option<&BTreeMap<String, SchemaField>> {
        match &self.content {
            DatasetContent::V3(_) => None,
            DatasetContent::V4(v4) => Some(&v4.schema.fields),
        }
    }

    pub(crate) fn total_datapoint_count(&self) -> usize {
        match &self.content {
            DatasetContent::V3(v3) => v3.ready_table().map_or(0, |table| table.rows.len()),
            DatasetContent::V4(v4) => v4.accepted_records().count(),
        }
    }

    /// The name of the file the data came from, for a batch's `datasets[]`.
    pub(crate) fn filename(&self) -> Option<&str> {
        match &self.content {
            DatasetContent::V3(v3) => v3.upload.as_ref().map(|upload| upload.filename.as_str()),
            DatasetContent::V4(v4) => v4
                .imports
                .iter()
                .rev()
                .find(|job| job.run.is_some())
                .map(|job| job.filename.as_str()),
        }
    }

    /// `AITaskBuilderDataset`: V3 carries its status, V4 its schema and imports.
    pub(crate) fn to_json(&self) -> Value {
        let mut dataset = json!({
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.timestamp(),
            "created_by": self.created_by,
            "workspace_id": self.workspace_id,
            "total_datapoint_count": self.total_datapoint_count(),
            "schema_version": self.schema_version(),
        });
        match &self.content {
            DatasetContent::V3(v3) => {
                dataset["status"] = json!(v3.status());
                dataset["filename"] = json!(self.filename());
                dataset["has_predetermined_grouping_id"] =
                    json!(v3.ready_table().map(Table::has_predetermined_grouping_id));
            }
            DatasetContent::V4(v4) => {
                dataset["schema"] = v4.schema.to_json();
                dataset["imports"] = v4
                    .imports
                    .iter()
                    .rev()
                    .map(|job| job.to_json(self.id))
                    .collect();
            }
        }
        dataset
    }

    /// The tasks and groups a batch setup would make from this dataset now, or why it
    /// cannot be set up yet. Every datapoint is one task (paired with all instructions);
    /// tasks go into groups of `tasks_per_group`, unless the data names its own groups
    /// (`META_TASK_GROUP_ID` or a `task_group_id` field), which then win.
    pub(crate) fn task_plan(&self, tasks_per_group: u64) -> Result<TaskPlan, String> {
        let keys: Vec<Option<String>> = match &self.content {
            DatasetContent::V3(v3) => {
                let Some(table) = v3.ready_table() else {
                    return Err(format!(
                        "The dataset is {}; a batch can be set up only from a READY dataset.",
                        v3.status()
                    ));
                };
                table
                    .group_keys()
                    .unwrap_or_else(|| vec![None; table.rows.len()])
            }
            DatasetContent::V4(v4) => {
                if !v4
                    .imports
                    .iter()
                    .any(|job| job.status() == ImportStatus::Complete)
                {
                    return Err(
                        "The dataset has no import with status complete yet; upload a file and wait for its import to finish."
                            .to_owned(),
                    );
                }
                let group_field = v4.schema.group_field();
                v4.accepted_records()
                    .map(|record| {
                        group_field
                            .and_then(|field| record.get(field))
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .collect()
            }
        };
        if keys.is_empty() {
            return Err("The dataset has no datapoints.".to_owned());
        }
        let named_groups: HashSet<&str> = keys.iter().flatten().map(String::as_str).collect();
        let ungrouped = keys.iter().filter(|key| key.is_none()).count() as u64;
        Ok(TaskPlan {
            total_task_count: keys.len() as u64,
            total_task_groups: named_groups.len() as u64 + ungrouped.div_ceil(tasks_per_group),
            tasks_per_group,
        })
    }
}
