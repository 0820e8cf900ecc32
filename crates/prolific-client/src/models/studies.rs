//! Studies that run a Task Builder batch (API-NOTES §7). Money is in minor units
//! (pence, cents) of the workspace's currency.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::{lenient_enum, optional_text};
use super::numbers::{count_or_zero, optional_count, optional_whole};

lenient_enum!(
    /// A study's status. `AWAITING REVIEW` has a space, as Prolific sends it.
    StudyStatus {
        Unpublished => "UNPUBLISHED",
        Scheduled => "SCHEDULED",
        Publishing => "PUBLISHING",
        Active => "ACTIVE",
        AwaitingReview => "AWAITING REVIEW",
        Paused => "PAUSED",
        Completed => "COMPLETED",
    }
);

impl StudyStatus {
    /// Whether the study has been published (money committed, recruiting or done).
    pub fn is_published(&self) -> bool {
        !matches!(self, Self::Unpublished | Self::Scheduled)
    }
}

lenient_enum!(
    /// What a study runs. Batchdesk creates `AI_TASK_BUILDER_BATCH` studies.
    DataCollectionMethod {
        TaskBuilderBatch => "AI_TASK_BUILDER_BATCH",
        TaskBuilderCollection => "AI_TASK_BUILDER_COLLECTION",
    }
);

lenient_enum!(
    /// How participants give their Prolific id.
    ProlificIdOption {
        Question => "question",
        UrlParameters => "url_parameters",
        NotRequired => "not_required",
    }
);

lenient_enum!(
    /// What happens to a submission that ends with a completion code.
    CompletionAction {
        ManuallyReview => "MANUALLY_REVIEW",
        AutomaticallyApprove => "AUTOMATICALLY_APPROVE",
        AddToParticipantGroup => "ADD_TO_PARTICIPANT_GROUP",
        RemoveFromParticipantGroup => "REMOVE_FROM_PARTICIPANT_GROUP",
        RequestReturn => "REQUEST_RETURN",
        DynamicPayment => "DYNAMIC_PAYMENT",
        FixedScreenOutPayment => "FIXED_SCREEN_OUT_PAYMENT",
    }
);

lenient_enum!(
    /// A change of a study's status (`POST /studies/{id}/transition/`).
    StudyAction {
        Publish => "PUBLISH",
        SchedulePublish => "SCHEDULE_PUBLISH",
        CancelPublish => "CANCEL_PUBLISH",
        Pause => "PAUSE",
        Start => "START",
        Stop => "STOP",
    }
);

impl StudyAction {
    /// Whether a study in `status` shows this action has been applied, so that after
    /// an unclear failure the client knows not to send it again.
    pub fn is_done(&self, status: &StudyStatus) -> bool {
        match self {
            Self::Publish => status.is_published(),
            Self::SchedulePublish => *status != StudyStatus::Unpublished,
            Self::CancelPublish => *status == StudyStatus::Unpublished,
            Self::Pause => *status == StudyStatus::Paused,
            Self::Start => status.is_published() && *status != StudyStatus::Paused,
            Self::Stop => *status == StudyStatus::Completed,
            Self::Other(_) => false,
        }
    }
}

/// `{ "annotators_per_task": k }`: places = task groups × k.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataCollectionMetadata {
    #[serde(
        default,
        deserialize_with = "optional_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub annotators_per_task: Option<u64>,
}

/// One completion code. A Task Builder study needs exactly one `COMPLETED` code whose
/// action is `MANUALLY_REVIEW` or `AUTOMATICALLY_APPROVE`; without any, Prolific makes a
/// `COMPLETED` + `MANUALLY_REVIEW` one. A code may be `null` only when it has no actions
/// (and is the participant's only code), so a code with an action always has a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionCode {
    /// `None` lets Prolific choose the code.
    #[serde(default)]
    pub code: Option<String>,
    /// `COMPLETED`, `FAILED_ATTENTION_CHECK`, … or free text.
    pub code_type: String,
    #[serde(default)]
    pub actions: Vec<CodeAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl CompletionCode {
    /// The one `COMPLETED` code, approving automatically or sending to review. `code` is
    /// its text (unique in the study; a Task Builder participant never types it).
    pub fn completed(code: impl Into<String>, action: CompletionAction) -> Self {
        Self {
            code: Some(code.into()),
            code_type: "COMPLETED".into(),
            actions: vec![CodeAction {
                action,
                extra: serde_json::Map::new(),
            }],
            actor: None,
        }
    }
}

/// `{ "action": … }` and whatever else an action carries (a participant group…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeAction {
    pub action: CompletionAction,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// Who may take part: a select filter (`selected_values`), a range filter
/// (`selected_range`) or an `and`/`or` group (`selected_filters`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudyFilter {
    pub filter_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_range: Option<FilterRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_filters: Option<Vec<StudyFilter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weightings: Option<Value>,
}

