//! Studies (API-NOTES §7) and test runs (§10). Classic endpoints: paths end with `/`.
//!
//! A study is created and published once: after an unclear failure the client looks at
//! what Prolific has (a draft of this internal name on this batch; the study's status)
//! before sending again.

use reqwest::Method;
use serde::Serialize;

use crate::client::segment;
use crate::models::{
    Listed, NewStudy, Study, StudyAction, StudyStatus, StudyUpdate, SubmissionCounts,
    TestParticipant, TestStudy,
};
use crate::transport::Safety;
use crate::{Client, ProlificError};

const STUDIES: &str = "/api/v1/studies/";

/// Where the spec lets us choose (a project's studies), pages larger than the default 20
/// mean fewer calls. Prolific may answer smaller pages; they are read all the same.
const PAGE_SIZE: &str = "100";

fn study_path(study_id: &str) -> String {
    format!("{STUDIES}{}/", segment(study_id))
}

impl Client {
    /// `POST /studies/` (201): an `UNPUBLISHED` draft. After an unclear failure it lists
    /// the drafts, and returns the one with this internal name (the name when there is
    /// none) that runs this batch, if the earlier attempt made it; only if not does it
    /// create again.
    pub async fn create_study(&self, study: &NewStudy) -> Result<Study, ProlificError> {
        self.create_or_find(&self.base.join(STUDIES), study, || async {
            self.find_draft(study).await
        })
        .await
    }

    async fn find_draft(&self, new: &NewStudy) -> Result<Option<Study>, ProlificError> {
        let drafts = self.studies(Some(&StudyStatus::Unpublished)).await?;
        // The state filter is not honoured everywhere (API-NOTES §7.3): check it here too.
        let same_name = |listed: &Study| {
            listed
                .status
                .as_ref()
                .is_none_or(|status| *status == StudyStatus::Unpublished)
                && match &new.internal_name {
                    Some(internal) => listed.internal_name.as_ref() == Some(internal),
                    None => listed.name == new.name,
                }
        };
        // Newest last; the list lacks the batch, so each candidate is read in full.
        for candidate in drafts.items.iter().rev().filter(|listed| same_name(listed)) {
            let study = self.study(&candidate.id).await?;
            if study.data_collection_id.as_deref() == Some(new.data_collection_id.as_str()) {
                return Ok(Some(study));
            }
        }
        // Not among the drafts received proves nothing if some were not received.
        if drafts.possibly_truncated {
            return Err(ProlificError::IncompleteList {
                what: "draft studies",
            });
        }
        Ok(None)
    }

    /// `GET /studies/{id}/`: the whole study, to follow its status and places.
    pub async fn study(&self, study_id: &str) -> Result<Study, ProlificError> {
        self.get_json(&study_path(study_id)).await
    }

    /// `GET /studies/?state=…`: the account's studies (`StudyShort`: no batch, no
    /// codes), every page; all of them without a state.
    pub async fn studies(
        &self,
        state: Option<&StudyStatus>,
    ) -> Result<Listed<Study>, ProlificError> {
        let query: Vec<(&str, &str)> = state
            .map(|state| ("state", state.as_str()))
            .into_iter()
            .collect();
        self.list(self.join_query(STUDIES, &query)?).await
    }

    /// `GET /projects/{id}/studies/`: a project's studies, every page (`page`/`page_size`).
    pub async fn project_studies(&self, project_id: &str) -> Result<Listed<Study>, ProlificError> {
        let path = format!("/api/v1/projects/{}/studies/", segment(project_id));
        self.list(self.join_query(&path, &[("page_size", PAGE_SIZE)])?)
            .await
    }

    /// `PATCH /studies/{id}/`: the fields set take the values given, so sending the same
    /// change twice ends the same way; it is retried like a read.
    pub async fn update_study(
        &self,
        study_id: &str,
        update: &StudyUpdate,
    ) -> Result<Study, ProlificError> {
        self.send_json(
            Safety::Idempotent,
            Method::PATCH,
            &self.base.join(&study_path(study_id)),
            Some(update),
        )
        .await
    }

    /// `DELETE /studies/{id}/`: drafts only. After an unclear failure it reads the study:
    /// gone means the earlier attempt deleted it.
    pub async fn delete_study(&self, study_id: &str) -> Result<(), ProlificError> {
        let url = self.base.join(&study_path(study_id));
        // A study still there after an unclear DELETE is deleted again.
        self.delete_or_confirm(&url, || async { self.study(study_id).await.map(|_| false) })
            .await
    }

    /// `POST /studies/{id}/transition/`: publish (which commits the money), schedule,
    /// pause, start or stop. After an unclear failure it reads the study's status, and
    /// sends the action again only if the status does not show it applied.
    /// `publish_at` (ISO-8601) goes with `SCHEDULE_PUBLISH`.
    pub async fn transition_study(
        &self,
        study_id: &str,
        action: &StudyAction,
        publish_at: Option<&str>,
    ) -> Result<Study, ProlificError> {
        #[derive(Serialize)]
        struct Transition<'a> {
            action: &'a StudyAction,
            #[serde(skip_serializing_if = "Option::is_none")]
            publish_at: Option<&'a str>,
        }
        let url = self
            .base
            .join(&format!("{}transition/", study_path(study_id)));
        let body = Transition { action, publish_at };
        self.create_or_find(&url, &body, || async {
            let study = self.study(study_id).await?;
            let done = study
                .status
                .as_ref()
                .is_some_and(|status| action.is_done(status));
            Ok(done.then_some(study))
        })
        .await
    }

    /// Publishes a draft now ([`Self::transition_study`] with `PUBLISH`).
    pub async fn publish_study(&self, study_id: &str) -> Result<Study, ProlificError> {
        self.transition_study(study_id, &StudyAction::Publish, None)
            .await
    }

    /// `GET /studies/{id}/submissions/counts/`: the single call for a progress bar.
    pub async fn submission_counts(
        &self,
        study_id: &str,
    ) -> Result<SubmissionCounts, ProlificError> {
        self.get_json(&format!("{}submissions/counts/", study_path(study_id)))
            .await
    }

    /// `POST /researchers/participants/` (201): a test participant with this email
    /// (not yet registered with Prolific). Only some workspaces have the feature; others
    /// get a refusal. Not repeated after an unclear failure: there is no way to list test
    /// participants, and the email can be used only once.
    pub async fn create_test_participant(
        &self,
        email: &str,
    ) -> Result<TestParticipant, ProlificError> {
        #[derive(Serialize)]
        struct NewParticipant<'a> {
            email: &'a str,
        }
        self.send_json(
            Safety::Create,
            Method::POST,
            &self.base.join("/api/v1/researchers/participants/"),
            Some(&NewParticipant { email }),
        )
        .await
    }

    /// `POST /studies/{id}/test-study` (no trailing slash in the spec): publishes a test
    /// copy of a draft to the workspace's test participants, without spending money.
    /// Not repeated after an unclear failure: the copy cannot be looked up.
    pub async fn create_test_study(&self, study_id: &str) -> Result<TestStudy, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::POST,
            &self
                .base
                .join(&format!("{STUDIES}{}/test-study", segment(study_id))),
            None::<&()>,
        )
        .await
    }
}
