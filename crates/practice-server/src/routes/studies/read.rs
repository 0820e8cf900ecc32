//! Reading studies: the list (by status, paged) and one study.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::Value;

use super::lookup::{study_json, study_or_404};
use crate::ServerState;
use crate::error::ApiResult;
use crate::model::Study;
use crate::routes::paging::PageRequest;

/// `GET /api/v1/studies/`, optionally `?state=` one status (`AWAITING REVIEW` with its
/// space; `UNKNOWN` matches nothing); oldest first, paged, `results` only.
pub(super) async fn list_studies(
    State(state): State<Arc<ServerState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let asked = PageRequest::from_query(&query)?;
    let store = state.store();
    let wanted = query.get("state").map(String::as_str);
    let studies: Vec<Value> = store
        .studies
        .iter()
        .filter(|study| wanted.is_none_or(|wanted| study.status() == wanted))
        .map(Study::short_json)
        .collect();
    Ok(asked.cut(studies)?.results_only())
}

pub(super) async fn get_study(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> ApiResult {
    let store = state.store();
    let study = study_or_404(&store, &id)?;
    Ok(Json(study_json(&store, study)))
}
