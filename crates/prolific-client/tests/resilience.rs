//! Retries, budgets, Retry-After, create-or-find, deprecation notes and pagination,
//! against a scripted fault-injecting server over real HTTP.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_prolific::models::{NewBatch, NewDataset, TaskDetails};
use batchdesk_prolific::{ClientOptions, ProlificError, RetryPolicy};
use serde_json::{Value, json};
use support::{Reply, TestServer, fast_options, user};

const ME: &str = "/api/v1/users/me/";

fn rate_limited(retry_after: Option<&str>) -> Reply {
    let headers = retry_after
        .map(|value| vec![("retry-after", value.to_owned())])
        .unwrap_or_default();
    Reply::Raw(429, headers, String::new())
}

#[tokio::test]
async fn a_429_with_retry_after_waits_exactly_that_long_then_succeeds() {
    let server = TestServer::start(|_, nth| match nth {
        0 | 1 => rate_limited(Some("2")),
        _ => Reply::Json(200, user()),
    })
    .await;
    let (options, clock) = fast_options(5);
    let me = server.client(options).users_me().await.unwrap();
    assert_eq!(me.email, "r@example.org");
    assert_eq!(server.count("GET", ME), 3);
    assert_eq!(
        clock.slept(),
        [Duration::from_secs(2), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_until_the_attempts_run_out() {
    let server = TestServer::start(|_, _| rate_limited(None)).await;
    let (options, clock) = fast_options(4);
    let error = server.client(options).users_me().await.unwrap_err();
    assert!(
        matches!(error, ProlificError::RateLimited { retry_after: None }),
        "{error:?}"
    );
    assert_eq!(server.count("GET", ME), 4);
    let slept = clock.slept();
    assert_eq!(slept.len(), 3);
    // Full jitter under a cap that doubles from 100 ms.
    for (wait, cap) in slept.iter().zip([100, 200, 400]) {
        assert!(*wait <= Duration::from_millis(cap), "{slept:?}");
    }
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_handed_to_the_caller() {
    // An HTTP date far ahead: longer than the client will wait.
    let server =
        TestServer::start(|_, _| rate_limited(Some("Fri, 01 Jan 2100 00:00:00 GMT"))).await;
    let (options, clock) = fast_options(5);
    let error = server.client(options).users_me().await.unwrap_err();
    match error {
        ProlificError::RateLimited {
            retry_after: Some(wait),
        } => assert!(wait > Duration::from_secs(60)),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.count("GET", ME), 1);
    assert!(clock.slept().is_empty());
}

#[tokio::test]
async fn the_time_budget_stops_retries() {
    let server =
        TestServer::start(|_, _| Reply::Raw(503, vec![("retry-after", "2".into())], String::new()))
            .await;
    let (mut options, clock) = fast_options(10);
    options.retry.max_elapsed = Duration::from_secs(5);
    let error = server.client(options).users_me().await.unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 503 }),
        "{error:?}"
    );
    // Attempts at 0 s, 2 s and 4 s; a third wait would end past the 5 s budget.
    assert_eq!(server.count("GET", ME), 3);
    assert_eq!(clock.slept().len(), 2);
}

#[tokio::test]
async fn server_errors_and_a_dropped_answer_are_retried_for_reads() {
    let server = TestServer::start(|_, nth| match nth {
        0 => Reply::Raw(500, vec![], "oops".into()),
        1 => Reply::Raw(502, vec![], String::new()),
        2 => Reply::Raw(503, vec![], String::new()),
        3 => Reply::DropAfter {
            length: 100,
            sent: b"{\"id\":".to_vec(),
        },
        _ => Reply::Json(200, user()),
    })
    .await;
    let (options, clock) = fast_options(6);
    server.client(options).users_me().await.unwrap();
    assert_eq!(server.count("GET", ME), 5);
    assert_eq!(clock.slept().len(), 4);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = TestServer::start(|_, _| {
        Reply::Json(404, json!({"error": {"status": 404, "error_code": 1, "title": "Not found", "detail": "User not found."}}))
    })
    .await;
    let (options, _) = fast_options(5);
    let error = server.client(options).users_me().await.unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
    assert_eq!(server.count("GET", ME), 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_within_the_attempts() {
    let server = TestServer::start(|_, _| Reply::Hang).await;
    let (mut options, _) = fast_options(2);
    options.total_timeout = Duration::from_millis(200);
    let error = server.client(options).users_me().await.unwrap_err();
    assert!(matches!(error, ProlificError::Timeout(_)), "{error:?}");
    assert_eq!(error.code(), "prolific.timeout");
    assert_eq!(server.count("GET", ME), 2);
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (options, clock) = fast_options(3);
    let client = batchdesk_prolific::Client::with_options(
        batchdesk_prolific::ApiBase::parse(&base).unwrap(),
        &batchdesk_prolific::ApiToken::new(support::TOKEN),
        options,
    )
    .unwrap();
    let error = client.users_me().await.unwrap_err();
    assert!(matches!(error, ProlificError::Network(_)), "{error:?}");
    assert_eq!(clock.slept().len(), 2);
}

/// A batch API whose POST answers with `fault` on its first call (after creating the
/// batch when `creates_first` is set), and normally afterwards.
async fn batch_server(
    fault: fn() -> Reply,
    creates_first: bool,
) -> (TestServer, Arc<Mutex<Vec<Value>>>) {
    let stored: Arc<Mutex<Vec<Value>>> = Arc::default();
    let batches = Arc::clone(&stored);
    let server = TestServer::start(move |seen, nth| {
        let path = "/api/v1/data-collection/batches";
        if seen.path != path {
            return Reply::Json(404, json!({}));
        }
        if seen.method == "GET" {
            let results = batches.lock().unwrap().clone();
            return Reply::Json(
                200,
                json!({"results": results, "meta": {"count": results.len()}}),
            );
        }
        let body: Value = serde_json::from_slice(&seen.body).unwrap();
        let batch = json!({
            "id": format!("0192a3b5-e8f9-7a0b-8000-00000000000{}", batches.lock().unwrap().len()),
            "name": body["name"], "workspace_id": body["workspace_id"], "status": "UNINITIALISED",
            "schema_version": 1, "datasets": [], "task_details": body["task_details"],
        });
        if nth == 0 && !creates_first {
            return fault();
        }
        batches.lock().unwrap().push(batch.clone());
        if nth == 0 {
            fault()
        } else {
            Reply::Json(201, batch)
        }
    })
    .await;
    (server, stored)
}

fn new_batch() -> NewBatch {
    NewBatch {
        name: "Sentiment pilot 2026-11-23 #1".into(),
        workspace_id: "6a3f0c2b9e1d4a5b6c7d8e01".into(),
        task_details: TaskDetails {
            task_name: "Rate reviews".into(),
            task_introduction: "<p>Hi</p>".into(),
            task_steps: "<ol><li>Read</li></ol>".into(),
        },
        dataset_id: None,
        batch_items: None,
        auto_sync_enabled: None,
    }
}

#[tokio::test]
async fn a_create_that_worked_but_failed_to_answer_is_found_not_repeated() {
    for fault in [
        (|| Reply::Raw(500, vec![], String::new())) as fn() -> Reply,
        || Reply::DropAfter {
            length: 500,
            sent: b"{\"id\"".to_vec(),
        },
    ] {
        let (server, stored) = batch_server(fault, true).await;
        let (options, _) = fast_options(5);
        let batch = server
            .client(options)
            .create_batch(&new_batch())
            .await
            .unwrap();
        assert_eq!(batch.name, new_batch().name);
        assert_eq!(server.count("POST", "/api/v1/data-collection/batches"), 1);
        assert_eq!(server.count("GET", "/api/v1/data-collection/batches"), 1);
        assert_eq!(stored.lock().unwrap().len(), 1, "no duplicate");
        let listed = server
            .seen()
            .into_iter()
            .find(|seen| seen.method == "GET")
            .unwrap();
        assert_eq!(
            listed.query.as_deref(),
            Some("workspace_id=6a3f0c2b9e1d4a5b6c7d8e01")
        );
    }
}

#[tokio::test]
async fn a_create_that_failed_before_creating_is_sent_again_once() {
    let (server, stored) = batch_server(|| Reply::Raw(502, vec![], String::new()), false).await;
    let (options, _) = fast_options(5);
    let batch = server
        .client(options)
        .create_batch(&new_batch())
        .await
        .unwrap();
    assert_eq!(batch.status.unwrap().as_str(), "UNINITIALISED");
    assert_eq!(server.count("POST", "/api/v1/data-collection/batches"), 2);
    assert_eq!(stored.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_create_refused_with_429_is_repeated_and_an_unclear_dataset_create_is_not() {
    let server = TestServer::start(|seen, nth| match (seen.path.as_str(), nth) {
        ("/api/v1/data-collection/datasets", 0) => rate_limited(Some("1")),
        ("/api/v1/data-collection/datasets", 1) => Reply::Json(
            201,
            json!({"id": "0192a3b5-e8f9-7a0b-8000-000000000001", "name": "d", "schema_version": "3", "status": "UNINITIALISED"}),
        ),
        _ => Reply::Raw(500, vec![], String::new()),
    })
    .await;
    let (options, _) = fast_options(5);
    let client = server.client(options);
    let dataset = NewDataset {
        name: "d".into(),
        workspace_id: "6a3f0c2b9e1d4a5b6c7d8e01".into(),
        schema: None,
    };
    let created = client.create_dataset(&dataset).await.unwrap();
    assert_eq!(created.schema_version.unwrap().number(), Some(3));
    assert_eq!(server.count("POST", "/api/v1/data-collection/datasets"), 2);

    // A 500 after sending may mean it was made, and datasets cannot be listed: not repeated.
    let server = TestServer::start(|_, _| Reply::Raw(500, vec![], String::new())).await;
    let (options, _) = fast_options(5);
    let error = server
        .client(options)
        .create_dataset(&dataset)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::ProlificFailing { status: 500 }),
        "{error:?}"
    );
    assert_eq!(server.count("POST", "/api/v1/data-collection/datasets"), 1);
}

#[tokio::test]
async fn deprecation_headers_become_warnings_once() {
    let server = TestServer::start(|_, _| {
        Reply::Raw(
            200,
            vec![
                ("content-type", "application/json".into()),
                ("deprecation", "true".into()),
                ("sunset", "Tue, 01 Sep 2026 23:59:59 GMT".into()),
            ],
            user().to_string(),
        )
    })
    .await;
    let client = server.client(ClientOptions::default());
    client.users_me().await.unwrap();
    client.users_me().await.unwrap();
    let warnings = client.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].endpoint, "GET /api/v1/users/me/");
    assert_eq!(
        warnings[0].sunset.as_deref(),
        Some("Tue, 01 Sep 2026 23:59:59 GMT")
    );
    assert!(warnings[0].to_string().contains("stops working after"));
}

fn workspace(n: usize) -> Value {
    json!({"id": format!("6a3f0c2b9e1d4a5b6c7d8e{n:02}"), "title": format!("W{n}")})
}

#[tokio::test]
async fn a_list_is_followed_across_pages_of_its_own_host_only() {
    let server = TestServer::start(|seen, _| {
        let host = seen.header("host").unwrap().to_owned();
        let next = |page: u32| json!({"href": format!("http://{host}/api/v1/workspaces/?page={page}")});
        match seen.query.as_deref() {
            None => Reply::Json(200, json!({"results": [workspace(1), workspace(2)], "_links": {"next": next(2)}, "meta": {"count": 5}})),
            Some("page=2") => Reply::Json(200, json!({"results": [workspace(3), workspace(4)], "_links": {"next": next(3)}, "meta": {"count": 5}})),
            Some("page=3") => Reply::Json(200, json!({"results": [workspace(5)], "_links": {"next": {"href": null}}, "meta": {"count": 5}})),
            _ => Reply::Json(404, json!({})),
        }
    })
    .await;
    let listed = workspaces_of(&server).await;
    assert_eq!(listed.items.len(), 5);
    assert_eq!(listed.items[4].title, "W5");
    assert!(!listed.possibly_truncated);
    assert_eq!(server.count("GET", "/api/v1/workspaces/"), 3);
}

#[tokio::test]
async fn a_short_list_or_a_foreign_next_link_is_flagged_as_truncated() {
    let server = TestServer::start(|_, _| {
        Reply::Json(
            200,
            json!({
                "results": [workspace(1), workspace(2)],
                "_links": {"next": {"href": "https://evil.example.org/api/v1/workspaces/?page=2"}},
                "meta": {"count": 10},
            }),
        )
    })
    .await;
    let listed = workspaces_of(&server).await;
    assert_eq!(listed.items.len(), 2);
    assert!(listed.possibly_truncated);
    assert_eq!(server.seen().len(), 1, "the foreign link was not followed");
}

/// The page number a request asks for (`page=N`), 1 when it names none.
fn page_asked(seen: &support::Seen) -> usize {
    seen.query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .map_or(1, |number| number.parse().unwrap())
}

/// Workspaces `from..to`, numbered from 1.
fn workspaces(range: std::ops::Range<usize>) -> Value {
    range.map(workspace).collect()
}

#[tokio::test]
async fn a_list_without_links_is_read_by_page_number_until_its_count() {
    let server = TestServer::start(|seen, _| {
        let results = match page_asked(seen) {
            1 => workspaces(1..3),
            2 => workspaces(3..5),
            3 => workspaces(5..6),
            _ => return Reply::Json(404, json!({"detail": "Invalid page."})),
        };
        Reply::Json(200, json!({"results": results, "meta": {"count": 5}}))
    })
    .await;
    let listed = workspaces_of(&server).await;
    let titles: Vec<&str> = listed.items.iter().map(|w| w.title.as_str()).collect();
    assert_eq!(titles, ["W1", "W2", "W3", "W4", "W5"]);
    assert!(!listed.possibly_truncated);
    assert_eq!(
        server.count("GET", "/api/v1/workspaces/"),
        3,
        "the count says when to stop"
    );
}

#[tokio::test]
async fn a_list_with_neither_links_nor_count_is_read_until_there_is_no_next_page() {
    let server = TestServer::start(|seen, _| match page_asked(seen) {
        1 => Reply::Json(200, json!({"results": workspaces(1..3)})),
        2 => Reply::Json(200, json!({"results": workspaces(3..4)})),
        _ => Reply::Json(404, json!({"detail": "Invalid page."})),
    })
    .await;
    let listed = workspaces_of(&server).await;
    assert_eq!(listed.items.len(), 3);
    assert!(!listed.possibly_truncated, "404 past the end ends a list");
    assert_eq!(server.count("GET", "/api/v1/workspaces/"), 3);
}

#[tokio::test]
async fn a_count_larger_than_the_pages_held_flags_the_list_as_possibly_truncated() {
    let server = TestServer::start(|seen, _| {
        let results = match page_asked(seen) {
            1 => workspaces(1..3),
            _ => workspaces(0..0),
        };
        Reply::Json(200, json!({"results": results, "meta": {"count": 10}}))
    })
    .await;
    let listed = workspaces_of(&server).await;
    assert_eq!(listed.items.len(), 2);
    assert!(listed.possibly_truncated);
    assert_eq!(server.count("GET", "/api/v1/workspaces/"), 2);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_not_read_forever() {
    let server =
        TestServer::start(|_, _| Reply::Json(200, json!({"results": workspaces(1..3)}))).await;
    let listed = workspaces_of(&server).await;
    assert_eq!(listed.items.len(), 2, "the repeated page is not kept twice");
    assert!(listed.possibly_truncated, "what lies beyond is unknown");
    assert_eq!(server.count("GET", "/api/v1/workspaces/"), 2);
}

#[tokio::test]
async fn a_list_that_always_has_a_next_page_stops_at_the_cap_as_possibly_truncated() {
    let server = TestServer::start(|seen, _| {
        let page = page_asked(seen);
        Reply::Json(200, json!({"results": [workspace(page)]}))
    })
    .await;
    let listed = workspaces_of(&server).await;
    assert!(listed.possibly_truncated);
    assert_eq!(listed.items.len(), 500);
    assert_eq!(server.count("GET", "/api/v1/workspaces/"), 500);
}

#[tokio::test]
async fn a_lost_create_is_not_made_again_when_the_list_to_search_may_be_incomplete() {
    let projects = "/api/v1/workspaces/w1/projects/";
    let server = TestServer::start(|seen, _| match seen.method.as_str() {
        // The create may have worked: its answer never came.
        "POST" => Reply::Raw(502, vec![], "<html>Bad gateway</html>".into()),
        // Two of ten projects arrive; the one looked for would be further on.
        _ => {
            let results = match page_asked(seen) {
                1 => json!([{"id": "p1", "title": "Other"}, {"id": "p2", "title": "Another"}]),
                _ => json!([]),
            };
            Reply::Json(200, json!({"results": results, "meta": {"count": 10}}))
        }
    })
    .await;
    let (options, _) = fast_options(5);
    let error = server
        .client(options)
        .create_project("w1", "Pilot")
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::IncompleteList { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "prolific.incomplete_list");
    assert!(
        error
            .to_string()
            .contains("list of projects in this workspace")
    );
    assert_eq!(server.count("POST", projects), 1, "never sent twice");
}

#[test]
fn the_default_policy_retries_a_few_times_within_two_minutes() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts, 5);
    assert_eq!(policy.max_elapsed, Duration::from_secs(120));
    assert_eq!(RetryPolicy::never().max_attempts, 1);
}

/// The workspaces as the client reads them from `server`, with default options.
async fn workspaces_of(
    server: &TestServer,
) -> batchdesk_prolific::models::Listed<batchdesk_prolific::models::Workspace> {
    server
        .client(ClientOptions::default())
        .workspaces()
        .await
        .unwrap()
}
