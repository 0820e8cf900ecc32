//! Faults switched on while the server runs, so a client's retry, back-off and recovery
//! paths can be rehearsed and tested against real HTTP: rate limits, server errors, slow
//! answers, connections dropped without an answer, answers lost after the change was made, upload URLs that expire early,
//! processing that ends in `ERROR`, export ZIPs not laid out as documented, and lists
//! that answer their first page whatever page is asked for.
//!
//! A fault is injected for a scope (a method and a route pattern) and a number of times.
//! The first fault that matches a request is used up by it; `clear` removes them all.
//! Tests use `PracticeServer::faults()`; the standalone binary takes the same JSON at
//! `POST /_practice/faults` (with the server's token), which no fault can block.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::IncomingStream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::ServerState;
use crate::error::ApiError;

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// `429 Too Many Requests` in Prolific's error shape, with a `Retry-After` header
    /// (whole seconds) when given; Prolific documents none, so clients must cope without.
    RateLimited { retry_after_seconds: Option<u64> },
    /// A server error: 500 in Prolific's error shape; 502, 503 and 504 with the plain
    /// HTML body a load balancer gives, which a client must not try to parse as JSON.
    ServerError { status: u16 },
    /// The answer comes this much later than it would have (then any other fault).
    Slow { delay_ms: u64 },
    /// The connection is closed without an answer.
    DropConnection,
    /// The request is carried out, then the connection is closed without its answer: a
    /// change that worked but whose answer was lost, which a client must find out about
    /// before it sends the change again.
    AnswerLost,
    /// Upload URLs handed out have already expired (`GET …/upload-url/{filename}`).
    ExpireUploadUrl,
    /// The processing a request starts ends in `ERROR` (the storage PUT of an upload, or
    /// `POST …/batches/{batch_id}/setup`).
    ProcessingError,
    /// The export ZIP that `POST …/batches/{batch_id}/export` makes is not laid out as
    /// Prolific documents it, so a client must find its files, or do without them.
    OddExport { shape: ExportShape },
    /// The answer comes as usual, marked with `Deprecation: true` and this `Sunset` date,
    /// as Prolific marks an endpoint it will retire.
    Deprecated { sunset: String },
    /// A list answers its first page whatever `page` asks for, as a server that does not
    /// page by number would: a client must not take what it read for the whole list.
    /// Used up only by requests that ask for a page.
    IgnorePage,
}

/// How an export ZIP departs from the documented layout (API-NOTES §4.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportShape {
    /// Every file in a folder, its name in upper case:
    /// `Batch export/RESPONSES-BY-TASK.JSONL`.
    InAFolder,
    /// No responses file, only `batch.json`.
    WithoutResponses,
    /// Cut off half way, as an interrupted transfer is: no longer a ZIP archive.
    Truncated,
    /// One character of `responses-by-task.jsonl` changed after the archive was written:
    /// it opens and its JSON still reads, but its checksum fails once read to the end.
    Damaged,
}

/// Which requests a fault applies to. `None` matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultScope {
    /// An HTTP method, e.g. `GET`.
    #[serde(default)]
    pub method: Option<String>,
    /// A path pattern: `{name}` matches one segment, a final `*` the rest, anything else
    /// itself, e.g. `/api/v1/data-collection/batches/{batch_id}` or `/practice-storage/*`.
    #[serde(default)]
    pub route: Option<String>,
}

impl FaultScope {
    /// Every request.
    pub fn any() -> Self {
        Self::default()
    }

    /// Requests whose path matches `pattern`, whatever their method.
    pub fn route(pattern: impl Into<String>) -> Self {
        Self {
            method: None,
            route: Some(pattern.into()),
        }
    }

    /// Narrows the scope to one method.
    #[must_use]
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method))
            && self
                .route
                .as_deref()
                .is_none_or(|pattern| path_matches(pattern, path))
    }
}

/// How many requests a fault affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Times {
    /// Until cleared.
    Always,
    /// The next `n` matching requests.
    Next(u32),
}

