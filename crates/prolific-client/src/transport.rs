//! Every request, to Prolific or to its file storage, goes through here: timeouts,
//! retries with backoff and `Retry-After`, and deprecation notes live in one place so
//! that no call can forget them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};

use crate::ProlificError;

/// How hard to try before giving up. Retries wait with exponential backoff and full
/// jitter (a random wait between zero and the current cap), so that many clients that
/// failed together do not come back together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 means never retry.
    pub max_attempts: u32,
    /// The time budget for all attempts and the waits between them.
    pub max_elapsed: Duration,
    /// The cap of the first wait; it doubles with each retry.
    pub base_delay: Duration,
    /// The cap never grows beyond this.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the call fails at once with
    /// [`ProlificError::RateLimited`] carrying the wait, for the app to schedule.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The random wait before retry number `retry` (1 for the first retry).
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2_u32.saturating_pow(retry.saturating_sub(1));
        let cap = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=cap_nanos))
    }
}

/// Where retry waits happen and elapsed time is read. The real one uses tokio's timer;
/// tests inject one that records each wait and returns at once.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Time since some fixed origin; only differences matter.
    fn now(&self) -> Duration;
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
}

/// Tokio's monotonic clock (so tokio's paused time applies in tests too).
#[derive(Debug)]
pub struct TokioClock {
    origin: tokio::time::Instant,
}

impl Default for TokioClock {
    fn default() -> Self {
        Self {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Whether a request may be sent again after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Reads, status polls and the presigned PUT: repeating them changes nothing.
    Idempotent,
    /// A POST that creates something: repeated only when the failure proves the server
    /// did nothing (it could not be reached, or it answered 429).
    Create,
}

/// Why one attempt failed, before it becomes a [`ProlificError`] (API) or a transfer
/// error (storage), which read error bodies differently.
#[derive(Debug)]
pub(crate) enum Failure {
    Transport(reqwest::Error),
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
        body: Bytes,
    },
}

impl Failure {
    /// The failure as Prolific's API error.
    pub(crate) fn into_api_error(self) -> ProlificError {
        match self {
            Self::Transport(error) => ProlificError::from_transport(error),
            Self::Status {
                status,
                retry_after,
                body,
            } => ProlificError::from_answer(status.as_u16(), retry_after, &body),
        }
    }

    /// Whether the server may have acted on the request although the answer is a
    /// failure: a timeout, a dropped connection or a 5xx.
    pub(crate) fn is_ambiguous(&self) -> bool {
        match self {
            // reqwest reports a body that stopped arriving as a decode error; JSON is
            // decoded by serde after the transport, so here it means a lost answer.
            Self::Transport(error) => !(error.is_connect() || error.is_builder()),
            Self::Status { status, .. } => status.is_server_error(),
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            Self::Transport(_) => None,
        }
    }

    /// Whether sending again is safe and may help.
    fn is_retryable(&self, safety: Safety) -> bool {
        match self {
            // Nothing reached the server.
            Self::Transport(error) if error.is_connect() => true,
            Self::Transport(error) if error.is_builder() => false,
            // A timeout or a dropped connection: the server may have acted.
            Self::Transport(_) => safety == Safety::Idempotent,
            Self::Status { status, .. } => match status.as_u16() {
                429 => true,
                500 | 502 | 503 | 504 => safety == Safety::Idempotent,
                _ => false,
            },
        }
    }
}

/// A deprecation notice Prolific sent with an answer (RFC 8594 / RFC 9745 headers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiWarning {
    /// The method and path (never the query) of the call that was answered so.
    pub endpoint: String,
    /// The `Deprecation` header: `true`, a date, or `@<unix seconds>`.
    pub deprecation: Option<String>,
    /// The `Sunset` header: when the endpoint stops working.
    pub sunset: Option<String>,
}

impl fmt::Display for ApiWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Prolific has deprecated {}", self.endpoint)?;
        match &self.sunset {
            Some(sunset) => write!(f, "; it stops working after {sunset}."),
            None => f.write_str("; it may stop working in a future update."),
        }
    }
}

