//! Bonuses and messages through the client against the practice server over real HTTP,
//! in strict mode (each request body checked against the spec's request schema first):
//! bonuses set up in major units from minor-unit amounts and paid once; a pay whose
//! answer is lost, or that fails unclearly, is never sent again but reported as unclear,
//! while one refused before anything happened (429) is retried and pays once; refused
//! rows and amounts in another currency never pay; messages to one, several and a group
//! are sent once and read back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use batchdesk_practice::{Fault, FaultScope, PracticeServer, Times};
use batchdesk_prolific::models::{BonusAmount, NewParticipantGroup, Submission};
use batchdesk_prolific::{BonusError, Client, MOST_BONUSES_PER_REQUEST, ProlificError};
use serde_json::json;
use support::practice::{new_study, ready_batch, start_with, workspace_id};
use support::{Reply, TestServer, fast_options};

const PAY: &str = "/api/v1/bulk-bonus-payments/{id}/pay/";

async fn strict() -> (PracticeServer, Client) {
    let (server, client, _) = start_with(batchdesk_test_support::practice::strict(
        batchdesk_test_support::practice::instant(),
    ))
    .await;
    (server, client)
}

/// A published study of four places, filled: its id and its submissions.
async fn filled_study(client: &Client) -> (String, Vec<Submission>) {
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(client, dir.path(), 2, 2).await;
    let study = client
        .create_study(&new_study(&batch, "bonuses", 4))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();
    let submissions = client
        .study_submissions(&study.id)
        .await
        .unwrap()
        .whole("submissions")
        .unwrap();
    assert_eq!(submissions.len(), 4);
    (study.id, submissions)
}

fn gbp(pence: u64) -> BonusAmount {
    BonusAmount::from_minor(pence, "GBP").unwrap()
}

/// (total, available), minor units.
async fn balance(client: &Client) -> (i64, i64) {
    let balance = client.workspace_balance(&workspace_id()).await.unwrap();
    (balance.total_balance, balance.available_balance)
}

async fn bonuses_paid(client: &Client, submission: &Submission) -> Vec<i64> {
    client
        .submission(&submission.id)
        .await
        .unwrap()
        .bonus_payments
        .expect("a submission read on its own says what bonuses it has")
}

/// £1.50 to the first participant (by participant id), £123.45 to the second (by
/// submission id).
fn two_bonuses(submissions: &[Submission]) -> Vec<(String, BonusAmount)> {
    vec![
        (submissions[0].participant_id.clone().unwrap(), gbp(150)),
        (submissions[1].id.clone(), gbp(12_345)),
    ]
}

#[tokio::test]
async fn bonuses_in_minor_units_are_set_up_and_paid_once() {
    let (_server, client) = strict().await;
    let (study, submissions) = filled_study(&client).await;
    let before = balance(&client).await;

    let bonus = client
        .create_bonus_payments(&study, &two_bonuses(&submissions))
        .await
        .unwrap();
    // 12,495 pence, with the fee and VAT: 1.4 × rewards, rounded up.
    assert_eq!(bonus.study.as_deref(), Some(study.as_str()));
    assert_eq!(bonus.amount, Some(12_495));
    assert_eq!(bonus.total_amount, 17_493);
    assert_eq!(
        bonus.amount.unwrap() + bonus.fees.unwrap() + bonus.vat.unwrap(),
        bonus.total_amount
    );
    assert_eq!(balance(&client).await, before, "setting up pays nothing");
    assert!(bonuses_paid(&client, &submissions[0]).await.is_empty());

    let answer = client.pay_bulk_bonus(&bonus.id).await.unwrap();
    assert!(!answer.is_empty());
    assert_eq!(
        balance(&client).await,
        (before.0 - 17_493, before.1 - 17_493)
    );
    assert_eq!(bonuses_paid(&client, &submissions[0]).await, [150]);
    assert_eq!(bonuses_paid(&client, &submissions[1]).await, [12_345]);
    assert!(bonuses_paid(&client, &submissions[2]).await.is_empty());
}

