//! Asking a participant to return their submission (`POST submissions/{id}/request-return/`)
//! over real HTTP: the reasons are checked, the participant gets one message, returns the
//! submission (unpaid) at once with a pace of zero or a quarter of a pace later, and the
//! place reopens for someone else; asking again changes nothing.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, assert_error, one_question, study_body};
use serde_json::{Value, json};

/// 24 reviews in groups of 3 (8 groups) × 2 annotators.
const PLACES: u64 = 16;

async fn published(api: &Api) -> (String, String) {
    let batch = api.ready_batch_with(3, Some(one_question())).await;
    let (_, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    (id, batch)
}

fn ask(id: &str) -> String {
    format!("/api/v1/submissions/{id}/request-return/")
}

fn reasons(reasons: &[&str]) -> Value {
    json!({ "request_return_reasons": reasons })
}

async fn submissions(api: &Api, study: &str) -> Vec<Value> {
    api.get_all(&format!("/api/v1/studies/{study}/submissions/"))
        .await
}

async fn counts(api: &Api, study: &str) -> Value {
    api.get(&format!("/api/v1/studies/{study}/submissions/counts/"))
        .await
        .1
}

async fn messages_to(api: &Api, participant: &str) -> Vec<Value> {
    let (status, body) = api
        .get(&format!("/api/v1/messages/?user_id={participant}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_participant_asked_to_return_gets_one_message_returns_it_and_their_place_reopens() {
    let api = Api::start().await;
    let (study, batch) = published(&api).await;
    let responses = format!("/api/v1/data-collection/batches/{batch}/responses");
    let answered_before = api.get_all(&responses).await.len();
    let asked = submissions(&api, &study).await[0].clone();
    let id = asked["id"].as_str().unwrap();
    let participant = asked["participant_id"].as_str().unwrap();
    assert_eq!(asked["return_requested"], Value::Null);

    let (status, answer) = api
        .post(
            &ask(id),
            reasons(&["Failed two attention checks", "Did not finish"]),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    // The status when asked; the return_requested moment from now on.
    assert_eq!(answer["id"], id);
    assert_eq!(answer["participant"], participant);
    assert_eq!(answer["status"], "AWAITING REVIEW");
    let requested = answer["return_requested"].as_str().unwrap().to_owned();

    // With a pace of zero the participant has returned it by the next read: not paid,
    // no code, no time, and their answers gone with it.
    let (_, read) = api.get(&format!("/api/v1/submissions/{id}/")).await;
    assert_eq!(read["status"], "RETURNED", "{read}");
    assert_eq!(read["return_requested"], requested.as_str());
    assert!(read["completed_at"].is_null() && read["entered_code"].is_null());
    let listed = submissions(&api, &study).await;
    let again = listed.iter().find(|one| one["id"] == id).unwrap();
    assert_eq!(again["return_requested"], requested.as_str());
    assert!(again["time_taken"].is_null(), "{again}");
    assert!(
        api.get_all(&responses)
            .await
            .iter()
            .all(|response| response["submission_id"] != id)
    );

    // Someone new took the place and answered its tasks.
    let counts = counts(&api, &study).await;
    assert_eq!(counts["RETURNED"], 1, "{counts}");
    assert_eq!(counts["AWAITING REVIEW"], PLACES, "{counts}");
    assert_eq!(counts["TOTAL"], PLACES + 1, "{counts}");
    let (_, read_study) = api.get(&format!("/api/v1/studies/{study}/")).await;
    assert_eq!(read_study["places_taken"], PLACES);
    assert_eq!(read_study["status"], "AWAITING REVIEW");
    assert_eq!(api.get_all(&responses).await.len(), answered_before);

    // One message, written around the reasons.
    let sent = messages_to(&api, participant).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body = sent[0]["body"].as_str().unwrap();
    assert!(body.contains("Failed two attention checks"), "{body}");
    assert!(body.contains("not paid"), "{body}");

    // Asked again (other reasons, and returned since): the first moment, no new message.
    let (status, repeat) = api.post(&ask(id), reasons(&["Withdrew"])).await;
    assert_eq!(status, 200, "{repeat}");
    assert_eq!(repeat["return_requested"], requested.as_str());
    assert_eq!(repeat["status"], "RETURNED");
    assert_eq!(messages_to(&api, participant).await.len(), 1);
    assert_eq!(self::counts(&api, &study).await["TOTAL"], PLACES + 1);
}

#[tokio::test]
async fn a_request_needs_reasons_and_a_submission_under_way_or_awaiting_review() {
    let api = Api::start().await;
    let (study, _) = published(&api).await;
    let list = submissions(&api, &study).await;
    let waiting = list[1]["id"].as_str().unwrap();
    for body in [
        json!({}),
        json!({"request_return_reasons": null}),
        reasons(&[]),
        reasons(&["Did not finish", "  "]),
        json!({"request_return_reasons": [3]}),
        json!({"request_return_reasons": "Did not finish"}),
    ] {
        let (status, answer) = api.call("POST", &ask(waiting), Some(&body)).await;
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"]["request_return_reasons"].is_array(),
            "{body}: {answer}"
        );
    }
    // Nothing was asked by the refused requests.
    let (_, read) = api.get(&format!("/api/v1/submissions/{waiting}/")).await;
    assert_eq!(read["status"], "AWAITING REVIEW");
    assert_eq!(read["return_requested"], Value::Null);

    let (status, answer) = api
        .post(
            &ask("64395e9c2332b8a59a65d51e"),
            reasons(&["Did not finish"]),
        )
        .await;
    assert_error(status, &answer, 404);

    // Reviewed: too late to ask, in plain words, and no message goes out.
    let approved = list[2]["id"].as_str().unwrap();
    let (status, _) = api
        .post(
            &format!("/api/v1/submissions/{approved}/transition/"),
            json!({"action": "APPROVE"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, answer) = api.post(&ask(approved), reasons(&["Did not finish"])).await;
    assert_error(status, &answer, 400);
    assert!(
        answer["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("APPROVED"),
        "{answer}"
    );
    let participant = list[2]["participant_id"].as_str().unwrap();
    assert!(messages_to(&api, participant).await.is_empty());
}

#[tokio::test]
async fn with_a_pace_the_participant_returns_it_a_little_later_and_meanwhile_it_is_not_reviewed() {
    let pace = Duration::from_secs(60);
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        ..PracticeConfig::default()
    })
    .await;
    let (study, _) = published(&api).await;
    // Half a pace in: the first participant has started and is still at work.
    api.server.advance_clock(pace / 2);
    let first = submissions(&api, &study).await[0].clone();
    assert_eq!(first["status"], "ACTIVE");
    let active = first["id"].as_str().unwrap();
    let (status, answer) = api.post(&ask(active), reasons(&["Did not finish"])).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "ACTIVE");
    // A quarter of a pace later they return it, before they would have finished.
    api.server.advance_clock(pace / 4);
    let (_, read) = api.get(&format!("/api/v1/submissions/{active}/")).await;
    assert_eq!(read["status"], "RETURNED", "{read}");

    // Every place finished: one awaiting review is asked for back.
    api.server.advance_clock(pace * (PLACES as u32 + 2));
    let waiting: Vec<Value> = submissions(&api, &study)
        .await
        .into_iter()
        .filter(|one| one["status"] == "AWAITING REVIEW")
        .collect();
    assert_eq!(waiting.len() as u64, PLACES);
    let id = waiting[0]["id"].as_str().unwrap();
    let (status, answer) = api.post(&ask(id), reasons(&["Technical problems"])).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "AWAITING REVIEW");

    // Until they return it, it is neither approved nor rejected, alone or in bulk.
    let (_, read) = api.get(&format!("/api/v1/submissions/{id}/")).await;
    assert_eq!(read["status"], "AWAITING REVIEW");
    assert_eq!(read["return_requested"], answer["return_requested"]);
    let (status, refused) = api
        .post(
            &format!("/api/v1/submissions/{id}/transition/"),
            json!({"action": "APPROVE"}),
        )
        .await;
    assert_error(status, &refused, 400);
    let (status, _) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({ "submission_ids": [id] }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, read) = api.get(&format!("/api/v1/submissions/{id}/")).await;
    assert_eq!(read["status"], "AWAITING REVIEW", "not approved in bulk");

    api.server.advance_clock(pace / 4);
    let (_, read) = api.get(&format!("/api/v1/submissions/{id}/")).await;
    assert_eq!(read["status"], "RETURNED", "{read}");
    // The place reopened as they left; its newcomer finishes a pace later.
    let (_, read_study) = api.get(&format!("/api/v1/studies/{study}/")).await;
    assert_eq!(read_study["status"], "ACTIVE");
    api.server.advance_clock(pace * 2);
    let counts = counts(&api, &study).await;
    assert_eq!(counts["RETURNED"], 2, "{counts}");
    assert_eq!(counts["AWAITING REVIEW"], PLACES, "{counts}");
}
