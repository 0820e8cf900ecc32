//! What Prolific answers, typed leniently: unknown fields are ignored, optional ones
//! default, so a new field on Prolific's side never breaks the app.

use serde::Deserialize;

mod batches;
mod datasets;
pub mod layout;
mod lenient;
mod numbers;
mod results;
mod studies;
mod submissions;
mod targeting;

pub use batches::{Batch, BatchDataset, BatchSetup, BatchUpdate, NewBatch, TaskDetails};
pub use datasets::{
    Dataset, DatasetSchema, FieldType, ImportJob, ImportRecordError, ImportStatus, NewDataset,
    ProcessingStatus, SchemaField, StatusAnswer, UploadUrl,
};
pub use lenient::SchemaVersion;
pub use results::{
    Answer, ExportState, PresignedUrl, ReportLink, ResponseContent, ResponseType, TaskResponse,
};
pub use studies::{
    CodeAction, CompletionAction, CompletionCode, DataCollectionMetadata, DataCollectionMethod,
    FilterRange, NewStudy, ProlificIdOption, Study, StudyAction, StudyFilter, StudyStatus,
    StudyUpdate, SubmissionCounts, SubmissionsConfig, TestParticipant, TestStudy,
};
pub(crate) use submissions::ReviewBody;
pub use submissions::{RejectionCategory, Review, Submission, SubmissionStatus};
pub(crate) use targeting::{CostAnswer, CostQuestion, EligibilityAnswer};
pub use targeting::{EligibilityQuery, Filter, FilterSet, FilterType, RewardRecommendation};

/// `GET /api/v1/users/me/`. The spec requires only `id` and `email`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl User {
    /// The name to greet the researcher with, falling back to their email.
    pub fn display_name(&self) -> String {
        if let Some(name) = self.name.as_deref().filter(|name| !name.trim().is_empty()) {
            return name.to_owned();
        }
        let joined = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if joined.trim().is_empty() {
            self.email.clone()
        } else {
            joined
        }
    }
}

/// One page of a classic list endpoint: `{results, _links, meta}` (API-NOTES §1.7).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Page<T> {
    pub results: Vec<T>,
    #[serde(default, rename = "_links")]
    pub links: Option<Links>,
    #[serde(default)]
    pub meta: Option<Meta>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Links {
    #[serde(default)]
    pub next: Option<Link>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Link {
    #[serde(default)]
    pub href: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub(crate) struct Meta {
    #[serde(default)]
    pub count: Option<u64>,
}

/// A workspace, as listed (`WorkspaceShort`) or fetched (`Workspace`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// Present when a single workspace is fetched.
    #[serde(default)]
    pub projects: Option<Vec<Project>>,
}

/// A project, as listed (`ProjectShort`) or created (`Project`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// `GET /workspaces/{id}/balance/`. Amounts are in minor units (pence, cents).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct WorkspaceBalance {
    pub currency_code: String,
    pub total_balance: i64,
    pub available_balance: i64,
}

/// A list that may be incomplete: Prolific said it holds more than was received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    /// True when `meta.count` is larger than what the pages held.
    pub possibly_truncated: bool,
}