#[tokio::test]
async fn a_pay_whose_answer_is_lost_is_reported_unclear_and_not_sent_again() {
    let (server, client) = strict().await;
    let (study, submissions) = filled_study(&client).await;
    let rows = vec![(submissions[0].participant_id.clone().unwrap(), gbp(150))];
    let bonus = client.create_bonus_payments(&study, &rows).await.unwrap();
    assert_eq!(bonus.total_amount, 210);
    let before = balance(&client).await;

    // Prolific paid, and the answer never came.
    server.faults().inject(
        Fault::AnswerLost,
        FaultScope::route(PAY).method("POST"),
        Times::Next(1),
    );
    match client.pay_bulk_bonus(&bonus.id).await {
        Err(BonusError::PaymentUnclear {
            bulk_bonus_id,
            cause,
        }) => {
            assert_eq!(bulk_bonus_id, bonus.id);
            assert!(
                matches!(cause, ProlificError::Network(_) | ProlificError::Timeout(_)),
                "{cause:?}"
            );
        }
        other => panic!("expected an unclear payment, got {other:?}"),
    }
    assert!(server.faults().active().is_empty());
    // Paid exactly once: sent again, it would have paid twice.
    assert_eq!(balance(&client).await, (before.0 - 210, before.1 - 210));
    assert_eq!(bonuses_paid(&client, &submissions[0]).await, [150]);

    // What the caller finds decides; paying again does pay again.
    client.pay_bulk_bonus(&bonus.id).await.unwrap();
    assert_eq!(balance(&client).await, (before.0 - 420, before.1 - 420));
    assert_eq!(bonuses_paid(&client, &submissions[0]).await, [150, 150]);
}

#[tokio::test]
async fn a_pay_that_fails_unclearly_before_paying_is_reported_unclear_and_pays_nothing() {
    let (server, client) = strict().await;
    let (study, submissions) = filled_study(&client).await;
    let rows = vec![(submissions[0].participant_id.clone().unwrap(), gbp(150))];
    let bonus = client.create_bonus_payments(&study, &rows).await.unwrap();
    let before = balance(&client).await;
    for fault in [
        Fault::ServerError { status: 500 },
        Fault::ServerError { status: 503 },
        Fault::DropConnection,
    ] {
        server.faults().inject(
            fault.clone(),
            FaultScope::route(PAY).method("POST"),
            Times::Next(1),
        );
        let result = client.pay_bulk_bonus(&bonus.id).await;
        assert!(
            matches!(&result, Err(error) if error.code() == "bonus.payment_unclear"),
            "{fault:?}: {result:?}"
        );
        // One fault, used up by one request: had it been sent again, it would have paid.
        assert!(server.faults().active().is_empty(), "{fault:?}");
        assert_eq!(balance(&client).await, before, "{fault:?}");
        assert!(bonuses_paid(&client, &submissions[0]).await.is_empty());
    }

    // A rate limit proves nothing was done: retried, and paid once.
    server.faults().inject(
        Fault::RateLimited {
            retry_after_seconds: Some(1),
        },
        FaultScope::route(PAY).method("POST"),
        Times::Next(2),
    );
    client.pay_bulk_bonus(&bonus.id).await.unwrap();
    assert!(server.faults().active().is_empty());
    assert_eq!(balance(&client).await, (before.0 - 210, before.1 - 210));
    assert_eq!(bonuses_paid(&client, &submissions[0]).await, [150]);
}

