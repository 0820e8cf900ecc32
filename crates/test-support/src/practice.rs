//! The practice server for tests: configurations every suite uses, starting it on a free
//! loopback port, and calling it (its API and its `/_practice/` controls) over real HTTP
//! with its token.

use std::sync::Arc;
use std::time::Duration;

use batchdesk_practice::{Fault, FaultScope, PracticeConfig, PracticeServer, RequestCheck, Times};
use serde_json::{Value, json};

/// A server whose processing finishes, and whose studies fill, by the next read.
pub fn instant() -> PracticeConfig {
    PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        ..PracticeConfig::default()
    }
}

/// `config` in strict mode: the practice server refuses (and logs) any request whose body
/// does not fit the spec's request schema, so a request the real API would refuse fails
/// the test that made it.
pub fn strict(config: PracticeConfig) -> PracticeConfig {
    PracticeConfig {
        request_check: Some(RequestCheck(Arc::new(|method, template, body| {
            batchdesk_openapi_contract::request_problems(method, template, body)
        }))),
        ..config
    }
}

/// The server started with `config`, on a free loopback port unless `config.port` names
/// one; it stops when dropped.
pub async fn start(config: PracticeConfig) -> PracticeServer {
    PracticeServer::start(config)
        .await
        .expect("the practice server starts")
}

/// A practice server's address and token: what a test needs to call it over HTTP.
#[derive(Debug, Clone)]
pub struct PracticeHttp {
    base_url: String,
    token: String,
    client: reqwest::Client,
}

impl PracticeHttp {
    /// The server at `base_url` (without a trailing slash or with one), called with `token`.
    pub fn new(base_url: &str, token: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            client: reqwest::Client::new(),
        }
    }

    /// The server `server`, called with its token.
    pub fn of(server: &PracticeServer) -> Self {
        Self::new(&server.base_url(), server.token())
    }

    /// The address of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A client for requests that choose their own headers (a presigned upload, a call
    /// without the token).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `request` with the server's token, as Prolific takes it.
    pub fn with_token(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header("Authorization", format!("Token {}", self.token))
    }

    /// `method` on `path` with the token and, when given, a JSON body; the status and the
    /// answer (see [`answer_json`]).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let request = self.with_token(self.client.request(method, self.url(path)));
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        send(request).await
    }

    /// As [`Self::call`], failing the test unless the answer is a success; the answer.
    pub async fn ok(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Value {
        let (status, answer) = self.call(method, path, body).await;
        assert!((200..300).contains(&status), "{path}: {status} {answer}");
        answer
    }

    /// Injects `fault` through the admin route, for `times` requests matching `method`
    /// and `route`.
    pub async fn inject_fault(&self, fault: Fault, method: &str, route: &str, times: Times) {
        let scope = FaultScope::route(route).method(method);
        let rule = json!({"fault": fault, "scope": scope, "times": times});
        self.ok(reqwest::Method::POST, "/_practice/faults", Some(&rule))
            .await;
    }

    /// Clears every fault through the admin route.
    pub async fn clear_faults(&self) {
        self.ok(reqwest::Method::DELETE, "/_practice/faults", None)
            .await;
    }
}

/// Sends `request`; the status and the answer (see [`answer_json`]).
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the practice server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("the answer is read");
    (status, answer_json(&text))
}

/// An answer's body: `null` when empty, its JSON, else its text as a JSON string (the
/// storage's XML, a load balancer's HTML).
pub fn answer_json(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
    }
}
