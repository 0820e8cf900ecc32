//! The first wizard step, kept in its part of the wizard's record ([`crate::wizard`]):
//! which file the researcher chose, which copy will be sent (the original or a fixed
//! copy), and the Prolific dataset it became. The draft is saved as each choice is made,
//! per mode (practice and real never mix), so quitting and
//! relaunching returns to the same place; an upload that was interrupted resumes into the
//! same dataset instead of creating a second one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use batchdesk_prolific::models::{DatasetSchema, FieldType, SchemaField};
use batchdesk_prolific::{PollPolicy, ProlificError};
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;

use crate::account;
use crate::csv_doctor;
use crate::error_code::{Coded, ErrorCode};
use crate::file_identity::{self, Comparison, FileIdentity, Look};
use crate::held_files::{HeldFile, HeldFileError, HeldFiles};
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::step_draft::StepDraft;
use crate::store::StoreError;
use crate::text;
use crate::upload::{self, ReadyDataset, RejectedRow, UploadError, UploadProgress};

/// What the first step has so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DataDraft {
    /// The file the researcher chose (never modified).
    pub source_path: Option<String>,
    /// The file to send: the source, or a fixed copy in the app's folder.
    pub working_path: Option<String>,
    /// The dataset made from `uploaded_path`, kept from the moment it exists.
    pub dataset_id: Option<String>,
    pub uploaded_path: Option<String>,
    /// What `uploaded_path` held when it was sent. The dataset is matched to the file by
    /// this, not by the path alone: a file edited in place goes up again as a new
    /// dataset. `None` in drafts of earlier versions until the file is first checked.
    #[serde(default)]
    pub uploaded_identity: Option<FileIdentity>,
    /// The working file changed after it was uploaded, so its dataset was let go and the
    /// next upload makes a new one; the researcher is told until then.
    #[serde(default)]
    pub changed_since_upload: bool,
    /// Set once the dataset is READY.
    pub ready_rows: Option<u32>,
    pub ready: bool,
    /// The dataset is V4 (with a schema), so the task layout can place its columns.
    /// False only for a V3 dataset an earlier version made; it is never set up.
    #[serde(default)]
    pub typed: bool,
    /// The rows Prolific refused in the last upload of this file (a partial import),
    /// until the file is fixed or sent again without them.
    #[serde(default)]
    pub rejected_rows: Vec<RejectedRow>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum DataStepError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Upload(#[from] UploadError),
    NoWorkspace,
    NoFile,
    #[error(transparent)]
    Held(#[from] HeldFileError),
    Unreadable {
        file_name: String,
        source: std::io::Error,
    },
    NothingRejected,
    CopyNotWritten(String),
    /// The file's columns cannot make a typed dataset, the only kind whose columns
    /// Task Builder can show participants: nothing is uploaded.
    NoSchema(SchemaProblem),
}

session_error_from!(DataStepError);

impl Coded for DataStepError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::Upload(error) => error.error_code(),
            Self::Held(error) => error.error_code(),
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::NoFile | Self::NothingRejected => ErrorCode::Rejected,
            Self::Unreadable { .. } => ErrorCode::FileUnreadable,
            Self::CopyNotWritten(_) => ErrorCode::FileNotWritten,
            Self::NoSchema(_) => ErrorCode::TypedDatasetRefused,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::Upload(inner) => inner.text(),
            Self::NoWorkspace => text!("errors:dataStep.noWorkspace"),
            Self::NoFile => text!("errors:dataStep.noFile"),
            Self::Held(inner) => inner.text(),
            Self::Unreadable { file_name, source } => text!(
                "errors:dataStep.unreadable",
                file_name = file_name,
                reason = source.to_string()
            ),
            Self::NothingRejected => text!("errors:dataStep.nothingRejected"),
            Self::CopyNotWritten(reason) => {
                text!("errors:dataStep.copyNotWritten", reason = reason)
            }
            Self::NoSchema(problem) => match problem {
                SchemaProblem::Unreadable(reason) => {
                    text!("errors:dataStep.noSchema.unreadable", reason = reason)
                }
                SchemaProblem::NoColumns => text!("errors:dataStep.noSchema.noColumns"),
                SchemaProblem::TooManyColumns { count } => {
                    text!("errors:dataStep.noSchema.tooManyColumns", count = count)
                }
                SchemaProblem::NameLength { name } => {
                    text!("errors:dataStep.noSchema.nameLength", name = name)
                }
                SchemaProblem::RepeatedName { name } => {
                    text!("errors:dataStep.noSchema.repeatedName", name = name)
                }
            },
        }
    }
}

