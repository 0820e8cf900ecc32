//! Studies over real HTTP: creating one on a READY batch, reading and listing, the
//! edits allowed before and after publishing, deleting drafts, the transition table,
//! the balance that publishing locks, simulated participants and their submissions, and
//! the helpers used before publishing.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::{PracticeConfig, PracticeWorkspace};
use common::{Api, assert_error, study_body, workspace_id};
use serde_json::{Value, json};

const STUDIES: &str = "/api/v1/studies/";

/// 24 reviews in groups of 3: 8 task groups.
const GROUPS: u64 = 8;

async fn create(api: &Api, body: Value) -> Value {
    let (status, study) = api.post(STUDIES, body).await;
    assert_eq!(status, 201, "{study}");
    study
}

async fn draft(api: &Api) -> (String, Value) {
    let batch = api.ready_batch(3).await;
    let study = create(api, study_body(&batch)).await;
    (study["id"].as_str().unwrap().to_owned(), study)
}

async fn transition(api: &Api, id: &str, action: &str) -> (u16, Value) {
    api.post(
        &format!("{STUDIES}{id}/transition/"),
        json!({ "action": action }),
    )
    .await
}

async fn available_balance(api: &Api) -> i64 {
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    balance["available_balance"].as_i64().unwrap()
}

/// A server whose participants take a long time, so a study stays ACTIVE.
async fn slow_participants() -> Api {
    Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await
}

// --- create, read, list -------------------------------------------------------------------

#[tokio::test]
async fn a_batch_study_is_a_draft_with_places_from_the_batch_and_a_default_code() {
    let api = Api::start().await;
    let (id, study) = draft(&api).await;
    assert_eq!(id.len(), 24);
    assert_eq!(study["status"], "UNPUBLISHED");
    assert_eq!(study["total_available_places"], GROUPS * 2);
    assert_eq!(study["reward"], 100);
    assert_eq!(study["data_collection_method"], "AI_TASK_BUILDER_BATCH");
    assert_eq!(study["data_collection_metadata"]["annotators_per_task"], 2);
    assert_eq!(study["internal_name"], "Practice run");
    assert_eq!(study["currency_code"], "GBP");
    assert_eq!(study["total_cost"], 100 * GROUPS * 2 * 7 / 5);
    let codes = study["completion_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["code_type"], "COMPLETED");
    assert_eq!(codes[0]["actions"][0]["action"], "MANUALLY_REVIEW");
    assert!(!codes[0]["code"].as_str().unwrap().is_empty());

    let (status, read) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(status, 200);
    assert_eq!(read["id"], id);
    let (_, list) = api.get(STUDIES).await;
    assert_eq!(list["results"][0]["id"], id);
    assert!(
        list.get("meta").is_none() && list.get("_links").is_none(),
        "the spec documents only results here: {list}"
    );
    let (_, active) = api.get(&format!("{STUDIES}?state=ACTIVE")).await;
    assert_eq!(active["results"], json!([]));
}

#[tokio::test]
async fn places_given_for_a_batch_study_are_worked_out_instead() {
    let api = Api::start().await;
    let batch = api.ready_batch(8).await;
    let mut body = study_body(&batch);
    body["total_available_places"] = json!(500);
    body["data_collection_metadata"] = json!(null);
    let study = create(&api, body).await;
    assert_eq!(study["total_available_places"], 3);
    assert_eq!(study["data_collection_metadata"]["annotators_per_task"], 1);
}

#[tokio::test]
async fn bad_study_bodies_are_400_with_field_detail() {
    let api = Api::start().await;
    let (status, body) = api.post(STUDIES, json!({})).await;
    assert_error(status, &body, 400);
    for field in [
        "name",
        "description",
        "prolific_id_option",
        "estimated_completion_time",
        "reward",
        "external_study_url",
    ] {
        assert!(body["error"]["detail"][field].is_array(), "{field}: {body}");
    }

    let batch = api.ready_batch(3).await;
    for (change, field) in [
        (json!({"reward": 1.5}), "reward"),
        (json!({"reward": "100"}), "reward"),
        (json!({"reward": -1}), "reward"),
        (json!({"prolific_id_option": "maybe"}), "prolific_id_option"),
        (
            json!({"data_collection_id": "not-a-uuid"}),
            "data_collection_id",
        ),
        (
            json!({"data_collection_id": uuid::Uuid::now_v7()}),
            "data_collection_id",
        ),
        (
            json!({"external_study_url": "https://example.org"}),
            "external_study_url",
        ),
        (
            json!({"data_collection_metadata": {"annotators_per_task": 0}}),
            "data_collection_metadata.annotators_per_task",
        ),
        (json!({"project": "000000000000000000000000"}), "project"),
        (
            json!({"data_collection_method": "DC_TOOL"}),
            "data_collection_method",
        ),
        (
            json!({"completion_codes": [{"code": "A", "code_type": "COMPLETED", "actions": []}]}),
            "completion_codes",
        ),
        (json!({"completion_codes": []}), "completion_codes"),
        // The spec's prose: a null code only with no actions (the mistake Batchdesk once
        // made on every launch), only for the participant, only as their one code.
        (
            json!({"completion_codes": [{"code": null, "code_type": "COMPLETED",
                                         "actions": [{"action": "MANUALLY_REVIEW"}]}]}),
            "completion_codes",
        ),
        (
            json!({"completion_codes": [
                {"code": "DONE1", "code_type": "COMPLETED", "actions": [{"action": "MANUALLY_REVIEW"}]},
                {"code": null, "code_type": "OTHER", "actions": [], "actor": "researcher"}]}),
            "completion_codes",
        ),
        (
            json!({"completion_codes": [
                {"code": "DONE1", "code_type": "COMPLETED", "actions": [{"action": "MANUALLY_REVIEW"}]},
                {"code": "DONE1", "code_type": "OTHER", "actions": []}]}),
            "completion_codes",
        ),
        (
            json!({"completion_codes": [{"code_type": "COMPLETED",
                                         "actions": [{"action": "MANUALLY_REVIEW"}]}]}),
            "completion_codes",
        ),
        (json!({"internal_name": 5}), "internal_name"),
        // Below the spec's floor of 2 + 2t + 2√t minutes (t = 5: about 16.5).
        (json!({"maximum_allowed_time": 16}), "maximum_allowed_time"),
        (
            json!({"filters": [{"filter_id": "age", "selected_range": {"lower": null, "upper": null}}]}),
            "filters",
        ),
        (
            json!({"access_details": [{"external_url": "https://example.org", "total_allocation": 1}]}),
            "access_details",
        ),
        (
            json!({"device_compatibility": ["toaster"]}),
            "device_compatibility",
        ),
        (json!({"filters": {"age": 1}}), "filters"),
        (json!({"submissions_config": 1}), "submissions_config"),
    ] {
        let mut body = study_body(&batch);
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, answer) = api.post(STUDIES, body).await;
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"][field].is_array(),
            "{change} should fault {field}: {answer}"
        );
    }
    let (status, _) = api.get(STUDIES).await;
    assert_eq!(status, 200);
    let (_, list) = api.get(STUDIES).await;
    assert_eq!(list["results"], json!([]), "nothing was created");
}

