//! The client against the practice server, over real HTTP.

#![allow(clippy::unwrap_used)]

use batchdesk_practice::{PracticeConfig, PracticeServer};
use std::time::Duration;

use batchdesk_prolific::{ApiBase, ApiToken, Client, ClientOptions, ProlificError, RetryPolicy};

async fn client_for(server: &PracticeServer, token: &str) -> Client {
    Client::new(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(token),
    )
    .unwrap()
}

#[tokio::test]
async fn users_me_with_the_right_token() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let user = client_for(&server, server.token())
        .await
        .users_me()
        .await
        .unwrap();
    assert_eq!(user.email, "practice.researcher@example.org");
    assert_eq!(user.display_name(), "Practice Researcher");
}

#[tokio::test]
async fn a_wrong_token_is_an_invalid_token_error() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let error = client_for(&server, "not-the-token")
        .await
        .users_me()
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::InvalidToken), "{error:?}");
}

#[tokio::test]
async fn a_server_that_is_gone_is_a_network_error() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let options = ClientOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::with_options(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(server.token()),
        options,
    )
    .unwrap();
    server.shutdown().await;
    // Retried (nothing reached the server), then reported plainly.
    let error = client.users_me().await.unwrap_err();
    assert!(matches!(error, ProlificError::Network(_)), "{error:?}");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output_of_the_client() {
    let server = PracticeServer::start(PracticeConfig {
        token: Some(server_token_marker().into()),
        ..PracticeConfig::default()
    })
    .await
    .unwrap();
    let client = client_for(&server, server.token()).await;
    assert!(!format!("{client:?}").contains(server_token_marker()));
}

fn server_token_marker() -> &'static str {
    "tok-visible-marker-123"
}

#[tokio::test]
async fn the_practice_workspace_its_balance_and_projects() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let client = client_for(&server, server.token()).await;
    let workspaces = client.workspaces().await.unwrap();
    assert!(!workspaces.possibly_truncated);
    assert_eq!(workspaces.items.len(), 1);
    let workspace = &workspaces.items[0];
    assert_eq!(workspace.title, "Practice workspace");

    let balance = client.workspace_balance(&workspace.id).await.unwrap();
    assert_eq!(balance.currency_code, "GBP");
    assert!(balance.available_balance > 0);

    let before = client.projects(&workspace.id).await.unwrap().items;
    let created = client
        .create_project(&workspace.id, "Sentiment pilot")
        .await
        .unwrap();
    assert_eq!(created.title, "Sentiment pilot");
    let after = client.projects(&workspace.id).await.unwrap().items;
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&created));
    let fetched = client.workspace(&workspace.id).await.unwrap();
    assert!(fetched.projects.unwrap_or_default().contains(&created));
}

#[tokio::test]
async fn an_unknown_workspace_is_not_found_and_a_blank_title_is_refused() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let client = client_for(&server, server.token()).await;
    let error = client
        .workspace_balance("000000000000000000000000")
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    // An id can never escape its path segment.
    let error = client.workspace("../users/me").await.unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let error = client.create_project(&workspace.id, "").await.unwrap_err();
    match error {
        ProlificError::Validation { detail, .. } => {
            assert!(detail.unwrap_or_default().contains("title"))
        }
        other => panic!("{other:?}"),
    }
}
