//! The client against the practice server, over real HTTP.

#![allow(clippy::unwrap_used)]

use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::{ApiBase, ApiToken, Client, ProlificError};

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
    let client = client_for(&server, server.token()).await;
    server.shutdown().await;
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