/// Why a file's columns cannot make a typed (V4) dataset, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text())]
pub enum SchemaProblem {
    Unreadable(String),
    NoColumns,
    TooManyColumns { count: usize },
    NameLength { name: String },
    RepeatedName { name: String },
}

impl SchemaProblem {
    /// The problem on its own, for the errors that say it in their own words.
    #[must_use]
    pub fn text(&self) -> text::Text {
        match self {
            Self::Unreadable(reason) => text!("errors:dataStep.schema.unreadable", reason = reason),
            Self::NoColumns => text!("errors:dataStep.schema.noColumns"),
            Self::TooManyColumns { count } => {
                text!("errors:dataStep.schema.tooManyColumns", count = count)
            }
            Self::NameLength { name } => text!("errors:dataStep.schema.nameLength", name = name),
            Self::RepeatedName { name } => {
                text!("errors:dataStep.schema.repeatedName", name = name)
            }
        }
    }
}

/// The first step as the UI sees it: the file to send behind a handle, never a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DataDraftView {
    /// The file to send: the researcher's, or a copy Batchdesk made.
    pub working_file: Option<HeldFile>,
    pub dataset_id: Option<String>,
    pub ready_rows: Option<u32>,
    pub ready: bool,
    pub typed: bool,
    pub rejected_rows: Vec<RejectedRow>,
    /// The file changed since it was uploaded: it goes up again as a new dataset.
    pub changed_since_upload: bool,
}

impl DataDraftView {
    pub fn of(draft: DataDraft, files: &HeldFiles) -> Self {
        Self {
            working_file: draft.working_path.map(|path| files.hold(path)),
            dataset_id: draft.dataset_id,
            ready_rows: draft.ready_rows,
            ready: draft.ready,
            typed: draft.typed,
            rejected_rows: draft.rejected_rows,
            changed_since_upload: draft.changed_since_upload,
        }
    }
}

/// [`current_draft`], with the file to send behind a handle.
pub async fn current_view(
    session: &Session,
    kept: &impl StepDraft<DataDraft>,
    files: &HeldFiles,
) -> Result<DataDraftView, DataStepError> {
    Ok(DataDraftView::of(
        current_draft(session, kept).await?,
        files,
    ))
}

/// [`choose_file`] with files the UI names by handle; a path is refused.
pub async fn choose_held(
    kept: &impl StepDraft<DataDraft>,
    files: &HeldFiles,
    source: &str,
    working: &str,
) -> Result<DataDraftView, DataStepError> {
    let source = files.path(source)?.display().to_string();
    let working = files.path(working)?.display().to_string();
    let draft = choose_file(kept, source, working).await?;
    Ok(DataDraftView::of(draft, files))
}