#[tokio::test]
async fn a_study_needs_a_ready_batch() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let (_, batch) = api
        .post(
            "/api/v1/data-collection/batches",
            json!({"name": "Empty", "workspace_id": workspace_id(),
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}}),
        )
        .await;
    let (status, answer) = api
        .post(STUDIES, study_body(batch["id"].as_str().unwrap()))
        .await;
    assert_error(status, &answer, 400);
    let message = answer["error"]["detail"]["data_collection_id"][0]
        .as_str()
        .unwrap();
    assert!(message.contains("UNINITIALISED"), "{message}");
}

#[tokio::test]
async fn malformed_json_and_unknown_studies_get_prolifics_errors() {
    let api = Api::start().await;
    let (status, body) = api.post_raw(STUDIES, "{\"name\": ").await;
    assert_error(status, &body, 400);
    let (status, body) = api.post_raw(STUDIES, "[1, 2]").await;
    assert_error(status, &body, 400);
    let unknown = "64395e9c2332b8a59a65d51e";
    for (status, body) in [
        api.get(&format!("{STUDIES}{unknown}/")).await,
        api.patch(&format!("{STUDIES}{unknown}/"), json!({"name": "x"}))
            .await,
        transition(&api, unknown, "PUBLISH").await,
        api.get(&format!("{STUDIES}{unknown}/submissions/")).await,
        api.get(&format!("{STUDIES}{unknown}/submissions/counts/"))
            .await,
        api.call("DELETE", &format!("{STUDIES}{unknown}/"), None)
            .await,
    ] {
        assert_error(status, &body, 404);
    }
    let (status, body) = api.get_without_token(STUDIES).await;
    assert_error(status, &body, 401);
}