impl StudyFilter {
    pub fn select(filter_id: &str, values: &[&str]) -> Self {
        Self {
            filter_id: filter_id.to_owned(),
            selected_values: Some(values.iter().map(|value| (*value).to_owned()).collect()),
            selected_range: None,
            selected_filters: None,
            weightings: None,
        }
    }

    pub fn range(filter_id: &str, lower: Option<f64>, upper: Option<f64>) -> Self {
        Self {
            filter_id: filter_id.to_owned(),
            selected_values: None,
            selected_range: Some(FilterRange {
                lower: lower.map(Value::from),
                upper: upper.map(Value::from),
            }),
            selected_filters: None,
            weightings: None,
        }
    }
}

/// Bounds are numbers, or dates for date filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterRange {
    /// An open end is left out: the spec allows a number or a text for each end, not null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<Value>,
}

/// `max_submissions_per_participant` (1 by default; -1 means one participant may take
/// several task groups) and `max_concurrent_submissions` (-1 = no limit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionsConfig {
    #[serde(
        default,
        deserialize_with = "optional_whole",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_submissions_per_participant: Option<i64>,
    #[serde(
        default,
        deserialize_with = "optional_whole",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_concurrent_submissions: Option<i64>,
}

/// `POST /api/v1/studies/`: a draft study running a Task Builder batch.
///
/// `internal_name` together with the batch is how the client recognises a study an
/// earlier, unclear attempt created, so give each study its own internal name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewStudy {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_name: Option<String>,
    /// Basic HTML.
    pub description: String,
    pub data_collection_method: DataCollectionMethod,
    /// The batch's id.
    pub data_collection_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_collection_metadata: Option<DataCollectionMetadata>,
    /// Always sent: without it Prolific bills the researcher's personal balance.
    pub project: String,
    pub prolific_id_option: ProlificIdOption,
    /// Minutes.
    pub estimated_completion_time: u32,
    /// Minutes; Prolific's maximum when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_allowed_time: Option<u32>,
    /// Per participant, in minor units of the workspace's currency.
    pub reward: i64,
    /// Worked out from the batch for batch studies; rarely needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_available_places: Option<u64>,
    /// `desktop`, `tablet`, `mobile`; empty = every device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_compatibility: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peripheral_requirements: Option<Vec<String>>,
    /// Empty = everyone. Not together with `filter_set_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<StudyFilter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_set_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_set_version: Option<u32>,
    /// `None` lets Prolific make the default `COMPLETED` + `MANUALLY_REVIEW` code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_codes: Option<Vec<CompletionCode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submissions_config: Option<SubmissionsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub study_labels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_warnings: Option<Vec<String>>,
    /// ISO-8601; used by `SCHEDULE_PUBLISH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<String>,
}

impl NewStudy {
    /// A batch study with `annotators` per task and the other fields at their defaults
    /// (Prolific id asked by question, every device, everyone eligible, the default
    /// completion code). Change fields before sending as needed.
    pub fn for_batch(
        batch_id: &str,
        project_id: &str,
        name: &str,
        internal_name: &str,
        annotators: u64,
        reward: i64,
        minutes: u32,
    ) -> Self {
        Self {
            name: name.to_owned(),
            internal_name: Some(internal_name.to_owned()),
            description: String::new(),
            data_collection_method: DataCollectionMethod::TaskBuilderBatch,
            data_collection_id: batch_id.to_owned(),
            data_collection_metadata: Some(DataCollectionMetadata {
                annotators_per_task: Some(annotators),
            }),
            project: project_id.to_owned(),
            prolific_id_option: ProlificIdOption::Question,
            estimated_completion_time: minutes,
            maximum_allowed_time: None,
            reward,
            total_available_places: None,
            device_compatibility: None,
            peripheral_requirements: None,
            filters: None,
            filter_set_id: None,
            filter_set_version: None,
            completion_codes: None,
            submissions_config: None,
            study_labels: None,
            content_warnings: None,
            publish_at: None,
        }
    }
}

/// `PATCH /api/v1/studies/{id}/`: only the fields set are sent. After publishing only
/// `internal_name`, places (up), `annotators_per_task` (up) and `submissions_config`
/// may change.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StudyUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_collection_metadata: Option<DataCollectionMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_completion_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_allowed_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reward: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_available_places: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_compatibility: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<StudyFilter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_codes: Option<Vec<CompletionCode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submissions_config: Option<SubmissionsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<String>,
}

