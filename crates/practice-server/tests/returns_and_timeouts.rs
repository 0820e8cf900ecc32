//! Participants who return their place or run out of time (API-NOTES §7.8): their
//! submissions end `RETURNED` or `TIMED-OUT`, the place reopens and someone else
//! finishes it, at the configured rates and the same way for the same seed.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, study_body};
use serde_json::{Value, json};

const STUDIES: &str = "/api/v1/studies/";

/// 24 reviews in groups of 3, two annotators: 16 places.
const PLACES: u64 = 16;

fn config(seed: u64, pace: Duration) -> PracticeConfig {
    PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        seed,
        return_share: 0.3,
        timeout_share: 0.2,
        ..PracticeConfig::default()
    }
}

/// Publishes a study on a fresh batch; its id and batch id.
async fn published(api: &Api) -> (String, String) {
    let batch = api.ready_batch_with(3, Some(common::one_question())).await;
    let (status, study) = api.post(STUDIES, study_body(&batch)).await;
    assert_eq!(status, 201, "{study}");
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, study) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{study}");
    (id, batch)
}

async fn submissions(api: &Api, id: &str) -> Vec<Value> {
    api.get_all(&format!("{STUDIES}{id}/submissions/")).await
}

#[tokio::test]
async fn leavers_give_their_place_to_someone_who_finishes() {
    let api = Api::with(config(11, Duration::ZERO)).await;
    let (id, batch) = published(&api).await;
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    let returned = counts["RETURNED"].as_u64().unwrap();
    let timed_out = counts["TIMED-OUT"].as_u64().unwrap();
    assert!(returned > 0 && timed_out > 0, "{counts}");
    assert_eq!(counts["AWAITING REVIEW"], PLACES, "{counts}");
    assert_eq!(counts["TOTAL"], PLACES + returned + timed_out, "{counts}");

    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW", "{study}");
    assert_eq!(study["places_taken"], PLACES, "leavers hold no place");
    assert_eq!(
        study["number_of_submissions"],
        PLACES + returned + timed_out
    );

    for submission in submissions(&api, &id).await {
        let left = matches!(
            submission["status"].as_str(),
            Some("RETURNED" | "TIMED-OUT")
        );
        assert_eq!(
            submission["completed_at"].is_null(),
            left,
            "only those who finished have completed: {submission}"
        );
    }
    // Only finished submissions answer: 8 groups × 3 tasks × 2 annotators × 1 question.
    let (_, responses) = api
        .get(&format!(
            "/api/v1/data-collection/batches/{batch}/responses"
        ))
        .await;
    assert_eq!(responses["meta"]["count"], 48, "{}", responses["meta"]);
}

#[tokio::test]
async fn approving_every_finished_submission_completes_a_study_that_had_leavers() {
    let api = Api::with(config(11, Duration::ZERO)).await;
    let (id, _) = published(&api).await;
    let balance = format!("/api/v1/workspaces/{}/balance/", common::workspace_id());
    let (_, before) = api.get(&balance).await;
    let waiting: Vec<String> = submissions(&api, &id)
        .await
        .into_iter()
        .filter(|submission| submission["status"] == "AWAITING REVIEW")
        .map(|submission| submission["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(waiting.len() as u64, PLACES);
    let (status, answer) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({ "submission_ids": waiting }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    // Returned and timed-out submissions are never reviewed: they do not hold it back.
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert!(counts["RETURNED"].as_u64().unwrap() > 0, "{counts}");
    assert_eq!(counts["AWAITING REVIEW"], 0, "{counts}");
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "COMPLETED", "{study}");
    // Every place was paid from the funds set aside at publishing: none stay locked.
    let (_, after) = api.get(&balance).await;
    assert_eq!(
        before["total_balance"].as_i64().unwrap() - after["total_balance"].as_i64().unwrap(),
        study["total_cost"].as_i64().unwrap(),
        "{before} {after}"
    );
    assert_eq!(
        after["available_balance"], after["total_balance"],
        "{after}"
    );
}

#[tokio::test]
async fn a_returned_place_reopens_only_when_its_participant_leaves() {
    let api = Api::with(config(11, Duration::from_secs(60))).await;
    let (id, _) = published(&api).await;
    // Enough time for every place's first participant to have come and gone.
    api.server
        .advance_clock(Duration::from_secs(60 * PLACES + 30));
    let list = submissions(&api, &id).await;
    let statuses: Vec<&str> = list
        .iter()
        .map(|submission| submission["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"RETURNED"), "{statuses:?}");
    // Each leaver was replaced by someone who came as they left.
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    let leavers = statuses
        .iter()
        .filter(|status| matches!(**status, "RETURNED" | "TIMED-OUT"))
        .count() as u64;
    assert!(study["number_of_submissions"].as_u64().unwrap() > leavers);
    assert_eq!(study["status"], "ACTIVE", "replacements are still at work");
    api.server.advance_clock(Duration::from_secs(24 * 3600));
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW", "{study}");
    assert_eq!(study["places_taken"], PLACES);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_leavers_and_no_share_gives_none() {
    async fn run(seed: u64) -> Vec<(String, String)> {
        let api = Api::with(config(seed, Duration::ZERO)).await;
        let (id, _) = published(&api).await;
        submissions(&api, &id)
            .await
            .into_iter()
            .map(|submission| {
                (
                    submission["participant_id"].as_str().unwrap().to_owned(),
                    submission["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
    let first = run(5).await;
    assert_eq!(first, run(5).await);
    assert_ne!(first, run(6).await);

    let api = Api::start().await;
    let (id, _) = published(&api).await;
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(counts["RETURNED"], 0);
    assert_eq!(counts["TIMED-OUT"], 0);
    assert_eq!(counts["TOTAL"], PLACES);
}

/// How many submissions of a study `GET /api/v1/submissions/` lists with `query`.
async fn listed(api: &Api, study: &str, query: &str) -> Value {
    let all = api
        .get_all(&format!("/api/v1/submissions/?study={study}&{query}"))
        .await;
    json!(all.len())
}

#[tokio::test]
async fn the_submissions_list_filters_leavers_by_status_or_flag() {
    let api = Api::with(config(11, Duration::ZERO)).await;
    let (id, _) = published(&api).await;
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(
        listed(&api, &id, "status=RETURNED").await,
        counts["RETURNED"]
    );
    assert_eq!(
        listed(&api, &id, "status=timed-out").await,
        counts["TIMED-OUT"]
    );
    assert_eq!(listed(&api, &id, "returned=yes").await, counts["RETURNED"]);
    assert_eq!(listed(&api, &id, "timeout=T").await, counts["TIMED-OUT"]);
    assert_eq!(listed(&api, &id, "completed=1").await, PLACES);
    let others = counts["TOTAL"].as_u64().unwrap() - counts["RETURNED"].as_u64().unwrap();
    assert_eq!(listed(&api, &id, "returned=0").await, others);
    let (status, body) = api
        .get(&format!("/api/v1/submissions/?study={id}&returned=maybe"))
        .await;
    common::assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["returned"].is_array(), "{body}");
}
