//! What Prolific says about the endpoints Batchdesk calls: a `Deprecation` or `Sunset`
//! header on an answer means the endpoint will change or stop. The client records each
//! (and logs it); this tells the researcher once per endpoint, ever, so that they know
//! to update Batchdesk before the date, without repeating itself at every start. It also
//! tells, once, of a saved draft this version could not read (kept aside by the store).

use serde::Serialize;
use specta::Type;

use crate::connection::{ConnectError, Connections};
use crate::text;
use crate::text::Text;

/// One endpoint Prolific has marked as going away, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiNotice {
    pub endpoint: String,
    /// From the catalogue (`checks:apiNotice.…`).
    pub message: Text,
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
            message: unreadable_draft(&kept),
            endpoint: kept,
        });
    let mut shown: Vec<String> = store.json_setting(&shown_key(mode))?;
    let new: Vec<ApiNotice> = client
        .warnings()
        .into_iter()
        .filter(|warning| !shown.contains(&warning.endpoint))
        .map(|warning| ApiNotice {
            // The date is Prolific's `Sunset` header, as it was sent.
            message: match &warning.sunset {
                Some(sunset) => text!(
                    "checks:apiNotice.deprecatedUntil",
                    endpoint = &warning.endpoint,
                    sunset = sunset
                ),
                None => text!("checks:apiNotice.deprecated", endpoint = &warning.endpoint),
            },
            endpoint: warning.endpoint,
        })
        .collect();
    if !new.is_empty() {
        shown.extend(new.iter().map(|notice| notice.endpoint.clone()));
        store.set_json_setting(&shown_key(mode), &shown)?;
    }
    Ok(unreadable.chain(new).collect())
}

/// What to say of the unreadable draft kept as `key`, by what it held.
fn unreadable_draft(key: &str) -> Text {
    let said = if key.contains(".draft.data") {
        text!("checks:apiNotice.unreadableDataDraft")
    } else if key.contains(".draft.task") {
        text!("checks:apiNotice.unreadableTaskDraft")
    } else if key.contains(".draft.study") {
        text!("checks:apiNotice.unreadableStudyDraft")
    } else if key.contains(".wizard") {
        text!("checks:apiNotice.unreadableWizard")
    } else {
        text!("checks:apiNotice.unreadableList")
    };
    said.with("kept", key)
}
