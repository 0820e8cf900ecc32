//! Prolific's deprecation notices reach the researcher once per endpoint, ever: an
//! answer marked `Deprecation`/`Sunset` by the practice server (as Prolific marks an
//! endpoint it will retire) is told once, and not again, even after a restart.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use batchdesk_engine::api_notices;
use batchdesk_practice::PracticeConfig;
use serde_json::json;

#[tokio::test]
async fn a_deprecated_endpoint_is_told_once_and_not_again_after_a_restart() {
    let dir = batchdesk_test_support::temp_folder();
    let token = "engine-notices-token";
    let config = PracticeConfig {
        token: Some(token.to_owned()),
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    };
    let connections = support::practising(dir.path(), config.clone()).await;
    let (_, client) = connections.client().await.unwrap();
    assert!(
        api_notices::take_new(&connections)
            .await
            .unwrap()
            .is_empty()
    );

    deprecate_users_me(&client, token).await;
    client.users_me().await.unwrap();
    client.users_me().await.unwrap();

    let notices = api_notices::take_new(&connections).await.unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].endpoint, "GET /api/v1/users/me/");
    assert!(
        notices[0]
            .message
            .to_string()
            .contains("stops working after Wed, 01 Sep 2027"),
        "{notices:?}"
    );
    assert!(
        api_notices::take_new(&connections)
            .await
            .unwrap()
            .is_empty(),
        "told once"
    );

    // A new start (a new client that hears it again) does not tell it again.
    drop(client);
    drop(connections);
    let connections = support::practising(dir.path(), config).await;
    let (_, client) = connections.client().await.unwrap();
    deprecate_users_me(&client, token).await;
    client.users_me().await.unwrap();
    assert_eq!(client.warnings().len(), 1, "heard again");
    assert!(
        api_notices::take_new(&connections)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Has the practice server mark `users/me` as Prolific marks an endpoint it will retire.
async fn deprecate_users_me(client: &batchdesk_prolific::Client, token: &str) {
    let answer = reqwest::Client::new()
        .post(client.base().join("/_practice/faults"))
        .header("Authorization", format!("Token {token}"))
        .json(
            &json!({"fault": {"kind": "deprecated", "sunset": "Wed, 01 Sep 2027 00:00:00 GMT"},
                      "scope": {"route": "/api/v1/users/me/"}}),
        )
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "{}",
        answer.text().await.unwrap()
    );
}
