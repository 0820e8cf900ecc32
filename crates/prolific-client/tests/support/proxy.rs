//! A proxy in front of a practice server that can lose an answer *after* the server
//! acted on the request, which the server's own faults (applied before the handler)
//! cannot: a 500 or a dropped connection in place of a committed create or transition.
//! This is the case where blindly sending a POST again would duplicate what it made.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

/// How the answer is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lost {
    /// Prolific's 500 error shape.
    ServerError,
    /// The status line and headers arrive, then the connection closes mid-body.
    Dropped,
}

struct Rule {
    method: Method,
    pattern: String,
    lost: Lost,
    left: usize,
}

#[derive(Clone)]
struct State {
    upstream: String,
    http: reqwest::Client,
    rules: Arc<Mutex<Vec<Rule>>>,
    seen: Arc<Mutex<Vec<(Method, String)>>>,
}

pub struct AfterCommitProxy {
    pub base_url: String,
    state: State,
    _task: tokio::task::JoinHandle<()>,
}

impl AfterCommitProxy {
    pub async fn start(upstream: &str) -> Self {
        let state = State {
            upstream: upstream.to_owned(),
            http: reqwest::Client::new(),
            rules: Arc::default(),
            seen: Arc::default(),
        };
        let app = Router::new().fallback(forward).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url,
            state,
            _task: task,
        }
    }

    /// The next `times` requests of `method` to a path matching `pattern` (`{x}` is any
    /// one segment) are forwarded, and then their answer is lost.
    pub fn lose_answer(&self, method: &str, pattern: &str, lost: Lost, times: usize) {
        self.state.rules.lock().unwrap().push(Rule {
            method: method.parse().unwrap(),
            pattern: pattern.to_owned(),
            lost,
            left: times,
        });
    }

    /// How many requests of `method` to paths matching `pattern` came through.
    pub fn count(&self, method: &str, pattern: &str) -> usize {
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(seen, path)| seen == method && matches(pattern, path))
            .count()
    }
}

fn matches(pattern: &str, path: &str) -> bool {
    let wanted: Vec<&str> = pattern.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    wanted.len() == given.len()
        && wanted.iter().zip(&given).all(|(wanted, given)| {
            wanted == given || (wanted.starts_with('{') && !given.is_empty())
        })
}

async fn forward(
    axum::extract::State(state): axum::extract::State<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    state
        .seen
        .lock()
        .unwrap()
        .push((method.clone(), path.clone()));
    let target = format!(
        "{}{}",
        state.upstream,
        uri.path_and_query().map_or("/", |whole| whole.as_str())
    );
    let mut request = state
        .http
        .request(method.as_str().parse().unwrap(), target)
        .body(body);
    for name in ["authorization", "content-type"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.as_bytes());
        }
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned());
    let bytes = answer.bytes().await.unwrap();

    let lost = {
        let mut rules = state.rules.lock().unwrap();
        let found = rules
            .iter_mut()
            .find(|rule| rule.left > 0 && rule.method == method && matches(&rule.pattern, &path));
        found.map(|rule| {
            rule.left -= 1;
            rule.lost
        })
    };
    match lost {
        Some(Lost::ServerError) => Response::builder()
            .status(500)
            .header("content-type", "application/json")
            .body(Body::from(
                r#"{"error":{"status":500,"error_code":140500,"title":"Internal server error","detail":"Something went wrong on our side."}}"#,
            ))
            .unwrap(),
        Some(Lost::Dropped) => {
            let stream = futures_util::stream::iter([Err::<Bytes, _>(std::io::Error::other(
                "dropped after the server acted",
            ))]);
            Response::builder()
                .status(status)
                .header("content-length", bytes.len().max(1))
                .body(Body::from_stream(stream))
                .unwrap()
        }
        None => {
            let mut response = Response::builder().status(status);
            if let Some(content_type) = content_type {
                response = response.header("content-type", content_type);
            }
            response.body(Body::from(bytes)).unwrap()
        }
    }
}