/// A study, as fetched (`Study`) or listed (`StudyShort`, which lacks most fields).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Study {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub internal_name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<StudyStatus>,
    #[serde(default)]
    pub data_collection_method: Option<DataCollectionMethod>,
    #[serde(default)]
    pub data_collection_id: Option<String>,
    #[serde(default)]
    pub data_collection_metadata: Option<DataCollectionMetadata>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub prolific_id_option: Option<ProlificIdOption>,
    #[serde(default, deserialize_with = "optional_whole")]
    pub reward: Option<i64>,
    #[serde(default, deserialize_with = "optional_count")]
    pub total_available_places: Option<u64>,
    /// Started submissions, not counting timed-out and returned ones.
    #[serde(default, deserialize_with = "count_or_zero")]
    pub places_taken: u64,
    #[serde(default, deserialize_with = "optional_count")]
    pub number_of_submissions: Option<u64>,
    #[serde(default, deserialize_with = "optional_whole")]
    pub total_cost: Option<i64>,
    #[serde(default)]
    pub currency_code: Option<String>,
    #[serde(default)]
    pub presentment_currency_code: Option<String>,
    #[serde(default, deserialize_with = "optional_count")]
    pub estimated_completion_time: Option<u64>,
    #[serde(default, deserialize_with = "optional_count")]
    pub maximum_allowed_time: Option<u64>,
    #[serde(default)]
    pub completion_codes: Option<Vec<CompletionCode>>,
    #[serde(default)]
    pub filters: Option<Vec<StudyFilter>>,
    #[serde(default)]
    pub filter_set_id: Option<String>,
    #[serde(default)]
    pub submissions_config: Option<SubmissionsConfig>,
    #[serde(default)]
    pub device_compatibility: Option<Vec<String>>,
    #[serde(default)]
    pub study_labels: Option<Vec<String>>,
    #[serde(default)]
    pub external_study_url: Option<String>,
    #[serde(default)]
    pub is_ready_to_publish: Option<bool>,
    #[serde(default, deserialize_with = "optional_text")]
    pub date_created: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub published_at: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub publish_at: Option<String>,
}

/// `GET /studies/{id}/submissions/counts/`: submissions by status, for a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SubmissionCounts {
    #[serde(rename = "ACTIVE", default, deserialize_with = "count_or_zero")]
    pub active: u64,
    #[serde(rename = "APPROVED", default, deserialize_with = "count_or_zero")]
    pub approved: u64,
    #[serde(
        rename = "AWAITING REVIEW",
        default,
        deserialize_with = "count_or_zero"
    )]
    pub awaiting_review: u64,
    #[serde(rename = "REJECTED", default, deserialize_with = "count_or_zero")]
    pub rejected: u64,
    #[serde(rename = "RESERVED", default, deserialize_with = "count_or_zero")]
    pub reserved: u64,
    #[serde(rename = "RETURNED", default, deserialize_with = "count_or_zero")]
    pub returned: u64,
    #[serde(rename = "TIMED-OUT", default, deserialize_with = "count_or_zero")]
    pub timed_out: u64,
    #[serde(
        rename = "PARTIALLY APPROVED",
        default,
        deserialize_with = "count_or_zero"
    )]
    pub partially_approved: u64,
    #[serde(rename = "SCREENED OUT", default, deserialize_with = "count_or_zero")]
    pub screened_out: u64,
    #[serde(rename = "TOTAL", default, deserialize_with = "count_or_zero")]
    pub total: u64,
}

/// `POST /api/v1/researchers/participants/` (201): a test participant.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TestParticipant {
    pub participant_id: String,
}

