//! A small scriptable HTTP server for tests: each request is recorded, and a script
//! decides the answer from the request and how many times its method and path were
//! called before, including faults (error statuses, dropped connections, no answer).

#![allow(dead_code, clippy::unwrap_used)]

pub mod practice;
pub mod proxy;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use batchdesk_prolific::{ApiBase, ApiToken, Client, ClientOptions, Clock, RetryPolicy};
use futures_util::StreamExt;
use serde_json::Value;

pub const TOKEN: &str = "test-token-5f1c2b";

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// What to answer.
pub enum Reply {
    Json(u16, Value),
    /// A status with headers and a text body.
    Raw(u16, Vec<(&'static str, String)>, String),
    /// Headers announcing `length` bytes, then `sent` bytes, then the connection drops.
    DropAfter {
        length: u64,
        sent: Vec<u8>,
    },
    /// Headers announcing `length` bytes, then `sent` bytes, then nothing more.
    StallAfter {
        length: u64,
        sent: Vec<u8>,
    },
    /// A body that never arrives, so the client's timeout fires.
    Hang,
}

type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

#[derive(Clone)]
struct State {
    seen: Arc<Mutex<Vec<Seen>>>,
    counts: Arc<Mutex<HashMap<(Method, String), usize>>>,
    script: Arc<Script>,
}

pub struct TestServer {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let state = State {
            seen: Arc::default(),
            counts: Arc::default(),
            script: Arc::new(script),
        };
        let seen = Arc::clone(&state.seen);
        let app = Router::new().fallback(handle).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url,
            seen,
            _task: task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str, path: &str) -> usize {
        self.seen()
            .iter()
            .filter(|seen| seen.method == method && seen.path == path)
            .count()
    }

    pub fn client(&self, options: ClientOptions) -> Client {
        Client::with_options(
            ApiBase::parse(&self.base_url).unwrap(),
            &ApiToken::new(TOKEN),
            options,
        )
        .unwrap()
    }
}

async fn handle(
    axum::extract::State(state): axum::extract::State<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method: method.clone(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body,
    };
    let nth = {
        let mut counts = state.counts.lock().unwrap();
        let count = counts.entry((method, seen.path.clone())).or_default();
        *count += 1;
        *count - 1
    };
    state.seen.lock().unwrap().push(seen.clone());
    match (state.script)(&seen, nth) {
        Reply::Json(status, value) => Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Body::from(value.to_string()))
            .unwrap(),
        Reply::Raw(status, headers, body) => {
            let mut response = Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            response.body(Body::from(body)).unwrap()
        }
        Reply::DropAfter { length, sent } => {
            let stream = futures_util::stream::iter([
                Ok::<_, std::io::Error>(Bytes::from(sent)),
                Err(std::io::Error::other("dropped on purpose")),
            ]);
            Response::builder()
                .status(StatusCode::OK)
                .header("content-length", length)
                .body(Body::from_stream(stream))
                .unwrap()
        }
        Reply::StallAfter { length, sent } => {
            let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(sent))])
                .chain(futures_util::stream::pending());
            Response::builder()
                .status(StatusCode::OK)
                .header("content-length", length)
                .body(Body::from_stream(stream))
                .unwrap()
        }
        Reply::Hang => {
            let stream = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
            Response::builder()
                .status(StatusCode::OK)
                .body(Body::from_stream(stream))
                .unwrap()
        }
    }
}

/// A clock whose sleeps return at once and are recorded, and whose time advances by
/// them: retry waits and budgets are checked without waiting.
#[derive(Debug, Default)]
pub struct RecordingClock {
    slept: Mutex<Vec<Duration>>,
    now: Mutex<Duration>,
}

impl RecordingClock {
    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
        self.slept.lock().unwrap().push(duration);
        *self.now.lock().unwrap() += duration;
        Box::pin(std::future::ready(()))
    }
}

/// Options with a recording clock, small backoff and `attempts` attempts.
pub fn fast_options(attempts: u32) -> (ClientOptions, Arc<RecordingClock>) {
    let clock = Arc::new(RecordingClock::default());
    let options = ClientOptions {
        retry: RetryPolicy {
            max_attempts: attempts,
            max_elapsed: Duration::from_secs(600),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
        },
        total_timeout: Duration::from_secs(10),
        clock: Arc::clone(&clock) as Arc<dyn Clock>,
        ..ClientOptions::default()
    };
    (options, clock)
}

pub fn user() -> Value {
    serde_json::json!({"id": "6a3f0c2b9e1d4a5b6c7d8e9f", "email": "r@example.org"})
}