#[tokio::test]
async fn a_pay_is_sent_once_whatever_the_unclear_failure_and_retried_after_a_429() {
    let server = TestServer::start(|seen, nth| match (seen.path.as_str(), nth) {
        ("/api/v1/bulk-bonus-payments/lost/pay/", _) => Reply::Json(
            500,
            json!({"error": {"status": 500, "error_code": 1, "title": "t", "detail": "oops"}}),
        ),
        ("/api/v1/bulk-bonus-payments/gateway/pay/", _) => {
            Reply::Raw(502, vec![("content-type", "text/html".into())], "<html>".into())
        }
        ("/api/v1/bulk-bonus-payments/busy/pay/", 0) => {
            Reply::Raw(429, vec![("retry-after", "2".into())], String::new())
        }
        ("/api/v1/bulk-bonus-payments/busy/pay/", _) => Reply::Json(202, json!("Paying.")),
        ("/api/v1/bulk-bonus-payments/short/pay/", _) => Reply::Json(
            400,
            json!({"error": {"status": 400, "error_code": 1, "title": "t", "detail": "Not enough funds."}}),
        ),
        _ => Reply::Json(404, json!({})),
    })
    .await;
    let (options, clock) = fast_options(5);
    let client = server.client(options);
    for id in ["lost", "gateway"] {
        let error = client.pay_bulk_bonus(id).await.unwrap_err();
        assert_eq!(error.code(), "bonus.payment_unclear", "{id}: {error:?}");
        assert!(
            matches!(&error, BonusError::PaymentUnclear { bulk_bonus_id, .. } if bulk_bonus_id == id),
            "{error:?}"
        );
        let path = format!("/api/v1/bulk-bonus-payments/{id}/pay/");
        assert_eq!(server.count("POST", &path), 1, "{id} is sent once");
    }
    assert_eq!(client.pay_bulk_bonus("busy").await.unwrap(), "Paying.");
    assert_eq!(
        server.count("POST", "/api/v1/bulk-bonus-payments/busy/pay/"),
        2
    );
    assert_eq!(clock.slept(), [Duration::from_secs(2)]);
    match client.pay_bulk_bonus("short").await {
        Err(BonusError::Prolific(ProlificError::Validation { detail, .. })) => {
            assert_eq!(detail.as_deref(), Some("Not enough funds."));
        }
        other => panic!("a refusal is a plain refusal: {other:?}"),
    }
    assert_eq!(
        server.count("POST", "/api/v1/bulk-bonus-payments/short/pay/"),
        1
    );
    // The id stays inside its path segment.
    let _ = client.pay_bulk_bonus("../../users/me").await;
    assert!(
        server
            .seen()
            .iter()
            .all(|seen| seen.path != "/api/v1/users/me/")
    );
}