/// One injected fault, as `GET /_practice/faults` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    pub fault: Fault,
    #[serde(default)]
    pub scope: FaultScope,
    #[serde(default = "always")]
    pub times: Times,
}

fn always() -> Times {
    Times::Always
}

/// The faults in force. Shared by the server and its handle.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    /// Adds a fault for the requests in `scope`, `times` over.
    pub fn inject(&self, fault: Fault, scope: FaultScope, times: Times) {
        self.rules().push(FaultRule {
            fault,
            scope,
            times,
        });
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.rules().clear();
    }

    /// The faults still in force, in the order they were injected.
    pub fn active(&self) -> Vec<FaultRule> {
        self.rules().clone()
    }

    fn rules(&self) -> MutexGuard<'_, Vec<FaultRule>> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Uses up the first fault matching the request that `wanted` picks, if any.
    fn take(&self, method: &str, path: &str, wanted: impl Fn(&Fault) -> bool) -> Option<Fault> {
        let mut rules = self.rules();
        let index = rules
            .iter()
            .position(|rule| wanted(&rule.fault) && rule.scope.matches(method, path))?;
        let fault = rules[index].fault.clone();
        match &mut rules[index].times {
            Times::Always => {}
            Times::Next(left) if *left > 1 => *left -= 1,
            Times::Next(_) => {
                rules.remove(index);
            }
        }
        Some(fault)
    }
}

/// `{name}` matches one non-empty segment, a final `*` the rest (possibly nothing).
fn path_matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (Some("*"), _) => return wanted.next().is_none(),
            (Some(segment), Some(actual))
                if segment == actual
                    || (segment.starts_with('{')
                        && segment.ends_with('}')
                        && !actual.is_empty()) => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Effects a handler must carry out itself, handed to it as a request extension.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Injected {
    pub(crate) expire_upload_url: bool,
    pub(crate) processing_error: bool,
    pub(crate) odd_export: Option<ExportShape>,
}

impl Injected {
    /// What the request's extension says; nothing when there is none.
    pub(crate) fn of(extension: Option<axum::Extension<Self>>) -> Self {
        extension
            .map(|axum::Extension(injected)| injected)
            .unwrap_or_default()
    }
}

const UPLOAD_URL_ROUTE: &str =
    "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}";
const SETUP_ROUTE: &str = "/api/v1/data-collection/batches/{batch_id}/setup";
const STORAGE_ROUTE: &str = "/practice-storage/*";
const EXPORT_ROUTE: &str = "/api/v1/data-collection/batches/{batch_id}/export";