/// The HTTP clients and the retry policy, shared by clones of a client.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    /// For Prolific's API, with a total timeout per request.
    pub(crate) api: reqwest::Client,
    /// For presigned storage URLs: never given the token, and with an idle (read)
    /// timeout rather than a total one, as a large file may take long but never stalls.
    pub(crate) storage: reqwest::Client,
    pub(crate) policy: RetryPolicy,
    pub(crate) clock: Arc<dyn Clock>,
    warnings: Arc<Mutex<Vec<ApiWarning>>>,
}

/// Timeouts and retries of a [`crate::Client`].
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// The whole of one API request, answer included.
    pub total_timeout: Duration,
    /// The longest a storage transfer may go without a byte moving.
    pub transfer_idle_timeout: Duration,
    pub retry: RetryPolicy,
    pub clock: Arc<dyn Clock>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            transfer_idle_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            clock: Arc::new(TokioClock::default()),
        }
    }
}

const USER_AGENT: &str = concat!("Batchdesk/", env!("CARGO_PKG_VERSION"));

impl Transport {
    pub(crate) fn new(options: ClientOptions) -> Result<Self, ProlificError> {
        let api = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.total_timeout)
            .user_agent(USER_AGENT)
            .build()
            .map_err(ProlificError::from_transport)?;
        let storage = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .read_timeout(options.transfer_idle_timeout)
            .user_agent(USER_AGENT)
            // A presigned URL is final: a redirect could only lead somewhere unintended.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ProlificError::from_transport)?;
        Ok(Self {
            api,
            storage,
            policy: options.retry,
            clock: options.clock,
            warnings: Arc::default(),
        })
    }

    pub(crate) fn retry_state(&self) -> RetryState<'_> {
        RetryState {
            policy: &self.policy,
            clock: self.clock.as_ref(),
            started: self.clock.now(),
            attempts: 0,
        }
    }

    /// Sends one request and turns an error status into a [`Failure`] (reading its body).
    /// A successful answer is returned unread, for the caller to stream or collect.
    pub(crate) async fn send_once(&self, request: RequestBuilder) -> Result<Response, Failure> {
        let (client, request) = request.build_split();
        let request = request.map_err(|error| Failure::Transport(error.without_url()))?;
        // The path only: a presigned URL's query is its signature.
        let endpoint = format!("{} {}", request.method(), request.url().path());
        tracing::debug!(%endpoint, "sending");
        let response = client.execute(request).await.map_err(|error| {
            let error = error.without_url();
            tracing::debug!(%endpoint, %error, "request failed");
            Failure::Transport(error)
        })?;
        let status = response.status();
        tracing::debug!(%endpoint, status = status.as_u16(), "answered");
        self.note_deprecation(&endpoint, response.headers());
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = retry_after(response.headers(), SystemTime::now());
        let body = error_body(response).await?;
        Err(Failure::Status {
            status,
            retry_after,
            body,
        })
    }

    /// Sends, retrying as `safety` and the policy allow, and collects the answer body.
    /// `build` makes a fresh request for each attempt.
    pub(crate) async fn execute<F>(
        &self,
        safety: Safety,
        build: F,
    ) -> Result<(StatusCode, Bytes), Failure>
    where
        F: Fn() -> RequestBuilder + Send + Sync,
    {
        let mut retry = self.retry_state();
        loop {
            let outcome = match self.send_once(build()).await {
                Ok(response) => {
                    let status = response.status();
                    response
                        .bytes()
                        .await
                        .map(|body| (status, body))
                        .map_err(|error| Failure::Transport(error.without_url()))
                }
                Err(failure) => Err(failure),
            };
            match outcome {
                Ok(answer) => return Ok(answer),
                Err(failure) => retry.wait_or_give_up(failure, safety).await?,
            }
        }
    }

    fn note_deprecation(&self, endpoint: &str, headers: &HeaderMap) {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let (deprecation, sunset) = (text("deprecation"), text("sunset"));
        if deprecation.is_none() && sunset.is_none() {
            return;
        }
        let warning = ApiWarning {
            endpoint: endpoint.to_owned(),
            deprecation,
            sunset,
        };
        let mut warnings = self.warnings.lock().unwrap_or_else(PoisonError::into_inner);
        if !warnings.contains(&warning) && warnings.len() < MAX_WARNINGS {
            tracing::warn!(endpoint, sunset = ?warning.sunset, "Prolific marks this endpoint as deprecated");
            warnings.push(warning);
        }
    }

    pub(crate) fn warnings(&self) -> Vec<ApiWarning> {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An error answer's body is read for its message only; a bigger one is cut here, so
/// that a misbehaving server cannot fill memory with it.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// At most this many distinct deprecation notes are kept.
const MAX_WARNINGS: usize = 64;

async fn error_body(mut response: Response) -> Result<Bytes, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| Failure::Transport(error.without_url()))?
    {
        let room = MAX_ERROR_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    Ok(Bytes::from(body))
}

