//! Scheduled publishing over real HTTP (API-NOTES §7.6): a study scheduled for later is
//! `SCHEDULED` with its funds locked and nobody taking part; when the server's clock
//! reaches `publish_at` it is live and participants come; cancelling first gives the
//! funds back.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use chrono::{SecondsFormat, Utc};
use common::{Api, assert_error, study_body, workspace_id};
use serde_json::{Value, json};

const STUDIES: &str = "/api/v1/studies/";

async fn server() -> Api {
    Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(60),
        ..PracticeConfig::default()
    })
    .await
}

async fn draft(api: &Api) -> String {
    let batch = api.ready_batch(3).await;
    let (status, study) = api.post(STUDIES, study_body(&batch)).await;
    assert_eq!(status, 201, "{study}");
    study["id"].as_str().unwrap().to_owned()
}

fn in_an_hour() -> String {
    (Utc::now() + chrono::Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn schedule(api: &Api, id: &str, publish_at: &str) -> (u16, Value) {
    api.post(
        &format!("{STUDIES}{id}/transition/"),
        json!({"action": "SCHEDULE_PUBLISH", "publish_at": publish_at}),
    )
    .await
}

async fn study(api: &Api, id: &str) -> Value {
    let (status, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(status, 200, "{study}");
    study
}

async fn available(api: &Api) -> i64 {
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    balance["available_balance"].as_i64().unwrap()
}

#[tokio::test]
async fn a_scheduled_study_waits_then_goes_live_when_the_clock_reaches_publish_at() {
    let api = server().await;
    let id = draft(&api).await;
    let before = available(&api).await;
    let publish_at = in_an_hour();
    let (status, scheduled) = schedule(&api, &id, &publish_at).await;
    assert_eq!(status, 200, "{scheduled}");
    assert_eq!(scheduled["status"], "SCHEDULED");
    assert_eq!(scheduled["publish_at"], publish_at.as_str());
    assert!(scheduled["published_at"].is_null(), "{scheduled}");
    let cost = scheduled["total_cost"].as_i64().unwrap();
    assert!(cost > 0);
    assert_eq!(available(&api).await, before - cost, "the funds are locked");

    api.server.advance_clock(Duration::from_secs(30 * 60));
    let waiting = study(&api, &id).await;
    assert_eq!(waiting["status"], "SCHEDULED");
    assert_eq!(waiting["number_of_submissions"], 0);
    // PUBLISH is not in the table for a scheduled study.
    let (status, body) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_error(status, &body, 400);

    // Half an hour later it is live; a participant more than a minute later.
    api.server.advance_clock(Duration::from_secs(30 * 60 + 90));
    let live = study(&api, &id).await;
    assert_eq!(live["status"], "ACTIVE", "{live}");
    assert!(live["published_at"].is_string(), "{live}");
    assert_eq!(live["number_of_submissions"], 2, "{live}");
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(counts["AWAITING REVIEW"], 1, "{counts}");
    assert_eq!(counts["ACTIVE"], 1, "{counts}");
    // Live now: it can be paused, and no longer cancelled.
    let (status, body) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "CANCEL_PUBLISH"}),
        )
        .await;
    assert_error(status, &body, 400);
    let (status, paused) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "PAUSE"}),
        )
        .await;
    assert_eq!(status, 200, "{paused}");
    assert_eq!(paused["status"], "PAUSED");
}

#[tokio::test]
async fn cancelling_a_schedule_gives_the_funds_back_and_nobody_comes() {
    let api = server().await;
    let id = draft(&api).await;
    let before = available(&api).await;
    let (status, _) = schedule(&api, &id, &in_an_hour()).await;
    assert_eq!(status, 200);
    assert!(available(&api).await < before);
    let (status, cancelled) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "CANCEL_PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "UNPUBLISHED");
    assert_eq!(available(&api).await, before);
    api.server.advance_clock(Duration::from_secs(3 * 3600));
    let draft = study(&api, &id).await;
    assert_eq!(draft["status"], "UNPUBLISHED");
    assert_eq!(draft["number_of_submissions"], 0);
}

#[tokio::test]
async fn a_schedule_in_the_past_or_without_a_date_or_beyond_the_balance_is_refused() {
    let api = server().await;
    let id = draft(&api).await;
    let (status, body) = schedule(&api, &id, "2001-01-01T09:00:00Z").await;
    assert_error(status, &body, 400);
    let (status, body) = schedule(&api, &id, "next tuesday").await;
    assert_error(status, &body, 400);
    let (status, body) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "SCHEDULE_PUBLISH"}),
        )
        .await;
    assert_error(status, &body, 400);
    api.server.set_balance(10).unwrap();
    let (status, body) = schedule(&api, &id, &in_an_hour()).await;
    assert_error(status, &body, 400);
    assert_eq!(study(&api, &id).await["status"], "UNPUBLISHED");
}

#[tokio::test]
async fn a_schedule_survives_a_restart_and_goes_live_after_it() {
    let dir = batchdesk_test_support::temp_folder();
    let config = || PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(60),
        state_dir: Some(dir.path().to_owned()),
        ..PracticeConfig::default()
    };
    let api = Api::with(config()).await;
    let id = draft(&api).await;
    let (status, _) = schedule(&api, &id, &in_an_hour()).await;
    assert_eq!(status, 200);
    let locked = available(&api).await;
    api.server.shutdown().await;

    let api = Api::with(config()).await;
    assert_eq!(study(&api, &id).await["status"], "SCHEDULED");
    assert_eq!(available(&api).await, locked, "the funds stay locked");
    api.server.advance_clock(Duration::from_secs(3600 + 90));
    let live = study(&api, &id).await;
    assert_eq!(live["status"], "ACTIVE", "{live}");
    assert_eq!(live["number_of_submissions"], 2, "{live}");
}
