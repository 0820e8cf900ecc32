//! Task Builder batches (API-NOTES §4).

use serde_json::{Value, json};
use uuid::Uuid;

use super::dataset::TaskPlan;
use crate::clock::Moment;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct TaskDetails {
    pub(crate) task_name: String,
    pub(crate) task_introduction: String,
    pub(crate) task_steps: String,
}

impl TaskDetails {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "task_name": self.task_name,
            "task_introduction": self.task_introduction,
            "task_steps": self.task_steps,
        })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Batch {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) created_at: Moment,
    pub(crate) created_by: String,
    pub(crate) workspace_id: String,
    pub(crate) dataset_id: Option<Uuid>,
    pub(crate) task_details: TaskDetails,
    /// The layout with server ids, or `None` for a batch without one (legacy).
    pub(crate) batch_items: Option<Vec<Value>>,
    /// Instructions added through the deprecated `/instructions` endpoints, for a batch
    /// without `batch_items`; each with its server fields.
    pub(crate) legacy_instructions: Vec<Value>,
    /// Absent until a client sets it, as on older batches.
    pub(crate) auto_sync_enabled: Option<bool>,
    pub(crate) setup: Option<BatchSetup>,
}

/// A setup that was started: the batch reads `PROCESSING` until `ready_at`, then
/// `READY` with the plan's counts, or `ERROR` when it fails (only by an injected fault:
/// a setup the server accepts has a plan that works).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct BatchSetup {
    pub(crate) ready_at: Moment,
    pub(crate) plan: TaskPlan,
    pub(crate) fails: bool,
}

impl Batch {
    pub(crate) fn status(&self) -> &'static str {
        match &self.setup {
            None => "UNINITIALISED",
            Some(setup) if !setup.ready_at.has_passed() => "PROCESSING",
            Some(setup) if setup.fails => "ERROR",
            Some(_) => "READY",
        }
    }

    /// The plan, once setup has finished.
    pub(crate) fn finished_plan(&self) -> Option<TaskPlan> {
        self.setup
            .as_ref()
            .filter(|setup| setup.ready_at.has_passed() && !setup.fails)
            .map(|setup| setup.plan)
    }

    pub(crate) fn instruction_count(&self) -> usize {
        self.batch_items.as_deref().map_or(
            self.legacy_instructions.len(),
            crate::batch_items::instruction_count,
        )
    }
}
