//! A free test copy of the wizard's study, for the researcher's test participant.

use batchdesk_prolific::ProlificError;
use serde::Serialize;
use specta::Type;

use super::launch::{LaunchRequest, LaunchTarget, launch_on};
use super::{ReadyTask, StudyDraft, StudyStepError};
use crate::money_lock;
use crate::session::Session;
use crate::step_draft::StepDraft;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TestRun {
    pub study_id: String,
    /// Where the test account takes it, when Prolific says.
    pub url: Option<String>,
}

/// A free test copy of the draft study that only the researcher's test participant can
/// take. The study is created (as a draft) first if it is not yet. The test participant
/// is registered once, with `email` (an address Prolific has never seen, so never the
/// researcher's own), and remembered; later runs reuse it and need no email.
///
/// Refusals are told apart: an email Prolific would not take is said so and changes
/// nothing; a workspace without the feature is remembered, and shown from then on.
pub async fn test_run(
    session: &Session,
    kept: &impl StepDraft<StudyDraft>,
    task: &ReadyTask,
    email: Option<String>,
) -> Result<TestRun, StudyStepError> {
    let Session {
        mode,
        client,
        store,
    } = session;
    let _one_at_a_time = money_lock::try_acquire(store, *mode)?;
    let registered = kept.read()?.test_participant_email;
    // Checked before anything is created, so a missing or wrong email costs nothing.
    let to_register = match registered {
        Some(_) => None,
        None => {
            let email = email
                .map(|email| email.trim().to_owned())
                .filter(|email| !email.is_empty())
                .ok_or(StudyStepError::TestEmailNeeded)?;
            let own = client.users_me().await?.email;
            if own.eq_ignore_ascii_case(&email) {
                return Err(StudyStepError::TestEmailIsYours { email });
            }
            Some(email)
        }
    };
    // The test copy is made from the draft as the settings are now (updated if needed).
    let draft = kept.read()?;
    let settings = draft.settings.clone().ok_or(StudyStepError::NoBatch)?;
    let target = LaunchTarget {
        task: task.clone(),
        settings,
        draft,
    };
    let outcome = launch_on(session, &target, &LaunchRequest::Draft, &|_| {}).await?;
    let feature_off = |error: &ProlificError| -> bool {
        match error {
            ProlificError::NoAccess { .. } => true,
            // A refusal that names no field is about the workspace, not the email.
            ProlificError::Validation { fields, .. } => !fields.iter().any(|f| f == "email"),
            _ => false,
        }
    };
    if let Some(email) = to_register {
        match client.create_test_participant(&email).await {
            Ok(_) => {
                kept.change(&mut |draft| draft.test_participant_email = Some(email.clone()))?;
            }
            Err(ProlificError::Validation { detail, fields, .. })
                if fields.iter().any(|field| field == "email") =>
            {
                return Err(StudyStepError::TestEmailRefused { email, detail });
            }
            Err(error) if feature_off(&error) => return Err(remember_refusal(kept, error)?),
            Err(error) => return Err(error.into()),
        }
    }
    let launch = format!("study/{}", outcome.study_id);
    store.journal(&launch, "test_copy", "started", Some(&outcome.study_id))?;
    match client.create_test_study(&outcome.study_id).await {
        Ok(test) => {
            store.journal(&launch, "test_copy", "done", test.study_id.as_deref())?;
            let study_id = test.study_id.unwrap_or(outcome.study_id);
            kept.change(&mut |draft| draft.test_studies.push(study_id.clone()))?;
            Ok(TestRun {
                study_id,
                url: test.study_url,
            })
        }
        Err(error) if feature_off(&error) => Err(remember_refusal(kept, error)?),
        Err(error) => Err(error.into()),
    }
}

/// Keeps why the workspace cannot make test runs, and answers the error to report.
fn remember_refusal(
    kept: &impl StepDraft<StudyDraft>,
    error: ProlificError,
) -> Result<StudyStepError, StudyStepError> {
    let refused = format!(
        "This workspace does not have Prolific's test participants, so a test run is not \
         possible here ({error}). Preview the task in step 2 instead, or ask Prolific to \
         enable test participants for your workspace."
    );
    kept.change(&mut |draft| draft.test_run_refused = Some(refused.clone()))?;
    Ok(error.into())
}
