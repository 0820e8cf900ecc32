//! Moving files to and from Prolific's storage through presigned URLs: streamed from and
//! to disk in chunks (a large dataset never sits in memory), never with the Prolific
//! token (the URL authenticates itself), and never leaving half a file behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use tokio::io::AsyncWriteExt;

use crate::transport::{Failure, Safety};
use crate::{ApiBase, Client, ProlificError};

/// Read size for uploads: large enough for full speed, small enough for little memory.
const CHUNK: usize = 256 * 1024;

/// Chunks read ahead of the network at most, so an upload holds about
/// `(READ_AHEAD + 1) × CHUNK` of the file in memory.
const READ_AHEAD: usize = 8;

/// The file's chunks, read on one blocking thread for the whole file (not a blocking-pool
/// hop per chunk, as `tokio::fs` does) and handed over a small channel. Dropping the
/// stream (a cancelled upload) ends the reading.
fn file_chunks(
    mut file: std::fs::File,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> {
    use std::io::Read;

    let (sender, receiver) = tokio::sync::mpsc::channel(READ_AHEAD);
    tokio::task::spawn_blocking(move || {
        loop {
            let mut buffer = vec![0; CHUNK];
            let chunk = match file.read(&mut buffer) {
                Ok(0) => return,
                Ok(length) => {
                    buffer.truncate(length);
                    Ok(bytes::Bytes::from(buffer))
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => Err(error),
            };
            let failed = chunk.is_err();
            if sender.blocking_send(chunk).is_err() || failed {
                return;
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    })
}

/// Called with (bytes moved so far, total bytes if known) as a transfer advances.
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// Why a file could not be moved. `Display` is terse technical text for logs; the app
/// says these in its own words (the engine's `transfer_text`).
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    #[error("{}: {source}", .path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: empty file", .0.display())]
    EmptyFile(PathBuf),
    #[error("storage refused the transfer ({status}){}", detail_suffix(.detail))]
    Storage { status: u16, detail: Option<String> },
    #[error("the upload link kept expiring")]
    LinkExpired,
    #[error("download incomplete: {received} of {expected} bytes")]
    Incomplete { received: u64, expected: u64 },
    #[error("refused a download URL that is not https")]
    InsecureUrl,
    #[error("the export failed")]
    ExportFailed,
    #[error("the export is not ready")]
    ExportNotReady,
}

impl TransferError {
    /// A stable machine code for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Prolific(error) => error.code(),
            Self::File { .. } => "transfer.file",
            Self::EmptyFile(_) => "transfer.empty_file",
            Self::Storage { .. } => "transfer.storage",
            Self::LinkExpired => "transfer.link_expired",
            Self::Incomplete { .. } => "transfer.incomplete",
            Self::InsecureUrl => "transfer.insecure_url",
            Self::ExportFailed => "transfer.export_failed",
            Self::ExportNotReady => "transfer.export_not_ready",
        }
    }

    fn file(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::File {
            path: path.to_owned(),
            source,
        }
    }

    fn from_storage(failure: Failure) -> Self {
        match failure {
            Failure::Transport(error) => Self::Prolific(ProlificError::from_transport(error)),
            Failure::Status { status, body, .. } => Self::Storage {
                status: status.as_u16(),
                detail: storage_message(&body),
            },
        }
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|detail| format!(": {}", detail.trim_end_matches('.')))
        .unwrap_or_default()
}

/// The `<Message>` of an S3-style XML error, if any.
fn storage_message(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Message>")? + "<Message>".len();
    let end = start + text[start..].find("</Message>")?;
    Some(text[start..end].to_owned())
}

/// S3 (and the practice storage) refuse an expired presigned URL with 403
/// "Request has expired".
fn is_expired_link(failure: &Failure) -> bool {
    match failure {
        Failure::Status { status, body, .. } => {
            status.as_u16() == 403
                && storage_message(body)
                    .is_some_and(|message| message.to_ascii_lowercase().contains("expired"))
        }
        Failure::Transport(_) => false,
    }
}

/// What an upload did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadReceipt {
    /// V4: the import job to poll with [`Client::import_job`].
    pub import_id: Option<String>,
    pub bytes: u64,
    /// How many upload URLs were used (more than one after an expired link or a retry).
    pub attempts: u32,
}

