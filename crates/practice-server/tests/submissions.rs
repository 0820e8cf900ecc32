//! Submissions one at a time over real HTTP: the paged, filtered list; one read; and
//! review, where a rejection reopens the place for a new simulated participant.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, assert_error, one_question, study_body};
use serde_json::{Value, json};

/// 24 reviews in groups of 3 (8 groups) × 2 annotators.
const PLACES: u64 = 16;

async fn published(api: &Api) -> (String, String) {
    // A question, so that finished submissions have responses.
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

fn reject(category: &str, message_length: usize) -> Value {
    json!({"action": "REJECT", "rejection_category": category, "message": "x".repeat(message_length)})
}

#[tokio::test]
async fn the_list_needs_a_study_pages_by_number_and_filters_by_status() {
    let api = Api::start().await;
    let (study, _) = published(&api).await;
    let (status, body) = api.get("/api/v1/submissions/").await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["study"].is_array());
    let (status, body) = api
        .get("/api/v1/submissions/?study=64395e9c2332b8a59a65d51e")
        .await;
    assert_error(status, &body, 404);
    for invalid in ["0", "-1", "two", "7"] {
        let (status, body) = api
            .get(&format!(
                "/api/v1/submissions/?study={study}&page={invalid}"
            ))
            .await;
        assert_error(status, &body, 404);
        assert_eq!(body["error"]["detail"], "Invalid page.", "page={invalid}");
    }

    // A small page by default, and only `results`: all the spec's schema documents.
    let (_, first) = api
        .get(&format!("/api/v1/submissions/?study={study}"))
        .await;
    assert_eq!(first["results"].as_array().unwrap().len(), 3);
    assert!(first.get("meta").is_none() && first.get("_links").is_none());
    let all = api
        .get_all(&format!("/api/v1/submissions/?study={study}"))
        .await;
    assert_eq!(all.len() as u64, PLACES);
    let ids: std::collections::BTreeSet<&str> =
        all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len() as u64, PLACES, "no submission on two pages");

    let (_, second) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&page_size=5&page=2"
        ))
        .await;
    assert_eq!(second["results"].as_array().unwrap().len(), 5);
    assert_eq!(second["results"][0]["id"], all[5]["id"]);
    let (_, last) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&page_size=5&page=4"
        ))
        .await;
    assert_eq!(last["results"].as_array().unwrap().len(), 1);
    let (_, named) = api
        .get(&format!(
            "/api/v1/submissions/?study={study}&page_size=5&page=last"
        ))
        .await;
    assert_eq!(named["results"], last["results"]);

    let waiting = api
        .get_all(&format!(
            "/api/v1/submissions/?study={study}&status=AWAITING_REVIEW"
        ))
        .await;
    assert_eq!(waiting.len() as u64, PLACES);
    let approved = api
        .get_all(&format!(
            "/api/v1/submissions/?study={study}&status=APPROVED"
        ))
        .await;
    assert!(approved.is_empty());
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
    let responses = format!("/api/v1/data-collection/batches/{batch}/responses");
    let before = api.get_all(&responses).await;
    let list = api
        .get_all(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let rejected = list[0].clone();
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

    let after = api.get_all(&responses).await;
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .all(|response| response["submission_id"] != rejected["id"])
    );
    // The newcomer answered the rejected place's tasks.
    let tasks_of = |answers: &[Value], submission: &Value| -> Vec<Value> {
        answers
            .iter()
            .filter(|response| &response["submission_id"] == submission)
            .map(|response| response["task_id"].clone())
            .collect()
    };
    let list = api
        .get_all(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let newcomer = list
        .iter()
        .find(|submission| {
            !before
                .iter()
                .any(|response| response["submission_id"] == submission["id"])
        })
        .unwrap()["id"]
        .clone();
    let taken_over = tasks_of(&before, &rejected["id"]);
    assert!(!taken_over.is_empty());
    assert_eq!(tasks_of(&after, &newcomer), taken_over);
}