/// `POST /api/v1/studies/{id}/test-study` (200): the published test copy of a draft.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TestStudy {
    #[serde(default)]
    pub study_id: Option<String>,
    #[serde(default)]
    pub study_url: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_batch_study_is_sent_as_prolific_documents_it() {
        let mut study = NewStudy::for_batch(
            "0192a3b5-e8f9-7a0b-8000-000000000001",
            "6278acb09062db3b35bcbeb1",
            "Rate reviews",
            "reviews-2026-11-23",
            2,
            150,
            5,
        );
        study.description = "<p>Read and rate.</p>".into();
        study.filters = Some(vec![
            StudyFilter::range("age", Some(18.0), Some(70.0)),
            StudyFilter::select("current-country-of-residence", &["1", "0"]),
        ]);
        study.completion_codes = Some(vec![CompletionCode::completed(
            "BD1A2B3C",
            CompletionAction::AutomaticallyApprove,
        )]);
        let sent = serde_json::to_value(&study).unwrap();
        assert_eq!(
            sent,
            json!({
                "name": "Rate reviews", "internal_name": "reviews-2026-11-23",
                "description": "<p>Read and rate.</p>",
                "data_collection_method": "AI_TASK_BUILDER_BATCH",
                "data_collection_id": "0192a3b5-e8f9-7a0b-8000-000000000001",
                "data_collection_metadata": {"annotators_per_task": 2},
                "project": "6278acb09062db3b35bcbeb1", "prolific_id_option": "question",
                "estimated_completion_time": 5, "reward": 150,
                "filters": [
                    {"filter_id": "age", "selected_range": {"lower": 18.0, "upper": 70.0}},
                    {"filter_id": "current-country-of-residence", "selected_values": ["1", "0"]}
                ],
                "completion_codes": [{"code": "BD1A2B3C", "code_type": "COMPLETED",
                                      "actions": [{"action": "AUTOMATICALLY_APPROVE"}]}]
            })
        );
    }

    #[test]
    fn a_study_reads_leniently() {
        // The spec's minimal Task Builder body echoed back, with doubles, an unknown
        // status, an unknown action and fields Batchdesk does not know.
        let study: Study = serde_json::from_value(json!({
            "id": "64395e9c2332b8a59a65d51e", "name": "…", "internal_name": "…",
            "status": "SOMETHING NEW", "data_collection_method": "AI_TASK_BUILDER_BATCH",
            "data_collection_id": "019be590-c2bd-714d-8000-000000000000",
            "data_collection_metadata": {"annotators_per_task": 1.0},
            "project": "6278acb09062db3b35bcbeb0", "prolific_id_option": "question",
            "estimated_completion_time": 5, "reward": 100.0, "total_available_places": 16.0,
            "places_taken": null, "total_cost": 140.0, "device_compatibility": ["desktop"],
            "peripheral_requirements": [], "filters": [],
            "submissions_config": {"max_submissions_per_participant": -1},
            "completion_codes": [{"code": "ABC123", "code_type": "COMPLETED",
                                  "actions": [{"action": "NEW_ACTION", "extra": 1}]}],
            "date_created": 1_700_000_000, "researcher": {"id": "x"}
        }))
        .unwrap();
        assert_eq!(
            study.status,
            Some(StudyStatus::Other("SOMETHING NEW".into()))
        );
        assert_eq!(study.reward, Some(100));
        assert_eq!(study.total_available_places, Some(16));
        assert_eq!(study.places_taken, 0);
        assert_eq!(
            study.data_collection_metadata.unwrap().annotators_per_task,
            Some(1)
        );
        assert_eq!(
            study
                .submissions_config
                .unwrap()
                .max_submissions_per_participant,
            Some(-1)
        );
        let codes = study.completion_codes.unwrap();
        assert_eq!(
            codes[0].actions[0].action,
            CompletionAction::Other("NEW_ACTION".into())
        );
        assert_eq!(codes[0].actions[0].extra["extra"], 1);
        assert_eq!(study.date_created.as_deref(), Some("1700000000"));
    }

    #[test]
    fn counts_read_the_spaced_and_dashed_names() {
        let counts: SubmissionCounts = serde_json::from_value(json!({
            "ACTIVE": 1, "APPROVED": 2.0, "AWAITING REVIEW": 3, "REJECTED": 0, "RESERVED": 4,
            "RETURNED": 0, "TIMED-OUT": 5, "PARTIALLY APPROVED": 0, "SCREENED OUT": 0,
            "TOTAL": 15, "SOMETHING NEW": 9
        }))
        .unwrap();
        assert_eq!(
            (
                counts.awaiting_review,
                counts.timed_out,
                counts.approved,
                counts.total
            ),
            (3, 5, 2, 15)
        );
    }

    #[test]
    fn an_action_is_done_when_the_status_shows_it() {
        use StudyStatus as S;
        assert!(StudyAction::Publish.is_done(&S::Active));
        assert!(StudyAction::Publish.is_done(&S::AwaitingReview));
        assert!(!StudyAction::Publish.is_done(&S::Unpublished));
        assert!(!StudyAction::Publish.is_done(&S::Scheduled));
        assert!(StudyAction::SchedulePublish.is_done(&S::Scheduled));
        assert!(StudyAction::CancelPublish.is_done(&S::Unpublished));
        assert!(StudyAction::Pause.is_done(&S::Paused));
        assert!(!StudyAction::Pause.is_done(&S::Active));
        assert!(StudyAction::Start.is_done(&S::Active));
        assert!(!StudyAction::Start.is_done(&S::Paused));
        assert!(StudyAction::Stop.is_done(&S::Completed));
        assert!(!StudyAction::Other("X".into()).is_done(&S::Active));
    }

    #[test]
    fn test_run_answers_read_as_the_spec_has_them() {
        let participant: TestParticipant =
            serde_json::from_value(json!({"participant_id": "6278acb09062db3b35bcbeb2"})).unwrap();
        assert_eq!(participant.participant_id, "6278acb09062db3b35bcbeb2");
        let test: TestStudy = serde_json::from_value(json!({
            "study_id": "64395e9c2332b8a59a65d51f",
            "study_url": "https://app.prolific.com/studies/64395e9c2332b8a59a65d51f"
        }))
        .unwrap();
        assert_eq!(test.study_id.as_deref(), Some("64395e9c2332b8a59a65d51f"));
    }
}
