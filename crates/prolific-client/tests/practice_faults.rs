//! The faults of `resilience.rs`, injected this time by the practice server itself
//! (`PracticeServer::faults()`), so the client's retry rules are checked against the
//! server the app rehearses with: its 429 and 5xx shapes, its dropped connections and
//! its slow answers.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use batchdesk_practice::{Fault, FaultScope, PracticeConfig, PracticeServer, Times};
use batchdesk_prolific::models::NewDataset;
use batchdesk_prolific::{ApiBase, ApiToken, Client, ClientOptions, ProlificError};
use support::fast_options;

const ME: &str = "/api/v1/users/me/";
const DATASETS: &str = "/api/v1/data-collection/datasets";
const COUNTER: u32 = 1_000_000;

async fn practice() -> PracticeServer {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    // A harmless fault with a large count: what is left tells how many requests came.
    for route in [ME, DATASETS] {
        server.faults().inject(
            Fault::Slow { delay_ms: 0 },
            FaultScope::route(route),
            Times::Next(COUNTER),
        );
    }
    server
}

fn counted(server: &PracticeServer, route: &str) -> u32 {
    server
        .faults()
        .active()
        .iter()
        .find(|rule| {
            rule.fault == Fault::Slow { delay_ms: 0 } && rule.scope.route.as_deref() == Some(route)
        })
        .map(|rule| match rule.times {
            Times::Next(left) => COUNTER - left,
            Times::Always => 0,
        })
        .unwrap_or(COUNTER)
}

fn client(server: &PracticeServer, options: ClientOptions) -> Client {
    Client::with_options(
        ApiBase::parse(&server.base_url()).unwrap(),
        &ApiToken::new(server.token()),
        options,
    )
    .unwrap()
}

fn new_dataset() -> NewDataset {
    NewDataset {
        name: "Reviews".into(),
        workspace_id: PracticeConfig::default().workspace.id,
        schema: None,
    }
}

#[tokio::test]
async fn a_429_with_retry_after_waits_exactly_that_long_then_succeeds() {
    let server = practice().await;
    server.faults().inject(
        Fault::RateLimited {
            retry_after_seconds: Some(2),
        },
        FaultScope::route(ME),
        Times::Next(2),
    );
    let (options, clock) = fast_options(5);
    let me = client(&server, options).users_me().await.unwrap();
    assert_eq!(me.email, "practice.researcher@example.org");
    assert_eq!(counted(&server, ME), 3);
    assert_eq!(
        clock.slept(),
        [Duration::from_secs(2), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_until_the_attempts_run_out() {
    let server = practice().await;
    server.faults().inject(
        Fault::RateLimited {
            retry_after_seconds: None,
        },
        FaultScope::route(ME),
        Times::Always,
    );
    let (options, clock) = fast_options(4);
    let error = client(&server, options).users_me().await.unwrap_err();
    assert!(
        matches!(error, ProlificError::RateLimited { retry_after: None }),
        "{error:?}"
    );
    assert_eq!(counted(&server, ME), 4);
    let slept = clock.slept();
    assert_eq!(slept.len(), 3);
    for (wait, cap) in slept.iter().zip([100, 200, 400]) {
        assert!(*wait <= Duration::from_millis(cap), "{slept:?}");
    }
}

#[tokio::test]
async fn server_errors_and_a_dropped_connection_are_retried_for_reads() {
    let server = practice().await;
    for fault in [
        Fault::ServerError { status: 500 },
        Fault::ServerError { status: 502 },
        Fault::ServerError { status: 503 },
        Fault::DropConnection,
    ] {
        server
            .faults()
            .inject(fault, FaultScope::route(ME), Times::Next(1));
    }
    let (options, clock) = fast_options(6);
    client(&server, options).users_me().await.unwrap();
    assert_eq!(counted(&server, ME), 5);
    assert_eq!(clock.slept().len(), 4);
}

#[tokio::test]
async fn a_load_balancer_503_that_does_not_stop_is_reported_plainly() {
    let server = practice().await;
    server.faults().inject(
        Fault::ServerError { status: 503 },
        FaultScope::route(ME),
        Times::Always,
    );
    let (options, _) = fast_options(3);
    let error = client(&server, options).users_me().await.unwrap_err();
    // The HTML body is not mistaken for an unexpected answer.
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 503 }),
        "{error:?}"
    );
    assert_eq!(error.code(), "prolific.unavailable");
    assert_eq!(counted(&server, ME), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = practice().await;
    let (options, clock) = fast_options(5);
    let error = client(&server, options)
        .dataset_status("0192a3b5-e8f9-7a0b-8000-000000000000")
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    assert!(clock.slept().is_empty());
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_within_the_attempts() {
    let server = practice().await;
    // The first matching slow fault is used: the counter would hide this one.
    server.faults().clear();
    server.faults().inject(
        Fault::Slow { delay_ms: 60_000 },
        FaultScope::route(ME),
        Times::Always,
    );
    let (mut options, _) = fast_options(2);
    options.total_timeout = Duration::from_millis(200);
    let error = client(&server, options).users_me().await.unwrap_err();
    assert!(matches!(error, ProlificError::Timeout(_)), "{error:?}");
    assert_eq!(error.code(), "prolific.timeout");
}

#[tokio::test]
async fn a_dataset_create_refused_with_429_is_repeated_and_an_unclear_one_is_not() {
    let server = practice().await;
    let faults = server.faults();
    let create = || FaultScope::route(DATASETS).method("POST");
    let (options, _) = fast_options(5);
    let client = client(&server, options);

    // A 429 proves nothing was made: sent again, one dataset.
    faults.inject(
        Fault::RateLimited {
            retry_after_seconds: None,
        },
        create(),
        Times::Next(1),
    );
    let dataset = client.create_dataset(&new_dataset()).await.unwrap();
    assert_eq!(dataset.name, "Reviews");
    assert_eq!(counted(&server, DATASETS), 2);

    // A 503 or a dropped connection may hide a dataset Prolific cannot list: not sent
    // again, the caller decides.
    faults.inject(Fault::ServerError { status: 503 }, create(), Times::Next(1));
    let error = client.create_dataset(&new_dataset()).await.unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 503 }),
        "{error:?}"
    );
    assert_eq!(counted(&server, DATASETS), 3);
    faults.inject(Fault::DropConnection, create(), Times::Next(1));
    let error = client.create_dataset(&new_dataset()).await.unwrap_err();
    assert!(matches!(error, ProlificError::Network(_)), "{error:?}");
    assert_eq!(counted(&server, DATASETS), 4);
}
