//! Bonuses over real HTTP: set up for a study's participants in major units (nothing
//! paid), then paid from the workspace's balance, which falls by exactly the amount and
//! the fees; paying the same bulk bonus again pays again; a pay the balance cannot cover
//! pays nothing; a bad row is refused by its number; and bonuses survive a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, assert_error, one_question, study_body, workspace_id};
use serde_json::{Value, json};

const BONUSES: &str = "/api/v1/submissions/bonus-payments/";

fn pay_path(id: &str) -> String {
    format!("/api/v1/bulk-bonus-payments/{id}/pay/")
}

/// A published study, filled (24 reviews in groups of 3 × 2 people: 16 places): its id
/// and its submissions.
async fn filled_study(api: &Api) -> (String, Vec<Value>) {
    let batch = api.ready_batch_with(3, Some(one_question())).await;
    let (status, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    assert_eq!(status, 201, "{study}");
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, published) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{published}");
    let submissions = api
        .get_all(&format!("/api/v1/studies/{id}/submissions/"))
        .await;
    assert_eq!(submissions.len(), 16);
    (id, submissions)
}

/// (total, available) balance, minor units.
async fn balance(api: &Api) -> (i64, i64) {
    let (status, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    assert_eq!(status, 200, "{balance}");
    (
        balance["total_balance"].as_i64().unwrap(),
        balance["available_balance"].as_i64().unwrap(),
    )
}

async fn bonuses_paid(api: &Api, submission: &Value) -> Value {
    let (status, detail) = api
        .get(&format!(
            "/api/v1/submissions/{}/",
            submission["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200, "{detail}");
    detail["bonus_payments"].clone()
}

/// A bulk bonus of £1.50 to the first submission's participant (by participant id) and
/// £0.75 to the second's (by submission id).
async fn set_up(api: &Api, study: &str, submissions: &[Value]) -> Value {
    let csv = format!(
        "{},1.50\n{},0.75\n",
        submissions[0]["participant_id"].as_str().unwrap(),
        submissions[1]["id"].as_str().unwrap()
    );
    let (status, bonus) = api
        .post(BONUSES, json!({"study_id": study, "csv_bonuses": csv}))
        .await;
    assert_eq!(status, 201, "{bonus}");
    bonus
}

#[tokio::test]
async fn a_bonus_set_up_then_paid_lowers_the_balance_by_exactly_its_amount_and_fees() {
    let api = Api::start().await;
    let (study, submissions) = filled_study(&api).await;
    let before = balance(&api).await;

    let bonus = set_up(&api, &study, &submissions).await;
    // In minor units, with the fee and VAT charged on study costs (1.4 × rewards).
    assert_eq!(bonus["study"], study.as_str());
    assert_eq!(bonus["amount"], 225);
    assert_eq!(bonus["total_amount"], 315);
    assert_eq!(bonus["fees"], 75);
    assert_eq!(bonus["vat"], 15);
    assert_eq!(balance(&api).await, before, "setting up pays nothing");
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([]));

    let (status, answer) = api
        .post(&pay_path(bonus["id"].as_str().unwrap()), json!({}))
        .await;
    assert_eq!(status, 202, "{answer}");
    assert!(answer.is_string(), "{answer}");
    assert_eq!(balance(&api).await, (before.0 - 315, before.1 - 315));
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([150]));
    assert_eq!(bonuses_paid(&api, &submissions[1]).await, json!([75]));
    assert_eq!(bonuses_paid(&api, &submissions[2]).await, json!([]));
}

#[tokio::test]
async fn paying_the_same_bulk_bonus_twice_pays_twice() {
    let api = Api::start().await;
    let (study, submissions) = filled_study(&api).await;
    let bonus = set_up(&api, &study, &submissions).await;
    let id = bonus["id"].as_str().unwrap();
    let (total, available) = balance(&api).await;
    for _ in 0..2 {
        let (status, answer) = api.post(&pay_path(id), json!({})).await;
        assert_eq!(status, 202, "{answer}");
    }
    assert_eq!(balance(&api).await, (total - 630, available - 630));
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([150, 150]));
    assert_eq!(bonuses_paid(&api, &submissions[1]).await, json!([75, 75]));
}

#[tokio::test]
async fn a_pay_the_available_balance_cannot_cover_pays_nothing() {
    let api = Api::start().await;
    let (study, submissions) = filled_study(&api).await;
    let bonus = set_up(&api, &study, &submissions).await;
    let id = bonus["id"].as_str().unwrap();
    // The study's own cost stays locked: only what is left over can pay.
    let (total, available) = balance(&api).await;
    let locked = total - available;
    api.server.set_balance(locked + 314).unwrap();
    let (status, body) = api.post(&pay_path(id), json!({})).await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("cost 315 and 314 is available"),
        "{body}"
    );
    assert_eq!(balance(&api).await, (locked + 314, 314));
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([]));

    // Exactly enough is enough.
    api.server.set_balance(locked + 315).unwrap();
    let (status, _) = api.post(&pay_path(id), json!({})).await;
    assert_eq!(status, 202);
    assert_eq!(balance(&api).await, (locked, 0));

    let (status, body) = api
        .post(&pay_path("64395e9c2332b8a59a65d51e"), json!({}))
        .await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn a_bad_row_is_refused_by_its_number_and_nothing_is_set_up() {
    let api = Api::start().await;
    let (study, submissions) = filled_study(&api).await;
    let first = submissions[0]["participant_id"].as_str().unwrap();
    let second = submissions[1]["participant_id"].as_str().unwrap();
    let third = submissions[2]["id"].as_str().unwrap();
    let fourth = submissions[3]["participant_id"].as_str().unwrap();
    let stranger = "64395e9c2332b8a59a65d51e";
    let refused = |detail: &Value, row: usize, id: &str, why: &str| {
        let messages = detail["csv_bonuses"].as_array().unwrap();
        // A row that does not read as an id and an amount is quoted whole.
        let prefix = format!("Row {row} ({id}");
        assert!(
            messages.iter().any(|message| {
                let message = message.as_str().unwrap();
                message.starts_with(&prefix) && message.contains(why)
            }),
            "row {row}, {why}: {detail}"
        );
    };
    let before = balance(&api).await;
    let csv = format!(
        "{first},2.00\n{stranger},1.00\n{second},1.505\n{third},0\n\n{fourth},-1\n{first},1.00\n{second}\n"
    );
    let (status, body) = api
        .post(BONUSES, json!({"study_id": study, "csv_bonuses": csv}))
        .await;
    assert_error(status, &body, 400);
    let detail = &body["error"]["detail"];
    refused(detail, 2, stranger, "took part in this study");
    refused(detail, 3, second, "more than 2 decimals");
    refused(detail, 4, third, "is zero");
    // The blank line still counts: rows are numbered as the lines of the text.
    refused(detail, 6, fourth, "below zero");
    refused(detail, 7, first, "already has a bonus");
    refused(detail, 8, second, "a comma and the amount");
    assert_eq!(
        detail["csv_bonuses"].as_array().unwrap().len(),
        6,
        "{detail}"
    );

    for (amount, why) in [
        ("1,50", "a comma and the amount"),
        ("£1.50", "not a number"),
        ("1e2", "not a number"),
        (".5", "not a number"),
        ("abc", "not a number"),
    ] {
        let (status, body) = api
            .post(
                BONUSES,
                json!({"study_id": study, "csv_bonuses": format!("{first},{amount}")}),
            )
            .await;
        assert_error(status, &body, 400);
        refused(&body["error"]["detail"], 1, first, why);
    }

    // The request as a whole.
    let (status, body) = api
        .post(
            BONUSES,
            json!({"study_id": stranger, "csv_bonuses": format!("{first},1")}),
        )
        .await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["study_id"].is_array(), "{body}");
    let (status, body) = api.post(BONUSES, json!({"study_id": study})).await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["csv_bonuses"].is_array(), "{body}");
    let (status, body) = api
        .post(BONUSES, json!({"study_id": study, "csv_bonuses": "\n\n"}))
        .await;
    assert_error(status, &body, 400);
    assert_eq!(
        body["error"]["detail"]["csv_bonuses"][0], "This field may not be blank.",
        "{body}"
    );
    let many = format!("{first},1.00\n").repeat(201);
    let (status, body) = api
        .post(BONUSES, json!({"study_id": study, "csv_bonuses": many}))
        .await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]["csv_bonuses"][0]
            .as_str()
            .unwrap()
            .contains("at most 200"),
        "{body}"
    );
    assert_eq!(balance(&api).await, before);
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([]));
}

#[tokio::test]
async fn a_bulk_bonus_and_what_it_paid_survive_a_restart() {
    let dir = batchdesk_test_support::temp_folder();
    let config = || PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        state_dir: Some(dir.path().to_owned()),
        ..PracticeConfig::default()
    };
    let api = Api::with(config()).await;
    let (study, submissions) = filled_study(&api).await;
    let bonus = set_up(&api, &study, &submissions).await;
    let id = bonus["id"].as_str().unwrap().to_owned();
    let (status, _) = api.post(&pay_path(&id), json!({})).await;
    assert_eq!(status, 202);
    let paid = balance(&api).await;
    api.server.shutdown().await;

    let api = Api::with(config()).await;
    assert_eq!(balance(&api).await, paid);
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([150]));
    // The bulk bonus is still known, and still pays when asked again.
    let (status, _) = api.post(&pay_path(&id), json!({})).await;
    assert_eq!(status, 202);
    assert_eq!(balance(&api).await, (paid.0 - 315, paid.1 - 315));
    assert_eq!(bonuses_paid(&api, &submissions[0]).await, json!([150, 150]));
}
