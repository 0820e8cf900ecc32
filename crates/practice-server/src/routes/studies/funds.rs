//! The balance check before money is set aside for a study (publishing, more places).

use axum::http::StatusCode;
use serde_json::json;

use crate::error::ApiError;
use crate::model::Store;

/// Refuses, in Prolific's words, a cost the workspace's available balance cannot cover.
pub(super) fn ensure_affordable(
    store: &Store,
    workspace_id: &str,
    cost: i64,
) -> Result<(), ApiError> {
    let workspace = store
        .workspace(workspace_id)
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    if workspace.available() < cost {
        return Err(insufficient_funds(cost, workspace.available()));
    }
    Ok(())
}

/// Prolific's answer when the balance cannot cover a study.
pub(super) fn insufficient_funds(needed: i64, available: i64) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        error_code: 140_001,
        title: "Bad request",
        detail: json!(format!(
            "You do not have enough funds to publish this study. It costs {needed} and {available} is available (minor units); top up your workspace balance."
        )),
    }
}
