//! Waiting for Prolific's slow work (dataset processing, V4 imports, batch setup) by
//! polling its status, the way Prolific's own CLI does: every few seconds, up to a time
//! limit, giving up after a few failed polls in a row. Waits use the client's clock.

use std::future::Future;
use std::time::Duration;

use crate::models::{ImportJob, ProcessingStatus};
use crate::{Client, ProlificError};

/// How to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    pub interval: Duration,
    /// After this long the wait ends with the last state seen (not a final one).
    pub timeout: Duration,
    /// Polls that fail in a row (each after its own retries) before the error is
    /// returned.
    pub max_consecutive_errors: u32,
}

impl Default for PollPolicy {
    /// The CLI's cadence: every 3 s for up to 10 minutes, 3 failures in a row.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(3),
            timeout: Duration::from_secs(10 * 60),
            max_consecutive_errors: 3,
        }
    }
}

impl Client {
    /// Polls a V3 dataset until `READY` or `ERROR`. A status that is not final means
    /// the wait ran out.
    pub async fn wait_for_dataset(
        &self,
        dataset_id: &str,
        policy: &PollPolicy,
    ) -> Result<ProcessingStatus, ProlificError> {
        self.poll(
            policy,
            || self.dataset_status(dataset_id),
            ProcessingStatus::is_final,
        )
        .await
    }

    /// Polls a V4 import job until `complete`, `partial`, `failed` or `pending_schema`.
    pub async fn wait_for_import(
        &self,
        dataset_id: &str,
        import_id: &str,
        policy: &PollPolicy,
    ) -> Result<ImportJob, ProlificError> {
        self.poll(
            policy,
            || self.import_job(dataset_id, import_id),
            |job| job.status.is_final(),
        )
        .await
    }

    /// Polls a batch after setup until `READY` or `ERROR`.
    pub async fn wait_for_batch(
        &self,
        batch_id: &str,
        policy: &PollPolicy,
    ) -> Result<ProcessingStatus, ProlificError> {
        self.poll(
            policy,
            || self.batch_status(batch_id),
            ProcessingStatus::is_final,
        )
        .await
    }

    pub(crate) async fn poll<T, F, Fut>(
        &self,
        policy: &PollPolicy,
        read: F,
        is_final: impl Fn(&T) -> bool + Sync,
    ) -> Result<T, ProlificError>
    where
        F: Fn() -> Fut + Sync,
        Fut: Future<Output = Result<T, ProlificError>> + Send,
        T: Send,
    {
        let clock = &self.transport.clock;
        let started = clock.now();
        let mut failures = 0;
        loop {
            match read().await {
                Ok(state) => {
                    failures = 0;
                    let waited = clock.now().saturating_sub(started);
                    if is_final(&state) || waited.saturating_add(policy.interval) > policy.timeout {
                        return Ok(state);
                    }
                }
                // Only passing trouble is polled through; a 404 or a refusal is final.
                Err(error) if is_transient(&error) => {
                    failures += 1;
                    let waited = clock.now().saturating_sub(started);
                    if failures >= policy.max_consecutive_errors
                        || waited.saturating_add(policy.interval) > policy.timeout
                    {
                        return Err(error);
                    }
                    tracing::debug!(failures, "a status poll failed; polling on");
                }
                Err(error) => return Err(error),
            }
            clock.sleep(policy.interval).await;
        }
    }
}

fn is_transient(error: &ProlificError) -> bool {
    matches!(
        error,
        ProlificError::Network(_)
            | ProlificError::Timeout(_)
            | ProlificError::RateLimited { .. }
            | ProlificError::ProlificFailing { .. }
    )
}
