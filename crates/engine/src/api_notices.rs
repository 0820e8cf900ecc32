//! What Prolific says about the endpoints Batchdesk calls: a `Deprecation` or `Sunset`
//! header on an answer means the endpoint will change or stop. The client records each
//! (and logs it); this tells the researcher once per endpoint, ever, so that they know
//! to update Batchdesk before the date, without repeating itself at every start. It also
//! tells, once, of a saved draft this version could not read (kept aside by the store).

use serde::Serialize;
use specta::Type;

use crate::connection::{ConnectError, Connections};

/// One endpoint Prolific has marked as going away, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiNotice {
    pub endpoint: String,
    pub message: String,
}

fn shown_key(mode: crate::connection::AccountMode) -> String {
    format!("{}.api_notices_shown", mode.key())
}

/// The notices not shown before (for this account), now marked as shown.
pub async fn take_new(connections: &Connections) -> Result<Vec<ApiNotice>, ConnectError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    // Drafts this version could not read are told here too, once each: never dropped
    // silently (the store kept each one aside).
    let unreadable = store
        .take_unreadable_notices()?
        .into_iter()
        .map(|kept| ApiNotice {
            message: format!(
                "Some work Batchdesk had saved ({}) could not be read, so that step starts \
                 afresh. A copy was kept in Batchdesk's database as \"{kept}\". Nothing on \
                 Prolific was changed, and a batch already launched stays with its study.",
                describe_draft(&kept)
            ),
            endpoint: kept,
        });
    let mut shown: Vec<String> = store.json_setting(&shown_key(mode))?;
    let new: Vec<ApiNotice> = client
        .warnings()
        .into_iter()
        .filter(|warning| !shown.contains(&warning.endpoint))
        .map(|warning| ApiNotice {
            message: format!(
                "{warning} Batchdesk still works today; install its next update before \
                 then."
            ),
            endpoint: warning.endpoint,
        })
        .collect();
    if !new.is_empty() {
        shown.extend(new.iter().map(|notice| notice.endpoint.clone()));
        store.set_json_setting(&shown_key(mode), &shown)?;
    }
    Ok(unreadable.chain(new).collect())
}

/// A draft's key in the researcher's words.
fn describe_draft(key: &str) -> &'static str {
    if key.contains(".draft.data") {
        "the data step"
    } else if key.contains(".draft.task") {
        "the task step"
    } else if key.contains(".draft.study") {
        "the study settings"
    } else if key.contains(".wizard") {
        "the new batch (its data, task and study settings)"
    } else {
        "a saved list"
    }
}
