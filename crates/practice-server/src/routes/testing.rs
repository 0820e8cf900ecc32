//! Test runs (API-NOTES §10): test participants, and test copies of a draft study
//! published to them for free. Both are features Prolific enables for some workspaces
//! only; the practice workspace has them unless `PracticeWorkspace::test_participants`
//! (or `/_practice/workspace`) says not.
//!
//! The spec documents only a 400 `Error` for these endpoints and not the words of a
//! refusal, so each refusal here is a 400 in the standard shape with a plain sentence.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::crowd::Crowd;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{DemographicExports, Stage, Store, Study, TestParticipant};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/researchers/participants/",
            StatusCode::CREATED,
            create_test_participant,
        ),
        route(
            Verb::Post,
            "/api/v1/studies/{id}/test-study",
            StatusCode::OK,
            create_test_study,
        ),
    ]
}

fn not_enabled() -> ApiError {
    ApiError::bad_request(
        "Test participants and test studies are not enabled for this workspace. Ask Prolific support to enable them.",
    )
}

/// Whether some workspace of the researcher has the feature (a test participant belongs
/// to the researcher, not to one workspace).
fn enabled_anywhere(store: &Store) -> bool {
    store
        .workspaces
        .iter()
        .any(|workspace| workspace.test_participants)
}

/// A plain check: something before and after one `@`, and a dot in the domain.
fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.split('.').count() >= 2
            && domain.split('.').all(|part| !part.is_empty())
    })
}

/// `POST /api/v1/researchers/participants/` with `{"email"}`: 201 `{participant_id}`.
async fn create_test_participant(
    State(state): State<Arc<ServerState>>,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut store = state.store();
    if !enabled_anywhere(&store) {
        return Err(not_enabled());
    }
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let email = fields.required_string("email");
    if let Some(email) = &email {
        // "Registered with Prolific" covers the researcher's own account as well as the
        // test participants made before: both refuse the same way.
        if !looks_like_email(email) {
            fields.error("email", "Enter a valid email address.");
        } else if store.researcher.email.eq_ignore_ascii_case(email)
            || store
                .test_participants
                .iter()
                .any(|participant| participant.email.eq_ignore_ascii_case(email))
        {
            fields.error(
                "email",
                "This email is already registered with Prolific; use an address not yet registered.",
            );
        }
    }
    errors.into_result()?;
    let participant = TestParticipant {
        id: store.rng.object_id(),
        email: email.unwrap_or_default(),
    };
    let answer = json!({"participant_id": participant.id});
    store.test_participants.push(participant);
    Ok(Json(answer))
}

/// `POST /api/v1/studies/{id}/test-study`: makes a copy of a draft study and publishes
/// it to the test participants, free of charge; 200 `{study_id, study_url}`. Each test
/// participant takes one place and finishes.
///
/// The copy is a study of its own (listed with the others) but is not counted in the
/// batch's responses, so a rehearsal never mixes into the real results.
async fn create_test_study(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
) -> ApiResult {
    let mut store = state.store();
    let study = store
        .study(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Study"))?;
    let enabled = store
        .workspace(&study.workspace_id)
        .is_some_and(|workspace| workspace.test_participants);
    if !enabled {
        return Err(not_enabled());
    }
    if study.current_stage() != Stage::Unpublished {
        return Err(ApiError::bad_request(format!(
            "The study is {}; only a draft (UNPUBLISHED) study can be tested.",
            study.status()
        )));
    }
    let testers: Vec<String> = store
        .test_participants
        .iter()
        .map(|participant| participant.id.clone())
        .collect();
    if testers.is_empty() {
        return Err(ApiError::bad_request(
            "There is no active test participant. Create one with POST /api/v1/researchers/participants/ first.",
        ));
    }
    let now = Moment::now();
    let mut fields = study.fields.clone();
    // The copy goes to the researcher's own test participants, whom no filter (a
    // participant group's included) keeps out.
    fields.insert("filters".to_owned(), json!([]));
    fields.insert("total_available_places".to_owned(), json!(testers.len()));
    let mut copy = Study {
        id: store.rng.object_id(),
        fields,
        workspace_id: study.workspace_id.clone(),
        batch_id: None,
        stage: Stage::Active,
        date_created: now,
        published_at: Some(now),
        committed: 0,
        submissions: Vec::new(),
        demographic_exports: DemographicExports::default(),
    };
    // Test participants are the researcher: one place each, and they do not drop out.
    let crowd = Crowd::testers(
        state.participant_pace(),
        store.time_factor_percent(&study.workspace_id),
        testers,
    );
    copy.recruit(now, &crowd, &mut store.rng);
    // Where a test participant would open the study. The practice server does not
    // serve participants, so this names the copy on the practice server's host.
    let answer = json!({
        "study_id": copy.id,
        "study_url": format!("{}/_practice/participant/studies/{}/", state.base_url, copy.id),
    });
    store.studies.push(copy);
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn emails_need_one_at_and_a_dotted_domain() {
        assert!(looks_like_email("tester@example.org"));
        assert!(!looks_like_email("tester"));
        assert!(!looks_like_email("@example.org"));
        assert!(!looks_like_email("a@b@example.org"));
        assert!(!looks_like_email("tester@localhost"));
        assert!(!looks_like_email("tester@example."));
    }
}