/// The middleware in front of the API and the storage route.
pub(crate) async fn apply(
    State(state): State<Arc<ServerState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let faults = &state.faults;

    if let Some(Fault::Slow { delay_ms }) =
        faults.take(&method, &path, |fault| matches!(fault, Fault::Slow { .. }))
    {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    let answered = faults.take(&method, &path, |fault| {
        matches!(
            fault,
            Fault::RateLimited { .. } | Fault::ServerError { .. } | Fault::DropConnection
        )
    });
    match answered {
        Some(Fault::RateLimited {
            retry_after_seconds,
        }) => return rate_limited(retry_after_seconds),
        Some(Fault::ServerError { status }) => return server_error(status, &path),
        Some(Fault::DropConnection) => {
            if let Some(ConnectInfo(connection)) =
                request.extensions().get::<ConnectInfo<Connection>>()
            {
                connection.sever();
            }
            // Never reaches the client: the connection's writes now fail, and hyper
            // closes it.
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        _ => {}
    }

    if method == "GET"
        && asks_for_a_page(&request)
        && faults
            .take(&method, &path, |fault| *fault == Fault::IgnorePage)
            .is_some()
    {
        forget_the_page(&mut request);
    }

    let honours = |route: &str| path_matches(route, &path);
    let injected = Injected {
        expire_upload_url: method == "GET"
            && honours(UPLOAD_URL_ROUTE)
            && faults
                .take(&method, &path, |fault| *fault == Fault::ExpireUploadUrl)
                .is_some(),
        processing_error: ((method == "PUT" && honours(STORAGE_ROUTE))
            || (method == "POST" && honours(SETUP_ROUTE)))
            && faults
                .take(&method, &path, |fault| *fault == Fault::ProcessingError)
                .is_some(),
        odd_export: (method == "POST" && honours(EXPORT_ROUTE))
            .then(|| odd_export(faults, &method, &path))
            .flatten(),
    };
    request.extensions_mut().insert(injected);
    let deprecated = faults.take(&method, &path, |fault| {
        matches!(fault, Fault::Deprecated { .. })
    });
    let answer_lost = faults
        .take(&method, &path, |fault| *fault == Fault::AnswerLost)
        .is_some();
    let connection = request
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .map(|ConnectInfo(connection)| connection.clone());
    let mut response = next.run(request).await;
    if answer_lost && let Some(connection) = connection {
        connection.sever();
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if let Some(Fault::Deprecated { sunset }) = deprecated
        && let Ok(sunset) = HeaderValue::from_str(&sunset)
    {
        let headers = response.headers_mut();
        headers.insert("deprecation", HeaderValue::from_static("true"));
        headers.insert("sunset", sunset);
    }
    response
}

/// Uses up the first export fault matching the request, if any.
fn odd_export(faults: &Faults, method: &str, path: &str) -> Option<ExportShape> {
    match faults.take(method, path, |fault| {
        matches!(fault, Fault::OddExport { .. })
    })? {
        Fault::OddExport { shape } => Some(shape),
        _ => None,
    }
}

fn asks_for_a_page(request: &Request) -> bool {
    request
        .uri()
        .query()
        .is_some_and(|query| query.split('&').any(|pair| pair.starts_with("page=")))
}

/// Drops `page` from the request's query, so the list answers its first page.
fn forget_the_page(request: &mut Request) {
    let uri = request.uri();
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.starts_with("page="))
        .collect();
    let rewritten = if kept.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{}", uri.path(), kept.join("&"))
    };
    match rewritten.parse() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(error) => tracing::warn!(%error, "could not drop the page of a request"),
    }
}

fn rate_limited(retry_after_seconds: Option<u64>) -> Response {
    let mut response = ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        error_code: 140_429,
        title: "Too many requests",
        detail: json!("Request was throttled."),
    }
    .into_response();
    if let Some(seconds) = retry_after_seconds {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn server_error(status: u16, path: &str) -> Response {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(StatusCode::is_server_error)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if path.starts_with(crate::presign::STORAGE_PREFIX) {
        return crate::error::s3_error(
            status,
            if status == StatusCode::SERVICE_UNAVAILABLE {
                "SlowDown"
            } else {
                "InternalError"
            },
            "We encountered an internal error. Please try again.",
        );
    }
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        return ApiError {
            status,
            error_code: 140_500,
            title: "Internal server error",
            detail: json!("Something went wrong on our side. Please try again."),
        }
        .into_response();
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n",
        code = status.as_u16()
    );
    (status, [(CONTENT_TYPE, "text/html")], Body::from(html)).into_response()
}

// --- the admin route ---------------------------------------------------------------------

/// `GET /_practice/faults`: the faults in force.
pub(crate) async fn list(State(state): State<Arc<ServerState>>) -> Json<Vec<FaultRule>> {
    Json(state.faults.active())
}

/// `POST /_practice/faults` with a `FaultRule`: 201 with the faults in force.
pub(crate) async fn add(
    State(state): State<Arc<ServerState>>,
    body: Result<Json<FaultRule>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Vec<FaultRule>>), ApiError> {
    let Json(rule) = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    state.faults.inject(rule.fault, rule.scope, rule.times);
    Ok((StatusCode::CREATED, Json(state.faults.active())))
}