// --- edits and deletion ----------------------------------------------------------------

#[tokio::test]
async fn a_draft_can_change_anything_but_a_published_study_only_a_few_fields() {
    let api = slow_participants().await;
    let (id, _) = draft(&api).await;
    let path = format!("{STUDIES}{id}/");
    let (status, study) = api
        .patch(&path, json!({"name": "Renamed", "reward": 150}))
        .await;
    assert_eq!(status, 200, "{study}");
    assert_eq!(study["name"], "Renamed");
    assert_eq!(study["reward"], 150);
    let (status, body) = api.patch(&path, json!({"status": "ACTIVE"})).await;
    assert_error(status, &body, 400);
    for (change, field) in [
        (json!({"name": 5}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"reward": "lots"}), "reward"),
        (
            json!({"estimated_completion_time": 0}),
            "estimated_completion_time",
        ),
        (json!({"prolific_id_option": "maybe"}), "prolific_id_option"),
        (
            json!({"peripheral_requirements": "camera"}),
            "peripheral_requirements",
        ),
        (
            json!({"data_collection_id": uuid::Uuid::now_v7()}),
            "data_collection_id",
        ),
    ] {
        let (status, body) = api.patch(&path, change.clone()).await;
        assert_error(status, &body, 400);
        assert!(
            body["error"]["detail"][field].is_array(),
            "{change}: {body}"
        );
    }
    let (_, unchanged) = api.get(&path).await;
    assert_eq!(
        unchanged["name"], "Renamed",
        "a refused edit changes nothing"
    );

    assert_eq!(transition(&api, &id, "PUBLISH").await.0, 200);
    let (status, body) = api.patch(&path, json!({"reward": 10})).await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["reward"].is_array(), "{body}");
    let (status, study) = api
        .patch(&path, json!({"internal_name": "Still editable"}))
        .await;
    assert_eq!(status, 200, "{study}");
    assert_eq!(study["internal_name"], "Still editable");

    // Annotators only go up; places follow and the extra cost is locked.
    let before = available_balance(&api).await;
    let (status, body) = api
        .patch(
            &path,
            json!({"data_collection_metadata": {"annotators_per_task": 1}}),
        )
        .await;
    assert_error(status, &body, 400);
    let (status, study) = api
        .patch(
            &path,
            json!({"data_collection_metadata": {"annotators_per_task": 3}}),
        )
        .await;
    assert_eq!(status, 200, "{study}");
    assert_eq!(study["total_available_places"], GROUPS * 3);
    let extra = i64::try_from(150 * GROUPS * 7 / 5).unwrap();
    assert_eq!(available_balance(&api).await, before - extra);
    let (status, body) = api
        .patch(&path, json!({"total_available_places": 1000}))
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn only_drafts_can_be_deleted() {
    let api = slow_participants().await;
    let (id, _) = draft(&api).await;
    let (status, body) = api.call("DELETE", &format!("{STUDIES}{id}/"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(api.get(&format!("{STUDIES}{id}/")).await.0, 404);

    let (id, _) = draft(&api).await;
    transition(&api, &id, "PUBLISH").await;
    let (status, body) = api.call("DELETE", &format!("{STUDIES}{id}/"), None).await;
    assert_error(status, &body, 400);
}

// --- transitions and money ----------------------------------------------------------------

#[tokio::test]
async fn the_transition_table_is_followed_and_illegal_moves_are_400() {
    let api = slow_participants().await;
    let (id, _) = draft(&api).await;
    for action in ["START", "PAUSE", "STOP", "CANCEL_PUBLISH"] {
        let (status, body) = transition(&api, &id, action).await;
        assert_error(status, &body, 400);
    }
    let (status, body) = transition(&api, &id, "LAUNCH").await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["action"].is_array(), "{body}");
    let (status, body) = api
        .post(&format!("{STUDIES}{id}/transition/"), json!({}))
        .await;
    assert_error(status, &body, 400);

    let (status, body) = transition(&api, &id, "SCHEDULE_PUBLISH").await;
    assert_error(status, &body, 400);
    let (status, study) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "SCHEDULE_PUBLISH", "publish_at": "2030-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(status, 200, "{study}");
    assert_eq!(study["status"], "SCHEDULED");
    assert_eq!(study["publish_at"], "2030-01-01T09:00:00Z");
    assert_eq!(
        transition(&api, &id, "CANCEL_PUBLISH").await.1["status"],
        "UNPUBLISHED"
    );

    for (action, expected) in [
        ("PUBLISH", "ACTIVE"),
        ("PAUSE", "PAUSED"),
        ("START", "ACTIVE"),
        ("PAUSE", "PAUSED"),
        ("STOP", "COMPLETED"),
    ] {
        let (status, study) = transition(&api, &id, action).await;
        assert_eq!(status, 200, "{action}: {study}");
        assert_eq!(study["status"], expected, "{action}");
    }
    let (status, body) = transition(&api, &id, "START").await;
    assert_error(status, &body, 400);
    let (status, body) = transition(&api, &id, "PUBLISH").await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn publishing_locks_the_cost_and_too_little_balance_is_refused() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(3600),
        workspace: PracticeWorkspace {
            balance: 3_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    })
    .await;
    let batch = api.ready_batch(3).await;
    // 8 groups × 2 annotators × 100p × 1.4 = 2,240p.
    let first = create(&api, study_body(&batch)).await;
    let first = first["id"].as_str().unwrap();
    assert_eq!(available_balance(&api).await, 3_000);
    let (status, study) = transition(&api, first, "PUBLISH").await;
    assert_eq!(status, 200, "{study}");
    assert_eq!(available_balance(&api).await, 760);
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    assert_eq!(balance["total_balance"], 3_000);

    let second = create(&api, study_body(&batch)).await;
    let second = second["id"].as_str().unwrap();
    let (status, body) = transition(&api, second, "PUBLISH").await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"].as_str().unwrap().contains("funds"),
        "{body}"
    );
    let (_, study) = api.get(&format!("{STUDIES}{second}/")).await;
    assert_eq!(study["status"], "UNPUBLISHED");
    assert_eq!(available_balance(&api).await, 760);
}

