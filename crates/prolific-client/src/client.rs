//! One HTTP client per destination, built once, with timeouts and a user agent.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::models::User;
use crate::{ApiBase, ApiToken, ProlificError};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// A client for one Prolific API (real or practice) and one token.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: ApiBase,
    authorization: HeaderValue,
}

impl Client {
    pub fn new(base: ApiBase, token: &ApiToken) -> Result<Self, ProlificError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .user_agent(concat!("Batchdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ProlificError::from_transport)?;
        let mut authorization = HeaderValue::from_str(&format!("Token {}", token.expose_secret()))
            .map_err(|_| ProlificError::InvalidToken)?;
        // Marks the header so that reqwest and hyper never print it.
        authorization.set_sensitive(true);
        Ok(Self {
            http,
            base,
            authorization,
        })
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// `GET /api/v1/users/me/`: who the token belongs to. The way to check a token.
    pub async fn users_me(&self) -> Result<User, ProlificError> {
        self.get_json("/api/v1/users/me/").await
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ProlificError> {
        let response = self
            .http
            .get(self.base.join(path))
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
            .map_err(ProlificError::from_transport)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .bytes()
            .await
            .map_err(ProlificError::from_transport)?;
        if !status.is_success() {
            return Err(ProlificError::from_answer(
                status.as_u16(),
                retry_after,
                &body,
            ));
        }
        serde_json::from_slice(&body).map_err(|error| ProlificError::Unexpected {
            status: status.as_u16(),
            detail: Some(error.to_string()),
        })
    }
}
