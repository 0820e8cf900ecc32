//! The studies Batchdesk made in an account, as the Batches page lists them.

use batchdesk_prolific::models::{Study, StudyStatus};
use serde::Serialize;
use specta::Type;

use super::MonitorError;
use crate::connection::Connections;
use crate::session::Session;
use crate::store::{Store, StoreError};
use crate::study_step::launch::MARKER;

/// A study Batchdesk made, as the Batches page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchedStudy {
    pub study_id: String,
    pub title: String,
    pub internal_name: String,
    pub status: String,
    pub published: bool,
    pub places: Option<u32>,
    pub places_taken: u32,
    pub submissions: Option<u32>,
}

/// A copy of a launch's study that is not the study itself: a test copy whose answer was
/// lost (so its id was never recorded). It carries the launch's marker, and the journal
/// names another study as the one that launch created.
fn is_unrecorded_copy(store: &Store, study: &Study) -> Result<bool, StoreError> {
    let Some(stamp) = study
        .internal_name
        .as_deref()
        .and_then(|name| name.split_once(MARKER))
        .map(|(_, stamp)| stamp.trim_end_matches(']'))
    else {
        return Ok(false);
    };
    let created = store.studies_created_by_stamp(stamp)?;
    Ok(!created.is_empty() && !created.contains(&study.id))
}

/// The studies Batchdesk made in this account (practice or Prolific), newest first.
pub async fn launched(
    session: &Session,
    test_copies: &[String],
) -> Result<Vec<LaunchedStudy>, MonitorError> {
    let Session { client, store, .. } = session;
    let count = |value: Option<u64>| value.and_then(|value| u32::try_from(value).ok());
    let mut listed = Vec::new();
    for study in client.studies(None).await?.items {
        if !test_copies.contains(&study.id) && !is_unrecorded_copy(store, &study)? {
            listed.push(study);
        }
    }
    let mut studies: Vec<LaunchedStudy> = listed
        .into_iter()
        .filter_map(|study| {
            let internal = study.internal_name.clone()?;
            let (name, _) = internal.split_once(MARKER)?;
            let status = study.status.clone().unwrap_or(StudyStatus::Unpublished);
            Some(LaunchedStudy {
                published: status.is_published(),
                status: status.as_str().to_owned(),
                internal_name: name.to_owned(),
                title: study.name.clone(),
                places: count(study.total_available_places),
                places_taken: u32::try_from(study.places_taken).unwrap_or(u32::MAX),
                submissions: count(study.number_of_submissions),
                study_id: study.id,
            })
        })
        .collect();
    studies.reverse();
    Ok(studies)
}

/// [`launched`] in the current account, without the wizard's test copies.
pub async fn launched_studies(
    connections: &Connections,
) -> Result<Vec<LaunchedStudy>, MonitorError> {
    let session = Session::current(connections).await?;
    let test_copies = crate::wizard::record::load(&session.store, session.mode)?.test_studies();
    launched(&session, &test_copies).await
}
