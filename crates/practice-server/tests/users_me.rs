//! The practice server over real HTTP: token checks and the error shape.

#![allow(clippy::unwrap_used)]

use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_test_support::practice;
use serde_json::Value;

async fn get(server: &PracticeServer, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", server.base_url()));
    if let Some(token) = token {
        request = request.header("Authorization", format!("Token {token}"));
    }
    practice::send(request).await
}

#[tokio::test]
async fn users_me_answers_the_practice_researcher_for_the_right_token() {
    let server = practice::start(PracticeConfig::default()).await;
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    let (status, body) = get(&server, "/api/v1/users/me/", Some(server.token())).await;
    assert_eq!(status, 200);
    assert_eq!(body["email"], "practice.researcher@example.org");
    assert_eq!(
        body["id"].as_str().unwrap().len(),
        24,
        "core ids are 24-hex ObjectIds"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_or_missing_token_gets_prolifics_401_shape() {
    let server = practice::start(PracticeConfig {
        token: Some("right-token".into()),
        ..PracticeConfig::default()
    })
    .await;
    for token in [Some("wrong-token"), None, Some("")] {
        let (status, body) = get(&server, "/api/v1/users/me/", token).await;
        assert_eq!(status, 401, "token {token:?}");
        assert_eq!(body["error"]["status"], 401);
        assert!(body["error"]["error_code"].is_u64());
        assert!(body["error"]["title"].is_string());
        assert!(body["error"]["detail"].is_string());
    }
}

#[tokio::test]
async fn unknown_paths_are_404_in_prolifics_shape() {
    let server = practice::start(PracticeConfig::default()).await;
    let (status, body) = get(&server, "/api/v1/nothing-here/", Some(server.token())).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["status"], 404);
}

#[tokio::test]
async fn shutting_down_closes_the_port() {
    let server = practice::start(PracticeConfig::default()).await;
    let address = server.address();
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}
