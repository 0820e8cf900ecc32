//! What the app holds while it runs, managed by Tauri and handed to commands.

use std::path::PathBuf;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::held_files::HeldFiles;
use batchdesk_engine::monitor::Monitor;
use batchdesk_engine::opened_files::OpenedFiles;
use batchdesk_engine::results::Results;
use batchdesk_engine::store::Store;
use batchdesk_engine::task_step::DataContextCache;
use serde::Serialize;
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::error::IpcError;
use crate::flavour::Flavour;

pub struct AppState {
    pub store: Store,
    /// The upload in progress, if any, so the researcher can cancel it.
    pub upload: Job,
    /// The batch setup being followed, if any, likewise.
    pub setup: Job,
    /// The pilot being prepared (its rows uploaded, its batch set up), likewise.
    pub pilot: Job,
    /// The second round being prepared and launched, likewise.
    pub top_up: Job,
    /// The data file being checked or fixed, if any, likewise.
    pub inspection: Job,
    /// The files chosen, dropped or made, behind the handles the UI names them by.
    pub files: HeldFiles,
    /// A data file the system asked Batchdesk to open, until the UI takes it.
    pub opened: OpenedFiles,
    /// This build's update source and the update found, if any.
    pub updates: crate::updater::Updates,
    /// The columns of the current data file, for checking the task design as it is typed.
    pub data_context: DataContextCache,
    /// Practice server or Prolific account; shared with background work.
    pub connections: Arc<Connections>,
    /// The pollers of launched studies.
    pub monitor: Arc<Monitor>,
    /// Downloaded results, kept for offline viewing.
    pub results: Arc<Results>,
    /// Set once the app is built, for background work that emits events.
    pub app_handle: Arc<std::sync::OnceLock<tauri::AppHandle>>,
    pub flavour: Flavour,
    pub identifier: String,
    pub data_dir: PathBuf,
}

/// What the app can say about itself: shown on Home and in bug reports.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub flavour: Flavour,
    pub identifier: String,
    /// Where the local store and downloads live.
    pub data_dir: String,
    /// Read from the open database, so it also proves the store answers.
    pub store_schema_version: u32,
    /// The address a Prolific token would be sent to, when it is not Prolific's usual one
    /// (`BATCHDESK_API_BASE_URL`): the token form says so before a token is pasted.
    pub unusual_api_address: Option<String>,
    /// The OS's regional locale as a BCP 47 tag ("de-DE"), which numbers, money and dates
    /// are formatted for; none when the OS names no region (the UI then uses its own).
    pub format_locale: Option<String>,
}

impl AppState {
    pub fn app_info(&self) -> Result<AppInfo, IpcError> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            flavour: self.flavour,
            identifier: self.identifier.clone(),
            data_dir: self.data_dir.display().to_string(),
            store_schema_version: self.store.schema_version()?,
            unusual_api_address: Some(self.connections.account_address())
                .filter(|address| !address.is_prolific())
                .map(|address| address.as_str().to_owned()),
            format_locale: crate::locale::format_locale(),
        })
    }
}

/// Cancellable work of one kind (an upload, a setup, a check of the data file): one run
/// at a time, which the researcher can cancel.
#[derive(Default)]
pub struct Job(std::sync::Mutex<JobSlot>);

impl Job {
    /// Runs `work` as this kind's current run: an earlier run still going is cancelled,
    /// and `work` gets the token that cancels this one.
    pub async fn run<T, Fut>(&self, work: impl FnOnce(CancellationToken) -> Fut) -> T
    where
        Fut: Future<Output = T>,
    {
        let (id, cancel) = self.slot().begin();
        let result = work(cancel).await;
        self.slot().end(id);
        result
    }

    /// Cancels the current run, if any.
    pub fn cancel(&self) {
        self.slot().cancel();
    }

    /// A panic elsewhere cannot leave the slot in a state worth refusing.
    fn slot(&self) -> std::sync::MutexGuard<'_, JobSlot> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A number telling runs apart, and the current run's cancellation.
#[derive(Default)]
pub struct JobSlot {
    current: Option<(u64, CancellationToken)>,
    started: u64,
}

impl JobSlot {
    /// A new run, cancelling any earlier one still going.
    pub fn begin(&mut self) -> (u64, CancellationToken) {
        if let Some((_, previous)) = self.current.take() {
            previous.cancel();
        }
        self.started += 1;
        let token = CancellationToken::new();
        self.current = Some((self.started, token.clone()));
        (self.started, token)
    }

    /// Forgets run `id` once it has ended, unless a newer one replaced it.
    pub fn end(&mut self, id: u64) {
        if self
            .current
            .as_ref()
            .is_some_and(|(current, _)| *current == id)
        {
            self.current = None;
        }
    }

    pub fn cancel(&self) {
        if let Some((_, token)) = &self.current {
            token.cancel();
        }
    }
}

impl AppState {
    /// "Copy diagnostics": version, build, system, mode, data folder size and recent
    /// error codes; never a token, a participant, a file name or its contents.
    pub async fn diagnostics(&self) -> String {
        let mode = self
            .connections
            .current()
            .await
            .map(|connected| connected.mode);
        let flavour = serde_json::to_value(self.flavour)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        batchdesk_engine::diagnostics::report(&batchdesk_engine::diagnostics::Facts {
            version: env!("CARGO_PKG_VERSION"),
            flavour: &flavour,
            mode,
            data_dir: &self.data_dir,
            errors: &crate::error::RECENT_ERRORS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_upload_cancels_the_old_one_and_only_its_own_end_clears_it() {
        let mut slot = JobSlot::default();
        let (first, first_token) = slot.begin();
        let (second, second_token) = slot.begin();
        assert!(first_token.is_cancelled());
        slot.end(first);
        slot.cancel();
        assert!(
            second_token.is_cancelled(),
            "the second is still the current one"
        );
        slot.end(second);
        assert!(slot.current.is_none());
    }

    #[test]
    fn app_info_hands_the_ui_the_format_locale() {
        let info = AppInfo {
            version: "1.0.0".into(),
            flavour: Flavour::Test,
            identifier: "io.batchdesk.desktop.test".into(),
            data_dir: "/tmp".into(),
            store_schema_version: 1,
            unusual_api_address: None,
            format_locale: Some("de-DE".into()),
        };
        let json = serde_json::to_value(&info).unwrap_or_default();
        assert_eq!(json["formatLocale"], "de-DE");
    }
}
