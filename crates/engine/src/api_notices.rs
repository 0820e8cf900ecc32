//! What Prolific says about the endpoints Batchdesk calls: a `Deprecation` or `Sunset`
//! header on an answer means the endpoint will change or stop. The client records each
//! (and logs it); this tells the researcher once per endpoint, ever, so that they know
//! to update Batchdesk before the date, without repeating itself at every start.

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
    Ok(new)
}