// --- participants and submissions ----------------------------------------------------------

#[tokio::test]
async fn with_no_pace_every_place_is_filled_and_waits_for_review() {
    let api = Api::start().await;
    let (id, _) = draft(&api).await;
    let (_, published) = transition(&api, &id, "PUBLISH").await;
    assert!(published["published_at"].is_string());
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW");
    assert_eq!(study["places_taken"], GROUPS * 2);

    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(counts["AWAITING REVIEW"], GROUPS * 2);
    assert_eq!(counts["TOTAL"], GROUPS * 2);
    assert_eq!(counts["ACTIVE"], 0);
    let results = &api.get_all(&format!("{STUDIES}{id}/submissions/")).await;
    assert_eq!(results.len() as u64, GROUPS * 2);
    let code = study["completion_codes"][0]["code"].clone();
    for submission in results {
        assert_eq!(submission["status"], "AWAITING REVIEW");
        assert_eq!(submission["study_code"], code);
        assert!(submission["completed_at"].is_string());
        assert_eq!(submission["participant_id"].as_str().unwrap().len(), 24);
    }

    // Approving all of them completes the study.
    let ids: Vec<Value> = results.iter().map(|s| s["id"].clone()).collect();
    let (status, answer) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({"submission_ids": ids[..3]}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.is_string());
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(counts["APPROVED"], 3);
    let participants: Vec<Value> = results[3..]
        .iter()
        .map(|s| s["participant_id"].clone())
        .collect();
    let (status, _) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({"study_id": id, "participant_ids": participants}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "COMPLETED");

    let (status, body) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({"submission_ids": ["64395e9c2332b8a59a65d51e"]}),
        )
        .await;
    assert_error(status, &body, 400);
    let (status, body) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({"submission_ids": "all"}),
        )
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn with_a_slow_pace_the_first_participant_has_only_just_started() {
    let api = slow_participants().await;
    let (id, _) = draft(&api).await;
    transition(&api, &id, "PUBLISH").await;
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "ACTIVE");
    assert_eq!(study["places_taken"], 1);
    let (_, counts) = api.get(&format!("{STUDIES}{id}/submissions/counts/")).await;
    assert_eq!(
        counts["RESERVED"], 1,
        "a place is held before the participant starts"
    );
    assert_eq!(counts["TOTAL"], 1);
    // Pausing lets the one taking part finish but recruits nobody new; changing the
    // pace and restarting fills the rest.
    transition(&api, &id, "PAUSE").await;
    api.server.set_participant_pace(Duration::ZERO);
    let (_, study) = transition(&api, &id, "START").await;
    assert_eq!(study["places_taken"], GROUPS * 2);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_participants() {
    async fn participants(seed: u64) -> Vec<Value> {
        let api = Api::with(PracticeConfig {
            processing_delay: Duration::ZERO,
            participant_pace: Duration::ZERO,
            seed,
            ..PracticeConfig::default()
        })
        .await;
        let (id, _) = draft(&api).await;
        transition(&api, &id, "PUBLISH").await;
        let (_, submissions) = api.get(&format!("{STUDIES}{id}/submissions/")).await;
        submissions["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|submission| submission["participant_id"].clone())
            .collect()
    }
    let first = participants(42).await;
    assert_eq!(first, participants(42).await);
    assert_ne!(first, participants(43).await);
}

// --- helpers before publishing -----------------------------------------------------------

#[tokio::test]
async fn cost_eligibility_filters_and_rewards_answer_in_minor_units() {
    let api = Api::start().await;
    let (status, cost) = api
        .post(
            "/api/v1/study-cost-calculator/",
            json!({"reward": 100, "total_available_places": 10}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(cost["total_cost"], 1_400);
    let (status, body) = api
        .post("/api/v1/study-cost-calculator/", json!({"reward": 100}))
        .await;
    assert_error(status, &body, 400);

    let (_, everyone) = api
        .post("/api/v1/eligibility-count/", json!({"filters": []}))
        .await;
    let everyone = everyone["count"].as_u64().unwrap();
    let (_, some) = api
        .post(
            "/api/v1/eligibility-count/",
            json!({"filters": [{"filter_id": "age", "selected_range": {"lower": 18, "upper": 30}}]}),
        )
        .await;
    assert!(some["count"].as_u64().unwrap() < everyone);
    let (_, few) = api
        .post(
            "/api/v1/eligibility-count/",
            json!({"filters": [{"filter_id": "age", "selected_range": {"lower": 40, "upper": 40}}]}),
        )
        .await;
    assert_eq!(few["count"], 0, "fewer than 25 reads 0");
    let (status, body) = api.post("/api/v1/eligibility-count/", json!({})).await;
    assert_error(status, &body, 400);

    let (_, filters) = api.get("/api/v1/filters/").await;
    assert!(
        filters["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|filter| filter["filter_id"] == "age")
    );
    let (_, sets) = api.get("/api/v1/filter-sets/").await;
    assert_eq!(sets["results"], json!([]));
    let (status, recommendations) = api
        .get(&format!(
            "/api/v1/reward-recommendations/?workspace_id={}&currency=GBP",
            workspace_id()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(recommendations[0]["currency"], "GBP");
    assert!(
        recommendations[0]["recommended_reward_per_hour"]
            .as_u64()
            .unwrap()
            > 0
    );
    let (status, body) = api
        .get("/api/v1/reward-recommendations/?currency=EUR")
        .await;
    assert_error(status, &body, 400);
}

// --- the server's clock ------------------------------------------------------------------

#[tokio::test]
async fn moving_the_clock_on_shows_progress_without_waiting() {
    let api = slow_participants().await;
    let (id, _) = draft(&api).await;
    transition(&api, &id, "PUBLISH").await;
    let path = format!("{STUDIES}{id}/submissions/counts/");
    let hour = Duration::from_secs(3600);

    let (_, now) = api.get(&path).await;
    assert_eq!(
        (now["RESERVED"].as_u64(), now["TOTAL"].as_u64()),
        (Some(1), Some(1))
    );
    api.server.advance_clock(hour / 2);
    let (_, half) = api.get(&path).await;
    assert_eq!(half["ACTIVE"], 1, "{half}");
    api.server.advance_clock(hour * 6 / 10);
    let (_, later) = api.get(&path).await;
    assert_eq!(later["AWAITING REVIEW"], 1, "{later}");
    assert_eq!(later["RESERVED"], 1, "{later}");
    assert_eq!(later["TOTAL"], 2, "{later}");
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "ACTIVE");

    api.server.advance_clock(hour * GROUPS as u32 * 2);
    let (_, study) = api.get(&format!("{STUDIES}{id}/")).await;
    assert_eq!(study["status"], "AWAITING REVIEW");
    assert_eq!(study["places_taken"], GROUPS * 2);
}

#[tokio::test]
async fn moving_the_clock_on_finishes_processing() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let dataset = api.create_v3_dataset().await;
    api.upload(&dataset, "reviews.csv", common::sample("reviews.csv"))
        .await;
    assert_eq!(api.dataset(&dataset).await["status"], "PROCESSING");
    api.server.advance_clock(Duration::from_secs(3600));
    assert_eq!(api.dataset(&dataset).await["status"], "READY");
}

#[tokio::test]
async fn approvals_pay_from_the_locked_funds_and_stopping_releases_the_rest() {
    async fn balance(api: &Api) -> (i64, i64) {
        let (_, balance) = api
            .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
            .await;
        (
            balance["total_balance"].as_i64().unwrap(),
            balance["available_balance"].as_i64().unwrap(),
        )
    }
    // Each place: 100p reward × 1.4 = 140p; 16 places lock 2,240p.
    let api = Api::start().await;
    let (id, _) = draft(&api).await;
    transition(&api, &id, "PUBLISH").await;
    assert_eq!(balance(&api).await, (100_000, 100_000 - 2_240));
    let (_, submissions) = api.get(&format!("{STUDIES}{id}/submissions/")).await;
    let two: Vec<Value> = submissions["results"].as_array().unwrap()[..2]
        .iter()
        .map(|submission| submission["id"].clone())
        .collect();
    api.post(
        "/api/v1/submissions/bulk-approve/",
        json!({"submission_ids": two}),
    )
    .await;
    assert_eq!(
        balance(&api).await,
        (100_000 - 280, 100_000 - 2_240),
        "paid out of what was locked"
    );
    // Stopping keeps the funds for the 14 still to review.
    transition(&api, &id, "STOP").await;
    assert_eq!(balance(&api).await, (100_000 - 280, 100_000 - 2_240));

    // With one participant in and the rest not yet come, stopping frees their funds.
    let slow = slow_participants().await;
    let (id, _) = draft(&slow).await;
    transition(&slow, &id, "PUBLISH").await;
    transition(&slow, &id, "STOP").await;
    assert_eq!(balance(&slow).await, (100_000, 100_000 - 140));
}

#[tokio::test]
async fn publishing_needs_the_batch_ready_now_and_takes_its_groups_as_they_are() {
    let api = slow_participants().await;
    let batch = api.ready_batch(3).await;
    let study = create(&api, study_body(&batch)).await;
    let id = study["id"].as_str().unwrap();
    assert_eq!(study["total_available_places"], GROUPS * 2);

    // Set up again, slowly: the batch is PROCESSING and the study cannot go out.
    api.server.set_processing_delay(Duration::from_secs(600));
    api.post(
        &format!("/api/v1/data-collection/batches/{batch}/setup"),
        json!({"tasks_per_group": 6}),
    )
    .await;
    let (status, body) = transition(&api, id, "PUBLISH").await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("PROCESSING")
    );

    // Once it is READY again, places are its new 4 groups × 2 annotators.
    api.server.advance_clock(Duration::from_secs(600));
    let (status, published) = transition(&api, id, "PUBLISH").await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["total_available_places"], 8);
    assert_eq!(available_balance(&api).await, 100_000 - 8 * 140);
}

/// Strict mode (the app's tests run in it): a body the spec's request schema refuses is
/// answered 400, naming the problems, before anything is made.
#[tokio::test]
async fn strict_mode_refuses_a_body_the_spec_does_not_allow_before_anything_is_made() {
    let api = Api::with(batchdesk_test_support::practice::strict(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    }))
    .await;
    let batch = api.ready_batch(3).await;
    let mut body = study_body(&batch);
    // The schema wants a list of devices; a single word is what a careless client sends.
    body["device_compatibility"] = json!("desktop");
    let (status, answer) = api.post(STUDIES, body).await;
    assert_error(status, &answer, 400);
    let problems = answer["error"]["detail"]["request"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|problem| problem.as_str().unwrap().contains("device_compatibility")),
        "{answer}"
    );
    let (_, list) = api.get(STUDIES).await;
    assert_eq!(list["results"], json!([]), "nothing was created");
    // A body that fits goes through.
    let (status, _) = api.post(STUDIES, study_body(&batch)).await;
    assert_eq!(status, 201);
}

/// The spec recommends at most about 1,000 ids a bulk approval; more are refused here
/// (the stricter reading), so the app must send a large study in parts.
#[tokio::test]
async fn a_bulk_approval_of_more_than_a_thousand_ids_is_refused() {
    let api = Api::start().await;
    let ids: Vec<String> = (0..1001).map(|n| format!("{n:024x}")).collect();
    let (status, answer) = api
        .post(
            "/api/v1/submissions/bulk-approve/",
            json!({ "submission_ids": ids }),
        )
        .await;
    assert_error(status, &answer, 400);
    assert!(answer.to_string().contains("at most 1000"), "{answer}");
}