/// Attempts and elapsed time of one call, against the policy.
#[derive(Debug)]
pub(crate) struct RetryState<'a> {
    policy: &'a RetryPolicy,
    clock: &'a dyn Clock,
    started: Duration,
    attempts: u32,
}

impl RetryState<'_> {
    /// After a failed attempt: waits and returns `Ok` when another attempt should be
    /// made, or hands the failure back when it is final.
    pub(crate) async fn wait_or_give_up(
        &mut self,
        failure: Failure,
        safety: Safety,
    ) -> Result<(), Failure> {
        self.wait_or_give_up_if(failure, safety, false).await
    }

    /// As [`Self::wait_or_give_up`]; `retry_anyway` retries a failure the caller knows
    /// a fresh request can fix (an expired upload link), within the same budget.
    pub(crate) async fn wait_or_give_up_if(
        &mut self,
        failure: Failure,
        safety: Safety,
        retry_anyway: bool,
    ) -> Result<(), Failure> {
        match self.delay_for(&failure, safety, retry_anyway) {
            Some(delay) => {
                tracing::debug!(attempt = self.attempts, ?delay, "retrying");
                self.clock.sleep(delay).await;
                Ok(())
            }
            None => Err(failure),
        }
    }

    /// The wait before the next attempt, or `None` to give up.
    fn delay_for(
        &mut self,
        failure: &Failure,
        safety: Safety,
        retry_anyway: bool,
    ) -> Option<Duration> {
        self.attempts += 1;
        if !(retry_anyway || failure.is_retryable(safety))
            || self.attempts >= self.policy.max_attempts
        {
            return None;
        }
        let delay = match failure.retry_after() {
            Some(wait) if wait > self.policy.max_retry_after => return None,
            Some(wait) => wait,
            None => self.policy.backoff(self.attempts),
        };
        let elapsed = self.clock.now().saturating_sub(self.started);
        (elapsed.saturating_add(delay) <= self.policy.max_elapsed).then_some(delay)
    }
}

/// `Retry-After` as a wait: whole seconds, or an HTTP date (a date already past means
/// no wait).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Tue, 01 Sep 2026 23:59:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Tue, 01 Sep 2026 23:59:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Tue, 01 Sep 2026 23:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_cap() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(40) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn a_deprecation_note_reads_plainly() {
        let warning = ApiWarning {
            endpoint: "POST /api/v1/data-collection/batches/x/instructions".into(),
            deprecation: Some("true".into()),
            sunset: Some("Tue, 01 Sep 2026 23:59:59 GMT".into()),
        };
        assert_eq!(
            warning.to_string(),
            "Prolific has deprecated POST /api/v1/data-collection/batches/x/instructions; \
             it stops working after Tue, 01 Sep 2026 23:59:59 GMT."
        );
    }
}
