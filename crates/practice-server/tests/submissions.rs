//! Submissions one at a time over real HTTP: the paged, filtered list; one read; and
//! review, where a rejection reopens the place for a new simulated participant.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, assert_error, study_body};
use serde_json::{Value, json};

/// 24 reviews in groups of 3 (8 groups) × 2 annotators.
const PLACES: u64 = 16;

async fn published(api: &Api) -> (String, String) {
    let batch = api.ready_batch(3).await;
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

fn reject(category: &str, message_length: usize) -> Value {
    json!({"action": "REJECT", "rejection_category": category, "message": "x".repeat(message_length)})
}

#[tokio::test]
async fn the_list_needs_a_study_pages_by_twenty_and_filters_by_status() {
    let api = Api::start().await;
    let (study, _) = published(&api).await;
    let (status, body) = api.get("/api/v1/submissions/").await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["study"].is_array());
    let (status, body) = api
        .get("/api/v1/submissions/?study=64395e9c2332b8a59a65d51e")
        .await;
    assert_error(status, &body, 404);
    let (status, body) = api
        .get(&format!("/api/v1/submissions/?study={study}&page=0"))
        .await;
    assert_error(status, &body, 400);

    let (_, all) = api
        .get(&format!("/api/v1/submissions/?study={study}"))
        .await;
    assert_eq!(all["meta"]["count"], PLACES);
    assert_eq!(all["results"].as_array().unwrap().len() as u64, PLACES);
    assert!(all["_links"]["next"]["href"].is_null());

    let (_, first) = api
        .get(&format!("/api/v1/submissions/?study={study}&page_size=5"))
        .await;
    assert_eq!(first["results"].as_array().unwrap().len(), 5);
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    let next = next.strip_prefix(&api.server.base_url()).unwrap();
    let (_, second) = api.get(next).await;
    assert_eq!(second["results"].as_array().unwrap().len(), 5);
    assert_ne!(second["results"][0]["id"], first["results"][0]["id"]);
    let (_, last) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&page_size=5&page=4"
        ))
        .await;
    assert_eq!(last["results"].as_array().unwrap().len(), 1);

    let (_, waiting) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&status=AWAITING_REVIEW"
        ))
        .await;
    assert_eq!(waiting["meta"]["count"], PLACES);
    let (_, approved) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&status=APPROVED"
        ))
        .await;
    assert_eq!(approved["meta"]["count"], 0);
}

#[tokio::test]
async fn one_submission_reads_and_reviews_once() {
    let api = Api::start().await;
    let (study, _) = published(&api).await;
    let (_, list) = api
        .get(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let id = list["results"][0]["id"].as_str().unwrap().to_owned();
    let (status, detail) = api.get(&format!("/api/v1/submissions/{id}/")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["study_id"], study);
    assert_eq!(detail["status"], "AWAITING REVIEW");
    assert_eq!(detail["participant"], list["results"][0]["participant_id"]);
    assert!(detail["entered_code"].is_string());

    let path = format!("/api/v1/submissions/{id}/transition/");
    let (status, approved) = api.post(&path, json!({"action": "APPROVE"})).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "APPROVED");
    let (status, body) = api.post(&path, json!({"action": "APPROVE"})).await;
    assert_error(status, &body, 400);
    let (status, body) = api.post(&path, reject("LOW_EFFORT", 120)).await;
    assert_error(status, &body, 400);

    for (body, field) in [
        (json!({}), "action"),
        (json!({"action": "DELETE"}), "action"),
        (reject("LOW_EFFORT", 99), "message"),
        (reject("RUDE", 120), "rejection_category"),
    ] {
        let other = list["results"][1]["id"].as_str().unwrap();
        let (status, answer) = api
            .post(
                &format!("/api/v1/submissions/{other}/transition/"),
                body.clone(),
            )
            .await;
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"][field].is_array(),
            "{body}: {answer}"
        );
    }
    let (status, body) = api
        .post(
            &format!(
                "/api/v1/submissions/{}/transition/",
                list["results"][1]["id"].as_str().unwrap()
            ),
            json!({"action": "RETURN"}),
        )
        .await;
    assert_error(status, &body, 400);
    for (status, body) in [
        api.get("/api/v1/submissions/64395e9c2332b8a59a65d51e/")
            .await,
        api.post(
            "/api/v1/submissions/64395e9c2332b8a59a65d51e/transition/",
            json!({"action": "APPROVE"}),
        )
        .await,
    ] {
        assert_error(status, &body, 404);
    }
}

#[tokio::test]
async fn a_rejected_place_is_taken_again_and_its_data_dropped() {
    let api = Api::start().await;
    let (study, batch) = published(&api).await;
    let (_, before) = api
        .get(&format!(
            "/api/v1/data-collection/batches/{batch}/responses"
        ))
        .await;
    let (_, list) = api
        .get(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let rejected = list["results"][0].clone();
    let (status, answer) = api
        .post(
            &format!(
                "/api/v1/submissions/{}/transition/",
                rejected["id"].as_str().unwrap()
            ),
            reject("FAILED_INSTRUCTIONS", 150),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "REJECTED");

    let (_, counts) = api
        .get(&format!("/api/v1/studies/{study}/submissions/counts/"))
        .await;
    assert_eq!(counts["REJECTED"], 1);
    assert_eq!(
        counts["AWAITING REVIEW"], PLACES,
        "a new participant filled the place"
    );
    assert_eq!(counts["TOTAL"], PLACES + 1);
    let (_, read) = api.get(&format!("/api/v1/studies/{study}/")).await;
    assert_eq!(read["places_taken"], PLACES);
    assert_eq!(read["status"], "AWAITING REVIEW");

    let (_, after) = api
        .get(&format!(
            "/api/v1/data-collection/batches/{batch}/responses"
        ))
        .await;
    assert_eq!(after["meta"]["count"], before["meta"]["count"]);
    let results = after["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|response| response["submission_id"] != rejected["id"])
    );
    // The newcomer answered the rejected place's tasks.
    let tasks_of = |answers: &Value, submission: &Value| -> Vec<Value> {
        answers["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|response| &response["submission_id"] == submission)
            .map(|response| response["task_id"].clone())
            .collect()
    };
    let (_, list) = api
        .get(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let newcomer = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|submission| {
            !before
                .to_string()
                .contains(submission["id"].as_str().unwrap())
        })
        .unwrap()["id"]
        .clone();
    assert_eq!(
        tasks_of(&after, &newcomer),
        tasks_of(&before, &rejected["id"])
    );
}
