//! Task Builder datasets (API-NOTES §3). Data-collection paths have no trailing slash.

use reqwest::Method;

use crate::client::segment;
use crate::models::{Dataset, ImportJob, NewDataset, ProcessingStatus, StatusAnswer, UploadUrl};
use crate::transport::Safety;
use crate::{Client, ProlificError};

const DATASETS: &str = "/api/v1/data-collection/datasets";

impl Client {
    /// `POST /datasets` (201): V3 without a schema, V4 with one.
    ///
    /// Prolific has no way to list datasets, so after an unclear failure (a timeout, a
    /// dropped connection, a 5xx) there is no way to find what an earlier attempt made:
    /// this call is then not repeated but fails, and the caller decides. It is repeated
    /// only when the failure proves nothing was made (no connection, 429).
    pub async fn create_dataset(&self, dataset: &NewDataset) -> Result<Dataset, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::POST,
            &self.base.join(DATASETS),
            Some(dataset),
        )
        .await
    }

    /// `GET /datasets/{id}`, with `schema` and `imports` for V4.
    pub async fn dataset(&self, dataset_id: &str) -> Result<Dataset, ProlificError> {
        self.get_json(&format!("{DATASETS}/{}", segment(dataset_id)))
            .await
    }

    /// `GET /datasets/{id}/status`: V3 only (V4 readiness is per import job).
    pub async fn dataset_status(
        &self,
        dataset_id: &str,
    ) -> Result<ProcessingStatus, ProlificError> {
        let answer: StatusAnswer = self
            .get_json(&format!("{DATASETS}/{}/status", segment(dataset_id)))
            .await?;
        Ok(answer.status)
    }

    /// `GET /datasets/{id}/upload-url/{filename}` (a GET answering 201). Each call makes
    /// a fresh storage key (and for V4 an import job); repeating it after a failure
    /// leaves at most an unused key behind, so it is retried like a read.
    pub async fn upload_url(
        &self,
        dataset_id: &str,
        filename: &str,
    ) -> Result<UploadUrl, ProlificError> {
        self.get_json(&format!(
            "{DATASETS}/{}/upload-url/{}",
            segment(dataset_id),
            filename_segment(filename)
        ))
        .await
    }

    /// `GET /datasets/{id}/imports/{import_id}` (V4).
    pub async fn import_job(
        &self,
        dataset_id: &str,
        import_id: &str,
    ) -> Result<ImportJob, ProlificError> {
        self.get_json(&format!(
            "{DATASETS}/{}/imports/{}",
            segment(dataset_id),
            segment(import_id)
        ))
        .await
    }
}

/// A filename as one path segment: like an id, but its dots stay readable (`data.csv`),
/// unless the name is only dots, which could climb the path.
fn filename_segment(filename: &str) -> String {
    if filename.chars().all(|c| c == '.') {
        return segment(filename);
    }
    filename
        .split('.')
        .map(segment)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::filename_segment;

    #[test]
    fn filenames_keep_their_dots_but_not_their_slashes() {
        assert_eq!(filename_segment("reviews.csv"), "reviews.csv");
        assert_eq!(filename_segment("my data.v2.jsonl"), "my%20data.v2.jsonl");
        assert_eq!(filename_segment("../x.csv"), "..%2Fx.csv");
        assert_eq!(filename_segment(".."), "%2E%2E");
    }
}
