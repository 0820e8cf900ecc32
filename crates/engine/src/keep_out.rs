//! Keeping people who already took part out of a later study: they are put in a
//! Prolific participant group, and the study's audience blocks that group. What a pilot
//! does for its full study and a second round does for the people of the first.
//!
//! Prolific's documentation says participant groups can be used as allowlist or blocklist
//! filters on a study; the blocklist filter's id (`participant_group_blocklist`) is our
//! reading of it, so it is never assumed: it is used only when the account's own list of
//! filters offers it.

use batchdesk_prolific::models::NewParticipantGroup;
use batchdesk_prolific::{Client, ProlificError};

use crate::study::settings::{AudienceFilter, StudySettings};

pub(crate) const BLOCKLIST_FILTER: &str = "participant_group_blocklist";

/// Whether the workspace's filters offer the participant-group blocklist.
pub(crate) async fn blocklist_offered(
    client: &Client,
    workspace: &str,
) -> Result<bool, ProlificError> {
    Ok(client
        .workspace_filters(workspace)
        .await?
        .items
        .iter()
        .any(|filter| filter.filter_id == BLOCKLIST_FILTER))
}

/// Everyone who took part in any of `studies`, whatever became of their submission.
pub(crate) async fn people_of(
    client: &Client,
    studies: &[String],
) -> Result<Vec<String>, ProlificError> {
    let mut people: Vec<String> = Vec::new();
    for study_id in studies {
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
    Ok(people)
}

/// What a new group is called and says.
pub(crate) struct GroupWords {
    pub name: String,
    pub description: String,
}

/// Puts `people` in the group `existing` (adding only who is missing), or in a new
/// group, whose id is handed to `keep` before anything else happens. Answers the group.
/// Free to make; a create whose answer was lost leaves an unused group, which blocks
/// nobody from anything.
pub(crate) async fn fill_group<E: From<ProlificError>>(
    client: &Client,
    workspace: &str,
    existing: Option<&str>,
    people: Vec<String>,
    words: GroupWords,
    keep: impl FnOnce(&str) -> Result<(), E>,
) -> Result<String, E> {
    if let Some(group) = existing {
        let members = client.participant_group_members(group).await?;
        let missing: Vec<String> = people
            .into_iter()
            .filter(|person| !members.contains(person))
            .collect();
        if !missing.is_empty() {
            client
                .add_participant_group_members(group, &missing)
                .await?;
        }
        return Ok(group.to_owned());
    }
    let made = client
        .create_participant_group(&NewParticipantGroup {
            workspace_id: workspace.to_owned(),
            name: words.name,
            description: Some(words.description),
            participant_ids: people,
        })
        .await?;
    keep(&made.id)?;
    Ok(made.id)
}

/// Whether `filter` blocks `group`.
pub(crate) fn is_block(filter: &AudienceFilter, group: &str) -> bool {
    matches!(filter, AudienceFilter::Select { filter_id, values }
        if filter_id == BLOCKLIST_FILTER && values.iter().any(|value| value == group))
}

/// Adds the block on `group` to `settings`, once.
pub(crate) fn block(settings: &mut StudySettings, group: &str) {
    if !settings
        .filters
        .iter()
        .any(|filter| is_block(filter, group))
    {
        settings.filters.push(AudienceFilter::Select {
            filter_id: BLOCKLIST_FILTER.to_owned(),
            values: vec![group.to_owned()],
        });
    }
}
