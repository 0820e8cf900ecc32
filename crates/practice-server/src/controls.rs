//! Workspace controls for tests and rehearsals: the balance, the per-workspace
//! features Prolific switches on for some workspaces only (typed datasets, test
//! participants), how long simulated participants take, and the kinds of people they
//! are (the crowd mix). Set through `PracticeServer` or `/_practice/workspace` (the
//! server's token, like `/_practice/faults`); not part of Prolific's API.
//!
//! - `GET /_practice/workspace`: 200 with `WorkspaceSettings`, e.g. `{"balance":
//!   100000, "available_balance": 100000, "typed_datasets": true, "test_participants":
//!   true, "batch_layouts": true, "time_factor_percent": 100}`, with `"crowd_mix": {…}`
//!   when one is set.
//! - `PATCH /_practice/workspace` with `WorkspaceControls` (fields left out stay as they
//!   are): 200 with the settings now, or 400 with the reason. `"crowd_mix": {"careful":
//!   10, "average": 70, "fast_clicker": 8, "straight_liner": 6, "bot": 6}` sets the kinds
//!   of people (percentages adding up to 100; a kind left out is 0) for places planned
//!   from then on; `"crowd_mix": null` goes back to no kinds.
//! - `GET /_practice/studies/{study_id}/participants`: who took part, as what: 200 with
//!   `{"results": [{"participant_id": "…", "kind": "fast_clicker"}, …]}`, one entry per
//!   submission that exists (any status), in the order they came; `kind` is `null` for
//!   someone planned without a mix (and for test participants). 404 for an unknown study.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

use crate::ServerState;
use crate::error::ApiError;
use crate::kinds::CrowdMix;

/// Changes to the practice workspace; a field left out stays as it is. The JSON body
/// of `PATCH /_practice/workspace`, e.g. `{"balance": 50, "typed_datasets": false}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceControls {
    /// The total balance in minor units. Funds locked by published studies stay
    /// locked, so the available balance is this less those.
    pub balance: Option<i64>,
    /// Whether `POST /data-collection/datasets` accepts a `schema` (V4).
    pub typed_datasets: Option<bool>,
    /// Whether test participants and test studies can be made.
    pub test_participants: Option<bool>,
    /// Whether batches may carry a `batch_items` layout.
    #[serde(default)]
    pub batch_layouts: Option<bool>,
    /// How long participants take against a study's estimate, in percent: 100 takes as
    /// long as estimated, 300 three times as long. From 1 to 10,000. Applies to
    /// submissions planned from now on.
    #[serde(default)]
    pub time_factor_percent: Option<u32>,
    /// The kinds of people in the pool (see `CrowdMix`): `Some(Some(mix))` sets a mix
    /// (JSON: the mix), `Some(None)` removes it (JSON: `null`), so that participants
    /// answer as before kinds; `None` (left out) keeps it. Applies to places planned
    /// from now on.
    #[serde(
        default,
        deserialize_with = "given",
        skip_serializing_if = "Option::is_none"
    )]
    pub crowd_mix: Option<Option<CrowdMix>>,
}

/// A field that is present, `null` included: `Some` of what it holds.
fn given<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The practice workspace's settings, as `GET /_practice/workspace` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    pub balance: i64,
    pub available_balance: i64,
    pub typed_datasets: bool,
    pub test_participants: bool,
    pub batch_layouts: bool,
    pub time_factor_percent: u32,
    /// The kinds of people in the pool; left out of the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crowd_mix: Option<CrowdMix>,
}

/// The range `time_factor_percent` may take.
const TIME_FACTORS: std::ops::RangeInclusive<u32> = 1..=10_000;

impl ServerState {
    /// Applies `controls` to every workspace (there is one) and answers the result.
    /// Saving is the caller's: this runs under the store's lock.
    pub(crate) fn apply_controls(
        &self,
        controls: &WorkspaceControls,
    ) -> Result<WorkspaceSettings, ApiError> {
        if controls.balance.is_some_and(|balance| balance < 0) {
            return Err(ApiError::bad_request(
                "The balance must be zero or more (minor units).",
            ));
        }
        if controls
            .time_factor_percent
            .is_some_and(|factor| !TIME_FACTORS.contains(&factor))
        {
            return Err(ApiError::bad_request(
                "The time factor is a percentage from 1 to 10000 (100: as long as estimated).",
            ));
        }
        if let Some(Some(mix)) = &controls.crowd_mix {
            mix.check().map_err(ApiError::bad_request)?;
        }
        let mut store = self.store();
        for workspace in &mut store.workspaces {
            if let Some(balance) = controls.balance {
                workspace.balance = balance;
            }
            if let Some(typed) = controls.typed_datasets {
                workspace.typed_datasets = typed;
            }
            if let Some(test) = controls.test_participants {
                workspace.test_participants = test;
            }
            if let Some(layouts) = controls.batch_layouts {
                workspace.batch_layouts = layouts;
            }
            if let Some(factor) = controls.time_factor_percent {
                workspace.time_factor_percent = factor;
            }
            if let Some(mix) = controls.crowd_mix {
                workspace.crowd_mix = mix;
            }
        }
        settings(&store)
    }

    pub(crate) fn workspace_settings(&self) -> Result<WorkspaceSettings, ApiError> {
        settings(&self.store())
    }
}

fn settings(store: &crate::model::Store) -> Result<WorkspaceSettings, ApiError> {
    let workspace = store
        .workspaces
        .first()
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    Ok(WorkspaceSettings {
        balance: workspace.balance,
        available_balance: workspace.available(),
        typed_datasets: workspace.typed_datasets,
        test_participants: workspace.test_participants,
        batch_layouts: workspace.batch_layouts,
        time_factor_percent: workspace.time_factor_percent,
        crowd_mix: workspace.crowd_mix,
    })
}

impl ServerState {
    /// Everyone with a submission in `study_id` that exists now, each with their kind:
    /// `[{participant_id, kind}]`, in the order they came.
    pub(crate) fn study_participants(&self, study_id: &str) -> Result<Value, ApiError> {
        let store = self.store();
        let study = store
            .study(study_id)
            .ok_or_else(|| ApiError::not_found("Study"))?;
        let mut submissions: Vec<_> = study
            .submissions
            .iter()
            .filter(|submission| submission.exists())
            .collect();
        submissions.sort_by_key(|submission| submission.reserved_at);
        // A person takes one place in a study; listed once all the same.
        let mut listed = HashSet::new();
        let results: Vec<Value> = submissions
            .into_iter()
            .filter(|submission| listed.insert(submission.participant_id.as_str()))
            .map(|submission| {
                json!({
                    "participant_id": submission.participant_id,
                    "kind": submission.kind,
                })
            })
            .collect();
        Ok(json!({ "results": results }))
    }
}

/// `GET /_practice/studies/{study_id}/participants`: 200 with who took part, as what.
pub(crate) async fn participants(
    State(state): State<Arc<ServerState>>,
    Path(study_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state.study_participants(&study_id).map(Json)
}

/// `GET /_practice/workspace`: 200 with `WorkspaceSettings`.
pub(crate) async fn get(
    State(state): State<Arc<ServerState>>,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    state.workspace_settings().map(Json)
}

/// `PATCH /_practice/workspace` with `WorkspaceControls`: 200 with the settings now.
/// (Saved with the rest of the state by the router's save-after-change layer.)
pub(crate) async fn patch(
    State(state): State<Arc<ServerState>>,
    body: Result<Json<WorkspaceControls>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    let Json(controls) = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    state.apply_controls(&controls).map(Json)
}
