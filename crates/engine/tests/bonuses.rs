//! Bonuses against the practice server over real HTTP: set up (nothing paid), paid at
//! the confirmed total once whatever the clicks or lost answers, and a payment whose
//! outcome is unknown never paid again blindly (Prolific pays a set-up again each time
//! it is asked).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use batchdesk_engine::bonuses::{self, BonusRow, BonusesError};
use batchdesk_engine::connection::Connections;
use batchdesk_engine::wizard;
use batchdesk_practice::{Fault, PracticeConfig, PracticeWorkspace, Times};

const TOKEN: &str = "bonus-token";

/// A study of the reviews, filled (zero pace), published at its quote; its people.
async fn filled_study(dir: &Path) -> (Connections, String, Vec<String>) {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        return_share: 0.0,
        timeout_share: 0.0,
        workspace: PracticeWorkspace {
            balance: 1_000_000,
            ..PracticeWorkspace::default()
        },
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    let launched = support::publish(&connections).await;
    let (_, client) = connections.client().await.unwrap();
    let people = client
        .submissions(&launched.study_id, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|submission| submission.participant_id)
        .collect();
    (connections, launched.study_id, people)
}

async fn available(connections: &Connections) -> i64 {
    let (_, client) = connections.client().await.unwrap();
    let workspace = batchdesk_engine::account::workspaces(connections)
        .await
        .unwrap()
        .chosen
        .unwrap();
    client
        .workspace_balance(&workspace)
        .await
        .unwrap()
        .available_balance
}

fn top_three(people: &[String]) -> Vec<BonusRow> {
    people
        .iter()
        .take(3)
        .map(|person| BonusRow {
            participant_id: person.clone(),
            amount: 150,
        })
        .collect()
}

#[tokio::test]
async fn bonuses_are_paid_once_at_the_confirmed_total_however_often_pay_is_pressed() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id, people) = filled_study(dir.path()).await;
    let before = available(&connections).await;
    let quote = bonuses::set_up(&connections, &study_id, &top_three(&people))
        .await
        .unwrap();
    assert_eq!(quote.amount, 450, "£1.50 each, sent as 1.50 in major units");
    assert_eq!(quote.total, quote.amount + quote.fees + quote.vat);
    assert!(quote.fees > 0);
    assert_eq!(
        available(&connections).await,
        before,
        "setting up pays nothing"
    );
    assert_eq!(bonuses::pending(&connections, &study_id).unwrap().len(), 1);

    // A confirmation of another total pays nothing.
    let wrong = bonuses::pay(
        &connections,
        &study_id,
        &quote.bulk_bonus_id,
        quote.total - 1,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(wrong, BonusesError::TotalChanged { .. }),
        "{wrong:?}"
    );
    assert_eq!(available(&connections).await, before);

    let paid = bonuses::pay(&connections, &study_id, &quote.bulk_bonus_id, quote.total)
        .await
        .unwrap();
    assert!(!paid.already_paid);
    assert_eq!(paid.people, 3);
    let again = bonuses::pay(&connections, &study_id, &quote.bulk_bonus_id, quote.total)
        .await
        .unwrap();
    assert!(again.already_paid);
    assert_eq!(
        before - available(&connections).await,
        quote.total,
        "paid once"
    );
    assert!(
        bonuses::pending(&connections, &study_id)
            .unwrap()
            .is_empty()
    );
    // On each submission: the bonus, once.
    let (_, client) = connections.client().await.unwrap();
    for submission in client.submissions(&study_id, None).await.unwrap().items {
        let read = client.submission(&submission.id).await.unwrap();
        let expected: Vec<i64> =
            if people[..3].contains(submission.participant_id.as_ref().unwrap()) {
                vec![150]
            } else {
                Vec::new()
            };
        assert_eq!(read.bonus_payments.unwrap_or_default(), expected);
    }
}

#[tokio::test]
async fn a_payment_whose_answer_is_lost_is_found_paid_and_never_paid_twice() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id, people) = filled_study(dir.path()).await;
    let before = available(&connections).await;
    let quote = bonuses::set_up(&connections, &study_id, &top_three(&people))
        .await
        .unwrap();
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "POST",
        "/api/v1/bulk-bonus-payments/{id}/pay/",
        Times::Always,
    )
    .await;
    // Paid on the server, the answer lost: the submissions show it, so it is paid.
    let paid = bonuses::pay(&connections, &study_id, &quote.bulk_bonus_id, quote.total)
        .await
        .unwrap();
    assert_eq!(paid.people, 3);
    let again = bonuses::pay(&connections, &study_id, &quote.bulk_bonus_id, quote.total)
        .await
        .unwrap();
    assert!(again.already_paid);
    support::clear_faults(&connections, TOKEN).await;
    assert_eq!(
        before - available(&connections).await,
        quote.total,
        "paid once"
    );
}

#[tokio::test]
async fn a_payment_left_unclear_is_not_paid_again_until_its_bonuses_show() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id, people) = filled_study(dir.path()).await;
    let before = available(&connections).await;
    let quote = bonuses::set_up(&connections, &study_id, &top_three(&people))
        .await
        .unwrap();
    // The app was killed just after it noted "paying", before the call went out.
    let detail = serde_json::to_string(&quote).unwrap();
    connections
        .store()
        .journal_with(
            &format!("study/{study_id}"),
            "bonus",
            "paying",
            Some(&quote.bulk_bonus_id),
            &detail,
        )
        .unwrap();
    let pending = bonuses::pending(&connections, &study_id).unwrap();
    assert!(pending[0].unclear);
    let refused = bonuses::pay(&connections, &study_id, &quote.bulk_bonus_id, quote.total)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, BonusesError::PaymentUnclear),
        "{refused:?}"
    );
    assert_eq!(
        available(&connections).await,
        before,
        "nothing paid blindly"
    );

    // Set up again by the researcher (a new confirmation), it is paid once.
    let fresh = bonuses::set_up(&connections, &study_id, &top_three(&people))
        .await
        .unwrap();
    assert_ne!(fresh.bulk_bonus_id, quote.bulk_bonus_id);
    bonuses::pay(&connections, &study_id, &fresh.bulk_bonus_id, fresh.total)
        .await
        .unwrap();
    assert_eq!(before - available(&connections).await, fresh.total);
    // A set-up put aside is never paid from here.
    let aside = bonuses::set_up(&connections, &study_id, &top_three(&people))
        .await
        .unwrap();
    bonuses::put_aside(&connections, &study_id, &aside.bulk_bonus_id).unwrap();
    assert!(matches!(
        bonuses::pay(&connections, &study_id, &aside.bulk_bonus_id, aside.total).await,
        Err(BonusesError::UnknownSetUp)
    ));
}