#[tokio::test]
async fn bonuses_prolific_would_refuse_or_in_another_currency_pay_nothing() {
    let (server, client) = strict().await;
    let (study, submissions) = filled_study(&client).await;
    let before = balance(&client).await;
    let someone = submissions[0].participant_id.clone().unwrap();

    // A stranger's row is refused by Prolific (the practice server), by its number.
    let rows = vec![
        (someone.clone(), gbp(100)),
        ("64395e9c2332b8a59a65d51e".to_owned(), gbp(100)),
    ];
    match client.create_bonus_payments(&study, &rows).await {
        Err(BonusError::Prolific(ProlificError::Validation { detail, fields, .. })) => {
            assert_eq!(fields, ["csv_bonuses"]);
            let detail = detail.unwrap();
            assert!(
                detail.contains("Row 2 (64395e9c2332b8a59a65d51e)"),
                "{detail}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // Refused before anything is sent.
    let dollars = vec![(
        someone.clone(),
        BonusAmount::from_minor(150, "USD").unwrap(),
    )];
    match client.create_bonus_payments(&study, &dollars).await {
        Err(BonusError::CurrencyMismatch {
            study_currency,
            bonus_currency,
        }) => {
            assert_eq!(study_currency.as_deref(), Some("GBP"));
            assert_eq!(bonus_currency, "USD");
        }
        other => panic!("expected a currency mismatch, got {other:?}"),
    }
    let mixed = vec![(someone.clone(), gbp(150)), dollars[0].clone()];
    assert!(matches!(
        client.create_bonus_payments(&study, &mixed).await,
        Err(BonusError::CurrencyMismatch { .. })
    ));
    assert!(matches!(
        client.create_bonus_payments(&study, &[]).await,
        Err(BonusError::NoBonuses)
    ));
    let many = vec![(someone.clone(), gbp(1)); MOST_BONUSES_PER_REQUEST + 1];
    assert!(matches!(
        client.create_bonus_payments(&study, &many).await,
        Err(BonusError::TooManyBonuses { count: 201 })
    ));
    let injected = vec![(format!("{someone},1000.00\n{someone}"), gbp(1))];
    assert!(matches!(
        client.create_bonus_payments(&study, &injected).await,
        Err(BonusError::InvalidRecipient { .. })
    ));
    match client
        .create_bonus_payments("64395e9c2332b8a59a65d51e", &[(someone.clone(), gbp(1))])
        .await
    {
        Err(BonusError::Prolific(ProlificError::NotFound { .. })) => {}
        other => panic!("an unknown study is not found: {other:?}"),
    }

    // A bulk bonus the balance cannot cover is refused when paid, and pays nothing.
    let bonus = client
        .create_bonus_payments(&study, &[(someone, gbp(150))])
        .await
        .unwrap();
    let locked = before.0 - before.1;
    server.set_balance(locked + 209).unwrap();
    match client.pay_bulk_bonus(&bonus.id).await {
        Err(BonusError::Prolific(ProlificError::Validation { detail, .. })) => {
            assert!(detail.unwrap().contains("enough funds"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(balance(&client).await, (locked + 209, 209));
    assert!(bonuses_paid(&client, &submissions[0]).await.is_empty());
}

#[tokio::test]
async fn messages_to_one_several_and_a_group_are_sent_once_and_read_back() {
    let (server, client) = strict().await;
    let (study, submissions) = filled_study(&client).await;
    let people: Vec<String> = submissions
        .iter()
        .map(|submission| submission.participant_id.clone().unwrap())
        .collect();
    let group = client
        .create_participant_group(&NewParticipantGroup {
            workspace_id: workspace_id(),
            name: "Messaged".to_owned(),
            description: None,
            participant_ids: people[2..].to_vec(),
        })
        .await
        .unwrap();

    client
        .send_message(&people[0], &study, "Thank you for your care.")
        .await
        .unwrap();
    client
        .send_bulk_message(&study, &people[..2], "A bonus is on its way.")
        .await
        .unwrap();
    client
        .message_participant_group(&group.id, Some(&study), "A new study opens soon.")
        .await
        .unwrap();
    client
        .message_participant_group(&group.id, None, "Thank you all.")
        .await
        .unwrap();

    let researcher = client.users_me().await.unwrap().id;
    let first = client.messages_with(&people[0]).await.unwrap();
    let bodies: Vec<&str> = first.iter().map(|message| message.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["Thank you for your care.", "A bonus is on its way."]
    );
    for message in &first {
        assert_eq!(message.sender_id.as_deref(), Some(researcher.as_str()));
        assert_eq!(
            message.data.as_ref().unwrap().study_id.as_deref(),
            Some(study.as_str())
        );
        assert!(message.sent_at.is_some() && message.channel_id.is_some());
    }
    let member = client.messages_with(&people[3]).await.unwrap();
    assert_eq!(member.len(), 2);
    assert_eq!(member[1].body, "Thank you all.");
    assert_eq!(member[1].data.as_ref().unwrap().study_id, None);

    // Refusals name the field.
    match client.send_message(&people[0], &study, " ").await {
        Err(ProlificError::Validation { fields, .. }) => assert_eq!(fields, ["body"]),
        other => panic!("a blank message is refused: {other:?}"),
    }
    let stranger = "64395e9c2332b8a59a65d51e".to_owned();
    match client
        .send_bulk_message(&study, &[people[1].clone(), stranger.clone()], "Hello")
        .await
    {
        Err(ProlificError::Validation { fields, detail, .. }) => {
            assert_eq!(fields, ["ids"]);
            assert!(detail.unwrap().contains(&stranger));
        }
        other => panic!("an unknown participant is refused: {other:?}"),
    }
    assert_eq!(client.messages_with(&people[1]).await.unwrap().len(), 1);

    // A message whose answer is lost went once, and is not sent again.
    server.faults().inject(
        Fault::AnswerLost,
        FaultScope::route("/api/v1/messages/").method("POST"),
        Times::Next(1),
    );
    let lost = client
        .send_message(&people[1], &study, "Sent once.")
        .await
        .unwrap_err();
    assert!(
        matches!(lost, ProlificError::Network(_) | ProlificError::Timeout(_)),
        "{lost:?}"
    );
    let second = client.messages_with(&people[1]).await.unwrap();
    assert_eq!(
        second
            .iter()
            .filter(|message| message.body == "Sent once.")
            .count(),
        1
    );

    // Strict mode is on for these routes: a body the spec does not allow is refused
    // before the practice server reads it.
    let refused = reqwest::Client::new()
        .post(format!("{}/api/v1/messages/bulk/", server.base_url()))
        .header("Authorization", format!("Token {}", server.token()))
        .json(&json!({"ids": people[0], "body": "Hello", "study_id": study}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"]["detail"]["request"].is_array(), "{body}");
}
