//! What Prolific answers, typed leniently: unknown fields are ignored, optional ones
//! default, so a new field on Prolific's side never breaks the app.

use serde::Deserialize;
use serde_json::Value;

use crate::ProlificError;

mod batches;
mod bonuses;
mod datasets;
pub mod layout;
mod lenient;
mod messages;
mod numbers;
mod participant_groups;
mod results;
mod studies;
mod submissions;
mod targeting;

pub use batches::{Batch, BatchDataset, BatchSetup, BatchUpdate, NewBatch, TaskDetails};
pub(crate) use bonuses::NewBulkBonus;
pub use bonuses::{BonusAmount, BonusAmountError, BulkBonus, currency_decimals};
pub use datasets::{
    Dataset, DatasetSchema, FieldType, ImportJob, ImportRecordError, ImportStatus, NewDataset,
    ProcessingStatus, SchemaField, StatusAnswer, UploadUrl,
};
pub use lenient::SchemaVersion;
pub use messages::{Message, MessageData};
pub(crate) use messages::{Messages, NewBulkMessage, NewGroupMessage, NewMessage};
pub(crate) use participant_groups::{GroupMember, GroupMembers, ParticipantIds};
pub use participant_groups::{NewParticipantGroup, ParticipantGroup};
pub use results::{
    Answer, ExportState, PresignedUrl, ReportLink, ResponseContent, ResponseType, TaskResponse,
};
pub use studies::{
    CodeAction, CompletionAction, CompletionCode, DataCollectionMetadata, DataCollectionMethod,
    FilterRange, NewStudy, ProlificIdOption, Study, StudyAction, StudyFilter, StudyStatus,
    StudyUpdate, SubmissionCounts, SubmissionsConfig, TestParticipant, TestStudy,
};
pub use submissions::{RejectionCategory, ReturnRequested, Review, Submission, SubmissionStatus};
pub(crate) use submissions::{ReturnRequestBody, ReviewBody};
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

/// One page of a list as it came (API-NOTES §1.7): `results`, and where the list gives
/// them, `_links` and `meta`. The items stay raw until the whole list is read, so that a
/// page answered twice can be recognised.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct RawPage {
    pub results: Vec<Value>,
    #[serde(default, rename = "_links")]
    pub links: Option<Value>,
    #[serde(default)]
    pub meta: Option<Meta>,
}

/// What a page says of the page after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NextLink {
    /// No `_links.next` at all: the page does not say.
    Unsaid,
    /// `_links.next` is null or has no address: this was the last page.
    End,
    Href(String),
}

impl RawPage {
    pub(crate) fn next_link(&self) -> NextLink {
        let Some(next) = self.links.as_ref().and_then(|links| links.get("next")) else {
            return NextLink::Unsaid;
        };
        match next.get("href").and_then(Value::as_str) {
            Some(href) if !href.is_empty() => NextLink::Href(href.to_owned()),
            _ => NextLink::End,
        }
    }
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

/// A list that may be incomplete: Prolific said it holds more than was received, or
/// the reading was cut short (see `paging.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    /// True when the pages may not have held every item: `meta.count` is larger than
    /// what they held, or the reading stopped before the list said it had ended.
    pub possibly_truncated: bool,
}

impl<T> Listed<T> {
    /// Every item, when the list is known to be whole; `what` names the items (plural)
    /// in the error otherwise, for callers that must act on all of them.
    pub fn whole(self, what: &'static str) -> Result<Vec<T>, ProlificError> {
        if self.possibly_truncated {
            return Err(ProlificError::IncompleteList { what });
        }
        Ok(self.items)
    }

    /// The newest item (lists come oldest first) that `matches`. Finding none in a list
    /// that may be incomplete proves nothing (it may be on a page not received), so that
    /// is an error, never `None`.
    pub fn newest_match(
        self,
        what: &'static str,
        matches: impl FnMut(&T) -> bool,
    ) -> Result<Option<T>, ProlificError> {
        let incomplete = self.possibly_truncated;
        match self.items.into_iter().rev().find(matches) {
            Some(found) => Ok(Some(found)),
            None if incomplete => Err(ProlificError::IncompleteList { what }),
            None => Ok(None),
        }
    }
}