/// The saved draft, its dataset checked against the file it was made from: when the file
/// now holds other contents, the dataset is let go (and the draft saved so), so that the
/// next upload makes a new one and no batch is set up on the old rows. A draft from an
/// earlier version, which kept no identity, records the file as it is now.
pub async fn checked_draft(
    kept: &impl StepDraft<DataDraft>,
    look: Look,
) -> Result<DataDraft, StoreError> {
    let mut draft = kept.read()?;
    let (Some(_), Some(path)) = (&draft.dataset_id, draft.uploaded_path.clone()) else {
        return Ok(draft);
    };
    let recorded = draft.uploaded_identity.clone();
    let looked = tokio::task::spawn_blocking(move || {
        let path = Path::new(&path);
        match recorded {
            Some(recorded) => file_identity::compare(path, &recorded, look),
            None => file_identity::identify(path).map(Comparison::Same),
        }
    })
    .await;
    match looked {
        Ok(Ok(Comparison::Same(identity))) => {
            if draft.uploaded_identity.as_ref() != Some(&identity) {
                draft.uploaded_identity = Some(identity);
                kept.replace(draft.clone())?;
            }
        }
        Ok(Ok(Comparison::Changed)) => {
            tracing::info!(
                dataset_id = ?draft.dataset_id,
                "the data file changed since it was uploaded; it will go up as a new dataset"
            );
            draft = DataDraft {
                source_path: draft.source_path,
                working_path: draft.working_path,
                changed_since_upload: true,
                ..DataDraft::default()
            };
            kept.replace(draft.clone())?;
        }
        // Moved or deleted: the dataset holds what was sent, and a new upload would
        // say the file cannot be read. Checked again next time.
        Ok(Err(error)) => tracing::warn!(%error, "the uploaded data file cannot be read"),
        Err(error) => tracing::error!(%error, "checking the data file stopped"),
    }
    Ok(draft)
}

/// The current mode's draft, checked against its file ([`checked_draft`]). A dataset that
/// no longer exists (a practice state that could not be read starts empty; a real one
/// may have been removed) is forgotten, keeping the file choice, so the next upload makes
/// a new one.
pub async fn current_draft(
    session: &Session,
    kept: &impl StepDraft<DataDraft>,
) -> Result<DataDraft, DataStepError> {
    let mut draft = checked_draft(kept, Look::Quick).await?;
    if let Some(dataset_id) = draft.dataset_id.clone() {
        // Offline or rate-limited: keep the draft as it is and check next time.
        if let Err(ProlificError::NotFound { .. }) = session.client.dataset(&dataset_id).await {
            tracing::info!(%dataset_id, "the draft's dataset is gone; it will be uploaded again");
            draft = DataDraft {
                source_path: draft.source_path,
                working_path: draft.working_path,
                ..DataDraft::default()
            };
            kept.replace(draft.clone())?;
        }
    }
    Ok(draft)
}

/// Records the researcher's choice of file (and of the copy to send). Choosing another
/// file starts a new dataset; choosing the same one keeps what was uploaded, unless its
/// contents changed since ([`checked_draft`]).
pub async fn choose_file(
    kept: &impl StepDraft<DataDraft>,
    source_path: String,
    working_path: String,
) -> Result<DataDraft, DataStepError> {
    kept.change(&mut |draft| {
        if draft.uploaded_path.as_deref() != Some(working_path.as_str()) {
            *draft = DataDraft::default();
        }
        draft.source_path = Some(source_path.clone());
        draft.working_path = Some(working_path.clone());
    })?;
    Ok(checked_draft(kept, Look::Quick).await?)
}

