//! Finding the study a request names (or its 404), and answering with it in its
//! workspace's currency.

use serde_json::Value;

use crate::error::ApiError;
use crate::model::{Store, Study};

pub(super) fn study_or_404<'a>(store: &'a Store, id: &str) -> Result<&'a Study, ApiError> {
    store.study(id).ok_or_else(|| ApiError::not_found("Study"))
}

/// The study to change, from the store's studies (taken apart so the workspaces and the
/// random source can be borrowed beside it).
pub(super) fn study_mut_or_404<'a>(
    studies: &'a mut [Study],
    id: &str,
) -> Result<&'a mut Study, ApiError> {
    studies
        .iter_mut()
        .find(|study| study.id == id)
        .ok_or_else(|| ApiError::not_found("Study"))
}

pub(super) fn study_json(store: &Store, study: &Study) -> Value {
    let currency = store
        .workspace(&study.workspace_id)
        .map_or("GBP", |workspace| workspace.currency_code.as_str());
    study.to_json(currency)
}
