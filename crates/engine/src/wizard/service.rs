//! The new-batch wizard as the app holds it while it runs: the account's connections, the
//! files held behind handles, the data read for checking the design as it is typed, and
//! one cancellable run for each slow step (checking or fixing the file, the upload, the
//! setup). Each of the shell's commands for the first two steps is one call here.

use std::path::PathBuf;
use std::sync::Arc;

use crate::connection::Connections;
use crate::csv_doctor::ReadProgress;
use crate::data_file::{self, DataFileError, FixProgress, FixedFile, InspectedFile};
use crate::data_step::{DataDraftView, DataStepError};
use crate::held_files::HeldFiles;
use crate::jobs::Cancellable;
use crate::task::{DataContext, TaskDesign};
use crate::task_step::{
    CheckedDesign, DataContextCache, ReadyBatch, SetupOutcome, SetupProgress, TaskData, TaskDraft,
    TaskStepError,
};
use crate::upload::{ReadyDataset, UploadProgress};

pub struct Wizard {
    connections: Arc<Connections>,
    files: Arc<HeldFiles>,
    /// Where fixed copies and copies without refused rows are written.
    fixed_folder: PathBuf,
    /// The columns of step 1's working file, for checking the design as it is typed.
    data_context: DataContextCache,
    /// The check or fix of a data file in progress; a newer one cancels it.
    inspection: Cancellable,
    upload: Cancellable,
    setup: Cancellable,
}

impl Wizard {
    #[must_use]
    pub fn new(
        connections: Arc<Connections>,
        files: Arc<HeldFiles>,
        fixed_folder: PathBuf,
    ) -> Self {
        Self {
            connections,
            files,
            fixed_folder,
            data_context: DataContextCache::default(),
            inspection: Cancellable::default(),
            upload: Cancellable::default(),
            setup: Cancellable::default(),
        }
    }

    /// Reads the file behind `handle` with the CSV doctor ([`data_file::inspect_held`]).
    pub async fn inspect_file(
        &self,
        handle: &str,
        progress: impl Fn(ReadProgress) + Send + 'static,
    ) -> Result<InspectedFile, DataFileError> {
        let files = &self.files;
        self.inspection
            .run(|cancel| data_file::inspect_held(files, handle, progress, cancel))
            .await
    }

    /// Writes a fixed copy of the file behind `handle` and checks it
    /// ([`data_file::fix_held`]); the original is untouched.
    pub async fn fix_file(
        &self,
        handle: &str,
        progress: impl Fn(FixProgress) + Send + 'static,
    ) -> Result<FixedFile, DataFileError> {
        let (files, folder) = (&self.files, self.fixed_folder.clone());
        self.inspection
            .run(|cancel| data_file::fix_held(files, handle, folder, progress, cancel))
            .await
    }

    /// Stops the check or fix in progress (it then fails as cancelled).
    pub fn cancel_inspection(&self) {
        self.inspection.cancel();
    }

    /// Step 1's draft, with the file to send behind a handle.
    pub async fn data_draft(&self) -> Result<DataDraftView, DataStepError> {
        super::data_draft_view(&self.connections, &self.files).await
    }

    /// Keeps the researcher's choice of file and of the copy to send, both by handle.
    pub async fn choose_data(
        &self,
        source: &str,
        working: &str,
    ) -> Result<DataDraftView, DataStepError> {
        super::choose_held(&self.connections, &self.files, source, working).await
    }

    /// Uploads step 1's file and follows it to READY ([`super::upload_data`]).
    pub async fn upload_data(
        &self,
        progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    ) -> Result<ReadyDataset, DataStepError> {
        let connections = &self.connections;
        self.upload
            .run(|cancel| async move { super::upload_data(connections, progress, &cancel).await })
            .await
    }

    /// Sends step 1's file again without the rows Prolific refused
    /// ([`super::upload_without_rejected_rows`]).
    pub async fn upload_without_rejected_rows(
        &self,
        progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    ) -> Result<ReadyDataset, DataStepError> {
        let (connections, folder) = (&self.connections, &self.fixed_folder);
        self.upload
            .run(|cancel| async move {
                super::upload_without_rejected_rows(connections, folder, progress, &cancel).await
            })
            .await
    }

    /// Stops the upload in progress; its dataset is kept for the next attempt.
    pub fn cancel_upload(&self) {
        self.upload.cancel();
    }

    /// Step 2's draft ([`super::task_draft`]).
    pub async fn task_draft(&self) -> Result<TaskDraft, TaskStepError> {
        super::task_draft(&self.connections).await
    }

    /// The data the task runs on, remembered for checking the design.
    pub async fn task_data(&self) -> Result<TaskData, TaskStepError> {
        super::task_data(&self.connections, &self.data_context).await
    }

    /// What the design is checked against: step 1's working file, read once per file.
    pub async fn data_context(&self) -> Result<DataContext, TaskStepError> {
        super::data_context(&self.connections, &self.data_context).await
    }

    /// Keeps the design as the researcher edits it; answers its problems and cleaned HTML.
    pub async fn save_design(&self, design: TaskDesign) -> Result<CheckedDesign, TaskStepError> {
        let context = self.data_context().await?;
        super::save_design(&self.connections, design, &context).await
    }

    /// Keeps `design` and sets the batch up from it ([`super::set_up`]); `ready` hears of
    /// the batch once it is ready. A newer setup, or [`Self::cancel_setup`], stops
    /// following this one (the batch is kept and carried on with next time).
    pub async fn set_up_batch(
        &self,
        design: TaskDesign,
        progress: impl Fn(SetupProgress) + Send + Sync,
        ready: impl FnOnce(&ReadyBatch),
    ) -> Result<SetupOutcome, TaskStepError> {
        let context = self.data_context().await?;
        let connections = &self.connections;
        let outcome = self
            .setup
            .run(|cancel| async move {
                super::set_up(connections, &context, Some(design), progress, &cancel).await
            })
            .await?;
        if let SetupOutcome::Ready(batch) = &outcome {
            ready(batch);
        }
        Ok(outcome)
    }

    /// Stops following the setup; the batch is kept.
    pub fn cancel_setup(&self) {
        self.setup.cancel();
    }
}
