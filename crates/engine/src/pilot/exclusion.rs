//! Keeping the pilot's participants out of the full study: they are put in a Prolific
//! participant group, and the full study's audience blocks that group.
//!
//! Prolific's documentation says participant groups can be used as allowlist or blocklist
//! filters on a study; the blocklist filter's id (`participant_group_blocklist`) is our
//! reading of it, so it is never assumed: it is used only when the account's own list of
//! filters offers it, and otherwise the researcher is told the exclusion cannot be made.

use batchdesk_prolific::Client;
use batchdesk_prolific::models::NewParticipantGroup;

use crate::account;
use crate::connection::{AccountMode, Connections};
use crate::store::Store;
use crate::study::settings::{AudienceFilter, StudySettings};
use crate::study_step::StudyStepError;

use super::{PilotError, load, pilot_study_id, save};

pub(crate) const BLOCKLIST_FILTER: &str = "participant_group_blocklist";

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
    let is_block = |filter: &AudienceFilter, group: &str| {
        matches!(filter, AudienceFilter::Select { filter_id, values }
            if filter_id == BLOCKLIST_FILTER && values.iter().any(|value| value == group))
    };
    if !exclude {
        if let Some(group) = &record.exclusion_group_id {
            settings.filters.retain(|filter| !is_block(filter, group));
        }
        return Ok(());
    }
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let offered = client
        .workspace_filters(&workspace)
        .await?
        .items
        .iter()
        .any(|filter| filter.filter_id == BLOCKLIST_FILTER);
    if !offered {
        return Err(PilotError::ExclusionUnavailable);
    }
    let mut studies = record.earlier_studies.clone();
    studies.extend(pilot_study_id(store, mode, &record)?);
    if studies.is_empty() {
        return Err(PilotError::NotPrepared);
    }
    let mut people: Vec<String> = Vec::new();
    for study_id in &studies {
        people.extend(
            client
                .submissions(study_id, None)
                .await?
                .items
                .into_iter()
                .filter_map(|submission| submission.participant_id),
        );
    }
    people.sort();
    people.dedup();
    let group = match record.exclusion_group_id.clone() {
        Some(group) => {
            let members = client.participant_group_members(&group).await?;
            let missing: Vec<String> = people
                .into_iter()
                .filter(|person| !members.contains(person))
                .collect();
            if !missing.is_empty() {
                client
                    .add_participant_group_members(&group, &missing)
                    .await?;
            }
            group
        }
        None => {
            // Free to make; a create whose answer was lost leaves an unused group, which
            // blocks nobody from anything.
            let made = client
                .create_participant_group(&NewParticipantGroup {
                    workspace_id: workspace,
                    name: format!("Pilot of {}", settings.internal_name.trim()),
                    description: Some(
                        "The people who took this batch's pilot (made by Batchdesk).".to_owned(),
                    ),
                    participant_ids: people,
                })
                .await?;
            record.exclusion_group_id = Some(made.id.clone());
            save(store, mode, &record)?;
            made.id
        }
    };
    if !settings
        .filters
        .iter()
        .any(|filter| is_block(filter, &group))
    {
        settings.filters.push(AudienceFilter::Select {
            filter_id: BLOCKLIST_FILTER.to_owned(),
            values: vec![group],
        });
    }
    Ok(())
}
