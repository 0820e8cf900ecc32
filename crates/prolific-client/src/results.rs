//! A batch's results (API-NOTES §4.9–4.11): response records as JSON, the CSV report
//! and the ZIP export. Files come through presigned URLs and are streamed to a temporary
//! file that is renamed into place only when complete ([`Client::download`]).

use std::path::Path;

use reqwest::Method;

use crate::client::segment;
use crate::models::{ExportState, Listed, PresignedUrl, ReportLink, TaskResponse};
use crate::transport::Safety;
use crate::{Client, PollPolicy, Progress, ProlificError, TransferError};

const BATCHES: &str = "/api/v1/data-collection/batches";

fn batch_path(batch_id: &str, rest: &str) -> String {
    format!("{BATCHES}/{}/{rest}", segment(batch_id))
}

impl Client {
    /// `GET /batches/{id}/responses`: one record per answer to each question of each
    /// task. `possibly_truncated` is set when `meta.count` says there are more; the
    /// export then has them all.
    pub async fn batch_responses(
        &self,
        batch_id: &str,
    ) -> Result<Listed<TaskResponse>, ProlificError> {
        self.list(self.base.join(&batch_path(batch_id, "responses")))
            .await
    }

    /// The same records as Prolific sent them, every field kept (it adds fields), for
    /// keeping on disk. Pages are followed and truncation flagged as for
    /// [`Self::batch_responses`].
    pub async fn batch_response_records(
        &self,
        batch_id: &str,
    ) -> Result<Listed<serde_json::Value>, ProlificError> {
        self.list(self.base.join(&batch_path(batch_id, "responses")))
            .await
    }

    /// `GET /batches/{id}/report/` (with its trailing slash): a presigned URL of the
    /// CSV report (the dataset plus response columns).
    pub async fn batch_report(&self, batch_id: &str) -> Result<ReportLink, ProlificError> {
        self.get_json(&batch_path(batch_id, "report/")).await
    }

    /// Downloads the CSV report to `destination`. A link refused by the storage (it
    /// expired on the way) is replaced by a fresh one once.
    pub async fn download_batch_report(
        &self,
        batch_id: &str,
        destination: &Path,
        progress: Progress,
    ) -> Result<u64, TransferError> {
        let link = self.batch_report(batch_id).await?;
        match self
            .download_presigned(&link.url, destination, progress.clone())
            .await
        {
            Err(TransferError::Storage { status: 403, .. }) => {
                tracing::info!("the report link was refused; asking for a fresh one");
                let link = self.batch_report(batch_id).await?;
                self.download_presigned(&link.url, destination, progress)
                    .await
            }
            done => done,
        }
    }

    /// `POST /batches/{id}/export` (202 generating, or 200 complete). Prolific answers a
    /// repeat with the same job or file, so it is retried like a read.
    pub async fn request_export(&self, batch_id: &str) -> Result<ExportState, ProlificError> {
        self.send_json(
            Safety::Idempotent,
            Method::POST,
            &self.base.join(&batch_path(batch_id, "export")),
            None::<&()>,
        )
        .await
    }

    /// `GET /batches/{id}/export/{export_id}`.
    pub async fn export_status(
        &self,
        batch_id: &str,
        export_id: &str,
    ) -> Result<ExportState, ProlificError> {
        self.get_json(&batch_path(
            batch_id,
            &format!("export/{}", segment(export_id)),
        ))
        .await
    }

    /// Requests the export and polls until it is complete or failed. `Generating`
    /// means the wait ran out.
    pub async fn wait_for_export(
        &self,
        batch_id: &str,
        policy: &PollPolicy,
    ) -> Result<ExportState, ProlificError> {
        let export_id = match self.request_export(batch_id).await? {
            ExportState::Generating { export_id } => export_id,
            done => return Ok(done),
        };
        self.poll(
            policy,
            || self.export_status(batch_id, &export_id),
            ExportState::is_final,
        )
        .await
    }

    /// Requests the ZIP export, waits for it and downloads it to `destination`. A
    /// failed export is requested once more, as Prolific advises.
    pub async fn download_batch_export(
        &self,
        batch_id: &str,
        destination: &Path,
        policy: &PollPolicy,
        progress: Progress,
    ) -> Result<u64, TransferError> {
        let mut state = self.wait_for_export(batch_id, policy).await?;
        if state == ExportState::Failed {
            tracing::info!("the export failed; requesting it again");
            state = self.wait_for_export(batch_id, policy).await?;
        }
        match state {
            ExportState::Complete { url, .. } => {
                self.download_presigned(&url, destination, progress).await
            }
            ExportState::Generating { .. } => Err(TransferError::ExportNotReady),
            ExportState::Failed | ExportState::Other(_) => Err(TransferError::ExportFailed),
        }
    }

    async fn download_presigned(
        &self,
        url: &PresignedUrl,
        destination: &Path,
        progress: Progress,
    ) -> Result<u64, TransferError> {
        self.download(url.as_str(), destination, progress).await
    }
}