/// `DELETE /_practice/faults`: 204, no faults left.
pub(crate) async fn clear(State(state): State<Arc<ServerState>>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

// --- dropping a connection -----------------------------------------------------------------

/// The loopback listener. Each connection it accepts can be severed by the request it
/// carries, which is how a fault closes a connection without an answer.
pub(crate) struct SeverableListener(pub(crate) TcpListener);

impl axum::serve::Listener for SeverableListener {
    type Io = SeverableStream;
    type Addr = Connection;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, remote)) => {
                    let severed = Arc::new(AtomicBool::new(false));
                    return (
                        SeverableStream {
                            inner: stream,
                            severed: Arc::clone(&severed),
                        },
                        Connection { remote, severed },
                    );
                }
                // Out of file descriptors and the like: back off a moment, as axum does.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Connection {
            remote: self.0.local_addr()?,
            severed: Arc::new(AtomicBool::new(false)),
        })
    }
}

/// One accepted connection, seen by its requests through `ConnectInfo`.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    remote: SocketAddr,
    severed: Arc<AtomicBool>,
}

impl Connection {
    fn sever(&self) {
        tracing::info!(remote = %self.remote, "dropping a connection (injected fault)");
        self.severed.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, SeverableListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, SeverableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A TCP stream whose reads and writes fail once severed, so hyper drops it (closing the
/// socket) before any byte of the answer is written.
pub(crate) struct SeverableStream {
    inner: TcpStream,
    severed: Arc<AtomicBool>,
}

impl SeverableStream {
    fn check(&self) -> io::Result<()> {
        if self.severed.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "dropped by an injected fault",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for SeverableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_read(context, buffer)
    }
}

impl AsyncWrite for SeverableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_write(context, buffer)
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_flush(context)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segments_placeholders_and_a_trailing_star() {
        let batch = "/api/v1/data-collection/batches/{batch_id}";
        assert!(path_matches(batch, "/api/v1/data-collection/batches/abc"));
        assert!(!path_matches(
            batch,
            "/api/v1/data-collection/batches/abc/status"
        ));
        assert!(!path_matches(batch, "/api/v1/data-collection/batches/"));
        assert!(path_matches(
            "/practice-storage/*",
            "/practice-storage/a/b/c.csv"
        ));
        assert!(path_matches("/api/v1/*", "/api/v1/users/me/"));
        assert!(!path_matches("/api/v1/users/me/", "/api/v1/users/me"));
    }

    #[test]
    fn a_fault_is_used_up_after_its_times_and_scopes_are_honoured() {
        let faults = Faults::default();
        faults.inject(
            Fault::DropConnection,
            FaultScope::route("/a/{id}").method("get"),
            Times::Next(2),
        );
        faults.inject(Fault::ExpireUploadUrl, FaultScope::any(), Times::Always);
        let any = |_: &Fault| true;
        assert_eq!(
            faults.take("POST", "/a/1", any),
            Some(Fault::ExpireUploadUrl)
        );
        assert_eq!(faults.take("GET", "/a/1", any), Some(Fault::DropConnection));
        assert_eq!(faults.take("GET", "/a/2", any), Some(Fault::DropConnection));
        assert_eq!(
            faults.take("GET", "/a/3", any),
            Some(Fault::ExpireUploadUrl)
        );
        assert_eq!(faults.active().len(), 1);
        faults.clear();
        assert_eq!(faults.take("GET", "/a/3", any), None);
    }

    #[test]
    fn rules_read_from_json_as_the_admin_route_takes_them() {
        let rule: FaultRule = serde_json::from_value(json!({
            "fault": {"kind": "rate_limited", "retry_after_seconds": 3},
            "scope": {"method": "GET", "route": "/api/v1/users/me/"},
            "times": {"next": 1}
        }))
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            rule.fault,
            Fault::RateLimited {
                retry_after_seconds: Some(3)
            }
        );
        assert_eq!(rule.times, Times::Next(1));
        let bare: FaultRule = serde_json::from_value(json!({"fault": {"kind": "drop_connection"}}))
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(bare.scope, FaultScope::any());
        assert_eq!(bare.times, Times::Always);
        let export: FaultRule = serde_json::from_value(json!({
            "fault": {"kind": "odd_export", "shape": "in_a_folder"}
        }))
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            export.fault,
            Fault::OddExport {
                shape: ExportShape::InAFolder
            }
        );
    }
}