/// Uploads the draft's working file into the chosen workspace and follows it to READY,
/// or resumes the dataset an earlier attempt made from the same file with the same
/// contents. The file's identity is recorded with the dataset the moment it exists.
pub async fn upload(
    session: &Session,
    kept: &(impl StepDraft<DataDraft> + Clone + 'static),
    progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<ReadyDataset, DataStepError> {
    let client = &session.client;
    let draft = checked_draft(kept, Look::Quick).await?;
    let Some(path) = draft.working_path.clone() else {
        return Err(DataStepError::NoFile);
    };
    // Read whole just before sending: this is what the dataset will hold. (An edit while
    // it is being sent makes the next check see a change, and the file go up again.)
    let identity = identify(Path::new(&path)).await?;
    // Keep the dataset id the moment it exists, so a crash or quit can resume it.
    let remember = {
        let kept = kept.clone();
        let path = path.clone();
        let identity = identity.clone();
        move |step: &UploadProgress| {
            if let UploadProgress::Created { dataset_id } = step {
                let kept_id = kept.change(&mut |draft| {
                    draft.dataset_id = Some(dataset_id.clone());
                    draft.uploaded_path = Some(path.clone());
                    draft.uploaded_identity = Some(identity.clone());
                    draft.changed_since_upload = false;
                    draft.ready = false;
                });
                if let Err(error) = kept_id {
                    tracing::error!(%error, "could not keep the new dataset's id");
                }
            }
        }
    };
    let on_progress: upload::OnProgress = Arc::new(move |step| {
        remember(&step);
        progress(step);
    });
    let poll = PollPolicy::default();
    let resumable = draft.dataset_id.clone().filter(|_| {
        draft.uploaded_path.as_deref() == Some(path.as_str())
            && draft
                .uploaded_identity
                .as_ref()
                .is_some_and(|uploaded| uploaded.sha256 == identity.sha256)
    });
    let ready = match resumable {
        // A classic dataset an earlier version made is not used again: a typed one is made.
        Some(_) if draft.ready && !draft.typed => None,
        other => other,
    };
    let outcome = match ready {
        Some(dataset_id) => {
            upload::resume_upload(
                client,
                &dataset_id,
                Path::new(&path),
                on_progress,
                cancel,
                &poll,
            )
            .await
        }
        None => {
            let workspace = account::workspaces_of(session)
                .await?
                .chosen
                .ok_or(DataStepError::NoWorkspace)?;
            let name = dataset_name(Path::new(&path));
            let schema = schema_of(Path::new(&path))
                .await
                .map_err(DataStepError::NoSchema)?;
            upload::upload_typed_dataset(
                client,
                &workspace,
                &name,
                Path::new(&path),
                Some(schema),
                on_progress,
                cancel,
                &poll,
            )
            .await
        }
    };
    let ready = match outcome {
        Ok(ready) => ready,
        Err(UploadError::RowsRejected {
            dataset_id,
            file_name,
            accepted,
            rejected,
        }) => {
            // Kept, so the refused rows can be shown again after a restart.
            kept.change(&mut |done| done.rejected_rows.clone_from(&rejected))?;
            return Err(UploadError::RowsRejected {
                dataset_id,
                file_name,
                accepted,
                rejected,
            }
            .into());
        }
        Err(error) => return Err(error.into()),
    };
    kept.change(&mut |done| {
        done.dataset_id = Some(ready.dataset_id.clone());
        done.uploaded_path = Some(path.clone());
        done.uploaded_identity = Some(identity.clone());
        done.changed_since_upload = false;
        done.ready = true;
        done.ready_rows = ready.rows.and_then(|rows| u32::try_from(rows).ok());
        done.typed = ready.typed;
        done.rejected_rows.clear();
    })?;
    Ok(ready)
}

/// The identity of the file about to be sent, read on a blocking thread.
async fn identify(path: &Path) -> Result<FileIdentity, DataStepError> {
    let owned = path.to_owned();
    tokio::task::spawn_blocking(move || file_identity::identify(&owned))
        .await
        .map_err(|error| DataStepError::Unreadable {
            file_name: crate::held_files::file_name(path),
            source: std::io::Error::other(error.to_string()),
        })?
        .map_err(|source| DataStepError::Unreadable {
            file_name: crate::held_files::file_name(path),
            source,
        })
}

/// After Prolific refused some rows: writes a copy of the working file without them into
/// `folder` (the researcher's file is never changed), makes it the file to send, and
/// uploads it as a new dataset, whose rows are then all taken.
pub async fn upload_without_rejected_rows(
    session: &Session,
    kept: &(impl StepDraft<DataDraft> + Clone + 'static),
    folder: &Path,
    progress: impl Fn(UploadProgress) + Send + Sync + 'static,
    cancel: &CancellationToken,
) -> Result<ReadyDataset, DataStepError> {
    let draft = kept.read()?;
    let (Some(source), Some(working)) = (draft.source_path.clone(), draft.working_path.clone())
    else {
        return Err(DataStepError::NoFile);
    };
    let skipped: std::collections::BTreeSet<u32> = draft
        .rejected_rows
        .iter()
        .filter_map(|row| row.row)
        .collect();
    if skipped.is_empty() {
        return Err(DataStepError::NothingRejected);
    }
    let folder = folder.to_owned();
    let copy = tokio::task::spawn_blocking(move || {
        copy_without_rows(Path::new(&working), &folder, &skipped)
    })
    .await
    .map_err(|error| DataStepError::CopyNotWritten(error.to_string()))?
    .map_err(|error| DataStepError::CopyNotWritten(error.to_string()))?;
    choose_file(kept, source, copy.display().to_string()).await?;
    upload(session, kept, progress, cancel).await
}

/// Writes `source` without its data rows numbered in `skipped` (1 is the first row under
/// the header; blank rows are not counted, as Prolific does not count them) into
/// `folder`, answering the copy's path.
fn copy_without_rows(
    source: &Path,
    folder: &Path,
    skipped: &std::collections::BTreeSet<u32>,
) -> Result<PathBuf, Box<dyn std::error::Error + Send + Sync>> {
    std::fs::create_dir_all(folder)?;
    let stem = source
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".to_owned());
    let target = folder.join(format!(
        "{stem} (without {} refused rows).csv",
        skipped.len()
    ));
    let partial = folder.join(format!(".{stem}.partial"));
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(source)?;
    let mut writer = csv::Writer::from_path(&partial)?;
    writer.write_byte_record(reader.byte_headers()?)?;
    let mut number = 0u32;
    for record in reader.byte_records() {
        let record = record?;
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        number += 1;
        if !skipped.contains(&number) {
            writer.write_byte_record(&record)?;
        }
    }
    writer.flush()?;
    drop(writer);
    std::fs::rename(&partial, &target)?;
    Ok(target)
}

/// The V4 schema for the file's columns (read again by the CSV doctor): `META_` columns
/// are metadata, `META_TASK_GROUP_ID` groups rows, columns of mostly image links are
/// images, the rest text. A file that cannot be read here, or whose columns do not fit
/// Prolific's schema rules (at most 200 fields, names of 1 to 128 characters, each once),
/// gets the reason instead: there is no untyped fallback, as participants could not see
/// the data of an untyped dataset.
pub(crate) async fn schema_of(path: &Path) -> Result<DatasetSchema, SchemaProblem> {
    let path = path.to_owned();
    let report = tokio::task::spawn_blocking(move || {
        csv_doctor::inspect(&path, &csv_doctor::InspectOptions::default())
    })
    .await
    .map_err(|error| SchemaProblem::Unreadable(error.to_string()))?
    .map_err(|error| SchemaProblem::Unreadable(error.to_string()))?;
    schema_for(&report.columns)
}

pub fn schema_for(columns: &[csv_doctor::Column]) -> Result<DatasetSchema, SchemaProblem> {
    const MOST_FIELDS: usize = 200;
    const LONGEST_NAME: usize = 128;
    if columns.is_empty() {
        return Err(SchemaProblem::NoColumns);
    }
    if columns.len() > MOST_FIELDS {
        return Err(SchemaProblem::TooManyColumns {
            count: columns.len(),
        });
    }
    let mut fields = std::collections::BTreeMap::new();
    for column in columns {
        let length = column.name.chars().count();
        if length == 0 || length > LONGEST_NAME {
            return Err(SchemaProblem::NameLength {
                name: column.name.chars().take(40).collect(),
            });
        }
        let kind = if column.is_task_group {
            FieldType::TaskGroupId
        } else if column.hidden {
            FieldType::Metadata
        } else if column.image_urls.is_some() {
            // Mostly image links: shown as images. The CSV doctor has already warned
            // about the rows whose links Prolific cannot show (http, not a link).
            FieldType::ImageUrl
        } else {
            FieldType::Text
        };
        let field = SchemaField { kind, label: None };
        if fields.insert(column.name.clone(), field).is_some() {
            return Err(SchemaProblem::RepeatedName {
                name: column.name.clone(),
            });
        }
    }
    // Not strict: an empty cell is an absent value rather than a refused row.
    Ok(DatasetSchema {
        strict: false,
        fields,
    })
}

/// A name the researcher recognises on Prolific: the file and when it was sent.
pub(crate) fn dataset_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data.csv".to_owned());
    format!(
        "{file} (Batchdesk, {})",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    )
}
