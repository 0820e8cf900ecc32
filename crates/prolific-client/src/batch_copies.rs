//! Copying a batch (API-NOTES §4.12): the same task details and layout, sharing the
//! dataset or waiting for a new one. Kept apart from `batches.rs`, which owns the
//! layout.

use serde::Serialize;

use crate::client::segment;
use crate::models::Batch;
use crate::{Client, ProlificError};

const BATCHES: &str = "/api/v1/data-collection/batches";

impl Client {
    /// `POST /batches/{id}/duplicate` (201). `name` defaults to "<name> (Copy)";
    /// `new_dataset` makes a copy without the dataset (a new one must be uploaded).
    /// Creates something, so after an unclear failure it looks in the workspace for a
    /// batch of the copy's name made from the same dataset, and copies again only if
    /// there is none.
    pub async fn duplicate_batch(
        &self,
        batch_id: &str,
        name: Option<&str>,
        new_dataset: bool,
    ) -> Result<Batch, ProlificError> {
        #[derive(Serialize)]
        struct Duplicate<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'a str>,
            upload_new_dataset: bool,
        }
        let original = self.batch(batch_id).await?;
        let copy_name = name.map_or_else(|| format!("{} (Copy)", original.name), str::to_owned);
        let workspace_id = original.workspace_id.clone().unwrap_or_default();
        let url = self
            .base
            .join(&format!("{BATCHES}/{}/duplicate", segment(batch_id)));
        let body = Duplicate {
            name,
            upload_new_dataset: new_dataset,
        };
        self.create_or_find(&url, &body, || async {
            let listed = self.batches(&workspace_id).await?;
            let dataset_of =
                |batch: &Batch| batch.datasets.first().map(|dataset| dataset.id.clone());
            let wanted_dataset = if new_dataset {
                None
            } else {
                dataset_of(&original)
            };
            Ok(listed.items.into_iter().rev().find(|found| {
                found.id != original.id
                    && found.name == copy_name
                    && dataset_of(found) == wanted_dataset
            }))
        })
        .await
    }

    /// `GET /batches/{id}/tasks` (CLI only, not in the spec): the task ids once set up.
    pub async fn batch_tasks(&self, batch_id: &str) -> Result<Vec<String>, ProlificError> {
        self.get_json(&format!("{BATCHES}/{}/tasks", segment(batch_id)))
            .await
    }

    /// `GET /batches/{id}/task-groups` (CLI only): the task-group ids, each of which
    /// [`preview_url`] turns into a link for trying the tasks as a participant would.
    pub async fn batch_task_groups(&self, batch_id: &str) -> Result<Vec<String>, ProlificError> {
        self.get_json(&format!("{BATCHES}/{}/task-groups", segment(batch_id)))
            .await
    }
}

/// Prolific's participant preview of one task group (the CLI's link), opened in a
/// browser signed in to Prolific.
pub fn preview_url(batch_id: &str, task_group_id: &str) -> String {
    format!(
        "https://app.prolific.com/data-collection-tool/batches/{}/task-groups/{}?preview=true",
        segment(batch_id),
        segment(task_group_id)
    )
}

#[cfg(test)]
mod tests {
    use super::preview_url;

    #[test]
    fn a_preview_link_is_the_clis() {
        assert_eq!(
            preview_url("0192a3b5-e8f9-7a0b", "0192a3b5-0000"),
            "https://app.prolific.com/data-collection-tool/batches/0192a3b5-e8f9-7a0b/task-groups/0192a3b5-0000?preview=true"
        );
    }
}
