//! Test runs (API-NOTES §10): a test participant, then a free test copy of a draft study
//! that the test participants take, in a workspace that has the feature; a workspace
//! without it is refused both, with Prolific's 400 shape.

#![allow(clippy::unwrap_used)]

mod common;

use batchdesk_practice::{PracticeConfig, PracticeWorkspace};
use common::{Api, assert_error, study_body, workspace_id};
use serde_json::{Value, json};

const PARTICIPANTS: &str = "/api/v1/researchers/participants/";

async fn draft(api: &Api) -> String {
    let batch = api.ready_batch(3).await;
    let (status, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    assert_eq!(status, 201, "{study}");
    study["id"].as_str().unwrap().to_owned()
}

async fn test_study(api: &Api, id: &str) -> (u16, Value) {
    api.call("POST", &format!("/api/v1/studies/{id}/test-study"), None)
        .await
}

async fn available(api: &Api) -> i64 {
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    balance["available_balance"].as_i64().unwrap()
}

#[tokio::test]
async fn a_test_participant_takes_a_free_test_copy_of_a_draft() {
    let api = Api::start().await;
    let id = draft(&api).await;
    let (status, body) = test_study(&api, &id).await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("test participant"),
        "{body}"
    );

    let (status, tester) = api
        .post(PARTICIPANTS, json!({"email": "me+test@example.org"}))
        .await;
    assert_eq!(status, 201, "{tester}");
    let tester = tester["participant_id"].as_str().unwrap().to_owned();
    assert_eq!(tester.len(), 24);
    let (status, body) = api
        .post(PARTICIPANTS, json!({"email": "ME+test@example.org"}))
        .await;
    assert_error(status, &body, 400);
    // The researcher's own address is registered with Prolific too.
    let own = batchdesk_practice::Researcher::default()
        .email
        .to_uppercase();
    let (status, body) = api.post(PARTICIPANTS, json!({ "email": own })).await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["email"].is_array(), "{body}");
    let (status, body) = api
        .post(PARTICIPANTS, json!({"email": "not an email"}))
        .await;
    assert_error(status, &body, 400);
    let (status, body) = api.post(PARTICIPANTS, json!({})).await;
    assert_error(status, &body, 400);

    let before = available(&api).await;
    let (status, run) = test_study(&api, &id).await;
    assert_eq!(status, 200, "{run}");
    let copy = run["study_id"].as_str().unwrap();
    assert_ne!(copy, id);
    assert!(run["study_url"].as_str().unwrap().contains(copy), "{run}");
    assert_eq!(available(&api).await, before, "a test run costs nothing");
    let (_, original) = api.get(&format!("/api/v1/studies/{id}/")).await;
    assert_eq!(original["status"], "UNPUBLISHED", "the draft stays a draft");
    let (_, copied) = api.get(&format!("/api/v1/studies/{copy}/")).await;
    assert_eq!(copied["status"], "AWAITING REVIEW", "{copied}");
    assert_eq!(copied["total_available_places"], 1);
    let (_, submissions) = api
        .get(&format!("/api/v1/studies/{copy}/submissions/"))
        .await;
    assert_eq!(submissions["results"][0]["participant_id"], tester.as_str());

    // Only a draft can be tested.
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = test_study(&api, &id).await;
    assert_error(status, &body, 400);
    let (status, body) = test_study(&api, "64395e9c2332b8a59a65d51e").await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn a_workspace_without_test_participants_refuses_both() {
    let api = Api::with(PracticeConfig {
        workspace: PracticeWorkspace {
            test_participants: false,
            ..PracticeWorkspace::default()
        },
        processing_delay: std::time::Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await;
    let (status, body) = api
        .post(PARTICIPANTS, json!({"email": "tester@example.org"}))
        .await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("not enabled"),
        "{body}"
    );
    // Made while enabled, then switched off: test studies are refused.
    api.server.set_test_participants(true).unwrap();
    let (status, _) = api
        .post(PARTICIPANTS, json!({"email": "tester@example.org"}))
        .await;
    assert_eq!(status, 201);
    api.server.set_test_participants(false).unwrap();
    let id = draft(&api).await;
    let (status, body) = test_study(&api, &id).await;
    assert_error(status, &body, 400);
}
