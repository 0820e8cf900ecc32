//! Task Builder batches (API-NOTES §4). Data-collection paths have no trailing slash.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use url::Url;

use crate::client::segment;
use crate::models::{
    Batch, BatchSetup, BatchUpdate, Listed, NewBatch, ProcessingStatus, StatusAnswer,
};
use crate::transport::{Failure, Safety};
use crate::{Client, ProlificError};

const BATCHES: &str = "/api/v1/data-collection/batches";

impl Client {
    /// `POST /batches` (201). The batch's name should be unique in its workspace: after
    /// an unclear failure the client lists the workspace's batches and returns the one
    /// of this name if the earlier attempt made it, and only creates again if not.
    /// `422 INVALID_BATCH_ITEMS` comes back as [`ProlificError::Validation`] with
    /// located `issues`.
    pub async fn create_batch(&self, batch: &NewBatch) -> Result<Batch, ProlificError> {
        self.create_or_find(&self.base.join(BATCHES), batch, || async {
            // A name reused despite the advice finds the latest.
            self.batches(&batch.workspace_id)
                .await?
                .newest_match("batches in this workspace", |found| {
                    found.name == batch.name
                })
        })
        .await
    }

    /// `GET /batches?workspace_id=…`: `{results, meta}`, every page (by number, while
    /// `meta.count` says there is more).
    pub async fn batches(&self, workspace_id: &str) -> Result<Listed<Batch>, ProlificError> {
        let mut url =
            Url::parse(&self.base.join(BATCHES)).map_err(|error| ProlificError::Unexpected {
                status: 0,
                detail: Some(error.to_string()),
            })?;
        url.query_pairs_mut()
            .append_pair("workspace_id", workspace_id);
        self.list(url.into()).await
    }

    /// `GET /batches/{id}`.
    pub async fn batch(&self, batch_id: &str) -> Result<Batch, ProlificError> {
        self.get_json(&format!("{BATCHES}/{}", segment(batch_id)))
            .await
    }

    /// `PATCH /batches/{id}`: only the fields set change. A layout without ids makes
    /// new entries, so this is not repeated after an unclear failure.
    pub async fn update_batch(
        &self,
        batch_id: &str,
        update: &BatchUpdate,
    ) -> Result<Batch, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::PATCH,
            &self.base.join(&format!("{BATCHES}/{}", segment(batch_id))),
            Some(update),
        )
        .await
    }

    /// `GET /batches/{id}/status`.
    pub async fn batch_status(&self, batch_id: &str) -> Result<ProcessingStatus, ProlificError> {
        let answer: StatusAnswer = self
            .get_json(&format!("{BATCHES}/{}/status", segment(batch_id)))
            .await?;
        Ok(answer.status)
    }

    /// `POST /batches/{id}/setup` (202, empty body); then poll [`Self::batch_status`].
    /// After an unclear failure it reads the status: `PROCESSING` or `READY` means the
    /// earlier attempt started setup, so it is not sent again.
    pub async fn setup_batch(
        &self,
        batch_id: &str,
        setup: &BatchSetup,
    ) -> Result<(), ProlificError> {
        let url = self
            .base
            .join(&format!("{BATCHES}/{}/setup", segment(batch_id)));
        let body = serde_json::to_vec(setup).map_err(|error| ProlificError::Unexpected {
            status: 0,
            detail: Some(error.to_string()),
        })?;
        let mut retry = self.transport.retry_state();
        loop {
            let sent = self
                .transport
                .execute(Safety::Create, || {
                    self.api(Method::POST, &url)
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone())
                })
                .await;
            let failure = match sent {
                // The body is `{}` or empty; nothing in it is needed.
                Ok(_) => return Ok(()),
                Err(failure) if failure.is_ambiguous() => failure,
                Err(failure) => return Err(failure.into_api_error()),
            };
            let status = self.batch_status(batch_id).await?;
            if matches!(
                status,
                ProcessingStatus::Processing | ProcessingStatus::Ready
            ) {
                return Ok(());
            }
            retry
                .wait_or_give_up(failure, Safety::Idempotent)
                .await
                .map_err(Failure::into_api_error)?;
        }
    }
}