impl Client {
    /// Uploads a dataset file: asks for an upload URL named after the file, then PUTs
    /// the file, streamed from disk, with exactly the `content_type` Prolific gave and
    /// its length, and without the Prolific token. A link that expired, a dropped
    /// connection or a storage 5xx is retried with a fresh URL, under the retry policy.
    pub async fn upload_dataset_file(
        &self,
        dataset_id: &str,
        path: &Path,
        progress: Progress,
    ) -> Result<UploadReceipt, TransferError> {
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .ok_or_else(|| TransferError::File {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            })?;
        let total = tokio::fs::metadata(path)
            .await
            .map_err(TransferError::file(path))?
            .len();
        if total == 0 {
            return Err(TransferError::EmptyFile(path.to_owned()));
        }
        let mut retry = self.transport.retry_state();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let target = self.upload_url(dataset_id, &filename).await?;
            let file = tokio::fs::File::open(path)
                .await
                .map_err(TransferError::file(path))?
                .into_std()
                .await;
            let sent = Arc::new(AtomicU64::new(0));
            let report = Arc::clone(&progress);
            let stream = file_chunks(file).inspect(move |chunk| {
                if let Ok(chunk) = chunk {
                    let length = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
                    let so_far = sent.fetch_add(length, Ordering::Relaxed) + length;
                    report(so_far, Some(total));
                }
            });
            let request = self
                .transport
                .storage
                .put(&target.upload_url)
                .header(CONTENT_TYPE, &target.content_type)
                .header(CONTENT_LENGTH, total)
                .body(reqwest::Body::wrap_stream(stream));
            let failure = match self.transport.send_once(request).await {
                Ok(_) => {
                    return Ok(UploadReceipt {
                        import_id: target.import_id,
                        bytes: total,
                        attempts,
                    });
                }
                Err(failure) => failure,
            };
            let expired = is_expired_link(&failure);
            if expired {
                tracing::info!("the upload link expired; asking for a fresh one");
            }
            match retry
                .wait_or_give_up_if(failure, Safety::Idempotent, expired)
                .await
            {
                Ok(()) => {}
                Err(_) if expired => return Err(TransferError::LinkExpired),
                Err(failure) => return Err(TransferError::from_storage(failure)),
            }
        }
    }

    /// Downloads a presigned URL (a report CSV, an export ZIP) to `destination`: the
    /// body streams into a temporary file in the same folder, which is renamed into
    /// place only when complete. A failed or cancelled download leaves nothing behind.
    /// The Prolific token is never sent.
    pub async fn download(
        &self,
        url: &str,
        destination: &Path,
        progress: Progress,
    ) -> Result<u64, TransferError> {
        // The same rule as for the API: https, or plain http to this computer only.
        if ApiBase::parse(url).is_err() {
            return Err(TransferError::InsecureUrl);
        }
        let folder = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let temporary = tempfile::Builder::new()
            .prefix(".batchdesk-download-")
            .tempfile_in(folder)
            .map_err(TransferError::file(folder))?;
        let mut retry = self.transport.retry_state();
        let mut response = loop {
            match self
                .transport
                .send_once(self.transport.storage.get(url))
                .await
            {
                Ok(response) => break response,
                Err(failure) => retry
                    .wait_or_give_up(failure, Safety::Idempotent)
                    .await
                    .map_err(TransferError::from_storage)?,
            }
        };
        let expected = response.content_length();
        let std_file = temporary
            .as_file()
            .try_clone()
            .map_err(TransferError::file(temporary.path()))?;
        let mut file = tokio::fs::File::from_std(std_file);
        let mut received: u64 = 0;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| ProlificError::from_transport(error.without_url()))?
        {
            file.write_all(&chunk)
                .await
                .map_err(TransferError::file(temporary.path()))?;
            received += u64::try_from(chunk.len()).unwrap_or(u64::MAX);
            progress(received, expected);
        }
        if let Some(expected) = expected.filter(|expected| *expected != received) {
            return Err(TransferError::Incomplete { received, expected });
        }
        file.sync_all()
            .await
            .map_err(TransferError::file(temporary.path()))?;
        drop(file);
        temporary
            .persist(destination)
            .map_err(|error| TransferError::File {
                path: destination.to_owned(),
                source: error.error,
            })?;
        Ok(received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_message_of_a_storage_error() {
        let body = b"<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
        assert_eq!(
            storage_message(body).as_deref(),
            Some("Request has expired")
        );
        assert_eq!(storage_message(b"nope"), None);
    }
}
