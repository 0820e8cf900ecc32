//! Keeping the pilot's participants out of the full study: they are put in a Prolific
//! participant group, and the full study's audience blocks that group (see
//! [`crate::keep_out`]); when the account's filters do not offer the blocklist, the
//! researcher is told the exclusion cannot be made.

use batchdesk_prolific::Client;

use crate::account;
use crate::connection::{AccountMode, Connections};
use crate::keep_out::{self, GroupWords};
use crate::store::Store;
use crate::study::settings::StudySettings;
use crate::study_step::StudyStepError;

use super::{PilotError, load, pilot_study_id, save};

/// Adds (or, with `exclude` false, removes) the block on the pilot's participants in
/// `settings`. The group is made once and recorded; later calls add whoever took the
/// pilot since (a straggler who finished after the report).
pub(super) async fn apply(
    connections: &Connections,
    client: &Client,
    store: &Store,
    mode: AccountMode,
    settings: &mut StudySettings,
    exclude: bool,
) -> Result<(), PilotError> {
    let mut record = load(store, mode)?;
    if !exclude {
        if let Some(group) = &record.exclusion_group_id {
            settings
                .filters
                .retain(|filter| !keep_out::is_block(filter, group));
        }
        return Ok(());
    }
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    if !keep_out::blocklist_offered(client, &workspace).await? {
        return Err(PilotError::ExclusionUnavailable);
    }
    let mut studies = record.earlier_studies.clone();
    studies.extend(pilot_study_id(store, mode, &record)?);
    if studies.is_empty() {
        return Err(PilotError::NotPrepared);
    }
    let people = keep_out::people_of(client, &studies).await?;
    let group = keep_out::fill_group(
        client,
        &workspace,
        record.exclusion_group_id.clone().as_deref(),
        people,
        GroupWords {
            name: format!("Pilot of {}", settings.internal_name.trim()),
            description: "The people who took this batch's pilot (made by Batchdesk).".to_owned(),
        },
        |made| -> Result<(), PilotError> {
            record.exclusion_group_id = Some(made.to_owned());
            Ok(save(store, mode, &record)?)
        },
    )
    .await?;
    keep_out::block(settings, &group);
    Ok(())
}
