//! Workspace controls for tests and rehearsals: the balance, the per-workspace
//! features Prolific switches on for some workspaces only (typed datasets, test
//! participants), and how long simulated participants take. Set through `PracticeServer` or `/_practice/workspace` (the server's
//! token, like `/_practice/faults`); not part of Prolific's API.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::ServerState;
use crate::error::ApiError;

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
    })
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
